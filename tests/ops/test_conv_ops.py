"""Tests of eagerflow/ops/conv_ops.py and pool_ops.py: convolutions and pooling.

Forwards are checked against slow references written here with fancy-indexed patches and
np.einsum, and against values recorded from TensorFlow 2.21; gradients go through
`check_gradients` (order 2 for convolutions and pooling alike). The blocked convolution
kernels are also checked, path by path and block size by block size, against their own
one-block results and against reference gradients scattered with np.add.at.
"""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.errors import InvalidArgumentError, UnimplementedError
from eagerflow.ops import conv_ops
from eagerflow.ops.conv_ops import conv1d, conv2d, conv2d_transpose, depthwise_conv2d
from eagerflow.ops.pool_ops import (avg_pool, avg_pool1d, avg_pool2d, max_pool, max_pool1d,
                                    max_pool2d)
from tests.gradient_check import check_gradients


def seq(shape, mod, shift, scale):
    """Deterministic small values (exact in float32): the inputs of the recorded cases."""
    size = int(np.prod(shape))
    return ((np.arange(size) % mod - shift) * scale).reshape(shape).astype(np.float32)


# --- slow references ---------------------------------------------------------------------

def same_pads(size, k, stride, dilation=1):
    effective = (k - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def patch_index(padded_shape, kernel, strides, dilations):
    """Index arrays that gather the (N, *out, *kernel) patches of a padded array."""
    spatial = len(kernel)
    index = [np.arange(padded_shape[0]).reshape((-1,) + (1,) * (2 * spatial))]
    for d in range(spatial):
        effective = (kernel[d] - 1) * dilations[d] + 1
        out = (padded_shape[d + 1] - effective) // strides[d] + 1
        starts = np.arange(out) * strides[d]
        taps = np.arange(kernel[d]) * dilations[d]
        shape = [1] * (1 + 2 * spatial)
        shape[1 + d] = out
        tap_shape = [1] * (1 + 2 * spatial)
        tap_shape[1 + spatial + d] = kernel[d]
        index.append(starts.reshape(shape) + taps.reshape(tap_shape))
    return tuple(index)


def patches(x, kernel, strides, dilations, pads, fill=0.0):
    """(N, *out, *kernel, C) patches of `x` gathered with index arrays (no stride tricks)."""
    xp = np.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), constant_values=fill)
    return xp[patch_index(xp.shape, kernel, strides, dilations)]


def conv_pads(x_shape, w_shape, strides, padding, dilations):
    if padding == "SAME":
        return [same_pads(x_shape[d + 1], w_shape[d], strides[d], dilations[d])
                for d in range(2)]
    return [(0, 0), (0, 0)] if padding == "VALID" else [tuple(p) for p in padding]


def reference_conv2d(x, w, strides=(1, 1), padding="VALID", dilations=(1, 1)):
    kh, kw, cg, f = w.shape
    pads = conv_pads(x.shape, w.shape, strides, padding, dilations)
    p = patches(x, (kh, kw), strides, dilations, pads)  # (N, OH, OW, kh, kw, C)
    groups = x.shape[3] // cg
    p = p.reshape(p.shape[:5] + (groups, cg))
    wg = w.reshape(kh, kw, cg, groups, f // groups)
    y = np.einsum("nhwijgc,ijcgf->nhwgf", p, wg)
    return y.reshape(y.shape[:3] + (f,)).astype(x.dtype)


def reference_conv2d_grads(x, w, dy, strides=(1, 1), padding="VALID", dilations=(1, 1)):
    """The gradients of sum(conv2d(x, w) * dy) with respect to x and w, in float64: every
    patch's gradient scattered back with np.add.at."""
    kh, kw, cg, f = w.shape
    groups = x.shape[3] // cg
    pads = conv_pads(x.shape, w.shape, strides, padding, dilations)
    x, w, dy = (a.astype(np.float64) for a in (x, w, dy))
    p = patches(x, (kh, kw), strides, dilations, pads)
    p = p.reshape(p.shape[:5] + (groups, cg))
    wg = w.reshape(kh, kw, cg, groups, f // groups)
    dyg = dy.reshape(dy.shape[:3] + (groups, f // groups))
    dw = np.einsum("nhwijgc,nhwgf->ijcgf", p, dyg).reshape(w.shape)
    dxp = np.zeros((x.shape[0],) + tuple(s + a + b for s, (a, b) in zip(x.shape[1:3], pads))
                   + (x.shape[3],))
    index = patch_index(dxp.shape, (kh, kw), strides, dilations)
    np.add.at(dxp, index, np.einsum("nhwgf,ijcgf->nhwijgc", dyg, wg).reshape(p.shape[:5] + (-1,)))
    (top, _), (left, _) = pads
    return dxp[:, top:top + x.shape[1], left:left + x.shape[2]], dw


def reference_pool(x, ksize, strides, padding, kind):
    spatial = x.ndim - 2
    if padding == "SAME":
        pads = [same_pads(x.shape[d + 1], ksize[d], strides[d]) for d in range(spatial)]
    elif padding == "VALID":
        pads = [(0, 0)] * spatial
    else:
        pads = padding
    p = patches(x.astype(np.float64), ksize, strides, (1,) * spatial, pads, fill=np.nan)
    axes = tuple(range(1 + spatial, 1 + 2 * spatial))
    y = np.nanmax(p, axis=axes) if kind == "max" else np.nanmean(p, axis=axes)
    return y.astype(x.dtype)


# --- conv2d forward -------------------------------------------------------------------------

CONV_CASES = [
    # x shape, filter shape, strides, padding, dilations
    ((2, 5, 5, 3), (3, 3, 3, 4), 1, "SAME", None),
    ((1, 7, 6, 2), (3, 3, 2, 3), 2, "SAME", None),
    ((3, 6, 7, 2), (2, 3, 2, 2), [2, 1], "VALID", None),
    ((1, 9, 8, 1), (3, 2, 1, 5), [1, 3, 2, 1], "VALID", 1),
    ((2, 7, 7, 3), (3, 3, 3, 2), 1, "SAME", 2),
    ((2, 8, 6, 2), (2, 2, 2, 3), 1, "VALID", [3, 1]),
    ((1, 5, 6, 3), (3, 2, 3, 2), [1, 2], [[0, 0], [1, 2], [0, 1], [0, 0]], None),
    ((2, 4, 4, 6), (3, 3, 3, 4), 1, "SAME", None),       # grouped: 2 groups
    ((1, 6, 5, 6), (2, 2, 2, 6), 2, "VALID", None),      # grouped: 3 groups
    ((1, 6, 6, 16), (3, 3, 16, 4), 1, "SAME", None),     # wide: per-tap input gradient
    ((2, 5, 5, 8), (3, 3, 8, 4), [1, 2], "SAME", None),  # patch-major im2col
]


def _norm(value, n=2):
    if value is None:
        return (1,) * n
    values = [value] if isinstance(value, int) else list(value)
    if len(values) == 1:
        return tuple(values) * n
    return tuple(values[1:-1]) if len(values) == n + 2 else tuple(values)


def _norm_padding(padding):
    return padding if isinstance(padding, str) else [tuple(p) for p in padding[1:-1]]


@pytest.mark.parametrize("x_shape, w_shape, strides, padding, dilations", CONV_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv2d_matches_reference(x_shape, w_shape, strides, padding, dilations, dtype, rng):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    y = conv2d(tf.constant(x), tf.constant(w), strides, padding, dilations=dilations)
    expected = reference_conv2d(x, w, _norm(strides), _norm_padding(padding), _norm(dilations))
    assert y.dtype == tf.as_dtype(dtype)
    assert y.numpy().dtype == dtype
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-5)


def test_conv2d_recorded_from_tensorflow():
    x, w = seq((1, 5, 4, 2), 7, 3, 0.5), seq((3, 2, 2, 2), 5, 2, 0.25)
    y = conv2d(x, w, [2, 1], "SAME")
    # recorded from TF 2.21
    expected = [0.25, -0.75, 0.0, -0.25, -0.25, 2.0, 1.25, 0.625, 0.375, -0.125, -0.125,
                1.625, 0.25, 1.625, 0.875, -0.25, -1.0, 0.75, -0.125, 2.0, 0.75, -0.25,
                0.0, 0.0]
    assert y.shape == (1, 3, 4, 2)
    np.testing.assert_allclose(y.numpy().ravel(), expected, atol=1e-6)
    y = conv2d(x, w, 1, [[0, 0], [1, 0], [0, 2], [0, 0]], dilations=2)
    # recorded from TF 2.21
    expected = [1.625, -0.5, -0.375, 0.875, -0.375, -0.375, 0.25, -0.5, 0.5, 1.375, 0.0,
                -1.25, 1.0, 1.0, -0.625, -0.875]
    assert y.shape == (1, 2, 4, 2)
    np.testing.assert_allclose(y.numpy().ravel(), expected, atol=1e-6)


def test_conv2d_gradients_recorded_from_tensorflow():
    x, w = tf.constant(seq((1, 5, 4, 2), 7, 3, 0.5)), tf.constant(seq((3, 2, 2, 2), 5, 2, 0.25))
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = conv2d(x, w, [2, 1], "SAME")
    dx, dw = tape.gradient(y, [x, w], output_gradients=tf.constant(seq((1, 3, 4, 2), 3, 1, 1.0)))
    # recorded from TF 2.21
    expected_dx = [-0.25, 0.5, -0.25, -0.75, 0.25, 0.75, 0.0, 0.0, 0.0, -0.5, 1.0, -0.25,
                   -0.25, 0.25, -0.75, 0.0, -0.25, -0.25, 0.25, 0.75, 0.0, 0.0, -0.25, -0.75,
                   -0.5, 0.0, -0.25, 0.25, -0.75, 0.0, 1.0, -0.25, 0.5, -0.25, 0.0, 0.0,
                   -0.25, -0.75, 0.25, 0.75]
    expected_dw = [-6.0, 3.5, -5.5, 3.5, 2.5, 2.5, 2.5, 2.5, -6.0, 4.5, 4.5, 4.5, 3.5, 3.5,
                   3.5, -7.0, 3.5, 2.5, 3.5, 2.0, 2.5, -5.0, 2.5, -5.0]
    assert dx.dtype == tf.float32 and dw.dtype == tf.float32
    np.testing.assert_allclose(dx.numpy().ravel(), expected_dx, atol=1e-6)
    np.testing.assert_allclose(dw.numpy().ravel(), expected_dw, atol=1e-5)


def test_grouped_conv2d_recorded_from_tensorflow():
    y = conv2d(seq((1, 3, 3, 4), 7, 3, 0.5), seq((2, 2, 2, 2), 3, 1, 0.5), 1, "VALID")
    # recorded from TF 2.21
    np.testing.assert_allclose(y.numpy().ravel(), [0.5, 0.5, -1.25, 1.25, 0.5, 1.0, 0.5, 0.0])


def test_conv2d_empty_output_and_empty_batch(rng):
    x = rng.standard_normal((2, 5, 5, 3)).astype(np.float32)
    w = rng.standard_normal((6, 3, 3, 4)).astype(np.float32)
    assert conv2d(x, w, 1, "VALID").shape == (2, 0, 3, 4)  # as TF 2.21
    assert conv2d(x[:0], w[:3], 1, "SAME").shape == (0, 5, 5, 4)
    xt, wt = tf.constant(x), tf.constant(w)
    with tf.GradientTape() as tape:
        tape.watch([xt, wt])
        y = conv2d(xt, wt, 1, "VALID")
    dx, dw = tape.gradient(y, [xt, wt])
    assert not dx.numpy().any() and not dw.numpy().any()


def test_conv2d_int32(rng):
    x = rng.integers(-3, 4, (1, 4, 4, 2)).astype(np.int32)
    w = rng.integers(-3, 4, (2, 2, 2, 3)).astype(np.int32)
    y = conv2d(x, w, 1, "VALID")
    assert y.dtype == tf.int32
    np.testing.assert_array_equal(y.numpy(), reference_conv2d(x, w))


def test_conv2d_layouts(rng):
    x = rng.standard_normal((2, 6, 5, 3)).astype(np.float32)
    w = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)
    nhwc = conv2d(x, w, [1, 2], [[0, 0], [1, 1], [2, 0], [0, 0]]).numpy()
    nchw = conv2d(x.transpose(0, 3, 1, 2), w, [1, 1, 1, 2],
                  [[0, 0], [0, 0], [1, 1], [2, 0]], data_format="NCHW").numpy()
    np.testing.assert_allclose(nchw, nhwc.transpose(0, 3, 1, 2), rtol=1e-5, atol=1e-5)
    batched = conv2d(np.stack([x, 2 * x]), w, 1, "SAME")  # extra leading batch dimension
    assert batched.shape == (2, 2, 6, 5, 4)
    np.testing.assert_allclose(batched.numpy()[1], conv2d(2 * x, w, 1, "SAME").numpy(),
                               rtol=1e-5, atol=1e-5)


def test_conv2d_accepts_variables_and_lists():
    x = tf.Variable(seq((1, 3, 3, 1), 5, 2, 1.0))
    with tf.GradientTape() as tape:
        y = conv2d(x, [[[[1.0]], [[1.0]]]], 1, "VALID")  # a 1x2 filter as a nested list
    assert y.dtype == tf.float32
    # rows of x: [-2, -1, 0], [1, 2, -2], [-1, 0, 1]; each output sums two neighbours
    np.testing.assert_allclose(y.numpy().ravel(), [-3.0, -1.0, 3.0, 0.0, -1.0, 1.0])
    assert tape.gradient(y, x).numpy()[0, :, :, 0].tolist() == [[1, 2, 1]] * 3


# --- conv2d gradients ---------------------------------------------------------------------

GRADIENT_CASES = [
    ((2, 5, 5, 3), (3, 3, 3, 2), 1, "SAME", None),
    ((1, 6, 5, 2), (2, 3, 2, 3), 2, "VALID", None),
    ((2, 5, 6, 2), (3, 2, 2, 2), 1, [[0, 0], [1, 2], [0, 1], [0, 0]], 2),
    ((1, 7, 6, 2), (3, 3, 2, 2), [2, 3], "SAME", None),
    ((1, 4, 5, 4), (2, 2, 2, 4), 1, "SAME", None),       # grouped
    ((1, 5, 4, 16), (2, 2, 16, 2), 1, "VALID", None),    # widened input gradient
    ((2, 5, 6, 1), (2, 3, 1, 8), 1, "SAME", None),       # per-tap input gradient, C == 1
    ((1, 6, 5, 16), (3, 2, 16, 3), [2, 1], "SAME", None),  # per-tap input gradient
]


@pytest.mark.parametrize("x_shape, w_shape, strides, padding, dilations", GRADIENT_CASES)
def test_conv2d_gradients(x_shape, w_shape, strides, padding, dilations, rng):
    check_gradients(lambda x, w: conv2d(x, w, strides, padding, dilations=dilations),
                    rng.standard_normal(x_shape), rng.standard_normal(w_shape), order=2)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_backprop_primitives_gradients(padding, rng):
    # Both inputs of each backprop op: this reaches the gradients that conv2d's own second
    # order does not (those with respect to the upstream gradient).
    x, w = rng.standard_normal((2, 5, 6, 2)), rng.standard_normal((3, 2, 2, 3))
    dy = rng.standard_normal(conv2d(x, w, [2, 1], padding).shape)
    attrs = dict(strides=(2, 1), padding=padding, dilations=(1, 1))
    check_gradients(lambda w, dy: conv_ops._conv2d_backprop_input(
        w, dy, input_sizes=x.shape, **attrs), w, dy, order=2)
    check_gradients(lambda x, dy: conv_ops._conv2d_backprop_filter(
        x, dy, filter_sizes=w.shape, **attrs), x, dy, order=2)


def test_conv2d_gradients_keep_float32(rng):
    x = tf.constant(rng.standard_normal((2, 6, 6, 3)).astype(np.float32))
    w = tf.constant(rng.standard_normal((3, 3, 3, 4)).astype(np.float32))
    with tf.GradientTape(persistent=True) as outer:
        outer.watch([x, w])
        with tf.GradientTape() as inner:
            inner.watch([x, w])
            y = conv2d(x, w, 2, "SAME")
        dx, dw = inner.gradient(y, [x, w])
    assert (y.dtype, dx.dtype, dw.dtype) == (tf.float32,) * 3
    assert dx.shape == x.shape and dw.shape == w.shape
    assert outer.gradient(dx, w).dtype == tf.float32
    assert outer.gradient(dw, x).dtype == tf.float32


def test_only_the_needed_gradient_is_computed(rng, monkeypatch):
    x = tf.constant(rng.standard_normal((1, 4, 4, 2)))
    w = tf.constant(rng.standard_normal((2, 2, 2, 2)))
    monkeypatch.setattr(conv_ops, "_conv_input_grad", None)  # would fail if called
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = conv2d(x, w, 1, "VALID")
    assert tape.gradient(y, w).shape == (2, 2, 2, 2)


# --- the blocked kernels ------------------------------------------------------------------

BLOCK_CASES = [
    # x shape, filter shape, strides, padding, dilations, the input gradient's path
    ((3, 6, 7, 8), (3, 3, 8, 4), (1, 1), "SAME", (1, 1), "_shifted_input_grad"),
    ((2, 7, 8, 4), (2, 3, 4, 6), (1, 1), [(1, 2), (0, 1)], (2, 1), "_shifted_input_grad"),
    ((3, 6, 5, 1), (3, 3, 1, 12), (1, 1), "VALID", (1, 1), "_tap_input_grad"),  # C == 1
    ((2, 4, 4, 16), (3, 3, 16, 64), (1, 1), "SAME", (1, 1), "_tap_input_grad"),  # wide F
    ((2, 7, 6, 16), (3, 3, 16, 4), (2, 2), "SAME", (1, 1), "_tap_input_grad"),
    ((2, 7, 5, 4), (2, 3, 4, 5), (2, 1), "VALID", (1, 1), "_patch_input_grad"),
    ((2, 6, 6, 6), (3, 3, 3, 4), (1, 1), "SAME", (1, 1), "_patch_input_grad"),  # 2 groups
    ((2, 6, 7, 12), (3, 2, 6, 4), (1, 2), "SAME", (2, 1), "_patch_input_grad"),  # 2 groups
]


@pytest.fixture
def input_grad_paths(monkeypatch):
    """The names of the input-gradient kernels that run, in order."""
    taken = []
    for name in ("_shifted_input_grad", "_tap_input_grad", "_patch_input_grad"):
        def spy(*args, _kernel=getattr(conv_ops, name), _name=name):
            taken.append(_name)
            return _kernel(*args)
        monkeypatch.setattr(conv_ops, name, spy)
    return taken


def _kernel_results(x, w, dy, strides, padding, dilations):
    y = conv_ops._conv_forward(x, w, strides, padding, dilations)
    dx = conv_ops._conv_input_grad(w, dy, x.shape, strides, padding, dilations, "test")
    dw = conv_ops._conv_filter_grad(x, dy, w.shape, strides, padding, dilations, "test")
    return y, dx, dw


@pytest.mark.parametrize("x_shape, w_shape, strides, padding, dilations, path", BLOCK_CASES)
@pytest.mark.parametrize("blocks, small_product", [
    ("row", 100 ** 3),        # one output row per block: bands of every image
    ("band", 100 ** 3),       # bands of at most 7 positions: whole output rows, then fewer
    ("image", 3000),          # one padded image per block (deepened), products in chunks
    ("images", 100 ** 3),     # two padded images per block (deepened)
    ("output rows", 100 ** 3),  # one image of widened rows per block (not deepened)
])
def test_blocked_kernels_match_one_block(x_shape, w_shape, strides, padding, dilations, path,
                                         blocks, small_product, rng, monkeypatch,
                                         input_grad_paths):
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    y = reference_conv2d(x, w, strides, padding, dilations)
    dy = rng.standard_normal(y.shape).astype(np.float32)
    pads = padding if isinstance(padding, str) else tuple(padding)
    whole = _kernel_results(x, w, dy, strides, pads, dilations)  # in one block
    (top, bottom), (left, right) = conv_pads(x_shape, w_shape, strides, padding, dilations)
    height, width = x_shape[1] + top + bottom, x_shape[2] + left + right
    rows = {"row": 1, "band": 7, "image": height * width, "images": 2 * height * width,
            "output rows": y.shape[1] * width}[blocks]
    monkeypatch.setattr(conv_ops, "_block_rows", lambda width, itemsize, product=None: rows)
    monkeypatch.setattr(conv_ops, "_SMALL_PRODUCT", small_product)
    monkeypatch.setattr(conv_ops, "_MIN_BLOCK_ROWS", 8)  # wide per-tap products stay whole
    blocked = _kernel_results(x, w, dy, strides, pads, dilations)
    assert input_grad_paths == [path, path]
    expected = (y,) + reference_conv2d_grads(x, w, dy, strides, padding, dilations)
    for ours, one_block, reference, shape in zip(blocked, whole, expected,
                                                  (y.shape, x.shape, w.shape)):
        assert ours.dtype == np.float32 and ours.shape == shape
        np.testing.assert_allclose(ours, one_block, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(ours, reference, rtol=1e-4, atol=1e-4)


def test_blocks_cover_the_outputs_once():
    for n, outputs, rows in [(5, (3, 4), 25), (2, (5, 3), 7), (1, (4, 6), 2), (3, (2, 2), 100)]:
        blocks, most = conv_ops._blocks(n, outputs, rows)
        seen = np.zeros((n,) + outputs, int)
        for images, out_rows in blocks:
            seen[images, out_rows] += 1
            assert seen[images, out_rows].size <= most
        assert (seen == 1).all()
        assert most <= max(rows, outputs[1])


# --- conv1d, conv2d_transpose, depthwise_conv2d ---------------------------------------------

@pytest.mark.parametrize("stride, padding, dilations", [
    (1, "SAME", None), (2, "VALID", None), ([2], "SAME", None), ([1, 3, 1], "VALID", None),
    (1, "SAME", 2), (1, "VALID", [3])])
def test_conv1d_matches_reference(stride, padding, dilations, rng):
    x = rng.standard_normal((2, 9, 3)).astype(np.float32)
    w = rng.standard_normal((3, 3, 4)).astype(np.float32)
    y = conv1d(x, w, stride, padding, dilations=dilations)
    expected = reference_conv2d(x[:, None], w[None], (1,) + _norm(stride, 1), padding,
                                (1,) + _norm(dilations, 1))[:, 0]
    assert y.dtype == tf.float32
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-5)
    if isinstance(stride, list) and len(stride) == 3:
        stride = [1, 1, stride[1]]  # batch, channel, width
    ncw = conv1d(x.transpose(0, 2, 1), w, stride, padding, data_format="NCW",
                 dilations=dilations)
    np.testing.assert_allclose(ncw.numpy(), expected.transpose(0, 2, 1), rtol=1e-5, atol=1e-5)


def test_conv1d_recorded_from_tensorflow_and_gradients(rng):
    y = conv1d(seq((1, 6, 2), 5, 2, 0.5), seq((3, 2, 1), 3, 1, 1.0), 2, "SAME")
    # recorded from TF 2.21
    np.testing.assert_allclose(y.numpy().ravel(), [-0.5, -0.5, -1.0])
    check_gradients(lambda x, w: conv1d(x, w, 2, "SAME"), rng.standard_normal((2, 7, 2)),
                    rng.standard_normal((3, 2, 3)), order=2)


def test_conv2d_transpose_is_the_input_gradient(rng):
    x = tf.constant(rng.standard_normal((2, 7, 6, 3)).astype(np.float32))
    w = tf.constant(rng.standard_normal((3, 3, 3, 4)).astype(np.float32))
    dy = tf.constant(rng.standard_normal((2, 4, 3, 4)).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = conv2d(x, w, 2, "SAME")
    expected = tape.gradient(y, x, output_gradients=dy)
    for output_shape in ([2, 7, 6, 3], (7, 6), tf.constant([2, 7, 6, 3])):
        result = conv2d_transpose(dy, w, output_shape, 2, "SAME")
        assert result.dtype == tf.float32
        np.testing.assert_allclose(result.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)
    nchw = conv2d_transpose(tf.transpose(dy, [0, 3, 1, 2]), w, [2, 3, 7, 6], 2, "SAME",
                            data_format="NCHW")
    np.testing.assert_allclose(nchw.numpy(), expected.numpy().transpose(0, 3, 1, 2),
                               rtol=1e-5, atol=1e-5)


def test_conv2d_transpose_recorded_from_tensorflow_and_gradients(rng):
    y = conv2d_transpose(seq((1, 2, 2, 2), 5, 2, 0.5), seq((3, 3, 1, 2), 4, 1, 0.5),
                         [1, 3, 3, 1], 2, "SAME")
    # recorded from TF 2.21
    np.testing.assert_allclose(y.numpy().ravel(),
                               [0.5, -0.5, 0.0, -1.5, 0.25, 0.25, -0.5, -0.75, 0.25])
    check_gradients(lambda x, w: conv2d_transpose(x, w, [2, 7, 7, 3], 2, "SAME"),
                    rng.standard_normal((2, 4, 4, 2)), rng.standard_normal((3, 3, 3, 2)),
                    order=2)


@pytest.mark.parametrize("strides, padding, dilations", [
    ([1, 1, 1, 1], "SAME", None), ([1, 2, 2, 1], "VALID", None),
    ([1, 1, 1, 1], "SAME", [2, 2]), ([1, 2, 2, 1], [[0, 0], [1, 0], [0, 1], [0, 0]], None)])
@pytest.mark.parametrize("multiplier", [1, 2])  # 1 takes the einsum path, 2 the matmul one
def test_depthwise_conv2d_matches_reference(strides, padding, dilations, multiplier, rng):
    x = rng.standard_normal((2, 6, 7, 3)).astype(np.float32)
    w = rng.standard_normal((3, 2, 3, multiplier)).astype(np.float32)
    y = depthwise_conv2d(x, w, strides, padding, dilations=dilations)
    # Channel c with multiplier m is output channel c * multiplier + m: a grouped convolution.
    expected = reference_conv2d(x, w.reshape(3, 2, 1, 3 * multiplier), _norm(strides),
                                _norm_padding(padding), _norm(dilations))
    assert y.dtype == tf.float32
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-5)


def test_depthwise_conv2d_recorded_from_tensorflow_and_gradients(rng):
    y = depthwise_conv2d(seq((1, 3, 3, 2), 5, 2, 0.5), seq((2, 2, 2, 2), 3, 1, 0.5),
                         [1, 1, 1, 1], "SAME")
    # recorded from TF 2.21
    expected = [0.0, 0.25, 0.0, -0.25, 0.75, 0.25, 0.5, 0.5, -1.0, 0.5, -0.5, 0.25, -0.25,
                0.25, -1.0, 0.75, 0.5, -1.0, 0.75, -1.0, 0.25, 0.25, -0.25, 0.25, 0.0, 0.5,
                0.75, -0.25, -0.5, -0.25, -0.5, 0.5, 0.25, 0.0, 0.0, 0.0]
    np.testing.assert_allclose(y.numpy().ravel(), expected, atol=1e-6)
    check_gradients(lambda x, w: depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME"),
                    rng.standard_normal((2, 5, 4, 2)), rng.standard_normal((3, 3, 2, 2)),
                    order=2)


@pytest.mark.parametrize("strides, padding, dilations", [
    ([1, 1, 1, 1], "SAME", None), ([1, 2, 2, 1], "VALID", None), ([1, 2, 1, 1], "SAME", None),
    ([1, 1, 1, 1], "VALID", [2, 1]), ([1, 1, 1, 1], [[0, 0], [2, 0], [1, 1], [0, 0]], None)])
def test_depthwise_multiplier_one_gradients(strides, padding, dilations, rng):
    check_gradients(lambda x, w: depthwise_conv2d(x, w, strides, padding, dilations=dilations),
                    rng.standard_normal((2, 6, 5, 3)), rng.standard_normal((3, 2, 3, 1)),
                    order=2)


# --- pooling --------------------------------------------------------------------------------

POOL_CASES = [
    # input shape, ksize, strides, padding
    ((2, 5, 5, 3), 2, 2, "VALID"),
    ((1, 5, 5, 2), 3, 2, "SAME"),
    ((2, 6, 7, 1), [2, 3], [1, 2], "SAME"),
    ((1, 7, 4, 2), [1, 3, 2, 1], [1, 2, 1, 1], "VALID"),
    ((1, 4, 4, 1), 3, 1, "SAME"),
]


@pytest.mark.parametrize("shape, ksize, strides, padding", POOL_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pool2d_matches_reference(shape, ksize, strides, padding, dtype, rng):
    x = rng.standard_normal(shape).astype(dtype)
    for pool, kind in ((max_pool2d, "max"), (avg_pool2d, "avg")):
        y = pool(tf.constant(x), ksize, strides, padding)
        expected = reference_pool(x, _norm(ksize), _norm(strides), padding, kind)
        assert y.dtype == tf.as_dtype(dtype)
        np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_max_pool2d_explicit_padding_never_wins(rng):
    x = -1.0 - rng.random((2, 4, 5, 3)).astype(np.float32)  # all negative
    y = max_pool2d(x, [2, 3], 1, [[0, 0], [1, 1], [2, 0], [0, 0]])
    expected = reference_pool(x, (2, 3), (1, 1), [(1, 1), (2, 0)], "max")
    assert y.shape == (2, 5, 5, 3)
    np.testing.assert_allclose(y.numpy(), expected)


def test_pooling_recorded_from_tensorflow():
    x = tf.constant(seq((1, 5, 5, 1), 6, 2, 0.5))
    d9 = tf.constant(seq((1, 3, 3, 1), 9, 0, 1.0) + 1)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        m = max_pool2d(x, 3, 2, "SAME")
        a = avg_pool2d(x, 3, 2, "SAME")
    # recorded from TF 2.21 (SAME averages divide by the number of real inputs covered)
    np.testing.assert_allclose(m.numpy().ravel(), [1.5, 0.5, 1.0, 1.5, 1.5, 0.5, 1.0, 1.5, 1.5])
    np.testing.assert_allclose(a.numpy().ravel(),
                               [-0.25, -0.25, 0.5, 0.75, 0.0, -0.25, 0.5, 0.75, -0.25])
    # recorded from TF 2.21: ties go to the first maximum of each window
    np.testing.assert_allclose(
        tape.gradient(m, x, output_gradients=d9).numpy().ravel(),
        [0, 0, 0, 2, 3, 5, 0, 0, 0, 6, 0, 5, 0, 0, 0, 0, 7, 8, 0, 0, 0, 0, 0, 9, 0])
    np.testing.assert_allclose(
        tape.gradient(a, x, output_gradients=d9).numpy().ravel(),
        [0.25, 0.5833333730697632, 0.3333333432674408, 1.0833333730697632, 0.75,
         0.9166666865348816, 1.8055555820465088, 0.888888955116272, 2.6388888359069824, 1.75,
         0.6666666865348816, 1.2222223281860352, 0.5555555820465088, 1.5555555820465088, 1.0,
         2.4166667461395264, 4.305555820465088, 1.888888955116272, 5.138888835906982, 3.25,
         1.75, 3.0833334922790527, 1.3333333730697632, 3.5833334922790527, 2.25], rtol=1e-6)
    assert avg_pool1d(seq((1, 5, 1), 4, 1, 1.0), 2, 2, "SAME").numpy().ravel().tolist() == [
        -0.5, 1.5, -1.0]  # recorded from TF 2.21


def test_max_pool_gradient_ties_go_to_the_first_maximum():
    x = tf.ones((1, 4, 4, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = max_pool2d(x, 3, 1, "SAME")
    dx = tape.gradient(y, x, output_gradients=tf.reshape(tf.range(1.0, 17.0), (1, 4, 4, 1)))
    # recorded from TF 2.21
    assert dx.numpy()[0, :, :, 0].tolist() == [[14, 10, 12, 0], [19, 11, 12, 0],
                                               [27, 15, 16, 0], [0, 0, 0, 0]]


@pytest.mark.parametrize("ksize, strides, padding, expected", [
    # recorded from TF 2.21: non-overlapping windows (tiling the input or not) with ties
    (2, 2, "VALID", [[1, 0, 2, 0, 0, 3], [0, 0, 0, 0, 0, 0], [4, 0, 5, 0, 6, 0],
                     [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]),
    (2, 3, "VALID", [[1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 2, 0], [0, 0, 0, 0, 0, 0],
                     [3, 0, 0, 0, 4, 0], [0, 0, 0, 0, 0, 0]]),
    (2, 2, "SAME", [[1, 0, 2, 0, 0, 3], [0, 0, 0, 0, 0, 0], [4, 0, 5, 0, 6, 0],
                    [0, 0, 0, 0, 0, 0], [7, 0, 0, 8, 9, 0]]),
])
def test_max_pool_gradient_ties_in_separate_windows(ksize, strides, padding, expected):
    x = tf.reshape(tf.constant([0, 0, 1, 1, 0, 2, 0, 0, 1, 0, 2, 0, 3, 3, 0, 0, 5, 5, 3, 3, 0,
                                0, 5, 5, 1, 0, 0, 2, 2, 0], tf.float32), (1, 5, 6, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = max_pool2d(x, ksize, strides, padding)
    dy = tf.reshape(tf.range(1.0, 1.0 + float(tf.size(y))), y.shape)
    assert tape.gradient(y, x, output_gradients=dy).numpy()[0, :, :, 0].tolist() == expected


@pytest.mark.parametrize("shape, ksize, strides, padding", POOL_CASES[:4])
def test_pool2d_gradients(shape, ksize, strides, padding, rng):
    # Distinct, well-separated values keep the max away from ties under finite differences.
    x = rng.permutation(np.prod(shape)).reshape(shape) * 0.1
    check_gradients(lambda x: max_pool2d(x, ksize, strides, padding), x, order=2)
    check_gradients(lambda x: avg_pool2d(x, ksize, strides, padding), x, order=2)


@pytest.mark.parametrize("shape", [(2, 7, 3), (1, 4, 5, 3, 2)])
def test_pool_1d_and_3d(shape, rng):
    x = rng.permutation(np.prod(shape)).reshape(shape).astype(np.float32)
    spatial = len(shape) - 2
    ksize, strides = (2,) * spatial, (2,) + (1,) * (spatial - 1)
    for kind, generic, special in (("max", max_pool, max_pool1d), ("avg", avg_pool, avg_pool1d)):
        expected = reference_pool(x, ksize, strides, "SAME", kind)
        np.testing.assert_allclose(generic(x, 2, list(strides), "SAME").numpy(), expected)
        if spatial == 1:
            np.testing.assert_allclose(special(x, 2, strides, "SAME").numpy(), expected)
            channels_first = special(x.transpose(0, 2, 1), 2, strides, "SAME",
                                     data_format="NCW")
            np.testing.assert_allclose(channels_first.numpy(), expected.transpose(0, 2, 1))
        check_gradients(lambda t: generic(t, 2, list(strides), "SAME"), x * 0.1, order=2)


def test_pool2d_layouts_and_dtypes(rng):
    x = rng.standard_normal((2, 5, 6, 3)).astype(np.float32)
    for pool in (max_pool2d, avg_pool2d):
        nhwc = pool(x, [2, 3], [2, 1], "SAME").numpy()
        nchw = pool(x.transpose(0, 3, 1, 2), [2, 3], [1, 1, 2, 1], "SAME", data_format="NCHW")
        np.testing.assert_allclose(nchw.numpy(), nhwc.transpose(0, 3, 1, 2))
    ints = max_pool2d(tf.constant(np.arange(16, dtype=np.int32).reshape(1, 4, 4, 1)), 2, 2,
                      "SAME")
    assert ints.dtype == tf.int32 and ints.numpy().ravel().tolist() == [5, 7, 13, 15]
    assert max_pool2d(x, 6, 1, "VALID").shape == (2, 0, 1, 3)  # as TF 2.21


def test_gradients_keep_float32_for_pooling_and_depthwise(rng):
    x = tf.constant(rng.standard_normal((2, 6, 6, 3)).astype(np.float32))
    w = tf.constant(rng.standard_normal((3, 3, 3, 1)).astype(np.float32))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        outputs = [max_pool2d(x, 3, 2, "SAME"), avg_pool2d(x, 2, 1, "SAME"),
                   depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME")]
    for y in outputs:
        assert y.dtype == tf.float32
        for g in tape.gradient(y, [x, w], unconnected_gradients="zero"):
            assert g.dtype == tf.float32 and g.numpy().dtype == np.float32


# --- conv3d, separable_conv2d, conv1d_transpose, 3-D pooling ------------------------------

def reference_conv3d(x, w, strides, padding, dilations=(1, 1, 1)):
    if padding == "SAME":
        pads = [same_pads(x.shape[d + 1], w.shape[d], strides[d], dilations[d])
                for d in range(3)]
    else:
        pads = [(0, 0)] * 3
    p = patches(x.astype(np.float64), w.shape[:3], strides, dilations, pads)
    return np.einsum("ndhwijkc,ijkcf->ndhwf", p, w.astype(np.float64))


CONV3D_CASES = [
    # x shape, filter shape, strides, padding, dilations
    ((2, 4, 5, 4, 2), (2, 3, 2, 2, 3), (1, 1, 1), "VALID", (1, 1, 1)),
    ((1, 5, 4, 5, 2), (3, 2, 3, 2, 2), (2, 1, 2), "SAME", (1, 1, 1)),
    ((1, 6, 5, 5, 1), (2, 2, 2, 1, 2), (1, 1, 1), "SAME", (2, 1, 2)),
]


@pytest.mark.parametrize("x_shape, w_shape, strides, padding, dilations", CONV3D_CASES)
def test_conv3d_matches_reference_and_gradients(x_shape, w_shape, strides, padding,
                                                dilations, rng):
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    y = tf.nn.conv3d(x, w, [1, *strides, 1], padding, dilations=[1, *dilations, 1])
    assert y.dtype == tf.float32
    np.testing.assert_allclose(y.numpy(), reference_conv3d(x, w, strides, padding, dilations),
                               rtol=1e-4, atol=1e-4)
    check_gradients(lambda x, w: tf.nn.conv3d(x, w, [1, *strides, 1], padding,
                                              dilations=[1, *dilations, 1]), x, w, order=2)


def test_conv3d_channels_first_and_errors(rng):
    x = rng.standard_normal((2, 3, 4, 4, 2)).astype(np.float32)
    w = rng.standard_normal((2, 2, 2, 2, 3)).astype(np.float32)
    expected = tf.nn.conv3d(x, w, [1] * 5, "VALID").numpy()
    nc = tf.nn.conv3d(x.transpose(0, 4, 1, 2, 3), w, [1] * 5, "VALID", data_format="NCDHW")
    np.testing.assert_allclose(nc.numpy(), expected.transpose(0, 4, 1, 2, 3), rtol=1e-6)
    # errors as TensorFlow 2.21 raises them
    with pytest.raises(TypeError, match="Expected list for 'strides' argument to 'conv3d'"):
        tf.nn.conv3d(x, w, 1, "VALID")
    with pytest.raises(InvalidArgumentError, match="must be at least minimum 5"):
        tf.nn.conv3d(x, w, [1, 1, 1], "VALID")
    with pytest.raises(UnimplementedError, match="strides in the batch and depth"):
        tf.nn.conv3d(x, w, [2, 1, 1, 1, 1], "VALID")
    with pytest.raises(InvalidArgumentError, match="input and filter must have the same "
                                                   "depth: 2 vs 1"):
        tf.nn.conv3d(x, w[:, :, :, :1], [1] * 5, "VALID")
    with pytest.raises(TypeError, match="Expected string for argument 'padding'"):
        tf.nn.conv3d(x, w, [1] * 5, [[0, 0]] * 5)


@pytest.mark.parametrize("strides, padding", [([1, 1, 1, 1], "VALID"), ([1, 2, 2, 1], "SAME")])
def test_separable_conv2d_is_depthwise_then_pointwise(strides, padding, rng):
    x = rng.standard_normal((2, 6, 7, 3)).astype(np.float32)
    depthwise = rng.standard_normal((3, 3, 3, 2)).astype(np.float32)
    pointwise = rng.standard_normal((1, 1, 6, 4)).astype(np.float32)
    y = tf.nn.separable_conv2d(x, depthwise, pointwise, strides, padding)
    stacked = depthwise.reshape(3, 3, 1, 6)  # channel-major, as depthwise_conv2d orders them
    expected = reference_conv2d(reference_conv2d(x, stacked, _norm(strides), padding),
                                pointwise)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-4, atol=1e-4)
    check_gradients(lambda x, d, p: tf.nn.separable_conv2d(x, d, p, strides, padding),
                    x, depthwise, pointwise, order=1)
    with pytest.raises(ValueError, match="pointwise_filter"):
        tf.nn.separable_conv2d(x, depthwise, pointwise[0], strides, padding)


@pytest.mark.parametrize("output_shape, stride, padding", [
    ([2, 7, 4], 1, "VALID"), ([2, 10, 4], 2, "SAME"), ([2, 11, 4], 2, "VALID")])
def test_conv1d_transpose_is_the_input_gradient_of_conv1d(output_shape, stride, padding, rng):
    x = rng.standard_normal((2, 5, 3)).astype(np.float32)
    w = rng.standard_normal((3, 4, 3)).astype(np.float32)
    y = tf.nn.conv1d_transpose(x, w, output_shape, stride, padding)
    z = tf.constant(np.zeros(output_shape, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(z)
        forward = conv1d(z, w, stride, padding)
    expected = tape.gradient(forward, z, output_gradients=tf.constant(x))
    np.testing.assert_allclose(y.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)
    channels_first = tf.nn.conv1d_transpose(x.transpose(0, 2, 1), w,
                                            [output_shape[0], 4, output_shape[1]], stride,
                                            padding, data_format="NCW")
    np.testing.assert_allclose(channels_first.numpy(), y.numpy().transpose(0, 2, 1), rtol=1e-6)
    check_gradients(lambda x, w: tf.nn.conv1d_transpose(x, w, output_shape, stride, padding),
                    x, w, order=1)


def test_convolution_dispatches_on_the_filter_rank(rng):
    x1 = rng.standard_normal((2, 9, 3)).astype(np.float32)
    w1 = rng.standard_normal((3, 3, 2)).astype(np.float32)
    np.testing.assert_allclose(tf.nn.convolution(x1, w1, strides=2, padding="SAME").numpy(),
                               conv1d(x1, w1, 2, "SAME").numpy(), rtol=1e-6)
    x2 = rng.standard_normal((2, 6, 7, 3)).astype(np.float32)
    w2 = rng.standard_normal((3, 2, 3, 4)).astype(np.float32)
    np.testing.assert_allclose(tf.nn.convolution(x2, w2, dilations=[2, 1]).numpy(),
                               conv2d(x2, w2, 1, "VALID", dilations=[2, 1]).numpy(), rtol=1e-6)
    x3 = rng.standard_normal((1, 3, 5, 4, 2)).astype(np.float32)
    w3 = rng.standard_normal((2, 2, 2, 2, 3)).astype(np.float32)
    nc = tf.nn.convolution(x3.transpose(0, 4, 1, 2, 3), w3, strides=[1, 2, 1],
                           data_format="NCDHW")
    np.testing.assert_allclose(nc.numpy(), tf.nn.conv3d(x3, w3, [1, 1, 2, 1, 1], "VALID")
                               .numpy().transpose(0, 4, 1, 2, 3), rtol=1e-6)
    # as TensorFlow 2.21 words it
    with pytest.raises(ValueError, match="`num_spatial_dims` must be 1, 2, or 3"):
        tf.nn.convolution(x1, np.ones((2,) * 6, np.float32))


def test_pool3d_matches_reference(rng):
    x = rng.permutation(2 * 5 * 4 * 6 * 2).reshape(2, 5, 4, 6, 2).astype(np.float32)
    for kind, pool in (("max", tf.nn.max_pool3d), ("avg", tf.nn.avg_pool3d)):
        y = pool(x, [2, 3, 2], [2, 1, 2], "SAME")
        np.testing.assert_allclose(y.numpy(), reference_pool(x, (2, 3, 2), (2, 1, 2), "SAME",
                                                             kind), rtol=1e-6)
        nc = pool(x.transpose(0, 4, 1, 2, 3), 2, 2, "VALID", data_format="NCDHW")
        np.testing.assert_allclose(nc.numpy(), pool(x, 2, 2, "VALID").numpy().transpose(
            0, 4, 1, 2, 3))


# --- errors ---------------------------------------------------------------------------------

def _x_w():
    return np.zeros((2, 5, 5, 3), np.float32), np.zeros((3, 3, 3, 4), np.float32)


@pytest.mark.parametrize("call, error, fragment", [
    (lambda x, w: conv2d(x, w[:, :, :2], 1, "SAME"), InvalidArgumentError,
     "input depth must be evenly divisible by filter depth: 3 vs 2"),
    (lambda x, w: conv2d(np.zeros((2, 5, 5, 6), np.float32), w[..., :3], 1, "SAME"),
     InvalidArgumentError, "output depth must be evenly divisible by number of groups: 3 vs 2"),
    (lambda x, w: conv2d(x, w, 1, "same"), InvalidArgumentError,
     "Value for attr 'padding' of \"same\" is not in the list of allowed values"),
    (lambda x, w: conv2d(x, w, 1, 3), TypeError, "Expected string for argument 'padding'"),
    (lambda x, w: conv2d(x[0], w, 1, "SAME"), InvalidArgumentError,
     "convolution input must be 4-dimensional: [5,5,3]"),
    (lambda x, w: conv2d(x, w[0], 1, "SAME"), InvalidArgumentError,
     "convolution filter must be 4-dimensional: [3,3,4]"),
    (lambda x, w: conv2d(x, w, [2, 1, 1], "SAME"), ValueError,
     "strides should be of length 1, 2 or 4. Received: strides=[2, 1, 1] of length 3"),
    (lambda x, w: conv2d(x, w, [2, 1, 1, 1], "SAME"), UnimplementedError,
     "strides in the batch and depth dimensions"),
    (lambda x, w: conv2d(x, w, 0, "SAME"), InvalidArgumentError, "strides should be larger"),
    (lambda x, w: conv2d(x, w, 1, "SAME", dilations=0), InvalidArgumentError,
     "Dilated rates should be larger than 0"),
    (lambda x, w: conv2d(x, w, 1, [[1, 2], [0, 1]]), ValueError,
     "When padding is a list, it must be of size 4"),
    (lambda x, w: conv2d(x, w, 1, [0, 0, 1, 2, 0, 1, 0, 0]), ValueError,
     "must be a list/tuple of size 2"),
    (lambda x, w: conv2d(x, w, 1, [[1, 0], [1, 2], [0, 1], [0, 0]]), InvalidArgumentError,
     "Nonzero explicit padding in the batch or depth dimensions"),
    (lambda x, w: conv2d(x, w, 1, [[0, 0], [-1, 2], [0, 1], [0, 0]]), InvalidArgumentError,
     "must be nonnegative"),
    (lambda x, w: conv2d(x, np.zeros((8, 3, 3, 4), np.float32), 1, "VALID"),
     InvalidArgumentError,
     "Computed output size would be negative: -2 [input_size: 5, effective_filter_size: 8"),
    (lambda x, w: conv2d(x, w, 1, "SAME", data_format="NWHC"), InvalidArgumentError,
     "Value for attr 'data_format' of \"NWHC\""),
    (lambda x, w: conv2d(tf.constant(x), tf.constant(w, tf.float64), 1, "SAME"),
     InvalidArgumentError, "Conv2D"),
    (lambda x, w: conv1d(x[:, 0], w[0], [1, 2], "SAME"), ValueError,
     "stride should be of length 1, 1 or 3"),
    (lambda x, w: conv1d(x[:, 0], w[0], 1, "SAME", data_format="XYZ"), ValueError,
     "`data_format` must be 'NWC' or 'NCW'"),
    (lambda x, w: conv2d_transpose(x[:, :3, :3, :], w[..., :2], [2, 5, 5, 3], 2),
     InvalidArgumentError, "filter and out_backprop must have the same out_depth: 2 vs 3"),
    (lambda x, w: conv2d_transpose(x[:, :3, :3, :], w[..., :3], [2, 7, 7, 3], 2),
     InvalidArgumentError, "Size of out_backprop doesn't match computed: actual = 3, "
                           "computed = 4"),
    (lambda x, w: conv2d_transpose(x[:, :3, :3, :], w[..., :3], [3, 5, 5, 3], 2),
     InvalidArgumentError, "the same batch size"),
    (lambda x, w: conv2d_transpose(x[:, :3, :3, :], w[..., :3], [5, 5, 3], 2),
     InvalidArgumentError, "input_sizes to contain 4 values or 2 values, but got: 3"),
    (lambda x, w: depthwise_conv2d(x, w[:, :, :2], [1, 1, 1, 1], "SAME"),
     InvalidArgumentError, "input and filter must have the same depth: 3 vs 2"),
    (lambda x, w: depthwise_conv2d(x, w, 1, "SAME"), TypeError, "Expected list for 'strides'"),
    (lambda x, w: depthwise_conv2d(x, w, [2, 2], "SAME"), InvalidArgumentError,
     "strides field must specify 4 dimensions"),
    (lambda x, w: depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME", dilations=[2, 2]), ValueError,
     "all values of strides must be 1"),
    (lambda x, w: depthwise_conv2d(x.astype(np.int32), w.astype(np.int32), [1, 1, 1, 1],
                                   "SAME"), InvalidArgumentError, "Value for attr 'T' of int32"),
    (lambda x, w: max_pool2d(x, [2, 2, 2], 1, "SAME"), ValueError,
     "ksize should be of length 1, 2 or 4. Received: ksize=[2, 2, 2] of length 3"),
    (lambda x, w: max_pool2d(x, [2, 2, 2, 1], 1, "SAME"), UnimplementedError,
     "not yet supported on the batch"),
    (lambda x, w: max_pool2d(x, 0, 1, "SAME"), InvalidArgumentError,
     "Sliding window ksize must be positive"),
    (lambda x, w: avg_pool2d(x, 2, 0, "SAME"), InvalidArgumentError,
     "Stride must be > 0, but got 0"),
    (lambda x, w: avg_pool2d(x, 2, 1, [[0, 0], [1, 1], [1, 1], [0, 0]]), TypeError,
     "Expected string for argument 'padding'"),
    (lambda x, w: avg_pool2d(x, 2, 1, "FULL"), InvalidArgumentError,
     "Value for attr 'padding' of \"FULL\""),
    (lambda x, w: max_pool2d(x[0], 2, 1, "SAME"), InvalidArgumentError,
     "input must be 4-dimensional: [5,5,3]"),
    (lambda x, w: max_pool2d(x, 2, 1, [[0, 0], [0, 0], [2, 0], [0, 0]]), InvalidArgumentError,
     "Left padding 2 needs to be smaller than the window size 2"),
    (lambda x, w: max_pool2d(x, 8, 1, "VALID"), InvalidArgumentError,
     "Computed output size would be negative: -2"),
    (lambda x, w: avg_pool2d(x.astype(np.int32), 2, 1, "SAME"), InvalidArgumentError,
     "Value for attr 'T' of int32"),
    (lambda x, w: max_pool(x[0, 0], 2, 1, "SAME"), ValueError,
     "`input.shape.rank` must be 3, 4 or 5. Received: input.shape=(5, 3) of rank 2."),
    (lambda x, w: max_pool1d(x[:, 0], [2, 2], 1, "SAME"), ValueError,
     "ksize should be of length 1, 1 or 3"),
])
def test_errors(call, error, fragment):
    x, w = _x_w()
    with pytest.raises(error) as info:
        call(x, w)
    assert fragment in str(info.value)


# --- live comparison with TensorFlow --------------------------------------------------------

def test_against_tensorflow(rng):
    tf_real = pytest.importorskip("tensorflow")
    for x_shape, w_shape, strides, padding, _ in CONV_CASES[:7]:
        x = rng.standard_normal(x_shape).astype(np.float32)
        w = rng.standard_normal(w_shape).astype(np.float32)
        xr, wr = tf_real.constant(x), tf_real.constant(w)
        with tf_real.GradientTape() as tape:
            tape.watch([xr, wr])
            yr = tf_real.nn.conv2d(xr, wr, strides, padding)
        expected = [yr.numpy()] + [g.numpy() for g in tape.gradient(yr, [xr, wr])]
        xe, we = tf.constant(x), tf.constant(w)
        with tf.GradientTape() as tape:
            tape.watch([xe, we])
            ye = conv2d(xe, we, strides, padding)
        ours = [ye.numpy()] + [g.numpy() for g in tape.gradient(ye, [xe, we])]
        for a, b in zip(ours, expected):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
    x = rng.standard_normal((2, 7, 6, 3)).astype(np.float32)
    for ours, theirs in ((max_pool2d, tf_real.nn.max_pool2d), (avg_pool2d, tf_real.nn.avg_pool2d)):
        np.testing.assert_allclose(ours(x, 3, 2, "SAME").numpy(),
                                   theirs(x, 3, 2, "SAME").numpy(), rtol=1e-6)


@pytest.mark.parametrize("shape, ksize", [((3, 9, 7, 4), (2, 2)), ((2, 9, 10, 3), (3, 3)),
                                          ((2, 7, 5), (2,)), ((2, 6, 6, 6, 2), (2, 2, 2)),
                                          ((2, 5, 7, 3), (1, 3))])
def test_tiled_max_pool_gradient_equals_the_tap_by_tap_one(shape, ksize, rng):
    # Windows that tile the input take a one-comparison path; ties (the zeros after a
    # relu) still go to each window's first maximum, as TensorFlow's MaxPoolGrad does.
    from eagerflow.ops import pool_ops
    for x in (rng.standard_normal(shape).astype("float32"),
              np.maximum(np.round(rng.standard_normal(shape)), 0).astype("float32")):
        y = pool_ops._max_pool_forward(x, ksize, ksize, "VALID")
        dy = rng.standard_normal(y.shape).astype("float32")
        pads, padded, taps = pool_ops._first_max_taps(x, y, ksize, ksize, "VALID")
        expected = np.zeros(padded, "float32")
        for index, hit in taps:
            np.multiply(hit, dy, out=expected[index])
        np.testing.assert_array_equal(pool_ops._max_pool_grad_forward(x, y, dy, ksize, ksize,
                                                                      "VALID"), expected)
