"""`check_layer`: the checks every layer passes (after Keras's `run_layer_test`).

One call runs a layer eagerly and symbolically, compares shapes, dtypes and weight counts
with what the caller expects, round-trips its config and its weights, and takes one
gradient step that must lower a squared-error loss.
"""

import numpy as np

import eagerflow as tf
from eagerflow import keras


def _random_input(shape, dtype, rng):
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(0, 3, shape).astype(dtype)


def _without_name(config):
    return {key: value for key, value in config.items() if key != "name"}


def check_layer(layer_cls, init_kwargs, input_shape, expected_output_shape,
                expected_output_dtype="float32", expected_num_trainable_weights=0,
                expected_num_non_trainable_weights=0, expected_num_losses=0,
                input_dtype="float32", expected_output=None, input_data=None,
                run_training_check=True, seed=0):
    """Checks `layer_cls(**init_kwargs)` on inputs of `input_shape` and returns the layer.

    Checks: config round trip (`from_config(get_config())` gives the same config); the
    eager call's output shape and dtype (and values when `expected_output` is given);
    weight counts; `losses` count; the symbolic call on a `keras.Input` (batch size None)
    and `compute_output_shape`; a weights round trip through a new layer made from the
    config (same outputs); and, when the layer has trainable weights, that gradients
    reach every one of them and one small gradient step lowers a squared-error loss.
    """
    rng = np.random.default_rng(seed)
    x = input_data if input_data is not None else _random_input(input_shape, input_dtype, rng)

    layer = layer_cls(**init_kwargs)
    config = layer.get_config()
    assert _without_name(layer_cls.from_config(config).get_config()) == _without_name(config)
    assert not layer.built or not layer.weights

    outputs = layer(x)
    assert layer.built
    assert tuple(outputs.shape) == tuple(expected_output_shape)
    assert outputs.dtype == expected_output_dtype
    if expected_output is not None:
        np.testing.assert_allclose(outputs.numpy(), expected_output, rtol=1e-5, atol=1e-6)
    assert len(layer.trainable_weights) == expected_num_trainable_weights
    assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights
    assert len(layer.weights) == (expected_num_trainable_weights
                                  + expected_num_non_trainable_weights)
    assert len(layer.losses) == expected_num_losses
    assert layer.count_params() == sum(int(np.prod(w.shape)) for w in layer.weights)

    # Symbolic: the batch size is unknown, the other sizes as in the eager call.
    symbolic_input = keras.Input(batch_shape=(None,) + tuple(input_shape[1:]),
                                 dtype=input_dtype)
    symbolic_output = layer_cls(**init_kwargs)(symbolic_input)
    expected_symbolic = (None,) + tuple(expected_output_shape[1:])
    assert symbolic_output.shape == expected_symbolic
    assert symbolic_output.dtype == expected_output_dtype
    assert tuple(layer_cls(**init_kwargs).compute_output_shape(
        (None,) + tuple(input_shape[1:]))) == expected_symbolic

    # A layer made from the config, given the weights, computes the same.
    twin = layer_cls.from_config(layer.get_config())
    twin(x)
    twin.set_weights(layer.get_weights())
    np.testing.assert_allclose(twin(x).numpy(), layer(x).numpy(), rtol=1e-6, atol=1e-6)

    if run_training_check and layer.trainable_weights:
        _check_one_step_lowers_loss(layer, x, rng)
    return layer


def _check_one_step_lowers_loss(layer, x, rng):
    target = tf.constant(rng.standard_normal(tuple(layer(x).shape)).astype(np.float32))

    def loss_value():
        return tf.reduce_mean(tf.square(tf.cast(layer(x), "float32") - target))

    with tf.GradientTape() as tape:
        before = loss_value()
    gradients = tape.gradient(before, layer.trainable_weights)
    assert all(g is not None for g in gradients), "every trainable weight gets a gradient"
    norm = float(tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(g)) for g in gradients])))
    assert norm > 0
    for variable, gradient in zip(layer.trainable_weights, gradients):
        variable.assign_sub(tf.cast(gradient, variable.dtype) * (1e-3 / norm))
    assert float(loss_value()) < float(before)
