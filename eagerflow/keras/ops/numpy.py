"""`keras.ops.numpy`: NumPy-style functions over eagerflow ops, with Keras's dtype promotion.

>>> from eagerflow.keras import ops
>>> ops.add(tf.constant([1, 2]), 0.5)
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1.5, 2.5], dtype=float32)>
"""

import builtins
import math

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.ops.dispatch import (
    convert, dtype_of, float_dtype, keras_op, promote, to_float)


def _axes(axis):
    return list(axis) if isinstance(axis, (list, tuple)) else axis


def _sum_dtype(dtype):
    """The dtype Keras sums (and multiplies) `dtype` in: small integers widen."""
    return {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32",
            "uint16": "uint32"}.get(dtype, dtype)


# --- element-wise -------------------------------------------------------------------------

def _unary(name, function, floating=True):
    """A keras.ops function of one tensor: `function` on `x` (made float first when
    `floating`, as Keras does for exp, log, sin ...)."""
    def op(x):
        return function(to_float(x) if floating else convert(x))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Element-wise `{name}` of `x`."
    return keras_op("numpy")(op)


def _cbrt(x):
    return tf.sign(x) * tf.pow(tf.abs(x), 1.0 / 3.0)


def _int_safe(function):
    """`function` on floats; integers and booleans pass through unchanged (floor, ceil of
    an int32 stay int32 ... as Keras keeps them)."""
    def apply(x):
        return x if not x.dtype.is_floating else function(x)
    return apply


_UNARY_FLOAT = {
    "exp": tf.exp, "exp2": lambda x: tf.pow(tf.constant(2.0, x.dtype), x), "expm1": tf.math.expm1,
    "log": tf.math.log, "log1p": tf.math.log1p,
    "log2": lambda x: tf.math.log(x) / tf.constant(math.log(2.0), x.dtype),
    "log10": lambda x: tf.math.log(x) / tf.constant(math.log(10.0), x.dtype),
    "sqrt": tf.sqrt, "sin": tf.sin, "cos": tf.cos, "tan": tf.tan, "arcsin": tf.asin,
    "arccos": tf.acos, "arctan": tf.atan, "sinh": tf.sinh, "cosh": tf.cosh, "tanh": tf.tanh,
    "arcsinh": tf.asinh, "arccosh": tf.acosh, "arctanh": tf.atanh, "cbrt": _cbrt,
    "deg2rad": lambda x: x * tf.constant(math.pi / 180.0, x.dtype),
    "rad2deg": lambda x: x * tf.constant(180.0 / math.pi, x.dtype),
    "reciprocal": tf.math.reciprocal, "floor": tf.floor, "ceil": tf.math.ceil,
    "fabs": tf.abs, "sinc": lambda x: tf.where(
        tf.equal(x, 0.0), tf.ones_like(x),
        tf.sin(math.pi * x) / tf.where(tf.equal(x, 0.0), tf.ones_like(x), math.pi * x)),
    "i0": lambda x: _i0(x),
}
_UNARY_SAME = {
    "abs": tf.abs, "absolute": tf.abs, "negative": tf.negative, "square": tf.square,
    "sign": tf.sign, "trunc": _int_safe(lambda x: tf.sign(x) * tf.floor(tf.abs(x))),
    "conj": lambda x: x, "conjugate": lambda x: x, "real": lambda x: x,
    "imag": tf.zeros_like, "angle": lambda x: tf.where(x < 0, math.pi, 0.0),
    "copy": tf.identity, "logical_not": lambda x: tf.logical_not(tf.cast(x, tf.bool)),
    "isnan": lambda x: tf.math.is_nan(x) if x.dtype.is_floating else tf.zeros_like(x, tf.bool),
    "isinf": lambda x: tf.math.is_inf(x) if x.dtype.is_floating else tf.zeros_like(x, tf.bool),
    "isfinite": lambda x: (tf.math.is_finite(x) if x.dtype.is_floating
                           else tf.ones_like(x, tf.bool)),
    "isneginf": lambda x: tf.logical_and(tf.math.is_inf(x), x < 0) if x.dtype.is_floating
    else tf.zeros_like(x, tf.bool),
    "isposinf": lambda x: tf.logical_and(tf.math.is_inf(x), x > 0) if x.dtype.is_floating
    else tf.zeros_like(x, tf.bool),
    "isreal": lambda x: tf.ones_like(x, tf.bool),
    "signbit": lambda x: (tf.logical_or(x < 0, tf.logical_and(
        tf.equal(x, 0), tf.equal(tf.math.reciprocal(x), -np.inf))) if x.dtype.is_floating
        else x < 0) if x.dtype != tf.bool else tf.zeros_like(x, tf.bool),
    "bitwise_invert": tf.bitwise.invert, "bitwise_not": tf.bitwise.invert,
}


def _i0(x):
    """The modified Bessel function of order 0, by its power series (30 terms)."""
    half = tf.square(x / 2.0)
    term, total = tf.ones_like(x), tf.ones_like(x)
    for k in range(1, 30):
        term = term * half / float(k * k)
        total = total + term
    return total


for _name, _function in _UNARY_FLOAT.items():
    globals()[_name] = _unary(_name, _function)
for _name, _function in _UNARY_SAME.items():
    globals()[_name] = _unary(_name, _function, floating=False)


def _binary(name, function, result=None):
    """A keras.ops function of two operands, promoted to their common Keras dtype
    (`result` can widen that dtype: divide adds `float`)."""
    def apply(x1, x2):
        if result is not None:
            dtype = backend.result_type(dtype_of(x1), dtype_of(x2), result)
            x1, x2 = convert(x1, dtype), convert(x2, dtype)
        else:
            x1, x2 = promote(x1, x2)
        return function(x1, x2)

    if "shift" in name or name.startswith("bitwise"):  # Keras names these operands x, y
        def op(x, y):
            return apply(x, y)
    else:
        def op(x1, x2):
            return apply(x1, x2)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Element-wise `{name}` of `x1` and `x2`, with Keras's dtype promotion."
    return keras_op("numpy", operands=2)(op)


def _logical(function):
    return lambda x1, x2: function(tf.cast(x1, tf.bool), tf.cast(x2, tf.bool))


def _float_mod(x1, x2):
    return x1 - x2 * tf.floor(x1 / x2) if x1.dtype.is_floating else tf.math.floormod(x1, x2)


def _fmod(x1, x2):
    """The remainder with the sign of `x1` (C's fmod)."""
    if not x1.dtype.is_floating:
        return tf.truncatemod(x1, x2)
    quotient = x1 / x2
    return x1 - x2 * tf.sign(quotient) * tf.floor(tf.abs(quotient))


def _gcd(x1, x2):
    a, b = tf.abs(x1), tf.abs(x2)
    for _ in range(64):  # Euclid's steps; 64 cover any pair of 32-bit integers
        nonzero = tf.not_equal(b, 0)
        a, b = tf.where(nonzero, b, a), tf.where(nonzero, tf.math.floormod(
            a, tf.where(nonzero, b, tf.ones_like(b))), b)
    return a


def _lcm(x1, x2):
    g = _gcd(x1, x2)
    return tf.where(tf.equal(g, 0), tf.zeros_like(g),
                    tf.abs(x1 * tf.math.floordiv(x2, tf.where(tf.equal(g, 0), 1, g))))


def _heaviside(x1, x2):
    return tf.where(x1 < 0, tf.zeros_like(x1), tf.where(x1 > 0, tf.ones_like(x1), x2))


_BINARY = {
    "add": (tf.add, None), "subtract": (tf.subtract, None), "multiply": (tf.multiply, None),
    "divide": (tf.divide, float), "true_divide": (tf.divide, float),
    "divide_no_nan": (tf.math.divide_no_nan, float),
    "floor_divide": (tf.math.floordiv, None), "mod": (_float_mod, None),
    "fmod": (_fmod, None), "power": (tf.pow, None), "maximum": (tf.maximum, None),
    "minimum": (tf.minimum, None), "fmax": (tf.maximum, None), "fmin": (tf.minimum, None),
    "arctan2": (tf.atan2, float), "hypot": (lambda a, b: tf.sqrt(a * a + b * b), float),
    "logaddexp": (lambda a, b: tf.maximum(a, b) + tf.math.log1p(tf.exp(-tf.abs(a - b))), float),
    "logaddexp2": (lambda a, b: tf.maximum(a, b) + tf.math.log1p(
        tf.pow(2.0, -tf.abs(a - b))) / math.log(2.0), float),
    "equal": (tf.equal, None), "not_equal": (tf.not_equal, None), "less": (tf.less, None),
    "less_equal": (tf.less_equal, None), "greater": (tf.greater, None),
    "greater_equal": (tf.greater_equal, None),
    "logical_and": (_logical(tf.logical_and), None), "logical_or": (_logical(tf.logical_or), None),
    "logical_xor": (_logical(tf.math.logical_xor), None),
    "bitwise_and": (tf.bitwise.bitwise_and, None), "bitwise_or": (tf.bitwise.bitwise_or, None),
    "bitwise_xor": (tf.bitwise.bitwise_xor, None),
    "bitwise_left_shift": (tf.bitwise.left_shift, None),
    "left_shift": (tf.bitwise.left_shift, None),
    "bitwise_right_shift": (tf.bitwise.right_shift, None),
    "right_shift": (tf.bitwise.right_shift, None),
    "gcd": (_gcd, None), "lcm": (_lcm, None), "heaviside": (_heaviside, None),
    "nextafter": (tf.math.nextafter, float),
    "copysign": (lambda a, b: tf.abs(a) * tf.where(b < 0, -1.0, 1.0), float),
}
for _name, (_function, _result) in _BINARY.items():
    if _name != "copysign":  # not in keras.ops
        globals()[_name] = _binary(_name, _function, _result)


@keras_op("numpy", operands=2)
def ldexp(x1, x2):
    """`x1 * 2**x2` element-wise."""
    x1 = to_float(x1)
    return x1 * tf.pow(tf.constant(2.0, x1.dtype), tf.cast(convert(x2), x1.dtype))


@keras_op("numpy", operands=2)
def matmul(x1, x2):
    """The matrix product, NumPy's `matmul` (vectors promote to matrices)."""
    x1, x2 = promote(x1, x2)
    if x1.dtype == tf.bool:
        x1, x2 = tf.cast(x1, tf.int32), tf.cast(x2, tf.int32)
    if len(x2.shape) == 1:
        return tf.squeeze(matmul(x1, tf.expand_dims(x2, -1)), -1)
    if len(x1.shape) == 1:
        return tf.squeeze(matmul(tf.expand_dims(x1, 0), x2), -2)
    return tf.matmul(x1, x2)


@keras_op("numpy", operands=2)
def dot(x1, x2):
    """NumPy's `dot`: products summed over the last axis of `x1` and the second-last of
    `x2` (a plain product with a scalar)."""
    x1, x2 = promote(x1, x2)
    if len(x1.shape) == 0 or len(x2.shape) == 0:
        return x1 * x2
    return tf.tensordot(x1, x2, [[len(x1.shape) - 1], [builtins.max(len(x2.shape) - 2, 0)]])


@keras_op("numpy", operands=2)
def tensordot(x1, x2, axes=2):
    x1, x2 = promote(x1, x2)
    return tf.tensordot(x1, x2, axes)


@keras_op("numpy", operands=2)
def inner(x1, x2):
    x1, x2 = promote(x1, x2)
    if len(x1.shape) == 0 or len(x2.shape) == 0:
        return x1 * x2
    return tf.tensordot(x1, x2, [[len(x1.shape) - 1], [len(x2.shape) - 1]])


@keras_op("numpy", operands=2)
def outer(x1, x2):
    x1, x2 = promote(x1, x2)
    return tf.reshape(x1, (-1, 1)) * tf.reshape(x2, (1, -1))


@keras_op("numpy", operands=2)
def vdot(x1, x2):
    x1, x2 = promote(x1, x2)
    return tf.reduce_sum(tf.reshape(x1, (-1,)) * tf.reshape(x2, (-1,)))


@keras_op("numpy", operands=2)
def kron(x1, x2):
    x1, x2 = promote(x1, x2)
    rank = builtins.max(len(x1.shape), len(x2.shape))
    x1 = tf.reshape(x1, (1,) * (rank - len(x1.shape)) + tuple(x1.shape))
    x2 = tf.reshape(x2, (1,) * (rank - len(x2.shape)) + tuple(x2.shape))
    a = tf.reshape(x1, [d for s in x1.shape for d in (s, 1)])
    b = tf.reshape(x2, [d for s in x2.shape for d in (1, s)])
    return tf.reshape(a * b, [p * q for p, q in zip(x1.shape, x2.shape)])


@keras_op("numpy", operands=2)
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = promote(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(x1, axisa, -1), moveaxis(x2, axisb, -1)
    if a.shape[-1] == 2:
        a = tf.concat([a, tf.zeros_like(a[..., :1])], -1)
    if b.shape[-1] == 2:
        b = tf.concat([b, tf.zeros_like(b[..., :1])], -1)
    shape = tf.broadcast_static_shape(a.shape, b.shape)
    a, b = tf.broadcast_to(a, shape), tf.broadcast_to(b, shape)
    result = tf.linalg.cross(a, b)
    if x1.shape[axisa] == 2 and x2.shape[axisb] == 2:
        return result[..., 2]
    return moveaxis(result, -1, axisc)


@keras_op("numpy", operands=1)
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation; the operands are promoted to their common dtype first."""
    operands = promote(*operands)
    if operands and operands[0].dtype == tf.bool:
        operands = [tf.cast(x, tf.int32) for x in operands]
    return tf.einsum(subscripts, *operands)


# --- reductions -------------------------------------------------------------------------

@keras_op("numpy")
def sum(x, axis=None, keepdims=False):  # noqa: A001  (keras.ops's name)
    x = convert(x)
    return tf.reduce_sum(tf.cast(x, _sum_dtype(x.dtype.name)), axis=_axes(axis),
                         keepdims=keepdims)


@keras_op("numpy")
def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert(x)
    x = tf.cast(x, dtype or _sum_dtype(x.dtype.name))
    return tf.reduce_prod(x, axis=_axes(axis), keepdims=keepdims)


@keras_op("numpy")
def mean(x, axis=None, keepdims=False):
    """The mean along `axis`; integers average in `floatx()`.

    >>> from eagerflow.keras import ops
    >>> ops.mean(tf.constant([1, 2]))
    <tf.Tensor: shape=(), dtype=float32, numpy=1.5>
    """
    return tf.reduce_mean(to_float(x), axis=_axes(axis), keepdims=keepdims)


def _extreme(reduce, x, axis, keepdims, initial):
    x = convert(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
        result = tf.cast(reduce(x, axis=_axes(axis), keepdims=keepdims), tf.bool)
    else:
        result = reduce(x, axis=_axes(axis), keepdims=keepdims)
    if initial is not None:
        bound = tf.maximum if reduce is tf.reduce_max else tf.minimum
        result = bound(result, tf.cast(initial, result.dtype))
    return result


@keras_op("numpy")
def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    return _extreme(tf.reduce_max, x, axis, keepdims, initial)


@keras_op("numpy")
def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    return _extreme(tf.reduce_min, x, axis, keepdims, initial)


@keras_op("numpy")
def amax(x, axis=None, keepdims=False):
    return _extreme(tf.reduce_max, x, axis, keepdims, None)


@keras_op("numpy")
def amin(x, axis=None, keepdims=False):
    return _extreme(tf.reduce_min, x, axis, keepdims, None)


@keras_op("numpy")
def ptp(x, axis=None, keepdims=False):
    return amax(x, axis, keepdims) - amin(x, axis, keepdims)


@keras_op("numpy")
def any(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_any(tf.cast(convert(x), tf.bool), axis=_axes(axis), keepdims=keepdims)


@keras_op("numpy")
def all(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_all(tf.cast(convert(x), tf.bool), axis=_axes(axis), keepdims=keepdims)


@keras_op("numpy")
def var(x, axis=None, keepdims=False):
    x = to_float(x)
    centered = x - tf.reduce_mean(x, axis=_axes(axis), keepdims=True)
    return tf.reduce_mean(tf.square(centered), axis=_axes(axis), keepdims=keepdims)


@keras_op("numpy")
def std(x, axis=None, keepdims=False):
    return tf.sqrt(var(x, axis, keepdims))


def _arg_extreme(function, x, axis, keepdims):
    x = convert(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    if axis is None:
        result = function(tf.reshape(x, (-1,)), 0)
        return tf.reshape(result, (1,) * len(x.shape)) if keepdims else result
    result = function(x, axis)
    return tf.expand_dims(result, axis) if keepdims else result


@keras_op("numpy")
def argmax(x, axis=None, keepdims=False):
    return tf.cast(_arg_extreme(tf.argmax, x, axis, keepdims), tf.int32)


@keras_op("numpy")
def argmin(x, axis=None, keepdims=False):
    return tf.cast(_arg_extreme(tf.argmin, x, axis, keepdims), tf.int32)


@keras_op("numpy")
def count_nonzero(x, axis=None):
    return tf.reduce_sum(tf.cast(tf.not_equal(convert(x), 0), tf.int32), axis=_axes(axis))


@keras_op("numpy")
def average(x, axis=None, weights=None):
    x = convert(x)
    if weights is None:
        return mean(x, axis=axis)
    x, weights = promote(x, weights)
    x, weights = to_float(x), to_float(weights)
    if len(weights.shape) == 1 and len(x.shape) > 1 and axis is not None:
        shape = [1] * len(x.shape)
        shape[axis] = weights.shape[0]
        weights = tf.reshape(weights, shape)
    return (tf.reduce_sum(x * weights, axis=axis)
            / tf.reduce_sum(tf.broadcast_to(weights, x.shape), axis=axis))


def _quantile(x, q, axis, method, keepdims, ignore_nan=False):
    """Quantiles `q` (in [0, 1]) of `x` along `axis`, by NumPy's interpolation methods;
    with `ignore_nan`, over the values that are not NaN (NaN where there are none)."""
    x = to_float(x)
    q = tf.cast(convert(q), x.dtype)
    original_rank = len(x.shape)
    if axis is None:
        x, axes = tf.reshape(x, (-1,)), [0]
    else:
        axes = [a % original_rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])]
        keep = [a for a in range(original_rank) if a not in axes]
        x = tf.transpose(x, keep + axes)
        x = tf.reshape(x, [x.shape[i] for i in range(len(keep))] + [-1])
    if ignore_nan:  # NaNs sort last as +inf; each row counts only its other values
        valid = tf.logical_not(tf.math.is_nan(x))
        count = tf.reduce_sum(tf.cast(valid, x.dtype), -1, keepdims=True)
        x = tf.where(valid, x, tf.cast(np.inf, x.dtype))
    else:
        count = tf.fill(tuple(x.shape[:-1]) + (1,), tf.cast(x.shape[-1], x.dtype))
    x = tf.sort(x, axis=-1)
    if len(q.shape):  # one leading result axis per quantile
        q = tf.reshape(q, (-1,) + (1,) * len(x.shape))
    position = q * (count - 1.0)
    lower, upper = tf.floor(position), tf.math.ceil(position)
    if method == "lower":
        upper = lower
    elif method == "higher":
        lower = upper
    elif method == "nearest":
        lower = upper = tf.round(position)
    elif method not in ("linear", "midpoint"):
        raise ValueError(f"`method` must be one of 'linear', 'lower', 'higher', 'midpoint' "
                         f"or 'nearest'. Received: method={method}")
    index = tf.cast(tf.range(x.shape[-1]), x.dtype)

    def value_at(where):
        return tf.reduce_sum(tf.where(tf.equal(index, where), x, tf.zeros_like(x)), -1)
    low, high = value_at(lower), value_at(upper)
    weight = position[..., 0] - lower[..., 0]
    result = (low + high) / 2.0 if method == "midpoint" else low + (high - low) * weight
    if ignore_nan:
        result = tf.where(tf.equal(count[..., 0], 0.0), tf.cast(np.nan, x.dtype), result)
    if keepdims:
        for a in sorted(axes if axis is not None else range(original_rank)):
            result = tf.expand_dims(result, a + (1 if len(q.shape) else 0))
    return result


@keras_op("numpy")
def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims)


@keras_op("numpy")
def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, tf.divide(tf.cast(convert(q), float_dtype(x)), 100.0), axis, method,
                     keepdims)


@keras_op("numpy")
def median(x, axis=None, keepdims=False):
    return _quantile(x, 0.5, axis, "linear", keepdims)


# The nan-ignoring reductions: NaNs become the reduction's identity.
def _without_nans(x, fill):
    x = convert(x)
    if not x.dtype.is_floating:
        return x
    return tf.where(tf.math.is_nan(x), tf.cast(fill, x.dtype), x)


def _nan_count(x, axis, keepdims):
    x = to_float(x)
    return tf.reduce_sum(tf.cast(tf.logical_not(tf.math.is_nan(x)), x.dtype), axis=_axes(axis),
                         keepdims=keepdims)


@keras_op("numpy")
def nansum(x, axis=None, keepdims=False):
    return sum(_without_nans(x, 0), axis, keepdims)


@keras_op("numpy")
def nanprod(x, axis=None, keepdims=False):
    return prod(_without_nans(x, 1), axis, keepdims)


@keras_op("numpy")
def nanmean(x, axis=None, keepdims=False):
    return (tf.reduce_sum(to_float(_without_nans(x, 0)), axis=_axes(axis), keepdims=keepdims)
            / _nan_count(x, axis, keepdims))


@keras_op("numpy")
def nanvar(x, axis=None, keepdims=False):
    x = to_float(x)
    centered = _without_nans(x - nanmean(x, axis, keepdims=True), 0)
    return (tf.reduce_sum(tf.square(centered), axis=_axes(axis), keepdims=keepdims)
            / _nan_count(x, axis, keepdims))


@keras_op("numpy")
def nanstd(x, axis=None, keepdims=False):
    return tf.sqrt(nanvar(x, axis, keepdims))


@keras_op("numpy")
def nanmax(x, axis=None, keepdims=False):
    x = convert(x)
    result = _extreme(tf.reduce_max, _without_nans(x, -np.inf), axis, keepdims, None)
    if not x.dtype.is_floating:
        return result
    all_nan = tf.equal(_nan_count(x, axis, keepdims), 0)
    return tf.where(all_nan, tf.cast(np.nan, x.dtype), result)


@keras_op("numpy")
def nanmin(x, axis=None, keepdims=False):
    return -nanmax(-convert(x), axis, keepdims) if convert(x).dtype.is_floating else \
        min(x, axis, keepdims)


@keras_op("numpy")
def nanargmax(x, axis=None, keepdims=False):
    return argmax(_without_nans(x, -np.inf), axis, keepdims)


@keras_op("numpy")
def nanargmin(x, axis=None, keepdims=False):
    return argmin(_without_nans(x, np.inf), axis, keepdims)


@keras_op("numpy")
def nancumsum(x, axis=None, dtype=None):
    return cumsum(_without_nans(x, 0), axis, dtype)


@keras_op("numpy")
def nancumprod(x, axis=None, dtype=None):
    return cumprod(_without_nans(x, 1), axis, dtype)


@keras_op("numpy")
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, ignore_nan=True)


@keras_op("numpy")
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, tf.divide(tf.cast(convert(q), float_dtype(x)), 100.0), axis, method,
                     keepdims, ignore_nan=True)


@keras_op("numpy")
def nanmedian(x, axis=None, keepdims=False):
    return _quantile(x, 0.5, axis, "linear", keepdims, ignore_nan=True)


def _cumulative_dtype(dtype):
    return "int32" if dtype == "bool" else dtype


@keras_op("numpy")
def cumsum(x, axis=None, dtype=None):
    x = convert(x)
    x = tf.cast(x, dtype or _cumulative_dtype(x.dtype.name))
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    return tf.cumsum(x, axis=axis)


@keras_op("numpy")
def cumprod(x, axis=None, dtype=None):
    x = convert(x)
    x = tf.cast(x, dtype or _cumulative_dtype(x.dtype.name))
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    return tf.math.cumprod(x, axis=axis)


# --- creation -----------------------------------------------------------------------------

def _creation_dtype(dtype):
    return backend.standardize_dtype(dtype) if dtype is not None else backend.floatx()


@keras_op("numpy", operands=0)
def array(x, dtype=None):
    return convert(x, dtype)


def zeros(shape, dtype=None):
    return tf.zeros(shape, _creation_dtype(dtype))


def ones(shape, dtype=None):
    return tf.ones(shape, _creation_dtype(dtype))


def empty(shape, dtype=None):
    return tf.zeros(shape, _creation_dtype(dtype))


def full(shape, fill_value, dtype=None):
    dtype = dtype or dtype_of(fill_value)
    dtype = backend.result_type(dtype)
    return tf.broadcast_to(convert(fill_value, dtype), shape)


def identity(n, dtype=None):
    return tf.eye(n, dtype=_creation_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):  # noqa: N803  (keras.ops's names)
    dtype = _creation_dtype(dtype)
    M = N if M is None else M  # noqa: N806
    rows = tf.reshape(tf.range(N), (-1, 1))
    cols = tf.reshape(tf.range(M), (1, -1))
    return tf.cast(tf.equal(cols - rows, k), dtype)


def tri(N, M=None, k=0, dtype=None):  # noqa: N803
    dtype = _creation_dtype(dtype)
    M = N if M is None else M  # noqa: N806
    rows = tf.reshape(tf.range(N), (-1, 1))
    cols = tf.reshape(tf.range(M), (1, -1))
    return tf.cast(cols - rows <= k, dtype)


@keras_op("numpy")
def zeros_like(x, dtype=None):
    return tf.zeros_like(convert(x), dtype=dtype)


@keras_op("numpy")
def ones_like(x, dtype=None):
    return tf.ones_like(convert(x), dtype=dtype)


@keras_op("numpy")
def empty_like(x, dtype=None):
    return tf.zeros_like(convert(x), dtype=dtype)


@keras_op("numpy")
def full_like(x, fill_value, dtype=None):
    x = convert(x)
    return tf.broadcast_to(tf.cast(convert(fill_value), dtype or x.dtype), x.shape)


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in [start, stop); Python ints give int32, floats `floatx()`.

    >>> from eagerflow.keras import ops
    >>> ops.arange(3)
    <tf.Tensor: shape=(3,), dtype=int32, numpy=array([0, 1, 2], dtype=int32)>
    """
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        dtype = backend.result_type(*(dtype_of(v) for v in (start, stop, step)))
    dtype = backend.standardize_dtype(dtype)
    return tf.range(tf.cast(start, dtype), tf.cast(stop, dtype), tf.cast(step, dtype),
                    dtype=dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = backend.standardize_dtype(dtype) if dtype else backend.floatx()
    start, stop = tf.cast(convert(start), dtype), tf.cast(convert(stop), dtype)
    divisor = (num - 1) if endpoint else num
    step = (stop - start) / float(builtins.max(divisor, 1))
    steps = tf.cast(tf.range(num), dtype)
    steps = tf.reshape(steps, (-1,) + (1,) * len(start.shape))
    result = moveaxis(start + steps * step, 0, axis) if len(start.shape) else start + steps * step
    if endpoint and num > 1:
        result = tf.concat([result[:-1], tf.expand_dims(stop, 0)], 0) if axis == 0 and \
            not len(start.shape) else result
    return (result, step) if retstep else result


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    exponents = linspace(start, stop, num, endpoint=endpoint, dtype=dtype, axis=axis)
    return tf.pow(tf.cast(base, exponents.dtype), exponents)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = backend.standardize_dtype(dtype) if dtype else backend.floatx()
    start, stop = convert(start, dtype), convert(stop, dtype)
    sign = tf.sign(start)
    exponents = linspace(tf.math.log(tf.abs(start)), tf.math.log(tf.abs(stop)), num,
                         endpoint=endpoint, dtype=dtype, axis=axis)
    return sign * tf.exp(exponents)


def _window(name, values):
    def window(x):
        n = int(x)
        if n == 1:
            return tf.ones((1,), backend.floatx())
        k = tf.cast(tf.range(n), backend.floatx())
        return values(k, float(n - 1))
    window.__name__ = name
    window.__doc__ = f"The {name} window of `x` points."
    return window


bartlett = _window("bartlett", lambda k, m: 1.0 - tf.abs(2.0 * k / m - 1.0))
blackman = _window("blackman", lambda k, m: 0.42 - 0.5 * tf.cos(2 * math.pi * k / m)
                   + 0.08 * tf.cos(4 * math.pi * k / m))
hamming = _window("hamming", lambda k, m: 0.54 - 0.46 * tf.cos(2 * math.pi * k / m))
hanning = _window("hanning", lambda k, m: 0.5 - 0.5 * tf.cos(2 * math.pi * k / m))


def kaiser(x, beta):
    n = int(x)
    k = tf.cast(tf.range(n), backend.floatx())
    ratio = 2.0 * k / builtins.max(n - 1, 1) - 1.0
    return _i0(beta * tf.sqrt(1.0 - ratio * ratio)) / _i0(tf.constant(float(beta)))


@keras_op("numpy")
def vander(x, N=None, increasing=False):  # noqa: N803
    x = convert(x)
    N = x.shape[0] if N is None else N  # noqa: N806
    powers = tf.range(N) if increasing else tf.range(N - 1, -1, -1)
    return tf.pow(tf.expand_dims(x, -1), tf.cast(powers, x.dtype))


# --- shapes and indexing ---------------------------------------------------------------------

@keras_op("numpy")
def reshape(x, newshape):
    return tf.reshape(convert(x), newshape)


@keras_op("numpy")
def ravel(x):
    return tf.reshape(convert(x), (-1,))


@keras_op("numpy")
def transpose(x, axes=None):
    return tf.transpose(convert(x), axes)


@keras_op("numpy")
def expand_dims(x, axis):
    x = convert(x)
    for a in sorted(axis) if isinstance(axis, (list, tuple)) else [axis]:
        x = tf.expand_dims(x, a)
    return x


@keras_op("numpy")
def squeeze(x, axis=None):
    x = convert(x)
    if axis is not None:
        for a in [axis] if not isinstance(axis, (list, tuple)) else axis:
            if x.shape[a] != 1:
                raise ValueError(f"Cannot select an axis to squeeze out which has size not "
                                 f"equal to one, got shape={tuple(x.shape)} and axis={axis}")
    return tf.squeeze(x, axis=_axes(axis))


@keras_op("numpy")
def moveaxis(x, source, destination):
    x = convert(x)
    rank = len(x.shape)
    source = [s % rank for s in (source if isinstance(source, (list, tuple)) else [source])]
    destination = [d % rank for d in (destination if isinstance(destination, (list, tuple))
                                      else [destination])]
    order = [a for a in range(rank) if a not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return tf.transpose(x, order)


@keras_op("numpy")
def swapaxes(x, axis1, axis2):
    x = convert(x)
    order = list(range(len(x.shape)))
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return tf.transpose(x, order)


@keras_op("numpy")
def broadcast_to(x, shape):
    return tf.broadcast_to(convert(x), shape)


@keras_op("numpy")
def concatenate(xs, axis=0):
    xs = promote(*xs)
    if axis is None:
        return tf.concat([tf.reshape(x, (-1,)) for x in xs], 0)
    return tf.concat(xs, axis)


@keras_op("numpy")
def append(x1, x2, axis=None):
    return concatenate([x1, x2] if axis is not None else [ravel(x1), ravel(x2)],
                       axis=axis or 0)


@keras_op("numpy")
def stack(x, axis=0):
    return tf.stack(promote(*x), axis)


def _at_least(x, rank):
    x = convert(x)
    while len(x.shape) < rank:
        x = tf.expand_dims(x, 0 if len(x.shape) == 0 or rank == 2 else -1)
    return x


@keras_op("numpy")
def hstack(xs):
    xs = promote(*xs)
    return tf.concat(xs, 0 if len(xs[0].shape) == 1 else 1)


@keras_op("numpy")
def vstack(xs):
    return tf.concat([_at_least(x, 2) for x in promote(*xs)], 0)


@keras_op("numpy")
def dstack(xs):
    parts = []
    for x in promote(*xs):
        if len(x.shape) < 2:
            x = tf.reshape(x, (1, -1))
        if len(x.shape) < 3:
            x = tf.expand_dims(x, -1)
        parts.append(x)
    return tf.concat(parts, 2)


@keras_op("numpy")
def split(x, indices_or_sections, axis=0):
    x = convert(x)
    if isinstance(indices_or_sections, int):
        if x.shape[axis] % indices_or_sections:
            raise ValueError(f"array split does not result in an equal division: "
                             f"{x.shape[axis]} into {indices_or_sections}")
        return tf.split(x, indices_or_sections, axis)
    bounds = [0] + list(indices_or_sections) + [x.shape[axis]]
    return tf.split(x, [b - a for a, b in zip(bounds[:-1], bounds[1:])], axis)


@keras_op("numpy")
def array_split(x, indices_or_sections, axis=0):
    x = convert(x)
    size = x.shape[axis]
    sections = int(indices_or_sections)
    base, extra = divmod(size, sections)
    return tf.split(x, [base + 1] * extra + [base] * (sections - extra), axis)


@keras_op("numpy")
def hsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0 if len(convert(x).shape) == 1 else 1)


@keras_op("numpy")
def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


@keras_op("numpy")
def dsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=2)


@keras_op("numpy")
def tile(x, repeats):
    x = convert(x)
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    if len(repeats) < len(x.shape):
        repeats = [1] * (len(x.shape) - len(repeats)) + repeats
    x = tf.reshape(x, (1,) * (len(repeats) - len(x.shape)) + tuple(x.shape))
    return tf.tile(x, repeats)


@keras_op("numpy")
def repeat(x, repeats, axis=None):
    x = convert(x)
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    return tf.repeat(x, repeats, axis=axis)


@keras_op("numpy")
def flip(x, axis=None):
    x = convert(x)
    axes = list(range(len(x.shape))) if axis is None else (
        list(axis) if isinstance(axis, (list, tuple)) else [axis])
    return tf.reverse(x, axes)


@keras_op("numpy")
def fliplr(x):
    return flip(x, 1)


@keras_op("numpy")
def flipud(x):
    return flip(x, 0)


@keras_op("numpy")
def rot90(array, k=1, axes=(0, 1)):
    x = convert(array)
    k %= 4
    a, b = axes
    if k == 1:
        return swapaxes(flip(x, b), a, b)
    if k == 2:
        return flip(x, [a, b])
    if k == 3:
        return flip(swapaxes(x, a, b), b)
    return x


@keras_op("numpy")
def roll(x, shift, axis=None):
    x = convert(x)
    if axis is None:
        return tf.reshape(tf.roll(tf.reshape(x, (-1,)), shift, 0), x.shape)
    return tf.roll(x, shift, axis)


@keras_op("numpy")
def pad(x, pad_width, mode="constant", constant_values=None):
    x = convert(x)
    pad_width = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (len(x.shape), 2))
    if mode not in ("constant", "reflect", "symmetric"):
        raise ValueError(f"`mode` must be one of 'constant', 'reflect' or 'symmetric' on "
                         f"the TensorFlow backend. Received: mode={mode}")
    if constant_values is not None and mode != "constant":
        raise ValueError(f"Argument `constant_values` can only be provided when "
                         f"`mode == 'constant'`. Received: mode={mode}")
    return tf.pad(x, pad_width.tolist(), mode=mode.upper(),
                  constant_values=constant_values or 0)


@keras_op("numpy")
def diagonal(x, offset=0, axis1=0, axis2=1):
    x = moveaxis(convert(x), [axis1, axis2], [0, 1])
    rows, cols = x.shape[0], x.shape[1]
    length = builtins.max(0, builtins.min(rows, cols - offset) if offset >= 0
                          else builtins.min(rows + offset, cols))
    i = tf.range(length) + builtins.max(-offset, 0)
    j = tf.range(length) + builtins.max(offset, 0)
    return moveaxis(tf.gather_nd(x, tf.stack([i, j], -1)), 0, -1)  # the diagonal goes last


@keras_op("numpy")
def diag(x, k=0):
    x = convert(x)
    if len(x.shape) == 1:
        n = x.shape[0] + builtins.abs(k)
        rows = tf.range(x.shape[0]) + builtins.max(-k, 0)
        cols = tf.range(x.shape[0]) + builtins.max(k, 0)
        return tf.scatter_nd(tf.stack([rows, cols], -1), x, (n, n))
    if len(x.shape) == 2:
        return diagonal(x, k)
    raise ValueError(f"`x` should be 1d or 2d array. Received: x.shape={tuple(x.shape)}")


@keras_op("numpy")
def diagflat(x, k=0):
    return diag(ravel(x), k)


@keras_op("numpy")
def trace(x, offset=0, axis1=0, axis2=1):
    x = convert(x)
    return tf.reduce_sum(tf.cast(diagonal(x, offset, axis1, axis2), _sum_dtype(x.dtype.name)),
                         -1)


@keras_op("numpy")
def tril(x, k=0):
    x = convert(x)
    mask = tri(x.shape[-2], x.shape[-1], k=k, dtype="bool")
    return tf.where(mask, x, tf.zeros_like(x))


@keras_op("numpy")
def triu(x, k=0):
    x = convert(x)
    mask = tri(x.shape[-2], x.shape[-1], k=k - 1, dtype="bool")
    return tf.where(mask, tf.zeros_like(x), x)


@keras_op("numpy", operands=2)
def take(x, indices, axis=None):
    x, indices = convert(x), convert(indices)
    if not indices.dtype.is_integer:
        indices = tf.cast(indices, tf.int32)
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    size = x.shape[axis]
    indices = tf.where(indices < 0, indices + size, indices)
    return tf.gather(x, indices, axis=axis)


@keras_op("numpy", operands=2)
def take_along_axis(x, indices, axis=None):
    x, indices = convert(x), convert(indices)
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    rank = len(x.shape)
    axis %= rank
    indices = tf.where(indices < 0, indices + x.shape[axis], indices)
    shape = [builtins.max(a, b) for a, b in zip(x.shape, indices.shape)]
    shape[axis] = indices.shape[axis]
    indices = tf.broadcast_to(indices, shape)
    x_shape = list(shape)
    x_shape[axis] = x.shape[axis]
    x = tf.broadcast_to(x, x_shape)
    return tf.gather(x, tf.cast(indices, tf.int32), axis=axis, batch_dims=axis) if axis else \
        tf.transpose(tf.gather(tf.transpose(x, _axis_last(rank, 0)),
                               tf.transpose(tf.cast(indices, tf.int32), _axis_last(rank, 0)),
                               axis=rank - 1, batch_dims=rank - 1), _axis_back(rank, 0))


def _axis_last(rank, axis):
    return [a for a in range(rank) if a != axis] + [axis]


def _axis_back(rank, axis):
    order = _axis_last(rank, axis)
    return [order.index(a) for a in range(rank)]


@keras_op("numpy", operands=3)
def where(condition, x1=None, x2=None):
    condition = tf.cast(convert(condition), tf.bool)
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` either both should be `None` or both should have "
                         "non-None value.")
    x1, x2 = promote(x1, x2)
    return tf.where(condition, x1, x2)


@keras_op("numpy")
def nonzero(x):
    indices = tf.where(tf.not_equal(convert(x), 0))
    return tuple(tf.cast(indices[:, i], tf.int32) for i in range(indices.shape[1]))


@keras_op("numpy", operands=2)
def select(condlist, choicelist, default=0):
    choices = promote(*choicelist, default)
    result = choices[-1]
    for condition, choice in zip(reversed(condlist), reversed(choices[:-1])):
        result = tf.where(tf.cast(convert(condition), tf.bool), choice, result)
    return result


@keras_op("numpy")
def clip(x, x_min, x_max):
    x = convert(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    dtype = x.dtype
    return tf.clip_by_value(x, tf.cast(x_min, dtype), tf.cast(x_max, dtype))


@keras_op("numpy")
def round(x, decimals=0):  # noqa: A001
    x = convert(x)
    if not x.dtype.is_floating:
        if decimals >= 0:
            return x
        factor = 10 ** (-decimals)
        return tf.cast(tf.round(tf.cast(x, tf.float64) / factor) * factor, x.dtype)
    if decimals == 0:
        return tf.round(x)
    factor = tf.constant(10.0 ** decimals, x.dtype)
    return tf.round(x * factor) / factor


@keras_op("numpy")
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert(x)
    if not x.dtype.is_floating:
        return x
    big = np.finfo(x.dtype.as_numpy_dtype)
    x = tf.where(tf.math.is_nan(x), tf.cast(nan, x.dtype), x)
    x = tf.where(tf.logical_and(tf.math.is_inf(x), x > 0),
                 tf.cast(big.max if posinf is None else posinf, x.dtype), x)
    return tf.where(tf.logical_and(tf.math.is_inf(x), x < 0),
                    tf.cast(big.min if neginf is None else neginf, x.dtype), x)


@keras_op("numpy", operands=2)
def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = promote(x1, x2)
    close = tf.abs(x1 - x2) <= atol + rtol * tf.abs(x2)
    if x1.dtype.is_floating:
        close = tf.logical_or(close, tf.equal(x1, x2))
        if equal_nan:
            close = tf.logical_or(close, tf.logical_and(tf.math.is_nan(x1), tf.math.is_nan(x2)))
    return close


@keras_op("numpy", operands=2)
def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return tf.reduce_all(isclose(x1, x2, rtol, atol, equal_nan))


@keras_op("numpy", operands=2)
def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = promote(x1, x2)
    found = tf.reduce_any(tf.equal(tf.expand_dims(x1, -1), tf.reshape(x2, (-1,))), -1)
    return tf.logical_not(found) if invert else found


@keras_op("numpy")
def sort(x, axis=-1):
    x = convert(x)
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    if x.dtype == tf.bool:
        return tf.cast(tf.sort(tf.cast(x, tf.int32), axis=axis), tf.bool)
    return tf.sort(x, axis=axis)


@keras_op("numpy")
def argsort(x, axis=-1):
    x = convert(x)
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    return tf.cast(tf.argsort(x, axis=axis, stable=True), tf.int32)


@keras_op("numpy")
def argpartition(x, kth, axis=-1):
    return argsort(x, axis)


@keras_op("numpy", operands=2)
def searchsorted(sorted_sequence, values, side="left"):
    if side not in ("left", "right"):
        raise ValueError(f"`side` must be either 'left' or 'right'. Received: side={side}")
    sorted_sequence, values = promote(sorted_sequence, values)
    return tf.searchsorted(sorted_sequence, values, side=side)


@keras_op("numpy", operands=2)
def digitize(x, bins):
    x, bins = promote(x, bins)
    indices = tf.searchsorted(bins, tf.reshape(x, (-1,)), side="right")
    return tf.reshape(tf.cast(indices, tf.int32), x.shape)


@keras_op("numpy")
def diff(a, n=1, axis=-1):
    x = convert(a)
    for _ in range(n):
        size = x.shape[axis]
        x = tf.gather(x, tf.range(1, size), axis=axis) - tf.gather(x, tf.range(size - 1),
                                                                   axis=axis)
    return x


@keras_op("numpy")
def bincount(x, weights=None, minlength=0, sparse=False):
    x = convert(x)
    length = builtins.max(int(minlength), int(tf.reduce_max(x)) + 1 if x.shape[0] else 0)
    one_hot = tf.one_hot(x, length, dtype=tf.int32 if weights is None else float_dtype(
        weights) if dtype_of(weights) in ("int32", int) else dtype_of(weights))
    if weights is None:
        return tf.reduce_sum(one_hot, -2)
    weights = convert(weights, one_hot.dtype.name)
    return tf.reduce_sum(one_hot * tf.expand_dims(weights, -1), -2)


@keras_op("numpy")
def histogram(x, bins=10, range=None):  # noqa: A002
    x = convert(x)
    low, high = (float(tf.reduce_min(x)), float(tf.reduce_max(x))) if range is None else range
    edges = linspace(low, high, bins + 1, dtype=x.dtype.name if x.dtype.is_floating
                     else "float32")
    index = tf.clip_by_value(tf.searchsorted(edges, tf.cast(x, edges.dtype), side="right") - 1,
                             0, bins - 1)
    inside = tf.logical_and(tf.cast(x, edges.dtype) >= low, tf.cast(x, edges.dtype) <= high)
    counts = tf.reduce_sum(tf.cast(tf.one_hot(index, bins), tf.int32)
                           * tf.cast(tf.expand_dims(inside, -1), tf.int32), 0)
    return counts, edges


@keras_op("numpy")
def unique(x, sorted=True, return_index=False, return_inverse=False,  # noqa: A002
           return_counts=False, axis=None, size=None, fill_value=None):
    """The sorted distinct values of `x` (flattened), with the index of each one's first
    occurrence, the inverse indices and the counts when asked."""
    if axis is not None:
        raise NotImplementedError("ops.unique with `axis` is not supported by eagerflow.")
    x = ravel(x)
    values = np.unique(np.asarray(x))  # only the set of values leaves NumPy: no gradient
    values = tf.constant(values, x.dtype)
    results = [values]
    inverse = tf.searchsorted(values, x)
    if return_index:
        positions = tf.range(x.shape[0])
        results.append(tf.math.unsorted_segment_min(positions, inverse, values.shape[0]))
    if return_inverse:
        results.append(tf.cast(inverse, tf.int32))
    if return_counts:
        results.append(tf.reduce_sum(tf.one_hot(inverse, values.shape[0], dtype=tf.int32), 0))
    return results[0] if len(results) == 1 else tuple(results)


@keras_op("numpy")
def unravel_index(indices, shape):
    indices = convert(indices)
    coordinates = []
    for size in reversed(shape):
        coordinates.append(tf.math.floormod(indices, size))
        indices = tf.math.floordiv(indices, size)
    return tuple(reversed(coordinates))


@keras_op("numpy", operands=1)
def meshgrid(*x, indexing="xy"):
    return tuple(tf.meshgrid(*[convert(v) for v in x], indexing=indexing))


@keras_op("numpy", operands=2)
def correlate(x1, x2, mode="valid"):
    x1, x2 = promote(to_float(x1), to_float(x2))
    n, m = x1.shape[0], x2.shape[0]
    if mode == "valid":
        lags = range(0, builtins.abs(n - m) + 1)
        full_pad = 0
    elif mode == "same":
        full_pad = m // 2
        lags = range(n)
    elif mode == "full":
        full_pad = m - 1
        lags = range(n + m - 1)
    else:
        raise ValueError(f"`mode` must be 'valid', 'same' or 'full'. Received: mode={mode}")
    padded = tf.pad(x1, [[full_pad, full_pad + m]])
    windows = tf.stack([padded[lag:lag + m] for lag in lags])
    return tf.reduce_sum(windows * x2, -1)


@keras_op("numpy")
def corrcoef(x):
    x = to_float(x)
    centered = x - tf.reduce_mean(x, -1, keepdims=True)
    cov = tf.matmul(centered, centered, transpose_b=True)
    d = tf.sqrt(tf.linalg.diag_part(cov))
    return cov / (tf.expand_dims(d, 1) * tf.expand_dims(d, 0))


@keras_op("numpy", operands=2)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = to_float(y)
    size = y.shape[axis]
    upper = tf.gather(y, tf.range(1, size), axis=axis)
    lower = tf.gather(y, tf.range(size - 1), axis=axis)
    widths = dx if x is None else diff(convert(x, y.dtype.name), axis=axis if len(
        convert(x).shape) > 1 else -1)
    return tf.reduce_sum((upper + lower) / 2.0 * widths, axis=axis)


@keras_op("numpy")
def ndim(x):
    return tf.constant(len(convert(x).shape), tf.int32)


@keras_op("numpy")
def size(x):
    return tf.constant(int(np.prod(convert(x).shape)), tf.int32)


@keras_op("numpy")
def get_item(x, key):
    return convert(x)[key]


@keras_op("numpy")
def view(x, dtype=None):
    x = convert(x)
    if dtype is None:
        return x
    return tf.constant(np.asarray(x).view(backend.standardize_dtype(dtype)))


def vectorize(pyfunc, *, excluded=None, signature=None):
    """`pyfunc` mapped over the leading axis of its arguments (NumPy's `vectorize`, on
    whole tensors: Keras's TensorFlow backend does the same with `vectorized_map`)."""
    def vectorized(*args):
        return tf.vectorized_map(lambda elems: pyfunc(*elems), tuple(convert(a) for a in args))
    return vectorized


@keras_op("numpy")
def slogdet(x):
    """The sign and log of the absolute determinant of square matrices."""
    return tuple(tf.linalg.slogdet(to_float(x)))
