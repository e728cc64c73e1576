"""The one table of keras.ops cases: which function, on which inputs, with which arguments.

Read by tests/keras/ops/test_ops_table.py (eagerflow) and by
tests/keras/ops/fixtures/record_keras_ops.py (real Keras 3, which records the expected values,
dtypes and symbolic shapes into fixtures/keras_ops_values.json). Plain NumPy only here.
"""

import numpy as np


class Case:
    """`ops.<path>(*args, **kwargs)`; `grad` lists the arguments whose gradient is checked,
    `symbolic` whether the op is also run on KerasTensors of the arrays' shapes."""

    def __init__(self, path, *args, grad=(), symbolic=True, rtol=1e-5, reference=None,
                 **kwargs):
        self.path, self.args, self.kwargs = path, args, kwargs
        self.grad, self.symbolic, self.rtol = grad, symbolic, rtol
        # A NumPy function of the arguments, for where Keras on TensorFlow is wrong or
        # raises (its sparsemax, its adaptive pooling): the test checks against it instead.
        self.reference = reference

    @property
    def name(self):
        return self.path


_rng = np.random.default_rng(20260)


def f32(*shape, low=-2.0, high=2.0):
    return _rng.uniform(low, high, shape).astype(np.float32)


def pos(*shape):
    return f32(*shape, low=0.5, high=2.0)


def unit(*shape):
    return f32(*shape, low=-0.9, high=0.9)


def i32(*shape, low=-5, high=6):
    return _rng.integers(low, high, shape).astype(np.int32)


def spd(n):
    a = f32(n, n)
    return (a @ a.T + n * np.eye(n)).astype(np.float32)


def probs(*shape):
    p = pos(*shape)
    return (p / p.sum(-1, keepdims=True)).astype(np.float32)


def _sparsemax(z):
    """Sparsemax along the last axis, sorting each row (Martins & Astudillo 2016)."""
    ordered = -np.sort(-z, -1)
    k = np.arange(1, z.shape[-1] + 1)
    support = 1 + k * ordered > np.cumsum(ordered, -1)
    tau = ((ordered * support).sum(-1, keepdims=True) - 1) / support.sum(-1, keepdims=True)
    return np.maximum(z - tau, 0).astype(z.dtype)


def _adaptive(reduce, x, size):
    """Adaptive pooling of channels-last `x`, bin i of n covering
    [floor(i * n / k), ceil((i + 1) * n / k))."""
    for axis, bins in enumerate(size, start=1):
        n = x.shape[axis]
        x = np.concatenate([reduce(np.take(x, range(i * n // bins, -(-(i + 1) * n // bins)),
                                           axis), axis=axis, keepdims=True)
                            for i in range(bins)], axis)
    return x


def _lu(a):
    """Doolittle LU with partial pivoting of one matrix; pivots as Keras on TF gives them
    (where each original row ends up)."""
    a, n = a.astype(np.float64), a.shape[0]
    order = np.arange(n)
    for k in range(n):
        p = k + int(np.argmax(np.abs(a[k:, k])))
        a[[k, p]], order[[k, p]] = a[[p, k]], order[[p, k]]
        a[k + 1:, k] /= a[k, k]
        a[k + 1:, k + 1:] -= np.outer(a[k + 1:, k], a[k, k + 1:])
    return a.astype(np.float32), np.argsort(order).astype(np.int32)


def _batched_lu(a):
    factors = [_lu(m) for m in a]
    return np.stack([f[0] for f in factors]), np.stack([f[1] for f in factors])


CASES = [Case("numpy." + name, f32(2, 3), grad=(0,)) for name in (
    "abs", "negative", "square", "exp", "expm1", "sin", "cos", "tanh", "arctan", "sinh",
    "cosh", "arcsinh", "cbrt", "deg2rad", "rad2deg", "sign", "floor", "ceil", "trunc", "round",
    "copy", "exp2", "sinc", "fabs")]
CASES += [Case("numpy." + name, pos(2, 3), grad=(0,)) for name in (
    "log", "log1p", "log2", "log10", "sqrt", "reciprocal", "i0")]
CASES += [Case("numpy.arccosh", pos(2, 3) + 1.0, grad=(0,))]
CASES += [Case("numpy." + name, unit(2, 3), grad=(0,)) for name in (
    "arcsin", "arccos", "arctanh", "tan")]
CASES += [Case("numpy." + name, i32(2, 3)) for name in (
    "abs", "negative", "square", "sign", "sqrt", "exp", "logical_not", "isnan", "isfinite",
    "round", "floor", "signbit", "bitwise_invert")]
CASES += [Case("numpy." + name, f32(2, 3), f32(2, 3), grad=(0, 1)) for name in (
    "add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum",
    "arctan2", "hypot", "logaddexp", "logaddexp2")]
CASES += [Case("numpy." + name, f32(2, 3), f32(3)) for name in (
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and",
    "logical_or", "logical_xor", "floor_divide", "mod", "fmod", "heaviside",
    "divide_no_nan", "nextafter")]
# Integer division is not run on KerasTensors: their probe values (zeros) would divide by 0.
CASES += [Case("numpy." + name, i32(2, 3), i32(2, 3, low=1),
               symbolic=name not in ("floor_divide", "mod", "fmod")) for name in (
    "add", "multiply", "floor_divide", "mod", "fmod", "gcd", "lcm", "bitwise_and", "bitwise_or",
    "bitwise_xor", "maximum", "divide", "power")]
CASES += [
    Case("numpy.add", i32(2, 3), f32(2, 3), grad=(1,)),
    Case("numpy.add", i32(2, 3), 2.5),
    Case("numpy.multiply", f32(2, 3).astype(np.float16), 3),
    Case("numpy.add", i32(3).astype(np.int8), i32(3).astype(np.uint8)),
    Case("numpy.add", f32(3).astype(np.float16), f32(3)),
    Case("numpy.subtract", f32(3).astype(np.float64), i32(3)),
    Case("numpy.power", pos(2, 3), f32(2, 3), grad=(0, 1)),
    Case("numpy.ldexp", f32(2, 3), i32(2, 3, low=-2, high=3)),
    Case("numpy.matmul", f32(2, 3), f32(3, 4), grad=(0, 1)),
    Case("numpy.matmul", f32(2, 2, 3), f32(3), grad=(0, 1)),
    Case("numpy.matmul", i32(2, 3), f32(3, 2)),
    Case("numpy.dot", f32(2, 3), f32(3, 4), grad=(0, 1)),
    Case("numpy.tensordot", f32(2, 3, 4), f32(3, 4, 5), axes=2, grad=(0, 1)),
    Case("numpy.inner", f32(2, 3), f32(4, 3), grad=(0, 1)),
    Case("numpy.outer", f32(3), f32(4), grad=(0, 1)),
    Case("numpy.vdot", f32(2, 3), f32(2, 3), grad=(0, 1)),
    Case("numpy.kron", f32(2, 2), f32(3, 1), grad=(0, 1)),
    Case("numpy.cross", f32(2, 3), f32(2, 3), grad=(0, 1)),
    Case("numpy.einsum", "ij,jk->ik", f32(2, 3), f32(3, 4), symbolic=False),
    Case("numpy.sum", f32(2, 3, 4), axis=(0, 2), grad=(0,)),
    Case("numpy.sum", i32(2, 3).astype(np.int8), axis=1),
    Case("numpy.sum", i32(2, 3) > 0),
    Case("numpy.prod", f32(2, 3), axis=0, keepdims=True, grad=(0,)),
    Case("numpy.mean", f32(2, 3), axis=-1, grad=(0,)),
    Case("numpy.mean", i32(2, 3)),
    Case("numpy.max", f32(2, 3), axis=1, grad=(0,)),
    Case("numpy.min", i32(2, 3), axis=0, keepdims=True),
    Case("numpy.amax", f32(2, 3, 4), axis=(1, 2)),
    Case("numpy.amin", f32(2, 3)),
    Case("numpy.ptp", f32(2, 3), axis=1),
    Case("numpy.any", i32(2, 3), axis=0),
    Case("numpy.all", f32(2, 3) > 0, axis=1),
    Case("numpy.var", f32(2, 3), axis=1, grad=(0,)),
    Case("numpy.std", f32(2, 5), axis=0, grad=(0,)),
    Case("numpy.var", i32(4, 3)),
    Case("numpy.argmax", f32(2, 3), axis=1),
    Case("numpy.argmin", f32(2, 3)),
    Case("numpy.argmax", f32(2, 3), axis=0, keepdims=True),
    Case("numpy.count_nonzero", i32(3, 4), axis=1),
    Case("numpy.average", f32(2, 3), axis=1, weights=pos(3), symbolic=False),
    Case("numpy.median", f32(3, 5), axis=1, grad=(0,)),
    Case("numpy.quantile", f32(3, 5), [0.25, 0.5], axis=1),
    Case("numpy.percentile", f32(7), 30.0, method="lower"),
    Case("numpy.nansum", np.array([[1.0, np.nan], [2.0, 3.0]], np.float32), axis=1),
    Case("numpy.nanmean", np.array([[1.0, np.nan], [2.0, 3.0]], np.float32), axis=1),
    Case("numpy.nanmax", np.array([[1.0, np.nan], [2.0, 3.0]], np.float32), axis=1),
    Case("numpy.nanmin", np.array([[1.0, np.nan], [2.0, 3.0]], np.float32)),
    Case("numpy.nanstd", np.array([[1.0, np.nan, 4.0], [2.0, 3.0, 1.0]], np.float32), axis=1),
    Case("numpy.nanargmax", np.array([[1.0, np.nan], [2.0, 3.0]], np.float32), axis=1),
    Case("numpy.nanmedian", np.array([[1.0, np.nan, 4.0, 2.0], [np.nan] * 4], np.float32),
         axis=1),
    Case("numpy.nanquantile", np.array([[1.0, np.nan, 4.0, 2.0], [5.0, 3.0, 1.0, 0.0]],
                                       np.float32), [0.2, 0.9], axis=1, keepdims=True),
    Case("numpy.nanpercentile", np.array([1.0, np.nan, 4.0, 2.0, 8.0], np.float32), 75.0,
         method="nearest"),
    Case("numpy.quantile", f32(2, 3, 4), 0.3, axis=(0, 2), method="midpoint"),
    Case("numpy.cumsum", f32(2, 3), axis=1, grad=(0,)),
    Case("numpy.cumsum", i32(2, 3).astype(np.uint8)),
    Case("numpy.cumprod", f32(2, 3), axis=0, grad=(0,)),
    Case("numpy.zeros_like", i32(2, 3)),
    Case("numpy.ones_like", f32(2, 3), dtype="int32"),
    Case("numpy.full_like", f32(2, 3), 7),
    Case("numpy.reshape", f32(2, 3), (3, 2), grad=(0,)),
    Case("numpy.ravel", f32(2, 3), grad=(0,)),
    Case("numpy.transpose", f32(2, 3, 4), axes=(2, 0, 1), grad=(0,)),
    Case("numpy.expand_dims", f32(2, 3), axis=(0, 2)),
    Case("numpy.squeeze", f32(2, 1, 3), axis=1, grad=(0,)),
    Case("numpy.moveaxis", f32(2, 3, 4), 0, -1, grad=(0,)),
    Case("numpy.swapaxes", f32(2, 3, 4), 0, 2),
    Case("numpy.broadcast_to", f32(3), (2, 3), grad=(0,)),
    Case("numpy.append", f32(2, 3), f32(2, 3), axis=1),
    Case("numpy.tile", f32(2, 3), (2, 1, 2), grad=(0,)),
    Case("numpy.repeat", f32(2, 3), 2, axis=1, grad=(0,)),
    Case("numpy.repeat", f32(2, 3), 2),
    Case("numpy.flip", f32(2, 3), axis=1, grad=(0,)),
    Case("numpy.fliplr", f32(2, 3)),
    Case("numpy.flipud", f32(2, 3)),
    Case("numpy.rot90", f32(2, 3)),
    Case("numpy.rot90", f32(2, 3, 4), k=3, axes=(1, 2)),
    Case("numpy.roll", f32(2, 3), 1, axis=1, grad=(0,)),
    Case("numpy.roll", f32(2, 3), -2),
    Case("numpy.pad", f32(2, 3), ((1, 0), (2, 1)), grad=(0,)),
    Case("numpy.pad", f32(2, 3), ((1, 1), (1, 1)), mode="reflect"),
    Case("numpy.pad", f32(2, 3), ((0, 1), (1, 1)), constant_values=5.0),
    Case("numpy.diagonal", f32(3, 4), offset=1),
    Case("numpy.diagonal", f32(2, 3, 3), axis1=1, axis2=2),
    Case("numpy.diag", f32(3), k=1),
    Case("numpy.diag", f32(3, 4)),
    Case("numpy.diagflat", f32(2, 2)),
    Case("numpy.trace", f32(3, 3), grad=(0,)),
    Case("numpy.tril", f32(3, 4), grad=(0,)),
    Case("numpy.triu", f32(2, 3, 3), k=1),
    Case("numpy.take", f32(4, 3), np.array([3, 0, -1], np.int32), axis=0, grad=(0,)),
    Case("numpy.take", f32(4, 3), np.array([[5, 1]], np.int32)),
    Case("numpy.take_along_axis", f32(3, 4), np.array([[0], [3], [1]], np.int32), axis=1,
         grad=(0,)),
    Case("numpy.take_along_axis", f32(3, 4), np.array([[0, 2, 1, 1]], np.int32), axis=0),
    Case("numpy.where", f32(2, 3) > 0, f32(2, 3), f32(2, 3), grad=(1, 2)),
    Case("numpy.where", f32(2, 3) > 0, i32(2, 3), 1.5),
    Case("numpy.clip", f32(2, 3), -0.5, 0.5, grad=(0,)),
    Case("numpy.clip", i32(2, 3), -1, 2),
    Case("numpy.round", f32(2, 3) * 100, decimals=-1),
    Case("numpy.round", f32(2, 3), decimals=2),
    Case("numpy.nan_to_num", np.array([np.nan, np.inf, -np.inf, 1.0], np.float32)),
    Case("numpy.isclose", f32(2, 3), f32(2, 3)),
    Case("numpy.isin", i32(2, 3), np.array([1, 2, 3], np.int32)),
    Case("numpy.sort", f32(2, 5), axis=1, grad=(0,)),
    Case("numpy.sort", f32(2, 5), axis=0),
    Case("numpy.argsort", f32(2, 5)),
    Case("numpy.searchsorted", np.array([1.0, 2.0, 3.0, 4.0], np.float32), f32(5),
         side="right"),
    Case("numpy.digitize", f32(5), np.array([-1.0, 0.0, 1.0], np.float32)),
    Case("numpy.diff", f32(2, 5), n=2, grad=(0,)),
    Case("numpy.correlate", f32(5), f32(3), mode="full", symbolic=False),
    Case("numpy.correlate", f32(5), f32(3), symbolic=False),
    Case("numpy.trapezoid", f32(2, 5), grad=(0,)),
    Case("numpy.vander", f32(3), N=4),
    Case("numpy.corrcoef", f32(3, 5), symbolic=False),  # Keras's spec says (3, 5)
    Case("numpy.logsumexp" if False else "math.logsumexp", f32(2, 3), axis=1, grad=(0,)),
    Case("math.rsqrt", pos(2, 3), grad=(0,)),
    Case("math.erf", f32(2, 3), grad=(0,)),
    Case("math.erfc", f32(2, 3)),
    Case("math.erfinv", unit(2, 3)),
    Case("math.segment_sum", f32(4, 2), np.array([0, 0, 1, 2], np.int32), grad=(0,),
         symbolic=False),
    Case("math.segment_max", f32(4, 2), np.array([0, 0, 1, 2], np.int32), num_segments=3),
    Case("math.top_k", f32(2, 5), 3),
    Case("math.in_top_k", np.array([1, 2], np.int32), f32(2, 5), 2),
    Case("math.extract_sequences", f32(2, 10), 4, 3),
    Case("math.logdet", spd(3)),
    Case("math.fft", (f32(2, 6), f32(2, 6)), symbolic=False),
    Case("math.fft2", (f32(2, 3, 4), f32(2, 3, 4)), symbolic=False),
    Case("math.ifft2", (f32(3, 4), f32(3, 4)), symbolic=False),
    Case("math.rfft", f32(2, 7), grad=(0,), symbolic=False),
    Case("math.rfft", f32(2, 7), fft_length=10, symbolic=False),
    Case("math.irfft", (f32(2, 5), f32(2, 5)), symbolic=False),
    Case("math.irfft", (f32(2, 5), f32(2, 5)), fft_length=7, symbolic=False),
    Case("math.stft", f32(2, 40), 8, 4, 8, symbolic=False, rtol=1e-4),
    Case("math.stft", f32(40), 6, 3, 8, window="hamming", center=False, grad=(0,),
         symbolic=False, rtol=1e-4),
    Case("math.istft", (f32(2, 11, 5), f32(2, 11, 5)), 8, 4, 8, symbolic=False, rtol=1e-4),
    Case("math.istft", (f32(9, 5), f32(9, 5)), 6, 2, 8, length=15, symbolic=False,
         rtol=1e-4),
    Case("math.istft", (f32(9, 5), f32(9, 5)), 8, 3, 8, window=None, center=False,
         symbolic=False, rtol=1e-4),
    Case("nn.relu", f32(2, 3), grad=(0,)),
    Case("nn.relu6", f32(2, 3) * 4),
    Case("nn.sigmoid", f32(2, 3), grad=(0,)),
    Case("nn.softplus", f32(2, 3), grad=(0,)),
    Case("nn.softsign", f32(2, 3)),
    Case("nn.silu", f32(2, 3), grad=(0,)),
    Case("nn.log_sigmoid", f32(2, 3), grad=(0,)),
    Case("nn.leaky_relu", f32(2, 3), negative_slope=0.1),
    Case("nn.hard_sigmoid", f32(2, 3) * 3),
    Case("nn.hard_silu", f32(2, 3) * 3),
    Case("nn.elu", f32(2, 3), grad=(0,)),
    Case("nn.selu", f32(2, 3)),
    Case("nn.celu", f32(2, 3), alpha=0.5),
    Case("nn.gelu", f32(2, 3), grad=(0,)),
    Case("nn.gelu", f32(2, 3), approximate=False),
    Case("nn.glu", f32(2, 4)),
    Case("nn.softmax", f32(2, 3), grad=(0,)),
    Case("nn.softmax", f32(2, 3), axis=0),
    Case("nn.log_softmax", f32(2, 3), grad=(0,)),
    Case("nn.sparsemax", f32(2, 4), reference=lambda z: _sparsemax(z)),
    Case("nn.squareplus", f32(2, 3)),
    Case("nn.tanh_shrink", f32(2, 3)),
    Case("nn.soft_shrink", f32(2, 3)),
    Case("nn.hard_shrink", f32(2, 3)),
    Case("nn.hard_tanh", f32(2, 3)),
    Case("nn.sparse_plus", f32(2, 3)),
    Case("nn.sparse_sigmoid", f32(2, 3)),
    Case("nn.threshold", f32(2, 3), 0.3, -1.0),
    Case("nn.one_hot", np.array([0, 2, -1, 1], np.int32), 3),
    Case("nn.one_hot", np.array([[0, 2], [1, 1]], np.int32), 3, axis=0, dtype="int32"),
    Case("nn.multi_hot", np.array([[0, 2], [1, 1]], np.int32), 4, symbolic=False),
    Case("nn.binary_crossentropy", (f32(2, 3) > 0).astype(np.float32), probs(2, 3),
         grad=(1,)),
    Case("nn.binary_crossentropy", (f32(2, 3) > 0).astype(np.float32), f32(2, 3),
         from_logits=True, grad=(1,)),
    Case("nn.categorical_crossentropy", probs(2, 3), probs(2, 3), grad=(1,)),
    Case("nn.categorical_crossentropy", probs(2, 3), f32(2, 3), from_logits=True, grad=(1,)),
    Case("nn.sparse_categorical_crossentropy", np.array([0, 2], np.int32), probs(2, 3),
         grad=(1,)),
    Case("nn.sparse_categorical_crossentropy", np.array([0, 2], np.int32), f32(2, 3),
         from_logits=True, grad=(1,)),
    Case("nn.moments", f32(2, 3, 4), (0, 1), grad=(0,)),
    Case("nn.moments", f32(2, 3), (1,), keepdims=True),
    Case("nn.batch_normalization", f32(2, 3), f32(3), pos(3), axis=1, offset=f32(3),
         scale=f32(3), grad=(0, 1, 2), symbolic=False),
    Case("nn.normalize", f32(2, 3), grad=(0,)),
    Case("nn.normalize", f32(2, 3), axis=0, order=1),
    Case("nn.layer_normalization", f32(2, 5), symbolic=False),
    Case("nn.rms_normalization", f32(2, 5), symbolic=False),
    Case("nn.psnr", pos(2, 3), pos(2, 3), 2.0),
    Case("nn.conv", f32(2, 5, 5, 3), f32(3, 3, 3, 4), grad=(0, 1), rtol=1e-4),
    Case("nn.conv", f32(2, 7, 3), f32(3, 3, 2), strides=2, padding="same"),
    Case("nn.conv", f32(1, 3, 6, 6), f32(2, 2, 3, 2), dilation_rate=2,
         data_format="channels_first", rtol=1e-4),
    Case("nn.conv", f32(1, 4, 4, 4, 2), f32(2, 2, 2, 2, 3), padding="same", rtol=1e-4),
    Case("nn.depthwise_conv", f32(2, 5, 5, 3), f32(3, 3, 3, 2), grad=(0, 1), rtol=1e-4),
    Case("nn.depthwise_conv", f32(2, 6, 3), f32(2, 3, 1), strides=2),
    Case("nn.separable_conv", f32(2, 5, 5, 3), f32(3, 3, 3, 2), f32(1, 1, 6, 4),
         padding="same", rtol=1e-4),
    Case("nn.conv_transpose", f32(2, 4, 4, 3), f32(3, 3, 5, 3), strides=2, grad=(0, 1),
         rtol=1e-4),
    Case("nn.conv_transpose", f32(2, 4, 3), f32(3, 2, 3), strides=2, padding="same"),
    Case("nn.max_pool", f32(2, 5, 5, 3), 2, grad=(0,)),
    Case("nn.max_pool", f32(2, 7, 3), 3, strides=2, padding="same"),
    Case("nn.average_pool", f32(2, 5, 5, 3), (2, 3), strides=1, grad=(0,)),
    Case("nn.average_pool", f32(1, 2, 6, 6), 2, data_format="channels_first"),
    Case("nn.adaptive_average_pool", f32(2, 5, 7, 3), (2, 3),
         reference=lambda x, size: _adaptive(np.mean, x, size)),
    Case("nn.adaptive_max_pool", f32(2, 5, 3), 2,
         reference=lambda x, size: _adaptive(np.max, x, (size,))),
    Case("nn.depth_to_space", f32(1, 2, 2, 8), 2),
    Case("nn.space_to_depth", f32(1, 4, 4, 2), 2),
    Case("nn.unfold", f32(1, 2, 4, 5), 2, stride=(1, 2), padding=1, symbolic=False),
    Case("nn.fold", f32(1, 8, 6), (3, 4), 2, symbolic=False),
    Case("nn.dot_product_attention", f32(2, 3, 2, 4), f32(2, 5, 2, 4), f32(2, 5, 2, 4),
         grad=(0, 1, 2)),
    Case("nn.dot_product_attention", f32(1, 4, 1, 2), f32(1, 4, 1, 2), f32(1, 4, 1, 2),
         is_causal=True, scale=0.5),
    Case("nn.dot_product_attention", f32(1, 3, 2, 4), f32(1, 5, 2, 4), f32(1, 5, 2, 4),
         mask=np.tril(np.ones((3, 5), bool))[None, None], symbolic=False),
    Case("nn.dot_product_attention", f32(3, 2, 4), f32(5, 2, 4), f32(5, 2, 4),
         symbolic=False),  # Keras raises: 4-D inputs only
    Case("nn.ctc_loss", np.array([[1, 2, 0], [3, 3, 1]], np.int32), f32(2, 6, 5),
         np.array([2, 3], np.int32), np.array([6, 5], np.int32), grad=(1,), rtol=1e-4,
         symbolic=False),
    Case("nn.polar", pos(3), f32(3), symbolic=False),
    Case("linalg.det", f32(2, 3, 3), grad=(0,), rtol=1e-4),
    Case("linalg.inv", spd(3), grad=(0,), rtol=1e-4),
    Case("linalg.cholesky", spd(3), rtol=1e-4, symbolic=False),
    Case("linalg.cholesky", spd(3), upper=True, rtol=1e-4, symbolic=False),
    Case("linalg.cholesky_inverse", np.linalg.cholesky(spd(3)).astype(np.float32), rtol=1e-4,
         symbolic=False),
    Case("linalg.solve", spd(3), f32(3, 2), grad=(0, 1), rtol=1e-4),
    Case("linalg.solve_triangular", np.tril(spd(3)), f32(3, 2), lower=True, rtol=1e-4),
    Case("linalg.norm", f32(2, 3), grad=(0,)),
    Case("linalg.norm", f32(2, 3), ord=1, axis=1),
    Case("linalg.norm", f32(3, 3), ord="fro", keepdims=True),
    Case("linalg.norm", f32(3, 3), ord=np.inf, axis=(0, 1)),
    Case("linalg.norm", f32(3, 4), ord="nuc", rtol=1e-4),
    Case("linalg.matrix_rank", np.array([[1, 2], [2, 4]], np.float32)),
    Case("linalg.pinv", f32(3, 2), rtol=1e-4),
    Case("linalg.lstsq", f32(4, 2), f32(4), rtol=1e-4, symbolic=False),
    Case("linalg.lu_factor", np.array([[1, 2, 3], [4, 5, 6], [7, 8, 10]], np.float32),
         rtol=1e-4, symbolic=False),
    Case("linalg.lu_factor", f32(2, 4, 4), symbolic=False,  # Keras fails on a batch
         reference=lambda a: _batched_lu(a)),
    Case("numpy.slogdet", f32(3, 3), rtol=1e-4),
    Case("core.cast", f32(2, 3), "int32"),
    Case("core.cast", i32(2, 3), "float16"),
    Case("core.saturate_cast", f32(3) * 300, "uint8"),
    Case("core.stop_gradient", f32(2, 3)),
    Case("core.slice", f32(3, 4), (1, 1), (2, 2), grad=(0,)),
    Case("core.slice_update", f32(3, 4), (1, 2), f32(2, 2), grad=(0, 2)),
    Case("core.scatter", np.array([[0, 1], [2, 0]], np.int32), f32(2), (3, 2), grad=(1,)),
    Case("core.scatter_update", f32(3, 2), np.array([[0], [2]], np.int32), f32(2, 2),
         grad=(0, 2)),
    Case("core.unstack", f32(2, 3), axis=1),
    Case("core.rearrange", f32(2, 6, 3), "b (h w) c -> b c h w", h=2, grad=(0,),
         symbolic=False),
    Case("core.rearrange", f32(2, 3, 4), "a b c -> (c a) b", symbolic=False),
    Case("image.resize", pos(1, 4, 6, 2), (2, 3)),
    Case("image.resize", pos(1, 4, 6, 2), (3, 3), interpolation="nearest"),
    Case("image.resize", pos(4, 6, 2), (3, 3), crop_to_aspect_ratio=True),
    Case("image.resize", pos(1, 4, 6, 2), (3, 3), pad_to_aspect_ratio=True),
    Case("image.resize", pos(1, 2, 4, 6), (2, 3), data_format="channels_first"),
    Case("image.affine_transform", pos(2, 4, 5, 1),
         np.array([1.0, 0.1, 0.5, 0.0, 0.9, -0.2, 0.0, 0.0], np.float32)),
    Case("image.affine_transform", pos(1, 4, 5, 1),
         np.array([[0.9, 0.0, 0.3, 0.1, 1.1, 0.0, 0.0, 0.0]], np.float32),
         interpolation="nearest", fill_mode="reflect"),
    Case("image.crop_images", pos(1, 5, 6, 2), top_cropping=1, left_cropping=2,
         target_height=3, target_width=3),
    Case("image.pad_images", pos(1, 3, 3, 2), top_padding=1, bottom_padding=2, left_padding=1,
         right_padding=0),
    Case("image.rgb_to_grayscale", pos(2, 3, 3, 3)),
    Case("image.rgb_to_hsv", f32(1, 2, 3, 3, low=0.0, high=1.0)),
    Case("image.hsv_to_rgb", f32(1, 2, 3, 3, low=0.0, high=1.0)),
    Case("image.extract_patches", pos(1, 4, 4, 2), 2),
    Case("image.extract_patches", pos(1, 5, 5, 1), (2, 2), strides=(1, 2), padding="same"),
    Case("image.map_coordinates", f32(4, 5), f32(2, 3, low=0.0, high=4.0), 1,
         symbolic=False),
    Case("image.map_coordinates", f32(4, 5), f32(2, 3, low=-1.0, high=5.0), 0,
         fill_mode="nearest", symbolic=False),
    Case("image.gaussian_blur", pos(1, 5, 5, 2), rtol=1e-4),
    Case("image.extract_patches_3d", pos(1, 4, 4, 4, 2), 2, symbolic=False),
    Case("image.scale_and_translate", pos(1, 5, 6, 2), (1, 8, 4, 2),
         np.array([1.6, 0.7], np.float32), np.array([0.3, -0.5], np.float32), (1, 2),
         "linear", grad=(0,), symbolic=False, rtol=1e-4),
    Case("image.scale_and_translate", pos(1, 5, 6, 2), (1, 3, 9, 2),
         np.array([0.6, 1.5], np.float32), np.array([0.0, 1.0], np.float32), (1, 2),
         "cubic", symbolic=False, rtol=1e-4),
    Case("image.scale_and_translate", pos(7, 3), (4, 3), np.array([0.5], np.float32),
         np.array([0.2], np.float32), (0,), "lanczos3", antialias=False, symbolic=False,
         rtol=1e-4),
    Case("image.scale_and_translate", pos(9, 2), (4, 2), np.array([0.45], np.float32),
         np.array([0.0], np.float32), (0,), "lanczos5", symbolic=False, rtol=1e-4),
    Case("image.perspective_transform", pos(2, 6, 7, 1),
         np.array([[0, 0], [0, 6], [7, 0], [7, 6]], np.float32),
         np.array([[1, 0], [0, 5], [6, 1], [7, 6]], np.float32), rtol=1e-4),
    Case("image.ssim", f32(2, 12, 13, 2, low=0.0, high=1.0),
         f32(2, 12, 13, 2, low=0.0, high=1.0), rtol=1e-4, symbolic=False),
    Case("image.ssim", f32(1, 16, 16, 1, low=0.0, high=2.0),
         f32(1, 16, 16, 1, low=0.0, high=2.0), max_val=2.0, filter_size=5, rtol=1e-4,
         symbolic=False),
]


def case_ids():
    """Unique names for the cases: `numpy.add`, `numpy.add#2`, ..."""
    seen, ids = {}, []
    for case in CASES:
        count = seen.get(case.path, 0)
        seen[case.path] = count + 1
        ids.append(case.path if count == 0 else f"{case.path}#{count + 1}")
    return ids
