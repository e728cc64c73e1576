"""Keras's image file utilities: `load_img`, `img_to_array`, `array_to_img`, `save_img`
and `smart_resize`. Files are read and written with Pillow, an optional dependency
(`pip install pillow`, or the `image` extra of eagerflow)."""

import io
import os
import warnings

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend

# Keras's names for Pillow's resampling filters.
_PIL_FILTERS = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC",
                "hamming": "HAMMING", "box": "BOX", "lanczos": "LANCZOS"}
_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}


def pillow(purpose="load and save images"):
    """Pillow's `PIL.Image`, or an ImportError saying how to install it."""
    try:
        from PIL import Image
    except ImportError as err:
        raise ImportError(f"Could not import PIL.Image, which is needed to {purpose}. "
                          f"Install Pillow: `pip install pillow` (or "
                          f"`pip install eagerflow[image]`).") from err
    return Image


def aspect_crop_box(height, width, target_height, target_width):
    """`(top, left, crop_height, crop_width)`: the largest central window of a `height` x
    `width` image with the target's aspect ratio, as Keras crops (at least one pixel)."""
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    return (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width


def central_crop(image, size):
    """The central region of `image` (height and width first) with the aspect ratio of
    `size`, as Keras crops in `smart_resize`."""
    top, left, height, width = aspect_crop_box(image.shape[-3], image.shape[-2], *size)
    return image[..., top:top + height, left:left + width, :]


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """An image file (a path or an `io.BytesIO`) as a PIL image in `color_mode`,
    resized to `target_size` `(height, width)` with Pillow's `interpolation`; with
    `keep_aspect_ratio`, the central region of the target's aspect ratio is resized."""
    image_module = pillow()
    if isinstance(path, io.BytesIO):
        image = image_module.open(path)
    elif isinstance(path, (str, bytes, os.PathLike)):
        with open(path, "rb") as file:
            image = image_module.open(io.BytesIO(file.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    if color_mode not in _MODES:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    keep = ("L", "I;16", "I") if color_mode == "grayscale" else (_MODES[color_mode],)
    if image.mode not in keep:
        image = image.convert(_MODES[color_mode])
    if target_size is None or image.size == (target_size[1], target_size[0]):
        return image
    if interpolation not in _PIL_FILTERS:
        raise ValueError(f"Invalid interpolation method {interpolation} specified. Supported "
                         f"methods are {', '.join(_PIL_FILTERS)}")
    resample = getattr(image_module.Resampling, _PIL_FILTERS[interpolation])
    box = None
    if keep_aspect_ratio:
        width, height = image.size
        crop_height = min(height, (width * target_size[0]) // target_size[1])
        crop_width = min(width, (height * target_size[1]) // target_size[0])
        left, top = (width - crop_width) // 2, (height - crop_height) // 2
        box = (left, top, left + crop_width, top + crop_height)
    return image.resize((target_size[1], target_size[0]), resample, box=box)


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image as a 3-D NumPy array (`floatx` by default), channels as
    `data_format` says."""
    data_format = backend.standardize_data_format(data_format)
    array = np.asarray(img, dtype=dtype or backend.floatx())
    if array.ndim == 2:
        array = array[..., None]
    elif array.ndim != 3:
        raise ValueError(f"Unsupported image shape: {array.shape}")
    return array.transpose(2, 0, 1) if data_format == "channels_first" else array


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A 3-D array as a PIL image: 4 channels RGBA, 3 RGB, 1 grayscale; with `scale`,
    values are stretched to [0, 255] first."""
    data_format = backend.standardize_data_format(data_format)
    image_module = pillow()
    x = np.asarray(x, dtype=dtype or backend.floatx())
    if x.ndim != 3:
        raise ValueError(f"Expected image array to have rank 3 (single image). Got array "
                         f"with shape: {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        largest = np.max(x)
        if largest != 0:
            x = x / largest
        x = x * 255
    channels = x.shape[2]
    if channels in (3, 4):
        return image_module.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit integer pixels
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Writes the 3-D array `x` as an image file (format from `file_format` or the
    path's extension); Pillow's `save` takes `kwargs`."""
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and file_format in ("jpg", "jpeg"):
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.")
        image = image.convert("RGB")
    image.save(path, format=file_format, **kwargs)


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last",
                 **kwargs):
    """Resizes images (one `(height, width, channels)` or a batch) to `size` without
    distorting them: the largest central region of `size`'s aspect ratio is cropped,
    then resized. A NumPy input gives a NumPy result, a tensor a tensor.

    >>> from eagerflow.keras.preprocessing.image import smart_resize
    >>> smart_resize(np.ones((4, 6, 1)), (2, 2)).shape
    (2, 2, 1)
    """
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    given_tensor = tf.is_tensor(x)
    x = tf.convert_to_tensor(x)
    if x.shape.rank not in (3, 4):
        raise ValueError(f"Expected an image array with shape `(height, width, channels)`, "
                         f"or `(batch_size, height, width, channels)`, but got input with "
                         f"incorrect rank, of shape {x.shape}.")
    if data_format == "channels_first":
        x = tf.transpose(x, (1, 2, 0) if x.shape.rank == 3 else (0, 2, 3, 1))
    resized = tf.image.resize(central_crop(x, size), size, method=interpolation)
    if data_format == "channels_first":
        resized = tf.transpose(resized, (2, 0, 1) if x.shape.rank == 3 else (0, 3, 1, 2))
    return resized if given_tensor else resized.numpy()
