"""`tf.debugging` assertions, eagerly: return None or raise TensorFlow's error and message."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops import check_ops
from eagerflow.ops.check_ops import Assert
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError


def _raises(f, *args, **kwargs):
    with pytest.raises(InvalidArgumentError) as info:
        f(*args, **kwargs)
    return info.value.message


# --- binary comparisons -----------------------------------------------------------------

@pytest.mark.parametrize("name, x, y", [
    ("assert_equal", [1, 2], [1, 2]), ("assert_equal", [[1, 1]], 1),
    ("assert_equal", tf.zeros((0,)), tf.ones((0,))), ("assert_equal", [1.0], 1.0),
    ("assert_none_equal", [1, 2], [2, 3]), ("assert_less", [1, 2], [2, 3]),
    ("assert_less_equal", [1, 3], [1, 3]), ("assert_greater", [2, 3], [1, 2]),
    ("assert_greater_equal", [1, 3], 1), ("assert_less", np.array([1.0]), np.array([1.5])),
])
def test_binary_asserts_pass(name, x, y):
    assert getattr(check_ops, name)(x, y) is None


@pytest.mark.parametrize("name, x, y, kwargs, message", [
    ("assert_equal", [1, 2], [1, 3], {},
     "Condition x == y did not hold.\nIndices of first 1 different values:\n[[1]]\n"
     "Corresponding x values:\n[2]\nCorresponding y values:\n[3]\nFirst 2 elements of x:\n"
     "[1 2]\nFirst 2 elements of y:\n[1 3]"),
    ("assert_equal", [1, 2], [1, 3], {"message": "custom"},
     "custom\nCondition x == y did not hold.\nIndices of first 1 different values:\n[[1]]\n"
     "Corresponding x values:\n[2]\nCorresponding y values:\n[3]\nFirst 2 elements of x:\n"
     "[1 2]\nFirst 2 elements of y:\n[1 3]"),
    ("assert_equal", tf.range(10), tf.range(1, 11), {"summarize": 2},
     "Condition x == y did not hold.\nIndices of first 2 different values:\n[[0]\n [1]]\n"
     "Corresponding x values:\n[0 1]\nCorresponding y values:\n[1 2]\nFirst 2 elements of x:\n"
     "[0 1]\nFirst 2 elements of y:\n[1 2]"),
    ("assert_equal", tf.range(10), tf.range(1, 11), {},
     "Condition x == y did not hold.\nIndices of first 3 different values:\n[[0]\n [1]\n [2]]\n"
     "Corresponding x values:\n[0 1 2]\nCorresponding y values:\n[1 2 3]\nFirst 3 elements of "
     "x:\n[0 1 2]\nFirst 3 elements of y:\n[1 2 3]"),
    ("assert_equal", 1, 2, {},
     "Condition x == y did not hold.\nFirst 1 elements of x:\n[1]\nFirst 1 elements of y:\n[2]"),
    ("assert_equal", [[1, 2], [3, 4]], [[1, 0], [0, 4]], {},
     "Condition x == y did not hold.\nIndices of first 2 different values:\n[[0 1]\n [1 0]]\n"
     "Corresponding x values:\n[2 3]\nCorresponding y values:\n[0 0]\nFirst 3 elements of x:\n"
     "[1 2 3]\nFirst 3 elements of y:\n[1 0 0]"),
    ("assert_equal", [[1, 2], [3, 4]], 1, {},
     "Condition x == y did not hold.\nFirst 3 elements of x:\n[1 2 3]\nFirst 1 elements of y:\n"
     "[1]"),
    ("assert_equal", ["a"], ["b"], {},
     "Condition x == y did not hold.\nIndices of first 1 different values:\n[[0]]\n"
     "Corresponding x values:\n[b'a']\nCorresponding y values:\n[b'b']\nFirst 1 elements of "
     "x:\n[b'a']\nFirst 1 elements of y:\n[b'b']"),
    ("assert_none_equal", [1, 2], [1, 3], {},
     "Condition x != y did not hold.\nIndices of first 1 different values:\n[[0]]\n"
     "Corresponding x values:\n[1]\nCorresponding y values:\n[1]\nFirst 2 elements of x:\n"
     "[1 2]\nFirst 2 elements of y:\n[1 3]"),
    ("assert_less", [1, 2], [1, 3], {},
     "Condition x < y did not hold.\nIndices of first 1 different values:\n[[0]]\n"
     "Corresponding x values:\n[1]\nCorresponding y values:\n[1]\nFirst 2 elements of x:\n"
     "[1 2]\nFirst 2 elements of y:\n[1 3]"),
    ("assert_less_equal", [1, 4], [1, 3], {},
     "Condition x <= y did not hold.\nIndices of first 1 different values:\n[[1]]\n"
     "Corresponding x values:\n[4]\nCorresponding y values:\n[3]\nFirst 2 elements of x:\n"
     "[1 4]\nFirst 2 elements of y:\n[1 3]"),
    ("assert_greater", [1, 2], [1, 3], {},
     "Condition x > y did not hold.\nIndices of first 2 different values:\n[[0]\n [1]]\n"
     "Corresponding x values:\n[1 2]\nCorresponding y values:\n[1 3]\nFirst 2 elements of x:\n"
     "[1 2]\nFirst 2 elements of y:\n[1 3]"),
    ("assert_greater_equal", [1.5, 2.0], [1.0, 3.0], {},
     "Condition x >= y did not hold.\nIndices of first 1 different values:\n[[1]]\n"
     "Corresponding x values:\n[2.]\nCorresponding y values:\n[3.]\nFirst 2 elements of x:\n"
     "[1.5 2. ]\nFirst 2 elements of y:\n[1. 3.]"),
])  # recorded from TF 2.21
def test_binary_assert_messages(name, x, y, kwargs, message):
    assert _raises(getattr(check_ops, name), x, y, **kwargs) == message


def test_binary_assert_operand_errors():
    # recorded from TF 2.21: the comparison op reports bad shapes and dtypes.
    assert _raises(check_ops.assert_equal, [1, 2], [1, 2, 3]) == (
        "Incompatible shapes: [2] vs. [3] [Op:Equal]")
    assert _raises(check_ops.assert_equal, tf.constant([1.0]), 1) == (
        "cannot compute Equal as input #1(zero-based) was expected to be a float tensor but is "
        "a int32 tensor [Op:Equal]")
    assert _raises(check_ops.assert_less, tf.constant([1], tf.int64), tf.constant([2])) == (
        "cannot compute Less as input #1(zero-based) was expected to be a int64 tensor but is "
        "a int32 tensor [Op:Less]")


# --- signs ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, passing", [
    ("assert_positive", [1.0, 2.0]), ("assert_negative", [-1, -2]),
    ("assert_non_negative", [0, 2]), ("assert_non_positive", [0.0, -2.0]),
])
def test_sign_asserts_pass(name, passing):
    assert getattr(check_ops, name)(passing) is None
    assert getattr(check_ops, name)(tf.zeros((0,))) is None


@pytest.mark.parametrize("name, x, kwargs, message", [
    ("assert_positive", [1, 0, -1], {},
     "\nCondition x > 0 did not hold element-wise:\nx (shape=(3,) dtype=int32) = \n"
     "['1', '0', '-1']"),
    ("assert_negative", [1, 0, -1], {},
     "\nCondition x < 0 did not hold element-wise:\nx (shape=(3,) dtype=int32) = \n"
     "['1', '0', '-1']"),
    ("assert_non_negative", [1, 0, -1], {},
     "\nCondition x >= 0 did not hold element-wise:\nx (shape=(3,) dtype=int32) = \n"
     "['1', '0', '-1']"),
    ("assert_non_positive", [1, 0, -1], {},
     "\nCondition x <= 0 did not hold element-wise:x (shape=(3,) dtype=int32) = \n"
     "['1', '0', '-1']"),
    ("assert_positive", [-1.5], {"message": "m"},
     "m.  \nCondition x > 0 did not hold element-wise:\nx (shape=(1,) dtype=float32) = \n"
     "['-1.5']"),
    ("assert_positive", [[-1.5, 2.0], [3.0, 4.0]], {},
     "\nCondition x > 0 did not hold element-wise:\nx (shape=(2, 2) dtype=float32) = \n"
     "['-1.5', '2.0', '3.0', '...']"),
    ("assert_positive", [-1, 2, 3, 4, 5], {"summarize": 2},
     "\nCondition x > 0 did not hold element-wise:\nx (shape=(5,) dtype=int32) = \n"
     "['-1', '2', '...']"),
    ("assert_positive", -1, {},
     "\nCondition x > 0 did not hold element-wise:\nx (shape=() dtype=int32) = \n-1"),
    ("assert_positive", tf.constant([0], tf.uint8), {},
     "\nCondition x > 0 did not hold element-wise:\nx (shape=(1,) dtype=uint8) = \n['0']"),
])  # recorded from TF 2.21
def test_sign_assert_messages(name, x, kwargs, message):
    assert _raises(getattr(check_ops, name), x, **kwargs) == message


def test_sign_assert_of_strings():
    with pytest.raises(TypeError, match="Cannot convert 0 to EagerTensor of dtype string"):
        check_ops.assert_positive(["a"])  # recorded from TF 2.21


# --- assert_near ------------------------------------------------------------------------

_FALSE = "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
_EPS32 = "tf.Tensor(1.1920929e-06, shape=(), dtype=float32)"


@pytest.mark.parametrize("x, y, kwargs", [
    ([1.0, 2.0], [1.0, 2.0000001], {}), (tf.zeros((0,)), tf.zeros((0,)), {}),
    (np.array([1.0]), np.array([1.001]), {"rtol": 0.01}), ([1 + 1j], [1 + 1j], {}),
])
def test_assert_near_passes(x, y, kwargs):
    assert check_ops.assert_near(x, y, **kwargs) is None


@pytest.mark.parametrize("x, y, kwargs, message", [
    ([1.0, 2.0], [1.0, 2.1], {},
     f"{_FALSE}b''\nb'x and y not equal to tolerance rtol = {_EPS32}, atol = {_EPS32}'\n"
     "b'x (shape=(2,) dtype=float32) = '\n1.0, 2.0\nb'y (shape=(2,) dtype=float32) = '\n1.0, 2.1"),
    ([1.0, 2.0, 3.0, 4.0], [1.0, 2.1, 3.0, 4.0], {"message": "hi", "summarize": 2},
     f"{_FALSE}b'hi.  '\nb'x and y not equal to tolerance rtol = {_EPS32}, atol = {_EPS32}'\n"
     "b'x (shape=(4,) dtype=float32) = '\n1.0, 2.0, ...\nb'y (shape=(4,) dtype=float32) = '\n"
     "1.0, 2.1, ..."),
    ([1.0, 2.0, 3.0, 4.0], [1.0, 2.1, 3.0, 4.0], {"summarize": -1},
     f"{_FALSE}b''\nb'x and y not equal to tolerance rtol = {_EPS32}, atol = {_EPS32}'\n"
     "b'x (shape=(4,) dtype=float32) = '\n1.0, 2.0, 3.0, 4.0\n"
     "b'y (shape=(4,) dtype=float32) = '\n1.0, 2.1, 3.0, 4.0"),
    (np.array([1.0]), np.array([1.1]), {"rtol": 0.01, "atol": 0.01},
     f"{_FALSE}b''\nb'x and y not equal to tolerance rtol = tf.Tensor(0.01, shape=(), "
     "dtype=float64), atol = tf.Tensor(0.01, shape=(), dtype=float64)'\n"
     "b'x (shape=(1,) dtype=float64) = '\n1.0\nb'y (shape=(1,) dtype=float64) = '\n1.1"),
    ([1.0], [1.0], {"rtol": 0.0, "atol": 0.0},
     f"{_FALSE}b''\nb'x and y not equal to tolerance rtol = tf.Tensor(0.0, shape=(), "
     "dtype=float32), atol = tf.Tensor(0.0, shape=(), dtype=float32)'\n"
     "b'x (shape=(1,) dtype=float32) = '\n1.0\nb'y (shape=(1,) dtype=float32) = '\n1.0"),
    (np.nan, np.nan, {},
     f"{_FALSE}b''\nb'x and y not equal to tolerance rtol = {_EPS32}, atol = {_EPS32}'\n"
     "b'x (shape=() dtype=float32) = '\nnan\nb'y (shape=() dtype=float32) = '\nnan"),
    (tf.constant([1.0], tf.float16), tf.constant([2.0], tf.float16), {},
     f"{_FALSE}b''\nb'x and y not equal to tolerance rtol = tf.Tensor(0.009766, shape=(), "
     "dtype=float16), atol = tf.Tensor(0.009766, shape=(), dtype=float16)'\n"
     "b'x (shape=(1,) dtype=float16) = '\n1.0\nb'y (shape=(1,) dtype=float16) = '\n2.0"),
    ([1 + 1j], [1 + 2j], {},
     f"{_FALSE}b''\nb'x and y not equal to tolerance rtol = tf.Tensor(2.220446049250313e-15, "
     "shape=(), dtype=float64), atol = tf.Tensor(2.220446049250313e-15, shape=(), "
     "dtype=float64)'\nb'x (shape=(1,) dtype=complex128) = '\n(1+1j)\n"
     "b'y (shape=(1,) dtype=complex128) = '\n(1+2j)"),
    ([1.0], 2.0, {"summarize": 0}, f"{_FALSE}\n\n\n...\n\n"),
])  # recorded from TF 2.21
def test_assert_near_messages(x, y, kwargs, message):
    assert _raises(check_ops.assert_near, x, y, **kwargs) == message


def test_assert_near_needs_inexact_values():
    with pytest.raises(ValueError, match="data type <class 'numpy.int32'> not inexact"):
        check_ops.assert_near([1], [1])  # recorded from TF 2.21


# --- Assert -----------------------------------------------------------------------------

@pytest.mark.parametrize("condition, data, summarize, message", [
    (False, ["x is", tf.constant([1, 2, 3, 4]), 5.0], None,
     "Expected 'False' to be true. Summarized data: b'x is'\n1, 2, 3, ...\n5.0"),
    (tf.constant(False), ["x is", tf.constant([[1, 2], [3, 4]])], 2,
     "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
     "b'x is'\n1, 2, ..."),
    (tf.less(1, 0), [tf.range(5)], -1,
     "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
     "0, 1, 2, 3, 4"),
    (False, [tf.range(5), 3], 0, "Expected 'False' to be true. Summarized data: ...\n"),
    (False, [tf.zeros((0,))], None, "Expected 'False' to be true. Summarized data: "),
    (False, [], None, "Expected 'False' to be true. Summarized data: "),
    (False, "xy", None, "Expected 'False' to be true. Summarized data: b'x'\nb'y'"),
    (False, [[1, 2]], None, "Expected 'False' to be true. Summarized data: 1, 2"),
    (False, [tf.constant([True, False])], None,
     "Expected 'False' to be true. Summarized data: True, False"),
    (False, [np.array([0.1, 1 / 3])], None,
     "Expected 'False' to be true. Summarized data: 0.1, 0.3333333333333333"),
    (False, [tf.constant([0.1, 1 / 3])], None,
     "Expected 'False' to be true. Summarized data: 0.1, 0.33333334"),
    (tf.constant(0), ["x"], None,
     "Expected 'tf.Tensor(0, shape=(), dtype=int32)' to be true. Summarized data: b'x'"),
    (np.bool_(False), ["x"], None, "Expected 'False' to be true. Summarized data: b'x'"),
])  # recorded from TF 2.21
def test_assert_messages(condition, data, summarize, message):
    assert _raises(Assert, condition, data, summarize=summarize) == message


def test_assert_passes():
    # recorded from TF 2.21: a non-empty Python list is true.
    for condition in (True, tf.constant(True), tf.constant(1), [True, False]):
        assert Assert(condition, ["never shown"]) is None


# --- rank and dtype checks --------------------------------------------------------------

def test_static_checks_pass():
    x = tf.zeros((2, 3))
    assert check_ops.assert_rank(x, 2) is None
    assert check_ops.assert_rank(x, tf.constant(2)) is None
    assert check_ops.assert_rank_at_least(x, 1) is None
    assert check_ops.assert_rank_in(x, [1, 2]) is None
    assert check_ops.assert_type(x, tf.float32) is None
    assert check_ops.assert_type(x, "float32") is None
    assert check_ops.assert_type([1], tf.int32) is None
    assert check_ops.assert_integer(tf.constant(1, tf.uint8)) is None
    assert check_ops.assert_scalar(3) is None
    assert check_ops.assert_proper_iterable([1]) is None


@pytest.mark.parametrize("f, args, kwargs, error, message", [
    (check_ops.assert_rank, (tf.zeros((2, 3)), 3), {}, ValueError,
     "Tensor  must have rank 3.  Received rank 2, shape (2, 3)"),
    (check_ops.assert_rank, (tf.zeros((2, 3)), 3), {"message": "mm"}, ValueError,
     "mm.  Tensor  must have rank 3.  Received rank 2, shape (2, 3)"),
    (check_ops.assert_rank, (tf.zeros(()), -1), {}, ValueError,
     "Tensor  must have rank -1.  Received rank 0, shape ()"),
    (check_ops.assert_rank, (tf.zeros((2, 3)), [2]), {}, ValueError, "Rank must be a scalar."),
    (check_ops.assert_rank, (tf.zeros((2, 3)), 2.0), {}, TypeError,
     "tensor must be of type tf.int32; got tf.float32"),
    (check_ops.assert_rank, (tf.zeros((2, 3)), tf.constant(2, tf.int64)), {}, TypeError,
     "tensor must be of type tf.int32; got tf.int64"),
    (check_ops.assert_rank_at_least, (tf.zeros((2, 3)), 3), {"message": "mm"}, ValueError,
     "mm.  Tensor  must have rank at least 3.  Received rank 2, shape (2, 3)"),
    (check_ops.assert_rank_at_least, (tf.zeros(()), tf.constant(1)), {}, ValueError,
     "Tensor  must have rank at least 1.  Received rank 0, shape ()"),
    (check_ops.assert_rank_in, (tf.zeros((2, 3)), [1, 3]), {"message": "mm"}, ValueError,
     "mm.  Tensor  must have rank in (1, 3).  Received rank 2, shape (2, 3)"),
    (check_ops.assert_rank_in, (tf.zeros(()), [tf.constant(1), 2]), {}, ValueError,
     "Tensor  must have rank in (1, 2).  Received rank 0, shape ()"),
    (check_ops.assert_rank_in, (tf.zeros(()), [1.0]), {}, TypeError,
     "tensor must be of type tf.int32; got tf.float32"),
    (check_ops.assert_rank_in, (tf.zeros(()), [[1]]), {}, ValueError, "Rank must be a scalar."),
    (check_ops.assert_type, (tf.zeros(()), tf.int32), {}, TypeError,
     "tensor must be of type tf.int32; got tf.float32"),
    (check_ops.assert_type, (tf.zeros(()), tf.int32), {"message": "mm"}, TypeError,
     "mm.  tensor must be of type tf.int32; got tf.float32"),
    (check_ops.assert_type, (tf.Variable(1.0), tf.int32), {}, TypeError,
     "tensor must be of type tf.int32; got tf.float32"),
    (check_ops.assert_integer, (tf.zeros(()),), {"message": "mm"}, TypeError,
     "mm.  Expected \"x\" to be integer type.  Found: tensor of dtype <dtype: 'float32'>"),
    (check_ops.assert_scalar, (tf.constant([1]),), {}, ValueError,
     "Expected scalar shape, saw shape: (1,)."),
    (check_ops.assert_scalar, ([3],), {"message": "mm"}, ValueError,
     "mm.  Expected scalar shape, saw shape: (1,)."),
])  # recorded from TF 2.21
def test_static_check_errors(f, args, kwargs, error, message):
    with pytest.raises(error) as info:
        f(*args, **kwargs)
    assert str(info.value) == message


def test_dtype_helpers():
    # recorded from TF 2.21
    assert check_ops.assert_same_float_dtype([tf.zeros(()), tf.zeros(())]) is tf.float32
    assert check_ops.assert_same_float_dtype(None, tf.float64) is tf.float64
    assert check_ops.assert_same_float_dtype() is tf.float32
    with pytest.raises(ValueError) as info:
        check_ops.assert_same_float_dtype([tf.zeros(()), tf.zeros((), tf.float64)])
    assert str(info.value) == (
        "tf.Tensor(0.0, shape=(), dtype=float64), type=<dtype: 'float64'>, must be of the same "
        "type (<dtype: 'float32'>) as tf.Tensor(0.0, shape=(), dtype=float32).")
    with pytest.raises(ValueError, match="Expected floating point type, got <dtype: 'int32'>."):
        check_ops.assert_same_float_dtype([tf.zeros((), tf.int32)])
    for value in (tf.constant([1]), "ab", np.array([1])):
        with pytest.raises(TypeError, match='Expected argument "values" to be a "proper" '
                                            'iterable.  Found: '):
            check_ops.assert_proper_iterable(value)
    with pytest.raises(TypeError, match="Expected argument \"values\" to be iterable.  Found: "
                                        "<class 'int'>"):
        check_ops.assert_proper_iterable(3)
    assert [check_ops.is_numeric_tensor(v) for v in (
        tf.constant(1), tf.constant("a"), 1, tf.constant(True), tf.constant(1j))] == [
        True, False, False, False, True]


@pytest.mark.parametrize("x, non_decreasing, strictly_increasing", [
    ([1, 1, 2], True, False), ([[1, 2], [3, 4]], True, True), ([], True, True),
    ([3.0], True, True), ([2, 1], False, False),
])  # recorded from TF 2.21
def test_monotonicity(x, non_decreasing, strictly_increasing):
    result = check_ops.is_non_decreasing(x)
    assert result.dtype is tf.bool and result.shape.rank == 0
    assert bool(result) is non_decreasing
    assert bool(check_ops.is_strictly_increasing(x)) is strictly_increasing


def test_monotonicity_needs_numbers():
    with pytest.raises(TypeError) as info:
        check_ops.is_strictly_increasing(["a"])
    assert str(info.value) == ("Expected x to be numeric, instead found: tf.Tensor([b'a'], "
                               "shape=(1,), dtype=string)")  # recorded from TF 2.21


# --- numerics ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, message", [
    (tf.constant([1.0, np.nan]), "bad : Tensor had NaN values"),
    (tf.constant([1.0, np.inf]), "bad : Tensor had Inf values"),
    (tf.constant([1.0, -np.inf]), "bad : Tensor had Inf values"),
    (tf.constant([np.inf, np.nan]), "bad : Tensor had Inf and NaN values"),
    (tf.constant([np.inf], tf.float64), "bad : Tensor had Inf values"),
    (tf.constant([np.inf], tf.float16), "bad : Tensor had Inf values"),
    (tf.constant(np.nan), "bad : Tensor had NaN values"),
])  # recorded from TF 2.21
def test_check_numerics_errors(value, message):
    for f in (check_ops.check_numerics, check_ops.assert_all_finite):
        assert _raises(f, value, "bad") == f"{message} [Op:CheckNumerics]"


def test_check_numerics_arguments():
    x = tf.constant([1.0, 2.0])
    # recorded from TF 2.21
    assert check_ops.check_numerics(x, "m").numpy().tolist() == [1.0, 2.0]
    assert check_ops.assert_all_finite(np.array([1.0]), "m").dtype is tf.float64
    assert _raises(check_ops.check_numerics, tf.constant([np.nan]), b"bytes") == (
        "bytes : Tensor had NaN values [Op:CheckNumerics]")
    assert _raises(check_ops.check_numerics, tf.constant([np.nan]), "") == (
        " : Tensor had NaN values [Op:CheckNumerics]")
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32 is not in the "
                                                   "list of allowed values"):
        check_ops.check_numerics(tf.constant([1]), "m")
    with pytest.raises(TypeError):
        check_ops.check_numerics(x)  # message is required


def test_check_numerics_gradients(rng):
    check_gradients(lambda x: check_ops.check_numerics(x, "m") ** 2, rng.standard_normal((2, 3)))
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = check_ops.check_numerics(x, "m") * np.float32(np.nan)
    assert _raises(tape.gradient, y, x) == (  # recorded from TF 2.21
        "Not a number (NaN) or infinity (Inf) values detected in gradient. b'm' : Tensor had "
        "NaN values [Op:CheckNumerics]")
