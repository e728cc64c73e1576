"""`TextVectorization`: raw strings to token indices or token-count vectors."""

import numpy as np

import eagerflow as tf
from eagerflow.framework.op import stateful
from eagerflow.keras import backend, serialization_lib
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.preprocessing.adapt import adapt_batches
from eagerflow.keras.layers.preprocessing.index_lookup import check_output_mode, listify
from eagerflow.keras.layers.preprocessing.string_lookup import StringLookup
from eagerflow.keras.symbolic import KerasTensor

# ASCII punctuation, as Keras strips it (`,-.` is a range that also covers `-`).
_PUNCTUATION = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'


def _check_choice(value, allowed, argument):
    if value is not None and not callable(value) and value not in allowed:
        raise ValueError(f"Unknown value for `{argument}` argument of TextVectorization. "
                         f"Allowed values are: {allowed}. Received: {argument}={value}")


def _padded(rows):
    """1-D string tensors (one per text) as one matrix, short rows padded with "" (the mask
    token, index 0)."""
    lengths = [int(row.shape[0]) for row in rows]
    width = max(lengths, default=0)
    if not rows or not sum(lengths):
        return tf.fill([len(rows), width], "")
    row_ids = tf.repeat(tf.range(len(rows), dtype="int64"), lengths)
    starts = tf.constant(np.cumsum([0] + lengths[:-1]), "int64")
    columns = tf.range(sum(lengths), dtype="int64") - tf.gather(starts, row_ids)
    return tf.tensor_scatter_nd_update(tf.fill([len(rows), width], ""),
                                       tf.stack([row_ids, columns], axis=1), tf.concat(rows, 0))


class TextVectorization(Layer):
    """Maps text to sequences of token indices or to token-count vectors.

    Each string is standardized (`standardize`: "lower_and_strip_punctuation", "lower",
    "strip_punctuation", None or a callable on a string tensor), split into tokens
    (`split`: "whitespace", "character", None or a callable), joined into n-grams
    (`ngrams`: an int for all widths up to it, or a tuple of widths), then looked up in a
    vocabulary (learned by `adapt`, most frequent first, or given). Index 0 is padding and
    1 the out-of-vocabulary token.

    `output_mode` "int" gives int64 index sequences, padded with 0 to the longest text of
    the batch or cut and padded to `output_sequence_length`; "multi_hot", "count" and
    "tf_idf" give one vector per text over the vocabulary (`pad_to_max_tokens` pads it to
    `max_tokens`).

    >>> from eagerflow import keras
    >>> layer = keras.layers.TextVectorization()
    >>> layer.adapt(["The cat sat.", "The dog!"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
    >>> layer(["the cat", "a dog sat"]).numpy().tolist()
    [[2, 5, 0], [1, 4, 3]]
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        _check_choice(standardize, ("lower_and_strip_punctuation", "lower",
                                    "strip_punctuation"), "standardize")
        _check_choice(split, ("whitespace", "character"), "split")
        output_mode = check_output_mode(output_mode, "TextVectorization")
        if not (ngrams is None or isinstance(ngrams, int) or isinstance(ngrams, tuple)
                and all(isinstance(item, int) for item in ngrams)):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. "
                             f"Received: ngrams={ngrams}")
        if output_mode == "int" and not (output_sequence_length is None
                                         or isinstance(output_sequence_length, int)):
            raise ValueError(f"`output_sequence_length` must be either None or an integer "
                             f"when `output_mode` is 'int'. Received: "
                             f"output_sequence_length={output_sequence_length}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(f"`output_sequence_length` must not be set if `output_mode` is "
                             f"not 'int'. Received "
                             f"output_sequence_length={output_sequence_length}.")
        if ragged and output_mode != "int":
            raise ValueError(f"`ragged` must not be true if `output_mode` is `'int'`. "
                             f"Received: ragged={ragged} and output_mode={output_mode}")
        if ragged:
            raise NotImplementedError("eagerflow has no RaggedTensor: `ragged=True` is not "
                                      "supported.")
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, autocast=False, **kwargs)
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            sparse=sparse, has_input_vocabulary=has_input_vocabulary, encoding=encoding,
            vocabulary_size=vocabulary_size)
        self.built = True

    @property
    def compute_dtype(self):
        return "string"

    # --- vocabulary ---------------------------------------------------------------------

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary from texts: a list, array or tensor of strings, a
        `tf.data.Dataset` of them, or an iterable of batches."""
        self.reset_state()
        for batch in adapt_batches(data, steps, whole=self._documents):
            self.update_state(batch)
        self.finalize_state()

    def _documents(self, data):
        data = self._string_tensor(data)
        return tf.expand_dims(data, -1) if data.shape.rank == 1 else data

    def update_state(self, data):
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary in index order ("" and "[UNK]" first unless
        `include_special_tokens=False`)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The size of the vocabulary, padding and OOV tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and, for "tf_idf", the idf weights) as `StringLookup`
        does."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # --- calling ------------------------------------------------------------------------

    def _string_tensor(self, inputs):
        inputs = tf.convert_to_tensor(inputs, dtype_hint=tf.string)
        return inputs if inputs.dtype == tf.string else tf.cast(inputs, tf.string)

    def _preprocess(self, inputs):
        """Texts to tokens: standardized, split, joined into n-grams and, when the texts
        split into different numbers of tokens, padded with "" into a matrix."""
        inputs = self._string_tensor(inputs)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            inputs = tf.strings.lower(inputs)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            inputs = tf.strings.regex_replace(inputs, _PUNCTUATION, "")
        if callable(self._standardize):
            inputs = self._standardize(inputs)
        if self._split is not None:
            if inputs.shape.rank > 1:
                if inputs.shape[-1] != 1:
                    raise ValueError(
                        f"When using `TextVectorization` to tokenize strings, the input rank "
                        f"must be 1 or the last shape dimension must be 1. Received: "
                        f"inputs.shape={tuple(inputs.shape)} with rank={inputs.shape.rank}")
                inputs = tf.squeeze(inputs, axis=-1)
            if self._split == "whitespace":
                inputs = tf.strings.split(inputs)
            elif self._split == "character":
                inputs = tf.strings.unicode_split(inputs, "UTF-8")
            else:
                inputs = self._split(inputs)
        if self._ngrams is not None:
            inputs = tf.strings.ngrams(inputs, ngram_width=self._ngrams, separator=" ")
        return _padded(inputs) if isinstance(inputs, (list, tuple)) else inputs

    # Split texts are ragged (nested lists of tensors here), which a trace cannot hold: in a
    # tf.function the whole call is one recorded node, run again at each execution.
    @stateful("TextVectorization")
    def call(self, inputs):
        tokens = self._preprocess(inputs)
        if self._output_mode == "one_hot" and self._split is not None:
            tokens = tf.expand_dims(tokens, -1)  # each token its own vector, even one token
        outputs = self._lookup_layer(tokens)
        length = self._output_sequence_length
        if self._output_mode != "int" or length is None:
            return outputs
        outputs = outputs[..., :length]
        missing = length - outputs.shape[-1]
        if missing > 0:
            outputs = tf.pad(outputs, [[0, 0]] * (outputs.shape.rank - 1) + [[0, missing]])
        return outputs

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = tuple(input_shape) + (1,)
        else:
            input_shape = tuple(input_shape) + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs):
        dtype = "int64" if self._output_mode == "int" else backend.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype)

    # --- state in saved files: the lookup layer's, written here as well, as Keras does ----

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)

    # --- config -------------------------------------------------------------------------

    def get_config(self):
        lookup = self._lookup_layer
        return {**super().get_config(), "max_tokens": lookup.max_tokens,
                "standardize": self._standardize, "split": self._split,
                "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens, "sparse": lookup.sparse,
                "ragged": self._ragged, "vocabulary": listify(lookup.input_vocabulary),
                "idf_weights": listify(lookup.input_idf_weights),
                "encoding": self._encoding, "vocabulary_size": self.vocabulary_size()}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = serialization_lib.deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True
