"""Random draws, fused optimizer updates and Python number conversions in tf.function
traces, as TensorFlow behaves."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras


def test_random_ops_draw_anew_at_every_call_and_as_eager_code_does():
    def draws():
        return (tf.random.uniform([3]), tf.random.normal([2], seed=4),
                tf.random.stateless_uniform([2], seed=tf.constant([1, 2])))

    traced = tf.function(draws)
    tf.random.set_seed(7)
    eager = [[t.numpy() for t in draws()] for _ in range(3)]
    tf.random.set_seed(7)
    replayed = [[t.numpy() for t in traced()] for _ in range(3)]
    for ours, theirs in zip(replayed, eager):
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a, b)
    assert not np.array_equal(replayed[0][0], replayed[1][0])  # a new draw each call
    np.testing.assert_array_equal(replayed[0][2], replayed[1][2])  # stateless: same seed
    assert traced.experimental_get_tracing_count() == 1


def test_generator_draws_advance_once_per_call():
    generator = tf.random.Generator.from_seed(3)
    first = [generator.normal([2]).numpy() for _ in range(2)]
    generator = tf.random.Generator.from_seed(3)
    draw = tf.function(lambda: generator.normal([2]))
    np.testing.assert_array_equal(draw().numpy(), first[0])
    np.testing.assert_array_equal(draw().numpy(), first[1])


@pytest.mark.parametrize("make", [lambda: keras.optimizers.SGD(0.1, momentum=0.9),
                                  lambda: keras.optimizers.RMSprop(0.1),
                                  lambda: keras.optimizers.Adam(0.1)])
def test_fused_optimizer_updates_run_at_every_call(make):
    def train(step):
        variable = tf.Variable([1.0, -2.0])
        optimizer = make()
        losses = [float(step(variable, optimizer)) for _ in range(3)]
        return losses, variable.numpy()

    def step(variable, optimizer):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(variable * variable)
        optimizer.apply_gradients([(tape.gradient(loss, variable), variable)])
        return loss

    eager_losses, eager_value = train(step)
    traced_losses, traced_value = train(tf.function(step))
    assert traced_losses == eager_losses and eager_losses[0] > eager_losses[-1]
    np.testing.assert_array_equal(traced_value, eager_value)


def test_python_numbers_of_symbolic_tensors_raise_tensorflow_type_errors():
    # recorded from TF 2.21
    messages = []

    @tf.function
    def f(x):
        for convert in (float, int, range):
            try:
                convert(x)
            except TypeError as err:
                messages.append(str(err))
        return x

    f(tf.constant(3))
    assert messages == [
        "float() argument must be a string or a real number, not 'SymbolicTensor'",
        "int() argument must be a string, a bytes-like object or a real number, not "
        "'SymbolicTensor'",
        "'SymbolicTensor' object cannot be interpreted as an integer"]


def test_ops_run_by_other_threads_stay_out_of_a_trace():
    # tf.data's prefetch and map threads run ops while the main thread traces a step.
    import threading

    tracing, worker_done, seen = threading.Event(), threading.Event(), {}
    variable = tf.Variable(3.0)

    def worker():
        tracing.wait(5)
        noise = tf.random.uniform([2])
        seen["values"] = ((noise * 2.0).numpy(), variable.read_value().numpy())
        worker_done.set()

    @tf.function
    def step(x):
        tracing.set()
        worker_done.wait(5)
        return x + variable

    thread = threading.Thread(target=worker)
    thread.start()
    assert float(step(tf.constant(1.0))) == 4.0
    thread.join()
    doubled, read = seen["values"]
    assert doubled.shape == (2,) and read == 3.0
    variable.assign(5.0)
    assert float(step(tf.constant(1.0))) == 6.0


@tf.custom_gradient
def _log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))  # the stable form TensorFlow's guide writes
    return tf.math.log(1 + e), grad


def test_custom_gradients_inside_a_traced_function():
    traced = tf.function(lambda x: _log1pexp(x) * 2.0)
    x = tf.constant([0.0, 100.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = traced(x)
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 2.0]  # the custom gradient's
    np.testing.assert_allclose(traced(tf.constant([1.0, 2.0])).numpy(),
                               2 * np.log1p(np.exp([1.0, 2.0])), rtol=1e-6)

    @tf.function
    def inner_tape(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = _log1pexp(x)
        return tape.gradient(y, x)

    assert inner_tape(x).numpy().tolist() == [0.5, 1.0]
    from tests.gradient_check import check_gradients
    check_gradients(lambda t: tf.function(_log1pexp)(t), np.array([-1.0, 0.5, 2.0]), order=1)


def test_in_place_replay_never_overwrites_a_value_still_read(rng):
    # A traced replay lets Relu, BiasAdd and ReluGrad write into a fresh intermediate that
    # nothing else reads; a value read twice, an input or an output keeps its own array.
    def step(x, w, b):
        r = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), b))  # both in place
        m = tf.matmul(x, w)
        shared = tf.nn.relu(m) + m  # m is read twice: its Relu makes a new array
        with tf.GradientTape() as tape:
            tape.watch(w)
            loss = tf.reduce_sum(tf.nn.relu(tf.matmul(x, w)) ** 2)
        return r, shared, tape.gradient(loss, w), x

    args = [tf.constant(rng.standard_normal(s).astype("float32"))
            for s in [(4, 3), (3, 5), (5,)]]
    traced = tf.function(step)
    for _ in range(2):
        for ours, theirs in zip(traced(*args), step(*args)):
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    program = traced.get_concrete_function(*args)._program
    constants, _ = program._folded_constants()
    chosen = {program.nodes[k].op for k in program._in_place_nodes(constants)}
    assert {"BiasAdd", "Relu"} <= chosen
