"""Keras's "No gradients provided for any variable." keeps TF's class and first line, and
eagerflow adds why, per variable (results recorded from TF 2.21 / Keras 3.15)."""

import warnings

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras

NO_GRADIENTS = "No gradients provided for any variable."  # Keras 3.15's message


def dense_model():
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])


def data():
    return np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")


def test_loss_computed_from_model_predict():
    model, optimizer = dense_model(), keras.optimizers.SGD()
    x, y = data()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with tf.GradientTape() as tape:
            prediction = model.predict(x, verbose=0)
            loss = tf.reduce_mean((y - prediction) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
    assert grads == [None, None]  # recorded from TF 2.21
    [warning] = [w for w in caught if w.category is tf.GradientWarning]
    assert "model.predict(...)" in str(warning.message)
    with pytest.raises(ValueError) as info:
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    message = str(info.value)
    assert message.startswith(NO_GRADIENTS + "\n")
    for variable in model.trainable_variables:
        assert f"\n  {variable.path}: `loss` does not depend on" in message
    assert ("model.predict(...) at line" in message and "which returns NumPy arrays outside "
            "the tape; call the model: model(x, training=True)" in message)


def test_loss_computed_with_a_numpy_function():
    model, optimizer = dense_model(), keras.optimizers.SGD()
    x, y = data()
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.constant(np.square(model(x) - y)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tf.GradientWarning)
        grads = tape.gradient(loss, model.trainable_variables)
    with pytest.raises(ValueError, match="NumPy function") as info:
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    assert "`loss = tf.reduce_mean(tf.constant(np.square(model(x) - y)))`" in str(info.value)


def test_fit_with_a_loss_that_ignores_the_model_output():
    model = dense_model()
    model.compile("sgd", loss=lambda y_true, y_pred: tf.reduce_mean(y_true))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError) as info:
            model.fit(*data(), verbose=0)  # recorded from Keras 3.15: this ValueError
    message = str(info.value)
    assert message.startswith(NO_GRADIENTS + "\nWhy (eagerflow):\n")
    kernel = model.layers[0].kernel.path
    assert (f"\n  {kernel}: the loss was not computed from the variable '{kernel}' by any op "
            "the tape recorded" in message)
    assert "as far as the model's output y_pred, which the loss was not computed from" in message
    # The trainer's own gradient call does not warn: the error carries the reason.
    assert not [w for w in caught if w.category is tf.GradientWarning]


def test_fit_with_an_output_that_has_no_loss_warns_why():
    inputs = keras.Input((2,))
    model = keras.Model(inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)])
    model.compile("sgd", loss=["mse", None])
    x, y = data()
    with pytest.warns(UserWarning, match=r"^Gradients do not exist for variables \[") as caught:
        model.fit(x, [y, y], verbose=0)
    [message] = [str(w.message) for w in caught if "Gradients do not exist" in str(w.message)]
    unused = model.layers[2].kernel.path
    assert f"\n  {unused}: the loss (the output of op" in message
    assert "as far as the model's output y_pred" in message


def test_none_gradients_not_from_a_tape_keep_tensorflows_message():
    model, optimizer = dense_model(), keras.optimizers.SGD()
    x, _ = data()
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x))
    tape.gradient(loss, model.trainable_variables)  # gradients exist: nothing kept
    with pytest.raises(ValueError) as info:
        optimizer.apply_gradients([(None, v) for v in model.trainable_variables])
    assert str(info.value) == NO_GRADIENTS
