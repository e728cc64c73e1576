"""Atomic file writes for Keras's saving; the one implementation lives in
`eagerflow.framework.atomic_file`, where `tf.train.Checkpoint` can use it too."""

from eagerflow.framework.atomic_file import atomic_write  # noqa: F401
