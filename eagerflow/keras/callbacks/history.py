"""`History`: the per-epoch logs that `fit` returns."""

from eagerflow.keras.callbacks.callback import Callback


class History(Callback):
    """Records each epoch's logs: `history.history["loss"]` is the list of epoch losses,
    `history.epoch` the epoch numbers; `fit` returns it and sets `model.history`."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        if self.model is not None:
            self.model.history = self
