"""Keras regularizers (`keras.regularizers`): callables mapping a weight to a scalar
penalty that is added to the loss."""

import math

import eagerflow as tf
from eagerflow.keras import serialization_lib
from eagerflow.keras.activations import _l2_normalize


def _check_factor(value, name):
    if (not isinstance(value, (float, int)) or math.isinf(value) or math.isnan(value)
            or value < 0):
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")
    return float(value)


def _tensor(x):
    return x if tf.is_tensor(x) else tf.convert_to_tensor(x)


class Regularizer:
    """Base class of regularizers: `__call__(x)` returns a scalar penalty for weight `x`.

    >>> from eagerflow.keras import regularizers
    >>> class Sum(regularizers.Regularizer):
    ...     def __call__(self, x):
    ...         return tf.reduce_sum(x)
    ...     def get_config(self):
    ...         return {}
    >>> float(Sum()(tf.ones((2, 2))))
    4.0
    """

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        """Makes a regularizer from the output of `get_config()`."""
        return cls(**config)

    def get_config(self):
        """Returns the constructor arguments as a JSON-serializable dict."""
        raise NotImplementedError(f"{self} does not implement get_config()")


class L1L2(Regularizer):
    """Penalty `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Note the defaults are 0: `L1L2(l2=0.1)` has no L1 part.

    >>> from eagerflow.keras import regularizers
    >>> float(regularizers.L1L2(l1=0.5, l2=0.25)(tf.constant([1.0, -2.0])))
    2.75
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _check_factor(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        x = _tensor(x)
        penalty = tf.zeros((), x.dtype)
        if self.l1:
            penalty = penalty + self.l1 * tf.reduce_sum(tf.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * tf.reduce_sum(tf.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """Penalty `l1 * sum(abs(x))`.

    >>> from eagerflow.keras import regularizers
    >>> float(regularizers.L1(0.5)(tf.constant([1.0, -2.0])))
    1.5
    """

    def __init__(self, l1=0.01):
        self.l1 = _check_factor(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        x = _tensor(x)
        return self.l1 * tf.reduce_sum(tf.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """Penalty `l2 * sum(square(x))`.

    >>> from eagerflow.keras import regularizers
    >>> float(regularizers.L2(0.5)(tf.constant([1.0, -2.0])))
    2.5
    """

    def __init__(self, l2=0.01):
        self.l2 = _check_factor(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        x = _tensor(x)
        return self.l2 * tf.reduce_sum(tf.square(x))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalty that pushes the rows (`mode="rows"`) or columns (`mode="columns"`) of a
    2-D weight to be orthogonal: `factor` times the mean absolute dot product of the
    L2-normalized rows (or columns) over distinct pairs.

    >>> from eagerflow.keras import regularizers
    >>> float(regularizers.OrthogonalRegularizer(factor=1.0)(tf.eye(3)))
    0.0
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", '
                             f'"columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, inputs):
        inputs = _tensor(inputs)
        if len(inputs.shape) != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={tuple(inputs.shape)}")
        if self.mode == "rows":
            normalized = _l2_normalize(inputs, axis=1)
            product = tf.matmul(normalized, normalized, transpose_b=True)
            size = inputs.shape[0]
        else:
            normalized = _l2_normalize(inputs, axis=0)
            product = tf.matmul(normalized, normalized, transpose_a=True)
            size = inputs.shape[1]
        off_diagonal = product * (1.0 - tf.eye(size, dtype=inputs.dtype))
        pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * tf.reduce_sum(tf.abs(off_diagonal)) / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_CLASSES = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
# Keras's snake-case names: "l1", "l2", "l1l2", "orthogonal_regularizer" (not "l1_l2").
_BY_NAME = serialization_lib.names(_CLASSES)


def serialize(regularizer):
    """Returns the config dict of `regularizer` in Keras's format (None for None).

    >>> from eagerflow.keras import regularizers
    >>> regularizers.serialize(regularizers.L2())["config"]
    {'l2': 0.01}
    """
    if regularizer is None:
        return None
    return serialization_lib.serialize_object(regularizer, "keras.regularizers", _BY_NAME)


def deserialize(config, custom_objects=None):
    """Makes a regularizer from a name or a dict produced by `serialize`.

    >>> from eagerflow.keras import regularizers
    >>> regularizers.deserialize("l1").get_config()
    {'l1': 0.01}
    """
    return serialization_lib.deserialize_object(config, _BY_NAME, custom_objects, "regularizer")


def get(identifier):
    """Returns a regularizer for `identifier`: a name ("l2", "L1L2"), a serialized dict,
    a class (instantiated) or a callable (returned as is); None gives None.

    >>> from eagerflow.keras import regularizers
    >>> regularizers.get("l2").get_config()
    {'l2': 0.01}

    Raises:
      ValueError: for an unknown name or a value that is not callable.
    """
    return serialization_lib.get_object(identifier, _BY_NAME, deserialize, "regularizer")
