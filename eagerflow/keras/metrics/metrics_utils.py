"""Shape and value helpers the metrics share, written with `tf` ops.

Some stand in for ops the `tf` surface does not offer yet (`tf.math.divide_no_nan`,
`tf.math.in_top_k`, `tf.math.top_k`, `tf.math.is_finite`, `tf.clip_by_value`); each says
so and can become a one-line call once the op exists.
"""

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend


def as_tensor(x, dtype=None):
    """`x` as a Tensor, cast to `dtype` when given (a Tensor of another dtype is cast, as
    Keras's `ops.convert_to_tensor` does, rather than refused)."""
    if not tf.is_tensor(x):
        x = tf.convert_to_tensor(x)
    if dtype is not None and x.dtype != tf.as_dtype(dtype):
        x = tf.cast(x, dtype)
    return x


def as_float(x):
    """`x` as a Tensor of a float dtype: kept when it is one, else cast to floatx."""
    x = as_tensor(x)
    return x if x.dtype.is_floating else tf.cast(x, backend.floatx())


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks that differ by one equal, dropping (or, for rank 1, adding) a last
    axis of size 1 as Keras does before comparing labels with predictions."""
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = tf.expand_dims(x2, -1)
        else:
            x1 = tf.squeeze(x1, -1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = tf.expand_dims(x1, -1)
        else:
            x2 = tf.squeeze(x2, -1)
    return x1, x2


def class_mask(labels, num_classes):
    """A boolean one-hot of integer `labels` over a new last axis of `num_classes`
    (all False for a label out of range)."""
    classes = tf.range(num_classes, dtype=labels.dtype)
    return tf.equal(tf.expand_dims(labels, -1), classes)


def top_k_mask(x, k):
    """True at the `k` largest entries along the last axis, the lower index first among
    equals, as `tf.math.top_k` picks them."""
    count = x.shape[-1]
    indices = tf.math.top_k(x, k=min(k, count)).indices
    return tf.reduce_any(class_mask(indices, count), axis=-2)


def l2_normalize(x, axis=-1):
    """`x` over its L2 norm along `axis`, a zero vector staying zero (as Keras normalizes)."""
    square_sum = tf.reduce_sum(tf.square(x), axis=axis, keepdims=True)
    inverse_norm = tf.minimum(tf.math.rsqrt(square_sum), 1.0 / backend.epsilon())
    return x * inverse_norm


def is_evenly_distributed(thresholds):
    """Whether `thresholds` are `i / (n - 1)` for `i` in `0..n-1` (n >= 3), which lets the
    confusion counts use bucket indices, as Keras does."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=backend.epsilon()))
