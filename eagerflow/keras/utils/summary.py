"""`model.summary()`: Keras 3's table of layers, output shapes and parameter counts.

Keras draws the table with `rich`; this draws the same characters: the column widths come
from the same fractions of the line length, shrunk the way rich shrinks fixed-width
columns, and cell text wraps at spaces, with "…" ending a word too long for its column.
"""

import math
import re
import shutil

import numpy as np

import eagerflow as tf

_HEAVY_TOP = ("\u250f", "\u2501", "\u2533", "\u2513")
_HEAD_ROW = ("\u2503", " ", "\u2503", "\u2503")
_HEAD_BOTTOM = ("\u2521", "\u2501", "\u2547", "\u2529")
_ROW = ("\u2502", " ", "\u2502", "\u2502")
_ROW_SEPARATOR = ("\u251c", "\u2500", "\u253c", "\u2524")
_BOTTOM = ("\u2514", "\u2500", "\u2534", "\u2518")


def count_params(weights):
    return int(sum(math.prod(tuple(w.shape)) for w in weights))


def weight_memory_size(weights):
    """The bytes the weights take (each weight once), from their dtypes."""
    unique = {id(w): w for w in weights}.values()
    return sum(math.prod(tuple(w.shape)) * np.dtype(tf.as_dtype(w.dtype).as_numpy_dtype)
               .itemsize for w in unique)


def readable_memory_size(size):
    """`184.00 B`, `15.62 KB`, `38.19 MB` ..."""
    size = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _format_shape(shape):
    return "(" + ", ".join(str(d) for d in shape) + ")"


def format_layer_shape(layer):
    """The output shape column: from the layer's last call on KerasTensors, else from the
    shapes it was built for; "?" when unknown."""
    if layer._inbound_nodes:
        shapes = [_format_shape(t.shape) for t in layer._inbound_nodes[-1].outputs]
    elif getattr(layer, "_build_shapes", None) is not None:
        try:
            output_shape = getattr(layer, "output_shape", None) if hasattr(
                type(layer), "output_shape") else None
            if output_shape is None:
                output_shape = layer.compute_output_shape(layer._build_shapes)
        except (NotImplementedError, AttributeError):
            return "?"
        shapes = _flat_shapes(output_shape)
    else:
        return "?"
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _flat_shapes(output_shape):
    if isinstance(output_shape, (tuple, list)) and all(
            d is None or isinstance(d, int) for d in output_shape):
        return [_format_shape(output_shape)]
    if isinstance(output_shape, dict):
        output_shape = [output_shape[key] for key in sorted(output_shape)]
    return [text for item in output_shape for text in _flat_shapes(item)]


# --- rich's table geometry --------------------------------------------------------------------

def _ratio_reduce(total, maximums, values):
    """rich's `ratio_reduce` with equal ratios: take `total` off `values` evenly."""
    total_ratio, remaining, result = len(values), total, []
    for maximum, value in zip(maximums, values):
        if total_ratio > 0:
            taken = min(maximum, round(remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= 1
        else:
            result.append(value)
    return result


def column_widths(line_length, positions):
    """The widths (padding included, borders excluded) rich gives the columns."""
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    padded = [w + 2 for w in widths]
    available = line_length - (len(widths) + 1)
    if sum(padded) > available:
        padded = _ratio_reduce(sum(padded) - available, padded, padded)
    return padded


def _divide_line(text, width):
    """Offsets where rich breaks `text` to fit `width`, long words not folded."""
    breaks, offset = [], 0
    for match in re.finditer(r"\s*\S+\s*", text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if start:
                breaks.append(start)
            offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _truncate(line, width):
    return line[:width - 1] + "\u2026" if len(line) > width else line


def wrap_cell(text, width, justify="left"):
    """The lines of one cell: wrapped at spaces, truncated with "…", justified."""
    lines = []
    for paragraph in text.split("\n"):
        offsets = [0] + _divide_line(paragraph, width) + [len(paragraph)]
        for start, stop in zip(offsets, offsets[1:]):
            line = paragraph[start:stop]
            if len(line) > width:
                line = line[:width] + line[width:].rstrip()
            if justify == "left":
                line = _truncate(line, width).ljust(width)
            elif justify == "right":
                line = _truncate(line.rstrip(), width).rjust(width)
            else:
                line = _truncate(line.rstrip(), width)
                left = (width - len(line)) // 2
                line = (" " * left + line).ljust(width)
            lines.append(line)
    return lines


def _border(widths, parts):
    left, fill, middle, right = parts
    return left + middle.join(fill * w for w in widths) + right


def _table(header, alignment, rows, widths):
    lines = [_border(widths, _HEAVY_TOP)]
    for index, cells in enumerate([header] + rows):
        wrapped = [wrap_cell(cell, w - 2, justify)
                   for cell, w, justify in zip(cells, widths, alignment)]
        height = max(len(cell) for cell in wrapped)
        if index == 0:  # header cells sit on the bottom line, row cells on the top one
            wrapped = [[" " * (w - 2)] * (height - len(cell)) + cell
                       for cell, w in zip(wrapped, widths)]
        left, _, middle, right = _HEAD_ROW if index == 0 else _ROW
        for row in range(height):
            parts = [" " + (cell[row] if row < len(cell) else " " * (w - 2)) + " "
                     for cell, w in zip(wrapped, widths)]
            lines.append(left + middle.join(parts) + right)
        if index == 0:
            lines.append(_border(widths, _HEAD_BOTTOM))
        elif index < len(rows):
            lines.append(_border(widths, _ROW_SEPARATOR))
    lines.append(_border(widths, _BOTTOM))
    return lines


# --- the summary ------------------------------------------------------------------------------

def _is_sequential_like(model):
    from eagerflow.keras.models.functional import Functional
    from eagerflow.keras.models.sequential import Sequential
    if isinstance(model, Sequential) or not isinstance(model, Functional):
        return True, model.layers, []
    nodes = []
    for depth_nodes in model._nodes_by_depth.values():
        if len(depth_nodes) > 1 or (depth_nodes and len(depth_nodes[0].input_tensors) > 1):
            break
        nodes.extend(depth_nodes)
    else:
        node_ids = {id(node) for node in nodes}
        shared = any(sum(id(node) in node_ids for node in layer._inbound_nodes) > 1
                     for layer in model.layers)
        if not shared:
            return True, model._operations, []
    relevant = [node for depth_nodes in model._nodes_by_depth.values() for node in depth_nodes]
    return False, model._operations, relevant


def _connections(layer, relevant_nodes):
    relevant = {id(node) for node in relevant_nodes}
    parts = []
    for node in layer._inbound_nodes:
        if relevant and id(node) not in relevant:
            continue
        for tensor in node.input_tensors:
            history = tensor._keras_history
            parts.append(f"{history.operation.name}[{history.node_index}]"
                         f"[{history.tensor_index}]")
    return ", ".join(parts) or "-"


def _layer_range(layers, layer_range):
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(f"layer_range must be a list or tuple of length 2. Received: "
                         f"layer_range = {layer_range} of length {len(layer_range)}")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: "
                         f"{layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(f"Passed layer_names do not match the layer names in the model. "
                         f"Received: {layer_range}")
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def summary_lines(model, line_length=None, positions=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    """The lines of `model.summary()`."""
    sequential_like, layers, relevant_nodes = _is_sequential_like(model)
    if sequential_like:
        default_length, default_positions = 88, [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
    else:
        default_length, default_positions = 108, [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    positions = positions or default_positions
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    default_length = min(default_length, shutil.get_terminal_size().columns - 4)
    widths = column_widths(line_length or default_length, positions)

    def fields(layer, prefix=""):
        if not layer.built:
            params = "0 (unbuilt)"
        else:
            params = f"{layer.count_params():,}"
        row = [f"{prefix}{layer.name} ({type(layer).__name__})", format_layer_shape(layer),
               params]
        if not sequential_like:
            row.append(_connections(layer, relevant_nodes))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        return row

    def rows_of(layer, level=0):
        rows = [fields(layer, "   " * level + "\u2514 " if level else "")]
        if expand_nested and getattr(layer, "layers", None):
            for inner in layer.layers:
                rows.extend(rows_of(inner, level + 1))
        return rows

    start, stop = _layer_range(layers, layer_range)
    rows = [row for layer in layers[start:stop] for row in rows_of(layer)]
    trainable, non_trainable = model.trainable_weights, model.non_trainable_weights
    optimizer = getattr(model, "optimizer", None)
    optimizer_variables = (optimizer.variables if getattr(model, "compiled", False)
                           and optimizer is not None and getattr(optimizer, "built", False)
                           else None)
    counts = [count_params(trainable), count_params(non_trainable)]
    sizes = [weight_memory_size(trainable), weight_memory_size(non_trainable)]
    if optimizer_variables is not None:
        counts.append(count_params(optimizer_variables))
        sizes.append(weight_memory_size(optimizer_variables))
    lines = [f'Model: "{model.name}"'] + _table(header, alignment, rows, widths)
    lines.append(f" Total params: {sum(counts):,} ({readable_memory_size(sum(sizes))})")
    lines.append(f" Trainable params: {counts[0]:,} ({readable_memory_size(sizes[0])})")
    lines.append(f" Non-trainable params: {counts[1]:,} ({readable_memory_size(sizes[1])})")
    if optimizer_variables is not None:
        lines.append(f" Optimizer params: {counts[2]:,} ({readable_memory_size(sizes[2])})")
    return lines


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False, layer_range=None):
    """Prints the summary of `model`; `print_fn`, when given, gets the whole text at once."""
    lines = summary_lines(model, line_length=line_length, positions=positions,
                          expand_nested=expand_nested, show_trainable=show_trainable,
                          layer_range=layer_range)
    text = "\n".join(lines) + "\n"
    if print_fn is not None:
        print_fn(text)
    else:
        print(text, end="", flush=True)
