"""Fashion-MNIST: 28x28 grayscale images of ten kinds of clothing."""

import gzip
import os

import numpy as np

from eagerflow.keras.datasets import remote

_FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
          "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")


def _read_idx(path, header_size):
    with gzip.open(path, "rb") as file:
        return np.frombuffer(file.read(), np.uint8, offset=header_size)


def load_data():
    """Loads the Fashion-MNIST dataset: 60,000 training and 10,000 test images.

    The labels are 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
    6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot. The four gzipped IDX files are cached in
    `~/.keras/datasets/fashion-mnist`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 arrays of shapes `(60000, 28, 28)`,
        `(60000,)`, `(10000, 28, 28)` and `(10000,)`.
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    train_labels, train_images, test_labels, test_images = (
        remote.fetch(name, cache_subdir=subdir) for name in _FILES)
    y_train = _read_idx(train_labels, 8)
    x_train = _read_idx(train_images, 16).reshape(len(y_train), 28, 28)
    y_test = _read_idx(test_labels, 8)
    x_test = _read_idx(test_images, 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
