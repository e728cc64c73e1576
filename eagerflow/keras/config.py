"""`keras.config`: global settings (float type, epsilon, image data format, dtype policy,
interactive logging) and safe mode for deserialization.

>>> from eagerflow import keras
>>> keras.config.backend(), keras.config.floatx()
('tensorflow', 'float32')
"""

from eagerflow.keras.backend import (  # noqa: F401
    backend, epsilon, floatx, image_data_format, is_interactive_logging_enabled, set_epsilon,
    set_floatx, set_image_data_format)
from eagerflow.keras.mixed_precision import dtype_policy, set_dtype_policy  # noqa: F401
from eagerflow.keras.serialization_lib import enable_unsafe_deserialization  # noqa: F401
from eagerflow.keras import backend as _backend

_flags = {"traceback_filtering": True, "flash_attention": None}


def enable_interactive_logging():
    """Progress bars and messages go to stdout (the default)."""
    _backend.set_interactive_logging(True)


def disable_interactive_logging():
    """Progress bars and messages go to Python's `logging` ("keras" logger) instead of
    stdout, as for a job whose output is a log file."""
    _backend.set_interactive_logging(False)


def set_backend(backend):
    """eagerflow is Keras on TensorFlow's API: "tensorflow" is the only backend."""
    if backend != "tensorflow":
        raise ValueError(f"eagerflow provides only the 'tensorflow' backend. Received: "
                         f"backend={backend}")


def enable_traceback_filtering():
    _flags["traceback_filtering"] = True


def disable_traceback_filtering():
    _flags["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    """Kept for Keras's API; eagerflow's tracebacks are not filtered either way."""
    return _flags["traceback_filtering"]


def enable_flash_attention():
    raise ValueError("Flash attention is not supported by eagerflow (it needs a GPU kernel).")


def disable_flash_attention():
    _flags["flash_attention"] = False


def is_flash_attention_enabled():
    return _flags["flash_attention"]
