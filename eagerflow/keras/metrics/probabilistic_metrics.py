"""Probabilistic metrics: the means of the cross-entropies, KL divergence and Poisson loss."""

import eagerflow as tf
from eagerflow.keras import losses
from eagerflow.keras.metrics import metrics_utils
from eagerflow.keras.metrics.reduction_metrics import MeanMetricWrapper


class KLDivergence(MeanMetricWrapper):
    """Computes the Kullback-Leibler divergence between labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.KLDivergence()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    0.4581
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(fn=losses.kl_divergence, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class Poisson(MeanMetricWrapper):
    """Computes the Poisson loss between labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.Poisson()
    >>> m.update_state([[0, 1], [0, 0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> round(float(m.result()), 4)
    0.5
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(fn=losses.poisson, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryCrossentropy(MeanMetricWrapper):
    """Computes the cross-entropy between binary labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.BinaryCrossentropy()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    0.8149

    Args:
      name: the metric's name.
      dtype: the dtype of the metric's result.
      from_logits: whether `y_pred` holds logits rather than probabilities.
      label_smoothing: squeezes the labels towards 0.5 by this amount (in [0, 1]).
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(losses.binary_crossentropy, name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(MeanMetricWrapper):
    """Computes the cross-entropy between one-hot labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.CategoricalCrossentropy()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(m.result()), 4)
    1.1769

    Args:
      name: the metric's name.
      dtype: the dtype of the metric's result.
      from_logits: whether `y_pred` holds logits rather than probabilities.
      label_smoothing: mixes the labels with the uniform distribution by this amount.
      axis: the class axis.
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(losses.categorical_crossentropy, name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Computes the cross-entropy between integer labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.SparseCategoricalCrossentropy()
    >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(m.result()), 4)
    1.1769

    Args:
      name: the metric's name.
      dtype: the dtype of the metric's result.
      from_logits: whether `y_pred` holds logits rather than probabilities.
      ignore_class: a label whose entries get a value of 0 (and, when sample weights are
        given, a weight of 0, as Keras's masking does).
      axis: the class axis.
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.ignore_class is not None and sample_weight is not None:
            sample_weight = self._drop_ignored(y_true, y_pred, sample_weight)
        super().update_state(y_true, y_pred, sample_weight=sample_weight)

    def _drop_ignored(self, y_true, y_pred, sample_weight):
        """Zero weight for the entries labelled `ignore_class`."""
        y_true = metrics_utils.as_tensor(y_true)
        if len(y_true.shape) == len(metrics_utils.as_tensor(y_pred).shape) \
                and y_true.shape[-1] == 1:
            y_true = tf.squeeze(y_true, -1)
        kept = tf.cast(tf.not_equal(y_true, tf.cast(self.ignore_class, y_true.dtype)),
                       self.dtype)
        kept, sample_weight = metrics_utils.squeeze_or_expand_to_same_rank(
            kept, metrics_utils.as_tensor(sample_weight, self.dtype))
        return sample_weight * kept

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}
