"""Elementwise math, comparisons, logic, bits, `where`, `cast` and Python's operators.

A table drives the sweep: each op's forward is checked against NumPy on every shape and
dtype of its row (dtype preserved), and its gradient with `check_gradients`. Hand-written
tests below pin TensorFlow's edge cases; values and messages marked "recorded from TF
2.21" come from running the same calls with `import tensorflow as tf`.
"""

import operator
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as tf
from tests.gradient_check import check_gradients

# NumPy's warnings from inside eagerflow's forwards (log(0), 0/0) are silenced by op.py;
# pytest resets warning filters per test, so say it again here.

FLOATS = (np.float16, np.float32, np.float64)
FLOATS_AND_INT = FLOATS + (np.int32,)
TOLERANCE = {np.float16: 4e-3, np.float32: 2e-6, np.float64: 1e-12}


# --- input domains ----------------------------------------------------------------------------
# A domain draws float64 values; integer dtypes get small integers from the same domain.

def _real(rng, shape):
    return rng.standard_normal(shape)


def _positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def _nonzero(rng, shape):
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 2.0, shape)


def _unit(rng, shape):  # |x| < 1: log1p's domain, and tan far from its poles
    return rng.uniform(-0.9, 0.9, shape)


def _off_half(rng, shape):  # round: away from the ties at k + 0.5
    return rng.integers(-4, 5, shape) + rng.uniform(-0.4, 0.4, shape)


def _off_integer(rng, shape):  # floor and ceil: away from the jumps at integers
    return rng.integers(-4, 5, shape) + rng.uniform(0.1, 0.9, shape)


_INTEGERS = {
    _real: lambda rng, shape: rng.integers(-5, 6, shape),
    _positive: lambda rng, shape: rng.integers(1, 5, shape),
    _nonzero: lambda rng, shape: rng.choice([-3, -2, -1, 1, 2, 3], shape),
    _off_half: lambda rng, shape: rng.integers(-5, 6, shape),
}


def _quotient_pair(rng, x_shape, y_shape, integer=False):
    """(x, y) with y off zero and every x / y off integers: floordiv and floormod off jumps."""
    if integer:
        return rng.integers(-9, 10, x_shape), rng.choice([-3, -2, -1, 1, 2, 3], y_shape)
    # x = 2k + u with u in (0.1, 0.9) or (1.1, 1.9): x / y for y = +-1 and +-2 is at least
    # 0.05 away from an integer, however x and y broadcast.
    u = rng.uniform(0.1, 0.9, x_shape) + rng.integers(0, 2, x_shape)
    x = 2 * rng.integers(-3, 3, x_shape) + u
    return x, rng.choice([-2.0, -1.0, 1.0, 2.0], y_shape)


class Row(NamedTuple):
    name: str
    op: object
    reference: object
    domains: tuple       # one domain per input, or a function of (rng, shapes, integer)
    dtypes: tuple
    gradient: object     # 2 or 1: check_gradients order; None: the tape gives None; 0: zeros


UNARY = [
    Row("negative", tf.negative, np.negative, (_real,), FLOATS_AND_INT, 2),
    Row("abs", tf.abs, np.abs, (_nonzero,), FLOATS_AND_INT, 1),
    Row("sign", tf.sign, np.sign, (_nonzero,), FLOATS_AND_INT, 0),
    Row("square", tf.square, np.square, (_real,), FLOATS_AND_INT, 2),
    Row("sqrt", tf.sqrt, np.sqrt, (_positive,), FLOATS, 2),
    Row("rsqrt", tf.math.rsqrt, lambda x: 1 / np.sqrt(x), (_positive,), FLOATS, 2),
    Row("reciprocal", tf.math.reciprocal, lambda x: 1 / x, (_nonzero,), FLOATS, 2),
    Row("exp", tf.exp, np.exp, (_real,), FLOATS, 2),
    Row("expm1", tf.math.expm1, np.expm1, (_real,), FLOATS, 2),
    Row("log", tf.math.log, np.log, (_positive,), FLOATS, 2),
    Row("log1p", tf.math.log1p, np.log1p, (_unit,), FLOATS, 2),
    Row("sin", tf.sin, np.sin, (_real,), FLOATS, 2),
    Row("cos", tf.cos, np.cos, (_real,), FLOATS, 2),
    Row("tan", tf.tan, np.tan, (_unit,), FLOATS, 2),
    Row("tanh", tf.tanh, np.tanh, (_real,), FLOATS, 2),
    Row("sigmoid", tf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), (_real,), FLOATS, 2),
    Row("conj", tf.math.conj, np.conj, (_real,), FLOATS_AND_INT, 2),
    Row("round", tf.round, np.round, (_off_half,), FLOATS_AND_INT, None),
    Row("floor", tf.floor, np.floor, (_off_integer,), FLOATS, None),
    Row("ceil", tf.math.ceil, np.ceil, (_off_integer,), FLOATS, None),
]

BINARY = [
    Row("add", tf.add, np.add, (_real, _real), FLOATS_AND_INT, 2),
    Row("subtract", tf.subtract, np.subtract, (_real, _real), FLOATS_AND_INT, 2),
    Row("multiply", tf.multiply, np.multiply, (_real, _real), FLOATS_AND_INT, 2),
    Row("truediv", tf.math.truediv, np.true_divide, (_real, _nonzero), FLOATS, 2),
    Row("divide", tf.divide, np.true_divide, (_real, _nonzero), FLOATS, 2),
    Row("floordiv", tf.math.floordiv, np.floor_divide, _quotient_pair, FLOATS_AND_INT, None),
    Row("floormod", tf.math.floormod, np.mod, _quotient_pair, FLOATS_AND_INT, 1),
    Row("pow", tf.pow, np.power, (_positive, _real), FLOATS, 2),
    Row("pow_int", tf.pow, np.power, (_real, _positive), (np.int32,), None),
    Row("maximum", tf.maximum, np.maximum, (_real, _real), FLOATS_AND_INT, 1),
    Row("minimum", tf.minimum, np.minimum, (_real, _real), FLOATS_AND_INT, 1),
]

UNARY_SHAPES = [(), (3,), (2, 3), (0, 3)]
BINARY_SHAPES = [((), ()), ((3,), (3,)), ((2, 1), (1, 3)), ((4, 3), (3,)), ((), (3,)),
                 ((3,), ()), ((0, 3), (3,)), ((0, 3), (1, 3))]


def _inputs(row, rng, shapes, dtype=np.float64):
    integer = np.dtype(dtype).kind in "iu"
    if callable(row.domains):
        arrays = row.domains(rng, *shapes, integer=integer)
    else:
        arrays = [(_INTEGERS[domain] if integer else domain)(rng, shape)
                  for domain, shape in zip(row.domains, shapes)]
    return [np.asarray(a, dtype=dtype) for a in arrays]


# (row, shapes) for every op and shape: one shape per input.
CASES = ([(row, (shape,)) for row in UNARY for shape in UNARY_SHAPES]
         + [(row, shapes) for row in BINARY for shapes in BINARY_SHAPES])


@pytest.mark.parametrize("row, shapes, dtype", [
    pytest.param(row, shapes, dtype, id=f"{row.name}-{shapes}-{np.dtype(dtype).name}")
    for row, shapes in CASES for dtype in row.dtypes])
def test_forward_matches_numpy_and_keeps_dtype(row, shapes, dtype, rng):
    arrays = _inputs(row, rng, shapes, dtype)
    result = row.op(*[tf.constant(a) for a in arrays])
    assert isinstance(result, tf.Tensor)
    assert result.dtype == tf.as_dtype(dtype)
    expected = row.reference(*[a.astype(np.float64) for a in arrays])
    assert result.shape == np.shape(expected)
    if np.dtype(dtype).kind == "f":
        tolerance = TOLERANCE[dtype]
        np.testing.assert_allclose(np.asarray(result, np.float64), expected, rtol=tolerance,
                                   atol=tolerance)
    else:
        np.testing.assert_array_equal(result.numpy(), expected.astype(dtype))


@pytest.mark.parametrize("row, shapes", [
    pytest.param(row, shapes, id=f"{row.name}-{shapes}")
    for row, shapes in CASES if any(np.dtype(d).kind == "f" for d in row.dtypes)])
def test_gradients(row, shapes, rng):
    arrays = _inputs(row, rng, shapes)
    if row.gradient in (1, 2):
        check_gradients(row.op, *arrays, order=row.gradient)
        return
    tensors = [tf.constant(a) for a in arrays]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(tensors)
        result = row.op(*tensors)
    for tensor in tensors:
        grad = tape.gradient(result, tensor)
        if row.gradient is None:  # round, floor, ceil, floordiv: recorded from TF 2.21
            assert grad is None
        else:  # sign: zeros, recorded from TF 2.21
            assert grad.dtype == tf.float64 and grad.shape == tensor.shape
            assert not np.any(grad.numpy())


FLOAT_ONLY = [row for row in UNARY if np.int32 not in row.dtypes]


@pytest.mark.parametrize("row", FLOAT_ONLY, ids=[row.name for row in FLOAT_ONLY])
def test_float_only_ops_reject_integers(row):
    if row.name == "reciprocal":  # declared for ints, but no CPU kernel: recorded from TF 2.21
        with pytest.raises(tf.errors.NotFoundError,
                           match=r"Could not find device for node: \{\{node Reciprocal\}\} = "
                                 r"Reciprocal\[T=DT_INT32\]"):
            row.op(tf.constant([2, 0]))
        return
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Value for attr 'T' of int32 is not in the list of allowed values"):
        row.op(tf.constant([4]))


@settings(max_examples=25, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                               max_side=3),
       op=st.sampled_from([(tf.add, np.add), (tf.multiply, np.multiply),
                           (tf.maximum, np.maximum), (tf.subtract, np.subtract)]),
       seed=st.integers(0, 2**16))
def test_broadcasting_binary_ops_and_their_gradient_shapes(shapes, op, seed):
    rng = np.random.default_rng(seed)
    x_shape, y_shape = shapes.input_shapes
    x = rng.standard_normal(x_shape).astype(np.float32)
    y = rng.standard_normal(y_shape).astype(np.float32)
    tf_op, np_op = op
    tx, ty = tf.constant(x), tf.constant(y)
    with tf.GradientTape() as tape:
        tape.watch([tx, ty])
        result = tf_op(tx, ty)
    assert result.shape == shapes.result_shape and result.dtype == tf.float32
    np.testing.assert_allclose(result.numpy(), np_op(x, y), rtol=1e-6)
    dx, dy = tape.gradient(result, [tx, ty])
    assert dx.shape == x_shape and dy.shape == y_shape
    assert dx.dtype == dy.dtype == tf.float32


# --- division and powers: recorded from TF 2.21 -----------------------------------------------

@pytest.mark.parametrize("op, name", [(tf.math.floordiv, "FloorDiv"),
                                      (tf.math.floormod, "FloorMod"),
                                      (operator.floordiv, "FloorDiv"),
                                      (operator.mod, "FloorMod")])
@pytest.mark.parametrize("dtype", [tf.int32, tf.int64, tf.uint8])
def test_integer_division_by_zero_is_an_error(op, name, dtype):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=rf"^Integer division by zero \[Op:{name}\]"):
        op(tf.constant([1, 2], dtype), tf.constant([0, 1], dtype))


def test_float_division_by_zero_gives_inf_and_nan():
    # recorded from TF 2.21
    assert (tf.constant([1.0]) // 0.0).numpy().tolist() == [np.inf]
    assert np.isnan(tf.constant([1.0, -1.0, 0.0]) % 0.0).all()
    quotient = tf.math.truediv(tf.constant([1, 0, -1]), tf.constant([0, 0, 0]))
    assert quotient.dtype == tf.float64
    assert np.array_equal(quotient.numpy(), [np.inf, np.nan, -np.inf], equal_nan=True)


@pytest.mark.parametrize("dtype, result", [
    # recorded from TF 2.21
    (tf.int8, tf.float32), (tf.uint8, tf.float32), (tf.int16, tf.float32),
    (tf.uint16, tf.float32), (tf.int32, tf.float64), (tf.int64, tf.float64),
    (tf.float16, tf.float16), (tf.float32, tf.float32), (tf.float64, tf.float64),
])
def test_true_division_result_dtype(dtype, result):
    quotient = tf.constant([1, 2], dtype) / tf.constant([2, 2], dtype)
    assert quotient.dtype == result
    assert quotient.numpy().tolist() == [0.5, 1.0]
    assert tf.divide(tf.constant([1, 2], dtype), tf.constant([2, 2], dtype)).dtype == result


def test_python_ints_divide_to_float64():
    for quotient in (tf.divide(7, 2), tf.math.truediv(7, 2), 7 / tf.constant(2)):
        assert quotient.dtype == tf.float64 and float(quotient) == 3.5  # recorded from TF 2.21


def test_division_of_integers_gives_no_gradient():
    x = tf.constant([4, 6])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x / 2
    assert y.dtype == tf.float64 and tape.gradient(y, x) is None


@pytest.mark.parametrize("x, y, message", [
    # recorded from TF 2.21: division checks dtypes before dividing, with a TypeError.
    (tf.constant([1.0]), tf.constant([1]), "got tf.float32 != tf.int32."),
    (tf.constant([1]), tf.constant([1.0]), "got tf.int32 != tf.float32."),
    (tf.constant([1, 2]), 2.5, "got tf.int32 != tf.float32."),
    (tf.constant([1.0]), tf.constant([1.0], tf.float64), "got tf.float32 != tf.float64."),
])
@pytest.mark.parametrize("divide", [operator.truediv, tf.math.truediv, tf.divide])
def test_division_of_mixed_dtypes_is_a_type_error(x, y, message, divide):
    with pytest.raises(TypeError, match=r"^`x` and `y` must have the same dtype, " + message):
        divide(x, y)


def test_division_of_bools_is_a_type_error():
    with pytest.raises(TypeError, match=r"^Invalid dtype tf.bool in __truediv__. Expected "
                                        r"one of \{tf.uint8, tf.int8, "):  # recorded from TF 2.21
        tf.constant([True]) / tf.constant([True])


def test_division_of_incompatible_shapes():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Incompatible shapes: \[2\] vs. \[3\] \[Op:RealDiv\]"):
        tf.constant([1.0, 2.0]) / tf.constant([1.0, 2.0, 3.0])  # recorded from TF 2.21


def test_floor_division_and_modulo_of_negatives():
    # recorded from TF 2.21: rounding toward -inf, and the remainder takes the divisor's sign
    x, y = tf.constant([-7, 7, -7, 7]), tf.constant([2, 2, -2, -2])
    assert (x // y).numpy().tolist() == [-4, 3, 3, -4]
    assert (x % y).numpy().tolist() == [1, 1, -1, -1]
    xf, yf = tf.constant([-7.5, 7.5, -7.5, 7.5]), tf.constant([2.0, 2.0, -2.0, -2.0])
    assert (xf // yf).numpy().tolist() == [-4.0, 3.0, 3.0, -4.0]
    assert (xf % yf).numpy().tolist() == [0.5, 1.5, -1.5, -0.5]
    assert tf.math.mod(tf.constant([5, -5]), 3).numpy().tolist() == [2, 1]
    assert (-7 // tf.constant([2, -2])).numpy().tolist() == [-4, 3]
    assert (tf.constant([1, 2]) % -3).numpy().tolist() == [-2, -1]
    assert (tf.math.floormod(tf.constant([7.0, -7.0]), tf.constant([np.inf, np.inf]))
            .numpy().tolist() == [7.0, np.inf])
    assert tf.math.floordiv(tf.constant([-2147483648]), -1).numpy().tolist() == [-2147483648]


def test_floormod_gradient():
    x, y = tf.constant([7.5, -7.5]), tf.constant([2.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = tf.math.floormod(x, y)
    assert tape.gradient(z, x).numpy().tolist() == [1.0, 1.0]  # recorded from TF 2.21
    assert tape.gradient(z, y).numpy().tolist() == [-3.0, 4.0]  # recorded from TF 2.21


@pytest.mark.parametrize("base, exponent", [(tf.constant(2), -1),
                                            (tf.constant([2, 3]), tf.constant([-1, 2])),
                                            (tf.constant([2], tf.int64), tf.constant([-1],
                                                                                    tf.int64))])
def test_integers_to_negative_powers_are_an_error(base, exponent):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Integers to negative integer powers are not allowed \[Op:Pow\]"):
        base ** exponent  # recorded from TF 2.21


def test_integer_powers():
    # recorded from TF 2.21 (2 ** 40 wraps around to 0 in int32)
    assert tf.pow(tf.constant([2, 3, 0, 2]), tf.constant([0, 2, 0, 40])).numpy().tolist() == [
        1, 9, 1, 0]
    assert (2 ** tf.constant(3)).numpy().tolist() == 8
    assert (tf.constant([2, 3]) ** 2).dtype == tf.int32
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of uint8"):
        tf.pow(tf.constant([2], tf.uint8), tf.constant([3], tf.uint8))


def test_pow_edge_values_and_gradients():
    result = tf.pow(tf.constant([0.0, 2.0, -2.0]), tf.constant([0.0, -1.0, 0.5]))
    assert np.array_equal(result.numpy(), [1.0, 0.5, np.nan], equal_nan=True)
    # recorded from TF 2.21: d/dy is 0 where x <= 0 (TF takes log(x) as 0 there)
    for x, y, dx, dy in [(0.0, 2.0, 0.0, 0.0), (-2.0, 2.0, -4.0, 0.0),
                         (0.0, 0.5, np.inf, 0.0), (2.0, 3.0, 12.0, 8 * np.log(2.0))]:
        tx, ty = tf.constant([x]), tf.constant([y])
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([tx, ty])
            z = tx ** ty
        assert tape.gradient(z, tx).numpy().tolist() == [dx]
        np.testing.assert_allclose(tape.gradient(z, ty).numpy(), [dy], rtol=1e-6)


# --- rounding -------------------------------------------------------------------------------

def test_round_half_to_even():
    values = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997]
    for dtype in (tf.float16, tf.float32, tf.float64):
        rounded = tf.round(tf.constant(values, dtype))
        assert rounded.dtype == dtype
        # recorded from TF 2.21
        assert rounded.numpy().tolist()[:6] == [0.0, 2.0, 2.0, -0.0, -2.0, -2.0]
    assert tf.round(tf.constant(values)).numpy().tolist()[6] == 0.0


def test_round_of_integers_and_unsupported_dtypes():
    # recorded from TF 2.21
    assert tf.round(tf.constant([1, 2])).numpy().tolist() == [1, 2]
    assert tf.round(tf.constant([2], tf.uint8)).dtype == tf.uint8
    with pytest.raises(tf.errors.NotFoundError, match=r"Round\[T=DT_COMPLEX128\]"):
        tf.round(tf.constant([1 + 1j]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of bool"):
        tf.round(tf.constant([True]))
    for op in (tf.floor, tf.math.ceil):
        with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
            op(tf.constant([1]))


# --- dtype rules ----------------------------------------------------------------------------

def test_sqrt_of_an_integer_is_an_error():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.sqrt(tf.constant([4]))
    # recorded from TF 2.21
    assert str(info.value).startswith(
        "Value for attr 'T' of int32 is not in the list of allowed values:")
    assert str(info.value).endswith("[Op:Sqrt]")
    for name in ("half", "float", "double", "complex64", "complex128"):
        assert name in str(info.value)


@pytest.mark.parametrize("x, y, message", [
    # recorded from TF 2.21
    (tf.constant([1.0]), tf.constant([1]), "cannot compute AddV2 as input #1(zero-based) was "
     "expected to be a float tensor but is a int32 tensor [Op:AddV2]"),
    (tf.constant([1.0]), tf.constant([1.0], tf.float64), "cannot compute AddV2 as input "
     "#1(zero-based) was expected to be a float tensor but is a double tensor [Op:AddV2]"),
    (tf.constant([1]), tf.constant([1.0]), "cannot compute AddV2 as input #1(zero-based) was "
     "expected to be a int32 tensor but is a float tensor [Op:AddV2]"),
])
def test_mixed_dtypes_are_an_error_naming_the_op_and_both_dtypes(x, y, message):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        x + y
    assert str(info.value) == message
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.add(x, y)
    assert str(info.value) == message


@pytest.mark.parametrize("op, name", [(tf.subtract, "Sub"), (tf.multiply, "Mul"),
                                      (tf.maximum, "Maximum"), (tf.minimum, "Minimum"),
                                      (tf.pow, "Pow"), (tf.equal, "Equal"), (tf.less, "Less")])
def test_mixed_dtypes_in_other_binary_ops(op, name):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=rf"^cannot compute {name} as input #1\(zero-based\) was expected to "
                             rf"be a float tensor but is a int32 tensor \[Op:{name}\]"):
        op(tf.constant([1.0]), tf.constant([1]))  # recorded from TF 2.21


@pytest.mark.parametrize("op, name", [(operator.add, "AddV2"), (operator.mul, "Mul"),
                                      (tf.maximum, "Maximum"), (tf.equal, "Equal"),
                                      (operator.lt, "Less")])
def test_incompatible_broadcast_is_an_error(op, name):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=rf"^Incompatible shapes: \[2\] vs. \[3\] \[Op:{name}\]"):
        op(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))  # recorded from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Incompatible shapes: \[2,3\] vs. \[4,3\]"):
        op(tf.ones((2, 3)), tf.ones((4, 3)))


@pytest.mark.parametrize("expression", [
    lambda x: x * 2.5, lambda x: 2.5 * x, lambda x: x - 2.5, lambda x: 2.5 - x,
    lambda x: x // 2.5, lambda x: x ** 2.5, lambda x: x > 2.5, lambda x: x == 2.5,
    lambda x: tf.multiply(x, 2.5), lambda x: tf.maximum(x, 2.5), lambda x: tf.equal(x, 2.5)])
def test_integer_tensor_with_a_python_float_is_a_type_error(expression):
    with pytest.raises(TypeError, match="^Cannot convert 2.5 to EagerTensor of dtype int32"):
        expression(tf.constant([1, 2]))  # recorded from TF 2.21


def test_python_scalars_take_the_tensor_dtype():
    for dtype in (tf.float16, tf.float32, tf.float64):
        x = tf.constant([1.0, 2.0], dtype)
        for result in (x + 1, 1 + x, x * 0.5, 0.5 * x, x - 1, 2.0 - x, x / 2, 2 / x, x ** 2,
                       2 ** x, x // 2, x % 2):
            assert result.dtype == dtype
    assert (tf.constant([1.0, 2.0], tf.float16) + 1e5).numpy().tolist() == [np.inf, np.inf]
    # recorded from TF 2.21: unsigned arithmetic wraps around
    assert (tf.constant([1, 2], tf.uint8) - 3).numpy().tolist() == [254, 255]
    assert (1 - tf.constant([1, 2], tf.uint8)).numpy().tolist() == [0, 255]
    assert (tf.constant([2147483647]) + 1).numpy().tolist() == [-2147483648]


def test_numpy_values_take_the_tensor_dtype():
    x = tf.constant([1.0, 2.0])
    # recorded from TF 2.21: float64 and int64 arrays become float32 next to a float32 tensor
    for result in (x + np.array([1.0, 2.0]), np.array([1.0, 2.0]) + x, x + np.array([1, 2]),
                   np.array([1, 2]) * x, x + np.float64(3), np.float64(1.5) + x):
        assert isinstance(result, tf.Tensor) and result.dtype == tf.float32
    assert (np.array([1, 2]) * x).numpy().tolist() == [1.0, 4.0]
    assert (tf.constant([1.0], tf.float64) + np.float32(1.5)).dtype == tf.float64
    assert (tf.constant([1, 2]) + np.array([1, 2])).dtype == tf.int32


# --- unsupported dtypes and special values: recorded from TF 2.21 ----------------------------

@pytest.mark.parametrize("op, x", [
    (tf.negative, tf.constant([1], tf.uint8)), (tf.negative, tf.constant([True])),
    (tf.abs, tf.constant([1], tf.uint8)), (tf.sign, tf.constant([1], tf.uint8)),
    (tf.square, tf.constant([True])), (tf.math.reciprocal, tf.constant([2], tf.uint8)),
    (lambda x: tf.add(x, x), tf.constant([True])),
    (lambda x: tf.multiply(x, x), tf.constant([True])),
    (lambda x: tf.maximum(x, x), tf.constant([True])),
    (lambda x: tf.math.floordiv(x, x), tf.constant([True])),
    (lambda x: tf.math.floormod(x, x), tf.constant([1 + 1j])),
    (lambda x: tf.pow(x, x), tf.constant([True])),
])
def test_unsupported_dtypes_are_invalid_arguments(op, x):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=f"^Value for attr 'T' of {_tf_type(x.dtype)} is not in the list"):
        op(x)


def _tf_type(dtype):
    return {tf.float32: "float", tf.float64: "double", tf.float16: "half"}.get(dtype, dtype.name)


def test_complex_floor_division_has_no_kernel():
    with pytest.raises(tf.errors.NotFoundError, match=r"FloorDiv\[T=DT_COMPLEX64\]"):
        tf.math.floordiv(tf.constant([1 + 1j], tf.complex64), tf.constant([1 + 1j], tf.complex64))


def test_special_values():
    # recorded from TF 2.21
    def values(t):
        return t.numpy().tolist()
    assert np.isnan(values(tf.sqrt(tf.constant([-1.0, 0.0])))[0])
    assert values(tf.math.rsqrt(tf.constant([0.0])))[0] == np.inf
    assert values(tf.math.log(tf.constant([0.0]))) == [-np.inf]
    assert values(tf.math.log1p(tf.constant([-1.0]))) == [-np.inf]
    assert values(tf.math.reciprocal(tf.constant([2.0, 0.0]))) == [0.5, np.inf]
    for dtype in (tf.float16, tf.float32, tf.float64):
        assert values(tf.sigmoid(tf.constant([-1000.0, 1000.0, 0.0], dtype))) == [0.0, 1.0, 0.5]
    assert values(tf.math.expm1(tf.constant([1e-10]))) == [pytest.approx(1e-10, rel=1e-6)]
    assert values(tf.abs(tf.constant([-2147483648]))) == [-2147483648]
    assert values(tf.negative(tf.constant([-2147483648]))) == [-2147483648]
    assert str(tf.abs(tf.constant([-0.0])).numpy()[0]) == "0.0"
    sign = tf.sign(tf.constant([-3.0, 0.0, 2.0, np.nan]))
    assert np.array_equal(sign.numpy(), [-1.0, 0.0, 1.0, np.nan], equal_nan=True)
    assert values(tf.sign(tf.constant([-3, 0, 2]))) == [-1, 0, 1]
    assert values(tf.sign(tf.constant([3 + 4j]))) == [0.6 + 0.8j]
    for op in (tf.maximum, tf.minimum):
        assert np.isnan(op(tf.constant([1.0, np.nan]), tf.constant([np.nan, 1.0]))).all()


def test_complex_abs_and_square():
    # recorded from TF 2.21
    assert tf.abs(tf.constant([3 + 4j], tf.complex64)).dtype == tf.float32
    assert tf.abs(tf.constant([3 + 4j])).numpy().tolist() == [5.0]
    for op, expected in [(tf.abs, 0.6 + 0.8j), (tf.square, 2 - 4j)]:
        z = tf.constant([3 + 4j]) if op is tf.abs else tf.constant([1 + 2j])
        with tf.GradientTape() as tape:
            tape.watch(z)
            y = op(z)
        grad = tape.gradient(y, z)
        assert grad.dtype == tf.complex128
        np.testing.assert_allclose(grad.numpy(), [expected])


def test_conj():
    assert tf.math.conj(tf.constant([1 + 2j])).numpy().tolist() == [1 - 2j]
    assert tf.math.conj(tf.constant([1], tf.uint8)).dtype == tf.uint8  # recorded from TF 2.21
    for value, name in [([True], "bool"), (["a"], "string")]:
        with pytest.raises(TypeError, match=rf"^Expected numeric or variant tensor, got dtype "
                                            rf"tf.{name}.$"):  # recorded from TF 2.21
            tf.math.conj(tf.constant(value))


# --- gradients at singular points: recorded from TF 2.21 -------------------------------------

def _gradient(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x).numpy().tolist()


def test_gradients_at_kinks_and_ties():
    # recorded from TF 2.21: abs'(0) = 0, and a tie in maximum/minimum goes to x
    assert _gradient(tf.abs, [0.0, -2.0, 3.0]) == [0.0, -1.0, 1.0]
    assert _gradient(tf.sign, [0.0, -2.0, 3.0]) == [0.0, 0.0, 0.0]
    assert _gradient(lambda x: tf.maximum(x, 1.0), [1.0, 0.0, 2.0]) == [1.0, 0.0, 1.0]
    x, y = tf.constant([1.0, 2.0]), tf.constant([1.0, 3.0])
    for op, dx, dy in [(tf.maximum, [1.0, 0.0], [0.0, 1.0]), (tf.minimum, [1.0, 1.0], [0.0, 0.0])]:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, y])
            z = op(x, y)
        assert tape.gradient(z, x).numpy().tolist() == dx
        assert tape.gradient(z, y).numpy().tolist() == dy


def test_gradients_at_singular_points():
    # recorded from TF 2.21
    assert _gradient(tf.sqrt, [0.0, 4.0]) == [np.inf, 0.25]
    assert _gradient(tf.math.rsqrt, [0.0, 4.0]) == [-np.inf, -0.0625]
    assert _gradient(tf.math.log, [0.0, 4.0]) == [np.inf, 0.25]
    assert _gradient(tf.math.reciprocal, [0.0, 4.0]) == [-np.inf, -0.0625]
    x, y = tf.constant([1.0, 0.0]), tf.constant([0.0, 0.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = x / y
    assert tape.gradient(z, x).numpy().tolist() == [np.inf, np.inf]
    assert np.array_equal(tape.gradient(z, y).numpy(), [-np.inf, np.nan], equal_nan=True)


@pytest.mark.parametrize("op, x, expected", [
    # recorded from TF 2.21: sqrt, rsqrt and reciprocal give 0 where the upstream gradient
    # is 0, however bad the point; other ops give nan there.
    (tf.sqrt, [-1.0, 0.0], [0.0, 0.0]),
    (tf.math.rsqrt, [-1.0, 0.0], [0.0, 0.0]),
    (tf.math.reciprocal, [0.0, np.nan], [0.0, 0.0]),
    (tf.math.log, [-1.0, 0.0], [0.0, np.nan]),
    (tf.exp, [1000.0, np.nan], [np.nan, np.nan]),
    (tf.tanh, [np.nan, np.inf], [np.nan, 0.0]),
    (tf.square, [np.inf, np.nan], [np.nan, np.nan]),
])
def test_gradient_through_the_unselected_branch_of_where(op, x, expected):
    grad = _gradient(lambda t: tf.where(tf.constant([False, False]), op(t), tf.zeros(2)), x)
    assert np.array_equal(grad, expected, equal_nan=True)


def test_where_keeps_sqrt_of_negatives_out_of_the_gradient():
    grad = _gradient(lambda x: tf.where(x > 0, tf.sqrt(x), 0.0), [-1.0, 4.0])
    assert grad == [0.0, 0.25]  # recorded from TF 2.21


# --- comparisons, logic and bits ---------------------------------------------------------------

COMPARISONS = [(tf.equal, np.equal), (tf.not_equal, np.not_equal), (tf.less, np.less),
               (tf.less_equal, np.less_equal), (tf.greater, np.greater),
               (tf.greater_equal, np.greater_equal)]


@pytest.mark.parametrize("op, reference", COMPARISONS, ids=[c[0].__name__ for c in COMPARISONS])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.uint8])
@pytest.mark.parametrize("x_shape, y_shape", [((), ()), ((2, 1), (1, 3)), ((4, 3), (3,)),
                                              ((0, 3), (3,))])
def test_comparisons(op, reference, dtype, x_shape, y_shape, rng):
    x = rng.integers(0, 3, x_shape).astype(dtype)  # small integers: many ties
    y = rng.integers(0, 3, y_shape).astype(dtype)
    result = op(tf.constant(x), tf.constant(y))
    assert result.dtype == tf.bool
    np.testing.assert_array_equal(result.numpy(), reference(x, y))


def test_comparisons_give_no_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(tf.equal(x, 1.0), tf.float32) + tf.cast(x < 2.0, tf.float32)
    assert tape.gradient(y, x) is None  # recorded from TF 2.21


def test_equality_of_other_dtypes_and_nan():
    assert tf.equal(tf.constant(["a", "b"]), "a").numpy().tolist() == [True, False]
    assert tf.equal(tf.constant([True, False]), True).numpy().tolist() == [True, False]
    assert tf.equal(tf.constant([1 + 1j]), tf.constant([1 + 1j])).numpy().tolist() == [True]
    x = tf.constant([1.0, np.nan])
    assert (x == x).numpy().tolist() == [True, False]
    assert (x != x).numpy().tolist() == [False, True]


@pytest.mark.parametrize("x", [tf.constant([True, False]), tf.constant(["a"]),
                               tf.constant([1 + 1j])])
def test_ordering_comparisons_need_real_numbers(x):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=f"^Value for attr 'T' of {x.dtype.name} is not in the list"):
        tf.less(x, x)  # recorded from TF 2.21


LOGICAL = [(tf.logical_and, np.logical_and), (tf.logical_or, np.logical_or),
           (tf.math.logical_xor, np.logical_xor)]


@pytest.mark.parametrize("op, reference", LOGICAL, ids=["and", "or", "xor"])
@pytest.mark.parametrize("x_shape, y_shape", [((), ()), ((2, 1), (1, 3)), ((0, 3), (3,))])
def test_logical_ops(op, reference, x_shape, y_shape, rng):
    x, y = rng.integers(0, 2, x_shape).astype(bool), rng.integers(0, 2, y_shape).astype(bool)
    result = op(tf.constant(x), tf.constant(y))
    assert result.dtype == tf.bool
    np.testing.assert_array_equal(result.numpy(), reference(x, y))
    assert tf.logical_not(tf.constant(x)).numpy().tolist() == np.logical_not(x).tolist()


@pytest.mark.parametrize("op, name", [(tf.logical_and, "LogicalAnd"),
                                      (tf.logical_or, "LogicalOr"),
                                      (lambda x, y: tf.logical_not(x), "LogicalNot")])
def test_logical_ops_need_bools(op, name):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        op(tf.constant([1]), tf.constant([1]))
    assert str(info.value) == (  # recorded from TF 2.21
        f"cannot compute {name} as input #0(zero-based) was expected to be a bool tensor but is "
        f"a int32 tensor [Op:{name}]")


BITWISE = [(tf.bitwise.bitwise_and, np.bitwise_and), (tf.bitwise.bitwise_or, np.bitwise_or),
           (tf.bitwise.bitwise_xor, np.bitwise_xor)]


@pytest.mark.parametrize("op, reference", BITWISE, ids=["and", "or", "xor"])
@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8, np.uint32])
def test_bitwise_ops(op, reference, dtype, rng):
    x = rng.integers(0, 100, (2, 3)).astype(dtype)
    y = rng.integers(0, 100, (3,)).astype(dtype)
    result = op(tf.constant(x), tf.constant(y))
    assert result.dtype == tf.as_dtype(dtype)
    np.testing.assert_array_equal(result.numpy(), reference(x, y))
    np.testing.assert_array_equal(tf.bitwise.invert(tf.constant(x)).numpy(), np.invert(x))


def test_bitwise_edge_cases():
    # recorded from TF 2.21
    assert tf.bitwise.invert(tf.constant([0, 255], tf.uint8)).numpy().tolist() == [255, 0]
    assert tf.bitwise.bitwise_and(12, 10).numpy().tolist() == 8
    for op in (tf.bitwise.bitwise_and, lambda x, y: tf.bitwise.invert(x)):
        with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of float"):
            op(tf.constant([1.0]), tf.constant([1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"cannot compute BitwiseOr as input #1\(zero-based\) was expected "
                             r"to be a int64 tensor but is a int32 tensor"):
        tf.bitwise.bitwise_or(tf.constant([1], tf.int64), tf.constant([3], tf.int32))


# --- where ------------------------------------------------------------------------------------

@pytest.mark.parametrize("shapes", [((2,), (2,), (2,)), ((2, 1), (1, 3), ()),
                                    ((3,), (2, 3), (2, 1)), ((), (2,), (2,)), ((0, 2), (2,), ())])
def test_where_selects_with_broadcasting(shapes, rng):
    c_shape, x_shape, y_shape = shapes
    condition = rng.integers(0, 2, c_shape).astype(bool)
    x, y = rng.standard_normal(x_shape), rng.standard_normal(y_shape)
    for dtype in (np.float16, np.float32, np.int32):
        result = tf.where(condition, tf.constant(x.astype(dtype)), tf.constant(y.astype(dtype)))
        assert result.dtype == tf.as_dtype(dtype)
        np.testing.assert_array_equal(result.numpy(),
                                      np.where(condition, x.astype(dtype), y.astype(dtype)))
    check_gradients(lambda a, b: tf.where(condition, a, b), x, y, order=2)


def test_where_with_python_scalars():
    condition = tf.constant([True, False])
    # recorded from TF 2.21
    assert tf.where(condition, 1, 2).numpy().tolist() == [1, 2]
    assert tf.where(condition, 1, 2).dtype == tf.int32
    assert tf.where(condition, 1.0, 2).dtype == tf.float32
    assert tf.where(condition, tf.constant([1.0, 2.0]), 2).numpy().tolist() == [1.0, 2.0]


def test_where_errors():
    # recorded from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.where(tf.constant([1, 0]), 1.0, 2.0)
    assert str(info.value) == ("cannot compute SelectV2 as input #0(zero-based) was expected "
                               "to be a bool tensor but is a int32 tensor [Op:SelectV2]")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.where(tf.constant([True, False]), tf.constant([1.0, 2.0]), tf.constant([1, 2]))
    assert str(info.value) == ("cannot compute SelectV2 as input #2(zero-based) was expected "
                               "to be a float tensor but is a int32 tensor [Op:SelectV2]")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.where(tf.ones((2, 3), tf.bool), tf.ones((4, 3)), tf.ones((3,)))
    assert str(info.value) == ("condition [2,3], then [4,3], and else [3] must be broadcastable "
                               "[Op:SelectV2]")
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None."):
        tf.where(tf.constant([True]), x=1.0)


def test_where_of_a_condition_alone_gives_coordinates():
    # recorded from TF 2.21
    coordinates = tf.where(tf.constant([[1, 0], [0, 3]]))
    assert coordinates.dtype == tf.int64
    assert coordinates.numpy().tolist() == [[0, 0], [1, 1]]
    assert tf.where(tf.constant([1.0, 0.0, np.nan])).numpy().tolist() == [[0], [2]]
    assert tf.where(tf.zeros((0, 2), tf.bool)).shape == (0, 2)
    for condition in (tf.constant(True), tf.constant(False)):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^WhereOp : Unhandled input dimensions: 0 \[Op:Where\]"):
            tf.where(condition)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of string"):
        tf.where(tf.constant(["a", ""]))


# --- cast -------------------------------------------------------------------------------------

@pytest.mark.parametrize("values, source, target, expected", [
    # recorded from TF 2.21
    ([-1.7, 2.7, 2.5], tf.float32, tf.int32, [-1, 2, 2]),
    ([300, -1], tf.int32, tf.uint8, [44, 255]),
    ([300, -1], tf.int32, tf.int8, [44, -1]),
    ([0.0, 0.5, -2.0], tf.float32, tf.bool, [False, True, True]),
    ([True, False], tf.bool, tf.float32, [1.0, 0.0]),
    ([1 + 2j], tf.complex128, tf.float32, [1.0]),
    ([1.5], tf.float32, tf.complex64, [1.5 + 0j]),
    ([70000.0], tf.float32, tf.float16, [np.inf]),
    ([1.0, 2.5], tf.float64, tf.float16, [1.0, 2.5]),
])
def test_cast(values, source, target, expected):
    result = tf.cast(tf.constant(values, source), target)
    assert result.dtype == target
    assert result.numpy().tolist() == expected


def test_cast_accepts_python_values_and_dtype_names():
    assert tf.cast(1.7, tf.int32).numpy().tolist() == 1  # recorded from TF 2.21
    assert tf.cast([1, 2], tf.float64).dtype == tf.float64
    assert tf.cast(tf.constant([1.0]), "float16").dtype == tf.float16
    assert tf.cast(tf.constant([1.0]), np.float64).dtype == tf.float64
    x = tf.constant([1.0])
    assert tf.cast(x, tf.float32) is x


@pytest.mark.parametrize("value, source, target, message", [
    # recorded from TF 2.21
    ([1.5], tf.float32, tf.string, "Cast float to string is not supported"),
    ([1], tf.int32, tf.string, "Cast int32 to string is not supported"),
    ([1.0], tf.float16, tf.string, "Cast half to string is not supported"),
    (["1"], tf.string, tf.float32, "Cast string to float is not supported"),
    (["a"], tf.string, tf.bool, "Cast string to bool is not supported"),
])
def test_cast_to_and_from_strings_is_unimplemented(value, source, target, message):
    with pytest.raises(tf.errors.UnimplementedError, match=f"^{message}"):
        tf.cast(tf.constant(value, source), target)


def test_cast_gradients():
    check_gradients(lambda x: tf.cast(tf.square(tf.cast(x, tf.complex128)), tf.float64),
                    np.array([1.5, -2.0]), order=2)
    x = tf.constant([1.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        wide, integer = tf.cast(x, tf.float64), tf.cast(x, tf.int32)
    grad = tape.gradient(wide, x)
    assert grad.dtype == tf.float32 and grad.numpy().tolist() == [1.0]  # recorded from TF 2.21
    assert tape.gradient(integer, x) is None


# --- Python operators -------------------------------------------------------------------------

ARITHMETIC = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
              operator.mod, operator.pow, operator.lt, operator.le, operator.gt, operator.ge]


@pytest.mark.parametrize("op", ARITHMETIC, ids=[op.__name__ for op in ARITHMETIC])
@pytest.mark.parametrize("other", ["tensor", "float", "int", "ndarray", "ndarray64"])
def test_operators_on_either_side(op, other, rng):
    x = rng.uniform(0.5, 2.0, (2, 3)).astype(np.float32)
    values = {"tensor": rng.uniform(0.5, 2.0, (3,)).astype(np.float32), "float": 1.5, "int": 2,
              "ndarray": rng.uniform(0.5, 2.0, (3,)).astype(np.float32),
              "ndarray64": rng.uniform(0.5, 2.0, (3,))}
    y = values[other]
    y_tensor = tf.constant(y) if other == "tensor" else y
    y_float32 = np.asarray(y, np.float32)  # what TensorFlow converts y to, next to float32
    for result, expected in [(op(tf.constant(x), y_tensor), op(x, y_float32)),
                             (op(y_tensor, tf.constant(x)), op(y_float32, x))]:
        assert isinstance(result, tf.Tensor)
        assert result.dtype == tf.as_dtype(expected.dtype)
        np.testing.assert_allclose(result.numpy(), expected, rtol=1e-6)


def test_unary_operators_and_matmul():
    x = tf.constant([[1.0, -2.0]])
    assert (-x).numpy().tolist() == [[-1.0, 2.0]]
    assert abs(x).numpy().tolist() == [[1.0, 2.0]]
    assert (+x) is x
    assert (~tf.constant([0, -1], tf.int8)).numpy().tolist() == [-1, 0]  # recorded from TF 2.21
    assert (~tf.constant([True, False])).numpy().tolist() == [False, True]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of float"):
        ~tf.constant([1.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of bool"):
        -tf.constant([True])
    # recorded from TF 2.21: matmul with NumPy arrays and lists on either side
    ones = np.ones((3, 2), np.float32)
    for product in (np.ones((2, 3), np.float32) @ tf.ones((3, 2)), tf.ones((2, 3)) @ ones):
        assert isinstance(product, tf.Tensor) and product.numpy().tolist() == [[3.0, 3.0]] * 2
    assert ([[1.0, 2.0]] @ tf.ones((2, 1))).numpy().tolist() == [[3.0]]
    assert (tf.ones((1, 2)) @ [[1.0], [2.0]]).numpy().tolist() == [[3.0]]


def test_logical_and_bitwise_operators_with_tensors():
    t, f = tf.constant([True, False]), tf.constant([True, True])
    # recorded from TF 2.21
    assert (t & f).numpy().tolist() == [True, False]
    assert (t | True).numpy().tolist() == [True, True]
    assert (t ^ True).numpy().tolist() == [False, True]
    assert (t ^ np.array([True, True])).numpy().tolist() == [False, True]
    assert (tf.constant([12, 5]) & tf.constant([10, 3])).numpy().tolist() == [8, 1]
    assert (tf.constant([12, 5]) | 3).numpy().tolist() == [15, 7]


@pytest.mark.parametrize("expression, expected", [
    # recorded from TF 2.21
    (lambda: True & tf.constant([True, False]), [True, False]),
    (lambda: 1 | tf.constant([2, 4]), [3, 5]),
    (lambda: 3 ^ tf.constant([12, 5]), [15, 6]),
    (lambda: np.array([True, True]) ^ tf.constant([True, False]), [False, True]),
    (lambda: np.array([6, 3]) & tf.constant([3, 5]), [2, 1]),
])
def test_reflected_logical_and_bitwise_operators(expression, expected):
    assert expression().numpy().tolist() == expected


def test_equality_operators():
    x = tf.constant([1.0, 2.0])
    # recorded from TF 2.21
    assert (x == None) is False  # noqa: E711 - the operator under test
    assert (x != None) is True  # noqa: E711
    assert (None == x) is False  # noqa: E711
    for result, value in [(x == tf.ones(3), False), (x != tf.ones(3), True),
                          (x == np.array([1.0, 2.0, 3.0]), False)]:
        assert isinstance(result, tf.Tensor) and result.dtype == tf.bool
        assert result.shape == () and bool(result) is value
    assert (x == tf.ones(2)).numpy().tolist() == [True, False]
    assert (x == 1).numpy().tolist() == [True, False]
    assert (1 == x).numpy().tolist() == [True, False]
    assert (x == [1.0, 2.0]).numpy().tolist() == [True, True]
    assert (tf.constant([[1.0, 2.0]]) == tf.constant([[1.0], [2.0]])).shape == (2, 2)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"cannot compute Equal as input #1\(zero-based\) was expected to "
                             r"be a float tensor but is a int32 tensor"):
        x == tf.constant([1, 2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Incompatible shapes: \[2\] vs. \[3\] \[Op:Less\]"):
        x < tf.ones(3)
    with pytest.raises(TypeError, match="^Cannot convert 'a' to EagerTensor of dtype float"):
        x == "a"
    with pytest.raises(ValueError, match="Attempt to convert a value .* with an unsupported "
                                         r"type \(<class 'object'>\) to a Tensor."):
        x == object()


def test_operators_on_variables():
    v = tf.Variable([2.0])
    # recorded from TF 2.21
    assert (tf.constant([1.0]) + v).numpy().tolist() == [3.0]
    assert (v * 3).numpy().tolist() == [6.0]
    assert (3 - v).numpy().tolist() == [1.0]
    assert (v == tf.Variable([2.0])).numpy().tolist() == [True]
    with tf.GradientTape() as tape:
        y = v * v / 2 - 3 * v
    assert tape.gradient(y, v).numpy().tolist() == [-1.0]


def test_python_bool_next_to_an_integer_tensor():
    assert (tf.constant([1, 2]) + True).numpy().tolist() == [2, 3]  # recorded from TF 2.21
