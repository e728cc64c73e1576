"""`UnitNormalization`: scales each example to unit L2 norm along `axis`."""

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.normalization.gamma_beta import check_axes


class UnitNormalization(Layer):
    """Normalizes each example so that its L2 norm along `axis` is 1:
    `x * min(1 / sqrt(sum(x ** 2)), 1e12)`.

    >>> from eagerflow import keras
    >>> keras.layers.UnitNormalization()(tf.constant([[3.0, 4.0]])).numpy().tolist()
    [[0.6000000238418579, 0.800000011920929]]

    Args:
      axis: the axis or list of axes to normalize along.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"Invalid value for `axis` argument: expected an int or a "
                            f"list/tuple of ints. Received: axis={axis}")
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        if inputs.shape.rank == 0:
            inputs = tf.expand_dims(inputs, 0)
        square_sum = tf.reduce_sum(tf.square(inputs), axis=self.axis, keepdims=True)
        inverse_norm = tf.minimum(tf.math.rsqrt(square_sum), 1e12)
        return inputs * inverse_norm

    def compute_output_shape(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
