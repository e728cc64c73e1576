"""`tf.math`."""

from eagerflow.ops.math_ops import (  # noqa: F401
    abs, add, ceil, conj, cos, divide, equal, exp, expm1, floor, floordiv, floormod, greater,
    greater_equal, less, less_equal, log, log1p, logical_and, logical_not, logical_or,
    logical_xor, maximum, minimum, multiply, negative, not_equal, pow, reciprocal, round,
    rsqrt, sigmoid, sign, sin, sqrt, square, subtract, tan, tanh, truediv)
from eagerflow.ops.math_ops import floormod as mod  # noqa: F401
from eagerflow.ops.reduction_ops import (  # noqa: F401
    argmax, argmin, cumprod, cumsum, reduce_all, reduce_any, reduce_logsumexp, reduce_max,
    reduce_mean, reduce_min, reduce_prod, reduce_std, reduce_sum, reduce_variance)
from eagerflow.ops.nn_ops import softmax  # noqa: F401
