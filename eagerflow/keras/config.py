"""`keras.config`: global settings (float type, epsilon, image data format) and safe mode
for deserialization."""

from eagerflow.keras.backend import (  # noqa: F401
    epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format)
from eagerflow.keras.serialization_lib import enable_unsafe_deserialization  # noqa: F401
