"""TensorShape and Dimension: the static shape of a Tensor, as in TensorFlow 2.

A shape has either an unknown rank (`TensorShape(None)`) or a known rank with a
tuple of dimensions, each a non-negative Python int or None (unknown size).
"""

import operator

__all__ = [
    "Dimension",
    "TensorShape",
    "as_dimension",
    "as_shape",
    "dimension_at_index",
    "dimension_value",
    "unknown_shape",
]


def _dimension_type_error(value):
    return TypeError(
        "Dimension value must be integer or None or have an __index__ method, "
        f"got value '{value!r}' with type '{type(value)}'"
    )


def _to_dim(value):
    """Returns `value` as a dimension: a non-negative int, or None."""
    if value is None:
        return None
    if isinstance(value, int):
        # TensorFlow keeps int subclasses (even bool) as given.
        dim = value
    elif isinstance(value, Dimension):
        return value._value
    else:
        try:
            dim = operator.index(value)
        except TypeError as err:
            raise _dimension_type_error(value) from err
    if dim < 0:
        raise ValueError(f"Dimension {dim} must be >= 0")
    return dim


class Dimension:
    """Represents the value of one dimension in a TensorShape.

    This is TensorFlow 1's dimension object. In TensorFlow 2 the members of a
    `TensorShape` are plain integers (or None); `Dimension` remains for
    `TensorShape.dims` and code written against it.

    >>> Dimension(3) + 4
    Dimension(7)
    """

    __slots__ = ("_value",)

    def __init__(self, value):
        """Creates a new Dimension with the given value (an int or None)."""
        self._value = _to_dim(value)

    @property
    def value(self):
        """The value of this dimension, or None if it is unknown."""
        return self._value

    def __repr__(self):
        return f"Dimension({self._value!r})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __reduce__(self):
        return Dimension, (self._value,)

    def __int__(self):
        return self._value

    def __index__(self):
        return self._value

    def __bool__(self):
        return bool(self._value)

    # Comparisons with an unknown dimension are unknown: they return None.
    def __eq__(self, other):
        try:
            other = as_dimension(other)
        except TypeError:
            return NotImplemented
        if self._value is None or other._value is None:
            return None
        return self._value == other._value

    def __ne__(self, other):
        try:
            other = as_dimension(other)
        except TypeError:
            return NotImplemented
        if self._value is None or other._value is None:
            return None
        return self._value != other._value

    __hash__ = None

    def _compare(self, other, compare):
        other = as_dimension(other)
        if self._value is None or other._value is None:
            return None
        return compare(self._value, other._value)

    def __lt__(self, other):
        return self._compare(other, operator.lt)

    def __le__(self, other):
        return self._compare(other, operator.le)

    def __gt__(self, other):
        return self._compare(other, operator.gt)

    def __ge__(self, other):
        return self._compare(other, operator.ge)

    def is_compatible_with(self, other):
        """Returns true if `other` is compatible with this Dimension.

        Two dimensions are compatible if either is unknown or both are equal.
        """
        other = as_dimension(other)
        return (
            self._value is None
            or other._value is None
            or self._value == other._value
        )

    def assert_is_compatible_with(self, other):
        """Raises ValueError if `other` is not compatible with this Dimension."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {other} are not compatible")

    def merge_with(self, other):
        """Returns a Dimension that combines the information in `self` and `other`.

        Raises:
          ValueError: If `self` and `other` are not compatible.
        """
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(other._value if self._value is None else self._value)

    # Arithmetic: an unknown operand makes an unknown result.
    def _combine(self, other, combine):
        if self._value is None or other._value is None:
            return Dimension(None)
        return Dimension(combine(self._value, other._value))

    def __add__(self, other):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._combine(other, operator.add)

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._combine(other, operator.sub)

    def __rsub__(self, other):
        return as_dimension(other)._combine(self, operator.sub)

    def __mul__(self, other):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._combine(other, operator.mul)

    def __rmul__(self, other):
        return self * other

    def __floordiv__(self, other):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._combine(other, operator.floordiv)

    def __rfloordiv__(self, other):
        return as_dimension(other)._combine(self, operator.floordiv)

    def __mod__(self, other):
        return self._combine(as_dimension(other), operator.mod)

    def __rmod__(self, other):
        return as_dimension(other)._combine(self, operator.mod)

    def __truediv__(self, other):
        raise TypeError(
            "unsupported operand type(s) for /: 'Dimension' and "
            f"'{type(other).__name__}', please use // instead"
        )

    def __rtruediv__(self, other):
        raise TypeError(
            f"unsupported operand type(s) for /: '{type(other).__name__}' and "
            "'Dimension', please use // instead"
        )


def as_dimension(value):
    """Converts `value` to a Dimension (returned as is if it already is one)."""
    if isinstance(value, Dimension):
        return value
    return Dimension(value)


def dimension_value(dimension):
    """Returns the value of a dimension: an int or None.

    Accepts a `Dimension` or a plain value (returned unchanged), so code works
    with both the TF1 and the TF2 behaviour of `TensorShape`.

    >>> dimension_value(Dimension(3)), dimension_value(3)
    (3, 3)
    """
    if isinstance(dimension, Dimension):
        return dimension._value
    return dimension


def dimension_at_index(shape, index):
    """Returns the dimension of `shape` at `index` as a Dimension.

    An unknown-rank shape gives `Dimension(None)` for every index.
    """
    shape = as_shape(shape)
    if shape._dims is None:
        return Dimension(None)
    return Dimension(list(shape._dims)[index])


def _conversion_type_error(dims, item):
    return TypeError(
        f"Failed to convert '{dims!r}' to a shape: '{item!r}'could not be "
        "converted to a dimension. A shape should either be single dimension "
        "(e.g. 10), or an iterable of dimensions (e.g. [1, 10, None])."
    )


class TensorShape:
    """Represents the shape of a `Tensor`.

    A `TensorShape` is the static shape of a Tensor. It has either an unknown
    rank, or a known rank with a size for each dimension, where a size may be
    unknown (None). In eager execution a Tensor's shape is always fully
    defined.

    >>> TensorShape([2, None]).as_list()
    [2, None]
    """

    __slots__ = ("_dims",)

    def __init__(self, dims):
        """Creates a new TensorShape with the given dimensions.

        Args:
          dims: An iterable of dimensions (int, None or Dimension), a single
            dimension, or None if the shape is unspecified.

        Raises:
          TypeError: If dims cannot be converted to a list of dimensions.
          ValueError: If a dimension is negative.
        """
        if dims is None:
            self._dims = None
            return
        if type(dims) is tuple:
            # Fast path for a tuple of plain ints, e.g. an ndarray's shape.
            for d in dims:
                if type(d) is not int or d < 0:
                    break
            else:
                self._dims = dims
                return
        if isinstance(dims, (tuple, list)):
            self._dims = tuple([_to_dim(d) for d in dims])
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        else:
            try:
                items = iter(dims)
            except TypeError:
                # Not iterable: a single dimension, e.g. TensorShape(3).
                self._dims = (_to_dim(dims),)
                return
            converted = []
            for item in items:
                try:
                    converted.append(_to_dim(item))
                except TypeError as err:
                    raise _conversion_type_error(dims, item) from err
            self._dims = tuple(converted)

    @classmethod
    def _from_tuple(cls, dims, _new=object.__new__):
        """Returns a TensorShape for `dims`, a tuple of non-negative ints or None.

        No validation: the fast path for shapes read from NumPy arrays.
        """
        shape = _new(cls)
        shape._dims = dims
        return shape

    # Properties and conversions.

    @property
    def rank(self):
        """Returns the rank of this shape, or None if it is unspecified."""
        if self._dims is None:
            return None
        return len(self._dims)

    @property
    def ndims(self):
        """Deprecated accessor for `rank`."""
        if self._dims is None:
            return None
        return len(self._dims)

    @property
    def dims(self):
        """Returns a list of Dimensions, or None if the shape is unspecified.

        Deprecated: use `as_list()` for plain values.
        """
        if self._dims is None:
            return None
        return [Dimension(d) for d in self._dims]

    def as_list(self):
        """Returns a list of integers or None for each dimension.

        Raises:
          ValueError: If `self` is an unknown shape with an unknown rank.
        """
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def num_elements(self):
        """Returns the total number of elements, or None for incomplete shapes."""
        if self._dims is None:
            return None
        count = 1
        for d in self._dims:
            if d is None:
                return None
            count *= d
        return count

    def is_fully_defined(self):
        """Returns True iff `self` is fully defined in every dimension."""
        return self._dims is not None and None not in self._dims

    def assert_is_fully_defined(self):
        """Raises a ValueError if `self` is not fully defined in every dimension."""
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    # Sequence protocol.

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self):
        return self._dims is not None

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        """Returns the size of one dimension (int or None), or a TensorShape for a slice.

        On a shape of unknown rank, an index gives None and a slice with
        non-negative bounds gives a shape of that many unknown dimensions.
        """
        dims = self._dims
        if dims is not None:
            if isinstance(key, slice):
                return TensorShape._from_tuple(dims[key])
            return dims[key]
        if not isinstance(key, slice):
            return None
        if key.step is not None:
            raise ValueError("Steps are not yet handled")
        start = 0 if key.start is None else key.start
        stop = key.stop
        if stop is None or start < 0 or stop < 0:
            return unknown_shape()
        return unknown_shape(rank=stop - start)

    # Combining shapes.

    def is_compatible_with(self, other):
        """Returns True iff `self` is compatible with `other`.

        Two shapes are compatible if either has an unknown rank, or both have
        the same rank and each pair of dimensions is equal or has an unknown
        member.
        """
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(
            a is None or b is None or a == b
            for a, b in zip(self._dims, other._dims)
        )

    def assert_is_compatible_with(self, other):
        """Raises ValueError if `self` and `other` do not represent the same shape."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are incompatible")

    def merge_with(self, other):
        """Returns a TensorShape combining the information in `self` and `other`.

        Raises:
          ValueError: If `self` and `other` are not compatible.
        """
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if len(self._dims) != len(other._dims):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        merged = []
        for a, b in zip(self._dims, other._dims):
            if a is None:
                merged.append(b)
            elif b is None or a == b:
                merged.append(a)
            else:
                raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape._from_tuple(tuple(merged))

    def most_specific_compatible_shape(self, other):
        """Returns the most specific TensorShape compatible with `self` and `other`.

        Dimensions on which the two shapes disagree become None; different
        ranks give an unknown shape.
        """
        other = as_shape(other)
        if (
            self._dims is None
            or other._dims is None
            or len(self._dims) != len(other._dims)
        ):
            return unknown_shape()
        return TensorShape._from_tuple(
            tuple(
                a if a is not None and a == b else None
                for a, b in zip(self._dims, other._dims)
            )
        )

    def is_subtype_of(self, other):
        """Returns True if `self` is at least as specific as `other`."""
        if not isinstance(other, TensorShape):
            return False
        if other._dims is None:
            return True
        if self._dims is None or len(self._dims) != len(other._dims):
            return False
        return all(b is None or a == b for a, b in zip(self._dims, other._dims))

    def most_specific_common_supertype(self, others):
        """Returns the most specific TensorShape that `self` and all `others` are subtypes of.

        Returns None if any of `others` is not a TensorShape.
        """
        if not all(isinstance(other, TensorShape) for other in others):
            return None
        if self._dims is None or any(
            other._dims is None or len(other._dims) != len(self._dims)
            for other in others
        ):
            return unknown_shape()
        dims = []
        for i, d in enumerate(self._dims):
            if any(other._dims[i] != d for other in others):
                d = None
            dims.append(d)
        return TensorShape._from_tuple(tuple(dims))

    def concatenate(self, other):
        """Returns the concatenation of the dimensions in `self` and `other`.

        If either shape has an unknown rank, so does the result.
        """
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return unknown_shape()
        return TensorShape._from_tuple(self._dims + other._dims)

    def __add__(self, other):
        return self.concatenate(other)

    def __radd__(self, other):
        if not isinstance(other, TensorShape):
            other = TensorShape(other)
        return other.concatenate(self)

    def __concat__(self, other):
        return self.concatenate(other)

    # Rank checks.

    def with_rank(self, rank):
        """Returns a shape based on `self` with the given rank.

        Raises:
          ValueError: If `self` does not represent a shape with the given rank.
        """
        template = unknown_shape(rank=rank)  # TypeError for a non-int rank, as TF
        if self._dims is None:
            return template
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def with_rank_at_least(self, rank):
        """Returns a shape based on `self` with at least the given rank.

        Raises:
          ValueError: If `self` does not represent a shape with at least `rank`.
        """
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank):
        """Returns a shape based on `self` with at most the given rank.

        Raises:
          ValueError: If `self` does not represent a shape with at most `rank`.
        """
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank):
        """Raises a ValueError if `self` has a known rank other than `rank`."""
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other):
        """Raises a ValueError if `self` and `other` have different known ranks."""
        other = as_shape(other)
        if (
            self._dims is not None
            and other._dims is not None
            and len(self._dims) != len(other._dims)
        ):
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    # Equality, hashing, printing, pickling.

    def __eq__(self, other):
        """Returns True if `self` and `other` have exactly the same dimensions.

        Unknown dimensions compare equal to each other here (unlike
        `is_compatible_with`); an unknown rank equals only an unknown rank.
        """
        if not isinstance(other, TensorShape):
            try:
                other = as_shape(other)
            except TypeError:
                return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        if not isinstance(other, TensorShape):
            try:
                other = as_shape(other)
            except TypeError:
                return NotImplemented
        return self._dims != other._dims

    def __hash__(self):
        return hash(self._dims)

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)!r})"

    def __str__(self):
        dims = self._dims
        if dims is None:
            return "<unknown>"
        if len(dims) == 1:
            return f"({dims[0]},)"
        return "(" + ", ".join([str(d) for d in dims]) + ")"

    def __reduce__(self):
        return TensorShape, (self.dims,)


def as_shape(shape):
    """Converts `shape` to a TensorShape (returned as is if it already is one).

    >>> as_shape((2, 3))
    TensorShape([2, 3])
    """
    if isinstance(shape, TensorShape):
        return shape
    return TensorShape(shape)


def unknown_shape(rank=None, **kwargs):
    """Returns a TensorShape with an unknown rank, or `rank` unknown dimensions.

    Args:
      rank: The rank of the shape, or None for an unknown rank.
      **kwargs: `ndims`, the deprecated name of `rank`.

    >>> unknown_shape(2)
    TensorShape([None, None])
    """
    if rank is None and "ndims" in kwargs:
        rank = kwargs.pop("ndims")
    if kwargs:
        raise TypeError(f"Unknown argument: {kwargs}")
    if rank is None:
        return TensorShape(None)
    return TensorShape._from_tuple((None,) * rank)
