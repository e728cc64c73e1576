"""The graphs `tf.summary.trace_export` writes: tf.function traces as TensorFlow GraphDefs.

While `tf.summary.trace_on(graph=True)` is in effect, every trace a tf.function makes is
remembered, as TensorFlow remembers the functions it instantiates meanwhile (a function
traced before and only called again is not). `run_metadata(...)` then writes them the way
TensorFlow's function graphs read before optimization: an `_Arg` node per input (and per
variable, a resource), one node per recorded op (a control-flow op is one node), a `Const`
node per captured value, then an `Identity` and a `_Retval` node per output. Names are
TensorFlow's: unique ignoring case ("add", "add_1", "Add_2"), ops named as TensorFlow's
Python operators and functions name them ("mul", "truediv", "concat"), constants after
their consumer and its input ("add/y").
"""

import numpy as np

from eagerflow.framework import dtypes

_DT_INVALID, _DT_RESOURCE = 0, 20
_CONST_VALUE_LIMIT = 1024  # larger captured values keep their dtype and shape, not their data

# Op types whose nodes TensorFlow names after the Python operator or function making them
# (`x + y` is "add", `tf.concat` "concat"); other nodes are named after their op type.
_DEFAULT_NAMES = {"AddV2": "add", "Mul": "mul", "Sub": "sub", "RealDiv": "truediv",
                  "FloorDiv": "floordiv", "FloorMod": "mod", "Pow": "pow",
                  "ConcatV2": "concat", "Pack": "stack", "Unpack": "unstack"}
# Variable methods and the resource ops TensorFlow records for them.
_UPDATE_OPS = {"assign": "AssignVariableOp", "assign_add": "AssignAddVariableOp",
               "assign_sub": "AssignSubVariableOp"}


class _Recording:
    """The traces remembered since `tf.summary.trace_on`."""

    def __init__(self):
        self.on = False
        self.traces = []

    def start(self):
        self.on = True
        self.traces = []

    def stop(self):
        self.on = False
        self.traces = []


recording = _Recording()


class _TracedGraph:
    """What a GraphDef needs of one trace: its program, input specs and the NumPy dtype
    of each value slot."""

    def __init__(self, program, input_specs, slot_dtypes):
        self.program = program
        self.input_specs = input_specs
        self.slot_dtypes = slot_dtypes


def remember(program, input_specs, trace):
    """Keeps a tf.function trace for `trace_export` (called when a trace is made)."""
    slot_dtypes = [getattr(t._value, "dtype", None) for t in trace.tensors]
    recording.traces.append(_TracedGraph(program, input_specs, slot_dtypes))


class _Names:
    """TensorFlow's unique node names: a name taken in any case gets the next `_<n>`."""

    def __init__(self):
        self._in_use = {}

    def unique(self, name):
        key = name.lower()
        count = self._in_use.get(key, 0)
        self._in_use[key] = count + 1
        if count == 0:
            return name
        while f"{key}_{count}" in self._in_use:
            count += 1
        self._in_use[f"{key}_{count}"] = 1
        return f"{name}_{count}"


def _datatype(np_dtype):
    """TensorFlow's DataType number of a NumPy dtype (DT_INVALID for one it lacks)."""
    try:
        return dtypes.from_numpy(np_dtype).as_datatype_enum
    except TypeError:
        return _DT_INVALID


def _node_name(node):
    """The base name of a recorded node's GraphDef node, and its op type."""
    if node.kind == "read":
        return "ReadVariableOp", "ReadVariableOp"
    if node.kind == "update":
        op = _UPDATE_OPS.get(node.op, node.op)
        return op, op
    if node.kind == "op":
        return _DEFAULT_NAMES.get(node.op, node.op), node.op
    control = node.primitive
    stateless = "" if getattr(control, "has_effects", False) else "Stateless"
    if node.op == "While":
        return "while", stateless + "While"
    if hasattr(control, "branches"):
        return node.op, stateless + ("Case" if control.by_index else "If")
    return node.op, node.op


class _GraphBuilder:
    """Builds the GraphDef of one traced graph (see the module docstring)."""

    def __init__(self, traced):
        from tensorboardX.proto import attr_value_pb2, graph_pb2, node_def_pb2, tensor_pb2
        self._attr_value = attr_value_pb2.AttrValue
        self._node_def_proto = node_def_pb2.NodeDef
        self._tensor_proto = tensor_pb2.TensorProto
        self.graph = graph_pb2.GraphDef()
        self.traced = traced
        self.names = _Names()
        self.producers = {}     # slot -> "node" or "node:index"
        self.resources = {}     # id(variable) -> its resource _Arg node name
        self.last_update = {}   # id(variable) -> the name of its latest update node

    def build(self):
        program = self.traced.program
        args = [self._arg(slot, spec, index) for index, (slot, spec)
                in enumerate(zip(program.input_slots, self.traced.input_specs))]
        body = []
        for node in program.nodes:
            body.extend(self._node(node))
        updates = list(self.last_update.values())
        tail, control = [], None
        if updates:  # outputs come after the variable updates, as in TensorFlow
            no_op = self.names.unique("NoOp")
            tail.append(self._node_def(no_op, "NoOp", [f"^{name}" for name in updates]))
            control = f"^{no_op}"
        retvals = []  # every Identity, then every _Retval, as TensorFlow lists them
        for index, slot in enumerate(program.output_slots):
            made, retval = self._output(slot, index, control)
            tail.extend(made)
            retvals.append(retval)
        tail.extend(retvals)
        resources = [self._resource_arg(name, len(args) + k)
                     for k, name in enumerate(self.resources.values())]
        self.graph.node.extend(args + resources + body + tail)
        return self.graph

    # --- nodes ------------------------------------------------------------------------------

    def _node_def(self, name, op, inputs=(), attrs=None):
        node = self._node_def_proto(name=name, op=op, input=inputs)
        for key, value in (attrs or {}).items():
            node.attr[key].CopyFrom(value)
        return node

    def _arg(self, slot, spec, index):
        name = self.names.unique(spec.name)
        self.producers[slot] = name
        attrs = {"T": self._attr_value(type=spec.dtype.as_datatype_enum),
                 "index": self._attr_value(i=index),
                 "_user_specified_name": self._attr_value(s=spec.name.encode())}
        shape = self._attr_value()
        self._shape_proto(shape.list.shape.add(), spec.shape)
        attrs["_output_shapes"] = shape
        return self._node_def(name, "_Arg", attrs=attrs)

    def _resource_arg(self, name, index):
        return self._node_def(name, "_Arg", attrs={
            "T": self._attr_value(type=_DT_RESOURCE), "index": self._attr_value(i=index),
            "_user_specified_name": self._attr_value(s=b"resource")})

    def _resource(self, variable, user):
        if id(variable) not in self.resources:
            self.resources[id(variable)] = self.names.unique(
                user.lower().replace("/", "_") + "_resource")
        return self.resources[id(variable)]

    def _node(self, node):
        """The NodeDefs of one recorded node: its captured constants, then itself."""
        base, op = _node_name(node)
        name = self.names.unique(base)
        made, inputs = [], []
        input_names = getattr(node.primitive, "input_names", ())
        for k, slot in enumerate(node.inputs):
            if slot not in self.producers:
                label = (input_names[k] if k < len(input_names)
                         else "value" if node.kind == "update" else f"input_{k}")
                if getattr(node.primitive, "list_input", False):
                    label = f"{input_names[0]}_{k}"
                made.append(self._const(slot, f"{name}/{label}"))
            inputs.append(self.producers[slot])
        if node.kind in ("read", "update"):
            inputs.insert(0, self._resource(node.target, name))
            update = self.last_update.get(id(node.target))
            if update is not None:  # reads and writes of a variable keep their order
                inputs.append(f"^{update}")
            if node.kind == "update":
                self.last_update[id(node.target)] = name
        for k, slot in enumerate(node.outputs):
            self.producers[slot] = name if k == 0 else f"{name}:{k}"
        made.append(self._node_def(name, op, inputs, self._attrs(node)))
        return made

    def _attrs(self, node):
        """`T` (or `dtype` for variable ops) and the node's plain attributes."""
        dtypes_of = self.traced.slot_dtypes
        if node.kind in ("read", "update"):
            return {"dtype": self._attr_value(type=node.target.dtype.as_datatype_enum)}
        attrs = {}
        slots = node.inputs or node.outputs
        if slots and node.kind == "op":
            attrs["T"] = self._attr_value(type=_datatype(dtypes_of[slots[0]]))
        for key, value in node.attrs.items():
            attr = self._plain_attr(value)
            if attr is not None:
                attrs[key] = attr
        return attrs

    def _plain_attr(self, value):
        """An AttrValue of a bool, int, float, string, DType or list of ints; else None."""
        if isinstance(value, bool):
            return self._attr_value(b=value)
        if isinstance(value, int):
            return self._attr_value(i=value)
        if isinstance(value, float):
            return self._attr_value(f=value)
        if isinstance(value, str):
            return self._attr_value(s=value.encode())
        if isinstance(value, dtypes.DType):
            return self._attr_value(type=value.as_datatype_enum)
        if (isinstance(value, (list, tuple)) and value
                and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
            attr = self._attr_value()
            attr.list.i.extend(value)
            return attr
        return None

    def _const(self, slot, base):
        name = self.names.unique(base)
        self.producers[slot] = name
        array = np.asarray(self.traced.program.constants[slot])
        dtype = _datatype(array.dtype)
        value = self._tensor_proto(dtype=dtype)
        for size in array.shape:
            value.tensor_shape.dim.add(size=size)
        if array.size <= _CONST_VALUE_LIMIT:
            if array.dtype == object:
                value.string_val.extend(array.ravel().tolist())
            else:
                value.tensor_content = np.ascontiguousarray(
                    array, array.dtype.newbyteorder("<")).tobytes()
        return self._node_def(name, "Const", attrs={
            "dtype": self._attr_value(type=dtype), "value": self._attr_value(tensor=value)})

    def _output(self, slot, index, control):
        """The nodes returning output `index` (from `slot`), and its `_Retval` node."""
        made = []
        if slot not in self.producers:  # a captured value returned as it is
            made.append(self._const(slot, "Const"))
        dtype = self._attr_value(type=_datatype(self.traced.slot_dtypes[slot]))
        identity = self.names.unique("Identity")
        inputs = [self.producers[slot]] + ([control] if control else [])
        made.append(self._node_def(identity, "Identity", inputs, {"T": dtype}))
        retval = self._node_def(f"{identity.lower()}_RetVal", "_Retval", [identity],
                                {"T": dtype, "index": self._attr_value(i=index)})
        return made, retval

    @staticmethod
    def _shape_proto(proto, shape):
        if shape.rank is None:
            proto.unknown_rank = True
            return
        for size in shape.as_list():
            proto.dim.add(size=-1 if size is None else size)


def graph_def(traced):
    """The GraphDef (a tensorboardX `GraphDef` message) of one remembered trace."""
    return _GraphBuilder(traced).build()


def _varint(number):
    out = bytearray()
    while True:
        low = number & 0x7F
        number >>= 7
        if number:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _length_delimited(field, payload):
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def run_metadata(traces):
    """A serialized `RunMetadata` holding each trace's graph as a function graph's
    `pre_optimization_graph` (what TensorBoard's graph dashboard reads). tensorboardX has
    no RunMetadata message, so its two wrapping fields are encoded here."""
    # RunMetadata.function_graphs is field 4; FunctionGraphs.pre_optimization_graph field 2.
    return b"".join(_length_delimited(4, _length_delimited(2, graph_def(t).SerializeToString()))
                    for t in traces)
