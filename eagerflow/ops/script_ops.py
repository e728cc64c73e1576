"""`tf.py_function` and `tf.numpy_function`: Python code run as an op.

Each is an op whose forward calls the Python function, so a tf.function trace records it
and its replay calls the function on every call (the trace itself calls it once, on the
probe values, to learn the outputs' shapes). `py_function` is differentiable as in
TensorFlow: the function runs under a private tape, and the op's gradient asks that tape
(once-differentiable: the gradient does not record a path back to the inputs).
"""

import functools
import itertools
import weakref

import numpy as np

from eagerflow.framework import dtypes, errors
from eagerflow.framework.op import primitive, recorders
from eagerflow.framework.tape import GradientTape
from eagerflow.framework.tensor import convert_to_tensor, wrap

_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
_tokens = itertools.count()
# id(first output array) -> (tape, inputs, outputs) of a py_function call a tape may
# differentiate; an entry goes when its output array does.
_tape_records = {}


def py_function(func=None, inp=None, Tout=None, name=None):  # noqa: N803 - TF's name
    """Runs the Python function `func` on eager tensors as an op; gradients flow through it.

    >>> def clipped_square(x):
    ...     return tf.minimum(x * x, 10.0)
    >>> x = tf.constant(2.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = tf.py_function(clipped_square, [x], tf.float32)
    >>> float(y), float(tape.gradient(y, x))
    (4.0, 4.0)

    Args:
      func: a Python function taking one Tensor per input. Without it, `py_function`
        is a decorator (`@tf.py_function(Tout=tf.float32)`).
      inp: the inputs, a list of tensors (or values convertible to them).
      Tout: a dtype (the result is one Tensor) or a list of dtypes (a list of Tensors).

    Raises:
      TypeError: if `Tout` or `inp` is missing.
      tf.errors.InvalidArgumentError: if `func` raises ValueError or TypeError, or returns
        values that do not convert to `Tout`; other exceptions give other `tf.errors`.
    """
    decorator = _decorator_or_none("tf.py_function", func, inp, Tout, py_function)
    if decorator is not None:
        return decorator
    single = not isinstance(Tout, (list, tuple))
    out_dtypes = tuple(dtypes.as_dtype(t) for t in ([Tout] if single else Tout))
    token = f"pyfunc_{next(_tokens)}"
    outputs = _eager_py_func(list(inp), func=func, Tout=out_dtypes, token=token)
    return outputs[0] if single else list(outputs)


def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):  # noqa: N803
    """Runs the Python function `func` on NumPy arrays as an op (no gradient).

    `func` gets a writable NumPy copy of each input; what it returns is converted to
    tensors (a list or tuple of several values gives a list of Tensors).

    >>> tf.numpy_function(lambda a: np.sort(a), [tf.constant([3, 1, 2])], tf.int32).numpy()
    array([1, 2, 3], dtype=int32)

    Raises:
      TypeError: if `Tout` or `inp` is missing; exceptions from `func` pass unchanged.
    """
    decorator = _decorator_or_none("tf.numpy_function", func, inp, Tout, numpy_function,
                                   stateful=stateful)
    if decorator is not None:
        return decorator
    op = _py_func if stateful else _py_func_stateless
    try:
        outputs = op(list(inp), func=func)
    except _ValueErrorInFunction as carried:
        raise carried.__cause__  # eagerly, the function's own ValueError, as in TensorFlow
    if not outputs:
        return None
    return outputs[0] if len(outputs) == 1 else list(outputs)


def _decorator_or_none(api_name, func, inp, Tout, wrapper, **options):  # noqa: N803
    """The decorator `@api(Tout=...)` makes, or None for a direct call; TF's TypeErrors."""
    if Tout is None:
        raise TypeError(f"Missing required argument: 'Tout'\n  If using {api_name} as a "
                        f"decorator, set `Tout`\n  **by name** above the function:\n  "
                        f"`@{api_name}(Tout=tout)`")
    if func is None:
        if inp is not None:
            raise TypeError(f"Don't set the `inp` argument when using {api_name} as a "
                            f"decorator (`func=None`).")

        def decorate(function):
            @functools.wraps(function)
            def call(*args):
                return wrapper(function, list(args), Tout, **options)
            return call
        return decorate
    if inp is None:
        raise TypeError(f"Missing argument `inp`:\n  You must set the `inp` argument (the "
                        f"list of arguments to the\n  function), unless you use `{api_name}` "
                        f"as a decorator(`func=None`).")
    return None


@primitive("EagerPyFunc", inputs="list", same_dtype=False, multiple_outputs=True,
           stateful=True)
def _eager_py_func(values, func, Tout, token):  # noqa: N803 - TF's attribute name
    inputs = [wrap(value) for value in values]
    # Only a tape can ask for a gradient; the trace itself sees nothing of what func does.
    tape = GradientTape(persistent=True) if any(
        not getattr(r, "records_all", False) for r in recorders) else None
    saved = recorders[:]
    recorders[:] = []
    try:
        if tape is not None:
            tape._push()
            tape.watch(inputs)  # integer and string inputs are left unwatched
        try:
            result = func(*inputs)
        except Exception as err:  # noqa: BLE001 - any Python error becomes TF's error
            raise _op_error(err, len(values), len(Tout)) from err
        finally:
            if tape is not None:
                tape._pop()
        outputs = _converted_outputs(result, Tout, token, len(values))
    finally:
        recorders[:] = saved
    # Fresh array objects (views, or 0-d arrays of NumPy scalars) key the tape's record.
    arrays = tuple(np.array(value) if not isinstance(value, np.ndarray) else value.view()
                   for value in (output._value for output in outputs))
    if tape is not None and arrays:
        key = id(arrays[0])
        _tape_records[key] = (tape, inputs, outputs)
        weakref.finalize(arrays[0], _tape_records.pop, key, None)
    return arrays


@_eager_py_func.gradient
def _eager_py_func_grad(op, *dys):
    record = _tape_records.get(id(op.outputs[0]._value)) if op.outputs else None
    if record is None:  # no tape was recording when the function ran
        return [None] * len(op.inputs)
    tape, inputs, outputs = record
    return tape.gradient(list(outputs), inputs, output_gradients=list(dys))


def _converted_outputs(result, out_dtypes, token, n_inputs):
    values = [] if result is None else (
        list(result) if isinstance(result, (list, tuple)) else [result])
    if len(values) < len(out_dtypes):  # extra values are dropped, as in TensorFlow
        raise _op_error(None, n_inputs, len(out_dtypes), (
            f"{token} returns {len(values)} values, but expects to see {len(out_dtypes)} "
            f"values."))
    try:
        return [convert_to_tensor(value, dtype) for value, dtype in zip(values, out_dtypes)]
    except (TypeError, ValueError) as err:
        raise _op_error(err, n_inputs, len(out_dtypes)) from err


# Python exceptions raised by the function, as the tf.errors TensorFlow turns them into.
_ERROR_CLASSES = ((ValueError, errors.InvalidArgumentError),
                  (TypeError, errors.InvalidArgumentError),
                  (StopIteration, errors.OutOfRangeError),
                  (MemoryError, errors.ResourceExhaustedError),
                  (NotImplementedError, errors.UnimplementedError))


def _op_error(err, n_inputs, n_outputs, message=None):
    error_class = errors.InvalidArgumentError if err is None else next(
        (tf_error for python_error, tf_error in _ERROR_CLASSES
         if isinstance(err, python_error)), errors.UnknownError)
    if message is None:
        message = f"{type(err).__name__}: {err}"
    node = f"__wrapped__EagerPyFunc_Tin_{n_inputs}_Tout_{n_outputs}_device_{_DEVICE}"
    return error_class(None, None, f"{{{{function_node {node}}}}} {message} "
                                   f"[Op:EagerPyFunc]")


class _ValueErrorInFunction(errors.InvalidArgumentError):
    """Carries a ValueError of a numpy_function's function past the op dispatcher (which
    takes a forward's ValueError for a bad argument); a replayed trace shows it as
    TensorFlow's graph does, an InvalidArgumentError."""


def _call_numpy_function(values, func):
    try:
        result = func(*[np.array(value, copy=True) for value in values])
    except ValueError as err:
        raise _ValueErrorInFunction(None, None, f"ValueError: {err} [Op:PyFunc]") from err
    if result is None:
        return ()
    items = result if isinstance(result, (list, tuple)) else [result]
    return tuple(convert_to_tensor(item)._value for item in items)


@primitive("PyFunc", inputs="list", same_dtype=False, differentiable=False,
           multiple_outputs=True, stateful=True)
def _py_func(values, func):
    return _call_numpy_function(values, func)


@primitive("PyFuncStateless", inputs="list", same_dtype=False, differentiable=False,
           multiple_outputs=True, stateful=True)
def _py_func_stateless(values, func):
    return _call_numpy_function(values, func)
