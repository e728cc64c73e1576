"""Denormal floats count as zero inside `flush_denormals()`, in Keras's loops and in the
optimizer updates, as in TensorFlow's kernels; outside, NumPy's arithmetic is untouched."""

import threading

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.framework.denormal import flush_denormals, flushing

pytestmark = pytest.mark.skipif(not flush_denormals.supported(),
                                reason="no flush-to-zero control on this platform")

DENORMAL = np.float32(1e-39)  # below float32's smallest normal, 1.1754944e-38


def _product():
    return DENORMAL * np.float32(1)


def test_denormals_are_zero_inside_the_block_only():
    assert _product() == DENORMAL
    with flush_denormals():
        assert _product() == 0
        assert np.float32(1e-37) * np.float32(0.01) == 0  # a denormal result is flushed too
        assert np.float32(1e-30) * np.float32(2) == np.float32(2e-30)  # normals unchanged
    assert _product() == DENORMAL


def test_nested_blocks_keep_the_modes_until_the_outer_block_ends():
    with flush_denormals():
        with flush_denormals():
            assert _product() == 0
        assert _product() == 0
    assert _product() == DENORMAL


def test_the_environment_is_restored_when_the_block_raises():
    with pytest.raises(KeyError):
        with flush_denormals():
            raise KeyError("inside")
    assert _product() == DENORMAL


def test_the_modes_belong_to_the_calling_thread():
    seen = {}
    inside, done = threading.Event(), threading.Event()

    def worker():
        with flush_denormals():
            seen["worker"] = _product()
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(5)
    seen["main"] = _product()
    done.set()
    thread.join()
    assert seen == {"worker": 0, "main": DENORMAL}


def test_flushing_wraps_a_function():
    @flushing
    def product(scale):
        """Doc."""
        return DENORMAL * np.float32(scale)

    assert product(1) == 0 and product.__doc__ == "Doc."
    assert _product() == DENORMAL


@pytest.mark.parametrize("optimizer", ["rmsprop", "adam", "sgd_momentum", "adagrad"])
def test_optimizer_slots_decay_to_zero_not_to_denormals(optimizer):
    # TensorFlow 2.21 (Keras 3.15) leaves every slot at 0.0 here, where IEEE arithmetic
    # would leave 9e-39, 9.99e-39 (Adam's v) or keep Adagrad's 1e-38.
    make = {"rmsprop": lambda: keras.optimizers.RMSprop(),
            "adam": lambda: keras.optimizers.Adam(),
            "sgd_momentum": lambda: keras.optimizers.SGD(momentum=0.9),
            "adagrad": lambda: keras.optimizers.Adagrad(initial_accumulator_value=0.0)}
    opt = make[optimizer]()
    var = tf.Variable(np.ones(4, np.float32))
    opt.build([var])
    for slot in opt.variables[2:]:
        slot.assign(np.full(4, 1e-38, np.float32))
    opt.apply_gradients([(tf.constant(np.zeros(4, np.float32)), var)])
    np.testing.assert_array_equal(np.stack([slot.numpy() for slot in opt.variables[2:]]), 0)
    np.testing.assert_array_equal(var.numpy(), np.ones(4, np.float32))


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_fit_flushes_and_leaves_the_modes_as_they_were(run_eagerly):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(optimizer=keras.optimizers.RMSprop(), loss="mse", run_eagerly=run_eagerly)
    model.fit(np.zeros((4, 3), np.float32), np.zeros((4, 1), np.float32), verbose=0)
    velocity = next(v for v in model.optimizer.variables if v.shape == (3, 1))
    velocity.assign(np.full((3, 1), 1e-38, np.float32))
    model.fit(np.zeros((4, 3), np.float32), np.zeros((4, 1), np.float32), verbose=0)
    np.testing.assert_array_equal(velocity.numpy(), 0)  # 9e-39 without flushing
    assert _product() == DENORMAL
