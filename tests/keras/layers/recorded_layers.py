"""Layer cases recorded from Keras 3.15 under fixtures/layers/ (each `<fixture>.json` and
`<fixture>.npz` written by its record_*.py script): one loader for them all, and the
convolution, pooling and reshaping cases (spatial_layers.*, written by
record_spatial_layers.py) with the check that an eagerflow layer reproduces one: weight
names and shapes, output values, config."""

import functools
import json
import os

import numpy as np

from eagerflow import keras

_DIR = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "layers")


def load_record(fixture):
    """The JSON record `fixtures/layers/<fixture>.json` (a fresh copy: tests may edit it)."""
    with open(os.path.join(_DIR, fixture + ".json")) as file:
        return json.load(file)


def recorded_cases(fixture, section="cases"):
    """The cases of one `section` of a fixture's record, by name."""
    return {case["name"]: case for case in load_record(fixture)[section]}


@functools.lru_cache(maxsize=None)
def load_arrays(fixture):
    """The arrays `fixtures/layers/<fixture>.npz`, opened once."""
    return np.load(os.path.join(_DIR, fixture + ".npz"))


def recorded_arrays(fixture, prefix):
    """A fixture's arrays whose keys start with `prefix/`, by the rest of their key."""
    stored = load_arrays(fixture)
    prefix += "/"
    return {key[len(prefix):]: stored[key] for key in stored.files if key.startswith(prefix)}


RECORDED = recorded_cases("spatial_layers")


def case_names(*class_names):
    """The recorded cases of the given layer classes."""
    return [name for name, case in RECORDED.items() if case["class_name"] in class_names]


def arrays(name):
    """The case's input `x`, output `y` and weights `w0`, `w1`, ..."""
    return recorded_arrays("spatial_layers", name)


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
