"""`tf.summary`'s writers and recording state: the default writer, step and condition.

Event files are TensorBoard's: TFRecord-framed `Event` protocol buffers, built with the
protos and checksum of the optional `tensorboardX` package (`pip install
eagerflow[tensorboard]`). The records are framed here rather than by tensorboardX's writer
because that one syncs the file to disk on every flush (milliseconds each), and Keras's
TensorBoard callback flushes after every batch-level write.
"""

import contextlib
import itertools
import os
import struct
import threading
import time

from eagerflow.framework.tensor import constant

_EXTRA_HINT = ("tf.summary writes TensorBoard event files with the `tensorboardX` package, "
               "which is not installed. Install it with `pip install eagerflow[tensorboard]` "
               "(or `pip install tensorboardX`).")
_writer_ids = itertools.count()


_protos = []  # filled on first use: importing tensorboardX takes a fifth of a second


def tensorboard_protos():
    """The tensorboardX modules eagerflow builds events with: (event_pb2, summary_pb2,
    tensor_pb2, masked_crc32c); an ImportError naming the extra when it is missing."""
    if not _protos:
        try:
            import tensorboardX  # noqa: F401
        except ImportError as err:
            raise ImportError(_EXTRA_HINT) from err
        from tensorboardX.proto import event_pb2, summary_pb2, tensor_pb2
        from tensorboardX.record_writer import masked_crc32c
        _protos.extend([event_pb2, summary_pb2, tensor_pb2, masked_crc32c])
    return _protos


class _State(threading.local):
    """Per thread, as in TensorFlow: the default writer, step and recording condition."""

    def __init__(self):
        self.writer = None
        self.step = None
        self.condition = True


_state = _State()


class _EventFile:
    """One `events.out.tfevents.<time>.<host>.<pid>.<id><suffix>` file of framed records."""

    def __init__(self, logdir, filename_suffix):
        import socket  # only for writers: it is slow to import
        self._event_pb2, _, _, self._masked_crc32c = tensorboard_protos()
        os.makedirs(logdir, exist_ok=True)
        now = time.time()
        name = (f"events.out.tfevents.{int(now)}.{socket.gethostname()}.{os.getpid()}."
                f"{next(_writer_ids)}{filename_suffix}")
        self.path = os.path.join(logdir, name)
        self._file = open(self.path, "wb")
        self.write(self._event_pb2.Event(wall_time=now, file_version="brain.Event:2"))
        self.flush()  # the run shows in TensorBoard from the start

    def write(self, event):
        data = event.SerializeToString()
        header = struct.pack("<Q", len(data))
        self._file.write(b"".join([
            header, struct.pack("<I", self._masked_crc32c(header)),
            data, struct.pack("<I", self._masked_crc32c(data))]))

    def new_event(self, step, summary):
        return self._event_pb2.Event(wall_time=time.time(), step=step, summary=summary)

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.close()


class SummaryWriter:
    """`tf.summary.SummaryWriter`: the interface of summary writers (its `_write` records
    nothing)."""

    def set_as_default(self, step=None):
        """Makes this the default writer for this thread (and `step` its default step)."""
        _state.writer = self
        if step is not None:
            _state.step = step

    def as_default(self, step=None):
        """A context manager making this the default writer (and `step` the default step)
        inside it; the previous ones come back, and the writer is flushed, on exit."""
        return _DefaultWriter(self, step)

    def init(self):
        """Opens the writer's resources (done on creation)."""

    def flush(self):
        """Writes any buffered events to the file."""

    def close(self):
        """Flushes and closes the writer; later summaries to it are not recorded."""

    def _write(self, tag, tensor, metadata, step):
        return False


class _NoopSummaryWriter(SummaryWriter):
    """A writer that does nothing: making it the default changes nothing either, as in
    TensorFlow."""

    def set_as_default(self, step=None):
        pass

    @contextlib.contextmanager
    def as_default(self, step=None):
        yield self


class _FileSummaryWriter(SummaryWriter):
    """Writes summaries as events into a new file under `logdir`, flushing after
    `max_queue` pending events or `flush_millis` milliseconds."""

    def __init__(self, logdir, max_queue, flush_millis, filename_suffix):
        self._logdir = os.fspath(logdir)
        self._max_queue = max_queue
        self._flush_seconds = flush_millis / 1000.0
        self._file = _EventFile(self._logdir, filename_suffix)
        self._pending = 0
        self._last_flush = time.monotonic()
        self._closed = False

    def set_as_default(self, step=None):
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")
        super().set_as_default(step)

    def as_default(self, step=None):
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")
        return super().as_default(step)

    def flush(self):
        if not self._closed:
            self._file.flush()
            self._pending = 0
            self._last_flush = time.monotonic()

    def close(self):
        if not self._closed:
            self.flush()
            self._file.close()
            self._closed = True

    def __del__(self):
        if getattr(self, "_closed", True) is False:
            self.close()

    def _write(self, tag, tensor, metadata, step):
        if self._closed:
            return False
        _, summary_pb2, _, _ = tensorboard_protos()
        value = summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)
        self._file.write(self._file.new_event(step, summary_pb2.Summary(value=[value])))
        self._pending += 1
        if (self._pending > self._max_queue
                or time.monotonic() - self._last_flush > self._flush_seconds):
            self.flush()
        return True


class _DefaultWriter:
    def __init__(self, writer, step):
        self._writer = writer
        self._step = step

    def __enter__(self):
        self._previous = (_state.writer, _state.step)
        _state.writer = self._writer
        if self._step is not None:
            _state.step = self._step
        return self._writer

    def __exit__(self, *exc_info):
        self._writer.flush()
        _state.writer, _state.step = self._previous
        return False


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None, experimental_trackable=False, experimental_mesh=None):
    """Creates a summary file writer for the given log directory.

    Args:
      logdir: the directory of the event file (created if needed).
      max_queue: the most summaries kept before a flush (default 10).
      flush_millis: the longest time between flushes, in milliseconds (default 120000).
      filename_suffix: the event file name's ending (default ".v2").
      name: ignored (TensorFlow's op name).

    Raises:
      ImportError: when `tensorboardX` (`pip install eagerflow[tensorboard]`) is missing.
    """
    if logdir is None:
        raise ValueError("Argument `logdir` cannot be None")
    return _FileSummaryWriter(logdir, 10 if max_queue is None else int(max_queue),
                              120000 if flush_millis is None else float(flush_millis),
                              ".v2" if filename_suffix is None else str(filename_suffix))


def create_noop_writer():
    """Returns a summary writer that does nothing, for code that needs one."""
    return _NoopSummaryWriter()


class record_if:  # noqa: N801 - TensorFlow's name
    """Sets the summary recording condition inside a `with` block: a bool, a boolean
    tensor, or a callable returning one (evaluated at each summary)."""

    def __init__(self, condition):
        self._condition = condition

    def __enter__(self):
        self._previous = _state.condition
        _state.condition = self._condition

    def __exit__(self, *exc_info):
        _state.condition = self._previous
        return False


_results = {}


def recorded(flag):
    """The boolean tensor a summary returns (cached: tensors are immutable)."""
    if flag not in _results:
        _results[flag] = constant(flag)
    return _results[flag]


def _recording():
    if _state.writer is None:
        return False
    condition = _state.condition
    if callable(condition):
        condition = condition()
    return bool(condition)


def should_record_summaries():
    """Whether summaries are recorded: a default writer is set and the `record_if`
    condition holds.

    >>> bool(tf.summary.should_record_summaries())
    False
    """
    return recorded(_recording())


def set_step(step):
    """Sets the default step for summaries in this thread (None unsets it)."""
    _state.step = step


def get_step():
    """The default summary step set by `set_step` or `as_default(step=...)`, or None."""
    return _state.step


def write(tag, tensor, step=None, metadata=None, name=None):
    """Writes a summary `tensor` (a TensorProto) with `metadata` (a SummaryMetadata proto
    or its serialized bytes) to the default writer: a boolean tensor, True if recorded."""
    if not _recording():
        return recorded(False)
    if step is None:
        step = _state.step
    if step is None:
        raise ValueError("No step set. Please specify one either through the `step` "
                         "argument or through tf.summary.experimental.set_step()")
    _, summary_pb2, _, _ = tensorboard_protos()
    if metadata is None:
        metadata = summary_pb2.SummaryMetadata()
    elif isinstance(metadata, bytes):
        metadata = summary_pb2.SummaryMetadata.FromString(metadata)
    return recorded(_state.writer._write(tag, tensor, metadata, int(step)))
