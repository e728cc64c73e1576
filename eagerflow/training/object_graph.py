"""The object graph a checkpoint saves: objects as nodes, the attributes (and list indices
and dict keys) that lead from one to another as named edges, variables as the leaves.

An object takes part when it is a `tf.Variable`, a list, tuple or dict holding such objects,
or an object with a `variables` attribute whose own attributes hold them (`tf.Module`, Keras
layers, models, optimizers and metrics, found by duck typing so that this floor never
imports Keras). A Keras layer's bookkeeping lists (`_layers`, `_trainable_variables`, ...)
count as edges too, so that variables a layer holds only there are saved (a model's
`layers` stands for its `_layers`); its symbolic graph (`_functional`, `_inbound_nodes`, ...)
does not.
"""

import collections

from eagerflow.framework.variables import Variable

VARIABLE_VALUE = ".ATTRIBUTES/VARIABLE_VALUE"

# Keras layer attributes that describe the symbolic graph or cache results, not state.
_LAYER_GRAPH_ATTRIBUTES = frozenset({
    "_functional", "_operations", "_inbound_nodes", "_outbound_nodes", "_losses",
    "_checked_input", "_build_shapes", "input_spec"})


def is_trackable(value):
    """Whether `value` (or something inside it) holds variables a checkpoint saves."""
    if isinstance(value, Variable):
        return True
    if isinstance(value, (list, tuple)):
        return any(is_trackable(item) for item in value)
    if isinstance(value, dict):
        return any(is_trackable(item) for item in value.values())
    if hasattr(type(value), "_checkpoint_dependencies"):  # a tf.train.Checkpoint
        return True
    return hasattr(type(value), "variables") and hasattr(value, "__dict__")


def _attribute_order(name):
    """Public attributes by name, then private ones: a public path wins a tie."""
    return (name.startswith("_"), name)


def children(obj):
    """The named edges leaving `obj`, as (name, child) pairs in a fixed order."""
    if isinstance(obj, Variable):
        return []
    if isinstance(obj, (list, tuple)):
        return [(str(i), item) for i, item in enumerate(obj) if is_trackable(item)]
    if isinstance(obj, dict):
        return [(str(key), item) for key, item in obj.items() if is_trackable(item)]
    if hasattr(type(obj), "_checkpoint_dependencies"):  # a tf.train.Checkpoint
        return [(name, item) for name, item in obj._checkpoint_dependencies()
                if is_trackable(item)]
    attributes = dict(vars(obj))
    ignored = set(getattr(obj, "_TF_MODULE_IGNORED_PROPERTIES", ()))
    if "_layers" in attributes:  # a Keras layer
        ignored |= _LAYER_GRAPH_ATTRIBUTES
        if isinstance(getattr(type(obj), "layers", None), property):
            # A model's `layers`: unlike `_layers`, the same before and after a Sequential
            # model adds its InputLayer on being built.
            ignored.add("_layers")
            attributes["layers"] = obj.layers
    return [(name, attributes[name]) for name in sorted(attributes, key=_attribute_order)
            if name not in ignored and not name.startswith("__")
            and is_trackable(attributes[name])]


def escape(name):
    """TF's escaping of an edge name inside a checkpoint key ("/" and "." are special)."""
    return name.replace(".", "..").replace("/", ".S")


def checkpoint_key(path):
    """The key a variable reached by `path` (a tuple of edge names) is saved under."""
    return "/".join(escape(name) for name in path) + "/" + VARIABLE_VALUE


def describe_path(path):
    """`(root).model.kernel`: a node's path as TF's messages write it."""
    return ".".join(("(root)",) + tuple(path))


def build_graph(root):
    """The graph reachable from `root`, breadth first (so each object gets its shortest
    path, as TF's keys do).

    Returns:
      (objects, nodes): the live objects by node id, and for each node a dict with its
      `children` ([name, node id] pairs) and, for a variable, its checkpoint `key`.
    """
    objects, nodes, ids = [root], [{"children": []}], {id(root): 0}
    paths = [()]
    queue = collections.deque([0])
    while queue:
        node_id = queue.popleft()
        for name, child in children(objects[node_id]):
            child_id = ids.get(id(child))
            if child_id is None:
                child_id = ids[id(child)] = len(objects)
                objects.append(child)
                paths.append(paths[node_id] + (name,))
                node = {"children": []}
                if isinstance(child, Variable):
                    node["key"] = checkpoint_key(paths[child_id])
                nodes.append(node)
                queue.append(child_id)
            nodes[node_id]["children"].append([name, child_id])
    return objects, nodes, paths


def live_variables(root):
    """Every variable reachable from `root`, each once."""
    objects, _, _ = build_graph(root)
    return [obj for obj in objects if isinstance(obj, Variable)]
