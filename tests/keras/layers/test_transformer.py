"""End to end: a two-block Transformer encoder (the book's TransformerEncoder, with token and
position embeddings) classifying synthetic token sequences, and a tiny GPT-style decoder
(causal self-attention) learning a synthetic next-token task."""

import numpy as np

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers


class TransformerEncoder(layers.Layer):
    """Self-attention and a dense projection, each with a residual and LayerNormalization."""

    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"),
                                            layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = mask[:, tf.newaxis, :]
        attention_output = self.attention(inputs, inputs, attention_mask=mask)
        proj_input = self.layernorm_1(inputs + attention_output)
        return self.layernorm_2(proj_input + self.dense_proj(proj_input))


class PositionalEmbedding(layers.Layer):
    """Token embeddings plus learned position embeddings; index 0 is padding (masked)."""

    def __init__(self, sequence_length, input_dim, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim, output_dim)
        self.position_embeddings = layers.Embedding(sequence_length, output_dim)

    def call(self, inputs):
        positions = tf.range(start=0, limit=tf.shape(inputs)[-1], delta=1)
        return self.token_embeddings(inputs) + self.position_embeddings(positions)

    def compute_mask(self, inputs, mask=None):
        return tf.math.not_equal(inputs, 0)


def _order_task(n, rng, length=12, vocabulary=12):
    """Padded sequences of random tokens holding a 3 and a 4 once each; the label says
    whether the 3 comes first (so order matters: pooled embeddings alone cannot tell)."""
    lengths = rng.integers(6, length + 1, n)
    x = rng.integers(5, vocabulary, (n, length))
    x[np.arange(length)[None] >= lengths[:, None]] = 0
    first, second = (rng.random((2, n)) * (lengths - 1)).astype(int)
    second = np.where(second >= first, second + 1, second)  # two distinct real positions
    rows = np.arange(n)
    x[rows, first], x[rows, second] = 3, 4
    return x.astype("int32"), (first < second).astype("int32")


def test_two_block_transformer_encoder_classifies_token_order():
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    x_train, y_train = _order_task(1280, rng)
    x_test, y_test = _order_task(500, rng)
    inputs = keras.Input((12,), dtype="int32")
    x = PositionalEmbedding(12, 12, 16)(inputs)
    x = TransformerEncoder(16, 32, num_heads=2)(x)
    x = TransformerEncoder(16, 32, num_heads=2)(x)
    x = layers.GlobalAveragePooling1D()(x)  # the average of the real positions
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=64, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.9  # chance is 0.5


class DecoderBlock(layers.Layer):
    """A pre-norm GPT block: causal self-attention and an MLP, each with a residual."""

    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads,
                                                   key_dim=embed_dim // num_heads)
        self.mlp = keras.Sequential([layers.Dense(dense_dim, activation="relu"),
                                     layers.Dense(embed_dim)])
        self.norm_1 = layers.LayerNormalization()
        self.norm_2 = layers.LayerNormalization()

    def call(self, inputs):
        normed = self.norm_1(inputs)
        x = inputs + self.attention(normed, normed, use_causal_mask=True)
        return x + self.mlp(self.norm_2(x))


class TokenAndPosition(layers.Layer):
    def __init__(self, length, vocabulary, dim, **kwargs):
        super().__init__(**kwargs)
        self.tokens = layers.Embedding(vocabulary, dim)
        self.positions = layers.Embedding(length, dim)

    def call(self, x):
        return self.tokens(x) + self.positions(tf.range(tf.shape(x)[-1]))


def test_gpt_decoder_learns_to_repeat_a_sequence():
    # Each sequence is a random prefix of 6 tokens written twice; the model predicts every
    # next token. The first half is unpredictable (loss ln 10 there); the second half is a
    # copy of what the causal attention can look back at.
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    vocabulary, half = 10, 6
    prefix = rng.integers(0, vocabulary, (1024 + 256, half))
    sequences = np.concatenate([prefix, prefix], axis=1).astype("int32")
    x, y = sequences[:, :-1], sequences[:, 1:]
    inputs = keras.Input((2 * half - 1,), dtype="int32")
    h = TokenAndPosition(2 * half - 1, vocabulary, 32)(inputs)
    h = DecoderBlock(32, 64, num_heads=2)(h)
    logits = layers.Dense(vocabulary)(layers.LayerNormalization()(h))
    model = keras.Model(inputs, logits)
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    start = model.evaluate(x[1024:], y[1024:], verbose=0)
    model.fit(x[:1024], y[:1024], epochs=6, batch_size=64, verbose=0)
    end = model.evaluate(x[1024:], y[1024:], verbose=0)
    assert start > 2.0  # about ln(10) before training
    assert end < 0.5 * start
    predicted = model.predict(x[1024:], verbose=0).argmax(-1)
    # The copied half is predicted from the first half: future tokens never leak in.
    assert (predicted[:, half - 1:] == y[1024:, half - 1:]).mean() >= 0.95
