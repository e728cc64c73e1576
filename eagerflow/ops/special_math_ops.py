"""Special functions: erf and its inverses, log-gamma, digamma, polygamma, Hurwitz zeta.

NumPy has none of them, so each is computed here in float64 from its published series or
expansion, vectorized over the whole array (loops run over series terms, never over
elements); float16 and float32 inputs are computed in float64 and rounded back.

- erf: its Taylor series for |x| < 0.5. erfc for x >= 0.5 as
  `t * exp(-x**2 + F(t))` with `t = 2 / (2 + x)` and F a Chebyshev series in t (the form
  of Numerical Recipes' `Erf`; the 26 coefficients were fitted for this module with
  mpmath), and `exp(-x**2)` taken from an exact (Dekker) split of x**2.
- erfinv, ndtri: Winitzki's closed-form guess, then Halley steps on erf or erfc.
- lgamma: the Taylor series of lgamma(2 + z) for |z| <= 1/2 (coefficients from zeta
  values), shifted there by the recurrence below 10; Stirling's series from 10 up;
  reflection for negative x.
- digamma: the asymptotic series from 10 up, reached by the recurrence; its Taylor series
  around its positive zero (coefficients from zeta values); reflection below 0.
- zeta(s, q) (and polygamma through it): Euler-Maclaurin summation after 10 direct terms.
"""

import math
from fractions import Fraction

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import primitive
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.ops import math_ops, reduction_ops

_FLOAT_32_64 = (dtypes.float32, dtypes.float64)

_TWO_OVER_SQRT_PI = 1.1283791670955126   # 2 / sqrt(pi)
_SQRT_PI_OVER_TWO = 0.88622692545275801  # sqrt(pi) / 2
_HALF_LOG_TWO_PI = 0.91893853320467274   # log(2 pi) / 2
_LOG_PI = 1.1447298858494002
_EULER_GAMMA = 0.57721566490153286

# Bernoulli numbers B_2, B_4, ..., B_20.
_BERNOULLI = [Fraction(1, 6), Fraction(-1, 30), Fraction(1, 42), Fraction(-1, 30),
              Fraction(5, 66), Fraction(-691, 2730), Fraction(7, 6), Fraction(-3617, 510),
              Fraction(43867, 798), Fraction(-174611, 330)]


def _in_float64(core, x):
    """`core` (float64 in, float64 out, any shape) applied to `x`, keeping x's dtype."""
    result = core(np.asarray(x, np.float64).reshape(-1)).reshape(np.shape(x))
    return result.astype(x.dtype, copy=False)


def _polynomial(coefficients, z):
    """Horner's rule; `coefficients` from the highest power down."""
    result = np.full_like(z, coefficients[0])
    for c in coefficients[1:]:
        result = result * z + c
    return result


def _chebyshev(coefficients, y):
    """Clenshaw's sum of c_k T_k(y) for y in [-1, 1]."""
    b1 = np.zeros_like(y)
    b2 = np.zeros_like(y)
    two_y = 2 * y
    for c in coefficients[:0:-1]:
        b1, b2 = two_y * b1 - b2 + c, b1
    return y * b1 - b2 + coefficients[0]


# --- erf and erfc -----------------------------------------------------------------------------

# erf(x) / x = 2/sqrt(pi) * sum (-1)^n x^(2n) / (n! (2n + 1)), highest power first.
_ERF_TAYLOR = [_TWO_OVER_SQRT_PI * (-1) ** n / (math.factorial(n) * (2 * n + 1))
               for n in range(13, -1, -1)]

# F(t) = x**2 + log(erfc(x) / t) with t = 2 / (2 + x), as a Chebyshev series in
# y = 2.5 t - 1 over t in [0, 0.8] (x from 0.5 to infinity); absolute error below 1e-17.
_ERFC_CHEBYSHEV = [
    -0.78318707272406, 0.5058947933173407, 0.020165332295700413, -0.004150784270483714,
    -0.0006929393033131829, 8.061304448090166e-05, 2.5850999510766174e-05,
    -2.4532413619366538e-06, -1.0665628949056516e-06, 1.0956136201272647e-07,
    4.618283721422925e-08, -6.305089137369667e-09, -1.9633309872353595e-09,
    3.979371116364933e-10, 7.359712081538667e-11, -2.4619582503772172e-11,
    -1.769647748682444e-12, 1.3810080809606214e-12, -4.600206617963027e-14,
    -6.380484046552098e-14, 9.937718418245514e-15, 1.856958347210499e-15,
    -7.707956385933372e-16, 3.1621351296209296e-17, 3.448945247480971e-17,
    -8.625438866510632e-18]

_ERFC_UNDERFLOW = 28.0  # erfc(x) < 5e-324 from here on


def _exp_minus_square(x, extra):
    """exp(extra - x**2) without the rounding error of x**2, which exp would multiply."""
    square = x * x
    split = x * 134217729.0  # 2**27 + 1: the high half of x, exact in 26 bits
    high = split - (split - x)
    low = x - high
    error = ((high * high - square) + 2 * high * low) + low * low  # x**2 = square + error
    return np.exp(-square) * np.exp(extra - error)


def _erfc_tail(x):
    """erfc(x) for 0.5 <= x < 28."""
    t = 2 / (2 + x)
    return t * _exp_minus_square(x, _chebyshev(_ERFC_CHEBYSHEV, 2.5 * t - 1))


def _erf_core(x):
    result = np.full_like(x, np.nan)
    magnitude = np.abs(x)
    small = magnitude < 0.5
    result[small] = x[small] * _polynomial(_ERF_TAYLOR, x[small] * x[small])
    middle = (magnitude >= 0.5) & (magnitude < 6)  # erf(6) rounds to 1
    result[middle] = np.copysign(1 - _erfc_tail(magnitude[middle]), x[middle])
    large = magnitude >= 6
    result[large] = np.copysign(1.0, x[large])
    return result


def _erfc_core(x):
    result = np.full_like(x, np.nan)
    magnitude = np.abs(x)
    small = magnitude < 0.5
    z = x[small]
    result[small] = 1 - z * _polynomial(_ERF_TAYLOR, z * z)
    tail = (magnitude >= 0.5) & (magnitude < _ERFC_UNDERFLOW)
    values = _erfc_tail(magnitude[tail])
    result[tail] = np.where(x[tail] > 0, values, 2 - values)
    beyond = magnitude >= _ERFC_UNDERFLOW
    result[beyond] = np.where(x[beyond] > 0, 0.0, 2.0)
    return result


@primitive("Erf", dtypes="floating")
def erf(x):
    """Computes the Gauss error function of `x` element-wise.

    >>> from eagerflow.ops.special_math_ops import erf
    >>> np.round(erf(tf.constant([0.0, 1.0], tf.float64)).numpy(), 12).tolist()
    [0.0, 0.84270079295]
    """
    return _in_float64(_erf_core, x)


@erf.gradient
def _erf_grad(op, dy):
    (x,) = op.inputs
    return [dy * _TWO_OVER_SQRT_PI * math_ops.exp(-math_ops.square(x))]


@primitive("Erfc", dtypes="floating")
def erfc(x):
    """Computes the complementary error function `1 - erf(x)` element-wise, accurately.

    >>> from eagerflow.ops.special_math_ops import erfc
    >>> erfc(tf.constant([0.0, 10.0], tf.float64)).numpy().tolist()[0]
    1.0
    >>> float(erfc(tf.constant(10.0, tf.float64)) / 2.088487583762545e-45)  # not 1 - erf
    1.0
    """
    return _in_float64(_erfc_core, x)


@erfc.gradient
def _erfc_grad(op, dy):
    (x,) = op.inputs
    return [dy * -_TWO_OVER_SQRT_PI * math_ops.exp(-math_ops.square(x))]


# --- inverses of erf --------------------------------------------------------------------------

def _erf_inverse(a, r):
    """y >= 0 with erf(y) = a and erfc(y) = r, given both (a + r = 1, each accurate)."""
    y = np.empty_like(a)
    central = a <= 0.5  # solve erf(y) = a here, erfc(y) = r in the tail
    y[central] = _halley(_winitzki(np.log1p(-a[central] * a[central])), a[central],
                         _erf_core, steps=2)
    tail = ~central
    r_tail = r[tail]
    y[tail] = _halley(_winitzki(np.log(r_tail * (2 - r_tail))), -r_tail,
                      lambda z: -_erfc_core(z), steps=4)
    y = np.where(r == 0, np.inf, y)
    return np.where(a == 0, 0.0, y)


def _winitzki(log_term):
    """Winitzki's (2008) approximation of erfinv(a) from log(1 - a**2): within 2e-3."""
    inverse_k = 1 / 0.147
    shift = 2 / np.pi * inverse_k + log_term / 2
    return np.sqrt(np.sqrt(shift * shift - log_term * inverse_k) - shift)


def _halley(y, target, f, steps):
    """Halley's method on f(y) = target, for f = erf or -erfc (so f' = 2/sqrt(pi) e^-y^2).

    With f'' = -2 y f', each step is y -= g / (1 + y g) with g = (f(y) - target) / f'. Far
    in erfc's tail (r near 1e-300, y near 26) the guess is 1% off and needs four steps.
    """
    for _ in range(steps):
        step = (f(y) - target) / (_TWO_OVER_SQRT_PI * _exp_minus_square(y, 0.0))
        y = y - step / (1 + y * step)
    return y


def _erfinv_core(x):
    a = np.abs(x)
    inside = a <= 1
    y = np.full_like(x, np.nan)
    y[inside] = np.copysign(_erf_inverse(a[inside], 1 - a[inside]), x[inside])
    return y


def _erfcinv_core(q):
    """The y with erfc(y) = q, for q in [0, 2] (nan outside)."""
    y = np.full_like(q, np.nan)
    low = (q >= 0) & (q <= 1)  # y >= 0
    y[low] = _erf_inverse(1 - q[low], q[low])
    high = (q > 1) & (q <= 2)  # y < 0: erfc(-y) = 2 - q
    y[high] = -_erf_inverse(q[high] - 1, 2 - q[high])
    return y


def _no_half_kernel(op_name, x):
    if x.dtype == np.float16:
        raise math_ops.no_kernel(op_name, x.dtype)


@primitive("Erfinv", dtypes="floating")
def erfinv(x):
    """Computes the inverse of `erf` element-wise, for `x` in [-1, 1].

    >>> from eagerflow.ops.special_math_ops import erfinv
    >>> np.round(erfinv(tf.constant([0.0, 0.5, 1.0], tf.float64)).numpy(), 12).tolist()
    [0.0, 0.476936276204, inf]
    """
    _no_half_kernel("Erfinv", x)
    return _in_float64(_erfinv_core, x)


@erfinv.gradient
def _erfinv_grad(op, dy):
    (y,) = op.outputs
    return [dy * _SQRT_PI_OVER_TWO * math_ops.exp(math_ops.square(y))]


@primitive("Ndtri", dtypes="floating")
def ndtri(x):
    """Computes the inverse of the standard normal CDF (the probit) element-wise.

    >>> from eagerflow.ops.special_math_ops import ndtri
    >>> [round(v, 12) for v in ndtri(tf.constant([0.5, 0.975], tf.float64)).numpy().tolist()]
    [0.0, 1.95996398454]
    """
    _no_half_kernel("Ndtri", x)
    return _in_float64(lambda p: 0.0 - math.sqrt(2) * _erfcinv_core(2 * p), x)  # +0 at 1/2


@ndtri.gradient
def _ndtri_grad(op, dy):
    (y,) = op.outputs
    return [dy * math.sqrt(2 * math.pi) * math_ops.exp(math_ops.square(y) / 2)]


def erfcinv(x, name=None):
    """Computes the inverse of `erfc` element-wise, for `x` in [0, 2].

    >>> from eagerflow.ops.special_math_ops import erfcinv
    >>> [round(v, 12) for v in erfcinv(tf.constant([1.5, 0.5], tf.float64)).numpy().tolist()]
    [-0.476936276204, 0.476936276204]
    """
    x = convert_to_tensor(x)
    return -ndtri(0.5 * x) * math.sqrt(0.5)


# --- Hurwitz zeta and polygamma ---------------------------------------------------------------

_ZETA_DIRECT_TERMS = 10
_ZETA_MAX_SHIFT = 1 << 16
# B_2j / (2j)!, for the Euler-Maclaurin corrections.
_EULER_MACLAURIN = [float(b / math.factorial(2 * j + 2)) for j, b in enumerate(_BERNOULLI)]


def _zeta_core(s, q):
    """Hurwitz zeta(s, q) = sum over k >= 0 of (q + k)**-s, broadcasting s and q.

    Negative q (valid for integer s) moves the Euler-Maclaurin point past zero with more
    direct terms; q below -65536 gives nan.
    """
    s, q = np.broadcast_arrays(s, q)
    terms = _ZETA_DIRECT_TERMS
    negative = q[(q < 0) & (q >= -_ZETA_MAX_SHIFT)]
    if negative.size:
        terms += int(np.ceil(-negative.min()))
    total = np.zeros(s.shape)
    for k in range(terms):
        total = total + np.power(q + k, -s)
    w = q + terms
    w_power = np.power(w, -s)
    total = total + w * w_power / (s - 1) + w_power / 2
    # Euler-Maclaurin: sum over j of B_2j / (2j)! * s (s + 1) ... (s + 2j - 2) * w**(1 - s - 2j)
    factor = s * w_power / w
    inverse_square = 1 / (w * w)
    for j, coefficient in enumerate(_EULER_MACLAURIN):
        total = total + coefficient * factor
        factor = factor * (s + 2 * j + 1) * (s + 2 * j + 2) * inverse_square
    pole = (q <= 0) & (q == np.floor(q))
    total = np.where(pole | (s == 1), np.inf, total)
    total = np.where((s < 1) | (q < -_ZETA_MAX_SHIFT), np.nan, total)
    # s = inf: only the first term can survive
    total = np.where(np.isinf(s) & (s > 0), np.where(q > 1, 0.0, np.where(q == 1, 1.0, np.inf)),
                     total)
    return total


@primitive("Zeta", dtypes=_FLOAT_32_64)
def zeta(x, q):
    """Computes the Hurwitz zeta function `sum((q + k) ** -x for k >= 0)` element-wise.

    >>> from eagerflow.ops.special_math_ops import zeta
    >>> values = zeta(tf.constant([2.0, 4.0], tf.float64), tf.constant(1.0, tf.float64))
    >>> [round(v, 12) for v in values.numpy().tolist()]  # pi**2 / 6, pi**4 / 90
    [1.644934066848, 1.082323233711]
    """
    return _zeta_core(x.astype(np.float64), q.astype(np.float64)).astype(x.dtype, copy=False)


@zeta.gradient
def _zeta_grad(op, dy):
    x, q = op.inputs
    return [None, dy * -x * zeta(x + 1, q)]  # no gradient for x, as in TensorFlow


_FACTORIALS = np.array([float(math.factorial(n)) for n in range(171)])


def _polygamma_core(n, x):
    n, x = np.broadcast_arrays(n, x)
    valid = (n >= 0) & (n == np.floor(n))
    order = np.where(valid, np.minimum(n, 170), 1).astype(np.int64)
    sign = np.where(order % 2 == 1, 1.0, -1.0)
    result = sign * _FACTORIALS[order] * _zeta_core(n + 1, x)
    zeroth = valid & (n == 0)
    if zeroth.any():
        result = np.where(zeroth, _digamma_core(x.reshape(-1)).reshape(x.shape), result)
    return np.where(valid, result, np.nan)


@primitive("Polygamma", dtypes=_FLOAT_32_64)
def polygamma(a, x):
    """Computes the polygamma function: the `a`-th derivative of digamma at `x`.

    `a` must hold non-negative integers (nan elsewhere).

    >>> from eagerflow.ops.special_math_ops import polygamma
    >>> values = polygamma(tf.constant([0.0, 1.0], tf.float64), tf.constant(1.0, tf.float64))
    >>> [round(v, 12) for v in values.numpy().tolist()]  # -euler_gamma, pi**2 / 6
    [-0.577215664902, 1.644934066848]
    """
    return _polygamma_core(a.astype(np.float64), x.astype(np.float64)).astype(x.dtype,
                                                                           copy=False)


@polygamma.gradient
def _polygamma_grad(op, dy):
    a, x = op.inputs
    return [None, dy * polygamma(a + 1, x)]  # no gradient for the order, as in TensorFlow


# --- log-gamma and digamma --------------------------------------------------------------------

_STIRLING_FROM = 10.0


def _lgamma_two_plus_series():
    """Taylor coefficients of lgamma(2 + z), highest power (z**26) first, constant term 0.

    lgamma(2 + z) = (1 - euler_gamma) z + sum over k >= 2 of (-1)**k (zeta(k) - 1) / k z**k.
    """
    k = np.arange(2.0, 27.0)
    zeta_minus_one = _zeta_core(k, 2.0)
    coefficients = np.concatenate([[0.0, 1 - _EULER_GAMMA], (-1) ** k * zeta_minus_one / k])
    return coefficients[::-1].tolist()


_LGAMMA_TWO_PLUS = _lgamma_two_plus_series()
# B_2k / (2k (2k - 1)) for Stirling's series of lgamma, highest order first.
_STIRLING = [float(b / ((2 * k + 2) * (2 * k + 1))) for k, b in enumerate(_BERNOULLI[:8])][::-1]


def _lgamma_positive(x):
    """lgamma(x) for x > 0."""
    result = np.empty_like(x)
    large = x >= _STIRLING_FROM
    z = x[large]
    inverse = 1 / z
    series = _polynomial(_STIRLING, inverse * inverse) * inverse
    result[large] = (z - 0.5) * np.log(z) - z + _HALF_LOG_TWO_PI + series

    # Below 10: the series of lgamma(2 + z) for z in [-1/2, 1/2), and the recurrence. Every
    # z is an exact difference, so the results keep their relative accuracy near the zeros
    # at x = 1 and x = 2.
    small = ~large
    v = x[small]
    tiny = v < 0.5                # lgamma(v) = lgamma(2 + v) - log(1 + v) - log(v)
    low = (v >= 0.5) & (v < 1.5)  # lgamma(v) = lgamma(2 + z) - log(1 + z), z = v - 1
    steps = np.where(v >= 1.5, np.floor(v - 1.5), 0.0)  # then lgamma(2 + z) + log(
    z = np.where(tiny, v, np.where(low, v - 1, v - steps - 2))  # (v - 1) ... (v - steps))
    value = _polynomial(_LGAMMA_TWO_PLUS, z)
    value = value - np.where(tiny, np.log1p(v) + np.log(v), np.where(low, np.log1p(z), 0.0))
    product = np.ones_like(v)
    for j in range(1, int(_STIRLING_FROM) - 1):
        product = product * np.where(j <= steps, v - j, 1.0)
    result[small] = value + np.log(product)
    return result


def _offset_from_integer(x):
    """x - round(x), in [-1/2, 1/2]: sin(pi x) and tan(pi x) from it lose no digits."""
    return x - np.round(x)


def _lgamma_core(x):
    result = np.full_like(x, np.nan)
    positive = x > 0
    result[positive] = _lgamma_positive(x[positive])
    negative = x <= 0
    z = x[negative]
    fraction = _offset_from_integer(z)
    with np.errstate(divide="ignore"):
        reflected = (_LOG_PI - np.log(np.abs(np.sin(np.pi * fraction)))
                     - _lgamma_positive(1 - z))
    result[negative] = np.where((fraction == 0) | np.isinf(z), np.inf, reflected)
    result[x == np.inf] = np.inf  # Stirling's series would give inf - inf
    return result


@primitive("Lgamma", dtypes="floating")
def lgamma(x):
    """Computes the log of the absolute value of the Gamma function element-wise.

    >>> from eagerflow.ops.special_math_ops import lgamma
    >>> [round(v, 12) for v in lgamma(tf.constant([0.5, 1.0, 3.0], tf.float64)).numpy().tolist()]
    [0.572364942925, 0.0, 0.69314718056]
    """
    return _in_float64(_lgamma_core, x)


@lgamma.gradient
def _lgamma_grad(op, dy):
    (x,) = op.inputs
    return [dy * digamma(x)]


# B_2k / (2k) for the asymptotic series of digamma, highest order first.
_DIGAMMA_ASYMPTOTIC = [float(b / (2 * k + 2)) for k, b in enumerate(_BERNOULLI[:8])][::-1]

# digamma's positive zero as a sum of two doubles, and digamma's Taylor series around it:
# the k-th coefficient is (-1)**(k + 1) zeta(k + 1, root) (highest power first, no constant).
_DIGAMMA_ROOT_HIGH, _DIGAMMA_ROOT_LOW = 1.4616321449683622, 9.549995429965697e-17
_DIGAMMA_NEAR_ROOT = ((-1.0) ** np.arange(2, 30) * _zeta_core(np.arange(2.0, 30.0),
                                                               _DIGAMMA_ROOT_HIGH))[::-1].tolist()


def _digamma_positive(x):
    """digamma(x) for x > 0: recurrence up to 10, then the asymptotic series."""
    shifted = x.copy()
    total = np.zeros_like(x)
    for _ in range(int(_STIRLING_FROM)):
        below = shifted < _STIRLING_FROM
        total = total - np.where(below, 1 / shifted, 0.0)
        shifted = np.where(below, shifted + 1, shifted)
    inverse = 1 / shifted
    inverse_square = inverse * inverse
    series = _polynomial(_DIGAMMA_ASYMPTOTIC, inverse_square) * inverse_square
    return total + np.log(shifted) - inverse / 2 - series


def _digamma_core(x):
    result = np.full_like(x, np.nan)
    positive = x > 0
    result[positive] = _digamma_positive(x[positive])
    # Near the zero the recurrence cancels digits; the series there keeps them.
    near_root = np.abs(x - _DIGAMMA_ROOT_HIGH) < 0.3
    z = (x[near_root] - _DIGAMMA_ROOT_HIGH) - _DIGAMMA_ROOT_LOW
    result[near_root] = _polynomial(_DIGAMMA_NEAR_ROOT, z) * z
    negative = x <= 0
    z = x[negative]
    fraction = _offset_from_integer(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        reflected = _digamma_positive(1 - z) - np.pi / np.tan(np.pi * fraction)
    result[negative] = np.where(fraction == 0, np.nan, reflected)  # poles: nan, as in TF
    return result


@primitive("Digamma", dtypes="floating")
def digamma(x):
    """Computes digamma, the derivative of `lgamma`, element-wise.

    >>> from eagerflow.ops.special_math_ops import digamma
    >>> [round(v, 12) for v in digamma(tf.constant([1.0, 0.5], tf.float64)).numpy().tolist()]
    [-0.577215664902, -1.963510026021]
    """
    return _in_float64(_digamma_core, x)


@digamma.gradient
def _digamma_grad(op, dy):
    (x,) = op.inputs
    return [dy * polygamma(math_ops.cast(1, x.dtype), x)]


def lbeta(x, name=None):
    """Computes `log(|Beta(x)|)` over the last dimension of `x`.

    `lbeta(x) = sum(lgamma(x), -1) - lgamma(sum(x, -1))`.

    >>> from eagerflow.ops.special_math_ops import lbeta
    >>> round(float(lbeta(tf.constant([1.0, 2.0], tf.float64))), 12)  # log(1 / 2)
    -0.69314718056
    """
    x = convert_to_tensor(x)
    log_product = reduction_ops.reduce_sum(lgamma(x), axis=[-1])
    return log_product - lgamma(reduction_ops.reduce_sum(x, axis=[-1]))
