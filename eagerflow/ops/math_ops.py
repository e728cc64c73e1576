"""Elementwise math, comparisons, logical and bitwise ops, and casts, each with its gradient."""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import primitive
from eagerflow.framework.tensor import Tensor


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
def truediv(x, y):
    """Divides `x / y`; integers are first converted to floats (int32 to float64).

    >>> tf.math.truediv(tf.constant([1.0, 3.0]), 2.0).numpy().tolist()
    [0.5, 1.5]
    """
    result = _TRUEDIV_RESULT.get(np.asarray(x).dtype)
    if result is not None:
        return np.true_divide(x, y, dtype=result)
    return np.true_divide(x, y)


@truediv.gradient
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


@primitive("FloorDiv", dtypes="real", differentiable=False)
def floordiv(x, y):
    """Divides `x // y`, rounding toward negative infinity.

    >>> tf.math.floordiv(tf.constant([5, -5]), 3).numpy().tolist()
    [1, -2]
    """
    if np.asarray(y).dtype.kind in "iu" and not np.all(y):
        raise ValueError("Integer division by zero")
    return np.floor_divide(x, y)


@primitive("FloorMod", dtypes="real")
def floormod(x, y):
    """Returns the remainder of `x // y`, with the sign of `y` (Python's `%`).

    >>> tf.math.floormod(tf.constant([5, -5]), 3).numpy().tolist()
    [2, 1]
    """
    if np.asarray(y).dtype.kind in "iu" and not np.all(y):
        raise ValueError("Integer division by zero")
    return np.mod(x, y)


@floormod.gradient
def _floormod_grad(op, dy):
    x, y = op.inputs
    return [dy, -dy * floor(x / y)]


@primitive("Pow", dtypes="numeric")
def pow(x, y):  # noqa: A001 - TensorFlow's public name
    """Computes `x ** y` element-wise.

    >>> tf.pow(tf.constant([2.0, 3.0]), 2.0).numpy().tolist()
    [4.0, 9.0]
    """
    if np.asarray(y).dtype.kind in "iu" and np.any(np.asarray(y) < 0):
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
    return [dy * 0.5 / conj(y)]


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
    return [dy * -0.5 * conj(y * y * y)]


@primitive("Reciprocal", dtypes="numeric")
def reciprocal(x):
    """Computes `1 / x` element-wise.

    >>> tf.math.reciprocal(tf.constant([2.0, 4.0])).numpy().tolist()
    [0.5, 0.25]
    """
    return np.reciprocal(x)


@reciprocal.gradient
def _reciprocal_grad(op, dy):
    (y,) = op.outputs
    return [-dy * conj(y * y)]


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
    return np.conjugate(x) if np.iscomplexobj(x) else x


@conj.gradient
def _conj_grad(op, dy):
    return [conj(dy)]


# --- comparisons, logic and bits -------------------------------------------------------

def _comparison(name, np_func, doc):
    def forward(x, y):
        return np_func(x, y)
    forward.__name__ = np_func.__name__
    forward.__doc__ = doc
    forward.__module__ = __name__
    return primitive(name, differentiable=False)(forward)


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
    """)
less_equal = _comparison("LessEqual", np.less_equal, """Returns the truth value of `x <= y`.

    >>> tf.less_equal(tf.constant([1, 3]), 2).numpy().tolist()
    [True, False]
    """)
greater = _comparison("Greater", np.greater, """Returns the truth value of `x > y`.

    >>> tf.greater(tf.constant([1, 3]), 2).numpy().tolist()
    [False, True]
    """)
greater_equal = _comparison("GreaterEqual", np.greater_equal, """Returns the truth value of
    `x >= y` element-wise.

    >>> tf.greater_equal(tf.constant([1, 2]), 2).numpy().tolist()
    [False, True]
    """)


@primitive("LogicalAnd", dtypes="bool", differentiable=False)
def logical_and(x, y):
    """Returns the truth value of `x AND y` element-wise.

    >>> tf.logical_and(tf.constant([True, True]), tf.constant([True, False])).numpy().tolist()
    [True, False]
    """
    return np.logical_and(x, y)


@primitive("LogicalOr", dtypes="bool", differentiable=False)
def logical_or(x, y):
    """Returns the truth value of `x OR y` element-wise.

    >>> tf.logical_or(tf.constant([False, True]), False).numpy().tolist()
    [False, True]
    """
    return np.logical_or(x, y)


@primitive("LogicalXor", dtypes="bool", differentiable=False)
def logical_xor(x, y):
    """Returns the truth value of `x XOR y` element-wise.

    >>> tf.math.logical_xor(tf.constant([True, True]), True).numpy().tolist()
    [False, False]
    """
    return np.logical_xor(x, y)


@primitive("LogicalNot", dtypes="bool", differentiable=False)
def logical_not(x):
    """Returns the truth value of `NOT x` element-wise.

    >>> tf.logical_not(tf.constant([True, False])).numpy().tolist()
    [False, True]
    """
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
    if np.asarray(condition).dtype != np.bool_:
        raise ValueError(f"condition must be a bool tensor, got {np.asarray(condition).dtype}")
    return np.where(condition, x, y)


@_select.gradient
def _select_grad(op, dy):
    condition = op.inputs[0]
    zero = dy * 0
    return [None, where(condition, dy, zero), where(condition, zero, dy)]


@primitive("Where", differentiable=False)
def _where_indices(condition):
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
    if np.iscomplexobj(x) and not target.is_complex:
        x = np.real(x)
    if target is dtypes.string:
        raise ValueError(f"Cast from {dtypes.from_numpy(np.asarray(x).dtype).name} to string "
                         "is not supported")
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
