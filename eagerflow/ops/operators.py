"""Python's operators on Tensor and Variable, bound to the ops they mean."""

import numpy as np

from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor, wrap
from eagerflow.framework.variables import Variable
from eagerflow.ops import array_ops, linalg_ops, math_ops


def _logical_or_bitwise(logical, bitwise):
    """`&`, `|`, `^`: logical for bool tensors, bitwise for integers."""
    def operator(x, y):
        reference = x if is_tensor(x) else y
        return logical(x, y) if reference.dtype.is_bool else bitwise(x, y)
    return operator


def _reflected(op):
    """`other <op> self`: a Python or NumPy left operand is converted to the tensor's dtype
    first, as TensorFlow does (`1.0 / int_tensor` fails in that conversion, not in the op)."""
    def operator(self, other):
        if isinstance(other, (np.ndarray, np.generic)):
            other = wrap(np.asarray(other, dtype=self.dtype.as_numpy_dtype))
        elif not is_tensor(other):
            other = convert_to_tensor(other, self.dtype)
        return op(other, self)
    return operator


def _equality(op, incompatible):
    """`==` and `!=` are elementwise, but None or unbroadcastable shapes compare as Python."""
    def operator(self, other):
        if other is None:
            return incompatible
        try:
            return op(self, other)
        except InvalidArgumentError as err:
            if "Incompatible shapes" in str(err):
                return wrap(np.bool_(incompatible))
            raise
    return operator


def _invert(x):
    return math_ops.logical_not(x) if x.dtype.is_bool else math_ops.invert(x)


_and = _logical_or_bitwise(math_ops.logical_and, math_ops.bitwise_and)
_or = _logical_or_bitwise(math_ops.logical_or, math_ops.bitwise_or)
_xor = _logical_or_bitwise(math_ops.logical_xor, math_ops.bitwise_xor)

_BINARY = {
    "add": math_ops.add, "sub": math_ops.subtract, "mul": math_ops.multiply,
    "truediv": math_ops.truediv, "floordiv": math_ops.floordiv, "mod": math_ops.floormod,
    "pow": math_ops.pow, "matmul": linalg_ops.matmul, "and": _and, "or": _or, "xor": _xor,
}
_METHODS = {
    "__lt__": math_ops.less, "__le__": math_ops.less_equal, "__gt__": math_ops.greater,
    "__ge__": math_ops.greater_equal, "__eq__": _equality(math_ops.equal, False),
    "__ne__": _equality(math_ops.not_equal, True), "__neg__": math_ops.negative,
    "__abs__": math_ops.abs, "__invert__": _invert,
}


def install():
    for cls in (Tensor, Variable):
        for name, op in _BINARY.items():
            setattr(cls, f"__{name}__", op)
            setattr(cls, f"__r{name}__", _reflected(op))
        for name, op in _METHODS.items():
            setattr(cls, name, op)
        cls.__pos__ = lambda self: self
    Tensor.__getitem__ = array_ops.tensor_getitem
    Variable.__getitem__ = array_ops.variable_getitem
