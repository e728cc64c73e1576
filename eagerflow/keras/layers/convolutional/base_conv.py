"""`_BaseConv`: what every convolution layer shares -- the window arguments, the layout, the
bias, the activation, the output shape and the config -- and the plain convolutions
`Conv1D`, `Conv2D`, `Conv3D`.

Layers compute in channels-last order; channels-first inputs are transposed on the way in
and out. A 1-D convolution runs as a 2-D one on a height-1 image.
"""

import eagerflow as tf
from eagerflow.keras import activations, constraints, initializers, regularizers
from eagerflow.keras.layers.convolutional.arguments import (
    as_numpy_text, channels_first, channels_last, check_strictly_positive, conv_output_length,
    spatial_shape, standardize_data_format, standardize_padding, standardize_tuple,
    with_spatial_shape)
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer


class _BaseConv(Layer):
    """The shared part of the convolution layers (not used directly).

    A subclass creates its kernels in `build_kernels(input_channels)`, says how many
    channels it outputs in `output_channels(input_channels)` and convolves channels-last
    inputs in `convolve(inputs)`; `config_entries()` gives its own config keys.
    """

    # Whether `strides > 1` may meet `dilation_rate > 1` (depthwise and separable only).
    _strided_dilation = False

    def __init__(self, rank, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, bias_initializer="zeros",
                 bias_regularizer=None, activity_regularizer=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=self._allows_causal())
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        if (not self._strided_dilation and max(self.strides) > 1
                and max(self.dilation_rate) > 1):
            raise ValueError(f"`strides > 1` not supported in conjunction with "
                             f"`dilation_rate > 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")

    def _allows_causal(self):
        return False

    # --- what subclasses provide ----------------------------------------------------------

    def build_kernels(self, input_channels):
        raise NotImplementedError

    def output_channels(self, input_channels):
        raise NotImplementedError

    def convolve(self, inputs):
        raise NotImplementedError

    def output_spatial_shape(self, spatial):
        """The output's spatial sizes for inputs of `spatial` sizes (None stays None)."""
        return tuple(conv_output_length(size, k, s, self.padding, r) for size, k, s, r in zip(
            spatial, self.kernel_size, self.strides, self.dilation_rate))

    # --- the shared layer ---------------------------------------------------------------------

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"Kernel shape must have the same length as input, but received "
                             f"kernel of rank {self.rank + 2} and input of shape "
                             f"{tuple(input_shape)}.")
        channels = spatial_shape(input_shape, self.data_format)[1]
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs should be defined. Found "
                             f"None. Full input shape received: {tuple(input_shape)}")
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={self._channel_axis(): channels})
        self.compute_output_shape(input_shape)  # checks the output sizes are positive
        self.build_kernels(channels)
        self.bias = (self.add_weight(name="bias", shape=(self.output_channels(channels),),
                                     initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.built = True

    def call(self, inputs):
        last = self.data_format == "channels_last"
        outputs = self.convolve(inputs if last else channels_last(inputs))
        if self.bias is not None:
            outputs = tf.nn.bias_add(outputs, self.bias)
        if not last:
            outputs = channels_first(outputs)
        return self.activation(outputs) if self.activation is not None else outputs

    def compute_output_shape(self, input_shape):
        spatial, channels = spatial_shape(input_shape, self.data_format)
        sizes = self.output_spatial_shape(spatial)
        if any(size is not None and size <= 0 for size in sizes):
            kernel_shape = tuple(self.kernel_size) + (
                None if channels is None else channels // self.groups, self.filters)
            raise ValueError(f"Computed output size would be zero or negative. Received "
                             f"`inputs shape={tuple(input_shape)}`, "
                             f"`kernel shape={kernel_shape}`, "
                             f"`dilation_rate={as_numpy_text(self.dilation_rate)}`, "
                             f"`strides={self.strides}`, `padding={self.padding}`.")
        return with_spatial_shape(input_shape, sizes, self.output_channels(channels),
                                  self.data_format)

    def padding_name(self):
        """The padding as the tf.nn ops spell it."""
        return self.padding.upper()

    def config_entries(self):
        raise NotImplementedError

    def get_config(self):
        return {**super().get_config(), **self.config_entries()}

    def _window_config(self):
        return {"kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate}

    def _weights_config(self, *kernels):
        """`activation`, `use_bias`, then the initializers, regularizers and constraints of
        the named kernels and the bias (and the activity regularizer), in Keras's order."""
        weights = kernels + ("bias",)
        return {"activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                **{f"{weight}_initializer": initializers.serialize(
                    getattr(self, f"{weight}_initializer")) for weight in weights},
                **{f"{weight}_regularizer": regularizers.serialize(
                    getattr(self, f"{weight}_regularizer")) for weight in weights},
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                **{f"{weight}_constraint": constraints.serialize(
                    getattr(self, f"{weight}_constraint")) for weight in weights}}


def as_2d(inputs, *kernels):
    """A rank-1 convolution's channels-last inputs (N, L, C) and kernels (k, ...) as a 2-D
    one's: a height-1 image and height-1 kernels."""
    return (tf.expand_dims(inputs, 1),) + tuple(tf.expand_dims(k, 0) for k in kernels)


class BaseConv(_BaseConv):
    """The N-D convolution (cross-correlation) layer; `Conv1D/2D/3D` fix the rank."""

    _weights_made_by_build = ("kernel",)

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 **kwargs):
        if lora_rank:
            raise NotImplementedError("LoRA on convolution layers is not supported by "
                                      "eagerflow.")
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, bias_initializer, bias_regularizer,
                         activity_regularizer, bias_constraint, **kwargs)
        self.filters = filters
        self.groups = groups
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        check_strictly_positive(filters, "filters")
        if groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. Received: "
                             f"groups={groups}.")
        if filters is not None and filters % groups:
            raise ValueError(f"The number of filters must be evenly divisible by the number "
                             f"of groups. Received: groups={groups}, filters={filters}.")

    def _allows_causal(self):
        return self.rank == 1

    def build_kernels(self, input_channels):
        if input_channels % self.groups:
            raise ValueError(f"The number of input channels must be evenly divisible by the "
                             f"number of groups. Received groups={self.groups}, but the input "
                             f"has {input_channels} channels.")
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (input_channels // self.groups,
                                                     self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)

    def output_channels(self, input_channels):
        return self.filters

    def convolve(self, inputs):
        padding, kernel = self.padding_name(), self.kernel
        if self.rank == 3:
            return tf.nn.conv3d(inputs, kernel, (1,) + self.strides + (1,), padding,
                                dilations=(1,) + self.dilation_rate + (1,))
        strides, dilations = self.strides, self.dilation_rate
        if self.rank == 1:
            if self.padding == "causal":
                left = (self.kernel_size[0] - 1) * dilations[0]
                inputs, padding = tf.pad(inputs, [[0, 0], [left, 0], [0, 0]]), "VALID"
            inputs, kernel = as_2d(inputs, kernel)
            strides, dilations = (1,) + strides, (1,) + dilations
        outputs = tf.nn.conv2d(inputs, kernel, strides, padding, dilations=dilations)
        return tf.squeeze(outputs, [1]) if self.rank == 1 else outputs

    def config_entries(self):
        return {"filters": self.filters, **self._window_config(), "groups": self.groups,
                **self._weights_config("kernel")}


_CONV_DOC = """{n}D convolution layer: convolves the inputs with `filters` kernels of
    `kernel_size`, adds a bias and applies `activation`.

    The kernel is `kernel_size + (input_channels // groups, filters)`.

    >>> from eagerflow import keras
    >>> keras.layers.{name}(4, 3)(tf.ones({example})).shape.as_list()
    {result}

    Args:
      filters: the number of output channels.
      kernel_size: an int or {n} ints, the window size.
      strides, dilation_rate: an int or {n} ints (not both above 1).
      padding: "valid", "same"{causal}.
      data_format: "channels_last" (default) or "channels_first".
      groups: split the channels into this many independent convolutions.
      activation, use_bias, *_initializer, *_regularizer, *_constraint: as for `Dense`.
    """


class Conv1D(BaseConv):
    __doc__ = _CONV_DOC.format(n=1, name="Conv1D", example="(2, 8, 3)", result="[2, 6, 4]",
                               causal=' or "causal" (output t sees inputs up to t)')

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)


class Conv2D(BaseConv):
    __doc__ = _CONV_DOC.format(n=2, name="Conv2D", example="(2, 8, 8, 3)",
                               result="[2, 6, 6, 4]", causal="")

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)


class Conv3D(BaseConv):
    __doc__ = _CONV_DOC.format(n=3, name="Conv3D", example="(2, 5, 5, 5, 1)",
                               result="[2, 3, 3, 3, 4]", causal="")

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1, 1), groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)
