"""The Optimizer base: slots, gradient clipping, weight decay, learning-rate schedules,
loss scaling, gradient accumulation, EMA and `iterations` live here once; a subclass
writes `build` (its slots) and `update_step` (its rule)."""

import re
import warnings

import numpy as np

import eagerflow as tf
from eagerflow.framework import gradient_reasons
from eagerflow.framework.denormal import flushing
from eagerflow.keras import backend
from eagerflow.keras.optimizers import schedules
from eagerflow.keras.variables import Variable
from eagerflow.training.checkpoint import deferred_restorations, restore_deferred

base_optimizer_keyword_args = """name: the optimizer's name, the path prefix of its variables
        (default: the class name in snake case, made unique: "adam", "adam_1").
      weight_decay: a float; when set, each step first shrinks every variable:
        `w = w - w * weight_decay * learning_rate` (decoupled weight decay).
      clipnorm: a float; when set, each gradient is rescaled so that its L2 norm is at
        most this value.
      clipvalue: a float; when set, each gradient is clipped to
        `[-clipvalue, clipvalue]`.
      global_clipnorm: a float; when set, all gradients are rescaled together so that
        their global L2 norm is at most this value.
      use_ema: whether to keep an exponential moving average of the variables
        (default False).
      ema_momentum: with `use_ema`, the average's momentum:
        `average = ema_momentum * average + (1 - ema_momentum) * w` (default 0.99).
      ema_overwrite_frequency: with `use_ema`, overwrite the variables with their
        average every this many iterations; None leaves that to
        `finalize_variable_values()` (which `fit()` calls at the end).
      loss_scale_factor: a float; gradients are divided by it before the update
        (`scale_loss()` multiplies the loss by it).
      gradient_accumulation_steps: an int >= 2; variables are updated only every this
        many steps, with the mean of the gradients since the last update."""

learning_rate_arg = """learning_rate: a float, a `LearningRateSchedule`, or a callable without arguments
        returning the rate (default 0.001)."""

moment_args = """beta_1: the decay rate of the first-moment estimate `m` (default 0.9).
      beta_2: the decay rate of the second-moment estimate `v` (default 0.999).
      epsilon: a small constant for numerical stability (default 1e-7)."""

# Argument text shared by several optimizers' docstrings, written once: a subclass's
# docstring names it as {{placeholder}}.
_SHARED_ARGS = {"{{base_optimizer_keyword_args}}": base_optimizer_keyword_args,
                "{{learning_rate_arg}}": learning_rate_arg, "{{moment_args}}": moment_args}


class Optimizer:
    """Base class of Keras optimizers.

    A subclass creates its slot variables in `build(variables)` (through
    `add_variable_from_reference`) and writes its rule in
    `update_step(gradient, variable, learning_rate)`; everything else lives here.
    Each `apply(grads, variables)` does::

        drop the pairs whose gradient is None (ValueError if none is left)
        densify IndexedSlices gradients
        g = g / loss_scale_factor                          (if set)
        g = clip(g)             (clipnorm, global_clipnorm or clipvalue, if set)
        w = w - w * weight_decay * learning_rate           (if set, before the update)
        update_step(g, w, learning_rate)                   (the subclass's rule)
        w = w.constraint(w)                                (if the variable has one)
        average = ema_momentum * average + (1 - ema_momentum) * w     (use_ema)
        iterations += 1

    `learning_rate` is the value at `iterations` of a schedule, a callable's value, or a
    Variable, cast to each variable's dtype.

    >>> from eagerflow.keras import optimizers
    >>> class HalfStep(optimizers.Optimizer):
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         variable.assign_sub(gradient * learning_rate * 0.5)
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = HalfStep(learning_rate=0.5)
    >>> opt.apply([tf.constant([1.0, -1.0])], [w])
    >>> w.numpy().tolist(), int(opt.iterations)
    ([0.75, 2.25], 1)

    Args:
      learning_rate: a float, a `keras.optimizers.schedules.LearningRateSchedule` called
        with `iterations`, or a callable without arguments returning the rate.
      {{base_optimizer_keyword_args}}
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for placeholder, text in _SHARED_ARGS.items():
            if cls.__doc__ and placeholder in cls.__doc__:
                cls.__doc__ = cls.__doc__.replace(placeholder, text)

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. "
                             f"Received: gradient_accumulation_steps="
                             f"{gradient_accumulation_steps}")
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                                 f"Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                                 f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        if sum(c is not None for c in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be "
                             f"set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        if name is None:
            name = backend.unique_name(backend.to_snake_case(type(self).__name__))
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._index_of = {}
        self._exclude_from_weight_decay = set()
        self._exclude_from_weight_decay_pattern = None
        self._decays = {}  # id(variable) -> whether weight decay applies to it
        self._step_values = {}
        self._iterations = self.add_variable((), initializer=0, dtype="int64",
                                             name="iteration")
        if callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            self._learning_rate = self.add_variable(
                (), initializer=_checked_learning_rate(learning_rate),
                dtype=backend.floatx(), name="learning_rate")

    # --- iterations and the learning rate -------------------------------------------------

    @property
    def iterations(self):
        """The number of updates applied so far (an int64 Variable).

        With `gradient_accumulation_steps`, the number of accumulated updates: the
        number of `apply` calls divided by the steps.
        """
        if self.gradient_accumulation_steps:
            return self._iterations // self.gradient_accumulation_steps
        return self._iterations

    @property
    def learning_rate(self):
        """The learning rate: a float32 Variable (assignable), or the current value of the
        schedule (at `iterations`) or callable the optimizer was given."""
        rate = self._learning_rate
        if isinstance(rate, schedules.LearningRateSchedule):
            return rate(self._iterations)
        if isinstance(rate, tf.Variable):
            return rate
        return rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        previous = self._learning_rate
        if callable(learning_rate):
            self._learning_rate = learning_rate
            if isinstance(previous, tf.Variable):
                self._variables = [v for v in self._variables if v is not previous]
            return
        if not isinstance(previous, tf.Variable):
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object "
                            "as its `learning_rate` constructor argument, hence its learning "
                            "rate is not settable. If you need the learning rate to be "
                            "settable, you should instantiate the optimizer with a float "
                            "`learning_rate` argument.")
        previous.assign(learning_rate)

    # --- variables ------------------------------------------------------------------------

    @property
    def variables(self):
        """The optimizer's variables: `iteration`, `learning_rate`, then the slots."""
        return self._variables[:]

    def build(self, variables):
        """Creates the slot variables for `variables`; a subclass calls this first, then
        adds its own slots with `add_variable_from_reference`."""
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(
                variables, "gradient_accumulator")
        self._index_of = {id(v): i for i, v in enumerate(variables)}
        self._trainable_variables = list(variables)
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        """Adds a non-trainable variable, tracked in `variables`, named `<optimizer>/<name>`.

        Args:
          shape: the variable's shape.
          initializer: an initializer or its name, or a value (default "zeros").
          dtype: the dtype (default `keras.config.floatx()`).
          aggregation, layout: accepted for Keras compatibility; unused.
          name: the variable's name.
        """
        if callable(initializer) or isinstance(initializer, str):
            value, shape = initializer, tuple(shape)
        else:
            value, shape = tf.cast(initializer, dtype or backend.floatx()), None
        with backend.NameScope(self.name):
            variable = Variable(value, shape=shape, dtype=dtype, trainable=False, name=name)
        self._variables.append(variable)
        if deferred_restorations:  # a checkpoint restored before this slot existed
            restore_deferred(self)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None,
                                    initializer="zeros"):
        """A slot shaped and typed like `reference_variable`, named
        `<its path with / as _>_<name>` (`dense_kernel_momentum`)."""
        name = name or "var"
        path = getattr(reference_variable, "path", None)
        if path is None:  # a tf.Variable: "Variable:0" -> "Variable_0"
            path = str(reference_variable.name).replace(":", "_")
        return self.add_variable(tuple(reference_variable.shape), initializer=initializer,
                                 dtype=reference_variable.dtype.name,
                                 name=f"{path.replace('/', '_')}_{name}")

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Slots for each variable: one list per name in `name` (a string or a list),
        created variable by variable. A variable with `overwrite_with_gradient` gets None.

        Returns:
          a list of slots for a single name, a tuple of lists for a list of names.
        """
        names = [name] if isinstance(name, str) else list(name)
        initializers = (list(initializer) if isinstance(initializer, (list, tuple))
                        else [initializer] * len(names))
        if len(names) != len(initializers):
            raise ValueError("The number of provided names must match the number of provided "
                             f"initializers.  Received name='{name}', "
                             f"initializer='{initializer}'")
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            overwritten = getattr(variable, "overwrite_with_gradient", False)
            for slot_list, slot_name, slot_init in zip(slots, names, initializers):
                slot_list.append(None if overwritten else self.add_variable_from_reference(
                    variable, name=slot_name, initializer=slot_init))
        return slots[0] if isinstance(name, str) else slots

    def _get_variable_index(self, variable):
        return self._index_of[id(variable)]

    # --- applying gradients ---------------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs (as `zip(grads, variables)`); returns
        `iterations`."""
        pairs = list(grads_and_vars)
        if pairs:
            self.apply([g for g, _ in pairs], [v for _, v in pairs])
        return self._iterations

    @flushing
    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` with `grads` and increments `iterations`.

        The first call builds the slots for `trainable_variables`; later calls may omit
        them to update the variables the optimizer was built with. A None gradient skips
        its variable (with a warning naming it).

        Raises:
          ValueError: when no variable has a gradient, when the optimizer was built
            with other variables, or when the lists' lengths differ.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer must "
                                 "already be built on a list of variables. Call "
                                 "`optimizer.build(trainable_variables)` first. ")
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            if not self.built:
                self.build(variables)
                self.built = True
            index_of = self._index_of
            for variable in variables:
                if id(variable) not in index_of:
                    raise ValueError(f"Unknown variable: {variable}. This optimizer can only "
                                     "be called for the variables it was originally built "
                                     "with. When working with a new set of variables, you "
                                     "should recreate a new optimizer instance.")
        if len(grads) != len(variables):
            raise ValueError(f"Expected one gradient per variable: received {len(grads)} "
                             f"gradients for {len(variables)} variables.")
        grads, variables = self._filter_gradients(grads, variables)
        if grads:
            if self.loss_scale_factor is not None:
                scale = float(self.loss_scale_factor)
                grads = [g / scale for g in grads]
            if self.gradient_accumulation_steps:
                self._accumulate_or_update(grads, variables)
            else:
                self._clip_decay_and_update(grads, variables)
            if self.use_ema:
                self._update_moving_averages()
            for variable in variables:
                if variable.constraint is not None:
                    variable.assign(variable.constraint(variable))
        self._iterations.assign_add(1)

    def update_step(self, gradient, variable, learning_rate):
        """Updates `variable` (and its slots) from `gradient`; both have the variable's
        dtype, and so has the scalar `learning_rate`."""
        raise NotImplementedError

    def _step_value(self, key, compute):
        """`compute()`, computed once per step for `key`: the scalars that all variables
        of a dtype share (bias corrections), so that each variable costs only its
        elementwise ops."""
        values = self._step_values
        value = values.get(key)
        if value is None:
            value = values[key] = compute()
        return value

    def _learning_rate_as(self, learning_rate, dtype):
        return self._step_value(("learning_rate", dtype),
                                lambda: tf.cast(learning_rate, dtype))

    def _filter_gradients(self, grads, variables):
        """Drops None gradients, densifies the rest and writes `overwrite_with_gradient`
        variables directly."""
        kept_grads, kept_vars, missing = [], [], []
        for gradient, variable in zip(grads, variables):
            if gradient is None:
                missing.append(variable)
                continue
            # IndexedSlices become dense here: the update is the same as TF's sparse one,
            # except that repeated indices are summed before (not after) squaring.
            gradient = tf.convert_to_tensor(gradient)
            if getattr(variable, "overwrite_with_gradient", False):
                self._overwrite_with_gradient(gradient, variable)
                continue
            kept_grads.append(gradient)
            kept_vars.append(variable)
        if not kept_grads and missing:
            raise ValueError("No gradients provided for any variable." + _why(missing))
        if missing:
            warnings.warn(f"Gradients do not exist for variables {[_path(v) for v in missing]} "
                          "when minimizing the loss. If using `model.compile()`, did you forget "
                          "to provide a `loss` argument?" + _why(missing))
        return kept_grads, kept_vars

    def _overwrite_with_gradient(self, gradient, variable):
        if not self.gradient_accumulation_steps:
            variable.assign(gradient)
            return
        accumulator = self._accumulated_gradients[self._get_variable_index(variable)]
        largest = tf.maximum(gradient, accumulator)
        if self._is_accumulation_update_step():
            variable.assign(largest)
            accumulator.assign(tf.zeros_like(largest))
        else:
            accumulator.assign(largest)

    def _is_accumulation_update_step(self):
        return (int(self._iterations) + 1) % self.gradient_accumulation_steps == 0

    def _accumulate_or_update(self, grads, variables):
        accumulators = [self._accumulated_gradients[self._get_variable_index(v)]
                        for v in variables]
        if not self._is_accumulation_update_step():
            for gradient, accumulator in zip(grads, accumulators):
                accumulator.assign(gradient + accumulator.value)
            return
        steps = float(self.gradient_accumulation_steps)
        grads = [(g + a.value) / steps for g, a in zip(grads, accumulators)]
        self._clip_decay_and_update(grads, variables)
        for accumulator in self._accumulated_gradients:
            if accumulator is not None:
                accumulator.assign(tf.zeros_like(accumulator))

    def _clip_decay_and_update(self, grads, variables):
        self._step_values = {}
        grads = self._clip_gradients(grads)
        learning_rate = self.learning_rate
        self._apply_weight_decay(variables, learning_rate)
        self._update_variables(grads, variables, learning_rate)

    def _update_variables(self, grads, variables, learning_rate):
        """Runs `update_step` on each pair; a subclass needing once-per-step work (Nadam)
        does it here before calling this."""
        for gradient, variable in zip(grads, variables):
            dtype = variable.dtype
            if gradient.dtype != dtype:
                gradient = tf.cast(gradient, dtype)
            self.update_step(gradient, variable, self._learning_rate_as(learning_rate, dtype))

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [_clip_by_norm(g, float(self.clipnorm)) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, float(self.global_clipnorm))
        if self.clipvalue and self.clipvalue > 0:
            limit = float(self.clipvalue)
            return [tf.minimum(tf.maximum(g, -limit), limit) for g in grads]
        return grads

    # --- weight decay ---------------------------------------------------------------------

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables from weight decay: those in `var_list`, and those whose name
        contains one of the strings in `var_names` (`var_names=["bias"]`)."""
        self._exclude_from_weight_decay = set(id(v) for v in var_list or ())
        self._exclude_from_weight_decay_pattern = (
            re.compile("|".join(set(var_names))) if var_names else None)
        self._decays = {}

    def _use_weight_decay(self, variable):
        decays = self._decays.get(id(variable))
        if decays is None:
            pattern = self._exclude_from_weight_decay_pattern
            decays = not (id(variable) in self._exclude_from_weight_decay or (
                pattern is not None and pattern.search(variable.name) is not None))
            self._decays[id(variable)] = decays
        return decays

    def _apply_weight_decay(self, variables, learning_rate):
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                rate = self._learning_rate_as(learning_rate, variable.dtype)
                variable.assign_sub(variable.read_value() * self.weight_decay * rate)

    # --- moving averages, loss scaling ----------------------------------------------------

    def _update_moving_averages(self):
        # The first average is the variable itself.
        momentum = float(self.ema_momentum) if int(self.iterations) != 0 else 0.0
        for variable, average in zip(self._trainable_variables,
                                     self._model_variables_moving_average):
            if average is not None:
                average.assign(average.value * momentum
                               + variable.read_value() * (1.0 - momentum))
        frequency = self.ema_overwrite_frequency
        if frequency and (int(self.iterations) + 1) % frequency == 0:
            self._overwrite_model_variables_with_average_value(self._trainable_variables)

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        averages = self._model_variables_moving_average
        if len(trainable_variables) != len(averages):
            raise ValueError(f"The length of model variables ({len(trainable_variables)}) to "
                             "override does not match the length of model variables stored "
                             f"in the optimizer ({len(averages)}). Please check if the "
                             "optimizer was called on your model.")
        for variable, average in zip(trainable_variables, averages):
            if average is not None:
                variable.assign(average)

    def finalize_variable_values(self, var_list):
        """With `use_ema`, sets the variables to their moving averages (`fit()` calls this
        after the last epoch); otherwise does nothing."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    def scale_loss(self, loss):
        """The loss multiplied by `loss_scale_factor` (unchanged when it is None)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # --- state and config -----------------------------------------------------------------

    def assign(self, variable, value):
        """`variable.assign(value)`, as Keras optimizers write their updates."""
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    def set_weights(self, weights):
        """Sets `variables` from a list of arrays (the optimizer must be built)."""
        if not self.built:
            raise ValueError("You are calling `set_weights()` on an optimizer that has not yet "
                             "been built. Please call `optimizer.build(trainable_variables)` "
                             "to create the optimizer weights before calling `set_weights()`.")
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(f"Optimizer variable {variable.path} has shape "
                                 f"{tuple(variable.shape)} not compatible with provided "
                                 f"weight shape {tuple(np.shape(weight))}.")
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes `variables` into `store` under the keys "0", "1", ..."""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads `variables` back from a `store` written by `save_own_variables`."""
        if len(store.keys()) != len(self._variables):
            message = (f"Skipping variable loading for optimizer '{self.name}', because it "
                       f"has {len(self._variables)} variables whereas the saved optimizer "
                       f"has {len(store.keys())} variables. ")
            if not self._variables:
                message += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(message, stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)])

    def get_config(self):
        """The constructor arguments: a schedule as its serialized dict, a Variable
        learning rate as a float."""
        rate = self._learning_rate
        if isinstance(rate, schedules.LearningRateSchedule):
            rate = schedules.serialize(rate)
        elif isinstance(rate, tf.Variable):
            rate = float(rate.numpy())
        return {"name": self.name, "learning_rate": rate, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Makes an optimizer from the output of `get_config()` (without its state)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"],
                                                            custom_objects=custom_objects)
        return cls(**config)


def _checked_learning_rate(learning_rate):
    if isinstance(learning_rate, (float, np.floating)):
        return float(learning_rate)
    raise ValueError("Argument `learning_rate` should be float, or an instance of "
                     "LearningRateSchedule, or a callable (that takes in the current "
                     "iteration value and returns the corresponding learning rate value). "
                     f"Received instead: learning_rate={learning_rate}")


def _clip_by_norm(gradient, clip_norm):
    """`gradient` rescaled to an L2 norm of at most `clip_norm`, as `tf.clip_by_norm`."""
    norm = tf.sqrt(tf.reduce_sum(tf.square(gradient)))
    return gradient * clip_norm / tf.maximum(norm, clip_norm)


def global_norm(value_list):
    """The L2 norm of all the tensors in `value_list` together (None entries skipped)."""
    squared = [tf.reduce_sum(tf.square(v)) for v in value_list if v is not None]
    return tf.sqrt(tf.reduce_sum(tf.stack(squared)))


def clip_by_global_norm(value_list, clip_norm):
    """The tensors rescaled together to a global norm of at most `clip_norm`; NaN when
    the global norm is not finite, as in Keras."""
    norm = global_norm(value_list)
    scale = clip_norm * tf.minimum(1.0 / norm, 1.0 / clip_norm) + (norm - norm)
    return [v * scale if v is not None else v for v in value_list]


def _path(variable):
    return getattr(variable, "path", None) or variable.name


def _why(variables):
    """eagerflow's addition to TF's message: why each variable got no gradient, as the
    tape worked it out (nothing when the gradients did not come from a tape)."""
    lines = gradient_reasons.missing_reasons(variables, _path)
    return "\nWhy (eagerflow):\n" + "\n".join(lines) if lines else ""
