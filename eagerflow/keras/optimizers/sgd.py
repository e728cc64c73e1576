"""Stochastic gradient descent, with momentum and Nesterov momentum."""

from eagerflow.ops import training_ops
from eagerflow.keras.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    Update rule for a variable `w` with gradient `g`::

        # momentum == 0
        w = w - learning_rate * g
        # momentum > 0
        velocity = momentum * velocity - learning_rate * g
        w = w + velocity                                    # nesterov=False
        w = w + momentum * velocity - learning_rate * g     # nesterov=True

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.SGD(learning_rate=0.5, momentum=0.5)
    >>> for _ in range(2):
    ...     opt.apply([tf.constant([1.0, -1.0])], [w])
    >>> w.numpy().tolist()
    [-0.25, 3.25]

    Args:
      learning_rate: a float, a `LearningRateSchedule`, or a callable without arguments
        returning the rate (default 0.01).
      momentum: a float in [0, 1] that accelerates descent along consistent directions
        and dampens oscillations; 0 is plain gradient descent (default 0.0).
      nesterov: whether to use Nesterov momentum (default False).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = (self.add_optimizer_variables(variables, "momentum")
                          if self.momentum != 0 else [])

    def update_step(self, gradient, variable, learning_rate):
        if self.momentum == 0:
            training_ops.apply_gradient_descent(variable, learning_rate, gradient)
            return
        training_ops.apply_keras_momentum(variable, self.momentums[self._get_variable_index(
            variable)], learning_rate, gradient, self.momentum, use_nesterov=self.nesterov)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
