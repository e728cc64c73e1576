"""DType objects, `tf.as_dtype`, and the dtypes Python values convert to."""

import copy
import pickle

import numpy as np
import pytest

import eagerflow as tf

# name, NumPy scalar type, is_floating, is_integer, is_complex, is_unsigned, size, enum;
# recorded from TF 2.21.
DTYPES = [
    (tf.float16, "float16", np.float16, True, False, False, False, 2, 19),
    (tf.float32, "float32", np.float32, True, False, False, False, 4, 1),
    (tf.float64, "float64", np.float64, True, False, False, False, 8, 2),
    (tf.int8, "int8", np.int8, False, True, False, False, 1, 6),
    (tf.int16, "int16", np.int16, False, True, False, False, 2, 5),
    (tf.int32, "int32", np.int32, False, True, False, False, 4, 3),
    (tf.int64, "int64", np.int64, False, True, False, False, 8, 9),
    (tf.uint8, "uint8", np.uint8, False, True, False, True, 1, 4),
    (tf.uint16, "uint16", np.uint16, False, True, False, True, 2, 17),
    (tf.uint32, "uint32", np.uint32, False, True, False, True, 4, 22),
    (tf.uint64, "uint64", np.uint64, False, True, False, True, 8, 23),
    (tf.bool, "bool", np.bool_, False, False, False, False, 1, 10),
    (tf.string, "string", object, False, False, False, False, 0, 7),
    (tf.complex64, "complex64", np.complex64, False, False, True, False, 8, 8),
    (tf.complex128, "complex128", np.complex128, False, False, True, False, 16, 18),
]
ALL = [row[0] for row in DTYPES]


@pytest.mark.parametrize(
    "dtype, name, np_type, floating, integer, complex_, unsigned, size, enum", DTYPES,
    ids=[row[1] for row in DTYPES])
def test_dtype_properties(dtype, name, np_type, floating, integer, complex_, unsigned, size,
                          enum):
    assert dtype.name == name
    assert dtype.as_numpy_dtype is np_type
    assert dtype.is_floating is floating
    assert dtype.is_integer is integer
    assert dtype.is_complex is complex_
    assert dtype.is_unsigned is unsigned
    assert dtype.is_bool is (name == "bool")
    assert dtype.is_numeric is (name not in ("bool", "string"))
    assert dtype.size == size
    assert dtype.as_datatype_enum == enum
    assert dtype.base_dtype is dtype
    assert repr(dtype) == f"tf.{name}"
    assert str(dtype) == f"<dtype: '{name}'>"


@pytest.mark.parametrize("dtype, real", [
    (tf.complex64, tf.float32), (tf.complex128, tf.float64), (tf.float32, tf.float32),
    (tf.int8, tf.int8)])
def test_real_dtype(dtype, real):
    assert dtype.real_dtype is real


@pytest.mark.parametrize("dtype, low, high", [
    (tf.int8, -128, 127),  # recorded from TF 2.21
    (tf.int16, -32768, 32767),
    (tf.int32, -2147483648, 2147483647),
    (tf.int64, -9223372036854775808, 9223372036854775807),
    (tf.uint8, 0, 255),
    (tf.uint16, 0, 65535),
    (tf.uint32, 0, 4294967295),
    (tf.uint64, 0, 18446744073709551615),
])
def test_integer_min_max_are_python_ints(dtype, low, high):
    assert (dtype.min, dtype.max) == (low, high)
    assert type(dtype.min) is int and type(dtype.max) is int


@pytest.mark.parametrize("dtype, np_type", [
    (tf.float16, np.float16), (tf.float32, np.float32), (tf.float64, np.float64)])
def test_float_min_max_are_numpy_scalars(dtype, np_type):
    # recorded from TF 2.21: np.float32(-3.4028235e+38), np.float32(3.4028235e+38) ...
    assert type(dtype.max) is np_type and type(dtype.min) is np_type
    assert dtype.max == np.finfo(np_type).max and dtype.min == -dtype.max


@pytest.mark.parametrize("dtype", [tf.bool, tf.string, tf.complex64, tf.complex128])
def test_min_max_type_error(dtype):
    # recorded from TF 2.21
    with pytest.raises(TypeError, match=f"Cannot find minimum value of <dtype: '{dtype.name}'> "
                                        f"with type <dtype: '{dtype.name}'>."):
        dtype.min
    with pytest.raises(TypeError, match="Cannot find maximum value of"):
        dtype.max


@pytest.mark.parametrize("dtype, limits", [
    (tf.float32, (0, 1)), (tf.float64, (0, 1)), (tf.int8, (0, 127)),  # recorded from TF 2.21
    (tf.int64, (0, 9223372036854775807)), (tf.uint16, (0, 65535)), (tf.bool, (0, True))])
def test_limits(dtype, limits):
    assert dtype.limits == limits


@pytest.mark.parametrize("dtype", [tf.float16, tf.string, tf.complex64])
def test_limits_undefined(dtype):
    with pytest.raises(ValueError, match=f"<dtype: '{dtype.name}'> does not have defined limits."):
        dtype.limits


@pytest.mark.parametrize("value, expected", [
    ("float32", tf.float32), ("float", tf.float32), ("double", tf.float64), ("half", tf.float16),
    ("int32", tf.int32), ("uint8", tf.uint8), ("complex64", tf.complex64), ("string", tf.string),
    ("bool", tf.bool), (np.float32, tf.float32), (np.dtype("float64"), tf.float64),
    (np.int64, tf.int64), (np.bool_, tf.bool), (np.complex64, tf.complex64), (np.half, tf.float16),
    (np.object_, tf.string), (object, tf.string), (np.str_, tf.string), (np.bytes_, tf.string),
    (np.dtype("S3"), tf.string), (np.dtype("U3"), tf.string), (float, tf.float32),
    (bool, tf.bool), (1, tf.float32), (3, tf.int32), (tf.int16, tf.int16),
])  # recorded from TF 2.21
def test_as_dtype(value, expected):
    assert tf.as_dtype(value) is expected
    assert tf.dtypes.as_dtype(value) is expected


@pytest.mark.parametrize("value", [
    "foo", "int", "bool_", "object", int, str, bytes, complex, None, [1], 1.5, 1000,
    np.dtype("datetime64[s]"), np.void])
def test_as_dtype_type_error(value):
    # recorded from TF 2.21
    message = f"Cannot convert the argument `type_value`: {value!r} to a TensorFlow DType."
    with pytest.raises(TypeError) as info:
        tf.as_dtype(value)
    assert str(info.value) == message


def test_equality_with_names_and_numpy_types():
    # recorded from TF 2.21
    assert tf.float32 == "float32"
    assert tf.float32 == np.float32
    assert tf.float32 == np.dtype("float32")
    assert tf.float32 == tf.float32.as_datatype_enum
    assert tf.float32 == float
    assert not tf.float32 == "float64"
    assert not tf.float32 == tf.float64
    assert not tf.float32 == 3
    assert not tf.float32 == "foo"
    assert not tf.float32 == None  # noqa: E711 - the comparison is the behaviour under test
    assert tf.float32 != "float64"
    assert not tf.float32 != "float32"
    assert tf.half is tf.float16 and tf.double is tf.float64


def test_is_compatible_with():
    assert tf.float32.is_compatible_with(tf.float32)
    assert tf.float32.is_compatible_with("float32")
    assert not tf.float32.is_compatible_with("float64")


def test_hashing():
    assert len({tf.float32, tf.as_dtype(np.float32), tf.as_dtype("float")}) == 1
    assert len(set(ALL)) == len(ALL)
    assert {tf.int64: "x"}[tf.as_dtype("int64")] == "x"


@pytest.mark.parametrize("dtype", ALL, ids=[d.name for d in ALL])
def test_pickle_and_copy_keep_identity(dtype):
    assert pickle.loads(pickle.dumps(dtype)) is dtype
    assert copy.deepcopy(dtype) is dtype
    assert copy.copy(dtype) is dtype


@pytest.mark.parametrize("dtype", ALL, ids=[d.name for d in ALL])
def test_round_trip_through_name_and_numpy(dtype):
    assert tf.as_dtype(dtype.name) is dtype
    assert tf.as_dtype(dtype.as_numpy_dtype) is dtype


# --- what Python values become -----------------------------------------------------------

@pytest.mark.parametrize("value, dtype, expected", [
    (1.5, tf.float32, 1.5),
    (3, tf.int32, 3),
    (2 ** 31 - 1, tf.int32, 2 ** 31 - 1),
    (2 ** 31, tf.int64, 2 ** 31),
    (-(2 ** 31) - 1, tf.int64, -(2 ** 31) - 1),
    (2 ** 63 - 1, tf.int64, 2 ** 63 - 1),
    (True, tf.bool, True),
    ("hi", tf.string, b"hi"),
    (b"hi", tf.string, b"hi"),
    (1 + 2j, tf.complex128, 1 + 2j),
    ([1, 2], tf.int32, [1, 2]),
    ((1, 2), tf.int32, [1, 2]),
    ([[1.0], [2.0]], tf.float32, [[1.0], [2.0]]),
    ([True, False], tf.bool, [True, False]),
    ([1, 2.5], tf.float32, [1.0, 2.5]),
    ([1, True], tf.int32, [1, 1]),
    ([1.5, True], tf.float32, [1.5, 1.0]),
    ([[2], [True]], tf.int32, [[2], [1]]),
    ([1, 2 ** 40], tf.int64, [1, 2 ** 40]),
    ([2 ** 40, 1.5], tf.float32, [float(np.float32(2 ** 40)), 1.5]),
    ([1 + 2j, 1], tf.complex128, [1 + 2j, 1]),
    (["a", "bcd"], tf.string, [b"a", b"bcd"]),
    ([b"a", "b"], tf.string, [b"a", b"b"]),
    ([], tf.float32, []),
    ([[], []], tf.float32, [[], []]),
    ((), tf.float32, []),
    ([np.float64(1.0), 2.0], tf.float64, [1.0, 2.0]),
    ([2.0, np.float64(1.0)], tf.float32, [2.0, 1.0]),
    ([np.float32(1.0), np.float64(2.0)], tf.float32, [1.0, 2.0]),
    ([np.int64(1), 2], tf.int32, [1, 2]),
    ([np.array([1.0, 2.0]), [3.0, 4.0]], tf.float64, [[1.0, 2.0], [3.0, 4.0]]),
    ([[3.0, 4.0], np.array([1.0, 2.0])], tf.float32, [[3.0, 4.0], [1.0, 2.0]]),
    ([np.array([1, 2], np.int16), [3, 4]], tf.int32, [[1, 2], [3, 4]]),
])  # recorded from TF 2.21
def test_python_value_dtypes(value, dtype, expected):
    t = tf.constant(value)
    assert t.dtype is dtype
    assert np.asarray(t.numpy()).tolist() == expected
    assert tf.convert_to_tensor(value).dtype is dtype


def test_float_keeps_float32_rounding_but_float64_is_exact():
    assert tf.constant(0.1).numpy() == np.float32(0.1)
    # recorded from TF 2.21: the Python float converts straight to float64.
    assert tf.constant(0.1, tf.float64).numpy() == 0.1
    assert tf.constant([0.1, 1], tf.float64).numpy().tolist() == [0.1, 1.0]
    assert tf.constant(1e40, tf.float64).numpy() == 1e40
    assert tf.constant(2 ** 40 + 1, tf.float64).numpy() == 2 ** 40 + 1


RAGGED = "Can't convert non-rectangular Python sequence to Tensor."
MIXED = "Can't convert Python sequence with mixed types to Tensor."
BIG_INT = "Can't convert Python sequence with out-of-range integer to Tensor."
BIG_FLOAT = ("Can't convert Python sequence with a value out of range for a double-precision "
             "float.")


@pytest.mark.parametrize("value, message", [
    ([[1, 2], [3]], RAGGED),
    ([[1, 2], 3], RAGGED),
    ([[1], []], RAGGED),
    ([True, 1], MIXED),
    ([True, 1.5], MIXED),
    ([[True], [2]], MIXED),
    ([np.True_, 1], MIXED),
    ([True, "a"], MIXED),
    (["a", 1], MIXED),
    ([1, "a"], MIXED),
    ([1, 1 + 2j], MIXED),
    ([1.5, 1j], MIXED),
    ([1, None], MIXED),
    ([1.5, None], MIXED),
    ([True, None], MIXED),
    (2 ** 63, BIG_INT),
    ([2 ** 64], BIG_INT),
    ([-(2 ** 63) - 1], BIG_INT),
    ([[2 ** 63]], BIG_INT),
    (1e40, BIG_FLOAT),
    ([-1e40], BIG_FLOAT),
    (1e300, BIG_FLOAT),
    (None, "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) "
           "to a Tensor."),
    ([None], "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) "
             "to a Tensor."),
    ({"a": 1}, "Attempt to convert a value ({'a': 1}) with an unsupported type "
               "(<class 'dict'>) to a Tensor."),
])  # recorded from TF 2.21
def test_conversion_value_errors(value, message):
    with pytest.raises(ValueError) as info:
        tf.constant(value)
    assert str(info.value) == message


def test_infinity_is_not_out_of_range():
    assert np.isinf(tf.constant(float("inf")).numpy())
    assert np.isnan(tf.constant([float("nan")]).numpy()[0])


@pytest.mark.parametrize("value, dtype, expected", [
    ([1, 2], tf.float32, [1.0, 2.0]),
    (3, tf.float16, 3.0),
    (1, tf.complex64, 1 + 0j),
    (1.5, tf.complex128, 1.5 + 0j),
    (True, tf.float32, 1.0),
    ([True, False], tf.int64, [1, 0]),
    ([True, 1], tf.int32, [1, 1]),
    ([1.5, 2], tf.float16, [1.5, 2.0]),
    (1e5, tf.float16, float("inf")),
    (1e40, tf.float32, float("inf")),
    (2 ** 40, tf.float32, float(2 ** 40)),
    (2 ** 63, tf.uint64, 2 ** 63),
    ([], tf.int32, []),
    (["a", b"b"], tf.string, [b"a", b"b"]),
])  # recorded from TF 2.21
def test_conversion_to_requested_dtype(value, dtype, expected):
    t = tf.constant(value, dtype=dtype)
    assert t.dtype is dtype
    assert t.numpy().tolist() == expected


@pytest.mark.parametrize("value, dtype, name", [
    (1.5, tf.int32, "int32"),
    (1.0, tf.int32, "int32"),
    (float("nan"), tf.int32, "int32"),
    (1, tf.bool, "bool"),
    (1.5, tf.bool, "bool"),
    (1, tf.string, "string"),
    ("a", tf.int32, "int32"),
    (1 + 2j, tf.float32, "float"),
    (1 + 0j, tf.float32, "float"),
    (["a", "b"], tf.float32, "float"),
    (True, tf.complex64, "complex64"),
    ([[1], [2.5]], tf.int32, "int32"),
])  # recorded from TF 2.21
def test_lossy_conversion_type_error(value, dtype, name):
    with pytest.raises(TypeError) as info:
        tf.constant(value, dtype=dtype)
    assert str(info.value) == f"Cannot convert {value!r} to EagerTensor of dtype {name}"


@pytest.mark.parametrize("value, dtype", [(300, tf.uint8), (-1, tf.uint8), (2 ** 40, tf.int32)])
def test_integer_overflow_is_refused(value, dtype):
    # TF 2.21 wraps these silently (300 -> 44); eagerflow refuses a silent wrong value.
    with pytest.raises(TypeError, match=f"Cannot convert {value} to EagerTensor"):
        tf.constant(value, dtype=dtype)


def test_mixed_types_error_with_dtype():
    with pytest.raises(ValueError, match=MIXED):  # recorded from TF 2.21
        tf.constant([1, "a"], dtype=tf.string)
    with pytest.raises(ValueError, match=MIXED):
        tf.constant([1, None], dtype=tf.float32)


@pytest.mark.parametrize("array", [
    np.array([1.0, 2.0]), np.array([1, 2]), np.array([1, 2], np.uint16), np.float64(1.5),
    np.int16(3), np.array(1.5, np.float16), np.array([True])])
def test_numpy_values_keep_their_dtype(array):
    t = tf.constant(array)
    assert t.dtype is tf.as_dtype(array.dtype)
    assert t.numpy().tolist() == np.asarray(array).tolist()


def test_numpy_strings_become_bytes():
    t = tf.constant(np.array(["a", "bc"]))
    assert t.dtype is tf.string
    assert t.numpy().tolist() == [b"a", b"bc"]


@pytest.mark.parametrize("array, dtype, expected", [
    (np.array([1.7, -1.2]), tf.int32, [1, -1]),  # recorded from TF 2.21: NumPy casts truncate
    (np.array([1, 2]), tf.float32, [1.0, 2.0]),
    (np.float64(1.5), tf.float32, 1.5),
])
def test_numpy_values_cast_to_requested_dtype(array, dtype, expected):
    t = tf.constant(array, dtype=dtype)
    assert t.dtype is dtype
    assert t.numpy().tolist() == expected
