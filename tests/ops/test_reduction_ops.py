"""Reductions, argmax/argmin and cumulative sums and products.

A table drives the sweep over axes (None, int, negative, list, empty list), keepdims,
shapes (scalar, empty) and dtypes: forward against NumPy with the dtype kept, and
gradients with `check_gradients`. Values and messages marked "recorded from TF 2.21" come
from running the same calls with `import tensorflow as tf`.
"""

from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as tf
from eagerflow.ops import reduction_ops
from tests.gradient_check import check_gradients

# NumPy's warnings from inside eagerflow's forwards (0/0 in an empty mean) are silenced by
# op.py; pytest resets warning filters per test, so say it again here.

FLOATS = (np.float16, np.float32, np.float64)
TOLERANCE = {np.float16: 1e-2, np.float32: 1e-5, np.float64: 1e-12}


def _lowest(dtype):
    return -np.inf if np.dtype(dtype).kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if np.dtype(dtype).kind == "f" else np.iinfo(dtype).max


def _count(x, axis):
    axes = range(x.ndim) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    return int(np.prod([x.shape[a] for a in axes]))


def _mean(x, axis, keepdims):
    total = np.sum(x.astype(np.float64), axis=axis, keepdims=keepdims)
    with np.errstate(invalid="ignore"):
        return total / _count(x, axis)


def _variance(x, axis, keepdims):
    deviation = x - _mean(x, axis, True)
    return _mean(deviation * deviation, axis, keepdims)


def _logsumexp(x, axis, keepdims):
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))


class Row(NamedTuple):
    name: str
    op: object
    reference: object   # f(x, axis, keepdims) in float64
    domain: object      # f(rng, shape) -> float64 values
    dtypes: tuple
    gradient: object    # check_gradients order, or None


def _real(rng, shape):
    return rng.standard_normal(shape)


def _factors(rng, shape):  # away from zero: products stay well conditioned
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 1.5, shape)


ROWS = [
    Row("reduce_sum", tf.reduce_sum,
        lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims), _real,
        FLOATS + (np.int32,), 2),
    Row("reduce_mean", tf.reduce_mean, _mean, _real, FLOATS, 2),
    Row("reduce_max", tf.reduce_max,
        lambda x, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims,
                                         initial=_lowest(x.dtype)), _real,
        FLOATS + (np.int32,), 1),
    Row("reduce_min", tf.reduce_min,
        lambda x, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims,
                                         initial=_highest(x.dtype)), _real,
        FLOATS + (np.int32,), 1),
    Row("reduce_prod", tf.reduce_prod,
        lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims), _factors,
        FLOATS + (np.int32,), 2),
    Row("reduce_variance", tf.math.reduce_variance, _variance, _real, FLOATS, 2),
    Row("reduce_std", tf.math.reduce_std,
        lambda x, axis, keepdims: np.sqrt(_variance(x, axis, keepdims)), _real, FLOATS, 2),
    Row("reduce_logsumexp", tf.math.reduce_logsumexp, _logsumexp, _real, FLOATS, 2),
    Row("reduce_euclidean_norm", reduction_ops.reduce_euclidean_norm,
        lambda x, axis, keepdims: np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims)),
        _factors, FLOATS + (np.int32,), 2),
]

# (shape, axis): None, ints, negatives, lists, the empty list; scalars and empty tensors.
AXES = [((2, 3), None), ((2, 3), 0), ((2, 3), 1), ((2, 3), -1), ((2, 3), [0, 1]),
        ((2, 3), [-1, 0]), ((2, 3), []), ((2, 3, 2), (0, 2)), ((4,), 0), ((), None),
        ((0, 3), None), ((0, 3), 0), ((0, 3), 1)]


def _values(rng, row, shape, dtype):
    x = row.domain(rng, shape)
    if np.dtype(dtype).kind in "iu":
        x = rng.integers(-3, 4, shape) if row.name != "reduce_prod" else rng.choice([-2, -1, 1,
                                                                                     2], shape)
    return np.asarray(x, dtype)


def _numpy_axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@pytest.mark.parametrize("row, shape, axis, keepdims, dtype", [
    pytest.param(row, shape, axis, keepdims, dtype,
                 id=f"{row.name}-{shape}-{axis}-{keepdims}-{np.dtype(dtype).name}")
    for row in ROWS for shape, axis in AXES for keepdims in (False, True)
    for dtype in row.dtypes])
def test_forward_matches_numpy_and_keeps_dtype(row, shape, axis, keepdims, dtype, rng):
    x = _values(rng, row, shape, dtype)
    result = row.op(tf.constant(x), axis=axis, keepdims=keepdims)
    assert result.dtype == tf.as_dtype(dtype)
    expected = row.reference(x.astype(np.float64) if x.dtype.kind == "f" else x,
                             _numpy_axis(axis), keepdims)
    assert result.shape == np.shape(expected)
    if np.dtype(dtype).kind == "f":
        tolerance = TOLERANCE[dtype]
        np.testing.assert_allclose(np.asarray(result, np.float64), expected, rtol=tolerance,
                                   atol=tolerance)
    else:
        np.testing.assert_array_equal(result.numpy(), np.asarray(expected).astype(dtype))


@pytest.mark.parametrize("row, shape, axis, keepdims", [
    pytest.param(row, shape, axis, keepdims, id=f"{row.name}-{shape}-{axis}-{keepdims}")
    for row in ROWS for shape, axis in AXES for keepdims in (False, True)
    # std has no derivative where it is 0: over a single element (TF gives nan there too)
    if 0 not in shape and not (row.name == "reduce_std" and _count(np.empty(shape),
                                                                     _numpy_axis(axis)) == 1)])
def test_gradients(row, shape, axis, keepdims, rng):
    x = row.domain(rng, shape)
    check_gradients(lambda t: row.op(t, axis=axis, keepdims=keepdims), x, order=row.gradient)


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_gradients_of_empty_reductions_are_empty(row, axis):
    x = tf.zeros((0, 3))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = row.op(x, axis=axis)
    grad = tape.gradient(y, x)
    assert grad.shape == (0, 3) and grad.dtype == tf.float32  # recorded from TF 2.21


@settings(max_examples=25, deadline=None)
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=4, max_side=3),
                    elements=st.floats(-10, 10)),
       data=st.data(), keepdims=st.booleans())
def test_reduce_sum_over_random_axes(x, data, keepdims):
    axes = data.draw(st.lists(st.integers(0, max(x.ndim - 1, 0)), unique=True,
                              max_size=x.ndim))
    negate = data.draw(st.lists(st.booleans(), min_size=len(axes), max_size=len(axes)))
    axis = [a - x.ndim if flip else a for a, flip in zip(axes, negate)]
    tx = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(tx)
        total = tf.reduce_sum(tx, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(total.numpy(), np.sum(x, axis=tuple(axes), keepdims=keepdims),
                               rtol=1e-12, atol=1e-12)
    assert total.dtype == tf.float64
    grad = tape.gradient(total, tx)
    assert grad.shape == x.shape and np.all(grad.numpy() == 1.0)


# --- empty and integer reductions: recorded from TF 2.21 ---------------------------------------

@pytest.mark.parametrize("op, axis, expected", [
    # recorded from TF 2.21
    (tf.reduce_sum, None, 0.0), (tf.reduce_sum, 0, [0.0, 0.0, 0.0]),
    (tf.reduce_mean, None, np.nan), (tf.reduce_mean, 0, [np.nan] * 3), (tf.reduce_mean, 1, []),
    (tf.reduce_max, None, -np.inf), (tf.reduce_max, 1, []), (tf.reduce_min, None, np.inf),
    (tf.reduce_prod, None, 1.0), (tf.math.reduce_logsumexp, None, -np.inf),
    (tf.math.reduce_std, None, np.nan), (tf.math.reduce_variance, 0, [np.nan] * 3),
])
def test_reductions_of_empty_tensors(op, axis, expected):
    result = op(tf.zeros((0, 3)), axis=axis)
    assert result.dtype == tf.float32
    assert np.array_equal(result.numpy(), expected, equal_nan=True)


def test_reductions_of_empty_rows():
    x = tf.ones((2, 0))
    # recorded from TF 2.21
    assert tf.reduce_min(x, axis=1).numpy().tolist() == [np.inf, np.inf]
    assert tf.reduce_max(tf.ones((2, 0), tf.uint8), axis=1).numpy().tolist() == [0, 0]
    assert tf.reduce_max(tf.ones((2, 0), tf.float16), axis=1).dtype == tf.float16
    assert tf.reduce_prod(tf.ones((2, 0), tf.int32), axis=1).numpy().tolist() == [1, 1]
    assert tf.reduce_mean(tf.ones((2, 0), tf.int32), axis=1).numpy().tolist() == [0, 0]
    assert np.isnan(tf.reduce_mean(tf.ones((2, 0), tf.float16), axis=1).numpy()).all()
    assert tf.math.reduce_logsumexp(x, axis=1).numpy().tolist() == [-np.inf, -np.inf]
    assert tf.math.reduce_logsumexp(x, axis=0).shape == (0,)
    assert tf.reduce_any(tf.ones((2, 0), tf.bool), axis=1).numpy().tolist() == [False, False]
    assert tf.reduce_all(tf.ones((2, 0), tf.bool), axis=1).numpy().tolist() == [True, True]
    assert tf.reduce_max(tf.zeros((0, 3), tf.int32)).numpy() == -2147483648
    assert tf.reduce_min(tf.zeros((0, 3), tf.int32)).numpy() == 2147483647


@pytest.mark.parametrize("values, dtype, axis, expected", [
    # recorded from TF 2.21: integer means truncate toward zero, in the input's dtype
    ([1, 2, 2], tf.int32, None, 1), ([-1, -2, -2], tf.int32, None, -1),
    ([-3, 1], tf.int32, None, -1), ([-7, 0], tf.int32, None, -3),
    ([-7, -1], tf.int32, None, -4), ([-5, 0, 0], tf.int32, None, -1),
    ([[1, 2], [3, 5]], tf.int32, 1, [1, 4]), ([100, 100], tf.int8, None, 100),
    ([200, 100], tf.uint8, None, 150), ([5, 0, 0], tf.uint8, None, 1),
    ([2147483647, 2147483647], tf.int32, None, 2147483647),
])
def test_integer_mean_truncates(values, dtype, axis, expected):
    mean = tf.reduce_mean(tf.constant(values, dtype), axis=axis)
    assert mean.dtype == dtype and mean.numpy().tolist() == expected


def test_overflow_wraps_or_saturates_as_in_tensorflow():
    # recorded from TF 2.21
    assert tf.reduce_sum(tf.constant([2147483647, 1])).numpy() == -2147483648
    big = tf.constant([65504.0, 65504.0], tf.float16)
    assert tf.reduce_sum(big).numpy() == np.inf and tf.reduce_mean(big).numpy() == np.inf
    assert tf.reduce_sum(tf.constant([1, 2], tf.int8), axis=0, keepdims=True).dtype == tf.int8


def test_reductions_of_other_values():
    # recorded from TF 2.21
    assert tf.reduce_sum([[1, 2], [3, 4]], 1).numpy().tolist() == [3, 7]
    assert tf.reduce_sum(np.array([1.0, 2.0])).dtype == tf.float64
    assert tf.reduce_max([1.5, 2.5]).numpy() == 2.5
    assert tf.reduce_mean(tf.constant([1 + 1j, 2])).numpy() == 1.5 + 0.5j
    assert np.isnan(tf.reduce_max(tf.constant([1.0, np.nan, 3.0])).numpy())
    assert np.isnan(tf.reduce_min(tf.constant([1.0, np.nan, 0.0])).numpy())
    assert tf.reduce_all(tf.constant([[True, True], [False, True]]), axis=0).numpy().tolist() \
        == [False, True]


# --- axis and keepdims: recorded from TF 2.21 --------------------------------------------------

@pytest.mark.parametrize("axis", [[], ()])
def test_an_empty_axis_list_reduces_nothing(axis):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    for op in (tf.reduce_sum, tf.reduce_max, tf.reduce_mean, tf.math.reduce_logsumexp):
        assert op(x, axis=axis).numpy().tolist() == x.numpy().tolist()  # recorded from TF 2.21
    assert tf.math.reduce_std(x, axis=axis).numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert tf.reduce_max(tf.ones(()), axis=axis).numpy() == 1.0


def test_other_axis_forms():
    x = tf.ones((2, 3))
    # recorded from TF 2.21
    assert tf.reduce_sum(x, axis=[[0]]).numpy().tolist() == [2.0, 2.0, 2.0]
    assert tf.reduce_sum(x, axis=[[0, 1]]).numpy() == 6.0
    assert tf.reduce_sum(x, axis=np.array([0, 1])).numpy() == 6.0
    assert tf.reduce_sum(x, axis=tf.constant(1)).numpy().tolist() == [3.0, 3.0]
    assert tf.reduce_sum(x, axis=tf.constant([1], tf.int64)).numpy().tolist() == [3.0, 3.0]
    assert tf.reduce_sum(x, axis=True).numpy().tolist() == [3.0, 3.0]
    assert tf.reduce_sum(x, None, True).shape == (1, 1)
    assert tf.reduce_sum(x, keepdims=1).shape == (1, 1)
    assert tf.reduce_sum(tf.constant([1.0]), axis=0, keepdims=None).shape == ()
    assert tf.reduce_sum(tf.constant(3.0), keepdims=True).shape == ()
    assert tf.reduce_max(tf.constant([[1.0, 2.0], [3.0, 5.0]]), axis=[-1, 0],
                         keepdims=True).numpy().tolist() == [[5.0]]


OPS = [(tf.reduce_sum, "Sum"), (tf.reduce_mean, "Mean"), (tf.reduce_max, "Max"),
       (tf.reduce_min, "Min"), (tf.reduce_prod, "Prod"), (tf.reduce_all, "All"),
       (tf.reduce_any, "Any"), (tf.math.reduce_std, "Mean"), (tf.math.reduce_variance, "Mean")]


@pytest.mark.parametrize("op, name", OPS, ids=[name for _, name in OPS])
@pytest.mark.parametrize("shape, axis, message", [
    # recorded from TF 2.21
    ((2, 3), 5, "Invalid reduction dimension (5 for input with 2 dimension(s)"),
    ((2, 3), 2, "Invalid reduction dimension (2 for input with 2 dimension(s)"),
    ((2, 3), -3, "Invalid reduction dimension (-3 for input with 2 dimension(s)"),
    ((), 0, "Invalid reduction dimension (0 for input with 0 dimension(s)"),
    ((), -1, "Invalid reduction dimension (-1 for input with 0 dimension(s)"),
    ((2, 3), [0, 0], "Invalid reduction arguments: Axes contains duplicate dimension: 0"),
    ((2, 3), [-1, 1], "Invalid reduction arguments: Axes contains duplicate dimension: 1"),
    ((2, 3), [1, 0, 1], "Invalid reduction arguments: Axes contains duplicate dimension: 1"),
    ((2, 3), [0.0], "Value for attr 'Tidx' of float is not in the list of allowed values: "
                    "int32, int64"),
    ((2, 3), "a", "Value for attr 'Tidx' of string is not in the list of allowed values: "
                  "int32, int64"),
])
def test_invalid_axes(op, name, shape, axis, message):
    x = tf.ones(shape, tf.bool if name in ("All", "Any") else tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        op(x, axis=axis)
    assert str(info.value) == f"{message} [Op:{name}]"


def test_invalid_axes_of_logsumexp():
    # TensorFlow composes logsumexp and names its inner Max op; this one names itself.
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Invalid reduction dimension \(5 for input with 2 dimension\(s\)"):
        tf.math.reduce_logsumexp(tf.ones((2, 3)), axis=5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="duplicate dimension: 0"):
        tf.math.reduce_logsumexp(tf.ones((2, 3)), axis=[0, 0])


def test_python_float_axis_is_a_type_error():
    with pytest.raises(TypeError, match="^Cannot convert 0.5 to EagerTensor of dtype int32$"):
        tf.reduce_sum(tf.ones((2, 3)), axis=0.5)  # recorded from TF 2.21


# --- dtype rules: recorded from TF 2.21 --------------------------------------------------------

@pytest.mark.parametrize("op, value, name", [
    (tf.reduce_sum, [True], "Sum"), (tf.reduce_mean, [True], "Mean"),
    (tf.reduce_max, [True], "Max"), (tf.reduce_sum, ["a"], "Sum"),
    (tf.reduce_max, [1 + 1j], "Max"), (tf.math.reduce_variance, [True], "Mean"),
    (tf.math.reduce_std, ["a"], "Mean"), (tf.math.cumsum, [True], "Cumsum"),
])
def test_unsupported_dtypes(op, value, name):
    x = tf.constant(value)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=rf"^Value for attr 'T' of {x.dtype.name} is not in the list of "
                             rf"allowed values: .* \[Op:{name}\]$"):
        op(x)


@pytest.mark.parametrize("op, name", [(tf.reduce_all, "All"), (tf.reduce_any, "Any")])
@pytest.mark.parametrize("value, type_name", [([1, 0], "int32"), ([1.0], "float")])
def test_logical_reductions_need_bools(op, name, value, type_name):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        op(tf.constant(value))
    assert str(info.value) == (  # recorded from TF 2.21
        f"cannot compute {name} as input #0(zero-based) was expected to be a bool tensor but is "
        f"a {type_name} tensor [Op:{name}]")


@pytest.mark.parametrize("op", [tf.math.reduce_std, tf.math.reduce_variance])
@pytest.mark.parametrize("dtype", [tf.int32, tf.uint8])
def test_std_and_variance_of_integers_are_a_type_error(op, dtype):
    with pytest.raises(TypeError) as info:
        op(tf.constant([1, 2, 3], dtype))
    assert str(info.value) == ("Input must be either real or complex. Received integer type "
                               f"<dtype: '{dtype.name}'>.")  # recorded from TF 2.21


def test_std_and_variance():
    # recorded from TF 2.21
    x = tf.constant([[1.0, 2.0], [4.0, 8.0]])
    assert tf.math.reduce_variance(x, axis=1, keepdims=True).numpy().tolist() == [[0.25], [4.0]]
    std = tf.math.reduce_std(tf.cast(x, tf.float64), axis=-1)
    assert std.dtype == tf.float64 and std.numpy().tolist() == [0.5, 2.0]
    assert tf.math.reduce_std(tf.constant([[1.0, 2.0], [3.0, 5.0]]), axis=[0, 1]).numpy() == (
        pytest.approx(1.4790199995040894, rel=1e-7))
    assert tf.math.reduce_variance(tf.constant([1.0, 2.0], tf.float16)).numpy() == 0.25
    for dtype, real in [(tf.complex64, tf.float32), (tf.complex128, tf.float64)]:
        z = tf.constant([1 + 1j, 2], dtype)
        variance, std = tf.math.reduce_variance(z), tf.math.reduce_std(z)
        assert variance.dtype == std.dtype == real
        assert variance.numpy() == 0.5
        assert std.numpy() == pytest.approx(0.7071067690849304, rel=1e-7)


def test_complex_variance_gradient():
    z = tf.constant([1 + 1j, 2 + 0j])
    with tf.GradientTape() as tape:
        tape.watch(z)
        variance = tf.math.reduce_variance(z)
    grad = tape.gradient(variance, z)
    assert grad.dtype == tf.complex128
    np.testing.assert_allclose(grad.numpy(), [-0.5 + 0.5j, 0.5 - 0.5j])  # recorded from TF 2.21


def test_gradient_of_std_at_a_constant_input_is_nan():
    x = tf.constant([1.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        std = tf.math.reduce_std(x)
    assert np.isnan(tape.gradient(std, x).numpy()).all()  # recorded from TF 2.21


# --- gradients at ties and zeros: recorded from TF 2.21 ----------------------------------------

def _gradient(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x).numpy().tolist()


@pytest.mark.parametrize("f, x, expected", [
    # recorded from TF 2.21: tied extremes share the gradient equally
    (tf.reduce_max, [1.0, 3.0, 3.0], [0.0, 0.5, 0.5]),
    (tf.reduce_min, [1.0, 1.0, 3.0], [0.5, 0.5, 0.0]),
    (lambda x: tf.reduce_max(x, axis=1), [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]],
     [[0.0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]]),
    (lambda x: tf.reduce_max(x, axis=0, keepdims=True), [[1.0, 3.0], [1.0, 2.0]],
     [[0.5, 1.0], [0.5, 0.0]]),
])
def test_extremum_gradient_with_ties(f, x, expected):
    np.testing.assert_allclose(_gradient(f, x), expected, rtol=1e-7)


def test_extremum_gradient_with_nan():
    assert np.isnan(_gradient(tf.reduce_max, [1.0, np.nan, 3.0])).all()  # recorded from TF 2.21


@pytest.mark.parametrize("f, x, expected", [
    # recorded from TF 2.21: the product of the other elements, exact with zeros
    (tf.reduce_prod, [2.0, 0.0, 3.0], [0.0, 6.0, 0.0]),
    (tf.reduce_prod, [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]),
    (lambda x: tf.reduce_prod(x, axis=1), [[2.0, 0.0, 3.0], [1.0, 2.0, 3.0]],
     [[0.0, 6.0, 0.0], [6.0, 3.0, 2.0]]),
    (lambda x: tf.reduce_prod(x, axis=0, keepdims=True), [[2.0, 0.0, 3.0], [1.0, 2.0, 3.0]],
     [[1.0, 2.0, 3.0], [2.0, 0.0, 3.0]]),
])
def test_reduce_prod_gradient_with_zeros(f, x, expected):
    assert _gradient(f, x) == expected


def test_reduce_prod_gradients_with_zeros_match_finite_differences():
    x = np.array([[2.0, 0.0, 3.0, -1.5], [0.0, 0.0, 1.0, 2.0]])
    for axis in (None, 0, 1, [0, 1]):
        check_gradients(lambda t: tf.reduce_prod(t, axis=axis), x, order=1)


# --- logsumexp ---------------------------------------------------------------------------------

def test_logsumexp_is_stable():
    # recorded from TF 2.21
    def lse(values):
        return tf.math.reduce_logsumexp(tf.constant(values)).numpy()
    assert lse([1000.0, 1000.0]) == pytest.approx(1000.6931471805599, rel=1e-7)
    assert lse([-1000.0, -1000.0]) == pytest.approx(-999.3068528194401, rel=1e-7)
    assert lse([-np.inf, -np.inf]) == -np.inf
    assert lse([-np.inf, 0.0]) == 0.0
    assert lse([np.inf, 0.0]) == np.inf
    assert lse([np.inf, -np.inf]) == np.inf
    assert np.isnan(lse([np.nan, 0.0]))
    assert tf.math.reduce_logsumexp(tf.constant(3.0)).numpy() == 3.0
    keep = tf.math.reduce_logsumexp(tf.constant([[1.0, 2.0], [3.0, 4.0]]), axis=1,
                                    keepdims=True)
    np.testing.assert_allclose(keep.numpy(), [[2.3132617473602295], [4.31326150894165]],
                               rtol=1e-7)


@pytest.mark.parametrize("x, expected", [
    # recorded from TF 2.21
    ([1000.0, 1000.0], [0.5, 0.5]), ([-np.inf, 0.0], [0.0, 1.0]),
    ([-np.inf, -np.inf], [np.nan, np.nan]), ([np.inf, 0.0], [np.nan, 0.0]),
])
def test_logsumexp_gradient_at_extreme_values(x, expected):
    grad = _gradient(tf.math.reduce_logsumexp, x)
    assert np.array_equal(grad, expected, equal_nan=True)


def test_logsumexp_gradient_is_the_softmax():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    grad = _gradient(lambda t: tf.math.reduce_logsumexp(t, axis=0, keepdims=True), x)
    # recorded from TF 2.21
    np.testing.assert_allclose(grad, [[0.11920291185379028, 0.11920291185379028],
                                      [0.8807970285415649, 0.8807970285415649]], rtol=1e-6)


def test_logsumexp_needs_floats():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
        tf.math.reduce_logsumexp(tf.constant([1, 2]))  # recorded from TF 2.21


# --- argmax and argmin -------------------------------------------------------------------------

@pytest.mark.parametrize("op, reference", [(tf.argmax, np.argmax), (tf.argmin, np.argmin)])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.uint8,
                                   np.bool_])
@pytest.mark.parametrize("shape, axis", [((5,), None), ((3, 4), 0), ((3, 4), 1), ((3, 4), -1),
                                         ((2, 3, 4), -2), ((0, 3), 1)])
def test_argmax_and_argmin(op, reference, dtype, shape, axis, rng):
    x = rng.integers(0, 4 if dtype is not np.bool_ else 2, shape).astype(dtype)  # many ties
    result = op(tf.constant(x), axis=axis)
    assert result.dtype == tf.int64  # recorded from TF 2.21
    np.testing.assert_array_equal(result.numpy(), reference(x, axis=0 if axis is None else axis))


def test_argmax_output_types():
    x = tf.constant([1.0, 3.0, 2.0])
    # recorded from TF 2.21
    for dtype in (tf.int16, tf.uint16, tf.int32, tf.int64):
        result = tf.argmax(x, output_type=dtype)
        assert result.dtype == dtype and result.numpy() == 1
    assert tf.argmin(x, output_type=tf.int32).dtype == tf.int32
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.argmax(x, output_type=tf.float32)
    assert str(info.value) == ("Value for attr 'output_type' of float is not in the list of "
                               "allowed values: int16, uint16, int32, int64 [Op:ArgMax]")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.argmin(x, output_type=tf.uint8)
    assert str(info.value) == ("Value for attr 'output_type' of uint8 is not in the list of "
                               "allowed values: int32, int64 [Op:ArgMin]")


@pytest.mark.parametrize("op, x, expected", [
    # recorded from TF 2.21: ties go to the first index; NaNs are never picked
    (tf.argmax, [1.0, 3.0, 3.0], 1), (tf.argmin, [3.0, 1.0, 1.0], 1),
    (tf.argmax, [1.0, np.nan, 3.0], 2), (tf.argmax, [np.nan, 1.0, 3.0], 2),
    (tf.argmax, [1.0, np.nan, np.nan], 0), (tf.argmax, [np.nan, np.nan], 0),
    (tf.argmax, [np.nan, -np.inf], 0), (tf.argmax, [-np.inf, np.nan], 0),
    (tf.argmax, [-np.inf, -np.inf, np.nan, 0.0], 3), (tf.argmin, [1.0, np.nan, 0.0], 2),
    (tf.argmin, [np.nan, 1.0, 0.0], 2), (tf.argmin, [np.nan, np.inf], 0),
    (tf.argmax, [True, False], 0), (tf.argmin, [True, False], 1),
])
def test_argmax_ties_and_nans(op, x, expected):
    assert op(tf.constant(x)).numpy() == expected


def test_argmax_nans_along_an_axis():
    x = tf.constant([[np.nan, 1.0], [2.0, np.nan]])
    # recorded from TF 2.21
    assert tf.argmax(x, axis=1).numpy().tolist() == [1, 0]
    assert tf.argmax(x, axis=0).numpy().tolist() == [1, 0]


@pytest.mark.parametrize("x, axis, message", [
    # recorded from TF 2.21
    ([[1.0, 3.0], [4.0, 0.0]], 2, "Expected dimension in the range [-2, 2), but got 2"),
    ([[1.0, 3.0], [4.0, 0.0]], -3, "Expected dimension in the range [-2, 2), but got -3"),
    (1.0, None, "Expected dimension in the range [0, 0), but got 0"),
    (np.zeros((0, 3), np.float32), None, "Reduction axis 0 is empty in shape [0,3]"),
])
def test_argmax_invalid_axes(x, axis, message):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.argmax(tf.constant(x), axis=axis)
    assert str(info.value) == f"{message} [Op:ArgMax]"


@pytest.mark.parametrize("axis", [[0], [0, 1], 1.0])
def test_argmax_axis_must_be_an_integer(axis):
    with pytest.raises(TypeError, match="^axis must be int or Tensor with integer datatype$"):
        tf.argmax(tf.constant([[1.0, 3.0]]), axis=axis)  # recorded from TF 2.21


def test_argmax_axis_forms_and_other_dtypes():
    # recorded from TF 2.21
    assert tf.argmax(tf.constant([[1.0, 3.0]]), axis=tf.constant(1, tf.int64)).numpy() == [1]
    assert tf.argmax([1.5, 2.5]).numpy() == 1
    assert tf.argmax(tf.zeros((0, 3)), axis=1).shape == (0,)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of complex128"):
        tf.argmax(tf.constant([1 + 1j]))


def test_argmax_gives_no_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        index = tf.cast(tf.argmax(x), tf.float32)
    assert tape.gradient(index, x) is None  # recorded from TF 2.21


# --- cumsum and cumprod ------------------------------------------------------------------------

def _numpy_scan(func, x, axis, exclusive, reverse):
    if reverse:
        x = np.flip(x, axis)
    if exclusive and x.shape[axis]:  # shift in the identity, drop the last element
        identity = np.zeros_like if func is np.cumsum else np.ones_like
        x = np.concatenate([identity(np.take(x, [0], axis)), np.delete(x, -1, axis)], axis)
    result = func(x, axis=axis)
    return np.flip(result, axis) if reverse else result


SCANS = [(tf.math.cumsum, np.cumsum), (tf.math.cumprod, np.cumprod)]


@pytest.mark.parametrize("op, reference", SCANS, ids=["cumsum", "cumprod"])
@pytest.mark.parametrize("shape, axis", [((4,), 0), ((2, 3), 0), ((2, 3), 1), ((2, 3), -1),
                                         ((2, 3, 2), -2), ((0, 3), 0), ((2, 0), 1)])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_scans(op, reference, shape, axis, exclusive, reverse, rng):
    x = _factors(rng, shape)
    for dtype in FLOATS + (np.int32, np.uint8):
        values = np.abs(x).round().astype(dtype) if np.dtype(dtype).kind in "iu" else x.astype(
            dtype)
        result = op(tf.constant(values), axis=axis, exclusive=exclusive, reverse=reverse)
        assert result.dtype == tf.as_dtype(dtype)
        expected = _numpy_scan(reference, values.astype(np.float64), axis, exclusive, reverse)
        tolerance = TOLERANCE.get(dtype, 0)
        np.testing.assert_allclose(np.asarray(result, np.float64), expected, rtol=tolerance)
    if 0 not in shape:
        check_gradients(lambda t: op(t, axis=axis, exclusive=exclusive, reverse=reverse), x,
                        order=2)


def test_scans_recorded_values():
    # recorded from TF 2.21
    assert tf.math.cumsum(tf.constant([1, 2, 3])).numpy().tolist() == [1, 3, 6]
    assert tf.math.cumsum(tf.constant([1, 2, 3]), exclusive=True,
                          reverse=True).numpy().tolist() == [5, 3, 0]
    assert tf.math.cumprod(tf.constant([1, 2, 3]), exclusive=True,
                           reverse=True).numpy().tolist() == [6, 3, 1]
    assert tf.math.cumsum(tf.constant([[1, 2], [3, 4]]), axis=-2,
                          exclusive=True).numpy().tolist() == [[0, 0], [1, 2]]
    assert tf.math.cumsum(tf.constant([250, 10], tf.uint8)).numpy().tolist() == [250, 4]
    assert tf.math.cumsum(tf.constant([65504.0, 65504.0], tf.float16)).numpy().tolist() == [
        65504.0, np.inf]
    assert tf.math.cumsum([1, 2]).numpy().tolist() == [1, 3]
    assert tf.math.cumprod(tf.constant([1 + 1j, 2])).numpy().tolist() == [1 + 1j, 2 + 2j]
    for axis in (tf.constant(0), tf.constant(0, tf.int64), np.int64(0)):
        assert tf.math.cumsum(tf.constant([1.0, 2.0]), axis=axis).numpy().tolist() == [1.0, 3.0]


@pytest.mark.parametrize("op, name", [(tf.math.cumsum, "Cumsum"), (tf.math.cumprod, "Cumprod")])
@pytest.mark.parametrize("x, axis, message", [
    # recorded from TF 2.21
    ([[1.0, 2.0], [3.0, 4.0]], 2, "ScanOp: Expected scan axis in the range [-2, 2), but got 2"),
    ([1.0, 2.0], 1, "ScanOp: Expected scan axis in the range [-1, 1), but got 1"),
    ([1.0, 2.0], True, "ScanOp: Expected scan axis in the range [-1, 1), but got 1"),
    (3.0, 0, "ScanOp: Expected scan axis in the range [0, 0), but got 0"),
    ([1.0, 2.0], [0], "ScanOp: axis must be a scalar, not [1]"),
    ([1.0, 2.0], [0, 0], "ScanOp: axis must be a scalar, not [2]"),
    ([1.0, 2.0], "a", "Value for attr 'Tidx' of string is not in the list of allowed values: "
                      "int32, int64"),
])
def test_scan_invalid_axes(op, name, x, axis, message):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        op(tf.constant(x), axis=axis)
    assert str(info.value) == f"{message} [Op:{name}]"


def test_scan_out_of_range_negative_axis():
    # TF 2.21 reports this axis wrapped once ("but got -1"); we report the axis as given.
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^ScanOp: Expected scan axis in the range \[-2, 2\), but got -3"):
        tf.math.cumsum(tf.ones((2, 2)), axis=-3)


@pytest.mark.parametrize("op", [tf.math.cumsum, tf.math.cumprod])
def test_scan_float_axis_is_a_type_error(op):
    with pytest.raises(TypeError, match="^Cannot convert 0.5 to EagerTensor of dtype int32$"):
        op(tf.constant([1.0, 2.0]), axis=0.5)  # recorded from TF 2.21


@pytest.mark.parametrize("x, exclusive, reverse, expected", [
    # Exact: d/dx_k of sum(cumprod(x)). TF 2.21 gives 0 at every zero instead
    # ([1.0, 0.0, 0.0] for the first row), which is wrong at the first zero.
    ([1.0, 0.0, 2.0], False, False, [1.0, 3.0, 0.0]),
    ([2.0, 0.0, 0.0, 3.0], False, False, [1.0, 2.0, 0.0, 0.0]),
    ([0.0, 1.0], False, False, [2.0, 0.0]),
    ([1.0, 0.0, 2.0], True, False, [1.0, 1.0, 0.0]),
    ([1.0, 0.0, 2.0], False, True, [0.0, 4.0, 1.0]),
    ([3.0, 0.0, 2.0], True, True, [0.0, 2.0, 1.0]),
])
def test_cumprod_gradient_with_zeros_is_exact(x, exclusive, reverse, expected):
    grad = _gradient(lambda t: tf.math.cumprod(t, exclusive=exclusive, reverse=reverse), x)
    assert grad == expected
    check_gradients(lambda t: tf.math.cumprod(t, exclusive=exclusive, reverse=reverse),
                    np.array(x), order=1)


def test_cumprod_gradient_with_zeros_along_an_axis():
    x = np.array([[2.0, 0.0, 3.0], [0.0, 1.5, 0.0], [1.0, -2.0, 0.5]])
    for axis in (0, 1):
        check_gradients(lambda t: tf.math.cumprod(t, axis=axis), x, order=1)


def test_cumprod_gradient_of_complex_matches_the_products():
    z = tf.constant([1 + 2j, 3 - 1j])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(z)
        scanned = tf.reduce_sum(tf.math.cumprod(z) * tf.constant([1 + 1j, 2 - 1j]))
        a, b = z[0], z[1]
        direct = (a * (1 + 1j)) + (a * b * (2 - 1j))
    np.testing.assert_allclose(tape.gradient(scanned, z).numpy(),
                               tape.gradient(direct, z).numpy())


# --- euclidean norm and count_nonzero: recorded from TF 2.21 ------------------------------------

def test_euclidean_norm_edge_values():
    norm = reduction_ops.reduce_euclidean_norm
    assert norm(tf.constant([[3, 4], [1, 1]]), axis=1).numpy().tolist() == [5, 1]
    assert norm(tf.constant([-3, 4])).numpy().tolist() == 5
    # integers square and sum in their own dtype: 900 + 1600 wraps to 196 in uint8
    result = norm(tf.constant([30, 40], tf.uint8))
    assert result.dtype == tf.uint8 and result.numpy().tolist() == 14
    result = norm(tf.constant([3 + 4j, 0j]))
    assert result.dtype == tf.complex128 and result.numpy().tolist() == 5 + 0j
    assert norm(tf.zeros((0, 3)), axis=0).numpy().tolist() == [0.0, 0.0, 0.0]
    assert norm(tf.constant([[3.0, 4.0]]), axis=-1, keepdims=True).numpy().tolist() == [[5.0]]
    assert norm(tf.constant([3e30, 4e30])).numpy().tolist() == np.inf  # no rescaling in TF
    assert norm(tf.constant([300.0, 400.0], tf.float16)).numpy().tolist() == np.inf
    np.testing.assert_allclose(norm(tf.ones((2, 3, 4)), axis=[0, -1]).numpy(),
                               [2.8284270763397217] * 3, rtol=1e-7)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Invalid reduction dimension \(1 for input with 1 dimension\(s\) "
                             r"\[Op:EuclideanNorm\]"):
        norm(tf.constant([3.0, 4.0]), axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of bool"):
        norm(tf.constant([True]))


def test_euclidean_norm_gradients():
    norm = reduction_ops.reduce_euclidean_norm
    assert _gradient(norm, [3.0, 4.0]) == [0.6000000238418579, 0.800000011920929]
    assert np.isnan(_gradient(norm, [0.0, 0.0])).all()
    np.testing.assert_allclose(_gradient(norm, [3 + 4j, 1j]),
                               [0.5883484054145521 + 0.7844645405527362j,
                                0.19611613513818404j], rtol=1e-12)


@pytest.mark.parametrize("shape, axis, keepdims", [
    ((2, 3), None, False), ((2, 3), 0, True), ((2, 3), -1, False), ((2, 3, 2), [0, 2], True),
    ((), None, False), ((0, 3), 0, False), ((2, 3), [], False)])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.uint8,
                                   np.bool_, np.complex64])
def test_count_nonzero_matches_numpy(shape, axis, keepdims, dtype, rng):
    x = rng.integers(0, 3, shape).astype(dtype)
    result = reduction_ops.count_nonzero(tf.constant(x), axis=axis, keepdims=keepdims)
    assert result.dtype == tf.int64
    expected = np.count_nonzero(x, axis=_numpy_axis(axis) if axis != [] else (),
                                keepdims=keepdims)
    np.testing.assert_array_equal(result.numpy(), expected)


def test_count_nonzero_values_and_dtypes():
    count = reduction_ops.count_nonzero
    x = tf.constant([[0, 1, 2], [0, 0, 3]])
    # recorded from TF 2.21
    assert count(x).numpy().tolist() == 3
    result = count(x, axis=1, keepdims=True, dtype=tf.int32)
    assert result.dtype == tf.int32 and result.numpy().tolist() == [[2], [1]]
    assert count(x, axis=-1).numpy().tolist() == [2, 1]
    assert count(tf.constant([0.0, -0.0, np.nan, 1e-30])).numpy().tolist() == 2
    assert count(tf.constant(["", "a", "b"])).numpy().tolist() == 2
    assert count(tf.constant([True, False])).numpy().tolist() == 1
    assert count([1, 0, 3]).numpy().tolist() == 2
    result = count(tf.constant([1, 2]), dtype=tf.float32)
    assert result.dtype == tf.float32 and result.numpy().tolist() == 2.0
    assert count(tf.constant([1, 2]), dtype=tf.bool).numpy().tolist() is True
    assert count(tf.ones((300,)), dtype=tf.uint8).numpy().tolist() == 44  # 300 wraps
    assert count(tf.zeros((0, 3)), axis=0).numpy().tolist() == [0, 0, 0]
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Invalid reduction dimension \(2 for input with 2 dimension\(s\)"):
        count(x, axis=2)
    with pytest.raises(tf.errors.UnimplementedError,
                       match="^Cast int64 to string is not supported"):
        count(x, dtype=tf.string)
    x = tf.constant([1.0, 0.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(count(x), tf.float32)
    assert tape.gradient(y, x) is None


# --- cumulative_logsumexp: recorded from TF 2.21 ------------------------------------------------

def test_cumulative_logsumexp_values():
    scan = reduction_ops.cumulative_logsumexp
    np.testing.assert_allclose(scan(tf.constant([0.0, 0.0, 1000.0, -np.inf])).numpy(),
                               [0.0, 0.6931471824645996, 1000.0, 1000.0], rtol=1e-7)
    np.testing.assert_allclose(scan(tf.constant([0.0, 0.0, 1.0]), exclusive=True).numpy(),
                               [-np.inf, 0.0, 0.6931471824645996], rtol=1e-7)
    np.testing.assert_allclose(scan(tf.constant([0.0, 0.0, 1.0]), reverse=True).numpy(),
                               [1.5514447689056396, 1.3132617473602295, 1.0], rtol=1e-7)
    np.testing.assert_allclose(scan(tf.constant([[0.0, 0.0, 1.0]]), axis=1, exclusive=True,
                                    reverse=True).numpy(),
                               [[1.3132617473602295, 1.0, -np.inf]], rtol=1e-7)
    assert scan(tf.zeros((0, 2)), axis=0).shape == (0, 2)
    assert scan(tf.constant([1.0, 2.0], tf.float16)).dtype == tf.float16
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
        scan(tf.constant([1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^ScanOp: Expected scan axis in the range \[-1, 1\), but got 1 "
                             r"\[Op:CumulativeLogsumexp\]$"):
        scan(tf.constant([1.0, 2.0]), axis=1)


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, -1])
def test_cumulative_logsumexp_matches_numpy_and_its_gradients(exclusive, reverse, axis, rng):
    x = rng.standard_normal((3, 4))
    with np.errstate(divide="ignore"):  # log(0) = -inf where an exclusive scan starts
        expected = np.log(_numpy_scan(np.cumsum, np.exp(x), axis, exclusive, reverse))
    result = reduction_ops.cumulative_logsumexp(tf.constant(x), axis, exclusive=exclusive,
                                                reverse=reverse)
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-13)
    if not exclusive:
        check_gradients(lambda t: reduction_ops.cumulative_logsumexp(
            t, axis, reverse=reverse), x, order=2)
    # an exclusive scan starts at -inf: leave the ends out of the weighted sum (which then
    # also sends exact zeros down the gradient)
    inner = (slice(1, -1),) if axis == 0 else (slice(None), slice(1, -1))
    check_gradients(lambda t: reduction_ops.cumulative_logsumexp(
        t, axis, exclusive=exclusive, reverse=reverse)[inner], x, order=2)


def test_cumulative_logsumexp_gradients_recorded():
    weights = tf.constant([1.0, -2.0, 3.0])
    for exclusive, expected in [(False, [0.7322088479995728, -0.7279317378997803,
                                         1.9957225322723389]),
                                (True, [-1.1931757926940918, 2.1931755542755127, 0.0])]:
        grad = _gradient(lambda t: reduction_ops.cumulative_logsumexp(
            t, exclusive=exclusive) * weights, [0.0, 1.0, 2.0])
        np.testing.assert_allclose(grad, expected, rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sums_over_leading_axes_of_large_arrays_match_numpy(dtype, rng):
    # Large contiguous float arrays summed over leading axes take the BLAS path.
    x = rng.standard_normal((16, 9, 7, 5)).astype(dtype)
    exact = x.astype("float64")
    for axes in ([0], [0, 1], [0, 1, 2]):
        for keepdims in (False, True):
            result = tf.reduce_sum(tf.constant(x), axes, keepdims=keepdims)
            assert result.dtype == dtype
            np.testing.assert_allclose(result.numpy(), exact.sum(tuple(axes), keepdims=keepdims),
                                       rtol=1e-5, atol=1e-4)
        mean = tf.reduce_mean(tf.constant(x), axes)
        np.testing.assert_allclose(mean.numpy(), exact.mean(tuple(axes)), rtol=1e-5, atol=1e-5)
    transposed = tf.constant(np.ascontiguousarray(x.T).T)  # not C-contiguous: NumPy's path
    np.testing.assert_allclose(tf.reduce_sum(transposed, [0, 1]).numpy(), exact.sum((0, 1)),
                               rtol=1e-5, atol=1e-4)


# --- a short last axis on many rows (reduced without NumPy's per-row loop) ----------------

def _batch(rng, dtype):
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-50, 50, (128, 10)).astype(dtype)
    x = rng.standard_normal((128, 10)).astype(dtype)
    x[3, 4], x[5], x[7, 2], x[9, :2] = np.nan, -np.inf, np.inf, [np.inf, -np.inf]
    return x


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.int64])
@pytest.mark.parametrize("keepdims", [False, True])
def test_last_axis_reductions_of_a_batch(dtype, keepdims, rng):
    x = _batch(rng, dtype)
    for op, reference in [(tf.reduce_max, np.max), (tf.reduce_min, np.min)]:
        result = op(x, axis=-1, keepdims=keepdims).numpy()
        np.testing.assert_array_equal(result, reference(x, axis=-1, keepdims=keepdims))
    total = tf.reduce_sum(x, axis=1, keepdims=keepdims).numpy()
    assert total.dtype == x.dtype
    expected = np.sum(x, axis=-1, keepdims=keepdims, dtype=x.dtype)
    np.testing.assert_allclose(total, expected, rtol=1e-2 if dtype == np.float16 else 1e-5,
                               atol=1e-5)
    if x.dtype.kind == "f":
        mean = tf.reduce_mean(x, axis=-1, keepdims=keepdims).numpy()
        np.testing.assert_allclose(mean, np.mean(x, axis=-1, keepdims=keepdims, dtype=x.dtype),
                                   rtol=1e-2 if dtype == np.float16 else 1e-5, atol=1e-6)


def test_logsumexp_of_a_batch(rng):
    x = _batch(rng, np.float64)
    result = tf.reduce_logsumexp(x, axis=-1).numpy()
    # recorded from TF 2.21: NaN, all -inf, an inf, inf and -inf
    assert np.isnan(result[3]) and result[5] == -np.inf and result[7] == result[9] == np.inf
    finite = np.isfinite(x).all(axis=-1)
    peak = np.max(x[finite], -1, keepdims=True)
    expected = np.log(np.sum(np.exp(x[finite] - peak), -1)) + peak[:, 0]
    np.testing.assert_allclose(result[finite], expected, rtol=1e-12)


def test_empty_last_axis_of_a_batch_gives_the_identity():
    assert tf.reduce_max(tf.zeros((64, 0)), axis=-1).numpy().tolist() == [-np.inf] * 64
    assert tf.reduce_min(tf.zeros((64, 0), tf.int32), axis=1).numpy().tolist() == [2**31 - 1] * 64
    assert tf.reduce_sum(tf.zeros((64, 0)), axis=-1).numpy().tolist() == [0.0] * 64


def test_argmax_of_a_batch_with_nans():
    # recorded from TF 2.21 (a 300 x 7 standard normal batch from default_rng(0), NaNs
    # at [::7, 3] and in row 5)
    x = np.random.default_rng(0).standard_normal((300, 7)).astype(np.float32)
    x[::7, 3] = np.nan
    x[5] = np.nan
    assert tf.argmax(x, axis=-1).numpy()[:12].tolist() == [6, 0, 5, 0, 5, 0, 5, 0, 6, 3, 4, 2]
    clean = np.nan_to_num(x, nan=-np.inf)
    np.testing.assert_array_equal(tf.argmax(x, axis=-1).numpy(), np.argmax(clean, axis=-1))
    np.testing.assert_array_equal(tf.argmin(x, axis=1, output_type=tf.int32).numpy(),
                                  np.argmin(np.nan_to_num(x, nan=np.inf), axis=1))
