"""Tests for keras.metrics' probabilistic (cross-entropy, KL divergence, Poisson) metrics."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import losses, metrics
from tests.keras.metric_checks import check_row

# (id, class, constructor kwargs, [(update args, update kwargs)], result)
# recorded from Keras 3.15 (TF 2.21), every input as a float32 array.
KERAS_CASES = [
    ("bce", "BinaryCrossentropy", {}, [(([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), {})],
     0.8149244785308838),
    ("bce_weighted", "BinaryCrossentropy", {},
     [(([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), {"sample_weight": [1, 0]})],
     0.9162907600402832),
    ("bce_logits_smoothing", "BinaryCrossentropy",
     {"from_logits": True, "label_smoothing": 0.1},
     [(([[0, 1], [0, 0]], [[2.0, -1.0], [0.5, 40.0]]), {})], 10.559816360473633),
    ("bce_edge", "BinaryCrossentropy", {}, [(([1, 0, 1], [0.0, 1.0, 1.0]), {})],
     10.6868257522583),
    ("cce", "CategoricalCrossentropy", {},
     [(([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), {})], 1.1769392490386963),
    ("cce_weighted", "CategoricalCrossentropy", {},
     [(([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]),
       {"sample_weight": [1.5, 2.0]})],
     1.3377457857131958),
    ("cce_logits_smoothing", "CategoricalCrossentropy",
     {"from_logits": True, "label_smoothing": 0.2},
     [(([[0, 1, 0], [0, 0, 1]], [[1.0, 2.0, -1.0], [0.5, 0.2, 30.0]]), {})], 2.28450608253479),
    ("cce_unnormalized", "CategoricalCrossentropy", {},
     [(([[0, 1, 0], [0, 0, 1]], [[0.1, 1.9, 0.0], [0.2, 0.2, 0.2]]), {})], 0.5749527812004089),
    ("scce", "SparseCategoricalCrossentropy", {},
     [(([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), {})], 1.1769392490386963),
    ("scce_weighted_col", "SparseCategoricalCrossentropy", {},
     [(([[1], [2]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), {"sample_weight": [1.5, 2.0]})],
     1.3377457857131958),
    ("scce_logits", "SparseCategoricalCrossentropy", {"from_logits": True},
     [(([1, 2], [[1.0, 2.0, -1.0], [0.5, 0.2, 30.0]]), {})], 0.1745060831308365),
    ("scce_ignore", "SparseCategoricalCrossentropy", {"ignore_class": 2},
     [(([1, 2, 0], [[0.05, 0.95, 0], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]), {})],
     0.4184221029281616),
    ("kld", "KLDivergence", {}, [(([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), {})],
     0.45814305543899536),
    ("kld_weighted", "KLDivergence", {},
     [(([[0.2, 0.8], [0.5, 0.5]], [[0.6, 0.4], [0.4, 0.6]]), {"sample_weight": [1, 0.5]})],
     0.2300005406141281),
    ("poisson", "Poisson", {}, [(([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {})], 0.4999999701976776),
    ("poisson_weighted", "Poisson", {},
     [(([[2, 1], [4, 5]], [[1, 1.5], [3, 0.5]]), {"sample_weight": [1, 3]})],
     1.2260489463806152),
    ("scce_ignore_weighted", "SparseCategoricalCrossentropy", {"ignore_class": 2},
     [(([1, 2, 0], [[0.05, 0.95, 0], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]),
       {"sample_weight": [1.0, 2.0, 3.0]})],
     0.9158029556274414),
]


@pytest.mark.parametrize("class_name, kwargs, updates, expected",
                         [pytest.param(*row[1:], id=row[0]) for row in KERAS_CASES])
def test_probabilistic_metrics_match_keras(class_name, kwargs, updates, expected):
    check_row(class_name, kwargs, updates, expected)


@pytest.mark.parametrize("cls, loss, kwargs", [
    (metrics.BinaryCrossentropy, losses.binary_crossentropy,
     {"from_logits": True, "label_smoothing": 0.2}),
    (metrics.CategoricalCrossentropy, losses.categorical_crossentropy, {"label_smoothing": 0.1}),
    (metrics.KLDivergence, losses.kl_divergence, {}),
    (metrics.Poisson, losses.poisson, {})])
def test_loss_metrics_average_the_loss_function(cls, loss, kwargs, rng):
    y_true = (rng.random((5, 3)) < 0.5).astype("float32")
    y_pred = rng.random((5, 3)).astype("float32") * 0.9 + 0.05
    weights = np.array([1.0, 0.0, 2.0, 0.5, 1.0], "float32")
    m = cls(**kwargs)
    m.update_state(y_true[:2], y_pred[:2], sample_weight=weights[:2])
    m.update_state(y_true[2:], y_pred[2:], sample_weight=weights[2:])
    per_sample = loss(y_true, y_pred, **kwargs).numpy()
    assert m.result().dtype == tf.float32
    assert float(m.result()) == pytest.approx((per_sample * weights).sum() / weights.sum(),
                                              rel=1e-5)
    for key, value in kwargs.items():
        assert m.get_config()[key] == value


def test_sparse_categorical_crossentropy_ignore_class():
    y_true = [1, 2, 0]
    y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]
    kept = -np.log([0.95, 0.3])
    unweighted = metrics.SparseCategoricalCrossentropy(ignore_class=2)
    unweighted.update_state(y_true, y_pred)
    # Without weights the ignored entry counts as a 0 in the mean, as in Keras.
    assert float(unweighted.result()) == pytest.approx(kept.sum() / 3, rel=1e-6)
    weighted = metrics.SparseCategoricalCrossentropy(ignore_class=2)
    weighted.update_state([[1], [2], [0]], y_pred, sample_weight=[1.0, 2.0, 3.0])
    # With weights it gets weight 0 (Keras's mask).
    assert float(weighted.result()) == pytest.approx((kept * [1, 3]).sum() / 4, rel=1e-6)


def test_sparse_categorical_crossentropy_integer_labels_and_reset():
    m = metrics.SparseCategoricalCrossentropy(from_logits=True)
    m.update_state(np.array([0, 1], "int64"), [[2.0, 0.0], [0.0, 2.0]])
    expected = np.log1p(np.exp(-2.0))
    assert float(m.result()) == pytest.approx(expected, rel=1e-6)
    m.reset_state()
    assert float(m.result()) == 0.0
