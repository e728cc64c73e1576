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

    __slots__ = ("_name", "_np", "_enum")

    def __init__(self, name, np_dtype, enum):
        self._name = name
        self._np = np.dtype(np_dtype)
        self._enum = enum

    @property
    def name(self):
        return self._name

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type (`np.float32`); `object` for strings."""
        return self._np.type

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
        """Bytes per element."""
        return self._np.itemsize

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
        return (self.min, self.max)

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

ALL_DTYPES = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32,
              uint64, bool, string, complex64, complex128)

# NumPy dtype -> DType; strings (bytes or unicode arrays) are object arrays of bytes here.
_FROM_NUMPY = {d._np: d for d in ALL_DTYPES}
_FROM_NAME = {d._name: d for d in ALL_DTYPES}
_FROM_NAME.update({"half": float16, "float": float32, "double": float64, "bool_": bool,
                   "str": string, "bytes": string, "object": string})
_FROM_ENUM = {d._enum: d for d in ALL_DTYPES}
_FROM_PYTHON = {float: float32, _python_bool: bool, str: string, bytes: string}


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
            found = _FROM_NUMPY.get(np.dtype(type_value))
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
_NUMERIC_KINDS = "biufc"


def _to_bytes_array(array):
    """Strings become object arrays of bytes, as TensorFlow's string tensors hold."""
    if array.dtype.kind == "S":
        return array.astype(object)
    if array.dtype.kind == "U":
        encoded = np.char.encode(array, "utf-8")
        return encoded.astype(object)
    return array


def python_to_array(value):
    """Converts a Python scalar or (nested) sequence to an ndarray with TensorFlow's dtypes.

    float -> float32, int -> int32 (int64 when it does not fit), bool -> bool,
    str -> string, complex -> complex128. Raises TensorFlow's errors for ragged or
    mixed-type sequences.
    """
    if value is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    try:
        array = np.asarray(value)
    except ValueError as err:
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from err
    kind = array.dtype.kind
    if kind == "f":
        return array.astype(np.float32)
    if kind in "iu":
        if array.size and (array.min() < _INT32_MIN or array.max() > _INT32_MAX):
            return array.astype(np.int64)
        return array.astype(np.int32)
    if kind in "bc":
        return array
    if kind in "SU":
        return _to_bytes_array(array)
    if kind == "O":
        return _object_array(value, array)
    raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                     f"({type(value)}) to a Tensor.")


def _object_array(value, array):
    """Object arrays come from mixed or ragged sequences, or from bytes of unequal length."""
    if array.size and all(isinstance(item, (bytes, str)) for item in array.flat):
        return np.vectorize(lambda s: s.encode("utf-8") if isinstance(s, str) else s,
                            otypes=[object])(array)
    if array.size and all(isinstance(item, (list, tuple)) for item in array.flat):
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
    if array.ndim and any(isinstance(item, (_python_bool, np.bool_)) for item in array.flat):
        raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
    raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                     f"({type(value)}) to a Tensor.")


def cast_python_value(value, dtype):
    """Converts a Python value to `dtype`, refusing lossy conversions as TensorFlow does."""
    np_dtype = dtype._np
    if dtype is string:
        return _to_bytes_array(np.asarray(value)).astype(object)
    array = python_to_array(value)
    if array.dtype == np_dtype:
        return array
    source_kind, target_kind = array.dtype.kind, np_dtype.kind
    lossy = ((source_kind == "f" and target_kind in "iub")
             or (source_kind == "c" and target_kind != "c")
             or (source_kind in "iu" and target_kind == "b")
             or (source_kind == "b" and target_kind != "b")
             or source_kind == "O")
    if not lossy and target_kind in "iu" and array.size:
        info = np.iinfo(np_dtype)
        lossy = array.min() < info.min or array.max() > info.max
    if lossy:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    return array.astype(np_dtype)


def numpy_to_array(value, dtype=None):
    """Copies a NumPy array or scalar, keeping its dtype unless `dtype` is given."""
    array = np.array(value, copy=True)
    if array.dtype.kind in "SU":
        array = _to_bytes_array(array)
    elif array.dtype.kind not in _NUMERIC_KINDS and array.dtype.kind != "O":
        raise TypeError(f"Cannot convert a NumPy array of dtype {array.dtype} to a Tensor.")
    if dtype is not None and array.dtype != dtype._np:
        array = array.astype(dtype._np)
    return array
