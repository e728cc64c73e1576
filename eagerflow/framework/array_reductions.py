"""Reductions of ndarrays that NumPy's own loops make slow, in the array's dtype.

NumPy reduces an axis that is not the innermost one as whole-row passes (fast), and the
innermost axis row by row, paying ~60 ns per row: for the short class axis of a batch of
logits (128 x 10) that overhead is nearly all of the time. `sum_array` sums leading axes as
one matrix-vector product; `reduce_axis` reduces one axis, the last one of many rows as a
matrix-vector product (float sums) or, when it is short, over a transposed contiguous copy
(maxima, minima, integer sums). Maxima, minima and integer sums are exact in any order;
float sums differ from NumPy's only in the order of their additions.
"""

import math

import numpy as np

# A last axis up to this long is reduced over a transposed copy; beyond it the copy (whose
# writes stride through memory) costs more than NumPy's per-row overhead saves.
_SHORT_AXIS = 32
# Fewer rows than this: NumPy's per-row overhead is too small to be worth a copy.
_MANY_ROWS = 16
# The longest last axis a float sum does as a matrix-vector product: BLAS accumulates in a
# few partial sums, less accurate than NumPy's pairwise sums over a very long axis.
_BLAS_SUM_AXIS = 1024

_add = np.add
_ones = {}  # (length, dtype) -> a read-only vector of ones for BLAS sums


def _ones_vector(length, dtype):
    """A vector of `length` ones; short ones are kept (read-only) and shared."""
    ones = _ones.get((length, dtype))
    if ones is None:
        ones = np.ones(length, dtype)
        if length <= 4096 and len(_ones) < 256:
            ones.flags.writeable = False
            _ones[(length, dtype)] = ones
    return ones


def sum_array(array, axes, keepdims=False):
    """The sum of ndarray `array` over the sorted `axes`, in its own dtype.

    When the axes are leading ones of a contiguous float array (a bias gradient, a batch
    mean), one matrix-vector product (BLAS) does the sum, 2-10x faster than NumPy's
    row-by-row reduction; anything else goes through `reduce_axis`.
    """
    count = len(axes)
    if (0 < count < array.ndim and axes[-1] == count - 1 and array.dtype.kind == "f"
            and array.dtype.itemsize >= 4 and array.flags.c_contiguous and array.size >= 256):
        rows = math.prod(array.shape[:count])
        total = _ones_vector(rows, array.dtype) @ array.reshape(rows, -1)
        kept = (1,) * count if keepdims else ()
        return total.reshape(kept + array.shape[count:])
    return reduce_axis(np.add, array, axes, keepdims)


def reduce_axis(ufunc, array, axis, keepdims=False):
    """`ufunc.reduce(array, axis)` for `np.add`, `np.maximum` or `np.minimum`, in `array`'s
    dtype. `axis` is an int or a tuple of them; an empty axis is the caller's to handle for
    maxima and minima.

    The last axis of a C-contiguous array with many rows is reduced without NumPy's
    per-row loop: float32 and float64 sums (up to 1024 long) as a matrix-vector product
    with ones; maxima, minima and integer sums, when it is short, over the axis of a
    transposed copy (one pass per element of the axis over all rows). NaNs and infinities
    propagate as in `ufunc.reduce`.

    >>> from eagerflow.framework.array_reductions import reduce_axis
    >>> x = np.arange(40.0).reshape(20, 2)
    >>> reduce_axis(np.maximum, x, -1)[:3].tolist(), reduce_axis(np.add, x, 1)[:3].tolist()
    ([1.0, 3.0, 5.0], [1.0, 5.0, 9.0])
    """
    if type(axis) is tuple and len(axis) == 1:
        axis = axis[0]
    shape = array.shape
    ndim = len(shape)
    if ndim > 1 and (axis == -1 or axis == ndim - 1):
        length = shape[-1]
        rows = array.size // length if length else 0
        if rows > 1 and length > 1 and array.flags.c_contiguous:
            dtype = array.dtype
            kind = dtype.kind
            if ufunc is _add:
                if kind == "f" and dtype.itemsize >= 4 and length <= _BLAS_SUM_AXIS:
                    matrix = array if ndim == 2 else array.reshape(rows, length)
                    return _with_shape(matrix @ _ones_vector(length, dtype), shape, keepdims)
                if kind in "iu" and length <= _SHORT_AXIS and rows >= _MANY_ROWS:
                    columns = array.reshape(rows, length).T.copy()
                    total = _add.reduce(columns, axis=0, dtype=dtype)  # integers wrap, as in TF
                    return _with_shape(total, shape, keepdims)
            elif kind in "fiu" and length <= _SHORT_AXIS and rows >= _MANY_ROWS:
                columns = (array if ndim == 2 else array.reshape(rows, length)).T.copy()
                return _with_shape(ufunc.reduce(columns, axis=0), shape, keepdims)
    if ufunc is _add:
        return _add.reduce(array, axis=axis, dtype=array.dtype, keepdims=keepdims)
    return ufunc.reduce(array, axis=axis, keepdims=keepdims)


def _with_shape(rows, shape, keepdims):
    """The per-row results `rows` in the shape of a reduction of `shape`'s last axis."""
    if keepdims:
        return rows.reshape(shape[:-1] + (1,))
    return rows if len(shape) == 2 else rows.reshape(shape[:-1])
