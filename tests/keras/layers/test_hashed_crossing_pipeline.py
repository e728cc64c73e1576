"""HashedCrossing against bins recorded from Keras 3.15 (fixtures/layers/more_layers.npz,
written by record_more_layers.py), and Pipeline."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.keras.layers.recorded_layers import load_arrays

_ARRAYS = load_arrays("more_layers")
INTS, WORDS, SMALL = (_ARRAYS[f"hashed_crossing/{key}"] for key in ("ints", "words", "small"))


def test_hashed_crossing_matches_keras():
    two = layers.HashedCrossing(7)((INTS, WORDS))
    assert two.dtype == tf.int64 and two.shape == (12,)
    np.testing.assert_array_equal(two.numpy(), _ARRAYS["hashed_crossing/two"])
    three = layers.HashedCrossing(1000)((WORDS, tf.constant(SMALL), INTS))
    np.testing.assert_array_equal(three.numpy(), _ARRAYS["hashed_crossing/three"])
    one_hot = layers.HashedCrossing(3, output_mode="one_hot")((SMALL[:, None], WORDS[:, None]))
    assert one_hot.dtype == tf.float32
    np.testing.assert_array_equal(one_hot.numpy(), _ARRAYS["hashed_crossing/one_hot"])


def test_hashed_crossing_shapes_and_config():
    layer = layers.HashedCrossing(5)
    assert layer((np.array(3), np.array("c"))).shape == ()
    assert layer((SMALL[:, None], WORDS[:, None])).shape == (12, 1)
    assert layer.get_config() == {"num_bins": 5, "output_mode": "int", "sparse": False,
                                  "name": layer.name, "dtype": "int64"}
    twin = layers.HashedCrossing.from_config(layer.get_config())
    np.testing.assert_array_equal(twin((INTS, WORDS)).numpy(), layer((INTS, WORDS)).numpy())
    symbolic = layer((keras.Input((), dtype="int64"), keras.Input((), dtype="string")))
    assert symbolic.shape == (None,) and symbolic.dtype == "int64"


@pytest.mark.parametrize("inputs, message", [
    (np.array([1, 2]), "called on a list or tuple"),
    ((np.array([1, 2]),), "at least two inputs"),
    ((np.ones((2, 2), "int32"), np.ones((2, 2), "int32")), "should have shape"),
    ((np.array([1, 2]), np.array([1, 2, 3])), "equal shape"),
    ((np.array([1.0, 2.0]), np.array([1, 2])), "integer or string dtype"),
])
def test_hashed_crossing_input_errors(inputs, message):
    with pytest.raises(ValueError, match=message):
        layers.HashedCrossing(3)(inputs)


def test_hashed_crossing_argument_errors():
    with pytest.raises(ValueError, match="Unknown value for `output_mode`"):
        layers.HashedCrossing(3, output_mode="multi_hot")


def test_pipeline_applies_layers_in_order_and_round_trips():
    pipeline = layers.Pipeline([layers.Rescaling(2.0), layers.Rescaling(1.0, offset=1.0)],
                               name="prep")
    np.testing.assert_allclose(pipeline(tf.constant([1.0, 2.0])).numpy(), [3.0, 5.0])
    assert [layer.name for layer in pipeline.layers] == ["rescaling", "rescaling_1"]
    config = pipeline.get_config()
    assert list(config) == ["layers", "name"] and config["name"] == "prep"
    twin = layers.deserialize(layers.serialize(pipeline))
    assert isinstance(twin, layers.Pipeline) and len(twin.layers) == 2
    np.testing.assert_allclose(twin(tf.constant([0.5])).numpy(), [2.0])
    with pytest.raises(ValueError, match="must contain a `layers` key"):
        layers.Pipeline.from_config({"name": "p"})


def test_pipeline_trains_augmentation_by_default_and_passes_masks():
    images = np.arange(8, dtype="float32").reshape(1, 2, 4, 1)
    flip = layers.Pipeline([layers.RandomFlip("horizontal", seed=3)])
    flipped = [flip(images).numpy() for _ in range(8)]
    assert any(not np.array_equal(f, images) for f in flipped)  # active: training=True
    np.testing.assert_array_equal(flip(images, training=False).numpy(), images)
    tokens = np.array([[3, 1, 0, 0]])
    embedding = layers.Embedding(5, 2, mask_zero=True)
    pipeline = layers.Pipeline([embedding, layers.GlobalAveragePooling1D()])
    pooled = pipeline(tokens).numpy()
    vectors = embedding.embeddings.numpy()
    np.testing.assert_allclose(pooled[0], vectors[[3, 1]].mean(axis=0), rtol=1e-6)  # no pads
