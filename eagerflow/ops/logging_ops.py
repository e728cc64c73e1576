"""`tf.print`: prints tensors as TensorFlow formats them, on every call, traced or not.

The print is an op (`PrintV2`) whose forward writes: a tf.function trace records it and
its replay prints on every call. The Python values around the tensors are laid out once,
when `tf.print` is called, into a template the forward fills in.
"""

import logging
import pprint
import sys

import numpy as np

from eagerflow.framework import nest
from eagerflow.framework.op import active_trace, primitive
from eagerflow.framework.tensor import is_tensor

_STREAM_NAMES = {"stdout": "stdout", "stderr": "stderr"}
_LOG_LEVELS = {logging.INFO: "log(info)", logging.WARNING: "log(warning)",
               logging.ERROR: "log(error)", logging.info: "log(info)",
               logging.warning: "log(warning)", logging.warn: "log(warning)",
               logging.error: "log(error)"}
_LOGGERS = {"log(info)": logging.info, "log(warning)": logging.warning,
            "log(error)": logging.error}


def print_v2(*inputs, **kwargs):
    """Prints tensors (and any Python values around them) as TensorFlow formats them.

    Each tensor shows at most `summarize` leading and trailing entries per dimension,
    with "..." between; Python values print as `pprint` shows them.

    >>> import sys
    >>> tf.print("values:", tf.range(10), {"b": tf.constant(1.5), "a": 1},
    ...          output_stream=sys.stdout)
    values: [0 1 2 ... 7 8 9] {'a': 1, 'b': 1.5}

    Args:
      *inputs: tensors, Python values, or nested lists, tuples and dicts of them.
      output_stream: `sys.stderr` (default), `sys.stdout`, a `logging` level or function
        (info, warning, error), or "file://<path>" to append to a file.
      summarize: the entries shown at each end of every dimension (default 3; -1: all).
      sep: the text between inputs (default " ").
      end: the text after the last input (default a newline).
      name: ignored.

    Raises:
      ValueError: for an unknown `output_stream` or keyword argument.
    """
    output_stream = kwargs.pop("output_stream", sys.stderr)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    kwargs.pop("name", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    stream = _stream_name(output_stream)
    summarize = 3 if summarize is None else int(summarize)
    if (len(inputs) == 1 and is_tensor(inputs[0]) and inputs[0].shape.rank == 0
            and inputs[0].dtype.name == "string"):
        template, tensors = None, [inputs[0]]  # a lone string prints as it is, unquoted
    else:
        template, tensors = _template(inputs, sep)
    _print(tensors, template=template, summarize=summarize, output_stream=stream, end=end)


def _stream_name(output_stream):
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        return output_stream
    for name in ("stdout", "stderr"):
        if output_stream is getattr(sys, name) or output_stream is getattr(sys, f"__{name}__"):
            return name
    try:
        return _LOG_LEVELS[output_stream]
    except (KeyError, TypeError):
        raise ValueError(f"Unsupported output stream, logging level, or file."
                         f"{output_stream}. Supported streams are sys.stdout, sys.stderr, "
                         f"tf.logging.info, tf.logging.warning, tf.logging.error. File needs "
                         f"to be in the form of 'file://<filepath>'.") from None


def _template(inputs, sep):
    """The text around the tensors, as the pieces between them, and the tensors in order.

    A Python string input is its own text; any other input is laid out by `pprint` with
    a placeholder string where each tensor goes (so line breaks depend on it, as in TF).
    """
    tensor_free = " ".join(pprint.pformat(nest.map_structure(
        lambda x: "" if is_tensor(x) else x, value)) for value in inputs)
    placeholder = "{}"
    while placeholder in tensor_free:
        placeholder += "0"
    texts, tensors = [], []
    for value in inputs:
        if isinstance(value, str):
            texts.append(value)
            continue
        leaves = nest.flatten(value)
        tensors.extend(leaf for leaf in leaves if is_tensor(leaf))
        texts.append(pprint.pformat(nest.pack_sequence_as(
            value, [placeholder if is_tensor(leaf) else leaf for leaf in leaves])))
    text = sep.join(texts).replace(f"'{placeholder}'", placeholder)
    return tuple(text.split(placeholder)), tensors


@primitive("PrintV2", inputs="list", same_dtype=False, differentiable=False,
           multiple_outputs=True)
def _print(values, template=None, summarize=3, output_stream="stderr", end="\n"):
    # While a tf.function traces, the values are probes: the trace's replay prints.
    if active_trace() is not None:
        return ()
    if template is None:
        text = _element_text(values[0][()], quote=False)
    else:
        pieces = [template[0]]
        for value, piece in zip(values, template[1:]):
            pieces.append(summarize_array(value, summarize))
            pieces.append(piece)
        text = "".join(pieces)
    _write(text + end, output_stream)
    return ()


def _write(text, output_stream):
    if output_stream in _STREAM_NAMES:
        stream = getattr(sys, output_stream)
        stream.write(text)
        stream.flush()
    elif output_stream in _LOGGERS:
        _LOGGERS[output_stream](text.rstrip("\n"))
    else:
        with open(output_stream[len("file://"):], "a", encoding="utf-8") as file:
            file.write(text)


def summarize_array(array, summarize=3):
    """An array as TensorFlow's print shows it: `[0 1 2 ... 7 8 9]`, floats in the fewest
    digits that read back exactly.

    >>> from eagerflow.ops.logging_ops import summarize_array
    >>> print(summarize_array(np.arange(12).reshape(4, 3), summarize=1))
    [[0 ... 2]
     ...
     [9 ... 11]]
    """
    array = np.asarray(array)
    if array.ndim == 0:
        return _element_text(array[()], quote=True)
    limit = array.size if summarize < 0 else min(summarize, array.size)
    heads, elided = [], []
    shown = array
    for axis, count in enumerate(array.shape):
        head = min(limit, count)
        tail_start = max(limit, count - limit)
        heads.append(head)
        elided.append(count > 2 * limit)
        if head < count:
            keep = np.r_[0:head, tail_start:count]
            shown = np.take(shown, keep, axis=axis)
    texts = _element_texts(shown)
    return _nest_text(texts, heads, elided, 0)


def _nest_text(texts, heads, elided, depth):
    """The bracketed text of one block; `heads[d]` of its rows come before the "..."."""
    if texts.ndim == 1:
        items, sep = list(texts), " "
    else:
        items = [_nest_text(row, heads, elided, depth + 1) for row in texts]
        sep = "\n" * (texts.ndim - 1) + " " * (depth + 1)
    head = heads[depth]
    text = sep.join(items[:head])
    if elided[depth]:
        text += sep + "..."
    for item in items[head:]:
        text += sep + item
    return "[" + text + "]"


def _element_texts(array):
    """Each element's text, as an array of str of the same shape."""
    kind = array.dtype.kind
    if kind == "f":
        return _float_texts(array)
    if kind == "b":
        return array.astype(np.int8).astype(str)
    if kind in "iu":
        return array.astype(str)
    if kind == "c":
        return np.full(array.shape, "?", dtype=object)
    return np.vectorize(lambda s: _element_text(s, quote=True), otypes=[object])(array) \
        if array.size else array.astype(str)


def _float_texts(array):
    """The shortest of "%.{6,9}g" (float32 and smaller) or "%.{15,17}g" (float64) that
    reads back to the same value, as TensorFlow writes floats."""
    if array.dtype == np.float64:
        short, full, exact_type = "%.15g", "%.17g", np.float64
    else:
        short, full, exact_type = "%.6g", "%.9g", np.float32
        array = array.astype(np.float32)
    if array.size == 0:
        return array.astype(str)
    # Subnormal numbers print as (signed) zero: TensorFlow's kernels flush them.
    array = np.where(np.abs(array) < np.finfo(array.dtype).tiny, array * 0, array)
    texts = np.char.mod(short, array)
    finite = np.isfinite(array)
    inexact = finite & (texts.astype(exact_type) != array)
    if inexact.any():
        texts = np.where(inexact, np.char.mod(full, array), texts)
    return texts


def _element_text(value, quote):
    if isinstance(value, (bytes, str)):
        data = value.encode("utf-8") if isinstance(value, str) else value
        return f'"{_c_escape(data)}"' if quote else data.decode("utf-8", "replace")
    return str(_element_texts(np.asarray(value))[()])


_C_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord('"'): '\\"',
              ord("'"): "\\'", ord("\\"): "\\\\"}


def _c_escape(data):
    """C-style escaping of UTF-8 bytes: quotes, backslashes and the usual controls by
    letter, other control bytes in three octal digits; non-ASCII text stays as it is."""
    escaped = bytearray()
    for byte in data:
        text = _C_ESCAPES.get(byte)
        if text is None and (byte < 32 or byte == 127):
            text = f"\\{byte:03o}"
        escaped += text.encode("ascii") if text is not None else bytes((byte,))
    return escaped.decode("utf-8", "replace")
