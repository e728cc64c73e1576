"""The progress bar in Keras 3's format: in place on a terminal, one line per epoch in a
log, `verbose=2` lines; and what `fit`, `evaluate` and `predict` print."""

import io
import re
import sys

import pytest

from eagerflow import keras
from eagerflow.keras import layers
from eagerflow.keras.utils import progbar as progbar_module


class FakeStream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.fixture
def clock(monkeypatch):
    """A controllable `time.time()` for the progress bar: `clock[0]` seconds."""
    now = [0.0]
    monkeypatch.setattr(progbar_module.time, "time", lambda: now[0])
    return now


def _capture(monkeypatch, tty):
    stream = FakeStream(tty)
    monkeypatch.setattr(sys, "stdout", stream)
    return stream


def _run(monkeypatch, clock, target, steps, verbose=1, tty=True, **kwargs):
    """The bytes a Progbar writes for `steps` of `(time, current, values)`."""
    stream = _capture(monkeypatch, tty)
    clock[0] = 0.0
    bar = keras.utils.Progbar(target, verbose=verbose, **kwargs)
    for now, current, values in steps:
        clock[0] = now
        bar.update(current, values)
    return stream.getvalue()


B = "\b"

# Recorded from Keras 3.15: `keras.utils.Progbar` driven with the same steps and clock.
TTY_AVERAGED = (
    "\r\x1b[1m 1/10\x1b[0m \x1b[32m━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━━━━━\x1b[0m"
      " \x1b[1m4s\x1b[0m 500ms/step - loss: 0.5000"
    + B * 55
    + "\r\x1b[1m 5/10\x1b[0m \x1b[32m━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━\x1b[0m"
      " \x1b[1m1s\x1b[0m 375ms/step - loss: 0.3400"
    + B * 55
    + "\r\x1b[1m10/10\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m"
      " \x1b[1m4s\x1b[0m 333ms/step - loss: 1.0000e-04 - big: 12345.6780\n")
VERBOSE_2 = (
    "10/10 - 4s - 333ms/step - loss: -1.0000e-04\n")
TTY_ETA_FORMATS = (
    "\r\x1b[1m 1/10\x1b[0m \x1b[32m━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━━━━━\x1b[0m"
      " \x1b[1m4s\x1b[0m 500ms/step - acc: 0.5000"
    + B * 54
    + "\r\x1b[1m 5/10\x1b[0m \x1b[32m━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━\x1b[0m"
      " \x1b[1m1s\x1b[0m 375ms/step - acc: 0.3400"
    + B * 54
    + "\r\x1b[1m 6/10\x1b[0m \x1b[32m━━━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━\x1b[0m"
      " \x1b[1m1:43\x1b[0m 26s/step - acc: 0.3333"
    + B * 54
    + "\r\x1b[1m 7/10\x1b[0m \x1b[32m━━━━━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━\x1b[0m"
      " \x1b[1m30:49\x1b[0m 617s/step - acc: 0.3333"
    + B * 56
    + "\r\x1b[1m10/10\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m"
      " \x1b[1m7400s\x1b[0m 822s/step - acc: 1.0000\n")
TTY_UNKNOWN_TARGET = (
    "\r      1/Unknown \x1b[1m0s\x1b[0m 500ms/step - loss: 0.5000"
    + B * 44
    + "\r      3/Unknown \x1b[1m2s\x1b[0m 750ms/step - loss: 0.3333"
    + B * 44
    + "\r      3/Unknown \x1b[1m3s\x1b[0m 1s/step - loss: 0.2000   \n")
TTY_THROTTLED = (
    "\r\x1b[1m1000/1000\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m"
      " \x1b[1m100s\x1b[0m 100ms/step\n")
TTY_ONE_STEP = (
    "\r\x1b[1m5/5\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m"
      " \x1b[1m0s\x1b[0m 0s/step\n")
TTY_STATEFUL = (
    "\r\x1b[1m10/20\x1b[0m \x1b[32m━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━\x1b[0m"
      " \x1b[1m1s\x1b[0m 100ms/step - loss: 1.0000"
    + B * 55
    + "\r\x1b[1m12/20\x1b[0m \x1b[32m━━━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━\x1b[0m"
      " \x1b[1m0s\x1b[0m 100ms/step - loss: 3.0000")


def test_in_place_updates_average_stateless_values(monkeypatch, clock):
    steps = [(0.5, 1, [("loss", 0.5)]), (2.0, 5, [("loss", 0.3)]),
             (3.5, 10, [("loss", 0.0001), ("big", 12345.678)])]
    assert _run(monkeypatch, clock, 10, steps) == TTY_AVERAGED


def test_verbose_2_writes_one_line_when_finished(monkeypatch, clock):
    steps = [(0.5, 1, [("loss", 0.5)]), (2.0, 5, [("loss", 0.3)]),
             (3.5, 10, [("loss", -0.0001)])]
    assert _run(monkeypatch, clock, 10, steps, verbose=2) == VERBOSE_2


def test_eta_formats(monkeypatch, clock):
    steps = [(0.5, 1, [("acc", 0.5)]), (2.0, 5, [("acc", 0.3)]), (130.0, 6, [("acc", 0.3)]),
             (3700, 7, []), (7400, 10, [("acc", 1.0)])]
    assert _run(monkeypatch, clock, 10, steps, stateful_metrics=["x"]) == TTY_ETA_FORMATS


def test_unknown_target(monkeypatch, clock):
    stream = _capture(monkeypatch, True)
    clock[0] = 0.0
    bar = keras.utils.Progbar(None)
    for now, current, values, finalize in [(0.5, 1, [("loss", 0.5)], None),
                                           (2.0, 3, [("loss", 0.25)], None),
                                           (3.0, 3, [("loss", 0.2)], True)]:
        clock[0] = now
        bar.update(current, values, finalize=finalize)
    assert stream.getvalue() == TTY_UNKNOWN_TARGET


def test_updates_closer_than_the_interval_are_skipped(monkeypatch, clock):
    steps = [(0.01, 1, []), (0.02, 2, []), (0.03, 3, []), (100, 1000, [])]
    assert _run(monkeypatch, clock, 1000, steps) == TTY_THROTTLED
    assert _run(monkeypatch, clock, 5, [(0.0, 5, [])]) == TTY_ONE_STEP


def test_stateful_values_are_shown_as_given(monkeypatch, clock):
    steps = [(1, 10, [("loss", 1.0)]), (1.01, 11, [("loss", 1.0)]), (1.2, 12, [("loss", 3.0)])]
    assert _run(monkeypatch, clock, 20, steps, stateful_metrics=["loss"]) == TTY_STATEFUL


def test_not_a_terminal_writes_the_finished_line_only(monkeypatch, clock):
    steps = [(0.5, 1, [("loss", 0.5)]), (2.0, 5, [("loss", 0.3)]), (3.5, 10, [("loss", 0.25)])]
    text = _run(monkeypatch, clock, 10, steps, tty=False)
    assert text == "10/10 " + "\u2501" * 20 + " 4s 333ms/step - loss: 0.2500\n"


def test_time_formats():
    assert progbar_module.format_time_per_unit(0) == " 0s/step"
    assert progbar_module.format_time_per_unit(2.4) == " 2s/step"
    assert progbar_module.format_time_per_unit(0.0123) == " 12ms/step"
    assert progbar_module.format_time_per_unit(0.0005, "sample") == " 500us/sample"
    assert [progbar_module.format_eta(s) for s in (59.9, 60, 65, 3700)] == [
        "59s", "60s", "1:05", "1:01:40"]


# --- what fit, evaluate and predict print ------------------------------------------------------

TIME = r"\d+s \d+(s|ms|us)/step"
VALUE = r"\d\.\d{4}"


@pytest.fixture
def model_and_data(rng):
    keras.backend.clear_session()
    x = rng.random((100, 4)).astype("float32")
    y = (x.sum(axis=1) > 2).astype("float32")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model, x, y


def test_fit_verbose_1_in_a_log_is_one_line_per_epoch(monkeypatch, model_and_data):
    model, x, y = model_and_data
    stream = _capture(monkeypatch, tty=False)
    model.fit(x, y, epochs=2, batch_size=10, validation_split=0.2)
    lines = stream.getvalue().split("\n")
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and lines[4] == ""
    pattern = (rf"8/8 \u2501{{20}} {TIME} - accuracy: {VALUE} - loss: {VALUE} - "
               rf"val_accuracy: {VALUE} - val_loss: {VALUE}")
    assert re.fullmatch(pattern, lines[1]) and re.fullmatch(pattern, lines[3])
    assert "\x1b" not in stream.getvalue() and "\r" not in stream.getvalue()


def test_fit_verbose_1_on_a_terminal_updates_in_place(monkeypatch, model_and_data):
    model, x, y = model_and_data
    stream = _capture(monkeypatch, tty=True)
    model.fit(x, y, epochs=2, batch_size=10)
    text = stream.getvalue()
    assert text.startswith("Epoch 1/2\n\r\x1b[1m")
    epochs = text.split("Epoch 2/2\n")
    assert len(epochs) == 2
    final = epochs[1].rsplit("\r", 1)[1]
    # recorded from Keras 3.15 (timings as patterns): bold count, green bar, bold time
    assert re.fullmatch(rf"\x1b\[1m10/10\x1b\[0m \x1b\[32m\u2501{{20}}\x1b\[0m"
                        rf"\x1b\[37m\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(ms|us)/step - "
                        rf"accuracy: {VALUE} - loss: {VALUE} *\n", final)


def test_fit_verbose_2(monkeypatch, model_and_data):
    model, x, y = model_and_data
    stream = _capture(monkeypatch, tty=True)
    model.fit(x, y, epochs=2, batch_size=10, verbose=2, validation_data=(x, y))
    lines = stream.getvalue().split("\n")
    # recorded from Keras 3.15: `10/10 - 0s - 13ms/step - accuracy: ... - val_loss: ...`
    pattern = (rf"10/10 - \d+s - \d+(s|ms|us)/step - accuracy: {VALUE} - loss: {VALUE} - "
               rf"val_accuracy: {VALUE} - val_loss: {VALUE}")
    assert lines[0] == "Epoch 1/2" and re.fullmatch(pattern, lines[1])
    assert lines[2] == "Epoch 2/2" and re.fullmatch(pattern, lines[3]) and lines[4] == ""


def test_single_epoch_has_no_epoch_line_and_verbose_0_prints_nothing(monkeypatch,
                                                                    model_and_data):
    model, x, y = model_and_data
    stream = _capture(monkeypatch, tty=False)
    model.fit(x, y, epochs=1, batch_size=50)
    assert re.fullmatch(rf"2/2 \u2501{{20}} {TIME} - accuracy: {VALUE} - loss: {VALUE}\n",
                        stream.getvalue())
    stream = _capture(monkeypatch, tty=True)
    model.fit(x, y, epochs=2, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert stream.getvalue() == ""


def test_evaluate_and_predict_bars(monkeypatch, model_and_data):
    model, x, y = model_and_data
    stream = _capture(monkeypatch, tty=False)
    model.evaluate(x, y)
    model.predict(x)
    model.evaluate(x, y, verbose=2)
    model.predict(x, verbose=2)
    lines = stream.getvalue().split("\n")
    # recorded from Keras 3.15
    assert re.fullmatch(rf"4/4 \u2501{{20}} {TIME} - accuracy: {VALUE} - loss: {VALUE}",
                        lines[0])
    assert re.fullmatch(rf"4/4 \u2501{{20}} {TIME}", lines[1])
    assert re.fullmatch(rf"4/4 - \d+s - \d+(s|ms|us)/step - accuracy: {VALUE} - "
                        rf"loss: {VALUE}", lines[2])
    assert re.fullmatch(r"4/4 - \d+s - \d+(s|ms|us)/step", lines[3])


def test_generator_of_unknown_length_learns_its_length(monkeypatch, model_and_data):
    model, x, y = model_and_data

    def batches():
        for i in range(3):
            yield x[i * 10:(i + 1) * 10], y[i * 10:(i + 1) * 10]

    stream = _capture(monkeypatch, tty=True)
    model.fit(batches())
    text = stream.getvalue()
    # recorded from Keras 3.15: `      1/Unknown 0s ...`, then the finished `3/3` bar
    assert text.startswith("\r      1/Unknown \x1b[1m")
    assert re.search(r"\r\x1b\[1m3/3\x1b\[0m \x1b\[32m\u2501{20}", text)
