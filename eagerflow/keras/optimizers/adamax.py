"""Adamax: Adam with the infinity norm in place of the second moment."""

import eagerflow as tf
from eagerflow.keras.optimizers.moment_optimizer import MomentOptimizer


class Adamax(MomentOptimizer):
    """The Adamax optimizer (Kingma & Ba, 2014, section 7.1).

    A variant of Adam based on the infinity norm, suited to time-varying processes such
    as speech with changing noise. Update rule at step `t` (1 at the first update) for a
    variable `w` with gradient `g`; `m` and `u` start at 0::

        m = m + (g - m) * (1 - beta_1)
        u = max(beta_2 * u, abs(g))
        w = w - learning_rate * m / ((1 - beta_1 ** t) * (u + epsilon))

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.Adamax(learning_rate=0.5, epsilon=0.0)
    >>> opt.apply([tf.constant([4.0, -2.0])], [w])
    >>> [round(x, 6) for x in w.numpy().tolist()]
    [0.5, 2.5]

    Args:
      {{learning_rate_arg}}
      beta_1: the decay rate of the first-moment estimate `m` (default 0.9).
      beta_2: the decay rate of the infinity norm `u` (default 0.999).
      epsilon: a small constant for numerical stability (default 1e-7).
      {{base_optimizer_keyword_args}}
    """

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums, self.norms = self.add_optimizer_variables(
            variables, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, u = self.momentums[index], self.norms[index]
        correction = self._step_value(
            ("correction", variable.dtype),
            lambda: self._bias_correction(self.beta_1, variable.dtype))
        m.assign_add((gradient - m.value) * (1 - self.beta_1))
        u.assign(tf.maximum(u.value * self.beta_2, tf.abs(gradient)))
        variable.assign_sub(learning_rate * m.value / (correction * (u.value + self.epsilon)))
