"""Every layer, in a model saved to a `.keras` file and loaded back, predicts exactly what
it predicted before. The layers are those `test_config_round_trip` finds, made the same way;
each is tried on a few standard inputs (one tensor, or two for merging and attention
layers) until one fits."""

import numpy as np
import pytest

from eagerflow import keras
from tests.keras.saving.test_config_round_trip import CLASSES, _make

LAYERS = {key: cls for key, cls in CLASSES.items() if key.startswith("layers.")
          and cls.__name__ != "InputLayer"}
SHAPES = [(2, 6), (2, 5, 4), (2, 6, 6, 3), (2, 4, 4, 4, 2), (2, 2, 4, 4, 4, 2)]
INTEGER_INPUTS = {"Embedding", "CategoryEncoding", "Hashing", "ReversibleEmbedding"}
# Layers that need more than a tensor to be called: a vocabulary, `adapt`, or an RNN.
NOT_STANDALONE = {"Discretization", "IntegerLookup", "StringLookup", "TextVectorization",
                  "GRUCell", "LSTMCell", "SimpleRNNCell", "StackedRNNCells",
                  "HashedCrossing"}  # (integer or string features, crossed)


def _candidates(cls, rng):
    """(model, inputs) pairs to try: the layer on one input, then on two."""
    for shape in SHAPES:
        if cls.__name__ in INTEGER_INPUTS:
            x = rng.integers(0, 3, shape).astype("int32")
        else:
            x = rng.standard_normal(shape).astype("float32")
        inputs = keras.Input(shape[1:], dtype=x.dtype.name)
        yield lambda: keras.Model(inputs, _make(cls)(inputs)), x
    for shape in SHAPES[:2]:
        x = rng.standard_normal(shape).astype("float32")
        a, b = keras.Input(shape[1:]), keras.Input(shape[1:])
        yield lambda: keras.Model([a, b], _make(cls)([a, b])), [x, x + 1.0]
        yield lambda: keras.Model([a, b], _make(cls)(a, b)), [x, x + 1.0]


def _fitting_model(cls, rng):
    # Probing on standard inputs: any error means "not this input", so the next is tried.
    for make_model, inputs in _candidates(cls, rng):
        try:
            model = make_model()
            return model, inputs, model.predict(inputs, verbose=0)
        except Exception:  # noqa: BLE001
            continue
    return None


@pytest.mark.parametrize("key", sorted(LAYERS))
def test_layer_round_trips_through_a_keras_file(key, tmp_path, rng):
    cls = LAYERS[key]
    if cls.__name__ in NOT_STANDALONE:
        pytest.skip(f"{cls.__name__} needs more than a tensor to be called")
    fitted = _fitting_model(cls, rng)
    assert fitted is not None, f"no standard input fits {cls.__name__}: add one above"
    model, inputs, expected = fitted
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    got = loaded.predict(inputs, verbose=0)
    if not isinstance(expected, list):
        got, expected = [got], [expected]
    for value, reference in zip(got, expected):
        np.testing.assert_array_equal(value, reference)
    assert [w.shape for w in loaded.weights] == [w.shape for w in model.weights]
