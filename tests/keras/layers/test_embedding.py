"""`Embedding`: lookups, masks, the sparse gradient, config and errors."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from tests.keras.layer_checks import check_layer


def test_check_layer():
    check_layer(keras.layers.Embedding, {"input_dim": 5, "output_dim": 3}, input_shape=(2, 4),
                expected_output_shape=(2, 4, 3), input_dtype="int32",
                expected_num_trainable_weights=1)


def test_lookup_picks_rows():
    weights = np.arange(12, dtype="float32").reshape(4, 3)
    layer = keras.layers.Embedding(4, 3, weights=weights)
    output = layer(np.array([[3, 0], [1, 1]]))
    np.testing.assert_array_equal(output.numpy(), weights[[[3, 0], [1, 1]]])
    assert output.dtype == tf.float32
    assert layer(np.array([[2.0]], "float32")).numpy().tolist() == [[weights[2].tolist()]]


def test_weights_and_initializer():
    layer = keras.layers.Embedding(100, 8)
    layer.build()
    (embeddings,) = layer.weights
    assert embeddings.path == f"{layer.name}/embeddings" and tuple(embeddings.shape) == (100, 8)
    values = embeddings.numpy()
    assert values.dtype == np.float32 and np.abs(values).max() <= 0.05  # "uniform"
    assert values.std() > 0.01


def test_mask_zero():
    layer = keras.layers.Embedding(5, 2, mask_zero=True)
    output = layer(np.array([[4, 0, 2]]))
    assert output._keras_mask.numpy().tolist() == [[True, False, True]]
    assert getattr(keras.layers.Embedding(5, 2)(np.array([[4, 0]])), "_keras_mask",
                   None) is None
    assert keras.layers.Embedding(5, 2).compute_mask(tf.constant([[1, 0]])) is None


def test_gradient_reaches_the_embeddings_as_indexed_slices():
    layer = keras.layers.Embedding(6, 2)
    ids = tf.constant([[1, 4], [1, 0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(ids) * tf.constant([1.0, 2.0]))
    (gradient,) = tape.gradient(loss, layer.trainable_weights)
    assert isinstance(gradient, tf.IndexedSlices)
    assert gradient.indices.numpy().ravel().tolist() == [1, 4, 1, 0]
    dense = tf.convert_to_tensor(gradient).numpy()
    np.testing.assert_array_equal(dense, [[1, 2], [2, 4], [0, 0], [0, 0], [1, 2], [0, 0]])


def test_optimizer_step_changes_only_the_rows_used():
    layer = keras.layers.Embedding(6, 2)
    ids = tf.constant([[2, 3]])
    layer.build()
    before = layer.get_weights()[0]
    optimizer = keras.optimizers.SGD(0.5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(ids))
    grads = tape.gradient(loss, layer.trainable_weights)
    optimizer.apply_gradients(zip(grads, layer.trainable_weights))
    after = layer.get_weights()[0]
    np.testing.assert_allclose(after[[2, 3]], before[[2, 3]] - 0.5)
    np.testing.assert_array_equal(after[[0, 1, 4, 5]], before[[0, 1, 4, 5]])


def test_input_length_is_deprecated():
    with pytest.warns(UserWarning, match="Argument `input_length` is deprecated"):
        keras.layers.Embedding(3, 2, input_length=4)


@pytest.mark.parametrize("kwargs, message", [
    ({"input_dim": 0, "output_dim": 2}, "argument `input_dim`"),
    ({"input_dim": 3, "output_dim": -1}, "argument `output_dim`"),
])
def test_invalid_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.layers.Embedding(**kwargs)


def test_out_of_range_index_raises():
    with pytest.raises(tf.errors.InvalidArgumentError):
        keras.layers.Embedding(3, 2)(np.array([[5]]))
