"""Recurrent layers: the `RNN` loop, the built-in cells and layers, and the wrappers."""

from eagerflow.keras.layers.rnn.bidirectional import Bidirectional  # noqa: F401
from eagerflow.keras.layers.rnn.cells import GRUCell, LSTMCell, SimpleRNNCell  # noqa: F401
from eagerflow.keras.layers.rnn.recurrent_layers import GRU, LSTM, SimpleRNN  # noqa: F401
from eagerflow.keras.layers.rnn.rnn import RNN  # noqa: F401
from eagerflow.keras.layers.rnn.stacked_rnn_cells import StackedRNNCells  # noqa: F401
from eagerflow.keras.layers.rnn.time_distributed import TimeDistributed  # noqa: F401
from eagerflow.keras.layers.rnn.conv_lstm import (  # noqa: F401
    ConvLSTM1D, ConvLSTM2D, ConvLSTM3D)
