"""`keras.ops.linalg`: decompositions, solves and norms over `tf.linalg`.

>>> from eagerflow.keras import ops
>>> ops.det(tf.constant([[2.0, 0.0], [0.0, 3.0]]))
<tf.Tensor: shape=(), dtype=float32, numpy=6.0>
"""

import eagerflow as tf
from eagerflow.keras.ops.dispatch import keras_op, promote, to_float


def _square_matrices(x, name):
    if len(x.shape) < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"Expected input {name} to be a square matrix (or a batch of "
                         f"them). Received: {name}.shape={tuple(x.shape)}")


@keras_op("linalg")
def cholesky(x, upper=False):
    x = to_float(x)
    _square_matrices(x, "x")
    lower = tf.linalg.cholesky(x)
    return tf.linalg.adjoint(lower) if upper else lower


@keras_op("linalg")
def cholesky_inverse(x, upper=False):
    """The inverse of `A` from its Cholesky factor `x` (`A = L L^T`, or `U^T U`)."""
    x = to_float(x)
    lower = tf.linalg.adjoint(x) if upper else x
    identity = tf.eye(x.shape[-1], batch_shape=tuple(x.shape[:-2]), dtype=x.dtype)
    return tf.linalg.cholesky_solve(lower, identity)


@keras_op("linalg")
def det(x):
    x = to_float(x)
    _square_matrices(x, "x")
    return tf.linalg.det(x)


@keras_op("linalg")
def eig(x):
    """Eigenvalues and eigenvectors of square matrices, complex."""
    return tf.linalg.eig(to_float(x))


@keras_op("linalg")
def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices."""
    return tf.linalg.eigh(to_float(x))


@keras_op("linalg")
def inv(x):
    x = to_float(x)
    _square_matrices(x, "x")
    return tf.linalg.inv(x)


@keras_op("linalg", operands=2)
def lstsq(a, b, rcond=None):
    """The least-squares solution of `a @ x = b`, through the pseudo-inverse of `a`
    (singular values below `rcond * largest` dropped)."""
    a, b = promote(to_float(a), to_float(b))
    vector = len(b.shape) == 1
    if vector:
        b = tf.expand_dims(b, -1)
    solution = tf.matmul(pinv(a, rcond=rcond), b)
    return tf.squeeze(solution, -1) if vector else solution


@keras_op("linalg")
def matrix_rank(x, tol=None):
    x = to_float(x)
    singular = tf.linalg.svd(x, compute_uv=False)
    if tol is None:
        eps = 1.19e-07 if x.dtype == tf.float32 else 2.22e-16
        tol = tf.reduce_max(singular, -1, keepdims=True) * float(max(x.shape[-2:])) * eps
    return tf.reduce_sum(tf.cast(singular > tol, tf.int32), -1)


@keras_op("linalg")
def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    """Vector or matrix norms, NumPy's `norm`: ord None/"fro"/"nuc"/inf/-inf/int."""
    x = to_float(x)
    rank = len(x.shape)
    if axis is None:
        axis = tuple(range(rank))
    elif isinstance(axis, int):
        axis = (axis,)
    axis = tuple(a % rank for a in axis)
    if len(axis) == 1:
        if ord is None or ord == 2:
            return tf.sqrt(tf.reduce_sum(tf.square(x), axis, keepdims=keepdims))
        if ord == float("inf"):
            return tf.reduce_max(tf.abs(x), axis, keepdims=keepdims)
        if ord == float("-inf"):
            return tf.reduce_min(tf.abs(x), axis, keepdims=keepdims)
        if ord == 0:
            return tf.reduce_sum(tf.cast(tf.not_equal(x, 0), x.dtype), axis, keepdims=keepdims)
        if isinstance(ord, str):
            raise ValueError(f"Invalid `ord` argument for vector norm. Received: ord={ord}")
        return tf.pow(tf.reduce_sum(tf.pow(tf.abs(x), ord), axis, keepdims=keepdims), 1.0 / ord)
    if len(axis) != 2:
        raise ValueError(f"Invalid axis values. Received: axis={axis}")
    if ord is None or ord == "fro":
        return tf.sqrt(tf.reduce_sum(tf.square(x), axis, keepdims=keepdims))
    row, col = axis
    if ord in (1, -1):
        sums = tf.reduce_sum(tf.abs(x), row, keepdims=True)
        reduce = tf.reduce_max if ord == 1 else tf.reduce_min
        return _squeeze_kept(reduce(sums, col, keepdims=True), axis, keepdims)
    if ord in (float("inf"), float("-inf")):
        sums = tf.reduce_sum(tf.abs(x), col, keepdims=True)
        reduce = tf.reduce_max if ord > 0 else tf.reduce_min
        return _squeeze_kept(reduce(sums, row, keepdims=True), axis, keepdims)
    if ord in ("nuc", 2, -2):
        moved = tf.transpose(x, [a for a in range(rank) if a not in axis] + list(axis))
        singular = tf.linalg.svd(moved, compute_uv=False)
        result = {"nuc": tf.reduce_sum, 2: tf.reduce_max, -2: tf.reduce_min}[ord](singular, -1)
        if keepdims:
            for a in sorted(axis):
                result = tf.expand_dims(result, a)
        return result
    raise ValueError(f"Invalid `ord` argument for matrix norm. Received: ord={ord}")


def _squeeze_kept(value, axis, keepdims):
    return value if keepdims else tf.squeeze(value, list(axis))


@keras_op("linalg")
def pinv(x, rcond=None):
    x = to_float(x)
    if rcond is None:
        eps = 1.19e-07 if x.dtype == tf.float32 else 2.22e-16
        rcond = 10.0 * max(x.shape[-2:]) * eps
    return tf.linalg.pinv(x, rcond=rcond)


@keras_op("linalg")
def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` argument value not supported. Expected one of "
                         f"{{'reduced', 'complete'}}. Received: mode={mode}")
    return tf.linalg.qr(to_float(x), full_matrices=mode == "complete")


@keras_op("linalg", operands=2)
def solve(a, b):
    a, b = promote(to_float(a), to_float(b))
    vector = len(b.shape) == len(a.shape) - 1
    if vector:
        b = tf.expand_dims(b, -1)
    solution = tf.linalg.solve(a, b)
    return tf.squeeze(solution, -1) if vector else solution


@keras_op("linalg", operands=2)
def solve_triangular(a, b, lower=False):
    a, b = promote(to_float(a), to_float(b))
    vector = len(b.shape) == len(a.shape) - 1
    if vector:
        b = tf.expand_dims(b, -1)
    solution = tf.linalg.triangular_solve(a, b, lower=lower)
    return tf.squeeze(solution, -1) if vector else solution


@keras_op("linalg")
def svd(x, full_matrices=True, compute_uv=True):
    """NumPy's convention: `u, s, vh` with `x = u @ diag(s) @ vh`."""
    x = to_float(x)
    if not compute_uv:
        return tf.linalg.svd(x, full_matrices=full_matrices, compute_uv=False)
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    return u, s, tf.linalg.adjoint(v)


def jvp(fun, primals, tangents, has_aux=False):
    """The forward-mode product J(primals) @ tangents, by the double-backward trick: the
    gradient of (u . J^T) with respect to u is J @ tangents."""
    primals = [to_float(p) for p in primals]
    tangents = [to_float(t) for t in tangents]
    with tf.GradientTape() as outer:
        with tf.GradientTape(persistent=True) as inner:
            inner.watch(primals)
            result = fun(*primals)
            outputs, aux = (result if has_aux else (result, None))
        flat = tf.nest.flatten(outputs)
        dummies = [tf.zeros_like(o) for o in flat]
        outer.watch(dummies)
        vjps = inner.gradient(flat, primals, output_gradients=dummies,
                              unconnected_gradients="zero")
        total = tf.add_n([tf.reduce_sum(g * t) for g, t in zip(vjps, tangents)])
    directional = outer.gradient(total, dummies, unconnected_gradients="zero")
    tangent_out = tf.nest.pack_sequence_as(outputs, directional)
    return (outputs, tangent_out, aux) if has_aux else (outputs, tangent_out)


@keras_op("linalg")
def lu_factor(x):
    """The LU factorization with partial pivoting of square matrices: `lu` holds U on and
    above the diagonal and L's multipliers below it; `pivots[i]` is the row where row i of
    `x` ends up (what Keras on TensorFlow returns). One vectorized elimination step per
    column."""
    a = to_float(x)
    _square_matrices(a, "x")
    n = a.shape[-1]
    batch_dims = len(a.shape) - 2
    rows = tf.reshape(tf.range(n), (n, 1))
    cols = tf.reshape(tf.range(n), (1, n))
    order = tf.broadcast_to(tf.range(n), tuple(a.shape[:-1]))
    for k in range(n):
        pivot_index = tf.cast(tf.argmax(tf.abs(a[..., k:, k]), axis=-1), tf.int32) + k
        pivot_index = tf.expand_dims(pivot_index, -1)
        positions = tf.range(n)
        swap = tf.where(tf.equal(positions, k), pivot_index,
                        tf.where(tf.equal(positions, pivot_index), k, positions))
        a = tf.gather(a, swap, axis=batch_dims, batch_dims=batch_dims)
        order = tf.gather(order, swap, axis=batch_dims, batch_dims=batch_dims)
        pivot_row = a[..., k:k + 1, :]
        multipliers = a[..., :, k:k + 1] / a[..., k:k + 1, k:k + 1]
        below = rows > k
        update = tf.logical_and(below, cols > k)
        a = tf.where(update, a - multipliers * pivot_row, a)
        a = tf.where(tf.logical_and(below, tf.equal(cols, k)), multipliers, a)
    return a, tf.cast(tf.argsort(order, axis=-1), tf.int32)
