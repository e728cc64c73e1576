"""Tests of eagerflow/ops/random_generator.py: `tf.random.Generator` (same seed, same numbers;
state, copies and resets; distributions; seeds and splits; errors) and the global Generator."""

import numpy as np
import pytest

from eagerflow import random
from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.tensor_shape import TensorShape


def values(tensor):
    return tensor.numpy().tolist()


def test_generator_same_seed_same_numbers():
    g1, g2 = random.Generator.from_seed(42), random.Generator.from_seed(42)
    assert values(g1.normal([4])) == values(g2.normal([4]))
    assert values(g1.uniform([4])) == values(g2.uniform([4]))
    assert values(g1.normal([4])) != values(g1.normal([4]))
    assert values(random.Generator.from_seed(43).normal([4])) != values(
        random.Generator.from_seed(42).normal([4]))


def test_generator_ignores_set_seed():
    g = random.Generator.from_seed(1)
    try:
        random.set_seed(5)
        first = values(g.normal([3]))
        random.set_seed(5)
        assert values(g.normal([3])) != first
    finally:
        random.set_seed(None)


def test_generator_reset_copy_and_state():
    g = random.Generator.from_seed(3)
    first = values(g.uniform([3]))
    g.reset_from_seed(3)
    assert values(g.uniform([3])) == first
    state = g.state
    assert state.dtype == dtypes.int64 and state.shape == TensorShape([3])
    assert g.algorithm == random.Algorithm.PHILOX.value
    copy = random.Generator(copy_from=g)
    restored = random.Generator(state=state, alg=g.algorithm)
    expected = values(g.normal([5]))
    assert values(copy.normal([5])) == expected == values(restored.normal([5]))


def test_generator_distributions():
    g = random.Generator.from_seed(0)
    x = g.truncated_normal([50_000], stddev=3.0).numpy()
    assert x.dtype == np.float32 and np.abs(x).max() <= 6.0
    y = g.uniform([50_000], minval=2, maxval=7, dtype=dtypes.int32)
    assert y.dtype == dtypes.int32 and sorted(set(values(y))) == [2, 3, 4, 5, 6]
    z = g.normal([50_000], dtype=dtypes.float64).numpy()
    assert z.dtype == np.float64 and abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03
    assert g.uniform_full_int([3]).dtype == dtypes.uint64
    assert g.uniform([3], minval=None, maxval=None, dtype=dtypes.int32).dtype == dtypes.int32


def test_generator_make_seeds_and_split():
    g = random.Generator.from_seed(9)
    seeds = g.make_seeds(4)
    assert seeds.dtype == dtypes.int64 and seeds.shape == TensorShape([2, 4])
    children = random.Generator.from_seed(9).split(3)
    again = random.Generator.from_seed(9).split(3)
    draws = [values(c.normal([3])) for c in children]
    assert len({tuple(d) for d in draws}) == 3
    assert draws == [values(c.normal([3])) for c in again]


def test_global_generator():
    g = random.get_global_generator()
    assert g is random.get_global_generator()
    replacement = random.Generator.from_seed(1)
    try:
        random.set_global_generator(replacement)
        assert random.get_global_generator() is replacement
    finally:
        random.set_global_generator(g)
    with pytest.raises(TypeError, match="generator"):
        random.set_global_generator(5)


def test_generator_errors():
    g = random.Generator.from_seed(1)
    with pytest.raises(ValueError, match="minval and maxval must be both"):
        g.uniform([2], dtype=dtypes.int32)
    with pytest.raises(InvalidArgumentError, match="Need minval < maxval"):
        g.uniform([2], 5, 5, dtype=dtypes.int64)
    with pytest.raises(InvalidArgumentError, match="'dtype' of float"):
        g.uniform_full_int([2], dtype=dtypes.float32)
    with pytest.raises(ValueError, match="`state` must have shape \\[3\\]"):
        random.Generator(state=[1, 2], alg="philox")
    with pytest.raises(ValueError, match="unsupported value xyz"):
        random.Generator.from_seed(1, alg="xyz")
    with pytest.raises(ValueError, match="copy_from"):
        random.Generator()
