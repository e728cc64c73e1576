"""GradientTape's warnings compared with TensorFlow 2.21's (texts recorded from TF 2.21)."""

import logging

import eagerflow as tf

WATCHED_INT = "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int32"
WATCHED_BOOL = "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.bool"
GRADIENT_IN_CONTEXT = (
    "Calling GradientTape.gradient on a persistent tape inside its context is significantly "
    "less efficient than calling it outside the context (it causes the gradient ops to be "
    "recorded on the tape, leading to increased CPU and memory usage). Only call "
    "GradientTape.gradient inside the context if you actually want to trace the gradient in "
    "order to compute higher order derivatives.")


def _warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_watching_an_integer_or_bool_tensor_warns(caplog):
    x = tf.constant(10)
    with tf.GradientTape() as tape:
        tape.watch(x)
        tape.watch(tf.constant(True))
        tape.watch(tf.Variable(3))
        tape.watch(tf.constant(1.0))  # no warning for a float
        y = x * x
    assert _warnings(caplog) == [WATCHED_INT, WATCHED_BOOL, WATCHED_INT]
    assert tape.gradient(y, x) is None


def test_integer_variable_is_still_listed_as_watched(caplog):
    v = tf.Variable(3)
    with tf.GradientTape() as tape:
        tape.watch(v)
    assert tape.watched_variables() == (v,)  # as TF 2.21 lists it


def test_gradient_inside_a_persistent_tapes_context_warns(caplog):
    x = tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x * x
        dy_dx = tape.gradient(y, x)
    assert float(dy_dx) == 3.0
    tape.gradient(y, x)  # outside the context: no warning
    assert _warnings(caplog) == [GRADIENT_IN_CONTEXT]


def test_gradient_inside_a_non_persistent_tapes_context_is_silent(caplog):
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = x * x * x
        dy_dx = tape.gradient(y, x)
    assert float(dy_dx) == 3.0
    assert _warnings(caplog) == []
