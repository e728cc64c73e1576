"""`Conv1DTranspose`, `Conv2DTranspose`: the transposes of the convolutions (sometimes
called deconvolutions), which map each input position to a kernel-sized output window."""

import eagerflow as tf
from eagerflow.keras import constraints, initializers, regularizers
from eagerflow.keras.layers.convolutional.arguments import (
    check_strictly_positive, standardize_tuple, transpose_output_length)
from eagerflow.keras.layers.convolutional.base_conv import _BaseConv, as_2d


class BaseConvTranspose(_BaseConv):
    """The N-D transposed convolution layer; `Conv1DTranspose/2DTranspose` fix the rank.

    The kernel is `kernel_size + (filters, input_channels)`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 output_padding=None, data_format=None, dilation_rate=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, bias_initializer, bias_regularizer,
                         activity_regularizer, bias_constraint, **kwargs)
        self.filters = filters
        self.output_padding = (None if output_padding is None else standardize_tuple(
            output_padding, rank, "output_padding", allow_zero=True))
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        check_strictly_positive(filters, "filters")
        for i, (extra, stride) in enumerate(zip(self.output_padding or (), self.strides)):
            if extra >= stride:
                raise ValueError(f"`output_padding` must be strictly less than `strides` for "
                                 f"all dimensions. At dimension {i}, `output_padding` is "
                                 f"{extra} but `strides` is {stride}. Received: "
                                 f"output_padding={self.output_padding}, "
                                 f"strides={self.strides}")

    def build_kernels(self, input_channels):
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (self.filters, input_channels),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)

    def output_channels(self, input_channels):
        return self.filters

    def output_spatial_shape(self, spatial):
        extras = self.output_padding or (None,) * self.rank
        return tuple(transpose_output_length(size, k, s, self.padding, extra, r)
                     for size, k, s, extra, r in zip(spatial, self.kernel_size, self.strides,
                                                     extras, self.dilation_rate))

    def convolve(self, inputs):
        sizes = self.output_spatial_shape(tuple(inputs.shape)[1:-1])
        kernel, strides, dilations = self.kernel, self.strides, self.dilation_rate
        if self.rank == 1:
            inputs, kernel = as_2d(inputs, kernel)
            sizes, strides, dilations = (1,) + sizes, (1,) + strides, (1,) + dilations
        output_shape = (inputs.shape[0],) + sizes + (self.filters,)
        outputs = tf.nn.conv2d_transpose(inputs, kernel, output_shape, strides,
                                         self.padding_name(), dilations=dilations)
        return tf.squeeze(outputs, [1]) if self.rank == 1 else outputs

    def config_entries(self):
        return {"filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding,
                "output_padding": self.output_padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, **self._weights_config("kernel")}


_TRANSPOSE_DOC = """{n}D transposed convolution layer (the gradient of `Conv{n}D` with
    respect to its input, with its own kernel and a bias).

    With padding "same" and no `output_padding` the output is `strides` times the input;
    with "valid" it is `(size - 1) * strides + max(kernel_size, strides)`.

    >>> from eagerflow import keras
    >>> keras.layers.Conv{n}DTranspose(4, 3, strides=2)(tf.ones({example})).shape.as_list()
    {result}
    """


class Conv1DTranspose(BaseConvTranspose):
    __doc__ = _TRANSPOSE_DOC.format(n=1, example="(2, 5, 3)", result="[2, 11, 4]")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, output_padding,
                         data_format, dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv2DTranspose(BaseConvTranspose):
    __doc__ = _TRANSPOSE_DOC.format(n=2, example="(2, 5, 5, 3)", result="[2, 11, 11, 4]")

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, output_padding,
                         data_format, dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)
