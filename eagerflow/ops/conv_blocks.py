"""Cutting a batch's grid of convolution outputs (or tiles) into cache-sized blocks."""


def blocks(n, grid, size):
    """Blocks of at most about `size` of an (n, rows, cols) grid of positions, as (images,
    rows) slices -- whole images while one fits, else bands of one image's rows -- and the
    number of positions in the largest block."""
    rows, cols = grid
    if rows * cols <= size:
        step = size // (rows * cols)
        return ([(slice(start, min(n, start + step)), slice(0, rows))
                 for start in range(0, n, step)], min(n, step) * rows * cols)
    step = max(1, size // cols)
    return ([(slice(image, image + 1), slice(top, min(rows, top + step)))
             for image in range(n) for top in range(0, rows, step)], min(rows, step) * cols)
