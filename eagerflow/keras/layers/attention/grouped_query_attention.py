"""`GroupedQueryAttention` (`keras.layers.GroupQueryAttention`): attention whose query
heads share fewer key and value heads (Ainslie et al., 2023)."""

import eagerflow as tf
from eagerflow.keras.layers.attention.multi_head_attention import MultiHeadAttention
from eagerflow.keras.layers.einsum_dense import EinsumDense
from eagerflow.keras.symbolic import KerasTensor


class GroupedQueryAttention(MultiHeadAttention):
    """Grouped-query attention: `num_query_heads` query heads in groups, each group
    attending with one of `num_key_value_heads` key/value heads (all of size `head_dim`).
    With as many key/value heads as query heads it is multi-head attention; with one, it
    is multi-query attention. Inputs are `(batch, length, features)`; masks, the causal
    mask, `sliding_window` and `return_attention_scores` work as in `MultiHeadAttention`.

    >>> from eagerflow import keras
    >>> layer = keras.layers.GroupQueryAttention(head_dim=4, num_query_heads=4,
    ...                                          num_key_value_heads=2)
    >>> layer(tf.ones((2, 5, 8)), tf.ones((2, 3, 8))).shape
    TensorShape([2, 5, 8])
    """

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        super().__init__(
            num_query_heads, head_dim, dropout=dropout, use_bias=use_bias,
            sliding_window=sliding_window, flash_attention=flash_attention,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, use_gate=use_gate, seed=seed, **kwargs)
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`.")
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads

    def _heads(self, input_shape, heads, name, activation=None):
        layer = EinsumDense("abc,cde->abde", output_shape=(None, heads, self.head_dim),
                            bias_axes="de" if self.use_bias else None, activation=activation,
                            name=name, **self._sublayer_arguments())
        layer.build(tuple(input_shape))
        return layer

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        self.query_dense = self._heads(query_shape, self.num_query_heads, "query")
        self.key_dense = self._heads(key_shape, self.num_key_value_heads, "key")
        if self._use_gate:
            self.gate_dense = self._heads(query_shape, self.num_query_heads, "gate", "sigmoid")
        self.value_dense = self._heads(value_shape, self.num_key_value_heads, "value")
        self._build_attention(4)
        self.output_dense = EinsumDense(
            "abcd,cde->abe", output_shape=(None, self.feature_dim),
            bias_axes="e" if self.use_bias else None, name="attention_output",
            **self._sublayer_arguments())
        self.output_dense.build((None, None, self.num_query_heads, self.head_dim))

    def _key_value_heads(self, key, value):
        # Each key/value head serves `num_repeats` consecutive query heads.
        return (tf.repeat(self.key_dense(key), self.num_repeats, axis=2),
                tf.repeat(self.value_dense(value), self.num_repeats, axis=2))

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(f"The last dimension of `query_shape` and `value_shape` must be "
                             f"equal, but are {query_shape[-1]}, {value_shape[-1]}. Received: "
                             f"query_shape={query_shape}, value_shape={value_shape}")
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"All dimensions of `value` and `key`, except the last one, must "
                             f"be equal. Received: value_shape={value_shape} and "
                             f"key_shape={key_shape}")
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        output = KerasTensor(self.compute_output_shape(
            query.shape, value.shape, None if key is None else key.shape), self.dtype)
        if not return_attention_scores:
            return output
        source = value if key is None else key
        scores_shape = (query.shape[0], self.num_query_heads, query.shape[1], source.shape[1])
        return output, KerasTensor(scores_shape, self.dtype)

    def get_config(self):
        base = super(MultiHeadAttention, self).get_config()
        return {**base, "head_dim": self.head_dim, "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads, "use_bias": self.use_bias,
                "use_gate": self._use_gate, "sliding_window": self._sliding_window,
                "dropout": self.dropout, **self._projections_config(), "seed": self.seed}
