"""tf.lookup: StaticHashTable and KeyValueTensorInitializer (behaviour of TF 2.21)."""

import numpy as np
import pytest

import eagerflow as tf


def _table(keys, values, default):
    return tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, values), default)


def test_string_keys():
    table = _table(["a", "b"], [5, 7], -1)
    assert table.key_dtype == tf.string and table.value_dtype == tf.int32
    out = table.lookup(tf.constant([["a", "z"], ["b", "a"]]))
    assert out.dtype == tf.int32
    assert out.numpy().tolist() == [[5, -1], [7, 5]]
    assert int(table.size()) == 2 and table.size().dtype == tf.int64
    keys, values = table.export()
    assert keys.numpy().tolist() == [b"a", b"b"] and values.numpy().tolist() == [5, 7]
    assert int(table.default_value) == -1


def test_integer_keys_and_string_values(rng):
    keys = rng.permutation(1000).astype(np.int64)[:300]
    values = np.array([f"v{k}" for k in keys], dtype=object)
    table = _table(tf.constant(keys), tf.constant(values), "none")
    queries = rng.integers(-5, 1005, size=(20, 7)).astype(np.int64)
    expected = np.vectorize(lambda q: f"v{q}".encode() if q in set(keys) else b"none",
                            otypes=[object])(queries)
    assert table.lookup(tf.constant(queries)).numpy().tolist() == expected.tolist()


def test_errors():
    table = _table(tf.constant([3, 1], tf.int64), tf.constant([0, 1], tf.int64), -1)
    assert table.lookup(tf.constant([1, 2, 3], tf.int64)).numpy().tolist() == [1, -1, 0]
    with pytest.raises(TypeError, match="Dtype of argument `keys` must be <dtype: 'int64'>, "
                                        "received: <dtype: 'int32'>"):
        table.lookup(tf.constant([1]))
    with pytest.raises(ValueError, match="same size"):
        tf.lookup.KeyValueTensorInitializer(["a"], [1, 2])
    with pytest.raises(TypeError):
        _table(["a"], [1], -1.5)


def test_an_empty_table_is_refused_as_tensorflow_refuses_it():
    initializer = tf.lookup.KeyValueTensorInitializer(tf.constant([], tf.string),
                                                      tf.constant([], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="keys and values cannot be empty tensors"):
        tf.lookup.StaticHashTable(initializer, -1)
