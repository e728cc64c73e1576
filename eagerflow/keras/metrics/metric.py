"""`keras.metrics.Metric`: the base of stateful metrics."""

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.variables import Variable


class Metric:
    """Encapsulates metric logic and state.

    Subclasses create their state in `__init__` with `add_variable`, accumulate into it in
    `update_state` (with `assign` / `assign_add`) and compute the value in `result`.
    Calling the metric updates it and returns the result.

    >>> import eagerflow as tf
    >>> from eagerflow.keras import metrics
    >>> class Count(metrics.Metric):
    ...     def __init__(self, name="count", dtype=None):
    ...         super().__init__(name=name, dtype=dtype)
    ...         self.total = self.add_variable(shape=(), initializer="zeros", name="total")
    ...     def update_state(self, values):
    ...         self.total.assign_add(tf.cast(tf.size(values), self.dtype))
    ...     def result(self):
    ...         return tf.identity(self.total)
    >>> m = Count()
    >>> float(m([1, 2, 3])), float(m([4]))
    (3.0, 4.0)

    Args:
      dtype: the dtype of the metric's computations and result (default: floatx).
      name: the metric's name (default: the snake-cased class name, made unique).
    """

    def __init__(self, dtype=None, name=None):
        self._variables = []
        self._metrics = []
        self.name = name or backend.unique_name(backend.to_snake_case(type(self).__name__))
        if isinstance(dtype, dict):  # a serialized DTypePolicy
            dtype = dtype.get("config", {}).get("name")
        self._dtype = tf.as_dtype(dtype or backend.floatx()).name

    def __setattr__(self, name, value):
        # Metrics held as attributes contribute their variables, as Keras tracks them.
        if isinstance(value, Metric) and "_metrics" in self.__dict__ and not any(
                metric is value for metric in self._metrics):
            self._metrics.append(value)
        super().__setattr__(name, value)

    @property
    def dtype(self):
        """The dtype of the metric's computations, as a string ("float32")."""
        return self._dtype

    @property
    def variables(self):
        """The state variables, this metric's then those of metrics it holds."""
        self._check_super_called()
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable, named under the metric's name."""
        self._check_super_called()
        with backend.NameScope(self.name.replace("/", ">")):
            variable = Variable(initializer=initializer, shape=shape, dtype=dtype,
                                trainable=False, aggregation=aggregation,
                                synchronization="on_read", name=name)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """`add_variable` with zeros as the default initializer."""
        return self.add_variable(shape=shape, initializer=initializer or "zeros",
                                 dtype=dtype, name=name)

    def update_state(self, *args, **kwargs):
        """Accumulates statistics for the metric."""
        raise NotImplementedError

    def result(self):
        """Computes the current value from the state: a scalar tensor (or a dict of them)."""
        raise NotImplementedError

    def reset_state(self):
        """Sets every state variable back to zeros (between epochs, for instance)."""
        for variable in self.variables:
            variable.assign(tf.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        """The constructor arguments, as Keras 3 serializes them."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError("You forgot to call `super().__init__()` in the `__init__()` "
                               "method. Go add it!")

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__
