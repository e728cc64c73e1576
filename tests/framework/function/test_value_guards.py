"""Traces that depend on a tensor's value or size give the right answer for every call."""

import numpy as np

import eagerflow as tf


def test_an_op_reading_a_value_is_traced_again_for_another_value():
    @tf.function
    def count_to(n):
        return tf.range(n) * 2

    assert count_to(tf.constant(3)).numpy().tolist() == [0, 2, 4]
    assert count_to(tf.constant(5)).numpy().tolist() == [0, 2, 4, 6, 8]
    assert count_to(tf.constant(3)).numpy().tolist() == [0, 2, 4]
    assert count_to.experimental_get_tracing_count() == 2  # one per value seen, reused


def test_shapes_given_as_lists_of_tensors():
    @tf.function
    def shaped(x, rows):
        return tf.reshape(x, [rows, -1]), tf.zeros([rows]), tf.fill([rows], 1.0)

    for rows in (2, 3):
        reshaped, zeros, filled = shaped(tf.ones([6]), tf.constant(rows))
        assert reshaped.shape == (rows, 6 // rows)
        assert zeros.shape == (rows,) and filled.numpy().tolist() == [1.0] * rows


def test_sizes_of_unknown_dimensions_are_computed_at_each_call():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def describe(x):
        return (tf.shape(x), tf.size(x), tf.rank(x), tf.zeros_like(x), tf.ones_like(x),
                tf.range(tf.shape(x)[0]))

    for n in (2, 4, 2):
        shape, size, rank, zeros, ones, positions = describe(tf.ones([n]))
        assert shape.numpy().tolist() == [n] and int(size) == n and int(rank) == 1
        np.testing.assert_array_equal(zeros.numpy(), np.zeros(n, "float32"))
        np.testing.assert_array_equal(ones.numpy(), np.ones(n, "float32"))
        assert positions.numpy().tolist() == list(range(n))


def test_a_loaded_function_refuses_values_it_was_not_traced_for(tmp_path):
    import pytest

    module = tf.Module()
    module.count_to = tf.function(lambda n: tf.range(n),
                                  input_signature=[tf.TensorSpec([], tf.int32)])
    module.count_to(tf.constant(3))
    tf.saved_model.save(module, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert loaded.count_to(tf.constant(3)).numpy().tolist() == [0, 1, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="traced for particular input"):
        loaded.count_to(tf.constant(4))
