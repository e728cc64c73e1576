"""Pooling (`tf.nn.max_pool2d`, `tf.nn.avg_pool`, ...), on the window geometry and the
argument checks of the convolutions (conv_ops).

Pooling works on any number of spatial dimensions (channels last): a loop over the
kernel's taps, each step one NumPy call on a strided slice of the whole batch. The max-pool
gradient finds each window's first maximum by comparing the taps with the pooled output.
"""

import numpy as np

from eagerflow.framework.op import op_error, primitive
from eagerflow.ops.conv_ops import (
    _as_tensor, _check_data_format, _check_floating, _crop, _dims_text, _geometry, _pad,
    _padding_spec, _spatial_values, _tap_slices, _to_channels_first, _to_channels_last)


# --- pooling kernels on ndarrays (channels last, any number of spatial dimensions) ----------

def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _combine_taps(combine, xp, ksize, strides, outputs):
    """The padded input's slices read by each kernel tap, folded with the in-place binary
    ufunc `combine` (`np.maximum`, `np.add`) into a copy of the first."""
    y = None
    for index in _tap_slices(ksize, strides, (1,) * len(ksize), outputs):
        if y is None:
            y = xp[index].copy()
        else:
            combine(y, xp[index], out=y)
    return y


def _max_pool_forward(x, ksize, strides, padding):
    spatial = len(ksize)
    outputs, pads = _geometry("MaxPool", x.shape[1:-1], ksize, strides, (1,) * spatial,
                              padding)
    return _combine_taps(np.maximum, _pad(x, pads, _lowest(x.dtype)), ksize, strides, outputs)


def _first_max_taps(x, y, ksize, strides, padding):
    """The pads and, for each kernel tap (row-major), the slice of the padded input it
    reads for all outputs and a mask of the outputs whose first maximum it holds: it equals
    the maximum `y` and no earlier tap did (ties go to the first, as in TensorFlow)."""
    spatial = len(ksize)
    outputs, pads = _geometry("MaxPool", x.shape[1:-1], ksize, strides, (1,) * spatial,
                              padding)
    xp = _pad(x, pads, _lowest(x.dtype))
    free = np.ones(y.shape, bool)
    taps = []
    for index in _tap_slices(ksize, strides, (1,) * spatial, outputs):
        hit = np.equal(xp[index], y)
        hit &= free
        free ^= hit
        taps.append((index, hit))
    return pads, xp.shape, taps


def _window_view(array, outputs, ksize):
    """`array` (batch, spatial..., channels) cropped to whole windows and seen as (batch,
    out_1, k_1, out_2, k_2, ..., channels), without a copy where `array` allows."""
    crop = (slice(None),) + tuple(slice(0, o * k) for o, k in zip(outputs, ksize))
    split = (array.shape[0],) + sum(((o, k) for o, k in zip(outputs, ksize)), ()) + (
        array.shape[-1],)
    return array[crop].reshape(split)


def _tiled_max_pool_grad(x, y, dy, ksize):
    """The max-pool gradient when the windows tile the input without padding (strides ==
    ksize): one comparison of the input's windows with the maxima, ties resolved to each
    window's first maximum tap by tap, and one product that writes every window."""
    outputs = y.shape[1:-1]
    spread = (slice(None),) + (slice(None), None) * len(ksize)  # y and dy over the taps
    hits = np.equal(_window_view(x, outputs, ksize), y[spread])
    taps = [(slice(None),) + sum(((slice(None), t) for t in tap), ()) for tap in
            np.ndindex(*ksize)]
    seen = hits[taps[0]].copy()
    for k, tap in enumerate(taps[1:], 2):
        hit = hits[tap]
        np.greater(hit, seen, out=hit)  # a maximum that no earlier tap of its window held
        if k < len(taps):
            seen |= hit
    dx = np.empty(x.shape, dy.dtype)
    for axis, (o, k) in enumerate(zip(outputs, ksize), 1):
        if o * k < x.shape[axis]:  # inputs past the last whole window get no gradient
            dx[(slice(None),) * axis + (slice(o * k, None),)] = 0
    windows = dx[(slice(None),) + tuple(slice(0, o * k) for o, k in zip(outputs, ksize))]
    windows = windows.view()
    windows.shape = hits.shape  # a view: the product below writes into dx
    np.multiply(hits, dy[spread], out=windows)
    return dx


def _max_pool_grad_forward(x, y, dy, ksize, strides, padding):
    _, pads = _geometry("MaxPool", x.shape[1:-1], ksize, strides, (1,) * len(ksize), padding)
    if tuple(strides) == tuple(ksize) and not any(a or b for a, b in pads):
        return _tiled_max_pool_grad(x, y, dy, tuple(ksize))
    pads, padded, taps = _first_max_taps(x, y, ksize, strides, padding)
    # Windows that do not overlap each write their own slices; overlapping ones add up.
    # Windows that tile the padded input exactly leave nothing to zero first.
    overlap = any(s < k for s, k in zip(strides, ksize))
    tiled = all(s == k and o * k == n for s, k, o, n in zip(
        strides, ksize, y.shape[1:-1], padded[1:-1]))
    dxp = (np.empty if tiled else np.zeros)(padded, dy.dtype)
    for index, hit in taps:
        if overlap:
            dxp[index] += hit * dy
        else:
            np.multiply(hit, dy, out=dxp[index])
    return _crop(dxp, pads, x.shape[1:-1])


def _max_pool_grad_grad_forward(x, y, ddx, ksize, strides, padding):
    pads, _, taps = _first_max_taps(x, y, ksize, strides, padding)
    ddxp = _pad(ddx, pads)
    out = np.zeros(y.shape, ddx.dtype)
    for index, hit in taps:
        np.copyto(out, ddxp[index], where=hit)
    return out


def _window_counts(sizes, ksize, strides, pads, outputs, dtype):
    """How many real (unpadded) inputs each output window covers, broadcastable to outputs."""
    counts = np.ones((), dtype)
    for d, (size, k, s, (before, _), out) in enumerate(
            zip(sizes, ksize, strides, pads, outputs)):
        start = np.arange(out) * s - before
        per_axis = (np.minimum(start + k, size) - np.maximum(start, 0)).astype(dtype)
        shape = [1] * (len(sizes) + 2)
        shape[d + 1] = out
        counts = counts * per_axis.reshape(shape)
    return counts


def _avg_pool_forward(x, ksize, strides, padding):
    spatial = len(ksize)
    sizes = x.shape[1:-1]
    outputs, pads = _geometry("AvgPool", sizes, ksize, strides, (1,) * spatial, padding)
    y = _combine_taps(np.add, _pad(x, pads), ksize, strides, outputs)
    y /= _window_counts(sizes, ksize, strides, pads, outputs, x.dtype)
    return y


def _avg_pool_grad_forward(dy, input_shape, ksize, strides, padding):
    spatial = len(ksize)
    sizes = tuple(input_shape[1:-1])
    outputs, pads = _geometry("AvgPoolGrad", sizes, ksize, strides, (1,) * spatial, padding)
    share = dy / _window_counts(sizes, ksize, strides, pads, outputs, dy.dtype)
    padded = (input_shape[0],) + tuple(n + a + b for n, (a, b) in zip(sizes, pads)) + (
        input_shape[-1],)
    dxp = np.zeros(padded, dy.dtype)
    for index in _tap_slices(ksize, strides, (1,) * spatial, outputs):
        dxp[index] += share
    return _crop(dxp, pads, sizes)


# --- pooling primitives ----------------------------------------------------------------------

@primitive("MaxPool", dtypes="real")
def _max_pool(input, ksize=(), strides=(), padding="VALID"):
    return _max_pool_forward(input, ksize, strides, padding)


@_max_pool.gradient
def _max_pool_grad(op, dy):
    return [_max_pool_backprop(op.inputs[0], op.outputs[0], dy, **op.attrs)]


@primitive("MaxPoolGrad", dtypes="real")
def _max_pool_backprop(orig_input, orig_output, grad, ksize=(), strides=(), padding="VALID"):
    return _max_pool_grad_forward(orig_input, orig_output, grad, ksize, strides, padding)


@_max_pool_backprop.gradient
def _max_pool_backprop_grad(op, ddx):
    # The routing is piecewise constant in the input: only the upstream gradient gets one.
    return [None, None, _max_pool_backprop_backprop(*op.inputs[:2], ddx, **op.attrs)]


@primitive("MaxPoolGradGrad", dtypes="real")
def _max_pool_backprop_backprop(orig_input, orig_output, grad, ksize=(), strides=(),
                                padding="VALID"):
    return _max_pool_grad_grad_forward(orig_input, orig_output, grad, ksize, strides, padding)


@_max_pool_backprop_backprop.gradient
def _max_pool_backprop_backprop_grad(op, ddy):
    return [None, None, _max_pool_backprop(*op.inputs[:2], ddy, **op.attrs)]


@primitive("AvgPool", dtypes="floating")
def _avg_pool(value, ksize=(), strides=(), padding="VALID"):
    return _avg_pool_forward(value, ksize, strides, padding)


@_avg_pool.gradient
def _avg_pool_grad(op, dy):
    return [_avg_pool_backprop(dy, input_shape=tuple(op.inputs[0].shape), **op.attrs)]


@primitive("AvgPoolGrad", dtypes="floating")
def _avg_pool_backprop(grad, input_shape=(), ksize=(), strides=(), padding="VALID"):
    return _avg_pool_grad_forward(grad, input_shape, ksize, strides, padding)


@_avg_pool_backprop.gradient
def _avg_pool_backprop_grad(op, ddx):
    attrs = dict(op.attrs)
    del attrs["input_shape"]
    return [_avg_pool(ddx, **attrs)]


# --- pooling: the public functions --------------------------------------------------------

_POOL_FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


def _pool(kind, input, ksize, strides, padding, data_format, spatial):
    """Pooling over `spatial` dimensions; `data_format` None means channels last."""
    op_name = kind + ("3D" if spatial == 3 else "")
    last, first = _POOL_FORMATS[spatial]
    if spatial == 1 and data_format in ("NHWC", "NCHW"):  # tf.nn.max_pool1d accepts these
        data_format = {"NHWC": "NWC", "NCHW": "NCW"}[data_format]
    channels_last = _check_data_format(data_format, (last, first, None), op_name)
    ksize = _spatial_values(ksize, spatial, "ksize", channels_last,
                            "Pooling is not yet supported on the batch or depth dimension.",
                            op_name)
    strides = _spatial_values(strides, spatial, "strides", channels_last,
                              "Pooling strides are not supported on the batch or depth "
                              "dimension.", op_name)
    if any(k <= 0 for k in ksize):
        raise op_error(op_name, f"Sliding window ksize must be positive. The specified or "
                                f"inferred ksize is: {','.join(map(str, ksize))}")
    if any(s <= 0 for s in strides):
        raise op_error(op_name, f"Stride must be > 0, but got {min(strides)}")
    padding = _padding_spec(padding, spatial, channels_last, op_name,
                            explicit=kind == "MaxPool")
    if not isinstance(padding, str):
        for k, (before, after) in zip(ksize, padding):
            for side, pad in (("Left", before), ("Right", after)):
                if pad >= k:
                    raise op_error(op_name, f"{side} padding {pad} needs to be smaller than "
                                            f"the window size {k}")
    x = _as_tensor(input)
    if x.ndim != spatial + 2:
        raise op_error(op_name, f"input must be {spatial + 2}-dimensional: "
                                f"{_dims_text(x.shape)}")
    if kind == "AvgPool":
        _check_floating(x, op_name)
    pool = _max_pool if kind == "MaxPool" else _avg_pool
    if not channels_last:
        x = _to_channels_last(x)
    y = pool(x, ksize=ksize, strides=strides, padding=padding)
    return y if channels_last else _to_channels_first(y)


def _generic_pool(kind, input, ksize, strides, padding, data_format):
    rank = len(_as_tensor(input).shape)
    if rank not in (3, 4, 5):
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: "
                         f"input.shape={tuple(_as_tensor(input).shape)} of rank {rank}.")
    return _pool(kind, input, ksize, strides, padding, data_format, rank - 2)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """Max pooling over the height and width of `input` [batch, height, width, channels].

    `ksize` and `strides` are an int or a list of 1, 2 or 4 ints; `padding` is "SAME",
    "VALID" or a list of 4 [before, after] pairs (padding never wins the maximum).

    >>> x = tf.reshape(tf.range(16.0), (1, 4, 4, 1))
    >>> tf.nn.max_pool2d(x, 2, 2, "VALID").numpy().ravel().tolist()
    [5.0, 7.0, 13.0, 15.0]
    """
    return _pool("MaxPool", input, ksize, strides, padding, data_format, 2)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """Average pooling over the height and width of `input` [batch, height, width, channels].

    With "SAME" padding each window averages only the inputs it covers, as TensorFlow does.

    >>> x = tf.reshape(tf.range(16.0), (1, 4, 4, 1))
    >>> tf.nn.avg_pool2d(x, 3, 2, "SAME").numpy().ravel().tolist()
    [5.0, 6.5, 11.0, 12.5]
    """
    return _pool("AvgPool", input, ksize, strides, padding, data_format, 2)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """Max pooling over the width of `input` [batch, width, channels].

    >>> tf.nn.max_pool1d(tf.reshape(tf.range(6.0), (1, 6, 1)), 2, 2, "VALID").numpy().ravel().tolist()
    [1.0, 3.0, 5.0]
    """
    return _pool("MaxPool", input, ksize, strides, padding, data_format, 1)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """Average pooling over the width of `input` [batch, width, channels].

    >>> tf.nn.avg_pool1d(tf.reshape(tf.range(6.0), (1, 6, 1)), 2, 2, "VALID").numpy().ravel().tolist()
    [0.5, 2.5, 4.5]
    """
    return _pool("AvgPool", input, ksize, strides, padding, data_format, 1)


def max_pool(input, ksize, strides, padding, data_format=None, name=None):
    """Max pooling over the 1, 2 or 3 spatial dimensions of a rank 3, 4 or 5 `input`.

    >>> tf.nn.max_pool(tf.reshape(tf.range(8.0), (1, 2, 2, 2, 1)), 2, 2, "VALID").numpy().ravel().tolist()
    [7.0]
    """
    return _generic_pool("MaxPool", input, ksize, strides, padding, data_format)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):
    """Average pooling over the 1, 2 or 3 spatial dimensions of a rank 3, 4 or 5 `input`.

    >>> tf.nn.avg_pool(tf.reshape(tf.range(8.0), (1, 2, 2, 2, 1)), 2, 2, "VALID").numpy().ravel().tolist()
    [3.5]
    """
    return _generic_pool("AvgPool", input, ksize, strides, padding, data_format)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """Max pooling over the depth, height and width of a rank-5 `input`.

    >>> tf.nn.max_pool3d(tf.reshape(tf.range(8.0), (1, 2, 2, 2, 1)), 2, 2, "VALID").numpy().ravel().tolist()
    [7.0]
    """
    return _pool("MaxPool", input, ksize, strides, padding, data_format, 3)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """Average pooling over the depth, height and width of a rank-5 `input`.

    >>> tf.nn.avg_pool3d(tf.reshape(tf.range(8.0), (1, 2, 2, 2, 1)), 2, 2, "VALID").numpy().ravel().tolist()
    [3.5]
    """
    return _pool("AvgPool", input, ksize, strides, padding, data_format, 3)
