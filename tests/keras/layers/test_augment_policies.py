"""RandAugment and AugMix: configs as Keras 3.15 writes them, and properties of their
random operations (their draws cannot match Keras's)."""

import numpy as np
import pytest

from eagerflow.keras import layers
from eagerflow.keras.layers.preprocessing.augment_policies import (
    _COLOR_OPS, _STRUCTURE_OPS, _operations)

BASE = {"name": None, "trainable": True, "data_format": "channels_last"}


def _config(layer):
    config = layer.get_config()
    config.pop("dtype")
    config["name"] = None
    return config


def test_configs_as_keras_writes_them():
    # recorded from Keras 3.15: RandAugment().get_config() and AugMix().get_config()
    assert _config(layers.RandAugment()) == {
        **BASE, "value_range": (0, 255), "num_ops": 2, "factor": (0, 0.5),
        "interpolation": "bilinear", "seed": None}
    assert _config(layers.AugMix()) == {
        **BASE, "value_range": (0, 255), "num_chains": 3, "chain_depth": 3,
        "factor": (0, 0.3), "alpha": 1.0, "all_ops": True, "interpolation": "bilinear",
        "seed": None}


@pytest.mark.parametrize("name", _STRUCTURE_OPS + _COLOR_OPS)
def test_every_operation_keeps_shape_and_range(name):
    (operation,) = _operations([name], (0, 0.5), (0, 255), "bilinear", seed=1)
    x = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
    y = operation.transform(x, training=True).numpy()
    assert y.shape == x.shape and np.isfinite(y).all()
    assert y.min() >= -1e-3 and y.max() <= 255.0 + 1e-3


@pytest.mark.parametrize("cls, kwargs", [
    (layers.RandAugment, {"num_ops": 3}), (layers.AugMix, {"all_ops": False}),
    (layers.AugMix, {"num_chains": 2, "chain_depth": 2, "alpha": 0.5})])
def test_policies_augment_in_training_only_and_reproducibly(cls, kwargs):
    x = np.random.default_rng(1).uniform(0, 255, (3, 10, 10, 3)).astype("float32")
    layer = cls(seed=5, **kwargs)
    y = layer(x).numpy()
    assert y.shape == x.shape and y.min() >= 0.0 and y.max() <= 255.0
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    np.testing.assert_allclose(cls(seed=5, **kwargs)(x).numpy(), y, rtol=1e-5, atol=1e-3)
    changed = [not np.allclose(cls(seed=s, **kwargs)(x).numpy(), x) for s in range(4)]
    assert any(changed)
