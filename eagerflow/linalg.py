"""`tf.linalg`."""

from eagerflow.ops.creation_ops import eye  # noqa: F401
from eagerflow.ops.linalg_ops import matmul  # noqa: F401
