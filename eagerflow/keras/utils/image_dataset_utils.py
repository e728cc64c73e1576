"""`keras.utils.image_dataset_from_directory`: a dataset of image files, labelled by folder.

Images are decoded with Pillow, an optional dependency (`pip install pillow`, or the
`image` extra of eagerflow), and resized with `tf.image.resize`.
"""

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.utils import dataset_utils
from eagerflow.keras.utils.image_utils import central_crop, pillow
from eagerflow.keras.utils.text_dataset_utils import check_format

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}
_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                   "gaussian", "mitchellcubic")


def decode_image(path, num_channels):
    """The image file at `path` as a uint8 array `(height, width, num_channels)`; the
    first frame of an animated GIF."""
    with pillow("decode images in image_dataset_from_directory").open(path) as image:
        mode = {1: "L", 3: "RGB", 4: "RGBA"}[num_channels]
        pixels = np.asarray(image if image.mode == mode else image.convert(mode))
    return pixels.reshape(pixels.shape[:2] + (num_channels,))


def _resize_with_pad(image, size, interpolation):
    """Resized to fit inside `size` keeping its aspect ratio, then padded with zeros on
    both sides (as `tf.image.resize_with_pad`)."""
    height, width = image.shape[:2]
    ratio = max(width / size[1], height / size[0])
    inner = (int(height / ratio), int(width / ratio))
    image = tf.image.resize(image, inner, method=interpolation)
    top, left = (size[0] - inner[0]) // 2, (size[1] - inner[1]) // 2
    return tf.pad(image, [[top, size[0] - inner[0] - top],
                          [left, size[1] - inner[1] - left], [0, 0]])


def load_image(path, image_size, num_channels, interpolation, data_format,
               crop_to_aspect_ratio=False, pad_to_aspect_ratio=False):
    """One image as a Tensor of `image_size` (and `num_channels`), laid out as
    `data_format` says: float32, or uint8 with "nearest" interpolation, as in Keras."""
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be "
                         "set to `True`.")
    image = decode_image(path, num_channels)
    if crop_to_aspect_ratio:
        image = central_crop(image, image_size)
    image = tf.convert_to_tensor(image)
    if pad_to_aspect_ratio:
        image = _resize_with_pad(image, image_size, interpolation)
    else:
        image = tf.image.resize(image, image_size, method=interpolation)
    if data_format == "channels_first":
        image = tf.transpose(image, (2, 0, 1))
    return image


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None,
                                 interpolation="bilinear", follow_links=False,
                                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, format="tf", verbose=True):
    """Generates a `tf.data.Dataset` from image files in a directory.

    With `labels="inferred"` the directory holds one subdirectory per class, whose images
    (`.bmp`, `.gif`, `.jpeg`, `.jpg`, `.png`, at any depth) are that class's samples.
    Images are decoded with Pillow (`pip install pillow`).

    Args:
        directory: Directory where the data is located.
        labels: `"inferred"` (from the subdirectories), None (no labels), or a list of
            integer labels, one per file in alphanumeric order of the paths.
        label_mode: `"int"` (int32 indices), `"categorical"` (one-hot float32),
            `"binary"` (float32 0 or 1, shape `(batch, 1)`), or None (no labels).
        class_names: With inferred labels, the subdirectories to use, in label order.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`: 1, 3 or 4 channels.
        batch_size: Size of the batches; None yields single images.
        image_size: `(height, width)` to resize images to (an int for a square).
        shuffle: Whether to shuffle the data (else files come in alphanumeric order).
        seed: Optional random seed for shuffling and transformations.
        validation_split: Optional fraction of the data to reserve for validation.
        subset: `"training"`, `"validation"` or `"both"` (a list of two datasets); only
            with `validation_split`.
        interpolation: The `tf.image.resize` method.
        follow_links: Whether to visit subdirectories pointed to by symlinks.
        crop_to_aspect_ratio: Crop the central region of the target aspect ratio first.
        pad_to_aspect_ratio: Resize keeping the aspect ratio and pad with zeros.
        data_format: `"channels_last"` or `"channels_first"`; the Keras default if None.
        format: `"tf"`, the only format eagerflow returns.
        verbose: Whether to print how many files and classes were found.

    Returns:
        A `tf.data.Dataset` of float32 images `(batch, height, width, channels)` (with
        labels when `label_mode` is set), with `class_names` and `file_paths` attributes;
        a list of two with `subset="both"`.

    Raises:
        ImportError: when Pillow is not installed.
    """
    dataset_utils.check_directory_arguments(labels, label_mode, class_names,
                                            validation_split, subset, shuffle, seed,
                                            "image", "images")
    if labels is None or label_mode is None:
        labels = label_mode = None
    if color_mode not in _CHANNELS:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                         f"Received: color_mode={color_mode}")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError("Invalid `image_size` value. Expected a tuple of 2 integers. "
                         f"Received: image_size={image_size}")
    interpolation = interpolation.lower()
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"Argument `interpolation` should be one of {_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation}")
    check_format(format)
    pillow("decode images in image_dataset_from_directory")
    data_format = data_format or backend.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError('The `data_format` argument must be one of {"channels_first", '
                         f'"channels_last"}}. Received: data_format={data_format}')
    num_channels = _CHANNELS[color_mode]

    def load(path):
        return load_image(path.numpy().decode(), image_size, num_channels, interpolation,
                          data_format, crop_to_aspect_ratio, pad_to_aspect_ratio)

    datasets, paths = dataset_utils.datasets_from_directory(
        directory, labels, label_mode, class_names, batch_size, shuffle, seed,
        validation_split, subset, follow_links, verbose, ALLOWLIST_FORMATS, load, "images",
        f"Allowed formats: {ALLOWLIST_FORMATS}")
    if subset == "both":
        for dataset, part_paths in zip(datasets, paths):
            dataset.file_paths = part_paths
    else:
        datasets.file_paths = paths
    return datasets
