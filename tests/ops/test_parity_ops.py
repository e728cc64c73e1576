"""Core ops' results and errors compared with TensorFlow 2.21's (recorded)."""

import numpy as np
import pytest

import eagerflow as tf

InvalidArgumentError = tf.errors.InvalidArgumentError


# --- x[mask] is tf.boolean_mask ----------------------------------------------------------------

def test_boolean_tensor_index_masks():
    x = tf.reshape(tf.range(6), [2, 3])
    assert x[x > 2].numpy().tolist() == [3, 4, 5]
    assert x[tf.constant([True, False])].numpy().tolist() == [[0, 1, 2]]
    assert x[tf.constant([[True, False, True], [False, False, True]])].numpy().tolist() == [0, 2, 5]
    assert tf.range(5)[np.array([True, False, True, False, True])].numpy().tolist() == [0, 2, 4]
    v = tf.Variable([1, 2, 3])
    masked = v[tf.constant([True, False, True])]
    assert masked.dtype == tf.int32 and masked.numpy().tolist() == [1, 3]  # recorded, TF 2.21


def test_boolean_index_errors():
    with pytest.raises(ValueError, match="^mask cannot be scalar.$"):
        tf.range(5)[tf.constant(True)]
    with pytest.raises(ValueError, match="^mask cannot be scalar.$"):
        tf.Variable([1, 2, 3])[True]
    with pytest.raises(ValueError, match=r"^Shapes \(2,\) and \(3,\) are incompatible$"):
        tf.reshape(tf.range(6), [2, 3])[tf.constant([True, False, True])]
    with pytest.raises(TypeError, match="Only integers, slices"):
        tf.range(3)[np.bool_(True)]  # a NumPy bool is no mask in TF 2.21


def test_gradient_through_a_boolean_index():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x[x > 1.5] ** 2)
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 4.0, 6.0]


# --- a zero slice step --------------------------------------------------------------------------

@pytest.mark.parametrize("key, dim", [
    (slice(None, None, 0), 0),
    ((slice(None), slice(None, None, 0)), 1),
    ((Ellipsis, slice(None, None, 0)), 1),
    ((None, 1, slice(None, None, 0)), 1),
])  # recorded from TF 2.21
def test_zero_step_names_the_dimension(key, dim):
    with pytest.raises(InvalidArgumentError) as info:
        tf.ones([2, 3])[key]
    assert info.value.message == f"strides[{dim}] must be non-zero [Op:StridedSlice]"


# --- strings add ------------------------------------------------------------------------------

def test_add_concatenates_strings():
    assert (tf.constant("a") + tf.constant("b")).numpy() == b"ab"
    assert (tf.constant(["a", "b"]) + "x").numpy().tolist() == [b"ax", b"bx"]
    assert ("x" + tf.constant(["a", "b"])).numpy().tolist() == [b"xa", b"xb"]
    both = tf.add(tf.constant([["a"], ["b"]]), tf.constant(["c", "d"]))
    assert both.dtype == tf.string and both.shape == (2, 2)
    assert both.numpy().tolist() == [[b"ac", b"ad"], [b"bc", b"bd"]]  # recorded, TF 2.21


def test_string_add_errors():
    with pytest.raises(InvalidArgumentError, match="was expected to be a string tensor but is "
                                                   "a int32 tensor"):
        tf.constant(["a"]) + tf.constant([1])
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of string"):
        tf.constant(["a"]) - tf.constant(["b"])


# --- division's dtype errors ------------------------------------------------------------------

def test_reflected_division_converts_the_python_operand_first():
    with pytest.raises(TypeError) as info:
        1.0 / tf.constant(2)
    assert str(info.value) == "Cannot convert 1.0 to EagerTensor of dtype int32"
    assert float(1 / tf.constant(2.0)) == 0.5
    assert (np.array([1.0]) / tf.constant([2.0], tf.float64)).numpy().tolist() == [0.5]


def test_division_reports_the_dtype_mismatch_before_the_string_dtype():
    with pytest.raises(TypeError) as info:
        tf.constant("a") / 2
    assert str(info.value) == "`x` and `y` must have the same dtype, got tf.string != tf.int32."
    with pytest.raises(TypeError, match="Invalid dtype tf.string in __truediv__"):
        tf.constant("a") / tf.constant("b")


# --- matmul of a vector with a batch -----------------------------------------------------------

@pytest.mark.parametrize("a_shape, b_shape, message", [
    ([3], [2, 3, 1], "In[0] ndims must be >= 2: 1 [Op:BatchMatMulV2]"),
    ([2, 2, 3], [3], "In[1] ndims must be >= 2: 1 [Op:BatchMatMulV2]"),
    ([3], [3, 1], "In[0] ndims must be >= 2 [Op:MatMul]"),
])  # recorded from TF 2.21
def test_matmul_rank_errors(a_shape, b_shape, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.matmul(tf.ones(a_shape), tf.ones(b_shape))
    assert info.value.message == message


# --- creation ops' argument checks ------------------------------------------------------------

@pytest.mark.parametrize("num, shown", [(2.5, "2.5 of dtype: <dtype: 'float32'>"),
                                        (tf.constant(3.0), "3.0 of dtype: <dtype: 'float32'>"),
                                        ("3", "b'3' of dtype: <dtype: 'string'>")])
def test_linspace_num_must_be_an_integer(num, shown):
    with pytest.raises(TypeError) as info:
        tf.linspace(0.0, 1.0, num)
    assert str(info.value) == ("Argument `tensor` (name: num) must be of type integer. Received "
                               f"`tensor` = {shown}")  # recorded from TF 2.21
    assert tf.linspace(0.0, 1.0, tf.constant(3, tf.int64)).numpy().tolist() == [0.0, 0.5, 1.0]


def test_eye_sizes_must_be_integers():
    with pytest.raises(TypeError) as info:
        tf.eye(2.0)
    assert str(info.value) == ("Arguments `num_rows` and `num_columns` must be positive integer "
                               "values. Received: num_rows=2.0, num_columns=2.0")
    with pytest.raises(TypeError, match="Received: num_rows=2, num_columns=2.0"):
        tf.eye(2, 2.0)  # both recorded from TF 2.21
    assert tf.eye(np.int64(2)).numpy().tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert tf.eye(tf.constant(1), dtype=tf.int32).numpy().tolist() == [[1]]


# --- array ops' argument handling ---------------------------------------------------------------

def test_concat_of_one_value_returns_it():
    scalar = tf.concat([tf.constant(1)], 0)
    assert scalar.shape == () and scalar.dtype == tf.int32 and int(scalar) == 1
    assert tf.concat([tf.constant([1, 2])], 5).numpy().tolist() == [1, 2]  # axis unchecked
    assert tf.concat(tf.constant([[1, 2]]), 1).numpy().tolist() == [[1, 2]]  # recorded, TF 2.21
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.concat([x], 0) * 3.0)
    assert tape.gradient(y, x).numpy().tolist() == [3.0, 3.0]


def test_where_converts_its_condition_to_bool():
    with pytest.raises(ValueError) as info:
        tf.where(tf.constant([1, 0]), [1, 2], [3, 4])
    assert str(info.value) == ("Tensor conversion requested dtype bool for Tensor with dtype "
                               "int32: <tf.Tensor: shape=(2,), dtype=int32, "
                               "numpy=array([1, 0], dtype=int32)>")
    with pytest.raises(TypeError, match=r"^Cannot convert \[1.0, 0.0\] to EagerTensor of dtype "
                                        r"bool$"):
        tf.where([1.0, 0.0], [1, 2], [3, 4])
    assert tf.where(np.array([1, 0]), [1, 2], [3, 4]).numpy().tolist() == [1, 4]  # recorded
    with pytest.raises(TypeError, match=r"^Cannot convert \[1, 0\] to EagerTensor of dtype bool$"):
        tf.where([1, 0], tf.constant([1, 2]), tf.constant([3, 4]))
    with pytest.raises(InvalidArgumentError, match="input #0"):  # no list: SelectV2 refuses
        tf.where(tf.constant([1, 0]), tf.constant([1, 2]), tf.constant([3, 4]))


@pytest.mark.parametrize("sizes, name", [(tf.constant([2.0, 2.0]), "float"), ([2.0, 2.0], "float"),
                                         (np.array([2, 2], np.int16), "int16")])
def test_split_sizes_must_be_int8_int32_or_int64(sizes, name):
    with pytest.raises(InvalidArgumentError) as info:
        tf.split(tf.zeros([4]), sizes)
    assert info.value.message == (f"Value for attr 'Tlen' of {name} is not in the list of allowed "
                                  f"values: int8, int32, int64 [Op:SplitV]")  # recorded, TF 2.21
    parts = tf.split(tf.zeros([4]), tf.constant([1, 3], tf.int64))
    assert [p.shape.as_list() for p in parts] == [[1], [3]]


def test_shape_out_type_is_int32_or_int64():
    with pytest.raises(InvalidArgumentError) as info:
        tf.shape(tf.zeros([2, 3]), out_type=tf.int16)
    assert info.value.message == ("Value for attr 'out_type' of int16 is not in the list of "
                                  "allowed values: int32, int64 [Op:Shape]")  # recorded, TF 2.21
    assert tf.shape(tf.zeros([2, 3]), out_type="int64").dtype == tf.int64


# --- tf.strings.unicode_decode ------------------------------------------------------------------

def test_unicode_decode():
    # recorded from TF 2.21 (the "Introduction to tensors" guide's example first)
    points = tf.strings.unicode_decode(tf.constant("アヒル 🦆"), "UTF-8")
    assert str(points) == ("tf.Tensor([ 12450  12498  12523     32 129414], shape=(5,), "
                           "dtype=int32)")
    assert tf.strings.unicode_decode(tf.constant(b"a\xffb"), "UTF-8").numpy().tolist() == [
        97, 65533, 98]
    assert tf.strings.unicode_decode("", "UTF-8").shape == (0,)
    rows = tf.strings.unicode_decode(tf.constant([["ab"], ["c"]]), "UTF-8")
    assert [[t.numpy().tolist() for t in row] for row in rows] == [[[97, 98]], [[99]]]
    with pytest.raises(InvalidArgumentError, match="expected to be a string tensor"):
        tf.strings.unicode_decode(tf.constant(1), "UTF-8")
    with pytest.raises(tf.errors.UnimplementedError, match="UTF-8 only"):
        tf.strings.unicode_decode("a", "UTF-16-BE")


@pytest.mark.parametrize("apply", [
    lambda t: 1.5 + t, lambda t: 1.5 * t, lambda t: 1.5 - t, lambda t: 1.5 // t,
    lambda t: 1.5 % t, lambda t: 1.5 ** t, lambda t: 1.5 / t,
])
def test_reflected_operators_convert_the_python_operand_first(apply):
    with pytest.raises(TypeError) as info:
        apply(tf.constant(1))
    assert str(info.value) == "Cannot convert 1.5 to EagerTensor of dtype int32"  # TF 2.21
    assert apply(tf.constant(2.0)).dtype == tf.float32


def test_reflected_operators_with_lists():
    with pytest.raises(TypeError, match=r"^Cannot convert \[\[1.0\]\] to EagerTensor of dtype "
                                        r"int32$"):
        [[1.0]] @ tf.constant([[1]])  # noqa: B018
    assert ([1, 2] + tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 4.0]
    assert (np.float64(2.0) * tf.constant([1.0], tf.float64)).numpy().tolist() == [2.0]


# --- tf.add and tf.matmul take the other input's dtype only as a hint ----------------------

@pytest.mark.parametrize("compute", [
    lambda: tf.constant([1, 2]) + 1.5,
    lambda: tf.add(tf.constant([1, 2]), 1.5),
    lambda: tf.Variable([1, 2]) + 1.5,
    lambda: tf.constant([1, 2]) + [1.5, 2.5],
])
def test_add_of_an_int_tensor_and_floats_reports_the_op_mismatch(compute):
    # TF 2.21: InvalidArgumentError, "cannot compute AddV2 as input #1(zero-based) was
    # expected to be a int32 tensor but is a float tensor [Op:AddV2]".
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"cannot compute AddV2 as input #1\(zero-based\) was expected to "
                             r"be a int32 tensor but is a float tensor"):
        compute()


def test_matmul_of_an_int_tensor_and_floats_reports_the_op_mismatch():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"cannot compute MatMul as input #1\(zero-based\) was expected to "
                             r"be a int32 tensor but is a float tensor"):
        tf.constant([[1, 2]]) @ [[1.5], [2.0]]


def test_other_operators_refuse_the_conversion_as_tensorflow_does():
    # TF 2.21: `*`, `-` and tf.multiply convert the Python value to the tensor's dtype and
    # fail there: TypeError "Cannot convert 1.5 to EagerTensor of dtype int32".
    for compute in (lambda: tf.constant([1, 2]) * 1.5, lambda: tf.constant([1, 2]) - 1.5,
                    lambda: tf.multiply(tf.constant([1, 2]), 1.5)):
        with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
            compute()
    assert tf.add(tf.constant([1, 2]), 3).numpy().tolist() == [4, 5]  # a hint that fits


def test_broadcast_to_errors():
    # TF 2.21's messages (its InvalidArgumentError from the BroadcastTo kernel).
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3,3\]"):
        tf.broadcast_to([1, 2], [3, 3])
    with pytest.raises(InvalidArgumentError, match=r"Rank of input \(2\) must be no greater "
                                                   r"than rank of output shape \(1\)\."):
        tf.broadcast_to(tf.ones((2, 2)), [2])


def test_add_n_converts_in_order_as_tensorflow():
    # TF 2.21: the first input's dtype (a Python float: float32) is the one the rest must have.
    with pytest.raises(InvalidArgumentError,
                       match=r"cannot compute AddN as input #1\(zero-based\) was expected to be "
                             r"a float tensor but is a double tensor"):
        tf.add_n([1.0, tf.constant(2.0, tf.float64)])
    assert tf.add_n([1.0, 2.0, tf.constant(3.0)]).numpy() == 6.0
