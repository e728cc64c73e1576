"""ReversibleEmbedding against Keras 3.15 (fixtures/layers/more_layers.*, written by
record_more_layers.py): token embeddings, reverse logits, weights and config."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layers.recorded_layers import recorded_arrays, recorded_cases

RECORDED = recorded_cases("more_layers", "reversible_embedding")


@pytest.mark.parametrize("name", list(RECORDED))
def test_matches_keras(name):
    case = RECORDED[name]
    data = recorded_arrays("more_layers", f"reversible/{name}")
    keras.backend.clear_session()
    layer = layers.ReversibleEmbedding(7, 3, **case["kwargs"])
    layer(data["tokens"])
    assert [w.path for w in layer.weights] == case["weight_names"]
    layer.set_weights([data[f"w{i}"] for i in range(len(layer.weights))])
    np.testing.assert_allclose(layer(data["tokens"]).numpy(), data["embedded"], rtol=1e-6)
    np.testing.assert_allclose(layer(data["hidden"], reverse=True).numpy(), data["logits"],
                               rtol=1e-5, atol=1e-6)
    assert json.loads(json.dumps(layer.get_config(), default=list)) == case["config"]


def test_masks_symbolic_shapes_and_gradients(rng):
    layer = layers.ReversibleEmbedding(5, 2, mask_zero=True, dtype="float64")
    embedded = layer(np.array([[1, 2, 0]]))
    assert embedded._keras_mask.numpy().tolist() == [[True, True, False]]
    tokens = keras.Input((3,), dtype="int32")
    hidden = layer(tokens)
    assert layer(hidden, reverse=True).shape == (None, 3, 5)
    check_gradients(lambda h: layer(h, reverse=True), rng.standard_normal((2, 3, 2)), order=2)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(layer(np.array([[1, 3]])), reverse=True) ** 2)
    assert tape.gradient(loss, layer.embeddings) is not None
