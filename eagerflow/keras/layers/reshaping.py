"""Layers that only change shapes: `Flatten`, `Reshape`, `Permute`, `RepeatVector`, and the
spatial ones `ZeroPadding1D/2D/3D`, `Cropping1D/2D/3D`, `UpSampling1D/2D/3D`."""

import math

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.layers.convolutional.arguments import (
    channels_first, channels_last, standardize_data_format, standardize_tuple)
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer


class Flatten(Layer):
    """Flattens each example to one dimension (the batch dimension is kept).

    >>> from eagerflow import keras
    >>> keras.layers.Flatten()(tf.ones((2, 3, 4))).shape.as_list()
    [2, 12]
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or backend.image_data_format()

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.shape.rank > 2:
            inputs = tf.transpose(inputs, [0] + list(range(2, inputs.shape.rank)) + [1])
        size = int(np.prod(tuple(inputs.shape)[1:], dtype=np.int64))
        return tf.reshape(inputs, (inputs.shape[0], size))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each example to `target_shape` (one entry may be -1).

    >>> from eagerflow import keras
    >>> keras.layers.Reshape((3, 4))(tf.ones((2, 12))).shape.as_list()
    [2, 3, 4]
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        if sum(1 for d in self.target_shape if d == -1) > 1:
            raise ValueError(f"There must be at most one unknown dimension (-1) in "
                             f"target_shape. Received: target_shape={self.target_shape}")
        self.built = True

    def call(self, inputs):
        target = _resolved_target_shape(tuple(inputs.shape)[1:], self.target_shape)
        return tf.reshape(inputs, (inputs.shape[0],) + tuple(
            -1 if d is None else d for d in target))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + _resolved_target_shape(tuple(input_shape[1:]),
                                                          self.target_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}


def _resolved_target_shape(input_shape, target_shape):
    """`target_shape` with its -1 worked out (None when the input's size is unknown);
    a ValueError, in Keras's words, when the sizes cannot match."""
    if None in input_shape:
        return tuple(None if d == -1 else d for d in target_shape)
    input_size = math.prod(input_shape)
    if -1 not in target_shape:
        if input_size != math.prod(target_shape):
            raise ValueError(f"The total size of the tensor must be unchanged. Received: "
                             f"input_shape={input_shape}, target_shape={target_shape}")
        return target_shape
    known_size = math.prod(d for d in target_shape if d != -1)
    if known_size == 0 or input_size % known_size:
        raise ValueError(f"The total size of the tensor must be unchanged, however, the input "
                         f"size cannot by divided by the specified dimensions in target_shape. "
                         f"Received: input_shape={input_shape}, target_shape={target_shape}")
    return tuple(input_size // known_size if d == -1 else d for d in target_shape)


class Permute(Layer):
    """Permutes the non-batch dimensions: `dims` lists them (counted from 1) in their new
    order.

    >>> from eagerflow import keras
    >>> keras.layers.Permute((2, 1))(tf.ones((2, 3, 4))).shape.as_list()
    [2, 4, 3]
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(f"Invalid permutation argument `dims` for Permute Layer. The set "
                             f"of indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={dims}")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return tf.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}


def _positive_int(value, name):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"Expected an integer value for `{name}`, got {type(value)}.")
    if value <= 0:
        raise ValueError(f"Argument `{name}` should be a positive integer. Received: "
                         f"{name}={value}")
    return value


class RepeatVector(Layer):
    """Repeats a (batch, features) input `n` times: (batch, n, features).

    >>> from eagerflow import keras
    >>> keras.layers.RepeatVector(3)(tf.ones((2, 4))).shape.as_list()
    [2, 3, 4]
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = _positive_int(n, "n")
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return tf.repeat(tf.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}


# --- spatial layers: padding, cropping, upsampling ----------------------------------------

_ORDINALS = ("1st", "2nd", "3rd")


def _pairs(value, n, name):
    """(before, after) pairs for `n` spatial dimensions, as Keras's 2-D and 3-D padding and
    cropping layers read them: an int, n ints (symmetric) or n pairs."""
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"`{name}` cannot be negative. Received: {name}={value}.")
        return ((value, value),) * n
    if not hasattr(value, "__len__"):
        raise ValueError(f"`{name}` should be either an int, a tuple of {n} ints or a tuple "
                         f"of {n} tuples of 2 ints. Received: {name}={value}.")
    if len(value) != n:
        raise ValueError(f"`{name}` should have {'two' if n == 2 else n} elements. "
                         f"Received: {name}={value}.")
    return tuple(standardize_tuple(entry, 2, f"{_ORDINALS[i]} entry of {name}",
                                   allow_zero=True) for i, entry in enumerate(value))


class _Spatial(Layer):
    """A layer acting on the `rank` spatial dimensions of channels-last or channels-first
    inputs."""

    def __init__(self, rank, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _first_spatial_axis(self):
        return 1 if self.data_format == "channels_last" else 2

    def _map_spatial(self, shape, fn):
        """`shape` with each spatial size s (dimension i) replaced by fn(i, s)."""
        first = self._first_spatial_axis()
        return tuple(fn(i - first, d) if first <= i < first + self.rank else d
                     for i, d in enumerate(shape))


class _ZeroPadding(_Spatial):
    def __init__(self, rank, padding, data_format=None, **kwargs):
        super().__init__(rank, data_format, **kwargs)
        self.padding = (standardize_tuple(padding, 2, "padding", allow_zero=True)
                        if rank == 1 else _pairs(padding, rank, "padding"))

    def _pad_pairs(self):
        return (self.padding,) if self.rank == 1 else self.padding

    def call(self, inputs):
        pairs = self._pad_pairs()
        return tf.pad(inputs, self._map_spatial([(0, 0)] * inputs.shape.rank,
                                                lambda i, _: pairs[i]))

    def compute_output_shape(self, input_shape):
        pairs = self._pad_pairs()
        return self._map_spatial(input_shape, lambda i, d: None if d is None else
                                 d + sum(pairs[i]))

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    """Pads the steps of (batch, steps, features) inputs with zeros: `padding` is an int or
    a (before, after) pair.

    >>> from eagerflow import keras
    >>> keras.layers.ZeroPadding1D(2)(tf.ones((1, 3, 1))).numpy().ravel().tolist()
    [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(1, padding, data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Pads the height and width of images with zeros: `padding` is an int, (height,
    width) or ((top, bottom), (left, right)).

    >>> from eagerflow import keras
    >>> keras.layers.ZeroPadding2D(((1, 0), (2, 1)))(tf.ones((1, 2, 2, 3))).shape.as_list()
    [1, 3, 5, 3]
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(2, padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Pads the three spatial dimensions of volumes with zeros.

    >>> from eagerflow import keras
    >>> keras.layers.ZeroPadding3D(1)(tf.ones((1, 2, 2, 2, 3))).shape.as_list()
    [1, 4, 4, 4, 3]
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, padding, data_format, **kwargs)


class _Cropping(_Spatial):
    def __init__(self, rank, cropping, data_format=None, **kwargs):
        super().__init__(rank, data_format, **kwargs)
        self.cropping = (standardize_tuple(cropping, 2, "cropping", allow_zero=True)
                         if rank == 1 else _pairs(cropping, rank, "cropping"))

    def _crop_pairs(self):
        return (self.cropping,) if self.rank == 1 else self.cropping

    def compute_output_shape(self, input_shape):
        pairs = self._crop_pairs()

        def cropped(i, size):
            if size is None:
                return None
            if sum(pairs[i]) >= size:
                raise ValueError(f"Values in `cropping` argument should be smaller than the "
                                 f"corresponding spatial dimension of the input. Received: "
                                 f"input_shape={tuple(input_shape)}, "
                                 f"cropping={self.cropping}")
            return size - sum(pairs[i])
        return self._map_spatial(tuple(input_shape), cropped)

    def call(self, inputs):
        pairs = self._crop_pairs()
        self.compute_output_shape(tuple(inputs.shape))  # checks the crops fit
        index = self._map_spatial([slice(None)] * inputs.shape.rank, lambda i, _: slice(
            pairs[i][0], -pairs[i][1] if pairs[i][1] else None))
        return inputs[index]

    def get_config(self):
        config = {**super().get_config(), "cropping": self.cropping}
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class Cropping1D(_Cropping):
    """Crops the steps of (batch, steps, features) inputs: `cropping` is an int or a
    (start, end) pair of steps to remove.

    >>> from eagerflow import keras
    >>> keras.layers.Cropping1D((1, 2))(tf.reshape(tf.range(5.0), (1, 5, 1))).numpy().ravel().tolist()
    [1.0, 2.0]
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(1, cropping, "channels_last", **kwargs)


class Cropping2D(_Cropping):
    """Crops the height and width of images: `cropping` is an int, (height, width) or
    ((top, bottom), (left, right)).

    >>> from eagerflow import keras
    >>> keras.layers.Cropping2D(((1, 0), (1, 1)))(tf.ones((1, 4, 4, 3))).shape.as_list()
    [1, 3, 2, 3]
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format, **kwargs)


class Cropping3D(_Cropping):
    """Crops the three spatial dimensions of volumes.

    >>> from eagerflow import keras
    >>> keras.layers.Cropping3D(1)(tf.ones((1, 4, 4, 4, 3))).shape.as_list()
    [1, 2, 2, 2, 3]
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format, **kwargs)


class _UpSampling(_Spatial):
    def __init__(self, rank, size, data_format=None, interpolation="nearest", **kwargs):
        super().__init__(rank, data_format, **kwargs)
        self.size = standardize_tuple(size, rank, "size")
        self.interpolation = interpolation.lower()

    def call(self, inputs):
        first = self._first_spatial_axis()
        if self.interpolation == "nearest":
            for i, factor in enumerate(self.size):
                inputs = tf.repeat(inputs, factor, axis=first + i)
            return inputs
        # The other interpolations resample channels-last images, as Keras does.
        last = self.data_format == "channels_last"
        x = inputs if last else channels_last(inputs)
        x = tf.image.resize(x, (x.shape[1] * self.size[0], x.shape[2] * self.size[1]),
                            method=self.interpolation)
        return x if last else channels_first(x)

    def compute_output_shape(self, input_shape):
        return self._map_spatial(tuple(input_shape), lambda i, d: None if d is None else
                                 d * self.size[i])


class UpSampling1D(_UpSampling):
    """Repeats each step of (batch, steps, features) inputs `size` times.

    >>> from eagerflow import keras
    >>> keras.layers.UpSampling1D(2)(tf.constant([[[1.0], [2.0]]])).numpy().ravel().tolist()
    [1.0, 1.0, 2.0, 2.0]
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(1, _positive_int(size, "size"), "channels_last", **kwargs)

    def get_config(self):
        return {**super().get_config(), "size": self.size[0]}


class UpSampling2D(_UpSampling):
    """Upsamples images by `size` (rows, columns): "nearest" repeats pixels; "bilinear",
    "bicubic", "lanczos3" and "lanczos5" interpolate (as `tf.image.resize`).

    >>> from eagerflow import keras
    >>> keras.layers.UpSampling2D()(tf.ones((1, 2, 3, 1))).shape.as_list()
    [1, 4, 6, 1]
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(2, size, data_format, interpolation, **kwargs)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


class UpSampling3D(_UpSampling):
    """Repeats each voxel of volumes `size` times along each spatial dimension.

    >>> from eagerflow import keras
    >>> keras.layers.UpSampling3D()(tf.ones((1, 2, 2, 2, 1))).shape.as_list()
    [1, 4, 4, 4, 1]
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(3, size, data_format, **kwargs)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
