"""The Layer base class: weights, building on first call, nested tracking, config."""

import functools
import inspect
import warnings

import numpy as np

import eagerflow as tf
from eagerflow.framework.tensor import Tensor
from eagerflow.keras import backend
from eagerflow.keras.layers.input_spec import assert_input_compatibility
from eagerflow.keras.symbolic import KerasTensor, Node, compute_output_spec, is_symbolic
from eagerflow.keras.utils.traceback_utils import output_spec_error, with_call_info
from eagerflow.keras.utils.tracking import TrackedDict, TrackedList
from eagerflow.keras.variables import Variable
from eagerflow.training.checkpoint import deferred_restorations, restore_deferred

_AUTO_CONFIG_TYPES = (str, int, float, bool, type(None))
_call_info = {}  # layer class -> (argument names, has `training`, default of `training`,
#                                  the mask arguments Keras fills in: "mask" or "<arg>_mask")


def _policy_name(dtype):
    if isinstance(dtype, dict):  # a serialized DTypePolicy
        dtype = dtype.get("config", {}).get("name", backend.floatx())
    if hasattr(dtype, "compute_dtype"):  # a keras.DTypePolicy
        from eagerflow.keras.mixed_precision import check_supported
        check_supported(dtype)
        dtype = dtype.compute_dtype
    return backend.default_dtype_policy_name() if dtype is None else tf.as_dtype(dtype).name


def _inspect_call(cls):
    info = _call_info.get(cls)
    if info is None:
        parameters = inspect.signature(cls.call).parameters
        names = tuple(name for name in parameters if name != "self")
        training = parameters.get("training")
        default = None if training is None or training.default is inspect.Parameter.empty \
            else training.default
        mask_arguments = tuple(name for name in names if name == "mask" or (
            name.endswith("_mask") and name[:-len("_mask")] in names))
        info = _call_info[cls] = (names, training is not None, default, mask_arguments)
    return info


def get_keras_mask(x):
    """The mask a layer attached to tensor `x`, or None."""
    return getattr(x, "_keras_mask", None)


def set_keras_mask(x, mask):
    """Attaches `mask` to tensor `x` (other values cannot carry one and are left alone)."""
    if isinstance(x, (Tensor, KerasTensor)):
        x._keras_mask = mask


def _masks_of(structure):
    """The masks attached to the tensors of `structure`, in its structure."""
    if isinstance(structure, (list, tuple, dict)):
        return tf.nest.map_structure(get_keras_mask, structure)
    return getattr(structure, "_keras_mask", None)


def _any_mask(masks):
    if masks is None:
        return False
    return any(m is not None for m in tf.nest.flatten(masks))


def _constructor_arguments(cls, args, kwargs):
    """The arguments `cls(*args, **kwargs)` binds, defaults included, when all are plain
    Python values: Keras 3 makes `get_config` from them for layers that write none."""
    try:
        signature = inspect.signature(cls.__init__)
        bound = signature.bind_partial(None, *args, **kwargs)
    except (TypeError, ValueError):
        return None
    bound.apply_defaults()
    arguments = {}
    for name, value in list(bound.arguments.items())[1:]:
        kind = signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_KEYWORD:
            arguments.update(value)
        elif kind is not inspect.Parameter.VAR_POSITIONAL:
            arguments[name] = value
    try:
        values = tf.nest.flatten(arguments)
    except TypeError:  # a dict with keys that do not sort
        return None
    return arguments if all(isinstance(v, _AUTO_CONFIG_TYPES) for v in values) else None


def _symbolic_call_signature(*args, **kwargs):
    """The arguments Keras reports for a failed call on KerasTensors."""


def _raise_with_call_info(error, function, args, kwargs, class_name):
    new_error = with_call_info(error, function, args, kwargs, f"{class_name}.call()")
    if new_error is error:
        raise error
    raise new_error from None


def _scoped_build(build):
    """`build` run in the layer's name scope (weights named `layer/kernel`), marking the
    layer built and remembering the shapes it was built for."""
    @functools.wraps(build)
    def scoped(self, *args, **kwargs):
        with self._name_scope():
            build(self, *args, **kwargs)
        if args and self._build_shapes is None:
            object.__setattr__(self, "_build_shapes", args[0])
        self.built = True
    scoped._scoped = True
    return scoped


def _metric_class():
    from eagerflow.keras.metrics.metric import Metric
    return Metric


class Layer:
    """The base class of all layers: `build(input_shape)` once, then `call(inputs)`.

    Subclasses create weights in `build` with `add_weight`, compute in `call` with
    eagerflow ops, and return their constructor arguments from `get_config`. Layers,
    `keras.Variable`s and metrics assigned as attributes (also inside lists and dicts)
    are tracked: their weights are this layer's weights.

    >>> from eagerflow import keras
    >>> class Scale(keras.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, inputs):
    ...         return inputs * self.scale
    >>> Scale()(tf.ones((2, 3))).shape.as_list()
    [2, 3]
    """

    _is_input_layer = False
    _is_operation = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_scoped", False):
            cls.build = _scoped_build(build)

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        object.__setattr__(instance, "_auto_config", _constructor_arguments(cls, args, kwargs))
        return instance

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None,
                 autocast=True, name=None, **kwargs):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to "
                             f"{type(self).__name__}: {kwargs}")
        if input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            batch_size, input_shape = batch_input_shape[0], tuple(batch_input_shape[1:])
        state = object.__setattr__
        self._init_tracking()  # kept if attributes were set before `super().__init__()`
        state(self, "_losses", [])
        state(self, "_inbound_nodes", [])
        state(self, "_input_shape_arg", None if input_shape is None else tuple(input_shape))
        state(self, "_batch_size_arg", batch_size)
        state(self, "_trainable", bool(trainable))
        state(self, "_dtype", _policy_name(dtype))
        state(self, "_numpy_dtype", np.dtype(tf.as_dtype(self._dtype).as_numpy_dtype))
        state(self, "_checked_input", None)
        state(self, "_losses_cleared_at", -1)
        state(self, "_build_shapes", None)
        names, has_training, training_default, mask_arguments = _inspect_call(type(self))
        state(self, "_call_arguments", names)
        state(self, "_call_mask_arguments", mask_arguments)
        if "_supports_masking" not in self.__dict__:  # unless set before this __init__
            state(self, "_supports_masking",
                  type(self).compute_mask is not Layer.compute_mask)
        state(self, "_call_has_training_arg", has_training)
        state(self, "_training_default", training_default)
        self.autocast = autocast
        self.built = False
        self.input_spec = None
        self.name = (backend.unique_name(backend.to_snake_case(type(self).__name__))
                     if name is None else str(name))
        from eagerflow.keras import regularizers
        self.activity_regularizer = regularizers.get(activity_regularizer)

    # Weights that `build` makes: reading one before gives Keras's message.
    _weights_made_by_build = ()

    def __getattr__(self, name):  # only for attributes not found the usual way
        descriptor = getattr(type(self), name, None)
        if hasattr(type(descriptor), "__get__"):  # a property failed: its own error
            return descriptor.__get__(self, type(self))
        if name in type(self)._weights_made_by_build:
            raise AttributeError(f"You must build the layer before accessing `{name}`.")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'",
                             name=name, obj=self)

    # --- tracking -----------------------------------------------------------------------

    def _init_tracking(self):
        for name in ("_layers", "_trainable_variables", "_non_trainable_variables",
                     "_metrics", "_seed_generators"):
            if name not in self.__dict__:
                object.__setattr__(self, name, [])

    def __setattr__(self, name, value):
        if "_layers" not in self.__dict__:
            self._init_tracking()
        if type(value) is list:
            value = TrackedList(value, owner=self)
        elif type(value) is dict:
            value = TrackedDict(value, owner=self)
        else:
            self._track(value)
        object.__setattr__(self, name, value)
        if deferred_restorations:  # a checkpoint restored before this attribute was set
            restore_deferred(self)

    def __delattr__(self, name):
        value = self.__dict__.get(name)
        if isinstance(value, Layer):
            self._untrack(value)
        object.__delattr__(self, name)

    def _track(self, value):
        if isinstance(value, Layer):
            if value is not self and all(value is not known for known in self._layers):
                self._layers.append(value)
                backend.loss_epoch[0] += 1
        elif isinstance(value, Variable):
            if not any(value is v for v in self._trainable_variables +
                       self._non_trainable_variables):
                self._track_variable(value)
        elif getattr(type(value), "_is_seed_generator", False):
            if all(value is not known for known in self._seed_generators):
                self._seed_generators.append(value)
        elif isinstance(value, (list, tuple, dict)):
            for item in (value.values() if isinstance(value, dict) else value):
                self._track(item)
        elif isinstance(value, _metric_class()):
            if all(value is not known for known in self._metrics):
                self._metrics.append(value)

    def _untrack(self, value):
        if isinstance(value, Layer):
            self._layers[:] = [layer for layer in self._layers if layer is not value]

    def _track_variable(self, variable):
        if variable.trainable:
            self._trainable_variables.append(variable)
        else:
            self._non_trainable_variables.append(variable)
        if not self.__dict__.get("_trainable", True):
            variable.trainable = False

    def _flatten_layers(self, include_self=True, recursive=True):
        """This layer and the layers inside it, depth first, each once."""
        order, seen = [], set()

        def visit(layer, depth):
            if id(layer) in seen:
                return
            seen.add(id(layer))
            order.append(layer)
            if recursive or depth == 0:
                for child in layer._layers:
                    visit(child, depth + 1)
        visit(self, 0)
        return order if include_self else order[1:]

    # --- weights ------------------------------------------------------------------------

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        """Creates a weight variable of this layer (its path is `layer_name/name`).

        Args:
          shape: the shape (default: a scalar).
          initializer: a name ("zeros"), an initializer object, or a callable
            `(shape, dtype)`; default "glorot_uniform" for floats, "zeros" otherwise.
          dtype: the dtype (default: the layer's).
          trainable: whether `trainable_weights` lists it (and optimizers update it).
          regularizer: a penalty on the weight, added to `layer.losses`.
          constraint: a projection applied to the weight after each optimizer update.
          name: the short name (default: "variable", made unique).
        """
        from eagerflow.keras import constraints, initializers, regularizers
        dtype = tf.as_dtype(dtype or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        shape = () if shape is None else tuple(None if d is None else int(d) for d in shape)
        with self._name_scope():
            variable = Variable(initializers.get(initializer), shape=shape, dtype=dtype.name,
                                trainable=trainable, autocast=autocast, name=name,
                                regularizer=regularizers.get(regularizer),
                                constraint=constraints.get(constraint),
                                aggregation=aggregation,
                                overwrite_with_gradient=overwrite_with_gradient)
        self._track_variable(variable)
        return variable

    def _name_scope(self):
        scopes = backend.current_scopes()
        if scopes and scopes[-1] == self.name:
            return backend.NameScope(None)
        return backend.NameScope(self.name)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freezes (False) or unfreezes this layer and every layer inside it. Weights that
        were created non-trainable (moving statistics) stay non-trainable."""
        value = bool(value)
        for layer in self._flatten_layers():
            object.__setattr__(layer, "_trainable", value)
            for variable in layer._trainable_variables:
                variable.trainable = value

    @property
    def weights(self):
        """All weights: this layer's (trainable ones first), then nested layers' in order."""
        result, seen = [], set()
        for variable in self._trainable_variables + self._non_trainable_variables:
            if id(variable) not in seen:
                seen.add(id(variable))
                result.append(variable)
        for layer in self._layers:
            for variable in layer.weights:
                if id(variable) not in seen:
                    seen.add(id(variable))
                    result.append(variable)
        return result

    @property
    def trainable_weights(self):
        if not self._trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def non_trainable_weights(self):
        if not self._trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    @property
    def variables(self):
        """The weights, then the state of the SeedGenerators the layers hold (variables, but
        not weights, as in Keras)."""
        return self.weights + self._seed_states()

    @property
    def trainable_variables(self):
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        return self.non_trainable_weights + self._seed_states()

    def _seed_states(self):
        states = [generator.state for generator in self._seed_generators]
        for layer in self._layers:
            states += [s for s in layer._seed_states() if all(s is not t for t in states)]
        return states

    def get_weights(self):
        """The weights' values as a list of NumPy arrays, in the order of `weights`."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of NumPy arrays, in the order of `weights`."""
        variables = self.weights
        if len(weights) != len(variables):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a "
                             f"weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(variables)} weights.")
        for variable, value in zip(variables, weights):
            if tuple(np.shape(value)) != tuple(variable.shape):
                raise ValueError(f"Layer {self.name} weight shape {tuple(variable.shape)} is "
                                 f"not compatible with provided weight shape "
                                 f"{tuple(np.shape(value))}.")
        for variable, value in zip(variables, weights):
            variable.assign(np.asarray(value, dtype=variable.dtype.as_numpy_dtype))

    def count_params(self):
        """The number of scalars in this layer's weights."""
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but "
                             "the layer isn't built. You can build it manually via: "
                             f"`layer.build(input_shape)`.")
        return int(sum(np.prod(v.shape, dtype=np.int64) for v in self.weights))

    # --- state in saved files -----------------------------------------------------------

    def save_own_variables(self, store):
        """Puts this layer's own state into the dict `store`, as `model.save` and
        `save_weights` write it: its variables (trainable first) under "0", "1", ...
        Override to save other state (nested layers save their own)."""
        for i, variable in enumerate(self._trainable_variables + self._non_trainable_variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Restores what `save_own_variables` put into `store` (a dict of arrays).

        Raises:
          ValueError: naming the layer, when `store` holds another number of variables or
            other shapes than the layer's.
        """
        variables = self._trainable_variables + self._non_trainable_variables
        if len(store) != len(variables) or any(str(i) not in store
                                               for i in range(len(variables))):
            if not variables and not self.built:
                raise ValueError(f"Layer '{self.name}' was never built and thus it doesn't "
                                 f"have any variables. However the weights file lists "
                                 f"{len(store)} variables for this layer.")
            raise ValueError(f"Layer '{self.name}' expected {len(variables)} variables, but "
                             f"received {len(store)} variables during loading. Expected: "
                             f"{[_short_name(v) for v in variables]}")
        for i, variable in enumerate(variables):
            value = store[str(i)]
            if tuple(variable.shape) != tuple(np.shape(value)):
                raise ValueError(
                    f"The shape of the target variable and the shape of the target value in "
                    f"`variable.assign(value)` must match. "
                    f"variable.shape={tuple(variable.shape)}, Received: "
                    f"value.shape={tuple(np.shape(value))}. Target variable: <Variable "
                    f"path={getattr(variable, 'path', _short_name(variable))}, "
                    f"shape={tuple(variable.shape)}> of layer '{self.name}'")
        for i, variable in enumerate(variables):
            variable.assign(np.asarray(store[str(i)], variable.dtype.as_numpy_dtype))

    def save_assets(self, dir_path):
        """Writes files this layer's state needs (a vocabulary) into the existing folder
        `dir_path`, which `model.save` stores as `assets/<layer path>/` in the `.keras`
        file. Most layers have none."""

    def load_assets(self, dir_path):
        """Reads back what `save_assets` wrote into `dir_path` (None when the file holds
        no folder for this layer)."""

    # --- losses and metrics -------------------------------------------------------------

    def add_loss(self, loss):
        """Adds a scalar loss (an activity penalty, say) to `layer.losses`.

        Losses added during a call are cleared when the outermost layer is called again.
        """
        self._losses.extend(tf.nest.flatten(loss))
        backend.loss_epoch[0] += 1

    @property
    def losses(self):
        """The losses added by `add_loss` here and in nested layers during the last call,
        then the regularization penalties of the trainable weights."""
        result = []
        for layer in self._flatten_layers():
            result.extend(layer._losses)
        for variable in self.trainable_weights:
            regularizer = getattr(variable, "regularizer", None)
            if regularizer is not None:
                result.append(regularizer(variable))
        return result

    def _clear_losses(self):
        for layer in self._flatten_layers():
            if layer._losses:
                object.__setattr__(layer, "_losses", [])

    @property
    def metrics(self):
        """The metrics tracked as attributes of this layer and of its nested layers."""
        result = list(self._metrics)
        for layer in self._flatten_layers(include_self=False):
            result.extend(layer._metrics)
        return result

    @property
    def metrics_variables(self):
        return [v for metric in self.metrics for v in metric.variables]

    # --- dtype --------------------------------------------------------------------------

    @property
    def dtype(self):
        """The dtype of the layer's weights ("float32")."""
        return self._dtype

    @property
    def compute_dtype(self):
        return self._dtype

    @property
    def variable_dtype(self):
        return self._dtype

    @property
    def input_dtype(self):
        return self._dtype

    # --- masks --------------------------------------------------------------------------

    @property
    def supports_masking(self):
        """Whether the layer passes masks on, through `compute_mask` (True when a subclass
        writes `compute_mask`)."""
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value):
        object.__setattr__(self, "_supports_masking", bool(value))

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs, given the inputs and their mask (by default, the
        inputs' mask unchanged)."""
        return previous_mask

    def _fill_mask_arguments(self, args, kwargs):
        """Passes the inputs' masks to `call` as Keras does: `mask` for the one tensor
        argument, or `<name>_mask` for each tensor argument `<name>`."""
        names = self._call_arguments
        bound = dict(zip(names, args))
        bound.update(kwargs)
        tensors = {name: value for name, value in bound.items() if _holds_tensors(value)}
        if len(tensors) == 1:
            if "mask" in self._call_mask_arguments and bound.get("mask") is None:
                kwargs["mask"] = _masks_of(next(iter(tensors.values())))
        else:
            for name, value in tensors.items():
                mask_name = f"{name}_mask"
                if mask_name in self._call_mask_arguments and bound.get(mask_name) is None:
                    kwargs[mask_name] = _masks_of(value)

    def _previous_mask(self, inputs, kwargs):
        mask = kwargs.get("mask") if "mask" in self._call_mask_arguments else None
        return _masks_of(inputs) if mask is None else mask

    def _set_mask_metadata(self, inputs, outputs, previous_mask):
        """Attaches `compute_mask`'s masks to outputs that carry none yet."""
        flat_outputs = tf.nest.flatten(outputs)
        if all(get_keras_mask(x) is not None for x in flat_outputs):
            return
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        for output, mask in zip(flat_outputs, tf.nest.flatten(masks)):
            if mask is not None and get_keras_mask(output) is None:
                set_keras_mask(output, mask)

    def _warn_mask_dropped(self):
        if self._is_operation:  # Keras's ops (`x + y`) know nothing of masks
            return
        warnings.warn(f"Layer '{self.name}' (of type {type(self).__name__}) was passed an "
                      f"input with a mask attached to it. However, this layer does not "
                      f"support masking and will therefore destroy the mask information. "
                      f"Downstream layers will not see the mask.", stacklevel=3)

    # --- calling ------------------------------------------------------------------------

    def build(self, input_shape):
        """Creates the weights for inputs of `input_shape`; the base creates none."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` "
                                  "method implemented.")

    def __call__(self, *args, **kwargs):
        if args:
            inputs = args[0]
        elif kwargs and self._call_arguments and self._call_arguments[0] in kwargs:
            first = self._call_arguments[0]
            inputs = kwargs.pop(first)
            args = (inputs,)
        else:
            first = self._call_arguments[0] if self._call_arguments else "inputs"
            raise TypeError(f"missing a required argument: '{first}'")
        # The usual call, one tensor of the layer's dtype, skips conversion.
        if not (type(inputs) is Tensor and len(args) == 1
                and (not self.autocast or not inputs.dtype.is_floating
                     or inputs.dtype.as_numpy_dtype is self._numpy_dtype.type)):
            if is_symbolic((args, kwargs)):
                return self._symbolic_call(args, kwargs)
            args = self._convert_arguments(args)
            if kwargs:
                kwargs = self._convert_arguments(kwargs)
            inputs = args[0]
        spec = self.input_spec
        if spec is not None:
            if type(inputs) is Tensor:
                # A batch like the last one checked passes again: check once per shape.
                checked = (spec, inputs.shape, inputs.dtype)
                if checked != self._checked_input:
                    assert_input_compatibility(spec, inputs, self.name)
                    object.__setattr__(self, "_checked_input", checked)
            else:
                assert_input_compatibility(spec, inputs, self.name)
        if self._call_has_training_arg:
            training = kwargs.get("training")
            if training is None:
                training = backend.in_training_context()
                if training is None:
                    training = self._training_default
                if training is not None:
                    kwargs["training"] = training
        else:
            if "training" in kwargs:
                training = kwargs.pop("training")
            else:
                training = None
            if training is None:
                training = backend.in_training_context()
        if self._call_mask_arguments:
            self._fill_mask_arguments(args, kwargs)
        previous_mask = self._previous_mask(inputs, kwargs)
        context = backend._call_context
        outermost = context.depth == 0
        previous_training = context.training
        context.depth += 1
        context.training = training
        try:
            if outermost and self._losses_cleared_at != backend.loss_epoch[0]:
                self._clear_losses()
                object.__setattr__(self, "_losses_cleared_at", backend.loss_epoch[0])
            if not self.built:
                with self._name_scope():
                    self._maybe_build(args, kwargs)
                    if self.input_spec is not None:
                        assert_input_compatibility(self.input_spec, inputs, self.name)
                    outputs = self._call_naming_errors(args, kwargs)
            else:
                outputs = self._call_naming_errors(args, kwargs)
        finally:
            context.depth -= 1
            context.training = previous_training
        if self._supports_masking:
            self._set_mask_metadata(inputs, outputs, previous_mask)
        elif previous_mask is not None and _any_mask(previous_mask):
            self._warn_mask_dropped()
        if self.activity_regularizer is not None:
            for output in tf.nest.flatten(outputs):
                if tf.is_tensor(output):
                    loss = self.activity_regularizer(output)
                    if output.shape.rank:
                        loss = tf.math.divide_no_nan(
                            loss, tf.cast(tf.shape(output)[0], loss.dtype))
                    self.add_loss(loss)
        return outputs

    def _call_naming_errors(self, args, kwargs):
        """`call`, its errors re-raised with the arguments it received (Keras's message)."""
        try:
            return self.call(*args, **kwargs)
        except Exception as error:  # re-raised, same class, naming this call
            _raise_with_call_info(error, self.call, args, kwargs, type(self).__name__)

    def _convert_arguments(self, structure):
        """NumPy values become tensors; floating ones take the layer's dtype (autocast)."""
        dtype, autocast = self._dtype, self.autocast

        def convert(x):
            if isinstance(x, (Tensor, tf.Variable)) or (
                    hasattr(x, "__array__") and not isinstance(x, KerasTensor)):
                mask = get_keras_mask(x)
                if not isinstance(x, Tensor):
                    x = tf.convert_to_tensor(x)
                if autocast and x.dtype.is_floating and x.dtype.name != dtype:
                    x = tf.cast(x, dtype)
                    if mask is not None:  # the converted input keeps its mask
                        set_keras_mask(x, mask)
            return x
        return tf.nest.map_structure(convert, structure)

    def _maybe_build(self, args, kwargs):
        shapes = tf.nest.map_structure(
            lambda x: tuple(x.shape) if hasattr(x, "shape") else None, args[0])
        object.__setattr__(self, "_build_shapes", shapes)
        self.build(shapes)
        self.built = True

    def get_build_config(self):
        """`{"input_shape": ...}`: the shapes the layer was built for (None if unbuilt)."""
        if self._build_shapes is not None:
            return {"input_shape": self._build_shapes}
        return None

    def build_from_config(self, config):
        """Builds the layer from `get_build_config()`'s dict."""
        if config and config.get("input_shape") is not None:
            self.build(config["input_shape"])

    def _symbolic_call(self, args, kwargs):
        inputs = args[0]
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, inputs, self.name)
        if not self.built:
            with self._name_scope():
                self._maybe_build(args, kwargs)
            if self.input_spec is not None:
                assert_input_compatibility(self.input_spec, inputs, self.name)
        # Probes run in inference mode so that they never update state (moving averages),
        # and what they add to `losses` is dropped.
        probe_kwargs = dict(kwargs)
        if self._call_has_training_arg:
            probe_kwargs["training"] = False
        else:
            probe_kwargs.pop("training", None)
        if self._call_mask_arguments:
            self._fill_mask_arguments(args, probe_kwargs)
        previous_mask = self._previous_mask(inputs, probe_kwargs)
        saved = {id(layer): list(layer._losses) for layer in self._flatten_layers()}
        try:
            try:
                outputs = self.compute_output_spec(*args, **probe_kwargs)
            except Exception as error:  # re-raised, same class, naming this call
                _raise_with_call_info(error, _symbolic_call_signature, args, kwargs,
                                      type(self).__name__)
            if self._supports_masking:
                self._set_symbolic_masks(inputs, outputs, previous_mask)
            elif _any_mask(previous_mask):
                self._warn_mask_dropped()
        finally:
            for layer in self._flatten_layers():
                object.__setattr__(layer, "_losses", saved.get(id(layer), []))
            backend.loss_epoch[0] += 1
        Node(self, args, kwargs, outputs)
        return outputs

    def _set_symbolic_masks(self, inputs, outputs, previous_mask):
        """KerasTensor masks for symbolic outputs, from `compute_mask` run on probes."""
        if all(get_keras_mask(x) is not None for x in tf.nest.flatten(outputs)):
            return
        masks = compute_output_spec(self.compute_mask, (inputs, previous_mask), {})
        if masks is None:
            return
        for output, mask in zip(tf.nest.flatten(outputs), tf.nest.flatten(masks)):
            if mask is not None and get_keras_mask(output) is None:
                set_keras_mask(output, mask)

    def _call_with_conversion(self, *args, **kwargs):
        return self.call(*self._convert_arguments(args), **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors describing `call`'s outputs for symbolic inputs."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = tf.nest.map_structure(lambda x: x.shape, args[0])
            return _map_shapes(lambda shape: KerasTensor(shape, self._dtype),
                               self.compute_output_shape(shapes))
        try:
            return compute_output_spec(self._call_with_conversion, args, kwargs)
        except Exception as error:  # re-raised, same class, as Keras words it
            raise output_spec_error(error, self) from None

    def compute_output_shape(self, input_shape):
        """The output shape for inputs of `input_shape` (None for unknown sizes)."""
        if _is_shape(input_shape):
            inputs = KerasTensor(input_shape, self._dtype)
        else:
            inputs = _map_shapes(lambda s: KerasTensor(s, self._dtype), input_shape)
        if not self.built:
            with self._name_scope():
                self._maybe_build((inputs,), {})
        kwargs = {"training": False} if self._call_has_training_arg else {}
        spec = compute_output_spec(self._call_with_conversion, (inputs,), kwargs)
        return tf.nest.map_structure(lambda t: t.shape, spec)

    # --- functional graph ---------------------------------------------------------------

    @property
    def input(self):
        """The symbolic input of this layer's first call on KerasTensors."""
        return self._first_node("input").call_args[0]

    @property
    def output(self):
        """The symbolic output of this layer's first call on KerasTensors."""
        return self._first_node("output").outputs_struct

    def _first_node(self, what):
        if not self._inbound_nodes:
            raise AttributeError(f"The layer {self.name} has never been called and thus has "
                                 f"no defined {what}.")
        return self._inbound_nodes[0]

    # --- config -------------------------------------------------------------------------

    def get_config(self):
        """The constructor arguments, as Keras 3 serializes them.

        A subclass that adds constructor arguments returns them on top of this. A layer
        that writes no `get_config` gets its plain (str, number, bool, None) constructor
        arguments; any other argument needs a `get_config`.
        """
        config = {"name": self.name}
        if type(self).get_config is Layer.get_config and not self._is_input_layer:
            if self._auto_config is None:
                raise NotImplementedError(
                    f"Object {type(self).__name__} was created by passing non-serializable "
                    f"argument values in `__init__()`, and therefore the object must "
                    f"override `get_config()` in order to be serializable. Please implement "
                    f"`get_config()`.")
            config.update(self._auto_config)
        config.update({"trainable": self.trainable,
                       "dtype": {"module": "keras", "class_name": "DTypePolicy",
                                 "config": {"name": self._dtype}, "registered_name": None}})
        if self.activity_regularizer is not None:
            from eagerflow.keras import regularizers
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        """A new layer from `get_config()`'s dict."""
        try:
            return cls(**config)
        except TypeError as err:
            raise TypeError(f"Error when deserializing class '{cls.__name__}' using config="
                            f"{config}.\n\nException encountered: {err}") from err

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


class Operation(Layer):
    """An op applied to KerasTensors (`x + y`): a weightless node of a functional graph
    that `model.layers` leaves out; a subclass sets `function`, which receives the
    operands and the operation's attributes (`axis` of Keras's `Any`, say)."""

    _is_operation = True

    def __init__(self, name=None, **attributes):
        super().__init__(name=name, autocast=False)
        object.__setattr__(self, "_attributes", attributes)
        self.built = True

    def call(self, *args):
        return self.function(*args, **self._attributes)

    def get_config(self):
        return {"name": self.name, **self._attributes}


def _holds_tensors(value):
    if isinstance(value, (Tensor, KerasTensor, tf.Variable)):
        return True
    if isinstance(value, (list, tuple, dict)):
        return any(isinstance(x, (Tensor, KerasTensor, tf.Variable))
                   for x in tf.nest.flatten(value))
    return False


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(
        d is None or isinstance(d, (int, np.integer)) for d in value)


def _map_shapes(fn, shapes):
    """`fn` on each shape of a structure of shapes (a shape is a tuple of sizes)."""
    if _is_shape(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {key: _map_shapes(fn, value) for key, value in shapes.items()}
    return type(shapes)(_map_shapes(fn, value) for value in shapes)


def _short_name(variable):
    """A variable's name without its scope and `:0` suffix, as Keras lists it."""
    return getattr(variable, "name", "").split("/")[-1].split(":")[0]
