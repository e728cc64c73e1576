"""tf.custom_gradient: user-written gradients, with inputs, variables and higher orders.

Expected values and messages are recorded from TF 2.21 running the same code with
`import tensorflow as tf`.
"""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.op import recorders
from tests.gradient_check import check_gradients


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(dy):
        return dy * (1 - 1 / (1 + e))
    return tf.math.log(1 + e), grad


@tf.custom_gradient
def softplus(x):
    def grad(dy):
        return dy * tf.sigmoid(x)
    return tf.math.log(1.0 + tf.exp(x)), grad


@pytest.mark.filterwarnings("ignore:overflow encountered in exp:RuntimeWarning")
def test_plain_custom_gradient():
    x = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(y) == np.inf  # recorded from TF 2.21: exp(100) overflows float32
    assert float(tape.gradient(y, x)) == 1.0  # where the composed gradient gives nan
    assert log1pexp.__name__ == "log1pexp"


def test_without_a_tape_it_is_the_forward():
    y = log1pexp(tf.constant(1.0))
    assert isinstance(y, tf.Tensor) and y.dtype == tf.float32
    np.testing.assert_allclose(float(y), 1.31326162815094, rtol=1e-6)  # TF 2.21


def test_multiple_inputs():
    @tf.custom_gradient
    def mul(a, b):
        def grad(dy):
            return dy * b * 10.0, dy * a * 100.0
        return a * b, grad

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = mul(a, b)
    assert [float(g) for g in tape.gradient(y, [a, b])] == [30.0, 200.0]  # TF 2.21


def test_inputs_nested_in_a_list_count_one_by_one():
    @tf.custom_gradient
    def product(xs):
        return xs[0] * xs[1], lambda dy: [dy * 5.0, dy * 6.0]

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = product([a, b])
    assert [float(g) for g in tape.gradient(y, [a, b])] == [5.0, 6.0]  # recorded from TF 2.21


def test_python_number_arguments_are_inputs_too():
    @tf.custom_gradient
    def scaled(x, k):
        return x * k, lambda dy: (dy * k, None)

    a = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(a)
        y = scaled(a, 3.0)
    assert float(tape.gradient(y, a)) == 3.0  # recorded from TF 2.21


def test_multiple_outputs():
    @tf.custom_gradient
    def two(x):
        def grad(dy1, dy2):
            return dy1 * 10.0 + dy2 * 100.0
        return (x * 1.0, x * 2.0), grad

    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        result = two(x)
    assert type(result) is tuple  # recorded from TF 2.21
    first, second = result
    assert float(tape.gradient(first, x)) == 10.0  # the unused output's dy is zeros
    assert float(tape.gradient([first, second], x)) == 110.0


def test_variables_used_inside():
    v = tf.Variable(3.0)

    @tf.custom_gradient
    def scale(x):
        def grad(dy, variables=None):
            assert variables == [v]
            return dy * v * 2.0, [dy * x * 7.0]
        return x * v, grad

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    assert float(y) == 6.0
    assert [float(g) for g in tape.gradient(y, [x, v])] == [6.0, 14.0]  # TF 2.21
    with tf.GradientTape() as tape:
        y = scale(x)
    assert float(tape.gradient(y, v)) == 14.0  # the variable is watched automatically
    assert tape.watched_variables() == (v,)


def test_variables_through_var_keyword():
    v = tf.Variable(3.0)

    @tf.custom_gradient
    def scale(x):
        def grad(dy, **kwargs):
            return dy, [kwargs["variables"][0] * 0.0 + 5.0]
        return x * v, grad

    with tf.GradientTape() as tape:
        y = scale(tf.constant(2.0))
    assert float(tape.gradient(y, v)) == 5.0  # recorded from TF 2.21


def test_grad_fn_must_accept_variables():
    v = tf.Variable(3.0)

    @tf.custom_gradient
    def scale(x):
        return x * v, lambda dy: dy

    with pytest.raises(TypeError) as info:
        scale(tf.constant(2.0))
    assert str(info.value) == (  # recorded from TF 2.21
        "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since "
        "function uses variables: [<tf.Variable 'Variable:0' shape=() dtype=float32, "
        "numpy=3.0>]")
    assert recorders == []


def test_a_variable_argument_is_an_input_not_a_captured_variable():
    @tf.custom_gradient
    def double(x):
        return x * 2.0, lambda dy: dy * 2.0

    w = tf.Variable(4.0)
    with tf.GradientTape() as tape:
        y = double(w)
    assert float(tape.gradient(y, w)) == 2.0  # recorded from TF 2.21


def test_non_trainable_variables_are_not_captured():
    frozen = tf.Variable(3.0, trainable=False)

    @tf.custom_gradient
    def scale(x):
        return x * frozen, lambda dy: dy * 4.0

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    assert float(tape.gradient(y, x)) == 4.0


def test_wrong_number_of_gradients():
    @tf.custom_gradient
    def mul(a, b):
        return a * b, lambda dy: dy

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = mul(a, b)
    with pytest.raises(ValueError) as info:
        tape.gradient(y, [a, b])
    assert str(info.value) == ("custom_gradient function expected to return 2 gradients, "
                               "but returned 1 instead.")  # recorded from TF 2.21


def test_wrong_number_of_variable_gradients():
    v = tf.Variable(3.0)

    @tf.custom_gradient
    def scale(x):
        return x * v, lambda dy, variables: (dy, [dy, dy])

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    with pytest.raises(ValueError) as info:
        tape.gradient(y, [x, v])
    assert str(info.value) == ("Must return gradient for each variable from @custom_gradient "
                               "grad_fn.")  # recorded from TF 2.21


def test_second_order_through_a_gradient_written_with_tf_ops():
    @tf.custom_gradient
    def cube(x):
        def grad(dy):
            return dy * 3.0 * x * x
        return x * x * x, grad

    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = cube(x)
        first = inner.gradient(y, x)
    assert float(first) == 12.0  # recorded from TF 2.21
    assert float(outer.gradient(first, x)) == 12.0


def test_custom_softplus_gradients(rng):
    x = tf.constant([-1.0, 0.5])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = softplus(x)
        first = inner.gradient(y, x)
    second = outer.gradient(first, x)
    # recorded from TF 2.21
    np.testing.assert_allclose(first.numpy(), [0.2689414322376251, 0.622459352016449],
                               rtol=1e-6)
    np.testing.assert_allclose(second.numpy(), [0.1966119408607483, 0.23500370979309082],
                               rtol=1e-6)
    check_gradients(softplus, rng.standard_normal((2, 3)), order=2)


def test_ops_inside_the_function_are_not_recorded():
    # TF 2.21 records them too (a gradient of `inner[0]` gives 6.0 there); eagerflow records
    # the call as one op, which is all the gradient of its output needs.
    inner = []

    @tf.custom_gradient
    def f(x):
        z = x * x
        inner.append(z)
        return z * 1.0, lambda dy: dy * 0.0 + 42.0

    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = f(x)
    assert float(tape.gradient(y, x)) == 42.0  # recorded from TF 2.21
    assert tape.gradient(inner[0], x) is None


def test_a_tape_inside_the_forward_recomputes_the_gradient():
    @tf.custom_gradient
    def recomputed(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.sin(x) * x

        def grad(dy):
            return tape.gradient(y, x, output_gradients=dy)
        return y, grad

    x = tf.constant(0.5)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = recomputed(x) * 2.0
    np.testing.assert_allclose(float(tape.gradient(y, x)), 1.8364336490631104,
                               rtol=1e-6)  # recorded from TF 2.21
    assert recorders == []


def test_on_a_method_the_instance_is_not_an_input():
    class Scaler:
        def __init__(self):
            self.k = tf.constant(3.0)

        @tf.custom_gradient
        def apply(self, x):
            return x * self.k, lambda dy: dy * 100.0

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = Scaler().apply(x)
    assert float(y) == 6.0
    assert float(tape.gradient(y, x)) == 100.0  # recorded from TF 2.21


def test_recorders_are_restored_when_the_function_raises():
    @tf.custom_gradient
    def broken(x):
        raise ZeroDivisionError

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        with pytest.raises(ZeroDivisionError):
            broken(x)
        assert recorders == [tape]
    assert recorders == []
