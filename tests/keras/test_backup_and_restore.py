"""keras.callbacks.BackupAndRestore: an interrupted fit resumes where its backup left it."""

import json
import os

import numpy as np
import pytest

from eagerflow import keras


class InterruptAtEpoch(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("Interrupting!")


class InterruptAtStep(keras.callbacks.Callback):
    def __init__(self, step):
        super().__init__()
        self.step = step

    def on_train_batch_begin(self, batch, logs=None):
        if int(self.model.optimizer.iterations) == self.step:
            raise RuntimeError("Interrupting!")


def _data():
    x = (np.arange(40, dtype="float32").reshape(10, 4) / 40.0) ** 2
    y = np.sin(np.arange(10, dtype="float32")).reshape(10, 1)
    return x, y


def _model():
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh"),
                              keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.05), "mse")
    return model


def _fit(model, callbacks, epochs=6):
    x, y = _data()
    return model.fit(x, y, epochs=epochs, batch_size=4, shuffle=False, verbose=0,
                     callbacks=callbacks)


def _state(model):
    return model.get_weights() + [v.numpy() for v in model.optimizer.variables]


def test_interrupted_fit_resumes_at_the_epoch_and_ends_identically(tmp_path):
    backup_dir = str(tmp_path / "backup")
    reference = _model()
    _fit(reference, [])

    interrupted = _model()
    with pytest.raises(RuntimeError, match="Interrupting!"):
        _fit(interrupted, [keras.callbacks.BackupAndRestore(backup_dir), InterruptAtEpoch(4)])
    # As Keras 3.15 leaves the folder after an interruption at epoch 4.
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "training_metadata.json"]
    with open(os.path.join(backup_dir, "training_metadata.json")) as stream:
        assert json.load(stream) == {"epoch": 4, "batch": 0}

    resumed = _model()  # a new process: fresh weights and a fresh optimizer
    history = _fit(resumed, [keras.callbacks.BackupAndRestore(backup_dir)])
    assert len(history.history["loss"]) == 2  # epochs 4 and 5 only
    assert int(resumed.optimizer.iterations) == int(reference.optimizer.iterations) == 18
    for actual, expected in zip(_state(resumed), _state(reference)):
        np.testing.assert_array_equal(actual, expected)
    assert not os.path.exists(backup_dir)  # a completed fit deletes the backup


def test_batch_frequency_and_kept_backup(tmp_path):
    backup_dir = str(tmp_path / "backup")
    model = _model()
    with pytest.raises(RuntimeError):
        _fit(model, [keras.callbacks.BackupAndRestore(backup_dir, save_freq=2),
                     InterruptAtStep(7)])
    # Saved after steps 2, 4 and 6 (batches 1 of epoch 0, 0 and 2 of epoch 1).
    with open(os.path.join(backup_dir, "training_metadata.json")) as stream:
        assert json.load(stream) == {"epoch": 1, "batch": 2}
    resumed = _model()
    history = _fit(resumed, [keras.callbacks.BackupAndRestore(
        backup_dir, save_freq=2, delete_checkpoint=False)])
    assert len(history.history["loss"]) == 5  # resumes at the start of epoch 1
    assert int(resumed.optimizer.iterations) == 6 + 5 * 3
    assert os.path.exists(os.path.join(backup_dir, "latest.weights.h5"))


def test_double_checkpoint_falls_back_on_a_damaged_backup(tmp_path):
    backup_dir = str(tmp_path / "backup")
    model = _model()
    with pytest.raises(RuntimeError):
        _fit(model, [keras.callbacks.BackupAndRestore(backup_dir, double_checkpoint=True),
                     InterruptAtEpoch(3)])
    with open(os.path.join(backup_dir, "training_metadata.json.bkp")) as stream:
        assert json.load(stream) == {"epoch": 2, "batch": 0}
    with open(os.path.join(backup_dir, "latest.weights.h5"), "wb") as stream:
        stream.write(b"truncated")
    resumed = _model()
    history = _fit(resumed, [keras.callbacks.BackupAndRestore(backup_dir,
                                                              double_checkpoint=True)])
    assert len(history.history["loss"]) == 4  # from the previous backup: epochs 2 to 5


def test_a_damaged_backup_without_a_previous_one_raises(tmp_path):
    backup_dir = tmp_path / "backup"
    backup_dir.mkdir()
    (backup_dir / "latest.weights.h5").write_bytes(b"truncated")
    with pytest.raises(ValueError, match="latest.weights.h5"):
        _fit(_model(), [keras.callbacks.BackupAndRestore(str(backup_dir))])


def test_argument_and_model_errors(tmp_path):
    # Messages as Keras 3.15 words them.
    with pytest.raises(ValueError, match="Empty `backup_dir` argument passed"):
        keras.callbacks.BackupAndRestore("")
    with pytest.raises(ValueError, match="Invalid value for argument `save_freq`. Received: "
                                         "save_freq=batch"):
        keras.callbacks.BackupAndRestore(str(tmp_path), save_freq="batch")
    unbuilt = keras.Sequential([keras.layers.Dense(1)])
    unbuilt.compile("sgd", "mse")
    with pytest.raises(ValueError, match="you model must be built before you call `fit"):
        _fit(unbuilt, [keras.callbacks.BackupAndRestore(str(tmp_path / "b"))])
