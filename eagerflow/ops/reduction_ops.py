"""Reductions (`reduce_sum`, `reduce_mean`, ... `argmax`) and cumulative sums and products."""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import primitive
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.ops import array_ops, math_ops


def normalize_axis(axis, ndim, op_name="Sum"):
    """`axis` (None, int, list or int tensor) as a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(ndim))
    axes = np.reshape(np.asarray(axis), -1)
    if axes.dtype.kind not in "iu":
        raise TypeError(f"axis must be an integer or a list of integers, got {axis!r}")
    result = set()
    for a in axes.tolist():
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"Invalid reduction dimension ({a} for input with {ndim} "
                             "dimension(s)")
        result.add(a % ndim if ndim else 0)
    return tuple(sorted(result))


def _reduction(np_func, x, axis, keepdims, op_name):
    axes = normalize_axis(axis, np.ndim(x), op_name)
    if np.ndim(x) == 0:
        return np.asarray(x)
    return np_func(x, axis=axes, keepdims=keepdims)


def _keepdims_shape(x, axis):
    axes = normalize_axis(axis, x.shape.rank)
    return [1 if i in axes else d for i, d in enumerate(x.shape)]


def _broadcast_back(op, dy):
    """dy of a reduction, reshaped with the reduced axes kept and broadcast to the input."""
    (x,) = op.inputs
    if not op.attrs["keepdims"]:
        dy = array_ops.reshape(dy, _keepdims_shape(x, op.attrs["axis"]))
    return array_ops.broadcast_to(dy, tuple(x.shape))


def _reduced_count(x, axis):
    axes = normalize_axis(axis, x.shape.rank)
    return int(np.prod([x.shape[a] for a in axes], dtype=np.int64))


@primitive("Sum", dtypes="numeric", inputs=1)
def reduce_sum(input_tensor, axis=None, keepdims=False):
    """Sums elements across `axis` (all axes when None), keeping the dtype.

    >>> x = tf.constant([[1, 1, 1], [1, 1, 1]])
    >>> tf.reduce_sum(x).numpy().tolist(), tf.reduce_sum(x, 0).numpy().tolist()
    (6, [2, 2, 2])
    """
    dtype = np.asarray(input_tensor).dtype
    return _reduction(lambda a, **kw: np.sum(a, dtype=dtype, **kw), input_tensor, axis,
                      keepdims, "Sum")


@reduce_sum.gradient
def _reduce_sum_grad(op, dy):
    return [_broadcast_back(op, dy)]


@primitive("Mean", dtypes="numeric", inputs=1)
def reduce_mean(input_tensor, axis=None, keepdims=False):
    """Averages elements across `axis`; integer inputs give integer (truncated) means.

    >>> tf.reduce_mean(tf.constant([1.0, 2.0, 4.0, 5.0])).numpy().tolist()
    3.0
    """
    dtype = np.asarray(input_tensor).dtype
    if dtype.kind in "iu":
        total = _reduction(lambda a, **kw: np.sum(a, dtype=np.int64, **kw), input_tensor,
                           axis, keepdims, "Mean")
        count = max(_count(input_tensor, axis), 1)
        return (np.sign(total) * (np.abs(total) // count)).astype(dtype)
    return _reduction(lambda a, **kw: np.mean(a, dtype=dtype, **kw), input_tensor, axis,
                      keepdims, "Mean")


def _count(x, axis):
    axes = normalize_axis(axis, np.ndim(x))
    return int(np.prod([np.shape(x)[a] for a in axes], dtype=np.int64))


@reduce_mean.gradient
def _reduce_mean_grad(op, dy):
    (x,) = op.inputs
    return [_broadcast_back(op, dy) / max(_reduced_count(x, op.attrs["axis"]), 1)]


def _extremum_grad(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    if not op.attrs["keepdims"]:
        shape = _keepdims_shape(x, op.attrs["axis"])
        y, dy = array_ops.reshape(y, shape), array_ops.reshape(dy, shape)
    mask = math_ops.cast(math_ops.equal(x, y), dy.dtype)
    ties = reduce_sum(mask, op.attrs["axis"], keepdims=True)
    return [mask * (dy / ties)]  # ties share the gradient equally, as in TensorFlow


@primitive("Max", dtypes="real", inputs=1)
def reduce_max(input_tensor, axis=None, keepdims=False):
    """Takes the maximum across `axis`; an empty reduction gives the dtype's lowest value.

    >>> tf.reduce_max(tf.constant([[1, 5], [3, 2]]), axis=1).numpy().tolist()
    [5, 3]
    """
    return _reduction(lambda a, **kw: np.max(a, initial=_lowest(a.dtype), **kw),
                      input_tensor, axis, keepdims, "Max")


@primitive("Min", dtypes="real", inputs=1)
def reduce_min(input_tensor, axis=None, keepdims=False):
    """Takes the minimum across `axis`; an empty reduction gives the dtype's highest value.

    >>> tf.reduce_min(tf.constant([[1, 5], [3, 2]]), axis=1).numpy().tolist()
    [1, 2]
    """
    return _reduction(lambda a, **kw: np.min(a, initial=_highest(a.dtype), **kw),
                      input_tensor, axis, keepdims, "Min")


reduce_max.gradient(_extremum_grad)
reduce_min.gradient(_extremum_grad)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


@primitive("Prod", dtypes="numeric", inputs=1)
def reduce_prod(input_tensor, axis=None, keepdims=False):
    """Multiplies elements across `axis`.

    >>> tf.reduce_prod(tf.constant([[1.0, 2.0], [3.0, 4.0]]), axis=0).numpy().tolist()
    [3.0, 8.0]
    """
    dtype = np.asarray(input_tensor).dtype
    return _reduction(lambda a, **kw: np.prod(a, dtype=dtype, **kw), input_tensor, axis,
                      keepdims, "Prod")


@reduce_prod.gradient
def _reduce_prod_grad(op, dy):
    # The product of all the other elements, via exclusive cumulative products from both
    # sides: exact where the input has zeros, unlike y / x.
    (x,) = op.inputs
    axes = normalize_axis(op.attrs["axis"], x.shape.rank)
    kept = [a for a in range(x.shape.rank) if a not in axes]
    perm = kept + list(axes)
    moved = array_ops.transpose(x, perm) if perm != sorted(perm) else x
    kept_shape = [x.shape[a] for a in kept]
    flat = array_ops.reshape(moved, kept_shape + [-1])
    others = (cumprod(flat, axis=-1, exclusive=True)
              * cumprod(flat, axis=-1, exclusive=True, reverse=True))
    others = array_ops.reshape(others, [x.shape[a] for a in perm])
    inverse = np.argsort(perm).tolist()
    others = array_ops.transpose(others, inverse) if perm != sorted(perm) else others
    return [_broadcast_back(op, dy) * math_ops.conj(others)]


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The variance of elements across `axis` (floating inputs).

    >>> float(tf.math.reduce_variance(tf.constant([1.0, 2.0, 3.0, 4.0])))
    1.25
    """
    x = convert_to_tensor(input_tensor)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise TypeError(f"Input must be either real or complex. Received integer type {x.dtype}.")
    deviation = x - reduce_mean(x, axis, keepdims=True)
    squared = math_ops.square(math_ops.abs(deviation) if x.dtype.is_complex else deviation)
    return reduce_mean(squared, axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The standard deviation of elements across `axis` (floating inputs).

    >>> float(tf.math.reduce_std(tf.constant([1.0, 2.0, 3.0, 4.0])))
    1.1180340051651
    """
    return math_ops.sqrt(reduce_variance(input_tensor, axis, keepdims))


@primitive("ReduceLogSumExp", dtypes="floating", inputs=1)
def reduce_logsumexp(input_tensor, axis=None, keepdims=False):
    """Computes `log(sum(exp(x)))` across `axis`, stably for large values.

    >>> round(float(tf.math.reduce_logsumexp(tf.constant([0.0, 0.0]))), 6)
    0.693147
    """
    x = np.asarray(input_tensor)
    axes = normalize_axis(axis, x.ndim)
    if x.size == 0:
        return np.full(np.sum(x, axis=axes, keepdims=keepdims).shape, -np.inf, x.dtype)
    peak = np.max(x, axis=axes, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0).astype(x.dtype)
    total = np.sum(np.exp(x - peak), axis=axes, keepdims=True, dtype=x.dtype)
    result = np.log(total) + peak
    return result if keepdims else np.squeeze(result, axis=axes)


@reduce_logsumexp.gradient
def _reduce_logsumexp_grad(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    if not op.attrs["keepdims"]:
        shape = _keepdims_shape(x, op.attrs["axis"])
        y, dy = array_ops.reshape(y, shape), array_ops.reshape(dy, shape)
    return [dy * math_ops.exp(x - y)]


@primitive("All", dtypes="bool", inputs=1, differentiable=False)
def reduce_all(input_tensor, axis=None, keepdims=False):
    """Logical AND across `axis`.

    >>> tf.reduce_all(tf.constant([[True, True], [False, True]]), axis=0).numpy().tolist()
    [False, True]
    """
    return _reduction(np.all, input_tensor, axis, keepdims, "All")


@primitive("Any", dtypes="bool", inputs=1, differentiable=False)
def reduce_any(input_tensor, axis=None, keepdims=False):
    """Logical OR across `axis`.

    >>> tf.reduce_any(tf.constant([[True, False], [False, False]]), axis=1).numpy().tolist()
    [True, False]
    """
    return _reduction(np.any, input_tensor, axis, keepdims, "Any")


def _arg_extremum(np_func, x, axis, output_type, op_name):
    x = np.asarray(x)
    axis = 0 if axis is None else int(np.asarray(axis))
    if not -x.ndim <= axis < max(x.ndim, 1) or x.ndim == 0:
        raise ValueError(f"Expected dimension in the range [{-x.ndim}, {x.ndim}), but got "
                         f"{axis}")
    if x.shape[axis] == 0:
        raise ValueError(f"Reduction axis {axis} is empty in shape {list(x.shape)}")
    return np_func(x, axis=axis).astype(dtypes.as_dtype(output_type).as_numpy_dtype)


@primitive("ArgMax", dtypes="real", inputs=1, differentiable=False)
def argmax(input, axis=None, output_type=dtypes.int64):
    """The index of the largest value across `axis` (default 0), int64 by default.

    >>> tf.argmax(tf.constant([[1, 3], [4, 2]])).numpy().tolist()
    [1, 0]
    """
    return _arg_extremum(np.argmax, input, axis, output_type, "ArgMax")


@primitive("ArgMin", dtypes="real", inputs=1, differentiable=False)
def argmin(input, axis=None, output_type=dtypes.int64):
    """The index of the smallest value across `axis` (default 0), int64 by default.

    >>> tf.argmin(tf.constant([[1, 3], [4, 2]]), axis=1).numpy().tolist()
    [0, 1]
    """
    return _arg_extremum(np.argmin, input, axis, output_type, "ArgMin")


# --- cumulative ops ---------------------------------------------------------------------

def _cumulative(np_func, identity, x, axis, exclusive, reverse):
    x = np.asarray(x)
    axis = int(np.asarray(axis))
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {x.ndim}")
    if reverse:
        x = np.flip(x, axis)
    if exclusive:
        pad = [(0, 0)] * x.ndim
        pad[axis] = (1, 0)
        x = np.pad(x, pad, constant_values=identity)
        x = np.delete(x, -1, axis=axis)
    result = np_func(x, axis=axis, dtype=x.dtype)
    return np.flip(result, axis) if reverse else result


@primitive("Cumsum", dtypes="numeric", inputs=1)
def cumsum(x, axis=0, exclusive=False, reverse=False):
    """Cumulative sum along `axis`; `exclusive` leaves out the current element.

    >>> tf.math.cumsum(tf.constant([1, 2, 3]), exclusive=True).numpy().tolist()
    [0, 1, 3]
    """
    return _cumulative(np.cumsum, 0, x, axis, exclusive, reverse)


@cumsum.gradient
def _cumsum_grad(op, dy):
    attrs = op.attrs
    return [cumsum(dy, attrs["axis"], exclusive=attrs["exclusive"],
                   reverse=not attrs["reverse"])]


@primitive("Cumprod", dtypes="numeric", inputs=1)
def cumprod(x, axis=0, exclusive=False, reverse=False):
    """Cumulative product along `axis`; `exclusive` leaves out the current element.

    >>> tf.math.cumprod(tf.constant([1, 2, 3]), reverse=True).numpy().tolist()
    [6, 6, 3]
    """
    return _cumulative(np.cumprod, 1, x, axis, exclusive, reverse)


@cumprod.gradient
def _cumprod_grad(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    attrs = op.attrs
    summed = cumsum(y * dy, attrs["axis"], exclusive=attrs["exclusive"],
                    reverse=not attrs["reverse"])
    return [summed / x]
