"""`keras.ops.image`: resizing, transforms, crops and pads, colour conversions, patches.

Batches or single images, channels last or first (`data_format`, default
`keras.config.image_data_format()`); the work is done by `tf.image` ops on channels-last
batches.

>>> from eagerflow.keras import ops
>>> ops.image.resize(tf.ones((1, 4, 4, 3)), (2, 2)).shape
TensorShape([1, 2, 2, 3])
"""

import itertools

import numpy as np

import eagerflow as tf
from eagerflow.keras.layers.convolutional.arguments import (
    channels_first, channels_last, standardize_data_format)
from eagerflow.keras.ops.dispatch import convert, keras_op, to_float
from eagerflow.keras.utils.image_utils import aspect_crop_box
from eagerflow.ops.image_ops import projective_transform

_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                   "gaussian", "mitchellcubic")


class _ChannelsLastBatch:
    """`images` as a channels-last batch, and the way back to the caller's layout."""

    def __init__(self, images, data_format, name="images"):
        images = convert(images)
        self.data_format = standardize_data_format(data_format)
        self.single = len(images.shape) == 3
        if len(images.shape) not in (3, 4):
            raise ValueError(f"Invalid images rank: expected rank 3 (single image) or rank 4 "
                             f"(batch of images). Received: {name}.shape="
                             f"{tuple(images.shape)}")
        if self.single:
            images = tf.expand_dims(images, 0)
        if self.data_format == "channels_first":
            images = channels_last(images)
        self.images = images

    def restore(self, images):
        if self.data_format == "channels_first":
            images = channels_first(images)
        return images[0] if self.single else images


@keras_op("image")
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"Invalid value for argument `interpolation`. Expected of one "
                         f"{_INTERPOLATIONS}. Received: interpolation={interpolation}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be "
                         "`True`.")
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers. Received: size={size}")
    batch = _ChannelsLastBatch(images, data_format)
    images = batch.images
    height, width = images.shape[1:3]
    target_height, target_width = size
    if crop_to_aspect_ratio:
        top, left, crop_height, crop_width = aspect_crop_box(height, width, target_height,
                                                             target_width)
        images = images[:, top:top + crop_height, left:left + crop_width]
    elif pad_to_aspect_ratio:
        pad_height = max(height, int(width * target_height / target_width))
        pad_width = max(width, int(height * target_width / target_height))
        top, left = (pad_height - height) // 2, (pad_width - width) // 2
        images = tf.pad(images, [[0, 0], [top, pad_height - height - top],
                                 [left, pad_width - width - left], [0, 0]],
                        constant_values=fill_value)
    dtype = images.dtype
    resized = tf.image.resize(to_float(images), size, method=interpolation, antialias=antialias)
    if dtype.is_integer:
        resized = tf.cast(tf.round(resized), dtype)
    return batch.restore(resized)


@keras_op("image", operands=2)
def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Applies projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]` (one, or one per
    image): output (x, y) reads input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)."""
    batch = _ChannelsLastBatch(images, data_format)
    transform = to_float(transform)
    if len(transform.shape) == 1:
        transform = tf.expand_dims(transform, 0)
    images = batch.images
    dtype = images.dtype
    result = projective_transform(to_float(images), transform, interpolation=interpolation,
                                  fill_mode=fill_mode, fill_value=fill_value)
    return batch.restore(tf.cast(result, dtype) if dtype != result.dtype else result)


def _box(total, start, end, target, names):
    """The (start, end) cut or pad along one axis from any two of start/end/target."""
    if start is None and end is None and target is None:
        raise ValueError(f"Must specify either {names[0]} / {names[1]} or {names[2]}")
    if target is None:
        return start or 0, end or 0
    if start is not None and end is not None:
        raise ValueError(f"Must specify only two of {names}")
    if start is None:
        return total - target - (end or 0) if target <= total else target - total - end, end
    return start, abs(total - target) - start


def _boxes(images, kind, top, left, bottom, right, target_height, target_width):
    """The image's height and width and the (top, bottom, left, right) `kind` ("cropping"
    or "padding") of a channels-last batch."""
    height, width = images.shape[1:3]
    top, bottom = _box(height, top, bottom, target_height,
                       (f"top_{kind}", f"bottom_{kind}", "target_height"))
    left, right = _box(width, left, right, target_width,
                       (f"left_{kind}", f"right_{kind}", "target_width"))
    return height, width, (top, bottom, left, right)


@keras_op("image")
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    batch = _ChannelsLastBatch(images, data_format)
    images = batch.images
    height, width, (top, bottom, left, right) = _boxes(
        images, "cropping", top_cropping, left_cropping, bottom_cropping, right_cropping,
        target_height, target_width)
    if top < 0 or bottom < 0 or left < 0 or right < 0 or top + bottom >= height \
            or left + right >= width:
        raise ValueError(f"The cropping values must leave part of the image and be "
                         f"non-negative. Received: top={top}, bottom={bottom}, left={left}, "
                         f"right={right} for an image of {height}x{width}")
    return batch.restore(images[:, top:height - bottom, left:width - right])


@keras_op("image")
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    batch = _ChannelsLastBatch(images, data_format)
    images = batch.images
    _, _, (top, bottom, left, right) = _boxes(
        images, "padding", top_padding, left_padding, bottom_padding, right_padding,
        target_height, target_width)
    if min(top, bottom, left, right) < 0:
        raise ValueError(f"The padding values must be non-negative. Received: top={top}, "
                         f"bottom={bottom}, left={left}, right={right}")
    return batch.restore(tf.pad(images, [[0, 0], [top, bottom], [left, right], [0, 0]]))


@keras_op("image")
def rgb_to_grayscale(images, data_format=None):
    batch = _ChannelsLastBatch(images, data_format)
    images = batch.images
    dtype = images.dtype
    gray = tf.image.rgb_to_grayscale(to_float(images))
    return batch.restore(tf.cast(gray, dtype) if dtype != gray.dtype else gray)


@keras_op("image")
def rgb_to_hsv(images, data_format=None):
    batch = _ChannelsLastBatch(images, data_format)
    return batch.restore(tf.image.rgb_to_hsv(to_float(batch.images)))


@keras_op("image")
def hsv_to_rgb(images, data_format=None):
    batch = _ChannelsLastBatch(images, data_format)
    return batch.restore(tf.image.hsv_to_rgb(to_float(batch.images)))


@keras_op("image")
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    """Patches of `size` as channels: (batch, rows, cols, size_h * size_w * channels), each
    patch flattened row by row with channels innermost, as tf.image.extract_patches."""
    from eagerflow.keras.ops.nn import conv
    size = (size, size) if isinstance(size, int) else tuple(size)
    strides = size if strides is None else strides
    batch = _ChannelsLastBatch(images, data_format)
    images = batch.images
    channels = images.shape[-1]
    # A convolution with one-hot kernels copies each patch element into its own channel.
    count = size[0] * size[1] * channels
    kernel = tf.reshape(tf.eye(count, dtype=images.dtype if images.dtype.is_floating
                               else "float32"), (size[0], size[1], channels, count))
    patches = conv(to_float(images), kernel, strides=strides, padding=padding,
                   data_format="channels_last", dilation_rate=dilation_rate)
    return batch.restore(patches)


@keras_op("image", operands=2)
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """`inputs` sampled at `coordinates` (one array per input axis) by nearest (order 0)
    or linear (order 1) interpolation, SciPy's `map_coordinates`."""
    inputs = convert(inputs)
    coordinates = [to_float(c) for c in (coordinates if isinstance(coordinates, (list, tuple))
                                         else tf.unstack(convert(coordinates)))]
    if len(coordinates) != len(inputs.shape):
        raise ValueError(f"First dim of `coordinates` must be the same as the rank of "
                         f"`inputs`. Received inputs with shape: {tuple(inputs.shape)} and "
                         f"coordinate leading dim of {len(coordinates)}")
    if order not in (0, 1):
        raise NotImplementedError(f"map_coordinates supports order 0 and 1. Received: "
                                  f"order={order}")
    if fill_mode not in ("constant", "nearest", "wrap", "mirror", "reflect"):
        raise ValueError(f"Invalid value for argument `fill_mode`. Received: "
                         f"fill_mode={fill_mode}")
    sizes = inputs.shape
    if order == 0:
        corners = [[(tf.floor(c + 0.5), None)] for c in coordinates]
    else:
        corners = []
        for c in coordinates:
            low = tf.floor(c)
            corners.append([(low, 1.0 - (c - low)), (low + 1.0, c - low)])
    values = to_float(inputs)
    result = None
    for combination in itertools.product(*corners):
        index, inside, weight = [], None, None
        for (position, w), size in zip(combination, sizes):
            ok = tf.logical_and(position >= 0, position <= size - 1)
            inside = ok if inside is None else tf.logical_and(inside, ok)
            position = _fold(position, size, fill_mode)
            index.append(tf.cast(tf.clip_by_value(position, 0.0, size - 1.0), tf.int32))
            if w is not None:
                weight = w if weight is None else weight * w
        sample = tf.gather_nd(values, tf.stack(index, -1))
        if fill_mode == "constant":
            sample = tf.where(inside, sample, tf.cast(fill_value, sample.dtype))
        term = sample if weight is None else sample * weight
        result = term if result is None else result + term
    return tf.cast(result, inputs.dtype) if inputs.dtype != result.dtype else result


def _fold(position, size, fill_mode):
    if fill_mode == "wrap":
        return tf.math.floormod(position, float(size))
    if fill_mode in ("mirror", "reflect") and size > 1:
        if fill_mode == "mirror":
            period = 2.0 * (size - 1)
            folded = tf.math.floormod(position, period)
            return tf.minimum(folded, period - folded)
        period = 2.0 * size
        folded = tf.math.floormod(position, period)
        return tf.where(folded >= size, period - 1.0 - folded, folded)
    return position


def _gaussian_kernel(size, sigma, dtype):
    x = tf.cast(tf.range(size), dtype) - (size - 1) / 2.0
    weights = tf.exp(-tf.square(x) / (2.0 * sigma * sigma))
    return weights / tf.reduce_sum(weights)


@keras_op("image")
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    from eagerflow.keras.ops.nn import depthwise_conv
    batch = _ChannelsLastBatch(images, data_format)
    images = to_float(batch.images)
    channels = images.shape[-1]
    first = _gaussian_kernel(kernel_size[0], sigma[0], images.dtype)
    second = _gaussian_kernel(kernel_size[1], sigma[1], images.dtype)
    # Keras takes the outer product (second, first) and reshapes it, not transposes it, to
    # `kernel_size`: the same for equal sizes and sigmas, not otherwise.
    kernel = tf.reshape(second[:, None] * first[None, :], tuple(kernel_size) + (1, 1))
    kernel = tf.tile(kernel, (1, 1, channels, 1))
    return batch.restore(depthwise_conv(images, kernel, padding="same",
                                        data_format="channels_last"))


@keras_op("image")
def sobel_edges(images, data_format=None):
    """Sobel gradients (dy, dx) of each channel: (..., channels, 2), edges padded by
    reflection, as tf.image.sobel_edges computes them."""
    from eagerflow.keras.ops.nn import depthwise_conv
    batch = _ChannelsLastBatch(images, data_format)
    images = to_float(batch.images)
    channels = images.shape[-1]
    dy = tf.constant([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]], images.dtype)
    padded = tf.pad(images, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    results = []
    for kernel in (dy, tf.transpose(dy)):
        kernel = tf.tile(kernel[:, :, None, None], (1, 1, channels, 1))
        results.append(depthwise_conv(padded, kernel, data_format="channels_last"))
    edges = tf.stack(results, -1)
    return edges[0] if batch.single else edges


@keras_op("image")
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Patches of `size` (3 ints) of a (batch, depth, height, width, channels) volume as
    channels: (batch, d, h, w, size_d * size_h * size_w * channels)."""
    from eagerflow.keras.ops.nn import conv
    size = (size,) * 3 if isinstance(size, int) else tuple(size)
    strides = size if strides is None else strides
    volumes = to_float(volumes)
    data_format = standardize_data_format(data_format)
    single = len(volumes.shape) == 4
    if single:
        volumes = tf.expand_dims(volumes, 0)
    if len(volumes.shape) != 5:
        raise ValueError(f"extract_patches_3d requires 4D or 5D input. Received: "
                         f"volumes.shape={tuple(volumes.shape)}")
    if data_format == "channels_first":
        volumes = channels_last(volumes)
    channels = volumes.shape[-1]
    count = size[0] * size[1] * size[2] * channels
    kernel = tf.reshape(tf.eye(count, dtype=volumes.dtype), size + (channels, count))
    patches = conv(volumes, kernel, strides=strides, padding=padding,
                   data_format="channels_last", dilation_rate=dilation_rate)
    if data_format == "channels_first":
        patches = channels_first(patches)
    return patches[0] if single else patches


@keras_op("image", operands=3)
def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    """Warps images so that each `start_points` corner (x, y) lands on the matching
    `end_points` corner: the homography from the four point pairs, solved per image."""
    batch = _ChannelsLastBatch(images, data_format)
    start = to_float(start_points)
    end = convert(end_points, start.dtype.name)
    if len(start.shape) == 2:
        start, end = tf.expand_dims(start, 0), tf.expand_dims(end, 0)
    if tuple(start.shape[-2:]) != (4, 2) or tuple(end.shape[-2:]) != (4, 2):
        raise ValueError(f"`start_points` and `end_points` must be of shape (N, 4, 2) or "
                         f"(4, 2). Received: start_points.shape={tuple(start.shape)}, "
                         f"end_points.shape={tuple(end.shape)}")
    # Output pixel (x, y) reads input (X, Y) = ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k),
    # k = c0 x + c1 y + 1: two linear equations in the 8 coefficients per point pair.
    x, y = end[..., 0], end[..., 1]
    source_x, source_y = start[..., 0], start[..., 1]
    ones, zeros = tf.ones_like(x), tf.zeros_like(x)
    rows_x = tf.stack([x, y, ones, zeros, zeros, zeros, -x * source_x, -y * source_x], -1)
    rows_y = tf.stack([zeros, zeros, zeros, x, y, ones, -x * source_y, -y * source_y], -1)
    matrix = tf.concat([rows_x, rows_y], 1)  # (N, 8, 8)
    rhs = tf.expand_dims(tf.concat([source_x, source_y], 1), -1)
    transforms = tf.squeeze(tf.linalg.solve(matrix, rhs), -1)
    images = batch.images
    dtype = images.dtype
    if transforms.shape[0] == 1 and images.shape[0] > 1:
        transforms = tf.tile(transforms, (images.shape[0], 1))
    result = projective_transform(to_float(images), transforms, interpolation=interpolation,
                                  fill_mode="constant", fill_value=fill_value)
    return batch.restore(tf.cast(result, dtype) if dtype != result.dtype else result)


@keras_op("image", operands=2)
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """The structural similarity of two image batches, one value per image: luminance and
    contrast-structure terms over Gaussian windows (valid positions), averaged."""
    from eagerflow.keras.ops.nn import depthwise_conv
    first = _ChannelsLastBatch(image1, data_format, "image1")
    second = _ChannelsLastBatch(image2, data_format, "image2")
    x, y = to_float(first.images), to_float(second.images)
    channels = x.shape[-1]
    weights = _gaussian_kernel(filter_size, filter_sigma, x.dtype)
    kernel = tf.tile((weights[:, None] * weights[None, :])[:, :, None, None],
                     (1, 1, channels, 1))

    def local_mean(values):
        return depthwise_conv(values, kernel, padding="valid", data_format="channels_last")
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mean_x, mean_y = local_mean(x), local_mean(y)
    product_of_means = 2.0 * mean_x * mean_y
    luminance = (product_of_means + c1) / (tf.square(mean_x) + tf.square(mean_y) + c1)
    structure = ((2.0 * local_mean(x * y) - product_of_means + c2)
                 / (local_mean(tf.square(x) + tf.square(y))
                    - tf.square(mean_x) - tf.square(mean_y) + c2))
    result = tf.reduce_mean(luminance * structure, axis=[1, 2, 3])
    return result[0] if first.single else result


@keras_op("image")
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Elastic distortion (Simard et al. 2003): each pixel reads from a point moved by a
    random field, uniform in [-1, 1], smoothed by a Gaussian of `sigma` and scaled by
    `alpha`; the same field for every channel of an image. The field comes from
    `keras.random` with `seed`, so it differs from Keras's own draws."""
    from eagerflow.keras import random
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Invalid value for argument `interpolation`. Expected of one "
                         f"{{'nearest', 'bilinear'}}. Received: interpolation={interpolation}")
    batch = _ChannelsLastBatch(images, data_format)
    images = batch.images
    count, height, width, channels = images.shape
    dtype = images.dtype if images.dtype.is_floating else tf.float32
    size = 2 * int(round(3 * sigma)) + 1
    fields = random.uniform((2 * count, height, width, 1), -1.0, 1.0, dtype=dtype.name,
                            seed=seed)
    fields = gaussian_blur(fields, (size, size), (sigma, sigma),
                           data_format="channels_last") * alpha
    dy, dx = fields[:count, ..., 0], fields[count:, ..., 0]
    grid_y = tf.cast(tf.range(height), dtype)[None, :, None]
    grid_x = tf.cast(tf.range(width), dtype)[None, None, :]
    shape = (count, height, width, channels)
    coordinates = [tf.broadcast_to(tf.cast(tf.range(count), dtype)[:, None, None, None], shape),
                   tf.broadcast_to(tf.expand_dims(grid_y + dy, -1), shape),
                   tf.broadcast_to(tf.expand_dims(grid_x + dx, -1), shape),
                   tf.broadcast_to(tf.cast(tf.range(channels), dtype), shape)]
    order = 1 if interpolation == "bilinear" else 0
    warped = map_coordinates(images, coordinates, order, fill_mode=fill_mode,
                             fill_value=fill_value)
    return batch.restore(warped)


def _triangle_kernel(x):
    return tf.maximum(0.0, 1.0 - tf.abs(x))


def _keys_cubic_kernel(x):
    x = tf.abs(x)
    inner = (1.5 * x - 2.5) * x * x + 1.0
    outer = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return tf.where(x < 1.0, inner, tf.where(x < 2.0, outer, tf.zeros_like(x)))


def _lanczos_kernel(radius):
    def kernel(x):
        def sinc(v):
            safe = tf.where(tf.equal(v, 0.0), tf.ones_like(v), v)
            return tf.where(tf.equal(v, 0.0), tf.ones_like(v),
                            tf.sin(_PI * safe) / (_PI * safe))
        return tf.where(tf.abs(x) < radius, sinc(x) * sinc(x / radius), tf.zeros_like(x))
    return kernel


_PI = 3.141592653589793
_SCALE_KERNELS = {
    "linear": _triangle_kernel, "bilinear": _triangle_kernel, "trilinear": _triangle_kernel,
    "cubic": _keys_cubic_kernel, "bicubic": _keys_cubic_kernel,
    "tricubic": _keys_cubic_kernel, "lanczos3": _lanczos_kernel(3.0),
    "lanczos5": _lanczos_kernel(5.0),
}


def _scale_weights(in_size, out_size, scale, translation, kernel, antialias, dtype):
    """The (in_size, out_size) matrix mapping one axis of the input to the output: output
    sample i sits at input coordinate (i + 0.5 - translation) / scale - 0.5."""
    inverse = 1.0 / scale
    kernel_scale = tf.maximum(inverse, 1.0) if antialias else tf.ones_like(inverse)
    sample = (tf.cast(tf.range(out_size), dtype) + 0.5) * inverse - translation * inverse - 0.5
    distance = tf.abs(sample[None, :] - tf.cast(tf.range(in_size), dtype)[:, None])
    weights = kernel(distance / kernel_scale)
    total = tf.reduce_sum(weights, 0, keepdims=True)
    usable = tf.abs(total) > 1000.0 * float(np.finfo(dtype.as_numpy_dtype).eps)
    weights = tf.where(usable, weights / tf.where(usable, total, tf.ones_like(total)), 0.0)
    inside = tf.logical_and(sample >= -0.5, sample <= in_size - 0.5)
    return tf.where(inside[None, :], weights, tf.zeros_like(weights))


@keras_op("image", operands=4)
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resamples `images` along `spatial_dims` to `output_shape`, each output coordinate
    mapped back through `scale` and `translation` (JAX's `scale_and_translate`), with a
    linear, cubic or Lanczos kernel widened by 1 / scale when downsampling with
    `antialias`."""
    if method not in _SCALE_KERNELS:
        raise ValueError(f"Invalid value for argument `method`. Expected one of "
                         f"{sorted(_SCALE_KERNELS)}. Received: method={method}")
    images = to_float(images)
    dtype = images.dtype
    scale = convert(scale, dtype.name)
    translation = convert(translation, dtype.name)
    result = images
    for index, axis in enumerate(spatial_dims):
        matrix = _scale_weights(images.shape[axis], output_shape[axis], scale[index],
                                translation[index], _SCALE_KERNELS[method], antialias, dtype)
        result = tf.tensordot(result, matrix, [[axis], [0]])
        rank = len(result.shape)
        result = tf.transpose(result, list(range(axis)) + [rank - 1] + list(range(axis,
                                                                                   rank - 1)))
    return result
