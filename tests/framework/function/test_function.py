"""tf.function: tracing rules, symbolic tensors, variables, concrete functions, gradients.

Expected printouts, counts and messages were recorded from TensorFlow 2.21.
"""

import logging

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.errors import OperatorNotAllowedInGraphError
from eagerflow.framework.function import functions_run_eagerly, run_functions_eagerly
from tests.gradient_check import check_gradients


def test_guide_cell_traces_once_per_signature(capsys):
    @tf.function
    def f(x):
        print("Tracing with", x)
        return tf.reduce_sum(x * x)

    assert int(f(tf.constant([1, 2]))) == 5
    assert int(f(tf.constant([3, 4]))) == 25
    assert float(f(tf.constant([1.0, 2.0]))) == 5.0
    f(2)
    f(3)
    f(2)
    assert f.experimental_get_tracing_count() == 4  # TF 2.21: 4
    assert capsys.readouterr().out.splitlines() == [
        'Tracing with Tensor("x:0", shape=(2,), dtype=int32)',
        'Tracing with Tensor("x:0", shape=(2,), dtype=float32)',
        "Tracing with 2",
        "Tracing with 3",
    ]


def test_new_shape_and_new_object_retrace():
    @tf.function
    def f(x, obj=None):
        return x + 1

    f(tf.constant([1.0]))
    f(tf.constant([1.0, 2.0]))
    f(tf.constant([3.0, 4.0]))
    assert f.experimental_get_tracing_count() == 2
    a, b = object(), object()
    f(tf.constant([1.0]), a)
    f(tf.constant([1.0]), a)
    f(tf.constant([1.0]), b)
    assert f.experimental_get_tracing_count() == 4


def test_input_signature_traces_once_for_every_length(capsys):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        print("trace", x)
        return x + 1

    assert f(tf.constant([1.0])).numpy().tolist() == [2.0]
    assert f(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 3.0]
    assert f([5.0, 6.0, 7.0]).numpy().tolist() == [6.0, 7.0, 8.0]
    assert f.experimental_get_tracing_count() == 1
    assert capsys.readouterr().out == 'trace Tensor("x:0", shape=(None,), dtype=float32)\n'
    with pytest.raises(TypeError, match=r"Can not cast TensorSpec\(shape=\(2,\), "
                                        r"dtype=tf.int32, name=None\) to TensorSpec\("
                                        r"shape=\(None,\), dtype=tf.float32"):
        f(tf.constant([1, 2]))


def test_reduce_retracing_relaxes_shapes(capsys):
    @tf.function(reduce_retracing=True)
    def f(x):
        print("trace", x)
        return x * 2

    for n in range(1, 5):
        assert f(tf.ones(n)).numpy().tolist() == [2.0] * n
    assert f.experimental_get_tracing_count() == 2  # TF 2.21: 2
    assert capsys.readouterr().out.splitlines() == [
        'trace Tensor("x:0", shape=(1,), dtype=float32)',
        'trace Tensor("x:0", shape=(None,), dtype=float32)']


def test_frequent_retracing_warns_twice(caplog):
    @tf.function
    def f(x):
        return x

    with caplog.at_level(logging.WARNING, logger="eagerflow"):
        for i in range(8):
            f(float(i))
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[0].startswith("5 out of the last 5 calls to <function")
    assert "triggered tf.function retracing" in messages[0]
    assert messages[1].startswith("6 out of the last 6 calls")


def test_symbolic_tensor_printing_and_errors():
    seen = {}

    @tf.function
    def f(x):
        seen["repr"], seen["str"] = repr(x), str(x)
        seen["eager"] = tf.executing_eagerly()
        seen["sum"] = str(tf.reduce_sum(x))
        with pytest.raises(AttributeError, match="'SymbolicTensor' object has no attribute "
                                                 "'numpy'"):
            x.numpy()
        with pytest.raises(OperatorNotAllowedInGraphError,
                           match="Using a symbolic `tf.Tensor` as a Python `bool` is not "
                                 "allowed"):
            bool(x[0] > 0)
        with pytest.raises(OperatorNotAllowedInGraphError,
                           match="Iterating over a symbolic `tf.Tensor` is not allowed"):
            iter(x)
        with pytest.raises(NotImplementedError,
                           match=r"Cannot convert a symbolic tf.Tensor \(x:0\) to a numpy"):
            np.asarray(x)
        return x * 2

    assert f(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 4.0]
    assert seen["repr"] == "<tf.Tensor 'x:0' shape=(2,) dtype=float32>"
    assert seen["str"] == 'Tensor("x:0", shape=(2,), dtype=float32)'
    assert seen["sum"].startswith('Tensor("Sum') and "shape=(), dtype=float32" in seen["sum"]
    assert seen["eager"] is False
    assert tf.executing_eagerly() is True


def test_python_body_does_not_run_on_replay():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x + 1

    for _ in range(3):
        f(tf.constant(1.0))
    assert len(calls) == 1


def test_run_functions_eagerly_runs_the_body_each_call():
    calls = []

    @tf.function
    def f(x):
        calls.append(tf.executing_eagerly())
        return x + 1

    run_functions_eagerly(True)
    try:
        assert functions_run_eagerly()
        f(tf.constant(1.0))
        f(tf.constant(1.0))
    finally:
        run_functions_eagerly(False)
    assert calls == [True, True]
    assert not functions_run_eagerly()


def test_variable_updates_happen_at_each_execution_not_at_trace():
    v = tf.Variable(0.0)

    @tf.function
    def f():
        v.assign_add(1.0)
        return v.read_value()

    concrete = f.get_concrete_function()
    assert float(v) == 0.0  # tracing ran nothing
    assert float(f()) == 1.0
    assert float(f()) == 2.0
    assert float(concrete()) == 3.0
    assert float(v) == 3.0


def test_variables_created_on_first_call_only():
    class Scale:
        def __init__(self):
            self.v = None

        @tf.function
        def __call__(self, x):
            if self.v is None:
                self.v = tf.Variable(2.0)
            return self.v * x

    first, second = Scale(), Scale()
    assert float(first(1.0)) == 2.0
    assert float(first(3.0)) == 6.0
    assert float(second(4.0)) == 8.0
    assert first.v is not second.v  # a method gets one tf.function per instance

    @tf.function
    def every_call(x):
        return tf.Variable(1.0) + x

    with pytest.raises(ValueError, match="tf.function only supports singleton tf.Variables "
                                         "created on the first call"):
        every_call(1.0)


def test_concrete_function_signature_and_outputs():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return x + 1

    concrete = f.get_concrete_function()
    assert concrete.structured_input_signature == (
        (tf.TensorSpec([None], tf.float32, name="x"),), {})
    assert str(concrete.structured_outputs).startswith('Tensor("')
    assert concrete(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 3.0]
    # TF 2.21 prints exactly this (its Output Type keeps the None size too).
    assert str(concrete) == ("ConcreteFunction Input Parameters:\n  x (POSITIONAL_OR_KEYWORD): "
                             "TensorSpec(shape=(None,), dtype=tf.float32, name=None)\n"
                             "Output Type:\n  TensorSpec(shape=(None,), dtype=tf.float32, "
                             "name=None)\nCaptures:\n  None")
    assert concrete.structured_outputs.shape.as_list() == [None]

    @tf.function
    def g(x):
        return tf.reduce_sum(x)

    by_spec = g.get_concrete_function(tf.TensorSpec([3], tf.float32))
    assert by_spec.structured_input_signature == (
        (tf.TensorSpec([3], tf.float32, name="x"),), {})
    assert float(by_spec(tf.constant([1.0, 2.0, 3.0]))) == 6.0
    with pytest.raises(TypeError, match="Can not cast"):
        by_spec(tf.constant([1.0, 2.0]))
    assert g.python_function.__name__ == "g"


def test_nested_functions_and_structures():
    @tf.function
    def inner(x):
        return {"double": x * 2, "square": x * x}

    @tf.function
    def outer(pair):
        a, b = pair
        out = inner(a)
        return out["double"] + out["square"] + b, [b]

    total, rest = outer((tf.constant(3.0), tf.constant(1.0)))
    assert float(total) == 16.0
    assert isinstance(rest, list) and float(rest[0]) == 1.0


def test_gradients_through_a_traced_call_first_and_second_order(rng):
    @tf.function
    def f(x, y):
        return tf.tanh(x) * y + tf.reduce_sum(x * x)

    check_gradients(f, rng.standard_normal((3,)), rng.standard_normal((3,)), order=2)


def test_tape_inside_a_traced_training_step_matches_eager():
    def make():
        return tf.Variable([[0.5], [-0.25]]), tf.Variable([0.1])

    def step(w, b, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(y - (tf.matmul(x, w) + b)))
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(gw * 0.1)
        b.assign_sub(gb * 0.1)
        return loss

    x = tf.constant([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    y = tf.constant([[1.0], [0.0], [1.0]])
    eager_w, eager_b = make()
    traced_w, traced_b = make()
    traced = tf.function(step)
    for _ in range(3):
        eager_loss = step(eager_w, eager_b, x, y)
        traced_loss = traced(traced_w, traced_b, x, y)
        np.testing.assert_allclose(traced_loss.numpy(), eager_loss.numpy(), rtol=1e-6)
    np.testing.assert_allclose(traced_w.numpy(), eager_w.numpy(), rtol=1e-6)
    np.testing.assert_allclose(traced_b.numpy(), eager_b.numpy(), rtol=1e-6)


def test_gradient_of_variable_read_in_traced_call():
    v = tf.Variable(3.0)

    @tf.function
    def f(x):
        return v * v * x

    with tf.GradientTape() as tape:
        y = f(tf.constant(2.0))
    assert float(tape.gradient(y, v)) == 12.0


def test_replay_errors_are_tensorflow_errors():
    @tf.function
    def f(x, y):
        return x + y

    f(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        f.get_concrete_function(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0]))._run(
            [tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0])])


def test_init_scope_runs_eagerly_inside_a_trace():
    seen = []

    @tf.function
    def f(x):
        with tf.init_scope():
            seen.append(tf.executing_eagerly())
        return x

    f(tf.constant(1.0))
    assert seen == [True]


def test_stateful_functions_run_at_every_execution():
    from eagerflow.framework.op import stateful

    draws = iter(range(100))

    @stateful("TestDraw")
    def draw(shape):
        return tf.fill(shape, float(next(draws)))

    v = tf.Variable([0.0, 0.0])

    @stateful("TestUpdate", updates_only=True)
    def bump(variable, delta):
        buffer = variable._writable_array()
        buffer += np.asarray(delta)

    @tf.function
    def f(x):
        bump(v, x)
        return draw([2]) + x

    first = f(tf.constant([1.0, 1.0])).numpy().tolist()
    second = f(tf.constant([1.0, 1.0])).numpy().tolist()
    assert first != second  # a new draw on each call, not a constant kept from the trace
    assert v.numpy().tolist() == [2.0, 2.0]  # updated at each of the two calls, not at trace


def test_keras_model_inside_a_traced_training_step_matches_eager():
    from eagerflow import keras

    def make():
        keras.utils.set_random_seed(7)
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                 keras.layers.Dense(3)])

    x = tf.constant(np.random.default_rng(0).standard_normal((5, 4)).astype("float32"))
    y = tf.constant([0, 1, 2, 1, 0])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def step(model, x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        for v, g in zip(model.trainable_variables, grads):
            v.assign_sub(0.1 * g)
        return loss

    eager_model, traced_model = make(), make()
    traced = tf.function(step)
    for _ in range(3):
        np.testing.assert_allclose(traced(traced_model, x, y).numpy(),
                                   step(eager_model, x, y).numpy(), rtol=1e-5)
    for a, b in zip(traced_model.get_weights(), eager_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    assert traced.experimental_get_tracing_count() == 1


def test_in_place_update_while_tracing_is_a_loud_error():
    v = tf.Variable([1.0])

    @tf.function
    def f():
        v._writable_array()[0] = 5.0

    with pytest.raises(NotImplementedError, match="ran while a tf.function was tracing"):
        f()
    assert v.numpy().tolist() == [1.0]


def test_numpy_arguments_trace_as_tensors_and_python_results_become_tensors(capsys):
    @tf.function
    def f(x):
        print("trace", x)
        return x + 1

    f(np.array([1.0, 2.0]))
    assert f(np.array([3.0, 4.0])).numpy().tolist() == [4.0, 5.0]
    f(np.array([1, 2]))
    assert f.experimental_get_tracing_count() == 2  # TF 2.21: 2, by shape and dtype
    assert capsys.readouterr().out.splitlines() == [
        'trace Tensor("x:0", shape=(2,), dtype=float64)',
        'trace Tensor("x:0", shape=(2,), dtype=int64)']

    @tf.function
    def identity(x):
        return x

    # TF 2.21: Tensor(3, int32), Tensor(3.5, float32), Tensor(b'a', string), None
    three, half, text, none = identity(3), identity(3.5), identity("a"), identity(None)
    assert (three.dtype, int(three)) == (tf.int32, 3)
    assert (half.dtype, float(half)) == (tf.float32, 3.5)
    assert text.dtype == tf.string and none is None
