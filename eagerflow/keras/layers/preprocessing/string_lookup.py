"""`StringLookup`: strings to integer indices through a vocabulary (and back)."""

import numpy as np

import eagerflow as tf
from eagerflow.keras.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to indices in a vocabulary; `invert=True` maps indices back.

    The vocabulary is given (`vocabulary`, a list or a file with one token per line) or
    learned by `adapt` (most frequent first). Unknown strings go to the
    `num_oov_indices` OOV indices (hashed when there are several); `mask_token` maps to 0.
    `output_mode` "int" returns int64 indices; "one_hot", "multi_hot", "count" and
    "tf_idf" encode them over the vocabulary.

    >>> from eagerflow import keras
    >>> layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"])
    >>> layer([["a", "c"], ["d", "b"]]).numpy().tolist()
    [[1, 3], [0, 2]]
    >>> layer.get_vocabulary()
    ['[UNK]', 'a', 'b', 'c']
    """

    _vocabulary_dtype = "string"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None,
                 salt=None, **kwargs):
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, **kwargs)

    def _keys(self, values):
        if not tf.is_tensor(values):
            array = np.asarray(values, dtype=object if isinstance(values, bytes) else None)
            if array.size == 0:
                return np.empty(array.shape, dtype=object)
            values = tf.constant(array) if array.dtype.kind not in "OSU" else \
                tf.convert_to_tensor(values, tf.string)
        if values.dtype != tf.string:
            values = tf.cast(values, tf.string)  # TensorFlow's error for numbers
        return np.asarray(values.numpy(), dtype=object)

    def _python_token(self, key):
        return key.decode(self.encoding) if isinstance(key, bytes) else key

    def _key_tensor(self, inputs):
        inputs = tf.convert_to_tensor(inputs)
        if self.invert:
            return tf.cast(inputs, "int64")
        return inputs if inputs.dtype == tf.string else tf.cast(inputs, tf.string)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
