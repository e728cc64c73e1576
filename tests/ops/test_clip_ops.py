"""clip_by_value, clip_by_norm, global_norm and clip_by_global_norm.

Values, gradients and messages marked "recorded from TF 2.21" come from running the same
calls with `import tensorflow as tf`.
"""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops.clip_ops import clip_by_global_norm, clip_by_norm, clip_by_value, global_norm
from tests.gradient_check import check_gradients

nan, inf = np.nan, np.inf


def _values(t):
    return t.numpy().tolist()


def _gradients(f, *xs):
    tensors = [tf.constant(x) for x in xs]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(tensors)
        y = f(*tensors)
    return [tape.gradient(y, t).numpy().tolist() for t in tensors]


# --- clip_by_value ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.uint8,
                                   np.int64])
def test_clip_by_value_matches_numpy(dtype, rng):
    x = rng.integers(0, 10, (3, 4)).astype(dtype)
    result = clip_by_value(tf.constant(x), 2, 7)
    assert result.dtype == tf.as_dtype(dtype)
    np.testing.assert_array_equal(result.numpy(), np.clip(x, 2, 7))


def test_clip_by_value_values():
    # recorded from TF 2.21
    result = clip_by_value(tf.constant([-2.0, 0.0, 1.0, 3.0, nan]), -1.0, 1.0)
    assert np.array_equal(result.numpy(), [-1.0, 0.0, 1.0, 1.0, nan], equal_nan=True)
    assert _values(clip_by_value(tf.constant([-2, 0, 3]), -1, 1)) == [-1, 0, 1]
    bounded = clip_by_value(tf.constant([[-2.0, 0.0], [1.0, 3.0]]), tf.constant([-1.0, 0.5]),
                            tf.constant([[0.0], [2.0]]))
    assert _values(bounded) == [[-1.0, 0.5], [1.0, 2.0]]
    # with min > max every value becomes min: max(min(t, max), min)
    assert _values(clip_by_value(tf.constant([-2.0, 0.0, 5.0]), 1.0, -1.0)) == [1.0, 1.0, 1.0]
    assert _values(clip_by_value([1.0, 5.0], 0.0, 2.0)) == [1.0, 2.0]
    assert _values(clip_by_value(tf.constant([1, 5], tf.uint8), 2, 3)) == [2, 3]
    assert clip_by_value(tf.zeros((0, 2)), 0.0, 1.0).shape == (0, 2)


@pytest.mark.parametrize("args, error, message", [
    # recorded from TF 2.21
    ((tf.constant([-2, 0, 3]), -1.5, 1), TypeError,
     "^Cannot convert -1.5 to EagerTensor of dtype int32$"),
    ((tf.constant([-2.0, 0.0]), tf.constant([[-1.0], [0.5]]), 2.0), ValueError,
     r"^Shapes \(2,\) and \(2, 2\) are incompatible$"),
    ((tf.constant([1.0]), tf.constant(0.0, tf.float64), 1.0), tf.errors.InvalidArgumentError,
     r"^cannot compute Maximum as input #1\(zero-based\) was expected to be a float tensor but "
     r"is a double tensor \[Op:Maximum\]$"),
    ((tf.constant([1.0, 5.0]), tf.constant([0.0, 1.0, 2.0]), 3.0),
     tf.errors.InvalidArgumentError, r"^Incompatible shapes: \[2\] vs. \[3\] \[Op:Maximum\]$"),
    ((tf.constant([1 + 1j]), 0, 1), tf.errors.InvalidArgumentError,
     "^Value for attr 'T' of complex128 is not in the list of allowed values"),
])
def test_clip_by_value_errors(args, error, message):
    with pytest.raises(error, match=message):
        clip_by_value(*args)


def test_clip_by_value_gradients():
    # recorded from TF 2.21: values at a bound pass their gradient; the bounds collect the rest
    grads = _gradients(lambda x, lo, hi: clip_by_value(x, lo, hi),
                       [-2.0, -1.0, 0.0, 1.0, 3.0], -1.0, 1.0)
    assert grads == [[0.0, 1.0, 1.0, 1.0, 0.0], 1.0, 1.0]
    assert _gradients(lambda x, lo, hi: clip_by_value(x, lo, hi), [-2.0, 0.0, 5.0], 1.0,
                      -1.0) == [[0.0, 0.0, 0.0], 3.0, 0.0]
    assert _gradients(lambda x, lo, hi: clip_by_value(x, lo, hi), [nan], -1.0, 1.0) == [
        [0.0], 1.0, 0.0]
    x = np.array([[-2.0, -0.5, 0.3], [0.9, 1.7, -1.2]])  # off the bounds
    check_gradients(lambda t, lo, hi: clip_by_value(t * t * t, lo, hi), x,
                    np.array([-1.0, 0.0, -0.5]), np.array(1.0), order=2)


# --- clip_by_norm -------------------------------------------------------------------------------

def test_clip_by_norm_values():
    # recorded from TF 2.21
    np.testing.assert_allclose(_values(clip_by_norm(tf.constant([3.0, 4.0]), 1.0)), [0.6, 0.8],
                               rtol=1e-7)
    np.testing.assert_allclose(_values(clip_by_norm(tf.constant([0.3, 0.4]), 1.0)), [0.3, 0.4],
                               rtol=1e-7)
    assert _values(clip_by_norm(tf.constant([0.0, 0.0]), 1.0)) == [0.0, 0.0]
    matrix = tf.constant([[3.0, 4.0], [0.3, 0.4]])
    np.testing.assert_allclose(_values(clip_by_norm(matrix, 1.0, axes=[1])),
                               [[0.6, 0.8], [0.3, 0.4]], rtol=1e-7)
    np.testing.assert_allclose(_values(clip_by_norm(matrix, 1.0, axes=0)), [
        [0.9950371980667114, 0.9950371384620667], [0.09950372576713562, 0.09950371831655502]],
        rtol=1e-7)
    assert _values(clip_by_norm(tf.constant([3.0, 4.0]), -1.0)) == [0.0, 0.0]
    result = clip_by_norm(tf.constant([3.0, 4.0], tf.float64), 1.0)
    assert result.dtype == tf.float64 and _values(result) == pytest.approx([0.6, 0.8], rel=1e-15)
    np.testing.assert_allclose(_values(clip_by_norm(tf.constant([3.0, 4.0]),
                                                    tf.constant(1.0, tf.float64))), [0.6, 0.8],
                               rtol=1e-7)
    np.testing.assert_allclose(_values(clip_by_norm(tf.constant([3.0, 4.0]),
                                                    tf.constant([1.0, 2.0]))), [0.6, 1.6],
                               rtol=1e-7)
    assert np.array_equal(clip_by_norm(tf.constant([inf, 1.0]), 1.0).numpy(), [nan, 0.0],
                          equal_nan=True)
    assert _values(clip_by_norm(tf.constant([3e30, 4e30]), 1.0)) == [0.0, 0.0]  # norm is inf
    assert clip_by_norm(tf.constant([1.0, 2.0], tf.float16), 1.0).dtype == tf.float16


def test_clip_by_norm_of_integers():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Value for attr 'T' of int32 is not in the list of allowed values"
                             r".*\[Op:Sqrt\]$"):  # recorded from TF 2.21
        clip_by_norm(tf.constant([3, 4]), 1)


def test_clip_by_norm_gradients():
    # recorded from TF 2.21
    weights = tf.constant([1.0, 2.0])
    np.testing.assert_allclose(_gradients(lambda x: clip_by_norm(x, 1.0) * weights, [3.0, 4.0]),
                               [[-0.06399999558925629, 0.04800000786781311]], rtol=1e-6)
    assert _gradients(lambda x: clip_by_norm(x, 10.0) * weights, [3.0, 4.0]) == [[1.0, 2.0]]
    assert _gradients(lambda x: clip_by_norm(x, 10.0), [0.0, 0.0]) == [[1.0, 1.0]]
    np.testing.assert_allclose(
        _gradients(lambda c: clip_by_norm(tf.constant([3.0, 4.0]), c), 1.0), [1.4], rtol=1e-6)
    x = np.array([[3.0, -4.0, 1.0], [0.2, 0.1, -0.3]])  # one row clipped, one not
    check_gradients(lambda t, c: clip_by_norm(t, c, axes=[1]), x, np.array(2.0), order=2)


# --- global_norm and clip_by_global_norm --------------------------------------------------------

def test_global_norm():
    # recorded from TF 2.21
    assert _values(global_norm([tf.constant([3.0]), tf.constant([[4.0]])])) == 5.0
    assert _values(global_norm([tf.constant([3.0]), None, tf.constant([4.0])])) == 5.0
    for empty in ([None], []):
        result = global_norm(empty)
        assert result.dtype == tf.float32 and _values(result) == 0.0
    assert _values(global_norm((tf.constant([3.0]), tf.constant([4.0])))) == 5.0
    assert _values(global_norm([[3.0], [4.0]])) == 5.0
    assert _values(global_norm([tf.Variable([3.0, 4.0])])) == 5.0
    assert _values(global_norm([tf.constant([300.0, 400.0], tf.float16)])) == inf
    assert global_norm([tf.constant([1.0], tf.float64)]).dtype == tf.float64
    assert _gradients(lambda a, b: global_norm([a, b]), [3.0], [4.0]) == [
        [0.6000000238418579], [0.800000011920929]]
    check_gradients(lambda a, b: global_norm([a, b]), np.array([1.0, -2.0]),
                    np.array([[0.5], [3.0]]), order=2)


@pytest.mark.parametrize("function", [global_norm,
                                      lambda t_list: clip_by_global_norm(t_list, 1.0)])
def test_global_norm_errors(function):
    # recorded from TF 2.21
    with pytest.raises(TypeError, match=r"^`t_list` should be a sequence of tensors. Received "
                                        r"<class '.*Tensor'>.$"):
        function(tf.constant([3.0, 4.0]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^cannot compute Pack as input #1\(zero-based\) was expected to be "
                             r"a float tensor but is a double tensor \[Op:Pack\]$"):
        function([tf.constant([3.0]), tf.constant([4.0], tf.float64)])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Value for attr 'T' of int32 is not in the list of allowed "
                             r"values: half, float, double \[Op:L2Loss\]$"):
        function([tf.constant([3])])


def test_clip_by_global_norm():
    # recorded from TF 2.21
    clipped, norm = clip_by_global_norm([tf.constant([3.0]), None, tf.constant([4.0])], 1.0)
    assert isinstance(clipped, list) and clipped[1] is None and _values(norm) == 5.0
    np.testing.assert_allclose([_values(clipped[0]), _values(clipped[2])], [[0.6], [0.8]],
                               rtol=1e-7)
    clipped, norm = clip_by_global_norm((tf.constant([3.0]), tf.constant([4.0])), 10.0)
    assert isinstance(clipped, list) and [_values(t) for t in clipped] == [[3.0], [4.0]]
    clipped, norm = clip_by_global_norm([tf.constant([3.0]), tf.constant([4.0])], 1.0,
                                        use_norm=10.0)
    np.testing.assert_allclose([_values(t) for t in clipped], [[0.3], [0.4]], rtol=1e-7)
    for bad in (inf, nan):  # a non-finite norm makes everything nan
        clipped, norm = clip_by_global_norm([tf.constant([bad]), tf.constant([4.0])], 1.0)
        assert np.isnan([_values(t) for t in clipped]).all()
    clipped, norm = clip_by_global_norm([tf.constant([3.0], tf.float64)], 1.0)
    assert norm.dtype == tf.float64 and _values(clipped[0]) == [1.0]
    clipped, norm = clip_by_global_norm([tf.constant([3.0])], -1.0)
    assert _values(clipped[0]) == [3.0]
    with pytest.raises(TypeError, match="^`x` and `y` must have the same dtype, got tf.float32 "
                                        "!= tf.float64.$"):
        clip_by_global_norm([tf.constant([3.0])], tf.constant(1.0, tf.float64))


def test_clip_by_global_norm_gradients():
    # recorded from TF 2.21
    np.testing.assert_allclose(
        _gradients(lambda a, b: clip_by_global_norm([a, b], 1.0)[0][0], [3.0], [4.0]),
        [[0.12800000607967377], [-0.09600000083446503]], rtol=1e-6)
    assert _gradients(lambda a, b: clip_by_global_norm([a, b], 1.0)[1], [3.0], [4.0]) == [
        [0.6000000238418579], [0.800000011920929]]
    check_gradients(lambda a, b: clip_by_global_norm([a, b], 1.5)[0],
                    np.array([1.0, -2.0]), np.array([[0.5], [3.0]]), order=2)
