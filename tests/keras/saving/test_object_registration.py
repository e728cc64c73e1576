"""Tests for the custom-object registry and `serialize_keras_object` /
`deserialize_keras_object` (eagerflow/keras/saving/object_registration.py,
eagerflow/keras/serialization_lib.py)."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.saving import object_registration


@pytest.fixture(autouse=True)
def _clean_registry(monkeypatch):
    monkeypatch.setattr(object_registration, "_GLOBAL_CUSTOM_OBJECTS", {})
    monkeypatch.setattr(object_registration, "_GLOBAL_CUSTOM_NAMES", {})


def test_register_names_the_package_and_class():
    @keras.saving.register_keras_serializable(package="my")
    class Twice(keras.layers.Layer):
        def call(self, x):
            return 2 * x

    @keras.saving.register_keras_serializable()
    def halve(x):
        return x / 2

    @keras.saving.register_keras_serializable(package="pkg", name="renamed")
    def other(x):
        return x

    # recorded from Keras 3.15
    assert keras.saving.get_registered_name(Twice) == "my>Twice"
    assert keras.saving.get_registered_name(halve) == "Custom>halve"
    assert keras.saving.get_registered_name(other) == "pkg>renamed"
    assert keras.saving.get_registered_object("my>Twice") is Twice
    assert keras.saving.get_custom_objects() == {"my>Twice": Twice, "Custom>halve": halve,
                                                 "pkg>renamed": other}
    for name in ("CustomObjectScope", "custom_object_scope", "get_custom_objects",
                 "get_registered_name", "get_registered_object",
                 "register_keras_serializable"):
        assert getattr(keras.utils, name) is getattr(keras.saving, name)


def test_unregistered_names_are_their_own():
    def plain(x):
        return x
    assert keras.saving.get_registered_name(plain) == "plain"
    assert keras.saving.get_registered_object("plain") is None
    assert keras.saving.get_registered_object("plain", custom_objects={"plain": plain}) \
        is plain
    assert keras.saving.get_registered_object("x", module_objects={"x": plain}) is plain


def test_register_refuses_a_class_without_get_config():
    class NoConfig:
        pass
    with pytest.raises(ValueError, match="Cannot register a class that does not have a "
                                         "get_config"):
        keras.saving.register_keras_serializable()(NoConfig)


def test_custom_object_scopes_nest_and_end():
    def first(x):
        return x

    def second(x):
        return x

    with keras.utils.custom_object_scope({"f": first}):
        with keras.saving.CustomObjectScope({"g": second}, {"f": second}):
            assert keras.saving.get_registered_object("f") is second
            assert keras.saving.get_registered_object("g") is second
        assert keras.saving.get_registered_object("f") is first
        assert keras.saving.get_registered_object("g") is None
    assert keras.saving.get_registered_object("f") is None
    with pytest.raises(TypeError, match="must be dicts"):
        keras.saving.CustomObjectScope(["f"])


def test_custom_layer_round_trips_through_the_registry():
    @keras.saving.register_keras_serializable(package="my")
    class Shift(keras.layers.Layer):
        def __init__(self, amount=1.0, **kwargs):
            super().__init__(**kwargs)
            self.amount = amount

        def call(self, x):
            return x + self.amount

        def get_config(self):
            return {**super().get_config(), "amount": self.amount}

    config = keras.saving.serialize_keras_object(Shift(2.5, name="shift"))
    assert (config["class_name"], config["registered_name"]) == ("Shift", "my>Shift")
    layer = keras.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert type(layer) is Shift and layer.amount == 2.5 and layer.name == "shift"


def test_registered_function_as_activation_round_trips():
    @keras.saving.register_keras_serializable(package="acts")
    def doubled(x):
        return 2.0 * x

    config = keras.layers.Dense(2, activation=doubled).get_config()
    # recorded from Keras 3.15
    assert config["activation"] == {"module": "builtins", "class_name": "function",
                                    "config": "acts>doubled", "registered_name": "function"}
    assert keras.layers.Dense.from_config(config).activation is doubled


# --- serialize / deserialize any object ----------------------------------------------------

def test_plain_values_and_containers():
    value = {"a": 1, "b": [1.5, None, "s"], "c": (1, 2), "d": True}
    assert keras.saving.serialize_keras_object(value) == value
    assert keras.saving.deserialize_keras_object(value) == {**value, "c": [1, 2]}
    assert keras.saving.serialize_keras_object(np.float32(3.0)) == 3.0
    assert keras.saving.deserialize_keras_object("relu") == "relu"


def test_arrays_and_tensors():
    # recorded from Keras 3.15
    config = keras.saving.serialize_keras_object(np.arange(3))
    assert config == {"class_name": "__numpy__",
                      "config": {"value": [0, 1, 2], "dtype": "int64"}}
    array = keras.saving.deserialize_keras_object(config)
    assert array.dtype == np.int64 and array.tolist() == [0, 1, 2]
    config = keras.saving.serialize_keras_object(tf.constant([[1.0, 2.0]]))
    tensor = keras.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert tensor.dtype == tf.float32 and tensor.numpy().tolist() == [[1.0, 2.0]]


def test_functions_by_name():
    # recorded from Keras 3.15
    config = keras.saving.serialize_keras_object(keras.losses.mean_squared_error)
    assert config == {"module": "builtins", "class_name": "function",
                      "config": "mean_squared_error", "registered_name": "function"}
    assert keras.saving.deserialize_keras_object(config) is keras.losses.mean_squared_error
    relu = keras.saving.deserialize_keras_object(
        {"class_name": "function", "config": "relu", "module": "keras.activations",
         "registered_name": None})
    assert relu is keras.activations.relu


@pytest.mark.parametrize("obj", [
    keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9),
    keras.regularizers.L2(0.1), keras.initializers.HeNormal(), keras.constraints.MaxNorm(),
    keras.losses.Huber(delta=2.0), keras.metrics.AUC(num_thresholds=20),
    keras.optimizers.Adam(0.5)], ids=lambda obj: type(obj).__name__)
def test_keras_objects_carry_keras_modules(obj):
    config = keras.saving.serialize_keras_object(obj)
    module = {"ExponentialDecay": "keras.optimizers.schedules", "L2": "keras.regularizers",
              "HeNormal": "keras.initializers", "MaxNorm": "keras.constraints",
              "Huber": "keras.losses", "AUC": "keras.metrics",
              "Adam": "keras.optimizers"}[type(obj).__name__]
    assert (config["module"], config["registered_name"]) == (module, None)
    restored = keras.saving.deserialize_keras_object(config)
    assert type(restored) is type(obj)
    assert restored.get_config() == obj.get_config()


def test_unknown_class_names_the_class():
    config = {"module": "x", "class_name": "Foo", "config": {}, "registered_name": "Bar>Foo"}
    with pytest.raises(TypeError) as info:
        keras.saving.deserialize_keras_object(config)
    # recorded from Keras 3.15
    assert str(info.value) == (
        "Could not locate class 'Foo'. Make sure custom classes and functions are decorated "
        "with `@keras.saving.register_keras_serializable()`. If they are already decorated, "
        "make sure they are all imported so that the decorator is run before trying to load "
        "them. Full object config: {'module': 'x', 'class_name': 'Foo', 'config': {}, "
        "'registered_name': 'Bar>Foo'}")


def test_object_without_get_config_is_refused():
    with pytest.raises(TypeError, match="must implement the `get_config\\(\\)` method"):
        keras.saving.serialize_keras_object(object())
