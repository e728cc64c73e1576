"""Convolution layers: outputs, weights and configs against Keras 3.15 (recorded), gradients
by finite differences, check_layer, symbolic shapes and argument errors."""

import os

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer
from tests.keras.layers.recorded_layers import arrays, case_names, check_recorded, make_layer

CONV_CLASSES = ("Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
                "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D")


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


@pytest.mark.parametrize("name", case_names(*CONV_CLASSES))
def test_matches_keras(name):
    check_recorded(name)


@pytest.mark.parametrize("name", [
    "conv1d_causal_dilated", "conv1d_groups", "conv2d_same_strided",
    "conv2d_channels_first_relu", "conv3d_same_strided", "conv1d_transpose_same",
    "conv2d_transpose_output_padding", "depthwise_conv2d_strided_dilated",
    "separable_conv1d", "separable_conv2d_same_strided"])
def test_gradients_with_respect_to_inputs_and_weights(name):
    data = arrays(name)
    layer = make_layer(name)
    layer.build(data["x"].shape)
    variables = layer.weights

    def forward(x, *weights):
        return _call_with_weights(layer, x, weights)

    check_gradients(forward, data["x"], *[np.asarray(v) for v in variables], order=1,
                    atol=1e-5, rtol=1e-3)


def _call_with_weights(layer, x, weights):
    """`layer.call(x)` with the layer's variables replaced by the tensors `weights` (float64
    in the gradient check), so that the tape differentiates with respect to them."""
    saved = {}
    names = [v.path.split("/")[-1] for v in layer.weights]
    for attribute, weight in zip(names, weights):
        saved[attribute] = getattr(layer, attribute)
        object.__setattr__(layer, attribute, weight)
    try:
        return layer.call(x)
    finally:
        for attribute, value in saved.items():
            object.__setattr__(layer, attribute, value)


@pytest.mark.parametrize("layer_cls, kwargs, input_shape, output_shape, weights", [
    (layers.Conv1D, {"filters": 3, "kernel_size": 2, "padding": "causal"}, (2, 5, 2),
     (2, 5, 3), 2),
    (layers.Conv2D, {"filters": 3, "kernel_size": 3, "activation": "relu"}, (2, 6, 6, 2),
     (2, 4, 4, 3), 2),
    (layers.Conv3D, {"filters": 2, "kernel_size": 2, "use_bias": False}, (2, 3, 4, 4, 1),
     (2, 2, 3, 3, 2), 1),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2}, (2, 4, 3),
     (2, 9, 2), 2),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2,
                              "padding": "same"}, (2, 3, 3, 2), (2, 6, 6, 2), 2),
    (layers.DepthwiseConv2D, {"kernel_size": 3, "depth_multiplier": 2}, (2, 5, 5, 2),
     (2, 3, 3, 4), 2),
    (layers.SeparableConv2D, {"filters": 3, "kernel_size": 3, "padding": "same"},
     (2, 5, 5, 2), (2, 5, 5, 3), 3),
    (layers.DepthwiseConv1D, {"kernel_size": 2}, (2, 5, 3), (2, 4, 3), 2),
    (layers.SeparableConv1D, {"filters": 2, "kernel_size": 3, "use_bias": False}, (2, 6, 3),
     (2, 4, 2), 2),
    (layers.SeparableConv1D, {"filters": 2, "kernel_size": 3}, (2, 6, 3), (2, 4, 2), 3),
])
def test_check_layer(layer_cls, kwargs, input_shape, output_shape, weights):
    check_layer(layer_cls, kwargs, input_shape, output_shape,
                expected_num_trainable_weights=weights)


def test_unknown_spatial_sizes_stay_unknown():
    x = keras.Input((None, None, 3))
    assert layers.Conv2D(4, 3, strides=2)(x).shape == (None, None, None, 4)
    assert layers.Conv2DTranspose(4, 3, strides=2)(x).shape == (None, None, None, 4)
    assert layers.Conv1D(2, 3, padding="causal")(keras.Input((None, 2))).shape == (None, None, 2)


def test_compute_output_shape_channels_first():
    layer = layers.Conv2D(5, (3, 2), strides=2, padding="same", data_format="channels_first")
    assert tuple(layer.compute_output_shape((None, 3, 9, 8))) == (None, 5, 5, 4)
    layer = layers.Conv2DTranspose(2, 3, strides=2, output_padding=1)
    assert tuple(layer.compute_output_shape((4, 3, 5, 1))) == (4, 8, 12, 2)


@pytest.mark.parametrize("make, message", [
    (lambda: layers.Conv2D(0, 3), "Invalid value for argument `filters`"),
    (lambda: layers.Conv2D(4, 3, groups=3), "evenly divisible by the number of groups"),
    (lambda: layers.Conv2D(4, (3, 3, 3)), "The `kernel_size` argument must be a tuple of 2"),
    (lambda: layers.Conv2D(4, 0), "that do not satisfy `value > 0`"),
    (lambda: layers.Conv2D(4, 3, strides=2, dilation_rate=2), "`strides > 1` not supported"),
    (lambda: layers.Conv2D(4, 3, padding="causal"), "The `padding` argument must be"),
    (lambda: layers.Conv2D(4, 3, data_format="nhwc"), "The `data_format` argument must be"),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, output_padding=2),
     "`output_padding` must be strictly less than `strides`"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0),
     "Invalid value for argument `depth_multiplier`"),
])
def test_argument_errors(make, message):
    # messages as Keras 3.15 words them
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("`", "`")):
        make()


def test_input_errors():
    with pytest.raises(ValueError, match="evenly divisible by the number of groups"):
        layers.Conv2D(4, 2, groups=2)(np.ones((1, 4, 4, 3), "float32"))
    with pytest.raises(ValueError, match="Computed output size would be zero or negative"):
        layers.Conv2D(4, 5)(np.ones((1, 4, 4, 3), "float32"))
    layer = layers.Conv2D(2, 2)
    layer(np.ones((1, 3, 3, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.ones((1, 3, 3, 2), "float32"))


def test_regularizers_add_losses():
    layer = layers.Conv2D(2, 2, kernel_regularizer="l2", bias_regularizer="l1",
                          activity_regularizer="l2")
    layer(np.ones((1, 3, 3, 1), "float32"))
    assert len(layer.losses) == 3


def test_loads_a_model_saved_by_keras_and_predicts_the_same(tmp_path):
    path = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "layers",
                        "spatial_model.keras")
    data = arrays("model")
    model = keras.models.load_model(path)
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["y"], rtol=1e-5,
                               atol=1e-6)
    # and what eagerflow saves loads back the same
    model.save(tmp_path / "again.keras")
    again = keras.models.load_model(tmp_path / "again.keras")
    np.testing.assert_allclose(again.predict(data["x"], verbose=0), data["y"], rtol=1e-5,
                               atol=1e-6)
