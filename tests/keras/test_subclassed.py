"""Subclassed models: layers made in `__init__`, the forward pass in `call`, custom
training steps as the Keras 3 guide writes them for the TensorFlow backend."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


class MLP(keras.Model):
    def __init__(self, hidden=8, outputs=1, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(hidden, activation="relu")
        self.dropout = layers.Dropout(0.5)
        self.out = layers.Dense(outputs)

    def call(self, inputs, training=None):
        return self.out(self.dropout(self.hidden(inputs), training=training))


class TwoHeads(keras.Model):
    """Two inputs (a list) and two outputs (a dict)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.left = layers.Dense(4, activation="relu")
        self.right = layers.Dense(4, activation="relu")
        self.value = layers.Dense(1)
        self.label = layers.Dense(3, activation="softmax")

    def call(self, inputs):
        features, extra = inputs
        joined = self.left(features) + self.right(extra)
        return {"value": self.value(joined), "label": self.label(joined)}


def test_layers_and_weights_are_tracked_in_order():
    model = MLP(name="mlp")
    assert not model.built and model.weights == []
    model(np.ones((2, 5), "float32"))
    assert model.built
    assert [layer.name for layer in model.layers] == ["dense", "dropout", "dense_1"]
    assert [w.path for w in model.weights] == [
        "mlp/dense/kernel", "mlp/dense/bias", "mlp/dense_1/kernel", "mlp/dense_1/bias"]


def test_subclassed_model_has_no_symbolic_inputs():
    model = MLP()
    model(np.ones((2, 5), "float32"))
    # recorded from Keras 3.15
    for attribute in ("inputs", "output_shape", "input_shape"):
        with pytest.raises(AttributeError, match=f"'MLP' object has no attribute "
                                                 f"'{attribute}'"):
            getattr(model, attribute)


def test_training_argument_reaches_call():
    model = MLP(hidden=200)
    x = np.ones((4, 5), "float32")
    model(x)
    np.testing.assert_array_equal(model(x).numpy(), model(x, training=False).numpy())
    assert not np.allclose(model(x, training=True).numpy(), model(x).numpy())


def test_build_with_an_input_shape_only_marks_the_model_built():
    # Keras 3.15: the default `build` warns and builds nothing; the first call builds.
    model = MLP()
    with pytest.warns(UserWarning, match="`build\\(\\)` was called on layer 'mlp', however "
                                         "the layer does not have a `build\\(\\)` method"):
        model.build((None, 7))
    assert model.built and not model.hidden.built and model.weights == []
    lines = []
    model.summary(line_length=88, print_fn=lines.append)  # recorded from Keras 3.15
    assert "\u2502 dense (Dense)                        \u2502 ?                           \u2502"\
           "     0 (unbuilt) \u2502" in lines[0]
    assert " Total params: 0 (0.00 B)" in lines[0]
    assert model(np.ones((2, 7), "float32")).shape == (2, 1)
    assert tuple(model.hidden.kernel.shape) == (7, 8)


def test_config_from_plain_constructor_arguments():
    model = MLP(hidden=16, outputs=2, name="m")
    # Keras 3.15 has the same keys but reports the defaults (8, 1) instead of the values
    # passed; the values passed are what `from_config` needs.
    assert model.get_config() == {
        "name": "m", "trainable": True, "hidden": 16, "outputs": 2,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "float32"}, "registered_name": None}}
    twin = MLP.from_config(model.get_config())
    assert twin.name == "m" and twin.hidden.units == 16


def test_fit_evaluate_predict(rng):
    x = rng.standard_normal((64, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = MLP(hidden=16)
    model.compile(keras.optimizers.Adam(0.02), "mse", metrics=["mae"])
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert sorted(history.history) == ["loss", "mae"]
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    loss, mae = model.evaluate(x, y, verbose=0)
    assert loss < history.history["loss"][0] and mae > 0
    assert model.predict(x, verbose=0).shape == (64, 1)


def test_multiple_inputs_and_dict_outputs(rng):
    features = rng.standard_normal((90, 4)).astype("float32")
    extra = rng.standard_normal((90, 2)).astype("float32")
    value = features[:, :1] - extra[:, :1]
    label = (features[:, 0] > 0).astype("int64") + (extra[:, 0] > 0).astype("int64")
    model = TwoHeads()
    model.compile(keras.optimizers.Adam(0.02),
                  loss={"value": "mse", "label": "sparse_categorical_crossentropy"},
                  metrics={"label": "accuracy"})
    history = model.fit([features, extra], {"value": value, "label": label}, epochs=20,
                        batch_size=30, verbose=0)
    # recorded from Keras 3.15: the loss trackers follow the order of the loss dict
    assert sorted(history.history) == ["label_accuracy", "label_loss", "loss", "value_loss"]
    assert model.metrics_names == ["loss", "compile_metrics", "value_loss", "label_loss"]
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]
    predictions = model.predict([features, extra], verbose=0)
    assert sorted(predictions) == ["label", "value"]
    assert predictions["label"].shape == (90, 3)


class GuideModel(keras.Model):
    """The Keras 3 guide's "Customizing what happens in fit() with TensorFlow"."""

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply(gradients, trainable_vars)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_custom_train_step_as_in_the_guide(rng):
    inputs = keras.Input(shape=(32,))
    outputs = layers.Dense(1)(inputs)
    model = GuideModel(inputs, outputs)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x = rng.random((1000, 32)).astype("float32")
    y = rng.random((1000, 1)).astype("float32")
    history = model.fit(x, y, epochs=3, verbose=0)
    # recorded from Keras 3.15: the compiled metrics' dict is flattened into the logs
    assert sorted(history.history) == ["loss", "mae"]
    assert history.history["loss"][-1] < history.history["loss"][0]


class LowLevelModel(keras.Model):
    """The guide's lower-level version: own loss, own metrics, `compile` without a loss."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.loss_fn = keras.losses.MeanSquaredError()

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.loss_tracker.update_state(self.loss_fn(y, y_pred))
        self.mae_metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


def test_lower_level_custom_step_with_own_metrics(rng):
    inputs = keras.Input(shape=(8,))
    model = LowLevelModel(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.Adam(0.05))
    x = rng.random((256, 8)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    assert sorted(history.history) == ["loss", "mae"]
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    assert sorted(model.evaluate(x, y, verbose=0, return_dict=True)) == ["loss", "mae"]
    # the metrics reset each epoch: the last epoch's loss is its own mean
    assert history.history["mae"][-1] < history.history["mae"][0]


def test_custom_step_with_sample_weights_and_compute_loss_override(rng):
    class Weighted(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.calls = 0

        def call(self, inputs):
            return self.dense(inputs)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
            self.calls += 1
            return super().compute_loss(x, y, y_pred, sample_weight)

    model = Weighted()
    model.compile("sgd", "mse")
    x = rng.random((20, 2)).astype("float32")
    model.fit(x, x[:, :1], sample_weight=np.ones(20), batch_size=10, verbose=0)
    assert model.calls == 2  # an override without `training` is still called


def test_model_metrics_include_tracked_metric_attributes():
    class WithTracker(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.extra = keras.metrics.Mean(name="extra")

        def call(self, inputs):
            self.extra.update_state(tf.reduce_mean(inputs))
            return self.dense(inputs)

    model = WithTracker()
    model.compile("sgd", "mse", metrics=["mae"])
    history = model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0)
    assert sorted(history.history) == ["extra", "loss", "mae"]
    assert history.history["extra"] == [1.0]
    assert model.metrics_names == ["loss", "compile_metrics", "extra"]
