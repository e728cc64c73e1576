"""`Conv3DTranspose`: the transposed 3-D convolution, on `tf.nn.conv3d_transpose`."""

import eagerflow as tf
from eagerflow.keras.layers.convolutional.conv_transpose import (
    _TRANSPOSE_DOC, BaseConvTranspose)


class Conv3DTranspose(BaseConvTranspose):
    __doc__ = _TRANSPOSE_DOC.format(n=3, example="(1, 2, 3, 3, 2)", result="[1, 5, 7, 7, 4]")

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, output_padding=None, dilation_rate=(1, 1, 1),
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, output_padding,
                         data_format, dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)

    def convolve(self, inputs):
        sizes = self.output_spatial_shape(tuple(inputs.shape)[1:-1])
        output_shape = (inputs.shape[0],) + sizes + (self.filters,)
        return tf.nn.conv3d_transpose(inputs, self.kernel, output_shape, self.strides,
                                      self.padding_name(), dilations=self.dilation_rate)
