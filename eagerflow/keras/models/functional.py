"""Functional models: a graph of layer calls from `keras.Input`s to outputs."""

import eagerflow as tf
from eagerflow.framework.tensor import Tensor
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import get_keras_mask, set_keras_mask
from eagerflow.keras.models.model import Model
from eagerflow.keras.symbolic import Graph, KerasTensor


class Functional(Model):
    """The model `keras.Model(inputs, outputs)` returns: it replays the recorded graph.

    `inputs` and `outputs` may be single KerasTensors, lists or dicts of them; the model
    returns the structure of `outputs` and accepts its inputs as given at construction,
    as a flat list, or as a dict by input name.
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        for tensor in tf.nest.flatten(inputs):
            if not isinstance(tensor, KerasTensor):
                raise ValueError(f"All `inputs` values must be KerasTensors. Received: "
                                 f"inputs={inputs} including invalid value {tensor} of type "
                                 f"{type(tensor)}")
        for tensor in tf.nest.flatten(outputs):
            if not isinstance(tensor, KerasTensor):
                raise ValueError(f"All `outputs` values must be KerasTensors. Received: "
                                 f"outputs={outputs} including invalid value {tensor} of "
                                 f"type {type(tensor)}")
        self._init_model(name=name, trainable=trainable, **kwargs)
        state = object.__setattr__
        state(self, "_inputs_struct", inputs)
        state(self, "_outputs_struct", outputs)
        state(self, "_inputs", tf.nest.flatten(inputs))
        state(self, "_outputs", tf.nest.flatten(outputs))
        graph = Graph(inputs, outputs)
        state(self, "_graph", graph)
        state(self, "_operations", graph.operations)
        state(self, "_nodes_by_depth", graph.nodes_by_depth)
        for operation in graph.operations:
            if not operation._is_operation:
                self._track(operation)
        if not isinstance(inputs, dict):
            self.input_spec = _input_specs(self._inputs)
        self.built = True

    @property
    def inputs(self):
        return list(self._inputs)

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        shapes = [t.shape for t in self._inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self._outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_names(self):
        return [t._keras_history.operation.name for t in self._outputs]

    def call(self, inputs, training=None, mask=None, **kwargs):
        values = self._standardize_inputs(inputs)
        if mask is not None:  # masks given for the inputs travel on them through the graph
            for value, input_mask in zip(values, tf.nest.flatten(mask)):
                if input_mask is not None:
                    set_keras_mask(value, input_mask)
        computed = self._graph.run(self._inputs, values, training=training)
        if len(self._outputs) == 1 and not isinstance(self._outputs_struct,
                                                       (list, tuple, dict)):
            return computed[id(self._outputs[0])]
        return tf.nest.pack_sequence_as(self._outputs_struct,
                                        [computed[id(t)] for t in self._outputs])

    # --- config -------------------------------------------------------------------------

    def get_config(self):
        """Keras 3's functional config: each layer with the calls that feed it
        (`inbound_nodes`), then where the inputs and outputs come from."""
        from eagerflow.keras.layers import serialize
        graph_nodes = {id(node) for depth in self._nodes_by_depth.values() for node in depth}
        local_index = {}  # a node's index among its operation's nodes in this model
        for operation in self._operations:
            count = 0
            for node in operation._inbound_nodes:
                if id(node) in graph_nodes:
                    local_index[id(node)] = count
                    count += 1

        def history(tensor):
            operation, node_index, tensor_index = tensor._keras_history
            node = operation._inbound_nodes[node_index]
            return [operation.name, local_index[id(node)], tensor_index]

        def argument(value):
            if isinstance(value, KerasTensor):
                return {"class_name": "__keras_tensor__",
                        "config": {"shape": value.shape, "dtype": value.dtype,
                                   "keras_history": history(value)}}
            return value

        layer_configs = []
        for operation in self._operations:
            entry = serialize(operation)
            entry["name"] = operation.name
            entry["inbound_nodes"] = [
                {"args": tf.nest.map_structure(argument, list(node.call_args)),
                 "kwargs": tf.nest.map_structure(argument, node.call_kwargs)}
                for node in operation._inbound_nodes
                if id(node) in graph_nodes and not node.is_input]
            layer_configs.append(entry)

        def ends(structure):
            if isinstance(structure, KerasTensor):
                return history(structure)
            if isinstance(structure, dict):
                return {key: ends(value) for key, value in structure.items()}
            return [ends(value) for value in structure]

        return {"name": self.name, "trainable": self.trainable, "layers": layer_configs,
                "input_layers": ends(self._inputs_struct),
                "output_layers": ends(self._outputs_struct)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new functional model (new weights) from `get_config()`'s dict."""
        from eagerflow.keras.layers import deserialize
        created, pending = {}, []
        for entry in config["layers"]:
            layer = deserialize(entry, custom_objects=custom_objects)
            created[entry["name"]] = layer
            pending.extend((layer, node) for node in entry.get("inbound_nodes", []))

        def tensor(history):
            name, node_index, tensor_index = history
            nodes = created[name]._inbound_nodes
            if node_index >= len(nodes):
                raise LookupError(name)
            return nodes[node_index].outputs[tensor_index]

        def argument(value):  # tensors may sit in lists (`Concatenate()([a, b])`)
            if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
                return tensor(value["config"]["keras_history"])
            if isinstance(value, (list, tuple)):
                return [argument(item) for item in value]
            if isinstance(value, dict):
                return {key: argument(item) for key, item in value.items()}
            return value

        # Calls run in config order; a call whose inputs come from a later call (a shared
        # layer) waits for another pass.
        while pending:
            waiting = []
            for layer, node in pending:
                if any(other is layer for other, _ in waiting):
                    waiting.append((layer, node))
                    continue
                try:
                    args = [argument(value) for value in node["args"]]
                    kwargs = {key: argument(value) for key, value in node["kwargs"].items()}
                except LookupError:
                    waiting.append((layer, node))
                    continue
                layer(*args, **kwargs)
            if len(waiting) == len(pending):
                raise ValueError("Functional config has layers whose inputs are never "
                                 "created (a cycle, or missing layers).")
            pending = waiting

        def ends(structure):
            if isinstance(structure, dict):
                return {key: ends(value) for key, value in structure.items()}
            if len(structure) == 3 and isinstance(structure[0], str):
                return tensor(structure)
            return [ends(value) for value in structure]

        return cls(ends(config["input_layers"]), ends(config["output_layers"]),
                   name=config.get("name"), trainable=config.get("trainable", True))

    def __call__(self, *args, **kwargs):
        if args and not isinstance(args[0], dict) and len(self._inputs) > 1:
            self._check_input_count(tf.nest.flatten(args[0]))  # before the input specs
        return super().__call__(*args, **kwargs)

    def _check_input_count(self, flat):
        expected = self._inputs
        if len(flat) != len(expected):
            names = [t._keras_history.operation.name for t in expected]
            raise ValueError(f'Layer "{self.name}" expects {len(expected)} named input(s) '
                             f"with keys {names}, but it received {len(flat)} input "
                             f"tensors. Pass inputs as a dict, e.g. `layer({{"
                             + ", ".join(f"'{n}': ..." for n in names) + "})`.")

    def _standardize_inputs(self, inputs):
        """The inputs as a flat list of tensors in the order of `self.inputs`."""
        struct, expected = self._inputs_struct, self._inputs
        if len(expected) == 1 and (type(inputs) is Tensor or not isinstance(
                inputs, (list, tuple, dict))):
            flat = [inputs]
        elif isinstance(inputs, dict) and not isinstance(struct, dict):
            names = [t._keras_history.operation.name for t in expected]
            missing = [name for name in names if name not in inputs]
            if missing:
                raise ValueError(f'Missing data for input "{missing[0]}". You passed a data '
                                 f"dictionary with keys {list(inputs)}. Expected the "
                                 f"following keys: {names}")
            flat = [inputs[name] for name in names]
        else:
            if isinstance(struct, dict) and not isinstance(inputs, dict) \
                    and list(struct) != sorted(struct):
                raise ValueError(f"The structure of `inputs` doesn't match the expected "
                                 f"structure.\nExpected: "
                                 f"{ {key: t.name for key, t in struct.items()} }\n"
                                 f"Received: inputs={_describe(inputs)}")
            flat = tf.nest.flatten(inputs)
            self._check_input_count(flat)
        paths = [""] if len(expected) == 1 else [str(i) for i in range(len(expected))]
        values = [_adjust_rank(_as_input_tensor(x, ref), ref, path)
                  for x, ref, path in zip(flat, expected, paths)]
        for x, value in zip(flat, values):  # a converted input keeps its mask
            mask = get_keras_mask(x)
            if mask is not None and value is not x:
                set_keras_mask(value, mask)
        return values


def _input_specs(inputs):
    """Keras's input check of a functional model: each input's shape (any batch size),
    a trailing axis of 1 squeezed or added, named after its input layer."""
    specs = [InputSpec(shape=(None,) + tuple(t.shape[1:]), allow_last_axis_squeeze=True,
                       name=t._keras_history.operation.name,
                       optional=getattr(t._keras_history.operation, "optional", False))
             for t in inputs]
    return specs[0] if len(specs) == 1 else specs


def _describe(inputs):
    return tf.nest.map_structure(
        lambda x: f"Tensor(shape={tuple(x.shape)})" if hasattr(x, "shape") else repr(x),
        inputs)


def _as_input_tensor(x, reference):
    """`x` as a tensor of the dtype of the input it feeds (float64 data feeds float32)."""
    if x is None:
        return None
    if type(x) is Tensor:
        if x.dtype.name != reference.dtype:
            return tf.cast(x, reference.dtype)
        return x
    if isinstance(x, KerasTensor):
        return x
    x = tf.convert_to_tensor(x)
    if x.dtype.name != reference.dtype:
        x = tf.cast(x, reference.dtype)
    return x


def _adjust_rank(x, reference, path):
    """A last axis of 1 is squeezed or added where the input expects it, as Keras does."""
    if x is None or isinstance(x, KerasTensor):
        return x
    rank, expected = x.ndim, len(reference.shape)
    if rank == expected:
        return x
    if rank == expected + 1 and x.shape[-1] == 1:
        return tf.squeeze(x, axis=-1)
    if rank == expected - 1 and reference.shape[-1] == 1:
        return tf.expand_dims(x, axis=-1)
    raise ValueError(f"Invalid input shape for input {x} with name '{reference.name}' and "
                     f"path '{path}'. "
                     f"Expected shape {reference.shape}, but input has incompatible shape "
                     f"{tuple(x.shape)}")
