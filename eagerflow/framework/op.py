"""An op declared once with its gradient (`@primitive`), and the one dispatcher every op call
passes through: convert the inputs, check dtypes, run the NumPy forward, wrap the result
and, when a tape is recording, record it.
"""

import functools
import operator
import threading
import types
import warnings

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError
# `recorders`: the active GradientTapes and tf.function traces (its home is tensor.py).
from eagerflow.framework.tensor import Tensor, convert_to_tensor, recorders, wrap

# Bumped whenever a tape starts or stops recording or watches a variable: a variable's cached
# read from an earlier epoch is not reused, so reads from before a tape stay unconnected to
# it (and a None gradient's reason can tell a read before or after the tape by its epoch).
read_epoch = [0]

# NumPy warns about log(0) or 0/0; TensorFlow returns inf and nan silently. Only warnings
# raised from inside eagerflow's own forwards are silenced.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"eagerflow\.")

_FLOATING = (dtypes.float16, dtypes.float32, dtypes.float64)
_COMPLEX = (dtypes.complex64, dtypes.complex128)
_SIGNED_INTEGER = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)
_INTEGER = _SIGNED_INTEGER + (dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64)
DTYPE_CATEGORIES = {
    "floating": _FLOATING,
    "inexact": _FLOATING + _COMPLEX,
    "real": _FLOATING + _INTEGER,
    "signed": _FLOATING + _SIGNED_INTEGER + _COMPLEX,
    "numeric": _FLOATING + _INTEGER + _COMPLEX,
    "integer": _INTEGER,
    "integer_or_bool": _INTEGER + (dtypes.bool,),
    "bool": (dtypes.bool,),
}

# TensorFlow's own names for dtypes in its error messages.
_TF_TYPE_NAMES = {dtypes.float16: "half", dtypes.float32: "float", dtypes.float64: "double"}


def tf_type_name(dtype):
    return _TF_TYPE_NAMES.get(dtype, dtype.name)


def op_error(op_name, message):
    """An InvalidArgumentError in TensorFlow's form: the message, then `[Op:Name]`."""
    return InvalidArgumentError(None, None, f"{message} [Op:{op_name}]")


class Op:
    """One application of a primitive, as a gradient function sees it.

    `inputs` and `outputs` are Tensors, `attrs` the keyword attributes by name, and
    `needs_grad` tells per input whether the tape wants its gradient.
    """

    __slots__ = ("primitive", "inputs", "outputs", "attrs", "needs_grad")

    def __init__(self, primitive, inputs, outputs, attrs):
        self.primitive = primitive
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs
        self.needs_grad = None

    @property
    def type(self):
        return self.primitive.name

    def __repr__(self):
        return f"<Op {self.primitive.name}>"


class Primitive:
    """An op's static description: its name, NumPy forward, gradient and dtype rules."""

    def __init__(self, name, forward, dtypes=None, inputs=None, same_dtype=True,
                 differentiable=True, multiple_outputs=False, stateful=False,
                 dtype_hint=False):
        self.name = name
        self.stateful = stateful  # reads state beyond its inputs: never computed ahead
        self.dtype_hint = dtype_hint  # the shared dtype is only a hint for Python values
        self.forward = forward
        self.grad_fn = None
        self.in_place = None  # the forward writing into its first input (see set_in_place)
        self.differentiable = differentiable
        self.multiple_outputs = multiple_outputs
        # The forward's positional parameters, read from its code object (inspect.signature
        # would cost import time for hundreds of ops).
        code = forward.__code__
        names = code.co_varnames[:code.co_argcount]
        defaults = forward.__defaults__ or ()
        first_default = len(names) - len(defaults)
        self.list_input = inputs == "list"
        if self.list_input:
            inputs = 1
        elif inputs is None:
            inputs = first_default
        self.n_inputs = inputs
        self.input_names = names[:inputs]
        self.attr_defaults = {name: defaults[i - first_default] if i >= first_default
                              else None for i, name in enumerate(names) if i >= inputs}
        self.attr_names = tuple(self.attr_defaults)
        self.default_attrs = types.MappingProxyType(self.attr_defaults)
        self.allowed_dtypes = _allowed_dtypes(dtypes)
        self.allowed = (None if self.allowed_dtypes is None
                        else frozenset(d._np for d in self.allowed_dtypes))
        if same_dtype is True:
            same_dtype = tuple(range(inputs))
        self.dtype_group = tuple(same_dtype or ())
        self._fixed_dtype = self.allowed_dtypes[0] if self.allowed_dtypes is not None and len(
            self.allowed_dtypes) == 1 else None
        # Arguments that are the inputs, every attribute and then the op's name.
        self._count_with_name = -1 if self.list_input else inputs + len(self.attr_names) + 1

    def set_gradient(self, grad_fn):
        self.grad_fn = grad_fn
        return grad_fn

    def set_in_place(self, forward):
        """Registers a forward that writes its result into its first input's array (same
        shape and dtype). A tf.function's fast replay calls it where that input is an
        intermediate no other op reads, saving an allocation and a pass over memory."""
        self.in_place = forward
        return forward

    # --- the general path ------------------------------------------------------------------

    def call(self, args, kwargs):
        kwargs.pop("name", None)
        args = self._take_keyword_inputs(args, kwargs)
        count = len(args)
        if count < self.n_inputs:
            raise TypeError("Missing required positional argument")
        if count == self._count_with_name and isinstance(args[-1], str):
            args = args[:-1]  # the op's `name`, given positionally as TensorFlow allows
        if self.list_input:
            inputs, attr_args = list(args[0]), args[1:]
        else:
            inputs, attr_args = args[:self.n_inputs], args[self.n_inputs:]
        tensors = self.convert_inputs(inputs)
        arrays = [t._value for t in tensors]
        try:
            if self.list_input:
                out = self.forward(arrays, *attr_args, **kwargs)
            else:
                out = self.forward(*arrays, *attr_args, **kwargs)
        except ValueError as err:
            raise self._error(err, arrays) from None
        if self.multiple_outputs:
            outputs = tuple(wrap(o) for o in out)
            result = type(out)(outputs) if isinstance(out, list) else outputs
        else:
            outputs = (wrap(out),)
            result = outputs[0]
        if recorders:
            record(self, tuple(tensors), outputs, attr_args, kwargs)
        return result

    def _take_keyword_inputs(self, args, kwargs):
        missing = self.input_names[len(args):]
        if not missing or not kwargs:
            return args
        return tuple(args) + tuple(kwargs.pop(name) for name in missing if name in kwargs)

    def convert_inputs(self, inputs):
        """Tensors of the inputs: Variables read, other values converted to the group dtype."""
        tensors = [x if type(x) is Tensor else _read_if_variable(x) for x in inputs]
        group = self.dtype_group
        if self.list_input and group:
            group = range(len(tensors))
        if self.dtype_hint and len(group) and not isinstance(tensors[group[0]], Tensor):
            # TensorFlow's wrapper converts the first input on its own, the rest after it.
            tensors[group[0]] = convert_to_tensor(tensors[group[0]])
        reference = self._fixed_dtype  # one allowed dtype (LogicalAnd's bool) is fixed
        if reference is None:
            reference = _reference_dtype(tensors, group)
        for i, x in enumerate(tensors):
            if isinstance(x, Tensor):
                continue
            if i in group and reference is not None:
                try:
                    tensors[i] = _convert_to(x, reference)
                except (TypeError, ValueError):
                    if not self.dtype_hint:
                        raise
                    tensors[i] = convert_to_tensor(x)  # the check below names the mismatch
            else:
                tensors[i] = convert_to_tensor(x)
                if i in group and reference is None:
                    reference = tensors[i].dtype
        if reference is not None:
            for i in group:
                if tensors[i]._value.dtype != reference._np:
                    raise op_error(self.name, (
                        f"cannot compute {self.name} as input #{i}(zero-based) was expected "
                        f"to be a {tf_type_name(reference)} tensor but is a "
                        f"{tf_type_name(tensors[i].dtype)} tensor"))
        if self.allowed is not None:
            for t in [tensors[group[0]]] if len(group) else tensors:
                if t._value.dtype not in self.allowed:
                    allowed = ", ".join(tf_type_name(d) for d in self.allowed_dtypes)
                    raise op_error(self.name, (
                        f"Value for attr 'T' of {tf_type_name(t.dtype)} is not in the list "
                        f"of allowed values: {allowed}"))
        return tensors

    def bind_attrs(self, attr_args, kwargs):
        if not attr_args and not kwargs:
            return self.default_attrs  # shared by every call, so read-only
        attrs = dict(self.attr_defaults)
        attrs.update(zip(self.attr_names, attr_args))
        attrs.update(kwargs)
        return attrs

    def _error(self, err, arrays):
        """TensorFlow's error for a forward's ValueError; NumPy broadcast failures get
        TensorFlow's "Incompatible shapes" text."""
        if len(arrays) >= 2 and "be broadcast" in str(err):
            try:
                np.broadcast_shapes(*(np.shape(a) for a in arrays))
            except ValueError:
                shapes = " vs. ".join(_shape_text(a) for a in arrays)
                return op_error(self.name, f"Incompatible shapes: {shapes}")
        return op_error(self.name, str(err))


def _shape_text(array):
    return "[" + ",".join(str(d) for d in np.shape(array)) + "]"


def _allowed_dtypes(spec):
    """The allowed DTypes in TensorFlow's order (for messages), or None for any."""
    if spec is None:
        return None
    if isinstance(spec, str):
        spec = DTYPE_CATEGORIES[spec]
    return tuple(dtypes.as_dtype(d) for d in spec)


def _read_if_variable(x):
    read = getattr(type(x), "_read_for_op", None)
    return read(x) if read is not None else x


def _reference_dtype(tensors, group):
    """The dtype an op's shared-dtype inputs take: the first tensor's, else a NumPy array's."""
    for i in group:
        if isinstance(tensors[i], Tensor):
            return tensors[i].dtype
    for i in group:
        if isinstance(tensors[i], (np.ndarray, np.generic)):
            return dtypes.from_numpy(tensors[i].dtype)
    return None


def _convert_to(value, dtype):
    if isinstance(value, (np.ndarray, np.generic)):
        return wrap(np.asarray(value, dtype=dtype._np))
    return convert_to_tensor(value, dtype)


def record(primitive, inputs, outputs, attr_args=(), kwargs=None):
    """Offers one op application to every active recorder; builds the Op only if wanted."""
    op = None
    for recorder in recorders:
        if primitive.differentiable or getattr(recorder, "records_all", False):
            if recorder.wants(inputs):
                if op is None:
                    op = Op(primitive, inputs, outputs,
                            primitive.bind_attrs(attr_args, kwargs or {}))
                recorder.record(op)
        elif hasattr(recorder, "note_cut") and recorder.wants(inputs):
            # A tape keeps where a path from its watched values ends (a None's reason).
            recorder.note_cut(Op(primitive, inputs, outputs,
                                 primitive.bind_attrs(attr_args, kwargs or {})))
    return op


# --- the fast path ------------------------------------------------------------------------

_MISSING = object()


def _make_dispatcher(prim):
    """The public function of a primitive: a short fast path, else `prim.call`.

    The fast path takes Tensors (and, for float tensors, a Python float as the second
    input) passed positionally; everything else goes through `prim.call`. Inputs are
    positional-only parameters so that binding them costs no tuple packing.
    """
    forward, call, allowed, record_op = prim.forward, prim.call, prim.allowed, record
    active, missing = recorders, _MISSING
    tensor_type, new, wrap_array = Tensor, object.__new__, wrap
    same_dtype = len(prim.dtype_group) == 2

    if prim.multiple_outputs or prim.list_input or prim.n_inputs not in (1, 2):
        def dispatch(*args, **kwargs):
            return call(args, kwargs)
    elif prim.n_inputs == 1:
        def dispatch(x=missing, /, *rest, **kwargs):
            if type(x) is tensor_type and not rest and not kwargs:
                value = x._value
                if allowed is None or value.dtype in allowed:
                    try:
                        out = forward(value)
                    except ValueError:
                        return call((x,), kwargs)
                    result = new(tensor_type)
                    result._value = out
                    if active:
                        record_op(prim, (x,), (result,))
                    return result
            return call(((x,) if x is not missing else ()) + rest, kwargs)
    else:
        def dispatch(x=missing, y=missing, /, *rest, **kwargs):
            if type(x) is tensor_type and not rest and not kwargs:
                x_value = x._value
                if type(y) is tensor_type:
                    y_value = y._value
                elif same_dtype and type(y) is float and x_value.dtype.kind == "f":
                    y_value = x_value.dtype.type(y)
                else:
                    return call((x, y), kwargs)
                if ((not same_dtype or x_value.dtype is y_value.dtype)
                        and (allowed is None or x_value.dtype in allowed)):
                    try:
                        out = forward(x_value, y_value)
                    except ValueError:
                        return call((x, y), kwargs)
                    result = new(tensor_type)
                    result._value = out
                    if active:
                        if type(y) is not tensor_type:
                            y = wrap_array(y_value)
                        record_op(prim, (x, y), (result,))
                    return result
            return call(tuple(a for a in (x, y) if a is not missing) + rest, kwargs)

    # Rebuilt with the forward's globals so the op's docstring examples are collected as
    # doctests of the module that declares it (the body uses only closure names).
    dispatch = types.FunctionType(dispatch.__code__, forward.__globals__, forward.__name__,
                                  dispatch.__defaults__, dispatch.__closure__)
    functools.update_wrapper(dispatch, forward)
    dispatch.primitive = prim
    dispatch.gradient = prim.set_gradient
    dispatch.in_place = prim.set_in_place
    return dispatch


def primitive(name, dtypes=None, inputs=None, same_dtype=True, differentiable=True,
              multiple_outputs=False, stateful=False, dtype_hint=False):
    """Declares an op from its NumPy forward; register its gradient with `@op.gradient`.

    Args:
      name: TensorFlow's op type name ("MatMul"), used in errors.
      dtypes: allowed input dtypes: a category ("floating", "numeric", ...) or DTypes.
      inputs: how many leading positional arguments are tensors (default: those without
        defaults), or "list" when the first argument is a list of tensors.
      same_dtype: True when all inputs share one dtype, or the indices of those that do.
      differentiable: False for ops whose outputs carry no gradient (comparisons, argmax).
      multiple_outputs: the forward returns a tuple or list of arrays.
      stateful: the result depends on more than the inputs and attributes (a Python
        function, a lookup table): a tf.function never computes it once from constant
        inputs ahead of its calls.
      dtype_hint: a Python value that cannot take the other inputs' dtype is converted on
        its own, and the op reports the mismatch (InvalidArgumentError), as TensorFlow's
        `tf.add` and `tf.matmul` do; otherwise its conversion raises TypeError.
    """
    def declare(forward):
        prim = Primitive(name, forward, dtypes, inputs, same_dtype, differentiable,
                         multiple_outputs, stateful, dtype_hint)
        return _make_dispatcher(prim)
    return declare


# True while a tf.function trace runs a stateful function only to learn the shapes of its
# results: random ops then draw from a throwaway generator and leave their state alone, so
# traced and eager programs draw the same numbers.
probing = [False]


def stateful(name, updates_only=False):
    """Declares a function with effects beyond its result (a random draw, an in-place
    variable update) that is not a primitive: a tf.function trace records each call as one
    node and makes it again at every execution, instead of keeping its result as a constant.

    Args:
      name: the node's op name, as TensorFlow names the op ("RandomStandardNormal").
      updates_only: the function returns nothing and only updates variables; a trace then
        records it without running it.
    """
    def declare(fn):
        @functools.wraps(fn)
        def call(*args, **kwargs):
            if recorders:
                trace = active_trace()
                if trace is not None:
                    return trace.record_stateful(name, fn, args, kwargs, updates_only)
            return fn(*args, **kwargs)
        call.stateful = True
        return call
    return declare


def active_trace():
    """The innermost tf.function trace this thread is recording, or None."""
    for recorder in reversed(recorders):
        if getattr(recorder, "records_all", False) and \
                recorder.thread == threading.get_ident():
            return recorder
    return None


def shape_tuple(shape):
    """A shape attribute (list, tuple, TensorShape, int tensor) as a tuple of Python ints."""
    if isinstance(shape, Tensor):
        # A traced tensor's value is read through its guard: the trace is pinned to it.
        shape = np.reshape(np.asarray(shape) if getattr(shape, "_symbolic", False)
                           else shape._value, -1)
    elif np.ndim(shape) == 0:
        shape = [shape]
    try:
        return tuple(operator.index(d) for d in shape)
    except TypeError:
        raise InvalidArgumentError(None, None, (
            f"Value for attr 'Tidx' of {type(next(iter(shape))).__name__} is not in the list "
            f"of allowed values: int32, int64; shape {shape!r} must hold integers")) from None
