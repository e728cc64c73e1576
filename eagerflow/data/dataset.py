"""`tf.data.Dataset`: its sources, `TensorSpec`, and the methods that chain transformations.

A dataset iterates its elements internally as flat lists of ndarrays, one per component,
in the order of its `element_spec`; the public iterator wraps them as Tensors and rebuilds
the structure. Tuples and dicts are structure; lists and everything else are tensors, as
in TensorFlow's dataset structures. The transformations live beside it:
`transformations.py` (batch, map, filter, shuffle ...), `nesting.py` (padded_batch, window,
flat_map, interleave), `selection.py` (scan, unique, take_while, shard ...), `grouping.py`
(group_by_window, rebatch, sample/choose_from_datasets ...), `cache.py`, `generator.py`,
`readers.py` (TextLineDataset, list_files).
"""

import numpy as np

from eagerflow.data.structure import (  # noqa: F401 - re-exported for the transformations
    DatasetSpec, DatasetValue, TensorSpec, _convert_components, _spec_text, flatten_element,
    map_element, normalize_element, pack_element, spec_of)
from eagerflow.data.op_errors import as_iterator_error, iterator_error
from eagerflow.framework import dtypes, errors
from eagerflow.framework.tensor import wrap

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


class OwnedIterator:
    """Yields a dataset's elements as Tensors in the dataset's structure."""

    __slots__ = ("_components", "_spec", "_wrap")

    def __init__(self, components, spec):
        self._components = components
        self._spec = spec
        self._wrap = component_wrapper(spec)

    def __iter__(self):
        return self

    def __next__(self):
        return pack_element(self._spec, [self._wrap(a) for a in self._next_components()])

    def _next_components(self):
        try:
            return next(self._components)
        except errors.OpError as error:
            _raise_reworded(error, self._spec)

    def get_next(self):
        """The next element; `tf.errors.OutOfRangeError` at the end."""
        try:
            return self.__next__()
        except StopIteration:
            raise iterator_error(errors.OutOfRangeError, "End of sequence",
                                 self._spec) from None

    def get_next_as_optional(self):
        """The next element as a `tf.experimental.Optional`, empty at the end."""
        try:
            return _optional.Optional.from_value(self.__next__())
        except StopIteration:
            return _optional.Optional.empty(self._spec)

    @property
    def element_spec(self):
        return self._spec


class NumpyIterator:
    """`Dataset.as_numpy_iterator`: the elements as NumPy values (scalars for scalar
    components, bytes for strings)."""

    __slots__ = ("_iterator",)

    def __init__(self, iterator):
        self._iterator = iterator

    def __iter__(self):
        return self

    def __next__(self):
        components = self._iterator._next_components()
        return pack_element(self._iterator.element_spec, [
            a[()] if a.ndim == 0 else a for a in (np.asarray(c) for c in components)])

    def next(self):
        return self.__next__()

    def __repr__(self):
        return f"NumpyIterator(iterator={self._iterator!r})"


def _raise_reworded(error, spec):
    reworded = as_iterator_error(error, spec)
    if reworded is error:
        raise error
    raise reworded from None


def component_wrapper(spec):
    """The function that makes a public value of one internal component: a Tensor, or
    the component itself where it is a dataset (the windows of `Dataset.window`)."""
    if any(isinstance(s, DatasetSpec) for s in flatten_element(spec)):
        return lambda component: (component if isinstance(component, Dataset)
                                  else wrap(component))
    return wrap


class Dataset(DatasetValue):
    """A sequence of elements, each a tensor or a tuple or dict of tensors.

    Made by `Dataset.from_tensor_slices`, `from_tensors` or `range` and chained with
    transformations; iterating it yields Tensors.

    >>> from eagerflow import data
    >>> ds = data.Dataset.from_tensor_slices([1, 2, 3]).map(lambda x: x * 2)
    >>> [int(x) for x in ds]
    [2, 4, 6]
    """

    def __init__(self, element_spec):
        self._element_spec = element_spec

    # --- what subclasses provide --------------------------------------------------------

    def _components(self):
        """An iterator over the elements as flat lists of ndarrays."""
        raise NotImplementedError

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _inputs(self):
        """The datasets this one reads: transformations keep one as `_input`, several as
        `_datasets`."""
        inputs = self.__dict__.get("_datasets", ())
        single = self.__dict__.get("_input")
        return inputs if single is None else (single,) + tuple(inputs)

    def _indexed(self):
        """`(arrays, make_order)` when every element is `[a[i] for a in arrays]` for an
        index from `make_order()` (None: in order); batching then slices whole batches."""
        return None

    # --- the element protocol -----------------------------------------------------------

    @property
    def element_spec(self):
        """The structure of `TensorSpec`s describing each element.

        >>> from eagerflow import data
        >>> data.Dataset.range(3).element_spec
        TensorSpec(shape=(), dtype=tf.int64, name=None)
        """
        return self._element_spec

    def __iter__(self):
        return OwnedIterator(iter(self._components()), self.element_spec)

    def as_numpy_iterator(self):
        """Iterates the elements as NumPy values (scalars for scalar components).

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(3).as_numpy_iterator()]
        [0, 1, 2]
        """
        return NumpyIterator(iter(self))

    def cardinality(self):
        """The number of elements as an int64 scalar tensor, or `INFINITE_CARDINALITY` (-1)
        or `UNKNOWN_CARDINALITY` (-2).

        >>> from eagerflow import data
        >>> int(data.Dataset.range(5).repeat().cardinality())
        -1
        """
        return wrap(np.array(self._cardinality(), dtype=np.int64))

    def __len__(self):
        count = self._cardinality()
        if count == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if count == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return count

    def __bool__(self):
        return True

    # The class name TensorFlow prints for this dataset, where it differs from ours.
    _repr_name = None

    def __repr__(self):
        name = self._repr_name or type(self).__name__
        return f"<{name} element_spec={_spec_text(self.element_spec)}>"

    # --- sources ------------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset whose elements are slices of `tensors` along their first dimension.

        Tuples and dicts keep their structure; every component must have the same size
        along the first dimension.

        >>> from eagerflow import data
        >>> ds = data.Dataset.from_tensor_slices(([1.0, 2.0], [3, 4]))
        >>> [(float(x), int(y)) for x, y in ds]
        [(1.0, 3), (2.0, 4)]
        """
        return _TensorSliceDataset(_convert_components(tensors))

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element, `tensors`.

        >>> from eagerflow import data
        >>> data.Dataset.from_tensors([1, 2]).element_spec
        TensorSpec(shape=(2,), dtype=tf.int32, name=None)
        """
        return _TensorDataset(_convert_components(tensors))

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None):
        """A dataset of a range of numbers, as Python's `range`; int64 by default.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(2, 10, 3)]
        [2, 5, 8]
        """
        return _RangeDataset(range(*(int(a) for a in args)), dtypes.as_dtype(output_type))

    @staticmethod
    def zip(*datasets, name=None):
        """A dataset of the elements of `datasets` side by side, until the shortest ends.

        `datasets` is a tuple or dict of datasets, or the datasets as arguments.

        >>> from eagerflow import data
        >>> ds = data.Dataset.zip(data.Dataset.range(3), data.Dataset.range(5))
        >>> [(int(a), int(b)) for a, b in ds]
        [(0, 0), (1, 1), (2, 2)]
        """
        if len(datasets) == 1:
            datasets = datasets[0]
        return _transformations._ZipDataset(datasets)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """A dataset of the elements yielded by `generator(*args)`, called afresh for each
        iteration.

        Each element must match `output_signature` (a structure of `TensorSpec`s; `None`
        dimensions match any size); values are cast to the spec's dtype. `output_types`
        with optional `output_shapes` is the older way to say the same. The cardinality is
        unknown.

        >>> from eagerflow import data
        >>> ds = data.Dataset.from_generator(
        ...     lambda: iter([[1], [2, 3]]),
        ...     output_signature=data.TensorSpec((None,), "int32"))
        >>> [x.numpy().tolist() for x in ds]
        [[1], [2, 3]]
        """
        return _generator.from_generator(generator, output_types, output_shapes, args,
                                         output_signature)

    # --- transformations ----------------------------------------------------------------

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """Batches elements of different shapes, padding each component to a common shape.

        Dimensions that are `None` in `padded_shapes` (or all of them, when it is None) pad
        to the largest in the batch; `padding_values` defaults to 0 (b"" for strings).

        >>> from eagerflow import data
        >>> ds = data.Dataset.from_generator(
        ...     lambda: iter([[1], [2, 2]]), output_signature=data.TensorSpec((None,), "int32"))
        >>> next(iter(ds.padded_batch(2))).numpy().tolist()
        [[1, 0], [2, 2]]
        """
        return _nesting._PaddedBatchDataset(self, batch_size, padded_shapes, padding_values,
                                            drop_remainder)

    def cache(self, filename="", name=None):
        """Caches the elements after the first complete pass: in memory, or in files named
        after `filename` that later datasets with the same `filename` read back.

        >>> from eagerflow import data
        >>> ds = data.Dataset.range(3).cache()
        >>> [int(x) for x in ds] == [int(x) for x in ds]
        True
        """
        return _cache.CacheDataset(self, filename)

    def flat_map(self, map_func, name=None):
        """Maps each element to a dataset with `map_func` and chains those datasets.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(3).flat_map(data.Dataset.range)]
        [0, 0, 1]
        """
        return _nesting._FlatMapDataset(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        """Maps elements to datasets and interleaves them: `cycle_length` at a time,
        `block_length` consecutive elements from each in turn.

        >>> from eagerflow import data
        >>> ds = data.Dataset.range(1, 3).interleave(
        ...     lambda x: data.Dataset.from_tensors(x).repeat(3), cycle_length=2)
        >>> [int(x) for x in ds]
        [1, 2, 1, 2, 1, 2]
        """
        interleave = (_nesting._InterleaveDataset if num_parallel_calls is None
                      else _nesting._ParallelInterleaveDataset)
        return interleave(self, map_func, cycle_length,
                          1 if block_length is None else block_length)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Groups elements into windows, each a dataset (a structure of datasets for a
        structured element) of `size` elements, `stride` apart, starting `shift` apart.

        >>> from eagerflow import data
        >>> [[int(x) for x in w] for w in data.Dataset.range(5).window(2)]
        [[0, 1], [2, 3], [4]]
        """
        return _nesting._WindowDataset(self, size, shift, stride, drop_remainder)

    def options(self):
        """The `tf.data.Options` of this dataset, merged from its inputs'.

        >>> from eagerflow import data
        >>> data.Dataset.range(3).options() == data.Options()
        True
        """
        options = _options.Options()
        for dataset in self._inputs():
            options = options.merge(dataset.options())
        return options

    def with_options(self, options, name=None):
        """This dataset with `options` (a `tf.data.Options`) set; later values win."""
        return _options._OptionsDataset(self, options)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stacks consecutive elements into batches of `batch_size`.

        The last batch may be smaller unless `drop_remainder`; its leading dimension is
        then `None` in `element_spec`.

        >>> from eagerflow import data
        >>> [b.numpy().tolist() for b in data.Dataset.range(7).batch(3)]
        [[0, 1, 2], [3, 4, 5], [6]]
        """
        return _transformations._BatchDataset(self, batch_size, drop_remainder)

    def unbatch(self, name=None):
        """Splits each element into its slices along the first dimension.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(5).batch(2).unbatch()]
        [0, 1, 2, 3, 4]
        """
        return _transformations._UnbatchDataset(self)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies `map_func` to each element; a tuple element is passed as arguments.

        With `num_parallel_calls` (a count, or `AUTOTUNE` for one per CPU) the calls run
        on that many threads; the elements keep their order.

        >>> from eagerflow import data
        >>> ds = data.Dataset.from_tensor_slices(([1, 2], [3, 4])).map(lambda a, b: a + b)
        >>> [int(x) for x in ds]
        [4, 6]
        """
        if num_parallel_calls is None:
            return _transformations._MapDataset(self, map_func)
        return _transformations._ParallelMapDataset(self, map_func, num_parallel_calls)

    def filter(self, predicate, name=None):
        """Keeps the elements for which `predicate` returns True.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(6).filter(lambda x: x % 2 == 0)]
        [0, 2, 4]
        """
        return _transformations._FilterDataset(self, predicate)

    def repeat(self, count=None, name=None):
        """Repeats the dataset `count` times; forever when `count` is None or -1.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(2).repeat(2)]
        [0, 1, 0, 1]
        """
        return _transformations._RepeatDataset(self, count)

    def take(self, count, name=None):
        """The first `count` elements (all of them when `count` is -1).

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(10).take(3)]
        [0, 1, 2]
        """
        return _transformations._TakeDataset(self, count)

    def skip(self, count, name=None):
        """All but the first `count` elements (none when `count` is -1).

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(5).skip(3)]
        [3, 4]
        """
        return _transformations._SkipDataset(self, count)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Shuffles the elements through a buffer of `buffer_size` elements.

        The buffer is filled with the first `buffer_size` elements; each step emits one
        of them at random and puts the next element in its place. A buffer at least as
        large as the dataset gives a uniform shuffle; a buffer of 1 keeps the order.

        >>> from eagerflow import data
        >>> sorted(int(x) for x in data.Dataset.range(5).shuffle(5, seed=1))
        [0, 1, 2, 3, 4]
        """
        return _transformations._ShuffleDataset(self, buffer_size, seed,
                                                reshuffle_each_iteration)

    def prefetch(self, buffer_size, name=None):
        """Prepares up to `buffer_size` elements ahead in a background thread.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(3).prefetch(data.AUTOTUNE)]
        [0, 1, 2]
        """
        return _transformations._PrefetchDataset(self, buffer_size)

    def concatenate(self, dataset, name=None):
        """The elements of this dataset followed by those of `dataset`.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(2).concatenate(data.Dataset.range(2))]
        [0, 1, 0, 1]
        """
        return _transformations._ConcatenateDataset(self, dataset)

    def enumerate(self, start=0, name=None):
        """Pairs each element with its int64 index, counting from `start`.

        >>> from eagerflow import data
        >>> [(int(i), int(x)) for i, x in data.Dataset.range(5, 7).enumerate()]
        [(0, 5), (1, 6)]
        """
        return Dataset.zip((Dataset.range(start, np.iinfo(np.int64).max), self))

    def reduce(self, initial_state, reduce_func, name=None):
        """Folds the elements into `initial_state` with `reduce_func(state, element)`.

        >>> from eagerflow import data
        >>> import numpy as np
        >>> int(data.Dataset.range(4).reduce(np.int64(0), lambda total, x: total + x))
        6
        """
        state = map_element(wrap, normalize_element(initial_state))
        for element in self:
            args = element if isinstance(element, tuple) else (element,)
            state = map_element(wrap, normalize_element(reduce_func(state, *args)))
        return state


    def apply(self, transformation_func):
        """`transformation_func(self)`, which must return a dataset.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(5).apply(lambda ds: ds.skip(3))]
        [3, 4]
        """
        dataset = transformation_func(self)
        if not isinstance(dataset, Dataset):
            raise TypeError(f"`transformation_func` must return a `tf.data.Dataset` object. "
                            f"Got {type(dataset)}.")
        return dataset

    def scan(self, initial_state, scan_func, name=None):
        """A running transformation: `scan_func(state, element)` returns the new state and
        the output element.

        >>> from eagerflow import data
        >>> import numpy as np
        >>> ds = data.Dataset.range(5).scan(np.int64(0), lambda s, x: (s + x, s + x))
        >>> [int(x) for x in ds]
        [0, 1, 3, 6, 10]
        """
        return _selection._ScanDataset(self, initial_state, scan_func)

    def unique(self, name=None):
        """The elements (int32, int64 or string scalars) without repeats, first seen first.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.from_tensor_slices([1, 3, 1, 2, 3]).unique()]
        [1, 3, 2]
        """
        return _selection._UniqueDataset(self)

    def take_while(self, predicate, name=None):
        """The elements up to the first for which `predicate` returns False.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(10).take_while(lambda x: x < 3)]
        [0, 1, 2]
        """
        return _selection._TakeWhileDataset(self, predicate)

    def shard(self, num_shards, index, name=None):
        """Every `num_shards`-th element, starting at element `index`.

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(10).shard(3, 1)]
        [1, 4, 7]
        """
        return _selection._ShardDataset(self, num_shards, index)

    def get_single_element(self, name=None):
        """The dataset's only element; `InvalidArgumentError` unless it has exactly one.

        >>> from eagerflow import data
        >>> int(data.Dataset.range(7, 8).get_single_element())
        7
        """
        return _selection.get_single_element(self)

    def ignore_errors(self, log_warning=False, name=None):
        """Drops the elements whose computation raises an error (a failing `map` call
        drops that element; another failure ends the dataset)."""
        return _selection._IgnoreErrorsDataset(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """Re-cuts batched elements into batches of `batch_size` rows (a list of sizes is
        used in turn); rows run on across the input's batches.

        >>> from eagerflow import data
        >>> [b.numpy().tolist() for b in data.Dataset.range(7).batch(4).rebatch(3)]
        [[0, 1, 2], [3, 4, 5], [6]]
        """
        return _grouping._RebatchDataset(self, batch_size, drop_remainder)

    def group_by_window(self, key_func, reduce_func, window_size=None,
                        window_size_func=None, name=None):
        """Groups elements by the int64 `key_func(element)` into windows of `window_size`
        (or `window_size_func(key)`) elements, each turned into a dataset by
        `reduce_func(key, window)`; the open windows are reduced at the end.

        >>> from eagerflow import data
        >>> ds = data.Dataset.range(6).group_by_window(
        ...     lambda x: x % 2, lambda key, window: window.batch(2), window_size=2)
        >>> [b.numpy().tolist() for b in ds]
        [[0, 2], [1, 3], [4], [5]]
        """
        return _grouping.group_by_window(self, key_func, reduce_func, window_size,
                                         window_size_func)

    def bucket_by_sequence_length(self, element_length_func, bucket_boundaries,
                                  bucket_batch_sizes, padded_shapes=None,
                                  padding_values=None, pad_to_bucket_boundary=False,
                                  no_padding=False, drop_remainder=False, name=None):
        """Batches elements by length: bucket `i` takes lengths below
        `bucket_boundaries[i]` (and not below the previous boundary) and pads batches of
        `bucket_batch_sizes[i]` elements.

        >>> from eagerflow import data
        >>> ds = data.Dataset.from_generator(
        ...     lambda: iter([[1], [2, 2, 2], [3]]),
        ...     output_signature=data.TensorSpec((None,), "int32"))
        >>> ds = ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [2], [2, 2])
        >>> [b.numpy().tolist() for b in ds]
        [[[1], [3]], [[2, 2, 2]]]
        """
        return _grouping.bucket_by_sequence_length(
            self, element_length_func, bucket_boundaries, bucket_batch_sizes,
            padded_shapes, padding_values, pad_to_bucket_boundary, no_padding,
            drop_remainder)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """The names of the files matching `file_pattern` (a glob, or a list of them),
        shuffled unless `shuffle` is False; `InvalidArgumentError` when none match."""
        return _readers.list_files(file_pattern, shuffle, seed)

    @staticmethod
    def counter(start=0, step=1, dtype=dtypes.int64, name=None):
        """The endless dataset `start`, `start + step`, ...

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.counter(5, 2).take(3)]
        [5, 7, 9]
        """
        return _selection._CounterDataset(start, step, dtypes.as_dtype(dtype))

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        """An endless dataset of pseudorandom int64 values; with a `seed`, each pass gives
        the same values unless `rerandomize_each_iteration`."""
        return _grouping._RandomDataset(seed, rerandomize_each_iteration)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False,
                             rerandomize_each_iteration=None):
        """Elements drawn at random from `datasets` with probabilities `weights` (equal
        by default); an exhausted dataset is skipped, or ends the result when
        `stop_on_empty_dataset`.

        >>> from eagerflow import data
        >>> ds = data.Dataset.sample_from_datasets(
        ...     [data.Dataset.range(3), data.Dataset.range(10, 12)], seed=1)
        >>> sorted(int(x) for x in ds)
        [0, 1, 2, 10, 11]
        """
        return _grouping.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        """Elements taken from `datasets[i]` for each int64 `i` of `choice_dataset`.

        >>> from eagerflow import data
        >>> import numpy as np
        >>> choice = data.Dataset.from_tensor_slices(np.array([1, 0, 1], np.int64))
        >>> ds = data.Dataset.choose_from_datasets(
        ...     [data.Dataset.range(3), data.Dataset.range(10, 13)], choice)
        >>> [int(x) for x in ds]
        [10, 0, 11]
        """
        return _grouping.choose_from_datasets(datasets, choice_dataset,
                                              stop_on_empty_dataset)

def element_at(array, index):
    """`array[index]`, but a 0-d array, not a bare Python object, for a string element."""
    return array[index, ...] if array.dtype.hasobject else array[index]


class _TensorSliceDataset(Dataset):

    def __init__(self, arrays):
        flat = flatten_element(arrays)
        for array in flat:
            if array.ndim == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        sizes = [len(array) for array in flat]
        for size in sizes[1:]:
            if size != sizes[0]:
                raise ValueError(f"Dimensions {sizes[0]} and {size} are not compatible")
        super().__init__(map_element(
            lambda a: TensorSpec(a.shape[1:], dtypes.as_dtype(a.dtype)), arrays))
        self._arrays = flat
        self._size = sizes[0]

    def _cardinality(self):
        return self._size

    def _indexed(self):
        return self._arrays, lambda: None

    def _components(self):
        arrays = self._arrays
        for index in range(self._size):
            yield [element_at(array, index) for array in arrays]


class _TensorDataset(Dataset):

    def __init__(self, arrays):
        super().__init__(spec_of(arrays))
        self._arrays = flatten_element(arrays)

    def _cardinality(self):
        return 1

    def _components(self):
        yield list(self._arrays)


class _RangeDataset(Dataset):

    def __init__(self, numbers, dtype):
        super().__init__(TensorSpec((), dtype))
        self._numbers = numbers
        self._np_type = np.dtype(dtype._np).type

    def _cardinality(self):
        return len(self._numbers)

    def _components(self):
        np_type = self._np_type
        for number in self._numbers:
            yield [np_type(number)]


# These modules subclass Dataset, so they load after it.
from eagerflow.data import transformations as _transformations  # noqa: E402
from eagerflow.data import cache as _cache  # noqa: E402
from eagerflow.data import generator as _generator  # noqa: E402
from eagerflow.data import nesting as _nesting  # noqa: E402
from eagerflow.data import options as _options  # noqa: E402
from eagerflow.data import optional as _optional  # noqa: E402
from eagerflow.data import selection as _selection  # noqa: E402
from eagerflow.data import grouping as _grouping  # noqa: E402
from eagerflow.data import readers as _readers  # noqa: E402
