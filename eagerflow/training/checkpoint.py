"""`tf.train.Checkpoint`: saves and restores the variables reachable from a set of objects.

A checkpoint `<prefix>` is two files, named as TensorFlow names them:

- `<prefix>.index`: JSON, `{"format": "eagerflow-checkpoint", "version": 1, "nodes": [...]}`.
  Node 0 is the checkpoint itself; each node lists its `children` as `[name, node id]`
  pairs (attribute names, list indices, dict keys), and a variable's node gives the `key`
  its value is stored under, TF's object-graph path ("model/dense/kernel/.ATTRIBUTES/
  VARIABLE_VALUE").
- `<prefix>.data-00000-of-00001`: a NumPy `.npz` archive of the values by key, read with
  `allow_pickle=False`.

Both are written to temporary files and renamed, the data first, so a crash leaves either
the old checkpoint or the new one. They are not TensorFlow's binary files: TensorFlow cannot
read them, and reading one of TensorFlow's raises `DataLossError`.

Restoring matches the saved graph against the live one edge by edge. A value whose variable
does not exist yet (a layer not built, optimizer slots not created) waits, and is assigned
when the variable is attached to an object already matched: Keras layers and optimizers
call `restore_deferred` when they gain attributes or variables.
"""

import collections
import json
import os
import weakref
import zipfile

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.atomic_file import atomic_write
from eagerflow.framework.errors import DataLossError, InvalidArgumentError, NotFoundError
from eagerflow.framework.variables import Variable
from eagerflow.training import object_graph

_FORMAT = "eagerflow-checkpoint"
_VERSION = 1
_SHOWN_UNMATCHED = 10  # how many unmatched objects TF's messages show

# Restorations with values still waiting for their variables (see `restore_deferred`).
deferred_restorations = []


def index_file(prefix):
    return f"{prefix}.index"


def data_file(prefix):
    return f"{prefix}.data-00000-of-00001"


# --- files ------------------------------------------------------------------------------


def write_checkpoint(prefix, root):
    """Writes the variables reachable from `root` to the checkpoint `prefix`."""
    objects, nodes, _ = object_graph.build_graph(root)
    values = {node["key"]: np.asarray(obj.numpy())
              for obj, node in zip(objects, nodes) if "key" in node}
    folder = os.path.dirname(os.path.abspath(prefix))
    os.makedirs(folder, exist_ok=True)
    with atomic_write(data_file(prefix), suffix=".npz") as temporary:
        with open(temporary, "wb") as stream:
            np.savez(stream, **values)
    index = {"format": _FORMAT, "version": _VERSION, "nodes": nodes}
    with atomic_write(index_file(prefix)) as temporary:
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(index, stream)


def _data_loss(path, problem):
    return DataLossError(None, None, f"Unable to read checkpoint file {path}: {problem}")


def read_checkpoint(prefix):
    """The saved graph's nodes and the values by key of the checkpoint `prefix`.

    Raises:
      NotFoundError: when the checkpoint's files are missing.
      DataLossError: when they are truncated, corrupted or not eagerflow checkpoints.
    """
    index_path, data_path = index_file(prefix), data_file(prefix)
    if not os.path.exists(index_path):
        raise NotFoundError(
            None, None, f"Error when restoring from checkpoint or SavedModel at {prefix}: "
                        f"Unsuccessful TensorSliceReader constructor: Failed to find any "
                        f"matching files for {prefix}\nPlease double-check that the path is "
                        f"correct. You may be missing the checkpoint suffix (e.g. the '-1' "
                        f"in 'path/to/ckpt-1').")
    nodes = _read_index(index_path)
    if not os.path.exists(data_path):
        raise NotFoundError(None, None, f"{data_path}; No such file or directory")
    keys = [node["key"] for node in nodes if "key" in node]
    try:
        with np.load(data_path, allow_pickle=False) as archive:
            values = {key: archive[key] for key in keys}
    except KeyError as err:
        raise _data_loss(data_path, f"it holds no value for {err}") from err
    # What NumPy raises on damaged archives varies with the damage.
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise _data_loss(data_path, f"it is truncated or corrupted ({err})") from err
    return nodes, values


def _read_index(index_path):
    with open(index_path, "rb") as stream:
        content = stream.read()
    try:
        index = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _data_loss(index_path, "it is not an eagerflow checkpoint index (TensorFlow's "
                                     "own checkpoints cannot be read), or it is truncated or "
                                     "corrupted") from err
    if not isinstance(index, dict) or index.get("format") != _FORMAT:
        raise _data_loss(index_path, "it is not an eagerflow checkpoint index")
    if index.get("version") != _VERSION:
        raise _data_loss(index_path, f"its format version {index.get('version')!r} is not "
                                     f"supported (expected {_VERSION})")
    nodes = index.get("nodes")
    if not isinstance(nodes, list) or not nodes or not all(
            isinstance(node, dict) and isinstance(node.get("children"), list)
            for node in nodes):
        raise _data_loss(index_path, "its object graph is damaged")
    return nodes


# --- restoring ----------------------------------------------------------------------------


class _Restoration:
    """The values of one checkpoint being matched to live objects, now and later."""

    def __init__(self, save_path, nodes, values):
        self.save_path = save_path
        self.nodes = nodes
        self.values = values
        self.paths = _saved_paths(nodes)
        self.matched = {}  # node id -> id of the live object bound to it
        self.bound = set()  # ids of the live objects bound to a node
        self.restored = set()  # node ids of the variables assigned
        self.owners = {}  # id(live object) -> (weak reference, node id), to match later
        self.pending = {i for i, node in enumerate(nodes) if "key" in node}

    def match(self, root, root_id):
        """Binds `root` to node `root_id`, then what lies under both, edge by edge."""
        seen = set()
        queue = collections.deque([(root, root_id)])
        while queue:
            obj, node_id = queue.popleft()
            if node_id in seen or not 0 <= node_id < len(self.nodes):
                continue
            seen.add(node_id)
            if self.matched.setdefault(node_id, id(obj)) != id(obj):
                continue  # the node is bound to another object already
            node = self.nodes[node_id]
            if ("key" in node) != isinstance(obj, Variable):
                continue
            self.bound.add(id(obj))
            if "key" in node:
                if node_id not in self.restored:
                    self._assign(obj, node["key"])
                    self.restored.add(node_id)
                    self.pending.discard(node_id)
                continue
            if not isinstance(obj, (list, tuple, dict)):
                self._remember(obj, node_id)
            saved = {name: child for name, child in node["children"]}
            for name, child in object_graph.children(obj):
                if name in saved:
                    queue.append((child, saved[name]))

    def _remember(self, obj, node_id):
        try:
            self.owners[id(obj)] = (weakref.ref(obj), node_id)
        except TypeError:  # cannot be referenced weakly: it will not be matched later
            pass

    def match_later(self, owner):
        """Matches what `owner` (bound earlier) has gained since."""
        entry = self.owners.get(id(owner))
        if entry is not None and entry[0]() is owner:
            self.match(owner, entry[1])

    def _assign(self, variable, key):
        value = self.values[key]
        if not variable.shape.is_compatible_with(value.shape):
            raise ValueError(f"Received incompatible tensor with shape {value.shape} when "
                             f"attempting to restore variable with shape {variable.shape} and "
                             f"name {variable.name}.")
        if value.dtype != variable.dtype.as_numpy_dtype:
            raise InvalidArgumentError(
                None, None, f"tensor_name = {key}; expected dtype {variable.dtype.name} does "
                            f"not equal original dtype {dtypes.as_dtype(value.dtype).name} "
                            f"(restoring from {self.save_path})")
        variable.assign(value)

    def unresolved(self):
        """Ids of the saved nodes no live object was bound to."""
        return [i for i in range(len(self.nodes)) if i not in self.matched]


def _saved_paths(nodes):
    """Each saved node's path from the root (breadth first, as the keys were made)."""
    paths = {0: ()}
    queue = collections.deque([0])
    while queue:
        node_id = queue.popleft()
        for name, child in nodes[node_id]["children"]:
            if child not in paths and 0 <= child < len(nodes):
                paths[child] = paths[node_id] + (name,)
                queue.append(child)
    return paths


def restore_deferred(owner):
    """Assigns waiting checkpoint values to the variables `owner` gained (Keras layers call
    this when an attribute is set, optimizers when they add a variable)."""
    for restoration in list(deferred_restorations):
        restoration.match_later(owner)
        if not restoration.pending and restoration in deferred_restorations:
            deferred_restorations.remove(restoration)


def _forget_orphaned_restorations():
    """Drops waiting restorations whose live objects are all gone."""
    deferred_restorations[:] = [
        r for r in deferred_restorations
        if any(ref() is not None for ref, _ in r.owners.values())]


class CheckpointLoadStatus:
    """What `Checkpoint.restore` matched, with checks that the match is what you expect."""

    def __init__(self, restoration, root):
        self._restoration = restoration
        self._root = root

    def assert_consumed(self):
        """Asserts that every saved value was assigned and every live variable restored.

        Raises:
          AssertionError: naming the first saved object left unresolved, or the live
            objects no saved value was bound to.
        """
        restoration = self._restoration
        restoration.match(self._root, 0)  # objects attached since without a hook count too
        for node_id in restoration.unresolved():
            node = restoration.nodes[node_id]
            detail = (f'checkpoint_key: "{node["key"]}"' if "key" in node
                      else f"children: {[name for name, _ in node['children']]}")
            path = object_graph.describe_path(restoration.paths.get(node_id, ("?",)))
            raise AssertionError(f"Unresolved object in checkpoint {path}: {detail}")
        return self.assert_existing_objects_matched()

    def assert_existing_objects_matched(self):
        """Asserts that every live object reachable from the checkpoint got a saved value
        (saved values without a live object are allowed).

        Raises:
          AssertionError: listing the live objects no saved value was bound to.
        """
        unmatched = self._unmatched_objects()
        if unmatched:
            raise AssertionError(
                f"Found {len(unmatched)} Python objects that were not bound to checkpointed "
                f"values, likely due to changes in the Python program. Showing "
                f"{min(len(unmatched), _SHOWN_UNMATCHED)} of {len(unmatched)} unmatched "
                f"objects: {unmatched[:_SHOWN_UNMATCHED]!r}")
        return self

    def assert_nontrivial_match(self):
        """Asserts that something besides the root object was matched.

        Raises:
          AssertionError: when nothing but the root matched a saved value.
        """
        if len(self._restoration.matched) <= 1:
            raise AssertionError(
                f"Nothing except the root object matched a checkpointed value. Typically "
                f"this means that the checkpoint does not match the Python program. The "
                f"following objects have no matching checkpointed value: "
                f"{self._unmatched_objects()!r}")
        return self

    def expect_partial(self):
        """Accepts a partial restore (nothing is reported about unmatched values)."""
        return self

    def run_restore_ops(self, session=None):
        """Nothing to run: eager restoration has already assigned the values."""

    def initialize_or_restore(self, session=None):
        """Nothing to run: eager restoration has already assigned the values."""

    def _unmatched_objects(self):
        objects, _, _ = object_graph.build_graph(self._root)
        bound = self._restoration.bound
        return [obj for obj in objects[1:]
                if id(obj) not in bound and not isinstance(obj, (list, tuple, dict))]


class InitializationOnlyStatus:
    """The status of `restore(None)`: nothing is restored, variables keep their values."""

    _MESSAGE = "No checkpoint specified (save_path=None); nothing is being restored."

    def __init__(self, root):
        self._root = root

    def assert_consumed(self):
        raise AssertionError(self._MESSAGE)

    def assert_existing_objects_matched(self):
        raise AssertionError(self._MESSAGE)

    def assert_nontrivial_match(self):
        raise AssertionError(self._MESSAGE)

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        """Nothing to run."""

    def initialize_or_restore(self, session=None):
        """Nothing to run: variables are initialized when created."""


# --- the Checkpoint object ---------------------------------------------------------------


def _check_trackable(name, value):
    if not object_graph.is_trackable(value):
        raise ValueError(f"`Checkpoint` was expecting {name} to be a trackable object (an "
                         f"object derived from `Trackable`), got {value}. If you believe this "
                         f"object should be trackable (i.e. it is part of the TensorFlow "
                         f"Python API and manages state), please open an issue.")


class Checkpoint:
    """Saves and restores variables, `tf.Module`s and Keras models, layers and optimizers.

    >>> import os, tempfile
    >>> v = tf.Variable(1.0)
    >>> checkpoint = tf.train.Checkpoint(v=v)
    >>> path = checkpoint.save(os.path.join(tempfile.mkdtemp(), "ckpt"))
    >>> os.path.basename(path)
    'ckpt-1'
    >>> _ = v.assign(5.0)
    >>> checkpoint.restore(path).assert_consumed() is not None
    True
    >>> float(v)
    1.0

    Args:
      root: an object whose attributes become the checkpoint's top level (optional).
      **kwargs: the objects to save, by name (variables, modules, Keras objects, lists and
        dicts of them).

    Raises:
      ValueError: when an argument holds nothing a checkpoint can save.
    """

    def __init__(self, root=None, **kwargs):
        if root is not None:
            _check_trackable("root", root)
        for name, value in kwargs.items():
            _check_trackable(name, value)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_named", dict(kwargs))
        object.__setattr__(self, "_save_counter", None)

    def __getattr__(self, name):
        named = self.__dict__.get("_named", {})
        if name in named:
            return named[name]
        raise AttributeError(f"'Checkpoint' object has no attribute {name!r}")

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        _check_trackable(name, value)
        self._named[name] = value

    def _checkpoint_dependencies(self):
        dependencies = object_graph.children(self._root) if self._root is not None else []
        dependencies += list(self._named.items())
        if self._save_counter is not None:
            dependencies.append(("save_counter", self._save_counter))
        return dependencies

    @property
    def save_counter(self):
        """The number of `save()` calls (an int64 variable, saved with the checkpoint)."""
        if self._save_counter is None:
            object.__setattr__(self, "_save_counter", Variable(
                0, trainable=False, name="save_counter", dtype=dtypes.int64))
        return self._save_counter

    def save(self, file_prefix, options=None):
        """Writes `<file_prefix>-<n>`, `n` being the incremented `save_counter`, and records
        it in the `checkpoint` file of its folder; returns its path."""
        from eagerflow.training import checkpoint_management
        file_prefix = os.fspath(file_prefix)
        number = int(self.save_counter.assign_add(1).numpy())
        path = self.write(f"{file_prefix}-{number}")
        checkpoint_management.update_checkpoint_state(os.path.dirname(path), path)
        return path

    def write(self, file_prefix, options=None):
        """Writes a checkpoint at `file_prefix` (no numbering, no `checkpoint` file);
        returns `file_prefix`."""
        file_prefix = os.fspath(file_prefix)
        write_checkpoint(file_prefix, self)
        return file_prefix

    def read(self, save_path, options=None):
        """Restores the checkpoint `save_path`; returns a `CheckpointLoadStatus`.

        Raises:
          NotFoundError: when the checkpoint does not exist.
          DataLossError: when its files are damaged or not eagerflow checkpoints.
          ValueError: when a saved value's shape does not fit its variable.
          InvalidArgumentError: when a saved value's dtype differs from its variable's.
        """
        save_path = os.fspath(save_path)
        restoration = _Restoration(save_path, *read_checkpoint(save_path))
        restoration.match(self, 0)
        _forget_orphaned_restorations()
        if restoration.pending:
            deferred_restorations.append(restoration)
        return CheckpointLoadStatus(restoration, self)

    def restore(self, save_path, options=None):
        """Restores the checkpoint `save_path` (see `read`); with `save_path=None`, restores
        nothing and returns a status whose assertions fail, as TF's does."""
        self.save_counter  # noqa: B018 - created so that a saved count is restored
        if save_path is None:
            return InitializationOnlyStatus(self)
        return self.read(save_path, options=options)


def list_variables(ckpt_dir_or_file):
    """The `(key, shape)` pairs of the values in a checkpoint (or a folder's latest one).

    >>> import os, tempfile
    >>> path = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(
    ...     os.path.join(tempfile.mkdtemp(), "w"))
    >>> tf.train.list_variables(path)
    [('v/.ATTRIBUTES/VARIABLE_VALUE', [2])]
    """
    _, values = read_checkpoint(_checkpoint_path(ckpt_dir_or_file))
    return sorted((key, list(value.shape)) for key, value in values.items())


def load_variable(ckpt_dir_or_file, name):
    """The saved value under the key `name` (".ATTRIBUTES/VARIABLE_VALUE" may be left off)."""
    path = _checkpoint_path(ckpt_dir_or_file)
    _, values = read_checkpoint(path)
    for key in (name, f"{name}/{object_graph.VARIABLE_VALUE}"):
        if key in values:
            return values[key]
    raise NotFoundError(None, None, f"Key {name} not found in checkpoint {path}")


def _checkpoint_path(ckpt_dir_or_file):
    from eagerflow.training import checkpoint_management
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = checkpoint_management.latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {path}")
        return latest
    return path
