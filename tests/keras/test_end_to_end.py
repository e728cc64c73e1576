"""Whole workflows, each a few seconds at most: the tutorials' tasks on small synthetic
stand-ins (IMDB, Reuters, Boston housing) and the shipped digits, with the three ways of
building a model, custom training steps, frozen layers and a hand-written loop."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import demo, keras
from eagerflow.keras import layers


@pytest.fixture(autouse=True)
def _seeded():
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)


def _multi_hot(sequences, width):
    result = np.zeros((len(sequences), width), "float32")
    for row, words in enumerate(sequences):
        result[row, words] = 1.0
    return result


def test_mlp_on_the_shipped_digits_reaches_95_percent():
    (x_train, y_train), (x_test, y_test) = demo.load_digits()
    model = keras.Sequential([keras.Input((64,)), layers.Dense(64, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=15, batch_size=32, validation_split=0.1,
                        verbose=0)
    assert history.history["val_accuracy"][-1] > 0.9
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.95


def test_imdb_like_binary_classification_of_multi_hot_reviews(rng):
    width, positive, negative = 10_000, np.arange(0, 50), np.arange(50, 100)
    labels = rng.integers(0, 2, 1000)
    reviews = []
    for label in labels:
        words = rng.integers(100, width, 40).tolist()
        cues = positive if label else negative
        words += rng.choice(cues, 5, replace=False).tolist()
        reviews.append(words)
    x = _multi_hot(reviews, width)
    y = labels.astype("float32")
    model = keras.Sequential([keras.Input((width,)), layers.Dense(16, activation="relu"),
                              layers.Dense(16, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    model.compile("rmsprop", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x[:800], y[:800], epochs=6, batch_size=64,
                        validation_data=(x[800:], y[800:]), verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert history.history["val_accuracy"][-1] > 0.9
    assert type(model.metrics[1].metrics[0]).__name__ == "BinaryAccuracy"


@pytest.mark.parametrize("labels", ["categorical", "sparse"])
def test_reuters_like_46_topics(labels, rng):
    width, topics, count = 2000, 46, 1200
    topic = rng.integers(0, topics, count)
    topic_words = rng.integers(0, width, (topics, 8))
    articles = [np.concatenate([topic_words[t], rng.integers(0, width, 30)]) for t in topic]
    x = _multi_hot(articles, width)
    if labels == "categorical":
        y, loss = np.eye(topics, dtype="float32")[topic], "categorical_crossentropy"
    else:
        y, loss = topic, "sparse_categorical_crossentropy"
    model = keras.Sequential([keras.Input((width,)), layers.Dense(64, activation="relu"),
                              layers.Dense(topics, activation="softmax")])
    model.compile("rmsprop", loss, metrics=["accuracy"])
    history = model.fit(x[:1000], y[:1000], epochs=6, batch_size=64, verbose=0)
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    _, accuracy = model.evaluate(x[1000:], y[1000:], verbose=0)
    assert accuracy > 0.8
    expected = "CategoricalAccuracy" if labels == "categorical" else \
        "SparseCategoricalAccuracy"
    assert type(model.metrics[1].metrics[0]).__name__ == expected


def test_boston_like_scalar_regression_with_mse_and_mae(rng):
    features = rng.standard_normal((404, 13)).astype("float32")
    weights = rng.standard_normal((13, 1)).astype("float32")
    prices = (22.0 + 3.0 * features @ weights + 0.5 * np.tanh(features[:, :1])).astype(
        "float32")
    mean, std = features[:300].mean(0), features[:300].std(0)
    x = (features - mean) / std
    model = keras.Sequential([keras.Input((13,)), layers.Dense(64, activation="relu"),
                              layers.Dense(64, activation="relu"), layers.Dense(1)])
    model.compile("rmsprop", "mse", metrics=["mae"])
    history = model.fit(x[:300], prices[:300], epochs=40, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    mse, mae = model.evaluate(x[300:], prices[300:], verbose=0)
    assert mae < 0.2 * history.history["mae"][0] and mse > 0


def test_functional_model_with_two_inputs_and_two_outputs(rng):
    title = keras.Input((20,), name="title")
    body = keras.Input((50,), name="body")
    features = layers.Dense(16, activation="relu")(title) + \
        layers.Dense(16, activation="relu")(body)
    priority = layers.Dense(1, name="priority")(features)
    department = layers.Dense(4, activation="softmax", name="department")(features)
    model = keras.Model([title, body], {"priority": priority, "department": department})
    x_title = rng.random((400, 20)).astype("float32")
    x_body = rng.random((400, 50)).astype("float32")
    y_priority = x_title[:, :1] + x_body[:, :1]
    y_department = (x_title[:, 0] > 0.5).astype("int64") + 2 * (x_body[:, 0] > 0.5)
    model.compile(keras.optimizers.Adam(0.01),
                  loss={"priority": "mse", "department": "sparse_categorical_crossentropy"},
                  metrics={"department": ["accuracy"]})
    history = model.fit({"title": x_title, "body": x_body},
                        {"priority": y_priority, "department": y_department},
                        epochs=25, batch_size=32, verbose=0)
    assert history.history["priority_loss"][-1] < 0.2 * history.history["priority_loss"][0]
    assert history.history["department_accuracy"][-1] > 0.8


class Tower(keras.Model):
    """A subclassed model with two inputs and two outputs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.encode_a = layers.Dense(16, activation="relu")
        self.encode_b = layers.Dense(16, activation="relu")
        self.regress = layers.Dense(1)
        self.classify = layers.Dense(3, activation="softmax")

    def call(self, inputs, training=None):
        a, b = inputs
        joined = self.encode_a(a) + self.encode_b(b)
        return [self.regress(joined), self.classify(joined)]


def test_subclassed_model_with_two_inputs_and_two_outputs(rng):
    a = rng.standard_normal((300, 5)).astype("float32")
    b = rng.standard_normal((300, 3)).astype("float32")
    value = a[:, :1] * 2 - b[:, :1]
    group = np.argmax(b, axis=1)
    model = Tower()
    model.compile(keras.optimizers.Adam(0.01), ["mse", "sparse_categorical_crossentropy"],
                  metrics=[[], ["accuracy"]])
    history = model.fit([a, b], [value, group], epochs=20, batch_size=30, verbose=0)
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    accuracy = [k for k in history.history if k.endswith("accuracy")]
    assert len(accuracy) == 1 and history.history[accuracy[0]][-1] > 0.8


def test_custom_train_step_learns(rng):
    class CustomModel(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply(gradients, self.trainable_variables)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = keras.Input((32,))
    model = CustomModel(inputs, layers.Dense(1)(inputs))
    model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    x = rng.random((1000, 32)).astype("float32")
    y = x @ rng.random((32, 1)).astype("float32")
    history = model.fit(x, y, epochs=5, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    assert sorted(history.history) == ["loss", "mae"]


def test_frozen_layers_do_not_change_in_fit(rng):
    base = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                             layers.Dense(16, activation="relu")], name="base")
    base.trainable = False
    model = keras.Sequential([base, layers.Dense(1)])
    model.compile("adam", "mse")
    frozen_before = [w.copy() for w in base.get_weights()]
    head_before = model.layers[-1].get_weights()[0].copy()
    x = rng.random((64, 8)).astype("float32")
    model.fit(x, x[:, :1], epochs=3, batch_size=16, verbose=0)
    for before, after in zip(frozen_before, base.get_weights()):
        np.testing.assert_array_equal(before, after)
    assert not np.array_equal(head_before, model.layers[-1].get_weights()[0])
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 4
    base.trainable = True  # fine-tuning: recompile, and the base trains too
    model.compile(keras.optimizers.Adam(1e-3), "mse")
    model.fit(x, x[:, :1], epochs=1, batch_size=16, verbose=0)
    assert not np.array_equal(frozen_before[0], base.get_weights()[0])


def test_hand_written_gradient_tape_loop(rng):
    x = rng.random((256, 10)).astype("float32")
    y = (x[:, :5].sum(axis=1) > x[:, 5:].sum(axis=1)).astype("int64")
    model = keras.Sequential([keras.Input((10,)), layers.Dense(32, activation="relu"),
                              layers.Dense(2)])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.Adam(0.01)
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    epoch_losses = []
    for _ in range(15):
        accuracy.reset_state()
        losses = []
        for start in range(0, 256, 32):
            xb, yb = x[start:start + 32], y[start:start + 32]
            with tf.GradientTape() as tape:
                logits = model(xb, training=True)
                loss = loss_fn(yb, logits)
            grads = tape.gradient(loss, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            accuracy.update_state(yb, logits)
            losses.append(float(loss))
        epoch_losses.append(np.mean(losses))
    assert epoch_losses[-1] < 0.5 * epoch_losses[0]
    assert float(accuracy.result()) > 0.85
    assert int(optimizer.iterations) == 15 * 8
