"""Keras preprocessing layers: features and text to model inputs."""

from eagerflow.keras.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from eagerflow.keras.layers.preprocessing.discretization import Discretization  # noqa: F401
from eagerflow.keras.layers.preprocessing.hashing import Hashing  # noqa: F401
from eagerflow.keras.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from eagerflow.keras.layers.preprocessing.normalization import Normalization  # noqa: F401
from eagerflow.keras.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from eagerflow.keras.layers.preprocessing.text_vectorization import (  # noqa: F401
    TextVectorization)
