"""GroupQueryAttention against outputs, scores, weight names and configs recorded from
Keras 3.15 (fixtures/layers/more_layers.*, written by record_more_layers.py)."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layers.recorded_layers import recorded_arrays, recorded_cases

RECORDED = recorded_cases("more_layers", "group_query_attention")


@pytest.mark.parametrize("name", list(RECORDED))
def test_matches_keras(name):
    case, data = RECORDED[name], recorded_arrays("more_layers", name)
    keras.backend.clear_session()
    layer = layers.GroupQueryAttention(**case["kwargs"])
    layer(data["query"], data["value"], data.get("key"))
    assert [w.path for w in layer.weights] == case["weight_names"]
    assert [list(w.shape) for w in layer.weights] == case["weight_shapes"]
    layer.set_weights([data[f"w{i}"] for i in range(len(layer.weights))])
    call = dict(case["flags"])
    for key in ("key", "query_mask", "value_mask", "attention_mask"):
        if key in data:
            call[key] = tf.constant(data[key])
    result = layer(data["query"], data["value"], **call)
    output, scores = result if call["return_attention_scores"] else (result, None)
    np.testing.assert_allclose(output.numpy(), data["y"], rtol=1e-5, atol=1e-5)
    if scores is not None:
        np.testing.assert_allclose(scores.numpy(), data["scores"], rtol=1e-5, atol=1e-6)
    config = json.loads(json.dumps(layer.get_config(), default=list))
    assert config == case["config"] and list(config) == list(case["config"])


def test_is_the_keras_class_name_and_round_trips():
    assert layers.GroupQueryAttention is layers.GroupedQueryAttention
    layer = layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2)
    x = np.random.default_rng(0).standard_normal((2, 3, 6)).astype("float32")
    y = layer(x, x)
    serialized = layers.serialize(layer)
    assert serialized["class_name"] == "GroupedQueryAttention"
    twin = layers.deserialize(serialized)
    twin.set_weights(layer.get_weights())
    np.testing.assert_allclose(twin(x, x).numpy(), y.numpy(), rtol=1e-6)


def test_symbolic_shapes():
    layer = layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=1)
    query, value = keras.Input((5, 8)), keras.Input((7, 8))
    output, scores = layer(query, value, return_attention_scores=True)
    assert output.shape == (None, 5, 8) and scores.shape == (None, 4, 5, 7)


def test_errors():
    with pytest.raises(ValueError, match="must be divisible by `num_key_value_heads`"):
        layers.GroupQueryAttention(head_dim=2, num_query_heads=3, num_key_value_heads=2)
    with pytest.raises(ValueError, match="`sliding_window` must be `None` or a positive"):
        layers.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1,
                                   sliding_window=0)
    layer = layers.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1)
    with pytest.raises(ValueError, match="last dimension of `query_shape` and `value_shape`"):
        layer.compute_output_shape((None, 3, 4), (None, 3, 5))


def test_gradients_reach_inputs_and_every_weight(rng):
    layer = layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2,
                                       use_gate=True, dtype="float64")
    query, value = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 4))
    layer(query, value)
    check_gradients(lambda q, v: layer(q, v, use_causal_mask=True), query, value, order=1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(layer(query, value)))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))
