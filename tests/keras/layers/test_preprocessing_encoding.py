"""CategoryEncoding, Hashing and Discretization against values recorded from Keras 3.15
(TF 2.21)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.keras.layer_checks import check_layer


def _values(tensor):
    return tensor.numpy().tolist()


# --- CategoryEncoding -------------------------------------------------------------------------

@pytest.mark.parametrize("output_mode, inputs, expected", [
    ("one_hot", [3, 2, 0, 1], [[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]),
    ("one_hot", [[3], [2]], [[0, 0, 0, 1], [0, 0, 1, 0]]),
    ("one_hot", [[3, 1], [2, 2]], [[[0, 0, 0, 1], [0, 1, 0, 0]], [[0, 0, 1, 0], [0, 0, 1, 0]]]),
    ("one_hot", [0, 5, -1], [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]),
    ("multi_hot", [[0, 1], [0, 0], [1, 2], [3, 1]],
     [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]),
    ("multi_hot", [0, 1, 1], [1, 1, 0, 0]),
    ("multi_hot", [[0, 5]], [[1, 0, 0, 0]]),  # past num_tokens: left out
    ("multi_hot", 2, [0, 0, 1, 0]),
    ("count", [[0, 1], [0, 0], [1, 2], [3, 1]],
     [[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]),
])
def test_category_encoding(output_mode, inputs, expected):
    out = layers.CategoryEncoding(num_tokens=4, output_mode=output_mode)(inputs)
    assert out.dtype == tf.float32
    assert _values(out) == expected


def test_category_encoding_rank_3_reduces_axis_1_as_keras():
    x = np.array([[[0, 1], [2, 2]]])
    for mode in ("multi_hot", "count"):
        assert _values(layers.CategoryEncoding(3, output_mode=mode)(x)) == [[[1, 0, 1],
                                                                             [0, 1, 1]]]
    assert layers.CategoryEncoding(3, output_mode="one_hot")(x).shape == (1, 2, 2, 3)


def test_category_encoding_count_weights_dtype_and_errors():
    layer = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    out = layer([[0, 1], [0, 0]], count_weights=np.array([[0.1, 0.2], [0.1, 0.4]]))
    np.testing.assert_allclose(out.numpy(), [[0.1, 0.2, 0, 0], [0.5, 0, 0, 0]], rtol=1e-6)
    assert _values(layers.CategoryEncoding(3, dtype="int32")([[0, 1]])) == [[1, 1, 0]]
    assert layers.CategoryEncoding(3, dtype="int32")([[0, 1]]).dtype == tf.int32
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        layers.CategoryEncoding(4)([[0, 1]], count_weights=np.array([[0.1, 0.2]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="non-negative"):
        layers.CategoryEncoding(4)([[0, -1]])
    with pytest.raises(ValueError, match="num_tokens must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="`num_tokens` must be >= 1"):
        layers.CategoryEncoding(num_tokens=0)
    with pytest.raises(ValueError, match="Unknown arg for output_mode: tf_idf"):
        layers.CategoryEncoding(num_tokens=3, output_mode="tf_idf")
    config = layers.CategoryEncoding(num_tokens=3, output_mode="binary").get_config()
    assert config["output_mode"] == "multi_hot" and config["num_tokens"] == 3


def test_category_encoding_layer_checks():
    check_layer(layers.CategoryEncoding, {"num_tokens": 3, "output_mode": "count"},
                input_shape=(2, 4), expected_output_shape=(2, 3), input_dtype="int32")
    check_layer(layers.CategoryEncoding, {"num_tokens": 3, "output_mode": "one_hot"},
                input_shape=(2, 1), expected_output_shape=(2, 3), input_dtype="int32")


# --- Hashing ----------------------------------------------------------------------------------

LETTERS = [["A"], ["B"], ["C"], ["D"], ["E"]]


@pytest.mark.parametrize("kwargs, inputs, expected", [
    ({}, LETTERS, [[1], [0], [1], [1], [2]]),
    ({"mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]], [[1], [1], [0], [2], [2]]),
    ({"salt": 133}, LETTERS, [[0], [0], [2], [1], [0]]),
    ({"salt": [133, 137]}, LETTERS, [[1], [2], [1], [0], [2]]),
])
def test_hashing_strings(kwargs, inputs, expected):
    out = layers.Hashing(num_bins=3, **kwargs)(inputs)
    assert out.dtype == tf.int64
    assert _values(out) == expected


def test_hashing_numbers_long_strings_and_encodings():
    assert _values(layers.Hashing(num_bins=5)(np.array([[1, 2, 3, 44, -7]]))) == [[4, 4, 1, 3, 2]]
    assert _values(layers.Hashing(num_bins=5)(np.array([[1.5, 2.0, -3.7]]))) == [[4, 4, 4]]
    assert _values(layers.Hashing(num_bins=5, mask_value=0)(np.array([[0, 2, 3]]))) == \
        [[0, 4, 2]]
    long_texts = ["x" * 70, "hello world this is a longer string of text!!"]
    assert _values(layers.Hashing(num_bins=1000)(long_texts)) == [745, 521]
    assert int(layers.Hashing(num_bins=4)("A")) == 0
    assert layers.Hashing(num_bins=2, dtype="int32")(["a"]).dtype == tf.int32
    one_hot = layers.Hashing(num_bins=4, output_mode="one_hot")
    assert _values(one_hot([["A"], ["B"], ["C"]])) == [[1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]
    count = layers.Hashing(num_bins=4, output_mode="count")([["A", "B"], ["C", "C"]])
    assert count.dtype == tf.float32 and _values(count) == [[2, 0, 0, 0], [0, 0, 0, 2]]


def test_hashing_config_and_errors():
    config = layers.Hashing(num_bins=4, salt=3, mask_value="x", name="hash").get_config()
    assert config == {  # Keras 3.15
        "name": "hash", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "int64"}, "registered_name": None},
        "num_bins": 4, "salt": [3, 3], "mask_value": "x", "output_mode": "int",
        "sparse": False}
    assert _values(layers.Hashing.from_config(config)(["A"])) == \
        _values(layers.Hashing(num_bins=4, salt=3, mask_value="x")(["A"]))
    symbolic = layers.Hashing(num_bins=2, output_mode="multi_hot")(
        keras.Input(shape=(3,), dtype="string"))
    assert symbolic.shape == (None, 2) and symbolic.dtype == "float32"
    with pytest.raises(ValueError, match="cannot be `None` or non-positive"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="Invalid value for argument `output_mode`"):
        layers.Hashing(num_bins=2, output_mode="tf_idf")
    with pytest.raises(ValueError, match="can only be a tuple of size 2 integers"):
        layers.Hashing(num_bins=2, salt="a")
    with pytest.raises(ValueError, match="`dtype` should be an integer type"):
        layers.Hashing(num_bins=2, dtype="float32")


# --- Discretization ---------------------------------------------------------------------------

def test_discretization_with_boundaries():
    layer = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    out = layer(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    assert out.dtype == tf.int32
    assert _values(out) == [[0, 2, 3, 1], [1, 3, 2, 1]]
    assert _values(layer(np.array([np.nan, np.inf, -np.inf]))) == [3, 3, 0]
    assert _values(layer(np.array([0, 1, 5]))) == [1, 2, 3]


@pytest.mark.parametrize("output_mode, inputs, expected", [
    ("one_hot", [-1.0, 0.5, 2.0], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    ("multi_hot", [[-1.0, 0.5], [2.0, 2.0]], [[1, 1, 0], [0, 0, 1]]),
    ("count", [[-1.0, 0.5], [2.0, 2.0]], [[1, 1, 0], [0, 0, 2]]),
    ("count", [-1.0, 0.5, 2.0, 2.0], [1, 1, 2]),
])
def test_discretization_encodings(output_mode, inputs, expected):
    out = layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode=output_mode)(
        np.array(inputs))
    assert out.dtype == tf.float32
    assert _values(out) == expected


def test_discretization_adapt_matches_keras_quantiles():
    layer = layers.Discretization(num_bins=4)
    layer.adapt(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    np.testing.assert_allclose(layer.bin_boundaries, [0.0, 0.5, 1.2999999523162842])
    assert _values(layer(np.array([[-1.5, 1.0, 3.4, 0.5]]))) == [[0, 2, 3, 2]]
    x = np.random.default_rng(0).standard_normal(1000).astype("float32")
    layer = layers.Discretization(num_bins=5)
    layer.adapt(x)
    np.testing.assert_allclose(layer.bin_boundaries, [  # Keras 3.15
        -0.8496066927909851, -0.3048001825809479, 0.17602071166038513, 0.7710492014884949],
        rtol=1e-6)
    layer = layers.Discretization(num_bins=5)
    layer.adapt(tf.data.Dataset.from_tensor_slices(x).batch(300))
    np.testing.assert_allclose(layer.bin_boundaries, [
        -0.8289139270782471, -0.2984675168991089, 0.18872961401939392, 0.7813113331794739],
        rtol=1e-6)
    layer = layers.Discretization(num_bins=3, epsilon=0.2)
    layer.adapt(x[:50])
    np.testing.assert_allclose(layer.bin_boundaries, [-0.3278816044330597, 0.49199727177619934],
                               rtol=1e-6)


def test_discretization_config_and_errors():
    layer = layers.Discretization(num_bins=4, name="bins")
    layer.adapt(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    config = layer.get_config()
    assert config == {"bin_boundaries": [0.0, 0.5, 1.2999999523162842], "num_bins": 4,
                      "epsilon": 0.01, "output_mode": "int", "sparse": False,
                      "name": "bins", "dtype": "float32"}
    twin = layers.Discretization.from_config(config)
    assert twin.bin_boundaries == config["bin_boundaries"]
    symbolic = layers.Discretization(bin_boundaries=[0.0, 1.0])(keras.Input(shape=(3,)))
    assert symbolic.shape == (None, 3) and symbolic.dtype == "int32"
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        layers.Discretization()
    with pytest.raises(ValueError, match="Both `num_bins` and `bin_boundaries`"):
        layers.Discretization(num_bins=2, bin_boundaries=[1.0])
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        layers.Discretization(num_bins=-1)
    with pytest.raises(ValueError, match="Cannot adapt a Discretization layer"):
        layers.Discretization(bin_boundaries=[1.0]).adapt([1.0])
    with pytest.raises(ValueError, match="call `adapt\\(dataset\\)` before"):
        layers.Discretization(num_bins=3)(np.array([1.0]))
