"""`keras.ops.math`: segment reductions, top-k, log-sum-exp, special functions, framing.

>>> from eagerflow.keras import ops
>>> ops.segment_sum(tf.constant([1.0, 2.0, 3.0]), tf.constant([0, 0, 1]))
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([3., 3.], dtype=float32)>
"""

import math as _math

import eagerflow as tf
from eagerflow.keras.ops.dispatch import convert, keras_op, to_float


def _segment(reduce, data, segment_ids, num_segments):
    data, segment_ids = convert(data), tf.cast(convert(segment_ids), tf.int32)
    if num_segments is None:
        num_segments = int(tf.reduce_max(segment_ids)) + 1 if segment_ids.shape[0] else 0
    return reduce(data, segment_ids, num_segments)


@keras_op("math", operands=2)
def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(tf.math.unsorted_segment_sum, data, segment_ids, num_segments)


@keras_op("math", operands=2)
def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(tf.math.unsorted_segment_max, data, segment_ids, num_segments)


@keras_op("math", operands=2)
def segment_min(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(tf.math.unsorted_segment_min, data, segment_ids, num_segments)


@keras_op("math", operands=2)
def segment_prod(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(tf.math.unsorted_segment_prod, data, segment_ids, num_segments)


@keras_op("math")
def top_k(x, k, sorted=True):  # noqa: A002
    """The `k` largest values along the last axis and their indices (int32)."""
    values, indices = tf.math.top_k(convert(x), k=k, sorted=sorted)
    return values, tf.cast(indices, tf.int32)


@keras_op("math", operands=2)
def in_top_k(targets, predictions, k):
    return tf.math.in_top_k(tf.cast(convert(targets), tf.int32), to_float(predictions), k)


@keras_op("math")
def logsumexp(x, axis=None, keepdims=False):
    axis = list(axis) if isinstance(axis, (list, tuple)) else axis
    return tf.reduce_logsumexp(to_float(x), axis=axis, keepdims=keepdims)


@keras_op("math")
def rsqrt(x):
    return tf.math.rsqrt(to_float(x))


@keras_op("math")
def erf(x):
    return tf.math.erf(to_float(x))


@keras_op("math")
def erfc(x):
    return tf.math.erfc(to_float(x))


@keras_op("math")
def erfinv(x):
    return tf.math.erfinv(to_float(x))


@keras_op("math")
def logdet(x):
    """log(det(x)) of symmetric positive definite matrices."""
    return tf.linalg.logdet(to_float(x))


@keras_op("math")
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` every `sequence_stride` along the last axis:
    (..., frames, sequence_length)."""
    x = convert(x)
    frames = 1 + (x.shape[-1] - sequence_length) // sequence_stride
    starts = tf.range(frames) * sequence_stride
    index = starts[:, None] + tf.range(sequence_length)[None, :]
    return tf.gather(x, index, axis=len(x.shape) - 1)


def cdist(x, y):
    """Euclidean distances between the rows of `x` (..., m, d) and of `y` (..., n, d)."""
    x, y = to_float(x), to_float(y)
    difference = tf.expand_dims(x, -2) - tf.expand_dims(y, -3)
    return tf.sqrt(tf.reduce_sum(tf.square(difference), -1))


# --- Fourier transforms ------------------------------------------------------------------------
# Keras passes complex values as (real, imaginary) pairs of real tensors. The transforms are
# products with the DFT's cosine and sine matrices: exact, differentiable, O(n^2) per axis.

def _dft_matrices(rows, cols, n, dtype):
    """cos and sin of 2 pi j k / n for j < rows, k < cols."""
    angle = (2.0 * _math.pi / n) * tf.cast(
        tf.math.floormod(tf.range(rows)[:, None] * tf.range(cols)[None, :], n), dtype)
    return tf.cos(angle), tf.sin(angle)


def _complex_pair(x, name="x"):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"Input `{name}` should be a tuple of two tensors - real and "
                         f"imaginary. Received: {name}={x}")
    real, imag = to_float(x[0]), to_float(x[1])
    if tuple(real.shape) != tuple(imag.shape):
        raise ValueError(f"Input `{name}` should be a tuple of two tensors - real and "
                         f"imaginary. Both the real and imaginary parts should have the same "
                         f"shape. Received: {name}[0].shape = {tuple(real.shape)}, "
                         f"{name}[1].shape = {tuple(imag.shape)}")
    return real, imag


def _dft_last_axis(real, imag, inverse=False):
    n = real.shape[-1]
    cos, sin = _dft_matrices(n, n, n, real.dtype)
    sign = 1.0 if inverse else -1.0  # e^{-i theta} forward, e^{+i theta} inverse
    out_real = tf.matmul(real, cos) - sign * tf.matmul(imag, sin)
    out_imag = tf.matmul(imag, cos) + sign * tf.matmul(real, sin)
    if inverse:
        out_real, out_imag = out_real / float(n), out_imag / float(n)
    return out_real, out_imag


def _swap_last_two(x):
    rank = len(x.shape)
    return tf.transpose(x, list(range(rank - 2)) + [rank - 1, rank - 2])


def _dft_last_two_axes(real, imag, inverse=False):
    real, imag = _dft_last_axis(real, imag, inverse)
    real, imag = _dft_last_axis(_swap_last_two(real), _swap_last_two(imag), inverse)
    return _swap_last_two(real), _swap_last_two(imag)


def fft(x):
    """The discrete Fourier transform along the last axis of `(real, imag)`."""
    return _dft_last_axis(*_complex_pair(x))


def fft2(x):
    """The 2-D discrete Fourier transform over the last two axes of `(real, imag)`."""
    return _dft_last_two_axes(*_complex_pair(x))


def ifft2(x):
    """The inverse of `fft2`."""
    return _dft_last_two_axes(*_complex_pair(x), inverse=True)


def _fit_length(x, length):
    """`x` cut or zero-padded to `length` along the last axis."""
    size = x.shape[-1]
    if size > length:
        return x[..., :length]
    if size < length:
        return tf.pad(x, [[0, 0]] * (len(x.shape) - 1) + [[0, length - size]])
    return x


def rfft(x, fft_length=None):
    """The DFT of real `x` along its last axis: the `fft_length // 2 + 1` non-negative
    frequencies, as `(real, imag)`."""
    x = to_float(x)
    fft_length = x.shape[-1] if fft_length is None else fft_length
    x = _fit_length(x, fft_length)
    cos, sin = _dft_matrices(fft_length, fft_length // 2 + 1, fft_length, x.dtype)
    return tf.matmul(x, cos), -tf.matmul(x, sin)


def irfft(x, fft_length=None):
    """The inverse of `rfft`: real signals of `fft_length` (default 2 * (m - 1)) from the
    non-negative frequencies `(real, imag)`."""
    real, imag = _complex_pair(x)
    fft_length = 2 * (real.shape[-1] - 1) if fft_length is None else fft_length
    bins = fft_length // 2 + 1
    real, imag = _fit_length(real, bins), _fit_length(imag, bins)
    # Each frequency other than 0 (and n/2 when n is even) stands for itself and its mirror.
    weights = [1.0] + [2.0] * (bins - 1)
    if fft_length % 2 == 0:
        weights[-1] = 1.0
    weights = tf.constant(weights, real.dtype)
    cos, sin = _dft_matrices(bins, fft_length, fft_length, real.dtype)
    return (tf.matmul(real * weights, cos) - tf.matmul(imag * weights, sin)) / float(fft_length)


def _window_of(window, length, dtype):
    """A periodic window of `length` ("hann", "hamming"), a given array, or None."""
    if window is None:
        return None
    if isinstance(window, str):
        k = tf.cast(tf.range(length), dtype)
        phase = 2.0 * _math.pi * k / float(length)
        if window == "hann":
            return 0.5 - 0.5 * tf.cos(phase)
        if window == "hamming":
            return 0.54 - 0.46 * tf.cos(phase)
        raise ValueError(f"If a string is passed to `window`, it must be one of "
                         f'`"hann"`, `"hamming"`. Received: window={window}')
    window = convert(window, dtype.name)
    if len(window.shape) != 1 or window.shape[0] != length:
        raise ValueError(f"The shape of `window` must be equal to [sequence_length]. "
                         f"Received: window shape={tuple(window.shape)}")
    return window


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform of real `x` along its last axis: frames of
    `sequence_length` every `sequence_stride`, windowed, transformed with `fft_length`;
    returns `(real, imag)` of shape (..., frames, fft_length // 2 + 1)."""
    x = to_float(x)
    if fft_length < sequence_length:
        raise ValueError(f"`fft_length` must equal or larger than `sequence_length`. "
                         f"Received: sequence_length={sequence_length}, "
                         f"fft_length={fft_length}")
    if center:
        pad = [[0, 0]] * (len(x.shape) - 1) + [[fft_length // 2, fft_length // 2]]
        x = tf.pad(x, pad, mode="REFLECT")
    weights = _window_of(window, sequence_length, x.dtype)
    if weights is not None and sequence_length < fft_length:
        left = (fft_length - sequence_length) // 2
        weights = tf.pad(weights, [[left, fft_length - sequence_length - left]])
    frames = extract_sequences(x, fft_length, sequence_stride)
    if weights is not None:
        frames = frames * weights
    return rfft(frames, fft_length)


def _overlap_add(frames, stride):
    """Frames (..., count, width) summed into one signal, frame f starting at f * stride."""
    count, width = frames.shape[-2], frames.shape[-1]
    length = width + stride * (count - 1)
    positions = tf.reshape(tf.range(count)[:, None] * stride + tf.range(width)[None, :], (-1,))
    batch_shape = tuple(frames.shape[:-2])
    flat = tf.reshape(frames, (-1, count * width))
    summed = tf.math.unsorted_segment_sum(tf.transpose(flat), positions, length)
    return tf.reshape(tf.transpose(summed), batch_shape + (length,))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """The inverse of `stft`: each frame's inverse DFT, weighted by the window over the
    sum of its overlapping squares (TensorFlow's inverse-STFT window), overlap-added."""
    frames = irfft(x, fft_length)
    weights = _window_of(window, sequence_length, frames.dtype)
    if weights is not None:
        if sequence_length < fft_length:
            left = (fft_length - sequence_length) // 2
            weights = tf.pad(weights, [[left, fft_length - sequence_length - left]])
        squared = tf.square(weights)
        blocks = -(-fft_length // sequence_stride)
        squared = tf.pad(squared, [[0, blocks * sequence_stride - fft_length]])
        overlap = tf.reduce_sum(tf.reshape(squared, (blocks, sequence_stride)), 0)
        denominator = tf.reshape(tf.tile(overlap[None, :], (blocks, 1)), (-1,))[:fft_length]
        frames = frames * (weights / denominator)
    signal = _overlap_add(frames, sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = -(fft_length // 2)
    else:
        end = None
    return signal[..., start:end]
