"""Moments and normalization (eagerflow/ops/normalization_ops.py): values against
TensorFlow and NumPy, dtypes, errors, and gradients (order 2)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops import normalization_ops as norm
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError

X = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]], np.float32)


def _values(tensors):
    return [t.numpy().tolist() for t in tensors]


# --- moments ------------------------------------------------------------------------------

@pytest.mark.parametrize("axes, keepdims, expected", [
    ([0], False, [[2.0, 3.5, 6.5], [1.0, 2.25, 6.25]]),
    ((0,), False, [[2.0, 3.5, 6.5], [1.0, 2.25, 6.25]]),
    ([0, 1], True, [[[4.0]], [[6.666666507720947]]]),
    (None, False, [4.0, 6.666666507720947]),
    (1, False, [[2.3333332538604736, 5.666666507720947],
                [1.5555557012557983, 6.222222805023193]]),
    ([-1], False, [[2.3333332538604736, 5.666666507720947],
                   [1.5555557012557983, 6.222222805023193]]),
    ([], False, [X.tolist(), np.zeros((2, 3)).tolist()]),
])  # recorded from TF 2.21
def test_moments(axes, keepdims, expected):
    mean, variance = norm.moments(tf.constant(X), axes, keepdims=keepdims)
    assert mean.dtype is tf.float32 and variance.dtype is tf.float32
    np.testing.assert_allclose(mean.numpy(), expected[0], rtol=1e-7)
    np.testing.assert_allclose(variance.numpy(), expected[1], rtol=1e-6)


@pytest.mark.parametrize("axes, keepdims", [([0], False), ([0, 2], True), ([1, 2], False)])
def test_moments_match_numpy(axes, keepdims, rng):
    x = rng.standard_normal((4, 3, 5)) * 3 + 2
    mean, variance = norm.moments(x, axes, keepdims=keepdims)
    np.testing.assert_allclose(mean.numpy(), np.mean(x, tuple(axes), keepdims=keepdims),
                               rtol=1e-13)
    np.testing.assert_allclose(variance.numpy(), np.var(x, tuple(axes), keepdims=keepdims),
                               rtol=1e-13)


def test_moments_dtypes():
    # recorded from TF 2.21: float16 is reduced in float32, then rounded (the variance
    # overflows float16 here); integers give truncated integer moments.
    mean, variance = norm.moments(tf.constant([1000.0, 1001.0, 60000.0], tf.float16), [0])
    assert mean.dtype is tf.float16 and _values([mean, variance]) == [20672.0, np.inf]
    mean, variance = norm.moments(tf.constant([1, 2, 4]), [0])
    assert mean.dtype is tf.int32 and _values([mean, variance]) == [2, 1]
    mean, variance = norm.moments(tf.constant(X, tf.float64), [0])
    assert variance.dtype is tf.float64 and variance.numpy().tolist() == [1.0, 2.25, 6.25]


def test_moments_ignores_shift_and_squeezes_like_tf():
    assert _values(norm.moments(X, [0], shift=100.0)) == _values(norm.moments(X, [0]))
    # recorded from TF 2.21: axes=[] squeezes every size-1 axis, as tf.squeeze does
    mean, _ = norm.moments(tf.zeros((2, 1, 3)), [])
    assert mean.shape.as_list() == [2, 3]


def test_moments_errors_and_empty():
    # recorded from TF 2.21
    with pytest.raises(InvalidArgumentError, match=r"Invalid reduction dimension \(3 for input "
                                                   r"with 2 dimension\(s\)"):
        norm.moments(X, [3])
    with pytest.raises(InvalidArgumentError, match="Axes contains duplicate dimension: 0"):
        norm.moments(X, [0, 0])
    mean, variance = norm.moments(tf.zeros((0, 3)), [0])
    assert np.isnan(mean.numpy()).all() and np.isnan(variance.numpy()).all()


@pytest.mark.parametrize("axes", [[0], [0, 1], [1]])
def test_moments_gradients(axes, rng):
    check_gradients(lambda x: norm.moments(x, axes), rng.standard_normal((3, 2, 2)), order=2)


def test_moments_gradient_recorded():
    x = tf.constant([[1.0, 2.0], [3.0, 5.0], [0.0, 1.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        _, variance = norm.moments(x, [0])
        y = variance * tf.constant([1.0, 2.0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [  # recorded from TF 2.21
        [-0.2222222536802292, -0.8888890147209167], [1.1111111640930176, 3.1111111640930176],
        [-0.888888955116272, -2.222222328186035]], rtol=1e-6)


# --- sufficient_statistics, normalize_moments, weighted_moments ---------------------------

def test_sufficient_statistics():
    x = tf.constant([[1.0, 2.0], [3.0, 5.0]])
    # recorded from TF 2.21
    count, mean_ss, variance_ss, shift = norm.sufficient_statistics(x, [0])
    assert _values([count, mean_ss, variance_ss]) == [2.0, [4.0, 7.0], [10.0, 29.0]]
    assert count.dtype is tf.float32 and shift is None
    count, mean_ss, variance_ss, shift = norm.sufficient_statistics(x, [0], shift=1.0)
    assert _values([count, mean_ss, variance_ss, shift]) == [2.0, [2.0, 5.0], [4.0, 17.0], 1.0]
    count, mean_ss, variance_ss, _ = norm.sufficient_statistics(x, [0, 1], keepdims=True)
    assert _values([count, mean_ss, variance_ss]) == [4.0, [[11.0]], [[39.0]]]
    count, mean_ss, variance_ss, _ = norm.sufficient_statistics(tf.constant([[1, 2], [3, 5]]),
                                                                [1])
    assert count.dtype is tf.int32 and _values([count, mean_ss, variance_ss]) == [
        2, [3, 8], [5, 34]]


def test_normalize_moments():
    # recorded from TF 2.21
    moments = norm.normalize_moments(tf.constant(4.0), tf.constant([8.0, 4.0]),
                                     tf.constant([20.0, 6.0]), None)
    assert _values(moments) == [[2.0, 1.0], [1.0, 0.5]]
    moments = norm.normalize_moments(tf.constant(4.0), tf.constant([8.0, 4.0]),
                                     tf.constant([20.0, 6.0]), tf.constant(1.0))
    assert _values(moments) == [[3.0, 2.0], [1.0, 0.5]]
    assert _values(norm.normalize_moments(4.0, [8.0, 4.0], [20.0, 6.0], None)) == [
        [2.0, 1.0], [1.0, 0.5]]


def test_sufficient_statistics_round_trip(rng):
    x = rng.standard_normal((5, 3))
    count, mean_ss, variance_ss, shift = norm.sufficient_statistics(x, [0], shift=0.5)
    mean, variance = norm.normalize_moments(count, mean_ss, variance_ss, shift)
    np.testing.assert_allclose(mean.numpy(), x.mean(0), rtol=1e-13)
    np.testing.assert_allclose(variance.numpy(), x.var(0), rtol=1e-12)


@pytest.mark.parametrize("x, axes, weights, keepdims, expected", [
    ([[1.0, 2.0], [3.0, 5.0]], [0], [[1.0], [3.0]], False, [[2.5, 4.25], [0.75, 1.6875]]),
    ([[1.0, 2.0], [3.0, 5.0]], [1], [[1.0, 0.0]], True, [[[1.0], [3.0]], [[0.0], [0.0]]]),
    ([[1.0, 2.0], [3.0, 5.0]], [1], 0.0, False, [[0.0, 0.0], [0.0, 0.0]]),
    ([1.0, 2.0], [0], tf.constant([1, 3]), False, [1.75, 0.1875]),
])  # recorded from TF 2.21
def test_weighted_moments(x, axes, weights, keepdims, expected):
    mean, variance = norm.weighted_moments(tf.constant(x), axes, weights, keepdims=keepdims)
    assert mean.dtype is tf.float32 and _values([mean, variance]) == expected


def test_weighted_moments_float16_and_gradients(rng):
    mean, variance = norm.weighted_moments(tf.constant([1.0, 2.0], tf.float16), [0], 1.0)
    assert mean.dtype is tf.float16 and _values([mean, variance]) == [1.5, 0.25]
    check_gradients(lambda x, w: norm.weighted_moments(x, [1], w), rng.standard_normal((2, 3)),
                    rng.uniform(0.5, 2, (1, 3)), order=2)


def test_weighted_moments_with_unit_weights_are_moments(rng):
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(_values(norm.weighted_moments(x, [0], 1.0)),
                               _values(norm.moments(x, [0])), rtol=1e-13)


# --- batch_normalization ------------------------------------------------------------------

def test_batch_normalization_recorded_values():
    y = norm.batch_normalization(X, tf.constant([2.0, 3.5, 6.5]), tf.constant([1.0, 2.25, 6.25]),
                                 tf.constant([0.0, 1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]), 1e-3)
    np.testing.assert_allclose(y.numpy(), [  # recorded from TF 2.21
        [-0.9995003938674927, -0.9995555877685547, -0.9997596740722656],
        [0.9995005130767822, 2.999556064605713, 4.999759674072266]], rtol=2e-7)
    y = norm.batch_normalization(X, 2.0, 1.0, None, None, 0.0)
    assert y.numpy().tolist() == [[-1.0, 0.0, 2.0], [1.0, 3.0, 7.0]]


def test_batch_normalization_matches_numpy(rng):
    x = rng.standard_normal((4, 3))
    mean, variance = x.mean(0), x.var(0)
    offset, scale = rng.standard_normal(3), rng.standard_normal(3)
    y = norm.batch_normalization(x, mean, variance, offset, scale, 1e-3)
    np.testing.assert_allclose(y.numpy(), scale * (x - mean) / np.sqrt(variance + 1e-3) + offset,
                               rtol=1e-12)


def test_batch_normalization_dtypes():
    # recorded from TF 2.21: statistics of another dtype are cast to x's at the end
    y = norm.batch_normalization(tf.constant(X, tf.float16), tf.constant(2.0, tf.float16),
                                 tf.constant(1.0, tf.float16), None, None, 1e-3)
    assert y.dtype is tf.float16 and y.numpy().tolist() == [[-1.0, 0.0, 2.0], [1.0, 3.0, 7.0]]
    y = norm.batch_normalization(X, tf.constant(2.0, tf.float64), tf.constant(1.0, tf.float64),
                                 None, None, 1e-3)
    assert y.dtype is tf.float32
    np.testing.assert_allclose(y.numpy(), [
        [-0.9995003938674927, 0.0, 1.9990007877349854],
        [0.9995005130767822, 2.9985010623931885, 6.996502876281738]], rtol=1e-7)


def test_batch_normalization_errors():
    # recorded from TF 2.21
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2,3\] vs. \[2\]"):
        norm.batch_normalization(X, tf.constant([2.0, 3.5]), 1.0, None, None, 0.0)
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32"):
        norm.batch_normalization(tf.constant([1, 2]), 1, 1, None, None, 0)


def test_batch_normalization_gradients(rng):
    x = rng.standard_normal((4, 3))
    check_gradients(lambda x, m, v, o, s: norm.batch_normalization(x, m, v, o, s, 1e-3), x,
                    rng.standard_normal(3), rng.uniform(0.5, 2, 3), rng.standard_normal(3),
                    rng.standard_normal(3), order=2)
    # Through the moments: the normalization of a training step.
    check_gradients(lambda x: norm.batch_normalization(x, *norm.moments(x, [0]), None, None,
                                                       1e-3), x, order=2)


# --- l2_normalize -------------------------------------------------------------------------

@pytest.mark.parametrize("x, kwargs, expected", [
    ([[3.0, 4.0], [0.0, 0.0]], {"axis": 1}, [[0.6000000238418579, 0.800000011920929], [0, 0]]),
    ([[3.0, 4.0], [0.0, 0.0]], {}, [[0.6000000238418579, 0.800000011920929], [0, 0]]),
    ([[3.0, 4.0]], {"dim": 1}, [[0.6000000238418579, 0.800000011920929]]),
    ([3e-7, 4e-7], {"epsilon": 1e-3}, [9.486832823313307e-06, 1.2649109521589708e-05]),
])  # recorded from TF 2.21
def test_l2_normalize(x, kwargs, expected):
    y = norm.l2_normalize(tf.constant(x), **kwargs)
    assert y.dtype is tf.float32
    np.testing.assert_allclose(y.numpy(), expected, rtol=2e-7)


def test_l2_normalize_dtypes_and_errors():
    # recorded from TF 2.21
    y = norm.l2_normalize(tf.constant([3.0, 4.0], tf.float16))
    assert y.dtype is tf.float16 and y.numpy().tolist() == [0.599609375, 0.7998046875]
    y = norm.l2_normalize(tf.constant([3j, 4.0]))
    assert y.dtype is tf.complex128
    np.testing.assert_allclose(y.numpy(), [0.6j, 0.8], rtol=1e-15)
    assert norm.l2_normalize(tf.zeros((0,))).shape.as_list() == [0]
    with pytest.raises(ValueError, match="Cannot specify both 'dim' and 'axis'."):
        norm.l2_normalize(tf.constant([1.0]), axis=0, dim=0)
    with pytest.raises(TypeError):
        norm.l2_normalize(tf.constant([3, 4]))  # TF: Cannot convert 1e-12 to ... int32


@pytest.mark.parametrize("axis", [None, 0, 1, [0, 1]])
def test_l2_normalize_gradients(axis, rng):
    check_gradients(lambda x: norm.l2_normalize(x, axis=axis), rng.standard_normal((3, 2)),
                    order=2)


def test_l2_normalize_gradient_recorded():
    x = tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = norm.l2_normalize(x) * tf.constant([1.0, 0.0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),  # recorded from TF 2.21
                               [0.12799999117851257, -0.09600000828504562], rtol=1e-6)


# --- local_response_normalization ---------------------------------------------------------

LRN_INPUT = (np.arange(1.0, 9.0, dtype=np.float32) / 4).reshape(1, 1, 2, 4)


def _lrn_reference(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    channels = x.shape[-1]
    squares = np.square(x)
    sums = np.stack([squares[..., max(0, d - depth_radius):d + depth_radius + 1].sum(-1)
                     for d in range(channels)], axis=-1)
    return x / (bias + alpha * sums) ** beta


@pytest.mark.parametrize("kwargs, expected", [
    ({}, [[0.14744199812412262, 0.2948839068412781, 0.44232580065727234, 0.5897678136825562],
          [0.36273810267448425, 0.4352858066558838, 0.5078334212303162, 0.5803809762001038]]),
    ({"depth_radius": 1, "bias": 2.0, "alpha": 0.5, "beta": 0.75},
     [[0.14049659669399261, 0.25630760192871094, 0.3369469940662384, 0.4643228054046631],
      [0.44987308979034424, 0.42125189304351807, 0.4222949147224426, 0.5545139908790588]]),
    ({"depth_radius": 0},
     [[0.24253560602664948, 0.4472135901451111, 0.6000000238418579, 0.7071067094802856],
      [0.7808688282966614, 0.8320502042770386, 0.8682430982589722, 0.8944271802902222]]),
    ({"depth_radius": 1.5},  # truncated to 1, as TF's integer attribute is
     [[0.2182178944349289, 0.3651483952999115, 0.4472135901451111, 0.6246950030326843],
      [0.5698028802871704, 0.5345225930213928, 0.5449491739273071, 0.7043606042861938]]),
])  # recorded from TF 2.21
def test_local_response_normalization(kwargs, expected):
    y = norm.local_response_normalization(LRN_INPUT, **kwargs)
    assert y.dtype is tf.float32 and y.shape.as_list() == [1, 1, 2, 4]
    np.testing.assert_allclose(y.numpy()[0, 0], expected, rtol=5e-7)


@pytest.mark.parametrize("depth_radius", [0, 1, 2, 7])
def test_local_response_normalization_matches_numpy(depth_radius, rng):
    x = rng.standard_normal((2, 3, 3, 6)).astype(np.float32)
    y = norm.local_response_normalization(x, depth_radius, bias=2.0, alpha=0.1, beta=0.75)
    np.testing.assert_allclose(y.numpy(), _lrn_reference(x, depth_radius, 2.0, 0.1, 0.75),
                               rtol=1e-6)


def test_local_response_normalization_float16_and_lrn_alias():
    y = norm.lrn(LRN_INPUT.astype(np.float16), 1)
    assert y.dtype is tf.float16
    np.testing.assert_allclose(y.numpy().astype(float), _lrn_reference(LRN_INPUT, 1), rtol=2e-3)


@pytest.mark.parametrize("x, kwargs, error, message", [
    (LRN_INPUT.astype(np.float64), {}, InvalidArgumentError,
     "Value for attr 'T' of double is not in the list of allowed values: half, float"),
    (np.ones((1, 1, 1, 2), np.int32), {}, InvalidArgumentError, "Value for attr 'T' of int32"),
    (np.ones((2, 2, 2), np.float32), {}, InvalidArgumentError, "in must be 4-dimensional"),
    (LRN_INPUT, {"depth_radius": -1}, InvalidArgumentError,
     "depth_radius = -1 larger than int max"),
    (LRN_INPUT, {"bias": tf.constant(1.0)}, TypeError,
     "Expected float for argument 'bias' not"),
])  # recorded from TF 2.21
def test_local_response_normalization_errors(x, kwargs, error, message):
    with pytest.raises(error, match=message):
        norm.local_response_normalization(x, **kwargs)


def test_local_response_normalization_gradient_recorded():
    x = tf.constant(np.linspace(-1, 1, 8).reshape(1, 1, 2, 4), tf.float32)
    weights = tf.constant(np.arange(8.0).reshape(1, 1, 2, 4), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = norm.local_response_normalization(x, depth_radius=1, bias=1.5, alpha=0.3,
                                              beta=0.6) * weights
    np.testing.assert_allclose(tape.gradient(y, x).numpy()[0, 0], [  # recorded from TF 2.21
        [-0.08427450060844421, 0.5049021244049072, 1.3230074644088745, 2.2669553756713867],
        [3.000896692276001, 3.2189295291900635, 2.738295793533325, 3.3154244422912598]],
        rtol=2e-6)


def test_local_response_normalization_gradients(rng):
    # Float32 only, as in TensorFlow; so the check runs in float64 on the window sum and
    # the composition around it (TF 2.21 has no second derivative for LRN at all).
    from eagerflow.ops.normalization_ops import _channel_window_sum
    check_gradients(lambda x: _channel_window_sum(x, radius=2), rng.standard_normal((1, 2, 2, 5)),
                    order=2)
    x = tf.constant(rng.standard_normal((1, 2, 2, 5)), tf.float32)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = norm.local_response_normalization(x, depth_radius=2, bias=1.5, alpha=0.3)
        grad = inner.gradient(y, x)
    assert outer.gradient(grad, x).shape.as_list() == [1, 2, 2, 5]


def test_moments_second_derivative():
    # The sum of the variance's gradient, 2 * sum(x - mean) / n, is identically zero, so its
    # own gradient is too. (TF 2.21 stops the gradient through the mean and gives 2 w / n.)
    x = tf.constant([[1.0, 2.0], [3.0, 5.0], [0.0, 1.0]], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            _, variance = norm.moments(x, [0])
            y = variance * tf.constant([1.0, 2.0], tf.float64)
        total = tf.reduce_sum(inner.gradient(y, x))
    np.testing.assert_allclose(outer.gradient(total, x).numpy(), np.zeros((3, 2)), atol=1e-15)
