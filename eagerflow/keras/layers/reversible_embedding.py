"""`ReversibleEmbedding`: an embedding that also maps vectors back to token logits."""

import eagerflow as tf
from eagerflow.keras.layers.embedding import Embedding
from eagerflow.keras.symbolic import KerasTensor


class ReversibleEmbedding(Embedding):
    """An `Embedding` that, called with `reverse=True`, projects `(..., output_dim)`
    vectors to `(..., input_dim)` logits: by the transposed embeddings when
    `tie_weights` (the default), else by a separate `reverse_embeddings` weight. The
    logits are computed in `reverse_dtype` when given, and soft-capped to
    `cap * tanh(logits / cap)` when `logit_soft_cap` is set.

    >>> from eagerflow import keras
    >>> layer = keras.layers.ReversibleEmbedding(10, 4)
    >>> hidden = layer(tf.constant([[1, 2, 3]]))
    >>> layer(hidden, reverse=True).shape
    TensorShape([1, 3, 10])
    """

    def __init__(self, input_dim, output_dim, tie_weights=True,
                 embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero,
                         **kwargs)
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim), name="reverse_embeddings",
                initializer=self.embeddings_initializer)

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        kernel = (tf.transpose(self.embeddings) if self.tie_weights
                  else tf.convert_to_tensor(self.reverse_embeddings))
        if self.reverse_dtype is not None:
            inputs = tf.cast(inputs, self.reverse_dtype)
            kernel = tf.cast(kernel, self.reverse_dtype)
        logits = tf.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            logits = tf.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs, mask=None):
        # Token ids (the forward call) get Embedding's mask; vectors (reverse) none.
        if not inputs.dtype.is_integer:
            return None
        return super().compute_mask(inputs, mask)

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, inputs, reverse=False):
        return KerasTensor(self.compute_output_shape(inputs.shape, reverse),
                           self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype, "logit_soft_cap": self.logit_soft_cap}
