"""`MaxPooling1D/2D/3D` and `AveragePooling1D/2D/3D`: the largest or the mean value of each
`pool_size` window, moved by `strides` (default: `pool_size`)."""

import eagerflow as tf
from eagerflow.keras.layers.convolutional.arguments import (
    as_numpy_text, channels_first, channels_last, conv_output_length, spatial_shape,
    standardize_data_format, standardize_tuple, with_spatial_shape)
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer


class BasePooling(Layer):
    """The shared part of the pooling layers: `pool_mode` is "max" or "average"."""

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max", padding="valid",
                 data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size")
        self.strides = standardize_tuple(pool_size if strides is None else strides,
                                         pool_dimensions, "strides", allow_zero=True)
        self.pool_mode = pool_mode
        self.padding = padding
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self.built = True

    def call(self, inputs):
        pool = tf.nn.max_pool if self.pool_mode == "max" else tf.nn.avg_pool
        last = self.data_format == "channels_last"
        outputs = pool(inputs if last else channels_last(inputs), self.pool_size,
                       self.strides, self.padding.upper())
        return outputs if last else channels_first(outputs)

    def compute_output_shape(self, input_shape):
        spatial, channels = spatial_shape(input_shape, self.data_format)
        sizes = [conv_output_length(size, k, s, self.padding.lower())
                 for size, k, s in zip(spatial, self.pool_size, self.strides)]
        if any(size is not None and size <= 0 for size in sizes):
            raise ValueError(f"Computed output size would be zero or negative. Received: "
                             f"`inputs.shape={as_numpy_text(input_shape)}`, "
                             f"`pool_size={as_numpy_text(self.pool_size)}`, "
                             f"`strides={self.strides}`, `padding={self.padding.lower()}`.")
        return with_spatial_shape(input_shape, sizes, channels, self.data_format)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


class MaxPooling1D(BasePooling):
    """Max pooling for 1D inputs: the largest value of each `pool_size` window
    (`strides` defaults to `pool_size`; padding "valid" or "same").

    >>> from eagerflow import keras
    >>> keras.layers.MaxPooling1D()(tf.ones((2, 6, 3))).shape.as_list()
    [2, 3, 3]
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, 1, "max", padding, data_format, name=name,
                         **kwargs)


class MaxPooling2D(BasePooling):
    """Max pooling for 2D inputs: the largest value of each `pool_size` window
    (`strides` defaults to `pool_size`; padding "valid" or "same").

    >>> from eagerflow import keras
    >>> keras.layers.MaxPooling2D()(tf.ones((2, 6, 6, 3))).shape.as_list()
    [2, 3, 3, 3]
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, 2, "max", padding, data_format, name=name,
                         **kwargs)


class MaxPooling3D(BasePooling):
    """Max pooling for 3D inputs: the largest value of each `pool_size` window
    (`strides` defaults to `pool_size`; padding "valid" or "same").

    >>> from eagerflow import keras
    >>> keras.layers.MaxPooling3D()(tf.ones((2, 4, 4, 4, 3))).shape.as_list()
    [2, 2, 2, 2, 3]
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, 3, "max", padding, data_format, name=name,
                         **kwargs)


class AveragePooling1D(BasePooling):
    """Average pooling for 1D inputs: the mean of each `pool_size` window
    (`strides` defaults to `pool_size`; padding "valid" or "same").

    >>> from eagerflow import keras
    >>> keras.layers.AveragePooling1D(2)(tf.ones((2, 6, 3))).shape.as_list()
    [2, 3, 3]
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, 1, "average", padding, data_format, name=name,
                         **kwargs)


class AveragePooling2D(BasePooling):
    """Average pooling for 2D inputs: the mean of each `pool_size` window
    (`strides` defaults to `pool_size`; padding "valid" or "same").

    >>> from eagerflow import keras
    >>> keras.layers.AveragePooling2D(2)(tf.ones((2, 6, 6, 3))).shape.as_list()
    [2, 3, 3, 3]
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, 2, "average", padding, data_format, name=name,
                         **kwargs)


class AveragePooling3D(BasePooling):
    """Average pooling for 3D inputs: the mean of each `pool_size` window
    (`strides` defaults to `pool_size`; padding "valid" or "same").

    >>> from eagerflow import keras
    >>> keras.layers.AveragePooling3D(2)(tf.ones((2, 4, 4, 4, 3))).shape.as_list()
    [2, 2, 2, 2, 3]
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, 3, "average", padding, data_format, name=name,
                         **kwargs)
