"""`tf.random.Generator`: a random number generator whose state is a key and a counter, and
the global Generator. Its draws are the stateless ops' samplers (random_ops.py) on a
Philox stream of its own per call.
"""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import probing, stateful
from eagerflow.framework.tensor import convert_to_tensor, wrap
from eagerflow.ops.random_ops import (
    MASK64, STATELESS_UNIFORM_DTYPES, Algorithm, as_algorithm, check_dtype, draw_normal,
    draw_uniform, draw_uniform_full_int, generator_rng, seed_int)

__all__ = ["Generator", "get_global_generator", "set_global_generator"]


def _words(value, arg):
    """An integer tensor-like as a list of unsigned 64-bit Python ints (two's complement)."""
    array = convert_to_tensor(value)._value
    if array.dtype.kind not in "iu":
        raise TypeError(f"Argument `{arg}` must hold integers, got dtype {array.dtype}.")
    return [int(v) & MASK64 for v in array.reshape(-1)]


def _as_int64(word):
    return word - (1 << 64) if word >> 63 else word


class Generator:
    """A random number generator whose state is a counter and a key.

    Same seed, same numbers: a Generator made with `Generator.from_seed(s)` produces the
    same sequence of values on every run, and is untouched by `tf.random.set_seed`.
    Each call draws from a block sequence of its own and advances the counter by one.

    >>> g = tf.random.Generator.from_seed(1234)
    >>> first = g.normal([2]).numpy().tolist()
    >>> tf.random.Generator.from_seed(1234).normal([2]).numpy().tolist() == first
    True
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError("Argument `copy_from` cannot be given with `state` or `alg`.")
            self._alg, self._counter, self._key = copy_from._alg, copy_from._counter, copy_from._key
        elif state is not None:
            if alg is None:
                raise ValueError("Argument `alg` must be given with `state`.")
            self._alg = as_algorithm(alg)
            self.reset(state)
        else:
            raise ValueError("Generator needs `copy_from` or `state` and `alg`; use "
                             "Generator.from_seed or Generator.from_non_deterministic_state.")

    @classmethod
    def _from_key(cls, key, counter, alg):
        generator = cls.__new__(cls)
        generator._alg, generator._key, generator._counter = alg, key & MASK64, counter
        return generator

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A Generator from an integer seed (or a list of them), always the same for a seed."""
        generator = cls._from_key(0, 0, as_algorithm(alg, Algorithm.PHILOX))
        generator.reset_from_seed(seed)
        return generator

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A Generator whose state comes from the operating system's entropy."""
        key, counter = np.random.SeedSequence().generate_state(2, np.uint64).tolist()
        return cls._from_key(key, counter, as_algorithm(alg, Algorithm.PHILOX))

    @classmethod
    def from_state(cls, state, alg):
        """A Generator from a `state` as `Generator.state` gives it."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        """A Generator from a key (an integer) and a counter (a list of integers)."""
        generator = cls._from_key(0, 0, as_algorithm(alg))
        generator.reset_from_key_counter(key, counter)
        return generator

    # --- state ----------------------------------------------------------------------------

    @property
    def algorithm(self):
        """The algorithm's number: 1 for Philox, 2 for ThreeFry, 3 for auto-selection."""
        return self._alg.value

    @property
    def _counter_words(self):
        return 1 if self._alg is Algorithm.THREEFRY else 2

    @property
    def state(self):
        """The state as an int64 tensor: the counter's words, then the key."""
        words = [(self._counter >> (64 * i)) & MASK64 for i in range(self._counter_words)]
        return wrap(np.array([_as_int64(w) for w in words + [self._key]], np.int64))

    @property
    def key(self):
        """The key, as an int64 scalar tensor."""
        return wrap(np.array(_as_int64(self._key), np.int64))

    def reset(self, state):
        """Resets the generator to `state`, as `Generator.state` gives it."""
        words = _words(state, "state")
        size = self._counter_words + 1
        if len(words) != size:
            raise ValueError(f"Argument `state` must have shape [{size}] for algorithm "
                             f"{self._alg.name}, got {len(words)} values.")
        self._counter = sum(w << (64 * i) for i, w in enumerate(words[:-1]))
        self._key = words[-1]

    def reset_from_seed(self, seed):
        """Resets the generator to the state `Generator.from_seed(seed)` starts with."""
        if isinstance(seed, (float, np.floating)):
            seed = int(seed)  # TensorFlow truncates float seeds
        entropy = _words(seed, "seed")
        self._key = int(np.random.SeedSequence(entropy).generate_state(1, np.uint64)[0])
        self._counter = 0

    def reset_from_key_counter(self, key, counter):
        """Resets the generator to a key (an integer) and counter (a list of integers)."""
        words = _words(counter, "counter")
        if len(words) != self._counter_words:
            raise ValueError(f"Argument `counter` must have shape [{self._counter_words}] for "
                             f"algorithm {self._alg.name}, got {len(words)} values.")
        self._counter = sum(w << (64 * i) for i, w in enumerate(words))
        self._key = seed_int(key, "key") & MASK64

    def skip(self, delta):
        """Advances the counter by `delta` calls' worth."""
        delta = seed_int(delta, "delta")
        self._counter = (self._counter + delta) % (1 << (64 * self._counter_words))

    def _rng_for(self, op_name, dtype):
        if probing[0]:
            return np.random.default_rng(0)
        rng = generator_rng(self._key, self._alg, self._counter)
        self._counter = (self._counter + 1) % (1 << (64 * self._counter_words))
        return rng

    # --- distributions --------------------------------------------------------------------

    @stateful("StatelessRandomNormalV2")
    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Outputs random values from a normal distribution (see `tf.random.normal`)."""
        return draw_normal(self._rng_for, "StatelessRandomNormalV2", shape, mean, stddev, dtype)

    @stateful("StatelessTruncatedNormalV2")
    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Outputs values from a normal distribution truncated at two standard deviations."""
        return draw_normal(self._rng_for, "StatelessTruncatedNormalV2", shape, mean, stddev,
                           dtype, truncate=True)

    @stateful("StatelessRandomUniformV2")
    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        """Outputs random values from a uniform distribution in `[minval, maxval)`.

        For integer dtypes give both bounds, or both as None for the dtype's full range.
        """
        dtype = check_dtype(dtype, STATELESS_UNIFORM_DTYPES)
        return draw_uniform(self._rng_for, shape, minval, maxval, dtype, (
            "For integer dtype {dtype}, minval and maxval must be both `None` or both "
            "non-`None`; got minval={minval} and maxval={maxval}"))

    @stateful("StatelessRandomUniformFullIntV2")
    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        """Outputs integers uniform over the whole range of `dtype`."""
        return draw_uniform_full_int(self._rng_for, shape, dtype)

    @stateful("RngReadAndSkip")
    def make_seeds(self, count=1):
        """Makes `count` seeds for the stateless ops: an int64 tensor of shape `[2, count]`."""
        return self.uniform_full_int([2, count], dtype=dtypes.int64)

    def split(self, count=1):
        """Returns `count` new Generators whose streams are independent of this one's."""
        keys = self.uniform_full_int([count], dtype=dtypes.uint64)._value.tolist()
        return [Generator._from_key(key, 0, self._alg) for key in keys]


_global_generator = None


def get_global_generator():
    """Returns the global Generator, made from non-deterministic state on first use.

    `tf.random.set_seed` does not reset it; `set_global_generator` replaces it.
    """
    global _global_generator
    if _global_generator is None:
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator


def set_global_generator(generator):
    """Replaces the global Generator with `generator`."""
    global _global_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"Argument `generator` must be a tf.random.Generator, got {generator!r}.")
    _global_generator = generator
