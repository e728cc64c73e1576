"""Argument checks and layouts shared by the spatial layers (convolution, pooling, padding):
tuples of per-dimension values, padding names and `data_format`, as Keras 3 reads them."""

import eagerflow as tf
from eagerflow.keras.backend import standardize_data_format  # noqa: F401 - its one home


def standardize_tuple(value, n, name, allow_zero=False):
    """An int or `n` ints as a tuple of `n` ints (positive, or >= 0 with `allow_zero`)."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError as err:
            raise ValueError(message) from err
        if len(values) != n:
            raise ValueError(message)
        for single in values:
            try:
                int(single)
            except (ValueError, TypeError) as err:
                raise ValueError(f"{message}including element {single} of type "
                                 f"{type(single)}") from err
        values = tuple(int(v) for v in values)
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        raise ValueError(f"{message}, including values {bad} that do not satisfy "
                         f"`value {'>= 0' if allow_zero else '> 0'}`")
    return values


def check_strictly_positive(value, name):
    """Keras's error for a count (`filters`, `depth_multiplier`) below 1; None passes."""
    if value is not None and value <= 0:
        raise ValueError(f"Invalid value for argument `{name}`. Expected a strictly "
                         f"positive value. Received {name}={value}.")


def standardize_padding(value, allow_causal=False):
    """"valid", "same" (or "causal"), any case, as lower case."""
    allowed = {"valid", "same", "causal"} if allow_causal else {"valid", "same"}
    padding = str(value).lower()
    if padding not in allowed:
        raise ValueError(f"The `padding` argument must be a list/tuple or one of {allowed}. "
                         f"Received: {padding}")
    return padding


def channels_last(x):
    """A channels-first tensor with its channels moved last."""
    return tf.transpose(x, [0] + list(range(2, x.shape.rank)) + [1])


def channels_first(x):
    """A channels-last tensor with its channels moved to axis 1."""
    rank = x.shape.rank
    return tf.transpose(x, [0, rank - 1] + list(range(1, rank - 1)))


def spatial_shape(input_shape, data_format):
    """The spatial sizes of `input_shape` and its channel count."""
    if data_format == "channels_last":
        return tuple(input_shape[1:-1]), input_shape[-1]
    return tuple(input_shape[2:]), input_shape[1]


def with_spatial_shape(input_shape, spatial, channels, data_format):
    """An output shape: the batch size of `input_shape`, `spatial` and `channels`."""
    if data_format == "channels_last":
        return (input_shape[0],) + tuple(spatial) + (channels,)
    return (input_shape[0], channels) + tuple(spatial)


def conv_output_length(size, kernel, stride, padding, dilation=1):
    """The output size of a convolution or pooling window along one dimension (None stays
    None)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - (kernel - 1) * dilation - 1) // stride + 1
    return (size - 1) // stride + 1


def transpose_output_length(size, kernel, stride, padding, output_padding, dilation):
    """The output size of a transposed convolution along one dimension, as Keras sets it."""
    if size is None:
        return None
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if output_padding is None else output_padding
        return (size - 1) * stride + kernel + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + output_padding


def as_numpy_text(values):
    """`[1 1]`: a shape or tuple as Keras's error messages print it (a NumPy array)."""
    return "[" + " ".join(str(v) for v in values) + "]"
