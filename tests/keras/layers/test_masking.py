"""Masks as Keras 3 carries them: `_keras_mask` on tensors, `compute_mask`, the `mask`
argument filled in by `Layer.__call__`, masks through models, masked losses and metrics,
and the `Masking` layer."""

import warnings

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers

IDS = np.array([[3, 1, 0, 0], [2, 2, 4, 0], [1, 0, 0, 0]], dtype="int32")


class _RecordsMask(keras.layers.Layer):
    def call(self, inputs, mask=None):
        self.seen = mask
        return inputs * 2.0


class _Pair(keras.layers.Layer):
    def call(self, query, value, query_mask=None, value_mask=None):
        self.seen = (query_mask, value_mask)
        return query + value


def _masked(x, mask):
    x = tf.constant(x)
    x._keras_mask = tf.constant(mask)
    return x


@pytest.mark.filterwarnings("ignore:Layer '_+records_mask'")
def test_mask_argument_filled_from_the_input():
    layer = _RecordsMask()
    mask = np.array([[True, False]])
    layer(_masked(np.ones((1, 2, 3), "float32"), mask))
    assert layer.seen.numpy().tolist() == mask.tolist()
    layer(tf.ones((1, 2, 3)))
    assert layer.seen is None


def test_explicit_mask_wins_and_is_passed_on():
    layer = _RecordsMask()
    layer.supports_masking = True
    explicit = tf.constant([[False, True]])
    output = layer(_masked(np.ones((1, 2, 3), "float32"), [[True, False]]), mask=explicit)
    assert layer.seen is explicit
    assert output._keras_mask is explicit


@pytest.mark.filterwarnings("ignore:Layer '_+pair'")
def test_named_mask_arguments_for_several_tensor_arguments():
    layer = _Pair()
    q = _masked(np.ones((1, 2), "float32"), [[True, False]])
    layer(q, tf.ones((1, 2)))
    query_mask, value_mask = layer.seen
    assert query_mask.numpy().tolist() == [[True, False]] and value_mask is None


def test_supports_masking_defaults():
    assert not keras.layers.Layer().supports_masking
    assert layers.Masking().supports_masking and layers.LSTM(2).supports_masking
    assert layers.Embedding(3, 2, mask_zero=True).supports_masking
    assert not layers.Embedding(3, 2).supports_masking

    class WithComputeMask(keras.layers.Layer):
        def compute_mask(self, inputs, previous_mask):
            return previous_mask
    assert WithComputeMask().supports_masking


def test_layer_without_mask_support_warns_and_drops_the_mask():
    x = _masked(np.ones((2, 3, 1), "float32"), np.ones((2, 3), bool))
    with pytest.warns(UserWarning, match="Layer 'flat' \\(of type Flatten\\) was passed an "
                                         "input with a mask attached to it"):
        output = layers.Flatten(name="flat")(x)
    assert getattr(output, "_keras_mask", None) is None


def test_no_warning_without_a_mask():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layers.Flatten()(tf.ones((2, 3, 1)))


def test_compute_mask_sets_the_output_mask():
    class Halve(keras.layers.Layer):
        def call(self, inputs):
            return inputs[:, ::2]

        def compute_mask(self, inputs, previous_mask):
            return previous_mask[:, ::2]
    x = _masked(np.ones((1, 4), "float32"), [[True, False, False, True]])
    assert Halve()(x)._keras_mask.numpy().tolist() == [[True, False]]


def test_masking_layer():
    x = np.array([[[1.0, 0.0], [0.0, 0.0], [-1.0, 2.0]]], "float32")
    output = layers.Masking()(x)
    assert output._keras_mask.numpy().tolist() == [[True, False, True]]
    np.testing.assert_array_equal(output.numpy(), x)
    masked = layers.Masking(mask_value=1.0)(x)
    assert masked._keras_mask.numpy().tolist() == [[True, True, True]]
    assert layers.Masking(mask_value=-1.0).get_config()["mask_value"] == -1.0
    assert layers.Masking().compute_mask(tf.constant(x)).numpy().tolist() == [[True, False,
                                                                              True]]


def test_masking_zeroes_the_masked_steps():
    x = np.array([[[5.0, 5.0], [1.0, 2.0]]], "float32")
    output = layers.Masking(mask_value=5.0)(x)
    assert output.numpy().tolist() == [[[0.0, 0.0], [1.0, 2.0]]]


def test_symbolic_masks():
    inputs = keras.Input((4,), dtype="int32")
    embedded = layers.Embedding(5, 2, mask_zero=True)(inputs)
    assert embedded._keras_mask.shape == (None, 4) and embedded._keras_mask.dtype == "bool"
    sequences = layers.LSTM(3, return_sequences=True)(embedded)
    assert sequences._keras_mask.shape == (None, 4)
    assert layers.LSTM(3)(embedded)._keras_mask is None
    assert inputs._keras_mask is None


def test_padding_does_not_change_a_sequential_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([layers.Embedding(6, 3, mask_zero=True), layers.LSTM(4)])
    padded = model(np.array([[1, 5, 2, 0, 0, 0]]))
    short = model(np.array([[1, 5, 2]]))
    np.testing.assert_allclose(padded.numpy(), short.numpy(), rtol=1e-6)


def test_padding_does_not_change_a_functional_bidirectional_model():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((None,), dtype="int32")
    x = layers.Embedding(6, 3, mask_zero=True)(inputs)
    x = layers.Bidirectional(layers.GRU(4, return_sequences=True))(x)
    outputs = layers.LSTM(2)(x)
    model = keras.Model(inputs, outputs)
    padded = model(np.array([[4, 1, 3, 0, 0], [2, 0, 0, 0, 0]]))
    short = [model(np.array([[4, 1, 3]])), model(np.array([[2]]))]
    np.testing.assert_allclose(padded.numpy(), np.concatenate([s.numpy() for s in short]),
                               rtol=1e-5, atol=1e-6)


def test_functional_model_takes_a_mask_argument():
    inputs = keras.Input((3, 2))
    model = keras.Model(inputs, layers.SimpleRNN(2, return_sequences=True)(inputs))
    x = np.ones((1, 3, 2), "float32")
    # Keras 3.15 warns here too: a model does not support masking, though its output
    # carries the mask of its last layer.
    with pytest.warns(UserWarning, match="of type Functional"):
        output = model(x, mask=np.array([[True, True, False]]))
    np.testing.assert_allclose(output.numpy()[0, 2], output.numpy()[0, 1])
    assert output._keras_mask.numpy().tolist() == [[True, True, False]]


def _masked_sequence_model():
    inputs = keras.Input((4,), dtype="int32")
    x = layers.Embedding(5, 2, mask_zero=True)(inputs)
    x = layers.SimpleRNN(3, return_sequences=True)(x)
    model = keras.Model(inputs, layers.TimeDistributed(layers.Dense(1))(x))
    weights = [[[-0.14, -0.33], [-0.53, -0.2], [0.24, -0.12], [0.48, -0.1], [0.01, 0.77]],
               [[0.27, -0.25, -0.09], [0.27, 0.97, -0.13]],
               [[-0.12, 0.5, -0.44], [-0.15, 0.44, 0.29], [0.05, 0.34, -1.41]],
               [0.51, -0.48, -0.83], [[0.14], [0.35], [-0.22]], [-0.54]]
    model.set_weights([np.array(w, "float32") for w in weights])
    return model


def test_losses_and_metrics_are_weighted_by_the_output_mask():
    model = _masked_sequence_model()
    y = np.array([[[2.041], [-2.556], [0.418], [-0.568]],
                  [[-0.453], [-0.216], [-2.02], [-0.232]],
                  [[-0.865], [3.323], [0.226], [-0.353]]], "float32")
    model.compile(loss="mse", metrics=["mae"], weighted_metrics=["mse"])
    result = model.evaluate(IDS, y, verbose=0, return_dict=True)
    # Recorded from Keras 3.15 (TensorFlow 2.21) with the same weights and data.
    assert result["loss"] == pytest.approx(2.2565572261810303, rel=1e-6)
    assert result["mae"] == pytest.approx(1.1771939992904663, rel=1e-6)
    assert result["mse"] == pytest.approx(2.2565572261810303, rel=1e-6)
    prediction = model(IDS)
    assert prediction._keras_mask.numpy().tolist() == (IDS != 0).tolist()
    # Keras 3.15: masked steps repeat the last kept output.
    np.testing.assert_allclose(prediction.numpy()[:, :, 0], [
        [-0.5212280750274658, -0.684171199798584, -0.684171199798584, -0.684171199798584],
        [-0.5219039916992188, -0.6660405397415161, -0.24488019943237305, -0.24488019943237305],
        [-0.5299564003944397] * 4], rtol=1e-5)


def test_masked_steps_get_no_gradient_in_fit():
    model = _masked_sequence_model()
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros((3, 4, 1), "float32")
    other = y.copy()
    other[IDS == 0] = 100.0  # targets at padded steps must not matter
    first = _masked_sequence_model()
    first.compile(optimizer="sgd", loss="mse")
    model.fit(IDS, y, epochs=1, verbose=0, shuffle=False)
    first.fit(IDS, other, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), first.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_mask_is_not_filled_in_when_several_tensors_are_passed():
    # Keras 3.15 fills `mask` only for a call with one tensor argument: with an initial
    # state the RNN runs unmasked (its output at the padded step moves on).
    x = layers.Masking()(np.array([[[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]]], "float32"))
    layer = layers.SimpleRNN(2, return_sequences=True)
    masked = layer(x).numpy()
    unmasked = layer(x, initial_state=[tf.zeros((1, 2))]).numpy()
    np.testing.assert_allclose(masked[0, 2], masked[0, 1])
    np.testing.assert_allclose(unmasked[0, :2], masked[0, :2], rtol=1e-6)
    assert not np.allclose(unmasked[0, 2], unmasked[0, 1])
