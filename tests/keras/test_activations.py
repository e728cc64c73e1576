"""Tests of eagerflow/keras/activations.py.

Values are checked against Keras 3.15's (recorded as literals) and against NumPy formulas
in float64; gradients go through `check_gradients`.
"""

import math
import warnings

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import activations
from tests.gradient_check import check_gradients

X = np.array([-5, -3, -1.5, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 1.5, 3, 5, 7], np.float32)
X2 = np.array([[1.0, -2.0, 0.5, 3.0], [0.1, 0.2, -0.3, 4.0]], np.float32)

RECORDED = {  # recorded from Keras 3.15 (TF 2.21 backend), float32, rounded to 7 digits
    "relu": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 7.0],
    "relu_slope": [
        -0.5, -0.3, -0.15, -0.1, -0.05, -0.01, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "relu_max": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.5, 1.0, 1.5, 2.5, 2.5, 2.5],
    "relu_threshold": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 3.0, 5.0, 7.0],
    "relu_all": [
        -0.6, -0.4, -0.25, -0.2, -0.15, -0.11, -0.1, -0.09, -0.05, 0.0, 1.5, 2.5, 2.5, 2.5,
    ],
    "relu_max6": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 6.0],
    "relu_slope_max6": [
        -0.5, -0.3, -0.15, -0.1, -0.05, -0.01, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 6.0,
    ],
    "relu_slope_threshold": [
        -0.4, -0.2, -0.05, 0.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "relu6": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 6.0],
    "sigmoid": [
        0.006692852, 0.04742587, 0.1824255, 0.2689414, 0.3775407, 0.4750208, 0.5, 0.5249792,
        0.6224594, 0.7310586, 0.8175745, 0.9525741, 0.9933072, 0.9990889,
    ],
    "tanh": [
        -0.9999092, -0.9950547, -0.9051483, -0.7615942, -0.4621171, -0.099668, 0.0, 0.099668,
        0.4621171, 0.7615942, 0.9051483, 0.9950547, 0.9999092, 0.9999983,
    ],
    "elu": [
        -0.9932621, -0.950213, -0.7768698, -0.6321205, -0.3934693, -0.09516263, 0.0, 0.1, 0.5,
        1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "elu_alpha": [
        -0.496631, -0.4751065, -0.3884349, -0.3160603, -0.1967347, -0.04758132, 0.0, 0.1, 0.5,
        1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "selu": [
        -1.746253, -1.670569, -1.365814, -1.111331, -0.6917582, -0.1673054, 0.0, 0.1050701,
        0.5253505, 1.050701, 1.576051, 3.152103, 5.253505, 7.354907,
    ],
    "celu": [
        -1.83583, -1.55374, -1.055267, -0.7869387, -0.4423984, -0.09754115, 0.0, 0.1, 0.5,
        1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "gelu": [
        -1.433258e-06, -0.004049696, -0.1002108, -0.1586553, -0.1542688, -0.04601722, 0.0,
        0.05398278, 0.3457312, 0.8413447, 1.399789, 2.99595, 4.999999, 7.0,
    ],
    "gelu_approximate": [
        -0.0, -0.003637433, -0.1004284, -0.158808, -0.154286, -0.04601725, 0.0, 0.05398275,
        0.345714, 0.841192, 1.399572, 2.996363, 5.0, 7.0,
    ],
    "silu": [
        -0.03346426, -0.1422776, -0.2736383, -0.2689414, -0.1887703, -0.04750208, 0.0,
        0.05249792, 0.3112297, 0.7310586, 1.226362, 2.857722, 4.966536, 6.993623,
    ],
    "softplus": [
        0.006715349, 0.04858736, 0.2014133, 0.3132617, 0.474077, 0.6443967, 0.6931472,
        0.7443967, 0.974077, 1.313262, 1.701413, 3.048587, 5.006715, 7.000912,
    ],
    "softsign": [
        -0.8333333, -0.75, -0.6, -0.5, -0.3333333, -0.09090909, 0.0, 0.09090909, 0.3333333,
        0.5, 0.6, 0.75, 0.8333333, 0.875,
    ],
    "exponential": [
        0.006737947, 0.04978707, 0.2231302, 0.3678795, 0.6065307, 0.9048374, 1.0, 1.105171,
        1.648721, 2.718282, 4.481689, 20.08554, 148.4132, 1096.633,
    ],
    "hard_sigmoid": [
        0.0, 0.0, 0.25, 0.3333333, 0.4166667, 0.4833333, 0.5, 0.5166667, 0.5833333, 0.6666667,
        0.75, 1.0, 1.0, 1.0,
    ],
    "hard_silu": [
        -0.0, -0.0, -0.375, -0.3333333, -0.2083333, -0.04833334, 0.0, 0.05166667, 0.2916667,
        0.6666667, 1.125, 3.0, 5.0, 7.0,
    ],
    "leaky_relu": [
        -1.0, -0.6, -0.3, -0.2, -0.1, -0.02, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "leaky_relu_slope": [
        -1.5, -0.9, -0.45, -0.3, -0.15, -0.03, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "mish": [
        -0.03357624, -0.1456475, -0.2980997, -0.3034015, -0.2207438, -0.05678857, 0.0,
        0.06317943, 0.3752452, 0.8650984, 1.403378, 2.986535, 4.999552, 6.999989,
    ],
    "linear": [-5.0, -3.0, -1.5, -1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 1.5, 3.0, 5.0, 7.0],
    "log_sigmoid": [
        -5.006715, -3.048587, -1.701413, -1.313262, -0.9740769, -0.7443967, -0.6931472,
        -0.6443967, -0.474077, -0.3132617, -0.2014133, -0.04858735, -0.006715348,
        -0.0009114665,
    ],
    "hard_tanh": [-1.0, -1.0, -1.0, -1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0],
    "hard_shrink": [-5.0, -3.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 3.0, 5.0, 7.0],
    "soft_shrink": [-4.0, -2.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 2.0, 4.0, 6.0],
    "sparse_plus": [
        0.0, 0.0, 0.0, 0.0, 0.0625, 0.2025, 0.25, 0.3025, 0.5625, 1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "sparse_sigmoid": [
        0.0, 0.0, 0.0, 0.0, 0.25, 0.45, 0.5, 0.55, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0,
    ],
    "squareplus": [
        0.09807611, 0.1583124, 0.2807764, 0.3660254, 0.5, 0.6588723, 0.7071068, 0.7588723,
        1.0, 1.366025, 1.780776, 3.158312, 5.098076, 7.070714,
    ],
    "tanh_shrink": [
        -4.000091, -2.004945, -0.5948517, -0.2384058, -0.03788286, -0.0003319979, 0.0,
        0.0003319979, 0.03788286, 0.2384058, 0.5948517, 2.004945, 4.000091, 6.000002,
    ],
    "threshold": [
        -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, 1.0, 1.5, 3.0, 5.0, 7.0,
    ],
    "softmax": [
        0.1105537, 0.005504146, 0.06705424, 0.8168878, 0.01916519, 0.02118081, 0.01284681,
        0.9468071,
    ],
    "softmax_axis0": [
        0.7109495, 0.09975048, 0.6899745, 0.2689414, 0.2890505, 0.9002495, 0.3100255,
        0.7310585,
    ],
    "softmax_axes": [
        0.03304764, 0.001645345, 0.02004441, 0.2441909, 0.01343617, 0.01484926, 0.009006531,
        0.6637797,
    ],
    "log_softmax": [
        -2.202254, -5.202253, -2.702254, -0.2022535, -3.95466, -3.85466, -4.35466,
        -0.05465975,
    ],
    "log_softmax_axis0": [
        -0.3411539, -2.305083, -0.3711006, -1.313262, -1.241154, -0.1050833, -1.171101,
        -0.3132617,
    ],
    "glu": [0.6224594, -1.905148, 0.04255575, 0.1964028],
}

CALLS = {
    "relu": lambda: activations.relu(X),
    "relu_slope": lambda: activations.relu(X, negative_slope=0.1),
    "relu_max": lambda: activations.relu(X, max_value=2.5),
    "relu_threshold": lambda: activations.relu(X, threshold=1.0),
    "relu_all": lambda: activations.relu(X, negative_slope=0.1, max_value=2.5, threshold=1.0),
    "relu_max6": lambda: activations.relu(X, max_value=6.0),
    "relu_slope_max6": lambda: activations.relu(X, negative_slope=0.1, max_value=6.0),
    "relu_slope_threshold": lambda: activations.relu(X, negative_slope=0.1, threshold=-1.0),
    "relu6": lambda: activations.relu6(X),
    "sigmoid": lambda: activations.sigmoid(X),
    "tanh": lambda: activations.tanh(X),
    "elu": lambda: activations.elu(X),
    "elu_alpha": lambda: activations.elu(X, alpha=0.5),
    "selu": lambda: activations.selu(X),
    "celu": lambda: activations.celu(X, alpha=2.0),
    "gelu": lambda: activations.gelu(X),
    "gelu_approximate": lambda: activations.gelu(X, approximate=True),
    "silu": lambda: activations.silu(X),
    "softplus": lambda: activations.softplus(X),
    "softsign": lambda: activations.softsign(X),
    "exponential": lambda: activations.exponential(X),
    "hard_sigmoid": lambda: activations.hard_sigmoid(X),
    "hard_silu": lambda: activations.hard_silu(X),
    "leaky_relu": lambda: activations.leaky_relu(X),
    "leaky_relu_slope": lambda: activations.leaky_relu(X, negative_slope=0.3),
    "mish": lambda: activations.mish(X),
    "linear": lambda: activations.linear(X),
    "log_sigmoid": lambda: activations.log_sigmoid(X),
    "hard_tanh": lambda: activations.hard_tanh(X),
    "hard_shrink": lambda: activations.hard_shrink(X, threshold=1.0),
    "soft_shrink": lambda: activations.soft_shrink(X, threshold=1.0),
    "sparse_plus": lambda: activations.sparse_plus(X),
    "sparse_sigmoid": lambda: activations.sparse_sigmoid(X),
    "squareplus": lambda: activations.squareplus(X, b=2),
    "tanh_shrink": lambda: activations.tanh_shrink(X),
    "threshold": lambda: activations.threshold(X, 0.5, -2.0),
    "softmax": lambda: activations.softmax(X2),
    "softmax_axis0": lambda: activations.softmax(X2, axis=0),
    "softmax_axes": lambda: activations.softmax(X2, axis=(0, 1)),
    "log_softmax": lambda: activations.log_softmax(X2),
    "log_softmax_axis0": lambda: activations.log_softmax(X2, axis=0),
    "glu": lambda: activations.glu(X2),
}


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_matches_keras(case):
    result = CALLS[case]()
    if case != "linear":
        assert result.dtype == tf.float32
    np.testing.assert_allclose(np.ravel(result), RECORDED[case], rtol=1e-5, atol=1e-6)


# --- NumPy references in float64 ----------------------------------------------------------

def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _erf(x):
    return np.vectorize(math.erf)(x)


def _log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

REFERENCES = {
    "relu": (activations.relu, lambda x: np.maximum(x, 0)),
    "relu6": (activations.relu6, lambda x: np.clip(x, 0, 6)),
    "sigmoid": (activations.sigmoid, _sigmoid),
    "tanh": (activations.tanh, np.tanh),
    "elu": (activations.elu, lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))),
    "selu": (activations.selu,
             lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0)))),
    "celu": (activations.celu, lambda x: np.maximum(x, 0) + np.expm1(np.minimum(x, 0))),
    "gelu": (activations.gelu, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    "gelu_approximate": (
        lambda x: activations.gelu(x, approximate=True),
        lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))),
    "silu": (activations.silu, lambda x: x * _sigmoid(x)),
    "swish": (activations.swish, lambda x: x * _sigmoid(x)),
    "softplus": (activations.softplus, _softplus),
    "softsign": (activations.softsign, lambda x: x / (1 + np.abs(x))),
    "exponential": (activations.exponential, np.exp),
    "hard_sigmoid": (activations.hard_sigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    "hard_silu": (activations.hard_silu, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    "leaky_relu": (activations.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
    "mish": (activations.mish, lambda x: x * np.tanh(_softplus(x))),
    "log_sigmoid": (activations.log_sigmoid, lambda x: -_softplus(-x)),
    "hard_tanh": (activations.hard_tanh, lambda x: np.clip(x, -1, 1)),
    "squareplus": (activations.squareplus, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    "tanh_shrink": (activations.tanh_shrink, lambda x: x - np.tanh(x)),
    "softmax": (activations.softmax, lambda x: np.exp(_log_softmax(x, -1))),
    "log_softmax": (activations.log_softmax, lambda x: _log_softmax(x, -1)),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_matches_numpy_in_float64(name, rng):
    function, reference = REFERENCES[name]
    x = np.concatenate([rng.standard_normal((3, 8)) * 4, [[-30.0, -8.0, -1e-3, 0.0,
                                                           1e-3, 8.0, 30.0, 80.0]]])
    result = function(tf.constant(x))
    assert result.dtype == tf.float64
    np.testing.assert_allclose(result.numpy(), reference(x), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", sorted(set(activations._BY_NAME) - {"glu"}))
def test_dtypes_are_kept(name):
    function = activations.get(name)
    arguments = (0.0, 0.0) if name == "threshold" else ()
    for dtype in (tf.float32, tf.float64):
        x = tf.constant([[-2.0, -0.5, 0.5, 2.0]], dtype)
        result = function(x, *arguments)
        assert result.dtype == dtype
        assert result.shape == x.shape


def test_accepts_lists_arrays_and_variables():
    expected = [0.0, 2.0]
    assert activations.relu([-1.0, 2.0]).numpy().tolist() == expected
    assert activations.relu(np.array([-1.0, 2.0])).numpy().tolist() == expected
    assert activations.relu(tf.Variable([-1.0, 2.0])).numpy().tolist() == expected


def test_no_overflow_in_branches_not_taken():
    x = tf.constant([-200.0, 0.0, 200.0])
    for function in (activations.elu, activations.selu, activations.softplus,
                     activations.log_sigmoid, activations.mish, activations.gelu):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = function(x)
        gradient = tape.gradient(y, x)
        assert np.all(np.isfinite(y.numpy())), function.__name__
        assert np.all(np.isfinite(gradient.numpy())), function.__name__


def test_softplus_gradient_at_zero_is_one_half():
    x = tf.constant(0.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = activations.softplus(x)
    assert float(tape.gradient(y, x)) == 0.5


SMOOTH = ["sigmoid", "tanh", "elu", "selu", "celu", "gelu", "silu", "softplus", "softsign",
          "mish", "log_sigmoid", "squareplus", "tanh_shrink", "exponential"]


@pytest.mark.parametrize("name", SMOOTH)
def test_gradients(name, rng):
    x = rng.uniform(0.2, 2.0, (2, 3)) * rng.choice([-1.0, 1.0], (2, 3))
    check_gradients(activations.get(name), x, order=1)


@pytest.mark.parametrize("name", ["relu", "relu6", "leaky_relu", "hard_sigmoid", "hard_silu",
                                  "hard_tanh", "sparse_plus", "sparse_sigmoid"])
def test_piecewise_gradients_away_from_kinks(name):
    x = np.array([[-4.1, -2.3, -0.7, 0.4], [0.8, 2.2, 3.7, 7.1]])
    check_gradients(activations.get(name), x, order=1)


@pytest.mark.parametrize("function", [
    lambda x: activations.softmax(x, axis=0),
    lambda x: activations.softmax(x, axis=(0, 1)),
    lambda x: activations.log_softmax(x),
    lambda x: activations.gelu(x, approximate=True),
    lambda x: activations.glu(x, axis=-1),
])
def test_more_gradients(function, rng):
    check_gradients(function, rng.standard_normal((3, 4)), order=1)


def test_second_order_gradients(rng):
    x = rng.uniform(0.2, 2.0, (5,)) * rng.choice([-1.0, 1.0], (5,))
    for function in (activations.softplus, activations.gelu, activations.elu):
        check_gradients(function, x, order=2)


def test_softmax_axis_none_normalises_everything():
    result = activations.softmax(X2, axis=None)
    assert result.shape == X2.shape
    assert abs(float(tf.reduce_sum(result)) - 1.0) < 1e-6


def test_softmax_warns_on_an_axis_of_size_one():
    with pytest.warns(UserWarning, match="This axis has size 1"):
        result = activations.softmax(np.ones((2, 1), np.float32))
    assert result.numpy().tolist() == [[1.0], [1.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        activations.softmax(X2)


def test_glu_needs_an_even_axis():
    with pytest.raises(ValueError, match="axis size must be divisible by 2"):
        activations.glu(np.ones((2, 3), np.float32))


def test_linear_returns_its_input():
    x = tf.constant([1.0])
    assert activations.linear(x) is x


# --- get / serialize / deserialize --------------------------------------------------------

def test_get_by_name_and_alias():
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.get(None) is activations.linear
    assert activations.get(np.tanh) is np.tanh
    assert activations.get("log_softmax") is activations.log_softmax


def test_get_from_a_serialized_dict():
    config = {"module": "keras.activations", "class_name": "function", "config": "relu",
              "registered_name": "relu"}  # the form Keras 3.15 writes in model configs
    assert activations.get(config) is activations.relu


@pytest.mark.parametrize("identifier", ["nope", 3, "Relu"])
def test_get_rejects_unknown_identifiers(identifier):
    with pytest.raises(ValueError,
                       match=f"Could not interpret activation function identifier: {identifier}"):
        activations.get(identifier)


def test_serialize_gives_the_canonical_name():
    assert activations.serialize(activations.relu) == "relu"
    assert activations.serialize(activations.swish) == "silu"  # as Keras 3.15
    assert activations.serialize(activations.hard_swish) == "hard_silu"
    for name in activations._BY_NAME:
        function = activations.get(name)
        assert activations.deserialize(activations.serialize(function)) is function


def test_serialize_rejects_unknown_functions():
    with pytest.raises(ValueError, match="cannot be serialized"):
        activations.serialize(lambda x: x)


def test_serialize_an_activation_object():
    class Scaled:
        def __init__(self, factor):
            self.factor = factor

        def __call__(self, x):
            return x * self.factor

        def get_config(self):
            return {"factor": self.factor}

        @classmethod
        def from_config(cls, config):
            return cls(**config)

    config = activations.serialize(Scaled(2.0))
    assert config["class_name"] == "Scaled" and config["config"] == {"factor": 2.0}
    restored = activations.deserialize(config, custom_objects={"Scaled": Scaled})
    assert restored.factor == 2.0


def test_deserialize_with_custom_objects():
    def double(x):
        return 2 * x
    assert activations.deserialize("double", custom_objects={"double": double}) is double
    with pytest.raises(ValueError, match="Could not interpret activation function"):
        activations.deserialize("double")
