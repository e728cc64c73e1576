"""tf.nn.relu and tf.nn.softmax: values, dtypes, stability, errors and gradients."""

import numpy as np
import pytest

import eagerflow as tf
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError


# --- relu -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, dtype, expected", [
    (tf.constant([-1.0, 0.0, 2.0]), tf.float32, [0.0, 0.0, 2.0]),
    (tf.constant([-1, 3]), tf.int32, [0, 3]),
    ([-1.5, 2.0], tf.float32, [0.0, 2.0]),
    (tf.constant([-1, 3], tf.int8), tf.int8, [0, 3]),
    (tf.constant(-2.0, tf.float64), tf.float64, 0.0),
    (tf.constant([-1.0, 4.0], tf.float16), tf.float16, [0.0, 4.0]),
    (tf.constant([250, 3], tf.uint8), tf.uint8, [250, 3]),
    (tf.constant([-np.inf, np.inf]), tf.float32, [0.0, np.inf]),
])  # recorded from TF 2.21
def test_relu(value, dtype, expected):
    t = tf.nn.relu(value)
    assert t.dtype is dtype
    assert np.asarray(t.numpy()).tolist() == expected


def test_relu_of_nan_is_nan():
    assert np.isnan(tf.nn.relu(tf.constant([np.nan])).numpy()[0])  # recorded from TF 2.21


@pytest.mark.parametrize("value", [tf.constant([1 + 1j]), tf.constant([True])])
def test_relu_dtype_errors(value):
    with pytest.raises(InvalidArgumentError, match=f"Value for attr 'T' of {value.dtype.name} "
                                                   f"is not in the list of allowed values"):
        tf.nn.relu(value)  # recorded from TF 2.21


def test_relu_gradient_at_and_around_zero():
    x = tf.constant([0.0, 1.0, -1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.relu(x)
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 1.0, 0.0]  # recorded from TF 2.21


def test_relu_gradients(rng):
    x = rng.standard_normal((3, 4))
    x[np.abs(x) < 0.05] = 0.5  # keep off the kink, where finite differences disagree
    check_gradients(lambda t: tf.nn.relu(t) * t, x, order=2)
    check_gradients(lambda t: tf.nn.relu(t * t - 0.5) ** 2, x, order=2)


def test_relu_second_derivative_is_zero():
    x = tf.constant([-2.0, 3.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.relu(x)
        dy = inner.gradient(y, x)
    assert dy.numpy().tolist() == [0.0, 1.0]
    second = outer.gradient(dy, x, unconnected_gradients="zero")
    assert second.numpy().tolist() == [0.0, 0.0]


# --- softmax ----------------------------------------------------------------------------

LOGITS = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]], np.float32)


def _softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 1, 0, -2, None])
def test_softmax_matches_numpy(axis):
    t = tf.nn.softmax(LOGITS) if axis is None else tf.nn.softmax(LOGITS, axis=axis)
    expected = _softmax(LOGITS.astype(np.float64), -1 if axis is None else axis)
    assert t.dtype is tf.float32
    np.testing.assert_allclose(t.numpy(), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(np.sum(t.numpy(), axis=-1 if axis is None else axis), 1.0,
                               rtol=1e-6)


def test_softmax_recorded_values():
    # recorded from TF 2.21 (float32 values may differ in the last unit)
    t = tf.nn.softmax(tf.constant(LOGITS))
    np.testing.assert_allclose(
        t.numpy(), [[0.09003056585788727, 0.2447284758090973, 0.6652408838272095],
                    [0.5, 0.5, 0.0]], rtol=2e-7)
    assert tf.nn.softmax(LOGITS, axis=0).numpy().tolist() == [[0.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
    assert tf.nn.softmax([1.0, 1.0]).numpy().tolist() == [0.5, 0.5]
    assert tf.nn.softmax(tf.constant([-np.inf, 0.0])).numpy().tolist() == [0.0, 1.0]


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
def test_softmax_dtypes(dtype):
    t = tf.nn.softmax(tf.constant([1.0, 2.0], dtype))
    assert t.dtype is dtype
    # recorded from TF 2.21; float32 may differ from TF in the last unit.
    expected, rtol = {tf.float16: ([0.26904296875, 0.73095703125], 0),
                      tf.float32: ([0.2689414322376251, 0.7310585379600525], 2e-7),
                      tf.float64: ([0.26894142136999516, 0.7310585786300049], 1e-15)}[dtype]
    np.testing.assert_allclose(t.numpy().tolist(), expected, rtol=rtol, atol=0)


def test_softmax_large_logits_are_stable():
    t = tf.nn.softmax(tf.constant([[1e4, 1e4 - 1.0], [-1e4, -1e4]]))
    assert np.all(np.isfinite(t.numpy()))
    np.testing.assert_allclose(t.numpy(), [[0.7310586, 0.26894143], [0.5, 0.5]], rtol=1e-6)
    np.testing.assert_allclose(tf.nn.softmax(tf.constant([3e38, 3e38])).numpy(), [0.5, 0.5])


def test_softmax_of_empty_and_axis_tensor():
    assert tf.nn.softmax(tf.zeros((2, 0))).shape.as_list() == [2, 0]  # recorded from TF 2.21
    t = tf.nn.softmax(tf.constant([[1.0, 2.0]], tf.float64), axis=tf.constant(1))
    np.testing.assert_allclose(t.numpy(), [[0.2689414213699951, 0.7310585786300049]])


@pytest.mark.parametrize("value, axis, message", [
    (LOGITS, 2, "`dim` must be in the range [-2, 2) where 2 is the number of dimensions in the "
                "input. Received: dim=2"),
    (LOGITS, -3, "`dim` must be in the range [-2, 2) where 2 is the number of dimensions in "
                 "the input. Received: dim=-3"),
])  # recorded from TF 2.21
def test_softmax_axis_errors(value, axis, message):
    with pytest.raises(InvalidArgumentError, match=message.replace("[", r"\[").replace(")", r"\)")):
        tf.nn.softmax(value, axis=axis)


def test_softmax_dtype_and_rank_errors():
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32 is not in the "
                                                   "list of allowed values"):
        tf.nn.softmax(tf.constant([1, 2]))  # recorded from TF 2.21
    with pytest.raises(InvalidArgumentError):  # TF 2.21 raises AbortedError here
        tf.nn.softmax(tf.constant(1.0))


@pytest.mark.parametrize("shape, axis", [((3,), -1), ((2, 4), -1), ((2, 4), 0), ((2, 3, 2), 1)])
def test_softmax_gradients(shape, axis, rng):
    check_gradients(lambda x: tf.nn.softmax(x, axis=axis), rng.standard_normal(shape), order=2)


def test_softmax_gradient_recorded():
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.softmax(x) * tf.constant([[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),  # recorded from TF 2.21
                               [[0.08192506, -0.02203304, -0.05989201]], rtol=1e-6)


def test_softmax_gradient_of_a_constant_shift_is_zero(rng):
    x = tf.constant(rng.standard_normal((2, 5)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.nn.softmax(x), axis=-1)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 0.0, atol=1e-15)
