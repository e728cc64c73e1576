"""The rectifier layers `ReLU`, `LeakyReLU`, `PReLU` (a learned slope) and `ELU`."""

import warnings

from eagerflow.keras import activations, constraints, initializers, regularizers
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer


def _check_not_negative(layer, argument, value, allow_none=False):
    if (value is None and not allow_none) or (value is not None and value < 0.0):
        raise ValueError(f"{argument} of a {layer} layer cannot be None or a negative value. "
                         f"Received: {argument}={value}")


class _ElementwiseActivation(Layer):
    """An argument-only activation: passes masks on, has no weights, keeps the shape."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class ReLU(_ElementwiseActivation):
    """Rectified linear unit: `max_value` above it, `x` from `threshold` up, and
    `negative_slope * (x - threshold)` below the threshold.

    >>> from eagerflow import keras
    >>> keras.layers.ReLU(max_value=2.0)(tf.constant([-1.0, 1.0, 3.0])).numpy().tolist()
    [0.0, 1.0, 2.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"max_value of a ReLU layer cannot be a negative value. "
                             f"Received: max_value={max_value}")
        _check_not_negative("ReLU", "negative_slope", negative_slope)
        _check_not_negative("ReLU", "threshold", threshold)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class LeakyReLU(_ElementwiseActivation):
    """Leaky rectifier: `x` for `x > 0`, `negative_slope * x` otherwise (Keras 3's
    default slope is 0.3; the old argument name `alpha` still works, with a warning).

    >>> from eagerflow import keras
    >>> [round(v, 2) for v in keras.layers.LeakyReLU()(tf.constant([-1.0, 2.0])).numpy().tolist()]
    [-0.3, 2.0]
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"The negative_slope value of a Leaky ReLU layer cannot be None "
                             f"or negative value. Expected a float. Received: "
                             f"negative_slope={negative_slope}")
        self.negative_slope = negative_slope

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ELU(_ElementwiseActivation):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    >>> from eagerflow import keras
    >>> [round(v, 4) for v in keras.layers.ELU()(tf.constant([-1.0, 2.0])).numpy().tolist()]
    [-0.6321, 2.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)


class PReLU(Layer):
    """Parametric rectifier: `x` for `x >= 0`, `alpha * x` otherwise, with `alpha` a weight
    shaped like one example (size 1 along `shared_axes`).

    >>> from eagerflow import keras
    >>> layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.5))
    >>> layer(tf.constant([[-2.0, 2.0]])).numpy().tolist()
    [[-1.0, 2.0]]

    Args:
      alpha_initializer, alpha_regularizer, alpha_constraint: for the `alpha` weight.
      shared_axes: axes (counting the batch axis as 0) along which one slope is shared,
        e.g. `[1, 2]` for one slope per channel of images.
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        alpha_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            alpha_shape[axis - 1] = 1
        self.alpha = self.add_weight(name="alpha", shape=tuple(alpha_shape),
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {axis: input_shape[axis] for axis in range(1, len(input_shape))
                if self.shared_axes and axis not in self.shared_axes}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        return activations.relu(inputs) - self.alpha * activations.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(),
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes}
