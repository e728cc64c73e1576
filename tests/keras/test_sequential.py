"""`keras.Sequential`: building from a list or with `add`, `pop`, lazy and eager building,
shapes, nesting and config."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def test_list_with_input_builds_at_once():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"),
                              layers.Dense(2)])
    assert model.built
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert (model.input_shape, model.output_shape) == ((None, 4), (None, 2))
    assert [w.path for w in model.weights] == [
        "sequential/dense/kernel", "sequential/dense/bias", "sequential/dense_1/kernel",
        "sequential/dense_1/bias"]
    assert model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    assert len(model.inputs) == 1 and model.inputs[0].shape == (None, 4)
    assert model.outputs[0].shape == (None, 2)


def test_add_and_pop():
    model = keras.Sequential()
    assert not model.built and model.layers == [] and model.weights == []
    model.add(keras.Input((4,)))
    assert not model.built and model.layers == []
    model.add(layers.Dense(3))
    assert model.built and model.output_shape == (None, 3)
    model.add(layers.Dense(2, name="last"))
    assert model.output_shape == (None, 2) and len(model.weights) == 4
    popped = model.pop()
    assert popped.name == "last"
    assert model.output_shape == (None, 3) and len(model.weights) == 2


def test_add_errors_as_keras():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match="Only instances of `keras.Layer` can be added to a "
                                         "Sequential model. Received: x"):
        model.add("x")
    with pytest.raises(ValueError, match="should have unique names. Name 'dense' is already"):
        model.add(layers.Dense(2, name="dense"))
    with pytest.raises(ValueError, match="has already been configured to use input shape"):
        model.add(keras.Input((4,)))
    with pytest.raises(IndexError):
        keras.Sequential().pop()


def test_unbuilt_model_has_no_shapes_yet():
    model = keras.Sequential([layers.Dense(3), layers.Dense(1)])
    assert not model.built
    # recorded from Keras 3.15
    with pytest.raises(AttributeError, match="Sequential model 'sequential' has no defined "
                                             "output shape yet."):
        model.output_shape
    with pytest.raises(AttributeError, match="has no defined inputs yet."):
        model.inputs
    with pytest.raises(AttributeError, match="has no defined input shape yet."):
        model.input_shape


def test_first_call_builds_for_the_shape_it_is_called_with():
    model = keras.Sequential([layers.Dense(3), layers.Dense(1)])
    outputs = model(np.ones((5, 7), "float32"))
    assert model.built and tuple(outputs.shape) == (5, 1)
    # recorded from Keras 3.15: the batch size of the first call is kept
    assert (model.input_shape, model.output_shape) == ((5, 7), (5, 1))
    assert [tuple(w.shape) for w in model.weights] == [(7, 3), (3,), (3, 1), (1,)]
    assert tuple(model(np.ones((2, 7), "float32")).shape) == (2, 1)


def test_build_with_a_shape():
    model = keras.Sequential([layers.Dense(3)])
    model.build((None, 6))
    assert model.built and tuple(model.layers[0].kernel.shape) == (6, 3)
    with pytest.raises(ValueError, match="cannot be built because it has no layers"):
        keras.Sequential().build((None, 3))


def test_call_matches_the_layers_applied_in_turn(rng):
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="relu"),
                              layers.Dense(2, activation="softmax")])
    x = rng.standard_normal((6, 3)).astype("float32")
    expected = model.layers[1](model.layers[0](x))
    np.testing.assert_allclose(model(x).numpy(), expected.numpy(), rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected.numpy(), rtol=1e-6)


def test_single_input_given_as_a_list_of_one():
    model = keras.Sequential([layers.Dense(2)])
    assert tuple(model([np.ones((3, 4), "float32")]).shape) == (3, 2)


def test_flatten_reshape_activation_stack():
    model = keras.Sequential([keras.Input((2, 3)), layers.Flatten(), layers.Reshape((3, 2)),
                              layers.Activation("relu")])
    assert model.output_shape == (None, 3, 2)
    assert [layer.output.shape for layer in model.layers] == [(None, 6), (None, 3, 2),
                                                             (None, 3, 2)]


def test_nested_sequential():
    inner = keras.Sequential([layers.Dense(3, name="in1")], name="inner")
    outer = keras.Sequential([keras.Input((4,)), inner, layers.Dense(1)], name="outer")
    # recorded from Keras 3.15
    assert [w.path for w in outer.weights] == [
        "outer/inner/in1/kernel", "outer/inner/in1/bias", "outer/dense/kernel",
        "outer/dense/bias"]
    assert outer.output_shape == (None, 1)
    assert inner.output_shape == (None, 3)


def test_sequential_trains(rng):
    x = rng.standard_normal((64, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], "float32")
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.01 * history.history["loss"][0]


def test_config_as_keras_and_round_trip():
    model = keras.Sequential([layers.Dense(3, input_shape=(5,))])
    config = model.get_config()
    # recorded from Keras 3.15
    assert sorted(config) == ["build_input_shape", "dtype", "layers", "name", "trainable"]
    assert config["build_input_shape"] == (None, 5)
    assert [entry["class_name"] for entry in config["layers"]] == ["InputLayer", "Dense"]
    assert config["layers"][0]["config"] == {
        "batch_shape": (None, 5), "dtype": "float32", "sparse": False, "ragged": False,
        "name": "input_layer", "optional": False}
    assert config["layers"][1]["build_config"] == {"input_shape": (None, 5)}
    twin = keras.Sequential.from_config(config)
    assert twin.built and twin.input_shape == (None, 5)
    assert [type(layer).__name__ for layer in twin.layers] == ["Dense"]
    twin.set_weights(model.get_weights())
    x = np.ones((2, 5), "float32")
    np.testing.assert_array_equal(twin(x).numpy(), model(x).numpy())


def test_training_reaches_dropout_in_fit_but_not_predict():
    model = keras.Sequential([keras.Input((50,)), layers.Dropout(0.5)])
    x = np.ones((4, 50), "float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    assert (model(x, training=True).numpy() == 0).any()
    np.testing.assert_array_equal(model(tf.constant(x)).numpy(), x)


def test_config_matches_keras_json():
    model = keras.Sequential([keras.Input((4,), name="x"), layers.Dense(2, activation="relu"),
                              layers.Dropout(0.5), layers.Flatten(), layers.Reshape((2, 1))],
                             name="s")
    config = json.loads(json.dumps(model.get_config()))
    # recorded from Keras 3.15: the same model's config, through JSON
    assert config["layers"][0] == {
        "module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
        "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False,
                   "ragged": False, "name": "x", "optional": False}}
    assert [(entry["class_name"], entry.get("build_config")) for entry in config["layers"]] \
        == [("InputLayer", None), ("Dense", {"input_shape": [None, 4]}), ("Dropout", None),
            ("Flatten", {"input_shape": [None, 2]}), ("Reshape", None)]
    assert config["layers"][4]["config"]["target_shape"] == [2, 1]
    assert {key: config[key] for key in ("name", "trainable", "build_input_shape")} == {
        "name": "s", "trainable": True, "build_input_shape": [None, 4]}
    twin = keras.Sequential.from_config(config)
    assert [type(layer).__name__ for layer in twin.layers] == [
        "Dense", "Dropout", "Flatten", "Reshape"]
    assert twin.output_shape == (None, 2, 1)
