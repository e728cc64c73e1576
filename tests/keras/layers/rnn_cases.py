"""The recurrent-layer cases recorded from Keras 3.15 (by
tests/keras/fixtures/layers/record_rnn.py) and replayed by test_rnn_keras_values.py.

`build_layer(layers, case)` works on both `keras.layers` and `eagerflow.keras.layers`.
Each case: a layer spec, the input shape, and the valid length of each sequence when the
call gets a mask (the steps after it are padding).
"""

CASES = {
    "simple_rnn_sequences_state": {"layer": ("SimpleRNN", {"units": 3, "return_sequences": True,
                                                            "return_state": True})},
    "simple_rnn_backwards_masked": {"layer": ("SimpleRNN", {"units": 3, "go_backwards": True,
                                                             "return_sequences": True}),
                                    "lengths": [4, 2, 1]},
    "lstm_sequences_state": {"layer": ("LSTM", {"units": 3, "return_sequences": True,
                                                "return_state": True})},
    "lstm_masked": {"layer": ("LSTM", {"units": 3, "return_sequences": True,
                                       "return_state": True}), "lengths": [4, 2, 3]},
    "lstm_backwards_masked": {"layer": ("LSTM", {"units": 3, "go_backwards": True}),
                              "lengths": [3, 4, 1]},
    "gru_sequences_state": {"layer": ("GRU", {"units": 3, "return_sequences": True,
                                              "return_state": True})},
    "gru_reset_before": {"layer": ("GRU", {"units": 3, "reset_after": False,
                                           "return_sequences": True})},
    "gru_backwards_masked": {"layer": ("GRU", {"units": 3, "go_backwards": True,
                                               "return_sequences": True,
                                               "return_state": True}),
                             "lengths": [2, 4, 3]},
    "gru_zero_output_for_mask": {"layer": ("GRU", {"units": 2, "return_sequences": True,
                                                   "zero_output_for_mask": True}),
                                 "lengths": [2, 4, 3]},
    "stacked_cells": {"layer": ("RNN", {"cell": [("LSTMCell", {"units": 3}),
                                                 ("GRUCell", {"units": 2})],
                                        "return_sequences": True, "return_state": True})},
    "bidirectional_concat_masked": {"layer": ("Bidirectional", {
        "layer": ("LSTM", {"units": 2, "return_sequences": True})}), "lengths": [4, 1, 3]},
    "bidirectional_sum": {"layer": ("Bidirectional", {
        "layer": ("GRU", {"units": 2}), "merge_mode": "sum"})},
    "bidirectional_ave_state": {"layer": ("Bidirectional", {
        "layer": ("SimpleRNN", {"units": 2, "return_state": True}), "merge_mode": "ave"})},
    "bidirectional_mul": {"layer": ("Bidirectional", {
        "layer": ("LSTM", {"units": 2, "return_sequences": True}), "merge_mode": "mul"})},
    "bidirectional_none": {"layer": ("Bidirectional", {
        "layer": ("GRU", {"units": 2, "return_sequences": True}), "merge_mode": None})},
    "bidirectional_backward_layer": {"layer": ("Bidirectional", {
        "layer": ("LSTM", {"units": 2}),
        "backward_layer": ("GRU", {"units": 3, "go_backwards": True})})},
    "time_distributed_dense": {"layer": ("TimeDistributed", {
        "layer": ("Dense", {"units": 2, "activation": "tanh"})})},
}
INPUT_SHAPE = (3, 4, 2)

# Layers whose config and weight paths are recorded (names fixed so they compare).
CONFIG_CASES = {
    "simple_rnn": ("SimpleRNN", {"units": 3, "name": "srnn", "dropout": 0.25}),
    "lstm": ("LSTM", {"units": 3, "name": "lstm", "return_sequences": True,
                      "unit_forget_bias": False, "recurrent_dropout": 0.1, "seed": 3}),
    "gru": ("GRU", {"units": 3, "name": "gru", "reset_after": False,
                    "activation": "relu", "go_backwards": True}),
    "lstm_cell": ("LSTMCell", {"units": 3, "name": "cell"}),
    "gru_cell": ("GRUCell", {"units": 3, "name": "cell"}),
    "simple_rnn_cell": ("SimpleRNNCell", {"units": 3, "name": "cell"}),
    "embedding": ("Embedding", {"input_dim": 10, "output_dim": 4, "mask_zero": True,
                                "name": "emb"}),
    "masking": ("Masking", {"mask_value": -1.0, "name": "masking"}),
    "bidirectional": ("Bidirectional", {"layer": ("LSTM", {"units": 3, "name": "lstm"}),
                                        "name": "bi", "merge_mode": "sum"}),
    "time_distributed": ("TimeDistributed", {"layer": ("Dense", {"units": 3, "name": "d"}),
                                             "name": "td"}),
    "stacked": ("RNN", {"cell": [("LSTMCell", {"units": 3, "name": "c1"}),
                                 ("GRUCell", {"units": 2, "name": "c2"})], "name": "rnn",
                        "stateful": True}),
}


def build_layer(layers, spec):
    """The layer a spec `(class name, kwargs)` describes; nested specs become layers."""
    name, kwargs = spec
    kwargs = dict(kwargs)
    for key in ("layer", "backward_layer"):
        if key in kwargs:
            kwargs[key] = build_layer(layers, kwargs[key])
    if "cell" in kwargs:
        kwargs["cell"] = [build_layer(layers, cell) for cell in kwargs["cell"]]
    return getattr(layers, name)(**kwargs)


def step_mask(lengths, steps):
    """The (batch, steps) boolean mask that keeps the first `length` steps of each row."""
    import numpy as np
    return np.arange(steps)[None, :] < np.asarray(lengths)[:, None]


MASKED_MODEL_IDS = [[1, 2, 3, 0, 0], [4, 5, 6, 6, 1]]


def build_masked_model(keras):
    """A functional model whose masks flow from Embedding and Masking through the
    recurrent layers and wrappers (`keras` is Keras or eagerflow.keras)."""
    layers = keras.layers
    inputs = keras.Input((5,), dtype="int32")
    x = layers.Embedding(7, 3, mask_zero=True)(inputs)
    x = layers.Bidirectional(layers.LSTM(2, return_sequences=True))(x)
    x = layers.GRU(3, return_sequences=True)(x)
    x = layers.TimeDistributed(layers.Dense(2))(x)
    x = layers.Masking(mask_value=0.25)(x)
    outputs = layers.RNN([layers.SimpleRNNCell(2), layers.LSTMCell(2)])(x)
    return keras.Model(inputs, outputs)
