"""`IntegerLookup`: integers to contiguous indices through a vocabulary (and back)."""

import numpy as np

import eagerflow as tf
from eagerflow.keras.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integers to indices in a vocabulary; `invert=True` maps indices back.

    As `StringLookup`, for int64 tokens: the OOV token defaults to -1 and, with several
    OOV indices, an unknown value `v` goes to index `v % num_oov_indices` (or to its
    FarmHash bucket with `oov_method="farmhash"`).

    >>> from eagerflow import keras
    >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer([[12, 1138, 42], [42, 1000, 36]]).numpy().tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    _vocabulary_dtype = "int64"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If `max_tokens` is set for `IntegerLookup`, it must be greater "
                             f"than 1. Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError(f"The value of `num_oov_indices` argument for `IntegerLookup` "
                             f"must >= 0. Received: num_oov_indices={num_oov_indices}")
        if vocabulary_dtype != "int64":
            raise ValueError(f"Only `vocabulary_dtype='int64'` is supported at this time. "
                             f"Received: vocabulary_dtype={vocabulary_dtype}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         sparse=sparse, pad_to_max_tokens=pad_to_max_tokens,
                         oov_method=oov_method, salt=salt, name=name, **kwargs)

    def _keys(self, values):
        array = values.numpy() if tf.is_tensor(values) else np.asarray(values)
        if array.dtype.kind in "OSU":
            raise TypeError(f"Cannot convert {values} to EagerTensor of dtype int64")
        return array.astype(np.int64)

    def _python_token(self, key):
        return int(key)

    def _asset_tokens(self, lines, path):
        tokens = []
        for number, line in enumerate(lines, start=1):
            try:
                tokens.append(int(line))
            except ValueError as err:
                raise ValueError(f"Line {number} of {path} is not an integer token: "
                                 f"{line!r}") from err
        return tokens

    def _key_tensor(self, inputs):
        tensor = tf.convert_to_tensor(inputs)
        if tensor.dtype == tf.string:
            raise TypeError(f"Cannot convert {inputs} to EagerTensor of dtype int64")
        return tf.cast(tensor, "int64")

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
