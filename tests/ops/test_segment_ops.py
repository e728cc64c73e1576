"""Segment reductions (sorted and unsorted), bincount and confusion_matrix.

Hypothesis draws data and segment ids and checks every reduction against a NumPy loop over
the segments; gradients go through `check_gradients`. Values and messages marked "recorded
from TF 2.21" come from running the same calls with `import tensorflow as tf`.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eagerflow as tf
from eagerflow.ops import segment_ops as seg
from tests.gradient_check import check_gradients

nan, inf = np.nan, np.inf

SORTED = {"sum": seg.segment_sum, "mean": seg.segment_mean, "max": seg.segment_max,
          "min": seg.segment_min, "prod": seg.segment_prod}
UNSORTED = {"sum": seg.unsorted_segment_sum, "mean": seg.unsorted_segment_mean,
            "max": seg.unsorted_segment_max, "min": seg.unsorted_segment_min,
            "prod": seg.unsorted_segment_prod, "sqrt_n": seg.unsorted_segment_sqrt_n}


def _values(t):
    return t.numpy().tolist()


def _reference(kind, data, ids, count, sorted_ids):
    """A loop over the segments: row s reduces the rows of `data` whose id is s."""
    out = np.zeros((count,) + data.shape[1:], np.float64)
    for s in range(count):
        rows = data[ids == s]
        if not len(rows):
            if kind == "prod":
                out[s] = 1
            elif kind in ("max", "min") and not sorted_ids:
                info = np.finfo(data.dtype)
                out[s] = info.min if kind == "max" else info.max
            continue
        out[s] = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min,
                  "prod": np.prod}.get(kind, lambda r, axis: np.sum(r, axis) / np.sqrt(len(r)))(
                      rows, axis=0)
    return out


@settings(max_examples=25, deadline=None)
@given(rows=st.integers(0, 8), width=st.integers(1, 3), data=st.data(),
       kind=st.sampled_from(sorted(SORTED)), seed=st.integers(0, 2 ** 16))
def test_sorted_segment_ops_match_numpy(rows, width, data, kind, seed):
    rng = np.random.default_rng(seed)
    ids = np.sort(np.asarray(data.draw(st.lists(st.integers(0, 5), min_size=rows,
                                                max_size=rows)), np.int32))
    x = rng.uniform(0.5, 1.5, (rows, width)) * rng.choice([-1.0, 1.0], (rows, width))
    result = SORTED[kind](tf.constant(x), tf.constant(ids))
    count = int(ids[-1]) + 1 if rows else 0
    assert result.dtype == tf.float64 and result.shape == (count, width)
    np.testing.assert_allclose(result.numpy(), _reference(kind, x, ids, count, True),
                               rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(rows=st.integers(0, 8), count=st.integers(0, 5), data=st.data(),
       kind=st.sampled_from(sorted(UNSORTED)), dtype=st.sampled_from([np.float32, np.float64]),
       seed=st.integers(0, 2 ** 16))
def test_unsorted_segment_ops_match_numpy(rows, count, data, kind, dtype, seed):
    rng = np.random.default_rng(seed)
    ids = np.asarray(data.draw(st.lists(st.integers(-1, count - 1), min_size=rows,
                                        max_size=rows)), np.int64)
    x = (rng.uniform(0.5, 1.5, (rows, 2)) * rng.choice([-1.0, 1.0], (rows, 2))).astype(dtype)
    result = UNSORTED[kind](tf.constant(x), tf.constant(ids), count)
    assert result.dtype == tf.as_dtype(dtype) and result.shape == (count, 2)
    np.testing.assert_allclose(result.numpy(), _reference(kind, x, ids, count, False),
                               rtol=1e-6 if dtype is np.float32 else 1e-12)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.uint8,
                                   np.int64, np.complex64])
@pytest.mark.parametrize("kind", sorted(SORTED))
def test_segment_ops_keep_the_dtype(kind, dtype):
    if dtype is np.complex64 and kind in ("max", "min"):
        return
    x = np.array([[1, 2], [3, 4], [2, 1]], dtype)
    for op, args in [(SORTED[kind], ([0, 0, 2],)), (UNSORTED[kind], ([2, 0, 2], 3))]:
        if kind == "mean" and op is seg.unsorted_segment_mean and dtype not in (np.float16,
                                                                                np.float32,
                                                                                np.float64):
            continue  # integers divide into floats (next test); complex fails at Maximum
        result = op(tf.constant(x), tf.constant(args[0]), *args[1:])
        assert result.dtype == tf.as_dtype(dtype)


def test_segment_values():
    d = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    ids = tf.constant([0, 0, 2, 2])
    # recorded from TF 2.21: empty segments of the sorted ops give 0 (1 for products)
    assert _values(seg.segment_sum(d, ids)) == [[4.0, 6.0], [0.0, 0.0], [12.0, 14.0]]
    assert _values(seg.segment_mean(d, ids)) == [[2.0, 3.0], [0.0, 0.0], [6.0, 7.0]]
    assert _values(seg.segment_max(d, ids)) == [[3.0, 4.0], [0.0, 0.0], [7.0, 8.0]]
    assert _values(seg.segment_min(d, ids)) == [[1.0, 2.0], [0.0, 0.0], [5.0, 6.0]]
    assert _values(seg.segment_prod(d, ids)) == [[3.0, 8.0], [1.0, 1.0], [35.0, 48.0]]
    assert _values(seg.segment_mean(tf.constant([1, 2, 3]), tf.constant([0, 0, 1]))) == [1, 3]
    assert _values(seg.segment_sum(tf.constant([1.0, 2.0]), tf.constant([0, 5]))) == [
        1.0, 0.0, 0.0, 0.0, 0.0, 2.0]
    assert _values(seg.segment_sum([1.0, 2.0], [0, 0])) == [3.0]
    assert _values(seg.segment_sum(tf.constant([1.0, 2.0, 3.0]),
                                   tf.constant([0, 0, 1], tf.int64))) == [3.0, 3.0]
    assert _values(seg.segment_prod(tf.constant([1 + 1j, 2j]), tf.constant([0, 0]))) == [-2 + 2j]
    assert _values(seg.segment_max(tf.constant([1.0, 2.0], tf.float16), tf.constant([0, 2]))) == [
        1.0, 0.0, 2.0]
    for op in SORTED.values():
        empty = op(tf.zeros((0, 2)), tf.constant([], tf.int32))
        assert empty.shape == (0, 2) and empty.dtype == tf.float32


def test_unsorted_segment_values():
    d = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    ids = tf.constant([2, 0, 2, 0])
    lowest, highest = -3.4028234663852886e38, 3.4028234663852886e38
    # recorded from TF 2.21: empty max and min segments get the lowest and highest floats
    assert _values(seg.unsorted_segment_sum(d, ids, 4)) == [[10.0, 12.0], [0.0, 0.0],
                                                            [6.0, 8.0], [0.0, 0.0]]
    assert _values(seg.unsorted_segment_mean(d, ids, 4)) == [[5.0, 6.0], [0.0, 0.0],
                                                             [3.0, 4.0], [0.0, 0.0]]
    assert _values(seg.unsorted_segment_max(d, ids, 4)) == [[7.0, 8.0], [lowest] * 2,
                                                            [5.0, 6.0], [lowest] * 2]
    assert _values(seg.unsorted_segment_min(d, ids, 4)) == [[3.0, 4.0], [highest] * 2,
                                                            [1.0, 2.0], [highest] * 2]
    assert _values(seg.unsorted_segment_prod(d, ids, 4)) == [[21.0, 32.0], [1.0, 1.0],
                                                             [5.0, 12.0], [1.0, 1.0]]
    np.testing.assert_allclose(seg.unsorted_segment_sqrt_n(d, ids, 4).numpy(), [
        [7.071067810058594, 8.485281944274902], [0.0, 0.0],
        [4.242640972137451, 5.656854152679443], [0.0, 0.0]], rtol=1e-7)
    x = tf.constant([1.0, 2.0, 3.0])
    negative = tf.constant([-1, 0, 2])  # rows with negative ids are dropped
    assert _values(seg.unsorted_segment_sum(x, negative, 3)) == [2.0, 0.0, 3.0]
    assert _values(seg.unsorted_segment_max(x, negative, 3)) == [2.0, lowest, 3.0]
    assert _values(seg.unsorted_segment_prod(x, negative, 3)) == [2.0, 1.0, 3.0]
    assert _values(seg.unsorted_segment_mean(x, negative, 3)) == [2.0, 0.0, 3.0]


def test_unsorted_segments_of_other_shapes_and_dtypes():
    two_d = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    ids = tf.constant([[0, 1], [1, 1]])  # ids may cover several leading axes
    # recorded from TF 2.21
    assert _values(seg.unsorted_segment_sum(two_d, ids, 2)) == [1.0, 9.0]
    assert _values(seg.unsorted_segment_mean(two_d, ids, 2)) == [1.0, 3.0]
    assert _values(seg.unsorted_segment_max(two_d, ids, 2)) == [1.0, 4.0]
    assert _values(seg.unsorted_segment_prod(two_d, ids, 2)) == [1.0, 24.0]
    np.testing.assert_allclose(_values(seg.unsorted_segment_sqrt_n(two_d, ids, 2)),
                               [1.0, 5.196152687072754], rtol=1e-7)
    assert _values(seg.unsorted_segment_sum(tf.constant(1.0), tf.constant(0), 2)) == [1.0, 0.0]
    assert _values(seg.unsorted_segment_sum(tf.constant([1.0, 2.0]), tf.constant([0, 0]),
                                            tf.constant(2, tf.int64))) == [3.0, 0.0]
    assert _values(seg.unsorted_segment_sum(tf.constant([1.0]), tf.constant([0], tf.int16),
                                            1)) == [1.0]
    assert _values(seg.unsorted_segment_sum([1, 2], [0, 0], 1)) == [3]
    ints = tf.constant([1, 2, 3])
    assert _values(seg.unsorted_segment_max(ints, tf.constant([0, 0, 1]), 3)) == [
        2, 3, -2147483648]
    assert _values(seg.unsorted_segment_min(tf.constant([1, 2], tf.uint8), tf.constant([0, 0]),
                                            2)) == [1, 255]
    assert _values(seg.unsorted_segment_max(tf.constant([1.0], tf.float16), tf.constant([0]),
                                            2)) == [1.0, -65504.0]
    assert _values(seg.unsorted_segment_min(tf.constant([1.0], tf.float64), tf.constant([0]),
                                            2)) == [1.0, 1.7976931348623157e308]
    # the mean divides like `/`: int32 into float64, uint8 into float32
    mean = seg.unsorted_segment_mean(ints, tf.constant([0, 0, 1]), 3)
    assert mean.dtype == tf.float64 and _values(mean) == [1.5, 3.0, 0.0]
    mean = seg.unsorted_segment_mean(tf.constant([1, 2], tf.uint8), tf.constant([0, 0]), 2)
    assert mean.dtype == tf.float32 and _values(mean) == [1.5, 0.0]


def test_max_and_min_with_nans_follow_tensorflow():
    # recorded from TF 2.21: a NaN resets the running maximum, so a segment ending in NaN
    # gives NaN and any other gives the extremum of the values after its last NaN
    x = tf.constant([nan, 1.0, nan, nan, 2.0, nan, 1.0, nan, 3.0])
    ids = [0, 0, 1, 1, 2, 2, 3, 3, 3]
    for op in (seg.segment_max, seg.segment_min):
        result = op(x, tf.constant(ids))
        assert np.array_equal(result.numpy(), [1.0, nan, nan, 3.0], equal_nan=True)
    for op in (seg.unsorted_segment_max, seg.unsorted_segment_min):
        result = op(x, tf.constant(ids[::-1]), 4)  # rows in order, ids reversed
        assert np.array_equal(result.numpy(), [3.0, 1.0, 2.0, nan], equal_nan=True)
    result = seg.unsorted_segment_max(tf.constant([3.0, nan, 5.0, nan, 1.0]),
                                      tf.constant([0, 1, 0, 0, 0]), 2)
    assert np.array_equal(result.numpy(), [1.0, nan], equal_nan=True)
    two_columns = tf.constant([[nan, 1.0], [2.0, nan], [0.5, 0.25]])
    assert np.array_equal(seg.segment_max(two_columns, tf.constant([0, 0, 1])).numpy(),
                          [[2.0, nan], [0.5, 0.25]], equal_nan=True)


@pytest.mark.parametrize("ids, message", [
    # recorded from TF 2.21
    ([1, 0, 2], "segment ids are not increasing"),
    ([1, 1, 0], "segment ids are not increasing"),
    ([-1, 0, 2], r"Segment id -1 out of range \[0, 3\), possibly because 'segment_ids' input "
                 r"is not sorted."),
    ([0, 1, -1], "segment ids must be >= 0"),
    ([0, 0], "segment_ids should be the same size as dimension 0 of input."),
    ([[0], [0], [1]], "segment_ids should be a vector."),
])
@pytest.mark.parametrize("kind", sorted(SORTED))
def test_sorted_segment_errors(kind, ids, message):
    name = "Segment" + kind.capitalize()
    with pytest.raises(tf.errors.InvalidArgumentError, match=rf"^{message} \[Op:{name}\]$"):
        SORTED[kind](tf.constant([1.0, 2.0, 3.0]), tf.constant(ids))


def test_sorted_segment_errors_of_dtypes_and_rank():
    # recorded from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^input must be at least rank 1 \[Op:SegmentSum\]$"):
        seg.segment_sum(tf.constant(1.0), tf.constant(0))
    for ids, name in [(tf.constant([0.0]), "float"), (tf.constant([0], tf.int16), "int16"),
                      (tf.constant([0], tf.uint8), "uint8")]:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=rf"^Value for attr 'Tindices' of {name} is not in the list of "
                                 rf"allowed values: int32, int64"):
            seg.segment_sum(tf.constant([1.0]), ids)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of bool"):
        seg.segment_sum(tf.constant([True]), tf.constant([0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of complex128"):
        seg.segment_max(tf.constant([1j]), tf.constant([0]))


@pytest.mark.parametrize("data, ids, count, message", [
    # recorded from TF 2.21
    ([1.0, 2.0, 3.0], [5, 0, 2], 3, r"segment_ids\[0\] = 5 is out of range \[0, 3\)"),
    ([[1.0, 2.0], [3.0, 4.0]], [[0, 1], [5, 1]], 2,
     r"segment_ids\[1,0\] = 5 is out of range \[0, 2\)"),
    ([[1.0, 2.0], [3.0, 4.0]], [[0], [1]], 2,
     r"data.shape = \[2,2\] does not start with segment_ids.shape = \[2,1\]"),
    ([1.0, 2.0, 3.0], [0, 0], 2, r"data.shape = \[3\] does not start with segment_ids.shape = "
                                 r"\[2\]"),
    ([1.0, 2.0], [0, 0], 0, r"segment_ids\[0\] = 0 is out of range \[0, 0\)"),
    ([1.0, 2.0], [0, 0], -1, "Input num_segments == -1 must not be negative."),
    ([1.0, 2.0], [0, 0], tf.constant([2]), r"num_segments should be a scalar, not shape \[1\]"),
    ([1.0], tf.constant([0], tf.uint8), 1, "Value for attr 'Tindices' of uint8 is not in the "
                                           "list of allowed values: int16, int32, int64"),
])
@pytest.mark.parametrize("kind", sorted(UNSORTED))
def test_unsorted_segment_errors(kind, data, ids, count, message):
    name = {"max": "UnsortedSegmentMax", "min": "UnsortedSegmentMin",
            "prod": "UnsortedSegmentProd"}.get(kind, "UnsortedSegmentSum")
    with pytest.raises(tf.errors.InvalidArgumentError, match=rf"^{message} \[Op:{name}\]$"):
        UNSORTED[kind](tf.constant(data), ids if tf.is_tensor(ids) else tf.constant(ids), count)


def test_num_segments_as_a_float():
    # recorded from TF 2.21: converting 2.0 to int32 fails first where num_segments goes
    # straight to the op; the mean and sqrt_n convert it to a float tensor first
    for op in (seg.unsorted_segment_sum, seg.unsorted_segment_max):
        with pytest.raises(TypeError, match="^Cannot convert 2.0 to EagerTensor of dtype int32$"):
            op(tf.constant([1.0, 2.0]), tf.constant([0, 0]), 2.0)
    for op in (seg.unsorted_segment_mean, seg.unsorted_segment_sqrt_n):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="^Value for attr 'Tnumsegments' of float is not in the list of "
                                 r"allowed values: int32, int64 \[Op:UnsortedSegmentSum\]"):
            op(tf.constant([1.0, 2.0]), tf.constant([0, 0]), 2.0)


def test_mean_and_sqrt_n_need_what_their_compositions_need():
    # recorded from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Value for attr 'T' of complex128 .* \[Op:Maximum\]"):
        seg.unsorted_segment_mean(tf.constant([1j]), tf.constant([0]), 1)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Value for attr 'T' of int32 .* \[Op:Sqrt\]"):
        seg.unsorted_segment_sqrt_n(tf.constant([1, 2]), tf.constant([0, 0]), 1)


# --- gradients ----------------------------------------------------------------------------------

def _gradient(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    grad = tape.gradient(y, x)
    return None if grad is None else grad.numpy().tolist()


def _weighted(op, *args):
    return lambda x: op(x, *args) * tf.constant([1.0, 2.0, 3.0])


@pytest.mark.parametrize("kind, expected", [
    # recorded from TF 2.21 at x = [1, 3, 3, 2, 0], ids = [0, 0, 2, 2, 2], dy = [1, 2, 3]
    ("sum", [1.0, 1.0, 3.0, 3.0, 3.0]), ("mean", [0.5, 0.5, 1.0, 1.0, 1.0]),
    ("max", [0.0, 1.0, 3.0, 0.0, 0.0]), ("min", [1.0, 0.0, 0.0, 0.0, 3.0]),
    ("prod", [3.0, 1.0, 0.0, 0.0, 18.0]),
])
def test_sorted_segment_gradients_recorded(kind, expected):
    ids = tf.constant([0, 0, 2, 2, 2])
    assert _gradient(_weighted(SORTED[kind], ids), [1.0, 3.0, 3.0, 2.0, 0.0]) == expected


@pytest.mark.parametrize("kind, expected", [
    # recorded from TF 2.21 at x = [1, 3, 3, 2, 0], ids = [2, 0, 2, 0, 2], dy = [1, 2, 3]
    ("sum", [3.0, 1.0, 3.0, 1.0, 3.0]), ("mean", [1.0, 0.5, 1.0, 0.5, 1.0]),
    ("max", [0.0, 1.0, 3.0, 0.0, 0.0]), ("min", [0.0, 0.0, 0.0, 1.0, 3.0]),
    ("prod", [0.0, 2.0, 0.0, 3.0, 9.0]),
    ("sqrt_n", [1.732050895690918, 0.7071067690849304, 1.732050895690918, 0.7071067690849304,
                1.732050895690918]),
])
def test_unsorted_segment_gradients_recorded(kind, expected):
    ids = tf.constant([2, 0, 2, 0, 2])
    np.testing.assert_allclose(
        _gradient(_weighted(UNSORTED[kind], ids, 3), [1.0, 3.0, 3.0, 2.0, 0.0]), expected,
        rtol=1e-7)


def test_gradients_at_ties_nans_zeros_and_dropped_rows():
    # recorded from TF 2.21: ties share the gradient; a NaN maximum passes none
    assert _gradient(lambda x: seg.segment_max(x, tf.constant([0, 0, 0, 1])),
                     [3.0, 1.0, 3.0, 2.0]) == [0.5, 0.0, 0.5, 1.0]
    assert _gradient(lambda x: seg.unsorted_segment_max(x, tf.constant([0, 0, 0, 1]), 2),
                     [3.0, 1.0, 3.0, 2.0]) == [0.5, 0.0, 0.5, 1.0]
    assert _gradient(lambda x: seg.segment_max(x, tf.constant([0, 0, 0])),
                     [nan, 1.0, 3.0]) == [0.0, 0.0, 1.0]
    assert _gradient(lambda x: seg.unsorted_segment_max(x, tf.constant([0, 0, 0]), 1),
                     [1.0, 3.0, nan]) == [0.0, 0.0, 0.0]
    assert _gradient(lambda x: seg.segment_prod(x, tf.constant([0, 0, 0, 1, 1])),
                     [0.0, 0.0, 2.0, 0.0, 3.0]) == [0.0, 0.0, 0.0, 3.0, 0.0]
    negative = tf.constant([-1, 0, 0])
    for op, expected in [(seg.unsorted_segment_sum, [0.0, 1.0, 1.0]),
                         (seg.unsorted_segment_prod, [0.0, 3.0, 2.0]),
                         (seg.unsorted_segment_mean, [0.0, 0.5, 0.5])]:
        assert _gradient(lambda x: op(x, negative, 2), [1.0, 2.0, 3.0]) == expected
    assert _gradient(lambda x: seg.segment_mean(x, tf.constant([0, 0])), [1, 2]) is None
    two_d = _gradient(lambda x: seg.segment_sum(x, tf.constant([0, 0, 1]))
                      * tf.constant([[1.0, 2.0], [3.0, 4.0]]),
                      [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert two_d == [[1.0, 2.0], [1.0, 2.0], [3.0, 4.0]]
    assert _gradient(lambda x: seg.unsorted_segment_sum(x, tf.constant([[0, 1], [1, 1]]), 2)
                     * tf.constant([1.0, 2.0]), [[1.0, 2.0], [3.0, 4.0]]) == [[1.0, 2.0],
                                                                               [2.0, 2.0]]


@pytest.mark.parametrize("kind", ["sum", "mean", "prod"])
def test_sorted_segment_gradients_to_second_order(kind, rng):
    x = rng.uniform(0.5, 1.5, (5, 2)) * rng.choice([-1.0, 1.0], (5, 2))
    check_gradients(lambda t: SORTED[kind](t * t, tf.constant([0, 0, 2, 2, 3])), x, order=2)


@pytest.mark.parametrize("kind", ["sum", "mean", "prod", "sqrt_n"])
def test_unsorted_segment_gradients_to_second_order(kind, rng):
    x = rng.uniform(0.5, 1.5, (2, 3, 2)) * rng.choice([-1.0, 1.0], (2, 3, 2))
    ids = tf.constant([[2, 0, -1], [2, 2, 0]])
    check_gradients(lambda t: UNSORTED[kind](t * t, ids, 4), x, order=2)


@pytest.mark.parametrize("op, args", [
    (seg.segment_max, ([0, 0, 2, 2, 3],)), (seg.segment_min, ([0, 0, 2, 2, 3],)),
    (seg.unsorted_segment_max, ([2, 0, -1, 2, 1], 3)),
    (seg.unsorted_segment_min, ([2, 0, -1, 2, 1], 3)),
])
def test_extremum_gradients(op, args, rng):
    x = rng.permutation(10).reshape(5, 2) * 0.5 + 0.25  # no ties
    check_gradients(lambda t: op(t, tf.constant(args[0]), *args[1:]), x, order=1)


def test_product_gradients_with_zeros_match_finite_differences():
    x = np.array([[2.0, 0.0], [0.0, 1.5], [3.0, -1.0], [0.5, 0.0], [0.0, 0.0]])
    check_gradients(lambda t: seg.segment_prod(t, tf.constant([0, 0, 0, 1, 1])), x, order=1)
    check_gradients(lambda t: seg.unsorted_segment_prod(t, tf.constant([1, 0, 1, 0, 2]), 3), x,
                    order=1)


# --- bincount: recorded from TF 2.21 -------------------------------------------------------------

@pytest.mark.parametrize("kwargs, expected, dtype", [
    ({"arr": [1, 1, 3, 0]}, [1, 2, 0, 1], tf.int32),
    ({"arr": tf.constant([], tf.int32)}, [], tf.int32),
    ({"arr": [1, 1], "minlength": 5}, [0, 2, 0, 0, 0], tf.int32),
    ({"arr": [1, 1, 4], "maxlength": 2}, [0, 2], tf.int32),
    ({"arr": [1, 1, 4], "maxlength": 0}, [], tf.int32),
    ({"arr": [1], "minlength": 5, "maxlength": 3}, [0, 1, 0], tf.int32),
    ({"arr": [1, 2], "minlength": -1}, [0, 1, 1], tf.int32),
    ({"arr": [1, 1, 3], "weights": [0.5, 1.0, 2.0]}, [0.0, 1.5, 0.0, 2.0], tf.float32),
    ({"arr": [1, 1, 3], "weights": tf.constant([0.5, 1.0, 2.0], tf.float64)},
     [0.0, 1.5, 0.0, 2.0], tf.float64),
    ({"arr": [1, 1, 3], "weights": [5, 1, 2]}, [0, 6, 0, 2], tf.int32),
    ({"arr": [1, 1, 3], "weights": [5.0, 1, 2], "dtype": tf.float64}, [0.0, 6.0, 0.0, 2.0],
     tf.float32),
    ({"arr": [1, 1, 3], "dtype": tf.float32}, [0.0, 2.0, 0.0, 1.0], tf.float32),
    ({"arr": [1, 1, 3], "dtype": tf.int64}, [0, 2, 0, 1], tf.int64),
    ({"arr": [[1, 1], [2, 0]]}, [1, 2, 1], tf.int32),
    ({"arr": [[1, 1], [2, 0]], "axis": 0}, [1, 2, 1], tf.int32),
    ({"arr": [[1, 1], [2, 0]], "axis": -1}, [[0, 2, 0], [1, 0, 1]], tf.int32),
    ({"arr": [[1, 1], [2, 0]], "axis": -1, "weights": [[1.0, 2.0], [3.0, 4.0]]},
     [[0.0, 3.0, 0.0], [4.0, 0.0, 3.0]], tf.float32),
    ({"arr": [1, 1, 3], "binary_output": True}, [0, 1, 0, 1], tf.int32),
    ({"arr": [1.0, 2.0]}, [0, 1, 1], tf.int32),
    ({"arr": tf.constant([1, 2], tf.int64)}, [0, 1, 1], tf.int32),
    ({"arr": tf.constant(2)}, [0, 0, 1], tf.int32),
])
def test_bincount(kwargs, expected, dtype):
    result = seg.bincount(**kwargs)
    assert result.dtype == dtype and _values(result) == expected


@pytest.mark.parametrize("kwargs, error, message", [
    # recorded from TF 2.21
    ({"arr": [1, -1, 3]}, tf.errors.InvalidArgumentError,
     r"^Input arr must be non-negative! \[Op:DenseBincount\]$"),
    ({"arr": [[[1, 1], [2, 0]]], "axis": -1}, tf.errors.InvalidArgumentError,
     "^Shape must be at most rank 2 but is rank 3"),
    ({"arr": tf.constant([1, 2], tf.uint8)}, tf.errors.InvalidArgumentError,
     "^Value for attr 'Tidx' of uint8 is not in the list of allowed values: int32, int64"),
    ({"arr": [1, 2], "weights": [1.0]}, tf.errors.InvalidArgumentError,
     r"^`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which case it acts "
     r"as all weights equal to 1. Received \[1\]"),
    ({"arr": [1, 2], "dtype": tf.bool}, tf.errors.InvalidArgumentError,
     "^Value for attr 'T' of bool is not in the list of allowed values: int32, int64, float, "
     "double"),
    ({"arr": [1, 2], "weights": [1.0, 2.0], "binary_output": True}, ValueError,
     "^Arguments `binary_output` and `weights` are mutually exclusive. Please specify only one."),
    ({"arr": [1, 2], "axis": 1}, ValueError,
     "^Unsupported value for argument axis=1. Only 0 and -1 are currently supported."),
])
def test_bincount_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        seg.bincount(**kwargs)


def test_bincount_has_no_gradient():
    weights = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(weights)
        counts = seg.bincount(tf.constant([1, 1, 3]), weights=weights)
    with pytest.raises(LookupError, match="DenseBincount"):  # recorded from TF 2.21
        tape.gradient(counts, weights)


# --- confusion_matrix: recorded from TF 2.21 -----------------------------------------------------

@pytest.mark.parametrize("args, kwargs, expected, dtype", [
    (([1, 2, 4], [2, 2, 4]), {}, [[0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0],
                                  [0, 0, 0, 0, 0], [0, 0, 0, 0, 1]], tf.int32),
    (([1, 2], [2, 2]), {"num_classes": 4}, [[0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0],
                                            [0, 0, 0, 0]], tf.int32),
    (([1, 2], [2, 2]), {"weights": [0.5, 2.0]}, [[0, 0, 0], [0, 0, 0], [0, 0, 2]], tf.int32),
    (([1, 2], [2, 2]), {"weights": [0.5, 2.0], "dtype": tf.float32},
     [[0.0, 0.0, 0.0], [0.0, 0.0, 0.5], [0.0, 0.0, 2.0]], tf.float32),
    (([1, 2], [2, 2]), {"weights": [3, 4]}, [[0, 0, 0], [0, 0, 3], [0, 0, 4]], tf.int32),
    (([1, 2], [2, 2]), {"dtype": tf.float64}, [[0.0] * 3, [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]],
     tf.float64),
    (([[1, 2]], [[2, 2]]), {}, [[0, 0, 0], [0, 0, 1], [0, 0, 1]], tf.int32),
    (([[1], [2]], [2, 2]), {}, [[0, 0, 0], [0, 0, 1], [0, 0, 1]], tf.int32),
    ((tf.constant([1, 2], tf.int64), tf.constant([2, 2], tf.int32)), {},
     [[0, 0, 0], [0, 0, 1], [0, 0, 1]], tf.int32),
    ((tf.constant([1.7, 2.0]), tf.constant([2.0, 2.0])), {}, [[0, 0, 0], [0, 0, 1], [0, 0, 1]],
     tf.int32),
    ((tf.constant([], tf.int32), tf.constant([], tf.int32)), {"num_classes": 2},
     [[0, 0], [0, 0]], tf.int32),
])
def test_confusion_matrix(args, kwargs, expected, dtype):
    result = seg.confusion_matrix(*args, **kwargs)
    assert result.dtype == dtype and _values(result) == expected


@pytest.mark.parametrize("args, kwargs, error, message", [
    # recorded from TF 2.21
    (([1, -1], [2, 2]), {}, tf.errors.InvalidArgumentError,
     "^`labels` contains negative values.  \nCondition x >= 0 did not hold element-wise:"),
    (([1, 1], [2, -2]), {}, tf.errors.InvalidArgumentError,
     "^`predictions` contains negative values."),
    (([1, 2], [2, 2]), {"num_classes": 2}, tf.errors.InvalidArgumentError,
     "^`labels` out of bound\nCondition x < y did not hold.\nFirst 2 elements of x:\n"
     r"\[1 2\]\nFirst 1 elements of y:\n\[2\]$"),
    (([1, 1], [2, 2]), {"num_classes": 2}, tf.errors.InvalidArgumentError,
     "^`predictions` out of bound"),
    (([1, 2], [2, 2, 1]), {}, tf.errors.InvalidArgumentError,
     r"^Shapes of all inputs must match: values\[0\].shape = \[2\] != values\[1\].shape = \[3\] "
     r"\[Op:Pack\]$"),
    (([1, 2], [2, 2]), {"weights": [1.0, 2.0, 3.0]}, ValueError,
     r"^Shapes \(2,\) and \(3,\) are incompatible$"),
])
def test_confusion_matrix_errors(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        seg.confusion_matrix(*args, **kwargs)


def test_confusion_matrix_gradient_reaches_the_weights():
    weights = tf.constant([0.5, 2.0, 1.0], tf.float64)
    cells = tf.constant(np.arange(9.0).reshape(3, 3))
    with tf.GradientTape() as tape:
        tape.watch(weights)
        matrix = seg.confusion_matrix([1, 2, 1], [2, 0, 2], num_classes=3, weights=weights,
                                      dtype=tf.float64)
        total = tf.reduce_sum(matrix * cells)
    assert _values(tape.gradient(total, weights)) == [5.0, 6.0, 5.0]
