"""Tests for keras.metrics: the Metric base, Mean / Sum / MeanMetricWrapper, and get /
serialize / deserialize / configs across every metric."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import backend, metrics
from tests.keras.metric_checks import check_row

# (id, class, constructor kwargs, [(update args, update kwargs)], result)
# recorded from Keras 3.15 (TF 2.21), every input as a float32 array.
KERAS_CASES = [
    ("mean_plain", "Mean", {}, [(([1, 3, 5, 7],), {})], 4.0),
    ("mean_two_updates", "Mean", {}, [(([1, 3, 5, 7],), {}), ((10.0,), {})], 5.199999809265137),
    ("mean_weighted", "Mean", {}, [(([1, 3, 5, 7],), {"sample_weight": [1, 0, 0, 1]})], 4.0),
    ("mean_2d_rowweights", "Mean", {}, [(([[1, 2], [3, 4]],), {"sample_weight": [1, 0]})], 1.5),
    ("mean_2d_fullweights", "Mean", {},
     [(([[1, 2], [3, 5]],), {"sample_weight": [[1, 1], [0, 1]]})], 2.6666667461395264),
    ("mean_2d_colweights", "Mean", {},
     [(([[1, 2, 3], [4, 5, 6]],), {"sample_weight": [[2], [1]]})], 3.0),
    ("mean_scalar_weight", "Mean", {},
     [(([1, 2, 6],), {"sample_weight": 2.0}), (([10, 20],), {})], 9.0),
    ("mean_3d_rowweights", "Mean", {},
     [(([[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [[6.0, 7.0], [8.0, 9.0], [10.0, 11.0]]],),
       {"sample_weight": [0.5, 2.0]})],
     7.300000190734863),
    ("mean_2d_weight_rank1_last", "Mean", {},
     [(([[1, 2], [3, 4]],), {"sample_weight": [[1, 0], [1, 1]]}),
      (([5, 6],), {"sample_weight": [3, 1]})],
     4.545454502105713),
    ("sum_plain", "Sum", {}, [(([1, 3, 5, 7],), {}), ((2.5,), {})], 18.5),
    ("sum_weighted", "Sum", {}, [(([1, 3, 5, 7],), {"sample_weight": [1, 0, 0, 1]})], 8.0),
    ("sum_2d_rowweights", "Sum", {}, [(([[1, 2], [3, 4]],), {"sample_weight": [1, 0.5]})], 6.5),
    ("mean_empty_batch", "Mean", {}, [(([],), {})], 0.0),
]


@pytest.mark.parametrize("class_name, kwargs, updates, expected",
                         [pytest.param(*row[1:], id=row[0]) for row in KERAS_CASES])
def test_reduction_metrics_match_keras(class_name, kwargs, updates, expected):
    check_row(class_name, kwargs, updates, expected)


@pytest.mark.parametrize("values_shape, weights_shape", [
    ((6,), (6,)), ((4, 3), (4,)), ((4, 3), (4, 1)), ((4, 3), (4, 3)), ((2, 3, 2), (2,))])
def test_mean_is_weighted_sum_over_weight_sum(values_shape, weights_shape, rng):
    values = rng.standard_normal(values_shape).astype("float32")
    weights = rng.random(weights_shape).astype("float32")
    m = metrics.Mean()
    m.update_state(values, sample_weight=weights)
    # Per-sample means weighted by per-sample mean weights, as Keras reduces them.
    sample_values = (values * weights.reshape(weights_shape + (1,) * (
        len(values_shape) - len(weights_shape)))).reshape(values_shape[0], -1).mean(1)
    sample_weights = weights.reshape(weights_shape[0], -1).mean(1)
    np.testing.assert_allclose(float(m.result()), sample_values.sum() / sample_weights.sum(),
                               rtol=1e-5)


def test_mean_accumulates_over_updates_and_resets():
    m = metrics.Mean()
    assert float(m.result()) == 0.0  # nothing seen: 0, not nan
    m.update_state([1.0, 2.0])
    m.update_state(tf.constant([[3.0], [6.0]]))
    assert float(m.result()) == 3.0
    assert [float(v) for v in m.variables] == [12.0, 4.0]
    m.reset_state()
    assert [float(v) for v in m.variables] == [0.0, 0.0]
    m.update_state([5.0])
    assert float(m.result()) == 5.0


def test_sum_accumulates_and_resets():
    m = metrics.Sum()
    m.update_state([1, 2, 3])
    m.update_state(np.array([[1.0, 1.0]]), sample_weight=[2.0])
    assert float(m.result()) == 10.0
    m.reset_state()
    assert float(m.result()) == 0.0


def test_call_updates_then_returns_the_result():
    m = metrics.Mean()
    assert float(m([1.0, 3.0])) == 2.0
    assert float(m([8.0])) == 4.0


def test_results_are_float32_tensors_and_follow_dtype():
    m = metrics.Mean()
    result = m([1, 2])  # integer values are cast to the metric's dtype
    assert isinstance(result, tf.Tensor) and result.dtype == tf.float32
    m64 = metrics.Mean(dtype="float64")
    assert m64.dtype == "float64"
    assert m64([1.0, 2.0]).dtype == tf.float64
    assert metrics.Sum(dtype=tf.float64).dtype == "float64"


def test_variables_are_non_trainable_and_named_under_the_metric():
    m = metrics.Mean(name="loss_tracker")
    assert [v.name for v in m.variables] == ["total", "count"]
    assert [v.path for v in m.variables] == ["loss_tracker/total", "loss_tracker/count"]
    assert not any(v.trainable for v in m.variables)
    assert all(v.dtype == tf.float32 and v.shape == () for v in m.variables)


def test_mean_metric_wrapper_passes_kwargs_and_names_itself():
    backend.clear_session()

    def within(y_true, y_pred, tolerance=0.1):
        return tf.cast(tf.abs(tf.constant(y_true) - tf.constant(y_pred)) <= tolerance,
                       tf.float32)

    m = metrics.MeanMetricWrapper(within, tolerance=0.5)
    assert m.name == "mean_metric_wrapper"
    assert metrics.MeanMetricWrapper(within).name == "mean_metric_wrapper_1"
    m.update_state([1.0, 2.0, 3.0], [1.2, 2.9, 3.4], sample_weight=[1.0, 1.0, 2.0])
    assert float(m.result()) == 0.75
    assert m.get_config()["tolerance"] == 0.5


def test_mean_metric_wrapper_config_round_trip():
    m = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="ba", threshold=0.7)
    config = m.get_config()
    # recorded from Keras 3.15 (with name="ba")
    assert config == {"name": "ba", "dtype": "float32",
                      "fn": {"module": "builtins", "class_name": "function",
                             "config": "binary_accuracy", "registered_name": "function"},
                      "threshold": 0.7}
    clone = metrics.MeanMetricWrapper.from_config(config)
    assert clone._fn is metrics.binary_accuracy and clone.get_config() == config
    assert float(clone([1, 1, 0], [0.8, 0.6, 0.1])) == pytest.approx(2 / 3)


def test_subclass_with_child_metric_and_add_weight():
    class MeanAndCount(metrics.Metric):
        def __init__(self, name="mean_and_count"):
            super().__init__(name=name)
            self.mean = metrics.Mean(name="inner")
            self.seen = self.add_weight(shape=(), name="seen")

        def update_state(self, values):
            self.mean.update_state(values)
            self.seen.assign_add(tf.cast(tf.size(values), tf.float32))

        def result(self):
            return self.mean.result() * self.seen

    m = MeanAndCount()
    assert [v.name for v in m.variables] == ["seen", "total", "count"]
    assert float(m([1.0, 2.0, 3.0])) == 6.0
    m.reset_state()
    assert all(float(v) == 0.0 for v in m.variables)


def test_subclass_must_call_super_init():
    class Broken(metrics.Metric):
        def __init__(self):
            self.total = self.add_variable(shape=(), initializer="zeros")

    with pytest.raises(RuntimeError, match="forgot to call `super"):
        Broken()


def test_base_update_and_result_are_abstract():
    m = metrics.Metric(name="m")
    with pytest.raises(NotImplementedError):
        m.update_state(1.0)
    with pytest.raises(NotImplementedError):
        m.result()


def test_repr_and_default_names():
    backend.clear_session()
    assert repr(metrics.Mean()) == "<Mean name=mean>"
    assert [metrics.Precision().name for _ in range(2)] == ["precision", "precision_1"]
    assert metrics.AUC().name == "auc"
    assert metrics.Mean(name="x/y").name == "x/y"


# (class, kwargs, get_config(), variable names) recorded from Keras 3.15
# (after clearing the name counters).
KERAS_CONFIGS = [
    ("Mean", {}, {"name": "mean", "dtype": "float32"}, ["total", "count"]),
    ("Sum", {}, {"name": "sum", "dtype": "float32"}, ["total"]),
    ("Accuracy", {}, {"name": "accuracy", "dtype": "float32"}, ["total", "count"]),
    ("BinaryAccuracy", {"threshold": 0.7},
     {"name": "binary_accuracy", "dtype": "float32", "threshold": 0.7}, ["total", "count"]),
    ("CategoricalAccuracy", {}, {"name": "categorical_accuracy", "dtype": "float32"},
     ["total", "count"]),
    ("SparseCategoricalAccuracy", {},
     {"name": "sparse_categorical_accuracy", "dtype": "float32"}, ["total", "count"]),
    ("TopKCategoricalAccuracy", {"k": 3},
     {"name": "top_k_categorical_accuracy", "dtype": "float32", "k": 3}, ["total", "count"]),
    ("SparseTopKCategoricalAccuracy", {},
     {"name": "sparse_top_k_categorical_accuracy", "dtype": "float32", "k": 5},
     ["total", "count"]),
    ("SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True},
     {"name": "sparse_top_k_categorical_accuracy",
      "dtype": "float32",
      "k": 2,
      "from_sorted_ids": True},
     ["total", "count"]),
    ("TruePositives", {}, {"name": "true_positives", "dtype": "float32", "thresholds": None},
     ["accumulator"]),
    ("FalseNegatives", {"thresholds": [0.2, 0.6]},
     {"name": "false_negatives", "dtype": "float32", "thresholds": [0.2, 0.6]},
     ["accumulator"]),
    ("Precision", {"top_k": 2, "class_id": 1},
     {"name": "precision", "dtype": "float32", "thresholds": None, "top_k": 2, "class_id": 1},
     ["true_positives", "false_positives"]),
    ("Recall", {"thresholds": 0.3},
     {"name": "recall", "dtype": "float32", "thresholds": 0.3, "top_k": None, "class_id": None},
     ["true_positives", "false_negatives"]),
    ("AUC", {},
     {"name": "auc",
      "dtype": "float32",
      "num_thresholds": 200,
      "curve": "ROC",
      "summation_method": "interpolation",
      "multi_label": False,
      "num_labels": None,
      "label_weights": None,
      "from_logits": False},
     ["true_positives", "false_positives", "true_negatives", "false_negatives"]),
    ("AUC",
     {"thresholds": [0.2, 0.5],
      "curve": "PR",
      "summation_method": "minoring",
      "multi_label": True,
      "num_labels": 3,
      "label_weights": [1, 2, 3],
      "from_logits": True},
     {"name": "auc_1",
      "dtype": "float32",
      "num_thresholds": 4,
      "curve": "PR",
      "summation_method": "minoring",
      "multi_label": True,
      "num_labels": 3,
      "label_weights": [1.0, 2.0, 3.0],
      "from_logits": True,
      "thresholds": [0.2, 0.5]},
     ["true_positives", "false_positives", "true_negatives", "false_negatives"]),
    ("SensitivityAtSpecificity", {"specificity": 0.4},
     {"name": "sensitivity_at_specificity",
      "dtype": "float32",
      "class_id": None,
      "num_thresholds": 200,
      "specificity": 0.4},
     ["true_positives", "false_positives", "true_negatives", "false_negatives"]),
    ("SpecificityAtSensitivity", {"sensitivity": 0.6, "num_thresholds": 10, "class_id": 2},
     {"name": "specificity_at_sensitivity",
      "dtype": "float32",
      "class_id": 2,
      "num_thresholds": 10,
      "sensitivity": 0.6},
     ["true_positives", "false_positives", "true_negatives", "false_negatives"]),
    ("PrecisionAtRecall", {"recall": 0.3},
     {"name": "precision_at_recall",
      "dtype": "float32",
      "class_id": None,
      "num_thresholds": 200,
      "recall": 0.3},
     ["true_positives", "false_positives", "true_negatives", "false_negatives"]),
    ("RecallAtPrecision", {"precision": 0.9},
     {"name": "recall_at_precision",
      "dtype": "float32",
      "class_id": None,
      "num_thresholds": 200,
      "precision": 0.9},
     ["true_positives", "false_positives", "true_negatives", "false_negatives"]),
    ("MeanSquaredError", {}, {"name": "mean_squared_error", "dtype": "float32"},
     ["total", "count"]),
    ("MeanAbsoluteError", {}, {"name": "mean_absolute_error", "dtype": "float32"},
     ["total", "count"]),
    ("MeanAbsolutePercentageError", {},
     {"name": "mean_absolute_percentage_error", "dtype": "float32"}, ["total", "count"]),
    ("MeanSquaredLogarithmicError", {},
     {"name": "mean_squared_logarithmic_error", "dtype": "float32"}, ["total", "count"]),
    ("RootMeanSquaredError", {}, {"name": "root_mean_squared_error", "dtype": "float32"},
     ["total", "count"]),
    ("CosineSimilarity", {"axis": 1}, {"name": "cosine_similarity", "dtype": "float32"},
     ["total", "count"]),
    ("LogCoshError", {}, {"name": "logcosh", "dtype": "float32"}, ["total", "count"]),
    ("R2Score", {"num_regressors": 1},
     {"name": "r2_score",
      "dtype": "float32",
      "class_aggregation": "uniform_average",
      "num_regressors": 1},
     ["num_samples"]),
    ("BinaryCrossentropy", {"from_logits": True},
     {"name": "binary_crossentropy",
      "dtype": "float32",
      "from_logits": True,
      "label_smoothing": 0},
     ["total", "count"]),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1},
     {"name": "categorical_crossentropy",
      "dtype": "float32",
      "from_logits": False,
      "label_smoothing": 0.1,
      "axis": -1},
     ["total", "count"]),
    ("SparseCategoricalCrossentropy", {"ignore_class": 0},
     {"name": "sparse_categorical_crossentropy",
      "dtype": "float32",
      "from_logits": False,
      "ignore_class": 0,
      "axis": -1},
     ["total", "count"]),
    ("KLDivergence", {}, {"name": "kl_divergence", "dtype": "float32"}, ["total", "count"]),
    ("Poisson", {}, {"name": "poisson", "dtype": "float32"}, ["total", "count"]),
    ("Hinge", {}, {"name": "hinge", "dtype": "float32"}, ["total", "count"]),
    ("SquaredHinge", {}, {"name": "squared_hinge", "dtype": "float32"}, ["total", "count"]),
    ("CategoricalHinge", {}, {"name": "categorical_hinge", "dtype": "float32"},
     ["total", "count"]),
]


@pytest.mark.parametrize("class_name, kwargs, config, variable_names", KERAS_CONFIGS,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(KERAS_CONFIGS)])
def test_configs_match_keras_and_round_trip(class_name, kwargs, config, variable_names):
    cls = getattr(metrics, class_name)
    m = cls(**{**kwargs, "name": config["name"]})
    assert m.get_config() == config
    assert [v.name for v in m.variables] == variable_names
    assert cls.from_config(m.get_config()).get_config() == config
    restored = metrics.deserialize(metrics.serialize(m))
    assert type(restored) is cls and restored.get_config() == config


def test_serialize_format():
    # recorded from Keras 3.15
    assert metrics.serialize(metrics.Mean()) == {
        "module": "keras.metrics", "class_name": "Mean",
        "config": {"name": "mean", "dtype": "float32"}, "registered_name": None}
    assert metrics.serialize(metrics.binary_accuracy) == {
        "module": "builtins", "class_name": "function", "config": "binary_accuracy",
        "registered_name": "function"}
    assert metrics.serialize(None) is None
    assert metrics.deserialize(metrics.serialize(metrics.hinge)) is metrics.hinge


def test_deserialize_names_and_custom_objects():
    assert isinstance(metrics.deserialize("binary_accuracy"), metrics.BinaryAccuracy)
    assert metrics.deserialize("log_cosh") is metrics.log_cosh

    class Custom(metrics.Mean):
        pass

    restored = metrics.deserialize(metrics.serialize(Custom(name="c")),
                                   custom_objects={"Custom": Custom})
    assert type(restored) is Custom and restored.name == "c"
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.deserialize({"class_name": "Nope", "config": {}})


# identifier -> (class, name) of what `keras.metrics.get` returns, recorded from Keras 3.15
# (after clearing the name counters).
KERAS_GET = [
    ("accuracy", "Accuracy", "accuracy"),
    ("mse", "MeanSquaredError", "mean_squared_error"),
    ("MSE", "MeanSquaredError", "mean_squared_error"),
    ("mae", "MeanAbsoluteError", "mean_absolute_error"),
    ("mape", "MeanAbsolutePercentageError", "mean_absolute_percentage_error"),
    ("msle", "MeanSquaredLogarithmicError", "mean_squared_logarithmic_error"),
    ("bce", "BinaryCrossentropy", "binary_crossentropy"),
    ("binary_accuracy", "BinaryAccuracy", "binary_accuracy"),
    ("categorical_accuracy", "CategoricalAccuracy", "categorical_accuracy"),
    ("sparse_categorical_accuracy", "SparseCategoricalAccuracy",
     "sparse_categorical_accuracy"),
    ("top_k_categorical_accuracy", "TopKCategoricalAccuracy", "top_k_categorical_accuracy"),
    ("sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy",
     "sparse_top_k_categorical_accuracy"),
    ("AUC", "AUC", "auc"),
    ("precision", "Precision", "precision"),
    ("recall", "Recall", "recall"),
    ("true_positives", "TruePositives", "true_positives"),
    ("categorical_crossentropy", "CategoricalCrossentropy", "categorical_crossentropy"),
    ("mean_squared_error", "MeanSquaredError", "mean_squared_error"),
    ("Mean", "Mean", "mean"),
    ("log_cosh_error", "LogCoshError", "logcosh"),
    ("kl_divergence", "KLDivergence", "kl_divergence"),
    ("root_mean_squared_error", "RootMeanSquaredError", "root_mean_squared_error"),
    ("r2_score", "R2Score", "r2_score"),
    ("cosine_similarity", "CosineSimilarity", "cosine_similarity"),
    ("hinge", "Hinge", "hinge"),
    ("poisson", "Poisson", "poisson"),
]


@pytest.mark.parametrize("identifier, class_name, name", KERAS_GET)
def test_get_resolves_strings_to_new_instances(identifier, class_name, name):
    backend.clear_session()
    metric = metrics.get(identifier)
    assert type(metric) is getattr(metrics, class_name) and metric.name == name
    assert metrics.get(identifier) is not metric


@pytest.mark.parametrize("identifier", ["acc", "crossentropy", "logcosh", "kld", "log_cosh",
                                        "huber", 5])
def test_get_rejects_what_keras_rejects(identifier):
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get(identifier)


def test_get_passes_objects_through():
    m = metrics.Mean()
    assert metrics.get(None) is None
    assert metrics.get(m) is m
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert isinstance(metrics.get(metrics.AUC), metrics.AUC)
    from_dict = metrics.get({"class_name": "CategoricalCrossentropy",
                             "config": {"from_logits": True}})
    assert isinstance(from_dict, metrics.CategoricalCrossentropy) and from_dict.from_logits


def test_public_names():
    names = ["Metric", "Mean", "Sum", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy",
             "CategoricalAccuracy", "SparseCategoricalAccuracy", "TopKCategoricalAccuracy",
             "SparseTopKCategoricalAccuracy", "TruePositives", "TrueNegatives",
             "FalsePositives", "FalseNegatives", "Precision", "Recall", "AUC",
             "PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity",
             "SpecificityAtSensitivity", "MeanSquaredError", "MeanAbsoluteError",
             "RootMeanSquaredError", "MeanAbsolutePercentageError",
             "MeanSquaredLogarithmicError", "CosineSimilarity", "LogCoshError", "R2Score",
             "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
             "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge",
             "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
             "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
             "binary_crossentropy", "categorical_crossentropy",
             "sparse_categorical_crossentropy", "mean_squared_error", "mean_absolute_error",
             "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "hinge",
             "squared_hinge", "categorical_hinge", "kl_divergence", "poisson", "log_cosh",
             "huber", "get", "serialize", "deserialize"]
    missing = [name for name in names if not hasattr(metrics, name)]
    assert not missing
