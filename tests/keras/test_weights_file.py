"""Tests for eagerflow/keras/saving/weights_file.py: Keras 3's `.weights.h5` both ways."""

import os
import warnings

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.saving import weights_file

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
X = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)

# Predictions Keras 3.15 (TensorFlow backend) recorded for X when it wrote the fixtures.
KERAS_SEQUENTIAL_PREDICTION = np.array([[-0.42026284, 0.2905743],
                                        [-0.18072997, 0.09573507],
                                        [0.009623098, -0.115129165],
                                        [0.1510827, -0.32944885]], dtype="float32")
KERAS_FUNCTIONAL_PREDICTION = np.array([[-1.14416], [-0.404746], [0.63018394],
                                        [1.3805457]], dtype="float32")


def sequential_model(units=4, use_bias=True):
    return keras.Sequential([keras.Input((3,)),
                             keras.layers.Dense(units, activation="relu", use_bias=use_bias),
                             keras.layers.Dense(2)])


def functional_model():
    inputs = keras.Input((3,), name="x")
    hidden = keras.layers.Dense(4, activation="tanh", name="hidden")(inputs)
    hidden = keras.layers.Dropout(0.5, name="drop")(hidden)
    outputs = keras.layers.Dense(1, name="out")(hidden)
    return keras.Model(inputs, outputs)


def compiled_functional_model():
    model = functional_model()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.fit(X, np.arange(4, dtype="float32").reshape(4, 1), epochs=2, verbose=0)
    return model


def h5_tree(path):
    """{name: (kind, shape, dtype)} for every group and dataset, and group `name` attrs."""
    tree = {}
    with h5py.File(path, "r") as h5file:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                tree[name] = ("dataset", obj.shape, obj.dtype.str)
            else:
                tree[name] = ("group", dict(obj.attrs))
        h5file.visititems(visit)
    return tree


def predict(model):
    return np.asarray(model(tf.constant(X)))


def test_round_trip_sequential(tmp_path):
    source = sequential_model()
    path = tmp_path / "model.weights.h5"
    source.save_weights(str(path))
    target = sequential_model()
    assert not np.allclose(predict(target), predict(source))
    target.load_weights(str(path))
    np.testing.assert_array_equal(predict(target), predict(source))
    assert not [p for p in os.listdir(tmp_path) if p != "model.weights.h5"]  # no leftovers


def test_round_trip_functional_with_optimizer(tmp_path):
    source = compiled_functional_model()
    path = tmp_path / "model.weights.h5"
    source.save_weights(path)
    target = compiled_functional_model()
    target.fit(X, np.zeros((4, 1), "float32"), epochs=1, verbose=0)
    target.load_weights(path)
    np.testing.assert_array_equal(predict(target), predict(source))
    for mine, theirs in zip(target.optimizer.variables, source.optimizer.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


def test_keras_sequential_fixture_gives_keras_predictions():
    model = sequential_model()
    model.load_weights(os.path.join(FIXTURES, "sequential_dense.weights.h5"))
    np.testing.assert_allclose(predict(model), KERAS_SEQUENTIAL_PREDICTION, rtol=1e-5,
                               atol=1e-6)


def test_keras_functional_fixture_gives_keras_predictions_and_optimizer_state():
    model = compiled_functional_model()
    model.load_weights(os.path.join(FIXTURES, "functional_adam.weights.h5"))
    np.testing.assert_allclose(predict(model), KERAS_FUNCTIONAL_PREDICTION, rtol=1e-5,
                               atol=1e-6)
    assert int(model.optimizer.variables[0].numpy()) == 2  # Keras's `iterations`


@pytest.mark.parametrize("fixture, make", [
    ("sequential_dense.weights.h5", sequential_model),
    ("functional_adam.weights.h5", compiled_functional_model)])
def test_written_tree_equals_keras_tree(tmp_path, fixture, make):
    model = make()
    path = tmp_path / "mine.weights.h5"
    model.save_weights(path)
    mine, keras_tree = h5_tree(path), h5_tree(os.path.join(FIXTURES, fixture))
    assert sorted(mine) == sorted(keras_tree)
    for name, entry in keras_tree.items():
        if entry[0] == "dataset":
            assert mine[name] == entry, name
        else:  # groups: the same attribute keys (auto-made names differ by counter)
            assert mine[name][0] == "group" and mine[name][1].keys() == entry[1].keys(), name
    if make is compiled_functional_model:  # named layers: Keras's `name` attributes too
        for path, name in [("layers/input_layer/vars", "x"), ("layers/dense/vars", "hidden"),
                           ("layers/dropout/vars", "drop"), ("layers/dense_1/vars", "out")]:
            assert mine[path][1]["name"] == keras_tree[path][1]["name"] == name


def test_filename_must_end_in_weights_h5(tmp_path):
    model = sequential_model()
    with pytest.raises(ValueError, match=r"The filename must end in `\.weights\.h5`"):
        model.save_weights(tmp_path / "model.h5")
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`. Received: filepath="):
        model.load_weights(tmp_path / "model.txt")  # `.keras` and legacy `.h5` are read too


def test_overwrite_false_keeps_existing_file(tmp_path):
    path = tmp_path / "model.weights.h5"
    path.write_bytes(b"old")
    with pytest.raises(FileExistsError, match="overwrite=False"):
        sequential_model().save_weights(path, overwrite=False)
    assert path.read_bytes() == b"old"
    sequential_model().save_weights(path)  # overwrite=True replaces it
    assert "layers" in h5_tree(path)


def test_failure_midway_leaves_existing_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "model.weights.h5"
    first = sequential_model()
    first.save_weights(path)
    before = path.read_bytes()
    calls = []

    def failing_own_variables(obj):
        calls.append(obj)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(obj)
    original = weights_file._own_variables
    monkeypatch.setattr(weights_file, "_own_variables", failing_own_variables)
    with pytest.raises(RuntimeError, match="disk full"):
        sequential_model().save_weights(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.weights.h5"]  # the temporary file is gone


def test_shape_mismatch_names_layer_and_shapes(tmp_path):
    path = tmp_path / "model.weights.h5"
    sequential_model().save_weights(path)
    model = sequential_model(units=5)
    with pytest.raises(ValueError, match=r"A total of 2 objects could not be loaded") as info:
        model.load_weights(path)
    message = str(info.value)
    assert "variable.shape=(3, 5), Received: value.shape=(3, 4)" in message
    assert model.layers[0].name in message


def test_count_mismatch_names_layer(tmp_path):
    path = tmp_path / "model.weights.h5"
    sequential_model().save_weights(path)
    model = sequential_model(use_bias=False)
    name = model.layers[0].name
    with pytest.raises(ValueError, match=f"Layer '{name}' expected 1 variables, but received "
                                         f"2 variables during loading"):
        model.load_weights(path)


def test_skip_mismatch_loads_the_rest_and_warns(tmp_path):
    source = sequential_model()
    path = tmp_path / "model.weights.h5"
    source.save_weights(path)
    model = sequential_model(use_bias=False)
    kernel_before = model.layers[0].kernel.numpy().copy()
    with pytest.warns(UserWarning, match="A total of 1 objects could not be loaded"):
        model.load_weights(path, skip_mismatch=True)
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), kernel_before)
    np.testing.assert_array_equal(model.layers[1].kernel.numpy(),
                                  source.layers[1].kernel.numpy())


def test_optimizer_count_mismatch_warns_and_skips():
    model = functional_model()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")  # optimizer not built
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.load_weights(os.path.join(FIXTURES, "functional_adam.weights.h5"))
    assert any("Skipping variable loading for optimizer" in str(w.message)
               and "whereas the saved optimizer has 10 variables" in str(w.message)
               for w in caught)
    np.testing.assert_allclose(predict(model), KERAS_FUNCTIONAL_PREDICTION, rtol=1e-5,
                               atol=1e-6)


def test_loading_reads_only_numeric_arrays(tmp_path):
    path = tmp_path / "model.weights.h5"
    sequential_model().save_weights(path)
    with h5py.File(path, "a") as h5file:  # an opaque (pickle-like) blob instead of a bias
        del h5file["layers/dense/vars/1"]
        h5file["layers/dense/vars"].create_dataset("1", data=np.void(b"\x80\x04pickle"))
    model = sequential_model()
    with pytest.raises(ValueError, match="expected 2 variables, but received 1 variables"):
        model.load_weights(path)  # the blob is never read as a value
