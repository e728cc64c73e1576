"""Neural-network ops (`tf.nn`): activations, softmax and log-softmax, `bias_add`, `dropout`.

Losses live in `nn_losses`, moments and normalization in `normalization_ops`.
"""

import numbers

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.array_reductions import reduce_axis
from eagerflow.framework.op import primitive
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.ops import array_ops, math_ops, random_ops
from eagerflow.ops.math_ops import select_array
from eagerflow.ops.reduction_ops import reduce_sum
from eagerflow.ops.special_math_ops import erfc

# TensorFlow's own order of the dtypes these kernels take, for its error messages.
_RELU6_DTYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16,
                 dtypes.int8, dtypes.int64, dtypes.uint16, dtypes.float16, dtypes.uint32,
                 dtypes.uint64)
_BIAS_ADD_DTYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16,
                    dtypes.int8, dtypes.complex64, dtypes.int64, dtypes.uint16,
                    dtypes.complex128, dtypes.float16, dtypes.uint32, dtypes.uint64)

# SELU's constants (Klambauer et al., 2017), as TensorFlow's kernel spells them.
_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_SCALE_ALPHA = 1.7580993408473768599402175208123


def _zero(array):
    return np.zeros((), array.dtype)


# --- relu and its relatives ---------------------------------------------------------------

@primitive("Relu", dtypes="real")
def relu(features):
    """Computes rectified linear: `max(features, 0)`.

    >>> tf.nn.relu(tf.constant([-1.0, 2.0])).numpy().tolist()
    [0.0, 2.0]
    """
    # Zero first: NumPy then keeps -0.0 as -0.0, as TensorFlow's kernel does.
    return np.maximum(np.zeros((), np.asarray(features).dtype), features)


@relu.in_place
def _relu_in_place(features):
    return np.maximum(np.zeros((), features.dtype), features, out=features)


@relu.gradient
def _relu_grad(op, dy):
    (y,) = op.outputs
    return [_relu_backprop(dy, y)]


@primitive("ReluGrad", same_dtype=False)
def _relu_backprop(dy, y):
    # `dy * (y > 0)` as TensorFlow computes it (a NaN upstream stays NaN); 10x faster than
    # a `np.where` select.
    return np.multiply(dy, y > 0)


@_relu_backprop.in_place
def _relu_backprop_in_place(dy, y):
    if dy.shape != y.shape:
        return _relu_backprop.primitive.forward(dy, y)
    return np.multiply(dy, y > 0, out=dy)


@_relu_backprop.gradient
def _relu_backprop_grad(op, ddy):
    return [_relu_backprop(ddy, op.inputs[1]), None]


@primitive("Relu6", dtypes=_RELU6_DTYPES)
def relu6(features):
    """Computes Rectified Linear 6: `min(max(features, 0), 6)`.

    >>> from eagerflow.ops.nn_ops import relu6
    >>> relu6(tf.constant([-1.0, 3.0, 8.0])).numpy().tolist()
    [0.0, 3.0, 6.0]
    """
    six = np.asarray(6, features.dtype)
    return np.minimum(np.maximum(features, _zero(features)), six)


@relu6.gradient
def _relu6_grad(op, dy):
    (y,) = op.outputs
    return [_relu6_backprop(dy, y)]


@primitive("Relu6Grad")
def _relu6_backprop(dy, y):
    # The kinks at 0 and 6 get 0, as in TensorFlow.
    return select_array((y > 0) & (y < 6), dy, _zero(dy))


@_relu6_backprop.gradient
def _relu6_backprop_grad(op, ddy):
    return [_relu6_backprop(ddy, op.inputs[1]), None]


def leaky_relu(features, alpha=0.2, name=None):
    """Computes the Leaky ReLU activation: `features` where positive, else `alpha * features`.

    Integer `features` are cast to float32. `alpha` is a Python number (TensorFlow keeps it
    as a float32 attribute).

    >>> from eagerflow.ops.nn_ops import leaky_relu
    >>> leaky_relu(tf.constant([-2.0, 3.0]), alpha=0.5).numpy().tolist()
    [-1.0, 3.0]
    """
    features = convert_to_tensor(features)
    if features.dtype.is_integer:
        features = math_ops.cast(features, dtypes.float32)
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()
    if not isinstance(alpha, numbers.Real):
        raise TypeError(f"Expected float for argument 'alpha' not {alpha!r}.")
    return _leaky_relu(features, alpha=float(alpha))


def _alpha(alpha, dtype):
    return np.asarray(np.float32(alpha), dtype)


@primitive("LeakyRelu", dtypes="floating", inputs=1)
def _leaky_relu(features, alpha=0.2):
    return select_array(features > 0, features, features * _alpha(alpha, features.dtype))


@_leaky_relu.gradient
def _leaky_relu_grad(op, dy):
    return [_leaky_relu_backprop(dy, op.inputs[0], alpha=op.attrs["alpha"])]


@primitive("LeakyReluGrad", inputs=2)
def _leaky_relu_backprop(dy, x, alpha=0.2):
    return select_array(x > 0, dy, dy * _alpha(alpha, dy.dtype))


@_leaky_relu_backprop.gradient
def _leaky_relu_backprop_grad(op, ddy):
    return [_leaky_relu_backprop(ddy, op.inputs[1], alpha=op.attrs["alpha"]), None]


@primitive("Elu", dtypes="floating")
def elu(features):
    """Computes the exponential linear unit: `exp(features) - 1` where negative, else `features`.

    >>> from eagerflow.ops.nn_ops import elu
    >>> elu(tf.constant([0.0, 2.0], tf.float64)).numpy().tolist()
    [0.0, 2.0]
    """
    return select_array(features < 0, np.expm1(features), features)


@elu.gradient
def _elu_grad(op, dy):
    (y,) = op.outputs
    return [_elu_backprop(dy, y)]


@primitive("EluGrad")
def _elu_backprop(dy, y):
    # exp(x) = y + 1 where x < 0: the derivative from the output.
    return select_array(y < 0, dy * (y + 1), dy)


@_elu_backprop.gradient
def _elu_backprop_grad(op, ddy):
    dy, y = op.inputs
    negative = math_ops.less(y, 0)
    return [_elu_backprop(ddy, y), math_ops.where(negative, ddy * dy, ddy * 0)]


@primitive("Selu", dtypes="floating")
def selu(features):
    """Computes the scaled exponential linear unit: `scale * elu(features, alpha)`.

    `scale` is 1.0507... and `alpha` 1.6732... (Klambauer et al., 2017), the values that
    keep activations' mean and variance fixed under LeCun-normal initialization.

    >>> from eagerflow.ops.nn_ops import selu
    >>> round(float(selu(tf.constant(1.0))), 6)
    1.050701
    """
    dtype = features.dtype.type
    return select_array(features < 0, dtype(_SELU_SCALE_ALPHA) * np.expm1(features),
                        dtype(_SELU_SCALE) * features)


@selu.gradient
def _selu_grad(op, dy):
    (y,) = op.outputs
    return [_selu_backprop(dy, y)]


@primitive("SeluGrad")
def _selu_backprop(dy, y):
    dtype = dy.dtype.type
    return select_array(y < 0, dy * (y + dtype(_SELU_SCALE_ALPHA)), dy * dtype(_SELU_SCALE))


@_selu_backprop.gradient
def _selu_backprop_grad(op, ddy):
    dy, y = op.inputs
    negative = math_ops.less(y, 0)
    return [_selu_backprop(ddy, y), math_ops.where(negative, ddy * dy, ddy * 0)]


def crelu(features, axis=-1, name=None):
    """Computes the concatenated ReLU: `relu` of `features` and of `-features`, joined on `axis`.

    >>> from eagerflow.ops.nn_ops import crelu
    >>> crelu(tf.constant([[-1.0, 2.0]])).numpy().tolist()
    [[0.0, 2.0, 1.0, 0.0]]
    """
    features = convert_to_tensor(features)
    return relu(array_ops.concat([features, -features], axis))


# --- smooth activations -------------------------------------------------------------------

def silu(features, beta=1.0):
    """Computes the SiLU or Swish activation: `features * sigmoid(beta * features)`.

    >>> from eagerflow.ops.nn_ops import silu
    >>> [round(v, 6) for v in silu(tf.constant([0.0, 1.0])).numpy().tolist()]
    [0.0, 0.731059]
    """
    features = convert_to_tensor(features)
    if isinstance(beta, (int, float)) and beta == 1:  # a constant 1: skip the product
        return features * math_ops.sigmoid(features)
    beta = math_ops.cast(beta, features.dtype)
    return features * math_ops.sigmoid(beta * features)


swish = silu


def gelu(features, approximate=False, name=None):
    """Computes the Gaussian error linear unit: `x * P(X <= x)` for `X ~ N(0, 1)`.

    Exactly `0.5 * x * erfc(-x / sqrt(2))`; with `approximate=True`, the tanh form
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))` (Hendrycks and Gimpel,
    2016).

    Raises:
      ValueError: for a non-floating `features`.

    >>> from eagerflow.ops.nn_ops import gelu
    >>> gelu(tf.constant([-1.0, 0.0, 1.0])).numpy().tolist()
    [-0.15865525603294373, 0.0, 0.8413447141647339]
    """
    features = convert_to_tensor(features)
    if not features.dtype.is_floating:
        raise ValueError("`features.dtype` must be a floating point tensor."
                         f"Received:features.dtype={features.dtype}")
    if approximate:
        cubed = math_ops.cast(0.044715, features.dtype) * math_ops.pow(features, 3)
        return 0.5 * features * (1.0 + math_ops.tanh(0.7978845608028654 * (features + cubed)))
    return 0.5 * features * erfc(-features * math_ops.cast(0.7071067811865476, features.dtype))


# --- softmax and log-softmax --------------------------------------------------------------

def _softmax_axis(axis, ndim):
    if type(axis) is not int:
        axis = -1 if axis is None else int(np.asarray(axis))
    if not -ndim <= axis < ndim:
        raise ValueError(f"`dim` must be in the range [{-ndim}, {ndim}) where {ndim} is the "
                         f"number of dimensions in the input. Received: dim={axis}")
    return axis


def shifted_logits(logits, axis):
    """`logits` minus their maximum along `axis`, a new array; float16 is computed in
    float32, as TensorFlow's kernels do, so that it is rounded only once."""
    x = logits.astype(np.float32) if logits.dtype == np.float16 else logits
    return x - reduce_axis(np.maximum, x, axis, keepdims=True)


def log_sum_exp_shifted(shifted, axis):
    """`log(sum(exp(shifted)))` along `axis`, kept as a length-1 axis."""
    total = reduce_axis(np.add, np.exp(shifted), axis, keepdims=True)
    return np.log(total, out=total)


@primitive("Softmax", dtypes="floating", inputs=1)
def softmax(logits, axis=-1):
    """Computes softmax activations along `axis`: `exp(x) / sum(exp(x))`, stably.

    >>> tf.nn.softmax(tf.constant([0.0, 0.0])).numpy().tolist()
    [0.5, 0.5]
    """
    axis = _softmax_axis(axis, logits.ndim)
    if logits.size == 0:
        return np.empty_like(logits)
    return softmax_array(logits, axis)


def softmax_array(logits, axis):
    """The softmax of non-empty ndarray `logits` along `axis`: a new array of their dtype."""
    exps = shifted_logits(logits, axis)
    np.exp(exps, out=exps)
    exps /= reduce_axis(np.add, exps, axis, keepdims=True)
    return exps.astype(logits.dtype, copy=False)


@softmax.gradient
def _softmax_grad(op, dy):
    (y,) = op.outputs
    return [softmax_backprop(y, dy, _softmax_axis(op.attrs["axis"], y.shape.rank))]


def softmax_backprop(y, dy, axis):
    """The gradient through softmax outputs `y` along `axis` of the upstream gradient `dy`."""
    return y * (dy - reduce_sum(dy * y, axis, keepdims=True))


@primitive("LogSoftmax", dtypes="floating", inputs=1)
def log_softmax(logits, axis=None):
    """Computes log-softmax activations along `axis`: `logits - log(sum(exp(logits)))`.

    The maximum is subtracted first, so large logits neither overflow nor lose the small
    differences between them. `axis` defaults to the last axis.

    >>> from eagerflow.ops.nn_ops import log_softmax
    >>> log_softmax(tf.constant([1000.0, 1000.0])).numpy().tolist()
    [-0.6931471824645996, -0.6931471824645996]
    """
    if logits.ndim == 0 and (axis is None or int(np.asarray(axis)) == -1):
        raise ValueError("logits must have >= 1 dimension, got []")
    axis = _softmax_axis(axis, logits.ndim)
    if logits.size == 0:
        return np.empty_like(logits)
    shifted = shifted_logits(logits, axis)
    shifted -= log_sum_exp_shifted(shifted, axis)
    return shifted.astype(logits.dtype, copy=False)


@log_softmax.gradient
def _log_softmax_grad(op, dy):
    (y,) = op.outputs
    axis = _softmax_axis(op.attrs["axis"], y.shape.rank)
    return [dy - reduce_sum(dy, axis, keepdims=True) * math_ops.exp(y)]


# --- bias_add -----------------------------------------------------------------------------

def bias_add(value, bias, data_format=None, name=None):
    """Adds the 1-D `bias` to `value` along its channel axis.

    The channel axis is the last one for `data_format` "N...C" (the default, "NHWC") and
    axis 1 for "NC..." ("NCHW"). `value` has rank 2 or more.

    >>> from eagerflow.ops.nn_ops import bias_add
    >>> bias_add(tf.zeros((2, 2)), tf.constant([1.0, 2.0])).numpy().tolist()
    [[1.0, 2.0], [1.0, 2.0]]
    """
    if data_format is None:
        data_format = "NHWC"
    elif data_format.startswith("NC"):
        data_format = "NCHW"
    elif data_format.startswith("N") and data_format.endswith("C"):
        data_format = "NHWC"
    else:
        raise ValueError("`data_format` must be of the form `N...C` or `NC...`. Received: "
                         f"data_format={data_format}")
    return _bias_add(value, bias, data_format=data_format)


def _dims_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


@primitive("BiasAdd", dtypes=_BIAS_ADD_DTYPES)
def _bias_add(value, bias, data_format="NHWC"):
    if value.ndim < 2:
        raise ValueError(f"Input tensor must be at least 2D: {_dims_text(value.shape)}")
    if bias.ndim != 1:
        raise ValueError(f"Biases must be 1D: {_dims_text(bias.shape)}")
    channel = 1 if data_format == "NCHW" else value.ndim - 1
    if bias.shape[0] != value.shape[channel]:
        raise ValueError("Must provide as many biases as the last dimension of the input "
                         f"tensor: {_dims_text(bias.shape)} vs. {_dims_text(value.shape)}")
    return value + np.reshape(bias, (-1,) + (1,) * (value.ndim - 1 - channel))


@_bias_add.in_place
def _bias_add_in_place(value, bias, data_format="NHWC"):
    channel = 1 if data_format == "NCHW" else value.ndim - 1  # checked when traced
    return np.add(value, np.reshape(bias, (-1,) + (1,) * (value.ndim - 1 - channel)),
                  out=value)


@_bias_add.gradient
def _bias_add_grad(op, dy):
    rank = op.inputs[0].shape.rank
    channel = 1 if op.attrs["data_format"] == "NCHW" else rank - 1
    return [dy, reduce_sum(dy, [a for a in range(rank) if a != channel])]


# --- dropout ------------------------------------------------------------------------------

def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Computes dropout: zeroes elements with probability `rate`, scales the rest up.

    Kept elements are multiplied by `1 / (1 - rate)`, so the expected sum is unchanged.

    Args:
      x: a floating point tensor.
      rate: the probability of dropping each element, a number in [0, 1) or a scalar
        tensor of `x`'s dtype.
      noise_shape: the shape of the random keep/drop mask, broadcast against `x`: e.g.
        `[batch, 1, 1, channels]` drops whole feature maps. `None` entries take `x`'s
        dimension.
      seed: the op seed (see `tf.random.set_seed`).

    Returns:
      A tensor of `x`'s shape and dtype.

    Raises:
      ValueError: for a `rate` outside [0, 1), or a non-floating `x`.

    >>> from eagerflow.ops.nn_ops import dropout
    >>> y = dropout(tf.ones((4, 4)), rate=0.5)
    >>> sorted(set(y.numpy().ravel().tolist()) - {0.0})
    [2.0]
    """
    is_rate_number = isinstance(rate, numbers.Real) and not is_tensor(rate)
    if is_rate_number and not 0 <= rate < 1:
        raise ValueError("`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError("`x.dtype` must be a floating point tensor as `x` will be scaled. "
                         f"Received: x_dtype={x.dtype}")
    if is_rate_number and rate == 0:
        return x
    if is_rate_number:
        scaled = x * convert_to_tensor(1 / (1 - rate), x.dtype)
    elif is_tensor(rate):
        rate = convert_to_tensor(rate)
        if rate.shape.rank != 0:
            raise ValueError(f"Shape {rate.shape} must have rank 0")
        if rate.dtype != x.dtype:
            raise ValueError("`x.dtype` must be compatible with `rate.dtype`. Received: "
                             f"x.dtype={x.dtype} and rate.dtype={rate.dtype}")
        scaled = x / (1 - rate)
    else:
        raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
    noise = random_ops.uniform(_noise_shape(x, noise_shape), dtype=x.dtype, seed=seed)
    return math_ops.where(math_ops.greater_equal(noise, rate), scaled, 0)


def _noise_shape(x, noise_shape):
    """`noise_shape` with its unknown (None) dimensions taken from `x`."""
    if noise_shape is None:
        return x.shape
    if isinstance(noise_shape, Tensor):
        return noise_shape
    dims = TensorShape(noise_shape).as_list()
    if len(dims) != x.shape.rank:
        return noise_shape
    return [x_dim if dim is None else dim for dim, x_dim in zip(dims, x.shape.as_list())]


# --- statistics ---------------------------------------------------------------------------

@primitive("ZeroFraction", differentiable=False)
def zero_fraction(value):
    """Returns the fraction of zeros in `value`, as a float32 scalar.

    >>> from eagerflow.ops.nn_ops import zero_fraction
    >>> float(zero_fraction(tf.constant([0.0, 1.0, 0.0, 2.0])))
    0.5
    """
    size = np.float32(value.size)
    return np.asarray((size - np.float32(np.count_nonzero(value))) / size, np.float32)
