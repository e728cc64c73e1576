"""A layer written only with keras.ops and keras.random, as the Keras guides write them,
trains with fit to the same losses as the same layer written with tf.* ops."""

import numpy as np

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import ops


class OpsBlock(keras.layers.Layer):
    """Dense -> GELU -> layer norm -> dropout, in keras.ops and keras.random only."""

    def __init__(self, units, rate=0.2, **kwargs):
        super().__init__(**kwargs)
        self.units, self.rate = units, rate
        self.seed_generator = keras.random.SeedGenerator(5)

    def build(self, input_shape):
        initial = keras.random.normal((input_shape[-1], self.units), stddev=0.3, seed=1)
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer=lambda shape, dtype=None: initial)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, x, training=False):
        h = ops.nn.gelu(ops.matmul(x, self.w) + self.b)
        mean, variance = ops.moments(h, axes=[-1], keepdims=True)
        h = (h - mean) * ops.rsqrt(variance + 1e-5)
        if training:
            h = keras.random.dropout(h, self.rate, seed=self.seed_generator)
        return h


class TfBlock(keras.layers.Layer):
    """The same block with tf.* ops and the stateless draws keras.random makes."""

    def __init__(self, units, rate=0.2, **kwargs):
        super().__init__(**kwargs)
        self.units, self.rate = units, rate
        self.counter = tf.Variable(0, dtype=tf.int64, trainable=False)

    def build(self, input_shape):
        initial = tf.random.stateless_normal((input_shape[-1], self.units), seed=[1, 0],
                                             stddev=0.3)
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer=lambda shape, dtype=None: initial)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, x, training=False):
        z = tf.matmul(x, self.w) + self.b
        h = 0.5 * z * (1.0 + tf.tanh(0.7978845608 * (z + 0.044715 * z * z * z)))
        mean, variance = tf.nn.moments(h, axes=[-1], keepdims=True)
        h = (h - mean) * tf.math.rsqrt(variance + 1e-5)
        if training:
            seed = tf.stack([tf.constant(5, tf.int64), tf.identity(self.counter)])
            self.counter.assign_add(1)
            keep = tf.random.stateless_uniform(tf.shape(h), seed=seed) >= self.rate
            h = tf.where(keep, h / (1.0 - self.rate), tf.zeros_like(h))
        return h


def ops_loss(y_true, y_pred):
    return ops.mean(ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True))


def tf_loss(y_true, y_pred):
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.cast(y_true, tf.int32), logits=y_pred))


def train(block, loss, x, y):
    model = keras.Sequential([keras.Input((x.shape[1],)), block, keras.layers.Dense(
        3, kernel_initializer=keras.initializers.GlorotUniform(seed=3))])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss)
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    return history.history["loss"], model.predict(x, verbose=0)


def test_ops_layer_trains_like_the_tf_layer():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 6)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int32) + (x[:, 1] > 1).astype(np.int32)
    ops_losses, ops_predictions = train(OpsBlock(8), ops_loss, x, y)
    tf_losses, tf_predictions = train(TfBlock(8), tf_loss, x, y)
    np.testing.assert_allclose(ops_losses, tf_losses, rtol=1e-4)
    np.testing.assert_allclose(ops_predictions, tf_predictions, rtol=1e-3, atol=1e-4)
    assert ops_losses[-1] < ops_losses[0]
