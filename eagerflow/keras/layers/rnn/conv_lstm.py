"""`ConvLSTM1D/2D/3D`: LSTMs whose input and recurrent transformations are convolutions,
run by the `RNN` loop over `(batch, time, *spatial, channels)` sequences."""

import inspect

import eagerflow as tf
from eagerflow.keras import activations, constraints, initializers, ops, regularizers
from eagerflow.keras.backend import standardize_data_format
from eagerflow.keras.layers.convolutional.arguments import (
    conv_output_length, spatial_shape, standardize_padding, standardize_tuple,
    with_spatial_shape)
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.rnn.cells import _forget_bias_of_one
from eagerflow.keras.layers.rnn.dropout_rnn_cell import set_weight_arguments
from eagerflow.keras.layers.rnn.rnn import RNN
from eagerflow.keras.random import SeedGenerator

_GATES = 4  # input, forget, cell, output: Keras's order in the kernels


class ConvLSTMCell(Layer):
    """One step of a convolutional LSTM: the gates are `conv(inputs, kernel)` (with the
    layer's strides, padding and dilation) plus `conv(h, recurrent_kernel)` ("same",
    stride 1); the states `h` and `c` are images of `filters` channels.

    Dropout masks are drawn once per sequence (one per gate, shaped like one example) and
    applied to the inputs (`dropout`) and to `h` (`recurrent_dropout`) in training.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if rank > 3:
            raise ValueError(f"Rank {rank} convolutions are not currently implemented. "
                             f"Received: rank={rank}")
        self.seed = seed
        self.seed_generator = SeedGenerator(seed=seed)
        self.rank = rank
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"Specifying `strides > 1` is not compatible with "
                             f"`dilation_rate > 1`. Please provide `strides=1` or "
                             f"`dilation_rate=1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.unit_forget_bias = unit_forget_bias
        set_weight_arguments(
            self, kernel_initializer, recurrent_initializer, bias_initializer,
            kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_size = -1  # images: get_initial_state gives their shapes
        object.__setattr__(self, "_sequence_masks", None)

    def build(self, inputs_shape, states_shape=None):
        self.spatial_dims, input_dim = spatial_shape(inputs_shape, self.data_format)
        if None in self.spatial_dims:
            raise ValueError(f"ConvLSTM layers only support static input shapes for the "
                             f"spatial dimension. Received invalid input shape: "
                             f"input_shape={inputs_shape}")
        if input_dim is None:
            raise ValueError(f"The channel dimension of the inputs (last axis) should be "
                             f"defined. Found None. Full input shape received: "
                             f"input_shape={inputs_shape}")
        self.input_spec = InputSpec(ndim=self.rank + 3, shape=(None,) + tuple(inputs_shape[1:]))
        self.input_dim = input_dim
        width = _GATES * self.filters
        self.kernel = self.add_weight(
            shape=self.kernel_size + (input_dim, width), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, width), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = self.add_weight(
            shape=(width,), name="bias", regularizer=self.bias_regularizer,
            initializer=(_forget_bias_of_one(self.bias_initializer, self.filters)
                         if self.unit_forget_bias else self.bias_initializer),
            constraint=self.bias_constraint) if self.use_bias else None

    # --- one step -----------------------------------------------------------------------

    def _gate_masks(self, like, rate):
        """`_GATES` dropout masks shaped like one example of `like` (kept values scaled)."""
        shape = (_GATES, 1) + tuple(like.shape[1:])
        keep = tf.cast(tf.random.stateless_uniform(shape, self.seed_generator.next())
                       >= rate, like.dtype)
        return tf.unstack(keep / (1.0 - rate), axis=0)

    def _convolve(self, x, kernel, masks, strides, padding, dilation_rate):
        """`conv(x, kernel)` for all gates at once, or gate by gate on masked copies."""
        def conv(inputs, weights):
            return ops.conv(inputs, weights, strides=strides, padding=padding,
                            data_format=self.data_format, dilation_rate=dilation_rate)
        if masks is None:
            return conv(x, kernel)
        kernels = tf.split(kernel, _GATES, axis=-1)
        gates = [conv(x * mask, gate_kernel) for mask, gate_kernel in zip(masks, kernels)]
        return tf.concat(gates, axis=-1 if self.data_format == "channels_last" else 1)

    def call(self, inputs, states, training=False):
        h, c = states[0], states[1]
        if self._sequence_masks is not None:
            input_masks, recurrent_masks = self._sequence_masks
        else:
            input_masks, recurrent_masks = self.dropout_masks(inputs, h, training)
        z = self._convolve(inputs, self.kernel, input_masks, self.strides, self.padding,
                           self.dilation_rate)
        if self.use_bias:
            channel_axis = -1 if self.data_format == "channels_last" else 1
            shape = [1] * (self.rank + 2)
            shape[channel_axis] = _GATES * self.filters
            z = z + tf.reshape(self.bias, shape)
        z = z + self._convolve(h, self.recurrent_kernel, recurrent_masks, 1, "same", 1)
        z_i, z_f, z_c, z_o = tf.split(z, _GATES, axis=-1 if self.data_format ==
                                      "channels_last" else 1)
        gate = self.recurrent_activation
        c = gate(z_f) * c + gate(z_i) * self.activation(z_c)
        h = gate(z_o) * self.activation(c)
        return h, [h, c]

    def dropout_masks(self, inputs, h, training):
        """The input and recurrent masks for a sequence (None where that dropout is off)."""
        use = bool(training)
        return ((self._gate_masks(inputs, self.dropout)
                 if use and 0.0 < self.dropout < 1.0 else None),
                (self._gate_masks(h, self.recurrent_dropout)
                 if use and 0.0 < self.recurrent_dropout < 1.0 else None))

    # --- shapes, states and config ------------------------------------------------------

    def compute_output_shape(self, inputs_shape, states_shape=None):
        spatial, _ = spatial_shape(inputs_shape, self.data_format)
        sizes = [conv_output_length(size, k, s, self.padding, d) for size, k, s, d in zip(
            spatial, self.kernel_size, self.strides, self.dilation_rate)]
        shape = with_spatial_shape(inputs_shape, sizes, self.filters, self.data_format)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        inputs_shape = with_spatial_shape((batch_size,), self.spatial_dims, self.input_dim,
                                          self.data_format)
        shape = self.compute_output_shape(inputs_shape)[0]
        return [tf.zeros(shape, self.compute_dtype), tf.zeros(shape, self.compute_dtype)]

    def get_config(self):
        return {**super().get_config(), **_cell_arguments(self, self),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed}


def _cell_arguments(cell, layer):
    """The cell's arguments in Keras's config order (activity_regularizer from `layer`)."""
    config = {"filters": cell.filters, "kernel_size": cell.kernel_size,
              "strides": cell.strides, "padding": cell.padding,
              "data_format": cell.data_format, "dilation_rate": cell.dilation_rate,
              "activation": activations.serialize(cell.activation),
              "recurrent_activation": activations.serialize(cell.recurrent_activation),
              "use_bias": cell.use_bias,
              "kernel_initializer": initializers.serialize(cell.kernel_initializer),
              "recurrent_initializer": initializers.serialize(cell.recurrent_initializer),
              "bias_initializer": initializers.serialize(cell.bias_initializer),
              "unit_forget_bias": cell.unit_forget_bias,
              "kernel_regularizer": regularizers.serialize(cell.kernel_regularizer),
              "recurrent_regularizer": regularizers.serialize(cell.recurrent_regularizer),
              "bias_regularizer": regularizers.serialize(cell.bias_regularizer)}
    if layer is not cell:
        config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    config.update({"kernel_constraint": constraints.serialize(cell.kernel_constraint),
                   "recurrent_constraint": constraints.serialize(cell.recurrent_constraint),
                   "bias_constraint": constraints.serialize(cell.bias_constraint)})
    return config


# The arguments `ConvLSTM` passes on to its cell (the rest go to `RNN`).
_CELL_ARGUMENTS = frozenset(inspect.signature(ConvLSTMCell).parameters) - {"kwargs"}


class ConvLSTM(RNN):
    """The convolutional LSTM layer of any rank; `ConvLSTM1D/2D/3D` fix the rank.

    Takes `ConvLSTMCell`'s arguments and `RNN`'s (return_sequences, return_state,
    go_backwards, stateful).
    """

    def __init__(self, rank, filters, kernel_size, *args, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, **kwargs):
        cell_arguments = {name: kwargs.pop(name) for name in list(kwargs)
                          if name in _CELL_ARGUMENTS}
        cell = ConvLSTMCell(rank, filters, kernel_size, *args, name="conv_lstm_cell",
                            dtype=kwargs.get("dtype"), **cell_arguments)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, **kwargs)
        self.input_spec = InputSpec(ndim=rank + 3)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        # One set of dropout masks for the whole sequence.
        first_state = self.cell.get_initial_state(sequences.shape[0])[0]
        object.__setattr__(self.cell, "_sequence_masks", self.cell.dropout_masks(
            sequences[:, 0], first_state, training))
        try:
            return super().call(sequences, initial_state=initial_state, mask=mask,
                                training=training)
        finally:
            object.__setattr__(self.cell, "_sequence_masks", None)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        state_shape = tuple(self.cell.compute_output_shape(
            (batch,) + tuple(sequences_shape[2:]))[0][1:])
        output_shape = ((batch, steps) + state_shape if self.return_sequences
                        else (batch,) + state_shape)
        if self.return_state:
            return output_shape, (batch,) + state_shape, (batch,) + state_shape
        return output_shape

    def get_config(self):
        return {**self._rnn_config(), **_cell_arguments(self.cell, self),
                "dropout": self.cell.dropout, "recurrent_dropout": self.cell.recurrent_dropout,
                "seed": self.cell.seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _conv_lstm_property(name):
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


for _name in ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
              "activation", "recurrent_activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "unit_forget_bias",
              "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
              "recurrent_dropout"):
    setattr(ConvLSTM, _name, _conv_lstm_property(_name))


class ConvLSTM1D(ConvLSTM):
    """1D convolutional LSTM over `(batch, time, steps, channels)` sequences.

    >>> from eagerflow import keras
    >>> keras.layers.ConvLSTM1D(2, 3)(tf.ones((2, 4, 6, 3))).shape.as_list()
    [2, 4, 2]
    """

    def __init__(self, filters, kernel_size, *args, **kwargs):
        super().__init__(1, filters, kernel_size, *args, **kwargs)


class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM over `(batch, time, rows, cols, channels)` sequences.

    >>> from eagerflow import keras
    >>> layer = keras.layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True)
    >>> layer(tf.ones((2, 4, 5, 5, 3))).shape.as_list()
    [2, 4, 5, 5, 2]
    """

    def __init__(self, filters, kernel_size, *args, **kwargs):
        super().__init__(2, filters, kernel_size, *args, **kwargs)


class ConvLSTM3D(ConvLSTM):
    """3D convolutional LSTM over `(batch, time, depth, rows, cols, channels)` sequences."""

    def __init__(self, filters, kernel_size, *args, **kwargs):
        super().__init__(3, filters, kernel_size, *args, **kwargs)
