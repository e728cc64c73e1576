"""keras.backend and keras.config: the settings layers honour, Keras's dtype promotion
table (recorded from Keras 3.15), dtype policies and interactive logging."""

import json
import logging
import os

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras

with open(os.path.join(os.path.dirname(__file__), "ops", "keras_result_type.json")) as f:
    RESULT_TYPES = json.load(f)
_PYTHON_TYPES = {"int": int, "float": float, "bool": bool}


@pytest.fixture(autouse=True)
def _restore_settings():
    yield
    keras.config.set_floatx("float32")
    keras.config.set_epsilon(1e-7)
    keras.config.set_image_data_format("channels_last")
    keras.config.set_dtype_policy(None)
    keras.config.enable_interactive_logging()


def test_result_type_matches_keras_for_every_pair():
    got = {key: keras.backend.result_type(*(_PYTHON_TYPES.get(t, t) for t in key.split(",")))
           for key in RESULT_TYPES}
    assert got == RESULT_TYPES


def test_backend_and_standardize_dtype():
    assert keras.backend.backend() == keras.config.backend() == "tensorflow"
    assert keras.backend.standardize_dtype(tf.float16) == "float16"
    assert keras.backend.standardize_dtype(np.int64) == "int64"
    assert keras.backend.standardize_dtype(float) == "float32"
    assert keras.backend.is_float_dtype("float64") and keras.backend.is_int_dtype("uint8")
    with pytest.raises(ValueError, match="Invalid dtype"):
        keras.backend.standardize_dtype("complex7")
    with pytest.raises(ValueError, match="eagerflow"):
        keras.config.set_backend("jax")


def test_floatx_is_honoured_by_layers_and_initializers():
    keras.config.set_floatx("float64")
    layer = keras.layers.Dense(2)
    assert layer(tf.ones((1, 3))).dtype == tf.float64
    assert layer.kernel.dtype == tf.float64
    assert keras.initializers.GlorotUniform()((2, 2)).dtype == tf.float64
    assert keras.ops.ones((2,)).dtype == tf.float64
    with pytest.raises(ValueError, match="floatx"):
        keras.config.set_floatx("float8")


def test_epsilon_is_used_by_ops():
    keras.config.set_epsilon(0.25)
    assert keras.config.epsilon() == 0.25
    # The crossentropy clips predictions to [epsilon, 1 - epsilon].
    loss = keras.ops.binary_crossentropy(tf.constant([1.0]), tf.constant([0.0]))
    np.testing.assert_allclose(loss.numpy(), [-np.log(0.25)], rtol=1e-6)


def test_channels_first_is_honoured_by_conv_and_pooling(rng):
    x = rng.standard_normal((1, 6, 6, 2)).astype(np.float32)
    conv = keras.layers.Conv2D(3, 3)
    expected = conv(x).numpy()
    keras.config.set_image_data_format("channels_first")
    conv_first = keras.layers.Conv2D(3, 3)
    conv_first.build((None, 2, 6, 6))
    conv_first.set_weights(conv.get_weights())
    result = conv_first(np.transpose(x, (0, 3, 1, 2))).numpy()
    np.testing.assert_allclose(result, np.transpose(expected, (0, 3, 1, 2)), rtol=1e-5)
    assert keras.layers.MaxPooling2D()(np.ones((1, 2, 6, 6), np.float32)).shape == (1, 2, 3, 3)
    assert keras.ops.nn.max_pool(np.ones((1, 2, 6, 6), np.float32), 2).shape == (1, 2, 3, 3)
    with pytest.raises(ValueError, match="data_format"):
        keras.config.set_image_data_format("channels_middle")


def test_clear_session_and_uids():
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dense(1).name == "dense_1"
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert [keras.backend.get_uid("x"), keras.backend.get_uid("x")] == [1, 2]


def test_is_keras_tensor():
    assert keras.backend.is_keras_tensor(keras.Input((2,)))
    assert not keras.backend.is_keras_tensor(tf.ones(2))


def test_dtype_policies():
    assert keras.config.dtype_policy() == keras.DTypePolicy("float32")
    keras.config.set_dtype_policy("float64")
    assert keras.layers.Dense(2).dtype == "float64"
    assert repr(keras.mixed_precision.global_policy()) == '<DTypePolicy "float64">'
    keras.config.set_dtype_policy(None)
    assert keras.layers.Dense(2, dtype=keras.DTypePolicy("float16")).dtype == "float16"
    policy = keras.mixed_precision.Policy("mixed_float16")
    assert (policy.compute_dtype, policy.variable_dtype) == ("float16", "float32")
    with pytest.raises(NotImplementedError, match="mixed_float16"):
        keras.mixed_precision.set_global_policy("mixed_float16")
    with pytest.raises(ValueError, match="bfloat16"):
        keras.config.set_dtype_policy("mixed_bfloat16")
    with pytest.raises(NotImplementedError, match="mixed_float16"):
        keras.layers.Dense(2, dtype=policy)
    with pytest.raises(NotImplementedError, match="LossScaleOptimizer"):
        keras.mixed_precision.LossScaleOptimizer(keras.optimizers.SGD())
    with pytest.raises(ValueError, match="Cannot convert"):
        keras.DTypePolicy("float17")


def test_float16_training_runs_in_float16(rng):
    keras.config.set_floatx("float16")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = rng.standard_normal((16, 3)).astype(np.float16)
    history = model.fit(x, x[:, :1], epochs=2, verbose=0)
    assert model.layers[0].kernel.dtype == tf.float16
    assert np.isfinite(history.history["loss"]).all()


def test_interactive_logging_switch(rng, capsys, caplog):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = rng.standard_normal((8, 2)).astype(np.float32)
    keras.config.disable_interactive_logging()
    assert not keras.config.is_interactive_logging_enabled()
    with caplog.at_level(logging.INFO, logger="keras"):
        model.fit(x, x[:, :1], epochs=2, verbose=1)
    assert capsys.readouterr().out == ""
    assert any("Epoch 1/2" in record.getMessage() for record in caplog.records)
    keras.config.enable_interactive_logging()
    model.fit(x, x[:, :1], epochs=2, verbose=1)
    assert "Epoch 1/2" in capsys.readouterr().out


def test_enable_unsafe_deserialization_is_exported():
    assert callable(keras.config.enable_unsafe_deserialization)
