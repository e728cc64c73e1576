"""The RNN layer and the built-in cells: check_layer, states, stateful use, dropout,
custom cells, errors and finite-difference gradients (values against Keras are in
test_rnn_keras_values.py)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer


@pytest.mark.parametrize("layer_cls, kwargs, output_shape, weights", [
    (layers.SimpleRNN, {"units": 3}, (2, 3), 3),
    (layers.LSTM, {"units": 3, "return_sequences": True}, (2, 4, 3), 3),
    (layers.GRU, {"units": 3, "go_backwards": True}, (2, 3), 3),
    (layers.GRU, {"units": 3, "reset_after": False, "use_bias": False}, (2, 3), 2),
])
def test_check_layer(layer_cls, kwargs, output_shape, weights):
    # check_layer's own training step sums squared gradient norms with tf.add_n, which
    # fails on three or more scalars (an ops bug, reported); the step is checked below.
    layer = check_layer(layer_cls, kwargs, input_shape=(2, 4, 5),
                        expected_output_shape=output_shape,
                        expected_num_trainable_weights=weights, run_training_check=False)
    _check_one_step_lowers_loss(layer, tf.random.normal((2, 4, 5), seed=0))


def _check_one_step_lowers_loss(layer, x):
    target = tf.random.normal(tuple(layer(x).shape), seed=1)

    def loss_value():
        return tf.reduce_mean(tf.square(layer(x) - target))
    with tf.GradientTape() as tape:
        before = loss_value()
    gradients = tape.gradient(before, layer.trainable_weights)
    assert all(g is not None for g in gradients)
    norm = float(np.sqrt(sum(float(tf.reduce_sum(tf.square(g))) for g in gradients)))
    for variable, gradient in zip(layer.trainable_weights, gradients):
        variable.assign_sub(gradient * (1e-3 / norm))
    assert float(loss_value()) < float(before)


@pytest.mark.parametrize("cell, shapes", [
    (layers.SimpleRNNCell(4), [(4, 4)]),
    (layers.LSTMCell(4), [(4, 16), (4, 16)]),
    (layers.GRUCell(4), [(2, 12)]),
])
def test_weight_shapes(cell, shapes):
    cell.build((None, 3))
    assert tuple(cell.kernel.shape) == (3, cell.gate_count * 4)
    assert tuple(cell.recurrent_kernel.shape) == (4, cell.gate_count * 4)
    assert tuple(cell.bias.shape) == {1: (4,), 4: (16,), 3: (2, 12)}[cell.gate_count]


def test_lstm_unit_forget_bias():
    cell = layers.LSTMCell(2, bias_initializer="zeros")
    cell.build((None, 3))
    assert cell.bias.numpy().tolist() == [0, 0, 1, 1, 0, 0, 0, 0]
    cell = layers.LSTMCell(2, unit_forget_bias=False, bias_initializer="ones")
    cell.build((None, 3))
    assert cell.bias.numpy().tolist() == [1.0] * 8


def test_return_state_matches_the_last_output():
    x = tf.random.normal((2, 5, 3), seed=1)
    output, h, c = layers.LSTM(4, return_state=True)(x)
    np.testing.assert_array_equal(output.numpy(), h.numpy())
    sequences, state = layers.GRU(4, return_sequences=True, return_state=True)(x)
    np.testing.assert_array_equal(sequences.numpy()[:, -1], state.numpy())


def test_initial_state_is_used():
    x = tf.ones((2, 3, 2))
    layer = layers.SimpleRNN(2, return_state=True)
    zero_output, _ = layer(x)
    start = tf.constant([[1.0, -1.0], [0.5, 0.5]])
    output, _ = layer(x, initial_state=[start])
    assert not np.allclose(output.numpy(), zero_output.numpy())
    np.testing.assert_allclose(layer(x, initial_state=tf.zeros((2, 2)))[0].numpy(),
                               zero_output.numpy())


def test_go_backwards_reads_the_reversed_sequence():
    x = tf.random.normal((2, 4, 3), seed=2)
    forward = layers.GRU(3, return_sequences=True)
    backward = layers.GRU(3, return_sequences=True, go_backwards=True)
    forward(x)
    backward.build((2, 4, 3))
    backward.set_weights(forward.get_weights())
    np.testing.assert_allclose(backward(x).numpy(), forward(tf.reverse(x, [1])).numpy(),
                               rtol=1e-6)


def test_stateful_carries_states_and_resets():
    x = tf.random.normal((2, 3, 2), seed=3)
    layer = layers.LSTM(3, stateful=True)
    first = layer(x).numpy()
    second = layer(x).numpy()
    assert not np.allclose(first, second)
    assert len(layer.weights) == 3  # the states are not weights
    layer.reset_states()
    np.testing.assert_allclose(layer(x).numpy(), first, rtol=1e-6)


def test_stateful_needs_a_fixed_batch_size():
    inputs = keras.Input((3, 2))
    with pytest.raises(ValueError, match="the batch size must be static"):
        layers.SimpleRNN(2, stateful=True)(inputs)


def test_stateful_rejects_another_batch_size():
    layer = layers.SimpleRNN(2, stateful=True)
    layer(tf.ones((2, 3, 2)))
    with pytest.raises(ValueError, match="Expected batch size: 2"):
        layer(tf.ones((3, 3, 2)), initial_state=[tf.zeros((3, 2))])


@pytest.mark.parametrize("kwargs", [{"dropout": 0.5}, {"recurrent_dropout": 0.5},
                                    {"dropout": 0.3, "recurrent_dropout": 0.3}])
@pytest.mark.parametrize("layer_cls", [layers.SimpleRNN, layers.LSTM, layers.GRU])
def test_dropout_only_in_training(layer_cls, kwargs):
    x = tf.random.normal((8, 5, 4), seed=4)
    layer = layer_cls(6, **kwargs)
    inference = layer(x).numpy()
    np.testing.assert_array_equal(layer(x, training=False).numpy(), inference)
    trained = layer(x, training=True).numpy()
    assert trained.shape == inference.shape and not np.allclose(trained, inference)


def test_unroll_is_accepted():
    x = tf.random.normal((2, 3, 2), seed=5)
    rolled = layers.SimpleRNN(2)
    unrolled = layers.SimpleRNN(2, unroll=True)
    rolled(x)
    unrolled(x)
    unrolled.set_weights(rolled.get_weights())
    np.testing.assert_allclose(unrolled(x).numpy(), rolled(x).numpy())
    assert unrolled.get_config()["unroll"] is True


class MinimalRNNCell(keras.layers.Layer):
    """The custom cell of Keras's RNN documentation."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        prev_output = states[0]
        output = tf.matmul(inputs, self.kernel) + tf.matmul(prev_output, self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_custom_cell():
    cell = MinimalRNNCell(3)
    layer = layers.RNN(cell, return_sequences=True)
    x = tf.random.normal((2, 4, 2), seed=6)
    outputs = layer(x).numpy()
    kernel, recurrent = (w.numpy() for w in layer.weights)
    h = np.zeros((2, 3), np.float32)
    for t in range(4):
        h = x.numpy()[:, t] @ kernel + h @ recurrent
        np.testing.assert_allclose(outputs[:, t], h, rtol=1e-5, atol=1e-6)
    config = layer.get_config()
    twin = layers.RNN.from_config(config, custom_objects={"MinimalRNNCell": MinimalRNNCell})
    assert twin.cell.units == 3


def test_custom_cell_in_a_model_trains():
    model = keras.Sequential([keras.Input((4, 2)), layers.RNN(MinimalRNNCell(3)),
                              layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).standard_normal((16, 4, 2)).astype("float32")
    history = model.fit(x, x[:, -1, :1], epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_list_of_cells_is_stacked():
    layer = layers.RNN([layers.SimpleRNNCell(3), layers.LSTMCell(2)], return_state=True)
    output, [first], (h, c) = layer(tf.ones((2, 4, 5)))  # each cell's list of states
    assert isinstance(layer.cell, layers.StackedRNNCells)
    assert output.shape == (2, 2) and first.shape == (2, 3) and c.shape == (2, 2)
    np.testing.assert_array_equal(output.numpy(), h.numpy())


def test_symbolic_shapes():
    inputs = keras.Input((None, 3))
    outputs = layers.LSTM(4, return_sequences=True, return_state=True)(inputs)
    assert [o.shape for o in outputs] == [(None, None, 4), (None, 4), (None, 4)]
    assert layers.GRU(2).compute_output_shape((None, 7, 3)) == (None, 2)


@pytest.mark.parametrize("build, message", [
    (lambda: layers.LSTM(0), "expected a positive integer"),
    (lambda: layers.RNN(object()), "should have a `call` method"),
    (lambda: layers.SimpleRNN(3, use_cudnn="yes"), "use_cudnn"),
])
def test_invalid_arguments(build, message):
    with pytest.raises(ValueError, match=message):
        build()


# --- gradients by finite differences --------------------------------------------------------

def _cell_function(cell, input_dim):
    """`f(x, states..., kernel, recurrent_kernel, bias)`: one step of `cell` (float64) with
    the given weights, so that the check covers the weights' gradients too."""
    cell.build((None, input_dim))

    def f(x, *rest):
        count = len(rest) - 3
        states, (kernel, recurrent, bias) = list(rest[:count]), rest[count:]
        for name, value in (("kernel", kernel), ("recurrent_kernel", recurrent),
                            ("bias", bias)):
            object.__setattr__(cell, name, value)
        return cell(x, states)
    return f


@pytest.mark.parametrize("cell, states", [
    (layers.SimpleRNNCell(3, dtype="float64"), 1),
    (layers.LSTMCell(3, dtype="float64"), 2),
    (layers.GRUCell(3, dtype="float64"), 1),
    (layers.GRUCell(3, reset_after=False, dtype="float64"), 1),
])
def test_cell_gradients(cell, states, rng):
    f = _cell_function(cell, 2)
    weights = [w.numpy() for w in (cell.kernel, cell.recurrent_kernel, cell.bias)]
    weights[-1] = rng.standard_normal(weights[-1].shape)
    state_values = [rng.standard_normal((2, 3)) for _ in range(states)]
    check_gradients(f, rng.standard_normal((2, 2)), *state_values, *weights, order=2)


@pytest.mark.parametrize("layer", [
    layers.LSTM(2, return_sequences=True, dtype="float64"),
    layers.GRU(2, go_backwards=True, return_state=True, dtype="float64"),
    layers.Bidirectional(layers.SimpleRNN(2, return_sequences=True, dtype="float64"),
                         dtype="float64"),
])
def test_masked_layer_gradients(layer, rng):
    mask = tf.constant([[True, True, False], [True, False, False]])
    layer.build((2, 3, 2))

    def f(x):
        return layer(x, mask=mask)
    check_gradients(f, rng.standard_normal((2, 3, 2)), order=1)


def test_masked_steps_give_no_input_gradient():
    layer = layers.LSTM(3)
    x = tf.random.normal((2, 4, 2), seed=7)
    mask = tf.constant([[True, True, False, False], [True, True, True, False]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        output = layer(x, mask=mask)
    gradient = tape.gradient(output, x).numpy()
    assert np.all(gradient[~mask.numpy()] == 0)
    assert np.all(np.abs(gradient[mask.numpy()]).sum(axis=-1) > 0)


def test_stacked_cells_keep_one_dropout_mask_per_sequence():
    cell = layers.SimpleRNNCell(3, dropout=0.5, use_bias=False,
                                recurrent_initializer="zeros", activation=None)
    layer = layers.RNN([cell], return_sequences=True)
    x = tf.ones((4, 5, 6))
    outputs = layer(x, training=True).numpy()
    # With a zero recurrent kernel and constant inputs, each step's output is the masked
    # input projection: the same at every step when the mask is drawn once per sequence.
    np.testing.assert_allclose(outputs, np.repeat(outputs[:, :1], 5, axis=1), rtol=1e-6)
    assert cell.__dict__.get("_sequence_masks") is None
    again = layer(x, training=True).numpy()
    assert not np.allclose(again, outputs)  # a new sequence draws new masks


def test_recurrent_layers_need_sequences():
    with pytest.raises(ValueError, match="of layer 'lstm' is incompatible with the layer: "
                                         "expected ndim=3, found ndim=2"):
        layers.LSTM(2, name="lstm")(np.ones((2, 3), "float32"))


def test_cell_that_is_not_a_layer():
    class Accumulate:
        state_size = 2

        def call(self, inputs, states):
            total = states[0] + inputs
            return total, [total]
    outputs = layers.RNN(Accumulate(), return_sequences=True)(tf.ones((1, 3, 2)))
    assert outputs.numpy().tolist() == [[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]]
