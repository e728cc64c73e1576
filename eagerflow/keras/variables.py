"""`keras.Variable`: a tf.Variable with Keras 3's name, path and repr."""

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend


class Variable(tf.Variable):
    """A Keras weight: created from an initializer (or a value), named by its layer's path.

    >>> from eagerflow import keras
    >>> v = keras.Variable(initializer="ones", shape=(2,), name="w")
    >>> v.name, v.path, v.numpy().tolist()
    ('w', 'w', [1.0, 1.0])

    Args:
      initializer: a value, or an initializer (name or callable) called with `shape`.
      shape: the shape, required when `initializer` is not a value.
      dtype: the dtype (default: the value's, or `keras.config.floatx()`).
      trainable: whether `model.trainable_weights` lists it.
      name: the short name; the path adds the enclosing layer names.
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None, regularizer=None,
                 constraint=None, overwrite_with_gradient=False):
        name = backend.unique_name("variable") if name is None else str(name)
        if "/" in name:
            raise ValueError(f"Argument `name` must be a string and cannot contain character "
                             f"`/`. Received: name={name}")
        if isinstance(initializer, str) or (callable(initializer)
                                            and not isinstance(initializer, tf.Tensor)):
            if shape is None:
                raise ValueError("When creating a Variable from an initializer, the `shape` "
                                 f"argument should be specified. Received: "
                                 f"initializer={initializer} and shape={shape}")
            if any(d is None for d in shape):
                raise ValueError(f"Shapes used to initialize variables must be fully-defined "
                                 f"(no `None` dimensions). Received: shape={tuple(shape)} for "
                                 f"variable path='{backend.current_path(name)}'")
            from eagerflow.keras import initializers
            dtype = dtype or backend.floatx()
            value = initializers.get(initializer)(tuple(shape), dtype=dtype)
        else:
            value = initializer
            if dtype is None and not isinstance(value, (np.ndarray, np.generic, tf.Tensor,
                                                        tf.Variable)):
                dtype = backend.floatx()
            if dtype is not None:
                value = tf.cast(tf.convert_to_tensor(value), dtype)
            if shape is not None and tuple(np.shape(value)) != tuple(shape):
                raise ValueError(f"Initial value has shape {tuple(np.shape(value))}, which is "
                                 f"incompatible with the `shape` argument {tuple(shape)}")
        super().__init__(value, trainable=trainable, name=name, constraint=constraint)
        self._short_name = name
        self.path = backend.current_path(name)
        self.regularizer = regularizer
        self.autocast = autocast
        self.overwrite_with_gradient = overwrite_with_gradient

    @property
    def name(self):
        return self._short_name

    @property
    def trainable(self):
        """Whether optimizers train it; a layer's `trainable = False` sets it to False."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    @property
    def value(self):
        """The current value as a Tensor (a property, as in Keras 3)."""
        return self._read_for_op()

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={tuple(self._value.shape)}, "
                f"dtype={self.dtype.name}, value={np.asarray(self._value)}>")

    __str__ = __repr__
