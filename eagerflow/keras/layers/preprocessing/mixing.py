"""`MixUp` and `CutMix`: augmentation that mixes each image (and its label) with another
image of the batch, active only in training. Both take a batch of images, or a dict with
"images" and "labels" (one-hot or soft labels, mixed in the same proportions)."""

import eagerflow as tf
from eagerflow.keras import random
from eagerflow.keras.layers.preprocessing.image_augmentation import (
    _factor_message, _factor_pair, _RandomImageLayer)


class _MixingLayer(_RandomImageLayer):
    """Mixes a channels-last batch with a shuffled copy of itself; a subclass's `mix`
    returns the mixed images and each image's own share `(batch, 1)` for the labels."""

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.generator = random.SeedGenerator(seed)

    def call(self, inputs, training=True):
        images, labels = inputs, None
        if isinstance(inputs, dict):
            unknown = set(inputs) - {"images", "labels"}
            if unknown:
                raise NotImplementedError(f"{type(self).__name__} in eagerflow mixes "
                                          f"\"images\" and \"labels\"; received also "
                                          f"{sorted(unknown)}.")
            images, labels = inputs["images"], inputs.get("labels")
        images = tf.cast(images, self.compute_dtype)
        if training and images.shape.rank == 4:
            channels_first = self.data_format == "channels_first"
            batch = tf.transpose(images, (0, 2, 3, 1)) if channels_first else images
            order = random.shuffle(tf.range(batch.shape[0]), seed=self.generator)
            batch, share = self.mix(batch, order)
            images = tf.transpose(batch, (0, 3, 1, 2)) if channels_first else batch
            if labels is not None:
                labels = tf.cast(labels, self.compute_dtype)
                labels = share * labels + (1.0 - share) * tf.gather(labels, order)
        if not isinstance(inputs, dict):
            return images
        return {**inputs, "images": images, **({} if labels is None else {"labels": labels})}

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs, training=True):
        from eagerflow.keras.symbolic import KerasTensor
        if isinstance(inputs, dict):
            return {key: KerasTensor(value.shape, self.compute_dtype)
                    for key, value in inputs.items()}
        return KerasTensor(inputs.shape, self.compute_dtype)

    def mix(self, images, order):
        raise NotImplementedError


class MixUp(_MixingLayer):
    """MixUp (Zhang et al., 2018): each image becomes `w * image + (1 - w) * other`, with
    `other` another image of the batch and `w ~ Beta(alpha, alpha)`; labels likewise.

    >>> from eagerflow import keras
    >>> data = {"images": tf.ones((4, 2, 2, 3)), "labels": tf.eye(4)}
    >>> mixed = keras.layers.MixUp(seed=1)(data)
    >>> mixed["labels"].numpy().sum(axis=1).round(5).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.alpha = alpha

    def mix(self, images, order):
        weight = random.beta((images.shape[0],), self.alpha, self.alpha,
                             seed=self.generator)
        weight = tf.cast(weight, images.dtype)
        mixed = (tf.reshape(weight, (-1, 1, 1, 1)) * images
                 + tf.reshape(1.0 - weight, (-1, 1, 1, 1)) * tf.gather(images, order))
        return mixed, tf.reshape(weight, (-1, 1))

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}


class CutMix(_MixingLayer):
    """CutMix (Yun et al., 2019): a rectangle of each image is replaced by the same
    rectangle of another image of the batch; its area follows `Beta(a, a)`, `a` drawn
    from `factor`, and the labels mix by the areas.

    >>> from eagerflow import keras
    >>> data = {"images": tf.ones((4, 6, 6, 3)), "labels": tf.eye(4)}
    >>> mixed = keras.layers.CutMix(seed=1)(data)
    >>> mixed["labels"].numpy().sum(axis=1).round(5).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """

    _BOUNDS = (0, 1)

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _factor_pair(factor, self._BOUNDS, _factor_message(self._BOUNDS))

    def mix(self, images, order):
        batch, height, width = images.shape[0], images.shape[1], images.shape[2]
        alpha = float(self._uniform((), self.factor[0], self.factor[1])) + 1e-6
        weight = tf.cast(random.beta((batch,), alpha, alpha, seed=self.generator),
                         images.dtype)
        ratio = tf.sqrt(1.0 - weight)

        def span(length):
            size = ratio * float(length)
            start = self._uniform((batch,)) * (float(length) - size)
            return tf.reshape(start, (-1, 1, 1, 1)), tf.reshape(start + size, (-1, 1, 1, 1))
        (x0, x1), (y0, y1) = span(width), span(height)
        xs = tf.reshape(tf.range(width, dtype=images.dtype), (1, 1, width, 1))
        ys = tf.reshape(tf.range(height, dtype=images.dtype), (1, height, 1, 1))
        inside = tf.logical_and(tf.logical_and(xs >= x0, xs < x1),
                                tf.logical_and(ys >= y0, ys < y1))
        share = 1.0 - (x1 - x0) * (y1 - y0) / float(width * height)
        return tf.where(inside, tf.gather(images, order), images), tf.reshape(share, (-1, 1))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
