"""The regularization layers: inference pass-through, the statistics of their training
noise, whole-channel drops, seeding, configs and errors as Keras 3.15 gives them."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer

_FLOAT32_POLICY = {"module": "keras", "class_name": "DTypePolicy",
                   "config": {"name": "float32"}, "registered_name": None}


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


@pytest.mark.parametrize("cls, kwargs, shape", [
    (layers.SpatialDropout1D, {"rate": 0.5}, (2, 3, 4)),
    (layers.SpatialDropout2D, {"rate": 0.5}, (2, 3, 4, 2)),
    (layers.SpatialDropout3D, {"rate": 0.5, "data_format": "channels_first"}, (2, 3, 2, 2, 2)),
    (layers.GaussianNoise, {"stddev": 0.3}, (2, 3)),
    (layers.GaussianDropout, {"rate": 0.3}, (2, 3)),
    (layers.AlphaDropout, {"rate": 0.3}, (2, 3)),
    (layers.ActivityRegularization, {"l1": 0.1}, (2, 3)),
])
def test_check_layer_and_inference_is_identity(cls, kwargs, shape, rng):
    x = rng.standard_normal(shape).astype("float32")
    losses = 1 if cls is layers.ActivityRegularization else 0
    check_layer(cls, kwargs, shape, shape, input_data=x, expected_output=x,
                expected_num_losses=losses)
    np.testing.assert_array_equal(cls(**kwargs)(x, training=False).numpy(), x)


def test_configs_as_keras():
    # Recorded from Keras 3.15.
    assert layers.SpatialDropout1D(0.5, name="s").get_config() == {
        "rate": 0.5, "seed": None, "name": "s", "dtype": "float32"}
    assert layers.SpatialDropout3D(0.5, data_format="channels_first", name="s").get_config() \
        == {"rate": 0.5, "seed": None, "name": "s", "dtype": "float32",
            "data_format": "channels_first"}
    assert layers.SpatialDropout2D(0.5).data_format == "channels_last"
    assert layers.GaussianNoise(0.1, name="g").get_config() == {
        "name": "g", "trainable": True, "dtype": _FLOAT32_POLICY, "stddev": 0.1, "seed": None}
    assert layers.GaussianDropout(0.2, name="g").get_config() == {
        "name": "g", "trainable": True, "dtype": _FLOAT32_POLICY, "rate": 0.2, "seed": None}
    assert layers.AlphaDropout(0.1, name="a").get_config() == {
        "name": "a", "trainable": True, "dtype": _FLOAT32_POLICY, "rate": 0.1, "seed": None,
        "noise_shape": None}
    assert layers.ActivityRegularization(0.1, 0.2, name="a").get_config() == {
        "name": "a", "trainable": True, "dtype": _FLOAT32_POLICY, "l1": 0.1, "l2": 0.2}


@pytest.mark.parametrize("cls, kwargs, shape, kept_axes", [
    (layers.SpatialDropout1D, {}, (64, 5, 8), (0, 2)),
    (layers.SpatialDropout2D, {}, (64, 3, 4, 8), (0, 3)),
    (layers.SpatialDropout2D, {"data_format": "channels_first"}, (64, 8, 3, 4), (0, 1)),
    (layers.SpatialDropout3D, {}, (64, 2, 3, 2, 8), (0, 4)),
])
def test_spatial_dropout_drops_whole_feature_maps(cls, kwargs, shape, kept_axes):
    y = cls(0.5, **kwargs)(tf.ones(shape), training=True).numpy()
    assert set(np.unique(y)) == {0.0, 2.0}
    reduced = tuple(a for a in range(len(shape)) if a not in kept_axes)
    # Every feature map is all zeros or all twos.
    assert np.all(y.min(axis=reduced) == y.max(axis=reduced))
    assert 0.3 < np.mean(y == 0) < 0.7


def test_noise_statistics_in_training():
    x = tf.ones((200, 500))
    noisy = layers.GaussianNoise(0.5, seed=1)(x, training=True).numpy()
    assert noisy.dtype == np.float32
    assert abs(noisy.mean() - 1.0) < 0.01 and abs(noisy.std() - 0.5) < 0.01
    scaled = layers.GaussianDropout(0.2, seed=1)(x, training=True).numpy()
    assert abs(scaled.mean() - 1.0) < 0.01 and abs(scaled.std() - 0.5) < 0.01  # sqrt(.2/.8)


def test_alpha_dropout_keeps_mean_and_variance(rng):
    x = rng.standard_normal((400, 500)).astype("float32")
    y = layers.AlphaDropout(0.2, seed=3)(x, training=True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1.0) < 0.02
    # The dropped entries all take one value: a * alpha_p + b.
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = (0.8 * (1 + 0.2 * alpha_p ** 2)) ** -0.5
    dropped = np.isclose(y, a * alpha_p - a * alpha_p * 0.2, atol=1e-6)
    assert 0.18 < dropped.mean() < 0.22


def test_alpha_dropout_noise_shape():
    y = layers.AlphaDropout(0.5, noise_shape=(None, 1))(tf.zeros((50, 6)),
                                                         training=True).numpy()
    assert np.all(y.min(axis=1) == y.max(axis=1))


def test_activity_regularization_loss_as_keras():
    layer = layers.ActivityRegularization(0.1, 0.2)
    layer(np.arange(6, dtype="float32").reshape(2, 3))
    assert len(layer.losses) == 1
    assert float(layer.losses[0]) == pytest.approx(6.25)  # Keras 3.15


def test_seeded_noise_repeats_after_set_seed():
    x = tf.ones((3, 4))
    layer = layers.GaussianNoise(0.5, seed=7)
    tf.random.set_seed(11)
    first = layer(x, training=True).numpy()
    tf.random.set_seed(11)
    np.testing.assert_array_equal(layer(x, training=True).numpy(), first)
    assert not np.array_equal(layer(x, training=True).numpy(), first)


def test_noise_layers_pass_gradients(rng):
    layer = layers.GaussianNoise(0.5, dtype="float64")
    check_gradients(lambda x: layer(x, training=False), rng.standard_normal((2, 3)))
    x = tf.constant(rng.standard_normal((20, 30)).astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layers.SpatialDropout1D(0.5)(tf.reshape(x, (20, 5, 6)), training=True)
    gradient = tape.gradient(y, x).numpy().reshape(20, 5, 6)
    np.testing.assert_array_equal(gradient, (y.numpy() != 0) * 2.0)


def test_errors_as_keras():
    with pytest.raises(ValueError, match=r"Expected a float value between 0 and 1. "
                                         r"Received: rate=1.5"):
        layers.SpatialDropout1D(1.5)
    with pytest.raises(ValueError, match="Received: stddev=-1"):
        layers.GaussianNoise(-1)
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layers.SpatialDropout2D(0.5)(np.ones((2, 3, 4), "float32"), training=True)
    with pytest.raises(ValueError, match="data_format"):
        layers.SpatialDropout2D(0.5, data_format="nhwc")
