"""Neural-network ops (`tf.nn`): activations and softmax."""

import numpy as np

from eagerflow.framework.op import primitive
from eagerflow.ops.reduction_ops import reduce_sum


@primitive("Relu", dtypes="real")
def relu(features):
    """Computes rectified linear: `max(features, 0)`.

    >>> tf.nn.relu(tf.constant([-1.0, 2.0])).numpy().tolist()
    [0.0, 2.0]
    """
    return np.maximum(features, np.zeros((), np.asarray(features).dtype))


@relu.gradient
def _relu_grad(op, dy):
    (y,) = op.outputs
    return [_relu_backprop(dy, y)]


@primitive("ReluGrad", same_dtype=False)
def _relu_backprop(dy, y):
    return np.where(y > 0, dy, np.zeros((), np.asarray(dy).dtype))


@_relu_backprop.gradient
def _relu_backprop_grad(op, ddy):
    return [_relu_backprop(ddy, op.inputs[1]), None]


@primitive("Softmax", dtypes="floating", inputs=1)
def softmax(logits, axis=-1):
    """Computes softmax activations along `axis`: `exp(x) / sum(exp(x))`, stably.

    >>> tf.nn.softmax(tf.constant([0.0, 0.0])).numpy().tolist()
    [0.5, 0.5]
    """
    axis = -1 if axis is None else int(np.asarray(axis))
    if not -np.ndim(logits) <= axis < max(np.ndim(logits), 1):
        raise ValueError(f"`axis` {axis} is out of range for logits of rank {np.ndim(logits)}")
    shifted = np.exp(logits - np.max(logits, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


@softmax.gradient
def _softmax_grad(op, dy):
    (y,) = op.outputs
    axis = op.attrs["axis"]
    axis = -1 if axis is None else int(np.asarray(axis))
    return [y * (dy - reduce_sum(dy * y, axis, keepdims=True))]
