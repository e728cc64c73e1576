"""Transformations whose elements are padded batches or datasets: `padded_batch`, `window`,
`flat_map` and `interleave`."""

import os

import numpy as np

from eagerflow.data.dataset import (
    INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, TensorSpec, flatten_element,
    map_element, pack_element)
from eagerflow.data.structure import DatasetSpec
from eagerflow.data.op_errors import iteration_error
from eagerflow.data.transformations import FunctionDataset, _call, batch_cardinality
from eagerflow.framework import dtypes
from eagerflow.framework.errors import DataLossError, InvalidArgumentError
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.framework.tensor_shape import TensorShape

_UNKNOWN = (INFINITE_CARDINALITY, UNKNOWN_CARDINALITY)


def _positive(value, what):
    value = int(value)
    if value <= 0:
        raise InvalidArgumentError(None, None, f"{what} must be greater than zero.")
    return value


# --- padded_batch --------------------------------------------------------------------------

def _padded_shape(shape, spec):
    shape = TensorShape([shape] if isinstance(shape, (int, np.integer)) else shape)
    if not shape.is_compatible_with(spec.shape):
        raise ValueError(f"The padded shape {shape} is not compatible with the shape "
                         f"{spec.shape} of the corresponding input component.")
    return shape


def _padding_value(value, spec):
    if value is None:
        return np.array(b"" if spec.dtype == dtypes.string else 0,
                        dtype=spec.dtype.as_numpy_dtype)
    tensor = convert_to_tensor(value)
    if tensor.dtype != spec.dtype:
        raise TypeError(f"Invalid `padding_values`. `padding_values` values type "
                        f"<dtype: '{tensor.dtype.name}'> does not match type "
                        f"<dtype: '{spec.dtype.name}'> of the corresponding input component.")
    if tensor.shape.rank != 0:
        raise ValueError(f"Invalid `padding_values`. `padding_values` values should be "
                         f"scalars, but got {tensor.shape}.")
    return np.asarray(tensor._value)


def _broadcast(value, structure):
    """`value` per component of `structure`: a single value applies to every component."""
    if value is None or not isinstance(value, (tuple, dict)):
        return [value] * len(flatten_element(structure))
    return flatten_element(value)


class _PaddedBatchDataset(Dataset):

    def __init__(self, dataset, batch_size, padded_shapes, padding_values, drop_remainder):
        self._input = dataset
        self._batch_size = _positive(batch_size, "Batch size")
        self._drop_remainder = bool(drop_remainder)
        specs = flatten_element(dataset.element_spec)
        if padded_shapes is None:
            shapes = [s.shape for s in specs]
        else:
            shapes = [_padded_shape(shape, spec) for shape, spec in
                      zip(_broadcast_shapes(padded_shapes, dataset.element_spec), specs)]
        # A known input dimension stays known where the padded shape leaves it open.
        self._shapes = [shape.merge_with(spec.shape) for shape, spec in zip(shapes, specs)]
        self._pads = [_padding_value(value, spec) for value, spec in
                      zip(_broadcast(padding_values, dataset.element_spec), specs)]
        leading = self._batch_size if self._drop_remainder else None
        super().__init__(pack_element(dataset.element_spec, [
            TensorSpec(TensorShape([leading]).concatenate(shape), spec.dtype)
            for shape, spec in zip(self._shapes, specs)]))

    def _cardinality(self):
        return batch_cardinality(self)

    def _components(self):
        size, batch = self._batch_size, []
        for components in self._input._components():
            batch.append(components)
            if len(batch) == size:
                yield self._pad(batch)
                batch = []
        if batch and not self._drop_remainder:
            yield self._pad(batch)

    def _pad(self, batch):
        padded = []
        for column, shape, pad in zip(zip(*batch), self._shapes, self._pads):
            arrays = [np.asarray(a) for a in column]
            dims = [None] * arrays[0].ndim if shape.rank is None else shape.as_list()
            widest = np.max([a.shape for a in arrays], axis=0) if dims else ()
            target = [int(w) if d is None else d for d, w in zip(dims, widest)]
            out = np.full([len(arrays)] + target, pad, dtype=pad.dtype)
            for row, array in enumerate(arrays):
                if any(n > t for n, t in zip(array.shape, target)):
                    raise iteration_error(DataLossError, "Attempted to pad to a smaller "
                                                         "size than the input element.")
                out[(row,) + tuple(slice(0, n) for n in array.shape)] = array
            padded.append(out)
        return padded


def _broadcast_shapes(padded_shapes, structure):
    # A shape is a leaf even when written as a tuple; the structure decides the nesting.
    if isinstance(structure, dict):
        return [s for key in sorted(structure)
                for s in _broadcast_shapes(padded_shapes[key], structure[key])]
    if isinstance(structure, tuple):
        return [s for shape, item in zip(padded_shapes, structure)
                for s in _broadcast_shapes(shape, item)]
    return [padded_shapes]


# --- datasets as elements ------------------------------------------------------------------

class _VariantDataset(Dataset):
    """A finite dataset over already computed flat components: one window's component."""

    def __init__(self, items, element_spec):
        super().__init__(element_spec)
        self._items = items

    def _cardinality(self):
        return len(self._items)

    def _components(self):
        for item in self._items:
            yield list(item)


class _WindowDataset(Dataset):
    """Each element is the input's structure with a dataset in place of each component."""

    def __init__(self, dataset, size, shift, stride, drop_remainder):
        self._input = dataset
        self._size = _positive(size, "Window size")
        self._shift = self._size if shift is None else _positive(shift, "Window shift")
        self._stride = _positive(stride, "Window stride")
        self._drop_remainder = bool(drop_remainder)
        super().__init__(map_element(DatasetSpec, dataset.element_spec))

    def _span(self):
        return (self._size - 1) * self._stride + 1

    def _cardinality(self):
        count = self._input._cardinality()
        if count in _UNKNOWN:
            return count
        if self._drop_remainder:
            return 0 if count < self._span() else (count - self._span()) // self._shift + 1
        return -(-count // self._shift)

    def _components(self):
        # Windows are built from a buffer that starts at the current window's first element.
        span, shift, stride = self._span(), self._shift, self._stride
        buffer, skip = [], 0
        for components in self._input._components():
            if skip:
                skip -= 1
                continue
            buffer.append(components)
            if len(buffer) == span:
                yield self._window(buffer[::stride])
                skip = max(shift - len(buffer), 0)
                del buffer[:shift]
        if self._drop_remainder:
            return
        while buffer:
            yield self._window(buffer[::stride][:self._size])
            del buffer[:shift]

    def _window(self, items):
        specs = flatten_element(self._input.element_spec)
        return [_VariantDataset([[item[index]] for item in items], spec)
                for index, spec in enumerate(specs)]


def _dataset_of(map_func, element):
    dataset = _call(map_func, element)
    if not isinstance(dataset, Dataset):
        raise TypeError(f"The `map_func` argument must return a `Dataset` object. Got "
                        f"{type(dataset)!r}.")
    return dataset


class _FlatMapDataset(FunctionDataset):

    _transformation = "flat_map"

    def _spec_of_result(self, element):
        return _dataset_of(self._map_func, element).element_spec

    def _components(self):
        for element in self._input:
            yield from _dataset_of(self._map_func, element)._components()


class _InterleaveDataset(_FlatMapDataset):
    """TensorFlow's order: `cycle_length` open datasets visited in turn, `block_length`
    elements from each; an exhausted slot takes the next input element's dataset."""

    def __init__(self, dataset, map_func, cycle_length, block_length):
        super().__init__(dataset, map_func)
        if cycle_length is None or int(cycle_length) == -1:
            cycle_length = os.cpu_count() or 1
        self._cycle_length = _positive(cycle_length, "cycle_length")
        self._block_length = _positive(block_length, "block_length")

    def _components(self):
        inputs = iter(self._input)
        slots = [None] * self._cycle_length
        index, taken, open_count, input_done = 0, 0, 0, False
        while not input_done or open_count:
            if slots[index] is not None:
                item = next(slots[index], None)
                if item is not None:
                    yield item
                    taken += 1
                    if taken < self._block_length:
                        continue
                else:
                    slots[index] = None
                    open_count -= 1
            elif not input_done:
                element = next(inputs, None)
                if element is None:
                    input_done = True
                else:
                    slots[index] = iter(_dataset_of(self._map_func, element)._components())
                    open_count += 1
                continue
            index, taken = (index + 1) % self._cycle_length, 0


class _ParallelInterleaveDataset(_InterleaveDataset):
    """`interleave` with `num_parallel_calls`: the same order, computed in turn here; the
    class has TensorFlow's name for it."""
