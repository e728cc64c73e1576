"""Indexing by tensors: gather, gather_nd, scatter_nd, tensor_scatter_nd_*, boolean_mask and
embedding_lookup.

The gradient of a gather along the first axis is an IndexedSlices holding the rows it read,
never a dense tensor as large as the params; gathers along other axes and scatters have
dense gradients, each the adjoint gather or scatter.
"""

import math
import operator

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import NotFoundError, UnimplementedError
from eagerflow.framework.indexed_slices import IndexedSlices, segment_sum_rows
from eagerflow.framework.op import DTYPE_CATEGORIES, op_error, primitive, tf_type_name
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor, wrap
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.framework.variables import Variable
from eagerflow.ops import array_ops, creation_ops, math_ops, reduction_ops

_INDEX_TYPES = ("int16", "int32", "int64")
_RESOURCE_INDEX_TYPES = ("int32", "int64")  # a variable's gathers take no int16
_SCATTER_INDEX_TYPES = ("int16", "int32", "int64", "uint16")  # TensorScatter* also take uint16


def _dims(shape):
    """A shape as TensorFlow's kernels print it: `[2,3]`."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def _check_indices(op_name, indices, allowed=_INDEX_TYPES, attr="Tindices"):
    if indices.dtype.name not in allowed:
        name = tf_type_name(dtypes.from_numpy(indices.dtype))
        raise op_error(op_name, f"Value for attr '{attr}' of {name} is not in the list of "
                                f"allowed values: {', '.join(allowed)}")


def _position(shape, flat_index):
    """`[1,2]` for the element at `flat_index` of an array of `shape`; `` for a scalar."""
    if not shape:
        return ""
    return "[" + ",".join(str(i) for i in np.unravel_index(flat_index, shape)) + "]"


def _int_attr(value, op_name, attr="Taxis"):
    """An integer attribute (axis, batch_dims) given as a Python int or an integer tensor."""
    if isinstance(value, Tensor):
        value = value._value
    try:
        return operator.index(value.item() if isinstance(value, np.ndarray) else value)
    except TypeError:
        name = type(value).__name__ if not isinstance(value, float) else "float"
        raise op_error(op_name, f"Value for attr '{attr}' of {name} is not in the list of "
                                f"allowed values: int32, int64") from None


# --- gather -------------------------------------------------------------------------------

def _gather_dims(op_name, params_rank, indices_rank, axis, batch_dims):
    """TensorFlow's GatherV2 checks; returns axis and batch_dims made non-negative."""
    if params_rank < 1:
        raise op_error(op_name, "params must be at least 1 dimensional")
    least = -axis if axis < 0 else axis + 1
    if params_rank < least:
        raise op_error(op_name, f"Shape must be at least rank {least} but is rank "
                                f"{params_rank}")
    if axis < 0:
        axis += params_rank
    if batch_dims != 0:
        if not -indices_rank <= batch_dims <= indices_rank:
            raise op_error(op_name, f"Expected batch_dims in the range [{-indices_rank}, "
                                    f"{indices_rank}], but got {batch_dims}")
        if batch_dims < 0:
            batch_dims += indices_rank
        if batch_dims >= params_rank:
            raise op_error(op_name, f"batch_dims ({batch_dims}) must be less than "
                                    f"rank(params) ({params_rank}).")
        if axis < batch_dims:
            raise op_error(op_name, f"batch_dims ({batch_dims}) must be less than or equal "
                                    f"to axis ({axis}).")
    return axis, batch_dims


def _gather_layout(params_shape, indices_shape, axis, batch_dims):
    """Sizes (batch, before axis, along axis, after axis, gathered) of a batched gather."""
    return (math.prod(params_shape[:batch_dims]), math.prod(params_shape[batch_dims:axis]),
            params_shape[axis], math.prod(params_shape[axis + 1:]),
            math.prod(indices_shape[batch_dims:]))


def _gather_forward(op_name, index_types):
    def forward(params, indices, axis=0, batch_dims=0):
        _check_indices(op_name, indices, index_types)
        axis, batch_dims = _gather_dims(op_name, params.ndim, indices.ndim, axis, batch_dims)
        for i in range(batch_dims):
            if params.shape[i] != indices.shape[i]:
                raise op_error(op_name, f"params.shape[{i}]: {params.shape[i]} should be equal "
                                        f"to indices.shape[{i}]: {indices.shape[i]}")
        size = params.shape[axis]
        if indices.size and (indices.min() < 0 or indices.max() >= size):
            first = int(np.argmax((indices < 0) | (indices >= size)))
            raise op_error(op_name, f"indices{_position(indices.shape, first)} = "
                                    f"{indices.reshape(-1)[first]} is not in [0, {size})")
        if batch_dims == 0:
            return np.asarray(np.take(params, indices, axis=axis))
        batch, before, _, after, picked = _gather_layout(params.shape, indices.shape, axis,
                                                         batch_dims)
        grid = params.reshape(batch, before, size, after)
        result = np.take_along_axis(grid, indices.reshape(batch, 1, picked, 1), axis=2)
        return result.reshape(params.shape[:axis] + indices.shape[batch_dims:]
                              + params.shape[axis + 1:])
    return forward


_gather = primitive("GatherV2", same_dtype=False)(_gather_forward("GatherV2", _INDEX_TYPES))
resource_gather = primitive("ResourceGather", same_dtype=False)(
    _gather_forward("ResourceGather", _RESOURCE_INDEX_TYPES))


def _gather_grad(op, dy):
    params, indices = op.inputs
    if op.attrs["axis"] == 0:  # as given: TensorFlow's gradient for axis=-rank is dense
        size = indices._value.size
        values = array_ops.reshape(dy, (size,) + params._value.shape[1:])
        dense_shape = wrap(np.asarray(params._value.shape, np.int32))
        return [IndexedSlices(values, array_ops.reshape(indices, (size,)), dense_shape), None]
    axis, batch_dims = _gather_dims(op.type, params.ndim, indices.ndim, op.attrs["axis"],
                                    op.attrs["batch_dims"])
    return [_gather_backprop(dy, indices, shape=params._value.shape, axis=axis,
                             batch_dims=batch_dims), None]


_gather.gradient(_gather_grad)
resource_gather.gradient(_gather_grad)


@primitive("UnsortedSegmentSum", inputs=2, same_dtype=False)
def _gather_backprop(dy, indices, shape=(), axis=0, batch_dims=0):
    # The adjoint of a gather: each gathered slice of `dy` adds into the slot it came from.
    batch, before, size, after, picked = _gather_layout(shape, indices.shape, axis,
                                                        batch_dims)
    rows = dy.reshape(batch, before, picked, after).transpose(0, 2, 1, 3)
    rows = rows.reshape(batch * picked, before * after)
    offsets = np.arange(batch, dtype=np.int64)[:, np.newaxis] * size
    segments = (indices.reshape(batch, picked).astype(np.int64) + offsets).reshape(-1)
    summed = segment_sum_rows(rows, segments, batch * size)
    return summed.reshape(batch, size, before, after).transpose(0, 2, 1, 3).reshape(shape)


@_gather_backprop.gradient
def _gather_backprop_grad(op, ddx):
    return [_gather(ddx, op.inputs[1], axis=op.attrs["axis"],
                    batch_dims=op.attrs["batch_dims"]), None]


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Gather slices from params axis `axis` according to indices.

    The output has shape `params.shape[:axis] + indices.shape[batch_dims:] +
    params.shape[axis + 1:]`. With `batch_dims`, the leading dimensions of `params` and
    `indices` are batch dimensions and each batch element gathers from its own slice.
    Out-of-range indices raise an error.

    >>> tf.gather(tf.constant([[1, 2], [3, 4], [5, 6]]), [2, 0]).numpy().tolist()
    [[5, 6], [1, 2]]

    Args:
      params: the tensor (or variable) to gather from.
      indices: an int16, int32 or int64 tensor of indices in `[0, params.shape[axis])`.
      validate_indices: deprecated, does nothing.
      axis: the axis of `params` to gather from (negative counts from the end); defaults
        to `batch_dims`.
      batch_dims: the number of leading batch dimensions (negative counts from the end of
        `indices`).

    Returns:
      A tensor of the dtype of `params`. Its gradient with respect to `params` is an
      `IndexedSlices` when `axis` is 0.

    Raises:
      InvalidArgumentError: an index is out of range, or `axis` or `batch_dims` is invalid.
    """
    batch_dims = _int_attr(batch_dims, "GatherV2")
    axis = batch_dims if axis is None else _int_attr(axis, "GatherV2")
    if axis == 0:  # TensorFlow then ignores batch_dims, and reads a variable's rows only
        if isinstance(params, Variable):
            return params.sparse_read(indices)
        return _gather(params, indices)
    return _gather(params, indices, axis=axis, batch_dims=batch_dims)


# --- gather_nd ----------------------------------------------------------------------------

def _nd_index(indices, batch_shape):
    """The NumPy index that picks, for each row of `indices`, the element or slice it names,
    behind batch coordinates for `batch_shape`."""
    lead = indices.shape[:-1]
    grids = tuple(np.broadcast_to(g.reshape(g.shape + (1,) * (len(lead) - len(batch_shape))),
                                  lead)
                  for g in np.indices(batch_shape, sparse=True))
    return grids + tuple(np.moveaxis(indices, -1, 0))


def _gather_nd_forward(op_name, index_types):
    def forward(params, indices, batch_dims=0):
        _check_indices(op_name, indices, index_types)
        if params.ndim < 1:
            raise op_error(op_name, "params must be at least a vector")
        if indices.ndim < 1:
            raise op_error(op_name, "indices must be at least a vector")
        batch_shape = params.shape[:batch_dims]
        depth = indices.shape[-1]
        # With batch dimensions TensorFlow flattens them into one leading index column.
        extra = 1 if batch_dims else 0
        shown_shape = ((math.prod(batch_shape),) if batch_dims else ()) + params.shape[
            batch_dims:]
        if depth > params.ndim - batch_dims:
            raise op_error(op_name, f"index innermost dimension length must be <= params rank; "
                                    f"saw: {depth + extra} vs. {params.ndim - batch_dims + extra}")
        if indices.shape[:batch_dims] != batch_shape:
            wanted = math.prod(batch_shape) * math.prod(indices.shape[batch_dims:])
            raise op_error("Reshape", (
                f"Input to reshape is a tensor with {indices.size} values, but the requested "
                f"shape has {wanted}") if wanted != indices.size else (
                f"params.shape[:{batch_dims}] = {_dims(batch_shape)} must equal "
                f"indices.shape[:{batch_dims}] = {_dims(indices.shape[:batch_dims])}"))
        rows = indices.reshape(math.prod(indices.shape[:-1]), depth)
        if rows.shape[0] and params.size == 0:
            raise op_error(op_name, f"Requested more than 0 entries, but params is empty.  "
                                    f"Params shape: {_dims(shown_shape)}")
        bad = np.any((rows < 0) | (rows >= np.asarray(params.shape[batch_dims:batch_dims
                                                                   + depth])), axis=1)
        if bad.any():
            first = int(np.argmax(bad))
            row = rows[first].tolist()
            if batch_dims:
                row = [first // math.prod(indices.shape[batch_dims:-1])] + row
            place = _position(((math.prod(batch_shape),) if batch_dims else ())
                              + indices.shape[batch_dims:-1], first)
            raise op_error(op_name, f"indices{place} = [{', '.join(map(str, row))}] does not "
                                    f"index into param shape {_dims(shown_shape)}, node name: "
                                    f"{op_name}")
        index = _nd_index(indices, batch_shape)
        if not index:
            return np.broadcast_to(params, indices.shape[:-1] + params.shape)
        return np.asarray(params[index])
    return forward


_gather_nd = primitive("GatherNd", same_dtype=False)(_gather_nd_forward("GatherNd", _INDEX_TYPES))
resource_gather_nd = primitive("ResourceGatherNd", same_dtype=False)(
    _gather_nd_forward("ResourceGatherNd", _RESOURCE_INDEX_TYPES))


def _gather_nd_grad(op, dy):
    params, indices = op.inputs
    batch_dims = op.attrs["batch_dims"]
    if batch_dims == 0 and indices.ndim == 2 and indices.shape[-1] == 1:
        # TensorFlow gives the dense shape the indices' dtype.
        shape_type = np.int64 if indices.dtype is dtypes.int64 else np.int32
        dense_shape = wrap(np.asarray(params._value.shape, shape_type))
        rows = array_ops.reshape(indices, (indices.shape[0],))
        return [IndexedSlices(dy, rows, dense_shape), None]
    return [_gather_nd_backprop(dy, indices, shape=params._value.shape,
                                batch_dims=batch_dims), None]


_gather_nd.gradient(_gather_nd_grad)
resource_gather_nd.gradient(_gather_nd_grad)


@primitive("ScatterNd", inputs=2, same_dtype=False)
def _gather_nd_backprop(dy, indices, shape=(), batch_dims=0):
    # The adjoint of gather_nd: every gathered element or slice adds into its place.
    result = np.zeros(shape, dy.dtype)
    index = _nd_index(indices, shape[:batch_dims])
    np.add.at(result, index, dy)
    return result


@_gather_nd_backprop.gradient
def _gather_nd_backprop_grad(op, ddx):
    return [_gather_nd(ddx, op.inputs[1], batch_dims=op.attrs["batch_dims"]), None]


def gather_nd(params, indices, batch_dims=0, name=None, bad_indices_policy=""):
    """Gather slices from `params` into a Tensor with shape specified by `indices`.

    The last dimension of `indices` holds index vectors into the first dimensions of
    `params`: the output has shape `indices.shape[:-1] + params.shape[indices.shape[-1]:]`.

    >>> tf.gather_nd(tf.constant([[1, 2], [3, 4]]), [[1, 0], [0, 1]]).numpy().tolist()
    [3, 2]

    Args:
      params: the tensor to gather from.
      indices: an int16, int32 or int64 tensor of index vectors.
      batch_dims: the number of leading batch dimensions shared by `params` and `indices`.
      bad_indices_policy: only the default ("", an error) is supported.

    Raises:
      InvalidArgumentError: an index vector is out of range.
      ValueError: `batch_dims` is negative or not below the ranks of the inputs.
    """
    _check_policy("GatherNd", bad_indices_policy)
    batch_dims = _int_attr(batch_dims, "GatherNd")
    if batch_dims == 0:
        if isinstance(params, Variable):  # as in TensorFlow, the variable gathers itself
            return params.gather_nd(indices)
        return _gather_nd(params, indices)
    if batch_dims < 0:
        raise ValueError("tf.gather_nd does not allow negative batch_dims.")
    for argument, value in (("indices", indices), ("params", params)):
        rank = len(value.shape) if is_tensor(value) else np.ndim(value)
        if batch_dims >= rank:
            raise ValueError(f"Argument `batch_dims` = {batch_dims} must be less than "
                             f"rank(`{argument}`) = {rank}")
    return _gather_nd(params, indices, batch_dims=batch_dims)


# --- scatter ------------------------------------------------------------------------------

def _check_policy(op_name, bad_indices_policy):
    if bad_indices_policy not in ("", "DEFAULT", "ERROR"):
        raise UnimplementedError(None, None, (
            f"bad_indices_policy={bad_indices_policy!r} is not supported: out-of-range indices "
            f"are an error [Op:{op_name}]"))


def _valid_empty(num_output, num_indices, num_updates):
    """TensorFlow's rule: no indices and updates, or all three non-empty."""
    return (num_indices == 0 and num_updates == 0) or (
        num_output != 0 and num_indices != 0 and num_updates != 0)


def _check_ranks(op_name, indices, updates):
    for what, array in (("Indices", indices), ("Updates", updates)):
        if not array.ndim:
            raise op_error(op_name, f"{what} shape must have rank at least one. Found:"
                                    f"{_dims(array.shape)}")


def _check_scatter_shapes(op_name, shape, indices, updates, shape_size, tensor_scatter):
    """The ScatterNd and TensorScatter* kernels' checks, with their own messages."""
    _check_ranks(op_name, indices, updates)
    index_shape, update_shape = indices.shape, updates.shape
    if not _valid_empty(shape_size, indices.size, updates.size):
        raise op_error(op_name, "Indices and updates specified for empty output shape")
    outer = len(index_shape) - 1
    if update_shape[:outer] != index_shape[:outer]:
        raise op_error(op_name, (
            f"Outer dimensions of indices and update must match. Indices shape: "
            f"{_dims(index_shape)}, updates shape:{_dims(update_shape)}") if tensor_scatter else (
            f"Dimensions [0,{outer}) of indices[shape={_dims(index_shape)}] must match "
            f"dimensions [0,{outer}) of updates[shape={_dims(update_shape)}]"))
    depth = index_shape[-1]
    inner = (f"Dimensions [{depth},{len(shape)}) of input[shape={_dims(shape)}] must match "
             f"dimensions [{outer},{len(update_shape)}) of updates[shape="
             f"{_dims(update_shape)}]")
    if len(update_shape) - outer != len(shape) - depth:
        raise op_error(op_name, (
            f"Inner dimensions of output shape must match inner dimensions of updates shape. "
            f"Output: {_dims(shape)} updates: {_dims(update_shape)}") if tensor_scatter
            else inner)
    if update_shape[outer:] != tuple(shape[depth:]):
        raise op_error(op_name, (
            f"The inner {len(shape) - depth} dimensions of output.shape={_dims(shape)} must "
            f"match the inner {len(update_shape) - outer} dimensions of updates.shape="
            f"{_dims(update_shape)}") if tensor_scatter else inner)


def _scatter_index(op_name, shape, indices, updates):
    """The checks every scatter makes before writing, then the NumPy index of its targets."""
    index_shape, update_shape = indices.shape, updates.shape
    if not shape:
        raise op_error(op_name, f"Output must be at least 1-D, got shape: {_dims(shape)}")
    if not _valid_empty(math.prod(shape), indices.size, updates.size):
        raise op_error(op_name, f"Indices and updates specified for empty output.  indices "
                                f"shape: {_dims(index_shape)}")
    if update_shape[0] != index_shape[0]:
        raise op_error(op_name, (
            f"Dimensions [0,1) of indices[shape={_dims(index_shape)}] = {index_shape[0]} must "
            f"match dimensions [0,1) of updates[shape={_dims(update_shape)}] = "
            f"{update_shape[0]}"))
    # A vector of indices is read as N indices of depth 1 here (and so never fits).
    depth = index_shape[-1] if len(index_shape) > 1 else 1
    batch = len(index_shape) - 1 if len(index_shape) > 1 else 1
    prefix = (f"Dimensions [0,{batch}) of indices[shape={_dims(index_shape)}] must match "
              f"dimensions [0,{batch}) of updates[shape={_dims(update_shape)}]")
    suffix = (f"Dimensions [{depth},{len(shape)}) of input[shape={_dims(shape)}] must match "
              f"dimensions [{depth},{len(update_shape)}) of updates[shape="
              f"{_dims(update_shape)}]")
    if len(update_shape) < batch:
        raise op_error(op_name, prefix)
    if (len(shape) < depth + len(update_shape) - batch
            or len(update_shape) != batch + len(shape) - depth):
        raise op_error(op_name, suffix)
    if update_shape[:batch] != index_shape[:batch]:
        raise op_error(op_name, prefix)
    if update_shape[batch:] != tuple(shape[depth:]):
        raise op_error(op_name, suffix)
    if math.prod(shape) == 0:
        return None
    if not 1 <= depth <= 7:
        raise op_error(op_name, f"Only indices.shape[-1] values between 1 and 5 are currently "
                                f"supported.  Requested rank: {depth}")
    rows = indices.reshape(-1, depth)
    bad = np.any((rows < 0) | (rows >= np.asarray(shape[:depth])), axis=1)
    if bad.any():
        first = int(np.argmax(bad))
        raise op_error(op_name, f"indices{_position(index_shape[:-1], first)} = "
                                f"[{', '.join(map(str, rows[first].tolist()))}] does not "
                                f"index into shape {_dims(shape)}")
    return tuple(np.moveaxis(indices, -1, 0))


def _zeros(shape, dtype):
    if dtype.kind == "O":  # strings start empty
        return np.full(shape, b"", dtype=object)
    return np.zeros(shape, dtype)


def _shape_vector(shape):
    """ScatterNd's `shape` input: its values, whether it is a vector, its element count."""
    array = np.asarray(shape._value if isinstance(shape, Tensor) else (
        shape.as_list() if isinstance(shape, TensorShape) else shape))
    if array.dtype.kind not in "iu":
        raise TypeError(f"Cannot convert {array.tolist()} to EagerTensor of dtype int32")
    return tuple(int(d) for d in array.reshape(-1)), array.ndim == 1


@primitive("ScatterNd", inputs=2, same_dtype=False)
def _scatter_nd(indices, updates, shape):
    _check_indices("ScatterNd", indices)
    dims, is_vector = _shape_vector(shape)
    _check_ranks("ScatterNd", indices, updates)
    for d in dims:
        if d < 0:
            raise op_error("ScatterNd", f"Dimension {d} must be >= 0")
    _check_scatter_shapes("ScatterNd", dims, indices, updates, len(dims), False)
    if not is_vector:
        raise op_error("ScatterNd", "Shape must be a vector")
    result = _zeros(dims, updates.dtype)
    index = _scatter_index("ScatterNd", dims, indices, updates)
    if index is not None:
        np.add.at(result, index, updates)
    return result


@_scatter_nd.gradient
def _scatter_nd_grad(op, dy):
    return [None, _gather_nd(dy, op.inputs[0])]


def scatter_nd(indices, updates, shape, bad_indices_policy="", name=None):
    """Scatters `updates` into a tensor of shape `shape` according to `indices`.

    Starts from zeros; `indices` has shape `[..., k]` and names elements or slices of the
    first k dimensions; updates to the same place add up.

    >>> tf.scatter_nd([[1], [3], [1]], [1.0, 2.0, 3.0], [5]).numpy().tolist()
    [0.0, 4.0, 0.0, 2.0, 0.0]

    Args:
      indices: an int16, int32 or int64 tensor of shape `[..., k]`.
      updates: a tensor of shape `indices.shape[:-1] + shape[k:]`.
      shape: the output's shape, a 1-D integer tensor or list.
      bad_indices_policy: only the default ("", an error) is supported.

    Raises:
      InvalidArgumentError: the shapes do not fit or an index is out of range.
    """
    _check_policy("ScatterNd", bad_indices_policy)
    return _scatter_nd(indices, updates, shape)


def _tensor_scatter(op_name, tensor, indices, updates, allowed, write):
    _check_indices(op_name, indices, _SCATTER_INDEX_TYPES)
    if allowed is not None and dtypes.from_numpy(tensor.dtype) not in allowed:
        dtype = dtypes.from_numpy(tensor.dtype).name.upper()
        index_type = dtypes.from_numpy(indices.dtype).name.upper()
        raise NotFoundError(None, None, (
            f"Could not find device for node: {{{{node {op_name}}}}} = {op_name}[T=DT_{dtype}, "
            f"Tindices=DT_{index_type}, bad_indices_policy=\"\"]"))
    _check_scatter_shapes(op_name, tensor.shape, indices, updates, tensor.size, True)
    index = _scatter_index(op_name, tensor.shape, indices, updates)
    result = np.array(tensor, copy=True)
    if index is not None:
        write(result, index, updates)
    return result


def _assign(array, index, updates):
    array[index] = updates


_NUMERIC = DTYPE_CATEGORIES["numeric"]
_REAL = DTYPE_CATEGORIES["real"]


@primitive("TensorScatterUpdate", same_dtype=(0, 2))
def tensor_scatter_nd_update(tensor, indices, updates):
    """Scatter `updates` into an existing tensor according to `indices`.

    Returns a copy of `tensor` whose elements or slices at `indices` (shape `[..., k]`)
    are replaced by `updates`; with repeated indices the last update wins.

    >>> tf.tensor_scatter_nd_update(tf.zeros(4), [[1], [3]], [5.0, 7.0]).numpy().tolist()
    [0.0, 5.0, 0.0, 7.0]
    """
    return _tensor_scatter("TensorScatterUpdate", tensor, indices, updates, None, _assign)


@tensor_scatter_nd_update.gradient
def _tensor_scatter_nd_update_grad(op, dy):
    indices, updates = op.inputs[1], op.inputs[2]
    return [tensor_scatter_nd_update(dy, indices, creation_ops.zeros_like(updates)), None,
            _gather_nd(dy, indices)]


@primitive("TensorScatterAdd", same_dtype=(0, 2))
def tensor_scatter_nd_add(tensor, indices, updates):
    """Adds sparse `updates` to an existing tensor according to `indices`.

    Repeated indices add up.

    >>> tf.tensor_scatter_nd_add(tf.ones(3), [[0], [0]], [1.0, 2.0]).numpy().tolist()
    [4.0, 1.0, 1.0]
    """
    return _tensor_scatter("TensorScatterAdd", tensor, indices, updates, _NUMERIC, np.add.at)


@tensor_scatter_nd_add.gradient
def _tensor_scatter_nd_add_grad(op, dy):
    return [dy, None, _gather_nd(dy, op.inputs[1])]


@primitive("TensorScatterSub", same_dtype=(0, 2))
def tensor_scatter_nd_sub(tensor, indices, updates):
    """Subtracts sparse `updates` from an existing tensor according to `indices`.

    >>> tf.tensor_scatter_nd_sub(tf.ones(3), [[2]], [5.0]).numpy().tolist()
    [1.0, 1.0, -4.0]
    """
    return _tensor_scatter("TensorScatterSub", tensor, indices, updates, _NUMERIC,
                           np.subtract.at)


@tensor_scatter_nd_sub.gradient
def _tensor_scatter_nd_sub_grad(op, dy):
    return [dy, None, -_gather_nd(dy, op.inputs[1])]


@primitive("TensorScatterMin", same_dtype=(0, 2))
def tensor_scatter_nd_min(tensor, indices, updates):
    """Takes the element-wise minimum of `tensor` and `updates` at `indices`.

    >>> tf.tensor_scatter_nd_min(tf.constant([1, 5, 3]), [[1], [2]], [2, 4]).numpy().tolist()
    [1, 2, 3]
    """
    return _tensor_scatter("TensorScatterMin", tensor, indices, updates, _REAL,
                           np.minimum.at)


@primitive("TensorScatterMax", same_dtype=(0, 2))
def tensor_scatter_nd_max(tensor, indices, updates):
    """Takes the element-wise maximum of `tensor` and `updates` at `indices`.

    >>> tf.tensor_scatter_nd_max(tf.constant([1, 5, 3]), [[1], [2]], [2, 4]).numpy().tolist()
    [1, 5, 4]
    """
    return _tensor_scatter("TensorScatterMax", tensor, indices, updates, _REAL,
                           np.maximum.at)


@tensor_scatter_nd_min.gradient
@tensor_scatter_nd_max.gradient
def _tensor_scatter_min_max_grad(op, dy):
    # The gradient goes to whichever of tensor and updates gave the result, split evenly
    # between them on ties (TensorFlow's rule).
    x, indices, y = op.inputs
    (output,) = op.outputs
    x_chosen = math_ops.cast(math_ops.equal(x, output), dy.dtype)
    y_chosen = math_ops.cast(math_ops.equal(y, _gather_nd(output, indices)), dy.dtype)
    chosen = x_chosen + _scatter_nd(indices, y_chosen, x._value.shape)
    return [dy * x_chosen / chosen, None, _gather_nd(dy / chosen, indices) * y_chosen]


# --- boolean_mask -------------------------------------------------------------------------

def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """Apply boolean mask to tensor.

    Keeps the slices of `tensor` where `mask` is True: a mask of shape
    `tensor.shape[axis:axis + k]` turns those k dimensions into one, of length the number
    of True values. Non-boolean masks count non-zero values as True.

    >>> tf.boolean_mask(tf.constant([[1, 2], [3, 4], [5, 6]]), [True, False, True]).numpy().tolist()
    [[1, 2], [5, 6]]

    Raises:
      ValueError: `mask` is a scalar, or its shape differs from the dimensions it masks.
    """
    tensor = convert_to_tensor(tensor)
    mask = convert_to_tensor(mask)
    mask_rank = mask.ndim
    if mask_rank == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else _int_attr(axis, "GatherV2")
    shape = tensor._value.shape
    masked = shape[axis:axis + mask_rank]  # Python slicing, as TensorFlow's check does
    if masked != mask._value.shape:
        raise ValueError(f"Shapes {TensorShape(masked)} and {mask.shape} are incompatible")
    if axis < 0:
        axis += len(shape)
    flat = array_ops.reshape(tensor, shape[:axis] + (mask._value.size,)
                             + shape[axis + mask_rank:])
    return gather(flat, wrap(np.flatnonzero(mask._value)), axis=axis)


# --- embedding_lookup ---------------------------------------------------------------------

def _clip_by_norm(values, clip_norm, axes):
    # TensorFlow's clip_by_norm, with its guard against a zero norm.
    squares = reduction_ops.reduce_sum(values * values, axes, keepdims=True)
    positive = squares > 0
    safe = math_ops.where(positive, squares, creation_ops.ones_like(squares))
    norm = math_ops.where(positive, math_ops.sqrt(safe), squares)
    return values * clip_norm / math_ops.maximum(norm, clip_norm)


def _sharded_lookup(shards, ids):
    """TensorFlow's "div" partitioning: shard p holds a contiguous range of rows."""
    flat_ids = ids._value.reshape(-1)
    count = len(shards)
    per_shard, extras = divmod(sum(s.shape[0] for s in shards), count)
    shard_of = np.maximum(flat_ids // (per_shard + 1), (flat_ids - extras) // max(per_shard, 1))
    row_of = np.where(shard_of < extras, flat_ids % (per_shard + 1),
                      (flat_ids - extras) % max(per_shard, 1))
    bad = np.flatnonzero((shard_of < 0) | (shard_of >= count))
    if bad.size:
        raise op_error("DynamicPartition", f"partitions[{bad[0]}] = {shard_of[bad[0]]} is not "
                                           f"in [0, {count})")
    pieces, positions = [], []
    for p, shard in enumerate(shards):
        mine = np.flatnonzero(shard_of == p)
        pieces.append(gather(shard, wrap(row_of[mine].astype(flat_ids.dtype))))
        positions.append(mine)
    order = np.argsort(np.concatenate(positions), kind="stable")
    stitched = gather(array_ops.concat(pieces, 0), wrap(order))
    return array_ops.reshape(stitched, ids._value.shape + tuple(pieces[0].shape[1:]))


def embedding_lookup(params, ids, max_norm=None, name=None):
    """Looks up embeddings for the given `ids` from a list of tensors.

    `params` is one embedding table (a tensor or variable) or a list of tables sharded
    along their first dimension ("div" partitioning: each holds a contiguous range of
    rows). The result has shape `ids.shape + params.shape[1:]`. The gradient with respect
    to a table is an `IndexedSlices`.

    >>> table = tf.constant([[0.0, 0.0], [3.0, 4.0]])
    >>> tf.nn.embedding_lookup(table, [1, 0], max_norm=1.0).numpy().tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]

    Args:
      params: a tensor or variable, or a list of them (shards).
      ids: an int32 or int64 tensor of row ids.
      max_norm: if given, embeddings with a larger l2-norm are scaled down to it.
    """
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    shards = params if isinstance(params, list) else [params]  # a tuple is one table
    ids = convert_to_tensor(ids)
    if len(shards) == 1:
        result = gather(shards[0], ids)
    else:
        shards = [s if isinstance(s, Variable) else convert_to_tensor(s) for s in shards]
        result = _sharded_lookup(shards, ids)
    if max_norm is None:
        return result
    return _clip_by_norm(result, max_norm, list(range(ids.ndim, result.ndim)))
