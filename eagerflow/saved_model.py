"""`tf.saved_model`: save an object with its variables and traced tf.functions to a
directory, and load it back without its Python code."""

from eagerflow.saving.saved_model import load, save  # noqa: F401
