"""One training step of an LSTM: batch 64, 100 steps, 32 features, 64 units.

Forward, backward (GradientTape) and an SGD update of `LSTM(64)` + `Dense(1)` on a mean
squared error. Prints the time per step, as a ratio to the step's matrix products alone
in NumPy (the floor: the input projection, 100 recurrent products forward and their
gradients) and to TensorFlow's eager step (GradientTape, no tf.function) when
TensorFlow is importable. Target: faster than TensorFlow's eager step.
"""

import importlib.util
import timeit

import numpy as np

import timing  # noqa: F401  (one BLAS thread, before NumPy work starts)
from timing import report

BATCH, STEPS, FEATURES, UNITS = 64, 100, 32, 64


def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, STEPS, FEATURES)).astype(np.float32)
    y = rng.standard_normal((BATCH, 1)).astype(np.float32)
    return x, y


def best_of(fn, repeat=5):
    fn()  # warm up (builds the layers)
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def numpy_floor(x):
    """The matrix products of one step: forward and backward of the LSTM's products."""
    rng = np.random.default_rng(1)
    kernel = rng.standard_normal((FEATURES, 4 * UNITS)).astype(np.float32)
    recurrent = rng.standard_normal((UNITS, 4 * UNITS)).astype(np.float32)
    h = np.zeros((BATCH, UNITS), np.float32)
    dz = np.ones((BATCH, 4 * UNITS), np.float32)
    flat = x.reshape(-1, FEATURES)

    def step():
        z = flat @ kernel  # input projection, all steps at once
        for _ in range(STEPS):
            h @ recurrent
        for _ in range(STEPS):  # backward: dh and d(recurrent kernel)
            dz @ recurrent.T
            h.T @ dz
        flat.T @ z  # d(kernel)
    return best_of(step)


def training_step(tf, keras, x, y, repeat=5):
    """The best time of an eager step (tape, gradients, SGD update) with `tf` and `keras`."""
    model = keras.Sequential([keras.Input((STEPS, FEATURES)), keras.layers.LSTM(UNITS),
                              keras.layers.Dense(1)])
    optimizer = keras.optimizers.SGD(0.01)
    xs, ys = tf.constant(x), tf.constant(y)

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(xs, training=True) - ys))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return best_of(step, repeat=repeat)


if __name__ == "__main__":
    import eagerflow
    from eagerflow import keras

    x, y = data()
    rows = [("numpy", numpy_floor(x)), ("eagerflow", training_step(eagerflow, keras, x, y))]
    if importlib.util.find_spec("tensorflow") is not None:
        import tensorflow
        rows.append(("tensorflow eager",
                     training_step(tensorflow, tensorflow.keras, x, y, repeat=3)))
    print(f"LSTM({UNITS}) training step, batch {BATCH}, {STEPS} steps, {FEATURES} features:")
    report(rows)
