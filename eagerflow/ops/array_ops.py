"""Shape and structure ops: reshape, transpose, concat, stack, slicing and friends."""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.broadcasting import broadcast_to  # noqa: F401 - part of this family
from eagerflow.framework.op import primitive, record, recorders, shape_tuple
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor, wrap
from eagerflow.framework.variables import variable_slice

newaxis = None


def _shape_list(array):
    return "[" + ",".join(str(d) for d in np.shape(array)) + "]"


@primitive("Identity")
def identity(input):
    """Returns a tensor with the same value as `input` (a fresh read for a variable).

    >>> tf.identity(tf.constant([1, 2])).numpy().tolist()
    [1, 2]
    """
    return input


@identity.gradient
def _identity_grad(op, dy):
    return [dy]


@primitive("StopGradient", differentiable=False)
def stop_gradient(input):
    """Returns `input` unchanged, but no gradient flows back through it.

    >>> x = tf.constant(2.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * tf.stop_gradient(x)
    >>> float(tape.gradient(y, x))
    2.0
    """
    return input


@primitive("Reshape", inputs=1)
def reshape(tensor, shape):
    """Reshapes `tensor` to `shape`; one dimension may be -1 and is inferred.

    >>> tf.reshape(tf.range(6), [2, -1]).numpy().tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    shape = shape_tuple(shape)
    size = np.size(tensor)
    unknown = [i for i, d in enumerate(shape) if d == -1]
    if len(unknown) > 1:
        raise ValueError(f"Only one input size may be -1, not both {unknown[0]} and "
                         f"{unknown[1]}")
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if unknown and (known == 0 or size % known):
        raise ValueError(f"Input to reshape is a tensor with {size} values, but the requested "
                         f"shape requires a multiple of {known}")
    if not unknown and known != size:
        raise ValueError(f"Input to reshape is a tensor with {size} values, but the requested "
                         f"shape has {known}")
    return np.reshape(tensor, shape)


@reshape.gradient
def _reshape_grad(op, dy):
    return [reshape(dy, tuple(op.inputs[0].shape))]


@primitive("Transpose", inputs=1)
def transpose(a, perm=None, conjugate=False):
    """Permutes the dimensions of `a` by `perm` (default: reversed).

    >>> tf.transpose(tf.constant([[1, 2, 3]])).numpy().tolist()
    [[1], [2], [3]]
    """
    ndim = np.ndim(a)
    perm = tuple(range(ndim))[::-1] if perm is None else shape_tuple(perm)
    if len(perm) != ndim:
        raise ValueError(f"transpose expects a vector of size {ndim}. But input(1) is a "
                         f"vector of size {len(perm)}")
    if sorted(p % ndim for p in perm) != list(range(ndim)):
        raise ValueError(f"{list(perm)} is not a valid permutation of {ndim} dimensions")
    result = np.transpose(a, perm)
    return np.conjugate(result) if conjugate and np.iscomplexobj(result) else result


@transpose.gradient
def _transpose_grad(op, dy):
    ndim = op.inputs[0].shape.rank
    perm = op.attrs["perm"]
    perm = list(range(ndim))[::-1] if perm is None else [p % ndim for p in shape_tuple(perm)]
    return [transpose(dy, np.argsort(perm).tolist(), conjugate=op.attrs["conjugate"])]


@primitive("ExpandDims", inputs=1)
def expand_dims(input, axis):
    """Inserts a dimension of size 1 at `axis`.

    >>> tf.expand_dims(tf.constant([1, 2]), -1).shape.as_list()
    [2, 1]
    """
    ndim = np.ndim(input)
    axis = int(np.asarray(axis))
    if not -ndim - 1 <= axis <= ndim:
        raise ValueError(f"Tried to expand dim index {axis} for tensor with {ndim} dimensions.")
    return np.expand_dims(input, axis)


@primitive("Squeeze", inputs=1)
def squeeze(input, axis=None):
    """Removes dimensions of size 1 (only those in `axis` when given).

    >>> tf.squeeze(tf.zeros((1, 2, 1))).shape.as_list()
    [2]
    """
    shape = np.shape(input)
    if axis is None:
        return np.reshape(input, [d for d in shape if d != 1])
    axes = [axis] if np.ndim(axis) == 0 else list(axis)
    for a in axes:
        if not -len(shape) <= a < len(shape):
            raise ValueError(f"Tried to squeeze dim index {a} for tensor with {len(shape)} "
                             "dimensions.")
        if shape[a] != 1:
            raise ValueError(f"Can not squeeze dim[{a % len(shape)}], expected a dimension of "
                             f"1, got {shape[a]}")
    return np.squeeze(input, axis=tuple(axes))


def _reshape_back(op, dy):
    return [reshape(dy, tuple(op.inputs[0].shape))]


expand_dims.gradient(_reshape_back)
squeeze.gradient(_reshape_back)


@primitive("ConcatV2", inputs="list")
def concat(values, axis):
    """Joins tensors along an existing `axis`.

    >>> tf.concat([tf.constant([[1]]), tf.constant([[2]])], axis=1).numpy().tolist()
    [[1, 2]]
    """
    if not values:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than "
                         "minimum length 2.")
    axis = int(np.asarray(axis))
    first = np.shape(values[0])
    if not -len(first) <= axis < max(len(first), 1):
        raise ValueError(f"ConcatOp : Expected concatenating dimensions in the range "
                         f"[{-len(first)}, {len(first)}), but got {axis}")
    for i, value in enumerate(values[1:], 1):
        shape = np.shape(value)
        if len(shape) != len(first):
            raise ValueError(f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                             f"{_shape_list(values[0])} vs. shape[{i}] = {_shape_list(value)}")
        for d, (a, b) in enumerate(zip(first, shape)):
            if d != axis % len(first) and a != b:
                raise ValueError(f"ConcatOp : Dimension {d} in both shapes must be equal: "
                                 f"shape[0] = {_shape_list(values[0])} vs. shape[{i}] = "
                                 f"{_shape_list(value)}")
    return np.concatenate(values, axis=axis)


@concat.gradient
def _concat_grad(op, dy):
    axis = int(np.asarray(op.attrs["axis"]))
    sizes = [x.shape[axis] for x in op.inputs]
    return split(dy, sizes, axis=axis)


@primitive("Pack", inputs="list")
def stack(values, axis=0):
    """Stacks tensors of one shape along a new `axis`.

    >>> tf.stack([tf.constant([1, 2]), tf.constant([3, 4])], axis=1).numpy().tolist()
    [[1, 3], [2, 4]]
    """
    if not values:
        raise ValueError("List argument 'values' to 'Pack' Op with length 0 shorter than "
                         "minimum length 1.")
    first = np.shape(values[0])
    for i, value in enumerate(values[1:], 1):
        if np.shape(value) != first:
            raise ValueError(f"Shapes of all inputs must match: values[0].shape = "
                             f"{_shape_list(values[0])} != values[{i}].shape = "
                             f"{_shape_list(value)}")
    if not -len(first) - 1 <= axis <= len(first):
        raise ValueError(f"axis = {axis} not in [{-len(first) - 1}, {len(first) + 1})")
    return np.stack(values, axis=axis)


@stack.gradient
def _stack_grad(op, dy):
    return unstack(dy, num=len(op.inputs), axis=op.attrs["axis"])


@primitive("Unpack", inputs=1, multiple_outputs=True)
def unstack(value, num=None, axis=0):
    """Splits `value` along `axis` into a list of tensors of one rank less.

    >>> [t.numpy().tolist() for t in tf.unstack(tf.constant([[1, 2], [3, 4]]))]
    [[1, 2], [3, 4]]
    """
    shape = np.shape(value)
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"axis = {axis} not in [{-len(shape)}, {len(shape)})")
    if num is not None and num != shape[axis]:
        raise ValueError(f"Input shape axis {axis} must equal {num}, got shape "
                         f"{_shape_list(value)}")
    moved = np.moveaxis(value, axis, 0)
    return [moved[i] for i in range(shape[axis])]


@unstack.gradient
def _unstack_grad(op, *dys):
    return [stack(list(dys), axis=op.attrs["axis"])]


@primitive("SplitV", inputs=1, multiple_outputs=True)
def split(value, num_or_size_splits, axis=0, num=None):
    """Splits `value` along `axis` into equal parts or parts of the given sizes.

    >>> [t.shape.as_list() for t in tf.split(tf.zeros((2, 5)), [1, 4], axis=1)]
    [[2, 1], [2, 4]]
    """
    shape = np.shape(value)
    axis = int(np.asarray(axis))
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"-{len(shape)} <= split_dim < {len(shape)} but got {axis}")
    length = shape[axis]
    if np.ndim(num_or_size_splits) == 0:
        count = int(np.asarray(num_or_size_splits))
        if count <= 0 or length % count:
            raise ValueError(f"Number of ways to split should evenly divide the split dimension, "
                             f"but got split_dim {axis} (size = {length}) and num_split {count}")
        sizes = [length // count] * count
    else:
        sizes = [int(s) for s in np.reshape(np.asarray(num_or_size_splits), -1)]
        if sizes.count(-1) == 1:
            sizes[sizes.index(-1)] = length - (sum(sizes) + 1)
        if sum(sizes) != length or min(sizes, default=0) < 0:
            raise ValueError(f"Determined shape must either match input shape along split_dim "
                             f"exactly if fully specified, or be less than the size of the "
                             f"input along split_dim if not fully specified.  Got: "
                             f"{sum(sizes)}")
    return np.split(value, np.cumsum(sizes)[:-1].tolist(), axis=axis)


@split.gradient
def _split_grad(op, *dys):
    return [concat(list(dys), op.attrs["axis"])]


# --- indexing ---------------------------------------------------------------------------

def _index_error(key):
    return TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                     f"scalar tf.int32/tf.int64 tensors are valid indices, got {key!r}")


def _index_value(item):
    if item is None or isinstance(item, (int, np.integer)) and not isinstance(item, bool):
        return None if item is None else int(item)
    if is_tensor(item) and item.shape.rank == 0 and item.dtype in (dtypes.int32, dtypes.int64):
        return int(np.asarray(item))
    raise _index_error(item)


def normalize_index(key):
    """An index for `x[key]` as a tuple of ints, slices, None and Ellipsis."""
    items = key if isinstance(key, tuple) else (key,)
    result = []
    for item in items:
        if item is None or item is Ellipsis:
            result.append(item)
        elif isinstance(item, slice):
            result.append(slice(_index_value(item.start), _index_value(item.stop),
                                _index_value(item.step)))
        else:
            result.append(_index_value(item))
    return tuple(result)


def _check_bounds(shape, key):
    """TensorFlow's message for an integer index past the end of its dimension."""
    explicit = sum(1 for k in key if k is not None and k is not Ellipsis)
    dim = 0
    for item in key:
        if item is Ellipsis:
            dim += len(shape) - explicit
            continue
        if item is None:
            continue
        if dim >= len(shape):
            raise ValueError(f"Index out of range using input dim {dim}; input has only "
                             f"{len(shape)} dims")
        if isinstance(item, int) and not -shape[dim] <= item < shape[dim]:
            raise ValueError(f"slice index {item} of dimension {dim} out of bounds.")
        dim += 1


@primitive("StridedSlice", inputs=1)
def _getitem(tensor, key):
    try:
        return np.asarray(tensor)[key]
    except IndexError:
        _check_bounds(np.shape(tensor), key)
        raise


@_getitem.gradient
def _getitem_grad(op, dy):
    return [_scatter_slice(dy, tuple(op.inputs[0].shape), op.attrs["key"])]


@primitive("StridedSliceGrad", inputs=1)
def _scatter_slice(dy, shape, key):
    result = np.zeros(shape, np.asarray(dy).dtype)
    result[key] = dy
    return result


@_scatter_slice.gradient
def _scatter_slice_grad(op, ddy):
    return [_getitem(ddy, op.attrs["key"])]


def tensor_getitem(tensor, key):
    """`tensor[key]`: NumPy-style basic indexing (ints, slices, `...`, `tf.newaxis`)."""
    return _getitem(tensor, normalize_index(key))


def variable_getitem(variable, key):
    """`variable[key]`: the slice as a tensor that can also be assigned into."""
    key = normalize_index(key)
    tensor = _getitem(variable, key)
    sliced = variable_slice(tensor, variable, key)
    if recorders:
        record(identity.primitive, (tensor,), (sliced,))
    return sliced


# --- shapes -----------------------------------------------------------------------------

def _dims(input):
    value = input._value if isinstance(input, Tensor) or is_tensor(input) else None
    return np.shape(value if value is not None else convert_to_tensor(input)._value)


def shape(input, out_type=dtypes.int32, name=None):
    """The shape of `input` as a 1-D integer tensor.

    >>> tf.shape(tf.zeros((2, 3))).numpy().tolist()
    [2, 3]
    """
    return wrap(np.asarray(_dims(input), dtypes.as_dtype(out_type).as_numpy_dtype))


def size(input, out_type=dtypes.int32, name=None):
    """The number of elements of `input` as a scalar integer tensor.

    >>> tf.size(tf.zeros((2, 3))).numpy().tolist()
    6
    """
    count = np.prod(_dims(input), dtype=np.int64)
    return wrap(np.asarray(count, dtypes.as_dtype(out_type).as_numpy_dtype))


def rank(input, name=None):
    """The number of dimensions of `input` as a scalar int32 tensor.

    >>> tf.rank(tf.zeros((2, 3))).numpy().tolist()
    2
    """
    return wrap(np.asarray(len(_dims(input)), np.int32))
