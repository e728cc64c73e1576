"""Image resizing (`tf.image.resize`, `resize_with_pad`) with TensorFlow 2's sampling.

Each method resamples height and width separably through fixed interpolation matrices
built in NumPy from the sizes alone (static work, cached), so resizing is two matrix
products and differentiable to any order.
"""

import functools
import math

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.tensor import Tensor
from eagerflow.ops import array_ops, indexing_ops, linalg_ops, math_ops
from eagerflow.ops.image_ops import as_batch, as_image, pad_to_bounding_box


class ResizeMethod:
    """The interpolation methods of `tf.image.resize`."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def size_pair(size, argument="size"):
    """`size` as `(height, width)` Python ints."""
    values = size.numpy().tolist() if isinstance(size, Tensor) else list(size)
    if len(values) != 2:
        raise ValueError(f"'{argument}' must be a 1-D Tensor of 2 elements: "
                         f"new_height, new_width")
    return int(values[0]), int(values[1])


# --- resize: interpolation matrices ---------------------------------------------------------
# Each method resamples height and width separably: out = M_h @ image @ M_w^T, where row i of
# an (out, in) matrix holds the weights that output pixel i takes from the input pixels.
# The positions are computed in float32, as TensorFlow's kernels compute them.

def _half_pixel_positions(in_size, out_size):
    scale = np.float32(in_size) / np.float32(out_size)
    return (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5)


def _matrix_from_taps(in_size, indices, weights):
    matrix = np.zeros((indices.shape[0], in_size), np.float32)
    rows = np.broadcast_to(np.arange(indices.shape[0])[:, None], indices.shape)
    np.add.at(matrix, (rows, indices), weights.astype(np.float32))
    return matrix


def _bilinear_matrix(in_size, out_size):
    position = _half_pixel_positions(in_size, out_size)
    floor = np.floor(position)
    lower = np.maximum(floor, 0).astype(np.int64)
    upper = np.minimum(np.ceil(position), in_size - 1).astype(np.int64)
    lerp = position - floor
    return _matrix_from_taps(in_size, np.stack([lower, upper], 1),
                             np.stack([np.float32(1) - lerp, lerp], 1))


_CUBIC_TABLE_SIZE = 1024


def _keys_cubic_table():
    """TensorFlow's ResizeBicubic samples Keys' cubic (a = -0.5) at 1/1024 steps: column 0
    holds the weights at distances t, column 1 at distances 1 + t."""
    a = -0.5
    t = (np.arange(_CUBIC_TABLE_SIZE + 1) / _CUBIC_TABLE_SIZE).astype(np.float32).astype(
        np.float64)
    near = ((a + 2) * t - (a + 3)) * t * t + 1
    far_t = t + 1
    far = ((a * far_t - 5 * a) * far_t + 8 * a) * far_t - 4 * a
    return np.stack([near, far], 1).astype(np.float32)


def _bicubic_matrix(in_size, out_size):
    position = _half_pixel_positions(in_size, out_size)
    floor = np.floor(position)
    offset = np.rint((position - floor) * np.float32(_CUBIC_TABLE_SIZE)).astype(np.int64)
    table = _keys_cubic_table()
    weights = np.stack([table[offset, 1], table[offset, 0],
                        table[_CUBIC_TABLE_SIZE - offset, 0],
                        table[_CUBIC_TABLE_SIZE - offset, 1]], 1)
    wanted = floor.astype(np.int64)[:, None] + np.arange(-1, 3)
    indices = np.clip(wanted, 0, in_size - 1)
    # Taps outside the image get no weight; the rest are renormalized to sum to one.
    weights = np.where(indices == wanted, weights, np.float32(0))
    total = weights.sum(axis=1, dtype=np.float32, keepdims=True)
    weights = weights * (np.float32(1) / total)
    return _matrix_from_taps(in_size, indices, weights)


def _area_matrix(in_size, out_size):
    """Each output pixel averages the input pixels it covers, by the overlap of each."""
    scale = np.float32(in_size) / np.float32(out_size)
    start = np.arange(out_size, dtype=np.float32) * scale
    end = np.arange(1, out_size + 1, dtype=np.float32) * scale
    span = int(math.ceil(float(scale))) + 1
    cells = np.floor(start).astype(np.int64)[:, None] + np.arange(span)
    overlap = (np.minimum(cells + 1, end[:, None]) - np.maximum(cells, start[:, None]))
    overlap = np.where(cells < np.ceil(end)[:, None], np.maximum(overlap, 0), 0)
    return _matrix_from_taps(in_size, np.minimum(cells, in_size - 1),
                             overlap.astype(np.float32) / scale)


def _triangle(x):
    return np.maximum(1 - x, 0)


def _keys_cubic(x):
    return np.where(x >= 2, 0, np.where(x >= 1, ((-0.5 * x + 2.5) * x - 4) * x + 2,
                                        (1.5 * x - 2.5) * x * x + 1))


def _mitchell_cubic(x):
    return np.where(x >= 2, 0, np.where(
        x >= 1, ((-7 / 18 * x + 2) * x - 10 / 3) * x + 16 / 9, (7 / 6 * x - 2) * x * x + 8 / 9))


def _lanczos(radius):
    def kernel(x):
        px = np.pi * x
        with np.errstate(divide="ignore", invalid="ignore"):
            value = radius * np.sin(px) * np.sin(px / radius) / (px * px)
        return np.where(x > radius, 0, np.where(px < 1e-3, 1, value))
    return kernel


def _gaussian(x):
    radius, sigma = 1.5, 0.5
    return np.where(x >= radius, 0, np.exp(-x * x / (2 * sigma * sigma)))


# kernel, radius: the filters of TensorFlow's ScaleAndTranslate.
_KERNELS = {"triangle": (_triangle, 1.0), "keyscubic": (_keys_cubic, 2.0),
            "mitchellcubic": (_mitchell_cubic, 2.0), "lanczos3": (_lanczos(3), 3.0),
            "lanczos5": (_lanczos(5), 5.0), "gaussian": (_gaussian, 1.5)}


def _kernel_matrix(in_size, out_size, kernel_name, antialias):
    """Sampling with a filter kernel centred on each output pixel; when shrinking with
    `antialias`, the kernel widens by the shrink factor so every input pixel counts."""
    kernel, radius = _KERNELS[kernel_name]
    inv_scale = np.float32(1) / (np.float32(out_size) / np.float32(in_size))
    kernel_scale = max(inv_scale, np.float32(1)) if antialias else np.float32(1)
    sample = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * inv_scale
    reach = np.float32(radius) * kernel_scale
    first = np.clip(np.ceil(sample - reach - np.float32(0.5)), 0, in_size - 1).astype(np.int64)
    last = np.clip(np.floor(sample + reach - np.float32(0.5)), 0, in_size - 1).astype(np.int64)
    span = int((last - first).max()) + 1
    sources = first[:, None] + np.arange(span)
    distance = np.abs((sources.astype(np.float32) + np.float32(0.5) - sample[:, None])
                      / kernel_scale)
    weights = np.where(sources <= last[:, None], kernel(distance.astype(np.float64)), 0)
    weights = weights.astype(np.float32)
    total = weights.sum(axis=1, dtype=np.float32, keepdims=True)
    normalize = np.abs(total) >= 1000 * np.finfo(np.float32).tiny
    weights = np.where(normalize, weights * (np.float32(1) / np.where(normalize, total, 1)),
                       weights)
    return _matrix_from_taps(in_size, np.minimum(sources, in_size - 1), weights)


@functools.lru_cache(maxsize=64)
def _interpolation_matrix(method, antialias, in_size, out_size):
    """The (out_size, in_size) resampling matrix of a method (cached: read-only)."""
    if method == ResizeMethod.AREA:
        matrix = _area_matrix(in_size, out_size)
    elif antialias or method not in (ResizeMethod.BILINEAR, ResizeMethod.BICUBIC):
        kernel = {ResizeMethod.BILINEAR: "triangle",
                  ResizeMethod.BICUBIC: "keyscubic"}.get(method, method)
        matrix = _kernel_matrix(in_size, out_size, kernel, antialias)
    elif method == ResizeMethod.BILINEAR:
        matrix = _bilinear_matrix(in_size, out_size)
    else:
        matrix = _bicubic_matrix(in_size, out_size)
    matrix.flags.writeable = False
    return matrix


def _nearest_indices(in_size, out_size):
    scale = np.float32(in_size) / np.float32(out_size)
    position = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * scale
    return np.minimum(np.floor(position).astype(np.int64), in_size - 1).astype(np.int32)


def _resample(images, height_matrix, width_matrix):
    """`height_matrix @ image @ width_matrix^T` for each image and channel of a batch."""
    batch, height, width, channels = images.shape
    out_height, out_width = height_matrix.shape[0], width_matrix.shape[0]
    dtype = images.dtype
    rows = linalg_ops.matmul(math_ops.cast(height_matrix, dtype),
                             array_ops.reshape(images, (batch, height, width * channels)))
    rows = array_ops.reshape(rows, (batch * out_height, width, channels))
    # One large product over the width (not a small one per row): (rows, channels, width).
    columns = linalg_ops.tensordot(rows, math_ops.cast(width_matrix, dtype), [[1], [1]])
    return array_ops.reshape(array_ops.transpose(columns, (0, 2, 1)),
                             (batch, out_height, out_width, channels))


_METHODS = (ResizeMethod.BILINEAR, ResizeMethod.NEAREST_NEIGHBOR, ResizeMethod.BICUBIC,
            ResizeMethod.AREA, ResizeMethod.LANCZOS3, ResizeMethod.LANCZOS5,
            ResizeMethod.GAUSSIAN, ResizeMethod.MITCHELLCUBIC)


def resize(images, size, method=ResizeMethod.BILINEAR, preserve_aspect_ratio=False,
           antialias=False, name=None):
    """Resizes `images` to `size` with the specified method.

    Pixels are sampled at their centres (TensorFlow 2's half-pixel convention). Results are
    float32, except for `"nearest"`, which keeps the images' dtype. With `antialias`,
    downsampling filters (bilinear, bicubic, lanczos, gaussian, mitchellcubic) widen to
    cover every input pixel; `"area"` always averages the covered pixels.

    Args:
      images: a 4-D `[batch, height, width, channels]` or 3-D `[height, width, channels]`
        tensor.
      size: `[new_height, new_width]`.
      method: a `tf.image.ResizeMethod` name: "bilinear", "nearest", "bicubic", "area",
        "lanczos3", "lanczos5", "gaussian" or "mitchellcubic".
      preserve_aspect_ratio: fit the image inside `size`, keeping its aspect ratio.
      antialias: whether to use an anti-aliasing filter when downsampling.

    Raises:
      ValueError: for images not of rank 3 or 4, a bad `size`, or an unknown method.

    >>> image = tf.constant([[[0.0], [4.0]]])  # one row of two pixels
    >>> tf.image.resize(image, [1, 4])[..., 0].numpy().tolist()
    [[0.0, 1.0, 3.0, 4.0]]
    """
    batch, unbatch = as_batch(as_image(images, "images"))
    new_height, new_width = size_pair(size)
    method = str(method).lower()
    if method not in _METHODS:
        raise ValueError(f"Resize method is not implemented: {method}")
    height, width = batch.shape[1], batch.shape[2]
    if preserve_aspect_ratio:
        scale = min(new_height / height, new_width / width)
        new_height = max(int(round(height * scale)), 1)
        new_width = max(int(round(width * scale)), 1)
    if new_height <= 0 or new_width <= 0:
        raise ValueError(f"'size' must be positive: received {[new_height, new_width]}")
    if method == ResizeMethod.NEAREST_NEIGHBOR:
        rows = indexing_ops.gather(batch, _nearest_indices(height, new_height), axis=1)
        return unbatch(indexing_ops.gather(rows, _nearest_indices(width, new_width), axis=2))
    if batch.dtype not in (dtypes.float32, dtypes.float64):
        batch = math_ops.cast(batch, dtypes.float32)
    result = _resample(batch, _interpolation_matrix(method, antialias, height, new_height),
                       _interpolation_matrix(method, antialias, width, new_width))
    return unbatch(math_ops.cast(result, dtypes.float32))


def resize_with_pad(image, target_height, target_width, method=ResizeMethod.BILINEAR,
                    antialias=False):
    """Resizes `image` to fit inside `target_height` x `target_width` keeping its aspect
    ratio, then pads it with zeros (centred) to that size.

    >>> tf.image.resize_with_pad(tf.ones((2, 4, 1)), 4, 4)[..., 0].numpy().tolist()
    [[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
    """
    image = as_image(image)
    if target_width <= 0:
        raise ValueError("target_width must be > 0.")
    if target_height <= 0:
        raise ValueError("target_height must be > 0.")
    height, width = image.shape[-3], image.shape[-2]
    ratio = max(width / target_width, height / target_height)
    resized_height, resized_width = height / ratio, width / ratio
    resized = resize(image, [int(math.floor(resized_height)), int(math.floor(resized_width))],
                     method=method, antialias=antialias)
    top = max(0, int(math.floor((target_height - resized_height) / 2)))
    left = max(0, int(math.floor((target_width - resized_width) / 2)))
    return pad_to_bounding_box(resized, top, left, target_height, target_width)
