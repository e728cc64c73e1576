"""`Embedding`: maps integer indices to rows of a trainable matrix."""

import warnings

import eagerflow as tf
from eagerflow.keras import constraints, initializers, regularizers
from eagerflow.keras.layers.layer import Layer


class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors: row `i` of `embeddings`.

    The gradient reaches `embeddings` as `tf.IndexedSlices` (the rows that were used).

    >>> from eagerflow import keras
    >>> layer = keras.layers.Embedding(10, 3, mask_zero=True)
    >>> layer(tf.constant([[1, 0]])).shape.as_list()
    [1, 2, 3]
    >>> layer.compute_mask(tf.constant([[1, 0]])).numpy().tolist()
    [[True, False]]

    Args:
      input_dim: the vocabulary size (largest index + 1).
      output_dim: the size of each vector.
      embeddings_initializer: initializer of the `embeddings` matrix ("uniform").
      embeddings_regularizer, embeddings_constraint: optional penalty and projection.
      mask_zero: index 0 is padding: the output carries a mask that is False there (so
        the vocabulary needs `input_dim = vocabulary size + 1`).
      weights: optional initial value of the `embeddings` matrix.
    """

    _weights_made_by_build = ("embeddings",)

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
                 **kwargs):
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.",
                          stacklevel=2)
        if lora_rank or quantization_config is not None:
            raise NotImplementedError("LoRA and quantization of Embedding layers are not "
                                      "supported by eagerflow.")
        super().__init__(**kwargs)
        for name, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Received an invalid value for argument `{name}`, "
                                 f"expected a positive integer, got {value}.")
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer=self.embeddings_initializer,
            name="embeddings", regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint)

    def call(self, inputs):
        if inputs.dtype not in (tf.int32, tf.int64):
            inputs = tf.cast(inputs, tf.int32)
        return tf.gather(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return tf.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero, "quantization_config": None}
