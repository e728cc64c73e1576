"""Fused optimizer updates: the update rules, and in-place writes that never change a
tensor read from the variable before."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops import training_ops


def _variables(rng, count, shape=(3, 4)):
    return [tf.Variable(rng.standard_normal(shape).astype(np.float32)) for _ in range(count)]


def test_gradient_descent(rng):
    (w,) = _variables(rng, 1)
    start, g = w.numpy(), rng.standard_normal((3, 4)).astype(np.float32)
    training_ops.apply_gradient_descent(w, 0.1, g)
    np.testing.assert_allclose(w.numpy(), start - np.float32(0.1) * g, rtol=1e-6)
    assert w.dtype == tf.float32


@pytest.mark.parametrize("nesterov", [False, True])
def test_keras_momentum(rng, nesterov):
    w, accum = _variables(rng, 2)
    w0, m0 = w.numpy(), accum.numpy()
    g = rng.standard_normal((3, 4)).astype(np.float32)
    training_ops.apply_keras_momentum(w, accum, 0.1, g, 0.9, use_nesterov=nesterov)
    m = m0 * 0.9 - g * 0.1
    expected = w0 + (m * 0.9 - g * 0.1 if nesterov else m)
    np.testing.assert_allclose(accum.numpy(), m, rtol=1e-5)
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-5)


@pytest.mark.parametrize("centered, momentum", [(False, 0.0), (True, 0.0), (False, 0.5),
                                                (True, 0.5)])
def test_rms_prop(rng, centered, momentum):
    w, ms, mom, mg = _variables(rng, 4)
    ms.assign(tf.abs(ms) + 10.0)
    mg.assign(mg * 0.1)
    w0, v0, b0, a0 = w.numpy(), ms.numpy(), mom.numpy(), mg.numpy()
    g = rng.standard_normal((3, 4)).astype(np.float32)
    training_ops.apply_rms_prop(w, ms, mom if momentum else None, 0.01, 0.9, momentum, 1e-7,
                                g, mg=mg if centered else None)
    v = v0 * 0.9 + g * g * 0.1
    a = a0 * 0.9 + g * 0.1
    step = 0.01 * g / np.sqrt((v - a * a if centered else v) + 1e-7)
    if momentum:
        step = b0 * momentum + step
    np.testing.assert_allclose(ms.numpy(), v, rtol=1e-5)
    np.testing.assert_allclose(w.numpy(), w0 - step, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam(rng, amsgrad):
    w, m, v, vhat = _variables(rng, 4)
    v.assign(tf.abs(v))
    vhat.assign(tf.abs(vhat))
    w0, m0, v0, h0 = w.numpy(), m.numpy(), v.numpy(), vhat.numpy()
    g = rng.standard_normal((3, 4)).astype(np.float32)
    training_ops.apply_adam(w, m, v, 0.01, 0.9, 0.999, 1e-7, g,
                            vhat=vhat if amsgrad else None)
    m1 = m0 + (g - m0) * 0.1
    v1 = v0 + (g * g - v0) * 0.001
    denominator = np.maximum(h0, v1) if amsgrad else v1
    np.testing.assert_allclose(w.numpy(), w0 - m1 * 0.01 / (np.sqrt(denominator) + 1e-7),
                               rtol=1e-5)


def test_a_tensor_read_before_the_update_keeps_its_value(rng):
    (w,) = _variables(rng, 1)
    read = w.read_value()
    row = w[0]
    before, row_before = read.numpy(), row.numpy()
    training_ops.apply_gradient_descent(w, 1.0, np.ones((3, 4), np.float32))
    np.testing.assert_array_equal(read.numpy(), before)
    np.testing.assert_array_equal(row.numpy(), row_before)
    np.testing.assert_allclose(w.numpy(), before - 1.0)


def test_updates_in_place_when_nothing_else_sees_the_array(rng):
    (w,) = _variables(rng, 1)
    address = w._value.__array_interface__["data"][0]
    training_ops.apply_gradient_descent(w, 1.0, np.ones((3, 4), np.float32))
    assert w._value.__array_interface__["data"][0] == address


def test_gradient_of_the_wrong_shape_is_refused(rng):
    (w,) = _variables(rng, 1)
    with pytest.raises(ValueError, match=r"gradient shape \[4, 3\]"):
        training_ops.apply_gradient_descent(w, 1.0, np.ones((4, 3), np.float32))
