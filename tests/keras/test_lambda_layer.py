"""Tests for `Lambda` and `Identity`: calls, shapes for `keras.Input`s, configs against
Keras 3."""

import base64
import marshal

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import backend
from eagerflow.keras.layers.lambda_layer import Identity, Lambda


@pytest.fixture(autouse=True)
def _fresh_names():
    backend.clear_session()


def double(x):
    return x * 2


def scale(x, factor=1.0):
    return x * factor


DTYPE_CONFIG = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                "registered_name": None}
DOUBLE_CONFIG = {"module": "builtins", "class_name": "function", "config": "double",
                 "registered_name": "function"}


# --- Lambda: calling ----------------------------------------------------------------------

def test_applies_the_function(rng):
    x = rng.standard_normal((3, 4)).astype("float32")
    output = Lambda(lambda t: tf.square(t) + 1.0)(x)
    assert output.dtype == tf.float32
    np.testing.assert_allclose(np.asarray(output), x ** 2 + 1.0, rtol=1e-6)


def test_arguments_are_passed_as_keywords():
    # recorded from Keras 3.15
    output = Lambda(scale, arguments={"factor": 3.0})(np.ones((1, 2), "float32"))
    assert np.asarray(output).tolist() == [[3.0, 3.0]]


def test_training_reaches_a_function_that_asks_for_it():
    layer = Lambda(lambda x, training=None: x * (2.0 if training else 1.0))
    ones = np.ones((1, 2), "float32")
    # recorded from Keras 3.15
    assert np.asarray(layer(ones, training=True)).tolist() == [[2.0, 2.0]]
    assert np.asarray(layer(ones)).tolist() == [[1.0, 1.0]]


def test_training_flag_inside_fit():
    seen = []

    def record(x, training=None):
        seen.append(training)
        return x

    model = keras.Sequential([keras.Input((2,)), Lambda(record), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    seen.clear()  # drop the shape probes of the symbolic call
    model.fit(np.ones((2, 2)), np.ones((2, 1)), epochs=1, verbose=0)
    model.predict(np.ones((2, 2)), verbose=0)
    assert seen == [True, False]


def test_gradients_flow_through():
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(Lambda(lambda t: t ** 3)(x))
    assert np.asarray(tape.gradient(y, x)).tolist() == [[3.0, 12.0]]


def test_function_must_be_callable():
    with pytest.raises(TypeError, match="must be callable. Received: function=3"):
        Lambda(3)


# --- Lambda: shapes -----------------------------------------------------------------------

@pytest.mark.parametrize("layer, inputs, expected", [
    (lambda: Lambda(lambda x: x[:, :2] * 2), lambda: keras.Input((4,)), (None, 2)),
    (lambda: Lambda(lambda x: x[:, :2], output_shape=(2,)), lambda: keras.Input((4,)),
     (None, 2)),
    (lambda: Lambda(lambda xs: xs[0] + xs[1]),
     lambda: [keras.Input((4,)), keras.Input((4,))], (None, 4)),
    (lambda: Lambda(lambda x: tf.reshape(x, (-1, 3, 2))), lambda: keras.Input((6,)),
     (None, 3, 2)),
])
def test_output_shapes_of_keras_inputs(layer, inputs, expected):
    # recorded from Keras 3.15 (the first three)
    assert layer()(inputs()).shape == expected


def test_declared_output_shape_is_trusted():
    # With `output_shape`, the function is not probed, as in Keras.
    output = Lambda(lambda x: x, output_shape=(7,))(keras.Input((4,)))
    assert output.shape == (None, 7)
    assert output.dtype == "float32"


def test_compute_output_shape():
    # recorded from Keras 3.15
    assert Lambda(double, output_shape=(7,)).compute_output_shape((None, 4)) == (None, 7)
    assert Lambda(double, output_shape=lambda s: (s[0], 9)).compute_output_shape(
        (None, 4)) == (None, 9)
    assert Lambda(double).compute_output_shape((None, 4)) == (None, 4)


def test_in_a_sequential_model():
    model = keras.Sequential([keras.Input((3,)), Lambda(lambda x: x * 0.5),
                              keras.layers.Dense(2)])
    assert model.output_shape == (None, 2)
    assert model.predict(np.ones((5, 3)), verbose=0).shape == (5, 2)


# --- Lambda: config -----------------------------------------------------------------------

def test_attributes():
    layer = Lambda(double)
    # recorded from Keras 3.15
    assert (layer.supports_masking, layer.arguments, layer.name, layer.built) == (
        False, {}, "lambda", False)
    assert Lambda(double, mask=1).supports_masking


def test_config_of_a_named_function():
    layer = Lambda(double, output_shape=(3,), arguments={"a": 1})
    # recorded from Keras 3.15
    assert layer.get_config() == {"name": "lambda", "trainable": True, "dtype": DTYPE_CONFIG,
                                  "function": DOUBLE_CONFIG, "output_shape": (3,),
                                  "arguments": {"a": 1}}


def test_config_of_a_python_lambda_holds_its_bytecode():
    function = lambda x: x + 1  # noqa: E731
    config = Lambda(function).get_config()
    # Keras 3.15 writes the marshalled bytecode, base64-encoded, in "code"
    assert config["function"]["class_name"] == "__lambda__"
    entry = config["function"]["config"]
    assert marshal.loads(base64.decodebytes(entry["code"].encode())) == function.__code__
    assert entry["defaults"] is None and entry["closure"] is None
    assert config["arguments"] == {}
    assert "output_shape" not in config and "mask" not in config


def test_config_keeps_defaults_and_closure_as_keras_does():
    offset = 2.0
    function = lambda x, power=2: x ** power + offset  # noqa: E731
    entry = Lambda(function).get_config()["function"]["config"]
    assert (entry["defaults"], entry["closure"]) == ((2,), (2.0,))


def test_callable_output_shape_and_mask_are_serialized_as_functions():
    config = Lambda(double, output_shape=lambda s: s, mask=lambda i, m: m).get_config()
    assert config["output_shape"]["class_name"] == "__lambda__"
    assert config["mask"]["class_name"] == "__lambda__"  # recorded from Keras 3.15


def test_from_config_finds_named_functions_in_custom_objects():
    config = Lambda(double, output_shape=[3], arguments={"a": 1}).get_config()
    layer = Lambda.from_config(config, custom_objects={"double": double})
    assert layer.function is double
    assert layer.get_config() == {**config, "output_shape": (3,)}


def test_from_config_without_the_function_raises():
    with pytest.raises(TypeError) as info:
        Lambda.from_config(Lambda(double).get_config())
    # recorded from Keras 3.15
    assert str(info.value).startswith(
        "Could not locate function 'double'. Make sure custom classes and functions are "
        "decorated with `@keras.saving.register_keras_serializable()`.")


def test_from_config_refuses_python_lambdas():
    config = Lambda(lambda x: x + 1).get_config()
    with pytest.raises(ValueError) as info:
        Lambda.from_config(config)
    # recorded from Keras 3.15
    assert str(info.value).startswith(
        "Requested the deserialization of a `Lambda` layer whose `function` is a Python "
        "lambda. This carries a potential risk of arbitrary code execution")



def test_from_config_outside_safe_mode_rebuilds_python_lambdas():
    offset = 2.0
    config = Lambda(lambda x, power=2: x ** power + offset).get_config()
    layer = Lambda.from_config(config, safe_mode=False)
    assert layer(tf.constant([3.0])).numpy().tolist() == [11.0]


# --- Identity -----------------------------------------------------------------------------

def test_identity_returns_its_inputs():
    x = tf.constant([[1.0, 2.0]])
    assert Identity()(x) is x
    # recorded from Keras 3.15: float inputs are cast to the layer's dtype
    assert Identity()(np.ones((1, 2), "float64")).dtype == tf.float32


def test_identity_shapes_and_config():
    layer = Identity()
    # recorded from Keras 3.15
    assert layer.built
    assert layer.get_config() == {"name": "identity", "trainable": True,
                                  "dtype": DTYPE_CONFIG}
    assert layer(keras.Input((3, 2))).shape == (None, 3, 2)
    outputs = Identity()([keras.Input((3,)), keras.Input((5,), dtype="int32")])
    assert [(t.shape, t.dtype) for t in outputs] == [((None, 3), "float32"),
                                                     ((None, 5), "int32")]
    assert layer.compute_output_shape((None, 4)) == (None, 4)
    assert Identity.from_config(layer.get_config()).get_config() == layer.get_config()
