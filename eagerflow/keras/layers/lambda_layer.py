"""`Lambda`, which wraps a function as a layer, and `Identity`, which returns its inputs.

A Python lambda is saved in a `Lambda` config as its marshalled bytecode (Keras's
`__lambda__` entry), which loading refuses in safe mode, the default, as Keras does; only
with `safe_mode=False` (or `keras.config.enable_unsafe_deserialization()`) is the bytecode
turned back into a function. A named function is saved by its (registered) name, as Keras
does, and found again through `custom_objects` or the registry.
"""

import inspect

import eagerflow as tf
from eagerflow.keras import serialization_lib
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.symbolic import KerasTensor


def _is_shape(value):
    """Whether `value` is one shape (a tuple or list of sizes), not a list of shapes."""
    return isinstance(value, (tuple, list)) and all(
        d is None or isinstance(d, int) for d in value)


def _parameter_names(function):
    try:
        return set(inspect.signature(function).parameters)
    except ValueError:  # some builtins and NumPy ufuncs carry no signature
        return set()


def _deserialize_function(config, custom_objects, safe_mode):
    """A function from its config entry (see the module docstring)."""
    if not isinstance(config, dict):
        return config
    return serialization_lib.deserialize_keras_object(config, custom_objects,
                                                      safe_mode=safe_mode)


class Lambda(Layer):
    """Wraps arbitrary expressions as a `Layer` object.

    Best suited to simple operations in Sequential and functional models; write a `Layer`
    subclass for anything that has weights or must be saved and loaded elsewhere (a Python
    lambda cannot be loaded back from a config).

    >>> from eagerflow import keras
    >>> keras.layers.Lambda(lambda x: x ** 2)(tf.constant([[1.0, 2.0, 3.0]])).numpy().tolist()
    [[1.0, 4.0, 9.0]]

    Args:
      function: the function to evaluate; it takes the inputs as its first argument, and
        also receives `training` and `mask` if it has parameters of those names.
      output_shape: the output shape, usually inferred. A tuple gives the shape without the
        batch dimension (which is taken from the input); a function maps the full input
        shape to the full output shape.
      mask: None, a callable with the signature of `compute_mask`, or a fixed output mask.
      arguments: a dict of keyword arguments passed to `function`.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"The `function` argument of a Lambda layer must be callable. "
                            f"Received: function={function} of type {type(function)}")
        self.arguments = arguments or {}
        self.function = function
        self.supports_masking = mask is not None
        self.mask = mask
        self._output_shape = output_shape
        parameters = _parameter_names(function)
        self._fn_expects_training_arg = "training" in parameters
        self._fn_expects_mask_arg = "mask" in parameters

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch_size = (input_shape if _is_shape(input_shape) else input_shape[0])[0]
        if _is_shape(self._output_shape):
            return (batch_size,) + tuple(self._output_shape)
        return [(batch_size,) + tuple(shape) for shape in self._output_shape]

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            return super().compute_output_spec(*args, **kwargs)
        inputs = args[0] if args else kwargs["inputs"]
        if isinstance(inputs, KerasTensor):
            input_shape = inputs.shape
        else:
            input_shape = [x.shape for x in tf.nest.flatten(inputs)]
        output_shape = self.compute_output_shape(input_shape)
        if _is_shape(output_shape):
            return KerasTensor(output_shape, self._dtype)
        return [KerasTensor(shape, self._dtype) for shape in output_shape]

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        serialize = serialization_lib.serialize_function
        config = {"function": serialize(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (serialize(self._output_shape)
                                      if callable(self._output_shape) else self._output_shape)
        if self.mask is not None:
            config["mask"] = serialize(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = dict(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuilds the layer; functions come from `custom_objects` by name.

        A Python lambda is refused with Keras's safe-mode error unless `safe_mode=False`
        (None: the setting of the loading call, see the module docstring).
        """
        config = dict(config)
        config["function"] = _deserialize_function(config["function"], custom_objects,
                                                   safe_mode)
        for key in ("output_shape", "mask"):
            if key in config:
                config[key] = _deserialize_function(config[key], custom_objects, safe_mode)
        if isinstance(config.get("output_shape"), list) and _is_shape(config["output_shape"]):
            config["output_shape"] = tuple(config["output_shape"])
        return cls(**config)


class Identity(Layer):
    """Identity layer: returns its inputs unchanged, a placeholder where no operation is
    performed.

    >>> from eagerflow import keras
    >>> keras.layers.Identity()(keras.Input((3, 2))).shape
    (None, 3, 2)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs, **kwargs):
        return tf.nest.map_structure(
            lambda x: KerasTensor(x.shape, x.dtype, sparse=x.sparse), inputs)
