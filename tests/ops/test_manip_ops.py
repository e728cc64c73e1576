"""Rearranging ops: tile, pad, slice, repeat, reverse, roll, one_hot, sequence_mask, meshgrid."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as tf
from eagerflow.ops.manip_ops import (
    meshgrid, one_hot, pad, repeat, reverse, roll, sequence_mask, slice, tile)
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError

DTYPE_VALUES = [
    np.array([[1.5, -2.0, 0.5], [3.0, 4.0, -1.0]], np.float32),
    np.array([[1.5, -2.0, 0.5], [3.0, 4.0, -1.0]], np.float64),
    np.array([[1, 2, 3], [4, 5, 6]], np.int32),
    np.array([[1, 2, 3], [4, 5, 6]], np.int64),
    np.array([[1, 2, 3], [4, 5, 6]], np.uint8),
    np.array([[True, False, True], [False, True, True]]),
    np.array([[1 + 2j, 3j, 1], [2, -1j, 0]], np.complex64),
    np.array([[b"a", b"b", b"c"], [b"d", b"e", b"f"]], object),
]
X = np.array([[1, 2, 3], [4, 5, 6]], np.int32)


def _message(error):
    return error.value.message


def _np_pad(x, paddings, mode="CONSTANT", value=0):
    if mode == "CONSTANT":
        return np.pad(x, paddings, constant_values=value)
    return np.pad(x, paddings, mode=mode.lower())


# Each row: the op applied to an array, and the same with NumPy.
FORWARD = {
    "tile": (lambda x: tile(x, [2, 3]), lambda x: np.tile(x, [2, 3])),
    "tile_zero": (lambda x: tile(x, [0, 1]), lambda x: np.tile(x, [0, 1])),
    "pad": (lambda x: pad(x, [[1, 0], [2, 1]]), lambda x: _np_pad(x, [[1, 0], [2, 1]],
                                                               value=np.zeros((), x.dtype))),
    "pad_reflect": (lambda x: pad(x, [[1, 1], [2, 2]], "REFLECT"),
                    lambda x: _np_pad(x, [[1, 1], [2, 2]], "REFLECT")),
    "pad_symmetric": (lambda x: pad(x, [[2, 0], [3, 1]], "symmetric"),
                      lambda x: _np_pad(x, [[2, 0], [3, 1]], "SYMMETRIC")),
    "slice": (lambda x: slice(x, [1, 1], [1, -1]), lambda x: x[1:2, 1:]),
    "repeat": (lambda x: repeat(x, 2), lambda x: np.repeat(x, 2)),
    "repeat_axis": (lambda x: repeat(x, [2, 0, 1], axis=1), lambda x: np.repeat(x, [2, 0, 1], 1)),
    "reverse": (lambda x: reverse(x, [0, -1]), lambda x: x[::-1, ::-1]),
    "roll": (lambda x: roll(x, [1, -1], [0, 1]), lambda x: np.roll(x, [1, -1], [0, 1])),
}


@pytest.mark.parametrize("array", DTYPE_VALUES, ids=lambda a: str(a.dtype))
@pytest.mark.parametrize("op", FORWARD, ids=str)
def test_forward_matches_numpy(op, array):
    ours, theirs = FORWARD[op]
    if op == "pad" and array.dtype == object:
        expected = _np_pad(array, [[1, 0], [2, 1]], value=b"")
    else:
        expected = theirs(array)
    result = ours(tf.constant(array))
    assert result.dtype is tf.as_dtype(array.dtype)
    assert result.shape.as_list() == list(expected.shape)
    assert result.numpy().tolist() == expected.tolist()


GRADIENTS = {
    "tile": (lambda x: tile(x, [2, 3]), (2, 3)),
    "tile_zero": (lambda x: tile(x, [0, 2]), (2, 3)),
    "tile_scalar": (lambda x: tile(x, []), ()),
    "pad": (lambda x: pad(x, [[1, 2], [0, 1]]), (2, 3)),
    "pad_value": (lambda x: pad(x, [[1, 2], [0, 1]], constant_values=3.0), (2, 3)),
    "pad_reflect": (lambda x: pad(x, [[2, 1], [1, 2]], mode="REFLECT"), (3, 4)),
    "pad_symmetric": (lambda x: pad(x, [[3, 1], [2, 2]], mode="SYMMETRIC"), (3, 4)),
    "slice": (lambda x: slice(x, [1, 0], [1, -1]), (2, 3)),
    "repeat": (lambda x: repeat(x, 2), (2, 3)),
    "repeat_counts": (lambda x: repeat(x, [2, 0, 3], axis=1), (2, 3)),
    "repeat_axis0": (lambda x: repeat(x, 3, axis=0), (2, 3)),
    "reverse": (lambda x: reverse(x, [0, -1]), (2, 3)),
    "roll": (lambda x: roll(x, [1, -2], [0, 1]), (2, 3)),
}


@pytest.mark.parametrize("op", GRADIENTS, ids=str)
def test_gradients(op, rng):
    f, shape = GRADIENTS[op]
    check_gradients(lambda x: f(x) ** 2, rng.standard_normal(shape))


# --- tile -------------------------------------------------------------------------------

@pytest.mark.parametrize("multiples, message", [
    ([2], "Expected multiples argument to be a vector of length 2 but got length 1"),
    ([-1, 1], "Expected multiples[0] >= 0, but got -1"),
    (2, "Expected multiples to be 1-D, but got shape []"),
    ([2.0, 1.0], "Value for attr 'Tmultiples' of float is not in the list of allowed values: "
                 "int32, int64"),
])  # recorded from TF 2.21
def test_tile_errors(multiples, message):
    with pytest.raises(InvalidArgumentError) as info:
        tile(X, multiples)
    assert _message(info) == f"{message} [Op:Tile]"


def test_tile_arguments():
    # recorded from TF 2.21
    assert tile(X, tf.constant([1, 2], tf.int64)).numpy().tolist() == [[1, 2, 3, 1, 2, 3],
                                                                     [4, 5, 6, 4, 5, 6]]
    assert tile(tf.constant(1.0), []).numpy() == 1.0
    assert tile(X, [0, 1]).shape.as_list() == [0, 3]


# --- pad --------------------------------------------------------------------------------

def test_pad_values():
    # recorded from TF 2.21
    assert pad(X, [[1, 0], [0, 2]], constant_values=9).numpy().tolist() == [
        [9, 9, 9, 9, 9], [1, 2, 3, 9, 9], [4, 5, 6, 9, 9]]
    assert pad(X, [[1, 1], [2, 2]], mode="reflect").numpy().tolist() == [
        [6, 5, 4, 5, 6, 5, 4], [3, 2, 1, 2, 3, 2, 1], [6, 5, 4, 5, 6, 5, 4],
        [3, 2, 1, 2, 3, 2, 1]]
    assert pad(X, [[1, 1], [2, 3]], mode="Symmetric").numpy().tolist() == [
        [2, 1, 1, 2, 3, 3, 2, 1], [2, 1, 1, 2, 3, 3, 2, 1], [5, 4, 4, 5, 6, 6, 5, 4],
        [5, 4, 4, 5, 6, 6, 5, 4]]
    assert pad(X, [[1, 0], [0, 0]], mode="REFLECT", constant_values=3).numpy().tolist() == [
        [4, 5, 6], [1, 2, 3], [4, 5, 6]]
    assert pad(tf.constant(["a"]), [[1, 1]], constant_values="z").numpy().tolist() == [
        b"z", b"a", b"z"]
    assert pad(tf.constant(["a"]), [[1, 1]]).numpy().tolist() == [b"", b"a", b""]
    assert pad(tf.constant([True]), [[1, 1]]).numpy().tolist() == [False, True, False]
    assert pad(tf.constant(1.0), np.zeros((0, 2), np.int32)).numpy() == 1.0
    with pytest.raises(InvalidArgumentError, match=r"paddings must be a matrix with 2 columns: "
                                                   r"\[0\] \[Op:Pad\]"):
        pad(tf.constant(1.0), [])
    assert pad(tf.ones((0, 1)), [[1, 1], [0, 0]], constant_values=2).numpy().tolist() == [
        [2.0], [2.0]]
    assert pad(X, tf.constant([[1, 0], [0, 2]], tf.int64)).shape.as_list() == [3, 5]
    # A NumPy array takes the dtype of a constant_values tensor.
    assert pad(np.array([1], np.int32), [[1, 0]],
               constant_values=tf.constant(1.5)).numpy().tolist() == [1.5, 1.0]


@pytest.mark.parametrize("paddings, mode, op, message", [
    ([[2, 0], [0, 0]], "REFLECT", "MirrorPad",
     "paddings must be less than the dimension size: 2, 0 not less than 2"),
    ([[0, 0], [1, 3]], "REFLECT", "MirrorPad",
     "paddings must be less than the dimension size: 1, 3 not less than 3"),
    ([[3, 0], [0, 0]], "SYMMETRIC", "MirrorPad",
     "paddings must be no greater than the dimension size: 3, 0 greater than 2"),
    ([[-1, 0], [0, 0]], "REFLECT", "MirrorPad", "paddings must be non-negative: -1 0"),
    ([[1, 0]], "REFLECT", "MirrorPad",
     "The first dimension of paddings must be the rank of inputs[1,2], [2,3]"),
    ([[-1, 0], [0, 0]], "CONSTANT", "Pad", "Paddings must be non-negative: -1 0"),
    ([[1, 0]], "CONSTANT", "Pad",
     "The first dimension of paddings must be the rank of inputs[1,2] [2,3]"),
    ([1, 0], "CONSTANT", "Pad", "paddings must be a matrix with 2 columns: [2]"),
    ([[1, 1, 1], [0, 0, 0]], "CONSTANT", "Pad", "paddings must be a matrix with 2 columns: [2,3]"),
    ([[1.0, 0], [0, 0]], "CONSTANT", "Pad",
     "Value for attr 'Tpaddings' of float is not in the list of allowed values: int32, int64"),
])  # recorded from TF 2.21
def test_pad_errors(paddings, mode, op, message):
    with pytest.raises(InvalidArgumentError) as info:
        pad(X, paddings, mode=mode)
    assert _message(info) == f"{message} [Op:{op}]"


def test_pad_argument_errors():
    # recorded from TF 2.21
    with pytest.raises(ValueError, match='Value of argument `mode` expected to be one of '
                                         '"CONSTANT", "REFLECT", or "SYMMETRIC". Received '
                                         '`mode` = FOO'):
        pad(X, [[1, 0], [0, 0]], mode="foo")
    with pytest.raises(TypeError, match="Cannot convert 9.5 to EagerTensor of dtype int32"):
        pad(X, [[1, 0], [0, 0]], constant_values=9.5)
    with pytest.raises(InvalidArgumentError) as info:
        pad(tf.constant(X), [[1, 0], [0, 0]], constant_values=tf.constant(1.5))
    assert _message(info) == ("cannot compute PadV2 as input #2(zero-based) was expected to be a "
                              "int32 tensor but is a float tensor [Op:PadV2]")
    with pytest.raises(InvalidArgumentError) as info:
        pad(tf.ones((1,)), [[1, 1]], constant_values=[1.0])
    assert _message(info) == "constant_values must be a scalar. Found: [1] [Op:PadV2]"


def test_pad_constant_values_get_no_gradient():
    x, value = tf.constant([1.0, 2.0]), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([x, value])
        y = pad(x, [[1, 1]], constant_values=value)
    dx, dvalue = tape.gradient(y, [x, value])
    assert dx.numpy().tolist() == [1.0, 1.0] and dvalue is None  # recorded from TF 2.21


@pytest.mark.parametrize("mode, expected", [("REFLECT", [3.0, 12.0, 6.0]),
                                            ("SYMMETRIC", [5.0, 5.0, 11.0])])
def test_mirror_pad_gradient_values(mode, expected):
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = pad(x, [[2, 1]], mode=mode) * tf.constant([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert tape.gradient(y, x).numpy().tolist() == expected  # recorded from TF 2.21


# --- slice ------------------------------------------------------------------------------

@pytest.mark.parametrize("begin, size, message", [
    ([0, 1], [2, 3], "Expected size[1] in [0, 2], but got 3"),
    ([-1, 0], [1, 1], "Expected begin[0] in [0, 2], but got -1"),
    ([3, 0], [0, 1], "Expected begin[0] in [0, 2], but got 3"),
    ([0, 0], [-2, 1], "Expected size[0] in [0, 2], but got -2"),
    ([0], [1], "Expected begin and size arguments to be 1-D tensors of size 2, but got shapes "
               "[1] and [1] instead."),
    ([0, 0], [1], "Expected begin and size arguments to be 1-D tensors of size 2, but got "
                  "shapes [2] and [1] instead."),
    ([0.0, 0], [1, 1], "Value for attr 'Index' of float is not in the list of allowed values: "
                       "int32, int64"),
])  # recorded from TF 2.21
def test_slice_errors(begin, size, message):
    with pytest.raises(InvalidArgumentError) as info:
        slice(X, begin, size)
    assert _message(info) == f"{message} [Op:Slice]"


def test_slice_arguments():
    # recorded from TF 2.21
    assert slice(X, tf.constant([1, 0]), tf.constant([1, 2])).numpy().tolist() == [[4, 5]]
    assert slice(X, [2, 0], [0, 1]).shape.as_list() == [0, 1]
    assert slice(tf.Variable([1.0, 2.0]), [1], [1]).numpy().tolist() == [2.0]


@st.composite
def _array_and_window(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
    begin = [draw(st.integers(0, d)) for d in shape]
    size = [draw(st.sampled_from([-1, draw(st.integers(0, d - b))])) for d, b in zip(shape, begin)]
    return shape, begin, size


@settings(max_examples=25, deadline=None)
@given(_array_and_window())
def test_slice_and_pad_round_trip(case):
    shape, begin, size = case
    x = np.arange(1, int(np.prod(shape)) + 1, dtype=np.float64).reshape(shape)
    window = tuple(np.s_[b:] if s == -1 else np.s_[b:b + s] for b, s in zip(begin, size))
    sliced = slice(x, begin, size)
    assert np.array_equal(sliced.numpy(), x[window])
    # Padding the slice back to the input's shape gives the input outside the window zeroed.
    ends = [d - b - s for d, b, s in zip(shape, begin, sliced.shape.as_list())]
    paddings = np.array([[b, e] for b, e in zip(begin, ends)], np.int64).reshape(-1, 2)
    padded = pad(sliced, paddings)
    expected = np.zeros_like(x)
    expected[window] = x[window]
    assert np.array_equal(padded.numpy(), expected)
    # ... and slicing a padded array gives the array back.
    paddings = np.array([[b, 1] for b in begin], np.int64).reshape(-1, 2)
    assert np.array_equal(slice(pad(x, paddings), begin, list(shape)).numpy(), x)


# --- repeat -----------------------------------------------------------------------------

def test_repeat_values():
    # recorded from TF 2.21
    assert repeat(X, [1, 2], axis=0).numpy().tolist() == [[1, 2, 3], [4, 5, 6], [4, 5, 6]]
    assert repeat(X, [3], axis=1).numpy().tolist() == [[1, 1, 1, 2, 2, 2, 3, 3, 3],
                                                       [4, 4, 4, 5, 5, 5, 6, 6, 6]]
    assert repeat(X, 2, axis=-1).shape.as_list() == [2, 6]
    assert repeat(X, [1, -1], axis=0).numpy().tolist() == [[1, 2, 3]]
    assert repeat(X, [1, 2, 1, 1, 1, 1]).numpy().tolist() == [1, 2, 2, 3, 4, 5, 6]
    assert repeat(tf.constant(3.0), 2).numpy().tolist() == [3.0, 3.0]
    assert repeat(tf.constant(3.0), 2, axis=0).numpy().tolist() == [3.0, 3.0]
    assert repeat(X, tf.constant([1, 2], tf.int64), axis=0).shape.as_list() == [3, 3]
    assert repeat(["a", "b", "c"], [3, 0, 2], axis=0).numpy().tolist() == [
        b"a", b"a", b"a", b"c", b"c"]


def test_repeat_errors():
    # recorded from TF 2.21
    with pytest.raises(ValueError, match="^Dimensions 3 and 2 are not compatible$"):
        repeat(X, [1, 2], axis=1)
    with pytest.raises(ValueError, match=r"^axis=2 out of bounds: expected -2<=axis<2$"):
        repeat(X, 2, axis=2)
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank at most 1$"):
        repeat(X, [[1, 2]], axis=0)
    with pytest.raises(TypeError, match=r"Argument `tensor` \(name: repeats\) must be of type "
                                        r"integer. Received `tensor` = 2.0 of dtype: "
                                        r"<dtype: 'float32'>"):
        repeat(X, 2.0)
    with pytest.raises(TypeError, match="Argument `axis` must be an int"):
        repeat(X, 2, axis=1.0)
    with pytest.raises(InvalidArgumentError) as info:
        repeat(X, -1, axis=1)
    assert _message(info) == "Expected multiples[2] >= 0, but got -1 [Op:Tile]"


def test_repeat_gradient_values():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = repeat(x, [2, -1, 1], axis=0) * tf.constant([1.0, 2.0, 3.0])
    assert tape.gradient(y, x).numpy().tolist() == [3.0, 0.0, 3.0]  # recorded from TF 2.21


# --- reverse and roll -------------------------------------------------------------------

@pytest.mark.parametrize("axis, message", [
    ([1, 1], "axis 1 specified more than once."),
    ([1, -1], "axis 1 specified more than once."),
    ([2], "'axis'[0] = 2 is out of valid range [0, 1"),
    (1, "'dims' must be 1-dimension, not 0"),
])  # recorded from TF 2.21
def test_reverse_errors(axis, message):
    with pytest.raises(InvalidArgumentError) as info:
        reverse(X, axis)
    assert _message(info) == f"{message} [Op:ReverseV2]"


def test_reverse_edge_cases():
    # recorded from TF 2.21
    assert reverse(X, []).numpy().tolist() == X.tolist()
    assert reverse(tf.constant(1), []).numpy() == 1
    assert reverse(tf.constant([True, False]), [0]).numpy().tolist() == [False, True]


@pytest.mark.parametrize("shift, axis, expected", [
    (1, 1, [[3, 1, 2], [6, 4, 5]]), ([1, 1], [1, 1], [[2, 3, 1], [5, 6, 4]]),
    (7, 1, [[3, 1, 2], [6, 4, 5]]), (1, -1, [[3, 1, 2], [6, 4, 5]]),
    ([1, -1], [0, 1], [[5, 6, 4], [2, 3, 1]]),
])  # recorded from TF 2.21
def test_roll_values(shift, axis, expected):
    assert roll(X, shift, axis).numpy().tolist() == expected


@pytest.mark.parametrize("value, shift, axis, message", [
    (X, 1, [0, 1], "shift and axis must have the same size"),
    (X, [1, 2, 3], [0, 1], "shift and axis must have the same size"),
    (X, 1, 2, "axis 2 is out of range"),
    (1.0, 1, 0, "input must be 1-D or higher"),
    (X, [[1]], [[1]], "shift must be a scalar or a 1-D vector. Found: [1,1]"),
])  # recorded from TF 2.21
def test_roll_errors(value, shift, axis, message):
    with pytest.raises(InvalidArgumentError) as info:
        roll(value, shift, axis)
    assert _message(info) == f"{message} [Op:Roll]"


# --- one_hot ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, expected, dtype", [
    ({}, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], tf.float32),
    ({"on_value": 5, "off_value": -1}, [[5, -1, -1], [-1, -1, 5], [-1, -1, -1], [-1, -1, -1]],
     tf.int32),
    ({"on_value": 5}, [[5, 0, 0], [0, 0, 5], [0, 0, 0], [0, 0, 0]], tf.int32),
    ({"off_value": np.float64(0.5)},
     [[1.0, 0.5, 0.5], [0.5, 0.5, 1.0], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]], tf.float64),
    ({"dtype": tf.int64}, [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], tf.int64),
    ({"on_value": True, "off_value": False},
     [[True, False, False], [False, False, True], [False] * 3, [False] * 3], tf.bool),
    ({"on_value": "a", "off_value": "b"},
     [[b"a", b"b", b"b"], [b"b", b"b", b"a"], [b"b"] * 3, [b"b"] * 3], tf.string),
])  # recorded from TF 2.21: indices -1 and 3 are out of range and give rows of off_value
def test_one_hot_values(kwargs, expected, dtype):
    result = one_hot([0, 2, -1, 3], 3, **kwargs)
    assert result.dtype is dtype
    assert result.numpy().tolist() == expected


@pytest.mark.parametrize("axis, expected", [
    (0, [[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 0.0]], [[0.0, 0.0], [1.0, 0.0]]]),
    (1, [[[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], [[0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]]),
    (-1, [[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]]),
])  # recorded from TF 2.21
def test_one_hot_axis(axis, expected):
    assert one_hot([[0, 1], [2, 0]], 3, axis=axis).numpy().tolist() == expected


def test_one_hot_arguments():
    # recorded from TF 2.21
    assert one_hot(1, 3).numpy().tolist() == [0.0, 1.0, 0.0]
    assert one_hot([1], 0).shape.as_list() == [1, 0]
    assert one_hot(tf.constant([1], tf.uint8), tf.constant(3)).numpy().tolist() == [
        [0.0, 1.0, 0.0]]
    assert one_hot([1], 3, on_value=tf.constant(2.0, tf.float64)).dtype is tf.float64


@pytest.mark.parametrize("indices, kwargs, error, message", [
    ([[0, 1]], {"axis": -2}, InvalidArgumentError,
     "Expected axis to be -1 or between [0, 3).  But received: -2 [Op:OneHot]"),
    ([[0, 1]], {"axis": 3}, InvalidArgumentError,
     "Expected axis to be -1 or between [0, 3).  But received: 3 [Op:OneHot]"),
    ([1], {"depth": -1}, InvalidArgumentError,
     "depth must be non-negative, got: -1 [Op:OneHot]"),
    ([1.0], {}, InvalidArgumentError,
     "Value for attr 'TI' of float is not in the list of allowed values: uint8, int8, int32, "
     "int64 [Op:OneHot]"),
    ([0], {"on_value": 1.0, "dtype": tf.int32}, TypeError,
     "dtype <dtype: 'float32'> of on_value does not match dtype parameter <dtype: 'int32'>"),
    ([0], {"on_value": 1, "off_value": 0.0}, TypeError,
     "dtype <dtype: 'int32'> of on_value does not match dtype <dtype: 'float32'> of "
     "off_value"),
])  # recorded from TF 2.21
def test_one_hot_errors(indices, kwargs, error, message):
    with pytest.raises(error) as info:
        one_hot(indices, **{"depth": 3, **kwargs})
    assert str(info.value) == message


def test_one_hot_has_no_gradient():
    on = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(on)
        y = one_hot([0, 1], 2, on_value=on, off_value=0.0)
    assert tape.gradient(y, on) is None  # recorded from TF 2.21


# --- sequence_mask ----------------------------------------------------------------------

@pytest.mark.parametrize("lengths, maxlen, expected", [
    ([1, 3, 2], 5, [[True, False, False, False, False], [True, True, True, False, False],
                    [True, True, False, False, False]]),
    ([1, 3, 2], None, [[True, False, False], [True, True, True], [True, True, False]]),
    ([[1, 3], [2, 0]], None, [[[True, False, False], [True, True, True]],
                              [[True, True, False], [False, False, False]]]),
    (2, 3, [True, True, False]),
    ([-1, 2], 3, [[False, False, False], [True, True, False]]),
    ([1.5, 2.0], 3, [[True, False, False], [True, True, False]]),
    (tf.constant([1, 2], tf.int64), None, [[True, False], [True, True]]),
    ([1], tf.constant(2, tf.int64), [[True, False]]),
])  # recorded from TF 2.21
def test_sequence_mask(lengths, maxlen, expected):
    mask = sequence_mask(lengths, maxlen)
    assert mask.dtype is tf.bool
    assert mask.numpy().tolist() == expected


def test_sequence_mask_dtype_and_errors():
    # recorded from TF 2.21
    mask = sequence_mask([1, 3, 2], 4, dtype=tf.float32)
    assert mask.dtype is tf.float32
    assert mask.numpy().tolist() == [[1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 0.0],
                                     [1.0, 1.0, 0.0, 0.0]]
    assert sequence_mask(tf.constant([], tf.int32)).shape.as_list() == [0, 0]
    with pytest.raises(ValueError, match=r"Argument `maxlen` must be scalar for sequence_mask, "
                                         r"received `maxlen` = \[3\] with shape '\(1,\)' "
                                         r"instead"):
        sequence_mask([1], [3])
    with pytest.raises(InvalidArgumentError) as info:
        sequence_mask([1], -1)
    assert _message(info) == "Requires start <= limit when delta > 0: 0/-1 [Op:Range]"


# --- meshgrid ---------------------------------------------------------------------------

@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("sizes", [(3,), (3, 2), (3, 2, 4), (1, 0)])
def test_meshgrid_matches_numpy(sizes, indexing):
    vectors = [np.arange(n, dtype=np.float32) + 10 * i for i, n in enumerate(sizes)]
    grids = meshgrid(*vectors, indexing=indexing)
    expected = np.meshgrid(*vectors, indexing=indexing)
    assert type(grids) is list and len(grids) == len(expected)
    for grid, want in zip(grids, expected):
        assert grid.dtype is tf.float32
        assert grid.shape.as_list() == list(want.shape)
        assert np.array_equal(grid.numpy(), want)


def test_meshgrid_arguments():
    # recorded from TF 2.21
    assert meshgrid() == []
    assert [g.shape.as_list() for g in meshgrid([[1, 2]], [4, 5])] == [[2, 2], [2, 2]]
    assert [g.shape.as_list() for g in meshgrid(1, 2)] == [[1, 1], [1, 1]]
    with pytest.raises(ValueError, match="Argument `indexing` parameter must be either 'xy' or "
                                         "'ij', got 'xx'"):
        meshgrid([1], [2], indexing="xx")
    with pytest.raises(TypeError, match="'foo' is an invalid keyword argument for this "
                                        "function"):
        meshgrid([1], [2], foo=1)
    with pytest.raises(InvalidArgumentError) as info:
        meshgrid([1], [2.0])
    assert _message(info) == ("cannot compute Mul as input #1(zero-based) was expected to be a "
                              "float tensor but is a int32 tensor [Op:Mul]")


def test_meshgrid_gradients(rng):
    check_gradients(lambda x, y: [g * g for g in meshgrid(x, y)],
                    rng.standard_normal(3), rng.standard_normal(2))
    x, y = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0, 5.0])
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        gx, gy = meshgrid(x, y)
        total = gx * 2 + gy
    dx, dy = tape.gradient(total, [x, y])
    assert dx.numpy().tolist() == [6.0, 6.0]  # recorded from TF 2.21
    assert dy.numpy().tolist() == [2.0, 2.0, 2.0]
