"""Pooling layers: outputs and configs against Keras 3.15 (recorded), gradients by finite
differences, check_layer, symbolic shapes and argument errors."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer
from tests.keras.layers.recorded_layers import arrays, case_names, check_recorded, make_layer

POOLING_CLASSES = ("MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
                   "AveragePooling2D", "AveragePooling3D", "GlobalAveragePooling1D",
                   "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D",
                   "GlobalMaxPooling2D", "GlobalMaxPooling3D")


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


@pytest.mark.parametrize("name", case_names(*POOLING_CLASSES))
def test_matches_keras(name):
    check_recorded(name)


@pytest.mark.parametrize("name", case_names(*POOLING_CLASSES))
def test_gradients(name):
    # Random normal inputs have no ties, so max pooling is differentiable there.
    layer = make_layer(name)
    check_gradients(layer.call, arrays(name)["x"], order=1)


@pytest.mark.parametrize("layer_cls, kwargs, input_shape, output_shape", [
    (layers.MaxPooling2D, {}, (2, 6, 6, 3), (2, 3, 3, 3)),
    (layers.AveragePooling1D, {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 5, 2),
     (2, 5, 2)),
    (layers.MaxPooling3D, {"pool_size": 2, "data_format": "channels_first"},
     (2, 3, 4, 4, 4), (2, 3, 2, 2, 2)),
    (layers.GlobalAveragePooling2D, {}, (2, 4, 4, 3), (2, 3)),
    (layers.GlobalMaxPooling1D, {"keepdims": True}, (2, 5, 3), (2, 1, 3)),
])
def test_check_layer(layer_cls, kwargs, input_shape, output_shape):
    check_layer(layer_cls, kwargs, input_shape, output_shape)


def test_symbolic_shapes_with_unknown_sizes():
    x = keras.Input((None, 7, 3))
    assert layers.MaxPooling2D()(x).shape == (None, None, 3, 3)
    assert layers.AveragePooling2D(3, strides=2, padding="same")(x).shape == (None, None, 4, 3)
    assert layers.GlobalMaxPooling2D()(x).shape == (None, 3)
    assert layers.GlobalAveragePooling2D(data_format="channels_first")(x).shape == (None, None)


def test_global_average_pooling1d_with_mask():
    x = np.arange(12, dtype="float32").reshape(2, 3, 2)
    mask = np.array([[True, True, False], [True, False, False]])
    y = layers.GlobalAveragePooling1D()(x, mask=mask)
    np.testing.assert_allclose(y.numpy(), [[1.0, 2.0], [6.0, 7.0]])


def test_strides_default_to_pool_size_and_config():
    layer = layers.MaxPooling2D((3, 2))
    assert layer.strides == (3, 2)
    config = layer.get_config()
    assert config["pool_size"] == (3, 2) and config["strides"] == (3, 2)
    assert layers.MaxPooling2D.from_config(config).strides == (3, 2)


@pytest.mark.parametrize("make, error, message", [
    (lambda: layers.MaxPooling2D((2, 2, 2)), ValueError,
     "The `pool_size` argument must be a tuple of 2 integers"),
    (lambda: layers.AveragePooling1D(0), ValueError, "that do not satisfy `value > 0`"),
    (lambda: layers.MaxPooling1D(data_format="NWC"), ValueError,
     "The `data_format` argument must be one of"),
])
def test_argument_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_wrong_rank_is_rejected():
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layers.MaxPooling2D()(np.ones((2, 4, 4), "float32"))


def test_max_pooling_keeps_integer_dtype():
    y = layers.MaxPooling1D()(tf.constant([[[1], [3], [2], [0]]], tf.int32))
    assert y.dtype == tf.int32 and y.numpy().ravel().tolist() == [3, 2]
