"""`tf.data.Dataset`: its sources, `TensorSpec`, and the methods that chain transformations.

A dataset iterates its elements internally as flat lists of ndarrays, one per component,
in the order of its `element_spec`; the public iterator wraps them as Tensors and rebuilds
the structure. Tuples and dicts are structure; lists and everything else are tensors, as
in TensorFlow's dataset structures. The transformations live in `transformations.py`.
"""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.tensor import convert_to_tensor, wrap
from eagerflow.framework.tensor_shape import TensorShape

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


class TensorSpec:
    """Describes the shape and dtype of a tensor, such as one component of a dataset element.

    >>> from eagerflow import data
    >>> data.TensorSpec((None, 3), "float32", name="x")
    TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of `tensor`: its shape and dtype."""
        return cls(tensor.shape, tensor.dtype, name)

    def is_compatible_with(self, spec_or_tensor):
        """True when the dtypes match and the shapes are compatible."""
        return (self._dtype == spec_or_tensor.dtype
                and self._shape.is_compatible_with(spec_or_tensor.shape))

    def __eq__(self, other):
        return (type(other) is type(self) and self._dtype == other._dtype
                and str(self._shape) == str(other._shape) and self._name == other._name)

    def __hash__(self):
        return hash((self._dtype, self._name))

    def __repr__(self):
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"


# --- element structure: tuples and dicts nest; anything else is one component ------------

def _is_structure(value):
    return isinstance(value, (tuple, dict))


def flatten_element(element):
    """The components of `element` in order: dicts by sorted key, lists as single leaves."""
    if isinstance(element, dict):
        return [leaf for key in sorted(element) for leaf in flatten_element(element[key])]
    if isinstance(element, tuple):
        return [leaf for item in element for leaf in flatten_element(item)]
    return [element]


def pack_element(structure, components):
    """Rebuilds `structure` (a nesting of tuples and dicts) around `components`."""
    return _pack(structure, iter(components))


def _pack(structure, components):
    if isinstance(structure, dict):
        packed = {key: _pack(structure[key], components) for key in sorted(structure)}
        return type(structure)((key, packed[key]) for key in structure)
    if isinstance(structure, tuple):
        items = [_pack(item, components) for item in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    return next(components)


def map_element(func, structure):
    """`structure` with `func` applied to each component."""
    return pack_element(structure, [func(leaf) for leaf in flatten_element(structure)])


def normalize_element(element):
    """A user's element as a structure of ndarrays; lists become tuples at the top levels
    returned by `map`, and values convert as `tf.constant` converts them."""
    if isinstance(element, list):
        element = tuple(element)
    if isinstance(element, dict):
        return type(element)((key, normalize_element(value)) for key, value in element.items())
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return tuple(normalize_element(item) for item in element)
    if isinstance(element, tuple):
        return type(element)(*(normalize_element(item) for item in element))
    return np.asarray(convert_to_tensor(element)._value)


def _convert_components(element):
    if _is_structure(element):
        return map_element(lambda leaf: np.asarray(convert_to_tensor(leaf)._value), element)
    return np.asarray(convert_to_tensor(element)._value)


def spec_of(arrays_structure):
    """The `element_spec` of a structure of ndarrays."""
    return map_element(lambda a: TensorSpec(a.shape, dtypes.as_dtype(a.dtype)),
                       arrays_structure)


def _spec_text(spec):
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{key!r}: {_spec_text(value)}"
                               for key, value in spec.items()) + "}"
    if isinstance(spec, tuple):
        inner = ", ".join(_spec_text(item) for item in spec)
        return f"({inner},)" if len(spec) == 1 else f"({inner})"
    return repr(spec)


class _Iterator:
    """Yields a dataset's elements as Tensors in the dataset's structure."""

    __slots__ = ("_components", "_spec")

    def __init__(self, components, spec):
        self._components = components
        self._spec = spec

    def __iter__(self):
        return self

    def __next__(self):
        return pack_element(self._spec, [wrap(a) for a in next(self._components)])

    def get_next(self):
        return self.__next__()

    @property
    def element_spec(self):
        return self._spec


class Dataset:
    """A sequence of elements, each a tensor or a tuple or dict of tensors.

    Made by `Dataset.from_tensor_slices`, `from_tensors` or `range` and chained with
    transformations; iterating it yields Tensors.

    >>> from eagerflow import data
    >>> ds = data.Dataset.from_tensor_slices([1, 2, 3]).map(lambda x: x * 2)
    >>> [int(x) for x in ds]
    [2, 4, 6]
    """

    def __init__(self, element_spec):
        self._element_spec = element_spec

    # --- what subclasses provide --------------------------------------------------------

    def _components(self):
        """An iterator over the elements as flat lists of ndarrays."""
        raise NotImplementedError

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _indexed(self):
        """`(arrays, make_order)` when every element is `[a[i] for a in arrays]` for an
        index from `make_order()` (None: in order); batching then slices whole batches."""
        return None

    # --- the element protocol -----------------------------------------------------------

    @property
    def element_spec(self):
        """The structure of `TensorSpec`s describing each element.

        >>> from eagerflow import data
        >>> data.Dataset.range(3).element_spec
        TensorSpec(shape=(), dtype=tf.int64, name=None)
        """
        return self._element_spec

    def __iter__(self):
        return _Iterator(iter(self._components()), self.element_spec)

    def as_numpy_iterator(self):
        """Iterates the elements as NumPy values (scalars for scalar components).

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(3).as_numpy_iterator()]
        [0, 1, 2]
        """
        spec = self.element_spec
        for components in self._components():
            yield pack_element(spec, [a[()] if a.ndim == 0 else a for a in
                                      (np.asarray(c) for c in components)])

    def cardinality(self):
        """The number of elements as an int64 scalar tensor, or `INFINITE_CARDINALITY` (-1)
        or `UNKNOWN_CARDINALITY` (-2).

        >>> from eagerflow import data
        >>> int(data.Dataset.range(5).repeat().cardinality())
        -1
        """
        return wrap(np.array(self._cardinality(), dtype=np.int64))

    def __len__(self):
        count = self._cardinality()
        if count == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if count == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return count

    def __bool__(self):
        return True

    def __repr__(self):
        return f"<{type(self).__name__} element_spec={_spec_text(self.element_spec)}>"

    # --- sources ------------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset whose elements are slices of `tensors` along their first dimension.

        Tuples and dicts keep their structure; every component must have the same size
        along the first dimension.

        >>> from eagerflow import data
        >>> ds = data.Dataset.from_tensor_slices(([1.0, 2.0], [3, 4]))
        >>> [(float(x), int(y)) for x, y in ds]
        [(1.0, 3), (2.0, 4)]
        """
        return _TensorSliceDataset(_convert_components(tensors))

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element, `tensors`.

        >>> from eagerflow import data
        >>> data.Dataset.from_tensors([1, 2]).element_spec
        TensorSpec(shape=(2,), dtype=tf.int32, name=None)
        """
        return _TensorDataset(_convert_components(tensors))

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None):
        """A dataset of a range of numbers, as Python's `range`; int64 by default.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(2, 10, 3)]
        [2, 5, 8]
        """
        return _RangeDataset(range(*(int(a) for a in args)), dtypes.as_dtype(output_type))

    @staticmethod
    def zip(*datasets, name=None):
        """A dataset of the elements of `datasets` side by side, until the shortest ends.

        `datasets` is a tuple or dict of datasets, or the datasets as arguments.

        >>> from eagerflow import data
        >>> ds = data.Dataset.zip(data.Dataset.range(3), data.Dataset.range(5))
        >>> [(int(a), int(b)) for a, b in ds]
        [(0, 0), (1, 1), (2, 2)]
        """
        if len(datasets) == 1:
            datasets = datasets[0]
        return _transformations._ZipDataset(datasets)

    # --- transformations ----------------------------------------------------------------

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stacks consecutive elements into batches of `batch_size`.

        The last batch may be smaller unless `drop_remainder`; its leading dimension is
        then `None` in `element_spec`.

        >>> from eagerflow import data
        >>> [b.numpy().tolist() for b in data.Dataset.range(7).batch(3)]
        [[0, 1, 2], [3, 4, 5], [6]]
        """
        return _transformations._BatchDataset(self, batch_size, drop_remainder)

    def unbatch(self, name=None):
        """Splits each element into its slices along the first dimension.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(5).batch(2).unbatch()]
        [0, 1, 2, 3, 4]
        """
        return _transformations._UnbatchDataset(self)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies `map_func` to each element; a tuple element is passed as arguments.

        >>> from eagerflow import data
        >>> ds = data.Dataset.from_tensor_slices(([1, 2], [3, 4])).map(lambda a, b: a + b)
        >>> [int(x) for x in ds]
        [4, 6]
        """
        return _transformations._MapDataset(self, map_func)

    def filter(self, predicate, name=None):
        """Keeps the elements for which `predicate` returns True.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(6).filter(lambda x: x % 2 == 0)]
        [0, 2, 4]
        """
        return _transformations._FilterDataset(self, predicate)

    def repeat(self, count=None, name=None):
        """Repeats the dataset `count` times; forever when `count` is None or -1.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(2).repeat(2)]
        [0, 1, 0, 1]
        """
        return _transformations._RepeatDataset(self, count)

    def take(self, count, name=None):
        """The first `count` elements (all of them when `count` is -1).

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(10).take(3)]
        [0, 1, 2]
        """
        return _transformations._TakeDataset(self, count)

    def skip(self, count, name=None):
        """All but the first `count` elements (none when `count` is -1).

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(5).skip(3)]
        [3, 4]
        """
        return _transformations._SkipDataset(self, count)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Shuffles the elements through a buffer of `buffer_size` elements.

        The buffer is filled with the first `buffer_size` elements; each step emits one
        of them at random and puts the next element in its place. A buffer at least as
        large as the dataset gives a uniform shuffle; a buffer of 1 keeps the order.

        >>> from eagerflow import data
        >>> sorted(int(x) for x in data.Dataset.range(5).shuffle(5, seed=1))
        [0, 1, 2, 3, 4]
        """
        return _transformations._ShuffleDataset(self, buffer_size, seed,
                                                reshuffle_each_iteration)

    def prefetch(self, buffer_size, name=None):
        """Prepares up to `buffer_size` elements ahead in a background thread.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(3).prefetch(data.AUTOTUNE)]
        [0, 1, 2]
        """
        return _transformations._PrefetchDataset(self, buffer_size)

    def concatenate(self, dataset, name=None):
        """The elements of this dataset followed by those of `dataset`.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(2).concatenate(data.Dataset.range(2))]
        [0, 1, 0, 1]
        """
        return _transformations._ConcatenateDataset(self, dataset)

    def enumerate(self, start=0, name=None):
        """Pairs each element with its int64 index, counting from `start`.

        >>> from eagerflow import data
        >>> [(int(i), int(x)) for i, x in data.Dataset.range(5, 7).enumerate()]
        [(0, 5), (1, 6)]
        """
        return Dataset.zip((Dataset.range(start, np.iinfo(np.int64).max), self))

    def reduce(self, initial_state, reduce_func, name=None):
        """Folds the elements into `initial_state` with `reduce_func(state, element)`.

        >>> from eagerflow import data
        >>> import numpy as np
        >>> int(data.Dataset.range(4).reduce(np.int64(0), lambda total, x: total + x))
        6
        """
        state = map_element(wrap, normalize_element(initial_state))
        for element in self:
            args = element if isinstance(element, tuple) else (element,)
            state = map_element(wrap, normalize_element(reduce_func(state, *args)))
        return state


class _TensorSliceDataset(Dataset):

    def __init__(self, arrays):
        flat = flatten_element(arrays)
        for array in flat:
            if array.ndim == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        sizes = [len(array) for array in flat]
        for size in sizes[1:]:
            if size != sizes[0]:
                raise ValueError(f"Dimensions {sizes[0]} and {size} are not compatible")
        super().__init__(map_element(
            lambda a: TensorSpec(a.shape[1:], dtypes.as_dtype(a.dtype)), arrays))
        self._arrays = flat
        self._size = sizes[0]

    def _cardinality(self):
        return self._size

    def _indexed(self):
        return self._arrays, lambda: None

    def _components(self):
        arrays = self._arrays
        for index in range(self._size):
            yield [array[index] for array in arrays]


class _TensorDataset(Dataset):

    def __init__(self, arrays):
        super().__init__(spec_of(arrays))
        self._arrays = flatten_element(arrays)

    def _cardinality(self):
        return 1

    def _components(self):
        yield list(self._arrays)


class _RangeDataset(Dataset):

    def __init__(self, numbers, dtype):
        super().__init__(TensorSpec((), dtype))
        self._numbers = numbers
        self._np_type = np.dtype(dtype._np).type

    def _cardinality(self):
        return len(self._numbers)

    def _components(self):
        np_type = self._np_type
        for number in self._numbers:
            yield [np_type(number)]


from eagerflow.data import transformations as _transformations  # noqa: E402 - needs Dataset
