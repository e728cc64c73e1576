"""tf.matmul, tf.linalg.matvec, tf.tensordot and tf.linalg.cross: values against NumPy and
TF 2.21, batches, dtypes, errors and gradients."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import linalg
from tests.gradient_check import check_complex_gradients, check_gradients

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


def test_matvec(rng):
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 1, 4))
    result = linalg.matvec(a, b)
    assert result.shape.as_list() == [5, 2, 3]
    np.testing.assert_allclose(result.numpy(), np.einsum("bij,...j->...bi", a, b[:, 0]))
    transposed = linalg.matvec(a, rng.standard_normal(3), transpose_a=True)
    assert transposed.shape.as_list() == [2, 4]
    assert linalg.matvec(tf.constant([[1j, 2], [3, 4]]), tf.constant([1 + 0j, 1j]),
                         adjoint_a=True).numpy().tolist() == [2j, 2 + 4j]  # recorded from TF 2.21
    with pytest.raises(ValueError, match="Only one of `transpose_a` and `adjoint_a`"):
        linalg.matvec(np.ones((2, 3)), np.ones(2), transpose_a=True, adjoint_a=True)


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


# --- gradients ---------------------------------------------------------------------------

GRADIENT_CASES = {
    "matvec": (lambda a, b: linalg.matvec(a, b), [(2, 3, 4), (4,)]),
    "matvec_transpose": (lambda a, b: linalg.matvec(a, b, transpose_a=True), [(3, 4), (2, 3)]),
    "tensordot": (lambda a, b: linalg.tensordot(a, b, [[0, 2], [1, 0]]), [(2, 3, 4), (4, 2, 5)]),
    "tensordot_outer": (lambda a, b: linalg.tensordot(a, b, 0), [(2,), (3,)]),
    "cross": (lambda a, b: linalg.cross(a, b), [(2, 3), (2, 3)]),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradients(name, rng):
    f, spec = GRADIENT_CASES[name]
    check_gradients(f, *[rng.standard_normal(s) for s in spec], order=2)


def test_complex_matvec_gradients(rng):
    args = [rng.standard_normal(s) + 1j * rng.standard_normal(s) for s in [(3, 2), (3,)]]
    check_complex_gradients(lambda a, b: linalg.matvec(a, b, adjoint_a=True), *args)
