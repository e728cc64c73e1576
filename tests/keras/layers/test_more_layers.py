"""ReLU, LeakyReLU, PReLU, ELU, Softmax, RMSNormalization, SpectralNormalization, the
adaptive pooling layers and Conv3DTranspose against Keras 3.15 (fixtures/layers/more_layers.*,
written by record_more_layers.py); Keras's alias names; supports_masking as Keras sets it."""

import inspect
import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer
from tests.keras.layers.recorded_layers import load_record, recorded_arrays, recorded_cases

RECORDED = recorded_cases("more_layers")


def arrays(name):
    return recorded_arrays("more_layers", name)


def make_layer(case):
    kwargs = dict(case["kwargs"])
    if "layer" in kwargs:
        inner_class, inner_kwargs = kwargs["layer"]
        kwargs["layer"] = getattr(layers, inner_class)(**inner_kwargs)
    return getattr(layers, case["class_name"])(**kwargs)


@pytest.mark.parametrize("name", list(RECORDED))
def test_matches_keras(name):
    """Output, weight names and shapes, config and weights after the call, as Keras's."""
    case, data = RECORDED[name], arrays(name)
    keras.backend.clear_session()
    layer = make_layer(case)
    layer(data["x"])
    assert [w.path for w in layer.weights] == case["weight_names"]
    assert [list(w.shape) for w in layer.weights] == case["weight_shapes"]
    layer.set_weights([data[f"w{i}"] for i in range(len(layer.weights))])
    call_kwargs = {key: case["options"][key] for key in ("training",) if key in case["options"]}
    if "mask" in data:
        call_kwargs["mask"] = tf.constant(data["mask"])
    y = layer(data["x"], **call_kwargs)
    assert y.dtype == data["y"].dtype  # Keras casts to the inputs' dtype (int for Embedding)
    np.testing.assert_allclose(y.numpy(), data["y"], rtol=1e-5, atol=1e-6)
    for i, weight in enumerate(layer.weights):
        np.testing.assert_allclose(weight.numpy(), data[f"after{i}"], rtol=1e-5, atol=1e-6)
    config = json.loads(json.dumps(layer.get_config(), default=list))
    assert config == case["config"]
    assert list(config) == list(case["config"])


def test_supports_masking_as_keras():
    for class_name, expected in load_record("more_layers")["supports_masking"].items():
        kwargs = {"rate": 0.5, "stddev": 0.1, "output_size": 2}
        cls = getattr(layers, class_name)
        wanted = inspect.signature(cls.__init__).parameters
        layer = cls(**{k: v for k, v in kwargs.items() if k in wanted})
        assert layer.supports_masking is expected, class_name


def test_aliases_are_the_same_classes():
    assert layers.AvgPool2D is layers.AveragePooling2D
    assert layers.MaxPool1D is layers.MaxPooling1D
    assert layers.MaxPool3D is layers.MaxPooling3D
    assert layers.GlobalAvgPool3D is layers.GlobalAveragePooling3D
    assert layers.GlobalMaxPool2D is layers.GlobalMaxPooling2D
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution1DTranspose is layers.Conv1DTranspose
    assert layers.SeparableConvolution2D is layers.SeparableConv2D
    # serialized under the class's own name, as Keras does
    assert layers.serialize(layers.Convolution1D(2, 3))["class_name"] == "Conv1D"


@pytest.mark.parametrize("cls, kwargs, trainable", [
    (layers.ReLU, {"max_value": 2.0, "negative_slope": 0.1}, 0),
    (layers.LeakyReLU, {}, 0),
    (layers.ELU, {"alpha": 0.5}, 0),
    (layers.Softmax, {"axis": 1}, 0),
    (layers.PReLU, {"alpha_initializer": "ones", "shared_axes": [1]}, 1),
    (layers.RMSNormalization, {}, 1),
])
def test_check_layer(cls, kwargs, trainable):
    check_layer(cls, kwargs, (2, 3, 4), (2, 3, 4), expected_num_trainable_weights=trainable)


@pytest.mark.parametrize("cls, kwargs, output_shape", [
    (layers.AdaptiveAveragePooling1D, {"output_size": 2}, (2, 2, 3)),
    (layers.AdaptiveMaxPooling1D, {"output_size": [3]}, (2, 3, 3)),
])
def test_adaptive_pooling_check_layer(cls, kwargs, output_shape):
    check_layer(cls, kwargs, (2, 7, 3), output_shape)


def test_adaptive_pooling_2d_symbolic_shape():
    y = layers.AdaptiveMaxPooling2D((2, 3), data_format="channels_first")(
        keras.Input((4, 9, 8)))
    assert y.shape == (None, 4, 2, 3)


def test_spectral_normalization_divides_the_kernel_by_its_largest_singular_value():
    layer = layers.SpectralNormalization(layers.Dense(4, use_bias=False), power_iterations=30)
    layer.build((None, 6))
    kernel = np.random.default_rng(0).standard_normal((6, 4)).astype("float32")
    layer.layer.kernel.assign(kernel)
    layer(np.ones((2, 6), "float32"), training=True)
    expected = kernel / np.linalg.svd(kernel, compute_uv=False)[0]
    np.testing.assert_allclose(layer.layer.kernel.numpy(), expected, rtol=1e-4, atol=1e-5)
    assert float(np.linalg.svd(layer.layer.kernel.numpy(), compute_uv=False)[0]) == \
        pytest.approx(1.0, rel=1e-4)


def test_spectral_normalization_round_trip_and_errors():
    layer = layers.SpectralNormalization(layers.Dense(3), power_iterations=2, name="sn")
    layer(np.ones((2, 5), "float32"))
    twin = layers.deserialize(layers.serialize(layer))
    assert isinstance(twin.layer, layers.Dense) and twin.power_iterations == 2
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(3), power_iterations=0)
    with pytest.raises(ValueError, match="has no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.ReLU())(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="supplied to Wrapper"):
        layers.SpectralNormalization("dense")


@pytest.mark.parametrize("cls, kwargs, message", [
    (layers.ReLU, {"max_value": -1.0}, "max_value of a ReLU layer cannot be a negative"),
    (layers.ReLU, {"negative_slope": -0.1}, "negative_slope of a ReLU layer"),
    (layers.ReLU, {"threshold": None}, "threshold of a ReLU layer"),
    (layers.LeakyReLU, {"negative_slope": -1}, "negative_slope value of a Leaky ReLU"),
    (layers.AdaptiveAveragePooling1D, {"output_size": (2, 2)}, "tuple must have length 1"),
    (layers.AdaptiveAveragePooling2D, {"output_size": 2, "data_format": "nhwc"},
     "Invalid data_format"),
])
def test_argument_errors(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


def test_adaptive_pooling_size_type_error():
    with pytest.raises(TypeError, match=r"\(depth, height, width\) tuple"):
        layers.AdaptiveMaxPooling3D((2, 2))


def test_leaky_relu_alpha_is_deprecated():
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1


def test_softmax_mask_errors_and_masks_flow():
    with pytest.raises(ValueError, match="must not have more dimensions"):
        layers.Softmax()(tf.ones((2, 3)), mask=tf.ones((1, 2, 3), tf.bool))
    with pytest.raises(ValueError, match="Each mask dimension must be 1"):
        layers.Softmax()(tf.ones((2, 3)), mask=tf.ones((2, 2), tf.bool))
    # a mask from Embedding(mask_zero=True) reaches the softmax
    tokens = keras.Input((4,), dtype="int32")
    logits = layers.Embedding(5, 4, mask_zero=True)(tokens)
    model = keras.Model(tokens, layers.Softmax()(logits))
    assert model(np.array([[1, 2, 3, 0]])).shape == (1, 4, 4)


@pytest.mark.parametrize("cls, kwargs", [
    (layers.ReLU, dict(max_value=1.0, negative_slope=0.3, threshold=0.2)),
    (layers.ELU, dict(alpha=0.7)), (layers.LeakyReLU, dict(negative_slope=0.2)),
    (layers.Softmax, dict(axis=[0, 1]))], ids=lambda v: getattr(v, "__name__", ""))
def test_gradients(cls, kwargs, rng):
    layer = cls(dtype="float64", **kwargs)
    x = rng.uniform(-2, 2, (3, 4))
    for kink in (0.0, 0.2, 1.0):  # off the kinks
        x[np.abs(x - kink) < 0.05] += 0.1
    check_gradients(lambda v: layer(v), x, order=2 if cls is layers.Softmax else 1)


def test_prelu_and_rms_gradients_reach_inputs_and_weights(rng):
    prelu = layers.PReLU(alpha_initializer="ones", dtype="float64")
    prelu.build((None, 3))
    prelu.alpha.assign(rng.uniform(0.1, 0.5, (3,)))
    check_gradients(lambda v: prelu(v), rng.uniform(0.1, 1, (2, 3)) * [1, -1, 1], order=1)
    rms = layers.RMSNormalization(dtype="float64")
    check_gradients(lambda v: rms(v), rng.standard_normal((3, 5)), order=2)
