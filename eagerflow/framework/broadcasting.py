"""`broadcast_to` and `sum_to_shape`, each the other's gradient.

The tape reduces every gradient whose shape differs from its input's with `sum_to_shape`,
so no op's gradient deals with broadcasting itself.
"""

import math

import numpy as np

from eagerflow.framework.op import primitive, shape_tuple


def sum_array(array, axes, keepdims=False):
    """The sum of ndarray `array` over the sorted `axes`, in its own dtype.

    When the axes are leading ones of a large contiguous float array (a bias gradient, a
    batch mean), one matrix-vector product (BLAS) does the sum, 5x faster than NumPy's
    row-by-row reduction; anything else is NumPy's `add.reduce`.
    """
    count = len(axes)
    if (0 < count < array.ndim and axes[-1] == count - 1 and array.dtype.kind == "f"
            and array.dtype.itemsize >= 4 and array.flags.c_contiguous and array.size >= 4096):
        rows = math.prod(array.shape[:count])
        total = np.ones(rows, array.dtype) @ array.reshape(rows, -1)
        kept = (1,) * count if keepdims else ()
        return total.reshape(kept + array.shape[count:])
    return np.add.reduce(array, axis=axes, dtype=array.dtype, keepdims=keepdims)


@primitive("BroadcastTo", inputs=1)
def broadcast_to(input, shape):
    """Broadcasts `input` to `shape` with NumPy's rules.

    >>> tf.broadcast_to(tf.constant([1, 2]), [2, 2]).numpy().tolist()
    [[1, 2], [1, 2]]
    """
    shape = shape_tuple(shape)
    try:
        return np.broadcast_to(input, shape)
    except ValueError:
        raise ValueError(f"Unable to broadcast tensor of shape {list(np.shape(input))} to "
                         f"tensor of shape {list(shape)}") from None


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
    shape = shape_tuple(shape)
    lead = np.ndim(x) - len(shape)
    if lead < 0:
        raise ValueError(f"Cannot sum a tensor of shape {list(np.shape(x))} to the larger "
                         f"rank shape {list(shape)}")
    axes = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and np.shape(x)[lead + i] != 1)
    if axes:
        x = sum_array(np.asarray(x), axes, keepdims=True)
    return np.reshape(x, shape)


@sum_to_shape.gradient
def _sum_to_shape_grad(op, dy):
    (x,) = op.inputs
    return [broadcast_to(dy, x.shape)]
