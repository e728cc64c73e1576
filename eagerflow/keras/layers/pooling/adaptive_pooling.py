"""`AdaptiveAveragePooling1D/2D/3D` and `AdaptiveMaxPooling1D/2D/3D`: pool to a fixed
output size, whatever the input size (bins cut as PyTorch's adaptive pooling cuts them)."""

from eagerflow.keras import ops
from eagerflow.keras.backend import image_data_format
from eagerflow.keras.layers.layer import Layer

_SIZE_NAMES = {1: "1 integer", 2: "(height, width)", 3: "(depth, height, width)"}


def _output_size_tuple(output_size, rank):
    if isinstance(output_size, int):
        return (output_size,) * rank
    if isinstance(output_size, (tuple, list)):
        if len(output_size) == rank:
            return tuple(output_size)
        if rank == 1:
            raise ValueError(f"For 1D input, `output_size` tuple must have length 1. "
                             f"Received: {output_size}")
    if rank == 1:
        raise TypeError(f"`output_size` must be an integer or tuple of 1 integer. "
                        f"Received: {output_size} of type {type(output_size)}")
    raise TypeError(f"`output_size` must be an integer or {_SIZE_NAMES[rank]} tuple. "
                    f"Received: {output_size} of type {type(output_size)}")


class _AdaptivePooling(Layer):
    """The shared part: arguments, output shape and config; a subclass sets `rank` and
    `pool` (a keras.ops adaptive pooling function).

    Args:
      output_size: the output's spatial size (an int, or one int per spatial axis).
      data_format: "channels_last" (default: `keras.config.image_data_format()`) or
        "channels_first".
    """

    rank = None
    pool = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.output_size = _output_size_tuple(output_size, self.rank)
        self.data_format = data_format or image_data_format()
        if self.data_format not in {"channels_first", "channels_last"}:
            raise ValueError(f"Invalid data_format: {self.data_format}. Expected "
                             f"'channels_first' or 'channels_last'.")

    def call(self, inputs):
        return type(self).pool(inputs, output_size=self.output_size,
                               data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size,
                "data_format": self.data_format}


class AdaptiveAveragePooling1D(_AdaptivePooling):
    """Averages each of `output_size` bins of the steps axis (an int).

    >>> from eagerflow import keras
    >>> x = tf.reshape(tf.range(6.0), (1, 6, 1))
    >>> keras.layers.AdaptiveAveragePooling1D(2)(x).numpy().ravel().tolist()
    [1.0, 4.0]
    """
    rank, pool = 1, ops.adaptive_average_pool


class AdaptiveAveragePooling2D(_AdaptivePooling):
    """Averages each of `output_size` (an int or `(height, width)`) bins of an image."""
    rank, pool = 2, ops.adaptive_average_pool


class AdaptiveAveragePooling3D(_AdaptivePooling):
    """Averages each of `output_size` (an int or `(depth, height, width)`) bins of a volume."""
    rank, pool = 3, ops.adaptive_average_pool


class AdaptiveMaxPooling1D(_AdaptivePooling):
    """The largest value in each of `output_size` bins of the steps axis (an int)."""
    rank, pool = 1, ops.adaptive_max_pool


class AdaptiveMaxPooling2D(_AdaptivePooling):
    """The largest value in each of `output_size` (an int or `(height, width)`) bins."""
    rank, pool = 2, ops.adaptive_max_pool


class AdaptiveMaxPooling3D(_AdaptivePooling):
    """The largest value in each of `output_size` (an int or `(depth, height, width)`)
    bins."""
    rank, pool = 3, ops.adaptive_max_pool
