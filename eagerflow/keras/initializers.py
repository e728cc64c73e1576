"""Keras initializers (`keras.initializers`): objects called as `init(shape, dtype=None)`
that return a new tensor of that shape, float32 unless `dtype` says otherwise.

Random initializers draw with `tf.random`'s stateless ops from a seed fixed when the
initializer is made, so every call of one initializer returns the same values, as in
Keras 3. An unseeded initializer picks its seed with Python's `random` module.
"""

import math
import random as python_random

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend, serialization_lib

# The standard deviation of a standard normal truncated to [-2, 2].
_TRUNCATED_NORMAL_STDDEV = 0.87962566103423978


def _dtype(dtype):
    return tf.as_dtype(backend.floatx() if dtype is None else dtype)


def _cast(value, dtype):
    """`value` as `dtype`; a Python float goes through float64, not float32 first."""
    return tf.cast(value if tf.is_tensor(value) else np.asarray(value), dtype)


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


def compute_fans(shape, input_axes=None, output_axes=None):
    """Returns `(fan_in, fan_out)` for a weight of `shape`, as Keras counts them.

    A 1-D shape has fan_in = fan_out = its size; a 2-D shape is (inputs, outputs); a
    convolution kernel `(*window, input_depth, depth)` multiplies both by the window size.
    `input_axes` and `output_axes`, when both given, name the axes to multiply instead.

    >>> from eagerflow.keras import initializers
    >>> initializers.compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = _shape(shape)
    if input_axes is not None and output_axes is not None:
        return (int(np.prod([shape[a] for a in input_axes], dtype=np.int64)),
                int(np.prod([shape[a] for a in output_axes], dtype=np.int64)))
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = int(np.prod(shape[:-2], dtype=np.int64))
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class Initializer:
    """Base class of initializers: subclasses implement `__call__(shape, dtype=None)`.

    Optionally they return their constructor arguments from `get_config()`, so that
    `from_config` can rebuild them.

    >>> from eagerflow.keras import initializers
    >>> class Twos(initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return tf.fill(shape, tf.constant(2.0, dtype or "float32"))
    >>> Twos()((2,)).numpy().tolist()
    [2.0, 2.0]
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` "
                                  "method.")

    def get_config(self):
        """Returns the constructor arguments as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Makes an initializer from the output of `get_config()`."""
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())


class Zeros(Initializer):
    """Initializer that generates tensors of zeros.

    >>> from eagerflow.keras import initializers
    >>> initializers.Zeros()((2,)).numpy().tolist()
    [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return tf.zeros(_shape(shape), dtype=_dtype(dtype))


class Ones(Initializer):
    """Initializer that generates tensors of ones.

    >>> from eagerflow.keras import initializers
    >>> initializers.Ones()((2,), dtype="int32").numpy().tolist()
    [1, 1]
    """

    def __call__(self, shape, dtype=None):
        return tf.ones(_shape(shape), dtype=_dtype(dtype))


class Constant(Initializer):
    """Initializer that fills tensors with `value` (a scalar, or anything that broadcasts
    to the requested shape).

    >>> from eagerflow.keras import initializers
    >>> initializers.Constant(3.0)((2,)).numpy().tolist()
    [3.0, 3.0]
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = _dtype(dtype)
        return _cast(self.value, dtype) * tf.ones(_shape(shape), dtype=dtype)

    def get_config(self):
        value = self.value
        if tf.is_tensor(value) or isinstance(value, (np.ndarray, np.generic)):
            value = np.asarray(value).tolist()
        return {"value": value}


class Identity(Initializer):
    """Initializer that generates `gain` times the identity matrix (2-D shapes only).

    >>> from eagerflow.keras import initializers
    >>> initializers.Identity()((2, 3)).numpy().tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        dtype = _dtype(dtype)
        return _cast(self.gain, dtype) * tf.eye(*shape, dtype=dtype)

    def get_config(self):
        return {"gain": self.gain}


class RandomInitializer(Initializer):
    """Base of the random initializers: holds the seed they draw from.

    `seed` is an integer, None (a seed is picked once, here), or a seed generator
    (an object whose `next()` returns a fresh stateless seed on every call).
    """

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = python_random.randint(1, int(1e9))
        elif not (isinstance(seed, int) or callable(getattr(seed, "next", None))):
            raise ValueError("`seed` argument should be an instance of "
                             "`keras.random.SeedGenerator()` or an integer. "
                             f"Received: seed={seed}")
        self.seed = seed

    def _stateless_seed(self):
        if isinstance(self.seed, int):
            # Keras reads the seed's low 32 bits as a signed int32.
            return [(self.seed & 0xFFFFFFFF ^ 0x80000000) - 0x80000000, 0]
        return self.seed.next()

    def _normal(self, shape, mean, stddev, dtype):
        return tf.random.stateless_normal(_shape(shape), seed=self._stateless_seed(), mean=mean,
                                          stddev=stddev, dtype=_dtype(dtype))

    def _truncated_normal(self, shape, mean, stddev, dtype):
        return tf.random.stateless_truncated_normal(_shape(shape), seed=self._stateless_seed(),
                                                    mean=mean, stddev=stddev,
                                                    dtype=_dtype(dtype))

    def _uniform(self, shape, minval, maxval, dtype):
        return tf.random.stateless_uniform(_shape(shape), seed=self._stateless_seed(),
                                           minval=minval, maxval=maxval, dtype=_dtype(dtype))

    def get_config(self):
        seed = self._init_seed
        if seed is not None and not isinstance(seed, int):
            seed = {"module": "keras.random", "class_name": type(seed).__name__,
                    "config": seed.get_config(), "registered_name": None}
        return {"seed": seed}


class _NormalInitializer(RandomInitializer):
    """Base of the initializers drawing around `mean` with spread `stddev`."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomNormal(_NormalInitializer):
    """Initializer that draws from a normal distribution with `mean` and `stddev`.

    >>> from eagerflow.keras import initializers
    >>> init = initializers.RandomNormal(mean=0.0, stddev=1.0, seed=7)
    >>> bool(tf.reduce_all(init((3,)) == init((3,))))
    True
    """

    def __call__(self, shape, dtype=None):
        return self._normal(shape, self.mean, self.stddev, dtype)


class TruncatedNormal(_NormalInitializer):
    """Initializer that draws from a normal distribution with `mean` and `stddev`,
    redrawing values more than two standard deviations from the mean.

    >>> from eagerflow.keras import initializers
    >>> values = initializers.TruncatedNormal(stddev=1.0, seed=1)((1000,))
    >>> bool(tf.reduce_max(tf.abs(values)) <= 2.0)
    True
    """

    def __call__(self, shape, dtype=None):
        return self._truncated_normal(shape, self.mean, self.stddev, dtype)


class RandomUniform(RandomInitializer):
    """Initializer that draws uniformly from `[minval, maxval)`.

    >>> from eagerflow.keras import initializers
    >>> values = initializers.RandomUniform(0.0, 1.0, seed=1)((1000,))
    >>> bool(tf.reduce_min(values) >= 0.0), bool(tf.reduce_max(values) < 1.0)
    (True, True)
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return self._uniform(shape, self.minval, self.maxval, dtype)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


class VarianceScaling(RandomInitializer):
    """Initializer whose scale adapts to the shape of the weight.

    With `n` the fan-in (`mode="fan_in"`), the fan-out (`"fan_out"`) or their mean
    (`"fan_avg"`), it draws from a normal distribution with standard deviation
    `sqrt(scale / n)` (after truncation to two standard deviations for
    `distribution="truncated_normal"`, the default), or uniformly from
    `[-limit, limit]` with `limit = sqrt(3 * scale / n)` for `"uniform"`.

    Args:
      scale: a positive scaling factor.
      mode: one of "fan_in", "fan_out", "fan_avg".
      distribution: one of "truncated_normal" ("normal"), "untruncated_normal", "uniform".
      seed: an integer, None, or a seed generator.
      input_axes, output_axes: the axes counted as inputs and outputs, instead of Keras's
        default reading of the shape (see `compute_fans`).

    >>> from eagerflow.keras import initializers
    >>> init = initializers.VarianceScaling(scale=3.0, mode="fan_in", distribution="uniform")
    >>> bool(tf.reduce_max(tf.abs(init((9, 4)))) <= 1.0)
    True
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of "
                             "{'fan_in', 'fan_out', 'fan_avg'}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(f"Invalid `distribution` argument: {distribution}.Please use one of "
                             "{'uniform', 'truncated_normal', 'untruncated_normal'}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        variance = self.scale / max(1.0, fans[self.mode])
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / _TRUNCATED_NORMAL_STDDEV
            return self._truncated_normal(shape, 0.0, stddev, dtype)
        if self.distribution == "untruncated_normal":
            return self._normal(shape, 0.0, math.sqrt(variance), dtype)
        limit = math.sqrt(3.0 * variance)
        return self._uniform(shape, -limit, limit, dtype)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling whose scale, mode and distribution are fixed by the subclass."""

    _settings = {}

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(seed=seed, input_axes=input_axes, output_axes=output_axes,
                         **self._settings)

    def get_config(self):
        return {"seed": RandomInitializer.get_config(self)["seed"],
                "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform initializer: uniform in `[-limit, limit]` with
    `limit = sqrt(6 / (fan_in + fan_out))`.

    >>> from eagerflow.keras import initializers
    >>> w = initializers.GlorotUniform(seed=0)((2, 4))
    >>> bool(tf.reduce_max(tf.abs(w)) <= 1.0)
    True
    """

    _settings = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal initializer: truncated normal with
    `stddev = sqrt(2 / (fan_in + fan_out))`.

    >>> from eagerflow.keras import initializers
    >>> initializers.GlorotNormal(seed=0)((2, 4)).shape.as_list()
    [2, 4]
    """

    _settings = {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}


class HeNormal(_FixedVarianceScaling):
    """He normal initializer: truncated normal with `stddev = sqrt(2 / fan_in)`.

    >>> from eagerflow.keras import initializers
    >>> initializers.HeNormal(seed=0)((3, 3)).dtype
    tf.float32
    """

    _settings = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


class HeUniform(_FixedVarianceScaling):
    """He uniform initializer: uniform in `[-limit, limit]` with `limit = sqrt(6 / fan_in)`.

    >>> from eagerflow.keras import initializers
    >>> w = initializers.HeUniform(seed=0)((6, 2))
    >>> bool(tf.reduce_max(tf.abs(w)) <= 1.0)
    True
    """

    _settings = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


class LecunNormal(_FixedVarianceScaling):
    """LeCun normal initializer: truncated normal with `stddev = sqrt(1 / fan_in)`.

    >>> from eagerflow.keras import initializers
    >>> initializers.LecunNormal(seed=0)((3, 3)).shape.as_list()
    [3, 3]
    """

    _settings = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform initializer: uniform in `[-limit, limit]` with `limit = sqrt(3 / fan_in)`.

    >>> from eagerflow.keras import initializers
    >>> w = initializers.LecunUniform(seed=0)((3, 2))
    >>> bool(tf.reduce_max(tf.abs(w)) <= 1.0)
    True
    """

    _settings = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


def _project_out(basis, vectors):
    """`vectors` minus their projection on the orthonormal columns of `basis`, done twice
    so that the result is orthogonal to rounding error (Gram-Schmidt's "twice is enough")."""
    for _ in range(2):
        vectors = vectors - tf.matmul(basis, tf.matmul(basis, vectors, transpose_a=True))
    return vectors


def _orthonormal_columns(matrix, block=16):
    """Q of the QR decomposition of a tall `matrix`, with R's diagonal made positive.

    Block Gram-Schmidt: each block of columns is cleared of the basis so far with matrix
    products, then orthonormalised column by column; both steps run twice, which keeps
    the columns orthogonal to rounding error even when a block nearly cancels. Stands in
    for `tf.linalg.qr` plus Keras's sign fix until eagerflow has the op.
    """
    basis = None
    for start in range(0, matrix.shape[1], block):
        panel = matrix[:, start:start + block]
        for _ in range(2):
            if basis is not None:
                panel = _project_out(basis, panel)
            columns = []
            for j in range(panel.shape[1]):
                column = panel[:, j:j + 1]
                if columns:
                    column = _project_out(tf.concat(columns, axis=1), column)
                columns.append(column / tf.sqrt(tf.reduce_sum(tf.square(column))))
            panel = tf.concat(columns, axis=1)
        basis = panel if basis is None else tf.concat([basis, panel], axis=1)
    return basis


class Orthogonal(RandomInitializer):
    """Initializer that generates a `gain`-scaled orthogonal matrix.

    The weight is seen as a matrix of `prod(shape[:-1])` rows and `shape[-1]` columns;
    its rows are orthonormal when there are fewer rows than columns, its columns otherwise.
    The matrix is the Q factor of a random normal matrix's QR decomposition.

    >>> from eagerflow.keras import initializers
    >>> w = initializers.Orthogonal(seed=0)((3, 3))
    >>> np.allclose(tf.matmul(w, w, transpose_a=True).numpy(), np.eye(3), atol=1e-5)
    True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        rows = int(np.prod(shape[:-1], dtype=np.int64))
        cols = shape[-1]
        draws = self._normal((max(rows, cols), min(rows, cols)), 0.0, 1.0, dtype)
        q = _orthonormal_columns(draws)
        if rows < cols:
            q = tf.transpose(q)
        return _cast(self.gain, q.dtype) * tf.reshape(q, shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
identity = Identity
IdentityInitializer = Identity
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
ones = Ones
orthogonal = Orthogonal
OrthogonalInitializer = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros

_CLASSES = (Initializer, Constant, Identity, Ones, Zeros, GlorotNormal, GlorotUniform,
            HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal,
            RandomUniform, TruncatedNormal, VarianceScaling)
_BY_NAME = serialization_lib.names(_CLASSES)
_BY_NAME.update(IdentityInitializer=Identity, OrthogonalInitializer=Orthogonal,
                normal=RandomNormal, uniform=RandomUniform, one=Ones, zero=Zeros)


def serialize(initializer):
    """Returns the config dict of `initializer` in Keras's format (None for None).

    >>> from eagerflow.keras import initializers
    >>> initializers.serialize(initializers.Ones())["class_name"]
    'Ones'
    """
    if initializer is None:
        return None
    return serialization_lib.serialize_object(initializer, "keras.initializers", _BY_NAME)


def deserialize(config, custom_objects=None):
    """Makes an initializer from a name or a dict produced by `serialize`.

    >>> from eagerflow.keras import initializers
    >>> initializers.deserialize("glorot_uniform").__class__.__name__
    'GlorotUniform'
    """
    return serialization_lib.deserialize_object(config, _BY_NAME, custom_objects, "initializer")


def get(identifier):
    """Returns an initializer for `identifier`: a name ("glorot_uniform", "Zeros"), a
    serialized dict, a class (instantiated), a callable (returned as is), or an array
    (whose values are returned, for a matching shape); None gives None.

    >>> from eagerflow.keras import initializers
    >>> initializers.get("ones")((2,)).numpy().tolist()
    [1.0, 1.0]

    Raises:
      ValueError: for an unknown name or a value that is not callable.
    """
    if tf.is_tensor(identifier) or isinstance(identifier, (np.ndarray, np.generic)):
        values = identifier

        def initialize_fn(shape, dtype=None):
            if _shape(shape) != tuple(np.shape(values)):
                raise ValueError(f"Expected `shape` to be {tuple(np.shape(values))} for direct "
                                 f"tensor as initializer. Received shape={shape}")
            return _cast(values, _dtype(dtype))
        return initialize_fn
    return serialization_lib.get_object(identifier, _BY_NAME, deserialize, "initializer")
