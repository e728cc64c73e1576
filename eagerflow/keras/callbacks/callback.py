"""The Callback base class and the list that dispatches to callbacks during training."""


class Callback:
    """Base class of callbacks: override any `on_*` hook; `self.model` is the model and
    `self.params` holds `verbose`, `epochs` and `steps`.

    Logs reach the hooks as dicts of Python floats, sorted by name.

    >>> from eagerflow import keras
    >>> class CountEpochs(keras.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.count = epoch + 1
    """

    def __init__(self):
        self.model = None
        self.params = None

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        """Called at the start of `fit`."""

    def on_train_end(self, logs=None):
        """Called at the end of `fit` with the last epoch's logs."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch (during `fit`)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch with its logs (validation ones prefixed `val_`)."""

    def on_batch_begin(self, batch, logs=None):
        """A backwards-compatible alias of `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """A backwards-compatible alias of `on_train_batch_end`."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before a training batch; the base calls `on_batch_begin`."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after a training batch with the running metrics; the base calls
        `on_batch_end`."""
        self.on_batch_end(batch, logs=logs)

    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` (and of validation in `fit`)."""

    def on_test_end(self, logs=None):
        """Called at the end of `evaluate` with its logs."""

    def on_test_batch_begin(self, batch, logs=None):
        """Called before an evaluation batch."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after an evaluation batch with the running metrics."""

    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`."""

    def on_predict_end(self, logs=None):
        """Called at the end of `predict`."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a prediction batch."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a prediction batch; `logs["outputs"]` holds its outputs."""


def pythonify_logs(logs):
    """Logs as Keras hands them to callbacks: sorted by name, nested dicts flattened,
    values as Python floats where they convert."""
    result = {}
    for name, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            pass
        result[name] = value
    return result


class CallbackList(Callback):
    """Calls each hook on every callback in order; `fit` adds a History and, unless
    `verbose=0`, a ProgbarLogger after the user's callbacks."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        from eagerflow.keras.callbacks.history import History
        from eagerflow.keras.callbacks.progbar_logger import ProgbarLogger
        import eagerflow as tf
        self.callbacks = tf.nest.flatten(callbacks) if callbacks else []  # one, or nested
        history = next((c for c in self.callbacks if isinstance(c, History)), None)
        if history is None and add_history:
            self.callbacks.append(History())
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback):
        self.callbacks.append(callback)

    def set_model(self, model):
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    def _call(self, hook, *args, logs=None):
        logs = pythonify_logs(logs) if logs is not None else {}
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs=logs)  # by keyword, as Keras calls hooks

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs=logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch, logs=None):
        # The outputs are arrays: they are passed as they are.
        for callback in self.callbacks:
            callback.on_predict_batch_end(batch, logs or {})
