"""Accuracy metrics: how often predictions match labels, in their plain and top-k forms."""

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.metrics import metrics_utils
from eagerflow.keras.metrics.reduction_metrics import MeanMetricWrapper


def _matches(condition):
    return tf.cast(condition, backend.floatx())


def accuracy(y_true, y_pred):
    """1.0 where `y_pred` equals `y_true` exactly, else 0.0.

    >>> from eagerflow.keras.metrics import accuracy_metrics
    >>> accuracy_metrics.accuracy([1, 2, 3], [1, 0, 3]).numpy().tolist()
    [1.0, 0.0, 1.0]
    """
    y_pred = metrics_utils.as_tensor(y_pred)
    y_true = metrics_utils.as_tensor(y_true, y_pred.dtype)
    y_true, y_pred = metrics_utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(tf.equal(y_true, y_pred))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `y_pred > threshold` agrees with the binary label `y_true`, else 0.0.

    >>> from eagerflow.keras import metrics
    >>> metrics.binary_accuracy([[1], [1], [0], [0]], [[1], [1], [0], [0]]).numpy().tolist()
    [[1.0], [1.0], [1.0], [1.0]]
    """
    y_pred = metrics_utils.as_float(y_pred)
    y_true = metrics_utils.as_tensor(y_true)
    y_true, y_pred = metrics_utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
    threshold = metrics_utils.as_tensor(threshold, y_pred.dtype)
    predicted = tf.cast(tf.greater(y_pred, threshold), y_true.dtype)
    return _matches(tf.equal(y_true, predicted))


def categorical_accuracy(y_true, y_pred):
    """1.0 where the index of the largest prediction is that of the one-hot label.

    >>> from eagerflow.keras import metrics
    >>> y_true = [[0, 0, 1], [0, 1, 0]]
    >>> y_pred = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    >>> metrics.categorical_accuracy(y_true, y_pred).numpy().tolist()
    [0.0, 1.0]
    """
    y_pred = metrics_utils.as_tensor(y_pred)
    label = tf.argmax(metrics_utils.as_tensor(y_true), axis=-1)
    return _matches(tf.equal(label, tf.argmax(y_pred, axis=-1)))


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the index of the largest prediction equals the integer label.

    Labels may be ints or floats, shaped like `y_pred` without its class axis or with a
    last axis of size 1.

    >>> from eagerflow.keras import metrics
    >>> metrics.sparse_categorical_accuracy([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]
    ...                                     ).numpy().tolist()
    [0.0, 1.0]
    """
    y_pred = metrics_utils.as_tensor(y_pred)
    y_true = metrics_utils.as_tensor(y_true, y_pred.dtype)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = tf.squeeze(y_true, -1)
    predicted = tf.cast(tf.argmax(y_pred, axis=-1), y_true.dtype)
    return _matches(tf.equal(y_true, predicted))


def _rows(y_pred):
    """Predictions of any rank as (samples, classes)."""
    return tf.reshape(y_pred, [-1, y_pred.shape[-1]]) if len(y_pred.shape) > 2 else y_pred


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot label's class is among the `k` largest predictions (classes
    tied with the k-th count as among them).

    >>> from eagerflow.keras import metrics
    >>> y_true = [[0, 0, 1], [0, 1, 0]]
    >>> y_pred = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    >>> metrics.top_k_categorical_accuracy(y_true, y_pred, k=1).numpy().tolist()
    [0.0, 1.0]
    """
    y_pred = metrics_utils.as_tensor(y_pred)
    label = tf.argmax(metrics_utils.as_tensor(y_true), axis=-1, output_type=tf.int32)
    matches = tf.math.in_top_k(tf.cast(tf.reshape(label, [-1]), tf.int32), _rows(y_pred), k)
    return _matches(tf.reshape(matches, label.shape))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the `k` largest predictions.

    With `from_sorted_ids=True`, `y_pred` holds class ids sorted by score, best first,
    and the label is looked for among the first `k` of them.

    >>> from eagerflow.keras import metrics
    >>> metrics.sparse_top_k_categorical_accuracy(
    ...     [2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1).numpy().tolist()
    [0.0, 1.0]
    """
    y_pred = metrics_utils.as_tensor(y_pred)
    y_true = metrics_utils.as_tensor(y_true, y_pred.dtype if from_sorted_ids else tf.int32)
    labels, rows = tf.reshape(y_true, [-1]), _rows(y_pred)
    if from_sorted_ids:
        matches = tf.reduce_any(tf.equal(tf.expand_dims(labels, 1), rows[:, :k]), axis=1)
    else:
        matches = tf.math.in_top_k(tf.cast(labels, tf.int32), rows, k)
    return _matches(tf.reshape(matches, y_true.shape))


class Accuracy(MeanMetricWrapper):
    """Calculates how often predictions equal labels.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """Calculates how often predictions match binary labels, a prediction above
    `threshold` counting as 1.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.BinaryAccuracy()
    >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """Calculates how often the largest prediction is the one-hot label's class.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.CategoricalAccuracy()
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """Calculates how often the largest prediction is the integer label's class.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """Calculates how often the one-hot label's class is among the `k` largest predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.TopKCategoricalAccuracy(k=1)
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """Calculates how often the integer label is among the `k` largest predictions (or,
    with `from_sorted_ids=True`, among the first `k` ids of `y_pred`).

    >>> from eagerflow.keras import metrics
    >>> m = metrics.SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
