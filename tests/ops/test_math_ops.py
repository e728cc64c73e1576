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
from eagerflow.ops import math_ops
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


def _above_one(rng, shape):  # acosh's domain, away from its singular point at 1
    return rng.uniform(1.2, 3.0, shape)


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
    gradient: object     # 2 or 1: check_gradients order; None: the tape gives None; 0: zeros;
    #                      "LookupError": no gradient is registered (the tape raises)


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
    Row("asin", math_ops.asin, np.arcsin, (_unit,), FLOATS, 2),
    Row("acos", math_ops.acos, np.arccos, (_unit,), FLOATS, 2),
    Row("atan", math_ops.atan, np.arctan, (_real,), FLOATS, 2),
    Row("sinh", math_ops.sinh, np.sinh, (_real,), FLOATS, 2),
    Row("cosh", math_ops.cosh, np.cosh, (_real,), FLOATS, 2),
    Row("asinh", math_ops.asinh, np.arcsinh, (_real,), FLOATS, 2),
    Row("acosh", math_ops.acosh, np.arccosh, (_above_one,), FLOATS, 2),
    Row("atanh", math_ops.atanh, np.arctanh, (_unit,), FLOATS, 2),
    Row("softplus", math_ops.softplus, lambda x: np.logaddexp(x, 0), (_real,), FLOATS, 2),
    Row("log_sigmoid", math_ops.log_sigmoid, lambda x: -np.logaddexp(0, -x), (_real,), FLOATS,
        2),
    Row("softsign", math_ops.softsign, lambda x: x / (1 + np.abs(x)), (_nonzero,), FLOATS, 2),
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
    Row("atan2", math_ops.atan2, np.arctan2, (_real, _nonzero), FLOATS, 2),
    Row("squared_difference", math_ops.squared_difference, lambda x, y: (x - y) ** 2,
        (_real, _real), FLOATS_AND_INT, 2),
    Row("xlogy", math_ops.xlogy, lambda x, y: x * np.log(y), (_real, _positive), FLOATS, 2),
    Row("xdivy", math_ops.xdivy, np.true_divide, (_real, _nonzero), FLOATS, 2),
    Row("xlog1py", math_ops.xlog1py, lambda x, y: x * np.log1p(y), (_real, _positive), FLOATS,
        2),
    Row("divide_no_nan", math_ops.divide_no_nan, np.true_divide, (_real, _nonzero), FLOATS, 2),
    Row("multiply_no_nan", math_ops.multiply_no_nan, np.multiply, (_real, _nonzero), FLOATS,
        2),
    Row("realdiv", math_ops.realdiv, np.true_divide, (_real, _nonzero), FLOATS, 2),
    Row("truncatediv", math_ops.truncatediv, lambda x, y: np.trunc(x / y), _quotient_pair,
        FLOATS_AND_INT, None),
    Row("truncatemod", math_ops.truncatemod, np.fmod, _quotient_pair,
        (np.float32, np.float64, np.int32), "LookupError"),
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
    if row.gradient == "LookupError":  # truncatemod: recorded from TF 2.21
        with pytest.raises(LookupError, match="TruncateMod"):
            tape.gradient(result, tensors)
        return
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


# --- trigonometric, hyperbolic and softplus edge values: recorded from TF 2.21 ----------------

def _values(t):
    return t.numpy().tolist()


def test_atan2_quadrants_and_signed_zeros():
    y = tf.constant([1.0, 1.0, -1.0, -1.0, 0.0, -0.0, 0.0, -0.0, np.inf, np.inf, -np.inf],
                    tf.float64)
    x = tf.constant([1.0, -1.0, -1.0, 1.0, -0.0, -0.0, 0.0, 0.0, np.inf, -np.inf, 1.0],
                    tf.float64)
    angles = math_ops.atan2(y, x)
    np.testing.assert_allclose(_values(angles), [
        np.pi / 4, 3 * np.pi / 4, -3 * np.pi / 4, -np.pi / 4, np.pi, -np.pi, 0.0, 0.0,
        np.pi / 4, 3 * np.pi / 4, -np.pi / 2], rtol=1e-15)
    assert np.signbit(angles.numpy()[[6, 7]]).tolist() == [False, True]
    assert _gradient(lambda t: math_ops.atan2(t, tf.constant([2.0, 0.0])), [1.0, 0.0])[0] == (
        pytest.approx(0.4))
    y, x = tf.constant([1.0, 0.0]), tf.constant([2.0, 0.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([y, x])
        angle = math_ops.atan2(y, x)
    np.testing.assert_allclose(tape.gradient(angle, y).numpy(), [0.4, np.nan])
    np.testing.assert_allclose(tape.gradient(angle, x).numpy(), [-0.2, np.nan])


@pytest.mark.parametrize("op, x, expected", [
    # recorded from TF 2.21
    (math_ops.acosh, [0.5, 1.0, 2.0, np.inf, -1.0, np.nan],
     [np.nan, 0.0, 1.3169578969248166, np.inf, np.nan, np.nan]),
    (math_ops.asin, [-1.0, 1.0, 1.5], [-np.pi / 2, np.pi / 2, np.nan]),
    (math_ops.acos, [-1.0, 1.0, 1.5], [np.pi, 0.0, np.nan]),
    (math_ops.atanh, [1.0, -1.0, 2.0], [np.inf, -np.inf, np.nan]),
    (math_ops.sinh, [100.0, -100.0], [np.inf, -np.inf]),
    (math_ops.cosh, [100.0, -100.0], [np.inf, np.inf]),
])
def test_inverse_and_hyperbolic_functions_at_their_domain_edges(op, x, expected):
    dtype = tf.float32 if op in (math_ops.sinh, math_ops.cosh) else tf.float64
    result = op(tf.constant(x, dtype))
    np.testing.assert_allclose(_values(result), expected, rtol=1e-15)


@pytest.mark.parametrize("op, x, expected", [
    # recorded from TF 2.21: the derivative is inf where it blows up, nan outside the domain
    (math_ops.asin, [1.0, 0.5, 2.0], [np.inf, 1.154700517654419, np.nan]),
    (math_ops.acos, [1.0, 0.5], [-np.inf, -1.154700517654419]),
    (math_ops.acosh, [1.0, 2.0], [np.inf, 0.5773502588272095]),
    (math_ops.atanh, [1.0, 0.5], [np.inf, 1.3333333730697632]),
    (math_ops.asinh, [1.0, 0.5], [0.7071067094802856, 0.8944271802902222]),
])
def test_inverse_function_gradients_at_singular_points(op, x, expected):
    np.testing.assert_allclose(_gradient(op, x), expected, rtol=1e-6)


@pytest.mark.parametrize("op, expected", [
    # recorded from TF 2.21 at 0.5 + 1j: dy * conj(f'(z)), TensorFlow's complex convention
    (math_ops.asin, 0.6807746209745427 - 0.18078952899380404j),
    (math_ops.acos, -0.6807746209745427 + 0.18078952899380404j),
    (math_ops.atan, 0.23529411764705882 + 0.9411764705882353j),
    (math_ops.asinh, 0.776349347198924 + 0.6061552534203893j),
    (math_ops.acosh, 0.18078952899380413 + 0.6807746209745427j),
    (math_ops.atanh, 0.4307692307692308 - 0.24615384615384617j),
])
def test_complex_gradients_of_inverse_functions(op, expected):
    np.testing.assert_allclose(_gradient(op, [0.5 + 1j]), [expected], rtol=1e-12)


def test_complex_gradients_of_sinh_and_cosh():
    # recorded from TF 2.21 at 1 + 1j
    np.testing.assert_allclose(_gradient(math_ops.sinh, [1 + 1j]),
                               [0.8337300251311491 - 0.9888977057628651j], rtol=1e-12)
    np.testing.assert_allclose(_gradient(math_ops.cosh, [1 + 1j]),
                               [0.6349639147847361 - 1.2984575814159773j], rtol=1e-12)


def test_softplus_and_log_sigmoid_are_stable():
    # recorded from TF 2.21
    x = tf.constant([-100.0, -20.0, 0.0, 20.0, 100.0, np.inf, -np.inf, np.nan])
    softplus = _values(math_ops.softplus(x))
    np.testing.assert_allclose(softplus[:7], [0.0, 2.06115369216775e-09, 0.6931471824645996,
                                              20.0, 100.0, np.inf, 0.0], rtol=1e-6, atol=1e-40)
    assert np.isnan(softplus[7])
    x64 = tf.constant([-800.0, -40.0, 0.0, 40.0, 800.0], tf.float64)
    np.testing.assert_allclose(_values(math_ops.softplus(x64)), [
        0.0, 4.248354255291589e-18, 0.6931471805599453, 40.0, 800.0], rtol=1e-15)
    assert _values(math_ops.softplus(tf.constant([0.0, 20.0, 70000], tf.float16))) == [
        0.693359375, 20.0, np.inf]
    log_sigmoid = math_ops.log_sigmoid(tf.constant([-100.0, 0.0, 100.0, -np.inf, np.inf]))
    np.testing.assert_allclose(_values(log_sigmoid), [-100.0, -0.6931471824645996, 0.0,
                                                      -np.inf, 0.0], atol=1e-40)
    assert _gradient(math_ops.softplus, np.array([-800.0, 0.0, 800.0])) == [0.0, 0.5, 1.0]
    assert _gradient(math_ops.log_sigmoid, [-np.inf, -100.0, 0.0, np.inf]) == [1.0, 1.0, 0.5,
                                                                               0.0]


def test_softsign_edge_values():
    # recorded from TF 2.21
    assert _values(math_ops.softsign(tf.constant([-1.0, 0.0, 3.0]))) == [-0.5, 0.0, 0.75]
    assert np.isnan(_values(math_ops.softsign(tf.constant([np.inf, -np.inf, np.nan])))).all()
    assert _gradient(math_ops.softsign, [-1.0, 0.0, 3.0, np.inf]) == [0.25, 1.0, 0.0625, 0.0]


# --- guarded arithmetic: xlogy, xdivy, xlog1py, divide_no_nan, multiply_no_nan ---------------

def _gradients(f, *xs):
    tensors = [tf.constant(x) for x in xs]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(tensors)
        y = f(*tensors)
    return [tape.gradient(y, t).numpy().tolist() for t in tensors]


def test_xlogy_family_is_zero_where_x_is_zero():
    nan, inf = np.nan, np.inf
    # recorded from TF 2.21
    result = math_ops.xlogy(tf.constant([0.0, 0.0, 0.0, 1.0, 2.0, nan, 0.0]),
                            tf.constant([0.0, nan, -1.0, 0.0, -1.0, 1.0, inf]))
    assert np.array_equal(result.numpy(), [0.0, 0.0, 0.0, -inf, nan, nan, 0.0], equal_nan=True)
    result = math_ops.xdivy(tf.constant([0.0, 0.0, 1.0, nan, 0.0, inf, 0.0]),
                            tf.constant([0.0, nan, 0.0, 1.0, inf, inf, nan]))
    assert np.array_equal(result.numpy(), [0.0, 0.0, inf, nan, 0.0, nan, 0.0], equal_nan=True)
    result = math_ops.xlog1py(tf.constant([0.0, 0.0, 1.0, 2.0]),
                              tf.constant([-1.0, nan, -1.0, 1e-10]))
    np.testing.assert_allclose(result.numpy(), [0.0, 0.0, -inf, 2.000000026702864e-10],
                               rtol=1e-7)
    assert _values(math_ops.xlogy(tf.constant([0.0, 2.0], tf.float16),
                                  tf.constant([0.0, 3.0], tf.float16))) == [0.0, 2.197265625]


@pytest.mark.parametrize("op, dx, dy", [
    # recorded from TF 2.21 at x = [0, 0, 2, 1], y = [0, 1, 3, 0]
    (math_ops.xlogy, [0.0, 0.0, 1.0986123085021973, -np.inf],
     [0.0, 0.0, 0.6666666865348816, np.inf]),
    (math_ops.xdivy, [0.0, 0.0, 0.3333333432674408, np.inf],
     [0.0, 0.0, -0.2222222238779068, -np.inf]),
])
def test_xlogy_and_xdivy_gradients_at_zeros(op, dx, dy):
    grads = _gradients(op, [0.0, 0.0, 2.0, 1.0], [0.0, 1.0, 3.0, 0.0])
    np.testing.assert_allclose(grads, [dx, dy], rtol=1e-7)


def test_xlog1py_gradient_at_minus_one():
    grads = _gradients(math_ops.xlog1py, [0.0, 0.0, 2.0, 1.0], [-1.0, 1.0, 3.0, -1.0])
    # recorded from TF 2.21
    np.testing.assert_allclose(grads, [[0.0, 0.0, 1.3862943649291992, -np.inf],
                                       [0.0, 0.0, 0.5, np.inf]], rtol=1e-7)


def test_xlogy_broadcasts_and_its_gradient_sums_back():
    # recorded from TF 2.21
    x, y = [[0.0], [1.0]], [0.0, 2.0]
    np.testing.assert_allclose(_values(math_ops.xlogy(tf.constant(x), tf.constant(y))),
                               [[0.0, 0.0], [-np.inf, 0.6931471824645996]], rtol=1e-7)
    dx, dy = _gradients(math_ops.xlogy, x, y)
    assert dx == [[0.0], [-np.inf]] and dy == [np.inf, 0.5]


@pytest.mark.parametrize("op, dx, dy", [
    # recorded from TF 2.21 at x = 1 + 1j, y = 2 + 1j: only divide_no_nan conjugates
    (math_ops.xlogy, 0.8047189562170503 + 0.4636476090008061j, 0.6 + 0.2j),
    (math_ops.xdivy, 0.4 - 0.2j, -0.28 + 0.04j),
    (math_ops.xlog1py, 1.151292546497023 + 0.3217505543966422j, 0.4 + 0.2j),
    (math_ops.divide_no_nan, 0.4 + 0.2j, -0.28 - 0.04j),
    (math_ops.multiply_no_nan, 2 + 1j, 1 + 1j),
    (math_ops.realdiv, 0.4 + 0.2j, -0.28 - 0.04j),
])
def test_complex_gradients_of_guarded_arithmetic(op, dx, dy):
    np.testing.assert_allclose(_gradients(op, [1 + 1j], [2 + 1j]), [[dx], [dy]], rtol=1e-12)


def test_divide_no_nan():
    nan, inf = np.nan, np.inf
    # recorded from TF 2.21: 0 wherever y is 0, whatever x is; nan / nan stays nan
    result = math_ops.divide_no_nan(tf.constant([1.0, 0.0, nan, inf, 1.0, 1.0]),
                                    tf.constant([0.0, 0.0, 0.0, 0.0, nan, inf]))
    assert np.array_equal(result.numpy(), [0.0, 0.0, 0.0, 0.0, nan, 0.0], equal_nan=True)
    assert _values(math_ops.divide_no_nan(tf.constant([1 + 1j, 1j]),
                                          tf.constant([0j, 1j]))) == [0j, 1 + 0j]
    assert _values(math_ops.divide_no_nan(tf.constant([1.0], tf.float16),
                                          tf.constant([0.0], tf.float16))) == [0.0]
    assert _gradients(math_ops.divide_no_nan, [1.0, 3.0, nan], [0.0, 0.0, 0.0]) == [
        [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    assert _gradients(math_ops.divide_no_nan, [1.0, 3.0], [0.0, 2.0]) == [[0.0, 0.5],
                                                                          [0.0, -0.75]]


@pytest.mark.parametrize("x, y, values, dtype", [
    # recorded from TF 2.21: integers divide into floats, as with `/`
    (tf.constant([1, 3]), tf.constant([0, 2]), [0.0, 1.5], tf.float64),
    (tf.constant([3], tf.uint8), tf.constant([2], tf.uint8), [1.5], tf.float32),
    (3, 2, 1.5, tf.float64),
    (3.0, 0, 0.0, tf.float32),
])
def test_divide_no_nan_of_integers_and_python_numbers(x, y, values, dtype):
    result = math_ops.divide_no_nan(x, y)
    assert result.dtype == dtype and _values(result) == values


@pytest.mark.parametrize("x, y, message", [
    # recorded from TF 2.21
    (tf.constant([1.0]), tf.constant([1]), "^`x` and `y` must have the same dtype, got "
                                           "tf.float32 != tf.int32.$"),
    (tf.constant([1.0]), tf.constant([1.0], tf.float64), "got tf.float32 != tf.float64."),
    (tf.constant([True]), tf.constant([True]), r"^Invalid dtype tf.bool in "
                                               r"tf.math.divide_no_nan. Expected one of \{"
                                               r"tf.uint8, tf.int8, "),
    (tf.constant(["a"]), tf.constant(["b"]), "^Invalid dtype tf.string in tf.math.divide_no_nan"),
])
def test_divide_no_nan_dtype_errors(x, y, message):
    with pytest.raises(TypeError, match=message):
        math_ops.divide_no_nan(x, y)


def test_multiply_no_nan():
    nan, inf = np.nan, np.inf
    # recorded from TF 2.21
    result = math_ops.multiply_no_nan(tf.constant([nan, inf, 1.0, nan, 2.0]),
                                      tf.constant([0.0, 0.0, 0.0, 1.0, 3.0]))
    assert np.array_equal(result.numpy(), [0.0, 0.0, 0.0, nan, 6.0], equal_nan=True)
    dx, dy = _gradients(math_ops.multiply_no_nan, [nan, 2.0, 1.0], [0.0, 3.0, 0.0])
    assert dx == [0.0, 3.0, 0.0]
    assert np.array_equal(dy, [nan, 2.0, 1.0], equal_nan=True)
    result = math_ops.multiply_no_nan(2.0, 3.0)
    assert result.dtype == tf.float32 and _values(result) == 6.0
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Value for attr 'T' of int32 is not in the list of allowed "
                             r"values: .* \[Op:MulNoNan\]"):
        math_ops.multiply_no_nan(tf.constant([1]), tf.constant([1]))


def test_squared_difference():
    # recorded from TF 2.21
    assert _values(math_ops.squared_difference(tf.constant([1, 2]), 4)) == [9, 4]
    result = math_ops.squared_difference(tf.constant([1, 2], tf.int64),
                                         tf.constant([4, 0], tf.int64))
    assert result.dtype == tf.int64 and _values(result) == [9, 4]
    result = math_ops.squared_difference(tf.constant([1 + 2j]), tf.constant([0j]))
    assert result.dtype == tf.complex128 and _values(result) == [5 + 0j]  # |x - y| ** 2
    assert _gradients(math_ops.squared_difference, [1 + 2j], [0j]) == [[2 + 4j], [-2 - 4j]]
    assert _gradients(math_ops.squared_difference, [[1.0], [2.0]], [0.0, 1.0, 3.0]) == [
        [[-2.0], [4.0]], [-6.0, -2.0, 6.0]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of uint8"):
        math_ops.squared_difference(tf.constant([1], tf.uint8), tf.constant([4], tf.uint8))


# --- truncated division and realdiv: recorded from TF 2.21 -----------------------------------

def test_truncated_division_rounds_toward_zero():
    x, y = tf.constant([7, -7, 7, -7]), tf.constant([2, 2, -2, -2])
    assert _values(math_ops.truncatediv(x, y)) == [3, -3, -3, 3]
    assert _values(math_ops.truncatemod(x, y)) == [1, -1, 1, -1]
    assert _values(math_ops.truncatemod(tf.constant([7, -7], tf.int64),
                                        tf.constant([-3, -3], tf.int64))) == [1, -1]
    assert _values(math_ops.truncatediv(tf.constant([7, 200], tf.uint8),
                                        tf.constant([2, 3], tf.uint8))) == [3, 66]
    int_min = tf.constant([-2147483648])
    assert _values(math_ops.truncatediv(int_min, -1)) == [-2147483648]
    assert _values(math_ops.truncatemod(int_min, -1)) == [0]
    nan, inf = np.nan, np.inf
    quotient = math_ops.truncatediv(tf.constant([7.5, -7.5, 1.0, -1.0, 0.0]),
                                    tf.constant([2.0, 2.0, 0.0, 0.0, 0.0]))
    assert np.array_equal(quotient.numpy(), [3.0, -3.0, inf, -inf, nan], equal_nan=True)
    remainder = math_ops.truncatemod(tf.constant([7.5, -7.5, 7.5, -7.5, 1.0, inf]),
                                     tf.constant([2.0, 2.0, -2.0, -2.0, 0.0, 2.0]))
    assert np.array_equal(remainder.numpy(), [1.5, -1.5, 1.5, -1.5, nan, nan], equal_nan=True)
    assert _values(math_ops.truncatediv(tf.constant([7.5, -7.5], tf.float16),
                                        tf.constant([2.0, 2.0], tf.float16))) == [3.0, -3.0]


@pytest.mark.parametrize("op, name", [(math_ops.truncatediv, "TruncateDiv"),
                                      (math_ops.truncatemod, "TruncateMod")])
def test_truncated_integer_division_by_zero(op, name):
    with pytest.raises(tf.errors.InternalError,
                       match=rf"Unexpected error in binary operator \(only integer div and mod "
                             rf"should have errors\) \[Op:{name}\]"):
        op(tf.constant([7, 1]), tf.constant([0, 1]))


@pytest.mark.parametrize("op, x, error, message", [
    # recorded from TF 2.21
    (math_ops.truncatediv, tf.constant([1j]), tf.errors.NotFoundError,
     r"TruncateDiv\[T=DT_COMPLEX128\]"),
    (math_ops.truncatemod, tf.constant([1.0], tf.float16), tf.errors.NotFoundError,
     r"TruncateMod\[T=DT_HALF\]"),
    (math_ops.truncatemod, tf.constant([1], tf.int8), tf.errors.InvalidArgumentError,
     "Value for attr 'T' of int8 is not in the list of allowed values: int32, int64, half"),
    (math_ops.realdiv, tf.constant([1]), tf.errors.NotFoundError, r"RealDiv\[T=DT_INT32\]"),
    (math_ops.realdiv, tf.constant([1], tf.uint8), tf.errors.NotFoundError,
     r"RealDiv\[T=DT_UINT8\]"),
    (math_ops.truncatediv, tf.constant([True]), tf.errors.InvalidArgumentError,
     "Value for attr 'T' of bool"),
])
def test_division_variants_without_kernels(op, x, error, message):
    with pytest.raises(error, match=message):
        op(x, x)


def test_realdiv():
    # recorded from TF 2.21
    result = math_ops.realdiv(tf.constant([1.0, 0.0]), tf.constant([0.0, 0.0]))
    assert np.array_equal(result.numpy(), [np.inf, np.nan], equal_nan=True)
    assert _values(math_ops.realdiv(1.0, 2.0)) == 0.5
    assert _gradients(math_ops.realdiv, [3.0], [2.0]) == [[0.5], [-0.75]]


def test_truncatediv_gives_no_gradient_and_truncatemod_has_none_registered():
    x, y = tf.constant([7.5]), tf.constant([2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        quotient, remainder = math_ops.truncatediv(x, y), math_ops.truncatemod(x, y)
    assert tape.gradient(quotient, [x, y]) == [None, None]  # recorded from TF 2.21
    with pytest.raises(LookupError, match="TruncateMod"):  # TF: "no entry for: TruncateMod"
        tape.gradient(remainder, x)


# --- float classification ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
def test_is_nan_is_inf_is_finite(dtype):
    x = tf.constant([np.nan, np.inf, -np.inf, 1.0, 0.0], dtype)
    for op, expected in [(math_ops.is_nan, [True, False, False, False, False]),
                         (math_ops.is_inf, [False, True, True, False, False]),
                         (math_ops.is_finite, [False, False, False, True, True])]:
        result = op(x)
        assert result.dtype == tf.bool and _values(result) == expected
    assert math_ops.is_nan(tf.zeros((0, 2))).shape == (0, 2)


@pytest.mark.parametrize("op, name", [(math_ops.is_nan, "IsNan"), (math_ops.is_inf, "IsInf"),
                                      (math_ops.is_finite, "IsFinite")])
def test_float_classification_needs_floats_and_gives_no_gradient(op, name):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=rf"^Value for attr 'T' of int32 is not in the list of allowed "
                             rf"values: .*\[Op:{name}\]"):  # recorded from TF 2.21
        op(tf.constant([1]))
    x = tf.constant([1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.cast(op(x), tf.float32))
    assert tape.gradient(y, x) is None  # recorded from TF 2.21


# --- sums, scalar products and polynomials ----------------------------------------------------

def test_add_n():
    # recorded from TF 2.21
    assert _values(math_ops.add_n([tf.constant([1, 2]), tf.constant([3, 4]), [5, 6]])) == [9, 12]
    assert _values(math_ops.add_n([tf.constant([[1.0]]), tf.constant([[2.0]]),
                                   tf.constant([[3.0]])])) == [[6.0]]
    assert _values(math_ops.add_n((tf.constant(1.0), tf.constant(2.0)))) == 3.0
    three_scalars = math_ops.add_n([tf.constant(1.0), tf.constant(2.0), tf.constant(4.0)])
    assert three_scalars.shape == () and _values(three_scalars) == 7.0
    assert _values(math_ops.add_n(tf.constant([1.0, 2.0]))) == 3.0  # the rows of a tensor
    single = tf.constant([1.0])
    assert math_ops.add_n([single]) is single
    for dtype in (tf.float16, tf.float64, tf.int64, tf.uint8, tf.complex64):
        result = math_ops.add_n([tf.ones((2, 3), dtype)] * 4)
        assert result.dtype == dtype and result.numpy().tolist() == [[4] * 3] * 2
    assert _gradients(lambda a, b: math_ops.add_n([a, b, a]), [1.0], [2.0]) == [[2.0], [1.0]]
    check_gradients(lambda a, b: math_ops.add_n([a, b * b, a]), np.ones((2, 2)),
                    np.arange(4.0).reshape(2, 2), order=2)


def test_add_n_errors():
    # recorded from TF 2.21
    with pytest.raises(ValueError, match="^Inputs must be an iterable of at least one "
                                         "Tensor/IndexedSlices with the same dtype and shape.$"):
        math_ops.add_n([])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Inputs to operation AddN of type AddN must have the same size "
                             r"and shape.  Input 0: \[2\] != input 1: \[3\] \[Op:AddN\]$"):
        math_ops.add_n([tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0])])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Input 0: \[2\] != input 1: \[1\]"):
        math_ops.add_n([tf.constant([1.0, 2.0]), tf.constant([1.0])])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^cannot compute AddN as input #1\(zero-based\) was expected to be "
                             r"a float tensor but is a int32 tensor \[Op:AddN\]"):
        math_ops.add_n([tf.constant([1.0, 2.0]), tf.constant([1, 2])])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of bool"):
        math_ops.add_n([tf.constant([True]), tf.constant([False])])


def test_scalar_mul():
    # recorded from TF 2.21
    assert _values(math_ops.scalar_mul(2, tf.constant([1.0, 2.0]))) == [2.0, 4.0]
    assert _values(math_ops.scalar_mul(tf.constant(2.0), tf.constant([1.0, 2.0]))) == [2.0, 4.0]
    assert _values(math_ops.scalar_mul(2, tf.constant([1 + 1j]))) == [2 + 2j]
    assert _values(math_ops.scalar_mul(2.0, tf.Variable([1.0]))) == [2.0]
    assert _gradients(lambda s, x: math_ops.scalar_mul(s, x), 2.0, [1.0, 2.0]) == [
        3.0, [2.0, 2.0]]
    for scalar, shape in [(tf.constant([2.0]), r"\(1,\)"), ([2.0, 3.0], r"\(2,\)")]:
        with pytest.raises(ValueError, match=rf"^The input scalar must be a 0-D value. Received "
                                             rf"shape {shape}.$"):
            math_ops.scalar_mul(scalar, tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match="^Cannot convert 2.5 to EagerTensor of dtype int32"):
        math_ops.scalar_mul(2.5, tf.constant([1, 2]))
    with pytest.raises(ValueError, match="^scalar: Tensor conversion requested dtype float32 for "
                                         "Tensor with dtype float64"):
        math_ops.scalar_mul(tf.constant(2.0, tf.float64), tf.constant([1.0, 2.0]))


def test_polyval():
    # recorded from TF 2.21
    assert _values(math_ops.polyval([1.0, 2.0, 3.0], tf.constant([1.0, 2.0]))) == [6.0, 11.0]
    assert _values(math_ops.polyval([1, 2, 3], 2)) == 11
    assert _values(math_ops.polyval([1.0, 2.0], [1.0, 2.0])) == [3.0, 4.0]
    assert _values(math_ops.polyval([5.0], tf.constant([1.0, 2.0]))) == 5.0
    empty = math_ops.polyval([], tf.constant([1, 2]))
    assert empty.dtype == tf.int32 and _values(empty) == [0, 0]
    broadcast = math_ops.polyval([tf.constant([1.0, 2.0]), 1.0], tf.constant([[1.0], [2.0]]))
    assert _values(broadcast) == [[2.0, 3.0], [3.0, 5.0]]
    assert _values(math_ops.polyval([tf.constant(2.0), tf.constant([1.0, 2.0])],
                                    tf.constant(3.0))) == [7.0, 8.0]
    assert _gradients(lambda c, x: math_ops.polyval([c, 2.0, 3.0], x), 2.0, 3.0) == [9.0, 14.0]
    check_gradients(lambda c, x: math_ops.polyval([c, 2.0 * c, c * c, tf.ones_like(c)], x),
                    np.array([0.5, -1.5]), np.array([[1.5], [-0.5]]), order=2)
    with pytest.raises(ValueError, match="^Argument coeffs must be list type. Received type "):
        math_ops.polyval(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"cannot compute Mul as input #1\(zero-based\) was expected to be a "
                             r"int32 tensor but is a float tensor"):
        math_ops.polyval([1, 2, 3], 2.0)


# --- complex numbers: recorded from TF 2.21 --------------------------------------------------

def test_complex_builds_from_matching_float_parts():
    result = math_ops.complex(tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]))
    assert result.dtype == tf.complex64 and _values(result) == [1 + 3j, 2 + 4j]
    result = math_ops.complex(tf.constant([1.0], tf.float64), tf.constant([2.0], tf.float64))
    assert result.dtype == tf.complex128
    assert _values(math_ops.complex(tf.constant([1.0, 2.0]), 3.0)) == [1 + 3j, 2 + 3j]
    assert _values(math_ops.complex(1.0, 2.0)) == 1 + 2j
    assert _values(math_ops.complex(tf.constant([np.inf]), tf.constant([np.inf]))) == [
        complex(np.inf, np.inf)]
    assert math_ops.complex(tf.zeros((0, 2)), 1.0).shape == (0, 2)
    assert _gradients(lambda a, b: tf.abs(math_ops.complex(a, b)), [3.0], [4.0]) == [
        [0.6000000238418579], [0.800000011920929]]
    check_gradients(lambda a, b: tf.abs(math_ops.complex(a, b) * math_ops.complex(b, a)),
                    np.array([1.0, -2.0]), np.array([0.5, 3.0]), order=2)


@pytest.mark.parametrize("real, imag, names", [
    (tf.constant([1.0]), tf.constant([3.0], tf.float64), "float32 float64"),
    (1, 2, "int32 int32"),
    (tf.constant([1.0], tf.float16), tf.constant([1.0], tf.float16), "float16 float16"),
    (tf.constant([1.0], tf.float64), 3.0, "float64 float32"),
])
def test_complex_needs_two_float32_or_two_float64_parts(real, imag, names):
    with pytest.raises(TypeError, match=rf"^The `real` and `imag` components have incorrect "
                                        rf"types: {names}. They must be consistent, and one of "
                                        rf"\[tf.float32, tf.float64\]$"):
        math_ops.complex(real, imag)


def test_complex_of_incompatible_shapes():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Incompatible shapes: \[2\] vs. \[3\] \[Op:Complex\]"):
        math_ops.complex(tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0, 5.0]))


def test_real_imag_and_angle():
    z = tf.constant([1 + 2j, 3 - 4j])
    assert _values(math_ops.real(z)) == [1.0, 3.0] and math_ops.real(z).dtype == tf.float64
    assert _values(math_ops.imag(z)) == [2.0, -4.0]
    z64 = tf.constant([1j, -1 + 0j], tf.complex64)
    assert math_ops.real(z64).dtype == tf.float32
    np.testing.assert_allclose(_values(math_ops.angle(z64)), [np.pi / 2, np.pi], rtol=1e-7)
    np.testing.assert_allclose(_values(math_ops.angle(tf.constant([1 + 1j, -1 + 0j, 0j]))),
                               [np.pi / 4, np.pi, 0.0], rtol=1e-15)
    x = tf.constant([1.0, 2.0])
    assert math_ops.real(x) is x
    assert _values(math_ops.real(tf.constant([1, 2]))) == [1, 2]
    assert _values(math_ops.imag(x)) == [0.0, 0.0]
    assert _values(math_ops.imag(tf.constant([1, 2]))) == [0, 0]
    assert _values(math_ops.imag(tf.constant([True]))) == [False]
    assert _values(math_ops.imag(tf.constant(["a"]))) == [b""]
    assert _values(math_ops.real(1 + 2j)) == 1.0
    angles = math_ops.angle(tf.constant([1.0, -1.0, 0.0, -0.0, np.nan]))
    assert angles.dtype == tf.float32
    np.testing.assert_allclose(_values(angles), [0.0, np.pi, 0.0, 0.0, 0.0], rtol=1e-7)


@pytest.mark.parametrize("op, x, message", [
    (math_ops.real, tf.constant(["a"]), "^input must be a numeric tensor, but got tensor with "
                                        "dtype <dtype: 'string'>$"),
    (math_ops.real, tf.constant([True]), "^input must be a numeric tensor, but got tensor with "
                                         "dtype <dtype: 'bool'>$"),
    (math_ops.angle, tf.constant([1, -2]), "^Cannot convert 3.141592653589793 to EagerTensor "
                                           "of dtype int32$"),
    (math_ops.angle, tf.constant([True]), "^Cannot convert 0 to EagerTensor of dtype bool$"),
    (math_ops.angle, tf.constant(["a"]), "^Cannot convert 0 to EagerTensor of dtype string$"),
])
def test_real_and_angle_type_errors(op, x, message):
    with pytest.raises(TypeError, match=message):
        op(x)


def test_gradients_of_complex_parts():
    assert _gradients(math_ops.real, [1 + 1j]) == [[1 + 0j]]
    assert _gradients(math_ops.imag, [1 + 1j]) == [[1j]]
    np.testing.assert_allclose(_gradients(math_ops.angle, [1 + 1j, 2 - 1j])[0],
                               [-0.5 + 0.5j, 0.2 + 0.4j], rtol=1e-12)
    assert _gradients(math_ops.real, [1.0]) == [[1.0]]
    for op in (math_ops.imag, math_ops.angle):  # real inputs: constants, no gradient
        x = tf.constant([1.0, -1.0])
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = op(x)
        assert tape.gradient(y, x) is None
    # d|z|**2 through real and imag parts, checked against finite differences
    check_gradients(lambda a, b: math_ops.real(math_ops.complex(a, b) ** 2)
                    + math_ops.imag(math_ops.complex(a, b)) ** 2,
                    np.array([0.5, -1.0]), np.array([2.0, 0.25]), order=2)


# --- bit shifts: recorded from TF 2.21 ---------------------------------------------------------

@pytest.mark.parametrize("op, x, y, dtype, expected", [
    # shifts are clamped to [0, bits - 1]
    (math_ops.left_shift, [1, 1, 1, -1, 5, 1], [0, 31, 32, 1, -1, 40], tf.int32,
     [1, -2147483648, -2147483648, -2, 5, -2147483648]),
    (math_ops.right_shift, [8, -8, 8, -8, -1, 8], [1, 1, 32, 40, 5, -1], tf.int32,
     [4, -4, 0, -1, -1, 8]),
    (math_ops.left_shift, [1, 255], [7, 9], tf.uint8, [128, 128]),
    (math_ops.right_shift, [128, 255], [7, 9], tf.uint8, [1, 1]),
    (math_ops.right_shift, [-128, 127], [9, 9], tf.int8, [-1, 0]),
    (math_ops.left_shift, [1, 3, -3, -1], [7, 7, 2, 7], tf.int8, [-128, -128, -12, -128]),
    (math_ops.left_shift, [1], [63], tf.int64, [-9223372036854775808]),
    (math_ops.right_shift, [2 ** 63], [63], tf.uint64, [1]),
])
def test_shifts(op, x, y, dtype, expected):
    result = op(tf.constant(x, dtype), tf.constant(y, dtype))
    assert result.dtype == dtype and _values(result) == expected


def test_shifts_broadcast_and_need_integers_of_one_dtype():
    # recorded from TF 2.21
    assert _values(math_ops.left_shift(tf.constant([[1], [2]]), tf.constant([1, 2, 3]))) == [
        [2, 4, 8], [4, 8, 16]]
    assert _values(math_ops.left_shift(1, 3)) == 8
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="^Value for attr 'T' of float is not in the list of allowed values: "
                             "int8, int16, int32, int64, uint8, uint16, uint32, uint64 "
                             r"\[Op:LeftShift\]$"):
        math_ops.left_shift(tf.constant([1.0]), tf.constant([1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"cannot compute RightShift as input #1\(zero-based\) was expected "
                             r"to be a int64 tensor but is a int32 tensor"):
        math_ops.right_shift(tf.constant([1], tf.int64), tf.constant([3], tf.int32))


# --- dtypes the new ops reject: recorded from TF 2.21 ------------------------------------------

@pytest.mark.parametrize("op, x", [
    (math_ops.asin, tf.constant([1])), (math_ops.sinh, tf.constant([True])),
    (math_ops.softplus, tf.constant([1 + 1j])), (math_ops.softsign, tf.constant([1])),
    (math_ops.log_sigmoid, tf.constant([1j])),
    (lambda x: math_ops.atan2(x, x), tf.constant([1j])),
    (lambda x: math_ops.xlogy(x, x), tf.constant([1])),
    (lambda x: math_ops.squared_difference(x, x), tf.constant([1], tf.int16)),
    (lambda x: math_ops.right_shift(x, x), tf.constant([True])),
])
def test_new_ops_reject_other_dtypes(op, x):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=f"^Value for attr 'T' of {_tf_type(x.dtype)} is not in the list"):
        op(x)


def test_complex_power_gradients_are_conjugated():
    # recorded from TF 2.21: dy * conj(d(x ** y)), as for every other complex op
    assert _gradients(lambda z: math_ops.real(z ** 2), [1 + 2j]) == [[2 - 4j]]
    assert _gradients(lambda z: z ** 3, [1 + 2j]) == [[-9 - 12j]]
    np.testing.assert_allclose(
        _gradients(lambda z: math_ops.real(tf.constant([2 + 1j]) ** z), [1 + 2j]),
        [[-0.7022238612629282 - 0.42649031822274075j]], rtol=1e-12)


# --- rint, reciprocal_no_nan, nextafter, accumulate_n: recorded from TF 2.21 -------------------

def test_rint():
    result = math_ops.rint(tf.constant([0.5, 1.5, 2.5, -0.5, -1.7, np.nan, np.inf]))
    assert np.array_equal(result.numpy(), [0.0, 2.0, 2.0, -0.0, -2.0, np.nan, np.inf],
                          equal_nan=True)
    assert math_ops.rint(tf.constant([2.5], tf.float64)).dtype == tf.float64
    with pytest.raises(tf.errors.NotFoundError, match=r"Rint\[T=DT_HALF\]"):
        math_ops.rint(tf.constant([0.5], tf.float16))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
        math_ops.rint(tf.constant([1]))
    x = tf.constant([0.4])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = math_ops.rint(x)
    assert tape.gradient(y, x) is None


def test_reciprocal_no_nan():
    result = math_ops.reciprocal_no_nan(tf.constant([2.0, 0.0, np.inf, np.nan]))
    assert np.array_equal(result.numpy(), [0.5, 0.0, 0.0, np.nan], equal_nan=True)
    assert _values(math_ops.reciprocal_no_nan(tf.constant([2j, 0j]))) == [-0.5j, 0j]
    assert _gradients(math_ops.reciprocal_no_nan, [2.0, 0.0]) == [[-0.25, 0.0]]
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Value for attr 'T' of int32 .*\[Op:DivNoNan\]"):
        math_ops.reciprocal_no_nan(tf.constant([2]))


def test_nextafter():
    result = math_ops.nextafter(tf.constant([1.0, 1.0, 0.0, np.nan], tf.float64),
                                tf.constant([2.0, 0.0, 1.0, 1.0], tf.float64))
    assert np.array_equal(result.numpy(), [1.0000000000000002, 0.9999999999999999, 5e-324,
                                           np.nan], equal_nan=True)
    assert _gradients(math_ops.nextafter, [1.0], [2.0]) == [[1.0], [0.0]]
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="^Value for attr 'T' of half is not in the list of allowed values: "
                             "double, float"):
        math_ops.nextafter(tf.constant([1.0], tf.float16), tf.constant([1.0], tf.float16))


def test_accumulate_n():
    assert _values(math_ops.accumulate_n([tf.constant([1.0]), tf.constant([2.0])])) == [3.0]
    message = "^inputs must be a list of at least one Tensor with the same dtype and shape$"
    for inputs in ([], tf.constant([1.0]), [tf.constant([1.0]), tf.constant([1])]):
        with pytest.raises(ValueError, match=message):
            math_ops.accumulate_n(inputs)
    with pytest.raises(ValueError, match=r"^Shapes \(1,\) and \(2,\) are not compatible$"):
        math_ops.accumulate_n([tf.constant([1.0]), tf.constant([2.0, 3.0])])
    with pytest.raises(ValueError, match=r"^Shapes \(2,\) and \(1,\) are not compatible$"):
        math_ops.accumulate_n([tf.constant([1.0]), tf.constant([2.0])], shape=[2])
    with pytest.raises(TypeError, match="^The `tensor_dtype` argument is <dtype: 'float64'>, but "
                                        "`input` is of type <dtype: 'float32'>. These must be "
                                        "equal."):
        math_ops.accumulate_n([tf.constant([1.0]), tf.constant([2.0])], tensor_dtype=tf.float64)


# --- the fast forms a traced replay uses -----------------------------------------------------

def test_add_in_place_writes_into_x_only_when_the_sum_has_its_shape_and_dtype(rng):
    in_place = math_ops.add.primitive.in_place
    x = rng.standard_normal((4, 3)).astype(np.float32)
    for y in (np.float32(2.0), np.arange(3, dtype=np.float32), np.ones((4, 1), np.float32),
              np.ones((1, 3), np.float32), np.ones((4, 3), np.float32)):
        target = x.copy()
        result = in_place(target, y)
        assert result is target
        np.testing.assert_array_equal(result, x + y)
    for y in (np.ones((2, 4, 3), np.float32), np.ones((4, 3), np.float64), np.ones((5, 1))):
        target = x.copy()
        try:
            expected = x + y
        except ValueError:
            with pytest.raises(ValueError):
                in_place(target, y)
            continue
        result = in_place(target, y)
        assert result is not target and result.dtype == expected.dtype
        np.testing.assert_array_equal(result, expected)
        np.testing.assert_array_equal(target, x)  # left as it was


def test_a_traced_dense_layer_adds_its_bias_in_place_with_eager_results(rng):
    x = tf.constant(rng.standard_normal((8, 5)).astype(np.float32))
    w = tf.Variable(rng.standard_normal((5, 4)).astype(np.float32))
    b = tf.Variable(rng.standard_normal(4).astype(np.float32))

    def layer(x):
        return tf.nn.relu(tf.matmul(x, w) + b) + tf.matmul(x, w)

    traced = tf.function(layer)
    for _ in range(3):
        np.testing.assert_array_equal(traced(x).numpy(), layer(x).numpy())


def test_divide_no_nan_without_zeros_and_on_scalars():
    result = math_ops.divide_no_nan(tf.constant(3.0), tf.constant(4.0))
    assert result.dtype is tf.float32 and result.numpy() == 0.75
    assert math_ops.divide_no_nan(tf.constant(3.0), tf.constant(0.0)).numpy() == 0.0
    x, y = tf.constant([[1.0, -2.0]], tf.float64), tf.constant([4.0, 8.0], tf.float64)
    values = math_ops.divide_no_nan(x, y)
    assert values.dtype is tf.float64 and values.numpy().tolist() == [[0.25, -0.25]]


@pytest.mark.parametrize("value, dtype, expected", [
    # recorded from TF 2.21: floats truncate toward zero; bools and ints convert exactly
    ([-1.7, 2.7, 0.5], tf.int32, [-1, 2, 0]), ([True, False], tf.float32, [1.0, 0.0]),
    ([3, -4], tf.complex64, [3 + 0j, -4 + 0j]), ([0.0, -2.5], tf.bool, [False, True]),
    ([1.5, 2.0], tf.float16, [1.5, 2.0]), ([300], tf.uint8, [44]),
])
def test_cast_between_numeric_dtypes(value, dtype, expected):
    result = tf.cast(tf.constant(value), dtype)
    assert result.dtype is dtype and result.numpy().tolist() == expected


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int8, np.uint16,
                                   np.int32, np.int64, np.bool_, np.complex64, np.complex128])
@pytest.mark.parametrize("shapes", [((128, 64), (128, 64), (128, 64)), ((128, 1), (128, 64), ()),
                                    ((64,), (128, 64), (128, 1)), ((), (128, 64), (1, 64)),
                                    ((5000,), (), ()), ((3,), (3,), ())])
def test_where_of_many_elements_is_np_where_bit_for_bit(dtype, shapes, rng):
    condition_shape, x_shape, y_shape = shapes
    condition = rng.standard_normal(condition_shape) > 0
    x = (rng.standard_normal(x_shape) * 100).astype(dtype)
    y = (rng.standard_normal(y_shape) * 100).astype(dtype)
    if np.dtype(dtype).kind == "f" and x.size >= 3:
        x.reshape(-1)[:3] = [np.nan, -0.0, np.inf]
        y.reshape(-1)[:1] = [-np.nan]
    result = tf.where(condition, x, y).numpy()
    expected = np.where(condition, x, y)
    assert result.dtype == expected.dtype and result.shape == expected.shape
    assert result.tobytes() == expected.tobytes()


def test_where_of_many_elements_keeps_its_errors():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"condition \[6000\], then \[6000\], and else \[3\] must be "
                             "broadcastable"):
        tf.where(np.ones(6000, bool), np.ones(6000), np.ones(3))
