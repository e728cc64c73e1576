"""tf.norm: vector and matrix norms against TF 2.21, dtypes, errors and gradients."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import linalg
from tests.gradient_check import check_complex_gradients, check_gradients

X = np.array([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]], np.float32)


@pytest.mark.parametrize("args, kwargs, expected", [
    ((), {}, 9.539392471313477),
    (("fro",), {"axis": [0, 1]}, 9.539392471313477),
    ((1,), {}, 21.0),
    ((1,), {"axis": 1}, [6.0, 15.0]),
    ((np.inf,), {"axis": 0}, [4.0, 5.0, 6.0]),
    ((np.inf,), {}, 6.0),
    ((3,), {"axis": 1}, [3.3019273, 7.398637]),
    ((0.5,), {}, 117.32837677001953),
    ((2.0,), {"axis": 1}, [3.7416575, 8.774964]),
    ((1,), {"axis": [0, 1]}, 9.0),
    ((1,), {"axis": [1, 0]}, 15.0),
    ((np.inf,), {"axis": [-2, -1]}, 15.0),
    ((2,), {"axis": [0, 1]}, 9.508033752441406),
    ((2,), {"axis": [0, 1], "keepdims": True}, [[9.508034]]),
    ((), {"keepdims": True}, [[9.539392]]),
    ((), {"axis": 1, "keepdims": True}, [[3.7416575], [8.774964]]),
])  # recorded from TF 2.21
def test_norm(args, kwargs, expected):
    result = linalg.norm(X, *args, **kwargs)
    assert result.dtype is tf.float32
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-6)


def test_norm_dtypes_and_batches():  # recorded from TF 2.21
    assert linalg.norm(np.array([3, -4], np.int32), 1).numpy().tolist() == 7
    complex_norm = linalg.norm(np.array([3 + 4j, 1j]))
    assert complex_norm.dtype is tf.complex128  # sqrt(sum(x * conj(x))) keeps the dtype
    np.testing.assert_allclose(complex_norm.numpy(), 5.0990195135927845)
    assert linalg.norm(np.array([3 + 4j, 1j]), 1).dtype is tf.float64
    batch = np.stack([X, 2 * X], axis=1)
    np.testing.assert_allclose(linalg.norm(batch, 2, axis=[0, 2]).numpy(),
                               [9.508034, 19.016068], rtol=1e-6)


@pytest.mark.parametrize("ord, axis, message", [
    ("fro", None, "'ord' must be a supported vector norm, got fro"),
    (0, None, "'ord' must be a supported vector norm, got 0"),
    (-1, 1, "'ord' must be a supported vector norm, got -1"),
    ("nuc", None, "'ord' must be a supported vector norm, got nuc"),
    (3, [0, 1], "'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], "
                "got 3"),
    ("euclidean", [0, 0], "'axis' must be None, an integer, or a tuple of 2 unique integers, "
                          "got (0, 0)"),
    ("euclidean", [0, 1, 2], "'axis' must be None, an integer, or a tuple of 2 unique "
                             "integers, got [0, 1, 2]"),
    ("euclidean", (1,), "'axis' must be None, an integer, or a tuple of 2 unique integers, "
                        "got (1,)"),
])  # recorded from TF 2.21
def test_norm_errors(ord, axis, message):
    with pytest.raises(ValueError) as info:
        linalg.norm(X, ord, axis=axis)
    assert str(info.value) == message


# --- gradients ---------------------------------------------------------------------------

GRADIENT_CASES = {
    "norm": (lambda x: linalg.norm(x), [(3, 4)]),
    "norm_fro": (lambda x: linalg.norm(x, "fro", axis=[0, 1]), [(3, 4)]),
    "norm_1": (lambda x: linalg.norm(x, 1, axis=1), [(3, 4)]),
    "norm_inf_matrix": (lambda x: linalg.norm(x, np.inf, axis=[0, 1]), [(3, 4)]),
    "norm_2_matrix": (lambda x: linalg.norm(x, 2, axis=[-2, -1]), [(2, 3, 4)]),
    "norm_3": (lambda x: linalg.norm(x, 3, axis=0, keepdims=True), [(3, 4)]),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradients(name, rng):
    f, spec = GRADIENT_CASES[name]
    check_gradients(f, *[rng.standard_normal(s) for s in spec], order=2)


def test_complex_norm_gradients(rng):
    x = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    check_complex_gradients(lambda x: linalg.norm(x, 2, axis=[0, 1]), x)


def test_norm_gradient_values():  # recorded from TF 2.21
    a, zero = tf.constant([[2.0, 1.0], [0.5, 3.0]], tf.float64), tf.zeros(2, tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, zero])
        two_norm = linalg.norm(a, 2, axis=[0, 1])
        at_zero = linalg.norm(zero)
    np.testing.assert_allclose(tape.gradient(two_norm, a).numpy(),
                               [[0.2201684969923799, 0.46577700667942123],
                                [0.3662732876584223, 0.7748686932176093]], rtol=1e-9, atol=1e-12)
    assert np.isnan(tape.gradient(at_zero, zero).numpy()).all()
