"""`keras.ops.nn`: activations, convolution and pooling, losses and normalization.

The activations are `keras.activations`' own functions; convolution and pooling call the
`tf.nn` ops, moving channels last first for `data_format="channels_first"`.

>>> from eagerflow.keras import ops
>>> ops.nn.relu(tf.constant([-1.0, 2.0]))
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0., 2.], dtype=float32)>
"""

import inspect
import math

import eagerflow as tf
from eagerflow.keras import activations, backend, losses
from eagerflow.keras.layers.convolutional.arguments import (
    channels_first, channels_last, standardize_data_format, standardize_padding,
    transpose_output_length)
from eagerflow.keras.ops.dispatch import convert, keras_op, promote, to_float


# --- activations -------------------------------------------------------------------------

_REQUIRED = inspect.Parameter.empty


def _activation(name, function, **parameters):
    """A keras.ops.nn activation: `function` (from keras.activations) on float `x`, with
    the further `parameters` (name=default, `_REQUIRED` for none) Keras's op takes."""
    signature = inspect.Signature(
        [inspect.Parameter("x", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(key, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=default)
           for key, default in parameters.items()])

    # Keras's defaults, which may differ from the activation's.
    defaults = {key: default for key, default in parameters.items() if default is not _REQUIRED}

    def op(x, *args, **kwargs):
        arguments = defaults
        if args or kwargs:
            bound = signature.bind(x, *args, **kwargs)
            bound.apply_defaults()
            arguments = {key: bound.arguments[key] for key in parameters}
        return function(to_float(x), **arguments)
    op.__signature__ = signature
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"The `{name}` activation."
    return keras_op("nn")(op)


relu = _activation("relu", activations.relu)
relu6 = _activation("relu6", activations.relu6)
sigmoid = _activation("sigmoid", activations.sigmoid)
sparse_sigmoid = _activation("sparse_sigmoid", activations.sparse_sigmoid)
softplus = _activation("softplus", activations.softplus)
softsign = _activation("softsign", activations.softsign)
silu = _activation("silu", activations.silu)
swish = _activation("swish", activations.silu)
log_sigmoid = _activation("log_sigmoid", activations.log_sigmoid)
hard_sigmoid = _activation("hard_sigmoid", activations.hard_sigmoid)
hard_silu = _activation("hard_silu", activations.hard_silu)
hard_swish = _activation("hard_swish", activations.hard_silu)
hard_tanh = _activation("hard_tanh", activations.hard_tanh)
selu = _activation("selu", activations.selu)
sparse_plus = _activation("sparse_plus", activations.sparse_plus)
tanh_shrink = _activation("tanh_shrink", activations.tanh_shrink)
leaky_relu = _activation("leaky_relu", activations.leaky_relu, negative_slope=0.2)
elu = _activation("elu", activations.elu, alpha=1.0)
celu = _activation("celu", activations.celu, alpha=1.0)
gelu = _activation("gelu", activations.gelu, approximate=True)
glu = _activation("glu", activations.glu, axis=-1)
squareplus = _activation("squareplus", activations.squareplus, b=4)
soft_shrink = _activation("soft_shrink", activations.soft_shrink, threshold=0.5)
hard_shrink = _activation("hard_shrink", activations.hard_shrink, threshold=0.5)
threshold = _activation("threshold", activations.threshold, threshold=_REQUIRED,
                        default_value=_REQUIRED)


def _along_axis(function, x, axis):
    """`function` (an activation taking `axis`) of float `x` along `axis`, or over all the
    elements when `axis` is None."""
    x = to_float(x)
    if axis is None:
        return tf.reshape(function(tf.reshape(x, (-1,)), axis=-1), x.shape)
    return function(x, axis=axis)


@keras_op("nn")
def softmax(x, axis=-1):
    """Softmax along `axis` (`None`: over all the elements)."""
    return _along_axis(activations.softmax, x, axis)


@keras_op("nn")
def log_softmax(x, axis=-1):
    return _along_axis(activations.log_softmax, x, axis)


@keras_op("nn")
def sparsemax(x, axis=-1):
    """Sparsemax (Martins & Astudillo 2016): the Euclidean projection of `x` onto the
    probability simplex along `axis`."""
    x = to_float(x)
    x = tf.transpose(x, _axis_last(len(x.shape), axis)) if axis not in (-1, len(x.shape) - 1) \
        else x
    sorted_x = -tf.sort(-x, axis=-1)
    cumulative = tf.cumsum(sorted_x, axis=-1)
    k = tf.cast(tf.range(1, x.shape[-1] + 1), x.dtype)
    support = tf.cast(1.0 + k * sorted_x > cumulative, x.dtype)
    count = tf.reduce_sum(support, -1, keepdims=True)
    tau = (tf.reduce_sum(support * sorted_x, -1, keepdims=True) - 1.0) / count
    result = tf.maximum(x - tau, 0.0)
    if axis not in (-1, len(x.shape) - 1):
        order = _axis_last(len(x.shape), axis)
        result = tf.transpose(result, [order.index(a) for a in range(len(order))])
    return result


def _axis_last(rank, axis):
    axis %= rank
    return [a for a in range(rank) if a != axis] + [axis]


@keras_op("nn", operands=2)
def polar(abs_, angle):
    abs_, angle = promote(to_float(abs_), to_float(angle))
    return tf.complex(abs_ * tf.cos(angle), abs_ * tf.sin(angle))


# --- one-hot -------------------------------------------------------------------------------

@keras_op("nn", resolve={"dtype": backend.standardize_dtype})
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot vectors of `num_classes` for integer `x`; negative indices give zeros."""
    if sparse:
        raise ValueError("`sparse=True` is not supported: eagerflow has no sparse tensors.")
    dtype = backend.standardize_dtype(dtype)
    return tf.one_hot(tf.cast(convert(x), tf.int32), num_classes, axis=axis, dtype=dtype)


@keras_op("nn", resolve={"dtype": backend.standardize_dtype})
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot vectors: 1 at every class `inputs` lists along its last axis."""
    num_classes = kwargs.pop("num_tokens", num_classes)
    if num_classes is None:
        raise ValueError("Argument `num_classes` must be specified.")
    inputs = convert(inputs)
    if len(inputs.shape) == 0:
        raise ValueError(f"The rank of `inputs` must be at least 1. Received: "
                         f"inputs.shape={tuple(inputs.shape)}")
    dtype = backend.standardize_dtype(dtype)
    encoded = tf.reduce_max(one_hot(inputs, num_classes, axis=-1, dtype=dtype), axis=-2)
    if axis not in (-1, len(encoded.shape) - 1):
        encoded = tf.transpose(encoded, [a for a in range(len(encoded.shape) - 1)]
                               [:axis] + [len(encoded.shape) - 1]
                               + list(range(len(encoded.shape) - 1))[axis:])
    return encoded


# --- losses --------------------------------------------------------------------------------

@keras_op("nn", operands=2)
def binary_crossentropy(target, output, from_logits=False):
    target, output = promote(to_float(target), to_float(output))
    return losses._binary_crossentropy(target, output, from_logits)


@keras_op("nn", operands=2)
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = promote(to_float(target), to_float(output))
    return losses._categorical_crossentropy(target, output, from_logits, axis)


@keras_op("nn", operands=2)
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return losses._sparse_categorical_crossentropy(convert(target), to_float(output),
                                                   from_logits, axis)


@keras_op("nn", operands=4)
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """The connectionist temporal classification loss of each batch element: `output`
    (batch, time, classes) holds logits, `mask_index` is the blank class."""
    output = to_float(output)
    target = tf.cast(convert(target), tf.int32)
    target_length = tf.cast(convert(target_length), tf.int32)
    output_length = tf.cast(convert(output_length), tf.int32)
    log_probs = activations.log_softmax(output, axis=-1)
    batch, steps, _ = output.shape
    labels = target.shape[1]
    # The extended label sequence: blank, l1, blank, l2, ..., blank (2L+1 states).
    blanks = tf.fill((batch, labels + 1), mask_index)
    extended = tf.reshape(tf.stack([blanks[:, :-1], target], -1), (batch, 2 * labels))
    extended = tf.concat([extended, blanks[:, -1:]], 1)
    states = 2 * labels + 1
    # state s may come from s-2 when it is a label different from the one two back.
    skip = tf.concat([tf.zeros((batch, 2), tf.bool), tf.logical_and(
        tf.not_equal(extended[:, 2:], mask_index),
        tf.not_equal(extended[:, 2:], extended[:, :-2]))], 1)
    emissions = tf.gather(log_probs, extended, axis=2, batch_dims=1)  # (batch, time, states)
    very_negative = tf.constant(-1e30, output.dtype)
    alpha = tf.concat([emissions[:, 0, :2], tf.fill((batch, states - 2), very_negative)], 1) \
        if states > 1 else emissions[:, 0, :1]
    valid_states = tf.range(states)[None, :] < 2 * target_length[:, None] + 1
    for t in range(1, steps):
        shifted_once = tf.concat([tf.fill((batch, 1), very_negative), alpha[:, :-1]], 1)
        shifted_twice = tf.concat([tf.fill((batch, 2), very_negative), alpha[:, :-2]], 1)
        shifted_twice = tf.where(skip, shifted_twice, very_negative)
        stacked = tf.stack([alpha, shifted_once, shifted_twice], 0)
        updated = tf.reduce_logsumexp(stacked, 0) + emissions[:, t]
        active = (t < output_length)[:, None]
        alpha = tf.where(active, updated, alpha)
    alpha = tf.where(valid_states, alpha, very_negative)
    last = 2 * target_length
    final = tf.stack([tf.gather(alpha, last, axis=1, batch_dims=1),
                      tf.gather(alpha, tf.maximum(last - 1, 0), axis=1, batch_dims=1)], 0)
    final = tf.where(tf.stack([tf.ones_like(last, tf.bool), last > 0], 0), final,
                     very_negative)
    return -tf.reduce_logsumexp(final, 0)


@keras_op("nn", operands=3)
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio in dB: `20 log10(max_val) - 10 log10(mse)`."""
    x1, x2 = promote(to_float(x1), to_float(x2))
    if tuple(x1.shape) != tuple(x2.shape):
        raise ValueError(f"Input shapes {tuple(x1.shape)} and {tuple(x2.shape)} must match "
                         f"for PSNR calculation. ")
    mse = tf.reduce_mean(tf.square(x1 - x2))
    return (20.0 * tf.math.log(tf.cast(max_val, x1.dtype)) - 10.0 * tf.math.log(mse)) \
        / math.log(10.0)


# --- normalization -------------------------------------------------------------------------

@keras_op("nn")
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of `x` over `axes` (float16 computed in float32, as Keras does)."""
    x = to_float(x)
    low_precision = x.dtype == tf.float16
    if low_precision:
        x = tf.cast(x, tf.float32)
    mean, variance = tf.nn.moments(x, axes=list(axes), keepdims=keepdims)
    if low_precision:
        mean, variance = tf.cast(mean, tf.float16), tf.cast(variance, tf.float16)
    return mean, variance


@keras_op("nn", operands=6)
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = to_float(x)
    rank = len(x.shape)
    axis %= rank
    shape = [1] * rank
    shape[axis] = x.shape[axis]

    def along_axis(value):
        return None if value is None else tf.reshape(convert(value, x.dtype.name), shape)
    return tf.nn.batch_normalization(x, along_axis(mean), along_axis(variance),
                                     along_axis(offset), along_axis(scale), epsilon)


@keras_op("nn")
def normalize(x, axis=-1, order=2, epsilon=None):
    """`x` divided by its `order`-norm along `axis`."""
    x = to_float(x)
    if epsilon is None:
        epsilon = backend.epsilon()
    norm = tf.norm(x, ord=order, axis=axis, keepdims=True)
    return x / tf.maximum(norm, epsilon)


@keras_op("nn", operands=3)
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    x = to_float(x)
    epsilon = backend.epsilon() if epsilon is None else epsilon
    mean, variance = moments(x, [axis], keepdims=True)
    result = (x - mean) * tf.math.rsqrt(variance + epsilon)
    if gamma is not None:
        result = result * convert(gamma, x.dtype.name)
    if beta is not None:
        result = result + convert(beta, x.dtype.name)
    return result


@keras_op("nn", operands=2)
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    x = to_float(x)
    epsilon = backend.epsilon() if epsilon is None else epsilon
    result = x * tf.math.rsqrt(tf.reduce_mean(tf.square(x), axis=axis, keepdims=True)
                               + epsilon)
    return result if scale is None else result * convert(scale, x.dtype.name)


# --- convolution and pooling -----------------------------------------------------------------

def _tuple(value, n):
    return (value,) * n if isinstance(value, int) else tuple(value)


def _channels_last_inputs(inputs, data_format):
    inputs = to_float(inputs)
    data_format = standardize_data_format(data_format)
    return (channels_last(inputs) if data_format == "channels_first" else inputs), data_format


def _restore(outputs, data_format):
    return channels_first(outputs) if data_format == "channels_first" else outputs


@keras_op("nn", operands=2)
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1 to 3 spatial dimensions); the kernel is
    `spatial + (in_channels, out_channels)`."""
    inputs, data_format = _channels_last_inputs(inputs, data_format)
    kernel = convert(kernel, inputs.dtype.name)
    rank = len(inputs.shape) - 2
    padding = standardize_padding(padding).upper()
    outputs = tf.nn.convolution(inputs, kernel, strides=_tuple(strides, rank), padding=padding,
                                dilations=_tuple(dilation_rate, rank))
    return _restore(outputs, data_format)


@keras_op("nn", operands=2)
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise convolution (1-D or 2-D): kernel `spatial + (in_channels, multiplier)`."""
    inputs, data_format = _channels_last_inputs(inputs, data_format)
    kernel = convert(kernel, inputs.dtype.name)
    rank = len(inputs.shape) - 2
    if rank not in (1, 2):
        raise ValueError(f"`inputs` must be 3D or 4D for depthwise_conv. Received: "
                         f"inputs.shape={tuple(inputs.shape)}")
    strides, dilations = _tuple(strides, rank), _tuple(dilation_rate, rank)
    if rank == 1:
        inputs, kernel = tf.expand_dims(inputs, 1), tf.expand_dims(kernel, 0)
        strides, dilations = (1,) + strides, (1,) + dilations
    outputs = tf.nn.depthwise_conv2d(inputs, kernel, (1,) + strides + (1,),
                                     standardize_padding(padding).upper(), dilations=dilations)
    if rank == 1:
        outputs = tf.squeeze(outputs, [1])
    return _restore(outputs, data_format)


@keras_op("nn", operands=3)
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    data_format = standardize_data_format(data_format)
    outputs = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format,
                             dilation_rate)
    return conv(outputs, pointwise_kernel, 1, "valid", data_format)


@keras_op("nn", operands=2)
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution (1-D or 2-D); the kernel is
    `spatial + (out_channels, in_channels)`."""
    inputs, data_format = _channels_last_inputs(inputs, data_format)
    kernel = convert(kernel, inputs.dtype.name)
    rank = len(inputs.shape) - 2
    if rank not in (1, 2):
        raise NotImplementedError("conv_transpose supports 1-D and 2-D inputs in eagerflow "
                                  "(tf.nn.conv3d_transpose is not available).")
    padding = standardize_padding(padding)
    strides, dilations = _tuple(strides, rank), _tuple(dilation_rate, rank)
    extras = (None,) * rank if output_padding is None else _tuple(output_padding, rank)
    sizes = tuple(transpose_output_length(n, k, s, padding, e, d) for n, k, s, e, d in zip(
        inputs.shape[1:-1], kernel.shape[:rank], strides, extras, dilations))
    if rank == 1:
        inputs, kernel = tf.expand_dims(inputs, 1), tf.expand_dims(kernel, 0)
        sizes, strides, dilations = (1,) + sizes, (1,) + strides, (1,) + dilations
    output_shape = (inputs.shape[0],) + sizes + (kernel.shape[-2],)
    outputs = tf.nn.conv2d_transpose(inputs, kernel, output_shape, strides, padding.upper(),
                                     dilations=dilations)
    if rank == 1:
        outputs = tf.squeeze(outputs, [1])
    return _restore(outputs, data_format)


def _pool(pool, inputs, pool_size, strides, padding, data_format):
    inputs, data_format = _channels_last_inputs(inputs, data_format)
    rank = len(inputs.shape) - 2
    pool_size = _tuple(pool_size, rank)
    strides = pool_size if strides is None else _tuple(strides, rank)
    outputs = pool(inputs, pool_size, strides, standardize_padding(padding).upper())
    return _restore(outputs, data_format)


@keras_op("nn")
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool(tf.nn.max_pool, inputs, pool_size, strides, padding, data_format)


@keras_op("nn")
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool(tf.nn.avg_pool, inputs, pool_size, strides, padding, data_format)


def _adaptive_pool(reduce, inputs, output_size, data_format):
    """Pools each of `output_size` bins per spatial axis, bins as PyTorch's adaptive
    pooling cuts them: [floor(i*n/k), ceil((i+1)*n/k))."""
    inputs, data_format = _channels_last_inputs(inputs, data_format)
    rank = len(inputs.shape) - 2
    output_size = _tuple(output_size, rank)
    for axis, bins in enumerate(output_size, start=1):
        n = inputs.shape[axis]
        pieces = [reduce(inputs[(slice(None),) * axis + (slice(
            (i * n) // bins, -(-((i + 1) * n) // bins)),)], axis=axis, keepdims=True)
            for i in range(bins)]
        inputs = tf.concat(pieces, axis)
    return _restore(inputs, data_format)


@keras_op("nn")
def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(tf.reduce_mean, inputs, output_size, data_format)


@keras_op("nn")
def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(tf.reduce_max, inputs, output_size, data_format)


@keras_op("nn")
def depth_to_space(x, block_size, data_format="channels_last"):
    x = convert(x)
    if data_format == "channels_first":
        x = channels_last(x)
    n, h, w, c = x.shape
    b = block_size
    x = tf.reshape(x, (n, h, w, b, b, c // (b * b)))
    x = tf.reshape(tf.transpose(x, (0, 1, 3, 2, 4, 5)), (n, h * b, w * b, c // (b * b)))
    return channels_first(x) if data_format == "channels_first" else x


@keras_op("nn")
def space_to_depth(x, block_size, data_format="channels_last"):
    x = convert(x)
    if data_format == "channels_first":
        x = channels_last(x)
    n, h, w, c = x.shape
    b = block_size
    x = tf.reshape(x, (n, h // b, b, w // b, b, c))
    x = tf.reshape(tf.transpose(x, (0, 1, 3, 2, 4, 5)), (n, h // b, w // b, b * b * c))
    return channels_first(x) if data_format == "channels_first" else x


def _pairs(value):
    return (value, value) if isinstance(value, int) else tuple(value)


@keras_op("nn")
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks of a (N, C, H, W) batch as columns (N, C*kh*kw, L), as
    PyTorch's `unfold` gives them."""
    x = convert(x)
    kh, kw = _pairs(kernel_size)
    dh, dw = _pairs(dilation)
    ph, pw = _pairs(padding)
    sh, sw = _pairs(stride)
    n, c = x.shape[:2]
    x = tf.pad(x, [[0, 0], [0, 0], [ph, ph], [pw, pw]])
    height, width = x.shape[2:]
    out_h = (height - dh * (kh - 1) - 1) // sh + 1
    out_w = (width - dw * (kw - 1) - 1) // sw + 1
    rows = (tf.range(kh) * dh)[:, None] + (tf.range(out_h) * sh)[None, :]  # (kh, out_h)
    cols = (tf.range(kw) * dw)[:, None] + (tf.range(out_w) * sw)[None, :]  # (kw, out_w)
    patches = tf.gather(x, tf.reshape(rows, (-1,)), axis=2)  # (n, c, kh*out_h, W)
    patches = tf.gather(patches, tf.reshape(cols, (-1,)), axis=3)  # (n, c, kh*oh, kw*ow)
    patches = tf.reshape(patches, (n, c, kh, out_h, kw, out_w))
    patches = tf.transpose(patches, (0, 1, 2, 4, 3, 5))
    return tf.reshape(patches, (n, c * kh * kw, out_h * out_w))


@keras_op("nn")
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The adjoint of `unfold`: columns (N, C*kh*kw, L) summed back into (N, C, H, W)."""
    x = convert(x)
    kh, kw = _pairs(kernel_size)
    dh, dw = _pairs(dilation)
    ph, pw = _pairs(padding)
    sh, sw = _pairs(stride)
    height, width = _pairs(output_size)
    n = x.shape[0]
    c = x.shape[1] // (kh * kw)
    padded_h, padded_w = height + 2 * ph, width + 2 * pw
    out_h = (padded_h - dh * (kh - 1) - 1) // sh + 1
    out_w = (padded_w - dw * (kw - 1) - 1) // sw + 1
    rows = (tf.range(kh) * dh)[:, None, None, None] + (tf.range(out_h) * sh)[None, None, :, None]
    cols = (tf.range(kw) * dw)[None, :, None, None] + (tf.range(out_w) * sw)[None, None, None, :]
    flat_index = tf.reshape(rows * padded_w + cols, (-1,))  # (kh*kw*out_h*out_w,)
    values = tf.reshape(x, (n, c, -1))
    values = tf.transpose(values, (2, 0, 1))  # (positions, n, c)
    summed = tf.math.unsorted_segment_sum(values, flat_index, padded_h * padded_w)
    summed = tf.reshape(tf.transpose(summed, (1, 2, 0)), (n, c, padded_h, padded_w))
    return summed[:, :, ph:ph + height, pw:pw + width]


# --- attention -----------------------------------------------------------------------------

@keras_op("nn", operands=5)
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None,
                          is_causal=False, flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention on (batch, length, heads, head_dim) tensors."""
    if flash_attention:
        raise ValueError("Flash attention is not supported by eagerflow (a CPU backend).")
    query, key, value = promote(to_float(query), key, value)
    if len(query.shape) != 4:
        raise ValueError(f"`dot_product_attention` only supports 4D inputs. Received: "
                         f"query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}, "
                         f"value.shape={tuple(value.shape)}.")
    head_dim = query.shape[-1]
    scale = 1.0 / math.sqrt(head_dim) if scale is None else scale
    logits = tf.einsum("btnh,bsnh->bnts", query, key) * tf.cast(scale, query.dtype)
    if attn_logits_soft_cap is not None:
        logits = tf.tanh(logits / attn_logits_soft_cap) * attn_logits_soft_cap
    if bias is not None:
        logits = logits + convert(bias, query.dtype.name)
    keep = None
    if mask is not None:
        keep = tf.cast(convert(mask), tf.bool)
    if is_causal:
        t, s = logits.shape[-2], logits.shape[-1]
        causal = tf.range(t)[:, None] >= tf.range(s)[None, :]
        keep = causal if keep is None else tf.logical_and(keep, causal)
    if keep is not None:
        logits = tf.where(keep, logits, tf.cast(-1e9 if query.dtype != tf.float16 else -6e4,
                                                query.dtype))
    weights = activations.softmax(logits, axis=-1)
    return tf.einsum("bnts,bsnh->btnh", weights, value)


@keras_op("nn", operands=2)
def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Greedy CTC decoding of (batch, time, classes) scores: the best class per step, with
    repeats merged and blanks (`mask_index`) removed; returns (decoded, scores) with
    decoded of shape (1, batch, time) padded with -1."""
    if strategy != "greedy":
        raise NotImplementedError("Only strategy='greedy' is supported by eagerflow's "
                                  "ctc_decode; beam search is not.")
    inputs = to_float(inputs)
    lengths = tf.cast(convert(sequence_lengths), tf.int32)
    steps = inputs.shape[1]
    best = tf.cast(tf.argmax(inputs, axis=-1), tf.int32)
    scores = -tf.reduce_sum(tf.where(tf.range(steps)[None, :] < lengths[:, None],
                                     tf.reduce_max(inputs, -1), 0.0), -1, keepdims=True)
    keep = tf.not_equal(best, mask_index)
    if merge_repeated:
        repeated = tf.concat([tf.zeros_like(best[:, :1], tf.bool),
                              tf.equal(best[:, 1:], best[:, :-1])], 1)
        keep = tf.logical_and(keep, tf.logical_not(repeated))
    keep = tf.logical_and(keep, tf.range(steps)[None, :] < lengths[:, None])
    # Compact the kept labels to the front: each one's target slot is its rank among kept.
    slot = tf.cumsum(tf.cast(keep, tf.int32), axis=1) - 1
    slot = tf.where(keep, slot, steps)  # dropped ones go to an overflow slot
    batch_index = tf.broadcast_to(tf.range(best.shape[0])[:, None], best.shape)
    indices = tf.stack([batch_index, slot], -1)
    decoded = tf.scatter_nd(tf.reshape(indices, (-1, 2)), tf.reshape(best + 1, (-1,)),
                            (best.shape[0], steps + 1))[:, :steps] - 1
    return tf.expand_dims(decoded, 0), scores
