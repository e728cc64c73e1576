"""Parity fixes from a sweep of losses, metrics, optimizers, schedules and initializers
against Keras 3.15 (TF 2.21): FBetaScore / F1Score, and R2Score with a non-float32 dtype.
Expected values are recorded from Keras 3.15."""

import numpy as np
import pytest

from eagerflow.keras import metrics

Y_TRUE = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 1], [1, 0, 0]], "float32")
Y_PRED = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4], [0.1, 0.5, 0.5],
                   [0.3, 0.4, 0.3]], "float32")
Y_PRED_2 = np.array([[0.2, 0.7, 0.6], [0.6, 0.3, 0.1], [0.3, 0.8, 0.4], [0.1, 0.5, 0.9],
                     [0.3, 0.4, 0.3]], "float32")
SAMPLE_WEIGHT = np.array([1.0, 2.0, 0.5, 1.0, 3.0], "float32")

# (average, threshold, beta) -> result after a weighted update with Y_PRED_2 and an
# unweighted one with the first two rows of Y_PRED; recorded from Keras 3.15.
FBETA_CASES = [
    (None, None, 1.0, [0.6666666269302368, 0.47058820724487305, 0.7999998927116394]),
    (None, None, 0.5, [0.8333331942558289, 0.3999999463558197, 0.9090906977653503]),
    (None, 0.45, 1.0, [0.6666666269302368, 0.923076868057251, 0.5714284777641296]),
    (None, 0.45, 0.5, [0.8333331942558289, 0.8823528289794922, 0.5263156890869141]),
    ("micro", None, 1.0, 0.5999999642372131),
    ("micro", None, 0.5, 0.6185566186904907),
    ("micro", 0.45, 1.0, 0.7368420958518982),
    ("micro", 0.45, 0.5, 0.7865167260169983),
    ("macro", None, 1.0, 0.6457515358924866),
    ("macro", None, 0.5, 0.714141309261322),
    ("macro", 0.45, 1.0, 0.7203906178474426),
    ("macro", 0.45, 0.5, 0.7473339438438416),
    ("weighted", None, 1.0, 0.6296918392181396),
    ("weighted", None, 0.5, 0.7203462719917297),
    ("weighted", 0.45, 1.0, 0.7263212203979492),
    ("weighted", 0.45, 0.5, 0.8034792542457581),
]


@pytest.mark.parametrize("average, threshold, beta, expected", FBETA_CASES)
def test_fbeta_score_matches_keras(average, threshold, beta, expected):
    metric = metrics.FBetaScore(average=average, threshold=threshold, beta=beta)
    metric.update_state(Y_TRUE, Y_PRED_2, sample_weight=SAMPLE_WEIGHT)
    metric.update_state(Y_TRUE[:2], Y_PRED[:2])
    result = metric.result()
    assert result.dtype == "float32"
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-6)
    if beta == 1.0:
        f1 = metrics.F1Score(average=average, threshold=threshold)
        f1.update_state(Y_TRUE, Y_PRED_2, sample_weight=SAMPLE_WEIGHT)
        f1.update_state(Y_TRUE[:2], Y_PRED[:2])
        np.testing.assert_allclose(f1.result().numpy(), expected, rtol=1e-6)


def test_fbeta_score_ties_and_strict_threshold():
    # recorded from Keras 3.15: every prediction tied with the row's maximum is positive,
    # and a prediction equal to `threshold` is not.
    tied = metrics.FBetaScore()
    tied.update_state([[0.0, 1.0, 0.0]], [[0.5, 0.5, 0.0]])
    np.testing.assert_allclose(tied.result().numpy(), [0.0, 0.9999998211860657, 0.0],
                               rtol=1e-7)
    strict = metrics.FBetaScore(threshold=0.5)
    strict.update_state([[1.0, 1.0, 0.0]], [[0.5, 0.6, 0.0]])
    np.testing.assert_allclose(strict.result().numpy(), [0.0, 0.9999998211860657, 0.0],
                               rtol=1e-7)


def test_fbeta_score_state_config_and_reset():
    metric = metrics.FBetaScore(average="weighted", beta=2.0, threshold=0.4, name="x",
                                dtype="float64")
    assert metric.get_config() == {"name": "x", "dtype": "float64", "average": "weighted",
                                   "beta": 2.0, "threshold": 0.4}
    assert metric.variables == []  # built on the first update, as Keras
    assert metric(Y_TRUE, Y_PRED).dtype == "float64"
    assert [(v.name, tuple(v.shape)) for v in metric.variables] == [
        ("true_positives", (3,)), ("false_positives", (3,)), ("false_negatives", (3,)),
        ("intermediate_weights", (3,))]
    metric.reset_state()
    assert metric.variables[0].numpy().tolist() == [0.0, 0.0, 0.0]
    f1 = metrics.F1Score(average="macro")
    assert f1.name == "f1_score" and metrics.FBetaScore().name == "fbeta_score"
    assert f1.get_config() == {"name": "f1_score", "dtype": "float32", "average": "macro",
                               "threshold": None}
    assert metrics.F1Score.from_config(f1.get_config()).get_config() == f1.get_config()
    assert isinstance(metrics.get("F1Score"), metrics.F1Score)


@pytest.mark.parametrize("kwargs, message", [  # messages as Keras 3.15 words them
    ({"average": "foo"}, r"Invalid `average` argument value. Expected one of: \{None, "
                         r"'micro', 'macro', 'weighted'\}. Received: average=foo"),
    ({"beta": 0.0}, r"Invalid `beta` argument value. It should be > 0. Received: beta=0.0"),
    ({"beta": "a"}, r"Invalid `beta` argument value. It should be a Python float. "
                    r"Received: beta=a of type '<class 'str'>'"),
    ({"threshold": 1.5}, r"Invalid `threshold` argument value. It should verify "
                         r"0 < threshold <= 1. Received: threshold=1.5"),
    ({"threshold": 0.0}, r"It should verify 0 < threshold <= 1. Received: threshold=0.0"),
])
def test_fbeta_score_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        metrics.FBetaScore(**kwargs)


def test_fbeta_score_needs_2d_inputs():
    with pytest.raises(ValueError, match=r"FBetaScore expects 2D inputs with shape "
                       r"\(batch_size, output_dim\). Received input shapes: "
                       r"y_pred.shape=\(3,\) and y_true.shape=\(3,\)."):
        metrics.FBetaScore().update_state(Y_TRUE[0], Y_PRED[0])


def test_r2_score_with_float64_dtype():
    # Keras 3.15 keeps R2Score's state and result in float32 whatever `dtype` says;
    # eagerflow used to fail converting the float64 inputs.
    metric = metrics.R2Score(dtype="float64")
    metric.update_state(np.array([[0.0, 1], [1, 0], [2, 2]]),
                        np.array([[0.3, 0.7], [0.4, 0.6], [1.5, 2.5]]))
    result = metric.result()
    assert result.dtype == "float32"
    np.testing.assert_allclose(float(result), 0.6499999761581421, rtol=1e-6)


# --- Dice and Tversky losses ---------------------------------------------------------------

import eagerflow as tf  # noqa: E402
from eagerflow.keras import losses  # noqa: E402

tf_errors = tf.errors

L_TRUE = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], "float32")
L_PRED = np.array([[0.2, 0.7], [0.6, 0.3], [0.9, 0.4]], "float32")


@pytest.mark.parametrize("loss, kwargs, expected", [  # recorded from Keras 3.15
    (losses.Dice(), {}, 0.26760566234588623),
    (losses.Dice(reduction="none"), {}, 0.26760566234588623),
    (losses.Dice(axis=1, reduction="none"), {},
     [0.2631579637527466, 0.3684210777282715, 0.21212124824523926]),
    (losses.Dice(axis=1), {"sample_weight": np.array([1.0, 2.0, 0.0], "float32")},
     0.3333333730697632),
    (losses.Tversky(), {"sample_weight": 2.0}, 0.53521),
    (losses.Tversky(alpha=0.3, beta=0.7), {}, 0.22848665714263916),
    (losses.Tversky(alpha=0.3, beta=0.7, axis=1, reduction="none"), {},
     [0.24731189012527466, 0.3548387885093689, 0.1390729546546936]),
    (losses.Tversky(reduction="none"),
     {"sample_weight": np.array([[1.0, 0.5], [2.0, 1.0], [0.0, 3.0]], "float32")},
     [[0.26761, 0.1338], [0.53521, 0.26761], [0.0, 0.80282]]),
])
def test_dice_and_tversky_match_keras(loss, kwargs, expected):
    result = loss(L_TRUE, L_PRED, **kwargs)
    assert result.dtype == "float32"
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-6, atol=1e-5)


def test_dice_and_tversky_functions_configs_and_lookup():
    # recorded from Keras 3.15
    assert float(losses.dice(L_TRUE[:, 0], L_PRED[:, 0])) == pytest.approx(0.18919, abs=1e-5)
    assert float(losses.dice(np.zeros((2, 2)), np.zeros((2, 2)))) == 1.0
    assert float(losses.tversky(np.zeros((2, 2)), np.zeros((2, 2)))) == 1.0
    np.testing.assert_allclose(
        losses.dice(L_TRUE[:, :, None], L_PRED[:, :, None], axis=(1, 2)).numpy(),
        [0.2631579637527466, 0.3684210777282715, 0.21212124824523926], rtol=1e-6)
    assert losses.Dice(axis=1).get_config() == {"name": "dice",
                                                "reduction": "sum_over_batch_size", "axis": 1}
    assert losses.Tversky(0.3, 0.7, axis=1).get_config() == {
        "name": "tversky", "reduction": "sum_over_batch_size", "alpha": 0.3, "beta": 0.7,
        "axis": 1}
    assert repr(losses.Dice()).startswith("<LossFunctionWrapper(<function dice at ")
    assert losses.get("dice") is losses.dice
    assert isinstance(losses.get("Tversky"), losses.Tversky)
    restored = losses.deserialize(losses.serialize(losses.Tversky(0.2, 0.8, axis=1)))
    assert restored.get_config()["alpha"] == 0.2 and restored.get_config()["axis"] == 1
    with pytest.raises(tf_errors.InvalidArgumentError, match=r"Incompatible shapes"):
        losses.Dice()(L_TRUE, L_PRED[:2])


# --- PearsonCorrelation and ConcordanceCorrelation --------------------------------------

C_TRUE = np.array([[0.0, 1, 2], [1, 0, 3], [2, 2, 1]], "float32")
C_PRED = np.array([[0.5, 1.2, 1.9], [1.1, 0.3, 2.0], [2, 1.5, 1.4]], "float32")


@pytest.mark.parametrize("fn, axis, expected", [  # recorded from Keras 3.15
    (metrics.pearson_correlation, -1, [1.0, 0.9878290295600891, 0.6286185383796692]),
    (metrics.pearson_correlation, 0, [0.9933993220329285, 0.9607688784599304,
                                      0.9332564473152161]),
    (metrics.concordance_correlation, -1, [0.9032256603240967, 0.8235294222831726,
                                           0.532319188117981]),
    (metrics.concordance_correlation, 0, [0.920245349407196, 0.8633092045783997,
                                          0.5063289999961853]),
])
def test_correlation_functions_match_keras(fn, axis, expected):
    np.testing.assert_allclose(fn(C_TRUE, C_PRED, axis=axis).numpy(), expected, rtol=1e-6)


def test_correlation_of_constant_labels():
    # recorded from Keras 3.15: NaN for Pearson; ~0 (-7.9e-08, -9.9e-09) for concordance
    assert np.isnan(metrics.pearson_correlation(np.ones((2, 3)), C_PRED[:2]).numpy()).all()
    np.testing.assert_allclose(
        metrics.concordance_correlation(np.ones((2, 3)), C_PRED[:2]).numpy(), [0.0, 0.0],
        atol=1e-7)


@pytest.mark.parametrize("cls, expected, expected_axis_0", [  # recorded from Keras 3.15
    (metrics.PearsonCorrelation, 0.9595993161201477, 0.9624748826026917),
    (metrics.ConcordanceCorrelation, 0.8260362148284912, 0.763294517993927),
])
def test_correlation_metrics_match_keras(cls, expected, expected_axis_0):
    metric = cls()
    metric.update_state(C_TRUE, C_PRED, sample_weight=np.array([1.0, 2, 0.5], "float32"))
    metric.update_state(C_TRUE[:2], C_PRED[:2])
    np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-6)
    assert [v.name for v in metric.variables] == ["total", "count"]
    name = "pearson_correlation" if cls is metrics.PearsonCorrelation else (
        "concordance_correlation")
    assert metric.get_config() == {"name": name, "dtype": "float32", "axis": -1}
    assert isinstance(metrics.get(name), cls)
    by_columns = cls(axis=0)
    by_columns.update_state(C_TRUE, C_PRED)
    np.testing.assert_allclose(float(by_columns.result()), expected_axis_0, rtol=1e-6)
    restored = cls.from_config(by_columns.get_config())
    assert restored.get_config()["axis"] == 0


# --- IoU metrics ----------------------------------------------------------------------------

I_TRUE = np.array([0, 1, 2, 1, 0, 2, 2])
I_PRED = np.array([0, 2, 2, 1, 1, 2, 0])
I_WEIGHT = np.array([1.0, 2, 0.5, 1, 3, 1, 0])
I_SCORES = np.eye(3)[I_PRED] * 0.8 + 0.05
B_TRUE = np.array([0, 1, 1, 0, 1.0])
B_SCORES = np.array([0.2, 0.7, 0.4, 0.6, 0.9])


def _result(metric, *args, **kwargs):
    metric.update_state(*args, **kwargs)
    result = metric.result()
    assert result.dtype == "float32"
    return float(result)


@pytest.mark.parametrize("make, args, kwargs, expected", [  # recorded from Keras 3.15
    (lambda: metrics.MeanIoU(3), (I_TRUE, I_PRED), {}, 0.3888889253139496),
    # the int64 confusion matrix truncates the weights (0.5 counts as 0)
    (lambda: metrics.MeanIoU(3), (I_TRUE, I_PRED), {"sample_weight": I_WEIGHT}, 0.25),
    (lambda: metrics.MeanIoU(3, dtype="float32"), (I_TRUE, I_PRED),
     {"sample_weight": I_WEIGHT}, 0.2817460298538208),
    (lambda: metrics.MeanIoU(3, ignore_class=1), (I_TRUE, I_PRED), {}, 0.3333333432674408),
    (lambda: metrics.MeanIoU(4), (I_TRUE, I_PRED), {}, 0.3888889253139496),  # absent class
    (lambda: metrics.MeanIoU(3), (I_TRUE.reshape(7, 1), I_PRED.reshape(7, 1)), {},
     0.3888889253139496),
    (lambda: metrics.MeanIoU(3, sparse_y_pred=False), (I_TRUE, I_SCORES), {},
     0.3888889253139496),
    (lambda: metrics.MeanIoU(3), ([0, 1, 2], [0.0, 1.7, 2.2]), {}, 0.9999998211860657),
    (lambda: metrics.MeanIoU(3), ([0, 5], [0, 1]), {}, 0.9999997615814209),
    (lambda: metrics.MeanIoU(3, ignore_class=0), ([0, 0], [1, 1]), {}, 0.0),
    (lambda: metrics.MeanIoU(3), ([[0, 1, 2], [1, 0, 2]], [[0, 2, 2], [1, 1, 2]]),
     {"sample_weight": np.array([[1.0, 2, 1], [3, 1, 1]])}, 0.5),
    (lambda: metrics.IoU(3, [0, 2]), (I_TRUE, I_PRED), {}, 0.4166666865348816),
    (lambda: metrics.IoU(3, [1]), (I_TRUE, I_PRED), {"sample_weight": I_WEIGHT},
     0.1666666567325592),
    (lambda: metrics.OneHotMeanIoU(3), (np.eye(3)[I_TRUE], I_SCORES), {},
     0.3888889253139496),
    (lambda: metrics.OneHotIoU(3, [0, 1]), (np.eye(3)[I_TRUE], I_SCORES), {},
     0.3333333432674408),
    (lambda: metrics.OneHotMeanIoU(3, ignore_class=0),
     (np.eye(3)[[0, 1, 2, 1]], np.eye(3)[[0, 1, 1, 1]]), {}, 0.3333333432674408),
    (lambda: metrics.BinaryIoU(), (B_TRUE, B_SCORES), {}, 0.4166666865348816),
    (lambda: metrics.BinaryIoU(target_class_ids=[1], threshold=0.3), (B_TRUE, B_SCORES),
     {"sample_weight": np.array([1.0, 2, 1, 1, 0.5])}, 0.7499999403953552),
    (lambda: metrics.BinaryIoU(threshold=0.5), ([1.0, 0], [0.5, 0.2]), {},
     0.9999998807907104),  # a score equal to the threshold counts as class 1
])
def test_iou_metrics_match_keras(make, args, kwargs, expected):
    assert _result(make(), *args, **kwargs) == pytest.approx(expected, rel=1e-6)


def test_iou_state_configs_and_errors():
    metric = metrics.MeanIoU(3)
    metric.update_state(I_TRUE, I_PRED)
    assert metric.dtype == "int64" and metric.variables[0].name == "total_confusion_matrix"
    assert metric.total_cm.numpy().tolist() == [[1, 1, 0], [0, 1, 1], [1, 0, 2]]
    metric.reset_state()
    assert float(metric.result()) == 0.0
    # recorded from Keras 3.15
    assert metrics.MeanIoU(3, ignore_class=1, name="a").get_config() == {
        "num_classes": 3, "name": "a", "dtype": "int64", "ignore_class": 1,
        "sparse_y_true": True, "sparse_y_pred": True, "axis": -1}
    assert metrics.BinaryIoU(threshold=0.3, name="b").get_config() == {
        "target_class_ids": [0, 1], "threshold": 0.3, "name": "b", "dtype": "int64"}
    assert metrics.IoU(3, (0, 2), name="c").get_config() == {
        "name": "c", "dtype": "int64", "num_classes": 3, "target_class_ids": [0, 2],
        "ignore_class": None, "sparse_y_true": True, "sparse_y_pred": True, "axis": -1}
    assert metrics.OneHotIoU(3, [0, 2], name="d").get_config() == {
        "num_classes": 3, "target_class_ids": [0, 2], "name": "d", "dtype": "int64",
        "ignore_class": None, "sparse_y_pred": False, "axis": -1}
    assert metrics.OneHotMeanIoU(3, name="e").get_config() == {
        "num_classes": 3, "name": "e", "dtype": "int64", "ignore_class": None,
        "sparse_y_pred": False, "axis": -1}
    assert metrics.MeanIoU(3).name.startswith("mean_io_u")
    restored = metrics.deserialize(metrics.serialize(metrics.IoU(3, [1], ignore_class=0)))
    assert isinstance(restored, metrics.IoU) and restored.target_class_ids == [1]
    with pytest.raises(ValueError, match=r"Target class id 5 is out of range, which is "
                       r"\[0, 3\)."):
        metrics.IoU(3, [5])
    with pytest.raises(ValueError, match=r"Target class id 2 is out of range, which is "
                       r"\[0, 2\)."):
        metrics.BinaryIoU(target_class_ids=[2])


# --- sparsemax ------------------------------------------------------------------------------

from eagerflow.keras import activations  # noqa: E402
from tests.gradient_check import check_gradients  # noqa: E402


def _numpy_sparsemax(x):
    """Reference along the last axis, one row at a time (test-only)."""
    out = np.zeros_like(x)
    for index, row in enumerate(x.reshape(-1, x.shape[-1])):
        z = np.sort(row)[::-1]
        cumulative = np.cumsum(z)
        k = np.arange(1, len(z) + 1)
        size = k[1 + k * z > cumulative].max()
        out.reshape(-1, x.shape[-1])[index] = np.maximum(row - (cumulative[size - 1] - 1) /
                                                         size, 0)
    return out


def test_sparsemax_projects_onto_the_simplex():
    # Keras 3.15's TF backend returns [0.35, 0.15] for [0.5, 0.3] and all zeros for rows
    # such as [2.0, 1.9, 0.0, -1.0] (not on the simplex); eagerflow follows the
    # definition (Martins & Astudillo 2016), checked against a NumPy reference.
    x = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0], [0.1, 0.2, 0.3, 0.25, -1.0],
                  [1.0, 1.0, 1.0, 1.0, 1.0]], "float32")
    result = activations.sparsemax(x)
    assert result.dtype == "float32"
    np.testing.assert_allclose(result.numpy(), _numpy_sparsemax(x), atol=1e-6)
    np.testing.assert_allclose(activations.sparsemax(x, axis=0).numpy(),
                               _numpy_sparsemax(x.T).T, atol=1e-6)
    np.testing.assert_allclose(activations.sparsemax([0.5, 0.3]).numpy(), [0.6, 0.4],
                               atol=1e-6)
    np.testing.assert_allclose(np.sum(result.numpy(), axis=-1), 1.0, atol=1e-6)
    assert activations.get("sparsemax") is activations.sparsemax
    assert activations.serialize(activations.sparsemax) == "sparsemax"


def test_sparsemax_gradients():
    x = np.array([[0.1, 0.2, 0.35, 0.25, -1.0], [2.0, 1.9, 0.0, -1.0, 0.3]])
    check_gradients(lambda t: activations.sparsemax(t), x, order=1)


# --- Adafactor ------------------------------------------------------------------------------

from eagerflow.keras import optimizers  # noqa: E402

ADAFACTOR_CASES = [  # recorded from Keras 3.15: the matrix, the bias, a row of the 3-D kernel
    ({}, [[[0.987037181854248, -1.9974088668823242, 0.29359152913093567],
           [0.5, 2.9970624446868896, -0.9972082376480103]],
          [0.29922381043434143, -0.0992307960987091],
          [0.9991616606712341, 1.1010651588439941, 1.2019028663635254, 1.3010908365249634]]),
    ({"learning_rate": 0.5},
     [[[-5.676540374755859, -0.6729001998901367, -2.889455556869507],
       [0.5, 1.4919512271881104, 0.46776503324508667]],
      [0.06085243821144104, 0.07488268613815308],
      [0.8550776243209839, 2.194072723388672, 2.4993815422058105, 1.6458046436309814]]),
    ({"learning_rate": 0.01, "relative_step": False},
     [[[0.8712740540504456, -1.9742555618286133, 0.23619218170642853],
       [0.5, 2.970816135406494, -0.9723384380340576]],
      [0.29231107234954834, -0.09241106361150742],
      [0.9916427135467529, 1.1107122898101807, 1.2190687656402588, 1.3108912706375122]]),
    ({"learning_rate": 0.3, "beta_2_decay": -0.5, "epsilon_2": 0.1, "clip_threshold": 0.5},
     [[[-0.774561882019043, -1.6169426441192627, -0.6050899028778076],
       [0.5, 2.5625112056732178, -0.6279526948928833]],
      [0.18449640274047852, -0.016859501600265503],
      [0.8924775123596191, 1.2992969751358032, 1.5107702016830444, 1.4502143859863281]]),
]


def _adafactor_run(optimizer, steps=4):
    matrix = tf.Variable(np.array([[1.0, -2.0, 0.3], [0.5, 3.0, -1.0]], "float32"))
    bias = tf.Variable(np.array([0.3, -0.1], "float32"))
    kernel = tf.Variable(np.arange(24, dtype="float32").reshape(2, 3, 4) / 10 - 1)
    for i in range(steps):
        optimizer.apply_gradients([
            (np.array([[0.1 * (i + 1), -0.5, 0.2], [0.0, 2.0, -0.3 * i]], "float32"), matrix),
            (np.array([1.0, -0.2 * i], "float32"), bias),
            (np.sin(np.arange(24, dtype="float32").reshape(2, 3, 4) + i), kernel)])
    return matrix, bias, kernel


@pytest.mark.parametrize("kwargs, expected", ADAFACTOR_CASES)
def test_adafactor_matches_keras(kwargs, expected):
    matrix, bias, kernel = _adafactor_run(optimizers.Adafactor(**kwargs))
    np.testing.assert_allclose(matrix.numpy(), expected[0], rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(bias.numpy(), expected[1], rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(kernel.numpy()[1, 2], expected[2], rtol=2e-6, atol=1e-6)


def test_adafactor_slots_and_config():
    optimizer = optimizers.Adafactor(0.3, beta_2_decay=-0.5)
    _adafactor_run(optimizer, steps=1)
    # as Keras 3.15: r and c per variable (scalars below rank 2), then a full velocity
    assert [tuple(v.shape) for v in optimizer.variables] == [
        (), (), (2,), (3,), (2, 3), (), (), (2,), (2, 3), (2, 4), (2, 3, 4)]
    assert optimizer.variables[-1].name.endswith("_velocity")
    config = optimizer.get_config()
    assert config["name"].startswith("adafactor")
    assert {k: config[k] for k in ("beta_2_decay", "clip_threshold", "epsilon_1",
                                   "epsilon_2", "relative_step", "learning_rate")} == {
        "beta_2_decay": -0.5, "clip_threshold": 1.0, "epsilon_1": 1e-30, "epsilon_2": 0.001,
        "relative_step": True, "learning_rate": 0.30000001192092896}
    assert isinstance(optimizers.get("adafactor"), optimizers.Adafactor)
    restored = optimizers.Adafactor.from_config(config)
    assert restored.get_config() == config


# --- Circle loss ----------------------------------------------------------------------------

EMBEDDINGS = np.array([  # RandomState(0).randn(6, 4), rows L2-normalized
    [0.5799686312675476, 0.13155993819236755, 0.32178032398223877, 0.7367398738861084],
    [0.806029200553894, -0.4217884838581085, 0.41005367040634155, -0.0653250515460968],
    [-0.06784103065729141, 0.26986759901046753, 0.09467323869466782, 0.9558273553848267],
    [0.801164984703064, 0.12809057533740997, 0.46726682782173157, 0.3512679934501648],
    [0.8483263850212097, -0.11648724973201752, 0.1777573823928833, -0.4849488437175751],
    [-0.8892124891281128, 0.22765693068504333, 0.3010852336883545, -0.25849786400794983]],
    "float32")
LABELS = np.array([0, 1, 0, 2, 1, 0])


@pytest.mark.parametrize("args, kwargs, expected", [  # recorded from Keras 3.15
    ((LABELS, EMBEDDINGS), {}, [237.4029083251953, 22.76888656616211, 83.52499389648438,
                                0.0, 3.2285943031311035, 187.840576171875]),
    ((LABELS, EMBEDDINGS), {"gamma": 2.0, "margin": 0.25},
     [6.773855686187744, 1.9119688272476196, 3.539107084274292, 0.0, 1.6741294860839844,
      6.037412166595459]),
    ((LABELS, EMBEDDINGS), {"remove_diagonal": False, "gamma": 3.0},
     [9.162623405456543, 2.23694109916687, 4.160902976989746, 2.2545459270477295,
      1.890229344367981, 8.122849464416504]),
    # the diagonal is removed against given references too
    ((LABELS[:3], EMBEDDINGS[:3]), {"ref_labels": LABELS[3:],
                                    "ref_embeddings": EMBEDDINGS[3:], "gamma": 3.0},
     [8.999540328979492, 0.0, 0.0]),
    ((LABELS[:3], EMBEDDINGS[:3]), {"ref_labels": LABELS[3:], "ref_embeddings": EMBEDDINGS[3:],
                                    "gamma": 3.0, "remove_diagonal": False},
     [8.999540328979492, 1.3908946514129639, 3.8004045486450195]),
])
def test_circle_function_matches_keras(args, kwargs, expected):
    np.testing.assert_allclose(losses.circle(*args, **kwargs).numpy(), expected, rtol=2e-6)


def test_circle_class_masks_samples_without_positives():
    # recorded from Keras 3.15: sample 3 (label 2, alone) is left out of the mean
    assert float(losses.Circle()(LABELS, EMBEDDINGS)) == pytest.approx(106.95319366455078,
                                                                      rel=1e-6)
    weighted = losses.Circle(gamma=5.0)(LABELS, EMBEDDINGS, sample_weight=np.arange(6.0))
    assert float(weighted) == pytest.approx(16.59697914123535, rel=1e-6)
    assert float(losses.Circle(gamma=2.0)(LABELS[:, None], EMBEDDINGS)) == pytest.approx(
        3.701704263687134, rel=1e-6)
    assert losses.Circle(gamma=5.0).get_config() == {
        "name": "circle", "reduction": "sum_over_batch_size", "gamma": 5.0, "margin": 0.4,
        "remove_diagonal": True}
    assert isinstance(losses.get("Circle"), losses.Circle)


def test_circle_gradients():
    # recorded from Keras 3.15 (first two rows): finite despite the lone sample
    x = tf.Variable(EMBEDDINGS)
    with tf.GradientTape() as tape:
        loss = losses.Circle(gamma=5.0)(LABELS, x)
    np.testing.assert_allclose(tape.gradient(loss, x).numpy()[:2], [
        [7.0963964, -1.3054948, -1.0570108, 2.1775675],
        [0.42805147, 0.17496786, 0.3945123, 0.6079235]], rtol=1e-5, atol=1e-6)
    check_gradients(lambda e: losses.circle(LABELS, e, gamma=3.0), EMBEDDINGS, order=1)
