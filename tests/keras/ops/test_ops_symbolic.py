"""keras.ops on KerasTensors: functional-graph nodes that run, summarize and serialize as
Keras 3 writes them."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import ops


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def test_mean_of_inputs_makes_a_model(rng):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, ops.mean(inputs, axis=-1))
    x = rng.standard_normal((3, 4)).astype(np.float32)
    np.testing.assert_allclose(model(x).numpy(), x.mean(-1), rtol=1e-6)
    assert model.output_shape == (None,)


def test_config_is_keras_layout():
    # As real Keras 3.15 writes these nodes (recorded with keras.Model.get_config()).
    inputs = keras.Input((4,))
    mean = ops.mean(inputs, axis=-1)
    relu = ops.nn.relu(inputs)
    added = ops.add(inputs, 2.0)
    cast = ops.cast(mean, "int32")
    config = keras.Model(inputs, [mean, relu, added, cast]).get_config()
    layers = {layer["name"]: layer for layer in config["layers"]}
    assert {k: layers["mean"][k] for k in ("module", "class_name", "config")} == {
        "module": "keras.src.ops.numpy", "class_name": "Mean",
        "config": {"name": "mean", "axis": -1, "keepdims": False}}
    assert layers["relu"]["module"] == "keras.src.ops.nn"
    assert layers["relu"]["config"] == {"name": "relu"}
    assert layers["cast"]["module"] == "keras.src.ops.core"
    assert layers["cast"]["config"] == {"name": "cast", "dtype": "int32"}
    assert layers["add"]["inbound_nodes"][0]["args"][1] == 2.0
    one_hot = ops.one_hot(ops.cast(mean, "int32"), 3)
    assert one_hot._keras_history.operation.get_config() == {
        "name": "one_hot", "num_classes": 3, "axis": -1, "dtype": "float32", "sparse": False}
    json.dumps(config)


def test_round_trip_through_config_and_keras_file(tmp_path, rng):
    inputs = keras.Input((5,))
    hidden = keras.layers.Dense(3)(inputs)
    probs = ops.nn.softmax(hidden)
    top = ops.one_hot(ops.argmax(probs, axis=-1), 3)
    outputs = ops.concatenate([probs, top * 0.5, ops.expand_dims(ops.logsumexp(hidden, -1),
                                                                 -1)], axis=-1)
    model = keras.Model(inputs, outputs)
    x = rng.standard_normal((4, 5)).astype(np.float32)
    expected = model(x).numpy()
    rebuilt = keras.Model.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt(x).numpy(), expected, rtol=1e-6)
    path = str(tmp_path / "ops.keras")
    model.save(path)
    np.testing.assert_allclose(keras.saving.load_model(path)(x).numpy(), expected, rtol=1e-6)


def test_operator_on_keras_tensors_promotes_like_ops_add():
    ints = keras.Input((2,), dtype="int32")
    floats = keras.Input((2,))
    total = ints + floats
    assert total.dtype == "float32"
    model = keras.Model([ints, floats], total)
    result = model([tf.constant([[1, 2]]), tf.constant([[0.5, 0.5]])])
    np.testing.assert_array_equal(result.numpy(), [[1.5, 2.5]])


def test_unknown_batch_size_stays_none():
    inputs = keras.Input((3, 4))
    assert ops.matmul(inputs, tf.ones((4, 2))).shape == (None, 3, 2)
    assert ops.reshape(inputs, (-1, 12)).shape == (None, 12)
    values, indices = ops.top_k(inputs, 2)
    assert values.shape == (None, 3, 2) and indices.dtype == "int32"


def test_gradient_flows_through_a_model_of_ops(rng):
    inputs = keras.Input((3,))
    dense = keras.layers.Dense(2)
    outputs = ops.sum(ops.square(dense(inputs)), axis=-1)
    model = keras.Model(inputs, outputs)
    x = tf.constant(rng.standard_normal((4, 3)).astype(np.float32))
    with tf.GradientTape() as tape:
        loss = ops.mean(model(x))
    grads = tape.gradient(loss, dense.trainable_weights)
    kernel, bias = dense.kernel.numpy(), dense.bias.numpy()
    h = x.numpy() @ kernel + bias
    np.testing.assert_allclose(grads[0].numpy(), x.numpy().T @ (2 * h) / 4, rtol=1e-5)
