"""`keras.preprocessing.sequence`."""

from eagerflow.keras.utils.sequence_utils import pad_sequences  # noqa: F401
