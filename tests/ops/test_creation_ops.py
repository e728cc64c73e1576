"""Tensors made from shapes and values: zeros, ones, *_like, fill, eye, range, linspace."""

import numpy as np
import pytest

import eagerflow as tf
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError


# --- zeros and ones ---------------------------------------------------------------------

@pytest.mark.parametrize("make, fill_value", [(tf.zeros, 0), (tf.ones, 1)])
@pytest.mark.parametrize("shape, dtype, np_dtype", [
    ((2, 3), tf.float32, np.float32), ([2], tf.int32, np.int32), (3, tf.float32, np.float32),
    ([], tf.float32, np.float32), ((2,), "float64", np.float64), ((2,), tf.bool, np.bool_),
    ((2,), tf.complex64, np.complex64), (tf.constant([2, 1]), tf.float32, np.float32),
    (tf.TensorShape([2, 3]), tf.uint8, np.uint8), ((0, 2), tf.int64, np.int64)])
def test_zeros_and_ones(make, fill_value, shape, dtype, np_dtype):
    t = make(shape) if dtype is tf.float32 else make(shape, dtype)
    expected_shape = list(np.asarray(shape, dtype=int).reshape(-1)) if not isinstance(
        shape, tf.TensorShape) else shape.as_list()
    assert t.dtype is tf.as_dtype(dtype)
    assert t.shape.as_list() == expected_shape
    assert t.numpy().dtype == np_dtype
    assert np.all(t.numpy() == fill_value)


def test_zeros_of_strings():
    t = tf.zeros((2,), tf.string)
    assert t.dtype is tf.string and t.numpy().tolist() == [b"", b""]  # recorded from TF 2.21
    with pytest.raises(TypeError, match="Cannot convert 1 to EagerTensor of dtype string"):
        tf.ones((2,), tf.string)


@pytest.mark.parametrize("make", [tf.zeros, tf.ones])
def test_zeros_and_ones_errors(make):
    with pytest.raises(InvalidArgumentError) as info:
        make((-1, 2))
    assert info.value.message == "Dimension -1 must be >= 0 [Op:Fill]"  # recorded from TF 2.21
    with pytest.raises(TypeError, match=r"Cannot convert \(2.0, 3\) to EagerTensor of dtype "
                                        r"int32"):
        make((2.0, 3))
    with pytest.raises(TypeError, match="Cannot convert 2.5 to EagerTensor of dtype int32"):
        make(2.5)


@pytest.mark.parametrize("value, dtype, expected_dtype", [
    (tf.Variable([[1, 2]]), None, tf.int32), (tf.Variable([[1, 2]]), tf.float32, tf.float32),
    ([[1.5, 2.0]], None, tf.float32), (np.array([[1.0, 2.0]]), None, tf.float64),
    (tf.constant([[True, False]]), None, tf.bool), (tf.constant([[1, 2]], tf.int8), "int64",
                                                     tf.int64)])
def test_zeros_like_and_ones_like(value, dtype, expected_dtype):
    # recorded from TF 2.21
    zeros, ones = tf.zeros_like(value, dtype=dtype), tf.ones_like(value, dtype=dtype)
    for t, fill_value in ((zeros, 0), (ones, 1)):
        assert t.dtype is expected_dtype
        assert t.shape.as_list() == [1, 2]
        assert t.numpy().tolist() == [[fill_value, fill_value]]


def test_like_of_strings():
    assert tf.zeros_like(tf.constant(["a"])).numpy().tolist() == [b""]  # recorded from TF 2.21
    with pytest.raises(InvalidArgumentError,
                       match="Value for attr 'T' of string is not in the list of allowed values"):
        tf.ones_like(tf.constant(["a"]))
    assert tf.ones_like(tf.constant(["a"]), dtype=tf.float32).numpy().tolist() == [1.0]


def test_like_does_not_follow_the_variable():
    v = tf.Variable([1.0, 2.0])
    zeros = tf.zeros_like(v)
    v.assign([3.0, 4.0])
    assert zeros.numpy().tolist() == [0.0, 0.0]


# --- fill -------------------------------------------------------------------------------

@pytest.mark.parametrize("dims, value, dtype, expected", [
    ((2, 2), 3, tf.int32, [[3, 3], [3, 3]]),
    ([2], 1.5, tf.float32, [1.5, 1.5]),
    ([2], True, tf.bool, [True, True]),
    ([2], "s", tf.string, [b"s", b"s"]),
    ([], 2.0, tf.float32, 2.0),
    ([2], tf.constant(2.0, tf.float64), tf.float64, [2.0, 2.0]),
    ([2], [1.0], tf.float32, [1.0, 1.0]),
    (tf.constant([2, 1]), 7, tf.int32, [[7], [7]]),
    ([2], np.float64(1.5), tf.float64, [1.5, 1.5]),
    ([2], tf.Variable(3.0), tf.float32, [3.0, 3.0]),
    ([0, 3], 1.0, tf.float32, []),
])  # recorded from TF 2.21
def test_fill(dims, value, dtype, expected):
    t = tf.fill(dims, value)
    assert t.dtype is dtype
    assert np.asarray(t.numpy()).reshape(-1).tolist() == np.asarray(expected).reshape(
        -1).tolist()
    assert t.shape.as_list() == list(np.asarray(dims, dtype=int).reshape(-1))


@pytest.mark.parametrize("dims, value, message", [
    ([2], [[1.0]], "value must represent a scalar, got shape [1,1]"),
    ([2], [1.0, 2.0], "value must represent a scalar, got shape [2]"),
    ([-1], 1.0, "Dimension -1 must be >= 0"),
])  # recorded from TF 2.21
def test_fill_errors(dims, value, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.fill(dims, value)
    assert info.value.message == f"{message} [Op:Fill]"


@pytest.mark.parametrize("value", [np.array(0.7), np.array([0.7])])
def test_fill_gradient(value):
    check_gradients(lambda v: tf.fill((2, 3), v) ** 2, value)
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.fill([2, 3], x))
    assert float(tape.gradient(y, x)) == 6.0


# --- eye --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, dtype, expected", [
    ((2,), {}, tf.float32, np.eye(2)),
    ((2, 3), {}, tf.float32, np.eye(2, 3)),
    ((3,), {"num_columns": 2}, tf.float32, np.eye(3, 2)),
    ((2,), {"batch_shape": [3]}, tf.float32, np.broadcast_to(np.eye(2), (3, 2, 2))),
    ((2,), {"batch_shape": [2, 1], "dtype": tf.int32}, tf.int32,
     np.broadcast_to(np.eye(2), (2, 1, 2, 2))),
    ((2,), {"dtype": tf.float64}, tf.float64, np.eye(2)),
    ((2,), {"dtype": tf.bool}, tf.bool, np.eye(2, dtype=bool)),
    ((0,), {}, tf.float32, np.eye(0)),
    ((tf.constant(2),), {}, tf.float32, np.eye(2)),
])  # recorded from TF 2.21
def test_eye(args, kwargs, dtype, expected):
    t = tf.eye(*args, **kwargs)
    assert t.dtype is dtype
    assert t.shape.as_list() == list(expected.shape)
    assert t.numpy().tolist() == expected.astype(dtype.as_numpy_dtype).tolist()


def test_eye_error():
    with pytest.raises(InvalidArgumentError, match=r"Dimension -1 must be >= 0 \[Op:Fill\]"):
        tf.eye(-1)  # recorded from TF 2.21


def test_eye_batch_is_writable_copy():
    t = tf.eye(2, batch_shape=[2])
    assert t.numpy().flags.writeable
    assert t.numpy()[1].tolist() == [[1.0, 0.0], [0.0, 1.0]]


# --- range ------------------------------------------------------------------------------

F32_TENTHS = [0.0, 0.10000000149011612, 0.20000000298023224, 0.30000001192092896,
              0.4000000059604645, 0.5, 0.6000000238418579, 0.699999988079071, 0.800000011920929,
              0.9000000357627869]


@pytest.mark.parametrize("args, kwargs, dtype, expected", [
    ((5,), {}, tf.int32, [0, 1, 2, 3, 4]),
    ((2, 5), {}, tf.int32, [2, 3, 4]),
    ((0, 10, 3), {}, tf.int32, [0, 3, 6, 9]),
    ((-3, 3, 2), {}, tf.int32, [-3, -1, 1]),
    ((5.0,), {}, tf.float32, [0.0, 1.0, 2.0, 3.0, 4.0]),
    ((0, 1, 0.25), {}, tf.float32, [0.0, 0.25, 0.5, 0.75]),
    ((1, 2.5), {}, tf.float32, [1.0, 2.0]),
    ((5,), {"dtype": tf.float32}, tf.float32, [0.0, 1.0, 2.0, 3.0, 4.0]),
    ((5,), {"dtype": tf.int64}, tf.int64, [0, 1, 2, 3, 4]),
    ((3,), {"dtype": tf.float64}, tf.float64, [0.0, 1.0, 2.0]),
    ((0, 10, 3), {"dtype": tf.float16}, tf.float16, [0.0, 3.0, 6.0, 9.0]),
    ((5, 0, -1), {}, tf.int32, [5, 4, 3, 2, 1]),
    ((5.0, 0.0, -1.5), {}, tf.float32, [5.0, 3.5, 2.0, 0.5]),
    ((5.5, 0, -1), {}, tf.float32, [5.5, 4.5, 3.5, 2.5, 1.5, 0.5]),
    ((0,), {}, tf.int32, []),
    ((tf.constant(3),), {}, tf.int32, [0, 1, 2]),
    ((tf.constant(3, tf.int64),), {}, tf.int64, [0, 1, 2]),
    ((tf.constant(1, tf.int64), tf.constant(3)), {}, tf.int64, [1, 2]),
    ((np.float64(2.0),), {}, tf.float64, [0.0, 1.0]),
    ((np.int64(3),), {}, tf.int64, [0, 1, 2]),
    ((tf.constant(1), 4.0), {}, tf.float32, [1.0, 2.0, 3.0]),
    ((tf.constant(1.0, tf.float64), 3), {}, tf.float64, [1.0, 2.0]),
    ((tf.constant(1.5), 4), {"dtype": tf.int32}, tf.int32, [1, 2, 3]),
    ((0, 1, 0.3), {}, tf.float32, [0.0, 0.30000001192092896, 0.6000000238418579,
                                   0.9000000357627869]),
    ((0.0, 1.0, 0.1), {}, tf.float32, F32_TENTHS),
    ((0.0, 1.0, 0.1), {"dtype": tf.float64}, tf.float64,
     [0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8,
      0.9]),
])  # recorded from TF 2.21
def test_range(args, kwargs, dtype, expected):
    t = tf.range(*args, **kwargs)
    assert t.dtype is dtype
    assert t.numpy().tolist() == expected


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((0, 5, 0), {}, InvalidArgumentError, "Requires delta != 0: 0 [Op:Range]"),
    ((0, 5.5, 0.0), {}, InvalidArgumentError, "Requires delta != 0: 0 [Op:Range]"),
    ((5, 0), {}, InvalidArgumentError, "Requires start <= limit when delta > 0: 5/0 [Op:Range]"),
    ((0, 5, -1), {}, InvalidArgumentError,
     "Requires start >= limit when delta < 0: 0/5 [Op:Range]"),
    ((tf.constant([1, 2]),), {}, InvalidArgumentError,
     "limit must be a scalar, not shape [2] [Op:Range]"),
    ((1.5,), {"dtype": tf.int32}, TypeError, "Cannot convert 1.5 to EagerTensor of dtype int32"),
    ((5,), {"dtype": tf.bool}, TypeError, "Cannot convert 0 to EagerTensor of dtype bool"),
    ((3,), {"dtype": tf.uint8}, InvalidArgumentError,
     "Value for attr 'Tidx' of uint8 is not in the list of allowed values: half, float, double, "
     "int8, int16, int32, int64, uint16, uint32, uint64 [Op:Range]"),
])  # recorded from TF 2.21
def test_range_errors(args, kwargs, error, message):
    with pytest.raises(error) as info:
        tf.range(*args, **kwargs)
    text = info.value.message if error is InvalidArgumentError else str(info.value)
    assert text == message


# --- linspace ---------------------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, dtype, expected", [
    ((0.0, 1.0, 5), {}, tf.float32, [0.0, 0.25, 0.5, 0.75, 1.0]),
    ((0, 1, 5), {}, tf.float64, [0.0, 0.25, 0.5, 0.75, 1.0]),
    ((1, 2, 1), {}, tf.float64, [1.0]),
    ((0.0, 1.0, 1), {}, tf.float32, [0.0]),
    ((0.0, 1.0, 0), {}, tf.float32, []),
    ((0.0, 1.0, 2), {}, tf.float32, [0.0, 1.0]),
    ((1.0, 0.0, 3), {}, tf.float32, [1.0, 0.5, 0.0]),
    ((0.0, 10, 3), {}, tf.float32, [0.0, 5.0, 10.0]),
    ((0.0, 1.0, tf.constant(3)), {}, tf.float32, [0.0, 0.5, 1.0]),
    ((tf.constant(0.0, tf.float64), 1.0, 3), {}, tf.float64, [0.0, 0.5, 1.0]),
    ((np.float64(0.0), 1.0, 3), {}, tf.float64, [0.0, 0.5, 1.0]),
    ((0.1, 0.7, 4), {}, tf.float32,
     [0.10000000149011612, 0.29999998211860657, 0.4999999701976776, 0.699999988079071]),
    ((0.2, 0.9, 7), {}, tf.float32,
     [0.20000000298023224, 0.3166666626930237, 0.4333333373069763, 0.550000011920929,
      0.6666666865348816, 0.7833333015441895, 0.8999999761581421]),
    ((-1.3, 2.9, 11), {}, tf.float32,
     [-1.2999999523162842, -0.8799999952316284, -0.4599999785423279, -0.039999961853027344,
      0.3799999952316284, 0.7999999523162842, 1.2200000286102295, 1.6399998664855957,
      2.059999942779541, 2.4800000190734863, 2.9000000953674316]),
    (([0.0, 1.0], [1.0, 2.0], 3), {}, tf.float32, [[0.0, 1.0], [0.5, 1.5], [1.0, 2.0]]),
    (([0.0, 1.0], [1.0, 2.0], 3), {"axis": 1}, tf.float32,
     [[0.0, 0.5, 1.0], [1.0, 1.5, 2.0]]),
    (([0.0, 1.0], [1.0, 2.0], 3), {"axis": -1}, tf.float32,
     [[0.0, 0.5, 1.0], [1.0, 1.5, 2.0]]),
    ((tf.constant([0.0, 1.0], tf.float64), tf.constant([1.0, 2.0], tf.float64), 4), {"axis": 1},
     tf.float64, [[0.0, 0.3333333333333333, 0.6666666666666666, 1.0],
                  [1.0, 1.3333333333333333, 1.6666666666666665, 2.0]]),
])  # recorded from TF 2.21
def test_linspace(args, kwargs, dtype, expected):
    t = tf.linspace(*args, **kwargs)
    assert t.dtype is dtype
    assert t.numpy().tolist() == expected


def test_linspace_errors():
    with pytest.raises(InvalidArgumentError) as info:
        tf.linspace(0.0, 1.0, -1)
    assert info.value.message == ("Requires start <= limit when delta > 0: 1/-1 "
                                  "[Op:Range]")  # recorded from TF 2.21
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.linspace(0, 1.5, 3)
