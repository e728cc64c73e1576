"""Why a gradient is None: the reason GradientTape gives, worked out only when asked.

TensorFlow returns None and stays silent. The tape already holds most of the answer (what
it watched, the ops it recorded); while it records it also keeps a few marks, each taken
only off the fast path: the ops where a path from a watched value ended (`tf.stop_gradient`,
an integer cast, `argmax`), the watched values that left as NumPy (`.numpy()`,
`np.asarray`, a NumPy function), and what ran inside `stop_recording()`. When a gradient
comes back None, `report` turns them into words: a `GradientWarning`, and, for variables,
the reason that Keras's optimizer adds to "No gradients provided for any variable."
"""

import linecache
import os
import sys
import warnings
import weakref

from eagerflow.framework import dtypes, nest


class GradientWarning(UserWarning):
    """`GradientTape.gradient` returned None for a source; the message says why."""


# Whether None gradients are explained: `tf.config.experimental.explain_none_gradients`.
explaining = [True]


def explain_none_gradients(enabled):
    """Whether `GradientTape.gradient` warns why a gradient is None (default True).

    The warning is eagerflow's own (TensorFlow returns None silently); results are the
    same either way.

    >>> tf.config.experimental.explain_none_gradients(False)
    >>> tf.config.experimental.none_gradients_explained()
    False
    >>> tf.config.experimental.explain_none_gradients(True)
    """
    explaining[0] = bool(enabled)


def none_gradients_explained():
    """Whether None gradients are explained (see `explain_none_gradients`)."""
    return explaining[0]


# --- marks taken while a tape records ---------------------------------------------------

# Top-level packages whose frames are skipped to find the line of the user's code.
_LIBRARY = frozenset({"eagerflow", "numpy", "contextlib", "functools"})
# Its `flushing` wrapper stands between the user and the method they called.
_WRAPPER_MODULE = "eagerflow.framework.denormal"


def caller():
    """(file, line, entry) of the user's code running now; `entry` is the name of the
    outermost eagerflow function it called (a frame walk: only taken for marks)."""
    frame, entry = sys._getframe(2), None
    while frame is not None:
        if not _is_library(frame):
            return frame.f_code.co_filename, frame.f_lineno, entry
        module = frame.f_globals.get("__name__") or ""
        if module.startswith("eagerflow") and module != _WRAPPER_MODULE:
            entry = (module, frame.f_code.co_name)
        frame = frame.f_back
    return None, None, entry


def _is_library(frame):
    return (frame.f_globals.get("__name__") or "").partition(".")[0] in _LIBRARY


class Exit:
    """A place where a path from a watched value ended: an op with no gradient, or a
    value that left the tape as NumPy (`what` then says how)."""

    __slots__ = ("inputs", "outputs", "what", "where")

    def __init__(self, inputs, outputs, what, where):
        self.inputs = inputs
        self.outputs = outputs
        self.what = what      # an Op, or how the value left (".numpy()", ...)
        self.where = where    # caller()


# Ops whose (integer) output holds a shape, not the input's values: no path ends there.
_SHAPE_OPS = frozenset({"Shape", "ShapeN", "Size", "Rank"})


def op_exit(op):
    """The Exit for an op that passes no gradient on, or None for a shape op."""
    if op.primitive.name in _SHAPE_OPS:
        return None
    return Exit(op.inputs, op.outputs, op, caller())


class PausedSpan:
    """Stands in for a tape inside `stop_recording()`: notes what is computed there from
    the tape's watched values, so a None gradient can say so. It records no gradient."""

    def __init__(self, tape):
        self.tracked = tape._tracked
        self.computed = {}   # id -> tensor computed from a watched value inside the span
        self.variables = {}  # id -> variable read inside the span

    def wants(self, inputs):
        return any(id(x) in self.tracked or id(x) in self.computed for x in inputs)

    def record(self, op):
        for output in op.outputs:
            self.computed[id(output)] = output

    def variable_read(self, variable, snapshot):
        self.variables[id(variable)] = variable
        self.computed[id(snapshot)] = snapshot


# --- the reasons --------------------------------------------------------------------------

_TF_NAMES = {"StopGradient": "tf.stop_gradient", "ArgMax": "tf.argmax",
             "ArgMin": "tf.argmin", "Round": "tf.round", "Floor": "tf.math.floor",
             "Ceil": "tf.math.ceil", "Rint": "tf.math.rint", "Cast": "tf.cast",
             "OneHot": "tf.one_hot", "TopKV2": "tf.math.top_k"}

_STEPS = frozenset({"Round", "Floor", "Ceil", "Rint"})
_RECORDED = ("ops run before the `with tf.GradientTape()` block, after it ends, or inside "
             "tape.stop_recording() are not recorded")


def _where(where):
    filename, line, _ = where
    if filename is None:
        return ""
    code = linecache.getline(filename, line).strip()
    text = f" at line {line} of {os.path.basename(filename)}"
    return text + (f" (`{code}`)" if code else "")


def _describe_exit(exit):
    what, where = exit.what, _where(exit.where)
    if isinstance(what, str):
        entry = exit.where[2]
        if entry is not None and entry[1] in ("predict", "predict_on_batch"):
            return (f"model.{entry[1]}(...){where}, which returns NumPy arrays outside the "
                    f"tape; call the model: model(x, training=True)")
        return (f"{what}{where}: a NumPy array is a constant to the tape; compute with tf "
                f"ops instead (tf.exp(x), not np.exp(x))")
    name = what.primitive.name
    tf_name = _TF_NAMES.get(name, f"op '{name}'")
    if name == "StopGradient":
        return f"tf.stop_gradient{where}, which passes no gradient back by design"
    output = what.outputs[0] if what.outputs else None
    if output is not None and output._value.dtype.kind not in "fc":
        dtype = _dtype_name(output)
        if name == "Cast":
            return (f"tf.cast to {dtype}{where}: integer and boolean values carry no "
                    f"gradient; keep the value floating")
        return f"{tf_name}{where}, whose {dtype} output carries no gradient"
    if name in _STEPS:
        return f"{tf_name}{where}, which has no gradient: its output is piecewise constant"
    return f"{tf_name}{where}, which has no gradient"


def _dtype_name(tensor):
    return dtypes.from_numpy(tensor._value.dtype).name


class _Naming:
    """How the user's code refers to tensors: its local names, and labels (`labelled`)."""

    def __init__(self, frame):
        self.names = {}
        # The caller's names, and those of the function around it (a lambda, a helper).
        for scope in (frame.f_back, frame):
            if scope is not None and not _is_library(scope):
                self.names.update((id(value), name) for name, value in scope.f_locals.items()
                                  if name.isidentifier() and not name.startswith("_"))
        for labels in _labels:
            for label, value in labels.items():
                for leaf in nest.flatten(value):
                    self.names[id(leaf)] = label

    def of(self, value):
        name = self.names.get(id(value))
        if name is not None:
            return name if " " in name else f"`{name}`"
        path = getattr(value, "path", None) or getattr(value, "name", None)
        if _is_variable(value):
            return f"the variable '{path}'"
        return f"the tensor of shape {value.shape} and dtype {_dtype_name(value)}"

    def code(self, value):
        name = self.names.get(id(value))
        return name if name is not None and " " not in name else "x"


_labels = []  # the {label: tensors} of each `labelled` block, innermost last


class labelled:  # noqa: N801 - used as a context manager, like a function
    """Names tensors in the reasons given inside this block: `labels` maps a label ("the
    loss") to a tensor or a structure of tensors."""

    __slots__ = ("_labels",)

    def __init__(self, labels):
        self._labels = labels

    def __enter__(self):
        _labels.append(self._labels)

    def __exit__(self, *exc):
        _labels.remove(self._labels)


def _is_variable(x):
    return hasattr(type(x), "_read_for_op")


def _read_epoch(source):
    """The read epoch of a variable's last read (None: a tensor, or not read since set)."""
    if _is_variable(source) and source._snapshot is not None:
        return source._snapshot_epoch
    return None


class _Recorded:
    """What the tape recorded, as a None's reason needs it: each value's op, and what the
    targets were computed from (worked out once per `gradient` call, when first needed)."""

    def __init__(self, tape, targets):
        self.tape, self.targets = tape, targets
        self._producers = self._ancestors = None

    @property
    def producers(self):
        if self._producers is None:
            self._producers = {id(out): op for op in self.tape._ops for out in op.outputs}
        return self._producers

    @property
    def ancestors(self):
        """Ids of the targets and of every recorded value they were computed from."""
        if self._ancestors is None:
            producers, seen, stack = self.producers, set(), list(self.targets)
            while stack:
                value = stack.pop()
                if id(value) not in seen:
                    seen.add(id(value))
                    op = producers.get(id(value))
                    if op is not None:
                        stack.extend(op.inputs)
            self._ancestors = seen
        return self._ancestors


def why_none(recorded, source, naming):
    """The reason no gradient reaches `source` from the targets, as a sentence."""
    tape = recorded.tape
    src, code = naming.of(source), naming.code(source)
    if source._value.dtype.kind not in "fc":
        return (f"{src} has dtype {_dtype_name(source)}: gradients flow only to floating "
                f"and complex tensors. Cast it before the tape, "
                f"`{code} = tf.cast({code}, tf.float32)`, and differentiate with respect to "
                f"the cast value.")
    if id(source) not in tape._tracked:
        return _unwatched(tape, source, src, code)
    return _no_path(recorded, source, naming, src)


def _unwatched(tape, source, src, code):
    if not _is_variable(source):
        return (f"{src} is a constant tensor the tape never watched (only trainable "
                f"tf.Variables are watched on their own). Call tape.watch({code}) inside the "
                f"`with tf.GradientTape()` block, or make it a tf.Variable.")
    for exit in tape._exits:
        if exit.inputs[0] is source and isinstance(exit.what, str):
            return (f"{src} was never read by a tf op while the tape recorded: its value "
                    f"left the tape through {_describe_exit(exit)}.")
    if any(id(source) in span.variables for span in tape._paused):
        return (f"{src} was read only inside tape.stop_recording(), where nothing is "
                f"recorded.")
    if not source.trainable:
        return (f"{src} was created with trainable=False, and the tape watches only "
                f"trainable variables on its own. Call tape.watch({code}) inside the `with` "
                f"block, or create it with trainable=True.")
    if not tape._watch_accessed_variables:
        return (f"{src} is not watched: the tape was created with "
                f"watch_accessed_variables=False, so it watches only what tape.watch(...) is "
                f"given. Call tape.watch({code}) inside the `with` block.")
    epoch = _read_epoch(source)
    if epoch is not None and tape._stopped_epoch is not None and epoch >= tape._stopped_epoch:
        return (f"{src} was read after the tape stopped recording (after its `with` block "
                f"ended), where nothing is recorded: compute the target inside the block.")
    if epoch is not None and tape._started_epoch is not None and epoch < tape._started_epoch:
        return (f"{src} was read before the tape started and not while it recorded: values "
                f"computed from it before `with tf.GradientTape()` are constants to the "
                f"tape. Compute them inside the `with` block.")
    return (f"{src} was not used while the tape recorded ({_RECORDED}): the target does not "
            f"depend on it.")


def _no_path(recorded, source, naming, src):
    tape, targets = recorded.tape, recorded.targets
    path, reach = tape._path([source])
    producers, ancestors = recorded.producers, recorded.ancestors
    target = "the targets" if len(targets) > 1 else "the target"
    if len(targets) == 1:
        if id(targets[0]) in naming.names:
            target = naming.of(targets[0])
        if id(targets[0]) in producers:
            target += f" (the output of op '{producers[id(targets[0])].type}')"
    if any(id(t) in span.computed for span in tape._paused for t in targets):
        return (f"{target} was computed inside tape.stop_recording(), where nothing is "
                f"recorded.")
    for op, x in tape._dead_ends:
        if id(x) in reach:
            return (f"{target} is cut off from {src} at op '{op.type}', whose gradient "
                    f"function returned None for the input that comes from {src}.")
    cut = _first_exit(tape._exits, reach, ancestors)
    if cut is not None:
        exit, proven = cut
        if isinstance(exit.what, str):
            seen = "its value left the tape through"
        else:
            seen = "the path was cut at" if proven else "the tape lost track of it at"
        return f"{target} does not depend on {src}: {seen} {_describe_exit(exit)}."
    tracked = any(id(t) in tape._tracked for t in targets)
    epoch = _read_epoch(source)
    if not tracked and epoch is not None and tape._stopped_epoch is not None \
            and epoch >= tape._stopped_epoch:
        return (f"{src} was read again after the tape stopped recording (after its `with` "
                f"block ended), where nothing is recorded: compute {target} inside the block.")
    end = _frontier(path, ancestors)
    if tracked:
        text = f"{target} does not depend on {src}: no recorded op leads from it to the target."
    else:
        text = f"{target} was not computed from {src} by any op the tape recorded"
        text += "." if end is not None else f" ({_RECORDED})."
    if end is not None:
        text += (f" The tape followed {src} as far as {_describe_value(end, naming, producers)}"
                 f", which {target.split(' (')[0]} was not computed from.")
    return text


def _first_exit(exits, reach, ancestors):
    """The first exit on a path from the source to the targets (proven), else the first
    exit from the source at all."""
    first = None
    for exit in exits:
        if any(id(x) in reach for x in exit.inputs):
            if any(id(y) in ancestors for y in exit.outputs):
                return exit, True
            if first is None:
                first = exit, False
    return first


def _frontier(path, ancestors):
    """The last value computed from the source that no later recorded op used."""
    used = {id(x) for op in path for x in op.inputs}
    ends = [y for op in path for y in op.outputs if id(y) not in used]
    return ends[-1] if ends else None


def _describe_value(value, naming, producers):
    if id(value) in naming.names:
        return naming.of(value)
    return f"the output of op '{producers[id(value)].type}' (shape {value.shape})"


# --- reporting ----------------------------------------------------------------------------

# The latest reasons per variable, for Keras's "No gradients provided for any variable."
_recent = {}


def report(tape, targets, sources, grads, stacklevel):
    """Works out why each None in `grads` is None; warns (from user code) and keeps the
    reasons of variables for `missing_reasons` (until the next gradient)."""
    if _recent:
        _recent.clear()
    if all(grad is not None for grad in grads):
        return
    frame = sys._getframe(stacklevel - 1)  # the code that called `gradient`
    naming = _Naming(frame)
    internal = (frame.f_globals.get("__name__") or "").startswith("eagerflow")
    del frame
    recorded, lines = _Recorded(tape, targets), []
    for source, grad in zip(sources, grads):
        if grad is not None:
            continue
        reason = why_none(recorded, source, naming)
        if _is_variable(source):
            _recent[id(source)] = (weakref.ref(source), reason)
        lines.append(reason)
    if internal or not lines:
        return
    if len(lines) == 1:
        text = f"GradientTape.gradient returned None: {lines[0]}"
    else:
        shown = "".join(f"\n  - {line}" for line in lines[:8])
        more = f"\n  ... and {len(lines) - 8} more." if len(lines) > 8 else ""
        text = f"GradientTape.gradient returned None for {len(lines)} sources:{shown}{more}"
    text += ("\n(eagerflow explains; TensorFlow returns the same None silently. For zeros "
             "instead of None pass unconnected_gradients='zero'; "
             "tf.config.experimental.explain_none_gradients(False) turns this off.)")
    warnings.warn(text, GradientWarning, stacklevel=stacklevel)


def missing_reasons(variables, name_of):
    """Lines "name: reason" for the variables whose last gradient came back None."""
    lines = []
    for variable in variables:
        ref, reason = _recent.get(id(variable), (None, None))
        if ref is not None and ref() is variable:
            lines.append(f"  {name_of(variable)}: {reason}")
    return lines
