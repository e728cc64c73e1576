"""Tests of eagerflow/keras/losses.py.

Values are checked against Keras 3.15's (recorded as literals) and against NumPy
formulas in float64; cross-entropy gradients against finite differences.
"""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.keras import losses
from tests.gradient_check import check_gradients


def f32(values):
    return np.array(values, np.float32)


B_TRUE = f32([[0, 1, 1, 0], [1, 0, 1, 1]])
B_PROB = f32([[0.1, 0.8, 0.6, 0.3], [0.9, 0.2, 0.5, 0.99]])
B_LOGIT = f32([[-2.0, 1.5, 0.3, -0.7], [3.0, -1.0, 0.0, 4.0]])
C_TRUE = f32([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
C_PROB = f32([[0.1, 0.8, 0.1], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
C_RAW = f32([[1.0, 2.0, 3.0], [0.5, 0.5, 1.0], [2.0, 1.0, 1.0]])
C_LOGIT = f32([[1.0, 2.0, 0.5], [-1.0, 0.0, 2.0], [0.3, 0.1, -0.2]])
S_TRUE = np.array([1, 2, 0])
R_TRUE = f32([[1.0, 2.0, 3.0], [4.0, 0.0, -1.0]])
R_PRED = f32([[1.5, 1.0, 3.5], [2.0, 0.5, -3.0]])
P_TRUE = f32([[0.2, 0.3, 0.5], [0.0, 0.5, 0.5]])
P_PRED = f32([[0.1, 0.6, 0.3], [0.4, 0.4, 0.2]])
H_TRUE = f32([[0, 1, 1], [1, 0, 0]])
H_PM = f32([[-1, 1, 1], [1, -1, -1]])
H_PRED = f32([[0.3, -0.8, 1.2], [0.5, 0.6, -2.0]])

RECORDED = {  # recorded from Keras 3.15 (TF 2.21 backend), float32, rounded to 7 digits
    "mean_squared_error": [0.5, 2.75],
    "mean_absolute_error": [0.6666667, 1.5],
    "mean_absolute_percentage_error": [38.88889, 166666800.0],
    "mean_squared_logarithmic_error": [0.07602262, 0.1417816],
    "cosine_similarity": [-0.9503819, -0.7329262],
    "cosine_similarity_axis0": [-0.9216354, -0.8944272, -0.9260924],
    "huber": [0.25, 1.041667],
    "huber_delta": [0.235, 0.8116667],
    "log_cosh": [0.22467, 0.9233733],
    "kl_divergence": [0.1860981, 0.5697156],
    "poisson": [0.7385836, 0.754288],
    "hinge": [1.033333, 0.7],
    "hinge_pm": [1.033333, 0.7],
    "squared_hinge": [1.643333, 0.9366667],
    "categorical_hinge": [0.0, 0.0, 0.8],
    "binary_crossentropy": [0.2990012, 0.2579254],
    "binary_crossentropy_logits": [0.3214706, 0.2682866],
    "binary_crossentropy_smoothing": [0.4199082, 0.4623913],
    "binary_crossentropy_logits_smoothing": [0.4339706, 0.4682865],
    "binary_crossentropy_axis0": [0.1053605, 0.2231435, 0.6019864, 0.1833626],
    "binary_crossentropy_extremes": [10.68683],
    "binary_focal_crossentropy": [0.03095304, 0.04581679],
    "binary_focal_crossentropy_balanced": [0.02202853, 0.02212323],
    "binary_focal_crossentropy_logits": [0.04457535, 0.05173289],
    "categorical_crossentropy": [0.2231435, 0.6931472, 0.5108256],
    "categorical_crossentropy_unnormalized": [1.098612, 0.6931472, 0.6931472],
    "categorical_crossentropy_logits": [0.4643688, 0.169846, 0.8859394],
    "categorical_crossentropy_smoothing": [0.6390319, 0.8358588, 0.7593163],
    "categorical_crossentropy_logits_smoothing": [0.7143688, 0.6698461, 0.9559394],
    "categorical_crossentropy_axis0": [1.189758, 0.250684, 0.288132],
    "categorical_crossentropy_extremes": [16.1181],
    "categorical_focal_crossentropy": [0.002231435, 0.0433217, 0.02043302],
    "categorical_focal_crossentropy_logits": [0.12741, 0.09502674, 0.2722779],
    "sparse_categorical_crossentropy": [0.2231435, 0.6931472, 0.5108256],
    "sparse_categorical_crossentropy_unnormalized": [1.098612, 0.6931472, 0.6931472],
    "sparse_categorical_crossentropy_logits": [0.4643688, 0.169846, 0.8859394],
    "sparse_categorical_crossentropy_column": [0.4643688, 0.169846, 0.8859394],
    "sparse_categorical_crossentropy_ignore": [0.4643688, 0.0, 0.8859394],
}

CLASS_RECORDED = {  # recorded from Keras 3.15: reduction -> value
    "MeanSquaredError": {
        "sum_over_batch_size": 1.625,
        "sum_over_batch_size+weights": 0.9375,
        "sum": 3.25,
        "sum+weights": 1.875,
        "mean": 1.625,
        "mean+weights": 0.9375,
        "mean_with_sample_weight": 1.625,
        "mean_with_sample_weight+weights": 1.25,
        "none": [0.5, 2.75],
        "none+weights": [0.5, 1.375],
    },
    "Huber": {
        "sum_over_batch_size": 0.5233333,
        "sum_over_batch_size+weights": 0.3204167,
        "sum": 1.046667,
        "sum+weights": 0.6408333,
        "mean": 0.5233333,
        "mean+weights": 0.3204167,
        "mean_with_sample_weight": 0.5233333,
        "mean_with_sample_weight+weights": 0.4272222,
        "none": [0.235, 0.8116667],
        "none+weights": [0.235, 0.4058333],
    },
    "BinaryCrossentropy": {
        "sum_over_batch_size": 0.3730036,
        "sum_over_batch_size+weights": 0.280932,
        "sum": 0.7460072,
        "sum+weights": 0.561864,
        "mean": 0.3730036,
        "mean+weights": 0.280932,
        "mean_with_sample_weight": 0.3730036,
        "mean_with_sample_weight+weights": 0.374576,
        "none": [0.3777207, 0.3682866],
        "none+weights": [0.3777207, 0.1841433],
    },
    "CategoricalCrossentropy": {
        "sum_over_batch_size": 0.4757055,
        "sum_over_batch_size+weights": 0.3190376,
        "sum": 1.427116,
        "sum+weights": 0.9571127,
        "mean": 0.4757055,
        "mean+weights": 0.3190376,
        "mean_with_sample_weight": 0.4757055,
        "mean_with_sample_weight+weights": 0.3190376,
        "none": [0.2231435, 0.6931472, 0.5108256],
        "none+weights": [0.4462871, 0.0, 0.5108256],
    },
    "SparseCategoricalCrossentropy": {
        "sum_over_batch_size": 0.5067181,
        "sum_over_batch_size+weights": 0.6048923,
        "sum": 1.520154,
        "sum+weights": 1.814677,
        "mean": 0.5067181,
        "mean+weights": 0.6048923,
        "mean_with_sample_weight": 0.5067181,
        "mean_with_sample_weight+weights": 0.6048923,
        "none": [0.4643688, 0.169846, 0.8859394],
        "none+weights": [0.9287376, 0.0, 0.8859394],
    },
    "SparseCategoricalCrossentropyIgnore": {
        "sum_over_batch_size": 0.675154,
        "sum_over_batch_size+weights": 0.9073384,
        "sum": 1.350308,
        "sum+weights": 1.814677,
        "mean": 0.675154,
        "mean+weights": 0.9073384,
        "mean_with_sample_weight": 0.6751541,
        "mean_with_sample_weight+weights": 0.6048923,
        "none": [0.4643688, 0.0, 0.8859394],
        "none+weights": [0.9287376, 0.0, 0.8859394],
    },
}

CALLS = {
    "mean_squared_error": lambda: losses.mean_squared_error(R_TRUE, R_PRED),
    "mean_absolute_error": lambda: losses.mean_absolute_error(R_TRUE, R_PRED),
    "mean_absolute_percentage_error":
        lambda: losses.mean_absolute_percentage_error(R_TRUE, R_PRED),
    "mean_squared_logarithmic_error":
        lambda: losses.mean_squared_logarithmic_error(R_TRUE, R_PRED),
    "cosine_similarity": lambda: losses.cosine_similarity(R_TRUE, R_PRED),
    "cosine_similarity_axis0": lambda: losses.cosine_similarity(R_TRUE, R_PRED, axis=0),
    "huber": lambda: losses.huber(R_TRUE, R_PRED),
    "huber_delta": lambda: losses.huber(R_TRUE, R_PRED, delta=0.7),
    "log_cosh": lambda: losses.log_cosh(R_TRUE, R_PRED),
    "kl_divergence": lambda: losses.kl_divergence(P_TRUE, P_PRED),
    "poisson": lambda: losses.poisson(P_TRUE, P_PRED),
    "hinge": lambda: losses.hinge(H_TRUE, H_PRED),
    "hinge_pm": lambda: losses.hinge(H_PM, H_PRED),
    "squared_hinge": lambda: losses.squared_hinge(H_TRUE, H_PRED),
    "categorical_hinge": lambda: losses.categorical_hinge(C_TRUE, C_LOGIT),
    "binary_crossentropy": lambda: losses.binary_crossentropy(B_TRUE, B_PROB),
    "binary_crossentropy_logits":
        lambda: losses.binary_crossentropy(B_TRUE, B_LOGIT, from_logits=True),
    "binary_crossentropy_smoothing":
        lambda: losses.binary_crossentropy(B_TRUE, B_PROB, label_smoothing=0.2),
    "binary_crossentropy_logits_smoothing": lambda: losses.binary_crossentropy(
        B_TRUE, B_LOGIT, from_logits=True, label_smoothing=0.2),
    "binary_crossentropy_axis0": lambda: losses.binary_crossentropy(B_TRUE, B_PROB, axis=0),
    "binary_crossentropy_extremes":
        lambda: losses.binary_crossentropy(f32([[0, 1, 1]]), f32([[1.0, 0.0, 1.0]])),
    "binary_focal_crossentropy": lambda: losses.binary_focal_crossentropy(B_TRUE, B_PROB),
    "binary_focal_crossentropy_balanced": lambda: losses.binary_focal_crossentropy(
        B_TRUE, B_PROB, apply_class_balancing=True, alpha=0.3, gamma=1.5),
    "binary_focal_crossentropy_logits": lambda: losses.binary_focal_crossentropy(
        B_TRUE, B_LOGIT, from_logits=True, label_smoothing=0.1),
    "categorical_crossentropy": lambda: losses.categorical_crossentropy(C_TRUE, C_PROB),
    "categorical_crossentropy_unnormalized":
        lambda: losses.categorical_crossentropy(C_TRUE, C_RAW),
    "categorical_crossentropy_logits":
        lambda: losses.categorical_crossentropy(C_TRUE, C_LOGIT, from_logits=True),
    "categorical_crossentropy_smoothing":
        lambda: losses.categorical_crossentropy(C_TRUE, C_PROB, label_smoothing=0.3),
    "categorical_crossentropy_logits_smoothing": lambda: losses.categorical_crossentropy(
        C_TRUE, C_LOGIT, from_logits=True, label_smoothing=0.3),
    "categorical_crossentropy_axis0": lambda: losses.categorical_crossentropy(
        C_TRUE, C_LOGIT, from_logits=True, axis=0),
    "categorical_crossentropy_extremes":
        lambda: losses.categorical_crossentropy(f32([[0, 1, 0]]), f32([[1.0, 0.0, 0.0]])),
    "categorical_focal_crossentropy":
        lambda: losses.categorical_focal_crossentropy(C_TRUE, C_PROB),
    "categorical_focal_crossentropy_logits": lambda: losses.categorical_focal_crossentropy(
        C_TRUE, C_LOGIT, alpha=0.5, gamma=1.0, from_logits=True, label_smoothing=0.1),
    "sparse_categorical_crossentropy":
        lambda: losses.sparse_categorical_crossentropy(S_TRUE, C_PROB),
    "sparse_categorical_crossentropy_unnormalized":
        lambda: losses.sparse_categorical_crossentropy(S_TRUE, C_RAW / 4),
    "sparse_categorical_crossentropy_logits":
        lambda: losses.sparse_categorical_crossentropy(S_TRUE, C_LOGIT, from_logits=True),
    "sparse_categorical_crossentropy_column": lambda: losses.sparse_categorical_crossentropy(
        S_TRUE[:, None], C_LOGIT, from_logits=True),
    "sparse_categorical_crossentropy_ignore": lambda: losses.sparse_categorical_crossentropy(
        np.array([1, -1, 0]), C_LOGIT, from_logits=True, ignore_class=-1),
}


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_functions_match_keras(case):
    result = CALLS[case]()
    assert result.dtype == tf.float32
    np.testing.assert_allclose(np.ravel(result), RECORDED[case], rtol=2e-6, atol=1e-7)


CLASS_CALLS = {
    "MeanSquaredError": (lambda r: losses.MeanSquaredError(reduction=r), R_TRUE, R_PRED),
    "Huber": (lambda r: losses.Huber(delta=0.7, reduction=r), R_TRUE, R_PRED),
    "BinaryCrossentropy": (lambda r: losses.BinaryCrossentropy(
        from_logits=True, label_smoothing=0.1, reduction=r), B_TRUE, B_LOGIT),
    "CategoricalCrossentropy":
        (lambda r: losses.CategoricalCrossentropy(reduction=r), C_TRUE, C_PROB),
    "SparseCategoricalCrossentropy": (lambda r: losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=r), S_TRUE, C_LOGIT),
    "SparseCategoricalCrossentropyIgnore": (lambda r: losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=-1, reduction=r), np.array([1, -1, 0]), C_LOGIT),
}


@pytest.mark.parametrize("case", sorted(CLASS_RECORDED))
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean",
                                       "mean_with_sample_weight", "none"])
def test_classes_match_keras(case, reduction):
    make, y_true, y_pred = CLASS_CALLS[case]
    weights = f32([2.0, 0.0, 1.0]) if len(y_pred) == 3 else f32([1.0, 0.5])
    loss = make(reduction)
    for suffix, sample_weight in (("", None), ("+weights", weights)):
        result = loss(y_true, y_pred, sample_weight=sample_weight)
        assert result.dtype == tf.float32
        np.testing.assert_allclose(np.ravel(result), CLASS_RECORDED[case][reduction + suffix],
                                   rtol=2e-6, atol=1e-7)


def test_reduction_none_is_the_same_as_none_string():
    loss = losses.MeanSquaredError(reduction=None)
    assert loss(R_TRUE, R_PRED).numpy().tolist() == [0.5, 2.75]


def test_sample_weight_shapes():
    loss = losses.MeanSquaredError(reduction="none")
    elementwise = f32([[1, 2, 3], [0, 1, 0]])
    # recorded from Keras 3.15
    np.testing.assert_allclose(loss(R_TRUE[..., None], R_PRED[..., None],
                                    sample_weight=elementwise).numpy().ravel(),
                               [0.25, 2.0, 0.75, 0.0, 0.25, 0.0])
    assert float(losses.MeanSquaredError()(R_TRUE[..., None], R_PRED[..., None],
                                           sample_weight=elementwise)) == \
        pytest.approx(0.5416667, rel=1e-6)
    assert loss(R_TRUE, R_PRED, sample_weight=f32([[2], [3]])).numpy().tolist() == \
        [[1.0], [8.25]]
    assert float(losses.MeanSquaredError()(R_TRUE, R_PRED, sample_weight=2.0)) == 3.25
    assert float(losses.MeanAbsoluteError()(f32([1, 2, 3]), f32([[1], [3], [5]]))) == 1.0


def test_zero_weights_divide_safely():
    loss = losses.MeanSquaredError(reduction="mean_with_sample_weight")
    assert float(loss(R_TRUE, R_PRED, sample_weight=[0.0, 0.0])) == 0.0
    assert float(losses.MeanSquaredError()(R_TRUE, R_PRED, sample_weight=[0.0, 0.0])) == 0.0
    assert losses.MeanSquaredError()(np.zeros((0, 2)), np.zeros((0, 2))).shape == (0,)


def test_masks_fold_into_the_weights():
    values = tf.constant([1.0, 2.0, 3.0, 4.0])
    mask = tf.constant([True, True, False, False])
    reduce = losses.reduce_weighted_values
    assert float(reduce(values, mask=mask)) == 1.5  # the mean over the kept entries
    assert float(reduce(values, mask=mask, reduction="mean")) == 1.5
    assert float(reduce(values, mask=mask, reduction="sum")) == 3.0
    assert float(reduce(values, mask=mask, reduction="mean_with_sample_weight")) == 1.5
    weights = [1.0, 3.0, 1.0, 1.0]
    assert float(reduce(values, sample_weight=weights, mask=mask)) == 3.5
    assert float(reduce(values, sample_weight=weights, mask=mask,
                        reduction="mean_with_sample_weight")) == 1.75
    assert float(reduce(values, mask=tf.zeros((4,), tf.bool))) == 0.0


# --- NumPy references in float64 ----------------------------------------------------------

EPS = 1e-7


def np_log_softmax(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def np_bce(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def np_cce(y, p, axis=-1):
    p = np.clip(p / p.sum(axis=axis, keepdims=True), EPS, 1 - EPS)
    return -(y * np.log(p)).sum(axis=axis)


def np_normalize(x, axis):
    return x / np.maximum(np.sqrt((x * x).sum(axis=axis, keepdims=True)), EPS)


def hinge_labels(y):
    return 2 * y - 1 if np.isin(y, [0, 1]).all() else y


def references(rng):
    """(name, eagerflow call, NumPy value) triples on random float64 inputs."""
    y, p = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    labels = rng.integers(0, 2, size=(4, 5)).astype(np.float64)
    probs = rng.uniform(0.01, 0.99, size=(4, 5))
    logits = rng.normal(size=(4, 5)) * 3
    onehot = np.eye(5)[rng.integers(0, 5, size=4)]
    dist = rng.dirichlet(np.ones(5), size=4)
    error = p - y
    smoothed = labels * 0.8 + 0.1
    focal_pt = labels * probs + (1 - labels) * (1 - probs)
    softmax = np.exp(np_log_softmax(logits))
    return [
        ("mse", losses.mean_squared_error(y, p), (error ** 2).mean(-1)),
        ("mae", losses.mean_absolute_error(y, p), np.abs(error).mean(-1)),
        ("mape", losses.mean_absolute_percentage_error(y, p),
         100 * np.abs(error / np.maximum(np.abs(y), EPS)).mean(-1)),
        ("msle", losses.mean_squared_logarithmic_error(probs, dist),
         ((np.log(np.maximum(dist, EPS) + 1) - np.log(np.maximum(probs, EPS) + 1)) ** 2)
         .mean(-1)),
        ("cosine", losses.cosine_similarity(y, p),
         -(np_normalize(y, -1) * np_normalize(p, -1)).sum(-1)),
        ("huber", losses.huber(y, p, delta=0.8),
         np.where(np.abs(error) <= 0.8, 0.5 * error ** 2, 0.8 * np.abs(error) - 0.32).mean(-1)),
        ("log_cosh", losses.log_cosh(y, p), np.log(np.cosh(error)).mean(-1)),
        ("kld", losses.kl_divergence(dist, probs),
         (np.clip(dist, EPS, 1) * np.log(np.clip(dist, EPS, 1) / np.clip(probs, EPS, 1)))
         .sum(-1)),
        ("poisson", losses.poisson(dist, probs), (probs - dist * np.log(probs + EPS)).mean(-1)),
        ("hinge", losses.hinge(labels, p),
         np.maximum(1 - hinge_labels(labels) * p, 0).mean(-1)),
        ("squared_hinge", losses.squared_hinge(labels, p),
         (np.maximum(1 - hinge_labels(labels) * p, 0) ** 2).mean(-1)),
        ("categorical_hinge", losses.categorical_hinge(onehot, p),
         np.maximum(((1 - onehot) * p).max(-1) - (onehot * p).sum(-1) + 1, 0)),
        ("bce", losses.binary_crossentropy(labels, probs), np_bce(labels, probs).mean(-1)),
        ("bce_logits", losses.binary_crossentropy(smoothed, logits, from_logits=True,
                                                  label_smoothing=0.0),
         (np.logaddexp(0, logits) - smoothed * logits).mean(-1)),
        ("bce_smoothing", losses.binary_crossentropy(labels, probs, label_smoothing=0.2),
         np_bce(smoothed, probs).mean(-1)),
        ("bfce", losses.binary_focal_crossentropy(labels, probs, apply_class_balancing=True,
                                                  alpha=0.4, gamma=1.5),
         ((labels * 0.4 + (1 - labels) * 0.6) * (1 - focal_pt) ** 1.5
          * np_bce(labels, probs)).mean(-1)),
        ("cce", losses.categorical_crossentropy(dist, probs), np_cce(dist, probs)),
        ("cce_logits", losses.categorical_crossentropy(dist, logits, from_logits=True),
         -(dist * np_log_softmax(logits)).sum(-1)),
        ("cce_smoothing", losses.categorical_crossentropy(onehot, probs, label_smoothing=0.25),
         np_cce(onehot * 0.75 + 0.05, probs)),
        ("cfce", losses.categorical_focal_crossentropy(onehot, logits, from_logits=True),
         (0.25 * (1 - np.clip(softmax, EPS, 1 - EPS)) ** 2 * -onehot
          * np.log(np.clip(softmax, EPS, 1 - EPS))).sum(-1)),
        ("scce", losses.sparse_categorical_crossentropy(onehot.argmax(-1), logits,
                                                        from_logits=True),
         -np_log_softmax(logits)[np.arange(4), onehot.argmax(-1)]),
        ("scce_probs", losses.sparse_categorical_crossentropy(onehot.argmax(-1), dist),
         -np_log_softmax(np.log(np.clip(dist, EPS, 1 - EPS)))[np.arange(4),
                                                                onehot.argmax(-1)]),
    ]


def test_functions_match_numpy_in_float64(rng):
    for name, result, expected in references(rng):
        assert result.dtype == tf.float64, name
        np.testing.assert_allclose(result.numpy(), expected, rtol=1e-10, atol=1e-12,
                                   err_msg=name)


FUNCTIONS = [losses.mean_squared_error, losses.mean_absolute_error,
             losses.mean_absolute_percentage_error, losses.mean_squared_logarithmic_error,
             losses.cosine_similarity, losses.huber, losses.log_cosh, losses.kl_divergence,
             losses.poisson, losses.hinge, losses.squared_hinge, losses.categorical_hinge,
             losses.binary_crossentropy, losses.binary_focal_crossentropy,
             losses.categorical_crossentropy, losses.categorical_focal_crossentropy]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_functions_keep_the_prediction_dtype(function):
    for dtype in (np.float32, np.float64):
        result = function(C_TRUE.astype(np.int32), C_PROB.astype(dtype))
        assert result.dtype == tf.as_dtype(dtype) and result.shape == (3,)
    assert function(C_TRUE.tolist(), C_PROB.tolist()).dtype == tf.float32
    assert function(tf.constant(C_TRUE), tf.Variable(C_PROB)).dtype == tf.float32


def test_sparse_labels_may_be_floats_or_columns():
    expected = losses.sparse_categorical_crossentropy(S_TRUE, C_PROB).numpy()
    np.testing.assert_array_equal(
        losses.sparse_categorical_crossentropy(S_TRUE.astype(np.float32), C_PROB).numpy(),
        expected)
    np.testing.assert_array_equal(
        losses.sparse_categorical_crossentropy(S_TRUE[:, None], C_PROB).numpy(), expected)
    np.testing.assert_array_equal(
        losses.sparse_categorical_crossentropy(S_TRUE.tolist(), C_PROB.tolist()).numpy(),
        expected)


def test_sparse_crossentropy_over_sequences(rng):
    logits = rng.normal(size=(2, 3, 4))
    labels = rng.integers(0, 4, size=(2, 3))
    result = losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    expected = -np.take_along_axis(np_log_softmax(logits), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-12)


def test_loss_classes_compute_in_their_dtype():
    # recorded from Keras 3.15: a float64 prediction is cast to the loss's float32
    assert losses.CategoricalCrossentropy()(C_TRUE, C_PROB.astype(np.float64)).dtype == \
        tf.float32
    loss = losses.BinaryCrossentropy(dtype="float64")
    assert loss.dtype == "float64" and loss(B_TRUE, B_PROB).dtype == tf.float64
    assert losses.MeanSquaredError().dtype == "float32"


# --- gradients ----------------------------------------------------------------------------

def probabilities(rng, shape):
    return rng.uniform(0.05, 0.95, shape)


@pytest.mark.parametrize("function", [
    lambda y, p: losses.binary_crossentropy(y, p),
    lambda y, p: losses.binary_crossentropy(y, p, label_smoothing=0.1),
    lambda y, p: losses.binary_focal_crossentropy(y, p, apply_class_balancing=True),
    lambda y, p: losses.categorical_crossentropy(y, p),
    lambda y, p: losses.categorical_crossentropy(y, p, label_smoothing=0.2),
    lambda y, p: losses.categorical_focal_crossentropy(y, p),
    lambda y, p: losses.kl_divergence(y, p),
    lambda y, p: losses.poisson(y, p),
])
def test_probability_loss_gradients(function, rng):
    y = probabilities(rng, (3, 4))
    check_gradients(lambda p: function(tf.constant(y), p), probabilities(rng, (3, 4)), order=1)


@pytest.mark.parametrize("function", [
    lambda y, x: losses.binary_crossentropy(y, x, from_logits=True),
    lambda y, x: losses.binary_focal_crossentropy(y, x, from_logits=True),
    lambda y, x: losses.categorical_crossentropy(y, x, from_logits=True),
    lambda y, x: losses.categorical_crossentropy(y, x, from_logits=True, axis=0),
    lambda y, x: losses.categorical_focal_crossentropy(y, x, from_logits=True),
])
def test_logit_loss_gradients(function, rng):
    # Gradients reach both the logits and the (soft) labels.
    check_gradients(function, probabilities(rng, (3, 4)), rng.normal(size=(3, 4)) * 2, order=1)


@pytest.mark.parametrize("from_logits", [True, False])
def test_sparse_crossentropy_gradients(from_logits, rng):
    labels = tf.constant([0, 3, 1])
    point = rng.normal(size=(3, 4)) if from_logits else probabilities(rng, (3, 4))
    check_gradients(lambda x: losses.sparse_categorical_crossentropy(
        labels, x, from_logits=from_logits), point, order=1)


@pytest.mark.parametrize("function", [losses.mean_squared_error, losses.mean_absolute_error,
                                      losses.mean_absolute_percentage_error, losses.huber,
                                      losses.log_cosh, losses.cosine_similarity, losses.hinge,
                                      losses.squared_hinge, losses.categorical_hinge])
def test_regression_loss_gradients(function, rng):
    y = rng.normal(size=(3, 4))
    check_gradients(lambda p: function(tf.constant(y), p), y + rng.uniform(0.3, 1.5, (3, 4)),
                    order=1)


def test_class_gradients_with_weights(rng):
    loss = losses.CategoricalCrossentropy(from_logits=True, dtype="float64")
    labels = tf.constant(np.eye(4)[[0, 2, 3]])
    check_gradients(lambda x: loss(labels, x, sample_weight=[1.0, 0.5, 2.0]),
                    rng.normal(size=(3, 4)), order=1)


def test_gradients_stay_finite_at_extreme_logits():
    logits = tf.constant([[-200.0, 0.0, 200.0]])
    labels = tf.constant([[0.0, 1.0, 0.0]])
    for function in (lambda: losses.binary_crossentropy(labels, logits, from_logits=True),
                     lambda: losses.categorical_crossentropy(labels, logits, from_logits=True),
                     lambda: losses.sparse_categorical_crossentropy([1], logits,
                                                                    from_logits=True)):
        with tf.GradientTape() as tape:
            tape.watch(logits)
            value = function()
        gradient = tape.gradient(value, logits)
        assert np.all(np.isfinite(value.numpy())) and np.all(np.isfinite(gradient.numpy()))


def test_zero_vectors_give_cosine_zero_with_a_finite_gradient():
    y_pred = tf.constant([[0.0, 0.0]])
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        value = losses.cosine_similarity([[1.0, 0.0]], y_pred)
    assert value.numpy().tolist() == [0.0]
    assert np.all(np.isfinite(tape.gradient(value, y_pred).numpy()))


# --- errors -------------------------------------------------------------------------------

def test_shape_errors():
    # messages recorded from Keras 3.15
    with pytest.raises(ValueError, match=r"Arguments `target` and `output` must have the same "
                                         r"shape. Received: target.shape=\(2, 3\), "
                                         r"output.shape=\(2, 4\)"):
        losses.binary_crossentropy(np.zeros((2, 3), np.float32), np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"must have the same rank \(ndim\). Received: "
                                         r"target.shape=\(2, 3\), output.shape=\(2, 3, 1\)"):
        losses.binary_crossentropy(np.zeros((2, 3), np.float32),
                                   np.zeros((2, 3, 1), np.float32))
    with pytest.raises(ValueError, match="must have the same shape"):
        losses.categorical_crossentropy(np.zeros((2, 3), np.float32),
                                        np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"must have the same shape up until the last "
                                         r"dimension: target.shape=\(3,\), "
                                         r"output.shape=\(2, 3\)"):
        losses.sparse_categorical_crossentropy(np.array([0, 1, 2]), np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"Argument `output` must have rank \(ndim\) "
                                         r"`target.ndim - 1`. Received: target.shape=\(2,\), "
                                         r"output.shape=\(2, 3, 4\)"):
        losses.sparse_categorical_crossentropy(np.array([0, 1]),
                                               np.ones((2, 3, 4), np.float32))


def test_argument_errors():
    with pytest.raises(ValueError, match="Only axis=-1 is currently supported. Received: "
                                         "axis=1"):
        losses.sparse_categorical_crossentropy(np.zeros((3,)), np.ones((3, 2, 4), np.float32),
                                               axis=1)
    with pytest.raises(ValueError, match="`axis` must be of type `int`. Received: axis=True"):
        losses.categorical_crossentropy(C_TRUE, C_PROB, axis=True)
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`. Expected one "
                                         "of .*Received: reduction=auto"):
        losses.Loss(reduction="auto")


@pytest.mark.parametrize("labels, bad, listed", [([0, 3], 3, "0 3"), ([0, -1], -1, "0 -1"),
                                                 ([-1, 5], -1, "-1 5")])
def test_out_of_range_labels(labels, bad, listed):
    with pytest.raises(InvalidArgumentError,
                       match=rf"Received a label value of {bad} which is outside the valid "
                             rf"range of \[0, 3\).  Label values: {listed}"):
        losses.sparse_categorical_crossentropy(np.array(labels), np.ones((2, 3), np.float32))


def test_single_class_categorical_warns():
    with pytest.warns(SyntaxWarning, match="expected y_pred.shape to be"):
        losses.categorical_crossentropy(np.ones((2, 1), np.float32),
                                        np.ones((2, 1), np.float32))


# --- classes: config, naming, base class -------------------------------------------------

CONFIGS = [  # recorded from Keras 3.15, with the exceptions noted
    (losses.MeanSquaredError(), {"name": "mean_squared_error",
                                 "reduction": "sum_over_batch_size"}),
    (losses.MeanAbsoluteError(), {"name": "mean_absolute_error",
                                  "reduction": "sum_over_batch_size"}),
    (losses.MeanAbsolutePercentageError(), {"name": "mean_absolute_percentage_error",
                                            "reduction": "sum_over_batch_size"}),
    (losses.MeanSquaredLogarithmicError(), {"name": "mean_squared_logarithmic_error",
                                            "reduction": "sum_over_batch_size"}),
    (losses.LogCosh(), {"name": "log_cosh", "reduction": "sum_over_batch_size"}),
    (losses.KLDivergence(), {"name": "kl_divergence", "reduction": "sum_over_batch_size"}),
    (losses.Poisson(), {"name": "poisson", "reduction": "sum_over_batch_size"}),
    (losses.Hinge(), {"name": "hinge", "reduction": "sum_over_batch_size"}),
    (losses.SquaredHinge(), {"name": "squared_hinge", "reduction": "sum_over_batch_size"}),
    (losses.CategoricalHinge(), {"name": "categorical_hinge",
                                 "reduction": "sum_over_batch_size"}),
    (losses.BinaryCrossentropy(from_logits=True, reduction="sum", name="x"),
     {"name": "x", "reduction": "sum", "from_logits": True, "label_smoothing": 0.0,
      "axis": -1}),
    (losses.BinaryFocalCrossentropy(), {
        "name": "binary_focal_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": False, "label_smoothing": 0.0, "axis": -1,
        "apply_class_balancing": False, "alpha": 0.25, "gamma": 2.0}),
    (losses.CategoricalCrossentropy(), {
        "name": "categorical_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": False, "label_smoothing": 0.0, "axis": -1}),
    (losses.CategoricalFocalCrossentropy(), {
        "name": "categorical_focal_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": False, "label_smoothing": 0.0, "axis": -1, "alpha": 0.25,
        "gamma": 2.0}),
    # Keras 3.15 leaves out `axis` here, and `delta` and `axis` in the two below (so its
    # round trips lose them); eagerflow keeps them.
    (losses.SparseCategoricalCrossentropy(), {
        "name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": False, "ignore_class": None, "axis": -1}),
    (losses.Huber(), {"name": "huber_loss", "reduction": "sum_over_batch_size",
                      "delta": 1.0}),
    (losses.CosineSimilarity(), {"name": "cosine_similarity",
                                 "reduction": "sum_over_batch_size", "axis": -1}),
]


@pytest.mark.parametrize("loss, config", CONFIGS, ids=lambda x: type(x).__name__)
def test_configs(loss, config):
    assert loss.get_config() == config


ROUND_TRIPS = [
    (losses.MeanSquaredError(reduction="sum"), R_TRUE, R_PRED),
    (losses.Huber(delta=0.3, name="h"), R_TRUE, R_PRED),
    (losses.CosineSimilarity(axis=0, reduction="none"), R_TRUE, R_PRED),
    (losses.LogCosh(), R_TRUE, R_PRED),
    (losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2), B_TRUE, B_LOGIT),
    (losses.BinaryFocalCrossentropy(True, 0.4, 1.0, from_logits=True), B_TRUE, B_LOGIT),
    (losses.CategoricalCrossentropy(label_smoothing=0.1, axis=0), C_TRUE, C_PROB),
    (losses.CategoricalFocalCrossentropy(alpha=0.5, gamma=3.0), C_TRUE, C_PROB),
    (losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0), S_TRUE, C_LOGIT),
    (losses.KLDivergence(reduction="mean_with_sample_weight"), P_TRUE, P_PRED),
    (losses.LossFunctionWrapper(losses.huber, reduction="sum", delta=0.2), R_TRUE, R_PRED),
]


@pytest.mark.parametrize("loss, y_true, y_pred", ROUND_TRIPS, ids=lambda x: type(x).__name__)
def test_config_round_trips(loss, y_true, y_pred):
    expected = loss(y_true, y_pred).numpy()
    restored = type(loss).from_config(loss.get_config())
    np.testing.assert_array_equal(restored(y_true, y_pred).numpy(), expected)
    assert restored.get_config() == loss.get_config()
    serialized = losses.serialize(loss)
    assert serialized["class_name"] == type(loss).__name__
    assert serialized["module"] == "keras.losses" and serialized["registered_name"] is None
    np.testing.assert_array_equal(losses.deserialize(serialized)(y_true, y_pred).numpy(),
                                  expected)


def test_wrapper_config_records_its_function():
    config = losses.LossFunctionWrapper(losses.huber, delta=0.2).get_config()
    assert config["fn"] == {"module": "builtins", "class_name": "function",
                            "config": "huber", "registered_name": "function"}
    assert config["delta"] == 0.2


def test_classes_expose_their_arguments():
    loss = losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4)
    assert (loss.apply_class_balancing, loss.alpha, loss.gamma, loss.from_logits) == \
        (True, 0.4, 2.0, False)
    assert losses.SparseCategoricalCrossentropy(ignore_class=3).ignore_class == 3
    assert losses.MeanSquaredError().reduction == "sum_over_batch_size"
    assert losses.Huber().name == "huber_loss"


def test_custom_loss_subclass():
    class MyAbsoluteLoss(losses.Loss):
        def call(self, y_true, y_pred):
            return tf.reduce_mean(tf.abs(y_pred - y_true), axis=-1)

    first, second = MyAbsoluteLoss(), MyAbsoluteLoss()
    assert first.name == "my_absolute_loss" and second.name == "my_absolute_loss_1"
    assert float(first(R_TRUE, R_PRED, sample_weight=[1.0, 0.0])) == pytest.approx(1 / 3)
    restored = MyAbsoluteLoss.from_config(first.get_config())
    assert restored.name == "my_absolute_loss"
    with pytest.raises(NotImplementedError):
        losses.Loss()(R_TRUE, R_PRED)


def test_legacy_reduction_names():
    assert losses.Reduction.all() == ("auto", "none", "sum", "sum_over_batch_size")
    losses.Reduction.validate("sum")
    with pytest.raises(ValueError, match="Invalid Reduction Key: x."):
        losses.Reduction.validate("x")


# --- lookup -------------------------------------------------------------------------------

def test_tf_keras_aliases():
    assert losses.mse is losses.MSE is losses.mean_squared_error
    assert losses.mae is losses.MAE is losses.mean_absolute_error
    assert losses.mape is losses.MAPE is losses.mean_absolute_percentage_error
    assert losses.msle is losses.MSLE is losses.mean_squared_logarithmic_error
    assert losses.kld is losses.KLD is losses.kl_divergence
    assert losses.kullback_leibler_divergence is losses.kl_divergence
    assert losses.logcosh is losses.log_cosh


@pytest.mark.parametrize("name, expected", [
    ("mse", losses.mean_squared_error), ("MSE", losses.mean_squared_error),
    ("mae", losses.mean_absolute_error), ("mape", losses.mean_absolute_percentage_error),
    ("msle", losses.mean_squared_logarithmic_error), ("kld", losses.kl_divergence),
    ("bce", losses.binary_crossentropy), ("BCE", losses.binary_crossentropy),
    ("categorical_crossentropy", losses.categorical_crossentropy),
    ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
    ("huber", losses.huber), ("log_cosh", losses.log_cosh),
])
def test_get_functions_by_name(name, expected):
    assert losses.get(name) is expected
    assert losses.deserialize(name) is expected


@pytest.mark.parametrize("name", ["MeanSquaredError", "CategoricalCrossentropy",
                                  "SparseCategoricalCrossentropy", "Huber", "KLDivergence",
                                  "BinaryFocalCrossentropy", "CosineSimilarity"])
def test_get_classes_by_name(name):
    assert type(losses.get(name)).__name__ == name
    assert type(losses.deserialize(name)).__name__ == name


def test_get_other_identifiers():
    assert losses.get(None) is None
    assert type(losses.get(losses.Huber)) is losses.Huber
    instance = losses.Huber(delta=2.0)
    assert losses.get(instance) is instance
    custom = lambda y_true, y_pred: y_pred  # noqa: E731
    assert losses.get(custom) is custom
    loss = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert loss.from_logits is True
    assert losses.get({"module": "builtins", "class_name": "function",
                       "config": "mean_squared_error",
                       "registered_name": "function"}) is losses.mean_squared_error


# "logcosh" and "kullback_leibler_divergence" are tf.keras attributes but, as in Keras 3.15,
# not names `get` knows.
@pytest.mark.parametrize("identifier", ["nope", "logcosh", "kullback_leibler_divergence", 3])
def test_get_rejects_unknown_identifiers(identifier):
    with pytest.raises(ValueError, match=f"Could not interpret loss identifier: {identifier}"):
        losses.get(identifier)


def test_serialize_functions_and_none():
    assert losses.serialize(losses.mse) == {"module": "builtins", "class_name": "function",
                                            "config": "mean_squared_error",
                                            "registered_name": "function"}
    assert losses.serialize(None) is None
    assert losses.deserialize(losses.serialize(losses.huber)) is losses.huber


def test_deserialize_custom_objects():
    class Doubled(losses.MeanSquaredError):
        pass

    config = losses.serialize(Doubled())
    assert config["class_name"] == "Doubled" and config["registered_name"] == "Doubled"
    assert type(losses.deserialize(config, custom_objects={"Doubled": Doubled})) is Doubled
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.deserialize(config)


# --- cross-entropies of Keras softmax/sigmoid outputs use the logits behind them ----------
# Values recorded from TensorFlow 2.21 / Keras 3.15: the clipped probability path would
# give 16.118095 (-log(1e-7)) and zero gradients where these give 30 and the logit ones.

CONFIDENT = [[30.0, 0.0, -5.0], [1.0, 2.0, 3.0]]


def test_softmax_and_sigmoid_outputs_keep_their_logits():
    from eagerflow.keras import activations
    x = tf.constant(CONFIDENT)
    assert activations.softmax(x)._keras_logits is x
    assert activations.sigmoid(x)._keras_logits is x
    assert not hasattr(tf.nn.softmax(x), "_keras_logits")
    layer_output = tf.keras.layers.Dense(3, activation="softmax")(x)
    assert hasattr(layer_output, "_keras_logits")
    assert hasattr(tf.keras.layers.Softmax()(x), "_keras_logits")


def test_crossentropies_of_keras_activations_compute_from_logits():
    from eagerflow.keras import activations
    x, labels = tf.constant(CONFIDENT), tf.constant([1, 2])
    np.testing.assert_allclose(
        losses.sparse_categorical_crossentropy(labels, activations.softmax(x)),
        [30.0, 0.40760595], rtol=1e-6)
    np.testing.assert_allclose(
        losses.categorical_crossentropy(tf.one_hot(labels, 3), activations.softmax(x)),
        [30.0, 0.40760595], rtol=1e-6)
    np.testing.assert_allclose(
        losses.binary_crossentropy([[0.0], [1.0]], activations.sigmoid(x[:, :1])),
        [30.0, 0.3132617], rtol=1e-6)
    # A softmax of tf.nn, run eagerly, is only probabilities: clipped as before.
    np.testing.assert_allclose(
        losses.sparse_categorical_crossentropy(labels, tf.nn.softmax(x)),
        [16.118095, 0.40760604], rtol=1e-6)
    metric = tf.keras.metrics.SparseCategoricalCrossentropy()
    np.testing.assert_allclose(metric(labels, activations.softmax(x)), 15.203803, rtol=1e-6)


def test_gradients_through_keras_activations_are_the_logit_ones():
    from eagerflow.keras import activations
    x = tf.constant(CONFIDENT[:1])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        categorical = losses.categorical_crossentropy([[0.0, 1.0, 0.0]], activations.softmax(x))
        binary = losses.binary_crossentropy([[0.0, 1.0, 0.0]], activations.sigmoid(x))
    np.testing.assert_allclose(tape.gradient(categorical, x), [[1.0, -1.0, 6.305117e-16]],
                               rtol=1e-5)
    np.testing.assert_allclose(tape.gradient(binary, x), [[0.33333334, -0.16666667,
                                                           0.00223095]], rtol=1e-5)
    check_gradients(lambda z: losses.sparse_categorical_crossentropy(
        [2, 0], activations.softmax(z)), np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -1.0]]),
        order=1)


def test_inside_tf_function_a_softmax_op_gives_its_input():
    x, labels = tf.constant(CONFIDENT), tf.constant([1, 2])
    sparse = tf.function(lambda z: losses.sparse_categorical_crossentropy(
        labels, tf.nn.softmax(z)))
    binary = tf.function(lambda z: losses.binary_crossentropy(
        tf.constant([[0.0], [1.0]]), tf.sigmoid(z[:, :1])))
    np.testing.assert_allclose(sparse(x), [30.0, 0.40760595], rtol=1e-6)
    np.testing.assert_allclose(binary(x), [30.0, 0.3132617], rtol=1e-6)
    # A softmax along another axis is not the last-axis Softmax op TensorFlow looks for.
    across = tf.function(lambda z: losses.categorical_crossentropy(
        tf.one_hot(labels, 3), tf.nn.softmax(z, axis=0)))
    np.testing.assert_allclose(across(x), [2.2398443, 0.63185275], rtol=1e-6)


def test_from_logits_on_a_softmax_output_warns_and_uses_the_logits():
    from eagerflow.keras import activations
    x = tf.constant(CONFIDENT)
    with pytest.warns(UserWarning, match=r'^"`sparse_categorical_crossentropy` received '
                      r"`from_logits=True`, but the `output` argument was produced by a "
                      r"Softmax activation and thus does not represent logits\. Was this "
                      r"intended\?$"):
        loss = losses.sparse_categorical_crossentropy([1, 2], activations.softmax(x),
                                                      from_logits=True)
    np.testing.assert_allclose(loss, [30.0, 0.40760595], rtol=1e-6)


def test_fit_trains_on_the_logits_of_a_softmax_or_sigmoid_output():
    keras = tf.keras
    xs = np.array([[3.0, 1.0], [0.0, 2.0], [-2.0, 0.0]], np.float32)
    softmax = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
    softmax.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(0.1))
    softmax.set_weights([np.array([[10.0, 0.0, -10.0], [5.0, -5.0, 0.0]], np.float32),
                         np.zeros(3, np.float32)])
    assert softmax.evaluate(xs, np.array([2, 1, 0]), verbose=0) == pytest.approx(41.666683)
    softmax.fit(xs, np.array([2, 1, 0]), batch_size=3, verbose=0, shuffle=False)
    kernel, bias = softmax.get_weights()
    np.testing.assert_allclose(kernel, [[9.833333, 0.0, -9.833333],
                                        [4.900003, -4.933333, 0.03333031]], atol=1e-6)
    np.testing.assert_allclose(bias, [-0.03333182, 0.03333334, -1.513958e-06], atol=1e-6)
    sigmoid = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    sigmoid.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(0.1))
    sigmoid.set_weights([np.array([[10.0], [5.0]], np.float32), np.zeros(1, np.float32)])
    targets = np.array([0.0, 1.0, 1.0], np.float32)
    assert sigmoid.evaluate(xs, targets, verbose=0) == pytest.approx(18.333349)
    sigmoid.fit(xs, targets, batch_size=3, verbose=0, shuffle=False)
    np.testing.assert_allclose(sigmoid.get_weights()[0], [[9.833333], [4.96667]], atol=1e-5)
