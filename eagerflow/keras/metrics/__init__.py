"""Keras metrics (`keras.metrics`): stateful `Metric` objects that accumulate over batches,
the plain functions behind them, and `get` / `serialize` / `deserialize`."""

import inspect

from eagerflow.keras import serialization_lib
from eagerflow.keras.losses import (  # noqa: F401 - Keras exports these here too
    binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, categorical_hinge, hinge, huber, kl_divergence, log_cosh,
    mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
    mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy, squared_hinge)
from eagerflow.keras.metrics.metric import Metric
from eagerflow.keras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from eagerflow.keras.metrics.accuracy_metrics import (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, binary_accuracy,
    categorical_accuracy, sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy)
from eagerflow.keras.metrics.confusion_metrics import (
    AUC, FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall,
    RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives,
    TruePositives)
from eagerflow.keras.metrics.regression_metrics import (
    CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredError, MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError,
    ConcordanceCorrelation, PearsonCorrelation, concordance_correlation,
    pearson_correlation)
from eagerflow.keras.metrics.probabilistic_metrics import (
    BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
    SparseCategoricalCrossentropy)
from eagerflow.keras.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from eagerflow.keras.metrics.f_score_metrics import F1Score, FBetaScore
from eagerflow.keras.metrics.iou_metrics import (
    BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU)

_CLASSES = (
    Metric, Mean, Sum, MeanMetricWrapper,
    MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, R2Score,
    AUC, FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall,
    RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives,
    TruePositives,
    Hinge, SquaredHinge, CategoricalHinge,
    KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    FBetaScore, F1Score, PearsonCorrelation, ConcordanceCorrelation,
    IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU)

# What `get` accepts as a string, as Keras 3: each class by its name and its snake-cased
# name, plus a few abbreviations. Every string gives a new Metric instance.
_BY_NAME = serialization_lib.names(_CLASSES)
_BY_NAME.update(bce=BinaryCrossentropy, BCE=BinaryCrossentropy, mse=MeanSquaredError,
                MSE=MeanSquaredError, mae=MeanAbsoluteError, MAE=MeanAbsoluteError,
                mape=MeanAbsolutePercentageError, MAPE=MeanAbsolutePercentageError,
                msle=MeanSquaredLogarithmicError, MSLE=MeanSquaredLogarithmicError)

# The plain functions a serialized `{"class_name": "function"}` may name.
_FUNCTIONS = {fn.__name__: fn for fn in (
    binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, binary_crossentropy,
    binary_focal_crossentropy, categorical_crossentropy, categorical_focal_crossentropy,
    categorical_hinge, hinge, huber, kl_divergence, log_cosh, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error,
    poisson, sparse_categorical_crossentropy, squared_hinge, pearson_correlation,
    concordance_correlation)}


def serialize(metric):
    """Returns the config dict of a `Metric` (or of a metric function) in Keras's format.

    >>> from eagerflow.keras import metrics
    >>> metrics.serialize(metrics.Mean())
    {'module': 'keras.metrics', 'class_name': 'Mean', 'config': {'name': 'mean', 'dtype': 'float32'}, 'registered_name': None}
    """  # noqa: E501
    if metric is None:
        return None
    return serialization_lib.serialize_object(metric, "keras.metrics", _BY_NAME, functions=True)


def deserialize(config, custom_objects=None):
    """Returns the metric described by `config`: a name, or a dict from `serialize`.

    >>> from eagerflow.keras import metrics
    >>> metrics.deserialize({"class_name": "Mean", "config": {"name": "m"}}).name
    'm'

    Raises:
      ValueError: for a name that names no metric.
    """
    custom_objects = custom_objects or {}
    if isinstance(config, dict):
        name, arguments = config.get("class_name"), config.get("config")
        if name == "function":
            found = (serialization_lib.find_custom_object(config, custom_objects)
                     or _FUNCTIONS.get(arguments))
            if found is None:
                raise ValueError(f"Could not interpret metric function identifier: {config}")
            return found
        cls = serialization_lib.find_custom_object(config, custom_objects) or _BY_NAME.get(name)
        if cls is None:
            raise ValueError(f"Could not interpret metric identifier: {config}")
        return cls.from_config(arguments or {})
    if isinstance(config, str):
        found = custom_objects.get(config) or _BY_NAME.get(config) or _FUNCTIONS.get(config)
        if found is not None:
            return found() if inspect.isclass(found) else found
    raise ValueError(f"Could not interpret metric identifier: {config}")


def get(identifier):
    """Returns a metric for `identifier`: a class name or its snake-cased form ("AUC",
    "binary_accuracy", "mse", …: a new instance), a config dict, a `Metric` class
    (instantiated), or a metric or function (returned as is); None gives None.

    Strings give `Metric` instances, as in Keras 3; choosing among Binary/Categorical/
    SparseCategoricalAccuracy for "accuracy" in `compile` is the trainer's job ("accuracy"
    alone gives `Accuracy`).

    >>> from eagerflow.keras import metrics
    >>> metrics.get("mse").name
    'mean_squared_error'

    Raises:
      ValueError: for an unknown name or a value that is not callable.
    """
    return serialization_lib.get_object(identifier, _BY_NAME, deserialize, "metric")
