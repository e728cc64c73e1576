"""Regression metrics: mean errors, root mean squared error, cosine similarity, R2."""

import warnings

import eagerflow as tf
from eagerflow.keras import losses
from eagerflow.keras.metrics import metrics_utils
from eagerflow.keras.metrics.metric import Metric
from eagerflow.keras.metrics.reduction_metrics import Mean, MeanMetricWrapper


def cosine_similarity(y_true, y_pred, axis=-1):
    """Computes the cosine similarity of `y_true` and `y_pred` along `axis` (0 where
    either is a zero vector).

    >>> from eagerflow.keras.metrics import regression_metrics
    >>> values = regression_metrics.cosine_similarity([[0.0, 1.0], [1.0, 1.0]],
    ...                                               [[1.0, 0.0], [1.0, 1.0]])
    >>> [round(v, 4) for v in values.numpy().tolist()]
    [0.0, 1.0]
    """
    y_pred = metrics_utils.as_tensor(y_pred)
    y_true = metrics_utils.as_tensor(y_true, y_pred.dtype)
    y_true, y_pred = metrics_utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_true = metrics_utils.l2_normalize(y_true, axis=axis)
    y_pred = metrics_utils.l2_normalize(y_pred, axis=axis)
    return tf.reduce_sum(y_true * y_pred, axis=axis)


def _centered_moments(y_true, y_pred, axis):
    """The means of `y_true` and `y_pred` along `axis`, their (population) variances and
    their covariance."""
    y_pred = metrics_utils.as_tensor(y_pred)
    y_true = metrics_utils.as_tensor(y_true, y_pred.dtype)
    y_true, y_pred = metrics_utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
    true_mean = tf.reduce_mean(y_true, axis=axis, keepdims=True)
    pred_mean = tf.reduce_mean(y_pred, axis=axis, keepdims=True)
    true_centered, pred_centered = y_true - true_mean, y_pred - pred_mean
    true_variance = tf.reduce_mean(tf.square(true_centered), axis=axis)
    pred_variance = tf.reduce_mean(tf.square(pred_centered), axis=axis)
    covariance = tf.reduce_mean(true_centered * pred_centered, axis=axis)
    return (tf.squeeze(true_mean, axis), tf.squeeze(pred_mean, axis), true_variance,
            pred_variance, covariance)


def pearson_correlation(y_true, y_pred, axis=-1):
    """Computes the Pearson correlation coefficient of `y_true` and `y_pred` along
    `axis` (NaN where either is constant).

    >>> from eagerflow.keras import metrics
    >>> metrics.pearson_correlation([[0.0, 1.0, 2.0]], [[0.0, 2.0, 4.0]]).numpy().tolist()
    [1.0]
    """
    _, _, true_variance, pred_variance, covariance = _centered_moments(y_true, y_pred, axis)
    return covariance / tf.sqrt(true_variance * pred_variance)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Computes Lin's concordance correlation coefficient of `y_true` and `y_pred` along
    `axis`: `2 cov / (var_true + var_pred + (mean_true - mean_pred) ** 2)`.

    >>> from eagerflow.keras import metrics
    >>> values = metrics.concordance_correlation([[0.0, 1.0, 2.0]], [[0.5, 1.2, 1.9]])
    >>> [round(v, 4) for v in values.numpy().tolist()]
    [0.9032]
    """
    true_mean, pred_mean, true_variance, pred_variance, covariance = _centered_moments(
        y_true, y_pred, axis)
    return 2.0 * covariance / (true_variance + pred_variance +
                               tf.square(true_mean - pred_mean))


class _LossMean(MeanMetricWrapper):
    """The mean of a loss function's per-sample values; configured by name and dtype."""

    _function = None
    _default_name = None

    def __init__(self, name=None, dtype=None):
        super().__init__(type(self)._function, name=name or self._default_name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredError(_LossMean):
    """Computes the mean squared error between labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> float(m.result())
    0.25
    """

    _function = staticmethod(losses.mean_squared_error)

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsoluteError(_LossMean):
    """Computes the mean absolute error between labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.MeanAbsoluteError()
    >>> m.update_state([[0, 1], [0, 0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> float(m.result())
    0.25
    """

    _function = staticmethod(losses.mean_absolute_error)

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsolutePercentageError(_LossMean):
    """Computes the mean absolute percentage error between labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.MeanAbsolutePercentageError()
    >>> m.update_state([[2.0, 1.0], [4.0, 5.0]], [[1.0, 1.0], [3.0, 5.0]])
    >>> float(m.result())
    18.75
    """

    _function = staticmethod(losses.mean_absolute_percentage_error)

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_LossMean):
    """Computes the mean squared logarithmic error between labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.MeanSquaredLogarithmicError()
    >>> m.update_state([[0, 1], [0, 0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> round(float(m.result()), 4)
    0.1201
    """

    _function = staticmethod(losses.mean_squared_logarithmic_error)

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class LogCoshError(_LossMean):
    """Computes the logarithm of the hyperbolic cosine of the prediction error.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.LogCoshError()
    >>> m.update_state([[0, 1], [0, 0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> round(float(m.result()), 4)
    0.1084
    """

    _function = staticmethod(losses.log_cosh)

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """Computes the root mean squared error between labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the squared errors; `sample_weight` weights each sample."""
        y_true = metrics_utils.as_tensor(y_true, self.dtype)
        y_pred = metrics_utils.as_tensor(y_pred, self.dtype)
        y_true, y_pred = metrics_utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(tf.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return tf.sqrt(super().result())


class CosineSimilarity(MeanMetricWrapper):
    """Computes the mean cosine similarity between labels and predictions along `axis`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.CosineSimilarity(axis=1)
    >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    >>> round(float(m.result()), 4)
    0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class PearsonCorrelation(MeanMetricWrapper):
    """Computes the Pearson correlation coefficient of labels and predictions along
    `axis`, averaged over the other entries and the batches.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.PearsonCorrelation()
    >>> m.update_state([[0.0, 1.0, 2.0], [1.0, 0.0, 3.0]], [[0.0, 2.0, 4.0], [3.0, 0.0, 1.0]])
    >>> round(float(m.result()), 4)
    0.5714
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """Computes Lin's concordance correlation coefficient of labels and predictions along
    `axis`, averaged over the other entries and the batches.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.ConcordanceCorrelation()
    >>> m.update_state([[0.0, 1.0, 2.0]], [[0.5, 1.2, 1.9]])
    >>> round(float(m.result()), 4)
    0.9032
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class R2Score(Metric):
    """Computes the coefficient of determination R2 = 1 - SS_res / SS_tot, per output
    column, aggregated over the columns.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.R2Score()
    >>> m.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
    >>> round(float(m.result()), 4)
    0.5714

    Args:
      class_aggregation: "uniform_average" (the mean over columns), "variance_weighted_
        average" (weighted by each column's variance) or None (one score per column).
      num_regressors: the number of independent variables, for the adjusted R2 (0: plain).
      name: the metric's name.
      dtype: the dtype of the metric's result.
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0,
                 name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        choices = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in choices:
            raise ValueError("Invalid value for argument `class_aggregation`. Expected one of "
                             f"{choices}. Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value "
                             f">= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros",
                                             name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). "
                             f"Received input shapes: y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        columns = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape=columns, initializer="zeros",
                                             name="squared_sum")
        self.sum = self.add_variable(shape=columns, initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=columns, initializer="zeros",
                                           name="residual")
        self.count = self.add_variable(shape=columns, initializer="zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the sums behind R2; `sample_weight` weights samples (or entries)."""
        # As Keras, the state stays in floatx whatever `dtype` says.
        dtype = self.num_samples.dtype
        y_true = metrics_utils.as_tensor(y_true, dtype)
        y_pred = metrics_utils.as_tensor(y_pred, dtype)
        y_true, y_pred = metrics_utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        weight = metrics_utils.as_tensor(1.0 if sample_weight is None else sample_weight,
                                         dtype)
        if len(weight.shape) == 1:
            weight = tf.expand_dims(weight, 1)
        weight = tf.broadcast_to(weight, y_true.shape)
        weighted_y_true = y_true * weight
        self.sum.assign_add(tf.reduce_sum(weighted_y_true, axis=0))
        self.squared_sum.assign_add(tf.reduce_sum(y_true * weighted_y_true, axis=0))
        self.total_mse.assign_add(tf.reduce_sum(tf.square(y_true - y_pred) * weight, axis=0))
        self.count.assign_add(tf.reduce_sum(weight, axis=0))
        self.num_samples.assign_add(tf.cast(tf.size(y_true), self.num_samples.dtype))

    def result(self):
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw_scores = 1.0 - self.total_mse.value / total
        raw_scores = tf.where(tf.equal(tf.abs(raw_scores), float("inf")),
                              tf.zeros_like(raw_scores), raw_scores)
        if self.class_aggregation == "uniform_average":
            score = tf.reduce_mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = tf.reduce_sum(total * raw_scores) / tf.reduce_sum(total)
        else:
            score = raw_scores
        if self.num_regressors:
            samples = float(self.num_samples)
            if self.num_regressors > samples - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 "
                              "score. Falling back to standard R2 score.", stacklevel=2)
            elif self.num_regressors == samples - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to "
                              "standard R2 score.", stacklevel=2)
            else:
                score = 1.0 - (1.0 - score) * (samples - 1.0) / (
                    samples - self.num_regressors - 1.0)
        return score

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
