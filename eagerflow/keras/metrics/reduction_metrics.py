"""`Sum`, `Mean` and `MeanMetricWrapper`: the metrics that reduce values over batches."""

import eagerflow as tf
from eagerflow.keras.metrics import metrics_utils
from eagerflow.keras.metrics.metric import Metric


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weighted values reduced to one per sample, and the weights reduced alike.

    The weights and the values are brought to the same rank (a last axis of 1 dropped or
    added), the values reduced over the axes the weights lack, the weights broadcast to
    the values and multiplied in; then both are reduced over all axes but the first.
    """
    values = metrics_utils.as_tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = metrics_utils.as_tensor(sample_weight, dtype)
        values, sample_weight = metrics_utils.squeeze_or_expand_to_same_rank(
            values, sample_weight)
        weight_rank = len(sample_weight.shape)
        if len(values.shape) > weight_rank:
            values = reduce_fn(values, axis=list(range(weight_rank, len(values.shape))))
        sample_weight = tf.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_rank)))
    if len(values.shape) > 1:
        values = reduce_fn(values, axis=list(range(1, len(values.shape))))
    return values, sample_weight


class Sum(Metric):
    """Computes the (weighted) sum of the given values.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.Sum()
    >>> m.update_state([1, 3, 5, 7])
    >>> float(m.result())
    16.0
    >>> m.reset_state()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 0, 0, 1])
    >>> float(m.result())
    8.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, tf.reduce_sum,
                                                self.dtype)
        self.total.assign_add(tf.reduce_sum(values))

    def result(self):
        return tf.identity(self.total)


class Mean(Metric):
    """Computes the (weighted) mean of the given values: `sum(w * v) / sum(w)`.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.Mean()
    >>> m.update_state([1, 3, 5, 7])
    >>> float(m.result())
    4.0
    >>> m.reset_state()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight,
                                                            tf.reduce_mean, self.dtype)
        self.total.assign_add(tf.reduce_sum(values))
        if sample_weight is not None:
            count = tf.reduce_sum(sample_weight)
        else:
            count = tf.constant(values.shape[0] if len(values.shape) else 1, self.dtype)
        self.count.assign_add(count)

    def result(self):
        return tf.math.divide_no_nan(self.total.value, self.count.value)


def _is_loss_function(fn):
    return getattr(fn, "__module__", None) == "eagerflow.keras.losses" or (
        type(fn).__module__ == "eagerflow.keras.losses")


class MeanMetricWrapper(Mean):
    """Wraps a function `fn(y_true, y_pred, **kwargs)` of per-sample values as a metric
    that averages them.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.MeanMetricWrapper(metrics.binary_accuracy, threshold=0.7)
    >>> m.update_state([1, 1, 0], [0.8, 0.6, 0.1])
    >>> round(float(m.result()), 4)
    0.6667

    Args:
      fn: the function to wrap.
      name: the metric's name.
      dtype: the dtype of the metric's result.
      **kwargs: keyword arguments passed on to `fn`.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        if _is_loss_function(fn):
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        from eagerflow.keras.metrics import serialize
        return {**super().get_config(), "fn": serialize(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        from eagerflow.keras.metrics import deserialize
        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize(config["fn"])
        return cls(**config)
