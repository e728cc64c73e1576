"""Conv2D forward + backward: the gradients with respect to the input and the filters
through a GradientTape, float32, VALID padding, 3x3 filters.

Prints each time as a ratio to the NumPy floor -- the forward's one im2col-shaped matrix
product, (N*H'*W', 3*3*C) @ (3*3*C, F), on a ready-made contiguous patch matrix -- and
TensorFlow's `tf.nn.conv2d` forward + backward when TensorFlow is installed (limited to
one thread, as NumPy's BLAS is by `timing`). Target: forward + backward <= 3x the floor.
The input and filter gradient rows time the two backprop primitives alone (no tape), to
show where the backward's time goes.

    OPENBLAS_NUM_THREADS=1 python benchmarks/conv.py
    PYTHONPATH=. /tmp/tfenv/bin/python benchmarks/conv.py    # with TensorFlow's figures
"""

from timing import (  # first: it pins the BLAS threads before NumPy loads
    per_call, report, single_threaded_tensorflow)

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import eagerflow as ef
from eagerflow.ops.conv_ops import _conv2d_backprop_filter, _conv2d_backprop_input, conv2d

CASES = [((64, 28, 28, 1), 32), ((64, 13, 13, 32), 64)]


def _floor_operands(x, w):
    """The contiguous (N*H'*W', kh*kw*C) patch matrix and the (kh*kw*C, F) filter matrix."""
    kh, kw, c, f = w.shape
    windows = sliding_window_view(x, (kh, kw), axis=(1, 2))  # (N, H', W', C, kh, kw)
    cols = np.ascontiguousarray(windows.transpose(0, 1, 2, 4, 5, 3)).reshape(-1, kh * kw * c)
    return cols, np.ascontiguousarray(w.reshape(kh * kw * c, f))


def _eagerflow_step(x, w, dy):
    def step():
        with ef.GradientTape() as tape:
            tape.watch([x, w])
            y = conv2d(x, w, 1, "VALID")
        return tape.gradient(y, [x, w], output_gradients=dy)
    return step


def _tensorflow_rows(tf, x, w, dy, number):
    tx, tw, tdy = tf.constant(x), tf.constant(w), tf.constant(dy)

    def step():
        with tf.GradientTape() as tape:
            tape.watch([tx, tw])
            y = tf.nn.conv2d(tx, tw, 1, "VALID")
        return tape.gradient(y, [tx, tw], output_gradients=tdy)

    step()
    return [("tensorflow forward", per_call(lambda: tf.nn.conv2d(tx, tw, 1, "VALID"),
                                            number=number)),
            ("tensorflow fwd+bwd", per_call(step, number=number))]


def measure(shape, filters, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape, dtype=np.float32)
    w = rng.standard_normal((3, 3, shape[-1], filters), dtype=np.float32)
    cols, w2 = _floor_operands(x, w)
    dy = rng.standard_normal(shape[:1] + (shape[1] - 2, shape[2] - 2, filters),
                             dtype=np.float32)
    ex, ew, edy = ef.constant(x), ef.constant(w), ef.constant(dy)
    step = _eagerflow_step(ex, ew, edy)
    gx, gw = step()
    assert gx.dtype == ef.float32 and gw.dtype == ef.float32
    number = 20
    attrs = dict(strides=(1, 1), padding="VALID", dilations=(1, 1))
    rows = [("numpy", per_call(lambda: cols @ w2, number=number)),
            ("eagerflow forward", per_call(lambda: conv2d(ex, ew, 1, "VALID"), number=number)),
            ("eagerflow input grad", per_call(lambda: _conv2d_backprop_input(
                ew, edy, input_sizes=shape, **attrs), number=number)),
            ("eagerflow filter grad", per_call(lambda: _conv2d_backprop_filter(
                ex, edy, filter_sizes=w.shape, **attrs), number=number)),
            ("eagerflow fwd+bwd", per_call(step, number=number))]
    tf = single_threaded_tensorflow()
    if tf is not None:
        rows += _tensorflow_rows(tf, x, w, dy, number)
    print(f"conv2d {shape} -> {filters} filters 3x3 VALID, float32, forward+backward:")
    report(rows)
    times = dict(rows)
    if "tensorflow fwd+bwd" in times:
        print(f"  eagerflow / tensorflow (fwd+bwd): "
              f"{times['eagerflow fwd+bwd'] / times['tensorflow fwd+bwd']:.2f}x")


if __name__ == "__main__":
    for case in CASES:
        measure(*case)
