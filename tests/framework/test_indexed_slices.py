"""IndexedSlices: the object, its densifying, the tape's sparse gradients and the
variable methods that read and update rows.

Expected values, printouts and messages are recorded from TF 2.21 running the same code
with `import tensorflow as tf`.
"""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.indexed_slices import IndexedSlices
from eagerflow.framework.variables import UnreadVariable
from eagerflow.ops.indexing_ops import embedding_lookup, gather, gather_nd
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError


def _slices(values, indices, dense_shape=None):
    return IndexedSlices(tf.constant(values), tf.constant(indices),
                         None if dense_shape is None else tf.constant(dense_shape))


# --- the object -----------------------------------------------------------------------------

def test_properties():
    slices = _slices([[1.0, 2.0]], [1], [3, 2])
    assert slices.values.numpy().tolist() == [[1.0, 2.0]]
    assert slices.indices.numpy().tolist() == [1]
    assert slices.dense_shape.numpy().tolist() == [3, 2]
    assert slices.dtype is tf.float32
    assert slices.shape == tf.TensorShape([3, 2])
    assert slices.device == "/job:localhost/replica:0/task:0/device:CPU:0"


def test_shape_is_unknown_without_dense_shape():
    slices = _slices([[1.0, 2.0]], [1])
    assert slices.dense_shape is None
    assert str(slices.shape) == "<unknown>"  # recorded from TF 2.21


def test_name_is_undefined_in_eager_mode():
    with pytest.raises(AttributeError, match="Tensor.name is undefined when eager execution"):
        _ = _slices([[1.0]], [0], [1, 1]).name  # recorded from TF 2.21


def test_str_is_tensorflows():
    # recorded from TF 2.21
    assert str(_slices([[1.0, 2.0]], [1], [3, 2])) == (
        "IndexedSlices(indices=tf.Tensor([1], shape=(1,), dtype=int32), values=tf.Tensor("
        "[[1. 2.]], shape=(1, 2), dtype=float32), dense_shape=tf.Tensor([3 2], shape=(2,), "
        "dtype=int32))")
    assert str(_slices([[1.0, 2.0]], [1])) == (
        "IndexedSlices(indices=tf.Tensor([1], shape=(1,), dtype=int32), values=tf.Tensor("
        "[[1. 2.]], shape=(1, 2), dtype=float32))")
    # The arguments are kept as given, lists included.
    assert str(IndexedSlices([[1.0, 2.0]], [1])) == (
        "IndexedSlices(indices=[1], values=[[1.0, 2.0]])")
    assert str(IndexedSlices(tf.constant([1.0, 2.0]), tf.constant([1, 1]), [3])).endswith(
        "dense_shape=[3])")


def test_negation_negates_the_values():
    negated = -_slices([[1.0, 2.0]], [1], [3, 2])
    assert isinstance(negated, IndexedSlices)
    assert negated.values.numpy().tolist() == [[-1.0, -2.0]]
    assert negated.indices.numpy().tolist() == [1]
    assert negated.dense_shape.numpy().tolist() == [3, 2]


def test_multiplying_by_a_scalar_is_a_type_error():
    with pytest.raises(TypeError):  # recorded from TF 2.21: no __mul__
        _slices([[1.0, 2.0]], [1], [3, 2]) * 2.0


# --- densifying -------------------------------------------------------------------------------

def test_convert_to_tensor_sums_duplicate_rows():
    dense = tf.convert_to_tensor(_slices([[1.0, 2.0], [3.0, 4.0]], [1, 1], [3, 2]))
    assert dense.dtype is tf.float32
    assert dense.numpy().tolist() == [[0.0, 0.0], [4.0, 6.0], [0.0, 0.0]]  # recorded from TF 2.21


@pytest.mark.parametrize("values, indices, dense_shape, expected", [
    ([1.0, 2.0], [1, 1], [3], [0.0, 3.0, 0.0]),
    ([[1, 2]], [1], [3, 2], [[0, 0], [1, 2], [0, 0]]),
    # recorded from TF 2.21: a negative index is dropped, as by unsorted_segment_sum.
    ([[1.0, 2.0], [1.0, 1.0]], [1, -1], [3, 2], [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]),
])
def test_convert_to_tensor_values(values, indices, dense_shape, expected):
    dense = tf.convert_to_tensor(_slices(values, indices, dense_shape))
    assert dense.numpy().tolist() == expected
    assert dense.dtype == tf.constant(values).dtype


def test_convert_to_tensor_with_int64_indices_and_list_dense_shape():
    slices = IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1], tf.int64), [3, 2])
    assert tf.convert_to_tensor(slices).numpy().tolist() == [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]
    assert slices.shape == tf.TensorShape([3, 2])


def test_convert_to_tensor_errors():
    # recorded from TF 2.21
    with pytest.raises(ValueError, match="Tensor conversion requested for IndexedSlices for "
                                         "argument `value` without dense_shape"):
        tf.convert_to_tensor(_slices([[1.0, 2.0]], [1]))
    with pytest.raises(ValueError, match="Incompatible tensor conversion requested to `dtype` "
                                         "float64 for IndexedSlices"):
        tf.convert_to_tensor(_slices([[1.0, 2.0]], [1], [3, 2]), tf.float64)
    with pytest.raises(InvalidArgumentError,
                       match=r"segment_ids\[1\] = 5 is out of range \[0, 3\) "
                             r"\[Op:UnsortedSegmentSum\]"):
        tf.convert_to_tensor(_slices([[1.0, 2.0], [1.0, 1.0]], [1, 5], [3, 2]))


def test_ops_and_numpy_see_the_dense_value():
    slices = _slices([[1.0, 2.0]], [1], [3, 2])
    assert float(tf.reduce_sum(slices)) == 3.0  # recorded from TF 2.21
    assert (tf.constant(2.0) * slices).numpy().tolist() == [[0.0, 0.0], [2.0, 4.0], [0.0, 0.0]]
    assert (slices + tf.ones((3, 2))).numpy().tolist() == [[1.0, 1.0], [2.0, 3.0], [1.0, 1.0]]
    assert np.asarray(slices).tolist() == [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]


def test_densifying_is_differentiable():
    def f(values):
        return tf.convert_to_tensor(IndexedSlices(values, tf.constant([2, 0, 2]), [4, 2]))
    check_gradients(f, np.arange(6.0).reshape(3, 2))


# --- gradients on the tape --------------------------------------------------------------------

def _table():
    return tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])


def test_gradient_of_a_gather_from_a_variable_is_indexed_slices():
    v = _table()
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(gather(v, [0, 2]))
    grad = tape.gradient(y, v)
    assert isinstance(grad, IndexedSlices)
    # recorded from TF 2.21
    assert str(grad) == (
        "IndexedSlices(indices=tf.Tensor([0 2], shape=(2,), dtype=int32), values=tf.Tensor(\n"
        "[[1. 1.]\n [1. 1.]], shape=(2, 2), dtype=float32), dense_shape=tf.Tensor([3 2], "
        "shape=(2,), dtype=int32))")


def test_gradient_of_a_gather_from_a_watched_tensor_is_indexed_slices():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = gather(x, [1])
    grad = tape.gradient(y, x)
    assert isinstance(grad, IndexedSlices)  # recorded from TF 2.21
    assert grad.values.shape == (1, 2) and grad.dense_shape.dtype is tf.int32


@pytest.mark.parametrize("read, sparse", [
    (lambda v: gather(v, [0, 2]), True),
    (lambda v: gather(tf.identity(v), [0, 2]), True),        # Identity passes it through
    (lambda v: embedding_lookup(v, [0, 2]), True),
    (lambda v: embedding_lookup([v], [0, 2]), True),
    (lambda v: v.sparse_read([1]), True),
    (lambda v: v.gather_nd([[1]]), True),
    (lambda v: gather_nd(v, [[1]]), True),
    (lambda v: gather(v * 1.0, [0, 2]), False),              # Mul's gradient gets it dense
    (lambda v: gather(v, [[0], [2]], axis=-2), False),       # only axis 0 is sparse
    (lambda v: gather(v, [0, 1], axis=1), False),
    (lambda v: gather_nd(v, [[1, 0]]), False),
])
def test_which_reads_give_sparse_gradients(read, sparse):
    v = _table()
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(read(v))
    grad = tape.gradient(y, v)
    assert isinstance(grad, IndexedSlices) is sparse  # recorded from TF 2.21
    assert grad.dtype is tf.float32


def test_sparse_gradients_accumulate_by_concatenation_in_op_order():
    v = _table()
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(gather(v, [0, 2])) + tf.reduce_sum(gather(v, [2, 2]))
    grad = tape.gradient(y, v)
    assert isinstance(grad, IndexedSlices)
    assert grad.indices.numpy().tolist() == [0, 2, 2, 2]  # recorded from TF 2.21
    assert grad.values.numpy().tolist() == [[1.0, 1.0]] * 4
    assert tf.convert_to_tensor(grad).numpy().tolist() == [[1.0, 1.0], [0.0, 0.0], [3.0, 3.0]]


def test_sparse_plus_dense_gradient_is_dense():
    v = _table()
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(gather(v, [0, 2])) + tf.reduce_sum(v * 2.0)
    grad = tape.gradient(y, v)
    assert isinstance(grad, tf.Tensor)
    assert grad.numpy().tolist() == [[3.0, 3.0], [2.0, 2.0], [3.0, 3.0]]  # recorded from TF 2.21


def test_mixed_index_dtypes_concatenate_as_int64():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(gather(x, tf.constant([0], tf.int64))) + tf.reduce_sum(gather(x, [2]))
    grad = tape.gradient(y, x)
    assert grad.indices.dtype is tf.int64  # recorded from TF 2.21
    assert grad.indices.numpy().tolist() == [0, 2]


def test_int64_indices_keep_their_dtype():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = gather(x, tf.constant([1], tf.int64))
        z = gather_nd(x, tf.constant([[1]], tf.int64))
    # recorded from TF 2.21: gather's dense_shape is int32, gather_nd's takes the indices'.
    grad = tape.gradient(y, x)
    assert (grad.indices.dtype, grad.dense_shape.dtype) == (tf.int64, tf.int32)
    grad = tape.gradient(z, x)
    assert (grad.indices.dtype, grad.dense_shape.dtype) == (tf.int64, tf.int64)


def test_int16_indices_densify():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = gather(x, tf.constant([2, 2], tf.int16))
    assert tf.convert_to_tensor(tape.gradient(y, x)).numpy().tolist() == [0.0, 0.0, 2.0]


def test_output_gradients_and_duplicate_indices():
    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = gather(x, [1, 1])
    grad = tape.gradient(y, x, output_gradients=tf.constant([5.0, 6.0]))
    # recorded from TF 2.21
    assert grad.indices.numpy().tolist() == [1, 1]
    assert grad.values.numpy().tolist() == [5.0, 6.0]
    assert grad.dense_shape.numpy().tolist() == [4]
    jacobian = tape.jacobian(y, x)  # a Jacobian is dense
    assert isinstance(jacobian, tf.Tensor)
    assert jacobian.numpy().tolist() == [[0.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]


def test_unconnected_sources_are_unchanged():
    v, w = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    with tf.GradientTape() as tape:
        y = gather(v, [1])
    grads = tape.gradient(y, [v, w], unconnected_gradients="zero")
    assert isinstance(grads[0], IndexedSlices)
    assert grads[1].numpy().tolist() == [0.0]


def test_second_order_through_a_sparse_gradient():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(gather(x, [0, 0, 2]) ** 3)
        grad = inner.gradient(y, x)
        assert isinstance(grad, IndexedSlices)
        z = tf.reduce_sum(tf.convert_to_tensor(grad) * x)
    # recorded from TF 2.21
    assert outer.gradient(z, x).numpy().tolist() == [[18.0, 72.0], [0.0, 0.0], [225.0, 324.0]]


def test_second_order_through_the_values():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(gather(x, [0, 0, 2]) ** 3)
        z = tf.reduce_sum(inner.gradient(y, x).values)
    grad = outer.gradient(z, x)
    # recorded from TF 2.21
    assert grad.indices.numpy().tolist() == [0, 0, 2]
    assert grad.values.numpy().tolist() == [[6.0, 12.0], [6.0, 12.0], [30.0, 36.0]]


def test_gradient_checks_see_sparse_gradients_as_dense():
    check_gradients(lambda x: gather(x, [2, 0, 2]) ** 2, np.arange(1.0, 9.0).reshape(4, 2))


def test_max_norm_embedding_gradient():
    v = tf.Variable([[3.0, 4.0], [1.0, 0.0]])
    with tf.GradientTape() as tape:
        y = embedding_lookup(v, [0], max_norm=1.0)
    grad = tape.gradient(y, v)
    assert isinstance(grad, IndexedSlices)
    # recorded from TF 2.21
    np.testing.assert_allclose(grad.values.numpy(), [[0.03199999, -0.024]], rtol=1e-5)


def test_sharded_embedding_gradients_are_sparse_per_shard():
    a, b = tf.Variable([[1.0], [2.0]]), tf.Variable([[3.0]])
    with tf.GradientTape() as tape:
        y = embedding_lookup([a, b], [2, 0, 0])
    grads = tape.gradient(y, [a, b])
    assert all(isinstance(g, IndexedSlices) for g in grads)  # recorded from TF 2.21
    assert np.asarray(grads[0]).tolist() == [[2.0], [0.0]]
    assert np.asarray(grads[1]).tolist() == [[1.0]]


# --- variable methods ------------------------------------------------------------------------

def test_sparse_read_and_gather_nd():
    v = _table()
    assert v.sparse_read([2, 0]).numpy().tolist() == [[5.0, 6.0], [1.0, 2.0]]
    assert v.gather_nd([[2, 0]]).numpy().tolist() == [5.0]  # recorded from TF 2.21
    # recorded from TF 2.21
    with pytest.raises(InvalidArgumentError,
                       match=r"indices\[0\] = 3 is not in \[0, 3\) \[Op:ResourceGather\]"):
        v.sparse_read([3])
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = \[3\] does not index into "
                                                   r"param shape \[3,2\], node name: "
                                                   r"ResourceGatherNd \[Op:ResourceGatherNd\]"):
        v.gather_nd([[3]])
    with pytest.raises(InvalidArgumentError,
                       match="Value for attr 'Tindices' of float is not in the list of allowed "
                             "values: int32, int64"):
        v.sparse_read([0.0])


@pytest.mark.parametrize("method, values, indices, expected", [
    # recorded from TF 2.21
    ("scatter_update", [[9.0, 9.0]], [1], [[1.0, 2.0], [9.0, 9.0], [5.0, 6.0]]),
    ("scatter_add", [[1.0, 1.0], [2.0, 2.0]], [1, 1], [[1.0, 2.0], [6.0, 7.0], [5.0, 6.0]]),
    ("scatter_sub", [[1.0, 1.0]], [1], [[1.0, 2.0], [2.0, 3.0], [5.0, 6.0]]),
    ("scatter_mul", [[2.0, 2.0], [3.0, 3.0]], [1, 1], [[1.0, 2.0], [18.0, 24.0], [5.0, 6.0]]),
    ("scatter_div", [[2.0, 2.0], [2.0, 2.0]], [1, 1], [[1.0, 2.0], [0.75, 1.0], [5.0, 6.0]]),
    ("scatter_max", [[0.0, 9.0], [7.0, 1.0]], [1, 1], [[1.0, 2.0], [7.0, 9.0], [5.0, 6.0]]),
    ("scatter_min", [[0.0, 9.0], [7.0, 1.0]], [1, 1], [[1.0, 2.0], [0.0, 1.0], [5.0, 6.0]]),
    ("scatter_add", 1.0, [0, 1], [[2.0, 3.0], [4.0, 5.0], [5.0, 6.0]]),   # a scalar update
    ("scatter_add", [1.0, 1.0], 0, [[2.0, 3.0], [3.0, 4.0], [5.0, 6.0]]),   # a scalar index
    ("scatter_add", np.ones((1, 2, 2), np.float32), [[0, 2]],
     [[2.0, 3.0], [3.0, 4.0], [6.0, 7.0]]),
])
def test_scatter_methods(method, values, indices, expected):
    v = _table()
    result = getattr(v, method)(IndexedSlices(tf.constant(values), tf.constant(indices)))
    assert isinstance(result, UnreadVariable) and result._variable is v  # as in TF 2.21
    assert v.numpy().tolist() == expected


def test_scatter_methods_take_int64_indices_and_python_lists():
    v = _table()
    v.scatter_add(IndexedSlices(tf.constant([[1.0, 1.0]]), tf.constant([0], tf.int64)))
    v.scatter_add(IndexedSlices([[1.0, 1.0]], [0]))
    assert v.numpy()[0].tolist() == [3.0, 4.0]


def test_scatter_does_not_change_earlier_reads():
    v = _table()
    before = v.read_value()
    v.scatter_update(IndexedSlices(tf.constant([[0.0, 0.0]]), tf.constant([0])))
    assert before.numpy()[0].tolist() == [1.0, 2.0]


def test_integer_scatter_div_truncates_toward_zero():
    v = tf.Variable([5, -7, 9])
    v.scatter_div(IndexedSlices(tf.constant([2, 2, 2, 2]), tf.constant([0, 1, 2, 2])))
    assert v.numpy().tolist() == [2, -3, 2]  # recorded from TF 2.21


def test_scalar_variable_takes_a_scalar_update():
    v = tf.Variable(1.0)
    v.scatter_add(IndexedSlices(tf.constant(1.0), tf.constant([0])))
    assert v.numpy() == 2.0  # recorded from TF 2.21


@pytest.mark.parametrize("variable, method, values, indices, error, message", [
    # recorded from TF 2.21
    (_table, "scatter_add", [[1.0, 1.0]], [3], InvalidArgumentError,
     r"indices\[0\] = 3 is not in \[0, 3\) \[Op:ResourceScatterAdd\]"),
    (_table, "scatter_update", [[1.0, 1.0]], [-1], InvalidArgumentError,
     r"indices\[0\] = -1 is not in \[0, 3\) \[Op:ResourceScatterUpdate\]"),
    (lambda: tf.Variable([1.0, 2.0]), "scatter_add", np.ones((2, 2), np.float32),
     [[0, 1], [1, 7]], InvalidArgumentError, r"indices\[1,1\] = 7 is not in \[0, 2\)"),
    (_table, "scatter_add", [1.0, 1.0], [0], InvalidArgumentError,
     r"Must have updates.shape = indices.shape \+ params.shape\[1:\] or updates.shape = "
     r"\[\], got updates.shape \[2\], indices.shape \[1\], params.shape \[3,2\] "
     r"\[Op:ResourceScatterAdd\]"),
    (lambda: tf.Variable(1.0), "scatter_add", [1.0], [0], InvalidArgumentError,
     r"got updates.shape \[1\], indices.shape \[1\], params.shape \[\]"),
    (_table, "scatter_add", [[1, 1]], [0], ValueError,
     "Tensor conversion requested dtype float32 for Tensor with dtype int32"),
    (lambda: tf.Variable([5, 7]), "scatter_div", [2, 0], [0, 1], InvalidArgumentError,
     r"updates must not contain 0 \[Op:ResourceScatterDiv\]"),
    (lambda: tf.Variable([3.0, 4.0]), "scatter_div", [0.0, 5.0], [0, 1], InvalidArgumentError,
     "updates must not contain 0"),
    (lambda: tf.Variable([True]), "scatter_add", [False], [0], InvalidArgumentError,
     "Value for attr 'dtype' of bool is not in the list of allowed values: float, double"),
    (lambda: tf.Variable([1j]), "scatter_max", [1j], [0], InvalidArgumentError,
     r"No OpKernel was registered to support Op 'ResourceScatterMax' used by \{\{node "
     r"ResourceScatterMax\}\} with these attrs: \[Tindices=DT_INT32, dtype=DT_COMPLEX128\]"),
    (_table, "scatter_update", [[2.0, 2.0]], [0.0], InvalidArgumentError,
     "Value for attr 'Tindices' of float is not in the list of allowed values: int32, int64"),
])
def test_scatter_method_errors(variable, method, values, indices, error, message):
    v = variable()
    before = v.numpy().tolist()
    with pytest.raises(error, match=message):
        getattr(v, method)(IndexedSlices(tf.constant(values), tf.constant(indices)))
    assert v.numpy().tolist() == before


def test_scatter_methods_need_indexed_slices():
    with pytest.raises(TypeError, match=r"Argument `sparse_delta` must be a `tf.IndexedSlices`. "
                                        r"Received arg: \[\[1. 1.\]\]"):  # recorded from TF 2.21
        _table().scatter_add(tf.constant([[1.0, 1.0]]))


def test_bool_and_string_variables_take_scatter_update():
    flags = tf.Variable([True])
    flags.scatter_update(IndexedSlices(tf.constant([False]), tf.constant([0])))
    words = tf.Variable(["a"])
    words.scatter_update(IndexedSlices(tf.constant(["b"]), tf.constant([0])))
    assert flags.numpy().tolist() == [False] and words.numpy().tolist() == [b"b"]
