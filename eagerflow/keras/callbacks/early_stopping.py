"""`EarlyStopping`: stops training when a monitored metric has stopped improving."""

import warnings

from eagerflow.keras.callbacks.monitor_callback import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stop training when a monitored metric has stopped improving.

    At the end of every epoch `fit` checks whether the monitored quantity improved by more
    than `min_delta`; after `patience` epochs without improvement it sets
    `model.stop_training = True` and training ends. The quantity must be in the epoch logs:
    the loss, or a metric passed to `compile` (prefixed "val_" on validation data).

    >>> from eagerflow import keras
    >>> callback = keras.callbacks.EarlyStopping(monitor="loss", patience=3)
    >>> model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10)])
    >>> model.compile(keras.optimizers.SGD(), loss="mse")
    >>> history = model.fit(np.arange(100.0).reshape(5, 20), np.zeros(5), epochs=10,
    ...                     batch_size=1, callbacks=[callback], verbose=0)
    >>> len(history.history["loss"])  # the loss diverges: 4 epochs are run
    4

    Args:
      monitor: the quantity to monitor (default "val_loss").
      min_delta: the smallest change of the monitored quantity that counts as an improvement.
      patience: the number of epochs without improvement after which training stops.
      verbose: 0 is silent; 1 prints a message when the callback acts.
      mode: "min", "max" or "auto" (the direction inferred from the monitored quantity).
      baseline: a value the monitored quantity must beat; while it doesn't, the patience
        count is not reset.
      restore_best_weights: whether to restore, when training ends, the weights of the epoch
        with the best monitored value (regardless of `baseline`). If False, the weights of
        the last step are kept.
      start_from_epoch: the number of warm-up epochs before monitoring starts.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        # The callback can be reused across `fit` calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()  # only now are the compiled metrics built
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # The patience count restarts only when the baseline is beaten too.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs)}", stacklevel=2)
        return value
