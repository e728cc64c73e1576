"""ConvLSTM1D/2D/3D beyond the Keras values in test_more_layers.py: states, dropout,
stateful runs, symbolic shapes, training and gradients."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer


def test_check_layer():
    check_layer(layers.ConvLSTM2D, {"filters": 2, "kernel_size": 2, "padding": "same",
                                    "return_sequences": True},
                (2, 3, 4, 4, 2), (2, 3, 4, 4, 2), expected_num_trainable_weights=3)


def test_return_state_gives_the_last_output_and_the_carry():
    layer = layers.ConvLSTM1D(3, 2, return_state=True, return_sequences=True)
    x = np.random.default_rng(0).standard_normal((2, 4, 5, 2)).astype("float32")
    sequences, h, c = layer(x)
    assert sequences.shape == (2, 4, 4, 3) and h.shape == c.shape == (2, 4, 3)
    np.testing.assert_allclose(sequences[:, -1].numpy(), h.numpy(), rtol=1e-6)
    symbolic = layers.ConvLSTM1D(3, 2, return_state=True)(keras.Input((4, 5, 2)))
    assert [tuple(t.shape) for t in symbolic] == [(None, 4, 3)] * 3


def test_dropout_only_in_training():
    layer = layers.ConvLSTM2D(2, 2, dropout=0.5, recurrent_dropout=0.5, seed=1)
    x = np.ones((2, 3, 4, 4, 1), "float32")
    inference = layer(x).numpy()
    np.testing.assert_allclose(layer(x).numpy(), inference)
    assert not np.allclose(layer(x, training=True).numpy(), inference)


def test_stateful_carries_states_between_calls():
    x = np.random.default_rng(1).standard_normal((2, 2, 3, 1)).astype("float32")
    stateful = layers.ConvLSTM1D(2, 2, stateful=True)
    plain = layers.ConvLSTM1D(2, 2)
    stateful(x)
    plain(x)
    plain.set_weights(stateful.get_weights())
    stateful.reset_state()
    stateful(x[:, :1])
    np.testing.assert_allclose(stateful(x[:, 1:]).numpy(), plain(x).numpy(), rtol=1e-5)


def test_errors():
    with pytest.raises(ValueError, match="`strides > 1` is not compatible with"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="only support static input shapes"):
        layers.ConvLSTM2D(2, 3)(keras.Input((3, None, 4, 1)))


def test_gradients(rng):
    layer = layers.ConvLSTM1D(2, 2, padding="same", dtype="float64", return_sequences=True)
    x = rng.standard_normal((2, 3, 4, 2))
    layer(x)
    check_gradients(lambda v: layer(v), x, order=1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(layer(x)))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))
