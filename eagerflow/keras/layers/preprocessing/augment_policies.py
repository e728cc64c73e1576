"""`RandAugment` and `AugMix`: augmentation policies that apply operations picked at random
from a fixed set of image layers, all of one strength `factor`."""

import random as python_random

import eagerflow as tf
from eagerflow.keras import random
from eagerflow.keras.layers.preprocessing.color_augmentation import (
    AutoContrast, Equalization, RandomColorDegeneration, RandomPosterization,
    RandomSharpness, Solarization)
from eagerflow.keras.layers.preprocessing.geometric_augmentation import RandomShear
from eagerflow.keras.layers.preprocessing.image_augmentation import (
    RandomBrightness, RandomContrast, RandomRotation, RandomTranslation, _factor_message,
    _factor_pair, _RandomImageLayer)

# The operations in Keras's order: geometric and tonal ones, then colour ones.
_STRUCTURE_OPS = ("random_shear", "random_translation", "random_rotation",
                  "random_posterization", "solarization", "auto_contrast", "equalization")
_COLOR_OPS = ("random_brightness", "random_color_degeneration", "random_contrast",
              "random_sharpness")


def _operations(names, factor, value_range, interpolation, seed):
    """The named image layers, each at strength `factor` (a `(lower, upper)` pair)."""
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor,
                                            interpolation=interpolation, seed=seed),
        "random_translation": lambda: RandomTranslation(
            height_factor=factor, width_factor=factor, interpolation=interpolation,
            seed=seed),
        "random_rotation": lambda: RandomRotation(factor=factor, interpolation=interpolation,
                                                  seed=seed),
        "random_brightness": lambda: RandomBrightness(factor=factor, value_range=value_range,
                                                      seed=seed),
        "random_color_degeneration": lambda: RandomColorDegeneration(
            factor=factor, value_range=value_range, seed=seed),
        "random_contrast": lambda: RandomContrast(factor=factor, value_range=value_range,
                                                  seed=seed),
        "random_sharpness": lambda: RandomSharpness(factor=factor, value_range=value_range,
                                                    seed=seed),
        "random_posterization": lambda: RandomPosterization(
            factor=max(1, int(8 * factor[1])), value_range=value_range, seed=seed),
        "solarization": lambda: Solarization(addition_factor=factor, threshold_factor=factor,
                                             value_range=value_range, seed=seed),
        "auto_contrast": lambda: AutoContrast(value_range=value_range),
        "equalization": lambda: Equalization(value_range=value_range),
    }
    return [makers[name]() for name in names]


class RandAugment(_RandomImageLayer):
    """RandAugment (Cubuk et al., 2019): in training, `num_ops` operations picked at
    random (per batch) from shear, translation, rotation, brightness, colour degeneration,
    contrast, sharpness, posterization, solarization, auto-contrast and equalization, all
    at strength `factor`, are applied in turn.

    >>> from eagerflow import keras
    >>> layer = keras.layers.RandAugment(num_ops=3, seed=1)
    >>> layer(tf.ones((2, 8, 8, 3)) * 100.0).shape
    TensorShape([2, 8, 8, 3])
    """

    _BOUNDS = (0, 1)

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5,
                 interpolation="bilinear", seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.interpolation = interpolation
        self._operations = _operations(_STRUCTURE_OPS[:3] + _COLOR_OPS + _STRUCTURE_OPS[3:],
                                       self.factor, value_range, interpolation, seed)
        # Which operations run is decided in Python (as AugMix does in Keras), so that
        # only the picked ones do any work.
        self._picker = python_random.Random(seed)

    def augment(self, images):
        for _ in range(self.num_ops):
            operation = self._operations[self._picker.randrange(len(self._operations))]
            images = tf.cast(operation.transform(images, training=True), self.compute_dtype)
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_ops": self.num_ops, "factor": self.factor,
                "interpolation": self.interpolation, "seed": self.seed}


class AugMix(_RandomImageLayer):
    """AugMix (Hendrycks et al., 2020): in training, `num_chains` chains of up to
    `chain_depth` random operations (each link may be skipped) augment copies of the
    batch; the chains are blended with Dirichlet(`alpha`) weights, and the blend with
    the original by a Beta(`alpha`, `alpha`) weight; values are clipped to `value_range`.
    `all_ops=False` leaves out the colour operations.

    >>> from eagerflow import keras
    >>> layer = keras.layers.AugMix(seed=1)
    >>> y = layer(tf.ones((2, 8, 8, 3)) * 100.0)
    >>> y.shape, float(tf.reduce_min(y)) >= 0.0
    (TensorShape([2, 8, 8, 3]), True)
    """

    _BOUNDS = (0, 1)

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3,
                 alpha=1.0, all_ops=True, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self.generator = random.SeedGenerator(seed)
        self._picker = python_random.Random(seed)
        names = _STRUCTURE_OPS + (_COLOR_OPS if all_ops else ())
        self._operations = _operations(names, self.factor, value_range, interpolation, seed)

    def augment(self, images):
        gammas = random.gamma((self.num_chains,), self.alpha, seed=self.generator)
        chain_weights = tf.cast(gammas / tf.reduce_sum(gammas), images.dtype)
        keep = tf.cast(random.beta((), self.alpha, self.alpha, seed=self.generator),
                       images.dtype)
        blended = tf.zeros_like(images)
        for chain in range(self.num_chains):
            augmented = images
            for _ in range(self.chain_depth):
                pick = self._picker.randrange(len(self._operations) + 1)
                if pick < len(self._operations):  # the last choice skips this link
                    augmented = tf.cast(self._operations[pick].transform(augmented),
                                        images.dtype)
            blended = blended + augmented * chain_weights[chain]
        mixed = keep * images + (1.0 - keep) * blended
        return tf.clip_by_value(mixed, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_chains": self.num_chains, "chain_depth": self.chain_depth,
                "factor": self.factor, "alpha": self.alpha, "all_ops": self.all_ops,
                "interpolation": self.interpolation, "seed": self.seed}
