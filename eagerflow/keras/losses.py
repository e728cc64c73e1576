"""Keras losses (`keras.losses`): one plain function per formula, and thin `Loss` classes
that add the reduction over the batch, sample weights and a config.

The functions return one loss per sample (reducing the last axis, or `axis`); they take
tensors, NumPy arrays or lists, cast `y_true` to `y_pred`'s dtype and are
differentiable through `tf.GradientTape`. Probabilities are clipped to
`[epsilon, 1 - epsilon]` with Keras's `epsilon()` (1e-7) before any logarithm -- except
that the cross-entropies, as Keras's TensorFlow backend, compute from the logits behind
an output made by a Keras softmax or sigmoid (or, in a tf.function, by a Softmax or
Sigmoid op).
"""

import inspect
import warnings

import numpy as np

import eagerflow as tf
from eagerflow.framework.function.graph import graph_producer
from eagerflow.keras import backend, serialization_lib
from eagerflow.keras.activations import _l2_normalize, _log_softmax


def _tensor(x, dtype=None):
    """`x` as a tensor; cast (or converted) to `dtype` when one is given."""
    if tf.is_tensor(x):
        return x if dtype is None or x.dtype == tf.as_dtype(dtype) else tf.cast(x, dtype)
    if dtype is not None and isinstance(x, (np.ndarray, np.generic)):
        return tf.cast(tf.convert_to_tensor(x), dtype)
    if x is None:  # `fit(x)` without `y`: Keras's loss meets None in its traced step
        raise ValueError("None values not supported.")
    return tf.convert_to_tensor(x, dtype=dtype)


def _shape_text(x):
    return str(tuple(x.shape))


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks that differ by one equal, on a last axis of size 1.

    The operand with the extra size-1 axis is squeezed, unless the other one is 1-D (and
    `expand_rank_1`), which then gains the axis instead.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = tf.expand_dims(x2, axis=-1)
        else:
            x1 = tf.squeeze(x1, axis=-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = tf.expand_dims(x1, axis=-1)
        else:
            x2 = tf.squeeze(x2, axis=-1)
    return x1, x2


def _check_same_shape(target, output):
    if len(target.shape) != len(output.shape):
        raise ValueError("Arguments `target` and `output` must have the same rank (ndim). "
                         f"Received: target.shape={_shape_text(target)}, "
                         f"output.shape={_shape_text(output)}")
    if tuple(target.shape) != tuple(output.shape):
        raise ValueError("Arguments `target` and `output` must have the same shape. "
                         f"Received: target.shape={_shape_text(target)}, "
                         f"output.shape={_shape_text(output)}")


def _logits_behind(output, from_logits, op_type, fn_name):
    """`(output, from_logits)`, or `(logits, True)` when `output` is a softmax or sigmoid
    (`op_type`) of `logits`: kept on it by Keras's activations, or, in a tf.function, the
    input of the op that made it. So the loss is computed from logits, unclipped, with
    their gradient where probabilities near 0 or 1 would have none."""
    logits = getattr(output, "_keras_logits", None)
    if logits is None:
        made = graph_producer(output)
        if made is not None and made[0].op == op_type \
                and made[0].attrs.get("axis", -1) in (-1, len(output.shape) - 1):
            logits = made[1][0]
    if logits is None:
        return output, from_logits
    if from_logits:
        warnings.warn(f'"`{fn_name}` received `from_logits=True`, but the `output` argument '
                      f"was produced by a {op_type} activation and thus does not represent "
                      "logits. Was this intended?", stacklevel=2)
    return logits, True


def _binary_crossentropy(target, output, from_logits):
    """Element-wise binary cross-entropy (Keras's `ops.binary_crossentropy`)."""
    _check_same_shape(target, output)
    output, from_logits = _logits_behind(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    epsilon = backend.epsilon()
    output = tf.clip_by_value(output, epsilon, 1.0 - epsilon)
    return -(target * tf.math.log(output) + (1.0 - target) * tf.math.log(1.0 - output))


def _categorical_crossentropy(target, output, from_logits, axis):
    """Cross-entropy along `axis` (Keras's `ops.categorical_crossentropy`)."""
    if len(target.shape) < 1:
        raise ValueError("Arguments `target` and `output` must be at least rank 1. Received: "
                         f"target.shape={_shape_text(target)}, "
                         f"output.shape={_shape_text(output)}")
    _check_same_shape(target, output)
    output, from_logits = _logits_behind(output, from_logits, "Softmax",
                                         "categorical_crossentropy")
    if from_logits:
        # Composed rather than the fused op, whose logits gradient (softmax - labels) is the
        # true derivative only for labels that sum to 1.
        return -tf.reduce_sum(target * _log_softmax(output, axis=axis), axis=axis)
    # Rescale so that each distribution sums to 1, then clip away from log(0).
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    epsilon = backend.epsilon()
    output = tf.clip_by_value(output, epsilon, 1.0 - epsilon)
    return -tf.reduce_sum(target * tf.math.log(output), axis=axis)


def _sparse_categorical_crossentropy(target, output, from_logits, axis):
    """Cross-entropy with integer targets (Keras's `ops.sparse_categorical_crossentropy`)."""
    if axis != -1 and axis != len(output.shape) - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    target = tf.cast(target, tf.int64)
    if len(target.shape) == len(output.shape) and target.shape[-1] == 1:
        target = tf.squeeze(target, axis=-1)
    if len(output.shape) < 1:
        raise ValueError("Argument `output` must be at least rank 1. Received: "
                         f"output.shape={_shape_text(output)}")
    if len(target.shape) != len(output.shape) - 1:
        raise ValueError("Argument `output` must have rank (ndim) `target.ndim - 1`. "
                         f"Received: target.shape={_shape_text(target)}, "
                         f"output.shape={_shape_text(output)}")
    if tuple(target.shape) != tuple(output.shape[:-1]):
        raise ValueError("Arguments `target` and `output` must have the same shape up until "
                         f"the last dimension: target.shape={_shape_text(target)}, "
                         f"output.shape={_shape_text(output)}")
    output, from_logits = _logits_behind(output, from_logits, "Softmax",
                                         "sparse_categorical_crossentropy")
    if not from_logits:
        epsilon = backend.epsilon()
        output = tf.math.log(tf.clip_by_value(output, epsilon, 1.0 - epsilon))
    if not target.dtype.is_integer:
        target = tf.cast(target, "int32")
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)


# --- loss functions -----------------------------------------------------------------------

def _regression_inputs(y_true, y_pred):
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_squared_error(y_true, y_pred):
    """Computes the mean squared error: `mean(square(y_true - y_pred), axis=-1)`.

    >>> from eagerflow.keras import losses
    >>> losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy().tolist()
    [0.5]
    """
    y_true, y_pred = _regression_inputs(y_true, y_pred)
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Computes the mean absolute error: `mean(abs(y_true - y_pred), axis=-1)`.

    >>> from eagerflow.keras import losses
    >>> losses.mean_absolute_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy().tolist()
    [0.5]
    """
    y_true, y_pred = _regression_inputs(y_true, y_pred)
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Computes `100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`.

    >>> from eagerflow.keras import losses
    >>> losses.mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 4.0]]).numpy().tolist()
    [25.0]
    """
    y_true, y_pred = _regression_inputs(y_true, y_pred)
    difference = tf.abs((y_true - y_pred) / tf.maximum(tf.abs(y_true), backend.epsilon()))
    return 100.0 * tf.reduce_mean(difference, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Computes `mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)`, with both
    clipped below at epsilon.

    >>> from eagerflow.keras import losses
    >>> losses.mean_squared_logarithmic_error([[0.0]], [[0.0]]).numpy().tolist()
    [0.0]
    """
    y_true, y_pred = _regression_inputs(y_true, y_pred)
    epsilon = backend.epsilon()
    first_log = tf.math.log(tf.maximum(y_pred, epsilon) + 1.0)
    second_log = tf.math.log(tf.maximum(y_true, epsilon) + 1.0)
    return tf.reduce_mean(tf.square(first_log - second_log), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Computes the negated cosine similarity of `y_true` and `y_pred` along `axis`.

    The result is in [-1, 1]: -1 for vectors pointing the same way (so minimising it
    aligns them), 0 when orthogonal or when either is zero.

    >>> from eagerflow.keras import losses
    >>> losses.cosine_similarity([[0.0, 1.0]], [[0.0, 3.0]]).numpy().tolist()
    [-1.0]
    """
    y_true, y_pred = _regression_inputs(y_true, y_pred)
    y_pred = _l2_normalize(y_pred, axis=axis)
    y_true = _l2_normalize(y_true, axis=axis)
    return -tf.reduce_sum(y_true * y_pred, axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Computes the Huber loss: `0.5 * e**2` where `|e| <= delta`, else
    `delta * |e| - 0.5 * delta**2`, with `e = y_pred - y_true`; mean over the last axis.

    >>> from eagerflow.keras import losses
    >>> losses.huber([[0.0, 0.0]], [[0.5, 3.0]]).numpy().tolist()
    [1.3125]
    """
    y_true, y_pred = _regression_inputs(y_true, y_pred)
    delta = _tensor(delta, y_pred.dtype)
    error = y_pred - y_true
    abs_error = tf.abs(error)
    quadratic = 0.5 * tf.square(error)
    linear = delta * abs_error - 0.5 * tf.square(delta)
    return tf.reduce_mean(tf.where(abs_error <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """Computes `mean(log(cosh(y_pred - y_true)), axis=-1)`, stably for large errors.

    >>> from eagerflow.keras import losses
    >>> losses.log_cosh([[0.0]], [[0.0]]).numpy().tolist()
    [0.0]
    """
    y_true, y_pred = _regression_inputs(y_true, y_pred)
    error = y_pred - y_true
    return tf.reduce_mean(error + tf.math.softplus(-2.0 * error) - float(np.log(2.0)), axis=-1)


def kl_divergence(y_true, y_pred):
    """Computes the Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)`,
    both clipped to [epsilon, 1].

    >>> from eagerflow.keras import losses
    >>> losses.kl_divergence([[0.5, 0.5]], [[0.5, 0.5]]).numpy().tolist()
    [0.0]
    """
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    y_true = tf.clip_by_value(y_true, backend.epsilon(), 1.0)
    y_pred = tf.clip_by_value(y_pred, backend.epsilon(), 1.0)
    return tf.reduce_sum(y_true * tf.math.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """Computes the Poisson loss `mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`.

    >>> from eagerflow.keras import losses
    >>> losses.poisson([[0.0, 0.0]], [[1.0, 3.0]]).numpy().tolist()
    [2.0]
    """
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    return tf.reduce_mean(y_pred - y_true * tf.math.log(y_pred + backend.epsilon()), axis=-1)


def _hinge_labels(y_true):
    """Labels in {0, 1} become {-1, 1}; other labels (already -1/1) are kept."""
    is_binary = tf.reduce_all(tf.logical_or(tf.equal(y_true, 0.0), tf.equal(y_true, 1.0)))
    return tf.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """Computes the hinge loss `mean(max(1 - y_true * y_pred, 0), axis=-1)`.

    `y_true` holds -1/1 labels; 0/1 labels are converted to -1/1.

    >>> from eagerflow.keras import losses
    >>> losses.hinge([[1.0, 0.0]], [[0.5, -2.0]]).numpy().tolist()
    [0.25]
    """
    y_pred = _tensor(y_pred)
    y_true = _hinge_labels(_tensor(y_true, y_pred.dtype))
    return tf.reduce_mean(tf.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """Computes the squared hinge loss `mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`.

    >>> from eagerflow.keras import losses
    >>> losses.squared_hinge([[1.0, 0.0]], [[0.5, -2.0]]).numpy().tolist()
    [0.125]
    """
    y_pred = _tensor(y_pred)
    y_true = _hinge_labels(_tensor(y_true, y_pred.dtype))
    return tf.reduce_mean(tf.square(tf.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Computes `max(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)` and
    `neg = max((1 - y_true) * y_pred)` over the last axis.

    >>> from eagerflow.keras import losses
    >>> losses.categorical_hinge([[0.0, 1.0]], [[0.5, 2.0]]).numpy().tolist()
    [0.0]
    """
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    positive = tf.reduce_sum(y_true * y_pred, axis=-1)
    negative = tf.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return tf.maximum(negative - positive + 1.0, 0.0)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Computes the Tversky loss `1 - tp / (tp + alpha * fn + beta * fp)` (as Keras 3
    weighs them), the soft counts summed over `axis` (None: over everything, giving one
    scalar).

    >>> from eagerflow.keras import losses
    >>> round(float(losses.tversky([[1.0, 0.0]], [[0.5, 0.5]], alpha=0.3, beta=0.7)), 5)
    0.5
    """
    y_pred = _tensor(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = tf.cast(y_pred, backend.floatx())
    y_true = _tensor(y_true, y_pred.dtype)
    true_positives = tf.reduce_sum(y_true * y_pred, axis=axis)
    false_positives = tf.reduce_sum((1.0 - y_true) * y_pred, axis=axis)
    false_negatives = tf.reduce_sum(y_true * (1.0 - y_pred), axis=axis)
    denominator = true_positives + alpha * false_negatives + beta * false_positives
    return 1.0 - _divide_no_nan(true_positives, denominator)


def dice(y_true, y_pred, axis=None):
    """Computes the Dice loss `1 - 2 * sum(y_true * y_pred) / (sum(y_true) +
    sum(y_pred))` over `axis` (None: over everything): the Tversky loss with
    `alpha = beta = 0.5`.

    >>> from eagerflow.keras import losses
    >>> round(float(losses.dice([[1.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])), 5)
    0.2
    """
    return tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=axis)


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Computes the Circle loss (Sun et al., 2020) of integer labels `y_true` and
    L2-normalized embeddings `y_pred` against reference labels and embeddings (default:
    the batch itself), one value per sample.

    Each similarity `s` (a dot product) is weighted by how far it is from its optimum:
    positives (same label) by `relu(1 + margin - s)` around `1 - margin`, negatives by
    `relu(s + margin)` around `margin`; the loss is `softplus(logsumexp(negative logits) +
    logsumexp(positive logits))`, scaled by `gamma`.

    >>> from eagerflow.keras import losses
    >>> embeddings = [[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]]
    >>> values = losses.circle([0, 0, 1], embeddings, gamma=2.0)
    >>> [round(v, 4) for v in values.numpy().tolist()]
    [0.5459, 1.2842, 0.0]
    """
    y_pred = _tensor(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = tf.cast(y_pred, backend.floatx())
    y_true = tf.cast(_tensor(y_true), "int32")
    ref_embeddings = y_pred if ref_embeddings is None else _tensor(ref_embeddings, y_pred.dtype)
    ref_labels = y_true if ref_labels is None else tf.cast(_tensor(ref_labels), "int32")
    similarity = tf.matmul(y_pred, ref_embeddings, transpose_b=True)
    positive, negative = _circle_masks(y_true, ref_labels, remove_diagonal, y_pred.dtype)
    positive_logits = -gamma * tf.nn.relu(1.0 + margin - similarity) * (
        similarity - (1.0 - margin))
    negative_logits = gamma * tf.nn.relu(similarity + margin) * (similarity - margin)
    return tf.nn.softplus(_masked_logsumexp(negative_logits, negative) +
                          _masked_logsumexp(positive_logits, positive))


def _circle_masks(labels, ref_labels, remove_diagonal, dtype):
    """The positive (same label; off the diagonal with `remove_diagonal`, as Keras, also
    against given references) and negative pair masks of `circle`, as 0/1 in `dtype`."""
    same = tf.equal(tf.reshape(labels, [-1, 1]), tf.reshape(ref_labels, [1, -1]))
    positive = tf.cast(same, dtype)
    negative = 1.0 - positive
    if remove_diagonal:
        positive = positive * (1.0 - tf.eye(positive.shape[0], positive.shape[1],
                                             dtype=dtype))
    return positive, negative


def _masked_logsumexp(logits, mask):
    """`log(sum(mask * exp(logits)))` along the last axis, computed stably (-inf for an
    empty mask)."""
    negative_infinity = tf.constant(-float("inf"), logits.dtype)
    masked = tf.where(mask > 0, logits, tf.fill(tf.shape(logits), negative_infinity))
    largest = tf.reduce_max(masked, axis=-1, keepdims=True)
    largest = tf.where(tf.math.is_finite(largest), largest, tf.zeros_like(largest))
    total = tf.reduce_sum(tf.exp(masked - largest), axis=-1)
    empty = tf.equal(total, 0.0)  # kept out of the log, so that gradients stay finite
    result = tf.math.log(tf.where(empty, tf.ones_like(total), total)) + tf.squeeze(largest, -1)
    return tf.where(empty, tf.fill(tf.shape(total), negative_infinity), result)


def _check_axis(axis):
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")


def _warn_single_class(name, y_pred):
    if len(y_pred.shape) and y_pred.shape[-1] == 1:
        warnings.warn(f"In loss {name}, expected y_pred.shape to be (batch_size, num_classes) "
                      f"with num_classes > 1. Received: y_pred.shape={_shape_text(y_pred)}. "
                      "Consider using 'binary_crossentropy' if you only have 2 classes.",
                      SyntaxWarning, stacklevel=3)


def _smooth_categorical(y_true, label_smoothing):
    num_classes = y_true.shape[-1]
    return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Computes the categorical cross-entropy between one-hot (or soft) labels and
    predicted probabilities (or logits, with `from_logits=True`), along `axis`.

    Args:
      y_true: labels, the same shape as `y_pred`.
      y_pred: probabilities (rescaled to sum to 1, then clipped), or logits.
      from_logits: whether `y_pred` holds logits.
      label_smoothing: in [0, 1]; the labels become
        `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
      axis: the class axis.

    >>> from eagerflow.keras import losses
    >>> loss = losses.categorical_crossentropy([[0.0, 1.0, 0.0]], [[0.05, 0.95, 0.0]])
    >>> [round(v, 4) for v in loss.numpy().tolist()]
    [0.0513]
    """
    _check_axis(axis)
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    _warn_single_class("categorical_crossentropy", y_pred)
    if label_smoothing:
        y_true = _smooth_categorical(y_true, label_smoothing)
    return _categorical_crossentropy(y_true, y_pred, from_logits, axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Computes the categorical focal cross-entropy (Lin et al., 2017):
    `sum(-alpha * (1 - p)**gamma * y_true * log(p), axis)`, down-weighting the classes
    the model already predicts well.

    >>> from eagerflow.keras import losses
    >>> loss = losses.categorical_focal_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
    >>> [round(v, 5) for v in loss.numpy().tolist()]
    [0.04332]
    """
    _check_axis(axis)
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    _warn_single_class("categorical_focal_crossentropy", y_pred)
    if label_smoothing:
        y_true = _smooth_categorical(y_true, label_smoothing)
    if from_logits:
        y_pred = tf.nn.softmax(y_pred, axis=axis)
    output = y_pred / tf.reduce_sum(y_pred, axis=axis, keepdims=True)
    epsilon = backend.epsilon()
    output = tf.clip_by_value(output, epsilon, 1.0 - epsilon)
    crossentropy = -y_true * tf.math.log(output)
    modulating_factor = tf.pow(1.0 - output, _tensor(gamma, output.dtype))
    return tf.reduce_sum(modulating_factor * alpha * crossentropy, axis=axis)


def _sparse_crossentropy_and_mask(y_true, y_pred, from_logits=False, ignore_class=None,
                                  axis=-1):
    """The sparse cross-entropy and, with `ignore_class`, the mask of the kept entries."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = tf.squeeze(y_true, axis=axis)
    if ignore_class is None:
        return _sparse_categorical_crossentropy(y_true, y_pred, from_logits, axis), None
    valid = tf.not_equal(y_true, tf.cast(ignore_class, y_true.dtype))
    y_true = tf.where(valid, y_true, tf.zeros_like(y_true))
    y_pred = tf.where(tf.expand_dims(valid, axis), y_pred, tf.zeros_like(y_pred))
    result = _sparse_categorical_crossentropy(y_true, y_pred, from_logits, axis)
    valid = tf.reshape(valid, tuple(result.shape))
    return tf.where(valid, result, tf.zeros_like(result)), valid


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Computes the categorical cross-entropy with integer class labels.

    Args:
      y_true: integer labels, shaped as `y_pred` without its class axis (or with a
        trailing axis of size 1).
      y_pred: probabilities (clipped to [epsilon, 1 - epsilon]), or logits.
      from_logits: whether `y_pred` holds logits.
      ignore_class: a label whose entries get loss 0 (e.g. a padding class); the `Loss`
        class also leaves them out of the average.
      axis: the class axis; only the last one is supported.

    >>> from eagerflow.keras import losses
    >>> loss = losses.sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0.0],
    ...                                                        [0.1, 0.8, 0.1]])
    >>> [round(v, 4) for v in loss.numpy().tolist()]
    [0.0513, 2.3026]
    """
    return _sparse_crossentropy_and_mask(y_true, y_pred, from_logits, ignore_class, axis)[0]


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Computes the binary cross-entropy, averaged over `axis`.

    Args:
      y_true: labels in [0, 1], the same shape as `y_pred`.
      y_pred: probabilities (clipped to [epsilon, 1 - epsilon]), or logits.
      from_logits: whether `y_pred` holds logits.
      label_smoothing: in [0, 1]; labels are squeezed towards 0.5:
        `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
      axis: the axis to average over.

    >>> from eagerflow.keras import losses
    >>> loss = losses.binary_crossentropy([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> [round(v, 4) for v in loss.numpy().tolist()]
    [0.9163, 0.7136]
    """
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return tf.reduce_mean(_binary_crossentropy(y_true, y_pred, from_logits), axis=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Computes the binary focal cross-entropy (Lin et al., 2017): the binary
    cross-entropy scaled by `(1 - p_t)**gamma`, where `p_t` is the probability of the true
    label; with `apply_class_balancing`, also by `alpha` for 1s and `1 - alpha` for 0s.

    >>> from eagerflow.keras import losses
    >>> loss = losses.binary_focal_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
    >>> [round(v, 5) for v in loss.numpy().tolist()]
    [0.17329]
    """
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = tf.sigmoid(y_pred)
    crossentropy = _binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
    focal = tf.pow(1.0 - p_t, _tensor(gamma, p_t.dtype)) * crossentropy
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return tf.reduce_mean(focal, axis=axis)


# tf.keras's extra names for the same functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


# --- reduction ------------------------------------------------------------------------

_REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


class Reduction:
    """tf.keras's legacy names of the reductions."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


def standardize_reduction(reduction):
    """Returns `reduction` if it is one Keras knows, else raises ValueError."""
    if reduction not in _REDUCTIONS:
        expected = "{" + ", ".join(repr(r) for r in _REDUCTIONS) + "}"
        raise ValueError("Invalid value for argument `reduction`. Expected one of "
                         f"{expected}. Received: reduction={reduction}")
    return reduction


def _divide_no_nan(x, y):
    zero = tf.equal(y, 0.0)
    return tf.where(zero, tf.zeros_like(x), x / tf.where(zero, tf.ones_like(y), y))


def _element_count(x):
    return float(np.prod(tuple(x.shape), dtype=np.int64))


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces weighted per-sample losses: "sum", or the sum divided by the number of
    elements ("sum_over_batch_size", "mean") or by the sum of the weights
    ("mean_with_sample_weight"); scalars, empty vectors and "none"/None pass through."""
    if reduction is None or reduction == "none" or tuple(values.shape) in ((), (0,)):
        return values
    loss = tf.reduce_sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = tf.cast(tf.reduce_sum(sample_weight), loss.dtype)
    else:
        divisor = tf.constant(_element_count(values), loss.dtype)
    return _divide_no_nan(loss, divisor)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean `mask` into the sample weights.

    For the averaging reductions the kept entries are weighted `total / kept`, so that
    dividing by the number of elements averages over the kept entries only.
    """
    if mask is None:
        return sample_weight
    mask = tf.cast(mask, tf.bool)
    if reduction in ("mean", "sum_over_batch_size"):
        total = tf.constant(_element_count(mask), dtype)
        kept = tf.reduce_sum(tf.cast(mask, dtype))
        float_mask = tf.where(mask, _divide_no_nan(total, kept), tf.zeros((), dtype))
    else:
        float_mask = tf.cast(mask, dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask,
                                                               tf.cast(sample_weight, dtype))
    return sample_weight * float_mask


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weights per-sample losses by `sample_weight` and `mask`, then reduces them.

    Sample weights broadcast against the losses after a trailing size-1 axis is
    squeezed or added (see `squeeze_or_expand_to_same_rank`).

    >>> from eagerflow.keras import losses
    >>> float(losses.reduce_weighted_values(tf.constant([1.0, 3.0]), sample_weight=[1.0, 0.0]))
    0.5
    """
    reduction = standardize_reduction(reduction)
    values = _tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = _tensor(sample_weight, dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = tf.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


# --- Loss classes -----------------------------------------------------------------------

class Loss:
    """Base class of losses: subclasses implement `call(y_true, y_pred)`, returning one
    loss per sample; `__call__` converts the inputs, weights and reduces.

    Args:
      name: the loss's name (default: from the class name).
      reduction: "sum_over_batch_size" (default: the mean over all loss elements),
        "sum", "mean" (the same as "sum_over_batch_size"), "mean_with_sample_weight"
        (the weighted sum divided by the sum of the weights), or "none"/None (no
        reduction).
      dtype: the dtype the inputs are cast to and the loss is computed in
        (default: `keras.backend.floatx()`, "float32").

    >>> from eagerflow.keras import losses
    >>> class MeanError(losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return tf.reduce_mean(y_pred - y_true, axis=-1)
    >>> float(MeanError()([[0.0, 0.0]], [[1.0, 3.0]]))
    2.0
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or backend.unique_name(backend.to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = tf.as_dtype(dtype or backend.floatx()).name

    @property
    def dtype(self):
        """The dtype of the loss's computations, as a string ("float32")."""
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Returns the reduced loss of `y_pred` against `y_true`.

        Args:
          y_true: the labels.
          y_pred: the predictions.
          sample_weight: None, a scalar, or per-sample (or per-element) weights.
        """
        input_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = _tensor(y_pred, self.dtype)
        y_true = _tensor(y_true, self.dtype)
        losses, output_mask = self._losses_and_mask(y_true, y_pred)
        if input_mask is not None and output_mask is not None:
            mask = tf.logical_and(tf.cast(input_mask, tf.bool), tf.cast(output_mask, tf.bool))
        else:
            mask = output_mask if input_mask is None else input_mask
        return reduce_weighted_values(losses, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction, dtype=self.dtype)

    def _losses_and_mask(self, y_true, y_pred):
        losses = self.call(y_true, y_pred)
        return losses, getattr(losses, "_keras_mask", None)

    def call(self, y_true, y_pred):
        """Returns the unreduced losses; subclasses implement it."""
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A `Loss` computed by `fn(y_true, y_pred, **kwargs)`.

    >>> from eagerflow.keras import losses
    >>> loss = losses.LossFunctionWrapper(losses.huber, delta=0.5)
    >>> float(loss([[0.0]], [[2.0]]))
    0.875
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = {**Loss.get_config(self), **self._fn_kwargs}
        # The loss classes below fix `fn` themselves; only a bare wrapper records it.
        if "fn" in inspect.signature(type(self).__init__).parameters:
            config["fn"] = serialize(self.fn)
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = {**config, "fn": deserialize(config["fn"])}
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class MeanSquaredError(LossFunctionWrapper):
    """Computes the mean of squares of errors between labels and predictions.

    >>> from eagerflow.keras import losses
    >>> float(losses.MeanSquaredError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error",
                 dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Computes the mean of absolute errors between labels and predictions.

    >>> from eagerflow.keras import losses
    >>> float(losses.MeanAbsoluteError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error",
                 dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Computes the mean absolute percentage error between labels and predictions.

    >>> from eagerflow.keras import losses
    >>> float(losses.MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 4.0]]))
    25.0
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Computes the mean squared logarithmic error between labels and predictions.

    >>> from eagerflow.keras import losses
    >>> float(losses.MeanSquaredLogarithmicError()([[1.0]], [[1.0]]))
    0.0
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Computes the negated cosine similarity between labels and predictions along `axis`.

    >>> from eagerflow.keras import losses
    >>> loss = losses.CosineSimilarity()
    >>> round(float(loss([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])), 4)
    -0.5
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)


class Huber(LossFunctionWrapper):
    """Computes the Huber loss: quadratic for errors up to `delta`, linear beyond.

    >>> from eagerflow.keras import losses
    >>> float(losses.Huber()([[0.0, 0.0]], [[0.5, 3.0]]))
    1.3125
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    """Computes the logarithm of the hyperbolic cosine of the prediction error.

    >>> from eagerflow.keras import losses
    >>> float(losses.LogCosh()([[0.0]], [[0.0]]))
    0.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


class Hinge(LossFunctionWrapper):
    """Computes the hinge loss between -1/1 (or 0/1) labels and predictions.

    >>> from eagerflow.keras import losses
    >>> float(losses.Hinge()([[1.0, 0.0]], [[0.5, -2.0]]))
    0.25
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Computes the squared hinge loss between -1/1 (or 0/1) labels and predictions.

    >>> from eagerflow.keras import losses
    >>> float(losses.SquaredHinge()([[1.0, 0.0]], [[0.5, -2.0]]))
    0.125
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Computes the categorical hinge loss between one-hot labels and predictions.

    >>> from eagerflow.keras import losses
    >>> float(losses.CategoricalHinge()([[0.0, 1.0]], [[0.5, 1.0]]))
    0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)


class KLDivergence(LossFunctionWrapper):
    """Computes the Kullback-Leibler divergence between label and predicted distributions.

    >>> from eagerflow.keras import losses
    >>> float(losses.KLDivergence()([[0.5, 0.5]], [[0.5, 0.5]]))
    0.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Tversky(LossFunctionWrapper):
    """Computes the Tversky loss, `1 - tp / (tp + alpha * fn + beta * fp)` with soft
    counts summed over `axis` (None: over the whole batch).

    >>> from eagerflow.keras import losses
    >>> loss = losses.Tversky(alpha=0.3, beta=0.7)
    >>> round(float(loss([[1.0, 0.0]], [[0.5, 0.5]])), 5)
    0.5
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky",
                 axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha,
                         beta=beta, axis=axis)


class Dice(LossFunctionWrapper):
    """Computes the Dice loss, `1 - 2 * sum(y_true * y_pred) / (sum(y_true) +
    sum(y_pred))` over `axis` (None: over the whole batch).

    >>> from eagerflow.keras import losses
    >>> loss = losses.Dice(axis=1, reduction="none")
    >>> values = loss([[1.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])
    >>> [round(v, 5) for v in values.numpy().tolist()]
    [0.0, 0.33333]
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)


class Circle(LossFunctionWrapper):
    """Computes the Circle loss (Sun et al., 2020) of integer labels against
    L2-normalized embeddings, the batch serving as its own reference (see `circle`).

    >>> from eagerflow.keras import losses
    >>> loss = losses.Circle(gamma=2.0)
    >>> round(float(loss([0, 0, 1], [[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])), 4)
    0.915
    """

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)

    def _losses_and_mask(self, y_true, y_pred):
        # As Keras: samples without a positive pair are masked out of the reduction.
        losses = self.fn(y_true, y_pred, **self._fn_kwargs)
        labels = tf.cast(y_true, "int32")
        positive, _ = _circle_masks(labels, labels, self._fn_kwargs["remove_diagonal"],
                                    losses.dtype)
        return losses, tf.reduce_any(positive > 0, axis=-1)


class Poisson(LossFunctionWrapper):
    """Computes the Poisson loss between labels (counts) and predicted rates.

    >>> from eagerflow.keras import losses
    >>> float(losses.Poisson()([[0.0, 0.0]], [[1.0, 3.0]]))
    2.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    """Computes the cross-entropy between binary labels and predicted probabilities
    (or logits, with `from_logits=True`); see `binary_crossentropy`.

    >>> from eagerflow.keras import losses
    >>> loss = losses.BinaryCrossentropy(from_logits=True)
    >>> round(float(loss([[0.0, 1.0]], [[-2.0, 2.0]])), 5)
    0.12693
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Computes the focal cross-entropy between binary labels and predictions; see
    `binary_focal_crossentropy`.

    >>> from eagerflow.keras import losses
    >>> round(float(losses.BinaryFocalCrossentropy(gamma=0.0)([[1.0]], [[0.5]])), 5)
    0.69315
    """

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalCrossentropy(LossFunctionWrapper):
    """Computes the cross-entropy between one-hot labels and predicted probabilities
    (or logits, with `from_logits=True`); see `categorical_crossentropy`.

    >>> from eagerflow.keras import losses
    >>> round(float(losses.CategoricalCrossentropy()([[0.0, 1.0]], [[0.5, 0.5]])), 5)
    0.69315
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Computes the focal cross-entropy between one-hot labels and predictions; see
    `categorical_focal_crossentropy`.

    >>> from eagerflow.keras import losses
    >>> loss = losses.CategoricalFocalCrossentropy(alpha=1.0, gamma=0.0)
    >>> round(float(loss([[0.0, 1.0]], [[0.5, 0.5]])), 5)
    0.69315
    """

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy",
                 dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Computes the cross-entropy between integer labels and predicted probabilities
    (or logits); entries labelled `ignore_class` are left out of the average.

    >>> from eagerflow.keras import losses
    >>> loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    >>> round(float(loss([0, 1], [[5.0, 0.0], [0.0, 0.0]])), 5)
    0.69315
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def _losses_and_mask(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return _sparse_crossentropy_and_mask(y_true, y_pred, **self._fn_kwargs)


# --- lookup -----------------------------------------------------------------------------

_CLASSES = (Loss, LossFunctionWrapper, KLDivergence, Poisson, BinaryCrossentropy,
            BinaryFocalCrossentropy, CategoricalCrossentropy, CategoricalFocalCrossentropy,
            SparseCategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity,
            LogCosh, Huber, Hinge, SquaredHinge, CategoricalHinge, Tversky, Dice, Circle)
_FUNCTIONS = (kl_divergence, poisson, binary_crossentropy, binary_focal_crossentropy,
              categorical_crossentropy, categorical_focal_crossentropy,
              sparse_categorical_crossentropy, mean_squared_error, mean_absolute_error,
              mean_absolute_percentage_error, mean_squared_logarithmic_error,
              cosine_similarity, log_cosh, huber, hinge, squared_hinge, categorical_hinge,
              tversky, dice, circle)
_BY_NAME = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
_BY_NAME.update(bce=binary_crossentropy, BCE=binary_crossentropy, kld=kl_divergence,
                KLD=kl_divergence, mae=mean_absolute_error, MAE=mean_absolute_error,
                mse=mean_squared_error, MSE=mean_squared_error,
                mape=mean_absolute_percentage_error, MAPE=mean_absolute_percentage_error,
                msle=mean_squared_logarithmic_error, MSLE=mean_squared_logarithmic_error)


def serialize(loss):
    """Returns the config of a loss function or `Loss` object in Keras's format.

    >>> from eagerflow.keras import losses
    >>> losses.serialize(losses.mean_squared_error)["config"]
    'mean_squared_error'
    """
    if loss is None:
        return None
    return serialization_lib.serialize_object(loss, "keras.losses", _BY_NAME, functions=True)


def deserialize(name, custom_objects=None):
    """Returns the loss function or a new `Loss` object described by `name`: a name or a
    dict produced by `serialize`.

    >>> from eagerflow.keras import losses
    >>> losses.deserialize("mse") is losses.mean_squared_error
    True
    """
    return serialization_lib.deserialize_object(name, _BY_NAME, custom_objects, "loss",
                                                functions=True)


def get(identifier):
    """Returns a loss for `identifier`: a function or class name ("mse",
    "categorical_crossentropy", "CategoricalCrossentropy"), a serialized dict, a class
    (instantiated) or a callable (returned as is); None gives None.

    >>> from eagerflow.keras import losses
    >>> losses.get("CategoricalCrossentropy").name
    'categorical_crossentropy'

    Raises:
      ValueError: for an unknown name or a value that is not callable.
    """
    return serialization_lib.get_object(identifier, _BY_NAME, deserialize, "loss")
