"""Keras 3's weights file (`model.weights.h5`): the layout Keras 3.15 writes, both ways.

The file holds one group per saved object, each with a `vars` group and a `name`
attribute; `vars` holds what the object's `save_own_variables` puts in its store: for most
layers and optimizers their variables as datasets "0", "1", ..., for some named state (a
lookup layer's `idf_weights`). A Sequential or functional model writes its own (usually empty)
`vars`, then `layers/<snake_case class name>[_<n>]/...` for each layer in `model.layers`,
then `optimizer/vars/...`. Other layers and subclassed models write the layers, lists of
layers and optimizer held in their attributes, under the attribute's name (public names
first, then private ones), as Keras 3.15 walks them. Loading reads arrays only: nothing is
unpickled or evaluated; a damaged file raises `ValueError` naming it.
"""

import io
import os
import re
import warnings

import numpy as np

from eagerflow.keras.saving.atomic_file import atomic_write

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
    """The arrays an object (layer or optimizer) writes under its own `vars`, by key: its
    variables under "0", "1", ... unless its `save_own_variables` says otherwise."""
    store = {}
    obj.save_own_variables(store)
    return store


# Layer internals that Keras's walk skips (they are attributes of every layer).
_INTERNAL_ATTRIBUTES = {"_layers", "_metrics", "_inbound_nodes", "_outbound_nodes",
                        "_functional", "_auto_config", "_operations"}


def _attribute_order(name):
    """Keras's order of attributes: public ones by name, then private ones by name."""
    return f"~{name}" if name.startswith("_") else name


def _children(obj):
    """(path element, child, is_container) in the order Keras 3.15 walks them: a
    Sequential or functional model's `layers` first, then the attributes holding layers,
    optimizers or lists of layers (a model's `layers` and `optimizer` among them)."""
    from eagerflow.keras.layers.layer import Layer
    from eagerflow.keras.models.functional import Functional
    from eagerflow.keras.models.model import Model
    from eagerflow.keras.models.sequential import Sequential
    from eagerflow.keras.optimizers.optimizer import Optimizer
    if not isinstance(obj, Layer):
        return
    if isinstance(obj, (Sequential, Functional)):
        yield "layers", obj.layers, True
    attributes = dict(obj.__dict__)
    if isinstance(obj, Model):
        attributes["layers"] = obj.layers
    for name in sorted(attributes, key=_attribute_order):
        if name.startswith("__") or name in _INTERNAL_ATTRIBUTES:
            continue
        value = attributes[name]
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, (Layer, Optimizer)) and value is not obj:
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


def saveables(model):
    """(path, object) for `model` and every layer and optimizer saved with it, in the
    order Keras 3.15 visits them; the path is where its state goes ("" for `model`)."""
    return _walk(model, "", set())


def write_weights(h5file, model):
    """Writes `model`'s weights (and its optimizer's) into an open, writable h5py file."""
    for path, obj in _walk(model, "", set()):
        group = h5file.require_group(f"{path}/vars" if path else "vars")
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        for key, value in _own_variables(obj).items():
            group.create_dataset(key, data=np.asarray(value))


def weights_as_bytes(model):
    """The content of the weights file of `model` (for a `.keras` archive)."""
    buffer = io.BytesIO()
    with _h5py().File(buffer, "w") as h5file:
        write_weights(h5file, model)
    return buffer.getvalue()


def save_weights(model, filepath, overwrite=True):
    """Writes `model`'s weights (and its optimizer's) to `filepath` in Keras 3's layout.

    The file is written to a temporary file in the same folder, then renamed over
    `filepath`: a failure midway leaves an existing file whole.
    """
    filepath = _check_filepath(filepath)
    if os.path.exists(filepath) and not overwrite:
        raise FileExistsError(f"File already exists and overwrite=False: {filepath}")
    h5py = _h5py()
    with atomic_write(filepath, suffix=_SUFFIX) as temporary:
        with h5py.File(temporary, "w") as h5file:
            write_weights(h5file, model)


def _read_store(h5file, path):
    """The arrays under `<path>/vars`, keyed "0", "1", ...; empty if the group is absent."""
    h5py = _h5py()
    name = f"{path}/vars" if path else "vars"
    try:
        group = h5file.get(name)
        if not isinstance(group, h5py.Group):
            return {}
        store = {key: dataset[()] for key, dataset in group.items()
                 if isinstance(dataset, h5py.Dataset) and dataset.dtype.kind in "biuf"}
    # What h5py raises on damaged bytes varies with the damage.
    except (OSError, RuntimeError, ValueError, TypeError, KeyError) as err:
        raise _DamagedFileError(f"the group '/{name}' cannot be read: {err}") from err
    numbered = [key for key in store if key.isdigit()]  # others are named state (idf_weights)
    if set(numbered) != {str(i) for i in range(len(numbered))}:
        raise _DamagedFileError(f"the group '/{name}' holds the datasets "
                                f"{sorted(numbered, key=int)} instead of '0' to "
                                f"'{len(numbered) - 1}'")
    return store


class _DamagedFileError(Exception):
    """A weights file whose layout is broken (as opposed to one for another model)."""


def load_weights(model, filepath, skip_mismatch=False):
    """Loads weights saved by `save_weights` (eagerflow's or Keras 3's) into `model`.

    A layer whose variable count or shapes differ from the file raises `ValueError` naming
    the layer and the shapes; with `skip_mismatch=True` such layers are left as they are and
    a warning says which. A missing file raises `FileNotFoundError`, one that is not HDF5
    (truncated, corrupted) `ValueError`, both naming the file.
    """
    filepath = _check_filepath(filepath)
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"No such weights file: {filepath}")
    read_weights_file(filepath, model, filepath, _SUFFIX, "it", skip_mismatch=skip_mismatch)


def read_weights_file(source, model, filepath, file_format, member, skip_mismatch=False):
    """Loads the weights in the HDF5 file `source` (a path or a file object), which is
    `member` ("it", or a part) of the `file_format` file `filepath`.

    Raises:
      ValueError: naming `filepath`, when the HDF5 data cannot be read (truncated or
        corrupted).
    """
    h5py = _h5py()
    try:
        with h5py.File(source, "r") as h5file:
            _read_weights(h5file, model, filepath, skip_mismatch=skip_mismatch)
    except (OSError, RuntimeError) as err:  # h5py's errors for damaged files
        raise ValueError(f"Cannot load {filepath}: it is not a valid `{file_format}` file "
                         f"({member} is not a readable HDF5 file; it may be truncated or "
                         f"corrupted: {err}).") from err
    except _DamagedFileError as err:
        raise ValueError(f"Cannot load {filepath}: it is not a valid `{file_format}` file "
                         f"({member} is damaged: {err}).") from err


def _read_weights(h5file, model, filepath, skip_mismatch=False):
    """Loads the weights in an open h5py file into `model` (see `load_weights`)."""
    from eagerflow.keras.layers.layer import Layer
    failed = []
    for path, obj in _walk(model, "", set()):
        store = _read_store(h5file, path)
        if not isinstance(obj, Layer):  # an optimizer warns and skips by itself
            obj.load_own_variables(store)
            continue
        try:
            obj.load_own_variables(store)
        except ValueError as err:
            failed.append((obj, err))
    if failed:
        first, err = failed[0]
        message = (f"A total of {len(failed)} objects could not be loaded. Example error "
                   f"message for object {first!r}:\n\n{err}\n\nList of objects that could "
                   f"not be loaded:\n{[obj for obj, _ in failed]!r}\n\n(weights read from "
                   f"{filepath})")
        if not skip_mismatch:
            raise ValueError(message)
        warnings.warn(message, stacklevel=3)
