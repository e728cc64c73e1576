"""GradientTape: what it watches, records and releases, and the gradients it computes.

Expected values and messages are recorded from TF 2.21 running the same code with
`import tensorflow as tf`.
"""

import gc
import weakref

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.op import recorders
from tests.gradient_check import check_gradients

USED_UP = ("A non-persistent GradientTape can only be used to compute one set of gradients "
           "(or jacobians)")  # recorded from TF 2.21


def values(tensors):
    """Gradients as plain Python values (None stays None), for exact comparisons."""
    return [None if t is None else np.asarray(t).tolist() for t in tensors]


# --- what gets watched ----------------------------------------------------------------------

def test_constants_are_watched_only_when_asked():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
        tape.watch(x)
        z = x * x
    assert tape.gradient(y, x) is None  # recorded from TF 2.21
    assert float(tape.gradient(z, x)) == 6.0


def test_trainable_variables_read_inside_the_tape_are_watched():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v * v
    grad = tape.gradient(y, v)
    assert grad.dtype == tf.float32 and float(grad) == 4.0  # recorded from TF 2.21


def test_watch_accessed_variables_false_watches_only_what_is_watched():
    v, w = tf.Variable(2.0), tf.Variable(5.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = v * w
    assert values(tape.gradient(y, [v, w])) == [None, 2.0]  # recorded from TF 2.21
    assert tape.watched_variables() == (w,)


def test_non_trainable_variables_are_watched_only_when_asked():
    frozen = tf.Variable(2.0, trainable=False)
    with tf.GradientTape() as tape:
        y = frozen * frozen
    assert tape.gradient(y, frozen) is None  # recorded from TF 2.21
    with tf.GradientTape() as tape:
        tape.watch(frozen)
        y = frozen * frozen
    assert float(tape.gradient(y, frozen)) == 4.0  # recorded from TF 2.21


def test_what_was_computed_before_the_tape_started_has_no_gradient():
    v = tf.Variable(2.0)
    read_before = v.read_value()
    computed_before = v * 3.0
    with tf.GradientTape(persistent=True) as tape:
        y = read_before * read_before
        z = computed_before * 2.0
    assert tape.gradient(y, v) is None  # recorded from TF 2.21
    assert tape.gradient(z, v) is None
    assert tape.gradient(z, computed_before) is None


def test_a_read_from_before_the_tape_stays_unlinked_when_the_variable_is_read_again():
    v = tf.Variable(2.0)
    read_before = v.read_value()
    with tf.GradientTape() as tape:
        v * 1.0
        y = read_before * read_before
    assert tape.gradient(y, v) is None  # recorded from TF 2.21


def test_watch_takes_nested_structures():
    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch({"a": a, "b": (b,)})
        y = a * b
    grads = tape.gradient(y, {"a": a, "b": (b,)})
    assert float(grads["a"]) == 2.0 and float(grads["b"][0]) == 1.0  # recorded from TF 2.21


# --- one gradient, many gradients, gradients inside the block -------------------------------

def test_persistent_tape_computes_many_gradients():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    for _ in range(3):
        assert float(tape.gradient(z, x)) == 108.0  # recorded from TF 2.21
        assert float(tape.gradient(y, x)) == 6.0


@pytest.mark.parametrize("method", ["gradient", "jacobian"])
def test_non_persistent_tape_allows_one_call(method):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    getattr(tape, method)(y, x)
    with pytest.raises(RuntimeError) as info:
        getattr(tape, method)(y, x)
    assert str(info.value) == USED_UP  # recorded from TF 2.21
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        tape.gradient(y, x)


def test_gradient_on_a_tape_never_entered_raises():
    with pytest.raises(RuntimeError) as info:
        tf.GradientTape().gradient(tf.constant(1.0), tf.constant(1.0))
    assert str(info.value) == USED_UP  # recorded from TF 2.21


def test_a_used_tape_entered_again_records_afresh():
    x = tf.constant(3.0)
    tape = tf.GradientTape()
    with tape:
        tape.watch(x)
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0
    with tape:
        tape.watch(x)
        y = x * x * x
    assert float(tape.gradient(y, x)) == 27.0  # recorded from TF 2.21


def test_gradient_inside_the_block_of_a_non_persistent_tape_stops_recording():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        grad = tape.gradient(y, x)
        assert tape not in recorders
        x * 5.0
    assert float(grad) == 6.0  # recorded from TF 2.21
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        tape.gradient(y, x)


def test_gradient_inside_the_block_of_a_persistent_tape_is_recorded():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
        grad = tape.gradient(y, x)
    assert float(grad) == 27.0
    assert float(tape.gradient(grad, x)) == 18.0  # recorded from TF 2.21


# --- higher orders --------------------------------------------------------------------------

def test_nested_tapes_give_second_and_third_derivatives():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape3:
        tape3.watch(x)
        with tf.GradientTape() as tape2:
            tape2.watch(x)
            with tf.GradientTape() as tape1:
                tape1.watch(x)
                y = x ** 3
            first = tape1.gradient(y, x)
        second = tape2.gradient(first, x)
    third = tape3.gradient(second, x)
    assert [float(first), float(second), float(third)] == [12.0, 12.0, 6.0]  # TF 2.21


def test_seed_example_speed_and_acceleration():
    time = tf.Variable(0.)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            position = 4.9 * time ** 2
        speed = inner.gradient(position, time)
    acceleration = outer.gradient(speed, time)
    assert str(speed) == "tf.Tensor(0.0, shape=(), dtype=float32)"  # recorded from TF 2.21
    assert str(acceleration) == "tf.Tensor(9.8, shape=(), dtype=float32)"


def test_hessian_as_the_jacobian_of_a_gradient():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(x ** 3)
        grad = inner.gradient(y, x)
    hessian = outer.jacobian(grad, x)
    assert hessian.numpy().tolist() == [[6.0, 0.0, 0.0], [0.0, 12.0, 0.0],
                                        [0.0, 0.0, 18.0]]  # recorded from TF 2.21


# --- targets, sources and their structures ---------------------------------------------------

def test_sources_keep_their_structure():
    x, y = tf.constant(3.0), tf.constant(4.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = x * y
    grads = tape.gradient(z, {"b": x, "a": [y, (x,)]})
    assert isinstance(grads, dict) and isinstance(grads["a"], list)
    assert isinstance(grads["a"][1], tuple)
    # recorded from TF 2.21
    assert values([grads["b"], grads["a"][0], grads["a"][1][0]]) == [4.0, 3.0, 4.0]
    grads = tape.gradient(z, (x, y))
    assert isinstance(grads, tuple) and values(grads) == [4.0, 3.0]
    assert float(tape.gradient(z, x)) == 4.0


def test_list_and_nested_targets_are_summed():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = x * 2.0
    assert float(tape.gradient([y, z], x)) == 8.0
    assert float(tape.gradient({"p": y, "q": [y, z]}, x)) == 14.0


def test_output_gradients_weight_each_target():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * 4.0
        z = x * 2.0
    assert float(tape.gradient(y, x, output_gradients=tf.constant(10.0))) == 40.0  # TF 2.21
    assert float(tape.gradient([y, z], x, output_gradients=[2.0, 3.0])) == 14.0
    # A None entry means ones (TF 2.21 accepts None in Python, then fails converting it).
    assert float(tape.gradient([y, z], x, output_gradients=[tf.constant(10.0), None])) == 42.0
    vector = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * vector
    weights = np.array([1.0, 1.0], np.float32)
    assert float(tape.gradient(y, x, output_gradients=weights)) == 3.0  # recorded from TF 2.21


def test_gradient_with_respect_to_intermediates_and_repeated_sources():
    a = tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(a)
        middle = a * 3.0
        y = middle * middle
    assert values(tape.gradient(y, [middle, a])) == [6.0, 18.0]  # recorded from TF 2.21
    assert values(tape.gradient(middle, [a, a])) == [3.0, 3.0]


def test_a_target_that_is_a_source_has_gradient_one():
    c = tf.constant(1.0)
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        pass
    assert float(tape.gradient(c, c)) == 1.0  # recorded from TF 2.21: even unwatched
    assert float(tape.gradient(v, v)) == 1.0
    i = tf.constant(3)
    grad = tape.gradient(i, i)
    assert grad.dtype == tf.int32 and int(grad) == 1


@pytest.mark.parametrize("unconnected, expected", [
    ("none", None), (tf.UnconnectedGradients.NONE, None),
    ("zero", [0.0, 0.0]), (tf.UnconnectedGradients.ZERO, [0.0, 0.0])])
def test_unconnected_gradients(unconnected, expected):
    x, other = tf.constant(3.0), tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    grad = tape.gradient(y, other, unconnected_gradients=unconnected)
    assert (grad if grad is None else grad.numpy().tolist()) == expected
    if grad is not None:
        assert grad.dtype == tf.float32


def test_unknown_unconnected_gradients_value():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(ValueError) as info:
        tape.gradient(y, x, unconnected_gradients="foo")
    assert str(info.value) == "Unknown value for unconnected_gradients: 'foo'"  # TF 2.21


def test_integer_sources_get_no_gradient():
    i = tf.constant(2)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(i)
        y = tf.cast(i, tf.float32) * 2.0
        j = i * 3
    assert tape.gradient(y, i) is None  # recorded from TF 2.21
    assert tape.gradient(j, i) is None
    zero = tape.gradient(y, i, unconnected_gradients="zero")
    assert zero.dtype == tf.int32 and int(zero) == 0


def test_stop_gradient_and_integer_casts_cut_the_path():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.stop_gradient(x * x) * x
        through_int = tf.cast(tf.cast(x, tf.int32), tf.float32) * 2.0
        through_double = tf.cast(x, tf.float64) * 2.0
    assert float(tape.gradient(y, x)) == 9.0  # recorded from TF 2.21
    assert tape.gradient(through_int, x) is None
    zero = tape.gradient(through_int, x, unconnected_gradients="zero")
    assert zero.dtype == tf.float32 and float(zero) == 0.0
    grad = tape.gradient(through_double, x)
    assert grad.dtype == tf.float32 and float(grad) == 2.0


def test_ops_with_several_outputs_of_which_some_are_unused():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        first, _, _ = tf.unstack(x)
        y = first * 2.0
        _, right = tf.split(x, 2, axis=1)
        z = right * 3.0
    # recorded from TF 2.21
    assert tape.gradient(y, x).numpy().tolist() == [[2.0, 2.0], [0.0, 0.0], [0.0, 0.0]]
    assert tape.gradient(z, x).numpy().tolist() == [[0.0, 3.0], [0.0, 3.0], [0.0, 3.0]]
    assert tape.gradient([y, z], x).numpy().tolist() == [[2.0, 5.0], [0.0, 3.0], [0.0, 3.0]]


def test_every_way_of_reading_a_variable_is_followed_but_numpy():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        read = tf.identity(v) * 2.0 + tf.convert_to_tensor(v) * 3.0 + v.value() * 4.0
        rows = sum(row for row in v) * 6.0
        detour = tf.constant(v.numpy()) * 5.0
    assert tape.gradient(read, v).numpy().tolist() == [9.0, 9.0]  # recorded from TF 2.21
    assert tape.gradient(rows, v).numpy().tolist() == [6.0, 6.0]
    assert tape.gradient(detour, v) is None


def test_float64_stays_float64():
    x = tf.constant(2.0, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    grad = tape.gradient(y, x)
    assert grad.dtype == tf.float64 and float(grad) == 4.0


# --- jacobians ------------------------------------------------------------------------------

def test_jacobian_matches_numpy(rng):
    x_value = rng.standard_normal(3).astype(np.float32)
    w_value = rng.standard_normal((3, 2)).astype(np.float32)
    x, w = tf.constant(x_value), tf.constant(w_value)
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = tf.tanh(tf.reshape(x, (1, 3)) @ w)
    jacobian = tape.jacobian(y, {"x": x, "w": w})
    slope = 1.0 - np.tanh(x_value @ w_value) ** 2                      # (2,)
    expected_x = (slope[:, None] * w_value.T)[None]                    # (1, 2, 3)
    expected_w = np.einsum("j,i,jk->jik", slope, x_value, np.eye(2))[None]  # (1, 2, 3, 2)
    assert jacobian["x"].shape == (1, 2, 3) and jacobian["w"].shape == (1, 2, 3, 2)
    np.testing.assert_allclose(jacobian["x"].numpy(), expected_x, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(jacobian["w"].numpy(), expected_w, rtol=1e-5, atol=1e-6)


def test_jacobian_recorded_values():
    x = tf.constant([0.1, -0.2, 0.3])
    w = tf.constant([[0.5, -1.0], [0.25, 0.75], [-0.5, 1.5]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.tanh(tf.reshape(x, (1, 3)) @ w)
    expected = [[[0.48891663551330566, 0.24445831775665283, -0.48891663551330566],
                 [-0.9610430002212524, 0.7207822799682617, 1.4415645599365234]]]  # TF 2.21
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), expected, rtol=1e-6)


def test_jacobian_of_a_scalar_is_the_gradient_and_variables_work():
    x = tf.constant([1.0, 2.0, 3.0])
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        s = tf.reduce_sum(x * x)
        y = v * v * 3.0
    scalar = tape.jacobian(s, x)
    assert scalar.shape == (3,) and scalar.numpy().tolist() == [2.0, 4.0, 6.0]  # TF 2.21
    assert tape.jacobian(y, v).numpy().tolist() == [[6.0, 0.0], [0.0, 12.0]]


def test_jacobian_unconnected_sources():
    x = tf.constant([1.0, 2.0, 3.0])
    w = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        y = x * 2.0
    assert tape.jacobian(y, w) is None  # recorded from TF 2.21
    zeros = tape.jacobian(y, w, unconnected_gradients="zero")
    assert zeros.shape == (3, 3, 2) and not np.any(zeros.numpy())


def test_jacobian_inside_a_persistent_tape_is_differentiable():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
        jacobian = tape.jacobian(y, x)
    assert tape.gradient(jacobian, x).numpy().tolist() == [6.0, 12.0, 18.0]  # TF 2.21


def test_batch_jacobian():
    x = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        y3 = tf.stack([x[:, 0] * x[:, 1], x[:, 0], x[:, 1] ** 2], axis=1)
        constant = tf.constant([[1.0], [2.0]]) * 1.0
    # recorded from TF 2.21
    assert tape.batch_jacobian(y, x).numpy().tolist() == [[[2.0, 0.0], [0.0, 4.0]],
                                                         [[6.0, 0.0], [0.0, 8.0]]]
    assert tape.batch_jacobian(y3, x).numpy().tolist() == [
        [[2.0, 1.0], [1.0, 0.0], [0.0, 4.0]], [[4.0, 3.0], [1.0, 0.0], [0.0, 8.0]]]
    # TensorFlow gives zeros for an unconnected source whatever unconnected_gradients says.
    for unconnected in ("none", "zero"):
        zeros = tape.batch_jacobian(constant, x, unconnected_gradients=unconnected)
        assert zeros.shape == (2, 1, 2) and not np.any(zeros.numpy())


def test_batch_jacobian_checks_shapes():
    x = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(ValueError) as info:
        tape.batch_jacobian(tf.reduce_sum(y, axis=1), x)
    assert str(info.value) == "Shape (2,) must have rank at least 2"  # recorded from TF 2.21
    with pytest.raises(ValueError) as info:
        tape.batch_jacobian(y, tf.zeros((3, 2)))
    assert str(info.value) == ("Need first dimension of target shape ((2, 2)) and source "
                               "shape ((3, 2)) to match.")


def test_batch_jacobian_on_a_non_persistent_tape_is_one_call():
    x = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.batch_jacobian(y, x).shape == (2, 2, 2)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        tape.batch_jacobian(y, x)


# --- stop_recording, reset, watched_variables ------------------------------------------------

def test_stop_recording():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with tape.stop_recording():
            unrecorded = x * x
            assert tape not in recorders
        recorded = x * x
    assert tape.gradient(unrecorded, x) is None  # recorded from TF 2.21
    assert float(tape.gradient(recorded, x)) == 6.0


def test_stop_recording_when_not_recording():
    message = "Trying to stop recording a tape which is not recording."  # recorded from TF 2.21
    with pytest.raises(RuntimeError) as info:
        with tf.GradientTape().stop_recording():
            pass
    assert str(info.value) == message
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        tape.gradient(x * x, x)
        with pytest.raises(RuntimeError) as info:
            with tape.stop_recording():
                pass
    assert str(info.value) == message
    with tf.GradientTape(persistent=True) as tape:
        with tape.stop_recording():
            with pytest.raises(ValueError, match="^Tape is not recording.$"):
                with tape.stop_recording():
                    pass
    with pytest.raises(ValueError, match="^Tape is not recording.$"):
        with tape.stop_recording():
            pass


def test_gradient_inside_stop_recording_starts_a_fresh_record():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        with tape.stop_recording():
            grad = tape.gradient(y, x)
        z = x * x
    assert float(grad) == 6.0
    assert tape.gradient(z, x) is None  # recorded from TF 2.21: x is unwatched afresh


def test_reset_forgets_what_was_recorded():
    v, w = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        a = v * 2.0
        tape.reset()
        b = w * 3.0 + a
    assert tape.watched_variables() == (w,)  # recorded from TF 2.21
    assert values(tape.gradient(b, [v, w])) == [None, 3.0]


def test_reset_when_not_recording_raises():
    with pytest.raises(ValueError, match="^Tape is not recording.$"):  # recorded from TF 2.21
        tf.GradientTape().reset()
    x = tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
    with pytest.raises(ValueError, match="^Tape is not recording.$"):
        tape.reset()


def test_watched_variables_content():
    v, w, u = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(3.0)
    frozen, count = tf.Variable(1.0, trainable=False), tf.Variable(1)
    with tf.GradientTape() as tape:
        tape.watch(tf.constant(1.0))
        v * w * u * frozen
        count * 2
        w * 1.0
    # recorded from TF 2.21: trainable variables read, integer ones too, each once
    assert tape.watched_variables() == (v, w, u, count)
    with tf.GradientTape() as tape:
        tape.watch(frozen)
        tape.watch([count, count])
    assert tape.watched_variables() == (frozen, count)
    assert tf.GradientTape().watched_variables() == ()


def test_watched_variables_survive_the_gradient():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v * v
    tape.gradient(y, v)
    assert tape.watched_variables() == (v,)  # recorded from TF 2.21


def test_watched_variables_in_order_of_construction():
    v, w, u = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        u * w * v
    assert tape.watched_variables() == (v, w, u)  # recorded from TF 2.21


# --- slices, assignments, broadcasting ------------------------------------------------------

def test_gradients_through_variable_and_tensor_slices():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = v[0, 0] * 5.0 + v[1, :] * 2.0
    assert tape.gradient(y, v).numpy().tolist() == [[10.0, 0.0], [2.0, 2.0]]  # TF 2.21
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x[:, 1:] ** 2) + x[0, 0] * 3.0 + tf.reduce_sum(x[..., ::2])
    assert tape.gradient(y, x).numpy().tolist() == [[4.0, 4.0, 7.0], [1.0, 10.0, 13.0]]


def test_reads_before_an_assign_keep_their_value_and_gradient():
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        a = v * 1.0
        read = v.read_value()
        v.assign(5.0)
        b = v * v
    assert float(read) == 2.0 and float(a) == 2.0
    assert float(tape.gradient(a, v)) == 1.0  # recorded from TF 2.21
    assert float(tape.gradient(b, v)) == 10.0
    assert float(tape.gradient([a, b], v)) == 11.0


def test_gradient_of_an_earlier_read_uses_the_old_value():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        read = v.read_value()
        y = read * read
        v.assign_add(1.0)
        z = y * v
    assert float(tape.gradient(z, v)) == 16.0  # recorded from TF 2.21: 2*2*3 + 2*2


def test_slice_assign_inside_the_tape():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = v * v
        v[0].assign(10.0)
        z = tf.reduce_sum(y) + tf.reduce_sum(v * 3.0)
    assert tape.gradient(z, v).numpy().tolist() == [5.0, 7.0]  # recorded from TF 2.21


def test_broadcast_inputs_get_gradients_of_their_own_shape():
    a = tf.constant([[1.0], [2.0], [3.0]])
    b = tf.constant([[1.0, 2.0, 3.0, 4.0]])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        c = a * b + a
    grad_a, grad_b = tape.gradient(c, [a, b])
    assert grad_a.shape == (3, 1) and grad_b.shape == (1, 4)
    assert grad_a.numpy().tolist() == [[14.0], [14.0], [14.0]]  # recorded from TF 2.21
    assert grad_b.numpy().tolist() == [[6.0, 6.0, 6.0, 6.0]]


def test_broadcast_gradients_are_differentiable(rng):
    check_gradients(lambda x, y: x * y + tf.sin(x), rng.standard_normal((3, 1)),
                    rng.standard_normal((1, 4)), order=2)


# --- memory ---------------------------------------------------------------------------------

def test_non_persistent_tape_releases_what_it_held():
    x = tf.constant(np.ones(1000, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        hidden = x * 2.0
        held = weakref.ref(hidden._value)  # ndarrays allow weak references; Tensors don't
        y = tf.reduce_sum(tf.sin(hidden))
        del hidden
    gc.collect()
    assert held() is not None  # the tape keeps the intermediate for the backward pass
    tape.gradient(y, x)
    gc.collect()
    assert held() is None


def test_tapes_leave_no_recorders_behind():
    x = tf.constant(2.0)
    for _ in range(200):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        tape.gradient(y, x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            tape.gradient(x * x, x)
        with tf.GradientTape(persistent=True) as tape:
            with tape.stop_recording():
                pass
    assert recorders == []


def test_an_exception_inside_the_block_stops_recording():
    x = tf.constant(2.0)
    with pytest.raises(ZeroDivisionError):
        with tf.GradientTape() as outer:
            with tf.GradientTape(persistent=True) as inner:
                with inner.stop_recording():
                    1 / 0
    assert recorders == []
    assert not outer._recording and not inner._recording
    with outer:  # the tapes can be entered again
        outer.watch(x)
        y = x * x
    assert float(outer.gradient(y, x)) == 4.0


# --- bad arguments --------------------------------------------------------------------------

def test_target_none():
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
    with pytest.raises(TypeError) as info:
        tape.gradient(None, x)
    assert str(info.value) == (  # recorded from TF 2.21
        "Argument `target` should be a list or nested structure of Tensors, Variables or "
        "CompositeTensors to be differentiated, but received None.")


@pytest.mark.parametrize("method, argument", [
    ("gradient", "target"), ("gradient", "sources"), ("jacobian", "target"),
    ("jacobian", "sources"), ("batch_jacobian", "target"), ("batch_jacobian", "source")])
def test_non_tensor_target_or_source_names_the_argument(method, argument):
    # TF 2.21 fails here with an AttributeError from deep inside; a TypeError is clearer.
    x = tf.constant([[1.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    target, source = (3.0, x) if argument == "target" else (y, "x")
    with pytest.raises(TypeError, match=rf"GradientTape\.{method}: `{argument}` must be"):
        getattr(tape, method)(target, source)
    if method == "gradient":  # in a structure too
        target, source = ([y, [3.0]], x) if argument == "target" else (y, {"a": [x, "x"]})
        with pytest.raises(TypeError, match=f"`{argument}` must be .* got str: 'x'"
                           if argument == "sources" else f"`{argument}` must be .* got float"):
            tape.gradient(target, source)


def test_watch_of_a_non_tensor():
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError) as info:
            tape.watch([tf.constant(1.0), 2.0])
    assert str(info.value) == ("Passed in object 2.0 of type 'float', not tf.Tensor or "
                               "tf.Variable or ExtensionType.")  # recorded from TF 2.21


def test_re_entering_an_active_tape():
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError) as info:
            with tape:
                pass
        assert tape in recorders
    assert str(info.value) == ("Tape is still recording, This can happen if you try to "
                               "re-enter an already-active tape.")  # recorded from TF 2.21
    assert recorders == []


def test_output_gradients_of_the_wrong_count():
    # TF 2.21 silently uses the first entries; a mismatch is more likely a mistake.
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(ValueError, match="`output_gradients` has 1 entries for 2 targets"):
        tape.gradient([y, y], x, output_gradients=[tf.constant(1.0)])


# --- composite functions against finite differences -----------------------------------------

def test_dense_tanh_layer_gradients(rng):
    def layer(x, w, b):
        return tf.reduce_sum(tf.tanh(x @ w + b))
    check_gradients(layer, rng.standard_normal((4, 3)), rng.standard_normal((3, 2)),
                    rng.standard_normal(2), order=2)


def test_softmax_gradients(rng):
    check_gradients(lambda logits: tf.nn.softmax(logits), rng.standard_normal((2, 5)),
                    order=2)


def test_seed_example_gradients(rng):
    check_gradients(lambda time: 4.9 * time ** 2, rng.standard_normal(3), order=2)
