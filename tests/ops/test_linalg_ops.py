"""tf.matmul and tf.linalg: values against NumPy and TF 2.21, batches, dtypes, errors and
gradients."""

import numpy as np
import pytest

import eagerflow as tf
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError

A = np.arange(6.0, dtype=np.float32).reshape(2, 3)
B = np.arange(6.0, dtype=np.float32).reshape(3, 2)


@pytest.mark.parametrize("a, b, kwargs, expected", [
    (A, B, {}, [[10.0, 13.0], [28.0, 40.0]]),
    (A, A, {"transpose_b": True}, [[5.0, 14.0], [14.0, 50.0]]),
    (A, A, {"transpose_a": True}, [[9.0, 12.0, 15.0], [12.0, 17.0, 22.0], [15.0, 22.0, 29.0]]),
    (B, A, {"transpose_a": True, "transpose_b": True}, [[10.0, 28.0], [13.0, 40.0]]),
    (A, A, {"adjoint_b": True}, [[5.0, 14.0], [14.0, 50.0]]),
    (A, B, {"output_type": tf.float32}, [[10.0, 13.0], [28.0, 40.0]]),
])  # recorded from TF 2.21
def test_matmul(a, b, kwargs, expected):
    t = tf.matmul(a, b, **kwargs)
    assert t.dtype is tf.float32
    assert t.numpy().tolist() == expected


def test_matmul_operator_and_lists():
    assert (tf.constant(A) @ tf.constant(B)).numpy().tolist() == [[10.0, 13.0], [28.0, 40.0]]
    assert (A @ tf.constant(B)).numpy().tolist() == [[10.0, 13.0], [28.0, 40.0]]
    assert tf.matmul([[1.0, 2.0]], [[1.0], [2.0]]).numpy().tolist() == [[5.0]]


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64, tf.int32, tf.int64,
                                   tf.complex64, tf.complex128])
def test_matmul_dtypes(dtype):
    a = tf.cast(tf.constant([[1, 2], [3, 4]]), dtype)
    t = tf.matmul(a, a)
    assert t.dtype is dtype
    assert np.asarray(t.numpy()).tolist() == [[7, 10], [15, 22]]


def test_int32_matmul():
    t = tf.matmul(tf.constant([[1, 2]]), tf.constant([[3], [4]]))
    assert t.dtype is tf.int32 and t.numpy().tolist() == [[11]]  # recorded from TF 2.21


@pytest.mark.parametrize("dtype", [tf.bool, tf.int8, tf.uint8, tf.string])
def test_matmul_unsupported_dtypes(dtype):
    a = tf.zeros((2, 2), dtype) if dtype is not tf.string else tf.constant([["a"]])
    with pytest.raises(InvalidArgumentError, match=f"Value for attr 'T' of {dtype.name} is not in "
                                                   f"the list of allowed values"):
        tf.matmul(a, a)  # recorded from TF 2.21


ADJOINT_CASES = [
    ({}, [[-3 + 10j, -3 + 6j], [4 + 2j, 4j]]),
    ({"adjoint_a": True}, [[9 + 0j, 8 + 1j], [8 - 1j, 11 + 0j]]),
    ({"adjoint_b": True}, [[14 + 0j, -1 + 7j], [-1 - 7j, 6 + 0j]]),
    ({"adjoint_a": True, "adjoint_b": True}, [[-3 - 10j, 4 - 2j], [-3 - 6j, -4j]]),
    ({"transpose_a": True, "adjoint_b": True}, [[5 - 6j, 4 + 6j], [3 + 0j, 2 + 6j]]),
]  # recorded from TF 2.21


@pytest.mark.parametrize("kwargs, expected", ADJOINT_CASES)
def test_matmul_adjoint(kwargs, expected):
    c = tf.constant([[1 + 2j, 3j], [2.0, 1 - 1j]])
    t = tf.matmul(c, c, **kwargs)
    assert t.dtype is tf.complex128
    assert t.numpy().tolist() == expected


# Gradients of sum(matmul(c, d, ...)) with respect to c and d; recorded from TF 2.21.
COMPLEX_GRADIENTS = [
    ({}, [[0.5 + 0j, 1 - 1j], [0.5 + 0j, 1 - 1j]], [[3 - 2j, 3 - 2j], [1 - 2j, 1 - 2j]]),
    ({"adjoint_a": True}, [[0.5 - 0j, 0.5 - 0j], [1 + 1j, 1 + 1j]],
     [[1 + 5j, 1 + 5j], [3 - 1j, 3 - 1j]]),
    ({"transpose_a": True, "adjoint_b": True}, [[2.5 + 0j, 2.5 + 0j], [-1 + 1j, -1 + 1j]],
     [[1 + 5j, 3 - 1j], [1 + 5j, 3 - 1j]]),
]


@pytest.mark.parametrize("kwargs, grad_c, grad_d", COMPLEX_GRADIENTS)
def test_complex_matmul_gradients(kwargs, grad_c, grad_d):
    c = tf.constant([[1 + 2j, 3j], [2.0, 1 - 1j]])
    d = tf.constant([[0.5 - 1j, 1j], [2.0 + 1j, -1.0]])
    with tf.GradientTape() as tape:
        tape.watch([c, d])
        y = tf.matmul(c, d, **kwargs)
    dc, dd = tape.gradient(y, [c, d])
    assert dc.numpy().tolist() == grad_c
    assert dd.numpy().tolist() == grad_d


@pytest.mark.parametrize("a_shape, b_shape, shape", [
    ((2, 1, 2, 3), (4, 3, 5), [2, 4, 2, 5]), ((3, 2, 3), (3, 2), [3, 2, 2]),
    ((2, 3), (5, 3, 2), [5, 2, 2]), ((0, 3), (3, 2), [0, 2]), ((2, 0), (0, 2), [2, 2])])
def test_batched_matmul_broadcasts(a_shape, b_shape, shape, rng):
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    t = tf.matmul(a, b)
    assert t.dtype is tf.float64
    assert t.shape.as_list() == shape
    np.testing.assert_allclose(t.numpy(), np.matmul(a, b), rtol=1e-12)


def test_batched_transposes(rng):
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 3))
    t = tf.matmul(a, b, transpose_a=True, transpose_b=True)
    expected = np.swapaxes(a, -1, -2) @ np.swapaxes(b, -1, -2)
    np.testing.assert_allclose(t.numpy(), expected, rtol=1e-12)


@pytest.mark.parametrize("a_shape, b_shape, kwargs, message", [
    ((2, 3), (2, 3), {}, "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3] [Op:MatMul]"),
    ((2, 3), (2, 3), {"transpose_a": True, "transpose_b": True},
     "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3] [Op:MatMul]"),
    ((2,), (2, 3), {}, "In[0] ndims must be >= 2 [Op:MatMul]"),
    ((2, 3), (3,), {}, "In[1] ndims must be >= 2 [Op:MatMul]"),
    ((2, 2, 3), (3, 3, 5), {},
     "In[0] and In[1] must have compatible batch dimensions: [2,2,3] vs. [3,3,5] "
     "[Op:BatchMatMulV2]"),
    ((2, 2, 3), (2, 4, 5), {},
     "Matrix size-incompatible: In[0]: [2,2,3], In[1]: [2,4,5] 0 0 [Op:BatchMatMulV2]"),
])  # recorded from TF 2.21
def test_matmul_errors(a_shape, b_shape, kwargs, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.matmul(tf.ones(a_shape), tf.ones(b_shape), **kwargs)
    assert info.value.message == message


def test_matmul_dtype_mismatch():
    with pytest.raises(InvalidArgumentError) as info:
        tf.matmul(tf.ones((2, 3)), tf.constant([[1], [2], [3]]))
    assert info.value.message == ("cannot compute MatMul as input #1(zero-based) was expected "
                                  "to be a float tensor but is a int32 tensor "
                                  "[Op:MatMul]")  # recorded from TF 2.21


@pytest.mark.parametrize("flag", ["a", "b"])
def test_transpose_and_adjoint_together(flag):
    with pytest.raises(ValueError) as info:
        tf.matmul(A, B, **{f"transpose_{flag}": True, f"adjoint_{flag}": True})
    assert str(info.value) == (  # recorded from TF 2.21
        f"Only one of `transpose_{flag}` and `adjoint_{flag}` can be True. Received "
        f"`transpose_{flag}`=True, `adjoint_{flag}`=True.")


@pytest.mark.parametrize("kwargs", [
    {}, {"transpose_a": True}, {"transpose_b": True}, {"transpose_a": True, "transpose_b": True},
    {"adjoint_a": True}, {"adjoint_b": True}, {"adjoint_a": True, "adjoint_b": True},
    {"transpose_a": True, "adjoint_b": True}], ids=lambda k: "-".join(k) or "plain")
def test_matmul_gradients(kwargs, rng):
    a_shape = (3, 2) if kwargs.get("transpose_a") or kwargs.get("adjoint_a") else (2, 3)
    b_shape = (4, 3) if kwargs.get("transpose_b") or kwargs.get("adjoint_b") else (3, 4)
    check_gradients(lambda a, b: tf.matmul(a, b, **kwargs), rng.standard_normal(a_shape),
                    rng.standard_normal(b_shape), order=2)


@pytest.mark.parametrize("a_shape, b_shape, kwargs", [
    ((2, 1, 2, 3), (4, 3, 5), {}), ((3, 2, 3), (3, 2), {}), ((2, 3), (5, 3, 2), {}),
    ((2, 3, 2), (1, 4, 3), {"transpose_a": True, "transpose_b": True})])
def test_batched_matmul_gradients(a_shape, b_shape, kwargs, rng):
    check_gradients(lambda a, b: tf.matmul(a, b, **kwargs), rng.standard_normal(a_shape),
                    rng.standard_normal(b_shape), order=2)


def test_matmul_of_one_input_with_itself(rng):
    check_gradients(lambda a: tf.matmul(a, a, transpose_b=True), rng.standard_normal((2, 3)))


def test_matmul_of_variables():
    w = tf.Variable([[1.0], [2.0]])
    x = tf.constant([[3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.matmul(x, w)
    assert y.numpy().tolist() == [[11.0]]
    assert tape.gradient(y, w).numpy().tolist() == [[3.0], [4.0]]


# --- tf.linalg ---------------------------------------------------------------------------
# The ops are imported from their module until the namespaces export them.

from eagerflow.ops import linalg_ops as linalg  # noqa: E402

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
    assert isinstance(linalg.qr(a), linalg.Qr) and linalg.qr(a)._fields == ("q", "r")
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
    assert complex(linalg.trace(c)) == 3 + 1j
    chol = linalg.cholesky(tf.constant([[4 + 0j, 1j], [-1j, 3.0]]))
    np.testing.assert_allclose(chol.numpy(), [[2, 0], [-0.5j, 1.6583123951777]])
    assert linalg.matvec(tf.constant([[1j, 2], [3, 4]]), tf.constant([1 + 0j, 1j]),
                         adjoint_a=True).numpy().tolist() == [2j, 2 + 4j]
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


@pytest.mark.parametrize("axes, expected_shape", [
    (1, (2, 4)), (0, (2, 3, 3, 4)), ([[1], [0]], (2, 4)), ([1, 0], (2, 4)),
    (([1], [0]), (2, 4)), ([[-1], [0]], (2, 4)), (np.array([[1], [0]]), (2, 4))])
def test_tensordot(axes, expected_shape):
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    result = linalg.tensordot(a, b, axes)
    assert tuple(result.shape) == expected_shape
    np.testing.assert_allclose(result.numpy(), np.tensordot(a, b, np.asarray(axes).tolist()))


A23 = np.arange(6.0).reshape(2, 3)
B34 = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize("b, axes, error, message", [
    (A23, 3, ValueError, "`axes` must not be larger than the number of dimensions of tensor "
                         "[[0. 1. 2.]\n [3. 4. 5.]].  Received 3, vs tensor dimensions 2."),
    (A23, -1, ValueError, "`axes` must be at least 0. Received: -1."),
    (B34, [[0], [0]], InvalidArgumentError, "Matrix size-incompatible: In[0]: [3,2], In[1]: "
                                            "[3,4] [Op:MatMul]"),
    (B34, [[0, 1], [0]], ValueError, "Different number of contraction axes `a` and `b`, 2 != "
                                     "1."),
    (B34, [[0], [0], [1]], ValueError, "`axes` must be an integer or have length 2. Received "
                                       "[[0], [0], [1]]."),
    (B34.astype(np.float32), 1, InvalidArgumentError,
     "cannot compute MatMul as input #1(zero-based) was expected to be a double tensor but is "
     "a float tensor [Op:MatMul]"),
])  # recorded from TF 2.21
def test_tensordot_errors(b, axes, error, message):
    with pytest.raises(error) as info:
        linalg.tensordot(A23, b, axes)
    assert str(info.value) == message


def test_cross():  # recorded from TF 2.21
    assert linalg.cross([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]).numpy().tolist() == [-3.0, 6.0, -3.0]
    wrapped = linalg.cross(np.array([1, 2, 3], np.uint8), np.array([4, 5, 6], np.uint8))
    assert wrapped.dtype is tf.uint8 and wrapped.numpy().tolist() == [253, 6, 253]
    assert linalg.cross(np.ones((2, 3)), np.ones((2, 3))).shape.as_list() == [2, 3]
    with pytest.raises(tf.errors.FailedPreconditionError) as info:
        linalg.cross(np.ones(2), np.ones(2))
    assert info.value.message == ("Cross-products are only defined for 3-element vectors. "
                                  "[Op:Cross]")
    with pytest.raises(InvalidArgumentError) as info:
        linalg.cross(np.ones((2, 3)), np.ones((3,)))
    assert info.value.message == "Both inputs must be of same shape: [2,3] vs. [3] [Op:Cross]"


SQ = np.arange(9.0).reshape(3, 3)


@pytest.mark.parametrize("call, expected", [
    (lambda: linalg.diag([1.0, 2.0], k=1), [[0, 1, 0], [0, 0, 2], [0, 0, 0]]),
    (lambda: linalg.diag([1.0, 2.0], k=-1, num_rows=4), [[0, 0], [1, 0], [0, 2], [0, 0]]),
    (lambda: linalg.diag([[1.0, 2.0], [3.0, 4.0]], k=(0, 1)), [[3, 2], [0, 4]]),
    (lambda: linalg.diag([1.0, 2.0], num_rows=3, padding_value=9), [[1, 9], [9, 2], [9, 9]]),
    (lambda: linalg.diag([1.0, 2.0], num_cols=4), [[1, 0, 0, 0], [0, 2, 0, 0]]),
    (lambda: linalg.diag([[1.0, 2.0, 3.0], [4.0, 5.0, 0.0]], k=(-1, 0), align="LEFT_LEFT"),
     [[1, 0, 0], [4, 2, 0], [0, 5, 3]]),
    (lambda: linalg.diag([[1.0, 2.0, 0.0], [4.0, 5.0, 0.0]], k=(0, 1), align="LEFT_RIGHT"),
     [[4, 1, 0], [0, 5, 2], [0, 0, 0]]),
    (lambda: linalg.diag_part(SQ, k=1), [1, 5]),
    (lambda: linalg.diag_part(SQ, k=(-1, 1)), [[0, 1, 5], [0, 4, 8], [3, 7, 0]]),
    (lambda: linalg.diag_part(SQ, k=(-1, 1), align="LEFT_LEFT"), [[1, 5, 0], [0, 4, 8],
                                                                  [3, 7, 0]]),
    (lambda: linalg.diag_part(np.arange(12.0).reshape(3, 4), k=(-2, 1)),
     [[1, 6, 11], [0, 5, 10], [4, 9, 0], [8, 0, 0]]),
    (lambda: linalg.diag_part(np.arange(12.0).reshape(4, 3), k=(-1, 2), padding_value=-1),
     [[-1, -1, 2], [-1, 1, 5], [0, 4, 8], [3, 7, 11]]),
    (lambda: linalg.set_diag(np.arange(6.0).reshape(2, 3), [9.0, 8.0], k=1),
     [[0, 9, 2], [3, 4, 8]]),
    (lambda: linalg.set_diag(SQ, [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], k=(-1, 0)),
     [[0, 1, 2], [3, 1, 5], [6, 4, 2]]),
    (lambda: linalg.set_diag(np.zeros((2, 2, 2)), [[1.0, 2.0], [3.0, 4.0]]),
     [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]),
    (lambda: linalg.band_part(SQ, 0, -1), [[0, 1, 2], [0, 4, 5], [0, 0, 8]]),
    (lambda: linalg.band_part(SQ, -2, 0), [[0, 0, 0], [3, 4, 0], [6, 7, 8]]),
    (lambda: linalg.band_part(np.arange(6.0).reshape(2, 3), tf.constant(0), tf.constant(1)),
     [[0, 1, 0], [0, 4, 5]]),
    (lambda: linalg.trace(np.stack([SQ, 2 * SQ])), [12, 24]),
    (lambda: linalg.trace(np.arange(6.0).reshape(2, 3)), 4),
    (lambda: linalg.trace(np.ones((2, 0, 0))), [0, 0]),
])  # recorded from TF 2.21
def test_diagonals_and_bands(call, expected):
    np.testing.assert_array_equal(call().numpy(), expected)


def test_structure_dtypes():
    assert linalg.diag([1, 2]).dtype is tf.int32
    assert linalg.band_part(np.ones((2, 2), bool), 0, 0).numpy().tolist() == [[True, False],
                                                                              [False, True]]
    assert linalg.trace(np.array([[1, 2], [3, 4]], np.int32)).dtype is tf.int32
    adjoint = linalg.adjoint(tf.constant([[1j, 2]]))
    assert adjoint.numpy().tolist() == [[-1j], [2 - 0j]]
    assert linalg.matrix_transpose(tf.constant([[1j, 2]])).numpy().tolist() == [[1j], [2]]
    assert linalg.matrix_transpose(np.ones((2, 3, 4))).shape.as_list() == [2, 4, 3]


STRUCTURE_ERRORS = [
    (lambda: linalg.diag(1.0), "diagonal must be at least 1-dim, received shape: [] "
                               "[Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], k=(1, 0)), "lower_diag_index must not be larger than "
                                                 "upper_diag_index: 1 > 0 [Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], k=(0, 1, 2)), "diag_index must have only one or two "
                                                    "elements, received 3 elements. "
                                                    "[Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], num_rows=1), "The number of rows is too small. "
                                                   "[Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], num_rows=5, num_cols=5),
     "The number of rows or columns is not consistent with the specified d_lower, d_upper, "
     "and diagonal. [Op:MatrixDiagV3]"),
    (lambda: linalg.diag([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], k=(0, 1)),
     "The number of diagonals provided in the input does not match the lower_diag_index and "
     "upper_diag_index range. [Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], align="FOO"),
     "Value for attr 'align' of \"FOO\" is not in the list of allowed values: \"LEFT_RIGHT\", "
     "\"RIGHT_LEFT\", \"LEFT_LEFT\", \"RIGHT_RIGHT\" [Op:MatrixDiagV3]"),
    (lambda: linalg.diag_part(np.ones(3)), "input must be at least 2-dim, received shape: [3] "
                                           "[Op:MatrixDiagPartV3]"),
    (lambda: linalg.diag_part(SQ, k=5), "lower_diag_index is out of bound: 5. It must be "
                                        "between -3 and 3 [Op:MatrixDiagPartV3]"),
    (lambda: linalg.diag_part(SQ, k=(0, 5)), "upper_diag_index is out of bound: 5 It must be "
                                             "between -3 and 3 [Op:MatrixDiagPartV3]"),
    (lambda: linalg.diag_part(SQ, k=(1, -1)), "lower_diag_index must not be larger than "
                                              "upper_diag_index: 1 > -1 [Op:MatrixDiagPartV3]"),
    (lambda: linalg.set_diag(np.zeros((2, 2)), [1.0], k=3),
     "lower_diag_index is out of bound: 3 It must be between -2 and 2 [Op:MatrixSetDiagV3]"),
    (lambda: linalg.set_diag(SQ, [[1.0, 2.0], [3.0, 4.0]], k=(-1, 0)),
     "Either first dimensions of diagonal don't match input.shape[:-2], or diagonal.shape[:-1] "
     "is not equal to the longests diagonal in range [lower_diag_index:upper_diag_index].\n"
     "Input shape: [3,3]\nDiagonal shape: [2,2]\nExpected diagonal shape: [2,3] "
     "[Op:MatrixSetDiagV3]"),
    (lambda: linalg.band_part(np.ones(3), 1, 0), "input must be at least 2-dim, received "
                                                 "shape: [3] [Op:MatrixBandPart]"),
    (lambda: linalg.band_part(SQ, 5, 0), "num_lower must be negative or less or equal to "
                                         "number of rows (3) got: 5 [Op:MatrixBandPart]"),
    (lambda: linalg.band_part(np.ones((2, 3)), 0, 4),
     "num_upper must be negative or less or equal to number of columns (3) got: 4 "
     "[Op:MatrixBandPart]"),
    (lambda: linalg.trace(np.array([1.0, 2.0])), "input must be at least 2-dim, received "
                                                 "shape: [2] [Op:MatrixDiagPartV3]"),
]  # recorded from TF 2.21


@pytest.mark.parametrize("call, message", STRUCTURE_ERRORS)
def test_structure_errors(call, message):
    with pytest.raises(InvalidArgumentError) as info:
        call()
    assert info.value.message == message


def test_structure_python_errors():  # recorded from TF 2.21
    with pytest.raises(ValueError) as info:
        linalg.matrix_transpose(np.ones(3))
    assert str(info.value) == ("Argument `a` should be a (batch) matrix with rank >= 2.  "
                               "Received `a` = [1. 1. 1.] with shape: (3,)")
    with pytest.raises(TypeError, match="Cannot convert 0.0 to EagerTensor of dtype int64"):
        linalg.band_part(SQ, 0.0, 0)


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
    with pytest.raises(ValueError, match="Only one of `transpose_a` and `adjoint_a`"):
        linalg.matvec(np.ones((2, 3)), np.ones(2), transpose_a=True, adjoint_a=True)


def test_matvec(rng):
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 1, 4))
    result = linalg.matvec(a, b)
    assert result.shape.as_list() == [5, 2, 3]
    np.testing.assert_allclose(result.numpy(), np.einsum("bij,...j->...bi", a, b[:, 0]))
    transposed = linalg.matvec(a, rng.standard_normal(3), transpose_a=True)
    assert transposed.shape.as_list() == [2, 4]


# --- gradients ---------------------------------------------------------------------------

def _squared(t):  # sign-invariant: singular and eigen vectors are defined up to sign
    return t * t


GRADIENT_CASES = {
    "matvec": (lambda a, b: linalg.matvec(a, b), [(2, 3, 4), (4,)]),
    "matvec_transpose": (lambda a, b: linalg.matvec(a, b, transpose_a=True), [(3, 4), (2, 3)]),
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
    "norm": (lambda x: linalg.norm(x), [(3, 4)]),
    "norm_fro": (lambda x: linalg.norm(x, "fro", axis=[0, 1]), [(3, 4)]),
    "norm_1": (lambda x: linalg.norm(x, 1, axis=1), [(3, 4)]),
    "norm_inf_matrix": (lambda x: linalg.norm(x, np.inf, axis=[0, 1]), [(3, 4)]),
    "norm_2_matrix": (lambda x: linalg.norm(x, 2, axis=[-2, -1]), [(2, 3, 4)]),
    "norm_3": (lambda x: linalg.norm(x, 3, axis=0, keepdims=True), [(3, 4)]),
    "trace": (lambda x: linalg.trace(x), [(2, 3, 4)]),
    "diag": (lambda x: linalg.diag(x, k=(-1, 1), num_rows=3), [(2, 3, 3)]),
    "diag_part": (lambda x: linalg.diag_part(x, k=(-1, 2), padding_value=3), [(2, 3, 4)]),
    "set_diag": (lambda x, d: linalg.set_diag(x, d, k=(0, 1)), [(3, 4), (2, 3)]),
    "band_part": (lambda x: linalg.band_part(x, 1, 0), [(3, 4)]),
    "matrix_transpose": (lambda x: linalg.matrix_transpose(x), [(2, 3, 4)]),
    "pinv": (lambda x: linalg.pinv(x), [(4, 3)]),
    "lstsq": (lambda a, b: linalg.lstsq(a, b), [(4, 3), (4, 2)]),
    "lstsq_underdetermined": (lambda a, b: linalg.lstsq(a, b, l2_regularizer=0.5),
                              [(2, 3), (2, 2)]),
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
    "tensordot": (lambda a, b: linalg.tensordot(a, b, [[0, 2], [1, 0]]), [(2, 3, 4), (4, 2, 5)]),
    "tensordot_outer": (lambda a, b: linalg.tensordot(a, b, 0), [(2,), (3,)]),
    "cross": (lambda a, b: linalg.cross(a, b), [(2, 3), (2, 3)]),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradients(name, rng):
    f, spec = GRADIENT_CASES[name]
    if spec[0] == "wc":  # the first input is a well-conditioned square matrix
        args = [_well_conditioned(rng, spec[1])] + [rng.standard_normal(s) for s in spec[2:]]
    else:
        args = [rng.standard_normal(s) for s in spec]
    check_gradients(f, *args, order=2)


def _complex_gradient_check(f, *arrays, eps=1e-6, tol=1e-6, seed=0):
    """TensorFlow's convention for a real loss L of complex z: dL/dRe(z) + i dL/dIm(z)."""
    rng = np.random.default_rng(seed)
    outputs = tf.nest.flatten(f(*[tf.constant(a) for a in arrays]))
    weights = [rng.standard_normal(o.shape) + 1j * rng.standard_normal(o.shape)
               for o in outputs]

    def loss(*tensors):
        total = tf.constant(0.0, tf.float64)
        for output, weight in zip(tf.nest.flatten(f(*tensors)), weights):
            output = tf.cast(output, tf.complex128)
            total = total + tf.cast(tf.reduce_sum(output * weight), tf.float64)  # real part
        return total

    tensors = [tf.constant(a) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        value = loss(*tensors)
    grads = tape.gradient(value, tensors)
    for k, (array, grad) in enumerate(zip(arrays, grads)):
        direction = rng.standard_normal(array.shape) + 1j * rng.standard_normal(array.shape)
        shifted = [[a + sign * eps * direction if j == k else a for j, a in enumerate(arrays)]
                   for sign in (1, -1)]
        numeric = (float(loss(*[tf.constant(a) for a in shifted[0]]))
                   - float(loss(*[tf.constant(a) for a in shifted[1]]))) / (2 * eps)
        analytic = float(np.sum(np.real(np.conj(np.asarray(grad)) * direction)))
        assert abs(analytic - numeric) <= tol * max(1.0, abs(numeric)), (analytic, numeric)


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
    "matvec": (lambda a, b: linalg.matvec(a, b, adjoint_a=True), [(3, 2), (3,)]),
    "cholesky": (lambda x: linalg.cholesky(_spd(x)), [(3, 3)]),
    "qr": (lambda a: linalg.qr(a), [(4, 3)]),
    "qr_wide": (lambda a: linalg.qr(a), [(2, 4)]),
    "svd": (lambda a: (lambda s, u, v: (s, u * tf.math.conj(u), v * tf.math.conj(v)))(
        *linalg.svd(a)), [(3, 4)]),
    "eigh": (lambda x: (lambda e, v: (e, v * tf.math.conj(v)))(*linalg.eigh(_hermitian(x))),
             [(3, 3)]),
    "einsum": (lambda a, b: linalg.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    "norm": (lambda x: linalg.norm(x, 2, axis=[0, 1]), [(3, 4)]),
}


@pytest.mark.parametrize("name", COMPLEX_GRADIENT_CASES)
def test_complex_gradients(name, rng):
    f, spec = COMPLEX_GRADIENT_CASES[name]
    shapes = spec[1:] if spec[0] == "wc" else spec
    args = [rng.standard_normal(s) + 1j * rng.standard_normal(s) for s in shapes]
    if spec[0] == "wc":
        args[0] = args[0] + 3 * np.eye(shapes[0][-1])
    _complex_gradient_check(f, *args)


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
    (lambda a: linalg.norm(a, 2, axis=[0, 1]), [A2],
     [[[0.2201684969923799, 0.46577700667942123], [0.3662732876584223, 0.7748686932176093]]]),
    (lambda a: tf.reduce_sum(linalg.pinv(a)), [np.array([[1.0], [2.0]])],
     [[[-0.04], [-0.28]]]),
    (lambda a, b: tf.reduce_sum(linalg.einsum("...ij,...jk->...ik", a, b)
                                * np.arange(8.0).reshape(2, 2, 2)),
     [np.ones((1, 2, 2)), np.arange(8.0).reshape(2, 2, 2)],
     [[[[42.0, 62.0], [62.0, 98.0]]], [[[2.0, 4.0], [2.0, 4.0]], [[10.0, 12.0], [10.0, 12.0]]]]),
])  # recorded from TF 2.21
def test_gradient_values(f, args, expected):
    for grad, value in zip(_gradient(f, *args), expected):
        np.testing.assert_allclose(grad, value, rtol=1e-9, atol=1e-12)


def test_gradient_edge_cases():  # recorded from TF 2.21
    assert np.isnan(_gradient(lambda x: linalg.norm(x), np.zeros(2))[0]).all()
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
