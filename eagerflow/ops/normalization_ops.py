"""Moments and normalization (`tf.nn`): `moments`, `batch_normalization`, `l2_normalize`,
`local_response_normalization` and the sufficient-statistics helpers.

All but local response normalization are compositions of ops, written as TensorFlow writes
them, so their gradients (of any order) come from the ops'.
"""

import math
import numbers

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, primitive, tf_type_name
from eagerflow.framework.tensor import Tensor, constant, convert_to_tensor
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops.creation_ops import zeros_like
from eagerflow.ops.reduction_ops import normalize_axis, reduce_mean, reduce_sum


def _squeeze_axes(x, axes):
    """Removes the reduced `axes`; an empty list removes every size-1 axis, as `tf.squeeze`
    does with `axis=[]`."""
    if axes is None or (isinstance(axes, (list, tuple)) and not axes):
        return array_ops.squeeze(x)
    return array_ops.squeeze(x, list(normalize_axis(axes, x.shape.rank)))


def moments(x, axes, shift=None, keepdims=False, name=None):
    """Calculates the mean and variance of `x` across `axes`.

    The variance is the population variance `mean((x - mean) ** 2)`. For batch
    normalization of NHWC images use `axes=[0, 1, 2]`, of vectors `axes=[0]`. float16 is
    computed in float32. `shift` is accepted and ignored, as in TensorFlow.

    Returns:
      `(mean, variance)`, without the `axes` unless `keepdims`.

    >>> from eagerflow.ops.normalization_ops import moments
    >>> mean, variance = moments(tf.constant([[1.0, 2.0], [3.0, 6.0]]), axes=[0])
    >>> mean.numpy().tolist(), variance.numpy().tolist()
    ([2.0, 4.0], [1.0, 4.0])
    """
    x = convert_to_tensor(x)
    y = math_ops.cast(x, dtypes.float32) if x.dtype == dtypes.float16 else x
    mean = reduce_mean(y, axes, keepdims=True)
    # TensorFlow stops the gradient through this mean: the variance's first derivative along
    # it is zero, but its second is not, so here it flows and second derivatives are right.
    variance = reduce_mean(math_ops.squared_difference(y, mean), axes, keepdims=True)
    if not keepdims:
        mean, variance = _squeeze_axes(mean, axes), _squeeze_axes(variance, axes)
    if x.dtype == dtypes.float16:
        return math_ops.cast(mean, dtypes.float16), math_ops.cast(variance, dtypes.float16)
    return mean, variance


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """Calculates the sufficient statistics for the mean and variance of `x` over `axes`.

    Returns:
      `(count, mean_ss, variance_ss, shift)`: the number of elements reduced (in `x`'s
      dtype), the sums of `x - shift` and of `(x - shift) ** 2` (of `x` and `x ** 2`
      without a shift), and the shift as a tensor (or None).

    >>> from eagerflow.ops.normalization_ops import sufficient_statistics
    >>> count, mean_ss, variance_ss, _ = sufficient_statistics(tf.constant([1.0, 3.0]), [0])
    >>> float(count), float(mean_ss), float(variance_ss)
    (2.0, 4.0, 10.0)
    """
    x = convert_to_tensor(x)
    axes = [axes] if isinstance(axes, numbers.Integral) else list(axes)
    axes = sorted(set(axes))
    count = constant(math.prod(x.shape[a] for a in axes), x.dtype)
    if shift is not None:
        shift = convert_to_tensor(shift, dtype_hint=x.dtype)
        mean_ss, variance_ss = x - shift, math_ops.squared_difference(x, shift)
    else:
        mean_ss, variance_ss = x, math_ops.square(x)
    mean_ss = reduce_sum(mean_ss, axes, keepdims=keepdims)
    variance_ss = reduce_sum(variance_ss, axes, keepdims=keepdims)
    return count, mean_ss, variance_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """Calculates the mean and variance from the sufficient statistics.

    Returns:
      `(mean, variance)`: `mean_ss / counts + shift` and `variance_ss / counts -
      (mean_ss / counts) ** 2`.

    >>> from eagerflow.ops.normalization_ops import normalize_moments
    >>> mean, variance = normalize_moments(2.0, tf.constant(4.0), tf.constant(10.0), None)
    >>> float(mean), float(variance)
    (2.0, 1.0)
    """
    divisor = math_ops.reciprocal(counts)
    shifted_mean = math_ops.multiply(mean_ss, divisor)
    mean = shifted_mean if shift is None else math_ops.add(shifted_mean, shift)
    variance = math_ops.multiply(variance_ss, divisor) - math_ops.square(shifted_mean)
    return mean, variance


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """Calculates the weighted mean and variance of `x` across `axes`.

    `frequency_weights` broadcasts against `x` and counts each element that many times.
    Where the weights sum to zero the moments are zero. float16 is computed in float32.

    Returns:
      `(weighted_mean, weighted_variance)`.

    >>> from eagerflow.ops.normalization_ops import weighted_moments
    >>> mean, variance = weighted_moments(tf.constant([1.0, 3.0]), [0], tf.constant([3.0, 1.0]))
    >>> float(mean), float(variance)
    (1.5, 0.75)
    """
    x = convert_to_tensor(x)
    frequency_weights = convert_to_tensor(frequency_weights)
    needs_cast = x.dtype == dtypes.float16
    if needs_cast:
        x = math_ops.cast(x, dtypes.float32)
    frequency_weights = math_ops.cast(frequency_weights, x.dtype)
    weighted_input_sum = reduce_sum(frequency_weights * x, axes, keepdims=True)
    # The weights broadcast against x: sum them at x's shape.
    weights = frequency_weights + zeros_like(x)
    sum_of_weights = reduce_sum(weights, axes, keepdims=True)
    weighted_mean = math_ops.divide_no_nan(weighted_input_sum, sum_of_weights)
    weighted_distsq = reduce_sum(
        frequency_weights * math_ops.squared_difference(x, weighted_mean), axes, keepdims=True)
    weighted_variance = math_ops.divide_no_nan(weighted_distsq, sum_of_weights)
    if not keepdims:
        weighted_mean = _squeeze_axes(weighted_mean, axes)
        weighted_variance = _squeeze_axes(weighted_variance, axes)
    if needs_cast:
        return (math_ops.cast(weighted_mean, dtypes.float16),
                math_ops.cast(weighted_variance, dtypes.float16))
    return weighted_mean, weighted_variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """Normalizes `x` by `mean` and `variance`, then scales by `scale` and shifts by `offset`.

    Computes `scale * (x - mean) / sqrt(variance + variance_epsilon) + offset`; `mean`,
    `variance`, `offset` and `scale` broadcast against `x` (e.g. the outputs of `moments`
    with `keepdims=True`, or per-channel vectors). `offset` and `scale` may be None. The
    normalization is computed in the statistics' dtype and cast to `x`'s.

    >>> from eagerflow.ops.normalization_ops import batch_normalization
    >>> y = batch_normalization(tf.constant([1.0, 3.0]), 2.0, 1.0, None, None, 0.0)
    >>> y.numpy().tolist()
    [-1.0, 1.0]
    """
    x = convert_to_tensor(x)
    inv = math_ops.rsqrt(variance + variance_epsilon)
    if scale is not None:
        inv *= scale
    shift = offset - mean * inv if offset is not None else -mean * inv
    return x * math_ops.cast(inv, x.dtype) + math_ops.cast(shift, x.dtype)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """Normalizes `x` along `axis` (all axes when None) to unit L2 norm.

    Computes `x / sqrt(max(sum(x ** 2), epsilon))`, so a zero vector stays zero. Complex
    `x` is normalized by its modulus.

    >>> from eagerflow.ops.normalization_ops import l2_normalize
    >>> l2_normalize(tf.constant([3.0, 4.0])).numpy().tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'dim' and 'axis'.")
        axis = dim
    x = convert_to_tensor(x)
    if x.dtype.is_complex:
        squares = math_ops.cast(x * math_ops.conj(x), x.dtype.real_dtype)  # |x|^2, exactly
        square_sum = reduce_sum(squares, axis, keepdims=True)
        inverse_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return x * math_ops.cast(inverse_norm, x.dtype)
    square_sum = reduce_sum(math_ops.square(x), axis, keepdims=True)
    return x * math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))


# --- local response normalization ---------------------------------------------------------

def _float_attr(value, name):
    if isinstance(value, Tensor) or not isinstance(value, numbers.Real):
        raise TypeError(f"Expected float for argument '{name}' not {value!r}.")
    return float(np.float32(value))


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5,
                                 name=None):
    """Local response normalization across the channels of a 4-D `input`.

    Each element is divided by `(bias + alpha * sqr_sum) ** beta`, where `sqr_sum` sums
    the squares of the `2 * depth_radius + 1` neighbouring channels (last axis) around it:

        sqr_sum[a, b, c, d] = sum(input[a, b, c, d - depth_radius : d + depth_radius + 1] ** 2)

    (Krizhevsky et al., 2012). `input` is half or float32.

    >>> from eagerflow.ops.normalization_ops import local_response_normalization
    >>> y = local_response_normalization(tf.ones((1, 1, 1, 2)), depth_radius=0, bias=0.0)
    >>> y.numpy().tolist()
    [[[[1.0, 1.0]]]]
    """
    depth_radius = int(depth_radius)
    bias, alpha, beta = (_float_attr(v, n) for v, n in
                         ((bias, "bias"), (alpha, "alpha"), (beta, "beta")))
    input = convert_to_tensor(input)
    if input.dtype not in (dtypes.float16, dtypes.float32):
        raise op_error("LRN", f"Value for attr 'T' of {tf_type_name(input.dtype)} is not in "
                              "the list of allowed values: half, float")
    if input.shape.rank != 4:
        raise op_error("LRN", "in must be 4-dimensional")
    if depth_radius < 0:
        raise op_error("LRN", f"depth_radius = {depth_radius} larger than int max")
    squares = math_ops.square(input)
    norm = bias + alpha * _channel_window_sum(squares, radius=depth_radius)
    return input * math_ops.pow(norm, -beta)


lrn = local_response_normalization


@primitive("LRNWindowSum", dtypes="floating")
def _channel_window_sum(x, radius=5):
    # Sums over the windows of 2 * radius + 1 channels, zero-padded at both ends.
    padded = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(radius, radius)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * radius + 1, axis=-1)
    return np.sum(windows, axis=-1, dtype=x.dtype)


@_channel_window_sum.gradient
def _channel_window_sum_grad(op, dy):
    # The window is symmetric, so the sum is its own adjoint.
    return [_channel_window_sum(dy, radius=op.attrs["radius"])]
