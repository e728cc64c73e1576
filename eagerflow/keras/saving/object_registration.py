"""Keras's registry of custom objects: `register_keras_serializable`, `custom_object_scope`.

A registered class or function is saved under its registered name, `"package>Name"`, and
found again by that name when a file is loaded. `custom_object_scope` adds objects for the
duration of a `with` block; `custom_objects=` arguments add them for one call.
"""

import inspect
import threading

_GLOBAL_CUSTOM_OBJECTS = {}  # registered name -> class or function
_GLOBAL_CUSTOM_NAMES = {}  # class or function -> registered name
_scopes = threading.local()


def _scope_objects():
    """The objects of the active `custom_object_scope`s, innermost last."""
    merged = {}
    for objects in getattr(_scopes, "stack", ()):
        merged.update(objects)
    return merged


class CustomObjectScope:
    """Exposes custom classes and functions to deserialization inside a `with` block.

    >>> from eagerflow import keras
    >>> def twice(x):
    ...     return 2 * x
    >>> with keras.saving.CustomObjectScope({"twice": twice}):
    ...     keras.saving.get_registered_object("twice") is twice
    True
    >>> keras.saving.get_registered_object("twice") is None
    True

    Args:
      custom_objects: dicts mapping names to classes or functions (several may be given).
    """

    def __init__(self, *custom_objects):
        self.custom_objects = {}
        for objects in custom_objects:
            if objects is None:
                continue
            if not isinstance(objects, dict):
                raise TypeError(f"Arguments to `custom_object_scope` must be dicts. "
                                f"Received: {objects!r} of type {type(objects)}")
            self.custom_objects.update(objects)

    def __enter__(self):
        if not hasattr(_scopes, "stack"):
            _scopes.stack = []
        _scopes.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        _scopes.stack.pop()


custom_object_scope = CustomObjectScope


def get_custom_objects():
    """The global dict of registered objects (registered name -> class or function);
    changes to it register or unregister objects.

    >>> from eagerflow import keras
    >>> isinstance(keras.saving.get_custom_objects(), dict)
    True
    """
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function under `"package>name"` so that loading finds it.

    The registered name is what `serialize_keras_object` writes as `registered_name`.

    >>> from eagerflow import keras
    >>> @keras.saving.register_keras_serializable(package="demo")
    ... class Doubler(keras.layers.Layer):
    ...     def call(self, x):
    ...         return 2 * x
    >>> keras.saving.get_registered_name(Doubler)
    'demo>Doubler'

    Args:
      package: the package the object belongs to (default "Custom").
      name: the name to register it under (default: the class or function's name).

    Raises:
      ValueError: when a class to register has no `get_config` method.
    """

    def decorator(arg):
        registered = name if name is not None else arg.__name__
        registered_name = f"{package}>{registered}"
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() "
                             "method.")
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        _GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj):
    """The name `obj` is registered under, or its own `__name__` when not registered.

    >>> from eagerflow import keras
    >>> keras.saving.get_registered_name(keras.layers.Dense)
    'Dense'
    """
    registered = _GLOBAL_CUSTOM_NAMES.get(obj)
    if registered is None and inspect.isclass(obj):
        # A subclassed Model called with (inputs, outputs) is a same-named subclass of it.
        bases = [base for base in obj.__bases__ if base.__name__ == obj.__name__]
        registered = _GLOBAL_CUSTOM_NAMES.get(bases[0]) if bases else None
    if registered is not None:
        return registered
    return obj.__name__


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The class or function registered or exposed under `name`, or None.

    Looks in `custom_objects`, then the active `custom_object_scope`s, then the global
    registry, then `module_objects`.
    """
    for objects in (custom_objects, _scope_objects(), _GLOBAL_CUSTOM_OBJECTS, module_objects):
        if objects and name in objects:
            return objects[name]
    return None
