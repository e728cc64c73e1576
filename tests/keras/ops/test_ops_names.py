"""Every public name of Keras 3.15's keras.ops (and its nn, linalg, image and numpy
namespaces), recorded from Keras into keras_ops_names.json, exists in eagerflow."""

import inspect
import json
import os

import pytest

from eagerflow.keras import ops

with open(os.path.join(os.path.dirname(__file__), "keras_ops_names.json")) as f:
    NAMES = json.load(f)

# Names not built yet (none now). The test fails if one appears without being removed
# from this set, or if any other name goes missing.
NOT_YET = {}


@pytest.mark.parametrize("namespace", sorted(NAMES))
def test_every_keras_name_exists(namespace):
    module = ops if namespace == "ops" else getattr(ops, namespace)
    missing = {name for name in NAMES[namespace] if not hasattr(module, name)}
    assert missing == NOT_YET.get(namespace, set())


def test_namespaces_hold_the_same_functions():
    assert ops.matmul is ops.numpy.matmul
    assert ops.relu is ops.nn.relu
    assert ops.solve is ops.linalg.solve
    assert not hasattr(ops, "resize")  # image ops live only under ops.image, as in Keras


with open(os.path.join(os.path.dirname(__file__), "keras_ops_signatures.json")) as f:
    SIGNATURES = json.load(f)


def _parameters(function):
    return [[p.name, repr(p.default) if p.default is not p.empty else None, str(p.kind)]
            for p in inspect.signature(function).parameters.values()]


def test_argument_names_and_defaults_are_keras_s():
    differences = {}
    for key, expected in SIGNATURES.items():
        namespace, name = key.split(".")
        module = ops if namespace == "ops" else getattr(ops, namespace)
        function = getattr(module, name, None)
        if function is None:
            continue  # test_every_keras_name_exists reports these
        if _parameters(function) != expected:
            differences[key] = (_parameters(function), expected)
    assert differences == {}
