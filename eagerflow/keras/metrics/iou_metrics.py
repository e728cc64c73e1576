"""Intersection-over-union metrics (`IoU`, `MeanIoU`, `BinaryIoU`, `OneHotIoU`,
`OneHotMeanIoU`), from an accumulated confusion matrix."""

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.metrics import metrics_utils
from eagerflow.keras.metrics.metric import Metric


class _IoUBase(Metric):
    """Accumulates a `(num_classes, num_classes)` confusion matrix (rows: labels,
    columns: predictions) in `dtype` (default int64, so weights are truncated to integers,
    as in Keras); labels outside `[0, num_classes)` are not counted."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int64")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes), "zeros",
                                          dtype=self.dtype, name="total_confusion_matrix")

    def _labels(self, y_true, y_pred):
        """The integer labels and predictions, before flattening."""
        y_true = metrics_utils.as_tensor(y_true)
        y_pred = metrics_utils.as_tensor(y_pred)
        if not self.sparse_y_true:
            y_true = tf.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = tf.argmax(y_pred, axis=self.axis)
        return y_true, y_pred

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the (weighted) label/prediction pairs to the confusion matrix."""
        y_true, y_pred = self._labels(y_true, y_pred)
        if sample_weight is None:
            weight = tf.ones_like(y_true, dtype=self.dtype)
        else:
            weight = tf.cast(metrics_utils.as_tensor(sample_weight), self.dtype)
            weight = tf.broadcast_to(
                tf.reshape(weight, tuple(weight.shape) + (1,) * (
                    len(y_true.shape) - len(weight.shape))), y_true.shape)
        y_true = tf.reshape(tf.cast(y_true, "int64"), [-1])
        y_pred = tf.reshape(tf.cast(y_pred, "int64"), [-1])
        weight = tf.reshape(weight, [-1])
        if self.ignore_class is not None:
            keep = tf.not_equal(y_true, self.ignore_class)
            weight = weight * tf.cast(keep, self.dtype)
        true_one_hot = tf.one_hot(y_true, self.num_classes, dtype=self.dtype)
        pred_one_hot = tf.one_hot(y_pred, self.num_classes, dtype=self.dtype)
        weighted_true = true_one_hot * tf.expand_dims(weight, 1)
        self.total_cm.assign_add(tf.matmul(weighted_true, pred_one_hot, transpose_a=True))

    def _target_class_ids(self):
        return list(range(self.num_classes))

    def result(self):
        """The mean IoU over the target classes present in labels or predictions."""
        cm = tf.cast(self.total_cm.value, backend.floatx())
        true_positives = tf.linalg.diag_part(cm)
        denominator = tf.reduce_sum(cm, axis=1) + tf.reduce_sum(cm, axis=0) - true_positives
        epsilon = backend.epsilon()
        targets = self._target_class_ids()
        true_positives = tf.gather(true_positives, targets)
        denominator = tf.gather(denominator, targets)
        valid = tf.reduce_sum(tf.cast(tf.not_equal(denominator, 0.0), backend.floatx()))
        iou = true_positives / (denominator + epsilon)
        return tf.reduce_sum(iou) / (valid + epsilon)


def _check_target_class_ids(target_class_ids, num_classes):
    target_class_ids = list(target_class_ids)
    for class_id in target_class_ids:
        if not 0 <= class_id < num_classes:
            raise ValueError(f"Target class id {class_id} is out of range, which is "
                             f"[0, {num_classes}).")
    return target_class_ids


class IoU(_IoUBase):
    """Computes the intersection over union `tp / (tp + fp + fn)` of `target_class_ids`,
    averaged over those present, for integer labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333

    Args:
      num_classes: the number of classes.
      target_class_ids: the classes whose IoU is averaged.
      name: the metric's name.
      dtype: the dtype of the confusion matrix (default int64).
      ignore_class: a label whose entries are left out (None: none).
      sparse_y_true: False for one-hot (or score) labels, reduced by argmax over `axis`.
      sparse_y_pred: False for scores, reduced by argmax over `axis`.
      axis: the class axis of non-sparse inputs.
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred,
                         axis=axis)
        self.target_class_ids = _check_target_class_ids(target_class_ids, num_classes)

    def _target_class_ids(self):
        return self.target_class_ids

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class MeanIoU(_IoUBase):
    """Computes the intersection over union averaged over the classes present in the
    labels or predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333

    Args: as `IoU`, without `target_class_ids` (every class counts).
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred,
                         axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, **super().get_config(),
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class BinaryIoU(IoU):
    """Computes the IoU of binary labels against predictions thresholded at `threshold`
    (`y_pred >= threshold` is class 1), averaged over `target_class_ids`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.BinaryIoU(target_class_ids=[1], threshold=0.5)
    >>> m.update_state([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = metrics_utils.as_tensor(y_pred, backend.floatx())
        y_pred = tf.cast(tf.greater_equal(y_pred, self.threshold), "int64")
        super().update_state(y_true, y_pred, sample_weight=sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class OneHotIoU(IoU):
    """`IoU` for one-hot labels (and, by default, scores as predictions).

    >>> from eagerflow.keras import metrics
    >>> m = metrics.OneHotIoU(num_classes=2, target_class_ids=[1])
    >>> m.update_state([[1, 0], [0, 1], [0, 1]], [[0.8, 0.2], [0.4, 0.6], [0.7, 0.3]])
    >>> round(float(m.result()), 4)
    0.5
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self.dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels (and, by default, scores as predictions).

    >>> from eagerflow.keras import metrics
    >>> m = metrics.OneHotMeanIoU(num_classes=2)
    >>> m.update_state([[1, 0], [0, 1], [0, 1]], [[0.8, 0.2], [0.4, 0.6], [0.7, 0.3]])
    >>> round(float(m.result()), 4)
    0.5
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}
