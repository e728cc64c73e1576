"""`model.summary()` against the tables Keras 3.15 prints for the same models.

Each expected table below was recorded from Keras 3.15 (`tf.keras` in TF 2.21) with an
80-column terminal, building the same model after `keras.backend.clear_session()`.
"""

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras import layers
from eagerflow.keras.utils import summary as summary_utils


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    keras.backend.clear_session()


def _summary(model, **kwargs):
    calls = []
    model.summary(print_fn=calls.append, **kwargs)
    assert len(calls) == 1  # Keras hands print_fn the whole text at once
    return calls[0]


# recorded from Keras 3.15
SEQUENTIAL = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 4)              │            36 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout (Dropout)               │ (None, 4)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 2)              │            10 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 46 (184.00 B)
 Trainable params: 46 (184.00 B)
 Non-trainable params: 0 (0.00 B)
"""

SEQUENTIAL_COMPILED = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 4)              │            36 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout (Dropout)               │ (None, 4)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 2)              │            10 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 140 (564.00 B)
 Trainable params: 46 (184.00 B)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 94 (380.00 B)
"""

FUNCTIONAL_CHAIN = """\
Model: "chain"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ features (InputLayer)           │ (None, 3)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ mid (Dense)                     │ (None, 5)              │            20 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ out (Dense)                     │ (None, 2)              │            12 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 32 (128.00 B)
 Trainable params: 32 (128.00 B)
 Non-trainable params: 0 (0.00 B)
"""

FUNCTIONAL_TWO_HEADS = """\
Model: "two_heads"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ a (InputLayer)      │ (None, 8)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ b (InputLayer)      │ (None, 3)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ d1 (Dense)          │ (None, 3)         │         27 │ a[0][0]           │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ d2 (Dense)          │ (None, 3)         │         12 │ b[0][0]           │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add (Add)           │ (None, 3)         │          0 │ d1[0][0],         │
│                     │                   │            │ d2[0][0]          │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ out1 (Dense)        │ (None, 1)         │          4 │ add[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ out2 (Dense)        │ (None, 3)         │         12 │ add[0][0]         │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 55 (220.00 B)
 Trainable params: 55 (220.00 B)
 Non-trainable params: 0 (0.00 B)
"""

SUBCLASSED_UNBUILT = """\
Model: "sub"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense_2 (Dense)                 │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_3 (Dense)                 │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
"""

SUBCLASSED_BUILT = """\
Model: "sub"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense_2 (Dense)                 │ (2, 4)                 │            24 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_3 (Dense)                 │ (2, 2)                 │            10 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 34 (136.00 B)
 Trainable params: 34 (136.00 B)
 Non-trainable params: 0 (0.00 B)
"""

BIG = """\
Model: "big"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ wide (Dense)                    │ (None, 10000)          │    10,010,000 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 10,010,000 (38.19 MB)
 Trainable params: 10,010,000 (38.19 MB)
 Non-trainable params: 0 (0.00 B)
"""

SHOW_TRAINABLE = """\
Model: "frozen"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
┃ Layer (type)                ┃ Output Shape          ┃    Param # ┃ Trai… ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
│ f1 (Dense)                  │ (None, 2)             │          8 │   N   │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ f2 (Dense)                  │ (None, 1)             │          3 │   Y   │
└─────────────────────────────┴───────────────────────┴────────────┴───────┘
 Total params: 11 (44.00 B)
 Trainable params: 3 (12.00 B)
 Non-trainable params: 8 (32.00 B)
"""

EXPAND_NESTED = """\
Model: "outer"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ inner (Sequential)              │ (None, 2)              │             8 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│    └ n1 (Dense)                 │ (None, 2)              │             8 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ n2 (Dense)                      │ (None, 1)              │             3 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 11 (44.00 B)
 Trainable params: 11 (44.00 B)
 Non-trainable params: 0 (0.00 B)
"""

LINE_LENGTH_AND_RANGE = """\
Model: "outer"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┓
┃ Layer (type)             ┃ Output Shape      ┃   Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━┩
│ inner (Sequential)       │ (None, 2)         │         8 │
└──────────────────────────┴───────────────────┴───────────┘
 Total params: 11 (44.00 B)
 Trainable params: 11 (44.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def test_sequential():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="relu"),
                              layers.Dropout(0.5), layers.Dense(2)])
    assert _summary(model) == SEQUENTIAL
    model.compile("adam", "mse")
    model.fit(np.ones((4, 8)), np.ones((4, 2)), verbose=0)
    assert _summary(model) == SEQUENTIAL_COMPILED  # with the optimizer's variables


def test_functional_chain_lists_the_input_layer():
    inputs = keras.Input((3,), name="features")
    outputs = layers.Dense(2, name="out")(layers.Dense(5, name="mid")(inputs))
    assert _summary(keras.Model(inputs, outputs, name="chain")) == FUNCTIONAL_CHAIN


def test_functional_graph_has_a_connected_to_column():
    a, b = keras.Input((8,), name="a"), keras.Input((3,), name="b")
    joined = layers.Dense(3, name="d1")(a) + layers.Dense(3, name="d2")(b)
    model = keras.Model([a, b], [layers.Dense(1, name="out1")(joined),
                                 layers.Dense(3, activation="softmax", name="out2")(joined)],
                        name="two_heads")
    assert _summary(model) == FUNCTIONAL_TWO_HEADS


class Sub(keras.Model):
    def __init__(self):
        super().__init__(name="sub")
        self.d1 = layers.Dense(4)
        self.d2 = layers.Dense(2)

    def call(self, inputs):
        return self.d2(self.d1(inputs))


def test_subclassed_before_and_after_its_first_call():
    keras.Sequential([keras.Input((8,)), layers.Dense(4), layers.Dense(2)])  # dense, dense_1
    model = Sub()
    assert _summary(model) == SUBCLASSED_UNBUILT
    model(np.ones((2, 5), "float32"))
    assert _summary(model) == SUBCLASSED_BUILT


def test_large_counts_and_sizes():
    model = keras.Sequential([keras.Input((1000,)), layers.Dense(10000, name="wide")],
                             name="big")
    assert _summary(model) == BIG


def test_show_trainable():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="f1", trainable=False),
                              layers.Dense(1, name="f2")], name="frozen")
    assert _summary(model, show_trainable=True) == SHOW_TRAINABLE


def test_expand_nested_line_length_and_layer_range():
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="n1")], name="inner")
    outer = keras.Sequential([keras.Input((3,)), inner, layers.Dense(1, name="n2")],
                             name="outer")
    assert _summary(outer, expand_nested=True) == EXPAND_NESTED
    assert _summary(outer, line_length=60, layer_range=["inner", "inner"]) == \
        LINE_LENGTH_AND_RANGE
    with pytest.raises(ValueError, match="do not match the layer names"):
        outer.summary(layer_range=["nope", "inner"])


def test_printed_to_stdout(capsys):
    model = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="relu"),
                              layers.Dropout(0.5), layers.Dense(2)])
    model.summary()
    assert capsys.readouterr().out == SEQUENTIAL


def test_wide_terminal_and_wrapped_names(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    model = keras.Sequential([keras.Input((8,)),
                              layers.Dense(4, name="dense_with_a_rather_long_name_indeed")],
                             name="wide")
    # recorded from Keras 3.15 with COLUMNS=200: 88 columns, the long name wrapped
    assert _summary(model).splitlines()[4:6] == [
        "│ dense_with_a_rather_long_name_indeed │ (None, 4)                   │"
        "              36 │",
        "│ (Dense)                              │                             │"
        "                 │"]


def test_column_geometry_follows_rich():
    # rich shrinks fixed columns evenly, rounding half to even (recorded widths, Keras 3.15)
    assert summary_utils.column_widths(76, [0.45, 0.80, 1.0]) == [33, 24, 15]
    assert summary_utils.column_widths(76, [0.3, 0.56, 0.74, 1.0]) == [21, 19, 12, 19]
    assert summary_utils.column_widths(88, [0.45, 0.80, 1.0]) == [38, 29, 17]
    assert summary_utils.wrap_cell("input_layer_5[0][0], input_layer_6[0][0]", 17) == [
        "input_layer_5[0]\u2026", "input_layer_6[0]\u2026"]
    with pytest.raises(ValueError, match="Insufficient console width"):
        summary_utils.column_widths(10, [0.45, 0.80, 1.0])
