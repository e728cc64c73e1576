"""`tf.Module`: a named container that finds its variables and submodules by walking its
attributes (and the lists, tuples and dicts in them)."""

import functools
import re

from eagerflow.framework import nest
from eagerflow.framework.name_scope import name_scope
from eagerflow.framework.variables import Variable

_VALID_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# An underscore goes before a capital that follows a lowercase letter or digit, and before
# a capital that starts a lowercase word after other capitals ("HTTPServer": "http_server").
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=.)(?=[A-Z][a-z])")


def _snake_case(class_name):
    return _WORD_START.sub("_", class_name).lower()


class Module:
    """Base class for models and their parts: a name, a name scope, and the variables and
    submodules found in its attributes.

    >>> class Dense(tf.Module):
    ...     def __init__(self, units, name=None):
    ...         super().__init__(name=name)
    ...         self.w = tf.Variable(tf.ones([2, units]), name="w")
    ...         self.b = tf.Variable(tf.zeros([units]), name="b")
    >>> class Model(tf.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.layers = [Dense(3), Dense(1, name="out")]
    >>> model = Model()
    >>> model.name, [m.name for m in model.submodules]
    ('model', ['dense', 'out'])
    >>> [v.name for v in model.trainable_variables]
    ['b:0', 'w:0', 'b:0', 'w:0']

    Args:
      name: the module's name, a Python identifier (default: the class name in snake case).

    Raises:
      ValueError: if `name` is not a valid Python identifier.
    """

    # Attributes the walk over a module's attributes skips.
    _TF_MODULE_IGNORED_PROPERTIES = frozenset()

    def __init__(self, name=None):
        if name is None:
            name = _snake_case(type(self).__name__)
        elif not _VALID_NAME.match(name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid "
                             f"Python identifiers (e.g. a valid class name).")
        self._name = name
        with name_scope(name) as scope_name:
            self._name_scope = name_scope(scope_name)

    @property
    def name(self):
        """The module's name, as given or derived from its class."""
        return self._name

    @property
    def name_scope(self):
        """The `tf.name_scope` of this module: the scope active at its creation plus its name."""
        return self._name_scope

    @property
    def variables(self):
        """The variables of this module and its submodules, as a tuple (each once)."""
        return tuple(self._flatten(predicate=_is_variable))

    @property
    def trainable_variables(self):
        """The trainable variables of this module and its submodules."""
        return tuple(self._flatten(predicate=_is_trainable_variable))

    @property
    def non_trainable_variables(self):
        """The variables of this module and its submodules that are not trainable."""
        return tuple(self._flatten(predicate=_is_non_trainable_variable))

    @property
    def submodules(self):
        """Every module inside this one, each once: a module's own submodules (in the order
        of its attribute names) come before theirs."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive=True, predicate=None, attribute_traversal_key=None,
                 with_path=False, expand_composites=False):
        """The values in this module's attributes (and, if `recursive`, its submodules') for
        which `predicate` holds, as a generator; `(path, value)` pairs `with_path`."""
        predicate = predicate or (lambda _: True)
        return _walk(self, (), recursive, predicate, attribute_traversal_key, with_path,
                     {id(self)}, {id(self)})

    @classmethod
    def with_name_scope(cls, method):
        """Decorates a method to run inside the module's name scope.

        >>> class Scale(tf.Module):
        ...     @tf.Module.with_name_scope
        ...     def __call__(self, x):
        ...         if not hasattr(self, "w"):
        ...             self.w = tf.Variable(2.0, name="w")
        ...         return x * self.w
        >>> scale = Scale()
        >>> float(scale(3.0)), scale.w.name
        (6.0, 'scale/w:0')
        """
        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)
        return method_with_name_scope


def _is_variable(value):
    return isinstance(value, Variable)


def _is_trainable_variable(value):
    return isinstance(value, Variable) and value.trainable


def _is_non_trainable_variable(value):
    return isinstance(value, Variable) and not value.trainable


def _is_module(value):
    return isinstance(value, Module)


def _walk(module, path, recursive, predicate, key, with_path, seen, visited):
    """Yields `module`'s matching attribute values (in the order of the attribute names),
    then walks each submodule found in them. `seen` holds the ids of values yielded
    (each value once, unless paths are asked for); `visited` those of modules walked."""
    attributes = vars(module)
    ignored = getattr(module, "_TF_MODULE_IGNORED_PROPERTIES", ())
    submodules = []
    for name in sorted(attributes, key=key):
        if name in ignored:
            continue
        value = attributes[name]
        try:
            leaves = nest.flatten_with_tuple_paths(value)
        except TypeError as err:
            raise ValueError(f"Error processing property {name!r} of {value!r}") from err
        for leaf_path, leaf in leaves:
            if not with_path:
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
            full_path = path + (name,) + leaf_path
            if predicate(leaf):
                yield (full_path, leaf) if with_path else leaf
            if recursive and isinstance(leaf, Module) and id(leaf) not in visited:
                visited.add(id(leaf))
                submodules.append((full_path, leaf))
    for sub_path, submodule in submodules:
        yield from _walk(submodule, sub_path, recursive, predicate, key, with_path, seen,
                         visited)
