"""`HashedCrossing`: crosses categorical features into hashed bins, as
`tf.sparse.cross_hashed` does (TensorFlow's bins, bit for bit)."""

import numpy as np

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.preprocessing.encoding import encode_categorical
from eagerflow.keras.symbolic import KerasTensor
from eagerflow.ops.string_hashes import fingerprint64

_DEFAULT_HASH_KEY = 0xDECAFCAFFE  # tf.sparse.cross_hashed's default `hash_key`
_MUL = np.uint64(0xC6A4A7935BD1E995)


def _shift_mix(value):
    return value ^ (value >> np.uint64(47))


def _fingerprint_cat64(left, right):
    """TensorFlow's FingerprintCat64: combines two uint64 fingerprints (arrays wrap)."""
    result = left ^ _MUL
    result ^= _shift_mix(right * _MUL) * _MUL
    result *= _MUL
    return _shift_mix(_shift_mix(result) * _MUL)


def _feature_fingerprints(values):
    """Strings by FarmHash Fingerprint64 of their bytes, integers as their own bits."""
    if values.dtype.kind in "OSU":
        return np.array([fingerprint64(v if isinstance(v, bytes) else str(v).encode())
                         for v in values.ravel()], np.uint64).reshape(values.shape)
    return values.astype(np.int64).view(np.uint64)


def cross_hashed_bins(num_bins, *columns):
    """The bin of each row's cross of `columns` (equal-shaped NumPy arrays)."""
    hashed = np.full(columns[0].shape, _DEFAULT_HASH_KEY, np.uint64)
    for column in columns:
        hashed = _fingerprint_cat64(hashed, _feature_fingerprints(column))
    return (hashed % np.uint64(num_bins)).astype(np.int64)


class HashedCrossing(Layer):
    """Crosses two or more integer or string features (each of shape `()`, `(batch,)` or
    `(batch, 1)`) and hashes each combination into one of `num_bins` bins.

    Like `Hashing`, a preprocessing layer: it runs on the host, as in TensorFlow, where the
    hash is a CPU kernel without a gradient.

    >>> from eagerflow import keras
    >>> layer = keras.layers.HashedCrossing(num_bins=5)
    >>> layer(([1, 2, 3], ["a", "b", "c"])).numpy().tolist()
    [0, 4, 3]

    Args:
      num_bins: the number of bins.
      output_mode: "int" (the bin, int64 by default) or "one_hot".
      sparse: must be False (no sparse tensors here).
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, autocast=False)
        if output_mode not in ("int", "one_hot"):
            raise ValueError(f"Unknown value for `output_mode` argument of HashedCrossing. "
                             f"Allowed values are: ('int', 'one_hot'). Received: "
                             f"output_mode={output_mode}")
        if sparse:
            raise ValueError("`sparse=True` is not supported: eagerflow has no sparse "
                             "tensors.")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def __call__(self, inputs, **kwargs):
        self._check_at_least_two_inputs(inputs)
        return super().__call__(tuple(inputs), **kwargs)

    def call(self, inputs):
        inputs = [tf.convert_to_tensor(x) for x in inputs]
        self._check_inputs(inputs)
        shape = tuple(inputs[0].shape)
        bins = tf.numpy_function(lambda *columns: cross_hashed_bins(self.num_bins, *columns),
                                 inputs, tf.int64, stateful=False)
        bins = tf.reshape(bins, shape)
        if self.output_mode == "one_hot" and len(shape) == 2:
            bins = tf.squeeze(bins, -1)
        return encode_categorical(bins, self.output_mode, self.num_bins, self.compute_dtype)

    def _check_at_least_two_inputs(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"`HashedCrossing` should be called on a list or tuple of "
                             f"inputs. Received: inputs={inputs}")
        if len(inputs) < 2:
            raise ValueError(f"`HashedCrossing` should be called on at least two inputs. "
                             f"Received: inputs={inputs}")

    def _check_inputs(self, inputs):
        shape = tuple(inputs[0].shape)
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(f"All `HashedCrossing` inputs should have shape `()`, "
                             f"`(batch_size)` or `(batch_size, 1)`. Received: inputs={inputs}")
        if not all(tuple(x.shape) == shape for x in inputs[1:]):
            raise ValueError(f"All `HashedCrossing` inputs should have equal shape. "
                             f"Received: inputs={inputs}")
        if not all(x.dtype.is_integer or x.dtype == tf.string for x in inputs):
            raise ValueError(f"All `HashedCrossing` inputs should have an integer or string "
                             f"dtype. Received: inputs={inputs}")

    def compute_output_shape(self, input_shape):
        if (len(input_shape) != 2 or not isinstance(input_shape[0], tuple)
                or not isinstance(input_shape[1], tuple)):
            raise ValueError(f"Expected as input a list/tuple of 2 tensors. Received "
                             f"input_shape={input_shape}")
        if input_shape[0][-1] != input_shape[1][-1]:
            raise ValueError(f"Expected the two input tensors to have identical shapes. "
                             f"Received input_shape={input_shape}")
        if self.output_mode == "int":
            return tuple(input_shape[0])
        if input_shape[0][-1] != 1:
            return tuple(input_shape[0]) + (self.num_bins,)
        return tuple(input_shape[0])[:-1] + (self.num_bins,)

    def compute_output_spec(self, inputs):
        shapes = tuple(tuple(x.shape) for x in inputs)
        return KerasTensor(self.compute_output_shape(shapes), self.compute_dtype)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}
