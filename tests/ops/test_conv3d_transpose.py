"""tf.nn.conv3d_transpose: the adjoint of tf.nn.conv3d (itself checked against TensorFlow),
its gradients, and its argument errors. Keras's Conv3DTranspose values recorded from
Keras 3.15 are in tests/keras/layers/test_more_layers.py."""

import numpy as np
import pytest

import eagerflow as tf
from tests.gradient_check import check_gradients

# (input of conv3d, filters [d, h, w, in, out], strides, padding, dilations)
CASES = [
    ((2, 4, 5, 4, 2), (2, 3, 2, 2, 3), [1, 1, 1, 1, 1], "VALID", None),
    ((1, 6, 5, 7, 2), (3, 2, 3, 2, 2), [1, 2, 1, 2, 1], "SAME", None),
    ((1, 5, 5, 5, 1), (2, 2, 2, 1, 2), [1, 2, 2, 2, 1], "VALID", None),  # one unused row
    ((1, 6, 5, 3, 2), (2, 2, 1, 2, 3), [1, 1, 1, 1, 1], "VALID", [1, 2, 2, 1, 1]),
    ((1, 3, 4, 5, 2), (3, 3, 3, 2, 1), [1, 3, 2, 1, 1], "SAME", None),
]


@pytest.mark.parametrize("x_shape, w_shape, strides, padding, dilations", CASES)
def test_is_the_adjoint_of_conv3d(x_shape, w_shape, strides, padding, dilations, rng):
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal(w_shape)
    y = tf.nn.conv3d(x, w, strides, padding, dilations=dilations)
    dy = rng.standard_normal(tuple(y.shape))
    dx = tf.nn.conv3d_transpose(dy, w, list(x_shape), strides, padding, dilations=dilations)
    assert tuple(dx.shape) == x_shape and dx.dtype == tf.float64
    # <conv3d(x), dy> == <x, conv3d_transpose(dy)>
    assert float(np.sum(y.numpy() * dy)) == pytest.approx(float(np.sum(x * dx.numpy())),
                                                          rel=1e-10)


def test_channels_first_and_spatial_output_shape(rng):
    dy = rng.standard_normal((2, 3, 3, 2, 4)).astype("float32")
    w = rng.standard_normal((2, 2, 2, 5, 4)).astype("float32")
    last = tf.nn.conv3d_transpose(dy, w, [4, 4, 3], [1, 1, 1, 1, 1], "VALID")
    assert last.shape == (2, 4, 4, 3, 5) and last.dtype == tf.float32
    first = tf.nn.conv3d_transpose(np.moveaxis(dy, -1, 1), w, [2, 5, 4, 4, 3],
                                   [1, 1, 1, 1, 1], "VALID", data_format="NCDHW")
    np.testing.assert_allclose(np.moveaxis(first.numpy(), 1, -1), last.numpy(), rtol=1e-5,
                               atol=1e-5)


def test_gradients(rng):
    w = rng.standard_normal((2, 2, 3, 2, 3))
    dy = rng.standard_normal((1, 2, 3, 2, 3))
    check_gradients(lambda a, b: tf.nn.conv3d_transpose(a, b, [1, 4, 4, 4, 2],
                                                        [1, 2, 1, 1, 1], "VALID"),
                    dy, w, order=2)


def test_errors():
    dy, w = tf.ones((1, 2, 2, 2, 3)), tf.ones((2, 2, 2, 4, 3))
    with pytest.raises(tf.errors.InvalidArgumentError, match="input must be 5-dimensional"):
        tf.nn.conv3d_transpose(tf.ones((1, 2, 2, 3)), w, [1, 3, 3, 3, 4], 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not match"):
        tf.nn.conv3d_transpose(dy, w, [1, 5, 3, 3, 4], 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="channels do not match"):
        tf.nn.conv3d_transpose(dy, w, [1, 3, 3, 3, 2], 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="'padding'"):
        tf.nn.conv3d_transpose(dy, w, [1, 3, 3, 3, 4], 1, "FULL")
