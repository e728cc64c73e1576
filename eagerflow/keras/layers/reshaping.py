"""Layers that only change shapes: `Flatten`, `Reshape`."""

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.layers.layer import Layer


class Flatten(Layer):
    """Flattens each example to one dimension (the batch dimension is kept).

    >>> from eagerflow import keras
    >>> keras.layers.Flatten()(tf.ones((2, 3, 4))).shape.as_list()
    [2, 12]
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or backend.image_data_format()

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.shape.rank > 2:
            inputs = tf.transpose(inputs, [0] + list(range(2, inputs.shape.rank)) + [1])
        size = int(np.prod(tuple(inputs.shape)[1:], dtype=np.int64))
        return tf.reshape(inputs, (inputs.shape[0], size))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each example to `target_shape` (one entry may be -1).

    >>> from eagerflow import keras
    >>> keras.layers.Reshape((3, 4))(tf.ones((2, 12))).shape.as_list()
    [2, 3, 4]
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        if sum(1 for d in self.target_shape if d == -1) > 1:
            raise ValueError(f"There must be at most one unknown dimension (-1) in "
                             f"target_shape. Received: target_shape={self.target_shape}")
        self.built = True

    def call(self, inputs):
        return tf.reshape(inputs, (inputs.shape[0],) + self.target_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
