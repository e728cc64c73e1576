"""`tf.image`."""

from eagerflow.ops.image_color_ops import (  # noqa: F401
    adjust_brightness, adjust_contrast, adjust_gamma, adjust_hue, adjust_saturation,
    convert_image_dtype, grayscale_to_rgb, hsv_to_rgb, per_image_standardization,
    random_brightness, random_contrast, random_hue, random_saturation, rgb_to_grayscale,
    rgb_to_hsv, stateless_random_brightness, stateless_random_contrast, stateless_random_hue,
    stateless_random_saturation)
from eagerflow.ops.image_ops import (  # noqa: F401
    central_crop, crop_to_bounding_box, flip_left_right, flip_up_down, pad_to_bounding_box,
    random_crop, random_flip_left_right, random_flip_up_down, resize_with_crop_or_pad, rot90,
    stateless_random_crop, stateless_random_flip_left_right, stateless_random_flip_up_down,
    transpose)
from eagerflow.ops.image_resize_ops import ResizeMethod, resize, resize_with_pad  # noqa: F401
