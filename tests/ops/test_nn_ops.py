"""The activations, softmax and log-softmax, bias_add, dropout and zero_fraction of
eagerflow/ops/nn_ops.py: values, dtypes, stability, errors and gradients."""

import math

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops import nn_ops
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError


# --- relu -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, dtype, expected", [
    (tf.constant([-1.0, 0.0, 2.0]), tf.float32, [0.0, 0.0, 2.0]),
    (tf.constant([-1, 3]), tf.int32, [0, 3]),
    ([-1.5, 2.0], tf.float32, [0.0, 2.0]),
    (tf.constant([-1, 3], tf.int8), tf.int8, [0, 3]),
    (tf.constant(-2.0, tf.float64), tf.float64, 0.0),
    (tf.constant([-1.0, 4.0], tf.float16), tf.float16, [0.0, 4.0]),
    (tf.constant([250, 3], tf.uint8), tf.uint8, [250, 3]),
    (tf.constant([-np.inf, np.inf]), tf.float32, [0.0, np.inf]),
])  # recorded from TF 2.21
def test_relu(value, dtype, expected):
    t = tf.nn.relu(value)
    assert t.dtype is dtype
    assert np.asarray(t.numpy()).tolist() == expected


def test_relu_of_nan_is_nan():
    assert np.isnan(tf.nn.relu(tf.constant([np.nan])).numpy()[0])  # recorded from TF 2.21


@pytest.mark.parametrize("value", [tf.constant([1 + 1j]), tf.constant([True])])
def test_relu_dtype_errors(value):
    with pytest.raises(InvalidArgumentError, match=f"Value for attr 'T' of {value.dtype.name} "
                                                   f"is not in the list of allowed values"):
        tf.nn.relu(value)  # recorded from TF 2.21


def test_relu_gradient_at_and_around_zero():
    x = tf.constant([0.0, 1.0, -1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.relu(x)
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 1.0, 0.0]  # recorded from TF 2.21


def test_relu_gradient_multiplies_like_tensorflow():
    # recorded from TF 2.21: ReluGrad is `dy * (x > 0)`, so a NaN or inf upstream gives NaN
    # even where the input is not positive.
    x = tf.constant([-1.0, 0.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.relu(x)
    upstream = tf.constant([float("nan"), float("inf"), 1.0])
    np.testing.assert_array_equal(tape.gradient(y, x, output_gradients=upstream).numpy(),
                                  [np.nan, np.nan, 1.0])


def test_relu_gradients(rng):
    x = rng.standard_normal((3, 4))
    x[np.abs(x) < 0.05] = 0.5  # keep off the kink, where finite differences disagree
    check_gradients(lambda t: tf.nn.relu(t) * t, x, order=2)
    check_gradients(lambda t: tf.nn.relu(t * t - 0.5) ** 2, x, order=2)


def test_relu_second_derivative_is_zero():
    x = tf.constant([-2.0, 3.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.relu(x)
        dy = inner.gradient(y, x)
    assert dy.numpy().tolist() == [0.0, 1.0]
    second = outer.gradient(dy, x, unconnected_gradients="zero")
    assert second.numpy().tolist() == [0.0, 0.0]


# --- softmax ----------------------------------------------------------------------------

LOGITS = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]], np.float32)


def _softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 1, 0, -2, None])
def test_softmax_matches_numpy(axis):
    t = tf.nn.softmax(LOGITS) if axis is None else tf.nn.softmax(LOGITS, axis=axis)
    expected = _softmax(LOGITS.astype(np.float64), -1 if axis is None else axis)
    assert t.dtype is tf.float32
    np.testing.assert_allclose(t.numpy(), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(np.sum(t.numpy(), axis=-1 if axis is None else axis), 1.0,
                               rtol=1e-6)


def test_softmax_recorded_values():
    # recorded from TF 2.21 (float32 values may differ in the last unit)
    t = tf.nn.softmax(tf.constant(LOGITS))
    np.testing.assert_allclose(
        t.numpy(), [[0.09003056585788727, 0.2447284758090973, 0.6652408838272095],
                    [0.5, 0.5, 0.0]], rtol=2e-7)
    assert tf.nn.softmax(LOGITS, axis=0).numpy().tolist() == [[0.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
    assert tf.nn.softmax([1.0, 1.0]).numpy().tolist() == [0.5, 0.5]
    assert tf.nn.softmax(tf.constant([-np.inf, 0.0])).numpy().tolist() == [0.0, 1.0]


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
def test_softmax_dtypes(dtype):
    t = tf.nn.softmax(tf.constant([1.0, 2.0], dtype))
    assert t.dtype is dtype
    # recorded from TF 2.21; float32 may differ from TF in the last unit.
    expected, rtol = {tf.float16: ([0.26904296875, 0.73095703125], 0),
                      tf.float32: ([0.2689414322376251, 0.7310585379600525], 2e-7),
                      tf.float64: ([0.26894142136999516, 0.7310585786300049], 1e-15)}[dtype]
    np.testing.assert_allclose(t.numpy().tolist(), expected, rtol=rtol, atol=0)


def test_softmax_large_logits_are_stable():
    t = tf.nn.softmax(tf.constant([[1e4, 1e4 - 1.0], [-1e4, -1e4]]))
    assert np.all(np.isfinite(t.numpy()))
    np.testing.assert_allclose(t.numpy(), [[0.7310586, 0.26894143], [0.5, 0.5]], rtol=1e-6)
    np.testing.assert_allclose(tf.nn.softmax(tf.constant([3e38, 3e38])).numpy(), [0.5, 0.5])


def test_softmax_of_empty_and_axis_tensor():
    assert tf.nn.softmax(tf.zeros((2, 0))).shape.as_list() == [2, 0]  # recorded from TF 2.21
    t = tf.nn.softmax(tf.constant([[1.0, 2.0]], tf.float64), axis=tf.constant(1))
    np.testing.assert_allclose(t.numpy(), [[0.2689414213699951, 0.7310585786300049]])


@pytest.mark.parametrize("value, axis, message", [
    (LOGITS, 2, "`dim` must be in the range [-2, 2) where 2 is the number of dimensions in the "
                "input. Received: dim=2"),
    (LOGITS, -3, "`dim` must be in the range [-2, 2) where 2 is the number of dimensions in "
                 "the input. Received: dim=-3"),
])  # recorded from TF 2.21
def test_softmax_axis_errors(value, axis, message):
    with pytest.raises(InvalidArgumentError, match=message.replace("[", r"\[").replace(")", r"\)")):
        tf.nn.softmax(value, axis=axis)


def test_softmax_dtype_and_rank_errors():
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32 is not in the "
                                                   "list of allowed values"):
        tf.nn.softmax(tf.constant([1, 2]))  # recorded from TF 2.21
    with pytest.raises(InvalidArgumentError):  # TF 2.21 raises AbortedError here
        tf.nn.softmax(tf.constant(1.0))


@pytest.mark.parametrize("shape, axis", [((3,), -1), ((2, 4), -1), ((2, 4), 0), ((2, 3, 2), 1)])
def test_softmax_gradients(shape, axis, rng):
    check_gradients(lambda x: tf.nn.softmax(x, axis=axis), rng.standard_normal(shape), order=2)


def test_softmax_gradient_recorded():
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.softmax(x) * tf.constant([[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),  # recorded from TF 2.21
                               [[0.08192506, -0.02203304, -0.05989201]], rtol=1e-6)


def test_softmax_gradient_of_a_constant_shift_is_zero(rng):
    x = tf.constant(rng.standard_normal((2, 5)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.nn.softmax(x), axis=-1)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 0.0, atol=1e-15)


# --- the other activations: relu6, leaky_relu, elu, selu, gelu, silu ----------------------

POINTS = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 7.0]
ACTIVATIONS = {
    "relu6": nn_ops.relu6,
    "leaky_relu": nn_ops.leaky_relu,
    "leaky_relu_half": lambda x: nn_ops.leaky_relu(x, alpha=0.5),
    "elu": nn_ops.elu,
    "selu": nn_ops.selu,
    "gelu": nn_ops.gelu,
    "gelu_approx": lambda x: nn_ops.gelu(x, approximate=True),
    "silu": nn_ops.silu,
    "silu_beta": lambda x: nn_ops.silu(x, beta=2.0),
}
ACTIVATION_VALUES = {  # recorded from TF 2.21 at POINTS
    "relu6": {
        "float16": [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 3.0, 6.0],
        "float32": [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 3.0, 6.0],
        "float64": [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 3.0, 6.0],
    },
    "leaky_relu": {
        "float16": [-0.599609375, -0.199951171875, -0.0999755859375, 0.0, 0.5, 1.0, 3.0, 7.0],
        "float32": [-0.6000000238418579, -0.20000000298023224, -0.10000000149011612, 0.0, 0.5,
                    1.0, 3.0, 7.0],
        # float64 too takes alpha through float32, as TensorFlow's float attribute does.
        "float64": [-0.6000000089406967, -0.20000000298023224, -0.10000000149011612, 0.0, 0.5,
                    1.0, 3.0, 7.0],
    },
    "leaky_relu_half": {
        "float16": [-1.5, -0.5, -0.25, 0.0, 0.5, 1.0, 3.0, 7.0],
        "float32": [-1.5, -0.5, -0.25, 0.0, 0.5, 1.0, 3.0, 7.0],
        "float64": [-1.5, -0.5, -0.25, 0.0, 0.5, 1.0, 3.0, 7.0],
    },
    "elu": {
        "float16": [-0.9501953125, -0.6318359375, -0.3935546875, 0.0, 0.5, 1.0, 3.0, 7.0],
        "float32": [-0.9502129554748535, -0.6321205496788025, -0.39346933364868164, 0.0, 0.5,
                    1.0, 3.0, 7.0],
        "float64": [-0.950212931632136, -0.6321205588285577, -0.3934693402873666, 0.0, 0.5, 1.0,
                    3.0, 7.0],
    },
    "selu": {
        "float16": [-1.669921875, -1.1103515625, -0.69189453125, 0.0, 0.525390625, 1.05078125,
                    3.15234375, 7.35546875],
        "float32": [-1.6705687046051025, -1.1113307476043701, -0.6917581558227539, 0.0,
                    0.5253505110740662, 1.0507010221481323, 3.1521029472351074,
                    7.354907035827637],
        "float64": [-1.670568728767112, -1.1113307378125628, -0.6917581878028713, 0.0,
                    0.5253504936777402, 1.0507009873554805, 3.1521029620664414,
                    7.354906911488364],
    },
    "gelu": {
        "float16": [-0.004055023193359375, -0.15869140625, -0.154296875, 0.0, 0.345703125,
                    0.84130859375, 2.99609375, 7.0],
        "float32": [-0.004049695562571287, -0.15865525603294373, -0.1542687714099884, 0.0,
                    0.3457312285900116, 0.8413447141647339, 2.995950222015381, 7.0],
        "float64": [-0.004049694777521031, -0.15865525807260966, -0.1542687708693288, 0.0,
                    0.3457312291306712, 0.8413447419273903, 2.995950305222479,
                    6.999999999991041],
    },
    "gelu_approx": {
        "float16": [-0.003662109375, -0.158935546875, -0.154296875, 0.0, 0.345703125,
                    0.8408203125, 2.99609375, 7.0],
        "float32": [-0.0036374330520629883, -0.15880799293518066, -0.1542859971523285, 0.0,
                    0.3457140028476715, 0.8411920070648193, 2.9963626861572266, 7.0],
        "float64": [-0.0036373923237909, -0.15880800972132364, -0.15428599020775666, 0.0,
                    0.3457140097922433, 0.8411919902786764, 2.9963626076762093, 7.0],
    },
    "silu": {
        "float16": [-0.142333984375, -0.268798828125, -0.188720703125, 0.0, 0.311279296875,
                    0.73095703125, 2.857421875, 6.9921875],
        "float32": [-0.14227759838104248, -0.26894140243530273, -0.1887703388929367, 0.0,
                    0.3112296760082245, 0.7310585379600525, 2.857722282409668,
                    6.993622779846191],
        "float64": [-0.14227761953270035, -0.2689414213699951, -0.18877033439907273, 0.0,
                    0.3112296656009273, 0.7310585786300049, 2.8577223804672998,
                    6.993622641639195],
    },
    "silu_beta": {
        "float16": [-0.007415771484375, -0.11920166015625, -0.1343994140625, 0.0,
                    0.365478515625, 0.880859375, 2.9921875, 7.0],
        "float32": [-0.007417868822813034, -0.11920294165611267, -0.13447070121765137, 0.0,
                    0.36552926898002625, 0.8807970881462097, 2.992582082748413,
                    6.999994277954102],
        "float64": [-0.007417869469904324, -0.11920292202211755, -0.13447071068499755, 0.0,
                    0.36552928931500245, 0.8807970779778824, 2.9925821305300957,
                    6.9999941793038065],
    },
}
# Within a few units in the last place of TF's (its exp, log and tanh round differently);
# the tanh form of gelu cancels near -3, so it gets an absolute tolerance there.
TOLERANCES = {"float16": (2e-3, 1e-5), "float32": (5e-7, 1e-7), "float64": (1e-15, 1e-15)}


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_values_and_dtypes(name, dtype):
    y = ACTIVATIONS[name](tf.constant(np.array(POINTS, dtype)))
    assert y.dtype is tf.as_dtype(dtype)
    rtol, atol = TOLERANCES[dtype]
    np.testing.assert_allclose(y.numpy().astype(np.float64), ACTIVATION_VALUES[name][dtype],
                               rtol=rtol, atol=atol)


def _selu_reference(x):
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return scale * np.where(x < 0, alpha * np.expm1(x), x)


ACTIVATION_REFERENCES = {
    "relu6": lambda x: np.clip(x, 0, 6),
    "leaky_relu": lambda x: np.where(x > 0, x, np.float64(np.float32(0.2)) * x),
    "elu": lambda x: np.where(x < 0, np.expm1(x), x),
    "selu": _selu_reference,
    "silu": lambda x: x / (1 + np.exp(-x)),
    "silu_beta": lambda x: x / (1 + np.exp(-2 * x)),
    # TensorFlow casts the Python float 0.044715 to the dtype through float32.
    "gelu_approx": lambda x: 0.5 * x * (1 + np.tanh(
        np.sqrt(2 / np.pi) * (x + np.float64(np.float32(0.044715)) * x**3))),
}


@pytest.mark.parametrize("name", sorted(ACTIVATION_REFERENCES))
def test_activations_match_numpy(name, rng):
    x = rng.standard_normal((3, 5)) * 4
    np.testing.assert_allclose(ACTIVATIONS[name](tf.constant(x)).numpy(),
                               ACTIVATION_REFERENCES[name](x), rtol=1e-13, atol=1e-15)


def test_gelu_matches_the_normal_cdf():
    x = [-30.0, -10.0, -5.0, -1.5, 0.25, 2.0, 40.0]
    # x * Phi(x), Phi(x) = erfc(-x / sqrt(2)) / 2: at -10 it is -7.6e-23, not a rounded 0.
    # TensorFlow casts 1 / sqrt(2) to the dtype through float32.
    inverse_sqrt2 = float(np.float32(0.7071067811865476))
    expected = [0.5 * v * math.erfc(-v * inverse_sqrt2) for v in x]
    np.testing.assert_allclose(nn_ops.gelu(tf.constant(x, tf.float64)).numpy(), expected,
                               rtol=1e-13)
    assert nn_ops.gelu(tf.constant(x, tf.float64)).numpy()[1] < -7e-23


# Derivatives at [-7, -1, 0, 1, 6, 7] in float64: TF's first and second, kinks included.
DERIVATIVE_POINTS = [-7.0, -1.0, 0.0, 1.0, 6.0, 7.0]
DERIVATIVES = {  # recorded from TF 2.21
    "relu6": ([0.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0] * 6),
    "leaky_relu": ([0.20000000298023224] * 3 + [1.0] * 3, [0.0] * 6),
    "leaky_relu_half": ([0.5, 0.5, 0.5, 1.0, 1.0, 1.0], [0.0] * 6),
    "elu": ([0.000911881965554473, 0.36787944117144233, 1.0, 1.0, 1.0, 1.0],
            [0.000911881965554473, 0.36787944117144233, 0.0, 0.0, 0.0, 0.0]),
    "selu": ([0.0016031790825719039, 0.6467686030348141] + [1.0507009873554805] * 4,
             [0.0016031790825719039, 0.6467686030348141, 0.0, 0.0, 0.0, 0.0]),
    "gelu": ([-6.266328174859959e-11, -0.08331546644653365, 0.5, 1.0833154664465336,
              1.0000000354687306, 1.0000000000626632],
             [-4.2933219656221177e-10, 0.2419707328014484, 0.7978845471476527,
              0.2419707328014484, -2.0658013314847722e-07, -4.2933219656221177e-10]),
    "gelu_approx": ([0.0, -0.08296408293443804, 0.5, 1.082964082934438, 1.0000000007709977,
                     1.0000000000000278],
                    [0.0, 0.24214819716704492, 0.7978845608028654, 0.24214819716704492,
                     -6.824248713572867e-09, -3.254629943137557e-13]),
    "silu": ([-0.005460497066452141, 0.07232948812851325, 0.5, 0.9276705118714869,
              1.0123264325915255, 1.0054604970664518],
             [-0.00453949628730267, 0.3023661188100153, 0.5, 0.3023661188100153,
              -0.009792852189561704, -0.004539496287302458]),
    "silu_beta": ([-1.0809854679489666e-05, -0.09078424878489547, 0.5, 1.0907842487848955,
                   1.0000675854676138, 1.0000108098546794],
                  [-1.9956617348862508e-05, 0.10012433738941383, 1.0, 0.10012433738941383,
                   -0.0001228809249953343, -1.9956617348669015e-05]),
}


@pytest.mark.parametrize("name", sorted(DERIVATIVES))
def test_activation_derivatives_recorded(name):
    x = tf.constant(DERIVATIVE_POINTS, tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = ACTIVATIONS[name](x)
        first = inner.gradient(y, x)
    second = outer.gradient(first, x, unconnected_gradients="zero")
    expected_first, expected_second = DERIVATIVES[name]
    np.testing.assert_allclose(first.numpy(), expected_first, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(second.numpy(), expected_second, rtol=1e-13, atol=1e-12)


def _off_kinks(x, kinks):
    for kink in kinks:
        x[np.abs(x - kink) < 0.05] = kink + 0.5
    return x


@pytest.mark.parametrize("name, kinks", [
    ("relu6", (0.0, 6.0)), ("leaky_relu", (0.0,)), ("leaky_relu_half", (0.0,)),
    ("elu", (0.0,)), ("selu", (0.0,)),
])
def test_piecewise_activation_gradients(name, kinks, rng):
    x = _off_kinks(rng.standard_normal((3, 4)) * 4, kinks)
    f = ACTIVATIONS[name]
    check_gradients(f, x, order=2)
    check_gradients(lambda t: f(t) * t, x, order=2)  # the gradient ops' own gradients


@pytest.mark.parametrize("name", ["gelu", "gelu_approx", "silu", "silu_beta"])
def test_smooth_activation_gradients(name, rng):
    check_gradients(ACTIVATIONS[name], rng.standard_normal((2, 5)) * 3, order=2)


def test_silu_gradient_with_respect_to_beta(rng):
    x = rng.standard_normal((2, 3))
    check_gradients(lambda t, beta: nn_ops.silu(t, beta), x, np.array(1.5), order=2)


def test_swish_is_silu():
    assert nn_ops.swish is nn_ops.silu


@pytest.mark.parametrize("f", [nn_ops.relu6, nn_ops.elu, nn_ops.selu, nn_ops.gelu,
                               nn_ops.silu, nn_ops.leaky_relu])
def test_activations_of_extremes_are_finite(f):
    y = f(tf.constant([-1e30, -100.0, 100.0, 1e30])).numpy()
    assert np.all(np.isfinite(y)) and y[3] >= 6.0


def test_extreme_values_recorded():
    # recorded from TF 2.21
    assert nn_ops.relu6(tf.constant([np.inf, -np.inf])).numpy().tolist() == [6.0, 0.0]
    assert np.isnan(nn_ops.relu6(tf.constant([np.nan])).numpy()[0])
    assert nn_ops.elu(tf.constant([np.inf, -np.inf, -100.0])).numpy().tolist() == [
        np.inf, -1.0, -1.0]
    np.testing.assert_allclose(nn_ops.selu(tf.constant([-np.inf, -100.0])).numpy(),
                               [-1.7580993175506592] * 2, rtol=1e-7)
    assert nn_ops.silu(tf.constant([100.0, -100.0])).numpy().tolist() == [100.0, -0.0]
    assert nn_ops.gelu(tf.constant([1e30, -1e30])).numpy().tolist() == [1.0000000150474662e+30,
                                                                         -0.0]


@pytest.mark.parametrize("value, expected, dtype", [
    (tf.constant([-1, 0, 2, 9]), [0, 0, 2, 6], tf.int32),
    (tf.constant([255, 0, 2, 9], tf.uint8), [6, 0, 2, 6], tf.uint8),
    (tf.constant([-1, 7], tf.int64), [0, 6], tf.int64),
])  # recorded from TF 2.21
def test_relu6_integers(value, expected, dtype):
    y = nn_ops.relu6(value)
    assert y.dtype is dtype and y.numpy().tolist() == expected


def test_leaky_relu_casts_integers_to_float32():
    y = nn_ops.leaky_relu(tf.constant([-5, 5]), alpha=0.5)
    assert y.dtype is tf.float32 and y.numpy().tolist() == [-2.5, 5.0]  # recorded from TF 2.21
    y = nn_ops.leaky_relu(tf.constant([255, 2], tf.uint8))
    assert y.numpy().tolist() == [255.0, 2.0]


def test_leaky_relu_alpha_forms():
    x = tf.constant([-3.0, 1.0])
    # recorded from TF 2.21: alpha above 1, negative, a 0-d array, an int
    assert nn_ops.leaky_relu(x, alpha=2.0).numpy().tolist() == [-6.0, 1.0]
    assert nn_ops.leaky_relu(tf.constant([-3.0, 0.0]), alpha=-1.0).numpy().tolist() == [3.0,
                                                                                         -0.0]
    assert nn_ops.leaky_relu(x, alpha=np.array(0.5)).numpy().tolist() == [-1.5, 1.0]
    assert nn_ops.leaky_relu(x, alpha=1).numpy().tolist() == [-3.0, 1.0]
    with pytest.raises(TypeError, match="Expected float for argument 'alpha' not"):
        nn_ops.leaky_relu(x, alpha=tf.constant(0.5))
    with pytest.raises(TypeError, match="Expected float for argument 'alpha' not 'a'"):
        nn_ops.leaky_relu(x, alpha="a")


def test_silu_beta_is_cast_to_the_features_dtype():
    y = nn_ops.silu(tf.constant([1.0]), beta=tf.constant(2.0, tf.float64))
    assert y.dtype is tf.float32  # recorded from TF 2.21
    np.testing.assert_allclose(y.numpy(), [0.8807970881462097], rtol=3e-7)
    assert nn_ops.silu(tf.constant([1.0 + 0j], tf.complex64)).dtype is tf.complex64


@pytest.mark.parametrize("f, value, message", [
    (nn_ops.relu6, tf.constant([1j]), "Value for attr 'T' of complex128 is not in the list"),
    (nn_ops.relu6, tf.constant([True]), "Value for attr 'T' of bool is not in the list"),
    (nn_ops.elu, tf.constant([1]), "Value for attr 'T' of int32 is not in the list of allowed "
                                   "values: half, float, double"),
    (nn_ops.selu, tf.constant([1], tf.uint8), "Value for attr 'T' of uint8 is not in the list"),
    (nn_ops.leaky_relu, tf.constant([1j], tf.complex64),
     "Value for attr 'T' of complex64 is not in the list"),
    (nn_ops.silu, tf.constant([1]), "Value for attr 'T' of int32 is not in the list"),
])  # recorded from TF 2.21 (TF's lists also name bfloat16)
def test_activation_dtype_errors(f, value, message):
    with pytest.raises(InvalidArgumentError, match=message):
        f(value)


def test_gelu_dtype_error():
    with pytest.raises(ValueError, match=r"`features.dtype` must be a floating point tensor\."
                                         r"Received:features.dtype=<dtype: 'int32'>"):
        nn_ops.gelu(tf.constant([1, 2]))  # recorded from TF 2.21


def test_activations_accept_lists_and_variables():
    assert nn_ops.gelu([0.0]).numpy().tolist() == [0.0]
    v = tf.Variable([-1.0, 8.0])
    with tf.GradientTape() as tape:
        y = nn_ops.relu6(v) + nn_ops.leaky_relu(v) + nn_ops.elu(v)
    assert y.numpy().tolist()[1] == 6.0 + 8.0 + 8.0
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [0.2 + np.exp(-1.0), 2.0],
                               rtol=1e-6)


# --- crelu --------------------------------------------------------------------------------

def test_crelu():
    x = tf.constant([[-1.0, 2.0]])
    # recorded from TF 2.21
    assert nn_ops.crelu(x).numpy().tolist() == [[0.0, 2.0, 1.0, 0.0]]
    assert nn_ops.crelu(x, axis=0).numpy().tolist() == [[0.0, 2.0], [1.0, 0.0]]
    y = nn_ops.crelu(tf.constant([-1, 2]))
    assert y.dtype is tf.int32 and y.numpy().tolist() == [0, 2, 1, 0]


def test_crelu_errors_and_gradients(rng):
    with pytest.raises(InvalidArgumentError):
        nn_ops.crelu(tf.constant(-1.0))  # TF 2.21: ConcatV2 cannot join scalars
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of uint8"):
        nn_ops.crelu(tf.constant([1, 2], tf.uint8))  # recorded from TF 2.21 (from Neg)
    x = _off_kinks(rng.standard_normal((2, 3)), (0.0,))
    check_gradients(lambda t: nn_ops.crelu(t, axis=0) * 2.0, x, order=2)


# --- log_softmax --------------------------------------------------------------------------

def test_log_softmax_recorded_values():
    t = nn_ops.log_softmax(tf.constant(LOGITS))
    assert t.dtype is tf.float32
    # recorded from TF 2.21; NumPy's float32 log may differ from TF's by a unit or two.
    np.testing.assert_allclose(t.numpy(), [
        [-2.4076058864593506, -1.4076058864593506, -0.40760594606399536],
        [-0.6931471824645996, -0.6931471824645996, -2000.693115234375]], rtol=3e-7)
    assert nn_ops.log_softmax(LOGITS, axis=0).numpy().tolist() == [[-999.0, -998.0, 0.0],
                                                                    [0.0, 0.0, -1003.0]]
    assert nn_ops.log_softmax(tf.constant([-np.inf, 0.0])).numpy().tolist() == [-np.inf, 0.0]
    assert np.isnan(nn_ops.log_softmax(tf.constant([np.inf, 0.0])).numpy()).all()


@pytest.mark.parametrize("dtype, expected, rtol", [
    # float16 is computed in float32 and rounded once; TF's kernel rounds at each step and
    # lands up to a unit and a half away.
    (tf.float16, [-2.408203125, -1.408203125, -0.407958984375], 2e-3),
    (tf.float32, [-2.4076058864593506, -1.4076058864593506, -0.40760594606399536], 3e-7),
    (tf.float64, [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804], 1e-15),
])  # recorded from TF 2.21
def test_log_softmax_dtypes(dtype, expected, rtol):
    t = nn_ops.log_softmax(tf.constant([1.0, 2.0, 3.0], dtype))
    assert t.dtype is dtype
    np.testing.assert_allclose(t.numpy().tolist(), expected, rtol=rtol)


@pytest.mark.parametrize("axis", [-1, 0, 1, None])
def test_log_softmax_is_the_log_of_softmax(axis, rng):
    x = rng.standard_normal((3, 4)) * 5
    expected = np.log(_softmax(x, -1 if axis is None else axis))
    np.testing.assert_allclose(nn_ops.log_softmax(x, axis=axis).numpy(), expected, rtol=1e-12,
                               atol=1e-15)


def test_log_softmax_large_logits_are_stable():
    t = nn_ops.log_softmax(tf.constant([[3e38, 3e38], [-3e38, 0.0], [1e4, 1e4 - 1]]))
    assert np.all(np.isfinite(t.numpy()))
    np.testing.assert_allclose(t.numpy(), [[-0.6931472, -0.6931472], [-3e38, 0.0],
                                           [-0.31326169, -1.3132617]], rtol=1e-6)


def test_log_softmax_shapes_and_errors():
    assert nn_ops.log_softmax(tf.zeros((2, 0))).shape.as_list() == [2, 0]
    t = nn_ops.log_softmax(tf.ones((2, 3)), axis=tf.constant(0))
    np.testing.assert_allclose(t.numpy(), np.full((2, 3), -0.6931471824645996))
    # recorded from TF 2.21
    with pytest.raises(InvalidArgumentError, match=r"logits must have >= 1 dimension, got \[\]"):
        nn_ops.log_softmax(tf.constant(1.0))
    with pytest.raises(InvalidArgumentError, match=r"`dim` must be in the range \[-2, 2\) where "
                                                   r"2 is the number of dimensions in the "
                                                   r"input. Received: dim=2"):
        nn_ops.log_softmax(LOGITS, axis=2)
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32"):
        nn_ops.log_softmax(tf.constant([1, 2]))


@pytest.mark.parametrize("shape, axis", [((3,), -1), ((2, 4), 0), ((2, 3, 2), 1)])
def test_log_softmax_gradients(shape, axis, rng):
    check_gradients(lambda x: nn_ops.log_softmax(x, axis=axis), rng.standard_normal(shape),
                    order=2)


def test_log_softmax_gradient_recorded():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = nn_ops.log_softmax(x) * tf.constant([1.0, 0.0, 0.0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),  # recorded from TF 2.21
                               [0.9099694490432739, -0.24472849071025848, -0.6652409434318542],
                               rtol=1e-6)


# --- bias_add -----------------------------------------------------------------------------

VALUE = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)


@pytest.mark.parametrize("data_format, bias, expected_row", [
    (None, [1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 5.0, 7.0]),
    ("NHWC", [1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 5.0, 7.0]),
    ("NWC", [100.0, 200.0, 300.0, 1.0], [100.0, 201.0, 302.0, 4.0]),
    ("NCHW", [100.0, 200.0, 300.0], [100.0, 101.0, 102.0, 103.0]),
    ("NCW", [100.0, 200.0, 300.0], [100.0, 101.0, 102.0, 103.0]),
])  # recorded from TF 2.21
def test_bias_add(data_format, bias, expected_row):
    y = nn_ops.bias_add(VALUE, tf.constant(bias), data_format=data_format)
    assert y.dtype is tf.float32 and y.shape.as_list() == [2, 3, 4]
    assert y.numpy()[0, 0].tolist() == expected_row
    channel = 1 if data_format and data_format.startswith("NC") else 2
    shape = [1, 1, 1]
    shape[channel] = -1
    np.testing.assert_array_equal(y.numpy(), VALUE + np.reshape(bias, shape))


@pytest.mark.parametrize("value, bias, dtype", [
    (tf.ones((2, 2), tf.int32), [1, 2], tf.int32),
    (tf.ones((2, 2), tf.uint8), tf.constant([1, 2], tf.uint8), tf.uint8),
    (tf.ones((2, 2), tf.float16), tf.constant([1, 2], tf.float16), tf.float16),
    (tf.ones((2, 2), tf.complex64), tf.constant([1, 2], tf.complex64), tf.complex64),
    (tf.ones((2, 2)), [1, 2], tf.float32),
])  # recorded from TF 2.21
def test_bias_add_dtypes(value, bias, dtype):
    y = nn_ops.bias_add(value, bias)
    assert y.dtype is dtype and np.real(y.numpy()).tolist() == [[2, 3], [2, 3]]


@pytest.mark.parametrize("data_format, shape", [("NHWC", (2, 3, 4)), ("NCHW", (2, 3, 4)),
                                                ("NCHW", (2, 3)), ("NHWC", (3, 2, 2, 2))])
def test_bias_add_gradients(data_format, shape, rng):
    channels = shape[1] if data_format == "NCHW" else shape[-1]
    check_gradients(lambda v, b: nn_ops.bias_add(v, b, data_format=data_format) ** 2,
                    rng.standard_normal(shape), rng.standard_normal(channels), order=2)


@pytest.mark.parametrize("data_format, bias, expected_bias_grad", [
    (None, [1.0, 2.0, 3.0, 4.0], [60.0, 66.0, 72.0, 78.0]),
    ("NCHW", [1.0, 2.0, 3.0], [60.0, 92.0, 124.0]),
])  # recorded from TF 2.21
def test_bias_add_gradient_recorded(data_format, bias, expected_bias_grad):
    v, b = tf.constant(VALUE), tf.constant(bias)
    with tf.GradientTape() as tape:
        tape.watch([v, b])
        y = nn_ops.bias_add(v, b, data_format=data_format) * v
    dv, db = tape.gradient(y, [v, b])
    assert db.numpy().tolist() == expected_bias_grad
    np.testing.assert_array_equal(dv.numpy(), nn_ops.bias_add(v, b, data_format).numpy() + VALUE)


@pytest.mark.parametrize("value, bias, data_format, error, message", [
    (VALUE, [1.0, 2.0, 3.0, 4.0], "CHWN", ValueError,
     r"`data_format` must be of the form `N...C` or `NC...`. Received: data_format=CHWN"),
    (VALUE, [1.0, 2.0, 3.0, 4.0], "nhwc", ValueError, "data_format=nhwc"),
    (VALUE, [1.0, 2.0, 3.0], None, InvalidArgumentError,
     r"Must provide as many biases as the last dimension of the input tensor: \[3\] vs. "
     r"\[2,3,4\]"),
    (VALUE, [1.0, 2.0, 3.0, 4.0], "NCHW", InvalidArgumentError, r"\[4\] vs. \[2,3,4\]"),
    (VALUE, [[1.0, 2.0, 3.0, 4.0]], None, InvalidArgumentError, r"Biases must be 1D: \[1,4\]"),
    ([1.0, 2.0], [1.0, 2.0], None, InvalidArgumentError,
     r"Input tensor must be at least 2D: \[2\]"),
    (tf.ones((2, 2)), tf.constant([1.0, 2.0], tf.float64), None, InvalidArgumentError,
     r"cannot compute BiasAdd as input #1\(zero-based\) was expected to be a float tensor but "
     r"is a double tensor"),
    (tf.ones((2, 2), tf.bool), tf.constant([True, False]), None, InvalidArgumentError,
     "Value for attr 'T' of bool is not in the list of allowed values"),
])  # recorded from TF 2.21
def test_bias_add_errors(value, bias, data_format, error, message):
    with pytest.raises(error, match=message):
        nn_ops.bias_add(value, bias, data_format=data_format)


# --- dropout ------------------------------------------------------------------------------

@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_dropout_keeps_the_expected_fraction_and_scales_it(rate):
    x = tf.ones((400, 250))
    y = nn_ops.dropout(x, rate=rate, seed=7).numpy()
    kept = y != 0
    assert abs(kept.mean() - (1 - rate)) < 0.01  # 100,000 draws: the deviation is < 0.002
    np.testing.assert_allclose(y[kept], np.float32(1 / (1 - rate)))
    assert abs(y.mean() - 1.0) < 0.05  # the expected sum is unchanged


@pytest.mark.parametrize("dtype, rate, scale", [
    (tf.float16, 0.1, 1.111328125),
    (tf.float32, 0.25, 1.3333333730697632),
    (tf.float32, 0.3, 1.4285714626312256),
    (tf.float64, 0.3, 1.4285714285714286),
])  # recorded from TF 2.21
def test_dropout_scale_and_dtypes(dtype, rate, scale):
    y = nn_ops.dropout(tf.ones((200,), dtype), rate, seed=3)
    assert y.dtype is dtype
    assert sorted(set(y.numpy().tolist())) == [0.0, scale]


def test_dropout_of_values_keeps_them_scaled(rng):
    x = rng.standard_normal((50, 40)).astype(np.float32)
    y = nn_ops.dropout(x, 0.4, seed=1).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], x[kept] * np.float32(1 / 0.6), rtol=1e-7)


@pytest.mark.parametrize("noise_shape", [[50, 1], [None, 1], (50, 1),
                                         tf.constant([50, 1]), tf.TensorShape([50, 1])])
def test_dropout_noise_shape_drops_whole_rows(noise_shape):
    y = nn_ops.dropout(tf.ones((50, 30)), 0.5, noise_shape=noise_shape, seed=2).numpy()
    assert y.shape == (50, 30)
    assert np.all((y == y[:, :1]))  # each row is all kept or all dropped
    assert 0 < np.count_nonzero(y[:, 0]) < 50


def test_dropout_noise_shape_broadcasts_as_select_does():
    y = nn_ops.dropout(tf.ones((4, 6)), 0.5, noise_shape=[1, 6], seed=2).numpy()
    assert np.all(y == y[:1])  # columns dropped together
    # recorded from TF 2.21: a mask of higher rank broadcasts the result to its shape
    assert nn_ops.dropout(tf.ones((2, 3)), 0.5, noise_shape=[1, 2, 3]).shape.as_list() == [
        1, 2, 3]
    with pytest.raises(InvalidArgumentError, match=r"condition \[3,1\], then \[2,3\], and else "
                                                   r"\[\] must be broadcastable"):
        nn_ops.dropout(tf.ones((2, 3)), 0.5, noise_shape=[3, 1])


def test_dropout_rate_zero_is_the_identity():
    x = tf.constant([1.0, 2.0])
    assert nn_ops.dropout(x, 0.0) is x
    assert nn_ops.dropout([1.0, 2.0], 0).numpy().tolist() == [1.0, 2.0]


def test_dropout_with_a_seed_is_reproducible():
    tf.random.set_seed(11)
    first = [nn_ops.dropout(tf.ones((20,)), 0.5, seed=4).numpy() for _ in range(2)]
    tf.random.set_seed(11)
    second = [nn_ops.dropout(tf.ones((20,)), 0.5, seed=4).numpy() for _ in range(2)]
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first[0], first[1])  # the op seed's state moves on
    tf.random.set_seed(None)


def test_dropout_rate_tensor():
    y = nn_ops.dropout(tf.ones((1000,)), tf.constant(0.5), seed=5).numpy()
    assert set(y.tolist()) == {0.0, 2.0}
    assert nn_ops.dropout(tf.ones((2, 3)), np.float32(0.5)).shape.as_list() == [2, 3]


def test_dropout_gradient_is_the_scaled_mask():
    x = tf.constant(np.linspace(1.0, 2.0, 40), tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = nn_ops.dropout(x, 0.5, seed=1)
    grad = tape.gradient(y, x).numpy()
    np.testing.assert_array_equal(grad, np.where(y.numpy() != 0, 2.0, 0.0))


@pytest.mark.parametrize("x, rate, error, message", [
    (tf.ones((2,)), 1.0, ValueError, r"`rate` must be a scalar tensor or a float in the range "
                                     r"\[0, 1\). Received: rate=1.0"),
    (tf.ones((2,)), -0.1, ValueError, r"Received: rate=-0.1"),
    (tf.ones((2,)), "a", ValueError, "`rate` must be a scalar or scalar tensor. Received: "
                                     "rate=a"),
    (tf.ones((2,)), None, ValueError, "`rate` must be a scalar or scalar tensor"),
    (tf.ones((2,)), np.array(0.5), ValueError, "`rate` must be a scalar or scalar tensor"),
    (tf.ones((2,)), tf.constant([0.5]), ValueError, r"Shape \(1,\) must have rank 0"),
    (tf.ones((2,)), tf.constant(0.5, tf.float64), ValueError,
     "`x.dtype` must be compatible with `rate.dtype`. Received: x.dtype=<dtype: 'float32'> "
     "and rate.dtype=<dtype: 'float64'>"),
    (tf.constant([1, 2]), 0.5, ValueError, "`x.dtype` must be a floating point tensor as `x` "
                                           "will be scaled. Received: x_dtype=<dtype: 'int32'>"),
    (tf.constant([1, 2]), 0.0, ValueError, "`x.dtype` must be a floating point tensor"),
])  # recorded from TF 2.21
def test_dropout_errors(x, rate, error, message):
    with pytest.raises(error, match=message):
        nn_ops.dropout(x, rate)


def test_dropout_of_empty():
    assert nn_ops.dropout(tf.zeros((0, 3)), 0.5).shape.as_list() == [0, 3]


# --- zero_fraction ---------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (tf.constant([0.0, 1.0, 0.0, 2.0]), 0.5),
    (tf.constant([[0, 1, 0]]), 0.6666666865348816),
    (tf.constant([True, False, False]), 0.6666666865348816),
    (tf.constant([np.nan, -0.0]), 0.5),
    (tf.constant(["", "a"]), 0.5),
    (tf.constant([0j, 1j]), 0.5),
    (tf.Variable([0.0, 1.0]), 0.5),
])  # recorded from TF 2.21
def test_zero_fraction(value, expected):
    y = nn_ops.zero_fraction(value)
    assert y.dtype is tf.float32 and y.shape.rank == 0 and float(y) == expected


def test_zero_fraction_of_empty_is_nan():
    assert np.isnan(float(nn_ops.zero_fraction(tf.zeros((0,)))))  # recorded from TF 2.21


# --- softmax and log-softmax on a batch of logits (a short class axis, many rows) -----------

def _batch_logits(rng, dtype=np.float32):
    x = (rng.standard_normal((128, 10)) * 5).astype(dtype)
    x[3, 4] = np.nan
    x[5, :] = -np.inf
    x[7, 2] = -np.inf
    x[9, :] = 1e4
    return x


def test_softmax_on_a_batch_matches_numpy(rng):
    x = _batch_logits(rng)
    expected = _softmax(x.astype(np.float64))
    result = tf.nn.softmax(x).numpy()
    assert result.dtype == np.float32
    # a NaN or an all -inf row is NaN throughout, as TensorFlow's Eigen kernel gives
    assert np.isnan(result[3]).all() and np.isnan(result[5]).all()
    assert result[7, 2] == 0.0
    np.testing.assert_allclose(result[9], 0.1, rtol=1e-6)
    np.testing.assert_allclose(result, expected, rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(tf.nn.softmax(x, axis=0).numpy(), _softmax(x.astype(np.float64), 0),
                               rtol=2e-6, atol=1e-7)


def test_log_softmax_on_a_batch_matches_numpy(rng):
    x = _batch_logits(rng, np.float64)
    shifted = x - np.max(x, axis=-1, keepdims=True)
    expected = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    np.testing.assert_allclose(tf.nn.log_softmax(x).numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("op", [tf.nn.softmax, tf.nn.log_softmax])
def test_float16_batch_is_computed_in_float32_and_rounded_once(op, rng):
    x = (rng.standard_normal((64, 6)) * 3).astype(np.float16)
    result = op(x)
    assert result.dtype is tf.float16
    expected = op(x.astype(np.float32)).numpy().astype(np.float16)
    np.testing.assert_array_equal(result.numpy(), expected)


def test_selecting_activations_on_many_elements_equal_their_formulas(rng):
    x = (rng.standard_normal((128, 64)) * 3).astype(np.float32)
    x[0, :4] = [np.nan, -0.0, np.inf, -np.inf]
    alpha = np.float32(0.2)
    scale, scale_alpha = np.float32(1.0507009873554805), np.float32(1.7580993408473769)
    for op, expected in [
            (lambda t: nn_ops.leaky_relu(t, alpha=0.2), np.where(x > 0, x, x * alpha)),
            (nn_ops.elu, np.where(x < 0, np.expm1(x), x)),
            (nn_ops.selu, np.where(x < 0, scale_alpha * np.expm1(x), scale * x))]:
        assert op(tf.constant(x)).numpy().tobytes() == expected.astype(np.float32).tobytes()
    dy = rng.standard_normal((128, 64)).astype(np.float32)
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = nn_ops.leaky_relu(t, alpha=0.2)
    grad = tape.gradient(y, t, output_gradients=tf.constant(dy)).numpy()
    assert grad.tobytes() == np.where(x > 0, dy, dy * alpha).tobytes()
