"""`Attention` (Luong-style dot-product attention) and `AdditiveAttention` (Bahdanau-style)."""

import eagerflow as tf
from eagerflow.keras.layers.attention.multi_head_attention import _causal_mask
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.symbolic import KerasTensor

# Masked scores are lowered by this much before the softmax, as Keras does.
_MASK_PENALTY = 1.0e9


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Called on `[query, value]` or `[query, value, key]` of shapes `(B, Tq, dim)`,
    `(B, Tv, dim)` and `(B, Tv, dim)`: the scores `query . key` (or the "concat" score
    `sum(tanh(query + key))`) become weights by a softmax over `Tv`, and the output is that
    mix of `value`, `(B, Tq, dim)`. Masks (`[query_mask, value_mask]`, or the Keras masks
    of the inputs) keep padded values out and zero the output at padded queries.

    >>> from eagerflow import keras
    >>> query, value = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
    >>> keras.layers.Attention()([query, value]).shape.as_list()
    [2, 3, 4]

    Args:
      use_scale: whether the scores are multiplied by a learned scalar `scale`.
      score_mode: "dot" or "concat" (the latter with a learned `concat_score_weight`).
      dropout: the dropout rate of the attention weights.
      seed: the seed of the dropout.

    Call arguments:
      inputs: `[query, value]` or `[query, value, key]` (key defaults to value).
      mask: `[query_mask, value_mask]`, booleans `(B, Tq)` and `(B, Tv)`.
      return_attention_scores: also return the `(B, Tq, Tv)` weights.
      training: whether dropout is active.
      use_causal_mask: query position i attends to value positions j <= i only.
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"Invalid value for argument score_mode. Expected one of "
                             f"{{'dot', 'concat'}}. Received: score_mode={score_mode}")

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(),
                                                       initializer="ones")

    def _calculate_scores(self, query, key):
        """The `(B, Tq, Tv)` scores of each query against each key."""
        if self.score_mode == "dot":
            scores = tf.matmul(query, key, transpose_b=True)
            return scores if self.scale is None else scores * self.scale
        pairs = tf.expand_dims(query, -2) + tf.expand_dims(key, -3)  # (B, Tq, Tv, dim)
        if self.scale is not None:
            pairs = self.scale * pairs
        return self.concat_score_weight * tf.reduce_sum(tf.tanh(pairs), axis=-1)

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """The weights `softmax(scores)` (masked where `scores_mask` is False) applied to
        `value`; returns the output and the weights."""
        if scores_mask is not None:
            if scores_mask.ndim == 2:
                scores_mask = tf.expand_dims(scores_mask, -2)
            scores = tf.where(scores_mask, scores, scores - _MASK_PENALTY)
        weights = tf.nn.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = tf.nn.dropout(weights, rate=self.dropout, seed=self.seed)
        return tf.matmul(weights, value), weights

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        if value_mask is not None:
            value_mask = tf.expand_dims(tf.cast(value_mask, tf.bool), -2)  # (B, 1, Tv)
        if use_causal_mask:
            causal = _causal_mask(scores.shape[-2], scores.shape[-1])
            value_mask = causal if value_mask is None else tf.logical_and(value_mask, causal)
        output, weights = self._apply_scores(scores, value, value_mask, training)
        if query_mask is not None:
            query_mask = tf.expand_dims(tf.cast(query_mask, tf.bool), -1)  # (B, Tq, 1)
            output = tf.where(query_mask, output, tf.zeros((), output.dtype))
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return tf.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], input_shape[1][-1])

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False,
                            **kwargs):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(self.compute_output_shape([query.shape, value.shape]),
                             self.dtype)
        if return_attention_scores:
            return output, KerasTensor((*query.shape[:-1], key.shape[-2]), self.dtype)
        return output

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError(f"{name} layer must be called on a list of inputs, namely "
                             f"[query, value] or [query, value, key]. Received: "
                             f"inputs={inputs}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely "
                             f"[query, value] or [query, value, key]. Received length: "
                             f"{len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, list):
                raise ValueError(f"{name} layer mask must be a list, namely [query_mask, "
                                 f"value_mask]. Received: mask={mask}.")
            if not 2 <= len(mask) <= 3:
                raise ValueError(f"{name} layer accepts mask list of length 2 or 3. "
                                 f"Received: inputs={inputs}, mask={mask}.")

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}


class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention: the scores are
    `sum(scale * tanh(query + key))` over the features, with a learned `scale` vector.

    >>> from eagerflow import keras
    >>> layer = keras.layers.AdditiveAttention()
    >>> layer([tf.ones((2, 3, 4)), tf.ones((2, 5, 4))]).shape.as_list()
    [2, 3, 4]
    >>> [w.shape.as_list() for w in layer.weights]
    [[4]]

    Args:
      use_scale: whether the scores are multiplied by a learned vector `scale`.
      dropout: the dropout rate of the attention weights.
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],),
                                         initializer="glorot_uniform")

    def _calculate_scores(self, query, key):
        pairs = tf.tanh(tf.expand_dims(query, -2) + tf.expand_dims(key, -3))
        if self.scale is not None:
            pairs = self.scale * pairs
        return tf.reduce_sum(pairs, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
