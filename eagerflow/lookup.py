"""`tf.lookup`."""

from eagerflow.ops.lookup_ops import KeyValueTensorInitializer, StaticHashTable  # noqa: F401
