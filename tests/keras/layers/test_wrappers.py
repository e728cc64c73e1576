"""`Bidirectional` and `TimeDistributed` (values against Keras are in
test_rnn_keras_values.py)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.keras.layer_checks import check_layer

X = tf.random.normal((2, 4, 3), seed=11)


def _directions(merge_mode, **kwargs):
    layer = layers.Bidirectional(layers.LSTM(2, return_sequences=True, **kwargs),
                                 merge_mode=merge_mode)
    merged = layer(X)
    forward = layer.forward_layer(X)
    backward = tf.reverse(layer.backward_layer(X), [1])
    return merged, forward.numpy(), backward.numpy()


@pytest.mark.parametrize("merge_mode, combine", [
    ("concat", lambda f, b: np.concatenate([f, b], -1)), ("sum", np.add),
    ("mul", np.multiply), ("ave", lambda f, b: (f + b) / 2)])
def test_merge_modes(merge_mode, combine):
    merged, forward, backward = _directions(merge_mode)
    np.testing.assert_allclose(merged.numpy(), combine(forward, backward), rtol=1e-6)


def test_merge_mode_none_returns_both():
    merged, forward, backward = _directions(None)
    assert isinstance(merged, list) and len(merged) == 2
    np.testing.assert_allclose(merged[0].numpy(), forward)
    np.testing.assert_allclose(merged[1].numpy(), backward)


def test_return_state_lists_forward_then_backward_states():
    layer = layers.Bidirectional(layers.LSTM(2, return_state=True))
    output, fh, fc, bh, bc = layer(X)
    assert output.shape == (2, 4)
    np.testing.assert_allclose(output.numpy(), np.concatenate([fh.numpy(), bh.numpy()], -1))


def test_names_weights_and_backward_copy():
    keras.backend.clear_session()
    layer = layers.Bidirectional(layers.GRU(3, name="gru"), name="bi")
    layer.build((2, 4, 3))
    assert layer.forward_layer.name == "forward_gru"
    assert layer.backward_layer.name == "backward_gru" and layer.backward_layer.go_backwards
    assert [w.path for w in layer.weights][::3] == ["bi/forward_gru/gru_cell/kernel",
                                                    "bi/backward_gru/gru_cell/kernel"]


def test_backward_layer_argument():
    backward = layers.SimpleRNN(3, go_backwards=True)
    layer = layers.Bidirectional(layers.LSTM(2), backward_layer=backward)
    assert layer.backward_layer is backward
    assert layer(X).shape == (2, 5)


@pytest.mark.parametrize("kwargs, message", [
    ({"merge_mode": "max"}, "Invalid merge mode"),
    ({"backward_layer": layers.GRU(2)}, "different `go_backwards`"),
    ({"backward_layer": layers.GRU(2, go_backwards=True, return_sequences=True)},
     "same value for attribute \"return_sequences\""),
])
def test_bidirectional_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Bidirectional(layers.GRU(2), **kwargs)


def test_bidirectional_needs_a_layer():
    with pytest.raises(ValueError, match="with a `keras.layers.Layer` instance"):
        layers.Bidirectional("lstm")


def test_bidirectional_check_layer():
    check_layer(layers.Bidirectional, {"layer": layers.SimpleRNN(2), "merge_mode": "sum"},
                input_shape=(2, 4, 3), expected_output_shape=(2, 2),
                expected_num_trainable_weights=6, run_training_check=False)


def test_bidirectional_in_a_model_saves_and_loads_weights(tmp_path):
    model = keras.Sequential([keras.Input((4, 3)),
                              layers.Bidirectional(layers.LSTM(2, return_sequences=True)),
                              layers.Bidirectional(layers.GRU(2), merge_mode="ave")])
    path = str(tmp_path / "bi.weights.h5")
    model.save_weights(path)
    twin = keras.Sequential([keras.Input((4, 3)),
                             layers.Bidirectional(layers.LSTM(2, return_sequences=True)),
                             layers.Bidirectional(layers.GRU(2), merge_mode="ave")])
    twin.load_weights(path)
    np.testing.assert_allclose(twin(X).numpy(), model(X).numpy(), rtol=1e-6)


def test_time_distributed_applies_the_layer_to_each_step():
    dense = layers.Dense(5)
    layer = layers.TimeDistributed(dense)
    output = layer(X)
    assert output.shape == (2, 4, 5)
    for t in range(4):
        np.testing.assert_allclose(output.numpy()[:, t], dense(X[:, t]).numpy(), rtol=1e-6)
    assert layer.weights == dense.weights


def test_time_distributed_check_layer():
    check_layer(layers.TimeDistributed, {"layer": layers.Dense(2)}, input_shape=(2, 4, 3),
                expected_output_shape=(2, 4, 2), expected_num_trainable_weights=2)


def test_time_distributed_keeps_the_mask():
    x = tf.constant(np.ones((2, 3, 2), "float32"))
    x._keras_mask = tf.constant([[True, False, True], [True, True, False]])
    output = layers.TimeDistributed(layers.Dense(1))(x)
    assert output._keras_mask is x._keras_mask


def test_time_distributed_symbolic_shape():
    inputs = keras.Input((None, 3))
    assert layers.TimeDistributed(layers.Dense(4))(inputs).shape == (None, None, 4)


def test_time_distributed_errors():
    with pytest.raises(ValueError, match="with a `keras.layers.Layer` instance"):
        layers.TimeDistributed(lambda x: x)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(tf.ones((2, 3)))


def test_bidirectional_weights_argument():
    source = layers.Bidirectional(layers.SimpleRNN(2))
    source.build((2, 4, 3))
    values = [np.full(w.shape, i, "float32") for i, w in enumerate(source.weights)]
    layer = layers.Bidirectional(layers.SimpleRNN(2), weights=values)
    layer.build((2, 4, 3))
    for weight, value in zip(layer.weights, values):
        np.testing.assert_array_equal(weight.numpy(), value)
