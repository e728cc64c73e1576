"""Geometric augmentation layers beyond the basic ones in image_augmentation.py:
`RandomShear`, `RandomErasing`, `RandomPerspective` and `RandomElasticTransform` (random,
active only in training)."""

import numbers

import eagerflow as tf
from eagerflow.keras.layers.preprocessing.image_augmentation import (
    _AffineImageLayer, _factor_message, _factor_pair, _RandomImageLayer)


def _shear_factor(factor, name):
    message = ("The `factor` argument should be a number (or a list of two numbers) in the "
               "range [0, 1.0]. ")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(f"{message}Received: {name}={factor}")
        values = list(factor)
    elif isinstance(factor, numbers.Real) and not isinstance(factor, bool):
        values = [factor]
    else:
        raise ValueError(f"{message}Received: {name}={factor}")
    for value in values:
        if value > 1.0 or value < 0.0:
            raise ValueError(f"{message}Received: input_number={value}")
    return tuple(sorted(values)) if len(values) == 2 else (-values[0], values[0])


class RandomShear(_AffineImageLayer):
    """Shears each image in training: output pixel `(x, y)` samples the input at
    `(x + sx * y, sy * x + y)`, with `sx` drawn from `x_factor` and `sy` from `y_factor`
    (a number `f` means `[-f, f]`) and both negated together at random.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomShear(x_factor=0.2, y_factor=0.1)
    >>> layer.x_factor, layer.y_factor
    ((-0.2, 0.2), (-0.1, 0.1))
    """

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear",
                 fill_mode="reflect", fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.x_factor = _shear_factor(x_factor, "x_factor")
        self.y_factor = _shear_factor(y_factor, "y_factor")

    def affine_transforms(self, batch, height, width):
        sign = tf.where(self._uniform((batch,)) > 0.5, -1.0, 1.0)
        shear_y = self._uniform((batch,), self.y_factor[0], self.y_factor[1])
        shear_x = self._uniform((batch,), self.x_factor[0], self.x_factor[1])
        ones, zeros = tf.ones((batch,)), tf.zeros((batch,))
        return tf.stack([ones, shear_x * sign, zeros, shear_y * sign, ones, zeros, zeros,
                         zeros], axis=1)

    def get_config(self):
        return {**super().get_config(), "x_factor": self.x_factor,
                "y_factor": self.y_factor, "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}


def _unit_factor(factor, name):
    """`(lower, upper)` in [0, 1], as Keras's erasing layer reads `scale`."""
    message = (f"The `{name}` argument should be a number (or a list of two numbers) in the "
               f"range [0, 1]. Received: factor={factor}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > 1 or factor[1] < 0:
            raise ValueError(message)
        return tuple(sorted(factor))
    if isinstance(factor, numbers.Real) and not isinstance(factor, bool):
        if factor < 0 or factor > 1:
            raise ValueError(message)
        return (0, abs(factor))
    raise ValueError(message)


class RandomErasing(_RandomImageLayer):
    """Erases a random rectangle of each image in training, with a probability drawn
    from `factor`: its sides are `sqrt(s)` of the image's, `s` drawn per side from
    `scale`, and it is filled with `fill_value` (a number or one per RGB channel), or by
    default with Gaussian noise times `value_range[1]`, clipped to `value_range`.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomErasing(factor=(1.0, 1.0), scale=(1.0, 1.0), fill_value=7)
    >>> layer(tf.ones((1, 2, 2, 1))).numpy().ravel().tolist()
    [7.0, 7.0, 7.0, 7.0]
    """

    _BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.scale = _unit_factor(scale, "scale")
        self.fill_value = fill_value
        self.value_range = value_range

    def _span(self, batch, length, ratio):
        """Start and end of each image's erased span along an axis of `length`."""
        span = ratio * float(length)
        start = self._uniform((batch,)) * (float(length) - span)
        return start, start + span

    def _normal(self, shape):
        """Standard normal noise, from the layer's seeded stream when it has a seed."""
        if self.seed is None:
            return tf.random.normal(shape)
        self._draws.assign_add(1)
        seed = tf.stack([tf.constant(self.seed, "int64"), self._draws.read_value()])
        return tf.random.stateless_normal(shape, seed=seed)

    def _fill(self, images):
        if self.fill_value is None:
            fill = self._normal(tuple(images.shape)) * float(self.value_range[1])
        elif isinstance(self.fill_value, (tuple, list)) and len(self.fill_value) == 3:
            fill = tf.ones_like(images) * tf.constant(self.fill_value, images.dtype)
        elif isinstance(self.fill_value, numbers.Real):
            fill = tf.fill(tf.shape(images), float(self.fill_value))
        else:
            raise ValueError("The `fill_value` argument should be a number (or a list of "
                             "three numbers) ")
        return tf.clip_by_value(fill, float(self.value_range[0]), float(self.value_range[1]))

    def augment(self, images):
        batch, height, width = images.shape[0], images.shape[1], images.shape[2]
        ratios = tf.sqrt(self._uniform((batch, 2), self.scale[0], self.scale[1]))
        x0, x1 = self._span(batch, width, ratios[:, 0])
        y0, y1 = self._span(batch, height, ratios[:, 1])
        xs = tf.reshape(tf.range(width, dtype=images.dtype), (1, 1, width, 1))
        ys = tf.reshape(tf.range(height, dtype=images.dtype), (1, height, 1, 1))

        def corner(value):
            return tf.reshape(value, (batch, 1, 1, 1))
        inside = tf.logical_and(
            tf.logical_and(xs >= corner(x0), xs < corner(x1)),
            tf.logical_and(ys >= corner(y0), ys < corner(y1)))
        probability = self._uniform((batch, 1, 1, 1), self.factor[0], self.factor[1])
        apply = self._uniform((batch, 1, 1, 1)) < probability
        return tf.where(tf.logical_and(inside, apply), self._fill(images), images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "fill_value": self.fill_value, "value_range": self.value_range,
                "seed": self.seed}


_INTERPOLATIONS = ("nearest", "bilinear")


def _check_interpolation(interpolation):
    if interpolation not in _INTERPOLATIONS:
        raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of one "
                                  f"{_INTERPOLATIONS}.")


class RandomPerspective(_RandomImageLayer):
    """Warps each image in training, with a probability drawn from `factor`, by the
    homography that moves its four corners by up to `scale / 2` of their coordinates;
    pixels from outside the image get `fill_value`.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandomPerspective(scale=0.0)  # corners stay: no change
    >>> layer(tf.ones((1, 3, 3, 1))).numpy().ravel().tolist() == [1.0] * 9
    True
    """

    _BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0,
                 seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        if scale < 0.0 or scale > 1.0:
            raise ValueError(f"The `scale` argument should be a number in the range [0,1]. "
                             f"Received: scale={scale}")
        _check_interpolation(interpolation)
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value

    def augment(self, images):
        from eagerflow.keras.ops import image as image_ops
        batch, height, width = images.shape[0], images.shape[1], images.shape[2]
        probability = self._uniform((batch, 1, 1, 1), self.factor[0], self.factor[1])
        apply = self._uniform((batch, 1, 1, 1)) < probability
        moves = self._uniform((batch, 4, 2), -0.5 * self.scale, 0.5 * self.scale)
        corners = tf.constant([[0.0, 0.0], [width - 1.0, 0.0], [0.0, height - 1.0],
                               [width - 1.0, height - 1.0]])
        start = tf.broadcast_to(corners, (batch, 4, 2))
        warped = image_ops.perspective_transform(
            images, start, start + start * moves, interpolation=self.interpolation,
            fill_value=self.fill_value, data_format="channels_last")
        return tf.where(apply, warped, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value,
                "seed": self.seed}


class RandomElasticTransform(_RandomImageLayer):
    """Elastic distortion in training, with a probability drawn from `factor`: pixels
    move along a smoothed random field whose strength `alpha = 0.1 s max(h, w)` and
    smoothness `sigma = 0.05 s min(h, w)` follow a factor `s` drawn from `scale`; then
    values are clipped to `value_range`. The field's draws differ from Keras's.

    >>> from eagerflow import keras
    >>> keras.layers.RandomElasticTransform(scale=0.5).scale
    (0, 0.5)
    """

    _BOUNDS = (0, 1)
    _FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.scale = _unit_factor(scale, "scale")
        _check_interpolation(interpolation)
        if fill_mode not in self._FILL_MODES:
            raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one "
                                      f"{set(self._FILL_MODES)}.")
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range

    def augment(self, images):
        from eagerflow.keras.ops import image as image_ops
        if self.scale[1] == 0 or self.factor[1] == 0:
            return images
        batch, height, width = images.shape[0], images.shape[1], images.shape[2]
        probability = self._uniform((batch, 1, 1, 1), self.factor[0], self.factor[1])
        apply = self._uniform((batch, 1, 1, 1)) < probability
        # A Python number: the smoothing kernel's size follows from sigma.
        strength = float(self._uniform((), self.scale[0], self.scale[1]))
        field_seed = None if self.seed is None else int(
            self._uniform((), 0.0, 2.0 ** 30) // 1)
        warped = image_ops.elastic_transform(
            images, alpha=max(height, width) * 0.1 * strength,
            sigma=min(height, width) * 0.05 * strength, interpolation=self.interpolation,
            fill_mode=self.fill_mode, fill_value=self.fill_value, seed=field_seed,
            data_format="channels_last")
        return tf.clip_by_value(tf.where(apply, warped, images), float(self.value_range[0]),
                                float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "value_range": self.value_range,
                "seed": self.seed}
