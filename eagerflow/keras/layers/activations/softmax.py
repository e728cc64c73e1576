"""`Softmax`: the softmax activation as a layer, over one or several axes, with a mask."""

import eagerflow as tf
from eagerflow.keras.layers.attention.masked_softmax import masked_softmax
from eagerflow.keras.layers.layer import Layer


def _check_mask_shape(inputs_shape, mask_shape):
    if len(mask_shape) > len(inputs_shape):
        raise ValueError(f"The `mask` must be broadcastable to `inputs` and must not have more "
                         f"dimensions. Received: inputs.shape={inputs_shape}, "
                         f"mask.shape={mask_shape}")
    for mask_size, size in zip(mask_shape[::-1], inputs_shape[::-1]):
        if mask_size is not None and size is not None and mask_size not in (1, size):
            raise ValueError(f"The `mask` must be broadcastable to `inputs`. Each mask "
                             f"dimension must be 1 or match the corresponding input dimension. "
                             f"Received: inputs.shape={inputs_shape}, mask.shape={mask_shape}")


class Softmax(Layer):
    """Softmax over `axis` (an int, or a list of axes normalized together).

    With a `mask` (True or > 0.5 to keep), masked positions get a large negative logit
    before the softmax and exactly 0 after it, so a fully masked row gives zeros.

    >>> from eagerflow import keras
    >>> y = keras.layers.Softmax()(tf.constant([1.0, 2.0, 1.0]))
    >>> [round(v, 4) for v in y.numpy().tolist()]
    [0.2119, 0.5761, 0.2119]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        if mask is not None:
            _check_mask_shape(tuple(inputs.shape), tuple(mask.shape))
            if mask.dtype != tf.bool:
                mask = tf.greater(mask, tf.cast(0.5, mask.dtype))
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        return masked_softmax(inputs, mask, axis)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
