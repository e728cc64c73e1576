"""Transformations that regroup or mix elements: `group_by_window`,
`bucket_by_sequence_length`, `rebatch`, `sample_from_datasets`, `choose_from_datasets`,
and the `random` source."""

import itertools

import numpy as np

from eagerflow.data.dataset import (
    INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, TensorSpec, _spec_text,
    flatten_element, map_element)
from eagerflow.data.nesting import _VariantDataset
from eagerflow.data.op_errors import iteration_error
from eagerflow.data.transformations import _entropy, elements_and_components
from eagerflow.framework import dtypes, errors
from eagerflow.framework.tensor import Tensor, convert_to_tensor, wrap
from eagerflow.framework.tensor_shape import TensorShape


# --- group_by_window and bucket_by_sequence_length -----------------------------------------

def _int64_key(value):
    """A key or window size as a Python int: an int64 tensor or a Python integer."""
    if isinstance(value, Tensor) and value.dtype != dtypes.int64:
        raise ValueError(f"Tensor conversion requested dtype int64 for Tensor with dtype "
                         f"{value.dtype.name}: {value!r}")
    return int(value)


class _GroupByWindowDataset(Dataset):
    """Elements go to windows by `key_func`; a window holding `window_size_func(key)`
    elements becomes `reduce_func(key, window)`, whose elements are emitted. When the input
    ends, the open windows are reduced by increasing key (TensorFlow's order)."""

    def __init__(self, dataset, key_func, reduce_func, window_size_func,
                 element_spec=None):
        self._input = dataset
        self._key_func = key_func
        self._reduce_func = reduce_func
        self._window_size_func = window_size_func
        if element_spec is None:
            # What reduce_func makes of an empty window: its spec needs no data.
            empty = _VariantDataset([], dataset.element_spec)
            element_spec = self._reduced(0, empty).element_spec
        super().__init__(element_spec)

    def _reduced(self, key, window):
        result = self._reduce_func(wrap(np.int64(key)), window)
        if not isinstance(result, Dataset):
            raise TypeError(f"`reduce_func` must return a `Dataset` object. Got "
                            f"{type(result)!r}.")
        return result

    def _flushed(self, key, items):
        window = _VariantDataset(items, self._input.element_spec)
        return self._reduced(key, window)._components()

    def _components(self):
        windows, sizes = {}, {}
        for element, components in elements_and_components(self._input):
            args = element if isinstance(element, tuple) else (element,)
            key = _int64_key(self._key_func(*args))
            if key not in sizes:
                sizes[key] = max(1, _int64_key(self._window_size_func(wrap(np.int64(key)))))
            window = windows.setdefault(key, [])
            window.append(components)
            if len(window) == sizes[key]:
                del windows[key]
                yield from self._flushed(key, window)
        for key in sorted(windows):
            yield from self._flushed(key, windows[key])


def group_by_window(dataset, key_func, reduce_func, window_size, window_size_func):
    if (window_size is None) == (window_size_func is None):
        raise ValueError("Either the `window_size` argument or the `window_size_func` "
                         "argument must be specified.")
    if window_size_func is None:
        size = window_size

        def window_size_func(key):
            return np.int64(size)
    return _GroupByWindowDataset(dataset, key_func, reduce_func, window_size_func)


def bucket_by_sequence_length(dataset, element_length_func, bucket_boundaries,
                              bucket_batch_sizes, padded_shapes, padding_values,
                              pad_to_bucket_boundary, no_padding, drop_remainder):
    """Batches elements of similar length together: bucket `i` holds lengths in
    `[boundaries[i-1], boundaries[i])`, batched `bucket_batch_sizes[i]` at a time."""
    boundaries = [int(b) for b in bucket_boundaries]
    batch_sizes = [int(b) for b in bucket_batch_sizes]
    if len(batch_sizes) != len(boundaries) + 1:
        raise ValueError(f"`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + "
                         f"1` but `len(bucket_batch_sizes)={len(batch_sizes)}` and "
                         f"`len(bucket_boundaries)={len(boundaries)}`.")
    edges = np.array(boundaries, dtype=np.int64)

    def key_func(*element):
        length = int(element_length_func(*element))
        if pad_to_bucket_boundary and length >= max(boundaries):
            raise iteration_error(errors.InternalError,
                                  "When pad_to_bucket_boundary=True, elements must have "
                                  "length < max(bucket_boundaries).")
        return np.int64(np.searchsorted(edges, length, side="right"))

    def reduce_func(key, window):
        size = batch_sizes[int(key)]
        if no_padding:
            return window.batch(size, drop_remainder=drop_remainder)
        shapes = padded_shapes
        if pad_to_bucket_boundary:
            bound = boundaries[int(key)] - 1 if int(key) < len(boundaries) else None
            shapes = map_element(
                lambda s: TensorShape([bound] + [None] * (s.shape.rank - 1)),
                window.element_spec)
        return window.padded_batch(size, shapes, padding_values, drop_remainder)

    def window_size_func(key):
        return np.int64(batch_sizes[int(key)])

    if no_padding:
        spec = map_element(lambda s: TensorSpec(TensorShape([None]).concatenate(s.shape),
                                                s.dtype), dataset.element_spec)
    else:
        # Each bucket pads to its own shape: only the ranks are known in advance.
        spec = map_element(lambda s: TensorSpec(
            None if s.shape.rank is None else [None] * (s.shape.rank + 1), s.dtype),
            dataset.element_spec)
    return _GroupByWindowDataset(dataset, key_func, reduce_func, window_size_func, spec)


# --- rebatch -------------------------------------------------------------------------------

class _RebatchDataset(Dataset):
    """Re-cuts batches into batches of `batch_sizes` rows (cycled when a list): rows run
    on across the input's batches."""

    def __init__(self, dataset, batch_sizes, drop_remainder):
        specs = flatten_element(dataset.element_spec)
        if any(s.shape.rank == 0 for s in specs):
            raise ValueError("Invalid `batch_sizes`. Expected dataset with rank of >= 1 but "
                             "found a dataset with scalar elements. Fix the issue by adding "
                             "the `batch` transformation to the dataset.")
        sizes = np.asarray(batch_sizes, dtype=np.int64).reshape(-1).tolist()
        leading = sizes[0] if drop_remainder and len(set(sizes)) == 1 else None
        super().__init__(map_element(
            lambda s: TensorSpec(TensorShape([leading]).concatenate(s.shape[1:]), s.dtype),
            dataset.element_spec))
        self._input = dataset
        self._sizes = sizes
        self._drop_remainder = bool(drop_remainder)

    def _components(self):
        sizes = itertools.cycle(self._sizes)
        size, pending = next(sizes), None
        for components in self._input._components():
            arrays = [np.asarray(c) for c in components]
            pending = arrays if pending is None else [
                np.concatenate([old, new]) for old, new in zip(pending, arrays)]
            while len(pending[0]) >= size > 0:
                yield [array[:size] for array in pending]
                pending = [array[size:] for array in pending]
                size = next(sizes)
        if pending is not None and len(pending[0]) and not self._drop_remainder:
            yield pending


# --- sample_from_datasets and choose_from_datasets -----------------------------------------

def _common_spec(datasets):
    specs = [d.element_spec for d in datasets]
    first = flatten_element(specs[0])
    for spec in specs[1:]:
        other = flatten_element(spec)
        if len(other) != len(first) or any(
                a.dtype != b.dtype or not a.shape.is_compatible_with(b.shape)
                for a, b in zip(first, other)):
            lines = "\n".join(f"Dataset {i} element_spec={_spec_text(s)}."
                              for i, s in enumerate(specs))
            raise TypeError(f"Invalid `datasets`. `datasets` must have compatible element "
                            f"specs.\n {lines}")
    return specs[0]


class _DirectedInterleaveDataset(Dataset):
    """Elements taken from `datasets` in the order an int64 selector dataset gives."""

    def __init__(self, selector, datasets, stop_on_empty_dataset):
        self._datasets = tuple(datasets)
        super().__init__(_common_spec(self._datasets))
        self._selector = selector
        self._stop_on_empty = bool(stop_on_empty_dataset)

    def _inputs(self):
        return (self._selector,) + self._datasets

    def _cardinality(self):
        counts = [d._cardinality() for d in self._datasets]
        if all(c == INFINITE_CARDINALITY for c in counts):
            return INFINITE_CARDINALITY
        return UNKNOWN_CARDINALITY

    def _components(self):
        sources = [iter(d._components()) for d in self._datasets]
        live = len(sources)
        for (index,) in self._selector._components():
            index = int(index)
            if not 0 <= index < len(sources):
                raise iteration_error(errors.InvalidArgumentError,
                                      f"Selector index out of range: {index} >= "
                                      f"{len(sources)}")
            if sources[index] is None:
                continue
            components = next(sources[index], None)
            if components is not None:
                yield components
                continue
            if self._stop_on_empty:
                return
            sources[index], live = None, live - 1
            if not live:
                return


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset):
    spec = choice_dataset.element_spec
    if not isinstance(spec, TensorSpec) or spec.dtype != dtypes.int64 or spec.shape.rank:
        raise TypeError(f"Invalid `choice_dataset`. Elements of `choice_dataset` must be "
                        f"scalar `tf.int64` tensors but are {_spec_text(spec)}.")
    return _DirectedInterleaveDataset(choice_dataset, datasets, stop_on_empty_dataset)


class _SelectorDataset(Dataset):
    """Endless int64 indices drawn with probabilities `weights`, from a seeded generator
    (a fresh sequence for each iteration when no seed is given)."""

    def __init__(self, weights, seed):
        super().__init__(TensorSpec((), dtypes.int64))
        weights = np.asarray(weights, dtype=np.float64)
        self._weights = weights / weights.sum()
        self._seed = seed

    def _cardinality(self):
        return INFINITE_CARDINALITY

    def _components(self):
        generator = np.random.default_rng(_entropy() if self._seed is None else self._seed)
        while True:
            for index in generator.choice(len(self._weights), 256, p=self._weights):
                yield [np.int64(index)]


def sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset):
    datasets = list(datasets)
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    if len(datasets) == 1:
        return datasets[0]
    if weights is None:
        weights = np.ones(len(datasets))
    weights = np.asarray(convert_to_tensor(weights)._value, dtype=np.float64)
    if weights.shape != (len(datasets),):
        raise ValueError(f"Invalid `weights`. The shape of `weights` should be compatible "
                         f"with `[len(datasets)]` but is {weights.shape}.")
    selector = _SelectorDataset(weights, None if seed is None else int(seed))
    return _DirectedInterleaveDataset(selector, datasets, stop_on_empty_dataset)


# --- random ---------------------------------------------------------------------------------

class _RandomDataset(Dataset):
    """Endless pseudorandom int64 values; the same sequence each pass for a fixed seed."""

    def __init__(self, seed, rerandomize_each_iteration):
        super().__init__(TensorSpec((), dtypes.int64))
        self._seed = _entropy() if seed is None else int(seed)
        self._rerandomize = bool(rerandomize_each_iteration)
        self._seeds = np.random.default_rng(self._seed)

    def _cardinality(self):
        return INFINITE_CARDINALITY

    def _components(self):
        seed = int(self._seeds.integers(2 ** 63)) if self._rerandomize else self._seed
        generator = np.random.default_rng(seed)
        while True:
            for value in generator.integers(0, 2 ** 63 - 1, 256, dtype=np.int64):
                yield [value]
