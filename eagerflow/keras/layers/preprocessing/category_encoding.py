"""`CategoryEncoding`: integer category ids to one-hot, multi-hot or count vectors."""

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.preprocessing.encoding import (
    encode_categorical, encoded_shape, reject_sparse)
from eagerflow.keras.symbolic import KerasTensor


class CategoryEncoding(Layer):
    """Encodes integer features in `[0, num_tokens)` as dense vectors of `num_tokens` bins.

    `output_mode` is "one_hot" (each index its own vector), "multi_hot" (one vector per
    sample marking the indices present) or "count" (how often each index occurs,
    optionally weighted by `count_weights` at call time).

    >>> from eagerflow import keras
    >>> layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    >>> layer([[0, 1], [3, 3]]).numpy().tolist()
    [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(autocast=False, **kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of "
                             "tokens is not known beforehand, use the IntegerLookup layer "
                             "instead.")
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        reject_sparse(sparse)
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(f"`count_weights` is not used when `output_mode` is not "
                                 f"`'count'`. Received `count_weights={count_weights}`.")
            count_weights = tf.cast(tf.convert_to_tensor(count_weights), self.compute_dtype)
        return encode_categorical(tf.convert_to_tensor(inputs), self.output_mode,
                                  self.num_tokens, self.compute_dtype, count_weights)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode}
