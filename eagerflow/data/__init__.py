"""`tf.data`: input pipelines built from `Dataset` and its transformations."""

from eagerflow.data.dataset import (  # noqa: F401
    AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, NumpyIterator, TensorSpec)
from eagerflow.data.dataset import OwnedIterator as Iterator  # noqa: F401
from eagerflow.data.nesting import DatasetSpec  # noqa: F401
from eagerflow.data.options import Options, ThreadingOptions  # noqa: F401
from eagerflow.data.readers import TextLineDataset  # noqa: F401
from eagerflow.data import experimental  # noqa: F401,E402
