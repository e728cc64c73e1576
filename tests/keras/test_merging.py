"""Tests for the merge layers: values against NumPy, shapes for `keras.Input`s, errors and
configs against Keras 3."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import backend
from eagerflow.keras.layers import merging
from eagerflow.keras.layers.merging import (Add, Average, Concatenate, Dot, Maximum, Minimum,
                                            Multiply, Subtract)
from tests.gradient_check import check_gradients

Input = keras.Input


@pytest.fixture(autouse=True)
def _fresh_names():
    backend.clear_session()


def _values(tensor):
    return np.asarray(tensor)


# --- element-wise merges against NumPy ----------------------------------------------------

ELEMENTWISE = [
    (Add, merging.add, lambda xs: xs[0] + xs[1] + xs[2]),
    (Multiply, merging.multiply, lambda xs: xs[0] * xs[1] * xs[2]),
    (Average, merging.average, lambda xs: (xs[0] + xs[1] + xs[2]) / 3),
    (Maximum, merging.maximum, lambda xs: np.maximum(np.maximum(xs[0], xs[1]), xs[2])),
    (Minimum, merging.minimum, lambda xs: np.minimum(np.minimum(xs[0], xs[1]), xs[2])),
]


@pytest.mark.parametrize("layer_class, function, expected", ELEMENTWISE,
                         ids=[row[0].__name__ for row in ELEMENTWISE])
def test_elementwise_values_match_numpy(layer_class, function, expected, rng):
    xs = [rng.standard_normal((4, 3, 2)).astype("float32") for _ in range(3)]
    for output in (layer_class()(xs), function(xs)):
        assert output.dtype == tf.float32
        np.testing.assert_allclose(_values(output), expected(xs), rtol=1e-6, atol=1e-6)


def test_subtract_values_match_numpy(rng):
    x, y = (rng.standard_normal((4, 5)).astype("float32") for _ in range(2))
    np.testing.assert_allclose(_values(Subtract()([x, y])), x - y, rtol=1e-6)
    np.testing.assert_allclose(_values(merging.subtract([x, y])), x - y, rtol=1e-6)


def test_elementwise_broadcasts_size_one_axes(rng):
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    y = rng.standard_normal((2, 1, 4)).astype("float32")
    np.testing.assert_allclose(_values(Add()([x, y])), x + y, rtol=1e-6)
    np.testing.assert_allclose(_values(Maximum()([y, x])), np.maximum(x, y))


def test_lower_rank_inputs_gain_axes_after_the_batch_axis():
    x = np.ones((2, 3, 1))
    y = np.arange(6.0).reshape(2, 3)
    # recorded from Keras 3.15: Add()([ones((2, 3, 1)), arange(6).reshape(2, 3)])
    assert _values(Add()([x, y])).tolist() == [
        [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]],
        [[4.0, 5.0, 6.0], [4.0, 5.0, 6.0], [4.0, 5.0, 6.0]]]


def test_one_input_is_returned_unchanged():
    # recorded from Keras 3.15
    assert _values(Add()([np.ones((2, 3))])).tolist() == [[1.0] * 3] * 2


@pytest.mark.parametrize("inputs, expected", [
    ([np.ones((2, 3), "int32")] * 2, tf.int32),
    ([np.ones((2, 3), "int32"), np.ones((2, 3), "float32")], tf.float32),
    ([np.ones((2, 3), "float64")] * 2, tf.float32),
])
def test_output_dtypes(inputs, expected):
    # recorded from Keras 3.15 (eager calls)
    assert Add()(inputs).dtype == expected
    assert Concatenate()(inputs).dtype == expected


def test_gradients_flow_to_every_input(rng):
    x, y, z = (rng.standard_normal((3, 4)) for _ in range(3))
    check_gradients(lambda a, b, c: Multiply(dtype="float64")([a, b, c]), x, y, z)
    check_gradients(lambda a, b: Maximum(dtype="float64")([a, b]), x, y)
    check_gradients(lambda a, b: Average(dtype="float64")([a, b]), x, y)


# --- shapes of symbolic inputs ------------------------------------------------------------

# recorded from Keras 3.15
SYMBOLIC_SHAPES = [
    (Add, [(3, 4), (1, 4)], (None, 3, 4)),
    (Add, [(3, 4), (4,)], (None, 3, 4)),
    (Add, [(3, 1), (3,)], (None, 3, 3)),
    (Add, [(None, 4), (3, 4)], (None, None, 4)),
    (Add, [(3,)], (None, 3)),
    (Subtract, [(5, 2), (5, 1)], (None, 5, 2)),
    (Multiply, [(2,), (2,), (2,)], (None, 2)),
    (Concatenate, [(3, 4), (3, 5)], (None, 3, 9)),
    (lambda: Concatenate(axis=1), [(3, 4), (2, 4)], (None, 5, 4)),
    (lambda: Concatenate(axis=1), [(None, 4), (2, 4)], (None, None, 4)),
    (lambda: Dot(axes=1), [(4,), (4,)], (None, 1)),
    (lambda: Dot(axes=(1, 2)), [(3, 5), (10, 3)], (None, 5, 10)),
    (lambda: Dot(axes=-1), [(3, 5), (4, 5)], (None, 3, 4)),
    (lambda: Dot(axes=(2, 1)), [(2, 3, 4), (3, 5)], (None, 2, 4, 5)),
]


@pytest.mark.parametrize("make_layer, shapes, expected", SYMBOLIC_SHAPES)
def test_output_shapes_of_keras_inputs(make_layer, shapes, expected):
    output = make_layer()([Input(shape) for shape in shapes])
    assert output.shape == expected
    assert output.dtype == "float32"


def test_known_batch_size_is_kept():
    # recorded from Keras 3.15
    output = Add()([Input((3,), batch_size=2), Input((3,))])
    assert output.shape == (2, 3)


def test_symbolic_integer_inputs_keep_their_dtype():
    # Keras 3.15 reports float32 here although the eager result is int32; we report int32.
    output = Add()([Input((3,), dtype="int32"), Input((3,), dtype="int32")])
    assert output.dtype == "int32"


def test_functional_model_with_merges_trains(rng):
    left, right = Input((4,)), Input((4,))
    a = keras.layers.Dense(3)(left)
    b = keras.layers.Dense(3)(right)
    merged = merging.concatenate([merging.add([a, b]), merging.multiply([a, b]),
                                  merging.dot([a, b], axes=1)])
    model = keras.Model([left, right], keras.layers.Dense(1)(merged))
    assert model.output_shape == (None, 1)
    x = [rng.standard_normal((16, 4)).astype("float32") for _ in range(2)]
    y = rng.standard_normal((16, 1)).astype("float32")
    assert model.predict(x, verbose=0).shape == (16, 1)
    model.compile("sgd", "mse")
    before = model.get_weights()
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    assert all(not np.array_equal(w0, w1) for w0, w1 in zip(before, model.get_weights()))


# --- errors -------------------------------------------------------------------------------

# recorded from Keras 3.15
ERRORS = [
    (Add, [(3,), (4,)], "Inputs have incompatible shapes. Received shapes (3,) and (4,)"),
    (Add, [(2, 3), (2,)], "Inputs have incompatible shapes. Received shapes (2, 3) and (2,)"),
    (Subtract, [(3,), (3,), (3,)],
     "A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[(None, "
     "3), (None, 3), (None, 3)]"),
    (Concatenate, [(3, 4), (2, 5)],
     "A `Concatenate` layer requires inputs with matching shapes except for the "
     "concatenation axis. Received: input_shape=[(None, 3, 4), (None, 2, 5)]"),
    (Concatenate, [(3, 4), (5,)],
     "A `Concatenate` layer requires inputs with matching shapes except for the "
     "concatenation axis. Received: input_shape=[(None, 3, 4), (None, 5)]"),
    (lambda: Dot(axes=1), [(4,), (5,)],
     "Incompatible input shapes: axis values 4 (at axis 1) != 5 (at axis 1). Full input "
     "shapes: (None, 4), (None, 5)"),
    (lambda: Dot(axes=1), [(4,), (4,), (4,)],
     "A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=[(None, "
     "4), (None, 4), (None, 4)]"),
]


@pytest.mark.parametrize("make_layer, shapes, message", ERRORS)
def test_incompatible_symbolic_inputs_raise(make_layer, shapes, message):
    with pytest.raises(ValueError) as info:
        make_layer()([Input(shape) for shape in shapes])
    assert str(info.value) == message


def test_different_batch_sizes_raise():
    with pytest.raises(ValueError) as info:
        Add()([Input((3,), batch_size=2), Input((3,), batch_size=5)])
    # recorded from Keras 3.15
    assert str(info.value) == ("Cannot merge tensors with different batch sizes. Received "
                               "tensors with shapes [(2, 3), (5, 3)]")


@pytest.mark.parametrize("make_layer, message", [
    (Add, "A merge layer should be called on a list of inputs. Received: "
          "input_shape=(None, 3) (not a list of shapes)"),
    (Concatenate, "A `Concatenate` layer should be called on a list of at least 1 input. "
                  "Received: input_shape=(None, 3)"),
])
def test_a_single_tensor_is_refused(make_layer, message):
    # recorded from Keras 3.15
    with pytest.raises(ValueError) as info:
        make_layer()(Input((3,)))
    assert str(info.value) == message
    with pytest.raises(ValueError, match="should be called on a list"):
        make_layer()(np.ones((2, 3)))


@pytest.mark.parametrize("inputs, message", [
    ([np.ones((2, 3)), np.ones((2, 4))],
     "Inputs have incompatible shapes. Received shapes (3,) and (4,)"),
    ([np.ones((2, 3))], "A `Subtract` layer should be called on exactly 2 inputs. Received: "
                        "input_shape=[(2, 3)]"),
])
def test_eager_shape_errors(inputs, message):
    layer = Subtract() if len(inputs) == 1 else Add()
    with pytest.raises(ValueError) as info:
        layer(inputs)
    assert str(info.value) == message  # recorded from Keras 3.15


def test_concatenate_eager_mismatch_raises():
    with pytest.raises(ValueError, match=r"matching shapes except for the concatenation axis\. "
                                         r"Received: input_shape=\[\(2, 3, 4\), \(2, 2, 5\)\]"):
        Concatenate()([np.ones((2, 3, 4)), np.ones((2, 2, 5))])


# --- Concatenate --------------------------------------------------------------------------

@pytest.mark.parametrize("axis, shapes", [
    (-1, [(2, 3), (2, 4)]),
    (1, [(2, 3, 4), (2, 1, 4), (2, 2, 4)]),
    (0, [(2, 3), (1, 3)]),
    (-2, [(2, 1, 3), (2, 2, 3)]),
])
def test_concatenate_matches_numpy(axis, shapes, rng):
    xs = [rng.standard_normal(shape).astype("float32") for shape in shapes]
    expected = np.concatenate(xs, axis=axis)
    np.testing.assert_array_equal(_values(Concatenate(axis=axis)(xs)), expected)
    np.testing.assert_array_equal(_values(merging.concatenate(xs, axis=axis)), expected)


# --- Dot ----------------------------------------------------------------------------------

@pytest.mark.parametrize("axes, x_shape, y_shape, subscripts", [
    (1, (3, 4), (3, 4), "bi,bi->b"),
    ((1, 2), (2, 3, 5), (2, 10, 3), "bij,bki->bjk"),
    (-1, (2, 3, 5), (2, 4, 5), "bik,bjk->bij"),
    ((2, 1), (2, 2, 3, 4), (2, 3, 5), "bijk,bjl->bikl"),
    ((3, 2), (2, 2, 3, 4), (2, 3, 4, 5), "bijk,blkm->bijlm"),
    ((1, 1), (2, 3), (2, 3, 4), "bi,bij->bj"),
])
def test_dot_matches_einsum(axes, x_shape, y_shape, subscripts, rng):
    x = rng.standard_normal(x_shape).astype("float32")
    y = rng.standard_normal(y_shape).astype("float32")
    expected = np.einsum(subscripts, x, y)
    if expected.ndim == 1:
        expected = expected[:, None]  # a rank-1 result becomes (batch, 1)
    output = Dot(axes=axes)([x, y])
    assert output.shape.as_list() == list(expected.shape)
    np.testing.assert_allclose(_values(output), expected, rtol=1e-5, atol=1e-5)


def test_dot_values_recorded_from_keras():
    a = np.array([[1.0, 2.0, 2.0], [0.0, 3.0, 4.0]], "float32")
    b = np.array([[2.0, 0.0, 1.0], [4.0, 3.0, 0.0]], "float32")
    # recorded from Keras 3.15
    assert _values(Dot(axes=1)([a, b])).tolist() == [[4.0], [9.0]]
    np.testing.assert_allclose(_values(Dot(axes=1, normalize=True)([a, b])),
                               [[0.596284806728363], [0.36000001430511475]], rtol=1e-6)
    np.testing.assert_allclose(_values(merging.dot([a, b], axes=1, normalize=True)),
                               [[0.596284806728363], [0.36000001430511475]], rtol=1e-6)
    zeros = np.zeros((1, 3), "float32")
    assert _values(Dot(axes=1, normalize=True)([zeros, b[:1]])).tolist() == [[0.0]]


def test_dot_gradients(rng):
    x, y = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 3))
    check_gradients(lambda a, b: Dot(axes=(1, 2), dtype="float64")([a, b]), x, y)
    check_gradients(lambda a, b: Dot(axes=1, normalize=True, dtype="float64")([a, b]),
                    x[:, :, 0], y[:, 0, :])


@pytest.mark.parametrize("axes, error, message", [
    ("a", TypeError, "Invalid type for argument `axes`: it should be a list or an int. "
                     "Received: axes=a"),
    ((1, 2, 3), ValueError, "Invalid format for argument `axes`: it should contain two "
                            "elements. Received: axes=(1, 2, 3)"),
    ((1, 2.0), ValueError, "Invalid format for argument `axes`: list elements should be "
                           "integers. Received: axes=(1, 2.0)"),
])
def test_dot_rejects_bad_axes(axes, error, message):
    # recorded from Keras 3.15
    with pytest.raises(error) as info:
        Dot(axes=axes)
    assert str(info.value) == message


@pytest.mark.parametrize("inputs, message", [
    ([np.ones((2, 3)), np.ones((2, 3))], "Cannot perform batch_dot over axis 0. If your "
                                         "inputs are not batched, add a dummy batch "
                                         "dimension to your inputs using "
                                         "keras.ops.expand_dims(x, 0)"),
    ([np.ones((3,)), np.ones((3,))], "Cannot do batch_dot on inputs with rank < 2. Received "
                                     "inputs with shapes (3,) and (3,)."),
])
def test_dot_over_the_batch_axis_raises(inputs, message):
    # recorded from Keras 3.15 (which wraps it in "Exception encountered when calling ...")
    with pytest.raises(ValueError) as info:
        Dot(axes=0)(inputs)
    assert str(info.value) == message


# --- config -------------------------------------------------------------------------------

DTYPE_CONFIG = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                "registered_name": None}


@pytest.mark.parametrize("layer, extra", [
    (Add(), {}),
    (Average(), {}),
    (Concatenate(axis=1), {"axis": 1}),
    (Dot(axes=1), {"axes": 1, "normalize": False}),
    (Dot(axes=[1, 2], normalize=True), {"axes": [1, 2], "normalize": True}),
])
def test_get_config_round_trip(layer, extra):
    config = layer.get_config()
    # recorded from Keras 3.15
    assert config == {"name": layer.name, "trainable": True, "dtype": DTYPE_CONFIG, **extra}
    clone = type(layer).from_config(config)
    assert clone.get_config() == config


def test_default_names():
    # recorded from Keras 3.15: snake-case class names, numbered per name
    names = [Add().name, Add().name, Concatenate().name, Dot(1).name, Average().name]
    assert names == ["add", "add_1", "concatenate", "dot", "average"]
    assert not Add().built
