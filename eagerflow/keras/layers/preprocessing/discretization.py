"""`Discretization`: continuous values to the index of their bin."""

import numpy as np

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.preprocessing.adapt import adapt_batches
from eagerflow.keras.layers.preprocessing.encoding import encode_categorical, reject_sparse
from eagerflow.keras.symbolic import KerasTensor


# --- adapt: an approximate quantile summary (rows: values, weights), merged batch by batch

def _summary_of(values, epsilon):
    """Every `n * epsilon`-th sorted value of a batch, each standing for that many values."""
    ordered = np.sort(np.reshape(values, -1))
    step = max(ordered.size * epsilon, 1)
    kept = ordered[int(step - 1)::int(step)]
    return np.stack([kept, np.ones_like(kept) * step])


def _compressed(summary, epsilon):
    """The summary at `1 / epsilon` evenly spaced cumulative-weight quantiles."""
    if summary.shape[1] * epsilon < 1:
        return summary
    quantiles = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    values = np.interp(quantiles, fractions, summary[0])
    cumulative = np.interp(quantiles, fractions, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack((values, weights)).astype("float32")


def _merged(summary, other, epsilon):
    both = np.concatenate((summary, other), axis=1)
    return _compressed(both[:, np.argsort(both[0])], epsilon)


class Discretization(Layer):
    """Buckets continuous features by ranges: bin `i` holds `boundaries[i-1] <= x <
    boundaries[i]`, with bin 0 below the first boundary and the last bin above the last.

    Give `bin_boundaries`, or `num_bins` and call `adapt` to take boundaries at
    approximate quantiles of the data (`epsilon` sets the approximation). `output_mode`
    "int" returns int32 bin indices; "one_hot", "multi_hot" and "count" encode them as
    `CategoryEncoding` does.

    >>> from eagerflow import keras
    >>> layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer([[-1.5, 1.0, 3.4, 0.5]]).numpy().tolist()
    [[0, 2, 3, 1]]
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        if sparse and output_mode == "int":
            raise ValueError(f"`sparse=True` may only be used if `output_mode` is "
                             f"`'one_hot'`, `'multi_hot'`, or `'count'`. Received: "
                             f"sparse={sparse} and output_mode={output_mode}")
        reject_sparse(sparse)
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(f"Unknown value for `output_mode` argument of Discretization. "
                             f"Allowed values are: {modes}. Received: output_mode={output_mode}")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"`num_bins` must be greater than or equal to 0. Received: "
                             f"`num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(f"Both `num_bins` and `bin_boundaries` should not be set. "
                             f"Received: `num_bins={num_bins}` and "
                             f"`bin_boundaries={bin_boundaries}`")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else np.array([[], []], dtype="float32")

    @property
    def output_dtype(self):
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def adapt(self, data, steps=None):
        """Sets `bin_boundaries` at `num_bins` approximate quantiles of `data` (an array,
        a tensor, a `tf.data.Dataset` or an iterable of batches)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized "
                             "with `bin_boundaries`, use `num_bins` instead.")
        self.reset_state()
        for batch in adapt_batches(data, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        summary = _summary_of(np.asarray(data).astype("float32"), self.epsilon)
        self.summary = _merged(summary, self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is not None:
            self.bin_boundaries = _compressed(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at "
                             "construction time or call `adapt(dataset)` before you can start "
                             "using the `Discretization` layer.")
        inputs = tf.cast(tf.convert_to_tensor(inputs), self.compute_dtype)
        boundaries = tf.constant(self.bin_boundaries, self.compute_dtype)
        indices = tf.reshape(tf.searchsorted(boundaries, tf.reshape(inputs, [-1]),
                                             side="right"), tf.shape(inputs))
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1,
                                  self.output_dtype)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None \
            else self.num_bins
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return tuple(input_shape[:-1]) + (depth,)
            return tuple(input_shape) + (depth,)
        if input_shape and len(input_shape) >= 2:
            return (input_shape[0],) + tuple(input_shape[2:]) + (depth,)
        return (depth,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.output_dtype)

    def load_own_variables(self, store):
        """The config holds the boundaries; files of early Keras 3 releases also hold the
        adapt summary as the layer's one variable, which Keras reads back."""
        if len(store) == 1:
            self.summary = np.asarray(store["0"], "float32")

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:
            del config["bin_boundaries"]  # an adapted layer: both were saved
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)
