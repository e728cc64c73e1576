"""Matrix products and linear algebra."""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, primitive
from eagerflow.ops import math_ops

# The dtypes TensorFlow has CPU kernels of MatMul for.
_MATMUL_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                  dtypes.complex64, dtypes.complex128)


def _dims_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


@primitive("MatMul", dtypes=_MATMUL_DTYPES)
def _matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False):
    for i, x in enumerate((a, b)):
        if x.ndim < 2:
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
    shapes = f"In[0]: {_dims_text(a.shape)}, In[1]: {_dims_text(b.shape)}"
    if a.ndim == b.ndim == 2:
        return op_error("MatMul", f"Matrix size-incompatible: {shapes}")
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        return op_error("BatchMatMulV2", (
            f"In[0] and In[1] must have compatible batch dimensions: {_dims_text(a.shape)} vs. "
            f"{_dims_text(b.shape)}"))
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
