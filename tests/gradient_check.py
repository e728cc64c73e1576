"""The one finite-difference gradient check: tape gradients against central differences.

The function's outputs are reduced to a scalar with fixed random weights, and its
derivative along a random direction is compared with the tape's gradient in float64.
With `order=2` the same check runs on the gradient function itself, which exercises the
gradients of the gradient ops (the nested-tape path).
"""

import numpy as np

import eagerflow as tf


def _flat_outputs(result):
    return [r for r in tf.nest.flatten(result) if r is not None]


def _weighted_sum(outputs, weights):
    total = tf.constant(0.0, tf.float64)
    for output, weight in zip(outputs, weights):
        total = total + tf.reduce_sum(tf.cast(output, tf.float64) * weight)
    return total


def _check(f, xs, order, rng, eps, atol, rtol):
    outputs = _flat_outputs(f(*[tf.constant(x) for x in xs]))
    weights = [rng.standard_normal(np.shape(o)) for o in outputs]
    directions = [rng.standard_normal(np.shape(x)) for x in xs]

    def loss(*arrays):
        return float(_weighted_sum(_flat_outputs(f(*[tf.constant(a) for a in arrays])), weights))

    tensors = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        total = _weighted_sum(_flat_outputs(f(*tensors)), weights)
    grads = tape.gradient(total, tensors, unconnected_gradients="zero")
    for x, g in zip(xs, grads):
        assert g.dtype == tf.as_dtype(x.dtype), f"gradient dtype {g.dtype} for input {x.dtype}"
        assert tuple(g.shape) == x.shape, f"gradient shape {g.shape} for input {x.shape}"
    analytic = sum(float(np.sum(np.asarray(g) * u)) for g, u in zip(grads, directions))
    plus = loss(*[x + eps * u for x, u in zip(xs, directions)])
    minus = loss(*[x - eps * u for x, u in zip(xs, directions)])
    numeric = (plus - minus) / (2 * eps)
    assert abs(analytic - numeric) <= atol + rtol * max(abs(analytic), abs(numeric)), (
        f"order-{order} gradient mismatch: tape {analytic!r} vs finite differences {numeric!r}")

    if order > 1:
        def gradient_of_f(*inner_tensors):
            with tf.GradientTape() as inner:
                inner.watch(list(inner_tensors))
                inner_total = _weighted_sum(_flat_outputs(f(*inner_tensors)), weights)
            return inner.gradient(inner_total, list(inner_tensors), unconnected_gradients="zero")
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
