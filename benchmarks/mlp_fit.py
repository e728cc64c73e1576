"""One epoch of the Keras MLP (784-512-10, rmsprop, batch 128) on 60,000 synthetic
MNIST-shaped samples.

Prints seconds per epoch and the ratio to the GEMM floor: the same epoch's matrix products
alone in NumPy (forward x@W1, h@W2; backward h.T@dy, dy@W2.T, x.T@dh), measured in the
same run; and TensorFlow's `model.fit` when TensorFlow is installed. Each figure is the
best of three (epochs of `fit`, or passes of the floor's products). Target: <= 1.5x the
floor, and faster than TensorFlow.
"""

import time

from timing import single_threaded_tensorflow  # first: one BLAS thread before NumPy starts

import numpy as np

SAMPLES, FEATURES, HIDDEN, CLASSES, BATCH = 60_000, 784, 512, 10, 128


def data():
    rng = np.random.default_rng(0)
    x = rng.random((SAMPLES, FEATURES), dtype=np.float32)
    y = rng.integers(0, CLASSES, SAMPLES)
    return x, y


def gemm_floor(x):
    rng = np.random.default_rng(1)
    w1 = rng.standard_normal((FEATURES, HIDDEN), dtype=np.float32)
    w2 = rng.standard_normal((HIDDEN, CLASSES), dtype=np.float32)
    start = time.perf_counter()
    for begin in range(0, SAMPLES, BATCH):
        batch = x[begin:begin + BATCH]
        hidden = batch @ w1
        logits = hidden @ w2
        d_hidden = logits @ w2.T
        _ = hidden.T @ logits
        _ = batch.T @ d_hidden
    return time.perf_counter() - start


def keras_epoch(keras, x, y, repeats=3):
    model = keras.Sequential([keras.Input((FEATURES,)),
                              keras.layers.Dense(HIDDEN, activation="relu"),
                              keras.layers.Dense(CLASSES, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x[:BATCH * 4], y[:BATCH * 4], batch_size=BATCH, epochs=1, verbose=0)  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    x, y = data()
    floor = min(gemm_floor(x) for _ in range(3))
    from eagerflow import keras
    ours = keras_epoch(keras, x, y)
    print(f"MLP 784-512-10, one epoch of {SAMPLES} samples, batch {BATCH}:")
    print(f"  GEMM floor   {floor:7.3f} s")
    print(f"  eagerflow    {ours:7.3f} s   {ours / floor:5.2f}x floor")
    tf = single_threaded_tensorflow()
    if tf is not None:
        theirs = keras_epoch(tf.keras, x, y)
        print(f"  tensorflow   {theirs:7.3f} s   {theirs / floor:5.2f}x floor   "
              f"(eagerflow is {theirs / ours:.2f}x faster)")


if __name__ == "__main__":
    main()
