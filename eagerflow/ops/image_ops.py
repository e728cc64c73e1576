"""Image ops (`tf.image`): flips and rotations, crops and pads (and their random forms),
plus the projective transform that the Keras augmentation layers sample images with.
Resizing is in `image_resize_ops`, colour and dtype ops in `image_color_ops`.

Images are 3-D `(height, width, channels)` or 4-D `(batch, height, width, channels)`.
Everything is written with eagerflow ops, so every op here that TensorFlow differentiates
is differentiable (transforms through gathers).
"""

import numpy as np

from eagerflow.framework import dtypes, errors
from eagerflow.framework.op import op_error
from eagerflow.framework.tensor import Tensor, convert_to_tensor
from eagerflow.ops import array_ops, creation_ops, indexing_ops, manip_ops, math_ops, random_ops


# --- shapes and batching --------------------------------------------------------------------

def as_image(image, name="image", wording=None):
    """`image` as a tensor, checked to be one image (rank 3) or a batch (rank 4).

    `wording` picks TensorFlow's error text for a wrong rank: None names `name` alone,
    "shape" adds the shape, "at_least_3d" words ranks below 3 apart (flips, rotations,
    central crops) and "flip" is that with the space TensorFlow drops before "must".
    """
    image = convert_to_tensor(image)
    rank = image.shape.rank
    if rank in (3, 4):
        return image
    if wording is None:
        raise ValueError(f"'{name}' must have either 3 or 4 dimensions.")
    described = f"'{name}' (shape {image.shape})"
    if rank < 3 and wording in ("at_least_3d", "flip"):
        raise ValueError(f"{described} must be at least three-dimensional.")
    gap = "" if wording == "flip" else " "
    raise ValueError(f"{described}{gap}must have either 3 or 4 dimensions.")


def as_batch(image, wording=None):
    """`image` as a 4-D batch, and a function that undoes the batching of a result."""
    image = as_image(image, wording=wording)
    if image.shape.rank == 4:
        return image, lambda result: result
    return array_ops.expand_dims(image, 0), lambda result: array_ops.squeeze(result, [0])


# --- flips, rotations, crops and pads -------------------------------------------------------

def flip_left_right(image):
    """Flips an image (or each image of a batch) horizontally, right to left.

    >>> tf.image.flip_left_right(tf.constant([[[1], [2]]]))[..., 0].numpy().tolist()
    [[2, 1]]
    """
    image = as_image(image, wording="flip")
    return manip_ops.reverse(image, [image.shape.rank - 2])


def flip_up_down(image):
    """Flips an image (or each image of a batch) vertically, upside down.

    >>> tf.image.flip_up_down(tf.constant([[[1]], [[2]]]))[..., 0].numpy().tolist()
    [[2], [1]]
    """
    image = as_image(image, wording="flip")
    return manip_ops.reverse(image, [image.shape.rank - 3])


def draw_uniform(shape, minval, maxval, seed, stateless):
    """Uniform draws for the random image ops: stateful with an op seed, or stateless
    from a `[2]` seed (the `stateless_random_*` forms)."""
    if stateless:
        return random_ops.stateless_uniform(shape, seed=seed, minval=minval, maxval=maxval)
    return random_ops.uniform(shape, minval, maxval, seed=seed)


def _random_flip(image, seed, flip, stateless=False):
    batch, unbatch = as_batch(image, wording="at_least_3d")
    coin = draw_uniform((batch.shape[0], 1, 1, 1), 0.0, 1.0, seed, stateless)
    return unbatch(math_ops.where(coin < 0.5, flip(batch), batch))


def random_flip_left_right(image, seed=None):
    """Flips each image horizontally with probability 1/2."""
    return _random_flip(image, seed, flip_left_right)


def random_flip_up_down(image, seed=None):
    """Flips each image vertically with probability 1/2."""
    return _random_flip(image, seed, flip_up_down)


def stateless_random_flip_left_right(image, seed):
    """Flips each image horizontally with probability 1/2, deterministically for a
    `[2]` seed."""
    return _random_flip(image, seed, flip_left_right, stateless=True)


def stateless_random_flip_up_down(image, seed):
    """Flips each image vertically with probability 1/2, deterministically for a
    `[2]` seed."""
    return _random_flip(image, seed, flip_up_down, stateless=True)


def _random_crop(value, size, seed, stateless):
    value = convert_to_tensor(value)
    size = [int(d) for d in (size.numpy().tolist() if isinstance(size, Tensor) else size)]
    shape = list(value.shape)
    if len(size) != len(shape):
        raise op_error("GreaterEqual", f"Incompatible shapes: [{len(shape)}] vs. "
                                       f"[{len(size)}]")
    if any(s < d for s, d in zip(shape, size)):
        raise errors.InvalidArgumentError(None, None, f"Need value.shape >= size, got "
                                                      f"{shape} {size}")
    limit = np.array(shape) - np.array(size) + 1
    offsets = math_ops.floor(draw_uniform((len(shape),), 0.0, 1.0, seed, stateless)
                             * limit.astype(np.float32))
    begin = [min(int(o), int(m) - 1) for o, m in zip(offsets.numpy().tolist(), limit)]
    return manip_ops.slice(value, begin, size)


def random_crop(value, size, seed=None, name=None):
    """Randomly crops a tensor to `size`: a window at a uniformly drawn offset.

    >>> tf.image.random_crop(tf.ones((4, 5, 3)), (2, 2, 3)).shape.as_list()
    [2, 2, 3]
    """
    return _random_crop(value, size, seed, stateless=False)


def stateless_random_crop(value, size, seed, name=None):
    """Randomly crops a tensor to `size`, deterministically for a `[2]` seed."""
    return _random_crop(value, size, seed, stateless=True)


def rot90(image, k=1, name=None):
    """Rotates an image (or each image of a batch) counter-clockwise by `k` quarter turns.

    >>> tf.image.rot90(tf.constant([[[1], [2]], [[3], [4]]]))[..., 0].numpy().tolist()
    [[2, 4], [1, 3]]
    """
    image = as_image(image, wording="at_least_3d")
    rank = image.shape.rank
    height_axis, width_axis = rank - 3, rank - 2
    k = int(k) % 4
    if k == 1:
        return manip_ops.reverse(transpose(image), [height_axis])
    if k == 2:
        return manip_ops.reverse(image, [height_axis, width_axis])
    if k == 3:
        return transpose(manip_ops.reverse(image, [height_axis]))
    return image


def transpose(image, name=None):
    """Swaps the height and width of an image (or of each image of a batch).

    >>> tf.image.transpose(tf.constant([[[1], [2]], [[3], [4]]]))[..., 0].numpy().tolist()
    [[1, 3], [2, 4]]
    """
    image = as_image(image, wording="at_least_3d")
    swap = list(range(image.shape.rank))
    swap[-3], swap[-2] = swap[-2], swap[-3]
    return array_ops.transpose(image, swap)


def _height_width(image):
    return image.shape[-3], image.shape[-2]


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Crops the `target_height` x `target_width` box whose top-left corner is at
    `(offset_height, offset_width)`.

    >>> tf.image.crop_to_bounding_box(tf.ones((4, 5, 1)), 1, 2, 2, 3).shape.as_list()
    [2, 3, 1]
    """
    image = as_image(image, wording="shape")
    height, width = _height_width(image)
    if offset_width < 0:
        raise ValueError("offset_width must be >= 0.")
    if offset_height < 0:
        raise ValueError("offset_height must be >= 0.")
    if target_width <= 0:
        raise ValueError("target_width must be > 0.")
    if target_height <= 0:
        raise ValueError("target_height must be > 0.")
    if width < offset_width + target_width:
        raise ValueError("width must be >= target + offset.")
    if height < offset_height + target_height:
        raise ValueError("height must be >= target + offset.")
    lead = [0] * (image.shape.rank - 3)
    return manip_ops.slice(image, lead + [offset_height, offset_width, 0],
                           [-1] * len(lead) + [target_height, target_width, -1])


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Pads `image` with zeros to `target_height` x `target_width`, placing it
    `offset_height` rows down and `offset_width` columns right.

    >>> tf.image.pad_to_bounding_box(tf.ones((1, 1, 1)), 1, 0, 2, 2)[..., 0].numpy().tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """
    image = as_image(image, wording="shape")
    height, width = _height_width(image)
    after_padding_width = target_width - offset_width - width
    after_padding_height = target_height - offset_height - height
    if offset_height < 0:
        raise ValueError("offset_height must be >= 0")
    if offset_width < 0:
        raise ValueError("offset_width must be >= 0")
    if after_padding_width < 0:
        raise ValueError("width must be <= target - offset")
    if after_padding_height < 0:
        raise ValueError("height must be <= target - offset")
    paddings = [[0, 0]] * (image.shape.rank - 3) + [
        [offset_height, after_padding_height], [offset_width, after_padding_width], [0, 0]]
    return manip_ops.pad(image, paddings)


def resize_with_crop_or_pad(image, target_height, target_width):
    """Crops and/or pads `image` around its centre to `target_height` x `target_width`.

    >>> tf.image.resize_with_crop_or_pad(tf.ones((4, 2, 1)), 2, 4)[..., 0].numpy().tolist()
    [[0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0]]
    """
    image = as_image(image, wording="shape")
    if target_width <= 0:
        raise ValueError("target_width must be > 0.")
    if target_height <= 0:
        raise ValueError("target_height must be > 0.")
    height, width = _height_width(image)
    crop_height, crop_width = max((height - target_height) // 2, 0), \
        max((width - target_width) // 2, 0)
    image = crop_to_bounding_box(image, crop_height, crop_width, min(target_height, height),
                                 min(target_width, width))
    return pad_to_bounding_box(image, max((target_height - height) // 2, 0),
                               max((target_width - width) // 2, 0), target_height,
                               target_width)


def central_crop(image, central_fraction):
    """Crops the central region of `image`, keeping `central_fraction` of each side.

    >>> tf.image.central_crop(tf.ones((8, 8, 3)), 0.5).shape.as_list()
    [4, 4, 3]
    """
    if central_fraction <= 0.0 or central_fraction > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    image = convert_to_tensor(image)
    if image.shape.rank > 4:
        raise ValueError("`image` should either be a Tensor with rank = 3 or rank = 4. "
                         f"Had rank = {image.shape.rank}.")
    image = as_image(image, wording="at_least_3d")
    if central_fraction == 1.0:
        return image
    height, width = _height_width(image)
    top = int((height - height * central_fraction) / 2)
    left = int((width - width * central_fraction) / 2)
    return crop_to_bounding_box(image, top, left, height - 2 * top, width - 2 * left)


# --- projective transforms ------------------------------------------------------------------

def _map_coordinates(coordinate, size, fill_mode):
    """Where an output pixel outside the image reads from: reflected, wrapped, clamped to
    the nearest edge, or (constant) left outside to read the fill value."""
    if fill_mode == "constant":
        return coordinate
    last = float(size - 1)
    if size <= 1:
        return math_ops.multiply(coordinate, 0.0)
    if fill_mode == "reflect":
        period = 2.0 * size
        # Reflection about the pixel edges -0.5 and size - 0.5, with period 2 * size.
        folded = math_ops.floormod(coordinate + 0.5, period)
        coordinate = math_ops.minimum(folded, period - folded) - 0.5
    elif fill_mode == "wrap":
        # TensorFlow's wrap counts periods in steps of size - 1 but shifts by size.
        below = coordinate + size * (math_ops.floor(-coordinate / last) + 1)
        above = coordinate - size * math_ops.floor(coordinate / last)
        coordinate = math_ops.where(coordinate < 0, below,
                                    math_ops.where(coordinate > last, above, coordinate))
    return math_ops.minimum(math_ops.maximum(coordinate, 0.0), last)


def _round_half_away(x):
    return math_ops.sign(x) * math_ops.floor(math_ops.abs(x) + 0.5)


def projective_transform(images, transforms, interpolation="bilinear", fill_mode="constant",
                         fill_value=0.0):
    """Applies projective transforms to a batch of images (TensorFlow's
    ImageProjectiveTransformV3, which Keras's augmentation layers use).

    Each transform `[a0, a1, a2, b0, b1, b2, c0, c1]` maps the output pixel `(x, y)` to
    the input point `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`.
    Points outside the image are filled by `fill_mode`: "constant" (`fill_value`),
    "reflect", "wrap" or "nearest". `interpolation` is "bilinear" or "nearest".
    Differentiable with respect to the images.

    >>> from eagerflow.ops.image_ops import projective_transform
    >>> shift = tf.constant([[1.0, 0, 1, 0, 1, 0, 0, 0]])  # reads one pixel to the right
    >>> image = tf.reshape(tf.constant([1.0, 2.0, 3.0]), (1, 1, 3, 1))
    >>> projective_transform(image, shift)[0, ..., 0].numpy().tolist()
    [[2.0, 3.0, 0.0]]
    """
    images = convert_to_tensor(images)
    transforms = math_ops.cast(convert_to_tensor(transforms), dtypes.float32)
    if images.shape.rank != 4:
        raise ValueError(f"Invalid images rank: expected rank 4 (batch, height, width, "
                         f"channels); received shape {images.shape}")
    if transforms.shape.rank != 2 or transforms.shape[1] != 8:
        raise ValueError(f"Invalid transforms shape: expected (batch, 8) or (1, 8); "
                         f"received {transforms.shape}")
    if interpolation not in ("bilinear", "nearest"):
        raise ValueError(f"Invalid value for argument `interpolation`. Expected one of "
                         f"{{'nearest', 'bilinear'}}. Received: interpolation={interpolation}")
    if fill_mode not in ("constant", "reflect", "wrap", "nearest"):
        raise ValueError(f"Invalid value for argument `fill_mode`. Expected one of "
                         f"{{'constant', 'reflect', 'wrap', 'nearest'}}. Received: "
                         f"fill_mode={fill_mode}")
    batch, height, width, channels = images.shape
    y, x = np.meshgrid(np.arange(height, dtype=np.float32),
                       np.arange(width, dtype=np.float32), indexing="ij")
    t = [array_ops.reshape(transforms[:, i], (-1, 1, 1)) for i in range(8)]
    k = t[6] * x + t[7] * y + 1.0
    source_x = _map_coordinates((t[0] * x + t[1] * y + t[2]) / k, width, fill_mode)
    source_y = _map_coordinates((t[3] * x + t[4] * y + t[5]) / k, height, fill_mode)
    source_x = source_x + creation_ops.zeros((batch, height, width))  # one map per image
    source_y = source_y + creation_ops.zeros((batch, height, width))
    flat = array_ops.reshape(images, (batch * height * width, channels))
    offsets = np.arange(batch, dtype=np.int32).reshape(-1, 1, 1) * (height * width)
    dtype = images.dtype
    if interpolation == "nearest":
        corners = [(_round_half_away(source_y), _round_half_away(source_x), None)]
    else:
        y0, x0 = math_ops.floor(source_y), math_ops.floor(source_x)
        wy, wx = math_ops.cast(source_y - y0, dtype), math_ops.cast(source_x - x0, dtype)
        corners = [(y0, x0, (1 - wy) * (1 - wx)), (y0, x0 + 1, (1 - wy) * wx),
                   (y0 + 1, x0, wy * (1 - wx)), (y0 + 1, x0 + 1, wy * wx)]
    result, fill_weight = None, None
    for row, column, weight in corners:
        index = (math_ops.cast(math_ops.minimum(math_ops.maximum(row, 0.0), height - 1),
                               dtypes.int32) * width
                 + math_ops.cast(math_ops.minimum(math_ops.maximum(column, 0.0), width - 1),
                                 dtypes.int32) + offsets)
        if fill_mode == "constant":
            # Only constant filling reads outside the image (other modes map inside, or
            # onto the edge with weight 0): those reads take the fill value.
            inside = math_ops.cast(math_ops.logical_and(
                math_ops.logical_and(row >= 0, row <= height - 1),
                math_ops.logical_and(column >= 0, column <= width - 1)), dtype)
            outside = (1 - inside) if weight is None else weight * (1 - inside)
            fill_weight = outside if fill_weight is None else fill_weight + outside
            weight = inside if weight is None else weight * inside
        term = indexing_ops.gather(flat, index)
        if weight is not None:
            term = term * array_ops.expand_dims(weight, -1)
        result = term if result is None else result + term
    if fill_weight is not None and not (isinstance(fill_value, (int, float)) and fill_value == 0):
        result = result + array_ops.expand_dims(fill_weight, -1) * math_ops.cast(fill_value,
                                                                                 dtype)
    return result
