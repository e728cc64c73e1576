"""The losses of eagerflow/ops/nn_losses.py: values against TensorFlow and NumPy, dtypes,
stability with huge logits, errors, and gradients (order 2) with respect to every input."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops import nn_losses, nn_ops
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError

LOGITS = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]], np.float32)
LABELS = np.array([[0.0, 0.0, 1.0], [0.3, 0.7, 0.0]], np.float32)


def _log_softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _sigmoid_xent(z, x):
    return -z * np.log(1 / (1 + np.exp(-x))) - (1 - z) * np.log(1 - 1 / (1 + np.exp(-x)))


# --- softmax_cross_entropy_with_logits ----------------------------------------------------

def test_softmax_xent_recorded_values():
    loss = nn_losses.softmax_cross_entropy_with_logits(LABELS, LOGITS)
    assert loss.dtype is tf.float32 and loss.shape.as_list() == [2]
    # recorded from TF 2.21 (NumPy's float32 log may differ from TF's in the last unit)
    np.testing.assert_allclose(loss.numpy(), [0.40760594606399536, 0.6931471824645996],
                               rtol=3e-7)
    assert nn_losses.softmax_cross_entropy_with_logits(LABELS, LOGITS, axis=0).numpy().tolist(
    ) == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("axis", [-1, 0, 1, -2])
def test_softmax_xent_matches_numpy(axis, rng):
    logits = rng.standard_normal((3, 4)) * 3
    classes, others = logits.shape[axis], logits.shape[axis + 1 if axis in (0, -2) else 0]
    labels = np.moveaxis(rng.dirichlet(np.ones(classes), size=others), -1, axis)
    loss = nn_losses.softmax_cross_entropy_with_logits(labels, logits, axis=axis)
    assert loss.dtype is tf.float64
    np.testing.assert_allclose(loss.numpy(), -np.sum(labels * _log_softmax(logits, axis), axis),
                               rtol=1e-13)


def test_softmax_xent_of_rank_3_along_a_middle_axis():
    logits = np.arange(12.0, dtype=np.float32).reshape(2, 2, 3)
    # recorded from TF 2.21
    loss = nn_losses.softmax_cross_entropy_with_logits(np.full((2, 2, 3), 0.5, np.float32),
                                                        logits, axis=1)
    assert loss.shape.as_list() == [2, 3]
    np.testing.assert_allclose(loss.numpy(), np.full((2, 3), 1.5485873222351074), rtol=2e-7)
    loss = nn_losses.softmax_cross_entropy_with_logits(np.full((2, 2, 3), 1 / 3, np.float32),
                                                        logits)
    np.testing.assert_allclose(loss.numpy(), np.full((2, 2), 1.4076060056686401), rtol=2e-7)


@pytest.mark.parametrize("labels, logits, expected, dtype", [
    (tf.constant([0.0, 1.0], tf.float16), tf.constant([1.0, 2.0], tf.float16), 0.313232421875,
     tf.float16),
    (tf.constant([0.0, 1.0], tf.float64), tf.constant([1.0, 2.0], tf.float64),
     0.31326168751822286, tf.float64),
    (tf.constant([0, 1]), tf.constant([1.0, 2.0]), 0.31326165795326233, tf.float32),
    (tf.constant([0.0, 1.0], tf.float64), tf.constant([1.0, 2.0]), 0.31326165795326233,
     tf.float32),
    ([0.0, 1.0], [1.0, 2.0], 0.31326165795326233, tf.float32),
])  # recorded from TF 2.21: labels take the logits' dtype; float16 is computed in float32
def test_softmax_xent_dtypes(labels, logits, expected, dtype):
    loss = nn_losses.softmax_cross_entropy_with_logits(labels, logits)
    assert loss.dtype is dtype and loss.shape.rank == 0
    np.testing.assert_allclose(float(loss), expected, rtol=1e-7)


def test_softmax_xent_huge_logits_are_stable():
    # recorded from TF 2.21
    loss = nn_losses.softmax_cross_entropy_with_logits([[1.0, 0.0]], [[-1e30, 1e30]])
    assert loss.numpy().tolist() == [2.0000000300949324e+30]
    loss = nn_losses.softmax_cross_entropy_with_logits([[1.0, 0.0]], [[-np.inf, 0.0]])
    assert loss.numpy().tolist() == [np.inf]
    logits = tf.constant([[1e38, -1e38, 0.0], [1e4, 1e4, 1e4]])
    labels = tf.constant([[0.5, 0.0, 0.5], [0.2, 0.3, 0.5]])
    with tf.GradientTape() as tape:
        tape.watch([logits, labels])
        loss = nn_losses.softmax_cross_entropy_with_logits(labels, logits)
    d_logits, d_labels = tape.gradient(loss, [logits, labels])
    # recorded from TF 2.21
    np.testing.assert_allclose(loss.numpy(), [4.999999840142846e+37, 1.0986123085021973],
                               rtol=3e-7)
    np.testing.assert_allclose(d_logits.numpy(), [
        [0.5, 0.0, -0.5], [0.13333334028720856, 0.03333333134651184, -0.1666666567325592]],
        rtol=3e-7)
    np.testing.assert_allclose(d_labels.numpy(), [
        [0.0, 1.9999999360571385e+38, 9.999999680285692e+37], [1.0986123085021973] * 3],
        rtol=3e-7)


def test_softmax_xent_broadcasts_labels():
    # recorded from TF 2.21
    loss = nn_losses.softmax_cross_entropy_with_logits([[0.0, 1.0, 0.0]],
                                                        [[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(loss.numpy(), [1.4076058864593506, 1.0986123085021973],
                               rtol=3e-7)


def test_softmax_xent_empty():
    # recorded from TF 2.21: no rows, or no classes (an empty sum)
    assert nn_losses.softmax_cross_entropy_with_logits(tf.zeros((0, 3)), tf.zeros((0, 3))
                                                       ).shape.as_list() == [0]
    assert nn_losses.softmax_cross_entropy_with_logits(tf.zeros((2, 0)), tf.zeros((2, 0))
                                                       ).numpy().tolist() == [0.0, 0.0]


@pytest.mark.parametrize("labels, logits, kwargs, message", [
    ([0, 1], [1, 2], {}, "Value for attr 'T' of int32 is not in the list of allowed values"),
    ([[0.0, 1.0]], [[1.0, 2.0, 3.0]], {},
     r"logits and labels must be broadcastable: logits_size=\[1,3\] labels_size=\[1,2\]"),
    (1.0, 1.0, {}, "must have >= 1 dimension"),  # TF 2.21 fails in a Slice op
    (LABELS, LOGITS, {"axis": 5}, "in the range"),  # TF 2.21 fails in a Range op
])  # recorded from TF 2.21 where not noted
def test_softmax_xent_errors(labels, logits, kwargs, message):
    with pytest.raises(InvalidArgumentError, match=message):
        nn_losses.softmax_cross_entropy_with_logits(labels, logits, **kwargs)


# As in TensorFlow, the logits' gradient is `softmax - labels`: the derivative when the labels
# along the axis sum to one, as they must. So the checks below keep them normalized, as a
# softmax of free parameters where both vary.

@pytest.mark.parametrize("shape, axis", [((4,), -1), ((2, 3), -1), ((3, 2), 0),
                                         ((2, 3, 2), 1)])
def test_softmax_xent_gradients(shape, axis, rng):
    def xent(label_logits, logits):
        labels = nn_ops.softmax(label_logits, axis=axis)
        return nn_losses.softmax_cross_entropy_with_logits(labels, logits, axis=axis)
    check_gradients(xent, rng.standard_normal(shape), rng.standard_normal(shape) * 2, order=2)
    labels = nn_ops.softmax(rng.standard_normal(shape), axis=axis)
    check_gradients(lambda x: nn_losses.softmax_cross_entropy_with_logits(labels, x, axis=axis),
                    rng.standard_normal(shape) * 2, order=2)


def test_softmax_xent_labels_gradient_for_any_labels(rng):
    # The loss is linear in the labels: their gradient is -log_softmax(logits), whatever
    # they sum to.
    logits = rng.standard_normal((2, 3))
    check_gradients(lambda y: nn_losses.softmax_cross_entropy_with_logits(y, logits),
                    rng.uniform(0, 1, (2, 3)), order=2)


def test_softmax_xent_gradients_with_broadcast_labels(rng):
    def xent(label_logits, logits):
        return nn_losses.softmax_cross_entropy_with_logits(nn_ops.softmax(label_logits), logits)
    check_gradients(xent, rng.standard_normal((1, 3)), rng.standard_normal((4, 3)), order=2)


def test_softmax_xent_logits_gradient_is_softmax_minus_labels():
    logits = tf.constant([[0.0, 0.0]])
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = nn_losses.softmax_cross_entropy_with_logits([[2.0, 0.0]], logits)
    assert tape.gradient(loss, logits).numpy().tolist() == [[-1.5, 0.5]]  # as TF 2.21


def test_softmax_xent_gradient_recorded():
    logits, labels = tf.constant([[1.0, 2.0, 3.0]]), tf.constant([[0.2, 0.3, 0.5]])
    with tf.GradientTape() as tape:
        tape.watch([logits, labels])
        loss = nn_losses.softmax_cross_entropy_with_logits(labels, logits)
    d_logits, d_labels = tape.gradient(loss, [logits, labels])
    # recorded from TF 2.21: softmax - labels, and -log_softmax for the labels
    np.testing.assert_allclose(d_logits.numpy(), [[-0.10996942967176437, -0.055271536111831665,
                                                   0.16524094343185425]], rtol=1e-6)
    np.testing.assert_allclose(d_labels.numpy(), [[2.4076058864593506, 1.4076058864593506,
                                                   0.40760594606399536]], rtol=3e-7)


def test_softmax_xent_float16_gradient_flows_through_the_casts():
    logits = tf.constant([[1.0, 2.0]], tf.float16)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = nn_losses.softmax_cross_entropy_with_logits([[0.0, 1.0]], logits)
    grad = tape.gradient(loss, logits)
    assert grad.dtype is tf.float16
    np.testing.assert_allclose(grad.numpy().astype(float), [[0.2689414, -0.2689414]],
                               rtol=1e-3)


# --- sparse_softmax_cross_entropy_with_logits ---------------------------------------------

@pytest.mark.parametrize("labels_dtype", [tf.int32, tf.int64])
def test_sparse_softmax_xent_recorded_values(labels_dtype):
    loss = nn_losses.sparse_softmax_cross_entropy_with_logits(tf.constant([2, 0], labels_dtype),
                                                               LOGITS)
    assert loss.dtype is tf.float32
    np.testing.assert_allclose(loss.numpy(), [0.40760594606399536, 0.6931471824645996],
                               rtol=3e-7)  # recorded from TF 2.21


@pytest.mark.parametrize("dtype, expected, rtol", [
    (tf.float16, [0.40771484375, 0.693359375], 0),
    (tf.float64, [0.4076059644443804, 0.6931471805599453], 1e-15),
])  # recorded from TF 2.21
def test_sparse_softmax_xent_dtypes(dtype, expected, rtol):
    loss = nn_losses.sparse_softmax_cross_entropy_with_logits([2, 0], tf.cast(LOGITS, dtype))
    assert loss.dtype is dtype
    np.testing.assert_allclose(loss.numpy().tolist(), expected, rtol=rtol)


def test_sparse_softmax_xent_matches_the_dense_form(rng):
    logits = rng.standard_normal((2, 3, 5)) * 4
    labels = rng.integers(0, 5, (2, 3))
    loss = nn_losses.sparse_softmax_cross_entropy_with_logits(labels, logits)
    assert loss.shape.as_list() == [2, 3]
    expected = -np.take_along_axis(_log_softmax(logits), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-13)


def test_sparse_softmax_xent_shapes():
    # recorded from TF 2.21
    logits = np.arange(12.0, dtype=np.float32).reshape(2, 2, 3)
    loss = nn_losses.sparse_softmax_cross_entropy_with_logits([[1, 2], [0, 0]], logits)
    np.testing.assert_allclose(loss.numpy(), [[1.4076058864593506, 0.40760594606399536],
                                              [2.4076058864593506, 2.4076058864593506]],
                               rtol=3e-7)
    loss = nn_losses.sparse_softmax_cross_entropy_with_logits(1, [1.0, 2.0, 3.0])
    assert loss.shape.rank == 0
    np.testing.assert_allclose(float(loss), 1.4076058864593506, rtol=3e-7)
    assert nn_losses.sparse_softmax_cross_entropy_with_logits(
        tf.zeros((0,), tf.int32), tf.zeros((0, 3))).shape.as_list() == [0]


def test_sparse_softmax_xent_huge_logits_are_stable():
    loss = nn_losses.sparse_softmax_cross_entropy_with_logits([0], [[-1e30, 1e30]])
    assert loss.numpy().tolist() == [2.0000000300949324e+30]  # recorded from TF 2.21
    logits = tf.constant([[3e38, -3e38, 0.0], [-1e4, -1e4, -1e4]])
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = nn_losses.sparse_softmax_cross_entropy_with_logits([0, 2], logits)
    np.testing.assert_allclose(loss.numpy(), [0.0, 1.0986123], rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(loss, logits).numpy(),
                               [[0.0, 0.0, 0.0], [1 / 3, 1 / 3, -2 / 3]], rtol=1e-6)


@pytest.mark.parametrize("labels, logits, error, message", [
    (tf.constant([5, 0]), LOGITS, InvalidArgumentError,
     r"Received a label value of 5 which is outside the valid range of \[0, 3\)\.  Label "
     r"values: 5 0"),
    (tf.constant([0, -1]), LOGITS, InvalidArgumentError,
     r"Received a label value of -1 which is outside the valid range of \[0, 3\)"),
    (tf.constant([2.0, 0.0]), LOGITS, InvalidArgumentError,
     "Value for attr 'Tlabels' of float is not in the list of allowed values: int32, int64"),
    (tf.constant([2, 0], tf.uint8), LOGITS, InvalidArgumentError,
     "Value for attr 'Tlabels' of uint8 is not in the list"),
    (tf.constant([2, 0]), tf.constant([[1, 2, 3], [1, 2, 3]]), InvalidArgumentError,
     "Value for attr 'T' of int32 is not in the list"),
    (tf.zeros((2,), tf.int32), tf.zeros((2, 0)), InvalidArgumentError,
     r"Must have at least one class, but got logits shape \[2,0\]"),
    (tf.constant(1), tf.constant(1.0), ValueError,
     "`logits` cannot be a scalar. Received logits=1.0`"),
    (tf.constant([[1]]), LOGITS, ValueError,
     r"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape=\(1, 1\) "
     r"of rank 2 and logits.shape=\(2, 3\) of rank 2"),
    (tf.constant([1, 2, 0]), LOGITS, ValueError,
     r"`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
     r"labels.shape=\(3,\) and logits.shape=\(2, 3\)"),
    (None, LOGITS, ValueError, "Both `labels` and `logits` must be provided for "
                               "sparse_softmax_cross_entropy_with_logitsReceived: labels=None"),
])  # recorded from TF 2.21
def test_sparse_softmax_xent_errors(labels, logits, error, message):
    with pytest.raises(error, match=message):
        nn_losses.sparse_softmax_cross_entropy_with_logits(labels, logits)


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 2, 3)])
def test_sparse_softmax_xent_gradients(shape, rng):
    labels = rng.integers(0, shape[-1], shape[:-1])
    check_gradients(lambda x: nn_losses.sparse_softmax_cross_entropy_with_logits(labels, x),
                    rng.standard_normal(shape) * 2, order=2)


def test_sparse_softmax_xent_gradient_recorded():
    logits = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = nn_losses.sparse_softmax_cross_entropy_with_logits([1], logits)
    np.testing.assert_allclose(tape.gradient(loss, logits).numpy(),  # recorded from TF 2.21
                               [[0.09003057330846786, -0.7552715539932251, 0.6652409434318542]],
                               rtol=1e-6)


def test_sparse_softmax_xent_labels_get_no_gradient():
    labels = tf.constant([1])
    with tf.GradientTape() as tape:
        tape.watch(labels)
        loss = nn_losses.sparse_softmax_cross_entropy_with_logits(labels, [[1.0, 2.0]])
    assert tape.gradient(loss, labels) is None


# --- sigmoid_cross_entropy_with_logits ----------------------------------------------------

X = np.array([-100.0, -2.0, 0.0, 0.5, 3.0, 100.0], np.float32)
Z = np.array([0.0, 1.0, 0.5, 1.0, 0.0, 0.3], np.float32)


def test_sigmoid_xent_recorded_values():
    loss = nn_losses.sigmoid_cross_entropy_with_logits(labels=Z, logits=X)
    assert loss.dtype is tf.float32
    # recorded from TF 2.21; TF flushes float32 denormals (3.7e-44 at -100) to zero.
    np.testing.assert_allclose(loss.numpy(), [0.0, 2.1269280910491943, 0.6931471824645996,
                                              0.4740769863128662, 3.0485873222351074, 70.0],
                               rtol=3e-7, atol=1e-40)
    loss = nn_losses.sigmoid_cross_entropy_with_logits(Z.astype(np.float64), X.astype(np.float64))
    np.testing.assert_allclose(loss.numpy(), [3.7200759760208356e-44, 2.1269280110429727,
                                              0.6931471805599453, 0.4740769841801067,
                                              3.048587351573742, 69.9999988079071], rtol=1e-15)
    loss = nn_losses.sigmoid_cross_entropy_with_logits(tf.constant([1.0], tf.float16),
                                                       tf.constant([2.0], tf.float16))
    assert loss.dtype is tf.float16 and loss.numpy().tolist() == [0.126953125]


def test_sigmoid_xent_matches_numpy(rng):
    x, z = rng.standard_normal((3, 4)) * 3, rng.uniform(0, 1, (3, 4))
    np.testing.assert_allclose(nn_losses.sigmoid_cross_entropy_with_logits(z, x).numpy(),
                               _sigmoid_xent(z, x), rtol=1e-12)


def test_sigmoid_xent_huge_logits_are_stable():
    logits = tf.constant([1e30, 1e30, -1e30, -1e30, 3e38, -3e38])
    labels = tf.constant([1.0, 0.0, 1.0, 0.0, 0.5, 0.5])
    with tf.GradientTape() as tape:
        tape.watch([logits, labels])
        loss = nn_losses.sigmoid_cross_entropy_with_logits(labels, logits)
    # recorded from TF 2.21
    assert loss.numpy().tolist()[:4] == [0.0, 1.0000000150474662e+30, 1.0000000150474662e+30,
                                         0.0]
    np.testing.assert_allclose(loss.numpy()[4:], [1.5e38, 1.5e38], rtol=1e-6)
    d_logits, d_labels = tape.gradient(loss, [logits, labels])
    assert d_logits.numpy().tolist() == [0.0, 1.0, -1.0, 0.0, 0.5, -0.5]
    assert d_labels.numpy().tolist() == [-1.0000000150474662e+30, -1.0000000150474662e+30,
                                         1.0000000150474662e+30, 1.0000000150474662e+30,
                                         -3.0000000054977558e+38, 3.0000000054977558e+38]


@pytest.mark.parametrize("shape", [(), (5,), (2, 3)])
def test_sigmoid_xent_gradients(shape, rng):
    check_gradients(nn_losses.sigmoid_cross_entropy_with_logits, rng.uniform(0, 1, shape),
                    rng.standard_normal(shape) * 3, order=2)


def test_sigmoid_xent_gradient_recorded():
    logits, labels = tf.constant([-2.0, 0.0, 3.0]), tf.constant([0.2, 0.3, 0.5])
    with tf.GradientTape() as tape:
        tape.watch([logits, labels])
        loss = nn_losses.sigmoid_cross_entropy_with_logits(labels, logits)
    d_logits, d_labels = tape.gradient(loss, [logits, labels])
    # recorded from TF 2.21: sigmoid(x) - z, and -x
    np.testing.assert_allclose(d_logits.numpy(), [-0.08079709112644196, 0.19999998807907104,
                                                  0.45257413387298584], rtol=1e-6)
    assert d_labels.numpy().tolist() == [2.0, -0.0, -3.0]


@pytest.mark.parametrize("labels, logits, error, message", [
    ([1.0, 0.0], [1.0, 2.0, 3.0], ValueError,
     r"`logits` and `labels` must have the same shape, received \(\(3,\) vs \(2,\)\)\."),
    ([1.0], [1.0, 2.0, 3.0], ValueError, "must have the same shape"),
    (tf.constant([1.0], tf.float64), tf.constant([1.0]), InvalidArgumentError,
     r"input #1\(zero-based\) was expected to be a float tensor but is a double tensor"),
    (None, [1.0, 2.0], ValueError, "Both `labels` and `logits` must be provided for "
                                   "sigmoid_cross_entropy_with_logitsReceived: labels=None"),
    ([1, 0], [1, 2], InvalidArgumentError, "Value for attr 'T' of int32 is not in the list"),
])  # recorded from TF 2.21 (TF names the Mul op in the dtype error)
def test_sigmoid_xent_errors(labels, logits, error, message):
    with pytest.raises(error, match=message):
        nn_losses.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)


def test_sigmoid_xent_converts_python_labels_on_their_own():
    # TF 2.21 converts labels without the logits' dtype, so [1, 0] is int32 (recorded).
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^cannot compute Mul as input #1\(zero-based\) was expected to "
                             r"be a double tensor but is a int32 tensor \[Op:Mul\]$"):
        nn_losses.sigmoid_cross_entropy_with_logits([1, 0], tf.constant([0.0, 0.0], tf.float64))
    loss = nn_losses.sigmoid_cross_entropy_with_logits(
        tf.constant([1.0, 0.0], tf.float64), tf.constant([0.0, 0.0], tf.float64))
    assert loss.dtype is tf.float64
    np.testing.assert_allclose(loss.numpy(), [np.log(2)] * 2, rtol=1e-15)


# --- weighted_cross_entropy_with_logits ---------------------------------------------------

def test_weighted_xent_recorded_values():
    loss = nn_losses.weighted_cross_entropy_with_logits(Z, X, 3.0)
    # recorded from TF 2.21
    np.testing.assert_allclose(loss.numpy(), [0.0, 6.380784034729004, 1.3862943649291992,
                                              1.4222309589385986, 3.0485873222351074, 70.0],
                               rtol=3e-7, atol=1e-40)
    loss = nn_losses.weighted_cross_entropy_with_logits(Z, X, tf.constant([1.0, 2, 3, 4, 5, 6]))
    np.testing.assert_allclose(loss.numpy(), [0.0, 4.253856182098389, 1.3862943649291992,
                                              1.8963079452514648, 3.0485873222351074, 70.0],
                               rtol=3e-7, atol=1e-40)
    loss = nn_losses.weighted_cross_entropy_with_logits(Z.astype(np.float64),
                                                        X.astype(np.float64), 3.0)
    assert loss.dtype is tf.float64
    np.testing.assert_allclose(loss.numpy()[1:], [6.3807840331289185, 1.3862943611198906,
                                                  1.42223095254032, 3.048587351573742,
                                                  69.9999988079071], rtol=1e-15)


def test_weighted_xent_matches_numpy(rng):
    x, z, q = rng.standard_normal((3, 4)) * 3, rng.uniform(0, 1, (3, 4)), rng.uniform(0, 4, 4)
    p = 1 / (1 + np.exp(-x))
    expected = -q * z * np.log(p) - (1 - z) * np.log(1 - p)
    np.testing.assert_allclose(nn_losses.weighted_cross_entropy_with_logits(z, x, q).numpy(),
                               expected, rtol=1e-12)


def test_weighted_xent_with_unit_weight_is_sigmoid_xent(rng):
    x, z = rng.standard_normal(6) * 5, rng.uniform(0, 1, 6)
    np.testing.assert_allclose(nn_losses.weighted_cross_entropy_with_logits(z, x, 1.0).numpy(),
                               nn_losses.sigmoid_cross_entropy_with_logits(z, x).numpy(),
                               rtol=1e-14)


def test_weighted_xent_huge_logits_are_stable():
    logits = tf.constant([1e30, 1e30, -1e30, -1e30])
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = nn_losses.weighted_cross_entropy_with_logits([1.0, 0.0, 1.0, 0.0], logits, 2.0)
    # recorded from TF 2.21
    assert loss.numpy().tolist() == [0.0, 1.0000000150474662e+30, 2.0000000300949324e+30, 0.0]
    assert tape.gradient(loss, logits).numpy().tolist() == [0.0, 1.0, -2.0, 0.0]


@pytest.mark.parametrize("shape, weight_shape", [((5,), ()), ((2, 3), (3,))])
def test_weighted_xent_gradients(shape, weight_shape, rng):
    check_gradients(nn_losses.weighted_cross_entropy_with_logits, rng.uniform(0, 1, shape),
                    rng.standard_normal(shape) * 3, rng.uniform(0.5, 3, weight_shape), order=2)


def test_weighted_xent_gradient_recorded():
    logits, labels = tf.constant([-2.0, 0.5, 3.0]), tf.constant([0.2, 0.3, 0.5])
    weight = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([logits, labels, weight])
        loss = nn_losses.weighted_cross_entropy_with_logits(labels, logits, weight)
    d_logits, d_labels, d_weight = tape.gradient(loss, [logits, labels, weight])
    # recorded from TF 2.21
    np.testing.assert_allclose(d_logits.numpy(), [-0.4331158995628357, 0.09593486785888672,
                                                  0.4051482677459717], rtol=1e-6)
    np.testing.assert_allclose(d_labels.numpy(), [6.253856182098389, 0.4481539726257324,
                                                  -2.902825355529785], rtol=1e-6)
    np.testing.assert_allclose(float(d_weight), 0.5919023752212524, rtol=1e-6)


def test_weighted_xent_gradient_at_zero_is_the_derivative():
    # At exactly x = 0 TF 2.21's composed abs and relu give 1 - z = 0.7, dropping the
    # softplus term's -(1 + (q - 1) z) / 2; here it is the derivative, continuous in x.
    logits = tf.constant([0.0, 1e-6], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = nn_losses.weighted_cross_entropy_with_logits([0.3, 0.3], logits, 3.0)
    np.testing.assert_allclose(tape.gradient(loss, logits).numpy(), [-0.1, -0.1], atol=1e-6)


def test_weighted_xent_errors():
    with pytest.raises(ValueError, match=r"`logits` and `labels` must have the same shape, "
                                         r"received \(\(3,\) vs \(2,\)\)\."):
        nn_losses.weighted_cross_entropy_with_logits([1.0, 0.0], [1.0, 2.0, 3.0], 2.0)
    with pytest.raises(InvalidArgumentError, match="expected to be a float tensor but is a "
                                                   "double tensor"):
        nn_losses.weighted_cross_entropy_with_logits([1.0], [1.0], tf.constant(2.0, tf.float64))


# --- l2_loss ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, dtype, expected", [
    (tf.constant([1.0, 2.0, 3.0]), tf.float32, 7.0),
    (tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64), tf.float64, 15.0),
    (tf.constant([1.0, 2.0, 300.0], tf.float16), tf.float16, np.inf),  # 300 ** 2 overflows
    (tf.zeros((0,)), tf.float32, 0.0),
    (3.0, tf.float32, 4.5),
    ([1.0, 2.0], tf.float32, 2.5),
])  # recorded from TF 2.21
def test_l2_loss(value, dtype, expected):
    loss = nn_losses.l2_loss(value)
    assert loss.dtype is dtype and loss.shape.rank == 0 and float(loss) == expected


def test_l2_loss_errors_and_gradients(rng):
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32 is not in "
                                                   "the list of allowed values"):
        nn_losses.l2_loss(tf.constant([1, 2]))  # recorded from TF 2.21
    check_gradients(nn_losses.l2_loss, rng.standard_normal((3, 2)), order=2)
    x = tf.constant([1.0, -2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = nn_losses.l2_loss(x)
    assert tape.gradient(loss, x).numpy().tolist() == [1.0, -2.0]  # recorded from TF 2.21


# --- log_poisson_loss ---------------------------------------------------------------------

TARGETS = np.array([0.0, 0.5, 1.0, 2.0, 10.0], np.float32)
LOG_INPUT = np.array([0.1, -1.0, 0.0, 1.0, 2.0], np.float32)


def test_log_poisson_loss_recorded_values():
    # recorded from TF 2.21
    np.testing.assert_allclose(nn_losses.log_poisson_loss(TARGETS, LOG_INPUT).numpy(), [
        1.1051709651947021, 0.8678794503211975, 1.0, 0.7182817459106445, -12.610943794250488],
        rtol=3e-7, atol=1e-6)
    np.testing.assert_allclose(
        nn_losses.log_poisson_loss(TARGETS, LOG_INPUT, compute_full_loss=True).numpy(),
        [1.1051709651947021, 0.8678794503211975, 1.0, 1.3700882196426392, 2.485139846801758],
        rtol=1e-6)
    loss = nn_losses.log_poisson_loss(tf.constant(TARGETS.tolist(), tf.float64),
                                      tf.constant([0.1, -1.0, 0.0, 1.0, 2.0], tf.float64),
                                      compute_full_loss=True)
    np.testing.assert_allclose(loss.numpy(), [1.1051709180756477, 0.8678794411714423, 1.0,
                                              1.3700883130635815, 2.485138108572807],
                               rtol=1e-15)
    assert np.isnan(nn_losses.log_poisson_loss([-1.0], [0.1], compute_full_loss=True)[0])


def test_log_poisson_loss_full_is_the_negative_log_likelihood_for_large_targets():
    targets, log_rate = np.array([20.0, 50.0]), np.array([3.0, 4.0])
    loss = nn_losses.log_poisson_loss(targets, log_rate, compute_full_loss=True).numpy()
    log_factorial = np.array([np.sum(np.log(np.arange(1, k + 1))) for k in (20, 50)])
    nll = np.exp(log_rate) - targets * log_rate + log_factorial
    # Stirling's approximation of log(k!) leaves out 1 / (12 k) - 1 / (360 k^3) + ...
    np.testing.assert_allclose(nll - loss, 1 / (12 * targets), rtol=1e-3)


def test_log_poisson_loss_gradients_and_errors(rng):
    targets = rng.uniform(1.5, 5, (2, 3))
    check_gradients(lambda t, x: nn_losses.log_poisson_loss(t, x, compute_full_loss=True),
                    targets, rng.standard_normal((2, 3)), order=2)
    with pytest.raises(ValueError, match=r"`log_input` and `targets` must have the same shape, "
                                         r"received \(\(3,\) vs \(2,\)\)\."):
        nn_losses.log_poisson_loss([0.0, 0.5], [0.1, -1.0, 0.0])  # recorded from TF 2.21


# --- compute_average_loss and scale_regularization_loss -----------------------------------

@pytest.mark.parametrize("loss, kwargs, expected, dtype", [
    (tf.constant([1.0, 2.0, 3.0]), {}, 2.0, tf.float32),
    (tf.constant([1.0, 2.0, 3.0]), {"global_batch_size": 6}, 1.0, tf.float32),
    (tf.constant([1.0, 2.0, 3.0]), {"global_batch_size": 0}, 0.0, tf.float32),
    (tf.constant([1.0, 2.0, 3.0]), {"sample_weight": tf.constant([1.0, 0.0, 2.0])},
     2.3333332538604736, tf.float32),
    (tf.constant([1.0, 2.0, 3.0]), {"sample_weight": 2.0}, 4.0, tf.float32),
    (tf.constant([[1.0, 2.0], [3.0, 4.0]]), {"sample_weight": tf.constant([1.0, 2.0])}, 8.5,
     tf.float32),
    (tf.constant([1.0, 2.0]), {"sample_weight": tf.constant([[1.0], [2.0]])}, 2.5, tf.float32),
    (tf.constant([1.0, 2.0], tf.float64), {"sample_weight": tf.constant([1.0, 2.0],
                                                                        tf.float64)},
     2.5, tf.float64),
    (tf.constant([1.0, 2.0]), {"sample_weight": [1, 2]}, 2.5, tf.float32),
    (tf.constant([1.0, 2.0], tf.float64), {}, 1.5, tf.float64),
    (tf.constant([1.0, 2.0], tf.float16), {}, 1.5, tf.float16),
    (tf.constant([1, 2]), {}, 1.5, tf.float64),
    ([1.0, 2.0], {}, 1.5, tf.float32),
    (tf.zeros((0,)), {}, 0.0, tf.float32),
])  # recorded from TF 2.21
def test_compute_average_loss(loss, kwargs, expected, dtype):
    average = nn_losses.compute_average_loss(loss, **kwargs)
    assert average.dtype is dtype and average.shape.rank == 0
    np.testing.assert_allclose(float(average), expected, rtol=1e-7)


@pytest.mark.parametrize("loss, kwargs, error, message", [
    (tf.constant(1.0), {}, ValueError, "Invalid value passed for `per_example_loss`. Expected a "
                                       "tensor with at least rank 1."),
    (tf.constant([1.0]), {"global_batch_size": -1}, InvalidArgumentError,
     "global_batch_size must be non-negative"),
    (tf.constant([1.0]), {"global_batch_size": 2.0}, TypeError,
     "global_batch_size must be an integer"),
    (tf.constant([1.0]), {"global_batch_size": [2]}, ValueError,
     r"global_batch_size must be scalar..  Expected scalar shape, saw shape: \(1,\)."),
])  # recorded from TF 2.21
def test_compute_average_loss_errors(loss, kwargs, error, message):
    with pytest.raises(error, match=message):
        nn_losses.compute_average_loss(loss, **kwargs)


def test_compute_average_loss_gradients(rng):
    check_gradients(lambda loss: nn_losses.compute_average_loss(loss, global_batch_size=8),
                    rng.standard_normal((4, 2)), order=2)
    # Sample weighting is done in float32, as in TensorFlow.
    loss, weight = tf.constant([1.0, 2.0], tf.float64), tf.constant([0.5, 3.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch([loss, weight])
        average = nn_losses.compute_average_loss(loss, sample_weight=weight)
    d_loss, d_weight = tape.gradient(average, [loss, weight])
    assert d_loss.numpy().tolist() == [0.25, 1.5] and d_weight.numpy().tolist() == [0.5, 1.0]


@pytest.mark.parametrize("loss, dtype", [
    (tf.constant([1.0, 2.0]), tf.float32), (3.0, tf.float32),
    (tf.constant([1.0, 2.0], tf.float64), tf.float64), (tf.constant([1, 2]), tf.float64),
])  # recorded from TF 2.21
def test_scale_regularization_loss(loss, dtype):
    scaled = nn_losses.scale_regularization_loss(loss)
    assert scaled.dtype is dtype and float(scaled) == 3.0


# --- a batch: many rows, a short class axis -------------------------------------------------

def test_sparse_softmax_xent_on_a_batch_matches_numpy(rng):
    logits = (rng.standard_normal((128, 10)) * 4).astype(np.float32)
    labels = rng.integers(0, 10, 128)
    expected = -_log_softmax(logits.astype(np.float64))[np.arange(128), labels]
    for label_dtype in (np.int32, np.int64):
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels.astype(label_dtype), logits)
        assert loss.dtype is tf.float32 and loss.shape == (128,)
        np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_sparse_softmax_xent_higher_rank_and_a_single_row(rng):
    logits = rng.standard_normal((2, 3, 4))
    labels = np.array([[0, 3, 1], [2, 2, 0]])
    expected = -np.take_along_axis(_log_softmax(logits), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits).numpy(), expected,
        rtol=1e-12)
    single = tf.nn.sparse_softmax_cross_entropy_with_logits(np.int64(3), logits[0, 0])
    assert single.shape == ()
    np.testing.assert_allclose(single.numpy(), -_log_softmax(logits[0, 0])[3], rtol=1e-12)


@pytest.mark.parametrize("label", [-1, 10, 2**31 - 1, -2**31])
def test_sparse_softmax_xent_finds_every_label_out_of_range(label):
    labels = np.zeros(64, np.int32)
    labels[40] = label
    with pytest.raises(InvalidArgumentError, match=f"Received a label value of {label} which is "
                                                   r"outside the valid range of \[0, 10\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels, np.zeros((64, 10), np.float32))


def test_softmax_xent_on_a_batch_matches_numpy(rng):
    logits = (rng.standard_normal((128, 10)) * 4).astype(np.float32)
    labels = rng.dirichlet(np.ones(10), 128).astype(np.float32)
    expected = -np.sum(labels * _log_softmax(logits.astype(np.float64)), axis=-1)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels, logits)
    assert loss.dtype is tf.float32
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-5, atol=1e-6)
    by_column = tf.nn.softmax_cross_entropy_with_logits(labels.T, logits.T, axis=0)
    np.testing.assert_allclose(by_column.numpy(), expected, rtol=1e-5, atol=1e-6)
