"""Tests for `model.save` / `keras.models.load_model` and the `.keras` file
(eagerflow/keras/saving/keras_file.py, saving_api.py)."""

import json
import os
import zipfile

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras import backend, serialization_lib
from eagerflow.keras.saving import keras_file


@pytest.fixture(autouse=True)
def _fresh_names():
    backend.clear_session()


def mlp(compiled=True):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="relu"),
                              keras.layers.Dense(2)])
    if compiled:
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse",
                      metrics=["mae"])
    return model


def two_in_two_out():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    left = keras.layers.Dense(4, activation="tanh")(a)
    joined = keras.layers.Concatenate()([left, keras.layers.Dense(4)(b)])
    hidden = keras.layers.Dropout(0.3)(keras.layers.Dense(4)(joined))
    return keras.Model([a, b], [keras.layers.Dense(2, activation="softmax", name="p")(hidden),
                                keras.layers.Dense(1, name="q")(
                                    keras.layers.Add()([hidden, left]))])


@keras.saving.register_keras_serializable(package="saving_tests")
class Residual(keras.Model):
    """A subclassed model with a constructor argument and nested layers."""

    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.inner = keras.layers.Dense(units, activation="relu")
        self.outer = keras.layers.Dense(2)

    def call(self, inputs, training=None):
        return self.outer(self.inner(inputs)) + inputs[:, :2]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def data(rng, n=16, features=4, outputs=2):
    return (rng.standard_normal((n, features)).astype("float32"),
            rng.standard_normal((n, outputs)).astype("float32"))


# --- the file -----------------------------------------------------------------------------

def test_file_is_keras_zip_with_keras_schema(tmp_path, rng):
    model = mlp()
    model.fit(*data(rng), epochs=1, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
    assert metadata["keras_version"] == "3.15.1" and "@" in metadata["date_saved"]
    assert list(config) == ["module", "class_name", "config", "registered_name",
                            "build_config", "compile_config"]
    assert (config["module"], config["class_name"], config["registered_name"]) == (
        "keras", "Sequential", None)
    assert config["build_config"] == {"input_shape": [None, 4]}
    # recorded from Keras 3.15 for the same compile call
    learning_rate = config["compile_config"]["optimizer"]["config"].pop("learning_rate")
    assert np.float32(learning_rate) == np.float32(0.01)
    assert config["compile_config"] == {
        "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {
            "name": "adam", "weight_decay": None, "clipnorm": None,
            "global_clipnorm": None, "clipvalue": None, "use_ema": False,
            "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
            "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999,
            "epsilon": 1e-07, "amsgrad": False}, "registered_name": None},
        "loss": "mse", "loss_weights": None, "metrics": ["mae"], "weighted_metrics": None,
        "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}
    dense = config["config"]["layers"][1]
    assert dense["build_config"] == {"input_shape": [None, 4]}
    assert dense["config"]["units"] == 5


def test_saving_api_functions_and_model_save_write_the_same(tmp_path):
    model = mlp()
    model.save(tmp_path / "a.keras")
    keras.saving.save_model(model, tmp_path / "b.keras")
    keras.models.save_model(model, str(tmp_path / "c.keras"))
    contents = []
    for name in "abc":
        with zipfile.ZipFile(tmp_path / f"{name}.keras") as archive:
            contents.append(archive.read("config.json"))
    assert contents[0] == contents[1] == contents[2]
    assert keras.saving.load_model is keras.models.load_model


# --- round trips --------------------------------------------------------------------------

def _floats(rng, *shape):
    return rng.standard_normal(shape).astype("float32")


def _nested():
    inner = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)], name="inner")
    return keras.Sequential([keras.Input((4,)), inner, keras.layers.Dense(2)])


def _shared_layer_and_ops():
    x = keras.Input((4,))
    shared = keras.layers.Dense(4)
    return keras.Model(x, shared(shared(x)) * 2.0 + x)


def _trained_batch_norm():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                              keras.layers.BatchNormalization()])
    model.compile("adam", "mse")
    rng = np.random.default_rng(0)
    model.fit(_floats(rng, 8, 4), _floats(rng, 8, 3), verbose=0)
    return model


def _conv():
    return keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3),
                             keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                             keras.layers.Dense(2)])


def _masked_lstm():
    return keras.Sequential([keras.Input((5,)), keras.layers.Embedding(10, 4, mask_zero=True),
                             keras.layers.LSTM(3), keras.layers.Dense(1)])


# (model maker, inputs maker) for each model style
ROUND_TRIPS = {
    "sequential": (lambda: mlp(compiled=False), lambda rng: _floats(rng, 3, 4)),
    "functional": (two_in_two_out, lambda rng: [_floats(rng, 3, 3), _floats(rng, 3, 2)]),
    "subclassed": (lambda: Residual(units=4), lambda rng: _floats(rng, 3, 4)),
    "nested": (_nested, lambda rng: _floats(rng, 3, 4)),
    "shared_layer_and_ops": (_shared_layer_and_ops, lambda rng: _floats(rng, 3, 4)),
    "batch_norm": (_trained_batch_norm, lambda rng: _floats(rng, 3, 4)),
    "conv": (_conv, lambda rng: _floats(rng, 2, 8, 8, 1)),
    "masked_lstm": (_masked_lstm, lambda rng: rng.integers(0, 10, (2, 5)).astype("int32")),
}


@pytest.mark.parametrize("style", sorted(ROUND_TRIPS))
def test_round_trip_predicts_the_same(style, tmp_path, rng):
    make_model, make_inputs = ROUND_TRIPS[style]
    model, inputs = make_model(), make_inputs(rng)
    expected = model.predict(inputs, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded) is type(model)
    assert loaded is not model and loaded.name == model.name
    assert [w.shape for w in loaded.weights] == [w.shape for w in model.weights]
    predictions = loaded.predict(inputs, verbose=0)
    if not isinstance(expected, list):
        predictions, expected = [predictions], [expected]
    assert len(predictions) == len(expected)
    for got, want in zip(predictions, expected):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("make", [mlp, lambda: Residual(units=4)], ids=["sequential",
                                                                         "subclassed"])
@pytest.mark.parametrize("optimizer", ["adam", "sgd_momentum", "rmsprop"])
def test_continued_training_equals_uninterrupted_training(make, optimizer, tmp_path, rng):
    x, y = data(rng)
    model = make()
    choice = {"adam": keras.optimizers.Adam(0.01),
              "sgd_momentum": keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
              "rmsprop": keras.optimizers.RMSprop(0.01)}[optimizer]
    model.compile(optimizer=choice, loss="mse", metrics=["mae"])
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    model.save(tmp_path / "m.keras")
    resumed = keras.models.load_model(tmp_path / "m.keras")
    assert type(resumed.optimizer) is type(model.optimizer)
    assert int(resumed.optimizer.iterations.numpy()) == 8
    for a, b in zip(resumed.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    resumed_history = resumed.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    assert resumed_history.history == history.history
    for a, b in zip(resumed.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_compile_config_restores_loss_metrics_and_optimizer_settings(tmp_path, rng):
    x, y = data(rng)
    model = mlp(compiled=False)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.5,
                                                 clipnorm=1.0),
                  loss=keras.losses.Huber(delta=0.5),
                  metrics=[keras.metrics.MeanAbsoluteError(), "mse"])
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.loss, keras.losses.Huber) and loaded.loss.get_config()[
        "delta"] == 0.5
    optimizer = loaded.optimizer
    assert (type(optimizer).__name__, optimizer.momentum, optimizer.clipnorm) == ("SGD", 0.5,
                                                                                  1.0)
    assert loaded.evaluate(x, y, verbose=0, return_dict=True) == model.evaluate(
        x, y, verbose=0, return_dict=True)


def test_compile_false_loads_an_uncompiled_model(tmp_path, rng):
    x, y = data(rng)
    model = mlp()
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", compile=False)
    assert not loaded.compiled and loaded.optimizer is None
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_uncompiled_model_has_no_compile_config(tmp_path):
    mlp(compiled=False).save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert "compile_config" not in json.loads(archive.read("config.json"))
    assert not keras.models.load_model(tmp_path / "m.keras").compiled


def test_load_weights_reads_a_keras_file(tmp_path, rng):
    model = mlp()
    model.save(tmp_path / "m.keras")
    other = mlp()
    other.load_weights(tmp_path / "m.keras")
    x = rng.standard_normal((2, 4)).astype("float32")
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))


# --- custom objects -----------------------------------------------------------------------

class Scale(keras.layers.Layer):
    """An unregistered custom layer."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_unregistered_custom_layer_needs_custom_objects(tmp_path):
    model = keras.Sequential([keras.Input((2,)), Scale(3.0)])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        entry = json.loads(archive.read("config.json"))["config"]["layers"][1]
    assert (entry["module"], entry["registered_name"]) == (__name__, "Scale")
    with pytest.raises((TypeError, ValueError), match="Scale"):
        keras.models.load_model(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", custom_objects={"Scale": Scale})
    assert loaded.layers[0].factor == 3.0
    with keras.saving.custom_object_scope({"Scale": Scale}):
        assert keras.models.load_model(tmp_path / "m.keras").layers[0].factor == 3.0


def test_registered_subclassed_model_saves_its_registered_name(tmp_path, rng):
    model = Residual(units=5)
    model(rng.standard_normal((2, 4)).astype("float32"))
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        config = json.loads(archive.read("config.json"))
    assert config["registered_name"] == "saving_tests>Residual"
    assert config["config"]["units"] == 5
    assert keras.models.load_model(tmp_path / "m.keras").units == 5


@keras.saving.register_keras_serializable(package="saving_tests")
class CountingModel(keras.Model):
    """A subclassed Model made functionally, with its own `train_step`."""

    def train_step(self, data):
        self.steps = getattr(self, "steps", 0) + 1
        return super().train_step(data)


def test_functional_model_of_a_registered_subclass(tmp_path, rng):
    x = keras.Input((3,))
    model = CountingModel(x, keras.layers.Dense(2)(x))
    model.compile("sgd", "mse")
    model.fit(_floats(rng, 4, 3), _floats(rng, 4, 2), verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        config = json.loads(archive.read("config.json"))
    assert (config["class_name"], config["registered_name"]) == (
        "CountingModel", "saving_tests>CountingModel")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(loaded, CountingModel) and int(loaded.optimizer.iterations.numpy()) == 1
    loaded.fit(_floats(rng, 4, 3), _floats(rng, 4, 2), verbose=0)
    assert loaded.steps == 1


def test_loading_never_imports_what_the_file_names(tmp_path):
    model = mlp(compiled=False)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    config.update(module="os", class_name="system", registered_name="system")
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(tmp_path / "evil.keras", "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with pytest.raises(TypeError, match="Could not locate class 'system'"):
        keras.models.load_model(tmp_path / "evil.keras")


# --- Lambda layers and safe mode ------------------------------------------------------------

def lambda_model():
    inputs = keras.Input((3,))
    return keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2.0 + 1.0)(inputs))


def test_python_lambda_is_refused_in_safe_mode(tmp_path):
    lambda_model().save(tmp_path / "m.keras")
    with pytest.raises(ValueError) as info:
        keras.models.load_model(tmp_path / "m.keras")
    # recorded from Keras 3.15
    assert str(info.value).startswith(
        "Requested the deserialization of a `Lambda` layer whose `function` is a Python "
        "lambda. This carries a potential risk of arbitrary code execution and thus it is "
        "disallowed by default.")


def test_python_lambda_loads_outside_safe_mode(tmp_path, monkeypatch):
    lambda_model().save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", safe_mode=False)
    assert loaded.predict(np.ones((1, 3)), verbose=0).tolist() == [[3.0, 3.0, 3.0]]
    monkeypatch.setattr(serialization_lib, "_unsafe_deserialization", [False])
    keras.config.enable_unsafe_deserialization()
    assert serialization_lib._unsafe_deserialization == [True]
    assert keras.models.load_model(tmp_path / "m.keras").predict(
        np.zeros((1, 3)), verbose=0).tolist() == [[1.0, 1.0, 1.0]]


# --- bad files ------------------------------------------------------------------------------

def _rewrite(source, target, replace=None, drop=()):
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(replace or {})
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in members.items():
            if name not in drop:
                archive.writestr(name, content)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "good.keras"
    mlp().save(path)
    return path


def test_missing_file(tmp_path):
    with pytest.raises(ValueError) as info:
        keras.models.load_model(tmp_path / "nope.keras")
    # recorded from Keras 3.15
    assert str(info.value) == (f"File not found: filepath={tmp_path / 'nope.keras'}. Please "
                               f"ensure the file is an accessible `.keras` zip file.")


def test_unsupported_extension(tmp_path):
    with pytest.raises(ValueError, match=r"File format not supported: filepath=.*m\.txt\. "
                                         r"Keras 3 only supports V3 `\.keras` files"):
        keras.models.load_model(tmp_path / "m.txt")


def test_not_a_zip(tmp_path):
    path = tmp_path / "m.keras"
    path.write_bytes(b"hello, not a zip")
    with pytest.raises(ValueError, match=r"Cannot load .*m\.keras: it is not a valid `\.keras` "
                                         r"file \(it is not a zip archive"):
        keras.models.load_model(path)


def test_truncated_file(saved, tmp_path):
    content = saved.read_bytes()
    path = tmp_path / "truncated.keras"
    path.write_bytes(content[: len(content) // 2])
    with pytest.raises(ValueError, match=r"truncated\.keras: it is not a valid `\.keras` file"):
        keras.models.load_model(path)


def test_corrupted_member(saved, tmp_path):
    content = bytearray(saved.read_bytes())
    start = content.index(b"\x89HDF")  # inside the stored weights member
    content[start + 100:start + 400] = bytes(b ^ 0xFF for b in content[start + 100:start + 400])
    path = tmp_path / "corrupted.keras"
    path.write_bytes(bytes(content))
    with pytest.raises(ValueError, match=r"corrupted\.keras: .*model\.weights\.h5 is "
                                         r"corrupted"):
        keras.models.load_model(path)


def test_missing_config(saved, tmp_path):
    _rewrite(saved, tmp_path / "b.keras", drop=["config.json"])
    with pytest.raises(ValueError, match=r"b\.keras: .*the archive holds no config\.json"):
        keras.models.load_model(tmp_path / "b.keras")


def test_config_not_json(saved, tmp_path):
    _rewrite(saved, tmp_path / "b.keras", replace={"config.json": b"{bad"})
    with pytest.raises(ValueError, match=r"b\.keras: .*config\.json is not valid JSON"):
        keras.models.load_model(tmp_path / "b.keras")
    _rewrite(saved, tmp_path / "c.keras", replace={"config.json": b"[1, 2]"})
    with pytest.raises(ValueError, match=r"c\.keras: .*does not describe a model"):
        keras.models.load_model(tmp_path / "c.keras")


def test_missing_weights(saved, tmp_path):
    _rewrite(saved, tmp_path / "b.keras", drop=["model.weights.h5"])
    with pytest.raises(ValueError, match=r"b\.keras: .*Expected a model\.weights\.h5"):
        keras.models.load_model(tmp_path / "b.keras")


def test_weights_not_hdf5(saved, tmp_path):
    _rewrite(saved, tmp_path / "b.keras", replace={"model.weights.h5": b"xxxx"})
    with pytest.raises(ValueError, match=r"b\.keras: .*model\.weights\.h5 is not a readable "
                                         r"HDF5 file"):
        keras.models.load_model(tmp_path / "b.keras")


def test_weights_of_another_model(tmp_path):
    mlp(compiled=False).save(tmp_path / "a.keras")
    other = tmp_path / "other.keras"
    keras.Sequential([keras.Input((4,)), keras.layers.Dense(7), keras.layers.Dense(2)]).save(
        other)
    with zipfile.ZipFile(other) as archive:
        weights = archive.read("model.weights.h5")
    _rewrite(tmp_path / "a.keras", tmp_path / "b.keras", replace={"model.weights.h5": weights})
    with pytest.raises(ValueError, match=r"variable\.shape=\(4, 5\), Received: "
                                         r"value\.shape=\(4, 7\)"):
        keras.models.load_model(tmp_path / "b.keras")


# --- saving: arguments and atomic writes ------------------------------------------------------

def test_save_needs_the_keras_extension(tmp_path):
    for name in ("m.foo", "m"):
        with pytest.raises(ValueError) as info:
            mlp().save(tmp_path / name)
        # recorded from Keras 3.15
        assert str(info.value) == (
            f"Invalid filepath extension for saving. Please add either a `.keras` extension "
            f"for the native Keras format (recommended) or a `.h5` extension. Use "
            f"`model.export(filepath)` if you want to export a SavedModel for use with "
            f"TFLite/TFServing/etc. Received: filepath={tmp_path / name}.")
    with pytest.raises(ValueError, match="zipped=False"):
        mlp().save(tmp_path / "m.keras", zipped=False)


def test_overwrite_false_asks_first(tmp_path, monkeypatch, capsys):
    path = tmp_path / "m.keras"
    path.write_bytes(b"old")
    answers = iter(["maybe", "n"])
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(answers))
    mlp().save(path, overwrite=False)
    assert path.read_bytes() == b"old"
    assert prompts == [f"[WARNING] {path} already exists - overwrite? [y/n]",
                       'Enter "y" (overwrite) or "n" (cancel).']
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    mlp().save(path, overwrite=False)
    assert zipfile.is_zipfile(path)
    assert "[TIP] Next time specify overwrite=True!" in capsys.readouterr().out


def test_save_interrupted_midway_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    mlp().save(path)
    before = path.read_bytes()
    written = []
    original = keras_file._member

    def failing_member(name):  # the weights member, after the JSON ones went to disk
        written.append(name)
        if name == "model.weights.h5":
            raise OSError("disk full")
        return original(name)
    monkeypatch.setattr(keras_file, "_member", failing_member)
    with pytest.raises(OSError, match="disk full"):
        mlp().save(path)
    assert written == ["metadata.json", "config.json", "model.weights.h5"]
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.keras"]  # the temporary file is gone
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer 'adam', "
                                         "because it has 10 variables whereas the saved "
                                         "optimizer has 2 variables"):  # as in Keras 3.15
        assert keras.models.load_model(path).compiled


@pytest.mark.parametrize("code, message", [
    ("AAAA", "holds no Python 3.* bytecode that can be read"),
    ("6QUAAAA=", "does not hold a code object"),  # marshal.dumps(5)
])
def test_unreadable_lambda_bytecode_is_a_clear_error(code, message):
    entry = {"class_name": "__lambda__",
             "config": {"code": code, "defaults": None, "closure": None}}
    with pytest.raises(ValueError, match=message):
        keras.saving.deserialize_keras_object(entry, safe_mode=False)


def test_bad_weights_files_name_the_file(tmp_path, saved):
    model = mlp(compiled=False)
    with pytest.raises(FileNotFoundError, match=r"missing\.weights\.h5"):
        model.load_weights(tmp_path / "missing.weights.h5")
    model.save_weights(tmp_path / "good.weights.h5")
    content = (tmp_path / "good.weights.h5").read_bytes()
    for name, data in [("garbage", b"nope"), ("truncated", content[:len(content) // 3])]:
        path = tmp_path / f"{name}.weights.h5"
        path.write_bytes(data)
        with pytest.raises(ValueError, match=rf"Cannot load .*{name}\.weights\.h5: it is not a "
                                             rf"valid `\.weights\.h5` file"):
            model.load_weights(path)


@pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer")
@pytest.mark.parametrize("suffix", [".weights.h5", ".keras"])
def test_damaged_bytes_load_or_raise_value_error(suffix, tmp_path):
    model = mlp()
    model.fit(np.ones((4, 4)), np.ones((4, 2)), verbose=0)
    good = tmp_path / f"good{suffix}"
    model.save_weights(good) if suffix == ".weights.h5" else model.save(good)
    content = good.read_bytes()
    rng = np.random.default_rng(0)
    path = tmp_path / f"damaged{suffix}"
    errors = 0
    for _ in range(40):
        damaged = bytearray(content)
        for position in rng.integers(0, len(content), 8):
            damaged[position] ^= 0xFF
        path.write_bytes(bytes(damaged))
        try:  # raw float bytes carry no checksum in HDF5: those may load
            model.load_weights(path) if suffix == ".weights.h5" else keras.models.load_model(
                path)
        except ValueError as err:
            assert str(path) in str(err)
            errors += 1
    assert errors > 10
