"""Hinge metrics: the means of the hinge losses."""

from eagerflow.keras import losses
from eagerflow.keras.metrics.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """Computes the hinge loss between labels (-1/1, or 0/1) and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.Hinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.3
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(fn=losses.hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SquaredHinge(MeanMetricWrapper):
    """Computes the squared hinge loss between labels (-1/1, or 0/1) and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.SquaredHinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.86
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(fn=losses.squared_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class CategoricalHinge(MeanMetricWrapper):
    """Computes the categorical hinge loss between one-hot labels and predictions.

    >>> from eagerflow.keras import metrics
    >>> m = metrics.CategoricalHinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.4
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(fn=losses.categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
