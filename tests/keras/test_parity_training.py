"""Summaries, compile/fit mistakes and callbacks, against what Keras 3.15 (TensorFlow 2.21)
prints for the same snippets (each expected text recorded from real Keras)."""

import numpy as np
import pytest

from eagerflow import keras


def _data(n=20, classes=3):
    rng = np.random.RandomState(0)
    return rng.standard_normal((n, 4)).astype("float32"), rng.randint(0, classes, n)


def _classifier():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    return model


def test_summary_header_cells_sit_on_the_bottom_line():
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)],
                             name="a_sequential_model_with_a_very_long_name_indeed")
    lines = []
    model.summary(line_length=40, print_fn=lines.append)
    assert lines[0].split("\n") == [
        'Model: "a_sequential_model_with_a_very_long_name_indeed"',
        "\u250f\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501"
        "\u2501\u2501\u2501\u2501\u2533\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501"
        "\u2501\u2501\u2501\u2533\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2513",
        "\u2503                 \u2503 Output     \u2503 Param \u2503",
        "\u2503 Layer (type)    \u2503 Shape      \u2503     # \u2503",
        "\u2521\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501"
        "\u2501\u2501\u2501\u2501\u2547\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501"
        "\u2501\u2501\u2501\u2547\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2529",
        "\u2502 dense (Dense)   \u2502 (None, 2)  \u2502     8 \u2502",
        "\u2514\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
        "\u2500\u2500\u2500\u2500\u2534\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
        "\u2500\u2500\u2500\u2534\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2518",
        " Total params: 8 (32.00 B)",
        " Trainable params: 8 (32.00 B)",
        " Non-trainable params: 0 (0.00 B)",
        ""]


def test_metrics_must_be_a_list_tuple_or_dict():
    with pytest.raises(ValueError) as info:
        _classifier().compile("adam", "sparse_categorical_crossentropy", metrics="accuracy")
    assert str(info.value) == ("Expected `metrics` argument to be a list, tuple, or dict. "
                               "Received instead: metrics=accuracy of type <class 'str'>")


def test_an_unknown_metric_is_reported_before_the_loss_runs():
    x, y = _data()
    model = _classifier()
    model.compile("adam", "mse", metrics=["not_a_metric"])  # mse would fail on these labels
    with pytest.raises(ValueError, match="^Could not interpret metric identifier: "
                                         "not_a_metric$"):
        model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="^Could not interpret metric identifier: "
                                         "not_a_metric$"):
        model.evaluate(x, y, verbose=0)
    model.compile("adam", "not_a_loss")
    with pytest.raises(ValueError, match="^Could not interpret loss identifier: not_a_loss$"):
        model.fit(x, y, verbose=0)


def test_a_single_callback_needs_no_list():
    x, y = _data()
    model = _classifier()
    model.compile("adam", "sparse_categorical_crossentropy")
    seen = []
    callback = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    history = model.fit(x, y, epochs=2, verbose=0, callbacks=callback)
    assert seen == [0, 1] and history.epoch == [0, 1]


def test_variable_repr_prints_values_as_numpy_does():
    # recorded from Keras 3.15
    assert repr(keras.Variable(np.float32(53.0), name="v")) == (
        "<Variable path=v, shape=(), dtype=float32, value=53.0>")
    assert repr(keras.Variable(np.ones((2, 2), "float32"), name="w")) == (
        "<Variable path=w, shape=(2, 2), dtype=float32, value=[[1. 1.]\n [1. 1.]]>")


class _Scale(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


def test_to_json_and_model_from_json():
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    twin = keras.models.model_from_json(model.to_json())
    assert type(twin).__name__ == "Sequential" and [l.name for l in twin.layers] == ["dense"]
    assert '"class_name": "Sequential"' in model.to_json()


def test_loading_an_unknown_custom_layer(tmp_path, monkeypatch):
    # recorded from Keras 3.15: the model's TypeError wraps the layer's "Could not locate"
    monkeypatch.setattr(_Scale, "__module__", "__main__")
    inputs = keras.Input((3,))
    model = keras.Model(inputs, _Scale(name="scale")(inputs), name="saver")
    assert keras.layers.serialize(model.layers[1])["module"] is None  # `__main__` -> None
    model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError) as info:
        keras.models.load_model(tmp_path / "m.keras")
    message = str(info.value)
    assert message.startswith("<class 'eagerflow.keras.models.functional.Functional'> could "
                              "not be deserialized properly. Please ensure that components "
                              "that are Python object instances (layers, models, etc.) "
                              "returned by `get_config()` are explicitly deserialized in the "
                              "model's `from_config()` method.\n\nconfig={'module': "
                              "'keras.src.models.functional', 'class_name': 'Functional', "
                              "'config': {}, ")
    assert ("\n\nException encountered: Could not locate class '_Scale'. Make sure custom "
            "classes and functions are decorated with "
            "`@keras.saving.register_keras_serializable()`.") in message
    assert "Full object config: {'module': None, 'class_name': '_Scale'" in message


def test_fit_without_labels():
    x, _ = _data()
    model = _classifier()
    model.compile("adam", "mse")
    with pytest.raises(ValueError, match="^None values not supported.$"):  # Keras 3.15
        model.fit(x, verbose=0)
