"""RandomGrayscale, RandomInvert, RandomColorDegeneration, RandomPosterization,
Solarization, RandomHue, RandomSaturation, RandomSharpness, RandomColorJitter,
RandomGaussianBlur, Equalization, AutoContrast (and the fixed cases of RandomErasing,
RandomPerspective and RandomElasticTransform): against Keras 3.15 with settings that leave
one possible draw (fixtures/layers/more_layers.*, written by record_more_layers.py), and
properties of the random draws otherwise."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.keras.layers.recorded_layers import recorded_arrays, recorded_cases

RECORDED = recorded_cases("more_layers", "color_layers")


@pytest.mark.parametrize("name", list(RECORDED))
def test_matches_keras(name):
    case = RECORDED[name]
    data = recorded_arrays("more_layers", f"color/{name}")
    x, expected = data["x"], data["y"]
    keras.backend.clear_session()
    layer = getattr(layers, case["class_name"])(**case["kwargs"])
    y = layer(x)
    assert y.dtype == expected.dtype
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-3)  # 0..255 values
    config = json.loads(json.dumps(layer.get_config(), default=list))
    assert config == case["config"] and list(config) == list(case["config"])


@pytest.mark.parametrize("layer", [
    layers.RandomGrayscale(1.0), layers.RandomInvert(1.0), layers.RandomPosterization(3),
    layers.RandomColorDegeneration(0.5), layers.Solarization(0.5, 0.5), layers.RandomHue(0.5),
    layers.RandomSaturation(0.5), layers.RandomSharpness(0.5), layers.RandomGaussianBlur(),
    layers.RandomColorJitter(brightness_factor=0.2, hue_factor=0.3)],
    ids=lambda layer: type(layer).__name__)
def test_random_layers_are_identity_in_inference(layer):
    x = np.random.default_rng(0).uniform(0, 255, (2, 3, 3, 3)).astype("float32")
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)


def test_random_draws_per_image_and_seeded():
    x = np.random.default_rng(1).uniform(0, 255, (64, 2, 2, 3)).astype("float32")
    inverted = layers.RandomInvert(0.5, seed=3)(x).numpy()
    flipped = np.all(np.isclose(inverted, 255.0 - x), axis=(1, 2, 3))
    kept = np.all(inverted == x, axis=(1, 2, 3))
    assert np.all(flipped | kept) and 0 < flipped.sum() < 64  # whole images, some of them
    again = layers.RandomInvert(0.5, seed=3)(x).numpy()
    np.testing.assert_array_equal(again, inverted)
    gray = layers.RandomGrayscale(0.5, seed=2)(x).numpy()
    is_gray = np.all(np.isclose(gray, gray[..., :1]), axis=(1, 2, 3))
    assert 0 < is_gray.sum() < 64
    posterized = layers.RandomPosterization((2, 6), seed=1)(x).numpy()
    low_bits = np.mod(posterized, 4)  # at most 6 bits kept: the two lowest are zero
    np.testing.assert_array_equal(low_bits, 0)


def test_solarization_stays_in_range_and_channels_first_works():
    x = np.random.default_rng(2).uniform(0, 1, (3, 3, 4, 4)).astype("float32")
    layer = layers.Solarization(0.3, 0.7, value_range=(0, 1), data_format="channels_first",
                                seed=5)
    y = layer(x).numpy()
    assert y.shape == x.shape and y.min() >= 0.0 and y.max() <= 1.0


@pytest.mark.parametrize("cls, kwargs, message", [
    (layers.RandomGrayscale, {"factor": 1.5}, "`factor` should be between 0 and 1"),
    (layers.RandomInvert, {"factor": 2.0}, r"in the range \[0, 1\]"),
    (layers.RandomPosterization, {"factor": 9}, r"in the range \[1, 8\]"),
    (layers.Solarization, {"addition_factor": 1.5}, "addition_factor` and `threshold_factor"),
    (layers.AutoContrast, {"value_range": 255}, "`value_range` argument should be a list"),
    (layers.RandomGaussianBlur, {"kernel_size": 4}, "kernel_size must be an odd number"),
])
def test_argument_errors(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


def test_auto_contrast_is_applied_in_inference_too():
    x = tf.constant([[[[10.0], [20.0]]]])
    np.testing.assert_allclose(layers.AutoContrast()(x, training=False).numpy().ravel(),
                               [0.0, 255.0])


def test_factor_numbers_read_as_keras_reads_them():
    # as recorded from Keras 3.15's configs
    assert layers.RandomColorDegeneration(0.5).factor == (-0.5, 0.5)
    assert layers.RandomSaturation(0.5).factor == (-0.5, 0.5)
    assert layers.RandomHue(0.5).factor == (0, 0.5)
    assert layers.RandomSharpness(0.5).factor == (0, 0.5)
    assert layers.RandomPosterization(4).factor == (1, 4)
    assert layers.Solarization(0.5).addition_factor == (0, 0.5)


def test_hue_keeps_gray_pixels_and_saturation_half_keeps_images():
    x = np.random.default_rng(4).uniform(0, 255, (8, 3, 3, 3)).astype("float32")
    gray = np.repeat(x[..., :1], 3, axis=-1)
    np.testing.assert_allclose(layers.RandomHue(0.7, seed=1)(gray).numpy(), gray, atol=1e-3)
    kept = layers.RandomSaturation((0.5, 0.5))(x).numpy()
    np.testing.assert_allclose(kept, x, rtol=1e-4, atol=1e-3)
