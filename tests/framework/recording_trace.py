"""A stand-in for a tf.function trace, for tests of what a trace records and replays."""

import contextlib
import threading

from eagerflow.framework import op as op_module


class _Trace:
    """Records every op it is shown (the recorder protocol a tf.function trace follows)."""

    records_all = True

    def __init__(self):
        self.ops = []
        self.thread = threading.get_ident()  # a trace records its own thread's ops only

    def wants(self, inputs):
        return True

    def record(self, op):
        self.ops.append(op)

    def variable_read(self, variable, snapshot):
        return None


@contextlib.contextmanager
def recorded_ops():
    """Yields the list of the ops run inside the block, recorded as a trace records them."""
    trace = _Trace()
    op_module.recorders.append(trace)
    try:
        yield trace.ops
    finally:
        op_module.recorders.remove(trace)
