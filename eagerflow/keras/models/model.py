"""`keras.Model`: a layer that trains. Subclass it, or call it with inputs and outputs."""

import inspect
import os
import warnings

from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.trainer import Trainer

_functional_subclasses = {}


def _is_functional_call(args, kwargs):
    """Whether a Model is made from `(inputs, outputs)` KerasTensors."""
    from eagerflow.keras.symbolic import is_symbolic
    if len(args) >= 2:
        inputs, outputs = args[0], args[1]
    elif len(args) == 1 and "outputs" in kwargs:
        inputs, outputs = args[0], kwargs["outputs"]
    elif "inputs" in kwargs and "outputs" in kwargs:
        inputs, outputs = kwargs["inputs"], kwargs["outputs"]
    else:
        return False
    return is_symbolic(inputs) or is_symbolic(outputs)


def _functional_version(cls):
    """`cls` (a Model subclass) with Functional behind it, for `CustomModel(inputs,
    outputs)`: the class keeps its name and its overrides (`train_step` ...)."""
    from eagerflow.keras.models.functional import Functional
    if issubclass(cls, Functional):
        return cls
    version = _functional_subclasses.get(cls)
    if version is None:
        version = _functional_subclasses[cls] = type(
            cls.__name__, (cls, Functional), {"__module__": cls.__module__,
                                              "__qualname__": cls.__qualname__})
    return version


class Model(Trainer, Layer):
    """A model: layers with training and inference (`compile`, `fit`, `evaluate`, `predict`).

    Build it functionally, `keras.Model(inputs, outputs)`, or subclass it with layers made
    in `__init__` and the forward pass in `call(inputs, training=None)`. A subclass called
    with `(inputs, outputs)` is a functional model with the subclass's overrides.

    >>> from eagerflow import keras
    >>> inputs = keras.Input(shape=(3,))
    >>> model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    >>> model(tf.ones((4, 3))).shape.as_list()
    [4, 2]
    """

    def __new__(cls, *args, **kwargs):
        if _is_functional_call(args, kwargs):
            from eagerflow.keras.models.functional import Functional
            cls = Functional if cls is Model else _functional_version(cls)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        from eagerflow.keras.models.functional import Functional
        if _is_functional_call(args, kwargs):
            if not isinstance(self, Functional):  # `super().__init__(inputs, outputs)`
                object.__setattr__(self, "__class__", _functional_version(type(self)))
            Functional.__init__(self, *args, **kwargs)
            return
        self._init_model(*args, **kwargs)

    def _init_model(self, *, trainable=True, name=None, dtype=None, **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype, **kwargs)
        Trainer.__init__(self)

    @property
    def layers(self):
        """The layers directly inside this model, in the order they were tracked."""
        return [layer for layer in self._layers if not layer._is_operation]

    def get_layer(self, name=None, index=None):
        """The layer called `name`, or at position `index` of `layers`."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[layer.name for layer in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints Keras 3's table of layers, output shapes and parameter counts.

        Args:
          line_length: the width of the table (default: 88, or 108 with a "Connected to"
            column, at most the terminal's width minus 4).
          positions: where the columns end, as fractions of the width.
          print_fn: called once with the whole summary instead of printing it.
          expand_nested: also list the layers inside nested models.
          show_trainable: add a column saying whether each layer is trainable.
          layer_range: two names (or regexes): show only the layers between them.
        """
        from eagerflow.keras.utils.summary import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable,
                      layer_range=layer_range)

    def _maybe_build(self, args, kwargs):
        if type(self).build is Model.build:  # nothing to build before the first call
            shapes = getattr(args[0], "shape", None)
            object.__setattr__(self, "_build_shapes", None if shapes is None else tuple(shapes))
            self.built = True
        else:
            super()._maybe_build(args, kwargs)

    def build(self, input_shape=None):
        """Marks a subclassed model built, as Keras 3's default `build` does: its layers
        get their weights at the first call (Keras warns when some have none yet)."""
        if any(not layer.built for layer in self._layers):
            warnings.warn(f"`build()` was called on layer '{self.name}', however the layer "
                          f"does not have a `build()` method implemented and it looks like "
                          f"it has unbuilt state. This will cause the layer to be marked as "
                          f"built, despite not being actually built, which may cause "
                          f"failures down the line. Make sure to implement a proper "
                          f"`build()` method.", stacklevel=2)
        self.built = True

    def build_from_config(self, config):
        """Builds the model for `config["input_shape"]`: a subclassed model without its own
        `build` is called once on zeros of that shape (batch size 1 for None), as Keras
        does when it loads one."""
        input_shape = (config or {}).get("input_shape")
        if input_shape is None:
            return
        if type(self).build is not Model.build:
            self.build(input_shape)
            return
        if type(self).call is Model.call:
            raise ValueError("You cannot build a model without a `call` method.")
        import eagerflow as tf
        from eagerflow.keras.layers.layer import _is_shape
        shapes = [input_shape] if _is_shape(input_shape) else input_shape
        values = [tf.zeros([1 if d is None else d for d in shape]) for shape in shapes]
        self.built = True  # so that the call below does not build again
        self(values[0] if _is_shape(input_shape) else values)

    def to_json(self, **kwargs):
        """The model's configuration as a JSON string (`keras.models.model_from_json`
        makes the model again); `kwargs` go to `json.dumps`."""
        import json
        from eagerflow.keras.serialization_lib import serialize_keras_object
        return json.dumps(serialize_keras_object(self), **kwargs)

    def save_weights(self, filepath, overwrite=True):
        """Writes the weights to a Keras 3 `.weights.h5` file (see `keras.saving`)."""
        from eagerflow.keras.saving.weights_file import save_weights
        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Reads weights from a Keras 3 `.weights.h5` file, the weights of a `.keras`
        file (see `keras.saving`), or a legacy `.h5` file (also `by_name=True`)."""
        path = os.fspath(filepath)
        if path.endswith((".h5", ".hdf5")) and not path.endswith(".weights.h5"):
            from eagerflow.keras.saving.legacy_h5 import load_weights
            load_weights(self, path, skip_mismatch=skip_mismatch, **kwargs)
            return
        if kwargs:
            raise ValueError(f"Invalid keyword arguments: {kwargs}")
        if os.fspath(filepath).endswith(".keras"):
            from eagerflow.keras.saving.keras_file import load_weights_into
            load_weights_into(self, filepath, skip_mismatch=skip_mismatch)
            return
        from eagerflow.keras.saving.weights_file import load_weights
        load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model (architecture, weights, compile and optimizer state) to a
        Keras 3 `.keras` file; see `keras.saving.save_model`."""
        from eagerflow.keras.saving.saving_api import save_model
        save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def export(self, filepath, format="tf_saved_model", verbose=None, input_signature=None,
               **kwargs):
        """Exports the forward pass for inference as a SavedModel directory: endpoint
        `serve`, signatures "serve" and "serving_default"; `tf.saved_model.load` reads it
        back without Keras (see `keras.export`). Only `format="tf_saved_model"` is
        available."""
        from eagerflow.keras.export import FORMATS, export_saved_model
        if format not in FORMATS:
            raise ValueError(f"Unrecognized format={format}. Supported formats are: "
                             f"{list(FORMATS)}.")
        if format != "tf_saved_model":
            raise ValueError(f"format={format!r} is not available in eagerflow; use "
                             "format='tf_saved_model'.")
        export_saved_model(self, filepath, verbose, input_signature=input_signature,
                           **kwargs)

    def get_compile_config(self):
        """The arguments of `compile`, serialized as Keras 3 writes them (None if the model
        is not compiled)."""
        if not self.compiled:
            return None
        from eagerflow.keras.serialization_lib import serialize_keras_object
        config = serialize_keras_object({**self._compile_config, "optimizer": self.optimizer})
        config.update(run_eagerly=False, steps_per_execution=1, jit_compile=False)
        return config

    def compile_from_config(self, config):
        """Compiles the model from `get_compile_config()`'s dict and, when the model is
        built, creates the optimizer's variables (so that saved ones can be loaded)."""
        from eagerflow.keras.serialization_lib import deserialize_keras_object
        if type(self).compile is not Trainer.compile:
            warnings.warn("`compile()` was not called as part of model loading because the "
                          "model's `compile()` method is custom. All subclassed Models that "
                          "have `compile()` overridden should also override "
                          "`get_compile_config()` and `compile_from_config(config)`. "
                          "Alternatively, you can call `compile()` manually after loading.",
                          stacklevel=2)
            return
        config = deserialize_keras_object(config, safe_mode=None)
        self.compile(**config)
        if self.built and self.optimizer is not None and not self.optimizer.built:
            self.optimizer.build(self.trainable_variables)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from `get_config()`'s dict: a functional config (with `layers`,
        `input_layers` and `output_layers`) makes a functional model."""
        if all(key in config for key in ("layers", "input_layers", "output_layers")):
            from eagerflow.keras.models.functional import Functional
            target = Functional if cls is Model else _functional_version(cls)
            return Functional.from_config.__func__(target, config,
                                                   custom_objects=custom_objects)
        return cls(**config)

    def get_config(self):
        """A subclassed model's plain constructor arguments, with its name and
        `trainable`."""
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": {"module": "keras", "class_name": "DTypePolicy",
                            "config": {"name": self._dtype}, "registered_name": None}}
        if self._auto_config is not None:
            parameters = inspect.signature(type(self).__init__).parameters
            accepts_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD
                                 for p in parameters.values())
            config.update(self._auto_config)
            if not accepts_kwargs:
                for key in ("name", "trainable", "dtype"):
                    if key not in parameters:
                        config.pop(key, None)
        return config
