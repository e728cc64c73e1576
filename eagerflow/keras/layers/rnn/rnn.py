"""`RNN`: runs a recurrent cell over the time axis of `(batch, time, features)` inputs.

The time loop is Python; each step is a few large matrix products over the whole batch.
A built-in cell's input projection runs once, for all time steps, before the loop.
"""

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.rnn.dropout_rnn_cell import DropoutRNNCell


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


class RNN(Layer):
    """Base class for recurrent layers: `cell` (one time step) run over a sequence.

    A cell is a layer (or object) with `call(inputs, states) -> (output, new_states)` and
    a `state_size` (an int, or a list of ints, one per state); optionally `output_size`
    and `get_initial_state(batch_size)`. A list of cells is stacked (`StackedRNNCells`).

    >>> from eagerflow import keras
    >>> layer = keras.layers.RNN(keras.layers.SimpleRNNCell(4), return_sequences=True)
    >>> layer(tf.ones((2, 5, 3))).shape.as_list()
    [2, 5, 4]

    Args:
      cell: the cell, or a list of cells.
      return_sequences: return the output of every step (else the last one).
      return_state: also return the final states (as more outputs).
      go_backwards: process the sequence from its end (outputs come in that order).
      stateful: keep the final states of each batch as the initial states of the next
        (batch size must be fixed); `reset_states()` sets them to zero.
      unroll: accepted for compatibility; the loop is always a Python loop.
      zero_output_for_mask: masked steps output zeros (else the previous output).
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            from eagerflow.keras.layers.rnn.stacked_rnn_cells import StackedRNNCells
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: "
                             f"cell={cell}")
        super().__init__(**kwargs)
        state_size = getattr(cell, "state_size", None)
        if state_size is None:
            raise ValueError("state_size must be specified as property on the RNN cell.")
        if not isinstance(state_size, (list, tuple, int)):
            raise ValueError("state_size must be an integer, or a list/tuple of integers "
                             "(one for each state tensor).")
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)
        object.__setattr__(self, "states", None)  # stateful states: not weights

    # --- shapes and masks ---------------------------------------------------------------

    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return _as_list(self.state_size[0])[0] if size is None else size

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, length = sequences_shape[0], sequences_shape[1]
        output_shape = ((batch, length, self._output_size()) if self.return_sequences
                        else (batch, self._output_size()))
        if not self.return_state:
            return output_shape
        states = [(batch, size) if isinstance(size, int) else [(batch, s) for s in size]
                  for size in self.state_size]
        return (output_shape, *states)

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        from eagerflow.keras.symbolic import KerasTensor
        shapes = self.compute_output_shape(tuple(sequences.shape))
        dtype = self.compute_dtype
        if not self.return_state:
            return KerasTensor(shapes, dtype)
        return [KerasTensor(shapes[0], dtype)] + [
            KerasTensor(s, dtype) if isinstance(s, tuple) else [KerasTensor(t, dtype) for t in s]
            for s in shapes[1:]]

    def compute_mask(self, inputs, mask):
        mask = tf.nest.flatten(mask)[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    # --- building and states ------------------------------------------------------------

    def build(self, sequences_shape, initial_state_shape=None):
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build((sequences_shape[0],) + tuple(sequences_shape[2:]))
            self.cell.built = True
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(f"When using `stateful=True` in a RNN, the batch size "
                                     f"must be static. Found dynamic batch size: "
                                     f"sequence.shape={tuple(sequences_shape)}")
                object.__setattr__(self, "states", [
                    tf.Variable(state, trainable=False, name="rnn_state")
                    for state in tf.nest.flatten(self.get_initial_state(sequences_shape[0]))])

    def get_initial_state(self, batch_size):
        """The zero states (or the cell's own `get_initial_state`) for `batch_size`."""
        initial = getattr(self.cell, "get_initial_state", None)
        if initial is not None:
            return _as_list(initial(batch_size=batch_size))
        return [tf.zeros((batch_size, size), self._cell_dtype()) for size in self.state_size]

    def _cell_dtype(self):
        return getattr(self.cell, "compute_dtype", self.compute_dtype)

    def reset_state(self):
        """Sets the states of a stateful RNN to zero."""
        for state in self.states or []:
            state.assign(tf.zeros_like(state))

    reset_states = reset_state

    # --- the loop -----------------------------------------------------------------------

    def call(self, sequences, initial_state=None, mask=None, training=False):
        batch = sequences.shape[0]
        if initial_state is None:
            if self.stateful:
                initial_state = tf.nest.pack_sequence_as(
                    self.get_initial_state(batch), [s.value() for s in self.states])
            else:
                initial_state = self.get_initial_state(batch)
        elif self.stateful and self.states and batch != self.states[0].shape[0]:
            raise ValueError(f"If an RNN is stateful, the batch size of the input sequences "
                             f"must be the same as the batch size of the initial state. \n"
                             f"- Expected batch size: {self.states[0].shape[0]}\n"
                             f"- Received batch size: {batch}")
        dtype = self._cell_dtype()
        states = tf.nest.map_structure(lambda s: tf.cast(s, dtype),
                                       _as_list(initial_state))
        inner_cells = [layer for layer in self.cell._flatten_layers()
                       if isinstance(layer, DropoutRNNCell)] \
            if isinstance(self.cell, Layer) else []
        for cell in inner_cells:  # one set of dropout masks per sequence
            object.__setattr__(cell, "_in_sequence", True)
        try:
            last_output, outputs, states = self._loop(sequences, states, mask, training)
        finally:
            for cell in inner_cells:
                object.__setattr__(cell, "_in_sequence", False)
                object.__setattr__(cell, "_sequence_masks", None)
        if self.stateful:
            for variable, state in zip(self.states, tf.nest.flatten(states)):
                variable.assign(state)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output] + list(states)
        return output

    def _loop(self, sequences, states, mask, training):
        """`(last output, all outputs (batch, time, units) or None, final states)`."""
        cell = self.cell
        if isinstance(cell, DropoutRNNCell):
            masks = recurrent_masks = None
            if training:
                masks, recurrent_masks = cell.dropout_masks(sequences[:, 0], states[0],
                                                            training)
            steps = tf.unstack(cell.project_inputs(sequences, masks), axis=1)

            def step(inputs, states):
                return cell.recurrent_step(inputs, states, recurrent_masks)
        else:
            steps = tf.unstack(sequences, axis=1)
            kwargs = {}
            if isinstance(cell, Layer) and cell._call_has_training_arg:
                kwargs["training"] = training

            call = cell if callable(cell) else cell.call

            def step(inputs, states):
                output, new_states = call(inputs, states, **kwargs)
                return output, _as_list(new_states)
        step_masks = None
        if mask is not None:
            mask = tf.nest.flatten(mask)[0]
            step_masks = tf.unstack(tf.expand_dims(tf.cast(mask, tf.bool), -1), axis=1)
        if self.go_backwards:
            steps = steps[::-1]
            step_masks = step_masks[::-1] if step_masks is not None else None
        outputs, previous = [], None
        for t, inputs in enumerate(steps):
            output, new_states = step(inputs, states)
            if step_masks is not None:
                keep = step_masks[t]
                if previous is None:
                    previous = tf.zeros_like(output)
                new_states = tf.nest.map_structure(lambda new, old: tf.where(keep, new, old),
                                                   new_states, states)
                if self.zero_output_for_mask:
                    output = tf.where(keep, output, tf.zeros_like(output))
                else:
                    output = tf.where(keep, output, previous)
                previous = output
            states = new_states
            if self.return_sequences:
                outputs.append(output)
        stacked = tf.stack(outputs, axis=1) if self.return_sequences else None
        return output, stacked, states

    # --- config -------------------------------------------------------------------------

    def _rnn_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards,
                "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask}

    def get_config(self):
        from eagerflow.keras.layers import serialize
        return {**self._rnn_config(), "cell": serialize(self.cell)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from eagerflow.keras.layers import deserialize
        config = dict(config)
        config["cell"] = deserialize(config["cell"], custom_objects=custom_objects)
        return cls(**config)
