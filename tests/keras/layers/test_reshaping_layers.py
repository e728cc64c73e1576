"""Permute, RepeatVector, ZeroPadding, Cropping and UpSampling layers: outputs and configs
against Keras 3.15 (recorded), gradients by finite differences, check_layer, shapes and
errors."""

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer
from tests.keras.layers.recorded_layers import arrays, case_names, check_recorded, make_layer

RESHAPING_CLASSES = ("UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D",
                     "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D",
                     "Cropping3D", "Permute", "RepeatVector")


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


@pytest.mark.parametrize("name", case_names(*RESHAPING_CLASSES))
def test_matches_keras(name):
    check_recorded(name)


@pytest.mark.parametrize("name", case_names(*RESHAPING_CLASSES))
def test_gradients(name):
    layer = make_layer(name)
    if getattr(layer, "interpolation", "nearest") != "nearest":
        # tf.image.resize computes in float32 (as TensorFlow's does); being linear, it
        # takes large finite-difference steps exactly.
        check_gradients(layer.call, arrays(name)["x"], order=1, eps=1e-1, atol=1e-4,
                        rtol=1e-4)
    else:
        check_gradients(layer.call, arrays(name)["x"], order=1)


@pytest.mark.parametrize("layer_cls, kwargs, input_shape, output_shape", [
    (layers.Permute, {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3)),
    (layers.RepeatVector, {"n": 2}, (3, 4), (3, 2, 4)),
    (layers.ZeroPadding2D, {"padding": 1}, (2, 3, 3, 2), (2, 5, 5, 2)),
    (layers.Cropping1D, {"cropping": 1}, (2, 5, 3), (2, 3, 3)),
    (layers.UpSampling2D, {"interpolation": "bilinear"}, (2, 3, 3, 2), (2, 6, 6, 2)),
    (layers.UpSampling1D, {}, (2, 3, 2), (2, 6, 2)),
])
def test_check_layer(layer_cls, kwargs, input_shape, output_shape):
    check_layer(layer_cls, kwargs, input_shape, output_shape)


def test_symbolic_shapes_with_unknown_sizes():
    x = keras.Input((None, 6, 3))
    assert layers.ZeroPadding2D(((1, 2), (0, 1)))(x).shape == (None, None, 7, 3)
    assert layers.Cropping2D(((1, 0), (2, 2)))(x).shape == (None, None, 2, 3)
    assert layers.UpSampling2D((2, 3))(x).shape == (None, None, 18, 3)
    assert layers.Permute((3, 1, 2))(x).shape == (None, 3, None, 6)


def test_padding_and_cropping_arguments_as_keras_reads_them():
    # recorded from Keras 3.15
    assert layers.ZeroPadding2D((1, 2)).padding == ((1, 1), (2, 2))
    assert layers.ZeroPadding2D(3).padding == ((3, 3), (3, 3))
    assert layers.ZeroPadding1D(2).padding == (2, 2)
    assert layers.Cropping2D(((1, 0), 2)).cropping == ((1, 0), (2, 2))
    assert layers.Cropping3D(1).cropping == ((1, 1), (1, 1), (1, 1))


@pytest.mark.parametrize("make, error, message", [
    (lambda: layers.Permute((1, 3)), ValueError,
     "The set of indices in `dims` must be consecutive and start from 1"),
    (lambda: layers.RepeatVector(2.0), TypeError, "Expected an integer value for `n`"),
    (lambda: layers.RepeatVector(0), ValueError, "Argument `n` should be a positive integer"),
    (lambda: layers.UpSampling1D(0), ValueError, "Argument `size` should be a positive"),
    (lambda: layers.ZeroPadding2D((1, 2, 3)), ValueError, "`padding` should have two elements"),
    (lambda: layers.Cropping2D(-1), ValueError, "`cropping` cannot be negative"),
])
def test_argument_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_cropping_everything_is_an_error():
    with pytest.raises(ValueError, match="Values in `cropping` argument should be smaller"):
        layers.Cropping2D(2)(np.ones((1, 4, 5, 1), "float32"))


def test_bilinear_upsampling_of_a_ramp():
    # recorded from Keras 3.15 (tf.image.resize with half-pixel centres)
    x = np.array([0.0, 1.0, 2.0], "float32").reshape(1, 1, 3, 1)
    y = layers.UpSampling2D((1, 2), interpolation="bilinear")(x)
    np.testing.assert_allclose(y.numpy().ravel(), [0.0, 0.25, 0.75, 1.25, 1.75, 2.0])
