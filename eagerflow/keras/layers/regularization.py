"""Layers that regularize: `Dropout` and its spatial forms, `GaussianNoise`,
`GaussianDropout`, `AlphaDropout` (all active in training only), and
`ActivityRegularization` (a penalty on the activations)."""

import math

import eagerflow as tf
from eagerflow.keras import backend, regularizers
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer

# SELU's constants: AlphaDropout drops to SELU's negative saturation value.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _check_fraction(value, argument):
    if not 0 <= value <= 1:
        raise ValueError(f"Invalid value received for argument `{argument}`. Expected a "
                         f"float value between 0 and 1. Received: {argument}={value}")


def _concrete_noise_shape(inputs, noise_shape):
    """`noise_shape` with its None entries taken from `inputs`' shape."""
    if noise_shape is None:
        return tuple(inputs.shape)
    return tuple(inputs.shape[i] if d is None else d for i, d in enumerate(noise_shape))


class _TrainingNoise(Layer):
    """The base of the layers that perturb their inputs in training only: at inference,
    or while the amount named by `_amount_argument` is 0, the inputs pass unchanged. A
    subclass writes `_perturb(inputs)`; shapes and masks pass through."""

    _amount_argument = "rate"

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or getattr(self, self._amount_argument) == 0:
            return inputs
        return self._perturb(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class Dropout(_TrainingNoise):
    """Sets inputs to 0 with probability `rate` during training, scaling the rest by
    `1 / (1 - rate)`; does nothing at inference.

    >>> from eagerflow import keras
    >>> keras.layers.Dropout(0.5)(tf.ones((2, 2))).numpy().tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_fraction(rate, "rate")
        self.rate = rate
        self.noise_shape = noise_shape

    def _perturb(self, inputs):
        noise_shape = self.noise_shape
        if noise_shape is not None:
            noise_shape = list(_concrete_noise_shape(inputs, noise_shape))
        return tf.nn.dropout(inputs, rate=self.rate, noise_shape=noise_shape, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}


class _SpatialDropout(Dropout):
    """Dropout of whole feature maps: one keep/drop draw per example and channel."""

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)

    def _perturb(self, inputs):
        return tf.nn.dropout(inputs, rate=self.rate, noise_shape=self._noise_shape(inputs),
                             seed=self.seed)

    def get_config(self):
        # Keras writes only these four, with the dtype as a plain name.
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


class SpatialDropout1D(_SpatialDropout):
    """Spatial 1D dropout: drops whole channels of `(batch, steps, channels)` inputs
    (Tompson et al., 2014), for strongly correlated neighbouring frames."""

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=3)

    def _noise_shape(self, inputs):
        return [inputs.shape[0], 1, inputs.shape[2]]


class _SpatialDropoutND(_SpatialDropout):
    """Spatial dropout of images (rank 4) or volumes (rank 5), in either data format."""

    _rank = None

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=self._rank)

    def _noise_shape(self, inputs):
        ones = [1] * (self._rank - 2)
        batch = inputs.shape[0]
        if self.data_format == "channels_first":
            return [batch, inputs.shape[1]] + ones
        return [batch] + ones + [inputs.shape[-1]]

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


def _data_format(data_format):
    data_format = backend.image_data_format() if data_format is None else data_format.lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"The `data_format` argument must be one of {{'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format}")
    return data_format


class SpatialDropout2D(_SpatialDropoutND):
    """Spatial 2D dropout: drops whole feature maps of images (`(batch, rows, cols,
    channels)`, or channels first) (Tompson et al., 2014)."""

    _rank = 4


class SpatialDropout3D(_SpatialDropoutND):
    """Spatial 3D dropout: drops whole feature maps of volumes (`(batch, dim1, dim2,
    dim3, channels)`, or channels first) (Tompson et al., 2014)."""

    _rank = 5


class GaussianNoise(_TrainingNoise):
    """Adds zero-centred Gaussian noise of standard deviation `stddev` in training.

    >>> from eagerflow import keras
    >>> keras.layers.GaussianNoise(0.1)(tf.ones((1, 2))).numpy().tolist()
    [[1.0, 1.0]]
    """

    _amount_argument = "stddev"

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_fraction(stddev, "stddev")
        self.stddev = stddev

    def _perturb(self, inputs):
        return inputs + tf.random.normal(tf.shape(inputs), stddev=self.stddev,
                                         dtype=inputs.dtype, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(_TrainingNoise):
    """Multiplies the inputs by Gaussian noise of mean 1 and standard deviation
    `sqrt(rate / (1 - rate))` in training.

    >>> from eagerflow import keras
    >>> keras.layers.GaussianDropout(0.2)(tf.ones((1, 2))).numpy().tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_fraction(rate, "rate")
        self.rate = rate

    def _perturb(self, inputs):
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        return inputs * tf.random.normal(tf.shape(inputs), mean=1.0, stddev=stddev,
                                         dtype=inputs.dtype, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class AlphaDropout(_TrainingNoise):
    """Dropout that keeps the inputs' mean and variance, for SELU networks
    (Klambauer et al., 2017): in training, dropped entries are set to SELU's negative
    saturation value and the result is affinely rescaled.

    >>> from eagerflow import keras
    >>> keras.layers.AlphaDropout(0.2)(tf.ones((1, 2))).numpy().tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_fraction(rate, "rate")
        self.rate = rate
        self.noise_shape = noise_shape

    def _perturb(self, inputs):
        noise_shape = _concrete_noise_shape(inputs, self.noise_shape)
        kept = tf.cast(tf.random.uniform(noise_shape, seed=self.seed) >= self.rate,
                       inputs.dtype)
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * kept + alpha_p * (1 - kept)) + b

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}


class ActivityRegularization(Layer):
    """Passes its inputs through and adds `l1 * sum(|x|) + l2 * sum(x ** 2)`, divided by
    the batch size, to `losses`.

    >>> from eagerflow import keras
    >>> layer = keras.layers.ActivityRegularization(l2=0.5)
    >>> _ = layer(tf.constant([[1.0, 2.0]]))
    >>> float(layer.losses[0])
    2.5
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
