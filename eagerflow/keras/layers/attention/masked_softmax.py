"""The softmax of attention scores under a boolean mask, as Keras's attention layers take it."""

import eagerflow as tf
from eagerflow.keras import activations
from eagerflow.keras.layers.layer import Layer

# What masked scores become before the softmax: Keras's `Softmax` layer uses -1e9; its
# fused `dot_product_attention` uses -0.7 times the largest float32.
_MASKED_SCORE = -1e9
_FUSED_MASKED_SCORE = -0.7 * 3.38953e38


def masked_softmax(scores, mask, axis=-1, zero_masked=True):
    """`softmax(scores)` over `axis` (an int or a tuple) where `mask` (broadcastable to
    `scores`) is True; masked positions get no weight.

    A query position whose every key is masked gets all-zero weights with `zero_masked`
    (Keras's `Softmax` layer), or equal weights without (its fused attention kernel).
    """
    if isinstance(axis, (tuple, list)) and len(axis) == 1:
        axis = axis[0]  # one axis: the plain softmax (a tuple goes through logsumexp)
    if mask is None:
        return activations.softmax(scores, axis=axis)
    mask = tf.cast(mask, tf.bool)
    fill = _MASKED_SCORE if zero_masked else _FUSED_MASKED_SCORE
    weights = activations.softmax(
        tf.where(mask, scores, tf.cast(fill, scores.dtype)), axis=axis)
    if zero_masked:
        weights = tf.where(mask, weights, tf.zeros((), weights.dtype))
    return weights


class AttentionSoftmax(Layer):
    """The weightless softmax step of `MultiHeadAttention` (Keras's `Softmax` sublayer,
    kept so that weights files hold the same groups): `masked_softmax` over `axis`."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.built = True

    def call(self, inputs, mask=None, zero_masked=True):
        return masked_softmax(inputs, mask, self.axis, zero_masked=zero_masked)

    def compute_mask(self, inputs, mask=None):
        return None  # the mask is used up here: the weights carry none

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
