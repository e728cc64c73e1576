"""MelSpectrogram against Keras 3.15 (fixtures/layers/more_layers.*, written by
record_more_layers.py): values, shapes and configs."""

import json
import os

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras import layers

_DIR = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "layers")
with open(os.path.join(_DIR, "more_layers.json")) as _file:
    RECORDED = {case["name"]: case for case in json.load(_file)["mel_spectrogram"]}
_ARRAYS = np.load(os.path.join(_DIR, "more_layers.npz"))


@pytest.mark.parametrize("name", list(RECORDED))
def test_matches_keras(name):
    case = RECORDED[name]
    x, expected = _ARRAYS[f"{name}/x"], _ARRAYS[f"{name}/y"]
    layer = layers.MelSpectrogram(**case["kwargs"])
    y = layer(x)
    assert y.dtype == "float32" and tuple(y.shape) == expected.shape
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-4, atol=1e-3)  # decibels
    assert json.loads(json.dumps(layer.get_config())) == case["config"]
    assert tuple(layer.compute_output_shape(x.shape)) == expected.shape


def test_symbolic_shape_and_errors():
    y = layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)(
        keras.Input((160,)))
    assert y.shape == (None, 8, 11)
    with pytest.raises(ValueError, match="`fft_length` must be greater than or equal to"):
        layers.MelSpectrogram(fft_length=32, sequence_length=64)
