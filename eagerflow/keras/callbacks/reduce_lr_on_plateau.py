"""`ReduceLROnPlateau`: lowers the learning rate when a metric has stopped improving."""

import warnings

import eagerflow as tf
from eagerflow.keras.callbacks.monitor_callback import MonitorCallback


class ReduceLROnPlateau(MonitorCallback):
    """Reduce learning rate when a metric has stopped improving.

    Models often benefit from reducing the learning rate by a factor of 2-10 once learning
    stagnates. This callback monitors a quantity and, after `patience` epochs without
    improvement, multiplies `model.optimizer.learning_rate` by `factor` (not below `min_lr`).
    It also adds the current rate to the epoch logs as "learning_rate".

    >>> from eagerflow import keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="loss", min_delta=10.0,
    ...                                               patience=1, factor=0.5)
    >>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, verbose=0,
    ...                     callbacks=[reduce_lr])
    >>> [round(rate, 4) for rate in history.history["learning_rate"]]
    [0.01, 0.01, 0.005]

    Args:
      monitor: the quantity to monitor (default "val_loss").
      factor: the factor by which the learning rate is reduced: `new_lr = lr * factor`.
      patience: the number of epochs without improvement after which the rate is reduced.
      verbose: 0 is silent; 1 prints a message at each reduction.
      mode: "min", "max" or "auto" (the direction inferred from the monitored quantity).
      min_delta: the threshold for measuring a new optimum.
      cooldown: the number of epochs to wait after a reduction before counting again.
      min_lr: the lower bound of the learning rate.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received "
                             f"factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        """Resets the wait and cooldown counters and the best value."""
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()  # only now are the compiled metrics built
        logs = logs if logs is not None else {}
        logs["learning_rate"] = float(self.model.optimizer.learning_rate)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` "
                          f"which is not available. Available metrics are: "
                          f"{','.join(logs)}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_learning_rate(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def _reduce_learning_rate(self, epoch):
        optimizer = self.model.optimizer
        old_lr = float(optimizer.learning_rate)
        # The rate is a float32 variable: compare with `min_lr` as float32 too, or a rate
        # already at `min_lr` would be "reduced" to it again every epoch.
        if old_lr <= float(tf.constant(self.min_lr, "float32")):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                  f"{new_lr}.")
        return True

    def in_cooldown(self):
        return self.cooldown_counter > 0
