"""Elementwise math, comparisons, logical and bitwise ops, and casts, each with its gradient."""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import (
    InternalError, InvalidArgumentError, NotFoundError, UnimplementedError)
from eagerflow.framework.op import DTYPE_CATEGORIES, op_error, primitive, tf_type_name
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor, wrap


def _tf_name(np_dtype):
    return tf_type_name(dtypes.from_numpy(np_dtype))


def no_kernel(op_name, np_dtype):
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

# AddV2 also concatenates strings, as TensorFlow's does.
@primitive("AddV2", dtypes=DTYPE_CATEGORIES["numeric"] + (dtypes.string,), dtype_hint=True)
def add(x, y):
    """Returns `x + y` element-wise, with broadcasting (strings are concatenated).

    >>> tf.add(tf.constant([1.0, 2.0]), 1.0).numpy().tolist()
    [2.0, 3.0]
    """
    z = np.add(x, y)
    return np.array(z, dtype=object) if type(z) is bytes else z  # two scalar strings


@add.in_place
def _add_in_place(x, y):
    # Into x's array only where the sum has x's shape and dtype (a bias added to a fresh
    # matrix product); anything else is computed as usual.
    if (type(x) is np.ndarray and y.dtype == x.dtype
            and (y.shape == x.shape[x.ndim - y.ndim:] or _broadcasts_into(y.shape, x.shape))):
        return np.add(x, y, out=x)
    return np.add(x, y)


def _broadcasts_into(shape, target):
    """Whether an array of `shape` broadcasts to `target` without enlarging it."""
    lead = len(target) - len(shape)
    return lead >= 0 and all(d == 1 or d == t for d, t in zip(shape, target[lead:]))


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
    if x_dtype is not None and y_dtype is not None and x_dtype != y_dtype:
        return f"`x` and `y` must have the same dtype, got {x_dtype!r} != {y_dtype!r}."
    if x_dtype is not None and not x_dtype.is_numeric:
        expected = ", ".join(repr(d) for d in _TRUEDIV_DTYPES)
        return f"Invalid dtype {x_dtype!r} in __truediv__. Expected one of {{{expected}}}."
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
        raise no_kernel("FloorDiv", y.dtype)
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
    dx = dy * conj(y * pow(x, y - 1)) if need_x else None
    dy_ = None
    if need_y:
        positive = greater(x, 0) if not x.dtype.is_complex else not_equal(x, 0)
        log_x = where(positive, log(where(positive, x, 1)), 0)
        dy_ = dy * conj(z * log_x)
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
        raise no_kernel("Reciprocal", x.dtype)
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
        raise no_kernel("Round", x.dtype)
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


@primitive("Rint", dtypes="floating", differentiable=False)
def rint(x):
    """Rounds to the nearest integer, halves to even.

    >>> from eagerflow.ops.math_ops import rint
    >>> rint(tf.constant([0.5, 1.5, -1.7])).numpy().tolist()
    [0.0, 2.0, -2.0]
    """
    if x.dtype == np.float16:
        raise no_kernel("Rint", x.dtype)
    return np.rint(x)


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


# --- division variants and guarded arithmetic -------------------------------------------------

@primitive("RealDiv", dtypes="numeric")
def realdiv(x, y):
    """Returns `x / y` element-wise for floating and complex tensors (no integer kernel).

    >>> from eagerflow.ops.math_ops import realdiv
    >>> realdiv(tf.constant([1.0, 3.0]), 2.0).numpy().tolist()
    [0.5, 1.5]
    """
    if x.dtype.kind in "iu":
        raise no_kernel("RealDiv", x.dtype)
    return np.true_divide(x, y)


realdiv.gradient(_truediv_grad)


def _integer_division_by_zero(op_name):
    # TensorFlow's CPU kernels report integer division by zero this way for these two ops.
    return InternalError(None, None, "Unexpected error in binary operator (only integer div "
                                     f"and mod should have errors) [Op:{op_name}]")


@primitive("TruncateDiv", dtypes="numeric", differentiable=False)
def truncatediv(x, y):
    """Divides `x / y`, rounding toward zero (C's integer division).

    >>> from eagerflow.ops.math_ops import truncatediv
    >>> truncatediv(tf.constant([7, -7]), 2).numpy().tolist()
    [3, -3]
    """
    kind = x.dtype.kind
    if kind == "c":
        raise no_kernel("TruncateDiv", x.dtype)
    if kind == "f":
        return np.trunc(np.true_divide(x, y))
    if not np.all(y):
        raise _integer_division_by_zero("TruncateDiv")
    # x minus C's remainder divides exactly, so NumPy's floor division gives the quotient.
    return np.floor_divide(x - np.fmod(x, y), y)


_TRUNCATEMOD_DTYPES = (dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32,
                       dtypes.float64)


@primitive("TruncateMod", dtypes=_TRUNCATEMOD_DTYPES)
def truncatemod(x, y):
    """Returns the remainder of truncated division: it has the sign of `x` (C's `fmod`).

    >>> from eagerflow.ops.math_ops import truncatemod
    >>> truncatemod(tf.constant([7, -7]), 3).numpy().tolist()
    [1, -1]
    """
    if x.dtype == np.float16:
        raise no_kernel("TruncateMod", x.dtype)
    if x.dtype.kind == "i" and not np.all(y):
        raise _integer_division_by_zero("TruncateMod")
    return np.fmod(x, y)  # no gradient registered, as in TensorFlow


@primitive("DivNoNan", dtypes="inexact")
def _div_no_nan(x, y):
    zero = y == 0
    if not zero.any():  # the common case, without the cost of an errstate block
        return np.true_divide(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):  # the x/0 entries are replaced
        return np.where(zero, 0, np.true_divide(x, y))


@_div_no_nan.gradient
def _div_no_nan_grad(op, dy):
    x, y = op.inputs
    need_x, need_y = op.needs_grad
    y = conj(y)
    return [_div_no_nan(dy, y) if need_x else None,
            dy * _div_no_nan(_div_no_nan(-conj(x), y), y) if need_y else None]


def divide_no_nan(x, y, name=None):
    """Computes `x / y`, or 0 where `y` is 0 (even where `x` is nan or inf).

    Integers are first converted to floats, as `tf.math.truediv` does.

    >>> from eagerflow.ops.math_ops import divide_no_nan
    >>> divide_no_nan(tf.constant([3.0, 3.0]), tf.constant([2.0, 0.0])).numpy().tolist()
    [1.5, 0.0]
    """
    x_dtype = _operand_dtype(x)
    y_dtype = _operand_dtype(y, x_dtype)
    if x_dtype is not None and y_dtype is not None and x_dtype != y_dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x_dtype!r} != {y_dtype!r}.")
    if x_dtype is not None and x_dtype not in _TRUEDIV_DTYPES:
        expected = ", ".join(repr(d) for d in _TRUEDIV_DTYPES)
        raise TypeError(f"Invalid dtype {x_dtype!r} in tf.math.divide_no_nan. Expected one of "
                        f"{{{expected}}}.")
    if x_dtype is not None and x_dtype.is_integer:
        result = dtypes.from_numpy(_TRUEDIV_RESULT[np.dtype(x_dtype.as_numpy_dtype)])
        x, y = cast(x, result), cast(convert_to_tensor(y, x_dtype), result)
    return _div_no_nan(x, y)


def reciprocal_no_nan(x, name=None):
    """Computes `1 / x`, or 0 where `x` is 0.

    >>> from eagerflow.ops.math_ops import reciprocal_no_nan
    >>> reciprocal_no_nan(tf.constant([2.0, 0.0])).numpy().tolist()
    [0.5, 0.0]
    """
    x = x if is_tensor(x) else convert_to_tensor(x)
    return _div_no_nan(convert_to_tensor(1, x.dtype) if x.dtype.is_numeric else 1, x)


@primitive("MulNoNan", dtypes="inexact")
def multiply_no_nan(x, y):
    """Computes `x * y`, or 0 where `y` is 0 (even where `x` is nan or inf).

    >>> from eagerflow.ops.math_ops import multiply_no_nan
    >>> x = tf.constant([np.inf, 2.0])
    >>> multiply_no_nan(x, tf.constant([0.0, 3.0])).numpy().tolist()
    [0.0, 6.0]
    """
    return np.where(y == 0, 0, np.multiply(x, y))


@multiply_no_nan.gradient
def _multiply_no_nan_grad(op, dy):
    x, y = op.inputs
    need_x, need_y = op.needs_grad
    return [multiply_no_nan(dy, y) if need_x else None,
            multiply_no_nan(x, dy) if need_y else None]


_SQUARED_DIFFERENCE_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32,
                              dtypes.int64, dtypes.complex64, dtypes.complex128)


@primitive("SquaredDifference", dtypes=_SQUARED_DIFFERENCE_DTYPES)
def squared_difference(x, y):
    """Returns `(x - y) * conj(x - y)` element-wise: the squared distance.

    >>> from eagerflow.ops.math_ops import squared_difference
    >>> squared_difference(tf.constant([1.0, 5.0]), 3.0).numpy().tolist()
    [4.0, 4.0]
    """
    difference = np.subtract(x, y)
    if difference.dtype.kind == "c":
        return difference * np.conjugate(difference)
    return np.square(difference)


@squared_difference.gradient
def _squared_difference_grad(op, dy):
    x, y = op.inputs
    need_x, need_y = op.needs_grad
    twice = 2 * dy * (x - y)  # TensorFlow's convention for complex inputs too (no conj)
    return [twice if need_x else None, -twice if need_y else None]


def _nonzero_indicator(x):
    return cast(not_equal(x, 0), x.dtype)


@primitive("Xlogy", dtypes="inexact")
def xlogy(x, y):
    """Returns `x * log(y)`, or 0 where `x` is 0 (even where `y` is 0 or nan).

    >>> from eagerflow.ops.math_ops import xlogy
    >>> xlogy(tf.constant([0.0, 2.0]), tf.constant([0.0, 1.0])).numpy().tolist()
    [0.0, 0.0]
    """
    return np.where(x == 0, 0, np.multiply(x, np.log(y)))


@xlogy.gradient
def _xlogy_grad(op, dy):
    x, y = op.inputs
    need_x, need_y = op.needs_grad
    return [dy * xlogy(_nonzero_indicator(x), y) if need_x else None,
            dy * xdivy(x, y) if need_y else None]


@primitive("Xdivy", dtypes="inexact")
def xdivy(x, y):
    """Returns `x / y`, or 0 where `x` is 0 (even where `y` is 0 or nan).

    >>> from eagerflow.ops.math_ops import xdivy
    >>> xdivy(tf.constant([0.0, 3.0]), tf.constant([0.0, 2.0])).numpy().tolist()
    [0.0, 1.5]
    """
    return np.where(x == 0, 0, np.true_divide(x, y))


@xdivy.gradient
def _xdivy_grad(op, dy):
    x, y = op.inputs
    need_x, need_y = op.needs_grad
    return [dy * xdivy(_nonzero_indicator(x), y) if need_x else None,
            dy * xdivy(-x, y * y) if need_y else None]


@primitive("Xlog1py", dtypes="inexact")
def xlog1py(x, y):
    """Returns `x * log1p(y)`, or 0 where `x` is 0 (even where `y` is -1 or nan).

    >>> from eagerflow.ops.math_ops import xlog1py
    >>> xlog1py(tf.constant([0.0, 2.0]), tf.constant([-1.0, 0.0])).numpy().tolist()
    [0.0, 0.0]
    """
    return np.where(x == 0, 0, np.multiply(x, np.log1p(y)))


@xlog1py.gradient
def _xlog1py_grad(op, dy):
    x, y = op.inputs
    need_x, need_y = op.needs_grad
    return [dy * xlog1py(_nonzero_indicator(x), y) if need_x else None,
            dy * xdivy(x, y + 1) if need_y else None]


def scalar_mul(scalar, x, name=None):
    """Multiplies the tensor `x` by the 0-D value `scalar` (converted to x's dtype).

    >>> from eagerflow.ops.math_ops import scalar_mul
    >>> scalar_mul(2, tf.constant([1.5, -1.0])).numpy().tolist()
    [3.0, -2.0]

    Raises:
      ValueError: if `scalar` is not 0-D, or a tensor of another dtype.
    """
    if not is_tensor(x):
        x = convert_to_tensor(x)
    try:
        scalar = convert_to_tensor(scalar, x.dtype)
    except ValueError as err:
        raise ValueError(f"scalar: {err}") from None
    if scalar.shape.rank != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {scalar.shape}.")
    return multiply(scalar, x)


def _dims_text(array):
    return "[" + ",".join(str(d) for d in np.shape(array)) + "]"


@primitive("AddN", dtypes="numeric", inputs="list", dtype_hint=True)
def _add_n(inputs):
    first = inputs[0]
    for i, x in enumerate(inputs[1:], 1):
        if x.shape != first.shape:
            raise op_error("AddN", "Inputs to operation AddN of type AddN must have the same size "
                                   f"and shape.  Input 0: {_dims_text(first)} != input {i}: "
                                   f"{_dims_text(x)}")
    # A fresh buffer (an array even for scalars), the rest added in place.
    total = np.add(inputs[0], inputs[1], out=np.empty(first.shape, first.dtype))
    for x in inputs[2:]:
        np.add(total, x, out=total)
    return total


@_add_n.gradient
def _add_n_grad(op, dy):
    return [dy] * len(op.inputs)


def add_n(inputs, name=None):
    """Adds all the tensors of the list `inputs`, which share one shape and dtype.

    >>> from eagerflow.ops.math_ops import add_n
    >>> add_n([tf.constant([1, 2]), tf.constant([3, 4]), [5, 6]]).numpy().tolist()
    [9, 12]

    Raises:
      ValueError: if `inputs` is not a non-empty list of tensors.
      InvalidArgumentError: if their shapes differ (no broadcasting).
    """
    if is_tensor(inputs):
        inputs = list(inputs)  # a tensor is a sequence of its rows
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with "
                         "the same dtype and shape.")
    if len(inputs) == 1:
        (single,) = inputs
        return single if is_tensor(single) else convert_to_tensor(single)
    return _add_n(list(inputs))


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """Adds the tensors of the list `inputs` (deprecated in TensorFlow: use `add_n`).

    >>> from eagerflow.ops.math_ops import accumulate_n
    >>> accumulate_n([tf.constant([1.0]), tf.constant([2.0])]).numpy().tolist()
    [3.0]

    Raises:
      ValueError: unless `inputs` is a non-empty list of tensors of one dtype and shape
        (and `shape`, if given).
      TypeError: if `tensor_dtype` is not the inputs' dtype.
    """
    message = "inputs must be a list of at least one Tensor with the same dtype and shape"
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError(message)
    inputs = [x if is_tensor(x) else convert_to_tensor(x) for x in inputs]
    if any(x.dtype != inputs[0].dtype for x in inputs):
        raise ValueError(message)
    expected = None if shape is None else tuple(int(d) for d in shape)
    for x in inputs:
        if expected is not None and tuple(x.shape) != expected:
            raise ValueError(f"Shapes {_shape_text(expected)} and {_shape_text(x.shape)} are "
                             "not compatible")
        expected = tuple(x.shape)
    if tensor_dtype is not None and dtypes.as_dtype(tensor_dtype) != inputs[0].dtype:
        raise TypeError(f"The `tensor_dtype` argument is {dtypes.as_dtype(tensor_dtype)}, but "
                        f"`input` is of type {inputs[0].dtype}. These must be equal. Try "
                        "casting the input to the desired type.")
    return add_n(inputs)


def _shape_text(shape):
    dims = tuple(shape)
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _zeros_like(x):
    """Zeros (empty strings for strings) shaped like the Tensor `x`; they carry no gradient."""
    value = x._value
    if value.dtype == object:
        return wrap(np.full(value.shape, b"", dtype=object))
    return wrap(np.zeros_like(value))


def polyval(coeffs, x, name=None):
    """Evaluates the polynomial `coeffs[0] * x**(n-1) + ... + coeffs[n-1]` at `x` (Horner).

    >>> from eagerflow.ops.math_ops import polyval
    >>> polyval([1.0, 2.0, 3.0], tf.constant([1.0, 2.0])).numpy().tolist()
    [6.0, 11.0]

    Raises:
      ValueError: if `coeffs` is not a list.
    """
    if not isinstance(coeffs, list):
        raise ValueError(f"Argument coeffs must be list type. Received type {type(coeffs)}.")
    x = x if is_tensor(x) else convert_to_tensor(x)
    if not coeffs:
        return _zeros_like(x)
    coeffs = [c if is_tensor(c) else convert_to_tensor(c) for c in coeffs]
    result = coeffs[0]
    for c in coeffs[1:]:
        result = c + result * x
    return result


@primitive("NextAfter", dtypes=(dtypes.float64, dtypes.float32))
def nextafter(x1, x2):
    """Returns the next representable float after `x1` in the direction of `x2`.

    >>> from eagerflow.ops.math_ops import nextafter
    >>> nextafter(tf.constant([1.0], tf.float64), 2.0).numpy().tolist()
    [1.0000000000000002]
    """
    return np.nextafter(x1, x2)


@nextafter.gradient
def _nextafter_grad(op, dy):
    return [dy, dy * 0]  # as in TensorFlow: the step itself carries no gradient


# --- trigonometric and hyperbolic functions ---------------------------------------------------

@primitive("Asin", dtypes="inexact")
def asin(x):
    """Computes the inverse sine element-wise, in [-pi/2, pi/2].

    >>> from eagerflow.ops.math_ops import asin
    >>> np.round(asin(tf.constant([0.0, 0.5], tf.float64)).numpy(), 12).tolist()
    [0.0, 0.523598775598]
    """
    return np.arcsin(x)


@asin.gradient
def _asin_grad(op, dy):
    (x,) = op.inputs
    return [dy * conj(rsqrt(1 - x * x))]


@primitive("Acos", dtypes="inexact")
def acos(x):
    """Computes the inverse cosine element-wise, in [0, pi].

    >>> from eagerflow.ops.math_ops import acos
    >>> np.round(acos(tf.constant([1.0, 0.5], tf.float64)).numpy(), 12).tolist()
    [0.0, 1.047197551197]
    """
    return np.arccos(x)


@acos.gradient
def _acos_grad(op, dy):
    (x,) = op.inputs
    return [-dy * conj(rsqrt(1 - x * x))]


@primitive("Atan", dtypes="inexact")
def atan(x):
    """Computes the inverse tangent element-wise, in (-pi/2, pi/2).

    >>> from eagerflow.ops.math_ops import atan
    >>> np.round(atan(tf.constant([0.0, 1.0], tf.float64)).numpy(), 12).tolist()
    [0.0, 0.785398163397]
    """
    return np.arctan(x)


@atan.gradient
def _atan_grad(op, dy):
    (x,) = op.inputs
    return [dy / conj(1 + x * x)]


@primitive("Atan2", dtypes="floating")
def atan2(y, x):
    """Computes the angle of the point `(x, y)` element-wise, in [-pi, pi] (note: y first).

    >>> from eagerflow.ops.math_ops import atan2
    >>> np.round(atan2(tf.constant([1.0, -1.0], tf.float64), -1.0).numpy(), 12).tolist()
    [2.356194490192, -2.356194490192]
    """
    return np.arctan2(y, x)


@atan2.gradient
def _atan2_grad(op, dy):
    y, x = op.inputs
    need_y, need_x = op.needs_grad
    scaled = dy / (x * x + y * y)
    return [scaled * x if need_y else None, -scaled * y if need_x else None]


@primitive("Sinh", dtypes="inexact")
def sinh(x):
    """Computes the hyperbolic sine element-wise.

    >>> from eagerflow.ops.math_ops import sinh
    >>> np.round(sinh(tf.constant([0.0, 1.0], tf.float64)).numpy(), 12).tolist()
    [0.0, 1.175201193644]
    """
    return np.sinh(x)


@sinh.gradient
def _sinh_grad(op, dy):
    (x,) = op.inputs
    return [dy * conj(cosh(x))]


@primitive("Cosh", dtypes="inexact")
def cosh(x):
    """Computes the hyperbolic cosine element-wise.

    >>> from eagerflow.ops.math_ops import cosh
    >>> np.round(cosh(tf.constant([0.0, 1.0], tf.float64)).numpy(), 12).tolist()
    [1.0, 1.543080634815]
    """
    return np.cosh(x)


@cosh.gradient
def _cosh_grad(op, dy):
    (x,) = op.inputs
    return [dy * conj(sinh(x))]


@primitive("Asinh", dtypes="inexact")
def asinh(x):
    """Computes the inverse hyperbolic sine element-wise.

    >>> from eagerflow.ops.math_ops import asinh
    >>> np.round(asinh(tf.constant([0.0, 1.0], tf.float64)).numpy(), 12).tolist()
    [0.0, 0.88137358702]
    """
    return np.arcsinh(x)


@asinh.gradient
def _asinh_grad(op, dy):
    (y,) = op.outputs
    return [dy / conj(cosh(y))]


@primitive("Acosh", dtypes="inexact")
def acosh(x):
    """Computes the inverse hyperbolic cosine element-wise (nan below 1).

    >>> from eagerflow.ops.math_ops import acosh
    >>> np.round(acosh(tf.constant([1.0, 2.0], tf.float64)).numpy(), 12).tolist()
    [0.0, 1.316957896925]
    """
    return np.arccosh(x)


@acosh.gradient
def _acosh_grad(op, dy):
    (y,) = op.outputs
    return [dy / conj(sinh(y))]


@primitive("Atanh", dtypes="inexact")
def atanh(x):
    """Computes the inverse hyperbolic tangent element-wise (inf at 1, nan beyond).

    >>> from eagerflow.ops.math_ops import atanh
    >>> np.round(atanh(tf.constant([0.0, 0.5], tf.float64)).numpy(), 12).tolist()
    [0.0, 0.549306144334]
    """
    return np.arctanh(x)


@atanh.gradient
def _atanh_grad(op, dy):
    (x,) = op.inputs
    return [dy / conj(1 - x * x)]


# --- softplus and relatives -------------------------------------------------------------------

@primitive("Softplus", dtypes="floating")
def softplus(features):
    """Computes `log(exp(features) + 1)` element-wise, without overflow for large values.

    >>> from eagerflow.ops.math_ops import softplus
    >>> np.round(softplus(tf.constant([0.0, 100.0], tf.float64)).numpy(), 12).tolist()
    [0.69314718056, 100.0]
    """
    return np.logaddexp(features, 0)


@softplus.gradient
def _softplus_grad(op, dy):
    (x,) = op.inputs
    return [dy * sigmoid(x)]


@primitive("LogSigmoid", dtypes="floating")
def log_sigmoid(x):
    """Computes `log(sigmoid(x))` element-wise, as `-softplus(-x)` (stable for large |x|).

    >>> from eagerflow.ops.math_ops import log_sigmoid
    >>> np.round(log_sigmoid(tf.constant([-100.0, 0.0], tf.float64)).numpy(), 12).tolist()
    [-100.0, -0.69314718056]
    """
    return np.negative(np.logaddexp(np.negative(x), 0))


@log_sigmoid.gradient
def _log_sigmoid_grad(op, dy):
    (x,) = op.inputs
    return [dy * sigmoid(-x)]


@primitive("Softsign", dtypes="floating")
def softsign(features):
    """Computes `features / (abs(features) + 1)` element-wise.

    >>> from eagerflow.ops.math_ops import softsign
    >>> softsign(tf.constant([-1.0, 3.0])).numpy().tolist()
    [-0.5, 0.75]
    """
    return np.true_divide(features, np.abs(features) + 1)


@softsign.gradient
def _softsign_grad(op, dy):
    (x,) = op.inputs
    return [dy / square(abs(x) + 1)]


# --- complex numbers ----------------------------------------------------------------------

_COMPLEX = (dtypes.complex64, dtypes.complex128)


@primitive("Complex", dtypes=(dtypes.float32, dtypes.float64))
def _complex(real, imag):
    try:
        shape = np.broadcast_shapes(real.shape, imag.shape)
    except ValueError:
        raise op_error("Complex", f"Incompatible shapes: {_dims_text(real)} vs. "
                                  f"{_dims_text(imag)}") from None
    result = np.empty(shape, np.complex64 if real.dtype == np.float32 else np.complex128)
    result.real = real  # set apart: real + 1j * imag would turn inf parts into nan
    result.imag = imag
    return result


@_complex.gradient
def _complex_grad(op, dy):
    need_real, need_imag = op.needs_grad
    return [_real(dy) if need_real else None, _imag(dy) if need_imag else None]


def complex(real, imag, name=None):  # noqa: A001 - TensorFlow's public name
    """Builds complex numbers `real + imag * 1j` from two float32 (or two float64) tensors.

    >>> from eagerflow.ops.math_ops import complex
    >>> complex(tf.constant([1.0, 2.0]), 3.0).numpy().tolist()
    [(1+3j), (2+3j)]

    Raises:
      TypeError: unless both parts are float32 or both float64.
    """
    real = real if is_tensor(real) else convert_to_tensor(real)
    imag = imag if is_tensor(imag) else convert_to_tensor(imag)
    if real.dtype != imag.dtype or real.dtype not in (dtypes.float32, dtypes.float64):
        raise TypeError(f"The `real` and `imag` components have incorrect types: "
                        f"{real.dtype.name} {imag.dtype.name}. They must be consistent, and one "
                        "of [tf.float32, tf.float64]")
    return _complex(real, imag)


@primitive("Real", dtypes=_COMPLEX)
def _real(input):
    return np.real(input)


@_real.gradient
def _real_grad(op, dy):
    return [_complex(dy, 0)]


@primitive("Imag", dtypes=_COMPLEX)
def _imag(input):
    return np.imag(input)


@_imag.gradient
def _imag_grad(op, dy):
    return [_complex(0 * dy, dy)]


def real(input, name=None):
    """Returns the real part of a complex tensor; a real tensor is returned unchanged.

    >>> from eagerflow.ops.math_ops import real
    >>> real(tf.constant([1 + 2j, 3 - 4j])).numpy().tolist()
    [1.0, 3.0]
    """
    input = input if is_tensor(input) else convert_to_tensor(input)
    if input.dtype.is_complex:
        return _real(input)
    if input.dtype.is_numeric:
        return input
    raise TypeError(f"input must be a numeric tensor, but got tensor with dtype {input.dtype}")


def imag(input, name=None):
    """Returns the imaginary part of a complex tensor; zeros for a real tensor.

    >>> from eagerflow.ops.math_ops import imag
    >>> imag(tf.constant([1 + 2j, 3 - 4j])).numpy().tolist()
    [2.0, -4.0]
    """
    input = input if is_tensor(input) else convert_to_tensor(input)
    if input.dtype.is_complex:
        return _imag(input)
    return _zeros_like(input)


@primitive("Angle", dtypes=_COMPLEX)
def _angle(input):
    return np.angle(input)


@_angle.gradient
def _angle_grad(op, dy):
    # d angle / dz for z = a + bj is -1 / (b + aj), as in TensorFlow.
    (z,) = op.inputs
    return [-_complex(dy, 0) * reciprocal(_complex(_imag(z), _real(z)))]


def angle(input, name=None):
    """Returns the argument of complex numbers, in (-pi, pi]; pi or 0 for real numbers.

    >>> from eagerflow.ops.math_ops import angle
    >>> np.round(angle(tf.constant([1j, -1 + 0j])).numpy(), 12).tolist()
    [1.570796326795, 3.14159265359]
    """
    input = input if is_tensor(input) else convert_to_tensor(input)
    if input.dtype.is_complex:
        return _angle(input)
    if not input.dtype.is_numeric:
        raise TypeError(f"Cannot convert 0 to EagerTensor of dtype {input.dtype.name}")
    pi = convert_to_tensor(np.pi, input.dtype)
    return where(less(input, 0), pi, convert_to_tensor(0, input.dtype))


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


@primitive("IsNan", dtypes="floating", differentiable=False)
def is_nan(x):
    """Returns which elements of `x` are NaN.

    >>> from eagerflow.ops.math_ops import is_nan
    >>> is_nan(tf.constant([np.nan, np.inf, 1.0])).numpy().tolist()
    [True, False, False]
    """
    return np.isnan(x)


@primitive("IsInf", dtypes="floating", differentiable=False)
def is_inf(x):
    """Returns which elements of `x` are infinite (either sign).

    >>> from eagerflow.ops.math_ops import is_inf
    >>> is_inf(tf.constant([np.nan, -np.inf, 1.0])).numpy().tolist()
    [False, True, False]
    """
    return np.isinf(x)


@primitive("IsFinite", dtypes="floating", differentiable=False)
def is_finite(x):
    """Returns which elements of `x` are finite (neither infinite nor NaN).

    >>> from eagerflow.ops.math_ops import is_finite
    >>> is_finite(tf.constant([np.nan, np.inf, 1.0])).numpy().tolist()
    [False, False, True]
    """
    return np.isfinite(x)


@primitive("LogicalAnd", dtypes=(dtypes.bool,), differentiable=False)
def logical_and(x, y):
    """Returns the truth value of `x AND y` element-wise.

    >>> tf.logical_and(tf.constant([True, True]), tf.constant([True, False])).numpy().tolist()
    [True, False]
    """
    return np.logical_and(x, y)


@primitive("LogicalOr", dtypes=(dtypes.bool,), differentiable=False)
def logical_or(x, y):
    """Returns the truth value of `x OR y` element-wise.

    >>> tf.logical_or(tf.constant([False, True]), False).numpy().tolist()
    [False, True]
    """
    return np.logical_or(x, y)


@primitive("LogicalXor", dtypes=(dtypes.bool,), differentiable=False)
def logical_xor(x, y):
    """Returns the truth value of `x XOR y` element-wise.

    >>> tf.math.logical_xor(tf.constant([True, True]), True).numpy().tolist()
    [False, False]
    """
    return np.logical_xor(x, y)


@primitive("LogicalNot", dtypes=(dtypes.bool,), differentiable=False)
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


def _shift_amount(x, y):
    # TensorFlow clamps the shift to [0, bits - 1] (C leaves other shifts undefined).
    return np.clip(y, 0, x.dtype.itemsize * 8 - 1)


@primitive("LeftShift", dtypes="integer", differentiable=False)
def left_shift(x, y):
    """Shifts the bits of `x` left by `y`; bits shifted past the top are lost.

    The shift is clamped to [0, bit width - 1].

    >>> from eagerflow.ops.math_ops import left_shift
    >>> left_shift(tf.constant([1, 3]), tf.constant([2, 31])).numpy().tolist()
    [4, -2147483648]
    """
    return np.left_shift(x, _shift_amount(x, y))


@primitive("RightShift", dtypes="integer", differentiable=False)
def right_shift(x, y):
    """Shifts the bits of `x` right by `y`, keeping the sign of signed integers.

    The shift is clamped to [0, bit width - 1].

    >>> from eagerflow.ops.math_ops import right_shift
    >>> right_shift(tf.constant([8, -8]), 2).numpy().tolist()
    [2, -2]
    """
    return np.right_shift(x, _shift_amount(x, y))


@primitive("SelectV2", same_dtype=(1, 2))
def _select(condition, x, y):
    require_bool("SelectV2", condition)
    try:
        return select_array(condition, x, y)
    except ValueError:
        shapes = ["[" + ",".join(str(d) for d in a.shape) + "]" for a in (condition, x, y)]
        raise op_error("SelectV2", "condition {}, then {}, and else {} must be "
                                   "broadcastable".format(*shapes)) from None


# From this many elements on, a select is faster as bit operations than as np.where, whose
# per-element branch costs 3-4 ns where the condition is unpredictable (0.5 ns here); below
# it the extra NumPy calls cost more than a predictable condition's np.where.
_BIT_SELECT_SIZE = 4096
_BITS = {1: np.int8, 2: np.int16, 4: np.int32, 8: np.int64}


def select_array(condition, x, y):
    """`np.where(condition, x, y)` for ndarrays, bit for bit; many elements of equal dtypes
    of 1 to 8 bytes are selected without branches, 5-8x faster on an unpredictable
    condition (a ReLU's or a dropout's mask)."""
    if (max(condition.size, x.size, y.size) >= _BIT_SELECT_SIZE and x.dtype == y.dtype
            and x.dtype.kind in "biufc" and x.dtype.itemsize <= 8):
        return _select_bits(condition, x, y)
    return np.where(condition, x, y)


def _select_bits(condition, x, y):
    """`y ^ ((x ^ y) & -condition)` on the bits: exact for every value (NaN, -0.0)."""
    bits = _BITS[x.dtype.itemsize]
    mask = np.negative(condition, dtype=bits)  # all ones where the condition holds
    differing = np.bitwise_xor(x.view(bits), y.view(bits))
    picked = np.bitwise_and(differing, mask, out=mask if mask.shape == differing.shape else None)
    picked ^= y.view(bits)
    return picked.view(x.dtype)


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
    if type(condition) is not Tensor or condition._value.dtype != np.bool_:
        # TensorFlow converts a condition that is not a tensor to bool (an int list fails, a
        # NumPy array is cast), and a non-bool tensor too when `x` or `y` is a list; SelectV2
        # itself refuses the other non-bool tensors.
        if not is_tensor(condition) or isinstance(x, (list, tuple)) or isinstance(
                y, (list, tuple)):
            condition = convert_to_tensor(condition, dtypes.bool)
    return _select(condition, x, y)


# --- casts ------------------------------------------------------------------------------

@primitive("Cast", inputs=1)
def _cast(x, dtype):
    target = dtypes.as_dtype(dtype)
    kind = x.dtype.kind
    if kind in "biuf" and target._np.kind in "biufc" and type(x) is np.ndarray:
        return x.astype(target._np)  # the common case: between bools and numbers
    if (target is dtypes.string) != (kind in "OSU"):
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
