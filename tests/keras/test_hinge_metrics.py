"""Tests for keras.metrics' hinge metrics."""

import numpy as np
import pytest

from eagerflow.keras import metrics
from tests.keras.metric_checks import check_row

# (id, class, constructor kwargs, [(update args, update kwargs)], result)
# recorded from Keras 3.15 (TF 2.21), every input as a float32 array.
KERAS_CASES = [
    ("hinge", "Hinge", {}, [(([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), {})],
     1.2999999523162842),
    ("hinge_pm1", "Hinge", {},
     [(([[-1, 1], [1, -1]], [[0.6, 0.4], [2.0, 0.6]]), {"sample_weight": [1, 3]})], 0.875),
    ("squared_hinge", "SquaredHinge", {}, [(([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), {})],
     1.8600000143051147),
    ("squared_hinge_weighted", "SquaredHinge", {},
     [(([[-1, 1], [1, 0]], [[0.6, 0.4], [2.0, 0.6]]), {"sample_weight": [1, 3]})],
     0.7400000095367432),
    ("categorical_hinge", "CategoricalHinge", {},
     [(([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), {})], 1.4000000953674316),
    ("categorical_hinge_weighted", "CategoricalHinge", {},
     [(([[0, 1, 0], [1, 0, 0]], [[0.6, 0.4, 0.9], [2.0, 0.6, 0.1]]),
       {"sample_weight": [1, 3]})],
     0.375),
]


@pytest.mark.parametrize("class_name, kwargs, updates, expected",
                         [pytest.param(*row[1:], id=row[0]) for row in KERAS_CASES])
def test_hinge_metrics_match_keras(class_name, kwargs, updates, expected):
    check_row(class_name, kwargs, updates, expected)


def test_hinge_metrics_by_hand():
    y_true = [[-1.0, 1.0], [1.0, -1.0]]
    y_pred = [[0.5, 2.0], [0.25, 0.0]]
    margins = np.maximum(1 - np.array(y_true) * np.array(y_pred), 0)  # [[1.5, 0], [0.75, 1]]
    hinge, squared = metrics.Hinge(), metrics.SquaredHinge()
    hinge.update_state(y_true, y_pred, sample_weight=[1.0, 3.0])
    squared.update_state(y_true, y_pred)
    assert float(hinge.result()) == pytest.approx((0.75 * 1 + 0.875 * 3) / 4)
    assert float(squared.result()) == pytest.approx((margins ** 2).mean())
    categorical = metrics.CategoricalHinge()
    categorical.update_state([[0, 1, 0]], [[0.5, 0.25, 0.1]])  # max(0.5 - 0.25 + 1, 0)
    assert float(categorical.result()) == 1.25
    categorical.reset_state()
    assert float(categorical.result()) == 0.0
