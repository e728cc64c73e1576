"""tf.linalg's inverses, solves, determinants and decompositions: values against NumPy and
TF 2.21, batches, dtypes, errors and gradients."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import linalg
from eagerflow.ops.linalg_decomposition_ops import Qr
from tests.gradient_check import check_complex_gradients, check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError
NotFoundError = tf.errors.NotFoundError


def _well_conditioned(rng, shape, dtype=np.float64):
    matrix = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        matrix = matrix + 1j * rng.standard_normal(shape)
    return (matrix + 3 * np.eye(*shape[-2:])).astype(dtype)


def _spd(x):
    """x x^H + n I: symmetric (Hermitian) positive definite, built inside the function so a
    perturbation of x keeps it so."""
    n = x.shape[-1]
    return tf.matmul(x, x, adjoint_b=True) + n * tf.eye(n, dtype=x.dtype)


def _symmetric(x):
    return x + linalg.matrix_transpose(x)


def _tolerance(dtype):
    return {"float32": 1e-4, "complex64": 1e-4}.get(np.dtype(dtype).name, 1e-10)


DTYPES = [np.float32, np.float64, np.complex128]
BATCHES = [(), (2,), (2, 3)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", BATCHES)
def test_inverse_determinant_solve_match_numpy(dtype, batch, rng):
    a = _well_conditioned(rng, batch + (3, 3), dtype)
    b = _well_conditioned(rng, batch + (3, 2), dtype)
    tol = _tolerance(dtype)
    cases = [(linalg.inv(a), np.linalg.inv(a)),
             (linalg.inv(a, adjoint=True), np.linalg.inv(np.conj(np.swapaxes(a, -1, -2)))),
             (linalg.det(a), np.linalg.det(a)),
             (linalg.solve(a, b), np.linalg.solve(a, b)),
             (linalg.solve(a, b, adjoint=True),
              np.linalg.solve(np.conj(np.swapaxes(a, -1, -2)), b))]
    sign, log_abs = linalg.slogdet(a)
    cases += [(sign, np.linalg.slogdet(a)[0]), (log_abs, np.linalg.slogdet(a)[1])]
    for result, expected in cases:
        assert result.dtype == tf.as_dtype(dtype)
        np.testing.assert_allclose(result.numpy(), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", BATCHES)
def test_decompositions_reconstruct(dtype, batch, rng):
    a = _well_conditioned(rng, batch + (4, 3), dtype)
    square = _well_conditioned(rng, batch + (3, 3), dtype)
    hermitian = square + np.conj(np.swapaxes(square, -1, -2))
    tol = 10 * _tolerance(dtype)
    q, r = linalg.qr(a)
    assert (q.shape[-2:], r.shape[-2:]) == ((4, 3), (3, 3))
    np.testing.assert_allclose((q @ r).numpy(), a, rtol=tol, atol=tol)
    np.testing.assert_allclose(np.triu(r.numpy()), r.numpy())
    s, u, v = linalg.svd(a)
    assert s.dtype == tf.as_dtype(dtype).real_dtype and u.dtype == tf.as_dtype(dtype)
    rebuilt = tf.matmul(u * tf.cast(s, u.dtype)[..., tf.newaxis, :], v, adjoint_b=True)
    np.testing.assert_allclose(rebuilt.numpy(), a, rtol=tol, atol=tol)
    np.testing.assert_allclose(linalg.svd(a, compute_uv=False).numpy(), s.numpy(), rtol=tol)
    e, v = linalg.eigh(hermitian)
    assert e.dtype == tf.as_dtype(dtype)  # TensorFlow keeps the input dtype
    rebuilt = tf.matmul(v * e[..., tf.newaxis, :], v, adjoint_b=True)
    np.testing.assert_allclose(rebuilt.numpy(), hermitian, rtol=tol, atol=tol)
    np.testing.assert_allclose(linalg.eigvalsh(hermitian).numpy(), e.numpy(), rtol=tol,
                               atol=tol)
    positive = (square @ np.conj(np.swapaxes(square, -1, -2))).astype(dtype)
    chol = linalg.cholesky(positive)
    np.testing.assert_allclose(chol.numpy(), np.linalg.cholesky(positive), rtol=tol, atol=tol)
    rhs = a[..., :3, :]
    np.testing.assert_allclose(linalg.cholesky_solve(chol, rhs).numpy(),
                               np.linalg.solve(positive, rhs), rtol=tol, atol=tol)
    np.testing.assert_allclose(linalg.logdet(positive).numpy(),
                               np.linalg.slogdet(positive)[1], rtol=tol, atol=tol)


@pytest.mark.parametrize("shape, full_matrices, q_shape, r_shape", [
    ((4, 3), False, (4, 3), (3, 3)), ((4, 3), True, (4, 4), (4, 3)),
    ((2, 4), False, (2, 2), (2, 4)), ((0, 3), False, (0, 0), (0, 3))])
def test_qr_shapes(shape, full_matrices, q_shape, r_shape, rng):
    q, r = linalg.qr(rng.standard_normal(shape), full_matrices=full_matrices)
    assert (tuple(q.shape), tuple(r.shape)) == (q_shape, r_shape)  # recorded from TF 2.21


@pytest.mark.parametrize("shape, full_matrices, shapes", [
    ((3, 2), False, [(2,), (3, 2), (2, 2)]), ((3, 2), True, [(2,), (3, 3), (2, 2)]),
    ((2, 3), False, [(2,), (2, 2), (3, 2)]), ((2, 3), True, [(2,), (2, 2), (3, 3)]),
    ((0, 3), False, [(0,), (0, 0), (3, 0)])])
def test_svd_shapes(shape, full_matrices, shapes, rng):
    result = linalg.svd(rng.standard_normal(shape), full_matrices=full_matrices)
    assert [tuple(t.shape) for t in result] == shapes  # recorded from TF 2.21


def test_decomposition_values():
    a = np.array([[2.0, 1.0], [0.5, 3.0]])
    q, r = linalg.qr(a)
    assert isinstance(linalg.qr(a), Qr) and linalg.qr(a)._fields == ("q", "r")
    # recorded from TF 2.21 (QR's signs are Householder's and match)
    np.testing.assert_allclose(q.numpy(), [[-0.9701425001453321, -0.24253562503633297],
                                           [-0.24253562503633297, 0.9701425001453319]])
    np.testing.assert_allclose(r.numpy(), [[-2.0615528128088303, -1.6977493752543307],
                                           [0.0, 2.6678918753996625]], atol=1e-15)
    s, _, _ = linalg.svd(a)
    np.testing.assert_allclose(s.numpy(), [3.4138567241462203, 1.611081086414225])
    e, _ = linalg.eigh(np.array([[4.0, 2.0], [2.0, 3.0]]))
    np.testing.assert_allclose(e.numpy(), [1.43844718719117, 5.561552812808831])
    # Only the lower triangle is read.
    e, _ = linalg.eigh(np.array([[4.0, 100.0], [2.0, 3.0]]))
    np.testing.assert_allclose(e.numpy(), [1.43844718719117, 5.561552812808831])


def test_complex_values():  # recorded from TF 2.21
    c = tf.constant([[1 + 2j, 0.5 - 1j], [0.3 + 0.2j, 2 - 1j]])
    np.testing.assert_allclose(complex(linalg.det(c)), 3.65 + 3.2j)
    chol = linalg.cholesky(tf.constant([[4 + 0j, 1j], [-1j, 3.0]]))
    np.testing.assert_allclose(chol.numpy(), [[2, 0], [-0.5j, 1.6583123951777]])
    sign, log_abs = linalg.slogdet(tf.constant([[1 + 1j, 2], [3, 4j]]))
    np.testing.assert_allclose(sign.numpy(), -0.9284766908852591 + 0.37139067635410367j)
    assert log_abs.dtype is tf.complex128
    np.testing.assert_allclose(log_abs.numpy(), 2.3767950955531822)
    logdet = linalg.logdet(tf.constant([[4 + 0j, 1j], [-1j, 3.0]]))
    assert logdet.dtype is tf.float64
    np.testing.assert_allclose(float(logdet), 2.3978952727983707)
    e = linalg.eigvalsh(tf.constant([[2 + 0j, 1j], [-1j, 3.0]]))
    assert e.dtype is tf.complex128
    np.testing.assert_allclose(e.numpy(), [1.381966011250105, 3.6180339887498945])


def test_float16_and_empty():  # recorded from TF 2.21
    eye = np.eye(2, dtype=np.float16)
    assert linalg.inv(eye).dtype is tf.float16 and linalg.inv(eye).numpy().tolist() == [
        [1.0, 0.0], [0.0, 1.0]]
    q, r = linalg.qr(np.ones((2, 2), np.float16))
    assert q.dtype is tf.float16
    np.testing.assert_allclose(np.abs(r.numpy()), [[1.414, 1.414], [0, 0]], atol=1e-3)
    assert linalg.det(np.ones((3, 0, 0), np.float32)).numpy().tolist() == [1.0, 1.0, 1.0]
    assert linalg.inv(np.ones((0, 2, 2), np.float32)).shape.as_list() == [0, 2, 2]
    assert linalg.solve(np.eye(2), np.ones((2, 0))).shape.as_list() == [2, 0]


@pytest.mark.parametrize("op", [
    lambda x: linalg.det(x), lambda x: linalg.slogdet(x), lambda x: linalg.cholesky(x),
    lambda x: linalg.solve(x, x), lambda x: linalg.triangular_solve(x, x),
    lambda x: linalg.svd(x), lambda x: linalg.eigh(x)],
    ids=["det", "slogdet", "cholesky", "solve", "triangular_solve", "svd", "eigh"])
def test_float16_has_no_kernel(op):
    with pytest.raises(NotFoundError, match="Could not find device for node"):
        op(np.eye(2, dtype=np.float16))  # recorded from TF 2.21


def test_singular_and_indefinite_inputs():  # recorded from TF 2.21
    singular = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
    assert float(linalg.det(singular)) == 0.0
    sign, log_abs = linalg.slogdet(singular)
    assert float(sign) == 0.0 and float(log_abs) == -np.inf
    # Cholesky does not raise: the factor of a matrix that is not positive definite is NaN.
    chol = linalg.cholesky(np.array([[[4.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]]))
    assert chol.numpy()[0].tolist() == [[2.0, 0.0], [0.0, 1.0]]
    assert np.isnan(chol.numpy()[1][np.tril_indices(2)]).all()
    assert np.isnan(float(linalg.logdet(np.array([[1.0, 2.0], [2.0, 1.0]], np.float32))))
    # Triangular solves substitute through a zero pivot.
    x = linalg.triangular_solve(np.array([[0.0, 0.0], [1.0, 4.0]]), np.array([[2.0], [4.0]]))
    assert x.numpy().tolist() == [[np.inf], [-np.inf]]
    # Only the lower triangle of Cholesky's input is read.
    assert linalg.cholesky(np.array([[4.0, 100.0], [2.0, 3.0]])).numpy().tolist() == [
        [2.0, 0.0], [1.0, 1.4142135623730951]]


def test_triangular_solve(rng):
    a = _well_conditioned(rng, (2, 3, 3))
    b = rng.standard_normal((3, 2))
    for lower in (True, False):
        triangle = np.tril(a) if lower else np.triu(a)
        for adjoint in (False, True):
            lhs = np.swapaxes(triangle, -1, -2) if adjoint else triangle
            x = linalg.triangular_solve(a, b, lower=lower, adjoint=adjoint)
            assert x.shape.as_list() == [2, 3, 2]  # batch dimensions broadcast
            np.testing.assert_allclose(x.numpy(), np.linalg.solve(lhs, b), rtol=1e-10)


def test_cholesky_solve_broadcasts():  # recorded from TF 2.21
    x = linalg.cholesky_solve(np.array([[2.0, 0.0], [1.0, 3.0]]), np.ones((3, 2, 1)))
    np.testing.assert_allclose(x.numpy(), [[[0.22222222222222], [0.05555555555555]]] * 3)


@pytest.mark.parametrize("kwargs, expected", [
    ({}, [[0.6666666666666676], [0.08333333333333245]]),
    ({"l2_regularizer": 0.5}, [[0.4229390681003585], [0.27240143369175623]]),
    ({"fast": False}, [[0.6666666666666681], [0.08333333333333216]]),
    ({"fast": False, "l2_regularizer": 0.5}, [[0.6666666666666681], [0.08333333333333216]]),
])  # recorded from TF 2.21
def test_lstsq_overdetermined(kwargs, expected):
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    x = linalg.lstsq(a, np.array([[1.0], [2.0], [4.0]]), **kwargs)
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-9)


def test_lstsq_underdetermined_and_rank_deficient():  # recorded from TF 2.21
    a = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
    b = np.array([[1.0], [2.0]])
    np.testing.assert_allclose(linalg.lstsq(a, b).numpy(), [[0.8333333333333333],
                                                          [0.3333333333333333],
                                                          [-0.1666666666666666]], rtol=1e-9)
    np.testing.assert_allclose(linalg.lstsq(a, b, l2_regularizer=0.5).numpy(),
                               [[0.3225806451612911], [0.19354838709677447],
                                [0.06451612903225801]], rtol=1e-9)
    deficient = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    rhs = np.array([[1.0], [2.0], [4.0]])
    assert np.isnan(linalg.lstsq(deficient, rhs).numpy()).all()
    np.testing.assert_allclose(linalg.lstsq(deficient, rhs, fast=False).numpy(),
                               [[0.24285714285714288], [0.48571428571428577]], rtol=1e-9)
    batched = linalg.lstsq(np.stack([a.T, a.T]), np.array([[1.0], [2.0], [4.0]]))
    assert batched.shape.as_list() == [2, 2, 1]


def test_lstsq_complex(rng):
    a = rng.standard_normal((4, 2)) + 1j * rng.standard_normal((4, 2))
    b = rng.standard_normal((4, 1)) + 1j * rng.standard_normal((4, 1))
    np.testing.assert_allclose(linalg.lstsq(a, b).numpy(), np.linalg.lstsq(a, b)[0],
                               rtol=1e-9)


def test_pinv():  # recorded from TF 2.21
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_allclose(linalg.pinv(a).numpy(), [
        [-1.3333333333333344, -0.33333333333333426, 0.6666666666666675],
        [1.0833333333333341, 0.3333333333333341, -0.4166666666666673]], rtol=1e-9)
    assert linalg.pinv(a.astype(np.float32)).dtype is tf.float32
    np.testing.assert_allclose(linalg.pinv(np.array([[1.0, 2.0], [2.0, 4.0]])).numpy(),
                               [[0.04, 0.08], [0.08, 0.16]], rtol=1e-9)
    assert linalg.pinv(np.array([[1.0, 0.0], [0.0, 1e-3]]), rcond=1e-2).numpy().tolist() == [
        [1.0, 0.0], [0.0, 0.0]]
    assert linalg.pinv(np.array([[1.0, 0.0], [0.0, 1e-15]])).numpy().tolist() == [
        [1.0, 0.0], [0.0, 0.0]]
    assert linalg.pinv(np.zeros((2, 2))).numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert linalg.pinv(np.stack([a, 2 * a])).shape.as_list() == [2, 2, 3]


SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
EYE = np.eye(2, dtype=np.float32)
SOLVER_ERRORS = [
    (lambda: linalg.inv(SINGULAR), "Input is not invertible. [Op:MatrixInverse]"),
    (lambda: linalg.inv(np.stack([EYE, SINGULAR])), "Input is not invertible. "
                                                    "[Op:MatrixInverse]"),
    (lambda: linalg.inv(np.array([[np.nan, 0.0], [0.0, 1.0]])), "Input is not invertible. "
                                                                "[Op:MatrixInverse]"),
    (lambda: linalg.inv(np.ones((2, 3), np.float32)), "Input matrix must be square. "
                                                      "[Op:MatrixInverse]"),
    (lambda: linalg.inv(np.ones(2, np.float32)), "Input tensor 0 must have rank >= 2, got 1 "
                                                 "[Op:MatrixInverse]"),
    (lambda: linalg.inv(np.ones((2, 2), np.int32)), "Value for attr 'T' of int32 is not in the "
                                                    "list of allowed values: double, float, "
                                                    "half, complex64, complex128 "
                                                    "[Op:MatrixInverse]"),
    (lambda: linalg.det(np.ones((2, 3), np.float32)), "Input matrix must be square. "
                                                      "[Op:MatrixDeterminant]"),
    (lambda: linalg.det(np.ones((2, 2), np.int32)), "Value for attr 'T' of int32 is not in the "
                                                    "list of allowed values: half, float, "
                                                    "double, complex64, complex128 "
                                                    "[Op:MatrixDeterminant]"),
    (lambda: linalg.slogdet(np.ones(2)), "Input tensor 0 must have rank >= 2, got 1 "
                                         "[Op:LogMatrixDeterminant]"),
    (lambda: linalg.cholesky(np.ones((2, 3))), "Input matrix must be square. [Op:Cholesky]"),
    (lambda: linalg.solve(SINGULAR, np.ones((2, 1), np.float32)), "Input matrix is not "
                                                                  "invertible. [Op:MatrixSolve]"),
    (lambda: linalg.solve(np.ones((2, 3)), np.ones((2, 1))), "First input (lhs) must be a "
                                                             "square matrix. [Op:MatrixSolve]"),
    (lambda: linalg.solve(EYE, np.ones((3, 1), np.float32)), "Input matrix and rhs are "
                                                             "incompatible. [Op:MatrixSolve]"),
    (lambda: linalg.solve(EYE, np.ones(2, np.float32)), "All input tensors must have the same "
                                                        "rank. [Op:MatrixSolve]"),
    (lambda: linalg.solve(np.stack([EYE] * 3), np.ones((2, 2, 1), np.float32)),
     "All input tensors must have the same outer dimensions. [Op:MatrixSolve]"),
    (lambda: linalg.triangular_solve(np.ones((2, 3)), np.ones((2, 1))),
     "In[0] matrices in the last dimensions must be square (3 =/= 2) "
     "[Op:MatrixTriangularSolve]"),
    (lambda: linalg.triangular_solve(np.eye(2), np.ones((3, 1))),
     "In[0] mismatch In[1] shape: 2 vs. 3: [2,2] [3,1] 1 0 [Op:MatrixTriangularSolve]"),
    (lambda: linalg.triangular_solve(np.eye(2), np.ones((3, 1)), lower=False, adjoint=True),
     "In[0] mismatch In[1] shape: 2 vs. 3: [2,2] [3,1] 0 1 [Op:MatrixTriangularSolve]"),
    (lambda: linalg.triangular_solve(np.eye(2), np.ones(2)), "In[1] ndims must be >= 2: 1 "
                                                             "[Op:MatrixTriangularSolve]"),
    (lambda: linalg.triangular_solve(np.ones((3, 2, 2)), np.ones((2, 2, 1))),
     "In[0] and In[1] must have compatible batch dimensions: [3,2,2] vs. [2,2,1] "
     "[Op:MatrixTriangularSolve]"),
    (lambda: linalg.qr(np.ones(3)), "Input tensor 0 must have rank >= 2, got 1 [Op:Qr]"),
    (lambda: linalg.svd(np.ones(3)), "Input tensor 0 must have rank >= 2, got 1 [Op:Svd]"),
    (lambda: linalg.eigh(np.ones((2, 3))), "Input matrix must be square. "
                                           "[Op:SelfAdjointEigV2]"),
]  # recorded from TF 2.21


@pytest.mark.parametrize("call, message", SOLVER_ERRORS)
def test_solver_errors(call, message):
    with pytest.raises(InvalidArgumentError) as info:
        call()
    assert info.value.message == message


def test_python_level_errors():  # recorded from TF 2.21
    with pytest.raises(TypeError, match=r"Input `a` must have `float`-like `dtype` \(saw "
                                        r"complex128\)."):
        linalg.pinv(np.array([[1j, 0.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"Input `a` must have at least 2 dimensions \(saw: "
                                         r"1\)."):
        linalg.pinv(np.ones(3))
    with pytest.raises(NotImplementedError, match="matrix_solve_ls is currently disabled for "
                                                  "complex128 and l2_regularizer != 0"):
        linalg.lstsq(np.ones((2, 2), complex), np.ones((2, 1), complex), l2_regularizer=0.1)


# --- gradients ---------------------------------------------------------------------------

def _squared(t):  # sign-invariant: singular and eigen vectors are defined up to sign
    return t * t


GRADIENT_CASES = {
    "inv": (lambda a: linalg.inv(a), ["wc", (2, 3, 3)]),
    "inv_adjoint": (lambda a: linalg.inv(a, adjoint=True), ["wc", (3, 3)]),
    "det": (lambda a: linalg.det(a), ["wc", (2, 3, 3)]),
    "slogdet": (lambda a: linalg.slogdet(a), ["wc", (2, 3, 3)]),
    "logdet": (lambda x: linalg.logdet(_spd(x)), [(2, 3, 3)]),
    "solve": (lambda a, b: linalg.solve(a, b), ["wc", (2, 3, 3), (2, 3, 2)]),
    "solve_adjoint": (lambda a, b: linalg.solve(a, b, adjoint=True), ["wc", (3, 3), (3, 2)]),
    "triangular_solve": (lambda a, b: linalg.triangular_solve(a, b),
                         ["wc", (3, 3), (2, 3, 2)]),
    "triangular_solve_upper_adjoint": (
        lambda a, b: linalg.triangular_solve(a, b, lower=False, adjoint=True),
        ["wc", (2, 3, 3), (3, 2)]),
    "cholesky": (lambda x: linalg.cholesky(_spd(x)), [(2, 3, 3)]),
    "cholesky_solve": (lambda x, b: linalg.cholesky_solve(linalg.cholesky(_spd(x)), b),
                       [(3, 3), (3, 2)]),
    "qr": (lambda a: linalg.qr(a), [(2, 4, 3)]),
    "qr_square_full": (lambda a: linalg.qr(a, full_matrices=True), [(3, 3)]),
    "qr_wide": (lambda a: linalg.qr(a), [(2, 3, 5)]),
    "svd_values": (lambda a: linalg.svd(a, compute_uv=False), [(2, 4, 3)]),
    "svd": (lambda a: [f(t) for f, t in zip((tf.identity, _squared, _squared), linalg.svd(a))],
            [(4, 3)]),
    "svd_wide": (lambda a: [f(t) for f, t in zip((tf.identity, _squared, _squared),
                                                 linalg.svd(a))], [(2, 3, 5)]),
    "svd_full": (lambda a: [f(t) for f, t in zip(
        (tf.identity, _squared, _squared), linalg.svd(a, full_matrices=True))], [(4, 3)]),
    "eigh": (lambda x: (lambda e, v: (e, _squared(v)))(*linalg.eigh(_symmetric(x))),
             [(2, 3, 3)]),
    "eigvalsh": (lambda x: linalg.eigvalsh(_symmetric(x)), [(3, 3)]),
    "pinv": (lambda x: linalg.pinv(x), [(4, 3)]),
    "lstsq": (lambda a, b: linalg.lstsq(a, b), [(4, 3), (4, 2)]),
    "lstsq_underdetermined": (lambda a, b: linalg.lstsq(a, b, l2_regularizer=0.5),
                              [(2, 3), (2, 2)]),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradients(name, rng):
    f, spec = GRADIENT_CASES[name]
    if spec[0] == "wc":  # the first input is a well-conditioned square matrix
        args = [_well_conditioned(rng, spec[1])] + [rng.standard_normal(s) for s in spec[2:]]
    else:
        args = [rng.standard_normal(s) for s in spec]
    check_gradients(f, *args, order=2)


def _hermitian(x):
    return x + linalg.adjoint(x)


COMPLEX_GRADIENT_CASES = {
    "inv": (lambda a: linalg.inv(a), ["wc", (2, 3, 3)]),
    "inv_adjoint": (lambda a: linalg.inv(a, adjoint=True), ["wc", (3, 3)]),
    "det": (lambda a: linalg.det(a), ["wc", (2, 3, 3)]),
    "slogdet": (lambda a: linalg.slogdet(a)[1], ["wc", (3, 3)]),
    "logdet": (lambda x: linalg.logdet(_spd(x)), [(3, 3)]),
    "solve": (lambda a, b: linalg.solve(a, b, adjoint=True), ["wc", (3, 3), (3, 2)]),
    "triangular_solve": (lambda a, b: linalg.triangular_solve(a, b, lower=False),
                         ["wc", (3, 3), (2, 3, 2)]),
    "cholesky": (lambda x: linalg.cholesky(_spd(x)), [(3, 3)]),
    "qr": (lambda a: linalg.qr(a), [(4, 3)]),
    "qr_wide": (lambda a: linalg.qr(a), [(2, 4)]),
    "svd": (lambda a: (lambda s, u, v: (s, u * tf.math.conj(u), v * tf.math.conj(v)))(
        *linalg.svd(a)), [(3, 4)]),
    "eigh": (lambda x: (lambda e, v: (e, v * tf.math.conj(v)))(*linalg.eigh(_hermitian(x))),
             [(3, 3)]),
}


@pytest.mark.parametrize("name", COMPLEX_GRADIENT_CASES)
def test_complex_gradients(name, rng):
    f, spec = COMPLEX_GRADIENT_CASES[name]
    shapes = spec[1:] if spec[0] == "wc" else spec
    args = [rng.standard_normal(s) + 1j * rng.standard_normal(s) for s in shapes]
    if spec[0] == "wc":
        args[0] = args[0] + 3 * np.eye(shapes[0][-1])
    check_complex_gradients(f, *args)


def _gradient(f, *arrays):
    tensors = [tf.constant(a) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        y = f(*tensors)
    return [g.numpy() for g in tape.gradient(y, tensors)]


A2 = np.array([[2.0, 1.0], [0.5, 3.0]])
S2 = np.array([[4.0, 2.0], [2.0, 3.0]])


@pytest.mark.parametrize("f, args, expected", [
    (lambda a: tf.reduce_sum(linalg.inv(a)), [A2],
     [[[-0.16528925619834706, -0.1239669421487603], [-0.06611570247933883,
                                                     -0.04958677685950413]]]),
    (lambda a: linalg.det(a), [A2], [[[3.0, -0.5], [-1.0, 2.0]]]),
    (lambda a: linalg.slogdet(a)[1], [A2], [[[0.5454545454545454, -0.09090909090909091],
                                            [-0.18181818181818182, 0.36363636363636365]]]),
    (lambda a: linalg.logdet(a), [S2], [[[0.375, -0.25], [-0.25, 0.5]]]),
    (lambda a: tf.reduce_sum(linalg.cholesky(a)), [S2],
     [[[0.21338834764831843, 0.07322330470336313], [0.07322330470336313,
                                                    0.35355339059327373]]]),
    # Eigen decompositions read the lower triangle: the gradient is lower triangular.
    (lambda a: tf.reduce_sum(linalg.eigvalsh(a) * [1.0, 2.0]), [S2],
     [[[1.6212678125181665, 0.0], [0.9701425001453321, 1.3787321874818337]]]),
    (lambda a: tf.reduce_sum(linalg.svd(a, compute_uv=False) * [1.0, 2.0]), [A2],
     [[[1.7699058834275985, -0.2667695686374234], [-0.5652807257004202,
                                                   1.215205687202369]]]),
    (lambda a: (lambda s, u, v: tf.reduce_sum(u ** 2 * [[1.0, 2.0], [3.0, 4.0]])
                + tf.reduce_sum(v ** 2 * [[1.0, -1.0], [2.0, 0.5]]))(*linalg.svd(a)), [A2],
     [[[0.09298609917363812, 0.02118670614082891], [0.09769425609382242,
                                                    -0.08533534417833877]]]),
    (lambda a: (lambda q, r: tf.reduce_sum(q * [[1.0, 2.0], [3.0, 4.0]])
                + tf.reduce_sum(r * [[1.0, -1.0], [2.0, 0.5]]))(*linalg.qr(a)), [A2],
     [[[-0.5278716544908421, 0.8488746876271652], [-2.011619007654291, 0.7276068751089989]]]),
    (lambda a, b: tf.reduce_sum(linalg.triangular_solve(a, b)), [A2, np.array([[1.0], [2.0]])],
     [[[-0.20833333333333334, 0.0], [-0.16666666666666666, -0.19444444444444442]],
      [[0.4166666666666667], [0.3333333333333333]]]),
    (lambda a: tf.reduce_sum(linalg.pinv(a)), [np.array([[1.0], [2.0]])],
     [[[-0.04], [-0.28]]]),
])  # recorded from TF 2.21
def test_gradient_values(f, args, expected):
    for grad, value in zip(_gradient(f, *args), expected):
        np.testing.assert_allclose(grad, value, rtol=1e-9, atol=1e-12)


def test_gradient_edge_cases():  # recorded from TF 2.21
    with pytest.raises(ValueError, match="Gradient not defined for fast=False"):
        _gradient(lambda a, b: linalg.lstsq(a, b, fast=False), np.eye(2), np.ones((2, 1)))
    with pytest.raises(NotImplementedError, match="QrGrad not implemented when nrows > ncols "
                                                  "and full_matrices is true"):
        _gradient(lambda a: linalg.qr(a, full_matrices=True)[0], np.ones((3, 2)))
    with pytest.raises(NotImplementedError, match=r"svd gradient is not implemented for "
                                                  r"abs\(m - n\) > 1 when full_matrices"):
        _gradient(lambda a: linalg.svd(a, full_matrices=True)[1], np.ones((4, 2)))
    with pytest.raises(InvalidArgumentError, match="Input is not invertible"):
        _gradient(lambda a: linalg.det(a), np.ones((2, 2)))


def test_float32_gradients_stay_float32(rng):
    a = _well_conditioned(rng, (3, 3), np.float32)
    for f in (linalg.inv, linalg.det, lambda x: linalg.svd(x, compute_uv=False),
              lambda x: linalg.qr(x)[1], lambda x: linalg.cholesky(_spd(x))):
        (grad,) = _gradient(lambda x: tf.reduce_sum(f(x)), a)
        assert grad.dtype == np.float32


def test_eig_values_vectors_and_gradients_match_tensorflow():
    # recorded from TF 2.21 (losses that do not depend on the eigenvalues' order or the
    # eigenvectors' phases)
    a = tf.constant([[2.0, 1.0, 0.5], [0.3, 3.0, 1.0], [0.1, 0.2, 1.0]], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(a)
        e, v = tf.linalg.eig(a)
        squares = tf.math.real(tf.reduce_sum(e * e))
        fourth_powers = tf.reduce_sum(tf.abs(v) ** 4)
        cubes = tf.math.real(tf.reduce_sum(tf.linalg.eigvals(a) ** 3))
    assert e.dtype == tf.complex128 and v.dtype == tf.complex128
    np.testing.assert_allclose(a.numpy() @ v.numpy(), v.numpy() * e.numpy(), atol=1e-12)
    np.testing.assert_allclose(tape.gradient(squares, a).numpy(),
                               [[4.0, 0.6, 0.2], [2.0, 6.0, 0.4], [1.0, 2.0, 2.0]], atol=1e-8)
    np.testing.assert_allclose(tape.gradient(fourth_powers, a).numpy(),
                               [[-0.2150366, -0.18942719, 0.05068383],
                                [-0.32880248, 0.45914513, -0.40884627],
                                [-0.92663762, 0.30491195, -0.24410853]], atol=1e-7)
    np.testing.assert_allclose(tape.gradient(cubes, a).numpy(),
                               [[13.05, 4.8, 1.08], [15.3, 28.5, 2.7], [7.5, 12.45, 3.75]],
                               atol=1e-7)


def test_eig_of_a_rotation_has_complex_eigenvalues():
    b = tf.constant([[0.0, -2.0], [1.0, 0.5]])
    with tf.GradientTape() as tape:
        tape.watch(b)
        e, v = tf.linalg.eig(b)
        loss = tf.reduce_sum(tf.abs(e) ** 2) + tf.reduce_sum(tf.abs(v[0]))
    assert e.dtype == tf.complex64
    np.testing.assert_allclose(tape.gradient(loss, b).numpy(),
                               [[1.0, -2.13608], [3.72783, 0.0]], atol=1e-5)  # TF 2.21
    check_gradients(lambda m: tf.math.real(tf.reduce_sum(tf.linalg.eigvals(m) ** 2)),
                    np.array([[2.0, 1.0], [0.5, 3.0]]), order=1)
