"""A tf.function trace: the recorder that turns op calls into a program, the symbolic tensors
it hands the Python body, and the program's two ways of running.

While the body is traced, every tensor it sees is a `SymbolicTensor`: a Tensor that holds a
probe value (the first call's arguments flow through the NumPy forwards, which is how output
shapes and dtypes are found) but prints, converts and branches as TensorFlow's graph tensors
do. The recorded `Program` is plain data — nodes of (kind, op name, attrs, input slots,
output slots) over numbered value slots — that runs either as one generated Python function
of NumPy calls (the fast replay) or op by op through the dispatcher, so that active tapes
and outer traces record each op.
"""

import collections
import copy
import operator
import sys
import threading

import numpy as np

from eagerflow.framework import op as op_module
from eagerflow.framework.errors import InvalidArgumentError, OperatorNotAllowedInGraphError
from eagerflow.framework import nest
from eagerflow.framework.op import Primitive, active_trace, read_epoch, record, recorders
from eagerflow.framework.tensor import Tensor, convert_to_tensor, wrap
from eagerflow.framework.tensor_shape import TensorShape

# id(symbolic tensor) -> (name, static shape or None) while its trace holds the tensor.
_graph_names = {}

_NOT_ALLOWED = ("is not allowed. You can attempt the following resolutions to the problem: "
                "If you are running in Graph mode, use Eager execution mode or decorate this "
                "function with @tf.function. If you are using AutoGraph, you can try "
                "decorating this function with @tf.function. If that does not work, then you "
                "may be using an unsupported feature or your source code may not be visible "
                "to AutoGraph. See https://github.com/tensorflow/tensorflow/blob/master/"
                "tensorflow/python/autograph/g3doc/reference/limitations.md#access-to-source-"
                "code for more information.")


class SymbolicTensor(Tensor):
    """A tensor inside a tf.function trace: it has a shape and a dtype but no value to read."""

    __slots__ = ()
    _symbolic = True

    @property
    def name(self):
        return _graph_names.get(id(self), ("unknown:0", None))[0]

    @property
    def shape(self):
        static = _graph_names.get(id(self), (None, None))[1]
        return static if static is not None else TensorShape._from_tuple(self._value.shape)

    def numpy(self):
        raise AttributeError("'SymbolicTensor' object has no attribute 'numpy'")

    def __array__(self, dtype=None, copy=None):
        # eagerflow's own helpers that need a value (`tf.range(n)`, a shape given as a list
        # of tensors) read the probe, and the trace is pinned to it (see `Trace.guard`);
        # the user's NumPy calls get TensorFlow's error.
        if _called_from_eagerflow(2):
            _guard(self)
            return Tensor.__array__(self, dtype, copy)
        raise NotImplementedError(
            f"Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy array. This error "
            "may indicate that you're trying to pass a Tensor to a NumPy call, which is not "
            "supported.")

    def _python_number(self, convert, message):
        # eagerflow's own helpers may read a traced shape or size (the probe serves); the
        # user's float(), int() and indexing get TensorFlow's TypeError.
        if _called_from_eagerflow(3):
            _guard(self)
            return convert(self._value)
        raise TypeError(message)

    def __float__(self):
        return self._python_number(float, "float() argument must be a string or a real "
                                          "number, not 'SymbolicTensor'")

    def __int__(self):
        return self._python_number(int, "int() argument must be a string, a bytes-like "
                                        "object or a real number, not 'SymbolicTensor'")

    def __index__(self):
        return self._python_number(operator.index, "'SymbolicTensor' object cannot be "
                                                   "interpreted as an integer")

    def __bool__(self):
        raise OperatorNotAllowedInGraphError(
            "Using a symbolic `tf.Tensor` as a Python `bool` " + _NOT_ALLOWED)

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(
            "Iterating over a symbolic `tf.Tensor` " + _NOT_ALLOWED)

    def __len__(self):
        raise TypeError(f"len is not well defined for a symbolic Tensor ({self.name}). Please "
                        f"call `x.shape` rather than `len(x)` for shape information.")

    def __str__(self):
        return f'Tensor("{self.name}", shape={self.shape}, dtype={self.dtype.name})'

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __format__(self, format_spec):
        if format_spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return str(self)


def _called_from_eagerflow(depth):
    """Whether the code `depth` frames up (past NumPy's own functions) is eagerflow's."""
    frame = sys._getframe(depth)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("numpy"):
        frame = frame.f_back
    return frame is not None and frame.f_globals.get("__name__", "").startswith("eagerflow.")


def _guard(tensor):
    """Pins the trace that made `tensor` to its probe value, which a helper just read."""
    trace = active_trace()
    while trace is not None and id(tensor) not in trace._slots:
        trace = trace.parent
    if trace is not None:
        trace.guard(tensor)


def graph_producer(tensor):
    """The recorded node (`.op` its type, `.attrs`) that made symbolic `tensor` in the
    running trace and its input tensors (TensorFlow's `tensor.op` and `tensor.op.inputs`),
    or None."""
    trace = active_trace()
    return trace.producer(tensor) if trace is not None and is_symbolic(tensor) else None


def is_symbolic(value):
    return isinstance(value, SymbolicTensor)


def set_static_shape(tensor, shape):
    """Records the static shape (None for open sizes) a traced tensor reports."""
    name, _ = _graph_names.get(id(tensor), ("unknown:0", None))
    _graph_names[id(tensor)] = (name, TensorShape(shape))


class Node:
    """One recorded step: `kind` is "op" (a primitive), "read" or "update" (a variable),
    or "call" (a control-flow op running sub-programs)."""

    __slots__ = ("kind", "op", "attrs", "inputs", "outputs", "primitive", "target")

    def __init__(self, kind, op, attrs, inputs, outputs, primitive=None, target=None):
        self.kind = kind
        self.op = op              # the op type name, or the variable method
        self.attrs = attrs        # keyword attributes by name
        self.inputs = inputs      # slot numbers
        self.outputs = outputs    # slot numbers
        self.primitive = primitive  # the Primitive, or a control-flow op object
        self.target = target      # the variable a "read"/"update" node acts on

    def __repr__(self):
        return f"<Node {self.kind} {self.op} {self.inputs} -> {self.outputs}>"


class Trace:
    """The recorder a tf.function pushes while its Python body runs."""

    records_all = True

    def __init__(self, allow_variables=True, parent=None):
        # Ops run by other threads meanwhile (tf.data's prefetch and map workers) are not
        # part of this trace: `recorders` is shared by all threads.
        self.thread = threading.get_ident()
        self.parent = parent      # the enclosing trace of a control-flow branch or body
        self.external = []        # tensors of an enclosing trace this one takes as inputs
        self.external_slots = []
        self.read_variables = []  # variables read in this trace (for control-flow gradients)
        self.nodes = []
        self.tensors = []         # slot -> tensor; holds them, so their ids stay unique
        self._slots = {}          # id(tensor) -> slot
        self.constants = {}       # slot -> array captured from outside (or made inside)
        self.variables = []       # variables read or updated, in first-use order
        self.created_variables = []
        self._allow_variables = allow_variables
        self._name_counts = {}
        self._probes = {}         # id(variable) -> its value as this trace has left it
        self.guards = {}          # slot -> the probe value the trace was built on
        self._named = []          # the tensors this trace made and named

    # --- slots ------------------------------------------------------------------------------

    def _unique_name(self, base):
        count = self._name_counts.get(base, 0)
        self._name_counts[base] = count + 1
        return f"{base}:0" if count == 0 else f"{base}_{count}:0"

    def _add(self, tensor, name, static_shape=None):
        slot = len(self.tensors)
        self.tensors.append(tensor)
        self._slots[id(tensor)] = slot
        if type(tensor) is Tensor:
            tensor.__class__ = SymbolicTensor
        _graph_names[id(tensor)] = (self._unique_name(name), static_shape)
        self._named.append(tensor)
        return slot

    def placeholder(self, value, name, static_shape=None):
        """A symbolic input holding `value` (an ndarray) as its probe; returns (tensor, slot)."""
        tensor = wrap(value)
        return tensor, self._add(tensor, name, static_shape)

    def slot(self, tensor):
        """The slot of `tensor`; a tensor made outside the trace is captured as a constant."""
        slot = self._slots.get(id(tensor))
        if slot is None:
            slot = len(self.tensors)
            self.tensors.append(tensor)
            self._slots[id(tensor)] = slot
            if self.parent is not None and self.parent.knows(tensor):
                self.external.append(tensor)
                self.external_slots.append(slot)
            else:
                self.constants[slot] = tensor._value
        return slot

    def knows(self, tensor):
        """Whether `tensor` belongs to this trace or an enclosing one."""
        return id(tensor) in self._slots or (self.parent is not None
                                             and self.parent.knows(tensor))

    def producer(self, tensor):
        """The node of this trace that made `tensor` and its input tensors, or None for a
        tensor it did not make (an input, a capture, another trace's)."""
        slot = self._slots.get(id(tensor))
        if slot is not None:
            for node in reversed(self.nodes):
                if slot in node.outputs:
                    return node, [self.tensors[s] for s in node.inputs]
        return None

    def close(self, keep=()):
        """Forgets the names of the trace's tensors, except those in `keep` (its outputs)."""
        kept = {id(t) for t in keep}
        for tensor in self._named:
            if id(tensor) not in kept:
                _graph_names.pop(id(tensor), None)
        self._named = []

    # --- the recorder protocol --------------------------------------------------------------

    def wants(self, inputs):
        return threading.get_ident() == self.thread

    def record(self, op):
        primitive = op.primitive
        if isinstance(primitive, Primitive):
            kind = "op"
        elif isinstance(primitive, ControlOp):
            kind = "call"
        else:  # a tf.custom_gradient function: called again at each execution
            kind, primitive = "call", CustomGradientCall(primitive)
        inputs = tuple(self.slot(x) for x in op.inputs)
        outputs = tuple(self._add(y, op.type) for y in op.outputs)
        self.nodes.append(Node(kind, op.type, dict(op.attrs), inputs, outputs, primitive))

    def record_stateful(self, name, fn, args, kwargs, updates_only):
        """Records a call of an `op.stateful` function (see there); returns its result, as
        symbolic tensors."""
        leaves = nest.flatten([list(args), kwargs])
        positions = [k for k, leaf in enumerate(leaves) if isinstance(leaf, Tensor)]
        call = StatefulCall(name, fn, [list(args), kwargs], leaves, positions, updates_only)
        outputs = apply(call, [leaves[k] for k in positions])
        return call.pack(outputs)

    def _variable_index(self, variable):
        for i, known in enumerate(self.variables):
            if known is variable:
                return i
        self.variables.append(variable)
        return len(self.variables) - 1

    def variable_read(self, variable, snapshot):
        if threading.get_ident() != self.thread:
            return None
        self._variable_index(variable)
        if all(v is not variable for v in self.read_variables):
            self.read_variables.append(variable)
        tensor = wrap(self._probes.get(id(variable), variable._value))
        slot = self._add(tensor, "ReadVariableOp")
        self.nodes.append(Node("read", "ReadVariableOp", {}, (), (slot,), target=variable))
        return tensor

    def guard(self, tensor):
        """Records that the program depends on `tensor`'s value (a helper read it to build
        what follows): a call where that value differs must not replay this program."""
        slot = self._slots[id(tensor)]
        if slot not in self.constants and slot not in self.guards:
            self.guards[slot] = np.array(tensor._value, copy=True)

    def variable_created(self, variable):
        if self.parent is not None:
            return self.parent.variable_created(variable)
        if not self._allow_variables:
            raise ValueError(
                "tf.function only supports singleton tf.Variables created on the first call. "
                "Make sure the tf.Variable is only created once or created outside "
                "tf.function. See https://www.tensorflow.org/guide/function#creating_"
                "tfvariables for more information.")
        self.created_variables.append(variable)

    def update_variable(self, variable, method, args, kwargs):
        """Records `variable.<method>(*args, **kwargs)` to run at execution, not now.

        The method runs on a copy of the variable holding the trace's probe value, which
        checks the arguments and gives later reads in the trace their shape.
        """
        self._variable_index(variable)
        tensors = [_as_update_argument(a, variable) for a in args]
        shadow = copy.copy(variable)
        shadow._value = self._probes.get(id(variable), variable._value)
        shadow._snapshot = None
        saved = recorders[:]
        recorders[:] = []
        try:
            getattr(shadow, method)(*[wrap(t._value) for t in tensors], **kwargs)
        finally:
            recorders[:] = saved
        self._probes[id(variable)] = shadow._value
        inputs = tuple(self.slot(t) for t in tensors)
        self.nodes.append(Node("update", method, dict(kwargs), inputs, (), target=variable))
        return variable if kwargs.get("read_value", True) else None


def _as_update_argument(value, variable):
    if hasattr(type(value), "_read_for_op"):
        return value._read_for_op()
    if hasattr(value, "indices") and hasattr(value, "values"):
        raise NotImplementedError("Sparse variable updates (scatter_*) inside a tf.function "
                                  "are not traced yet; call them outside.")
    return convert_to_tensor(value, variable.dtype)


def trace_function(body, trace):
    """Runs `body()` with `trace` as the only recorder (outer tapes see nothing of it)."""
    saved = recorders[:]
    recorders[:] = [trace]
    read_epoch[0] += 1
    try:
        return body()
    finally:
        recorders[:] = saved
        read_epoch[0] += 1


# Ops whose forward returns a newly made array that nothing else holds: an op declared
# with an in-place forward (Primitive.set_in_place) may reuse it in a traced replay.
# The largest result of an op on constants that a program keeps, instead of computing it at
# each replay.
_FOLDED_BYTES = 1 << 20

_FRESH_OUTPUTS = frozenset({"Conv2D", "Conv2DBackpropInput", "MatMul", "BatchMatMulV2",
                            "MaxPoolGrad", "AddV2", "BiasAdd", "Relu", "ReluGrad"})


class Program:
    """A finished trace: input slots, output slots and the nodes between them.

    `run(arrays)` is the fast replay; `run_ops(tensors)` replays through the dispatcher.
    """

    def __init__(self, trace, input_slots, output_slots):
        self.nodes = trace.nodes
        self.constants = trace.constants
        self.variables = trace.variables
        self.input_slots = tuple(input_slots)
        self.output_slots = tuple(output_slots)
        # Effects (variable updates, prints, stateful calls) must not run twice, so a
        # failing replay is not re-run through the dispatcher for TensorFlow's error text.
        self.has_effects = any(node.kind == "update" or not node.outputs
                               or getattr(node.primitive, "has_effects", False)
                               for node in self.nodes)
        self._constant_tensors = {slot: wrap(value) for slot, value in self.constants.items()}
        self.guards = trace.guards
        self._guard_nodes = self._nodes_computing(self.guards)
        self.strict_guards = False  # a loaded program raises where its guards fail
        self.run = self._compile()

    def _compile(self):
        """One Python function of the NumPy forwards, in order, over local slot names; the
        nodes computed from constants alone run once, here."""
        constants, folded = self._folded_constants()
        namespace = {f"s{slot}": value for slot, value in constants.items()}
        args = ", ".join(f"s{slot}" for slot in self.input_slots)
        lines = [f"def replay({args}):"]
        dead_after = self._dead_after(constants)
        in_place = self._in_place_nodes(constants)
        for k, node in enumerate(self.nodes):
            if k in folded:
                continue
            ins = [f"s{slot}" for slot in node.inputs]
            outs = ", ".join(f"s{slot}" for slot in node.outputs)
            if node.kind == "op":
                prim = node.primitive
                namespace[f"F{k}"] = prim.in_place if k in in_place else prim.forward
                call_args = f"[{', '.join(ins)}]" if prim.list_input else ", ".join(ins)
                for name, value in node.attrs.items():
                    if _is_default(prim, name, value):
                        continue  # the forward's own default: one keyword less per call
                    namespace[f"A{k}_{name}"] = value
                    call_args += f", {name}=A{k}_{name}"
                call_args = call_args.lstrip(", ")
                if not node.outputs:
                    lines.append(f"    F{k}({call_args})")
                elif prim.multiple_outputs:
                    lines.append(f"    {outs}, = F{k}({call_args})")
                else:
                    lines.append(f"    {outs} = F{k}({call_args})")
            elif node.kind == "read":
                namespace[f"V{k}"] = node.target
                lines.append(f"    {outs} = V{k}._value")
            elif node.kind == "update":
                namespace[f"U{k}"] = _fast_update(node)
                lines.append(f"    U{k}({', '.join(ins)})")
            else:  # "call": a control-flow op
                namespace[f"C{k}"] = node.primitive.run
                target = f"{outs}, = " if node.outputs else ""
                lines.append(f"    {target}C{k}({', '.join(ins)})")
            if dead_after[k]:
                lines.append("    del " + ", ".join(f"s{slot}" for slot in dead_after[k]))
        outs = "".join(f"s{slot}, " for slot in self.output_slots)
        lines.append(f"    return ({outs})")
        source = "\n".join(lines) + "\n"
        # The program's own generated source: names of slots and of recorded forwards only.
        exec(compile(source, "<tf.function replay>", "exec"), namespace)  # noqa: S102
        replay = namespace["replay"]
        replay.source = source
        return replay

    def _nodes_computing(self, slots):
        """The nodes, in order, that compute `slots` from the inputs: guards are checked by
        running these first. Nodes with effects are left out (their reads are pinned
        values the check cannot see)."""
        producer = {slot: k for k, node in enumerate(self.nodes) for slot in node.outputs}
        chosen, pending = set(), list(slots)
        while pending:
            k = producer.get(pending.pop())
            if k is not None and k not in chosen:
                chosen.add(k)
                pending.extend(self.nodes[k].inputs)
        return [self.nodes[k] for k in sorted(chosen)
                if self.nodes[k].kind != "update" and self.nodes[k].outputs
                and not getattr(self.nodes[k].primitive, "has_effects", False)]

    def guards_hold(self, tensors):
        """Whether the values this program was built on come out the same for `tensors`."""
        values = dict(self.constants)
        values.update(zip(self.input_slots, (t._value for t in tensors)))
        for node in self._guard_nodes:
            ins = [values[slot] for slot in node.inputs]
            if node.kind == "op":
                prim = node.primitive
                out = prim.forward(ins, **node.attrs) if prim.list_input else \
                    prim.forward(*ins, **node.attrs)
                outs = tuple(out) if prim.multiple_outputs else (out,)
            elif node.kind == "read":
                outs = (node.target._value,)
            else:
                outs = tuple(node.primitive.run(*ins))
            values.update(zip(node.outputs, outs))
        return all(slot in values and np.array_equal(values[slot], expected)
                   for slot, expected in self.guards.items())

    def _folded_constants(self):
        """The program's constants with the outputs of the ops whose inputs are all
        constants (computed once, up to `_FOLDED_BYTES` each), and those ops' indices."""
        constants, folded = dict(self.constants), set()
        for k, node in enumerate(self.nodes):
            prim = node.primitive
            if (node.kind != "op" or not node.outputs or prim.stateful
                    or not all(slot in constants for slot in node.inputs)):
                continue
            ins = [constants[slot] for slot in node.inputs]
            try:
                out = prim.forward(ins, **node.attrs) if prim.list_input else \
                    prim.forward(*ins, **node.attrs)
            except Exception:  # noqa: BLE001 -- left to the replay, which reports it
                continue
            outs = tuple(out) if prim.multiple_outputs else (out,)
            if all(np.asarray(a).nbytes <= _FOLDED_BYTES for a in outs):
                constants.update(zip(node.outputs, outs))
                folded.add(k)
        return constants, folded

    def _in_place_nodes(self, constants):
        """The nodes whose forward may write into their first input's array: one that an
        op returning a new array made (`_FRESH_OUTPUTS`), that no other node reads and that
        is no input, output, constant or guard of the program."""
        uses = collections.Counter(slot for node in self.nodes for slot in node.inputs)
        reserved = set(self.input_slots) | set(self.output_slots) | set(constants) | set(
            self.guards)
        fresh, chosen = set(), set()
        for k, node in enumerate(self.nodes):
            if node.kind != "op":
                continue
            prim = node.primitive
            if (prim.in_place is not None and node.inputs and node.inputs[0] in fresh
                    and uses[node.inputs[0]] == 1 and node.inputs[0] not in reserved):
                chosen.add(k)
            if prim.name in _FRESH_OUTPUTS or k in chosen:
                fresh.update(node.outputs)
        return chosen

    def _dead_after(self, constants):
        """Per node, the local slots nothing later reads: deleted there, so that their
        arrays are freed early and a variable's array is no longer seen by a read of it
        when an update writes it in place."""
        keep = set(self.output_slots) | set(constants)
        last_use = {}
        for k, node in enumerate(self.nodes):
            for slot in node.inputs + node.outputs:
                last_use[slot] = k
        dead = [[] for _ in self.nodes]
        for slot, k in last_use.items():
            if slot not in keep:
                dead[k].append(slot)
        return [sorted(set(slots)) for slots in dead]

    def run_ops(self, tensors):
        """Replays node by node through the dispatcher; returns the output Tensors."""
        values = dict(self._constant_tensors)
        values.update(zip(self.input_slots, tensors))
        for node in self.nodes:
            ins = [values[slot] for slot in node.inputs]
            if node.kind == "op":
                prim = node.primitive
                args = (ins,) if prim.list_input else tuple(ins)
                result = prim.call(args, dict(node.attrs))
                outs = tuple(result) if prim.multiple_outputs else (result,)
            elif node.kind == "read":
                outs = (node.target._read_for_op(),)
            elif node.kind == "update":
                getattr(node.target, node.op)(*ins, **node.attrs)
                outs = ()
            elif active_trace() is not None:  # replayed into an enclosing trace
                outs = apply(node.primitive, ins)
            else:
                outs = node.primitive.run_ops(ins)
            values.update(zip(node.outputs, outs))
        return [values[slot] for slot in self.output_slots]

    def execute(self, tensors):
        """Runs the program on input Tensors: through the dispatcher when a tape or an outer
        trace is recording, else the fast replay. Returns output Tensors."""
        if self.strict_guards and self.guards and not self.guards_hold(tensors):
            raise InvalidArgumentError(
                None, None, "This saved function was traced for particular input values (an "
                            "op read a tensor's value while tracing, as tf.range(n) does) and "
                            "cannot run for these inputs; save a trace for them.")
        if recorders:
            return self.run_ops(tensors)
        arrays = [t._value for t in tensors]
        try:
            outputs = self.run(*arrays)
        except (ValueError, TypeError, IndexError) as err:
            if self.has_effects:
                raise InvalidArgumentError(None, None, str(err)) from None
            return self.run_ops(tensors)  # for the op's own TensorFlow error
        return [wrap(a) for a in outputs]


def _is_default(prim, name, value):
    """Whether `value` is what the forward's parameter `name` defaults to anyway."""
    code, defaults = prim.forward.__code__, prim.forward.__defaults__ or ()
    names = code.co_varnames[:code.co_argcount]
    defaulted = dict(zip(names[len(names) - len(defaults):], defaults))
    default = defaulted.get(name, _NO_DEFAULT)
    return (type(value) is type(default) and type(value) in (bool, int, float, str, type(None))
            and value == default)


_NO_DEFAULT = object()


def _fast_update(node):
    variable, method, attrs = node.target, node.op, node.attrs
    if method == "assign" and not attrs:
        def update(value):
            variable._store(value)
    elif method in ("assign_add", "assign_sub") and not attrs:
        ufunc = np.add if method == "assign_add" else np.subtract

        def update(delta):
            buffer = variable._writable_array()
            ufunc(buffer, delta, out=buffer)
    else:
        bound = getattr(variable, method)

        def update(*arrays):
            bound(*[wrap(a) for a in arrays], **attrs)
    return update


def executing_eagerly():
    """False while a tf.function is being traced, True otherwise.

    >>> tf.executing_eagerly()
    True
    """
    return op_module.active_trace() is None


# --- sub-programs and the control-flow ops that run them ------------------------------------

class SubProgram:
    """A traced branch or loop body: its program, output structure and the enclosing
    trace's tensors it reads (`external`, passed after its own arguments)."""

    def __init__(self, program, structure, external, variables, output_probes):
        self.program = program
        self.structure = structure
        self.external = external
        self.variables = variables
        self.output_probes = output_probes

    def check_values(self, values, construct):
        """Raises where this sub-program was traced on a value of its inputs (a helper read
        it, as a shape given as a list holding a tensor is read) that `values` (arrays or
        Tensors) change: replaying it would silently compute with the traced value."""
        program = self.program
        if program.guards and not program.guards_hold(
                [v if isinstance(v, Tensor) else wrap(v) for v in values]):
            raise InvalidArgumentError(
                None, None, f"A {construct} inside this tf.function was traced for particular "
                            "values of its inputs (an op read a tensor's value while tracing, "
                            "as tf.reshape(x, [i, -1]) reads i: eagerflow's ops take shapes "
                            "as fixed values) and cannot run for other values. Compute it "
                            "outside the loop or branch, or run the function eagerly.")


def trace_subprogram(fn, probes, names, convert_outputs=None):
    """Traces `fn(*placeholders)` inside the active trace as a sub-program.

    `probes` are the arrays the placeholders hold; `convert_outputs(result)` turns the
    result into a flat list of tensors (default: `nest.flatten` and `convert_to_tensor`).
    """
    pending = start_subprogram(fn, probes, names)
    if convert_outputs is None:
        flat = [convert_to_tensor(x) for x in nest.flatten(pending.result)]
    else:
        flat = convert_outputs(pending.result)
    return pending.finish(flat)


class _PendingSubProgram:
    """A traced sub-program whose outputs are not chosen yet (see `finish`)."""

    def __init__(self, sub, slots, result):
        self.sub = sub
        self.slots = slots
        self.result = result

    def finish(self, flat):
        """The SubProgram returning the tensors `flat` (made in it, read from an enclosing
        trace, or constants)."""
        sub = self.sub
        output_slots = [sub.slot(t) for t in flat]
        sub.close()
        program = Program(sub, self.slots + sub.external_slots, output_slots)
        return SubProgram(program, self.result, sub.external, sub.read_variables,
                          [t._value for t in flat])


def start_subprogram(fn, probes, names):
    """Runs `fn(*placeholders)` as a sub-trace of the active trace; `.result` is what it
    returned and `.finish(tensors)` makes the SubProgram."""
    sub = Trace(parent=active_trace())
    saved = recorders[:]
    recorders[:] = [sub]
    try:
        placeholders, slots = [], []
        for probe, name in zip(probes, names):
            tensor, slot = sub.placeholder(probe, name)
            placeholders.append(tensor)
            slots.append(slot)
        result = fn(*placeholders)
    finally:
        recorders[:] = saved
    return _PendingSubProgram(sub, slots, result)


class ControlOp:
    """An op that runs sub-programs (tf.cond, tf.while_loop, their gradients).

    `run(*arrays)` returns output arrays (the fast replay), `run_ops(tensors)` output
    Tensors through the dispatcher, `probe(arrays)` stand-in outputs for tracing. The last
    `len(self.variables)` inputs are reads of the variables its sub-programs read: they
    carry no value in, only the gradient path to those variables.
    """

    differentiable = True
    multiple_outputs = True
    variables = ()

    def bind_attrs(self, attr_args, kwargs):
        return {}

    def grad_fn(self, op, *dys):
        inputs = list(op.inputs)
        grads = apply(GradientOf(self, [t.dtype for t in inputs]), inputs + list(dys))
        return [g if t.dtype.is_floating or t.dtype.is_complex else None
                for g, t in zip(grads, inputs)]


class CustomGradientCall(ControlOp):
    """A tf.custom_gradient function called in a trace. Replayed by calling it again: the
    fast replay runs its forward; under a tape it is recorded with its own gradient."""

    def __init__(self, custom_op):
        self.name = custom_op.name
        self.replay = custom_op.replay
        self.variables = tuple(custom_op._variables)

    def run(self, *arrays):
        saved = recorders[:]
        recorders[:] = []
        try:
            return [t._value for t in self.replay([wrap(a) for a in arrays])]
        finally:
            recorders[:] = saved

    def run_ops(self, tensors):
        return self.replay(list(tensors))


class GradientOf(ControlOp):
    """The gradient of a ControlOp's outputs (weighted by upstream gradients) with respect
    to each of its inputs, computed by running it again under a tape."""

    def __init__(self, control_op, input_dtypes):
        self.name = control_op.name + "Grad"
        self.control_op = control_op
        self.n_inputs = len(input_dtypes)
        self.input_dtypes = input_dtypes

    def probe(self, arrays):
        return [np.zeros_like(a) for a in arrays[:self.n_inputs]]

    def run(self, *arrays):
        saved = recorders[:]
        recorders[:] = []
        try:
            return [t._value for t in self.run_ops([wrap(a) for a in arrays])]
        finally:
            recorders[:] = saved

    def run_ops(self, tensors):
        from eagerflow.framework.tape import GradientTape  # the tape imports this floor
        inputs, dys = list(tensors[:self.n_inputs]), list(tensors[self.n_inputs:])
        variables = list(self.control_op.variables)
        n_plain = self.n_inputs - len(variables)
        differentiable = [i for i in range(n_plain)
                          if inputs[i].dtype.is_floating or inputs[i].dtype.is_complex]
        with GradientTape() as tape:
            tape.watch([inputs[i] for i in differentiable])
            tape.watch(variables)
            outputs = self.control_op.run_ops(inputs)
        pairs = [(o, dy) for o, dy in zip(outputs, dys)
                 if o.dtype.is_floating or o.dtype.is_complex]
        sources = [inputs[i] for i in differentiable] + variables
        grads = tape.gradient([o for o, _ in pairs], sources,
                              output_gradients=[dy for _, dy in pairs],
                              unconnected_gradients="zero") if pairs else [None] * len(sources)
        result = [_zeros(t) for t in inputs]
        for i, g in zip(differentiable, grads):
            result[i] = g if g is not None else result[i]
        for k, g in enumerate(grads[len(differentiable):]):
            if g is not None:
                result[n_plain + k] = convert_to_tensor(g)
        return result


def _zeros(tensor):
    return wrap(np.zeros(tensor._value.shape, tensor._value.dtype))


def apply(control_op, inputs):
    """Calls `control_op` on tensors inside a trace: records one node (tapes inside the
    trace record it too, with the op's gradient) and returns symbolic outputs."""
    inputs = tuple(inputs)
    outputs = tuple(wrap(a) for a in control_op.probe([t._value for t in inputs]))
    record(control_op, inputs, outputs)
    return list(outputs)


class StatefulCall(ControlOp):
    """A recorded call of an `op.stateful` function: `run` calls it again on the arrays."""

    differentiable = False
    has_effects = True

    def __init__(self, name, fn, structure, leaves, positions, updates_only):
        self.name = name
        self.fn = fn
        self.structure = structure
        self.leaves = leaves
        self.positions = positions
        self.updates_only = updates_only
        self.result = None  # the structure of the result, from the trace-time probe call
        # Arguments that are all leaves (an optimizer update's): no packing at each call.
        args, kwargs = structure
        self._flat = not any(nest.is_nested(a) for a in list(args) + list(kwargs.values()))
        self._n_args, self._keywords = len(args), sorted(kwargs)  # nest's order of leaves

    def _call(self, tensors):
        leaves = list(self.leaves)
        for k, tensor in zip(self.positions, tensors):
            leaves[k] = tensor
        if self._flat:
            n = self._n_args
            result = self.fn(*leaves[:n], **dict(zip(self._keywords, leaves[n:])))
            if result is None:
                return [], None
        else:
            args, kwargs = nest.pack_sequence_as(self.structure, leaves)
            result = self.fn(*args, **kwargs)
        return [leaf for leaf in nest.flatten(result) if isinstance(leaf, Tensor)], result

    def probe(self, arrays):
        if self.updates_only:
            return []
        before, op_module.probing[0] = op_module.probing[0], True
        try:
            flat, self.result = self._call_unrecorded(arrays)
        finally:
            op_module.probing[0] = before
        return [t._value for t in flat]

    def _call_unrecorded(self, arrays):
        saved = recorders[:]
        recorders[:] = []
        try:
            return self._call([wrap(a) for a in arrays])
        finally:
            recorders[:] = saved

    def pack(self, outputs):
        if self.result is None:
            return None
        flat = iter(outputs)
        return nest.pack_sequence_as(self.result, [
            next(flat) if isinstance(leaf, Tensor) else leaf
            for leaf in nest.flatten(self.result)])

    def run(self, *arrays):
        return [t._value for t in self._call_unrecorded(arrays)[0]]

    def run_ops(self, tensors):
        return self._call(list(tensors))[0]
