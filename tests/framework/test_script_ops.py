"""tf.py_function and tf.numpy_function; behaviour recorded from TensorFlow 2.21."""

import numpy as np
import pytest

import eagerflow as tf
from tests.framework.recording_trace import recorded_ops
from tests.gradient_check import check_gradients


def test_py_function_values_and_output_structure():
    x = tf.constant([1, 2])
    single = tf.py_function(lambda a: a + 1, [x], tf.int32)
    assert isinstance(single, tf.Tensor) and single.numpy().tolist() == [2, 3]
    listed = tf.py_function(lambda a: a + 1, [x], [tf.int32])
    assert isinstance(listed, list) and listed[0].numpy().tolist() == [2, 3]
    pair = tf.py_function(lambda a: (a + 1, a), [x], (tf.int32, tf.int32))
    assert isinstance(pair, list) and [p.numpy().tolist() for p in pair] == [[2, 3], [1, 2]]
    assert tf.py_function(lambda a: None, [x], []) == []


def test_py_function_converts_results_to_tout():
    x = tf.constant([1.0, 2.0])
    assert tf.py_function(lambda a: a.numpy() * 2, [x], tf.float32).numpy().tolist() == [2, 4]
    as_double = tf.py_function(lambda a: 1.5, [x], tf.float64)
    assert as_double.dtype == tf.float64 and float(as_double) == 1.5
    assert float(tf.py_function(lambda: 1.5, [], tf.float64)) == 1.5
    assert tf.py_function(lambda a: a, [1.5], tf.float32).dtype == tf.float32
    # A list where one value is expected gives its first value, as in TensorFlow.
    assert float(tf.py_function(lambda a: [1.0, 2.0], [x], tf.float32)) == 1.0


def test_py_function_function_sees_eager_tensors():
    seen = []
    tf.py_function(lambda a, b: seen.append((type(a), b.numpy().tolist())) or a,
                   [tf.constant(1.0), np.array([2.0])], tf.float32)
    assert seen == [(tf.Tensor, [2.0])]


def test_py_function_errors():
    x = tf.constant([1, 2])
    node = ("{{function_node __wrapped__EagerPyFunc_Tin_1_Tout_1_device_/job:localhost/"
            "replica:0/task:0/device:CPU:0}}")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.py_function(lambda a: a, [x], tf.float32)
    assert str(info.value).startswith(
        f"{node} ValueError: Tensor conversion requested dtype float32 for Tensor with dtype "
        f"int32")
    with pytest.raises(tf.errors.UnknownError, match="ZeroDivisionError: division by zero"):
        tf.py_function(lambda a: 1 / 0, [x], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"pyfunc_\d+ returns 0 values, but expects to see 1 values."):
        tf.py_function(lambda a: None, [x], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"returns 1 values, but expects to see 2 values."):
        tf.py_function(lambda a: a, [x], [tf.int32, tf.int32])
    with pytest.raises(tf.errors.InvalidArgumentError, match="TypeError: "):
        tf.py_function(lambda a: a, x, tf.int32)  # inp is iterated: two arguments
    with pytest.raises(tf.errors.UnknownError, match="NotFoundError: nf"):
        tf.py_function(lambda a: (_ for _ in ()).throw(
            tf.errors.NotFoundError(None, None, "nf")), [x], tf.int32)


def test_missing_arguments():
    with pytest.raises(TypeError, match="Missing required argument: 'Tout'\n  If using "
                                        "tf.py_function as a decorator"):
        tf.py_function(lambda a: a, [1.0])
    with pytest.raises(TypeError, match="Missing argument `inp`"):
        tf.py_function(lambda a: a, inp=None, Tout=tf.float32)
    with pytest.raises(TypeError, match="Don't set the `inp` argument"):
        tf.py_function(func=None, inp=[1.0], Tout=tf.float32)
    with pytest.raises(TypeError, match="If using tf.numpy_function as a decorator"):
        tf.numpy_function(lambda a: a, [1.0], None)


def test_decorators():
    @tf.py_function(Tout=tf.float32)
    def tripled(a):
        return a * 3

    @tf.numpy_function(Tout=tf.float32)
    def doubled(a):
        return a * 2

    x = tf.constant([1.0, 2.0])
    assert tripled(x).numpy().tolist() == [3.0, 6.0]
    assert doubled(x).numpy().tolist() == [2.0, 4.0]
    assert tripled.__name__ == "tripled"


def test_py_function_gradient_runs_the_function_once():
    calls = []

    def f(x, y):
        calls.append(1)
        return x * x * y, tf.sin(x)

    x, y = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch([x, y])
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, y])
            a, b = tf.py_function(f, [x, y], [tf.float32, tf.float32])
        da = tape.gradient(a, [x, y])
        db = tape.gradient(b, x)
    assert [float(g) for g in da] == [12.0, 4.0]
    assert float(db) == pytest.approx(np.cos(2.0))
    assert len(calls) == 1
    # Once differentiable, as in TensorFlow: no second-order path back to the inputs.
    assert outer.gradient(da[0], [x, y]) == [None, None]


def test_py_function_gradient_against_finite_differences():
    def f(x, w):
        return tf.py_function(lambda a, b: tf.tanh(a) @ b + tf.reduce_sum(a * a), [x, w],
                              tf.float64)

    rng = np.random.default_rng(0)
    check_gradients(f, rng.standard_normal((2, 3)), rng.standard_normal((3, 2)), order=1)


def test_py_function_gradient_reaches_variables_passed_in():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        r = tf.py_function(lambda a: a * 2, [v], tf.float32)
    assert float(tape.gradient(r, v)) == 2.0
    # A variable read inside the function is no input of the op: no gradient (as in TF).
    with tf.GradientTape() as tape:
        r = tf.py_function(lambda a: a * v, [tf.constant(3.0)], tf.float32)
    assert tape.gradient(r, v) is None


def test_py_function_through_numpy_gives_zero_gradient_path():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        r = tf.py_function(lambda a: tf.constant(a.numpy() * 2), [x], tf.float32)
    assert float(tape.gradient(r, x, unconnected_gradients="zero")) == 0.0


def test_numpy_function_values():
    x = tf.constant([1.0, 2.0])
    result = tf.numpy_function(lambda a: a * 2, [x], tf.float32)
    assert isinstance(result, tf.Tensor) and result.numpy().tolist() == [2.0, 4.0]
    pair = tf.numpy_function(lambda a, b: (a * 2, b), [x, np.int64(3)], [tf.float32, tf.int64])
    assert isinstance(pair, list) and pair[1].dtype == tf.int64 and int(pair[1]) == 3
    # Eager numpy_function converts what it gets, without checking Tout (as TF 2.21 does).
    assert tf.numpy_function(lambda a: a, [tf.constant([1, 2])], tf.float32).dtype == tf.int32
    assert tf.numpy_function(lambda a: (a,), [x], tf.float32).shape == (2,)
    assert tf.numpy_function(lambda a: None, [x], []) is None
    listed = tf.numpy_function(lambda a: [1.0, 2.0], [x], tf.float32)
    assert [float(t) for t in listed] == [1.0, 2.0]


def test_numpy_function_gets_writable_copies():
    x = tf.constant([1.0, 2.0])
    seen = []

    def scribble(a):
        seen.append((type(a), a.dtype, a.flags.writeable))
        a[0] = 100.0
        return a

    for stateful in (True, False):
        assert tf.numpy_function(scribble, [x], tf.float32, stateful=stateful).numpy()[0] == 100
    assert seen == [(np.ndarray, np.float32, True)] * 2
    assert x.numpy().tolist() == [1.0, 2.0]


def test_numpy_function_has_no_gradient_and_passes_errors():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        r = tf.numpy_function(lambda a: a * 2, [x], tf.float32)
    assert tape.gradient(r, x) is None
    with pytest.raises(ZeroDivisionError):
        tf.numpy_function(lambda a: 1 / 0, [x], tf.float32)
    with pytest.raises(ValueError, match="^bad value$"):
        tf.numpy_function(lambda a: (_ for _ in ()).throw(ValueError("bad value")), [x],
                          tf.float32)


def test_a_trace_records_one_op_and_its_replay_calls_the_function():
    calls = []

    def double(a):
        calls.append(a.numpy().tolist())
        return tf.multiply(a, 2.0)

    with recorded_ops() as ops:
        tf.py_function(double, [tf.constant([1.0])], tf.float32)
    (op,) = ops  # the Mul inside the function is hidden from the trace
    assert op.type == "EagerPyFunc"
    (out,) = op.primitive.forward([np.array([5.0], np.float32)], **op.attrs)
    assert out.tolist() == [10.0] and calls == [[1.0], [5.0]]
