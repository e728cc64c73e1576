"""Keras 3's weights file (`model.weights.h5`): the layout Keras 3.15 writes, both ways.

The file holds one group per saved object, each with a `vars` group of datasets "0", "1",
... and a `name` attribute. A Sequential or functional model writes its own (usually empty)
`vars`, then `layers/<snake_case class name>[_<n>]/...` for each layer in `model.layers`,
then `optimizer/vars/...`. Loading reads arrays only: nothing is unpickled or evaluated.
"""

import os
import re
import tempfile
import warnings

import numpy as np

_SUFFIX = ".weights.h5"


def _h5py():
    import h5py
    return h5py


def _snake_case(name):
    """Keras's `to_snake_case`: `BatchNormalization` -> `batch_normalization`."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return name if name[0] != "_" else "private" + name


def _check_filepath(filepath):
    filepath = os.fspath(filepath)
    if not filepath.endswith(_SUFFIX):
        raise ValueError(f"The filename must end in `{_SUFFIX}`. Received: "
                         f"filepath={filepath}")
    return filepath


def _own_variables(obj):
    """The variables an object writes under its own `vars`, in Keras's order."""
    from eagerflow.keras.layers.layer import Layer
    if isinstance(obj, Layer):
        return list(obj._trainable_variables) + list(obj._non_trainable_variables)
    return list(obj.variables)


def _children(obj):
    """(path element, child, is_container) in the order Keras 3.15 walks them."""
    from eagerflow.keras.layers.layer import Layer
    from eagerflow.keras.models.functional import Functional
    from eagerflow.keras.models.sequential import Sequential
    if isinstance(obj, (Sequential, Functional)):
        yield "layers", obj.layers, True
        optimizer = getattr(obj, "optimizer", None)
        if optimizer is not None:
            yield "optimizer", optimizer, False
        return
    if not isinstance(obj, Layer):
        return
    # Other layers: sublayers held in attributes, in sorted attribute order.
    attributes = sorted(obj.__dict__.items(), key=lambda item: item[0])
    for name, value in attributes:
        if name.startswith("__") or name in ("_layers", "_metrics", "_inbound_nodes",
                                             "_outbound_nodes"):
            continue
        if isinstance(value, Layer) and value is not obj:
            yield name, value, False
        elif isinstance(value, (list, tuple)) and any(isinstance(v, Layer) for v in value):
            yield name, [v for v in value if isinstance(v, Layer)], True


def _walk(obj, path, visited):
    """(path, object) for every object saved, depth first, each object once."""
    if id(obj) in visited:
        return
    visited.add(id(obj))
    yield path, obj
    for element, child, is_container in _children(obj):
        inner = f"{path}/{element}" if path else element
        if not is_container:
            yield from _walk(child, inner, visited)
            continue
        used = {}
        for item in child:
            name = _snake_case(type(item).__name__)
            if name in used:
                used[name] += 1
                name = f"{name}_{used[name] - 1}"
            else:
                used[name] = 1
            yield from _walk(item, f"{inner}/{name}", visited)


def _write(h5file, model):
    for path, obj in _walk(model, "", set()):
        group = h5file.require_group(f"{path}/vars" if path else "vars")
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        for i, variable in enumerate(_own_variables(obj)):
            group.create_dataset(str(i), data=np.asarray(variable.numpy()))


def save_weights(model, filepath, overwrite=True):
    """Writes `model`'s weights (and its optimizer's) to `filepath` in Keras 3's layout.

    The file is written to a temporary file in the same folder, then renamed over
    `filepath`: a failure midway leaves an existing file whole.
    """
    filepath = _check_filepath(filepath)
    if os.path.exists(filepath) and not overwrite:
        raise FileExistsError(f"File already exists and overwrite=False: {filepath}")
    h5py = _h5py()
    folder = os.path.dirname(os.path.abspath(filepath))
    handle, temporary = tempfile.mkstemp(suffix=_SUFFIX, prefix=".tmp-", dir=folder)
    os.close(handle)
    try:
        with h5py.File(temporary, "w") as h5file:
            _write(h5file, model)
        os.replace(temporary, filepath)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _read_store(h5file, path):
    """The arrays under `<path>/vars`, keyed "0", "1", ...; empty if the group is absent."""
    h5py = _h5py()
    group = h5file.get(f"{path}/vars" if path else "vars")
    if not isinstance(group, h5py.Group):
        return {}
    store = {}
    for key, dataset in group.items():
        if isinstance(dataset, h5py.Dataset) and dataset.dtype.kind in "biuf":
            store[key] = dataset[()]
    return store


def _load_layer(layer, store):
    variables = _own_variables(layer)
    if len(store) != len(variables):
        if not variables and not layer.built:
            raise ValueError(f"Layer '{layer.name}' was never built and thus it doesn't have "
                             f"any variables. However the weights file lists {len(store)} "
                             f"variables for this layer.")
        raise ValueError(f"Layer '{layer.name}' expected {len(variables)} variables, but "
                         f"received {len(store)} variables during loading. Expected: "
                         f"{[_short_name(v) for v in variables]}")
    for i, variable in enumerate(variables):
        value = store[str(i)]
        if tuple(variable.shape) != tuple(value.shape):
            raise ValueError(
                f"The shape of the target variable and the shape of the target value in "
                f"`variable.assign(value)` must match. variable.shape={tuple(variable.shape)}, "
                f"Received: value.shape={tuple(value.shape)}. Target variable: "
                f"<Variable path={getattr(variable, 'path', _short_name(variable))}, "
                f"shape={tuple(variable.shape)}> of layer '{layer.name}'")
    for i, variable in enumerate(variables):
        variable.assign(store[str(i)].astype(variable.dtype.as_numpy_dtype, copy=False))


def _short_name(variable):
    name = getattr(variable, "name", "")
    return name.split("/")[-1].split(":")[0]


def load_weights(model, filepath, skip_mismatch=False):
    """Loads weights saved by `save_weights` (eagerflow's or Keras 3's) into `model`.

    A layer whose variable count or shapes differ from the file raises `ValueError` naming
    the layer and the shapes; with `skip_mismatch=True` such layers are left as they are and
    a warning says which.
    """
    filepath = _check_filepath(filepath)
    from eagerflow.keras.layers.layer import Layer
    h5py = _h5py()
    failed = []
    with h5py.File(filepath, "r") as h5file:
        for path, obj in _walk(model, "", set()):
            store = _read_store(h5file, path)
            if not isinstance(obj, Layer):  # an optimizer warns and skips by itself
                obj.load_own_variables(store)
                continue
            try:
                _load_layer(obj, store)
            except ValueError as err:
                failed.append((obj, err))
    if failed:
        first, err = failed[0]
        message = (f"A total of {len(failed)} objects could not be loaded. Example error "
                   f"message for object {first!r}:\n\n{err}\n\nList of objects that could "
                   f"not be loaded:\n{[obj for obj, _ in failed]!r}")
        if not skip_mismatch:
            raise ValueError(message)
        warnings.warn(message, stacklevel=3)
