"""GradientTape: records ops on watched tensors and runs the backward pass over them."""

import contextlib
import enum
import logging
import sys

import numpy as np

from eagerflow.framework import gradient_reasons, indexed_slices, nest
from eagerflow.framework.broadcasting import sum_to_shape
from eagerflow.framework.indexed_slices import IndexedSlices, to_dense
from eagerflow.framework.op import Op, Primitive, read_epoch, recorders
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor, wrap

_logger = logging.getLogger("eagerflow")


class UnconnectedGradients(enum.Enum):
    """What `gradient` returns for a source with no path to the target."""

    NONE = "none"
    ZERO = "zero"


def _read_variable(x):
    return x


# The record that links a variable to the tensor read from it, so gradients reach it.
_READ_VARIABLE = Primitive("ReadVariableOp", _read_variable)
_READ_VARIABLE.set_gradient(lambda op, dy: [dy])


def _is_variable(x):
    return hasattr(type(x), "_read_for_op")


def _carries_gradient(x):
    return x._value.dtype.kind in "fc"  # Tensors and Variables both hold `_value`


# Ops whose gradient hands the upstream gradient on unchanged: an IndexedSlices passes
# through them still sparse (as in TensorFlow), so a variable read through a gather gets
# an IndexedSlices. Every other gradient function is given a dense Tensor.
_SPARSE_PASS_THROUGH = frozenset({"ReadVariableOp", "Identity"})

_USED_UP = ("A non-persistent GradientTape can only be used to compute one set of gradients "
            "(or jacobians)")
# eagerflow's hints, added as a note (shown in the traceback) to TensorFlow's message.
_USED_UP_HINT = ("This tape was already used: to compute more than one gradient from one "
                 "recording, create it with tf.GradientTape(persistent=True).")
_GRADIENT_IN_CONTEXT = (
    "Calling GradientTape.gradient on a persistent tape inside its context is significantly "
    "less efficient than calling it outside the context (it causes the gradient ops to be "
    "recorded on the tape, leading to increased CPU and memory usage). Only call "
    "GradientTape.gradient inside the context if you actually want to trace the gradient in "
    "order to compute higher order derivatives.")
_NEVER_ENTERED_HINT = ("This tape has recorded nothing: use it as `with tf.GradientTape() "
                       "as tape:` around the computation.")


class GradientTape:
    """Records operations for automatic differentiation.

    Ops run inside the `with` block on watched tensors (trainable variables are watched
    when read) are recorded; `gradient` then differentiates through them.

    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * x
    >>> float(tape.gradient(y, x))
    6.0

    Args:
      persistent: allow more than one `gradient` (or `jacobian`) call.
      watch_accessed_variables: watch trainable variables read while recording.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._recording = False
        # TensorFlow's `self._tape is not None`: entered, and not yet used up by a
        # non-persistent `gradient`. Entering again after that starts a fresh record.
        self._has_record = False
        self._used_up = False
        self._released_variables = ()
        self._clear()

    def _clear(self):
        self._ops = []
        self._tracked = set()     # ids of watched tensors/variables and what derives from them
        self._watched = {}        # id -> watched object, which keeps the id valid
        self._variables = {}      # id -> watched variable, in the order watched
        # Marks for the reason of a None gradient (gradient_reasons), off the fast path:
        self._exits = []          # where paths from watched values ended, in order
        self._paused = []         # a PausedSpan per stop_recording() block
        self._dead_ends = []      # (op, input) whose gradient function returned None
        self._started_epoch = self._stopped_epoch = None  # read epochs of start and stop

    # --- recording ----------------------------------------------------------------------

    def __enter__(self):
        self._push()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self._recording:
            self._pop()

    def _push(self):
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to "
                             "re-enter an already-active tape.")
        self._has_record = True
        read_epoch[0] += 1
        if self._started_epoch is None:
            self._started_epoch = read_epoch[0]
        self._stopped_epoch = None
        recorders.append(self)
        self._recording = True

    def _pop(self):
        if not self._recording:
            raise ValueError("Tape is not recording.")
        recorders.remove(self)
        self._recording = False
        read_epoch[0] += 1  # a variable read from now on is a new read, seen as unrecorded
        self._stopped_epoch = read_epoch[0]

    def watch(self, tensor):
        """Ensures `tensor` (a Tensor, Variable or nested structure of them) is traced.

        Raises:
          ValueError: if `tensor` holds something that is not a Tensor or Variable.
        """
        for item in nest.flatten(tensor):
            if not (_is_variable(item) or isinstance(item, Tensor)):
                raise ValueError(f"Passed in object {item} of type {type(item).__name__!r}, "
                                 "not tf.Tensor or tf.Variable or ExtensionType.")
            if not _carries_gradient(item):
                _logger.warning("The dtype of the watched tensor must be floating (e.g. "
                                f"tf.float32), got {item.dtype!r}")
            if _is_variable(item):
                self._watch_variable(item)
            elif _carries_gradient(item):
                self._tracked.add(id(item))
                self._watched[id(item)] = item

    def _watch_variable(self, variable):
        read_epoch[0] += 1
        key = id(variable)
        self._tracked.add(key)
        self._watched[key] = variable
        self._variables[key] = variable

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stops recording: ops inside this context are not differentiated.

        >>> x = tf.constant(4.0)
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     with tape.stop_recording():
        ...         y = x ** 2
        >>> print(tape.gradient(y, x))
        None

        Raises:
          RuntimeError: if the tape was never entered or is used up.
          ValueError: if the tape is not recording (outside its `with` block).
        """
        if not self._has_record:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        self._pop()
        span = gradient_reasons.PausedSpan(self)
        self._paused.append(span)
        recorders.append(span)
        try:
            yield
        finally:
            recorders.remove(span)
            self._push()

    def reset(self):
        """Forgets everything recorded, as if the tape had been exited and re-entered.

        Raises:
          ValueError: if the tape is not recording.
        """
        self._pop()
        self._clear()
        self._push()

    def watched_variables(self):
        """The variables watched by this tape, in the order they were created."""
        variables = self._variables.values() if self._has_record else self._released_variables
        return tuple(sorted(variables, key=lambda v: v._creation_index))

    # The recorder protocol the op dispatcher calls, on every op while the tape records.

    def wants(self, inputs):
        tracked = self._tracked
        for x in inputs:
            if id(x) in tracked:
                return True
        return False

    def record(self, op):
        tracked = self._tracked
        differentiable = False
        for output in op.outputs:
            if output._value.dtype.kind in "fc":
                tracked.add(id(output))
                differentiable = True
        if differentiable:  # an op with only integer outputs can pass on no gradient
            self._ops.append(op)
        else:
            self.note_cut(op)

    def note_cut(self, op):
        """Keeps an op on watched values that passes no gradient on (stop_gradient, argmax,
        an integer cast): a None gradient's reason may be there."""
        exit = gradient_reasons.op_exit(op)
        if exit is not None:
            self._exits.append(exit)

    def value_left(self, value, how):
        """Keeps a watched value (or a variable the tape would watch) that left as NumPy."""
        if id(value) in self._tracked or (_is_variable(value) and value.trainable
                                          and self._watch_accessed_variables):
            self._exits.append(gradient_reasons.Exit((value,), (), how,
                                                     gradient_reasons.caller()))

    def variable_read(self, variable, snapshot):
        tracked = self._tracked
        if id(variable) not in tracked:
            if not (self._watch_accessed_variables and variable.trainable):
                return
            self._watch_variable(variable)
        if id(snapshot) not in tracked and snapshot._value.dtype.kind in "fc":
            self._ops.append(Op(_READ_VARIABLE, (variable,), (snapshot,), {}))
            tracked.add(id(snapshot))

    # --- differentiation ----------------------------------------------------------------

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """Computes the gradient of `target` with respect to `sources`.

        Args:
          target: a Tensor or Variable, or a nested structure of them (their sum is
            differentiated).
          sources: a Tensor or Variable, or a nested structure of them; the result has
            the same structure.
          output_gradients: upstream gradients, one per target (default: ones).
          unconnected_gradients: "none" or "zero": the result for unconnected sources.

        Returns:
          The gradients, structured like `sources`; None where no gradient flows, with
          a `tf.GradientWarning` saying why (eagerflow's own; TensorFlow is silent).

        Raises:
          RuntimeError: on a second call to a non-persistent tape.
          TypeError: if a target or source is not a Tensor or Variable.
        """
        self._ensure_record()
        if self._recording and self._persistent:
            _logger.warning(_GRADIENT_IN_CONTEXT)
        unconnected = _unconnected(unconnected_gradients)
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of "
                            "Tensors, Variables or CompositeTensors to be differentiated, "
                            "but received None.")
        targets = [_as_target(t, "gradient") for t in nest.flatten(target)]
        seeds = _seeds(targets, output_gradients)
        flat_sources = [_as_source(s, "gradient", "sources") for s in nest.flatten(sources)]
        self._stop_if_used_up()
        path, reach = self._path(flat_sources)
        self._dead_ends = []
        grads = self._backprop(path, reach, targets, seeds, flat_sources)
        if unconnected is UnconnectedGradients.NONE and gradient_reasons.explaining[0]:
            gradient_reasons.report(self, targets, flat_sources, grads, stacklevel=3)
        grads = [_fill_unconnected(g, s, unconnected) for g, s in zip(grads, flat_sources)]
        if not self._persistent:
            self._release()
        return nest.pack_sequence_as(sources, grads)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """The Jacobian of `target` with respect to each source: shape target + source.

        One backward pass per element of `target`.

        >>> x = tf.constant([1.0, 2.0])
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.jacobian(y, x).numpy().tolist()
        [[2.0, 0.0], [0.0, 4.0]]
        """
        self._ensure_record()
        unconnected = _unconnected(unconnected_gradients)
        target = _as_target(target, "jacobian")
        flat_sources = [_as_source(s, "jacobian", "sources") for s in nest.flatten(sources)]
        self._stop_if_used_up()
        path, reach = self._path(flat_sources)
        rows = [self._backprop(path, reach, [target], [_one_hot(target, index)], flat_sources)
                for index in np.ndindex(*target._value.shape)]
        jacobians = [_assemble(target._value.shape, [row[k] for row in rows], source,
                               unconnected) for k, source in enumerate(flat_sources)]
        if not self._persistent:
            self._release()
        return nest.pack_sequence_as(sources, jacobians)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: `target[i]` with respect to `source[i]`, for each i.

        Examples must be independent. One backward pass per element of `target[0]`.
        As in TensorFlow, an unconnected source gives zeros whatever
        `unconnected_gradients` says.

        >>> x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.batch_jacobian(y, x).numpy().tolist()
        [[[2.0, 0.0], [0.0, 4.0]], [[6.0, 0.0], [0.0, 8.0]]]
        """
        self._ensure_record()
        _unconnected(unconnected_gradients)
        target = _as_target(target, "batch_jacobian")
        source = _as_source(source, "batch_jacobian", "source")
        for tensor in (target, source):
            if tensor._value.ndim < 2:
                raise ValueError(f"Shape {tensor.shape} must have rank at least 2")
        if target._value.shape[0] != source._value.shape[0]:
            raise ValueError(f"Need first dimension of target shape ({target.shape}) and "
                             f"source shape ({source.shape}) to match.")
        self._stop_if_used_up()
        path, reach = self._path([source])
        inner = target._value.shape[1:]
        columns = []
        for index in np.ndindex(*inner):
            seed = np.zeros(target._value.shape, target._value.dtype)
            seed[(slice(None),) + index] = 1
            columns.append(self._backprop(path, reach, [target], [wrap(seed)], [source])[0])
        jacobian = _assemble(inner, columns, source, UnconnectedGradients.ZERO)
        if not self._persistent:
            self._release()
        # `jacobian` has shape inner + source; the batch axis moves to the front.
        perm = [len(inner)] + list(range(len(inner))) + list(
            range(len(inner) + 1, len(inner) + source._value.ndim))
        from eagerflow.ops import array_ops  # transposing is an array op, one floor up
        return array_ops.transpose(jacobian, perm)

    def _ensure_record(self):
        if not self._has_record:
            error = RuntimeError(_USED_UP)
            if sys.version_info >= (3, 11):
                error.add_note(_USED_UP_HINT if self._used_up else _NEVER_ENTERED_HINT)
            raise error

    def _stop_if_used_up(self):
        """A non-persistent tape records nothing more once its gradient is asked for."""
        if self._recording and not self._persistent:
            self._pop()

    def _release(self):
        self._released_variables = tuple(self._variables.values())
        self._clear()
        self._has_record = False
        self._used_up = True

    def _path(self, sources):
        """The recorded ops downstream of a source, in order, and the ids they reach."""
        tracked = self._tracked
        reach = {id(s) for s in sources if id(s) in tracked}
        path = []
        if reach:
            for op in self._ops:
                for x in op.inputs:
                    if id(x) in reach:
                        path.append(op)
                        reach.update(id(output) for output in op.outputs)
                        break
        return path, reach

    def _backprop(self, path, reach, targets, seeds, sources):
        """Gradients of sum(seed * target) for each source (None where none flows)."""
        source_ids = [id(s) for s in sources]
        keep = set(source_ids)
        grads = {}
        sparse = False  # whether any IndexedSlices gradient is in flight
        for target, seed in zip(targets, seeds):
            # A target that is itself a source gets its seed, watched or not (as in TF).
            if id(target) in reach or id(target) in keep:
                _accumulate(grads, id(target), seed)
        for op in reversed(path):
            dys = [grads.get(id(output)) for output in op.outputs]
            if all(dy is None for dy in dys):
                continue
            for output in op.outputs:
                if id(output) not in keep:
                    grads.pop(id(output), None)  # used once: free it early
            if sparse and op.primitive.name not in _SPARSE_PASS_THROUGH:
                dys = [to_dense(dy) for dy in dys]
            op.needs_grad = needs = tuple(
                id(x) in reach and _carries_gradient(x) for x in op.inputs)
            for x, dx, needed in zip(op.inputs, _call_gradient(op, dys), needs):
                if dx is None or not needed:
                    if needed:  # where a None gradient's reason may be
                        self._dead_ends.append((op, x))
                    continue
                if isinstance(dx, IndexedSlices):
                    sparse = True  # never summed to shape: it has its dense shape
                    _accumulate(grads, id(x), dx)
                    continue
                if not isinstance(dx, Tensor):
                    dx = convert_to_tensor(dx, x.dtype)
                shape = x._value.shape
                if dx._value.shape != shape:
                    dx = sum_to_shape(dx, shape)
                _accumulate(grads, id(x), dx)
        return [grads.get(key) for key in source_ids]


def _call_gradient(op, dys):
    grad_fn = op.primitive.grad_fn
    if grad_fn is None:
        raise LookupError(f"No gradient defined for operation '{op.type}' "
                          f"(op type: {op.type}).")
    if len(dys) > 1:
        dys = [wrap(np.zeros(o._value.shape, o._value.dtype)) if dy is None else dy
               for dy, o in zip(dys, op.outputs)]
    input_grads = list(grad_fn(op, *dys))
    if len(input_grads) != len(op.inputs):
        raise ValueError(f"The gradient of {op.type} returned {len(input_grads)} gradients "
                         f"for {len(op.inputs)} inputs.")
    return input_grads


def _accumulate(grads, key, dx):
    previous = grads.get(key)
    if previous is None:
        grads[key] = dx
    elif isinstance(previous, IndexedSlices) or isinstance(dx, IndexedSlices):
        # Ops run backward, so `dx` comes from an earlier op: it goes first, and sparse
        # contributions concatenate in the order their ops ran.
        grads[key] = indexed_slices.add(dx, previous)
    else:
        grads[key] = previous + dx


def _unconnected(value):
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


def _as_target(value, method):
    if isinstance(value, Tensor) or _is_variable(value):
        return value  # a Variable target is the variable itself, as TF's handle is
    raise TypeError(f"GradientTape.{method}: `target` must be a Tensor or Variable (or a "
                    f"structure of them), got {type(value).__name__}: {value!r}")


def _as_source(value, method, argument):
    if not is_tensor(value):
        raise TypeError(f"GradientTape.{method}: `{argument}` must be Tensors or Variables "
                        f"(or a structure of them), got {type(value).__name__}: {value!r}")
    return value


def _seeds(targets, output_gradients):
    if output_gradients is None:
        return [wrap(np.ones(t._value.shape, t._value.dtype)) for t in targets]
    flat = nest.flatten(output_gradients)
    if len(flat) != len(targets):
        raise ValueError(f"`output_gradients` has {len(flat)} entries for {len(targets)} "
                         "targets; give one per target.")
    return [wrap(np.ones(t._value.shape, t._value.dtype)) if g is None
            else convert_to_tensor(g, t.dtype) for g, t in zip(flat, targets)]


def _zeros_like(x):
    return wrap(np.zeros(x._value.shape, x._value.dtype))


def _fill_unconnected(grad, source, unconnected):
    if grad is None and unconnected is UnconnectedGradients.ZERO:
        return _zeros_like(source)
    return grad


def _one_hot(target, index):
    seed = np.zeros(target._value.shape, target._value.dtype)
    seed[index] = 1
    return wrap(seed)


def _assemble(outer_shape, grads, source, unconnected):
    """Stacks per-element gradients into one tensor of shape outer_shape + source.shape."""
    from eagerflow.ops import array_ops  # stacking is an array op, one floor up
    shape = tuple(outer_shape) + source._value.shape
    grads = [to_dense(g) for g in grads]  # a Jacobian is dense, as in TensorFlow
    if any(g is None for g in grads):
        if unconnected is UnconnectedGradients.NONE and all(g is None for g in grads):
            return None
        grads = [_zeros_like(source) if g is None else g for g in grads]
    if not grads:
        return wrap(np.zeros(shape, source._value.dtype))
    return array_ops.reshape(array_ops.stack(grads), shape)
