"""Error messages of common mistakes, against the text Keras 3.15 (TensorFlow 2.21) prints.

Every expected string below was recorded by running the same snippet under real Keras.
"""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras


class Bad(keras.layers.Layer):
    def call(self, x, training=None):
        raise ValueError("bad thing")


class BadOp(keras.layers.Layer):
    def call(self, x):
        return tf.reshape(x, (7, 5))


class Kw(keras.layers.Layer):
    def call(self, x, scale=2.0, **kwargs):
        raise TypeError("kw " + str(scale))


class Two(keras.layers.Layer):
    def call(self, a, b, mask=None):
        raise KeyError("two")


def _message(error_info):
    return str(error_info.value)


def test_error_inside_call_names_the_layer_and_its_arguments():
    with pytest.raises(ValueError) as info:
        Bad()(np.zeros((2, 3), "float32"), training=True)
    assert _message(info) == (
        "Exception encountered when calling Bad.call().\n\n"
        "\x1b[1mbad thing\x1b[0m\n\n"
        "Arguments received by Bad.call():\n"
        "  \u2022 x=tf.Tensor(shape=(2, 3), dtype=float32)\n"
        "  \u2022 training=True")


def test_call_info_keeps_the_op_error_class_and_formats_keyword_arguments():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        BadOp()(np.zeros((2, 3), "float32"))
    assert info.value.message.startswith("Exception encountered when calling BadOp.call().")
    assert info.value.message.endswith("Arguments received by BadOp.call():\n"
                                       "  \u2022 x=tf.Tensor(shape=(2, 3), dtype=float32)")
    with pytest.raises(TypeError) as info:
        Kw()(np.zeros((2, 3), "float32"), scale=3.0, extra=1)
    assert _message(info).endswith("  \u2022 x=tf.Tensor(shape=(2, 3), dtype=float32)\n"
                                   "  \u2022 scale=3.0\n"
                                   "  \u2022 kwargs={'extra': '1'}")


def test_call_info_of_nested_arguments_and_masks():
    with pytest.raises(KeyError) as info:
        Two()([np.zeros((2, 3), "float32"), np.ones(2, "int32")], b={"k": 1})
    assert _message(info) == (
        '"Exception encountered when calling Two.call().\\n\\n\\x1b[1mtwo\\x1b[0m\\n\\n'
        "Arguments received by Two.call():\\n"
        "  \u2022 a=['tf.Tensor(shape=(2, 3), dtype=float32)', "
        "'tf.Tensor(shape=(2,), dtype=int32)']\\n"
        "  \u2022 b={'k': '1'}\\n"
        "  \u2022 mask=['None', 'None']\"")


def test_symbolic_call_error_says_the_output_could_not_be_inferred():
    keras.backend.clear_session()
    with pytest.raises(ValueError) as info:
        Bad(name="bad_2")(keras.Input((3,)))
    assert _message(info) == (
        "Exception encountered when calling Bad.call().\n\n"
        "\x1b[1mCould not automatically infer the output shape / dtype of 'bad_2' (of type "
        "Bad). Either the `Bad.call()` method is incorrect, or you need to implement the "
        "`Bad.compute_output_spec() / compute_output_shape()` method. Error encountered:\n\n"
        "bad thing\x1b[0m\n\n"
        "Arguments received by Bad.call():\n"
        "  \u2022 args=('<KerasTensor shape=(None, 3), dtype=float32, sparse=False, "
        "ragged=False, name=keras_tensor>',)\n"
        "  \u2022 kwargs=<class 'inspect._empty'>")


def test_only_the_innermost_failing_call_adds_its_arguments():
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError) as info:
        model.predict(np.zeros((2, 4), "float32"), verbose=0)
    assert _message(info) == (
        "Exception encountered when calling Sequential.call().\n\n"
        "\x1b[1mInput 0 with name 'None' of layer 'dense' is incompatible with the layer: "
        "expected axis -1 of input shape to have value 3, but received input with shape "
        "(2, 4)\x1b[0m\n\n"
        "Arguments received by Sequential.call():\n"
        "  \u2022 inputs=tf.Tensor(shape=(2, 4), dtype=float32)\n"
        "  \u2022 training=False\n"
        "  \u2022 mask=None\n"
        "  \u2022 kwargs=<class 'inspect._empty'>")
    with pytest.raises(ValueError) as info:
        keras.Sequential([keras.Input((3,)), Bad()])(np.zeros((2, 3), "float32"))
    assert _message(info).startswith("Exception encountered when calling Bad.call().")
    assert _message(info).count("Exception encountered") == 1


def test_traceback_filtering_off_leaves_the_error_as_raised():
    keras.config.disable_traceback_filtering()
    try:
        with pytest.raises(ValueError, match="^bad thing$"):
            Bad()(np.zeros((2, 3), "float32"))
    finally:
        keras.config.enable_traceback_filtering()


def test_build_errors_are_not_framed():
    with pytest.raises(ValueError) as info:
        keras.layers.Add()([np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")])
    assert _message(info) == ("Inputs have incompatible shapes. Received shapes (3,) and "
                              "(4,)")


def test_functional_model_checks_its_input_shapes_first():
    inputs = keras.Input((3,), name="input_layer_3")
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs), name="functional_1")
    with pytest.raises(ValueError) as info:
        model(np.zeros((2, 4), "float32"))
    assert _message(info) == (
        "Input 0 with name 'input_layer_3' of layer 'functional_1' is incompatible with the "
        "layer: expected shape=(None, 3), found shape=(2, 4)")
    assert model(np.zeros((2, 3, 1), "float32")).shape == (2, 2)  # a last axis of 1 squeezes


def test_functional_model_with_two_inputs():
    i1, i2 = keras.Input((4,), name="i1"), keras.Input((2,), name="i2")
    model = keras.Model([i1, i2], keras.layers.Concatenate()([i1, i2]), name="functional")
    with pytest.raises(ValueError) as info:
        model(np.ones((2, 4), "float32"))
    assert _message(info) == (
        "Layer \"functional\" expects 2 named input(s) with keys ['i1', 'i2'], but it "
        "received 1 input tensors. Pass inputs as a dict, e.g. `layer({'i1': ..., "
        "'i2': ...})`.")
    with pytest.raises(ValueError) as info:
        model([np.ones((2, 4), "float32"), np.ones((2, 3), "float32")])
    assert _message(info) == (
        "Input 1 with name 'i2' of layer 'functional' is incompatible with the layer: "
        "expected shape=(None, 2), found shape=(2, 3)")
    with pytest.raises(ValueError) as info:
        model({"i1": np.ones((2, 4), "float32"), "i2": np.ones((2, 5), "float32")})
    assert "expected shape=(None, 2), found shape=(2, 5)" in _message(info)
    with pytest.raises(ValueError) as info:
        model([np.ones((2, 4), "float32"), np.ones((2,), "float32")])
    assert ("Invalid input shape for input [1. 1.] with name 'i2' and path '1'. Expected "
            "shape (None, 2), but input has incompatible shape (2,)") in _message(info)


def test_invalid_input_shape_names_its_path():
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError) as info:
        model(np.zeros((4,), "float32"))
    assert ("Invalid input shape for input [0. 0. 0. 0.] with name 'keras_tensor' and path "
            "''. Expected shape (None, 4), but input has incompatible shape (4,)"
            ) in _message(info)


def test_reshape_to_another_size():
    with pytest.raises(ValueError) as info:
        keras.layers.Reshape((5,))(np.zeros((2, 3), "float32"))
    assert ("\x1b[1mThe total size of the tensor must be unchanged. Received: "
            "input_shape=(3,), target_shape=(5,)\x1b[0m") in _message(info)
    with pytest.raises(ValueError, match="input size cannot by divided by the specified "
                                         r"dimensions in target_shape. Received: "
                                         r"input_shape=\(6,\), target_shape=\(-1, 4\)"):
        keras.layers.Reshape((-1, 4))(np.zeros((2, 6), "float32"))
    assert keras.layers.Reshape((-1, 2))(keras.Input((None,))).shape == (None, None, 2)
    assert keras.layers.Reshape((-1, 2))(np.zeros((2, 6), "float32")).shape == (2, 3, 2)


@pytest.mark.parametrize("make, name", [
    (lambda: keras.layers.Dense(3), "kernel"),
    (lambda: keras.layers.Conv2D(3, 3), "kernel"),
    (lambda: keras.layers.EinsumDense("ab,bc->ac", output_shape=3), "kernel"),
    (lambda: keras.layers.Embedding(10, 3), "embeddings"),
])
def test_weights_before_build(make, name):
    with pytest.raises(AttributeError, match=f"^You must build the layer before accessing "
                                             f"`{name}`.$"):
        getattr(make(), name)


def test_other_missing_attributes_keep_python_s_message():
    with pytest.raises(AttributeError, match="^'Dense' object has no attribute 'kernal'$"):
        keras.layers.Dense(3).kernal
    with pytest.raises(AttributeError, match="The layer dense_9 has never been called"):
        keras.layers.Dense(3, name="dense_9").output


def test_unknown_identifiers():
    with pytest.raises(ValueError, match="^Could not interpret optimizer identifier: "
                                         "not_an_opt$"):
        keras.Sequential([keras.layers.Dense(1)]).compile("not_an_opt", "mse")
    with pytest.raises(ValueError, match="^Could not interpret loss identifier: nope$"):
        keras.losses.get("nope")
    with pytest.raises(ValueError, match="^Could not interpret metric identifier: nope$"):
        keras.metrics.get("nope")


def test_invalid_units_do_not_take_a_name():
    keras.backend.clear_session()
    with pytest.raises(ValueError, match="Received: units=-1"):
        keras.layers.Dense(-1)
    assert keras.layers.Dense(2).name == "dense"


def test_callback_params_before_fit():
    callback = keras.callbacks.Callback()
    assert callback.params is None and callback.model is None


def test_convolution_and_pooling_too_small_for_their_windows():
    with pytest.raises(ValueError) as info:
        keras.layers.Conv2D(3, 5)(keras.Input((3, 3, 1)))
    assert _message(info) == (
        "Computed output size would be zero or negative. Received `inputs shape=(None, 3, 3, "
        "1)`, `kernel shape=(5, 5, 1, 3)`, `dilation_rate=[1 1]`, `strides=(1, 1)`, "
        "`padding=valid`.")
    with pytest.raises(ValueError) as info:
        keras.layers.MaxPooling2D(4)(keras.Input((3, 3, 1)))
    assert _message(info).startswith(
        "Exception encountered when calling MaxPooling2D.call().\n\n\x1b[1mComputed output "
        "size would be zero or negative. Received: `inputs.shape=[None 3 3 1]`, "
        "`pool_size=[4 4]`, `strides=(4, 4)`, `padding=valid`.\x1b[0m\n\n")


@pytest.mark.parametrize("make, shape, path", [
    (lambda: keras.layers.Dense(3), (None, None), "dense/kernel"),
    (lambda: keras.layers.BatchNormalization(), (None, None), "batch_normalization/gamma"),
])
def test_weights_of_an_undefined_size(make, shape, path):
    keras.backend.clear_session()
    with pytest.raises(ValueError) as info:
        make()(keras.Input(shape[1:]))
    size = "(None, 3)" if path == "dense/kernel" else "(None,)"
    assert _message(info) == (
        f"Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
        f"Received: shape={size} for variable path='{path}'")
