"""`keras.models`."""

from eagerflow.keras.models.functional import Functional  # noqa: F401
from eagerflow.keras.models.model import Model  # noqa: F401
from eagerflow.keras.models.sequential import Sequential  # noqa: F401
from eagerflow.keras.saving.saving_api import load_model, save_model  # noqa: F401


def model_from_json(json_string, custom_objects=None):
    """The model (uncompiled) that `model.to_json()` describes."""
    import json
    from eagerflow.keras.serialization_lib import deserialize_keras_object
    return deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)
