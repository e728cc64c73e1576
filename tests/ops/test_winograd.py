"""Tests of eagerflow/ops/winograd.py: 3x3 stride-1 convolutions by F(2x2, 3x3) tiles.

The tile kernel is checked on its own against an einsum over a sliding-window view (odd
and even outputs, every padding, one image, one channel, bands of tile rows), and through
tf.nn.conv2d and its gradients where conv_ops chooses it (64 or more channels each side).
"""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import eagerflow as tf
from eagerflow.ops import conv_ops, winograd
from tests.gradient_check import check_gradients


def reference_conv3x3(x, w, pads):
    """The 3x3 stride-1 convolution of zero-padded `x`, in float64."""
    xp = np.pad(x.astype(np.float64), ((0, 0),) + tuple(pads) + ((0, 0),))
    windows = sliding_window_view(xp, (3, 3), axis=(1, 2))  # (N, OH, OW, C, 3, 3)
    return np.einsum("nhwcij,ijcf->nhwf", windows, w.astype(np.float64))


def reference_input_grad(w, dy, pads, sizes):
    """The gradient of sum(conv3x3(x, w) * dy) with respect to x, in float64: the sum of
    each tap's (dy @ w[i, j].T), shifted to the inputs the tap reads."""
    n, oh, ow, _ = dy.shape
    (top, bottom), (left, right) = pads
    dxp = np.zeros((n, sizes[0] + top + bottom, sizes[1] + left + right, w.shape[2]))
    for i in range(3):
        for j in range(3):
            dxp[:, i:i + oh, j:j + ow] += dy.astype(np.float64) @ w[i, j].T.astype(np.float64)
    return dxp[:, top:top + sizes[0], left:left + sizes[1]]


def assert_close(actual, expected, dtype):
    """Equal up to rounding: 1e-5 of the largest value in float32, 1e-12 in float64."""
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * np.abs(expected).max())


KERNEL_CASES = [
    # x shape, filters, pads
    ((2, 6, 6, 3), 4, ((0, 0), (0, 0))),      # even outputs
    ((3, 7, 9, 2), 5, ((0, 0), (0, 0))),      # odd outputs
    ((2, 5, 6, 3), 2, ((1, 1), (1, 1))),      # SAME
    ((1, 4, 5, 2), 3, ((2, 0), (0, 3))),      # explicit, uneven
    ((1, 3, 3, 1), 1, ((0, 0), (0, 0))),      # one output, one channel, one filter
    ((1, 8, 7, 1), 6, ((1, 1), (1, 1))),      # one channel
    ((2, 5, 8, 4), 1, ((0, 1), (1, 0))),      # one filter
    ((1, 2, 2, 2), 3, ((3, 3), (2, 2))),      # padding wider than the input
]


@pytest.mark.parametrize("x_shape, filters, pads", KERNEL_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("block_bytes", [1 << 20, 2048])  # whole images; bands of rows
def test_tiles_match_reference(x_shape, filters, pads, dtype, block_bytes, rng, monkeypatch):
    monkeypatch.setattr(winograd, "_BLOCK_BYTES", block_bytes)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal((3, 3, x_shape[3], filters)).astype(dtype)
    expected = reference_conv3x3(x, w, pads)
    y = winograd.conv3x3(x, w, pads, expected.shape[1:3])
    assert y.dtype == dtype and y.shape == expected.shape
    assert_close(y, expected, dtype)


@pytest.fixture
def tile_calls(monkeypatch):
    """The number of calls of the tile kernel so far (a list of one count)."""
    calls = [0]
    kernel = winograd.conv3x3

    def counting(*args):
        calls[0] += 1
        return kernel(*args)

    monkeypatch.setattr(winograd, "conv3x3", counting)
    return calls


@pytest.mark.parametrize("x_shape, padding, input_grad_by_tiles", [
    ((2, 6, 6, 64), "SAME", True),
    ((1, 8, 5, 64), "SAME", True),            # batch of one, odd outputs
    # The input gradient's tiles cover 10x9 inputs from 8x7 dy: too many read only zeros.
    ((2, 10, 9, 64), "VALID", False),
    ((1, 6, 6, 64), [[0, 0], [2, 1], [0, 2], [0, 0]], True),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv2d_and_its_input_gradient_by_tiles(x_shape, padding, input_grad_by_tiles, dtype,
                                                rng, tile_calls):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal((3, 3, 64, 64)).astype(dtype)
    pads = (((1, 1), (1, 1)) if padding == "SAME" else ((0, 0), (0, 0)) if padding == "VALID"
            else tuple(tuple(p) for p in padding[1:3]))
    expected = reference_conv3x3(x, w, pads)
    y = tf.nn.conv2d(x, w, 1, padding)
    assert tile_calls[0] == 1
    assert y.dtype == tf.as_dtype(dtype)
    assert_close(y.numpy(), expected, dtype)

    dy = rng.standard_normal(expected.shape).astype(dtype)
    dx = tf.nn.conv2d_transpose(dy, w, x_shape, 1, padding)
    assert dx.dtype == tf.as_dtype(dtype) and dx.shape == x_shape
    assert_close(dx.numpy(), reference_input_grad(w, dy, pads, x_shape[1:3]), dtype)
    assert tile_calls[0] == 1 + input_grad_by_tiles


def test_input_gradient_by_tiles_when_dy_fills_its_tiles(rng, tile_calls):
    w = rng.standard_normal((3, 3, 64, 64)).astype(np.float32)
    dy = rng.standard_normal((2, 8, 8, 64)).astype(np.float32)
    dx = tf.nn.conv2d_transpose(dy, w, (2, 8, 8, 64), 1, "SAME")
    assert tile_calls[0] == 1
    assert_close(dx.numpy(), reference_input_grad(w, dy, ((1, 1), (1, 1)), (8, 8)), np.float32)


@pytest.mark.parametrize("x_shape, w_shape, kwargs", [
    ((1, 8, 8, 32), (3, 3, 32, 64), {}),                  # too few input channels
    ((1, 8, 8, 64), (3, 3, 64, 16), {}),                  # too few filters
    ((1, 9, 9, 64), (3, 3, 64, 64), {"strides": 2}),
    ((1, 9, 9, 64), (3, 3, 64, 64), {"dilations": 2}),
    ((1, 9, 9, 128), (3, 3, 64, 64), {}),                 # grouped
    ((1, 8, 8, 64), (5, 5, 64, 64), {}),
    ((1, 7, 7, 64), (3, 3, 64, 64), {"padding": "SAME"}),  # 7x7 outputs: tiles waste 31%
])
def test_direct_kernels_where_tiles_do_not_pay(x_shape, w_shape, kwargs, rng, tile_calls):
    kwargs = {"strides": 1, "padding": "VALID", **kwargs}
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    y = tf.nn.conv2d(x, w, **kwargs)
    assert tile_calls[0] == 0
    assert y.shape[-1] == w_shape[-1]


@pytest.mark.parametrize("dtype", [np.float16, np.int32])
def test_half_and_int32_keep_the_direct_kernels(dtype, tile_calls):
    x = np.ones((1, 6, 6, 64), dtype)
    w = np.ones((3, 3, 64, 64), dtype)
    y = tf.nn.conv2d(x, w, 1, "SAME")
    assert tile_calls[0] == 0
    assert y.dtype == tf.as_dtype(dtype)
    assert y.numpy()[0, 2, 2, 0] == 9 * 64 and y.numpy()[0, 0, 0, 0] == 4 * 64


def test_gradients_through_tiles(rng, tile_calls):
    x = rng.standard_normal((1, 4, 4, 64))
    w = rng.standard_normal((3, 3, 64, 64)) / 24

    def conv(x, w):
        return tf.nn.conv2d(x, w, 1, "SAME")

    check_gradients(conv, x, w, order=2)
    assert tile_calls[0] > 0


def test_float32_stays_float32_with_gradients(rng):
    x = tf.constant(rng.standard_normal((2, 6, 6, 64)).astype(np.float32))
    w = tf.constant(rng.standard_normal((3, 3, 64, 64)).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = conv_ops.conv2d(x, w, 1, "SAME")
    dx, dw = tape.gradient(y, [x, w])
    assert (y.dtype, dx.dtype, dw.dtype) == (tf.float32,) * 3
    assert_close(dx.numpy(), reference_input_grad(w.numpy(), np.ones(y.shape, np.float32),
                                                  ((1, 1), (1, 1)), (6, 6)), np.float32)
