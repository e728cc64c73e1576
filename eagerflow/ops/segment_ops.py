"""Segment reductions (sorted ids and unsorted ids), `bincount` and `confusion_matrix`.

Row `i` of `data` goes to segment `segment_ids[i]`. The sorted ops (`segment_sum`, ...)
need non-decreasing ids and give `segment_ids[-1] + 1` segments, empty ones 0 (1 for
products); the unsorted ops take the ids in any order and `num_segments` of them, drop
negative ids, and fill empty segments with the reduction's identity (the dtype's lowest
or highest finite value for max and min). Each forward is one NumPy reduction
(`ufunc.reduceat` over runs of sorted ids, `ufunc.at` otherwise).
"""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.op import op_error, primitive, tf_type_name
from eagerflow.framework.tensor import convert_to_tensor, is_tensor
from eagerflow.ops import array_ops, creation_ops, math_ops

_SORTED_INDEX_DTYPES = (dtypes.int32, dtypes.int64)
_UNSORTED_INDEX_DTYPES = (dtypes.int16, dtypes.int32, dtypes.int64)
_NUM_SEGMENTS_DTYPES = (dtypes.int32, dtypes.int64)


def _dims_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _check_dtype(op_name, array, allowed, attr):
    dtype = dtypes.from_numpy(array.dtype)
    if dtype not in allowed:
        names = ", ".join(tf_type_name(d) for d in allowed)
        raise op_error(op_name, f"Value for attr '{attr}' of {tf_type_name(dtype)} is not in the "
                                f"list of allowed values: {names}")


def _broadcastable_ids(ids, data):
    """`ids` reshaped with trailing 1s, to broadcast against `data` row by row."""
    extra = data.shape.rank - ids.shape.rank
    return array_ops.reshape(ids, list(ids.shape) + [1] * extra) if extra else ids


# --- sorted segments --------------------------------------------------------------------

def _sorted_segments(op_name, data, ids):
    """The start of each run of equal ids, and the number of segments, after TF's checks."""
    _check_dtype(op_name, ids, _SORTED_INDEX_DTYPES, "Tindices")
    if data.ndim == 0:
        raise op_error(op_name, "input must be at least rank 1")
    if ids.ndim != 1:
        raise op_error(op_name, "segment_ids should be a vector.")
    if ids.shape[0] != data.shape[0]:
        raise op_error(op_name, "segment_ids should be the same size as dimension 0 of input.")
    if not ids.size:
        return np.zeros(0, np.int64), 0
    if ids[-1] < 0:
        raise op_error(op_name, "segment ids must be >= 0")
    count = int(ids[-1]) + 1
    starts = np.concatenate([[0], np.flatnonzero(ids[1:] != ids[:-1]) + 1])
    runs = ids[starts]
    # TensorFlow walks the runs in order, checking that each id is below the next and then
    # that it is in range; the first failure is the error.
    decreasing = np.append(runs[:-1] > runs[1:], False)
    bad = np.flatnonzero(decreasing | (runs < 0) | (runs >= count))
    if bad.size:
        k = bad[0]
        if decreasing[k]:
            raise op_error(op_name, "segment ids are not increasing")
        raise op_error(op_name, f"Segment id {runs[k]} out of range [0, {count}), possibly "
                                "because 'segment_ids' input is not sorted.")
    return starts, count


def _sorted_reduce(op_name, ufunc, data, ids, empty):
    starts, count = _sorted_segments(op_name, data, ids)
    result = np.full((count,) + data.shape[1:], empty, data.dtype)
    if starts.size:
        result[ids[starts]] = ufunc.reduceat(data, starts, axis=0, dtype=data.dtype)
    return result


@primitive("SegmentSum", dtypes="numeric", same_dtype=(0,))
def segment_sum(data, segment_ids):
    """Sums the rows of `data` that share a (sorted) segment id.

    >>> from eagerflow.ops.segment_ops import segment_sum
    >>> segment_sum(tf.constant([1, 2, 3, 4]), tf.constant([0, 0, 2, 2])).numpy().tolist()
    [3, 0, 7]
    """
    return _sorted_reduce("SegmentSum", np.add, data, segment_ids, 0)


@segment_sum.gradient
def _segment_sum_grad(op, dy):
    return [_gather_rows(dy, op.inputs[1]), None]


@primitive("SegmentProd", dtypes="numeric", same_dtype=(0,))
def segment_prod(data, segment_ids):
    """Multiplies the rows of `data` that share a (sorted) segment id; empty segments give 1.

    >>> from eagerflow.ops.segment_ops import segment_prod
    >>> segment_prod(tf.constant([1, 2, 3, 4]), tf.constant([0, 0, 2, 2])).numpy().tolist()
    [2, 1, 12]
    """
    return _sorted_reduce("SegmentProd", np.multiply, data, segment_ids, 1)


@primitive("SegmentMean", dtypes="numeric", same_dtype=(0,))
def segment_mean(data, segment_ids):
    """Averages the rows of `data` that share a (sorted) segment id; integers truncate.

    >>> from eagerflow.ops.segment_ops import segment_mean
    >>> x = tf.constant([1.0, 2.0, 3.0, 5.0])
    >>> segment_mean(x, tf.constant([0, 0, 2, 2])).numpy().tolist()
    [1.5, 0.0, 4.0]
    """
    ids = segment_ids
    starts, count = _sorted_segments("SegmentMean", data, ids)
    result = np.zeros((count,) + data.shape[1:], data.dtype)
    if not starts.size:
        return result
    totals = np.add.reduceat(data, starts, axis=0, dtype=data.dtype)
    sizes = np.diff(np.append(starts, ids.size)).reshape((-1,) + (1,) * (data.ndim - 1))
    if data.dtype.kind in "iu":  # C's integer division: truncate toward zero
        means = np.sign(totals) * (np.abs(totals) // sizes)
    else:
        means = totals / sizes
    result[ids[starts]] = means
    return result


@segment_mean.gradient
def _segment_mean_grad(op, dy):
    data, ids = op.inputs
    ones = creation_ops.ones([ids.shape[0]] + [1] * (data.shape.rank - 1), dy.dtype)
    sizes = segment_sum(ones, ids)  # 0 only for empty segments, whose rows nothing gathers
    return [_gather_rows(dy / sizes, ids), None]


@primitive("SegmentMax", dtypes="real", same_dtype=(0,))
def segment_max(data, segment_ids):
    """Takes the maximum of the rows of `data` that share a (sorted) segment id (0 if empty).

    >>> from eagerflow.ops.segment_ops import segment_max
    >>> segment_max(tf.constant([1, 2, 3, 4]), tf.constant([0, 0, 2, 2])).numpy().tolist()
    [2, 0, 4]
    """
    return _sorted_extremum("SegmentMax", np.maximum, data, segment_ids)


@primitive("SegmentMin", dtypes="real", same_dtype=(0,))
def segment_min(data, segment_ids):
    """Takes the minimum of the rows of `data` that share a (sorted) segment id (0 if empty).

    >>> from eagerflow.ops.segment_ops import segment_min
    >>> segment_min(tf.constant([1, 2, 3, 4]), tf.constant([0, 0, 2, 2])).numpy().tolist()
    [1, 0, 3]
    """
    return _sorted_extremum("SegmentMin", np.minimum, data, segment_ids)


def _sorted_extremum(op_name, ufunc, data, ids):
    result = _sorted_reduce(op_name, ufunc, data, ids, 0)
    if data.dtype.kind == "f" and ids.size and np.isnan(data).any():
        result = _nan_like_tensorflow(ufunc, result, data, ids.astype(np.int64))
    return result


def _nan_like_tensorflow(ufunc, result, data, ids):
    """TensorFlow's max and min over a segment with NaNs: a NaN resets the running value
    (`value = x if not x < value`), so the result is NaN if the segment ends in a NaN and
    the extremum of what follows its last NaN otherwise. Segments without NaN keep `result`.
    """
    count = result.shape[0]
    rows = np.arange(ids.size).reshape((-1,) + (1,) * (data.ndim - 1))
    last_nan = np.full(result.shape, -1)
    np.maximum.at(last_nan, ids, np.where(np.isnan(data), rows, -1))
    last_row = np.full(count, -1)
    np.maximum.at(last_row, ids, np.arange(ids.size))
    after_nan = np.where(rows > last_nan[ids], data, -np.inf if ufunc is np.maximum else np.inf)
    tail = np.full(result.shape, after_nan.dtype.type(-np.inf if ufunc is np.maximum
                                                       else np.inf))
    ufunc.at(tail, ids, after_nan)
    ends_in_nan = last_nan == last_row.reshape((-1,) + (1,) * (data.ndim - 1))
    return np.where(last_nan < 0, result, np.where(ends_in_nan, np.nan, tail)).astype(
        data.dtype)


def _extremum_grad(op, dy, sum_segments):
    # The gradient goes to the elements equal to their segment's extremum, shared equally
    # among ties (none where the extremum is NaN), as in TensorFlow.
    data, ids = op.inputs[0], op.inputs[1]
    (extremum,) = op.outputs
    selected = math_ops.equal(data, _gather_rows(extremum, ids))
    selected = math_ops.logical_and(selected,
                                    math_ops.greater_equal(_broadcastable_ids(ids, data), 0))
    ties = sum_segments(math_ops.cast(selected, dy.dtype))
    return [math_ops.where(selected, _gather_rows(dy / ties, ids), 0)] + [None] * (
        len(op.inputs) - 1)


segment_max.gradient(lambda op, dy: _extremum_grad(
    op, dy, lambda values: segment_sum(values, op.inputs[1])))
segment_min.gradient(lambda op, dy: _extremum_grad(
    op, dy, lambda values: segment_sum(values, op.inputs[1])))


def _prod_grad(op, dy, sum_segments, multiply_segments):
    # The product of the other elements of the segment: the product over this element where
    # it is not zero, the product of the non-zero elements at a segment's only zero, and 0
    # where the segment holds another zero. Written with y / x, so second order works.
    data, ids = op.inputs[0], op.inputs[1]
    (product,) = op.outputs
    is_zero = math_ops.equal(data, 0)
    zeros = _gather_rows(sum_segments(math_ops.cast(is_zero, dy.dtype)), ids)
    nonzero = math_ops.where(is_zero, 1, data)
    others = math_ops.where(is_zero, _gather_rows(multiply_segments(nonzero), ids),
                            _gather_rows(product, ids) / nonzero)
    others = math_ops.where(math_ops.greater(math_ops.real(zeros), 1), 0, others)
    return [_gather_rows(dy, ids) * others] + [None] * (len(op.inputs) - 1)


segment_prod.gradient(lambda op, dy: _prod_grad(
    op, dy, lambda values: segment_sum(values, op.inputs[1]),
    lambda values: segment_prod(values, op.inputs[1])))


# --- unsorted segments ------------------------------------------------------------------

def _num_segments(op_name, num_segments):
    if isinstance(num_segments, float):
        raise TypeError(f"Cannot convert {num_segments!r} to EagerTensor of dtype int32")
    value = np.asarray(num_segments._value if is_tensor(num_segments) else num_segments)
    if value.dtype.kind not in "iu":
        _check_dtype(op_name, value, _NUM_SEGMENTS_DTYPES, "Tnumsegments")
    if value.ndim:
        raise op_error(op_name, f"num_segments should be a scalar, not shape "
                                f"{_dims_text(value.shape)}")
    if value < 0:
        raise op_error(op_name, f"Input num_segments == {value} must not be negative.")
    return int(value)


def _unsorted_segments(op_name, data, ids, num_segments):
    """(ids, rows of data, number of segments) with the rows of negative ids dropped."""
    _check_dtype(op_name, ids, _UNSORTED_INDEX_DTYPES, "Tindices")
    count = _num_segments(op_name, num_segments)
    if data.shape[:ids.ndim] != ids.shape:
        raise op_error(op_name, f"data.shape = {_dims_text(data.shape)} does not start with "
                                f"segment_ids.shape = {_dims_text(ids.shape)}")
    flat_ids = ids.reshape(-1).astype(np.int64)
    rows = data.reshape(flat_ids.shape + data.shape[ids.ndim:])
    too_large = np.flatnonzero(flat_ids >= count)
    if too_large.size:
        i = too_large[0]
        where = ",".join(str(int(d)) for d in np.unravel_index(i, ids.shape))
        raise op_error(op_name, f"segment_ids[{where}] = {flat_ids[i]} is out of range "
                                f"[0, {count})")
    keep = flat_ids >= 0
    if not keep.all():
        flat_ids, rows = flat_ids[keep], rows[keep]
    return flat_ids, rows, count


def _unsorted_reduce(op_name, ufunc, data, ids, num_segments, empty):
    ids, rows, count = _unsorted_segments(op_name, data, ids, num_segments)
    result = np.full((count,) + rows.shape[1:], empty, data.dtype)
    ufunc.at(result, ids, rows)
    return result


@primitive("UnsortedSegmentSum", dtypes="numeric", inputs=2, same_dtype=(0,))
def unsorted_segment_sum(data, segment_ids, num_segments):
    """Sums the rows of `data` by segment id, for ids in any order; negative ids are dropped.

    `segment_ids` may have several dimensions: a prefix of `data`'s shape.

    >>> from eagerflow.ops.segment_ops import unsorted_segment_sum
    >>> x = tf.constant([1, 2, 3, 4])
    >>> unsorted_segment_sum(x, tf.constant([2, 0, 2, -1]), num_segments=3).numpy().tolist()
    [2, 0, 4]
    """
    return _unsorted_reduce("UnsortedSegmentSum", np.add, data, segment_ids, num_segments, 0)


@unsorted_segment_sum.gradient
def _unsorted_segment_sum_grad(op, dy):
    return [_gather_rows(dy, op.inputs[1]), None]


@primitive("UnsortedSegmentProd", dtypes="numeric", inputs=2, same_dtype=(0,))
def unsorted_segment_prod(data, segment_ids, num_segments):
    """Multiplies the rows of `data` by segment id, for ids in any order (1 if empty).

    >>> from eagerflow.ops.segment_ops import unsorted_segment_prod
    >>> x = tf.constant([1, 2, 3, 4])
    >>> unsorted_segment_prod(x, tf.constant([2, 0, 2, 0]), num_segments=3).numpy().tolist()
    [8, 1, 3]
    """
    return _unsorted_reduce("UnsortedSegmentProd", np.multiply, data, segment_ids,
                            num_segments, 1)


def _finite_extreme(dtype, lowest):
    info = np.finfo(dtype) if dtype.kind == "f" else np.iinfo(dtype)
    return info.min if lowest else info.max


def _unsorted_extremum(op_name, ufunc, data, segment_ids, num_segments):
    ids, rows, count = _unsorted_segments(op_name, data, segment_ids, num_segments)
    result = np.full((count,) + rows.shape[1:],
                     _finite_extreme(data.dtype, lowest=ufunc is np.maximum), data.dtype)
    ufunc.at(result, ids, rows)
    if data.dtype.kind == "f" and np.isnan(rows).any():
        result = _nan_like_tensorflow(ufunc, result, rows, ids)
    return result


@primitive("UnsortedSegmentMax", dtypes="real", inputs=2, same_dtype=(0,))
def unsorted_segment_max(data, segment_ids, num_segments):
    """Takes the maximum of the rows of `data` by segment id, for ids in any order.

    Empty segments get the dtype's lowest finite value.

    >>> from eagerflow.ops.segment_ops import unsorted_segment_max
    >>> x = tf.constant([1, 2, 3, 4])
    >>> unsorted_segment_max(x, tf.constant([1, 0, 1, 0]), num_segments=2).numpy().tolist()
    [4, 3]
    """
    return _unsorted_extremum("UnsortedSegmentMax", np.maximum, data, segment_ids,
                              num_segments)


@primitive("UnsortedSegmentMin", dtypes="real", inputs=2, same_dtype=(0,))
def unsorted_segment_min(data, segment_ids, num_segments):
    """Takes the minimum of the rows of `data` by segment id, for ids in any order.

    Empty segments get the dtype's highest finite value.

    >>> from eagerflow.ops.segment_ops import unsorted_segment_min
    >>> x = tf.constant([1, 2, 3, 4])
    >>> unsorted_segment_min(x, tf.constant([1, 0, 1, 0]), num_segments=2).numpy().tolist()
    [2, 1]
    """
    return _unsorted_extremum("UnsortedSegmentMin", np.minimum, data, segment_ids,
                              num_segments)


def _unsorted_sum_of(op):
    ids, count = op.inputs[1], op.attrs["num_segments"]
    return lambda values: unsorted_segment_sum(values, ids, count)


unsorted_segment_max.gradient(lambda op, dy: _extremum_grad(op, dy, _unsorted_sum_of(op)))
unsorted_segment_min.gradient(lambda op, dy: _extremum_grad(op, dy, _unsorted_sum_of(op)))
unsorted_segment_prod.gradient(lambda op, dy: _prod_grad(
    op, dy, _unsorted_sum_of(op),
    lambda values: unsorted_segment_prod(values, op.inputs[1], op.attrs["num_segments"])))


def _segment_sizes(data, segment_ids, num_segments):
    """How many rows each segment holds (at least 1), shaped to broadcast against sums."""
    ids = segment_ids if is_tensor(segment_ids) else convert_to_tensor(segment_ids)
    ones = creation_ops.ones(ids.shape, data.dtype)
    sizes = unsorted_segment_sum(ones, ids, num_segments)
    extra = data.shape.rank - ids.shape.rank
    sizes = array_ops.reshape(sizes, [sizes.shape[0]] + [1] * extra)
    return math_ops.maximum(sizes, 1)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """Averages the rows of `data` by segment id, for ids in any order (0 if empty).

    Integers divide into floats, as `/` does.

    >>> from eagerflow.ops.segment_ops import unsorted_segment_mean
    >>> x = tf.constant([1.0, 2.0, 3.0, 5.0])
    >>> unsorted_segment_mean(x, tf.constant([1, 0, 1, 0]), num_segments=3).numpy().tolist()
    [3.5, 2.0, 0.0]
    """
    data = convert_to_tensor(data)
    num_segments = convert_to_tensor(num_segments)
    sums = unsorted_segment_sum(data, segment_ids, num_segments)
    return math_ops.truediv(sums, _segment_sizes(data, segment_ids, num_segments))


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Sums the rows of `data` by segment id and divides by the root of each segment's size.

    >>> from eagerflow.ops.segment_ops import unsorted_segment_sqrt_n
    >>> x = tf.constant([3.0, 1.0, 3.0, 3.0])
    >>> unsorted_segment_sqrt_n(x, tf.constant([0, 1, 0, 0]), num_segments=2).numpy().tolist()
    [5.196152687072754, 1.0]
    """
    data = convert_to_tensor(data)
    num_segments = convert_to_tensor(num_segments)
    sums = unsorted_segment_sum(data, segment_ids, num_segments)
    return sums / math_ops.sqrt(_segment_sizes(data, segment_ids, num_segments))


# --- gathering rows back (the segment ops' gradients) -------------------------------------

@primitive("GatherV2", same_dtype=(0,))
def _gather_rows(params, indices):
    """`params[indices]` along the first axis, with zero rows where an index is negative."""
    rows = np.take(params, np.maximum(indices, 0), axis=0)
    negative = indices < 0
    if negative.any():
        rows = np.where(negative.reshape(negative.shape + (1,) * (params.ndim - 1)), 0, rows)
    return rows


@_gather_rows.gradient
def _gather_rows_grad(op, dy):
    params, indices = op.inputs
    return [unsorted_segment_sum(dy, indices, params.shape[0]), None]


# --- counting ---------------------------------------------------------------------------

_BINCOUNT_DTYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


@primitive("DenseBincount", inputs=2, same_dtype=False)
def _dense_bincount(arr, weights, minlength=None, maxlength=None, binary_output=False):
    _check_dtype("DenseBincount", arr, _SORTED_INDEX_DTYPES, "Tidx")
    _check_dtype("DenseBincount", weights, _BINCOUNT_DTYPES, "T")
    if arr.ndim > 2:
        raise op_error("DenseBincount", f"Shape must be at most rank 2 but is rank {arr.ndim}")
    if weights.size and weights.shape != arr.shape:
        raise op_error("DenseBincount", "`weights` must be the same shape as `arr` or a "
                                        "length-0 `Tensor`, in which case it acts as all "
                                        "weights equal to 1. Received "
                                        f"{_dims_text(weights.shape)}")
    if arr.size and arr.min() < 0:
        raise op_error("DenseBincount", "Input arr must be non-negative!")
    size = int(arr.max()) + 1 if arr.size else 0
    if minlength is not None:
        size = max(size, int(minlength))
    if maxlength is not None:
        size = min(size, int(maxlength))
    rows = arr.reshape(-1, arr.shape[-1]) if arr.ndim == 2 else arr.reshape(1, -1)
    counted = rows < size  # values past maxlength are left out
    bins = (np.arange(rows.shape[0]).reshape(-1, 1) * size + rows)[counted]
    length = rows.shape[0] * size
    if binary_output:
        counts = np.zeros(length, weights.dtype)
        counts[bins] = 1
    elif weights.size:
        counts = np.bincount(bins, weights.reshape(rows.shape)[counted], length)
    else:
        counts = np.bincount(bins, minlength=length)
    counts = counts.astype(weights.dtype, copy=False)
    return counts.reshape(rows.shape[0], size) if arr.ndim == 2 else counts


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None,
             axis=None, binary_output=False):
    """Counts how often each value occurs in the non-negative integers `arr`.

    The result has `max(arr) + 1` bins, at least `minlength` and at most `maxlength`;
    with `weights` each occurrence adds its weight (and the result takes the weights'
    dtype). `axis=-1` counts each row of a 2-D `arr` separately.

    >>> from eagerflow.ops.segment_ops import bincount
    >>> bincount(tf.constant([1, 1, 3, 0])).numpy().tolist()
    [1, 2, 0, 1]
    >>> bincount(tf.constant([1, 1, 3]), weights=[0.5, 1.0, 2.0]).numpy().tolist()
    [0.0, 1.5, 0.0, 2.0]
    """
    arr = arr if is_tensor(arr) else convert_to_tensor(arr)
    if weights is not None:
        weights = weights if is_tensor(weights) else convert_to_tensor(weights)
        if binary_output:
            raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. "
                             "Please specify only one.")
    if not arr.dtype.is_integer:
        arr = math_ops.cast(arr, dtypes.int32)
    axis = 0 if axis is None else axis
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are "
                         "currently supported.")
    if axis == 0:
        arr = array_ops.reshape(arr, [-1])
        if weights is not None:
            weights = array_ops.reshape(weights, [-1])
    if weights is None:
        weights = creation_ops.zeros([0], dtype)
    return _dense_bincount(arr, weights, minlength=_python_int(minlength),
                           maxlength=_python_int(maxlength), binary_output=binary_output)


def _python_int(value):
    return None if value is None else int(np.asarray(value._value if is_tensor(value)
                                                     else value))


def _squeeze_last_if_extra(labels, predictions):
    """Drops a trailing size-1 axis from whichever of the two has one more dimension."""
    difference = predictions.shape.rank - labels.shape.rank
    if difference == 1 and predictions.shape[-1] == 1:
        predictions = array_ops.squeeze(predictions, [-1])
    elif difference == -1 and labels.shape[-1] == 1:
        labels = array_ops.squeeze(labels, [-1])
    return labels, predictions


def _assertion_error(name, condition, values):
    shown = np.reshape(values, -1)[:10]
    return InvalidArgumentError(None, None, f"`{name}` contains negative values.  \n{condition}"
                                            f"\nx (shape={values.shape} dtype=int64) = \n"
                                            f"{[str(v) for v in shown]}")


@primitive("ConfusionMatrix", inputs=3, same_dtype=False)
def _confusion_matrix(labels, predictions, weights, num_classes=None):
    if labels.shape != predictions.shape:
        raise op_error("Pack", f"Shapes of all inputs must match: values[0].shape = "
                               f"{_dims_text(labels.shape)} != values[1].shape = "
                               f"{_dims_text(predictions.shape)}")
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.size and values.min() < 0:
            raise _assertion_error(name, "Condition x >= 0 did not hold element-wise:", values)
    if num_classes is None:
        num_classes = int(max(labels.max(), predictions.max())) + 1 if labels.size else 0
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.size and values.max() >= num_classes:
            shown = np.reshape(values, -1)[:3]
            raise InvalidArgumentError(None, None, f"`{name}` out of bound\nCondition x < y did "
                                                   f"not hold.\nFirst {shown.size} elements of "
                                                   f"x:\n{shown}\nFirst 1 elements of y:\n"
                                                   f"[{num_classes}]")
    matrix = np.zeros((num_classes, num_classes), weights.dtype)
    np.add.at(matrix, (labels.reshape(-1), predictions.reshape(-1)), weights.reshape(-1))
    return matrix


@_confusion_matrix.gradient
def _confusion_matrix_grad(op, dy):
    labels, predictions, _ = op.inputs
    cells = labels * dy.shape[0] + predictions
    return [None, None, _gather_rows(array_ops.reshape(dy, [-1]), cells)]


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=dtypes.int32,
                     name=None):
    """Counts (label, prediction) pairs: entry `[i, j]` is how often label i was predicted j.

    Classes run from 0 to `num_classes - 1` (by default the largest label or prediction);
    with `weights` each pair adds its weight. The result has `dtype`.

    >>> from eagerflow.ops.segment_ops import confusion_matrix
    >>> confusion_matrix([1, 2, 2], [2, 2, 0]).numpy().tolist()
    [[0, 0, 0], [0, 0, 1], [1, 0, 1]]
    """
    labels = labels if is_tensor(labels) else convert_to_tensor(labels)
    predictions = predictions if is_tensor(predictions) else convert_to_tensor(predictions)
    labels, predictions = _squeeze_last_if_extra(labels, predictions)
    labels = math_ops.cast(labels, dtypes.int64)
    predictions = math_ops.cast(predictions, dtypes.int64)
    if weights is None:
        weights = creation_ops.ones_like(predictions, dtype)
    else:
        weights = weights if is_tensor(weights) else convert_to_tensor(weights)
        if not weights.shape.is_compatible_with(predictions.shape):
            raise ValueError(f"Shapes {predictions.shape} and {weights.shape} are incompatible")
        weights = math_ops.cast(weights, dtype)
    return _confusion_matrix(labels, predictions, weights, num_classes=_python_int(num_classes))
