"""`tf.data`: input pipelines built from `Dataset` and its transformations."""

from eagerflow.data.dataset import (  # noqa: F401
    AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, TensorSpec)
from eagerflow.data.nesting import DatasetSpec  # noqa: F401
from eagerflow.data.options import Options  # noqa: F401
