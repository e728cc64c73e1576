"""Image preprocessing layers that always apply: `Rescaling`, `Resizing`, `CenterCrop`;
and the base of the image layers (data format, batching, config)."""

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.utils.image_utils import aspect_crop_box

_RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


def _check_image_rank(images):
    if images.shape.rank not in (3, 4):
        raise ValueError(f"Invalid images rank: expected rank 3 (single image) or rank 4 "
                         f"(batch of images). Received input with shape: "
                         f"images.shape={tuple(images.shape)}")


class BaseImageLayer(Layer):
    """A layer on images `(height, width, channels)` or batches of them, in either data
    format: `call` hands `transform` a channels-last batch and restores the input's form."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)

    def call(self, inputs, training=True):
        if isinstance(inputs, dict):
            raise NotImplementedError(f"{type(self).__name__} in eagerflow takes image "
                                      f"tensors; dicts of images with labels, bounding boxes "
                                      f"or segmentation masks are not supported.")
        _check_image_rank(inputs)
        images = inputs
        single = images.shape.rank == 3
        if single:
            images = tf.expand_dims(images, 0)
        if self.data_format == "channels_first":
            images = tf.transpose(images, (0, 2, 3, 1))
        images = self.transform(images, training=training)
        if self.data_format == "channels_first":
            images = tf.transpose(images, (0, 3, 1, 2))
        return tf.squeeze(images, [0]) if single else images

    def transform(self, images, training=True):
        """The layer's work on a channels-last batch `(batch, height, width, channels)`."""
        raise NotImplementedError

    def _spatial_axes(self, rank):
        """The height and width axes of inputs of `rank`."""
        return (rank - 2, rank - 1) if self.data_format == "channels_first" else (rank - 3,
                                                                                 rank - 2)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class FixedSizeImageLayer(BaseImageLayer):
    """An image layer whose outputs are `height` x `width`."""

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if len(shape) not in (3, 4):
            raise ValueError("`input_shape` must be a non-nested tuple or list of rank-1 with "
                             "size 3 (unbatched) or 4 (batched). ")
        height_axis, width_axis = self._spatial_axes(len(shape))
        shape[height_axis], shape[width_axis] = self.height, self.width
        return tuple(shape)


def crop_to_aspect_ratio(images, height, width):
    """The largest central window of a channels-last batch with the aspect ratio
    `height / width` (Keras's `smart_resize` crop)."""
    top, left, crop_height, crop_width = aspect_crop_box(images.shape[1], images.shape[2],
                                                         height, width)
    return images[:, top:top + crop_height, left:left + crop_width, :]


def pad_to_aspect_ratio(images, height, width, fill_value):
    """A channels-last batch padded equally on both sides with `fill_value` towards the
    aspect ratio `height / width` (as Keras pads)."""
    in_height, in_width = images.shape[1], images.shape[2]
    pad_height = max(in_height, int(float(in_width * height) / width))
    pad_width = max(in_width, int(float(in_height * width) / height))
    top = int(float(pad_height - in_height) / 2)
    left = int(float(pad_width - in_width) / 2)
    if top == 0 and left == 0:
        return images
    return tf.pad(images, [[0, 0], [top, top], [left, left], [0, 0]],
                  constant_values=tf.cast(fill_value, images.dtype))


def resize_images(images, height, width, interpolation="bilinear", antialias=False,
                  crop_to_aspect=False, pad_to_aspect=False, fill_mode="constant",
                  fill_value=0.0):
    """`keras.ops.image.resize` on a channels-last batch."""
    if interpolation not in _RESIZE_INTERPOLATIONS:
        raise ValueError(f"Invalid value for argument `interpolation`. Expected of one "
                         f"{_RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation}")
    if fill_mode != "constant":
        raise ValueError(f"Invalid value for argument `fill_mode`. Only `'constant'` is "
                         f"supported. Received: fill_mode={fill_mode}")
    if crop_to_aspect and pad_to_aspect:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be "
                         "`True`.")
    if crop_to_aspect:
        images = crop_to_aspect_ratio(images, height, width)
    elif pad_to_aspect:
        images = pad_to_aspect_ratio(images, height, width, fill_value)
    return tf.image.resize(images, (height, width), method=interpolation, antialias=antialias)


class Rescaling(Layer):
    """Rescales inputs to `inputs * scale + offset`, in the layer's dtype.

    To map [0, 255] images to [0, 1] use `scale=1. / 255`; to [-1, 1], `scale=1. / 127.5`
    and `offset=-1`. `scale` and `offset` may also be per-channel lists.

    >>> from eagerflow import keras
    >>> keras.layers.Rescaling(1 / 255)(tf.constant([[0, 255]], tf.uint8)).numpy().tolist()
    [[0.0, 1.0]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = tf.cast(self.scale, dtype)
        offset = tf.cast(self.offset, dtype)
        if scale.shape.rank and backend.image_data_format() == "channels_first":
            scale = tf.reshape(scale, tuple(scale.shape) + (1,) * (3 - scale.shape.rank))
        return tf.cast(inputs, dtype) * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class Resizing(FixedSizeImageLayer):
    """Resizes images to `height` x `width` with `tf.image.resize`.

    Integer images stay integers (rounded and clipped to the dtype); with
    `crop_to_aspect_ratio` the largest central window of the target aspect ratio is
    resized (no distortion), with `pad_to_aspect_ratio` the images are first padded with
    `fill_value` to it.

    >>> from eagerflow import keras
    >>> keras.layers.Resizing(2, 3)(tf.ones((1, 4, 4, 3))).shape.as_list()
    [1, 2, 3, 3]

    Args:
      height, width: the output size.
      interpolation: "bilinear", "nearest", "bicubic", "area", "lanczos3" or "lanczos5".
      crop_to_aspect_ratio, pad_to_aspect_ratio: keep the aspect ratio by cropping, or by
        padding (at most one of them).
      fill_mode: "constant" (the only mode); fill_value: the padding value.
      antialias: whether to filter against aliasing when downsampling.
      data_format: "channels_last" or "channels_first".
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def transform(self, images, training=True):
        resized = resize_images(images, self.height, self.width, self.interpolation,
                                self.antialias, self.crop_to_aspect_ratio,
                                self.pad_to_aspect_ratio, self.fill_mode, self.fill_value)
        if resized.dtype == images.dtype:
            return resized
        if images.dtype.is_integer:
            resized = tf.round(resized)
            low, high = images.dtype.min, images.dtype.max
            resized = tf.clip_by_value(resized, float(low), float(high))
        return tf.cast(resized, images.dtype)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}


class CenterCrop(FixedSizeImageLayer):
    """Crops the central `height` x `width` window of images; images smaller than that
    are first cropped to the target aspect ratio and resized (bilinear) to it.

    >>> from eagerflow import keras
    >>> y = keras.layers.CenterCrop(1, 2)(tf.reshape(tf.range(9.0), (3, 3, 1)))
    >>> y[..., 0].numpy().tolist()
    [[3.0, 4.0]]
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def transform(self, images, training=True):
        images = tf.cast(images, self.compute_dtype)
        in_height, in_width = images.shape[1], images.shape[2]
        if in_height >= self.height and in_width >= self.width:
            top, left = (in_height - self.height) // 2, (in_width - self.width) // 2
            return images[:, top:top + self.height, left:left + self.width, :]
        return resize_images(images, self.height, self.width, crop_to_aspect=True)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
