"""RMSprop: the gradient divided by a moving average of its recent magnitude."""

from eagerflow.ops import training_ops
from eagerflow.keras.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """The RMSprop optimizer.

    Update rule for a variable `w` with gradient `g`::

        velocity = rho * velocity + (1 - rho) * g ** 2
        if centered:
            average = rho * average + (1 - rho) * g
            denominator = velocity - average ** 2 + epsilon
        else:
            denominator = velocity + epsilon
        increment = learning_rate * g / sqrt(denominator)
        if momentum > 0:
            buffer = momentum * buffer + increment
            w = w - buffer
        else:
            w = w - increment

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.RMSprop(learning_rate=0.5, rho=0.75, epsilon=0.0)
    >>> opt.apply([tf.constant([1.0, -1.0])], [w])
    >>> w.numpy().tolist()
    [0.0, 3.0]

    Args:
      {{learning_rate_arg}}
      rho: the discount factor of the moving averages (default 0.9).
      momentum: the momentum of the increments; 0 for none (default 0.0).
      epsilon: a small constant added to the denominator's square, for numerical
        stability (default 1e-7).
      centered: divide by an estimate of the gradient's variance instead of its second
        moment; can help training, costs a slot per variable (default False).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.velocities = self.add_optimizer_variables(variables, "velocity")
        self.momentums = (self.add_optimizer_variables(variables, "momentum")
                          if self.momentum > 0 else [])
        self.average_gradients = (self.add_optimizer_variables(variables, "average_gradient")
                                  if self.centered else [])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        training_ops.apply_rms_prop(
            variable, self.velocities[index],
            self.momentums[index] if self.momentum > 0 else None, learning_rate, self.rho,
            self.momentum, self.epsilon, gradient,
            mg=self.average_gradients[index] if self.centered else None)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
