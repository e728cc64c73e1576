"""String ops (`tf.strings`): case, length, joining and splitting, substrings, numbers to and
from text, formatting, regular expressions and hashing.

String tensors hold NumPy object arrays of `bytes`; text is UTF-8. None of these ops has a
gradient. Where TensorFlow returns a RaggedTensor (`split` and `bytes_split` of a non-scalar
input) these return nested Python lists of 1-D string tensors, as documented there.
"""

import math
import re

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import OutOfRangeError, UnimplementedError
from eagerflow.framework.op import op_error, primitive, shape_tuple, tf_type_name
from eagerflow.framework.tensor import convert_to_tensor, is_tensor, wrap
from eagerflow.ops import re2
from eagerflow.ops.string_hashes import fingerprint64, legacy_hash64, siphash

__all__ = [
    "as_string", "bytes_split", "format", "join", "length", "lower", "ngrams", "reduce_join",
    "regex_full_match", "regex_replace", "split", "strip", "substr", "to_hash_bucket",
    "to_hash_bucket_fast", "to_hash_bucket_strong", "to_number", "unicode_split", "upper",
]

# --- conversion and element-wise helpers -------------------------------------------------

# TensorFlow names NumPy arrays it cannot read as strings by their Python element type.
_KIND_NAMES = {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex"}


def _string_tensor(op_name, value, index=0):
    """`value` as a string Tensor, refusing numbers with TensorFlow's error for `op_name`.

    Python numbers raise TypeError (they are converted with dtype string), NumPy arrays of
    numbers ValueError, and tensors of another dtype InvalidArgumentError.
    """
    if is_tensor(value):
        tensor = convert_to_tensor(value)
        if tensor.dtype != dtypes.string:
            raise op_error(op_name, (
                f"cannot compute {op_name} as input #{index}(zero-based) was expected to be a "
                f"string tensor but is a {tf_type_name(tensor.dtype)} tensor"))
        return tensor
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.kind in "SU":
            return convert_to_tensor(array)
        # Object arrays may hold str or bytes; anything else TensorFlow refuses.
        bad = next((x for x in array.flat if not isinstance(x, (bytes, str))), None)
        if array.dtype.kind != "O" or bad is not None:
            type_name = _KIND_NAMES.get(array.dtype.kind) or type(bad).__name__
            raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported "
                             f"object type {type_name}).")
        return convert_to_tensor(array.tolist(), dtypes.string)
    return convert_to_tensor(value, dtypes.string)


def _to_bytes(text):
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


def _text(data):
    """Bytes shown in a message, as TensorFlow prints them (raw UTF-8)."""
    return data.decode("utf-8", "replace")


def _map(fn, array, dtype=object):
    """`fn` applied to each element of `array`, in an array of the same shape."""
    out = np.empty(array.size, dtype=dtype)
    out[:] = [fn(item) for item in array.flat]
    return out.reshape(array.shape)


def _string_array(items):
    """A 1-D string array of `items` (bytes)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _dims(shape):
    """A shape as TensorFlow writes it in kernel messages: `[2,3]`."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def _check_unit(op_name, unit):
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise op_error(op_name, f"Value for attr 'unit' of \"{unit}\" is not in the list of "
                                "allowed values: \"BYTE\", \"UTF8_CHAR\"")


# A UTF-8 continuation byte (0b10xxxxxx) never starts a character.
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _utf8_starts(data):
    """Byte offsets where UTF-8 characters start, then len(data); invalid bytes count alone."""
    starts = [i for i, byte in enumerate(data) if byte & 0xC0 != 0x80 or i == 0]
    starts.append(len(data))
    return starts


# --- case, length and whitespace ----------------------------------------------------------

def _case_mapping(op_name, encoding, ascii_fn, unicode_fn):
    if encoding == "":
        return ascii_fn
    if encoding == "utf-8":
        return lambda data: unicode_fn(data.decode("utf-8", "replace")).encode("utf-8")
    raise op_error(op_name, f"only utf-8 or '' (no encoding) is supported, received {encoding}")


@primitive("StringLower", differentiable=False)
def _string_lower(x, encoding=""):
    return _map(_case_mapping("StringLower", encoding, bytes.lower, str.lower), x)


@primitive("StringUpper", differentiable=False)
def _string_upper(x, encoding=""):
    return _map(_case_mapping("StringUpper", encoding, bytes.upper, str.upper), x)


def lower(input, encoding="", name=None):  # noqa: A002
    """Converts all uppercase characters into their lowercase replacements.

    With `encoding=""` only ASCII letters change; with `encoding="utf-8"` the text is
    decoded and every Unicode letter is lowered (invalid bytes become U+FFFD).

    >>> tf.strings.lower("CamelCase").numpy()
    b'camelcase'
    >>> tf.strings.lower("ÀÉÎ", encoding="utf-8").numpy().decode()
    'àéî'
    """
    return _string_lower(_string_tensor("StringLower", input), encoding)


def upper(input, encoding="", name=None):  # noqa: A002
    """Converts all lowercase characters into their uppercase replacements.

    With `encoding=""` only ASCII letters change; with `encoding="utf-8"` every Unicode
    letter does, with full case mapping ("ß" becomes "SS").

    >>> tf.strings.upper("CamelCase").numpy()
    b'CAMELCASE'
    """
    return _string_upper(_string_tensor("StringUpper", input), encoding)


@primitive("StringLength", differentiable=False)
def _string_length(x, unit="BYTE"):
    _check_unit("StringLength", unit)
    if unit == "BYTE":
        return _map(len, x, np.int32)
    return _map(lambda data: len(data.translate(None, _CONTINUATION_BYTES)), x, np.int32)


def length(input, unit="BYTE", name=None):  # noqa: A002
    """String lengths of `input`, in bytes (`unit="BYTE"`) or UTF-8 characters (`"UTF8_CHAR"`).

    Returns an int32 tensor of the shape of `input`.

    >>> tf.strings.length(["hello", "héllo"]).numpy().tolist()
    [5, 6]
    >>> tf.strings.length(["hello", "héllo"], unit="UTF8_CHAR").numpy().tolist()
    [5, 5]
    """
    return _string_length(_string_tensor("StringLength", input), unit)


@primitive("StringStrip", differentiable=False)
def _string_strip(x):
    return _map(bytes.strip, x)  # ASCII whitespace only, as TensorFlow's isspace


def strip(input, name=None):  # noqa: A002
    """Strips leading and trailing ASCII whitespace (space, \\t, \\n, \\v, \\f, \\r).

    >>> tf.strings.strip([" \\t hello \\n", "world "]).numpy().tolist()
    [b'hello', b'world']
    """
    return _string_strip(_string_tensor("StringStrip", input))


# --- joining ------------------------------------------------------------------------------

@primitive("StringJoin", inputs="list", differentiable=False)
def _string_join(inputs, separator=""):
    shape = None
    for array in inputs:
        if array.ndim == 0:
            continue
        if shape is None:
            shape = array.shape
        elif array.shape != shape:
            raise op_error("StringJoin", f"Input shapes do not match: {_dims(shape)} vs. "
                                         f"{_dims(array.shape)}")
    separator = _to_bytes(separator)
    shape = shape or ()
    columns = [np.broadcast_to(array, shape).ravel().tolist() for array in inputs]
    if not columns:
        return np.array(b"", dtype=object)
    return _string_array([separator.join(items) for items in zip(*columns)]).reshape(shape)


def join(inputs, separator="", name=None):
    """Concatenates a list of string tensors element-wise, with `separator` between items.

    All non-scalar inputs must have the same shape; scalars are repeated to it.

    >>> tf.strings.join(["abc", "def"]).numpy()
    b'abcdef'
    >>> tf.strings.join([["a", "b"], "x"], separator="-").numpy().tolist()
    [b'a-x', b'b-x']
    """
    if is_tensor(inputs) and inputs.shape.rank:
        inputs = _unstack(convert_to_tensor(inputs)._value)  # TensorFlow iterates a tensor
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"Expected list for 'inputs' argument to 'string_join' Op, not "
                        f"{inputs!r}.")
    return _string_join([convert_to_tensor(x, dtypes.string) for x in inputs], separator)


def _unstack(array):
    return [wrap(array[i:i + 1].reshape(array.shape[1:])) for i in range(len(array))]


@primitive("ReduceJoin", differentiable=False)
def _reduce_join(inputs, axis=(), keepdims=False, separator=""):
    rank = inputs.ndim
    axes = []
    for given in axis:
        if not -rank <= given < rank:
            raise OutOfRangeError(None, None, f"Invalid reduction dimension {given} for input "
                                              f"with {rank} dimension(s) [Op:ReduceJoin]")
        if given % rank in axes:
            raise op_error("ReduceJoin", f"Duplicate reduction dimension {given}")
        axes.append(given % rank)
    kept = [d for d in range(rank) if d not in axes]
    # TensorFlow walks the first listed axis fastest: it goes last in the moved layout.
    moved = np.transpose(inputs, kept + axes[::-1])
    kept_shape = tuple(inputs.shape[d] for d in kept)
    rows = moved.reshape(math.prod(kept_shape), math.prod(inputs.shape[d] for d in axes))
    separator = _to_bytes(separator)
    out = np.empty(rows.shape[0], dtype=object)
    out[:] = [separator.join(row) for row in rows.tolist()]
    if keepdims:
        return out.reshape(tuple(1 if d in axes else n for d, n in enumerate(inputs.shape)))
    return out.reshape(kept_shape)


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """Joins the strings of `inputs` across the dimensions in `axis` (all when None).

    Strings are joined in row-major order; with several axes the first one listed varies
    fastest, as in TensorFlow.

    >>> x = [["a", "b"], ["c", "d"]]
    >>> tf.strings.reduce_join(x).numpy()
    b'abcd'
    >>> tf.strings.reduce_join(x, axis=0, separator="-").numpy().tolist()
    [b'a-c', b'b-d']

    Raises:
      OutOfRangeError: for an axis outside `[-rank, rank)`.
      InvalidArgumentError: for an axis given twice.
    """
    if not is_tensor(inputs) and not (isinstance(inputs, np.ndarray) and inputs.dtype == object):
        inputs = convert_to_tensor(inputs)  # TensorFlow converts first: numbers fail in the op
    tensor = _string_tensor("ReduceJoin", inputs)
    if axis is None:
        axis = range(tensor.ndim - 1, -1, -1)
    return _reduce_join(tensor, shape_tuple(axis), bool(keepdims), separator)


# --- splitting ----------------------------------------------------------------------------

def _split_one(data, separator, maxsplit):
    """TensorFlow's StringSplitV2 on one string: bytes.split, except that a whitespace split
    cut short by `maxsplit` keeps the rest, even when empty."""
    if maxsplit == 0:
        return [data]
    if separator:
        return data.split(separator, maxsplit if maxsplit > 0 else -1)
    if maxsplit < 0:
        return data.split()  # ASCII whitespace, as TensorFlow's isspace
    tokens, rest = [], data
    while True:
        parts = rest.split(None, 1)  # a token, then the rest without its leading whitespace
        if not parts:
            return tokens
        tokens.append(parts[0])
        rest = parts[1] if len(parts) == 2 else b""
        if len(tokens) == maxsplit:
            return tokens + [rest]  # TensorFlow keeps the (maybe empty) rest


@primitive("StringSplitV2", multiple_outputs=True, differentiable=False)
def _string_split(x, sep=b"", maxsplit=-1):
    return [_string_array(_split_one(data, sep, maxsplit)) for data in x.flat]


def _nested(items, shape):
    """`items` (in row-major order) as nested lists of `shape`."""
    if len(shape) == 1:
        return list(items)
    size = len(items) // shape[0] if shape[0] else 0
    return [_nested(items[i * size:(i + 1) * size], shape[1:]) for i in range(shape[0])]


def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """Splits each string of `input` at `sep` (at runs of ASCII whitespace when None or "").

    With `sep`, adjacent separators delimit empty strings; without it, runs of whitespace
    separate and no empty strings result. At most `maxsplit` splits are made when it is
    positive; the rest of the string is then the last piece.

    TensorFlow returns a dense 1-D tensor for a scalar input and a RaggedTensor otherwise.
    eagerflow has no RaggedTensor: for an input of rank k >= 1 the result is a nested
    Python list, k deep, of 1-D string tensors (what `RaggedTensor.to_list()` would hold as
    tensors), so `result[i]` is the tensor of pieces of `input[i]`.

    >>> tf.strings.split("hello  world ").numpy().tolist()
    [b'hello', b'world']
    >>> [t.numpy().tolist() for t in tf.strings.split(["a,b", "c"], sep=",")]
    [[b'a', b'b'], [b'c']]
    """
    if is_tensor(input):
        try:
            tensor = convert_to_tensor(input, dtypes.string)
        except ValueError as err:
            raise ValueError(f"input: {err}") from None
    else:
        tensor = _string_tensor("StringSplitV2", input)
    pieces = _string_split(tensor, b"" if sep is None else _to_bytes(sep), int(maxsplit))
    if tensor.ndim == 0:
        return pieces[0]
    return _nested(pieces, tensor.shape.as_list())


@primitive("BytesSplit", multiple_outputs=True, differentiable=False)
def _bytes_split(x):
    return [_string_array([data[i:i + 1] for i in range(len(data))]) for data in x.flat]


def bytes_split(input, name=None):  # noqa: A002
    """Splits each string of `input` into its bytes.

    A scalar gives a 1-D tensor; an input of rank k >= 1 a nested Python list, k deep, of
    1-D tensors (TensorFlow returns a RaggedTensor; see `split`).

    >>> tf.strings.bytes_split("hello").numpy().tolist()
    [b'h', b'e', b'l', b'l', b'o']
    """
    if is_tensor(input) or not isinstance(input, (np.ndarray, np.generic)):
        tensor = convert_to_tensor(input)
        if tensor.dtype != dtypes.string:
            # TensorFlow stacks a scalar into a vector before asking for strings.
            shown = tensor if tensor.ndim else wrap(tensor._value.reshape(1))
            raise ValueError(f"Tensor conversion requested dtype string for Tensor with dtype "
                             f"{tensor.dtype.name}: {shown!r}")
    else:
        tensor = _string_tensor("BytesSplit", input)
    pieces = _bytes_split(tensor)
    if tensor.ndim == 0:
        return pieces[0]
    return _nested(pieces, tensor.shape.as_list())


def _rows_of(op_name, data):
    """The 1-D rows of `data` (a tensor, or the nested lists of 1-D tensors that stand in
    for a RaggedTensor), and how to put results for them back in `data`'s structure."""
    if isinstance(data, (list, tuple)) and (not data or isinstance(data[0], (list, tuple))
                                            or is_tensor(data[0])):
        flat = []

        def collect(items):
            for item in items:
                if isinstance(item, (list, tuple)):
                    collect(item)
                else:
                    flat.append(_string_tensor(op_name, item))
        collect(data)

        def rebuild(results):
            pending = iter(results)

            def fill(items):
                return [fill(item) if isinstance(item, (list, tuple)) else next(pending)
                        for item in items]
            return fill(data)
        return flat, rebuild
    tensor = _string_tensor(op_name, data)
    if tensor.ndim == 0:
        raise ValueError("Data must have rank>0")
    if tensor.ndim == 1:
        return [tensor], lambda results: results[0]
    shape = tensor.shape.as_list()
    rows = tensor._value.reshape(-1, shape[-1])
    return [wrap(row) for row in rows], \
        lambda results: _stacked_rows(results, shape[:-1])


def _stacked_rows(results, leading_shape):
    arrays = [result._value for result in results]
    width = arrays[0].shape[0] if arrays else 0
    return wrap(np.stack(arrays).reshape(tuple(leading_shape) + (width,)) if arrays
                else np.empty(tuple(leading_shape) + (0,), dtype=object))


def _ngrams_of_row(tokens, widths, separator, pads, padding_width, preserve_short):
    out = []
    for width in widths:
        pad = 0 if pads is None else min(width - 1, padding_width)
        sequence = [pads[0]] * pad + tokens + [pads[1]] * pad if pad else tokens
        out += [separator.join(sequence[i:i + width])
                for i in range(len(sequence) - width + 1)]
    if not out and preserve_short and tokens:
        out.append(separator.join(tokens))
    return out


@primitive("StringNGrams", inputs="list", multiple_outputs=True, differentiable=False)
def _string_ngrams(rows, widths=(), separator=b" ", pads=None, padding_width=0,
                   preserve_short=False):
    return [_string_array(_ngrams_of_row(row.tolist(), widths, separator, pads,
                                         padding_width, preserve_short)) for row in rows]


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None,
           preserve_short_sequences=False, name=None):
    """The n-grams of the strings along the last axis of `data`, joined by `separator`.

    `ngram_width` is one width or a tuple of widths; all n-grams of the first width come
    first. With `pad_values` (one string, or a (left, right) pair) each sequence is padded
    by `padding_width` values (default `width - 1`, at most that) on both sides.
    A dense input gives a dense result; the nested lists of 1-D tensors that stand in for a
    RaggedTensor (see `split`) give nested lists of the same structure.

    >>> tf.strings.ngrams(["a", "b", "c"], 2).numpy().tolist()
    [b'a b', b'b c']
    >>> [t.numpy().tolist() for t in tf.strings.ngrams(tf.strings.split(["a b", "c"]), (1, 2))]
    [[b'a', b'b', b'a b'], [b'c']]

    Raises:
      ValueError: for a width below 1, or a scalar `data`.
    """
    widths = (ngram_width,) if isinstance(ngram_width, int) else tuple(ngram_width)
    if any(width < 1 for width in widths):
        raise ValueError(f"All ngram_widths must be greater than 0. Got {ngram_width}")
    pads = None
    if pad_values is not None:
        if isinstance(pad_values, (str, bytes)):
            pad_values = (pad_values, pad_values)
        if len(pad_values) != 2:
            raise ValueError("pad_values must be a string, tuple or list.")
        pads = tuple(_to_bytes(value) for value in pad_values)
        padding_width = max(widths) - 1 if padding_width is None else int(padding_width)
        if padding_width < 1:
            raise ValueError(f"padding_width must be greater than 0. Got {padding_width}")
    rows, rebuild = _rows_of("StringNGrams", data)
    results = _string_ngrams(rows, widths, _to_bytes(separator), pads, padding_width or 0,
                             bool(preserve_short_sequences)) if rows else []
    return rebuild(results)


def _utf8_characters(data):
    text = data.decode("utf-8", "replace")
    return [character.encode("utf-8") for character in text]


@primitive("UnicodeSplit", multiple_outputs=True, differentiable=False)
def _unicode_split(x):
    return [_string_array(_utf8_characters(data)) for data in x.flat]


def unicode_split(input, input_encoding, errors="replace",  # noqa: A002
                  replacement_char=65533, name=None):
    """Splits each string of `input` into its Unicode characters (each UTF-8 encoded).

    Only `input_encoding="UTF-8"` is supported; invalid bytes become U+FFFD. A scalar
    gives a 1-D tensor, an input of rank k >= 1 nested lists of 1-D tensors (see `split`).

    >>> [c.decode() for c in tf.strings.unicode_split("héllo", "UTF-8").numpy().tolist()]
    ['h', 'é', 'l', 'l', 'o']
    """
    _check_utf8("unicode_split", input_encoding, errors, replacement_char)
    tensor = _string_tensor("UnicodeSplit", input)
    pieces = _unicode_split(tensor)
    if tensor.ndim == 0:
        return pieces[0]
    return _nested(pieces, tensor.shape.as_list())


def _check_utf8(function, input_encoding, errors, replacement_char):
    if str(input_encoding).upper().replace("_", "-") not in ("UTF-8", "UTF8"):
        raise UnimplementedError(None, None, f"Encoding {input_encoding} is not supported; "
                                             f"eagerflow's {function} reads UTF-8 only.")
    if errors != "replace" or replacement_char != 65533:
        raise UnimplementedError(None, None, f"{function} supports errors='replace' with "
                                             "the default replacement character only.")


@primitive("UnicodeDecode", multiple_outputs=True, differentiable=False)
def _unicode_decode(x):
    return [np.array([ord(c) for c in data.decode("utf-8", "replace")], np.int32)
            for data in x.flat]


def unicode_decode(input, input_encoding, errors="replace",  # noqa: A002
                   replacement_char=65533, replace_control_characters=False, name=None):
    """Decodes each string of `input` into its Unicode code points (int32).

    Only `input_encoding="UTF-8"` is supported; invalid bytes become U+FFFD. A scalar
    gives a 1-D tensor, an input of rank k >= 1 nested lists of 1-D tensors (TensorFlow
    returns a RaggedTensor; see `split`).

    >>> tf.strings.unicode_decode("héllo", "UTF-8").numpy().tolist()
    [104, 233, 108, 108, 111]
    """
    _check_utf8("unicode_decode", input_encoding, errors, replacement_char)
    if replace_control_characters:
        raise UnimplementedError(None, None, "unicode_decode does not replace control "
                                             "characters.")
    tensor = _string_tensor("UnicodeDecode", input)
    points = _unicode_decode(tensor)
    if tensor.ndim == 0:
        return points[0]
    return _nested(points, tensor.shape.as_list())


# --- substrings ---------------------------------------------------------------------------

def _substr_bytes(data, pos, count):
    size = len(data)
    if not -size <= pos <= size:
        return None
    if pos < 0:
        pos += size
    # A negative length reads to the end: TensorFlow passes it on as a size_t.
    return data[pos:] if count < 0 else data[pos:pos + count]


def _substr_utf8(data, pos, count):
    starts = _utf8_starts(data)
    chars = len(starts) - 1
    if not -chars <= pos <= chars:
        return None
    if pos < 0:
        pos += chars
    end = min(chars, pos + max(count, 0))
    return data[starts[pos]:starts[end]]


@primitive("Substr", dtypes=(dtypes.int32, dtypes.int64), same_dtype=(1, 2),
           differentiable=False)
def _substr(x, pos, length, unit="BYTE"):
    _check_unit("Substr", unit)
    if pos.shape != length.shape:
        raise op_error("Substr", f"pos and len should have the same shape, got: "
                                 f"{_dims(pos.shape)} vs. {_dims(length.shape)}")
    broadcast = x.shape != pos.shape and pos.ndim > 0
    shape = x.shape
    if broadcast:
        try:
            shape = np.broadcast_shapes(x.shape, pos.shape)
        except ValueError:
            raise op_error("Substr", f"Incompatible shapes: {_dims(x.shape)} vs. "
                                     f"{_dims(pos.shape)}") from None
        if len(shape) > 2:
            raise UnimplementedError(None, None, f"Substr broadcast not implemented for "
                                                 f"{len(shape)} dimensions [Op:Substr]")
    cut = _substr_bytes if unit == "BYTE" else _substr_utf8
    texts = np.broadcast_to(x, shape).ravel()
    starts = np.broadcast_to(pos, shape).ravel().tolist()
    counts = np.broadcast_to(length, shape).ravel().tolist()
    out = np.empty(len(texts), dtype=object)
    for i, (data, start, count) in enumerate(zip(texts, starts, counts)):
        out[i] = cut(data, start, count)
        if out[i] is None:
            shown = f" b'{_text(data)}'" if unit == "BYTE" else ""
            # TensorFlow names the flat index, or (row, column) when broadcasting in 2-D.
            where = (tuple(int(k) for k in np.unravel_index(i, shape))
                     if broadcast and len(shape) == 2 else i)
            raise op_error("Substr", f"pos {start} out of range for string{shown} at index "
                                     f"{where}")
    return out.reshape(shape)


def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002 - TensorFlow's names
    """Returns substrings of `input` from `pos`, `len` bytes (or UTF-8 characters) long.

    A negative `pos` counts from the end. `pos` and `len` have one shape: the shape of
    `input`, or a scalar, or one that broadcasts with it (up to 2-D).

    >>> tf.strings.substr(["hello", "world"], 1, 3).numpy().tolist()
    [b'ell', b'orl']
    >>> tf.strings.substr("héllo", 1, 2, unit="UTF8_CHAR").numpy().decode()
    'él'

    Raises:
      InvalidArgumentError: if a `pos` lies outside its string.
    """
    return _substr(_string_tensor("Substr", input), pos, len, unit)


# --- numbers to text and back -------------------------------------------------------------

# What TensorFlow's StringToNumber accepts (strtod's syntax): ASCII whitespace around a
# decimal or hexadecimal float, inf/infinity or nan(...), case-insensitively.
_FLOAT_SYNTAX = re.compile(
    rb"\s*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
    rb"|(?P<hex>0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?)"
    rb"|(?i:inf(?:inity)?)|(?P<nan>(?i:nan)(?:\([0-9A-Za-z_]*\))?)))\s*")
_INTEGER_SYNTAX = re.compile(rb"\s*([+-]?\d+)\s*")
_NUMBER_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.uint32,
                 dtypes.uint64)


def _parse_float(data):
    match = _FLOAT_SYNTAX.fullmatch(data)
    if match is None:
        return None
    text = match.group(1)
    if match.group("hex"):
        return float.fromhex(text.decode())
    if match.group("nan"):
        return math.nan
    return float(text)


@primitive("StringToNumber", differentiable=False)
def _string_to_number(x, out_type=dtypes.float32):
    if out_type not in _NUMBER_TYPES:
        allowed = ", ".join(tf_type_name(d) for d in _NUMBER_TYPES)
        raise op_error("StringToNumber", f"Value for attr 'out_type' of "
                                         f"{tf_type_name(out_type)} is not in the list of "
                                         f"allowed values: {allowed}")
    np_type = out_type.as_numpy_dtype
    values = []
    if out_type.is_floating:
        for data in x.flat:
            value = _parse_float(data)
            if value is None:
                raise _number_error(data)
            values.append(value)
        # float32 overflows to inf, as strtof does. (Rounding through float64 can differ
        # from strtof in the last bit for decimals of more than 9 significant digits.)
        return np.array(values, dtype=np.float64).astype(np_type).reshape(x.shape)
    info = np.iinfo(np_type)
    for data in x.flat:
        match = _INTEGER_SYNTAX.fullmatch(data)
        value = int(match.group(1)) if match else None
        if (value is None or not info.min <= value <= info.max
                or (out_type.is_unsigned and match.group(1).startswith(b"-"))):
            raise _number_error(data)
        values.append(value)
    return np.array(values, dtype=np_type).reshape(x.shape)


def _number_error(data):
    return op_error("StringToNumber",
                    f"StringToNumberOp could not correctly convert string: {_text(data)}")


def to_number(input, out_type=dtypes.float32, name=None):  # noqa: A002
    """Converts each string of `input` to a number of `out_type` (float32 by default).

    Floats accept decimal and hexadecimal notation, `inf` and `nan`; integers accept
    decimal digits with an optional sign. Surrounding ASCII whitespace is ignored.

    >>> tf.strings.to_number(["1.5", " -2", "1e3"]).numpy().tolist()
    [1.5, -2.0, 1000.0]
    >>> tf.strings.to_number(["7"], out_type="int64").dtype
    tf.int64

    Raises:
      InvalidArgumentError: for a string that is not a number of `out_type`.
    """
    return _string_to_number(_string_tensor("StringToNumber", input),
                             dtypes.as_dtype(out_type))


def _c_float(spec, flags, width, value):
    """`spec % value` as C's printf writes it: inf and nan are never zero-padded, nan keeps
    its sign."""
    if math.isfinite(value):
        return spec % value
    sign = b"-" if math.copysign(1.0, value) < 0 else (
        b"+" if b"+" in flags else b" " if b" " in flags else b"")
    text = sign + (b"inf" if math.isinf(value) else b"nan")
    return text.ljust(width) if b"-" in flags else text.rjust(width)


@primitive("AsString", differentiable=False)
def _as_string(x, precision=-1, scientific=False, shortest=False, width=-1, fill=""):
    kind = x.dtype.kind
    type_name = tf_type_name(dtypes.from_numpy(x.dtype))
    if len(fill) > 1:
        raise op_error("AsString", "Fill string must be one or fewer characters")
    if scientific and shortest:
        raise op_error("AsString", "Cannot select both scientific and shortest notation")
    if kind in "iub":
        if scientific or shortest:
            raise op_error("AsString", f"scientific and shortest format not supported for "
                                       f"datatype {type_name}")
        if precision > -1:
            raise op_error("AsString", f"precision not supported for datatype {type_name}")
    if fill and fill not in " +-0#":
        raise op_error("AsString", f"Fill argument not supported: \"{fill}\"")
    flags = fill.encode()
    spec = b"%" + flags + (b"%d" % width if width > -1 else b"")
    if kind == "b":
        return np.where(x, b"true", b"false").astype(object)
    if kind == "O":
        return _map((spec + b"s").__mod__, x)
    if kind in "iu":
        return _map((spec + b"d").__mod__, x)
    if precision > -1:
        spec += b".%d" % precision
    spec += b"g" if shortest else b"e" if scientific else b"f"
    width = max(width, 0)
    if kind == "c":
        return _map(lambda z: b"(%s,%s)" % (_c_float(spec, flags, width, z.real),
                                            _c_float(spec, flags, width, z.imag)),
                    x.astype(np.complex128))
    return _map(lambda value: _c_float(spec, flags, width, value), x.astype(np.float64))


def as_string(input, precision=-1, scientific=False, shortest=False,  # noqa: A002
              width=-1, fill="", name=None):
    """Converts each element of `input` to a string, as C's printf would.

    Floats use `%f` (`%e` when `scientific`, `%g` when `shortest`) with `precision`
    digits; `width` pads to a minimum width with spaces, or with `fill` ("0", or the
    printf flags " ", "+", "-", "#"). Booleans give "true" and "false"; complex numbers
    "(real,imag)".

    >>> tf.strings.as_string([3.14159, 2.0], precision=2).numpy().tolist()
    [b'3.14', b'2.00']
    >>> tf.strings.as_string([5, -5], width=4, fill="0").numpy().tolist()
    [b'0005', b'-005']
    """
    return _as_string(input, int(precision), bool(scientific), bool(shortest), int(width),
                      fill)


# --- format -------------------------------------------------------------------------------

_C_ESCAPES = {ord("\n"): b"\\n", ord("\r"): b"\\r", ord("\t"): b"\\t", ord('"'): b'\\"',
              ord("'"): b"\\'", ord("\\"): b"\\\\"}


def _c_escape(data):
    """TensorFlow's escaping of strings in printed tensors: C escapes, UTF-8 left alone."""
    out = bytearray()
    for byte in data:
        if byte in _C_ESCAPES:
            out += _C_ESCAPES[byte]
        elif byte < 0x20 or byte == 0x7F:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return b'"' + bytes(out) + b'"'


def _round_trip_float(value, digits, more_digits, cast):
    """`%g` with `digits` digits if that reads back as `value`, else with `more_digits`."""
    if math.isnan(value):
        return b"-nan" if math.copysign(1.0, value) < 0 else b"nan"
    text = b"%.*g" % (digits, value)
    if cast(float(text)) != cast(value):
        text = b"%.*g" % (more_digits, value)
    return text


def _element_text(np_dtype):
    """How TensorFlow prints one element of a tensor of `np_dtype` (tf.print's way)."""
    kind = np_dtype.kind
    if kind == "O":
        return _c_escape
    if kind == "b":
        return lambda x: b"1" if x else b"0"
    if kind in "iu":
        return lambda x: b"%d" % x
    if kind == "c":
        return lambda x: b"?"
    if np_dtype == np.float64:
        return lambda x: _round_trip_float(x, 15, 17, float)
    return lambda x: _round_trip_float(x, 6, 9, np.float32)


def _summary(array, limit, element, out, depth=0):
    """Appends tf.print's text of `array`: at most `limit` items at each end of every axis."""
    if array.ndim == 0:
        out.append(element(array.item()))
        return
    count = array.shape[0]
    spacing = b" " if array.ndim == 1 else b"\n" * (array.ndim - 1) + b" " * (depth + 1)
    out.append(b"[")
    for i in range(min(limit, count)):
        if i:
            out.append(spacing)
        _summary(array[i, ...], limit, element, out, depth + 1)
    if count > 2 * limit:
        out += [spacing, b"..."]
    for i in range(max(limit, count - limit), count):
        out.append(spacing)
        _summary(array[i, ...], limit, element, out, depth + 1)
    out.append(b"]")


def _summarize(array, summarize):
    limit = array.size if summarize < 0 else min(summarize, array.size)
    element = _element_text(array.dtype)
    if array.ndim == 0:
        return element(array.item()) if limit else b"..."
    out = []
    _summary(array, limit, element, out)
    return b"".join(out)


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    """Formats a string template, replacing each `placeholder` with one of `inputs`.

    Tensors are printed as `tf.print` prints them, with at most `summarize` elements at
    each end of every dimension (all when negative). Returns a scalar string tensor.

    >>> tf.strings.format("x: {}, y: {}", [1.5, "hi"]).numpy()
    b'x: 1.5, y: "hi"'
    >>> tf.strings.format("{}", tf.range(10)).numpy()
    b'[0 1 2 ... 7 8 9]'

    Raises:
      ValueError: if the number of placeholders differs from the number of inputs.
    """
    if is_tensor(inputs):
        inputs = [inputs]
    expected = template.count(placeholder)
    if expected != len(inputs):
        raise ValueError(f"The template expects {expected} tensors, but the inputs only has "
                         f"{len(inputs)}. Please ensure the number of placeholders in template "
                         "matches inputs length.")
    pieces = _to_bytes(template).split(_to_bytes(placeholder))
    out = [pieces[0]]
    for value, piece in zip(inputs, pieces[1:]):
        out += [_summarize(convert_to_tensor(value)._value, int(summarize)), piece]
    return wrap(np.array(b"".join(out), dtype=object))


# --- regular expressions (RE2's syntax and semantics: re2.py) -----------------------------

def _regex(op_name, pattern):
    try:
        return re2.compile_pattern(pattern)
    except re2.PatternError as err:
        raise op_error(op_name, f"Invalid pattern: {_text(pattern)}, error: {err}") from None


def _regex_replace_array(op_name, x, pattern, rewrite, replace_global):
    regex = _regex(op_name, pattern)
    pieces, valid, largest = re2.parse_rewrite(re2.decode(rewrite))
    if largest > regex.groups:  # RE2 replaces nothing when a rewrite names a missing group
        return x.copy()

    def replace(data):
        text = re2.decode(data)
        if replace_global:
            return re2.encode(re2.replace_all(regex, text, pieces))
        match = regex.search(text)
        if match is None or not valid:
            return data
        return re2.encode(text[:match.start()] + re2.expand(pieces, match) + text[match.end():])
    return _map(replace, x)


@primitive("StaticRegexReplace", differentiable=False)
def _static_regex_replace(x, pattern=b"", rewrite=b"", replace_global=True):
    return _regex_replace_array("StaticRegexReplace", x, pattern, rewrite, replace_global)


def _scalar_argument(op_name, array, what):
    if array.ndim:
        raise op_error(op_name, f"{what} must be scalar, but received {_dims(array.shape)}")
    return array[()]


@primitive("RegexReplace", same_dtype=False, differentiable=False)
def _dynamic_regex_replace(x, pattern, rewrite, replace_global=True):
    pattern = _scalar_argument("RegexReplace", pattern, "Pattern")
    rewrite = _scalar_argument("RegexReplace", rewrite, "Rewrite")
    return _regex_replace_array("RegexReplace", x, pattern, rewrite, replace_global)


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """Replaces matches of the RE2 regular expression `pattern` in `input` with `rewrite`.

    In `rewrite`, `\\0` is the whole match, `\\1` to `\\9` the capturing groups and `\\\\`
    a backslash. All matches are replaced, or only the first when `replace_global` is False.

    Patterns use RE2's syntax, checked and translated for Python's `re`: \\d, \\w, \\s and
    \\b are ASCII-only, `$` matches only at the end (unless `(?m)`), `.` matches a whole
    UTF-8 character; lookarounds and backreferences are errors, as in RE2. Unicode
    general categories (`\\pL`, `\\p{Lu}`) work; Unicode scripts (`\\p{Greek}`) and `\\C`
    raise UnimplementedError.

    >>> tf.strings.regex_replace("Text with tags.<br /><b>contains html</b>",
    ...                          "<[^>]+>", " ").numpy()
    b'Text with tags.  contains html '
    >>> tf.strings.regex_replace(["abc abc"], "b(c)", r"<\\1>").numpy().tolist()
    [b'a<c> a<c>']

    Raises:
      InvalidArgumentError: for a pattern RE2 rejects.
    """
    if isinstance(pattern, (str, bytes)) and isinstance(rewrite, (str, bytes)):
        return _static_regex_replace(_string_tensor("StaticRegexReplace", input),
                                     _to_bytes(pattern), _to_bytes(rewrite),
                                     bool(replace_global))
    return _dynamic_regex_replace(_string_tensor("RegexReplace", input),
                                  convert_to_tensor(pattern, dtypes.string),
                                  convert_to_tensor(rewrite, dtypes.string),
                                  bool(replace_global))


def _full_match_array(op_name, x, pattern):
    regex = _regex(op_name, pattern)
    return _map(lambda data: regex.fullmatch(re2.decode(data)) is not None, x, np.bool_)


@primitive("StaticRegexFullMatch", differentiable=False)
def _static_regex_full_match(x, pattern=b""):
    return _full_match_array("StaticRegexFullMatch", x, pattern)


@primitive("RegexFullMatch", same_dtype=False, differentiable=False)
def _dynamic_regex_full_match(x, pattern):
    pattern = _scalar_argument("RegexFullMatch", pattern, "Pattern")
    return _full_match_array("RegexFullMatch", x, pattern)


def regex_full_match(input, pattern, name=None):  # noqa: A002
    """Whether each string of `input` matches the RE2 regular expression `pattern` whole.

    See `regex_replace` for the pattern syntax. Returns a bool tensor.

    >>> tf.strings.regex_full_match(["TF lib", "lib TF"], ".*lib$").numpy().tolist()
    [True, False]
    """
    if isinstance(pattern, (str, bytes)):
        return _static_regex_full_match(_string_tensor("StaticRegexFullMatch", input),
                                        _to_bytes(pattern))
    return _dynamic_regex_full_match(_string_tensor("RegexFullMatch", input),
                                     convert_to_tensor(pattern, dtypes.string))


# --- hashing (the hashes themselves: string_hashes.py) ------------------------------------

def _bucket_count(op_name, num_buckets):
    count = int(num_buckets)
    if count < 1:
        raise op_error(op_name, f"Value for attr 'num_buckets' of {count} must be at least "
                                "minimum 1")
    return count


@primitive("StringToHashBucketFast", differentiable=False)
def _to_hash_bucket_fast(x, num_buckets=1):
    return _map(lambda data: fingerprint64(data) % num_buckets, x, np.int64)


@primitive("StringToHashBucket", differentiable=False)
def _to_hash_bucket(x, num_buckets=1):
    return _map(lambda data: legacy_hash64(data) % num_buckets, x, np.int64)


@primitive("StringToHashBucketStrong", differentiable=False)
def _to_hash_bucket_strong(x, num_buckets=1, key=(0, 0)):
    return _map(lambda data: siphash(key, data) % num_buckets, x, np.int64)


def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002
    """Hashes each string to one of `num_buckets` buckets with FarmHash's Fingerprint64.

    The buckets are TensorFlow's, bit for bit, so vocabularies hashed here and there agree.

    >>> tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3).numpy().tolist()
    [0, 2, 2]
    """
    op_name = "StringToHashBucketFast"
    return _to_hash_bucket_fast(_string_tensor(op_name, input),
                                _bucket_count(op_name, num_buckets))


def to_hash_bucket(input, num_buckets, name=None):  # noqa: A002
    """Hashes each string to one of `num_buckets` buckets with TensorFlow's legacy Hash64.

    Prefer `to_hash_bucket_fast`; this one exists for models that were trained with it.

    >>> tf.strings.to_hash_bucket(["Hello", "TensorFlow", "2.x"], 3).numpy().tolist()
    [2, 0, 1]
    """
    op_name = "StringToHashBucket"
    return _to_hash_bucket(_string_tensor(op_name, input), _bucket_count(op_name, num_buckets))


def to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    """Hashes each string to one of `num_buckets` buckets with SipHash-2-4 keyed by `key`.

    `key` is a list of two integers; the hash resists inputs crafted to collide.

    >>> tf.strings.to_hash_bucket_strong(["Hello", "TF"], 3, [1, 2]).numpy().tolist()
    [2, 0]
    """
    op_name = "StringToHashBucketStrong"
    key = list(key)
    if len(key) != 2:
        raise op_error(op_name, "Key must have 2 elements")
    return _to_hash_bucket_strong(_string_tensor(op_name, input),
                                  _bucket_count(op_name, num_buckets),
                                  tuple(int(k) % (1 << 64) for k in key))
