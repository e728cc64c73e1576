"""Colour augmentation layers, as Keras 3 makes them: `RandomGrayscale`, `RandomInvert`,
`RandomColorDegeneration`, `RandomPosterization`, `Solarization`, `RandomHue`,
`RandomSaturation`, `RandomSharpness`, `RandomColorJitter`, `RandomGaussianBlur` (random,
active only in training), `Equalization` (deterministic, in training) and `AutoContrast`
(deterministic, always applied).

They work on a channels-last float batch in `value_range`, mapping it to [0, 255] where
Keras does.
"""

import numbers

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.layers.preprocessing.image_augmentation import (
    RandomBrightness, RandomContrast, _factor_message, _factor_pair, _RandomImageLayer)
from eagerflow.keras.layers.preprocessing.image_preprocessing import BaseImageLayer


def _value_range(value_range):
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(f"The `value_range` argument should be a list of two numbers. "
                         f"Received: value_range={value_range}")
    return sorted(value_range)


def _rescale(images, source, target):
    """`images` mapped linearly from the `source` value range to the `target` one."""
    if tuple(source) == tuple(target):
        return images
    unit = (images - float(source[0])) / float(source[1] - source[0])
    return unit * float(target[1] - target[0]) + float(target[0])


def _grayscale(images):
    """The luma of a channels-last RGB batch, one channel (broadcasts against RGB)."""
    return tf.image.rgb_to_grayscale(images)


class _RandomFactorLayer(_RandomImageLayer):
    """A random layer whose strength is drawn per image from `factor` (within the class's
    `_BOUNDS`), on images in `value_range`."""

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.value_range = _value_range(value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range, "seed": self.seed}


class RandomGrayscale(_RandomImageLayer):
    """Turns each image of a batch to grayscale (kept as 3 channels) with probability
    `factor`, in training.

    >>> from eagerflow import keras
    >>> image = tf.constant([[[255.0, 0.0, 0.0]]])
    >>> [round(v, 2) for v in keras.layers.RandomGrayscale(1.0)(image).numpy().ravel().tolist()]
    [76.22, 76.22, 76.22]
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if factor < 0 or factor > 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor}")
        self.factor = factor

    def augment(self, images):
        apply = self._uniform((images.shape[0], 1, 1, 1)) < self.factor
        return tf.where(apply, _grayscale(images), images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomInvert(_RandomImageLayer):
    """Inverts each image (`value_range[1] - x`) in training, with a probability drawn
    per image from `factor` (a number `f` means `[0, f]`).

    >>> from eagerflow import keras
    >>> keras.layers.RandomInvert((1.0, 1.0))(tf.constant([[[10.0]]])).numpy().ravel().tolist()
    [245.0]
    """

    _BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.value_range = value_range

    def augment(self, images):
        shape = (images.shape[0], 1, 1, 1)
        probability = self._uniform(shape, self.factor[0], self.factor[1])
        apply = self._uniform(shape) < probability
        return tf.where(apply, float(self.value_range[1]) - images, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range, "seed": self.seed}


class RandomColorDegeneration(_RandomFactorLayer):
    """Blends each image toward its grayscale version by a factor drawn per image from
    `factor` (in [-1, 1]: a number `f` means `[-f, f]`; 1 is fully gray, negative values
    push colours apart), in training, then clips to `value_range`.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomColorDegeneration((1.0, 1.0))
    >>> [round(v, 2) for v in layer(tf.constant([[[255.0, 0.0, 0.0]]])).numpy().ravel().tolist()]
    [76.22, 76.22, 76.22]
    """

    _BOUNDS = (-1, 1)

    def augment(self, images):
        factor = self._uniform((images.shape[0], 1, 1, 1), self.factor[0], self.factor[1])
        blended = images + factor * (_grayscale(images) - images)
        return tf.clip_by_value(blended, float(self.value_range[0]),
                                float(self.value_range[1]))


class RandomPosterization(_RandomFactorLayer):
    """Keeps only the top `bits` bits of each 8-bit colour value, `bits` drawn per image
    from `factor` (in [1, 8]; a number `f` means `[1, f)`, a pair `(a, a)` means `a`), in
    training.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomPosterization((2, 2))
    >>> layer(tf.constant([[[200.0, 100.0, 63.0]]])).numpy().ravel().tolist()
    [192.0, 64.0, 0.0]
    """

    _BOUNDS = (1, 8)
    _MAX_FACTOR = 8

    def augment(self, images):
        shape = (images.shape[0], 1, 1, 1)
        low, high = self.factor
        bits = (tf.floor(self._uniform(shape, float(low), float(high))) if low != high
                else tf.fill(shape, float(low)))
        step = tf.pow(2.0, float(self._MAX_FACTOR) - bits)
        values = tf.cast(tf.cast(_rescale(images, self.value_range, (0, 255)), "uint8"),
                         images.dtype)
        posterized = tf.floor(values / step) * step
        return _rescale(posterized, (0, 255), self.value_range)


def _solarization_factor(factor, name):
    message = ("The `addition_factor` and `threshold_factor` arguments should be a number "
               "(or a list of two numbers) in the range [0, 1]. ")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(f"{message}Received: {name}={factor}")
        values = sorted(factor)
    elif isinstance(factor, numbers.Real) and not isinstance(factor, bool):
        values = [0, factor]
    else:
        raise ValueError(f"{message}Received: {name}={factor}")
    for value in values:
        if value > 1.0 or value < 0:
            raise ValueError(f"{message}Received: input_number={value}")
    return tuple(values)


class Solarization(_RandomImageLayer):
    """Solarizes images in training: adds a value drawn from `addition_factor` to each
    image (in the [0, 255] scale, clipped), then inverts (`255 - x`) the values at or
    above a threshold drawn from `threshold_factor`.

    As in Keras 3.15 the draws are uniform in `[lower, upper * 255]` (the lower end is
    not scaled).

    >>> from eagerflow import keras
    >>> layer = keras.layers.Solarization(threshold_factor=(0.0, 0.0))
    >>> layer(tf.constant([[[10.0, 200.0]]])).numpy().ravel().tolist()
    [245.0, 55.0]
    """

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.addition_factor = _solarization_factor(addition_factor, "addition_factor")
        self.threshold_factor = _solarization_factor(threshold_factor, "threshold_factor")
        self.value_range = _value_range(value_range)

    def transform(self, images, training=True):
        images = tf.cast(images, self.compute_dtype)
        return self.augment(images) if training else images

    def augment(self, images):
        shape = (images.shape[0], 1, 1, 1)
        additions = self._uniform(shape, float(self.addition_factor[0]),
                                  self.addition_factor[1] * 255.0)
        thresholds = self._uniform(shape, float(self.threshold_factor[0]),
                                   self.threshold_factor[1] * 255.0)
        values = tf.clip_by_value(_rescale(images, self.value_range, (0, 255)) + additions,
                                  0.0, 255.0)
        solarized = tf.where(values < thresholds, values, 255.0 - values)
        return _rescale(solarized, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "seed": self.seed}


class RandomHue(_RandomImageLayer):
    """Rotates the hue of each image in training by `+-f / 2` of a full turn, `f` drawn
    per image from `factor` (in [0, 1]) and the sign at random.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomHue((1.0, 1.0))  # half a turn either way: the same
    >>> layer(tf.constant([[[255.0, 0.0, 0.0]]])).numpy().ravel().tolist()
    [0.0, 255.0, 255.0]
    """

    _BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.value_range = value_range

    def augment(self, images):
        shape = (images.shape[0], 1, 1)
        sign = tf.where(self._uniform(shape) > 0.5, -1.0, 1.0)
        shift = sign * self._uniform(shape, self.factor[0], self.factor[1]) * 0.5
        hsv = tf.image.rgb_to_hsv(_rescale(images, self.value_range, (0, 1)))
        hue = hsv[..., 0] + shift
        hue = tf.where(hue > 1.0, hue - 1.0, hue)
        hue = tf.where(hue < 0.0, hue + 1.0, hue)
        rgb = tf.image.hsv_to_rgb(tf.stack([hue, hsv[..., 1], hsv[..., 2]], axis=-1))
        return _rescale(tf.clip_by_value(rgb, 0.0, 1.0), (0, 1), self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range, "seed": self.seed}


class RandomSaturation(_RandomFactorLayer):
    """Scales the saturation of each image in training by `f / (1 - f)`, `f` drawn per
    image from `factor` (in [-1, 1]; a number `f` means `[-f, f]`, 0.5 keeps the image,
    1 saturates fully, 0 and below make it gray).

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomSaturation((0.0, 0.0))
    >>> layer(tf.constant([[[255.0, 0.0, 0.0]]])).numpy().ravel().tolist()
    [255.0, 255.0, 255.0]
    """

    _BOUNDS = (-1, 1)

    def augment(self, images):
        factor = self._uniform((images.shape[0], 1, 1), self.factor[0], self.factor[1])
        factor = factor / (1.0 - factor + backend.epsilon())
        # As in Keras 3.15, HSV is taken of the images as they are (not rescaled), and the
        # saturation is clipped to `value_range`.
        hsv = tf.image.rgb_to_hsv(images)
        saturation = tf.clip_by_value(hsv[..., 1] * factor, float(self.value_range[0]),
                                      float(self.value_range[1]))
        return tf.image.hsv_to_rgb(tf.stack([hsv[..., 0], saturation, hsv[..., 2]], axis=-1))


class RandomSharpness(_RandomFactorLayer):
    """Sharpens or blurs each image in training: blends it with a 3x3 smoothed copy by
    `1 - 2 f`, `f` drawn per image from `factor` (in [0, 1]; 0.5 keeps the image, above
    sharpens, below blurs), then clips to `value_range`.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomSharpness((0.5, 0.5))
    >>> layer(tf.constant([[[10.0], [20.0]]])).numpy().ravel().tolist()
    [10.0, 20.0]
    """

    _BOUNDS = (0, 1)

    def augment(self, images):
        sharpness = self._uniform((images.shape[0], 1, 1, 1), self.factor[0],
                                  self.factor[1]) * 2.0
        side, center = 1.0 / 13.0, 5.0 / 13.0
        kernel = tf.constant([[side, side, side], [side, center, side], [side, side, side]],
                             images.dtype)
        kernel = tf.tile(tf.reshape(kernel, (3, 3, 1, 1)), [1, 1, images.shape[-1], 1])
        smoothed = tf.nn.depthwise_conv2d(images, kernel, [1, 1, 1, 1], "SAME")
        blended = images + (1.0 - sharpness) * (smoothed - images)
        return tf.clip_by_value(blended, float(self.value_range[0]),
                                float(self.value_range[1]))


class AutoContrast(BaseImageLayer):
    """Stretches each channel of each image to the full `value_range` (its minimum to the
    low end, its maximum to the high end); constant channels are left as they are.
    Applied in training and inference alike.

    >>> from eagerflow import keras
    >>> keras.layers.AutoContrast()(tf.constant([[[50.0], [100.0]]])).numpy().ravel().tolist()
    [0.0, 255.0]
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = _value_range(value_range)

    def transform(self, images, training=True):
        images = tf.cast(images, self.compute_dtype)  # integer images come out as floats
        values = _rescale(images, self.value_range, (0, 255))
        low = tf.reduce_min(values, axis=[1, 2], keepdims=True)
        high = tf.reduce_max(values, axis=[1, 2], keepdims=True)
        span = high - low
        constant = tf.equal(span, 0.0)
        scale = 255.0 / tf.where(constant, tf.ones_like(span), span)
        stretched = tf.clip_by_value(values * scale - low * scale, 0.0, 255.0)
        results = _rescale(stretched, (0, 255), self.value_range)
        return tf.where(constant, images, results)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range}


class RandomColorJitter(_RandomImageLayer):
    """Applies, in training and in this order, `RandomBrightness`, `RandomContrast`,
    `RandomSaturation` and `RandomHue` for each factor that is given (each as that layer
    reads its factor, all in `value_range`).

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomColorJitter(brightness_factor=(0.1, 0.1))
    >>> layer(tf.constant([[[100.0]]])).numpy().ravel().tolist()
    [125.5]
    """

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        steps = [(RandomBrightness, brightness_factor), (RandomContrast, contrast_factor),
                 (RandomSaturation, saturation_factor), (RandomHue, hue_factor)]
        self._jitters = [cls(factor=factor, value_range=value_range, seed=seed)
                         for cls, factor in steps if factor is not None]

    def augment(self, images):
        for jitter in self._jitters:
            images = jitter.augment(images)
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor, "hue_factor": self.hue_factor,
                "seed": self.seed}


def _kernel_size_pair(kernel_size, name):
    message = f"{name} must be an odd number. Received: {name}={kernel_size}"
    if isinstance(kernel_size, (tuple, list)):
        if len(kernel_size) != 2:
            raise ValueError(f"The `{name}` argument should be a number (or a list of two "
                             f"numbers) Received: {name}={kernel_size}")
        if kernel_size[0] % 2 == 0 or kernel_size[1] % 2 == 0:
            raise ValueError(message)
        return tuple(kernel_size)
    if isinstance(kernel_size, numbers.Real) and not isinstance(kernel_size, bool):
        if kernel_size % 2 == 0:
            raise ValueError(message)
        return (kernel_size, kernel_size)
    raise ValueError(message)


class RandomGaussianBlur(_RandomImageLayer):
    """Blurs each image in training with probability drawn from `factor`, by a Gaussian
    kernel of `kernel_size` whose two standard deviations are drawn (once per batch) from
    `sigma`; then clips to `value_range`.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomGaussianBlur(factor=(1.0, 1.0), sigma=(1.0, 1.0))
    >>> y = layer(tf.reshape(tf.constant([0.0, 0.0, 9.0, 0.0, 0.0]), (1, 5, 1)))
    >>> [round(v, 3) for v in y.numpy().ravel().tolist()]
    [0.0, 1.115, 1.838, 1.115, 0.0]
    """

    _BOUNDS = (0, 1)

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.kernel_size = _kernel_size_pair(kernel_size, "kernel_size")
        self.sigma = _factor_pair(sigma, self._BOUNDS, _factor_message(self._BOUNDS))
        self.value_range = value_range

    def augment(self, images):
        from eagerflow.keras.ops import image as image_ops
        shape = (images.shape[0], 1, 1, 1)
        probability = self._uniform(shape, self.factor[0], self.factor[1])
        apply = self._uniform(shape) < probability
        sigma = tf.unstack(self._uniform((2,), self.sigma[0], self.sigma[1]) + 1e-6)
        blurred = image_ops.gaussian_blur(images, self.kernel_size, sigma,
                                          data_format="channels_last")
        return tf.clip_by_value(tf.where(apply, blurred, images), float(self.value_range[0]),
                                float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "kernel_size": self.kernel_size, "sigma": self.sigma,
                "value_range": self.value_range, "seed": self.seed}


class Equalization(BaseImageLayer):
    """Histogram equalization in training: each channel's values, over the whole batch as
    Keras 3 takes them, are mapped through their cumulative histogram of `bins` bins so
    that they spread over `value_range`. A channel with one distinct bin is kept.

    >>> from eagerflow import keras
    >>> x = tf.reshape(tf.constant([10.0, 10.0, 20.0, 30.0]), (1, 2, 2, 1))
    >>> keras.layers.Equalization()(x).numpy().ravel().tolist()
    [0.0, 0.0, 128.0, 255.0]
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.bins = bins
        self.value_range = _value_range(value_range)

    def transform(self, images, training=True):
        images = tf.cast(images, self.compute_dtype)
        if not training:
            return images
        bins, channels = self.bins, images.shape[-1]
        values = _rescale(images, self.value_range, (0, 255))
        indices = tf.clip_by_value(tf.cast(values * ((bins - 1) / 255.0), "int32"), 0,
                                   bins - 1)
        # One histogram per channel: channel c counts in bins [c * bins, (c + 1) * bins).
        offsets = tf.range(channels) * bins
        histograms = tf.reshape(tf.math.bincount(tf.reshape(indices + offsets, [-1]),
                                                 minlength=channels * bins),
                                (channels, bins))
        cdf = tf.cast(tf.math.cumsum(histograms, axis=1), "float32")
        cdf_min = tf.reduce_min(tf.where(cdf > 0, cdf, tf.fill(tf.shape(cdf), 3.4e38)),
                                axis=1, keepdims=True)
        denominator = cdf[:, -1:] - cdf_min
        denominator = tf.where(tf.equal(denominator, 0.0), tf.ones_like(denominator),
                               denominator)
        tables = tf.clip_by_value(tf.round((cdf - cdf_min) * 255.0 / denominator), 0.0, 255.0)
        lookup = tf.clip_by_value(tf.cast(values / 255.0 * (bins - 1), "int32"), 0, bins - 1)
        equalized = tf.gather(tf.reshape(tables, [-1]), lookup + offsets)
        distinct = tf.reduce_sum(tf.cast(histograms > 0, "int32"), axis=1)
        equalized = tf.where(distinct <= 1, values, tf.cast(equalized, values.dtype))
        return _rescale(equalized, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "bins": self.bins, "value_range": self.value_range}
