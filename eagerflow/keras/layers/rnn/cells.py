"""The built-in recurrent cells: `SimpleRNNCell`, `LSTMCell`, `GRUCell` (one time step
each; the RNN layers run them over sequences)."""

import eagerflow as tf
from eagerflow.keras import activations
from eagerflow.keras.layers.rnn.dropout_rnn_cell import DropoutRNNCell, recurrent_inputs


def _recurrent_product(state, recurrent_kernel, masks, gate_count):
    """`state @ recurrent_kernel`; under recurrent dropout each gate's columns see the
    state through their own mask."""
    if masks is None:
        return tf.matmul(state, recurrent_kernel)
    kernels = tf.split(recurrent_kernel, gate_count, axis=1)
    return tf.concat([tf.matmul(recurrent_inputs(state, masks, g), kernel)
                      for g, kernel in enumerate(kernels)], axis=-1)


def _forget_bias_of_one(initializer, units):
    """An LSTM bias initializer: `initializer` for the i, c and o gates, ones for f."""
    def initialize(shape, dtype=None):
        return tf.concat([initializer((units,), dtype=dtype), tf.ones((units,), dtype),
                          initializer((2 * units,), dtype=dtype)], axis=0)
    return initialize


class SimpleRNNCell(DropoutRNNCell):
    """The cell of `SimpleRNN`: `output = activation(inputs @ kernel + bias +
    state @ recurrent_kernel)`, and the output is the new state.

    >>> from eagerflow import keras
    >>> cell = keras.layers.SimpleRNNCell(4)
    >>> output, state = cell(tf.ones((2, 3)), [tf.zeros((2, 4))])
    >>> output.shape.as_list()
    [2, 4]
    """

    def build(self, input_shape):
        self._add_cell_weights(input_shape[-1], (self.units,))

    def recurrent_step(self, projected, states, recurrent_masks=None):
        output = projected + _recurrent_product(states[0], self.recurrent_kernel,
                                                recurrent_masks, 1)
        if self.activation is not None:
            output = self.activation(output)
        return output, [output]


class LSTMCell(DropoutRNNCell):
    """The cell of `LSTM`. The kernels hold the gates side by side in Keras's order:
    input, forget, cell candidate, output (`i, f, c, o`). The states are `[h, c]`.

    >>> from eagerflow import keras
    >>> cell = keras.layers.LSTMCell(4)
    >>> h, (h, c) = cell(tf.ones((2, 3)), [tf.zeros((2, 4)), tf.zeros((2, 4))])
    >>> c.shape.as_list()
    [2, 4]

    Args:
      unit_forget_bias: start the forget gate's bias at 1 (as Jozefowicz et al. advise).
    """

    gate_count = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias

    @property
    def state_size(self):
        return [self.units, self.units]

    def build(self, input_shape):
        initializer = (_forget_bias_of_one(self.bias_initializer, self.units)
                       if self.unit_forget_bias else None)
        self._add_cell_weights(input_shape[-1], (4 * self.units,), initializer)

    def recurrent_step(self, projected, states, recurrent_masks=None):
        h, c = states[0], states[1]
        z = projected + _recurrent_product(h, self.recurrent_kernel, recurrent_masks, 4)
        z_i, z_f, z_c, z_o = tf.split(z, 4, axis=-1)
        gate = self.recurrent_activation
        c = gate(z_f) * c + gate(z_i) * self.activation(z_c)
        h = gate(z_o) * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


class GRUCell(DropoutRNNCell):
    """The cell of `GRU`. The kernels hold the gates in Keras's order: update, reset,
    candidate (`z, r, h`). With `reset_after=True` (the default, cuDNN's variant) the
    reset gate multiplies the recurrent product, and the bias has shape `(2, 3 * units)`:
    an input bias and a recurrent bias.

    >>> from eagerflow import keras
    >>> cell = keras.layers.GRUCell(4)
    >>> output, state = cell(tf.ones((2, 3)), [tf.zeros((2, 4))])
    >>> output.shape.as_list()
    [2, 4]
    """

    gate_count = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, reset_after=True, seed=None, **kwargs):
        super().__init__(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after

    def build(self, input_shape):
        bias_shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        self._add_cell_weights(input_shape[-1], bias_shape)

    def input_bias(self):
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    def recurrent_step(self, projected, states, recurrent_masks=None):
        h = states[0]
        units = self.units
        x_z, x_r, x_h = tf.split(projected, 3, axis=-1)
        gate = self.recurrent_activation
        if self.reset_after:
            inner = _recurrent_product(h, self.recurrent_kernel, recurrent_masks, 3)
            if self.bias is not None:
                inner = inner + self.bias[1]
            r_z, r_r, r_h = tf.split(inner, 3, axis=-1)
            z = gate(x_z + r_z)
            r = gate(x_r + r_r)
            candidate = self.activation(x_h + r * r_h)
        else:
            kernel_zr = self.recurrent_kernel[:, :2 * units]
            kernel_h = self.recurrent_kernel[:, 2 * units:]
            if recurrent_masks is None:
                r_z, r_r = tf.split(tf.matmul(h, kernel_zr), 2, axis=-1)
                h_h = h
            else:
                r_z = tf.matmul(recurrent_inputs(h, recurrent_masks, 0), kernel_zr[:, :units])
                r_r = tf.matmul(recurrent_inputs(h, recurrent_masks, 1), kernel_zr[:, units:])
                h_h = recurrent_inputs(h, recurrent_masks, 2)
            z = gate(x_z + r_z)
            r = gate(x_r + r_r)
            candidate = self.activation(x_h + tf.matmul(r * h_h, kernel_h))
        h = z * h + (1.0 - z) * candidate
        return h, [h]

    def get_config(self):
        config = super().get_config()
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["reset_after"] = self.reset_after
        return config

