"""The base of Adam and its variants (Adamax, Lamb, Nadam): the decay rates `beta_1` and
`beta_2` of the moment estimates, `epsilon`, and the bias corrections `1 - beta ** t`."""

import eagerflow as tf
from eagerflow.keras.optimizers.optimizer import Optimizer


class MomentOptimizer(Optimizer):
    """An optimizer keeping moment estimates decayed by `beta_1` and `beta_2`; a subclass
    writes `build` and `update_step` as for any `Optimizer`."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _bias_correction(self, beta, dtype):
        """`1 - beta ** t` at this step `t` (1 at the first update), in `dtype`: float32
        powers as in Keras, so 1 - 0.999 ** t loses the same digits."""
        step = tf.cast(self.iterations, dtype) + 1.0
        return 1 - tf.pow(tf.cast(beta, dtype), step)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
