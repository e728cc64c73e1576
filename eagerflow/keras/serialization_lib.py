"""The `get` / `serialize` / `deserialize` machinery shared by the Keras registries
(activations, constraints, initializers, losses, metrics, optimizers, regularizers), as
Keras's `saving/serialization_lib.py` is. Each registry passes its name table and the word
its error messages use ("constraint", "loss", …); the public functions stay in each module.

`serialize_keras_object` / `deserialize_keras_object` handle any object (nested lists and
dicts of them too) by handing each Keras object to its registry. Deserialization never
unpickles or evaluates anything; only a Python lambda's bytecode, outside safe mode, is
turned back into a function (`SafeModeScope`).
"""

import base64
import binascii
import inspect
import marshal
import sys
import threading
import types

import numpy as np

from eagerflow.keras import backend
from eagerflow.keras.saving import object_registration


def names(classes):
    """Maps each class's name and its snake-cased name to the class."""
    by_name = {cls.__name__: cls for cls in classes}
    by_name.update({backend.to_snake_case(cls.__name__): cls for cls in classes})
    return by_name


def module_of(cls):
    """The "module" Keras writes for a class of the user's: None for one in `__main__`."""
    return None if cls.__module__ == "__main__" else cls.__module__


def serialize_object(obj, module, by_name, *, functions=False, key=None):
    """Keras's config dict for `obj`: a built-in class (one `by_name` holds under
    `key(class name)`) names `module`, any other its own module and registered name; with
    `functions`, a plain function is serialized by its name."""
    if functions and inspect.isfunction(obj):
        return {"module": "builtins", "class_name": "function", "config": obj.__name__,
                "registered_name": "function"}
    cls = type(obj)
    builtin = by_name.get(key(cls.__name__) if key else cls.__name__) is cls
    return {"module": module if builtin else module_of(cls),
            "class_name": cls.__name__, "config": obj.get_config(),
            "registered_name": None if builtin else object_registration.get_registered_name(
                cls)}


def find_custom_object(config, custom_objects=None):
    """The custom class or function a config dict (by its registered name, then its class
    name) or a name refers to, in `custom_objects`, the active `custom_object_scope`s and
    the registered objects; None if there is none."""
    if isinstance(config, dict):
        keys = [config.get("registered_name"), config.get("class_name")]
        if config.get("class_name") == "function":
            keys = [config.get("config")]
    else:
        keys = [config]
    for key in keys:
        if isinstance(key, str):
            found = object_registration.get_registered_object(key, custom_objects)
            if found is not None:
                return found
    return None


def deserialize_object(config, by_name, custom_objects, kind, *, functions=False,
                       instantiate_names=True):
    """The object a name or a `serialize_object` dict describes, looked up among the custom
    objects (`find_custom_object`), then in `by_name`; a class found is made with
    `from_config`.

    With `functions`, `{"class_name": "function", "config": name}` names a function, and a
    function found is returned as is. `instantiate_names=False` returns a class named by a
    bare string instead of making one.

    Raises:
      ValueError: "Could not interpret {kind} identifier: …" for a name found nowhere.
    """
    is_dict = isinstance(config, dict)
    name = config
    if is_dict:
        name = config.get("class_name")
        if functions and name == "function":
            name = config.get("config")
    found = find_custom_object(config, custom_objects)
    if found is None and isinstance(name, str):
        found = by_name.get(name)
    if found is None:
        raise ValueError(f"Could not interpret {kind} identifier: {config}")
    if functions and not inspect.isclass(found):
        return found
    if not is_dict and not instantiate_names:
        return found
    return found.from_config((config.get("config") or {}) if is_dict else {})


def get_object(identifier, by_name, deserialize, kind, *, instantiate=True):
    """What a registry's `get` returns for `identifier`: a dict goes through `deserialize`,
    a string through `by_name`; a class is instantiated (unless not `instantiate`) and any
    other callable returned as is; None gives None.

    Raises:
      ValueError: "Could not interpret {kind} identifier: …" for anything else.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = by_name.get(identifier)
    else:
        found = identifier
    if instantiate and inspect.isclass(found):
        return found()
    if callable(found):
        return found
    raise ValueError(f"Could not interpret {kind} identifier: {identifier}")


# --- safe mode ------------------------------------------------------------------------------

_safe_mode = threading.local()
_unsafe_deserialization = [False]


class SafeModeScope:
    """Sets whether deserialization inside the `with` block is in safe mode (None keeps
    the current setting)."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self.previous = getattr(_safe_mode, "value", None)
        if self.safe_mode is not None:
            _safe_mode.value = self.safe_mode
        return self

    def __exit__(self, *exc_info):
        _safe_mode.value = self.previous


def _current_safe_mode():
    """The setting of the enclosing `SafeModeScope`, else False after
    `enable_unsafe_deserialization()`, else None (not set)."""
    value = getattr(_safe_mode, "value", None)
    if value is None and _unsafe_deserialization[0]:
        return False
    return value


def in_safe_mode():
    """Whether Python bytecode read from a config is refused (the default)."""
    return _current_safe_mode() is not False


def enable_unsafe_deserialization():
    """Disables safe mode globally, allowing deserialization of lambdas."""
    _unsafe_deserialization[0] = True


_LAMBDA_REFUSED = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. "
    "This carries a potential risk of arbitrary code execution and thus it is disallowed by "
    "default. If you trust the source of the artifact, you can override this error by "
    "passing `safe_mode=False` to the loading function, or calling "
    "`keras.config.enable_unsafe_deserialization().")


def serialize_function(function):
    """Keras's config entry for a function: a named function by its (registered) name, a
    Python lambda as its marshalled bytecode (`__lambda__`)."""
    name = getattr(function, "__name__", None)
    if name == "<lambda>":
        closure = function.__closure__
        code = base64.encodebytes(marshal.dumps(function.__code__)).decode("ascii")
        return {"class_name": "__lambda__",
                "config": {"code": code, "defaults": function.__defaults__,
                           "closure": None if closure is None else tuple(
                               cell.cell_contents for cell in closure)}}
    if callable(function) and name is not None:
        return {"module": "builtins", "class_name": "function",
                "config": object_registration.get_registered_name(function),
                "registered_name": "function"}
    raise ValueError(f"Invalid input type for serialization. Received: {function} of type "
                     f"{type(function)}.")


def deserialize_lambda(config):
    """The function a `__lambda__` entry holds; refused in safe mode (Keras's error)."""
    if in_safe_mode():
        raise ValueError(_LAMBDA_REFUSED)
    try:
        code = marshal.loads(base64.decodebytes(str(config["code"]).encode("ascii")))
    except (binascii.Error, ValueError, EOFError, TypeError, KeyError) as err:
        raise ValueError(f"The `__lambda__` entry holds no Python "
                         f"{sys.version_info.major}.{sys.version_info.minor} bytecode that "
                         f"can be read: {err}") from err
    if not isinstance(code, types.CodeType):
        raise ValueError("The `__lambda__` entry does not hold a code object.")
    closure = config.get("closure")
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    defaults = config.get("defaults")
    return types.FunctionType(code, globals(), name=code.co_name,
                              argdefs=None if defaults is None else tuple(defaults),
                              closure=closure)


# --- any object -----------------------------------------------------------------------------

def _registry_serializers():
    """(base class, that registry's `serialize`) for each kind of Keras object."""
    from eagerflow.keras import (constraints, initializers, layers, losses, metrics,
                                 optimizers, regularizers)
    from eagerflow.keras.optimizers import schedules
    return ((layers.Layer, layers.serialize), (metrics.Metric, metrics.serialize),
            (losses.Loss, losses.serialize), (optimizers.Optimizer, optimizers.serialize),
            (initializers.Initializer, initializers.serialize),
            (regularizers.Regularizer, regularizers.serialize),
            (constraints.Constraint, constraints.serialize),
            (schedules.LearningRateSchedule, schedules.serialize))


def _registry_deserializers():
    """Keras's public module name -> that registry's `deserialize`."""
    from eagerflow.keras import (activations, constraints, initializers, layers, losses,
                                 metrics, optimizers, regularizers)
    from eagerflow.keras.optimizers import schedules
    return {"keras.layers": layers.deserialize, "keras": layers.deserialize,
            "keras.src.models.functional": layers.deserialize,
            "keras.models": layers.deserialize, "keras.metrics": metrics.deserialize,
            "keras.losses": losses.deserialize, "keras.optimizers": optimizers.deserialize,
            "keras.initializers": initializers.deserialize,
            "keras.regularizers": regularizers.deserialize,
            "keras.constraints": constraints.deserialize,
            "keras.optimizers.schedules": schedules.deserialize,
            "keras.activations": activations.deserialize}


def serialize_keras_object(obj):
    """The JSON-ready config Keras 3 writes for `obj`: plain values as they are, lists and
    dicts item by item, arrays as `__numpy__` records, functions by name, and Keras objects
    as `{"module", "class_name", "config", "registered_name"}` dicts.

    >>> from eagerflow import keras
    >>> config = keras.saving.serialize_keras_object(keras.regularizers.L2(0.5))
    >>> config["module"], config["class_name"], config["config"], config["registered_name"]
    ('keras.regularizers', 'L2', {'l2': 0.5}, None)
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, (list, tuple)):
        return type(obj)(serialize_keras_object(item) for item in obj)
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    from eagerflow.framework.tensor import Tensor
    if isinstance(obj, Tensor):
        return {"class_name": "__tensor__",
                "config": {"value": obj.numpy().tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        return serialize_function(obj)
    for base, serialize in _registry_serializers():
        if isinstance(obj, base):
            config = serialize(obj)
            if getattr(obj, "compiled", False) and hasattr(obj, "get_compile_config"):
                config["compile_config"] = obj.get_compile_config()
            return config
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize object {obj!r} of type {type(obj)}. To be "
                        f"serializable, a class must implement the `get_config()` method.")
    cls = type(obj)
    return {"module": module_of(cls), "class_name": cls.__name__, "config": obj.get_config(),
            "registered_name": object_registration.get_registered_name(cls)}


def class_not_found(config):
    """Keras's TypeError for a config whose class is found nowhere."""
    return TypeError(f"Could not locate class '{config.get('class_name')}'. Make sure custom "
                     f"classes and functions are decorated with "
                     f"`@keras.saving.register_keras_serializable()`. If they are already "
                     f"decorated, make sure they are all imported so that the decorator is "
                     f"run before trying to load them. Full object config: {config}")


def not_deserialized(cls, config, error):
    """Keras's TypeError for a class whose `from_config` failed with `error` (Keras shows
    the config with its inner "config" already taken out)."""
    config = {**config, "config": {}}
    return TypeError(f"{cls} could not be deserialized properly. Please ensure that "
                     f"components that are Python object instances (layers, models, etc.) "
                     f"returned by `get_config()` are explicitly deserialized in the model's "
                     f"`from_config()` method.\n\nconfig={config}.\n\nException encountered: "
                     f"{error}")


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object `serialize_keras_object`'s config describes (Keras 3's or eagerflow's).

    Classes are found among `custom_objects`, the active `custom_object_scope`s, the
    registered objects (`register_keras_serializable`) and Keras's built-in modules. A
    config's `build_config` builds the new layer; a `compile_config` compiles the model.

    >>> from eagerflow import keras
    >>> keras.saving.deserialize_keras_object(
    ...     {"module": "keras.layers", "class_name": "Dense", "config": {"units": 2},
    ...      "registered_name": None}).units
    2

    Raises:
      TypeError: for a class found nowhere (Keras's "Could not locate class" message).
      ValueError: for a Python lambda in safe mode.
    """
    current = _current_safe_mode()  # an enclosing scope (or the global switch) wins
    with SafeModeScope(safe_mode if current is None else current):
        return _deserialize(config, custom_objects, **kwargs)


def _deserialize(config, custom_objects, **kwargs):
    if config is None or isinstance(config, (bool, int, float, str)):
        return config
    if isinstance(config, (list, tuple)):
        return [_deserialize(item, custom_objects) for item in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {key: _deserialize(value, custom_objects) for key, value in config.items()}
    class_name, inner = config["class_name"], config["config"]
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__tensor__":
        import eagerflow as tf
        return tf.constant(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__lambda__":
        return deserialize_lambda(inner)
    if class_name == "function":
        return _deserialize_function(config, custom_objects)
    found = find_custom_object(config, custom_objects)
    deserializers = _registry_deserializers()
    if found is None and config.get("module") in deserializers:
        deserialize = deserializers[config["module"]]
        if deserialize is deserializers["keras.layers"]:
            return _deserialize_layer(config, custom_objects)
        return deserialize(config, custom_objects=custom_objects)
    if found is None:
        raise class_not_found(config)
    from eagerflow.keras.layers import Layer
    if inspect.isclass(found) and issubclass(found, Layer):
        return _deserialize_layer(config, custom_objects)
    if "custom_objects" in inspect.signature(found.from_config).parameters:
        return found.from_config(inner, custom_objects=custom_objects)
    return found.from_config(inner)


def _deserialize_layer(config, custom_objects):
    """A layer or model, built as its `build_config` says and compiled as its
    `compile_config` says."""
    from eagerflow.keras import layers
    layer = layers.deserialize(config, custom_objects=custom_objects)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(layer, "compile_from_config"):
        layer.compile_from_config(compile_config)
    return layer


def _deserialize_function(config, custom_objects):
    """A function named in a `{"class_name": "function"}` entry: a custom or registered
    one, else a built-in activation, loss or metric function of that name."""
    from eagerflow.keras import activations, losses, metrics
    name = config["config"]
    found = find_custom_object(config, custom_objects)
    if found is not None:
        return found
    for registry in (activations, losses, metrics):
        try:
            return registry.deserialize(name)
        except ValueError:
            continue
    raise TypeError(f"Could not locate function '{name}'. Make sure custom classes and "
                    f"functions are decorated with `@keras.saving.register_keras_serializable()`"
                    f". If they are already decorated, make sure they are all imported so "
                    f"that the decorator is run before trying to load them. Full object "
                    f"config: {config}")
