"""Adafactor: Adam-like steps from factored (row and column) second moments."""

import eagerflow as tf
from eagerflow.keras.optimizers.optimizer import Optimizer


def _rms(x):
    return tf.sqrt(tf.reduce_mean(tf.square(x)))


class Adafactor(Optimizer):
    """The Adafactor optimizer (Shazeer & Stern, 2018).

    For a variable of rank 2 or more it keeps only running means of the squared gradient
    over its last axis (`r`) and over its second-to-last axis (`c`), whose outer product
    (scaled by the mean of `r`) stands for the full second moment `v`; lower ranks keep
    `v`. Update rule at step `t` (1 at the first update) for a variable `w` with gradient
    `g`; `r`, `c` and `v` start at 0::

        rho = min(learning_rate, 1 / sqrt(t))
        alpha = max(epsilon_2, rms(w)) * rho
        beta_2 = 1 - t ** beta_2_decay
        r = beta_2 * r + (1 - beta_2) * mean(g ** 2 + epsilon_1, axis=-1)
        c = beta_2 * c + (1 - beta_2) * mean(g ** 2 + epsilon_1, axis=-2)
        v = r / mean(r, axis=-1)  (outer product)  c
        u = g / sqrt(v)
        w = w - alpha * u / max(1, rms(u) / clip_threshold)

    With `relative_step=True` the learning rate is first capped at `1 / sqrt(t)`.

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([3.0, -4.0])
    >>> opt = optimizers.Adafactor(learning_rate=0.5)
    >>> opt.apply([tf.constant([1.0, -2.0])], [w])
    >>> [round(x, 4) for x in w.numpy().tolist()]
    [1.2322, -2.2322]

    Args:
      {{learning_rate_arg}}
      beta_2_decay: the exponent of the second-moment decay schedule (default -0.8).
      epsilon_1: added to the squared gradients (default 1e-30).
      epsilon_2: the smallest variable scale the step is relative to (default 1e-3).
      clip_threshold: the largest root mean square of an unscaled update (default 1.0).
      relative_step: whether to cap the learning rate at `1 / sqrt(t)` (default True).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30,
                 epsilon_2=1e-3, clip_threshold=1.0, relative_step=True, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        # As Keras: every variable gets `r`, `c` (scalars below rank 2; both named by
        # the variable's path) and a full-shaped `velocity`, used only below rank 2.
        self._rows, self._columns, self._velocities = [], [], []
        for variable in variables:
            shape = tuple(variable.shape)
            path = str(getattr(variable, "path", None) or variable.name).replace(":", "_")
            path = path.replace("/", "_")
            dtype = variable.dtype.name
            factored = len(shape) >= 2
            self._rows.append(self.add_variable(shape[:-1] if factored else (),
                                                dtype=dtype, name=path))
            self._columns.append(self.add_variable(
                shape[:-2] + shape[-1:] if factored else (), dtype=dtype, name=path))
            self._velocities.append(self.add_variable_from_reference(variable, "velocity"))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        dtype = variable.dtype
        step = tf.cast(self.iterations, dtype) + 1.0
        if self.relative_step:
            learning_rate = tf.minimum(learning_rate, 1.0 / tf.sqrt(step))
        rho = tf.minimum(learning_rate, 1.0 / tf.sqrt(step))
        alpha = tf.maximum(tf.cast(self.epsilon_2, dtype), _rms(variable)) * rho
        beta_2 = 1.0 - tf.pow(step, tf.cast(self.beta_2_decay, dtype))
        squared = tf.square(gradient) + tf.cast(self.epsilon_1, dtype)
        if len(variable.shape) < 2:
            velocity = self._velocities[index]
            velocity.assign(beta_2 * velocity.value + (1.0 - beta_2) * squared)
            second_moment = velocity.value
        else:
            rows, columns = self._rows[index], self._columns[index]
            rows.assign(beta_2 * rows.value +
                        (1.0 - beta_2) * tf.reduce_mean(squared, axis=-1))
            columns.assign(beta_2 * columns.value +
                           (1.0 - beta_2) * tf.reduce_mean(squared, axis=-2))
            row_factor = rows.value / tf.reduce_mean(rows.value, axis=-1, keepdims=True)
            second_moment = tf.expand_dims(row_factor, -1) * tf.expand_dims(columns.value, -2)
        update = gradient / tf.sqrt(second_moment)
        update = update / tf.maximum(1.0, _rms(update) / self.clip_threshold)
        variable.assign_sub(alpha * update)

    def get_config(self):
        return {**super().get_config(), "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1, "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold, "relative_step": self.relative_step}
