"""tf.einsum: shapes and values against NumPy, dtypes, TF 2.21's errors, and gradients."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import linalg
from tests.gradient_check import check_complex_gradients, check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError
NotFoundError = tf.errors.NotFoundError


@pytest.mark.parametrize("equation, shapes, expected_shape", [
    ("ij,jk->ik", [(2, 3), (3, 4)], (2, 4)),
    ("ij,jk", [(2, 3), (3, 4)], (2, 4)),
    ("ba", [(2, 3)], (3, 2)),
    ("ij, jk -> ik", [(2, 3), (3, 4)], (2, 4)),
    ("ii", [(3, 3)], ()),
    ("ii->i", [(3, 3)], (3,)),
    ("iij->ij", [(2, 2, 3)], (2, 3)),
    ("ij->", [(2, 3)], ()),
    ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)], (5, 2, 4)),
    ("...ij,...jk->...ik", [(5, 1, 2, 3), (4, 3, 4)], (5, 4, 2, 4)),
    ("i...j,j...k->i...k", [(2, 5, 3), (3, 5, 4)], (2, 5, 4)),
    ("...i,i->...", [(2, 3, 4), (4,)], (2, 3)),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)], (2, 2)),
    ("Ab,bC->AC", [(2, 3), (3, 4)], (2, 4)),
    ("i,j->ij", [(2,), (3,)], (2, 3)),
    (",->", [(), ()], ()),
])  # shapes recorded from TF 2.21
def test_einsum_matches_numpy(equation, shapes, expected_shape, rng):
    operands = [rng.standard_normal(shape) for shape in shapes]
    result = linalg.einsum(equation, *operands)
    assert tuple(result.shape) == expected_shape
    np.testing.assert_allclose(result.numpy(), np.einsum(equation, *operands), rtol=1e-12)


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.int32, tf.int64, tf.complex64])
def test_einsum_dtypes(dtype):
    a = tf.cast(tf.reshape(tf.range(6), (2, 3)), dtype)
    b = tf.cast(tf.reshape(tf.range(12), (3, 4)), dtype)
    result = linalg.einsum("ij,jk->ik", a, b, name="x", optimize="greedy")
    assert result.dtype is dtype
    assert np.asarray(result.numpy()).real.tolist() == [[20, 23, 26, 29], [56, 68, 80, 92]]


@pytest.mark.parametrize("call, error, message", [
    (lambda a, b: linalg.einsum("...ij,...jk->ik", np.ones((5, 2, 3)), b), InvalidArgumentError,
     "Output contains 1 broadcasting dimension(s) but no ellipsis (...) was found in the "
     "output subscripts. [Op:Einsum]"),
    (lambda a, b: linalg.einsum("...ij,...jk->...ik", np.ones((5, 2, 3)), np.ones((4, 3, 4))),
     InvalidArgumentError, "Invalid broadcasting dimensions: [5,2,3] vs. [4,3,4] [Op:Einsum]"),
    (lambda a, b: linalg.einsum("ij,jk->ik", a, a), InvalidArgumentError,
     "Expected dimension 3 at axis 0 of the input shaped [2,3] but got dimension 2 "
     "[Op:Einsum]"),
    (lambda a, b: linalg.einsum("ii->i", a), InvalidArgumentError,
     "Expected dimension 2 at axis 1 of the input shaped [2,3] but got dimension 3 "
     "[Op:Einsum]"),
    (lambda a, b: linalg.einsum("ij,ij->ij", np.ones((2, 3)), np.ones((1, 3))),
     InvalidArgumentError, "Expected dimension 2 at axis 0 of the input shaped [1,3] but got "
                           "dimension 1 [Op:Einsum]"),
    (lambda a, b: linalg.einsum("ijk,jk->ik", a, b), InvalidArgumentError,
     "Expected input 0 to have rank 3 but got: 2 [Op:Einsum]"),
    (lambda a, b: linalg.einsum("ij,jk->ik", a), ValueError,
     'Got 1 inputs for equation "ij,jk->ik", expecting 2'),
    (lambda a, b: linalg.einsum("ij,jk->iz", a, b), ValueError,
     "Output subscripts contain the label z not present in the input subscripts."),
    (lambda a, b: linalg.einsum("ij,jk->ii", a, b), ValueError,
     "Output subscripts contain a label appearing more than once: ij,jk->ii"),
    (lambda a, b: linalg.einsum("ij->j->i", a), ValueError,
     "Subscripts have incorrect format: ij->j->i"),
    (lambda a, b: linalg.einsum("i1,jk->ik", a, b), ValueError,
     "Subscripts have incorrect format: i1,jk->ik"),
    (lambda a, b: linalg.einsum("ij,jk->ik", a, b, foo=1), TypeError,
     "Invalid keyword arguments for einsum: foo. Valid arguments: name, optimize, greedy."),
])  # recorded from TF 2.21
def test_einsum_errors(call, error, message):
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    with pytest.raises(error) as info:
        call(a, b)
    assert str(info.value) == message


def test_einsum_without_kernel():
    with pytest.raises(NotFoundError, match="Einsum"):
        linalg.einsum("ij->ji", np.ones((2, 2), bool))  # recorded from TF 2.21


# --- gradients ---------------------------------------------------------------------------

GRADIENT_CASES = {
    "einsum_matmul": (lambda a, b: linalg.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    "einsum_trace": (lambda a: linalg.einsum("ii", a), [(3, 3)]),
    "einsum_diagonal": (lambda a: linalg.einsum("iij->ji", a), [(3, 3, 2)]),
    "einsum_triple_diagonal": (lambda a: linalg.einsum("iii->i", a), [(2, 2, 2)]),
    "einsum_summed_label": (lambda a, b: linalg.einsum("ij,k->i", a, b), [(2, 3), (4,)]),
    "einsum_ellipsis": (lambda a, b: linalg.einsum("...ij,...jk->...ik", a, b),
                        [(2, 1, 2, 3), (4, 3, 2)]),
    "einsum_ellipsis_middle": (lambda a, b: linalg.einsum("i...j,j...k->i...k", a, b),
                               [(2, 5, 3), (3, 1, 4)]),
    "einsum_ellipsis_reduced": (lambda a, b: linalg.einsum("...i,...i->...", a, b),
                                [(2, 3), (3,)]),
    "einsum_three": (lambda a, b, c: linalg.einsum("ij,jk,kl->il", a, b, c),
                     [(2, 3), (3, 4), (4, 2)]),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradients(name, rng):
    f, spec = GRADIENT_CASES[name]
    check_gradients(f, *[rng.standard_normal(s) for s in spec], order=2)


def test_complex_einsum_gradients(rng):
    args = [rng.standard_normal(s) + 1j * rng.standard_normal(s) for s in [(2, 3), (3, 4)]]
    check_complex_gradients(lambda a, b: linalg.einsum("ij,jk->ik", a, b), *args)


def test_einsum_gradient_values():  # recorded from TF 2.21
    a, b = tf.constant(np.ones((1, 2, 2))), tf.constant(np.arange(8.0).reshape(2, 2, 2))
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = tf.reduce_sum(linalg.einsum("...ij,...jk->...ik", a, b)
                          * np.arange(8.0).reshape(2, 2, 2))
    grad_a, grad_b = tape.gradient(y, [a, b])
    np.testing.assert_allclose(grad_a.numpy(), [[[42.0, 62.0], [62.0, 98.0]]], rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_allclose(grad_b.numpy(), [[[2.0, 4.0], [2.0, 4.0]],
                                                [[10.0, 12.0], [10.0, 12.0]]],
                               rtol=1e-9, atol=1e-12)
