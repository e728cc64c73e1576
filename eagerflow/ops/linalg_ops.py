"""Matrix products, each op with its gradient: `tf.matmul`, `tf.linalg.matvec`,
`tf.tensordot` and `tf.linalg.cross`; and the helpers the other linear-algebra modules share.

The rest of `tf.linalg` is in einsum_ops (`tf.einsum`), matrix_structure_ops (transposes,
bands, diagonals and the trace), linalg_decomposition_ops (inverses, solves, determinants
and decompositions) and norm_ops (`tf.norm`).
"""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import FailedPreconditionError
from eagerflow.framework.op import op_error, primitive
from eagerflow.framework.tensor import convert_to_tensor, is_tensor
from eagerflow.ops import array_ops, math_ops

# --- helpers shared by the linear-algebra modules ----------------------------------------

def dims_text(shape):
    """A shape as TensorFlow's kernel messages write it: `[2,3]`."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def require_kernel(op_name, array, kernels):
    """Raises TensorFlow's NotFoundError when `array`'s dtype, which the op accepts, is not
    among the NumPy dtypes it has a CPU kernel for."""
    if array.dtype not in kernels:
        raise math_ops.no_kernel(op_name, array.dtype)


def conj_if_complex(x):
    """The conjugate of a complex tensor; a real one unchanged."""
    return math_ops.conj(x) if x.dtype.is_complex else x


def static_shape(value):
    """The shape of a Tensor or of an array-like, without converting it."""
    if is_tensor(value):
        return tuple(value.shape)
    return np.shape(value)


# --- matmul and matvec -------------------------------------------------------------------

# The dtypes TensorFlow has CPU kernels of MatMul for.
_MATMUL_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                  dtypes.complex64, dtypes.complex128)


@primitive("MatMul", dtypes=_MATMUL_DTYPES, dtype_hint=True)
def _matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False):
    for i, x in enumerate((a, b)):
        if x.ndim < 2:
            if max(a.ndim, b.ndim) > 2:  # TensorFlow takes its batched kernel then
                raise op_error("BatchMatMulV2", f"In[{i}] ndims must be >= 2: {x.ndim}")
            raise op_error("MatMul", f"In[{i}] ndims must be >= 2")
    x, y = a, b
    if transpose_a or adjoint_a:
        x = np.swapaxes(x, -1, -2)
        x = np.conjugate(x) if adjoint_a and np.iscomplexobj(x) else x
    if transpose_b or adjoint_b:
        y = np.swapaxes(y, -1, -2)
        y = np.conjugate(y) if adjoint_b and np.iscomplexobj(y) else y
    try:
        return np.matmul(x, y)
    except ValueError:
        raise _matmul_error(a, b, transpose_a or adjoint_a, transpose_b or adjoint_b) from None


def _matmul_error(a, b, flip_a, flip_b):
    """TensorFlow's error, naming the inputs' shapes before any transpose.

    MatMul's errors are raised as InvalidArgumentError directly: the dispatcher would report
    shapes that do not broadcast as "Incompatible shapes".
    """
    shapes = f"In[0]: {dims_text(a.shape)}, In[1]: {dims_text(b.shape)}"
    if a.ndim == b.ndim == 2:
        return op_error("MatMul", f"Matrix size-incompatible: {shapes}")
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        return op_error("BatchMatMulV2", (
            f"In[0] and In[1] must have compatible batch dimensions: {dims_text(a.shape)} vs. "
            f"{dims_text(b.shape)}"))
    return op_error("BatchMatMulV2", f"Matrix size-incompatible: {shapes} {int(flip_a)} "
                                     f"{int(flip_b)}")


@_matmul.gradient
def _matmul_grad(op, dy):
    a, b = op.inputs
    need_a, need_b = op.needs_grad
    adjoint_a, adjoint_b = op.attrs["adjoint_a"], op.attrs["adjoint_b"]
    t_a = op.attrs["transpose_a"] or adjoint_a
    t_b = op.attrs["transpose_b"] or adjoint_b
    # Written for real inputs with transposes. A complex product multiplies a' (a, or
    # conj(a) under adjoint_a) and b'; its gradients take conj(a') and conj(b'), and under
    # adjoint the gradient of a' is conjugated once more to be a's.
    is_complex = a.dtype.is_complex
    if is_complex:
        a = a if adjoint_a else math_ops.conj(a)
        b = b if adjoint_b else math_ops.conj(b)
    if not t_a and not t_b:
        da = (dy, b, False, True)
        db = (a, dy, True, False)
    elif not t_a and t_b:
        da = (dy, b, False, False)
        db = (dy, a, True, False)
    elif t_a and not t_b:
        da = (b, dy, False, True)
        db = (a, dy, False, False)
    else:
        da = (b, dy, True, True)
        db = (dy, a, True, True)
    grads = [_matmul(x, y, transpose_a=ta, transpose_b=tb) if need else None
             for (x, y, ta, tb), need in ((da, need_a), (db, need_b))]
    if is_complex:
        grads = [math_ops.conj(g) if adjoint and g is not None else g
                 for g, adjoint in zip(grads, (adjoint_a, adjoint_b))]
    return grads


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False,
           grad_b=False, name=None):
    """Multiplies matrix `a` by matrix `b`; leading dimensions are batch dimensions that
    broadcast.

    >>> tf.matmul(tf.ones((2, 3)), tf.ones((3, 1))).numpy().tolist()
    [[3.0], [3.0]]
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of `transpose_a` and `adjoint_a` can be True. Received "
                         "`transpose_a`=True, `adjoint_a`=True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of `transpose_b` and `adjoint_b` can be True. Received "
                         "`transpose_b`=True, `adjoint_b`=True.")
    if not (transpose_a or transpose_b or adjoint_a or adjoint_b):
        result = _matmul(a, b)
    else:
        result = _matmul(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b)
    if output_type is not None:
        result = math_ops.cast(result, output_type)
    return result


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """Multiplies matrix `a` by vector `b`, producing `a` * `b`.

    Leading dimensions of both are batch dimensions that broadcast.

    >>> a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    >>> tf.linalg.matvec(a, tf.constant([1.0, 1.0])).numpy().tolist()
    [3.0, 7.0]
    """
    product = matmul(a, array_ops.expand_dims(b, -1), transpose_a=transpose_a,
                     adjoint_a=adjoint_a)
    return array_ops.squeeze(product, axis=-1)


# --- tensordot and cross -----------------------------------------------------------------

def _tensordot_axes(a, axes):
    """The contracted axes of `a` and of `b`, from an int or a pair of lists."""
    if is_tensor(axes) or isinstance(axes, np.ndarray):
        axes = np.asarray(axes).tolist()
    if isinstance(axes, (int, np.integer)):
        rank = len(a.shape)
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > rank:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of "
                             f"tensor {a}.  Received {axes}, vs tensor dimensions {rank}.")
        return list(range(rank - axes, rank)), list(range(axes))
    if len(axes) != 2:
        raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
    a_axes, b_axes = axes
    if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
        a_axes, b_axes = [a_axes], [b_axes]
    a_axes, b_axes = list(a_axes), list(b_axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != "
                         f"{len(b_axes)}.")
    return a_axes, b_axes


def _tensordot_matrix(x, axes, flipped=False):
    """`x` transposed and reshaped to a matrix: free axes by contracted ones (or flipped)."""
    shape = tuple(x.shape)
    axes = [int(i) + len(shape) if i < 0 else int(i) for i in axes]
    free = [i for i in range(len(shape)) if i not in axes]
    free_dims = [shape[i] for i in free]
    size_free = int(np.prod(free_dims, dtype=np.int64))
    size_axes = int(np.prod([shape[i] for i in axes], dtype=np.int64))
    perm = axes + free if flipped else free + axes
    if perm != list(range(len(shape))):
        x = array_ops.transpose(x, perm)
    matrix_shape = [size_axes, size_free] if flipped else [size_free, size_axes]
    if list(x.shape) != matrix_shape:
        x = array_ops.reshape(x, matrix_shape)
    return x, free_dims


def tensordot(a, b, axes, name=None):
    """Tensor contraction of a and b along specified axes and outer product.

    `axes` is an int N (the last N axes of `a` with the first N of `b`) or a pair of axis
    lists `[a_axes, b_axes]`; `axes=0` is the outer product.

    >>> tf.tensordot(tf.ones((2, 3)), tf.ones((3, 4)), 1).shape.as_list()
    [2, 4]
    """
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    a_axes, b_axes = _tensordot_axes(a, axes)
    a_matrix, a_free = _tensordot_matrix(a, a_axes)
    b_matrix, b_free = _tensordot_matrix(b, b_axes, flipped=True)
    product = matmul(a_matrix, b_matrix)
    if list(product.shape) != a_free + b_free:
        product = array_ops.reshape(product, a_free + b_free)
    return product


_CROSS_DTYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16,
                 dtypes.int8, dtypes.int64, dtypes.float16, dtypes.uint16, dtypes.uint32,
                 dtypes.uint64)


@primitive("Cross", dtypes=_CROSS_DTYPES)
def cross(a, b):
    """Compute the pairwise cross product.

    `a` and `b` have the same shape, with 3-element vectors along the last axis.

    >>> tf.linalg.cross(tf.constant([1.0, 0.0, 0.0]), tf.constant([0.0, 1.0, 0.0])).numpy().tolist()
    [0.0, 0.0, 1.0]
    """
    if a.shape != b.shape:
        raise op_error("Cross", f"Both inputs must be of same shape: {dims_text(a.shape)} vs. "
                                f"{dims_text(b.shape)}")
    if a.ndim < 1:
        raise op_error("Cross", f"Input must be at least 1D{dims_text(a.shape)}")
    if a.shape[-1] != 3:
        raise FailedPreconditionError(None, None, "Cross-products are only defined for "
                                                  "3-element vectors. [Op:Cross]")
    return np.cross(a, b)


@cross.gradient
def _cross_grad(op, dy):
    a, b = op.inputs
    return [cross(b, dy), cross(dy, a)]
