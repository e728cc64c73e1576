"""`Normalization`: features shifted and scaled to mean 0 and variance 1."""

import itertools
import math

import numpy as np

import eagerflow as tf
from eagerflow.data import Dataset
from eagerflow.keras import backend
from eagerflow.keras.layers.layer import Layer


def _features(batch):
    """The features of a batch that may be an `(x, y)` tuple."""
    return batch[0] if isinstance(batch, tuple) else batch


class Normalization(Layer):
    """Normalizes inputs per feature: `(x - mean) / sqrt(variance)` (or the inverse).

    `axis` names the axes that keep their own statistics (default the last; None for one
    mean over everything). Give `mean` and `variance`, or call `adapt` on an array, a
    tensor, a `tf.data.Dataset` or an iterable of batches to compute them.

    >>> from eagerflow import keras
    >>> layer = keras.layers.Normalization()
    >>> layer.adapt(np.array([[1.0], [3.0]], "float32"))
    >>> layer(np.array([[1.0], [2.0]], "float32")).numpy().tolist()
    [[-1.0], [0.0]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        self.axis = tuple(axis)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        self._given_statistics = None
        if (mean is not None) != (variance is not None):
            raise ValueError(f"When setting values directly, both `mean` and `variance` must "
                             f"be set. Received: mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(f"When setting values directly, `mean` and `variance` must "
                                 f"have the same shape. Received: mean shape "
                                 f"{np.shape(mean)} and variance shape {np.shape(variance)}")
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(f"The rank of `mean` must be less than or equal to the "
                                 f"number of axes ({len(self.axis)}). Received: mean shape "
                                 f"{np.shape(mean)} for axis {self.axis}")

    def build(self, input_shape):
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        self._build_input_shape = input_shape
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"All `axis` values must be in the range [-ndim, ndim). Received "
                             f"inputs with ndim={ndim}, while axis={self.axis}")
        self._keep_axis = tuple(sorted(d % ndim for d in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(f"All `axis` values to be kept must have a known shape. "
                                 f"Received axis={self.axis}, inputs.shape={input_shape}, "
                                 f"with unknown axis at index {d}")
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1
                                 for d in range(ndim)]
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._mean_and_var_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance",
                                                  shape=self._mean_and_var_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64",
                                         initializer="zeros", trainable=False)
        else:
            self._given_statistics = (self._broadcast_statistic(self.input_mean),
                                      self._broadcast_statistic(self.input_variance))

    @property
    def mean(self):
        """The mean, broadcastable against the inputs (None before the layer is built)."""
        return self._statistic(0)

    @property
    def variance(self):
        """The variance, broadcastable against the inputs (None before the layer is built)."""
        return self._statistic(1)

    def _statistic(self, which):
        # Read from the weights on each use, so that loaded or assigned weights count.
        if self._given_statistics is not None:
            return self._given_statistics[which]
        if self._build_input_shape is None:
            return None
        weight = (self.adapt_mean, self.adapt_variance)[which]
        return tf.cast(tf.reshape(weight, self._broadcast_shape), self.compute_dtype)

    def _broadcast_statistic(self, value):
        """A given mean or variance, its trailing axes matched to the kept axes."""
        value = tf.convert_to_tensor(value)
        expanded = [1] * len(self._broadcast_shape)
        for i in range(1, value.shape.rank + 1):
            expanded[self._keep_axis[-i]] = value.shape[-i]
        value = tf.broadcast_to(tf.reshape(value, expanded), self._broadcast_shape)
        return tf.cast(value, self.compute_dtype)

    def adapt(self, data):
        """Computes the mean and variance of `data` over the axes not kept."""
        batches = None
        if isinstance(data, np.ndarray) or tf.is_tensor(data):
            input_shape = tuple(data.shape)
        elif isinstance(data, Dataset):
            spec = _features(data.element_spec)
            if len(spec.shape) == 1:
                data = data.batch(128)
                spec = _features(data.element_spec)
            input_shape, batches = tuple(spec.shape), data
        elif hasattr(data, "__iter__"):
            iterator = iter(data)
            first = next(iterator, None)
            if first is None:
                raise ValueError("adapt() received an empty iterable (no batches). Expected "
                                 "at least one batch. Pass a non-empty iterable of arrays or "
                                 "tensors, e.g. layer.adapt([x]) or "
                                 "layer.adapt(list_of_batches).")
            first = _features(first)
            if not hasattr(first, "shape"):
                raise TypeError(f"adapt() expects an iterable that yields arrays or tensors "
                                f"with a `.shape` attribute (e.g. numpy arrays or backend "
                                f"tensors). Got an element of type {type(first).__name__}. "
                                f"Ensure each yielded element is array-like with a `.shape` "
                                f"attribute.")
            input_shape, batches = tuple(first.shape), itertools.chain([first], iterator)
        else:
            raise TypeError(f"Unsupported data type: {type(data)}. `adapt` supports "
                            f"`np.ndarray`, backend tensors, `tf.data.Dataset`, "
                            f"`keras.utils.PyDataset`, and iterables of batches (e.g. list, "
                            f"generator).")
        if not self.built:
            self.build(input_shape)
        else:
            for d in self._keep_axis:
                if input_shape[d] != self._build_input_shape[d]:
                    raise ValueError(f"The layer was built with "
                                     f"input_shape={self._build_input_shape}, but adapt() is "
                                     f"being called with data with an incompatible shape, "
                                     f"data.shape={input_shape}")
        if batches is None:
            array = np.asarray(data)
            mean, variance = (np.mean(array, axis=self._reduce_axis),
                              np.var(array, axis=self._reduce_axis))
        else:
            mean, variance = self._running_moments(batches)
        self.adapt_mean.assign(np.asarray(mean, self.compute_dtype))
        self.adapt_variance.assign(np.asarray(variance, self.compute_dtype))
        self.finalize_state()

    def _running_moments(self, batches):
        """Mean and variance over batches, each batch's moments merged by its weight."""
        mean = np.zeros(self._mean_and_var_shape, self.compute_dtype)
        variance = np.zeros(self._mean_and_var_shape, self.compute_dtype)
        total = 0
        for batch in batches:
            batch = np.asarray(_features(batch), self.compute_dtype)
            for d in self._keep_axis:
                if batch.shape[d] != self._build_input_shape[d]:
                    raise ValueError(f"adapt() yielded a batch with incompatible shape. "
                                     f"Expected {self._build_input_shape}, got "
                                     f"{tuple(batch.shape)}.")
            batch_mean = np.mean(batch, axis=self._reduce_axis)
            batch_variance = np.var(batch, axis=self._reduce_axis)
            count = math.prod(batch.shape[d] for d in self._reduce_axis)
            total += count
            weight = float(count) / total
            new_mean = mean * (1.0 - weight) + batch_mean * weight
            variance = ((variance + (mean - new_mean) ** 2) * (1.0 - weight)
                        + (batch_variance + (batch_mean - new_mean) ** 2) * weight)
            mean = new_mean
        return mean, variance

    def finalize_state(self):
        """Nothing to do: `mean` and `variance` read the weights when used."""

    def call(self, inputs):
        mean, variance = self.mean, self.variance
        if mean is None:
            raise ValueError("You must call `.build(input_shape)` on the layer before using "
                             "it.")
        inputs = tf.cast(tf.convert_to_tensor(inputs), self.compute_dtype)
        scale = tf.maximum(tf.sqrt(variance), backend.epsilon())
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(),
                "variance": np.array(self.input_variance).tolist()}

    def get_build_config(self):
        if self._build_input_shape:
            return {"input_shape": self._build_input_shape}
        return None
