"""BatchNormalization, LayerNormalization, GroupNormalization and UnitNormalization against
outputs and moving statistics recorded from Keras 3.15 (fixtures/layers/normalization.npz,
written by record_normalization.py), plus check_layer, gradients, fit and frozen behaviour."""


import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer
from tests.keras.layers.recorded_layers import load_arrays

FIXTURES = load_arrays("normalization")


def fixture(case):
    prefix = case + "/"
    return {key[len(prefix):]: FIXTURES[key] for key in FIXTURES.files
            if key.startswith(prefix)}


def weights_of(data):
    return [data[f"w{i}"] for i in range(sum(key.startswith("w") for key in data))]


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


# --- BatchNormalization -----------------------------------------------------------------

@pytest.mark.parametrize("case, kwargs", [
    ("bn_last", dict(momentum=0.9)),
    ("bn_axis1", dict(axis=1, momentum=0.8, epsilon=1e-2)),
    ("bn_plain", dict(center=False, scale=False)),
    ("bn_renorm", dict(renorm=True, renorm_clipping={"rmax": 1.5, "rmin": 0.5, "dmax": 0.3},
                       renorm_momentum=0.7, momentum=0.9)),
])
def test_batch_normalization_matches_keras(case, kwargs):
    data = fixture(case)
    layer = layers.BatchNormalization(**kwargs)
    xs = data["x"]
    layer.build(xs[0].shape)
    trainable = weights_of(data)
    layer.set_weights(trainable + [w.numpy() for w in layer.non_trainable_weights])
    for x, expected in zip(xs, data["training"]):
        np.testing.assert_allclose(layer(x, training=True).numpy(), expected,
                                   rtol=1e-5, atol=1e-5)
    for i, variable in enumerate(layer.non_trainable_weights):
        np.testing.assert_allclose(variable.numpy(), data[f"state{i}"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer(xs[0], training=False).numpy(), data["inference"],
                               rtol=1e-5, atol=1e-5)


def test_batch_normalization_with_mask_matches_keras():
    data = fixture("bn_mask")
    layer = layers.BatchNormalization(momentum=0.5)
    layer.build(data["x"].shape)
    layer.set_weights(weights_of(data) + [np.zeros(2, "float32"), np.ones(2, "float32")])
    y = layer(data["x"], training=True, mask=tf.constant(data["mask"]))
    np.testing.assert_allclose(y.numpy(), data["training"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(layer.moving_mean.numpy(), data["state0"], rtol=1e-5)
    np.testing.assert_allclose(layer.moving_variance.numpy(), data["state1"], rtol=1e-5)


@pytest.mark.parametrize("kwargs, input_shape, trainable", [
    ({}, (4, 3), 2),
    ({"axis": 1}, (2, 3, 4, 2), 2),
    ({"center": False}, (4, 5), 1),
    ({"renorm": True}, (4, 3), 2),
])
def test_batch_normalization_check_layer(kwargs, input_shape, trainable):
    non_trainable = 5 if kwargs.get("renorm") else 2
    layer = check_layer(layers.BatchNormalization, kwargs, input_shape, input_shape,
                        expected_num_trainable_weights=trainable,
                        expected_num_non_trainable_weights=non_trainable)
    assert layer.moving_mean.path.endswith("/moving_mean")


def test_batch_normalization_weights_and_config_as_keras():
    layer = layers.BatchNormalization(name="bn")
    layer.build((None, 3))
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean",
                                              "moving_variance"]
    assert [w.trainable for w in layer.weights] == [True, True, False, False]
    config = layer.get_config()
    # Keras 3.15's keys, in its order.
    assert list(config) == [
        "name", "trainable", "dtype", "axis", "momentum", "epsilon", "center", "scale",
        "beta_initializer", "gamma_initializer", "moving_mean_initializer",
        "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
        "beta_constraint", "gamma_constraint", "synchronized", "renorm", "renorm_clipping",
        "renorm_momentum"]
    assert config["gamma_initializer"] == {"module": "keras.initializers",
                                           "class_name": "Ones", "config": {},
                                           "registered_name": None}
    assert (config["momentum"], config["epsilon"], config["axis"]) == (0.99, 0.001, -1)


def test_batch_normalization_gradients(rng):
    layer = layers.BatchNormalization(dtype="float64")
    layer.build((5, 3))
    layer.set_weights([rng.standard_normal(3), rng.standard_normal(3),
                       np.zeros(3), np.ones(3)])

    def training(x):
        return layer(x, training=True)
    check_gradients(training, rng.standard_normal((5, 3)), order=2)
    check_gradients(lambda x: layer(x, training=False), rng.standard_normal((5, 3)))


def test_frozen_batch_normalization_runs_in_inference_mode(rng):
    layer = layers.BatchNormalization()
    x = rng.standard_normal((8, 3)).astype("float32") * 3 + 2
    layer(x, training=True)
    moving_mean = layer.moving_mean.numpy()
    layer.trainable = False
    frozen = layer(x, training=True).numpy()
    np.testing.assert_array_equal(frozen, layer(x, training=False).numpy())
    np.testing.assert_array_equal(layer.moving_mean.numpy(), moving_mean)
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4


def test_batch_normalization_in_fit_lowers_loss_and_moves_statistics(rng):
    x = rng.standard_normal((128, 4)).astype("float32") * 5 + 3
    y = (x @ np.array([1.0, -2.0, 0.5, 1.5], "float32"))[:, None] / 5
    model = keras.Sequential([keras.Input((4,)), layers.BatchNormalization(),
                              layers.Dense(8, activation="relu"), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    bn = model.layers[0]
    # 60 steps with momentum 0.99 move the moving mean ~45% of the way to the data's mean.
    assert np.all(bn.moving_mean.numpy() > 0.3 * x.mean(axis=0))
    # Predictions use the moving statistics, not the batch's: one row alone gives the
    # same output as inside the whole batch.
    np.testing.assert_allclose(model.predict(x[:1], verbose=0), model.predict(x, verbose=0)[:1],
                               rtol=1e-5, atol=1e-6)


def test_batch_normalization_errors():
    with pytest.raises(ValueError, match="renorm_clipping"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"x": 1})
    with pytest.raises(ValueError, match="rmax should be greater than rmin"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 0.5, "rmin": 1.0})
    with pytest.raises(ValueError, match="Axis 3 is out of bounds"):
        layers.BatchNormalization(axis=3)(tf.ones((2, 6)))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer = layers.BatchNormalization()
        layer(tf.ones((2, 3)))
        layer(tf.ones((2, 4)))


# --- LayerNormalization, GroupNormalization, UnitNormalization ------------------------------

@pytest.mark.parametrize("case, cls, kwargs", [
    ("ln_last", layers.LayerNormalization, {}),
    ("ln_axes", layers.LayerNormalization, dict(axis=[1, 2], epsilon=1e-5)),
    ("ln_rms", layers.LayerNormalization, dict(rms_scaling=True)),
    ("gn_last", layers.GroupNormalization, dict(groups=2)),
    ("gn_instance", layers.GroupNormalization, dict(groups=-1, epsilon=1e-2)),
    ("gn_axis1", layers.GroupNormalization, dict(groups=3, axis=1, center=False)),
    ("un_last", layers.UnitNormalization, {}),
    ("un_axes", layers.UnitNormalization, dict(axis=[1, 2])),
])
def test_normalization_matches_keras(case, cls, kwargs):
    data = fixture(case)
    with pytest.warns(UserWarning) if kwargs.get("rms_scaling") else _no_warning():
        layer = cls(**kwargs)
    layer.build(data["x"].shape)
    layer.set_weights(weights_of(data))
    np.testing.assert_allclose(layer(data["x"]).numpy(), data["output"], rtol=1e-5, atol=1e-5)


class _no_warning:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("cls, kwargs, input_shape, trainable", [
    (layers.LayerNormalization, {}, (3, 4), 2),
    (layers.LayerNormalization, {"axis": [1, 2], "center": False}, (2, 3, 4), 1),
    (layers.GroupNormalization, {"groups": 2}, (2, 5, 4), 2),
    (layers.GroupNormalization, {"groups": -1, "axis": 1}, (2, 3, 4), 2),
    (layers.UnitNormalization, {}, (3, 4), 0),
])
def test_normalization_check_layer(cls, kwargs, input_shape, trainable):
    check_layer(cls, kwargs, input_shape, input_shape,
                expected_num_trainable_weights=trainable)


@pytest.mark.parametrize("cls, kwargs, shape", [
    (layers.LayerNormalization, {"axis": [1, 2]}, (2, 3, 4)),
    (layers.GroupNormalization, {"groups": 2}, (2, 3, 4)),
    (layers.UnitNormalization, {}, (3, 4)),
])
def test_normalization_gradients(cls, kwargs, shape, rng):
    layer = cls(dtype="float64", **kwargs)
    layer.build(shape)
    layer.set_weights([rng.standard_normal(w.shape) for w in layer.weights])
    check_gradients(layer, rng.standard_normal(shape), order=2)


def test_normalization_configs_as_keras():
    ln = layers.LayerNormalization(name="ln").get_config()
    assert list(ln)[3:8] == ["axis", "epsilon", "center", "scale", "rms_scaling"]
    gn = layers.GroupNormalization(groups=4, name="gn").get_config()
    assert (gn["groups"], gn["axis"], gn["epsilon"]) == (4, -1, 0.001)
    assert list(gn)[3:6] == ["groups", "axis", "epsilon"]
    assert layers.UnitNormalization(axis=[1, 2]).get_config()["axis"] == [1, 2]


def test_normalization_errors():
    with pytest.raises(ValueError, match="expected a positive integer"):
        layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match=r"Number of groups \(4\) must be a multiple"):
        layers.GroupNormalization(groups=4)(tf.ones((2, 6)))
    with pytest.raises(ValueError, match=r"Number of groups \(8\) cannot be more"):
        layers.GroupNormalization(groups=8)(tf.ones((2, 6)))
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints"):
        layers.LayerNormalization(axis="a")
    with pytest.raises(TypeError, match="Invalid value for `axis` argument"):
        layers.UnitNormalization(axis=1.5)
