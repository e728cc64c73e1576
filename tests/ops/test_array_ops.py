"""Shape and structure ops: reshape, transpose, expand/squeeze, concat, stack, split,
strided_slice, shapes and their broadcasting."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as tf
from eagerflow.framework.broadcasting import sum_to_shape
from eagerflow.ops.array_ops import (
    broadcast_dynamic_shape, broadcast_static_shape, ensure_shape, shape_n, strided_slice)
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError

DTYPE_VALUES = [
    np.array([[1.5, -2.0], [3.0, 4.0]], np.float32),
    np.array([[1.5, -2.0], [3.0, 4.0]], np.float64),
    np.array([[1, 2], [3, 4]], np.int32),
    np.array([[1, 2], [3, 4]], np.int64),
    np.array([[True, False], [False, True]]),
    np.array([[1 + 2j, 3j], [2, -1j]], np.complex64),
]


def _message(error):
    return error.value.message


# --- reshape ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape, target, expected", [
    ((2, 3), [-1], (6,)), ((2, 3), [3, -1], (3, 2)), ((2, 3), [3, 2], (3, 2)),
    ((2, 3), (1, 6, 1), (1, 6, 1)), ((1,), [], ()), ((), [1, 1], (1, 1)),
    ((2, 3, 4), [-1, 4], (6, 4)),
    # recorded from TF 2.21: zero-sized dimensions are left out when inferring -1.
    ((0, 3), [-1, 0], (3, 0)), ((0,), [0, -1], (0, 1)), ((0, 3), [3, 0, -1], (3, 0, 1)),
    ((4, 0), [-1], (0,)), ((2, 0, 3), [-1, 3], (0, 3)), ((2, 0, 3), [0, -1], (0, 6))])
def test_reshape_matches_numpy(shape, target, expected):
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    t = tf.reshape(x, target)
    assert t.dtype is tf.float32
    assert t.shape.as_list() == list(expected)
    assert np.array_equal(t.numpy(), x.reshape(expected))


@pytest.mark.parametrize("array", DTYPE_VALUES, ids=lambda a: str(a.dtype))
def test_reshape_keeps_dtype(array):
    t = tf.reshape(array, [-1])
    assert t.dtype is tf.as_dtype(array.dtype)
    assert t.numpy().tolist() == array.reshape(-1).tolist()


def test_reshape_shape_arguments():
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert tf.reshape(x, tf.constant([3, 2])).numpy().tolist() == [[1.0, 2.0], [3.0, 4.0],
                                                                  [5.0, 6.0]]
    assert tf.reshape(x, tf.TensorShape([6])).shape.as_list() == [6]
    assert tf.reshape(tf.constant([5]), []).numpy() == 5
    assert tf.reshape(x, shape=[6]).shape.as_list() == [6]


@pytest.mark.parametrize("value, shape, message", [
    ([1, 2], [3], "Input to reshape is a tensor with 2 values, but the requested shape has 3"),
    (np.zeros((2, 3)), [4, -1],
     "Input to reshape is a tensor with 6 values, but the requested shape requires a multiple "
     "of 4"),
    (np.zeros((2, 3)), [-1, -1], "Only one input size may be -1, not both 0 and 1"),
    (np.zeros((2, 3)), [0, -1],
     "Input to reshape is a tensor with 6 values, but the requested shape has 0"),
    (np.zeros((2, 3)), [], "Input to reshape is a tensor with 6 values, but the requested shape "
                           "has 1"),
    (np.zeros((2, 3)), (-2, 3), "Size 0 must be non-negative, not -2"),
    (np.zeros((2, 3)), [2.0, 3.0],
     "Value for attr 'Tshape' of float is not in the list of allowed values: int32, int64"),
])  # recorded from TF 2.21
def test_reshape_errors(value, shape, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.reshape(value, shape)
    assert _message(info) == f"{message} [Op:Reshape]"


def test_reshape_gradients(rng):
    check_gradients(lambda x: tf.reshape(x, [3, -1]) ** 2, rng.standard_normal((2, 3)))
    check_gradients(lambda x: tf.reshape(x, []) * x, rng.standard_normal((1, 1)))


@settings(max_examples=25, deadline=None)
@given(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4), st.data())
def test_reshape_round_trip(shape, data):
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    flat = tf.reshape(x, [-1])
    assert flat.shape.as_list() == [x.size]
    order = data.draw(st.permutations(list(shape)))
    middle = tf.reshape(flat, order)
    back = tf.reshape(middle, shape)
    assert back.shape.as_list() == list(shape)
    assert np.array_equal(back.numpy(), x)


# --- transpose --------------------------------------------------------------------------

X3 = np.arange(6, dtype=np.int32).reshape(1, 2, 3)


@pytest.mark.parametrize("perm, expected_perm", [
    (None, (2, 1, 0)), ([0, 2, 1], (0, 2, 1)), ([2, 0, 1], (2, 0, 1)),
    ([-1, 0, 1], (2, 0, 1)), (tf.constant([1, 0, 2]), (1, 0, 2))])  # recorded from TF 2.21
def test_transpose_matches_numpy(perm, expected_perm):
    t = tf.transpose(X3, perm)
    assert t.dtype is tf.int32
    assert t.numpy().tolist() == np.transpose(X3, expected_perm).tolist()
    assert tf.transpose(X3, perm=perm).shape == np.transpose(X3, expected_perm).shape


def test_transpose_conjugate():
    c = tf.constant([[1 + 2j, 3j]])
    # recorded from TF 2.21
    assert tf.transpose(c, conjugate=True).numpy().tolist() == [[1 - 2j], [-3j]]
    assert tf.transpose(c).numpy().tolist() == [[1 + 2j], [3j]]
    assert tf.transpose(tf.constant([[1.0, 2.0]]), conjugate=True).numpy().tolist() == [[1.0],
                                                                                        [2.0]]
    assert tf.transpose(tf.constant(3.0)).numpy() == 3.0


@pytest.mark.parametrize("perm, message", [
    ([0, 1], "transpose expects a vector of size 3. But input(1) is a vector of size 2"),
    ([0, 1, 1], "2 is missing from {0,1,1}."),
    ([0, 1, 3], "3 is out of range [0 .. 3)"),
])  # recorded from TF 2.21
def test_transpose_errors(perm, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.transpose(X3, perm)
    assert _message(info) == f"{message} [Op:Transpose]"


@pytest.mark.parametrize("perm", [None, [1, 2, 0], [0, 2, 1], [-1, -3, -2]])
def test_transpose_gradients(perm, rng):
    check_gradients(lambda x: tf.transpose(x, perm) ** 2, rng.standard_normal((2, 3, 4)))


def test_transpose_conjugate_gradient():
    c = tf.constant([[1 + 2j, 3j]])
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = tf.transpose(c, conjugate=True) * tf.constant([[2 + 0j], [1j]])
    # The gradient of conj(c) * w, in TensorFlow's convention, is w.
    assert tape.gradient(y, c).numpy().tolist() == [[2 + 0j, 1j]]


@settings(max_examples=25, deadline=None)
@given(hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=3), st.data())
def test_transpose_round_trip(shape, data):
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    perm = data.draw(st.permutations(range(len(shape))))
    t = tf.transpose(x, perm)
    assert t.numpy().tolist() == np.transpose(x, perm).tolist()
    back = tf.transpose(t, np.argsort(perm).tolist())
    assert np.array_equal(back.numpy(), x)


# --- expand_dims and squeeze ------------------------------------------------------------

@pytest.mark.parametrize("axis, shape", [
    (0, [1, 2, 1, 3, 1]), (-1, [2, 1, 3, 1, 1]), (4, [2, 1, 3, 1, 1]), (1, [2, 1, 1, 3, 1]),
    (tf.constant(1), [2, 1, 1, 3, 1]), ([1], [2, 1, 1, 3, 1])])  # recorded from TF 2.21
def test_expand_dims(axis, shape):
    t = tf.expand_dims(tf.zeros((2, 1, 3, 1)), axis)
    assert t.shape.as_list() == shape
    assert tf.expand_dims(tf.constant(1.0), 0).shape.as_list() == [1]


@pytest.mark.parametrize("axis", [5, -6])
def test_expand_dims_error(axis):
    with pytest.raises(InvalidArgumentError) as info:
        tf.expand_dims(tf.zeros((2, 1, 3, 1)), axis)
    assert _message(info) == (f"Tried to expand dim index {axis} for tensor with 4 dimensions. "
                              f"[Op:ExpandDims]")  # recorded from TF 2.21


@pytest.mark.parametrize("axis, shape", [
    (None, [2, 3]), (1, [2, 3, 1]), ([1, 3], [2, 3]), (-1, [2, 1, 3]), ((1,), [2, 3, 1])])
def test_squeeze(axis, shape):
    t = tf.squeeze(tf.zeros((2, 1, 3, 1), tf.int32), axis)
    assert t.shape.as_list() == shape and t.dtype is tf.int32
    assert tf.squeeze(tf.zeros((1, 1))).shape.as_list() == []


@pytest.mark.parametrize("axis, message", [
    (0, "Can not squeeze dim[0], expected a dimension of 1, got 2"),
    ([0, 1], "Can not squeeze dim[0], expected a dimension of 1, got 2"),
    (4, "Tried to squeeze dim index 4 for tensor with 4 dimensions."),
])  # recorded from TF 2.21
def test_squeeze_errors(axis, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.squeeze(tf.zeros((2, 1, 3, 1)), axis)
    assert _message(info) == f"{message} [Op:Squeeze]"
    with pytest.raises(InvalidArgumentError,
                       match=r"Can not squeeze dim\[1\], expected a dimension of 1, got 2"):
        tf.squeeze(tf.zeros((1, 2)), 1)


def test_expand_dims_and_squeeze_gradients(rng):
    check_gradients(lambda x: tf.expand_dims(x, 1) ** 2, rng.standard_normal((2, 3)))
    check_gradients(lambda x: tf.squeeze(x, [0, 2]) ** 2, rng.standard_normal((1, 3, 1)))
    check_gradients(lambda x: tf.squeeze(x) ** 3, rng.standard_normal((1, 1)))


# --- concat -----------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [0, 1, -1, -2])
@pytest.mark.parametrize("array", DTYPE_VALUES, ids=lambda a: str(a.dtype))
def test_concat_matches_numpy(array, axis):
    t = tf.concat([array, array[:1] if axis in (0, -2) else array[:, :1], array], axis)
    other = array[:1] if axis in (0, -2) else array[:, :1]
    assert t.dtype is tf.as_dtype(array.dtype)
    assert t.numpy().tolist() == np.concatenate([array, other, array], axis).tolist()


def test_concat_arguments():
    a, b = tf.constant([[1, 2]]), tf.constant([[3, 4]])
    # recorded from TF 2.21
    assert tf.concat([a], 0).numpy().tolist() == [[1, 2]]
    assert tf.concat([a, b], axis=tf.constant(1)).numpy().tolist() == [[1, 2, 3, 4]]
    assert tf.concat([a, [[5, 6]]], 0).numpy().tolist() == [[1, 2], [5, 6]]
    assert tf.concat((a, tf.Variable([[7, 8]])), 0).numpy().tolist() == [[1, 2], [7, 8]]


@pytest.mark.parametrize("values, axis, message", [
    ([[[1, 2]], [[3, 4]]], 2,
     "ConcatOp : Expected concatenating dimensions in the range [-2, 2), but got 2"),
    ([[[1, 2]], [[3, 4]]], -3,
     "ConcatOp : Expected concatenating dimensions in the range [-2, 2), but got -3"),
    ([[[1, 2]], [1, 2]], 0,
     "ConcatOp : Ranks of all input tensors should match: shape[0] = [1,2] vs. shape[1] = [2]"),
    ([[[1, 2]], [[1, 2, 3]]], 0,
     "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [1,2] vs. shape[1] = "
     "[1,3]"),
    ([1, 2], 0, "ConcatOp : Can't concatenate scalars (use tf.stack instead)"),
])  # recorded from TF 2.21
def test_concat_errors(values, axis, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.concat([tf.constant(v) for v in values], axis)
    assert _message(info) == f"{message} [Op:ConcatV2]"


def test_concat_dtype_errors():
    with pytest.raises(InvalidArgumentError) as info:
        tf.concat([tf.constant([[1, 2]]), tf.constant([[1.0, 2.0]])], 0)
    assert _message(info) == ("cannot compute ConcatV2 as input #1(zero-based) was expected to "
                              "be a int32 tensor but is a float tensor [Op:ConcatV2]")
    with pytest.raises(TypeError, match=r"Cannot convert \[\[1.5\]\] to EagerTensor of dtype "
                                        r"int32"):
        tf.concat([[[1.5]], tf.constant([[1, 2]])], 0)  # recorded from TF 2.21


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concat_gradients(axis, rng):
    shapes = [(2, 3), (1, 3), (3, 3)] if axis == 0 else [(2, 1), (2, 3), (2, 2)]
    check_gradients(lambda a, b, c: tf.concat([a, b * b, c], axis) ** 2,
                    *[rng.standard_normal(s) for s in shapes])


# --- stack and unstack ------------------------------------------------------------------

@pytest.mark.parametrize("axis", [0, 1, -1, -3, 2])
@pytest.mark.parametrize("array", DTYPE_VALUES, ids=lambda a: str(a.dtype))
def test_stack_matches_numpy(array, axis):
    t = tf.stack([tf.constant(array), tf.constant(array[::-1])], axis=axis)
    assert t.dtype is tf.as_dtype(array.dtype)
    assert t.numpy().tolist() == np.stack([array, array[::-1]], axis).tolist()


def test_stack_arguments():
    # recorded from TF 2.21
    assert tf.stack([tf.constant([1, 2])]).numpy().tolist() == [[1, 2]]
    assert tf.stack([tf.constant(1.0), 2]).numpy().tolist() == [1.0, 2.0]
    # Python and NumPy values along axis 0 convert together, as tf.constant converts them.
    assert tf.stack([1, 2.5]).dtype is tf.float32
    assert tf.stack([np.array([1.0]), np.array([2.0])]).dtype is tf.float64
    assert tf.stack([np.array([1, 2]), np.array([3, 4])]).dtype is tf.int32
    assert tf.stack([np.array([1, 2]), np.array([3, 4])], axis=1).dtype is tf.int64
    empty = tf.stack([])
    assert empty.dtype is tf.float32 and empty.shape.as_list() == [0]
    assert tf.stack([tf.Variable(1.0), tf.Variable(2.0)]).numpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize("axis, message", [
    (2, "Argument `axis` = 2 not in range [-2, 2)"),
    (-3, "Argument `axis` = -3 not in range [-2, 2)"),
])  # recorded from TF 2.21
def test_stack_axis_error(axis, message):
    with pytest.raises(ValueError) as info:
        tf.stack([tf.constant([1, 2]), tf.constant([3, 4])], axis=axis)
    assert str(info.value) == message


@pytest.mark.parametrize("other, shape", [([1, 2, 3], "[3]"), ([[1, 2]], "[1,2]")])
def test_stack_shape_error(other, shape):
    with pytest.raises(InvalidArgumentError) as info:
        tf.stack([tf.constant([1, 2]), tf.constant(other)])
    assert _message(info) == (f"Shapes of all inputs must match: values[0].shape = [2] != "
                              f"values[1].shape = {shape} [Op:Pack]")  # recorded from TF 2.21


def test_stack_dtype_error():
    with pytest.raises(InvalidArgumentError, match="cannot compute Pack as input #1"):
        tf.stack([tf.constant([1, 2]), tf.constant([1.0, 2.0])])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_unstack(axis):
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    parts = tf.unstack(x, axis=axis)
    assert type(parts) is list
    assert [p.numpy().tolist() for p in parts] == [list(row) for row in np.moveaxis(x, axis, 0)]
    assert len(tf.unstack(tf.constant(x), num=2)) == 2
    assert tf.unstack(tf.zeros((0, 2))) == []


def test_unstack_errors():
    x = tf.reshape(tf.range(6), (2, 3))
    with pytest.raises(InvalidArgumentError) as info:
        tf.unstack(x, num=3)
    assert _message(info) == ("Input shape axis 0 must equal 3, got shape [2,3] "
                              "[Op:Unpack]")  # recorded from TF 2.21
    with pytest.raises(ValueError, match=r"Argument `axis` = 2 not in range \[-2, 2\)"):
        tf.unstack(x, axis=2)
    with pytest.raises(ValueError, match=r"Argument `axis` = 0 not in range \[0, 0\)"):
        tf.unstack(tf.constant(1.0))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_stack_and_unstack_gradients(axis, rng):
    check_gradients(lambda a, b: tf.stack([a, a * b, b], axis=axis) ** 2,
                    rng.standard_normal((2, 3)), rng.standard_normal((2, 3)))
    check_gradients(lambda x: [p * p for p in tf.unstack(x, axis=axis)],
                    rng.standard_normal((2, 3)))


def test_unstack_gradient_with_unused_parts(rng):
    check_gradients(lambda x: tf.unstack(x)[1] ** 2, rng.standard_normal((3, 2)))


# --- split ------------------------------------------------------------------------------

@pytest.mark.parametrize("splits, axis, shapes", [
    (2, 1, [[2, 3], [2, 3]]), (3, 1, [[2, 2]] * 3), ([1, 5], 1, [[2, 1], [2, 5]]),
    ([1, -1, 2], 1, [[2, 1], [2, 3], [2, 2]]), (2, 0, [[1, 6], [1, 6]]),
    ([2, 3, 1], -1, [[2, 2], [2, 3], [2, 1]]), (tf.constant([3, 3]), 1, [[2, 3], [2, 3]]),
    ([0, 6], 1, [[2, 0], [2, 6]]), (1, 1, [[2, 6]]),
])  # recorded from TF 2.21
def test_split(splits, axis, shapes):
    x = np.arange(12, dtype=np.int32).reshape(2, 6)
    parts = tf.split(x, splits, axis=axis)
    assert type(parts) is list
    assert [p.shape.as_list() for p in parts] == shapes
    assert np.array_equal(np.concatenate([p.numpy() for p in parts], axis), x)


@pytest.mark.parametrize("splits, axis, op, message", [
    (4, 1, "Split", "Number of ways to split should evenly divide the split dimension, but got "
                    "split_dim 1 (size = 6) and num_split 4"),
    (0, 1, "Split", "Value for attr 'num_split' of 0 must be at least minimum 1"),
    (2, 2, "Split", "-input rank(-2) <= split_dim < input rank (2), but got 2"),
    ([1, 2], 1, "SplitV", "Determined shape must either match input shape along split_dim "
                          "exactly if fully specified, or be less than the size of the input "
                          "along split_dim if not fully specified.  Got: 3"),
    ([7, -1], 1, "SplitV", "Determined shape must either match input shape along split_dim "
                           "exactly if fully specified, or be less than the size of the input "
                           "along split_dim if not fully specified.  Got: 7"),
    ([1, -1, -1], 1, "SplitV", "There can only be one -1 in the input."),
])  # recorded from TF 2.21
def test_split_errors(splits, axis, op, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.split(tf.reshape(tf.range(12), (2, 6)), splits, axis)
    assert _message(info) == f"{message} [Op:{op}]"


@pytest.mark.parametrize("splits", [3, [1, -1, 2], [4, 2]])
def test_split_gradients(splits, rng):
    check_gradients(lambda x: [p ** 2 * (i + 1) for i, p in enumerate(tf.split(x, splits, 1))],
                    rng.standard_normal((2, 6)))


def test_split_gradient_with_unused_parts(rng):
    check_gradients(lambda x: tf.split(x, [1, 2], axis=0)[1] ** 2, rng.standard_normal((3, 2)))


# --- shape, size, rank ------------------------------------------------------------------

@pytest.mark.parametrize("value, shape, size, rank", [
    (tf.zeros((2, 3)), [2, 3], 6, 2), (tf.constant(1.0), [], 1, 0), ([[1, 2]], [1, 2], 2, 2),
    (tf.Variable([1.0]), [1], 1, 1), (np.zeros((0, 4)), [0, 4], 0, 2)])
def test_shape_size_rank(value, shape, size, rank):
    # recorded from TF 2.21
    for result, expected in ((tf.shape(value), shape), (tf.size(value), size),
                             (tf.rank(value), rank)):
        assert result.dtype is tf.int32
        assert np.asarray(result.numpy()).tolist() == expected
    assert tf.shape(value, out_type=tf.int64).dtype is tf.int64
    assert tf.size(value, tf.int64).dtype is tf.int64


# --- broadcast_to -----------------------------------------------------------------------

@pytest.mark.parametrize("value, shape", [
    ([1, 2], [3, 2]), (np.array([1.0, 2.0]), (2, 2)), (1.0, [2]), (np.ones((2, 1)), (2, 3)),
    (np.ones(3), tf.constant([2, 3])), (np.ones((1, 1, 2)), (4, 3, 2)), (np.ones(()), ())])
def test_broadcast_to_matches_numpy(value, shape):
    t = tf.broadcast_to(value, shape)
    expected = np.broadcast_to(np.asarray(value), tuple(np.asarray(shape).tolist()))
    assert t.dtype is tf.convert_to_tensor(value).dtype
    assert t.numpy().tolist() == expected.tolist()


@pytest.mark.parametrize("value, shape", [([1.0, 2.0], [2, 3]), (np.ones((2, 3)), (3,))])
def test_broadcast_to_errors(value, shape):
    with pytest.raises(InvalidArgumentError, match=r"\[Op:BroadcastTo\]"):
        tf.broadcast_to(value, shape)


@pytest.mark.parametrize("shape, target", [((3,), (2, 3)), ((2, 1), (2, 4)), ((), (3,)),
                                           ((1, 3, 1), (2, 3, 2))])
def test_broadcast_to_gradients(shape, target, rng):
    check_gradients(lambda x: tf.broadcast_to(x, target) ** 2, rng.standard_normal(shape))


@st.composite
def _shape_and_target(draw):
    """A target shape and a shape that broadcasts to it (fewer dims, some of them 1)."""
    target = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=3))
    rank = draw(st.integers(0, len(target)))
    shape = tuple(draw(st.sampled_from([1, d])) for d in target[len(target) - rank:])
    return shape, target


@settings(max_examples=25, deadline=None)
@given(_shape_and_target(), st.data())
def test_broadcast_to_and_sum_to_shape_are_adjoint(shapes, data):
    shape, target = shapes
    x = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-4, 4)))
    y = data.draw(hnp.arrays(np.float64, target, elements=st.floats(-4, 4)))
    broadcast = tf.broadcast_to(x, target)
    summed = sum_to_shape(tf.constant(y), shape)
    assert broadcast.shape.as_list() == list(target)
    assert summed.shape.as_list() == list(shape)
    left = float(np.sum(broadcast.numpy() * y))  # <broadcast_to(x), y>
    right = float(np.sum(x * summed.numpy()))  # <x, sum_to_shape(y)>
    assert left == pytest.approx(right, rel=1e-12, abs=1e-9)


# --- strided_slice ----------------------------------------------------------------------

Y = np.arange(24, dtype=np.int32).reshape(2, 3, 4)


@pytest.mark.parametrize("begin, end, strides, masks, key", [
    ([0, 1, 0], [2, 3, 4], [1, 1, 2], {}, np.s_[0:2, 1:3, 0:4:2]),
    ([1, -1, -1], [0, 0, 0], [-1, -1, -2], {}, np.s_[1:0:-1, -1:0:-1, -1:0:-2]),
    ([1, 1, 1], [2, 2, 2], [1, 1, 1], {"begin_mask": 0b101}, np.s_[:2, 1:2, :2]),
    ([0, 0, 0], [1, 1, 1], [1, 1, 1], {"end_mask": 0b110}, np.s_[0:1, 0:, 0:]),
    ([1, 0, 2], [2, 3, 3], [1, 1, 1], {"shrink_axis_mask": 0b101}, np.s_[1, 0:3, 2]),
    ([-1], [0], [1], {"shrink_axis_mask": 1}, np.s_[-1]),
    ([0, 0], [1, 2], [1, 1], {"new_axis_mask": 0b1}, np.s_[None, 0:2]),
    ([0, 1], [0, 2], [1, 1], {"ellipsis_mask": 0b1}, np.s_[..., 1:2]),
    ([0, 0, 1], [1, 0, 2], [1, 1, 1], {"ellipsis_mask": 0b10}, np.s_[0:1, ..., 1:2]),
    ([1], [2], None, {}, np.s_[1:2]),
    ([-10, 1], [10, 100], [1, 1], {}, np.s_[-10:10, 1:100]),
    ([10], [-10], [-1], {}, np.s_[10:-10:-1]),
    ([1], [0], [1], {}, np.s_[1:0]),
    # recorded from TF 2.21: an ellipsis bit wins over the others, then a new-axis bit; the
    # begin and end of a new axis are ignored, and so is the end of a shrunk one.
    ([0], [1], [1], {"new_axis_mask": 1, "shrink_axis_mask": 1}, np.s_[None]),
    ([5, 0], [7, 1], [3, 1], {"new_axis_mask": 1}, np.s_[None, 0:1]),
    ([0], [0], [1], {"ellipsis_mask": 1, "shrink_axis_mask": 1}, np.s_[...]),
    ([1], [1], [1], {"shrink_axis_mask": 1}, np.s_[1]),
    ([1], [2], [2], {"shrink_axis_mask": 1}, np.s_[1]),
    ([0], [1], [0], {"new_axis_mask": 1}, np.s_[None]),
    ([0, 0], [0, 0], [1, 1], {"ellipsis_mask": 1, "new_axis_mask": 2}, np.s_[..., None]),
])  # recorded from TF 2.21
def test_strided_slice_matches_numpy(begin, end, strides, masks, key):
    t = strided_slice(Y, begin, end, strides, **masks)
    assert t.dtype is tf.int32
    assert t.shape.as_list() == list(Y[key].shape)
    assert t.numpy().tolist() == Y[key].tolist()


@pytest.mark.parametrize("value, begin, end, strides, masks, message", [
    (Y, [0], [1], [0], {}, "strides[0] must be non-zero"),
    (Y, [0, 0], [1, 1], [1, 0], {}, "strides[1] must be non-zero"),
    (Y, [0, 0], [1, 1], [1, 0], {"ellipsis_mask": 1}, "strides[2] must be non-zero"),
    (Y, [0], [1], [0], {"shrink_axis_mask": 1}, "strides[0] must be non-zero"),
    (Y, [2], [3], [1], {"shrink_axis_mask": 1}, "slice index 2 of dimension 0 out of bounds."),
    (Y, [-3], [0], [1], {"shrink_axis_mask": 1},
     "slice index -1 of dimension 0 out of bounds."),
    (Y, [1], [0], [-1], {"shrink_axis_mask": 1}, "only stride 1 allowed on non-range indexing."),
    (Y, [0, 0], [1], [1], {}, "Expected begin, end, and strides to be 1D equal size tensors, "
                              "but got shapes [2], [1], and [1] instead."),
    (Y, [[0]], [[1]], [[1]], {}, "Expected begin, end, and strides to be 1D equal size "
                                 "tensors, but got shapes [1,1], [1,1], and [1,1] instead."),
    (Y, [0, 0], [1, 1], [1, 1], {"ellipsis_mask": 0b11},
     "Multiple ellipses in slice spec not allowed"),
    (Y, [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1], {},
     "Index out of range using input dim 3; input has only 3 dims"),
    (1.0, [0], [1], [1], {}, "Attempting to slice scalar input."),
    (Y, [0.5], [1], None, {}, "Value for attr 'Index' of float is not in the list of allowed "
                              "values: int16, int32, int64"),
])  # recorded from TF 2.21
def test_strided_slice_errors(value, begin, end, strides, masks, message):
    with pytest.raises(InvalidArgumentError) as info:
        strided_slice(value, begin, end, strides, **masks)
    assert _message(info) == f"{message} [Op:StridedSlice]"


def test_strided_slice_arguments():
    # recorded from TF 2.21
    assert strided_slice(1.0, [0], [1], [1], new_axis_mask=1).numpy().tolist() == [1.0]
    begin, end = tf.constant([0], tf.int64), tf.constant([1], tf.int64)
    assert strided_slice(Y, begin, end).shape.as_list() == [1, 3, 4]
    assert strided_slice(Y, begin, [1]).shape.as_list() == [1, 3, 4]
    assert strided_slice(input_=Y, begin=[0, 1], end=[1, 3]).shape.as_list() == [1, 2, 4]
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert strided_slice(v, [1], [2], shrink_axis_mask=1).numpy().tolist() == [3.0, 4.0]


@pytest.mark.parametrize("begin, end, strides, masks", [
    ([1, -1], [0, 0], [-1, -2], {"end_mask": 1}),
    ([1, 0], [2, 4], [1, 2], {"shrink_axis_mask": 1}),
    ([0, 1], [0, 3], [1, 1], {"ellipsis_mask": 1, "new_axis_mask": 0}),
    ([0, 0, 1], [0, 2, 4], [1, 1, 2], {"new_axis_mask": 1}),
])
def test_strided_slice_gradients(begin, end, strides, masks, rng):
    check_gradients(lambda x: strided_slice(x, begin, end, strides, **masks) ** 2,
                    rng.standard_normal((3, 4)))


_INDEX_ITEM = st.one_of(
    st.integers(-4, 3),
    st.builds(slice, st.none() | st.integers(-6, 6), st.none() | st.integers(-6, 6),
              st.none() | st.integers(-3, 3).filter(bool)),
    st.none(), st.just(Ellipsis))


def _as_strided_spec(key):
    """A NumPy basic index as TensorFlow's spec, the way `tensor[key]` builds it."""
    begin, end, strides, masks = [], [], [], dict.fromkeys(
        ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"), 0)
    for i, item in enumerate(key):
        b, e, s = 0, 0, 1
        if item is Ellipsis:
            masks["ellipsis_mask"] |= 1 << i
        elif item is None:
            masks["new_axis_mask"] |= 1 << i
        elif isinstance(item, int):
            b, e = item, item + 1
            masks["shrink_axis_mask"] |= 1 << i
        else:
            s = 1 if item.step is None else item.step
            if item.start is None:
                masks["begin_mask"] |= 1 << i
            else:
                b = item.start
            if item.stop is None:
                masks["end_mask"] |= 1 << i
            else:
                e = item.stop
        begin.append(b), end.append(e), strides.append(s)
    return begin, end, strides, masks


@settings(max_examples=25, deadline=None)
@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4),
       st.lists(_INDEX_ITEM, min_size=1, max_size=5))
def test_strided_slice_matches_numpy_basic_indexing(shape, key):
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    assume(key.count(Ellipsis) <= 1)
    try:
        expected = x[tuple(key)]
    except IndexError:
        assume(False)
    begin, end, strides, masks = _as_strided_spec(key)
    t = strided_slice(x, begin, end, strides, **masks)
    assert t.shape.as_list() == list(expected.shape)
    assert np.array_equal(t.numpy(), expected)
    # The gradient scatters back: ones where the slice reads (basic indexing never repeats).
    source = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(source)
        total = tf.reduce_sum(strided_slice(source, begin, end, strides, **masks))
    counts = np.zeros_like(x)
    counts[tuple(key)] = 1.0
    assert np.array_equal(tape.gradient(total, source).numpy(), counts)


# --- shape_n, broadcast shapes, ensure_shape --------------------------------------------

def test_shape_n():
    # recorded from TF 2.21
    shapes = shape_n([tf.zeros((2, 3)), tf.zeros(()), [1, 2]])
    assert type(shapes) is list
    assert [s.numpy().tolist() for s in shapes] == [[2, 3], [], [2]]
    assert all(s.dtype is tf.int32 for s in shapes)
    assert shape_n([tf.zeros((2, 3))], out_type=tf.int64)[0].dtype is tf.int64
    with pytest.raises(InvalidArgumentError) as info:
        shape_n([])
    assert _message(info) == "Value for attr 'N' of 0 must be at least minimum 1 [Op:ShapeN]"


@pytest.mark.parametrize("x, y, expected", [
    ([2, 1], [3], [2, 3]), ([None, 1], [3], [None, 3]), ([None], [3], [3]),
    ([None], [1], [None]), ([5, None, 1], [1, 4, None], [5, 4, None]), ([], [2, 2], [2, 2]),
    ([0], [1], [0]), (None, [3], None),
])  # recorded from TF 2.21
def test_broadcast_static_shape(x, y, expected):
    result = broadcast_static_shape(tf.TensorShape(x), tf.TensorShape(y))
    assert isinstance(result, tf.TensorShape)
    if expected is None:
        assert result.rank is None
    else:
        assert result.as_list() == expected


def test_broadcast_static_shape_error():
    with pytest.raises(ValueError) as info:
        broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape([3]))
    assert str(info.value) == (  # recorded from TF 2.21
        "Incompatible shapes for broadcasting. Two shapes are compatible if for each dimension "
        "pair they are either equal or one of them is 1. Received: (2,) and (3,).")


@pytest.mark.parametrize("x, y, expected, dtype", [
    ([2, 1], [3], [2, 3], tf.int32), (tf.constant([2, 1]), tf.constant([1, 3]), [2, 3], tf.int32),
    (tf.constant([2, 1], tf.int64), tf.constant([1, 3], tf.int64), [2, 3], tf.int64),
    (tf.TensorShape([2, 1]), tf.TensorShape([3]), [2, 3], tf.int32), ([], [], [], tf.int32),
    ([4, 1, 3], [2, 1], [4, 2, 3], tf.int32),
])  # recorded from TF 2.21
def test_broadcast_dynamic_shape(x, y, expected, dtype):
    result = broadcast_dynamic_shape(x, y)
    assert result.dtype is dtype
    assert result.numpy().tolist() == expected


@pytest.mark.parametrize("x, y, message", [
    ([2], [3], "Incompatible shapes: [2] vs. [3]"), (2, [3], "In[0] must be a vector.[]"),
    (tf.constant([2, 1], tf.int64), tf.constant([1, 3]),
     "cannot compute BroadcastArgs as input #1(zero-based) was expected to be a int64 tensor "
     "but is a int32 tensor"),
])  # recorded from TF 2.21
def test_broadcast_dynamic_shape_errors(x, y, message):
    with pytest.raises(InvalidArgumentError) as info:
        broadcast_dynamic_shape(x, y)
    assert _message(info) == f"{message} [Op:BroadcastArgs]"


@pytest.mark.parametrize("value, shape", [
    (np.zeros((2, 3), np.float32), [2, None]), (np.zeros((2, 3), np.float32), None),
    (np.zeros((2, 3), np.float32), tf.TensorShape([None, 3])), (np.int32(1), []), ([1, 2], (2,)),
])  # recorded from TF 2.21
def test_ensure_shape(value, shape):
    t = ensure_shape(value, shape)
    assert t.numpy().tolist() == np.asarray(value).tolist()
    assert t.dtype is tf.convert_to_tensor(value).dtype


@pytest.mark.parametrize("value, shape, actual, expected", [
    (np.zeros((2, 3)), [2, 4], "[2,3]", "[2,4]"), (np.zeros((2, 3)), [2], "[2,3]", "[2]"),
    (np.zeros((2, 3)), [None, 4], "[2,3]", "[?,4]"), (np.int32(1), [1], "[]", "[1]"),
])  # recorded from TF 2.21
def test_ensure_shape_errors(value, shape, actual, expected):
    with pytest.raises(InvalidArgumentError) as info:
        ensure_shape(value, shape)
    assert _message(info) == (f"Shape of tensor input {actual} is not compatible with expected "
                              f"shape {expected}. [Op:EnsureShape]")


def test_ensure_shape_gradients(rng):
    check_gradients(lambda x: ensure_shape(x, [None, 3]) ** 2, rng.standard_normal((2, 3)))


# --- fast paths: known sizes, shapes already right, leading-axis sums -----------------------

def test_reshape_to_known_sizes_and_errors_keep_tensorflows_rules():
    x = tf.range(6)
    assert tf.reshape(x, [2, 3]).numpy().tolist() == [[0, 1, 2], [3, 4, 5]]
    assert tf.reshape(x, (3, 2)).shape.as_list() == [3, 2]
    assert tf.reshape(tf.constant(1.5), [1]).numpy().tolist() == [1.5]
    assert tf.reshape(tf.zeros((0, 4)), [0, 2, 2]).shape.as_list() == [0, 2, 2]
    with pytest.raises(InvalidArgumentError, match="Input to reshape is a tensor with 6 values, "
                                                   "but the requested shape has 4"):
        tf.reshape(x, [2, 2])  # recorded from TF 2.21
    with pytest.raises(InvalidArgumentError, match="Size 1 must be non-negative, not -2"):
        tf.reshape(x, [3, -2])  # recorded from TF 2.21


def test_broadcast_to_its_own_shape_and_to_a_tensor_shape():
    x = tf.constant([[1.0, 2.0]])
    assert tf.broadcast_to(x, (1, 2)).numpy().tolist() == [[1.0, 2.0]]
    assert tf.broadcast_to(x, tf.TensorShape([3, 2])).numpy().tolist() == [[1.0, 2.0]] * 3
    assert tf.broadcast_to(tf.constant(2), tf.TensorShape([])).numpy().tolist() == 2
    with pytest.raises(InvalidArgumentError, match=r"\[Op:BroadcastTo\]"):
        tf.broadcast_to(x, (2, 3))


@pytest.mark.parametrize("shape, target", [
    ((128, 512), (512,)), ((128, 10), (10,)), ((4, 5, 3), (5, 3)), ((4, 5, 3), (1, 3)),
    ((4, 5, 3), (5, 1)), ((2, 3), (2, 3)), ((6, 2), (1, 2)), ((6, 2), [2])])
def test_sum_to_shape_matches_numpy(shape, target, rng):
    x = rng.standard_normal(shape).astype(np.float32)
    lead = len(shape) - len(target)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(target)
                                      if d == 1 and shape[lead + i] != 1)
    expected = np.sum(x, axis=axes, keepdims=True).reshape(target)
    result = sum_to_shape(tf.constant(x), target)
    assert result.shape.as_list() == list(target) and result.dtype is tf.float32
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-5, atol=1e-5)


def test_sum_to_shape_refuses_a_shape_it_does_not_broadcast_to():
    with pytest.raises(InvalidArgumentError, match=r"\[Op:SumToShape\]"):
        sum_to_shape(tf.ones((2, 4)), (3,))
    with pytest.raises(InvalidArgumentError, match="larger rank"):
        sum_to_shape(tf.ones((4,)), (2, 4))


def test_expand_dims_axis_forms():
    x = tf.constant([1, 2])
    for axis, shape in [(0, [1, 2]), (-1, [2, 1]), (1, [2, 1]), (-2, [1, 2]),
                        (np.int64(1), [2, 1]), (tf.constant([0]), [1, 2])]:
        assert tf.expand_dims(x, axis).shape.as_list() == shape
    assert tf.expand_dims(x, -1).numpy().tolist() == [[1], [2]]
