"""Errors raised inside a layer's `call` name the layer and the arguments it received.

Keras re-raises such an error, same class, with its message framed:

    Exception encountered when calling Dense.call().

    <the message, in bold>

    Arguments received by Dense.call():
      • inputs=tf.Tensor(shape=(2, 5), dtype=float32)

Only the innermost failing call adds this; `keras.config.disable_traceback_filtering()`
turns it off.
"""

import inspect

import eagerflow as tf
from eagerflow.framework.errors import OpError
from eagerflow.framework.tensor import Tensor


def _format_value(value):
    if isinstance(value, Tensor):
        return f"tf.Tensor(shape={value.shape}, dtype={value.dtype.name})"
    return repr(value)


def _arguments_text(function, args, kwargs):
    """`  • name=value` per parameter of `function`, or None when the call cannot bind."""
    signature = inspect.signature(function)
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return None
    lines = []
    for name, parameter in signature.parameters.items():
        if name in bound.arguments:
            value = tf.nest.map_structure(_format_value, bound.arguments[name])
        else:
            value = parameter.default  # `<class 'inspect._empty'>` for `**kwargs`, as Keras
        lines.append(f"  \u2022 {name}={value}")
    return "\n".join(lines) or None


def with_call_info(error, function, args, kwargs, display_name):
    """`error` re-made with the call's context in its message (or `error` itself when it
    already has it or the arguments do not bind to `function`)."""
    from eagerflow.keras import config
    if getattr(error, "_keras_call_info_injected", False) or \
            not config.is_traceback_filtering_enabled():
        return error
    arguments = _arguments_text(function, args, kwargs)
    if arguments is None:
        return error
    if isinstance(error, OpError):
        message = error.message
    else:
        message = error.args[0] if error.args else ""
    message = (f"Exception encountered when calling {display_name}.\n\n"
               f"\x1b[1m{message}\x1b[0m\n\n"
               f"Arguments received by {display_name}:\n{arguments}")
    if isinstance(error, OpError):
        cls, constructor_args = error.__reduce__()
        new_error = cls(*constructor_args[:2], message, *constructor_args[3:])
    else:
        try:
            new_error = type(error)(message)
        except TypeError:  # an error class with another constructor
            new_error = RuntimeError(message)
    new_error._keras_call_info_injected = True
    return new_error.with_traceback(error.__traceback__)


def output_spec_error(error, layer):
    """The error of a symbolic `call` that failed, as Keras words it."""
    cls = type(layer).__name__
    message = (f"Could not automatically infer the output shape / dtype of '{layer.name}' "
               f"(of type {cls}). Either the `{cls}.call()` method is incorrect, or you "
               f"need to implement the `{cls}.compute_output_spec() / "
               f"compute_output_shape()` method. Error encountered:\n\n{error}")
    try:
        new_error = type(error)(message)
    except TypeError:
        return error
    return new_error.with_traceback(error.__traceback__)
