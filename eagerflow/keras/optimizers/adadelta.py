"""Adadelta: steps scaled by moving averages of past gradients and past steps."""

import eagerflow as tf
from eagerflow.keras.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """The Adadelta optimizer (Zeiler, 2012).

    Adapts each coordinate's step from a moving window of gradients and of past steps,
    so learning continues after many updates. Zeiler's version needs no learning rate;
    here the step is multiplied by `learning_rate` (1.0 gives the paper's rule). Update
    rule for a variable `w` with gradient `g`; both averages start at 0::

        grad_average = rho * grad_average + (1 - rho) * g ** 2
        delta = -sqrt(delta_average + epsilon) / sqrt(grad_average + epsilon) * g
        delta_average = rho * delta_average + (1 - rho) * delta ** 2
        w = w + learning_rate * delta

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.Adadelta(learning_rate=1.0, rho=0.0, epsilon=1.0)
    >>> opt.apply([tf.constant([1.0, -1.0])], [w])
    >>> [round(x, 6) for x in w.numpy().tolist()]
    [0.292893, 2.707107]

    Args:
      {{learning_rate_arg}}
      rho: the decay rate of both moving averages (default 0.95).
      epsilon: a small constant for numerical stability (default 1e-7).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.accumulated_grads, self.accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        grad_average = self.accumulated_grads[index]
        delta_average = self.accumulated_delta_vars[index]
        rho, epsilon = self.rho, self.epsilon
        grad_average.assign(grad_average.value * rho + tf.square(gradient) * (1 - rho))
        delta = -(tf.sqrt(delta_average.value + epsilon) * gradient
                  / tf.sqrt(grad_average.value + epsilon))
        delta_average.assign(delta_average.value * rho + tf.square(delta) * (1 - rho))
        variable.assign_add(learning_rate * delta)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
