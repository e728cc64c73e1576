"""`tf.TensorArray`: a list of same-shaped tensors, written and read by index inside loops.

The elements live in one buffer tensor of shape [size, *element_shape]; each write returns
a new TensorArray over a new buffer (as TensorFlow's flows do), so a TensorArray can be a
`tf.while_loop` variable, eagerly and traced, and gradients flow through writes and reads.
"""

import numpy as np

from eagerflow.framework import dtypes, nest
from eagerflow.framework.errors import OutOfRangeError
from eagerflow.framework.op import primitive
from eagerflow.framework.tensor import convert_to_tensor
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.ops import array_ops, indexing_ops


@primitive("TensorArrayV3", dtypes="integer", differentiable=False)
def _new_buffer(size, dtype=None, element_shape=()):
    return np.zeros((int(size),) + tuple(element_shape), dtype)


@primitive("TensorArraySizeV3", differentiable=False)
def _buffer_size(buffer):
    return np.int32(buffer.shape[0])


@primitive("TensorArrayWriteV3", inputs=3, same_dtype=(0, 2))
def _write(buffer, index, value, dynamic_size=False):
    index = int(index)
    size = buffer.shape[0]
    if index < 0 or index >= size and not dynamic_size:
        raise OutOfRangeError(None, None, f"Tried to write to index {index} but array is not "
                                          f"resizeable and size is: {size} ")
    if buffer.shape[1:] != value.shape:
        if buffer.ndim == 1 and not buffer.any():  # elements' shape not known until now
            buffer = np.zeros((size,) + value.shape, buffer.dtype)
        else:
            raise ValueError(f"Could not write to TensorArray index {index} because the value "
                             f"shape is {list(value.shape)} which is incompatible with the "
                             f"TensorArray's inferred element shape: "
                             f"{list(buffer.shape[1:])}.")
    if index >= size:
        grown = np.zeros((index + 1,) + buffer.shape[1:], buffer.dtype)
        grown[:size] = buffer
        buffer = grown
    else:
        buffer = buffer.copy()
    buffer[index] = value
    return buffer


@_write.gradient
def _write_grad(op, dy):
    buffer, index, _ = op.inputs
    # The written row's gradient goes to the value; the other rows flow to the old buffer.
    return [_clear_row(dy, index, buffer), None, indexing_ops.gather(dy, index)]


@primitive("TensorArrayClearRow", inputs=3, same_dtype=False)
def _clear_row(grad, index, like):
    """`grad` cut to the rows of `like` with row `index` zeroed (zeros when `like` held no
    elements of this shape yet)."""
    rows = like.shape[0]
    if grad.shape[1:] != like.shape[1:]:
        return np.zeros(like.shape, grad.dtype)
    out = grad[:rows].copy()
    if int(index) < rows:
        out[int(index)] = 0
    return out


@_clear_row.gradient
def _clear_row_grad(op, dy):
    grad, index, _ = op.inputs
    return [_pad_cleared(dy, index, grad), None, None]


@primitive("TensorArrayPadCleared", inputs=3, same_dtype=False)
def _pad_cleared(grad, index, like):
    """The adjoint of `_clear_row`: `grad` zero-padded to the rows of `like`, row `index`
    zeroed."""
    out = np.zeros(like.shape, grad.dtype)
    if grad.shape[1:] == like.shape[1:]:
        rows = min(grad.shape[0], like.shape[0])
        out[:rows] = grad[:rows]
        if int(index) < like.shape[0]:
            out[int(index)] = 0
    return out


@_pad_cleared.gradient
def _pad_cleared_grad(op, dy):
    grad, index, _ = op.inputs
    return [_clear_row(dy, index, grad), None, None]


class TensorArray:
    """A list of tensors of one dtype that loops write by index (`tf.TensorArray`).

    >>> ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    >>> ta = ta.write(0, 1.0).write(1, 2.0)
    >>> ta.stack().numpy().tolist(), int(ta.size())
    ([1.0, 2.0], 2)
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._element_shape = TensorShape(element_shape)
        if flow is not None:
            self._buffer = flow
            return
        if size is None:
            size = 0
            self._dynamic_size = True
        known = self._element_shape.is_fully_defined()
        shape = tuple(self._element_shape.as_list()) if known else ()
        self._buffer = _new_buffer(convert_to_tensor(size, dtypes.int32),
                                   dtype=self._dtype.as_numpy_dtype, element_shape=shape)

    def _with(self, buffer):
        return TensorArray(self._dtype, dynamic_size=self._dynamic_size,
                           element_shape=self._element_shape, flow=buffer)

    @property
    def dtype(self):
        return self._dtype

    @property
    def dynamic_size(self):
        return self._dynamic_size

    @property
    def element_shape(self):
        return self._element_shape

    @property
    def flow(self):
        """The buffer tensor of shape [size, *element_shape] holding the elements."""
        return self._buffer

    def size(self, name=None):
        """The number of elements, as a scalar int32 tensor."""
        return _buffer_size(self._buffer)

    def read(self, index, name=None):
        """The element at `index`."""
        return indexing_ops.gather(self._buffer, convert_to_tensor(index, dtypes.int32))

    def write(self, index, value, name=None):
        """A TensorArray with `value` at `index` (grown if `dynamic_size`)."""
        value = convert_to_tensor(value, self._dtype)
        if not self._element_shape.is_compatible_with(value.shape):
            raise ValueError(f"Incompatible shape for value ({value.shape}), expected "
                             f"({self._element_shape})")
        return self._with(_write(self._buffer, convert_to_tensor(index, dtypes.int32), value,
                                 dynamic_size=self._dynamic_size))

    def stack(self, name=None):
        """All elements stacked into one tensor of shape [size, *element_shape]."""
        return array_ops.identity(self._buffer)

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        return indexing_ops.gather(self._buffer, convert_to_tensor(indices, dtypes.int32))

    def unstack(self, value, name=None):
        """A TensorArray whose elements are the rows of `value`."""
        return self._with(convert_to_tensor(value, self._dtype))

    def scatter(self, indices, value, name=None):
        """A TensorArray with the rows of `value` written at `indices`."""
        result = self
        indices = convert_to_tensor(indices, dtypes.int32)
        value = convert_to_tensor(value, self._dtype)
        for k in range(int(np.shape(indices._value)[0])):
            result = result.write(indices[k], value[k])
        return result

    def concat(self, name=None):
        """The elements concatenated along their first axis."""
        shape = array_ops.shape(self._buffer)
        return array_ops.reshape(self._buffer, array_ops.concat([[-1], shape[2:]], 0))

    def identity(self):
        return self._with(self._buffer)

    def mark_used(self):
        pass

    def close(self, name=None):
        pass

    def __repr__(self):
        return f"<TensorArray dtype={self._dtype.name} element_shape={self._element_shape}>"


def flatten_loop_vars(structure):
    """The tensors of a loop-variable structure; a TensorArray counts as its buffer."""
    return [leaf.flow if isinstance(leaf, TensorArray) else leaf
            for leaf in nest.flatten(structure)]


def pack_loop_vars(template, flat):
    """Rebuilds `template`'s structure around `flat`, TensorArrays around their buffers."""
    leaves = nest.flatten(template)
    packed = [leaf._with(value) if isinstance(leaf, TensorArray) else value
              for leaf, value in zip(leaves, flat)]
    return nest.pack_sequence_as(template, packed)


def is_tensor_array(value):
    return isinstance(value, TensorArray)

