"""Dataset element structure: `TensorSpec`, and flattening and packing of elements.

Tuples and dicts are structure; lists and everything else are tensors, as in TensorFlow's
dataset structures.
"""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.framework.tensor_shape import TensorShape


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
