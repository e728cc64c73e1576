"""Files real Keras 3.15 wrote load in eagerflow with Keras's predictions, and files
eagerflow writes load in real Keras (when TensorFlow is at hand).

The golden files come from tests/keras/fixtures/make_golden_files.py; the reverse check
runs tests/keras/fixtures/keras_load_check.py with TensorFlow, in this process when it is
importable, else with the interpreter named by the environment variable
EAGERFLOW_TF_PYTHON.
"""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from eagerflow import keras
from tests.keras.fixtures.keras_load_check import as_list, register_two_layer_net

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures")
GOLDEN = os.path.join(FIXTURES, "golden")
CHECK_SCRIPT = os.path.join(FIXTURES, "keras_load_check.py")
NAMES = ["sequential_mlp", "functional_two_in_two_out", "compiled_adam"]


def _arrays(name):
    return np.load(os.path.join(GOLDEN, f"{name}.npz"), allow_pickle=False)


def _inputs_and_outputs(arrays):
    inputs = [arrays[k] for k in sorted(arrays) if k.startswith("x_")]
    outputs = [arrays[k] for k in sorted(arrays) if k.startswith("y_")]
    return (inputs if len(inputs) > 1 else inputs[0]), outputs


@pytest.mark.parametrize("name", NAMES)
def test_keras_model_files_predict_as_keras_did(name):
    x, expected = _inputs_and_outputs(_arrays(name))
    model = keras.models.load_model(os.path.join(GOLDEN, f"{name}.keras"))
    predictions = as_list(model.predict(x, verbose=0))
    assert len(predictions) == len(expected)
    for prediction, value in zip(predictions, expected):
        np.testing.assert_allclose(prediction, value, atol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_keras_weights_files_predict_as_keras_did(name):
    x, expected = _inputs_and_outputs(_arrays(name))
    model = keras.models.load_model(os.path.join(GOLDEN, f"{name}.keras"), compile=False)
    for weight in model.weights:  # forget the weights the model file held
        weight.assign(np.zeros(weight.shape, weight.dtype.as_numpy_dtype))
    model.load_weights(os.path.join(GOLDEN, f"{name}.weights.h5"))
    for prediction, value in zip(as_list(model.predict(x, verbose=0)), expected):
        np.testing.assert_allclose(prediction, value, atol=1e-5)


def test_keras_compiled_model_resumes_training_as_keras_does():
    arrays = _arrays("compiled_adam")
    model = keras.models.load_model(os.path.join(GOLDEN, "compiled_adam.keras"))
    assert type(model.optimizer).__name__ == "Adam"
    assert model.optimizer.learning_rate.numpy() == np.float32(0.01)
    assert int(model.optimizer.iterations.numpy()) == int(arrays["iterations"]) == 8
    assert model.loss == "mse"
    model.train_on_batch(arrays["train_x"], arrays["train_y"])
    np.testing.assert_allclose(model.predict(arrays["x_0"], verbose=0),
                               arrays["after_step_0"], atol=1e-5)


def test_keras_functional_config_rebuilds_the_graph():
    model = keras.models.load_model(
        os.path.join(GOLDEN, "functional_two_in_two_out.keras"))
    assert [layer.name for layer in model.layers] == [
        "features", "extra", "left", "right", "joined", "hidden", "drop", "summed", "label",
        "score"]
    assert model.output_names == ["label", "score"]
    assert [tuple(t.shape) for t in model.inputs] == [(None, 6), (None, 4)]


# --- eagerflow's files in Keras -----------------------------------------------------------

TwoLayerNet = register_two_layer_net(keras)  # the model keras_load_check.py loads


def _tf_command():
    """How to run the check script with TensorFlow, or None when there is no way."""
    if importlib.util.find_spec("tensorflow") is not None:
        return [sys.executable]
    interpreter = os.environ.get("EAGERFLOW_TF_PYTHON")
    return [interpreter] if interpreter else None


def _write(folder, name, model, inputs, extra=None):
    predictions = as_list(model.predict(inputs, verbose=0))
    arrays = {f"x_{i}": x for i, x in enumerate(as_list(inputs))}
    arrays.update({f"y_{i}": y for i, y in enumerate(predictions)})
    arrays.update(extra or {})
    model.save(os.path.join(folder, f"{name}.keras"))
    np.savez(os.path.join(folder, f"{name}.npz"), **arrays)


def _eagerflow_models(folder, rng):
    mlp = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                            keras.layers.Dense(4, activation="softmax")])
    _write(folder, "sequential", mlp, rng.standard_normal((5, 8)).astype("float32"))

    a, b = keras.Input((6,), name="a"), keras.Input((4,), name="b")
    left = keras.layers.Dense(8, activation="tanh")(a)
    joined = keras.layers.Concatenate()([left, keras.layers.Dense(8)(b)])
    hidden = keras.layers.Dropout(0.5)(keras.layers.Dense(8)(joined))
    outputs = [keras.layers.Dense(3, activation="softmax")(hidden),
               keras.layers.Dense(1)(keras.layers.Add()([hidden, left]))]
    _write(folder, "functional", keras.Model([a, b], outputs),
           [rng.standard_normal((5, 6)).astype("float32"),
            rng.standard_normal((5, 4)).astype("float32")])

    inner = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)], name="inner")
    _write(folder, "nested", keras.Sequential([keras.Input((4,)), inner, keras.layers.Dense(2)]),
           rng.standard_normal((2, 4)).astype("float32"))
    x = keras.Input((4,))
    shared = keras.layers.Dense(4)
    _write(folder, "shared_and_ops", keras.Model(x, shared(shared(x)) * 2.0 + x),
           rng.standard_normal((2, 4)).astype("float32"))
    _write(folder, "conv", keras.Sequential([
        keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3), keras.layers.MaxPooling2D(),
        keras.layers.Flatten(), keras.layers.Dense(2)]),
        rng.standard_normal((2, 8, 8, 1)).astype("float32"))
    _write(folder, "lstm", keras.Sequential([
        keras.Input((5,)), keras.layers.Embedding(10, 4, mask_zero=True), keras.layers.LSTM(3),
        keras.layers.Dense(1)]), rng.integers(0, 10, (2, 5)).astype("int32"))
    normalized = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                                   keras.layers.BatchNormalization()])
    normalized.compile("adam", "mse")
    normalized.fit(rng.standard_normal((8, 4)), rng.standard_normal((8, 3)), verbose=0)
    _write(folder, "batch_norm", normalized, rng.standard_normal((2, 4)).astype("float32"))

    for name, model in [("compiled", keras.Sequential([keras.Input((5,)),
                                                       keras.layers.Dense(7, activation="relu"),
                                                       keras.layers.Dense(2)])),
                        ("subclassed", TwoLayerNet(units=6))]:
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
        x = rng.standard_normal((16, 5)).astype("float32")
        y = rng.standard_normal((16, 2)).astype("float32")
        model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        probe = rng.standard_normal((3, 5)).astype("float32")
        _write(folder, name, model, probe)
        twin = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
        twin.train_on_batch(x[:8], y[:8])
        extra = {"train_x": x[:8], "train_y": y[:8], "iterations": np.array(4),
                 "after_step_0": twin.predict(probe, verbose=0)}
        _write(folder, name, model, probe, extra)


def test_eagerflow_model_files_load_in_keras(tmp_path, rng):
    command = _tf_command()
    if command is None:
        pytest.skip("TensorFlow is not importable and EAGERFLOW_TF_PYTHON is not set")
    _eagerflow_models(str(tmp_path), rng)
    result = subprocess.run(command + [CHECK_SCRIPT, str(tmp_path)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK 9" in result.stdout
