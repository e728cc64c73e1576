"""Tests for keras.metrics' regression metrics."""

import warnings

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import metrics
from eagerflow.keras.metrics import regression_metrics
from tests.keras.metric_checks import check_row

# (id, class, constructor kwargs, [(update args, update kwargs)], result)
# recorded from Keras 3.15 (TF 2.21), every input as a float32 array.
KERAS_CASES = [
    ("mse", "MeanSquaredError", {}, [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {})], 0.25),
    ("mse_weighted", "MeanSquaredError", {},
     [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {"sample_weight": [1, 0]}),
      (([0.5, 2.0], [1.0, 1.0]), {})],
     0.5625),
    ("mae", "MeanAbsoluteError", {},
     [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {}),
      (([[1, 2]], [[3, 1.5]]), {"sample_weight": [2]})],
     0.75),
    ("rmse", "RootMeanSquaredError", {}, [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {})], 0.5),
    ("rmse_weighted", "RootMeanSquaredError", {},
     [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {"sample_weight": [1, 0]}),
      (([0.5, 2.0], [1.0, 1.0]), {})],
     0.7637625932693481),
    ("mape", "MeanAbsolutePercentageError", {}, [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {})],
     250000000.0),
    ("mape_weighted", "MeanAbsolutePercentageError", {},
     [(([[2, 1], [4, 5]], [[1, 1], [3, 0]]), {"sample_weight": [1, 3]})], 53.125),
    ("msle", "MeanSquaredLogarithmicError", {}, [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {})],
     0.12011321634054184),
    ("msle_weighted", "MeanSquaredLogarithmicError", {},
     [(([[2, 1], [4, 5]], [[1, 1], [3, -1]]), {"sample_weight": [1, 3]})], 1.243123173713684),
    ("cosine", "CosineSimilarity", {"axis": 1}, [(([[0, 1], [1, 1]], [[1, 0], [1, 1]]), {})],
     0.4999999701976776),
    ("cosine_weighted", "CosineSimilarity", {},
     [(([[0, 1], [1, 1], [3, 4]], [[1, 0], [1, 1], [4, 3]]),
       {"sample_weight": [0.3, 0.7, 1.0]})],
     0.8299999833106995),
    ("cosine_zero", "CosineSimilarity", {}, [(([[0, 0], [1, 1]], [[1, 0], [0, 0]]), {})], 0.0),
    ("logcosh", "LogCoshError", {}, [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {})],
     0.1084451973438263),
    ("logcosh_weighted", "LogCoshError", {},
     [(([[2, 1], [4, 5]], [[1, 1], [3, -30]]), {"sample_weight": [1, 3]})], 13.081961631774902),
    ("r2", "R2Score", {}, [(([[1], [4], [3]], [[2], [4], [4]]), {})], 0.5714285373687744),
    ("r2_multi_weighted", "R2Score", {"class_aggregation": "variance_weighted_average"},
     [(([[1, 2], [4, 1], [3, 5]], [[2, 2.5], [4, 1.5], [4, 4]]),
       {"sample_weight": [1, 2, 0.5]})],
     0.7787356376647949),
    ("r2_raw", "R2Score", {"class_aggregation": None},
     [(([[1, 2], [4, 1], [3, 5]], [[2, 2.5], [4, 1.5], [4, 4]]), {}),
      (([[0, 1]], [[1, 1]]), {})],
     [0.699999988079071, 0.8604651093482971]),
    ("r2_adjusted", "R2Score", {"num_regressors": 2},
     [(([[1], [4], [3], [6], [2]], [[2], [4], [4], [5], [2]]), {})], 0.5945945978164673),
]


@pytest.mark.parametrize("class_name, kwargs, updates, expected",
                         [pytest.param(*row[1:], id=row[0]) for row in KERAS_CASES])
def test_regression_metrics_match_keras(class_name, kwargs, updates, expected):
    check_row(class_name, kwargs, updates, expected)


def test_mean_errors_against_numpy(rng):
    y_true = rng.random((6, 4)).astype("float32") + 0.5
    y_pred = rng.random((6, 4)).astype("float32") + 0.5
    weights = rng.random(6).astype("float32")
    error = y_pred - y_true
    expected = {
        metrics.MeanSquaredError: (error ** 2).mean(1),
        metrics.MeanAbsoluteError: np.abs(error).mean(1),
        metrics.MeanAbsolutePercentageError: 100 * np.abs(error / y_true).mean(1),
        metrics.MeanSquaredLogarithmicError: ((np.log1p(y_pred) - np.log1p(y_true)) ** 2).mean(1),
        metrics.LogCoshError: np.log(np.cosh(error)).mean(1),
    }
    for cls, per_sample in expected.items():
        m = cls()
        m.update_state(y_true[:3], y_pred[:3], sample_weight=weights[:3])
        m.update_state(y_true[3:], y_pred[3:], sample_weight=weights[3:])
        assert m.result().dtype == tf.float32
        np.testing.assert_allclose(float(m.result()),
                                   (per_sample * weights).sum() / weights.sum(), rtol=1e-5)
        assert m._direction == "down"


def test_root_mean_squared_error_is_the_root_of_the_weighted_mean():
    m = metrics.RootMeanSquaredError()
    m.update_state([[1.0], [2.0]], [[2.0], [4.0]], sample_weight=[3.0, 1.0])
    assert float(m.result()) == pytest.approx(np.sqrt((3 * 1 + 1 * 4) / 4))
    m.update_state([0.0], [3.0])
    assert float(m.result()) == pytest.approx(np.sqrt((3 + 4 + 9) / 5))
    m.reset_state()
    assert float(m.result()) == 0.0


def test_cosine_similarity_along_an_axis():
    y_true = [[[1.0, 0.0], [0.0, 2.0]]]
    y_pred = [[[3.0, 0.0], [0.0, -1.0]]]
    assert regression_metrics.cosine_similarity(y_true, y_pred).numpy().tolist() == [
        [1.0, -1.0]]
    # along axis 1 the columns are compared: [1, 0]·[3, 0] and [0, 2]·[0, -1]
    assert regression_metrics.cosine_similarity(y_true, y_pred, axis=1).numpy().tolist() \
        == [[1.0, -1.0]]
    m = metrics.CosineSimilarity()
    m.update_state([[0.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [2.0, 2.0]])
    assert float(m.result()) == pytest.approx(0.5)  # a zero vector scores 0, not nan


def test_r2_score_against_numpy(rng):
    y_true = rng.standard_normal((20, 3)).astype("float32")
    y_pred = (y_true + 0.5 * rng.standard_normal((20, 3))).astype("float32")
    m = metrics.R2Score(class_aggregation=None)
    m.update_state(y_true[:8], y_pred[:8])
    m.update_state(y_true[8:], y_pred[8:])
    residual = ((y_true - y_pred) ** 2).sum(0)
    total = ((y_true - y_true.mean(0)) ** 2).sum(0)
    np.testing.assert_allclose(m.result().numpy(), 1 - residual / total, rtol=1e-4)
    uniform = metrics.R2Score()
    uniform.update_state(y_true, y_pred)
    assert float(uniform.result()) == pytest.approx((1 - residual / total).mean(), rel=1e-4)
    assert [v.name for v in uniform.variables] == [
        "num_samples", "squared_sum", "sum", "residual", "count"]
    uniform.reset_state()
    assert all(not v.numpy().any() for v in uniform.variables)


def test_r2_score_adjusted_falls_back_with_a_warning():
    m = metrics.R2Score(num_regressors=5)
    m.update_state([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    with pytest.warns(UserWarning, match="More independent predictors than datapoints"):
        adjusted = float(m.result())
    plain = metrics.R2Score()
    plain.update_state([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert adjusted == pytest.approx(float(plain.result()))


@pytest.mark.parametrize("make, message", [
    (lambda: metrics.R2Score(class_aggregation="median"),
     "Invalid value for argument `class_aggregation`"),
    (lambda: metrics.R2Score(num_regressors=-1), "Invalid value for argument `num_regressors`"),
])
def test_r2_score_constructor_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_r2_score_needs_2d_inputs():
    with pytest.raises(ValueError, match="R2Score expects 2D inputs"):
        metrics.R2Score().update_state([[[1.0]]], [[[1.0]]])
