"""Fused optimizer updates, TensorFlow's training ops (`ResourceApplyRMSProp` ...).

Each updates its variables in one pass of in-place NumPy calls, instead of a chain of ops
that each allocates a new array. A variable is written in place only when no tensor read
from it is still alive (see `Variable._writable_array`); the updates are not recorded on
tapes, as in TensorFlow.
"""

import numpy as np


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
    return variable.dtype.as_numpy_dtype(np.asarray(value))


def apply_gradient_descent(var, alpha, delta):
    """`var -= delta * alpha`."""
    w = var._writable_array()
    step = _gradient(delta, var) * _scalar(alpha, var)
    np.subtract(w, step, out=w)


def apply_keras_momentum(var, accum, lr, grad, momentum, use_nesterov=False):
    """Keras's momentum: `step = grad * lr`, `accum = accum * momentum - step`, then
    `var += accum`, or with Nesterov `var += accum * momentum - step`."""
    w, m = var._writable_array(), accum._writable_array()
    momentum = _scalar(momentum, var)
    step = _gradient(grad, var) * _scalar(lr, var)
    m *= momentum
    m -= step
    if use_nesterov:
        np.subtract(m * momentum, step, out=step)
        w += step
    else:
        w += m


def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, mg=None):
    """RMSprop: `ms = ms * rho + grad**2 * (1 - rho)`; centered (with `mg`):
    `mg = mg * rho + grad * (1 - rho)` and `denominator = ms - mg**2 + epsilon`, else
    `ms + epsilon`; `step = lr * grad / sqrt(denominator)`; with momentum
    `mom = mom * momentum + step` and `var -= mom`, else `var -= step`."""
    w, v = var._writable_array(), ms._writable_array()
    g = _gradient(grad, var)
    one_minus_rho = _scalar(1 - float(np.asarray(rho)), var)  # as Keras: 1 - rho in Python
    rho = _scalar(rho, var)
    step = np.square(g)
    step *= one_minus_rho
    v *= rho
    v += step
    if mg is not None:
        average = mg._writable_array()
        average *= rho
        average += g * one_minus_rho
        np.square(average, out=step)
        np.subtract(v, step, out=step)
        step += _scalar(epsilon, var)
    else:
        np.add(v, _scalar(epsilon, var), out=step)
    np.sqrt(step, out=step)
    np.divide(g * _scalar(lr, var), step, out=step)
    if mom is not None and momentum:
        buffer = mom._writable_array()
        buffer *= _scalar(momentum, var)
        buffer += step
        w -= buffer
    else:
        w -= step


def apply_adam(var, m, v, alpha, beta1, beta2, epsilon, grad, vhat=None):
    """Adam with the bias-corrected step size `alpha` (`lr * sqrt(1 - beta2**t) /
    (1 - beta1**t)`): `m += (grad - m) * (1 - beta1)`, `v += (grad**2 - v) * (1 - beta2)`,
    `vhat = max(vhat, v)` (AMSGrad, used in place of v), `var -= m * alpha /
    (sqrt(v) + epsilon)`."""
    w, first, second = var._writable_array(), m._writable_array(), v._writable_array()
    g = _gradient(grad, var)
    step = g - first
    step *= _scalar(1 - float(np.asarray(beta1)), var)  # as Keras: 1 - beta in Python
    first += step
    np.square(g, out=step)
    step -= second
    step *= _scalar(1 - float(np.asarray(beta2)), var)
    second += step
    if vhat is not None:
        maximum = vhat._writable_array()
        np.maximum(maximum, second, out=maximum)
        second = maximum
    np.sqrt(second, out=step)
    step += _scalar(epsilon, var)
    np.divide(first * _scalar(alpha, var), step, out=step)
    w -= step
