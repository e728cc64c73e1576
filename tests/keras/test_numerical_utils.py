import re

import numpy as np
import pytest

from eagerflow.keras.utils.numerical_utils import normalize, to_categorical


def test_to_categorical_infers_classes_and_returns_float64():
    result = to_categorical([0, 2, 1])
    # recorded from Keras 3.15
    np.testing.assert_array_equal(result, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    assert result.dtype == np.float64


def test_to_categorical_num_classes_widens():
    result = to_categorical(np.array([1], dtype=np.int32), num_classes=4)
    np.testing.assert_array_equal(result, [[0.0, 1.0, 0.0, 0.0]])
    assert result.shape == (1, 4)


def test_to_categorical_column_vector_drops_trailing_axis():
    # recorded from Keras 3.15: (3, 1) labels give (3, 3), as (3,) labels do
    result = to_categorical(np.array([[0], [2], [1]]))
    np.testing.assert_array_equal(result, to_categorical([0, 2, 1]))


def test_to_categorical_2d_labels_put_classes_last():
    labels = np.array([[0, 1], [2, 1]])
    result = to_categorical(labels)
    # recorded from Keras 3.15
    assert result.shape == (2, 2, 3)
    np.testing.assert_array_equal(result.argmax(-1), labels)
    np.testing.assert_array_equal(to_categorical(labels[..., None]), result)


def test_to_categorical_scalar_and_float_labels():
    # recorded from Keras 3.15
    np.testing.assert_array_equal(to_categorical(2, 3), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(to_categorical([1.5, 0.2], 3), [[0, 1, 0], [1, 0, 0]])


def test_to_categorical_empty_with_num_classes():
    result = to_categorical(np.array([], dtype=int), 3)
    assert result.shape == (0, 3) and result.dtype == np.float64


@pytest.mark.parametrize("labels, num_classes, fragment", [
    ([5], 3, "[0, 3)"),
    ([-1, 1], 3, "from -1"),
    (np.array([], dtype=int), None, "empty"),
])
def test_to_categorical_rejects_bad_labels(labels, num_classes, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        to_categorical(labels, num_classes)


def test_normalize_l2_leaves_zero_rows():
    result = normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    # recorded from Keras 3.15
    np.testing.assert_allclose(result, [[0.6, 0.8], [0.0, 0.0]])
    assert result.dtype == np.float64


def test_normalize_keeps_float32_and_promotes_ints():
    x32 = np.array([[3.0, 4.0], [1.0, 0.0]], dtype=np.float32)
    assert normalize(x32).dtype == np.float32
    np.testing.assert_allclose(normalize(x32), [[0.6, 0.8], [1.0, 0.0]], rtol=1e-6)
    ints = normalize(np.array([[3, 4]]))
    assert ints.dtype == np.float64  # recorded from Keras 3.15
    np.testing.assert_allclose(normalize([[3, 4]]), [[0.6, 0.8]])


def test_normalize_orders():
    # recorded from Keras 3.15
    np.testing.assert_allclose(normalize(np.array([[3.0, -4.0]]), order=np.inf), [[0.75, -1.0]])
    np.testing.assert_allclose(normalize(np.array([[3.0, 4.0]]), order=3),
                               [[0.66697178, 0.8892957]])


def test_normalize_along_axis_0():
    x = np.array([[3.0, 4.0], [1.0, 1.0]])
    # Columns sum to 1 (Keras 3.15 divides along the wrong axis here; see the report).
    np.testing.assert_allclose(normalize(x, axis=0, order=1), [[0.75, 0.8], [0.25, 0.2]])


def test_normalize_1d_keeps_shape():
    result = normalize(np.array([3.0, 4.0]))
    assert result.shape == (2,)
    np.testing.assert_allclose(result, [0.6, 0.8])
