"""Lamb: Adam steps rescaled layer by layer by the weight-to-step norm ratio."""

import eagerflow as tf
from eagerflow.keras.optimizers.moment_optimizer import MomentOptimizer


class Lamb(MomentOptimizer):
    """The Lamb optimizer (You et al., 2019).

    Adam's step, rescaled per variable by the ratio of the variable's norm to the
    step's norm; this keeps large-batch training stable. Update rule at step `t` (1 at
    the first update) for a variable `w` with gradient `g`; `m` and `v` start at 0::

        m = m + (g - m) * (1 - beta_1)
        v = v + (g ** 2 - v) * (1 - beta_2)
        step = (m / (1 - beta_1 ** t)) / (sqrt(v / (1 - beta_2 ** t)) + epsilon)
        ratio = norm(w) / norm(step)      # 1 when either norm is 0
        w = w - ratio * learning_rate * step

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([3.0, 4.0])
    >>> opt = optimizers.Lamb(learning_rate=0.5, epsilon=0.0)
    >>> opt.apply([tf.constant([1.0, -1.0])], [w])
    >>> [round(x, 5) for x in w.numpy().tolist()]
    [1.23223, 5.76777]

    Args:
      {{learning_rate_arg}}
      {{moment_args}}
      {{base_optimizer_keyword_args}}
    """

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums, self.velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self.momentums[index], self.velocities[index]
        m_correction, v_correction = self._step_value(
            ("corrections", variable.dtype),
            lambda: (self._bias_correction(self.beta_1, variable.dtype),
                     self._bias_correction(self.beta_2, variable.dtype)))
        m.assign_add((gradient - m.value) * (1 - self.beta_1))
        v.assign_add((tf.square(gradient) - v.value) * (1 - self.beta_2))
        update = (m.value / m_correction) / (tf.sqrt(v.value / v_correction) + self.epsilon)
        w_norm = tf.sqrt(tf.reduce_sum(tf.square(variable.read_value())))
        update_norm = tf.sqrt(tf.reduce_sum(tf.square(update)))
        one = tf.ones_like(w_norm)
        ratio = tf.where(w_norm > 0.0, tf.where(update_norm > 0.0, w_norm / update_norm, one),
                         one)
        variable.assign_sub(update * (ratio * learning_rate))
