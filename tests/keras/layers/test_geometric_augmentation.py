"""RandomShear against Keras 3.15 (fixtures/layers/more_layers.npz, written by
record_more_layers.py): each image is sheared one of the two ways Keras can shear it;
RandomErasing's rectangles (its fixed cases are in test_color_augmentation.py)."""

import numpy as np
import pytest

from eagerflow.keras import layers
from eagerflow.ops.image_ops import projective_transform
from tests.keras.layers.recorded_layers import load_arrays

_ARRAYS = load_arrays("more_layers")


def _sheared(x, sign, shear_x=0.3, shear_y=0.2):
    transform = np.array([[1, sign * shear_x, 0, sign * shear_y, 1, 0, 0, 0]] * len(x),
                         "float32")
    return projective_transform(x, transform, "bilinear", "reflect", 0.0).numpy()


def test_keras_shears_each_image_one_of_two_ways_and_so_do_we():
    x, keras_y = _ARRAYS["shear/x"], _ARRAYS["shear/y"]
    ours = layers.RandomShear(x_factor=(0.3, 0.3), y_factor=(0.2, 0.2), seed=4)(x).numpy()
    for y in (keras_y, ours):
        candidates = [_sheared(x, sign) for sign in (1, -1)]
        for i in range(len(x)):
            assert min(np.abs(c[i] - y[i]).max() for c in candidates) < 1e-4


def test_config_and_inference():
    layer = layers.RandomShear(0.2, 0.1, fill_mode="constant", seed=3)
    config = layer.get_config()
    assert config["x_factor"] == (-0.2, 0.2) and config["y_factor"] == (-0.1, 0.1)
    assert list(config)[-7:] == ["data_format", "x_factor", "y_factor", "fill_mode",
                                 "interpolation", "seed", "fill_value"]
    x = np.ones((2, 4, 4, 3), "float32")
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    # Keras 3.15 reads its own config's negative lower bound as an error; so do we.
    with pytest.raises(ValueError, match="Received: input_number=-0.2"):
        layers.RandomShear.from_config(config)


def test_errors():
    with pytest.raises(ValueError, match=r"in the range \[0, 1.0\]"):
        layers.RandomShear(x_factor=-0.5)
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode`"):
        layers.RandomShear(0.1, fill_mode="mirror")


def test_erasing_fills_one_rectangle_of_the_drawn_size():
    x = np.zeros((16, 10, 12, 2), "float32")
    y = layers.RandomErasing(factor=(1.0, 1.0), scale=(0.25, 0.25), fill_value=9.0,
                             seed=2)(x).numpy()
    for image in y:
        rows, cols = np.nonzero(image[..., 0] == 9.0)
        assert rows.max() - rows.min() + 1 in (5, 6) and cols.max() - cols.min() + 1 in (6, 7)
        assert np.all(image[rows.min():rows.max() + 1, cols.min():cols.max() + 1] == 9.0)
    noise = layers.RandomErasing(factor=(1.0, 1.0), scale=(1.0, 1.0), value_range=(0, 1),
                                 seed=1)(x).numpy()
    assert noise.min() >= 0.0 and noise.max() <= 1.0 and noise.std() > 0.1
    np.testing.assert_array_equal(layers.RandomErasing()(x, training=False).numpy(), x)
    with pytest.raises(ValueError, match="`scale` argument should be a number"):
        layers.RandomErasing(scale=(0.5, 0.2, 0.1))


def test_perspective_moves_corners_as_the_homography_op_does():
    x = np.random.default_rng(3).uniform(0, 1, (4, 6, 7, 2)).astype("float32")
    np.testing.assert_allclose(layers.RandomPerspective(scale=0.0)(x).numpy(), x, atol=1e-5)
    np.testing.assert_array_equal(layers.RandomPerspective(factor=0.0)(x).numpy(), x)
    y = layers.RandomPerspective(factor=(1.0, 1.0), scale=0.6, seed=2)(x).numpy()
    assert y.shape == x.shape and np.isfinite(y).all()
    assert all(not np.allclose(y[i], x[i]) for i in range(4))
    again = layers.RandomPerspective(factor=(1.0, 1.0), scale=0.6, seed=2)(x).numpy()
    np.testing.assert_array_equal(again, y)
    with pytest.raises(ValueError, match="`scale` argument should be a number in the range"):
        layers.RandomPerspective(scale=1.5)


def test_elastic_transform_warps_in_training_only():
    x = np.random.default_rng(5).uniform(0, 255, (3, 12, 12, 1)).astype("float32")
    layer = layers.RandomElasticTransform(factor=(1.0, 1.0), scale=(1.0, 1.0), seed=7)
    y = layer(x).numpy()
    assert y.shape == x.shape and y.min() >= 0.0 and y.max() <= 255.0
    assert not np.allclose(y, x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    np.testing.assert_array_equal(layers.RandomElasticTransform(scale=0.0)(x).numpy(), x)
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode`"):
        layers.RandomElasticTransform(fill_mode="bad")
