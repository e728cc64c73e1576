"""keras.utils.plot_model / model_to_dot (the DOT Keras 3.15 writes, recorded under
TensorFlow 2.21 with pydot 4), their errors naming what is missing, and History plotting
with matplotlib as "Deep Learning with Python" does it."""

import re
import sys

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras.utils import model_visualization


def sequential():
    return keras.Sequential([keras.Input((4,)),
                             keras.layers.Dense(3, activation="relu", name="hidden"),
                             keras.layers.Dense(2, name="out")], name="seq")


def without_ids(dot_source):
    """DOT with the node ids (Python object ids) numbered in order of appearance."""
    ids = {}
    return re.sub(r"\b\d{6,}\b", lambda m: ids.setdefault(m.group(0), f"n{len(ids)}"),
                  dot_source)


HEADER_TF = "digraph G {\nrankdir=TB;\nconcentrate=true;\ndpi=200;\nsplines=ortho;\nnode [shape=record];\n"
HIDDEN_PLAIN_TF = ('n0 [label=<<table border="0" cellborder="1" bgcolor="black" '
                   'cellpadding="10"><tr><td colspan="1" bgcolor="black"><font point-size="16" '
                   'color="white"><b>hidden</b> (Dense)</font></td></tr></table>>, '
                   'fontname=Helvetica, border=0, margin=0];\n')
HIDDEN_FULL_TF = (
    '<tr><td colspan="4" bgcolor="black"><font point-size="16" color="white"><b>hidden</b> '
    '(Dense)</font></td></tr><tr><td bgcolor="white" colspan="4"><font point-size="14">'
    'Activation: <b>relu</b></font></td></tr><tr><td bgcolor="white"><font point-size="14">'
    'Input shape: <b>(None, 4)</b></font></td><td bgcolor="white"><font point-size="14">'
    'Output shape: <b>(None, 3)</b></font></td><td bgcolor="white"><font point-size="14">'
    'Output dtype: <b>float32</b></font></td><td bgcolor="forestgreen"><font point-size="14" '
    'color="white"><b>Trainable</b></font></td></tr></table>>')
ADD_TF = ('<tr><td colspan="2" bgcolor="black"><font point-size="16" color="white"><b>add</b> '
          '(Add)</font></td></tr><tr><td bgcolor="white"><font point-size="14">Input shape: '
          '<b>[(None, 3), (None, 3)]</b></font></td><td bgcolor="white"><font point-size="14">'
          'Output shape: <b>(None, 3)</b></font></td></tr></table>>')


def test_model_to_dot_sequential_matches_keras():
    pytest.importorskip("pydot")
    source = without_ids(keras.utils.model_to_dot(sequential()).to_string())
    assert source.startswith(HEADER_TF + HIDDEN_PLAIN_TF)
    assert source.endswith("n0 -> n1 [penwidth=2];\n}\n")
    full = keras.utils.model_to_dot(sequential(), show_shapes=True, show_dtype=True,
                                    show_layer_activations=True, show_trainable=True,
                                    rankdir="LR", dpi=96).to_string()
    assert "rankdir=LR;" in full and "dpi=96;" in full and HIDDEN_FULL_TF in full
    assert "Activation: <b>linear</b>" in full


def test_model_to_dot_functional_edges_and_shapes():
    pytest.importorskip("pydot")
    inputs = keras.Input((4,), name="x")
    a = keras.layers.Dense(3, name="a")(inputs)
    b = keras.layers.Dense(3, name="b")(inputs)
    model = keras.Model(inputs, keras.layers.Add(name="add")([a, b]), name="func")
    source = without_ids(keras.utils.model_to_dot(model, show_shapes=True).to_string())
    assert ADD_TF in source
    assert "<b>x</b> (InputLayer)</font></td></tr><tr><td bgcolor=\"white\"><font " \
           "point-size=\"14\">Output shape: <b>(None, 4)</b>" in source
    edges = re.findall(r"(n\d) -> (n\d)", source)
    assert edges == [("n0", "n1"), ("n0", "n2"), ("n1", "n3"), ("n2", "n3")]


def test_model_to_dot_rejects_unknown_arguments_and_unbuilt_models():
    pytest.importorskip("pydot")
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        keras.utils.model_to_dot(sequential(), show_everything=True)
    with pytest.raises(ValueError, match="This model has not yet been built"):
        keras.utils.model_to_dot(keras.Sequential([keras.layers.Dense(2)]))


def test_plot_model_names_missing_pydot(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(ImportError, match=r"You must install pydot \(`pip install pydot`\) "
                                          r"for `plot_model` to work."):
        keras.utils.plot_model(sequential(), to_file=str(tmp_path / "m.png"))
    with pytest.raises(ImportError, match="for model_to_dot to work"):
        keras.utils.model_to_dot(sequential())


def test_plot_model_names_missing_graphviz(monkeypatch, tmp_path):
    pydot = pytest.importorskip("pydot")

    def no_dot_program(*args, **kwargs):
        raise FileNotFoundError(2, '"dot" not found in path.')

    monkeypatch.setattr(pydot.Dot, "create", no_dot_program)
    with pytest.raises(ImportError, match=r"You must install graphviz \(see instructions at "
                                          r"https://graphviz.gitlab.io/download/\)"):
        keras.utils.plot_model(sequential(), to_file=str(tmp_path / "m.png"))
    assert not (tmp_path / "m.png").exists()


def test_plot_model_writes_the_image(tmp_path):
    pytest.importorskip("pydot")
    if not model_visualization.check_graphviz():
        pytest.skip("graphviz's dot program is not installed")
    path = tmp_path / "model.png"
    keras.utils.plot_model(sequential(), to_file=str(path), show_shapes=True)
    assert path.read_bytes().startswith(b"\x89PNG")


def test_history_plotting_as_the_book_does(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("rmsprop", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.25, verbose=0)

    history_dict = history.history
    loss_values = history_dict["loss"]
    val_loss_values = history_dict["val_loss"]
    epochs = range(1, len(loss_values) + 1)
    plt.plot(epochs, loss_values, "r--", label="Training loss")
    plt.plot(epochs, val_loss_values, "b", label="Validation loss")
    plt.title("Training and validation loss")
    plt.xlabel("Epochs")
    plt.xticks(epochs)
    plt.ylabel("Loss")
    plt.legend()
    training_line, validation_line = plt.gca().get_lines()
    plt.savefig(tmp_path / "loss.png")
    plt.close("all")

    assert all(type(value) is float for value in loss_values)
    assert list(training_line.get_ydata()) == loss_values
    assert list(validation_line.get_xdata()) == [1, 2, 3]
    assert (tmp_path / "loss.png").read_bytes().startswith(b"\x89PNG")
