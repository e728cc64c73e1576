"""Layers that regularize during training only: `Dropout`."""

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer


class Dropout(Layer):
    """Sets inputs to 0 with probability `rate` during training, scaling the rest by
    `1 / (1 - rate)`; does nothing at inference.

    >>> from eagerflow import keras
    >>> keras.layers.Dropout(0.5)(tf.ones((2, 2))).numpy().tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float "
                             f"value between 0 and 1. Received: rate={rate}")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        noise_shape = self.noise_shape
        if noise_shape is not None:
            noise_shape = [inputs.shape[i] if d is None else d for i, d in enumerate(noise_shape)]
        return tf.nn.dropout(inputs, rate=self.rate, noise_shape=noise_shape, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}
