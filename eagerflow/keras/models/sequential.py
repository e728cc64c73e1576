"""`keras.Sequential`: a plain stack of layers, each with one input and one output."""

import copy

from eagerflow.keras import backend
from eagerflow.keras.layers.input_layer import InputLayer
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.models.functional import Functional
from eagerflow.keras.models.model import Model


class Sequential(Model):
    """A linear stack of layers, built from a list or with `add`.

    Known input shapes (a `keras.Input` first, or `input_shape=` on the first layer) build
    it at once; otherwise it is built on its first call, for the shape it is called with.

    >>> from eagerflow import keras
    >>> keras.backend.clear_session()  # names start again at `dense`
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    >>> [layer.name for layer in model.layers], model.output_shape
    (['dense'], (None, 2))
    """

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        object.__setattr__(self, "_functional", None)
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Appends a layer (or a `keras.Input`) to the stack."""
        if not self._layers and getattr(layer, "_input_shape_arg", None) is not None:
            # `Dense(2, input_shape=(4,))` first: the model starts with that input.
            self.add(InputLayer(shape=layer._input_shape_arg,
                                batch_size=layer._batch_size_arg), rebuild=False)
        history = getattr(layer, "_keras_history", None)
        if history is not None and isinstance(history.operation, InputLayer):
            layer = history.operation
        if not isinstance(layer, Layer):
            raise ValueError(f"Only instances of `keras.Layer` can be added to a Sequential "
                             f"model. Received: {layer} (of type {type(layer)})")
        if any(known.name == layer.name and known is not layer for known in self._layers):
            raise ValueError(f"All layers added to a Sequential model should have unique "
                             f"names. Name '{layer.name}' is already the name of a layer in "
                             f"this model. Update the `name` argument to pass a unique name.")
        if isinstance(layer, InputLayer) and self._layers \
                and isinstance(self._layers[0], InputLayer):
            raise ValueError(f"Sequential model '{self.name}' has already been configured to "
                             f"use input shape {self._layers[0].batch_shape}. You cannot add "
                             f"a different Input layer to it.")
        self._layers.append(layer)
        backend.loss_epoch[0] += 1  # the new layer's losses are now the model's
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False
            object.__setattr__(self, "_functional", None)

    def pop(self, rebuild=True):
        """Removes the last layer and returns it."""
        if not self.layers:
            raise IndexError("pop from empty list: the Sequential model has no layers.")
        layer = self._layers.pop()
        self.built = False
        object.__setattr__(self, "_functional", None)
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        self.built = False
        object.__setattr__(self, "_functional", None)
        if len(self._layers) < 2:
            return
        first = self._layers[0]
        if isinstance(first, InputLayer):
            self.build(first.batch_shape)
        elif isinstance(first, Model) and first.built:
            # A built model first (a frozen base, say) gives the input shape.
            input_shape = getattr(first, "input_shape", None)
            if isinstance(input_shape, tuple):
                self.build(input_shape)

    def build(self, input_shape=None):
        """Builds every layer by running a symbolic input of `input_shape` (batch size
        included) through them."""
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        if not isinstance(input_shape, (tuple, list)) or not all(
                d is None or isinstance(d, int) for d in input_shape):
            raise ValueError(f"Sequential model '{self.name}' expects a single input, given "
                             f"by its shape. Received: input_shape={input_shape}")
        input_shape = tuple(input_shape)
        if not self.layers:
            raise ValueError(f"Sequential model {self.name} cannot be built because it has "
                             f"no layers. Call `model.add(layer)`.")
        if isinstance(self._layers[0], InputLayer):
            if self._layers[0].batch_shape != input_shape:
                raise ValueError(f"Sequential model '{self.name}' has already been configured "
                                 f"to use input shape {self._layers[0].batch_shape}. You "
                                 f"cannot build it with input_shape {input_shape}")
        else:
            self._layers.insert(0, InputLayer(batch_shape=input_shape,
                                              dtype=self._layers[0].compute_dtype))
        inputs = self._layers[0].output
        x = inputs
        with self._name_scope():
            for layer in self._layers[1:]:
                x = layer(x)
            object.__setattr__(self, "_functional", Functional(inputs=inputs, outputs=x))
        self.built = True

    @property
    def layers(self):
        """The layers added, without the InputLayer."""
        layers = self._layers
        if layers and isinstance(layers[0], InputLayer):
            return layers[1:]
        return list(layers)

    def call(self, inputs, training=None, mask=None, **kwargs):
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        if isinstance(inputs, (list, tuple)) and len(inputs) == 1:
            inputs = inputs[0]
        for layer in self.layers:
            if training is not None and layer._call_has_training_arg:
                inputs = layer(inputs, training=training)
            else:
                inputs = layer(inputs)
        return inputs

    def _maybe_build(self, args, kwargs):
        inputs = args[0]
        if isinstance(inputs, (list, tuple)) and len(inputs) == 1:
            inputs = inputs[0]
        shape = tuple(inputs.shape) if hasattr(inputs, "shape") else None
        if shape is not None:
            self.build(shape)
        else:
            self.built = True

    def _defined(self, what):
        if self._functional is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined {what} yet.")
        return self._functional

    @property
    def inputs(self):
        return self._defined("inputs").inputs

    @property
    def outputs(self):
        return self._defined("outputs").outputs

    @property
    def input_shape(self):
        return self._defined("input shape").input_shape

    @property
    def output_shape(self):
        return self._defined("output shape").output_shape

    @property
    def output_names(self):
        return self._functional.output_names if self._functional is not None else None

    @property
    def input_dtype(self):
        layers = self._layers
        if layers and isinstance(layers[0], InputLayer):
            return layers[0].dtype
        return super().input_dtype

    def get_config(self):
        from eagerflow.keras.layers import serialize
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": {"module": "keras", "class_name": "DTypePolicy",
                            "config": {"name": self._dtype}, "registered_name": None},
                  "layers": copy.deepcopy([serialize(layer) for layer in self._layers])}
        if self._functional is not None:
            config["build_input_shape"] = self._layers[0].batch_shape
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from eagerflow.keras.layers import deserialize
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(deserialize(layer_config, custom_objects=custom_objects))
        build_input_shape = config.get("build_input_shape")
        if model._functional is None and build_input_shape:
            model.build(tuple(build_input_shape))
        return model
