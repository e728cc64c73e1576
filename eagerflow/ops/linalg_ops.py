"""Matrix products, linear algebra and decompositions, each op with its gradient.

The decompositions and solvers run NumPy's LAPACK routines over the leading (batch)
dimensions. float32 stays float32; float16, where TensorFlow has a CPU kernel for it
(`inv`, `qr`), is computed in float32 and cast back. Gradient formulas follow Giles, "An
extended collection of matrix derivative results" (inverse, determinant, solves), Murray
and Seeger for the Cholesky factor, Walter and Lehmann and Roberts and Roberts for QR, and
Townsend for the SVD, written with eagerflow ops so that second derivatives work.
"""

import collections
import functools
import re
import string

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import FailedPreconditionError
from eagerflow.framework.op import op_error, primitive
from eagerflow.framework.tensor import convert_to_tensor, is_tensor
from eagerflow.ops import array_ops, creation_ops, math_ops, reduction_ops

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


# --- shared helpers ----------------------------------------------------------------------

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


def _require_kernel(op_name, array, kernels=_LAPACK_KERNELS):
    if array.dtype not in kernels:
        raise math_ops.no_kernel(op_name, array.dtype)


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


def _swap_perm(rank):
    return list(range(rank - 2)) + [rank - 1, rank - 2]


def _adjoint(x):
    """The conjugate transpose of a batch of matrices, as a recorded op."""
    return array_ops.transpose(x, _swap_perm(len(x.shape)), conjugate=True)


def _real(x):
    """The real part of `x`, kept in x's dtype (a cast to the real dtype and back)."""
    if not x.dtype.is_complex:
        return x
    return math_ops.cast(math_ops.cast(x, x.dtype.real_dtype), x.dtype)


def _conj_if_complex(x):
    return math_ops.conj(x) if x.dtype.is_complex else x


def _batch_expand(x):
    """A batch of scalars shaped to multiply a batch of matrices."""
    return array_ops.expand_dims(array_ops.expand_dims(x, -1), -1)


def _safe_reciprocal(x, epsilon=1e-20):
    # TensorFlow's Lorentz broadening: 1/x away from 0, finite (0) at x == 0, so equal
    # eigenvalues or singular values give a finite gradient rather than NaN.
    return x * math_ops.reciprocal(x * x + epsilon)


def _rank_of(value):
    return len(value.shape) if is_tensor(value) else np.ndim(value)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """Multiplies matrix `a` by vector `b`, producing `a` * `b`.

    Leading dimensions of both are batch dimensions that broadcast.

    >>> from eagerflow.ops.linalg_ops import matvec
    >>> matvec(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([1.0, 1.0])).numpy().tolist()
    [3.0, 7.0]
    """
    product = matmul(a, array_ops.expand_dims(b, -1), transpose_a=transpose_a,
                     adjoint_a=adjoint_a)
    return array_ops.squeeze(product, axis=-1)


# --- einsum ------------------------------------------------------------------------------

# The dtypes TensorFlow has CPU kernels of Einsum for.
_EINSUM_KERNELS = (np.float16, np.float32, np.float64, np.int32, np.int64, np.complex64,
                   np.complex128)
_LABELS = string.ascii_letters


@primitive("Einsum", inputs="list")
def _einsum(inputs, equation):
    # `equation` is explicit: every axis has a letter (see `_resolve_einsum`).
    for array in inputs:
        _require_kernel("Einsum", array, _EINSUM_KERNELS)
    # NumPy's contraction-path search (which also routes pairs through BLAS) costs tens of
    # microseconds: worth it for three or more operands or large ones, not for small pairs.
    optimize = len(inputs) > 2 or (len(inputs) == 2 and inputs[0].size + inputs[1].size > 2048)
    return np.asarray(np.einsum(equation, *inputs, optimize=optimize))


@_einsum.gradient
def _einsum_grad(op, dy):
    # The gradient for an input contracts dy with the other inputs (conjugated, as
    # TensorFlow does) back to that input's labels; its summed-only labels broadcast back
    # and its repeated labels (diagonals) are put back with identity matrices.
    in_subs, out_subs = op.attrs["equation"].split("->")
    subscripts = in_subs.split(",")
    operands = [_conj_if_complex(x) for x in op.inputs]
    grads = []
    for i, (x, needed) in enumerate(zip(op.inputs, op.needs_grad)):
        if not needed:
            grads.append(None)
            continue
        others = [out_subs] + subscripts[:i] + subscripts[i + 1:]
        present = set("".join(others))
        labels = subscripts[i]
        kept = "".join(dict.fromkeys(label for label in labels if label in present))
        grad = _einsum([dy] + operands[:i] + operands[i + 1:],
                       equation=",".join(others) + "->" + kept)
        if kept != labels:
            grad = _einsum_expand(grad, kept, labels, present, tuple(x.shape),
                                  op.attrs["equation"])
        grads.append(grad)
    return grads


def _einsum_expand(grad, kept, labels, present, shape, equation):
    """`grad` (labelled `kept`) broadcast and diagonal-embedded to an input labelled `labels`."""
    sizes = dict(zip(labels, shape))
    fresh = iter(c for c in _LABELS if c not in equation)
    operands, subscripts, out = [grad], [kept], []
    for label in labels:
        if label in out:  # a repeated label: delta(label, new) places grad on the diagonal
            new = next(fresh)
            operands.append(creation_ops.eye(sizes[label], dtype=grad.dtype))
            subscripts.append(label + new)
            out.append(new)
            continue
        out.append(label)
        if label not in present:  # summed in the forward only here: its gradient broadcasts
            operands.append(creation_ops.ones((sizes[label],), grad.dtype))
            subscripts.append(label)
    return _einsum(operands, equation=",".join(subscripts) + "->" + "".join(out))


def _einsum_error(message):
    return op_error("Einsum", message)


@functools.lru_cache(maxsize=512)
def _resolve_einsum(equation, shapes):
    """TensorFlow's checks of an einsum equation against its inputs' shapes, and the
    equation with `...` and the implicit output spelled out as letters.

    An ellipsis becomes one letter per broadcast dimension; where an input has size 1
    against a larger broadcast size, its axis gets a letter of its own (summed over size 1).
    """
    resolved = equation.replace(" ", "")
    allowed = "a-zA-Z"
    if "..." in equation:
        if "0" in resolved:
            raise ValueError(f'Invalid character "0" in equation: {equation}.')
        resolved = resolved.replace("...", "0")  # TensorFlow's stand-in for an ellipsis
        allowed += "0"
    match = re.match(f"^([{allowed},]*)(->[{allowed}]*)?$", resolved)
    if not match:
        raise ValueError(f"Subscripts have incorrect format: {resolved}")
    input_subs = match.group(1).split(",")
    if len(shapes) != len(input_subs):
        raise ValueError(f'Got {len(shapes)} inputs for equation "{equation}", expecting '
                         f"{len(input_subs)}")
    if match.group(2) is None:  # implicit output: the labels seen once, sorted
        counts = collections.Counter(match.group(1))
        output = "".join(c for c in sorted(counts) if c != "," and counts[c] == 1)
    else:
        output = match.group(2)[2:]
    if len(set(output)) != len(output):
        raise ValueError(f"Output subscripts contain a label appearing more than once: "
                         f"{equation}")
    for label in output:
        if label != "0" and label not in match.group(1):
            raise ValueError(f"Output subscripts contain the label {label} not present in the "
                             "input subscripts.")
    for subs in input_subs:
        if subs.count("0") > 1:
            raise ValueError(f"Too many ellipses in input label {subs.replace('0', '...')}.")

    sizes, ellipses = {}, []
    for i, (subs, shape) in enumerate(zip(input_subs, shapes)):
        named = subs.replace("0", "")
        if "0" not in subs and len(shape) != len(named):
            raise _einsum_error(f"Expected input {i} to have rank {len(named)} but got: "
                                f"{len(shape)}")
        if "0" in subs and len(shape) < len(named):
            raise _einsum_error(f"Expected input {i} to have rank at least {len(named)} but "
                                f"got: {len(shape)}")
        start = subs.find("0")
        ellipsis_rank = len(shape) - len(named)
        ellipses.append(shape[start:start + ellipsis_rank] if start >= 0 else ())
        for axis, label in enumerate(subs.replace("0", "_" * ellipsis_rank)):
            if label == "_":
                continue
            expected = sizes.setdefault(label, shape[axis])
            if shape[axis] != expected:
                raise _einsum_error(f"Expected dimension {expected} at axis {axis} of the "
                                    f"input shaped {_dims_text(shape)} but got dimension "
                                    f"{shape[axis]}")
    try:
        broadcast = np.broadcast_shapes(*ellipses)
    except ValueError:
        raise _einsum_error("Invalid broadcasting dimensions: " + " vs. ".join(
            _dims_text(shape) for shape in shapes)) from None
    if broadcast and "0" not in output:
        raise _einsum_error(f"Output contains {len(broadcast)} broadcasting dimension(s) but "
                            "no ellipsis (...) was found in the output subscripts.")

    fresh = iter(c for c in _LABELS if c not in resolved)
    try:
        batch = [next(fresh) for _ in broadcast]
        explicit = []
        for subs, dims in zip(input_subs, ellipses):
            offset = len(broadcast) - len(dims)
            letters = [batch[offset + k] if size == broadcast[offset + k] else next(fresh)
                       for k, size in enumerate(dims)]
            explicit.append(subs.replace("0", "".join(letters)))
    except StopIteration:
        raise ValueError(f"einsum equation {equation!r} needs more than {len(_LABELS)} "
                         "distinct axis labels") from None
    return ",".join(explicit) + "->" + output.replace("0", "".join(batch))


def _static_shape(value):
    if is_tensor(value):
        return tuple(value.shape)
    return np.shape(value)


def einsum(equation, *inputs, **kwargs):
    """Tensor contraction over specified indices and outer product.

    `equation` names each input's axes with letters (`...` for broadcast batch axes); labels
    missing from the output (after `->`) are summed. Without `->` the output holds, in
    alphabetical order, the labels that appear once.

    >>> from eagerflow.ops.linalg_ops import einsum
    >>> einsum("ij,jk->ik", tf.ones((2, 3)), tf.ones((3, 2))).numpy().tolist()
    [[3.0, 3.0], [3.0, 3.0]]

    Raises:
      ValueError: if the equation is malformed or names the wrong number of inputs.
      InvalidArgumentError: if an input's shape does not match its subscripts.
    """
    unknown = [key for key in kwargs if key not in ("name", "optimize")]
    if unknown:
        raise TypeError(f"Invalid keyword arguments for einsum: {', '.join(unknown)}. Valid "
                        "arguments: name, optimize, greedy.")
    shapes = tuple(tuple(_static_shape(x)) for x in inputs)
    return _einsum(list(inputs), equation=_resolve_einsum(equation, shapes))


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

    >>> from eagerflow.ops.linalg_ops import tensordot
    >>> tensordot(tf.ones((2, 3)), tf.ones((3, 4)), 1).shape.as_list()
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

    >>> from eagerflow.ops.linalg_ops import cross
    >>> cross(tf.constant([1.0, 0.0, 0.0]), tf.constant([0.0, 1.0, 0.0])).numpy().tolist()
    [0.0, 0.0, 1.0]
    """
    if a.shape != b.shape:
        raise op_error("Cross", f"Both inputs must be of same shape: {_dims_text(a.shape)} vs. "
                                f"{_dims_text(b.shape)}")
    if a.ndim < 1:
        raise op_error("Cross", f"Input must be at least 1D{_dims_text(a.shape)}")
    if a.shape[-1] != 3:
        raise FailedPreconditionError(None, None, "Cross-products are only defined for "
                                                  "3-element vectors. [Op:Cross]")
    return np.cross(a, b)


@cross.gradient
def _cross_grad(op, dy):
    a, b = op.inputs
    return [cross(b, dy), cross(dy, a)]


# --- transposes, bands and diagonals -----------------------------------------------------

def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Transposes last two dimensions of tensor `a`.

    With `conjugate=True` the result is also conjugated (the adjoint).

    >>> from eagerflow.ops.linalg_ops import matrix_transpose
    >>> matrix_transpose(tf.constant([[1, 2, 3]])).numpy().tolist()
    [[1], [2], [3]]

    Raises:
      ValueError: if `a` has rank < 2.
    """
    rank = _rank_of(a)
    if rank < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received "
                         f"`a` = {np.asarray(a)} with shape: {tuple(_static_shape(a))}")
    return array_ops.transpose(a, _swap_perm(rank), conjugate=conjugate)


def adjoint(matrix, name=None):
    """Transposes the last two dimensions of and conjugates tensor `matrix`.

    >>> from eagerflow.ops.linalg_ops import adjoint
    >>> adjoint(tf.constant([[1 + 1j, 2 - 1j]])).numpy().tolist()
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
    if input.ndim < 2:
        raise op_error("MatrixBandPart", f"input must be at least 2-dim, received shape: "
                                         f"{_dims_text(input.shape)}")
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

    >>> from eagerflow.ops.linalg_ops import band_part
    >>> band_part(tf.ones((3, 3)), 0, 1).numpy().tolist()
    [[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    """
    return _matrix_band_part(input, _band_index(num_lower), _band_index(num_upper))


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
    name = "MatrixDiagPartV3"
    if input.ndim < 2:
        raise op_error(name, f"input must be at least 2-dim, received shape: "
                             f"{_dims_text(input.shape)}")
    lower, upper = _diag_range(name, k, align)
    rows, cols = input.shape[-2:]
    _check_diag_bounds(name, lower, upper, rows, cols, lower_period=".")
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
                             f"{_dims_text(diagonal.shape)}")
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
    if input.ndim < 2:
        raise op_error(name, f"input must be at least 2-dim, received shape: "
                             f"{_dims_text(input.shape)}")
    lower, upper = _diag_range(name, k, align)
    rows, cols = input.shape[-2:]
    _check_diag_bounds(name, lower, upper, rows, cols)
    max_len = _diag_length(rows, cols, lower, upper)
    batch = input.shape[:-2]
    expected = _packed_shape(batch, lower, upper, max_len)
    if diagonal.shape != expected:
        raise op_error(name, (
            "Either first dimensions of diagonal don't match input.shape[:-2], or "
            "diagonal.shape[:-1] is not equal to the longests diagonal in range "
            f"[lower_diag_index:upper_diag_index].\nInput shape: {_dims_text(input.shape)}\n"
            f"Diagonal shape: {_dims_text(diagonal.shape)}\nExpected diagonal shape: "
            f"{_dims_text(expected)}"))
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

    >>> from eagerflow.ops.linalg_ops import diag
    >>> diag(tf.constant([1.0, 2.0])).numpy().tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    return _matrix_diag(diagonal, k=_diag_index(k), num_rows=int(num_rows),
                        num_cols=int(num_cols), padding_value=padding_value, align=align)


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):
    """Returns the batched diagonal part of a batched tensor.

    With a pair `k=(lower, upper)` the diagonals from `upper` down to `lower` are stacked,
    short ones padded with `padding_value` on the side `align` says.

    >>> from eagerflow.ops.linalg_ops import diag_part
    >>> diag_part(tf.constant([[1, 2], [3, 4]])).numpy().tolist()
    [1, 4]
    """
    return _matrix_diag_part(input, k=_diag_index(k), padding_value=padding_value,
                             align=align)


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):
    """Returns a batched matrix tensor with new batched diagonal values.

    `diagonal` is laid out as `diag_part(input, k=k, align=align)` returns it.

    >>> from eagerflow.ops.linalg_ops import set_diag
    >>> set_diag(tf.zeros((2, 2)), tf.constant([1.0, 2.0])).numpy().tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    return _matrix_set_diag(input, diagonal, k=_diag_index(k), align=align)


def trace(x, name=None):
    """Compute the trace of a tensor `x`: the sum of the diagonal of each innermost matrix.

    >>> from eagerflow.ops.linalg_ops import trace
    >>> trace(tf.constant([[1, 2], [3, 4]])).numpy().tolist()
    5
    """
    return reduction_ops.reduce_sum(diag_part(x), axis=-1)


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

    >>> from eagerflow.ops.linalg_ops import inv
    >>> inv(tf.constant([[2.0, 0.0], [0.0, 4.0]])).numpy().tolist()
    [[0.5, 0.0], [0.0, 0.25]]

    Raises:
      InvalidArgumentError: if a matrix is not square or not invertible.
    """
    return _matrix_inverse(input, adjoint=adjoint) if adjoint else _matrix_inverse(input)


@primitive("MatrixSolve", dtypes=_LINALG_DTYPES)
def _matrix_solve(matrix, rhs, adjoint=False):
    name = "MatrixSolve"
    _require_kernel(name, matrix)
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

    >>> from eagerflow.ops.linalg_ops import solve
    >>> solve(tf.constant([[2.0, 0.0], [0.0, 4.0]]), tf.constant([[1.0], [1.0]])).numpy().tolist()
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
    _require_kernel(name, matrix)
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
                             f"{_dims_text(matrix.shape)} vs. {_dims_text(rhs.shape)}") from None
    if rhs.shape[-2] != n:
        raise op_error(name, f"In[0] mismatch In[1] shape: {n} vs. {rhs.shape[-2]}: "
                             f"{_dims_text(matrix.shape)} {_dims_text(rhs.shape)} {int(lower)} "
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
        grad_matrix = _matrix_band_part(grad_matrix, -1, 0) if lower else _matrix_band_part(
            grad_matrix, 0, -1)
    return [grad_matrix, grad_rhs]


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solve systems of linear equations with upper or lower triangular matrices.

    Only the lower (or, with `lower=False`, upper) triangle of `matrix` is read; batch
    dimensions broadcast. A zero on the diagonal gives inf or NaN, not an error.

    >>> from eagerflow.ops.linalg_ops import triangular_solve
    >>> a = tf.constant([[2.0, 0.0], [1.0, 1.0]])
    >>> triangular_solve(a, tf.constant([[2.0], [3.0]])).numpy().tolist()
    [[1.0], [2.0]]
    """
    return _matrix_triangular_solve(matrix, rhs, lower=lower, adjoint=adjoint)


@primitive("Cholesky", dtypes=_LINALG_DTYPES)
def _cholesky(input):
    _require_kernel("Cholesky", input)
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
    middle = _matrix_band_part(middle, -1, 0) - 0.5 * _matrix_diag(_matrix_diag_part(middle))
    left = _matrix_triangular_solve(factor, middle, adjoint=True)
    grad = _adjoint(_matrix_triangular_solve(factor, _adjoint(left), adjoint=True))
    return [0.5 * (grad + _adjoint(grad))]


def cholesky(input, name=None):
    """Computes the Cholesky decomposition of one or more square matrices.

    Returns the lower triangular `l` with `l @ adjoint(l) == input`; only the lower triangle
    of `input` is read. As in TensorFlow, a matrix that is not positive definite gives NaN
    in the lower triangle of its factor rather than an error.

    >>> from eagerflow.ops.linalg_ops import cholesky
    >>> cholesky(tf.constant([[4.0, 2.0], [2.0, 2.0]])).numpy().tolist()
    [[2.0, 0.0], [1.0, 1.0]]
    """
    return _cholesky(input)


def cholesky_solve(chol, rhs, name=None):
    """Solves systems of linear eqns `A X = RHS`, given Cholesky factorizations.

    `chol` is `cholesky(A)`; batch dimensions broadcast.

    >>> from eagerflow.ops.linalg_ops import cholesky_solve
    >>> chol = tf.constant([[2.0, 0.0], [1.0, 1.0]])
    >>> cholesky_solve(chol, tf.constant([[4.0], [2.0]])).numpy().tolist()
    [[1.0], [0.0]]
    """
    y = _matrix_triangular_solve(chol, rhs, lower=True, adjoint=False)
    return _matrix_triangular_solve(chol, y, lower=True, adjoint=True)


@primitive("MatrixSolveLs", dtypes=_LINALG_DTYPES)
def _matrix_solve_ls(matrix, rhs, fast=False):
    # The minimum-norm least-squares solution (TensorFlow's kernel with fast=False).
    name = "MatrixSolveLs"
    _require_kernel(name, matrix)
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

    >>> from eagerflow.ops.linalg_ops import lstsq
    >>> a = tf.constant([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> lstsq(a, tf.constant([[1.0], [2.0], [3.0]])).numpy().tolist()
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

    >>> from eagerflow.ops.linalg_ops import pinv
    >>> pinv(tf.constant([[2.0, 0.0], [0.0, 0.0]])).numpy().tolist()
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
    _require_kernel("MatrixDeterminant", input)
    _check_square("MatrixDeterminant", input)
    return np.asarray(np.linalg.det(input), dtype=input.dtype)


@_matrix_determinant.gradient
def _matrix_determinant_grad(op, dy):
    # d det(a) = det(a) tr(a^-1 da). For complex input the upstream gradient takes the
    # conjugate of det(a); TensorFlow 2.21 leaves it out, which is wrong for complex a.
    (input,) = op.inputs
    (determinant,) = op.outputs
    scale = _batch_expand(dy * _conj_if_complex(determinant))
    return [scale * _matrix_inverse(input, adjoint=True)]


def det(input, name=None):
    """Computes the determinant of one or more square matrices.

    >>> from eagerflow.ops.linalg_ops import det
    >>> float(det(tf.constant([[1.0, 2.0], [3.0, 4.0]])))
    -2.0
    """
    return _matrix_determinant(input)


LogMatrixDeterminant = collections.namedtuple("LogMatrixDeterminant",
                                              ["sign", "log_abs_determinant"])


@primitive("LogMatrixDeterminant", dtypes=_DET_DTYPES, multiple_outputs=True)
def _log_matrix_determinant(input):
    _require_kernel("LogMatrixDeterminant", input)
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

    >>> from eagerflow.ops.linalg_ops import slogdet
    >>> sign, log_abs = slogdet(tf.constant([[0.0, 2.0], [1.0, 0.0]]))
    >>> float(sign), round(float(log_abs), 6)
    (-1.0, 0.693147)
    """
    sign, log_abs = _log_matrix_determinant(input)
    return LogMatrixDeterminant(sign, log_abs)


def logdet(matrix, name=None):
    """Computes log of the determinant of a hermitian positive definite matrix.

    Computed from the Cholesky factor: `2 * sum(log(diag(cholesky(matrix))))`, which is real
    even for complex input. A matrix that is not positive definite gives NaN.

    >>> from eagerflow.ops.linalg_ops import logdet
    >>> round(float(logdet(tf.constant([[2.0, 0.0], [0.0, 4.0]]))), 6)
    2.079442
    """
    diagonal = _matrix_diag_part(cholesky(matrix))
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
    return _adjoint(_matrix_triangular_solve(r, _adjoint(x), lower=False))


def _qr_grad_tall(q, r, dq, dr):
    # Roberts and Roberts (arXiv:2009.10071) for rows >= cols and reduced matrices.
    qdq = matmul(q, dq, adjoint_a=True)
    rdr = matmul(r, dr, adjoint_b=True)
    lower = _matrix_band_part(qdq - _adjoint(qdq) + rdr - _adjoint(rdr), -1, 0)
    grad = matmul(q, dr + _solve_right_upper(lower, r))
    grad = grad + _solve_right_upper(dq - matmul(q, qdq), r)
    if q.dtype.is_complex:  # the imaginary part of the diagonal of r dr^H - dq^H q
        diagonal = _matrix_diag(_matrix_diag_part(rdr - _adjoint(qdq)))
        correction = diagonal - _real(diagonal)
        grad = grad + _solve_right_upper(matmul(q, _adjoint(correction)), r)
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

    >>> from eagerflow.ops.linalg_ops import qr
    >>> q, r = qr(tf.constant([[3.0, 1.0], [4.0, 2.0]], tf.float64))
    >>> np.round(np.abs(r.numpy()), 6).tolist()
    [[5.0, 2.2], [0.0, 0.4]]
    """
    q, r = _qr(input, full_matrices=full_matrices)
    return Qr(q, r)


@primitive("Svd", dtypes=_LINALG_DTYPES, multiple_outputs=True)
def _svd(tensor, full_matrices=False, compute_uv=True):
    _require_kernel("Svd", tensor)
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
    s_mat = _matrix_diag(s)
    s2 = s * s
    f = _safe_reciprocal(array_ops.expand_dims(s2, -2) - array_ops.expand_dims(s2, -1))
    f = _matrix_set_diag(f, creation_ops.zeros_like(s))
    v1, dv1 = v[..., :, :m], dv[..., :, :m]
    f_u = f * matmul(u, du, adjoint_a=True)
    v_dv = matmul(v1, dv1, adjoint_a=True)
    f_v = f * v_dv
    inner = (_matrix_diag(ds) + matmul(f_u + _adjoint(f_u), s_mat)
             + matmul(s_mat, f_v + _adjoint(f_v)))
    grad = matmul(u, matmul(inner, v1, adjoint_b=True))
    s_inv_mat = _matrix_diag(_safe_reciprocal(s))
    if m != n:
        dv1_h = _adjoint(dv1)
        rest = dv1_h - matmul(matmul(dv1_h, v1), v1, adjoint_b=True)
        if full_matrices:
            v2, dv2 = v[..., :, m:n], dv[..., :, m:n]
            rest = rest - matmul(matmul(v1, dv2, adjoint_a=True), v2, adjoint_b=True)
        grad = grad + matmul(matmul(u, s_inv_mat), rest)
    if a.dtype.is_complex:
        imaginary = _matrix_diag(_matrix_diag_part(v_dv))
        phase = matmul(s_inv_mat, _adjoint(imaginary) - imaginary)
        grad = grad + 0.5 * matmul(u, matmul(phase, v1, adjoint_b=True))
    return [_adjoint(grad) if use_adjoint else grad]


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Computes the singular value decompositions of one or more matrices.

    Returns `(s, u, v)` with `tensor == u @ diag(s) @ adjoint(v)`, singular values in
    descending order (real even for complex input); `full_matrices=True` makes `u` and `v`
    square. With `compute_uv=False` only `s` is returned.

    >>> from eagerflow.ops.linalg_ops import svd
    >>> svd(tf.constant([[3.0, 0.0], [0.0, -4.0]]), compute_uv=False).numpy().tolist()
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
    _require_kernel(name, input)
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
        f = _matrix_set_diag(f, creation_ops.zeros_like(e))
        inner = _matrix_diag(de) + f * matmul(v, dv, adjoint_a=True)
    else:
        _, v = _self_adjoint_eig(input)
        inner = _matrix_diag(de)
    grad = matmul(v, matmul(inner, v, adjoint_b=True))
    # The forward reads only the lower triangle: fold the upper half's gradient onto it.
    grad = _matrix_band_part(grad + _adjoint(grad), -1, 0)
    return [_matrix_set_diag(grad, 0.5 * _matrix_diag_part(grad))]


def eigh(tensor, name=None):
    """Computes the eigen decomposition of a batch of self-adjoint matrices.

    Returns `(e, v)`: eigenvalues in ascending order and the eigenvectors as the columns of
    `v`, so that `tensor == v @ diag(e) @ adjoint(v)`. Only the lower triangle is read.

    >>> from eagerflow.ops.linalg_ops import eigh
    >>> e, v = eigh(tf.constant([[2.0, 1.0], [1.0, 2.0]]))
    >>> np.round(e.numpy(), 6).tolist()
    [1.0, 3.0]
    """
    e, v = _self_adjoint_eig(tensor)
    return e, v


def eigvalsh(tensor, name=None):
    """Computes the eigenvalues of one or more self-adjoint matrices, in ascending order.

    >>> from eagerflow.ops.linalg_ops import eigvalsh
    >>> np.round(eigvalsh(tf.constant([[2.0, 1.0], [1.0, 2.0]])).numpy(), 6).tolist()
    [1.0, 3.0]
    """
    (e,) = _self_adjoint_eig(tensor, compute_v=False)
    return e


# --- norms -------------------------------------------------------------------------------

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

    >>> from eagerflow.ops.linalg_ops import norm
    >>> float(norm(tf.constant([3.0, 4.0])))
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
