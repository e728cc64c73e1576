"""California housing prices: 8 attributes of the 20,640 census block groups of 1990."""

import numpy as np

from eagerflow.keras.datasets import remote


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Loads the California housing dataset.

    Args:
        version: `"large"` (all 20,640 blocks) or `"small"` (the first 600).
        path: The file name to cache the dataset under (in `~/.keras/datasets`).
        test_split: The fraction of the (shuffled) data kept for testing, in [0, 1).
        seed: The seed of the shuffle.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: attributes `(n, 8)` and median house values
        in dollars `(n,)`.

    Raises:
        ValueError: when `test_split` is outside [0, 1) or `version` is unknown.
    """
    remote.check_test_split(test_split)
    with np.load(remote.fetch("california_housing.npz", fname=path),
                 allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    elif version != "large":
        raise ValueError("Argument `version` must be one of 'small', 'large'. "
                         f"Received: version={version}")
    return remote.shuffled_split(x, y, test_split, seed)
