"""Keras activation functions (`keras.activations`), written with eagerflow ops.

Each function takes a tensor (or anything convertible to one) and returns a tensor of
the same shape and dtype; all are differentiable through `tf.GradientTape`.
"""

import math
import types
import warnings

import eagerflow as tf
from eagerflow.keras import backend, serialization_lib

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _tensor(x):
    return x if tf.is_tensor(x) else tf.convert_to_tensor(x)


# --- Keras-specific helpers --------------------------------------------------------------

def _log_softmax(x, axis=-1):
    """`tf.nn.log_softmax` (any axis or axes, None for all)."""
    return x - tf.reduce_logsumexp(x, axis=axis, keepdims=True)


def _l2_normalize(x, axis):
    """Keras's `ops.normalize`: `x / max(norm(x), epsilon)` along `axis`."""
    square_sum = tf.reduce_sum(tf.square(x), axis=axis, keepdims=True)
    # rsqrt(max(s, eps**2)) is Keras's min(rsqrt(s), 1 / eps) without an inf gradient at 0.
    return x * tf.math.rsqrt(tf.maximum(square_sum, backend.epsilon() ** 2))


# --- activations ------------------------------------------------------------------------

def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Applies the rectified linear unit activation function.

    With default values it returns `max(x, 0)`. Otherwise it returns `x` for
    `threshold <= x < max_value`, `max_value` for `x >= max_value` and
    `negative_slope * (x - threshold)` below the threshold.

    Args:
      x: Input tensor.
      negative_slope: slope for values below the threshold.
      max_value: the largest value the function returns (None for no limit).
      threshold: values below it are damped or set to 0.

    >>> from eagerflow.keras import activations
    >>> activations.relu([-10.0, -5.0, 0.0, 5.0, 10.0], negative_slope=0.5,
    ...                  max_value=5.0).numpy().tolist()
    [-5.0, -2.5, 0.0, 5.0, 5.0]
    """
    x = _tensor(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return leaky_relu(x, negative_slope=negative_slope)
        negative_part = tf.nn.relu(threshold - x) if threshold != 0 else tf.nn.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = tf.where(x > threshold, x, 0.0)
    elif max_value == 6:
        x = relu6(x)
        clip_max = False
    else:
        x = tf.nn.relu(x)
    if clip_max:
        x = tf.clip_by_value(x, 0.0, max_value)
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for `x > 0`, `negative_slope * x` otherwise.

    >>> from eagerflow.keras import activations
    >>> activations.leaky_relu([-1.0, 2.0]).numpy().tolist()
    [-0.20000000298023224, 2.0]
    """
    x = _tensor(x)
    return tf.where(x > 0, x, x * negative_slope)


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    >>> from eagerflow.keras import activations
    >>> activations.relu6([-1.0, 3.0, 8.0]).numpy().tolist()
    [0.0, 3.0, 6.0]
    """
    return tf.minimum(tf.nn.relu(_tensor(x)), 6.0)


def softmax(x, axis=-1):
    """Softmax: turns the values along `axis` into probabilities, `exp(x) / sum(exp(x))`.

    `axis` may be an integer, a tuple of axes (normalised together) or None (all axes).

    >>> from eagerflow.keras import activations
    >>> activations.softmax([[1.0, 1.0]]).numpy().tolist()
    [[0.5, 0.5]]
    """
    x = _tensor(x)
    rank = len(x.shape)
    if isinstance(axis, int) and -rank <= axis < rank and x.shape[axis] == 1:
        warnings.warn(f"You are using a softmax over axis {axis} of a tensor of shape "
                      f"{tuple(x.shape)}. This axis has size 1. The softmax operation will "
                      "always return the value 1, which is likely not what you intended. Did "
                      "you mean to use a sigmoid instead?")
    if isinstance(axis, int):
        output = tf.nn.softmax(x, axis=axis)
    else:
        output = tf.exp(_log_softmax(x, axis=None if axis is None else tuple(axis)))
    output._keras_logits = x  # the cross-entropy losses compute from these, as Keras's do
    return output


def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of the values along `axis` onto the
    probability simplex, `max(x - tau, 0)` with `tau` making them sum to 1 (Martins &
    Astudillo, 2016). Unlike softmax, it gives exact zeros.

    >>> from eagerflow.keras import activations
    >>> [round(v, 4) for v in activations.sparsemax([2.0, 1.9, 0.0, -1.0]).numpy().tolist()]
    [0.55, 0.45, 0.0, 0.0]
    """
    x = _tensor(x)
    rank = len(x.shape)
    axis = axis % rank
    if axis != rank - 1:
        permutation = [i for i in range(rank) if i != axis] + [axis]
        inverse = [permutation.index(i) for i in range(rank)]
        return tf.transpose(sparsemax(tf.transpose(x, permutation)), inverse)
    descending = tf.sort(x, axis=-1, direction="DESCENDING")
    cumulative = tf.math.cumsum(descending, axis=-1)
    ranks = tf.range(1, x.shape[-1] + 1, dtype=x.dtype)
    in_support = tf.cast(1.0 + ranks * descending > cumulative, x.dtype)
    support_size = tf.reduce_sum(in_support, axis=-1, keepdims=True)
    tau = (tf.reduce_sum(descending * in_support, axis=-1, keepdims=True) - 1.0) / (
        support_size)
    return tf.maximum(x - tau, 0.0)


def log_softmax(x, axis=-1):
    """Log-softmax: `x - log(sum(exp(x)))` along `axis`, computed stably.

    >>> from eagerflow.keras import activations
    >>> round(float(activations.log_softmax([0.0, 0.0])[0]), 6)
    -0.693147
    """
    x = _tensor(x)
    return _log_softmax(x, axis=axis if isinstance(axis, int) or axis is None else tuple(axis))


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    >>> from eagerflow.keras import activations
    >>> activations.elu([0.0, 1.0]).numpy().tolist()
    [0.0, 1.0]
    """
    x = _tensor(x)
    positive = x > 0
    # exp only sees non-positive values, so the branch not taken never overflows.
    return tf.where(positive, x, alpha * tf.math.expm1(tf.where(positive, 0.0, x)))


def selu(x):
    """Scaled exponential linear unit: `scale * elu(x, alpha)` with Klambauer et al.'s
    constants (alpha ~ 1.6733, scale ~ 1.0507).

    >>> from eagerflow.keras import activations
    >>> round(float(activations.selu([1.0])[0]), 6)
    1.050701
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * expm1(min(x, 0) / alpha)`.

    >>> from eagerflow.keras import activations
    >>> activations.celu([0.0, 2.0]).numpy().tolist()
    [0.0, 2.0]
    """
    x = _tensor(x)
    return tf.maximum(x, 0.0) + alpha * tf.math.expm1(tf.minimum(x, 0.0) / alpha)


def softplus(x):
    """Softplus: `log(exp(x) + 1)`.

    >>> from eagerflow.keras import activations
    >>> round(float(activations.softplus([0.0])[0]), 6)
    0.693147
    """
    return tf.math.softplus(_tensor(x))


def softsign(x):
    """Softsign: `x / (abs(x) + 1)`.

    >>> from eagerflow.keras import activations
    >>> activations.softsign([-1.0, 3.0]).numpy().tolist()
    [-0.5, 0.75]
    """
    x = _tensor(x)
    return x / (tf.abs(x) + 1.0)


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: `x - threshold` above `threshold`, `x + threshold` below
    `-threshold`, 0 in between.

    >>> from eagerflow.keras import activations
    >>> activations.soft_shrink([-1.0, 0.2, 1.0]).numpy().tolist()
    [-0.5, 0.0, 0.5]
    """
    x = _tensor(x)
    return tf.where(x > threshold, x - threshold,
                    tf.where(x < -threshold, x + threshold, tf.zeros_like(x)))


def sparse_plus(x):
    """SparsePlus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    >>> from eagerflow.keras import activations
    >>> activations.sparse_plus([-2.0, 0.0, 2.0]).numpy().tolist()
    [0.0, 0.25, 2.0]
    """
    x = _tensor(x)
    return tf.where(x <= -1, tf.zeros_like(x), tf.where(x < 1, 0.25 * tf.square(x + 1.0), x))


def silu(x):
    """Swish (or SiLU): `x * sigmoid(x)`.

    >>> from eagerflow.keras import activations
    >>> activations.silu([0.0])[0].numpy().tolist()
    0.0
    """
    x = _tensor(x)
    return x * tf.sigmoid(x)


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`.

    >>> from eagerflow.keras import activations
    >>> activations.squareplus([0.0]).numpy().tolist()
    [1.0]
    """
    x = _tensor(x)
    return (x + tf.sqrt(tf.square(x) + float(b))) / 2.0


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal `X`.

    With `approximate=True` uses the tanh approximation
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`.

    >>> from eagerflow.keras import activations
    >>> round(float(activations.gelu([1.0])[0]), 5)
    0.84134
    """
    x = _tensor(x)
    if approximate:
        inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1.0 + tf.tanh(inner))
    return 0.5 * x * tf.math.erfc(x * -math.sqrt(0.5))


def glu(x, axis=-1):
    """Gated linear unit: splits `x` in halves `a, b` along `axis`, returns `a * sigmoid(b)`.

    >>> from eagerflow.keras import activations
    >>> activations.glu([[2.0, 0.0]]).numpy().tolist()
    [[1.0]]
    """
    x = _tensor(x)
    if x.shape[axis] % 2 != 0:
        raise ValueError(f"axis size must be divisible by 2. Received: "
                         f"x.shape={tuple(x.shape)} with axis={axis}")
    first, second = tf.split(x, 2, axis=axis)
    return first * tf.sigmoid(second)


def tanh(x):
    """Hyperbolic tangent.

    >>> from eagerflow.keras import activations
    >>> activations.tanh([0.0]).numpy().tolist()
    [0.0]
    """
    return tf.tanh(_tensor(x))


def tanh_shrink(x):
    """Tanh shrink: `x - tanh(x)`.

    >>> from eagerflow.keras import activations
    >>> activations.tanh_shrink([0.0]).numpy().tolist()
    [0.0]
    """
    x = _tensor(x)
    return x - tf.tanh(x)


def hard_tanh(x):
    """Hard tanh: `x` clipped to [-1, 1].

    >>> from eagerflow.keras import activations
    >>> activations.hard_tanh([-2.0, 0.5, 2.0]).numpy().tolist()
    [-1.0, 0.5, 1.0]
    """
    return tf.clip_by_value(_tensor(x), -1.0, 1.0)


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `abs(x) > threshold`, 0 elsewhere.

    >>> from eagerflow.keras import activations
    >>> activations.hard_shrink([-1.0, 0.2, 1.0]).numpy().tolist()
    [-1.0, 0.0, 1.0]
    """
    x = _tensor(x)
    return tf.where(tf.abs(x) > threshold, x, tf.zeros_like(x))


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, `default_value` elsewhere.

    >>> from eagerflow.keras import activations
    >>> activations.threshold([0.5, 2.0], 1.0, -1.0).numpy().tolist()
    [-1.0, 2.0]
    """
    x = _tensor(x)
    if tf.is_tensor(default_value):
        default_value = tf.cast(default_value, x.dtype)
    return tf.where(x > threshold, x, tf.convert_to_tensor(default_value, dtype=x.dtype))


def sigmoid(x):
    """Sigmoid: `1 / (1 + exp(-x))`.

    >>> from eagerflow.keras import activations
    >>> activations.sigmoid([0.0]).numpy().tolist()
    [0.5]
    """
    x = _tensor(x)
    output = tf.sigmoid(x)
    output._keras_logits = x  # binary cross-entropy computes from these, as Keras's does
    return output


def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` in between, 1 for `x >= 1`.

    >>> from eagerflow.keras import activations
    >>> activations.sparse_sigmoid([-2.0, 0.0, 2.0]).numpy().tolist()
    [0.0, 0.5, 1.0]
    """
    x = _tensor(x)
    return tf.where(x <= -1, tf.zeros_like(x),
                    tf.where(x >= 1, tf.ones_like(x), 0.5 * (x + 1.0)))


def exponential(x):
    """Exponential: `exp(x)`.

    >>> from eagerflow.keras import activations
    >>> activations.exponential([0.0]).numpy().tolist()
    [1.0]
    """
    return tf.exp(_tensor(x))


def hard_sigmoid(x):
    """Hard sigmoid: `relu6(x + 3) / 6`: 0 below -3, 1 above 3, `x / 6 + 0.5` in between.

    >>> from eagerflow.keras import activations
    >>> activations.hard_sigmoid([-4.0, 0.0, 4.0]).numpy().tolist()
    [0.0, 0.5, 1.0]
    """
    return relu6(_tensor(x) + 3.0) / 6.0


def log_sigmoid(x):
    """Log of the sigmoid: `-softplus(-x)`.

    >>> from eagerflow.keras import activations
    >>> round(float(activations.log_sigmoid([0.0])[0]), 6)
    -0.693147
    """
    return -tf.math.softplus(-_tensor(x))


def hard_silu(x):
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`.

    >>> from eagerflow.keras import activations
    >>> activations.hard_silu([-4.0, 0.0, 4.0]).numpy().tolist()
    [-0.0, 0.0, 4.0]
    """
    x = _tensor(x)
    return x * hard_sigmoid(x)


def linear(x):
    """Linear (identity) activation: returns `x` unchanged.

    >>> from eagerflow.keras import activations
    >>> activations.linear(3.0)
    3.0
    """
    return x


def mish(x):
    """Mish: `x * tanh(softplus(x))`.

    >>> from eagerflow.keras import activations
    >>> activations.mish([0.0]).numpy().tolist()
    [0.0]
    """
    x = _tensor(x)
    return x * tf.tanh(tf.math.softplus(x))


swish = silu
hard_swish = hard_silu

_FUNCTIONS = (relu, leaky_relu, relu6, softmax, celu, elu, selu, softplus, softsign,
              squareplus, soft_shrink, sparse_plus, silu, gelu, glu, tanh, tanh_shrink,
              threshold, sigmoid, sparse_sigmoid, exponential, hard_sigmoid, hard_silu,
              hard_tanh, hard_shrink, linear, mish, log_softmax, log_sigmoid, sparsemax)
_BY_NAME = {fn.__name__: fn for fn in _FUNCTIONS}
_BY_NAME.update(swish=silu, hard_swish=hard_silu)


def serialize(activation):
    """Returns the name of a built-in activation, or the config dict of an activation
    object (one with `get_config`).

    >>> from eagerflow.keras import activations
    >>> activations.serialize(activations.swish)
    'silu'
    """
    if isinstance(activation, types.FunctionType) and _BY_NAME.get(
            activation.__name__) is activation:
        return activation.__name__
    if hasattr(activation, "get_config"):
        return {"module": type(activation).__module__, "class_name": type(activation).__name__,
                "config": activation.get_config(), "registered_name": type(activation).__name__}
    if isinstance(activation, types.FunctionType) and activation.__name__ != "<lambda>":
        return serialization_lib.serialize_function(activation)  # by its registered name
    raise ValueError(f"Unknown activation function '{activation}' cannot be serialized due to "
                     "invalid function name. Make sure to use an activation name that matches "
                     "the references defined in activations.py or use "
                     "`@keras.saving.register_keras_serializable()`to register any custom "
                     f"activations. config={activation}")


def deserialize(config, custom_objects=None):
    """Returns the activation function named by `config` (a name or a serialized dict).

    >>> from eagerflow.keras import activations
    >>> activations.deserialize("relu") is activations.relu
    True
    """
    return serialization_lib.deserialize_object(
        config, _BY_NAME, custom_objects, "activation function", functions=True,
        instantiate_names=False)


def get(identifier):
    """Returns the activation function for `identifier`: a name, a serialized dict, or a
    callable (returned as is); None gives `linear`.

    >>> from eagerflow.keras import activations
    >>> activations.get("relu") is activations.relu, activations.get(None) is activations.linear
    (True, True)

    Raises:
      ValueError: for an unknown name or a value that is not callable.
    """
    if identifier is None:
        return linear
    return serialization_lib.get_object(identifier, _BY_NAME, deserialize,
                                        "activation function", instantiate=False)
