"""`tf.nn`."""

from eagerflow.ops.math_ops import sigmoid, tanh  # noqa: F401
from eagerflow.ops.nn_ops import relu, softmax  # noqa: F401
from eagerflow.ops.conv_ops import (  # noqa: F401
    avg_pool, avg_pool1d, avg_pool2d, conv1d, conv2d, conv2d_transpose, depthwise_conv2d,
    max_pool, max_pool1d, max_pool2d)
