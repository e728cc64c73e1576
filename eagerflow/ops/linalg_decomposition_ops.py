"""Inverses, solves, determinants and decompositions, each op with its gradient.

The decompositions and solvers run NumPy's LAPACK routines over the leading (batch)
dimensions. float32 stays float32; float16, where TensorFlow has a CPU kernel for it
(`inv`, `qr`), is computed in float32 and cast back. Gradient formulas follow Giles, "An
extended collection of matrix derivative results" (inverse, determinant, solves), Murray
and Seeger for the Cholesky factor, Walter and Lehmann and Roberts and Roberts for QR, and
Townsend for the SVD, written with eagerflow ops so that second derivatives work.
"""

import collections

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, primitive
from eagerflow.framework.tensor import convert_to_tensor, is_tensor
from eagerflow.ops import array_ops, creation_ops, math_ops, reduction_ops
from eagerflow.ops.linalg_ops import conj_if_complex, dims_text, matmul, require_kernel
from eagerflow.ops.matrix_structure_ops import adjoint, band_part, diag, diag_part, set_diag

# --- shared by the LAPACK-style ops ------------------------------------------------------

# The dtypes of TensorFlow's LAPACK-style ops (MatrixInverse, Cholesky, MatrixSolve, Qr,
# Svd, SelfAdjointEigV2), in the order its messages list them; the determinants list them
# in another order.
_LINALG_DTYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64,
                  dtypes.complex128)
_DET_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64,
               dtypes.complex128)
# Most of those ops have no float16 CPU kernel in TensorFlow: half passes the op's dtype
# check, then finds no kernel.
_LAPACK_KERNELS = (np.float32, np.float64, np.complex64, np.complex128)


def _check_matrices(op_name, *arrays):
    """The checks TensorFlow's batched linear-algebra kernels share: input 0 has rank >= 2
    and every other input has its rank and batch dimensions (no broadcasting)."""
    first = arrays[0]
    if first.ndim < 2:
        raise op_error(op_name, f"Input tensor 0 must have rank >= 2, got {first.ndim}")
    for other in arrays[1:]:
        if other.ndim != first.ndim:
            raise op_error(op_name, "All input tensors must have the same rank.")
        if other.shape[:-2] != first.shape[:-2]:
            raise op_error(op_name, "All input tensors must have the same outer dimensions.")


def _check_square(op_name, array):
    _check_matrices(op_name, array)
    if array.shape[-1] != array.shape[-2]:
        raise op_error(op_name, "Input matrix must be square.")


def _single(array):
    """float16 in float32: NumPy's LAPACK has no half routines."""
    return array.astype(np.float32) if array.dtype == np.float16 else array


def _conj_swap(array):
    """The adjoint (conjugate transpose) of a batch of matrices, as a NumPy array."""
    swapped = np.swapaxes(array, -1, -2)
    return np.conjugate(swapped) if swapped.dtype.kind == "c" else swapped


def _real(x):
    """The real part of `x`, kept in x's dtype (a cast to the real dtype and back)."""
    if not x.dtype.is_complex:
        return x
    return math_ops.cast(math_ops.cast(x, x.dtype.real_dtype), x.dtype)


def _batch_expand(x):
    """A batch of scalars shaped to multiply a batch of matrices."""
    return array_ops.expand_dims(array_ops.expand_dims(x, -1), -1)


def _safe_reciprocal(x, epsilon=1e-20):
    # TensorFlow's Lorentz broadening: 1/x away from 0, finite (0) at x == 0, so equal
    # eigenvalues or singular values give a finite gradient rather than NaN.
    return x * math_ops.reciprocal(x * x + epsilon)


# --- inverses and solves -----------------------------------------------------------------

@primitive("MatrixInverse", dtypes=_LINALG_DTYPES)
def _matrix_inverse(input, adjoint=False):
    _check_square("MatrixInverse", input)
    matrix = _single(_conj_swap(input) if adjoint else input)
    # TensorFlow refuses an exactly zero (or NaN) pivot of the LU factorisation, as LAPACK
    # does; NaN does not stop LAPACK, so it is looked for first.
    if np.isnan(matrix).any():
        raise op_error("MatrixInverse", "Input is not invertible.")
    try:
        return np.linalg.inv(matrix).astype(input.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise op_error("MatrixInverse", "Input is not invertible.") from None


@_matrix_inverse.gradient
def _matrix_inverse_grad(op, dy):
    (inverse,) = op.outputs
    if op.attrs["adjoint"]:  # y = a^-H: da = -y dy^H y
        return [-matmul(inverse, matmul(dy, inverse, adjoint_a=True))]
    return [-matmul(inverse, matmul(dy, inverse, adjoint_b=True), adjoint_a=True)]


def inv(input, adjoint=False, name=None):
    """Computes the inverse of one or more square invertible matrices or their adjoints
    (conjugate transposes).

    >>> tf.linalg.inv(tf.constant([[2.0, 0.0], [0.0, 4.0]])).numpy().tolist()
    [[0.5, 0.0], [0.0, 0.25]]

    Raises:
      InvalidArgumentError: if a matrix is not square or not invertible.
    """
    return _matrix_inverse(input, adjoint=adjoint) if adjoint else _matrix_inverse(input)


@primitive("MatrixSolve", dtypes=_LINALG_DTYPES)
def _matrix_solve(matrix, rhs, adjoint=False):
    name = "MatrixSolve"
    require_kernel(name, matrix, _LAPACK_KERNELS)
    _check_matrices(name, matrix, rhs)
    if matrix.shape[-1] != matrix.shape[-2]:
        raise op_error(name, "First input (lhs) must be a square matrix.")
    if rhs.shape[-2] != matrix.shape[-1]:
        raise op_error(name, "Input matrix and rhs are incompatible.")
    lhs = _conj_swap(matrix) if adjoint else matrix
    if np.isnan(lhs).any():
        raise op_error(name, "Input matrix is not invertible.")
    try:
        return np.linalg.solve(lhs, rhs)
    except np.linalg.LinAlgError:
        raise op_error(name, "Input matrix is not invertible.") from None


@_matrix_solve.gradient
def _matrix_solve_grad(op, dy):
    matrix, _ = op.inputs
    (solution,) = op.outputs
    adjoint = op.attrs["adjoint"]
    grad_rhs = _matrix_solve(matrix, dy, adjoint=not adjoint)
    if adjoint:
        grad_matrix = -matmul(solution, grad_rhs, adjoint_b=True)
    else:
        grad_matrix = -matmul(grad_rhs, solution, adjoint_b=True)
    return [grad_matrix if op.needs_grad[0] else None, grad_rhs]


def solve(matrix, rhs, adjoint=False, name=None):
    """Solves systems of linear equations.

    Returns `x` with `matrix @ x == rhs` (or `adjoint(matrix) @ x == rhs`); `matrix` and
    `rhs` have the same batch dimensions.

    >>> a = tf.constant([[2.0, 0.0], [0.0, 4.0]])
    >>> tf.linalg.solve(a, tf.constant([[1.0], [1.0]])).numpy().tolist()
    [[0.5], [0.25]]

    Raises:
      InvalidArgumentError: if a matrix is singular or the shapes do not fit.
    """
    return _matrix_solve(matrix, rhs, adjoint=adjoint)


def _substitute(triangle, rhs, lower):
    """Forward (or back) substitution, which runs into inf and NaN on a singular triangle
    the way TensorFlow's solver does, where LAPACK's LU solve would refuse it."""
    n = triangle.shape[-1]
    shape = np.broadcast_shapes(triangle.shape[:-2], rhs.shape[:-2]) + rhs.shape[-2:]
    solution = np.zeros(shape, np.result_type(triangle, rhs))
    for i in (range(n) if lower else range(n - 1, -1, -1)):
        known = np.einsum("...j,...jk->...k", triangle[..., i, :], solution)
        solution[..., i, :] = (rhs[..., i, :] - known) / triangle[..., i, i, None]
    return solution


@primitive("MatrixTriangularSolve", dtypes=_LINALG_DTYPES)
def _matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False):
    name = "MatrixTriangularSolve"
    require_kernel(name, matrix, _LAPACK_KERNELS)
    for i, array in enumerate((matrix, rhs)):
        if array.ndim < 2:
            raise op_error(name, f"In[{i}] ndims must be >= 2: {array.ndim}")
    n = matrix.shape[-1]
    if matrix.shape[-2] != n:
        raise op_error(name, f"In[0] matrices in the last dimensions must be square ({n} =/= "
                             f"{matrix.shape[-2]})")
    try:
        np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    except ValueError:
        raise op_error(name, f"In[0] and In[1] must have compatible batch dimensions: "
                             f"{dims_text(matrix.shape)} vs. {dims_text(rhs.shape)}") from None
    if rhs.shape[-2] != n:
        raise op_error(name, f"In[0] mismatch In[1] shape: {n} vs. {rhs.shape[-2]}: "
                             f"{dims_text(matrix.shape)} {dims_text(rhs.shape)} {int(lower)} "
                             f"{int(adjoint)}")
    triangle = np.tril(matrix) if lower else np.triu(matrix)
    if adjoint:
        triangle = _conj_swap(triangle)
    try:
        return np.linalg.solve(triangle, rhs)
    except np.linalg.LinAlgError:
        return _substitute(triangle, rhs, lower != adjoint)


@_matrix_triangular_solve.gradient
def _matrix_triangular_solve_grad(op, dy):
    matrix, _ = op.inputs
    (solution,) = op.outputs
    lower, adjoint = op.attrs["lower"], op.attrs["adjoint"]
    grad_rhs = _matrix_triangular_solve(matrix, dy, lower=lower, adjoint=not adjoint)
    grad_matrix = None
    if op.needs_grad[0]:
        if adjoint:
            grad_matrix = -matmul(solution, grad_rhs, adjoint_b=True)
        else:
            grad_matrix = -matmul(grad_rhs, solution, adjoint_b=True)
        grad_matrix = band_part(grad_matrix, -1, 0) if lower else band_part(grad_matrix, 0, -1)
    return [grad_matrix, grad_rhs]


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solve systems of linear equations with upper or lower triangular matrices.

    Only the lower (or, with `lower=False`, upper) triangle of `matrix` is read; batch
    dimensions broadcast. A zero on the diagonal gives inf or NaN, not an error.

    >>> a = tf.constant([[2.0, 0.0], [1.0, 1.0]])
    >>> tf.linalg.triangular_solve(a, tf.constant([[2.0], [3.0]])).numpy().tolist()
    [[1.0], [2.0]]
    """
    return _matrix_triangular_solve(matrix, rhs, lower=lower, adjoint=adjoint)


@primitive("Cholesky", dtypes=_LINALG_DTYPES)
def _cholesky(input):
    require_kernel("Cholesky", input, _LAPACK_KERNELS)
    _check_square("Cholesky", input)
    try:
        return np.linalg.cholesky(input)
    except np.linalg.LinAlgError:
        pass
    # TensorFlow fills the lower triangle of each matrix it cannot factor with NaN.
    matrices = input.reshape((-1,) + input.shape[-2:])
    factors = np.zeros_like(matrices)
    failed = np.tril(np.full(input.shape[-2:], np.nan, input.dtype))
    for i, matrix in enumerate(matrices):
        try:
            factors[i] = np.linalg.cholesky(matrix)
        except np.linalg.LinAlgError:
            factors[i] = failed
    return factors.reshape(input.shape)


@_cholesky.gradient
def _cholesky_grad(op, dy):
    # Murray (2016): with phi(x) the lower triangle of x with half its diagonal,
    # da = sym(l^-H phi(l^H dy) l^-1), computed with two triangular solves.
    (factor,) = op.outputs
    middle = matmul(factor, dy, adjoint_a=True)
    middle = band_part(middle, -1, 0) - 0.5 * diag(diag_part(middle))
    left = _matrix_triangular_solve(factor, middle, adjoint=True)
    grad = adjoint(_matrix_triangular_solve(factor, adjoint(left), adjoint=True))
    return [0.5 * (grad + adjoint(grad))]


def cholesky(input, name=None):
    """Computes the Cholesky decomposition of one or more square matrices.

    Returns the lower triangular `l` with `l @ adjoint(l) == input`; only the lower triangle
    of `input` is read. As in TensorFlow, a matrix that is not positive definite gives NaN
    in the lower triangle of its factor rather than an error.

    >>> tf.linalg.cholesky(tf.constant([[4.0, 2.0], [2.0, 2.0]])).numpy().tolist()
    [[2.0, 0.0], [1.0, 1.0]]
    """
    return _cholesky(input)


def cholesky_solve(chol, rhs, name=None):
    """Solves systems of linear eqns `A X = RHS`, given Cholesky factorizations.

    `chol` is `cholesky(A)`; batch dimensions broadcast.

    >>> chol = tf.constant([[2.0, 0.0], [1.0, 1.0]])
    >>> tf.linalg.cholesky_solve(chol, tf.constant([[4.0], [2.0]])).numpy().tolist()
    [[1.0], [0.0]]
    """
    y = _matrix_triangular_solve(chol, rhs, lower=True, adjoint=False)
    return _matrix_triangular_solve(chol, y, lower=True, adjoint=True)


@primitive("MatrixSolveLs", dtypes=_LINALG_DTYPES)
def _matrix_solve_ls(matrix, rhs, fast=False):
    # The minimum-norm least-squares solution (TensorFlow's kernel with fast=False).
    name = "MatrixSolveLs"
    require_kernel(name, matrix, _LAPACK_KERNELS)
    _check_matrices(name, matrix, rhs)
    if matrix.shape[-2] != rhs.shape[-2]:
        raise op_error(name, "Input matrix and rhs are incompatible.")
    matrices = matrix.reshape((-1,) + matrix.shape[-2:])
    rhss = rhs.reshape((-1,) + rhs.shape[-2:])
    solutions = [np.linalg.lstsq(a, b, rcond=None)[0] for a, b in zip(matrices, rhss)]
    shape = matrix.shape[:-2] + (matrix.shape[-1], rhs.shape[-1])
    return np.asarray(solutions, dtype=matrix.dtype).reshape(shape)


@_matrix_solve_ls.gradient
def _matrix_solve_ls_grad(op, dy):
    raise ValueError("Gradient not defined for fast=False")


def _regularized_gramian_cholesky(matrix, l2_regularizer, first_kind):
    """The Cholesky factor of a^H a + l2 I (first kind) or a a^H + l2 I."""
    gramian = matmul(matrix, matrix, adjoint_a=first_kind, adjoint_b=not first_kind)
    if is_tensor(l2_regularizer) or l2_regularizer != 0:
        shape = tuple(matrix.shape)
        size = shape[-1] if first_kind else shape[-2]
        identity = creation_ops.eye(size, batch_shape=shape[:-2], dtype=matrix.dtype)
        gramian = gramian + math_ops.cast(l2_regularizer, matrix.dtype) * identity
    return cholesky(gramian)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """Solves one or more linear least-squares problems.

    With `fast=True` (the default) this solves the normal equations with a Cholesky
    factorization, regularized by `l2_regularizer`: `(a^H a + l2 I)^-1 a^H rhs` when
    `matrix` has at least as many rows as columns, `a^H (a a^H + l2 I)^-1 rhs` otherwise;
    a rank-deficient matrix then gives NaN. With `fast=False` the minimum-norm solution
    is computed by an orthogonal decomposition (without gradient, and `l2_regularizer` is
    ignored, as in TensorFlow).

    >>> a = tf.constant([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> tf.linalg.lstsq(a, tf.constant([[1.0], [2.0], [3.0]])).numpy().tolist()
    [[1.0], [2.0]]
    """
    matrix = convert_to_tensor(matrix)
    if matrix.dtype == dtypes.complex128 and (is_tensor(l2_regularizer) or
                                              l2_regularizer != 0):
        raise NotImplementedError("matrix_solve_ls is currently disabled for complex128 and "
                                  "l2_regularizer != 0 due to poor accuracy.")
    if not fast:
        return _matrix_solve_ls(matrix, rhs, fast=False)
    rows, cols = tuple(matrix.shape)[-2:]
    if rows >= cols:
        chol = _regularized_gramian_cholesky(matrix, l2_regularizer, first_kind=True)
        return cholesky_solve(chol, matmul(matrix, rhs, adjoint_a=True))
    chol = _regularized_gramian_cholesky(matrix, l2_regularizer, first_kind=False)
    return matmul(matrix, cholesky_solve(chol, rhs), adjoint_a=True)


def pinv(a, rcond=None, validate_args=False, name=None):
    """Compute the Moore-Penrose pseudo-inverse of one or more matrices.

    Singular values at most `rcond` times the largest are treated as zero; by default
    `rcond` is `10 * max(rows, cols) * eps` of the dtype.

    >>> tf.linalg.pinv(tf.constant([[2.0, 0.0], [0.0, 0.0]])).numpy().tolist()
    [[0.5, 0.0], [0.0, 0.0]]

    Raises:
      TypeError: if `a` is not a floating tensor.
      ValueError: if `a` has rank < 2.
    """
    a = convert_to_tensor(a)
    if not a.dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {a.dtype.name}).")
    shape = tuple(a.shape)
    if len(shape) < 2:
        raise ValueError(f"Input `a` must have at least 2 dimensions (saw: {len(shape)}).")
    if rcond is None:
        rcond = 10.0 * max(shape[-2:]) * np.finfo(a.dtype.as_numpy_dtype).eps
    rcond = math_ops.cast(rcond, a.dtype)
    singular_values, left, right = svd(a, full_matrices=False, compute_uv=True)
    cutoff = rcond * reduction_ops.reduce_max(singular_values, axis=-1)
    # Small singular values become inf, so that 1/s is 0 and its gradient stays finite.
    infinity = np.array(np.inf, a.dtype.as_numpy_dtype)
    singular_values = math_ops.where(
        math_ops.greater(singular_values, array_ops.expand_dims(cutoff, -1)),
        singular_values, infinity)
    return matmul(right / array_ops.expand_dims(singular_values, -2), left, adjoint_b=True)


# --- determinants ------------------------------------------------------------------------

@primitive("MatrixDeterminant", dtypes=_DET_DTYPES)
def _matrix_determinant(input):
    require_kernel("MatrixDeterminant", input, _LAPACK_KERNELS)
    _check_square("MatrixDeterminant", input)
    return np.asarray(np.linalg.det(input), dtype=input.dtype)


@_matrix_determinant.gradient
def _matrix_determinant_grad(op, dy):
    # d det(a) = det(a) tr(a^-1 da). For complex input the upstream gradient takes the
    # conjugate of det(a); TensorFlow 2.21 leaves it out, which is wrong for complex a.
    (input,) = op.inputs
    (determinant,) = op.outputs
    scale = _batch_expand(dy * conj_if_complex(determinant))
    return [scale * _matrix_inverse(input, adjoint=True)]


def det(input, name=None):
    """Computes the determinant of one or more square matrices.

    >>> float(tf.linalg.det(tf.constant([[1.0, 2.0], [3.0, 4.0]])))
    -2.0
    """
    return _matrix_determinant(input)


LogMatrixDeterminant = collections.namedtuple("LogMatrixDeterminant",
                                              ["sign", "log_abs_determinant"])


@primitive("LogMatrixDeterminant", dtypes=_DET_DTYPES, multiple_outputs=True)
def _log_matrix_determinant(input):
    require_kernel("LogMatrixDeterminant", input, _LAPACK_KERNELS)
    _check_square("LogMatrixDeterminant", input)
    sign, log_abs = np.linalg.slogdet(input)
    return (np.asarray(sign, dtype=input.dtype), np.asarray(log_abs, dtype=input.dtype))


@_log_matrix_determinant.gradient
def _log_matrix_determinant_grad(op, dsign, dlog):
    # log|det a| is real even in a complex dtype: only the real part of its gradient counts.
    (input,) = op.inputs
    return [_batch_expand(_real(dlog)) * _matrix_inverse(input, adjoint=True)]


def slogdet(input, name=None):
    """Computes the sign and the log of the absolute value of the determinant of one or more
    square matrices.

    Returns `(sign, log_abs_determinant)`, with `det == sign * exp(log_abs_determinant)`;
    a singular matrix has sign 0 and log -inf. Both keep the input's dtype (for complex
    input the sign is a unit complex number).

    >>> sign, log_abs = tf.linalg.slogdet(tf.constant([[0.0, 2.0], [1.0, 0.0]]))
    >>> float(sign), round(float(log_abs), 6)
    (-1.0, 0.693147)
    """
    sign, log_abs = _log_matrix_determinant(input)
    return LogMatrixDeterminant(sign, log_abs)


def logdet(matrix, name=None):
    """Computes log of the determinant of a hermitian positive definite matrix.

    Computed from the Cholesky factor: `2 * sum(log(diag(cholesky(matrix))))`, which is real
    even for complex input. A matrix that is not positive definite gives NaN.

    >>> round(float(tf.linalg.logdet(tf.constant([[2.0, 0.0], [0.0, 4.0]]))), 6)
    2.079442
    """
    diagonal = diag_part(cholesky(matrix))
    if diagonal.dtype.is_complex:
        diagonal = math_ops.cast(diagonal, diagonal.dtype.real_dtype)
    return 2.0 * reduction_ops.reduce_sum(math_ops.log(diagonal), axis=-1)


# --- decompositions ----------------------------------------------------------------------

Qr = collections.namedtuple("Qr", ["q", "r"])


@primitive("Qr", dtypes=_LINALG_DTYPES, multiple_outputs=True)
def _qr(input, full_matrices=False):
    _check_matrices("Qr", input)
    q, r = np.linalg.qr(_single(input), mode="complete" if full_matrices else "reduced")
    return (q.astype(input.dtype, copy=False), r.astype(input.dtype, copy=False))


def _solve_right_upper(x, r):
    """x @ r^-H for upper triangular r, by a triangular solve."""
    return adjoint(_matrix_triangular_solve(r, adjoint(x), lower=False))


def _qr_grad_tall(q, r, dq, dr):
    # Roberts and Roberts (arXiv:2009.10071) for rows >= cols and reduced matrices.
    qdq = matmul(q, dq, adjoint_a=True)
    rdr = matmul(r, dr, adjoint_b=True)
    lower = band_part(qdq - adjoint(qdq) + rdr - adjoint(rdr), -1, 0)
    grad = matmul(q, dr + _solve_right_upper(lower, r))
    grad = grad + _solve_right_upper(dq - matmul(q, qdq), r)
    if q.dtype.is_complex:  # the imaginary part of the diagonal of r dr^H - dq^H q
        diagonal = diag(diag_part(rdr - adjoint(qdq)))
        correction = diagonal - _real(diagonal)
        grad = grad + _solve_right_upper(matmul(q, adjoint(correction)), r)
    return grad


@_qr.gradient
def _qr_grad(op, dq, dr):
    (input,) = op.inputs
    q, r = op.outputs
    rows, cols = tuple(input.shape)[-2:]
    r_shape = tuple(r.shape)
    if r_shape[-2] > r_shape[-1] and q.shape[-2] == q.shape[-1]:
        raise NotImplementedError(
            "QrGrad not implemented when nrows > ncols and full_matrices is true. Received "
            f"r.shape={r.shape} with nrows={r_shape[-2]}and ncols={r_shape[-1]}.")
    if rows >= cols:
        return [_qr_grad_tall(q, r, dq, dr)]
    # A wide matrix [x, y] = q [u, v]: x = q u is a square QR, and y = q v adds to dq.
    y = input[..., :, rows:]
    u = r[..., :, :rows]
    du, dv = dr[..., :, :rows], dr[..., :, rows:]
    grad_x = _qr_grad_tall(q, u, dq + matmul(y, dv, adjoint_b=True), du)
    grad_y = matmul(q, dv)
    return [array_ops.concat([grad_x, grad_y], axis=-1)]


def qr(input, full_matrices=False, name=None):
    """Computes the QR decompositions of one or more matrices.

    Returns `Qr(q, r)` with `q @ r == input`, `q` with orthonormal columns and `r` upper
    triangular; `full_matrices=True` makes `q` square.

    >>> q, r = tf.linalg.qr(tf.constant([[3.0, 1.0], [4.0, 2.0]], tf.float64))
    >>> np.round(np.abs(r.numpy()), 6).tolist()
    [[5.0, 2.2], [0.0, 0.4]]
    """
    q, r = _qr(input, full_matrices=full_matrices)
    return Qr(q, r)


@primitive("Svd", dtypes=_LINALG_DTYPES, multiple_outputs=True)
def _svd(tensor, full_matrices=False, compute_uv=True):
    require_kernel("Svd", tensor, _LAPACK_KERNELS)
    _check_matrices("Svd", tensor)
    if not compute_uv:
        return [np.linalg.svd(tensor, compute_uv=False)]
    u, s, vh = np.linalg.svd(tensor, full_matrices=full_matrices)
    return [s, u, _conj_swap(vh)]


@_svd.gradient
def _svd_grad(op, ds, du=None, dv=None):
    # Giles (2008) and Townsend (2016); complex terms after Wan and Zhang (2019), as
    # TensorFlow has them.
    (a,) = op.inputs
    if a.dtype.is_complex:
        ds = math_ops.cast(ds, a.dtype)
    if not op.attrs["compute_uv"]:
        _, u, v = _svd(a, full_matrices=False, compute_uv=True)
        return [matmul(u * array_ops.expand_dims(ds, -2), v, adjoint_b=True)]
    full_matrices = op.attrs["full_matrices"]
    s, u, v = op.outputs
    if a.dtype.is_complex:
        s = math_ops.cast(s, a.dtype)
    m, n = tuple(a.shape)[-2:]
    use_adjoint = m > n  # work on a^H = v s u^H, which is wide
    if use_adjoint:
        m, n, u, v, du, dv = n, m, v, u, dv, du
    if full_matrices and n - m > 1:
        raise NotImplementedError(
            "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True. "
            f"Received: m={m} and n={n} from op input={a} with shape={a.shape}.")
    s_mat = diag(s)
    s2 = s * s
    f = _safe_reciprocal(array_ops.expand_dims(s2, -2) - array_ops.expand_dims(s2, -1))
    f = set_diag(f, creation_ops.zeros_like(s))
    v1, dv1 = v[..., :, :m], dv[..., :, :m]
    f_u = f * matmul(u, du, adjoint_a=True)
    v_dv = matmul(v1, dv1, adjoint_a=True)
    f_v = f * v_dv
    inner = (diag(ds) + matmul(f_u + adjoint(f_u), s_mat)
             + matmul(s_mat, f_v + adjoint(f_v)))
    grad = matmul(u, matmul(inner, v1, adjoint_b=True))
    s_inv_mat = diag(_safe_reciprocal(s))
    if m != n:
        dv1_h = adjoint(dv1)
        rest = dv1_h - matmul(matmul(dv1_h, v1), v1, adjoint_b=True)
        if full_matrices:
            v2, dv2 = v[..., :, m:n], dv[..., :, m:n]
            rest = rest - matmul(matmul(v1, dv2, adjoint_a=True), v2, adjoint_b=True)
        grad = grad + matmul(matmul(u, s_inv_mat), rest)
    if a.dtype.is_complex:
        imaginary = diag(diag_part(v_dv))
        phase = matmul(s_inv_mat, adjoint(imaginary) - imaginary)
        grad = grad + 0.5 * matmul(u, matmul(phase, v1, adjoint_b=True))
    return [adjoint(grad) if use_adjoint else grad]


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Computes the singular value decompositions of one or more matrices.

    Returns `(s, u, v)` with `tensor == u @ diag(s) @ adjoint(v)`, singular values in
    descending order (real even for complex input); `full_matrices=True` makes `u` and `v`
    square. With `compute_uv=False` only `s` is returned.

    >>> tf.linalg.svd(tf.constant([[3.0, 0.0], [0.0, -4.0]]), compute_uv=False).numpy().tolist()
    [4.0, 3.0]
    """
    if not compute_uv:
        (s,) = _svd(tensor, full_matrices=full_matrices, compute_uv=False)
        return s
    s, u, v = _svd(tensor, full_matrices=full_matrices, compute_uv=True)
    return s, u, v


@primitive("SelfAdjointEigV2", dtypes=_LINALG_DTYPES, multiple_outputs=True)
def _self_adjoint_eig(input, compute_v=True):
    name = "SelfAdjointEigV2"
    require_kernel(name, input, _LAPACK_KERNELS)
    _check_square(name, input)
    # NumPy's eigh reads the lower triangle, as TensorFlow's does; TensorFlow returns the
    # (real) eigenvalues in the input's dtype.
    if not compute_v:
        return [np.linalg.eigvalsh(input).astype(input.dtype)]
    e, v = np.linalg.eigh(input)
    return [e.astype(input.dtype), v]


@_self_adjoint_eig.gradient
def _self_adjoint_eig_grad(op, de, dv=None):
    (input,) = op.inputs
    de = _real(de)  # the eigenvalues are real, whatever their dtype
    if op.attrs["compute_v"]:
        e, v = op.outputs
        f = _safe_reciprocal(array_ops.expand_dims(e, -2) - array_ops.expand_dims(e, -1))
        f = set_diag(f, creation_ops.zeros_like(e))
        inner = diag(de) + f * matmul(v, dv, adjoint_a=True)
    else:
        _, v = _self_adjoint_eig(input)
        inner = diag(de)
    grad = matmul(v, matmul(inner, v, adjoint_b=True))
    # The forward reads only the lower triangle: fold the upper half's gradient onto it.
    grad = band_part(grad + adjoint(grad), -1, 0)
    return [set_diag(grad, 0.5 * diag_part(grad))]


def eigh(tensor, name=None):
    """Computes the eigen decomposition of a batch of self-adjoint matrices.

    Returns `(e, v)`: eigenvalues in ascending order and the eigenvectors as the columns of
    `v`, so that `tensor == v @ diag(e) @ adjoint(v)`. Only the lower triangle is read.

    >>> e, v = tf.linalg.eigh(tf.constant([[2.0, 1.0], [1.0, 2.0]]))
    >>> np.round(e.numpy(), 6).tolist()
    [1.0, 3.0]
    """
    e, v = _self_adjoint_eig(tensor)
    return e, v


def eigvalsh(tensor, name=None):
    """Computes the eigenvalues of one or more self-adjoint matrices, in ascending order.

    >>> np.round(tf.linalg.eigvalsh(tf.constant([[2.0, 1.0], [1.0, 2.0]])).numpy(), 6).tolist()
    [1.0, 3.0]
    """
    (e,) = _self_adjoint_eig(tensor, compute_v=False)
    return e


# The general eigendecomposition's outputs are complex: complex64 for float32 and complex64
# inputs, complex128 for float64 and complex128.
_EIG_OUTPUT = {np.dtype(np.float32): np.complex64, np.dtype(np.complex64): np.complex64,
               np.dtype(np.float64): np.complex128, np.dtype(np.complex128): np.complex128}


@primitive("Eig", dtypes=_LINALG_DTYPES, multiple_outputs=True)
def _eig(input, compute_v=True):
    name = "Eig"
    require_kernel(name, input, _LAPACK_KERNELS)
    _check_square(name, input)
    out = _EIG_OUTPUT[input.dtype]
    if not compute_v:
        return [np.linalg.eigvals(input).astype(out)]
    e, v = np.linalg.eig(input)
    return [e.astype(out), v.astype(out)]


@_eig.gradient
def _eig_grad(op, de, dv=None):
    # With A V = V diag(e): dA = V^-H (diag(de) + F o (V^H dV - V^H V diag(Re diag(V^H dV))))
    # V^H, where F[i, j] = conj(1 / (e[j] - e[i])) off the diagonal and 0 on it.
    (input,) = op.inputs
    if op.attrs["compute_v"]:
        e, v = op.outputs
    else:
        e, v = _eig(input)
    inner = diag(de if de is not None else creation_ops.zeros_like(e))
    if op.attrs["compute_v"] and dv is not None:
        f = _safe_reciprocal(array_ops.expand_dims(e, -2) - array_ops.expand_dims(e, -1))
        f = math_ops.conj(set_diag(f, creation_ops.zeros_like(e)))
        vgv = matmul(v, dv, adjoint_a=True)
        kept = diag(diag_part(_real(vgv)))
        inner = inner + f * (vgv - matmul(matmul(v, v, adjoint_a=True), kept))
    grad = _matrix_solve(adjoint(v), matmul(inner, v, adjoint_b=True))
    return [math_ops.cast(grad, input.dtype)]


def eig(tensor, name=None):
    """Computes the eigen decomposition of a batch of (not necessarily symmetric) matrices.

    Returns `(e, v)`, complex: the eigenvalues and the unit-norm eigenvectors as the columns
    of `v`, so that `tensor @ v == v @ diag(e)`.

    >>> e, v = tf.linalg.eig(tf.constant([[2.0, 1.0], [0.0, 3.0]]))
    >>> e.dtype, np.round(e.numpy().real, 6).tolist()
    (tf.complex64, [2.0, 3.0])
    """
    e, v = _eig(tensor)
    return e, v


def eigvals(tensor, name=None):
    """Computes the (complex) eigenvalues of one or more matrices.

    >>> np.round(tf.linalg.eigvals(tf.constant([[0.0, -1.0], [1.0, 0.0]])).numpy(), 6).tolist()
    [1j, -1j]
    """
    (e,) = _eig(tensor, compute_v=False)
    return e
