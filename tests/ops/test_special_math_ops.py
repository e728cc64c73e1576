"""erf, erfc, erfinv, erfcinv, ndtri, lgamma, digamma, polygamma, zeta and lbeta.

float64 accuracy is checked against Python's `math.erf`, `math.erfc` and `math.lgamma`,
against closed forms (zeta(2) = pi**2 / 6, digamma(1) = -euler_gamma, ...) and against
values computed with mpmath at 50 digits (marked so) where the math module is not accurate
enough (lgamma near its zeros). Values marked "recorded from TF 2.21" come from running the
same calls with `import tensorflow as tf`.
"""

import math

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops import special_math_ops as special
from tests.gradient_check import check_gradients

EULER_GAMMA = 0.5772156649015329
APERY = 1.2020569031595942  # zeta(3)
FLOATS = (tf.float16, tf.float32, tf.float64)


def _values(t):
    return t.numpy().tolist()


def _f64(values):
    return tf.constant(np.asarray(values, np.float64))


def _gradient(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x).numpy().tolist()


def _assert_relative(actual, expected, rtol):
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    error = np.abs(actual - expected) / np.maximum(np.abs(expected), np.finfo(float).tiny)
    worst = int(np.argmax(error))
    assert error[worst] <= rtol, (f"relative error {error[worst]:.3g} at {worst}: "
                                  f"{actual[worst]!r} vs {expected[worst]!r}")


# --- float64 accuracy ---------------------------------------------------------------------------

def test_erf_matches_math_erf(rng):
    x = np.concatenate([rng.uniform(-6, 6, 3000), rng.uniform(-0.6, 0.6, 1000),
                        np.geomspace(1e-300, 7, 500), -np.geomspace(1e-300, 7, 500)])
    _assert_relative(special.erf(_f64(x)).numpy(), [math.erf(v) for v in x], 1e-15)


def test_erfc_matches_math_erfc(rng):
    # erfc is relatively accurate down to its underflow at 26.5 (not 1 - erf)
    x = np.concatenate([rng.uniform(-6, 26.5, 4000), np.geomspace(1e-300, 26.5, 1000),
                        -np.geomspace(1e-300, 6, 300)])
    _assert_relative(special.erfc(_f64(x)).numpy(), [math.erfc(v) for v in x], 1e-15)


def test_lgamma_matches_math_lgamma_away_from_its_zeros(rng):
    # math.lgamma itself is good to about 1e-14 relative, and loses its digits near the
    # zeros at 1 and 2 (see the next test)
    x = np.concatenate([rng.uniform(0, 30, 3000), np.geomspace(1e-300, 1e300, 2000),
                        -rng.uniform(0, 30, 2000)])
    expected = np.array([math.lgamma(v) for v in x])
    far = np.abs(expected) > 0.5
    _assert_relative(special.lgamma(_f64(x[far])).numpy(), expected[far], 1e-13)


@pytest.mark.parametrize("x, expected", [
    # computed with mpmath at 50 digits
    (1 - 1e-8, 5.772156760265731e-09), (1 + 1e-8, -5.772156531688512e-09),
    (2 - 1e-8, -4.227843293043373e-09), (2 + 1e-8, 4.227843357536779e-09),
    (0.999, 0.0005780385328913802), (2.001, 0.000423106734800117),
    (1.25, -0.09827183642181316), (2.5, 0.2846828704729192),
])
def test_lgamma_keeps_its_relative_accuracy_near_its_zeros(x, expected):
    assert float(special.lgamma(_f64(x))) == pytest.approx(expected, rel=1e-14)


def test_lgamma_closed_forms():
    x = _f64([0.5, 1.0, 2.0, 3.0, 11.0, -0.5, -1.5])
    expected = [0.5 * math.log(math.pi), 0.0, 0.0, math.log(2.0), math.log(3628800.0),
                math.log(2 * math.sqrt(math.pi)), math.log(4 * math.sqrt(math.pi) / 3)]
    np.testing.assert_allclose(special.lgamma(x).numpy(), expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("x, expected", [
    # closed forms, and mpmath at 50 digits near the zero at 1.4616...
    (1.0, -EULER_GAMMA), (0.5, -EULER_GAMMA - 2 * math.log(2)),
    (2.0, 1 - EULER_GAMMA), (3.5, 1.103156640645243), (1e-5, -100000.57719921567),
    (100.25, 4.602671243274712), (1.46, -0.0015805619870834522),
    (1.47, 0.008066489011364869), (1.4616321449683622, -9.241265521729427e-17),
    (1.4616321449683625, 1.2245374622004068e-16),
])
def test_digamma_values(x, expected):
    assert float(special.digamma(_f64(x))) == pytest.approx(expected, rel=2e-15)


def test_digamma_is_the_derivative_of_lgamma(rng):
    x = np.concatenate([rng.uniform(0.1, 30, 300), -rng.uniform(0.05, 0.95, 50) - 3])
    step = 1e-5 * np.maximum(1, np.abs(x))
    slopes = [(math.lgamma(v + h) - math.lgamma(v - h)) / (2 * h) for v, h in zip(x, step)]
    np.testing.assert_allclose(special.digamma(_f64(x)).numpy(), slopes, rtol=1e-7, atol=1e-7)


def test_digamma_recurrence_and_reflection(rng):
    x = rng.uniform(0.05, 20, 500)
    np.testing.assert_allclose(special.digamma(_f64(x + 1)).numpy(),
                               special.digamma(_f64(x)).numpy() + 1 / x, rtol=1e-13,
                               atol=1e-13)
    z = rng.uniform(-20, 0, 500)
    z = z[np.abs(z - np.round(z)) > 0.01]
    np.testing.assert_allclose(special.digamma(_f64(z)).numpy(),
                               special.digamma(_f64(1 - z)).numpy() - np.pi / np.tan(np.pi * z),
                               rtol=1e-12, atol=1e-12)


def test_erfinv_inverts_erf(rng):
    x = np.concatenate([rng.uniform(-1, 1, 2000), 1 - np.geomspace(1e-16, 0.5, 500),
                        np.geomspace(1e-300, 0.5, 500)])
    y = special.erfinv(_f64(x)).numpy()
    _assert_relative([math.erf(v) for v in y], x, 1e-15)
    # in the tail compare erfc(y) with 1 - x, which erf(y) cannot resolve
    tail = np.abs(x) > 0.9
    _assert_relative([math.erfc(v) for v in np.abs(y[tail])], 1 - np.abs(x[tail]), 2e-13)


def test_erfcinv_inverts_erfc_far_into_the_tail(rng):
    q = np.concatenate([np.geomspace(1e-300, 1, 1000), rng.uniform(0, 2, 1000)])
    y = special.erfcinv(_f64(q)).numpy()
    # d erfc / erfc = -2 y dy: one rounding of y near 26 moves erfc(y) by ~1e-13
    _assert_relative([math.erfc(v) for v in y], q, 2e-12)


def test_ndtri_values():
    # computed with mpmath at 50 digits
    p = _f64([0.025, 0.5, 0.975, 1e-10])
    np.testing.assert_allclose(special.ndtri(p).numpy(), [
        -1.9599639845400543, 0.0, 1.9599639845400543, -6.361340902404057], rtol=1e-15)


def test_zeta_closed_forms_and_recurrence(rng):
    pi2 = math.pi ** 2
    s = _f64([2.0, 4.0, 3.0, 2.0, 3.0, 2.0, 2.5, 7.0, 1.5])
    q = _f64([1.0, 1.0, 1.0, 0.5, 2.0, 0.25, 0.75, 3.0, 1.0])
    expected = [pi2 / 6, math.pi ** 4 / 90, APERY, pi2 / 2, APERY - 1, pi2 + 8 * 0.915965594177219,
                # mpmath at 50 digits:
                2.491542385511935, 0.0005367773819228268, 2.612375348685488]
    np.testing.assert_allclose(special.zeta(s, q).numpy(), expected, rtol=2e-15)
    s, q = rng.uniform(1.1, 40, 500), rng.uniform(0.05, 50, 500)
    np.testing.assert_allclose(special.zeta(_f64(s), _f64(q)).numpy(),
                               special.zeta(_f64(s), _f64(q + 1)).numpy() + q ** -s, rtol=1e-13)


def test_polygamma_values():
    n = _f64([1.0, 1.0, 2.0, 1.0, 2.0, 3.0, 4.0, 0.0])
    x = _f64([1.0, 0.5, 1.0, 0.3, 1.5, 10.0, 0.25, 2.0])
    expected = [math.pi ** 2 / 6, math.pi ** 2 / 2, -2 * APERY,
                # mpmath at 50 digits:
                12.245364546107732, -0.82879664423432, 0.0023199013042898686,
                -24584.375388637935, 1 - EULER_GAMMA]
    np.testing.assert_allclose(special.polygamma(n, x).numpy(), expected, rtol=2e-15)


def test_lbeta():
    x = _f64([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(special.lbeta(x).numpy(), [
        math.log(0.5), math.lgamma(3) + math.lgamma(4) - math.lgamma(7)], rtol=1e-15)
    # recorded from TF 2.21
    assert float(special.lbeta(_f64([1.0, 2.0, 3.0]))) == pytest.approx(-4.0943445622221,
                                                                         rel=1e-14)
    assert _values(special.lbeta(tf.zeros((2, 0), tf.float64))) == [-np.inf, -np.inf]
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Invalid reduction dimension \(-1 for input with 0 dimension"):
        special.lbeta(tf.constant(2.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
        special.lbeta(tf.constant([1, 2]))


# --- special values: recorded from TF 2.21 ------------------------------------------------------

nan, inf = np.nan, np.inf


@pytest.mark.parametrize("op, x, expected", [
    (special.erf, [-1.0, 0.0, -0.0, 0.5, 3.0, nan],
     [-0.8427007929497149, 0.0, -0.0, 0.5204998778130465, 0.9999779095030014, nan]),
    (special.erfc, [-inf, -1.0, 0.0, 0.5, 3.0, 30.0, inf, nan],
     [2.0, 1.8427007929497148, 1.0, 0.4795001221869535, 2.209049699858544e-05, 0.0, 0.0, nan]),
    (special.erfinv, [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, nan, 1e-300],
     [-inf, -0.4769362762044699, 0.0, 0.4769362762044699, inf, nan, nan, 8.862269254527579e-301]),
    (special.erfcinv, [0.0, 0.5, 1.0, 2.0, 2.5, 1e-300],
     [inf, 0.4769362762044699, -0.0, -inf, nan, 26.209469960516124]),
    (special.ndtri, [0.0, 0.5, 1.0, -1.0], [-inf, 0.0, inf, nan]),
    (special.lgamma, [-inf, -2.5, -2.0, -1.0, -0.5, -0.0, 0.0, 1e300, inf, nan, 1e-300,
                      -100.5, -1e-10, -1e300],
     [inf, -0.05624371649767407, inf, inf, 1.2655121234846454, inf, inf, 6.897755278982137e+302,
      inf, nan, 690.7755278982137, -364.90096830942736, 23.025850929998178, inf]),
    (special.digamma, [-inf, -2.5, -2.0, -1.0, -0.5, -0.0, 0.0, 1e300, inf, nan, 1e-300, -100.5,
                       -1e-10],
     [nan, 1.1031566406452433, nan, nan, 0.03648997397857645, nan, nan, 690.7755278982137, inf,
      nan, -1e300, 4.615124601338064, 9999999999.422785]),
])
def test_special_values(op, x, expected):
    result = op(_f64(x)).numpy()
    np.testing.assert_allclose(result, expected, rtol=1e-14)
    number = ~np.isnan(expected)
    assert np.array_equal(np.signbit(result[number]), np.signbit(np.array(expected)[number]))


def test_erf_of_infinities():
    # TF 2.21 gives +-1 in float16 and float32 but nan in float64; +-1 is the limit
    for dtype in FLOATS:
        assert _values(special.erf(tf.constant([-inf, inf, 6.0], dtype))) == [-1.0, 1.0, 1.0]


def test_zeta_and_polygamma_special_values():
    # recorded from TF 2.21: poles give inf, s < 1 and non-integer orders nan; negative q
    # works for integer s
    zeta = special.zeta(_f64([2.0, 3.0, 1.0, 0.5, 2.0, 2.0, 2.0, 2.5, 2.0, inf, inf, inf]),
                        _f64([1.0, 2.0, 1.0, 1.0, 0.0, -1.0, -1.5, -1.5, -100.5, 0.5, 1.0, 2.0]))
    np.testing.assert_allclose(zeta.numpy(), [
        1.6449340668482266, 0.2020569031595943, inf, nan, inf, inf, 9.379246644989124, nan,
        9.859703491870086, inf, 1.0, 0.0], rtol=1e-14)
    polygamma = special.polygamma(_f64([0.0, 1.0, 2.0, 3.0, 1.5, -1.0, 1.0, 1.0, 10.0, 20.0,
                                        50.0]),
                                  _f64([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, -1.5, 2.0, 3.0, 30.0]))
    np.testing.assert_allclose(polygamma.numpy(), [
        -EULER_GAMMA, 1.6449340668482266, -2.404113806319188, 6.493939402266829, nan, nan, inf,
        9.379246644989124, -1793.3116066287178, -233141556.11225682, -1.7439870472613765e-11],
        rtol=1e-13)
    assert _values(special.zeta(_f64([2.0, 3.0]), tf.constant(1.0, tf.float64))) == (
        pytest.approx([1.6449340668482266, 1.202056903159594], rel=1e-15))
    result = special.zeta(2.0, 1.0)
    assert result.dtype == tf.float32 and float(result) == pytest.approx(1.644934058189392)


# --- dtypes -------------------------------------------------------------------------------------

UNARY = [special.erf, special.erfc, special.lgamma, special.digamma]


@pytest.mark.parametrize("op", UNARY + [special.erfinv, special.erfcinv, special.ndtri],
                         ids=lambda op: op.__name__)
@pytest.mark.parametrize("dtype", [tf.float16, tf.float32])
def test_narrow_floats_keep_their_dtype_and_round_the_float64_result(op, dtype, rng):
    x = rng.uniform(0.05, 0.95, (3, 4))  # inside every domain
    if dtype is tf.float16 and op in (special.erfinv, special.erfcinv, special.ndtri):
        return  # no half kernel (next test)
    narrow = tf.constant(x, dtype)
    result = op(narrow)
    assert result.dtype == dtype and result.shape == (3, 4)
    wide = op(tf.cast(narrow, tf.float64)).numpy().astype(dtype.as_numpy_dtype)
    # erfcinv is -ndtri(x / 2) * sqrt(1 / 2), as in TensorFlow: its last product rounds again
    rtol = np.finfo(dtype.as_numpy_dtype).eps if op is special.erfcinv else 0
    np.testing.assert_allclose(result.numpy(), wide, rtol=rtol, atol=0)


@pytest.mark.parametrize("op, name", [(special.erfinv, "Erfinv"), (special.ndtri, "Ndtri"),
                                      (special.erfcinv, "Ndtri")])
def test_half_precision_inverses_have_no_kernel(op, name):
    with pytest.raises(tf.errors.NotFoundError,  # recorded from TF 2.21
                       match=rf"Could not find device for node: \{{\{{node {name}\}}\}} = "
                             rf"{name}\[T=DT_HALF\]"):
        op(tf.constant([0.5], tf.float16))


@pytest.mark.parametrize("op", UNARY + [special.erfinv, special.ndtri],
                         ids=lambda op: op.__name__)
def test_integers_are_rejected(op):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="^Value for attr 'T' of int32 is not in the list of allowed values: "
                             "half, float, double"):  # recorded from TF 2.21
        op(tf.constant([1]))


def test_erfcinv_of_integers_and_zeta_of_halves():
    # recorded from TF 2.21
    with pytest.raises(TypeError, match="^Cannot convert 0.5 to EagerTensor of dtype int32"):
        special.erfcinv(tf.constant([0]))
    for op, name in [(special.zeta, "Zeta"), (special.polygamma, "Polygamma")]:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=rf"^Value for attr 'T' of half is not in the list of allowed "
                                 rf"values: float, double \[Op:{name}\]"):
            op(tf.constant([2.0], tf.float16), tf.constant([1.0], tf.float16))


def test_shapes_scalars_and_broadcasting():
    assert special.erf(tf.zeros((0, 3))).shape == (0, 3)
    assert special.lgamma(tf.constant(3.0, tf.float64)).shape == ()
    assert special.zeta(_f64([[2.0], [3.0]]), _f64([1.0, 2.0, 3.0])).shape == (2, 3)
    assert special.polygamma(_f64(1.0), tf.zeros((0,), tf.float64)).shape == (0,)


# --- gradients ----------------------------------------------------------------------------------

@pytest.mark.parametrize("op, x", [
    (special.erf, [-1.5, 0.2, 2.0]), (special.erfc, [-1.5, 0.2, 2.0]),
    (special.erfinv, [-0.9, 0.1, 0.6]), (special.erfcinv, [0.2, 1.1, 1.7]),
    (special.ndtri, [0.05, 0.5, 0.8]), (special.lgamma, [0.3, 2.5, 7.0, -1.5, -0.4]),
    (special.digamma, [0.3, 2.5, 12.0, -1.5]), (special.lbeta, [[0.5, 2.0, 3.5], [1.5, 1.0, 4.0]]),
], ids=lambda v: getattr(v, "__name__", ""))
def test_gradients_to_second_order(op, x):
    check_gradients(op, np.array(x), order=2)


def test_gradients_of_polygamma_and_zeta_flow_to_x_and_q():
    check_gradients(lambda x: special.polygamma(_f64([1.0, 2.0, 0.0]), x),
                    np.array([0.7, 1.5, 3.0]), order=2)
    check_gradients(lambda q: special.zeta(_f64([2.0, 3.5]), q), np.array([0.6, 2.0]),
                    order=2)
    n, x = _f64([1.0]), _f64([0.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([n, x])
        y, z = special.polygamma(n, x), special.zeta(n + 1, x)
    # recorded from TF 2.21: no gradient for the order (or zeta's x)
    assert tape.gradient(y, n) is None and tape.gradient(z, n) is None
    assert float(tape.gradient(y, x)[0]) == pytest.approx(-14 * APERY, rel=1e-15)


@pytest.mark.parametrize("op, x, expected", [
    # recorded from TF 2.21
    (special.erf, [0.5], [0.8787826299667358]),
    (special.erfc, [0.5], [-0.8787826299667358]),
    (special.erfinv, [0.5, 1.0], [1.1125849485397339, inf]),
    (special.ndtri, [0.3], [2.876103639602661]),
    (special.erfcinv, [0.3], [-1.516363263130188]),
    (special.lgamma, [0.5, -0.5, -1.0, 0.0], [-1.9635107517242432, 0.03648996353149414, nan, nan]),
    (special.digamma, [0.5, -0.5, -1.0, 0.0], [4.934802055358887, 8.934802055358887, inf, inf]),
])
def test_gradients_at_special_points(op, x, expected):
    np.testing.assert_allclose(_gradient(op, np.array(x, np.float32)), expected, rtol=1e-6)


def test_lbeta_gradient_recorded():
    # recorded from TF 2.21
    np.testing.assert_allclose(_gradient(special.lbeta, np.array([[1.0, 2.0]], np.float32)),
                               [[-1.5000001192092896, -0.5]], rtol=1e-6)
