"""reduce_axis and sum_array: the fast paths (a short last axis on many rows, leading axes)
give NumPy's results, exactly for maxima, minima and integers, to float rounding for sums."""

import numpy as np
import pytest

from eagerflow.framework.array_reductions import reduce_axis, sum_array

UFUNCS = [np.add, np.maximum, np.minimum]
# Shapes on both sides of the thresholds: many rows and a short last axis (the fast
# paths), few rows, a long last axis, higher ranks, a single row, length-1 axes.
SHAPES = [(128, 10), (300, 7, 3), (4, 5, 2), (8, 10), (128, 40), (16, 1024), (2, 2000),
          (1, 10), (50, 1), (10,), (3, 0, 4)]


def _reference(ufunc, x, axis, keepdims):
    dtype = x.dtype if ufunc is np.add else None
    return ufunc.reduce(x, axis=axis, keepdims=keepdims, dtype=dtype)


def _values(rng, shape, dtype):
    if np.dtype(dtype).kind in "iu":
        return rng.integers(0, 100, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


# An empty maximum has no value: the callers handle it.
@pytest.mark.parametrize("ufunc, shape", [(u, s) for u in UFUNCS for s in SHAPES
                                          if u is np.add or 0 not in s])
@pytest.mark.parametrize("keepdims", [False, True])
def test_last_axis_matches_numpy(ufunc, shape, keepdims, rng):
    for dtype in (np.float32, np.float64, np.int32, np.uint8):
        x = _values(rng, shape, dtype)
        expected = _reference(ufunc, x, -1, keepdims)
        for axis in (-1, x.ndim - 1, (x.ndim - 1,)):
            result = reduce_axis(ufunc, x, axis, keepdims)
            assert result.dtype == x.dtype and result.shape == expected.shape
            if ufunc is np.add and x.dtype.kind == "f":
                np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-5)
            else:
                np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("ufunc", [np.maximum, np.minimum])
def test_float16_maxima_are_exact(ufunc, rng):
    x = rng.standard_normal((200, 9)).astype(np.float16)
    np.testing.assert_array_equal(reduce_axis(ufunc, x, -1), ufunc.reduce(x, axis=-1))


def test_float16_sums_keep_numpys_float32_accumulation(rng):
    x = rng.standard_normal((200, 9)).astype(np.float16)
    np.testing.assert_array_equal(reduce_axis(np.add, x, -1),
                                  np.add.reduce(x, axis=-1, dtype=np.float16))


def test_integer_sums_stay_in_their_dtype_and_wrap():
    x = np.full((64, 4), 2**30, np.int32)
    result = reduce_axis(np.add, x, -1)
    assert result.dtype == np.int32
    np.testing.assert_array_equal(result, np.full(64, 0, np.int32))  # 4 * 2**30 wraps to 0


@pytest.mark.parametrize("ufunc", UFUNCS)
def test_other_axes_and_non_contiguous_arrays(ufunc, rng):
    x = rng.standard_normal((40, 12, 6)).astype(np.float32)
    for axis in (0, 1, -2, (0, 2)):
        np.testing.assert_allclose(reduce_axis(ufunc, x, axis), _reference(ufunc, x, axis, False),
                                   rtol=1e-5, atol=1e-5)
    strided = x[:, ::2, :]  # not C-contiguous: NumPy's own reduction
    np.testing.assert_array_equal(reduce_axis(ufunc, strided, -1),
                                  _reference(ufunc, strided, -1, False))


def test_nan_and_infinities_propagate_as_in_numpy():
    x = np.zeros((64, 5), np.float32)
    x[0, 2] = np.nan
    x[1] = -np.inf
    x[2, :2] = [np.inf, -np.inf]
    x[3, 4] = np.inf
    maxima = reduce_axis(np.maximum, x, -1)
    minima = reduce_axis(np.minimum, x, -1)
    sums = reduce_axis(np.add, x, -1)
    assert np.isnan(maxima[0]) and np.isnan(minima[0]) and np.isnan(sums[0])
    assert maxima[1] == -np.inf and sums[1] == -np.inf
    assert np.isnan(sums[2]) and maxima[2] == np.inf and minima[2] == -np.inf
    assert maxima[3] == np.inf and sums[3] == np.inf
    np.testing.assert_array_equal(maxima[4:], 0)


def test_sums_err_by_less_than_a_float32_rounding_of_the_magnitudes(rng):
    x = (rng.standard_normal((256, 1000)) * 1000).astype(np.float32)
    exact = np.add.reduce(x.astype(np.float64), axis=-1)
    magnitude = np.add.reduce(np.abs(x.astype(np.float64)), axis=-1)
    error = np.abs(reduce_axis(np.add, x, -1) - exact) / magnitude
    assert error.max() < np.finfo(np.float32).eps  # NumPy's pairwise sums: about 1/8 of it


def test_shared_ones_stay_untouched(rng):
    x = rng.standard_normal((32, 6)).astype(np.float32)
    reduce_axis(np.add, x, -1)
    np.testing.assert_array_equal(reduce_axis(np.add, np.ones((32, 6), np.float32), -1), 6.0)


@pytest.mark.parametrize("shape, axes", [((128, 512), (0,)), ((16, 8, 4), (0, 1)),
                                         ((64, 10), (0,)), ((4, 3), (0,)), ((5, 6), (0, 1)),
                                         ((6, 7, 8), (0, 2)), ((6, 7), ())])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int64])
@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_array_matches_numpy(shape, axes, dtype, keepdims, rng):
    x = _values(rng, shape, dtype)
    expected = np.add.reduce(x, axis=axes, dtype=x.dtype, keepdims=keepdims)
    result = sum_array(x, axes, keepdims)
    assert result.dtype == x.dtype and result.shape == expected.shape
    rtol = 1e-2 if dtype == np.float16 else 1e-5
    np.testing.assert_allclose(result, expected, rtol=rtol, atol=rtol)
