"""`TimeDistributed`: applies a layer to every time step of a sequence."""

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.wrapper import Wrapper


class TimeDistributed(Wrapper):
    """Applies `layer` to each time step (axis 1) of the inputs, with the same weights.

    The batch and time axes are merged, so `layer` runs once on `batch * time` examples.

    >>> from eagerflow import keras
    >>> keras.layers.TimeDistributed(keras.layers.Dense(4))(tf.ones((2, 5, 3))).shape
    TensorShape([2, 5, 4])
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `TimeDistributed` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer}")
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _step_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(f"`TimeDistributed` Layer should be passed an `input_shape` "
                             f"with at least 3 dimensions, received: {input_shape}")
        return (input_shape[0],) + tuple(input_shape[2:])

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(self._step_shape(input_shape))
            self.layer.built = True

    def compute_output_shape(self, input_shape):
        step_shape = self.layer.compute_output_shape(self._step_shape(input_shape))
        return (step_shape[0], input_shape[1]) + tuple(step_shape[1:])

    def call(self, inputs, training=None, mask=None):
        shape = tuple(inputs.shape)
        batch, steps = shape[0], shape[1]
        if mask is not None and tuple(mask.shape)[:2] != (batch, steps):
            raise ValueError(f"`TimeDistributed` Layer should be passed a `mask` of shape "
                             f"({batch}, {steps}, ...), received: mask.shape="
                             f"{tuple(mask.shape)}")
        kwargs = {}
        if self.layer._call_has_training_arg and training is not None:
            kwargs["training"] = training
        if mask is not None and "mask" in self.layer._call_mask_arguments:
            kwargs["mask"] = tf.reshape(mask, (batch * steps,) + tuple(mask.shape)[2:])
        merged = tf.reshape(inputs, (batch * steps,) + shape[2:])
        outputs = self.layer.call(merged, **kwargs)
        return tf.reshape(outputs, (batch, steps) + tuple(outputs.shape)[1:])
