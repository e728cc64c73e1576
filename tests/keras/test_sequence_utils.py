import numpy as np
import pytest

from eagerflow.keras.preprocessing import sequence
from eagerflow.keras.utils.sequence_utils import pad_sequences

RAGGED = [[1], [2, 3], [4, 5, 6]]


def test_default_pre_padding_int32():
    result = pad_sequences(RAGGED)
    # recorded from Keras 3.15
    np.testing.assert_array_equal(result, [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    assert result.dtype == np.int32


@pytest.mark.parametrize("padding, truncating, expected", [
    # recorded from Keras 3.15
    ("pre", "pre", [[0, 1], [2, 3], [5, 6]]),
    ("pre", "post", [[0, 1], [2, 3], [4, 5]]),
    ("post", "post", [[1, 0], [2, 3], [4, 5]]),
    ("post", "pre", [[1, 0], [2, 3], [5, 6]]),
])
def test_maxlen_truncation_both_sides(padding, truncating, expected):
    result = pad_sequences(RAGGED, maxlen=2, padding=padding, truncating=truncating)
    np.testing.assert_array_equal(result, expected)


def test_value_and_dtype():
    # recorded from Keras 3.15
    result = pad_sequences(RAGGED, value=-1.5, dtype="float32")
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result[0], [-1.5, -1.5, 1.0])
    np.testing.assert_array_equal(pad_sequences(RAGGED, value=-1.5)[0], [-1, -1, 1])
    np.testing.assert_array_equal(pad_sequences([[1.7, 2.2]]), [[1, 2]])


def test_empty_sequences():
    # recorded from Keras 3.15
    np.testing.assert_array_equal(pad_sequences([[], [1, 2]]), [[0, 0], [1, 2]])
    assert pad_sequences([[], []]).shape == (2, 0)
    assert pad_sequences([], maxlen=3).shape == (0, 3)
    assert pad_sequences([]).shape == (0, 0)  # Keras 3.15 raises on max of empty
    assert pad_sequences(RAGGED, maxlen=0).shape == (3, 0)  # Keras 3.15 raises here


def test_strings_with_object_dtype():
    result = pad_sequences([["a", "bb"], ["ccc"]], dtype=object, value="")
    # recorded from Keras 3.15
    assert result.dtype == object
    assert result.tolist() == [["a", "bb"], ["", "ccc"]]
    fixed = pad_sequences([["a", "bb"], ["ccc"]], dtype="<U3", value="-")
    assert fixed.tolist() == [["a", "bb"], ["-", "ccc"]]


def test_string_value_needs_object_dtype():
    with pytest.raises(ValueError, match="You should set `dtype=object`"):
        pad_sequences([["a"]], value="")


def test_array_inputs_and_sample_shape():
    np.testing.assert_array_equal(pad_sequences(np.array([[1, 2], [3, 4]]), maxlen=3),
                                  [[0, 1, 2], [0, 3, 4]])
    result = pad_sequences([np.ones((2, 3)), np.full((1, 3), 7)], padding="post")
    assert result.shape == (2, 2, 3)
    np.testing.assert_array_equal(result[1], [[7, 7, 7], [0, 0, 0]])
    with pytest.raises(ValueError, match=r"Shape of sample \(2,\) of sequence at position 1"):
        pad_sequences([np.ones((2, 3)), np.zeros((1, 2))])


@pytest.mark.parametrize("kwargs, fragment", [
    ({"sequences": [1, 2]}, "must be a list of iterables"),
    ({"sequences": iter([[1]])}, "must be iterable"),
    ({"sequences": RAGGED, "padding": "mid"}, 'Padding type "mid" not understood'),
    ({"sequences": RAGGED, "truncating": "mid"}, 'Truncating type "mid" not understood'),
])
def test_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        pad_sequences(**kwargs)


def test_preprocessing_sequence_namespace():
    assert sequence.pad_sequences is pad_sequences
