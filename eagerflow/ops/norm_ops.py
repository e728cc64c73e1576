"""`tf.norm` (`tf.linalg.norm`): vector norms of any order and the Frobenius, 1, 2 and
infinity norms of matrices, composed of ops (the 2-norm of the singular values)."""

import numpy as np

from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.ops import array_ops, math_ops, reduction_ops
from eagerflow.ops.linalg_decomposition_ops import svd

_MATRIX_NORMS = ["euclidean", "fro", 1, 2, np.inf]
_VECTOR_NORMS = ["euclidean", 1, 2, np.inf]


def _is_ord(value, supported):
    """Whether `value` is one of `supported` (strings compare as strings, numbers as numbers)."""
    if isinstance(value, str):
        return value in [s for s in supported if isinstance(s, str)]
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, bool)
            and any(value == s for s in supported if not isinstance(s, str)))


def _is_positive_number(value):
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, bool) and value > 0)


def _matrix_2_norm(x, axis):
    """The largest singular value over the two axes in `axis`, kept as size-1 axes."""
    rank = len(x.shape)
    axis = [a + rank if a < 0 else a for a in axis]
    perm = [i for i in range(rank) if i not in axis] + axis
    singular_values = svd(array_ops.transpose(x, perm), compute_uv=False)
    largest = reduction_ops.reduce_max(math_ops.abs(singular_values), axis=-1, keepdims=True)
    return array_ops.transpose(array_ops.expand_dims(largest, -1), np.argsort(perm).tolist())


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """Computes the norm of vectors, matrices, and tensors.

    With `axis` None or an int, the vector norm of order `ord` ('euclidean', or a number
    > 0: 1, 2, `np.inf`, p) over all elements or that axis. With a pair of axes, the matrix
    norm: 'fro' or 'euclidean' (Frobenius), 1 (max column sum), `np.inf` (max row sum) or 2
    (the largest singular value). The euclidean norm of a complex tensor is complex.

    >>> float(tf.norm(tf.constant([3.0, 4.0])))
    5.0

    Raises:
      ValueError: for an unsupported `ord` or `axis`.
    """
    keepdims = bool(keepdims) if keepdims is not None else False
    is_matrix_norm = isinstance(axis, (tuple, list)) and len(axis) == 2
    if is_matrix_norm:
        axis = tuple(axis)
        if (not isinstance(axis[0], int) or not isinstance(axis[1], int)
                or axis[0] == axis[1]):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique "
                             f"integers, got {axis}")
        if not _is_ord(ord, _MATRIX_NORMS):
            raise ValueError(f"'ord' must be a supported matrix norm in {_MATRIX_NORMS}, got "
                             f"{ord}")
    else:
        if not (isinstance(axis, int) or axis is None):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique "
                             f"integers, got {axis}")
        if not (_is_ord(ord, _VECTOR_NORMS) or _is_positive_number(ord)):
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        if axis is not None:
            axis = (axis,)
    x = convert_to_tensor(tensor)
    if is_matrix_norm and _is_ord(ord, [2]):
        result = _matrix_2_norm(x, axis)
    elif _is_ord(ord, ["fro", "euclidean", 2]):
        result = math_ops.sqrt(reduction_ops.reduce_sum(x * math_ops.conj(x), axis,
                                                        keepdims=True))
    else:
        result = math_ops.abs(x)
        if ord == 1:
            result = reduction_ops.reduce_sum(result, None if axis is None else axis[0],
                                              keepdims=True)
            if is_matrix_norm:
                result = reduction_ops.reduce_max(result, axis[-1], keepdims=True)
        elif ord == np.inf:
            if is_matrix_norm:
                result = reduction_ops.reduce_sum(result, axis[1], keepdims=True)
            result = reduction_ops.reduce_max(result, None if axis is None else axis[0],
                                              keepdims=True)
        else:
            power = math_ops.pow(result, ord)
            result = math_ops.pow(reduction_ops.reduce_sum(power, axis, keepdims=True),
                                  1.0 / ord)
    if not keepdims:
        result = array_ops.squeeze(result, axis)
    return result
