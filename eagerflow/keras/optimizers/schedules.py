"""`keras.optimizers.schedules`: learning rates as functions of the optimizer step.

A schedule is called with the step (an int, or the optimizer's `iterations` variable) and
returns a scalar tensor of the initial learning rate's dtype (float32 for a Python float).
"""

import math

import eagerflow as tf
from eagerflow.keras import serialization_lib


class LearningRateSchedule:
    """Base class of learning rate schedules: `__call__(step)` returns the rate.

    Pass a schedule as an optimizer's `learning_rate`; the optimizer calls it with its
    `iterations` at every step. Implement `get_config` to make a schedule serializable.

    >>> from eagerflow.keras.optimizers import schedules
    >>> class Halving(schedules.LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 1.0 / tf.pow(2.0, tf.cast(step, "float32"))
    >>> float(Halving()(3))
    0.125
    """

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  "override `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  "override `get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        """Makes a schedule from the output of `get_config()`."""
        return cls(**config)


def _check_positive(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class _StepDecay(LearningRateSchedule):
    """Base of the schedules decaying by `decay_rate` per `decay_steps` steps, whose
    progress `step / decay_steps` is an integer division with `staircase`."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def _progress(self, step):
        """The initial rate as a tensor, and `step / decay_steps` in its dtype."""
        initial = tf.convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        p = tf.cast(step, dtype) / tf.cast(self.decay_steps, dtype)
        if self.staircase:
            p = tf.floor(p)
        return initial, p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_StepDecay):
    """A learning rate multiplied by `decay_rate` every `decay_steps` steps::

        rate(step) = initial_learning_rate * decay_rate ** (step / decay_steps)

    With `staircase=True`, `step / decay_steps` is an integer division.

    >>> from eagerflow.keras.optimizers import schedules
    >>> schedule = schedules.ExponentialDecay(1.0, decay_steps=2, decay_rate=0.5)
    >>> float(schedule(4))
    0.25

    Args:
      initial_learning_rate: the rate at step 0.
      decay_steps: a positive number of steps.
      decay_rate: the factor applied every `decay_steps`.
      staircase: decay at discrete intervals.
      name: the name of the schedule.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        initial, p = self._progress(step)
        return initial * tf.pow(tf.cast(self.decay_rate, initial.dtype), p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """A learning rate constant between step boundaries::

        rate(step) = values[0]   if step <= boundaries[0]
                     values[i]   if boundaries[i - 1] < step <= boundaries[i]
                     values[-1]  if step > boundaries[-1]

    >>> from eagerflow.keras.optimizers import schedules
    >>> schedule = schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.25])
    >>> [float(schedule(step)) for step in (10, 11, 21)]
    [1.0, 0.5, 0.25]

    Args:
      boundaries: strictly increasing step numbers.
      values: the rates, one more than `boundaries`.
      name: the name of the schedule.

    Raises:
      ValueError: when `values` does not have one more element than `boundaries`.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of "
                             f"values. Received: boundaries={boundaries} of length "
                             f"{len(boundaries)}, and values={values} of length "
                             f"{len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = tf.convert_to_tensor(step)
        boundaries = [tf.cast(b, step.dtype) for b in self.boundaries]
        values = [tf.convert_to_tensor(v) for v in self.values]
        dtype = values[0].dtype
        rate = tf.cast(step <= boundaries[0], dtype) * values[0]
        rate += tf.cast(step > boundaries[-1], dtype) * values[-1]
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            rate += tf.cast(tf.logical_and(step > low, step <= high), dtype) * value
        return rate

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """A learning rate going from `initial_learning_rate` to `end_learning_rate` along a
    polynomial over `decay_steps` steps::

        step = min(step, decay_steps)
        rate(step) = ((initial_learning_rate - end_learning_rate)
                      * (1 - step / decay_steps) ** power + end_learning_rate)

    With `cycle=True`, `decay_steps` becomes its first multiple at or above `step`
    (instead of clamping `step`), so the decay restarts.

    >>> from eagerflow.keras.optimizers import schedules
    >>> schedule = schedules.PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.0)
    >>> float(schedule(1))
    0.75

    Args:
      initial_learning_rate: the rate at step 0.
      decay_steps: a positive number of steps.
      end_learning_rate: the final rate (default 0.0001).
      power: the polynomial's power (default 1.0).
      cycle: restart the decay after `decay_steps`.
      name: the name of the schedule.
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step):
        initial = tf.convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        end = tf.cast(self.end_learning_rate, dtype)
        step = tf.cast(step, dtype)
        decay_steps = tf.cast(self.decay_steps, dtype)
        if self.cycle:
            multiplier = tf.where(tf.equal(step, 0.0), tf.constant(1.0, dtype),
                                  tf.math.ceil(step / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = tf.minimum(step, decay_steps)
        fraction = step / decay_steps
        return (initial - end) * tf.pow(1.0 - fraction, tf.cast(self.power, dtype)) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(_StepDecay):
    """A learning rate decaying as the inverse of the step::

        rate(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)

    With `staircase=True`, `step / decay_steps` is an integer division.

    >>> from eagerflow.keras.optimizers import schedules
    >>> schedule = schedules.InverseTimeDecay(1.0, decay_steps=1, decay_rate=0.5)
    >>> float(schedule(2))
    0.5

    Args:
      initial_learning_rate: the rate at step 0.
      decay_steps: a positive number of steps.
      decay_rate: the decay rate.
      staircase: decay at discrete intervals.
      name: the name of the schedule.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        initial, p = self._progress(step)
        dtype = initial.dtype
        return initial / (tf.constant(1, dtype) + tf.cast(self.decay_rate, dtype) * p)


class CosineDecay(LearningRateSchedule):
    """A cosine decay, after an optional linear warmup::

        # warmup_target set, step < warmup_steps:
        rate(step) = initial_learning_rate
                     + (warmup_target - initial_learning_rate) * step / warmup_steps
        # then, with start = warmup_target (or initial_learning_rate without warmup)
        # and step counted from the end of the warmup:
        step = min(step, decay_steps)
        cosine = 0.5 * (1 + cos(pi * step / decay_steps))
        rate(step) = start * ((1 - alpha) * cosine + alpha)

    >>> from eagerflow.keras.optimizers import schedules
    >>> schedule = schedules.CosineDecay(1.0, decay_steps=2)
    >>> round(float(schedule(1)), 6)
    0.5

    Args:
      initial_learning_rate: the rate at step 0.
      decay_steps: a positive number of decay steps.
      alpha: the final rate, as a fraction of the decay's starting rate (default 0.0).
      name: the name of the schedule.
      warmup_target: the rate reached at the end of the warmup; None for no warmup.
      warmup_steps: the number of warmup steps.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_positive("decay_steps", decay_steps)

    def _decay(self, step, decay_steps, start, dtype):
        fraction = step / decay_steps
        cosine = 0.5 * (1.0 + tf.cos(tf.constant(math.pi, dtype) * fraction))
        return start * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        initial = tf.convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        decay_steps = tf.cast(self.decay_steps, dtype)
        step = tf.cast(step, dtype)
        if self.warmup_target is None:
            return self._decay(tf.minimum(step, decay_steps), decay_steps, initial, dtype)
        target = tf.cast(self.warmup_target, dtype)
        warmup_steps = tf.cast(self.warmup_steps, dtype)
        step = tf.minimum(step, decay_steps + warmup_steps)
        decayed = self._decay(step - warmup_steps, decay_steps, target, dtype)
        if self.warmup_steps <= 0:
            return decayed
        warmed = (target - initial) * (step / warmup_steps) + initial
        return tf.where(step < warmup_steps, warmed, decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """A cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2016)::

        # period i lasts first_decay_steps * t_mul ** i steps and starts at
        # initial_learning_rate * m_mul ** i; fraction is the part of it done
        cosine = 0.5 * m_mul ** i * (1 + cos(pi * fraction))
        rate(step) = initial_learning_rate * ((1 - alpha) * cosine + alpha)

    >>> from eagerflow.keras.optimizers import schedules
    >>> schedule = schedules.CosineDecayRestarts(1.0, first_decay_steps=2)
    >>> [round(float(schedule(step)), 6) for step in (0, 1, 2)]
    [1.0, 0.5, 1.0]

    Args:
      initial_learning_rate: the rate at step 0.
      first_decay_steps: a positive number of steps in the first period.
      t_mul: each period is `t_mul` times longer than the previous one (default 2.0).
      m_mul: each period starts at `m_mul` times the previous starting rate
        (default 1.0).
      alpha: the lowest rate, as a fraction of `initial_learning_rate` (default 0.0).
      name: the name of the schedule.
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_positive("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        initial = tf.convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        alpha = tf.cast(self.alpha, dtype)
        t_mul = tf.cast(self._t_mul, dtype)
        fraction = tf.cast(step, dtype) / tf.cast(self.first_decay_steps, dtype)
        if self._t_mul == 1.0:
            restart = tf.floor(fraction)
            fraction = fraction - restart
        else:
            restart = tf.floor(tf.math.log(1.0 - fraction * (1.0 - t_mul)) / tf.math.log(t_mul))
            done = (1.0 - tf.pow(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - done) / tf.pow(t_mul, restart)
        m_factor = tf.pow(tf.cast(self._m_mul, dtype), restart)
        cosine = 0.5 * m_factor * (1.0 + tf.cos(tf.constant(math.pi, dtype) * fraction))
        return initial * ((1 - alpha) * cosine + alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_BUILTIN = {cls.__name__: cls for cls in (
    LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
    InverseTimeDecay, CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule):
    """Returns the schedule as a dict in Keras's format.

    >>> from eagerflow.keras.optimizers import schedules
    >>> schedules.serialize(schedules.ExponentialDecay(0.1, 10, 0.5))["class_name"]
    'ExponentialDecay'
    """
    return serialization_lib.serialize_object(learning_rate_schedule,
                                              "keras.optimizers.schedules", _BUILTIN)


def deserialize(config, custom_objects=None):
    """Makes a schedule from a dict produced by `serialize`; `custom_objects` maps class
    names to your own schedule classes.

    >>> from eagerflow.keras.optimizers import schedules
    >>> schedule = schedules.deserialize({"class_name": "InverseTimeDecay", "config": {
    ...     "initial_learning_rate": 1.0, "decay_steps": 1, "decay_rate": 1.0}})
    >>> float(schedule(1))
    0.5
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret serialized decay: {config}")
    cls = (serialization_lib.find_custom_object(config, custom_objects)
           or _BUILTIN.get(config["class_name"]))
    if cls is None:
        raise ValueError(f"Unknown decay: '{config['class_name']}'. Please ensure you are "
                         "passing the class in `custom_objects`.")
    return cls.from_config(config.get("config") or {})
