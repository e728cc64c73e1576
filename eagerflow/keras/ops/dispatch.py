"""What every `keras.ops` function shares: symbolic dispatch and Keras's dtype promotion.

`@keras_op("numpy")` makes a function build a functional-graph node when it is called on
KerasTensors, as Keras 3's operations do: the leading `operands` arguments become the
node's inputs and the rest the operation's config (`Mean(axis=-1, keepdims=False)`).
"""

import functools
import inspect

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.symbolic import KerasTensor, operation_class, register_operation


def _class_name(function_name):
    """`sparse_categorical_crossentropy` -> `SparseCategoricalCrossentropy`."""
    return "".join(part[:1].upper() + part[1:] for part in function_name.split("_"))


def _holds_keras_tensor(value):
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(isinstance(x, KerasTensor) for x in value)
    return False


def keras_op(module, operands=1, class_name=None, resolve=None):
    """Decorates a keras.ops function of `module` ("numpy", "nn" ...) whose first
    `operands` parameters are its tensor inputs (all of `*args` when it has them).
    `resolve` maps attribute names to the functions that give the value Keras records in
    the operation's config (`dtype=None` is stored as "float32")."""
    def decorate(function):
        name = class_name or _class_name(function.__name__)
        signature = inspect.signature(function)
        parameters = list(signature.parameters.values())
        variadic = any(p.kind is p.VAR_POSITIONAL for p in parameters)
        register_operation(name, function, f"keras.src.ops.{module}")

        @functools.wraps(function)
        def dispatch(*args, **kwargs):
            if any(_holds_keras_tensor(a) for a in args) or any(
                    _holds_keras_tensor(v) for v in kwargs.values()):
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                values = dict(bound.arguments)
                if variadic:
                    inputs = []
                    for p in parameters:
                        if p.kind is p.VAR_POSITIONAL:
                            inputs.extend(values.pop(p.name))
                            break
                        inputs.append(values.pop(p.name))
                else:  # any later argument holding a KerasTensor is an input too
                    count = max([operands] + [i + 1 for i, p in enumerate(parameters)
                                              if _holds_keras_tensor(values.get(p.name))])
                    inputs = [values.pop(p.name) for p in parameters[:count]]
                for attribute, resolved in (resolve or {}).items():
                    values[attribute] = resolved(values[attribute])
                return operation_class(name)(**values)(*inputs)
            return function(*args, **kwargs)
        return dispatch
    return decorate


# --- dtypes -------------------------------------------------------------------------------

def dtype_of(x):
    """The Keras dtype of `x`, with Python scalars as the weak types `int` and `float`."""
    if isinstance(x, bool):
        return bool
    if isinstance(x, int):
        return int
    if isinstance(x, float):
        return float
    if isinstance(x, tf.Tensor):
        return x.dtype.name
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = tf.convert_to_tensor(x).dtype
    return backend.standardize_dtype(dtype)


def convert(x, dtype=None):
    """`x` as a Tensor (of `dtype` when given); Python floats become `floatx()`."""
    if dtype is not None:
        dtype = backend.standardize_dtype(dtype)
        check_dtype(dtype)
    if isinstance(x, tf.Tensor):
        return x if dtype is None or x.dtype.name == dtype else tf.cast(x, dtype)
    if dtype is None and isinstance(x, tf.Variable):
        return tf.convert_to_tensor(x)
    if isinstance(x, KerasTensor):
        raise TypeError(f"Expected a concrete tensor, got the symbolic {x}")
    if dtype is None and isinstance(x, float):
        dtype = backend.floatx()
    if dtype is None:
        return tf.convert_to_tensor(x)
    if isinstance(x, np.ndarray):
        return tf.convert_to_tensor(x.astype(dtype, copy=False))
    tensor = tf.convert_to_tensor(x)
    return tensor if tensor.dtype.name == dtype else tf.cast(tensor, dtype)


def check_dtype(dtype):
    if dtype == "bfloat16":
        raise TypeError("bfloat16 is not supported: eagerflow computes with NumPy, which has "
                        "no bfloat16 type. Use float16 or float32.")


def promote(*xs):
    """The operands as Tensors of their common dtype under Keras's promotion rules."""
    if all(isinstance(x, tf.Tensor) for x in xs) and len({x.dtype for x in xs}) <= 1:
        return list(xs)  # the usual case: nothing to promote
    dtype = backend.result_type(*(dtype_of(x) for x in xs))
    return [convert(x, dtype) for x in xs]


def float_dtype(x):
    """The dtype of a float op on `x`: its own when floating, else `floatx()`."""
    if isinstance(x, tf.Tensor) and x.dtype.is_floating:
        return x.dtype.name
    dtype = dtype_of(x)
    if dtype in (int, bool, float) or "int" in dtype or dtype == "bool":
        return backend.floatx()
    return dtype


def to_float(x):
    if isinstance(x, tf.Tensor) and x.dtype.is_floating:
        return x
    return convert(x, float_dtype(x))
