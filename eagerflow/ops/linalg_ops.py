"""Matrix products and linear algebra."""

import numpy as np

from eagerflow.framework.op import primitive
from eagerflow.ops import math_ops


def _dims_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


@primitive("MatMul", dtypes="numeric")
def _matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False):
    a, b = np.asarray(a), np.asarray(b)
    for i, x in enumerate((a, b)):
        if x.ndim < 2:
            raise ValueError(f"In[{i}] ndims must be >= 2")
    if transpose_a or adjoint_a:
        a = np.swapaxes(a, -1, -2)
        a = np.conjugate(a) if adjoint_a and np.iscomplexobj(a) else a
    if transpose_b or adjoint_b:
        b = np.swapaxes(b, -1, -2)
        b = np.conjugate(b) if adjoint_b and np.iscomplexobj(b) else b
    if a.shape[-1] != b.shape[-2]:
        if a.ndim == b.ndim == 2:
            raise ValueError(f"Matrix size-incompatible: In[0]: {_dims_text(a.shape)}, In[1]: "
                             f"{_dims_text(b.shape)}")
        raise ValueError(f"In[0] mismatch In[1] shape: {a.shape[-1]} vs. {b.shape[-2]}: "
                         f"{_dims_text(a.shape)} {_dims_text(b.shape)}")
    try:
        return np.matmul(a, b)
    except ValueError:
        raise ValueError(f"In[0] and In[1] must have compatible batch dimensions: "
                         f"{_dims_text(a.shape)} vs. {_dims_text(b.shape)}") from None


@_matmul.gradient
def _matmul_grad(op, dy):
    a, b = op.inputs
    need_a, need_b = op.needs_grad
    t_a = op.attrs["transpose_a"] or op.attrs["adjoint_a"]
    t_b = op.attrs["transpose_b"] or op.attrs["adjoint_b"]
    # Written for real inputs with transposes; complex inputs use conjugates of a and b.
    a, b = math_ops.conj(a), math_ops.conj(b)
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
    return [_matmul(x, y, transpose_a=ta, transpose_b=tb) if need else None
            for (x, y, ta, tb), need in ((da, need_a), (db, need_b))]


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False,
           grad_b=False, name=None):
    """Multiplies matrix `a` by matrix `b`; leading dimensions are batch dimensions that
    broadcast.

    >>> tf.matmul(tf.ones((2, 3)), tf.ones((3, 1))).numpy().tolist()
    [[3.0], [3.0]]
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    if not (transpose_a or transpose_b or adjoint_a or adjoint_b):
        result = _matmul(a, b)
    else:
        result = _matmul(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b)
    if output_type is not None:
        result = math_ops.cast(result, output_type)
    return result
