"""CIFAR-10: 32x32 color images in ten classes."""

import os

import numpy as np

from eagerflow.keras.datasets import cifar, remote

_TRAIN_BATCHES = 5
_BATCH_SIZE = 10000


def load_data():
    """Loads the CIFAR-10 dataset: 50,000 training and 10,000 test images.

    The labels are 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog,
    7 horse, 8 ship, 9 truck. The archive is extracted into
    `~/.keras/datasets/cifar-10-batches-py-target`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 arrays of shapes
        `(50000, 32, 32, 3)`, `(50000, 1)`, `(10000, 32, 32, 3)` and `(10000, 1)`
        (images `(n, 3, 32, 32)` under `channels_first`).
    """
    path = os.path.join(remote.fetch("cifar-10-batches-py-target", extract=True),
                        "cifar-10-batches-py")
    x_train = np.empty((_TRAIN_BATCHES * _BATCH_SIZE, 3, 32, 32), dtype="uint8")
    y_train = np.empty((_TRAIN_BATCHES * _BATCH_SIZE,), dtype="uint8")
    for number in range(_TRAIN_BATCHES):
        rows = slice(number * _BATCH_SIZE, (number + 1) * _BATCH_SIZE)
        x_train[rows], y_train[rows] = cifar.load_batch(
            os.path.join(path, f"data_batch_{number + 1}"))
    x_test, y_test = cifar.load_batch(os.path.join(path, "test_batch"))
    return cifar.finish(x_train, y_train, x_test.astype(x_train.dtype),
                        np.asarray(y_test).astype(y_train.dtype))
