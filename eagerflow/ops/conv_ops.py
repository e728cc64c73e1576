"""Convolution (`tf.nn.conv2d`, `tf.nn.conv3d`, ...); pooling is in pool_ops.

A convolution is an im2col copy -- a strided view of the padded input holding every
kernel-sized patch, made contiguous -- and a matrix product with the filters. Its input
gradient is a matrix product followed by a scatter-add over the kh*kw kernel taps (each
tap adds a whole shifted slice at once), its filter gradient the im2col matrix times the
upstream gradient. All three run block by block over the output positions, so that a
block's patches and products stay in the cache and OpenBLAS can use its small-matrix
kernels; no Python loop runs over pixels or single images unless one image is too large
for a block. `Conv2D`, `Conv2DBackpropInput` and `Conv2DBackpropFilter` are primitives
whose gradients are each other, so gradients of gradients are convolutions too.

3x3 stride-1 convolutions with 64 or more channels in and out, and their input gradients,
run by Winograd's F(2x2, 3x3) tiles instead (winograd.py), where those measured faster.

A 3-D convolution stacks its depth taps as channels of one 2-D convolution; separable and
1-D transposed convolutions are compositions of the 2-D ones.

The public functions take TensorFlow's arguments, validate them with TensorFlow's errors
and reduce every layout (NCHW, NCW, extra batch dimensions, conv1d) to the channels-last
primitives.
"""

import itertools

import numpy as np
from numpy.lib.stride_tricks import as_strided

from eagerflow.framework import dtypes
from eagerflow.framework.errors import UnimplementedError
from eagerflow.framework.op import op_error, primitive, shape_tuple, tf_type_name
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor
from eagerflow.ops.array_ops import expand_dims, reshape, squeeze, stack, transpose
from eagerflow.ops import manip_ops, winograd
from eagerflow.ops.conv_blocks import blocks as _blocks

_CONV_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32)
_FLOAT_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)

# Patches with at most this many channels per group are copied tap-major (one contiguous
# row per kernel tap and channel): copying many short channel runs is what makes the
# patch-major im2col slow for thin inputs such as greyscale images.
_TAP_MAJOR_MAX_CHANNELS = 4

# From this many input channels on (and with a single one), the input gradient is one
# matrix product per kernel tap (each result added back as whole output rows) rather than
# one product whose kh*kw*C-wide rows are scattered back in short channel runs.
_PER_TAP_MIN_CHANNELS = 16

# Convolutions run block by block over the output positions: a block's patch copy and
# matrix products take about this many bytes (a core's L2 cache), so they stay cached
# from the copy to the product, and no full-size patch matrix is ever allocated.
_BLOCK_BYTES = 1 << 21

# OpenBLAS multiplies without packing its operands (its "small matrix" kernels, up to twice
# as fast on these thin products) while m * n * k <= 100**3 (and the second operand is not
# transposed); products are cut to stay within that when it still leaves them at least
# _MIN_BLOCK_ROWS rows.
_SMALL_PRODUCT = 100 ** 3
_MIN_BLOCK_ROWS = 128

# NumPy copies the operands of a strided element-wise operation through its buffer (8192
# values) unless each contiguous run holds at least half of it, which makes adding back
# short runs several times slower than adding contiguous arrays.
_LONG_RUN = 4096

# The stride-1 input gradient widens dy's rows with zeros to the padded input's width to
# make the runs it adds back long, at the cost of (width - OW) / OW more products: worth it
# while that excess times F stays below this (measured on 3x3 filters).
_WIDENING = 16


# --- argument checking (the Python-side rules of TensorFlow's wrappers) -----------------

def _dims_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _unimplemented(op_name, message):
    return UnimplementedError(None, None, f"{message} [Op:{op_name}]")


def _as_tensor(value, like=None):
    """`value` as a Tensor; a non-tensor takes the dtype of `like`, as op inputs do."""
    if like is not None and not is_tensor(value):
        return convert_to_tensor(value, like.dtype)
    return convert_to_tensor(value)


def _int_list(value):
    if isinstance(value, Tensor):
        return list(shape_tuple(value))
    if isinstance(value, (int, np.integer)):
        return [int(value)]
    return [int(v) for v in value]


def _spatial_values(value, n, name, channels_last, outer_message, op_name):
    """An int or a list of 1, n or n + 2 values, as the n spatial values.

    In the n + 2 form the batch and channel entries must be 1 (`outer_message` otherwise).
    """
    values = _int_list(value)
    if len(values) == 1:
        return tuple(values) * n
    if len(values) == n:
        return tuple(values)
    if len(values) == n + 2:
        outer = (values[0], values[-1]) if channels_last else tuple(values[:2])
        if any(v != 1 for v in outer):
            raise _unimplemented(op_name, outer_message)
        return tuple(values[1:-1] if channels_last else values[2:])
    raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: "
                     f"{name}={value} of length {len(values)}")


def _padding_spec(padding, n, channels_last, op_name, explicit=True):
    """"SAME", "VALID", or (with `explicit`) a list of n + 2 pairs as n spatial pairs."""
    allowed = '"SAME", "VALID", "EXPLICIT"' if explicit else '"SAME", "VALID"'
    if isinstance(padding, str):
        if padding in ("SAME", "VALID"):
            return padding
        raise op_error(op_name, f"Value for attr 'padding' of \"{padding}\" is not in the "
                                f"list of allowed values: {allowed}")
    if not explicit or not isinstance(padding, (list, tuple)):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    for i, pair in enumerate(padding):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"When `padding` is a list, each element of `padding` must be a "
                             f"list/tuple of size 2. Received: padding={padding} with "
                             f"element at index {i} of type {type(pair)}")
    if len(padding) != n + 2:
        raise ValueError(f"When padding is a list, it must be of size {n + 2}. Received: "
                         f"padding={padding} of size {len(padding)}")
    pairs = [(int(a), int(b)) for a, b in padding]
    outer = (pairs[0], pairs[-1]) if channels_last else tuple(pairs[:2])
    if any(a or b for a, b in outer):
        raise op_error(op_name, "Nonzero explicit padding in the batch or depth dimensions "
                                "is not supported")
    if any(a < 0 or b < 0 for a, b in pairs):
        raise op_error(op_name, "All elements of explicit_paddings must be nonnegative")
    return tuple(pairs[1:-1] if channels_last else pairs[2:])


def _check_data_format(data_format, allowed, op_name):
    if data_format not in allowed:
        names = ", ".join(f'"{f}"' for f in allowed if f is not None)
        raise op_error(op_name, f"Value for attr 'data_format' of \"{data_format}\" is not in "
                                f"the list of allowed values: {names}")
    return data_format is None or data_format.endswith("C")


def _check_floating(x, op_name):
    if x.dtype not in _FLOAT_DTYPES:
        raise op_error(op_name, f"Value for attr 'T' of {tf_type_name(x.dtype)} is not in "
                                "the list of allowed values: half, float, double")


def _to_channels_last(x):
    return transpose(x, [0] + list(range(2, x.ndim)) + [1])


def _to_channels_first(x):
    return transpose(x, [0, x.ndim - 1] + list(range(1, x.ndim - 1)))


# --- geometry ---------------------------------------------------------------------------

def _truncating_div(a, b):
    """Integer division rounding toward zero, as TensorFlow's C++ computes output sizes."""
    return a // b if a >= 0 else -(-a // b)


def _geometry(op_name, sizes, kernel, strides, dilations, padding):
    """Output sizes and (before, after) pads per spatial dimension, as TensorFlow sets them."""
    outputs, pads = [], []
    for d, (size, k, s, r) in enumerate(zip(sizes, kernel, strides, dilations)):
        effective = (k - 1) * r + 1
        if padding == "SAME":
            out = -(-size // s)
            total = max((out - 1) * s + effective - size, 0)
            before, after = total // 2, total - total // 2
        else:
            before, after = (0, 0) if padding == "VALID" else padding[d]
            out = _truncating_div(size + before + after - effective + s, s)
            if out < 0:
                raise op_error(op_name, f"Computed output size would be negative: {out} "
                                        f"[input_size: {size}, effective_filter_size: "
                                        f"{effective}, stride: {s}]")
        outputs.append(out)
        pads.append((before, after))
    return tuple(outputs), tuple(pads)


def _pad(x, pads, value=0):
    if not any(a or b for a, b in pads):
        return x
    return np.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), constant_values=value)


def _crop(xp, pads, sizes):
    """The unpadded region of a padded buffer, contiguous."""
    if not any(a or b for a, b in pads):
        return xp
    index = (slice(None),) + tuple(slice(a, a + n) for (a, _), n in zip(pads, sizes))
    return np.ascontiguousarray(xp[index])


def _tap_slices(kernel, strides, dilations, outputs):
    """For each kernel tap (row-major), the index of the input slice it reads for all outputs."""
    for tap in itertools.product(*(range(k) for k in kernel)):
        yield (slice(None),) + tuple(
            slice(t * r, t * r + s * (o - 1) + 1, s)
            for t, s, r, o in zip(tap, strides, dilations, outputs)) + (slice(None),)


# --- convolution kernels on ndarrays (NHWC input, HWIO filters) -------------------------

def _conv_shapes(op_name, x_shape, w_shape):
    """Checks the channel counts; returns the number of groups."""
    channels, (in_depth, out_depth) = x_shape[3], w_shape[2:]
    if in_depth <= 0:
        raise op_error(op_name, f"filter depth must be strictly positive, got {in_depth}")
    if channels % in_depth:
        raise op_error(op_name, f"input depth must be evenly divisible by filter depth: "
                                f"{channels} vs {in_depth}")
    groups = channels // in_depth
    if out_depth % groups:
        raise op_error(op_name, f"output depth must be evenly divisible by number of groups: "
                                f"{out_depth} vs {groups}")
    return groups


def _check_rank(op_name, array, what):
    if array.ndim != 4:
        raise op_error(op_name, f"convolution {what} must be 4-dimensional: "
                                f"{_dims_text(array.shape)}")


def _windows(xp, outputs, kernel, strides, dilations):
    """A read-only (N, OH, OW, kh, kw, C) view of the kernel-sized patches of padded `xp`."""
    (oh, ow), (kh, kw), (sh, sw), (dh, dw) = outputs, kernel, strides, dilations
    bn, bh, bw, bc = xp.strides
    return as_strided(xp, (xp.shape[0], oh, ow, kh, kw, xp.shape[3]),
                      (bn, bh * sh, bw * sw, bh * dh, bw * dw, bc), writeable=False)


def _block_rows(width, itemsize, product=None):
    """Output positions per block: `width` values per position fill about _BLOCK_BYTES, and
    with `product` (the product of the other two sides of the block's matrix products) the
    products stay small enough for OpenBLAS's unpacked kernels, unless that makes blocks
    too short to be worth a call."""
    rows = max(1, _BLOCK_BYTES // (width * itemsize))
    if product:
        small = _SMALL_PRODUCT // product
        if small >= _MIN_BLOCK_ROWS:
            rows = min(rows, small)
    return rows


def _patch_blocks(windows, groups, rows, layout):
    """The patches of `windows`, block by block, copied into one reused buffer.

    Yields (images, output rows, patches) per block of at most about `rows` positions m;
    with g groups and cg channels per group the patches are, by `layout`:
      "patch":  a (g, m, kh*kw*cg) matrix stack (each row one patch);
      "tap":    a (g, kh*kw*cg, m) matrix stack (each row one tap and channel of every
                patch: contiguous rows of m values, quick to copy when cg is small);
      "each":   a (g, kh*kw, m, cg) stack, one (m, cg) matrix per kernel tap (each copied
                as runs of whole output rows).
    """
    n, oh, ow, kh, kw, channels = windows.shape
    cg = channels // groups
    blocks, most = _blocks(n, (oh, ow), rows)
    shape = {"patch": (groups, most, kh * kw * cg), "tap": (groups, kh * kw * cg, most),
             "each": (groups, kh * kw, most, cg)}[layout]
    buffer = np.empty(shape, windows.dtype)
    for images, out_rows in blocks:
        block = windows[images, out_rows]
        b, h = block.shape[:2]
        m = b * h * ow
        block = block.reshape(b, h, ow, kh, kw, groups, cg)
        if layout == "patch":
            patches = buffer[:, :m]
            np.copyto(patches.reshape(groups, b, h, ow, kh, kw, cg),
                      block.transpose(5, 0, 1, 2, 3, 4, 6))
        elif layout == "tap":
            patches = buffer[:, :, :m]
            np.copyto(patches.reshape(groups, kh, kw, cg, b, h, ow),
                      block.transpose(5, 3, 4, 6, 0, 1, 2))
        else:
            patches = buffer[:, :, :m]
            np.copyto(patches.reshape(groups, kh, kw, b, h, ow, cg),
                      block.transpose(5, 3, 4, 0, 1, 2, 6))
        yield images, out_rows, patches


def _is_depthwise(channels, w_shape):
    """One input and one output channel per group: each output sums only over the taps."""
    return w_shape[2] == 1 and w_shape[3] == channels


def _grouped_filters(w, groups):
    """HWIO filters as a (groups, kh*kw*I, O/groups) stack (a view when groups == 1)."""
    kh, kw, cg, out_depth = w.shape
    fg = out_depth // groups
    return (w.reshape(kh, kw, cg, groups, fg).transpose(3, 0, 1, 2, 4)
            .reshape(groups, kh * kw * cg, fg))


def _grouped_rows(y, groups):
    """An (..., F) array as a (groups, positions, F/groups) stack (views when contiguous)."""
    depth = y.shape[-1]
    return y.reshape(-1, groups, depth // groups).transpose(1, 0, 2)


def _conv_forward(x, w, strides, padding, dilations, op_name="Conv2D"):
    groups = _conv_shapes(op_name, x.shape, w.shape)
    kernel = w.shape[:2]
    outputs, pads = _geometry(op_name, x.shape[1:3], kernel, strides, dilations, padding)
    if _is_depthwise(x.shape[3], w.shape):
        # Nine products per output: einsum over the patch view beats copying the patches.
        windows = _windows(_pad(x, pads), outputs, kernel, strides, dilations)
        return np.einsum("nhwijc,ijc->nhwc", windows, w[:, :, 0, :])
    if winograd.applies(x.dtype, w.shape, strides, dilations, groups, x.shape[0], outputs):
        return winograd.conv3x3(x, w, pads, outputs)
    y = np.empty((x.shape[0],) + outputs + (w.shape[3],), x.dtype)
    if y.size == 0 or w.size == 0:
        y.fill(0)
        return y
    filters = _grouped_filters(w, groups)
    windows = _windows(_pad(x, pads), outputs, kernel, strides, dilations)
    layout = "tap" if w.shape[2] <= _TAP_MAJOR_MAX_CHANNELS else "patch"
    rows = _block_rows(kernel[0] * kernel[1] * x.shape[3] + w.shape[3], x.itemsize,
                       w.size // groups)
    for images, out_rows, patches in _patch_blocks(windows, groups, rows, layout):
        if layout == "tap":
            patches = patches.transpose(0, 2, 1)
        np.matmul(patches, filters, out=_grouped_rows(y[images, out_rows], groups))
    return y


def _conv_input_grad(w, dy, input_shape, strides, padding, dilations, op_name):
    groups = _conv_shapes(op_name, input_shape, w.shape)
    kernel = w.shape[:2]
    sizes = tuple(input_shape[1:3])
    outputs, pads = _geometry(op_name, sizes, kernel, strides, dilations, padding)
    for d in range(2):
        if outputs[d] != dy.shape[d + 1]:
            raise op_error(op_name, f"Size of out_backprop doesn't match computed: actual = "
                                    f"{dy.shape[d + 1]}, computed = {outputs[d]} spatial_dim: "
                                    f"{d + 1} input: {sizes[d]} filter: {kernel[d]} output: "
                                    f"{dy.shape[d + 1]} stride: {strides[d]} dilation: "
                                    f"{dilations[d]}")
    n, channels = input_shape[0], input_shape[3]
    padded = tuple(s + a + b for s, (a, b) in zip(sizes, pads))
    if _is_depthwise(channels, w.shape):
        return _crop(_depthwise_input_grad(w, dy, padded, strides, dilations), pads, sizes)
    if (max(itertools.chain(*pads)) <= 2
            and winograd.applies(dy.dtype, w.shape, strides, dilations, groups, n, sizes,
                                 outputs)):
        # The correlation of dy, padded to reach every input, with the filters flipped and
        # their input and output channels swapped: a 3x3 stride-1 convolution too.
        flipped = np.ascontiguousarray(w[::-1, ::-1].transpose(0, 1, 3, 2))
        return winograd.conv3x3(dy, flipped, tuple((2 - a, 2 - b) for a, b in pads), sizes)
    dxp = np.zeros((n,) + padded + (channels,), dy.dtype)
    if dy.size == 0 or w.size == 0:
        return _crop(dxp, pads, sizes)
    kh, kw, cg, out_depth = w.shape
    ow, width = dy.shape[2], dxp.shape[2]
    if (groups == 1 and tuple(strides) == (1, 1) and kh * kw * cg >= out_depth
            and ow * cg < _LONG_RUN and (width - ow) * out_depth <= _WIDENING * ow):
        _shifted_input_grad(w, dy, dxp, dilations)
    elif groups == 1 and (cg == 1 or cg >= _PER_TAP_MIN_CHANNELS):
        _tap_input_grad(w, dy, dxp, strides, dilations)
    else:
        _patch_input_grad(w, dy, dxp, groups, strides, dilations)
    return _crop(dxp, pads, sizes)


def _tap_filters(w):
    """The filters for `_tap_products`: (taps, F, C), or (F, taps) when C == 1."""
    kh, kw, channels, out_depth = w.shape
    if channels == 1:
        return np.ascontiguousarray(w.reshape(kh * kw, out_depth).T)
    return np.ascontiguousarray(w.transpose(0, 1, 3, 2)).reshape(kh * kw, out_depth, channels)


def _tap_products(rows, filters, out):
    """out[t] = rows @ filters[t], the (m, F) @ (F, C) product of each kernel tap t, into a
    (taps, m, C) `out`: in chunks of rows small enough for OpenBLAS's unpacked kernels, and
    with C == 1 as one product of all taps at once."""
    chunk = _SMALL_PRODUCT // (filters.size // (1 if filters.ndim == 2 else len(filters)))
    if chunk < _MIN_BLOCK_ROWS:  # wide products: OpenBLAS's packed kernels do better
        chunk = len(rows)
    for low in range(0, len(rows), chunk):
        high = min(len(rows), low + chunk)
        if filters.ndim == 2:
            np.matmul(rows[low:high], filters, out=out[:, low:high, 0].T)
        else:
            np.matmul(rows[low:high], filters, out=out[:, low:high])


def _tap_input_grad(w, dy, dxp, strides, dilations):
    """Adds the input gradient into padded `dxp`, one (positions, F) @ (F, C) product per
    kernel tap, each result added back as whole runs of output rows."""
    n, oh, ow, out_depth = dy.shape
    kernel, channels = w.shape[:2], w.shape[2]
    taps = kernel[0] * kernel[1]
    filters = _tap_filters(w)
    blocks, most = _blocks(n, (oh, ow), _block_rows(out_depth + taps * channels, dy.itemsize))
    grads = np.empty((taps, most, channels), dy.dtype)
    for images, out_rows in blocks:
        dy_block = dy[images, out_rows]
        b, h = dy_block.shape[:2]
        _tap_products(dy_block.reshape(-1, out_depth), filters, grads)
        block = grads[:, :b * h * ow].reshape(taps, b, h, ow, channels)
        target = dxp[images, out_rows.start * strides[0]:]
        for tap, index in enumerate(_tap_slices(kernel, strides, dilations, (h, ow))):
            target[index] += block[tap]


def _patch_input_grad(w, dy, dxp, groups, strides, dilations):
    """Adds the input gradient into padded `dxp`: the (groups, positions, kh*kw*cg)
    gradient of every patch, then added back one kernel tap at a time."""
    n, oh, ow, out_depth = dy.shape
    kh, kw, cg = w.shape[:3]
    w_t = np.ascontiguousarray(_grouped_filters(w, groups).transpose(0, 2, 1))
    depth = w_t.shape[2]
    rows = _block_rows(groups * depth + out_depth, dy.itemsize, w_t[0].size)
    blocks, most = _blocks(n, (oh, ow), rows)
    buffer = np.empty((groups, most, depth), dy.dtype)
    for images, out_rows in blocks:
        dy_block = dy[images, out_rows]
        b, h = dy_block.shape[:2]
        cols = buffer[:, :b * h * ow]
        np.matmul(_grouped_rows(dy_block, groups), w_t, out=cols)
        cols = cols.reshape(groups, b, h, ow, kh, kw, cg)
        target = dxp[images, out_rows.start * strides[0]:].reshape(
            (b, -1, dxp.shape[2], groups, cg))
        for (i, j), index in zip(itertools.product(range(kh), range(kw)),
                                 _tap_slices((kh, kw), strides, dilations, (h, ow))):
            target[index] += cols[:, :, :, :, i, j, :].transpose(1, 2, 3, 0, 4)


def _shifted_input_grad(w, dy, dxp, dilations):
    """Adds the input gradient of a stride-1 convolution into padded `dxp`.

    The rows of `dy` are widened with zeros to the width of `dxp`: then an output position
    and the input it reads through one kernel tap are a constant flat distance apart, so
    each tap's (positions, F) @ (F, C) product lands on `dxp` as one contiguous run per
    image (the widening copy of F values per position pays for itself when each position
    has kh*kw*C >= F values to add back). When those runs would be short, `dy` is also
    deepened with zero rows to the height of `dxp`, and a block of whole images takes one
    run per tap.
    """
    n, height, width, channels = dxp.shape
    oh, ow, out_depth = dy.shape[1:]
    (kh, kw), (dh, dw) = w.shape[:2], dilations
    taps = kh * kw
    filters = _tap_filters(w)
    rows = _block_rows(out_depth + taps * channels, dy.itemsize)
    deep = height * width <= rows and oh * width * channels < _LONG_RUN
    blocks, most = _blocks(n, (height if deep else oh, width), rows)
    widened = np.zeros((most, out_depth), dy.dtype)
    grads = np.empty((taps, most, channels), dy.dtype)
    for images, out_rows in blocks:
        b, h = images.stop - images.start, out_rows.stop - out_rows.start
        m = b * h * width
        widened[:m].reshape(b, h, width, out_depth)[:, :oh, :ow] = dy[images, out_rows]
        _tap_products(widened[:m], filters, grads)
        # The runs stop short of the block's last widened positions, which read zeros
        # only: so the last image's runs stay inside `dxp`.
        if deep:
            runs = dxp.reshape(-1)[images.start * height * width * channels:][None]
            run, first = m - (kh - 1) * dh * width - (kw - 1) * dw, 0
        else:
            runs = dxp.reshape(n, -1)[images]
            run, first = h * width - (kw - 1) * dw, out_rows.start * width
        run *= channels
        for tap, (i, j) in enumerate(itertools.product(range(kh), range(kw))):
            start = (first + i * dh * width + j * dw) * channels
            runs[:, start:start + run] += grads[tap, :m].reshape(len(runs), -1)[:, :run]


def _depthwise_input_grad(w, dy, padded, strides, dilations):
    """The padded input gradient of a depthwise convolution, as a correlation of the
    stride-upsampled, edge-padded `dy` with the flipped filters (again an einsum)."""
    n, oh, ow, channels = dy.shape
    (kh, kw), (sh, sw), (dh, dw) = w.shape[:2], strides, dilations
    top, left = (kh - 1) * dh, (kw - 1) * dw
    spread = np.zeros((n, padded[0] + top, padded[1] + left, channels), dy.dtype)
    spread[:, top:top + (oh - 1) * sh + 1:sh, left:left + (ow - 1) * sw + 1:sw] = dy
    windows = _windows(spread, padded, (kh, kw), (1, 1), dilations)
    return np.einsum("nhwijc,ijc->nhwc", windows, w[::-1, ::-1, 0, :])


def _conv_filter_grad(x, dy, filter_shape, strides, padding, dilations, op_name):
    groups = _conv_shapes(op_name, x.shape, filter_shape)
    kh, kw, cg, out_depth = filter_shape
    outputs, pads = _geometry(op_name, x.shape[1:3], (kh, kw), strides, dilations, padding)
    if outputs != dy.shape[1:3]:
        raise op_error(op_name, f"Computed output size {_dims_text(outputs)} does not match "
                                f"out_backprop {_dims_text(dy.shape)}")
    windows = _windows(_pad(x, pads), outputs, (kh, kw), strides, dilations)
    if _is_depthwise(x.shape[3], filter_shape):
        return np.einsum("nhwijc,nhwc->ijc", windows, dy)[:, :, None, :]
    fg = out_depth // groups
    dw = np.zeros((groups, kh * kw * cg, fg), dy.dtype)
    if dy.size == 0 or dw.size == 0:
        return dw.reshape(filter_shape)
    # Thin patches are copied tap-major and multiplied in one product per block; wider
    # ones one kernel tap at a time, each tap's filters their own (cg, F) product.
    layout = "tap" if cg <= _TAP_MAJOR_MAX_CHANNELS else "each"
    depth = kh * kw * cg
    rows = _block_rows(groups * depth + out_depth, x.itemsize,
                       (depth if layout == "tap" else cg) * fg)
    part = np.empty_like(dw)
    for images, out_rows, patches in _patch_blocks(windows, groups, rows, layout):
        dy_rows = _grouped_rows(dy[images, out_rows], groups)
        if layout == "tap":
            np.matmul(patches, dy_rows, out=part)
        else:
            np.matmul(patches.transpose(0, 1, 3, 2), dy_rows[:, None],
                      out=part.reshape(groups, kh * kw, cg, fg))
        dw += part
    return dw.reshape(groups, kh, kw, cg, fg).transpose(1, 2, 3, 0, 4).reshape(filter_shape)


# --- convolution primitives ----------------------------------------------------------------

@primitive("Conv2D", dtypes=_CONV_DTYPES)
def _conv2d(input, filters, strides=(1, 1), padding="VALID", dilations=(1, 1)):
    _check_rank("Conv2D", input, "input")
    _check_rank("Conv2D", filters, "filter")
    return _conv_forward(input, filters, strides, padding, dilations)


@_conv2d.gradient
def _conv2d_grad(op, dy):
    x, w = op.inputs
    need_x, need_w = op.needs_grad
    attrs = op.attrs
    return [_conv2d_backprop_input(w, dy, input_sizes=tuple(x.shape), **attrs)
            if need_x else None,
            _conv2d_backprop_filter(x, dy, filter_sizes=tuple(w.shape), **attrs)
            if need_w else None]


@primitive("Conv2DBackpropInput", dtypes=_CONV_DTYPES)
def _conv2d_backprop_input(filters, out_backprop, input_sizes=(), strides=(1, 1),
                           padding="VALID", dilations=(1, 1)):
    name = "Conv2DBackpropInput"
    if filters.ndim != 4:
        raise op_error(name, f"filter must be 4-dimensional: {_dims_text(filters.shape)}")
    if out_backprop.ndim != 4:
        raise op_error(name, f"out_backprop must be 4-dimensional: "
                             f"{_dims_text(out_backprop.shape)}")
    if input_sizes[0] != out_backprop.shape[0]:
        raise op_error(name, f"input and out_backprop must have the same batch size. Input "
                             f"batch: {input_sizes[0]}, outbackprop batch: "
                             f"{out_backprop.shape[0]}, batch_dim: 0")
    if filters.shape[3] != out_backprop.shape[3]:
        raise op_error(name, f"filter and out_backprop must have the same out_depth: "
                             f"{filters.shape[3]} vs {out_backprop.shape[3]}")
    return _conv_input_grad(filters, out_backprop, input_sizes, strides, padding, dilations,
                            name)


@_conv2d_backprop_input.gradient
def _conv2d_backprop_input_grad(op, ddx):
    w, dy = op.inputs
    need_w, need_dy = op.needs_grad
    attrs = dict(op.attrs)
    del attrs["input_sizes"]
    return [_conv2d_backprop_filter(ddx, dy, filter_sizes=tuple(w.shape), **attrs)
            if need_w else None,
            _conv2d(ddx, w, **attrs) if need_dy else None]


@primitive("Conv2DBackpropFilter", dtypes=_CONV_DTYPES)
def _conv2d_backprop_filter(input, out_backprop, filter_sizes=(), strides=(1, 1),
                            padding="VALID", dilations=(1, 1)):
    name = "Conv2DBackpropFilter"
    if input.ndim != 4 or out_backprop.ndim != 4 or len(filter_sizes) != 4:
        raise op_error(name, f"input, filter_sizes and out_backprop must be 4-dimensional: "
                             f"{_dims_text(input.shape)}, {_dims_text(filter_sizes)}, "
                             f"{_dims_text(out_backprop.shape)}")
    if input.shape[0] != out_backprop.shape[0] or filter_sizes[3] != out_backprop.shape[3]:
        raise op_error(name, f"input {_dims_text(input.shape)} and filter_sizes "
                             f"{_dims_text(filter_sizes)} do not match out_backprop "
                             f"{_dims_text(out_backprop.shape)}")
    return _conv_filter_grad(input, out_backprop, tuple(filter_sizes), strides, padding,
                             dilations, name)


@_conv2d_backprop_filter.gradient
def _conv2d_backprop_filter_grad(op, ddw):
    x, dy = op.inputs
    need_x, need_dy = op.needs_grad
    attrs = dict(op.attrs)
    del attrs["filter_sizes"]
    return [_conv2d_backprop_input(ddw, dy, input_sizes=tuple(x.shape), **attrs)
            if need_x else None,
            _conv2d(x, ddw, **attrs) if need_dy else None]


# --- convolution: the public functions --------------------------------------------------

def _conv_attrs(strides, padding, dilations, channels_last, op_name, n=2, explicit=True,
                stride_name="strides"):
    strides = _spatial_values(
        strides, n, stride_name, channels_last,
        "Current implementation does not yet support strides in the batch and depth "
        "dimensions.", op_name)
    dilations = _spatial_values(
        1 if dilations is None else dilations, n, "dilations", channels_last,
        "Current implementation does not yet support dilations in the batch and depth "
        "dimensions.", op_name)
    if any(s <= 0 for s in strides):
        raise op_error(op_name, "Row and column strides should be larger than 0.")
    if any(r <= 0 for r in dilations):
        raise op_error(op_name, "Dilated rates should be larger than 0.")
    padding = _padding_spec(padding, n, channels_last, op_name, explicit)
    return strides, padding, dilations


def _with_batch_dims(x, rank, fn):
    """Applies `fn` to `x` with its leading batch dimensions folded into one."""
    if x.ndim <= rank:
        return fn(x)
    batch_shape = tuple(x.shape)[:-rank + 1]
    y = fn(reshape(x, (-1,) + tuple(x.shape)[-rank + 1:]))
    return reshape(y, batch_shape + tuple(y.shape)[1:])


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """Computes a 2-D convolution of `input` [batch, height, width, channels] with `filters`
    [filter_height, filter_width, in_channels, out_channels].

    `strides` and `dilations` are an int or a list of 1, 2 or 4 ints; `padding` is
    "SAME", "VALID" or a list of 4 [before, after] pairs. When the input has a multiple of
    the filter's in_channels, the convolution is grouped. Leading batch dimensions beyond
    one are kept. "NCHW" works too (TensorFlow supports it on GPUs only).

    >>> x = tf.reshape(tf.range(16.0), (1, 4, 4, 1))
    >>> tf.nn.conv2d(x, tf.ones((2, 2, 1, 1)), strides=2, padding="VALID").numpy().ravel().tolist()
    [10.0, 18.0, 42.0, 50.0]

    Raises:
      InvalidArgumentError: bad padding, channels that do not divide, wrong ranks.
      ValueError: `strides`, `dilations` or a padding list of the wrong length.
    """
    channels_last = _check_data_format(data_format, ("NHWC", "NCHW", None), "Conv2D")
    strides, padding, dilations = _conv_attrs(strides, padding, dilations, channels_last,
                                              "Conv2D")
    x = _as_tensor(input)
    filters = _as_tensor(filters, like=x)
    if x.ndim < 4:
        raise op_error("Conv2D", f"convolution input must be 4-dimensional: "
                                 f"{_dims_text(x.shape)}")

    def convolve(x4):
        return _conv2d(x4, filters, strides=strides, padding=padding, dilations=dilations)

    if channels_last:
        return _with_batch_dims(x, 4, convolve)
    return _with_batch_dims(x, 4, lambda x4: _to_channels_first(convolve(_to_channels_last(x4))))


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):
    """Computes a 1-D convolution of `input` [batch, width, channels] with `filters`
    [filter_width, in_channels, out_channels].

    >>> x = tf.reshape(tf.range(5.0), (1, 5, 1))
    >>> tf.nn.conv1d(x, tf.ones((2, 1, 1)), stride=1, padding="VALID").numpy().ravel().tolist()
    [1.0, 3.0, 5.0, 7.0]
    """
    if data_format in (None, "NWC", "NHWC"):
        channels_last = True
    elif data_format in ("NCW", "NCHW"):
        channels_last = False
    else:
        raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: "
                         f"data_format={data_format}")
    if not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    (stride,), padding, (dilation,) = _conv_attrs(stride, padding, dilations, channels_last,
                                                  "Conv2D", n=1, explicit=False,
                                                  stride_name="stride")
    x = _as_tensor(input)
    filters = _as_tensor(filters, like=x)
    if not channels_last:
        x = transpose(x, list(range(x.ndim - 2)) + [x.ndim - 1, x.ndim - 2])
    y = conv2d(expand_dims(x, -3), expand_dims(filters, 0), [1, stride], padding,
               dilations=[1, dilation])
    y = squeeze(y, [-3])
    if not channels_last:
        y = transpose(y, list(range(y.ndim - 2)) + [y.ndim - 1, y.ndim - 2])
    return y


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",
                     data_format="NHWC", dilations=None, name=None):
    """The transpose of `conv2d` (the gradient of `conv2d` with respect to its input).

    `filters` is [height, width, output_channels, in_channels]; `output_shape` is the
    shape of the result (4 values, or its 2 spatial values).

    >>> y = tf.nn.conv2d_transpose(tf.ones((1, 2, 2, 1)), tf.ones((2, 2, 1, 1)),
    ...                            output_shape=[1, 3, 3, 1], strides=1, padding="VALID")
    >>> y.numpy()[0, :, :, 0].tolist()
    [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    name = "Conv2DBackpropInput"
    channels_last = _check_data_format(data_format, ("NHWC", "NCHW", None), name)
    strides, padding, dilations = _conv_attrs(strides, padding, dilations, channels_last,
                                              name)
    dy = _as_tensor(input)
    filters = _as_tensor(filters, like=dy)
    if dy.ndim != 4:
        raise op_error(name, f"input must be 4-dimensional: {_dims_text(dy.shape)}")
    if filters.ndim != 4:
        raise op_error(name, f"filter must be 4-dimensional: {_dims_text(filters.shape)}")
    sizes = _int_list(output_shape)
    if len(sizes) == 2:
        sizes = ([dy.shape[0]] + sizes + [filters.shape[2]] if channels_last
                 else [dy.shape[0], filters.shape[2]] + sizes)
    elif len(sizes) != 4:
        raise op_error(name, f"Conv2DBackpropInput requires input_sizes to contain 4 values "
                             f"or 2 values, but got: {len(sizes)}")
    if not channels_last:
        dy = _to_channels_last(dy)
        sizes = [sizes[0], sizes[2], sizes[3], sizes[1]]
    dx = _conv2d_backprop_input(filters, dy, input_sizes=tuple(sizes), strides=strides,
                                padding=padding, dilations=dilations)
    return dx if channels_last else _to_channels_first(dx)


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None,
                     name=None):
    """Depthwise 2-D convolution: each input channel is convolved with its own
    `channel_multiplier` filters.

    `filter` is [height, width, in_channels, channel_multiplier]; the output has
    in_channels * channel_multiplier channels, ordered channel-major. `strides` is a list
    of 4 ints; `dilations` a list of 2 (the dilation rate, allowed only with unit strides).

    >>> x = tf.ones((1, 3, 3, 2))
    >>> w = tf.stack([tf.ones((2, 2)), 2.0 * tf.ones((2, 2))], axis=-1)[..., None]
    >>> tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID").numpy()[0, 0, 0].tolist()
    [4.0, 8.0]
    """
    name = "DepthwiseConv2dNative"
    channels_last = _check_data_format(data_format, ("NHWC", "NCHW", None), name)
    if isinstance(strides, (int, np.integer)):
        raise TypeError(f"Expected list for 'strides' argument to 'depthwise_conv2d_native' "
                        f"Op, not {strides}.")
    if len(_int_list(strides)) != 4:
        raise op_error(name, "Sliding window strides field must specify 4 dimensions")
    if dilations is not None and len(_int_list(dilations)) not in (1, 2):
        raise ValueError(f"`dilations` must be a list of 2 ints (the dilation rate). "
                         f"Received: dilations={dilations}")
    strides, padding, dilations = _conv_attrs(strides, padding, dilations, channels_last,
                                              name)
    if max(dilations) > 1 and max(strides) > 1:
        raise ValueError(f"When dilation rate is greater than 1, then all values of strides "
                         f"must be 1. Received: `dilation rate` {list(dilations)} and "
                         f"`strides` {list(strides)}")
    x = _as_tensor(input)
    filter = _as_tensor(filter, like=x)
    _check_floating(x, name)
    if x.ndim != 4:
        raise op_error(name, f"input must be 4-dimensional: {_dims_text(x.shape)}")
    if filter.ndim != 4:
        raise op_error(name, f"filter must be 4-dimensional: {_dims_text(filter.shape)}")
    if not channels_last:
        x = _to_channels_last(x)
    kh, kw, in_depth, multiplier = filter.shape
    if x.shape[3] != in_depth:
        raise op_error(name, f"input and filter must have the same depth: {x.shape[3]} vs "
                             f"{in_depth}")
    # A grouped convolution with one group per input channel.
    y = _conv2d(x, reshape(filter, (kh, kw, 1, in_depth * multiplier)), strides=strides,
                padding=padding, dilations=dilations)
    return y if channels_last else _to_channels_first(y)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,
                     data_format=None, dilations=None, name=None):
    """A depthwise convolution followed by a 1x1 convolution that mixes the channels.

    `depthwise_filter` is [height, width, in_channels, channel_multiplier] and
    `pointwise_filter` [1, 1, in_channels * channel_multiplier, out_channels].

    >>> x = tf.ones((1, 3, 3, 2))
    >>> y = tf.nn.separable_conv2d(x, tf.ones((2, 2, 2, 1)), tf.ones((1, 1, 2, 3)),
    ...                            [1, 1, 1, 1], "VALID")
    >>> y.shape.as_list(), float(y[0, 0, 0, 0])
    ([1, 2, 2, 3], 8.0)
    """
    pointwise_filter = _as_tensor(pointwise_filter)
    if pointwise_filter.ndim != 4 or tuple(pointwise_filter.shape[:2]) != (1, 1):
        raise ValueError(f"`pointwise_filter` must be of shape [1, 1, in_channels * "
                         f"channel_multiplier, out_channels]. Received: "
                         f"pointwise_filter.shape={tuple(pointwise_filter.shape)}")
    depthwise = depthwise_conv2d(input, depthwise_filter, strides, padding,
                                 data_format=data_format, dilations=dilations)
    return conv2d(depthwise, pointwise_filter, 1, "VALID",
                  data_format="NHWC" if data_format is None else data_format)


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME",
                     data_format="NWC", dilations=None, name=None):
    """The transpose of `conv1d`: `filters` is [width, output_channels, in_channels] and
    `output_shape` the shape of the result (3 values).

    >>> y = tf.nn.conv1d_transpose(tf.ones((1, 2, 1)), tf.ones((2, 1, 1)), [1, 3, 1], 1,
    ...                            "VALID")
    >>> y.numpy().ravel().tolist()
    [1.0, 2.0, 1.0]
    """
    if data_format not in ("NWC", "NCW", None):
        raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: "
                         f"data_format={data_format}")
    channels_last = data_format != "NCW"
    sizes = _int_list(output_shape)
    if len(sizes) != 3:
        raise ValueError(f"`output_shape` must be of length 3. Received: "
                         f"output_shape={output_shape}")
    (stride,), _, (dilation,) = _conv_attrs(strides, "VALID", dilations, channels_last,
                                            "Conv2DBackpropInput", n=1)
    x = expand_dims(_as_tensor(input), 1 if channels_last else 2)
    filters = expand_dims(_as_tensor(filters, like=x), 0)
    sizes = sizes[:1] + [1] + sizes[1:] if channels_last else sizes[:2] + [1] + sizes[2:]
    y = conv2d_transpose(x, filters, sizes, [1, stride], padding,
                         data_format="NHWC" if channels_last else "NCHW",
                         dilations=[1, dilation])
    return squeeze(y, [1 if channels_last else 2])


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):
    """Computes a 3-D convolution of `input` [batch, depth, height, width, channels] with
    `filters` [filter_depth, filter_height, filter_width, in_channels, out_channels].

    `strides` is a list of 5 ints (1 for the batch and channels), `dilations` one of 5 or
    3. The depth taps are stacked as channels of one 2-D convolution, so the work is one
    large matrix product, as for `conv2d`.

    >>> x = tf.ones((1, 3, 3, 3, 1))
    >>> tf.nn.conv3d(x, tf.ones((2, 2, 2, 1, 1)), [1, 1, 1, 1, 1], "VALID").shape.as_list()
    [1, 2, 2, 2, 1]
    """
    name = "Conv3D"
    if isinstance(strides, (int, np.integer)):
        raise TypeError(f"Expected list for 'strides' argument to 'conv3d' Op, not {strides}.")
    if len(_int_list(strides)) < 5:
        raise op_error(name, f"Length for attr 'strides' of {len(_int_list(strides))} must "
                             f"be at least minimum 5")
    channels_last = _check_data_format(data_format, ("NDHWC", "NCDHW"), name)
    strides, padding, dilations = _conv_attrs(strides, padding, dilations, channels_last,
                                              name, n=3, explicit=False)
    x = _as_tensor(input)
    filters = _as_tensor(filters, like=x)
    if x.ndim != 5:
        raise op_error(name, f"input must be 5-dimensional: {_dims_text(x.shape)}")
    if filters.ndim != 5:
        raise op_error(name, f"filter must be 5-dimensional: {_dims_text(filters.shape)}")
    if not channels_last:
        x = _to_channels_last(x)
    kd, kh, kw, channels, out_depth = filters.shape
    if x.shape[4] != channels:
        raise op_error(name, f"input and filter must have the same depth: {x.shape[4]} vs "
                             f"{channels}")
    (od,), ((before, after),) = _geometry(name, x.shape[1:2], (kd,), strides[:1],
                                          dilations[:1], padding)
    if before or after:
        x = manip_ops.pad(x, [[0, 0], [before, after], [0, 0], [0, 0], [0, 0]])
    # Tap i of every output depth reads input depth i*rate + d*stride: the taps' slices,
    # stacked tap-major with the channels, meet the filters reshaped the same way.
    stop = strides[0] * (od - 1) + 1
    taps = [x[:, i * dilations[0]:i * dilations[0] + stop:strides[0]] for i in range(kd)]
    rows = reshape(stack(taps, axis=-2), (-1,) + tuple(x.shape[2:4]) + (kd * channels,))
    flat_filters = reshape(transpose(filters, [1, 2, 0, 3, 4]), (kh, kw, kd * channels,
                                                                 out_depth))
    y = _conv2d(rows, flat_filters, strides=strides[1:], padding=padding,
                dilations=dilations[1:])
    y = reshape(y, (x.shape[0], od) + tuple(y.shape[1:]))
    return y if channels_last else _to_channels_first(y)


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME",
                     data_format="NDHWC", dilations=None, name=None):
    """The transpose of `conv3d` (its gradient with respect to its input): `filters` is
    [depth, height, width, output_channels, in_channels] and `output_shape` the shape of
    the result (5 values, or its 3 spatial values).

    As `conv3d` does, the depth taps ride along as channels of one 2-D transposed
    convolution; each tap's slab is then spread along depth with the stride and summed.

    >>> y = tf.nn.conv3d_transpose(tf.ones((1, 2, 2, 2, 1)), tf.ones((2, 2, 2, 1, 1)),
    ...                            [1, 3, 3, 3, 1], strides=1, padding="VALID")
    >>> y.numpy()[0, :, 0, 0, 0].tolist()
    [1.0, 2.0, 1.0]
    """
    name = "Conv3DBackpropInputV2"
    channels_last = _check_data_format(data_format, ("NDHWC", "NCDHW"), name)
    strides, padding, dilations = _conv_attrs(strides, padding, dilations, channels_last,
                                              name, n=3, explicit=False)
    dy = _as_tensor(input)
    filters = _as_tensor(filters, like=dy)
    if dy.ndim != 5:
        raise op_error(name, f"input must be 5-dimensional: {_dims_text(dy.shape)}")
    if filters.ndim != 5:
        raise op_error(name, f"filter must be 5-dimensional: {_dims_text(filters.shape)}")
    sizes = _int_list(output_shape)
    if len(sizes) == 3:
        sizes = ([dy.shape[0]] + sizes + [filters.shape[3]] if channels_last
                 else [dy.shape[0], filters.shape[3]] + sizes)
    elif len(sizes) != 5:
        raise op_error(name, f"input_sizes must have 5 or 3 elements, got: {len(sizes)}")
    if not channels_last:
        dy = _to_channels_last(dy)
        sizes = [sizes[0]] + sizes[2:] + [sizes[1]]
    batch, depth, height, width, out_channels = sizes
    kd, kh, kw, filter_out, in_channels = filters.shape
    if filter_out != out_channels or dy.shape[4] != in_channels:
        raise op_error(name, f"Input and filter channels do not match: filter "
                             f"{_dims_text(filters.shape)}, input {_dims_text(dy.shape)}, "
                             f"output_shape {sizes}")
    (expected,), ((before, after),) = _geometry(name, (depth,), (kd,), strides[:1],
                                                dilations[:1], padding)
    if expected != dy.shape[1]:
        raise op_error(name, f"Conv3DBackpropInputOpV2: input depth {dy.shape[1]} does not "
                             f"match the computed depth {expected} of output_shape {sizes}")
    # The 2-D part: every depth tap at once, as kd * out_channels output channels.
    flat_filters = reshape(transpose(filters, [1, 2, 0, 3, 4]),
                           (kh, kw, kd * out_channels, in_channels))
    rows = reshape(dy, (-1,) + tuple(dy.shape[2:]))
    slabs = _conv2d_backprop_input(
        flat_filters, rows, input_sizes=(rows.shape[0], height, width, kd * out_channels),
        strides=strides[1:], padding=padding, dilations=dilations[1:])
    slabs = reshape(slabs, (batch, dy.shape[1], height, width, kd, out_channels))
    # The depth part: tap i of input depth d lands at padded depth i * rate + d * stride.
    stride, rate = strides[0], dilations[0]
    spread = (dy.shape[1] - 1) * stride + 1
    padded_depth = depth + before + after
    spaced = manip_ops.pad(expand_dims(slabs, 2), [[0, 0]] * 2 + [[0, stride - 1]]
                           + [[0, 0]] * 4)
    spaced = reshape(spaced, (batch, -1, height, width, kd, out_channels))[:, :spread]
    y = None
    for i in range(kd):
        tap = manip_ops.pad(spaced[:, :, :, :, i], [
            [0, 0], [i * rate, padded_depth - i * rate - spread], [0, 0], [0, 0], [0, 0]])
        y = tap if y is None else y + tap
    y = y[:, before:before + depth]
    return y if channels_last else _to_channels_first(y)


def convolution(input, filters, strides=None, padding="VALID", data_format=None,
                dilations=None, name=None):
    """A 1-D, 2-D or 3-D convolution, by the rank of `filters` ([*spatial, in, out]).

    `strides` and `dilations` are an int or one value per spatial dimension; `data_format`
    is channels last ("NWC", "NHWC", "NDHWC", the default) or first ("NCW", ...).

    >>> tf.nn.convolution(tf.ones((1, 5, 5, 1)), tf.ones((3, 3, 1, 2)), strides=2).shape.as_list()
    [1, 2, 2, 2]
    """
    filters = _as_tensor(filters)
    spatial = filters.ndim - 2
    if spatial not in (1, 2, 3):
        raise ValueError(f"`num_spatial_dims` must be 1, 2, or 3. Received: "
                         f"num_spatial_dims={spatial}.")
    strides = 1 if strides is None else strides
    dilations = 1 if dilations is None else dilations
    if spatial == 1:
        return conv1d(input, filters, strides, padding, data_format or "NWC", dilations)
    if spatial == 2:
        return conv2d(input, filters, strides, padding, data_format or "NHWC", dilations)
    data_format = data_format or "NDHWC"
    strides, dilations = (_spatial_values(v, 3, key, data_format.endswith("C"), "", "Conv3D")
                          for v, key in ((strides, "strides"), (dilations, "dilations")))
    full = ((lambda v: [1, *v, 1]) if data_format.endswith("C") else (lambda v: [1, 1, *v]))
    return conv3d(input, filters, full(strides), padding, data_format, full(dilations))
