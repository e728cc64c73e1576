"""Legacy HDF5 model files (`.h5`): Keras 2's format, which Keras 3 still reads and writes.

A full-model file has the attributes `model_config` (JSON: `{"class_name", "config"}`),
`training_config` (JSON: loss, metrics, `optimizer_config`), `keras_version` and
`backend`; a `model_weights` group with a `layer_names` attribute and, per layer, a group
whose `weight_names` attribute lists its datasets (`dense/kernel:0` in Keras 2,
`sequential/dense/kernel` in Keras 3); and an `optimizer_weights` group. A weights-only file
is the `model_weights` group alone, at the root. Keras 2 configs are upgraded to Keras 3's
schema on reading (`batch_input_shape`, list axes, layer call lists of functional models).

Loading reads JSON and arrays only; a damaged or foreign file raises `ValueError` naming
it. Saving writes a temporary file and renames it.
"""

import json
import os
import warnings

import numpy as np

from eagerflow.framework.atomic_file import atomic_write

_KERAS_VERSION = "3.15.1"  # the Keras release whose files eagerflow writes
_SAVE_WARNING = ("You are saving your model as an HDF5 file via `model.save()` or "
                 "`keras.saving.save_model(model)`. This file format is considered legacy. "
                 "We recommend using instead the native Keras format, e.g. "
                 "`model.save('my_model.keras')` or "
                 "`keras.saving.save_model(model, 'my_model.keras')`. ")
_OPTIMIZER_WARNING = ("Error in loading the saved optimizer state. As a result, your model "
                      "is starting with a freshly initialized optimizer.")


def _h5py():
    import h5py
    return h5py


def _open(filepath):
    """The HDF5 file at `filepath`, opened for reading."""
    if not os.path.isfile(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Please ensure the file is an "
                         f"accessible `.h5` file.")
    try:
        return _h5py().File(filepath, "r")
    except OSError as err:
        raise ValueError(f"Cannot load {filepath}: it is not a valid legacy HDF5 (`.h5`) "
                         f"file (it is not a readable HDF5 file; it may be truncated or "
                         f"corrupted: {err}).") from err


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _json_attribute(h5file, name, filepath):
    try:
        return json.loads(_text(h5file.attrs[name]))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"Cannot load {filepath}: its `{name}` attribute is not valid JSON "
                         f"({err}).") from err


# --- Keras 2 configs in Keras 3's schema ---------------------------------------------------


def _upgrade_layer_config(class_name, config):
    config = dict(config)
    if class_name == "InputLayer" and "batch_input_shape" in config:
        config["batch_shape"] = config.pop("batch_input_shape")
    if class_name in ("BatchNormalization", "LayerNormalization"):
        axis = config.get("axis")
        if isinstance(axis, list) and len(axis) == 1:
            config["axis"] = axis[0]
    return config


def _keras_tensor(history):
    name, node_index, tensor_index = history[:3]
    return {"class_name": "__keras_tensor__",
            "config": {"keras_history": [name, node_index, tensor_index]}}


def _upgrade_node(node):
    """A Keras 2 call (`[[name, node, tensor, kwargs], ...]`) as Keras 3's
    `{"args": ..., "kwargs": ...}`."""
    if isinstance(node, dict):
        return node
    tensors = [_keras_tensor(entry) for entry in node]
    kwargs = node[0][3] if node and len(node[0]) > 3 and isinstance(node[0][3], dict) else {}
    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": kwargs}


def upgrade_config(entry):
    """A serialized layer or model from a Keras 2 file, in the form eagerflow reads."""
    entry = dict(entry)
    class_name = entry.get("class_name")
    config = entry.get("config")
    if not isinstance(config, dict):
        return entry
    config = _upgrade_layer_config(class_name, config)
    if isinstance(config.get("layers"), list):
        config["layers"] = [upgrade_config(layer) for layer in config["layers"]]
    for ends in ("input_layers", "output_layers"):
        # Keras 2 lists a single input or output as a list of one; Keras 3 as itself.
        value = config.get(ends)
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
            config[ends] = value[0]
    if "inbound_nodes" in entry:
        entry["inbound_nodes"] = [_upgrade_node(node) for node in entry["inbound_nodes"]]
    if class_name == "Model":
        entry["class_name"] = class_name = "Functional"
    if class_name in ("Sequential", "Functional"):
        entry.setdefault("module", "keras")
    entry["config"] = config
    return entry


def _optimizer_config(optimizer_config):
    """A Keras 2 optimizer config in Keras 3's terms (`"Custom>Adam"` is Keras 2's name
    for its new optimizers)."""
    from eagerflow.keras import optimizers
    class_name = optimizer_config["class_name"].split(">")[-1]
    config = dict(optimizer_config.get("config", {}))
    for legacy_key in ("jit_compile", "is_legacy_optimizer", "decay"):
        config.pop(legacy_key, None)
    return optimizers.get({"class_name": class_name, "config": config})


# --- loading --------------------------------------------------------------------------------


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Reads a full model from a legacy `.h5` file (see `keras.saving.load_model`)."""
    from eagerflow.keras.saving.object_registration import CustomObjectScope
    from eagerflow.keras.serialization_lib import deserialize_keras_object
    with _open(filepath) as h5file:
        if "model_config" not in h5file.attrs:
            raise ValueError(f"No model config found in the file at {filepath}.")
        config = upgrade_config(_json_attribute(h5file, "model_config", filepath))
        with CustomObjectScope(custom_objects):
            model = deserialize_keras_object(config, custom_objects=custom_objects,
                                             safe_mode=safe_mode)
        if "model_weights" not in h5file:
            raise ValueError(f"Cannot load {filepath}: it holds no `model_weights` group.")
        load_weights_from_group(h5file["model_weights"], model, filepath)
        if not compile:
            return model
        if "training_config" not in h5file.attrs:
            warnings.warn("No training configuration found in the save file, so the model "
                          "was *not* compiled. Compile it manually.", stacklevel=3)
            return model
        training = _json_attribute(h5file, "training_config", filepath)
        model.compile(optimizer=_optimizer_config(training["optimizer_config"]),
                      loss=training.get("loss"), metrics=training.get("metrics"),
                      weighted_metrics=training.get("weighted_metrics"),
                      loss_weights=training.get("loss_weights"))
        if "optimizer_weights" in h5file:
            _load_optimizer_weights(h5file["optimizer_weights"], model)
    return model


def _load_optimizer_weights(group, model):
    optimizer = model.optimizer
    values = [np.asarray(group[_text(name)]) for name in group.attrs.get("weight_names", [])]
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    variables = optimizer.variables
    if len(values) != len(variables) or any(
            tuple(v.shape) != value.shape for v, value in zip(variables, values)):
        warnings.warn(_OPTIMIZER_WARNING, stacklevel=4)
        return
    optimizer.set_weights(values)


def load_weights(model, filepath, skip_mismatch=False, by_name=False, **kwargs):
    """Loads the weights of a legacy `.h5` file (full model or weights only) into `model`:
    layer by layer in order, or, `by_name`, into the layers of the same name."""
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    with _open(filepath) as h5file:
        group = h5file
        if "layer_names" not in h5file.attrs and "model_weights" in h5file:
            group = h5file["model_weights"]
        if by_name:
            load_weights_from_group_by_name(group, model, filepath, skip_mismatch)
        else:
            load_weights_from_group(group, model, filepath, skip_mismatch)


def _saved_layers(group, filepath):
    """(layer name, [arrays]) for each saved layer, in the file's order."""
    if "layer_names" not in group.attrs:
        raise ValueError(f"Cannot load {filepath}: it is not a legacy Keras weights file "
                         f"(no `layer_names` attribute).")
    layers = []
    for name in (_text(n) for n in group.attrs["layer_names"]):
        try:
            layer_group = group[name]
            values = [np.asarray(layer_group[_text(w)])
                      for w in layer_group.attrs.get("weight_names", [])]
        except (KeyError, OSError) as err:
            raise ValueError(f"Cannot load {filepath}: the weights of layer '{name}' cannot "
                             f"be read ({err}).") from err
        layers.append((name, values))
    return layers


def _legacy_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _set_weights(layer, variables, values, label, skip_mismatch):
    for variable, value in zip(variables, values):
        if tuple(variable.shape) != value.shape:
            # Keras's own words, without a space after the label as Keras 3.15 has them.
            detail = (f"for weight {getattr(variable, 'path', variable.name)}. Weight expects "
                      f"shape {tuple(variable.shape)}. Received saved weight with shape "
                      f"{value.shape}")
            if skip_mismatch:
                warnings.warn(f"Skipping loading weights for {label}due to mismatch in shape "
                              f"{detail}", stacklevel=4)
                return
            raise ValueError(f"Shape mismatch in {label}{detail}")
    for variable, value in zip(variables, values):
        variable.assign(value.astype(variable.dtype.as_numpy_dtype, copy=False))


def load_weights_from_group(group, model, filepath, skip_mismatch=False):
    """Loads saved layers into the model's layers that have weights, in order."""
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    saved = [(name, values) for name, values in _saved_layers(group, filepath) if values]
    if len(layers) != len(saved):
        raise ValueError(f"Layer count mismatch when loading weights from file. Model expected "
                         f"{len(layers)} layers, found {len(saved)} saved layers.")
    for k, (layer, (name, values)) in enumerate(zip(layers, saved)):
        variables = _legacy_weights(layer)
        if len(variables) != len(values):
            raise ValueError(f"Weight count mismatch for layer #{k} (named {layer.name} in the "
                             f"current model, {name} in the save file). Layer expects "
                             f"{len(variables)} weight(s). Received {len(values)} saved "
                             f"weight(s)")
        _set_weights(layer, variables, values, f"layer #{k} (named {layer.name})",
                     skip_mismatch)


def load_weights_from_group_by_name(group, model, filepath, skip_mismatch=False):
    """Loads saved layers into the model's layers of the same names."""
    by_name = {}
    for layer in model.layers:
        by_name.setdefault(layer.name, []).append(layer)
    for k, (name, values) in enumerate(_saved_layers(group, filepath)):
        for layer in by_name.get(name, []):
            variables = _legacy_weights(layer)
            if len(variables) != len(values):
                if skip_mismatch:
                    warnings.warn(f"Skipping loading of weights for layer #{k} (named "
                                  f"{layer.name}) due to mismatch in number of weights. Layer "
                                  f"expects {len(variables)} weight(s). Received "
                                  f"{len(values)} saved weight(s)", stacklevel=3)
                    continue
                raise ValueError(f"Weight count mismatch for layer #{k} (named {layer.name}). "
                                 f"Layer expects {len(variables)} weight(s). Received "
                                 f"{len(values)} saved weight(s)")
            _set_weights(layer, variables, values, f"layer #{k} (named {layer.name})",
                         skip_mismatch)


# --- saving -------------------------------------------------------------------------------


def _json(value):
    from eagerflow.keras.saving.keras_file import _json_default
    return json.dumps(value, default=_json_default)


def _string_array(strings):
    return np.array([s.encode("utf-8") for s in strings], dtype=object) if strings else \
        np.array([], dtype=np.float64)  # what Keras writes for an empty list


def save_model(model, filepath):
    """Writes `model` as a legacy `.h5` file, as Keras 3.15 does (with its warning)."""
    h5py = _h5py()
    warnings.warn(_SAVE_WARNING, stacklevel=3)
    model_config = {"class_name": type(model).__name__, "config": model.get_config()}
    with atomic_write(filepath, suffix=".h5") as temporary:
        with h5py.File(temporary, "w") as h5file:
            h5file.attrs["keras_version"] = _KERAS_VERSION
            h5file.attrs["backend"] = "tensorflow"
            h5file.attrs["model_config"] = _json(model_config)
            compile_config = (model.get_compile_config()
                              if getattr(model, "compiled", False) else None)
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and compile_config is not None:
                training = {key: value for key, value in compile_config.items()
                            if key != "optimizer"}
                training["optimizer_config"] = {"class_name": type(optimizer).__name__,
                                                "config": optimizer.get_config()}
                h5file.attrs["training_config"] = _json(training)
            _write_layers(h5file.create_group("model_weights"), model)
            if optimizer is not None and optimizer.variables and optimizer.built:
                group = h5file.create_group("optimizer_weights")
                names = [f"{optimizer.name}/{v.name}" for v in optimizer.variables]
                group.attrs["weight_names"] = _string_array(names)
                for name, variable in zip(names, optimizer.variables):
                    group.create_dataset(name, data=np.asarray(variable.numpy()))


def _write_layers(group, model):
    layers = [layer for layer in model.layers]
    group.attrs["backend"] = "tensorflow"
    group.attrs["keras_version"] = _KERAS_VERSION
    group.attrs["layer_names"] = _string_array([layer.name for layer in layers])
    for layer in layers:
        layer_group = group.create_group(layer.name)
        variables = _legacy_weights(layer)
        names = [f"{model.name}/{layer.name}/{_short_name(v)}" for v in variables]
        layer_group.attrs["weight_names"] = _string_array(names)
        for name, variable in zip(names, variables):
            layer_group.create_dataset(name, data=np.asarray(variable.numpy()))
    group.create_group("top_level_model_weights").attrs["weight_names"] = _string_array([])


def _short_name(variable):
    return str(variable.name).split("/")[-1].split(":")[0]
