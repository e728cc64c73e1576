"""Tests of eagerflow/keras/regularizers.py: penalties against NumPy and Keras 3.15's
values, gradients, defaults, configs and lookup."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import regularizers
from tests.gradient_check import check_gradients

W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, -1.0]], np.float32)


def orthogonal_penalty(x, factor, mode):
    """NumPy reference: factor * mean |cos| over distinct pairs of rows (or columns)."""
    vectors = x if mode == "rows" else x.T
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-7)
    cosines = unit @ unit.T
    size = len(vectors)
    off_diagonal = np.abs(cosines[~np.eye(size, dtype=bool)]).sum() / 2
    return factor * off_diagonal / (size * (size - 1) / 2)


@pytest.mark.parametrize("regularizer, expected", [
    # recorded from Keras 3.15
    (regularizers.L1(0.3), 4.8),
    (regularizers.L2(0.2), 11.2),
    (regularizers.L1L2(0.3, 0.2), 16.0),
    (regularizers.OrthogonalRegularizer(0.5), 0.2797405),
    (regularizers.OrthogonalRegularizer(0.5, mode="columns"), 0.165985),
])
def test_matches_keras(regularizer, expected):
    penalty = regularizer(tf.constant(W))
    assert penalty.dtype == tf.float32 and penalty.shape == ()
    assert float(penalty) == pytest.approx(expected, rel=1e-6)


def test_matches_numpy(rng):
    x = rng.standard_normal((5, 3))
    assert float(regularizers.L1(0.3)(x)) == pytest.approx(0.3 * np.abs(x).sum(), rel=1e-12)
    assert float(regularizers.L2(0.2)(x)) == pytest.approx(0.2 * (x ** 2).sum(), rel=1e-12)
    assert float(regularizers.L1L2(0.3, 0.2)(x)) == pytest.approx(
        0.3 * np.abs(x).sum() + 0.2 * (x ** 2).sum(), rel=1e-12)
    for mode in ("rows", "columns"):
        assert float(regularizers.OrthogonalRegularizer(0.7, mode)(x)) == pytest.approx(
            orthogonal_penalty(x, 0.7, mode), rel=1e-10)


def test_a_zero_row_counts_as_orthogonal():
    x = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, -1.0]], np.float32)
    # recorded from Keras 3.15
    assert float(regularizers.OrthogonalRegularizer(1.0)(x)) == pytest.approx(0.04714045,
                                                                               rel=1e-6)


def test_dtypes_and_variables():
    x64 = tf.constant(W.astype(np.float64))
    for regularizer in (regularizers.L1(), regularizers.L2(), regularizers.L1L2(0.1, 0.1),
                        regularizers.L1L2(), regularizers.OrthogonalRegularizer()):
        assert regularizer(x64).dtype == tf.float64
        assert regularizer(tf.Variable(W)).dtype == tf.float32
    assert float(regularizers.L1L2()(W)) == 0.0


@pytest.mark.parametrize("regularizer", [
    regularizers.L1(0.3), regularizers.L2(0.2), regularizers.L1L2(0.3, 0.2),
    regularizers.OrthogonalRegularizer(0.5), regularizers.OrthogonalRegularizer(0.5, "columns"),
])
def test_gradients(regularizer, rng):
    x = rng.uniform(0.2, 1.0, (4, 3)) * rng.choice([-1.0, 1.0], (4, 3))
    check_gradients(regularizer, x, order=1)


def test_defaults():
    assert regularizers.L1().l1 == 0.01
    assert regularizers.L2().l2 == 0.01
    assert (regularizers.L1L2().l1, regularizers.L1L2().l2) == (0.0, 0.0)
    assert regularizers.L1(None).l1 == 0.01
    assert regularizers.L1L2(l1=None, l2=0.1).get_config() == {"l1": 0.0, "l2": 0.1}


@pytest.mark.parametrize("regularizer, config", [
    (regularizers.L1(), {"l1": 0.01}),  # Keras 3.15 stores 0.009999999776482582 (float32)
    (regularizers.L2(), {"l2": 0.01}),
    (regularizers.L1L2(), {"l1": 0.0, "l2": 0.0}),
    (regularizers.L1L2(0.5, 2), {"l1": 0.5, "l2": 2.0}),
    (regularizers.OrthogonalRegularizer(), {"factor": 0.01, "mode": "rows"}),
])
def test_configs(regularizer, config):
    assert regularizer.get_config() == config
    restored = type(regularizer).from_config(config)
    assert float(restored(W)) == float(regularizer(W))
    serialized = regularizers.serialize(regularizer)
    assert serialized == {"module": "keras.regularizers",
                          "class_name": type(regularizer).__name__, "config": config,
                          "registered_name": None}
    assert regularizers.deserialize(serialized).get_config() == config


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), "a"])
def test_invalid_factors(value):
    with pytest.raises(ValueError, match=f"Invalid value for argument l1: expected a "
                                         f"non-negative float.Received: l1={value}"):
        regularizers.L1(value)


def test_orthogonal_argument_errors():
    with pytest.raises(ValueError, match=r'Invalid value for argument `mode`. Expected one of '
                                         r'\{"rows", "columns"\}. Received: mode=x'):
        regularizers.OrthogonalRegularizer(mode="x")
    with pytest.raises(ValueError, match=r"Inputs to OrthogonalRegularizer must have rank 2. "
                                         r"Received: inputs.shape=\(3,\)"):
        regularizers.OrthogonalRegularizer()(np.ones(3, np.float32))


@pytest.mark.parametrize("name, cls", [
    ("l1", regularizers.L1), ("L1", regularizers.L1), ("l2", regularizers.L2),
    ("L2", regularizers.L2), ("L1L2", regularizers.L1L2), ("l1l2", regularizers.L1L2),
    ("orthogonal_regularizer", regularizers.OrthogonalRegularizer),
    ("OrthogonalRegularizer", regularizers.OrthogonalRegularizer),
])
def test_get_by_name(name, cls):
    assert type(regularizers.get(name)) is cls


def test_get_other_identifiers():
    assert regularizers.get(None) is None
    assert type(regularizers.get(regularizers.L2)) is regularizers.L2
    instance = regularizers.L2(0.5)
    assert regularizers.get(instance) is instance
    assert regularizers.get(np.sum) is np.sum
    config = {"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.2}}
    assert regularizers.get(config).get_config() == {"l1": 0.1, "l2": 0.2}
    assert regularizers.l1_l2 is regularizers.L1L2 and regularizers.l2 is regularizers.L2


@pytest.mark.parametrize("identifier", ["nope", "l1_l2", 3])  # "l1_l2" fails in Keras 3.15 too
def test_get_rejects_unknown_identifiers(identifier):
    with pytest.raises(ValueError,
                       match=f"Could not interpret regularizer identifier: {identifier}"):
        regularizers.get(identifier)


def test_base_class():
    assert regularizers.Regularizer()(W) == 0.0
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        regularizers.Regularizer().get_config()
    assert regularizers.serialize(None) is None
