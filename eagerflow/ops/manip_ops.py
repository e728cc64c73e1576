"""Ops that rearrange or expand values: tile, pad and slice (each other's gradient), repeat,
reverse, roll; one_hot, sequence_mask and meshgrid.
"""

import builtins

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.broadcasting import broadcast_to
from eagerflow.framework.op import op_error, primitive, tf_type_name
from eagerflow.framework.tensor import convert_to_tensor, is_tensor
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.ops.array_ops import int_array, reshape, shape_text
from eagerflow.ops.reduction_ops import reduce_sum


# --- tile -------------------------------------------------------------------------------

@primitive("Tile", inputs=1)
def tile(input, multiples):
    """Constructs a tensor by repeating `input` `multiples[i]` times along dimension `i`.

    >>> from eagerflow.ops.manip_ops import tile
    >>> tile(tf.constant([[1, 2]]), [2, 2]).numpy().tolist()
    [[1, 2, 1, 2], [1, 2, 1, 2]]
    """
    multiples = int_array(multiples, "Tile", "Tmultiples")
    if multiples.ndim != 1:
        raise ValueError(f"Expected multiples to be 1-D, but got shape {shape_text(multiples)}")
    if multiples.size != input.ndim:
        raise ValueError(f"Expected multiples argument to be a vector of length {input.ndim} but "
                         f"got length {multiples.size}")
    for i, multiple in enumerate(multiples.tolist()):
        if multiple < 0:
            raise ValueError(f"Expected multiples[{i}] >= 0, but got {multiple}")
    return np.tile(input, multiples.tolist())


@tile.gradient
def _tile_grad(op, dy):
    shape = tuple(op.inputs[0].shape)
    if not shape:
        return [dy]
    multiples = int_array(op.attrs["multiples"], "Tile", "Tmultiples").tolist()
    # Each tiled dimension m * d splits into (m, d); the copies are summed over the m axes.
    split = [size for pair in zip(multiples, shape) for size in pair]
    return [reduce_sum(reshape(dy, split), axis=list(range(0, 2 * len(shape), 2)))]


# --- pad and slice ----------------------------------------------------------------------

def _paddings(input, paddings, op_name):
    """The paddings as an (n, 2) int array, checked against the input as TensorFlow does."""
    paddings = int_array(paddings, op_name, "Tpaddings")
    if paddings.ndim != 2 or paddings.shape[1] != 2:
        raise ValueError(f"paddings must be a matrix with 2 columns: {shape_text(paddings)}")
    if paddings.shape[0] != input.ndim:
        separator = ", " if op_name == "MirrorPad" else " "
        raise ValueError(f"The first dimension of paddings must be the rank of inputs"
                         f"{shape_text(paddings)}{separator}{shape_text(input)}")
    for before, after in paddings.tolist():
        if before < 0 or after < 0:
            first = "p" if op_name == "MirrorPad" else "P"
            raise ValueError(f"{first}addings must be non-negative: {before} {after}")
    return paddings


def _constant_pad(input, paddings, value):
    shape = tuple(d + before + after for d, (before, after) in zip(input.shape, paddings.tolist()))
    result = np.full(shape, value, dtype=input.dtype)
    result[tuple(builtins.slice(before, before + d)
                 for d, (before, _) in zip(input.shape, paddings.tolist()))] = input
    return result


def _zero(dtype):
    return b"" if dtype == object else np.zeros((), dtype)


@primitive("Pad", inputs=1)
def _pad(tensor, paddings):
    return _constant_pad(tensor, _paddings(tensor, paddings, "Pad"), _zero(tensor.dtype))


@primitive("PadV2", inputs=3, same_dtype=(0, 2))
def _pad_v2(tensor, paddings, constant_values):
    if constant_values.ndim != 0:
        raise ValueError(f"constant_values must be a scalar. Found: {shape_text(constant_values)}")
    return _constant_pad(tensor, _paddings(tensor, paddings, "PadV2"), constant_values)


def _unpad(dy, x, paddings):
    """The gradient of constant padding: the slice of `dy` where the input was placed."""
    begin = int_array(paddings, "Pad", "Tpaddings")[:, 0].tolist()
    return slice(dy, begin, tuple(x.shape))


@_pad.gradient
def _pad_grad(op, dy):
    return [_unpad(dy, op.inputs[0], op.attrs["paddings"])]


@_pad_v2.gradient
def _pad_v2_grad(op, dy):
    return [_unpad(dy, op.inputs[0], op.inputs[1]), None, None]  # TF: none for the value


def _mirror_paddings(input, paddings, mode):
    paddings = _paddings(input, paddings, "MirrorPad")
    for (before, after), size in zip(paddings.tolist(), input.shape):
        if mode == "REFLECT" and (before >= size or after >= size):
            raise ValueError(f"paddings must be less than the dimension size: {before}, {after} "
                             f"not less than {size}")
        if mode == "SYMMETRIC" and (before > size or after > size):
            raise ValueError(f"paddings must be no greater than the dimension size: {before}, "
                             f"{after} greater than {size}")
    return paddings


@primitive("MirrorPad", inputs=1)
def _mirror_pad(input, paddings, mode):
    paddings = _mirror_paddings(input, paddings, mode)
    return np.pad(input, paddings.tolist(), mode=mode.lower())


@_mirror_pad.gradient
def _mirror_pad_grad(op, dy):
    return [_mirror_pad_fold(dy, op.attrs["paddings"], op.attrs["mode"])]


@primitive("MirrorPadGrad", inputs=1)
def _mirror_pad_fold(dy, paddings, mode):
    # The adjoint of mirror padding: each padded band is reversed and added back onto the
    # input positions it copies, one axis at a time.
    paddings = int_array(paddings, "MirrorPadGrad", "Tpaddings").tolist()
    offset = 1 if mode == "REFLECT" else 0
    result = dy
    for axis, (before, after) in enumerate(paddings):
        size = result.shape[axis] - before - after

        def band(start, stop):
            index = [builtins.slice(None)] * result.ndim
            index[axis] = builtins.slice(start, stop)
            return tuple(index)

        folded = result[band(before, before + size)].copy()
        if before:
            folded[band(offset, offset + before)] += np.flip(result[band(0, before)], axis)
        if after:
            folded[band(size - offset - after, size - offset)] += np.flip(
                result[band(before + size, before + size + after)], axis)
        result = folded
    return result


@_mirror_pad_fold.gradient
def _mirror_pad_fold_grad(op, ddy):
    return [_mirror_pad(ddy, op.attrs["paddings"], op.attrs["mode"])]


_PAD_MODES = ("CONSTANT", "REFLECT", "SYMMETRIC")


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pads a tensor: `paddings[d] = [before, after]` elements around dimension `d`.

    `mode` is "CONSTANT" (fill with `constant_values`), "REFLECT" (mirror without the edge)
    or "SYMMETRIC" (mirror with the edge), in any case.

    >>> from eagerflow.ops.manip_ops import pad
    >>> pad(tf.constant([1, 2, 3]), [[2, 1]], mode="reflect").numpy().tolist()
    [3, 2, 1, 2, 3, 2]

    Raises:
      ValueError: `mode` is not one of the three.
      InvalidArgumentError: `paddings` is not an (rank, 2) array of non-negative sizes, or a
        mirror padding is larger than its dimension allows.
    """
    mode = str(mode).upper()
    if mode not in _PAD_MODES:
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                         f'or "SYMMETRIC". Received `mode` = {mode}')
    if mode != "CONSTANT":
        return _mirror_pad(tensor, paddings, mode)
    if (not is_tensor(constant_values) and np.ndim(constant_values) == 0
            and constant_values == np.zeros_like(constant_values)):
        return _pad(tensor, paddings)
    return _pad_v2(tensor, paddings, constant_values)


def _slice_spec(shape, begin, size):
    """`begin` and `size` as lists of ints, size -1 resolved, checked as TensorFlow does."""
    begin = int_array(begin, "Slice", "Index")
    size = int_array(size, "Slice", "Index")
    if begin.shape != (len(shape),) or size.shape != (len(shape),):
        raise ValueError(f"Expected begin and size arguments to be 1-D tensors of size "
                         f"{len(shape)}, but got shapes {shape_text(begin)} and "
                         f"{shape_text(size)} instead.")
    begin, size = begin.tolist(), size.tolist()
    for i, dim in enumerate(shape):
        if size[i] == -1:
            size[i] = dim - begin[i]
        if not 0 <= begin[i] <= dim:
            raise ValueError(f"Expected begin[{i}] in [0, {dim}], but got {begin[i]}")
        if not 0 <= size[i] <= dim - begin[i]:
            raise ValueError(f"Expected size[{i}] in [0, {dim - begin[i]}], but got {size[i]}")
    return begin, size


@primitive("Slice", inputs=1)
def slice(input_, begin, size):  # noqa: A001 - TensorFlow's public name
    """Extracts the slice of `input_` of `size` elements starting at `begin`.

    A size of -1 takes every remaining element of its dimension.

    >>> from eagerflow.ops.manip_ops import slice
    >>> slice(tf.constant([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, -1]).numpy().tolist()
    [[2, 3], [5, 6]]
    """
    begin, size = _slice_spec(input_.shape, begin, size)
    return input_[tuple(builtins.slice(b, b + s) for b, s in zip(begin, size))]


@slice.gradient
def _slice_grad(op, dy):
    shape = tuple(op.inputs[0].shape)
    begin, size = _slice_spec(shape, op.attrs["begin"], op.attrs["size"])
    return [_pad(dy, [[b, d - b - s] for b, s, d in zip(begin, size, shape)])]


# --- repeat -----------------------------------------------------------------------------

@primitive("Repeat", inputs=1)
def _repeat(input, repeats, axis):
    return np.repeat(input, repeats, axis=axis)


@_repeat.gradient
def _repeat_grad(op, dy):
    axis = op.attrs["axis"]
    return [_sum_repeats(dy, op.attrs["repeats"], axis, op.inputs[0].shape[axis])]


@primitive("RepeatGrad", inputs=1)
def _sum_repeats(dy, repeats, axis, length):
    # Sums each run of copies back onto its element with one reduceat over the runs that
    # are not empty; elements repeated zero times get zero.
    counts = np.broadcast_to(np.asarray(repeats, np.int64), (length,))
    shape = list(dy.shape)
    shape[axis] = length
    result = np.zeros(shape, dy.dtype)
    nonempty = counts > 0
    if dy.shape[axis]:
        starts = (np.cumsum(counts) - counts)[nonempty]
        index = [builtins.slice(None)] * dy.ndim
        index[axis] = nonempty
        result[tuple(index)] = np.add.reduceat(dy, starts, axis=axis, dtype=dy.dtype)
    return result


@_sum_repeats.gradient
def _sum_repeats_grad(op, ddy):
    return [_repeat(ddy, op.attrs["repeats"], op.attrs["axis"])]


def repeat(input, repeats, axis=None, name=None):  # noqa: A002 - TensorFlow's argument name
    """Repeats each element of `input` along `axis`, `repeats` times (one count, or one per
    element); with `axis=None` the input is flattened first. Negative counts repeat zero times.

    >>> from eagerflow.ops.manip_ops import repeat
    >>> repeat(tf.constant([[1, 2], [3, 4]]), [1, 2], axis=0).numpy().tolist()
    [[1, 2], [3, 4], [3, 4]]

    Raises:
      TypeError: `axis` is not an int or `repeats` is not integer.
      ValueError: `axis` is out of range or `repeats` has the wrong length or rank.
      InvalidArgumentError: a single count is negative.
    """
    if axis is None:
        input = reshape(input, [-1])
        axis = 0
    if not isinstance(axis, int):
        raise TypeError(f"Argument `axis` must be an int. Received `axis` = {axis} of type "
                        f"{type(axis).__name__}")
    counts = convert_to_tensor(repeats)._value
    if counts.dtype.kind not in "iu":
        raise TypeError(f"Argument `tensor` (name: repeats) must be of type integer. Received "
                        f"`tensor` = {counts} of dtype: {convert_to_tensor(counts).dtype}")
    if counts.ndim > 1:
        raise ValueError(f"Shape {TensorShape(counts.shape)} must have rank at most 1")
    input = convert_to_tensor(input)
    if input.shape.rank == 0:
        input = reshape(input, [1])
    rank = input.shape.rank
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    axis %= rank
    if counts.size == 1:
        count = int(counts.reshape(()))
        if count < 0:
            raise op_error("Tile", f"Expected multiples[{axis + 1}] >= 0, but got {count}")
        return _repeat(input, count, axis)
    if counts.size != input.shape[axis]:
        raise ValueError(f"Dimensions {input.shape[axis]} and {counts.size} are not compatible")
    return _repeat(input, tuple(np.maximum(counts, 0).tolist()), axis)


# --- reverse and roll -------------------------------------------------------------------

@primitive("ReverseV2", inputs=1)
def reverse(tensor, axis):
    """Reverses the dimensions of `tensor` listed in `axis`.

    >>> from eagerflow.ops.manip_ops import reverse
    >>> reverse(tf.constant([[1, 2, 3], [4, 5, 6]]), [-1]).numpy().tolist()
    [[3, 2, 1], [6, 5, 4]]
    """
    axes = int_array(axis, "ReverseV2", "Tidx")
    if axes.ndim != 1:
        raise ValueError(f"'dims' must be 1-dimension, not {axes.ndim}")
    ndim = tensor.ndim
    seen = []
    for i, a in enumerate(axes.tolist()):
        if not -ndim <= a < ndim:
            raise ValueError(f"'axis'[{i}] = {a} is out of valid range [0, {ndim - 1}")
        if a % ndim in seen:
            raise ValueError(f"axis {a % ndim} specified more than once.")
        seen.append(a % ndim)
    return np.flip(tensor, tuple(seen))


@reverse.gradient
def _reverse_grad(op, dy):
    return [reverse(dy, op.attrs["axis"])]


@primitive("Roll", inputs=1)
def roll(input, shift, axis):
    """Rolls the elements of `input` by `shift` places along each dimension in `axis`.

    Shifting the same axis twice adds the shifts.

    >>> from eagerflow.ops.manip_ops import roll
    >>> roll(tf.constant([[1, 2, 3], [4, 5, 6]]), shift=[1, -1], axis=[0, 1]).numpy().tolist()
    [[5, 6, 4], [2, 3, 1]]
    """
    shift = int_array(shift, "Roll", "Tshift")
    axis = int_array(axis, "Roll", "Taxis")
    if input.ndim == 0:
        raise ValueError("input must be 1-D or higher")
    if shift.ndim > 1:
        raise ValueError(f"shift must be a scalar or a 1-D vector. Found: {shape_text(shift)}")
    if axis.ndim > 1:
        raise ValueError(f"axis must be a scalar or a 1-D vector. Found: {shape_text(axis)}")
    if shift.size != axis.size:
        raise ValueError("shift and axis must have the same size")
    for a in axis.reshape(-1).tolist():
        if not -input.ndim <= a < input.ndim:
            raise ValueError(f"axis {a} is out of range")
    return np.roll(input, tuple(shift.reshape(-1).tolist()), tuple(axis.reshape(-1).tolist()))


@roll.gradient
def _roll_grad(op, dy):
    shift = int_array(op.attrs["shift"], "Roll", "Tshift")
    return [roll(dy, (-shift).tolist(), op.attrs["axis"])]


# --- one_hot, sequence_mask, meshgrid ---------------------------------------------------

_ONE_HOT_INDICES = (np.uint8, np.int8, np.int32, np.int64)


@primitive("OneHot", inputs=3, same_dtype=(1, 2), differentiable=False)
def _one_hot(indices, on_value, off_value, depth, axis):
    if indices.dtype.type not in _ONE_HOT_INDICES:
        raise ValueError(f"Value for attr 'TI' of {tf_type_name(dtypes.from_numpy(indices.dtype))}"
                         f" is not in the list of allowed values: uint8, int8, int32, int64")
    if type(depth) is not int:
        depth = int(np.asarray(depth))
    if depth < 0:
        raise ValueError(f"depth must be non-negative, got: {depth}")
    shape = indices.shape
    rank = len(shape)
    if not (axis == -1 or 0 <= axis <= rank):
        raise ValueError(f"Expected axis to be -1 or between [0, {rank + 1}).  But received: "
                         f"{axis}")
    axis = rank if axis == -1 else axis
    classes = np.arange(depth).reshape((depth,) + (1,) * (rank - axis))
    hot = indices.reshape(shape[:axis] + (1,) + shape[axis:]) == classes
    return np.where(hot, on_value, off_value)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """A one-hot tensor: `on_value` where the new `axis` equals `indices`, `off_value` elsewhere.

    The dtype is `dtype`, else that of `on_value` or `off_value`, else float32. Indices
    outside `[0, depth)` give a row of `off_value`.

    >>> from eagerflow.ops.manip_ops import one_hot
    >>> one_hot([0, 2, -1], 3).numpy().tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]

    Raises:
      TypeError: `on_value`, `off_value` and `dtype` disagree.
      InvalidArgumentError: `depth` is negative or `axis` is out of range.
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=dtype)
    off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=dtype)
    if dtype is not None:
        for value, label in ((on, "on_value"), (off, "off_value")):
            if value is not None and value.dtype != dtype:
                raise TypeError(f"dtype {value.dtype} of {label} does not match dtype "
                                f"parameter {dtype}")
    elif on is not None or off is not None:
        dtype = (on if on is not None else off).dtype
    else:
        dtype = dtypes.float32
    on = convert_to_tensor(1, dtype) if on is None else on
    off = convert_to_tensor(0, dtype) if off is None else off
    if on.dtype != off.dtype:
        raise TypeError(f"dtype {on.dtype} of on_value does not match dtype {off.dtype} of "
                        f"off_value")
    return _one_hot(indices, on, off, depth=depth, axis=-1 if axis is None else int(axis))


@primitive("SequenceMask", inputs=1, differentiable=False)
def _sequence_mask(lengths, maxlen, dtype):
    if maxlen is None:
        maxlen = max(np.max(lengths), 0) if lengths.size else lengths.dtype.type(0)
    maxlen = np.asarray(maxlen)
    if maxlen < 0:
        raise op_error("Range", f"Requires start <= limit when delta > 0: 0/{maxlen}")
    row = np.arange(0, maxlen, dtype=maxlen.dtype)
    # TensorFlow compares in maxlen's dtype: float lengths truncate against an int maxlen.
    mask = row < lengths[..., None].astype(maxlen.dtype)
    return mask.astype(dtypes.as_dtype(dtype).as_numpy_dtype)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """A mask of shape `lengths.shape + (maxlen,)`: True at positions below each length.

    `maxlen` defaults to the largest length.

    >>> from eagerflow.ops.manip_ops import sequence_mask
    >>> sequence_mask([1, 3], 4).numpy().tolist()
    [[True, False, False, False], [True, True, True, False]]

    Raises:
      ValueError: `maxlen` is not a scalar.
    """
    if maxlen is not None:
        maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.rank != 0:
            raise ValueError(f"Argument `maxlen` must be scalar for sequence_mask, received "
                             f"`maxlen` = {maxlen._value} with shape '{maxlen.shape}' instead")
        maxlen = maxlen._value
    return _sequence_mask(lengths, maxlen, dtype)


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D coordinate vectors, one output per input.

    `indexing="xy"` (the default) gives outputs of shape `(len(y), len(x), ...)`,
    `indexing="ij"` of shape `(len(x), len(y), ...)`.

    >>> from eagerflow.ops.manip_ops import meshgrid
    >>> [g.numpy().tolist() for g in meshgrid([1, 2, 3], [4, 5])]
    [[[1, 2, 3], [1, 2, 3]], [[4, 4, 4], [5, 5, 5]]]

    Raises:
      TypeError: an unknown keyword argument.
      ValueError: `indexing` is neither "xy" nor "ij".
    """
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this "
                        f"function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Argument `indexing` parameter must be either 'xy' or 'ij', got "
                         f"'{indexing}'")
    vectors = [reshape(x, [-1]) for x in args]
    for vector in vectors[1:]:
        if vector.dtype != vectors[0].dtype:
            raise op_error("Mul", f"cannot compute Mul as input #1(zero-based) was expected to "
                                  f"be a {tf_type_name(vector.dtype)} tensor but is a "
                                  f"{tf_type_name(vectors[0].dtype)} tensor")
    positions = list(range(len(vectors)))
    if indexing == "xy" and len(vectors) > 1:
        positions[0], positions[1] = 1, 0
    shape = [0] * len(vectors)
    for vector, position in zip(vectors, positions):
        shape[position] = vector.shape[0]
    grids = []
    for vector, position in zip(vectors, positions):
        view = [1] * len(vectors)
        view[position] = -1
        grids.append(broadcast_to(reshape(vector, view), shape))
    return grids
