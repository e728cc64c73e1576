"""`plot_model` and `model_to_dot`: a model's layer graph drawn with pydot and graphviz.

Both are optional (`pip install eagerflow[plot]` installs pydot; graphviz's `dot`
program comes from the system's packages); a missing one is named in the error.
"""

import os

from eagerflow.keras.models.functional import Functional
from eagerflow.keras.models.sequential import Sequential

_PYDOT_MISSING = "You must install pydot (`pip install pydot`) for {what} to work."
_GRAPHVIZ_MISSING = ("You must install graphviz (see instructions at "
                     "https://graphviz.gitlab.io/download/) for `plot_model` to work.")


def _import_pydot():
    """The pydot module, or None when it is not installed."""
    try:
        import pydot
    except ImportError:
        return None
    return pydot


def check_pydot():
    """Returns True if pydot is importable."""
    return _import_pydot() is not None


def check_graphviz():
    """Returns True if pydot can run graphviz's `dot` program."""
    pydot = _import_pydot()
    if pydot is None:
        return False
    try:
        pydot.Dot.create(pydot.Dot())  # renders an empty graph through `dot`
    except (OSError, pydot.PydotException):
        return False
    return True


def _check_built(model):
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by "
                         "calling `build()` or by calling the model on a batch of data.")


def _activation_name(layer):
    activation = layer.activation
    return getattr(activation, "name", None) or getattr(activation, "__name__",
                                                        str(activation))


def _shape_text(tensors):
    if tensors is None:
        return "?"
    if isinstance(tensors, (list, tuple)):
        return "[" + ", ".join(_shape_text(t) for t in tensors) + "]"
    if isinstance(tensors, dict):
        return ", ".join(f"{key}: {_shape_text(t)}" for key, t in tensors.items())
    return str(tuple(tensors.shape))


def _layer_attribute(layer, name):
    """`layer.input`/`layer.output`, or None where the layer has no single call."""
    try:
        return getattr(layer, name)
    except (ValueError, AttributeError):
        return None


def _cell(text, color="white", font_color=None):
    font = f' color="{font_color}"' if font_color else ""
    return f'<td bgcolor="{color}"><font point-size="14"{font}>{text}</font></td>'


def _layer_label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations,
                 show_trainable):
    """The node's HTML-like table label, as Keras 3 draws it."""
    class_name = type(layer).__name__
    colspan = max(1, int(show_dtype) + int(show_trainable) + (2 if show_shapes else 0))
    title = f"<b>{layer.name}</b> ({class_name})" if show_layer_names else f"<b>{class_name}</b>"
    rows = [f'<tr><td colspan="{colspan}" bgcolor="black"><font point-size="16" '
            f'color="white">{title}</font></td></tr>']
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        rows.append(f'<tr><td bgcolor="white" colspan="{colspan}"><font point-size="14">'
                    f'Activation: <b>{_activation_name(layer)}</b></font></td></tr>')
    cells = []
    output = _layer_attribute(layer, "output") if (show_shapes or show_dtype) else None
    if show_shapes:
        if class_name != "InputLayer":
            cells.append(_cell(f"Input shape: <b>{_shape_text(_layer_attribute(layer, 'input'))}"
                               f"</b>"))
        cells.append(_cell(f"Output shape: <b>{_shape_text(output)}</b>"))
    if show_dtype:
        dtype = None if output is None else getattr(output, "dtype", None)
        cells.append(_cell(f"Output dtype: <b>{getattr(dtype, 'name', dtype) or '?'}</b>"))
    if show_trainable and layer.weights:
        cells.append(_cell("<b>Trainable</b>", "forestgreen", "white") if layer.trainable
                     else _cell("<b>Non-trainable</b>", "firebrick", "white"))
    if cells:
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return ('<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
            + "".join(rows) + "</table>>")


def _first_layer(layer):
    """Where an edge into `layer` lands: inside nested models, their first layer."""
    while isinstance(layer, (Functional, Sequential)):
        layer = layer._operations[0] if isinstance(layer, Functional) else layer.layers[0]
    return layer


def _last_layer(layer):
    """Where an edge out of `layer` starts: inside nested models, their output layer."""
    while isinstance(layer, (Functional, Sequential)):
        layer = layer.outputs[0]._keras_history.operation if isinstance(
            layer, Functional) else layer.layers[-1]
    return layer


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, subgraph=False,
                 show_layer_activations=False, show_trainable=False, **kwargs):
    """Convert a Keras model to dot format: a `pydot.Dot` (a `pydot.Cluster` with
    `subgraph=True`), one node per layer and one edge per connection.

    Args:
      model: a built Keras model (a subclassed model is one node).
      show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable:
        what each node shows.
      rankdir: "TB" (vertical) or "LR" (horizontal).
      expand_nested: draw nested models as clusters of their layers.
      dpi: the image resolution.
      subgraph: return a cluster to nest in another graph.

    Raises:
      ImportError: when pydot is not installed.
    """
    _check_built(model)
    pydot = _import_pydot()
    if pydot is None:
        raise ImportError(_PYDOT_MISSING.format(what="model_to_dot"))
    splines = kwargs.pop("splines", "ortho")
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    options = dict(show_shapes=show_shapes, show_dtype=show_dtype,
                   show_layer_names=show_layer_names,
                   show_layer_activations=show_layer_activations,
                   show_trainable=show_trainable)

    def add_node(layer):
        node = pydot.Node(str(id(layer)), label=_layer_label(layer, **options))
        node.set("fontname", "Helvetica")
        node.set("border", "0")
        node.set("margin", "0")
        dot.add_node(node)

    def add_edge(source, destination):
        if expand_nested:
            source, destination = _last_layer(source), _first_layer(destination)
        source_id, destination_id = str(id(source)), str(id(destination))
        if not dot.get_edge(source_id, destination_id):
            dot.add_edge(pydot.Edge(source_id, destination_id, penwidth="2"))

    if isinstance(model, Sequential):
        layers = model.layers
    elif isinstance(model, Functional):
        layers = model._operations
    else:  # a subclassed model is drawn as one box
        add_node(model)
        return dot
    for layer in layers:
        if expand_nested and isinstance(layer, (Functional, Sequential)):
            dot.add_subgraph(model_to_dot(layer, expand_nested=True, subgraph=True,
                                          **options))
        else:
            add_node(layer)
    if isinstance(model, Sequential):
        for source, destination in zip(layers, layers[1:]):
            add_edge(source, destination)
        return dot
    members = {id(node) for node in model._graph.nodes}
    for layer in layers:
        for node in layer._inbound_nodes:
            if id(node) not in members:
                continue
            for tensor in node.input_tensors:
                add_edge(tensor._keras_history.operation, layer)
    return dot


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, **kwargs):
    """Converts a Keras model to dot format and saves it to `to_file` (its extension,
    default "png", is the image format).

    Arguments are `model_to_dot`'s.

    Raises:
      ImportError: naming pydot or graphviz, whichever is missing.
    """
    _check_built(model)
    if not check_pydot():
        raise ImportError(_PYDOT_MISSING.format(what="`plot_model`"))
    if not check_graphviz():
        raise ImportError(_GRAPHVIZ_MISSING)
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, **kwargs)
    to_file = str(os.fspath(to_file))
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
