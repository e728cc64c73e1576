"""Keras masks through the layers that pass them on (Dense, Activation, Identity, the merge
layers) on their way to attention and recurrent layers."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.layers.layer import set_keras_mask


def test_supports_masking_flags_as_keras():
    # Keras 3.15: True for Dense, Activation, Identity; a Lambda only when given a mask.
    assert keras.layers.Dense(2).supports_masking
    assert keras.layers.Activation("relu").supports_masking
    assert keras.layers.Identity().supports_masking
    assert not keras.layers.Lambda(lambda x: x).supports_masking
    assert keras.layers.Lambda(lambda x: x, mask=lambda x, m: m).supports_masking
    assert keras.layers.EinsumDense("ab,bc->ac", 2).supports_masking
    assert keras.layers.MultiHeadAttention(2, 2).supports_masking


def test_embedding_mask_reaches_lstm_through_dense():
    tokens = np.array([[4, 2, 7, 0, 0], [3, 5, 0, 0, 0]], dtype="int32")
    embed = keras.layers.Embedding(10, 6, mask_zero=True)
    dense = keras.layers.Dense(8, activation="tanh")
    lstm = keras.layers.LSTM(4)
    hidden = dense(embed(tokens))
    np.testing.assert_array_equal(hidden._keras_mask.numpy(), tokens != 0)
    final = lstm(hidden).numpy()
    # The LSTM skipped the padded steps: each row's result is that of its real tokens.
    for row, length in ((0, 3), (1, 2)):
        alone = lstm(dense(embed(tokens[row:row + 1, :length]))).numpy()
        np.testing.assert_allclose(final[row], alone[0], rtol=1e-5, atol=1e-6)
    unmasked = lstm(dense(keras.layers.Embedding(10, 6)(tokens)))
    assert unmasked.shape == final.shape


def test_mask_reaches_lstm_through_dense_in_a_functional_model():
    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(10, 6, mask_zero=True)(inputs)
    x = keras.layers.Dense(8)(x)
    x = keras.layers.Activation("relu")(x)
    assert x._keras_mask is not None
    model = keras.Model(inputs, keras.layers.LSTM(4)(x))
    padded = np.array([[4, 2, 7, 0, 0]], dtype="int32")
    np.testing.assert_allclose(model(padded).numpy(), model(padded[:, :3]).numpy(),
                               rtol=1e-5, atol=1e-6)
    assert not np.allclose(model(padded).numpy(), model(padded[:, :2]).numpy())


# Masks recorded from Keras 3.15 for these inputs: x1, x3 of shape (1, 2, 3), x2 (1, 3, 3).
_M1, _M3 = np.array([[True, False]]), np.array([[False, False]])


@pytest.mark.parametrize("layer, masks, expected", [
    (keras.layers.Concatenate(axis=1), "m1,none", [[True, False, True, True, True]]),
    (keras.layers.Concatenate(axis=-1), "m1,m3", [[True, False]]),
    (keras.layers.Add(), "m1,m3", [[True, False]]),
    (keras.layers.Add(), "m1,none", None),
    (keras.layers.Dot(axes=-1), "m1,m3", None),
])
def test_merge_masks_as_keras(layer, masks, expected):
    x1, x3 = np.ones((1, 2, 3), "float32"), np.ones((1, 2, 3), "float32")
    second = np.ones((1, 3, 3), "float32") if masks == "m1,none" and isinstance(
        layer, keras.layers.Concatenate) else x3
    mask_list = [tf.constant(_M1), None if masks.endswith("none") else tf.constant(_M3)]
    result = layer.compute_mask([x1, second], mask_list)
    if expected is None:
        assert result is None
    else:
        assert result.numpy().tolist() == expected


def test_merge_layer_passes_the_combined_mask_on():
    tokens_a = np.array([[1, 2, 0]], dtype="int32")
    tokens_b = np.array([[3, 0, 0]], dtype="int32")
    embed = keras.layers.Embedding(5, 2, mask_zero=True)
    added = keras.layers.Add()([embed(tokens_a), embed(tokens_b)])
    assert added._keras_mask.numpy().tolist() == [[True, True, False]]


def test_merge_mask_errors():
    with pytest.raises(ValueError, match="`mask` should be a list"):
        keras.layers.Add().compute_mask([tf.ones((1, 2))] * 2, tf.constant([[True]]))
    with pytest.raises(ValueError, match="should have the same length"):
        keras.layers.Concatenate().compute_mask([tf.ones((1, 2))] * 2, [None])


# Keras 3.15 (TensorFlow 2.21) on these inputs: masked values take no part in Maximum and
# Minimum, count as 1 in Multiply (and 0 where every input is masked there).
_X = [[[1, 5], [3, -2], [0, 4]], [[2, -1], [7, 6], [-3, 1]], [[4, 4], [-5, 9], [2, -6]]]
_STEP_MASKS = {"m1": [True, False, True], "m2": [False, False, True],
               "m3": [False, True, False], "none": None}


@pytest.mark.parametrize("class_name, masks, expected, expected_mask", [
    ("Maximum", "m1,m2", [[1.0, 5.0], [3.0, -2.0], [0.0, 4.0]], [True, False, True]),
    ("Maximum", "m1,none", [[2.0, 5.0], [7.0, 6.0], [0.0, 4.0]], None),
    ("Maximum", "none,m2", [[1.0, 5.0], [3.0, -2.0], [0.0, 4.0]], None),
    ("Maximum", "m1,m2,m3", [[1.0, 5.0], [-5.0, 9.0], [0.0, 4.0]], [True, True, True]),
    ("Maximum", "m1,m2,none", [[4.0, 5.0], [-5.0, 9.0], [2.0, 4.0]], None),
    ("Minimum", "m1,m2", [[1.0, 5.0], [3.0, -2.0], [-3.0, 1.0]], [True, False, True]),
    ("Minimum", "m1,none", [[1.0, -1.0], [7.0, 6.0], [-3.0, 1.0]], None),
    ("Minimum", "none,m2", [[1.0, 5.0], [3.0, -2.0], [-3.0, 1.0]], None),
    ("Minimum", "m1,m2,m3", [[1.0, 5.0], [-5.0, 9.0], [-3.0, 1.0]], [True, True, True]),
    ("Minimum", "m1,m2,none", [[1.0, 4.0], [-5.0, 9.0], [-3.0, -6.0]], None),
    ("Multiply", "m1,m2", [[1.0, 5.0], [0.0, 0.0], [0.0, 4.0]], [True, False, True]),
    ("Multiply", "m1,none", [[2.0, -5.0], [7.0, 6.0], [0.0, 4.0]], None),
    ("Multiply", "none,m2", [[1.0, 5.0], [3.0, -2.0], [0.0, 4.0]], None),
    ("Multiply", "m1,m2,m3", [[1.0, 5.0], [-5.0, 9.0], [0.0, 4.0]], [True, True, True]),
    ("Multiply", "m1,m2,none", [[4.0, 20.0], [-5.0, 9.0], [0.0, -24.0]], None),
])
def test_elementwise_merge_of_masked_values_as_keras(class_name, masks, expected,
                                                      expected_mask):
    inputs = []
    for x, name in zip(_X, masks.split(",")):
        tensor = tf.constant([x], tf.float32)
        if _STEP_MASKS[name] is not None:
            set_keras_mask(tensor, tf.constant([_STEP_MASKS[name]]))
        inputs.append(tensor)
    output = getattr(keras.layers, class_name)()(inputs)
    assert output.numpy()[0].tolist() == expected
    mask = getattr(output, "_keras_mask", None)
    assert (None if mask is None else mask.numpy()[0].tolist()) == expected_mask


def test_masked_maximum_gradients():
    x1 = tf.constant([[[1.0, 5.0], [3.0, -2.0]]])
    x2 = tf.constant([[[2.0, -1.0], [7.0, 6.0]]])
    set_keras_mask(x1, tf.constant([[True, False]]))
    set_keras_mask(x2, tf.constant([[False, True]]))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x1, x2])
        y = keras.layers.Maximum()([x1, x2])
    # Each position takes the one unmasked input's value, so the gradient goes there.
    assert tape.gradient(y, x1).numpy().tolist() == [[[1.0, 1.0], [0.0, 0.0]]]
    assert tape.gradient(y, x2).numpy().tolist() == [[[0.0, 0.0], [1.0, 1.0]]]
