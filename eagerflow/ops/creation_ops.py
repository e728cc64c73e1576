"""Tensors made from shapes and values: zeros, ones, fill, eye, range, linspace."""

import numbers

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, primitive, shape_tuple, tf_type_name
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor, wrap
from eagerflow.ops.array_ops import reshape
from eagerflow.ops.reduction_ops import reduce_sum


def _shape(shape):
    """A shape argument as a tuple of ints, with TensorFlow's errors (its `Fill` op's)."""
    if (isinstance(shape, float) or is_tensor(shape) and shape.dtype.is_floating
            or isinstance(shape, (list, tuple)) and any(isinstance(d, float) for d in shape)):
        raise TypeError(f"Cannot convert {shape!r} to EagerTensor of dtype int32")
    dims = shape_tuple(shape)
    for d in dims:
        if d < 0:
            raise op_error("Fill", f"Dimension {d} must be >= 0")
    return dims


def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    """A tensor of `shape` filled with zeros.

    >>> print(tf.zeros(shape=(2, 1)))
    tf.Tensor(
    [[0.]
     [0.]], shape=(2, 1), dtype=float32)
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype is dtypes.string:
        return wrap(np.full(_shape(shape), b"", dtype=object))
    return wrap(np.zeros(_shape(shape), dtype.as_numpy_dtype))


def ones(shape, dtype=dtypes.float32, name=None, layout=None):
    """A tensor of `shape` filled with ones.

    >>> tf.ones((2,), tf.int32).numpy().tolist()
    [1, 1]
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype is dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    return wrap(np.ones(_shape(shape), dtype.as_numpy_dtype))


def _dtype_of(input, dtype):
    if dtype is not None:
        return dtypes.as_dtype(dtype)
    array = (input if isinstance(input, Tensor) else convert_to_tensor(input))._value
    return dtypes.from_numpy(array.dtype)


# ZerosLike and OnesLike are ops, not constants: a tf.function traced for unknown sizes
# makes them at each call's shape.

@primitive("ZerosLike", inputs=1, differentiable=False)
def _zeros_like(input, dtype):
    if dtype is dtypes.string:
        return np.full(np.shape(input), b"", dtype=object)
    return np.zeros(np.shape(input), dtype.as_numpy_dtype)


@primitive("OnesLike", inputs=1, differentiable=False)
def _ones_like(input, dtype):
    return np.ones(np.shape(input), dtype.as_numpy_dtype)


def zeros_like(input, dtype=None, name=None, layout=None):
    """A tensor of zeros with the shape (and by default the dtype) of `input`.

    >>> tf.zeros_like(tf.constant([1.5, 2.5])).numpy().tolist()
    [0.0, 0.0]
    """
    return _zeros_like(input, dtype=_dtype_of(input, dtype))


def ones_like(input, dtype=None, name=None, layout=None):
    """A tensor of ones with the shape (and by default the dtype) of `input`.

    >>> tf.ones_like(tf.constant([[1, 2]])).numpy().tolist()
    [[1, 1]]
    """
    dtype = _dtype_of(input, dtype)
    if dtype is dtypes.string:
        raise op_error("OnesLike", "Value for attr 'T' of string is not in the list of allowed "
                                   "values: half, float, double, int8, uint8, int16, uint16, "
                                   "int32, uint32, int64, uint64, complex64, complex128, bool")
    return _ones_like(input, dtype=dtype)


@primitive("Fill", inputs=1)
def _fill(value, dims):
    if np.size(value) != 1 or np.ndim(value) > 1:  # TensorFlow still takes a vector [x]
        raise ValueError(f"value must represent a scalar, got shape "
                         f"[{','.join(str(d) for d in np.shape(value))}]")
    return np.full(dims, np.reshape(value, ()), dtype=np.asarray(value).dtype)


@_fill.gradient
def _fill_grad(op, dy):
    total = reduce_sum(dy)
    return [total if op.inputs[0].shape.rank == 0 else reshape(total, [1])]


def fill(dims, value, name=None, layout=None):
    """A tensor of shape `dims` filled with the scalar `value` (of the value's dtype).

    >>> tf.fill((2,), 3).numpy().tolist()
    [3, 3]
    """
    return _fill(value, _shape(dims))


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """An identity matrix (or a batch of them).

    >>> tf.eye(2, dtype=tf.int32).numpy().tolist()
    [[1, 0], [0, 1]]
    """
    num_columns = num_rows if num_columns is None else num_columns
    if not all(is_tensor(n) or isinstance(n, (numbers.Integral, np.integer))
               for n in (num_rows, num_columns)):
        raise TypeError(f"Arguments `num_rows` and `num_columns` must be positive integer "
                        f"values. Received: num_rows={num_rows}, num_columns={num_columns}")
    num_rows, num_columns = _shape((num_rows, num_columns))
    matrix = np.eye(num_rows, num_columns, dtype=dtypes.as_dtype(dtype).as_numpy_dtype)
    if batch_shape is not None:
        batch = _shape(batch_shape)
        matrix = np.broadcast_to(matrix, batch + matrix.shape).copy()
    return wrap(matrix)


# TensorFlow's `Range` kernels, and the order in which mixed argument dtypes promote.
_RANGE_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16,
                 dtypes.int32, dtypes.int64, dtypes.uint16, dtypes.uint32, dtypes.uint64)
_RANGE_PROMOTION = (dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64)


def _range_argument(value, argument, dtype):
    """A scalar argument of `range` and its dtype; Python values convert to `dtype` strictly."""
    tensor = value if is_tensor(value) else convert_to_tensor(value, dtype)
    if tensor.shape.rank != 0:
        raise op_error("Range", f"{argument} must be a scalar, not shape "
                                f"[{','.join(str(d) for d in tensor.shape)}]")
    if not (tensor.dtype.is_integer or tensor.dtype.is_floating):
        raise TypeError(f"`{argument}` must be a real number, got {value!r}")
    return np.asarray(tensor)[()], tensor.dtype


def _number_text(value):
    """A number as TensorFlow's kernels print it: 5, not 5.0."""
    return str(int(value)) if float(value).is_integer() else str(value)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """Numbers from `start` up to (not including) `limit` in steps of `delta`.

    Integers give int32 and floats float32, unless `dtype` is given. Values are
    `start + i * delta`, computed in the result's dtype as TensorFlow does.

    >>> tf.range(5).numpy().tolist(), tf.range(0.0, 1.0, 0.25).numpy().tolist()
    ([0, 1, 2, 3, 4], [0.0, 0.25, 0.5, 0.75])
    """
    if limit is None:
        start, limit = 0, start
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    arguments = [_range_argument(v, a, dtype) for v, a in ((start, "start"), (limit, "limit"),
                                                          (delta, "delta"))]
    if dtype is None:
        dtype = max((d for _, d in arguments),
                    key=lambda d: _RANGE_PROMOTION.index(d) if d in _RANGE_PROMOTION else -1)
    if dtype not in _RANGE_DTYPES:
        raise op_error("Range", f"Value for attr 'Tidx' of {tf_type_name(dtype)} is "
                                f"not in the list of allowed values: half, float, double, int8, "
                                f"int16, int32, int64, uint16, uint32, uint64")
    scalar = dtype.as_numpy_dtype
    start, limit, delta = (scalar(v) for v, _ in arguments)
    if delta == 0:
        raise op_error("Range", f"Requires delta != 0: {_number_text(delta)}")
    if delta > 0 and start > limit:
        raise op_error("Range", f"Requires start <= limit when delta > 0: "
                                f"{_number_text(start)}/{_number_text(limit)}")
    if delta < 0 and start < limit:
        raise op_error("Range", f"Requires start >= limit when delta < 0: "
                                f"{_number_text(start)}/{_number_text(limit)}")
    if dtype.is_integer:
        count = -(-abs(int(limit) - int(start)) // abs(int(delta)))
    else:
        count = int(np.ceil(np.abs((limit - start) / delta)))
    return wrap(start + np.arange(count, dtype=scalar) * delta)


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`, both included.

    Integer ends give float64, as in TensorFlow; `start` and `stop` may be tensors, and
    the values then run along the new dimension `axis`.

    >>> tf.linspace(0.0, 1.0, 5).numpy().tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    start = convert_to_tensor(start)
    stop = convert_to_tensor(stop, None if is_tensor(stop) else start.dtype)
    dtype = start.dtype if start.dtype.is_floating else dtypes.float64
    scalar = dtype.as_numpy_dtype
    num = convert_to_tensor(num, dtype_hint=dtypes.int32)
    if not num.dtype.is_integer:
        raise TypeError(f"Argument `tensor` (name: num) must be of type integer. Received "
                        f"`tensor` = {num} of dtype: {num.dtype}")
    num = int(num)
    if num < 0:
        raise op_error("Range", "Requires start <= limit when delta > 0: 1/-1")
    # TensorFlow's formula, in the result's dtype: start, start + i * delta, ..., stop.
    steps = max(num - 1, 1)
    first = np.expand_dims(np.asarray(start, scalar), axis)
    last = np.expand_dims(np.asarray(stop, scalar), axis)
    delta = (last - first) / scalar(steps)
    index_shape = [1] * first.ndim
    index_shape[axis] = -1
    middle = first + delta * np.arange(1, steps, dtype=scalar).reshape(index_shape)
    values = np.concatenate(np.broadcast_arrays(first, middle, last)
                            if first.shape != last.shape else (first, middle, last), axis=axis)
    return wrap(np.take(values, np.arange(num), axis=axis))
