"""`keras.utils`."""

from eagerflow.keras.utils.progbar import Progbar  # noqa: F401
from eagerflow.keras.utils.rng_utils import set_random_seed  # noqa: F401
from eagerflow.keras.utils.file_utils import get_file  # noqa: F401
from eagerflow.keras.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from eagerflow.keras.utils.sequence_utils import pad_sequences  # noqa: F401
