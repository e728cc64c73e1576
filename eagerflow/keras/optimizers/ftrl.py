"""FTRL-Proximal: follow the regularized leader, for large sparse linear models."""

import eagerflow as tf
from eagerflow.keras import initializers
from eagerflow.keras.optimizers.optimizer import Optimizer


class Ftrl(Optimizer):
    """The FTRL-Proximal optimizer (McMahan et al., 2013).

    "Follow The Regularized Leader", made for click-through-rate prediction: shallow
    models with large, sparse feature spaces. It supports online L1 and L2
    regularization (the paper's) and shrinkage-type L2 regularization (an L2 penalty
    added to the loss). Update rule for a variable `w` with gradient `g`, with
    `lr_power = learning_rate_power`; `n` starts at `initial_accumulator_value` and `z`
    at 0::

        g_shrunk = g + 2 * l2_shrinkage_regularization_strength * w
        n_new = n + g ** 2
        z = z + g_shrunk - (n_new ** -lr_power - n ** -lr_power) / learning_rate * w
        n = n_new
        quadratic = n ** -lr_power / learning_rate + 2 * (l2_regularization_strength
                                                          + beta / (2 * learning_rate))
        w = (clip(z, -l1, l1) - z) / quadratic     # 0 where |z| <= l1

    where `l1 = l1_regularization_strength`.

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.Ftrl(learning_rate=0.5, initial_accumulator_value=0.0)
    >>> opt.apply([tf.constant([4.0, -2.0])], [w])
    >>> w.numpy().tolist()
    [0.5, 2.5]

    Args:
      {{learning_rate_arg}}
      learning_rate_power: a float <= 0: how the step size falls as `n` grows; 0 keeps a
        fixed learning rate (default -0.5).
      initial_accumulator_value: the starting value of `n`, >= 0 (default 0.1).
      l1_regularization_strength: a float >= 0 (default 0.0).
      l2_regularization_strength: a float >= 0, the paper's stabilization penalty
        (default 0.0).
      l2_shrinkage_regularization_strength: a float >= 0, an L2 penalty on the weights
        that acts like adding it to the loss (default 0.0).
      beta: a float, the paper's beta (default 0.0).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if initial_accumulator_value < 0.0:
            raise ValueError("`initial_accumulator_value` needs to be positive or zero. "
                             f"Received: initial_accumulator_value={initial_accumulator_value}.")
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` needs to be negative or zero. Received: "
                             f"learning_rate_power={learning_rate_power}.")
        for argument, value in (
                ("l1_regularization_strength", l1_regularization_strength),
                ("l2_regularization_strength", l2_regularization_strength),
                ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            if value < 0.0:
                raise ValueError(f"`{argument}` needs to be positive or zero. Received: "
                                 f"{argument}={value}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.accumulators, self.linears = self.add_optimizer_variables(
            variables, ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        accumulator, linear = self.accumulators[index], self.linears[index]
        power = -float(self.learning_rate_power)
        l1 = float(self.l1_regularization_strength)
        two_l2 = self._step_value(("two_l2", variable.dtype), lambda: 2 * (
            self.l2_regularization_strength + self.beta / (2.0 * learning_rate)))
        w = variable.read_value()
        shrunk = gradient + w * (2 * float(self.l2_shrinkage_regularization_strength))
        new_accumulator = accumulator.value + tf.square(gradient)
        new_scale = tf.pow(new_accumulator, power)
        linear.assign_add(shrunk - (new_scale - tf.pow(accumulator.value, power))
                          / learning_rate * w)
        quadratic = new_scale / learning_rate + two_l2
        clipped = tf.minimum(tf.maximum(linear.value, -l1), l1)
        variable.assign((clipped - linear.value) / quadratic)
        accumulator.assign(new_accumulator)

    def get_config(self):
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength":
                    self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
