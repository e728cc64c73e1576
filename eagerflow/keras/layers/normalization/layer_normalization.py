"""`LayerNormalization`: normalizes each example over its feature axes."""

import warnings

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.normalization.gamma_beta import (
    add_gamma_beta, check_axes, compute_dtype, gamma_beta_config, set_gamma_beta_arguments)


def broadcast_to_axes(weight, rank, axes):
    """`weight` (sized like `axes`) reshaped to broadcast against inputs of `rank`."""
    if weight is None or axes == [rank - 1]:
        return weight
    shape = [1] * rank
    for axis, size in zip(axes, weight.shape):
        shape[axis] = size
    return tf.reshape(weight, shape)


class LayerNormalization(Layer):
    """Normalizes each example independently over `axis`:
    `gamma * (x - mean) / sqrt(variance + epsilon) + beta`.

    >>> from eagerflow import keras
    >>> y = keras.layers.LayerNormalization()(tf.constant([[1.0, 3.0]]))
    >>> [round(v, 4) for v in y.numpy().ravel().tolist()]
    [-0.9995, 0.9995]

    Args:
      axis: the axis or list of axes to normalize over (usually -1, the features).
      epsilon: added to the variance to avoid dividing by zero.
      center, scale: whether to learn an offset `beta` and a scale `gamma`, shaped like
        the normalized axes.
      beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
      beta_constraint, gamma_constraint: for `beta` and `gamma`.
      rms_scaling: deprecated in Keras 3 (it divides by the standard deviation, not the
        root mean square, and drops `beta`); kept for old configs, with Keras's warning.
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn("You passed `rms_scaling=True`, which is deprecated. This argument "
                          "incorrectly scales the input by the variance, not the root mean "
                          "square. To correctly use RMS Normalization, please use "
                          "`keras.layers.RMSNormalization` instead.")
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"Expected an int or a list/tuple of ints for the argument "
                            f"'axis', but received: {axis!r}")
        self.epsilon = epsilon
        set_gamma_beta_arguments(self, center, scale, beta_initializer, gamma_initializer,
                                 beta_regularizer, gamma_regularizer, beta_constraint,
                                 gamma_constraint)
        self.rms_scaling = rms_scaling
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        if isinstance(self.axis, list):
            self.axis = sorted(self.axis)
            shape = tuple(input_shape[axis] for axis in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        add_gamma_beta(self, shape, scale=self.scale or self.rms_scaling,
                       center=self.center and not self.rms_scaling)

    def call(self, inputs):
        rank = inputs.shape.rank
        axes = sorted(axis % rank for axis in self.axis)
        x = tf.cast(inputs, compute_dtype(inputs.dtype.name))
        gamma = broadcast_to_axes(self.gamma, rank, axes)
        beta = broadcast_to_axes(self.beta, rank, axes)
        mean, variance = tf.nn.moments(x, axes=axes, keepdims=True)
        inv = tf.math.rsqrt(variance + self.epsilon)
        if gamma is not None:
            inv = inv * tf.cast(gamma, x.dtype)
        if self.rms_scaling:
            outputs = x * inv
        else:
            shift = -mean * inv
            if beta is not None:
                shift = shift + tf.cast(beta, x.dtype)
            outputs = x * inv + shift
        return tf.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        return tuple(input_shape)

    def get_config(self):
        gamma_beta = gamma_beta_config(self)
        config = {"axis": self.axis, "epsilon": self.epsilon,
                  "center": gamma_beta.pop("center"), "scale": gamma_beta.pop("scale"),
                  "rms_scaling": self.rms_scaling, **gamma_beta}
        return {**super().get_config(), **config}
