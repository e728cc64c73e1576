"""tf.Variable: construction, printing, assignment, slices, scatters and reads."""

import copy

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.variables import UnreadVariable

InvalidArgumentError = tf.errors.InvalidArgumentError


# --- construction -----------------------------------------------------------------------

def test_defaults():
    v = tf.Variable([[1.0], [2.0]])
    assert v.name == "Variable:0"
    assert v.trainable is True
    assert v.dtype is tf.float32
    assert v.shape == (2, 1) and isinstance(v.shape, tf.TensorShape)
    assert v.get_shape() == v.shape
    assert tf.is_tensor(v)


def test_constructor_arguments():
    assert tf.Variable(3.0, name="w").name == "w:0"  # recorded from TF 2.21
    assert tf.Variable(2.0, trainable=False).trainable is False
    assert tf.Variable(lambda: tf.ones((2,))).numpy().tolist() == [1.0, 1.0]
    assert tf.Variable(1, dtype=tf.float32).dtype is tf.float32
    assert tf.Variable([1.0], dtype=tf.float64).dtype is tf.float64
    assert tf.Variable(np.array([1.5]), dtype=tf.float32).dtype is tf.float32
    assert tf.Variable(np.array([1.0, 2.0])).dtype is tf.float64
    assert tf.Variable([1, 2]).dtype is tf.int32
    assert tf.Variable(tf.zeros((2, 3))).shape.as_list() == [2, 3]


def test_variable_from_a_variable_is_independent():
    v = tf.Variable(3.0)
    w = tf.Variable(v)
    w.assign(5.0)
    assert (float(v), float(w)) == (3.0, 5.0)  # recorded from TF 2.21


@pytest.mark.parametrize("make, error, message", [
    (lambda: tf.Variable(None), ValueError,
     "The `initial_value` arg to `tf.Variable` must be specified except when you are not "
     "providing a `variable_def`. You provided neither."),
    (lambda: tf.Variable(), ValueError,
     "The `initial_value` arg to `tf.Variable` must be specified except when you are not "
     "providing a `variable_def`. You provided neither."),
    (lambda: tf.Variable(tf.constant([1, 2]), dtype=tf.float32), ValueError,
     "initial_value: Tensor conversion requested dtype float32 for Tensor with dtype int32: "
     "<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>"),
    (lambda: tf.Variable(1.5, dtype=tf.int32), TypeError,
     "Cannot convert 1.5 to EagerTensor of dtype int32"),
    (lambda: tf.Variable([1.0, 2.0], shape=(3,)), ValueError,
     "In this `tf.Variable` creation, the initial value's shape ((2,)) is not compatible with "
     "the explicitly supplied `shape` argument ((3,))."),
])  # recorded from TF 2.21
def test_constructor_errors(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert str(info.value) == message


def test_shape_with_none_dimensions_allows_other_shapes():
    v = tf.Variable([1.0, 2.0], shape=tf.TensorShape(None))
    assert repr(v) == ("<tf.Variable 'Variable:0' shape=<unknown> dtype=float32, "
                       "numpy=array([1., 2.], dtype=float32)>")  # recorded from TF 2.21
    v.assign([1.0, 2.0, 3.0])
    assert v.numpy().tolist() == [1.0, 2.0, 3.0]
    assert str(v.shape) == "<unknown>"

    w = tf.Variable([1.0, 2.0], shape=(None,))
    w.assign([5.0])
    assert repr(w) == ("<tf.Variable 'Variable:0' shape=(None,) dtype=float32, "
                       "numpy=array([5.], dtype=float32)>")
    with pytest.raises(ValueError) as info:
        w.assign([[1.0]])
    assert str(info.value) == (
        "Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape "
        "(None,), and the assigned value shape (1, 1) are incompatible.")


# --- printing ---------------------------------------------------------------------------

@pytest.mark.parametrize("make, text", [
    (lambda: tf.Variable([[8.0], [2.0]]),
     "<tf.Variable 'Variable:0' shape=(2, 1) dtype=float32, numpy=\narray([[8.],\n"
     "       [2.]], dtype=float32)>"),
    (lambda: tf.Variable(3.0), "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=3.0>"),
    (lambda: tf.Variable(2.0, trainable=False, name="frozen"),
     "<tf.Variable 'frozen:0' shape=() dtype=float32, numpy=2.0>"),
    (lambda: tf.Variable([1, 2]),
     "<tf.Variable 'Variable:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>"),
    (lambda: tf.Variable([[1, 2], [3, 4]], dtype=tf.int64),
     "<tf.Variable 'Variable:0' shape=(2, 2) dtype=int64, numpy=\narray([[1, 2],\n"
     "       [3, 4]])>"),
    (lambda: tf.Variable("s"), "<tf.Variable 'Variable:0' shape=() dtype=string, numpy=b's'>"),
    (lambda: tf.Variable(["a", "b"]),
     "<tf.Variable 'Variable:0' shape=(2,) dtype=string, numpy=array([b'a', b'b'], "
     "dtype=object)>"),
    (lambda: tf.Variable(True), "<tf.Variable 'Variable:0' shape=() dtype=bool, numpy=True>"),
    (lambda: tf.Variable(1 + 2j),
     "<tf.Variable 'Variable:0' shape=() dtype=complex128, numpy=(1+2j)>"),
    (lambda: tf.Variable(np.array([1.0, 2.0])),
     "<tf.Variable 'Variable:0' shape=(2,) dtype=float64, numpy=array([1., 2.])>"),
])  # recorded from TF 2.21
def test_repr_and_print(make, text, capsys):
    v = make()
    assert repr(v) == text
    assert str(v) == text
    print(v)
    assert capsys.readouterr().out == text + "\n"


# --- assignment -------------------------------------------------------------------------

def _is_unread_of(result, variable):
    """TF 2.21's assign methods return an _UnreadVariable of the same variable, not itself."""
    return isinstance(result, UnreadVariable) and result._variable is variable


def test_assign_methods_return_the_variable_unread():
    v = tf.Variable([1.0, 2.0])
    assert _is_unread_of(v.assign([3.0, 4.0]), v)
    assert v.numpy().tolist() == [3.0, 4.0]
    assert _is_unread_of(v.assign_add([1.0, 1.0]), v)
    assert v.numpy().tolist() == [4.0, 5.0]
    assert _is_unread_of(v.assign_sub([0.5, 0.5]), v)
    assert v.numpy().tolist() == [3.5, 4.5]
    result = v.assign([1.0, 1.0]) + 1.0
    assert type(result) is tf.Tensor and result.numpy().tolist() == [2.0, 2.0]
    assert v.assign([1, 2]).numpy().tolist() == [1.0, 2.0]  # Python ints convert
    assert tf.Variable([1, 2]).assign_add([True, False]).numpy().tolist() == [2, 2]


def test_assign_without_read_value_returns_none():
    v = tf.Variable([1.0, 2.0])
    # recorded from TF 2.21
    assert v.assign([5.0, 6.0], read_value=False) is None
    assert v.assign_add([1.0, 1.0], read_value=False) is None
    assert v.assign_sub([2.0, 2.0], read_value=False) is None
    assert v.numpy().tolist() == [4.0, 5.0]


def test_chained_assignment():
    v = tf.Variable([[1.0], [2.0]])
    v[0, 0].assign(7.0).assign_add(tf.ones((2, 1)))
    assert v.numpy().tolist() == [[8.0], [3.0]]


@pytest.mark.parametrize("value, shape", [([1.0, 2.0, 3.0], "(3,)"), (1.0, "()")])
def test_assign_shape_mismatch(value, shape):
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError) as info:
        v.assign(value)
    assert str(info.value) == (  # recorded from TF 2.21
        f"Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape "
        f"(2,), and the assigned value shape {shape} are incompatible.")
    assert v.numpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize("method, delta, op, shape", [
    ("assign_add", 1.0, "AssignAddVariableOp", "[]"),
    ("assign_add", tf.constant([1.0]), "AssignAddVariableOp", "[1]"),
    ("assign_sub", [1.0], "AssignSubVariableOp", "[1]"),
])  # recorded from TF 2.21
def test_update_shape_mismatch(method, delta, op, shape):
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(InvalidArgumentError) as info:
        getattr(v, method)(delta)
    assert info.value.message == (
        f"Cannot update variable with shape [2] using a Tensor with shape {shape}, shapes must "
        f"be equal. [Op:{op}]")


@pytest.mark.parametrize("method, value, message", [
    ("assign", tf.constant([1, 2]), "Tensor conversion requested dtype float32 for Tensor with "
                                    "dtype int32"),
    ("assign", tf.constant([1.0, 2.0], tf.float64), "Tensor conversion requested dtype float32 "
                                                    "for Tensor with dtype float64"),
    ("assign_add", tf.constant([1, 2]), "Tensor conversion requested dtype float32 for Tensor "
                                        "with dtype int32"),
])  # recorded from TF 2.21
def test_assign_dtype_mismatch(method, value, message):
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match=message):
        getattr(v, method)(value)


def test_assign_lossy_python_value():
    with pytest.raises(TypeError) as info:
        tf.Variable([1, 2]).assign([1.5, 2.0])
    assert str(info.value) == "Cannot convert [1.5, 2.0] to EagerTensor of dtype int32"
    with pytest.raises(TypeError) as info:
        tf.Variable([1.0, 2.0]).assign(["a", "b"])
    assert str(info.value) == "Cannot convert ['a', 'b'] to EagerTensor of dtype float"


def test_assign_numpy_array():
    v = tf.Variable([1.0, 2.0])
    v.assign(np.array([3.0, 4.0]))  # recorded from TF 2.21: NumPy values cast
    assert v.dtype is tf.float32 and v.numpy().tolist() == [3.0, 4.0]


# --- slices -----------------------------------------------------------------------------

def test_slice_assignment():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert _is_unread_of(v[0, 0].assign(7.0), v)
    assert v.numpy().tolist() == [[7.0, 2.0], [3.0, 4.0]]
    v[1:, :].assign(5.0)  # broadcast
    assert v.numpy().tolist() == [[7.0, 2.0], [5.0, 5.0]]
    v[:, 1].assign([9.0, 8.0])
    assert v.numpy().tolist() == [[7.0, 9.0], [5.0, 8.0]]
    v[0].assign(tf.constant([1.0, 1.0]))
    assert v.numpy().tolist() == [[1.0, 1.0], [5.0, 8.0]]
    v[::-1, 0].assign([10.0, 20.0])
    assert v.numpy().tolist() == [[20.0, 1.0], [10.0, 8.0]]
    v[..., None, 1].assign([[3.0], [4.0]])
    assert v.numpy().tolist() == [[20.0, 3.0], [10.0, 4.0]]  # recorded from TF 2.21


@pytest.mark.parametrize("key, value, message", [
    (0, [1.0, 2.0, 3.0], "Cannot broadcast input shape [3] into final shape [2]"),
    ((0, 0), [1.0, 2.0], "Cannot broadcast input shape [2] into final shape []"),
    ((slice(None), 0), [[1.0], [2.0]], "Cannot broadcast input shape [2,1] into final shape [2]"),
])  # recorded from TF 2.21
def test_slice_assignment_broadcast_error(key, value, message):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(InvalidArgumentError) as info:
        v[key].assign(value)
    assert info.value.message == f"{message} [Op:ResourceStridedSliceAssign]"
    assert v.numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_slice_errors():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(InvalidArgumentError, match="slice index 5 of dimension 0 out of bounds."):
        v[5].assign(1.0)
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32"):
        v[0].assign(tf.constant([1.0, 2.0], tf.float64))


def test_slices_read_like_tensors():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    row = v[1]
    assert isinstance(row, tf.Tensor) and row.numpy().tolist() == [3.0, 4.0]
    v.assign(tf.zeros((2, 2)))
    assert row.numpy().tolist() == [3.0, 4.0]
    assert v[-1:].numpy().tolist() == [[0.0, 0.0]]


def test_gradient_through_slices():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v[0] * 3.0) + v[1, 1] ** 2
    assert tape.gradient(y, v).numpy().tolist() == [[3.0, 3.0], [0.0, 8.0]]  # recorded TF 2.21


# --- scatter ----------------------------------------------------------------------------

def test_scatter_nd_update_add_sub():
    v = tf.Variable([1.0, 2.0, 3.0, 4.0])
    assert _is_unread_of(v.scatter_nd_update([[0], [2]], [10.0, 30.0]), v)
    assert v.numpy().tolist() == [10.0, 2.0, 30.0, 4.0]
    v.scatter_nd_add([[1], [1]], [1.0, 2.0])  # repeated indices add up
    assert v.numpy().tolist() == [10.0, 5.0, 30.0, 4.0]
    v.scatter_nd_sub([[3]], [4.0])
    assert v.numpy().tolist() == [10.0, 5.0, 30.0, 0.0]
    v.scatter_nd_update([1], [7.0])
    assert v.numpy().tolist() == [10.0, 7.0, 30.0, 0.0]
    v.scatter_nd_update([[[1], [2]]], [[5.0, 6.0]])
    assert v.numpy().tolist() == [10.0, 5.0, 6.0, 0.0]  # recorded from TF 2.21

    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    w.scatter_nd_update([[1]], [[7.0, 8.0]])  # a whole row
    w.scatter_nd_update([[0, 1]], [5.0])  # one element
    assert w.numpy().tolist() == [[1.0, 5.0], [7.0, 8.0]]
    w.scatter_nd_add(tf.constant([[0, 0]], tf.int64), [1.0])
    assert w.numpy().tolist() == [[2.0, 5.0], [7.0, 8.0]]


def test_scatter_leaves_earlier_reads_alone():
    v = tf.Variable([1.0, 2.0])
    read = v.read_value()
    v.scatter_nd_update([[0]], [9.0])
    assert read.numpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize("method, indices, updates, message", [
    ("scatter_nd_update", [[4]], [1.0], "indices[0] = [4] does not index into shape [4]"),
    ("scatter_nd_update", [[-1]], [1.0], "indices[0] = [-1] does not index into shape [4]"),
    ("scatter_nd_add", [[0], [7]], [1.0, 2.0], "indices[1] = [7] does not index into shape [4]"),
    ("scatter_nd_update", [[[1], [9]]], [[5.0, 6.0]],
     "indices[0,1] = [9] does not index into shape [4]"),
    ("scatter_nd_update", [[0]], [1.0, 2.0],
     "Dimensions [0,1) of indices[shape=[1,1]] = 1 must match dimensions [0,1) of "
     "updates[shape=[2]] = 2"),
    ("scatter_nd_update", [[[1], [2]]], [[5.0, 6.0, 7.0]],
     "Dimensions [0,2) of indices[shape=[1,2,1]] must match dimensions [0,2) of "
     "updates[shape=[1,3]]"),
    ("scatter_nd_update", [[0]], [[1.0, 2.0]],
     "Dimensions [1,1) of input[shape=[4]] must match dimensions [1,2) of "
     "updates[shape=[1,2]]"),
    ("scatter_nd_update", [[0, 0]], [1.0],
     "Dimensions [2,1) of input[shape=[4]] must match dimensions [2,1) of updates[shape=[1]]"),
    ("scatter_nd_update", [[0.0]], [1.0],
     "Value for attr 'Tindices' of float is not in the list of allowed values: int32, int64"),
])  # recorded from TF 2.21
def test_scatter_errors(method, indices, updates, message):
    v = tf.Variable([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(InvalidArgumentError) as info:
        getattr(v, method)(indices, updates)
    op = {"scatter_nd_update": "ResourceScatterNdUpdate", "scatter_nd_add": "ResourceScatterNdAdd"}
    assert info.value.message == f"{message} [Op:{op[method]}]"
    assert v.numpy().tolist() == [1.0, 2.0, 3.0, 4.0]


@pytest.mark.parametrize("indices, updates, message", [
    ([[1]], [[1.0, 2.0]], "Dimensions [1,2) of input[shape=[2,3]] must match dimensions [1,2) "
                          "of updates[shape=[1,2]]"),
    ([[1]], [1.0, 2.0, 3.0], "Dimensions [0,1) of indices[shape=[1,1]] = 1 must match "
                             "dimensions [0,1) of updates[shape=[3]] = 3"),
    ([[1, 2]], [[1.0]], "Dimensions [2,2) of input[shape=[2,3]] must match dimensions [2,2) of "
                        "updates[shape=[1,1]]"),
    ([[1]], 5.0, "Dimensions [0,1) of indices[shape=[1,1]]"),
])  # recorded from TF 2.21: no broadcasting of updates
def test_scatter_update_shapes_must_match_exactly(indices, updates, message):
    w = tf.Variable(tf.zeros((2, 3)))
    with pytest.raises(InvalidArgumentError, match=message.replace("[", r"\[").replace(
            "(", r"\(").replace(")", r"\)")):
        w.scatter_nd_update(indices, updates)


# --- reading ----------------------------------------------------------------------------

def test_reads():
    v = tf.Variable([1.0, 2.0])
    for read in (v.read_value(), v.value(), tf.identity(v), tf.convert_to_tensor(v)):
        assert type(read) is tf.Tensor and read.numpy().tolist() == [1.0, 2.0]
    array = v.numpy()
    assert type(array) is np.ndarray and array.flags.writeable  # recorded from TF 2.21
    array[0] = 5.0
    assert v.numpy().tolist() == [1.0, 2.0]
    scalar = tf.Variable(3.0).numpy()
    assert type(scalar) is np.float32 and scalar == 3.0
    assert np.asarray(v).tolist() == [1.0, 2.0]


def test_a_tensor_read_before_an_assign_keeps_its_value():
    v = tf.Variable([1.0, 2.0])
    reads = [v.read_value(), v.value(), tf.identity(v), v + 0.0, v[0]]
    kept = [r.numpy().tolist() for r in reads]
    v.assign([9.0, 9.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([2.0, 2.0])
    v[0].assign(0.0)
    assert [r.numpy().tolist() for r in reads] == kept
    assert v.numpy().tolist() == [0.0, 8.0]


def test_tape_sees_the_value_read_before_the_assign():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = v * v
        v.assign([10.0, 10.0])
        z = tf.reduce_sum(y)
    assert tape.gradient(z, v).numpy().tolist() == [2.0, 4.0]  # recorded from TF 2.21


def test_operators():
    v = tf.Variable([1.0, 2.0])
    # recorded from TF 2.21
    assert (v + 1.0).numpy().tolist() == [2.0, 3.0]
    assert (2.0 - v).numpy().tolist() == [1.0, 0.0]
    assert (v * v).numpy().tolist() == [1.0, 4.0]
    assert (v / 2.0).numpy().tolist() == [0.5, 1.0]
    assert (v ** 2).numpy().tolist() == [1.0, 4.0]
    assert (-v).numpy().tolist() == [-1.0, -2.0]
    assert abs(tf.Variable([-1.0])).numpy().tolist() == [1.0]
    assert (v > 1.5).numpy().tolist() == [False, True]
    assert (v == v).numpy().tolist() == [True, True]
    assert (tf.Variable([[1.0, 2.0]]) @ tf.ones((2, 1))).numpy().tolist() == [[3.0]]
    assert type(v + 1.0) is tf.Tensor


def test_python_protocols():
    v = tf.Variable([1.0, 2.0])
    assert len(v) == 2
    assert [x.numpy() for x in v] == [1.0, 2.0]
    assert float(tf.Variable(2.5)) == 2.5
    assert int(tf.Variable(3)) == 3
    assert bool(tf.Variable(True)) is True
    with pytest.raises(TypeError, match="object of type 'ResourceVariable' has no len()"):
        len(tf.Variable(3.0))  # recorded from TF 2.21
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor."):
        iter(tf.Variable(3.0))


def test_hash_and_ref():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(TypeError) as info:
        hash(v)
    assert str(info.value) == (  # recorded from TF 2.21
        "Variable is unhashable. Instead, use variable.ref() as the key. (Variable: "
        "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([1., 2.], "
        "dtype=float32)>)")
    ref = v.ref()
    assert ref.deref() is v
    assert {ref: 1}[v.ref()] == 1
    assert ref != tf.Variable([1.0, 2.0]).ref()


def test_deepcopy():
    v = tf.Variable([1.0, 2.0], name="w", trainable=False)
    w = copy.deepcopy(v)
    w.assign([5.0, 6.0])
    assert v.numpy().tolist() == [1.0, 2.0] and w.numpy().tolist() == [5.0, 6.0]
    assert (w.name, w.trainable, w.dtype) == ("w:0", False, tf.float32)
    holder = copy.deepcopy({"a": v, "b": v})
    assert holder["a"] is holder["b"]
