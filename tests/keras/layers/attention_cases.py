"""The attention and EinsumDense cases recorded from Keras 3.15
(fixtures/layers/attention_layers.*, written by record_attention.py), run on eagerflow."""

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.layers.layer import set_keras_mask
from tests.keras.layers.recorded_layers import load_arrays, recorded_cases

RECORDED = recorded_cases("attention_layers")
_ARRAYS = load_arrays("attention_layers")


def case_names(*class_names):
    return [name for name, case in RECORDED.items() if case["class_name"] in class_names]


def array(name, key):
    return _ARRAYS[f"{name}/{key}"]


def recorded_weights(name):
    return [array(name, f"w{i}") for i in range(len(RECORDED[name]["weight_names"]))]


def make_layer(name):
    case = RECORDED[name]
    return getattr(keras.layers, case["class_name"])(**case["kwargs"])


def _tensor(name, array_name, convert=tf.constant):
    x = convert(array(name, array_name))
    mask_name = RECORDED[name]["masks"].get(array_name)
    if mask_name is not None:
        set_keras_mask(x, tf.constant(array(name, mask_name)))
    return x


def call_arguments(name, convert=tf.constant):
    """The case's call as `(args, kwargs)`, with its tensors made by `convert` (and the
    recorded Keras masks attached)."""
    case = RECORDED[name]
    kwargs = dict(case["call_kwargs"])
    for argument, names in case["tensors"].items():
        if argument == "inputs" and isinstance(names, list):
            kwargs[argument] = [_tensor(name, n, convert) for n in names]
        elif isinstance(names, list):
            kwargs[argument] = [tf.constant(array(name, n)) for n in names]
        else:
            kwargs[argument] = _tensor(name, names, convert)
    if "inputs" in kwargs:
        return (kwargs.pop("inputs"),), kwargs
    return (), kwargs
