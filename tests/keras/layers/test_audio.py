"""MelSpectrogram against Keras 3.15 (fixtures/layers/more_layers.*, written by
record_more_layers.py): values, shapes and configs."""

import json

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras import layers
from tests.keras.layers.recorded_layers import recorded_arrays, recorded_cases

RECORDED = recorded_cases("more_layers", "mel_spectrogram")


@pytest.mark.parametrize("name", list(RECORDED))
def test_matches_keras(name):
    case = RECORDED[name]
    data = recorded_arrays("more_layers", name)
    x, expected = data["x"], data["y"]
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
