"""The losses of `tf.nn`: softmax and sigmoid cross-entropies from logits, `l2_loss`,
`log_poisson_loss`, and the averaging helpers of custom training loops.

The cross-entropies are fused primitives: one NumPy pass through a log-sum-exp (softmax)
or `max(x, 0) + log1p(exp(-|x|))` (sigmoid), so large logits neither overflow nor lose
precision, and gradients written from the closed forms rather than through the log.
"""

import math

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.array_reductions import reduce_axis
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.op import op_error, primitive, tf_type_name
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops.nn_ops import (
    log_softmax, log_sum_exp_shifted, shifted_logits, softmax, softmax_array, softmax_backprop)
from eagerflow.ops.reduction_ops import reduce_sum

_FLOATING = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def _dims_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _ensure_xent_args(name, labels, logits):
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for {name}"
                         f"Received: labels={labels} and logits={logits}")


def _check_same_shape(labels, logits, labels_name="labels", logits_name="logits"):
    if labels.shape != logits.shape:
        raise ValueError(f"`{logits_name}` and `{labels_name}` must have the same shape, "
                         f"received ({logits.shape} vs {labels.shape}).")


def _in_float32_if_half(fn, logits, *args):
    """`fn(logits, ...)` with float16 logits computed in float32, as TensorFlow does."""
    if logits.dtype != dtypes.float16:
        return fn(logits, *args)
    return math_ops.cast(fn(math_ops.cast(logits, dtypes.float32), *args), dtypes.float16)


# --- softmax cross-entropy ----------------------------------------------------------------

def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Computes softmax cross entropy between `logits` and `labels` along `axis`.

    Each slice along `axis` of `labels` is a probability distribution over classes (one-hot
    or soft); the loss is `-sum(labels * log_softmax(logits))`, computed through a
    log-sum-exp so that large logits are exact. `labels` are cast to `logits`' dtype and
    broadcast to its shape. Gradients flow to both `logits` and `labels`.

    Args:
      labels: class probabilities, of `logits`' shape (or broadcastable to it).
      logits: unscaled log-probabilities, half, float32 or float64 (half is computed in
        float32).
      axis: the class axis.

    Returns:
      The loss, of `logits`' shape without `axis`, in `logits`' dtype.

    >>> from eagerflow.ops.nn_losses import softmax_cross_entropy_with_logits
    >>> loss = softmax_cross_entropy_with_logits([[0.0, 1.0]], [[0.0, 0.0]])
    >>> [round(v, 6) for v in loss.numpy().tolist()]
    [0.693147]
    """
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    axis = -1 if axis is None else axis

    def xent(precise_logits):
        return _softmax_xent(math_ops.cast(labels, precise_logits.dtype), precise_logits,
                             axis=axis)
    return _in_float32_if_half(xent, logits)


def _class_axis(op_name, axis, ndim):
    axis = int(np.asarray(axis))
    if ndim == 0:
        raise op_error(op_name, "logits must have >= 1 dimension, got []")
    if not -ndim <= axis < ndim:
        raise op_error(op_name, f"`axis` must be in the range [{-ndim}, {ndim}) where {ndim} "
                                f"is the number of dimensions in the input. Received: "
                                f"axis={axis}")
    return axis % ndim


@primitive("SoftmaxCrossEntropyWithLogits", dtypes="floating")
def _softmax_xent(labels, logits, axis=-1):
    op_name = "SoftmaxCrossEntropyWithLogits"
    axis = _class_axis(op_name, axis, logits.ndim)
    try:
        labels = np.broadcast_to(labels, logits.shape)
    except ValueError:
        raise op_error(op_name, (
            f"logits and labels must be broadcastable: logits_size={_dims_text(logits.shape)} "
            f"labels_size={_dims_text(labels.shape)}")) from None
    if logits.shape[axis] == 0:  # no classes: an empty sum
        return np.zeros(logits.shape[:axis] + logits.shape[axis + 1:], logits.dtype)
    shifted = shifted_logits(logits, axis)
    negative_log_probs = np.subtract(log_sum_exp_shifted(shifted, axis), shifted, out=shifted)
    negative_log_probs *= labels
    return np.asarray(reduce_axis(np.add, negative_log_probs, axis), logits.dtype)


@_softmax_xent.gradient
def _softmax_xent_grad(op, dy):
    labels, logits = op.inputs
    needs_labels, needs_logits = op.needs_grad
    axis = _class_axis(op.type, op.attrs["axis"], logits.shape.rank)
    dy = array_ops.expand_dims(dy, axis)
    return [dy * -log_softmax(logits, axis) if needs_labels else None,
            dy * (softmax(logits, axis) - labels) if needs_logits else None]


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Computes softmax cross entropy between `logits` and integer class indices `labels`.

    The loss for each row is `-log_softmax(logits)[label]`, computed through a log-sum-exp.
    A label outside `[0, num_classes)` is an error.

    Args:
      labels: int32 or int64 class indices, of `logits`' shape without the last axis.
      logits: unscaled log-probabilities `[..., num_classes]`, half, float32 or float64
        (half is computed in float32).

    Returns:
      The loss, of `labels`' shape, in `logits`' dtype.

    Raises:
      ValueError: for a scalar `logits`, or `labels` of the wrong shape.
      InvalidArgumentError: for a label out of range.

    >>> from eagerflow.ops.nn_losses import sparse_softmax_cross_entropy_with_logits
    >>> loss = sparse_softmax_cross_entropy_with_logits([1], [[0.0, 0.0]])
    >>> [round(v, 6) for v in loss.numpy().tolist()]
    [0.693147]
    """
    _ensure_xent_args("sparse_softmax_cross_entropy_with_logits", labels, logits)
    labels = convert_to_tensor(labels)
    logits = convert_to_tensor(logits)
    if logits.shape.rank == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={logits}`")
    if labels.shape.rank != logits.shape.rank - 1:
        raise ValueError(
            "`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
            f"labels.shape={labels.shape} of rank {labels.shape.rank} and "
            f"logits.shape={logits.shape} of rank {logits.shape.rank}")
    if labels.shape != logits.shape[:-1]:
        raise ValueError("`labels.shape` must equal `logits.shape` except for the last "
                         f"dimension. Received: labels.shape={labels.shape} and "
                         f"logits.shape={logits.shape}")
    return _in_float32_if_half(_sparse_softmax_xent, logits, labels)


@primitive("SparseSoftmaxCrossEntropyWithLogits", same_dtype=False)
def _sparse_softmax_xent(logits, labels):
    if logits.dtype not in _FLOATING:
        raise ValueError(f"Value for attr 'T' of {_type_name(logits)} is not in the list of "
                         "allowed values: half, float, double")
    if labels.dtype not in (np.int32, np.int64):
        raise ValueError(f"Value for attr 'Tlabels' of {_type_name(labels)} is not in the "
                         "list of allowed values: int32, int64")
    classes = logits.shape[-1]
    if classes == 0:
        raise ValueError("Must have at least one class, but got logits shape "
                         f"{_dims_text(logits.shape)}")
    # Negative labels wrap to large unsigned values: one comparison finds both kinds.
    unsigned = labels.view(np.uint32 if labels.dtype.itemsize == 4 else np.uint64)
    if np.greater_equal(unsigned, classes).any():
        outside = (labels < 0) | (labels >= classes)
        values = " ".join(str(v) for v in labels.ravel().tolist())
        raise ValueError(f"Received a label value of {labels[outside].flat[0]} which is "
                         f"outside the valid range of [0, {classes}).  Label values: {values}")
    shifted = shifted_logits(logits, -1)
    log_total = log_sum_exp_shifted(shifted, -1).reshape(labels.shape)
    rows = shifted.reshape(-1, classes)
    picked = rows[np.arange(len(rows)), labels.reshape(-1)].reshape(labels.shape)
    return np.asarray(log_total - picked, logits.dtype)


def _type_name(array):
    return tf_type_name(dtypes.from_numpy(array.dtype))


@_sparse_softmax_xent.gradient
def _sparse_softmax_xent_grad(op, dy):
    logits, labels = op.inputs
    return [array_ops.expand_dims(dy, -1) * _sparse_softmax_xent_backprop(logits, labels), None]


@primitive("SparseSoftmaxCrossEntropyBackprop", same_dtype=False)
def _sparse_softmax_xent_backprop(logits, labels):
    # softmax(logits) - one_hot(labels), the loss's gradient per unit of loss, in one pass
    # (TensorFlow's kernel returns it as the op's second output). The labels were checked
    # by the loss.
    backprop = softmax_array(logits, -1)
    rows = backprop.reshape(-1, backprop.shape[-1])
    rows[np.arange(len(rows)), labels.reshape(-1)] -= 1
    return backprop


@_sparse_softmax_xent_backprop.gradient
def _sparse_softmax_xent_backprop_grad(op, ddy):
    return [softmax_backprop(softmax(op.inputs[0]), ddy, -1), None]


# --- sigmoid cross-entropies --------------------------------------------------------------

def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Computes sigmoid cross entropy given `logits`, for independent binary labels.

    With `x = logits` and `z = labels` the loss is `z * -log(sigmoid(x)) + (1 - z) *
    -log(1 - sigmoid(x))`, computed as `max(x, 0) - x * z + log(1 + exp(-abs(x)))` so
    that it neither overflows nor loses precision for large `|x|`.

    Args:
      labels: targets in [0, 1], of `logits`' shape and dtype.
      logits: unscaled log-odds, half, float32 or float64.

    Returns:
      The element-wise loss, of `logits`' shape.

    Raises:
      ValueError: when `labels` or `logits` is missing or their shapes differ.

    >>> from eagerflow.ops.nn_losses import sigmoid_cross_entropy_with_logits
    >>> loss = sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[-100.0, 100.0])
    >>> loss.numpy().tolist()
    [100.0, 100.0]
    """
    _ensure_xent_args("sigmoid_cross_entropy_with_logits", labels, logits)
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    _check_same_shape(labels, logits)
    if labels.dtype != logits.dtype:
        # TensorFlow's first op mixing the two is `logits * labels` (`-` for bool labels).
        op_name = "Sub" if labels.dtype == dtypes.bool else "Mul"
        raise op_error(op_name, (
            f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
            f"{tf_type_name(logits.dtype)} tensor but is a {tf_type_name(labels.dtype)} tensor"))
    return _logistic_loss(logits, labels)


@primitive("LogisticLoss", dtypes="floating")
def _logistic_loss(logits, labels):
    return (np.maximum(logits, 0) - logits * labels) + np.log1p(np.exp(-np.abs(logits)))


@_logistic_loss.gradient
def _logistic_loss_grad(op, dy):
    logits, labels = op.inputs
    needs_logits, needs_labels = op.needs_grad
    return [dy * (math_ops.sigmoid(logits) - labels) if needs_logits else None,
            dy * -logits if needs_labels else None]


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """Computes a weighted sigmoid cross entropy: positives count `pos_weight` times.

    The loss is `pos_weight * z * -log(sigmoid(x)) + (1 - z) * -log(1 - sigmoid(x))` for
    `x = logits` and `z = labels`, computed stably as `(1 - z) * x + (1 + (pos_weight - 1)
    * z) * (log1p(exp(-abs(x))) + max(-x, 0))`. `pos_weight` > 1 raises recall, < 1
    precision.

    Args:
      labels: targets in [0, 1], of `logits`' shape and dtype.
      logits: unscaled log-odds, half, float32 or float64.
      pos_weight: the weight of positive examples, a number or a tensor that broadcasts.

    Returns:
      The element-wise loss, of `logits`' shape.

    >>> from eagerflow.ops.nn_losses import weighted_cross_entropy_with_logits
    >>> loss = weighted_cross_entropy_with_logits([1.0], [0.0], pos_weight=2.0)
    >>> [round(v, 6) for v in loss.numpy().tolist()]
    [1.386294]
    """
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, dtype_hint=logits.dtype)
    _check_same_shape(labels, logits)
    return _weighted_logistic_loss(logits, labels, pos_weight)


@primitive("WeightedLogisticLoss", dtypes="floating")
def _weighted_logistic_loss(logits, labels, pos_weight):
    softplus_negative = np.log1p(np.exp(-np.abs(logits))) + np.maximum(-logits, 0)
    return (1 - labels) * logits + (1 + (pos_weight - 1) * labels) * softplus_negative


@_weighted_logistic_loss.gradient
def _weighted_logistic_loss_grad(op, dy):
    logits, labels, pos_weight = op.inputs
    needs_logits, needs_labels, needs_pos_weight = op.needs_grad
    grads = [None, None, None]
    if needs_logits:  # d/dx softplus(-x) = -sigmoid(-x)
        log_weight = 1 + (pos_weight - 1) * labels
        grads[0] = dy * ((1 - labels) - log_weight * math_ops.sigmoid(-logits))
    if needs_labels or needs_pos_weight:
        softplus_negative = math_ops.softplus(-logits)
        if needs_labels:
            grads[1] = dy * ((pos_weight - 1) * softplus_negative - logits)
        if needs_pos_weight:
            grads[2] = dy * labels * softplus_negative
    return grads


# --- other losses -------------------------------------------------------------------------

@primitive("L2Loss", dtypes="floating")
def l2_loss(t):
    """Computes half the squared L2 norm of `t`: `sum(t ** 2) / 2`, as a scalar.

    >>> from eagerflow.ops.nn_losses import l2_loss
    >>> float(l2_loss(tf.constant([1.0, 2.0, 3.0])))
    7.0
    """
    return np.asarray(np.sum(np.square(t), dtype=t.dtype) / np.asarray(2, t.dtype))


@l2_loss.gradient
def _l2_loss_grad(op, dy):
    return [op.inputs[0] * dy]


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """Computes the log-Poisson loss of `targets` given log-rates `log_input`.

    The loss is `exp(log_input) - log_input * targets`, the negative log-likelihood up to a
    term that depends on `targets` only. `compute_full_loss=True` adds that term, by
    Stirling's approximation `targets * log(targets) - targets + 0.5 * log(2 * pi *
    targets)` (zero where `targets` is in [0, 1]).

    >>> from eagerflow.ops.nn_losses import log_poisson_loss
    >>> log_poisson_loss(tf.constant([1.0]), tf.constant([0.0])).numpy().tolist()
    [1.0]
    """
    log_input = convert_to_tensor(log_input)
    targets = convert_to_tensor(targets)
    if not targets.shape.is_compatible_with(log_input.shape):
        raise ValueError("`log_input` and `targets` must have the same shape, received "
                         f"({log_input.shape} vs {targets.shape}).")
    result = math_ops.exp(log_input) - log_input * targets
    if compute_full_loss:
        stirling = (targets * math_ops.log(targets) - targets
                    + 0.5 * math_ops.log(2 * math.pi * targets))
        small = math_ops.logical_and(targets >= 0, targets <= 1)
        result += math_ops.where(small, 0, stirling)
    return result


# --- averaging for custom training loops --------------------------------------------------

def _scale_losses_by_sample_weight(losses, sample_weight):
    """`losses * sample_weight` in float32, the weights' last axis squeezed or expanded
    when their rank is off by one."""
    losses = math_ops.cast(losses, dtypes.float32)
    sample_weight = math_ops.cast(sample_weight, dtypes.float32)
    weight_rank, loss_rank = sample_weight.shape.rank, losses.shape.rank
    if weight_rank and weight_rank - loss_rank == 1:
        sample_weight = array_ops.squeeze(sample_weight, [-1])
    elif weight_rank and loss_rank - weight_rank == 1:
        sample_weight = array_ops.expand_dims(sample_weight, -1)
    return losses * sample_weight


def _check_global_batch_size(global_batch_size):
    size = convert_to_tensor(global_batch_size)
    if size.shape.rank != 0:
        raise ValueError("global_batch_size must be scalar..  Expected scalar shape, saw "
                         f"shape: {size.shape}.")
    if not size.dtype.is_integer:
        raise TypeError("global_batch_size must be an integer..  Expected \"x\" to be "
                        f"integer type.  Found: tensor of dtype {size.dtype}")
    if size.numpy() < 0:
        raise InvalidArgumentError(None, None, (
            "global_batch_size must be non-negative..  \nCondition x >= 0 did not hold "
            f"element-wise:\nx (shape=() dtype={size.dtype.name}) = \n{size.numpy()}"))
    return size


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """Scales per-example losses by `sample_weight` and averages them over the global batch.

    Returns `sum(per_example_loss * sample_weight) / global_batch_size`, or 0 when
    `global_batch_size` is 0. Without a distribution strategy (one replica) the global
    batch size defaults to the first dimension of `per_example_loss`.

    Args:
      per_example_loss: per-example losses, of rank 1 or more.
      sample_weight: optional weights, a scalar or a tensor that broadcasts (its last axis
        is squeezed or added when the ranks differ by one). Weighting is done in float32.
      global_batch_size: an optional non-negative integer scalar.

    Returns:
      A scalar in `per_example_loss`' dtype (float64 for integer losses).

    >>> from eagerflow.ops.nn_losses import compute_average_loss
    >>> float(compute_average_loss(tf.constant([1.0, 2.0, 3.0]), global_batch_size=6))
    1.0
    """
    per_example_loss = convert_to_tensor(per_example_loss)
    input_dtype = per_example_loss.dtype
    if per_example_loss.shape.rank == 0:
        raise ValueError("Invalid value passed for `per_example_loss`. Expected a tensor with "
                         f"at least rank 1. Received per_example_loss={per_example_loss} with "
                         "rank 0")
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight)
        per_example_loss = math_ops.cast(
            _scale_losses_by_sample_weight(per_example_loss, sample_weight), input_dtype)
    if global_batch_size is None:
        global_batch_size = per_example_loss.shape[0]
    size = _check_global_batch_size(global_batch_size)
    return math_ops.divide_no_nan(reduce_sum(per_example_loss),
                                  math_ops.cast(size, input_dtype))


def scale_regularization_loss(regularization_loss):
    """Scales the sum of regularization losses by the number of replicas (here, one).

    >>> from eagerflow.ops.nn_losses import scale_regularization_loss
    >>> float(scale_regularization_loss(tf.constant([1.0, 2.0])))
    3.0
    """
    return reduce_sum(regularization_loss) / 1
