"""Every layer, loss, metric, optimizer, initializer, regularizer, constraint and learning
rate schedule survives `serialize_keras_object` -> JSON -> `deserialize_keras_object` with
the same config. Classes are found by walking the public modules, so new ones are covered
as they are added; a required constructor argument takes its value from `SAMPLE_ARGUMENTS`.
"""

import inspect
import json

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras.optimizers import schedules

# A value for each required constructor argument, by argument name.
SAMPLE_ARGUMENTS = {
    "units": 3, "rate": 0.25, "target_shape": (2, 3), "activation": "relu",
    "function": lambda: keras.activations.relu, "axes": 1, "filters": 2, "kernel_size": 3,
    "pool_size": 2,
    "dims": (2, 1), "n": 2, "size": 2, "cropping": 1, "padding": 1, "axis": -1,
    "input_dim": 5, "output_dim": 2, "num_heads": 2, "key_dim": 4, "depth_multiplier": 1,
    "data_format": "channels_last", "height": 4, "width": 4, "factor": 0.1, "scale": 2.0,
    "offset": 0.0, "max_tokens": 10, "num_tokens": 4, "bins": 3, "mean": 0.0,
    "variance": 1.0, "stddev": 0.1, "shape": (3,), "l1": 0.01, "l2": 0.01,
    "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
    "first_decay_steps": 10, "boundaries": [10, 20], "values": [0.1, 0.01, 0.001],
    "learning_rate": 0.01, "value": 0.5, "specificity": 0.5, "sensitivity": 0.5,
    "recall": 0.5, "precision": 0.5, "fn": lambda: keras.losses.mean_squared_error,
    "num_classes": 3, "return_sequences": False, "layer": lambda: keras.layers.Dense(2),
    "cell": lambda: keras.layers.SimpleRNNCell(2),
    "cells": lambda: [keras.layers.SimpleRNNCell(2), keras.layers.SimpleRNNCell(3)],
    "epsilon": 1e-3, "momentum": 0.9, "num_bins": 4, "output_mode": "int",
    "vocabulary": ["a", "b"], "sequence_length": 4, "crop_to_aspect_ratio": False,
    "interpolation": "bilinear", "thresholds": 0.5, "target_class_ids": [0],
    "num_thresholds": 10, "height_factor": 0.1, "width_factor": 0.1, "target_size": (4, 4),
    "units_per_head": 2, "groups": 1, "mode": "horizontal", "value_range": (0, 255),
    "equation": "ab,bc->ac", "output_shape": 3,
    "output_size": 2, "head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1,
    "layers": lambda: [keras.layers.Rescaling(2.0), keras.layers.Rescaling(1.0, offset=1.0)],
}

_BASES = [(keras.layers, keras.layers.Layer), (keras.losses, keras.losses.Loss),
          (keras.metrics, keras.metrics.Metric),
          (keras.optimizers, keras.optimizers.Optimizer),
          (keras.initializers, keras.initializers.Initializer),
          (keras.regularizers, keras.regularizers.Regularizer),
          (keras.constraints, keras.constraints.Constraint),
          (schedules, schedules.LearningRateSchedule)]
# Base classes that are exported but not meant to be made directly, and models (their
# configs are tested with whole-model files).
_SKIPPED = {"Layer", "Loss", "Metric", "Optimizer", "Initializer", "Regularizer",
            "Constraint", "LearningRateSchedule", "LossFunctionWrapper", "MeanMetricWrapper",
            "Reduce", "Model", "Sequential", "Functional", "InputSpec", "Wrapper", "RNN",
            "Bidirectional", "TimeDistributed", "RandomInitializer"}


def _public_classes():
    found = {}
    for module, base in _BASES:
        for name, obj in sorted(vars(module).items()):
            if inspect.isclass(obj) and issubclass(obj, base) and not name.startswith("_") \
                    and name not in _SKIPPED and obj.__module__.startswith("eagerflow."):
                found.setdefault(f"{module.__name__.split('.')[-1]}.{name}", obj)
    return found


CLASSES = _public_classes()


def _sample(name, parameter):
    if name not in SAMPLE_ARGUMENTS:
        pytest.fail(f"Add a sample value for the required argument `{name}` to "
                    f"SAMPLE_ARGUMENTS in {__file__}.")
    value = SAMPLE_ARGUMENTS[name]
    return value() if callable(value) else value  # objects are made fresh for each test


# Arguments that are optional in the signature but required in fact.
_EXTRA_ARGUMENTS = {"InputLayer": {"shape": (3,)}, "CategoryEncoding": {"num_tokens": 4},
                    "Discretization": {"num_bins": 4},
                    "GroupNormalization": {"groups": 2},  # the default, 32, fits no input
                    "RandomPosterization": {"factor": 3},  # bits, in [1, 8]
                    "MelSpectrogram": {"fft_length": 4, "sequence_stride": 2,
                                       "num_mel_bins": 3}}  # frames of short inputs


def _make(cls):
    arguments = dict(_EXTRA_ARGUMENTS.get(cls.__name__, {}))
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL,
                                               parameter.VAR_KEYWORD):
            continue
        if parameter.default is inspect.Parameter.empty and name not in arguments:
            arguments[name] = _sample(name, parameter)
    return cls(**arguments)


def _as_json(value):
    """`value` as it reads back from JSON (tuples become lists)."""
    return json.loads(json.dumps(value))


def test_the_walk_finds_every_kind_of_object():
    kinds = {key.split(".")[0] for key in CLASSES}
    assert kinds == {"layers", "losses", "metrics", "optimizers", "initializers",
                     "regularizers", "constraints", "schedules"}
    assert {"layers.Dense", "losses.Huber", "metrics.AUC", "optimizers.Adam",
            "initializers.Orthogonal", "regularizers.L1L2", "constraints.MaxNorm",
            "schedules.CosineDecay"} <= set(CLASSES)


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_config_round_trip(key):
    cls = CLASSES[key]
    obj = _make(cls)
    config = keras.saving.serialize_keras_object(obj)
    assert config["class_name"] == cls.__name__
    text = json.dumps(config)  # every config is plain JSON
    restored = keras.saving.deserialize_keras_object(json.loads(text))
    assert type(restored) is cls
    assert _as_json(keras.saving.serialize_keras_object(restored)) == _as_json(config)


def test_round_trip_keeps_non_default_arguments():
    dense = keras.layers.Dense(4, activation="tanh", use_bias=False,
                               kernel_regularizer=keras.regularizers.L2(0.5),
                               kernel_constraint=keras.constraints.MaxNorm(3),
                               kernel_initializer=keras.initializers.Orthogonal(gain=2.0))
    restored = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(dense))))
    assert (restored.units, restored.use_bias) == (4, False)
    assert restored.activation is keras.activations.tanh
    assert restored.kernel_regularizer.l2 == pytest.approx(0.5)
    assert restored.kernel_constraint.max_value == 3
    assert restored.kernel_initializer.gain == 2.0
    schedule = schedules.PiecewiseConstantDecay([5], [1.0, 0.5])
    optimizer = keras.optimizers.SGD(learning_rate=schedule, momentum=0.5, nesterov=True)
    restored = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(optimizer))))
    assert (restored.momentum, restored.nesterov) == (0.5, True)
    assert np.isclose(float(restored.learning_rate), 1.0)
