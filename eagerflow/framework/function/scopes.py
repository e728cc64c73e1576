"""`tf.init_scope`: code inside runs eagerly, outside any tf.function trace."""

import contextlib

from eagerflow.framework.op import read_epoch, recorders


@contextlib.contextmanager
def init_scope():
    """Lifts the code inside out of a tf.function trace (and out of tapes), as TensorFlow does
    for variable initializers.

    >>> with tf.init_scope():
    ...     tf.executing_eagerly()
    True
    """
    saved = recorders[:]
    recorders[:] = []
    read_epoch[0] += 1
    try:
        yield
    finally:
        recorders[:] = saved
        read_epoch[0] += 1
