"""A traced `Program` as plain data and back: JSON for its nodes, attributes and structures,
an array store for its constants (and any array attribute).

Values are encoded with tags, so that reading back never runs code: a JSON list is a list,
and every JSON object is one tag — `{"tuple": [...]}`, `{"dict": [[key, value], ...]}`,
`{"dtype": "float32"}`, `{"shape": [None, 3]}`, `{"spec": [shape, dtype, name]}`,
`{"array": key}` (an array in the store; `"scalar": true` for a NumPy scalar),
`{"bytes": text}`, `{"slice": [start, stop, step]}`, `{"ellipsis": true}`,
`{"float": "nan"}` (and "inf", "-inf"). Nothing else can be saved: an attribute holding a
Python function (as `tf.py_function`'s does) raises `ValueError` naming the op.

A node is `{"kind", "op", "inputs", "outputs"}` plus, by kind: "op" the primitive's
registry `key` and `attrs`; "read"/"update" the `variable` (an object id of the saved
graph) and an update's `attrs`; "call" the `control` op (a tf.cond / switch_case branch
op, a tf.while_loop, or the gradient of one) with its sub-programs.
"""

import sys

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.function import graph
from eagerflow.framework.op import Primitive
from eagerflow.framework.tensor import Tensor, wrap
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.framework.tensor_spec import TensorSpec
from eagerflow.ops import control_flow_ops

# The modules whose primitives a saved program may name.
_PRIMITIVE_PACKAGES = ("eagerflow.framework.", "eagerflow.ops.")


class UnsaveableError(ValueError):
    """A value a saved program cannot hold (a Python function, an unknown object)."""


# --- the registry of primitives -------------------------------------------------------------

_registry = {}     # "module:attribute" -> Primitive
_keys = {}         # id(Primitive) -> "module:attribute"


def _scan_primitives():
    """Finds every primitive in eagerflow's framework and ops modules, under the module and
    attribute name that declare it (the first in name order when there are several)."""
    import eagerflow  # noqa: F401 - imports every ops module
    for module_name in sorted(sys.modules):
        if not module_name.startswith(_PRIMITIVE_PACKAGES):
            continue
        namespace = vars(sys.modules[module_name])
        for attribute in sorted(namespace):
            value = namespace[attribute]
            prim = value if isinstance(value, Primitive) else getattr(value, "primitive", None)
            if not isinstance(prim, Primitive) or id(prim) in _keys:
                continue
            if getattr(prim.forward, "__module__", module_name) != module_name:
                continue  # re-exported: registered where it is declared
            key = f"{module_name}:{attribute}"
            _registry[key] = prim
            _keys[id(prim)] = key


def primitive_key(prim):
    """The registry key of `prim`, or None for a primitive eagerflow does not declare."""
    if not _keys:
        _scan_primitives()
    return _keys.get(id(prim))


def lookup_primitive(key):
    """The primitive saved under `key`, or None."""
    if not _registry:
        _scan_primitives()
    return _registry.get(key)


# --- arrays -------------------------------------------------------------------------------

class ArrayStore:
    """The arrays of a SavedModel, by key; strings are kept as fixed-width bytes (never as
    object arrays, which NumPy could only pickle)."""

    def __init__(self, arrays=None):
        self.arrays = dict(arrays or {})

    def add(self, array, prefix="c"):
        key = f"{prefix}{len(self.arrays)}"
        array = np.asarray(array)
        if array.dtype == object:
            self.arrays[key] = np.array([_as_bytes(x) for x in array.reshape(-1)],
                                        dtype=bytes).reshape(array.shape)
            return {"array": key, "strings": True}
        self.arrays[key] = array
        return {"array": key}

    def get(self, tag):
        key = tag["array"]
        if key not in self.arrays:
            raise KeyError(key)
        array = self.arrays[key]
        if tag.get("strings"):
            array = array.astype(object)
        return array


def _as_bytes(value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


# --- values -------------------------------------------------------------------------------

def encode_value(value, store):
    """`value` as JSON data (arrays go to `store`); UnsaveableError for anything else."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if np.isfinite(value) else {"float": repr(value)}
    if isinstance(value, list):
        return [encode_value(v, store) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [encode_value(v, store) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode_value(k, store), encode_value(v, store)]
                         for k, v in value.items()]}
    if isinstance(value, dtypes.DType):
        return {"dtype": value.name}
    if isinstance(value, TensorShape):
        return {"shape": value.as_list() if value.rank is not None else None}
    if isinstance(value, TensorSpec):
        return {"spec": [encode_value(value.shape, store), value.dtype.name, value.name]}
    if isinstance(value, np.ndarray):
        return store.add(value)
    if isinstance(value, np.generic):
        return dict(store.add(np.asarray(value)), scalar=True)
    if isinstance(value, Tensor) and not getattr(value, "_symbolic", False):
        return dict(store.add(value._value), tensor=True)
    if isinstance(value, bytes):
        return {"bytes": value.decode("latin-1")}
    if isinstance(value, slice):
        return {"slice": [encode_value(v, store) for v in (value.start, value.stop,
                                                            value.step)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if callable(value):
        raise UnsaveableError(f"callable {getattr(value, '__qualname__', value)!r:.80}")
    raise UnsaveableError(f"{type(value).__module__}.{type(value).__qualname__} object "
                          f"{value!r:.80}")


_TAGS = {
    "tuple": lambda data, store: tuple(decode_value(v, store) for v in data["tuple"]),
    "dict": lambda data, store: {_hashable(decode_value(k, store)): decode_value(v, store)
                                 for k, v in data["dict"]},
    "dtype": lambda data, store: dtypes.as_dtype(data["dtype"]),
    "shape": lambda data, store: TensorShape(data["shape"]),
    "spec": lambda data, store: TensorSpec(decode_value(data["spec"][0], store),
                                           data["spec"][1], data["spec"][2]),
    "bytes": lambda data, store: data["bytes"].encode("latin-1"),
    "slice": lambda data, store: slice(*(decode_value(v, store) for v in data["slice"])),
    "ellipsis": lambda data, store: Ellipsis,
    "float": lambda data, store: float(data["float"]),
}


def decode_value(data, store):
    """The value `encode_value` encoded (ValueError or KeyError on damaged data)."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode_value(v, store) for v in data]
    if not isinstance(data, dict) or len(data) == 0:
        raise ValueError(f"unreadable value {data!r:.80}")
    if "array" in data:
        array = store.get(data)
        if data.get("scalar"):
            return array[()]
        return wrap(array) if data.get("tensor") else array
    (tag,) = [k for k in data if k in _TAGS] or [None]
    if tag is None:
        raise ValueError(f"unreadable value {data!r:.80}")
    return _TAGS[tag](data, store)


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


# --- programs -----------------------------------------------------------------------------

class ProgramEncoder:
    """Encodes programs; `variable_id(variable)` names a variable by its saved object id."""

    def __init__(self, store, variable_id):
        self.store = store
        self.variable_id = variable_id

    def program(self, program):
        return {
            "inputs": list(program.input_slots),
            "outputs": list(program.output_slots),
            "constants": [[slot, self.store.add(value)]
                          for slot, value in program.constants.items()],
            "guards": [[slot, self.store.add(value)] for slot, value in program.guards.items()],
            "nodes": [self._node(node) for node in program.nodes],
        }

    def _node(self, node):
        data = {"kind": node.kind, "op": node.op, "inputs": list(node.inputs),
                "outputs": list(node.outputs)}
        if node.kind == "op":
            key = primitive_key(node.primitive)
            if key is None:
                raise UnsaveableError(f"op '{node.op}' is not one of eagerflow's registered "
                                      "primitives")
            data["primitive"] = key
            data["attrs"] = self._attrs(node)
        elif node.kind in ("read", "update"):
            data["variable"] = self.variable_id(node.target)
            if node.kind == "update":
                data["attrs"] = self._attrs(node)
        else:
            data["control"] = self._control(node.primitive, node.op)
        return data

    def _attrs(self, node):
        encoded = {}
        for name, value in node.attrs.items():
            try:
                encoded[name] = encode_value(value, self.store)
            except UnsaveableError as err:
                raise UnsaveableError(f"op '{node.op}' cannot be saved: its attribute "
                                      f"'{name}' holds a Python {err}, and a SavedModel "
                                      "holds no Python code") from None
        return encoded

    def _subprogram(self, sub):
        return {"program": self.program(sub.program),
                "probes": [[list(p.shape), p.dtype.str] for p in sub.output_probes],
                "variables": [self.variable_id(v) for v in sub.variables]}

    def _control(self, op, op_name):
        if isinstance(op, control_flow_ops._BranchOp):
            return {"type": "branch", "name": op.name, "by_index": op.by_index,
                    "branches": [self._subprogram(b) for b in op.branches],
                    "positions": op.positions,
                    "variables": [self.variable_id(v) for v in op.variables]}
        if isinstance(op, control_flow_ops._WhileOp):
            return {"type": "while", "cond": self._subprogram(op.cond),
                    "body": self._subprogram(op.body), "n_vars": op.n_vars,
                    "positions": op.positions, "max_slot": op.max_slot,
                    "maximum_iterations": op.maximum_iterations,
                    "variables": [self.variable_id(v) for v in op.variables]}
        if isinstance(op, graph.GradientOf):
            return {"type": "gradient", "of": self._control(op.control_op, op_name),
                    "input_dtypes": [d.name for d in op.input_dtypes]}
        raise UnsaveableError(f"op '{op_name}' cannot be saved: it calls Python code "
                              f"({type(op).__name__}) that a SavedModel cannot hold")


class _Recorded:
    """What `Program` reads from a trace, rebuilt from saved data."""

    def __init__(self, nodes, constants, guards):
        self.nodes = nodes
        self.constants = constants
        self.guards = guards
        self.variables = []
        for node in nodes:
            if node.kind in ("read", "update") and all(
                    v is not node.target for v in self.variables):
                self.variables.append(node.target)


class ProgramDecoder:
    """Rebuilds programs; `variables[i]` is the restored variable of saved object `i`."""

    def __init__(self, store, variable):
        self.store = store
        self.variable = variable

    def program(self, data):
        constants = {_slot(slot): self.store.get(tag) for slot, tag in data["constants"]}
        guards = {_slot(slot): self.store.get(tag) for slot, tag in data.get("guards", [])}
        nodes = [self._node(n) for n in data["nodes"]]
        program = graph.Program(_Recorded(nodes, constants, guards), _slots(data["inputs"]),
                                _slots(data["outputs"]))
        program.strict_guards = True  # no Python here to trace again for other values
        return program

    def _node(self, data):
        kind, op = data["kind"], data["op"]
        inputs, outputs = _slots(data["inputs"]), _slots(data["outputs"])
        if kind == "op":
            prim = lookup_primitive(data["primitive"])
            if prim is None:
                raise ValueError(f"op '{op}' names the primitive {data['primitive']!r}, "
                                 "which this version of eagerflow does not have")
            unknown = set(data["attrs"]) - set(prim.attr_names)
            if unknown:
                raise ValueError(f"op '{op}' has attributes {sorted(unknown)} its primitive "
                                 "does not take")
            attrs = {name: decode_value(v, self.store) for name, v in data["attrs"].items()}
            return graph.Node(kind, op, attrs, inputs, outputs, prim)
        if kind in ("read", "update"):
            attrs = {name: decode_value(v, self.store)
                     for name, v in data.get("attrs", {}).items()}
            if kind == "update" and op not in _UPDATE_METHODS:
                raise ValueError(f"unknown variable update {op!r}")
            return graph.Node(kind, op, attrs, inputs, outputs,
                              target=self.variable(data["variable"]))
        if kind == "call":
            return graph.Node(kind, op, {}, inputs, outputs, self._control(data["control"]))
        raise ValueError(f"unknown node kind {kind!r}")

    def _subprogram(self, data):
        probes = [np.zeros(shape, np.dtype(dtype)) for shape, dtype in data["probes"]]
        return graph.SubProgram(self.program(data["program"]), None, [],
                                [self.variable(i) for i in data["variables"]], probes)

    def _control(self, data):
        variables = [self.variable(i) for i in data.get("variables", [])]
        if data["type"] == "branch":
            return control_flow_ops._BranchOp(
                data["name"], [self._subprogram(b) for b in data["branches"]],
                data["positions"], variables, data["by_index"])
        if data["type"] == "while":
            return control_flow_ops._WhileOp(
                self._subprogram(data["cond"]), self._subprogram(data["body"]),
                data["n_vars"], data["positions"], variables, data["max_slot"],
                data["maximum_iterations"])
        if data["type"] == "gradient":
            return graph.GradientOf(self._control(data["of"]),
                                    [dtypes.as_dtype(d) for d in data["input_dtypes"]])
        raise ValueError(f"unknown control op {data['type']!r}")


def _slot(value):
    # Slots name the replay's local variables: only plain integers are accepted.
    if type(value) is not int or value < 0:
        raise ValueError(f"invalid value slot {value!r:.40}")
    return value


def _slots(values):
    return tuple(_slot(v) for v in values)


# The variable methods a trace records as "update" nodes.
_UPDATE_METHODS = frozenset({"assign", "assign_add", "assign_sub"})
