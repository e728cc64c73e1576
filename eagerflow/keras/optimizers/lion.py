"""Lion: sign updates from an interpolated momentum."""

import eagerflow as tf
from eagerflow.keras.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """The Lion optimizer (Chen et al., 2023, "Symbolic Discovery of Optimization
    Algorithms").

    Lion steps by the sign of an interpolation between the momentum and the gradient,
    so every coordinate moves by the learning rate: it keeps one slot instead of Adam's
    two, and usually wants a learning rate 3-10x smaller than AdamW's (and a weight
    decay 3-10x larger). Update rule for a variable `w` with gradient `g`; `m` starts
    at 0::

        w = w - learning_rate * sign(beta_1 * m + (1 - beta_1) * g)
        m = beta_2 * m + (1 - beta_2) * g

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.Lion(learning_rate=0.5)
    >>> opt.apply([tf.constant([4.0, -2.0])], [w])
    >>> w.numpy().tolist()
    [0.5, 2.5]

    Args:
      {{learning_rate_arg}}
      beta_1: the interpolation factor of the step, in (0, 1] (default 0.9).
      beta_2: the decay rate of the momentum (default 0.99).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the "
                             f"optimizer degenerates to SignSGD. Received: beta_1={beta_1}.")

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        m = self.momentums[self._get_variable_index(variable)]
        direction = m.value * self.beta_1 + gradient * (1.0 - self.beta_1)
        variable.assign_sub(learning_rate * tf.sign(direction))
        m.assign(m.value * self.beta_2 + gradient * (1.0 - self.beta_2))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
