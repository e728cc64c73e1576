"""One training step of the book's small convnet: Conv2D(32, 3, relu) - MaxPooling2D -
Conv2D(64, 3, relu) - MaxPooling2D - Flatten - Dense(10, softmax) on a (64, 28, 28, 1)
float32 batch, sparse categorical cross-entropy, RMSprop, through `model.train_on_batch`.

Prints the time per step and its ratio to the GEMM floor -- the step's matrix products
alone in NumPy, on ready-made contiguous operands: each convolution's im2col product and
its filter gradient, the second convolution's input gradient, and the dense layer's three
products -- and to TensorFlow's `train_on_batch` (a compiled tf.function, one thread) when
TensorFlow is installed. Target: <= 1.5x TensorFlow's step.

    python benchmarks/cnn_step.py
    PYTHONPATH=. /tmp/tfenv/bin/python benchmarks/cnn_step.py   # adds TensorFlow's figure
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from timing import (  # noqa: E402 - first: it pins the BLAS threads before NumPy loads
    per_call, single_threaded_tensorflow)

import numpy as np  # noqa: E402

BATCH, SIZE, CLASSES = 64, 28, 10


def data():
    rng = np.random.default_rng(0)
    x = rng.random((BATCH, SIZE, SIZE, 1), dtype=np.float32)
    y = rng.integers(0, CLASSES, BATCH)
    return x, y


def gemm_floor():
    """The seconds the step's matrix products take in NumPy."""
    rng = np.random.default_rng(1)

    def matrix(*shape):
        return rng.standard_normal(shape, dtype=np.float32)

    m1, m2 = BATCH * 26 * 26, BATCH * 11 * 11
    cols1, w1, dy1 = matrix(m1, 9), matrix(9, 32), matrix(m1, 32)
    cols2, w2, dy2 = matrix(m2, 288), matrix(288, 64), matrix(m2, 64)
    flat, w3, dy3 = matrix(BATCH, 1600), matrix(1600, CLASSES), matrix(BATCH, CLASSES)

    def products():
        cols1 @ w1              # conv 1 forward
        cols1.T @ dy1           # conv 1 filter gradient (its input needs none)
        cols2 @ w2              # conv 2 forward
        cols2.T @ dy2           # conv 2 filter gradient
        dy2 @ w2.T              # conv 2 input gradient
        flat @ w3               # dense forward
        flat.T @ dy3            # dense kernel gradient
        dy3 @ w3.T              # dense input gradient
    return per_call(products, number=10)


def step_time(keras, x, y):
    layers = keras.layers
    model = keras.Sequential([keras.Input((SIZE, SIZE, 1)),
                              layers.Conv2D(32, 3, activation="relu"),
                              layers.MaxPooling2D(),
                              layers.Conv2D(64, 3, activation="relu"),
                              layers.MaxPooling2D(),
                              layers.Flatten(),
                              layers.Dense(CLASSES, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    model.train_on_batch(x, y)  # builds the optimizer (and TensorFlow's graph)
    return per_call(lambda: model.train_on_batch(x, y), number=5, repeat=5)


def main():
    x, y = data()
    floor = gemm_floor()
    print(f"convnet training step, batch ({BATCH}, {SIZE}, {SIZE}, 1), float32:")
    print(f"  GEMM floor   {floor * 1e3:8.2f} ms")
    tf = single_threaded_tensorflow()
    if tf is not None:
        theirs = step_time(tf.keras, x, y)
        print(f"  tensorflow   {theirs * 1e3:8.2f} ms   {theirs / floor:5.2f}x floor")
    from eagerflow import keras
    ours = step_time(keras, x, y)
    print(f"  eagerflow    {ours * 1e3:8.2f} ms   {ours / floor:5.2f}x floor")
    if tf is not None:
        print(f"  eagerflow / tensorflow: {ours / theirs:.2f}x")


if __name__ == "__main__":
    main()
