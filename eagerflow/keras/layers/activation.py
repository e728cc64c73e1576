"""`Activation`: applies an activation function."""

from eagerflow.keras import activations
from eagerflow.keras.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function (a name such as "relu", or a callable).

    >>> from eagerflow import keras
    >>> keras.layers.Activation("relu")(tf.constant([-1.0, 2.0])).numpy().tolist()
    [0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
