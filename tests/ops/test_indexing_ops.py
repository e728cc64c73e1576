"""Indexing ops: gather, gather_nd, scatter_nd, tensor_scatter_nd_*, boolean_mask and
embedding_lookup — values against NumPy, TensorFlow's edge cases and messages, gradients.

Expected values and messages are recorded from TF 2.21 running the same code with
`import tensorflow as tf`.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as tf
from eagerflow.framework.indexed_slices import IndexedSlices
from eagerflow.ops.indexing_ops import (
    boolean_mask, embedding_lookup, gather, gather_nd, scatter_nd, tensor_scatter_nd_add,
    tensor_scatter_nd_max, tensor_scatter_nd_min, tensor_scatter_nd_sub,
    tensor_scatter_nd_update)
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError
NotFoundError = tf.errors.NotFoundError

M = np.arange(6, dtype=np.int32).reshape(2, 3)  # [[0, 1, 2], [3, 4, 5]]
T8 = np.arange(8, dtype=np.int32).reshape(2, 2, 2)


def _raises(error, message, f, *args, **kwargs):
    with pytest.raises(error, match=message):
        f(*args, **kwargs)


# --- gather -------------------------------------------------------------------------------

@pytest.mark.parametrize("shape, indices, axis", [
    ((5,), [4, 0, 0], 0), ((4, 3), [[1, 3], [0, 0]], 0), ((4, 3), [2, 0], 1),
    ((2, 3, 4), [3, 1], -1), ((2, 3, 4), [[0], [2]], 1), ((3,), 1, 0), ((3, 2), [], 0),
    ((0, 3), np.zeros((0,), np.int32), 0)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.bool_,
                                   np.complex64])
def test_gather_matches_numpy_take(shape, indices, axis, dtype):
    params = (np.arange(int(np.prod(shape))).reshape(shape) % 3).astype(dtype)
    index = np.asarray(indices, np.int32)
    result = gather(params, index, axis=axis)
    assert result.dtype is tf.as_dtype(dtype)
    assert np.array_equal(result.numpy(), np.take(params, index, axis=axis))


@pytest.mark.parametrize("index_dtype", [tf.int16, tf.int32, tf.int64])
def test_gather_index_dtypes(index_dtype):
    result = gather(tf.constant([1.0, 2.0, 3.0]), tf.constant([2, 0], index_dtype))
    assert result.numpy().tolist() == [3.0, 1.0]


def test_gather_with_batch_dims():
    # recorded from TF 2.21
    params = [[1, 2], [3, 4]]
    assert gather(params, [[1, 0], [0, 0]], batch_dims=1).numpy().tolist() == [[2, 1], [3, 3]]
    assert gather(params, [[1, 0], [0, 0]], batch_dims=-1).numpy().tolist() == [[2, 1], [3, 3]]
    assert gather(params, [0, 1], batch_dims=1).numpy().tolist() == [1, 4]
    # With axis 0 given, TensorFlow ignores batch_dims.
    assert gather(params, [[1, 0], [0, 0]], axis=0, batch_dims=1).numpy().tolist() == [
        [[3, 4], [1, 2]], [[1, 2], [1, 2]]]
    zeros, index = tf.zeros((2, 3, 4)), tf.zeros((2, 5), tf.int32)
    assert gather(zeros, index, axis=2, batch_dims=1).shape.as_list() == [2, 3, 5]
    assert gather(zeros, index, axis=-1, batch_dims=-1).shape.as_list() == [2, 3, 5]


def test_gather_with_batch_dims_matches_a_loop(rng):
    params = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    indices = rng.integers(0, 4, size=(2, 3, 6)).astype(np.int64)
    result = gather(params, indices, axis=2, batch_dims=2).numpy()
    expected = np.stack([np.stack([np.take(params[i, j], indices[i, j], axis=0)
                                   for j in range(3)]) for i in range(2)])
    assert result.shape == (2, 3, 6, 5)
    assert np.array_equal(result, expected)


def test_gather_arguments():
    p = tf.constant([1.0, 2.0, 3.0])
    assert gather(p, 1).numpy() == 2.0  # recorded from TF 2.21: a scalar index
    assert gather(p, [1], axis=tf.constant(0)).numpy().tolist() == [2.0]
    assert gather(p, [1], validate_indices=False, name="g").numpy().tolist() == [2.0]
    assert gather(["a", "b"], [1]).numpy().tolist() == [b"b"]
    assert gather(tf.Variable([1.0, 2.0]), [1]).numpy().tolist() == [2.0]


GATHER_ERRORS = [
    # recorded from TF 2.21
    (([1.0, 2.0, 3.0], [0, 5]), {}, r"indices\[1\] = 5 is not in \[0, 3\) \[Op:GatherV2\]"),
    (([1.0, 2.0, 3.0], [-1]), {}, r"indices\[0\] = -1 is not in \[0, 3\)"),
    (([1.0, 2.0, 3.0], 5), {}, r"indices = 5 is not in \[0, 3\)"),
    ((np.zeros((2, 3)), [[0, 5]]), {"axis": 1}, r"indices\[0,1\] = 5 is not in \[0, 3\)"),
    ((np.zeros((0, 3)), [0]), {}, r"indices\[0\] = 0 is not in \[0, 0\)"),
    ((np.zeros((2, 3)), [[0, 1], [0, 5]]), {"axis": 1, "batch_dims": 1},
     r"indices\[1,1\] = 5 is not in \[0, 3\)"),
    (([1.0, 2.0], [0.0]), {}, "Value for attr 'Tindices' of float is not in the list of "
                              "allowed values: int16, int32, int64"),
    (([1.0, 2.0], np.array([0], np.uint8)), {}, "Value for attr 'Tindices' of uint8"),
    (([1.0, 2.0], [0]), {"axis": 0.0}, "Value for attr 'Taxis' of float is not in the list "
                                       "of allowed values: int32, int64"),
    (([1.0, 2.0], [0]), {"batch_dims": 1.0}, "Value for attr 'Taxis' of float"),
    ((5.0, [0]), {}, "params must be at least 1 dimensional"),
    (([1.0, 2.0], [0]), {"axis": 1}, "Shape must be at least rank 2 but is rank 1"),
    (([1.0, 2.0], [0]), {"axis": -2}, "Shape must be at least rank 2 but is rank 1"),
    ((M, [0]), {"axis": 5}, "Shape must be at least rank 6 but is rank 2"),
    ((M, [0]), {"axis": -5}, "Shape must be at least rank 5 but is rank 2"),
    ((M, [[1, 0], [0, 0]]), {"batch_dims": 2}, "Shape must be at least rank 3 but is rank 2"),
    ((M, [[0]]), {"axis": 1, "batch_dims": 2},
     r"batch_dims \(2\) must be less than rank\(params\) \(2\)."),
    ((np.zeros((2, 2, 2)), [[0, 1], [1, 0]]), {"axis": 1, "batch_dims": 2},
     r"batch_dims \(2\) must be less than or equal to axis \(1\)."),
    ((np.zeros((2, 2, 2)), [0, 1]), {"batch_dims": 2},
     r"Expected batch_dims in the range \[-1, 1\], but got 2"),
    ((np.zeros((2, 2, 2)), [0, 1]), {"axis": 1, "batch_dims": -3},
     r"Expected batch_dims in the range \[-1, 1\], but got -3"),
    (([[1, 2], [3, 4]], [[1, 0], [0, 0], [0, 0]]), {"batch_dims": 1},
     r"params.shape\[0\]: 2 should be equal to indices.shape\[0\]: 3"),
    ((np.zeros((2, 3, 4)), np.zeros((2, 2), np.int32)), {"batch_dims": 2},
     r"params.shape\[1\]: 3 should be equal to indices.shape\[1\]: 2"),
]


@pytest.mark.parametrize("args, kwargs, message", GATHER_ERRORS)
def test_gather_errors(args, kwargs, message):
    _raises(InvalidArgumentError, message, gather, *args, **kwargs)


def test_gather_on_a_variable_reads_its_rows():
    v = tf.Variable([1.0, 2.0, 3.0])
    # recorded from TF 2.21: axis 0 reads the rows only (ResourceGather).
    _raises(InvalidArgumentError, r"indices\[0\] = 5 is not in \[0, 3\) \[Op:ResourceGather\]",
            gather, v, [5])
    _raises(InvalidArgumentError, r"indices\[0\] = 5 is not in \[0, 2\) \[Op:GatherV2\]",
            gather, tf.Variable([[3.0, 4.0]]), [5], axis=1)


@pytest.mark.parametrize("shape, indices, kwargs", [
    ((5, 2), [4, 0, 0, 2], {}),
    ((4, 3), [[1, 3], [0, 0]], {}),
    ((3, 4), [2, 0, 2], {"axis": 1}),
    ((3, 4), [[2], [0]], {"axis": -2}),
    ((2, 3, 4), [[3, 1], [0, 0]], {"axis": 2, "batch_dims": 1}),
    ((2, 3, 4), [[1, 1, 0], [2, 0, 2]], {"batch_dims": -1}),
    ((2, 3), 1, {"axis": 1}),
])
def test_gather_gradients(shape, indices, kwargs, rng):
    index = tf.constant(indices)
    check_gradients(lambda x: gather(x, index, **kwargs), rng.standard_normal(shape))


def test_gather_gradient_along_other_axes_is_dense():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = gather(x, tf.constant([1]), axis=1)
    grad = tape.gradient(y, x)
    assert isinstance(grad, tf.Tensor)
    assert grad.numpy().tolist() == [[0.0, 1.0]] * 3  # recorded from TF 2.21


# --- gather_nd -----------------------------------------------------------------------------

@pytest.mark.parametrize("params, indices, batch_dims, expected", [
    # recorded from TF 2.21
    (M, [[0, 1], [1, 2]], 0, [1, 5]),
    (M, [[1]], 0, [[3, 4, 5]]),
    (M, [1, 2], 0, 5),
    (M, [[[0, 1]], [[1, 0]]], 0, [[1], [3]]),
    (M, np.zeros((0, 2), np.int32), 0, []),
    (M, np.zeros((2, 0), np.int32), 0, [M.tolist(), M.tolist()]),
    (T8, [[1], [0]], 1, [[2, 3], [4, 5]]),
    (T8, [[[1, 0]], [[0, 1]]], 1, [[2], [5]]),
    (np.zeros((0, 3), np.float32), np.zeros((0, 1), np.int32), 0, np.zeros((0, 3)).tolist()),
])
def test_gather_nd_values(params, indices, batch_dims, expected):
    result = gather_nd(params, tf.constant(indices), batch_dims=batch_dims)
    assert result.numpy().tolist() == expected
    assert result.dtype == tf.constant(params).dtype


def test_gather_nd_with_two_batch_dims_matches_a_loop(rng):
    params = rng.standard_normal((2, 3, 4, 5))
    indices = rng.integers(0, 4, size=(2, 3, 6, 1))
    result = gather_nd(params, indices, batch_dims=2).numpy()
    expected = np.stack([np.stack([params[i, j][indices[i, j, :, 0]] for j in range(3)])
                         for i in range(2)])
    assert result.shape == (2, 3, 6, 5) and np.array_equal(result, expected)


GATHER_ND_ERRORS = [
    # recorded from TF 2.21
    ((M, [[0, 3]]), {}, InvalidArgumentError, r"indices\[0\] = \[0, 3\] does not index into "
                                              r"param shape \[2,3\], node name: GatherNd "
                                              r"\[Op:GatherNd\]"),
    ((M, [[-1, 0]]), {}, InvalidArgumentError, r"indices\[0\] = \[-1, 0\] does not index"),
    ((np.zeros((3, 2)), [[[0], [1]], [[2], [7]]]), {}, InvalidArgumentError,
     r"indices\[1,1\] = \[7\] does not index into param shape \[3,2\]"),
    ((M, [[0, 1, 0]]), {}, InvalidArgumentError,
     "index innermost dimension length must be <= params rank; saw: 3 vs. 2"),
    ((M, 0), {}, InvalidArgumentError, "indices must be at least a vector"),
    ((5, [0]), {}, InvalidArgumentError, "params must be at least a vector"),
    ((M, [0.5]), {}, InvalidArgumentError, "Value for attr 'Tindices' of float is not in the "
                                           "list of allowed values: int16, int32, int64"),
    ((np.zeros((0, 3)), [[0]]), {}, InvalidArgumentError,
     r"Requested more than 0 entries, but params is empty.  Params shape: \[0,3\]"),
    ((T8, [[3], [0]]), {"batch_dims": 1}, InvalidArgumentError,
     r"indices\[0\] = \[0, 3\] does not index into param shape \[2,2,2\], node name: GatherNd"),
    ((T8, [[1, 1, 1], [0, 0, 0]]), {"batch_dims": 1}, InvalidArgumentError,
     "index innermost dimension length must be <= params rank; saw: 4 vs. 3"),
    ((T8, [[1], [0], [0]]), {"batch_dims": 1}, InvalidArgumentError,
     "Input to reshape is a tensor with 3 values, but the requested shape has 2"),
    ((T8, [[1], [0]]), {"batch_dims": 2}, ValueError,
     r"Argument `batch_dims` = 2 must be less than rank\(`indices`\) = 2"),
    ((T8, [[1], [0]]), {"batch_dims": -1}, ValueError,
     "tf.gather_nd does not allow negative batch_dims."),
]


@pytest.mark.parametrize("args, kwargs, error, message", GATHER_ND_ERRORS)
def test_gather_nd_errors(args, kwargs, error, message):
    _raises(error, message, gather_nd, *args, **kwargs)


@pytest.mark.parametrize("shape, indices, batch_dims", [
    ((3, 2), [[1], [1], [2]], 0),          # an IndexedSlices gradient
    ((3, 2), [[1, 0], [2, 1], [1, 0]], 0),
    ((3, 2), [1], 0),
    ((2, 3, 2), [[[1, 0]], [[2, 1]]], 1),
])
def test_gather_nd_gradients(shape, indices, batch_dims, rng):
    index = tf.constant(indices)
    check_gradients(lambda x: gather_nd(x, index, batch_dims=batch_dims),
                    rng.standard_normal(shape))


# --- scatter_nd ----------------------------------------------------------------------------

def test_scatter_nd_values():
    # recorded from TF 2.21: repeated indices add up.
    assert scatter_nd([[1], [3], [1]], [1.0, 2.0, 3.0], [5]).numpy().tolist() == [
        0.0, 4.0, 0.0, 2.0, 0.0]
    assert scatter_nd([[1], [3]], [[1.0, 2.0], [3.0, 4.0]], [4, 2]).numpy().tolist() == [
        [0.0, 0.0], [1.0, 2.0], [0.0, 0.0], [3.0, 4.0]]
    assert scatter_nd([[1]], [1], tf.constant([5], tf.int64)).numpy().tolist() == [0, 1, 0, 0, 0]
    assert scatter_nd([[1]], [True], [3]).numpy().tolist() == [False, True, False]
    assert scatter_nd([[1]], ["a"], [3]).numpy().tolist() == [b"", b"a", b""]
    empty = scatter_nd(tf.zeros((0, 1), tf.int32), tf.zeros((0,)), [3])
    assert empty.numpy().tolist() == [0.0, 0.0, 0.0] and empty.dtype is tf.float32


SCATTER_ND_ERRORS = [
    # recorded from TF 2.21
    (([[5]], [1.0], [5]), InvalidArgumentError,
     r"indices\[0\] = \[5\] does not index into shape \[5\] \[Op:ScatterNd\]"),
    (([[-1]], [1.0], [5]), InvalidArgumentError, r"indices\[0\] = \[-1\] does not index"),
    (([[[0], [1]], [[2], [7]]], np.ones((2, 2, 2), np.float32), [3, 2]), InvalidArgumentError,
     r"indices\[1,1\] = \[7\] does not index into shape \[3,2\]"),
    (([[1]], [1.0, 2.0], [5]), InvalidArgumentError,
     r"Dimensions \[0,1\) of indices\[shape=\[1,1\]\] must match dimensions \[0,1\) of "
     r"updates\[shape=\[2\]\]"),
    (([1], [1.0], [5]), InvalidArgumentError,
     r"Dimensions \[1,1\) of input\[shape=\[5\]\] must match dimensions \[0,1\) of "
     r"updates\[shape=\[1\]\]"),
    (([[1]], [1.0], [5, 2]), InvalidArgumentError,
     r"Dimensions \[1,2\) of input\[shape=\[5,2\]\] must match dimensions \[1,1\) of "
     r"updates\[shape=\[1\]\]"),
    (([[1, 0, 0]], [1.0], [5, 2]), InvalidArgumentError, r"Dimensions \[3,2\) of input"),
    (([[1]], [1.0], [-3]), InvalidArgumentError, "Dimension -3 must be >= 0"),
    (([[1]], [1.0], 5), InvalidArgumentError, "Shape must be a vector"),
    ((1, [1.0], [3]), InvalidArgumentError,
     r"Indices shape must have rank at least one. Found:\[\]"),
    (([[1]], 1.0, [3]), InvalidArgumentError,
     r"Updates shape must have rank at least one. Found:\[\]"),
    (([[1]], [1.0], [0]), InvalidArgumentError,
     r"Indices and updates specified for empty output.  indices shape: \[1,1\]"),
    ((np.zeros((2, 0), np.int32), np.ones((2, 3, 2), np.float32), [3, 2]),
     InvalidArgumentError, "Indices and updates specified for empty output shape"),
    (([[1.0]], [1.0], [3]), InvalidArgumentError,
     "Value for attr 'Tindices' of float is not in the list of allowed values"),
    (([[1]], [1.0], [3.0]), TypeError, r"Cannot convert \[3.0\] to EagerTensor of dtype int32"),
]


@pytest.mark.parametrize("args, error, message", SCATTER_ND_ERRORS)
def test_scatter_nd_errors(args, error, message):
    _raises(error, message, scatter_nd, *args)


def test_scatter_nd_gradients(rng):
    index = tf.constant([[1, 0], [2, 1], [1, 0]])
    check_gradients(lambda u: scatter_nd(index, u, [3, 2]), rng.standard_normal(3))
    rows = tf.constant([[1], [0]])
    check_gradients(lambda u: scatter_nd(rows, u, [3, 4]) ** 2, rng.standard_normal((2, 4)))


def test_only_the_error_policy_for_bad_indices():
    _raises(tf.errors.UnimplementedError, "bad_indices_policy='IGNORE' is not supported",
            scatter_nd, [[1]], [1.0], [3], bad_indices_policy="IGNORE")
    _raises(tf.errors.UnimplementedError, "not supported", gather_nd, [1.0], [[0]],
            bad_indices_policy="IGNORE")
    assert gather_nd([1.0, 2.0], [[1]], bad_indices_policy="ERROR").numpy().tolist() == [2.0]


# --- tensor_scatter_nd_* -------------------------------------------------------------------

@pytest.mark.parametrize("op, expected", [
    # recorded from TF 2.21: update keeps the last of repeated indices.
    (tensor_scatter_nd_update, [1.0, 10.0, 3.0, 4.0]),
    (tensor_scatter_nd_add, [1.0, 21.0, 3.0, 4.0]),
    (tensor_scatter_nd_sub, [1.0, -17.0, 3.0, 4.0]),
])
def test_tensor_scatter_values(op, expected):
    result = op(tf.constant([1.0, 2.0, 3.0, 4.0]), [[1], [1]], [9.0, 10.0])
    assert result.numpy().tolist() == expected and result.dtype is tf.float32


def test_tensor_scatter_min_max_and_slices():
    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    # recorded from TF 2.21
    assert tensor_scatter_nd_min(x, [[1], [2]], [0.0, 10.0]).numpy().tolist() == [1, 0, 3, 4]
    assert tensor_scatter_nd_max(x, [[1], [2]], [0.0, 10.0]).numpy().tolist() == [1, 2, 10, 4]
    assert tensor_scatter_nd_update(tf.zeros((2, 3)), [[1]], [[1.0, 2.0, 3.0]]).numpy(
    ).tolist() == [[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]]
    assert tensor_scatter_nd_update(tf.constant(["a"]), [[0]], ["b"]).numpy().tolist() == [b"b"]
    assert tensor_scatter_nd_update(tf.zeros((2,)), tf.zeros((0, 1), tf.int32), []).numpy(
    ).tolist() == [0.0, 0.0]


def test_tensor_scatter_leaves_its_input_alone():
    x = tf.constant([1.0, 2.0])
    tensor_scatter_nd_add(x, [[0]], [5.0])
    assert x.numpy().tolist() == [1.0, 2.0]


TENSOR_SCATTER_ERRORS = [
    # recorded from TF 2.21
    ((tensor_scatter_nd_update, [1.0, 2.0, 3.0, 4.0], [[5]], [9.0]), InvalidArgumentError,
     r"indices\[0\] = \[5\] does not index into shape \[4\] \[Op:TensorScatterUpdate\]"),
    ((tensor_scatter_nd_add, [1.0, 2.0, 3.0, 4.0], [[5]], [9.0]), InvalidArgumentError,
     r"\[Op:TensorScatterAdd\]"),
    ((tensor_scatter_nd_update, np.zeros((2, 3), np.float32), [[-1, 0]], [1.0]),
     InvalidArgumentError, r"indices\[0\] = \[-1, 0\] does not index into shape \[2,3\]"),
    ((tensor_scatter_nd_update, np.zeros((3, 2), np.float32), [[[0], [1]], [[2], [7]]],
      np.ones((2, 2, 2), np.float32)), InvalidArgumentError,
     r"indices\[1,1\] = \[7\] does not index into shape \[3,2\]"),
    ((tensor_scatter_nd_update, [1.0, 2.0], [[1]], [9.0, 1.0]), InvalidArgumentError,
     r"Outer dimensions of indices and update must match. Indices shape: \[1,1\], updates "
     r"shape:\[2\]"),
    ((tensor_scatter_nd_update, [1.0, 2.0], [1], [9.0]), InvalidArgumentError,
     r"Inner dimensions of output shape must match inner dimensions of updates shape. "
     r"Output: \[2\] updates: \[1\]"),
    ((tensor_scatter_nd_update, np.zeros((2, 3), np.float32), [[1]], [[1.0, 2.0]]),
     InvalidArgumentError, r"The inner 1 dimensions of output.shape=\[2,3\] must match the "
                           r"inner 1 dimensions of updates.shape=\[1,2\]"),
    ((tensor_scatter_nd_update, 5.0, [[0]], [1.0]), InvalidArgumentError,
     r"Output: \[\] updates: \[1\]"),
    ((tensor_scatter_nd_update, [0.0, 0.0], [[0]], 1.0), InvalidArgumentError,
     r"Updates shape must have rank at least one. Found:\[\]"),
    ((tensor_scatter_nd_update, np.zeros((0,), np.float32), [[0]], [1.0]), InvalidArgumentError,
     "Indices and updates specified for empty output shape"),
    ((tensor_scatter_nd_update, [0.0, 0.0], [], []), InvalidArgumentError,
     "Value for attr 'Tindices' of float is not in the list of allowed values: int16, int32, "
     "int64, uint16"),
    ((tensor_scatter_nd_update, [1.0], [[0]], tf.constant([9])), InvalidArgumentError,
     r"cannot compute TensorScatterUpdate as input #2\(zero-based\) was expected to be a float "
     r"tensor but is a int32 tensor"),
    ((tensor_scatter_nd_add, [True], [[0]], [False]), NotFoundError,
     r"Could not find device for node: \{\{node TensorScatterAdd\}\} = TensorScatterAdd"
     r"\[T=DT_BOOL, Tindices=DT_INT32"),
    ((tensor_scatter_nd_min, [True], [[0]], [False]), NotFoundError, "TensorScatterMin"),
    ((tensor_scatter_nd_max, [1j], [[0]], [1j]), NotFoundError, "T=DT_COMPLEX128"),
]


@pytest.mark.parametrize("args, error, message", TENSOR_SCATTER_ERRORS)
def test_tensor_scatter_errors(args, error, message):
    op, tensor, indices, updates = args
    _raises(error, message, op, tf.constant(tensor), indices, updates)


@pytest.mark.parametrize("op", [tensor_scatter_nd_update, tensor_scatter_nd_add,
                                tensor_scatter_nd_sub, tensor_scatter_nd_min,
                                tensor_scatter_nd_max])
def test_tensor_scatter_gradients(op, rng):
    index = tf.constant([[0, 1], [2, 0]])
    check_gradients(lambda x, u: op(x, index, u), rng.standard_normal((3, 2)),
                    rng.standard_normal(2))


def test_tensor_scatter_gradients_recorded():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    u = tf.constant([5.0, 6.0])
    dy = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, u])
        updated = tensor_scatter_nd_update(x, [[0, 1], [0, 1]], u)
        maximum = tensor_scatter_nd_max(x, [[0, 1], [1, 0]], tf.constant([2.0, 9.0]))
    # recorded from TF 2.21: repeated indices each get the gradient; ties split it.
    grads = tape.gradient(updated, [x, u], output_gradients=dy)
    assert [g.numpy().tolist() for g in grads] == [[[1.0, 0.0], [3.0, 4.0]], [2.0, 2.0]]
    assert tape.gradient(maximum, x, output_gradients=dy).numpy().tolist() == [[1.0, 1.0],
                                                                              [0.0, 4.0]]


# --- boolean_mask --------------------------------------------------------------------------

T = np.arange(6, dtype=np.float32).reshape(2, 3)


@pytest.mark.parametrize("tensor, mask, axis, expected", [
    # recorded from TF 2.21
    (T, [True, False], None, [[0.0, 1.0, 2.0]]),
    (T, [[True, False, True], [False, True, False]], None, [0.0, 2.0, 4.0]),
    (T, [True, False, True], 1, [[0.0, 2.0], [3.0, 5.0]]),
    (T, [True, False], -2, [[0.0, 1.0, 2.0]]),
    (T, [1, 0], None, [[0.0, 1.0, 2.0]]),             # non-zero counts as True
    (T, [0.5, 1.0], None, T.tolist()),
    ([1, 2], [True, False], None, [1]),
    (np.zeros((0, 3), np.float32), np.zeros((0,), bool), None, np.zeros((0, 3)).tolist()),
    (np.arange(24).reshape(2, 3, 4), [[True, False, True], [False, False, True]], None,
     [[0, 1, 2, 3], [8, 9, 10, 11], [20, 21, 22, 23]]),
    (np.arange(24).reshape(2, 3, 4), [[True, False, True, True], [False, False, True, False],
                                      [True, True, True, True]], 1,
     [[0, 2, 3, 6, 8, 9, 10, 11], [12, 14, 15, 18, 20, 21, 22, 23]]),
])
def test_boolean_mask_values(tensor, mask, axis, expected):
    result = boolean_mask(tensor, mask, axis=axis)
    assert result.numpy().tolist() == expected
    assert result.dtype == tf.constant(tensor).dtype


@pytest.mark.parametrize("mask, axis, message", [
    # recorded from TF 2.21: the masked dimensions are found by Python slicing of the shape.
    (True, None, "mask cannot be scalar."),
    ([True, False, True], None, r"Shapes \(2,\) and \(3,\) are incompatible"),
    ([True, False, True], -1, r"Shapes \(\) and \(3,\) are incompatible"),
    ([[[True]]], None, r"Shapes \(2, 3\) and \(1, 1, 1\) are incompatible"),
    ([True, False], 2, r"Shapes \(\) and \(2,\) are incompatible"),
    ([True, False], -3, r"Shapes \(\) and \(2,\) are incompatible"),
    (np.zeros((0,), bool), None, r"Shapes \(2,\) and \(0,\) are incompatible"),
])
def test_boolean_mask_errors(mask, axis, message):
    _raises(ValueError, message, boolean_mask, T, mask, axis=axis)


def test_boolean_mask_gradient(rng):
    mask = tf.constant([[True, False, True], [False, True, True]])
    check_gradients(lambda x: boolean_mask(x, mask), rng.standard_normal((2, 3)))
    check_gradients(lambda x: boolean_mask(x, [False, True, True], axis=1),
                    rng.standard_normal((2, 3, 2)))
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(boolean_mask(v, [True, False]) * 3.0)
    grad = tape.gradient(y, v)
    assert isinstance(grad, tf.Tensor)  # recorded from TF 2.21: dense
    assert grad.numpy().tolist() == [[3.0, 3.0], [0.0, 0.0]]


# --- embedding_lookup -----------------------------------------------------------------------

def test_embedding_lookup_values():
    table = tf.constant([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0]])
    assert embedding_lookup(table, [[2, 0]]).numpy().tolist() == [[[0.0, 0.0], [3.0, 4.0]]]
    # recorded from TF 2.21
    np.testing.assert_allclose(embedding_lookup(table, [0, 1, 2], max_norm=1.0).numpy(),
                               [[0.6, 0.8], [0.3, 0.4], [0.0, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(embedding_lookup(table[:1], 0, max_norm=1.0).numpy(), [0.6, 0.8],
                               rtol=1e-6)
    assert embedding_lookup(tf.constant([3.0, 4.0]), [1], max_norm=1.0).numpy().tolist() == [1.0]
    assert embedding_lookup(tf.constant([[1], [2]]), [1]).numpy().tolist() == [[2]]
    assert embedding_lookup(tf.Variable([[3.0, 4.0], [1.0, 0.0]]), [1, 1]).numpy().tolist() == [
        [1.0, 0.0], [1.0, 0.0]]


def test_embedding_lookup_shards_divide_the_rows():
    # recorded from TF 2.21: "div" partitioning, the first shards one row longer.
    shards = [tf.constant([[1.0], [2.0]]), tf.constant([[3.0]])]
    assert embedding_lookup(shards, [2, 0]).numpy().tolist() == [[3.0], [1.0]]
    table = np.arange(14.0).reshape(7, 2)
    split = [table[:3], table[3:5], table[5:]]
    ids = np.array([[6, 0, 3], [4, 4, 2]])
    assert np.array_equal(embedding_lookup(split, ids).numpy(), table[ids])


def test_embedding_lookup_errors():
    # recorded from TF 2.21
    _raises(ValueError, "Length of params is currently 0. Need at least one param.",
            embedding_lookup, [], [1])
    _raises(InvalidArgumentError, "Value for attr 'Tindices' of float", embedding_lookup,
            tf.constant([[1.0], [2.0]]), [1.0])
    _raises(InvalidArgumentError, r"indices\[0\] = 5 is not in \[0, 3\) \[Op:GatherV2\]",
            embedding_lookup, tf.constant([1.0, 2.0, 3.0]), [5])
    _raises(InvalidArgumentError, "Value for attr 'T' of int32 is not in the list of allowed "
                                  "values", embedding_lookup, tf.constant([[3, 4]]), [0],
            max_norm=1)


def test_embedding_lookup_gradients(rng):
    ids = tf.constant([[0, 2], [2, 3]])
    check_gradients(lambda t: embedding_lookup(t, ids), rng.standard_normal((4, 3)))
    check_gradients(lambda t: embedding_lookup(t, ids, max_norm=0.5), rng.standard_normal((4, 3)))
    check_gradients(lambda a, b: embedding_lookup([a, b], ids), rng.standard_normal((2, 3)),
                    rng.standard_normal((2, 3)))


# --- round trips --------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_gather_matches_np_take_for_any_shape(data):
    params = data.draw(hnp.arrays(np.float32, hnp.array_shapes(min_dims=1, max_dims=3,
                                                               min_side=1, max_side=4),
                                  elements=st.floats(-10, 10, width=32)))
    axis = data.draw(st.integers(-params.ndim, params.ndim - 1))
    indices = data.draw(hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=2,
                                                              min_side=0, max_side=3),
                                   elements=st.integers(0, params.shape[axis] - 1)))
    result = gather(params, indices, axis=axis)
    assert result.dtype is tf.float32
    assert np.array_equal(result.numpy(), np.take(params, indices, axis=axis))


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_scatter_nd_then_gather_nd_returns_the_updates(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    depth = data.draw(st.integers(1, len(shape)))
    places = data.draw(st.lists(st.tuples(*[st.integers(0, d - 1) for d in shape[:depth]]),
                                min_size=1, max_size=5, unique=True))
    indices = np.array(places, np.int32)
    updates = data.draw(hnp.arrays(np.float64, (len(places),) + shape[depth:],
                                   elements=st.floats(-10, 10)))
    scattered = scatter_nd(indices, updates, shape)
    assert scattered.dtype is tf.float64
    assert np.array_equal(gather_nd(scattered, indices).numpy(), updates)
    assert float(tf.reduce_sum(scattered)) == pytest.approx(float(np.sum(updates)))


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_boolean_mask_matches_numpy(data):
    tensor = data.draw(hnp.arrays(np.int32, hnp.array_shapes(min_dims=1, max_dims=3,
                                                             min_side=0, max_side=4)))
    mask_rank = data.draw(st.integers(1, tensor.ndim))
    axis = data.draw(st.integers(0, tensor.ndim - mask_rank))
    mask = data.draw(hnp.arrays(np.bool_, tensor.shape[axis:axis + mask_rank]))
    expected = tensor[(slice(None),) * axis + (mask,)]
    assert np.array_equal(boolean_mask(tensor, mask, axis=axis).numpy(), expected)


def test_sparse_gradient_of_gather_is_not_dense(rng):
    table = tf.Variable(rng.standard_normal((10000, 8)).astype(np.float32))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(gather(table, [3, 7]))
    grad = tape.gradient(y, table)
    assert isinstance(grad, IndexedSlices)
    assert grad.values.shape == (2, 8) and grad.values.dtype is tf.float32
