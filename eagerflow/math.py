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
from eagerflow.ops.sort_ops import in_top_k, top_k  # noqa: F401
from eagerflow.ops.check_ops import is_non_decreasing, is_strictly_increasing  # noqa: F401
from eagerflow.ops.nn_ops import log_softmax, zero_fraction  # noqa: F401
from eagerflow.ops.normalization_ops import l2_normalize  # noqa: F401
from eagerflow.ops.math_ops import (  # noqa: F401
    accumulate_n, acos, acosh, add_n, angle, asin, asinh, atan, atan2, atanh, cosh,
    divide_no_nan, imag, is_finite, is_inf, is_nan, log_sigmoid, multiply_no_nan, nextafter,
    polyval, real, reciprocal_no_nan, rint, scalar_mul, sinh, softplus, softsign,
    squared_difference, xdivy, xlog1py, xlogy)
from eagerflow.ops.reduction_ops import (  # noqa: F401
    count_nonzero, cumulative_logsumexp, reduce_euclidean_norm)
from eagerflow.ops.special_math_ops import (  # noqa: F401
    digamma, erf, erfc, erfcinv, erfinv, lbeta, lgamma, ndtri, polygamma, zeta)
from eagerflow.ops.segment_ops import (  # noqa: F401
    bincount, confusion_matrix, segment_max, segment_mean, segment_min, segment_prod,
    segment_sum, unsorted_segment_max, unsorted_segment_mean, unsorted_segment_min,
    unsorted_segment_prod, unsorted_segment_sqrt_n, unsorted_segment_sum)
