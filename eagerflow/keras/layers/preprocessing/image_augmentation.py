"""Random image augmentation layers, active only in training (the default when the layer
is called directly, as in Keras 3): `RandomFlip`, `RandomRotation`, `RandomZoom`,
`RandomTranslation`, `RandomContrast`, `RandomBrightness`, `RandomCrop`.

Each draws its random parameters per image with `tf.random`; a layer given a `seed`
draws a reproducible sequence (stateless draws from `(seed, call number)`, as Keras's
SeedGenerator makes one).
"""

import math
import numbers
import random as python_random

import eagerflow as tf
from eagerflow.keras.layers.preprocessing.image_preprocessing import (
    BaseImageLayer, FixedSizeImageLayer, resize_images)
from eagerflow.keras.utils.image_utils import aspect_crop_box
from eagerflow.ops.image_ops import projective_transform

_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
_INTERPOLATIONS = ("nearest", "bilinear")


class _RandomImageLayer(BaseImageLayer):
    """An image layer that transforms only in training, from seeded random draws."""

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed
        # The number of draws so far, in a variable (not a weight) so that a traced
        # function advances it too.
        self._draws = tf.Variable(0, dtype="int64", trainable=False, name="seed_state")

    def _uniform(self, shape, minval=0.0, maxval=1.0):
        if self.seed is None:
            return tf.random.uniform(shape, minval, maxval)
        self._draws.assign_add(1)
        seed = tf.stack([tf.constant(self.seed, "int64"), self._draws.read_value()])
        return tf.random.stateless_uniform(shape, seed=seed, minval=minval, maxval=maxval)

    def transform(self, images, training=True):
        if not training:
            return images
        return self.augment(tf.cast(images, self.compute_dtype))

    def augment(self, images):
        """The random transformation of a channels-last float batch."""
        raise NotImplementedError


def _factor_pair(factor, bounds, message):
    """`(lower, upper)` from a number `f` (-|f|, |f|, lower clamped to the bounds) or a
    pair, as Keras's image layers read `factor`."""
    error = ValueError(f"{message}Received: factor={factor}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise error
        return tuple(sorted(factor))
    if isinstance(factor, numbers.Real) and not isinstance(factor, bool):
        if factor < bounds[0] or factor > bounds[1]:
            raise error
        factor = abs(factor)
        return (max(-factor, bounds[0]), factor)
    raise error


def _factor_message(bounds):
    return (f"The `factor` argument should be a number (or a list of two numbers) in the "
            f"range [{bounds[0]}, {bounds[1]}]. ")


def _check_sampling(fill_mode, interpolation):
    if fill_mode not in _FILL_MODES:
        raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one "
                                  f"{_FILL_MODES}.")
    if interpolation not in _INTERPOLATIONS:
        raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of one "
                                  f"{_INTERPOLATIONS}.")


class _AffineImageLayer(_RandomImageLayer):
    """Random affine resampling (rotation, zoom, translation) with a fill mode."""

    def __init__(self, fill_mode, interpolation, seed, fill_value, data_format, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        _check_sampling(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def augment(self, images):
        transforms = self.affine_transforms(images.shape[0], images.shape[1], images.shape[2])
        return projective_transform(images, transforms, self.interpolation, self.fill_mode,
                                    self.fill_value)

    def affine_transforms(self, batch, height, width):
        """The `(batch, 8)` transforms from output pixels to input points."""
        raise NotImplementedError


class RandomFlip(_RandomImageLayer):
    """Randomly flips images horizontally and/or vertically in training.

    Each image is flipped with probability 1/2; with "horizontal_and_vertical" one draw
    decides both flips of an image.

    >>> from eagerflow import keras
    >>> x = tf.reshape(tf.range(4.0), (1, 2, 2, 1))
    >>> keras.layers.RandomFlip()(x, training=False)[0, ..., 0].numpy().tolist()
    [[0.0, 1.0], [2.0, 3.0]]

    Args:
      mode: "horizontal", "vertical" or "horizontal_and_vertical".
      seed: an integer seed.
      data_format: "channels_last" or "channels_first".
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in ("horizontal", "vertical", "horizontal_and_vertical"):
            raise ValueError(f"RandomFlip layer {self.name} received an unknown mode "
                             f"argument {mode}")
        self.mode = mode

    def augment(self, images):
        flips = self._uniform((images.shape[0], 1, 1, 1)) <= 0.5
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            images = tf.where(flips, tf.image.flip_left_right(images), images)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            images = tf.where(flips, tf.image.flip_up_down(images), images)
        return images

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}


def rotation_transforms(angles, height, width):
    """The transforms that rotate images by `angles` (radians, counter-clockwise) about
    their centres."""
    cos, sin = tf.cos(angles), tf.sin(angles)
    cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
    zeros = tf.zeros_like(angles)
    return tf.stack([cos, -sin, cx - cx * cos + cy * sin,
                     sin, cos, cy - cx * sin - cy * cos, zeros, zeros], axis=1)


class RandomRotation(_AffineImageLayer):
    """Randomly rotates images in training by an angle drawn from
    `[factor[0] * 2pi, factor[1] * 2pi]` (a number `f` means `(-f, f)`).

    >>> from eagerflow import keras
    >>> keras.layers.RandomRotation(0.1).factor
    (-0.1, 0.1)

    Args:
      factor: a number or a pair of numbers in [-1, 1]: fractions of a full turn.
      fill_mode: how points outside the image are filled: "reflect", "wrap", "constant"
        (`fill_value`) or "nearest".
      interpolation: "bilinear" or "nearest".
      seed: an integer seed.
      fill_value: the value of "constant" filling.
      data_format: "channels_last" or "channels_first".
    """

    _BOUNDS = (-1, 1)

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))

    def affine_transforms(self, batch, height, width):
        degrees = self._uniform((batch,), self.factor[0] * 360.0, self.factor[1] * 360.0)
        return rotation_transforms(degrees * (math.pi / 180.0), height, width)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "interpolation": self.interpolation,
                "seed": self.seed}


def _height_width_factor(factor, argument, message, low_open):
    """A zoom or translation factor as `(lower, upper)`, checked against [-1, 1] (or
    (-1, 1] when `low_open`)."""
    values = factor if isinstance(factor, (tuple, list)) else [factor]
    if isinstance(factor, (tuple, list)) and len(factor) != 2 or not all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        raise ValueError(f"{message}Received: {argument}={factor}")
    for value in values:
        if value > 1.0 or value < -1.0 or (low_open and value == -1.0):
            raise ValueError(f"{message}Received: input_number={value}")
    if isinstance(factor, (tuple, list)):
        return tuple(sorted(factor))
    return (-abs(factor), abs(factor))


class RandomZoom(_AffineImageLayer):
    """Randomly zooms images in training: each axis is scaled by `1 + z`, `z` drawn from
    the factor's range (positive zooms out, negative zooms in). Without `width_factor`
    both axes share the height's draw, keeping the aspect ratio.

    >>> from eagerflow import keras
    >>> keras.layers.RandomZoom(0.2)(tf.ones((1, 4, 4, 1))).shape.as_list()
    [1, 4, 4, 1]

    Args:
      height_factor: a number or a pair in (-1, 1]: the range of vertical zoom.
      width_factor: the same for the horizontal zoom, or None.
      fill_mode, interpolation, seed, fill_value, data_format: as for `RandomRotation`.
    """

    _MESSAGE = ("The `height_factor` and `width_factor` arguments should be a number (or a "
                "list of two numbers) in the range (-1.0, 1.0]. ")

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _height_width_factor(
            height_factor, "height_factor", self._MESSAGE, low_open=True)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _height_width_factor(
                width_factor, "width_factor", self._MESSAGE, low_open=True)

    def affine_transforms(self, batch, height, width):
        height_zoom = self._uniform((batch,), 1.0 + self.height_lower, 1.0 + self.height_upper)
        width_zoom = height_zoom if self.width_factor is None else self._uniform(
            (batch,), 1.0 + self.width_lower, 1.0 + self.width_upper)
        zeros = tf.zeros_like(height_zoom)
        x_offset = (width - 1.0) / 2.0 * (1.0 - width_zoom)
        y_offset = (height - 1.0) / 2.0 * (1.0 - height_zoom)
        return tf.stack([width_zoom, zeros, x_offset, zeros, height_zoom, y_offset, zeros,
                         zeros], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor, "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}


class RandomTranslation(_AffineImageLayer):
    """Randomly shifts images in training by fractions of their height and width drawn
    from the factors' ranges (positive: down and right).

    >>> from eagerflow import keras
    >>> keras.layers.RandomTranslation(0.1, 0.2).width_lower
    -0.2

    Args:
      height_factor, width_factor: a number or a pair in [-1, 1]: the range of the shift
        as a fraction of the height (width).
      fill_mode, interpolation, seed, fill_value, data_format: as for `RandomRotation`.
    """

    _MESSAGE = ("The `factor` argument should be a number (or a list of two numbers) in the "
                "range [-1.0, 1.0]. ")

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _height_width_factor(
            height_factor, "height_factor", self._MESSAGE, low_open=False)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = _height_width_factor(
            width_factor, "width_factor", self._MESSAGE, low_open=False)

    def affine_transforms(self, batch, height, width):
        dy = self._uniform((batch,), self.height_lower, self.height_upper) * float(height)
        dx = self._uniform((batch,), self.width_lower, self.width_upper) * float(width)
        ones, zeros = tf.ones_like(dx), tf.zeros_like(dx)
        return tf.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor, "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}


class RandomContrast(_RandomImageLayer):
    """Randomly adjusts the contrast of each image in training:
    `(x - mean) * c + mean` per channel, `c` drawn from `[1 - lower, 1 + upper]`, then
    clipped to `value_range`.

    >>> from eagerflow import keras
    >>> keras.layers.RandomContrast(0.3).factor
    (0, 0.3)

    Args:
      factor: a number or a pair in [0, 1].
      value_range: the range of the images' values, e.g. `(0, 255)` or `(0, 1)`.
      seed: an integer seed.
    """

    _BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.value_range = value_range

    def augment(self, images):
        contrast = self._uniform((images.shape[0], 1, 1, 1), 1.0 - self.factor[0],
                                 1.0 + self.factor[1])
        mean = tf.reduce_mean(images, axis=[1, 2], keepdims=True)
        adjusted = (images - mean) * contrast + mean
        return tf.clip_by_value(adjusted, float(self.value_range[0]),
                                float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range, "seed": self.seed}


class RandomBrightness(_RandomImageLayer):
    """Randomly brightens or darkens each image in training: adds `delta * (high - low)`
    of `value_range`, `delta` drawn from the factor's range, then clips to the range.
    The images keep their dtype.

    >>> from eagerflow import keras
    >>> keras.layers.RandomBrightness(0.2).factor
    (-0.2, 0.2)

    Args:
      factor: a number or a pair in [-1, 1]: the range of `delta`.
      value_range: the range of the images' values.
      seed: an integer seed.
    """

    _BOUNDS = (-1, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError(f"The `value_range` argument should be a list of two numbers. "
                             f"Received: value_range={value_range}")
        self.value_range = sorted(value_range)

    def transform(self, images, training=True):
        if not training:
            return images
        brightened = self.augment(tf.cast(images, self.compute_dtype))
        return tf.cast(brightened, images.dtype)

    def augment(self, images):
        low, high = self.value_range
        delta = self._uniform((images.shape[0], 1, 1, 1), self.factor[0], self.factor[1])
        return tf.clip_by_value(images + delta * float(high - low), float(low), float(high))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range, "seed": self.seed}


class RandomCrop(FixedSizeImageLayer, _RandomImageLayer):
    """Randomly crops a `height` x `width` window of a batch in training (one window for
    the whole batch). Images not larger than the window in both sizes are instead resized
    to it from a window placed as Keras places it. As in Keras 3.15, inference returns
    the images unchanged.

    >>> from eagerflow import keras
    >>> keras.layers.RandomCrop(2, 2, seed=1)(tf.ones((1, 4, 5, 3))).shape.as_list()
    [1, 2, 2, 3]

    Args:
      height, width: the size of the crop.
      seed: an integer seed (Keras picks one when None).
      data_format: "channels_last" or "channels_first".
    """

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        seed = python_random.randint(1, int(1e9)) if seed is None else seed
        super().__init__(seed=seed, data_format=data_format, name=name, **kwargs)
        self.height = height
        self.width = width
        self.supports_masking = False

    def augment(self, images):
        in_height, in_width = images.shape[1], images.shape[2]
        if in_height > self.height and in_width > self.width:
            top = int(self._uniform((), 0.0, float(in_height - self.height + 1)))
            left = int(self._uniform((), 0.0, float(in_width - self.width + 1)))
            return images[:, top:top + self.height, left:left + self.width, :]
        # Keras starts the window where the central crop of the target aspect ratio
        # would, takes up to `height` x `width` from there and stretches that.
        top, left, _, _ = aspect_crop_box(in_height, in_width, self.height, self.width)
        window = images[:, top:top + self.height, left:left + self.width, :]
        return resize_images(window, self.height, self.width)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "seed": self.seed}
