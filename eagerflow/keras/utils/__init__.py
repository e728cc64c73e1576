"""`keras.utils`."""

from eagerflow.keras.utils.progbar import Progbar  # noqa: F401
from eagerflow.keras.utils.rng_utils import set_random_seed  # noqa: F401
