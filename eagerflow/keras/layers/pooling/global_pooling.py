"""`GlobalAveragePooling1D/2D/3D` and `GlobalMaxPooling1D/2D/3D`: the mean or the largest
value of each channel over all spatial positions."""

import eagerflow as tf
from eagerflow.keras.layers.convolutional.arguments import standardize_data_format
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """The shared part of the global pooling layers; a subclass sets `reduce`."""

    reduce = None

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self.built = True

    def _spatial_axes(self, rank):
        return list(range(1, rank - 1)) if self.data_format == "channels_last" else list(
            range(2, rank))

    def call(self, inputs):
        return type(self).reduce(inputs, axis=self._spatial_axes(inputs.shape.rank),
                                 keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        axes = self._spatial_axes(len(input_shape))
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean of each channel over the steps of (batch, steps, channels) inputs; with a
    mask, over the unmasked steps only.

    >>> from eagerflow import keras
    >>> keras.layers.GlobalAveragePooling1D()(tf.ones((2, 5, 3))).shape.as_list()
    [2, 3]
    """

    reduce = tf.reduce_mean

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, data_format, keepdims, **kwargs)

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        steps_axis = 1 if self.data_format == "channels_last" else 2
        weights = tf.cast(tf.expand_dims(mask, 2 if steps_axis == 1 else 1), inputs.dtype)
        return (tf.reduce_sum(inputs * weights, axis=steps_axis, keepdims=self.keepdims)
                / tf.reduce_sum(weights, axis=steps_axis, keepdims=self.keepdims))

    def compute_mask(self, inputs, previous_mask):
        return None  # the steps, and so their mask, are pooled away


class GlobalAveragePooling2D(BaseGlobalPooling):
    """The mean of each channel over the height and width of images.

    >>> from eagerflow import keras
    >>> keras.layers.GlobalAveragePooling2D(keepdims=True)(tf.ones((2, 4, 4, 3))).shape.as_list()
    [2, 1, 1, 3]
    """

    reduce = tf.reduce_mean

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, data_format, keepdims, **kwargs)


class GlobalAveragePooling3D(BaseGlobalPooling):
    """The mean of each channel over the three spatial dimensions of volumes.

    >>> from eagerflow import keras
    >>> keras.layers.GlobalAveragePooling3D()(tf.ones((2, 3, 3, 3, 4))).shape.as_list()
    [2, 4]
    """

    reduce = tf.reduce_mean

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, data_format, keepdims, **kwargs)


class GlobalMaxPooling1D(BaseGlobalPooling):
    """The largest value of each channel over the steps of (batch, steps, channels) inputs.

    >>> from eagerflow import keras
    >>> keras.layers.GlobalMaxPooling1D()(tf.ones((2, 5, 3))).shape.as_list()
    [2, 3]
    """

    reduce = tf.reduce_max

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, data_format, keepdims, **kwargs)


class GlobalMaxPooling2D(BaseGlobalPooling):
    """The largest value of each channel over the height and width of images.

    >>> from eagerflow import keras
    >>> keras.layers.GlobalMaxPooling2D()(tf.ones((2, 4, 4, 3))).shape.as_list()
    [2, 3]
    """

    reduce = tf.reduce_max

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, data_format, keepdims, **kwargs)


class GlobalMaxPooling3D(BaseGlobalPooling):
    """The largest value of each channel over the three spatial dimensions of volumes.

    >>> from eagerflow import keras
    >>> keras.layers.GlobalMaxPooling3D()(tf.ones((2, 3, 3, 3, 4))).shape.as_list()
    [2, 4]
    """

    reduce = tf.reduce_max

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, data_format, keepdims, **kwargs)
