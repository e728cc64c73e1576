"""Tests for keras.metrics' confusion-matrix metrics: counts, Precision, Recall, AUC and the
sensitivity/specificity family."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import metrics
from eagerflow.keras.metrics import metrics_utils
from tests.keras.metric_checks import check_row

# (id, class, constructor kwargs, [(update args, update kwargs)], result)
# recorded from Keras 3.15 (TF 2.21), every input as a float32 array. "RANDOM" stands for
# `metric_checks.random_scores()`.
KERAS_CASES = [
    ("tp", "TruePositives", {}, [(([0, 1, 1, 1], [1, 0, 1, 1]), {})], 2.0),
    ("tp_weighted", "TruePositives", {},
     [(([0, 1, 1, 1], [1, 0, 1, 1]), {"sample_weight": [0, 0, 1, 0]})], 1.0),
    ("fp", "FalsePositives", {}, [(([0, 1, 0, 0], [0, 0, 1, 1]), {})], 2.0),
    ("fp_weighted", "FalsePositives", {},
     [(([0, 1, 0, 0], [0, 0, 1, 1]), {"sample_weight": [0, 0, 1, 0]})], 1.0),
    ("tn", "TrueNegatives", {}, [(([0, 1, 0, 0], [1, 1, 0, 0]), {})], 2.0),
    ("fn", "FalseNegatives", {},
     [(([0, 1, 1, 1], [0, 1, 0, 0]), {}), (([1], [0.2]), {"sample_weight": [2.0]})], 4.0),
    ("tp_thresholds", "TruePositives", {"thresholds": [0.15, 0.5, 0.85]},
     [(([[0, 1, 1, 1], [1, 0, 1, 1]], [[0.1, 0.6, 0.9, 0.3], [0.8, 0.2, 0.5, 0.99]]), {})],
     [6.0, 4.0, 2.0]),
    ("fp_thresholds_weighted", "FalsePositives", {"thresholds": [0.15, 0.5, 0.85]},
     [(([[0, 1, 0, 0], [1, 0, 0, 1]], [[0.2, 0.6, 0.9, 0.3], [0.8, 0.2, 0.5, 0.99]]),
       {"sample_weight": [2.0, 0.5]})],
     [7.0, 2.0, 2.0]),
    ("tn_thresholds_even", "TrueNegatives", {"thresholds": [0.0, 0.5, 1.0]},
     [(([0, 0, 1, 0, 0, 1], [0.0, 0.5, 0.7, 1.0, 0.3, 0.2]), {})], [1.0, 3.0, 4.0]),
    ("fn_2d_colweights", "FalseNegatives", {"thresholds": [0.3, 0.6]},
     [(([[1, 1], [0, 1]], [[0.4, 0.1], [0.9, 0.5]]), {"sample_weight": [[1, 2], [3, 4]]})],
     [2.0, 7.0]),
    ("precision", "Precision", {}, [(([0, 1, 1, 1], [1, 0, 1, 1]), {})], 0.6666666865348816),
    ("precision_weighted", "Precision", {},
     [(([0, 1, 1, 1], [1, 0, 1, 1]), {"sample_weight": [0, 0, 1, 0]})], 1.0),
    ("precision_two_updates", "Precision", {},
     [(([0, 1, 1, 1], [1, 0, 1, 1]), {}), (([[1], [0]], [[0.7], [0.2]]), {})], 0.75),
    ("precision_top_k", "Precision", {"top_k": 2}, [(([0, 0, 1, 1], [1, 1, 1, 1]), {})], 0.0),
    ("precision_top_k_2d", "Precision", {"top_k": 2},
     [(([[0, 0, 1, 1], [1, 0, 0, 1]], [[0.1, 0.7, 0.6, 0.2], [0.5, 0.4, 0.6, 0.3]]), {})], 0.5),
    ("precision_class_id", "Precision", {"class_id": 2},
     [(([[0, 0, 1], [0, 1, 0], [0, 0, 1], [1, 0, 0]],
        [[0.1, 0.2, 0.7], [0.1, 0.3, 0.6], [0.5, 0.3, 0.2], [0.3, 0.1, 0.6]]),
       {})],
     0.3333333432674408),
    ("precision_top_k_class_id", "Precision", {"top_k": 1, "class_id": 2},
     [(([[0, 0, 1], [0, 1, 0], [0, 0, 1], [1, 0, 0]],
        [[0.1, 0.2, 0.7], [0.1, 0.6, 0.3], [0.5, 0.3, 0.2], [0.3, 0.1, 0.6]]),
       {})],
     0.5),
    ("precision_thresholds", "Precision", {"thresholds": [0.5, 0.8]},
     [(([0, 1, 1, 0, 1], [0.6, 0.9, 0.7, 0.2, 0.85]), {})], [0.75, 1.0]),
    ("precision_empty", "Precision", {}, [(([0, 0], [0.1, 0.2]), {})], 0.0),
    ("recall", "Recall", {}, [(([0, 1, 1, 1], [1, 0, 1, 1]), {})], 0.6666666865348816),
    ("recall_weighted", "Recall", {},
     [(([0, 1, 1, 1], [1, 0, 1, 1]), {"sample_weight": [0, 0, 1, 0]})], 1.0),
    ("recall_top_k", "Recall", {"top_k": 2},
     [(([[0, 0, 1, 1], [1, 0, 0, 1]], [[0.1, 0.7, 0.6, 0.2], [0.5, 0.4, 0.6, 0.3]]), {})], 0.5),
    ("recall_class_id", "Recall", {"class_id": 1},
     [(([[0, 0, 1], [0, 1, 0], [0, 1, 0], [1, 0, 0]],
        [[0.1, 0.2, 0.7], [0.1, 0.6, 0.3], [0.5, 0.3, 0.2], [0.3, 0.6, 0.1]]),
       {})],
     0.5),
    ("recall_thresholds", "Recall", {"thresholds": [0.5, 0.8]},
     [(([0, 1, 1, 0, 1], [0.6, 0.9, 0.7, 0.2, 0.85]), {"sample_weight": [1, 2, 3, 4, 5]})],
     [1.0, 0.699999988079071]),
    ("auc_doc", "AUC", {"num_thresholds": 3}, [(([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]), {})], 0.75),
    ("auc_doc_weighted", "AUC", {"num_thresholds": 3},
     [(([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]), {"sample_weight": [1, 0, 0, 1]})], 1.0),
    ("auc_default", "AUC", {},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]), {})], 0.75),
    ("auc_on_thresholds", "AUC", {"num_thresholds": 11},
     [(([0, 1, 0, 1, 1, 0, 1, 0], [0.3, 0.3, 0.7, 0.7, 0.6, 0.1, 0.9, 0.0]), {})], 0.8125),
    ("auc_out_of_range", "AUC", {"num_thresholds": 5},
     [(([0, 1, 0, 1], [-0.5, 1.5, 0.25, 0.75]), {})], 1.0),
    ("auc_two_updates", "AUC", {},
     [(([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), {}),
      (([[1], [0]], [[0.6], [0.55]]), {"sample_weight": [2.0, 1.0]})],
     0.8333333134651184),
    ("auc_pr", "AUC", {"curve": "PR"},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]), {})],
     0.7972674369812012),
    ("auc_pr_majoring", "AUC", {"curve": "PR", "summation_method": "majoring"},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]), {})],
     0.8166667222976685),
    ("auc_pr_minoring", "AUC",
     {"curve": "PR", "summation_method": "minoring", "num_thresholds": 10},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]), {})],
     0.550000011920929),
    ("auc_roc_minoring", "AUC", {"summation_method": "minoring", "num_thresholds": 7},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]), {})], 0.6875),
    ("auc_roc_majoring", "AUC", {"summation_method": "majoring", "num_thresholds": 7},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]), {})], 0.8125),
    ("auc_prgain", "AUC", {"curve": "PRGAIN", "num_thresholds": 20},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]), {})], 0.25),
    ("auc_from_logits", "AUC", {"from_logits": True},
     [(([0, 0, 1, 1, 0, 1], [-2.0, 0.5, 0.1, 3.0, -0.3, 1.2]), {})], 0.888888955116272),
    ("auc_thresholds", "AUC", {"thresholds": [0.3, 0.5, 0.8]},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]), {})], 0.65625),
    ("auc_thresholds_pr", "AUC", {"thresholds": [0.25, 0.5, 0.75], "curve": "PR"},
     [(([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.65, 0.3, 0.7, 0.2]),
       {"sample_weight": [1, 2, 1, 2, 1, 2, 1, 2]})],
     0.8230847120285034),
    ("auc_2d_single_label", "AUC", {},
     [(([[0, 1], [1, 1], [0, 0]], [[0.2, 0.9], [0.6, 0.4], [0.3, 0.7]]),
       {"sample_weight": [1.0, 2.0, 0.5]})],
     0.800000011920929),
    ("auc_multi_label", "AUC", {"multi_label": True},
     [(([[0, 1], [1, 1], [0, 0], [1, 0]], [[0.2, 0.9], [0.6, 0.4], [0.3, 0.7], [0.8, 0.1]]),
       {})],
     0.875),
    ("auc_multi_label_weights", "AUC",
     {"multi_label": True, "label_weights": [0.25, 0.75], "num_thresholds": 50},
     [(([[0, 1], [1, 1], [0, 0], [1, 0]], [[0.2, 0.9], [0.6, 0.4], [0.3, 0.7], [0.8, 0.1]]),
       {"sample_weight": [1, 2, 3, 4]})],
     0.7857142686843872),
    ("auc_multi_label_pr", "AUC", {"multi_label": True, "curve": "PR"},
     [(([[0, 1], [1, 1], [0, 0], [1, 0]], [[0.2, 0.9], [0.6, 0.4], [0.3, 0.7], [0.8, 0.1]]),
       {})],
     0.8986337184906006),
    ("auc_label_weights_single", "AUC", {"label_weights": [0.25, 0.75]},
     [(([[0, 1], [1, 1], [0, 0], [1, 0]], [[0.2, 0.9], [0.6, 0.4], [0.3, 0.7], [0.8, 0.1]]),
       {})],
     0.8125),
    ("auc_empty", "AUC", {}, [(([0, 0], [0.1, 0.2]), {})], 0.0),
    ("sens_at_spec", "SensitivityAtSpecificity", {"specificity": 0.5},
     [(([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]), {})], 0.5),
    ("sens_at_spec_weighted", "SensitivityAtSpecificity",
     {"specificity": 0.5, "num_thresholds": 7},
     [(([0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.8, 0.3, 0.8, 0.55]),
       {"sample_weight": [1, 1, 2, 2, 1, 3]})],
     0.6666666865348816),
    ("spec_at_sens", "SpecificityAtSensitivity", {"sensitivity": 0.5},
     [(([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]), {})], 0.6666666865348816),
    ("spec_at_sens_class_id", "SpecificityAtSensitivity", {"sensitivity": 0.8, "class_id": 1},
     [(([[1, 0], [0, 1], [0, 1], [1, 0]], [[0.6, 0.4], [0.3, 0.7], [0.5, 0.5], [0.1, 0.9]]),
       {})],
     0.5),
    ("prec_at_recall", "PrecisionAtRecall", {"recall": 0.5},
     [(([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]), {})], 0.5),
    ("prec_at_recall_one_threshold", "PrecisionAtRecall", {"recall": 0.5, "num_thresholds": 1},
     [(([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]), {})], 0.5),
    ("recall_at_prec", "RecallAtPrecision", {"precision": 0.8},
     [(([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]), {})], 0.5),
    ("recall_at_prec_unreachable", "RecallAtPrecision", {"precision": 1.0, "num_thresholds": 3},
     [(([0, 1, 1, 0], [0.9, 0.8, 0.3, 0.2]), {})], 0.0),
    ("auc_multi_label_two_updates", "AUC",
     {"multi_label": True, "num_labels": 2, "num_thresholds": 20},
     [(([[0, 1], [1, 1]], [[0.2, 0.9], [0.6, 0.4]]), {}),
      (([[0, 0], [1, 0]], [[0.3, 0.7], [0.8, 0.1]]), {"sample_weight": [2.0, 1.0]})],
     0.8333333134651184),
    ("auc_multi_label_prgain", "AUC",
     {"multi_label": True, "curve": "PRGAIN", "num_thresholds": 20},
     [(([[0, 1], [1, 1], [0, 0], [1, 0]], [[0.2, 0.9], [0.6, 0.4], [0.3, 0.7], [0.8, 0.1]]),
       {})],
     0.625),
    ("auc_many", "AUC", {}, [(("RANDOM",), {})], 0.9028935432434082),
    ("auc_many_pr", "AUC", {"curve": "PR"}, [(("RANDOM",), {})], 0.8831000328063965),
    ("precision_many_thresholds", "Precision", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]},
     [(("RANDOM",), {})],
     [0.4000000059604645, 0.5063291192054749, 0.7121211886405945, 1.0, 0.0]),
    ("tp_101_on_thresholds", "TruePositives",
     {"thresholds": [0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12,
                     0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.21, 0.22, 0.23, 0.24,
                     0.25, 0.26, 0.27, 0.28, 0.29, 0.3, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36,
                     0.37, 0.38, 0.39, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47, 0.48,
                     0.49, 0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.56, 0.57, 0.58, 0.59, 0.6, 0.61,
                     0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68, 0.69, 0.7, 0.71, 0.72, 0.73,
                     0.74, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85,
                     0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97,
                     0.98, 0.99, 1.0]},
     [(([1, 1, 1, 1, 1], [0.15, 0.27, 0.3, 0.54, 0.6]), {})],
     [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 4.0, 4.0,
      4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0, 2.0, 2.0,
      2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0,
      2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
      0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
      0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
    ("auc_101_on_thresholds", "AUC", {"num_thresholds": 101},
     [(([1, 0, 1, 0, 1, 0], [0.3, 0.3, 0.6, 0.6, 0.15, 0.27]), {})], 0.4444444477558136),
    ("auc_101_on_thresholds_pr", "AUC", {"num_thresholds": 101, "curve": "PR"},
     [(([1, 0, 1, 0, 1, 0], [0.3, 0.3, 0.6, 0.6, 0.15, 0.27]), {})], 0.48434507846832275),
]


@pytest.mark.parametrize("class_name, kwargs, updates, expected",
                         [pytest.param(*row[1:], id=row[0]) for row in KERAS_CASES])
def test_confusion_metrics_match_keras(class_name, kwargs, updates, expected):
    check_row(class_name, kwargs, updates, expected)


def test_counts_match_numpy_at_uneven_thresholds(rng):
    thresholds = [0.1, 0.33, 0.5, 0.9]
    y_true = rng.random((40, 3)) < 0.5
    y_pred = rng.random((40, 3)).astype("float32")
    weights = rng.random(40).astype("float32")
    counts = {}
    for cls in (metrics.TruePositives, metrics.FalsePositives, metrics.TrueNegatives,
                metrics.FalseNegatives):
        m = cls(thresholds=thresholds)
        m.update_state(y_true[:20], y_pred[:20], sample_weight=weights[:20])
        m.update_state(y_true[20:], y_pred[20:], sample_weight=weights[20:])
        counts[cls.__name__] = m.result().numpy()
        assert m.result().shape == (4,) and m.result().dtype == tf.float32
    positive = y_pred[None] > np.float32(thresholds)[:, None, None]
    w = np.broadcast_to(weights[:, None], y_true.shape)
    expected = {"TruePositives": positive & y_true, "FalsePositives": positive & ~y_true,
                "TrueNegatives": ~positive & ~y_true, "FalseNegatives": ~positive & y_true}
    for name, cells in expected.items():
        np.testing.assert_allclose(counts[name], (cells * w).sum(axis=(1, 2)), rtol=1e-5)


def test_scores_on_even_thresholds_are_bucketed_as_keras_does():
    # With evenly spaced thresholds Keras compares bucket indices ceil(p * (n - 1)) - 1,
    # not p > t: 0.3 (float32) * 100 rounds above 30, so 0.3 counts above threshold 0.30.
    even = metrics.TruePositives(thresholds=[i / 100 for i in range(101)])
    even.update_state([1.0], [0.3])
    assert float(even.result()[30]) == 1.0 and float(even.result()[31]) == 0.0
    uneven = metrics.TruePositives(thresholds=[0.3, 0.5])
    uneven.update_state([1.0], [0.3])
    assert uneven.result().numpy().tolist() == [0.0, 0.0]


def test_precision_and_recall_by_hand():
    y_true = [1, 0, 1, 1, 0, 0]
    y_pred = [0.9, 0.8, 0.4, 0.6, 0.2, 0.55]
    precision, recall = metrics.Precision(), metrics.Recall(thresholds=[0.5, 0.7])
    precision.update_state(y_true, y_pred)         # tp 2, fp 2
    recall.update_state(y_true, y_pred)            # at 0.5: tp 2, fn 1; at 0.7: tp 1, fn 2
    assert float(precision.result()) == 0.5
    np.testing.assert_allclose(recall.result().numpy(), [2 / 3, 1 / 3], rtol=1e-6)
    precision.update_state([1], [0.7], sample_weight=[2.0])
    assert float(precision.result()) == pytest.approx(4 / 6)
    precision.reset_state()
    assert float(precision.result()) == 0.0
    assert [v.numpy().tolist() for v in precision.variables] == [[0.0], [0.0]]


def test_precision_top_k_and_class_id():
    y_true = [[0, 0, 1, 1], [1, 0, 0, 1]]
    y_pred = [[0.1, 0.7, 0.6, 0.2], [0.5, 0.4, 0.6, 0.3]]
    top2 = metrics.Precision(top_k=2)
    top2.update_state(y_true, y_pred)  # kept: (1, 2) and (0, 2): hits 2 of 4
    assert float(top2.result()) == 0.5
    column = metrics.Recall(class_id=3, thresholds=0.25)
    column.update_state(y_true, y_pred)  # column 3: labels 1, 1; scores 0.2, 0.3
    assert float(column.result()) == 0.5


def test_top_k_filter_keeps_what_a_stable_descending_sort_puts_first(rng):
    # Scores from {-inf, 1, 2, 3}: many ties, which TF's top_k breaks by lower index.
    for k in range(1, 8):
        scores = rng.integers(0, 4, size=(5, 7)).astype("float32")
        scores[scores == 0] = -np.inf
        kept = metrics_utils.top_k_mask(tf.constant(scores), k).numpy()
        expected = np.zeros(scores.shape, bool)
        np.put_along_axis(expected, np.argsort(-scores, axis=-1, kind="stable")[:, :k], True,
                          axis=-1)
        assert (kept == expected).all()


def test_auc_counts_by_hand():
    m = metrics.AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    # thresholds [-1e-7, 0.5, 1 + 1e-7]
    assert [v.numpy().tolist() for v in m.variables] == [
        [2.0, 1.0, 0.0], [2.0, 0.0, 0.0], [0.0, 2.0, 2.0], [0.0, 1.0, 2.0]]
    # recall [1, 0.5, 0], fp rate [1, 0, 0]: (1 + 0.5) / 2 * (1 - 0) = 0.75
    assert float(m.result()) == 0.75
    assert m.thresholds == [-1e-7, 0.5, 1.0 + 1e-7]


def test_auc_extremes_and_the_exact_roc_auc(rng):
    m = metrics.AUC()
    m.update_state([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert float(m.result()) == pytest.approx(1.0)
    m.reset_state()
    m.update_state([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])
    assert float(m.result()) == pytest.approx(0.0, abs=1e-6)
    # With many thresholds, ROC-AUC approaches the rank statistic P(score+ > score-).
    y_true = rng.random(2000) < 0.3
    y_pred = np.clip(0.3 * y_true + 0.7 * rng.random(2000), 0, 1).astype("float32")
    fine = metrics.AUC(num_thresholds=2000)
    fine.update_state(y_true, y_pred)
    exact = (y_pred[y_true][:, None] > y_pred[~y_true][None]).mean()
    assert float(fine.result()) == pytest.approx(exact, abs=2e-3)


def test_auc_from_logits_and_label_weights():
    logits = np.array([-2.0, 0.5, 0.1, 3.0, -0.3, 1.2], "float32")
    y_true = [0, 0, 1, 1, 0, 1]
    from_logits = metrics.AUC(from_logits=True)
    from_logits.update_state(y_true, logits)
    on_probabilities = metrics.AUC()
    on_probabilities.update_state(y_true, tf.sigmoid(logits))
    assert float(from_logits.result()) == pytest.approx(float(on_probabilities.result()))
    # Single-label label_weights weight each column's predictions.
    y_true2 = [[0, 1], [1, 1], [0, 0]]
    y_pred2 = [[0.2, 0.9], [0.6, 0.4], [0.3, 0.7]]
    weighted = metrics.AUC(label_weights=[0.25, 0.75])
    weighted.update_state(y_true2, y_pred2)
    by_weights = metrics.AUC()
    by_weights.update_state(y_true2, y_pred2, sample_weight=[[0.25, 0.75]] * 3)
    assert float(weighted.result()) == pytest.approx(float(by_weights.result()))


def test_auc_multi_label_builds_on_first_update():
    m = metrics.AUC(multi_label=True, num_thresholds=10)
    assert m.variables == []
    m.reset_state()  # fine before the variables exist
    m.update_state([[0, 1], [1, 0], [1, 1]], [[0.2, 0.9], [0.6, 0.4], [0.7, 0.6]])
    assert [tuple(v.shape) for v in m.variables] == [(10, 2)] * 4
    assert float(m.result()) == 1.0
    assert [tuple(v.shape) for v in metrics.AUC(multi_label=True, num_labels=3).variables] \
        == [(200, 3)] * 4


def test_auc_with_explicit_thresholds():
    m = metrics.AUC(thresholds=[0.8, 0.3, 0.5])
    assert m.num_thresholds == 5
    assert m.thresholds == [-1e-7, 0.3, 0.5, 0.8, 1.0 + 1e-7]
    assert m.get_config()["thresholds"] == [0.3, 0.5, 0.8]


def test_vector_results_and_variable_dtypes():
    m = metrics.Precision(thresholds=[0.2, 0.5, 0.8], dtype="float64")
    m.update_state([1, 0, 1], [0.9, 0.6, 0.3])
    assert m.result().shape == (3,)
    assert all(v.dtype == tf.float32 for v in m.variables)  # floatx, as Keras creates them
    np.testing.assert_allclose(m.result().numpy(), [2 / 3, 0.5, 1.0], rtol=1e-6)


def test_sensitivity_family_by_hand():
    y_true, y_pred = [0, 0, 0, 1, 1], [0.0, 0.3, 0.8, 0.3, 0.8]
    # thresholds where specificity >= 0.5 have sensitivity at most 0.5
    m = metrics.SensitivityAtSpecificity(0.5)
    m.update_state(y_true, y_pred)
    assert float(m.result()) == 0.5
    m = metrics.SpecificityAtSensitivity(1.0)
    m.update_state(y_true, y_pred)  # only thresholds below 0.3 keep both positives
    assert float(m.result()) == pytest.approx(1 / 3)
    assert [tuple(v.shape) for v in m.variables] == [(200,)] * 4


@pytest.mark.parametrize("make, message", [
    (lambda: metrics.AUC(num_thresholds=1), "`num_thresholds` must be an integer > 1"),
    (lambda: metrics.AUC(curve="XY"), 'Invalid AUC curve value: "XY"'),
    (lambda: metrics.AUC(summation_method="mid"), "Invalid AUC summation method value"),
    (lambda: metrics.AUC(num_labels=3), "`num_labels` is needed only when `multi_label`"),
    (lambda: metrics.Precision(thresholds=[0.5, 1.5]), r"Threshold values must be in \[0, 1\]"),
    (lambda: metrics.TruePositives(thresholds=-0.1), r"must be in \[0, 1\]"),
    (lambda: metrics.SensitivityAtSpecificity(1.2), "`specificity` must be in the range"),
    (lambda: metrics.RecallAtPrecision(-0.5), "`precision` must be in the range"),
    (lambda: metrics.PrecisionAtRecall(0.5, num_thresholds=0),
     "`num_thresholds` must be an integer > 0"),
])
def test_constructor_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_update_errors():
    with pytest.raises(ValueError, match="When class_id is provided, y_pred must be a 2D"):
        metrics.Precision(class_id=1).update_state([1, 0], [0.4, 0.6])
    with pytest.raises(ValueError, match="`y_pred` must have rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True).update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
