"""`RMSNormalization`: scales each example by the root mean square of its features."""

from eagerflow.keras import ops
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.normalization.gamma_beta import check_axes


class RMSNormalization(Layer):
    """Root mean square normalization (Zhang and Sennrich, 2019):
    `x * rsqrt(mean(square(x), axis) + epsilon) * scale`, with a learned `scale` shaped
    like the normalized axes (initialized to ones).

    >>> from eagerflow import keras
    >>> y = keras.layers.RMSNormalization()(tf.constant([[3.0, 4.0]]))
    >>> [round(v, 4) for v in y.numpy().ravel().tolist()]
    [0.8485, 1.1314]
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        if isinstance(self.axis, (list, tuple)):
            self.axis = sorted(self.axis)
            shape = tuple(input_shape[axis] for axis in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        self.built = True

    def call(self, inputs):
        return ops.rms_normalization(inputs, scale=self.scale, axis=self.axis,
                                     epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
