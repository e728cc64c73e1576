"""Tests of eagerflow/keras/constraints.py: projections against NumPy and Keras 3.15's
values, configs and lookup."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import constraints

EPSILON = 1e-7
W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, -1.0]], np.float32)
KERNEL = np.arange(-6, 6, dtype=np.float32).reshape(2, 2, 3) / 2


@pytest.mark.parametrize("constraint, w, expected", [
    # recorded from Keras 3.15
    (constraints.MaxNorm(2.0), W,
     [0.3380617, 0.8728715, 1.014185, 1.745743, 1.690308, -0.4364358]),
    (constraints.MaxNorm(2.0, axis=1), W,
     [0.8944272, 1.788854, 1.2, 1.6, 1.961161, -0.3922323]),
    (constraints.MaxNorm(1.5, axis=[0, 1]), KERNEL,
     [-1.224745, -1.105815, -0.8846517, -0.6123724, -0.4423259, -0.2211629, 0.0, 0.2211629,
      0.4423259, 0.6123724, 0.8846517, 1.105815]),
    (constraints.UnitNorm(), W,
     [0.1690308, 0.4364358, 0.5070925, 0.8728715, 0.8451542, -0.2182179]),
    (constraints.UnitNorm(axis=1), W,
     [0.4472136, 0.8944272, 0.6, 0.8, 0.9805807, -0.1961161]),
    (constraints.MinMaxNorm(1.0, 4.0), W,
     [0.6761234, 1.745743, 2.02837, 3.491486, 3.380617, -0.8728715]),
    (constraints.MinMaxNorm(5.0, 6.0, rate=0.5, axis=1), W,
     [1.618034, 3.236068, 3.0, 4.0, 5.0, -1.0]),
    (constraints.NonNeg(), W, [1.0, 2.0, 3.0, 4.0, 5.0, 0.0]),
])
def test_matches_keras(constraint, w, expected):
    result = constraint(tf.constant(w))
    assert result.dtype == tf.float32 and tuple(result.shape) == w.shape
    np.testing.assert_allclose(np.ravel(result), expected, rtol=1e-6, atol=1e-7)


def test_matches_numpy(rng):
    w = rng.standard_normal((4, 3, 5)) * 3
    norms = np.sqrt((w ** 2).sum(axis=(0, 1), keepdims=True))
    np.testing.assert_allclose(constraints.MaxNorm(2.0, axis=[0, 1])(w).numpy(),
                               w * np.clip(norms, 0, 2.0) / (EPSILON + norms), rtol=1e-12)
    np.testing.assert_allclose(constraints.UnitNorm(axis=[0, 1])(w).numpy(),
                               w / (EPSILON + norms), rtol=1e-12)
    desired = 0.3 * np.clip(norms, 4.0, 5.0) + 0.7 * norms
    np.testing.assert_allclose(
        constraints.MinMaxNorm(4.0, 5.0, rate=0.3, axis=[0, 1])(w).numpy(),
        w * desired / (EPSILON + norms), rtol=1e-12)
    np.testing.assert_array_equal(constraints.NonNeg()(w).numpy(), np.maximum(w, 0))


def test_dtypes_and_variables():
    for constraint in (constraints.MaxNorm(), constraints.UnitNorm(), constraints.MinMaxNorm(),
                       constraints.NonNeg(), constraints.Constraint()):
        assert constraint(tf.constant(W.astype(np.float64))).dtype == tf.float64
        assert constraint(tf.Variable(W)).dtype == tf.float32


def test_max_norm_leaves_small_weights_alone():
    w = tf.constant([[0.3], [0.4]])
    np.testing.assert_allclose(constraints.MaxNorm(1.0)(w).numpy(), w.numpy(), rtol=1e-6)


def test_projections_are_differentiable():
    w = tf.constant(W)
    with tf.GradientTape() as tape:
        tape.watch(w)
        total = tf.reduce_sum(constraints.MaxNorm(2.0)(w))
    assert tape.gradient(total, w).shape == W.shape


@pytest.mark.parametrize("constraint, config", [
    # recorded from Keras 3.15
    (constraints.MaxNorm(), {"max_value": 2, "axis": 0}),
    (constraints.MinMaxNorm(), {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}),
    (constraints.UnitNorm(), {"axis": 0}),
    (constraints.NonNeg(), {}),
    (constraints.MaxNorm(3.0, axis=[0, 1]), {"max_value": 3.0, "axis": [0, 1]}),
])
def test_configs(constraint, config):
    assert constraint.get_config() == config
    restored = type(constraint).from_config(config)
    np.testing.assert_array_equal(restored(KERNEL).numpy(), constraint(KERNEL).numpy())
    serialized = constraints.serialize(constraint)
    assert serialized == {"module": "keras.constraints", "class_name": type(constraint).__name__,
                          "config": config, "registered_name": None}
    assert constraints.deserialize(serialized).get_config() == config


@pytest.mark.parametrize("name, cls", [
    ("max_norm", constraints.MaxNorm), ("MaxNorm", constraints.MaxNorm),
    ("min_max_norm", constraints.MinMaxNorm), ("MinMaxNorm", constraints.MinMaxNorm),
    ("non_neg", constraints.NonNeg), ("NonNeg", constraints.NonNeg),
    ("unit_norm", constraints.UnitNorm), ("UnitNorm", constraints.UnitNorm),
])
def test_get_by_name(name, cls):
    assert type(constraints.get(name)) is cls


def test_get_other_identifiers():
    assert constraints.get(None) is None
    assert type(constraints.get(constraints.NonNeg)) is constraints.NonNeg
    instance = constraints.MaxNorm(3)
    assert constraints.get(instance) is instance
    assert constraints.get(np.abs) is np.abs
    assert constraints.get({"class_name": "MaxNorm", "config": {"max_value": 3}}).max_value == 3
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.non_neg is constraints.NonNeg
    assert constraints.unit_norm is constraints.UnitNorm
    assert constraints.min_max_norm is constraints.MinMaxNorm


@pytest.mark.parametrize("identifier", ["nope", "nonneg", 3])  # "nonneg" fails in Keras 3.15
def test_get_rejects_unknown_identifiers(identifier):
    with pytest.raises(ValueError,
                       match=f"Could not interpret constraint identifier: {identifier}"):
        constraints.get(identifier)


def test_base_class():
    w = tf.constant(W)
    assert constraints.Constraint()(w) is w
    assert constraints.Constraint().get_config() == {}
    assert constraints.serialize(None) is None
