"""`DepthwiseConv1D/2D` and `SeparableConv1D/2D`: each input channel convolved with its own
`depth_multiplier` kernels (and, for the separable ones, then mixed by a 1x1 convolution).

Both run as a grouped 2-D convolution with one group per input channel, which allows
`strides` and `dilation_rate` above 1 together, as Keras does for these layers.
"""

import eagerflow as tf
from eagerflow.keras import constraints, initializers, regularizers
from eagerflow.keras.layers.convolutional.arguments import check_strictly_positive
from eagerflow.keras.layers.convolutional.base_conv import _BaseConv, as_2d


class _ChannelwiseConv(_BaseConv):
    """The depthwise step shared by the depthwise and separable layers."""

    _strided_dilation = True

    def __init__(self, rank, kernel_size, strides, padding, data_format, dilation_rate,
                 depth_multiplier, activation, use_bias, depthwise_initializer,
                 bias_initializer, depthwise_regularizer, bias_regularizer,
                 activity_regularizer, depthwise_constraint, bias_constraint, **kwargs):
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, bias_initializer, bias_regularizer,
                         activity_regularizer, bias_constraint, **kwargs)
        check_strictly_positive(depth_multiplier, "depth_multiplier")
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def _depthwise_weight(self, name, input_channels):
        return self.add_weight(
            name=name, shape=self.kernel_size + (input_channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)

    def _convolve(self, inputs, depthwise_kernel, pointwise_kernel=None):
        strides, dilations = self.strides, self.dilation_rate
        kernels = (depthwise_kernel,) + (() if pointwise_kernel is None else (pointwise_kernel,))
        if self.rank == 1:
            inputs, *kernels = as_2d(inputs, *kernels)
            strides, dilations = (1,) + strides, (1,) + dilations
        kh, kw, channels, multiplier = kernels[0].shape
        grouped = tf.reshape(kernels[0], (kh, kw, 1, channels * multiplier))
        outputs = tf.nn.conv2d(inputs, grouped, strides, self.padding_name(),
                               dilations=dilations)
        if pointwise_kernel is not None:
            outputs = tf.nn.conv2d(outputs, kernels[1], 1, "VALID")
        return tf.squeeze(outputs, [1]) if self.rank == 1 else outputs


class BaseDepthwiseConv(_ChannelwiseConv):
    """The N-D depthwise convolution layer; `DepthwiseConv1D/2D` fix the rank.

    The kernel is `kernel_size + (input_channels, depth_multiplier)`; the output has
    `input_channels * depth_multiplier` channels.
    """

    def __init__(self, rank, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier, activation, use_bias, depthwise_initializer,
                         bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)

    def build_kernels(self, input_channels):
        self.kernel = self._depthwise_weight("kernel", input_channels)

    def output_channels(self, input_channels):
        return input_channels * self.depth_multiplier

    def convolve(self, inputs):
        return self._convolve(inputs, self.kernel)

    def config_entries(self):
        return {"depth_multiplier": self.depth_multiplier, **self._window_config(),
                **self._weights_config("depthwise")}


class BaseSeparableConv(_ChannelwiseConv):
    """The N-D separable convolution layer; `SeparableConv1D/2D` fix the rank.

    Weights: `depthwise_kernel` `kernel_size + (input_channels, depth_multiplier)`,
    `pointwise_kernel` `(1,) * rank + (input_channels * depth_multiplier, filters)`, bias.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, depth_multiplier=1, activation=None,
                 use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier, activation, use_bias, depthwise_initializer,
                         bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)
        check_strictly_positive(filters, "filters")
        self.filters = filters
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build_kernels(self, input_channels):
        self.depthwise_kernel = self._depthwise_weight("depthwise_kernel", input_channels)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (input_channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)

    def output_channels(self, input_channels):
        return self.filters

    def convolve(self, inputs):
        return self._convolve(inputs, self.depthwise_kernel, self.pointwise_kernel)

    def config_entries(self):
        return {"depth_multiplier": self.depth_multiplier, "filters": self.filters,
                **self._window_config(), **self._weights_config("depthwise", "pointwise")}


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution: each channel of (batch, steps, channels) convolved with
    its own `depth_multiplier` kernels.

    >>> from eagerflow import keras
    >>> keras.layers.DepthwiseConv1D(3, depth_multiplier=2)(tf.ones((2, 8, 3))).shape.as_list()
    [2, 6, 6]
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, kernel_size, strides, padding, depth_multiplier, data_format,
                         dilation_rate, activation, use_bias, depthwise_initializer,
                         bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution: each channel of an image convolved with its own
    `depth_multiplier` kernels.

    >>> from eagerflow import keras
    >>> keras.layers.DepthwiseConv2D(3)(tf.ones((2, 8, 8, 3))).shape.as_list()
    [2, 6, 6, 3]
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, kernel_size, strides, padding, depth_multiplier, data_format,
                         dilation_rate, activation, use_bias, depthwise_initializer,
                         bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)


class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution: a depthwise convolution, then a pointwise one that mixes
    the channels into `filters` outputs.

    >>> from eagerflow import keras
    >>> keras.layers.SeparableConv1D(4, 3)(tf.ones((2, 8, 3))).shape.as_list()
    [2, 6, 4]
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier, activation, use_bias, depthwise_initializer,
                         pointwise_initializer, bias_initializer, depthwise_regularizer,
                         pointwise_regularizer, bias_regularizer, activity_regularizer,
                         depthwise_constraint, pointwise_constraint, bias_constraint, **kwargs)


class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution: a depthwise convolution, then a pointwise one that mixes
    the channels into `filters` outputs.

    >>> from eagerflow import keras
    >>> keras.layers.SeparableConv2D(4, 3)(tf.ones((2, 8, 8, 3))).shape.as_list()
    [2, 6, 6, 4]
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1), depth_multiplier=1, activation=None,
                 use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier, activation, use_bias, depthwise_initializer,
                         pointwise_initializer, bias_initializer, depthwise_regularizer,
                         pointwise_regularizer, bias_regularizer, activity_regularizer,
                         depthwise_constraint, pointwise_constraint, bias_constraint, **kwargs)
