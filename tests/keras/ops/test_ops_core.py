"""keras.ops core: conversion, control flow, custom gradients, and Keras's errors."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import ops


def test_convert_to_tensor_and_back():
    t = ops.convert_to_tensor([1.0, 2.0])
    assert ops.is_tensor(t) and not ops.is_tensor(np.ones(2))
    assert ops.dtype(t) == "float32"
    assert ops.convert_to_tensor(np.ones(2)).dtype == tf.float64
    assert ops.convert_to_tensor([1, 2], dtype="float16").dtype == tf.float16
    array = ops.convert_to_numpy(t)
    assert isinstance(array, np.ndarray) and array.tolist() == [1.0, 2.0]
    assert ops.shape(tf.ones((2, 3))) == (2, 3)


def test_cond_and_switch():
    x = tf.constant(3.0)
    assert float(ops.cond(x > 2, lambda: x * 2, lambda: x)) == 6.0
    branches = [lambda v: v + 1, lambda v: v * 10]
    assert float(ops.switch(1, branches, x)) == 30.0
    assert float(ops.switch(7, branches, x)) == 30.0  # clamped into range, as Keras does


def test_while_loop_with_tuple_and_single_value():
    i, total = ops.while_loop(lambda i, t: i < 5, lambda i, t: (i + 1, t + i), (0, 0))
    assert (int(i), int(total)) == (5, 10)
    assert int(ops.while_loop(lambda v: v < 100, lambda v: v * 3, 1)) == 243
    assert int(ops.while_loop(lambda v: v < 100, lambda v: v * 3, 1,
                              maximum_iterations=2)) == 9


def test_fori_loop_is_differentiable():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = ops.fori_loop(0, 3, lambda i, v: v * x, tf.constant(1.0))
    assert float(y) == 8.0
    assert float(tape.gradient(y, x)) == 12.0


def test_scan_matches_a_python_loop(rng):
    xs = rng.standard_normal((5, 2)).astype(np.float32)
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), tf.zeros(2), xs)
    expected_carry, expected_ys = np.zeros(2, np.float32), []
    for x in xs:
        expected_ys.append(expected_carry * x)
        expected_carry = expected_carry + x
    np.testing.assert_allclose(carry.numpy(), expected_carry, rtol=1e-6)
    np.testing.assert_allclose(ys.numpy(), np.stack(expected_ys), rtol=1e-6)
    carry, ys = ops.scan(lambda c, x: (c + x, c), tf.zeros(2), xs, reverse=True)
    np.testing.assert_allclose(ys.numpy()[0], xs[1:].sum(0), rtol=1e-5)


def test_associative_scan_is_a_prefix_sum(rng):
    x = rng.standard_normal((7, 3)).astype(np.float32)
    np.testing.assert_allclose(ops.associative_scan(lambda a, b: a + b, x).numpy(),
                               np.cumsum(x, 0), rtol=1e-5)
    np.testing.assert_allclose(ops.associative_scan(lambda a, b: a + b, x, reverse=True,
                                                    axis=1).numpy(),
                               np.cumsum(x[:, ::-1], 1)[:, ::-1], rtol=1e-5, atol=1e-6)


def test_map_and_vectorized_map(rng):
    x = rng.standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_allclose(ops.map(lambda row: ops.sum(row * row), x).numpy(),
                               (x * x).sum(1), rtol=1e-6)
    np.testing.assert_allclose(ops.vectorized_map(lambda row: row * 2, x).numpy(), x * 2)


def test_custom_gradient():
    @ops.custom_gradient
    def clipped_identity(x):
        def grad(upstream):
            return ops.clip(upstream, -0.5, 0.5)
        return x, grad

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(clipped_identity(x) * 3.0)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0.5, 0.5])


def test_stop_gradient():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * ops.stop_gradient(x)
    assert float(tape.gradient(y, x)) == 2.0


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="size not equal to one"):
        ops.squeeze(tf.ones((2, 3)), axis=0)
    with pytest.raises(TypeError, match="bfloat16"):
        ops.cast(tf.ones(2), "bfloat16")
    with pytest.raises(ValueError, match="`side` must be"):
        ops.searchsorted(tf.ones(3), tf.ones(2), side="middle")
    with pytest.raises(ValueError, match="`mode`"):
        ops.pad(tf.ones((2, 2)), 1, mode="wrap")
    with pytest.raises(ValueError, match="square matrix"):
        ops.inv(tf.ones((2, 3)))


def test_promotion_of_python_scalars_is_weak():
    assert ops.add(tf.constant([1], tf.int8), 3).dtype == tf.int8
    assert ops.multiply(tf.constant([1.0], tf.float16), 2.5).dtype == tf.float16
    assert ops.add(tf.constant([1]), 2.5).dtype == tf.float32
    assert ops.divide(tf.constant([1]), tf.constant([2])).dtype == tf.float32
    assert ops.arange(3).dtype == tf.int32 and ops.arange(0.5, 2).dtype == tf.float32
    assert ops.zeros((2,)).dtype == tf.float32 and ops.full((2,), 3).dtype == tf.int32


def test_jvp_is_the_directional_derivative():
    def f(x):
        return ops.sin(x) * x
    x, v = np.array([0.3, 1.2], np.float32), np.array([1.0, -2.0], np.float32)
    outputs, tangent = ops.linalg.jvp(f, (x,), (v,))
    np.testing.assert_allclose(tangent.numpy(), (np.cos(x) * x + np.sin(x)) * v, rtol=1e-5)


def test_elastic_transform_is_seeded_and_zero_alpha_is_identity(rng):
    images = rng.random((2, 8, 9, 3)).astype(np.float32)
    first = ops.image.elastic_transform(images, seed=3).numpy()
    np.testing.assert_array_equal(first, ops.image.elastic_transform(images, seed=3).numpy())
    assert first.shape == images.shape and not np.allclose(first, images)
    assert first.min() >= images.min() - 1e-6 and first.max() <= images.max() + 1e-6
    np.testing.assert_allclose(ops.image.elastic_transform(images, alpha=0.0).numpy(), images,
                               atol=1e-6)


# Recorded from Keras 3.15 (TensorFlow 2.21 backend): unequal kernel sizes and sigmas, where
# Keras reshapes its (second, first) outer-product kernel to `kernel_size`.
_GAUSSIAN_BLUR_KERAS = {
    ((3, 5), (1.0, 1.0)): [
        [0.348737, 1.05946, 1.844002, 1.839822, 2.131824, 2.03302],
        [1.668517, 1.825275, 2.70941, 2.772418, 1.943553, 1.699565],
        [2.044109, 2.635685, 2.690899, 2.70941, 1.908178, 1.093667],
        [2.375202, 2.809381, 3.309101, 2.690899, 2.037377, 1.260187],
        [2.378256, 2.586769, 2.596672, 2.487956, 1.34545, 0.637985]],
    ((3, 3), (0.5, 2.0)): [
        [1.545603, 0.59962, 1.042497, 1.723329, 2.404161, 2.683906],
        [3.201608, 2.265858, 1.237955, 2.0, 3.0, 3.467465],
        [4.336017, 3.734142, 2.265858, 1.237955, 2.0, 2.573972],
        [3.680479, 4.762045, 3.734142, 2.265858, 1.237955, 1.680479],
        [2.182644, 3.042497, 3.485374, 2.138303, 0.588806, 0.82098]],
    ((5, 3), (2.0, 0.7)): [
        [0.74446, 1.524007, 1.280506, 1.613888, 2.315836, 1.884252],
        [1.749053, 2.380658, 1.900139, 1.823637, 2.324018, 1.735154],
        [2.375304, 3.33652, 2.66348, 2.314016, 2.368566, 1.522185],
        [2.480579, 3.313543, 2.833025, 2.028933, 1.771961, 0.923399],
        [2.072841, 2.931181, 2.687679, 2.040161, 1.394328, 0.459677]],
}


@pytest.mark.parametrize("kernel_size, sigma", list(_GAUSSIAN_BLUR_KERAS))
def test_gaussian_blur_with_unequal_sizes_and_sigmas_matches_keras(kernel_size, sigma):
    images = (np.arange(30) % 7).reshape(1, 5, 6, 1).astype(np.float32)
    blurred = ops.image.gaussian_blur(images, kernel_size, sigma)
    assert blurred.dtype == "float32"
    np.testing.assert_allclose(blurred.numpy()[0, :, :, 0],
                               _GAUSSIAN_BLUR_KERAS[kernel_size, sigma], atol=2e-6)
