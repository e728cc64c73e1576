"""Boston housing prices: 13 attributes of houses in 506 Boston suburbs in the 1970s."""

import numpy as np

from eagerflow.keras.datasets import remote


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston housing dataset.

    Args:
        path: The file name to cache the dataset under (in `~/.keras/datasets`).
        test_split: The fraction of the (shuffled) data kept for testing, in [0, 1).
        seed: The seed of the shuffle.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: attributes `(n, 13)` and median values in
        thousands of dollars `(n,)`.

    Raises:
        ValueError: when `test_split` is outside [0, 1).
    """
    remote.check_test_split(test_split)
    with np.load(remote.fetch("boston_housing.npz", fname=path), allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    return remote.shuffled_split(x, y, test_split, seed)
