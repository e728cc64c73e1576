"""`tf.custom_gradient`: a function whose gradient the user writes."""

import functools
import inspect

from eagerflow.framework import nest
from eagerflow.framework.op import Op, recorders
from eagerflow.framework.tensor import Tensor, convert_to_tensor, wrap


class _VariableReads:
    """A recorder that only notes the trainable variables a function reads."""

    def __init__(self):
        self.variables = {}

    def wants(self, inputs):
        return False

    def record(self, op):
        pass

    def variable_read(self, variable, snapshot):
        if variable.trainable:
            self.variables.setdefault(id(variable), variable)


class _CustomGradientOp:
    """Stands in for a Primitive in the tape's record: a name and one gradient function."""

    name = "CustomGradient"
    differentiable = True

    def __init__(self, grad_fn, n_outputs, variables):
        self._grad_fn = grad_fn
        self._variables = variables

    def grad_fn(self, op, *dys):
        if self._variables:
            input_grads, variable_grads = self._grad_fn(*dys, variables=self._variables)
            return _as_list(input_grads) + _as_list(variable_grads)
        return _as_list(self._grad_fn(*dys))


def _as_list(grads):
    return list(grads) if isinstance(grads, (list, tuple)) else [grads]


def _as_input(value):
    read = getattr(type(value), "_read_for_op", None)
    return read(value) if read is not None else convert_to_tensor(value)


def custom_gradient(f=None):
    """Decorates `f(*x) -> (y, grad_fn)` so that the gradient of `y` is `grad_fn(dy)`.

    `grad_fn` returns one gradient per positional input. If `f` reads trainable variables,
    `grad_fn(dy, variables=...)` must return `(input_grads, variable_grads)`.

    >>> @tf.custom_gradient
    ... def clipped_gradient(x):
    ...     return tf.identity(x), lambda dy: tf.minimum(dy, 1.0)
    >>> x = tf.constant(2.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = clipped_gradient(x) * 5.0
    >>> float(tape.gradient(y, x))
    1.0
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        saved = recorders[:]
        reads = _VariableReads()
        recorders[:] = [reads]
        try:
            result, grad_fn = f(*args, **kwargs)
        finally:
            recorders[:] = saved
        variables = list(reads.variables.values())
        if variables and "variables" not in inspect.signature(grad_fn).parameters and not any(
                p.kind == p.VAR_KEYWORD for p in inspect.signature(grad_fn).parameters.values()):
            raise TypeError("If using @custom_gradient with a function that uses variables, "
                            "then grad_fn must accept a keyword argument 'variables'.")
        flat = nest.flatten(result)
        outputs = tuple(wrap(convert_to_tensor(y)._value) for y in flat)
        if recorders:
            inputs = tuple(_as_input(x) for x in args) + tuple(
                v._read_for_op() for v in variables)
            op = None
            for recorder in recorders:
                if recorder.wants(inputs):
                    if op is None:
                        op = Op(_CustomGradientOp(grad_fn, len(outputs), variables), inputs,
                                outputs, {})
                    recorder.record(op)
        return nest.pack_sequence_as(result, list(outputs))

    return decorated
