"""keras.random: determinism by seed, SeedGenerator state, the global seed, moments."""

import subprocess
import sys

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import random


def test_int_seed_repeats_and_seeds_differ():
    a = random.normal((5,), seed=3).numpy()
    np.testing.assert_array_equal(a, random.normal((5,), seed=3).numpy())
    assert not np.array_equal(a, random.normal((5,), seed=4).numpy())


def test_seed_generator_advances_its_state():
    generator = random.SeedGenerator(42)
    assert generator.state.numpy().tolist() == [42, 0]
    first = random.uniform((4,), seed=generator).numpy()
    assert generator.state.numpy().tolist() == [42, 1]
    second = random.uniform((4,), seed=generator).numpy()
    assert not np.array_equal(first, second)
    again = random.SeedGenerator(42)
    np.testing.assert_array_equal(random.uniform((4,), seed=again).numpy(), first)
    assert not generator.state.trainable


def test_same_seed_same_numbers_in_a_fresh_process():
    code = ("from eagerflow import keras; g = keras.random.SeedGenerator(7); "
            "keras.random.normal((2,), seed=g); print(keras.random.normal((3,), seed=g).numpy()"
            ".tolist(), keras.random.randint((3,), 0, 100, seed=5).numpy().tolist())")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)]
    assert runs[0] == runs[1] and runs[0].strip()


def test_unseeded_draws_follow_set_random_seed():
    keras.utils.set_random_seed(11)
    first = [random.normal((3,)).numpy(), random.uniform((3,)).numpy()]
    keras.utils.set_random_seed(11)
    second = [random.normal((3,)).numpy(), random.uniform((3,)).numpy()]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], random.normal((3,)).numpy())


@pytest.mark.parametrize("draw,mean,variance", [
    (lambda: random.normal((20000,), mean=1.0, stddev=2.0, seed=1), 1.0, 4.0),
    (lambda: random.uniform((20000,), minval=-1.0, maxval=3.0, seed=1), 1.0, 16.0 / 12),
    (lambda: random.gamma((20000,), alpha=3.0, seed=1), 3.0, 3.0),
    (lambda: random.binomial((20000,), counts=10, probabilities=0.3, seed=1), 3.0, 2.1),
    (lambda: random.beta((20000,), alpha=2.0, beta=3.0, seed=1), 0.4, 0.04),
    # A normal truncated at two standard deviations has variance 0.7737.
    (lambda: random.truncated_normal((20000,), seed=1), 0.0, 0.7737),
])
def test_moments(draw, mean, variance):
    values = draw().numpy().astype(np.float64)
    assert values.dtype == np.float64 and draw().dtype == tf.float32
    assert abs(values.mean() - mean) < 4 * np.sqrt(variance / values.size)
    assert abs(values.var() - variance) < 0.05 * variance


def test_truncated_normal_stays_within_two_stddevs():
    values = random.truncated_normal((1000,), mean=5.0, stddev=0.5, seed=2).numpy()
    assert values.min() >= 4.0 and values.max() <= 6.0


def test_randint_categorical_shuffle():
    ints = random.randint((1000,), 2, 5, seed=3)
    assert ints.dtype == tf.int32 and set(np.unique(ints.numpy())) == {2, 3, 4}
    samples = random.categorical(tf.math.log([[0.1, 0.9], [1.0, 0.0]]), 2000, seed=4).numpy()
    assert samples.shape == (2, 2000) and (samples[1] == 0).all()
    assert abs(samples[0].mean() - 0.9) < 0.03
    x = np.arange(12).reshape(6, 2)
    shuffled = random.shuffle(x, seed=5).numpy()
    assert sorted(shuffled[:, 0].tolist()) == x[:, 0].tolist()
    assert (shuffled[:, 1] == shuffled[:, 0] + 1).all()  # rows move whole
    assert not np.array_equal(shuffled, x)


def test_dropout_rate_scale_and_noise_shape():
    x = tf.ones((200, 50))
    dropped = random.dropout(x, 0.3, seed=6).numpy()
    assert set(np.unique(dropped)) <= {0.0, np.float32(1 / 0.7)}
    assert abs((dropped == 0).mean() - 0.3) < 0.02
    shared = random.dropout(x, 0.5, noise_shape=(1, 50), seed=6).numpy()
    assert (shared == shared[0]).all()
    with pytest.raises(ValueError, match="rate"):
        random.dropout(x, 1.5)


def test_bad_seed_and_dtype_errors():
    with pytest.raises(ValueError, match="seed"):
        random.normal((2,), seed="abc")
    with pytest.raises(ValueError, match="dtype"):
        random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="dtype"):
        random.randint((2,), 0, 3, dtype="float32")


def test_seed_generator_inside_a_layer_gives_new_masks_each_call():
    class NoisyLayer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.seed_generator = random.SeedGenerator(1337)

        def call(self, x):
            return x + random.normal(ops_shape(x), seed=self.seed_generator)

    def ops_shape(x):
        return keras.ops.shape(x)

    layer = NoisyLayer()
    first, second = layer(tf.zeros((2, 3))).numpy(), layer(tf.zeros((2, 3))).numpy()
    assert not np.array_equal(first, second)
    twin = NoisyLayer()
    np.testing.assert_array_equal(twin(tf.zeros((2, 3))).numpy(), first)


def test_a_layers_seed_generator_state_is_a_variable_but_not_a_weight():
    # Keras 3.15: the state joins variables and non_trainable_variables, not weights
    class Noisy(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.generator = keras.random.SeedGenerator(1)

        def call(self, x):
            return x + keras.random.normal(keras.ops.shape(x), seed=self.generator)

    noisy = Noisy()
    model = keras.Sequential([keras.Input((2,)), noisy, keras.layers.Dense(1)])
    assert (len(model.variables), len(model.weights), len(model.non_trainable_variables),
            len(model.trainable_variables)) == (3, 2, 1, 2)
    assert model.non_trainable_variables[0] is noisy.generator.state
    assert noisy.weights == []
