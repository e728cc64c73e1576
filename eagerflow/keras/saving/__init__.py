"""`keras.saving`: Keras 3's `.keras` model files and weights files, and the registry of
custom objects."""

from eagerflow.keras.saving.object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    get_registered_object, register_keras_serializable)
from eagerflow.keras.saving.saving_api import load_model, save_model  # noqa: F401
from eagerflow.keras.saving.weights_file import load_weights, save_weights  # noqa: F401


_FROM_SERIALIZATION_LIB = ("serialize_keras_object", "deserialize_keras_object")


def __getattr__(name):
    # serialization_lib imports this package, so its functions are looked up on first use.
    if name in _FROM_SERIALIZATION_LIB:
        from eagerflow.keras import serialization_lib
        return getattr(serialization_lib, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
