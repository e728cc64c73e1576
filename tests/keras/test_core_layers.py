"""Dense, Activation, Dropout, Flatten and Reshape: each through `check_layer`, then the
behaviour particular to it."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.keras.layer_checks import check_layer


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


# --- Dense ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, input_shape, output_shape, trainable", [
    ({"units": 3}, (2, 4), (2, 3), 2),
    ({"units": 3, "use_bias": False}, (2, 4), (2, 3), 1),
    ({"units": 5, "activation": "relu"}, (2, 3, 4), (2, 3, 5), 2),
    ({"units": 2, "activation": "softmax", "kernel_initializer": "he_normal",
      "bias_initializer": "ones"}, (4, 6), (4, 2), 2),
])
def test_dense_check_layer(kwargs, input_shape, output_shape, trainable):
    check_layer(layers.Dense, kwargs, input_shape, output_shape,
                expected_num_trainable_weights=trainable)


def test_dense_with_regularizers_adds_losses():
    check_layer(layers.Dense, {"units": 2, "kernel_regularizer": "l2", "bias_regularizer": "l1",
                               "activity_regularizer": "l2"},
                (3, 4), (3, 2), expected_num_trainable_weights=2, expected_num_losses=3)


def test_dense_computes_activation_of_affine_map(rng):
    x = rng.standard_normal((5, 3)).astype("float32")
    dense = layers.Dense(4, activation="tanh")
    outputs = dense(x)
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(outputs.numpy(), np.tanh(x @ kernel + bias), rtol=1e-5,
                               atol=1e-6)


def test_dense_on_rank_3_multiplies_the_last_axis(rng):
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    dense = layers.Dense(5, kernel_initializer="ones", bias_initializer="zeros")
    np.testing.assert_allclose(dense(x).numpy(), np.repeat(x.sum(-1, keepdims=True), 5, -1),
                               rtol=1e-5)


def test_dense_config_as_keras():
    # recorded from Keras 3.15: Dense(3).get_config()
    expected = {
        "name": "dense", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "float32"}, "registered_name": None},
        "units": 3, "activation": "linear", "use_bias": True,
        "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                               "config": {"seed": None, "input_axes": None,
                                          "output_axes": None},
                               "registered_name": None},
        "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros",
                             "config": {}, "registered_name": None},
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None, "quantization_config": None}
    assert layers.Dense(3).get_config() == expected


def test_dense_invalid_arguments_raise_as_keras():
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match="Received an invalid value for `units`, expected a "
                                         "positive integer. Received: units=0"):
        layers.Dense(0)
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to Dense: "
                                         r"\{'foo': 1\}"):
        layers.Dense(2, foo=1)


def test_dense_checks_the_input_size_once_built():
    dense = layers.Dense(2)
    dense(np.ones((1, 3), "float32"))
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match="Input 0 with name 'None' of layer 'dense' is "
                                         "incompatible with the layer: expected axis -1 of "
                                         r"input shape to have value 3, but received input "
                                         r"with shape \(1, 4\)"):
        dense(np.ones((1, 4), "float32"))
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        dense(np.ones((3,), "float32"))


def test_dense_casts_inputs_to_its_dtype():
    dense = layers.Dense(2)
    assert dense(np.ones((2, 3), "float64")).dtype == tf.float32
    wide = layers.Dense(2, dtype="float64")
    assert wide(np.ones((1, 3), "float32")).dtype == tf.float64
    assert wide.kernel.dtype == tf.float64
    assert (wide.dtype, wide.compute_dtype) == ("float64", "float64")


def test_dense_kernel_constraint_is_applied_by_the_optimizer():
    dense = layers.Dense(2, kernel_constraint=keras.constraints.NonNeg())
    x = np.ones((4, 3), "float32")
    dense(x)
    dense.kernel.assign(-np.ones((3, 2), "float32"))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(dense(x))
    gradients = tape.gradient(loss, dense.trainable_weights)
    keras.optimizers.SGD(0.1).apply_gradients(zip(gradients, dense.trainable_weights))
    assert dense.kernel.numpy().min() >= 0


# --- Activation -------------------------------------------------------------------------------

@pytest.mark.parametrize("activation, function", [
    ("relu", lambda x: np.maximum(x, 0)),
    ("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    ("tanh", np.tanh),
    ("linear", lambda x: x),
])
def test_activation_check_layer(activation, function, rng):
    x = rng.standard_normal((3, 4)).astype("float32")
    check_layer(layers.Activation, {"activation": activation}, (3, 4), (3, 4),
                input_data=x, expected_output=function(x))


def test_activation_accepts_a_callable_and_serializes_by_name():
    layer = layers.Activation(tf.nn.relu6)
    assert layer(tf.constant([[-1.0, 8.0]])).numpy().tolist() == [[0.0, 6.0]]
    # recorded from Keras 3.15: Activation("relu").get_config()["activation"]
    assert layers.Activation("relu").get_config()["activation"] == "relu"


# --- Dropout ----------------------------------------------------------------------------------

def test_dropout_check_layer():
    check_layer(layers.Dropout, {"rate": 0.5}, (4, 5), (4, 5))


def test_dropout_is_identity_at_inference_and_scales_in_training():
    x = np.ones((200, 50), "float32")
    dropout = layers.Dropout(0.4, seed=1)
    np.testing.assert_array_equal(dropout(x).numpy(), x)
    np.testing.assert_array_equal(dropout(x, training=False).numpy(), x)
    trained = dropout(x, training=True).numpy()
    kept = trained[trained != 0]
    np.testing.assert_allclose(kept, 1 / 0.6, rtol=1e-6)
    assert 0.35 < (trained == 0).mean() < 0.45


def test_dropout_noise_shape_drops_whole_columns():
    x = np.ones((6, 8), "float32")
    out = layers.Dropout(0.5, noise_shape=(1, 8), seed=3)(x, training=True).numpy()
    assert all(len(set(column)) == 1 for column in out.T)


def test_dropout_in_a_model_follows_fit_and_predict():
    model = keras.Sequential([keras.Input((100,)), layers.Dropout(0.5)])
    x = np.ones((4, 100), "float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    assert (model(x, training=True).numpy() == 0).any()


def test_dropout_rejects_rates_outside_0_1():
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match="Invalid value received for argument `rate`. Expected "
                                         "a float value between 0 and 1. Received: rate=1.5"):
        layers.Dropout(1.5)


def test_dropout_config_as_keras():
    # recorded from Keras 3.15: Dropout(0.5).get_config()
    assert layers.Dropout(0.5).get_config() == {
        "name": "dropout", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "float32"}, "registered_name": None},
        "rate": 0.5, "seed": None, "noise_shape": None}


# --- Flatten and Reshape -----------------------------------------------------------------------

def test_flatten_check_layer(rng):
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    check_layer(layers.Flatten, {}, (2, 3, 4), (2, 12), input_data=x,
                expected_output=x.reshape(2, 12))


def test_flatten_channels_first_moves_channels_last(rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype("float32")
    out = layers.Flatten(data_format="channels_first")(x)
    np.testing.assert_array_equal(out.numpy(), x.transpose(0, 2, 3, 1).reshape(2, -1))


def test_flatten_of_a_vector_batch_adds_an_axis():
    assert tuple(layers.Flatten()(np.ones((3,), "float32")).shape) == (3, 1)


def test_reshape_check_layer(rng):
    x = rng.standard_normal((2, 12)).astype("float32")
    check_layer(layers.Reshape, {"target_shape": (3, 4)}, (2, 12), (2, 3, 4), input_data=x,
                expected_output=x.reshape(2, 3, 4))


def test_reshape_infers_one_unknown_size():
    assert tuple(layers.Reshape((-1, 2))(np.ones((5, 3, 4), "float32")).shape) == (5, 6, 2)
    assert keras.Sequential([keras.Input((12,)), layers.Reshape((2, -1))]).output_shape == (
        None, 2, 6)


def test_reshape_rejects_two_unknown_sizes():
    with pytest.raises(ValueError, match="at most one unknown dimension"):
        layers.Reshape((-1, -1))


def test_flatten_and_reshape_configs_as_keras():
    # recorded from Keras 3.15
    assert layers.Flatten().get_config()["data_format"] == "channels_last"
    assert layers.Reshape((2, 3)).get_config()["target_shape"] == (2, 3)
