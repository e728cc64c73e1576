"""Tests for keras.metrics' accuracy metrics and functions."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import metrics
from tests.keras.metric_checks import check_row

# (id, class, constructor kwargs, [(update args, update kwargs)], result)
# recorded from Keras 3.15 (TF 2.21), every input as a float32 array.
KERAS_CASES = [
    ("accuracy", "Accuracy", {}, [(([[1], [2], [3], [4]], [[0], [2], [3], [4]]), {})], 0.75),
    ("accuracy_weighted", "Accuracy", {},
     [(([[1], [2], [3], [4]], [[0], [2], [3], [4]]), {"sample_weight": [1, 1, 0, 0]})], 0.5),
    ("accuracy_rank_mismatch", "Accuracy", {}, [(([1, 2, 3], [[1], [0], [3]]), {})],
     0.6666666865348816),
    ("binary_accuracy", "BinaryAccuracy", {},
     [(([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]), {})], 0.75),
    ("binary_accuracy_weighted", "BinaryAccuracy", {},
     [(([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]), {"sample_weight": [1, 0, 0, 1]})],
     0.5),
    ("binary_accuracy_threshold", "BinaryAccuracy", {"threshold": 0.7},
     [(([1, 1, 0, 0], [0.6, 0.8, 0.75, 0.2]), {}), (([[1, 0]], [[0.7, 0.71]]), {})],
     0.4000000059604645),
    ("binary_accuracy_2d", "BinaryAccuracy", {},
     [(([[1, 0, 1], [0, 0, 1]], [[0.9, 0.4, 0.2], [0.6, 0.1, 0.8]]),
       {"sample_weight": [1, 3]})],
     0.6666666865348816),
    ("categorical_accuracy", "CategoricalAccuracy", {},
     [(([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), {})], 0.5),
    ("categorical_accuracy_weighted", "CategoricalAccuracy", {},
     [(([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]),
       {"sample_weight": [0.7, 0.3]})],
     0.30000001192092896),
    ("categorical_accuracy_ties", "CategoricalAccuracy", {},
     [(([[1, 0, 0], [0, 0, 1]], [[0.5, 0.5, 0.0], [0.2, 0.4, 0.4]]), {})], 0.5),
    ("sparse_categorical_accuracy", "SparseCategoricalAccuracy", {},
     [(([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]), {})], 0.5),
    ("sparse_categorical_accuracy_flat_int", "SparseCategoricalAccuracy", {},
     [(([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]), {"sample_weight": [0.7, 0.3]})],
     0.30000001192092896),
    ("sparse_categorical_accuracy_float", "SparseCategoricalAccuracy", {},
     [(([2.0, 1.0, 0.0], [[0.1, 0.2, 0.7], [0.05, 0.95, 0], [0.3, 0.3, 0.4]]), {}),
      (([[0.0]], [[0.9, 0.05, 0.05]]), {})],
     0.75),
    ("sparse_categorical_accuracy_3d", "SparseCategoricalAccuracy", {},
     [(([[0, 1], [2, 2]],
        [[[0.9, 0.1, 0.0], [0.2, 0.7, 0.1]], [[0.1, 0.1, 0.8], [0.5, 0.3, 0.2]]]),
       {})],
     0.75),
    ("top_k_k1", "TopKCategoricalAccuracy", {"k": 1},
     [(([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), {})], 0.5),
    ("top_k_k2_weighted", "TopKCategoricalAccuracy", {"k": 2},
     [(([[0, 0, 1], [0, 1, 0], [1, 0, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0], [0.1, 0.5, 0.4]]),
       {"sample_weight": [0.7, 0.3, 0.5]})],
     0.6666666865348816),
    ("top_k_default_k", "TopKCategoricalAccuracy", {},
     [(([[0, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0]],
        [[7.0, 6, 5, 4, 3, 2, 1], [1.0, 2, 3, 4, 5, 6, 7]]),
       {})],
     0.0),
    ("top_k_ties", "TopKCategoricalAccuracy", {"k": 1},
     [(([[0, 0, 1], [0, 1, 0]], [[0.5, 0.5, 0.5], [0.4, 0.2, 0.4]]), {})], 0.5),
    ("sparse_top_k_k1", "SparseTopKCategoricalAccuracy", {"k": 1},
     [(([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), {})], 0.5),
    ("sparse_top_k_k2_weighted", "SparseTopKCategoricalAccuracy", {"k": 2},
     [(([[2], [1], [0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0], [0.1, 0.5, 0.4]]),
       {"sample_weight": [0.7, 0.3, 0.5]})],
     0.6666666865348816),
    ("sparse_top_k_sorted_ids", "SparseTopKCategoricalAccuracy",
     {"k": 2, "from_sorted_ids": True}, [(([2, 1, 5], [[1, 2, 0], [0, 3, 1], [5, 5, 2]]), {})],
     0.6666666865348816),
    ("sparse_top_k_ties", "SparseTopKCategoricalAccuracy", {"k": 1},
     [(([2, 0], [[0.5, 0.5, 0.5], [0.1, 0.3, 0.3]]), {})], 0.5),
    ("sparse_top_k_3d", "SparseTopKCategoricalAccuracy", {"k": 1},
     [(([[0, 1], [2, 2]],
        [[[0.9, 0.1, 0.0], [0.2, 0.7, 0.1]], [[0.1, 0.1, 0.8], [0.5, 0.3, 0.2]]]),
       {})],
     0.75),
]


@pytest.mark.parametrize("class_name, kwargs, updates, expected",
                         [pytest.param(*row[1:], id=row[0]) for row in KERAS_CASES])
def test_accuracy_metrics_match_keras(class_name, kwargs, updates, expected):
    check_row(class_name, kwargs, updates, expected)


def test_accuracy_functions_return_per_sample_float32():
    y_true = [[0, 0, 1], [0, 1, 0], [1, 0, 0]]
    y_pred = [[0.1, 0.5, 0.4], [0.2, 0.7, 0.1], [0.2, 0.3, 0.4]]
    cases = [
        (metrics.categorical_accuracy(y_true, y_pred), [0.0, 1.0, 0.0]),
        (metrics.top_k_categorical_accuracy(y_true, y_pred, k=2), [1.0, 1.0, 0.0]),
        (metrics.sparse_categorical_accuracy([2, 1, 0], y_pred), [0.0, 1.0, 0.0]),
        (metrics.sparse_top_k_categorical_accuracy([2, 1, 0], y_pred, k=2), [1.0, 1.0, 0.0]),
        (metrics.binary_accuracy([1, 0, 1], [0.6, 0.5, 0.4]), [1.0, 1.0, 0.0]),
        (metrics.binary_accuracy([1, 0, 1], [0.6, 0.5, 0.4], threshold=0.3), [1.0, 0.0, 1.0]),
    ]
    for values, expected in cases:
        assert values.dtype == tf.float32
        assert values.numpy().tolist() == expected


def test_binary_accuracy_keeps_the_label_shape():
    # (n, 1) labels against (n,) predictions are matched, not broadcast to (n, n).
    values = metrics.binary_accuracy([[1], [0], [1]], [0.9, 0.2, 0.1])
    assert values.shape == (3, 1)
    assert values.numpy().ravel().tolist() == [1.0, 1.0, 0.0]
    assert metrics.binary_accuracy(np.array([True, False]), [0.9, 0.9]).numpy().tolist() \
        == [1.0, 0.0]


@pytest.mark.parametrize("labels", [
    [2, 1, 0], [[2], [1], [0]], np.array([2, 1, 0], "int64"), np.array([2.0, 1.0, 0.0]),
    tf.constant([[2], [1], [0]], tf.int32)])
def test_sparse_categorical_accuracy_label_forms(labels):
    y_pred = [[0.1, 0.2, 0.7], [0.05, 0.95, 0.0], [0.5, 0.3, 0.2]]
    values = metrics.sparse_categorical_accuracy(labels, y_pred)
    assert values.shape == (3,)
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(labels, y_pred, sample_weight=[1.0, 1.0, 2.0])
    assert float(m.result()) == 1.0
    m.update_state(labels, np.flip(np.array(y_pred, "float32"), axis=1))
    assert float(m.result()) == pytest.approx(5 / 7)


def test_top_k_counts_ties_at_the_boundary_as_in():
    # TF's in_top_k: a target tied with the k-th largest score is in the top k.
    y_pred = [[0.5, 0.5, 0.5, 0.1], [0.3, 0.3, 0.2, 0.2]]
    assert metrics.sparse_top_k_categorical_accuracy([2, 3], y_pred, k=1).numpy().tolist() \
        == [1.0, 0.0]
    assert metrics.sparse_top_k_categorical_accuracy([2, 3], y_pred, k=3).numpy().tolist() \
        == [1.0, 1.0]
    assert metrics.top_k_categorical_accuracy([[0, 0, 0, 1], [0, 1, 0, 0]], y_pred,
                                              k=1).numpy().tolist() == [0.0, 1.0]


def test_top_k_rejects_out_of_range_labels_and_non_finite_scores():
    y_pred = [[0.1, 0.9, 0.0], [np.nan, 0.2, 0.1], [0.2, np.inf, 0.1]]
    values = metrics.sparse_top_k_categorical_accuracy([3, 0, 1], y_pred, k=3)
    assert values.numpy().tolist() == [0.0, 0.0, 0.0]


def test_top_k_over_a_time_axis():
    y_true = np.eye(3, dtype="float32")[[[0, 1], [2, 2]]]  # (2, 2, 3) one-hot
    y_pred = np.array([[[0.9, 0.1, 0.0], [0.2, 0.1, 0.7]],
                       [[0.1, 0.1, 0.8], [0.5, 0.3, 0.2]]], "float32")
    assert metrics.top_k_categorical_accuracy(y_true, y_pred, k=1).numpy().tolist() == [
        [1.0, 0.0], [1.0, 0.0]]
    assert metrics.categorical_accuracy(y_true, y_pred).numpy().tolist() == [
        [1.0, 0.0], [1.0, 0.0]]


def test_sparse_top_k_from_sorted_ids_counts_repeats_once():
    ids = [[4, 4, 1], [0, 2, 3]]
    values = metrics.sparse_top_k_categorical_accuracy([4, 3], ids, k=2, from_sorted_ids=True)
    assert values.numpy().tolist() == [1.0, 0.0]


def test_accuracy_on_integer_labels_and_predictions():
    m = metrics.Accuracy()
    m.update_state(np.array([1, 2, 3, 4]), np.array([[1], [2], [0], [0]]))
    assert float(m.result()) == 0.5
    m.update_state([5], [5.0], sample_weight=[2.0])
    assert float(m.result()) == pytest.approx(4 / 6)


def test_accumulation_reset_and_weights():
    m = metrics.CategoricalAccuracy()
    y_true = [[0, 0, 1], [0, 1, 0]]
    m.update_state(y_true, [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
    m.update_state(y_true, [[0.1, 0.2, 0.8], [0.05, 0.95, 0.0]], sample_weight=[3.0, 1.0])
    assert float(m.result()) == pytest.approx(5 / 6)
    m.reset_state()
    assert float(m.result()) == 0.0
    assert float(m(y_true, [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])) == 0.5


@pytest.mark.parametrize("cls, name", [
    (metrics.Accuracy, "accuracy"), (metrics.BinaryAccuracy, "binary_accuracy"),
    (metrics.CategoricalAccuracy, "categorical_accuracy"),
    (metrics.SparseCategoricalAccuracy, "sparse_categorical_accuracy"),
    (metrics.TopKCategoricalAccuracy, "top_k_categorical_accuracy"),
    (metrics.SparseTopKCategoricalAccuracy, "sparse_top_k_categorical_accuracy")])
def test_default_names_and_the_trainers_accuracy_name(cls, name):
    assert cls().name == name
    assert cls(name="accuracy").name == "accuracy"
    assert cls()._direction == "up"
