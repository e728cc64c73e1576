"""Tensors made from shapes and values: zeros, ones, fill, eye, range, linspace."""

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, primitive, shape_tuple
from eagerflow.framework.tensor import convert_to_tensor, is_tensor, wrap
from eagerflow.ops.reduction_ops import reduce_sum


def _shape(shape, argument="shape"):
    dims = shape_tuple(shape)
    if any(d < 0 for d in dims):
        raise ValueError(f"`{argument}` must not have negative dimensions, got {list(dims)}")
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
    return wrap(np.ones(_shape(shape), dtypes.as_dtype(dtype).as_numpy_dtype))


def _like(input, dtype):
    array = np.asarray(convert_to_tensor(input) if not is_tensor(input) else input)
    dtype = array.dtype if dtype is None else dtypes.as_dtype(dtype).as_numpy_dtype
    return array.shape, dtype


def zeros_like(input, dtype=None, name=None, layout=None):
    """A tensor of zeros with the shape (and by default the dtype) of `input`.

    >>> tf.zeros_like(tf.constant([1.5, 2.5])).numpy().tolist()
    [0.0, 0.0]
    """
    shape, dtype = _like(input, dtype)
    return wrap(np.zeros(shape, dtype))


def ones_like(input, dtype=None, name=None, layout=None):
    """A tensor of ones with the shape (and by default the dtype) of `input`.

    >>> tf.ones_like(tf.constant([[1, 2]])).numpy().tolist()
    [[1, 1]]
    """
    shape, dtype = _like(input, dtype)
    return wrap(np.ones(shape, dtype))


@primitive("Fill", inputs=1)
def _fill(value, dims):
    if np.ndim(value) != 0:
        raise ValueError(f"value must be a scalar, got a tensor of shape "
                         f"{list(np.shape(value))}")
    return np.full(dims, value, dtype=np.asarray(value).dtype)


@_fill.gradient
def _fill_grad(op, dy):
    return [reduce_sum(dy)]


def fill(dims, value, name=None, layout=None):
    """A tensor of shape `dims` filled with the scalar `value` (of the value's dtype).

    >>> tf.fill((2,), 3).numpy().tolist()
    [3, 3]
    """
    return _fill(value, _shape(dims, "dims"))


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """An identity matrix (or a batch of them).

    >>> tf.eye(2, dtype=tf.int32).numpy().tolist()
    [[1, 0], [0, 1]]
    """
    num_columns = num_rows if num_columns is None else num_columns
    matrix = np.eye(int(num_rows), int(num_columns), dtype=dtypes.as_dtype(dtype).as_numpy_dtype)
    if batch_shape is not None:
        batch = _shape(batch_shape, "batch_shape")
        matrix = np.broadcast_to(matrix, batch + matrix.shape).copy()
    return wrap(matrix)


def _python_number(value, argument):
    if is_tensor(value):
        if value.shape.rank != 0:
            raise ValueError(f"`{argument}` must be a scalar, got shape {value.shape}")
        return np.asarray(value)[()], value.dtype
    array = np.asarray(value)
    if array.ndim != 0 or array.dtype.kind not in "iuf":
        raise TypeError(f"`{argument}` must be a real number, got {value!r}")
    if isinstance(value, (np.ndarray, np.generic)):
        return array[()], dtypes.from_numpy(array.dtype)
    return array[()], dtypes.float32 if array.dtype.kind == "f" else dtypes.int32


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """Numbers from `start` up to (not including) `limit` in steps of `delta`.

    Integers give int32 and floats float32, unless `dtype` is given.

    >>> tf.range(5).numpy().tolist(), tf.range(0.0, 1.0, 0.25).numpy().tolist()
    ([0, 1, 2, 3, 4], [0.0, 0.25, 0.5, 0.75])
    """
    if limit is None:
        start, limit = 0, start
    values = [_python_number(v, a) for v, a in ((start, "start"), (limit, "limit"),
                                                 (delta, "delta"))]
    if dtype is None:
        order = [dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64]
        dtype = max((d for _, d in values), key=lambda d: order.index(d) if d in order else 0)
    dtype = dtypes.as_dtype(dtype)
    start, limit, delta = (v for v, _ in values)
    if delta == 0:
        raise _range_error("Requires delta != 0: 0")
    if (delta > 0 and start > limit) or (delta < 0 and start < limit):
        raise _range_error(f"Requires start <= limit when delta > 0: {start}/{limit}"
                           if delta > 0 else
                           f"Requires start >= limit when delta < 0: {start}/{limit}")
    count = int(np.ceil((limit - start) / delta))
    return wrap((start + np.arange(count, dtype=np.float64 if dtype.is_floating else np.int64)
                 * delta).astype(dtype.as_numpy_dtype))


def _range_error(message):
    return op_error("Range", message)


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`, both included.

    >>> tf.linspace(0.0, 1.0, 5).numpy().tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    start, stop = convert_to_tensor(start), convert_to_tensor(stop)
    dtype = start.dtype
    if not dtype.is_floating:
        dtype = dtypes.float64 if dtype.is_integer else dtype
    num = int(np.asarray(num))
    if num < 0:
        raise ValueError(f"`num` must be non-negative, got {num}")
    values = np.linspace(np.asarray(start, np.float64), np.asarray(stop, np.float64), num,
                         axis=axis)
    return wrap(values.astype(dtype.as_numpy_dtype))
