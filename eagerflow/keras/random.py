"""`keras.random`: random draws by seed, over eagerflow's stateless random ops.

A `seed` is an int (the same numbers on every call, in every program), a `SeedGenerator`
(a state variable that advances on each draw, as a layer's dropout needs) or None (the
global generator, which `keras.utils.set_random_seed` resets).

>>> from eagerflow import keras
>>> a = keras.random.normal((2,), seed=7)
>>> bool((a.numpy() == keras.random.normal((2,), seed=7).numpy()).all())
True
"""

import random as python_random

import eagerflow as tf
from eagerflow.keras import backend


class SeedGenerator:
    """A stateful source of seeds: its `state` variable `[seed, counter]` advances by one
    counter step per draw, so successive draws differ and a fresh generator with the same
    seed repeats them.

    >>> from eagerflow import keras
    >>> generator = keras.random.SeedGenerator(1337)
    >>> first = keras.random.uniform((2,), seed=generator)
    >>> bool((first.numpy() != keras.random.uniform((2,), seed=generator).numpy()).all())
    True
    """

    _is_seed_generator = True  # a Layer holding one lists its state among its variables

    def __init__(self, seed=None, name=None, **kwargs):
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        if seed is None:
            seed = python_random.randint(1, int(1e9))
        if not isinstance(seed, int):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        self._initial_seed = seed
        self.name = name or backend.unique_name("seed_generator")
        from eagerflow.keras.variables import Variable
        self.state = Variable(tf.constant([seed, 0], tf.int64), dtype="int64",
                              trainable=False, name="seed_generator_state")

    def next(self, ordered=True):
        """The current seed pair; the state moves on to the next."""
        seed = tf.convert_to_tensor(self.state)  # a snapshot: later assigns leave it
        self.state.assign_add(tf.constant([0, 1], tf.int64))
        return seed

    def get_config(self):
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


_global = {"generator": None}


def global_seed_generator():
    """The generator that draws with `seed=None` use (made on first use)."""
    if _global["generator"] is None:
        _global["generator"] = SeedGenerator(name="global_seed_generator")
    return _global["generator"]


def reset_global_seed_generator():
    """Forgets the global generator: the next unseeded draw makes a new one from Python's
    `random` (which `keras.utils.set_random_seed` has just seeded)."""
    _global["generator"] = None


def draw_seed(seed):
    """The seed pair (an int64 tensor of shape (2,)) for one draw."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        return global_seed_generator().next()
    if isinstance(seed, int) and not isinstance(seed, bool):
        return tf.constant([seed, 0], tf.int64)
    if tf.is_tensor(seed) and tuple(seed.shape) == (2,):
        return tf.cast(seed, tf.int64)
    raise ValueError(f"Argument `seed` must be either an integer or an instance of "
                     f"`SeedGenerator`. Received: seed={seed} (of type {type(seed)})")


def _float_dtype(dtype):
    dtype = backend.standardize_dtype(dtype)
    if not tf.as_dtype(dtype).is_floating:
        raise ValueError(f"Expected a float dtype. Received: dtype={dtype}")
    return dtype


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Values from a normal distribution."""
    return tf.random.stateless_normal(shape, draw_seed(seed), mean=mean, stddev=stddev,
                                      dtype=_float_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Values from a uniform distribution on [minval, maxval)."""
    dtype = backend.standardize_dtype(dtype)
    if not tf.as_dtype(dtype).is_floating:
        raise ValueError(f"`keras.random.uniform` requires a floating point `dtype`. "
                         f"Received: dtype={dtype} ")
    return tf.random.stateless_uniform(shape, draw_seed(seed), minval=minval, maxval=maxval,
                                       dtype=dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values, redrawn where more than two standard deviations from the mean."""
    return tf.random.stateless_truncated_normal(shape, draw_seed(seed), mean=mean,
                                                stddev=stddev, dtype=_float_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers uniform on [minval, maxval)."""
    dtype = backend.standardize_dtype(dtype)
    if not tf.as_dtype(dtype).is_integer:
        raise ValueError(f"`keras.random.randint` requires an integer `dtype`. Received: "
                         f"dtype={dtype} ")
    return tf.random.stateless_uniform(shape, draw_seed(seed), minval=minval, maxval=maxval,
                                       dtype=dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """`num_samples` class indices per row of `logits` (unnormalized log-probabilities)."""
    logits = tf.convert_to_tensor(logits)
    if len(logits.shape) != 2:
        raise ValueError(f"`logits` should be a 2-D tensor with shape [batch_size, "
                         f"num_classes]. Received: logits={logits}")
    return tf.random.stateless_categorical(logits, num_samples, draw_seed(seed),
                                           dtype=backend.standardize_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """`inputs` with a fraction `rate` of entries zeroed and the rest scaled by
    1 / (1 - rate); `noise_shape` broadcasts one mask over some axes."""
    inputs = tf.convert_to_tensor(inputs)
    if not 0 <= rate <= 1:
        raise ValueError(f"Invalid value received for argument `rate`. Expected a float "
                         f"value between 0 and 1. Received: rate={rate}")
    shape = tuple(inputs.shape) if noise_shape is None else tuple(
        size if size is not None else full for size, full in zip(noise_shape, inputs.shape))
    keep = tf.random.stateless_uniform(shape, draw_seed(seed), dtype=inputs.dtype) >= rate
    scale = tf.cast(1.0 / (1.0 - rate) if rate < 1 else 0.0, inputs.dtype)
    return tf.where(keep, inputs * scale, tf.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    """`x` with its slices along `axis` in a random order."""
    x = tf.convert_to_tensor(x)
    keys = tf.random.stateless_uniform((x.shape[axis],), draw_seed(seed))
    return tf.gather(x, tf.argsort(keys), axis=axis)


def gamma(shape, alpha, dtype=None, seed=None):
    """Values from Gamma(alpha, 1) distributions."""
    return tf.random.stateless_gamma(shape, draw_seed(seed), alpha=alpha,
                                     dtype=_float_dtype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Success counts of `counts` trials with probability `probabilities`, as floats."""
    dtype = _float_dtype(dtype)
    values = tf.random.stateless_binomial(shape, draw_seed(seed), counts, probabilities,
                                          output_dtype=tf.int32)
    return tf.cast(values, dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Values from Beta(alpha, beta) distributions, as X / (X + Y) of two Gamma draws."""
    dtype = _float_dtype(dtype)
    first = draw_seed(seed)
    stateful = seed is None or isinstance(seed, SeedGenerator)
    second = draw_seed(seed) if stateful else first + tf.constant([0, 1], tf.int64)
    x = tf.random.stateless_gamma(shape, first, alpha=alpha, dtype=dtype)
    y = tf.random.stateless_gamma(shape, second, alpha=beta, dtype=dtype)
    return x / (x + y)
