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
    ndim = np.ndim(logits)
    if not -ndim <= axis < ndim:
        raise ValueError(f"`dim` must be in the range [{-ndim}, {ndim}) where {ndim} is the "
                         f"number of dimensions in the input. Received: dim={axis}")
    if logits.size == 0:
        return np.empty_like(logits)
    # float16 is computed in float32, as TensorFlow's kernel does, to round only once.
    x = logits.astype(np.float32) if logits.dtype == np.float16 else logits
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return (shifted / np.sum(shifted, axis=axis, keepdims=True)).astype(logits.dtype,
                                                                         copy=False)


@softmax.gradient
def _softmax_grad(op, dy):
    (y,) = op.outputs
    axis = op.attrs["axis"]
    axis = -1 if axis is None else int(np.asarray(axis))
    return [y * (dy - reduce_sum(dy * y, axis, keepdims=True))]
