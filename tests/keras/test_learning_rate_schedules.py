"""Tests for `keras.optimizers.schedules` against values recorded from Keras 3.15."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import optimizers
from eagerflow.keras.optimizers import schedules
from eagerflow.keras.variables import Variable

STEPS = [0, 1, 3, 4, 5, 6, 10, 11, 14, 15, 16, 25, 40]

# recorded from Keras 3.15: the schedule's value at each of STEPS
CASES = [
    pytest.param(lambda: schedules.ExponentialDecay(0.1, 10, 0.5), [
        0.10000000149011612, 0.09330330044031143, 0.08122523874044418, 0.07578583061695099,
        0.0707106813788414, 0.06597539037466049, 0.05000000074505806, 0.046651650220155716,
        0.037892915308475494, 0.0353553406894207, 0.032987695187330246, 0.01767767034471035,
        0.0062500000931322575],
        id='ExponentialDecay(0.1, 10, 0.5)'),
    pytest.param(lambda: schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), [
        0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
        0.10000000149011612, 0.10000000149011612, 0.05000000074505806, 0.05000000074505806,
        0.05000000074505806, 0.05000000074505806, 0.05000000074505806, 0.02500000037252903,
        0.0062500000931322575],
        id='ExponentialDecay(0.1, 10, 0.5, staircase=True)'),
    pytest.param(lambda: schedules.PiecewiseConstantDecay([5, 10], [1.0, 0.5, 0.1]), [
        1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.10000000149011612, 0.10000000149011612,
        0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612],
        id='PiecewiseConstantDecay([5, 10], [1.0, 0.5, 0.1])'),
    pytest.param(lambda: schedules.PolynomialDecay(0.1, 10), [
        0.10000000149011612, 0.09001000225543976, 0.07003000378608704, 0.060040004551410675,
        0.050050001591444016, 0.040059998631477356, 9.999999747378752e-05, 9.999999747378752e-05,
        9.999999747378752e-05, 9.999999747378752e-05, 9.999999747378752e-05,
        9.999999747378752e-05, 9.999999747378752e-05],
        id='PolynomialDecay(0.1, 10)'),
    pytest.param(lambda: schedules.PolynomialDecay(0.1, 10, 0.01, power=0.5, cycle=True), [
        0.10000000149011612, 0.09538149833679199, 0.08529940247535706, 0.07971370220184326,
        0.07363960891962051, 0.06692100316286087, 0.009999999776482582, 0.07037383317947388,
        0.059295035898685455, 0.054999999701976776, 0.05024922639131546, 0.04674234986305237,
        0.009999999776482582],
        id='PolynomialDecay(0.1, 10, 0.01, power=0.5, cycle=True)'),
    pytest.param(lambda: schedules.InverseTimeDecay(0.1, 5, 0.5), [
        0.10000000149011612, 0.09090909361839294, 0.07692307978868484, 0.0714285746216774,
        0.06666667014360428, 0.0625, 0.05000000074505806, 0.0476190522313118, 0.0416666641831398,
        0.03999999910593033, 0.03846153989434242, 0.02857142873108387, 0.019999999552965164],
        id='InverseTimeDecay(0.1, 5, 0.5)'),
    pytest.param(lambda: schedules.InverseTimeDecay(0.1, 5, 0.5, staircase=True), [
        0.10000000149011612, 0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
        0.06666667014360428, 0.06666667014360428, 0.05000000074505806, 0.05000000074505806,
        0.05000000074505806, 0.03999999910593033, 0.03999999910593033, 0.02857142873108387,
        0.019999999552965164],
        id='InverseTimeDecay(0.1, 5, 0.5, staircase=True)'),
    pytest.param(lambda: schedules.CosineDecay(0.1, 10), [
        0.10000000149011612, 0.0975528284907341, 0.07938926666975021, 0.06545084714889526,
        0.04999999701976776, 0.03454914316534996, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        id='CosineDecay(0.1, 10)'),
    pytest.param(lambda: schedules.CosineDecay(0.1, 10, alpha=0.1, warmup_target=0.5,
                                               warmup_steps=4), [
        0.10000000149011612, 0.20000000298023224, 0.4000000059604645, 0.5, 0.4889877140522003,
        0.4570288062095642, 0.20547112822532654, 0.14274832606315613, 0.05000000074505806,
        0.05000000074505806, 0.05000000074505806, 0.05000000074505806, 0.05000000074505806],
        id='CosineDecay(0.1, 10, alpha=0.1, warmup_target=0.5, warmup_steps=4)'),
    pytest.param(lambda: schedules.CosineDecayRestarts(0.1, 5), [
        0.10000000149011612, 0.09045084565877914, 0.03454914316534996, 0.009549147449433804,
        0.10000000149011612, 0.0975528284907341, 0.04999999701976776, 0.03454914316534996,
        0.0024471760261803865, 0.10000000149011612, 0.09938441962003708, 0.04999999701976776,
        0.09619397670030594],
        id='CosineDecayRestarts(0.1, 5)'),
    pytest.param(lambda: schedules.CosineDecayRestarts(0.1, 4, t_mul=1.0, m_mul=0.5, alpha=0.1), [
        0.10000000149011612, 0.08681981265544891, 0.023180196061730385, 0.055000003427267075,
        0.04840990528464317, 0.032499998807907104, 0.021250000223517418, 0.013295048847794533,
        0.015625, 0.011647525243461132, 0.015625, 0.011200309731066227, 0.010087891481816769],
        id='CosineDecayRestarts(0.1, 4, t_mul=1.0, m_mul=0.5, alpha=0.1)'),
]


@pytest.mark.parametrize("make, expected", CASES)
def test_values_match_keras(make, expected):
    schedule = make()
    values = [schedule(step) for step in STEPS]
    assert all(isinstance(v, tf.Tensor) and v.dtype == tf.float32 and v.shape == ()
               for v in values)
    np.testing.assert_allclose([float(v) for v in values], expected, rtol=0, atol=1e-7)


@pytest.mark.parametrize("make, expected", CASES)
def test_config_round_trips(make, expected):
    schedule = make()
    config = schedules.serialize(schedule)
    assert config["module"] == "keras.optimizers.schedules"
    assert config["class_name"] == type(schedule).__name__
    assert config["registered_name"] is None
    restored = schedules.deserialize(config)
    assert type(restored) is type(schedule)
    assert restored.get_config() == schedule.get_config()
    np.testing.assert_allclose([float(restored(s)) for s in STEPS], expected, rtol=0,
                               atol=1e-7)


# recorded from Keras 3.15
@pytest.mark.parametrize("schedule, config", [
    (schedules.ExponentialDecay(0.1, 10, 0.5),
     {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": False,
      "name": "ExponentialDecay"}),
    (schedules.PiecewiseConstantDecay([5, 10], [1.0, 0.5, 0.1]),
     {"boundaries": [5, 10], "values": [1.0, 0.5, 0.1], "name": "PiecewiseConstant"}),
    (schedules.PolynomialDecay(0.1, 10),
     {"initial_learning_rate": 0.1, "decay_steps": 10, "end_learning_rate": 0.0001,
      "power": 1.0, "cycle": False, "name": "PolynomialDecay"}),
    (schedules.InverseTimeDecay(0.1, 5, 0.5, staircase=True),
     {"initial_learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5, "staircase": True,
      "name": "InverseTimeDecay"}),
    (schedules.CosineDecay(0.1, 10),
     {"initial_learning_rate": 0.1, "decay_steps": 10, "alpha": 0.0, "name": "CosineDecay",
      "warmup_target": None, "warmup_steps": 0}),
    (schedules.CosineDecayRestarts(0.1, 5),
     {"initial_learning_rate": 0.1, "first_decay_steps": 5, "t_mul": 2.0, "m_mul": 1.0,
      "alpha": 0.0, "name": "SGDRDecay"}),
])
def test_get_config_matches_keras(schedule, config):
    assert schedule.get_config() == config and list(schedule.get_config()) == list(config)


def test_step_may_be_the_optimizer_iterations_variable():
    step = Variable(3, dtype="int64", name="iteration", trainable=False)
    value = schedules.ExponentialDecay(0.1, 10, 0.5)(step)
    assert value.dtype == tf.float32
    np.testing.assert_allclose(float(value), 0.08122523874044418, rtol=0, atol=1e-8)


def test_output_dtype_follows_the_initial_learning_rate():
    # recorded from Keras 3.15
    value = schedules.ExponentialDecay(np.float64(0.1), 10, 0.5)(7)
    assert value.dtype == tf.float64
    np.testing.assert_allclose(float(value), 0.06155722066724582, rtol=1e-12)
    value = schedules.PiecewiseConstantDecay([5, 10], [1, 2, 3])(7)
    assert value.dtype == tf.int32 and int(value) == 2


def test_deserialize_accepts_a_config_without_module():
    schedule = schedules.deserialize({"class_name": "ExponentialDecay", "config": {
        "initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.5}})
    # recorded from Keras 3.15
    assert schedule.get_config() == {"initial_learning_rate": 0.1, "decay_steps": 1,
                                     "decay_rate": 0.5, "staircase": False,
                                     "name": "ExponentialDecay"}


class HalveEvery(schedules.LearningRateSchedule):
    def __init__(self, initial_learning_rate, steps):
        self.initial_learning_rate = initial_learning_rate
        self.steps = steps

    def __call__(self, step):
        halvings = tf.floor(tf.cast(step, "float32") / self.steps)
        return self.initial_learning_rate * tf.pow(0.5, halvings)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "steps": self.steps}


def test_custom_schedule_drives_an_optimizer_and_round_trips():
    optimizer = optimizers.SGD(learning_rate=HalveEvery(1.0, 2))
    kernel = Variable(np.zeros(1, "float32"), name="kernel")
    for _ in range(4):
        optimizer.apply([tf.constant([1.0])], [kernel])
    assert kernel.numpy().tolist() == [-3.0]  # 1 + 1 + 0.5 + 0.5
    config = optimizers.serialize(optimizer)
    assert config["config"]["learning_rate"]["registered_name"] == "HalveEvery"
    restored = optimizers.deserialize(config, custom_objects={"HalveEvery": HalveEvery})
    assert isinstance(restored._learning_rate, HalveEvery)
    assert float(restored.learning_rate) == 1.0


@pytest.mark.parametrize("make, message", [
    (lambda: schedules.ExponentialDecay(0.1, 0, 0.5),
     "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
    (lambda: schedules.PolynomialDecay(0.1, -1),
     "Argument `decay_steps` must be > 0. Received: decay_steps=-1"),
    (lambda: schedules.InverseTimeDecay(0.1, 0, 0.5),
     "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
    (lambda: schedules.CosineDecay(0.1, 0),
     "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
    (lambda: schedules.CosineDecayRestarts(0.1, 0),
     "Argument `first_decay_steps` must be > 0. Received: first_decay_steps=0"),
    (lambda: schedules.PiecewiseConstantDecay([1, 2], [1.0]),
     "The length of boundaries should be 1 less than the length of values. Received: "
     "boundaries=[1, 2] of length 2, and values=[1.0] of length 1."),
])
def test_bad_arguments_raise_keras_errors(make, message):
    # recorded from Keras 3.15
    with pytest.raises(ValueError) as error:
        make()
    assert str(error.value) == message


def test_base_class_methods_must_be_overridden():
    # recorded from Keras 3.15
    with pytest.raises(NotImplementedError, match=r"^Learning rate schedule "
                       r"'LearningRateSchedule' must override `__call__\(self, step\)`\.$"):
        schedules.LearningRateSchedule()(1)
    with pytest.raises(NotImplementedError, match=r"must override `get_config\(\)` in order "
                                                  r"to be serializable"):
        schedules.LearningRateSchedule().get_config()


@pytest.mark.parametrize("config", [{"class_name": "Nope", "config": {}}, "ExponentialDecay",
                                    None])
def test_deserialize_rejects_unknown_configs(config):
    with pytest.raises(ValueError):
        schedules.deserialize(config)
