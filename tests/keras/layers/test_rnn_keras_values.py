"""Recurrent layers against outputs recorded from Keras 3.15 (fixtures/layers/rnn_layers.npz,
written by fixtures/layers/record_rnn.py) for the same weights, inputs and masks."""

import os

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from tests.keras.layers.rnn_cases import (CASES, INPUT_SHAPE, MASKED_MODEL_IDS, build_layer,
                                          build_masked_model, step_mask)

FIXTURE = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "layers",
                       "rnn_layers.npz")


@pytest.fixture(scope="module")
def recorded():
    with np.load(FIXTURE) as data:
        return {key: data[key] for key in data.files}


def _arrays(recorded, name, kind):
    found = []
    while f"{name}/{kind}{len(found)}" in recorded:
        found.append(recorded[f"{name}/{kind}{len(found)}"])
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_match_keras(name, recorded):
    case = CASES[name]
    layer = build_layer(keras.layers, case["layer"])
    layer.build(INPUT_SHAPE)
    layer.set_weights(_arrays(recorded, name, "weight"))
    kwargs = {}
    if "lengths" in case:
        kwargs["mask"] = tf.constant(step_mask(case["lengths"], INPUT_SHAPE[1]))
    outputs = tf.nest.flatten(layer(tf.constant(recorded[f"{name}/x"]), **kwargs))
    expected = _arrays(recorded, name, "output")
    assert len(outputs) == len(expected)
    for output, want in zip(outputs, expected):
        assert output.dtype == tf.float32
        np.testing.assert_allclose(output.numpy(), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["lstm_masked", "gru_backwards_masked"])
def test_mask_from_the_input_tensor_acts_like_the_mask_argument(name, recorded):
    case = CASES[name]
    layer = build_layer(keras.layers, case["layer"])
    layer.build(INPUT_SHAPE)
    layer.set_weights(_arrays(recorded, name, "weight"))
    x = tf.constant(recorded[f"{name}/x"])
    x._keras_mask = tf.constant(step_mask(case["lengths"], INPUT_SHAPE[1]))
    outputs = tf.nest.flatten(layer(x))
    for output, want in zip(outputs, _arrays(recorded, name, "output")):
        np.testing.assert_allclose(output.numpy(), want, rtol=1e-5, atol=1e-6)


MODEL_FILE = os.path.join(os.path.dirname(FIXTURE), "masked_rnn_model.keras")


def test_keras_saved_masked_model_loads_and_predicts_the_same(recorded, tmp_path):
    # The file records the masks as Keras does: NotEqual/Any operations feeding `mask=`.
    model = keras.models.load_model(MODEL_FILE)
    ids = np.array(MASKED_MODEL_IDS)
    expected = recorded["masked_model/output0"]
    np.testing.assert_allclose(model(ids).numpy(), expected, rtol=1e-5, atol=1e-6)
    path = str(tmp_path / "again.keras")
    model.save(path)
    np.testing.assert_allclose(keras.models.load_model(path)(ids).numpy(), expected,
                               rtol=1e-5, atol=1e-6)


def test_masks_built_here_flow_as_in_the_keras_file(recorded):
    loaded = keras.models.load_model(MODEL_FILE)
    model = build_masked_model(keras)
    model.set_weights(loaded.get_weights())
    np.testing.assert_allclose(model(np.array(MASKED_MODEL_IDS)).numpy(),
                               recorded["masked_model/output0"], rtol=1e-5, atol=1e-6)
