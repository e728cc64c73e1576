"""F-scores: `FBetaScore` and `F1Score`, from per-class true/false positive counts."""

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.metrics import metrics_utils
from eagerflow.keras.metrics.metric import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """Computes the F-beta score, the weighted harmonic mean of precision and recall,
    for multi-label or one-hot targets of shape `(batch_size, num_classes)`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state([[1, 1, 0], [0, 1, 1]], [[0.9, 0.2, 0.1], [0.3, 0.8, 0.7]])
    >>> [round(v, 4) for v in m.result().numpy().tolist()]
    [1.0, 0.5556, 1.0]

    Args:
      average: None (one score per class), "micro" (from the counts summed over the
        classes), "macro" (the mean of the class scores) or "weighted" (their mean
        weighted by each class's number of true instances).
      beta: how many times recall counts as much as precision (> 0).
      threshold: predictions above it count as positive; None: the highest prediction
        of each row (and any tied with it) is positive.
      name: the metric's name.
      dtype: the dtype of the result.
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in _AVERAGES:
            raise ValueError("Invalid `average` argument value. Expected one of: "
                             "{None, 'micro', 'macro', 'weighted'}. "
                             f"Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError("Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError("Invalid `beta` argument value. It should be > 0. "
                             f"Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError("Invalid `threshold` argument value. It should be a Python "
                                 f"float. Received: threshold={threshold} of type "
                                 f"'{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError("Invalid `threshold` argument value. It should verify "
                                 f"0 < threshold <= 1. Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(f"{type(self).__name__} expects 2D inputs with shape "
                             "(batch_size, output_dim). Received input shapes: "
                             f"y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(f"{type(self).__name__} expects 2D inputs with shape "
                             "(batch_size, output_dim), with output_dim fully defined "
                             f"(not None). Received input shapes: "
                             f"y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        classes = (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, name, self.add_variable(classes, "zeros", dtype=self.dtype,
                                                  name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the per-class counts; `sample_weight` weights the samples."""
        y_true = metrics_utils.as_tensor(y_true, self.dtype)
        y_pred = metrics_utils.as_tensor(y_pred, self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            row_max = tf.reduce_max(y_pred, axis=-1, keepdims=True)
            positive = tf.equal(y_pred, row_max)
        else:
            positive = tf.greater(y_pred, self.threshold)
        y_pred = tf.cast(positive, self.dtype)
        if sample_weight is not None:
            weight = metrics_utils.as_tensor(sample_weight, self.dtype)
            if len(weight.shape) == 1:
                weight = tf.expand_dims(weight, 1)
            y_true_weighted = y_true * weight
            y_pred_weighted = y_pred * weight
        else:
            y_true_weighted, y_pred_weighted = y_true, y_pred
        self.true_positives.assign_add(tf.reduce_sum(y_pred_weighted * y_true, axis=0))
        self.false_positives.assign_add(
            tf.reduce_sum(y_pred_weighted * (1.0 - y_true), axis=0))
        self.false_negatives.assign_add(
            tf.reduce_sum((1.0 - y_pred) * y_true_weighted, axis=0))
        self.intermediate_weights.assign_add(tf.reduce_sum(y_true_weighted, axis=0))

    def result(self):
        true_positives = self.true_positives.value
        false_positives = self.false_positives.value
        false_negatives = self.false_negatives.value
        if self.average == "micro":
            true_positives = tf.reduce_sum(true_positives)
            false_positives = tf.reduce_sum(false_positives)
            false_negatives = tf.reduce_sum(false_negatives)
        epsilon = backend.epsilon()
        precision = true_positives / (true_positives + false_positives + epsilon)
        recall = true_positives / (true_positives + false_negatives + epsilon)
        beta_squared = self.beta ** 2
        scores = (1.0 + beta_squared) * precision * recall / (
            beta_squared * precision + recall + epsilon)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            return tf.reduce_sum(scores * weights) / tf.reduce_sum(weights)
        if self.average == "macro":
            return tf.reduce_mean(scores)
        return scores

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """Computes the F1 score, the harmonic mean of precision and recall (`FBetaScore`
    with `beta=1.0`).

    >>> from eagerflow.keras import metrics
    >>> m = metrics.F1Score(average="micro", threshold=0.5)
    >>> m.update_state([[1, 1, 0], [0, 1, 1]], [[0.9, 0.2, 0.1], [0.3, 0.8, 0.7]])
    >>> round(float(m.result()), 4)
    0.8571
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name,
                         dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
