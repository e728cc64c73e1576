"""`tf.data.Dataset`: its sources, `TensorSpec`, and the methods that chain transformations.

A dataset iterates its elements internally as flat lists of ndarrays, one per component,
in the order of its `element_spec`; the public iterator wraps them as Tensors and rebuilds
the structure. Tuples and dicts are structure; lists and everything else are tensors, as
in TensorFlow's dataset structures. The transformations live in `transformations.py`.
"""

import numpy as np

from eagerflow.data.structure import (  # noqa: F401 - re-exported for the transformations
    TensorSpec, _convert_components, _spec_text, flatten_element, map_element,
    normalize_element, pack_element, spec_of)
from eagerflow.framework import dtypes
from eagerflow.framework.tensor import wrap

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


class _Iterator:
    """Yields a dataset's elements as Tensors in the dataset's structure."""

    __slots__ = ("_components", "_spec")

    def __init__(self, components, spec):
        self._components = components
        self._spec = spec

    def __iter__(self):
        return self

    def __next__(self):
        return pack_element(self._spec, [wrap(a) for a in next(self._components)])

    def get_next(self):
        return self.__next__()

    @property
    def element_spec(self):
        return self._spec


class Dataset:
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
        return _Iterator(iter(self._components()), self.element_spec)

    def as_numpy_iterator(self):
        """Iterates the elements as NumPy values (scalars for scalar components).

        >>> from eagerflow import data
        >>> [int(x) for x in data.Dataset.range(3).as_numpy_iterator()]
        [0, 1, 2]
        """
        spec = self.element_spec
        for components in self._components():
            yield pack_element(spec, [a[()] if a.ndim == 0 else a for a in
                                      (np.asarray(c) for c in components)])

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

    def __repr__(self):
        return f"<{type(self).__name__} element_spec={_spec_text(self.element_spec)}>"

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
        return _nesting._InterleaveDataset(self, map_func, cycle_length,
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
