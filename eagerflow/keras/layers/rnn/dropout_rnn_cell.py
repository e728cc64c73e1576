"""`DropoutRNNCell`: what the built-in recurrent cells share — their constructor arguments
(initializers, regularizers, constraints, dropout), their weights and their dropout masks.

A built-in cell splits its step in two, so that the RNN layer can run the input half on
all time steps at once: `project_inputs(sequences, training)` is one matrix product over
the whole sequence, and `recurrent_step(projected, states)` is the per-step rest. `call`
(one step, as custom cells write it) is the two halves together.
"""

import eagerflow as tf
from eagerflow.keras import activations, constraints, initializers, regularizers
from eagerflow.keras.layers.layer import Layer


class DropoutRNNCell(Layer):
    """The base of SimpleRNNCell, LSTMCell and GRUCell; a subclass sets `gate_count`."""

    gate_count = 1

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Received an invalid value for argument `units`, expected a "
                             f"positive integer, got {units}.")
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        set_weight_arguments(
            self, kernel_initializer, recurrent_initializer, bias_initializer,
            kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint)
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    @property
    def mask_count(self):
        """How many dropout masks each input gets: one per gate when recurrent dropout is
        on (Keras's implementation 1), else one shared mask."""
        return self.gate_count if self.recurrent_dropout else 1

    # --- weights ------------------------------------------------------------------------

    def _add_cell_weights(self, input_dim, bias_shape, bias_initializer=None):
        width = self.gate_count * self.units
        self.kernel = self.add_weight(
            shape=(input_dim, width), name="kernel", initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = (self.add_weight(
            shape=bias_shape, name="bias", initializer=bias_initializer or self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint)
            if self.use_bias else None)

    # --- dropout masks ------------------------------------------------------------------

    def dropout_masks(self, inputs, recurrent_like, training):
        """The input and recurrent dropout masks of one sequence (None when off): lists
        of `mask_count` masks shaped like one step of the inputs and of the state."""
        if not training:
            return None, None
        return (self._masks(inputs, self.dropout),
                self._masks(recurrent_like, self.recurrent_dropout))

    def _step_dropout_masks(self, inputs, state, training):
        """The masks of one step: while an RNN runs this cell over a sequence (inside
        `StackedRNNCells`, say) they are drawn at the first step and kept to the last."""
        masks = self.__dict__.get("_sequence_masks")
        if masks is None:
            masks = self.dropout_masks(inputs, state, training)
            if self.__dict__.get("_in_sequence"):
                object.__setattr__(self, "_sequence_masks", masks)
        return masks

    def _masks(self, like, rate):
        if not 0.0 < rate < 1.0:
            return None
        ones = tf.ones_like(like)
        return [tf.nn.dropout(ones, rate=rate, seed=self.seed)
                for _ in range(self.mask_count)]

    # --- the two halves of a step -------------------------------------------------------

    def input_bias(self):
        """The bias added to the input projection."""
        return self.bias

    def project_inputs(self, inputs, masks=None):
        """`inputs @ kernel + bias` for inputs of any rank (all time steps at once); with
        one dropout mask per gate, each gate's columns see their own masked inputs."""
        if inputs.dtype != self.kernel.dtype:
            inputs = tf.cast(inputs, self.kernel.dtype)
        if masks is None or len(masks) == 1:
            if masks is not None:
                inputs = inputs * _along_time(masks[0], inputs)
            projected = _matmul_last_axis(inputs, self.kernel)
        else:
            kernels = tf.split(self.kernel, self.gate_count, axis=1)
            projected = tf.concat(
                [_matmul_last_axis(inputs * _along_time(mask, inputs), kernel)
                 for mask, kernel in zip(masks, kernels)], axis=-1)
        bias = self.input_bias()
        return projected if bias is None else projected + bias

    def recurrent_step(self, projected, states, recurrent_masks=None):
        """One step from the projected inputs: `(output, new_states)`."""
        raise NotImplementedError

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        states = list(states) if nested else [states]
        masks, recurrent_masks = self._step_dropout_masks(inputs, states[0], training)
        output, new_states = self.recurrent_step(self.project_inputs(inputs, masks), states,
                                                 recurrent_masks)
        return output, (new_states if nested or len(new_states) > 1 else new_states[0])

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) \
            else [self.state_size]
        return [tf.zeros((batch_size, size), self.compute_dtype) for size in sizes]

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed}


def set_weight_arguments(cell, kernel_initializer, recurrent_initializer, bias_initializer,
                         kernel_regularizer, recurrent_regularizer, bias_regularizer,
                         kernel_constraint, recurrent_constraint, bias_constraint):
    """Stores the initializers, regularizers and constraints of a recurrent cell's kernel,
    recurrent kernel and bias, each resolved by its module's `get`."""
    cell.kernel_initializer = initializers.get(kernel_initializer)
    cell.recurrent_initializer = initializers.get(recurrent_initializer)
    cell.bias_initializer = initializers.get(bias_initializer)
    cell.kernel_regularizer = regularizers.get(kernel_regularizer)
    cell.recurrent_regularizer = regularizers.get(recurrent_regularizer)
    cell.bias_regularizer = regularizers.get(bias_regularizer)
    cell.kernel_constraint = constraints.get(kernel_constraint)
    cell.recurrent_constraint = constraints.get(recurrent_constraint)
    cell.bias_constraint = constraints.get(bias_constraint)


def _along_time(mask, inputs):
    """A step mask (batch, features) broadcast over the time axis of a sequence."""
    if inputs.ndim == 3:
        return tf.expand_dims(mask, 1)
    return mask


def _matmul_last_axis(inputs, kernel):
    if inputs.ndim == 2:
        return tf.matmul(inputs, kernel)
    leading = tuple(inputs.shape)[:-1]
    flat = tf.reshape(inputs, (-1, inputs.shape[-1]))
    return tf.reshape(tf.matmul(flat, kernel), leading + (kernel.shape[-1],))


def recurrent_inputs(state, masks, index):
    """The state as gate `index` sees it under recurrent dropout."""
    if masks is None:
        return state
    return state * masks[index if len(masks) > 1 else 0]
