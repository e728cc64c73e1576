"""`tf.custom_gradient`: a function whose gradient the user writes."""

import functools
import inspect

from eagerflow.framework import nest
from eagerflow.framework.op import Op, recorders
from eagerflow.framework.tensor import convert_to_tensor, wrap


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

    differentiable = True

    def __init__(self, name, grad_fn, n_inputs, variables, replay=None):
        self.name = name
        self._grad_fn = grad_fn
        self._n_inputs = n_inputs
        self._variables = variables
        # `replay(tensors)` calls the function again on new input tensors (a tf.function
        # trace keeps the call this way), recording it on the active tapes.
        self.replay = replay

    def grad_fn(self, op, *dys):
        if self._variables:
            input_grads, variable_grads = self._grad_fn(*dys, variables=self._variables)
            variable_grads = nest.flatten(variable_grads)
            if len(variable_grads) != len(self._variables):
                raise ValueError("Must return gradient for each variable from "
                                 "@custom_gradient grad_fn.")
        else:
            input_grads, variable_grads = self._grad_fn(*dys), []
        input_grads = nest.flatten(input_grads)
        if len(input_grads) != self._n_inputs:
            raise ValueError(f"custom_gradient function expected to return {self._n_inputs} "
                             f"gradients, but returned {len(input_grads)} instead.")
        return input_grads + variable_grads


def _as_input(value):
    read = getattr(type(value), "_read_for_op", None)
    return read(value) if read is not None else convert_to_tensor(value)


def _accepts_variables(grad_fn):
    for parameter in inspect.signature(grad_fn).parameters.values():
        if parameter.kind == parameter.VAR_KEYWORD or (
                parameter.name == "variables" and parameter.kind != parameter.VAR_POSITIONAL):
            return True
    return False


def _call(f, args, kwargs):
    # The forward runs unrecorded: the tape records the call as one op whose gradient is
    # `grad_fn`. A stand-in recorder notes the trainable variables `f` reads.
    saved = recorders[:]
    reads = _VariableReads()
    recorders[:] = [reads]
    try:
        result, grad_fn = f(*args, **kwargs)
    finally:
        recorders[:] = saved
    flat_args = nest.flatten(args)
    given = flat_args + nest.flatten(kwargs)
    # A variable passed in as an argument gets its gradient as an input, not as a variable.
    variables = [v for v in reads.variables.values() if all(v is not x for x in given)]
    if variables and not _accepts_variables(grad_fn):
        raise TypeError("@tf.custom_gradient grad_fn must accept keyword argument "
                        f"'variables', since function uses variables: {variables}")
    outputs = tuple(wrap(convert_to_tensor(y)._value) for y in nest.flatten(result))
    if recorders:
        inputs = tuple(_as_input(x) for x in flat_args) + tuple(
            v._read_for_op() for v in variables)
        op = None
        for recorder in recorders:
            if recorder.wants(inputs):
                if op is None:
                    def replay(tensors):
                        again = nest.pack_sequence_as(args, list(tensors[:len(flat_args)]))
                        return nest.flatten(_call(f, again, kwargs))
                    primitive = _CustomGradientOp(getattr(f, "__name__", "CustomGradient"),
                                                  grad_fn, len(flat_args), variables, replay)
                    op = Op(primitive, inputs, outputs, {})
                recorder.record(op)
    return nest.pack_sequence_as(result, list(outputs))


class _CustomGradientFunction:
    """The decorated function; as a method it binds its instance, which is no input."""

    def __init__(self, f):
        self._f = f
        functools.update_wrapper(self, f)

    def __call__(self, *args, **kwargs):
        return _call(self._f, args, kwargs)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return _CustomGradientFunction(self._f.__get__(instance, owner))


def custom_gradient(f=None):
    """Decorates `f(*x) -> (y, grad_fn)` so that the gradient of `y` is `grad_fn(dy)`.

    `grad_fn` returns one gradient per positional input (inputs nested in lists count
    one by one). If `f` reads trainable variables that are not its inputs,
    `grad_fn(dy, variables=...)` must return `(input_grads, variable_grads)`. The ops
    inside `f` are not recorded: the tape sees one op.

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
    return _CustomGradientFunction(f)
