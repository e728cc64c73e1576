"""`keras.saving`: Keras 3's weights file."""

from eagerflow.keras.saving.weights_file import load_weights, save_weights
