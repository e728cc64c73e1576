"""`LambdaCallback`: a callback made on the fly from functions."""

from eagerflow.keras.callbacks.callback import Callback

# Each function is called as Keras calls it, whoever calls the hook: epoch hooks as
# f(epoch, logs), batch hooks as f(batch, logs=logs), the others as f(logs), with logs {}
# where there are none.
_EPOCH_HOOKS = ("on_epoch_begin", "on_epoch_end")
_BATCH_HOOKS = ("on_batch_begin", "on_batch_end") + tuple(
    f"on_{stage}_batch_{when}" for stage in ("train", "test", "predict")
    for when in ("begin", "end"))
_LOGS_HOOKS = tuple(f"on_{stage}_{when}" for stage in ("train", "test", "predict")
                    for when in ("begin", "end"))


def _hook(name, function):
    if name in _EPOCH_HOOKS:
        return lambda epoch, logs=None: function(epoch, {} if logs is None else logs)
    if name in _BATCH_HOOKS:
        return lambda batch, logs=None: function(batch, logs={} if logs is None else logs)
    return lambda logs=None: function({} if logs is None else logs)


class LambdaCallback(Callback):
    r"""Callback for creating simple, custom callbacks on-the-fly.

    The functions are called at the matching points of `fit`, `evaluate` and `predict`,
    with positional arguments:

    - `on_epoch_begin` and `on_epoch_end`: `epoch`, `logs`;
    - `on_train_begin` and `on_train_end`: `logs`;
    - `on_train_batch_begin` and `on_train_batch_end`: `batch`, and `logs` as a keyword;
    - any other hook of `Callback`, passed by name in `kwargs` (`on_test_end=...`), with
      that hook's arguments.

    >>> from eagerflow import keras
    >>> seen = []
    >>> callback = keras.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: seen.append(epoch),
    ...     on_train_batch_begin=lambda batch, logs: seen.append(f"batch {batch}"))
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), batch_size=2, epochs=2, verbose=0,
    ...               callbacks=[callback])
    >>> seen
    ['batch 0', 'batch 1', 0, 'batch 0', 'batch 1', 1]

    Args:
      on_epoch_begin, on_epoch_end: called at the beginning and end of every epoch.
      on_train_begin, on_train_end: called at the beginning and end of training.
      on_train_batch_begin, on_train_batch_end: called at the beginning and end of every
        training batch.
      **kwargs: any other hook of `Callback` by name, `function_name=function`; other names
        become attributes of the callback, as in Keras.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        functions = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                     "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                     "on_train_batch_begin": on_train_batch_begin,
                     "on_train_batch_end": on_train_batch_end, **kwargs}
        hooks = _EPOCH_HOOKS + _BATCH_HOOKS + _LOGS_HOOKS
        for name, function in functions.items():
            if name in hooks:
                if function is not None:
                    setattr(self, name, _hook(name, function))
            else:
                setattr(self, name, function)
