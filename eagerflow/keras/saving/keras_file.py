"""Keras 3's `.keras` file: a zip of `metadata.json`, `config.json`, `model.weights.h5`
and `assets/`.

`config.json` is the model's `serialize_keras_object` dict (module, class name, config,
registered name, build config, compile config); `model.weights.h5` is the weights file
`weights_file` writes, optimizer state included; `assets/<layer path>/` holds the files a
layer writes with `save_assets` (a lookup layer's `vocabulary.txt`), where `<layer path>`
is the layer's group in the weights file. The archive is written to a temporary file and
renamed, and loading reads JSON, arrays and text only.
"""

import datetime
import io
import json
import os
import tempfile
import zipfile
import zlib

import numpy as np

from eagerflow.keras.saving.atomic_file import atomic_write
from eagerflow.keras.saving.weights_file import read_weights_file, saveables, weights_as_bytes

_CONFIG = "config.json"
_METADATA = "metadata.json"
_WEIGHTS = "model.weights.h5"
_ASSETS = "assets/"
_NO_WEIGHTS = "Expected a model.weights.h5 or model.weights.npz file"  # Keras's words
# A member that unpacks to more than this and to over 100 times its stored size is refused
# as a decompression bomb (Keras's rule for the members it extracts).
_BOMB_FLOOR_BYTES = 1 << 28
_BOMB_EXPANSION = 100
# The Keras release whose format these files follow; Keras reads it as the saving version.
KERAS_VERSION = "3.15.1"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # as Keras dates its JSON members


def _json_default(value):
    """JSON for the values configs may hold besides plain ones (NumPy scalars, shapes,
    dtypes)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if hasattr(value, "as_list"):  # TensorShape
        return value.as_list()
    if hasattr(value, "as_numpy_dtype"):  # DType
        return value.name
    raise TypeError(f"Cannot serialize {value!r} of type {type(value)} to JSON.")


def _member(name):
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_STORED
    return info


def _layers(model):
    """(path, layer) for `model` and the layers saved with it; assets go under the path."""
    from eagerflow.keras.layers.layer import Layer
    return [(path, obj) for path, obj in saveables(model) if isinstance(obj, Layer)]


def _assets_folder(root, path):
    return os.path.join(root, *path.split("/")) if path else root


def _assets_of(model):
    """{member name: bytes} of the files `model`'s layers write with `save_assets`."""
    with tempfile.TemporaryDirectory() as root:
        for path, layer in _layers(model):
            folder = _assets_folder(root, path)
            os.makedirs(folder, exist_ok=True)
            layer.save_assets(folder)
        assets = {}
        for folder, _, files in os.walk(root):
            for name in files:
                file_path = os.path.join(folder, name)
                member = os.path.relpath(file_path, root).replace(os.sep, "/")
                with open(file_path, "rb") as file:
                    assets[_ASSETS + member] = file.read()
    return dict(sorted(assets.items()))


def save_model(model, filepath):
    """Writes `model` to the `.keras` file `filepath` (see `keras.saving.save_model`)."""
    from eagerflow.keras.serialization_lib import serialize_keras_object
    config = serialize_keras_object(model)
    metadata = {"keras_version": KERAS_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    weights = weights_as_bytes(model)
    assets = _assets_of(model)
    with atomic_write(filepath, suffix=".keras") as temporary:
        with zipfile.ZipFile(temporary, "w") as archive:
            archive.writestr(_member(_METADATA), json.dumps(metadata))
            archive.writestr(_member(_CONFIG), json.dumps(config, default=_json_default))
            archive.writestr(_member(_WEIGHTS), weights)
            for name, content in assets.items():
                archive.writestr(_member(name), content)


def _invalid(filepath, problem):
    return ValueError(f"Cannot load {filepath}: it is not a valid `.keras` file ({problem}).")


def _read_member(archive, filepath, name, missing):
    try:
        info = archive.getinfo(name)
        if info.file_size > max(_BOMB_FLOOR_BYTES, _BOMB_EXPANSION * info.compress_size):
            raise _invalid(filepath, f"its member {name} declares {info.file_size} bytes "
                                     f"but stores only {info.compress_size}; refusing to "
                                     f"unpack a potential decompression bomb")
        return archive.read(name)
    except KeyError as err:
        raise _invalid(filepath, missing) from err
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise _invalid(filepath, f"its member {name} is corrupted: {err}") from err


def _open(filepath):
    try:
        return zipfile.ZipFile(filepath)
    except (zipfile.BadZipFile, EOFError) as err:
        raise _invalid(filepath, "it is not a zip archive; it may be truncated or "
                                 "corrupted") from err


def _read_weights(filepath, weights, model, skip_mismatch=False):
    read_weights_file(io.BytesIO(weights), model, filepath, ".keras", f"its {_WEIGHTS}",
                      skip_mismatch=skip_mismatch)


def load_weights_into(model, filepath, skip_mismatch=False):
    """Loads the weights held in the `.keras` file `filepath` into `model`."""
    with _open(filepath) as archive:
        weights = _read_member(archive, filepath, _WEIGHTS, _NO_WEIGHTS)
    _read_weights(filepath, weights, model, skip_mismatch=skip_mismatch)


def _read_assets(archive, filepath):
    """{path inside `assets/`: bytes} of the archive's asset files."""
    assets = {}
    for name in archive.namelist():
        if not name.startswith(_ASSETS) or name.endswith("/"):
            continue
        parts = name[len(_ASSETS):].split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise _invalid(filepath, f"its member {name} points outside the assets folder")
        assets["/".join(parts)] = _read_member(archive, filepath, name, name)
    return assets


def _load_assets(model, assets, filepath):
    """Hands each layer its folder of `assets` (None if it has none), as Keras does when
    the file holds any assets."""
    if not assets:
        return
    with tempfile.TemporaryDirectory() as root:
        for member, content in assets.items():
            file_path = os.path.join(root, *member.split("/"))
            os.makedirs(os.path.dirname(file_path), exist_ok=True)
            with open(file_path, "wb") as file:
                file.write(content)
        for path, layer in _layers(model):
            folder = _assets_folder(root, path)
            try:
                layer.load_assets(folder if os.path.isdir(folder) else None)
            except (OSError, ValueError, RuntimeError) as err:
                where = f"{_ASSETS}{path}" if path else _ASSETS
                raise ValueError(f"Cannot load {filepath}: the assets of layer "
                                 f"'{layer.name}' ({where}) cannot be read: {err}") from err


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Reads the model in the `.keras` file `filepath` (see `keras.saving.load_model`)."""
    from eagerflow.keras.saving.object_registration import CustomObjectScope
    from eagerflow.keras.serialization_lib import deserialize_keras_object
    with _open(filepath) as archive:
        text = _read_member(archive, filepath, _CONFIG, f"the archive holds no {_CONFIG}")
        try:
            config = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise _invalid(filepath, f"its {_CONFIG} is not valid JSON: {err}") from err
        if not isinstance(config, dict) or "class_name" not in config:
            raise _invalid(filepath, f"its {_CONFIG} does not describe a model")
        weights = _read_member(archive, filepath, _WEIGHTS, _NO_WEIGHTS)
        assets = _read_assets(archive, filepath)
    if not compile:
        config.pop("compile_config", None)
    with CustomObjectScope(custom_objects):
        model = deserialize_keras_object(config, custom_objects=custom_objects,
                                         safe_mode=safe_mode)
    _read_weights(filepath, weights, model)
    _load_assets(model, assets, filepath)
    return model
