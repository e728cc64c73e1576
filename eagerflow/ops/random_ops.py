"""Random numbers (`tf.random`): stateful ops with TensorFlow's global and op seeds, and
stateless ops that are a function of their `seed`; `tf.random.Generator` is in
random_generator.py and draws through the samplers here.

The seeding model is TensorFlow's; the numbers are not. Every seeded stream is NumPy's
Philox-4x64 at a key and counter derived from the seeds, so a program that sets its seeds
gets the same numbers on every run, but not the numbers TensorFlow's kernels would give.
Random values carry no gradient: these are plain functions returning Tensors.
"""

import enum
import operator
import threading

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, probing, stateful, tf_type_name
from eagerflow.framework.tensor import convert_to_tensor, wrap
from eagerflow.framework.tensor_shape import TensorShape

__all__ = [
    "Algorithm", "categorical", "fold_in", "gamma", "normal", "poisson", "set_seed", "shuffle",
    "split", "stateless_categorical", "stateless_normal", "stateless_truncated_normal",
    "stateless_uniform", "truncated_normal", "uniform",
]

MASK64 = (1 << 64) - 1

# TensorFlow's global seed when only an op seed is given (`DEFAULT_GRAPH_SEED`).
DEFAULT_GRAPH_SEED = 87654321


class Algorithm(enum.Enum):
    """The RNG algorithms of `tf.random.Generator` and the stateless ops.

    Here every algorithm draws from NumPy's Philox-4x64; the choice sets the layout of a
    Generator's `state` (three int64 words for Philox, two for ThreeFry) and the stream.
    """

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


# --- Philox streams -------------------------------------------------------------------------
#
# A stream is a Philox key (two 64-bit words) and the counter's words 1-3; NumPy counts
# blocks in word 0. Word 1 holds who draws (the domain and the op kind), words 2-3 the
# call index, so every call starts a block sequence of its own that no other call reaches.

_DOMAIN_OP_SEED, _DOMAIN_AUTO, _DOMAIN_STATELESS, _DOMAIN_GENERATOR = (d << 56 for d in range(4))

_OP_KINDS = {
    "RandomStandardNormal": 1, "StatelessRandomNormalV2": 1,
    "RandomUniform": 2, "StatelessRandomUniformV2": 2,
    "RandomUniformInt": 3, "StatelessRandomUniformIntV2": 3,
    "StatelessRandomUniformFullIntV2": 4,
    "TruncatedNormal": 5, "StatelessTruncatedNormalV2": 5,
    "RandomShuffle": 6,
    "Multinomial": 7, "StatelessMultinomial": 7,
    "RandomGamma": 8, "StatelessRandomGammaV3": 8,
    "StatelessRandomBinomial": 10,
    "RandomPoissonV2": 9, "StatelessRandomPoisson": 9,
}

_thread_local = threading.local()
_entropy = np.random.default_rng()


def _philox(key0, key1, stream, call):
    """This thread's one Philox Generator, moved to the start of `call` in the given stream.

    Reusing one Generator costs a state assignment instead of a construction; the caller
    draws everything it needs before asking for another stream.
    """
    pair = getattr(_thread_local, "philox", None)
    if pair is None:
        bit_generator = np.random.Philox(0)
        pair = _thread_local.philox = (bit_generator, np.random.Generator(bit_generator))
    bit_generator, generator = pair
    bit_generator.state = {
        "bit_generator": "Philox",
        "state": {
            "counter": np.array([0, stream, call & MASK64, (call >> 64) & MASK64], np.uint64),
            "key": np.array([key0 & MASK64, key1 & MASK64], np.uint64),
        },
        "buffer": np.zeros(4, np.uint64), "buffer_pos": 4, "has_uint32": 0, "uinteger": 0,
    }
    return generator


def generator_rng(key, alg, call):
    """The NumPy Generator for call number `call` of a `tf.random.Generator` with this key
    and Algorithm."""
    return _philox(key, 0, _DOMAIN_GENERATOR | (_stream_algorithm(alg) << 48), call)


# --- the global seed and op seeds -----------------------------------------------------------

_global_seed = None
_auto_seed_calls = 0      # calls that took their op seed from the counter since `set_seed`
_op_seed_calls = {}       # (op, dtype, global seed, op seed) -> calls so far: the op's state


def set_seed(seed):
    """Sets the global random seed.

    With a global seed and no op seed, each random op call takes the next op seed from a
    counter, so a program gives the same sequence on every run. With an op seed and no
    global seed, a fixed default global seed is used. A given (global, op) seed pair keeps
    its state, so repeated calls give different values; `set_seed` resets all of it.
    `None` returns to non-deterministic numbers.

    >>> tf.random.set_seed(5)
    >>> first = tf.random.uniform([3]).numpy().tolist()
    >>> tf.random.set_seed(5)
    >>> tf.random.uniform([3]).numpy().tolist() == first
    True
    """
    global _global_seed, _auto_seed_calls
    _global_seed = None if seed is None else seed_int(seed, "seed")
    _auto_seed_calls = 0
    _op_seed_calls.clear()


def seed_int(seed, arg):
    """An integer seed argument as a Python int; TensorFlow truncates a float seed."""
    try:
        return operator.index(seed)
    except TypeError:
        if isinstance(seed, (float, np.floating)):
            return int(seed)  # TensorFlow truncates float seeds
        raise TypeError(f"Argument `{arg}` must be an integer, got {seed!r}.") from None


def _stateful_rng(op_name, dtype, seed):
    """The NumPy Generator for one call of a stateful op, by TensorFlow's seeding rules."""
    global _auto_seed_calls
    if probing[0]:
        return np.random.default_rng(0)
    kind = _OP_KINDS[op_name]
    if seed is None:
        if _global_seed is None:
            return _entropy
        call = _auto_seed_calls
        _auto_seed_calls += 1
        return _philox(_global_seed, 0, _DOMAIN_AUTO | kind, call)
    op_seed = seed_int(seed, "seed")
    global_seed = DEFAULT_GRAPH_SEED if _global_seed is None else _global_seed
    state = (op_name, dtype, global_seed, op_seed)
    call = _op_seed_calls.get(state, 0)
    _op_seed_calls[state] = call + 1
    return _philox(global_seed, op_seed, _DOMAIN_OP_SEED | kind, call)


def _seeded(seed):
    return lambda op_name, dtype: _stateful_rng(op_name, dtype, seed)


# --- arguments ------------------------------------------------------------------------------

_UNIFORM_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)
STATELESS_UNIFORM_DTYPES = _UNIFORM_DTYPES + (dtypes.uint32, dtypes.uint64)
_FULL_INT_DTYPES = (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64)
_INDEX_DTYPES = (dtypes.int32, dtypes.int64)


def _shape_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _shape(shape, op_name):
    """The `shape` argument as a tuple of ints, with TensorFlow's errors for bad shapes."""
    if type(shape) in (list, tuple) and all(type(d) is int for d in shape):
        dims = tuple(shape)
    elif isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
        dims = tuple(shape.as_list())
    else:
        dims = _shape_from_value(shape, op_name)
    for d in dims:
        if d < 0:
            raise op_error(op_name, f"Dimension {d} must be >= 0")
    return dims


def _shape_from_value(shape, op_name):
    if isinstance(shape, (list, tuple)):
        try:
            return tuple(operator.index(d) for d in shape)  # NumPy ints, Dimensions, int tensors
        except TypeError:
            pass  # floats or None: the conversion below raises TensorFlow's error
    array = convert_to_tensor(shape)._value
    if array.dtype.kind not in "iu":
        raise op_error(op_name, (
            f"Value for attr 'T' of {tf_type_name(dtypes.from_numpy(array.dtype))} is not in "
            "the list of allowed values: int32, int64"))
    if array.ndim != 1:
        raise op_error(op_name, ("shape must be a vector of {int32,int64}, got shape "
                                 f"{_shape_text(array.shape)}"))
    return tuple(int(d) for d in array)


def check_dtype(dtype, allowed):
    """`dtype` as a DType, with TensorFlow's ValueError when it is not in `allowed`."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in allowed:
        names = ", ".join(repr(d) for d in allowed)
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. "
                         f"Accepted dtypes are ({names}).")
    return dtype


def _check_floating(dtype, op_name, attr="dtype"):
    if not dtype.is_floating:
        raise op_error(op_name, (f"Value for attr '{attr}' of {tf_type_name(dtype)} is not in "
                                 "the list of allowed values: half, float, double"))


def _param(value, dtype, arg, neutral=None):
    """A scalar or tensor argument as an array of `dtype`; None when it is `neutral`."""
    if type(value) in (float, int) and dtype.is_floating:
        if value == neutral:
            return None
        return dtype.as_numpy_dtype(value)
    try:
        return convert_to_tensor(value, dtype)._value
    except ValueError as err:
        raise ValueError(f"{arg}: {err}") from err


def _broadcast(op_name, shape, other):
    """The broadcast of `shape` with the shape of `other` (None and scalars have shape ())."""
    other_shape = getattr(other, "shape", ())
    if not other_shape or other_shape == shape:
        return shape
    try:
        return np.broadcast_shapes(shape, other_shape)
    except ValueError:
        raise op_error(op_name, (f"Incompatible shapes: {_shape_text(shape)} vs. "
                                 f"{_shape_text(other_shape)}")) from None


def _scale_and_shift(values, scale, shift, dtype):
    """`values * scale + shift` with broadcasting (None skips a step), then cast to `dtype`."""
    if scale is not None:
        shape = _broadcast("Mul", values.shape, scale)
        values = np.multiply(values, scale, out=values if shape == values.shape else None)
    if shift is not None:
        shape = _broadcast("AddV2", values.shape, shift)
        values = np.add(values, shift, out=values if shape == values.shape else None)
    return values.astype(dtype.as_numpy_dtype, copy=False)


def _compute_dtype(dtype):
    """float16 is drawn in float32 and cast; float32 and float64 are drawn as themselves."""
    return np.float64 if dtype == dtypes.float64 else np.float32


# --- samplers: validate, then draw ----------------------------------------------------------

def draw_normal(rng_for, op_name, shape, mean, stddev, dtype, truncate=False):
    """Normal values (truncated at two standard deviations if `truncate`) from the NumPy
    Generator `rng_for(op_name, dtype)` gives, after the arguments are checked."""
    dims = _shape(shape, op_name)
    dtype = dtypes.as_dtype(dtype)
    mean = _param(mean, dtype, "mean", 0.0)
    stddev = _param(stddev, dtype, "stddev", 1.0)
    _check_floating(dtype, op_name)
    _broadcast("AddV2", _broadcast("Mul", dims, stddev), mean)
    rng = rng_for(op_name, dtype)
    draw = _truncated_standard_normal if truncate else _standard_normal
    return wrap(_scale_and_shift(draw(rng, dims, _compute_dtype(dtype)), stddev, mean, dtype))


def _standard_normal(rng, dims, np_dtype):
    return rng.standard_normal(dims, dtype=np_dtype)


def _truncated_standard_normal(rng, dims, np_dtype):
    """Standard normal values with those beyond 2 redrawn, all rejected ones at once."""
    values = rng.standard_normal(dims, dtype=np_dtype)
    flat = values.reshape(-1)
    rejected = np.flatnonzero(np.abs(flat) > 2.0)
    while rejected.size:
        redrawn = rng.standard_normal(rejected.size, dtype=np_dtype)
        flat[rejected] = redrawn
        rejected = rejected[np.abs(redrawn) > 2.0]
    return values


def _unit_uniform(rng, dims, dtype):
    """Uniform values in [0, 1) of `dtype`."""
    if dtype == dtypes.float16:
        # Multiples of 2**-11 are exact in float16; a float32 value cast could round to 1.
        return rng.integers(0, 2048, dims, dtype=np.int16).astype(np.float16) * np.float16(2**-11)
    return rng.random(dims, dtype=_compute_dtype(dtype))


def _uniform_float(rng_for, op_name, shape, minval, maxval, dtype):
    dims = _shape(shape, op_name)
    if minval is None:
        minval = 0
    if maxval is None:
        maxval = 1
    low = _param(minval, dtype, "min", 0)
    high = _param(maxval, dtype, "max", 1)
    if low is None and high is None:
        return wrap(_unit_uniform(rng_for(op_name, dtype), dims, dtype))
    low = dtype.as_numpy_dtype(0) if low is None else low
    high = dtype.as_numpy_dtype(1) if high is None else high
    _broadcast("Sub", getattr(high, "shape", ()), low)
    width = np.subtract(high, low)
    _broadcast("AddV2", _broadcast("Mul", dims, width), low)
    values = _unit_uniform(rng_for(op_name, dtype), dims, dtype)
    return wrap(_scale_and_shift(values, width, low, dtype))


def _int_bound(value, dtype, arg, name, op_name):
    if type(value) is int and (0 if dtype.is_unsigned else -2**31) <= value < 2**31:
        return value  # fits the dtype: skip the conversion
    try:
        array = convert_to_tensor(value, dtype)._value
    except ValueError as err:
        raise ValueError(f"{arg}: {err}") from err
    if array.ndim:
        raise op_error(op_name, f"{name} must be 0-D, got shape {_shape_text(array.shape)}")
    return int(array)


def _uniform_int(rng_for, op_name, shape, minval, maxval, dtype):
    dims = _shape(shape, op_name)
    low = _int_bound(minval, dtype, "min", "minval", op_name)
    high = _int_bound(maxval, dtype, "max", "maxval", op_name)
    if low >= high:
        raise op_error(op_name, f"Need minval < maxval, got {low} >= {high}")
    rng = rng_for(op_name, dtype)
    return wrap(rng.integers(low, high, dims, dtype=dtype.as_numpy_dtype))


def draw_uniform_full_int(rng_for, shape, dtype):
    """Integers uniform over the whole range of `dtype`."""
    op_name = "StatelessRandomUniformFullIntV2"
    dims = _shape(shape, op_name)
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _FULL_INT_DTYPES:
        raise op_error(op_name, (f"Value for attr 'dtype' of {tf_type_name(dtype)} is not in the "
                                 "list of allowed values: int32, int64, uint32, uint64"))
    return wrap(_full_range_ints(rng_for(op_name, dtype), dims, dtype.as_numpy_dtype))


def _full_range_ints(rng, dims, np_dtype):
    info = np.iinfo(np_dtype)
    return rng.integers(info.min, info.max, dims, dtype=np_dtype, endpoint=True)


def _categorical(rng_for, op_name, logits, num_samples, dtype):
    dtype = check_dtype(dtypes.int64 if dtype is None else dtype, _INDEX_DTYPES)
    logits = convert_to_tensor(logits)
    _check_floating(logits.dtype, op_name, attr="T")
    logits = logits._value
    count = convert_to_tensor(num_samples, dtypes.int32)._value
    if logits.ndim != 2:
        raise op_error(op_name, f"logits should be a matrix, got shape {_shape_text(logits.shape)}")
    if count.ndim:
        raise op_error(op_name, ("num_samples should be a scalar, got shape "
                                 f"{_shape_text(count.shape)}"))
    count = int(count)
    if count < 0:
        raise op_error(op_name, f"num_samples should be non-negative, got {count}")
    if logits.shape[1] == 0:
        raise op_error(op_name, f"num_classes should be positive, got {logits.shape[1]}")
    rng = rng_for(op_name, dtype)
    return wrap(_sample_categorical(rng, logits, count).astype(dtype.as_numpy_dtype, copy=False))


def _sample_categorical(rng, logits, count):
    """Class indices by inverting each row's CDF: one searchsorted over all rows at once."""
    batch, classes = logits.shape
    if batch == 0 or count == 0:
        return np.zeros((batch, count), np.int64)
    shifted = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
    cdf = np.cumsum(np.exp(shifted), axis=1)
    cdf /= cdf[:, -1:]
    cdf[np.isnan(cdf)] = 1.0  # rows without a finite maximum; keeps the search array sorted
    # Row r's CDF is moved to [2r, 2r + 1] so the rows never interleave.
    offsets = 2.0 * np.arange(batch)[:, None]
    targets = rng.random((batch, count)) + offsets
    index = np.searchsorted((cdf + offsets).ravel(), targets.ravel(), side="right")
    index = index.reshape(batch, count) - classes * np.arange(batch)[:, None]
    return np.clip(index, 0, classes - 1, out=index)


# --- stateful ops ---------------------------------------------------------------------------

@stateful("RandomStandardNormal")
def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Outputs random values from a normal distribution.

    Args:
      shape: the output shape: a list, tuple, TensorShape or 1-D integer tensor.
      mean, stddev: the mean and standard deviation, numbers or tensors of `dtype` that
        broadcast with `shape`.
      dtype: a floating dtype.
      seed: the op seed, used with the global seed (see `tf.random.set_seed`).

    >>> x = tf.random.normal([2, 3], mean=1.0, stddev=0.5)
    >>> x.shape, x.dtype
    (TensorShape([2, 3]), tf.float32)
    """
    return draw_normal(_seeded(seed), "RandomStandardNormal", shape, mean, stddev, dtype)


@stateful("TruncatedNormal")
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Outputs random values from a truncated normal distribution.

    Values more than two standard deviations from the mean are dropped and re-picked.

    >>> x = tf.random.truncated_normal([1000], stddev=3.0)
    >>> bool(abs(x.numpy()).max() <= 6.0)
    True
    """
    return draw_normal(_seeded(seed), "TruncatedNormal", shape, mean, stddev, dtype, truncate=True)


@stateful("RandomUniform")
def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Outputs random values from a uniform distribution in `[minval, maxval)`.

    For floats `maxval` defaults to 1. Integer dtypes need `maxval`, and scalar bounds
    with `minval < maxval`.

    >>> x = tf.random.uniform([5], minval=2, maxval=4, dtype=tf.int32)
    >>> x.dtype, all(2 <= v < 4 for v in x.numpy().tolist())
    (tf.int32, True)
    """
    dtype = check_dtype(dtype, _UNIFORM_DTYPES)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        return _uniform_int(_seeded(seed), "RandomUniformInt", shape, minval, maxval, dtype)
    return _uniform_float(_seeded(seed), "RandomUniform", shape, minval, maxval, dtype)


@stateful("RandomShuffle")
def shuffle(value, seed=None, name=None):
    """Randomly shuffles a tensor along its first dimension.

    >>> sorted(tf.random.shuffle([[1, 2], [3, 4], [5, 6]]).numpy().tolist())
    [[1, 2], [3, 4], [5, 6]]
    """
    tensor = convert_to_tensor(value)
    array = tensor._value
    if array.ndim == 0:
        return tensor
    rng = _stateful_rng("RandomShuffle", tensor.dtype, seed)
    return wrap(array[rng.permutation(array.shape[0])])


@stateful("Multinomial")
def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Draws samples from a categorical distribution.

    Args:
      logits: `[batch_size, num_classes]` unnormalized log-probabilities.
      num_samples: the number of samples to draw for each row.
      dtype: int32 or int64 (the default) for the class indices.

    Returns:
      The drawn class indices, of shape `[batch_size, num_samples]`.

    >>> tf.random.categorical([[-1e9, 0.0]], 4).numpy().tolist()
    [[1, 1, 1, 1]]
    """
    return _categorical(_seeded(seed), "Multinomial", logits, num_samples, dtype)


@stateful("RandomGamma")
def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Draws `shape` samples from each of the Gamma distributions given by `alpha` and `beta`.

    The output shape is `shape` followed by the broadcast shape of `alpha` and `beta`;
    `beta` is the inverse scale (rate) and defaults to 1.

    >>> tf.random.gamma([10], alpha=[0.5, 1.5]).shape
    TensorShape([10, 2])
    """
    return _draw_gamma(lambda op_name, dtype: _stateful_rng(op_name, dtype, seed),
                       "RandomGamma", shape, alpha, beta, dtype)


def _draw_gamma(rng_for, op_name, shape, alpha, beta, dtype, shape_is_output=False):
    """The values of `gamma` (`shape` + the broadcast parameter shape) and of
    `stateless_gamma` (`shape_is_output`: `shape` itself, which must end with it)."""
    dims = _shape(shape, op_name)
    dtype = dtypes.as_dtype(dtype)
    alpha = np.asarray(_param(alpha, dtype, "alpha"))
    rate = None if beta is None else np.asarray(_param(beta, dtype, "beta"))
    _check_floating(dtype, op_name)
    batch = alpha.shape if rate is None else _broadcast("Mul", alpha.shape, rate)
    if shape_is_output:
        if len(batch) > len(dims) or dims[len(dims) - len(batch):] != batch:
            raise op_error(op_name, "Shape passed in must end with broadcasted shape.")
        batch = ()
    rng = rng_for(op_name, dtype)
    alpha = np.broadcast_to(alpha, dims + batch).astype(np.float64)
    valid = alpha >= 0
    values = rng.standard_gamma(np.where(valid, alpha, 1.0), dims + batch,
                                dtype=_compute_dtype(dtype))
    values[~valid] = np.nan
    # TensorFlow clamps samples to the smallest normal number, so they never reach 0.
    np.maximum(values, np.finfo(dtype.as_numpy_dtype).tiny, out=values)
    if rate is not None:
        values /= rate
    return wrap(values.astype(dtype.as_numpy_dtype, copy=False))


@stateful("RandomPoissonV2")
def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None):
    """Draws `shape` samples from each of the Poisson distributions with rates `lam`.

    The output shape is `shape + lam.shape`; `dtype` may be floating, int32 or int64.

    >>> x = tf.random.poisson([4], lam=[1.0, 5.0], dtype=tf.int64)
    >>> x.shape, x.dtype
    (TensorShape([4, 2]), tf.int64)
    """
    return _draw_poisson(lambda op_name, dtype: _stateful_rng(op_name, dtype, seed),
                         "RandomPoissonV2", shape, lam, dtype)


def _draw_poisson(rng_for, op_name, shape, lam, dtype, shape_is_output=False):
    """The values of `poisson` (`shape` + `lam`'s shape) and of `stateless_poisson`
    (`shape_is_output`: `shape` itself, which must end with `lam`'s shape)."""
    dims = _shape(shape, op_name)
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype in _INDEX_DTYPES):
        raise op_error(op_name, (f"Value for attr 'dtype' of {tf_type_name(dtype)} is not in the "
                                 "list of allowed values: half, float, double, int32, int64"))
    rate = convert_to_tensor(lam)
    if not (rate.dtype.is_floating or rate.dtype in _INDEX_DTYPES):
        raise op_error(op_name, (f"Value for attr 'R' of {tf_type_name(rate.dtype)} is not in the "
                                 "list of allowed values: half, float, double, int32, int64"))
    rate = rate._value.astype(np.float64)
    batch = rate.shape
    if shape_is_output:
        if len(batch) > len(dims) or dims[len(dims) - len(batch):] != batch:
            raise op_error(op_name, "Shape passed in must end with broadcasted shape.")
        batch = ()
    rng = rng_for(op_name, dtype)
    # A rate that is not positive (or NaN) gives zeros, as TensorFlow's kernel does.
    values = rng.poisson(np.where(rate > 0, rate, 0.0), dims + batch)
    return wrap(values.astype(dtype.as_numpy_dtype))


# --- stateless ops --------------------------------------------------------------------------

def as_algorithm(alg, default=Algorithm.AUTO_SELECT):
    """An `alg` argument (an Algorithm, its name or its number; None for `default`)."""
    if alg is None:
        return default
    if isinstance(alg, Algorithm):
        return alg
    if isinstance(alg, str) and alg.upper() in Algorithm.__members__:
        return Algorithm[alg.upper()]
    if isinstance(alg, int) and alg in (1, 2, 3):
        return Algorithm(alg)
    raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values are philox "
                     "for the Philox algorithm, threefry for the ThreeFry algorithm, and "
                     "auto_select for auto-selection.")


def _stream_algorithm(alg):
    """The algorithm a stream is drawn with: auto-selection picks Philox, as on a CPU."""
    return Algorithm.PHILOX.value if alg is Algorithm.AUTO_SELECT else alg.value


def _seed_pair(seed):
    if type(seed) in (list, tuple) and len(seed) == 2 and all(type(s) is int for s in seed):
        seed = convert_to_tensor(np.array(seed, np.int64 if any(
            not -2**31 <= s < 2**31 for s in seed) else np.int32))
    else:
        seed = convert_to_tensor(seed)
    if seed.dtype not in _INDEX_DTYPES:
        raise op_error("StatelessRandomGetKeyCounter", (
            f"Value for attr 'Tseed' of {tf_type_name(seed.dtype)} is not in the list of "
            "allowed values: int32, int64"))
    if seed._value.shape != (2,):
        raise op_error("StatelessRandomGetKeyCounter", (
            f"seed must have shape [2], not {_shape_text(seed._value.shape)}"))
    return seed, int(seed._value[0]), int(seed._value[1])


def _stateless(seed, alg):
    """The `rng_for` of a stateless op: the same stream for the same seed, op and algorithm."""
    _, key0, key1 = _seed_pair(seed)
    stream = _DOMAIN_STATELESS | (_stream_algorithm(as_algorithm(alg)) << 48)
    return lambda op_name, dtype: _philox(key0, key1, stream | _OP_KINDS[op_name], 0)


@stateful("StatelessRandomNormalV2")
def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                     alg="auto_select"):
    """Outputs deterministic pseudorandom values from a normal distribution.

    The values are a function of `shape`, `seed` (an integer tensor of shape [2]), the
    other arguments and `alg` only.

    >>> a = tf.random.stateless_normal([3], seed=[1, 2])
    >>> a.numpy().tolist() == tf.random.stateless_normal([3], seed=[1, 2]).numpy().tolist()
    True
    """
    rng_for = _stateless(seed, alg)
    return draw_normal(rng_for, "StatelessRandomNormalV2", shape, mean, stddev, dtype)


@stateful("StatelessTruncatedNormalV2")
def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):
    """Outputs deterministic pseudorandom values from a truncated normal distribution.

    >>> x = tf.random.stateless_truncated_normal([100], seed=[3, 4])
    >>> bool(abs(x.numpy()).max() <= 2.0)
    True
    """
    rng_for = _stateless(seed, alg)
    return draw_normal(rng_for, "StatelessTruncatedNormalV2", shape, mean, stddev, dtype,
                       truncate=True)


@stateful("StatelessRandomUniformV2")
def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None,
                      alg="auto_select"):
    """Outputs deterministic pseudorandom values from a uniform distribution.

    For integer dtypes give both `minval` and `maxval`, or neither for the dtype's full
    range.

    >>> x = tf.random.stateless_uniform([4], seed=[1, 2], minval=0, maxval=10, dtype=tf.int64)
    >>> x.dtype, all(0 <= v < 10 for v in x.numpy().tolist())
    (tf.int64, True)
    """
    dtype = check_dtype(dtype, STATELESS_UNIFORM_DTYPES)
    rng_for = _stateless(seed, alg)
    return draw_uniform(rng_for, shape, minval, maxval, dtype, (
        "For integer `dtype` argument {dtype}, argument `minval` and `maxval` must be both "
        "None or not None. Got `minval`={minval} and `maxval`={maxval}."))


def draw_uniform(rng_for, shape, minval, maxval, dtype, bounds_message):
    """The values of `stateless_uniform` and `Generator.uniform` (`dtype` checked): uniform
    in [minval, maxval), or over an integer dtype's whole range when both bounds are None.

    `bounds_message`, formatted with `dtype`, `minval` and `maxval`, is the ValueError's
    text when an integer dtype gets only one bound.
    """
    if dtype.is_integer:
        if minval is None and maxval is None:
            return draw_uniform_full_int(rng_for, shape, dtype)
        if minval is None or maxval is None:
            raise ValueError(bounds_message.format(dtype=dtype, minval=minval, maxval=maxval))
        return _uniform_int(rng_for, "StatelessRandomUniformIntV2", shape, minval, maxval, dtype)
    return _uniform_float(rng_for, "StatelessRandomUniformV2", shape, minval, maxval, dtype)


@stateful("StatelessMultinomial")
def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """Draws deterministic pseudorandom samples from a categorical distribution.

    >>> tf.random.stateless_categorical([[0.0, -1e9]], 3, seed=[7, 8]).numpy().tolist()
    [[0, 0, 0]]
    """
    return _categorical(_stateless(seed, None), "StatelessMultinomial", logits, num_samples,
                        dtype)


@stateful("StatelessRandomGammaV3")
def stateless_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None):
    """Deterministic pseudorandom samples from Gamma distributions (`beta` is the rate).

    >>> a = tf.random.stateless_gamma([3], seed=[1, 2], alpha=2.0)
    >>> a.numpy().tolist() == tf.random.stateless_gamma([3], [1, 2], 2.0).numpy().tolist()
    True
    """
    return _draw_gamma(_stateless(seed, None), "StatelessRandomGammaV3", shape, alpha, beta,
                       dtype, shape_is_output=True)


@stateful("StatelessRandomPoisson")
def stateless_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """Deterministic pseudorandom samples from Poisson distributions of rates `lam`
    (broadcast to `shape`, which must end with `lam`'s shape).

    >>> x = tf.random.stateless_poisson([3, 2], seed=[1, 2], lam=[5.0, 6.0])
    >>> x.shape, x.dtype
    (TensorShape([3, 2]), tf.int32)
    """
    return _draw_poisson(_stateless(seed, None), "StatelessRandomPoisson", shape, lam, dtype,
                         shape_is_output=True)


@stateful("StatelessRandomBinomial")
def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Deterministic pseudorandom samples from binomial distributions of `counts` trials
    with success probabilities `probs` (both broadcast to `shape`).

    >>> tf.random.stateless_binomial([2], seed=[1, 2], counts=5.0, probs=1.0).numpy().tolist()
    [5, 5]
    """
    op_name = "StatelessRandomBinomial"
    dims = _shape(shape, op_name)
    dtype = dtypes.as_dtype(output_dtype)
    counts = np.broadcast_to(np.asarray(convert_to_tensor(counts)._value, np.float64), dims)
    probs = np.broadcast_to(np.asarray(convert_to_tensor(probs)._value, np.float64), dims)
    rng = _stateless(seed, None)(op_name, dtype)
    values = rng.binomial(counts.astype(np.int64), np.clip(probs, 0.0, 1.0))
    return wrap(values.astype(dtype.as_numpy_dtype))


@stateful("StatelessRandomGetKeyCounter")
def split(seed, num=2, alg="auto_select"):
    """Splits an RNG seed (shape [2]) into `num` new seeds, of shape `[num, 2]`.

    >>> tf.random.split([1, 2], num=3).shape
    TensorShape([3, 2])
    """
    seed = _seed_pair(seed)[0]
    return stateless_uniform([num, 2], seed, minval=None, maxval=None, dtype=seed.dtype, alg=alg)


@stateful("StatelessRandomGetKeyCounter")
def fold_in(seed, data, alg="auto_select"):
    """Folds the integer `data` into an RNG seed (shape [2]), giving a new seed.

    >>> tf.random.fold_in([1, 2], 5).numpy().tolist()[1]
    5
    """
    seed = _seed_pair(seed)[0]
    key = stateless_uniform([1], seed, minval=None, maxval=None, dtype=seed.dtype, alg=alg)
    data = convert_to_tensor(data, seed.dtype)._value
    return wrap(np.array([key._value[0], data], dtype=seed._value.dtype))
