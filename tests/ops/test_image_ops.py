"""tf.image against results recorded from TensorFlow 2.21 (fixtures/image_ops.npz, written
by fixtures/record_image_ops.py), plus shapes, dtypes, errors and gradients."""

import os

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops.image_ops import projective_transform
from tests.gradient_check import check_gradients

RECORDED = np.load(os.path.join(os.path.dirname(__file__), "fixtures", "image_ops.npz"))
RESIZE_CASES = sorted(key for key in RECORDED.files
                      if key.startswith("resize/") and key.count("/") == 3)


@pytest.mark.parametrize("key", RESIZE_CASES)
def test_resize_matches_tensorflow(key):
    _, method, antialias, size = key.split("/")
    height, width = map(int, size.split("x"))
    result = tf.image.resize(RECORDED["resize/x"], [height, width], method=method,
                             antialias=antialias == "True")
    assert result.dtype == tf.float32
    # Values up to 255: a few float32 roundings apart at most.
    np.testing.assert_allclose(result.numpy(), RECORDED[key], rtol=1e-5, atol=1e-4)


def test_resize_preserve_aspect_ratio_and_3d():
    x = RECORDED["resize/x"]
    result = tf.image.resize(x, (4, 4), preserve_aspect_ratio=True)
    np.testing.assert_allclose(result.numpy(), RECORDED["resize/preserve"], rtol=1e-5)
    single = tf.image.resize(x[0], (3, 4))
    assert single.shape == (3, 4, 2)
    np.testing.assert_allclose(single.numpy(), RECORDED["resize/bilinear/False/3x4"][0],
                               rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("dtype, method, expected", [
    ("uint8", "bilinear", tf.float32), ("uint8", "nearest", tf.uint8),
    ("float64", "bicubic", tf.float32), ("float64", "nearest", tf.float64),
    ("float16", "area", tf.float32), ("int32", "nearest", tf.int32),
])
def test_resize_dtypes_as_tensorflow(dtype, method, expected):
    x = np.arange(2 * 5 * 4).reshape(2, 5, 4, 1).astype(dtype)
    assert tf.image.resize(x, (3, 6), method=method).dtype == expected


def test_resize_errors():
    with pytest.raises(ValueError, match="'images' must have either 3 or 4 dimensions"):
        tf.image.resize(np.ones((5, 4), "float32"), (3, 3))
    with pytest.raises(ValueError, match="Resize method is not implemented: foo"):
        tf.image.resize(np.ones((1, 5, 4, 1), "float32"), (3, 3), method="foo")
    with pytest.raises(ValueError, match="'size' must be a 1-D Tensor of 2 elements"):
        tf.image.resize(np.ones((1, 5, 4, 1), "float32"), (3,))


@pytest.mark.parametrize("method", ["bilinear", "nearest", "bicubic", "area", "lanczos3"])
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_gradients(method, antialias, rng):
    # Resizing is linear, so finite differences with a large step are exact up to the
    # float32 rounding of the result.
    x = rng.standard_normal((2, 5, 4, 2))
    check_gradients(lambda t: tf.image.resize(t, (3, 7), method=method, antialias=antialias),
                    x, order=2, eps=0.1, atol=1e-4)


@pytest.mark.parametrize("fill_mode", ["constant", "reflect", "wrap", "nearest"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_projective_transform_matches_tensorflow(fill_mode, interpolation):
    from tests.ops.fixtures.record_image_ops import TRANSFORMS
    result = projective_transform(RECORDED["transform/images"], TRANSFORMS, interpolation,
                                  fill_mode, fill_value=0.5)
    np.testing.assert_allclose(result.numpy(), RECORDED[f"transform/{fill_mode}/{interpolation}"],
                               rtol=1e-5, atol=1e-6)


def test_projective_transform_gradients(rng):
    transforms = np.array([[0.9, -0.3, 1.2, 0.4, 1.1, -0.3, 0.0, 0.0]], "float32")
    check_gradients(lambda t: projective_transform(t, transforms, "bilinear", "reflect"),
                    rng.standard_normal((1, 4, 5, 2)), order=2)


@pytest.mark.parametrize("name", ["uint8", "float32"])
def test_color_adjustments_match_tensorflow(name):
    image = RECORDED[f"color/{name}"]
    results = {"contrast": tf.image.adjust_contrast(image, 1.7),
               "brightness": tf.image.adjust_brightness(image, -0.2),
               "gray": tf.image.rgb_to_grayscale(image),
               "standardized": tf.image.per_image_standardization(image),
               "gamma": tf.image.adjust_gamma(image, 0.6, 1.3),
               "saturation": tf.image.adjust_saturation(image, 1.7),
               "hue": tf.image.adjust_hue(image, -0.3)}
    if name == "float32":
        results["hsv"] = tf.image.rgb_to_hsv(image)
        results["hsv_rgb"] = tf.image.hsv_to_rgb(image)
    for key, result in results.items():
        expected = RECORDED[f"color/{name}/{key}"]
        assert result.dtype == expected.dtype, key
        np.testing.assert_allclose(result.numpy(), expected, rtol=1e-5, atol=1e-6, err_msg=key)


def test_flips_rotations_and_crops_match_tensorflow():
    pixels = RECORDED["color/uint8"]
    for k in range(4):
        np.testing.assert_array_equal(tf.image.rot90(pixels, k).numpy(), RECORDED[f"rot90/{k}"])
        np.testing.assert_array_equal(tf.image.rot90(pixels[0], k).numpy(),
                                      RECORDED[f"rot90/{k}"][0])
    np.testing.assert_array_equal(tf.image.flip_left_right(pixels).numpy(), pixels[:, :, ::-1])
    np.testing.assert_array_equal(tf.image.flip_up_down(pixels[0]).numpy(), pixels[0, ::-1])
    for fraction in (0.3, 0.5, 0.77):
        shape = tf.image.central_crop(np.ones((11, 6, 1)), fraction).shape
        assert tuple(shape) == tuple(RECORDED[f"central_crop/{fraction}"])
    for size in ("3x8", "7x2"):
        height, width = map(int, size.split("x"))
        np.testing.assert_array_equal(
            tf.image.resize_with_crop_or_pad(pixels, height, width).numpy(),
            RECORDED[f"crop_or_pad/{size}"])


def test_bounding_boxes():
    image = np.arange(4 * 5).reshape(4, 5, 1)
    crop = tf.image.crop_to_bounding_box(image, 1, 2, 2, 3)
    np.testing.assert_array_equal(crop.numpy(), image[1:3, 2:5])
    padded = tf.image.pad_to_bounding_box(image, 1, 2, 6, 8)
    assert padded.shape == (6, 8, 1)
    np.testing.assert_array_equal(padded.numpy()[1:5, 2:7], image)
    assert int(tf.reduce_sum(padded)) == int(image.sum())
    with pytest.raises(ValueError, match="width must be >= target \\+ offset"):
        tf.image.crop_to_bounding_box(image, 0, 3, 2, 3)
    with pytest.raises(ValueError, match="height must be <= target - offset"):
        tf.image.pad_to_bounding_box(image, 3, 0, 6, 8)
    with pytest.raises(ValueError, match="central_fraction must be within"):
        tf.image.central_crop(image, 0.0)


@pytest.mark.parametrize("key, values, dtype, saturate", [
    ("float_to_uint8", [0.0, 0.25, 0.5, 0.999, 1.0, 1.2, -0.1], tf.uint8, False),
    ("float_to_uint8_saturate", [0.0, 0.25, 0.5, 0.999, 1.0, 1.2, -0.1], tf.uint8, True),
    ("float_to_int16", [0.0, 0.25, 0.5, 0.999, 1.0, 1.2, -0.1], tf.int16, False),
    ("uint8_to_float32", np.array([0, 1, 127, 128, 255], "uint8"), tf.float32, False),
    ("uint8_to_int32", np.array([0, 1, 127, 128, 255], "uint8"), tf.int32, False),
    ("int32_to_uint8", np.array([0, 2 ** 23, 2 ** 30, 2 ** 31 - 1], "int32"), tf.uint8, False),
    ("uint8_to_float16", np.array([0, 1, 127, 128, 255], "uint8"), tf.float16, False),
])
def test_convert_image_dtype_matches_tensorflow(key, values, dtype, saturate):
    values = np.asarray(values, "float32") if isinstance(values, list) else values
    result = tf.image.convert_image_dtype(values, dtype, saturate=saturate)
    assert result.dtype == dtype
    np.testing.assert_array_equal(result.numpy(), RECORDED[f"convert/{key}"])


def test_grayscale_to_rgb_and_random_flips():
    gray = tf.constant(np.arange(6, dtype="float32").reshape(1, 2, 3, 1))
    rgb = tf.image.grayscale_to_rgb(gray)
    assert rgb.shape == (1, 2, 3, 3)
    np.testing.assert_array_equal(rgb.numpy()[..., 2], gray.numpy()[..., 0])
    with pytest.raises(ValueError, match="Last dimension of a grayscale image should be size 1"):
        tf.image.grayscale_to_rgb(rgb)
    batch = tf.constant(np.arange(64 * 2, dtype="float32").reshape(64, 1, 2, 1))
    flipped = tf.image.random_flip_left_right(batch, seed=3).numpy()
    same = np.all(flipped == batch.numpy(), axis=(1, 2, 3))
    mirrored = np.all(flipped == batch.numpy()[:, :, ::-1], axis=(1, 2, 3))
    assert np.all(same | mirrored) and 10 < mirrored.sum() < 54
    assert tf.image.random_flip_up_down(batch[0]).shape == (1, 2, 1)


def test_image_namespace_gradients(rng):
    x = rng.standard_normal((2, 3, 4, 3))
    # adjust_contrast computes float64 images in float32, as TensorFlow does; it is linear.
    check_gradients(lambda t: tf.image.adjust_contrast(t, 1.5), x, eps=0.1, atol=1e-4)
    check_gradients(tf.image.per_image_standardization, x.astype("float32").astype("float64"),
                    order=1, eps=1e-2, atol=1e-3, rtol=1e-2)
    check_gradients(lambda t: tf.image.rot90(tf.image.flip_left_right(t), 3), x)
    check_gradients(lambda t: tf.image.resize_with_crop_or_pad(t, 5, 2), x)


@pytest.mark.parametrize("size", ["3x9", "10x4", "7x7"])
def test_resize_with_pad_matches_tensorflow(size):
    height, width = map(int, size.split("x"))
    result = tf.image.resize_with_pad(RECORDED["color/uint8"][0], height, width)
    assert result.dtype == tf.float32
    np.testing.assert_allclose(result.numpy(), RECORDED[f"resize_with_pad/{size}"],
                               rtol=1e-5, atol=1e-4)


def test_hsv_round_trip_and_gradients(rng):
    rgb = rng.uniform(0.05, 0.95, (3, 4, 3))
    back = tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(rgb))
    np.testing.assert_allclose(back.numpy(), rgb, atol=1e-12)
    # adjust_saturation's conversions, in float64 (adjust_saturation itself runs in float32).
    scale = np.array([1.0, 0.7, 1.0])
    check_gradients(lambda t: tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(t) * scale), rgb)


def test_random_adjustments_stay_in_range_and_stateless_ones_repeat():
    image = tf.constant(RECORDED["color/float32"])
    mean = tf.reduce_mean(image, axis=[-3, -2], keepdims=True).numpy()
    brighter = tf.image.random_brightness(image, 0.2).numpy() - image.numpy()
    assert np.abs(brighter).max() <= 0.2 and np.ptp(brighter) < 1e-6  # one delta
    contrast = tf.image.random_contrast(image, 0.5, 0.6).numpy()
    ratio = (contrast - mean) / (image.numpy() - mean)
    assert 0.5 - 1e-4 <= ratio.min() and ratio.max() <= 0.6 + 1e-4
    seed = (3, 4)
    for fn in (lambda: tf.image.stateless_random_brightness(image, 0.3, seed),
               lambda: tf.image.stateless_random_contrast(image, 0.2, 0.9, seed),
               lambda: tf.image.stateless_random_saturation(image, 0.2, 0.9, seed),
               lambda: tf.image.stateless_random_hue(image, 0.3, seed),
               lambda: tf.image.stateless_random_crop(image, (2, 3, 4, 3), seed),
               lambda: tf.image.stateless_random_flip_left_right(image, seed)):
        np.testing.assert_array_equal(fn().numpy(), fn().numpy())
    crop = tf.image.random_crop(image, (1, 2, 2, 3)).numpy()
    assert any(np.array_equal(crop, image.numpy()[b:b + 1, i:i + 2, j:j + 2])
               for b in range(2) for i in range(3) for j in range(4))


def test_random_adjustment_errors_as_tensorflow():
    image = RECORDED["color/float32"][0]
    with pytest.raises(ValueError, match="max_delta must be non-negative."):
        tf.image.random_brightness(image, -0.1)
    with pytest.raises(ValueError, match="upper must be > lower."):
        tf.image.random_contrast(image, 0.5, 0.4)
    with pytest.raises(ValueError, match="lower must be non-negative."):
        tf.image.random_saturation(image, -0.5, 0.4)
    with pytest.raises(ValueError, match=r"max_delta must be <= 0.5."):
        tf.image.random_hue(image, 0.6)
    with pytest.raises(ValueError, match="Gamma should be a non-negative real number."):
        tf.image.adjust_gamma(image, -1.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need value.shape >= size"):
        tf.image.random_crop(image, (5, 6, 3))
    with pytest.raises(tf.errors.InvalidArgumentError, match="input must have 3 channels"):
        tf.image.rgb_to_hsv(np.ones((2, 2), "float32"))
