"""Tests for the metric-watching and utility callbacks, through real small `fit` runs.

Expected messages, counters, learning rates and CSV layouts are recorded from Keras 3.15
(TensorFlow 2.21 backend) on the same setups: a `Dense(1)` on 8 samples of 4 features with
"sgd" (learning rate 0.01) and "mse", where the loss falls every epoch; a huge `min_delta`
or `mode="max"` makes epochs count as no improvement.
"""

import math

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras import backend
from eagerflow.keras.callbacks.csv_logger import CSVLogger
from eagerflow.keras.callbacks.early_stopping import EarlyStopping
from eagerflow.keras.callbacks.lambda_callback import LambdaCallback
from eagerflow.keras.callbacks.learning_rate_scheduler import LearningRateScheduler
from eagerflow.keras.callbacks.monitor_callback import MonitorCallback
from eagerflow.keras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from eagerflow.keras.callbacks.terminate_on_nan import TerminateOnNaN

X = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
Y = (X.sum(axis=1, keepdims=True) * 0.5).astype("float32")


@pytest.fixture(autouse=True)
def _fresh_names():
    backend.clear_session()


def _model():
    """The Dense(1) regression, from zero weights so that every run has the same losses."""
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.set_weights([np.zeros((4, 1), "float32"), np.zeros((1,), "float32")])
    model.compile("sgd", "mse")
    return model


def _fit(model, callbacks, epochs=10, **kwargs):
    return model.fit(X, Y, epochs=epochs, verbose=0, callbacks=callbacks, **kwargs)


def _same_weights(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def _learning_rates(model, hook="on_epoch_end"):
    """A callback recording the optimizer's learning rate at `hook`, and its list."""
    rates = []
    return LambdaCallback(**{hook: lambda epoch, logs: rates.append(
        float(model.optimizer.learning_rate))}), rates


# --- MonitorCallback ----------------------------------------------------------------------

@pytest.mark.parametrize("monitor, mode, op, min_delta", [
    ("loss", "auto", "less", -0.1),
    ("val_loss", "auto", "less", -0.1),
    ("anything", "min", "less", -0.1),
    ("anything", "max", "greater", 0.1),
])
def test_monitor_direction_and_min_delta(monitor, mode, op, min_delta):
    callback = MonitorCallback(monitor=monitor, mode=mode, min_delta=0.1)
    callback._set_monitor_op()
    assert callback.monitor_op.__name__ == op
    assert callback.min_delta == min_delta
    # An improvement must beat the reference by more than min_delta.
    better, slightly_better = (0.85, 0.95) if op == "less" else (1.15, 1.05)
    assert callback._is_improvement(better, 1.0)
    assert not callback._is_improvement(slightly_better, 1.0)
    assert callback._is_improvement(123.0, None)


def test_monitor_defaults_and_unknown_mode():
    callback = MonitorCallback()
    assert (callback.monitor, callback.mode, callback.best, callback.min_delta,
            callback.monitor_op) == ("val_loss", "auto", None, 0, None)
    assert MonitorCallback(min_delta=-0.5).min_delta == 0.5  # recorded from Keras 3.15
    with pytest.warns(UserWarning) as record:
        callback = EarlyStopping(mode="bogus")
    # recorded from Keras 3.15
    assert str(record[0].message) == "EarlyStopping mode 'bogus' is unknown, fallback to auto mode."
    assert callback.mode == "auto"


def test_auto_mode_follows_the_compiled_metrics():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=[
        "accuracy", "auc", keras.metrics.MeanSquaredError(name="msq")])
    labels = (Y > 0).astype("float32")
    watchers = [EarlyStopping(monitor="val_accuracy", patience=5),
                EarlyStopping(monitor="auc", patience=5),
                ReduceLROnPlateau(monitor="msq"), EarlyStopping(monitor="val_loss")]
    model.fit(X, labels, epochs=1, verbose=0, validation_data=(X, labels), callbacks=watchers)
    # recorded from Keras 3.15: accuracy and AUC are maximized, errors and losses minimized
    assert [w.monitor_op.__name__ for w in watchers] == ["greater", "greater", "less", "less"]


def test_auto_mode_without_a_direction_raises():
    with pytest.raises(ValueError) as info:
        _fit(_model(), [EarlyStopping(monitor="mse")], epochs=1)
    # recorded from Keras 3.15
    assert str(info.value) == (
        "EarlyStopping callback received monitor=mse, but Keras isn't able to automatically "
        "determine whether that metric should be maximized or minimized. Pass `mode='max'` "
        "in order to monitor based on the highest metric value, or pass `mode='min'` in "
        "order to use the lowest value.")


# --- EarlyStopping ------------------------------------------------------------------------

def test_early_stopping_defaults():
    callback = EarlyStopping()
    # recorded from Keras 3.15
    assert {name: getattr(callback, name) for name in (
        "monitor", "mode", "best", "min_delta", "monitor_op", "patience", "verbose",
        "baseline", "wait", "stopped_epoch", "restore_best_weights", "best_weights",
        "start_from_epoch")} == {
        "monitor": "val_loss", "mode": "auto", "best": None, "min_delta": 0,
        "monitor_op": None, "patience": 0, "verbose": 0, "baseline": None, "wait": 0,
        "stopped_epoch": 0, "restore_best_weights": False, "best_weights": None,
        "start_from_epoch": 0}


def test_early_stopping_stops_after_patience_and_restores_the_best_weights(capsys):
    model = _model()
    snapshots = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(
        model.get_weights()))
    # Nothing improves by 100, so epoch 0 stays the best and epoch 2 ends the patience.
    callback = EarlyStopping(monitor="loss", min_delta=100, patience=2, verbose=1,
                             restore_best_weights=True)
    history = _fit(model, [record, callback])
    # recorded from Keras 3.15
    assert capsys.readouterr().out == (
        "Epoch 3: early stopping\n"
        "Restoring model weights from the end of the best epoch: 1.\n")
    assert len(history.history["loss"]) == 3
    assert (callback.stopped_epoch, callback.best_epoch, callback.wait) == (2, 0, 2)
    assert callback.best == history.history["loss"][0]
    assert _same_weights(model.get_weights(), snapshots[0])
    assert not _same_weights(model.get_weights(), snapshots[-1])


def test_early_stopping_patience_zero_in_max_mode(capsys):
    callback = EarlyStopping(monitor="loss", mode="max", verbose=1)
    history = _fit(_model(), [callback])  # the loss falls, which is no improvement here
    # recorded from Keras 3.15
    assert capsys.readouterr().out == "Epoch 2: early stopping\n"
    assert len(history.history["loss"]) == 2
    assert (callback.stopped_epoch, callback.best_epoch, callback.wait) == (1, 0, 1)


def test_early_stopping_keeps_the_last_weights_without_restore():
    model = _model()
    snapshots = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(
        model.get_weights()))
    _fit(model, [record, EarlyStopping(monitor="loss", min_delta=100, patience=1)])
    assert len(snapshots) == 2
    assert _same_weights(model.get_weights(), snapshots[-1])


def test_early_stopping_restores_even_without_stopping(capsys):
    model = _model()
    snapshots = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(
        model.get_weights()))
    callback = EarlyStopping(monitor="loss", restore_best_weights=True, verbose=1)
    _fit(model, [record, callback], epochs=3)
    # recorded from Keras 3.15: the loss falls every epoch, so the last epoch is the best
    assert capsys.readouterr().out == (
        "Restoring model weights from the end of the best epoch: 3.\n")
    assert callback.best_epoch == 2
    assert _same_weights(model.get_weights(), snapshots[-1])


def test_early_stopping_baseline_holds_the_patience_count():
    callback = EarlyStopping(monitor="loss", baseline=0.0, patience=3)
    history = _fit(_model(), [callback])
    # recorded from Keras 3.15: every epoch improves, none beats the baseline, and an
    # improving epoch never stops training
    assert len(history.history["loss"]) == 10
    assert (callback.stopped_epoch, callback.best_epoch, callback.wait) == (0, 9, 10)


def test_early_stopping_baseline_stops_without_improvement():
    callback = EarlyStopping(monitor="loss", mode="max", baseline=100.0, patience=2)
    history = _fit(_model(), [callback])
    # recorded from Keras 3.15: epoch 0 counts towards the patience, as it misses the
    # baseline
    assert len(history.history["loss"]) == 2
    assert (callback.stopped_epoch, callback.best_epoch, callback.wait) == (1, 0, 2)


def test_early_stopping_waits_for_start_from_epoch():
    callback = EarlyStopping(monitor="loss", min_delta=100, patience=1, start_from_epoch=3)
    history = _fit(_model(), [callback])
    # recorded from Keras 3.15
    assert len(history.history["loss"]) == 5
    assert (callback.stopped_epoch, callback.best_epoch, callback.wait) == (4, 3, 1)


def test_early_stopping_on_validation_loss():
    callback = EarlyStopping(min_delta=100, patience=1)
    history = _fit(_model(), [callback], validation_data=(X, Y))
    assert len(history.history["val_loss"]) == 2
    assert callback.best == history.history["val_loss"][0]


def test_early_stopping_warns_when_the_metric_is_missing():
    with pytest.warns(UserWarning) as record:
        history = _fit(_model(), [EarlyStopping()], epochs=2)
    messages = [str(w.message) for w in record if "Early stopping" in str(w.message)]
    # recorded from Keras 3.15: once per epoch, and training goes on
    assert messages == ["Early stopping conditioned on metric `val_loss` which is not "
                        "available. Available metrics are: loss"] * 2
    assert len(history.history["loss"]) == 2


def test_early_stopping_can_be_reused():
    callback = EarlyStopping(monitor="loss", min_delta=100, patience=1)
    model = _model()
    assert len(_fit(model, [callback]).history["loss"]) == 2
    assert len(_fit(model, [callback]).history["loss"]) == 2
    assert callback.stopped_epoch == 1


# --- ReduceLROnPlateau --------------------------------------------------------------------

def test_reduce_lr_defaults_and_factor_check():
    callback = ReduceLROnPlateau()
    # recorded from Keras 3.15
    assert (callback.monitor, callback.factor, callback.patience, callback.verbose,
            callback.mode, callback.min_delta, callback.cooldown, callback.min_lr) == (
        "val_loss", 0.1, 10, 0, "auto", 1e-4, 0, 0.0)
    with pytest.raises(ValueError) as info:
        ReduceLROnPlateau(factor=1.0)
    assert str(info.value) == ("ReduceLROnPlateau does not support a factor >= 1.0. "
                               "Received factor=1.0")


def test_reduce_lr_reduces_down_to_min_lr(capsys):
    model = _model()
    record, rates = _learning_rates(model)
    callback = ReduceLROnPlateau(monitor="loss", min_delta=100, patience=1, factor=0.5,
                                 verbose=1, cooldown=1, min_lr=0.002)
    history = _fit(model, [callback, record], epochs=8)
    # recorded from Keras 3.15 (a cooldown of 1 is over by the next epoch's check)
    assert capsys.readouterr().out == (
        "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.004999999888241291.\n"
        "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.0024999999441206455.\n"
        "\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.002.\n")
    assert rates == [0.009999999776482582, 0.004999999888241291, 0.0024999999441206455] + [
        0.0020000000949949026] * 5
    assert history.history["learning_rate"] == [0.009999999776482582] * 2 + rates[1:-1]


def test_reduce_lr_cooldown():
    model = _model()
    callback = ReduceLROnPlateau(monitor="loss", min_delta=100, patience=1, factor=0.5,
                                 cooldown=2)
    history = _fit(model, [callback], epochs=7)
    # recorded from Keras 3.15
    assert history.history["learning_rate"] == [
        0.009999999776482582, 0.009999999776482582, 0.004999999888241291,
        0.004999999888241291, 0.0024999999441206455, 0.0024999999441206455,
        0.0012499999720603228]
    assert float(model.optimizer.learning_rate) == 0.0012499999720603228


def test_reduce_lr_keeps_the_rate_while_improving():
    model = _model()
    history = _fit(model, [ReduceLROnPlateau(monitor="loss", patience=1)], epochs=4)
    assert history.history["learning_rate"] == [0.009999999776482582] * 4


def test_reduce_lr_warns_when_the_metric_is_missing():
    with pytest.warns(UserWarning) as record:
        history = _fit(_model(), [ReduceLROnPlateau()], epochs=1)
    # recorded from Keras 3.15
    assert [str(w.message) for w in record if "reduction" in str(w.message)] == [
        "Learning rate reduction is conditioned on metric `val_loss` which is not available. "
        "Available metrics are: loss,learning_rate."]
    assert history.history["learning_rate"] == [0.009999999776482582]


# --- LearningRateScheduler ----------------------------------------------------------------

def test_scheduler_with_epoch_and_rate(capsys):
    model = _model()
    record, rates = _learning_rates(model, "on_epoch_begin")
    scheduler = LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else 0.1,
                                      verbose=1)
    history = _fit(model, [scheduler, record], epochs=3)
    # recorded from Keras 3.15
    assert capsys.readouterr().out == (
        "\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n"
        "\nEpoch 2: LearningRateScheduler setting learning rate to 0.05000000074505806.\n"
        "\nEpoch 3: LearningRateScheduler setting learning rate to 0.02500000037252903.\n")
    assert rates == [0.10000000149011612, 0.05000000074505806, 0.02500000037252903]
    assert history.history["learning_rate"] == rates


def test_scheduler_with_epoch_only():
    history = _fit(_model(), [LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))],
                   epochs=3)
    # recorded from Keras 3.15
    assert history.history["learning_rate"] == [0.10000000149011612, 0.05000000074505806,
                                                0.03333333507180214]


@pytest.mark.parametrize("value, message", [
    (1, "The output of the `schedule` function should be a float. Got: 1"),
    ("x", "The output of the `schedule` function should be a float. Got: x"),
])
def test_scheduler_requires_a_float(value, message):
    with pytest.raises(ValueError) as info:
        _fit(_model(), [LearningRateScheduler(lambda epoch: value)], epochs=1)
    assert str(info.value) == message  # recorded from Keras 3.15


def test_scheduler_accepts_numpy_floats():
    model = _model()
    _fit(model, [LearningRateScheduler(lambda epoch: np.float32(0.5))], epochs=1)
    assert float(model.optimizer.learning_rate) == 0.5  # recorded from Keras 3.15


def test_scheduler_errors_are_not_swallowed():
    def schedule(epoch, lr):
        raise TypeError("bad schedule")

    with pytest.raises(TypeError, match="bad schedule"):
        _fit(_model(), [LearningRateScheduler(schedule)], epochs=1)


# --- CSVLogger ----------------------------------------------------------------------------

def test_csv_logger_writes_keras_columns(tmp_path):
    path = tmp_path / "log.csv"
    history = _fit(_model(), [CSVLogger(path)], epochs=2)
    losses = history.history["loss"]
    # recorded from Keras 3.15: "val_" columns without validation data, excel line ends
    assert path.read_bytes().decode() == (
        f"epoch,loss,val_loss\r\n0,{losses[0]!r},NA\r\n1,{losses[1]!r},NA\r\n")


def test_csv_logger_appends_without_a_second_header(tmp_path):
    path = tmp_path / "log.csv"
    model = _model()
    _fit(model, [CSVLogger(str(path))], epochs=1)
    history = _fit(model, [CSVLogger(str(path), separator=";", append=True)], epochs=2,
                   validation_data=(X, Y))
    lines = path.read_bytes().decode().split("\r\n")
    # recorded from Keras 3.15
    assert lines[0] == "epoch,loss,val_loss"
    assert lines[2:] == [f"{epoch};{history.history['loss'][epoch]!r};"
                         f"{history.history['val_loss'][epoch]!r}" for epoch in (0, 1)] + [""]


def test_csv_logger_appending_to_an_empty_file_writes_the_header(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("")
    _fit(_model(), [CSVLogger(path, append=True)], epochs=1)
    assert path.read_bytes().decode().startswith("epoch,loss,val_loss\r\n0,")


def test_csv_logger_columns_with_validation_and_learning_rate(tmp_path):
    path = tmp_path / "log.csv"
    _fit(_model(), [LearningRateScheduler(lambda epoch, lr: lr), CSVLogger(path)],
         epochs=2, validation_data=(X, Y))
    lines = path.read_bytes().decode().split("\r\n")
    # recorded from Keras 3.15
    assert lines[0] == "epoch,learning_rate,loss,val_loss"
    assert [line.split(",")[:2] for line in lines[1:3]] == [["0", "0.009999999776482582"],
                                                            ["1", "0.009999999776482582"]]


def test_csv_logger_cell_formats(tmp_path):
    path = tmp_path / "log.csv"
    logger = CSVLogger(path)
    logger.on_train_begin()
    logger.on_epoch_end(0, {"a": np.array([1.0, 2.0]), "b": "s", "c": np.array(3.5),
                            "d": np.float32(0.1)})
    logger.on_train_end()
    # recorded from Keras 3.15
    assert path.read_bytes().decode() == ('epoch,a,b,c,d,val_a,val_b,val_c,val_d\r\n'
                                          '0,"""[1.0, 2.0]""",s,3.5,0.1,NA,NA,NA,NA\r\n')
    assert logger.csv_file.closed


# --- TerminateOnNaN -----------------------------------------------------------------------

def _bad_inputs(row, value):
    x = X.copy()
    x[row, 0] = value
    return x


@pytest.mark.parametrize("row, value, batch", [(5, np.nan, 2), (1, np.inf, 0)])
def test_terminate_on_nan_stops_training(row, value, batch, capsys):
    model = _model()
    history = model.fit(_bad_inputs(row, value), Y, epochs=3, batch_size=2, shuffle=False,
                        verbose=0, callbacks=[TerminateOnNaN()])
    # recorded from Keras 3.15
    assert capsys.readouterr().out == f"Batch {batch}: Invalid loss, terminating training\n"
    assert len(history.history["loss"]) == 1
    assert not math.isfinite(history.history["loss"][0])


def test_terminate_on_nan_can_raise():
    ended = []
    with pytest.raises(RuntimeError) as info:
        _model().fit(_bad_inputs(5, np.nan), Y, epochs=3, batch_size=2, shuffle=False,
                     verbose=0, callbacks=[TerminateOnNaN(raise_error=True),
                                           LambdaCallback(on_train_end=ended.append)])
    # recorded from Keras 3.15
    assert str(info.value) == ("NaN or Inf loss encountered at batch 2. Loss value: nan. "
                               "Terminating training immediately.")
    assert ended == []


def test_terminate_on_nan_ignores_finite_losses():
    history = _fit(_model(), [TerminateOnNaN()], epochs=3, batch_size=2)
    assert len(history.history["loss"]) == 3


# --- LambdaCallback -----------------------------------------------------------------------

def test_lambda_callback_hooks_fire_in_order():
    events = []
    callback = LambdaCallback(
        on_epoch_begin=lambda epoch, logs: events.append(("eb", epoch, logs)),
        on_epoch_end=lambda epoch, logs: events.append(("ee", epoch, sorted(logs))),
        on_train_begin=lambda logs: events.append(("tb", logs)),
        on_train_end=lambda logs: events.append(("te", sorted(logs))),
        on_train_batch_begin=lambda batch, logs: events.append(("bb", batch, logs)),
        on_train_batch_end=lambda batch, logs: events.append(("be", batch, sorted(logs))),
        on_test_begin=lambda logs: events.append(("testb", logs)),
        on_test_end=lambda logs: events.append(("teste", sorted(logs))))
    _fit(_model(), [callback], epochs=2, batch_size=4, validation_data=(X, Y))
    epoch = [("bb", 0, {}), ("be", 0, ["loss"]), ("bb", 1, {}), ("be", 1, ["loss"]),
             ("testb", {}), ("teste", ["loss"])]
    # recorded from Keras 3.15
    assert events == ([("tb", {}), ("eb", 0, {})] + epoch
                      + [("ee", 0, ["loss", "val_loss"]), ("eb", 1, {})] + epoch
                      + [("ee", 1, ["loss", "val_loss"]), ("te", ["loss", "val_loss"])])


def test_lambda_callback_passes_batch_logs_by_keyword():
    seen = []
    callback = LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(
        (batch, sorted(logs))))
    callback.on_train_batch_end(3, logs={"loss": 1.0})
    callback.on_train_batch_end(4)
    assert seen == [(3, ["loss"]), (4, [])]
    with pytest.raises(TypeError):  # as in Keras, batch hooks need a `logs` parameter
        LambdaCallback(on_train_batch_end=lambda batch, other: None).on_train_batch_end(0)


def test_lambda_callback_on_batch_end_fires_on_training_batches():
    batches = []
    callback = LambdaCallback(on_batch_end=lambda batch, logs: batches.append(
        (batch, sorted(logs))))
    _fit(_model(), [callback], epochs=1, batch_size=4)
    assert batches == [(0, ["loss"]), (1, ["loss"])]


def test_lambda_callback_other_keywords_become_attributes():
    callback = LambdaCallback(foo=1)
    assert callback.foo == 1
    # unset hooks keep the base class's no-op
    assert callback.on_epoch_end(0, {}) is None


def test_lambda_callback_predict_hooks():
    batches = []
    callback = LambdaCallback(on_predict_batch_end=lambda batch, logs: batches.append(
        sorted(logs)))
    _model().predict(X, batch_size=4, verbose=0, callbacks=[callback])
    assert batches == [["outputs"], ["outputs"]]
