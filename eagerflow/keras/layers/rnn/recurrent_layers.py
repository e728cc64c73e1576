"""`SimpleRNN`, `LSTM` and `GRU`: the RNN layer around its built-in cell, configured (and
serialized) by the cell's arguments."""

from eagerflow.keras import regularizers
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.rnn.cells import GRUCell, LSTMCell, SimpleRNNCell
from eagerflow.keras.layers.rnn.rnn import RNN

_BASE_KEYS = ("name", "trainable", "dtype")
_RNN_ARGUMENTS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll")


class _CellRNN(RNN):
    """An RNN layer that makes its own cell (`cell_class`) from its arguments."""

    cell_class = None
    cell_name = None

    def __init__(self, units, activity_regularizer=None, use_cudnn="auto", **kwargs):
        rnn_kwargs = {key: kwargs.pop(key) for key in _RNN_ARGUMENTS + (
            "zero_output_for_mask", "name", "input_shape", "input_dim", "batch_input_shape",
            "batch_size", "autocast") if key in kwargs}
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"Invalid valid received for argument `use_cudnn`. Expected "
                             f"one of {{'auto', True, False}}. Received: use_cudnn={use_cudnn}")
        cell = self.cell_class(units, dtype=kwargs.pop("dtype", None),
                               trainable=kwargs.pop("trainable", True), name=self.cell_name,
                               **kwargs)
        super().__init__(cell, activity_regularizer=activity_regularizer,
                         dtype=cell.dtype, trainable=cell.trainable, **rnn_kwargs)
        self.use_cudnn = use_cudnn
        self.input_spec = InputSpec(ndim=3)

    def get_config(self):
        cell_config = {key: value for key, value in self.cell.get_config().items()
                       if key not in _BASE_KEYS}
        return {**self._rnn_config(), **cell_config,
                "activity_regularizer": regularizers.serialize(self.activity_regularizer)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _cell_property(name):
    return property(lambda self: getattr(self.cell, name),
                    doc=f"The cell's `{name}`.")


for _name in ("units", "activation", "recurrent_activation", "use_bias", "unit_forget_bias",
              "kernel_initializer", "recurrent_initializer", "bias_initializer",
              "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
              "recurrent_dropout", "reset_after"):
    setattr(_CellRNN, _name, _cell_property(_name))


class SimpleRNN(_CellRNN):
    """Fully-connected RNN where the output is fed back as the next input.

    >>> from eagerflow import keras
    >>> keras.layers.SimpleRNN(4)(tf.ones((2, 5, 3))).shape.as_list()
    [2, 4]

    Takes `SimpleRNNCell`'s arguments (units, activation="tanh", use_bias, initializers,
    regularizers, constraints, dropout, recurrent_dropout, seed) and `RNN`'s
    (return_sequences, return_state, go_backwards, stateful, unroll).
    """

    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"

    def get_config(self):
        config = super().get_config()
        del config["seed"]  # Keras 3.15 leaves it out of SimpleRNN's config
        return config


class LSTM(_CellRNN):
    """Long Short-Term Memory layer (Hochreiter, 1997).

    >>> from eagerflow import keras
    >>> output, h, c = keras.layers.LSTM(4, return_state=True)(tf.ones((2, 5, 3)))
    >>> output.shape.as_list(), c.shape.as_list()
    ([2, 4], [2, 4])

    Takes `LSTMCell`'s arguments (units, activation="tanh",
    recurrent_activation="sigmoid", unit_forget_bias=True, …) and `RNN`'s
    (return_sequences, return_state, go_backwards, stateful, unroll). `use_cudnn` is
    accepted and ignored (there is no GPU).
    """

    cell_class = LSTMCell
    cell_name = "lstm_cell"


class GRU(_CellRNN):
    """Gated Recurrent Unit (Cho et al., 2014); `reset_after=True` (the default) is the
    variant whose weights match cuDNN's.

    >>> from eagerflow import keras
    >>> keras.layers.GRU(4, return_sequences=True)(tf.ones((2, 5, 3))).shape.as_list()
    [2, 5, 4]

    Takes `GRUCell`'s arguments (units, activation="tanh",
    recurrent_activation="sigmoid", reset_after=True, …) and `RNN`'s.
    """

    cell_class = GRUCell
    cell_name = "gru_cell"


