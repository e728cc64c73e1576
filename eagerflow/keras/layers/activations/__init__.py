"""Activation layers with arguments or weights: `ReLU`, `LeakyReLU`, `PReLU`, `ELU`,
`Softmax` (`Activation` itself is in layers/activation.py)."""

from eagerflow.keras.layers.activations.relu import ELU, LeakyReLU, PReLU, ReLU  # noqa: F401
from eagerflow.keras.layers.activations.softmax import Softmax  # noqa: F401
