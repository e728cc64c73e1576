"""Tensor: immutability, Python protocols, printing, conversion and indexing."""

import numpy as np
import pytest

import eagerflow as tf
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError


# --- immutability -----------------------------------------------------------------------

def test_item_assignment_is_a_type_error():
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    message = ("'tensorflow.python.framework.ops.EagerTensor' object does not support item "
               "assignment")  # recorded from TF 2.21
    with pytest.raises(TypeError) as info:
        t[0, 0] = 5.0
    assert str(info.value) == message
    with pytest.raises(TypeError):
        t[0] = 5.0
    assert t.numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]


@pytest.mark.parametrize("make", [tf.constant, tf.convert_to_tensor])
def test_tensor_does_not_follow_the_source_array(make):
    array = np.array([1.0, 2.0])
    t = make(array)
    array[0] = 9.0
    assert t.numpy().tolist() == [1.0, 2.0]


def test_numpy_returns_a_copy():
    t = tf.constant([1.0, 2.0])
    copy = t.numpy()
    copy[0] = 7.0
    assert copy.flags.writeable
    assert t.numpy().tolist() == [1.0, 2.0]


def test_asarray_is_read_only():
    t = tf.constant([1.0, 2.0])
    view = np.asarray(t)
    assert view.dtype == np.float32
    assert not view.flags.writeable  # recorded from TF 2.21
    with pytest.raises(ValueError, match="read-only"):
        view[0] = 7.0
    assert t.numpy().tolist() == [1.0, 2.0]
    assert np.array(t).flags.writeable  # np.array copies
    assert np.asarray(t, dtype=np.float64).dtype == np.float64


# --- what it is -------------------------------------------------------------------------

def test_shape_dtype_ndim():
    t = tf.constant([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])
    assert isinstance(t.shape, tf.TensorShape)
    assert t.shape == (2, 3)
    assert t.shape.as_list() == [2, 3]
    assert t.shape.rank == 2
    assert (t.shape[0], t.shape[-1]) == (2, 3)
    assert repr(t.shape) == "TensorShape([2, 3])"  # recorded from TF 2.21
    assert t.get_shape() == t.shape
    assert t.dtype is tf.float32
    assert t.ndim == 2
    assert tf.constant(1.0).shape.as_list() == []
    assert tf.constant(1.0).ndim == 0


@pytest.mark.parametrize("value, scalar_type", [
    (1.0, np.float32), (1, np.int32), (True, np.bool_), (1 + 2j, np.complex128), ("a", bytes)])
def test_numpy_of_a_scalar_is_a_numpy_scalar(value, scalar_type):
    result = tf.constant(value).numpy()
    assert type(result) is scalar_type
    assert isinstance(tf.constant([value]).numpy(), np.ndarray)


def test_len_and_iteration():
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert len(t) == 2
    rows = list(t)
    assert all(type(row) is tf.Tensor for row in rows)
    assert [row.numpy().tolist() for row in rows] == [[1.0, 2.0], [3.0, 4.0]]


def test_scalar_has_no_len_and_no_iteration():
    s = tf.constant(2.5)
    with pytest.raises(TypeError) as info:
        len(s)
    assert str(info.value) == "Scalar tensor has no `len()`"  # recorded from TF 2.21
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor."):
        iter(s)
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor."):
        list(s)


def test_scalar_conversions():
    # recorded from TF 2.21
    s = tf.constant(2.5)
    assert bool(s) is True and bool(tf.constant(0.0)) is False
    assert float(s) == 2.5 and type(float(s)) is float
    assert int(s) == 2 and int(tf.constant(-2.7)) == -2
    assert complex(s) == 2.5 + 0j
    assert int(tf.constant(7)) == 7 and float(tf.constant(7)) == 7.0
    assert [10, 20, 30][tf.constant(1)] == 20
    assert [10, 20, 30][tf.constant(1, tf.int64)] == 20
    assert [1, 2, 3][tf.constant(1, tf.uint8)] == 2
    assert list(range(tf.constant(3))) == [0, 1, 2]


@pytest.mark.parametrize("convert, value, error", [
    (bool, [1.0, 2.0], ValueError),
    (float, [1.0, 2.0], TypeError),
    (int, [1, 2], TypeError),
    (int, [[3]], TypeError),
    (float, [1.0], TypeError),
    (float, "a", ValueError),
])  # recorded from TF 2.21
def test_scalar_conversion_errors(convert, value, error):
    with pytest.raises(error):
        convert(tf.constant(value))


@pytest.mark.parametrize("index", [tf.constant(1.0), tf.constant([1]), tf.constant(True)])
def test_only_integer_scalars_are_indices(index):
    # TF 2.21 raises AttributeError for float and bool scalars; a TypeError is what
    # Python's index protocol expects.
    with pytest.raises(TypeError):
        [1, 2][index]


def test_format():
    # recorded from TF 2.21
    assert f"{tf.constant(3.14159):.2f}" == "3.14"
    assert f"{tf.constant(3):5d}" == "    3"
    assert f"{tf.constant(2.5)}" == "2.5"
    assert f"{tf.constant([[1.0, 2.0], [3.0, 4.0]])}" == "[[1. 2.]\n [3. 4.]]"
    assert "{}".format(tf.constant([1, 2])) == "[1 2]"
    with pytest.raises(TypeError, match="unsupported format string"):
        f"{tf.constant([1.0, 2.0]):.2f}"


def test_hash_and_ref():
    t = tf.constant([1.0])
    with pytest.raises(TypeError) as info:
        hash(t)
    # recorded from TF 2.21
    assert str(info.value) == "Tensor is unhashable. Instead, use tensor.ref() as the key."
    with pytest.raises(TypeError):
        {t: 1}
    ref = t.ref()
    assert ref.deref() is t
    assert ref == t.ref() and hash(ref) == hash(t.ref())
    assert {ref: 1}[t.ref()] == 1
    assert ref != tf.constant([1.0]).ref()


# --- printing ---------------------------------------------------------------------------

LARGE = ("tf.Tensor(\n"
         "[[0.000e+00 1.000e+00 2.000e+00 ... 9.970e+02 9.980e+02 9.990e+02]\n"
         " [1.000e+03 1.001e+03 1.002e+03 ... 1.997e+03 1.998e+03 1.999e+03]], "
         "shape=(2, 1000), dtype=float32)")


@pytest.mark.parametrize("make, text", [
    (lambda: tf.zeros((2, 1)), "tf.Tensor(\n[[0.]\n [0.]], shape=(2, 1), dtype=float32)"),
    (lambda: tf.constant(3.0), "tf.Tensor(3.0, shape=(), dtype=float32)"),
    (lambda: tf.constant(3), "tf.Tensor(3, shape=(), dtype=int32)"),
    (lambda: tf.constant([1.5, 2.0]), "tf.Tensor([1.5 2. ], shape=(2,), dtype=float32)"),
    (lambda: tf.constant("hi"), "tf.Tensor(b'hi', shape=(), dtype=string)"),
    (lambda: tf.constant(["a", "bc"]), "tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)"),
    (lambda: tf.constant(True), "tf.Tensor(True, shape=(), dtype=bool)"),
    (lambda: tf.constant([True, False]), "tf.Tensor([ True False], shape=(2,), dtype=bool)"),
    (lambda: tf.constant(5, tf.int64), "tf.Tensor(5, shape=(), dtype=int64)"),
    (lambda: tf.constant([1 + 2j, 3j]),
     "tf.Tensor([1.+2.j 0.+3.j], shape=(2,), dtype=complex128)"),
    (lambda: tf.constant(1 + 2j), "tf.Tensor((1+2j), shape=(), dtype=complex128)"),
    (lambda: tf.constant([1.0], tf.float64), "tf.Tensor([1.], shape=(1,), dtype=float64)"),
    (lambda: tf.constant(0.1, tf.float64), "tf.Tensor(0.1, shape=(), dtype=float64)"),
    (lambda: tf.constant(0.1, tf.float16), "tf.Tensor(0.1, shape=(), dtype=float16)"),
    (lambda: tf.constant(1 / 3), "tf.Tensor(0.33333334, shape=(), dtype=float32)"),
    (lambda: tf.constant([1 / 3, 2 / 3], tf.float64),
     "tf.Tensor([0.33333333 0.66666667], shape=(2,), dtype=float64)"),
    (lambda: tf.zeros((0,)), "tf.Tensor([], shape=(0,), dtype=float32)"),
    (lambda: tf.zeros((0, 3), tf.int32), "tf.Tensor([], shape=(0, 3), dtype=int32)"),
    (lambda: tf.constant(1e10), "tf.Tensor(1e+10, shape=(), dtype=float32)"),
    (lambda: tf.constant([1e-8, 1.0]), "tf.Tensor([1.e-08 1.e+00], shape=(2,), dtype=float32)"),
    (lambda: tf.constant(float("nan")), "tf.Tensor(nan, shape=(), dtype=float32)"),
    (lambda: tf.constant([float("inf"), -1.0]),
     "tf.Tensor([inf -1.], shape=(2,), dtype=float32)"),
    (lambda: tf.constant([-1, 2], tf.int8), "tf.Tensor([-1  2], shape=(2,), dtype=int8)"),
    (lambda: tf.constant([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
     "tf.Tensor(\n[[[1 2]\n  [3 4]]\n\n [[5 6]\n  [7 8]]], shape=(2, 2, 2), dtype=int32)"),
    (lambda: tf.reshape(tf.range(2000.0), (2, 1000)), LARGE),
    (lambda: tf.range(2000),
     "tf.Tensor([   0    1    2 ... 1997 1998 1999], shape=(2000,), dtype=int32)"),
])  # recorded from TF 2.21
def test_str(make, text):
    assert str(make()) == text


def test_print(capsys):
    print(tf.zeros((2, 1)))
    assert capsys.readouterr().out == "tf.Tensor(\n[[0.]\n [0.]], shape=(2, 1), dtype=float32)\n"


@pytest.mark.parametrize("make, text", [
    (lambda: tf.constant([1.5, 2.0]),
     "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1.5, 2. ], dtype=float32)>"),
    (lambda: tf.constant(3.0), "<tf.Tensor: shape=(), dtype=float32, numpy=3.0>"),
    (lambda: tf.zeros((2, 1)),
     "<tf.Tensor: shape=(2, 1), dtype=float32, numpy=\narray([[0.],\n       [0.]], "
     "dtype=float32)>"),
    (lambda: tf.constant("hi"), "<tf.Tensor: shape=(), dtype=string, numpy=b'hi'>"),
    (lambda: tf.constant(True), "<tf.Tensor: shape=(), dtype=bool, numpy=True>"),
    (lambda: tf.constant(5, tf.int64), "<tf.Tensor: shape=(), dtype=int64, numpy=5>"),
    (lambda: tf.constant([1, 2]),
     "<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>"),
    (lambda: tf.constant(1 + 2j), "<tf.Tensor: shape=(), dtype=complex128, numpy=(1+2j)>"),
    (lambda: tf.constant(["a"]),
     "<tf.Tensor: shape=(1,), dtype=string, numpy=array([b'a'], dtype=object)>"),
    (lambda: tf.zeros((0,)),
     "<tf.Tensor: shape=(0,), dtype=float32, numpy=array([], dtype=float32)>"),
    (lambda: tf.constant(0.1, tf.float64), "<tf.Tensor: shape=(), dtype=float64, numpy=0.1>"),
    (lambda: tf.constant(7, tf.uint8), "<tf.Tensor: shape=(), dtype=uint8, numpy=7>"),
    (lambda: tf.reshape(tf.range(2000.0), (2, 1000)),
     "<tf.Tensor: shape=(2, 1000), dtype=float32, numpy=\n"
     "array([[0.000e+00, 1.000e+00, 2.000e+00, ..., 9.970e+02, 9.980e+02,\n"
     "        9.990e+02],\n"
     "       [1.000e+03, 1.001e+03, 1.002e+03, ..., 1.997e+03, 1.998e+03,\n"
     "        1.999e+03]], shape=(2, 1000), dtype=float32)>"),
])  # recorded from TF 2.21
def test_repr(make, text):
    assert repr(make()) == text


# --- tf.constant ------------------------------------------------------------------------

@pytest.mark.parametrize("value, shape, dtype, expected", [
    (1.0, (2, 3), tf.float32, [[1.0] * 3] * 2),
    ([1, 2, 3, 4], (2, 2), tf.int32, [[1, 2], [3, 4]]),
    (7, [], tf.int32, 7),
    ([1], (3,), tf.int32, [1, 1, 1]),
    ([[1, 2]], (2,), tf.int32, [1, 2]),
    (np.array([1.0, 2.0]), (2, 1), tf.float64, [[1.0], [2.0]]),
    (np.array([1.0]), (2,), tf.float64, [1.0, 1.0]),
])  # recorded from TF 2.21
def test_constant_with_shape(value, shape, dtype, expected):
    t = tf.constant(value, shape=shape)
    assert t.dtype is dtype
    assert t.shape.as_list() == list(shape)
    assert np.asarray(t.numpy()).tolist() == expected


def test_constant_with_dtype_and_shape():
    t = tf.constant(np.array([1, 2]), dtype=tf.float32, shape=(2, 1))
    assert t.dtype is tf.float32 and t.numpy().tolist() == [[1.0], [2.0]]
    assert tf.constant(tf.constant([1.0]), shape=(3,)).numpy().tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("value, source, shape", [
    ([1, 2, 3], "[1, 2, 3]", (2, 2)),
    (np.array([1.0, 2.0]), "[1. 2.]", (3,)),
    (tf.constant([1.0, 2.0]), "[1. 2.]", (3,)),
])  # recorded from TF 2.21
def test_constant_wrong_element_count(value, source, shape):
    size = int(np.prod(shape))
    with pytest.raises(TypeError) as info:
        tf.constant(value, shape=shape)
    tensor_text = str(np.asarray(value, dtype=np.float32 if "." in source else np.int32))
    assert str(info.value) == (
        f"Eager execution of tf.constant with unsupported shape. Tensor {tensor_text} "
        f"(converted from {source}) has {np.size(value)} elements, but got `shape` {shape} "
        f"with {size} elements).")


def test_constant_of_a_tensor_is_that_tensor_and_keeps_gradients():
    x = tf.constant([1.0, 2.0])
    assert tf.constant(x) is x  # recorded from TF 2.21
    assert tf.constant(x, dtype=tf.float32, shape=(2,)) is x
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.constant(x) * 2.0
    assert tape.gradient(y, x).numpy().tolist() == [2.0, 2.0]


@pytest.mark.parametrize("value, dtype, text", [
    ([1.0, 2.0], tf.int32, "Expected tensor [1. 2.] with dtype tf.int32, but got dtype "
                           "tf.float32."),
    ([1, 2], tf.float32, "Expected tensor [1 2] with dtype tf.float32, but got dtype tf.int32."),
])  # recorded from TF 2.21
def test_constant_of_a_tensor_with_another_dtype(value, dtype, text):
    with pytest.raises(TypeError) as info:
        tf.constant(tf.constant(value), dtype=dtype)
    assert str(info.value) == text


def test_constant_of_a_variable_casts():
    v = tf.Variable([1.0, 2.0])
    # recorded from TF 2.21
    assert tf.constant(v, dtype=tf.float64).dtype is tf.float64
    assert tf.constant(v, dtype=tf.int32).numpy().tolist() == [1, 2]
    t = tf.constant(v)
    v.assign([5.0, 6.0])
    assert t.numpy().tolist() == [1.0, 2.0]


def test_constant_of_a_float_with_int_dtype():
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.constant(1.5, dtype=tf.int32)


# --- tf.convert_to_tensor ---------------------------------------------------------------

def test_convert_to_tensor_returns_tensors_unchanged():
    t = tf.constant([1.0])
    assert tf.convert_to_tensor(t) is t
    assert tf.convert_to_tensor(t, dtype=tf.float32) is t
    assert tf.convert_to_tensor(t, dtype="float32") is t


@pytest.mark.parametrize("dtype", [tf.float64, tf.int32])
def test_convert_to_tensor_refuses_another_dtype(dtype):
    t = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError) as info:
        tf.convert_to_tensor(t, dtype=dtype)
    assert str(info.value) == (  # recorded from TF 2.21
        f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype float32: "
        "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>")


def test_convert_to_tensor_of_a_variable():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError) as info:
        tf.convert_to_tensor(v, dtype=tf.float64)
    assert str(info.value) == (  # recorded from TF 2.21
        "Incompatible type conversion requested to type float64 for `tf.Variable of type "
        "float32. (Variable: <tf.Variable 'Variable:0' shape=(2,) dtype=float32, "
        "numpy=array([1., 2.], dtype=float32)>)")
    with tf.GradientTape() as tape:
        y = tf.convert_to_tensor(v) * 2.0
    assert tape.gradient(y, v).numpy().tolist() == [2.0, 2.0]


@pytest.mark.parametrize("value, kwargs, dtype, expected", [
    (1, {"dtype": tf.float32}, tf.float32, 1.0),
    (1, {"dtype_hint": tf.float32}, tf.float32, 1.0),
    (1.5, {"dtype_hint": tf.int32}, tf.float32, 1.5),  # a hint that does not fit is ignored
    ((1, 2), {"dtype": tf.float64}, tf.float64, [1.0, 2.0]),
    (np.array([1.0]), {"dtype": tf.float32}, tf.float32, [1.0]),
    (np.array([1.5]), {"dtype": tf.int32}, tf.int32, [1]),
])  # recorded from TF 2.21
def test_convert_to_tensor_dtype_arguments(value, kwargs, dtype, expected):
    t = tf.convert_to_tensor(value, **kwargs)
    assert t.dtype is dtype
    assert np.asarray(t.numpy()).tolist() == expected


def test_lists_holding_tensors_are_packed():
    x = tf.constant([1.5, 2.0])
    # recorded from TF 2.21
    assert tf.convert_to_tensor([x, x]).numpy().tolist() == [[1.5, 2.0], [1.5, 2.0]]
    mixed = tf.convert_to_tensor([[1.0, x[0]], [x[1], 3.0]])
    assert mixed.numpy().tolist() == [[1.0, 1.5], [2.0, 3.0]]
    assert tf.convert_to_tensor([tf.constant(1), 2]).dtype is tf.int32
    with pytest.raises(TypeError, match="Cannot convert 2.5 to EagerTensor of dtype int32"):
        tf.convert_to_tensor([tf.constant(1), 2.5])


def test_packed_lists_are_differentiable():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.convert_to_tensor([x, x * x, 2.0])
    assert float(tape.gradient(y, x)) == 7.0  # recorded from TF 2.21
    check_gradients(lambda t: tf.convert_to_tensor([[t[0], t[1]], [t[1] * t[0], 1.0]]),
                    np.array([0.5, -1.5]))


def test_is_tensor():
    # recorded from TF 2.21
    assert tf.is_tensor(tf.constant(1))
    assert tf.is_tensor(tf.Variable(1))
    assert not tf.is_tensor(1)
    assert not tf.is_tensor(np.array(1))
    assert not tf.is_tensor([tf.constant(1)])


def test_identity():
    t = tf.constant([1, 2])
    assert tf.identity(t).numpy().tolist() == [1, 2]
    assert tf.identity([1.0]).dtype is tf.float32
    v = tf.Variable([1.0, 2.0])
    read = tf.identity(v)
    v.assign([3.0, 4.0])
    assert read.numpy().tolist() == [1.0, 2.0]
    check_gradients(tf.identity, np.array([[1.0, -2.0]]))


@pytest.mark.parametrize("value, dtype, expected", [
    (tf.constant([1.7, -1.7]), tf.int32, [1, -1]),
    ([1, 2], tf.float32, [1.0, 2.0]),
    (tf.constant([0.0, 2.0]), tf.bool, [False, True]),
    (tf.constant([1, 0, 3]), tf.bool, [True, False, True]),
    (tf.constant([1 + 2j]), tf.float32, [1.0]),
    (tf.constant(1.5, tf.float64), tf.float16, 1.5),
])  # recorded from TF 2.21
def test_cast(value, dtype, expected):
    t = tf.cast(value, dtype)
    assert t.dtype is dtype
    assert np.asarray(t.numpy()).tolist() == expected


# --- indexing ---------------------------------------------------------------------------

X = np.arange(24, dtype=np.int32).reshape(2, 3, 4)


@pytest.mark.parametrize("key", [
    0, -1, (1, 2), (1, -1, -2), slice(None, None, 2), (slice(None), slice(None, None, -1)),
    (Ellipsis, 1), (0, Ellipsis), (None, 0), (Ellipsis, None), (0, None, 1),
    (slice(1, None), slice(None, 1)), slice(None, None, -2), slice(5, 10), slice(-10, 10),
    (0, slice(2, 0, -1)), np.int64(1), (np.int32(1), 0), (slice(None), slice(None), -1),
    (Ellipsis,), (1, slice(None, None, -1), slice(1, 3)),
], ids=repr)
def test_indexing_matches_numpy(key):
    t = tf.constant(X)[key]
    assert t.dtype is tf.int32
    assert t.shape.as_list() == list(X[key].shape)
    assert np.asarray(t.numpy()).tolist() == X[key].tolist()


def test_newaxis():
    assert tf.newaxis is None
    assert tf.constant(X)[tf.newaxis, :, tf.newaxis].shape.as_list() == [1, 2, 1, 3, 4]
    s = tf.constant(3.0)
    assert s[...].numpy() == 3.0 and s[None].shape.as_list() == [1]


@pytest.mark.parametrize("key, expected", [
    ((tf.constant(1),), X[1]),
    ((tf.constant(1, tf.int64), tf.constant(-1)), X[1, -1]),
    ((slice(tf.constant(0), tf.constant(2)),), X[0:2]),
    ((slice(None, None, tf.constant(-1)),), X[::-1]),
    ((tf.constant(1, tf.int16),), X[1]),
    ([0, 1], X[0, 1]),  # TF reads a list at the top level as a tuple
])  # recorded from TF 2.21
def test_tensor_indices(key, expected):
    assert tf.constant(X)[key].numpy().tolist() == expected.tolist()


VALID = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
         "tf.int32/tf.int64 tensors are valid indices")


@pytest.mark.parametrize("key", [
    tf.constant([0, 1]), (0, [1]), 1.0, tf.constant(1.0), "a", np.array([0, 1]),
    (slice(0.5, 2),)], ids=repr)
def test_invalid_indices(key):
    with pytest.raises(TypeError, match=VALID.replace("(", r"\(").replace(")", r"\)")):
        tf.constant(X)[key]  # recorded from TF 2.21


@pytest.mark.parametrize("key, message", [
    (5, "slice index 5 of dimension 0 out of bounds."),
    (2, "slice index 2 of dimension 0 out of bounds."),
    (-3, "slice index -1 of dimension 0 out of bounds."),
    ((0, 3), "slice index 3 of dimension 1 out of bounds."),
    ((0, -5), "slice index -2 of dimension 1 out of bounds."),
    ((0, 0, 4), "slice index 4 of dimension 2 out of bounds."),
    ((Ellipsis, 4), "slice index 4 of dimension 2 out of bounds."),
    ((None, 2), "slice index 2 of dimension 0 out of bounds."),
    ((0, Ellipsis, 7), "slice index 7 of dimension 2 out of bounds."),
    ((0, 0, 0, 0), "Index out of range using input dim 3; input has only 3 dims"),
    ((Ellipsis, Ellipsis), "Multiple ellipses in slice spec not allowed"),
])  # recorded from TF 2.21
def test_index_errors(key, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.constant(X)[key]
    assert info.value.message == f"{message} [Op:StridedSlice]"


def test_slicing_a_scalar():
    with pytest.raises(InvalidArgumentError, match="Attempting to slice scalar input."):
        tf.constant(3.0)[0]  # recorded from TF 2.21


@pytest.mark.parametrize("key", [
    (slice(1, None), slice(None, None, -2)), (-1, slice(None)), (None, Ellipsis, 1),
    (slice(None, None, -1), 0), (slice(3, 0, -2), slice(1, 3)), (1, 2)], ids=repr)
def test_slicing_gradients(key, rng):
    check_gradients(lambda t: t[key] * t[key], rng.standard_normal((4, 3)), order=2)


def test_slicing_gradient_accumulates_repeated_reads(rng):
    x = tf.constant(rng.standard_normal((3, 2)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x[0]) + 2.0 * tf.reduce_sum(x[0:2])
    assert tape.gradient(y, x).numpy().tolist() == [[3.0, 3.0], [2.0, 2.0], [0.0, 0.0]]
