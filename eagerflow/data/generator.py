"""`Dataset.from_generator`: elements from a Python generator, checked against a signature."""

import numpy as np

from eagerflow.data.dataset import (
    Dataset, TensorSpec, UNKNOWN_CARDINALITY, flatten_element, map_element)
from eagerflow.data.op_errors import iteration_error
from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.framework.tensor_shape import TensorShape


def _text(structure):
    """A structure of dtypes or values as TensorFlow prints it in its messages."""
    if isinstance(structure, dict):
        items = ", ".join(f"{key!r}: {_text(value)}" for key, value in structure.items())
        return "{" + items + "}"
    if isinstance(structure, tuple):
        inner = ", ".join(_text(item) for item in structure)
        return f"({inner},)" if len(structure) == 1 else f"({inner})"
    return repr(structure)


def _signature(output_types, output_shapes, output_signature):
    if output_signature is not None:
        if output_types is not None:
            raise TypeError("The `output_types` argument can not be used together with the "
                            "`output_signature` argument.")
        if output_shapes is not None:
            raise TypeError("The `output_shapes` argument can not be used together with the "
                            "`output_signature` argument.")
        for spec in flatten_element(output_signature):
            if not isinstance(spec, TensorSpec):
                raise TypeError(f"`output_signature` must contain objects that are subclass "
                                f"of `tf.TypeSpec` but found {type(spec)} which is not.")
        return output_signature
    if output_types is None:
        raise TypeError("To specify the output signature you need to provide either the "
                        "`output_signature` argument or the `output_types` argument.")
    if output_shapes is None:
        return map_element(lambda t: TensorSpec(None, t), output_types)
    # output_shapes follows output_types' structure; a shape is a leaf even as a tuple.
    shapes = iter(_flatten_shapes(output_types, output_shapes))
    return map_element(lambda t: TensorSpec(next(shapes), t), output_types)


def _flatten_shapes(types, shapes):
    if isinstance(types, dict):
        return [s for key in sorted(types) for s in _flatten_shapes(types[key], shapes[key])]
    if isinstance(types, tuple):
        return [s for t, shape in zip(types, shapes) for s in _flatten_shapes(t, shape)]
    return [shapes]


def _matches(signature, value):
    """True when `value` nests as `signature` does (a list never stands for a tuple)."""
    if isinstance(signature, dict):
        return (isinstance(value, dict) and set(value) == set(signature)
                and all(_matches(signature[key], value[key]) for key in signature))
    if isinstance(signature, tuple):
        return (isinstance(value, tuple) and len(value) == len(signature)
                and all(_matches(s, v) for s, v in zip(signature, value)))
    return True


def _yield_error(message):
    return iteration_error(InvalidArgumentError, f"TypeError: `generator` {message}")


def _convert(value, spec):
    dtype = spec.dtype
    try:
        if dtype == dtypes.string:
            array = np.asarray(convert_to_tensor(value, dtype)._value)
        else:
            array = np.asarray(value).astype(dtype.as_numpy_dtype, copy=False)
    except (TypeError, ValueError) as err:
        raise _yield_error(
            f"yielded an element that could not be converted to the expected type. The "
            f"expected type was {dtype.name}, but the yielded element was {value}.") from err
    if not spec.shape.is_compatible_with(TensorShape(array.shape)):
        raise _yield_error(f"yielded an element of shape {TensorShape(array.shape)} where an "
                           f"element of shape {spec.shape} was expected.")
    return array


class _GeneratorDataset(Dataset):

    _repr_name = "_FlatMapDataset"  # TensorFlow flat-maps the generator over a range

    def __init__(self, generator, signature, args):
        super().__init__(signature)
        self._generator = generator
        self._args = args
        self._specs = flatten_element(signature)

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _components(self):
        signature, specs = self._element_spec, self._specs
        for value in self._generator(*self._args):
            if not _matches(signature, value):
                types = map_element(lambda s: s.dtype, signature)
                raise _yield_error(
                    f"yielded an element that did not match the expected structure. The "
                    f"expected structure was {_text(types)}, but the yielded element was "
                    f"{_text(value)}.")
            yield [_convert(leaf, spec)
                   for leaf, spec in zip(flatten_element(value), specs)]


def from_generator(generator, output_types=None, output_shapes=None, args=None,
                   output_signature=None, name=None):
    """`Dataset.from_generator`; `args` reach the generator as NumPy values (bytes for
    strings), as in TensorFlow."""
    if not callable(generator):
        raise TypeError("`generator` must be a Python callable.")
    signature = _signature(output_types, output_shapes, output_signature)
    signature = map_element(lambda s: TensorSpec(s.shape, s.dtype), signature)
    converted = tuple(_as_arg(a) for a in (args or ()))
    return _GeneratorDataset(generator, signature, converted)


def _as_arg(value):
    array = np.asarray(convert_to_tensor(value)._value)
    if array.dtype.kind == "O":
        array = np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                             otypes=[object])(array)
    return array[()] if array.ndim == 0 else array
