"""Metrics from confusion-matrix counts at thresholds: TruePositives ... Precision, Recall,
AUC and the sensitivity/specificity family.

All counts at all thresholds come from one broadcast comparison of a `[thresholds, 1...]`
column against the predictions, summed over the samples: no loop over thresholds.
"""

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.metrics import metrics_utils
from eagerflow.keras.metrics.metric import Metric

# The threshold below every score that top_k filtering leaves in place.
_NEG_INF = -1e10
_CONDITIONS = ("tp", "fp", "tn", "fn")
_CONDITION_NAMES = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives",
                    "fn": "false_negatives"}


def _parse_thresholds(thresholds, default):
    """`thresholds` (one value or a list, each in [0, 1]) as a list; `[default]` for None."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) \
        else [thresholds]
    invalid = [t for t in values if t is None or t < 0 or t > 1]
    if invalid:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return values


def _filter_top_k(y_pred, k):
    """Keeps the `k` largest predictions along the last axis; the rest fall below every
    threshold."""
    keep = tf.cast(metrics_utils.top_k_mask(y_pred, k), y_pred.dtype)
    return y_pred * keep + _NEG_INF * (1.0 - keep)


def _predicted_positive(y_pred, thresholds, evenly):
    """`[thresholds, *y_pred.shape]`: whether each prediction counts as positive at each
    threshold.

    For evenly spaced thresholds this uses Keras's bucket index `ceil(p * (n - 1)) - 1`
    (clipping p to [0, 1]) rather than `p > t`, so that scores lying on a threshold land
    on the same side as in Keras; endpoint thresholds just outside [0, 1] put 0 in the
    first bucket.
    """
    count = len(thresholds)
    column = [count] + [1] * len(y_pred.shape)
    if not evenly:
        return tf.greater(y_pred, tf.reshape(tf.constant(thresholds, y_pred.dtype), column))
    bucket = tf.math.ceil(tf.clip_by_value(y_pred, 0.0, 1.0) * float(count - 1)) - 1.0
    if thresholds[0] < 0.0 or thresholds[-1] > 1.0:
        bucket = tf.maximum(bucket, 0.0)
    index = tf.reshape(tf.cast(tf.range(count), y_pred.dtype), column)
    return tf.less_equal(index, bucket)


def update_confusion_matrix_variables(variables, y_true, y_pred, thresholds, top_k=None,
                                      class_id=None, sample_weight=None, multi_label=False,
                                      label_weights=None, thresholds_distributed_evenly=False):
    """Adds the (weighted) counts of true/false positives/negatives at each threshold.

    Args:
      variables: a dict from "tp", "fp", "tn", "fn" to the variables to add into, of
        shape `[len(thresholds)]` (`[len(thresholds), labels]` when `multi_label`).
      y_true: the labels; any nonzero value is a positive.
      y_pred: the scores, compared with each threshold (`>` counts as positive).
      thresholds: a list of floats.
      top_k: keep only the `k` largest scores along the last axis as candidates.
      class_id: use only this index of the last axis.
      sample_weight: weights broadcastable to the labels.
      multi_label: keep the last axis as separate labels instead of flattening.
      label_weights: per-label weights (only when not `multi_label`).
      thresholds_distributed_evenly: whether the thresholds are evenly spaced in [0, 1]
        (up to endpoints just outside), as Keras's bucketing fast path assumes.
    """
    unknown = [key for key in variables if key not in _CONDITIONS]
    if unknown or not variables:
        raise ValueError(f'Invalid keys: "{unknown}". Valid variable key options are: '
                         f'"{list(_CONDITIONS)}"')
    if multi_label and label_weights is not None:
        raise ValueError("`label_weights` for multilabel data should be handled outside of "
                         "`update_confusion_matrix_variables` when `multi_label` is True.")
    dtype = next(iter(variables.values())).dtype
    y_true = metrics_utils.as_tensor(y_true, dtype)
    y_pred = metrics_utils.as_tensor(y_pred, dtype)
    y_pred, y_true = metrics_utils.squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = tf.expand_dims(metrics_utils.as_tensor(sample_weight, dtype), -1)
        _, sample_weight = metrics_utils.squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             f"(num_samples, num_classes), found shape: {tuple(y_pred.shape)}")
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]

    weights = None
    if sample_weight is not None:
        weights = tf.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None:
        per_label = tf.broadcast_to(metrics_utils.as_tensor(label_weights, dtype),
                                    y_pred.shape)
        weights = per_label if weights is None else weights * per_label
    if not multi_label:
        y_true, y_pred = tf.reshape(y_true, [-1]), tf.reshape(y_pred, [-1])
        weights = None if weights is None else tf.reshape(weights, [-1])

    predicted = tf.cast(
        _predicted_positive(y_pred, list(thresholds), thresholds_distributed_evenly), dtype)
    positive = tf.cast(tf.cast(y_true, tf.bool), dtype)
    if weights is not None:
        positive, negative = positive * weights, (1.0 - positive) * weights
    else:
        negative = 1.0 - positive
    # Sums over the samples (axis 1 of `predicted`); negatives at a threshold are the
    # labelled total minus the positives there, as Keras counts them.
    counts = {}
    if "tp" in variables or "fn" in variables:
        counts["tp"] = tf.reduce_sum(predicted * positive, axis=1)
        counts["fn"] = tf.reduce_sum(positive, axis=0) - counts["tp"]
    if "fp" in variables or "tn" in variables:
        counts["fp"] = tf.reduce_sum(predicted * negative, axis=1)
        counts["tn"] = tf.reduce_sum(negative, axis=0) - counts["fp"]
    for key, variable in variables.items():
        variable.assign_add(counts[key])


class _ConfusionMatrixConditionCount(Metric):
    """Counts one confusion-matrix condition at each threshold."""

    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _parse_thresholds(thresholds, 0.5)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed(
            self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),),
                                             initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the condition's count; `sample_weight` weights each prediction."""
        update_confusion_matrix_variables(
            {self._condition: self.accumulator}, y_true, y_pred, self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight)

    def result(self):
        value = self.accumulator.value
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


_COUNT_ARGS = """
    Args:
      thresholds: a float or list of floats in [0, 1]; a prediction above a threshold is
        a positive. One value is returned per threshold (default 0.5).
      name: the metric's name.
      dtype: the dtype of the metric's result.
"""


class TruePositives(_ConfusionMatrixConditionCount):
    __doc__ = """Counts (weighted) true positives: positive labels predicted positive.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> float(m.result())
    2.0
    """ + _COUNT_ARGS
    _condition = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    __doc__ = """Counts (weighted) false positives: negative labels predicted positive.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> float(m.result())
    2.0
    """ + _COUNT_ARGS
    _condition = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    __doc__ = """Counts (weighted) true negatives: negative labels predicted negative.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.TrueNegatives()
    >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """ + _COUNT_ARGS
    _condition = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    __doc__ = """Counts (weighted) false negatives: positive labels predicted negative.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
    >>> float(m.result())
    2.0
    """ + _COUNT_ARGS
    _condition = "fn"


class _PrecisionOrRecall(Metric):
    """True positives over the positives predicted (precision) or labelled (recall)."""

    _other = None  # "fp" for precision, "fn" for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = _parse_thresholds(thresholds, 0.5 if top_k is None else _NEG_INF)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed(
            self.thresholds)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, initializer="zeros",
                                                name="true_positives")
        # `false_positives` for precision, `false_negatives` for recall.
        self._other_variable = self.add_variable(shape=shape, initializer="zeros",
                                                 name=_CONDITION_NAMES[self._other])
        setattr(self, _CONDITION_NAMES[self._other], self._other_variable)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates true positives and the other count; `sample_weight` weights each
        prediction."""
        update_confusion_matrix_variables(
            {"tp": self.true_positives, self._other: self._other_variable}, y_true, y_pred,
            self.thresholds, top_k=self.top_k, class_id=self.class_id,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def result(self):
        true_positives = self.true_positives.value
        value = tf.math.divide_no_nan(true_positives,
                                            true_positives + self._other_variable.value)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


_PRECISION_RECALL_ARGS = """
    Args:
      thresholds: a float or list of floats in [0, 1]; a prediction above a threshold is
        a positive. One value is returned per threshold (default 0.5, or no threshold
        when `top_k` is set).
      top_k: count only the `k` largest predictions of each row as positives.
      class_id: compute the metric for this class (last-axis index) alone.
      name: the metric's name.
      dtype: the dtype of the metric's result.
"""


class Precision(_PrecisionOrRecall):
    __doc__ = """Computes the precision of the predictions: `tp / (tp + fp)`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """ + _PRECISION_RECALL_ARGS
    _other = "fp"


class Recall(_PrecisionOrRecall):
    __doc__ = """Computes the recall of the predictions: `tp / (tp + fn)`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    >>> float(m.result())
    1.0
    """ + _PRECISION_RECALL_ARGS
    _other = "fn"


def _rates(tp, fp, tn, fn):
    """(recall = sensitivity, specificity, precision) at each threshold."""
    return (tf.math.divide_no_nan(tp, tp + fn), tf.math.divide_no_nan(tn, tn + fp),
            tf.math.divide_no_nan(tp, tp + fp))


class _SensitivitySpecificityBase(Metric):
    """The best value of one rate among the thresholds where another reaches `value`."""

    _bound = None  # the name of the constructor argument held in `value`

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        if value < 0 or value > 1:
            raise ValueError(f"Argument `{self._bound}` must be in the range [0, 1]. "
                             f"Received: {self._bound}={value}")
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.value = value
        setattr(self, self._bound, value)
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            self.thresholds = [i / (num_thresholds - 1) for i in range(num_thresholds)]
        self._thresholds_distributed_evenly = num_thresholds > 1
        for key in _CONDITIONS:
            self.add_variable(shape=(len(self.thresholds),), initializer="zeros",
                              name=_CONDITION_NAMES[key])
        (self.true_positives, self.false_positives, self.true_negatives,
         self.false_negatives) = self._variables

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the four confusion counts at every threshold."""
        update_confusion_matrix_variables(
            dict(zip(_CONDITIONS, self._variables)), y_true, y_pred, self.thresholds,
            class_id=self.class_id, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def _rates(self):
        return _rates(*(variable.value for variable in self._variables))

    def _best_where_at_least(self, constrained, dependent):
        best = tf.reduce_max(tf.where(tf.greater_equal(constrained, self.value), dependent,
                                      tf.zeros_like(dependent)))
        return tf.maximum(best, 0.0)

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id,
                "num_thresholds": self.num_thresholds, self._bound: self.value}


_AT_ARGS = """
    Args:
      {bound}: the {bound} to reach, in [0, 1].
      num_thresholds: the number of evenly spaced thresholds in [0, 1] to try.
      class_id: compute the metric for this class (last-axis index) alone.
      name: the metric's name.
      dtype: the dtype of the metric's result.
"""


class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    __doc__ = """Computes the best sensitivity (recall) where specificity >= `specificity`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """ + _AT_ARGS.format(bound="specificity")
    _bound = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        sensitivity, specificity, _ = self._rates()
        return self._best_where_at_least(specificity, sensitivity)


class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    __doc__ = """Computes the best specificity where sensitivity (recall) >= `sensitivity`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> round(float(m.result()), 4)
    0.6667
    """ + _AT_ARGS.format(bound="sensitivity")
    _bound = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        sensitivity, specificity, _ = self._rates()
        return self._best_where_at_least(sensitivity, specificity)


class PrecisionAtRecall(_SensitivitySpecificityBase):
    __doc__ = """Computes the best precision where recall >= `recall`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """ + _AT_ARGS.format(bound="recall")
    _bound = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        recall, _, precision = self._rates()
        return self._best_where_at_least(recall, precision)


class RecallAtPrecision(_SensitivitySpecificityBase):
    __doc__ = """Computes the best recall where precision >= `precision`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.5
    """ + _AT_ARGS.format(bound="precision")
    _bound = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        recall, _, precision = self._rates()
        return self._best_where_at_least(precision, recall)


_CURVES = {"ROC": "ROC", "roc": "ROC", "PR": "PR", "pr": "PR", "PRGAIN": "PRGAIN",
           "prgain": "PRGAIN"}
_SUMMATIONS = {"interpolation": "interpolation", "Interpolation": "interpolation",
               "majoring": "majoring", "Majoring": "majoring", "minoring": "minoring",
               "Minoring": "minoring"}


class AUC(Metric):
    """Approximates the area under the ROC or PR curve from confusion counts at
    `num_thresholds` evenly spaced thresholds, by a Riemann sum.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.75

    Args:
      num_thresholds: the number of thresholds (> 1), `0 - epsilon` and `1 + epsilon`
        included.
      curve: "ROC" (true positive rate against false positive rate), "PR" (precision
        against recall) or "PRGAIN".
      summation_method: "interpolation" (trapezoids; for PR, Davis & Goadrich's
        interpolation of the counts), "minoring" or "majoring" (lower or upper rectangles).
      name: the metric's name.
      dtype: the dtype of the metric's result.
      thresholds: explicit thresholds in [0, 1] instead of `num_thresholds` evenly spaced.
      multi_label: compute one AUC per label (last axis) and average them, instead of
        flattening all labels into one set of predictions.
      num_labels: the number of labels when `multi_label` (else known at the first update).
      label_weights: weights of the labels: in the average of per-label AUCs when
        `multi_label`, else weights of each label's predictions.
      from_logits: whether `y_pred` holds logits (a sigmoid is applied).
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self._direction = "up"
        if curve not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                             '["PR", "ROC", "PRGAIN"]')
        if summation_method not in _SUMMATIONS:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             'Expected values are ["interpolation", "majoring", "minoring"]')
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(thresholds) + 2
            self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed(
                [0.0] + thresholds + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        # Endpoints just outside [0, 1] make scores of exactly 0 and 1 count correctly.
        self._thresholds = [0.0 - backend.epsilon()] + thresholds + [1.0 + backend.epsilon()]
        self.curve = _CURVES[curve]
        self.summation_method = _SUMMATIONS[summation_method]
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else \
            metrics_utils.as_tensor(label_weights, self.dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build([None, num_labels])
        elif num_labels:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        else:
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds, endpoints included."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found "
                                 f"rank {len(shape)}. Full shape received for `y_pred`: "
                                 f"{tuple(shape)}")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        for key in _CONDITIONS:
            self.add_variable(shape=variable_shape, initializer="zeros",
                              name=_CONDITION_NAMES[key])
        (self.true_positives, self.false_positives, self.true_negatives,
         self.false_negatives) = self._variables
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the confusion counts at every threshold."""
        y_pred = metrics_utils.as_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = tf.sigmoid(metrics_utils.as_float(y_pred))
        update_confusion_matrix_variables(
            dict(zip(_CONDITIONS, self._variables)), y_true, y_pred, self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights)

    def _average_over_labels(self, per_threshold):
        if not self.multi_label:
            return tf.reduce_sum(per_threshold)
        by_label = tf.reduce_sum(per_threshold, axis=0)
        if self.label_weights is None:
            return tf.reduce_mean(by_label)
        return tf.math.divide_no_nan(tf.reduce_sum(by_label * self.label_weights),
                                           tf.reduce_sum(self.label_weights))

    def interpolate_pr_auc(self):
        """The PR-AUC with precision interpolated between thresholds as Davis & Goadrich
        (2006) do: linearly in the counts, not in the ratio."""
        tp, fp, fn = (self.true_positives.value, self.false_positives.value,
                      self.false_negatives.value)
        positives = tp + fp
        dtp = tp[:-1] - tp[1:]
        dp = positives[:-1] - positives[1:]
        slope = tf.math.divide_no_nan(dtp, tf.maximum(dp, 0.0))
        intercept = tp[1:] - slope * positives[1:]
        both_positive = tf.logical_and(tf.greater(positives[:-1], 0.0),
                                       tf.greater(positives[1:], 0.0))
        ratio = tf.where(both_positive, tf.math.divide_no_nan(
            positives[:-1], tf.maximum(positives[1:], 0.0)), tf.ones_like(positives[1:]))
        increments = tf.math.divide_no_nan(
            slope * (dtp + intercept * tf.math.log(ratio)), tf.maximum(tp[1:] + fn[1:], 0.0))
        return self._average_over_labels(increments)

    def _curve_points(self):
        """The curve's (x, y) at each threshold."""
        tp, fp, tn, fn = (variable.value for variable in self._variables)
        recall = tf.math.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            return tf.math.divide_no_nan(fp, fp + tn), recall
        if self.curve == "PR":
            return recall, tf.math.divide_no_nan(tp, tp + fp)
        # PRGAIN: gains scaled by positives / negatives; with no true positives the recall
        # gain is 0 and the precision gain 1, and a negative recall gain is clipped to 0.
        scale = tf.math.divide_no_nan(tp + fn, tn + fp)
        no_tp = tf.equal(tp, 0.0)
        recall_gain = 1.0 - scale * tf.math.divide_no_nan(fn, tp)
        precision_gain = 1.0 - scale * tf.math.divide_no_nan(fp, tp)
        recall_gain = tf.maximum(tf.where(no_tp, tf.zeros_like(tp), recall_gain), 0.0)
        precision_gain = tf.where(no_tp, tf.ones_like(tp), precision_gain)
        return recall_gain, precision_gain

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        x, y = self._curve_points()
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = tf.minimum(y[:-1], y[1:])
        else:
            heights = tf.maximum(y[:-1], y[1:])
        return self._average_over_labels((x[:-1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        label_weights = None if self.label_weights is None else \
            self.label_weights.numpy().tolist()
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": label_weights, "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
