"""Keras preprocessing layers: features and text to model inputs."""

from eagerflow.keras.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from eagerflow.keras.layers.preprocessing.discretization import Discretization  # noqa: F401
from eagerflow.keras.layers.preprocessing.hashing import Hashing  # noqa: F401
from eagerflow.keras.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from eagerflow.keras.layers.preprocessing.normalization import Normalization  # noqa: F401
from eagerflow.keras.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from eagerflow.keras.layers.preprocessing.text_vectorization import (  # noqa: F401
    TextVectorization)
from eagerflow.keras.layers.preprocessing.hashed_crossing import HashedCrossing  # noqa: F401
from eagerflow.keras.layers.preprocessing.pipeline import Pipeline  # noqa: F401
from eagerflow.keras.layers.preprocessing.audio import MelSpectrogram  # noqa: F401
from eagerflow.keras.layers.preprocessing.color_augmentation import (  # noqa: F401
    AutoContrast, Equalization, RandomColorDegeneration, RandomColorJitter, RandomGaussianBlur,
    RandomGrayscale, RandomHue, RandomInvert, RandomPosterization, RandomSaturation,
    RandomSharpness, Solarization)
from eagerflow.keras.layers.preprocessing.geometric_augmentation import (  # noqa: F401
    RandomElasticTransform, RandomErasing, RandomPerspective, RandomShear)
from eagerflow.keras.layers.preprocessing.mixing import CutMix, MixUp  # noqa: F401
from eagerflow.keras.layers.preprocessing.augment_policies import (  # noqa: F401
    AugMix, RandAugment)
