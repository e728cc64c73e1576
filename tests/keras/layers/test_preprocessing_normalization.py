"""Normalization against values recorded from Keras 3.15 (TF 2.21)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.keras.layer_checks import check_layer

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0], [0.0, -1.0, 2.0], [7.0, 7.0, 7.0]], "float32")
NORMALIZED = [[-0.73029673, -0.41239306, -0.7863336], [0.36514837, 0.57735026, 1.310556],
              [-1.095445, -1.4021364, -1.1358153], [1.4605935, 1.2371792, 0.6115928]]


@pytest.mark.parametrize("data", [X, tf.constant(X), [X[:3], X[3:]],
                                  tf.data.Dataset.from_tensor_slices(X).batch(3),
                                  tf.data.Dataset.from_tensor_slices(X),
                                  tf.data.Dataset.from_tensor_slices((X, X[:, 0])).batch(2)])
def test_adapt_on_every_kind_of_data(data):
    layer = layers.Normalization()
    layer.adapt(data)
    np.testing.assert_allclose(layer.mean.numpy(), [[3.0, 3.25, 5.25]], rtol=1e-6)
    np.testing.assert_allclose(layer.variance.numpy(), [[7.5, 9.1875, 8.1875]], rtol=1e-6)
    out = layer(X)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), NORMALIZED, rtol=1e-5)


def test_weights_are_keras_statistics():
    layer = layers.Normalization(name="norm")
    layer.adapt(X)
    assert [w.path for w in layer.weights] == ["norm/mean", "norm/variance", "norm/count"]
    assert [w.dtype for w in layer.weights] == ["float32", "float32", "int64"]
    assert not layer.trainable_weights
    twin = layers.Normalization()
    twin.build((None, 3))
    np.testing.assert_allclose(twin(X).numpy(), X)  # before adapt: mean 0, variance 1
    twin.set_weights(layer.get_weights())
    np.testing.assert_allclose(twin(X).numpy(), NORMALIZED, rtol=1e-5)


def test_axes():
    layer = layers.Normalization(axis=None)
    layer.adapt(X)
    np.testing.assert_allclose(layer.mean.numpy(), [[3.8333333]], rtol=1e-6)
    np.testing.assert_allclose(layer(X).numpy()[0], [-0.9288091, -0.6009941, -0.27317914],
                               rtol=1e-5)
    x3 = np.arange(24, dtype="float32").reshape(2, 3, 4)
    layer = layers.Normalization(axis=1)
    layer.adapt(x3)
    np.testing.assert_allclose(layer.mean.numpy(), [[[7.5], [11.5], [15.5]]])
    np.testing.assert_allclose(layer(x3).numpy()[0, 0],
                               [-1.2288479, -1.0650015, -0.9011551, -0.73730874], rtol=1e-5)
    layer = layers.Normalization(axis=(1, 2))
    layer.adapt(x3)
    assert layer.mean.shape == (1, 3, 4)
    layer = layers.Normalization()
    layer.adapt(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(layer.mean.numpy(), [1.0, 2.0, 3.0])


def test_given_statistics_and_invert():
    layer = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 0.0])
    np.testing.assert_allclose(layer(X).numpy(), [[0, 0, 0], [3, 1.5, 6e7], [-1, -1.5, -1e7],
                                                  [6, 2.5, 4e7]], rtol=1e-6)
    assert layer.weights == []
    assert layer.get_config()["mean"] == [1.0, 2.0, 3.0]
    scalar = layers.Normalization(mean=2.0, variance=4.0)
    np.testing.assert_allclose(scalar(X).numpy()[1], [1.0, 1.5, 3.5])
    inverse = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0], invert=True)
    np.testing.assert_allclose(inverse(X).numpy(), [[2, 6, 12], [5, 12, 30], [1, 0, 9],
                                                    [8, 16, 24]])
    assert layers.Normalization(mean=[1.0], variance=[4.0])(np.array([[3], [5]])).dtype == \
        tf.float32


def test_config_and_layer_checks():
    config = layers.Normalization(name="norm").get_config()
    assert config == {"name": "norm", "trainable": True,
                      "dtype": {"module": "keras", "class_name": "DTypePolicy",
                                "config": {"name": "float32"}, "registered_name": None},
                      "axis": (-1,), "invert": False, "mean": None, "variance": None}
    check_layer(layers.Normalization, {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
                input_shape=(2, 3), expected_output_shape=(2, 3),
                input_data=X[:2], expected_output=[[0, 0, 0], [3, 1.5, 2]])
    out = layers.Normalization(mean=[1.0], variance=[4.0])(keras.Input(shape=(1,)))
    assert out.shape == (None, 1)


def test_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="must have the same shape"):
        layers.Normalization(mean=[1.0, 2.0], variance=[1.0])
    with pytest.raises(ValueError, match=r"range \[-ndim, ndim\)"):
        layers.Normalization(axis=3).adapt(np.zeros((2, 3, 4), "float32"))
    layer = layers.Normalization()
    layer.adapt(X)
    with pytest.raises(ValueError, match="incompatible shape, data.shape=\\(2, 4\\)"):
        layer.adapt(np.ones((2, 4)))
    with pytest.raises(ValueError, match="received an empty iterable"):
        layers.Normalization().adapt(iter([]))


def test_statistics_follow_saved_weights(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Normalization()])
    model.layers[0].adapt(X)
    path = str(tmp_path / "norm.weights.h5")
    model.save_weights(path)
    twin = keras.Sequential([keras.Input(shape=(3,)), layers.Normalization()])
    np.testing.assert_allclose(twin(X).numpy(), X)
    twin.load_weights(path)
    np.testing.assert_allclose(twin(X).numpy(), NORMALIZED, rtol=1e-5)
