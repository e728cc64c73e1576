"""`Masking`: marks the time steps whose features all equal `mask_value` as padding."""

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer, set_keras_mask


class Masking(Layer):
    """Masks time steps whose features all equal `mask_value`: their outputs are zero and
    the output's mask (batch, time) is False there, so later layers (RNNs, losses) skip
    them.

    >>> from eagerflow import keras
    >>> x = tf.constant([[[1.0], [0.0]]])
    >>> keras.layers.Masking()(x)._keras_mask.numpy().tolist()
    [[True, False]]
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return tf.reduce_any(tf.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = tf.reduce_any(tf.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        outputs = tf.where(keep, inputs, tf.zeros((), inputs.dtype))
        set_keras_mask(outputs, tf.squeeze(keep, axis=-1))
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
