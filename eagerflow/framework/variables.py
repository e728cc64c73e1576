"""Variable: a mutable tensor whose reads the tape follows.

Its array is never written in place: every assignment stores a new array, so a tensor
read from a variable keeps its value when the variable changes afterwards.
"""

import enum

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.op import op_error, recorders
from eagerflow.framework.tensor import (Reference, Tensor, convert_to_tensor, numpy_text,
                                        wrap)
from eagerflow.framework.tensor_shape import TensorShape


class VariableSynchronization(enum.Enum):
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class Variable:
    """A tensor whose value can be changed by `assign`, `assign_add` and `assign_sub`.

    >>> v = tf.Variable([[1.0], [2.0]])
    >>> v[0, 0].assign(7.0).assign_add(tf.ones((2, 1))).numpy().tolist()
    [[8.0], [3.0]]

    Args:
      initial_value: a Tensor or a value convertible to one, or a callable returning one.
      trainable: watched automatically by GradientTape when read (default True).
      name: the variable's name; `name` reads back as "<name>:0".
      dtype: convert the initial value to this dtype.
      shape: the variable's shape, possibly with None dimensions so assignments may
        change it (default: the initial value's shape).
    """

    _is_tensor_like = True
    __array_priority__ = 100

    def __init__(self, initial_value=None, trainable=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None,
                 synchronization=VariableSynchronization.AUTO,
                 aggregation=VariableAggregation.NONE, shape=None,
                 experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified "
                             "except when you are not providing a `variable_def`. You "
                             "provided neither.")
        if callable(initial_value):
            initial_value = initial_value()
        if dtype is not None and not isinstance(initial_value, (Tensor, Variable)):
            value = convert_to_tensor(initial_value, dtype)
        else:
            value = convert_to_tensor(initial_value)
            if dtype is not None and value.dtype != dtypes.as_dtype(dtype):
                value = convert_to_tensor(value, dtype)  # TensorFlow's conversion error
        self._value = np.array(value._value, copy=True) if isinstance(
            initial_value, Variable) else value._value
        self._shape = value.shape if shape is None else TensorShape(shape)
        if not self._shape.is_compatible_with(value.shape):
            raise ValueError(f"The initial value's shape ({value.shape}) is not compatible "
                             f"with the explicitly supplied `shape` argument ({self._shape}).")
        self._trainable = True if trainable is None else bool(trainable)
        self._name = "Variable" if name is None else str(name)
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._snapshot = None

    # --- reading ------------------------------------------------------------------------

    def _snapshot_for_gradient(self):
        if self._snapshot is None:
            self._snapshot = wrap(self._value)
        return self._snapshot

    def _read_for_op(self):
        """The current value as a Tensor, with the read reported to active tapes."""
        snapshot = self._snapshot
        if snapshot is None:
            snapshot = self._snapshot = wrap(self._value)
        for recorder in recorders:
            recorder.variable_read(self, snapshot)
        return snapshot

    def value(self):
        """The variable's current value as a Tensor."""
        return self._read_for_op()

    def read_value(self):
        """The variable's current value as a Tensor."""
        return self._read_for_op()

    def numpy(self):
        value = np.array(self._value, copy=True)
        value.flags.writeable = False
        return value[()] if value.ndim == 0 else value

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self._value)
        if dtype is not None and value.dtype != dtype:
            return value.astype(dtype)
        return value.copy() if copy else value

    # --- properties ---------------------------------------------------------------------

    @property
    def name(self):
        return f"{self._name}:0"

    @property
    def dtype(self):
        return dtypes.from_numpy(self._value.dtype)

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def synchronization(self):
        return self._synchronization

    @property
    def aggregation(self):
        return self._aggregation

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    def ref(self):
        """A hashable reference to this variable (variables themselves are unhashable)."""
        return Reference(self)

    experimental_ref = ref

    # --- writing ------------------------------------------------------------------------

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Sets the variable to `value`, checking dtype and shape; returns the variable."""
        array = self._converted(value)
        if not self._shape.is_compatible_with(array.shape):
            raise ValueError(f"Cannot assign value to variable ' {self.name}': Shape mismatch."
                             f"The variable shape {self._shape}, and the assigned value shape "
                             f"{TensorShape(array.shape)} are incompatible.")
        self._store(array)
        return self

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds `delta` (same shape) to the variable; returns the variable."""
        self._store(np.add(self._value, self._same_shape(delta, "AssignAddVariableOp")))
        return self

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts `delta` (same shape) from the variable; returns the variable."""
        self._store(np.subtract(self._value, self._same_shape(delta, "AssignSubVariableOp")))
        return self

    def scatter_nd_update(self, indices, updates, name=None):
        """Sets the elements or slices at `indices` (shape [N, k]) to `updates`."""
        return self._scatter_nd(indices, updates, "ResourceScatterNdUpdate", np.ndarray.__setitem__)

    def scatter_nd_add(self, indices, updates, name=None):
        """Adds `updates` at `indices` (shape [N, k]); repeated indices add up."""
        return self._scatter_nd(indices, updates, "ResourceScatterNdAdd", np.add.at)

    def scatter_nd_sub(self, indices, updates, name=None):
        """Subtracts `updates` at `indices` (shape [N, k]); repeated indices add up."""
        return self._scatter_nd(indices, updates, "ResourceScatterNdSub", np.subtract.at)

    def _scatter_nd(self, indices, updates, op_name, write):
        index = np.asarray(convert_to_tensor(indices)._value)
        if index.dtype.kind not in "iu" or index.ndim < 1 or index.shape[-1] > self._value.ndim:
            raise op_error(op_name, f"indices must be an integer tensor of shape [..., k] with "
                                    f"k <= {self._value.ndim}, got shape {list(index.shape)}")
        bounds = np.asarray(self._value.shape[:index.shape[-1]])
        bad = np.nonzero(np.any((index < 0) | (index >= bounds), axis=-1))[0]
        if bad.size:
            position = np.unravel_index(bad[0], index.shape[:-1])
            raise op_error(op_name, f"indices{list(position)} = {index[position].tolist()} does "
                                    f"not index into shape {list(self._value.shape)}")
        new = np.array(self._value, copy=True)
        key = tuple(np.moveaxis(index, -1, 0))
        values = self._converted(updates)
        try:
            write(new, key, values)
        except ValueError as err:
            raise op_error(op_name, f"updates shape {list(values.shape)} does not match the "
                                    f"indexed shape: {err}") from None
        self._store(new)
        return self

    def _assign_slice(self, key, value):
        """`v[key].assign(value)`: `key` is an index already normalized by the slicing op."""
        new = np.array(self._value, copy=True)
        target_shape = new[key].shape
        array = self._converted(value)
        try:
            new[key] = np.broadcast_to(array, target_shape)
        except ValueError:
            raise op_error("ResourceStridedSliceAssign", (
                f"Cannot broadcast input shape {list(array.shape)} into final shape "
                f"{list(target_shape)}")) from None
        self._store(new)
        return self

    def _same_shape(self, delta, op_name):
        array = self._converted(delta)
        if array.shape != self._value.shape:
            raise op_error(op_name, (
                f"Cannot update variable with shape {list(self._value.shape)} using a Tensor "
                f"with shape {list(array.shape)}, shapes must be equal."))
        return array

    def _converted(self, value):
        if isinstance(value, Variable):
            value = value._read_for_op()
        return convert_to_tensor(value, self.dtype)._value

    def _store(self, array):
        self._value = array
        self._snapshot = None

    # --- Python protocols ---------------------------------------------------------------

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("len() of unsized object")
        return len(self._value)

    def __iter__(self):
        return iter(self._read_for_op())

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __index__(self):
        return self._read_for_op().__index__()

    def __format__(self, format_spec):
        return self._read_for_op().__format__(format_spec)

    def __hash__(self):
        raise TypeError(f"Variable is unhashable. Instead, use variable.ref() as the key. "
                        f"(Variable: {self!r})")

    def __deepcopy__(self, memo):
        copied = Variable(np.array(self._value, copy=True), trainable=self._trainable,
                          name=self._name, shape=self._shape, constraint=self._constraint)
        memo[id(self)] = copied
        return copied

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={self._shape} dtype={self.dtype.name}, "
                f"numpy={numpy_text(np.asarray(self._value), is_repr=True)}>")


class VariableSlice(Tensor):
    """The tensor `v[key]` of a variable, which can also `assign` into that slice."""

    __slots__ = ("_variable", "_key")

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Writes `value` (broadcast to the slice's shape) into the variable's slice."""
        return self._variable._assign_slice(self._key, value)


def variable_slice(tensor, variable, key):
    """`tensor`, the result of slicing `variable` with `key`, as a slice that can be assigned.

    The tape links the two with `identity`, so gradients flow through the slice.
    """
    sliced = object.__new__(VariableSlice)
    sliced._value = tensor._value
    sliced._variable = variable
    sliced._key = key
    return sliced

