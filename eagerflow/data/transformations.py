"""The `Dataset` transformations: each wraps its input and iterates it lazily."""

import collections
import concurrent.futures
import itertools
import os
import queue
import threading

import numpy as np

from eagerflow.data.dataset import (
    AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, TensorSpec, _spec_text,
    component_wrapper, element_at, flatten_element, map_element, normalize_element,
    pack_element, spec_of)
from eagerflow.data.op_errors import dataset_op_error, iteration_error
from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.framework.tensor_shape import TensorShape

_UNKNOWN = (INFINITE_CARDINALITY, UNKNOWN_CARDINALITY)


def batch_cardinality(batching):
    """How many batches a batching dataset (its `_input`, `_batch_size` and
    `_drop_remainder`) gives."""
    count = batching._input._cardinality()
    if count in _UNKNOWN:
        return count
    if batching._drop_remainder:
        return count // batching._batch_size
    return -(-count // batching._batch_size)


class _BatchDataset(Dataset):

    def __init__(self, dataset, batch_size, drop_remainder):
        batch_size = int(batch_size)
        if batch_size <= 0:
            raise dataset_op_error(InvalidArgumentError, "BatchDatasetV2",
                                   "Batch size must be greater than zero.")
        leading = batch_size if drop_remainder else None
        super().__init__(map_element(
            lambda s: TensorSpec(TensorShape([leading]).concatenate(s.shape), s.dtype),
            dataset.element_spec))
        self._input = dataset
        self._batch_size = batch_size
        self._drop_remainder = bool(drop_remainder)

    def _cardinality(self):
        return batch_cardinality(self)

    def _components(self):
        indexed = self._input._indexed()
        if indexed is not None:
            return self._sliced(*indexed)
        return self._stacked()

    def _sliced(self, arrays, make_order):
        # Whole batches straight from the source arrays: one slice or gather per component.
        order = make_order()
        count = len(arrays[0]) if order is None else len(order)
        size = self._batch_size
        stop = count - count % size if self._drop_remainder else count
        for start in range(0, stop, size):
            index = slice(start, start + size) if order is None else order[start:start + size]
            yield [array[index] for array in arrays]

    def _stacked(self):
        size, batch = self._batch_size, []
        # TensorFlow fuses a map and the batch after it, and words a mismatch differently.
        fused = isinstance(self._input, _MapDataset)
        for components in self._input._components():
            batch.append(components)
            if len(batch) == size:
                yield _stacked_batch(batch, fused)
                batch = []
        if batch and not self._drop_remainder:
            yield _stacked_batch(batch, fused)


def _stacked_batch(batch, fused):
    try:
        return [np.stack(column) for column in zip(*batch)]
    except ValueError:
        error = _batch_shape_error(batch, fused)
        if error is None:
            raise
        raise error from None


def _dims(shape):
    return "[" + ",".join(str(n) for n in shape) + "]"


def _batch_shape_error(batch, fused):
    """The error for elements of different shapes in one batch, as TensorFlow's batch
    kernel (or its fused map-and-batch kernel) words it; None when the shapes agree."""
    for index, column in enumerate(zip(*batch)):
        first = np.shape(column[0])
        for position, component in enumerate(column[1:], 1):
            shape = np.shape(component)
            if shape == first:
                continue
            if fused:
                message = ("Cannot add tensor to the batch: number of elements does not "
                           f"match. Shapes are: [tensor]: {_dims(shape)}, [batch]: "
                           f"{_dims(first)}")
            else:
                message = (f"Cannot batch tensors with different shapes in component "
                           f"{index}. First element had shape {_dims(first)} and element "
                           f"{position} had shape {_dims(shape)}.")
            return iteration_error(InvalidArgumentError, message)
    return None


class _UnbatchDataset(Dataset):

    def __init__(self, dataset):
        for spec in flatten_element(dataset.element_spec):
            if spec.shape.rank == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
        super().__init__(map_element(lambda s: TensorSpec(s.shape[1:], s.dtype),
                                     dataset.element_spec))
        self._input = dataset
        leading = [s.shape[0] if s.shape.rank else None
                   for s in flatten_element(dataset.element_spec)]
        known = sorted({rows for rows in leading if rows is not None})
        if len(known) > 1:
            raise ValueError("`unbatch()` is only supported for datasets of elements whose "
                             "components have a matching leading dimension. Encountered "
                             f"both {known[0]} and {known[1]}.")
        self._rows = known[0] if known and None not in leading else None

    def _cardinality(self):
        # Known only when every element has the same, static number of rows.
        count = self._input._cardinality()
        if self._rows is None or count == UNKNOWN_CARDINALITY:
            return UNKNOWN_CARDINALITY
        if count == INFINITE_CARDINALITY:
            return count
        return count * self._rows

    def _components(self):
        for components in self._input._components():
            arrays = [np.asarray(c) for c in components]
            rows = len(arrays[0])
            for number, array in enumerate(arrays[1:], 1):
                if len(array) != rows:
                    raise iteration_error(
                        InvalidArgumentError,
                        "Input element must have the same batch size in each component. "
                        f"Component 0 had size {rows} but component {number} had size, "
                        f"{len(array)}.")
            for index in range(rows):
                yield [element_at(array, index) for array in arrays]


def _call(func, element):
    """Calls `func` as TensorFlow does: a tuple element is spread over the arguments."""
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return func(*element)
    return func(element)


class FunctionDataset(Dataset):
    """A dataset made by a user function of its input's elements (map, flat_map ...).

    TensorFlow traces the function symbolically; here its `element_spec` comes from
    applying it to the first two input elements, a dimension in which their results differ
    becoming None (`tf.fill([x], x)` gives shape `(None,)`, as in TensorFlow).
    """

    _transformation = "map"

    def __init__(self, dataset, map_func):
        self._input = dataset
        self._map_func = map_func
        Dataset.__init__(self, None)

    @property
    def element_spec(self):
        if self._element_spec is None:
            specs = [self._spec_of_result(element)
                     for element in itertools.islice(self._input, 2)]
            if not specs:
                raise ValueError(f"The element_spec of a {self._transformation} over an "
                                 "empty dataset is unknown.")
            self._element_spec = _relaxed(*specs)
        return self._element_spec

    def _spec_of_result(self, element):
        raise NotImplementedError


def _relaxed(spec, other=None):
    """`spec` with the dimensions in which `other` (of the same structure) differs unknown."""
    if other is None:
        return spec
    first, second = flatten_element(spec), flatten_element(other)
    if len(first) != len(second):
        return spec
    return pack_element(spec, [
        a if not isinstance(a, TensorSpec) or not isinstance(b, TensorSpec)
        or a.shape.as_list() == b.shape.as_list() or a.shape.rank != b.shape.rank
        else TensorSpec(a.shape.most_specific_compatible_shape(b.shape), a.dtype)
        for a, b in zip(first, second)])


class _MapDataset(FunctionDataset):

    def _spec_of_result(self, element):
        return spec_of(self._apply(element))

    def _apply(self, element):
        return normalize_element(_call(self._map_func, element))

    def _cardinality(self):
        return self._input._cardinality()

    def _components(self):
        for element in self._input:
            yield flatten_element(self._apply(element))


def map_with_spec(dataset, map_func, element_spec):
    """`dataset.map(map_func)` whose `element_spec` the caller states, as TensorFlow's
    symbolic trace would find it (for Keras's dataset utilities, whose batch functions
    return shapes that one or two sample elements cannot reveal)."""
    mapped = _MapDataset(dataset, map_func)
    mapped._element_spec = element_spec
    return mapped


class _ParallelMapDataset(_MapDataset):
    """`map` with `num_parallel_calls`: the function runs on a pool of threads, up to twice
    as many calls in flight as threads, and results come out in input order. Threads help
    where the function waits on files or spends its time in NumPy or Pillow calls that
    release the GIL."""

    def __init__(self, dataset, map_func, num_parallel_calls):
        num_parallel_calls = int(num_parallel_calls)
        if num_parallel_calls <= 0 and num_parallel_calls != AUTOTUNE:
            raise InvalidArgumentError(None, None,
                                       "num_parallel_calls must be greater than zero.")
        super().__init__(dataset, map_func)
        self._workers = (os.cpu_count() or 1) if num_parallel_calls == AUTOTUNE \
            else num_parallel_calls

    def _components(self):
        apply = self._apply
        with concurrent.futures.ThreadPoolExecutor(
                self._workers, thread_name_prefix="eagerflow-map") as pool:
            pending = collections.deque()
            try:
                for element in self._input:
                    pending.append(pool.submit(apply, element))
                    if len(pending) >= 2 * self._workers:
                        yield flatten_element(pending.popleft().result())
                while pending:
                    yield flatten_element(pending.popleft().result())
            finally:
                # Stopped early (or failed): drop the calls not started yet.
                for future in pending:
                    future.cancel()


class _FilterDataset(Dataset):

    def __init__(self, dataset, predicate):
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._predicate = predicate

    def _components(self):
        predicate = self._predicate
        for element, components in elements_and_components(self._input):
            if checked_predicate(_call(predicate, element), _FILTER_PREDICATE):
                yield components


_FILTER_PREDICATE = "`predicate` must return a `tf.bool` scalar tensor, but its return type is "


def elements_and_components(dataset):
    """Each element of `dataset` as the user sees it, with its flat components."""
    spec = dataset.element_spec
    wrap = component_wrapper(spec)
    for components in dataset._components():
        yield pack_element(spec, [wrap(c) for c in components]), components


def checked_predicate(result, requirement):
    """`result` of a predicate as a Python bool; a ValueError stating `requirement` (the
    wording differs between transformations) unless it is a boolean scalar."""
    keep = convert_to_tensor(result)
    if keep.dtype != dtypes.bool or keep.shape.rank != 0:
        raise ValueError(f"Invalid `predicate`. {requirement}"
                         f"{TensorSpec(keep.shape, keep.dtype)}.")
    return bool(keep)


class _RepeatDataset(Dataset):

    def __init__(self, dataset, count):
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._count = -1 if count is None else int(count)

    def _cardinality(self):
        count = self._input._cardinality()
        if self._count == 0 or count == 0:
            return 0
        if self._count < 0:
            return INFINITE_CARDINALITY if count != UNKNOWN_CARDINALITY else count
        return count if count in _UNKNOWN else count * self._count

    def _components(self):
        epoch = 0
        while self._count < 0 or epoch < self._count:
            empty = True
            for components in self._input._components():
                empty = False
                yield components
            if empty:
                return
            epoch += 1


class _TakeDataset(Dataset):

    def __init__(self, dataset, count):
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._count = int(count)

    def _cardinality(self):
        count = self._input._cardinality()
        if self._count < 0:
            return count
        if count == INFINITE_CARDINALITY:
            return self._count
        return count if count == UNKNOWN_CARDINALITY else min(count, self._count)

    def _components(self):
        if self._count < 0:
            yield from self._input._components()
            return
        if self._count == 0:
            return
        for taken, components in enumerate(self._input._components(), 1):
            yield components
            if taken == self._count:
                return


class _SkipDataset(Dataset):

    def __init__(self, dataset, count):
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._count = int(count)

    def _cardinality(self):
        count = self._input._cardinality()
        if count in _UNKNOWN:
            return count
        return 0 if self._count < 0 else max(count - self._count, 0)

    def _components(self):
        if self._count < 0:
            return
        for index, components in enumerate(self._input._components()):
            if index >= self._count:
                yield components


def _shuffled(items, buffer_size, generator):
    """TensorFlow's shuffle buffer over an iterable: emit a random buffered item and put
    the next item in its place; once the input ends, drain the buffer at random."""
    buffer = []
    for item in items:
        if len(buffer) < buffer_size:
            buffer.append(item)
            continue
        slot = int(generator.integers(buffer_size))
        yield buffer[slot]
        buffer[slot] = item
    yield from _drained(buffer, generator)


def _shuffled_order(count, buffer_size, generator):
    """`_shuffled` over `range(count)` as an index array, with the same random draws.

    While the input lasts, step t emits what slot `slots[t]` holds and puts item
    `buffer_size + t` there; so it emits the item put by the previous step that drew the
    same slot, or the slot's first item. A stable sort by slot finds those steps at once.
    """
    buffer_size = min(buffer_size, count)
    steps = count - buffer_size
    slots = generator.integers(buffer_size, size=steps) if buffer_size else \
        np.zeros(0, np.int64)
    by_slot = np.argsort(slots, kind="stable")
    sorted_slots = slots[by_slot]
    follows = np.zeros(steps, dtype=bool)
    follows[1:] = sorted_slots[1:] == sorted_slots[:-1]
    order = np.empty(count, dtype=np.int64)
    order[by_slot] = np.where(follows, buffer_size + np.roll(by_slot, 1), sorted_slots)
    # What the buffer holds when the input ends: each slot's last item.
    buffer = np.arange(buffer_size, dtype=np.int64)
    last = np.ones(steps, dtype=bool)
    last[:-1] = sorted_slots[:-1] != sorted_slots[1:]
    buffer[sorted_slots[last]] = buffer_size + by_slot[last]
    order[steps:] = _drained(buffer.tolist(), generator)
    return order


def _drained(buffer, generator):
    """The buffer's items in random order once the input has ended: draw a slot, swap it
    to the end and emit it (all draws at once: one bound per remaining size)."""
    drained = []
    for slot in generator.integers(np.arange(len(buffer), 0, -1)).tolist():
        buffer[slot], buffer[-1] = buffer[-1], buffer[slot]
        drained.append(buffer.pop())
    return drained


def _entropy():
    # Drawn from eagerflow's random ops, so that `tf.random.set_seed` fixes the order.
    from eagerflow.ops import random_ops
    from eagerflow.framework import dtypes
    return int(random_ops.uniform((), maxval=2 ** 31 - 1, dtype=dtypes.int32))


class _ShuffleDataset(Dataset):

    def __init__(self, dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(dataset.element_spec)
        buffer_size = int(buffer_size)
        if buffer_size <= 0 and buffer_size != -1:
            raise dataset_op_error(InvalidArgumentError, "ShuffleDatasetV3",
                                   "buffer_size must be greater than zero or "
                                   "UNKNOWN_CARDINALITY")
        self._input = dataset
        self._buffer_size = buffer_size
        self._seed = _entropy() if seed is None else int(seed)
        self._reshuffle = bool(reshuffle_each_iteration)
        self._seeds = np.random.default_rng(self._seed)

    def _cardinality(self):
        return self._input._cardinality()

    def _generator(self):
        if self._reshuffle:
            return np.random.default_rng(int(self._seeds.integers(2 ** 63)))
        return np.random.default_rng(self._seed)

    def _size(self, count):
        return count if self._buffer_size == -1 else self._buffer_size

    def _indexed(self):
        indexed = self._input._indexed()
        if indexed is None:
            return None
        arrays, make_order = indexed

        def make_shuffled_order():
            order = make_order()
            count = len(arrays[0]) if order is None else len(order)
            positions = _shuffled_order(count, self._size(count), self._generator())
            return positions if order is None else order[positions]
        return arrays, make_shuffled_order

    def _components(self):
        indexed = self._indexed()
        if indexed is not None:
            arrays, make_order = indexed
            for index in make_order():
                yield [element_at(array, index) for array in arrays]
            return
        size = self._buffer_size
        if size == -1:
            size = np.iinfo(np.int64).max
        yield from _shuffled(self._input._components(), size, self._generator())


class _PrefetchIterator:
    """Reads ahead into a bounded queue from a daemon thread that stops when this iterator
    is exhausted or dropped."""

    _END = object()

    def __init__(self, components, buffer_size):
        self._queue = queue.Queue(maxsize=buffer_size)
        self._stop = threading.Event()
        # The thread holds only the queue, the event and the source, never this object,
        # so dropping the iterator runs `__del__`, which stops the thread.
        self._thread = threading.Thread(
            target=_prefetch, args=(components, self._queue, self._stop), daemon=True,
            name="eagerflow-prefetch")
        self._thread.start()
        self._done = False

    def __iter__(self):
        return self

    def __next__(self):
        if self._done:
            raise StopIteration
        item = self._queue.get()
        if item is self._END:
            self._done = True
            raise StopIteration
        if isinstance(item, _Failure):
            self._done = True
            raise item.error
        return item

    def close(self):
        self._stop.set()
        self._done = True

    def __del__(self):
        self._stop.set()


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


def _put(q, item, stop):
    while not stop.is_set():
        try:
            q.put(item, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False


def _prefetch(components, q, stop):
    source = iter(components)
    try:
        for item in source:
            if not _put(q, item, stop):
                return
        _put(q, _PrefetchIterator._END, stop)
    except BaseException as error:  # noqa: BLE001 - handed to the consumer, re-raised there
        _put(q, _Failure(error), stop)
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


class _PrefetchDataset(Dataset):

    _AUTOTUNE_BUFFER = 4

    def __init__(self, dataset, buffer_size):
        super().__init__(dataset.element_spec)
        buffer_size = int(buffer_size)
        if buffer_size < -1:
            raise dataset_op_error(InvalidArgumentError, "PrefetchDataset",
                                   "buffer_size must be >= 0 or set buffer_size to be -1 "
                                   "for auto-tuning")
        self._input = dataset
        self._buffer_size = self._AUTOTUNE_BUFFER if buffer_size in (-1, 0) else buffer_size

    def _cardinality(self):
        return self._input._cardinality()

    def _components(self):
        return _PrefetchIterator(self._input._components(), self._buffer_size)


class _ConcatenateDataset(Dataset):

    def __init__(self, first, second):
        specs = flatten_element(first.element_spec)
        other = flatten_element(second.element_spec)
        try:
            pack_element(first.element_spec, other)
            compatible = len(specs) == len(other) and all(
                a.dtype == b.dtype and a.shape.rank == b.shape.rank
                for a, b in zip(specs, other))
        except (StopIteration, TypeError, KeyError):
            compatible = False
        if not compatible:
            raise TypeError(f"Incompatible dataset elements:\n  "
                            f"{_spec_text(first.element_spec)} vs.   "
                            f"{_spec_text(second.element_spec)}")
        merged = [a if a.shape.as_list() == b.shape.as_list() else TensorSpec(
            a.shape.most_specific_compatible_shape(b.shape), a.dtype)
            for a, b in zip(specs, other)]
        super().__init__(pack_element(first.element_spec, merged))
        self._datasets = (first, second)

    def _cardinality(self):
        counts = [d._cardinality() for d in self._datasets]
        if INFINITE_CARDINALITY in counts:
            return INFINITE_CARDINALITY
        if UNKNOWN_CARDINALITY in counts:
            return UNKNOWN_CARDINALITY
        return sum(counts)

    def _components(self):
        for dataset in self._datasets:
            yield from dataset._components()


class _ZipDataset(Dataset):

    def __init__(self, datasets):
        for dataset in flatten_element(datasets):
            if isinstance(dataset, list):
                raise TypeError("Invalid input to `zip`. Inputs are expected to be (nested) "
                                "structures of `tf.data.Dataset` objects. Python `list` is "
                                "not supported and you should use `tuple` instead.")
            if not isinstance(dataset, Dataset):
                raise TypeError("Invalid input to `zip`. Inputs are expected to be (nested) "
                                "structures of `tf.data.Dataset` objects but encountered "
                                f"object of type {type(dataset)}.")
        self._structure = datasets
        self._datasets = flatten_element(datasets)
        super().__init__(map_element(lambda d: d.element_spec, datasets))

    def _cardinality(self):
        counts = [d._cardinality() for d in self._datasets]
        if UNKNOWN_CARDINALITY in counts:
            return UNKNOWN_CARDINALITY
        finite = [c for c in counts if c >= 0]
        return min(finite) if finite else INFINITE_CARDINALITY

    def _components(self):
        for parts in zip(*(d._components() for d in self._datasets)):
            yield [component for part in parts for component in part]
