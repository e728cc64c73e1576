"""The lookup core shared by `StringLookup`, `IntegerLookup` and `TextVectorization`:
a vocabulary (given, or learned by `adapt` from token frequencies), its index table, the
out-of-vocabulary and mask indices, and the encodings of the looked-up indices."""

import os

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.preprocessing.adapt import adapt_batches
from eagerflow.keras.layers.preprocessing.encoding import encode_categorical, reject_sparse
from eagerflow.keras.layers.preprocessing.hashing import hash_to_bins, salt_pair
from eagerflow.keras.symbolic import KerasTensor, probing

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_VOCABULARY_FILE = "vocabulary.txt"  # the asset of an adapted layer in a `.keras` file
_INT64_MAX = np.iinfo(np.int64).max


def check_output_mode(output_mode, caller):
    """`output_mode` with Keras's aliases resolved ("binary", "tf-idf"), or Keras's error."""
    output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
    if output_mode not in OUTPUT_MODES:
        raise ValueError(f"Unknown value for `output_mode` argument of {caller}. Allowed "
                         f"values are: {OUTPUT_MODES}. Received: output_mode={output_mode}")
    return output_mode


def listify(value):
    """Tensors and arrays in a config as (nested) lists."""
    if tf.is_tensor(value):
        value = value.numpy()
    return value.tolist() if isinstance(value, np.ndarray) else value


def _factorize(values):
    """The sorted unique values of a 1-D array and each value's position among them.

    Strings are counted through a dict: sorting Python objects (as `np.unique` does) is
    many times slower.
    """
    if values.dtype != object:
        return np.unique(values, return_inverse=True)
    items = values.tolist()
    unique = sorted(set(items))
    position = {item: i for i, item in enumerate(unique)}
    tokens = np.empty(len(unique), dtype=object)
    tokens[:] = unique
    return tokens, np.fromiter(map(position.__getitem__, items), np.int64, count=len(items))


def _merge_counts(tokens, counts, new_tokens, new_counts):
    """Two (sorted unique tokens, counts) tables as one."""
    if tokens is None:
        return new_tokens, new_counts
    merged, positions = _factorize(np.concatenate([tokens, new_tokens]))
    return merged, np.bincount(positions.reshape(-1), np.concatenate([counts, new_counts]),
                               minlength=len(merged)).astype(np.int64)


class IndexLookup(Layer):
    """Maps tokens to indices through a vocabulary: the base of the lookup layers.

    Indices start with the mask token (0, in "int" mode, when `mask_token` is set), then
    `num_oov_indices` out-of-vocabulary indices (a missing token is hashed to one of
    them), then the vocabulary in order. Subclasses say how tokens are converted.
    """

    _vocabulary_dtype = None  # "string" or "int64"

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None,
                 **kwargs):
        caller = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If set, `max_tokens` must be greater than 1. Received: "
                             f"max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"If pad_to_max_tokens is True, must set `max_tokens`. Received: "
                             f"max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError(f"`num_oov_indices` must be greater than or equal to 0. "
                             f"Received: num_oov_indices={num_oov_indices}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"Unknown value for `oov_method` argument of {caller}. Allowed "
                             f"values are: ('floormod', 'farmhash'). Received: "
                             f"oov_method={oov_method}")
        if salt is not None:
            if self._vocabulary_dtype == "int64" and oov_method != "farmhash":
                raise ValueError(f"`salt` can only be used when `oov_method='farmhash'`. "
                                 f"Received: oov_method={oov_method}")
            salt = salt_pair(salt, "The `salt` argument for `IndexLookup` can only be a "
                                   "tuple of 2 integers, or a single integer.")
        output_mode = check_output_mode(output_mode, caller)
        if invert and output_mode != "int":
            raise ValueError(f"`output_mode` must be `'int'` when `invert` is true. Received: "
                             f"output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError(f"`sparse` may only be true if `output_mode` is `'one_hot'`, "
                             f"`'multi_hot'`, `'count'` or `'tf_idf'`. Received: "
                             f"sparse={sparse} and output_mode={output_mode}")
        reject_sparse(sparse)
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"`idf_weights` should only be set if `output_mode` is "
                             f"`'tf_idf'`. Received: idf_weights={idf_weights} and "
                             f"output_mode={output_mode}")
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        self._has_input_vocabulary = kwargs.pop("has_input_vocabulary",
                                                vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name, autocast=False)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = self._vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self.input_vocabulary = None if isinstance(vocabulary, str) else vocabulary
        self.input_idf_weights = idf_weights
        self._tokens = None  # the vocabulary without special tokens, as table keys
        self._table = None
        self.idf_weights = None
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output "
                             "mode, the `idf_weights` argument must also be provided.")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        elif idf_weights is not None:
            self.idf_weights = tf.constant(np.asarray(idf_weights, backend.floatx()))
        self.reset_state()
        self.built = True

    # --- token conversion (subclasses) --------------------------------------------------

    def _keys(self, values):
        """User tokens (list, array, tensor) as a NumPy array of table keys."""
        raise NotImplementedError

    def _python_token(self, key):
        """A table key as `get_vocabulary` lists it."""
        raise NotImplementedError

    def _key_tensor(self, inputs):
        """Call inputs as a tensor of the table's key dtype."""
        raise NotImplementedError

    # --- indices ------------------------------------------------------------------------

    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The size of the vocabulary, mask and OOV indices included."""
        return (0 if self._tokens is None else len(self._tokens)) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary in index order (with the mask and OOV tokens unless
        `include_special_tokens=False`): a token's position is its index."""
        tokens = [] if self._tokens is None else [self._python_token(t)
                                                  for t in self._tokens.tolist()]
        special = [self.oov_token] * self._token_start_index()
        if self.mask_token is not None and self.output_mode == "int":
            special[0] = self.mask_token
        return (special + tokens) if include_special_tokens else tokens

    # --- vocabulary ---------------------------------------------------------------------

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list, array or 1-D tensor of tokens, or the path of a text
        file with one token per line) and, in "tf_idf" mode, the idf weights.

        The vocabulary may start with the mask and OOV tokens in index order; elsewhere
        they are an error, as are repeated tokens.
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(f"`idf_weights` should only be set if output_mode is `'tf_idf'`. "
                             f"Received: output_mode={self.output_mode} and "
                             f"idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            if not os.path.exists(vocabulary):
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError("output_mode `'tf_idf'` does not support loading a "
                                 "vocabulary from file.")
            with open(vocabulary, encoding="utf-8") as file:
                lines = file.read().splitlines()
            self._set_tokens(self._keys(lines))
            return
        keys = self._keys(vocabulary)
        if keys.size == 0:
            raise ValueError(f"Cannot set an empty vocabulary. Received: "
                             f"vocabulary={vocabulary}")
        token_start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + \
            [self.oov_token] * self.num_oov_indices
        shown = [self._python_token(k) for k in keys.tolist()]
        found_special = shown[:token_start] == special
        tokens, shown_tokens = (keys[token_start:], shown[token_start:]) if found_special \
            else (keys, shown)
        unique, counts = np.unique(tokens, return_counts=True)
        if len(unique) != len(tokens):
            repeated = [self._python_token(t) for t in unique[counts > 1].tolist()]
            raise ValueError(f"The passed vocabulary has at least one repeated term. Please "
                             f"uniquify your dataset. The repeated terms are: {repeated}")
        for token, what in ((self.mask_token, "mask_token"),
                            (self.oov_token if self.invert else None, "oov_token")):
            if token is not None and token in shown_tokens:
                where = [i for i, t in enumerate(shown) if t == token][-1:]
                raise ValueError(f"Found reserved {'mask' if what == 'mask_token' else 'OOV'} "
                                 f"token at unexpected location in `vocabulary`. Note that "
                                 f"passed `vocabulary` does not need to include the OOV and "
                                 f"mask tokens. Either remove all mask and OOV tokens, or "
                                 f"include them only at the start of the vocabulary in "
                                 f"precisely this order: {special}. Received: "
                                 f"{what}={token} at vocabulary index {where}")
        if self.max_tokens is not None and token_start + len(tokens) > self.max_tokens:
            raise ValueError(f"Attempted to set a vocabulary larger than the maximum vocab "
                             f"size. Received vocabulary size is {token_start + len(tokens)}; "
                             f"`max_tokens` is {self.max_tokens}.")
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._set_idf_weights(idf_weights, len(keys), found_special)

    def _set_idf_weights(self, idf_weights, vocabulary_length, found_special):
        weights = np.asarray(idf_weights.numpy() if tf.is_tensor(idf_weights)
                             else idf_weights)
        if len(weights) != vocabulary_length:
            raise ValueError(f"`idf_weights` must be the same length as vocabulary. "
                             f"len(idf_weights) is {len(weights)}; len(vocabulary) is "
                             f"{vocabulary_length}")
        if weights.ndim != 1:
            raise ValueError(f"TF-IDF data must be a 1-index array. Received: "
                             f"type(idf_weights)={type(idf_weights)}")
        front = 0 if found_special else self._token_start_index()
        back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens else 0
        weights = np.pad(weights, (front, back), constant_values=(
            0 if found_special else np.average(weights), 0))
        self.idf_weights = tf.constant(weights.astype(backend.floatx()))

    def _set_tokens(self, tokens):
        """Builds the index table for `tokens` (indices from the first token index)."""
        indices = np.arange(self._token_start_index(),
                            self._token_start_index() + len(tokens), dtype=np.int64)
        keys, values = (indices, tokens) if self.invert else (tokens, indices)
        default = self.oov_token if self.invert else (
            self._oov_start_index() if self.num_oov_indices == 1 else -1)
        self._tokens = tokens
        # No tokens (adapted on no data): TensorFlow cannot build an empty table, so the
        # layer stays uninitialized, and calling it fails as Keras's does.
        self._table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                tf.constant(keys, self._key_dtype()), tf.constant(values, self._value_dtype())),
            default) if len(tokens) else None
        self._record_vocabulary_size()

    def _key_dtype(self):
        return "int64" if self.invert else self.vocabulary_dtype

    def _value_dtype(self):
        return self.vocabulary_dtype if self.invert else "int64"

    def _record_vocabulary_size(self):
        if self.output_mode != "int" and not self.pad_to_max_tokens:
            size = self.vocabulary_size()
            if self._frozen_vocab_size is not None and size != self._frozen_vocab_size:
                raise RuntimeError(
                    f"When using `output_mode={self.output_mode}` and "
                    f"`pad_to_max_tokens=False`, the vocabulary size cannot be changed after "
                    f"the layer is called. Old vocab size is {self._frozen_vocab_size}, new "
                    f"vocab size is {size}")
        self._frozen_vocab_size = self.vocabulary_size()

    # --- adapt --------------------------------------------------------------------------

    def adapt(self, data, steps=None):
        """Learns the vocabulary from `data`: tokens ordered by frequency (ties by the token,
        in descending order, as Keras orders them), at most `max_tokens` in all.

        `data` is an array, a tensor, a list, a `tf.data.Dataset` or an iterable of batches;
        a 1-D array counts as one token per document.
        """
        self.reset_state()
        for batch in adapt_batches(data, steps, whole=self._documents):
            self.update_state(batch)
        self.finalize_state()

    def _documents(self, data):
        keys = self._keys(data)
        return keys[:, None] if keys.ndim == 1 else keys

    def update_state(self, data):
        """Adds the token counts (and document counts, for "tf_idf") of a batch."""
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             f"vocabulary via `vocabulary` argument or `set_vocabulary()` "
                             f"method.")
        rows = self._keys(data)
        rows = rows.reshape((1, -1) if rows.ndim <= 1 else (
            rows.shape[0], rows.size // max(rows.shape[0], 1)))  # an empty batch: (0, 0)
        tokens, positions = _factorize(rows.reshape(-1))
        positions = positions.reshape(-1)
        self._counts = _merge_counts(*self._counts, tokens,
                                     np.bincount(positions, minlength=len(tokens)))
        if self.output_mode == "tf_idf":
            # A token counts once per document: unique (document, token) pairs.
            documents = np.repeat(np.arange(rows.shape[0]), rows.shape[1])
            pairs = np.unique(documents * len(tokens) + positions)
            in_documents = np.bincount(pairs % len(tokens), minlength=len(tokens))
            self._document_counts = _merge_counts(*self._document_counts, tokens,
                                                  in_documents)
            self._num_documents += rows.shape[0]

    def finalize_state(self):
        tokens, counts = self._counts
        if self._has_input_vocabulary or tokens is None:
            self._record_vocabulary_size()
            return
        keep = np.ones(len(tokens), bool)
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                keep &= tokens != self._keys([special])[0]
        tokens, counts = tokens[keep][::-1], counts[keep][::-1]  # tokens descending
        order = np.argsort(-counts, kind="stable")  # by count, ties keep the token order
        if self.max_tokens:
            order = order[:self.max_tokens - self._token_start_index()]
        tokens = tokens[order]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            known, in_documents = self._document_counts
            document_counts = in_documents[np.searchsorted(known, tokens)]
            idf = np.log(1 + self._num_documents / (1 + document_counts)).astype(
                backend.floatx())
            # The OOV weight is the mean weight (summed in float64, as TensorFlow's
            # reduction rounds).
            weights = np.pad(idf, (self._token_start_index(), 0),
                             constant_values=np.float32(idf.mean(dtype=np.float64))
                             if idf.size else 0)
            if self.pad_to_max_tokens and self.max_tokens is not None:
                weights = np.pad(weights, (0, self.max_tokens - weights.size))
            self.idf_weights = tf.constant(weights.astype(backend.floatx()))
        self.reset_state()
        self._record_vocabulary_size()

    def reset_state(self):
        if self._has_input_vocabulary:
            return
        self._counts = (None, None)
        self._document_counts = (None, None)
        self._num_documents = 0

    # --- calling ------------------------------------------------------------------------

    def call(self, inputs):
        self._ensure_known_vocab_size()
        inputs = self._key_tensor(inputs)
        scalar = inputs.shape.rank == 0
        if scalar:
            inputs = tf.expand_dims(inputs, -1)
        lookups = self._lookup_dense(inputs)
        if self.output_mode == "int":
            return tf.squeeze(lookups, -1) if scalar else lookups
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        if self.output_mode != "tf_idf":
            return encode_categorical(lookups, self.output_mode, depth, "int64")
        if self.idf_weights is None:
            raise ValueError("When `output_mode` is `'tf_idf'`, `idf_weights` must be "
                             "provided.")
        counts = encode_categorical(lookups, "count", depth, "int64")
        return tf.cast(counts, self.idf_weights.dtype) * self.idf_weights

    def _lookup_dense(self, inputs):
        """Table values for `inputs`, with the mask and OOV indices filled in."""
        if self._table is None:
            if probing():  # a model rebuilt from a file, before its vocabulary is loaded
                return tf.fill(tf.shape(inputs), tf.constant(
                    "" if self.invert else 0, self._value_dtype()))
            raise tf.errors.FailedPreconditionError(
                None, None, "Table not initialized. [Op:LookupTableFindV2]")
        lookups = self._table.lookup(inputs)
        if self.mask_token is not None:
            mask_key = 0 if self.invert else self.mask_token
            mask_value = self.mask_token if self.invert else (
                0 if self.output_mode == "int" else _INT64_MAX)
            lookups = tf.where(tf.equal(inputs, tf.constant(mask_key, inputs.dtype)),
                               tf.constant(mask_value, lookups.dtype), lookups)
        if self.invert:
            return lookups
        missing = tf.equal(lookups, -1)
        if self.num_oov_indices == 0 and bool(tf.reduce_any(missing)):
            found = ", ".join(f'"{self._python_token(v)}"' for v in
                              tf.boolean_mask(inputs, missing).numpy().tolist())
            raise tf.errors.InvalidArgumentError(
                None, None, f"When `num_oov_indices=0` all inputs should be in vocabulary, "
                            f"found OOV values [{found}], consider setting "
                            f"`num_oov_indices=1`.")
        if self.num_oov_indices > 1:
            if inputs.dtype.is_integer and self.oov_method != "farmhash":
                oov = tf.math.floormod(inputs, tf.constant(self.num_oov_indices, inputs.dtype))
            else:
                oov = hash_to_bins(inputs, self.num_oov_indices, self.salt)
            lookups = tf.where(missing, tf.cast(oov, "int64") + self._oov_start_index(),
                               lookups)
        return lookups

    def _ensure_known_vocab_size(self):
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        if self._frozen_vocab_size is None:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and "
                               f"`pad_to_max_tokens=False`, you must set the layer's "
                               f"vocabulary before calling it. Either pass a `vocabulary` "
                               f"argument to the layer, or call `adapt` with some sample data.")

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        input_shape = tuple(input_shape)
        if self.output_mode == "one_hot" and not (len(input_shape) > 1
                                                  and input_shape[-1] == 1):
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs):
        dtype = (self.vocabulary_dtype if self.invert else "int64") \
            if self.output_mode == "int" else backend.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype)

    # --- state in saved files (Keras 3's layout) -----------------------------------------

    def save_own_variables(self, store):
        """In "tf_idf" mode, the idf weights (mask and OOV included) as "idf_weights"."""
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = self.idf_weights.numpy()

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self.idf_weights = tf.constant(np.asarray(store["idf_weights"], backend.floatx()))

    def save_assets(self, dir_path):
        """Writes the vocabulary (special tokens first) to `vocabulary.txt`, one token a
        line, unless the config holds it."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, _VOCABULARY_FILE), "w", encoding="utf-8",
                  newline="\n") as file:
            file.write("\n".join(str(token) for token in self.get_vocabulary()))

    def load_assets(self, dir_path):
        """Sets the vocabulary from `vocabulary.txt` as Keras reads it: text lines (any
        line ending), trailing empty lines dropped; idf weights from `load_own_variables`."""
        if self.input_vocabulary is not None:
            return
        path = os.path.join(dir_path or "", _VOCABULARY_FILE)
        if dir_path is None or not os.path.isfile(path):
            raise ValueError(f"Layer '{self.name}' found no {_VOCABULARY_FILE} among the "
                             f"saved assets.")
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        tokens = self._asset_tokens(lines, path)
        if self.output_mode == "tf_idf":
            self.set_vocabulary(tokens, idf_weights=None if self.idf_weights is None
                                else self.idf_weights.numpy())
        else:
            self.set_vocabulary(tokens)

    def _asset_tokens(self, lines, path):
        """The lines of a vocabulary file as tokens (subclasses convert them)."""
        return lines

    def get_config(self):
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
                "mask_token": self.mask_token, "output_mode": self.output_mode,
                "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": listify(self.input_idf_weights),
                "vocabulary": listify(self.input_vocabulary),
                "vocabulary_size": self._frozen_vocab_size, "oov_method": self.oov_method,
                "salt": self.salt}

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True
