"""Shape and structure ops: reshape, transpose, concat, stack, slicing and friends."""

import math

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.broadcasting import broadcast_to  # noqa: F401 - part of this family
from eagerflow.framework.op import (
    active_trace, op_error, primitive, record, recorders, shape_tuple, tf_type_name)
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor, wrap
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.framework.variables import variable_slice

newaxis = None


def shape_text(array):
    """A shape as TensorFlow's messages write it: `[2,3]`."""
    return "[" + ",".join(str(d) for d in np.shape(array)) + "]"


def int_array(value, op_name, attr, allowed="int32, int64"):
    """An index argument (list, tuple, int tensor or array) as an int64 ndarray.

    Raises TensorFlow's error for a non-integer one, naming the op's type attribute.
    """
    if isinstance(value, (list, tuple)) and not value:
        return np.zeros((0,), np.int64)
    array = np.asarray(value) if is_tensor(value) else convert_to_tensor(value)._value
    if array.dtype.kind not in "iu":
        raise op_error(op_name, f"Value for attr '{attr}' of "
                                f"{tf_type_name(dtypes.from_numpy(array.dtype))} is not in the "
                                f"list of allowed values: {allowed}")
    return array.astype(np.int64, copy=False)


def _rank(value):
    """The rank of a tensor, variable or array-like value, without converting a tensor."""
    return len(value.shape) if is_tensor(value) else np.ndim(value)


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
    if type(shape) in (list, tuple) and _is_size_list(shape, tensor.size):
        return tensor.reshape(shape)  # the common case: known sizes, nothing to infer
    if isinstance(shape, Tensor) and shape.dtype.is_floating or isinstance(
            shape, (list, tuple)) and any(isinstance(d, float) for d in shape):
        raise ValueError("Value for attr 'Tshape' of float is not in the list of allowed "
                         "values: int32, int64")
    dims = shape_tuple(shape)
    # TensorFlow's inference of the -1 dimension: zero-sized dimensions are left out of
    # the products, so that [-1, 0] still infers the other dimension.
    product, unknown, has_zero = 1, None, False
    for i, d in enumerate(dims):
        if d == -1:
            if unknown is not None:
                raise ValueError(f"Only one input size may be -1, not both {unknown} and {i}")
            unknown = i
        elif d < 0:
            raise ValueError(f"Size {i} must be non-negative, not {d}")
        elif d == 0:
            has_zero = True
        else:
            product *= d
    size = np.size(tensor)
    if unknown is not None:
        count, input_has_zero = 1, False
        for d in np.shape(tensor):
            if d > 0 or not has_zero:
                count *= d
            else:
                input_has_zero = True
        missing = count // product
        if not input_has_zero and product * missing != count:
            raise ValueError(f"Input to reshape is a tensor with {count} values, but the "
                             f"requested shape requires a multiple of {product}")
        dims = dims[:unknown] + (missing,) + dims[unknown + 1:]
    requested = math.prod(dims)
    if requested != size:
        raise ValueError(f"Input to reshape is a tensor with {size} values, but the requested "
                         f"shape has {requested}")
    return np.reshape(tensor, dims)


def _is_size_list(dims, size):
    """Whether `dims` are non-negative Python ints whose product is `size`."""
    for d in dims:
        if type(d) is not int or d < 0:
            return False
    return math.prod(dims) == size


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
    perm = tuple(p + ndim if -ndim <= p < 0 else p for p in perm)
    for p in perm:
        if not 0 <= p < ndim:
            raise ValueError(f"{p} is out of range [0 .. {ndim})")
    for i in range(ndim):
        if i not in perm:
            raise ValueError(f"{i} is missing from {{{','.join(str(p) for p in perm)}}}.")
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
    shape = input.shape
    ndim = len(shape)
    if type(axis) is not int:
        axis = np.asarray(axis)
        if axis.size != 1:
            raise ValueError(f"'dim' must be a tensor with a single value, got {axis.tolist()}")
        axis = int(axis.reshape(()))
    if not -ndim - 1 <= axis <= ndim:
        raise ValueError(f"Tried to expand dim index {axis} for tensor with {ndim} dimensions.")
    if axis < 0:
        axis += ndim + 1
    return input.reshape(shape[:axis] + (1,) + shape[axis:])


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


def concat(values, axis, name="concat"):
    """Joins tensors along an existing `axis`.

    A single value (alone or in a list) comes back as it is, whatever `axis`, as in
    TensorFlow.

    >>> tf.concat([tf.constant([[1]]), tf.constant([[2]])], axis=1).numpy().tolist()
    [[1, 2]]
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        return identity(values[0])
    return _concat(values, axis)


@primitive("ConcatV2", inputs="list")
def _concat(values, axis):
    if not values:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than "
                         "minimum length 2.")
    # Errors are raised as TensorFlow's directly: the dispatcher would report shapes that
    # do not broadcast as "Incompatible shapes".
    axis = int(np.asarray(axis))
    first = np.shape(values[0])
    if not first:
        raise op_error("ConcatV2", "ConcatOp : Can't concatenate scalars (use tf.stack instead)")
    if not -len(first) <= axis < len(first):
        raise op_error("ConcatV2", f"ConcatOp : Expected concatenating dimensions in the range "
                                   f"[{-len(first)}, {len(first)}), but got {axis}")
    for i, value in enumerate(values[1:], 1):
        shape = np.shape(value)
        if len(shape) != len(first):
            raise op_error("ConcatV2", (
                f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                f"{shape_text(values[0])} vs. shape[{i}] = {shape_text(value)}"))
        for d, (a, b) in enumerate(zip(first, shape)):
            if d != axis % len(first) and a != b:
                raise op_error("ConcatV2", (
                    f"ConcatOp : Dimension {d} in both shapes must be equal: shape[0] = "
                    f"{shape_text(values[0])} vs. shape[{i}] = {shape_text(value)}"))
    return np.concatenate(values, axis=axis)


@_concat.gradient
def _concat_grad(op, dy):
    axis = int(np.asarray(op.attrs["axis"]))
    sizes = [x.shape[axis] for x in op.inputs]
    return split(dy, sizes, axis=axis)


@primitive("Pack", inputs="list")
def _stack(values, axis=0):
    if not values:
        return np.zeros((0,), np.float32)  # TensorFlow's stack of nothing
    first = np.shape(values[0])
    for i, value in enumerate(values[1:], 1):
        if np.shape(value) != first:
            raise op_error("Pack", f"Shapes of all inputs must match: values[0].shape = "
                                   f"{shape_text(values[0])} != values[{i}].shape = "
                                   f"{shape_text(value)}")
    return np.stack(values, axis=axis)


@_stack.gradient
def _stack_grad(op, dy):
    return unstack(dy, num=len(op.inputs), axis=op.attrs["axis"])


def stack(values, axis=0, name="stack"):
    """Stacks tensors of one shape along a new `axis`.

    >>> tf.stack([tf.constant([1, 2]), tf.constant([3, 4])], axis=1).numpy().tolist()
    [[1, 3], [2, 4]]

    Raises:
      ValueError: `axis` is out of range for the stacked rank.
      InvalidArgumentError: the values' shapes differ.
    """
    axis = int(axis)
    if values:
        rank = _rank(values[0]) + 1
        if not -rank <= axis < rank:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
        if axis == 0 and not any(is_tensor(value) for value in values):
            try:  # Python values convert together, as TensorFlow does: [1, 2.5] is float32
                return convert_to_tensor(values)
            except (TypeError, ValueError):
                pass  # the op reports it
    return _stack(values, axis=axis)


@primitive("Unpack", inputs=1, multiple_outputs=True)
def _unstack(value, num=None, axis=0):
    shape = np.shape(value)
    if num is not None and num != shape[axis]:
        raise ValueError(f"Input shape axis {axis} must equal {num}, got shape "
                         f"{shape_text(value)}")
    moved = np.moveaxis(value, axis, 0)
    return [moved[i] for i in range(shape[axis])]


@_unstack.gradient
def _unstack_grad(op, *dys):
    return [stack(list(dys), axis=op.attrs["axis"])]


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits `value` along `axis` into a list of tensors of one rank less.

    >>> [t.numpy().tolist() for t in tf.unstack(tf.constant([[1, 2], [3, 4]]))]
    [[1, 2], [3, 4]]

    Raises:
      ValueError: `axis` is out of range.
      InvalidArgumentError: `num` differs from the size of dimension `axis`.
    """
    axis = int(axis)
    rank = _rank(value)
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    return _unstack(value, num=num, axis=axis)


@primitive("SplitV", inputs=1, multiple_outputs=True)
def split(value, num_or_size_splits, axis=0, num=None):
    """Splits `value` along `axis` into equal parts or parts of the given sizes.

    >>> [t.shape.as_list() for t in tf.split(tf.zeros((2, 5)), [1, 4], axis=1)]
    [[2, 1], [2, 4]]
    """
    shape = np.shape(value)
    axis = int(np.asarray(axis))
    by_count = np.ndim(num_or_size_splits) == 0
    op_name = "Split" if by_count else "SplitV"  # TensorFlow's two ops, and their messages
    if not -len(shape) <= axis < len(shape):
        rank = len(shape)
        raise op_error(op_name, f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but "
                                f"got {axis}" if by_count else
                                f"-{rank} <= split_dim < {rank} but got {axis}")
    length = shape[axis]
    if by_count:
        count = int(np.asarray(num_or_size_splits))
        if count <= 0:
            raise op_error(op_name, f"Value for attr 'num_split' of {count} must be at least "
                                    f"minimum 1")
        if length % count:
            raise op_error(op_name, (
                f"Number of ways to split should evenly divide the split dimension, but got "
                f"split_dim {axis} (size = {length}) and num_split {count}"))
        sizes = [length // count] * count
    else:
        sizes = convert_to_tensor(num_or_size_splits)
        if sizes.dtype not in (dtypes.int8, dtypes.int32, dtypes.int64):
            raise op_error(op_name, f"Value for attr 'Tlen' of {tf_type_name(sizes.dtype)} is "
                                    f"not in the list of allowed values: int8, int32, int64")
        sizes = [int(s) for s in np.reshape(sizes._value, -1)]
        if sizes.count(-1) > 1:
            raise op_error(op_name, "There can only be one -1 in the input.")
        determined = sum(s for s in sizes if s != -1)
        if determined > length or (-1 not in sizes and determined != length):
            raise op_error(op_name, (
                f"Determined shape must either match input shape along split_dim exactly if "
                f"fully specified, or be less than the size of the input along split_dim if "
                f"not fully specified.  Got: {determined}"))
        if -1 in sizes:
            sizes[sizes.index(-1)] = length - determined
        for i, size in enumerate(sizes):
            if size < 0:
                raise op_error(op_name, f"Split size at index {i} must be >= 0. Got: {size}")
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
    if is_tensor(item) and item.shape.rank == 0 and item.dtype.is_integer:
        return int(np.asarray(item))
    raise _index_error(item)


def normalize_index(key):
    """An index for `x[key]` as a tuple of ints, slices, None and Ellipsis.

    A list at the top level is read as a tuple (`x[[0, 1]]` is `x[0, 1]`), as in TensorFlow.
    """
    items = tuple(key) if isinstance(key, (tuple, list)) else (key,)
    result = []
    for item in items:
        if item is Ellipsis and Ellipsis in result:
            raise op_error("StridedSlice", "Multiple ellipses in slice spec not allowed")
        if item is None or item is Ellipsis:
            result.append(item)
        elif isinstance(item, slice):
            result.append(slice(_index_value(item.start), _index_value(item.stop),
                                _index_value(item.step)))
        else:
            result.append(_index_value(item))
    return tuple(result)


def _with_input_dims(shape, key):
    """Pairs each item of `key` that indexes an input dimension with that dimension."""
    explicit = sum(1 for k in key if k is not None and k is not Ellipsis)
    dim = 0
    for item in key:
        if item is Ellipsis:
            dim += len(shape) - explicit
        elif item is not None:
            yield dim, item
            dim += 1


def _check_bounds(shape, key):
    """TensorFlow's message for an integer index past the end of its dimension."""
    if not shape:
        raise ValueError("Attempting to slice scalar input.")
    for dim, item in _with_input_dims(shape, key):
        if dim >= len(shape):
            raise ValueError(f"Index out of range using input dim {dim}; input has only "
                             f"{len(shape)} dims")
        if isinstance(item, int) and not -shape[dim] <= item < shape[dim]:
            # TensorFlow reports a negative index after adding the dimension's size once.
            index = item + shape[dim] if item < 0 else item
            raise ValueError(f"slice index {index} of dimension {dim} out of bounds.")


@primitive("StridedSlice", inputs=1)
def _getitem(tensor, key):
    try:
        return np.asarray(tensor)[key]
    except IndexError:
        _check_bounds(np.shape(tensor), key)
        raise
    except ValueError:
        for dim, item in _with_input_dims(np.shape(tensor), key):
            if isinstance(item, slice) and item.step == 0:
                raise ValueError(f"strides[{dim}] must be non-zero") from None
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


def _bit(mask, i):
    return (int(mask) >> i) & 1


def _strided_slice_key(rank, begin, end, strides, begin_mask, end_mask, ellipsis_mask,
                       new_axis_mask, shrink_axis_mask):
    """TensorFlow's strided-slice spec as a NumPy basic index (ints, slices, None, ...)."""
    allowed = "int16, int32, int64"
    begin = int_array(begin, "StridedSlice", "Index", allowed)
    end = int_array(end, "StridedSlice", "Index", allowed)
    strides = (np.ones_like(begin) if strides is None
               else int_array(strides, "StridedSlice", "Index", allowed))
    if not begin.ndim == end.ndim == strides.ndim == 1 or not (
            begin.size == end.size == strides.size):
        raise op_error("StridedSlice", (
            f"Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
            f"{shape_text(begin)}, {shape_text(end)}, and {shape_text(strides)} instead."))
    count = begin.size
    if sum(_bit(ellipsis_mask, i) for i in range(count)) > 1:
        raise op_error("StridedSlice", "Multiple ellipses in slice spec not allowed")
    # An ellipsis bit wins over the others at its position, then a new-axis bit.
    explicit = sum(1 for i in range(count)
                   if not _bit(ellipsis_mask, i) and not _bit(new_axis_mask, i))
    key, dim = [], 0  # `dim`: the input dimension an entry indexes, as TF's messages count
    for i, (b, e, s) in enumerate(zip(begin.tolist(), end.tolist(), strides.tolist())):
        if _bit(ellipsis_mask, i):
            key.append(Ellipsis)
            dim += max(rank - explicit, 0)
        elif _bit(new_axis_mask, i):
            key.append(None)
        else:
            if s == 0:
                raise op_error("StridedSlice", f"strides[{dim}] must be non-zero")
            if _bit(shrink_axis_mask, i):
                if s < 0:
                    raise op_error("StridedSlice",
                                   "only stride 1 allowed on non-range indexing.")
                key.append(b)
            else:
                key.append(slice(None if _bit(begin_mask, i) else b,
                                 None if _bit(end_mask, i) else e, s))
            dim += 1
    return tuple(key)


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """Extracts a strided slice of `input_`, as `input_[begin:end:strides]` per dimension.

    Bit `i` of a mask applies to entry `i` of the spec: `begin_mask` and `end_mask` ignore
    that entry's begin or end (take the full range), `ellipsis_mask` makes it `...`,
    `new_axis_mask` inserts a dimension of size 1, and `shrink_axis_mask` takes the single
    element at `begin[i]` and removes the dimension.

    >>> from eagerflow.ops.array_ops import strided_slice
    >>> x = tf.reshape(tf.range(12), (3, 4))
    >>> strided_slice(x, [0, 3], [3, 0], [2, -1], shrink_axis_mask=0).numpy().tolist()
    [[3, 2, 1], [11, 10, 9]]

    Raises:
      InvalidArgumentError: the spec's vectors differ in length, a stride is zero, there is
        more than one ellipsis, or a shrunk index is out of range.
    """
    key = _strided_slice_key(_rank(input_), begin, end, strides, begin_mask, end_mask,
                             ellipsis_mask, new_axis_mask, shrink_axis_mask)
    return _getitem(input_, key)


def tensor_getitem(tensor, key):
    """`tensor[key]`: NumPy-style basic indexing (ints, slices, `...`, `tf.newaxis`); one
    boolean tensor, array or bool as the key is `tf.boolean_mask(tensor, key)`."""
    special = _masked_or_traced(tensor, key)
    if special is not None:
        return special
    return _getitem(tensor, normalize_index(key))


_PLAIN_KEYS = (int, slice, tuple)  # the usual keys: no mask to look for


def _masked_or_traced(source, key):
    """`source[key]` for a boolean mask (`tf.boolean_mask`) or a key holding a trace's
    tensors (read at each call); None for any other key."""
    if type(key) not in _PLAIN_KEYS and (isinstance(key, bool) or (
            isinstance(key, np.ndarray) or is_tensor(key)) and key.dtype == np.bool_):
        from eagerflow.ops.indexing_ops import boolean_mask
        return boolean_mask(source, key)
    if recorders:
        dynamic = _traced_indices(key)
        if dynamic is not None:
            return _getitem_traced(source, *dynamic)
    return None


_SLICE_FIELDS = ("start", "stop", "step")


def _traced_indices(key):
    """For a key holding tensors of a tf.function trace (`x[i]` in a `tf.range` loop): the
    key with those places zeroed, the places as (item, field) pairs and the tensors; else
    None. The trace then reads the indices at each call, not their values while tracing."""
    items = tuple(key) if isinstance(key, tuple) else (key,)
    places, values, template = [], [], []
    for k, item in enumerate(items):
        fields = [(field, getattr(item, field)) for field in _SLICE_FIELDS] \
            if isinstance(item, slice) else [("index", item)]
        bounds = {}
        for field, value in fields:
            if getattr(value, "_symbolic", False):
                if value.shape.rank != 0 or not value.dtype.is_integer:
                    raise _index_error(item)
                places.append((k, field))
                values.append(value)
                value = 0
            bounds[field] = value
        template.append(slice(*(bounds[f] for f in _SLICE_FIELDS)) if isinstance(item, slice)
                        else bounds["index"])
    if not values:
        return None
    from eagerflow.ops.math_ops import cast
    indices = stack([cast(value, dtypes.int64) for value in values])
    return indices, tuple(template), tuple(places)


def _filled_key(template, places, indices):
    """`template` with the values of `indices` at `places`, normalized."""
    items = list(template)
    for (k, field), value in zip(places, np.asarray(indices).tolist()):
        if field == "index":
            items[k] = value
        else:
            bounds = {f: getattr(items[k], f) for f in _SLICE_FIELDS}
            bounds[field] = value
            items[k] = slice(*(bounds[f] for f in _SLICE_FIELDS))
    return normalize_index(tuple(items))


@primitive("StridedSlice", same_dtype=False)
def _getitem_traced(tensor, indices, template=(), places=()):
    key = _filled_key(template, places, indices)
    if active_trace() is not None:
        # While tracing, `tensor` holds a probe (a few rows for a None size) that the
        # traced indices may run past; the probe's result needs only the right shape.
        key = _within_probe(np.shape(tensor), key)
    return _getitem.primitive.forward(tensor, key)


def _within_probe(shape, key):
    """`key` with each integer index past its (non-empty) dimension of `shape` made 0."""
    items, dim = list(key), 0
    explicit = sum(1 for item in items if item is not None and item is not Ellipsis)
    for position, item in enumerate(items):
        if item is Ellipsis:
            dim += len(shape) - explicit
        elif item is not None:
            if (isinstance(item, int) and dim < len(shape) and shape[dim]
                    and not -shape[dim] <= item < shape[dim]):
                items[position] = 0
            dim += 1
    return tuple(items)


@_getitem_traced.gradient
def _getitem_traced_grad(op, dy):
    tensor, indices = op.inputs
    return [_scatter_slice_traced(dy, indices, tuple(tensor.shape), **op.attrs), None]


@primitive("StridedSliceGrad", same_dtype=False)
def _scatter_slice_traced(dy, indices, shape=(), template=(), places=()):
    return _scatter_slice.primitive.forward(dy, shape, _filled_key(template, places, indices))


@_scatter_slice_traced.gradient
def _scatter_slice_traced_grad(op, ddy):
    attrs = dict(op.attrs)
    attrs.pop("shape")
    return [_getitem_traced(ddy, op.inputs[1], **attrs), None]


def variable_getitem(variable, key):
    """`variable[key]`: the slice as a tensor that can also be assigned into (inside a
    tf.function, not when the key holds traced tensors)."""
    special = _masked_or_traced(variable, key)
    if special is not None:
        return special
    key = normalize_index(key)
    tensor = _getitem(variable, key)
    sliced = variable_slice(tensor, variable, key)
    if recorders:
        record(identity.primitive, (tensor,), (sliced,))
    return sliced


# --- shapes -----------------------------------------------------------------------------

# Shape, Size and Rank are ops, not constants: a tf.function traced for unknown sizes
# computes them from each call's tensors.

@primitive("Shape", inputs=1, differentiable=False)
def _shape_op(input, out_type=dtypes.int32):
    return np.asarray(np.shape(input), out_type.as_numpy_dtype)


@primitive("Size", inputs=1, differentiable=False)
def _size_op(input, out_type=dtypes.int32):
    return np.asarray(np.size(input), out_type.as_numpy_dtype)


@primitive("Rank", inputs=1, differentiable=False)
def _rank_op(input):
    return np.asarray(np.ndim(input), np.int32)


def shape(input, out_type=dtypes.int32, name=None):
    """The shape of `input` as a 1-D integer tensor.

    >>> tf.shape(tf.zeros((2, 3))).numpy().tolist()
    [2, 3]
    """
    out_type = dtypes.as_dtype(out_type)
    if out_type not in (dtypes.int32, dtypes.int64):
        raise op_error("Shape", f"Value for attr 'out_type' of {tf_type_name(out_type)} is not "
                                f"in the list of allowed values: int32, int64")
    return _shape_op(input, out_type=out_type)


def size(input, out_type=dtypes.int32, name=None):
    """The number of elements of `input` as a scalar integer tensor.

    >>> tf.size(tf.zeros((2, 3))).numpy().tolist()
    6
    """
    return _size_op(input, out_type=dtypes.as_dtype(out_type))


def rank(input, name=None):
    """The number of dimensions of `input` as a scalar int32 tensor.

    >>> tf.rank(tf.zeros((2, 3))).numpy().tolist()
    2
    """
    return _rank_op(input)


def shape_n(input, out_type=dtypes.int32, name=None):
    """The shapes of a list of tensors, as a list of 1-D integer tensors.

    >>> from eagerflow.ops.array_ops import shape_n
    >>> [s.numpy().tolist() for s in shape_n([tf.zeros((2, 3)), tf.zeros(())])]
    [[2, 3], []]
    """
    if not input:
        raise op_error("ShapeN", "Value for attr 'N' of 0 must be at least minimum 1")
    return [shape(x, out_type) for x in input]


def broadcast_static_shape(shape_x, shape_y):
    """The broadcast of two `TensorShape`s, where unknown dimensions may appear.

    >>> from eagerflow.ops.array_ops import broadcast_static_shape
    >>> broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([None, 3]))
    TensorShape([2, 3])

    Raises:
      ValueError: the shapes do not broadcast.
    """
    shape_x, shape_y = TensorShape(shape_x), TensorShape(shape_y)
    if shape_x.rank is None or shape_y.rank is None:
        return TensorShape(None)
    rank = max(shape_x.rank, shape_y.rank)
    xs = [1] * (rank - shape_x.rank) + shape_x.as_list()
    ys = [1] * (rank - shape_y.rank) + shape_y.as_list()
    dims = []
    for x, y in zip(xs, ys):
        if x is None or y is None:
            # An unknown dimension is assumed to broadcast against a known one above 1.
            dims.append(x if x is not None and x > 1 else y if y is not None and y > 1 else None)
        elif x == 1 or x == y:
            dims.append(y)
        elif y == 1:
            dims.append(x)
        else:
            raise ValueError(f"Incompatible shapes for broadcasting. Two shapes are compatible "
                             f"if for each dimension pair they are either equal or one of them "
                             f"is 1. Received: {shape_x} and {shape_y}.")
    return TensorShape(dims)


@primitive("BroadcastArgs", dtypes=(dtypes.int32, dtypes.int64), differentiable=False)
def _broadcast_args(s0, s1):
    for i, s in enumerate((s0, s1)):
        if s.ndim != 1:
            raise ValueError(f"In[{i}] must be a vector.{shape_text(s)}")
    try:
        result = np.broadcast_shapes(tuple(s0.tolist()), tuple(s1.tolist()))
    except ValueError:
        raise ValueError(f"Incompatible shapes: [{','.join(map(str, s0.tolist()))}] vs. "
                         f"[{','.join(map(str, s1.tolist()))}]") from None
    return np.asarray(result, s0.dtype)


def broadcast_dynamic_shape(shape_x, shape_y):
    """The broadcast of two shapes given as 1-D integer tensors, as a 1-D tensor.

    >>> from eagerflow.ops.array_ops import broadcast_dynamic_shape
    >>> broadcast_dynamic_shape([2, 1], [3]).numpy().tolist()
    [2, 3]
    """
    shape_x, shape_y = (s.as_list() if isinstance(s, TensorShape) else s
                        for s in (shape_x, shape_y))
    # An empty Python shape is a scalar's: int32, not the float32 that [] converts to.
    shape_x, shape_y = (np.zeros((0,), np.int32) if isinstance(s, (list, tuple)) and not s
                        else s for s in (shape_x, shape_y))
    return _broadcast_args(shape_x, shape_y)


def _shape_spec_text(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


@primitive("EnsureShape", inputs=1)
def _ensure_shape(x, shape):
    if not shape.is_compatible_with(TensorShape._from_tuple(x.shape)):
        raise ValueError(f"Shape of tensor input {shape_text(x)} is not compatible with "
                         f"expected shape {_shape_spec_text(shape)}.")
    return x


@_ensure_shape.gradient
def _ensure_shape_grad(op, dy):
    return [dy]


def ensure_shape(x, shape, name=None):
    """Returns `x` after checking that its shape is compatible with `shape` (None: any size).

    >>> from eagerflow.ops.array_ops import ensure_shape
    >>> ensure_shape(tf.zeros((2, 3)), [None, 3]).shape.as_list()
    [2, 3]

    Raises:
      InvalidArgumentError: the shapes are not compatible.
    """
    if not isinstance(shape, TensorShape):
        shape = TensorShape(shape)
    return _ensure_shape(x, shape)
