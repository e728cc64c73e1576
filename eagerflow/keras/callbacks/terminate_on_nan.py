"""`TerminateOnNaN`: stops training when the loss becomes NaN or infinite."""

import math

from eagerflow.keras.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Callback that terminates training when a NaN or Inf loss is encountered.

    By default training stops gracefully: the callback sets `model.stop_training = True`,
    so the other callbacks' `on_train_end` still runs. With `raise_error=True` it raises a
    `RuntimeError` at once instead, which skips that cleanup (useful to keep a backup state
    untouched when training fails).

    >>> from eagerflow import keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> x = np.array([[1.0, 2.0], [np.nan, 1.0]])
    >>> history = model.fit(x, np.ones((2, 1)), batch_size=1, epochs=3, shuffle=False,
    ...                     verbose=0, callbacks=[keras.callbacks.TerminateOnNaN()])
    Batch 1: Invalid loss, terminating training
    >>> len(history.history["loss"])
    1

    Args:
      raise_error: False stops training through `model.stop_training`; True raises a
        `RuntimeError` immediately.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        """Checks the loss of the batch that just ended.

        Raises:
          RuntimeError: if the loss is NaN or Inf and `raise_error` is True.
        """
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                               f"{loss}. Terminating training immediately.")
        print(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
