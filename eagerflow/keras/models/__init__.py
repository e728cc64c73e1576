"""`keras.models`."""

from eagerflow.keras.models.functional import Functional  # noqa: F401
from eagerflow.keras.models.model import Model  # noqa: F401
from eagerflow.keras.models.sequential import Sequential  # noqa: F401
from eagerflow.keras.saving.saving_api import load_model, save_model  # noqa: F401
