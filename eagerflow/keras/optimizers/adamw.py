"""AdamW: Adam with decoupled weight decay."""

from eagerflow.keras.optimizers.adam import Adam


class AdamW(Adam):
    """The AdamW optimizer (Loshchilov & Hutter, 2019): Adam with decoupled weight decay.

    Update rule at step `t` (1 at the first update) for a variable `w` with gradient
    `g`; the decay comes first and does not pass through the moments::

        w = w - w * weight_decay * learning_rate
        m = m + (g - m) * (1 - beta_1)
        v = v + (g ** 2 - v) * (1 - beta_2)
        if amsgrad:
            v_hat = max(v_hat, v)
            v = v_hat                      # in the next line only
        alpha = learning_rate * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        w = w - alpha * m / (sqrt(v) + epsilon)

    >>> from eagerflow.keras import optimizers
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = optimizers.AdamW(learning_rate=0.5, weight_decay=0.5, epsilon=0.0)
    >>> opt.apply([tf.constant([3.0, -0.25])], [w])
    >>> [round(x, 4) for x in w.numpy().tolist()]
    [0.25, 2.0]

    Args:
      {{learning_rate_arg}}
      weight_decay: the decay factor (default 0.004).
      {{moment_args}}
      amsgrad: use the AMSGrad variant (default False).
      {{base_optimizer_keyword_args}}
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, name=name,
                         weight_decay=weight_decay, **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: "
                             "weight_decay=None")
