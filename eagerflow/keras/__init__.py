"""Keras 3 on eagerflow: `from eagerflow import keras`, as `tf.keras` is in TensorFlow."""

from eagerflow.keras import (  # noqa: F401
    activations, backend, callbacks, constraints, initializers, layers, losses, metrics,
    models, optimizers, preprocessing, regularizers, utils)
from eagerflow.keras import datasets  # noqa: F401
from eagerflow.keras import config, saving  # noqa: F401
from eagerflow.keras import mixed_precision, ops, random  # noqa: F401
from eagerflow.keras import export  # noqa: F401
from eagerflow.keras.mixed_precision import DTypePolicy  # noqa: F401
from eagerflow.keras.layers import Input, Layer  # noqa: F401
from eagerflow.keras.models import Model, Sequential  # noqa: F401
from eagerflow.keras.variables import Variable  # noqa: F401
