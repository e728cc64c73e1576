"""`MelSpectrogram`: raw audio to (log-)mel spectrograms, as Keras 3 computes them."""

import eagerflow as tf
from eagerflow.keras import ops
from eagerflow.keras.layers.layer import Layer

# The HTK mel scale: mel(f) = 1127 ln(1 + f / 700).
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies):
    return _MEL_HIGH_FREQUENCY_Q * tf.math.log(1.0 + frequencies / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sampling_rate,
                                lower_edge_hertz, upper_edge_hertz, dtype="float32"):
    """The `(num_spectrogram_bins, num_mel_bins)` matrix of triangular mel filters (peaks
    of 1) over linear bins from 0 to the Nyquist frequency; the DC bin gets no weight."""
    nyquist = float(sampling_rate) / 2.0
    linear = tf.linspace(tf.constant(0.0, dtype), tf.constant(nyquist, dtype),
                         num_spectrogram_bins)[1:]
    bins_mel = tf.expand_dims(_hertz_to_mel(linear), 1)
    edges = tf.linspace(_hertz_to_mel(tf.constant(float(lower_edge_hertz), dtype)),
                        _hertz_to_mel(tf.constant(float(upper_edge_hertz), dtype)),
                        num_mel_bins + 2)
    lower, center, upper = (tf.reshape(edges[i:i + num_mel_bins], (1, num_mel_bins))
                            for i in range(3))
    rising = (bins_mel - lower) / (center - lower)
    falling = (upper - bins_mel) / (upper - center)
    weights = tf.maximum(tf.constant(0.0, dtype), tf.minimum(rising, falling))
    return tf.pad(weights, [[1, 0], [0, 0]])


class MelSpectrogram(Layer):
    """Converts audio `(samples,)` or `(batch, samples)` to mel spectrograms
    `(..., num_mel_bins, frames)`: a centred short-time Fourier transform (`window`,
    `sequence_length`, `sequence_stride`, `fft_length`), magnitudes to the power
    `mag_exp`, mel filters from `min_freq` to `max_freq`, then (with `power_to_db`)
    decibels relative to `ref_power`, floored `top_db` below the batch's maximum.

    >>> from eagerflow import keras
    >>> layer = keras.layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    >>> layer(tf.zeros((2, 160))).shape
    TensorShape([2, 8, 11])
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None,
                 window="hann", sampling_rate=16000, num_mel_bins=128, min_freq=20.0,
                 max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0, min_power=1e-10,
                 ref_power=1.0, **kwargs):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(f"`fft_length` must be greater than or equal to   "
                             f"`sequence_length`. Received: `sequence_length`="
                             f"{self.sequence_length}, `fft_length`={self.fft_length}.")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)

    def call(self, inputs):
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") \
            else "float32"
        inputs = tf.cast(inputs, dtype)
        real, imag = ops.stft(inputs, self.sequence_length, self.sequence_stride,
                              self.fft_length, window=self.window, center=True)
        spectrum = tf.pow(tf.sqrt(tf.square(real) + tf.square(imag)), self.mag_exp)
        matrix = linear_to_mel_weight_matrix(self.num_mel_bins, spectrum.shape[-1],
                                             self.sampling_rate, self.min_freq,
                                             self.max_freq, dtype)
        outputs = tf.tensordot(spectrum, matrix, axes=1)
        if self.power_to_db:
            outputs = self._decibels(outputs)
        rank = outputs.shape.rank
        outputs = tf.transpose(outputs, list(range(rank - 2)) + [rank - 1, rank - 2])
        return tf.cast(outputs, self.compute_dtype)

    def _decibels(self, power):
        def log10(x):
            return tf.math.log(x) / tf.math.log(tf.constant(10.0, x.dtype))
        decibels = 10.0 * log10(tf.maximum(power, self.min_power))
        reference = tf.maximum(tf.abs(tf.constant(self.ref_power, power.dtype)),
                               self.min_power)
        decibels = decibels - 10.0 * log10(reference)
        return tf.maximum(decibels, tf.reduce_max(decibels) - self.top_db)

    def compute_output_shape(self, input_shape):
        def frames(samples):
            return None if samples is None else (
                (samples + self.sequence_stride + 1) // self.sequence_stride)
        if len(input_shape) == 1:
            return (self.num_mel_bins, frames(input_shape[0]))
        return (input_shape[0], self.num_mel_bins, frames(input_shape[1]))

    def get_config(self):
        return {**super().get_config(), "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": self.window,
                "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq, "max_freq": self.max_freq,
                "power_to_db": self.power_to_db, "top_db": self.top_db,
                "mag_exp": self.mag_exp, "min_power": self.min_power,
                "ref_power": self.ref_power}
