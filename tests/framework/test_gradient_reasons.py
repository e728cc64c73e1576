"""Why a gradient is None: TensorFlow's results stay the same (recorded from TF 2.21, which
returns None silently), and a GradientWarning says why in words a learner understands."""

import contextlib
import io
import pathlib
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import eagerflow as tf


@contextlib.contextmanager
def gradient_warnings():
    """Collects the texts of the GradientWarnings issued inside the block, and checks
    that nothing went to stdout (a reason is a warning, never a print)."""
    reasons, stdout = [], io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(stdout):
        warnings.simplefilter("always")
        yield reasons
    reasons.extend(str(w.message) for w in caught if w.category is tf.GradientWarning)
    assert stdout.getvalue() == ""


def assert_reason(reasons, *fragments):
    assert len(reasons) == 1, reasons
    for fragment in fragments:
        assert fragment in reasons[0], (fragment, reasons[0])


def test_unwatched_constant(capsys):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`x` is a constant tensor the tape never watched",
                  "Call tape.watch(x) inside the `with tf.GradientTape()` block",
                  "or make it a tf.Variable")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("value, dtype", [(3, "int32"), (True, "bool")])
def test_integer_and_boolean_sources(value, dtype):
    i = tf.constant(value)
    with tf.GradientTape() as tape:
        tape.watch(i)
        y = tf.cast(i, tf.float32) * 2.0
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, i)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, f"`i` has dtype {dtype}",
                  "gradients flow only to floating and complex tensors",
                  "`i = tf.cast(i, tf.float32)`")


def test_non_trainable_variable_not_watched():
    v = tf.Variable(2.0, trainable=False)
    with tf.GradientTape() as tape:
        y = v * v
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, v)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`v` was created with trainable=False", "tape.watch(v)")


def test_tape_that_does_not_watch_accessed_variables():
    w = tf.Variable(2.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = w * w
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, w)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "watch_accessed_variables=False", "tape.watch(w)")


def test_variable_read_before_the_tape():
    w = tf.Variable(2.0)
    y0 = w * 3.0
    with tf.GradientTape() as tape:
        y = y0 * 2.0
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, w)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`w` was read before the tape started",
                  "constants to the tape", "inside the `with` block")


@pytest.mark.parametrize("read_inside", [False, True])
def test_op_computed_after_the_tape_stopped(read_inside):
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        if read_inside:
            w * 1.0
    y = w * 3.0
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, w)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "after the tape stopped recording", "`with` block ended")


@pytest.mark.parametrize("when", ["before", "after"])
def test_tensor_computed_outside_the_tape(when):
    x = tf.constant(3.0)
    if when == "before":
        y = x * x
    with tf.GradientTape() as tape:
        tape.watch(x)
    if when == "after":
        y = x * x
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`y` was not computed from `x` by any op the tape recorded",
                  "ops run before the `with tf.GradientTape()` block, after it ends")


def test_target_computed_inside_stop_recording():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`y` was computed inside tape.stop_recording()")


def test_variable_read_only_inside_stop_recording():
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            y = w * w
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, w)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`w` was read only inside tape.stop_recording()")


def test_no_path_names_the_target_op_and_the_source():
    x, other = tf.constant(3.0), tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch([x, other])
        y = x * 2.0
        z = other + 1.0
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, other)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`y` (the output of op 'Mul') does not depend on `other`",
                  "as far as `z`")
    del z


def test_stop_gradient_cuts_the_path():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stop_gradient(x * 2.0) * 3.0
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`y` does not depend on `x`", "tf.stop_gradient",
                  "`y = tf.stop_gradient(x * 2.0) * 3.0`", "no gradient back by design")


def test_the_first_cut_on_the_path_is_named():
    x, other = tf.constant(3.0), tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch([x, other])
        y = tf.stop_gradient(x) * other  # recorded through `other`: the cut is proven
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, [x, other])
    assert grad[0] is None and float(grad[1]) == 3.0  # recorded from TF 2.21
    assert_reason(reasons, "`y` (the output of op 'Mul') does not depend on `x`",
                  "the path was cut at tf.stop_gradient")


def test_integer_cast_cuts_the_path():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(tf.cast(x, tf.int32), tf.float32) * 3.0
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "tf.cast to int32", "integer and boolean values carry no gradient")


@pytest.mark.parametrize("op, words", [
    (lambda x: tf.cast(tf.argmax(x), tf.float32), "tf.argmax"),
    (lambda x: tf.round(x) * 2.0, "tf.round"),
])
def test_ops_without_a_gradient_cut_the_path(op, words):
    x = tf.constant([1.0, 3.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op(x)
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, words)
    assert "gradient" in reasons[0].split(words)[1]


@pytest.mark.parametrize("leave, how, code", [
    (lambda x: x.numpy(), ".numpy()", "x.numpy()"),
    (lambda x: np.asarray(x), "np.asarray(...) or a NumPy function", "np.asarray(x)"),
    (lambda x: np.exp(x), "np.asarray(...) or a NumPy function", "np.exp(x)"),
])
def test_value_that_left_through_numpy(leave, how, code):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.constant(leave(x)) * 2.0
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    # The line named is the user's code that handed the tensor to NumPy.
    assert_reason(reasons, "its value left the tape through " + how, code,
                  "of test_gradient_reasons.py", "a NumPy array is a constant")


def test_variable_whose_value_left_through_numpy():
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.constant(w.numpy() ** 2)
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, w)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "`w` was never read by a tf op", "through .numpy()")


def test_cut_inside_a_traced_function_is_found_when_a_tape_records():
    @tf.function
    def detached(x):
        return tf.stop_gradient(x) * 2.0

    x = tf.constant(3.0)
    detached(x)  # traced once outside any tape
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = detached(x)
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "tf.stop_gradient")


def test_gradient_function_returning_none():
    @tf.custom_gradient
    def blocked(x):
        return x * 2.0, lambda dy: None

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = blocked(x) * 3.0
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x)
    assert grad is None  # recorded from TF 2.21
    assert_reason(reasons, "gradient function returned None")


def test_second_gradient_call_on_a_non_persistent_tape():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError) as info:
        tape.gradient(y, x)
    # recorded from TF 2.21; the hint is a note shown in the traceback
    assert str(info.value) == ("A non-persistent GradientTape can only be used to compute "
                               "one set of gradients (or jacobians)")
    if sys.version_info >= (3, 11):
        assert "tf.GradientTape(persistent=True)" in info.value.__notes__[0]


def test_zero_for_unconnected_and_the_config_switch_silence_the_warning():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
    with gradient_warnings() as reasons:
        grad = tape.gradient(y, x, unconnected_gradients="zero")
    assert float(grad) == 0.0 and grad.dtype == tf.float32 and reasons == []  # TF 2.21
    tf.config.experimental.explain_none_gradients(False)
    try:
        assert not tf.config.experimental.none_gradients_explained()
        with gradient_warnings() as reasons:
            grad = tape.gradient(y, x)
    finally:
        tf.config.experimental.explain_none_gradients(True)
    assert grad is None and reasons == []


def test_one_warning_lists_every_source_without_a_gradient():
    a, b, c = tf.constant(1.0), tf.constant(2), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        tape.watch(a)
        y = a * c
    with gradient_warnings() as reasons:
        grads = tape.gradient(y, {"a": a, "b": b, "c": c})
    # recorded from TF 2.21
    assert float(grads["a"]) == 3.0 and grads["b"] is None and float(grads["c"]) == 1.0
    assert_reason(reasons, "`b` has dtype int32")


def test_printing_gradients_prints_what_tensorflow_prints():
    # A fresh interpreter has Python's default warning filters: the warning goes to stderr,
    # once for its line, and stdout holds exactly what TF 2.21 prints for this code.
    code = textwrap.dedent("""
        import eagerflow as tf
        x = tf.constant(3.0)
        for step in range(3):
            with tf.GradientTape() as tape:
                y = x * x
            print(tape.gradient(y, x))
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        print(tape.gradient(y, x))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True, cwd=pathlib.Path(__file__).parents[2])
    assert done.stdout == "None\nNone\nNone\ntf.Tensor(6.0, shape=(), dtype=float32)\n"
    assert done.stderr.count("GradientWarning: ") == 1
    assert "tape.watch(x)" in done.stderr
