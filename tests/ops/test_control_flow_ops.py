"""Control flow and functional ops, eagerly and inside tf.function, with gradients.

Expected values were recorded from TensorFlow 2.21 (the same calls run eagerly there).
"""

import numpy as np
import pytest

import eagerflow as tf
from tests.gradient_check import check_gradients


def both(fn):
    """`fn` run eagerly and through tf.function, for results that must agree."""
    return [fn, tf.function(fn)]


@pytest.mark.parametrize("mode", ["eager", "traced"])
def test_cond_picks_a_branch(mode):
    def f(x):
        return tf.cond(x > 0, lambda: x * x, lambda: -x)

    run = f if mode == "eager" else tf.function(f)
    assert float(run(tf.constant(3.0))) == 9.0
    assert float(run(tf.constant(-2.0))) == 2.0


def test_cond_eager_runs_one_branch_and_traced_traces_both():
    calls = []

    def f(x):
        return tf.cond(x > 0, lambda: calls.append("t") or x, lambda: calls.append("f") or x)

    f(tf.constant(1.0))
    assert calls == ["t"]
    traced = tf.function(f)
    traced(tf.constant(1.0))
    traced(tf.constant(-1.0))
    assert calls == ["t", "t", "f"]  # each branch traced once, none run by Python again


def test_cond_with_python_predicate_and_python_values():
    assert tf.cond(tf.constant(True), lambda: 1, lambda: 2) == 1  # TF 2.21: 1


def test_cond_branch_mismatch_is_tensorflow_type_error():
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.int32))

    with pytest.raises(TypeError, match="true_fn and false_fn arguments to tf.cond must have "
                                        "the same number, type, and overall structure"):
        f(tf.constant(1.0))


def test_case_and_switch_case():
    # TF 2.21: 2, 20, 30, 20
    assert tf.case([(tf.constant(False), lambda: 1), (tf.constant(True), lambda: 2)],
                   default=lambda: 3) == 2
    assert tf.switch_case(tf.constant(1), [lambda: 10, lambda: 20], default=lambda: 30) == 20
    assert tf.switch_case(tf.constant(5), [lambda: 10, lambda: 20], default=lambda: 30) == 30
    assert tf.switch_case(tf.constant(5), [lambda: 10, lambda: 20]) == 20

    @tf.function
    def pick(i, x):
        return tf.switch_case(i, [lambda: x, lambda: x * 2, lambda: x * 3])

    assert [float(pick(tf.constant(i), 1.0)) for i in (0, 1, 2, 7)] == [1.0, 2.0, 3.0, 3.0]

    @tf.function
    def sign(x):
        return tf.case([(x < 0, lambda: -1.0), (x > 0, lambda: 1.0)], default=lambda: 0.0)

    assert [float(sign(tf.constant(v))) for v in (-3.0, 0.0, 2.0)] == [-1.0, 0.0, 1.0]


@pytest.mark.parametrize("mode", ["eager", "traced"])
def test_while_loop_values(mode):
    def f(n):
        return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0))

    run = f if mode == "eager" else tf.function(f)
    i, total = run(tf.constant(5))
    assert (int(i), int(total)) == (5, 10)
    i, total = run(tf.constant(3))
    assert (int(i), int(total)) == (3, 3)


def test_while_loop_structures_and_maximum_iterations():
    # TF 2.21: [4] as a list; (10,) as a tuple
    result = tf.while_loop(lambda i: i < 10, lambda i: [i + 1], [0], maximum_iterations=4)
    assert isinstance(result, list) and int(result[0]) == 4
    result = tf.while_loop(lambda i: i < 10, lambda i: (i + 1,), (0,))
    assert isinstance(result, tuple) and int(result[0]) == 10

    @tf.function
    def limited(limit):
        return tf.while_loop(lambda i: i < 10, lambda i: [i + 1], [0], maximum_iterations=limit)

    assert int(limited(tf.constant(3))[0]) == 3
    with pytest.raises(ValueError, match="'loop_vars' must be provided."):
        tf.while_loop(lambda i: i < 1, lambda i: i, [])


def test_while_loop_shape_and_dtype_errors_inside_a_trace():
    @tf.function
    def grows(x):
        return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.concat([a, a], 0)),
                             [0, x])

    with pytest.raises(ValueError, match=r"Input tensor `x:0` enters the loop with shape "
                                         r"\(1,\), but has shape \(2,\) after one iteration"):
        grows(tf.constant([1.0]))

    @tf.function
    def casts(x):
        return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.cast(a, tf.int32)),
                             [0, x])

    with pytest.raises(TypeError, match=r"Loop var x:0 enters the loop with type <dtype: "
                                        r"'float32'> but has type <dtype: 'int32'> after 1 "
                                        r"iteration. x:0 type should remain constant."):
        casts(tf.constant([1.0]))

    @tf.function
    def relaxed(x):
        return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.concat([a, a], 0)),
                             [0, x], shape_invariants=[tf.TensorShape([]),
                                                       tf.TensorShape([None])])

    assert relaxed(tf.constant([1.0]))[1].numpy().tolist() == [1.0] * 8  # TF 2.21: shape (8,)


def test_tensor_array_eager():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(0, 1.0).write(1, 2.0)
    assert ta.stack().numpy().tolist() == [1.0, 2.0]
    assert int(ta.size()) == 2 and float(ta.read(1)) == 2.0
    with pytest.raises(tf.errors.OutOfRangeError,
                       match="Tried to write to index 3 but array is not resizeable and size "
                             "is: 2"):
        tf.TensorArray(tf.float32, size=2).write(3, 1.0)
    unstacked = tf.TensorArray(tf.float32, size=3).unstack([1.0, 2.0, 3.0])
    assert unstacked.gather([2, 0]).numpy().tolist() == [3.0, 1.0]
    scattered = tf.TensorArray(tf.float32, size=3).scatter([2, 0], [5.0, 6.0])
    assert scattered.stack().numpy().tolist() == [6.0, 0.0, 5.0]
    assert tf.TensorArray(tf.float32, size=3, element_shape=[2]).stack().shape == (3, 2)


def test_tensor_array_in_a_traced_loop_grows_per_call():
    @tf.function
    def doubles(n):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

        def body(i, ta):
            return i + 1, ta.write(i, tf.cast(i, tf.float32) * 2.0)

        _, ta = tf.while_loop(lambda i, ta: i < n, body, (0, ta))
        return ta.stack()

    assert doubles(tf.constant(3)).numpy().tolist() == [0.0, 2.0, 4.0]
    assert doubles(tf.constant(5)).numpy().tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert doubles.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("mode", ["eager", "traced"])
def test_functional_ops(mode):
    def f(x, y):
        return (tf.map_fn(lambda e: e * 2, x),
                tf.map_fn(lambda e: tf.cast(e, tf.int32), x, fn_output_signature=tf.int32),
                tf.map_fn(lambda e: (e[0], e[1] * 2), (x, x + 1.0)),
                tf.scan(lambda a, e: a + e, y),
                tf.scan(lambda a, e: a + e, y, initializer=10.0),
                tf.scan(lambda a, e: a + e, y, reverse=True),
                tf.foldl(lambda a, e: a - e, y),
                tf.foldr(lambda a, e: a - e, y),
                tf.foldl(lambda a, e: a - e, y, initializer=10.0),
                tf.vectorized_map(lambda e: e * 2, x))

    run = f if mode == "eager" else tf.function(f)
    out = run(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))
    assert out[0].numpy().tolist() == [2.0, 4.0]
    assert out[1].dtype == tf.int32 and out[1].numpy().tolist() == [1, 2]
    assert [t.numpy().tolist() for t in out[2]] == [[1.0, 2.0], [4.0, 6.0]]
    # TF 2.21: [1, 3, 6], [11, 13, 16], [6, 5, 3], -4, 0, 4, [2, 4]
    assert out[3].numpy().tolist() == [1.0, 3.0, 6.0]
    assert out[4].numpy().tolist() == [11.0, 13.0, 16.0]
    assert out[5].numpy().tolist() == [6.0, 5.0, 3.0]
    assert [float(out[k]) for k in (6, 7, 8)] == [-4.0, 0.0, 4.0]
    assert out[9].numpy().tolist() == [2.0, 4.0]


def test_traced_map_fn_follows_the_input_length():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def squares(x):
        return tf.map_fn(lambda e: e * e, x)

    assert squares(tf.constant([1.0, 2.0, 3.0])).numpy().tolist() == [1.0, 4.0, 9.0]
    assert squares(tf.constant([4.0, 5.0])).numpy().tolist() == [16.0, 25.0]


# --- gradients ---------------------------------------------------------------------------

def test_cond_gradients_eager_and_traced(rng):
    for fn in both(lambda x: tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * x,
                                     lambda: x * x * x)):
        check_gradients(fn, np.abs(rng.standard_normal(3)) + 0.1, order=2)
        check_gradients(fn, -np.abs(rng.standard_normal(3)) - 0.1, order=2)


def test_while_loop_gradients_eager_and_traced(rng):
    def power(x):
        _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x),
                             (0, tf.ones_like(x)))
        return y

    for fn in both(power):
        check_gradients(fn, rng.standard_normal(4), order=2)


def test_map_fn_and_scan_gradients(rng):
    for fn in both(lambda x: tf.map_fn(lambda e: tf.tanh(e) * e, x)):
        check_gradients(fn, rng.standard_normal((3, 2)), order=2)
    for fn in both(lambda x: tf.scan(lambda a, e: a * e + 1.0, x)):
        check_gradients(fn, rng.standard_normal(4), order=1)


def test_tape_inside_a_trace_differentiates_control_flow():
    v = tf.Variable(2.0)

    @tf.function
    def grads(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: v * x * x, lambda: v * v)
            _, z = tf.while_loop(lambda i, z: i < 3, lambda i, z: (i + 1, z * x),
                                 (0, tf.constant(1.0)))
        return tape.gradient(y, [x, v]), tape.gradient(z, x)

    (dx, dv), dz = grads(tf.constant(3.0))
    assert (float(dx), float(dv), float(dz)) == (12.0, 9.0, 27.0)
    (dx, dv), dz = grads(tf.constant(-3.0))
    assert (float(dx), float(dv), float(dz)) == (0.0, 4.0, 27.0)


def test_variable_updates_inside_traced_branches_and_loops_happen_per_call():
    v = tf.Variable(0.0)

    @tf.function
    def f(x):
        tf.cond(x > 0, lambda: v.assign_add(x), lambda: v.assign_sub(1.0))
        i = tf.constant(0)
        while i < 3:  # AutoGraph: a tf.while_loop whose body updates v
            v.assign_add(1.0)
            i += 1
        return v.read_value()

    assert float(f(tf.constant(2.0))) == 5.0
    assert float(f(tf.constant(-2.0))) == 7.0
    assert float(v) == 7.0
