"""The convolution, pooling and reshaping layer cases recorded from Keras 3.15
(fixtures/layers/spatial_layers.*, written by record_spatial_layers.py), and the check that
an eagerflow layer reproduces one: weight names and shapes, output values, config."""

import json
import os

import numpy as np

from eagerflow import keras

_DIR = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "layers")
with open(os.path.join(_DIR, "spatial_layers.json")) as _file:
    RECORDED = {case["name"]: case for case in json.load(_file)["cases"]}
_ARRAYS = np.load(os.path.join(_DIR, "spatial_layers.npz"))


def case_names(*class_names):
    """The recorded cases of the given layer classes."""
    return [name for name, case in RECORDED.items() if case["class_name"] in class_names]


def arrays(name):
    """The case's input `x`, output `y` and weights `w0`, `w1`, ..."""
    prefix = name + "/"
    return {key[len(prefix):]: _ARRAYS[key] for key in _ARRAYS.files if key.startswith(prefix)}


def weights_of(data):
    return [data[f"w{i}"] for i in range(sum(key.startswith("w") for key in data))]


def _jsonable(config):
    return json.loads(json.dumps(config, default=list))


def make_layer(name):
    case = RECORDED[name]
    return getattr(keras.layers, case["class_name"])(**case["kwargs"])


def check_recorded(name, rtol=1e-5, atol=1e-5):
    """Builds the case's layer, gives it the recorded weights and checks its output, its
    weights' names and shapes and its config against Keras's; returns the layer."""
    case, data = RECORDED[name], arrays(name)
    keras.backend.clear_session()
    layer = make_layer(name)
    layer(data["x"])
    assert [w.path for w in layer.weights] == case["weight_names"]
    assert [list(w.shape) for w in layer.weights] == case["weight_shapes"]
    layer.set_weights(weights_of(data))
    y = layer(data["x"])
    assert y.dtype == "float32"
    assert tuple(y.shape) == data["y"].shape
    np.testing.assert_allclose(y.numpy(), data["y"], rtol=rtol, atol=atol)
    config = _jsonable(layer.get_config())
    assert config == case["config"]
    assert list(config) == list(case["config"])  # in Keras's order, as config.json shows
    return layer
