"""keras.utils.load_img / img_to_array / array_to_img / save_img and
keras.preprocessing.image.smart_resize; expected values recorded from Keras 3.15."""

import io
import sys

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.preprocessing.image import smart_resize

pytest.importorskip("PIL")


@pytest.fixture
def png():
    """A 4x6 RGB PNG in memory."""
    pixels = (np.arange(4 * 6 * 3).reshape(4, 6, 3) * 3 % 256).astype("uint8")
    buffer = io.BytesIO()
    keras.utils.save_img(buffer, pixels, file_format="png", scale=False)
    buffer.seek(0)
    return buffer, pixels


def test_save_then_load_gives_the_pixels_back(png, tmp_path):
    buffer, pixels = png
    np.testing.assert_array_equal(keras.utils.img_to_array(keras.utils.load_img(buffer)),
                                  pixels)
    path = tmp_path / "image.png"
    keras.utils.save_img(path, pixels, scale=False)
    array = keras.utils.img_to_array(keras.utils.load_img(path), dtype="uint8")
    assert array.dtype == np.uint8
    np.testing.assert_array_equal(array, pixels)


def test_load_img_resizes_and_converts_as_keras(png):
    buffer, _ = png
    image = keras.utils.load_img(buffer, target_size=(2, 3), keep_aspect_ratio=True,
                                 interpolation="bilinear")
    assert keras.utils.img_to_array(image).tolist() == [
        [[45.0, 48.0, 51.0], [62.0, 65.0, 68.0], [78.0, 81.0, 84.0]],
        [[129.0, 132.0, 135.0], [146.0, 149.0, 152.0], [162.0, 165.0, 168.0]]]
    buffer.seek(0)
    gray = keras.utils.load_img(buffer, color_mode="grayscale", target_size=(2, 2))
    assert keras.utils.img_to_array(gray, data_format="channels_first").tolist() == [
        [[65.0, 92.0], [173.0, 200.0]]]
    buffer.seek(0)
    assert keras.utils.img_to_array(keras.utils.load_img(buffer, color_mode="rgba")).shape \
        == (4, 6, 4)


def test_array_to_img_scales_to_the_byte_range_and_picks_the_mode():
    x = np.arange(2 * 3 * 3).reshape(2, 3, 3).astype("float32")
    image = keras.utils.array_to_img(x)
    assert (image.mode, image.size) == ("RGB", (3, 2))
    assert np.asarray(image).tolist() == [
        [[0, 15, 30], [45, 60, 75], [90, 105, 120]],
        [[135, 150, 165], [180, 195, 210], [225, 240, 255]]]
    assert np.asarray(keras.utils.array_to_img(x, scale=False)).ravel().tolist() \
        == list(range(18))
    assert keras.utils.array_to_img(np.zeros((2, 2, 1))).mode == "L"
    assert keras.utils.array_to_img(np.zeros((2, 2, 4))).mode == "RGBA"
    assert np.asarray(keras.utils.array_to_img(np.full((2, 2, 1), 300.0), scale=False)).dtype \
        == np.int32


def test_smart_resize_crops_to_the_aspect_ratio_then_resizes():
    x = np.arange(24, dtype="float32").reshape(4, 6, 1)
    result = smart_resize(x, (2, 2))
    assert isinstance(result, np.ndarray)
    assert result[..., 0].tolist() == [[4.5, 6.5], [16.5, 18.5]]
    assert tf.is_tensor(smart_resize(tf.constant(x), (2, 2)))
    batch = np.arange(120, dtype="float32").reshape(2, 5, 6, 2)
    expected = [[[[6.5, 7.5], [9.5, 10.5]], [[26.5, 27.5], [29.5, 30.5]],
                 [[46.5, 47.5], [49.5, 50.5]]],
                [[[66.5, 67.5], [69.5, 70.5]], [[86.5, 87.5], [89.5, 90.5]],
                 [[106.5, 107.5], [109.5, 110.5]]]]
    np.testing.assert_allclose(smart_resize(batch, (3, 2)), expected, rtol=1e-6)
    channels_first = smart_resize(batch.transpose(0, 3, 1, 2), (3, 2),
                                  data_format="channels_first")
    np.testing.assert_allclose(channels_first, np.transpose(expected, (0, 3, 1, 2)))


@pytest.mark.parametrize("call, error, message", [
    (lambda b: keras.utils.load_img(b, color_mode="cmyk"), ValueError,
     'color_mode must be "grayscale", "rgb", or "rgba"'),
    (lambda b: keras.utils.load_img(3), TypeError,
     "path should be path-like or io.BytesIO, not <class 'int'>"),
    (lambda b: keras.utils.load_img(b, target_size=(1, 1), interpolation="cubic"), ValueError,
     "Invalid interpolation method cubic specified. Supported methods are nearest, bilinear, "
     "bicubic, hamming, box, lanczos"),
    (lambda b: smart_resize(np.zeros((4, 4, 1)), (2,)), ValueError,
     "Expected `size` to be a tuple of 2 integers, but got: (2,)."),
    (lambda b: smart_resize(np.zeros((3, 3)), (2, 2)), ValueError,
     "but got input with incorrect rank, of shape (3, 3)."),
    (lambda b: keras.utils.array_to_img(np.zeros((2, 2))), ValueError,
     "Expected image array to have rank 3 (single image). Got array with shape: (2, 2)"),
    (lambda b: keras.utils.array_to_img(np.zeros((2, 2, 2))), ValueError,
     "Unsupported channel number: 2"),
])
def test_errors_match_keras(png, call, error, message):
    with pytest.raises(error) as caught:
        call(png[0])
    assert message in str(caught.value)


def test_missing_pillow_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        keras.utils.load_img(io.BytesIO(b""))


def test_preprocessing_namespace_has_the_dataset_utilities():
    assert keras.preprocessing.image_dataset_from_directory \
        is keras.utils.image_dataset_from_directory
    assert keras.preprocessing.text_dataset_from_directory \
        is keras.utils.text_dataset_from_directory
    assert keras.preprocessing.timeseries_dataset_from_array \
        is keras.utils.timeseries_dataset_from_array
    assert keras.preprocessing.image.load_img is keras.utils.load_img
