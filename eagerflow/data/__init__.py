"""`tf.data`: input pipelines built from `Dataset` and its transformations."""

from eagerflow.data.dataset import (  # noqa: F401
    AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, TensorSpec)
