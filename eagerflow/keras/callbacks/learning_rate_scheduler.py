"""`LearningRateScheduler`: sets the learning rate at the start of every epoch."""

import inspect

import numpy as np

from eagerflow.keras.callbacks.callback import Callback


def _takes_learning_rate(schedule):
    """Whether `schedule` accepts `(epoch, lr)`; otherwise it is called as `(epoch)`."""
    try:
        signature = inspect.signature(schedule)
    except ValueError:  # no signature (a builtin): try the two-argument form, as Keras does
        return True
    try:
        signature.bind(0, 0.0)
    except TypeError:
        return False
    return True


class LearningRateScheduler(Callback):
    """Learning rate scheduler.

    At the beginning of every epoch, this callback gets the learning rate from
    `schedule(epoch, lr)` (or `schedule(epoch)`), with the epoch index counted from 0 and
    the current rate as a float, and sets it on the optimizer. At the end of every epoch it
    adds the rate to the logs as "learning_rate".

    >>> from eagerflow import keras
    >>> def scheduler(epoch, lr):
    ...     return lr if epoch < 2 else lr * 0.5
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(keras.optimizers.SGD(), loss="mse")
    >>> callback = keras.callbacks.LearningRateScheduler(scheduler)
    >>> history = model.fit(np.ones((4, 2)), np.zeros(4), epochs=4, callbacks=[callback],
    ...                     verbose=0)
    >>> round(float(model.optimizer.learning_rate), 5)
    0.0025

    Args:
      schedule: a function of the epoch index (and the current learning rate) that returns
        the new learning rate, a float.
      verbose: 0 is silent; 1 prints the rate set at each epoch.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        if _takes_learning_rate(self.schedule):
            learning_rate = self.schedule(epoch, float(optimizer.learning_rate))
        else:
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. "
                             f"Got: {learning_rate}")
        optimizer.learning_rate = learning_rate
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
