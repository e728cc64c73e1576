"""CIFAR-100: 32x32 color images in 100 fine classes grouped into 20 coarse ones."""

import os

from eagerflow.keras.datasets import cifar, remote


def load_data(label_mode="fine"):
    """Loads the CIFAR-100 dataset: 50,000 training and 10,000 test images.

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (20 superclasses).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shapes
        `(50000, 32, 32, 3)` and `(10000, 32, 32, 3)`, int64 labels of shapes
        `(50000, 1)` and `(10000, 1)`.

    Raises:
        ValueError: for any other `label_mode`.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError('`label_mode` must be one of `"fine"`, `"coarse"`. '
                         f"Received: label_mode={label_mode}.")
    path = os.path.join(remote.fetch("cifar-100-python-target", extract=True),
                        "cifar-100-python")
    label_key = f"{label_mode}_labels"
    x_train, y_train = cifar.load_batch(os.path.join(path, "train"), label_key)
    x_test, y_test = cifar.load_batch(os.path.join(path, "test"), label_key)
    return cifar.finish(x_train, y_train, x_test, y_test)
