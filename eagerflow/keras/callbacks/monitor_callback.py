"""`MonitorCallback`: the shared base of callbacks that watch one metric for improvement."""

import warnings

import eagerflow as tf
from eagerflow.keras.callbacks.callback import Callback


class MonitorCallback(Callback):
    """Base class for callbacks that monitor a quantity and judge its improvements.

    It picks the comparison from `mode` (for "auto": "loss" and "val_loss" are minimized,
    and a compiled metric such as "accuracy" or "auc" goes in the direction it declares)
    and tells whether a new value improves on a reference by more than `min_delta`.
    Subclasses (`EarlyStopping`, `ReduceLROnPlateau`) call `_set_monitor_op()` once the
    model's metrics are built, then `_is_improvement(value, self.best)`.

    >>> from eagerflow.keras.callbacks.monitor_callback import MonitorCallback
    >>> callback = MonitorCallback(monitor="loss", min_delta=0.1)
    >>> callback._set_monitor_op()
    >>> callback._is_improvement(0.85, 1.0), callback._is_improvement(0.95, 1.0)
    (True, False)

    Args:
      monitor: the quantity to monitor, a key of the epoch logs (default "val_loss").
      mode: "min", "max" or "auto" (the direction inferred from the monitored quantity).
      baseline: the initial best value (None: the first monitored value).
      min_delta: the smallest change that counts as an improvement.

    Raises:
      ValueError: in "auto" mode, when the direction of the metric cannot be inferred.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          f"mode.", stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = tf.math.less
        elif self.mode == "max":
            self.monitor_op = tf.math.greater
        else:
            metric_name = self.monitor.removeprefix("val_")
            if metric_name == "loss":
                self.monitor_op = tf.math.less
            for metric in self._compiled_metrics():
                direction = getattr(metric, "_direction", None)
                if metric.name == metric_name and direction is not None:
                    self.monitor_op = tf.math.greater if direction == "up" else tf.math.less
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but "
                    f"Keras isn't able to automatically determine whether that metric should "
                    f"be maximized or minimized. Pass `mode='max'` in order to monitor based "
                    f"on the highest metric value, or pass `mode='min'` in order to use the "
                    f"lowest value.")
        if self.monitor_op is tf.math.less:
            self.min_delta *= -1

    def _compiled_metrics(self):
        """The metric objects `compile` made (inside the model's `CompileMetrics`)."""
        from eagerflow.keras.compile_utils import CompileMetrics
        result = []
        for metric in getattr(self.model, "metrics", None) or []:
            if isinstance(metric, CompileMetrics):
                result.extend(metric.metrics)
        return result

    def _is_improvement(self, monitor_value, reference_value):
        if reference_value is None:
            return True
        # Compared as Keras does, through an op (so in float32 for Python floats).
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
