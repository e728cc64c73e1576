"""Winograd minimal filtering F(2x2, 3x3) (Lavin & Gray, 2015) for 3x3 stride-1 convolutions.

A 3x3 correlation makes a 2x2 output tile from a 4x4 input tile d with 16 multiplications
instead of 36: Y = A^T [U * V] A, with V = B^T d B the transformed input tile and
U = G g G^T the transformed filter. Over C input and F output channels the 16 products
are 16 matrix products (tiles, C) @ (C, F) -- one batched np.matmul -- and the transforms
are small matrix products over whole blocks of tiles, 4x4 tiles two apart gathered from
a strided view. All of it runs block by block over whole images (or bands of one image's
tile rows), so that a block's tiles stay in the cache from one stage to the next.

The transforms pass over four times as many values as the input and the output hold, so
they pay for the multiplications they save only with many channels on both sides and
tiles that waste few outputs: measured against conv_ops' direct kernels (float32, one
thread), from 64 channels in and out; with 32 or fewer the direct kernels are faster.
The input gradient of such a convolution is another one (the padded output gradient
correlated with the flipped filters), so conv_ops sends it here too; the filter gradient
by tiles measured slower than the direct one at every size tried.
"""

import functools
import itertools

import numpy as np
from numpy.lib.stride_tricks import as_strided

from eagerflow.ops.conv_blocks import blocks as grid_blocks

# F(2x2, 3x3): input tile transform B^T, filter transform G, output transform A^T.
_BT = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]])
_G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])
_AT = np.array([[1, 1, 1, 0], [0, 1, -1, -1]])

# Each block's tile buffers (gathered and transformed tiles, products) take about this
# many bytes: half a core's L2 cache measured fastest.
_BLOCK_BYTES = 1 << 20

# Runs here from this many input and output channels on (see the module docstring) ...
_MIN_CHANNELS = 64

# ... when its 16 products per 2x2 tile are at most this fraction of the direct kernels'
# 9 per output position: tiles past an odd edge, or over a padded output gradient's
# border, multiply zeros (7x7 outputs, 16 * 16 / (9 * 49) = 0.58, measured no faster).
_MAX_WORK = 0.55


def applies(dtype, w_shape, strides, dilations, groups, n, outputs, direct_outputs=None):
    """Whether a convolution of n images giving `outputs` (rows, cols) each is faster here
    than by the direct kernels, which compute `direct_outputs` (default `outputs`)."""
    th, tw = _tile_grid(outputs)
    rows, cols = outputs if direct_outputs is None else direct_outputs
    return (tuple(w_shape[:2]) == (3, 3) and tuple(strides) == (1, 1)
            and tuple(dilations) == (1, 1) and groups == 1
            and dtype in (np.float32, np.float64) and min(w_shape[2:]) >= _MIN_CHANNELS
            and n > 0 and min(outputs) > 0 and 16 * th * tw <= _MAX_WORK * 9 * rows * cols)


@functools.lru_cache(maxsize=None)
def _matrices(dtype):
    """The 2-D transforms as matrices on row-major flattened tiles, in `dtype`:
    B^T x B^T (16, 16), G x G (16, 9) and A^T x A^T (4, 16)."""
    return tuple(np.kron(m, m).astype(dtype) for m in (_BT, _G, _AT))


def _tile_grid(outputs):
    """Tile rows and columns covering the (OH, OW) outputs, two by two."""
    return tuple(-(-o // 2) for o in outputs)


def _fill_padded(buffer, x, images, tile_rows, pads):
    """The rows of zero-padded `x` that a block's tiles read, copied into `buffer`:
    (b, 2h + 2, 2TW + 2, C) for b images and h tile rows."""
    (top, _), (left, _) = pads
    height, width = x.shape[1:3]
    b = images.stop - images.start
    rows = 2 * (tile_rows.stop - tile_rows.start) + 2
    block = buffer[:b, :rows]
    first = 2 * tile_rows.start - top            # the input row of the block's first row
    start = min(max(-first, 0), rows)            # the block's rows that hold input rows
    stop = min(max(height - first, start), rows)
    block[:, :start] = 0
    block[:, stop:] = 0
    inside = block[:, start:stop]
    inside[:, :, :left] = 0
    inside[:, :, left + width:] = 0
    inside[:, :, left:left + width] = x[images, first + start:first + stop]
    return block


def _transformed_input(xb, gathered, transformed, b_t):
    """V = B^T d B of the 4x4 tiles, two apart, of padded block `xb`, as (16, tiles, C):
    the tiles are copied into `gathered` first, V goes to `transformed`."""
    b, rows, cols, c = xb.shape
    bn, bh, bw, bc = xb.strides
    shape = (4, 4, b, (rows - 2) // 2, (cols - 2) // 2, c)
    tiles = as_strided(xb, shape, (bh, bw, bn, 2 * bh, 2 * bw, bc), writeable=False)
    count = b * shape[3] * shape[4]
    flat = gathered[:, :count * c]
    np.copyto(flat.reshape(shape), tiles)
    v = transformed[:, :count * c]
    np.matmul(b_t, flat, out=v)
    return v.reshape(16, count, c)


def conv3x3(x, w, pads, outputs):
    """The 3x3 stride-1 convolution of NHWC `x` with HWIO `w`, `pads` (before, after) rows
    and columns of zeros around `x`, giving `outputs` (rows, cols)."""
    n, c, f = x.shape[0], x.shape[3], w.shape[3]
    b_t, g, a_t = _matrices(x.dtype)
    u = (g @ w.reshape(9, c * f)).reshape(16, c, f)
    th, tw = grid = _tile_grid(outputs)
    # A tile's buffers hold 16 values of C channels twice (gathered, transformed) and of F.
    blocks, most = grid_blocks(n, grid, max(1, _BLOCK_BYTES // (16 * (2 * c + f) * x.itemsize)))
    (images, tile_rows) = blocks[0]              # the largest block
    padded = np.empty((images.stop - images.start, 2 * (tile_rows.stop - tile_rows.start) + 2,
                       2 * tw + 2, c), x.dtype)
    gathered, transformed = (np.empty((16, most * c), x.dtype) for _ in range(2))
    products, tiles = np.empty((16, most * f), x.dtype), np.empty((4, most * f), x.dtype)
    y = np.empty((n,) + tuple(outputs) + (f,), x.dtype)
    for images, tile_rows in blocks:
        xb = _fill_padded(padded, x, images, tile_rows, pads)
        v = _transformed_input(xb, gathered, transformed, b_t)
        count = v.shape[1]
        m = products[:, :count * f].reshape(16, count, f)
        np.matmul(v, u, out=m)
        out = tiles[:, :count * f]
        np.matmul(a_t, m.reshape(16, -1), out=out)
        # Output (p, q) of tile (i, j) is y[2i + p, 2j + q]; the tiles past an odd last
        # row or column have no outputs there.
        b, h = images.stop - images.start, tile_rows.stop - tile_rows.start
        out = out.reshape(2, 2, b, h, tw, f)
        y_block = y[images, 2 * tile_rows.start:2 * tile_rows.stop]
        for p, q in itertools.product(range(2), range(2)):
            part = y_block[:, p::2, q::2]
            np.copyto(part, out[p, q, :, :part.shape[1], :part.shape[2]])
    return y
