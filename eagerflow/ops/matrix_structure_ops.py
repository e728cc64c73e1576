"""The structure of (batches of) matrices, each op with its gradient: transposes and the
adjoint, bands, diagonals (`tf.linalg.diag`, `diag_part`, `set_diag`) and the trace."""

import functools

import numpy as np

from eagerflow.framework.op import op_error, primitive
from eagerflow.framework.tensor import is_tensor
from eagerflow.ops import array_ops, creation_ops, math_ops, reduction_ops
from eagerflow.ops.linalg_ops import dims_text, static_shape

# --- transposes and bands ----------------------------------------------------------------

def _rank_of(value):
    return len(value.shape) if is_tensor(value) else np.ndim(value)


def _swap_perm(rank):
    return list(range(rank - 2)) + [rank - 1, rank - 2]


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Transposes last two dimensions of tensor `a`.

    With `conjugate=True` the result is also conjugated (the adjoint).

    >>> tf.linalg.matrix_transpose(tf.constant([[1, 2, 3]])).numpy().tolist()
    [[1], [2], [3]]

    Raises:
      ValueError: if `a` has rank < 2.
    """
    rank = _rank_of(a)
    if rank < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received "
                         f"`a` = {np.asarray(a)} with shape: {tuple(static_shape(a))}")
    return array_ops.transpose(a, _swap_perm(rank), conjugate=conjugate)


def adjoint(matrix, name=None):
    """Transposes the last two dimensions of and conjugates tensor `matrix`.

    >>> tf.linalg.adjoint(tf.constant([[1 + 1j, 2 - 1j]])).numpy().tolist()
    [[(1-1j)], [(2+1j)]]
    """
    return matrix_transpose(matrix, conjugate=True)


def _band_index(value):
    if is_tensor(value) or isinstance(value, np.ndarray):
        value = np.asarray(value)
        if value.dtype.kind not in "iu":
            raise TypeError(f"Cannot convert {value.tolist()!r} to EagerTensor of dtype int64")
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int64")


@primitive("MatrixBandPart", inputs=1)
def _matrix_band_part(input, num_lower, num_upper):
    if input.dtype.kind not in "biufc":
        raise math_ops.no_kernel("MatrixBandPart", input.dtype)
    _check_matrices("MatrixBandPart", input)
    rows, cols = input.shape[-2:]
    if num_lower > rows:
        raise op_error("MatrixBandPart", f"num_lower must be negative or less or equal to "
                                         f"number of rows ({rows}) got: {num_lower}")
    if num_upper > cols:
        raise op_error("MatrixBandPart", f"num_upper must be negative or less or equal to "
                                         f"number of columns ({cols}) got: {num_upper}")
    offset = np.arange(cols)[None, :] - np.arange(rows)[:, None]  # col - row
    keep = np.ones((rows, cols), dtype=bool)
    if num_lower >= 0:
        keep &= offset >= -num_lower
    if num_upper >= 0:
        keep &= offset <= num_upper
    return np.where(keep, input, np.zeros((), input.dtype))


@_matrix_band_part.gradient
def _matrix_band_part_grad(op, dy):
    return [_matrix_band_part(dy, op.attrs["num_lower"], op.attrs["num_upper"])]


def band_part(input, num_lower, num_upper, name=None):
    """Copy a tensor setting everything outside a central band in each innermost matrix to
    zero.

    Keeps `num_lower` subdiagonals and `num_upper` superdiagonals; a negative count keeps
    the whole triangle. `band_part(x, -1, 0)` is the lower triangle.

    >>> tf.linalg.band_part(tf.ones((3, 3)), 0, 1).numpy().tolist()
    [[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    """
    return _matrix_band_part(input, _band_index(num_lower), _band_index(num_upper))


# --- diagonals and the trace -------------------------------------------------------------

_ALIGNMENTS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")


def _diag_index(k):
    """`k` (an int or a pair, maybe a tensor) as a tuple of ints."""
    if is_tensor(k) or isinstance(k, np.ndarray):
        k = np.asarray(k).tolist()
    return tuple(int(i) for i in k) if isinstance(k, (list, tuple)) else (int(k),)


def _diag_range(op_name, k, align):
    if align not in _ALIGNMENTS:
        allowed = ", ".join(f'"{a}"' for a in _ALIGNMENTS)
        raise op_error(op_name, f"Value for attr 'align' of \"{align}\" is not in the list of "
                                f"allowed values: {allowed}")
    if len(k) not in (1, 2):
        raise op_error(op_name, f"diag_index must have only one or two elements, received "
                                f"{len(k)} elements.")
    return k[0], k[-1]


def _check_matrices(op_name, input):
    if input.ndim < 2:
        raise op_error(op_name, f"input must be at least 2-dim, received shape: "
                                f"{dims_text(input.shape)}")


def _diagonals_of(op_name, input, k, align, lower_period=""):
    """The checked diagonal range `k` of the matrices `input`, and their rows and columns."""
    _check_matrices(op_name, input)
    lower, upper = _diag_range(op_name, k, align)
    rows, cols = input.shape[-2:]
    _check_diag_bounds(op_name, lower, upper, rows, cols, lower_period=lower_period)
    return lower, upper, rows, cols


def _check_diag_bounds(op_name, lower, upper, rows, cols, lower_period=""):
    # TensorFlow's MatrixDiagPartV3 has a period after the lower index, nowhere else.
    for which, index, period in (("lower", lower, lower_period), ("upper", upper, "")):
        if not (-rows < index < cols or index == 0):
            raise op_error(op_name, f"{which}_diag_index is out of bound: {index}{period} It "
                                    f"must be between {-rows} and {cols}")
    if lower > upper:
        raise op_error(op_name, f"lower_diag_index must not be larger than upper_diag_index: "
                                f"{lower} > {upper}")


def _diag_length(rows, cols, lower, upper):
    """The length of the longest diagonal in `lower..upper` of a rows x cols matrix."""
    return min(rows + min(upper, 0), cols - max(lower, 0))


@functools.lru_cache(maxsize=256)
def _diag_slots(rows, cols, lower, upper, align):
    """Where the diagonals `upper` down to `lower` of a rows x cols matrix sit in TensorFlow's
    packed layout [num_diags, max_diag_len]: for every element, its (diagonal, slot) in
    the packing and its (row, col) in the matrix. Short diagonals are padded on the left
    (right-aligned) or on the right, as `align` says for super- and subdiagonals."""
    max_len = _diag_length(rows, cols, lower, upper)
    left_super, left_sub = align.startswith("LEFT"), align.endswith("_LEFT")
    diags, slots, row_index, col_index = [], [], [], []
    for d, k in enumerate(range(upper, lower - 1, -1)):
        length = _diag_length(rows, cols, k, k)
        left = (k >= 0 and left_super) or (k <= 0 and left_sub)
        element = np.arange(length)
        diags.append(np.full(length, d))
        slots.append(element if left else element + max_len - length)
        row_index.append(element - min(k, 0))
        col_index.append(element + max(k, 0))
    return tuple(np.concatenate(index) for index in (diags, slots, row_index, col_index))


def _packed_shape(batch, lower, upper, max_len):
    return batch + ((max_len,) if lower == upper else (upper - lower + 1, max_len))


@primitive("MatrixDiagPartV3", inputs=1)
def _matrix_diag_part(input, k=(0,), padding_value=0, align="RIGHT_LEFT"):
    lower, upper, rows, cols = _diagonals_of("MatrixDiagPartV3", input, k, align,
                                             lower_period=".")
    if lower == upper == 0:  # the main diagonal needs no padding
        return np.diagonal(input, axis1=-2, axis2=-1).copy()
    max_len = _diag_length(rows, cols, lower, upper)
    diags, slots, row_index, col_index = _diag_slots(rows, cols, lower, upper, align)
    batch = input.shape[:-2]
    packed = np.full(batch + (upper - lower + 1, max_len), padding_value, dtype=input.dtype)
    packed[..., diags, slots] = input[..., row_index, col_index]
    return packed.reshape(_packed_shape(batch, lower, upper, max_len))


@_matrix_diag_part.gradient
def _matrix_diag_part_grad(op, dy):
    rows, cols = op.inputs[0].shape[-2:]
    return [_matrix_diag(dy, k=op.attrs["k"], num_rows=rows, num_cols=cols,
                         align=op.attrs["align"])]


@primitive("MatrixDiagV3", inputs=1)
def _matrix_diag(diagonal, k=(0,), num_rows=-1, num_cols=-1, padding_value=0,
                 align="RIGHT_LEFT"):
    name = "MatrixDiagV3"
    if diagonal.ndim < 1:
        raise op_error(name, f"diagonal must be at least 1-dim, received shape: "
                             f"{dims_text(diagonal.shape)}")
    lower, upper = _diag_range(name, k, align)
    if lower > upper:
        raise op_error(name, f"lower_diag_index must not be larger than upper_diag_index: "
                             f"{lower} > {upper}")
    num_diags = upper - lower + 1
    if lower != upper and (diagonal.ndim < 2 or diagonal.shape[-2] != num_diags):
        raise op_error(name, "The number of diagonals provided in the input does not match "
                             "the lower_diag_index and upper_diag_index range.")
    max_len = diagonal.shape[-1]
    min_rows, min_cols = max_len - min(upper, 0), max_len + max(lower, 0)
    rows, cols = num_rows, num_cols
    if rows != -1 and rows < min_rows:
        raise op_error(name, "The number of rows is too small.")
    if cols != -1 and cols < min_cols:
        raise op_error(name, "The number of columns is too small.")
    if rows == -1 and cols == -1:
        rows = cols = max(min_rows, min_cols)
    elif rows == -1:
        rows = min_rows
    elif cols == -1:
        cols = min_cols
    if rows != min_rows and cols != min_cols:
        raise op_error(name, "The number of rows or columns is not consistent with the "
                             "specified d_lower, d_upper, and diagonal.")
    batch = diagonal.shape[:-1] if lower == upper else diagonal.shape[:-2]
    packed = diagonal.reshape(batch + (num_diags, max_len))
    diags, slots, row_index, col_index = _diag_slots(rows, cols, lower, upper, align)
    matrix = np.full(batch + (rows, cols), padding_value, dtype=diagonal.dtype)
    matrix[..., row_index, col_index] = packed[..., diags, slots]
    return matrix


@_matrix_diag.gradient
def _matrix_diag_grad(op, dy):
    return [_matrix_diag_part(dy, k=op.attrs["k"], align=op.attrs["align"])]


@primitive("MatrixSetDiagV3")
def _matrix_set_diag(input, diagonal, k=(0,), align="RIGHT_LEFT"):
    name = "MatrixSetDiagV3"
    lower, upper, rows, cols = _diagonals_of(name, input, k, align)
    max_len = _diag_length(rows, cols, lower, upper)
    batch = input.shape[:-2]
    expected = _packed_shape(batch, lower, upper, max_len)
    if diagonal.shape != expected:
        raise op_error(name, (
            "Either first dimensions of diagonal don't match input.shape[:-2], or "
            "diagonal.shape[:-1] is not equal to the longests diagonal in range "
            f"[lower_diag_index:upper_diag_index].\nInput shape: {dims_text(input.shape)}\n"
            f"Diagonal shape: {dims_text(diagonal.shape)}\nExpected diagonal shape: "
            f"{dims_text(expected)}"))
    packed = diagonal.reshape(batch + (upper - lower + 1, max_len))
    diags, slots, row_index, col_index = _diag_slots(rows, cols, lower, upper, align)
    result = np.array(input, copy=True)
    result[..., row_index, col_index] = packed[..., diags, slots]
    return result


@_matrix_set_diag.gradient
def _matrix_set_diag_grad(op, dy):
    input, diagonal = op.inputs
    k, align = op.attrs["k"], op.attrs["align"]
    need_input, need_diagonal = op.needs_grad
    return [_matrix_set_diag(dy, creation_ops.zeros_like(diagonal), k=k, align=align)
            if need_input else None,
            _matrix_diag_part(dy, k=k, align=align) if need_diagonal else None]


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
         align="RIGHT_LEFT"):
    """Returns a batched diagonal tensor with given batched diagonal values.

    The last axis of `diagonal` becomes the diagonal `k` of a (batch of) matrix; with a pair
    `k=(lower, upper)` the last two axes hold the diagonals from `upper` down to `lower`,
    short ones padded as `align` says. `num_rows`, `num_cols` (-1: the smallest fit) and
    `padding_value` shape and fill the rest.

    >>> tf.linalg.diag(tf.constant([1.0, 2.0])).numpy().tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    return _matrix_diag(diagonal, k=_diag_index(k), num_rows=int(num_rows),
                        num_cols=int(num_cols), padding_value=padding_value, align=align)


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):
    """Returns the batched diagonal part of a batched tensor.

    With a pair `k=(lower, upper)` the diagonals from `upper` down to `lower` are stacked,
    short ones padded with `padding_value` on the side `align` says.

    >>> tf.linalg.diag_part(tf.constant([[1, 2], [3, 4]])).numpy().tolist()
    [1, 4]
    """
    return _matrix_diag_part(input, k=_diag_index(k), padding_value=padding_value,
                             align=align)


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):
    """Returns a batched matrix tensor with new batched diagonal values.

    `diagonal` is laid out as `diag_part(input, k=k, align=align)` returns it.

    >>> tf.linalg.set_diag(tf.zeros((2, 2)), tf.constant([1.0, 2.0])).numpy().tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    return _matrix_set_diag(input, diagonal, k=_diag_index(k), align=align)


def trace(x, name=None):
    """Compute the trace of a tensor `x`: the sum of the diagonal of each innermost matrix.

    >>> tf.linalg.trace(tf.constant([[1, 2], [3, 4]])).numpy().tolist()
    5
    """
    return reduction_ops.reduce_sum(diag_part(x), axis=-1)
