"""The `checkpoint` state file of a checkpoint folder, `tf.train.CheckpointManager`, and
`latest_checkpoint` / `get_checkpoint_state` / `checkpoints_iterator`.

The state file is TF's text format, so it reads the same in both:

    model_checkpoint_path: "ckpt-4"
    all_model_checkpoint_paths: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-4"
    all_model_checkpoint_timestamps: 1763912345.26
    all_model_checkpoint_timestamps: 1763912346.27
    last_preserved_timestamp: 1763912341.2

Paths inside the folder are written relative to it and read back absolute.
"""

import glob
import json
import os
import re
import time
import warnings

from eagerflow.framework.atomic_file import atomic_write

_STATE_FILE = "checkpoint"
_LINE = re.compile(r'\s*(\w+)\s*:\s*(".*"|[-+0-9.eE]+|inf|nan)\s*\Z')
_REPEATED = ("all_model_checkpoint_paths", "all_model_checkpoint_timestamps")


class CheckpointState:
    """The content of a `checkpoint` state file (TF's `CheckpointState` message)."""

    def __init__(self, model_checkpoint_path="", all_model_checkpoint_paths=(),
                 all_model_checkpoint_timestamps=(), last_preserved_timestamp=0.0):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __str__(self):
        lines = [f"model_checkpoint_path: {json.dumps(self.model_checkpoint_path)}"]
        lines += [f"all_model_checkpoint_paths: {json.dumps(p)}"
                  for p in self.all_model_checkpoint_paths]
        lines += [f"all_model_checkpoint_timestamps: {t!r}"
                  for t in self.all_model_checkpoint_timestamps]
        if self.last_preserved_timestamp:
            lines.append(f"last_preserved_timestamp: {self.last_preserved_timestamp!r}")
        return "\n".join(lines) + "\n"

    __repr__ = __str__


def _state_path(checkpoint_dir, latest_filename=None):
    return os.path.join(os.fspath(checkpoint_dir), latest_filename or _STATE_FILE)


def _relative(path, save_dir):
    if os.path.dirname(os.path.abspath(path)) == os.path.abspath(save_dir):
        return os.path.basename(path)
    return path


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None):
    """Writes the `checkpoint` state file of `save_dir` (atomically)."""
    if all_model_checkpoint_paths is None:
        all_model_checkpoint_paths = [model_checkpoint_path]
    state = CheckpointState(
        _relative(model_checkpoint_path, save_dir),
        [_relative(p, save_dir) for p in all_model_checkpoint_paths],
        all_model_checkpoint_timestamps or (), last_preserved_timestamp or 0.0)
    os.makedirs(save_dir or ".", exist_ok=True)
    with atomic_write(_state_path(save_dir or ".", latest_filename)) as temporary:
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(str(state))


def _parse_state(text):
    fields = {"model_checkpoint_path": "", "last_preserved_timestamp": 0.0,
              **{name: [] for name in _REPEATED}}
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None or match.group(1) not in fields:
            raise ValueError(f"unexpected line {line!r}")
        name, raw = match.groups()
        value = json.loads(raw) if raw.startswith('"') else float(raw)
        if isinstance(fields[name], list):
            fields[name].append(value)
        else:
            fields[name] = value
    return CheckpointState(**fields)


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The `CheckpointState` of a checkpoint folder, or None when it has no readable
    `checkpoint` file (a damaged one is reported with a warning)."""
    path = _state_path(checkpoint_dir, latest_filename)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as stream:
            state = _parse_state(stream.read())
    except (UnicodeDecodeError, ValueError) as err:
        warnings.warn(f"{path}: Checkpoint ignored: it is not a checkpoint state file ({err})",
                      stacklevel=2)
        return None
    checkpoint_dir = os.fspath(checkpoint_dir)
    absolute = (lambda p: p if os.path.isabs(p) else os.path.join(checkpoint_dir, p))
    state.model_checkpoint_path = absolute(state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [absolute(p) for p in state.all_model_checkpoint_paths]
    return state


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The path of the newest checkpoint recorded in `checkpoint_dir`, or None.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> tf.train.latest_checkpoint(folder) is None
    True
    >>> checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    >>> path = checkpoint.save(os.path.join(folder, "ckpt"))
    >>> tf.train.latest_checkpoint(folder) == path
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not state.model_checkpoint_path:
        return None
    if os.path.exists(f"{state.model_checkpoint_path}.index"):
        return state.model_checkpoint_path
    return None


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yields each new latest checkpoint of `checkpoint_dir` as it appears.

    Waits at most `timeout` seconds for the next one (forever with None); then stops,
    unless `timeout_fn` is given and returns False.
    """
    last = None
    while True:
        path = _wait_for_new_checkpoint(checkpoint_dir, last, timeout)
        if path is None:
            if timeout_fn is None or timeout_fn():
                return
            continue
        started = time.time()
        last = path
        yield path
        remaining = started + min_interval_secs - time.time()
        if remaining > 0:
            time.sleep(remaining)


def _wait_for_new_checkpoint(checkpoint_dir, last, timeout, seconds_to_sleep=1.0):
    deadline = None if timeout is None else time.time() + timeout
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is not None and path != last:
            return path
        if deadline is not None and time.time() + seconds_to_sleep > deadline:
            return None
        time.sleep(seconds_to_sleep)


def _delete_checkpoint(prefix):
    for path in [f"{prefix}.index"] + glob.glob(glob.escape(prefix) + ".data-?????-of-?????"):
        if os.path.exists(path):
            os.remove(path)


class CheckpointManager:
    """Numbers, records and deletes the checkpoints of a `tf.train.Checkpoint` in a folder.

    >>> import tempfile
    >>> checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    >>> manager = tf.train.CheckpointManager(checkpoint, tempfile.mkdtemp(), max_to_keep=2)
    >>> paths = [manager.save() for _ in range(3)]
    >>> [os.path.basename(p) for p in manager.checkpoints]
    ['ckpt-2', 'ckpt-3']

    Args:
      checkpoint: the `tf.train.Checkpoint` to save and restore.
      directory: the folder of the checkpoints and of their `checkpoint` state file.
      max_to_keep: how many checkpoints to keep (None keeps all); older ones are deleted.
      keep_checkpoint_every_n_hours: also keep one checkpoint per this many hours.
      checkpoint_name: the checkpoints' file name prefix.
      step_counter: a variable counting steps, for `checkpoint_interval`.
      checkpoint_interval: save only once `step_counter` moved this far since the last save.
      init_fn: called by `restore_or_initialize` when there is no checkpoint.
      last_checkpoint_step: the step of the last checkpoint (with `checkpoint_interval`).

    Raises:
      ValueError: for `max_to_keep` below 1, or `checkpoint_interval` without
        `step_counter`.
    """

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None,
                 init_fn=None, last_checkpoint_step=None):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got "
                             f"{max_to_keep}.")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not "
                             "None.")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._init_fn = init_fn
        self._last_checkpoint_step = last_checkpoint_step
        self._maybe_delete = {}  # path -> timestamp, oldest first
        self._last_preserved_timestamp = time.time()
        self._latest_checkpoint = None
        state = get_checkpoint_state(self._directory)
        if state is not None:
            timestamps = state.all_model_checkpoint_timestamps
            if len(timestamps) != len(state.all_model_checkpoint_paths):
                timestamps = [self._last_preserved_timestamp] * len(
                    state.all_model_checkpoint_paths)
            self._maybe_delete = {path: stamp for path, stamp in
                                  zip(state.all_model_checkpoint_paths, timestamps)
                                  if os.path.exists(f"{path}.index")}
            self._last_preserved_timestamp = (state.last_preserved_timestamp
                                              or self._last_preserved_timestamp)
            self._latest_checkpoint = latest_checkpoint(self._directory)

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoint_interval(self):
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self):
        """The newest checkpoint's path, or None."""
        return self._latest_checkpoint

    @property
    def checkpoints(self):
        """The paths of the checkpoints kept, oldest first."""
        return list(self._maybe_delete)

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Writes a new checkpoint numbered `checkpoint_number` (default: the checkpoint's
        incremented `save_counter`), deletes those beyond `max_to_keep`, and returns its
        path; None when `checkpoint_interval` says it is too early."""
        if self._checkpoint_interval is not None and check_interval:
            step = int(self._step_counter.numpy())
            if (self._last_checkpoint_step is not None
                    and step - self._last_checkpoint_step < self._checkpoint_interval):
                return None
            self._last_checkpoint_step = step
        save_counter = self._checkpoint.save_counter
        save_counter.assign_add(1)
        if checkpoint_number is None:
            checkpoint_number = save_counter
        if not isinstance(checkpoint_number, int):
            checkpoint_number = int(checkpoint_number.numpy())
        path = self._checkpoint.write(f"{self._prefix}-{checkpoint_number}")
        self._maybe_delete.pop(path, None)  # an overwritten checkpoint becomes the newest
        self._maybe_delete[path] = time.time()
        self._latest_checkpoint = path
        self._record_state()
        self._sweep()
        self._record_state()
        return path

    def restore_or_initialize(self):
        """Restores the latest checkpoint and returns its path; without one, calls
        `init_fn` (if given) and returns None."""
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def _sweep(self):
        if self._max_to_keep is None:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            path = next(iter(self._maybe_delete))
            timestamp = self._maybe_delete.pop(path)
            hours = self._keep_checkpoint_every_n_hours
            if hours and timestamp - self._last_preserved_timestamp >= hours * 3600:
                self._last_preserved_timestamp = timestamp
                continue
            _delete_checkpoint(path)

    def _record_state(self):
        update_checkpoint_state(
            self._directory, self._latest_checkpoint, list(self._maybe_delete),
            all_model_checkpoint_timestamps=list(self._maybe_delete.values()),
            last_preserved_timestamp=self._last_preserved_timestamp)
