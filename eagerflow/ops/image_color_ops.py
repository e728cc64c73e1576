"""Image colour ops (`tf.image`): dtype conversion, brightness, contrast, gamma,
saturation and hue adjustments (and their random forms), grayscale and HSV conversions,
per-image standardization.

Integer images are adjusted as floats in [0, 1) and converted back, as TensorFlow does.
"""

import math

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.ops import array_ops, creation_ops, manip_ops, math_ops, reduction_ops
from eagerflow.ops.image_ops import as_image, draw_uniform


def _saturate_cast(value, dtype):
    """`value` cast to `dtype`, clamped to its range first (TensorFlow's saturate_cast)."""
    if dtype.is_integer or dtype == dtypes.uint8:
        info = np.iinfo(dtype.as_numpy_dtype)
        value = math_ops.minimum(math_ops.maximum(value, info.min), info.max)
    return math_ops.cast(value, dtype)


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Converts `image` to `dtype`, rescaling its values: floats span [0, 1) and
    integers [0, MAX).

    Integer to float divides by the integer type's maximum; float to integer multiplies by
    `MAX + 0.5` and truncates (wrapping around outside [0, 1) unless `saturate`); between
    integer types the values shift by the difference in bits.

    >>> tf.image.convert_image_dtype(tf.constant([0, 255], tf.uint8), tf.float32).numpy().tolist()
    [0.0, 1.0]
    """
    image = convert_to_tensor(image)
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating and not dtype.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    if not image.dtype.is_floating and not image.dtype.is_integer:
        raise AttributeError("image dtype must be either floating point or integer")
    if image.dtype == dtype:
        return array_ops.identity(image)
    if image.dtype.is_floating and dtype.is_floating:
        return math_ops.cast(image, dtype)
    cast = _saturate_cast if saturate else math_ops.cast
    if image.dtype.is_integer and dtype.is_integer:
        in_max, out_max = image.dtype.max, dtype.max
        if in_max > out_max:
            factor = (in_max + 1) // (out_max + 1)
            return cast(math_ops.floordiv(image, factor), dtype)
        factor = (out_max + 1) // (in_max + 1)
        return math_ops.cast(image, dtype) * factor
    if image.dtype.is_integer:
        return math_ops.cast(image, dtype) * (1.0 / image.dtype.max)
    return cast(image * (dtype.max + 0.5), dtype)


def _as_float(image):
    """The image as floats for arithmetic: float16/32 kept, others converted to float32."""
    if image.dtype in (dtypes.float16, dtypes.float32):
        return image
    return convert_image_dtype(image, dtypes.float32)


def adjust_brightness(image, delta):
    """Adds `delta` to every pixel (of images scaled to [0, 1), for integer images).

    >>> tf.image.adjust_brightness(tf.constant([[[0.25]]]), 0.5).numpy().tolist()
    [[[0.75]]]
    """
    image = convert_to_tensor(image)
    adjusted = _as_float(image)
    adjusted = adjusted + math_ops.cast(delta, adjusted.dtype)
    return convert_image_dtype(adjusted, image.dtype, saturate=True)


def adjust_contrast(images, contrast_factor):
    """Moves each channel of each image away from its mean by `contrast_factor`:
    `(x - mean) * contrast_factor + mean`, the mean over height and width.

    >>> tf.image.adjust_contrast(tf.constant([[[1.0], [3.0]]]), 2.0)[..., 0].numpy().tolist()
    [[0.0, 4.0]]
    """
    images = convert_to_tensor(images)
    if images.shape.rank is not None and images.shape.rank < 3:
        raise ValueError(f"'images' must be at least 3-D. Received shape {images.shape}")
    adjusted = _as_float(images)
    mean = reduction_ops.reduce_mean(adjusted, axis=[-3, -2], keepdims=True)
    factor = math_ops.cast(contrast_factor, adjusted.dtype)
    adjusted = (adjusted - mean) * factor + mean
    return convert_image_dtype(adjusted, images.dtype, saturate=True)


_RGB_WEIGHTS = (0.2989, 0.5870, 0.1140)


def rgb_to_grayscale(images, name=None):
    """Converts RGB images to grayscale: the weighted sum `0.2989 R + 0.5870 G + 0.1140 B`
    (computed in float32), with a last axis of size 1.

    >>> tf.image.rgb_to_grayscale(tf.constant([[[1.0, 1.0, 1.0]]])).shape.as_list()
    [1, 1, 1]
    """
    images = convert_to_tensor(images)
    flat = convert_image_dtype(images, dtypes.float32)
    gray = reduction_ops.reduce_sum(flat * np.array(_RGB_WEIGHTS, np.float32), axis=-1,
                                    keepdims=True)
    return convert_image_dtype(gray, images.dtype)


def grayscale_to_rgb(images, name=None):
    """Converts grayscale images (last axis of size 1) to RGB by repeating the channel.

    >>> tf.image.grayscale_to_rgb(tf.constant([[[0.5]]])).numpy().tolist()
    [[[0.5, 0.5, 0.5]]]
    """
    images = convert_to_tensor(images)
    if images.shape.rank < 2 or images.shape[-1] != 1:
        raise ValueError(f"Last dimension of a grayscale image should be size 1. Received "
                         f"shape {images.shape}")
    return manip_ops.tile(images, [1] * (images.shape.rank - 1) + [3])


def per_image_standardization(image):
    """Scales each image to mean 0 and variance 1: `(x - mean) / adjusted_stddev`, where
    `adjusted_stddev = max(stddev, 1 / sqrt(number of elements))` guards uniform images.
    The result is float32.

    >>> y = tf.image.per_image_standardization(tf.constant([[[1.0], [3.0]]]))
    >>> y[..., 0].numpy().tolist()
    [[-1.0, 1.0]]
    """
    image = as_image(image)
    image = math_ops.cast(image, dtypes.float32)
    count = image.shape[-3] * image.shape[-2] * image.shape[-1]
    mean = reduction_ops.reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
    stddev = math_ops.sqrt(reduction_ops.reduce_mean(math_ops.square(image - mean),
                                                     axis=[-1, -2, -3], keepdims=True))
    adjusted_stddev = math_ops.maximum(stddev, np.float32(1.0 / math.sqrt(count)))
    return (image - mean) / adjusted_stddev


def adjust_gamma(image, gamma=1, gain=1):
    """Gamma correction: `gain * image ** gamma` (of images scaled to [0, 1), for integer
    images).

    >>> tf.image.adjust_gamma(tf.constant([[[0.5]]]), 2.0).numpy().tolist()
    [[[0.25]]]
    """
    image = convert_to_tensor(image)
    if isinstance(gamma, (int, float)) and gamma < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    adjusted = _as_float(image)
    adjusted = math_ops.cast(gain, adjusted.dtype) * math_ops.pow(
        adjusted, math_ops.cast(gamma, adjusted.dtype))
    return convert_image_dtype(adjusted, image.dtype, saturate=True)


def _check_rgb(images, op_name):
    if images.shape.rank is None or images.shape.rank < 1 or images.shape[-1] != 3:
        channels = images.shape[-1] if images.shape.rank else 0
        raise op_error(op_name, f"input must have 3 channels but input only has {channels} "
                                f"channels.")


def rgb_to_hsv(images, name=None):
    """Converts RGB images (floats in [0, 1]) to HSV: hue, saturation and value, each in
    [0, 1].

    >>> tf.image.rgb_to_hsv(tf.constant([[0.5, 0.2, 0.8]])).numpy().tolist()
    [[0.75, 0.75, 0.800000011920929]]
    """
    images = convert_to_tensor(images)
    if not images.dtype.is_floating:
        raise TypeError(f"Value for attr 'T' of {images.dtype.name} is not in the list of "
                        f"allowed values: half, bfloat16, float, double")
    _check_rgb(images, "RGBToHSV")
    red, green, blue = array_ops.unstack(images, axis=-1)
    value = math_ops.maximum(math_ops.maximum(red, green), blue)
    spread = value - math_ops.minimum(math_ops.minimum(red, green), blue)
    saturation = math_ops.divide_no_nan(spread, value)
    norm = math_ops.divide_no_nan(creation_ops.ones_like(spread), 6.0 * spread)
    hue = math_ops.where(
        math_ops.equal(red, value), norm * (green - blue),
        math_ops.where(math_ops.equal(green, value), norm * (blue - red) + 2.0 / 6.0,
                       norm * (red - green) + 4.0 / 6.0))
    hue = math_ops.where(spread > 0, hue, creation_ops.zeros_like(hue))
    hue = math_ops.where(hue < 0, hue + 1.0, hue)
    return array_ops.stack([hue, saturation, value], axis=-1)


def hsv_to_rgb(images, name=None):
    """Converts HSV images (each component in [0, 1]) to RGB.

    >>> rgb = tf.image.hsv_to_rgb(tf.constant([[0.75, 0.75, 0.8]]))
    >>> [round(v, 4) for v in rgb.numpy().ravel().tolist()]
    [0.5, 0.2, 0.8]
    """
    images = convert_to_tensor(images)
    _check_rgb(images, "HSVToRGB")
    hue, saturation, value = array_ops.unstack(images, axis=-1)
    sixths = hue * 6.0

    def channel(shape):
        return math_ops.minimum(math_ops.maximum(shape, 0.0), 1.0)
    red = channel(math_ops.abs(sixths - 3.0) - 1.0)
    green = channel(2.0 - math_ops.abs(sixths - 2.0))
    blue = channel(2.0 - math_ops.abs(sixths - 4.0))
    grey = 1.0 - saturation
    return array_ops.stack([(grey + saturation * c) * value for c in (red, green, blue)],
                           axis=-1)


def _adjust_hsv(image, op_name, adjust):
    """Converts `image` to HSV, applies `adjust(hue, saturation, value)`, converts back."""
    image = convert_to_tensor(image)
    _check_rgb(image, op_name)
    flat = _as_float(image)
    hue, saturation, value = array_ops.unstack(rgb_to_hsv(flat), axis=-1)
    adjusted = hsv_to_rgb(array_ops.stack(adjust(hue, saturation, value), axis=-1))
    return convert_image_dtype(adjusted, image.dtype, saturate=True)


def adjust_saturation(image, saturation_factor, name=None):
    """Multiplies the saturation of RGB images by `saturation_factor` (clipped to [0, 1]).

    >>> tf.image.adjust_saturation(tf.constant([[[0.5, 0.25, 0.5]]]), 2.0).numpy().tolist()
    [[[0.5, 0.0, 0.5]]]
    """
    def adjust(hue, saturation, value):
        factor = math_ops.cast(saturation_factor, saturation.dtype)
        return hue, math_ops.minimum(math_ops.maximum(saturation * factor, 0.0), 1.0), value
    return _adjust_hsv(image, "AdjustSaturation", adjust)


def adjust_hue(image, delta, name=None):
    """Rotates the hue of RGB images by `delta` (a fraction of the colour circle, in
    [-1, 1]).

    >>> green = tf.image.adjust_hue(tf.constant([[[1.0, 0.0, 0.0]]]), 1 / 3)
    >>> [round(v, 4) for v in green.numpy().ravel().tolist()]
    [0.0, 1.0, 0.0]
    """
    if isinstance(delta, (int, float)) and not -1 <= delta <= 1:
        raise ValueError("delta must be in the interval [-1, 1]")

    def adjust(hue, saturation, value):
        shifted = math_ops.floormod(hue + math_ops.cast(delta, hue.dtype), 1.0)
        return shifted, saturation, value
    return _adjust_hsv(image, "AdjustHue", adjust)


# --- random adjustments: one draw per call (`random_*`) or per seed (`stateless_*`) ----------

def _check_range(lower, upper):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def _random_brightness(image, max_delta, seed, stateless):
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, draw_uniform((), -max_delta, max_delta, seed, stateless))


def _random_contrast(image, lower, upper, seed, stateless):
    _check_range(lower, upper)
    return adjust_contrast(image, draw_uniform((), lower, upper, seed, stateless))


def _random_saturation(image, lower, upper, seed, stateless):
    _check_range(lower, upper)
    return adjust_saturation(image, draw_uniform((), lower, upper, seed, stateless))


def _random_hue(image, max_delta, seed, stateless):
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_hue(image, draw_uniform((), -max_delta, max_delta, seed, stateless))


def random_brightness(image, max_delta, seed=None):
    """Adjusts the brightness by a delta drawn from `[-max_delta, max_delta)`."""
    return _random_brightness(image, max_delta, seed, stateless=False)


def random_contrast(image, lower, upper, seed=None):
    """Adjusts the contrast by a factor drawn from `[lower, upper)`."""
    return _random_contrast(image, lower, upper, seed, stateless=False)


def random_saturation(image, lower, upper, seed=None):
    """Adjusts the saturation by a factor drawn from `[lower, upper)`."""
    return _random_saturation(image, lower, upper, seed, stateless=False)


def random_hue(image, max_delta, seed=None):
    """Adjusts the hue by a delta drawn from `[-max_delta, max_delta)`."""
    return _random_hue(image, max_delta, seed, stateless=False)


def stateless_random_brightness(image, max_delta, seed):
    """`random_brightness`, deterministic for a `[2]` seed."""
    return _random_brightness(image, max_delta, seed, stateless=True)


def stateless_random_contrast(image, lower, upper, seed):
    """`random_contrast`, deterministic for a `[2]` seed."""
    return _random_contrast(image, lower, upper, seed, stateless=True)


def stateless_random_saturation(image, lower, upper, seed):
    """`random_saturation`, deterministic for a `[2]` seed."""
    return _random_saturation(image, lower, upper, seed, stateless=True)


def stateless_random_hue(image, max_delta, seed):
    """`random_hue`, deterministic for a `[2]` seed."""
    return _random_hue(image, max_delta, seed, stateless=True)
