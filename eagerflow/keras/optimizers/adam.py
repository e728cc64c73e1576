"""Adam: adaptive moment estimation."""

import eagerflow as tf
from eagerflow.ops import training_ops
from eagerflow.keras.optimizers.moment_optimizer import MomentOptimizer


class Adam(MomentOptimizer):
    """The Adam optimizer (Kingma & Ba, 2014).

    Update rule at step `t` (1 at the first update) for a variable `w` with gradient
    `g`; `m` and `v` start at 0::

        m = m + (g - m) * (1 - beta_1)
        v = v + (g ** 2 - v) * (1 - beta_2)
        if amsgrad:
            v_hat = max(v_hat, v)
            v = v_hat                      # in the next line only
        alpha = learning_rate * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        w = w - alpha * m / (sqrt(v) + epsilon)

    `epsilon` is added to `sqrt(v)` before the bias correction, as in the paper's
    "epsilon hat".

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.Adam(learning_rate=0.5, epsilon=0.0)
    >>> opt.apply([tf.constant([3.0, -0.25])], [w])
    >>> [round(x, 4) for x in w.numpy().tolist()]
    [0.5, 2.5]

    Args:
      {{learning_rate_arg}}
      {{moment_args}}
      amsgrad: use the AMSGrad variant, which divides by the largest `v` so far
        (default False).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, name=name, **kwargs)
        self.amsgrad = amsgrad

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums, self.velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"])
        if self.amsgrad:
            self.velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        alpha = self._step_value(("alpha", variable.dtype),
                                 lambda: self._alpha(learning_rate, variable.dtype))
        training_ops.apply_adam(variable, self.momentums[index], self.velocities[index], alpha,
                                self.beta_1, self.beta_2, self.epsilon, gradient,
                                vhat=self.velocity_hats[index] if self.amsgrad else None)

    def _alpha(self, learning_rate, dtype):
        return (learning_rate * tf.sqrt(self._bias_correction(self.beta_2, dtype))
                / self._bias_correction(self.beta_1, dtype))

    def get_config(self):
        return {**super().get_config(), "amsgrad": self.amsgrad}
