"""Variable: a mutable tensor whose reads the tape follows.

Its array is never written in place: every assignment stores a new array, so a tensor
read from a variable keeps its value when the variable changes afterwards.
"""

import enum
import itertools
import sys

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.indexed_slices import IndexedSlices
from eagerflow.framework.name_scope import current_scope
from eagerflow.framework.op import active_trace, op_error, read_epoch, recorders, tf_type_name
from eagerflow.framework.tensor import (Reference, Tensor, convert_to_tensor, numpy_text,
                                        value_left, wrap)
from eagerflow.framework.tensor_shape import TensorShape


_creation_order = itertools.count()


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
                raise ValueError(f"initial_value: Tensor conversion requested dtype "
                                 f"{dtypes.as_dtype(dtype).name} for Tensor with dtype "
                                 f"{value.dtype.name}: {value!r}")
        self._value = np.array(value._value, copy=True) if isinstance(
            initial_value, Variable) else value._value
        self._shape = value.shape if shape is None else TensorShape(shape)
        if not self._shape.is_compatible_with(value.shape):
            raise ValueError(f"In this `tf.Variable` creation, the initial value's shape "
                             f"({value.shape}) is not compatible with the explicitly supplied "
                             f"`shape` argument ({self._shape}).")
        self._trainable = True if trainable is None else bool(trainable)
        self._name = current_scope() + ("Variable" if name is None else str(name))
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._snapshot = None
        self._snapshot_epoch = 0
        self._creation_index = next(_creation_order)
        if recorders:
            trace = active_trace()
            if trace is not None:
                trace.variable_created(self)

    # --- reading ------------------------------------------------------------------------

    def _read_for_op(self):
        """The current value as a Tensor, with the read reported to active tapes."""
        snapshot = self._snapshot
        if snapshot is None or self._snapshot_epoch != read_epoch[0]:
            snapshot = self._snapshot = wrap(self._value)
            self._snapshot_epoch = read_epoch[0]
        for recorder in recorders:
            # A tf.function trace hands back a symbolic read that inner tapes then see.
            replaced = recorder.variable_read(self, snapshot)
            if replaced is not None:
                snapshot = replaced
        return snapshot

    def value(self):
        """The variable's current value as a Tensor."""
        return self._read_for_op()

    def read_value(self):
        """The variable's current value as a Tensor."""
        return self._read_for_op()

    def numpy(self):
        """A NumPy copy of the value; a NumPy scalar for a scalar variable."""
        if recorders:
            value_left(self, ".numpy()")
        value = np.array(self._value, copy=True)
        return value[()] if value.ndim == 0 else value

    def __array__(self, dtype=None, copy=None):
        if recorders:
            value_left(self, "np.asarray(...) or a NumPy function")
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
        """Sets the variable to `value`, checking dtype and shape.

        Returns the variable (as an `UnreadVariable`), or None with `read_value=False`.
        """
        if recorders and active_trace() is not None:
            return self._traced_update("assign", value, read_value=read_value)
        array = self._converted(value)
        if not self._shape.is_compatible_with(array.shape):
            raise ValueError(f"Cannot assign value to variable ' {self.name}': Shape mismatch."
                             f"The variable shape {self._shape}, and the assigned value shape "
                             f"{TensorShape(array.shape)} are incompatible.")
        self._store(array)
        return UnreadVariable(self) if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds `delta` (same shape); returns the variable, or None with `read_value=False`."""
        if recorders and active_trace() is not None:
            return self._traced_update("assign_add", delta, read_value=read_value)
        delta = self._same_shape(delta, "AssignAddVariableOp")
        buffer = self._writable_array()
        np.add(buffer, delta, out=buffer)
        return UnreadVariable(self) if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts `delta` (same shape); returns the variable, or None with `read_value=False`."""
        if recorders and active_trace() is not None:
            return self._traced_update("assign_sub", delta, read_value=read_value)
        delta = self._same_shape(delta, "AssignSubVariableOp")
        buffer = self._writable_array()
        np.subtract(buffer, delta, out=buffer)
        return UnreadVariable(self) if read_value else None

    def _traced_update(self, method, value, **kwargs):
        """Inside a tf.function trace an update is recorded, to happen at each execution."""
        if kwargs.get("read_value", True):
            kwargs = {}
        return active_trace().update_variable(self, method, (value,), kwargs)

    def _writable_array(self):
        """The variable's array, ready to be updated in place.

        It is updated in place only when nothing else can see it: no tensor read from the
        variable (nor a view of one) is alive. Otherwise the variable first takes a private
        copy, so earlier reads keep their values.
        """
        if recorders and active_trace() is not None:
            raise NotImplementedError(
                f"An in-place update of {self.name} ran while a tf.function was tracing: it "
                "would happen once, now, instead of at every call. Declare the updating "
                "function with `eagerflow.framework.op.stateful(name, updates_only=True)` "
                "so that the trace records it, or use `assign`/`assign_add`/`assign_sub`.")
        self._snapshot = None
        value = self._value
        # References: self._value, `value` here, and getrefcount's own argument.
        if not (type(value) is np.ndarray and value.base is None and value.flags.writeable
                and sys.getrefcount(value) <= 3):
            value = np.array(value, copy=True)
            self._value = value
        return value

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
        if index.dtype.kind not in "iu":
            raise op_error(op_name, f"Value for attr 'Tindices' of "
                                    f"{tf_type_name(dtypes.from_numpy(index.dtype))} is not in "
                                    f"the list of allowed values: int32, int64")
        if index.ndim == 0:
            raise op_error(op_name, "indices must be at least a vector, got a scalar")
        values = self._converted(updates)
        _check_scatter_shapes(op_name, self._value.shape, index.shape, values.shape)
        if index.ndim == 1:
            index = index[:, np.newaxis]  # [i, j] holds two indices into the first dimension
        bounds = np.asarray(self._value.shape[:index.shape[-1]])
        bad = np.argwhere(np.any((index < 0) | (index >= bounds), axis=-1))
        if bad.size:
            position = tuple(int(i) for i in bad[0])
            raise op_error(op_name, f"indices[{','.join(map(str, position))}] = "
                                    f"{index[position].tolist()} does not index into shape "
                                    f"{_dims_text(self._value.shape)}")
        new = np.array(self._value, copy=True)
        write(new, tuple(np.moveaxis(index, -1, 0)), values)
        self._store(new)
        return UnreadVariable(self)

    # --- sparse reads and row updates ---------------------------------------------------

    def sparse_read(self, indices, name=None):
        """Gathers the rows at `indices`; the gradient reaching the variable is an IndexedSlices.

        >>> v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        >>> v.sparse_read([2, 0]).numpy().tolist()
        [[5.0, 6.0], [1.0, 2.0]]
        """
        from eagerflow.ops import indexing_ops  # gathering is an op, one floor up
        return indexing_ops.resource_gather(self, indices)

    def gather_nd(self, indices, name=None):
        """Gathers the elements or slices named by the index vectors in `indices` (shape [..., k]).

        >>> tf.Variable([[1.0, 2.0], [3.0, 4.0]]).gather_nd([[1, 0]]).numpy().tolist()
        [3.0]
        """
        from eagerflow.ops import indexing_ops  # gathering is an op, one floor up
        return indexing_ops.resource_gather_nd(self, indices)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Sets the rows `sparse_delta.indices` to `sparse_delta.values` (an IndexedSlices).

        >>> from eagerflow.framework.indexed_slices import IndexedSlices
        >>> v = tf.Variable([1.0, 2.0, 3.0])
        >>> v.scatter_update(IndexedSlices(tf.constant([9.0]), tf.constant([1]))).numpy().tolist()
        [1.0, 9.0, 3.0]

        Returns the variable (as an `UnreadVariable`). Raises TypeError if `sparse_delta` is
        not an IndexedSlices.
        """
        return self._scatter(sparse_delta, "ResourceScatterUpdate", _assign_rows, None)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """Adds `sparse_delta.values` to the rows `sparse_delta.indices`; repeats add up."""
        return self._scatter(sparse_delta, "ResourceScatterAdd", np.add.at, _ARITHMETIC)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        """Subtracts `sparse_delta.values` from the rows `sparse_delta.indices`."""
        return self._scatter(sparse_delta, "ResourceScatterSub", np.subtract.at, _ARITHMETIC)

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        """Multiplies the rows `sparse_delta.indices` by `sparse_delta.values`."""
        return self._scatter(sparse_delta, "ResourceScatterMul", np.multiply.at, _ARITHMETIC)

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        """Divides the rows `sparse_delta.indices` by `sparse_delta.values` (none may be 0);
        integers divide truncating toward zero."""
        return self._scatter(sparse_delta, "ResourceScatterDiv", _divide_rows, _ARITHMETIC)

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        """Sets the rows `sparse_delta.indices` to their maximum with `sparse_delta.values`."""
        return self._scatter(sparse_delta, "ResourceScatterMax", np.maximum.at, _REAL)

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        """Sets the rows `sparse_delta.indices` to their minimum with `sparse_delta.values`."""
        return self._scatter(sparse_delta, "ResourceScatterMin", np.minimum.at, _REAL)

    def _scatter(self, sparse_delta, op_name, write, allowed):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received "
                            f"arg: {sparse_delta}")
        index = np.asarray(convert_to_tensor(sparse_delta.indices)._value)
        if index.dtype.type not in (np.int32, np.int64):
            raise op_error(op_name, f"Value for attr 'Tindices' of "
                                    f"{tf_type_name(dtypes.from_numpy(index.dtype))} is not in "
                                    f"the list of allowed values: int32, int64")
        _check_scatter_dtype(op_name, self.dtype, index, allowed)
        values = self._converted(sparse_delta.values)
        # A scalar variable reads as one row, which only a scalar update can change.
        scalar = self._value.ndim == 0
        rows = self._value.reshape(1) if scalar else self._value
        if not (values.ndim == 0 if scalar else
                values.shape in ((), index.shape + rows.shape[1:])):
            raise op_error(op_name, (
                f"Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = "
                f"[], got updates.shape {_dims_text(values.shape)}, indices.shape "
                f"{_dims_text(index.shape)}, params.shape {_dims_text(self._value.shape)}"))
        bad = np.flatnonzero((index < 0) | (index >= rows.shape[0]))
        if bad.size:
            position = np.unravel_index(bad[0], index.shape) if index.ndim else ()
            where = f"[{','.join(str(i) for i in position)}]" if index.ndim else ""
            raise op_error(op_name, f"indices{where} = {index.reshape(-1)[bad[0]]} is not in "
                                    f"[0, {rows.shape[0]})")
        if write is _divide_rows and np.any(values == 0):
            raise op_error(op_name, "updates must not contain 0")
        new = np.array(rows, copy=True)
        write(new, index, values)
        self._store(new.reshape(self._value.shape))
        return UnreadVariable(self)

    def _assign_slice(self, key, value):
        """`v[key].assign(value)`: `key` is an index already normalized by the slicing op."""
        new = np.array(self._value, copy=True)
        target_shape = new[key].shape
        array = self._converted(value)
        try:
            new[key] = np.broadcast_to(array, target_shape)
        except ValueError:
            raise op_error("ResourceStridedSliceAssign", (
                f"Cannot broadcast input shape {_dims_text(array.shape)} into final shape "
                f"{_dims_text(target_shape)}")) from None
        self._store(new)
        return UnreadVariable(self)

    def _same_shape(self, delta, op_name):
        array = self._converted(delta)
        if array.shape != self._value.shape:
            raise op_error(op_name, (
                f"Cannot update variable with shape {_dims_text(self._value.shape)} using a "
                f"Tensor with shape {_dims_text(array.shape)}, shapes must be equal."))
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
            raise TypeError("object of type 'ResourceVariable' has no len()")
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
        """`f"{v}"` shows the repr, as TensorFlow's variables have no format of their own."""
        if format_spec:
            name = "ResourceVariable" if type(self) is Variable else type(self).__name__
            raise TypeError(f"unsupported format string passed to {name}.__format__")
        return str(self)

    def __setitem__(self, key, value):
        raise TypeError("'ResourceVariable' object does not support item assignment")

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


class UnreadVariable(Variable):
    """What `assign` and its kin return: the same variable, shown as TensorFlow shows it.

    It shares the variable's value (a later assignment shows through) and its updates and
    reads are the variable's; only its `name` ("UnreadVariable") and `trainable` (True)
    are its own.

    >>> v = tf.Variable(1.0)
    >>> v.assign(2.0)
    <tf.Variable 'UnreadVariable' shape=() dtype=float32, numpy=2.0>
    """

    _OWN = frozenset(("_variable", "name", "trainable", "_read_for_op", "__class__",
                      "__dict__"))

    def __init__(self, variable):  # pylint: disable=super-init-not-called
        object.__setattr__(self, "_variable", variable)

    def __getattribute__(self, name):
        if name in UnreadVariable._OWN:
            return object.__getattribute__(self, name)
        return getattr(object.__getattribute__(self, "_variable"), name)

    def __setattr__(self, name, value):
        setattr(self._variable, name, value)

    @property
    def name(self):
        return "UnreadVariable"

    @property
    def trainable(self):
        return True

    def _read_for_op(self):
        return self._variable._read_for_op()  # tapes see a read of the variable itself


_ARITHMETIC = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16,
               dtypes.int8, dtypes.complex64, dtypes.int64, dtypes.uint16, dtypes.complex128,
               dtypes.float16, dtypes.uint32, dtypes.uint64)
_REAL = tuple(d for d in _ARITHMETIC if not d.is_complex)
# TensorFlow's list of the resource scatter kernels' types, quantized ones included.
_ARITHMETIC_TEXT = ("float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                    "qint32, bfloat16, qint16, quint16, uint16, complex128, half, uint32, uint64")


def _check_scatter_dtype(op_name, dtype, index, allowed):
    if allowed is None or dtype in allowed:
        return
    if dtype in _ARITHMETIC:  # complex: the op exists, but has no kernel for it
        raise op_error(op_name, (
            f"No OpKernel was registered to support Op '{op_name}' used by {{{{node "
            f"{op_name}}}}} with these attrs: [Tindices=DT_"
            f"{dtypes.from_numpy(index.dtype).name.upper()}, dtype=DT_{dtype.name.upper()}]"))
    raise op_error(op_name, f"Value for attr 'dtype' of {tf_type_name(dtype)} is not in the "
                            f"list of allowed values: {_ARITHMETIC_TEXT}")


def _assign_rows(array, index, values):
    array[index] = values


def _divide_rows(array, index, values):
    if array.dtype.kind not in "iu":
        np.divide.at(array, index, values)
        return
    # Integers divide truncating toward zero (C's rule); dividing by several repeated
    # updates is dividing once by their product.
    divisor = np.ones_like(array)
    np.multiply.at(divisor, index, values)
    quotient = np.abs(array) // np.abs(divisor)
    array[...] = np.where((array < 0) != (divisor < 0), -quotient, quotient)


def _dims_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _check_scatter_shapes(op_name, shape, index_shape, updates_shape):
    """TensorFlow's rule: updates.shape == indices.shape[:-1] + shape[indices.shape[-1]:].

    A vector of indices [N] counts as [N, 1].
    """
    batch, depth = (len(index_shape) - 1, index_shape[-1]) if len(index_shape) > 1 else (1, 1)
    indices_text, updates_text = _dims_text(index_shape), _dims_text(updates_shape)
    prefix = (f"Dimensions [0,{batch}) of indices[shape={indices_text}] must match dimensions "
              f"[0,{batch}) of updates[shape={updates_text}]")
    suffix = (f"Dimensions [{depth},{len(shape)}) of input[shape={_dims_text(shape)}] must "
              f"match dimensions [{depth},{len(updates_shape)}) of updates[shape={updates_text}]")
    if not updates_shape:
        raise op_error(op_name, prefix)
    if updates_shape[0] != index_shape[0]:
        raise op_error(op_name, (
            f"Dimensions [0,{batch}) of indices[shape={indices_text}] = {index_shape[0]} must "
            f"match dimensions [0,{batch}) of updates[shape={updates_text}] = "
            f"{updates_shape[0]}"))
    if len(updates_shape) < batch:
        raise op_error(op_name, prefix)
    if len(updates_shape) - batch != len(shape) - depth or depth > len(shape):
        raise op_error(op_name, suffix)
    if tuple(updates_shape[:batch]) != tuple(index_shape[:batch]):
        raise op_error(op_name, prefix)
    if tuple(updates_shape[batch:]) != tuple(shape[depth:]):
        raise op_error(op_name, suffix)


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

