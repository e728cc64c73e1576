"""Clipping values and norms: `clip_by_value`, `clip_by_norm`, `clip_by_global_norm`,
`global_norm`.

All are compositions of eagerflow ops, as in TensorFlow, so their gradients (ties at the
bounds included) are the ops' own.
"""

import collections.abc

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, tf_type_name
from eagerflow.framework.tensor import Tensor, constant, convert_to_tensor, is_tensor
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops.reduction_ops import reduce_sum


def _as_tensor(value):
    return value if is_tensor(value) else convert_to_tensor(value)


def _check_shape_kept(values, clipped):
    if not clipped.shape.is_compatible_with(values.shape):
        raise ValueError(f"Shapes {values.shape} and {clipped.shape} are incompatible")


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips `t` to `[clip_value_min, clip_value_max]`: `maximum(minimum(t, max), min)`.

    The bounds broadcast against `t` but may not make it larger. The gradient reaches `t`
    where it lies within the bounds (the bounds included) and each bound where it was used.

    >>> from eagerflow.ops.clip_ops import clip_by_value
    >>> clip_by_value(tf.constant([-2.0, 0.5, 3.0]), -1.0, 1.0).numpy().tolist()
    [-1.0, 0.5, 1.0]

    Raises:
      ValueError: if a bound would broadcast `t` to a larger shape.
      TypeError: if a bound cannot be converted to `t`'s dtype (2.5 for an integer `t`).
    """
    values = _as_tensor(t)
    below_max = math_ops.minimum(values, clip_value_max)
    _check_shape_kept(values, below_max)
    clipped = math_ops.maximum(below_max, clip_value_min)
    _check_shape_kept(values, clipped)
    return clipped


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales `t` so that its L2 norm over `axes` (all axes by default) is at most
    `clip_norm`: `t * clip_norm / max(norm(t), clip_norm)`. A negative `clip_norm` counts
    as 0.

    >>> from eagerflow.ops.clip_ops import clip_by_norm
    >>> clip_by_norm(tf.constant([3.0, 4.0]), 1.0).numpy().tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    values = _as_tensor(t)
    if np.isscalar(clip_norm):
        clip_norm = max(clip_norm, 0)
    else:
        clip_norm = math_ops.cast(math_ops.maximum(clip_norm, 0), values.dtype)
    squares = reduce_sum(values * values, axes, keepdims=True)
    positive = squares > 0
    # sqrt only where the sum is positive: its gradient at 0 would be inf (and 0 * inf nan)
    norm = math_ops.where(positive, math_ops.sqrt(math_ops.where(positive, squares, 1)),
                          squares)
    scaled = values * clip_norm
    _check_shape_kept(values, scaled)
    return scaled / math_ops.maximum(norm, clip_norm)


def _tensor_list(t_list):
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return [None if t is None else t if isinstance(t, Tensor) else _read_or_convert(t)
            for t in t_list]


def _read_or_convert(value):
    return value if hasattr(type(value), "_read_for_op") else convert_to_tensor(value)


_HALF_SQUARED_NORM_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def global_norm(t_list, name=None):
    """Computes the L2 norm of all the tensors of `t_list` together (None entries are skipped).

    `global_norm = sqrt(sum(sum(t ** 2) for t in t_list))`.

    >>> from eagerflow.ops.clip_ops import global_norm
    >>> float(global_norm([tf.constant([3.0]), None, tf.constant([[4.0]])]))
    5.0

    Raises:
      TypeError: if `t_list` is not a sequence.
      InvalidArgumentError: for integer tensors, or tensors of different dtypes.
    """
    tensors = [t for t in _tensor_list(t_list) if t is not None]
    if not tensors:
        return constant(0.0)
    squared_norms = []
    for t in tensors:
        if t.dtype not in _HALF_SQUARED_NORM_DTYPES:  # TensorFlow's L2Loss takes floats only
            allowed = ", ".join(tf_type_name(d) for d in _HALF_SQUARED_NORM_DTYPES)
            raise op_error("L2Loss", f"Value for attr 'T' of {tf_type_name(t.dtype)} is not in "
                                     f"the list of allowed values: {allowed}")
        squared_norms.append(reduce_sum(math_ops.square(t)))
    return math_ops.sqrt(reduce_sum(array_ops.stack(squared_norms)))


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales the tensors of `t_list` by `clip_norm / max(global_norm, clip_norm)`.

    Returns `(list_clipped, global_norm)`; None entries stay None. With an infinite or NaN
    global norm every tensor becomes NaN. `use_norm` replaces the computed global norm.

    >>> from eagerflow.ops.clip_ops import clip_by_global_norm
    >>> clipped, norm = clip_by_global_norm([tf.constant([3.0]), tf.constant([4.0])], 1.0)
    >>> [t.numpy().tolist() for t in clipped], float(norm)
    ([[0.6000000238418579], [0.800000011920929]], 5.0)
    """
    tensors = _tensor_list(t_list)
    if use_norm is None:
        use_norm = global_norm(tensors)
    use_norm = _as_tensor(use_norm)
    one = constant(1.0, use_norm.dtype)
    scale = clip_norm * math_ops.minimum(one / use_norm, one / clip_norm)
    scale = scale + (use_norm - use_norm)  # nan when the norm is inf or nan
    clipped = [None if t is None else t * math_ops.cast(scale, t.dtype) for t in tensors]
    return clipped, use_norm
