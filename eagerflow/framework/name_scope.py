"""`tf.name_scope`: the prefix of the names of variables created inside it ("dense/w:0")."""

import threading

_state = threading.local()


def current_scope():
    """The active scope as a prefix: "outer/inner/", or "" at the top."""
    return getattr(_state, "scope", "")


class name_scope:  # noqa: N801 - TensorFlow's name
    """A context manager that prefixes the names of variables created inside it.

    A name ending in "/" is taken as a whole scope rather than nested in the current one;
    "" returns to the top.

    >>> with tf.name_scope("outer") as scope:
    ...     with tf.name_scope("inner"):
    ...         v = tf.Variable(1.0, name="v")
    >>> scope, v.name
    ('outer/', 'outer/inner/v:0')

    Raises:
      ValueError: if `name` is not a string.
    """

    def __init__(self, name):
        if not isinstance(name, str):
            raise ValueError("name for name_scope must be a string.")
        self._name = name
        self._exit_to = []

    @property
    def name(self):
        return self._name

    def __enter__(self):
        outer = current_scope()
        if not self._name or self._name.endswith("/"):
            scope = self._name
        else:
            scope = f"{outer}{self._name}/"
        self._exit_to.append(outer)
        _state.scope = scope
        return scope

    def __exit__(self, exc_type, exc_value, traceback):
        _state.scope = self._exit_to.pop()
