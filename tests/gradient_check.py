"""The one finite-difference gradient check: tape gradients against central differences.

The function's outputs are reduced to a scalar with fixed random weights, and its
derivative along a random direction is compared with the tape's gradient in float64.
With `order=2` the same check runs on the gradient function itself, which exercises the
gradients of the gradient ops (the nested-tape path). `check_complex_gradients` does the
same, to first order, for functions of complex inputs.
"""

import numpy as np

import eagerflow as tf


def _flat_outputs(result):
    return [r for r in tf.nest.flatten(result) if r is not None]


def _weighted_sum(outputs, weights):
    """The real part of sum(output * weight), in float64 (complex128 for complex weights)."""
    total = tf.constant(0.0, tf.float64)
    for output, weight in zip(outputs, weights):
        dtype = tf.complex128 if np.iscomplexobj(weight) else tf.float64
        total = total + tf.cast(tf.reduce_sum(tf.cast(output, dtype) * weight), tf.float64)
    return total


def _loss(f, weights, arrays):
    """The weighted sum of f's outputs at `arrays`, as a Python float."""
    return float(_weighted_sum(_flat_outputs(f(*[tf.constant(a) for a in arrays])), weights))


def _tape_gradients(f, weights, tensors):
    """The tape's gradients of the weighted sum of f's outputs (zeros where unconnected)."""
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        total = _weighted_sum(_flat_outputs(f(*tensors)), weights)
    return tape.gradient(total, tensors, unconnected_gradients="zero")


def _check(f, xs, order, rng, eps, atol, rtol):
    outputs = _flat_outputs(f(*[tf.constant(x) for x in xs]))
    weights = [rng.standard_normal(np.shape(o)) for o in outputs]
    directions = [rng.standard_normal(np.shape(x)) for x in xs]
    grads = _tape_gradients(f, weights, [tf.constant(x) for x in xs])
    for x, g in zip(xs, grads):
        assert g.dtype == tf.as_dtype(x.dtype), f"gradient dtype {g.dtype} for input {x.dtype}"
        assert tuple(g.shape) == x.shape, f"gradient shape {g.shape} for input {x.shape}"
    analytic = sum(float(np.sum(np.asarray(g) * u)) for g, u in zip(grads, directions))
    plus = _loss(f, weights, [x + eps * u for x, u in zip(xs, directions)])
    minus = _loss(f, weights, [x - eps * u for x, u in zip(xs, directions)])
    numeric = (plus - minus) / (2 * eps)
    assert abs(analytic - numeric) <= atol + rtol * max(abs(analytic), abs(numeric)), (
        f"order-{order} gradient mismatch: tape {analytic!r} vs finite differences {numeric!r}")

    if order > 1:
        def gradient_of_f(*inner_tensors):
            return _tape_gradients(f, weights, list(inner_tensors))
        _check(gradient_of_f, xs, order - 1, rng, eps, atol, rtol)


def check_gradients(f, *args, order=2, eps=1e-6, atol=1e-6, rtol=1e-4, seed=0):
    """Checks the tape's gradients of `f` at `args` (floating arrays, cast to float64).

    Args:
      f: a function of Tensors returning a Tensor or a structure of Tensors.
      args: the point, as arrays; each is an input that gets differentiated.
      order: 1 checks first derivatives; 2 also checks the gradient's own gradient.
    """
    rng = np.random.default_rng(seed)
    xs = [np.asarray(a, dtype=np.float64) for a in args]
    _check(f, xs, order, rng, eps, atol, rtol)


def _complex_normal(rng, shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def check_complex_gradients(f, *args, eps=1e-6, tol=1e-6, seed=0):
    """Checks the tape's gradients of `f` at complex `args` (first order).

    The gradient of a real loss L with respect to a complex z follows TensorFlow's
    convention, dL/dRe(z) + i dL/dIm(z), so its real inner product with a direction is
    L's derivative along that direction. L is the real part of the outputs' sum with fixed
    random complex weights; each input is checked along a random direction of its own.

    Args:
      f: a function of complex Tensors returning a Tensor or a structure of Tensors.
      args: the point, as complex128 arrays; each is an input that gets differentiated.
    """
    rng = np.random.default_rng(seed)
    outputs = _flat_outputs(f(*[tf.constant(a) for a in args]))
    weights = [_complex_normal(rng, np.shape(o)) for o in outputs]
    grads = _tape_gradients(f, weights, [tf.constant(a) for a in args])
    for k, (x, g) in enumerate(zip(args, grads)):
        direction = _complex_normal(rng, np.shape(x))
        plus, minus = ([a + sign * eps * direction if j == k else a for j, a in enumerate(args)]
                       for sign in (1, -1))
        numeric = (_loss(f, weights, plus) - _loss(f, weights, minus)) / (2 * eps)
        analytic = float(np.sum(np.real(np.conj(np.asarray(g)) * direction)))
        assert abs(analytic - numeric) <= tol * max(1.0, abs(numeric)), (
            f"gradient mismatch for input {k}: tape {analytic!r} vs finite differences "
            f"{numeric!r}")
