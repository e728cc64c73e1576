"""Nadam: Adam with Nesterov momentum."""

import eagerflow as tf
from eagerflow.keras.optimizers.moment_optimizer import MomentOptimizer


class Nadam(MomentOptimizer):
    """The Nadam optimizer (Dozat, 2015): Adam with Nesterov momentum.

    Much as Adam is RMSprop with momentum, Nadam is Adam with Nesterov momentum, using
    a momentum schedule `mu_t = beta_1 * (1 - 0.5 * 0.96 ** t)`. Update rule at step `t`
    (1 at the first update) for a variable `w` with gradient `g`; `m` and `v` start at 0
    and `mu_product` (shared by all variables) at 1::

        mu_product = mu_product * mu_t                      (once per step)
        m = m + (g - m) * (1 - beta_1)
        v = v + (g ** 2 - v) * (1 - beta_2)
        m_hat = (mu_{t+1} * m / (1 - mu_product * mu_{t+1})
                 + (1 - mu_t) * g / (1 - mu_product))
        v_hat = v / (1 - beta_2 ** t)
        w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.Nadam(learning_rate=0.5, epsilon=0.0)
    >>> opt.apply([tf.constant([4.0, -2.0])], [w])
    >>> [round(x, 6) for x in w.numpy().tolist()]
    [0.468606, 2.531394]

    Args:
      {{learning_rate_arg}}
      {{moment_args}}
      {{base_optimizer_keyword_args}}
    """

    def build(self, variables):
        if self.built:
            return
        dtype = variables[0].dtype.name if variables else None
        super().build(variables)
        self.momentums, self.velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"])
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype)

    def _update_variables(self, grads, variables, learning_rate):
        step = tf.cast(self.iterations, self._u_product.dtype) + 1.0
        self._u_product.assign(
            self._u_product.value * self.beta_1 * (1.0 - 0.5 * tf.pow(0.96, step)))
        super()._update_variables(grads, variables, learning_rate)

    def _coefficients(self, dtype):
        """This step's scalars, in float32 like Keras's."""
        step = tf.cast(self.iterations, dtype) + 1.0
        decay = tf.constant(0.96, dtype)
        beta_1 = tf.cast(self.beta_1, dtype)
        beta_2 = tf.cast(self.beta_2, dtype)
        u_t = beta_1 * (1.0 - 0.5 * tf.pow(decay, step))
        u_next = beta_1 * (1.0 - 0.5 * tf.pow(decay, step + 1.0))
        u_product = tf.cast(self._u_product, dtype)
        return (u_next, 1 - u_product * u_next, 1 - u_t, 1 - u_product, 1 - beta_1,
                1 - beta_2, 1 - tf.pow(beta_2, step))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self.momentums[index], self.velocities[index]
        (u_next, m_scale, one_minus_u_t, gradient_scale, one_minus_beta_1, one_minus_beta_2,
         v_scale) = self._step_value(("coefficients", variable.dtype),
                                     lambda: self._coefficients(variable.dtype))
        m.assign_add((gradient - m.value) * one_minus_beta_1)
        v.assign_add((tf.square(gradient) - v.value) * one_minus_beta_2)
        m_hat = u_next * m.value / m_scale + one_minus_u_t * gradient / gradient_scale
        v_hat = v.value / v_scale
        variable.assign_sub(m_hat * learning_rate / (tf.sqrt(v_hat) + self.epsilon))
