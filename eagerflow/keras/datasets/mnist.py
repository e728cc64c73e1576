"""MNIST handwritten digits."""

import numpy as np

from eagerflow.keras.datasets import remote


def load_data(path="mnist.npz"):
    """Loads the MNIST dataset: 60,000 28x28 grayscale digit images and 10,000 more for
    testing.

    Args:
        path: The file name to cache the dataset under (in `~/.keras/datasets`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 arrays of shapes `(60000, 28, 28)`,
        `(60000,)`, `(10000, 28, 28)` and `(10000,)`; pixels 0..255, labels 0..9.
    """
    with np.load(remote.fetch("mnist.npz", fname=path), allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])
