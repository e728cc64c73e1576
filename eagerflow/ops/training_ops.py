"""Fused optimizer updates, TensorFlow's training ops (`ResourceApplyRMSProp` ...).

Each updates its variables in one pass of in-place NumPy calls, instead of a chain of ops
that each allocates a new array. A variable is written in place only when no tensor read
from it is still alive (see `Variable._writable_array`); the updates are not recorded on
tapes, as in TensorFlow. Like TensorFlow's kernels they treat denormal floats as zero
(`framework.denormal`): slots decaying towards zero would otherwise slow every update.
"""

import numpy as np

from eagerflow.framework.denormal import flushing
from eagerflow.framework.op import stateful


def _gradient(grad, variable):
    """The gradient as an array of the variable's dtype and shape."""
    array = np.asarray(grad)
    dtype = variable.dtype.as_numpy_dtype
    if array.dtype != dtype:
        array = array.astype(dtype)
    if array.shape != tuple(variable.shape):
        raise ValueError(f"gradient shape {list(array.shape)} does not match the variable "
                         f"shape {list(variable.shape)}")
    return array


def _scalar(value, variable):
    """`value` (a Python number, NumPy scalar or scalar tensor) as the variable's scalar."""
    kind = variable._value.dtype.type
    return kind(value) if type(value) is float else kind(np.asarray(value))


# Elements per block: one block of every operand and scratch buffer stays in the CPU cache
# while a chain of in-place ufuncs runs over it, instead of streaming whole arrays from
# memory once per ufunc (2-3x faster on a 784x512 kernel).
_BLOCK = 1 << 16


def _blocks(arrays, scratch=1):
    """Aligned pieces of same-shaped `arrays`, each followed by `scratch` buffers of its
    size: views of `_BLOCK` elements when every array is C-contiguous, else the arrays
    whole. Writing into a piece writes into its array."""
    size, dtype = arrays[0].size, arrays[0].dtype
    if size <= _BLOCK or not all(array.flags.c_contiguous for array in arrays):
        yield (*arrays, *(np.empty_like(arrays[0]) for _ in range(scratch)))
        return
    flat = [array.reshape(-1) for array in arrays]
    spare = [np.empty(_BLOCK, dtype) for _ in range(scratch)]
    for start in range(0, size, _BLOCK):
        stop = min(start + _BLOCK, size)
        yield (*(array[start:stop] for array in flat),
               *(buffer[:stop - start] for buffer in spare))


@stateful("ResourceApplyGradientDescent", updates_only=True)
@flushing
def apply_gradient_descent(var, alpha, delta):
    """`var -= delta * alpha`."""
    alpha = _scalar(alpha, var)
    for w, g, step in _blocks([var._writable_array(), _gradient(delta, var)]):
        np.multiply(g, alpha, out=step)
        w -= step


@stateful("ResourceApplyKerasMomentum", updates_only=True)
@flushing
def apply_keras_momentum(var, accum, lr, grad, momentum, use_nesterov=False):
    """Keras's momentum: `step = grad * lr`, `accum = accum * momentum - step`, then
    `var += accum`, or with Nesterov `var += accum * momentum - step`."""
    momentum, lr = _scalar(momentum, var), _scalar(lr, var)
    operands = [var._writable_array(), accum._writable_array(), _gradient(grad, var)]
    for w, m, g, step, nesterov_step in _blocks(operands, scratch=2):
        np.multiply(g, lr, out=step)
        m *= momentum
        m -= step
        if use_nesterov:
            np.multiply(m, momentum, out=nesterov_step)
            nesterov_step -= step
            w += nesterov_step
        else:
            w += m


@stateful("ResourceApplyRMSProp", updates_only=True)
@flushing
def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, mg=None):
    """RMSprop: `ms = ms * rho + grad**2 * (1 - rho)`; centered (with `mg`):
    `mg = mg * rho + grad * (1 - rho)` and `denominator = ms - mg**2 + epsilon`, else
    `ms + epsilon`; `step = lr * grad / sqrt(denominator)`; with momentum
    `mom = mom * momentum + step` and `var -= mom`, else `var -= step`."""
    one_minus_rho = _scalar(1 - float(np.asarray(rho)), var)  # as Keras: 1 - rho in Python
    rho, lr, epsilon = _scalar(rho, var), _scalar(lr, var), _scalar(epsilon, var)
    with_momentum = mom is not None and bool(momentum)
    momentum = _scalar(momentum, var)
    w, v = var._writable_array(), ms._writable_array()  # v also stands in for unused slots
    operands = [w, v, _gradient(grad, var), v if mg is None else mg._writable_array(),
                mom._writable_array() if with_momentum else v]
    for w, v, g, average, buffer, step, scaled in _blocks(operands, scratch=2):
        np.square(g, out=step)
        step *= one_minus_rho
        v *= rho
        v += step
        if mg is not None:
            average *= rho
            np.multiply(g, one_minus_rho, out=scaled)
            average += scaled
            np.square(average, out=step)
            np.subtract(v, step, out=step)
            step += epsilon
        else:
            np.add(v, epsilon, out=step)
        np.sqrt(step, out=step)
        np.multiply(g, lr, out=scaled)
        np.divide(scaled, step, out=step)
        if with_momentum:
            buffer *= momentum
            buffer += step
            w -= buffer
        else:
            w -= step


@stateful("ResourceApplyAdam", updates_only=True)
@flushing
def apply_adam(var, m, v, alpha, beta1, beta2, epsilon, grad, vhat=None):
    """Adam with the bias-corrected step size `alpha` (`lr * sqrt(1 - beta2**t) /
    (1 - beta1**t)`): `m += (grad - m) * (1 - beta1)`, `v += (grad**2 - v) * (1 - beta2)`,
    `vhat = max(vhat, v)` (AMSGrad, used in place of v), `var -= m * alpha /
    (sqrt(v) + epsilon)`."""
    one_minus_beta1 = _scalar(1 - float(np.asarray(beta1)), var)  # as Keras: in Python
    one_minus_beta2 = _scalar(1 - float(np.asarray(beta2)), var)
    alpha, epsilon = _scalar(alpha, var), _scalar(epsilon, var)
    second = v._writable_array()  # also stands in for vhat without AMSGrad
    operands = [var._writable_array(), m._writable_array(), second, _gradient(grad, var),
                second if vhat is None else vhat._writable_array()]
    for w, first, second, g, maximum, step, scaled in _blocks(operands, scratch=2):
        np.subtract(g, first, out=step)
        step *= one_minus_beta1
        first += step
        np.square(g, out=step)
        step -= second
        step *= one_minus_beta2
        second += step
        if vhat is not None:
            np.maximum(maximum, second, out=maximum)
            second = maximum
        np.sqrt(second, out=step)
        step += epsilon
        np.multiply(first, alpha, out=scaled)
        np.divide(scaled, step, out=step)
        w -= step
