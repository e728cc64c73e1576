"""The batches a preprocessing layer's `adapt` reads from its data."""

import numpy as np

import eagerflow as tf
from eagerflow.data import Dataset


def adapt_batches(data, steps=None, whole=lambda data: data):
    """A dataset's or an iterable's batches (at most `steps`), or, for in-memory data (a
    list, array or tensor), the one batch `whole(data)`."""
    if isinstance(data, Dataset):
        return data.take(steps) if steps is not None else data
    if hasattr(data, "__iter__") and not isinstance(data, (list, tuple, np.ndarray)) \
            and not tf.is_tensor(data):
        batches = iter(data)
        return batches if steps is None else (batch for _, batch in zip(range(steps), batches))
    return [whole(data)]
