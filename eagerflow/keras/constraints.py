"""Keras weight constraints (`keras.constraints`): projections applied to a weight after
each optimizer update."""

import eagerflow as tf
from eagerflow.keras import backend, serialization_lib


def _tensor(w):
    return w if tf.is_tensor(w) else tf.convert_to_tensor(w)


def _norms(w, axis):
    return tf.sqrt(tf.reduce_sum(tf.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class of constraints: `__call__(w)` returns the projected weight.

    >>> from eagerflow.keras import constraints
    >>> class NonNegative(constraints.Constraint):
    ...     def __call__(self, w):
    ...         return w * tf.cast(w >= 0.0, w.dtype)
    >>> NonNegative()(tf.constant([-1.0, 1.0])).numpy().tolist()
    [-0.0, 1.0]
    """

    def __call__(self, w):
        return w

    def get_config(self):
        """Returns the constructor arguments as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Makes a constraint from the output of `get_config()`."""
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales the weights along `axis` so that their L2 norm is at most `max_value`.

    For a Dense kernel `(input_dim, units)` the default `axis=0` constrains each unit's
    incoming weights; for a Conv2D kernel use `axis=[0, 1, 2]`.

    >>> from eagerflow.keras import constraints
    >>> w = constraints.MaxNorm(1.0)(tf.constant([[3.0], [4.0]]))
    >>> [round(v, 4) for v in w.numpy().ravel().tolist()]
    [0.6, 0.8]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        norms = _norms(w, self.axis)
        desired = tf.minimum(tf.maximum(norms, 0.0), float(self.max_value))
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to 0.

    >>> from eagerflow.keras import constraints
    >>> constraints.NonNeg()(tf.constant([-1.0, 2.0])).numpy().tolist()
    [0.0, 2.0]
    """

    def __call__(self, w):
        return tf.maximum(_tensor(w), 0.0)


class UnitNorm(Constraint):
    """Rescales the weights along `axis` to unit L2 norm.

    >>> from eagerflow.keras import constraints
    >>> w = constraints.UnitNorm()(tf.constant([[3.0], [4.0]]))
    >>> [round(v, 4) for v in w.numpy().ravel().tolist()]
    [0.6, 0.8]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        return w / (backend.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Rescales the weights along `axis` so that their L2 norm lies in
    `[min_value, max_value]`, moving it a fraction `rate` of the way there each time:
    the new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    >>> from eagerflow.keras import constraints
    >>> w = constraints.MinMaxNorm(min_value=10.0, max_value=20.0)(tf.constant([[3.0], [4.0]]))
    >>> [round(v, 3) for v in w.numpy().ravel().tolist()]
    [6.0, 8.0]
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        norms = _norms(w, self.axis)
        clipped = tf.minimum(tf.maximum(norms, float(self.min_value)), float(self.max_value))
        desired = self.rate * clipped + (1 - self.rate) * norms
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

_CLASSES = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
_BY_NAME = serialization_lib.names(_CLASSES)


def serialize(constraint):
    """Returns the config dict of `constraint` in Keras's format (None for None).

    >>> from eagerflow.keras import constraints
    >>> constraints.serialize(constraints.MaxNorm())["config"]
    {'max_value': 2, 'axis': 0}
    """
    if constraint is None:
        return None
    return serialization_lib.serialize_object(constraint, "keras.constraints", _BY_NAME)


def deserialize(config, custom_objects=None):
    """Makes a constraint from a name or a dict produced by `serialize`.

    >>> from eagerflow.keras import constraints
    >>> constraints.deserialize("unit_norm").get_config()
    {'axis': 0}
    """
    return serialization_lib.deserialize_object(config, _BY_NAME, custom_objects, "constraint")


def get(identifier):
    """Returns a constraint for `identifier`: a name ("max_norm", "NonNeg"), a serialized
    dict, a class (instantiated) or a callable (returned as is); None gives None.

    >>> from eagerflow.keras import constraints
    >>> constraints.get("non_neg").__class__.__name__
    'NonNeg'

    Raises:
      ValueError: for an unknown name or a value that is not callable.
    """
    return serialization_lib.get_object(identifier, _BY_NAME, deserialize, "constraint")
