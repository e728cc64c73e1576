"""Printouts and errors of tensors and variables compared with TensorFlow 2.21's (recorded)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.variables import UnreadVariable


# --- a scalar's repr shows the Python number ----------------------------------------------

@pytest.mark.parametrize("make, text", [
    (lambda: tf.constant(1 / 3), "<tf.Tensor: shape=(), dtype=float32, numpy=0.3333333432674408>"),
    (lambda: tf.constant(0.1), "<tf.Tensor: shape=(), dtype=float32, numpy=0.10000000149011612>"),
    (lambda: tf.constant(0.1, tf.float16),
     "<tf.Tensor: shape=(), dtype=float16, numpy=0.0999755859375>"),
    (lambda: tf.constant(1e20),
     "<tf.Tensor: shape=(), dtype=float32, numpy=1.0000000200408773e+20>"),
    (lambda: tf.constant(100000000.0),
     "<tf.Tensor: shape=(), dtype=float32, numpy=100000000.0>"),
    (lambda: tf.constant(1 / 3 + 1j, tf.complex64),
     "<tf.Tensor: shape=(), dtype=complex64, numpy=(0.3333333432674408+1j)>"),
    (lambda: tf.constant(float("nan")), "<tf.Tensor: shape=(), dtype=float32, numpy=nan>"),
    (lambda: tf.constant("a"), "<tf.Tensor: shape=(), dtype=string, numpy=b'a'>"),
    (lambda: tf.constant(3, tf.uint64), "<tf.Tensor: shape=(), dtype=uint64, numpy=3>"),
    (lambda: tf.Variable(1 / 3),
     "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=0.3333333432674408>"),
])  # recorded from TF 2.21 (NumPy 2)
def test_scalar_repr_shows_the_python_number(make, text):
    assert repr(make()) == text


def test_scalar_str_keeps_numpy_text():
    assert str(tf.constant(1 / 3)) == "tf.Tensor(0.33333334, shape=(), dtype=float32)"


# --- attributes an eager tensor lacks -------------------------------------------------------

NUMPY_HINT = ("\n        If you are looking for numpy-related methods, please run the following:"
              "\n        tf.experimental.numpy.experimental_enable_numpy_behavior()\n      ")


@pytest.mark.parametrize("name", ["T", "reshape", "astype", "tolist"])
def test_numpy_methods_point_to_numpy_behavior(name):
    with pytest.raises(AttributeError) as info:
        getattr(tf.constant([1, 2]), name)
    assert str(info.value) == f"EagerTensor object has no attribute '{name}'. " + NUMPY_HINT


@pytest.mark.parametrize("name", ["op", "graph", "name", "value_index"])
def test_graph_attributes_are_undefined(name):
    with pytest.raises(AttributeError) as info:
        getattr(tf.constant([1]), name)
    assert str(info.value) == f"Tensor.{name} is undefined when eager execution is enabled."


def test_other_missing_attributes_and_graph_methods():
    t = tf.constant([1])
    with pytest.raises(AttributeError, match="'Tensor' object has no attribute 'nonsense'"):
        t.nonsense  # noqa: B018
    assert not hasattr(t, "_keras_mask")
    with pytest.raises(NotImplementedError) as info:
        t.eval()
    assert str(info.value) == ("eval is not supported when eager execution is enabled, is "
                               ".numpy() what you're looking for?")
    with pytest.raises(NotImplementedError, match="Tensor.consumers is undefined"):
        t.consumers()


# --- assign returns an UnreadVariable --------------------------------------------------------

def test_assign_shows_an_unread_variable():
    v = tf.Variable([2.0, 3.0])
    assert repr(v.assign([1, 2])) == ("<tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, "
                                      "numpy=array([1., 2.], dtype=float32)>")
    w = tf.Variable([[1, 2], [3, 4]])
    assert repr(w[0, 0].assign(3)) == ("<tf.Variable 'UnreadVariable' shape=(2, 2) dtype=int32, "
                                       "numpy=\narray([[3, 2],\n       [3, 4]], dtype=int32)>")
    assert repr(tf.Variable([1.0, 2.0, 3.0]).scatter_nd_update([[0], [2]], [10.0, 30.0])) == (
        "<tf.Variable 'UnreadVariable' shape=(3,) dtype=float32, "
        "numpy=array([10.,  2., 30.], dtype=float32)>")  # all recorded from TF 2.21


def test_unread_variable_shares_the_variable():
    v = tf.Variable([1.0, 2.0], name="w", trainable=False)
    unread = v.assign([3.0, 4.0])
    assert isinstance(unread, UnreadVariable) and unread is not v
    assert (unread.name, unread.trainable) == ("UnreadVariable", True)  # as in TF 2.21
    v.assign([5.0, 6.0])
    assert unread.numpy().tolist() == [5.0, 6.0]  # a later assignment shows through
    unread.assign_add([1.0, 1.0])
    assert v.numpy().tolist() == [6.0, 7.0]
    assert (unread + 1.0).numpy().tolist() == [7.0, 8.0]
    assert v.assign([0.0, 0.0], read_value=False) is None


def test_gradient_through_an_assign_result_reaches_the_variable():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x.assign(x * 3) * x
    assert float(tape.gradient(y, x)) == 12.0  # recorded from TF 2.21


def test_variable_item_assignment_message():
    v = tf.Variable([[1, 2], [3, 4]])
    with pytest.raises(TypeError) as info:
        v[0, 0] = 5
    assert str(info.value) == "'ResourceVariable' object does not support item assignment"


# --- which error a badly nested list gets --------------------------------------------------

MIXED = "Can't convert Python sequence with mixed types to Tensor."
NON_RECTANGULAR = "Can't convert non-rectangular Python sequence to Tensor."


@pytest.mark.parametrize("value, message", [
    ([1, [2]], MIXED),
    ([[1, 2], [3, [4]]], MIXED),
    ([[1, 2], [3, [4, 5]]], MIXED),
    ([[1], [[2]]], MIXED),
    ([1.0, [2]], MIXED),
    (["a", ["b"]], MIXED),
    ([[1], "a"], MIXED),
    ((1, (2, 3)), MIXED),
    ([[1], 2], NON_RECTANGULAR),
    ([[[1]], [2]], NON_RECTANGULAR),
    ([[1, 2], [3]], NON_RECTANGULAR),
    ([[1], [2, 3]], NON_RECTANGULAR),
])  # recorded from TF 2.21
def test_badly_nested_lists(value, message):
    with pytest.raises(ValueError) as info:
        tf.constant(value)
    assert str(info.value) == message
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        tf.convert_to_tensor(value)


def test_a_list_read_as_integers_cannot_hold_complex_numbers():
    with pytest.raises(ValueError, match="mixed types"):  # recorded from TF 2.21
        tf.constant([2, 1j], tf.complex64)
    assert tf.constant([1 + 1j, 2], tf.complex64).numpy().tolist() == [1 + 1j, 2 + 0j]


# --- NumPy values TensorFlow has no dtype for ------------------------------------------------

@pytest.mark.parametrize("value, reason", [
    (np.array([1.5], np.longdouble), "Unsupported numpy type: NPY_LONGDOUBLE"),
    (np.longdouble(1.5), "Unsupported numpy type: NPY_LONGDOUBLE"),
    (np.array([1 + 1j], np.clongdouble), "Unsupported numpy type: NPY_CLONGDOUBLE"),
    (np.datetime64("2020-01-01"), "Unsupported numpy type: NPY_DATETIME"),
    (np.array([1], "m8[s]"), "Unsupported numpy type: NPY_TIMEDELTA"),
    (np.zeros(2, dtype=[("a", "i4")]), "Unsupported numpy data type"),
    (np.array([1, "a"], dtype=object), "Unsupported object type int"),
    (np.array([None]), "Unsupported object type NoneType"),
])  # recorded from TF 2.21
def test_unsupported_numpy_values(value, reason):
    with pytest.raises(ValueError) as info:
        tf.constant(value)
    assert str(info.value) == f"Failed to convert a NumPy array to a Tensor ({reason})."
    with pytest.raises(ValueError, match="Failed to convert a NumPy array"):
        tf.convert_to_tensor(value)


def test_variable_format_and_update_shape_messages():
    v = tf.Variable(1.0)
    assert f"{v}" == "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>"
    with pytest.raises(TypeError) as info:
        f"{v:.2f}"  # noqa: B018
    assert str(info.value) == "unsupported format string passed to ResourceVariable.__format__"
    assert f"{tf.constant(1.5):.2f}" == "1.50"  # tensors format their value
    w = tf.Variable([1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        w.assign_add([[1.0, 2.0]])
    assert info.value.message == ("Cannot update variable with shape [2] using a Tensor with "
                                  "shape [1,2], shapes must be equal. [Op:AssignAddVariableOp]")
    # all recorded from TF 2.21
