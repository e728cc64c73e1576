"""Keras 3's `.keras` file: a zip of `metadata.json`, `config.json` and `model.weights.h5`.

`config.json` is the model's `serialize_keras_object` dict (module, class name, config,
registered name, build config, compile config); `model.weights.h5` is the weights file
`weights_file` writes, optimizer state included. The archive is written to a temporary
file and renamed, and loading reads JSON and arrays only.
"""

import datetime
import io
import json
import zipfile
import zlib

import numpy as np

from eagerflow.keras.saving.atomic_file import atomic_write
from eagerflow.keras.saving.weights_file import read_weights_file, weights_as_bytes

_CONFIG = "config.json"
_METADATA = "metadata.json"
_WEIGHTS = "model.weights.h5"
_NO_WEIGHTS = "Expected a model.weights.h5 or model.weights.npz file"  # Keras's words
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


def save_model(model, filepath):
    """Writes `model` to the `.keras` file `filepath` (see `keras.saving.save_model`)."""
    from eagerflow.keras.serialization_lib import serialize_keras_object
    config = serialize_keras_object(model)
    metadata = {"keras_version": KERAS_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    weights = weights_as_bytes(model)
    with atomic_write(filepath, suffix=".keras") as temporary:
        with zipfile.ZipFile(temporary, "w") as archive:
            archive.writestr(_member(_METADATA), json.dumps(metadata))
            archive.writestr(_member(_CONFIG), json.dumps(config, default=_json_default))
            archive.writestr(_member(_WEIGHTS), weights)


def _invalid(filepath, problem):
    return ValueError(f"Cannot load {filepath}: it is not a valid `.keras` file ({problem}).")


def _read_member(archive, filepath, name, missing):
    try:
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
    if not compile:
        config.pop("compile_config", None)
    with CustomObjectScope(custom_objects):
        model = deserialize_keras_object(config, custom_objects=custom_objects,
                                         safe_mode=safe_mode)
    _read_weights(filepath, weights, model)
    return model
