"""`keras.export`: Keras models and layers as SavedModel artifacts for inference.

`ExportArchive` collects endpoints (tf.functions with input signatures) and the variables
they use, and writes them with `tf.saved_model`'s writer: `tf.saved_model.load` reads the
artifact back without any Keras class. `model.export(filepath)` is `ExportArchive` with
the endpoint `serve` (the model called with `training=False`); as in Keras 3, every
endpoint is also a signature, and the first one is "serving_default" too.
"""

import eagerflow as tf
from eagerflow.framework import nest
from eagerflow.framework.function import Function
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.symbolic import KerasTensor
from eagerflow.saving import saved_model

FORMATS = ("tf_saved_model", "onnx", "openvino", "litert", "torch")
DEFAULT_ENDPOINT_NAME = "serve"


class _Artifact:
    """The saved root: endpoints and variable collections as attributes."""

    def __init__(self):
        self.variables = []
        self.trainable_variables = []
        self.non_trainable_variables = []


class ExportArchive:
    """Builds a SavedModel artifact from endpoints of Keras models and layers.

    >>> from eagerflow import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> archive = keras.export.ExportArchive()
    >>> archive.track(model)
    >>> serve = archive.add_endpoint("serve", model.call,
    ...                              input_signature=[tf.TensorSpec((None, 3))])
    >>> serve(tf.ones((4, 3))).shape.as_list()
    [4, 2]
    """

    def __init__(self):
        self._endpoint_names = []
        self._endpoint_signatures = {}
        self._artifact = _Artifact()

    @property
    def variables(self):
        return self._artifact.variables

    @property
    def trainable_variables(self):
        return self._artifact.trainable_variables

    @property
    def non_trainable_variables(self):
        return self._artifact.non_trainable_variables

    def track(self, resource):
        """Tracks a layer or model (its variables) or a tf.Module for the artifact."""
        if isinstance(resource, Layer) and not resource.built:
            raise ValueError("The layer provided has not yet been built. It must be built "
                             "before export.")
        if not isinstance(resource, (Layer, tf.Module)):
            raise ValueError(f"Invalid resource type. Expected a Keras `Layer` or `Model` or "
                             f"a TensorFlow `Trackable` object. Received object {resource} of "
                             f"type '{type(resource)}'. ")

    def add_endpoint(self, name, fn, input_signature=None, **kwargs):
        """Registers `fn` as the endpoint `name`; returns the tf.function saved for it.

        Without `input_signature`, `fn` must be a tf.function called at least once.
        """
        if name in self._endpoint_names:
            raise ValueError(f"Endpoint name '{name}' is already taken.")
        if input_signature is None:
            if not isinstance(fn, Function):
                raise ValueError(
                    "If the `fn` argument provided is not a `tf.function`, you must provide "
                    "an `input_signature` argument to specify the shape and dtype of the "
                    "function arguments.")
            if not fn._cache:
                raise ValueError(
                    f"The provided tf.function '{fn}' has never been called. To specify the "
                    "expected shape and dtype of the function's arguments, you must either "
                    "provide a function that has been called at least once, or "
                    "alternatively pass an `input_signature` argument in `add_endpoint()`.")
            decorated = fn
        else:
            input_signature = nest.map_structure(_tensor_spec, list(input_signature))
            if isinstance(fn, Function):
                fn = fn.python_function
            decorated = tf.function(fn, input_signature=input_signature, autograph=False)
            self._endpoint_signatures[name] = input_signature
        setattr(self._artifact, name, decorated)
        self._endpoint_names.append(name)
        return decorated

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        """`track(resource)`, then `add_endpoint(name, resource.__call__, ...)`."""
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name, variables):
        """Saves `variables` (a list, tuple or set) as the attribute `name` of the artifact."""
        if not isinstance(variables, (list, tuple, set)):
            raise ValueError(f"Expected `variables` to be a list/tuple/set. Received instead "
                             f"object of type '{type(variables)}'.")
        if not all(isinstance(v, tf.Variable) for v in variables):
            raise ValueError(f"Expected all elements in `variables` to be `tf.Variable` "
                             f"instances. Found instead the following types: "
                             f"{list(set(type(v) for v in variables))}")
        setattr(self._artifact, name, list(variables))

    def _concrete(self, name):
        endpoint = getattr(self._artifact, name)
        if name in self._endpoint_signatures:
            return endpoint.get_concrete_function()
        return next(iter(endpoint._cache.values()))

    def write_out(self, filepath, options=None, verbose=True):
        """Writes the artifact; every endpoint is a signature, the first one also
        "serving_default"."""
        if not self._endpoint_names:
            raise ValueError("No endpoints have been set yet. Call add_endpoint().")
        signatures = {name: self._concrete(name) for name in self._endpoint_names}
        signatures.setdefault(saved_model.DEFAULT_SIGNATURE,
                              signatures[self._endpoint_names[0]])
        self._collect_variables(signatures.values())
        saved_model.write(self._artifact, filepath, signatures)
        if verbose:
            endpoints = "\n\n".join(_describe_endpoint(name, self._concrete(name))
                                    for name in self._endpoint_names)
            print(f"Saved artifact at '{filepath}'. The following endpoints are "
                  f"available:\n\n{endpoints}")

    def _collect_variables(self, concretes):
        """The variables the endpoints use: trainable ones first, each once."""
        trainable, non_trainable = [], []
        for concrete in concretes:
            for v in concrete.variables:
                group = trainable if v.trainable else non_trainable
                if all(v is not known for known in group):
                    group.append(v)
        self._artifact.trainable_variables = trainable
        self._artifact.non_trainable_variables = non_trainable
        self._artifact.variables = trainable + non_trainable


def _tensor_spec(value):
    """A TensorSpec for an input: a TensorSpec as given, a KerasTensor or tensor with its
    batch size None."""
    if isinstance(value, tf.TensorSpec):
        return value
    if isinstance(value, KerasTensor) or tf.is_tensor(value):
        shape = tuple(value.shape)
        return tf.TensorSpec((None,) + shape[1:] if shape else shape, value.dtype,
                             name=getattr(value, "name", None) if isinstance(
                                 value, KerasTensor) else None)
    raise TypeError(f"Unsupported x={value} of the type ({type(value)}). Supported types are: "
                    "`keras.InputSpec`, `keras.KerasTensor` and backend tensor.")


def _describe_endpoint(name, concrete):
    arguments = "\n".join(f"  args_{i} (POSITIONAL_ONLY): {spec!r}"
                          for i, spec in enumerate(_declared_specs(concrete)))
    outputs = nest.map_structure(lambda t: tf.TensorSpec(t.shape, t.dtype),
                                 concrete.structured_outputs)
    captures = "\n".join(f"  {id(v)}: TensorSpec(shape=(), dtype=tf.resource, name=None)"
                         for v in concrete.variables)
    return (f"* Endpoint '{name}'\n{arguments}\nOutput Type:\n  {outputs!r}\nCaptures:\n"
            f"{captures}")


def _declared_specs(concrete):
    declared = concrete._function.input_signature
    return list(declared) if declared is not None else list(concrete._specs)


def input_signature_of(model):
    """TensorSpecs of the model's inputs (batch size None), as Keras exports them."""
    from eagerflow.keras.models.functional import Functional
    from eagerflow.keras.models.sequential import Sequential
    if not model.built:
        raise ValueError("The model provided has not yet been built. It must be built "
                         "before export.")
    if isinstance(model, Functional):
        return [nest.map_structure(_tensor_spec, model._inputs_struct)]
    if isinstance(model, Sequential):
        return [_tensor_spec(model.inputs[0])]
    shapes = getattr(model, "_build_shapes", None)
    if not shapes or not isinstance(shapes, tuple):
        raise ValueError("The model provided has never called. It must be called at least "
                         "once before export.")
    dtype = getattr(model, "input_dtype", None) or "float32"
    return [tf.TensorSpec((None,) + tuple(shapes[1:]), dtype)]


def export_saved_model(model, filepath, verbose=None, input_signature=None, **kwargs):
    """Writes `model`'s inference function to the SavedModel directory `filepath`."""
    if input_signature is None:
        input_signature = input_signature_of(model)
    archive = ExportArchive()

    def serve(inputs):
        return model(inputs, training=False)

    archive.track(model)
    archive.add_endpoint(DEFAULT_ENDPOINT_NAME, serve, input_signature, **kwargs)
    archive.write_out(filepath, verbose=True if verbose is None else verbose)
