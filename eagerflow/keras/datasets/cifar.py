"""What CIFAR-10 and CIFAR-100 share: reading a pickled batch and laying out images."""

import numpy as np

from eagerflow.keras import backend
from eagerflow.keras.datasets import remote


def load_batch(fpath, label_key="labels"):
    """`(data, labels)` of one CIFAR batch file: images as uint8 `(n, 3, 32, 32)` and the
    labels under `label_key` as a list."""
    batch = {key.decode("utf8"): value for key, value in remote.load_pickle(fpath).items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def finish(x_train, y_train, x_test, y_test):
    """Labels as columns and images channels-last unless Keras is set to channels_first."""
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    if backend.image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
