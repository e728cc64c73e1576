"""The main job: `python -m eagerflow` trains a dense network on the shipped digits."""

import pathlib
import re
import subprocess
import sys

import numpy as np

from eagerflow import demo, keras
from eagerflow.keras import layers

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_load_digits_split_shapes_and_ranges():
    (x_train, y_train), (x_test, y_test) = demo.load_digits()
    assert x_train.shape == (1437, 64) and x_test.shape == (360, 64)
    assert x_train.dtype == np.float32 and y_train.dtype == np.uint8
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0
    assert sorted(set(y_train.tolist())) == list(range(10))
    (again, _), _ = demo.load_digits()
    np.testing.assert_array_equal(again, x_train)  # the same seeded split every time
    (other, _), _ = demo.load_digits(seed=1)
    assert not np.array_equal(other, x_train)


def test_python_m_eagerflow_trains_saves_and_is_reproducible(tmp_path):
    result = subprocess.run([sys.executable, "-m", "eagerflow"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                 "COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == 'Model: "sequential"'
    assert "│ dense (Dense)                   │ (None, 128)            │         8,320 │" \
        in lines
    assert lines.count("Epoch 30/30") == 1
    epoch_line = lines[lines.index("Epoch 30/30") + 1]
    assert re.fullmatch(r"41/41 \u2501{20} \d+s \d+(ms|us)/step - accuracy: \d\.\d{4} - "
                        r"loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}",
                        epoch_line)
    found = re.fullmatch(r"Test accuracy: (\d\.\d{4}) \(loss \d\.\d{4}\) on 360 digits",
                         lines[-2])
    assert found and float(found.group(1)) >= 0.95
    assert lines[-1] == "Saved the trained weights to digits.weights.h5"

    # The saved weights reproduce the printed accuracy.
    model = keras.Sequential([keras.Input((64,)), layers.Dense(128, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    model.load_weights(tmp_path / "digits.weights.h5")
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _, (x_test, y_test) = demo.load_digits()
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert f"{accuracy:.4f}" == found.group(1)
    assert list(tmp_path.iterdir()) == [tmp_path / "digits.weights.h5"]  # no temp files

