"""DType objects (`tf.float32` ...) and the rules that turn Python and NumPy values into arrays.

This module is the one home of dtype conversion: what dtype a Python value becomes, which
casts are lossless enough for TensorFlow to allow, and how a DType maps to a NumPy dtype.
"""

import numpy as np

__all__ = [
    "DType", "as_dtype", "float16", "half", "float32", "float64", "double", "int8", "int16",
    "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool", "string", "complex64",
    "complex128", "QUANTIZED_DTYPES",
]

_python_bool = bool


class DType:
    """The type of the elements of a Tensor, such as `tf.float32`.

    >>> tf.float32.name, tf.float32.is_floating, tf.as_dtype("int64").max
    ('float32', True, 9223372036854775807)
    """

    __slots__ = ("_name", "_np", "_enum", "_type")

    def __init__(self, name, np_dtype, enum):
        self._name = name
        self._np = np.dtype(np_dtype)
        self._enum = enum
        # TensorFlow reports Python's `object` for strings, NumPy's scalar type otherwise.
        self._type = object if self._np.kind == "O" else self._np.type

    @property
    def name(self):
        return self._name

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type (`np.float32`); `object` for strings."""
        return self._type

    @property
    def as_datatype_enum(self):
        return self._enum

    @property
    def base_dtype(self):
        return self

    @property
    def real_dtype(self):
        """The dtype of the real and imaginary parts for complex types, else itself."""
        return {complex64: float32, complex128: float64}.get(self, self)

    @property
    def is_floating(self):
        return self._np.kind == "f"

    @property
    def is_integer(self):
        return self._np.kind in "iu"

    @property
    def is_unsigned(self):
        return self._np.kind == "u"

    @property
    def is_complex(self):
        return self._np.kind == "c"

    @property
    def is_bool(self):
        return self._np.kind == "b"

    @property
    def is_numeric(self):
        return self._np.kind in "iufc"

    @property
    def is_numpy_compatible(self):
        return True

    @property
    def is_quantized(self):
        return False

    @property
    def size(self):
        """Bytes per element (0 for strings, whose elements vary in length)."""
        return 0 if self._np.kind == "O" else self._np.itemsize

    @property
    def min(self):
        """The smallest representable value."""
        if self.is_floating:
            return np.finfo(self._np).min
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        raise TypeError(f"Cannot find minimum value of {self} with type {self}.")

    @property
    def max(self):
        """The largest representable value."""
        if self.is_floating:
            return np.finfo(self._np).max
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        raise TypeError(f"Cannot find maximum value of {self} with type {self}.")

    @property
    def limits(self):
        """TensorFlow's value range for images of this dtype, with the minimum clipped to 0.

        Floats are (0, 1); integers (0, max); float16, strings and complex types have none.
        """
        found = _IMAGE_RANGES.get(self._name)
        if found is None:
            raise ValueError(f"{self} does not have defined limits.")
        return (0, found)

    def is_compatible_with(self, other):
        return self == as_dtype(other)

    def __eq__(self, other):
        if isinstance(other, DType):
            return self is other
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __reduce__(self):
        return as_dtype, (self._name,)

    def __repr__(self):
        return f"tf.{self._name}"

    def __str__(self):
        return f"<dtype: '{self._name}'>"


float16 = half = DType("float16", np.float16, 19)
float32 = DType("float32", np.float32, 1)
float64 = double = DType("float64", np.float64, 2)
int8 = DType("int8", np.int8, 6)
int16 = DType("int16", np.int16, 5)
int32 = DType("int32", np.int32, 3)
int64 = DType("int64", np.int64, 9)
uint8 = DType("uint8", np.uint8, 4)
uint16 = DType("uint16", np.uint16, 17)
uint32 = DType("uint32", np.uint32, 22)
uint64 = DType("uint64", np.uint64, 23)
bool = DType("bool", np.bool_, 10)  # noqa: A001 - TensorFlow's public name
string = DType("string", np.object_, 7)
complex64 = DType("complex64", np.complex64, 8)
complex128 = DType("complex128", np.complex128, 18)
QUANTIZED_DTYPES = frozenset()

# TensorFlow's `DType.limits`: the largest value of an image of each dtype.
_IMAGE_RANGES = {"bool": True, "float32": 1, "float64": 1}
_IMAGE_RANGES.update({d: int(np.iinfo(d).max) for d in (
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")})

ALL_DTYPES = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32,
              uint64, bool, string, complex64, complex128)

# NumPy dtype -> DType; strings (bytes or unicode arrays) are object arrays of bytes here.
_FROM_NUMPY = {d._np: d for d in ALL_DTYPES}
_FROM_NAME = {d._name: d for d in ALL_DTYPES}
_FROM_NAME.update({"half": float16, "float": float32, "double": float64})
_FROM_ENUM = {d._enum: d for d in ALL_DTYPES}
_FROM_PYTHON = {float: float32, _python_bool: bool, object: string}


def as_dtype(type_value):
    """Converts `type_value` (a DType, name, NumPy dtype or type) to a `DType`.

    >>> tf.as_dtype("float32") is tf.float32
    True
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, np.dtype):
        found = _FROM_NUMPY.get(type_value)
        if found is None and type_value.kind in "SU":
            found = string
    elif isinstance(type_value, str):
        found = _FROM_NAME.get(type_value)
    elif isinstance(type_value, int) and not isinstance(type_value, _python_bool):
        found = _FROM_ENUM.get(type_value)
    elif isinstance(type_value, type) and type_value in _FROM_PYTHON:
        found = _FROM_PYTHON[type_value]
    else:
        found = None
        dtype_attr = getattr(type_value, "dtype", None)
        if isinstance(type_value, type) and issubclass(type_value, np.generic):
            np_dtype = np.dtype(type_value)
            found = string if np_dtype.kind in "SU" else _FROM_NUMPY.get(np_dtype)
        elif isinstance(dtype_attr, (np.dtype, DType)) and not isinstance(type_value, np.ndarray):
            found = as_dtype(dtype_attr)
    if found is None:
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} "
                        "to a TensorFlow DType.")
    return found


def from_numpy(np_dtype):
    """The DType of a NumPy dtype; TypeError for dtypes TensorFlow lacks."""
    found = _FROM_NUMPY.get(np_dtype)
    if found is None:
        return as_dtype(np_dtype)
    return found


# --- value conversion -------------------------------------------------------------------

_INT32_MIN, _INT32_MAX = -(2 ** 31), 2 ** 31 - 1
_INT64_MAX = 2 ** 63 - 1
_INT_BOUNDS = {d._np: (int(np.iinfo(d._np).min), int(np.iinfo(d._np).max))
               for d in (int8, int16, int32, int64, uint8, uint16, uint32, uint64)}
_FLOAT_MAX = {d._np: float(np.finfo(d._np).max) for d in (float16, float32)}
_FLOAT32_MAX = _FLOAT_MAX[float32._np]
_INT32_NP, _FLOAT32_NP = int32._np, float32._np
_NUMERIC_KINDS = "biufc"
_INF = float("inf")
_PYTHON_SCALARS = (_python_bool, int, float, complex, str, bytes, np.generic)

# TensorFlow's own names for dtypes in its conversion errors ("float", not "float32").
_TF_NAMES = {"float16": "half", "float32": "float", "float64": "double"}

_NON_RECTANGULAR = "Can't convert non-rectangular Python sequence to Tensor."
_MIXED_TYPES = "Can't convert Python sequence with mixed types to Tensor."
_INTEGER_OUT_OF_RANGE = "Can't convert Python sequence with out-of-range integer to Tensor."
_FLOAT_OUT_OF_RANGE = ("Can't convert Python sequence with a value out of range for a "
                       "double-precision float.")


def _unsupported(value):
    return ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                      f"({type(value)}) to a Tensor.")


def _to_bytes_array(array):
    """Strings become object arrays of bytes, as TensorFlow's string tensors hold."""
    if array.dtype.kind == "S":
        return array.astype(object)
    if array.dtype.kind == "U":
        encoded = np.char.encode(array, "utf-8")
        return encoded.astype(object)
    return array


def _encode_strings(array):
    """An object array of bytes from one of str and bytes items (str encoded as UTF-8)."""
    items = [item.encode("utf-8") if isinstance(item, str) else item for item in array.flat]
    result = np.empty(len(items), dtype=object)
    result[:] = items
    return result.reshape(array.shape)


def _first_leaf(value):
    """The first scalar of a nested sequence: TensorFlow infers the dtype from its type."""
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    return value


def _leaves(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, np.ndarray):
        yield from value.flat
    else:
        yield value


def _python_array(value):
    """`value` as an ndarray in NumPy's wide dtypes (float64, int64), strings as bytes.

    Raises TensorFlow's errors for None, ragged sequences, strings mixed with other values
    and integers beyond 64 bits.
    """
    if value is None:
        raise _unsupported(value)
    try:
        array = np.asarray(value)
    except ValueError as err:
        raise ValueError(_sequence_error(value)) from err
    kind = array.dtype.kind
    if kind in "SU":
        # NumPy turns [1, "a"] into strings; TensorFlow refuses the mix.
        if isinstance(value, (list, tuple)) and not all(
                isinstance(item, (str, bytes)) for item in _leaves(value)):
            raise ValueError(_MIXED_TYPES)
        # Built from the Python items: NumPy's fixed-width strings drop trailing NUL bytes.
        return _encode_strings(np.array(value, dtype=object))
    if kind == "O":
        return _object_array(value, array)
    if kind not in _NUMERIC_KINDS:
        raise _unsupported(value)
    return array


def _sequence_error(value):
    """TensorFlow's message for a sequence NumPy cannot make rectangular.

    TensorFlow takes the shape from the first items at each depth, then walks the sequence:
    a sequence (or a string) where a number belongs is a mix of types; a number where a
    sequence belongs, or a length that differs, is non-rectangular.
    """
    shape = []
    first = value
    while isinstance(first, (list, tuple)):
        shape.append(len(first))
        first = first[0] if first else None

    def problem(item, depth):
        if depth == len(shape):
            return _MIXED_TYPES if isinstance(item, (list, tuple)) else None
        if isinstance(item, (str, bytes)):
            return _MIXED_TYPES
        if not isinstance(item, (list, tuple)) or len(item) != shape[depth]:
            return _NON_RECTANGULAR
        return next((found for found in (problem(i, depth + 1) for i in item) if found), None)

    return problem(value, 0) or _NON_RECTANGULAR


def _object_array(value, array):
    """Object arrays come from bytes of unequal length, huge integers, or bad sequences."""
    items = list(array.flat)
    if items and all(isinstance(item, (bytes, str)) for item in items):
        return np.array([s.encode("utf-8") if isinstance(s, str) else s for s in items],
                        dtype=object).reshape(array.shape)
    if items and all(isinstance(item, int) and not isinstance(item, _python_bool)
                     for item in items):
        raise ValueError(_INTEGER_OUT_OF_RANGE)
    if any(isinstance(item, (list, tuple)) for item in items):
        raise ValueError(_sequence_error(value))
    if not isinstance(value, (list, tuple)):
        raise _unsupported(value)
    first = _first_leaf(value)
    if isinstance(first, _PYTHON_SCALARS):
        raise ValueError(_MIXED_TYPES)
    raise _unsupported(first)


def python_to_array(value):
    """Converts a Python scalar or (nested) sequence to an ndarray with TensorFlow's dtypes.

    float -> float32, int -> int32 (int64 when it does not fit), bool -> bool,
    str -> string, complex -> complex128; a sequence takes the type of its first element,
    and NumPy floats keep their precision. Raises TensorFlow's errors for ragged or
    mixed-type sequences and for values no dtype holds.
    """
    python_type = type(value)
    if python_type is float and (-_FLOAT32_MAX <= value <= _FLOAT32_MAX or value != value
                                 or value in (_INF, -_INF)):
        return np.array(value, _FLOAT32_NP)
    if python_type is int and _INT32_MIN <= value <= _INT32_MAX:
        return np.array(value, _INT32_NP)
    array = _python_array(value)
    kind = array.dtype.kind
    if kind == "O":
        return array
    first = _first_leaf(value) if isinstance(value, (list, tuple)) else value
    if isinstance(first, (_python_bool, np.bool_)) and kind != "b":
        raise ValueError(_MIXED_TYPES)  # TensorFlow reads [True, 1] as bools, then fails
    if kind in "fc" and isinstance(first, (np.ndarray, np.generic)):
        if first.dtype.kind == kind:
            return array.astype(first.dtype, copy=False)
    if kind == "c":
        if not isinstance(first, (complex, np.complexfloating)):
            raise ValueError(_MIXED_TYPES)
        return array
    if kind == "f":
        beyond = np.abs(array) > _FLOAT32_MAX
        if beyond.any() and np.isfinite(array[beyond]).any():
            raise ValueError(_FLOAT_OUT_OF_RANGE)  # inf itself converts
        return array.astype(np.float32)
    if kind in "iu":
        if kind == "u" and array.size and array.max() > _INT64_MAX:
            raise ValueError(_INTEGER_OUT_OF_RANGE)  # NumPy holds 2**63 as uint64
        if array.size and (array.min() < _INT32_MIN or array.max() > _INT32_MAX):
            return array.astype(np.int64)
        return array.astype(np.int32)
    return array


def cast_python_value(value, dtype):
    """Converts a Python value to `dtype`, refusing lossy conversions as TensorFlow does."""
    np_dtype = dtype._np
    python_type = type(value)
    if python_type is float and np_dtype.kind in "fc" and not (
            abs(value) > _FLOAT_MAX.get(np_dtype, _INF) and value != _INF):
        return np.array(value, np_dtype)  # the common case: a float operand of a float op
    if python_type is int:
        low, high = _INT_BOUNDS.get(np_dtype, (-_INF, _INF))
        if low <= value <= high and np_dtype.kind in "iufc":
            return np.array(value, np_dtype)
    array = _python_array(value)
    source_kind, target_kind = array.dtype.kind, np_dtype.kind
    if source_kind == "c" and isinstance(value, (list, tuple)) and not isinstance(
            _first_leaf(value), (complex, np.complexfloating)):
        raise ValueError(_MIXED_TYPES)  # TensorFlow reads [2, 1j] as integers, then fails
    if array.size == 0 and source_kind != "O":
        return array.astype(np_dtype)
    lossy = ((source_kind == "O") != (target_kind == "O")
             or (source_kind == "f" and target_kind in "iub")
             or (source_kind == "c" and target_kind != "c")
             or (source_kind in "iu" and target_kind == "b")
             or (source_kind == "b" and target_kind == "c"))
    if not lossy and source_kind in "iu" and target_kind in "iu" and array.size:
        info = np.iinfo(np_dtype)
        lossy = array.min() < info.min or array.max() > info.max
    if lossy:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype "
                        f"{_TF_NAMES.get(dtype._name, dtype._name)}")
    if array.dtype == np_dtype:
        return array
    if source_kind == "f" and np_dtype in _FLOAT_MAX and array.size and (
            np.abs(array).max() > _FLOAT_MAX[np_dtype]):
        with np.errstate(over="ignore"):  # 1e40 becomes inf in float32, as in TensorFlow
            return array.astype(np_dtype)
    return array.astype(np_dtype)


def _numpy_conversion_error(reason):
    return ValueError(f"Failed to convert a NumPy array to a Tensor ({reason}).")


# NumPy's C names of the types TensorFlow has no dtype for, as its errors name them.
_NPY_TYPE_NAMES = {"M": "NPY_DATETIME", "m": "NPY_TIMEDELTA", "f": "NPY_LONGDOUBLE",
                   "c": "NPY_CLONGDOUBLE"}


def _unsupported_numpy_type(np_dtype):
    name = _NPY_TYPE_NAMES.get(np_dtype.kind)
    return f"Unsupported numpy type: {name}" if name else "Unsupported numpy data type"


def numpy_to_array(value, dtype=None):
    """Copies a NumPy array or scalar, keeping its dtype unless `dtype` is given."""
    array = np.array(value, copy=True)
    if array.dtype.kind in "SU":
        array = _to_bytes_array(array)
    elif array.dtype.kind == "O":
        items = list(array.flat)
        if not all(isinstance(item, (str, bytes)) for item in items):
            bad = next(item for item in items if not isinstance(item, (str, bytes)))
            raise _numpy_conversion_error(f"Unsupported object type {type(bad).__name__}")
        array = _encode_strings(array)
    elif array.dtype.kind not in _NUMERIC_KINDS or (
            dtype is None and array.dtype not in _FROM_NUMPY):
        raise _numpy_conversion_error(_unsupported_numpy_type(array.dtype))
    if dtype is string and array.dtype.kind != "O":
        raise ValueError(f"Unsupported object type {array.dtype.type.__name__}")
    if dtype is not None and array.dtype != dtype._np:
        array = array.astype(dtype._np)
    return array
