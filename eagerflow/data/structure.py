"""Dataset element structure: `TensorSpec`, and flattening and packing of elements.

Tuples and dicts are structure; lists and everything else are tensors, as in TensorFlow's
dataset structures.
"""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.framework.tensor_spec import TensorSpec  # noqa: F401 - the element spec


class DatasetValue:
    """The base of `Dataset`: a dataset can stand as one component of an element (each
    window of `Dataset.window`, or what `map` returns from it)."""

    __slots__ = ()


class DatasetSpec:
    """The spec of a dataset-valued element, such as each window of `Dataset.window`."""

    __slots__ = ("_element_spec", "_dataset_shape")

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    @property
    def element_spec(self):
        return self._element_spec

    def __eq__(self, other):
        return (type(other) is type(self) and self._element_spec == other._element_spec
                and str(self._dataset_shape) == str(other._dataset_shape))

    def __hash__(self):
        return hash(repr(self))

    def __repr__(self):
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


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
    if isinstance(element, DatasetValue):
        return element
    return np.asarray(convert_to_tensor(element)._value)


def _convert_components(element):
    if _is_structure(element):
        return map_element(lambda leaf: np.asarray(convert_to_tensor(leaf)._value), element)
    return np.asarray(convert_to_tensor(element)._value)


def spec_of(arrays_structure):
    """The `element_spec` of a structure of ndarrays (and datasets)."""
    return map_element(_spec_of_component, arrays_structure)


def _spec_of_component(component):
    if isinstance(component, DatasetValue):
        return DatasetSpec(component.element_spec)
    return TensorSpec(component.shape, dtypes.as_dtype(component.dtype))


def _spec_text(spec):
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{key!r}: {_spec_text(value)}"
                               for key, value in spec.items()) + "}"
    if isinstance(spec, tuple):
        inner = ", ".join(_spec_text(item) for item in spec)
        return f"({inner},)" if len(spec) == 1 else f"({inner})"
    return repr(spec)
