"""`SpectralNormalization`: divides a layer's kernel by its largest singular value."""

import eagerflow as tf
from eagerflow.keras import initializers, ops
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.wrapper import Wrapper


class SpectralNormalization(Wrapper):
    """Spectral normalization (Miyato et al., 2018) of the `kernel` (or `embeddings`) of
    `layer`: in each training call, `power_iterations` steps of the power method refine
    the leading singular vector `vector_u` (a non-trainable weight), and the kernel is
    replaced by `kernel / sigma`, its spectral norm estimate. Inference calls use the
    kernel as it is.

    >>> from eagerflow import keras
    >>> layer = keras.layers.SpectralNormalization(keras.layers.Dense(3))
    >>> layer(tf.ones((2, 4)), training=True).shape
    TensorShape([2, 3])
    >>> [w.name for w in layer.weights]
    ['kernel', 'vector_u', 'bias']
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(f"`power_iterations` should be greater than zero. Received: "
                             f"`power_iterations={power_iterations}`")
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(f"{type(self.layer).__name__} object has no attribute 'kernel' "
                             f"nor 'embeddings'")
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]), name="vector_u", trainable=False,
            initializer=initializers.TruncatedNormal(stddev=0.02), dtype=self.kernel.dtype)

    def call(self, inputs, training=False):
        if training:
            vector_u, kernel = self.normalized_weights()
            # An all-zero kernel has no direction to normalize: it stays as it is.
            is_zero = tf.reduce_all(tf.equal(self.kernel, 0))
            self.vector_u.assign(tf.where(is_zero, self.vector_u, vector_u))
            self.kernel.assign(tf.where(is_zero, self.kernel, kernel))
        return tf.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """The refined `vector_u` and the kernel divided by its spectral norm estimate."""
        weights = tf.reshape(self.kernel, (-1, self.kernel_shape[-1]))
        vector_u = tf.convert_to_tensor(self.vector_u)
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(tf.matmul(vector_u, weights, transpose_b=True), axis=None)
            vector_u = ops.normalize(tf.matmul(vector_v, weights), axis=None)
        vector_u, vector_v = tf.stop_gradient(vector_u), tf.stop_gradient(vector_v)
        sigma = tf.matmul(tf.matmul(vector_v, weights), vector_u, transpose_b=True)
        kernel = tf.reshape(self.kernel / sigma, self.kernel_shape)
        return tf.cast(vector_u, self.vector_u.dtype), tf.cast(kernel, self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
