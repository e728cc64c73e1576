"""Tensor: an immutable wrapper of an ndarray, its conversion, operators and printing."""

import numbers

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.tensor_shape import TensorShape

_new = object.__new__
_dtype_of = dtypes._FROM_NUMPY

# The active recorders (GradientTapes and tf.function traces), innermost last. Ops take
# the fast path only while this list is empty. A tape records only differentiable ops; a
# trace (`records_all`) records every op. (Its home is here, below the op dispatcher, so
# that a value leaving as NumPy can be reported to the tapes.)
recorders = []


def value_left(value, how):
    """Tells the recording tapes that `value` left as NumPy (`how`), for None-gradient reasons."""
    for recorder in recorders:
        note = getattr(recorder, "value_left", None)
        if note is not None:
            note(value, how)


class Tensor:
    """A multi-dimensional array of elements of one dtype; immutable.

    Made by `tf.constant`, `tf.convert_to_tensor` and every op.

    >>> print(tf.constant([[1.0], [2.0]]))
    tf.Tensor(
    [[1.]
     [2.]], shape=(2, 1), dtype=float32)
    """

    # `_keras_mask`: the mask a Keras layer attaches to its output; `_keras_logits`: the
    # logits a Keras softmax or sigmoid output came from (each unset until then).
    __slots__ = ("_value", "_keras_mask", "_keras_logits")

    # NumPy defers `ndarray + Tensor` to Tensor.__radd__, as TensorFlow arranges.
    __array_priority__ = 100

    def __init__(self, value):
        self._value = value

    # --- what it is ---------------------------------------------------------------------

    @property
    def shape(self):
        """The `TensorShape` of this tensor."""
        return TensorShape._from_tuple(self._value.shape)

    def get_shape(self):
        return self.shape

    def set_shape(self, shape):
        """Checks that `shape` is compatible with this tensor's shape (eager tensors are whole)."""
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied "
                             f"shape {TensorShape(shape)}.")

    @property
    def dtype(self):
        """The `DType` of the elements."""
        return _dtype_of[self._value.dtype]

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    def numpy(self):
        """A NumPy copy of the value; a NumPy scalar for a scalar tensor."""
        if recorders:
            value_left(self, ".numpy()")
        value = self._value
        if value.ndim == 0:
            return value[()]
        return value.copy()

    def __array__(self, dtype=None, copy=None):
        if recorders:
            value_left(self, "np.asarray(...) or a NumPy function")
        value = np.asarray(self._value)
        if dtype is not None and value.dtype != dtype:
            return value.astype(dtype)
        if copy:
            return value.copy()
        view = value.view()
        view.flags.writeable = False  # `np.asarray(t)[0] = 1` must not change the tensor
        return view

    def ref(self):
        """A hashable reference to this tensor (tensors themselves are unhashable)."""
        return Reference(self)

    experimental_ref = ref

    # --- Python protocols ---------------------------------------------------------------

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return len(self._value)

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(len(self._value)))

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __index__(self):
        if self._value.ndim or self._value.dtype.kind not in "iu":
            raise TypeError(f"Only integer scalar tensors can be used as an index, got "
                            f"shape {self.shape} and dtype {self.dtype.name}")
        return int(self._value)

    def __complex__(self):
        return complex(self._value)

    def __format__(self, format_spec):
        """Formats the NumPy value, as TensorFlow does: `f"{t:.2f}"` for a scalar."""
        if self._value.ndim == 0:
            return self._value[()].__format__(format_spec)
        return self._value.__format__(format_spec)

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return wrap, (np.asarray(self._value),)

    def __setitem__(self, key, value):
        raise TypeError("'tensorflow.python.framework.ops.EagerTensor' object does not "
                        "support item assignment")

    # --- what an eager tensor lacks -----------------------------------------------------

    def __getattr__(self, name):
        """Only missing attributes arrive here: TensorFlow's messages for NumPy's methods and
        for the graph-only ones."""
        if name in _NUMPY_METHODS:
            raise AttributeError(f"EagerTensor object has no attribute '{name}'. "
                                 + _NUMPY_BEHAVIOR_HINT)
        if name in _GRAPH_ATTRIBUTES:
            raise AttributeError(f"Tensor.{name} is undefined when eager execution is enabled.")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def eval(self, feed_dict=None, session=None):
        raise NotImplementedError("eval is not supported when eager execution is enabled, "
                                  "is .numpy() what you're looking for?")

    def consumers(self):
        raise NotImplementedError("Tensor.consumers is undefined when eager execution is "
                                  "enabled.")

    # --- printing -----------------------------------------------------------------------

    def __str__(self):
        return (f"tf.Tensor({numpy_text(self._value)}, shape={self.shape}, "
                f"dtype={self.dtype.name})")

    def __repr__(self):
        return (f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, "
                f"numpy={numpy_text(self._value, is_repr=True)}>")


# NumPy's array methods that TensorFlow's tensors lack, and TensorFlow's hint about them.
_NUMPY_METHODS = frozenset(("T", "astype", "ravel", "transpose", "reshape", "clip", "size",
                            "tolist", "data"))
_NUMPY_BEHAVIOR_HINT = """
        If you are looking for numpy-related methods, please run the following:
        tf.experimental.numpy.experimental_enable_numpy_behavior()
      """
# Attributes of graph tensors that eager tensors do not have.
_GRAPH_ATTRIBUTES = frozenset(("op", "graph", "name", "value_index"))


def numpy_text(value, is_repr=False):
    """The value as TensorFlow prints it: NumPy's text, on its own line when it has several."""
    if value.ndim == 0:
        item = value.item()  # a repr shows the Python number: 0.3333333432674408, not 0.33333334
        text = repr(item) if is_repr and not isinstance(item, bytes) else str(value[()])
    else:
        text = repr(value) if is_repr else str(value)
    return "\n" + text if "\n" in text else text


class Reference:
    """A hashable handle to a Tensor or Variable, compared by identity (`tensor.ref()`)."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._obj is self._obj

    def __repr__(self):
        return f"<Reference wrapping {self._obj!r}>"


def wrap(array):
    """Wraps an ndarray (or NumPy scalar) that nothing else holds as a Tensor, without a copy."""
    tensor = _new(Tensor)
    tensor._value = array
    return tensor


# --- conversion -------------------------------------------------------------------------

_conversion_functions = []


def register_tensor_conversion_function(base_type, conversion_func):
    """Teaches `convert_to_tensor` a new type: `conversion_func(value, dtype)` returns a Tensor."""
    _conversion_functions.append((base_type, conversion_func))


def _tensor_dtype_mismatch(value, dtype):
    return ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                      f"{value.dtype.name}: {value!r}")


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Converts Python values, NumPy arrays and Tensors to a `Tensor`.

    Python floats become float32 and ints int32; NumPy arrays keep their dtype. A
    Tensor of another dtype than `dtype` is an error; other values are converted.

    >>> tf.convert_to_tensor([1, 2]).dtype
    tf.int32
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if type(value) is Tensor:
        if dtype is not None and value._value.dtype != dtype._np:
            raise _tensor_dtype_mismatch(value, dtype)
        return value
    read = getattr(type(value), "_read_for_op", None)
    if read is not None:  # a Variable: the read is reported to active tapes
        if dtype is not None and value.dtype != dtype:
            raise ValueError(f"Incompatible type conversion requested to type {dtype.name} "
                             f"for `tf.Variable of type {value.dtype.name}. (Variable: "
                             f"{value!r})")
        return read(value)
    for base_type, conversion_func in _conversion_functions:
        if isinstance(value, base_type):
            return conversion_func(value, dtype)
    if isinstance(value, Tensor):
        if getattr(value, "_symbolic", False):  # a traced tensor stays itself
            if dtype is not None and value._value.dtype != dtype._np:
                raise _tensor_dtype_mismatch(value, dtype)
            return value
        return convert_to_tensor(wrap(value._value), dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        return wrap(dtypes.numpy_to_array(value, dtype))
    if dtype is None and dtype_hint is not None:
        try:
            return wrap(dtypes.cast_python_value(value, dtypes.as_dtype(dtype_hint)))
        except (TypeError, ValueError):
            pass
    if dtype is not None:
        return wrap(dtypes.cast_python_value(value, dtype))
    if isinstance(value, (list, tuple)) and _holds_tensor(value):
        return _pack(value)
    if hasattr(value, "__array__") and not isinstance(value, numbers.Number):
        return wrap(dtypes.numpy_to_array(np.asarray(value)))
    return wrap(dtypes.python_to_array(value))


def _holds_tensor(value):
    if isinstance(value, (list, tuple)):
        return any(_holds_tensor(item) for item in value)
    return is_tensor(value)


def _pack(value):
    """Lists holding tensors become `tf.stack` of their items, so gradients flow through."""
    from eagerflow.ops.array_ops import stack  # stacking is an array op, one floor up
    return stack([_pack(item) if isinstance(item, (list, tuple)) else item for item in value])


def is_tensor(x):
    """True for Tensors and Variables (anything TensorFlow treats as a tensor).

    >>> tf.is_tensor(tf.constant(1.0)), tf.is_tensor(1.0)
    (True, False)
    """
    return isinstance(x, Tensor) or getattr(x, "_is_tensor_like", False)


def constant(value, dtype=None, shape=None, name="Const"):
    """Creates a constant tensor from a Python value, NumPy array or tensor.

    With `shape`, a scalar is broadcast to it and other values are reshaped to it.

    >>> print(tf.constant(1.0, shape=(2,)))
    tf.Tensor([1. 1.], shape=(2,), dtype=float32)
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value._value.dtype != dtype._np:
            raise TypeError(f"Expected tensor {np.asarray(value._value)} with dtype {dtype!r}, "
                            f"but got dtype {value.dtype!r}.")
        if shape is None or TensorShape(shape).as_list() == list(value._value.shape):
            return value  # TensorFlow hands the tensor back, so gradients still reach it
        array = value._value
    elif is_tensor(value):  # a Variable: its value, cast to `dtype` as TensorFlow does
        array = np.asarray(value)
        if dtype is not None and array.dtype != dtype._np:
            array = array.astype(dtype._np)
    elif isinstance(value, (np.ndarray, np.generic)):
        array = dtypes.numpy_to_array(value, dtype)
    else:
        array = convert_to_tensor(value, dtype)._value
    if shape is not None:
        array = _fit_to_shape(array, value, TensorShape(shape).as_list())
    return wrap(array)


def _fit_to_shape(array, value, shape):
    size = int(np.prod(shape, dtype=np.int64))
    if array.size == size:
        return np.reshape(array, shape)
    if array.size == 1:
        return np.full(shape, np.asarray(array).reshape(()), dtype=array.dtype)
    # TensorFlow shows arrays and tensors by their NumPy text, Python values by repr.
    source = (str(np.asarray(value)) if is_tensor(value) or isinstance(value, np.ndarray)
              else repr(value))
    raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor "
                    f"{np.asarray(array)} (converted from {source}) has {array.size} elements, "
                    f"but got `shape` {tuple(shape)} with {size} elements).")
