"""Transformations that keep, drop or number elements one at a time: `scan`, `unique`,
`take_while`, `shard`, `ignore_errors`, `assert_cardinality`, and the `counter` source."""

import itertools

import numpy as np

from eagerflow.data.dataset import (
    INFINITE_CARDINALITY, Dataset, TensorSpec, flatten_element,
    map_element, normalize_element, spec_of)
from eagerflow.data.op_errors import dataset_op_error, iteration_error
from eagerflow.data.transformations import (
    _MapDataset, _call, _relaxed, checked_predicate, elements_and_components)
from eagerflow.framework import dtypes, errors
from eagerflow.framework.tensor import wrap


class _ScanDataset(Dataset):
    """`scan`: `scan_func(state, element)` returns the next state and the output element.

    As with `map`, the `element_spec` comes from the first two outputs."""

    def __init__(self, dataset, initial_state, scan_func):
        Dataset.__init__(self, None)
        self._input = dataset
        self._initial_state = normalize_element(initial_state)
        self._scan_func = scan_func

    @property
    def element_spec(self):
        if self._element_spec is None:
            specs = [spec_of(output) for output in itertools.islice(self._outputs(), 2)]
            if not specs:
                raise ValueError("The element_spec of a scan over an empty dataset is "
                                 "unknown.")
            self._element_spec = _relaxed(*specs)
        return self._element_spec

    def _cardinality(self):
        return self._input._cardinality()

    def _outputs(self):
        state = map_element(wrap, self._initial_state)
        for element in self._input:
            args = element if isinstance(element, tuple) else (element,)
            result = self._scan_func(state, *args)
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise TypeError("Invalid `scan_func`. `scan_func` must return a pair "
                                "consisting of new state and output element.")
            new_state, output = result
            state = map_element(wrap, normalize_element(new_state))
            yield normalize_element(output)

    def _components(self):
        for output in self._outputs():
            yield flatten_element(output)


class _CounterDataset(Dataset):
    """`Dataset.counter`: `start`, `start + step`, ... forever."""

    _repr_name = "_ScanDataset"  # TensorFlow scans a counter over an endless input

    def __init__(self, start, step, dtype):
        super().__init__(TensorSpec((), dtype))
        self._start, self._step = start, step
        self._np_type = np.dtype(dtype.as_numpy_dtype).type

    def _cardinality(self):
        return INFINITE_CARDINALITY

    def _components(self):
        np_type = self._np_type
        for number in itertools.count(self._start, self._step):
            yield [np_type(number)]


class _UniqueDataset(Dataset):

    def __init__(self, dataset):
        specs = flatten_element(dataset.element_spec)
        if len(specs) != 1:
            raise dataset_op_error(errors.InvalidArgumentError, "UniqueDataset",
                                   "UniqueDataset only supports inputs with a single "
                                   "component.")
        dtype = specs[0].dtype
        if dtype not in (dtypes.int32, dtypes.int64, dtypes.string):
            raise TypeError(f"`tf.data.Dataset.unique` does not support type {dtype} -- "
                            "only `tf.int32`, `tf.int64`, and `tf.string` are supported.")
        super().__init__(dataset.element_spec)
        self._input = dataset

    def _components(self):
        seen = set()
        for components in self._input._components():
            array = np.asarray(components[0])
            key = array.item() if array.ndim == 0 else (array.shape, tuple(array.ravel()))
            if key not in seen:
                seen.add(key)
                yield components


class _TakeWhileDataset(Dataset):

    def __init__(self, dataset, predicate):
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._predicate = predicate

    def _components(self):
        for element, components in elements_and_components(self._input):
            keep = checked_predicate(_call(self._predicate, element),
                                     "`predicate` must return a `tf.bool` scalar tensor but "
                                     "its return type is")
            if not keep:
                return
            yield components


class _ShardDataset(Dataset):

    def __init__(self, dataset, num_shards, index):
        num_shards, index = int(num_shards), int(index)
        if num_shards <= 0:
            raise dataset_op_error(errors.InvalidArgumentError, "ShardDataset",
                                   "Number of shards must be greater than zero (currently "
                                   f"num_shards = {num_shards}).")
        if not 0 <= index < num_shards:
            raise dataset_op_error(errors.InvalidArgumentError, "ShardDataset",
                                   f"Index must be between 0 and {num_shards - 1} "
                                   f"(currently index = {index}).")
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._num_shards, self._index = num_shards, index

    def _cardinality(self):
        count = self._input._cardinality()
        if count < 0:
            return count
        return count // self._num_shards + (self._index < count % self._num_shards)

    def _components(self):
        return itertools.islice(self._input._components(), self._index, None,
                                self._num_shards)


class _IgnoreErrorsDataset(Dataset):
    """`ignore_errors`: drops the elements whose computation fails.

    A failing `map` function skips just that element; an error from any other input
    ends the dataset, since a Python generator cannot go on after raising."""

    def __init__(self, dataset):
        super().__init__(dataset.element_spec)
        self._input = dataset

    def _components(self):
        source = self._input
        if isinstance(source, _MapDataset):
            for element in source._input:
                try:
                    yield flatten_element(source._apply(element))
                except errors.OpError:
                    continue
            return
        try:
            yield from source._components()
        except errors.OpError:
            return


class _AssertCardinalityDataset(Dataset):

    def __init__(self, dataset, expected):
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._expected = int(expected)

    def _cardinality(self):
        return self._expected

    def _components(self):
        count = 0
        for components in self._input._components():
            count += 1
            if count > self._expected:
                raise iteration_error(
                    errors.FailedPreconditionError,
                    f"Input dataset was expected to contain {self._expected} elements but "
                    f"contained at least {count} elements.")
            yield components
        if count < self._expected:
            raise iteration_error(
                errors.FailedPreconditionError,
                f"Input dataset was expected to contain {self._expected} elements but "
                f"contained only {count} elements.")


def get_single_element(dataset):
    """The only element of `dataset`; `InvalidArgumentError` when it has none or more."""
    spec = dataset.element_spec
    node = f"DatasetToSingleElement_output_types_{len(flatten_element(spec))}"
    iterator = iter(dataset)
    element = next(iterator, None)
    if element is None:
        raise dataset_op_error(errors.InvalidArgumentError, "DatasetToSingleElement",
                               "Dataset was empty.", node)
    if next(iterator, None) is not None:
        raise dataset_op_error(errors.InvalidArgumentError, "DatasetToSingleElement",
                               "Dataset had more than one element.", node)
    return element

