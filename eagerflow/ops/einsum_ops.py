"""`tf.einsum`: TensorFlow's checks of the equation, NumPy's contraction, and the gradient
as einsums of the upstream gradient with the other inputs."""

import collections
import functools
import re
import string

import numpy as np

from eagerflow.framework.op import op_error, primitive
from eagerflow.ops import creation_ops
from eagerflow.ops.linalg_ops import conj_if_complex, dims_text, require_kernel, static_shape

# The dtypes TensorFlow has CPU kernels of Einsum for.
_EINSUM_KERNELS = (np.float16, np.float32, np.float64, np.int32, np.int64, np.complex64,
                   np.complex128)
_LABELS = string.ascii_letters


@primitive("Einsum", inputs="list")
def _einsum(inputs, equation):
    # `equation` is explicit: every axis has a letter (see `_resolve_einsum`).
    for array in inputs:
        require_kernel("Einsum", array, _EINSUM_KERNELS)
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
    operands = [conj_if_complex(x) for x in op.inputs]
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
                                    f"input shaped {dims_text(shape)} but got dimension "
                                    f"{shape[axis]}")
    try:
        broadcast = np.broadcast_shapes(*ellipses)
    except ValueError:
        raise _einsum_error("Invalid broadcasting dimensions: " + " vs. ".join(
            dims_text(shape) for shape in shapes)) from None
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


def einsum(equation, *inputs, **kwargs):
    """Tensor contraction over specified indices and outer product.

    `equation` names each input's axes with letters (`...` for broadcast batch axes); labels
    missing from the output (after `->`) are summed. Without `->` the output holds, in
    alphabetical order, the labels that appear once.

    >>> tf.einsum("ij,jk->ik", tf.ones((2, 3)), tf.ones((3, 2))).numpy().tolist()
    [[3.0, 3.0], [3.0, 3.0]]

    Raises:
      ValueError: if the equation is malformed or names the wrong number of inputs.
      InvalidArgumentError: if an input's shape does not match its subscripts.
    """
    unknown = [key for key in kwargs if key not in ("name", "optimize")]
    if unknown:
        raise TypeError(f"Invalid keyword arguments for einsum: {', '.join(unknown)}. Valid "
                        "arguments: name, optimize, greedy.")
    shapes = tuple(tuple(static_shape(x)) for x in inputs)
    return _einsum(list(inputs), equation=_resolve_einsum(equation, shapes))
