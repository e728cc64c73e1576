"""Adagrad: per-coordinate learning rates shrinking with the accumulated squared gradient."""

import eagerflow as tf
from eagerflow.keras import initializers
from eagerflow.keras.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """The Adagrad optimizer (Duchi et al., 2011).

    The more updates a coordinate receives, the smaller its steps. Update rule for a
    variable `w` with gradient `g`; `accumulator` starts at `initial_accumulator_value`::

        accumulator = accumulator + g ** 2
        w = w - learning_rate * g / sqrt(accumulator + epsilon)

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.Adagrad(learning_rate=0.5, initial_accumulator_value=0.0,
    ...                          epsilon=0.0)
    >>> opt.apply([tf.constant([4.0, -2.0])], [w])
    >>> w.numpy().tolist()
    [0.5, 2.5]

    Args:
      {{learning_rate_arg}}
      initial_accumulator_value: the accumulators' starting value, >= 0 (default 0.1).
      epsilon: a small constant for numerical stability (default 1e-7).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.accumulators = self.add_optimizer_variables(
            variables, "accumulator",
            initializer=initializers.Constant(self.initial_accumulator_value))

    def update_step(self, gradient, variable, learning_rate):
        accumulator = self.accumulators[self._get_variable_index(variable)]
        accumulator.assign_add(tf.square(gradient))
        variable.assign_sub(learning_rate * gradient
                            / tf.sqrt(accumulator.value + self.epsilon))

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
