"""Tests for `keras.callbacks.ModelCheckpoint` (eagerflow/keras/callbacks/model_checkpoint.py).
Messages and file names are checked against what Keras 3.15 prints for the same calls."""

import os
import warnings

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras.callbacks import ModelCheckpoint


@pytest.fixture
def problem(rng):
    x = rng.standard_normal((32, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    return model, x, y


def test_save_best_only_formats_the_path_and_reports(problem, tmp_path, capsys):
    model, x, y = problem
    pattern = str(tmp_path / "ck" / "{epoch:02d}-{val_loss:.2f}.keras")
    callback = ModelCheckpoint(pattern, save_best_only=True, verbose=1)
    history = model.fit(x, y, epochs=3, validation_data=(x, -y), verbose=0,
                        callbacks=[callback])
    losses = history.history["val_loss"]
    best = int(np.argmin(losses))
    expected = []
    previous = None
    for epoch, loss in enumerate(losses):  # Keras's messages for each epoch
        if previous is None or loss < previous:
            path = pattern.format(epoch=epoch + 1, val_loss=loss)
            before = "None" if previous is None else f"{previous:.5f}"
            expected.append(f"\nEpoch {epoch + 1}: val_loss improved from {before} to "
                            f"{loss:.5f}, saving model to {path}\n")
            expected.append(f"\nEpoch {epoch + 1}: finished saving model to {path}\n")
            previous = loss
        else:
            expected.append(f"\nEpoch {epoch + 1}: val_loss did not improve from "
                            f"{previous:.5f}\n")
    assert capsys.readouterr().out == "".join(expected)
    assert callback.best == losses[best]
    saved = sorted(os.listdir(tmp_path / "ck"))
    assert f"{best + 1:02d}-{losses[best]:.2f}.keras" in saved
    assert "01-" + f"{losses[0]:.2f}.keras" == saved[0]
    loaded = keras.models.load_model(tmp_path / "ck" / saved[-1])
    assert loaded.compiled and loaded.layers[0].units == 1


def test_weights_only_every_epoch(problem, tmp_path, capsys):
    model, x, y = problem
    path = str(tmp_path / "w.weights.h5")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0,
              callbacks=[ModelCheckpoint(path, save_weights_only=True, verbose=1)])
    # recorded from Keras 3.15
    assert capsys.readouterr().out == (
        f"\nEpoch 1: saving model to {path}\n\nEpoch 1: finished saving model to {path}\n"
        f"\nEpoch 2: saving model to {path}\n\nEpoch 2: finished saving model to {path}\n")
    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    other.load_weights(path)
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))


def test_save_freq_counts_batches(problem, tmp_path):
    model, x, y = problem
    pattern = str(tmp_path / "b{epoch}-{batch}.keras")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0,
              callbacks=[ModelCheckpoint(pattern, save_freq=3)])
    # Keras 3.15 saves after batches 3 (epoch 1) and 2 (epoch 2: 4 + 2 = 6 batches seen)
    assert sorted(os.listdir(tmp_path)) == ["b1-3.keras", "b2-2.keras"]
    model.fit(x, y, epochs=1, batch_size=8, verbose=0,
              callbacks=[ModelCheckpoint(str(tmp_path / "c{epoch}-{batch}.keras"),
                                         save_freq=2)])
    assert sorted(f for f in os.listdir(tmp_path) if f.startswith("c")) == [
        "c1-2.keras", "c1-4.keras"]  # recorded from Keras 3.15


def test_missing_monitor_warns_and_saves(problem, tmp_path):
    model, x, y = problem
    callback = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_nothing", mode="min",
                               save_best_only=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, epochs=1, verbose=0, callbacks=[callback])
    # recorded from Keras 3.15
    assert [str(w.message) for w in caught] == [
        "Can save best model only with val_nothing available."]
    assert os.path.exists(tmp_path / "m.keras")


def test_auto_mode_needs_a_known_direction(problem, tmp_path):
    model, x, y = problem
    callback = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_nothing",
                               save_best_only=True)
    with pytest.raises(ValueError, match="ModelCheckpoint callback received "
                                         "monitor=val_nothing, but Keras isn't able to"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[callback])


def test_initial_value_threshold_must_be_beaten(problem, tmp_path, capsys):
    model, x, y = problem
    callback = ModelCheckpoint(str(tmp_path / "acc.keras"), monitor="accuracy",
                               save_best_only=True, verbose=1, initial_value_threshold=1.5)
    model.fit(x, y, epochs=1, verbose=0, callbacks=[callback])
    # recorded from Keras 3.15 (with a threshold of 0.99)
    assert capsys.readouterr().out == "\nEpoch 1: accuracy did not improve from 1.50000\n"
    assert not os.path.exists(tmp_path / "acc.keras")


@pytest.mark.parametrize("kwargs, message", [
    # recorded from Keras 3.15
    ({"filepath": "a.h5", "save_weights_only": True},
     "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must "
     "end in `.weights.h5` (Keras weights format). Received: filepath=a.h5"),
    ({"filepath": "a.txt"},
     "The filepath provided must end in `.keras` (Keras model format). Received: "
     "filepath=a.txt"),
    ({"filepath": "a.keras", "save_freq": "batch"},
     "Unrecognized save_freq: batch. Expected save_freq are 'epoch' or integer values"),
])
def test_argument_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        ModelCheckpoint(**kwargs)
    assert str(info.value) == message


def test_unknown_format_field(problem, tmp_path):
    model, x, y = problem
    pattern = str(tmp_path / "{nokey}.keras")
    with pytest.raises(KeyError) as info:
        model.fit(x, y, epochs=1, verbose=0, callbacks=[ModelCheckpoint(pattern)])
    # recorded from Keras 3.15
    assert info.value.args[0] == (f'Failed to format this callback filepath: "{pattern}". '
                                  f"Reason: 'nokey'")


def test_directory_as_path(problem, tmp_path):
    model, x, y = problem
    (tmp_path / "d.keras").mkdir()
    with pytest.raises(IOError, match="Please specify a non-directory filepath for "
                                      "ModelCheckpoint"):
        model.fit(x, y, epochs=1, verbose=0,
                  callbacks=[ModelCheckpoint(str(tmp_path / "d.keras"))])
