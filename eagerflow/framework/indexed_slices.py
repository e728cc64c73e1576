"""IndexedSlices: a sparse set of rows of a dense tensor, the gradient of a gather.

A gradient that touches a few rows of a large tensor (an embedding table read through
`tf.gather`) is kept as the rows' values and their indices instead of a dense tensor as
big as the table. `tf.convert_to_tensor` densifies it, summing rows with the same index,
through an op the tape can differentiate.
"""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, primitive, shape_tuple, tf_type_name
from eagerflow.framework.tensor import (
    convert_to_tensor, is_tensor, register_tensor_conversion_function, wrap)
from eagerflow.framework.tensor_shape import TensorShape


class IndexedSlices:
    """A sparse representation of a set of tensor slices at given indices.

    Represents the dense tensor whose rows `indices[i]` hold `values[i]` (rows with the
    same index add up) and whose other rows are zero; `dense_shape` is its shape. The
    gradient of `tf.gather` with respect to its `params` is an `IndexedSlices`.

    >>> from eagerflow.framework.indexed_slices import IndexedSlices
    >>> slices = IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([2, 0]),
    ...                        tf.constant([3, 2]))
    >>> tf.convert_to_tensor(slices).numpy().tolist()
    [[3.0, 4.0], [0.0, 0.0], [1.0, 2.0]]

    Args:
      values: a Tensor of shape `[N] + dense_shape[1:]`, the slices.
      indices: a 1-D integer Tensor of N row indices.
      dense_shape: a 1-D integer Tensor (or list), the dense tensor's shape, or None.
    """

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self):
        """The slices, one per index."""
        return self._values

    @property
    def indices(self):
        """The 1-D tensor of row indices of the slices."""
        return self._indices

    @property
    def dense_shape(self):
        """The shape of the dense tensor represented (a 1-D tensor), or None."""
        return self._dense_shape

    @property
    def dtype(self):
        """The `DType` of the values."""
        values = self._values
        return (values if is_tensor(values) else convert_to_tensor(values)).dtype

    @property
    def shape(self):
        """The `TensorShape` of the dense tensor represented (unknown without dense_shape)."""
        if self._dense_shape is None:
            return TensorShape(None)
        return TensorShape(shape_tuple(self._dense_shape))

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __array__(self, dtype=None, copy=None):
        """The dense value as an ndarray (TensorFlow has no such conversion)."""
        return np.asarray(to_dense(self), dtype=dtype)

    def __str__(self):
        dense_shape = ("" if self._dense_shape is None
                       else f", dense_shape={self._dense_shape!s}")
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{dense_shape})"


def to_dense(value):
    """`value` itself, or the dense Tensor an IndexedSlices represents."""
    return convert_to_tensor(value) if isinstance(value, IndexedSlices) else value


def _indexed_slices_to_tensor(value, dtype=None):
    if dtype is not None and dtypes.as_dtype(dtype) != value.dtype:
        raise ValueError(f"Incompatible tensor conversion requested to `dtype` "
                         f"{dtypes.as_dtype(dtype).name} for IndexedSlices ({value}) with "
                         f"dtype {value.dtype.name}")
    if value.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices for argument "
                         f"`value` without dense_shape: {value}")
    return _scatter_rows(value.values, value.indices, shape_tuple(value.dense_shape)[0])


register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_tensor)


def add(first, second):
    """The sum of two gradients, either of which may be an IndexedSlices.

    Two IndexedSlices concatenate their values and indices, as TensorFlow aggregates
    sparse gradients; with a dense tensor the slices are densified and added.
    """
    if not (isinstance(first, IndexedSlices) and isinstance(second, IndexedSlices)):
        return to_dense(first) + to_dense(second)
    from eagerflow.ops import array_ops, math_ops  # concatenating is an array op, one floor up
    indices = [convert_to_tensor(first.indices), convert_to_tensor(second.indices)]
    if indices[0].dtype != indices[1].dtype:
        indices = [math_ops.cast(i, dtypes.int64) for i in indices]
    dense_shape = first.dense_shape if first.dense_shape is not None else second.dense_shape
    return IndexedSlices(array_ops.concat([first.values, second.values], 0),
                         array_ops.concat(indices, 0), dense_shape)


# --- densifying, and its gradient -----------------------------------------------------------

_INDEX_TYPES = (np.int16, np.int32, np.int64)


def _check_index_dtype(op_name, indices, attr="Tindices"):
    if indices.dtype.type not in _INDEX_TYPES:
        raise op_error(op_name, f"Value for attr '{attr}' of "
                                f"{tf_type_name(dtypes.from_numpy(indices.dtype))} is not in "
                                f"the list of allowed values: int16, int32, int64")


def segment_sum_rows(values, segment_ids, num_segments):
    """NumPy: rows of `values` (leading axis) summed into `num_segments` rows by id."""
    result = np.zeros((num_segments,) + values.shape[1:], values.dtype)
    np.add.at(result, segment_ids, values)
    return result


@primitive("UnsortedSegmentSum", inputs=2, same_dtype=False)
def _scatter_rows(data, segment_ids, num_segments):
    # TensorFlow's unsorted_segment_sum for 1-D ids: rows with a negative id are dropped.
    _check_index_dtype("UnsortedSegmentSum", segment_ids)
    if segment_ids.ndim != 1 or data.shape[:1] != segment_ids.shape:
        raise op_error("UnsortedSegmentSum", (
            f"data.shape = {_dims(data.shape)} does not start with segment_ids.shape = "
            f"{_dims(segment_ids.shape)}"))
    bad = np.flatnonzero(segment_ids >= num_segments)
    if bad.size:
        raise op_error("UnsortedSegmentSum", (
            f"segment_ids[{bad[0]}] = {segment_ids[bad[0]]} is out of range "
            f"[0, {num_segments})"))
    kept = segment_ids >= 0
    if not kept.all():
        data, segment_ids = data[kept], segment_ids[kept]
    return segment_sum_rows(data, segment_ids, num_segments)


@_scatter_rows.gradient
def _scatter_rows_grad(op, dy):
    return [_gather_rows(dy, op.inputs[1]), None]


@primitive("GatherV2", same_dtype=False)
def _gather_rows(params, indices):
    # Rows of `params`, zeros for a negative index (TensorFlow's _GatherDropNegatives).
    rows = np.take(params, np.maximum(indices, 0), axis=0)
    dropped = indices < 0
    if dropped.any():
        rows[dropped] = 0
    return rows


@_gather_rows.gradient
def _gather_rows_grad(op, dy):
    params, indices = op.inputs
    return [IndexedSlices(dy, indices, wrap(np.asarray(params.shape, np.int32))), None]


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"
