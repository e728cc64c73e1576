"""`keras.preprocessing`."""

from eagerflow.keras.preprocessing import image, sequence  # noqa: F401
from eagerflow.keras.utils.image_dataset_utils import image_dataset_from_directory  # noqa: F401
from eagerflow.keras.utils.text_dataset_utils import text_dataset_from_directory  # noqa: F401
from eagerflow.keras.utils.timeseries_dataset_utils import (  # noqa: F401
    timeseries_dataset_from_array)
