"""Which layers write a `build_config`, as Keras 3.15 decides: layers that Keras builds in
`__init__` (Dropout, Activation ...) never do; the others (Rescaling, Resizing,
CenterCrop ...) are unbuilt until called and then record their input shape."""

import numpy as np
import pytest

from eagerflow import keras

layers = keras.layers

# Recorded from Keras 3.15: `build_config` of each layer of this model, in order.
_KERAS_BUILD_CONFIGS = [
    ("RandomFlip", [None, 8, 8, 3]), ("RandomRotation", [None, 8, 8, 3]),
    ("Rescaling", [None, 8, 8, 3]), ("Resizing", [None, 8, 8, 3]),
    ("CenterCrop", [None, 4, 4, 3]), ("Dropout", None), ("Permute", [None, 2, 2, 3]),
    ("AdaptiveAveragePooling2D", [None, 2, 2, 3]), ("Flatten", [None, 2, 2, 3]),
    ("RepeatVector", [None, 12]), ("Cropping1D", [None, 4, 12]),
    ("UpSampling1D", [None, 2, 12]), ("ZeroPadding1D", [None, 4, 12])]


def _model():
    return keras.Sequential([
        keras.Input((8, 8, 3)), layers.RandomFlip(), layers.RandomRotation(0.1),
        layers.Rescaling(0.5), layers.Resizing(4, 4), layers.CenterCrop(2, 2),
        layers.Dropout(0.2), layers.Permute((2, 1, 3)), layers.AdaptiveAveragePooling2D(2),
        layers.Flatten(), layers.RepeatVector(4), layers.Cropping1D(), layers.UpSampling1D(),
        layers.ZeroPadding1D()])


def test_model_config_writes_build_configs_as_keras():
    config = keras.saving.serialize_keras_object(_model())["config"]["layers"][1:]
    written = [(layer["class_name"], layer.get("build_config")) for layer in config]
    expected = [(name, None if shape is None else {"input_shape": shape})
                for name, shape in _KERAS_BUILD_CONFIGS]
    assert [(name, build and {"input_shape": list(build["input_shape"])})
            for name, build in written] == expected


@pytest.mark.parametrize("make, built_at_init", [
    (lambda: layers.Rescaling(1 / 255), False), (lambda: layers.Resizing(4, 4), False),
    (lambda: layers.CenterCrop(4, 4), False), (lambda: layers.Dropout(0.5), True),
    (lambda: layers.Activation("relu"), True), (lambda: layers.Identity(), True)])
def test_build_config_before_and_after_a_call(make, built_at_init):
    # Keras 3.15: no build_config before a call; after one, the input shape unless the
    # layer was built in `__init__`.
    layer = make()
    assert layer.built == built_at_init
    assert keras.saving.serialize_keras_object(layer).get("build_config") is None
    layer(np.ones((2, 8, 8, 3), "float32"))
    assert layer.built
    expected = None if built_at_init else {"input_shape": (2, 8, 8, 3)}
    assert layer.get_build_config() == expected


def test_round_trip_keeps_the_unbuilt_layers_working(tmp_path):
    model = _model()
    x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    path = str(tmp_path / "model.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    assert all(layer.built for layer in restored.layers)
