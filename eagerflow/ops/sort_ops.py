"""Sorting, ranking and searching: sort, argsort, top_k, in_top_k, unique, searchsorted and
fixed-width histograms.

Orders are stable: equal elements keep their index order, in both directions, as
TensorFlow's (which sorts with `top_k`) do. NaN sorts as the largest value.
"""

import collections

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, primitive, tf_type_name
from eagerflow.framework.tensor import convert_to_tensor, is_tensor
from eagerflow.ops.array_ops import shape_text

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])

# TopKV2's dtypes, in the order TensorFlow lists them.
_SORTABLE = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16,
             dtypes.int8, dtypes.int64, dtypes.uint16, dtypes.float16, dtypes.uint32,
             dtypes.uint64)
_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def _index_dtype(dtype, attr, allowed=_INDEX_TYPES):
    """The NumPy dtype of an index-type attribute, or TensorFlow's error for another."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in allowed:
        names = ", ".join(tf_type_name(d) for d in allowed)
        raise ValueError(f"Value for attr '{attr}' of {tf_type_name(dtype)} is not in the list "
                         f"of allowed values: {names}")
    return dtype.as_numpy_dtype


def _descending_order(x, axis):
    """Indices sorting `x` along `axis` from largest to smallest, ties to the lower index."""
    # A stable ascending sort of the reversed values, reversed back, keeps equal values
    # in their original order.
    order = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    return (x.shape[axis] - 1) - np.flip(order, axis)


# --- gathering along an axis, and its adjoint -------------------------------------------

@primitive("TakeAlongAxis", inputs=2, same_dtype=False)
def _take_along_axis(x, indices, axis):
    return np.take_along_axis(x, indices.astype(np.intp, copy=False), axis=axis)


@_take_along_axis.gradient
def _take_along_axis_grad(op, dy):
    x, indices = op.inputs
    axis = op.attrs["axis"]
    return [_put_along_axis(dy, indices, axis=axis, size=x.shape[axis]), None]


@primitive("PutAlongAxis", inputs=2, same_dtype=False)
def _put_along_axis(updates, indices, axis, size):
    # The indices are distinct along the axis (a permutation or its first k entries).
    shape = list(updates.shape)
    shape[axis] = size
    result = np.zeros(shape, updates.dtype)
    np.put_along_axis(result, indices.astype(np.intp, copy=False), updates, axis=axis)
    return result


@_put_along_axis.gradient
def _put_along_axis_grad(op, ddy):
    return [_take_along_axis(ddy, op.inputs[1], axis=op.attrs["axis"]), None]


# --- sort and argsort -------------------------------------------------------------------

@primitive("TopKV2", dtypes=_SORTABLE, inputs=1, differentiable=False)
def _argsort(values, axis, descending):
    if descending:
        order = _descending_order(values, axis)
    else:
        order = np.argsort(values, axis=axis, kind="stable")
    return order.astype(np.int32)


def _sort_axis(values, axis, direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ASCENDING, DESCENDING. "
                         f"Received: direction={direction}")
    if np.ndim(axis) != 0:
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={axis}.")
    axis = int(np.asarray(axis))
    rank = len(values.shape) if is_tensor(values) else np.ndim(values)
    if not -rank <= axis < rank:
        # TensorFlow reads the axis' size with a strided slice of the shape.
        index = axis + rank if axis < 0 else axis
        raise op_error("StridedSlice", f"slice index {index} of dimension 0 out of bounds.")
    return axis % rank


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """Sorts `values` along `axis`, in "ASCENDING" or "DESCENDING" order.

    The gradient flows to the elements where they came from.

    >>> from eagerflow.ops.sort_ops import sort
    >>> sort(tf.constant([3.0, 1.0, 2.0]), direction="DESCENDING").numpy().tolist()
    [3.0, 2.0, 1.0]

    Raises:
      ValueError: `direction` is neither.
      InvalidArgumentError: `axis` is out of range.
    """
    axis = _sort_axis(values, axis, direction)
    values = convert_to_tensor(values)
    order = _argsort(values, axis=axis, descending=direction == "DESCENDING")
    return _take_along_axis(values, order, axis=axis)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort `values` along `axis`; equal values keep their order.

    >>> from eagerflow.ops.sort_ops import argsort
    >>> argsort(tf.constant([1, 2, 1, 2]), direction="DESCENDING").numpy().tolist()
    [1, 3, 0, 2]

    Raises:
      ValueError: `direction` is neither "ASCENDING" nor "DESCENDING".
      InvalidArgumentError: `axis` is out of range.
    """
    axis = _sort_axis(values, axis, direction)
    return _argsort(values, axis=axis, descending=direction == "DESCENDING")


# --- top_k and in_top_k -----------------------------------------------------------------

@primitive("TopKV2", dtypes=_SORTABLE, inputs=1, multiple_outputs=True)
def _top_k(input, k, sorted=True, index_type=dtypes.int32):
    index_dtype = _index_dtype(index_type, "index_type", (dtypes.int16,) + _INDEX_TYPES)
    if input.ndim < 1:
        raise ValueError(f"input must be >= 1-D, got shape {shape_text(input)}")
    if k < 0:
        raise ValueError(f"Need k >= 0, got {k}")
    if input.shape[-1] < k:
        raise ValueError(f"input must have at least k columns. Had {input.shape[-1]}, needed {k}")
    indices = _descending_order(input, -1)[..., :k]
    return np.take_along_axis(input, indices, axis=-1), indices.astype(index_dtype)


@_top_k.gradient
def _top_k_grad(op, dy, d_indices):
    (x,) = op.inputs
    return [_put_along_axis(dy, op.outputs[1], axis=x.shape.rank - 1, size=x.shape[-1])]


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):
    """The `k` largest entries along the last dimension of `input`, and their indices.

    Equal values are taken lowest index first. The result is always sorted (TensorFlow
    leaves the order unspecified when `sorted=False`).

    >>> from eagerflow.ops.sort_ops import top_k
    >>> result = top_k(tf.constant([1.0, 3.0, 2.0, 3.0]), k=2)
    >>> result.values.numpy().tolist(), result.indices.numpy().tolist()
    ([3.0, 3.0], [1, 3])

    Returns:
      A `TopKV2(values, indices)` named tuple; `indices` has dtype `index_type`.

    Raises:
      InvalidArgumentError: `k` is negative or above the last dimension, or `input` is a scalar.
    """
    k = int(np.asarray(k))
    return TopKV2(*_top_k(input, k, sorted=sorted, index_type=index_type))


@primitive("InTopKV2", inputs=3, same_dtype=(1, 2), differentiable=False)
def _in_top_k(predictions, targets, k):
    if targets.dtype not in (np.int32, np.int64):
        raise ValueError(f"Value for attr 'T' of {tf_type_name(dtypes.from_numpy(targets.dtype))}"
                         f" is not in the list of allowed values: int32, int64")
    if predictions.ndim != 2:
        raise ValueError("predictions must be 2-dimensional")
    if targets.ndim != 1:
        raise ValueError("targets must be 1-dimensional")
    if predictions.shape[0] != targets.shape[0]:
        raise ValueError(f"First dimension of predictions {predictions.shape[0]} must match "
                         f"length of targets {targets.shape[0]}")
    classes = predictions.shape[1]
    valid = (targets >= 0) & (targets < classes)
    target_predictions = np.take_along_axis(
        predictions, np.where(valid, targets, 0)[:, None].astype(np.intp), axis=1)
    # TensorFlow's kernel cannot say for a row holding a non-finite prediction: False.
    finite = np.isfinite(predictions).all(axis=1)
    larger = np.count_nonzero(predictions > target_predictions, axis=1)
    return valid & finite & (larger < k)


def in_top_k(targets, predictions, k, name=None):
    """Whether each `targets[i]` is among the `k` largest `predictions[i]`.

    Classes tied with the target count in its favour; a row holding a non-finite
    prediction, or a target outside the classes, gives False.

    >>> from eagerflow.ops.sort_ops import in_top_k
    >>> in_top_k([0, 2], [[0.1, 0.9, 0.5], [0.3, 0.3, 0.3]], k=1).numpy().tolist()
    [False, True]

    Raises:
      InvalidArgumentError: the shapes do not fit (predictions 2-D, targets 1-D of the
        batch size) or the targets are not int32/int64.
    """
    predictions = convert_to_tensor(predictions, dtypes.float32)
    return _in_top_k(predictions, targets, k)


# --- unique -----------------------------------------------------------------------------

def _unique_in_order(x, out_idx):
    """Unique values in order of first occurrence, the index of each element among them,
    and their counts. Each NaN is its own value."""
    index_dtype = _index_dtype(out_idx, "out_idx")
    if x.ndim != 1:
        raise ValueError("unique expects a 1D vector.")
    _, first, inverse, counts = np.unique(x, return_index=True, return_inverse=True,
                                          return_counts=True, equal_nan=False)
    order = np.argsort(first, kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    return (x[first[order]], position[inverse].astype(index_dtype),
            counts[order].astype(index_dtype))


# No gradient is registered for Unique: differentiating through it is an error, as in TF.
@primitive("Unique", inputs=1, multiple_outputs=True)
def _unique(x, out_idx):
    return _unique_in_order(x, out_idx)[:2]


@primitive("UniqueWithCounts", inputs=1, multiple_outputs=True)
def _unique_with_counts(x, out_idx):
    return _unique_in_order(x, out_idx)


def unique(x, out_idx=dtypes.int32, name=None):
    """The unique elements of the 1-D `x` in order of first occurrence, and for each element
    of `x` the index of its value among them.

    >>> from eagerflow.ops.sort_ops import unique
    >>> y, idx = unique(tf.constant([3, 1, 3, 2, 1]))
    >>> y.numpy().tolist(), idx.numpy().tolist()
    ([3, 1, 2], [0, 1, 0, 2, 1])

    Returns:
      A `Unique(y, idx)` named tuple; `idx` has dtype `out_idx`.
    """
    return Unique(*_unique(x, out_idx))


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """As `unique`, with the number of times each unique value occurs.

    >>> from eagerflow.ops.sort_ops import unique_with_counts
    >>> unique_with_counts(tf.constant([3, 1, 3])).count.numpy().tolist()
    [2, 1]

    Returns:
      A `UniqueWithCounts(y, idx, count)` named tuple; `idx` and `count` have dtype `out_idx`.
    """
    return UniqueWithCounts(*_unique_with_counts(x, out_idx))


# --- searchsorted -----------------------------------------------------------------------

def _bounds(sequences, values, out_type, side):
    """Row-wise insertion points of `values` into the sorted rows of `sequences`."""
    index_dtype = _index_dtype(out_type, "out_type")
    if sequences.ndim == 0 or values.ndim == 0:
        raise op_error("StridedSlice", "slice index -1 of dimension 0 out of bounds.")
    size, count = sequences.shape[-1], values.shape[-1]
    rows = int(np.prod(sequences.shape[:-1], dtype=np.int64))
    if rows != int(np.prod(values.shape[:-1], dtype=np.int64)):
        raise ValueError("Leading dim_size of both tensors must match.")
    sequences = sequences.reshape(rows, size)
    flat_values = values.reshape(rows, count)
    if rows == 1:
        result = np.searchsorted(sequences[0], flat_values[0], side=side)
    else:
        result = _merged_bounds(sequences, flat_values, side)
    return result.reshape(values.shape).astype(index_dtype)


def _merged_bounds(sequences, values, side):
    # One lexsort of every row's sequence and values together: a value's insertion point
    # is the number of sequence elements sorted before it in its row. For side "left" a
    # value goes before sequence elements equal to it, for "right" after them.
    rows, size = sequences.shape
    count = values.shape[1]
    width = size + count
    merged = np.concatenate([sequences, values], axis=1).reshape(-1)
    row = np.repeat(np.arange(rows), width)
    is_value = np.tile(np.arange(width) >= size, rows)
    tie = ~is_value if side == "left" else is_value
    order = np.lexsort((tie, merged, row)).reshape(rows, width)
    column = order % width
    from_sequence = column < size
    before = np.cumsum(from_sequence, axis=1) - from_sequence
    result = np.empty((rows, count), np.int64)
    np.put_along_axis(result, column[~from_sequence].reshape(rows, count) - size,
                      before[~from_sequence].reshape(rows, count), axis=1)
    return result


@primitive("LowerBound", inputs=2, differentiable=False)
def _lower_bound(sorted_inputs, values, out_type):
    return _bounds(sorted_inputs, values, out_type, "left")


@primitive("UpperBound", inputs=2, differentiable=False)
def _upper_bound(sorted_inputs, values, out_type):
    return _bounds(sorted_inputs, values, out_type, "right")


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """Where `values` would be inserted into `sorted_sequence` to keep it sorted.

    The search runs along the last dimension; the leading dimensions pair rows of both.

    >>> from eagerflow.ops.sort_ops import searchsorted
    >>> searchsorted([0.0, 1.0, 1.0, 2.0], [1.0, 1.5], side="right").numpy().tolist()
    [3, 3]

    Raises:
      ValueError: `side` is neither "left" nor "right".
      InvalidArgumentError: the leading dimensions hold different numbers of rows.
    """
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: `side` = "
                         f"'{side}'.")
    search = _lower_bound if side == "left" else _upper_bound
    return search(sorted_sequence, values, out_type)


# --- histograms -------------------------------------------------------------------------

_HISTOGRAM_TYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


def _check_histogram_arguments(values, value_range, nbins):
    if value_range.ndim != 1:
        raise ValueError("value_range should be a vector.")
    if value_range.shape != (2,):
        raise ValueError("value_range should be a vector of 2 elements.")
    nbins = int(np.asarray(nbins))
    if nbins <= 0:
        raise ValueError(f"nbins should be a positive number, but got '{nbins}'")
    low, high = value_range
    if not low < high:
        raise ValueError(f"value_range should satisfy value_range[0] < value_range[1], but got "
                         f"'[{low:g}, {high:g}]'")
    if values.dtype.kind == "f" and np.isnan(values).any():
        raise ValueError("Histogram values must not contain NaN")
    return nbins


@primitive("HistogramFixedWidth", dtypes=_HISTOGRAM_TYPES, differentiable=False)
def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32):
    """Counts `values` in `nbins` equal-width bins spanning `value_range`.

    Values below the range count in the first bin, values above it in the last.

    >>> from eagerflow.ops.sort_ops import histogram_fixed_width
    >>> values = [-1.0, 0.0, 1.5, 2.0, 5.0, 15.0]
    >>> histogram_fixed_width(values, [0.0, 5.0], nbins=5).numpy().tolist()
    [2, 1, 1, 0, 2]

    Raises:
      InvalidArgumentError: `nbins` is not positive, the range is empty, or a value is NaN.
    """
    count_dtype = _index_dtype(dtype, "dtype")
    nbins = _check_histogram_arguments(values, value_range, nbins)
    low, high = value_range
    # As TensorFlow's kernel: the offset in the values' dtype, the division in float64.
    step = float(high - low) / nbins
    offsets = (np.maximum(values, low) - low).astype(np.float64)
    bins = np.minimum(offsets / step, nbins - 1).astype(np.int64)
    return np.bincount(bins.reshape(-1), minlength=nbins).astype(count_dtype)


@primitive("HistogramFixedWidthBins", dtypes=_HISTOGRAM_TYPES, differentiable=False)
def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32):
    """The index of the bin of each of `values`, among `nbins` equal-width bins spanning
    `value_range`; values outside the range go to the first or last bin.

    >>> from eagerflow.ops.sort_ops import histogram_fixed_width_bins
    >>> values = [-1.0, 0.0, 1.5, 2.0, 5.0, 15.0]
    >>> histogram_fixed_width_bins(values, [0.0, 5.0], nbins=5).numpy().tolist()
    [0, 0, 1, 2, 4, 4]
    """
    index_dtype = _index_dtype(dtype, "dtype")
    nbins = int(np.asarray(nbins))
    if nbins <= 0:
        raise ValueError(f"nbins {nbins} must > 0")
    # TensorFlow composes this from ops in the values' (floating) dtype, so a value on a
    # bin edge may round differently than in histogram_fixed_width.
    real = values.dtype.type if values.dtype.kind == "f" else np.float64
    low, high = value_range.astype(real)
    scaled = (values.astype(real) - low) / (high - low)
    bins = np.clip(np.floor(real(nbins) * scaled), 0, nbins - 1)
    return bins.astype(index_dtype)
