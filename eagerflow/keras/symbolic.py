"""Symbolic tensors (`keras.Input`), the nodes that link layers into a functional graph,
and the graph walks that order, check and run it.

A layer called on KerasTensors records a Node and returns KerasTensors whose shapes and
dtypes come from running the layer on two small probe batches: dimensions that differ
between the probes depend on the unknown (None) sizes and stay None.
"""

import collections
import operator

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend

KerasHistory = collections.namedtuple("KerasHistory",
                                      ["operation", "node_index", "tensor_index"])
_PROBE_SIZES = (2, 3)


class KerasTensor:
    """A symbolic tensor: a shape (None for unknown sizes) and a dtype, no values.

    >>> from eagerflow import keras
    >>> keras.backend.clear_session()
    >>> keras.Input(shape=(784,))
    <KerasTensor shape=(None, 784), dtype=float32, sparse=False, ragged=False, name=keras_tensor>
    """

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, name=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = tf.as_dtype(dtype).name
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name or backend.unique_name("keras_tensor")
        self._keras_history = None
        self._keras_mask = None  # a KerasTensor of the mask a layer attached, as on Tensors

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse={self.sparse}, "
                f"ragged={self.ragged}, name={self.name}>")

    def __array__(self, dtype=None, copy=None):
        raise TypeError("A KerasTensor is symbolic: it's a placeholder for a shape and a "
                        "dtype. It doesn't have any actual numerical value. You cannot "
                        "convert it to a NumPy array.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a boolean.")

    def __iter__(self):
        raise NotImplementedError("Iterating over a symbolic KerasTensor is not supported.")

    def __len__(self):
        raise TypeError("A symbolic KerasTensor has no `len()`: index its `shape` instead.")


def is_symbolic(structure):
    if isinstance(structure, KerasTensor):
        return True
    return any(isinstance(x, KerasTensor) for x in tf.nest.flatten(structure))


# --- operators on KerasTensors --------------------------------------------------------------
# `x + y` on KerasTensors records an operation node, as Keras 3's `keras.ops` do. An
# operation is a weightless layer that `model.layers` leaves out but the summary shows.

def _any(x, axis=None, keepdims=False):
    return tf.reduce_any(x, axis=axis, keepdims=keepdims)


OPERATIONS = {  # class name: the function of its operands, in order
    # The masks of Embedding and Masking, as Keras 3 files record them.
    "NotEqual": tf.math.not_equal, "Any": _any,
    "Add": operator.add, "Subtract": operator.sub, "Multiply": operator.mul,
    "TrueDivide": operator.truediv, "FloorDivide": operator.floordiv, "Mod": operator.mod,
    "Power": operator.pow, "Matmul": operator.matmul, "Negative": operator.neg,
    "Absolute": operator.abs, "Less": operator.lt, "LessEqual": operator.le,
    "Greater": operator.gt, "GreaterEqual": operator.ge, "GetItem": operator.getitem,
}
_DUNDERS = {  # KerasTensor method: (operation, whether the operands come reversed)
    "__add__": ("Add", False), "__radd__": ("Add", True),
    "__sub__": ("Subtract", False), "__rsub__": ("Subtract", True),
    "__mul__": ("Multiply", False), "__rmul__": ("Multiply", True),
    "__truediv__": ("TrueDivide", False), "__rtruediv__": ("TrueDivide", True),
    "__floordiv__": ("FloorDivide", False), "__rfloordiv__": ("FloorDivide", True),
    "__mod__": ("Mod", False), "__rmod__": ("Mod", True),
    "__pow__": ("Power", False), "__rpow__": ("Power", True),
    "__matmul__": ("Matmul", False), "__rmatmul__": ("Matmul", True),
    "__neg__": ("Negative", False), "__abs__": ("Absolute", False),
    "__lt__": ("Less", False), "__le__": ("LessEqual", False),
    "__gt__": ("Greater", False), "__ge__": ("GreaterEqual", False),
    "__getitem__": ("GetItem", False),
}
_operation_classes = {}
OPERATION_MODULES = {}  # class name: the Keras module it serializes under, when not numpy's


def register_operation(class_name, function, module="keras.src.ops.numpy"):
    """Makes `function(*operands, **attributes)` the operation `class_name`, serialized
    under `module`. Each keras.ops function registers itself, replacing the plain operator
    above of the same name, so that `x + y` promotes dtypes as `keras.ops.add` does."""
    OPERATIONS[class_name] = function
    OPERATION_MODULES[class_name] = module
    _operation_classes.pop(class_name, None)


def operation_class(class_name):
    """The Operation subclass named `class_name` ("Add"), made once."""
    cls = _operation_classes.get(class_name)
    if cls is None:
        from eagerflow.keras.layers.layer import Operation
        function = OPERATIONS[class_name]
        cls = _operation_classes[class_name] = type(
            class_name, (Operation,), {
                "function": staticmethod(function), "__module__": "eagerflow.keras.symbolic",
                "keras_module": OPERATION_MODULES.get(class_name, "keras.src.ops.numpy")})
    return cls


def _symbolic_operator(dunder, class_name, reversed_operands):
    def apply(tensor, *others):
        operands = (others[0], tensor) if reversed_operands else (tensor,) + others
        return operation_class(class_name)()(*operands)
    apply.__name__ = dunder
    return apply


for _dunder, (_class_name, _reversed) in _DUNDERS.items():
    setattr(KerasTensor, _dunder, _symbolic_operator(_dunder, _class_name, _reversed))


# --- nodes --------------------------------------------------------------------------------

class Node:
    """One call of a layer (or operation) on KerasTensors: its arguments and outputs.

    Each output remembers where it came from in `_keras_history`: (operation, index of
    this node in the operation's `_inbound_nodes`, index among the node's outputs).
    """

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs_struct = outputs
        self.outputs = tf.nest.flatten(outputs)
        self.input_tensors = [x for x in tf.nest.flatten((self.call_args, self.call_kwargs))
                              if isinstance(x, KerasTensor)]
        self.is_input = not self.input_tensors
        # A call on one tensor without keywords (most calls) runs without tf.nest.
        self._single_input = (len(self.call_args) == 1 and not self.call_kwargs
                              and isinstance(self.call_args[0], KerasTensor))
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for index, tensor in enumerate(self.outputs):
            tensor._keras_history = KerasHistory(operation, node_index, index)

    @property
    def parent_nodes(self):
        parents = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                parents.append(history.operation._inbound_nodes[history.node_index])
        return parents

    def arguments(self, computed):
        """The call's arguments with each KerasTensor replaced by its computed value."""
        if self._single_input:
            return (computed[id(self.call_args[0])],), {}

        def fill(x):
            return computed[id(x)] if isinstance(x, KerasTensor) else x
        args, kwargs = tf.nest.map_structure(fill, (self.call_args, self.call_kwargs))
        return args, dict(kwargs)


# --- output specs by probing ------------------------------------------------------------------

def _probe_value(tensor, size, rng):
    shape = tuple(size if d is None else d for d in tensor.shape)
    dtype = tf.as_dtype(tensor.dtype)
    if dtype.is_floating:
        return tf.constant(rng.standard_normal(shape).astype(dtype.as_numpy_dtype))
    if dtype == tf.bool:  # a mask that keeps every step
        return tf.ones(shape, dtype)
    return tf.zeros(shape, dtype)


_probe_depth = [0]


def probing():
    """Whether a layer is running on probe values to find its output shapes (a layer whose
    state is not loaded yet, such as a lookup table, may then answer with placeholders)."""
    return _probe_depth[0] > 0


def compute_output_spec(call, args, kwargs):
    """KerasTensors for the outputs of `call(*args, **kwargs)` on symbolic arguments:
    `call` runs on two probe batches, and sizes that differ between them are None."""
    results = []
    _probe_depth[0] += 1
    try:
        for size in _PROBE_SIZES:
            rng = np.random.default_rng(size)
            probe = tf.nest.map_structure(
                lambda x: _probe_value(x, size, rng) if isinstance(x, KerasTensor) else x,
                (args, kwargs))
            results.append(call(*probe[0], **probe[1]))
    finally:
        _probe_depth[0] -= 1

    def spec(first, second):
        if first is None:
            return None
        shape = [a if a == b else None for a, b in zip(first.shape, second.shape)]
        return KerasTensor(shape, first.dtype)
    return tf.nest.map_structure(spec, results[0], results[1])


# --- the graph of a functional model ----------------------------------------------------------

def _path_text(path):
    return ".".join(str(p) for p in path)


def _flatten_with_paths(structure, prefix=()):
    if isinstance(structure, dict):
        for key in sorted(structure):
            yield from _flatten_with_paths(structure[key], prefix + (key,))
    elif isinstance(structure, (list, tuple)):
        for index, item in enumerate(structure):
            yield from _flatten_with_paths(item, prefix + (index,))
    else:
        yield prefix, structure


def _history_of(tensor):
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        raise ValueError(f"Output tensors of a Functional model must be the output of a "
                         f"Keras layer or keras.Input. Received: {tensor}")
    return history


def _node_of(tensor):
    history = _history_of(tensor)
    return history.operation._inbound_nodes[history.node_index]


def _nodes_from_outputs(inputs, outputs):
    """Depth-first from the outputs: the nodes, parents before children, and the order in
    which each operation was first reached (Keras sorts operations of one depth by it)."""
    input_ids = {id(x) for x in inputs}
    finished, in_progress, ordered, first_seen = set(), set(), [], {}

    def visit(tensor):
        node = _node_of(tensor)
        if id(node) in finished:
            return
        if not node.is_input and id(tensor) in input_ids:  # an intermediate tensor as input
            finished.add(id(node))
            return
        if id(node) in in_progress:
            raise ValueError(f"Tensor {tensor} from operation '{node.operation.name}' is "
                             f"part of a cycle.")
        first_seen.setdefault(id(node.operation), len(first_seen))
        in_progress.add(id(node))
        if not node.is_input:
            for parent_tensor in node.input_tensors:
                visit(parent_tensor)
        finished.add(id(node))
        in_progress.discard(id(node))
        ordered.append(node)

    for tensor in outputs:
        visit(tensor)
    return ordered, first_seen


class Graph:
    """The nodes between a functional model's inputs and outputs, ordered as Keras does.

    `operations` lists each operation once, deepest first (inputs first) and in traversal
    order within a depth; `nodes_by_depth` maps depth (0 at the outputs) to nodes;
    `nodes` is the execution order.
    """

    def __init__(self, inputs, outputs):
        flat_inputs, flat_outputs = tf.nest.flatten(inputs), tf.nest.flatten(outputs)
        for tensor in flat_outputs:
            _history_of(tensor)
        ordered, first_seen = _nodes_from_outputs(flat_inputs, flat_outputs)
        node_depth, operation_depth, operations = {}, {}, {}
        for node in reversed(ordered):
            depth = node_depth.setdefault(id(node), 0)
            depth = max(depth, operation_depth.get(id(node.operation), 0))
            operation_depth[id(node.operation)] = depth
            operations[id(node.operation)] = node.operation
            node_depth[id(node)] = depth
            members = {id(n) for n in ordered}
            for parent in node.parent_nodes:
                if id(parent) in members:
                    node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
        for tensor in flat_inputs:  # unused inputs still belong to the model
            node = _node_of(tensor)
            if node.is_input and id(node.operation) not in operation_depth:
                operation_depth[id(node.operation)] = 0
                operations[id(node.operation)] = node.operation
                first_seen[id(node.operation)] = -1
                node_depth[id(node)] = 0
                ordered.append(node)
        by_depth = collections.defaultdict(list)
        for node in ordered:
            by_depth[node_depth[id(node)]].append(node)
        self.nodes_by_depth = dict(by_depth)
        self.operations = sorted(
            operations.values(),
            key=lambda op: (-operation_depth[id(op)], first_seen.get(id(op), -1)))
        self.nodes = [node for depth in sorted(by_depth, reverse=True)
                      for node in by_depth[depth]]
        self._check_names()
        self._check_connected(flat_inputs, outputs)

    def _check_names(self):
        names = [op.name for op in self.operations]
        for name in names:
            if names.count(name) != 1:
                raise ValueError(f'The name "{name}" is used {names.count(name)} times in the '
                                 f'model. All operation names should be unique.')

    def _check_connected(self, inputs, outputs):
        computable = {id(x) for x in inputs}
        for node in self.nodes:
            if node.is_input:
                continue
            if all(id(x) in computable for x in node.input_tensors):
                computable.update(id(x) for x in node.outputs)
        for path, tensor in _flatten_with_paths(outputs):
            if id(tensor) not in computable:
                raise ValueError(f"Output with path `{_path_text(path)}` is not connected to "
                                 f"`inputs`")

    def run(self, inputs, values, training=None):
        """The computed value of every tensor, given `values` for the `inputs` tensors."""
        computed = {id(k): v for k, v in zip(inputs, values)}
        for node in self.nodes:
            if node.is_input:
                continue
            operation = node.operation
            args, kwargs = node.arguments(computed)
            if training is not None and operation._call_has_training_arg:
                kwargs["training"] = training  # the model's mode wins, as in Keras
            outputs = operation(*args, **kwargs)
            if len(node.outputs) == 1:
                computed[id(node.outputs[0])] = outputs
            else:
                for symbolic, value in zip(node.outputs, tf.nest.flatten(outputs)):
                    computed[id(symbolic)] = value
        return computed
