"""`GroupNormalization`: normalizes each example over groups of channels."""

import eagerflow as tf
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.normalization.gamma_beta import (
    add_gamma_beta, check_axes, compute_dtype, gamma_beta_config, set_gamma_beta_arguments)


class GroupNormalization(Layer):
    """Group normalization (Wu and He, 2018): the channels (`axis`) are split into
    `groups`, and each example is normalized over each group's channels and the other
    non-batch axes. `groups=-1` normalizes each channel alone (instance normalization);
    `groups=1` is layer normalization over all non-batch axes.

    >>> from eagerflow import keras
    >>> y = keras.layers.GroupNormalization(groups=2)(tf.constant([[1.0, 3.0, 5.0, 5.0]]))
    >>> [round(v, 4) for v in y.numpy().ravel().tolist()]
    [-0.9995, 0.9995, 0.0, 0.0]

    Args:
      groups: the number of groups; must divide the number of channels.
      axis: the channels axis.
      epsilon: added to the variance to avoid dividing by zero.
      center, scale: whether to learn a per-channel offset `beta` and scale `gamma`.
      beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
      beta_constraint, gamma_constraint: for `beta` and `gamma`.
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        if not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(f"Received an invalid value for argument `groups`, expected a "
                             f"positive integer (or `-1` for instance normalization). "
                             f"Received: groups={groups}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.autocast = False
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        set_gamma_beta_arguments(self, center, scale, beta_initializer, gamma_initializer,
                                 beta_regularizer, gamma_regularizer, beta_constraint,
                                 gamma_constraint)

    def build(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined "
                             f"dimension but the layer received an input with shape "
                             f"{tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the "
                             f"number of channels ({channels}).")
        if channels % self.groups != 0:
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the "
                             f"number of channels ({channels}).")
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})
        add_gamma_beta(self, (channels,), self.scale, self.center)

    def call(self, inputs):
        rank = inputs.shape.rank
        axis = self.axis % rank
        shape = list(inputs.shape)
        channels = shape[axis]
        # Channels split into (groups, channels // groups): the group axis sits at `axis`.
        group_shape = [-1] + shape[1:]
        group_shape[axis:axis + 1] = [self.groups, channels // self.groups]
        x = tf.reshape(tf.cast(inputs, compute_dtype(inputs.dtype.name)), group_shape)
        reduction_axes = [i for i in range(1, rank + 1) if i != axis]
        mean, variance = tf.nn.moments(x, axes=reduction_axes, keepdims=True)
        weight_shape = [1] * (rank + 1)
        weight_shape[axis:axis + 2] = [self.groups, channels // self.groups]
        inv = tf.math.rsqrt(variance + self.epsilon)
        if self.scale:
            inv = inv * tf.cast(tf.reshape(self.gamma, weight_shape), x.dtype)
        shift = -mean * inv
        if self.center:
            shift = shift + tf.cast(tf.reshape(self.beta, weight_shape), x.dtype)
        outputs = tf.reshape(x * inv + shift, [-1] + shape[1:])
        return tf.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "groups": self.groups, "axis": self.axis,
                "epsilon": self.epsilon, **gamma_beta_config(self)}
