"""Sorting and searching: sort, argsort, top_k, in_top_k, unique, searchsorted, histograms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as tf
from eagerflow.ops.sort_ops import (
    argsort, histogram_fixed_width, histogram_fixed_width_bins, in_top_k, searchsorted, sort,
    top_k, unique, unique_with_counts)
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError
X = np.array([[3.0, 1.0, 2.0, 1.0], [0.0, -1.0, 5.0, 5.0]], np.float32)
SORTABLE = [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8,
            np.uint16, np.uint32, np.uint64]


def _message(error):
    return error.value.message


def _stable_descending(x, axis):
    """NumPy's reference: descending, equal values in index order."""
    keys = np.moveaxis(x, axis, -1)
    n = keys.shape[-1]
    order = np.lexsort((np.broadcast_to(np.arange(n), keys.shape), -keys.astype(np.float64)))
    return np.moveaxis(order, -1, axis)


# --- sort and argsort -------------------------------------------------------------------

@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING"])
@pytest.mark.parametrize("axis", [0, 1, -1, -2])
@pytest.mark.parametrize("dtype", SORTABLE, ids=lambda d: np.dtype(d).name)
def test_sort_and_argsort_match_numpy(dtype, axis, direction, rng):
    x = rng.integers(0, 4, size=(3, 5)).astype(dtype)  # many ties
    if direction == "ASCENDING":
        expected_order = np.argsort(x, axis=axis, kind="stable")
    else:
        expected_order = np.apply_along_axis(lambda row: _stable_descending(row, 0), axis, x)
    values = sort(tf.constant(x), axis=axis, direction=direction)
    order = argsort(tf.constant(x), axis=axis, direction=direction)
    assert values.dtype is tf.as_dtype(dtype)
    assert order.dtype is tf.int32
    assert order.numpy().tolist() == expected_order.tolist()
    assert values.numpy().tolist() == np.take_along_axis(x, expected_order, axis).tolist()


def test_sort_values():
    # recorded from TF 2.21
    assert sort(X).numpy().tolist() == [[1.0, 1.0, 2.0, 3.0], [-1.0, 0.0, 5.0, 5.0]]
    assert sort(X, direction="DESCENDING").numpy().tolist() == [[3.0, 2.0, 1.0, 1.0],
                                                                [5.0, 5.0, 0.0, -1.0]]
    assert sort(X, axis=tf.constant(0)).numpy().tolist() == [[0.0, -1.0, 2.0, 1.0],
                                                             [3.0, 1.0, 5.0, 5.0]]
    assert argsort(X).numpy().tolist() == [[1, 3, 2, 0], [1, 0, 2, 3]]
    assert argsort(X, direction="DESCENDING").numpy().tolist() == [[0, 2, 1, 3], [2, 3, 0, 1]]
    ties = tf.constant([1, 2, 1, 2, 1, 2])
    assert argsort(ties).numpy().tolist() == [0, 2, 4, 1, 3, 5]
    for stable in (False, True):
        assert argsort(ties, direction="DESCENDING", stable=stable).numpy().tolist() == [
            1, 3, 5, 0, 2, 4]
    assert argsort(tf.constant([0] * 20 + [1] * 20), direction="DESCENDING").numpy().tolist() == (
        list(range(20, 40)) + list(range(20)))
    assert sort(tf.constant([3, -2147483648, 2])).numpy().tolist() == [-2147483648, 2, 3]
    assert sort(tf.constant([3, 1, 2], tf.uint8)).numpy().tolist() == [1, 2, 3]
    assert argsort(tf.zeros((2, 0))).shape.as_list() == [2, 0]


def test_sort_nan_is_largest():
    # TensorFlow's placement of NaN depends on its kernel; here NaN sorts as the largest.
    x = tf.constant([np.nan, 1.0, -np.inf, np.inf, 0.0])
    assert sort(x).numpy()[:4].tolist() == [-np.inf, 0.0, 1.0, np.inf]
    assert np.isnan(sort(x).numpy()[4])
    assert argsort(x, direction="DESCENDING").numpy().tolist() == [0, 3, 1, 4, 2]


@pytest.mark.parametrize("f", [sort, argsort])
def test_sort_errors(f):
    # recorded from TF 2.21
    for direction in ("UP", "descending"):
        with pytest.raises(ValueError, match="^Argument `direction` should be one of ASCENDING, "
                                             f"DESCENDING. Received: direction={direction}$"):
            f(X, direction=direction)
    for value, axis, index in ((X, 2, 2), (X, -3, -1), (tf.constant(1.0), -1, -1)):
        with pytest.raises(InvalidArgumentError) as info:
            f(value, axis=axis)
        assert _message(info) == (f"slice index {index} of dimension 0 out of bounds. "
                                  f"[Op:StridedSlice]")
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of bool is not in the "
                                                   "list of allowed values"):
        f(tf.constant([True, False]))
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of complex128 is not in "
                                                   "the list of allowed values"):
        f(tf.constant([3j, 1]))


@pytest.mark.parametrize("axis, direction", [(-1, "ASCENDING"), (0, "DESCENDING")])
def test_sort_gradients(axis, direction, rng):
    check_gradients(lambda x: sort(x, axis=axis, direction=direction) ** 2,
                    rng.standard_normal((4, 3)))


def test_sort_gradient_values():
    x = tf.constant([1.0, 1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = sort(x) * tf.constant([1.0, 2.0, 3.0])
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 2.0, 3.0]  # recorded from TF 2.21


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.int32, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5),
                  elements=st.integers(-3, 3)), st.data())
def test_argsort_is_a_stable_sorting_permutation(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    for direction, sign in (("ASCENDING", 1), ("DESCENDING", -1)):
        order = argsort(x, axis=axis, direction=direction).numpy()
        assert np.array_equal(order, np.argsort(sign * x, axis=axis, kind="stable"))


# --- top_k ------------------------------------------------------------------------------

@pytest.mark.parametrize("k", [0, 1, 3, 5])
@pytest.mark.parametrize("dtype", SORTABLE, ids=lambda d: np.dtype(d).name)
def test_top_k_matches_numpy(dtype, k, rng):
    x = rng.integers(0, 4, size=(2, 3, 5)).astype(dtype)
    order = _stable_descending(x, -1)[..., :k]
    result = top_k(tf.constant(x), k)
    assert type(result).__name__ == "TopKV2" and result._fields == ("values", "indices")
    assert result.values.dtype is tf.as_dtype(dtype) and result.indices.dtype is tf.int32
    assert result.indices.numpy().tolist() == order.tolist()
    assert result.values.numpy().tolist() == np.take_along_axis(x, order, -1).tolist()


def test_top_k_values():
    # recorded from TF 2.21
    result = top_k(X, 2)
    assert result.values.numpy().tolist() == [[3.0, 2.0], [5.0, 5.0]]
    assert result.indices.numpy().tolist() == [[0, 2], [2, 3]]
    ties = top_k(tf.constant([1, 2, 2, 1, 2]), 3)
    assert ties.values.numpy().tolist() == [2, 2, 2]
    assert ties.indices.numpy().tolist() == [1, 2, 4]
    assert top_k(X, 1, index_type=tf.int64).indices.dtype is tf.int64
    assert top_k(X, tf.constant(1)).indices.numpy().tolist() == [[0], [2]]
    assert top_k(X, 0).values.shape.as_list() == [2, 0]
    assert top_k(X).values.shape.as_list() == [2, 1]
    values, indices = top_k(tf.constant([0.0, -0.0, 0.0]), 3)
    assert indices.numpy().tolist() == [0, 1, 2]
    # TensorFlow leaves the order unspecified for sorted=False; here it stays sorted.
    assert set(top_k(tf.constant([1.0, 5.0, 3.0, 4.0, 2.0]), 3, sorted=False).indices.numpy()
               .tolist()) == {1, 2, 3}


@pytest.mark.parametrize("value, k, message", [
    (X, 5, "input must have at least k columns. Had 4, needed 5"),
    (X, -1, "Need k >= 0, got -1"),
    (1.0, 1, "input must be >= 1-D, got shape []"),
])  # recorded from TF 2.21
def test_top_k_errors(value, k, message):
    with pytest.raises(InvalidArgumentError) as info:
        top_k(value, k)
    assert _message(info) == f"{message} [Op:TopKV2]"
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of bool is not in"):
        top_k(tf.constant([True, False]))


def test_top_k_gradients(rng):
    check_gradients(lambda x: top_k(x, 2).values ** 2, rng.standard_normal((3, 5)))
    check_gradients(lambda x: top_k(x, 3)[0] * 2.0, rng.standard_normal((2, 2, 4)))
    x = tf.constant([1.0, 1.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = top_k(x, 2).values * tf.constant([1.0, 2.0])
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 2.0, 0.0]  # recorded from TF 2.21


# --- in_top_k ---------------------------------------------------------------------------

@pytest.mark.parametrize("targets, predictions, k, expected", [
    ([0, 2, 1], [[0.1, 0.9, 0.5], [0.3, 0.3, 0.3], [0.5, 0.5, 0.2]], 1, [False, True, True]),
    ([0, 2, 1], [[0.1, 0.9, 0.5], [0.3, 0.3, 0.3], [0.5, 0.5, 0.2]], 2, [False, True, True]),
    ([0, 1], [[np.nan, 0.9], [0.1, np.inf]], 1, [False, False]),
    ([0], [[0.1, np.nan]], 1, [False]),
    ([0], [[np.inf, 0.9]], 1, [False]),
    ([5, -1], [[0.1, 0.9], [0.1, 0.2]], 1, [False, False]),
    ([0], [[0.1, 0.9]], 0, [False]),
    ([0], [[0.1, 0.9]], -1, [False]),
    ([0], [[0.1, 0.9]], 5, [True]),
    (tf.constant([0], tf.int64), [[0.1, 0.9]], 1, [False]),
    ([0], np.array([[0.1, 0.9]]), 1, [False]),
    ([0], [[1, 2]], 1, [False]),
    ([0], [[1.0, 2.0]], tf.constant(2), [True]),
])  # recorded from TF 2.21
def test_in_top_k(targets, predictions, k, expected):
    result = in_top_k(targets, predictions, k)
    assert result.dtype is tf.bool
    assert result.numpy().tolist() == expected
    assert in_top_k(targets=targets, predictions=predictions, k=k).numpy().tolist() == expected


@pytest.mark.parametrize("targets, predictions, k, message", [
    ([0], [0.1, 0.9], 1, "predictions must be 2-dimensional"),
    ([0, 1], [[0.1, 0.9]], 1, "First dimension of predictions 1 must match length of targets 2"),
    ([[0]], [[1.0, 2.0]], 1, "targets must be 1-dimensional"),
    ([0.0], [[1.0, 2.0]], 1,
     "Value for attr 'T' of float is not in the list of allowed values: int32, int64"),
    (tf.constant([0], tf.int64), [[0.1, 0.9]], tf.constant(1),
     "cannot compute InTopKV2 as input #2(zero-based) was expected to be a int64 tensor but is "
     "a int32 tensor"),
])  # recorded from TF 2.21
def test_in_top_k_errors(targets, predictions, k, message):
    with pytest.raises(InvalidArgumentError) as info:
        in_top_k(targets, predictions, k)
    assert _message(info) == f"{message} [Op:InTopKV2]"
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor "
                                         "with dtype float64"):
        in_top_k([0], tf.constant([[0.1, 0.9]], tf.float64), 1)


# --- unique -----------------------------------------------------------------------------

@pytest.mark.parametrize("x, y, idx, count", [
    ([1, 1, 2, 4, 4, 4, 7, 8, 8], [1, 2, 4, 7, 8], [0, 0, 1, 2, 2, 2, 3, 4, 4], [2, 1, 3, 1, 2]),
    ([3, 1, 3, 2, 1, 3], [3, 1, 2], [0, 1, 0, 2, 1, 0], [3, 2, 1]),
    (["b", "a", "b"], [b"b", b"a"], [0, 1, 0], [2, 1]),
    ([True, False, True], [True, False], [0, 1, 0], [2, 1]),
    ([0.0, -0.0], [0.0], [0, 0], [2]),
    (tf.constant([], tf.float32), [], [], []),
])  # recorded from TF 2.21
def test_unique(x, y, idx, count):
    result = unique(x)
    assert type(result).__name__ == "Unique" and result._fields == ("y", "idx")
    assert result.y.numpy().tolist() == y
    assert result.idx.numpy().tolist() == idx and result.idx.dtype is tf.int32
    counted = unique_with_counts(x)
    assert type(counted).__name__ == "UniqueWithCounts"
    assert counted._fields == ("y", "idx", "count")
    assert counted.y.numpy().tolist() == y and counted.idx.numpy().tolist() == idx
    assert counted.count.numpy().tolist() == count and counted.count.dtype is tf.int32


def test_unique_details():
    # recorded from TF 2.21: NaNs are never equal, so each is its own value.
    y, idx = unique(tf.constant([np.nan, 1.0, np.nan]))
    assert np.isnan(y.numpy()[[0, 2]]).all() and y.numpy()[1] == 1.0
    assert idx.numpy().tolist() == [0, 1, 2]
    assert y.dtype is tf.float32
    assert unique([3, 1, 3], out_idx=tf.int64).idx.dtype is tf.int64
    assert unique_with_counts([3, 1, 3], out_idx=tf.int64).count.dtype is tf.int64
    assert unique(tf.constant([2, 2], tf.uint8)).y.dtype is tf.uint8
    for value in ([[1, 2]], 1):
        with pytest.raises(InvalidArgumentError) as info:
            unique(value)
        assert _message(info) == "unique expects a 1D vector. [Op:Unique]"
    with pytest.raises(InvalidArgumentError) as info:
        unique([3, 1, 3], out_idx=tf.float32)
    assert _message(info) == ("Value for attr 'out_idx' of float is not in the list of allowed "
                              "values: int32, int64 [Op:Unique]")


def test_unique_has_no_gradient():
    x = tf.constant([1.0, 2.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = unique(x).y
    with pytest.raises(LookupError, match="No gradient defined for operation 'Unique'"):
        tape.gradient(y, x)  # TensorFlow: "gradient registry has no entry for: Unique"


# --- searchsorted -----------------------------------------------------------------------

@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted_matches_numpy(side, rng):
    sequences = np.sort(rng.integers(0, 6, size=(2, 3, 7)), axis=-1).astype(np.float32)
    values = rng.integers(-1, 8, size=(2, 3, 4)).astype(np.float32)
    result = searchsorted(sequences, values, side=side)
    expected = [[np.searchsorted(s, v, side=side) for s, v in zip(srow, vrow)]
                for srow, vrow in zip(sequences, values)]
    assert result.dtype is tf.int32
    assert result.numpy().tolist() == np.array(expected).tolist()
    one_row = searchsorted(sequences[0, 0], values[0, 0], side=side, out_type=tf.int64)
    assert one_row.dtype is tf.int64
    assert one_row.numpy().tolist() == np.searchsorted(sequences[0, 0], values[0, 0],
                                                       side=side).tolist()


def test_searchsorted_values():
    # recorded from TF 2.21
    sequences = [[0, 3, 9, 9, 10], [1, 2, 3, 4, 5]]
    values = [[2, 4, 9], [0, 2, 6]]
    assert searchsorted(sequences, values).numpy().tolist() == [[1, 2, 2], [0, 1, 5]]
    assert searchsorted(sequences, values, side="right").numpy().tolist() == [[1, 2, 4],
                                                                              [0, 2, 5]]
    assert searchsorted([0.0, 1.0, 2.0], [0.5, 2.0, 3.0]).numpy().tolist() == [1, 2, 3]
    assert searchsorted([[0.0, 1.0, 2.0]], [0.5]).numpy().tolist() == [1]
    assert searchsorted(tf.reshape(tf.range(12), (2, 2, 3)),
                        tf.reshape(tf.range(8), (2, 2, 2))).numpy().tolist() == [
        [[0, 1], [0, 0]], [[0, 0], [0, 0]]]
    assert searchsorted(tf.zeros((2, 0)), tf.zeros((2, 3))).numpy().tolist() == [[0, 0, 0]] * 2


def test_searchsorted_errors():
    # recorded from TF 2.21
    for side in ("middle", "LEFT"):
        with pytest.raises(ValueError, match="Argument `side` must be either 'right' or 'left'. "
                                             f"Received: `side` = '{side}'."):
            searchsorted([0.0, 1.0], [0.5], side=side)
    with pytest.raises(InvalidArgumentError) as info:
        searchsorted([[0.0, 1.0, 2.0]], [[0.5], [1.0]])
    assert _message(info) == "Leading dim_size of both tensors must match. [Op:LowerBound]"
    with pytest.raises(InvalidArgumentError) as info:
        searchsorted([0.0, 1.0, 2.0], 0.5)
    assert _message(info) == "slice index -1 of dimension 0 out of bounds. [Op:StridedSlice]"
    with pytest.raises(InvalidArgumentError) as info:
        searchsorted([0.0, 1.0], [0.5], out_type=tf.float32)
    assert _message(info) == ("Value for attr 'out_type' of float is not in the list of allowed "
                              "values: int32, int64 [Op:LowerBound]")


# --- histograms -------------------------------------------------------------------------

@pytest.mark.parametrize("values, value_range, nbins, expected", [
    ([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0], [0.0, 5.0], 5, [2, 1, 1, 0, 2]),
    ([1, 2, 3, 10], [0, 10], 5, [1, 2, 0, 0, 1]),
    ([[1.0, 7.0], [3.0, 9.0]], [0.0, 10.0], 2, [2, 2]),
    ([0.7, 0.1 * 3], [0.0, 1.0], 10, [0, 0, 0, 1, 0, 0, 1, 0, 0, 0]),
    (np.array([0.3, 0.7]), np.array([0.0, 1.0]), 2, [1, 1]),
    ([1.0], [0, 1], 2, [0, 1]),
    ([3], [0, 7], 3, [0, 1, 0]),
    ([np.inf, -np.inf], [0.0, 1.0], 2, [1, 1]),
])  # recorded from TF 2.21
def test_histogram_fixed_width(values, value_range, nbins, expected):
    result = histogram_fixed_width(values, value_range, nbins=nbins)
    assert result.dtype is tf.int32
    assert result.numpy().tolist() == expected


def test_histogram_fixed_width_arguments():
    # recorded from TF 2.21
    assert histogram_fixed_width([0.5], [0.0, 1.0]).numpy().tolist() == [0] * 50 + [1] + [0] * 49
    counts = histogram_fixed_width([1.0], [0.0, 10.0], nbins=tf.constant(2), dtype=tf.int64)
    assert counts.dtype is tf.int64 and counts.numpy().tolist() == [1, 0]


@pytest.mark.parametrize("values, value_range, kwargs, message", [
    ([np.nan], [0.0, 10.0], {}, "Histogram values must not contain NaN"),
    ([1.0], [0.0, 10.0], {"nbins": 0}, "nbins should be a positive number, but got '0'"),
    ([1.0], [0.0, 10.0], {"nbins": -1}, "nbins should be a positive number, but got '-1'"),
    ([1.0], [10.0, 0.0], {}, "value_range should satisfy value_range[0] < value_range[1], but "
                             "got '[10, 0]'"),
    ([1.0], [1.0, 1.0], {}, "value_range should satisfy value_range[0] < value_range[1], but got "
                            "'[1, 1]'"),
    ([1.0], [0.0, 1.0, 2.0], {}, "value_range should be a vector of 2 elements."),
    ([1.0], [[0.0, 1.0]], {}, "value_range should be a vector."),
    ([1.0], [0.0, 1.0], {"dtype": tf.float32},
     "Value for attr 'dtype' of float is not in the list of allowed values: int32, int64"),
    ([True], [False, True], {}, "Value for attr 'T' of bool is not in the list of allowed "
                                "values: int32, int64, float, double"),
])  # recorded from TF 2.21
def test_histogram_fixed_width_errors(values, value_range, kwargs, message):
    with pytest.raises(InvalidArgumentError) as info:
        histogram_fixed_width(values, value_range, **kwargs)
    assert _message(info) == f"{message} [Op:HistogramFixedWidth]"


def test_histogram_fixed_width_bins():
    # recorded from TF 2.21
    bins = histogram_fixed_width_bins([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0], [0.0, 5.0], nbins=5)
    assert bins.dtype is tf.int32 and bins.numpy().tolist() == [0, 0, 1, 2, 4, 4]
    # Computed in float32, so 0.7 lands in bin 7 here and in bin 6 of histogram_fixed_width.
    assert histogram_fixed_width_bins([0.1 * 3, 0.6, 1.0, 0.7], [0.0, 1.0],
                                      nbins=10).numpy().tolist() == [3, 6, 9, 7]
    assert histogram_fixed_width_bins([[0.3, 0.7]], [0.0, 1.0], nbins=10).numpy().tolist() == [
        [3, 7]]
    assert histogram_fixed_width_bins([np.inf, -np.inf, 0.5], [0.0, 1.0],
                                      nbins=4).numpy().tolist() == [3, 0, 2]
