"""The `get` / `serialize` / `deserialize` machinery shared by the Keras registries
(activations, constraints, initializers, losses, metrics, optimizers, regularizers), as
Keras's `saving/serialization_lib.py` is. Each registry passes its name table and the word
its error messages use ("constraint", "loss", …); the public functions stay in each module."""

import inspect

from eagerflow.keras import backend


def names(classes):
    """Maps each class's name and its snake-cased name to the class."""
    by_name = {cls.__name__: cls for cls in classes}
    by_name.update({backend.to_snake_case(cls.__name__): cls for cls in classes})
    return by_name


def serialize_object(obj, module, by_name, *, functions=False, key=None):
    """Keras's config dict for `obj`: a built-in class (one `by_name` holds under
    `key(class name)`) names `module`, any other its own module and registered name; with
    `functions`, a plain function is serialized by its name."""
    if functions and inspect.isfunction(obj):
        return {"module": "builtins", "class_name": "function", "config": obj.__name__,
                "registered_name": "function"}
    cls = type(obj)
    builtin = by_name.get(key(cls.__name__) if key else cls.__name__) is cls
    return {"module": module if builtin else cls.__module__,
            "class_name": cls.__name__, "config": obj.get_config(),
            "registered_name": None if builtin else cls.__name__}


def deserialize_object(config, by_name, custom_objects, kind, *, functions=False,
                       instantiate_names=True):
    """The object a name or a `serialize_object` dict describes, looked up in `by_name` and
    then `custom_objects`; a class found is made with `from_config`.

    With `functions`, `{"class_name": "function", "config": name}` names a function, and a
    function found is returned as is. `instantiate_names=False` returns a class named by a
    bare string instead of making one.

    Raises:
      ValueError: "Could not interpret {kind} identifier: …" for a name found nowhere.
    """
    objects = {**by_name, **(custom_objects or {})}
    is_dict = isinstance(config, dict)
    name = config
    if is_dict:
        name = config.get("class_name")
        if functions and name == "function":
            name = config.get("config")
    if not isinstance(name, str) or name not in objects:
        raise ValueError(f"Could not interpret {kind} identifier: {config}")
    found = objects[name]
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
