"""MultiHeadAttention, Attention and AdditiveAttention: values recorded from Keras 3.15
(fixtures/layers/attention_layers.*), masks, causal masking, gradients, config, saving."""

import json

import h5py
import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.layers.layer import set_keras_mask
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer
from tests.keras.layers import attention_cases as cases


def _jsonable(config):
    return json.loads(json.dumps(config, default=list))


def _run_recorded(name):
    keras.backend.clear_session()
    layer = cases.make_layer(name)
    args, kwargs = cases.call_arguments(name)
    layer(*args, **kwargs)
    layer.set_weights(cases.recorded_weights(name))
    return layer, layer(*args, **kwargs)


@pytest.mark.parametrize("name", cases.case_names("MultiHeadAttention", "Attention",
                                                  "AdditiveAttention"))
def test_matches_keras(name):
    case = cases.RECORDED[name]
    layer, result = _run_recorded(name)
    output, scores = result if isinstance(result, tuple) else (result, None)
    assert [w.path for w in layer.weights] == case["weight_names"]
    assert [list(w.shape) for w in layer.weights] == case["weight_shapes"]
    assert output.dtype == tf.float32
    np.testing.assert_allclose(output.numpy(), cases.array(name, "y"), rtol=1e-5, atol=2e-6)
    if case["call_kwargs"].get("return_attention_scores"):
        np.testing.assert_allclose(scores.numpy(), cases.array(name, "scores"), rtol=1e-5,
                                   atol=1e-6)
    mask = getattr(output, "_keras_mask", None)
    if case["output_mask"] is None:
        assert mask is None
    else:
        assert mask.numpy().tolist() == case["output_mask"]
    assert _jsonable(layer.get_config()) == case["config"]


@pytest.mark.parametrize("name", ["mha_cross_key", "mha_attention_axes", "attention_dot"])
def test_symbolic_shapes_match_eager(name):
    layer, result = _run_recorded(name)
    args, kwargs = cases.call_arguments(
        name, convert=lambda x: keras.Input(batch_shape=(None,) + x.shape[1:]))
    symbolic = cases.make_layer(name)(*args, **kwargs)
    for eager, spec in zip(tf.nest.flatten(result), tf.nest.flatten(symbolic)):
        assert spec.shape == (None,) + tuple(eager.shape)[1:]


# --- masks ----------------------------------------------------------------------------------

def _padded_tokens():
    return np.array([[3, 1, 4, 1, 0, 0], [2, 7, 0, 0, 0, 0]], dtype="int32")


def test_mha_embedding_mask_hides_padding_and_reaches_output():
    embed = keras.layers.Embedding(10, 8, mask_zero=True)
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    tokens = _padded_tokens()
    x = embed(tokens)
    y = mha(x, x)
    np.testing.assert_array_equal(y._keras_mask.numpy(), tokens != 0)
    # Changing what sits at padded positions leaves the real positions' outputs alone.
    other = np.where(tokens == 0, 5, tokens).astype("int32")
    x_other = embed(other)
    set_keras_mask(x_other, tf.constant(tokens != 0))
    y_other = mha(x_other, x_other)
    real = tokens != 0
    np.testing.assert_allclose(y_other.numpy()[real], y.numpy()[real], rtol=1e-5, atol=1e-6)
    assert not np.allclose(y_other.numpy()[~real], y.numpy()[~real])


def test_mha_masks_in_a_functional_model():
    tokens = keras.Input((6,), dtype="int32")
    x = keras.layers.Embedding(10, 8, mask_zero=True)(tokens)
    y = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    assert y._keras_mask is not None and y._keras_mask.shape == (None, 6)
    pooled = keras.layers.GlobalAveragePooling1D()(y)
    model = keras.Model(tokens, pooled)
    data = _padded_tokens()
    eager = model.layers[2](model.layers[1](data), model.layers[1](data))
    # The pooling averages the real positions only: the mask made it through the model.
    expected = [eager.numpy()[i][data[i] != 0].mean(axis=0) for i in range(2)]
    np.testing.assert_allclose(model.predict(data, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_causal_mask_keeps_the_future_out(rng):
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    x = rng.standard_normal((2, 5, 6)).astype("float32")
    changed = x.copy()
    changed[:, 3:] = rng.standard_normal((2, 2, 6))
    y, scores = mha(x, x, use_causal_mask=True, return_attention_scores=True)
    y_changed = mha(changed, changed, use_causal_mask=True)
    np.testing.assert_allclose(y_changed.numpy()[:, :3], y.numpy()[:, :3], rtol=1e-5,
                               atol=1e-6)
    assert np.all(np.triu(scores.numpy()[0, 0], k=1) == 0.0)
    np.testing.assert_allclose(scores.numpy().sum(axis=-1), 1.0, rtol=1e-6)


def test_attention_mask_argument_and_keras_masks_combine(rng):
    mha = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2)
    q = rng.standard_normal((1, 3, 4)).astype("float32")
    v = tf.constant(rng.standard_normal((1, 4, 4)).astype("float32"))
    set_keras_mask(v, tf.constant([[True, True, True, False]]))
    attention_mask = np.array([[[1, 0, 1, 1], [1, 1, 1, 1], [0, 1, 1, 1]]], dtype=bool)
    _, scores = mha(q, v, attention_mask=attention_mask, return_attention_scores=True)
    allowed = attention_mask & np.array([True, True, True, False])
    assert np.all(scores.numpy()[0, 0][~allowed[0]] == 0.0)
    np.testing.assert_allclose(scores.numpy().sum(axis=-1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("layer", [
    lambda: keras.layers.MultiHeadAttention(num_heads=2, key_dim=2),
    lambda: keras.layers.GroupQueryAttention(head_dim=2, num_query_heads=2,
                                             num_key_value_heads=1)])
def test_key_mask_applies_when_key_defaults_to_value(layer, rng):
    # Keras 3.15 masks the keys with `key_mask` even when `key` is left out.
    layer = layer()
    q = rng.standard_normal((1, 3, 4)).astype("float32")
    v = rng.standard_normal((1, 3, 4)).astype("float32")
    key_mask = np.array([[True, False, True]])
    _, scores = layer(q, v, key_mask=key_mask, return_attention_scores=True)
    assert np.all(scores.numpy()[..., 1] == 0.0)
    explicit = layer(q, v, key=v, key_mask=key_mask)
    np.testing.assert_allclose(layer(q, v, key_mask=key_mask).numpy(), explicit.numpy())


def test_attention_layer_mask_reaches_output_and_zeroes_padded_queries(rng):
    q = rng.standard_normal((2, 3, 4)).astype("float32")
    v = rng.standard_normal((2, 5, 4)).astype("float32")
    q_mask = np.array([[True, True, False], [True, False, False]])
    v_mask = np.array([[True, True, True, False, False], [True] * 5])
    layer = keras.layers.Attention()
    y, scores = layer([q, v], mask=[q_mask, v_mask], return_attention_scores=True)
    np.testing.assert_array_equal(y._keras_mask.numpy(), q_mask)
    assert np.all(y.numpy()[~q_mask] == 0.0)
    assert np.all(scores.numpy()[0][:, 3:] == 0.0)


@pytest.mark.parametrize("cls", [keras.layers.Attention, keras.layers.AdditiveAttention])
def test_attention_causal(cls, rng):
    x = rng.standard_normal((2, 4, 3)).astype("float32")
    _, scores = cls()([x, x], use_causal_mask=True, return_attention_scores=True)
    assert np.all(np.triu(scores.numpy(), k=1) == 0.0)


def test_mha_dropout_only_in_training(rng):
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=1)
    x = rng.standard_normal((2, 4, 6)).astype("float32")
    inference = mha(x, x).numpy()
    np.testing.assert_array_equal(mha(x, x, training=False).numpy(), inference)
    assert not np.allclose(mha(x, x, training=True).numpy(), inference)


# --- gradients ------------------------------------------------------------------------------

def test_mha_gradients_of_inputs():
    rng = np.random.default_rng(3)
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2, dtype="float64")
    q, v = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 4))
    mask = tf.constant(np.array([[True, True, False, True], [True, False, True, True]]))
    mha(q, v)

    def f(query, value):
        return mha(query, value, value_mask=mask, use_causal_mask=True,
                   return_attention_scores=True)
    check_gradients(f, q, v, order=1)


@pytest.mark.parametrize("cls, kwargs", [
    (keras.layers.Attention, {"use_scale": True}),
    (keras.layers.Attention, {"use_scale": True, "score_mode": "concat"}),
    (keras.layers.AdditiveAttention, {}),
])
def test_attention_gradients_of_inputs(cls, kwargs):
    rng = np.random.default_rng(4)
    layer = cls(dtype="float64", **kwargs)
    q, v, k = (rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 4)),
               rng.standard_normal((2, 4, 4)))
    mask = [tf.constant(np.array([[True, True, False]] * 2)),
            tf.constant(np.array([[True, True, True, False]] * 2))]
    check_gradients(lambda *xs: layer(list(xs), mask=mask, return_attention_scores=True),
                    q, v, k, order=2)


def _check_weight_gradients(layer, loss, eps=1e-6):
    """The tape's gradient of `loss()` for each weight against central differences along a
    random direction (the weights are float64)."""
    rng = np.random.default_rng(5)
    with tf.GradientTape() as tape:
        value = loss()
    gradients = tape.gradient(value, layer.trainable_weights)
    for variable, gradient in zip(layer.trainable_weights, gradients):
        start = variable.numpy()
        direction = rng.standard_normal(start.shape)
        variable.assign(start + eps * direction)
        plus = float(loss())
        variable.assign(start - eps * direction)
        minus = float(loss())
        variable.assign(start)
        numeric = (plus - minus) / (2 * eps)
        analytic = float(np.sum(gradient.numpy() * direction))
        assert abs(analytic - numeric) <= 1e-6 + 1e-5 * abs(numeric), variable.path


def test_mha_gradients_of_weights():
    rng = np.random.default_rng(6)
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2, use_gate=True,
                                          dtype="float64")
    q, v = tf.constant(rng.standard_normal((2, 3, 4))), tf.constant(rng.standard_normal((2, 4, 4)))
    mha(q, v)
    for w in mha.weights:  # non-zero biases, so their gradients are exercised too
        w.assign(rng.standard_normal(w.shape))
    target = tf.constant(rng.standard_normal((2, 3, 4)))
    _check_weight_gradients(
        mha, lambda: tf.reduce_sum(tf.square(mha(q, v, use_causal_mask=True) - target)))
    assert len(mha.trainable_weights) == 10


# --- the shared layer checks, config, errors, saving -----------------------------------------

class _SelfAttention(keras.layers.Layer):
    """MultiHeadAttention on one input (check_layer calls a layer on one tensor)."""

    def __init__(self, **kwargs):
        name = kwargs.pop("name", None)
        super().__init__(name=name)
        self.mha_kwargs = kwargs
        self.mha = keras.layers.MultiHeadAttention(**kwargs)

    def call(self, inputs):
        return self.mha(inputs, inputs, use_causal_mask=True)

    def get_config(self):
        return {**super().get_config(), **self.mha_kwargs}


def test_mha_check_layer():
    check_layer(_SelfAttention, {"num_heads": 2, "key_dim": 3, "value_dim": 5,
                                 "output_shape": 7},
                input_shape=(2, 4, 6), expected_output_shape=(2, 4, 7),
                expected_num_trainable_weights=8)


def test_mha_output_shape_and_build_config_round_trip():
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, output_shape=(2, 5))
    y = mha(np.ones((2, 4, 6), "float32"), np.ones((2, 7, 3), "float32"))
    assert y.shape == (2, 4, 2, 5)
    assert mha.compute_output_shape((None, 4, 6), (None, 7, 3)) == (None, 4, 2, 5)
    assert mha.get_build_config() == {"shapes_dict": {"query_shape": (2, 4, 6),
                                                      "value_shape": (2, 7, 3)}}
    twin = keras.layers.deserialize(keras.layers.serialize(mha))
    assert twin.built
    assert [w.shape for w in twin.weights] == [w.shape for w in mha.weights]


@pytest.mark.parametrize("kwargs, message", [
    ({"num_heads": 0, "key_dim": 2}, "num_heads"),
    ({"num_heads": 2, "key_dim": 2.5}, "key_dim"),
    ({"num_heads": 2, "key_dim": 2, "value_dim": -1}, "value_dim"),
    ({"num_heads": 2, "key_dim": 2, "attention_axes": "1"}, "attention_axes"),
    ({"num_heads": 2, "key_dim": 2, "sliding_window": 0}, "sliding_window"),
])
def test_mha_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.layers.MultiHeadAttention(**kwargs)


def test_mha_rejects_mismatched_value_and_key():
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    with pytest.raises(ValueError, match="All dimensions of `value` and `key`"):
        mha(np.ones((1, 3, 4), "float32"), np.ones((1, 5, 4), "float32"),
            np.ones((1, 6, 4), "float32"))


@pytest.mark.parametrize("inputs, mask, message", [
    ("tensor", None, "must be called on a list of inputs"),
    ([np.ones((1, 2, 3), "float32")], None, "accepts inputs list of length 2 or 3"),
    ([np.ones((1, 2, 3), "float32")] * 2, "mask", "mask must be a list"),
])
def test_attention_rejects_bad_inputs(inputs, mask, message):
    if isinstance(inputs, str):
        inputs = np.ones((1, 2, 3), "float32")
    if mask == "mask":
        mask = tf.constant([[True, True]])
    with pytest.raises(ValueError, match=message):
        keras.layers.Attention()(inputs, mask=mask)


def test_attention_rejects_unknown_score_mode():
    with pytest.raises(ValueError, match="score_mode"):
        keras.layers.Attention(score_mode="add")


@pytest.mark.parametrize("cls, kwargs", [
    (keras.layers.MultiHeadAttention, {"num_heads": 3, "key_dim": 4, "dropout": 0.1,
                                       "attention_axes": 1, "kernel_regularizer": "l2"}),
    (keras.layers.Attention, {"use_scale": True, "score_mode": "concat", "dropout": 0.2}),
    (keras.layers.AdditiveAttention, {"use_scale": False}),
])
def test_config_round_trip(cls, kwargs):
    layer = cls(**kwargs)
    assert cls.from_config(layer.get_config()).get_config() == layer.get_config()


# Groups of a weights file Keras 3.15 wrote for Input -> MultiHeadAttention(2, 3).
_KERAS_MHA_GROUPS = [
    "layers/multi_head_attention/_dropout_layer/vars",
    "layers/multi_head_attention/_softmax/vars",
    "layers/multi_head_attention/key_dense/vars",
    "layers/multi_head_attention/output_dense/vars",
    "layers/multi_head_attention/query_dense/vars",
    "layers/multi_head_attention/value_dense/vars",
    "layers/multi_head_attention/vars",
]


def test_mha_weights_file_layout_and_round_trip(tmp_path, rng):
    keras.backend.clear_session()
    inputs = keras.Input((4, 6))
    model = keras.Model(inputs, keras.layers.MultiHeadAttention(2, 3)(inputs, inputs))
    path = str(tmp_path / "mha.weights.h5")
    model.save_weights(path)
    with h5py.File(path) as file:
        groups = []
        file.visit(lambda name: groups.append(name) if name.startswith(
            "layers/multi_head_attention/") and name.endswith("/vars") else None)
        assert sorted(groups) == _KERAS_MHA_GROUPS
        assert file["layers/multi_head_attention/query_dense/vars/0"].shape == (6, 2, 3)
    x = rng.standard_normal((2, 4, 6)).astype("float32")
    keras.backend.clear_session()
    inputs = keras.Input((4, 6))
    twin = keras.Model(inputs, keras.layers.MultiHeadAttention(2, 3)(inputs, inputs))
    twin.load_weights(path)
    np.testing.assert_allclose(twin(x).numpy(), model(x).numpy(), rtol=1e-6)
