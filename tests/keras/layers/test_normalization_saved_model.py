"""A model of the normalization, regularization and image layers saved by Keras 3.15
(fixtures/layers/normalization_image_model.keras, written by record_saved_model.py)
loads here and predicts what Keras predicted; saved again here, it loads back the same."""

import os

import numpy as np

from eagerflow import keras

FIXTURES = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "layers")


def test_keras_saved_model_loads_and_predicts_as_keras(tmp_path):
    model = keras.models.load_model(os.path.join(FIXTURES, "normalization_image_model.keras"))
    recorded = np.load(os.path.join(FIXTURES, "normalization_image_model.npz"))
    predictions = model.predict(recorded["x"], verbose=0)
    np.testing.assert_allclose(predictions, recorded["predictions"], rtol=1e-5, atol=1e-6)
    names = [type(layer).__name__ for layer in model.layers]
    assert names[:3] == ["Rescaling", "Resizing", "CenterCrop"]
    batch_norm = model.layers[names.index("BatchNormalization")]
    assert np.any(batch_norm.moving_mean.numpy() != 0)  # trained statistics were loaded

    path = str(tmp_path / "again.keras")
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(again.predict(recorded["x"], verbose=0), predictions,
                               rtol=1e-6, atol=1e-7)
