"""Reductions (`reduce_sum`, `reduce_mean`, ... `argmax`) and cumulative sums and products."""

import math
import operator

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.array_reductions import reduce_axis, sum_array
from eagerflow.framework.op import DTYPE_CATEGORIES, primitive, tf_type_name
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.ops import array_ops, math_ops


def _axis_values(axis):
    """The integers of an `axis` attribute (int, nested list, array or int tensor).

    Raises TensorFlow's errors: TypeError for a Python float, ValueError (the dispatcher
    makes it an InvalidArgumentError) for a non-integer tensor or list.
    """
    if isinstance(axis, float):
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    tensor = convert_to_tensor(axis)
    values = np.reshape(tensor._value, -1)
    if values.size and values.dtype.kind not in "iub":
        raise ValueError(f"Value for attr 'Tidx' of {tf_type_name(tensor.dtype)} is not in the "
                         "list of allowed values: int32, int64")
    return values.astype(np.int64).tolist()


def normalize_axis(axis, ndim, op_name="Sum"):
    """`axis` (None, int, list or int tensor) as a sorted tuple of non-negative ints.

    An empty list reduces nothing. Out-of-range and repeated axes are errors, as in
    TensorFlow (a scalar has no axis 0).
    """
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int:
        axes = (axis,)
    elif type(axis) in (tuple, list) and all(type(a) is int for a in axis):
        axes = axis
    else:
        axes = _axis_values(axis)
    result = set()
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"Invalid reduction dimension ({a} for input with {ndim} "
                             "dimension(s)")
        if a % ndim in result:
            raise ValueError("Invalid reduction arguments: Axes contains duplicate dimension: "
                             f"{a % ndim}")
        result.add(a % ndim)
    return tuple(sorted(result))


def _reduction(np_func, x, axis, keepdims, op_name):
    return _reduce_axes(np_func, x, normalize_axis(axis, np.ndim(x), op_name), keepdims)


def _reduce_axes(np_func, x, axes, keepdims):
    # NumPy's ufunc methods, called from here rather than through np.sum & co., so that
    # overflow and 0/0 warnings are raised from this module, where op.py silences them.
    if not axes:
        return np.asarray(x)
    return np_func(x, axis=axes, keepdims=bool(keepdims))


def _keepdims_shape(x, axis):
    axes = normalize_axis(axis, x.shape.rank)
    return [1 if i in axes else d for i, d in enumerate(x.shape)]


def _with_kept_dims(op, dy):
    """A reduction's input, and its output and dy reshaped with the reduced axes kept."""
    (x,) = op.inputs
    (y,) = op.outputs
    if not op.attrs["keepdims"]:
        shape = _keepdims_shape(x, op.attrs["axis"])
        y, dy = array_ops.reshape(y, shape), array_ops.reshape(dy, shape)
    return x, y, dy


def _broadcast_back(op, dy):
    """dy of a reduction, reshaped with the reduced axes kept and broadcast to the input."""
    (x,) = op.inputs
    if not op.attrs["keepdims"]:
        dy = array_ops.reshape(dy, _keepdims_shape(x, op.attrs["axis"]))
    return array_ops.broadcast_to(dy, tuple(x.shape))


def _reduced_count(x, axis):
    axes = normalize_axis(axis, x.shape.rank)
    return math.prod(x.shape[a] for a in axes)


@primitive("Sum", dtypes="numeric", inputs=1)
def reduce_sum(input_tensor, axis=None, keepdims=False):
    """Sums elements across `axis` (all axes when None), keeping the dtype.

    >>> x = tf.constant([[1, 1, 1], [1, 1, 1]])
    >>> tf.reduce_sum(x).numpy().tolist(), tf.reduce_sum(x, 0).numpy().tolist()
    (6, [2, 2, 2])
    """
    axes = normalize_axis(axis, input_tensor.ndim)
    return sum_array(input_tensor, axes, bool(keepdims)) if axes else np.asarray(input_tensor)


@reduce_sum.gradient
def _reduce_sum_grad(op, dy):
    return [_broadcast_back(op, dy)]


@primitive("Mean", dtypes="numeric", inputs=1)
def reduce_mean(input_tensor, axis=None, keepdims=False):
    """Averages elements across `axis`; integer inputs give integer (truncated) means.

    >>> tf.reduce_mean(tf.constant([1.0, 2.0, 4.0, 5.0])).numpy().tolist()
    3.0
    """
    x = input_tensor
    axes = normalize_axis(axis, x.ndim, "Mean")
    count = math.prod(x.shape[a] for a in axes)
    if x.dtype.kind in "iu":
        total = _reduce_axes(lambda a, **kw: np.add.reduce(a, dtype=np.int64, **kw), x, axes,
                             keepdims)
        return (np.sign(total) * (np.abs(total) // max(count, 1))).astype(x.dtype)
    total = sum_array(x, axes, bool(keepdims)) if axes else np.asarray(x)
    return total / count  # 0 / 0: nan for an empty reduction, as in TensorFlow


@reduce_mean.gradient
def _reduce_mean_grad(op, dy):
    (x,) = op.inputs
    return [_broadcast_back(op, dy) / max(_reduced_count(x, op.attrs["axis"]), 1)]


def _extremum_grad(op, dy):
    x, y, dy = _with_kept_dims(op, dy)
    mask = math_ops.cast(math_ops.equal(x, y), dy.dtype)
    ties = reduce_sum(mask, op.attrs["axis"], keepdims=True)
    return [mask * (dy / ties)]  # ties share the gradient equally, as in TensorFlow


@primitive("Max", dtypes="real", inputs=1)
def reduce_max(input_tensor, axis=None, keepdims=False):
    """Takes the maximum across `axis`; an empty reduction gives the dtype's lowest value.

    >>> tf.reduce_max(tf.constant([[1, 5], [3, 2]]), axis=1).numpy().tolist()
    [5, 3]
    """
    return _extremum(np.maximum, input_tensor, axis, keepdims, _lowest)


@primitive("Min", dtypes="real", inputs=1)
def reduce_min(input_tensor, axis=None, keepdims=False):
    """Takes the minimum across `axis`; an empty reduction gives the dtype's highest value.

    >>> tf.reduce_min(tf.constant([[1, 5], [3, 2]]), axis=1).numpy().tolist()
    [1, 2]
    """
    return _extremum(np.minimum, input_tensor, axis, keepdims, _highest)


reduce_max.gradient(_extremum_grad)
reduce_min.gradient(_extremum_grad)


def _extremum(ufunc, x, axis, keepdims, identity):
    """`ufunc.reduce` over `axis`; an empty reduction gives `identity(dtype)`."""
    axes = normalize_axis(axis, x.ndim)
    if len(axes) == 1 and x.shape[axes[0]]:
        return reduce_axis(ufunc, x, axes, bool(keepdims))
    return _reduce_axes(lambda a, **kw: ufunc.reduce(a, initial=identity(a.dtype), **kw), x,
                        axes, keepdims)


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
    dtype = input_tensor.dtype
    return _reduction(lambda a, **kw: np.multiply.reduce(a, dtype=dtype, **kw), input_tensor,
                      axis, keepdims, "Prod")


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
    means = reduce_mean(x, axis, keepdims=True)  # bool and string inputs fail here, as in TF
    if x.dtype.is_integer:
        raise TypeError(f"Input must be either real or complex. Received integer type {x.dtype}.")
    deviation = x - means
    if x.dtype.is_complex:  # |d|^2 as the real part of d * conj(d): exact, unlike abs(d)^2
        squared = math_ops.cast(deviation * math_ops.conj(deviation), x.dtype.real_dtype)
    else:
        squared = math_ops.square(deviation)
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
        shape = np.add.reduce(x, axis=axes, keepdims=bool(keepdims)).shape
        return np.full(shape, -np.inf, x.dtype)
    peak = _finite_peak(reduce_axis(np.maximum, x, axes, keepdims=True))
    total = reduce_axis(np.add, np.exp(x - peak), axes, keepdims=True)
    result = np.log(total) + peak
    return result if keepdims else np.squeeze(result, axis=axes)


def _finite_peak(peak):
    return np.where(np.isfinite(peak), peak, 0).astype(peak.dtype)


@reduce_logsumexp.gradient
def _reduce_logsumexp_grad(op, dy):
    # softmax(x) over the axes, shifted by the constant peak: exp(x - y) would lose the
    # digits y rounds away (0.49998 for [1000, 1000] in float32 instead of 0.5).
    (x,) = op.inputs
    axis = op.attrs["axis"]
    if not op.attrs["keepdims"]:
        dy = array_ops.reshape(dy, _keepdims_shape(x, axis))
    peak = array_ops.stop_gradient(reduce_max(x, axis, keepdims=True))
    peak = math_ops.where(math_ops.less(math_ops.abs(peak), np.inf), peak, 0)
    exps = math_ops.exp(x - peak)
    return [dy * exps / reduce_sum(exps, axis, keepdims=True)]


@primitive("All", inputs=1, differentiable=False)
def reduce_all(input_tensor, axis=None, keepdims=False):
    """Logical AND across `axis`.

    >>> tf.reduce_all(tf.constant([[True, True], [False, True]]), axis=0).numpy().tolist()
    [False, True]
    """
    math_ops.require_bool("All", input_tensor)
    return _reduction(np.logical_and.reduce, input_tensor, axis, keepdims, "All")


@primitive("Any", inputs=1, differentiable=False)
def reduce_any(input_tensor, axis=None, keepdims=False):
    """Logical OR across `axis`.

    >>> tf.reduce_any(tf.constant([[True, False], [False, False]]), axis=1).numpy().tolist()
    [True, False]
    """
    math_ops.require_bool("Any", input_tensor)
    return _reduction(np.logical_or.reduce, input_tensor, axis, keepdims, "Any")


_ARG_OUTPUT_TYPES = {
    "ArgMax": (dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64),
    "ArgMin": (dtypes.int32, dtypes.int64),
}


def _arg_extremum(np_func, x, axis, output_type, op_name):
    output_type = dtypes.as_dtype(output_type)
    allowed = _ARG_OUTPUT_TYPES[op_name]
    if output_type not in allowed:
        raise ValueError(f"Value for attr 'output_type' of {tf_type_name(output_type)} is not "
                         f"in the list of allowed values: {', '.join(d.name for d in allowed)}")
    try:
        axis = 0 if axis is None else operator.index(axis)
    except TypeError:
        raise TypeError("axis must be int or Tensor with integer datatype") from None
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"Expected dimension in the range [{-x.ndim}, {x.ndim}), but got "
                         f"{axis}")
    if x.shape[axis] == 0:
        shape = ",".join(str(d) for d in x.shape)
        raise ValueError(f"Reduction axis {axis} is empty in shape [{shape}]")
    if x.dtype.kind == "f" and x.size and np.isnan(x.min()):
        # TensorFlow's kernel never picks a NaN (NumPy picks the first one): skip them.
        x = np.where(np.isnan(x), -np.inf if np_func is np.argmax else np.inf, x)
    # The ndarray methods: NumPy's functions add a Python wrapper that costs as much.
    found = x.argmax(axis=axis) if np_func is np.argmax else x.argmin(axis=axis)
    return found.astype(output_type.as_numpy_dtype, copy=False)


_ARG_DTYPES = DTYPE_CATEGORIES["real"] + (dtypes.bool,)


@primitive("ArgMax", dtypes=_ARG_DTYPES, inputs=1, differentiable=False)
def argmax(input, axis=None, output_type=dtypes.int64):
    """The index of the largest value across `axis` (default 0), int64 by default.

    Ties go to the first index; NaNs are skipped.

    >>> tf.argmax(tf.constant([[1, 3], [4, 2]])).numpy().tolist()
    [1, 0]
    """
    return _arg_extremum(np.argmax, input, axis, output_type, "ArgMax")


@primitive("ArgMin", dtypes=_ARG_DTYPES, inputs=1, differentiable=False)
def argmin(input, axis=None, output_type=dtypes.int64):
    """The index of the smallest value across `axis` (default 0), int64 by default.

    Ties go to the first index; NaNs are skipped.

    >>> tf.argmin(tf.constant([[1, 3], [4, 2]]), axis=1).numpy().tolist()
    [0, 1]
    """
    return _arg_extremum(np.argmin, input, axis, output_type, "ArgMin")


# --- norms and counts -------------------------------------------------------------------

@primitive("EuclideanNorm", dtypes="numeric", inputs=1)
def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False):
    """Computes `sqrt(sum(x * conj(x)))` across `axis`, keeping the dtype.

    Integer inputs square and sum in their own dtype and truncate the root, as in
    TensorFlow.

    >>> from eagerflow.ops.reduction_ops import reduce_euclidean_norm
    >>> reduce_euclidean_norm(tf.constant([[3.0, 4.0], [5.0, 12.0]]), axis=1).numpy().tolist()
    [5.0, 13.0]
    """
    x = input_tensor
    squares = x * np.conjugate(x) if x.dtype.kind == "c" else x * x
    total = _reduction(lambda a, **kw: np.add.reduce(a, dtype=x.dtype, **kw), squares, axis,
                       keepdims, "EuclideanNorm")
    if x.dtype.kind in "iu":
        return np.sqrt(total, dtype=np.float64).astype(x.dtype)
    return np.sqrt(total)


@reduce_euclidean_norm.gradient
def _reduce_euclidean_norm_grad(op, dy):
    x, y, dy = _with_kept_dims(op, dy)
    return [x / y * dy]  # no conj for complex inputs, as in TensorFlow


@primitive("CountNonzero", inputs=1, differentiable=False)
def _count_nonzero(input, axis=None, keepdims=False):
    zero = b"" if input.dtype == object else 0  # strings: the empty string is zero
    return _reduction(lambda a, **kw: np.add.reduce(a, dtype=np.int64, **kw),
                      np.not_equal(input, zero), axis, keepdims, "Sum")


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):
    """Counts the non-zero elements across `axis` (NaN counts; so does any non-empty string).

    >>> from eagerflow.ops.reduction_ops import count_nonzero
    >>> x = tf.constant([[0, 1, 2], [0, 0, 3]])
    >>> count_nonzero(x).numpy().tolist(), count_nonzero(x, axis=1).numpy().tolist()
    (3, [2, 1])
    """
    return math_ops.cast(_count_nonzero(input, axis, keepdims=bool(keepdims)), dtype)


# --- cumulative ops ---------------------------------------------------------------------

def _scan_axis(axis, ndim):
    if type(axis) is not int:
        values = _axis_values(axis)
        if np.ndim(axis) != 0:
            shape = ",".join(str(d) for d in np.shape(axis))
            raise ValueError(f"ScanOp: axis must be a scalar, not [{shape}]")
        axis = values[0]
    if not -ndim <= axis < ndim:
        raise ValueError(f"ScanOp: Expected scan axis in the range [{-ndim}, {ndim}), but got "
                         f"{axis}")
    return axis


def _cumulative(np_func, identity, x, axis, exclusive, reverse):
    x = np.asarray(x)
    axis = _scan_axis(axis, x.ndim)
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
    return _cumulative(np.add.accumulate, 0, x, axis, exclusive, reverse)


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
    return _cumulative(np.multiply.accumulate, 1, x, axis, exclusive, reverse)


@cumprod.gradient
def _cumprod_grad(op, dy):
    # Each x_k divided out of the products that hold it is exact where x_k is not zero.
    # At the first zero along the scan those products are recomputed with that zero set to
    # one; after it every product that holds x_k also holds that zero. (TensorFlow gives
    # 0 at every zero instead, which is wrong at the first one.)
    (x,) = op.inputs
    (y,) = op.outputs
    axis, exclusive, reverse = op.attrs["axis"], op.attrs["exclusive"], op.attrs["reverse"]

    def sum_over_products(products):
        return cumsum(math_ops.conj(products) * dy, axis, exclusive=exclusive,
                      reverse=not reverse)

    zero = math_ops.equal(x, 0)
    zeros_before = cumsum(math_ops.cast(zero, x.dtype), axis, exclusive=True, reverse=reverse)
    no_zero_before = math_ops.equal(zeros_before, 0)
    first_zero = math_ops.logical_and(zero, no_zero_before)
    divided = sum_over_products(y) / math_ops.conj(math_ops.where(zero, 1, x))
    patched = cumprod(math_ops.where(first_zero, 1, x), axis, exclusive=exclusive,
                      reverse=reverse)
    at_first_zero = sum_over_products(patched)
    return [math_ops.where(first_zero, at_first_zero,
                           math_ops.where(no_zero_before, divided, 0))]


@primitive("CumulativeLogsumexp", dtypes="floating", inputs=1)
def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False):
    """Computes `log(cumsum(exp(x)))` along `axis`, stably; `exclusive` starts from -inf.

    >>> from eagerflow.ops.reduction_ops import cumulative_logsumexp
    >>> cumulative_logsumexp(tf.constant([0.0, 0.0, 1000.0])).numpy().tolist()
    [0.0, 0.6931471824645996, 1000.0]
    """
    return _cumulative(np.logaddexp.accumulate, -np.inf, x, axis, exclusive, reverse)


@cumulative_logsumexp.gradient
def _cumulative_logsumexp_grad(op, dy):
    # d out_j / d x_k = exp(x_k - out_j) for the k that out_j sums: the gradient is
    # exp(x_k) times a scan of dy * exp(-out) in the other direction, kept in log space
    # (with dy split by sign) so that no exp overflows. Zero terms enter the scans as -inf
    # through `where`, never as log(0) or -inf - -inf: those would turn second-order
    # gradients into nan.
    (x,) = op.inputs
    (out,) = op.outputs
    axis, exclusive, reverse = op.attrs["axis"], op.attrs["exclusive"], op.attrs["reverse"]
    finite = math_ops.greater(out, -np.inf)  # an exclusive scan's first out is -inf

    def scan_back(selected, magnitude):
        keep = math_ops.logical_and(selected, finite)
        terms = math_ops.where(keep, math_ops.log(math_ops.where(keep, magnitude, 1)) - out,
                               -np.inf)
        return math_ops.exp(cumulative_logsumexp(terms, axis, exclusive=exclusive,
                                                 reverse=not reverse) + x)

    return [scan_back(math_ops.greater(dy, 0), dy) - scan_back(math_ops.less(dy, 0), -dy)]
