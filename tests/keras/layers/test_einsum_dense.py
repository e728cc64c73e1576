"""EinsumDense: values recorded from Keras 3.15, shapes from the equation, gradients, errors."""

import json

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras.layers.einsum_dense import analyze_einsum_string
from tests.gradient_check import check_gradients
from tests.keras.layer_checks import check_layer
from tests.keras.layers import attention_cases as cases


@pytest.mark.parametrize("name", cases.case_names("EinsumDense"))
def test_matches_keras(name):
    case = cases.RECORDED[name]
    keras.backend.clear_session()
    layer = cases.make_layer(name)
    (x,), _ = cases.call_arguments(name)
    layer(x)
    assert [w.path for w in layer.weights] == case["weight_names"]
    assert [list(w.shape) for w in layer.weights] == case["weight_shapes"]
    layer.set_weights(cases.recorded_weights(name))
    y = layer(x)
    np.testing.assert_allclose(y.numpy(), cases.array(name, "y"), rtol=1e-5, atol=1e-6)
    assert json.loads(json.dumps(layer.get_config(), default=list)) == case["config"]


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape, expected", [
    ("ab,bc->ac", 4, "c", (None, 3), ([3, 4], [4], [None, 4])),
    ("abc,cde->abde", (None, 2, 5), "de", (None, 7, 3), ([3, 2, 5], [2, 5], [None, None, 2, 5])),
    ("abcd,cde->abe", (7, 6), "e", (None, 7, 2, 5), ([2, 5, 6], [6], [None, 7, 6])),
    ("...b,bc->...c", 4, "c", (None, 7, 3), ([3, 4], [4], [None, 7, 4])),
    ("ab...,bc->ac...", 4, "c", (None, 3, 5), ([3, 4], [4, 1], [None, 4, 5])),
    ("abc,cd->abd", (None, 4), None, (None, 7, 3), ([3, 4], None, [None, None, 4])),
])
# As in Keras, a size given as None in `output_shape` stays None in the output shape.
def test_shapes_from_the_equation(equation, output_shape, bias_axes, input_shape, expected):
    kernel, bias, output, _, _ = analyze_einsum_string(equation, bias_axes, input_shape,
                                                       output_shape)
    assert (kernel, bias, output) == expected
    layer = keras.layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    assert layer.compute_output_shape(input_shape) == tuple(expected[2])


def test_check_layer():
    check_layer(keras.layers.EinsumDense,
                {"equation": "abc,cde->abde", "output_shape": (4, 2, 5), "bias_axes": "de",
                 "activation": "tanh"},
                input_shape=(3, 4, 6), expected_output_shape=(3, 4, 2, 5),
                expected_num_trainable_weights=2)


def test_gradients():
    layer = keras.layers.EinsumDense("abc,cde->abde", (None, 2, 3), bias_axes="e",
                                     activation="tanh", dtype="float64")
    x = np.random.default_rng(0).standard_normal((2, 4, 5))
    layer(x)
    check_gradients(layer, x, order=2)


def test_kernel_initializer_counts_the_einsum_axes():
    # fan_in = 64 (axis c), fan_out = 8 * 8 (axes d, e): glorot limit sqrt(6 / 128), not
    # the sqrt(6 / 1024) of the default reading of a (64, 8, 8) shape.
    layer = keras.layers.EinsumDense("abc,cde->abde", (None, 8, 8))
    layer.build((None, 5, 64))
    limit = np.sqrt(6 / 128)
    kernel = np.abs(layer.kernel.numpy())
    assert kernel.max() <= limit
    assert kernel.max() > 0.9 * limit


def test_integer_inputs_promote():
    layer = keras.layers.EinsumDense("ab,bc->ac", 2, kernel_initializer="ones")
    assert layer(np.array([[1, 2]], "int32")).numpy().tolist() == [[3.0, 3.0]]


@pytest.mark.parametrize("equation, output_shape, bias_axes, message", [
    ("ab,bc", 4, None, "Invalid einsum equation"),
    ("ab,bc->ad", 4, None, "Dimension 'd' was specified in the output"),
    ("ab,bcx->ac", 4, None, "Weight dimension 'x' did not have a match"),
    ("ab,bc->ac", 4, "x", "Bias dimension 'x' was requested"),
    ("abc,cd->abd", (5, 4), None, "Input shape and output shape do not match"),
])
def test_bad_equations(equation, output_shape, bias_axes, message):
    layer = keras.layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    with pytest.raises(ValueError, match=message):
        layer.build((2, 3, 6) if equation.startswith("abc") else (2, 3))
