"""Tests of eagerflow/ops/random_ops.py: dtypes, shapes, ranges, moments, the seeding model,
the stateless ops and the errors."""

import numpy as np
import pytest

from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.tensor import Tensor, convert_to_tensor
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.ops import random_ops as random

FLOATS = [dtypes.float16, dtypes.float32, dtypes.float64]


@pytest.fixture(autouse=True)
def no_global_seed():
    """Each test starts and ends without a global seed and with no op-seed state."""
    random.set_seed(None)
    yield
    random.set_seed(None)


def values(tensor):
    return tensor.numpy().tolist()


# --- dtypes and shapes ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", [random.normal, random.truncated_normal, random.uniform])
def test_float_ops_keep_dtype_and_shape(op, dtype):
    x = op([3, 4], dtype=dtype)
    assert type(x) is Tensor
    assert x.dtype == dtype
    assert x._value.dtype == dtype.as_numpy_dtype
    assert x.shape == TensorShape([3, 4])


@pytest.mark.parametrize("dtype", FLOATS)
def test_tensor_arguments_keep_dtype(dtype):
    mean = convert_to_tensor(np.array([0.0, 10.0], dtype.as_numpy_dtype))
    assert random.normal([2], mean=mean, stddev=2, dtype=dtype).dtype == dtype
    assert random.uniform([2], minval=mean, maxval=20, dtype=dtype).dtype == dtype


@pytest.mark.parametrize("shape", [
    [2, 3], (2, 3), TensorShape([2, 3]), convert_to_tensor(np.array([2, 3], np.int32)),
    convert_to_tensor(np.array([2, 3], np.int64)), [np.int64(2), np.int32(3)],
])
def test_shape_forms(shape):
    assert random.normal(shape).shape == TensorShape([2, 3])
    assert random.uniform(shape, maxval=5, dtype=dtypes.int64).shape == TensorShape([2, 3])


def test_scalar_and_empty_shapes():
    assert random.normal([]).shape == TensorShape([])
    assert random.uniform([0, 3]).shape == TensorShape([0, 3])
    assert random.truncated_normal([4, 0]).numpy().size == 0


def test_parameters_broadcast_with_shape():
    x = random.normal([3], mean=[[0.0], [100.0]], stddev=0.1).numpy()
    assert x.shape == (2, 3)
    assert np.all(np.abs(x[0]) < 1) and np.all(np.abs(x[1] - 100) < 1)
    y = random.uniform([2, 3], minval=[0.0, 10.0, 20.0], maxval=[1.0, 11.0, 21.0]).numpy()
    assert y.shape == (2, 3)
    assert np.all((y >= [0, 10, 20]) & (y < [1, 11, 21]))


# --- ranges and moments ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_uniform_float_range(dtype):
    x = random.uniform([100_000], dtype=dtype).numpy()
    assert x.min() >= 0 and x.max() < 1
    assert abs(x.astype(np.float64).mean() - 0.5) < 0.01
    y = random.uniform([100_000], minval=-3.0, maxval=5.0, dtype=dtype).numpy()
    assert y.min() >= -3 and y.max() < 5
    assert y.min() < -2.9 and y.max() > 4.9


@pytest.mark.parametrize("dtype", [dtypes.int32, dtypes.int64])
def test_uniform_int_range_covers_every_value(dtype):
    x = random.uniform([10_000], minval=-2, maxval=3, dtype=dtype)
    assert x.dtype == dtype
    assert sorted(set(values(x))) == [-2, -1, 0, 1, 2]


def test_uniform_int64_full_range():
    x = random.uniform([1000], minval=-2**63, maxval=2**63 - 1, dtype=dtypes.int64).numpy()
    assert x.dtype == np.int64
    assert x.min() < -2**61 and x.max() > 2**61


@pytest.mark.parametrize("dtype", FLOATS)
def test_normal_moments(dtype):
    x = random.normal([200_000], mean=3.0, stddev=2.0, dtype=dtype).numpy().astype(np.float64)
    assert abs(x.mean() - 3.0) < 0.03
    assert abs(x.std() - 2.0) < 0.03


@pytest.mark.parametrize("dtype", FLOATS)
def test_truncated_normal_range_and_moments(dtype):
    x = random.truncated_normal([200_000], mean=5.0, stddev=2.0, dtype=dtype).numpy()
    x = x.astype(np.float64)
    assert x.min() >= 1.0 - 1e-2 and x.max() <= 9.0 + 1e-2
    assert x.min() < 1.1 and x.max() > 8.9
    assert abs(x.mean() - 5.0) < 0.02
    # The standard deviation of a normal truncated at +-2 sigma is 0.87963 sigma.
    assert abs(x.std() - 2 * 0.87963) < 0.02


def test_gamma_and_poisson_moments():
    g = random.gamma([100_000], alpha=[0.5, 4.0], beta=2.0).numpy()
    assert g.shape == (100_000, 2) and g.dtype == np.float32
    assert g.min() > 0
    np.testing.assert_allclose(g.mean(axis=0), [0.25, 2.0], rtol=0.03)
    p = random.poisson([100_000], lam=[1.0, 20.0], dtype=dtypes.int32).numpy()
    assert p.shape == (100_000, 2) and p.dtype == np.int32
    np.testing.assert_allclose(p.mean(axis=0), [1.0, 20.0], rtol=0.03)
    assert random.poisson([3], lam=-1.0).numpy().tolist() == [0.0, 0.0, 0.0]


# --- shuffle and categorical ----------------------------------------------------------------

def test_shuffle_permutes_rows():
    x = np.arange(20).reshape(10, 2)
    shuffled = random.shuffle(x).numpy()
    assert shuffled.shape == (10, 2)
    assert sorted(shuffled.tolist()) == x.tolist()
    assert any(random.shuffle(np.arange(50)).numpy().tolist() != list(range(50))
               for _ in range(3))


def test_shuffle_scalar_and_strings():
    assert random.shuffle(5).numpy() == 5
    assert sorted(values(random.shuffle(["a", "b", "c"]))) == [b"a", b"b", b"c"]


def test_categorical_frequencies_and_dtype():
    logits = np.log(np.array([[0.2, 0.8], [0.5, 0.5]], np.float32))
    samples = random.categorical(logits, 20_000)
    assert samples.dtype == dtypes.int64 and samples.shape == TensorShape([2, 20_000])
    np.testing.assert_allclose(samples.numpy().mean(axis=1), [0.8, 0.5], atol=0.02)
    assert random.categorical([[0.0, 1.0]], 3, dtype=dtypes.int32).dtype == dtypes.int32


def test_categorical_never_picks_impossible_classes():
    logits = [[-np.inf, 0.0, -np.inf], [0.0, -np.inf, -np.inf], [-np.inf, -np.inf, 0.0]]
    samples = random.categorical(np.array(logits, np.float32), 500).numpy()
    assert (samples == np.array([[1], [0], [2]])).all()
    assert random.categorical([[0.0, 1.0]], 0).shape == TensorShape([1, 0])


# --- the seeding model ----------------------------------------------------------------------

def test_no_seeds_give_different_values():
    assert values(random.uniform([4])) != values(random.uniform([4]))
    assert values(random.normal([4])) != values(random.normal([4]))


def test_global_seed_repeats_the_sequence():
    random.set_seed(7)
    first = [values(random.uniform([3])), values(random.normal([3]))]
    random.set_seed(7)
    second = [values(random.uniform([3])), values(random.normal([3]))]
    assert first == second
    random.set_seed(8)
    assert values(random.uniform([3])) != first[0]


def test_global_seed_calls_take_new_op_seeds():
    random.set_seed(7)
    assert values(random.uniform([3])) != values(random.uniform([3]))


def test_op_seed_keeps_state_until_set_seed():
    random.set_seed(1)
    a, b = values(random.uniform([2], seed=1)), values(random.uniform([2], seed=1))
    assert a != b
    random.set_seed(1)
    assert [values(random.uniform([2], seed=1)), values(random.uniform([2], seed=1))] == [a, b]


def test_different_op_seeds_differ():
    random.set_seed(1)
    assert values(random.uniform([3], seed=1)) != values(random.uniform([3], seed=2))


def test_op_seed_without_global_seed_uses_the_default_global_seed():
    a = values(random.normal([3], seed=4))
    random.set_seed(random.DEFAULT_GRAPH_SEED)
    assert values(random.normal([3], seed=4)) == a
    random.set_seed(None)
    assert values(random.normal([3], seed=4)) == a


def test_op_seed_calls_do_not_advance_the_counter():
    random.set_seed(3)
    first = values(random.uniform([2]))
    random.uniform([2], seed=9)
    second = values(random.uniform([2]))
    random.set_seed(3)
    assert [values(random.uniform([2])), values(random.uniform([2]))] == [first, second]


def test_op_state_is_per_op():
    random.set_seed(2)
    random.normal([2], seed=5)
    after_normal = values(random.uniform([2], seed=5))
    random.set_seed(2)
    assert values(random.uniform([2], seed=5)) == after_normal


def test_seed_forms():
    random.set_seed(1)
    a = values(random.uniform([2], seed=3))
    random.set_seed(convert_to_tensor(1))
    assert values(random.uniform([2], seed=np.int64(3))) == a
    random.set_seed(1)
    assert values(random.uniform([2], seed=convert_to_tensor(3))) == a


def test_shuffle_and_categorical_follow_the_seeds():
    def draw():
        return (values(random.shuffle(np.arange(20))),
                values(random.categorical(np.zeros((1, 10), np.float32), 20)),
                values(random.shuffle(np.arange(20), seed=4)))
    random.set_seed(11)
    first = draw()
    random.set_seed(11)
    assert draw() == first


# --- stateless ops --------------------------------------------------------------------------

@pytest.mark.parametrize("op", [random.stateless_normal, random.stateless_uniform,
                                random.stateless_truncated_normal])
def test_stateless_is_a_function_of_the_seed(op):
    a = values(op([5], seed=[1, 2]))
    random.set_seed(3)
    assert values(op([5], seed=convert_to_tensor(np.array([1, 2], np.int64)))) == a
    assert values(op([5], seed=[1, 3])) != a
    assert op([5], seed=[1, 2], dtype=dtypes.float64).dtype == dtypes.float64


def test_stateless_uniform_ints():
    x = random.stateless_uniform([1000], seed=[4, 5], minval=10, maxval=13, dtype=dtypes.int64)
    assert sorted(set(values(x))) == [10, 11, 12]
    full = random.stateless_uniform([4], [4, 5], minval=None, maxval=None, dtype=dtypes.uint32)
    assert full.dtype == dtypes.uint32
    with pytest.raises(ValueError, match="must be both None or not None"):
        random.stateless_uniform([2], seed=[1, 2], dtype=dtypes.int32)


def test_stateless_categorical_split_and_fold_in():
    logits = np.zeros((2, 5), np.float32)
    a = values(random.stateless_categorical(logits, 10, seed=[1, 2]))
    assert a == values(random.stateless_categorical(logits, 10, seed=[1, 2]))
    seeds = random.split([1, 2], num=3)
    assert seeds.shape == TensorShape([3, 2]) and seeds.dtype == dtypes.int32
    assert values(seeds) == values(random.split([1, 2], num=3))
    folded = values(random.fold_in([1, 2], 7))
    assert folded[1] == 7 and folded != values(random.fold_in([1, 3], 7))


def test_stateless_seed_errors():
    with pytest.raises(InvalidArgumentError, match=r"seed must have shape \[2\], not \[3\]"):
        random.stateless_normal([2], seed=[1, 2, 3])
    with pytest.raises(InvalidArgumentError, match="'Tseed' of float"):
        random.stateless_normal([2], seed=[1.0, 2.0])
    with pytest.raises(ValueError, match="unsupported value x"):
        random.stateless_normal([2], seed=[1, 2], alg="x")


# --- errors ---------------------------------------------------------------------------------

def test_uniform_dtype_errors():
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype tf.int32"):
        random.uniform([2], dtype=dtypes.int32)
    with pytest.raises(ValueError, match="Argument `dtype` got invalid value <dtype: 'int8'>"):
        random.uniform([2], maxval=4, dtype=dtypes.int8)
    with pytest.raises(InvalidArgumentError, match="Need minval < maxval, got 5 >= 5"):
        random.uniform([2], minval=5, maxval=5, dtype=dtypes.int32)
    with pytest.raises(InvalidArgumentError, match="minval must be 0-D, got shape \\[2\\]"):
        random.uniform([2], minval=[0, 1], maxval=5, dtype=dtypes.int32)


def test_normal_dtype_errors():
    with pytest.raises(TypeError, match="Cannot convert 0.0 to EagerTensor of dtype int32"):
        random.normal([2], dtype=dtypes.int32)
    with pytest.raises(InvalidArgumentError, match="'dtype' of complex64 is not in the list"):
        random.truncated_normal([2], dtype=dtypes.complex64)
    with pytest.raises(ValueError, match="^mean: Tensor conversion requested dtype float32"):
        random.normal([2], mean=convert_to_tensor(np.zeros(2)))
    with pytest.raises(ValueError, match="^min: Tensor conversion requested dtype float32"):
        random.uniform([2], minval=convert_to_tensor(1))


@pytest.mark.parametrize("shape, message", [
    ([2, -1], "Dimension -1 must be >= 0"),
    ([2.0], "'T' of float is not in the list of allowed values: int32, int64"),
    (3, r"shape must be a vector of \{int32,int64\}, got shape \[\]"),
    (np.array([[2, 3]]), r"got shape \[1,2\]"),
])
def test_shape_errors(shape, message):
    with pytest.raises(InvalidArgumentError, match=message):
        random.normal(shape)


def test_partially_known_shape_error():
    with pytest.raises(ValueError, match="partially known TensorShape"):
        random.uniform(TensorShape([2, None]))


def test_broadcast_error_names_the_shapes():
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[3\] vs. \[2\]"):
        random.normal([3], mean=[0.0, 1.0])


def test_categorical_errors():
    with pytest.raises(InvalidArgumentError, match="logits should be a matrix, got shape \\[2\\]"):
        random.categorical([0.0, 1.0], 2)
    with pytest.raises(InvalidArgumentError, match="num_samples should be non-negative"):
        random.categorical([[0.0, 1.0]], -1)
    with pytest.raises(ValueError, match="Accepted dtypes are \\(tf.int32, tf.int64\\)"):
        random.categorical([[0.0, 1.0]], 2, dtype=dtypes.float32)


def test_seed_type_error():
    with pytest.raises(TypeError, match="`seed` must be an integer"):
        random.uniform([2], seed="a")
    with pytest.raises(TypeError, match="`seed` must be an integer"):
        random.set_seed("a")
