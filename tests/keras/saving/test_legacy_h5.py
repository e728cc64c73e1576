"""Legacy HDF5 (`.h5`) model and weights files: Keras 2's (tf_keras 2.21) and Keras 3.15's."""

import json
import os
import warnings

import numpy as np
import pytest

from eagerflow import keras

h5py = pytest.importorskip("h5py")

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "fixtures", "golden")
# Inputs and predictions recorded by make_legacy_h5.py with the models that wrote the files.
RECORDED = np.load(os.path.join(GOLDEN, "legacy_h5_predictions.npz"))
MODELS = ["keras2_sequential", "keras2_functional", "keras2_conv", "keras3_sequential"]


def golden(name):
    return os.path.join(GOLDEN, name)


def _predict(model, name):
    return model.predict(RECORDED[f"{name}_x"], verbose=0)


@pytest.mark.parametrize("name", MODELS)
def test_golden_model_predicts_as_recorded(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optimizer state of Keras 2 / no training config
        model = keras.models.load_model(golden(f"{name}.h5"))
    np.testing.assert_allclose(_predict(model, name), RECORDED[f"{name}_y"], atol=1e-5)


def test_keras2_optimizer_state_is_skipped_with_keras_warning():
    with pytest.warns(UserWarning, match="Error in loading the saved optimizer state. As a "
                                         "result, your model is starting with a freshly "
                                         "initialized optimizer."):
        model = keras.models.load_model(golden("keras2_sequential.h5"))
    assert model.compiled and type(model.optimizer).__name__ == "Adam"
    assert model.optimizer.get_config()["beta_2"] == pytest.approx(0.999)


def test_keras3_file_restores_optimizer_state():
    model = keras.models.load_model(golden("keras3_sequential.h5"))
    with h5py.File(golden("keras3_sequential.h5")) as h5file:
        group = h5file["optimizer_weights"]
        saved = [group[name][()] for name in group.attrs["weight_names"]]
    assert int(model.optimizer.iterations) == int(saved[0]) == 4
    for variable, value in zip(model.optimizer.variables, saved):
        np.testing.assert_array_equal(variable.numpy(), value)


def test_keras2_conv_model_without_training_config_is_not_compiled():
    with pytest.warns(UserWarning, match=r"No training configuration found in the save file, "
                                         r"so the model was \*not\* compiled"):
        model = keras.models.load_model(golden("keras2_conv.h5"))
    assert not model.compiled
    model = keras.models.load_model(golden("keras2_functional.h5"), compile=False)
    assert not model.compiled


def _fresh(name):
    """The architecture of a golden model with new weights."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = keras.models.load_model(golden(f"{name}.h5"), compile=False)
    return type(model).from_config(model.get_config())


@pytest.mark.parametrize("name", ["keras2_sequential", "keras2_functional", "keras2_conv"])
def test_weights_only_files_load_in_order(name):
    model = _fresh(name)
    model.load_weights(golden(f"{name}_weights.h5"))
    np.testing.assert_allclose(_predict(model, name), RECORDED[f"{name}_y"], atol=1e-5)


def test_full_model_file_loads_as_weights_too():
    model = _fresh("keras2_functional")
    model.load_weights(golden("keras2_functional.h5"))
    np.testing.assert_allclose(_predict(model, "keras2_functional"),
                               RECORDED["keras2_functional_y"], atol=1e-5)


def test_by_name_loads_matching_layers_and_skips_mismatches():
    # The Keras 2 functional file holds dense_2 (4->6), dense_3 (4->2), dense_4 (8->3).
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(6, name="dense_2")(
        keras.layers.Dense(4, name="unrelated")(inputs)))
    before = model.get_layer("unrelated").get_weights()
    model.load_weights(golden("keras2_functional_weights.h5"), by_name=True)
    with h5py.File(golden("keras2_functional_weights.h5")) as h5file:
        kernel = h5file["dense_2/dense_2/kernel:0"][()]
    np.testing.assert_array_equal(model.get_layer("dense_2").kernel.numpy(), kernel)
    for actual, wanted in zip(model.get_layer("unrelated").get_weights(), before):
        np.testing.assert_array_equal(actual, wanted)

    mismatched = keras.Sequential([keras.Input((3,)), keras.layers.Dense(6, name="dense_2")])
    with pytest.raises(ValueError, match=r"Shape mismatch in layer #1 \(named dense_2\)"
                                         r"for weight .*Weight expects shape \(3, 6\)"):
        mismatched.load_weights(golden("keras2_functional_weights.h5"), by_name=True)
    with pytest.warns(UserWarning, match=r"Skipping loading weights for layer #1 \(named "
                                         r"dense_2\)due to mismatch in shape for weight"):
        mismatched.load_weights(golden("keras2_functional_weights.h5"), by_name=True,
                                skip_mismatch=True)


def test_topological_mismatches_raise_keras_errors():
    # Messages as Keras 3.15 words them.
    small = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
    with pytest.raises(ValueError, match="Layer count mismatch when loading weights from file. "
                                         "Model expected 1 layers, found 3 saved layers."):
        small.load_weights(golden("keras2_sequential_weights.h5"))
    three = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5),
                              keras.layers.Dense(5), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match=r"Weight count mismatch for layer #1 \(named dense_\w+ "
                                         r"in the current model, batch_normalization in the "
                                         r"save file\). Layer expects 2 weight\(s\). Received 4"):
        three.load_weights(golden("keras2_sequential_weights.h5"))
    with pytest.raises(ValueError, match=r"Invalid keyword arguments: \{'by_layer': True\}"):
        three.load_weights(golden("keras2_sequential_weights.h5"), by_layer=True)


def test_save_h5_round_trip_with_keras_warning(tmp_path):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="relu"),
                              keras.layers.BatchNormalization(), keras.layers.Dense(2)])
    model.compile(keras.optimizers.Adam(0.01), "mse")
    x = RECORDED["keras2_sequential_x"]
    model.fit(x, np.ones((8, 2), "float32"), epochs=2, verbose=0)
    path = tmp_path / "model.h5"
    with pytest.warns(UserWarning, match="This file format is considered legacy"):
        model.save(path)
    with h5py.File(path) as h5file:
        assert h5file.attrs["keras_version"] == "3.15.1"
        assert json.loads(h5file.attrs["model_config"])["class_name"] == "Sequential"
        layer_names = [n.decode() if isinstance(n, bytes) else n
                       for n in h5file["model_weights"].attrs["layer_names"]]
        assert layer_names == [layer.name for layer in model.layers]
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-6)
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations)
    for actual, wanted in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(actual.numpy(), wanted.numpy())


def test_failed_save_leaves_previous_file_whole(tmp_path, monkeypatch):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    path = tmp_path / "model.h5"
    with pytest.warns(UserWarning):
        model.save(path)
    content = path.read_bytes()
    from eagerflow.keras.saving import legacy_h5

    def crash(group, model):
        raise OSError("disk full")

    monkeypatch.setattr(legacy_h5, "_write_layers", crash)
    with pytest.warns(UserWarning), pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert path.read_bytes() == content
    assert os.listdir(tmp_path) == ["model.h5"]


def test_bad_files_raise_errors_naming_them(tmp_path):
    with pytest.raises(ValueError, match=r"File not found: filepath=.*missing\.h5"):
        keras.models.load_model(tmp_path / "missing.h5")
    truncated = tmp_path / "truncated.h5"
    content = open(golden("keras2_sequential.h5"), "rb").read()
    truncated.write_bytes(content[: len(content) // 3])
    with pytest.raises(ValueError, match=r"truncated\.h5: it is not a valid legacy HDF5"):
        keras.models.load_model(truncated)
    text = tmp_path / "text.hdf5"
    text.write_text("not hdf5")
    with pytest.raises(ValueError, match=r"text\.hdf5: it is not a valid legacy HDF5"):
        keras.models.load_model(text)
    weights_only = golden("keras2_sequential_weights.h5")
    with pytest.raises(ValueError, match=r"No model config found in the file at .*"
                                         r"keras2_sequential_weights\.h5"):
        keras.models.load_model(weights_only)
    empty = tmp_path / "empty.h5"
    with h5py.File(empty, "w"):
        pass
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
    with pytest.raises(ValueError, match=r"empty\.h5: it is not a legacy Keras weights file"):
        model.load_weights(empty)
    bad_json = tmp_path / "bad_json.h5"
    with h5py.File(bad_json, "w") as h5file:
        h5file.attrs["model_config"] = "{not json"
    with pytest.raises(ValueError, match=r"bad_json\.h5: its `model_config` attribute is not "
                                         r"valid JSON"):
        keras.models.load_model(bad_json)


def test_eagerflow_h5_loads_in_keras(tmp_path):
    pytest.importorskip("tensorflow")
    real_keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.BatchNormalization(), keras.layers.Dense(2)])
    # Keras 3.15 cannot read back a legacy file compiled with loss="mse" (its own either).
    model.compile(keras.optimizers.Adam(0.01), "categorical_crossentropy")
    x = RECORDED["keras2_sequential_x"]
    model.fit(x, np.full((8, 2), 0.5, "float32"), epochs=2, verbose=0)
    path = str(tmp_path / "model.h5")
    with pytest.warns(UserWarning):
        model.save(path)
    loaded = real_keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-5)
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations)
