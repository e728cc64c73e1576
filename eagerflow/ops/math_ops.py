"""Elementwise math, comparisons, logical and bitwise ops, and casts, each with its gradient."""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError, NotFoundError, UnimplementedError
from eagerflow.framework.op import DTYPE_CATEGORIES, op_error, primitive, tf_type_name
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor


def _tf_name(np_dtype):
    return tf_type_name(dtypes.from_numpy(np_dtype))


def _no_kernel(op_name, np_dtype):
    """The error for dtypes TensorFlow's op accepts but has no CPU kernel for."""
    enum = "DT_" + _tf_name(np_dtype).upper()
    return NotFoundError(None, None, f"Could not find device for node: {{{{node {op_name}}}}} = "
                                     f"{op_name}[T={enum}] [Op:{op_name}]")


def require_bool(op_name, array, index=0):
    """Raises TensorFlow's error for a non-bool input of an op defined on bools only."""
    if array.dtype != np.bool_:
        raise op_error(op_name, f"cannot compute {op_name} as input #{index}(zero-based) was "
                                f"expected to be a bool tensor but is a {_tf_name(array.dtype)} "
                                "tensor")


def _unless_zero(dy, dx):
    # TensorFlow's SqrtGrad, RsqrtGrad and ReciprocalGrad give 0 where dy is 0, even where
    # the derivative itself is inf or nan: `tf.where(x > 0, tf.sqrt(x), 0.0)` stays finite.
    return where(equal(dy, 0), 0, dx)


# --- arithmetic -------------------------------------------------------------------------

@primitive("AddV2", dtypes="numeric")
def add(x, y):
    """Returns `x + y` element-wise, with broadcasting.

    >>> tf.add(tf.constant([1.0, 2.0]), 1.0).numpy().tolist()
    [2.0, 3.0]
    """
    return np.add(x, y)


@add.gradient
def _add_grad(op, dy):
    return [dy, dy]


@primitive("Sub", dtypes="numeric")
def subtract(x, y):
    """Returns `x - y` element-wise, with broadcasting.

    >>> tf.subtract(5, 2).numpy().tolist()
    3
    """
    return np.subtract(x, y)


@subtract.gradient
def _subtract_grad(op, dy):
    return [dy, -dy]


@primitive("Mul", dtypes="numeric")
def multiply(x, y):
    """Returns `x * y` element-wise, with broadcasting.

    >>> tf.multiply(tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])).numpy().tolist()
    [3.0, 8.0]
    """
    return np.multiply(x, y)


@multiply.gradient
def _multiply_grad(op, dy):
    x, y = op.inputs
    need_x, need_y = op.needs_grad
    return [dy * conj(y) if need_x else None, dy * conj(x) if need_y else None]


_TRUEDIV_RESULT = {np.dtype(t): r for t, r in [
    (np.int8, np.float32), (np.uint8, np.float32), (np.int16, np.float32),
    (np.uint16, np.float32), (np.int32, np.float64), (np.uint32, np.float64),
    (np.int64, np.float64), (np.uint64, np.float64)]}


@primitive("RealDiv", dtypes="numeric")
def _real_div(x, y):
    result = _TRUEDIV_RESULT.get(x.dtype)
    if result is not None:
        return np.true_divide(x, y, dtype=result)
    return np.true_divide(x, y)


def truediv(x, y, name=None):
    """Divides `x / y`; integers are first converted to floats (int32 to float64).

    >>> tf.math.truediv(tf.constant([1.0, 3.0]), 2.0).numpy().tolist()
    [0.5, 1.5]

    Raises:
      TypeError: if `x` and `y` have different dtypes, or a non-numeric one.
    """
    try:
        return _real_div(x, y)
    except (InvalidArgumentError, TypeError):
        message = _truediv_dtype_message(x, y)
        if message is None:
            raise
        raise TypeError(message) from None


def _operand_dtype(value, hint=None):
    if is_tensor(value):
        return value.dtype
    try:
        return convert_to_tensor(value, dtype_hint=hint).dtype
    except (TypeError, ValueError):
        return None


def _truediv_dtype_message(x, y):
    """TensorFlow's message when `x / y` fails on dtypes (it checks before dividing)."""
    x_dtype = _operand_dtype(x)
    y_dtype = _operand_dtype(y, x_dtype)
    if x_dtype is not None and not x_dtype.is_numeric:
        expected = ", ".join(repr(d) for d in _TRUEDIV_DTYPES)
        return f"Invalid dtype {x_dtype!r} in __truediv__. Expected one of {{{expected}}}."
    if x_dtype is not None and y_dtype is not None and x_dtype != y_dtype:
        return f"`x` and `y` must have the same dtype, got {x_dtype!r} != {y_dtype!r}."
    return None


_TRUEDIV_DTYPES = (dtypes.uint8, dtypes.int8, dtypes.uint16, dtypes.int16, dtypes.uint32,
                   dtypes.int32, dtypes.uint64, dtypes.int64, dtypes.float16, dtypes.float32,
                   dtypes.float64, dtypes.complex64, dtypes.complex128)


@_real_div.gradient
def _truediv_grad(op, dy):
    x, y = op.inputs
    (z,) = op.outputs
    need_x, need_y = op.needs_grad
    return [dy / conj(y) if need_x else None, -dy * conj(z / y) if need_y else None]


def divide(x, y, name=None):
    """Computes Python style division of `x` by `y` (`x / y`).

    >>> tf.divide(7, 2).numpy().tolist()
    3.5
    """
    return truediv(x, y)


@primitive("FloorDiv", dtypes="numeric", differentiable=False)
def floordiv(x, y):
    """Divides `x // y`, rounding toward negative infinity.

    >>> tf.math.floordiv(tf.constant([5, -5]), 3).numpy().tolist()
    [1, -2]
    """
    if y.dtype.kind == "c":
        raise _no_kernel("FloorDiv", y.dtype)
    if y.dtype.kind in "iu" and not np.all(y):
        raise ValueError("Integer division by zero")
    return np.floor_divide(x, y)


@primitive("FloorMod", dtypes="real")
def floormod(x, y):
    """Returns the remainder of `x // y`, with the sign of `y` (Python's `%`).

    >>> tf.math.floormod(tf.constant([5, -5]), 3).numpy().tolist()
    [2, 1]
    """
    if y.dtype.kind in "iu" and not np.all(y):
        raise ValueError("Integer division by zero")
    return np.mod(x, y)


@floormod.gradient
def _floormod_grad(op, dy):
    x, y = op.inputs
    return [dy, -dy * floor(x / y)]


@primitive("Pow", dtypes="signed")
def pow(x, y):  # noqa: A001 - TensorFlow's public name
    """Computes `x ** y` element-wise.

    >>> tf.pow(tf.constant([2.0, 3.0]), 2.0).numpy().tolist()
    [4.0, 9.0]
    """
    if y.dtype.kind == "i" and np.any(y < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    return np.power(x, y)


@pow.gradient
def _pow_grad(op, dy):
    x, y = op.inputs
    (z,) = op.outputs
    need_x, need_y = op.needs_grad
    dx = dy * y * pow(x, y - 1) if need_x else None
    dy_ = None
    if need_y:
        positive = greater(x, 0) if not x.dtype.is_complex else not_equal(x, 0)
        log_x = where(positive, log(where(positive, x, 1)), 0)
        dy_ = dy * z * log_x
    return [dx, dy_]


@primitive("Neg", dtypes="signed")
def negative(x):
    """Computes `-x` element-wise.

    >>> tf.negative(tf.constant([1, -2])).numpy().tolist()
    [-1, 2]
    """
    return np.negative(x)


@negative.gradient
def _negative_grad(op, dy):
    return [-dy]


@primitive("Abs", dtypes="signed")
def abs(x):  # noqa: A001 - TensorFlow's public name
    """Computes the absolute value element-wise (the magnitude for complex numbers).

    >>> tf.abs(tf.constant([-1.5, 2.0])).numpy().tolist()
    [1.5, 2.0]
    """
    return np.abs(x)


@abs.gradient
def _abs_grad(op, dy):
    (x,) = op.inputs
    if x.dtype.is_complex:  # |x| is real: the gradient is dy * x / |x| (0 at 0)
        return [cast(dy, x.dtype) * sign(x)]
    return [dy * sign(x)]


@primitive("Sign", dtypes="signed")
def sign(x):
    """Returns -1, 0 or 1 according to the sign of `x`.

    >>> tf.sign(tf.constant([-2.0, 0.0, 3.0])).numpy().tolist()
    [-1.0, 0.0, 1.0]
    """
    return np.sign(x)


@sign.gradient
def _sign_grad(op, dy):
    return [dy * 0]  # zero almost everywhere, as TensorFlow returns


@primitive("Square", dtypes="numeric")
def square(x):
    """Computes `x * x` element-wise.

    >>> tf.square(tf.constant([2.0, -3.0])).numpy().tolist()
    [4.0, 9.0]
    """
    return np.square(x)


@square.gradient
def _square_grad(op, dy):
    (x,) = op.inputs
    return [dy * (2 * conj(x))]


@primitive("Sqrt", dtypes="inexact")
def sqrt(x):
    """Computes the square root element-wise.

    >>> tf.sqrt(tf.constant([4.0, 9.0])).numpy().tolist()
    [2.0, 3.0]
    """
    return np.sqrt(x)


@sqrt.gradient
def _sqrt_grad(op, dy):
    (y,) = op.outputs
    return [_unless_zero(dy, dy * 0.5 / conj(y))]


@primitive("Rsqrt", dtypes="inexact")
def rsqrt(x):
    """Computes `1 / sqrt(x)` element-wise.

    >>> tf.math.rsqrt(tf.constant([4.0])).numpy().tolist()
    [0.5]
    """
    return np.reciprocal(np.sqrt(x))


@rsqrt.gradient
def _rsqrt_grad(op, dy):
    (y,) = op.outputs
    return [_unless_zero(dy, dy * -0.5 * conj(y * y * y))]


@primitive("Reciprocal", dtypes="signed")
def reciprocal(x):
    """Computes `1 / x` element-wise (floating and complex tensors).

    >>> tf.math.reciprocal(tf.constant([2.0, 4.0])).numpy().tolist()
    [0.5, 0.25]
    """
    if x.dtype.kind == "i":
        raise _no_kernel("Reciprocal", x.dtype)
    return np.reciprocal(x)


@reciprocal.gradient
def _reciprocal_grad(op, dy):
    (y,) = op.outputs
    return [_unless_zero(dy, -dy * conj(y * y))]


@primitive("Exp", dtypes="inexact")
def exp(x):
    """Computes `e ** x` element-wise.

    >>> float(tf.exp(tf.constant(0.0)))
    1.0
    """
    return np.exp(x)


@exp.gradient
def _exp_grad(op, dy):
    (y,) = op.outputs
    return [dy * conj(y)]


@primitive("Expm1", dtypes="inexact")
def expm1(x):
    """Computes `exp(x) - 1` element-wise, accurately for small `x`.

    >>> float(tf.math.expm1(tf.constant(0.0)))
    0.0
    """
    return np.expm1(x)


@expm1.gradient
def _expm1_grad(op, dy):
    (x,) = op.inputs
    return [dy * conj(exp(x))]


@primitive("Log", dtypes="inexact")
def log(x):
    """Computes the natural logarithm element-wise.

    >>> float(tf.math.log(tf.constant(1.0)))
    0.0
    """
    return np.log(x)


@log.gradient
def _log_grad(op, dy):
    (x,) = op.inputs
    return [dy / conj(x)]


@primitive("Log1p", dtypes="inexact")
def log1p(x):
    """Computes `log(1 + x)` element-wise, accurately for small `x`.

    >>> float(tf.math.log1p(tf.constant(0.0)))
    0.0
    """
    return np.log1p(x)


@log1p.gradient
def _log1p_grad(op, dy):
    (x,) = op.inputs
    return [dy / conj(1 + x)]


@primitive("Sin", dtypes="inexact")
def sin(x):
    """Computes sine element-wise.

    >>> float(tf.sin(tf.constant(0.0)))
    0.0
    """
    return np.sin(x)


@sin.gradient
def _sin_grad(op, dy):
    (x,) = op.inputs
    return [dy * conj(cos(x))]


@primitive("Cos", dtypes="inexact")
def cos(x):
    """Computes cosine element-wise.

    >>> float(tf.cos(tf.constant(0.0)))
    1.0
    """
    return np.cos(x)


@cos.gradient
def _cos_grad(op, dy):
    (x,) = op.inputs
    return [-dy * conj(sin(x))]


@primitive("Tan", dtypes="inexact")
def tan(x):
    """Computes tangent element-wise.

    >>> float(tf.tan(tf.constant(0.0)))
    0.0
    """
    return np.tan(x)


@tan.gradient
def _tan_grad(op, dy):
    (y,) = op.outputs
    return [dy * conj(1 + y * y)]


@primitive("Tanh", dtypes="inexact")
def tanh(x):
    """Computes hyperbolic tangent element-wise.

    >>> float(tf.math.tanh(0.0))
    0.0
    """
    return np.tanh(x)


@tanh.gradient
def _tanh_grad(op, dy):
    (y,) = op.outputs
    return [dy * conj(1 - y * y)]


@primitive("Sigmoid", dtypes="inexact")
def sigmoid(x):
    """Computes `1 / (1 + exp(-x))` element-wise.

    >>> float(tf.sigmoid(tf.constant(0.0)))
    0.5
    """
    return np.reciprocal(1 + np.exp(np.negative(x)))


@sigmoid.gradient
def _sigmoid_grad(op, dy):
    (y,) = op.outputs
    return [dy * conj(y * (1 - y))]


def _min_max_grad(op, dy, take_x):
    x, y = op.inputs
    need_x, need_y = op.needs_grad
    mask = take_x(x, y)
    zero = dy * 0
    return [where(mask, dy, zero) if need_x else None,
            where(mask, zero, dy) if need_y else None]


@primitive("Maximum", dtypes="real")
def maximum(x, y):
    """Returns the larger of `x` and `y` element-wise, with broadcasting.

    >>> tf.maximum(tf.constant([1.0, 5.0]), 3.0).numpy().tolist()
    [3.0, 5.0]
    """
    return np.maximum(x, y)


@maximum.gradient
def _maximum_grad(op, dy):
    return _min_max_grad(op, dy, greater_equal)


@primitive("Minimum", dtypes="real")
def minimum(x, y):
    """Returns the smaller of `x` and `y` element-wise, with broadcasting.

    >>> tf.minimum(tf.constant([1.0, 5.0]), 3.0).numpy().tolist()
    [1.0, 3.0]
    """
    return np.minimum(x, y)


@minimum.gradient
def _minimum_grad(op, dy):
    return _min_max_grad(op, dy, less_equal)


@primitive("Round", dtypes="numeric", differentiable=False)
def round(x):  # noqa: A001 - TensorFlow's public name
    """Rounds to the nearest integer, halves to even (banker's rounding).

    >>> tf.round(tf.constant([0.5, 1.5, 2.5, -0.5])).numpy().tolist()
    [0.0, 2.0, 2.0, -0.0]
    """
    if x.dtype.kind == "c":
        raise _no_kernel("Round", x.dtype)
    return np.round(x)


@primitive("Floor", dtypes="floating", differentiable=False)
def floor(x):
    """Returns the largest integer not greater than `x`, element-wise.

    >>> tf.floor(tf.constant([1.5, -1.5])).numpy().tolist()
    [1.0, -2.0]
    """
    return np.floor(x)


@primitive("Ceil", dtypes="floating", differentiable=False)
def ceil(x):
    """Returns the smallest integer not less than `x`, element-wise.

    >>> tf.math.ceil(tf.constant([1.5, -1.5])).numpy().tolist()
    [2.0, -1.0]
    """
    return np.ceil(x)


@primitive("Conj")
def conj(x):
    """Returns the complex conjugate; real tensors are returned unchanged.

    >>> tf.math.conj(tf.constant([1 + 2j])).numpy().tolist()
    [(1-2j)]
    """
    kind = x.dtype.kind
    if kind == "c":
        return np.conjugate(x)
    if kind not in "iuf":
        raise TypeError(f"Expected numeric or variant tensor, got dtype "
                        f"{dtypes.from_numpy(x.dtype)!r}.")
    return x


@conj.gradient
def _conj_grad(op, dy):
    return [conj(dy)]


# --- comparisons, logic and bits -------------------------------------------------------

def _comparison(name, np_func, doc, dtypes=None):
    def forward(x, y):
        return np_func(x, y)
    forward.__name__ = np_func.__name__
    forward.__doc__ = doc
    forward.__module__ = __name__
    return primitive(name, dtypes=dtypes, differentiable=False)(forward)


equal = _comparison("Equal", np.equal, """Returns the truth value of `x == y` element-wise.

    >>> tf.equal(tf.constant([1, 2]), 2).numpy().tolist()
    [False, True]
    """)
not_equal = _comparison("NotEqual", np.not_equal, """Returns the truth value of `x != y`.

    >>> tf.not_equal(tf.constant([1, 2]), 2).numpy().tolist()
    [True, False]
    """)
less = _comparison("Less", np.less, """Returns the truth value of `x < y` element-wise.

    >>> tf.less(tf.constant([1, 2]), 2).numpy().tolist()
    [True, False]
    """, dtypes="real")
less_equal = _comparison("LessEqual", np.less_equal, """Returns the truth value of `x <= y`.

    >>> tf.less_equal(tf.constant([1, 3]), 2).numpy().tolist()
    [True, False]
    """, dtypes="real")
greater = _comparison("Greater", np.greater, """Returns the truth value of `x > y`.

    >>> tf.greater(tf.constant([1, 3]), 2).numpy().tolist()
    [False, True]
    """, dtypes="real")
greater_equal = _comparison("GreaterEqual", np.greater_equal, """Returns the truth value of
    `x >= y` element-wise.

    >>> tf.greater_equal(tf.constant([1, 2]), 2).numpy().tolist()
    [False, True]
    """, dtypes="real")


@primitive("LogicalAnd", differentiable=False)
def logical_and(x, y):
    """Returns the truth value of `x AND y` element-wise.

    >>> tf.logical_and(tf.constant([True, True]), tf.constant([True, False])).numpy().tolist()
    [True, False]
    """
    require_bool("LogicalAnd", x)
    return np.logical_and(x, y)


@primitive("LogicalOr", differentiable=False)
def logical_or(x, y):
    """Returns the truth value of `x OR y` element-wise.

    >>> tf.logical_or(tf.constant([False, True]), False).numpy().tolist()
    [False, True]
    """
    require_bool("LogicalOr", x)
    return np.logical_or(x, y)


@primitive("LogicalXor", differentiable=False)
def logical_xor(x, y):
    """Returns the truth value of `x XOR y` element-wise.

    >>> tf.math.logical_xor(tf.constant([True, True]), True).numpy().tolist()
    [False, False]
    """
    require_bool("LogicalXor", x)
    return np.logical_xor(x, y)


@primitive("LogicalNot", differentiable=False)
def logical_not(x):
    """Returns the truth value of `NOT x` element-wise.

    >>> tf.logical_not(tf.constant([True, False])).numpy().tolist()
    [False, True]
    """
    require_bool("LogicalNot", x)
    return np.logical_not(x)


@primitive("BitwiseAnd", dtypes="integer", differentiable=False)
def bitwise_and(x, y):
    """Elementwise bitwise AND of integers.

    >>> tf.bitwise.bitwise_and(12, 10).numpy().tolist()
    8
    """
    return np.bitwise_and(x, y)


@primitive("BitwiseOr", dtypes="integer", differentiable=False)
def bitwise_or(x, y):
    """Elementwise bitwise OR of integers.

    >>> tf.bitwise.bitwise_or(12, 10).numpy().tolist()
    14
    """
    return np.bitwise_or(x, y)


@primitive("BitwiseXor", dtypes="integer", differentiable=False)
def bitwise_xor(x, y):
    """Elementwise bitwise XOR of integers.

    >>> tf.bitwise.bitwise_xor(12, 10).numpy().tolist()
    6
    """
    return np.bitwise_xor(x, y)


@primitive("Invert", dtypes="integer", differentiable=False)
def invert(x):
    """Flips every bit of integers (`~x`).

    >>> tf.bitwise.invert(tf.constant([1, 2])).numpy().tolist()
    [-2, -3]
    """
    return np.invert(x)


@primitive("SelectV2", same_dtype=(1, 2))
def _select(condition, x, y):
    require_bool("SelectV2", condition)
    try:
        return np.where(condition, x, y)
    except ValueError:
        shapes = ["[" + ",".join(str(d) for d in a.shape) + "]" for a in (condition, x, y)]
        raise op_error("SelectV2", "condition {}, then {}, and else {} must be "
                                   "broadcastable".format(*shapes)) from None


@_select.gradient
def _select_grad(op, dy):
    condition = op.inputs[0]
    zero = dy * 0
    return [None, where(condition, dy, zero), where(condition, zero, dy)]


@primitive("Where", dtypes=DTYPE_CATEGORIES["numeric"] + (dtypes.bool,), differentiable=False)
def _where_indices(condition):
    if condition.ndim == 0:
        raise op_error("Where", "WhereOp : Unhandled input dimensions: 0")
    return np.argwhere(condition).astype(np.int64)


def where(condition, x=None, y=None, name=None):
    """Picks from `x` where `condition` is True and from `y` elsewhere, with broadcasting.

    With only `condition`, returns the int64 coordinates of its True (non-zero) elements.

    >>> tf.where(tf.constant([True, False]), 1.0, 0.0).numpy().tolist()
    [1.0, 0.0]
    >>> tf.where(tf.constant([False, True, True])).numpy().tolist()
    [[1], [2]]
    """
    if x is None and y is None:
        return _where_indices(condition)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return _select(condition, x, y)


# --- casts ------------------------------------------------------------------------------

@primitive("Cast", inputs=1)
def _cast(x, dtype):
    target = dtypes.as_dtype(dtype)
    if (target is dtypes.string) != (x.dtype.kind in "OSU"):
        raise UnimplementedError(None, None, f"Cast {_tf_name(x.dtype)} to "
                                             f"{tf_type_name(target)} is not supported [Op:Cast]")
    if x.dtype.kind == "c" and not target.is_complex:
        x = np.real(x)
    return np.asarray(x).astype(target.as_numpy_dtype)


@_cast.gradient
def _cast_grad(op, dy):
    (x,) = op.inputs
    if (x.dtype.is_floating or x.dtype.is_complex) and (dy.dtype.is_floating
                                                         or dy.dtype.is_complex):
        return [cast(dy, x.dtype)]
    return [None]


def cast(x, dtype, name=None):
    """Casts `x` to `dtype`; floats to integers truncate toward zero.

    >>> tf.cast(tf.constant([-1.7, 2.7]), tf.int32).numpy().tolist()
    [-1, 2]
    """
    dtype = dtypes.as_dtype(dtype)
    if isinstance(x, Tensor) and x.dtype == dtype:
        return x
    return _cast(x, dtype)
