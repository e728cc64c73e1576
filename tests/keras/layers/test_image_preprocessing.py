"""The image preprocessing and augmentation layers against outputs recorded from Keras
3.15 (fixtures/layers/image_preprocessing.npz, written by record_image_preprocessing.py;
the random layers there have one possible draw), plus training-only behaviour, seeding,
configs, errors and gradients."""


import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.fixtures.layers.record_image_preprocessing import CASES
from tests.keras.layer_checks import check_layer
from tests.keras.layers.recorded_layers import load_arrays

RECORDED = load_arrays("image_preprocessing")
_POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
           "registered_name": None}


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


@pytest.mark.parametrize("case", sorted(CASES))
def test_layers_match_keras(case):
    class_name, kwargs, input_name, call_kwargs = CASES[case]
    result = getattr(layers, class_name)(**kwargs)(RECORDED[input_name], **call_kwargs)
    expected = RECORDED[case]
    assert result.dtype == expected.dtype
    # Pixel values up to 255: a few float32 roundings apart at most.
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("cls, kwargs, input_shape, output_shape", [
    (layers.Rescaling, {"scale": 0.5, "offset": 1.0}, (2, 4, 5, 3), (2, 4, 5, 3)),
    (layers.Resizing, {"height": 3, "width": 7}, (2, 4, 5, 3), (2, 3, 7, 3)),
    (layers.Resizing, {"height": 3, "width": 2, "data_format": "channels_first"},
     (2, 3, 5, 4), (2, 3, 3, 2)),
    (layers.CenterCrop, {"height": 2, "width": 3}, (2, 4, 5, 1), (2, 2, 3, 1)),
    (layers.RandomRotation, {"factor": (0.2, 0.2)}, (2, 4, 5, 2), (2, 4, 5, 2)),
    (layers.RandomZoom, {"height_factor": (0.2, 0.2)}, (2, 4, 5, 2), (2, 4, 5, 2)),
    (layers.RandomTranslation, {"height_factor": (0.2, 0.2), "width_factor": (0.1, 0.1)},
     (2, 4, 5, 2), (2, 4, 5, 2)),
    (layers.RandomContrast, {"factor": (-0.5, 0.5), "value_range": (-10, 10)}, (2, 4, 5, 2),
     (2, 4, 5, 2)),
    (layers.RandomCrop, {"height": 6, "width": 2, "seed": 3}, (2, 4, 5, 2), (2, 6, 2, 2)),
])
def test_check_layer(cls, kwargs, input_shape, output_shape):
    check_layer(cls, kwargs, input_shape, output_shape)


def test_configs_as_keras():
    # Recorded from Keras 3.15.
    base = {"trainable": True, "dtype": _POLICY, "data_format": "channels_last"}
    assert layers.Rescaling(0.5, name="r").get_config() == {
        "name": "r", "trainable": True, "dtype": _POLICY, "scale": 0.5, "offset": 0.0}
    assert layers.Resizing(3, 4, name="r").get_config() == {
        "name": "r", **base, "height": 3, "width": 4, "interpolation": "bilinear",
        "crop_to_aspect_ratio": False, "pad_to_aspect_ratio": False, "fill_mode": "constant",
        "fill_value": 0.0, "antialias": False}
    assert layers.CenterCrop(3, 4, name="c").get_config() == {"name": "c", **base,
                                                               "height": 3, "width": 4}
    assert layers.RandomFlip(name="f").get_config() == {
        "name": "f", **base, "seed": None, "mode": "horizontal_and_vertical"}
    assert layers.RandomRotation(0.2, name="r").get_config() == {
        "name": "r", **base, "factor": (-0.2, 0.2), "fill_mode": "reflect", "fill_value": 0.0,
        "interpolation": "bilinear", "seed": None}
    assert layers.RandomZoom(0.2, name="z").get_config() == {
        "name": "z", **base, "height_factor": 0.2, "width_factor": None,
        "fill_mode": "reflect", "interpolation": "bilinear", "seed": None, "fill_value": 0.0}
    assert layers.RandomTranslation(0.1, 0.2, name="t").get_config() == {
        "name": "t", **base, "height_factor": 0.1, "width_factor": 0.2,
        "fill_mode": "reflect", "interpolation": "bilinear", "seed": None, "fill_value": 0.0}
    assert layers.RandomContrast(0.3, name="c").get_config() == {
        "name": "c", **base, "factor": (0, 0.3), "value_range": (0, 255), "seed": None}
    assert layers.RandomBrightness(0.2, name="b").get_config() == {
        "name": "b", **base, "factor": (-0.2, 0.2), "value_range": [0, 255], "seed": None}
    assert layers.RandomCrop(3, 4, name="c", seed=5).get_config() == {
        "name": "c", **base, "height": 3, "width": 4, "seed": 5}
    assert isinstance(layers.RandomCrop(3, 4).seed, int)
    assert (layers.RandomContrast((0.1, 0.4)).factor, layers.RandomRotation((-0.1, 0.3)).factor,
            layers.RandomRotation(0.3).factor) == ((0.1, 0.4), (-0.1, 0.3), (-0.3, 0.3))


@pytest.mark.parametrize("layer", [
    layers.RandomFlip(seed=1), layers.RandomRotation(0.2, seed=1),
    layers.RandomZoom(0.3, seed=1), layers.RandomTranslation(0.2, 0.2, seed=1),
    layers.RandomContrast(0.4, seed=1), layers.RandomBrightness(0.3, seed=1),
    layers.RandomCrop(3, 4, seed=1),
])
def test_random_layers_are_identity_at_inference_and_in_predict(layer):
    x = np.tile(RECORDED["float"], (16, 1, 1, 1))  # 32 images: some surely get flipped
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    if isinstance(layer, layers.RandomCrop):
        return  # its inference output does not have the shape it declares, as in Keras
    model = keras.Sequential([keras.Input(x.shape[1:]), layer])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    assert not np.array_equal(layer(x).numpy(), x)  # called directly, it trains


def test_seeded_layers_repeat_and_vary():
    x = RECORDED["float"]
    first = layers.RandomRotation(0.3, seed=4)
    second = layers.RandomRotation(0.3, seed=4)
    y = first(x).numpy()
    np.testing.assert_array_equal(second(x).numpy(), y)
    assert not np.array_equal(first(x).numpy(), y)
    assert not np.array_equal(layers.RandomRotation(0.3, seed=5)(x).numpy(), y)


@pytest.mark.parametrize("mode, flip", [
    ("horizontal", lambda x: x[:, :, ::-1]),
    ("vertical", lambda x: x[:, ::-1]),
    ("horizontal_and_vertical", lambda x: x[:, ::-1, ::-1]),
])
def test_random_flip_flips_whole_images(mode, flip):
    x = np.random.default_rng(0).random((64, 3, 4, 2)).astype("float32")
    y = layers.RandomFlip(mode, seed=2)(x).numpy()
    kept = np.all(y == x, axis=(1, 2, 3))
    flipped = np.all(y == flip(x), axis=(1, 2, 3))
    assert np.all(kept | flipped) and 10 < flipped.sum() < 54


def test_random_augmentations_stay_in_their_ranges():
    x = RECORDED["unit"]
    bright = layers.RandomBrightness(0.5, value_range=(0, 1), seed=1)(x).numpy()
    assert bright.min() >= 0 and bright.max() <= 1
    shift = (bright - x)[~np.isin(bright, [0.0, 1.0])]
    assert np.abs(shift).max() <= 0.5 + 1e-6
    contrast = layers.RandomContrast(0.9, value_range=(0, 1), seed=1)(x).numpy()
    assert contrast.min() >= 0 and contrast.max() <= 1
    crop = layers.RandomCrop(3, 4, seed=1)(x).numpy()
    # One window for the whole batch, somewhere inside the images.
    windows = [(top, left) for top in range(3) for left in range(4)
               if np.array_equal(crop, x[:, top:top + 3, left:left + 4])]
    assert len(windows) == 1


def test_resizing_keeps_integer_dtypes_and_rescaling_makes_floats():
    pixels = RECORDED["uint8"]
    assert layers.Resizing(3, 4, interpolation="nearest")(pixels).dtype == tf.uint8
    assert layers.Rescaling(1 / 255)(pixels.astype("int32")).dtype == tf.float32
    assert layers.CenterCrop(3, 4)(pixels).dtype == tf.float32


def test_errors_as_keras():
    x = RECORDED["float"]
    with pytest.raises(ValueError, match=r"in the range \[0, 1\]. Received: factor=1.5"):
        layers.RandomContrast(1.5)
    with pytest.raises(ValueError, match=r"Received: factor=\(0.2,\)"):
        layers.RandomContrast((0.2,))
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode` x"):
        layers.RandomRotation(0.2, fill_mode="x")
    with pytest.raises(ValueError, match=r"range \(-1.0, 1.0\]. Received: input_number=-1.0"):
        layers.RandomZoom(-1.0)
    with pytest.raises(ValueError, match=r"range \[-1.0, 1.0\]. Received: input_number=1.5"):
        layers.RandomTranslation(1.5, 0.1)
    with pytest.raises(ValueError, match="`value_range` argument should be a list of two"):
        layers.RandomBrightness(0.2, value_range=3)
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio` & "):
        layers.Resizing(3, 3, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)(x)
    with pytest.raises(ValueError, match="Expected of one .* Received: interpolation=foo"):
        layers.Resizing(3, 3, interpolation="foo")(x)
    with pytest.raises(ValueError, match="Invalid images rank"):
        layers.CenterCrop(3, 3)(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="unknown mode argument diag"):
        layers.RandomFlip(mode="diag")


@pytest.mark.parametrize("layer_fn", [
    lambda: layers.RandomRotation((0.1, 0.1), dtype="float64"),
    lambda: layers.RandomZoom((0.3, 0.3), (-0.2, -0.2), fill_mode="constant",
                              dtype="float64"),
    lambda: layers.Resizing(3, 6, interpolation="bicubic", dtype="float64"),
    lambda: layers.CenterCrop(2, 3, dtype="float64"),
])
def test_gradients_reach_the_images(layer_fn, rng):
    layer = layer_fn()
    check_gradients(layer, rng.standard_normal((2, 4, 5, 2)), order=1, eps=0.1, atol=1e-4)
