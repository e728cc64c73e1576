"""`Hashing`: values to one of `num_bins` bins by TensorFlow's string hashes."""

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.preprocessing.encoding import encode_categorical, reject_sparse
from eagerflow.keras.symbolic import KerasTensor


def salt_pair(salt, message):
    """A salt as the two 64-bit key halves of SipHash: a pair, or one int used twice."""
    if isinstance(salt, (tuple, list)) and len(salt) == 2:
        return list(salt)
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    raise ValueError(f"{message} Received: salt={salt}.")


def hash_to_bins(values, num_bins, salt=None):
    """Each value's bin: FarmHash Fingerprint64 (SipHash keyed by `salt` when given) of its
    string form (integers printed in decimal) modulo `num_bins`, as an int64 tensor."""
    if values.dtype != tf.string:
        values = tf.strings.as_string(values)
    if salt is not None:
        return tf.strings.to_hash_bucket_strong(values, num_bins, key=salt)
    return tf.strings.to_hash_bucket_fast(values, num_bins)


class Hashing(Layer):
    """Hashes strings or integers into `num_bins` bins (TensorFlow's bins, bit for bit).

    With `mask_value`, that value goes to bin 0 and the others to bins 1 to
    `num_bins - 1`. With `salt` (an int or a pair of ints) a keyed SipHash is used.
    Floats are truncated to integers first. `output_mode` "one_hot", "multi_hot" or
    "count" encodes the bins as `CategoryEncoding` does.

    >>> from eagerflow import keras
    >>> keras.layers.Hashing(num_bins=3)([["A"], ["B"], ["C"]]).numpy().tolist()
    [[1], [0], [1]]
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(autocast=False, **kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(f"The `num_bins` for `Hashing` cannot be `None` or non-positive "
                             f"values. Received: num_bins={num_bins}.")
        if output_mode == "int" and self.compute_dtype not in ("int32", "int64"):
            raise ValueError(f"When `output_mode=\"int\"`, `dtype` should be an integer type, "
                             f"'int32' or 'in64'. Received: dtype={kwargs['dtype']}")
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"{modes}. Received: output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError(f"`sparse` may only be true if `output_mode` is `\"one_hot\"`, "
                             f"`\"multi_hot\"`, or `\"count\"`. Received: sparse={sparse} and "
                             f"output_mode={output_mode}")
        reject_sparse(sparse)
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None if salt is None else salt_pair(
            salt, "The `salt` argument for `Hashing` can only be a tuple of size 2 integers, "
                  "or a single integer.")

    def call(self, inputs):
        inputs = tf.convert_to_tensor(inputs)
        if self.output_mode == "one_hot" and inputs.shape.rank and inputs.shape[-1] == 1:
            inputs = tf.squeeze(inputs, -1)
        bins = self._hash_values_to_bins(inputs)
        return encode_categorical(bins, self.output_mode, self.num_bins, self.compute_dtype)

    def _hash_values_to_bins(self, values):
        num_bins, mask = self.num_bins, None
        if self.mask_value is not None and num_bins > 1:
            num_bins -= 1
            mask = tf.equal(values, tf.convert_to_tensor(self.mask_value, values.dtype))
        if values.dtype.is_floating:
            values = tf.cast(values, "int64")
        bins = hash_to_bins(values, num_bins, self.salt)
        if mask is not None:
            bins = tf.where(mask, tf.zeros_like(bins), bins + 1)
        return bins

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        return tuple(input_shape[:-1]) + (self.num_bins,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode,
                "sparse": self.sparse}
