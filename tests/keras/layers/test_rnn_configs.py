"""Configs and weight paths of the recurrent layers, Embedding and Masking, against those
recorded from Keras 3.15 (fixtures/layers/rnn_configs.json, by record_rnn.py)."""

import json
import re

import pytest

from eagerflow import keras
from tests.keras.layers.recorded_layers import load_record
from tests.keras.layers.rnn_cases import CONFIG_CASES, INPUT_SHAPE, build_layer

RECORDED = load_record("rnn_configs")


def _normalized(value):
    """JSON's view (tuples as lists), with auto-numbered stacked-cell names unnumbered."""
    text = json.dumps(value, sort_keys=True)
    return json.loads(re.sub(r"stacked_rnn_cells(_\d+)?", "stacked_rnn_cells", text))


def _built(spec):
    keras.backend.clear_session()
    layer = build_layer(keras.layers, spec)
    layer.build(INPUT_SHAPE[:2] if spec[0] == "Embedding" else INPUT_SHAPE)
    return layer


@pytest.mark.parametrize("name", sorted(CONFIG_CASES))
def test_config_matches_keras(name):
    layer = _built(CONFIG_CASES[name])
    assert _normalized(layer.get_config()) == _normalized(RECORDED[name]["config"])


@pytest.mark.parametrize("name", sorted(CONFIG_CASES))
def test_weight_paths_and_shapes_match_keras(name):
    layer = _built(CONFIG_CASES[name])
    paths = [[w.path, list(w.shape)] for w in layer.weights]
    assert _normalized(paths) == _normalized(RECORDED[name]["weights"])


@pytest.mark.parametrize("name", sorted(CONFIG_CASES))
def test_config_round_trip(name):
    layer = _built(CONFIG_CASES[name])
    config = layer.get_config()
    twin = type(layer).from_config(json.loads(json.dumps(config)))
    twin.build(INPUT_SHAPE[:2] if name == "embedding" else INPUT_SHAPE)
    assert _normalized(twin.get_config()) == _normalized(config)
