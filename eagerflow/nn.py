"""`tf.nn`."""

from eagerflow.ops.math_ops import sigmoid, tanh  # noqa: F401
from eagerflow.ops.nn_ops import relu, softmax  # noqa: F401
