"""`broadcast_to` and `sum_to_shape`, each the other's gradient.

The tape reduces every gradient whose shape differs from its input's with `sum_to_shape`,
so no op's gradient deals with broadcasting itself.
"""

import numpy as np

from eagerflow.framework.array_reductions import sum_array
from eagerflow.framework.op import primitive, shape_tuple
from eagerflow.framework.tensor_shape import TensorShape


@primitive("BroadcastTo", inputs=1)
def broadcast_to(input, shape):
    """Broadcasts `input` to `shape` with NumPy's rules.

    >>> tf.broadcast_to(tf.constant([1, 2]), [2, 2]).numpy().tolist()
    [[1, 2], [1, 2]]
    """
    shape = _dims(shape)
    if input.shape == shape:
        return input  # nothing to broadcast (tensors' arrays are never written to)
    try:
        return np.broadcast_to(input, shape)
    except ValueError:
        if np.ndim(input) > len(shape):
            raise ValueError(f"Rank of input ({np.ndim(input)}) must be no greater than rank "
                             f"of output shape ({len(shape)}).") from None
        raise ValueError(f"Incompatible shapes: [{','.join(map(str, np.shape(input)))}] vs. "
                         f"[{','.join(map(str, shape))}]") from None


@broadcast_to.gradient
def _broadcast_to_grad(op, dy):
    return [dy]  # the tape sums dy back to the input's shape


@primitive("SumToShape", inputs=1)
def sum_to_shape(x, shape):
    """Sums `x` over the axes that broadcasting to `x.shape` from `shape` added or stretched.

    >>> from eagerflow.framework.broadcasting import sum_to_shape
    >>> sum_to_shape(tf.ones((2, 3)), (1, 3)).numpy().tolist()
    [[2.0, 2.0, 2.0]]
    """
    shape = _dims(shape)
    x_shape = np.shape(x)
    lead = len(x_shape) - len(shape)
    if lead < 0:
        raise ValueError(f"Cannot sum a tensor of shape {list(x_shape)} to the larger "
                         f"rank shape {list(shape)}")
    stretched = tuple(lead + i for i, size in enumerate(shape)
                      if size == 1 and x_shape[lead + i] != 1)
    axes = tuple(range(lead)) + stretched
    if not axes:
        return np.reshape(x, shape)
    if not stretched and x_shape[lead:] == shape:  # leading axes only (a bias gradient)
        return sum_array(np.asarray(x), axes)
    return np.reshape(sum_array(np.asarray(x), axes, keepdims=True), shape)


def _dims(shape):
    """A shape attribute as a tuple of ints; a tuple of ints (as traces record shapes) and
    a fully known TensorShape are taken as they are, skipping `shape_tuple`'s checks."""
    if type(shape) is tuple:
        for d in shape:
            if type(d) is not int:
                return shape_tuple(shape)
        return shape
    if type(shape) is TensorShape and shape.is_fully_defined():
        return tuple(shape.as_list())
    return shape_tuple(shape)


@sum_to_shape.gradient
def _sum_to_shape_grad(op, dy):
    (x,) = op.inputs
    return [broadcast_to(dy, x.shape)]
