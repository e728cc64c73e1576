"""`tf.data.experimental`: the older spellings of dataset transformations, as functions for
`Dataset.apply`, and a few helpers.

>>> from eagerflow import data
>>> ds = data.Dataset.range(6).apply(data.experimental.take_while(lambda x: x < 2))
>>> [int(x) for x in ds]
[0, 1]
"""

from eagerflow.data import selection as _selection
from eagerflow.data import transformations as _transformations
from eagerflow.data.dataset import (  # noqa: F401 - the constants, under their old home
    AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset)
from eagerflow.data.optional import Optional  # noqa: F401
from eagerflow.framework import dtypes


def cardinality(dataset):
    """`dataset.cardinality()`."""
    return dataset.cardinality()


def get_single_element(dataset):
    """`dataset.get_single_element()`."""
    return dataset.get_single_element()


def get_next_as_optional(iterator):
    """`iterator.get_next_as_optional()`."""
    return iterator.get_next_as_optional()


def Counter(start=0, step=1, dtype=dtypes.int64):  # noqa: N802 - TensorFlow's name
    """`Dataset.counter(start, step, dtype)`."""
    return Dataset.counter(start, step, dtype)


def RandomDataset(seed=None, rerandomize_each_iteration=None, name=None):  # noqa: N802
    """`Dataset.random(seed, rerandomize_each_iteration)`."""
    return Dataset.random(seed, rerandomize_each_iteration)


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    """`Dataset.sample_from_datasets`."""
    return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=False):
    """`Dataset.choose_from_datasets` (which stops on an empty dataset by default)."""
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


# --- transformations for Dataset.apply -----------------------------------------------------

def scan(initial_state, scan_func):
    return lambda dataset: dataset.scan(initial_state, scan_func)


def unique():
    return lambda dataset: dataset.unique()


def take_while(predicate):
    return lambda dataset: dataset.take_while(predicate)


def enumerate_dataset(start=0):
    return lambda dataset: dataset.enumerate(start)


def ignore_errors(log_warning=False):
    return lambda dataset: dataset.ignore_errors(log_warning)


def unbatch():
    return lambda dataset: dataset.unbatch()


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    return lambda dataset: dataset.group_by_window(key_func, reduce_func, window_size,
                                                   window_size_func)


def bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes,
                              padded_shapes=None, padding_values=None,
                              pad_to_bucket_boundary=False, no_padding=False,
                              drop_remainder=False):
    return lambda dataset: dataset.bucket_by_sequence_length(
        element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes,
        padding_values, pad_to_bucket_boundary, no_padding, drop_remainder)


def assert_cardinality(expected_cardinality):
    """A transformation that states the dataset's cardinality and checks it while
    iterating (`FailedPreconditionError` when the count differs)."""
    return lambda dataset: _selection._AssertCardinalityDataset(dataset,
                                                                expected_cardinality)


class _ShuffleAndRepeatDataset(_transformations._RepeatDataset):
    """`shuffle_and_repeat`: a shuffle, then a repeat; TensorFlow's name for the pair."""


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    return lambda dataset: _ShuffleAndRepeatDataset(dataset.shuffle(buffer_size, seed),
                                                    count)


class _MapAndBatchDataset(_transformations._BatchDataset):
    """`map_and_batch`: a map, then a batch; TensorFlow's name for the pair."""


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    return lambda dataset: _MapAndBatchDataset(
        dataset.map(map_func, num_parallel_calls), batch_size, drop_remainder)
