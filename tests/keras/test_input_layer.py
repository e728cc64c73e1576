"""`keras.Input`, `InputLayer` and the KerasTensors they make."""

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras import layers


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def test_input_shapes_and_dtypes():
    assert keras.Input((784,)).shape == (None, 784)
    assert keras.Input((2, 3), batch_size=4).shape == (4, 2, 3)
    assert keras.Input(batch_shape=(None, 5)).shape == (None, 5)
    assert keras.Input((None, 8)).shape == (None, None, 8)
    assert keras.Input((3,)).dtype == "float32"
    assert keras.Input((3,), dtype="int32").dtype == "int32"
    assert keras.Input((3,)).ndim == 2


def test_keras_tensor_names_and_repr():
    # recorded from Keras 3.15: unnamed inputs get `keras_tensor` names, named ones their name
    a = keras.Input((3,), name="a")
    b = keras.Input((3,))
    assert repr(a) == ("<KerasTensor shape=(None, 3), dtype=float32, sparse=False, "
                       "ragged=False, name=a>")
    assert b.name == "keras_tensor"
    assert layers.Dense(2)(a).name == "keras_tensor_1"


def test_input_layer_of_the_input():
    x = keras.Input((3,), name="features")
    layer = x._keras_history.operation
    assert isinstance(layer, layers.InputLayer) and layer.name == "features"
    assert layer.output is x and layer.built and layer.weights == []
    assert layers.InputLayer(shape=(3,)).name == "input_layer"  # a named Input takes no number


def test_input_layer_config_as_keras():
    # recorded from Keras 3.15
    assert layers.InputLayer(shape=(3,)).get_config() == {
        "batch_shape": (None, 3), "dtype": "float32", "sparse": False, "ragged": False,
        "name": "input_layer", "optional": False}
    config = keras.Input((4, 2), name="x")._keras_history.operation.get_config()
    twin = layers.InputLayer.from_config(config)
    assert twin.batch_shape == (None, 4, 2) and twin.name == "x"


def test_input_argument_errors_as_keras():
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match="You must pass a `shape` argument."):
        keras.Input()
    with pytest.raises(ValueError, match="You cannot pass both `shape` and `batch_shape` at "
                                         "the same time."):
        keras.Input(shape=(3,), batch_shape=(None, 3))
    with pytest.raises(ValueError, match="Cannot convert '5' to a shape."):
        keras.Input(shape=5)


def test_keras_tensor_has_no_values():
    x = keras.Input((3,))
    with pytest.raises(TypeError, match="symbolic"):
        np.asarray(x)
    with pytest.raises(TypeError):
        bool(x)


def test_input_dtype_reaches_the_layers():
    ints = keras.Input((3,), dtype="int32")
    assert layers.Flatten()(ints).dtype == "int32"
    doubles = keras.Input((3,), dtype="float64")
    assert layers.Dense(2)(doubles).dtype == "float32"  # Dense computes in its own dtype


def test_functional_model_feeds_data_as_the_input_dtype():
    ints = keras.Input((3,), dtype="int32")
    model = keras.Model(ints, layers.Flatten()(ints))
    assert model(np.ones((2, 3), "float32")).dtype == "int32"
