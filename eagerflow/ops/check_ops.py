"""`tf.debugging`'s assertions, as they behave eagerly: they check at once, raise on failure
and return None.

Value checks raise InvalidArgumentError with TensorFlow's message (the `message` argument,
the condition and a summary of the values); checks that TensorFlow settles from static
information (rank, dtype) raise ValueError or TypeError, as it does.
"""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.op import op_error, primitive
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor
from eagerflow.ops import math_ops
from eagerflow.ops.array_ops import reshape
from eagerflow.ops.reduction_ops import reduce_all


def _message_prefix(message):
    return f"{message}.  " if message else ""


def _summarize(tensor, summarize):
    """TensorFlow's eager summary of a tensor in `Assert` messages: `1, 2, 3, ...`."""
    value = np.asarray(tensor._value)
    if summarize is None:
        summarize = 3
    elif summarize < 0:
        summarize = value.size
    if value.ndim:
        flat = value.reshape(-1)
        items = [str(item) for item in flat[:summarize]]
        if len(items) < flat.size:
            items.append("...")
    else:
        items = [str(value[()])] if summarize != 0 else []
    return ", ".join(items)


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TensorFlow's name
    """Asserts that `condition` is true; if not, raises with a summary of each of `data`.

    >>> from eagerflow.ops.check_ops import Assert
    >>> try:
    ...     Assert(tf.constant(False), ["x is", tf.constant([1, 2, 3, 4])])
    ... except tf.errors.InvalidArgumentError as err:
    ...     print(err.message)
    Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: b'x is'
    1, 2, 3, ...

    Args:
      condition: a boolean scalar (Python or tensor).
      data: the values to print on failure (strings and tensors).
      summarize: how many entries of each tensor to print (default 3; negative: all).

    Raises:
      InvalidArgumentError: `condition` is false.
    """
    if not condition:
        items = [convert_to_tensor(item) for item in data]
        summary = "\n".join(_summarize(item, summarize) for item in items)
        raise InvalidArgumentError(None, None, f"Expected '{condition!s}' to be true. "
                                               f"Summarized data: {summary}")


# --- binary comparisons -----------------------------------------------------------------

def _pretty(item, summarize):
    """One line of a failed comparison's message, as TensorFlow prints it eagerly."""
    if not isinstance(item, Tensor):
        return str(item)
    value = item.numpy()
    if np.isscalar(value):
        return str(value)
    flat = value.reshape(-1)
    items = [str(x) for x in flat[:summarize]]
    if len(items) < flat.size:
        items.append("...")
    return str(items)


def _differences(symbol, x, y, summarize, passed):
    """The default report of a failed comparison: where it failed and the first values."""
    lines = [f"Condition x {symbol} y did not hold."]
    if summarize <= 0:
        return lines
    if x.shape == y.shape and x.shape.rank:
        failed = ~passed
        count = min(summarize, int(np.count_nonzero(failed)))
        lines += [f"Indices of first {count} different values:", np.argwhere(failed)[:count],
                  "Corresponding x values:", x._value[failed][:count],
                  "Corresponding y values:", y._value[failed][:count]]
    for label, value in (("x", x._value.reshape(-1)), ("y", y._value.reshape(-1))):
        shown = min(value.size, summarize)
        lines += [f"First {shown} elements of {label}:", value[:shown]]
    return lines


def _binary_assert(symbol, compare, x, y, message, summarize, data=None):
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    passed = compare(x, y)._value
    if np.all(passed):
        return
    if summarize is None:
        summarize = 3
    elif summarize < 0:
        summarize = max(x._value.size, y._value.size)
    if data is None:
        data = _differences(symbol, x, y, summarize, passed)
    if message is not None:
        data = [message] + list(data)
    raise InvalidArgumentError(None, None, "\n".join(_pretty(item, summarize) for item in data))


def _binary(name, symbol, compare, example):
    def assertion(x, y, message=None, summarize=None, name=None):
        _binary_assert(symbol, compare, x, y, message, summarize)
    assertion.__name__ = assertion.__qualname__ = f"assert_{name}"
    assertion.__module__ = __name__
    assertion.__doc__ = f"""Asserts that `x {symbol} y` holds element-wise (with broadcasting).

    On failure the error lists `message`, the indices and values where the condition
    fails (when the shapes are equal) and the first `summarize` entries of `x` and `y`.

    >>> from eagerflow.ops.check_ops import assert_{name}
    >>> assert_{name}({example})

    Raises:
      InvalidArgumentError: the condition fails somewhere, or the shapes do not broadcast.
    """
    return assertion


assert_equal = _binary("equal", "==", math_ops.equal, "[1, 2], [1, 2]")
assert_less = _binary("less", "<", math_ops.less, "[1, 2], [2, 3]")
assert_less_equal = _binary("less_equal", "<=", math_ops.less_equal, "[1, 2], [1, 3]")
assert_greater = _binary("greater", ">", math_ops.greater, "[2, 3], [1, 2]")
assert_greater_equal = _binary("greater_equal", ">=", math_ops.greater_equal, "[2, 3], [2, 2]")


def assert_none_equal(x, y, summarize=None, message=None, name=None):
    """Asserts that `x != y` holds element-wise (with broadcasting).

    >>> from eagerflow.ops.check_ops import assert_none_equal
    >>> assert_none_equal([1, 2], [2, 1])

    Raises:
      InvalidArgumentError: some pair of elements is equal.
    """
    _binary_assert("!=", math_ops.not_equal, x, y, message, summarize)


# --- signs ------------------------------------------------------------------------------

def _sign_assert(condition, zero_first, compare, x, message, summarize, joined=False):
    x = convert_to_tensor(x)
    zero = convert_to_tensor(0, x.dtype)
    lines = [f"Condition x {condition} did not hold element-wise:",
             f"x (shape={x.shape} dtype={x.dtype.name}) = "]
    if joined:  # TensorFlow's assert_non_positive runs the two lines together
        lines = ["".join(lines)]
    data = [_message_prefix(message)] + lines + [x]
    operands = (zero, x) if zero_first else (x, zero)
    _binary_assert(condition, compare, *operands, None, summarize, data)


def assert_positive(x, message=None, summarize=None, name=None):
    """Asserts that `x > 0` holds element-wise.

    >>> from eagerflow.ops.check_ops import assert_positive
    >>> assert_positive([1.0, 2.0])

    Raises:
      InvalidArgumentError: some element is not positive.
    """
    _sign_assert("> 0", True, math_ops.less, x, message, summarize)


def assert_negative(x, message=None, summarize=None, name=None):
    """Asserts that `x < 0` holds element-wise.

    >>> from eagerflow.ops.check_ops import assert_negative
    >>> assert_negative([-1, -2])

    Raises:
      InvalidArgumentError: some element is not negative.
    """
    _sign_assert("< 0", False, math_ops.less, x, message, summarize)


def assert_non_negative(x, message=None, summarize=None, name=None):
    """Asserts that `x >= 0` holds element-wise.

    >>> from eagerflow.ops.check_ops import assert_non_negative
    >>> assert_non_negative([0, 2])

    Raises:
      InvalidArgumentError: some element is negative.
    """
    _sign_assert(">= 0", True, math_ops.less_equal, x, message, summarize)


def assert_non_positive(x, message=None, summarize=None, name=None):
    """Asserts that `x <= 0` holds element-wise.

    >>> from eagerflow.ops.check_ops import assert_non_positive
    >>> assert_non_positive([0, -2])

    Raises:
      InvalidArgumentError: some element is positive.
    """
    _sign_assert("<= 0", False, math_ops.less_equal, x, message, summarize, joined=True)


# --- closeness --------------------------------------------------------------------------

def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """Asserts that `abs(x - y) < atol + rtol * abs(y)` holds element-wise.

    `rtol` and `atol` default to ten times the machine epsilon of `x`'s (real) dtype.

    >>> from eagerflow.ops.check_ops import assert_near
    >>> assert_near([1.0, 2.0], [1.0, 2.0000001])

    Raises:
      InvalidArgumentError: some pair is not that close.
      ValueError: `x` is not floating or complex.
    """
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, x.dtype)
    real = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
    eps = np.finfo(real.as_numpy_dtype).eps
    rtol = convert_to_tensor(10 * eps if rtol is None else rtol, real)
    atol = convert_to_tensor(10 * eps if atol is None else atol, real)
    tolerance = math_ops.add(atol, math_ops.multiply(rtol, math_ops.abs(y)))
    condition = reduce_all(math_ops.less(math_ops.abs(math_ops.subtract(x, y)), tolerance))
    data = [_message_prefix(message),
            f"x and y not equal to tolerance rtol = {rtol!s}, atol = {atol!s}",
            f"x (shape={x.shape} dtype={x.dtype.name}) = ", x,
            f"y (shape={y.shape} dtype={y.dtype.name}) = ", y]
    Assert(condition, data, summarize=summarize)


# --- static properties: rank, dtype -----------------------------------------------------

def _static_rank(rank):
    """A rank argument as a Python int: an int32 scalar, as TensorFlow requires."""
    rank = convert_to_tensor(rank)
    if rank.dtype != dtypes.int32:
        raise TypeError(f"tensor must be of type {dtypes.int32!r}; got {rank.dtype!r}")
    if rank.shape.rank != 0:
        raise ValueError("Rank must be a scalar.")
    return int(rank._value)


def assert_rank(x, rank, message=None, name=None):
    """Asserts that `x` has rank `rank`.

    >>> from eagerflow.ops.check_ops import assert_rank
    >>> assert_rank(tf.zeros((2, 3)), 2)

    Raises:
      ValueError: the rank differs.
    """
    x = convert_to_tensor(x)
    expected = _static_rank(rank)
    if x.shape.rank != expected:
        raise ValueError(f"{_message_prefix(message)}Tensor  must have rank {expected}.  "
                         f"Received rank {x.shape.rank}, shape {x.shape}")


def assert_rank_at_least(x, rank, message=None, name=None):
    """Asserts that `x` has rank `rank` or higher.

    >>> from eagerflow.ops.check_ops import assert_rank_at_least
    >>> assert_rank_at_least(tf.zeros((2, 3)), 1)

    Raises:
      ValueError: the rank is lower.
    """
    x = convert_to_tensor(x)
    expected = _static_rank(rank)
    if x.shape.rank < expected:
        raise ValueError(f"{_message_prefix(message)}Tensor  must have rank at least "
                         f"{expected}.  Received rank {x.shape.rank}, shape {x.shape}")


def assert_rank_in(x, ranks, message=None, name=None):
    """Asserts that the rank of `x` is one of `ranks`.

    >>> from eagerflow.ops.check_ops import assert_rank_in
    >>> assert_rank_in(tf.zeros((2, 3)), [1, 2])

    Raises:
      ValueError: the rank is none of them.
    """
    x = convert_to_tensor(x)
    expected = tuple(_static_rank(rank) for rank in ranks)
    if x.shape.rank not in expected:
        raise ValueError(f"{_message_prefix(message)}Tensor  must have rank in {expected}.  "
                         f"Received rank {x.shape.rank}, shape {x.shape}")


def assert_scalar(tensor, message=None, name=None):
    """Asserts that `tensor` is a scalar.

    >>> from eagerflow.ops.check_ops import assert_scalar
    >>> assert_scalar(tf.constant(1.0))

    Raises:
      ValueError: `tensor` has a rank above 0.
    """
    tensor = convert_to_tensor(tensor)
    if tensor.shape.rank != 0:
        raise ValueError(f"{_message_prefix(message)}Expected scalar shape, saw shape: "
                         f"{tensor.shape}.")


def assert_type(tensor, tf_type, message=None, name=None):
    """Asserts that `tensor` has dtype `tf_type`.

    >>> from eagerflow.ops.check_ops import assert_type
    >>> assert_type(tf.constant(1.0), tf.float32)

    Raises:
      TypeError: the dtype differs.
    """
    tf_type = dtypes.as_dtype(tf_type)
    tensor = convert_to_tensor(tensor)
    if tensor.dtype != tf_type:
        raise TypeError(f"{_message_prefix(message)}tensor must be of type {tf_type!r}; got "
                        f"{tensor.dtype!r}")


def assert_integer(x, message=None, name=None):
    """Asserts that `x` has an integer dtype.

    >>> from eagerflow.ops.check_ops import assert_integer
    >>> assert_integer(tf.constant([1, 2]))

    Raises:
      TypeError: the dtype is not an integer one.
    """
    x = convert_to_tensor(x)
    if not x.dtype.is_integer:
        raise TypeError(f'{_message_prefix(message)}Expected "x" to be integer type.  Found: '
                        f'tensor of dtype {x.dtype}')


def assert_same_float_dtype(tensors=None, dtype=None):
    """The floating dtype shared by `tensors` and `dtype` (float32 when neither gives one).

    >>> from eagerflow.ops.check_ops import assert_same_float_dtype
    >>> assert_same_float_dtype([tf.zeros(()), tf.ones(())])
    tf.float32

    Raises:
      ValueError: the dtypes differ, or the shared one is not floating.
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    first = None
    for item in tensors or ():
        if item is None:
            continue
        if dtype is None:
            dtype, first = item.dtype, item
        elif item.dtype != dtype:
            origin = f" as {first!s}" if first is not None else ""
            raise ValueError(f"{item!s}, type={item.dtype}, must be of the same type ({dtype})"
                             f"{origin}.")
    dtype = dtypes.float32 if dtype is None else dtype
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    return dtype


def assert_proper_iterable(values):
    """Asserts that `values` is iterable and not a tensor, array or string.

    >>> from eagerflow.ops.check_ops import assert_proper_iterable
    >>> assert_proper_iterable([1, 2])

    Raises:
      TypeError: `values` is not a "proper" iterable.
    """
    if is_tensor(values) or isinstance(values, (np.ndarray, bytes, str)):
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: '
                        f'{type(values)}')
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def is_numeric_tensor(tensor):
    """True for a tensor of numbers (not bool, not string).

    >>> from eagerflow.ops.check_ops import is_numeric_tensor
    >>> is_numeric_tensor(tf.constant([1.0])), is_numeric_tensor(tf.constant([True]))
    (True, False)
    """
    if not is_tensor(tensor):
        return False
    dtype = tensor.dtype
    return dtype.is_floating or dtype.is_integer or dtype.is_complex


def _monotonic(x, compare):
    x = convert_to_tensor(x)
    if not is_numeric_tensor(x):
        raise TypeError(f"Expected x to be numeric, instead found: {x!s}")
    flat = reshape(x, [-1])
    return reduce_all(compare(flat[1:], flat[:-1]))


def is_non_decreasing(x, name=None):
    """Whether `x[i] <= x[i + 1]` for its elements in row-major order (True when fewer than 2).

    >>> from eagerflow.ops.check_ops import is_non_decreasing
    >>> bool(is_non_decreasing([1, 1, 2]))
    True
    """
    return _monotonic(x, math_ops.greater_equal)


def is_strictly_increasing(x, name=None):
    """Whether `x[i] < x[i + 1]` for its elements in row-major order (True when fewer than 2).

    >>> from eagerflow.ops.check_ops import is_strictly_increasing
    >>> bool(is_strictly_increasing([1, 1, 2]))
    False
    """
    return _monotonic(x, math_ops.greater)


# --- numerics ---------------------------------------------------------------------------

@primitive("CheckNumerics", dtypes="floating", inputs=1)
def check_numerics(tensor, message):
    """Returns `tensor`, after checking that it holds no NaN and no infinity.

    The gradient is checked the same way.

    >>> from eagerflow.ops.check_ops import check_numerics
    >>> try:
    ...     check_numerics(tf.constant([1.0, np.nan]), "bad")
    ... except tf.errors.InvalidArgumentError as err:
    ...     print(err.message)
    bad : Tensor had NaN values [Op:CheckNumerics]

    Raises:
      InvalidArgumentError: `tensor` holds NaN or Inf values.
    """
    if isinstance(message, bytes):
        message = message.decode()
    has_nan, has_inf = bool(np.isnan(tensor).any()), bool(np.isinf(tensor).any())
    if has_nan or has_inf:
        found = "Inf and NaN" if has_nan and has_inf else "NaN" if has_nan else "Inf"
        raise op_error("CheckNumerics", f"{message} : Tensor had {found} values")
    return tensor


@check_numerics.gradient
def _check_numerics_grad(op, dy):
    message = op.attrs["message"]
    if isinstance(message, str):
        message = message.encode()
    # TensorFlow formats the attribute's bytes into the text: "... gradient. b'message'".
    return [check_numerics(dy, f"Not a number (NaN) or infinity (Inf) values detected in "
                               f"gradient. {message}")]


def assert_all_finite(x, message, name=None):
    """Returns `x` after checking that it holds no NaN and no infinity.

    >>> from eagerflow.ops.check_ops import assert_all_finite
    >>> assert_all_finite(tf.constant([1.0]), "bad").numpy().tolist()
    [1.0]

    Raises:
      InvalidArgumentError: `x` holds NaN or Inf values.
    """
    return check_numerics(x, message)
