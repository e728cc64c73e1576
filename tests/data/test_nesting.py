"""Tests for padded_batch, window, flat_map and interleave."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eagerflow as tf
from eagerflow import data
from eagerflow.framework.errors import DataLossError, InvalidArgumentError

Dataset = data.Dataset
Spec = data.TensorSpec


def _filled(count, start=1):
    """Elements [x] * x for x in start..start+count-1, as int64 vectors of unknown length."""
    return Dataset.from_generator(
        lambda: (np.full(x, x, np.int64) for x in range(start, start + count)),
        output_signature=Spec((None,), tf.int64))


def _ints(ds):
    return [int(x) for x in ds]


def test_padded_batch_pads_to_longest():
    ds = _filled(4).padded_batch(2)
    # recorded from TF 2.21
    assert repr(ds.element_spec) == "TensorSpec(shape=(None, None), dtype=tf.int64, name=None)"
    assert [b.numpy().tolist() for b in ds] == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]
    ranged = Dataset.range(1, 5).map(lambda x: x)  # known cardinality 4
    assert int(ranged.padded_batch(3).cardinality()) == 2
    assert int(ranged.padded_batch(3, drop_remainder=True).cardinality()) == 1


def test_padded_batch_shapes_values_and_drop_remainder():
    ds = _filled(4).padded_batch(3, padded_shapes=5,
                                 padding_values=tf.constant(-1, tf.int64), drop_remainder=True)
    # recorded from TF 2.21
    assert repr(ds.element_spec) == "TensorSpec(shape=(3, 5), dtype=tf.int64, name=None)"
    assert [b.numpy().tolist() for b in ds] == [
        [[1, -1, -1, -1, -1], [2, 2, -1, -1, -1], [3, 3, 3, -1, -1]]]


def test_padded_batch_structures():
    ds = Dataset.from_generator(
        lambda: iter([{"x": np.full((2, 1), 1.0, np.float32)},
                      {"x": np.full((2, 2), 2.0, np.float32)}]),
        output_signature={"x": Spec((2, None), tf.float32)})
    padded = ds.padded_batch(2, padded_shapes={"x": [None, 4]}, padding_values={"x": 9.0})
    # recorded from TF 2.21: the known dimension 2 stays known
    assert repr(padded.element_spec) == (
        "{'x': TensorSpec(shape=(None, 2, 4), dtype=tf.float32, name=None)}")
    assert next(iter(padded))["x"].numpy().tolist() == [
        [[1.0, 9.0, 9.0, 9.0], [1.0, 9.0, 9.0, 9.0]],
        [[2.0, 2.0, 9.0, 9.0], [2.0, 2.0, 9.0, 9.0]]]
    pairs = Dataset.from_tensor_slices(([1, 2, 3], ["a", "b", "c"])).padded_batch(2)
    values, words = next(iter(pairs))
    assert values.numpy().tolist() == [1, 2] and words.numpy().tolist() == [b"a", b"b"]
    assert [b.numpy().tolist() for b in Dataset.range(3).padded_batch(2)] == [[0, 1], [2]]


def test_padded_batch_errors():
    # recorded from TF 2.21
    with pytest.raises(DataLossError, match="Attempted to pad to a smaller size than the "
                                            "input element."):
        list(_filled(4).padded_batch(2, padded_shapes=(2,)))
    with pytest.raises(ValueError, match=r"The padded shape \(2, 3\) is not compatible with "
                                         r"the shape \(None,\) of the corresponding input"):
        _filled(4).padded_batch(2, padded_shapes=(2, 3))
    with pytest.raises(InvalidArgumentError, match="Batch size must be greater than zero."):
        _filled(4).padded_batch(0)
    with pytest.raises(TypeError, match="values type <dtype: 'int32'> does not match type "
                                        "<dtype: 'int64'> of the corresponding input"):
        _filled(4).padded_batch(2, padding_values=7)


def test_window_elements_spec_and_cardinality():
    windows = Dataset.range(7).window(3, shift=2)
    # recorded from TF 2.21
    assert repr(windows.element_spec) == (
        "DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))")
    assert int(windows.cardinality()) == 4
    assert [_ints(w) for w in windows] == [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]
    strided = Dataset.range(7).window(3, shift=2, stride=2, drop_remainder=True)
    assert int(strided.cardinality()) == 2
    assert [_ints(w) for w in strided] == [[0, 2, 4], [2, 4, 6]]
    assert [_ints(w) for w in Dataset.range(7).window(3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [_ints(w) for w in Dataset.range(7).window(2, shift=3)] == [[0, 1], [3, 4], [6]]
    counts = [int(Dataset.range(10).window(3, shift=4, drop_remainder=True).cardinality()),
              int(Dataset.range(10).window(3, shift=4).cardinality()),
              int(Dataset.range(10).window(20, drop_remainder=True).cardinality())]
    assert counts == [2, 3, 0]


def test_window_of_structures_and_flat_map_batching():
    ds = Dataset.from_tensor_slices(([1, 2, 3], [4.0, 5.0, 6.0])).window(2)
    # recorded from TF 2.21
    assert repr(ds.element_spec) == (
        "(DatasetSpec(TensorSpec(shape=(), dtype=tf.int32, name=None), TensorShape([])), "
        "DatasetSpec(TensorSpec(shape=(), dtype=tf.float32, name=None), TensorShape([])))")
    assert [([int(a) for a in x], [float(b) for b in y]) for x, y in ds] == [
        ([1, 2], [4.0, 5.0]), ([3], [6.0])]
    keyed = Dataset.from_tensor_slices({"a": [1, 2, 3]}).window(2)
    assert isinstance(next(iter(keyed)), dict)
    batches = Dataset.range(6).window(3).flat_map(lambda w: w.batch(3))
    assert [b.numpy().tolist() for b in batches] == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize("argument, message", [
    ({"size": 0}, "Window size must be greater than zero."),
    ({"size": 2, "shift": 0}, "Window shift must be greater than zero."),
    ({"size": 2, "stride": 0}, "Window stride must be greater than zero."),
])
def test_window_errors(argument, message):
    with pytest.raises(InvalidArgumentError, match=message):
        Dataset.range(3).window(**argument)


def test_flat_map():
    ds = Dataset.range(3).flat_map(lambda x: Dataset.range(x))
    # recorded from TF 2.21
    assert repr(ds) == ("<_FlatMapDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, "
                        "name=None)>")
    assert int(ds.cardinality()) == -2
    assert _ints(ds) == [0, 0, 1]
    pairs = Dataset.from_tensor_slices(([1, 2], [10, 20])).flat_map(
        lambda a, b: Dataset.from_tensors(a + b).repeat(2))
    assert _ints(pairs) == [11, 11, 22, 22]
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        list(Dataset.range(3).flat_map(lambda x: x))


def test_interleave_order():
    ds = Dataset.range(1, 6).interleave(lambda x: Dataset.from_tensors(x).repeat(6),
                                        cycle_length=2, block_length=4)
    # recorded from TF 2.21
    assert int(ds.cardinality()) == -2
    assert _ints(ds) == [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3,
                         4, 4, 5, 5, 5, 5, 5, 5]
    uneven = Dataset.range(1, 5).interleave(lambda x: Dataset.range(10 * x, 10 * x + x),
                                            cycle_length=2)
    assert _ints(uneven) == [10, 20, 21, 30, 31, 40, 32, 41, 42, 43]
    single = Dataset.range(1, 4).interleave(Dataset.range, cycle_length=1)
    assert _ints(single) == [0, 0, 1, 0, 1, 2]
    assert repr(ds.element_spec) == "TensorSpec(shape=(), dtype=tf.int64, name=None)"


def _reference_windows(count, size, shift, stride, drop_remainder):
    windows = []
    for start in range(0, count, shift):
        window = list(range(start, min(count, start + (size - 1) * stride + 1), stride))
        if drop_remainder and len(window) < size:
            break
        windows.append(window)
    return windows


@settings(max_examples=40, deadline=None)
@given(count=st.integers(0, 12), size=st.integers(1, 4), shift=st.integers(1, 4),
       stride=st.integers(1, 3), drop_remainder=st.booleans())
def test_window_matches_reference(count, size, shift, stride, drop_remainder):
    windows = Dataset.range(count).window(size, shift, stride, drop_remainder)
    expected = _reference_windows(count, size, shift, stride, drop_remainder)
    assert [_ints(w) for w in windows] == expected
    assert int(windows.cardinality()) == len(expected)


@settings(max_examples=25, deadline=None)
@given(lengths=st.lists(st.integers(0, 4), max_size=7), batch_size=st.integers(1, 3))
def test_padded_batch_matches_reference(lengths, batch_size):
    ds = Dataset.from_generator(lambda: (np.ones(n, np.int32) for n in lengths),
                                output_signature=Spec((None,), tf.int32))
    batches = [b.numpy().tolist() for b in ds.padded_batch(batch_size)]
    expected = []
    for start in range(0, len(lengths), batch_size):
        group = lengths[start:start + batch_size]
        expected.append([[1] * n + [0] * (max(group) - n) for n in group])
    assert batches == expected


@pytest.mark.parametrize("args, expected", [  # recorded from TF 2.21
    ((7, 3, 2, 2, False), [[0, 2, 4], [2, 4, 6], [4, 6], [6]]),
    ((10, 2, 5, 1, False), [[0, 1], [5, 6]]),
    ((10, 2, 5, 3, True), [[0, 3], [5, 8]]),
    ((8, 4, 1, 2, False), [[0, 2, 4, 6], [1, 3, 5, 7], [2, 4, 6], [3, 5, 7], [4, 6], [5, 7],
                           [6], [7]]),
])
def test_window_recorded_cases(args, expected):
    count, size, shift, stride, drop_remainder = args
    windows = Dataset.range(count).window(size, shift, stride, drop_remainder)
    assert [_ints(w) for w in windows] == expected
    assert int(windows.cardinality()) == len(expected)


def test_map_over_windows():
    sums = Dataset.range(6).window(3).map(lambda w: w.reduce(np.int64(0), lambda a, x: a + x))
    assert repr(sums.element_spec) == "TensorSpec(shape=(), dtype=tf.int64, name=None)"
    assert _ints(sums) == [3, 12]
