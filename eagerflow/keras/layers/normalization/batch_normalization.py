"""`BatchNormalization`: normalizes by the batch's statistics in training and by moving
averages of them at inference."""

import eagerflow as tf
from eagerflow.keras import initializers
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.normalization.gamma_beta import (
    add_gamma_beta, check_axes, compute_dtype, gamma_beta_config, set_gamma_beta_arguments)

_RENORM_CLIPPING_KEYS = ["rmax", "rmin", "dmax"]


class BatchNormalization(Layer):
    """Layer that normalizes its inputs, keeping the mean near 0 and the deviation near 1.

    In training (`training=True` and the layer trainable) the output is
    `gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta` with the batch's moments over
    every axis but `axis`, and the moving statistics move towards them:
    `moving_mean = moving_mean * momentum + mean(x) * (1 - momentum)` (the same for
    `moving_variance`). At inference the moving statistics replace the batch's. As in
    Keras 3, a layer with `trainable = False` always runs in inference mode.

    >>> from eagerflow import keras
    >>> layer = keras.layers.BatchNormalization()
    >>> y = layer(tf.constant([[1.0], [3.0]]), training=True)
    >>> [round(v, 4) for v in y.numpy().ravel().tolist()]
    [-0.9995, 0.9995]
    >>> [round(v, 3) for v in layer.moving_mean.numpy().tolist()]
    [0.02]

    Args:
      axis: the features axis (usually -1, the channels of `channels_last` data).
      momentum: the momentum of the moving averages.
      epsilon: added to the variance to avoid dividing by zero.
      center, scale: whether to learn an offset `beta` and a scale `gamma`.
      beta_initializer, gamma_initializer, moving_mean_initializer,
      moving_variance_initializer: initializers of the four weights.
      beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: optional
        penalties and projections of `beta` and `gamma`.
      renorm: whether to use batch renormalization (Ioffe, 2017), which corrects the
        batch's statistics towards moving ones with factors `r` and `d` in training.
      renorm_clipping: a dict with optional keys "rmax", "rmin", "dmax" clipping `r` to
        `[rmin, rmax]` and `d` to `[-dmax, dmax]`.
      renorm_momentum: the momentum of the moving statistics that renorm corrects towards.
      synchronized: accepted for compatibility; a single device has nothing to synchronize.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.synchronized = synchronized
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        set_gamma_beta_arguments(self, center, scale, beta_initializer, gamma_initializer,
                                 beta_regularizer, gamma_regularizer, beta_constraint,
                                 gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.supports_masking = True
        self.renorm = renorm
        if renorm:
            clipping = renorm_clipping or {}
            if set(clipping) - set(_RENORM_CLIPPING_KEYS):
                raise ValueError(f"Received invalid keys for `renorm_clipping` argument: "
                                 f"{renorm_clipping}. Supported values: "
                                 f"{_RENORM_CLIPPING_KEYS}.")
            rmax, rmin, dmax = (clipping.get(key) for key in _RENORM_CLIPPING_KEYS)
            if rmax is not None and rmin is not None and rmax < rmin:
                raise ValueError(f"rmax should be greater than rmin in the `renorm_clipping` "
                                 f"argument. Received: rmax={rmax}, rmin={rmin}.")
            if dmax is not None and dmax < 0:
                raise ValueError(f"dmax should be non-negative in the `renorm_clipping` "
                                 f"argument. Received: dmax={dmax}.")
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None
        self._reduction_axes = None

    def build(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        shape = (input_shape[self.axis],)
        add_gamma_beta(self, shape, self.scale, self.center)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False, autocast=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False, autocast=False)
        if self.renorm:
            stddev = tf.sqrt(self.moving_variance_initializer(shape, dtype=self.dtype))
            self.moving_stddev = self.add_weight(shape=shape, name="moving_stddev",
                                                 initializer=lambda *_, **__: stddev,
                                                 trainable=False, autocast=False)
            self.renorm_mean = self.add_weight(shape=shape, name="renorm_mean",
                                               initializer=self.moving_mean_initializer,
                                               trainable=False, autocast=False)
            self.renorm_stddev = self.add_weight(shape=shape, name="renorm_stddev",
                                                 initializer=lambda *_, **__: stddev,
                                                 trainable=False, autocast=False)
        self.input_spec = InputSpec(ndim=len(input_shape),
                                    axes={self.axis: input_shape[self.axis]})
        axis = self.axis % len(input_shape)
        self._reduction_axes = [i for i in range(len(input_shape)) if i != axis]

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError(f"The mask provided should be one dimension less than the "
                             f"inputs. Received: mask.shape={tuple(mask.shape)}, "
                             f"inputs.shape={tuple(inputs.shape)}")
        inputs = tf.cast(inputs, compute_dtype(inputs.dtype.name))
        dtype = inputs.dtype
        gamma = tf.cast(self.gamma, dtype) if self.scale else None
        beta = tf.cast(self.beta, dtype) if self.center else None
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            if self.renorm:
                gamma, beta = self._renorm_transform(mean, variance, gamma, beta, dtype)
                self._update_renorm_statistics(mean, variance)
            else:
                self._update_moving(self.moving_mean, mean, self.momentum)
                self._update_moving(self.moving_variance, variance, self.momentum)
        else:
            mean = tf.cast(self.moving_mean, dtype)
            variance = tf.cast(self.moving_variance, dtype)
        if self.axis not in (-1, inputs.shape.rank - 1):
            shape = [1] * inputs.shape.rank
            shape[self.axis] = -1
            mean, variance = tf.reshape(mean, shape), tf.reshape(variance, shape)
            gamma = None if gamma is None else tf.reshape(gamma, shape)
            beta = None if beta is None else tf.reshape(beta, shape)
        outputs = tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, self.epsilon)
        return tf.cast(outputs, self.compute_dtype)

    @staticmethod
    def _update_moving(variable, value, momentum):
        current = tf.cast(variable, value.dtype)
        variable.assign(tf.cast(current * momentum + value * (1.0 - momentum),
                                variable.dtype))

    def _moments(self, inputs, mask):
        """The batch's mean and variance over the reduction axes (unmasked entries only)."""
        if mask is None:
            return tf.nn.moments(inputs, axes=self._reduction_axes)
        mask = tf.broadcast_to(tf.cast(tf.expand_dims(mask, -1), "bool"), tf.shape(inputs))
        axes = self._reduction_axes
        count = tf.reduce_sum(tf.cast(mask, inputs.dtype), axes, keepdims=True) + 1e-7
        mean = tf.reduce_sum(tf.where(mask, inputs, 0.0), axes, keepdims=True) / count
        squares = tf.square(tf.where(mask, inputs - mean, 0.0))
        variance = tf.reduce_sum(squares, axes, keepdims=True) / count
        return tf.squeeze(mean), tf.squeeze(variance)

    def _renorm_transform(self, mean, variance, gamma, beta, dtype):
        """The scale and offset that apply renorm's `x * r + d` correction, then gamma, beta."""
        stddev = tf.sqrt(variance + self.epsilon)
        renorm_mean = tf.cast(self.renorm_mean, dtype)
        renorm_stddev = tf.maximum(tf.cast(self.renorm_stddev, dtype),
                                   tf.sqrt(tf.cast(self.epsilon, dtype)))
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        clipping = self.renorm_clipping or {}
        if clipping.get("rmin") is not None:
            r = tf.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = tf.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = tf.clip_by_value(d, -clipping["dmax"], clipping["dmax"])
        r, d = tf.stop_gradient(r), tf.stop_gradient(d)
        if gamma is not None:
            r, d = r * gamma, d * gamma
        return r, d if beta is None else d + beta

    def _update_renorm_statistics(self, mean, variance):
        stddev = tf.sqrt(variance + self.epsilon)
        self._update_moving(self.renorm_mean, mean, self.renorm_momentum)
        self._update_moving(self.renorm_stddev, stddev, self.renorm_momentum)
        self._update_moving(self.moving_mean, mean, self.momentum)
        self._update_moving(self.moving_stddev, stddev, self.momentum)
        new_stddev = tf.cast(self.moving_stddev, mean.dtype)
        self.moving_variance.assign(tf.cast(
            tf.nn.relu(new_stddev * new_stddev - self.epsilon), self.moving_variance.dtype))

    def compute_output_shape(self, input_shape):
        check_axes(self.axis, input_shape, self.axis)
        return tuple(input_shape)

    def get_config(self):
        gamma_beta = gamma_beta_config(self)
        config = {"axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon}
        for key in ("center", "scale", "beta_initializer", "gamma_initializer"):
            config[key] = gamma_beta.pop(key)
        return {**super().get_config(), **config,
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(
                    self.moving_variance_initializer),
                **gamma_beta, "synchronized": self.synchronized, "renorm": self.renorm,
                "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum}
