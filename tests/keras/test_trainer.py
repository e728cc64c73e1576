"""compile / fit / evaluate / predict and the *_on_batch methods, as Keras 3 runs them."""

import warnings

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


@pytest.fixture
def binary_data(rng):
    x = rng.random((50, 4)).astype("float32")
    y = (x.sum(axis=1) > 2).astype("float32")
    return x, y


def _binary_model(units=1):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(units, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    return model


class Recorder(keras.callbacks.Callback):
    """Records each hook with the batch or epoch and the sorted log names."""

    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_begin(self, logs=None):
        self.events.append(("train_begin", dict(self.params)))

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(("epoch_begin", epoch, logs))

    def on_train_batch_begin(self, batch, logs=None):
        self.events.append(("batch_begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("batch_end", batch, sorted(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch, sorted(logs)))

    def on_test_begin(self, logs=None):
        self.events.append(("test_begin",))

    def on_test_batch_end(self, batch, logs=None):
        self.events.append(("test_batch_end", batch, sorted(logs)))

    def on_test_end(self, logs=None):
        self.events.append(("test_end", sorted(logs)))

    def on_train_end(self, logs=None):
        self.events.append(("train_end", sorted(logs)))

    def on_predict_begin(self, logs=None):
        self.events.append(("predict_begin", logs))

    def on_predict_batch_end(self, batch, logs=None):
        self.events.append(("predict_batch_end", batch, sorted(logs)))

    def on_predict_end(self, logs=None):
        self.events.append(("predict_end", logs))

    def of(self, *kinds):
        return [event for event in self.events if event[0] in kinds]


# --- compile ------------------------------------------------------------------------------

def test_compile_resolves_optimizer_loss_and_metrics():
    model = _binary_model()
    assert model.compiled and isinstance(model.optimizer, keras.optimizers.SGD)
    assert model.loss == "binary_crossentropy"
    # recorded from Keras 3.15
    assert model.metrics_names == ["loss", "compile_metrics"]
    assert model.metrics[1].metrics == []  # resolved on the first batch
    model.fit(np.ones((2, 4)), np.ones(2), verbose=0)
    assert [m.name for m in model.metrics[1].metrics] == ["accuracy"]


def test_using_the_model_before_compile_raises_as_keras():
    model = keras.Sequential([layers.Dense(1)])
    # recorded from Keras 3.15
    for method in (lambda: model.fit(np.ones((2, 3)), np.ones(2), verbose=0),
                   lambda: model.evaluate(np.ones((2, 3)), np.ones(2), verbose=0),
                   lambda: model.train_on_batch(np.ones((2, 3)), np.ones(2))):
        with pytest.raises(ValueError, match=r"You must call `compile\(\)` before using the "
                                             r"model."):
            method()


@pytest.mark.parametrize("loss, units, labels, expected", [
    # recorded from Keras 3.15: "accuracy" follows the shapes of labels and predictions
    ("binary_crossentropy", 1, "binary", "BinaryAccuracy"),
    ("categorical_crossentropy", 3, "one_hot", "CategoricalAccuracy"),
    ("sparse_categorical_crossentropy", 3, "sparse", "SparseCategoricalAccuracy"),
    ("mse", 3, "one_hot", "CategoricalAccuracy"),
    ("binary_crossentropy", 3, "multi_hot", "CategoricalAccuracy"),
])
def test_accuracy_resolves_from_shapes(loss, units, labels, expected, rng):
    x = rng.random((12, 4)).astype("float32")
    classes = rng.integers(0, 3, 12)
    y = {"binary": (classes > 0).astype("float32"), "one_hot": np.eye(3)[classes],
         "sparse": classes, "multi_hot": (rng.random((12, 3)) > 0.5).astype("float32")}[labels]
    activation = "sigmoid" if units == 1 or labels == "multi_hot" else "softmax"
    model = keras.Sequential([keras.Input((4,)), layers.Dense(units, activation=activation)])
    model.compile("sgd", loss, metrics=["accuracy", "acc"])
    history = model.fit(x, y, verbose=0)
    built = model.metrics[1].metrics
    assert [type(m).__name__ for m in built] == [expected, expected]
    assert [m.name for m in built] == ["accuracy", "acc"]
    assert sorted(history.history) == ["acc", "accuracy", "loss"]


def test_crossentropy_loss_string_resolves_from_shapes(rng):
    x = rng.random((8, 4)).astype("float32")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile("sgd", "crossentropy")
    model.fit(x, rng.integers(0, 3, 8), verbose=0)
    loss = model._compile_loss._losses[0][0]
    assert loss.fn is keras.losses.sparse_categorical_crossentropy
    assert loss.name == "crossentropy"  # named after the string, as Keras does


def test_metric_objects_and_functions_keep_their_names(binary_data):
    x, y = binary_data
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy",
                  metrics=[keras.metrics.AUC(name="auc"), keras.metrics.binary_accuracy, "mae"])
    history = model.fit(x, y, verbose=0)
    assert sorted(history.history) == ["auc", "binary_accuracy", "loss", "mae"]


def test_no_loss_to_compute_raises_as_keras():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.compile("sgd")
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match=r"No loss to compute. Provide a `loss` argument in "
                                         r"`compile\(\)`."):
        model.fit(np.ones((2, 2)), np.ones((2, 1)), verbose=0)


# --- fit ----------------------------------------------------------------------------------

def test_fit_callback_order_and_logs(binary_data):
    x, y = binary_data
    model, recorder = _binary_model(), Recorder()
    history = model.fit(x, y, batch_size=20, epochs=2, validation_split=0.2, verbose=0,
                        callbacks=[recorder])
    logs = ["accuracy", "loss"]
    val_logs = ["accuracy", "loss", "val_accuracy", "val_loss"]
    # recorded from Keras 3.15 (40 training samples in batches of 20, 10 validation ones)
    epoch = [("batch_begin", 0), ("batch_end", 0, logs), ("batch_begin", 1),
             ("batch_end", 1, logs), ("test_begin",), ("test_batch_end", 0, logs),
             ("test_end", logs)]
    assert recorder.events == (
        [("train_begin", {"verbose": 0, "epochs": 2, "steps": 2}), ("epoch_begin", 0, {})]
        + epoch + [("epoch_end", 0, val_logs), ("epoch_begin", 1, {})] + epoch
        + [("epoch_end", 1, val_logs), ("train_end", val_logs)])
    assert history.params == {"verbose": 0, "epochs": 2, "steps": 2}
    assert history.epoch == [0, 1] and model.history is history
    assert list(history.history) == val_logs
    assert all(isinstance(v, float) for values in history.history.values() for v in values)


def test_history_keys_as_keras(rng):
    x = rng.random((100, 8)).astype("float32")
    y = rng.integers(0, 3, 100)
    model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy",
                  metrics=["accuracy", "sparse_categorical_crossentropy"])
    history = model.fit(x, y, epochs=2, validation_split=0.2, verbose=0)
    # recorded from Keras 3.15
    assert list(history.history) == [
        "accuracy", "loss", "sparse_categorical_crossentropy", "val_accuracy", "val_loss",
        "val_sparse_categorical_crossentropy"]
    assert history.params == {"verbose": 0, "epochs": 2, "steps": 3}
    results = model.evaluate(x, y, verbose=0)
    # recorded from Keras 3.15: the loss, then the compiled metrics in compile order
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(as_dict) == ["accuracy", "loss", "sparse_categorical_crossentropy"]
    assert results == [as_dict["loss"], as_dict["accuracy"],
                       as_dict["sparse_categorical_crossentropy"]]
    assert results[0] == pytest.approx(results[2], rel=1e-6)


def test_evaluate_with_only_a_loss_returns_a_float(binary_data):
    x, y = binary_data
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    result = model.evaluate(x, y, verbose=0)
    assert isinstance(result, float)
    expected = np.mean((model.predict(x, verbose=0)[:, 0] - y) ** 2)
    assert result == pytest.approx(expected, rel=1e-5)


def test_multi_output_names_and_evaluate_order(rng):
    x = rng.random((100, 8)).astype("float32")
    y_cls = rng.integers(0, 3, 100)
    inputs = keras.Input((8,), name="a")
    hidden = layers.Dense(4)(inputs)
    reg = layers.Dense(1, name="reg")(hidden)
    cls = layers.Dense(3, activation="softmax", name="cls")(hidden)
    model = keras.Model(inputs, [reg, cls])
    model.compile("adam", loss=["mse", "sparse_categorical_crossentropy"],
                  metrics=[["mae"], ["accuracy"]])
    history = model.fit(x, [x[:, :1], y_cls], epochs=1, verbose=0, validation_split=0.2)
    # recorded from Keras 3.15
    assert list(history.history) == [
        "cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae", "val_cls_accuracy",
        "val_cls_loss", "val_loss", "val_reg_loss", "val_reg_mae"]
    assert model.metrics_names == ["loss", "compile_metrics", "reg_loss", "cls_loss"]
    logs = model.evaluate(x, [x[:, :1], y_cls], verbose=0, return_dict=True)
    results = model.evaluate(x, [x[:, :1], y_cls], verbose=0)
    assert results == [logs["loss"], logs["reg_loss"], logs["cls_loss"], logs["cls_accuracy"],
                       logs["reg_mae"]]
    assert logs["loss"] == pytest.approx(logs["reg_loss"] + logs["cls_loss"], rel=1e-5)


def test_multi_output_dicts_and_loss_weights(rng):
    x = rng.random((64, 8)).astype("float32")
    inputs = keras.Input((8,))
    hidden = layers.Dense(4)(inputs)
    outputs = {"reg": layers.Dense(1, name="reg")(hidden),
               "cls": layers.Dense(3, activation="softmax", name="cls")(hidden)}
    model = keras.Model(inputs, outputs)
    model.compile("adam", loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
                  loss_weights={"reg": 2.0, "cls": 0.5},
                  metrics={"cls": "accuracy", "reg": "mae"})
    y = {"reg": x[:, :1], "cls": rng.integers(0, 3, 64)}
    history = model.fit(x, y, epochs=1, verbose=0)
    # recorded from Keras 3.15
    assert list(history.history) == ["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae"]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(2.0 * logs["reg_loss"] + 0.5 * logs["cls_loss"],
                                         rel=1e-5)


def test_multi_output_loss_for_one_output_only(rng):
    x = rng.random((16, 3)).astype("float32")
    inputs = keras.Input((3,))
    model = keras.Model(inputs, [layers.Dense(1, name="a")(inputs),
                                 layers.Dense(1, name="b")(inputs)])
    model.compile("sgd", loss=["mse", None])
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        history = model.fit(x, [x[:, :1], x[:, :1]], verbose=0)
    assert list(history.history) == ["loss"]


def test_multi_output_compile_errors(rng):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, [layers.Dense(1, name="a")(inputs),
                                 layers.Dense(1, name="b")(inputs)])
    x, y = np.ones((4, 3), "float32"), [np.ones((4, 1)), np.ones((4, 1))]
    model.compile("sgd", loss=["mse", "mse", "mse"])
    with pytest.raises(ValueError, match="should have as many entries as the model has "
                                         "outputs"):
        model.fit(x, y, verbose=0)
    model.compile("sgd", loss=["mse"])  # recorded from Keras 3.15: the first output only
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        assert list(model.fit(x, y, verbose=0).history) == ["loss"]
    model.compile("sgd", loss={"a": "mse", "c": "mse"})
    with pytest.raises(ValueError, match=r"Expected keys \['a', 'b'\] in loss dict"):
        model.fit(x, y, verbose=0)
    model.compile("sgd", loss="mse", metrics=["mae"])
    with pytest.raises(ValueError, match="one entry .* per output"):
        model.fit(x, y, verbose=0)


def test_initial_epoch(binary_data):
    x, y = binary_data
    model, recorder = _binary_model(), Recorder()
    history = model.fit(x, y, batch_size=20, epochs=3, initial_epoch=1, verbose=0,
                        callbacks=[recorder])
    # recorded from Keras 3.15
    assert [e[1] for e in recorder.of("epoch_begin")] == [1, 2]
    assert history.epoch == [1, 2] and len(history.history["loss"]) == 2


def test_steps_per_epoch_continues_through_the_data(binary_data):
    x, y = binary_data
    model, recorder = _binary_model(), Recorder()
    model.fit(x, y, batch_size=10, epochs=2, steps_per_epoch=2, verbose=0,
              callbacks=[recorder])
    assert recorder.events[0] == ("train_begin", {"verbose": 0, "epochs": 2, "steps": 2})
    assert [e[1] for e in recorder.of("batch_begin")] == [0, 1, 0, 1]
    # recorded from Keras 3.15: 4 steps per epoch over 5 batches: the second epoch gets the
    # fifth batch, then the data runs out, with a warning
    recorder = Recorder()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, batch_size=10, epochs=2, steps_per_epoch=4, verbose=0,
                  callbacks=[recorder])
    assert [e[:2] for e in recorder.of("epoch_begin", "batch_begin")] == [
        ("epoch_begin", 0), ("batch_begin", 0), ("batch_begin", 1), ("batch_begin", 2),
        ("batch_begin", 3), ("epoch_begin", 1), ("batch_begin", 0)]
    assert sum("ran out of data" in str(w.message) for w in caught) == 1


def test_shuffle_changes_the_batch_order_and_false_keeps_it():
    seen = []

    class FirstSample(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):
            seen.append(float(data[0][0, 0]))
            return super().train_step(data)

    x = np.arange(40, dtype="float32").reshape(40, 1)
    model = FirstSample()
    model.compile("sgd", "mse", run_eagerly=True)  # the step reads its batch in Python
    model.fit(x, x, batch_size=10, shuffle=False, verbose=0)
    assert seen == [0.0, 10.0, 20.0, 30.0]
    seen.clear()
    np.random.seed(0)
    model.fit(x, x, batch_size=10, epochs=3, shuffle=True, verbose=0)
    assert seen[:4] != [0.0, 10.0, 20.0, 30.0] or seen[4:8] != [0.0, 10.0, 20.0, 30.0]


def test_generators(binary_data):
    x, y = binary_data

    def batches():
        for i in range(5):
            yield x[i * 10:(i + 1) * 10], y[i * 10:(i + 1) * 10]

    model, recorder = _binary_model(), Recorder()
    model.fit(batches(), epochs=1, verbose=0, callbacks=[recorder])
    assert recorder.events[0] == ("train_begin", {"verbose": 0, "epochs": 1, "steps": None})
    assert [e[1] for e in recorder.of("batch_begin")] == [0, 1, 2, 3, 4]
    assert len(model.evaluate(batches(), verbose=0)) == 2
    assert model.predict(batches(), verbose=0).shape == (50, 1)

    def endless():
        while True:
            yield x[:10], y[:10], np.ones(10, "float32")

    history = model.fit(endless(), epochs=2, steps_per_epoch=3, verbose=0,
                        validation_data=(x, y))
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]


def test_generator_that_runs_out_stops_the_epoch_with_a_warning(binary_data):
    x, y = binary_data

    def batches():
        for i in range(5):
            yield x[i * 10:(i + 1) * 10], y[i * 10:(i + 1) * 10]

    model, recorder = _binary_model(), Recorder()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(batches(), epochs=2, steps_per_epoch=3, verbose=0, callbacks=[recorder])
    assert [e[:2] for e in recorder.of("epoch_begin", "batch_begin")] == [
        ("epoch_begin", 0), ("batch_begin", 0), ("batch_begin", 1), ("batch_begin", 2),
        ("epoch_begin", 1), ("batch_begin", 0), ("batch_begin", 1)]
    assert any("Your input ran out of data" in str(w.message) for w in caught)


def test_data_errors_as_keras(binary_data):
    x, y = binary_data
    model = _binary_model()

    def batches():
        yield x, y

    # recorded from Keras 3.15
    with pytest.raises(ValueError, match="When providing `x` as a generator, `y` should not be "
                                         "passed."):
        model.fit(batches(), y, verbose=0)
    with pytest.raises(ValueError, match="Argument `validation_split` is only supported for "
                                         "tensors or NumPy arrays."):
        model.fit(batches(), validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="Data cardinality is ambiguous. Make sure all arrays "
                                         "contain the same number of samples.'x' sizes: 50\n"
                                         "'y' sizes: 10\n"):
        model.fit(x, y[:10], verbose=0)
    with pytest.raises(ValueError, match="You cannot `class_weight` and `sample_weight` at "
                                         "the same time."):
        model.fit(x, y, class_weight={0: 1.0}, sample_weight=np.ones(50), verbose=0)


def test_tensors_lists_and_dicts_as_data(rng):
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    joined = layers.Dense(2)(a) + layers.Dense(2)(b)
    model = keras.Model([a, b], layers.Dense(1)(joined))
    model.compile("sgd", "mse")
    xa, xb = rng.random((20, 3)).astype("float32"), rng.random((20, 2)).astype("float32")
    y = rng.random((20, 1)).astype("float32")
    assert len(model.fit([xa, xb], y, verbose=0).history["loss"]) == 1
    assert len(model.fit({"a": xa, "b": xb}, y, verbose=0).history["loss"]) == 1
    history = model.fit([tf.constant(xa), tf.constant(xb)], tf.constant(y), verbose=0)
    assert len(history.history["loss"]) == 1
    assert model.predict({"a": xa, "b": xb}, verbose=0).shape == (20, 1)
    single = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    single.compile("sgd", "mse")
    assert len(single.fit([xa], y, verbose=0).history["loss"]) == 1


def test_class_weight_and_sample_weight_weigh_the_loss():
    x = np.array([[1.0], [1.0]], "float32")
    y = np.array([0.0, 1.0], "float32")
    model = keras.Sequential([keras.Input((1,)),
                              layers.Dense(1, kernel_initializer="zeros",
                                           bias_initializer="zeros")])
    model.compile("sgd", "mse", weighted_metrics=["mse"])
    plain = model.evaluate(x, y, verbose=0, return_dict=True)
    assert plain["loss"] == pytest.approx(0.5)  # predictions are 0: errors 0 and 1
    weighted = model.evaluate(x, y, sample_weight=np.array([1.0, 3.0]), verbose=0,
                              return_dict=True)
    # Keras's mean over the batch: (1 * 0 + 3 * 1) / 2
    assert weighted["loss"] == pytest.approx(1.5)
    assert weighted["mse"] == pytest.approx(0.75)  # a weighted mean: 3 / 4
    history = model.fit(x, y, class_weight={0: 1.0, 1: 3.0}, epochs=1, verbose=0,
                        shuffle=False)
    assert history.history["loss"][0] == pytest.approx(1.5)


def test_validation_data_with_sample_weights_and_validation_freq(binary_data):
    x, y = binary_data
    model = _binary_model()
    history = model.fit(x, y, batch_size=10, verbose=0, validation_data=(x, y, np.ones(50)))
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    history = model.fit(x, y, epochs=3, verbose=0, validation_freq=2,
                        validation_data=(x, y))
    assert len(history.history["val_loss"]) == 1 and len(history.history["loss"]) == 3
    history = model.fit(x, y, epochs=1, verbose=0, validation_freq=2,
                        validation_data=(x, y))
    assert sorted(history.history) == ["accuracy", "loss"]


def test_a_callback_can_stop_training(binary_data):
    x, y = binary_data

    class StopAfterTwo(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    history = _binary_model().fit(x, y, epochs=10, verbose=0, callbacks=[StopAfterTwo()])
    assert history.epoch == [0, 1]


def test_on_batch_aliases_are_called(binary_data):
    x, y = binary_data
    seen = []

    class Legacy(keras.callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, sorted(logs)))

    _binary_model().fit(x, y, batch_size=25, verbose=0, callbacks=[Legacy()])
    assert seen == [("begin", 0), ("end", 0, ["accuracy", "loss"]), ("begin", 1),
                    ("end", 1, ["accuracy", "loss"])]


def test_loss_falls_and_the_logs_are_epoch_means(binary_data):
    x, y = binary_data
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.05), "mse")
    batch_losses = []

    class Batches(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batch_losses.append(logs["loss"])

    history = model.fit(x, y, batch_size=50, epochs=5, verbose=0, callbacks=[Batches()])
    # one batch per epoch: the epoch's loss is that batch's
    assert history.history["loss"] == pytest.approx(batch_losses)
    assert history.history["loss"][-1] < history.history["loss"][0]


# --- evaluate, predict and the *_on_batch methods -------------------------------------------

def test_evaluate_and_predict_callbacks(binary_data):
    x, y = binary_data
    model, recorder = _binary_model(), Recorder()
    model.evaluate(x, y, batch_size=20, verbose=0, callbacks=[recorder])
    # recorded from Keras 3.15
    assert recorder.events == [
        ("test_begin",), ("test_batch_end", 0, ["accuracy", "loss"]),
        ("test_batch_end", 1, ["accuracy", "loss"]),
        ("test_batch_end", 2, ["accuracy", "loss"]), ("test_end", ["accuracy", "loss"])]
    recorder = Recorder()
    predictions = model.predict(x, batch_size=20, verbose=0, callbacks=[recorder])
    assert recorder.events == [
        ("predict_begin", {}), ("predict_batch_end", 0, ["outputs"]),
        ("predict_batch_end", 1, ["outputs"]), ("predict_batch_end", 2, ["outputs"]),
        ("predict_end", {})]
    assert predictions.shape == (50, 1) and predictions.dtype == np.float32


def test_predict_matches_the_model_and_handles_dict_outputs(rng):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, {"a": layers.Dense(2)(inputs), "b": layers.Dense(1)(inputs)})
    x = rng.random((25, 3)).astype("float32")
    predictions = model.predict(x, batch_size=10, verbose=0)
    direct = model(x)
    assert sorted(predictions) == ["a", "b"]
    np.testing.assert_allclose(predictions["a"], direct["a"].numpy(), rtol=1e-6)
    on_batch = model.predict_on_batch(x)
    assert isinstance(on_batch["b"], np.ndarray) and on_batch["b"].shape == (25, 1)


def test_train_and_test_on_batch(binary_data):
    x, y = binary_data
    model = _binary_model()
    first = model.train_on_batch(x, y)
    assert isinstance(first, list) and len(first) == 2
    assert all(isinstance(v, float) for v in first)
    logs = model.test_on_batch(x, y, return_dict=True)
    assert sorted(logs) == ["accuracy", "loss"]
    # metrics are reset by each call (Keras 3.15): the loss is this batch's
    assert logs["loss"] == pytest.approx(model.evaluate(x, y, batch_size=50, verbose=0)[0],
                                         rel=1e-5)
    weighted = model.train_on_batch(x, y, class_weight={0: 1.0, 1: 2.0}, return_dict=True)
    assert sorted(weighted) == ["accuracy", "loss"]
    with pytest.raises(ValueError, match="cannot be specified at the same time"):
        model.train_on_batch(x, y, sample_weight=np.ones(50), class_weight={0: 1.0})
    assert model.predict_on_batch(x).shape == (50, 1)


def test_unknown_evaluate_argument_raises(binary_data):
    x, y = binary_data
    with pytest.raises(ValueError, match="Arguments not recognized"):
        _binary_model().evaluate(x, y, verbose=0, foo=1)


def test_compiled_loss_and_metrics_shims_of_tf_keras_2(binary_data):
    x, y = binary_data

    class OldStyle(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1, activation="sigmoid")

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics if m.name != "loss"}

    model = OldStyle()
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    with pytest.warns(UserWarning, match="deprecated"):
        history = model.fit(x, y, verbose=0)
    assert sorted(history.history) == ["accuracy"]


def test_fit_and_predict_take_numpy_text_arrays():
    # A NumPy unicode array feeds a string model as Keras feeds it (bytes tensors).
    texts = np.array(["good movie", "bad film", "great plot", "awful acting"] * 8)
    labels = np.array([1, 0, 1, 0] * 8)
    vectorize = keras.layers.TextVectorization(output_mode="multi_hot")
    vectorize.adapt(texts)
    model = keras.Sequential([keras.Input((), dtype="string"), vectorize,
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    history = model.fit(texts, labels, epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(texts[:3], verbose=0).shape == (3, 1)


def _train_digits_like(run_eagerly):
    keras.utils.set_random_seed(1)
    rng = np.random.default_rng(0)
    x = rng.random((64, 8)).astype("float32")
    y = rng.integers(0, 3, 64)
    model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                              layers.Dropout(0.3), layers.BatchNormalization(),
                              layers.Dense(3, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"], run_eagerly=run_eagerly)
    history = model.fit(x, y, batch_size=10, epochs=3, verbose=0, validation_split=0.2)
    return (model.get_weights(), history.history, model.predict(x[:5], verbose=0),
            model.evaluate(x, y, verbose=0), model.train_on_batch(x[:4], y[:4]))


def test_traced_steps_train_exactly_as_eager_ones():
    # fit, evaluate, predict and train_on_batch run their steps as tf.functions unless
    # run_eagerly; dropout draws, batch statistics and updates are the same either way.
    traced, eager = _train_digits_like(False), _train_digits_like(True)
    for ours, theirs in zip(traced[0], eager[0]):
        np.testing.assert_array_equal(ours, theirs)
    assert traced[1] == eager[1] and traced[3:] == eager[3:]
    np.testing.assert_array_equal(traced[2], eager[2])


def test_steps_run_eagerly_when_functions_run_eagerly():
    calls = []

    class Counting(keras.Model):
        def train_step(self, data):
            calls.append(1)
            return super().train_step(data)

    inputs = keras.Input((2,))
    model = Counting(inputs, layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    model.fit(x, y, batch_size=2, verbose=0)
    assert len(calls) == 1  # traced once, replayed for the other three batches
    tf.config.run_functions_eagerly(True)
    try:
        model.fit(x, y, batch_size=2, verbose=0)
    finally:
        tf.config.run_functions_eagerly(False)
    assert len(calls) == 5


def test_many_batch_shapes_trace_again_without_tensorflows_retracing_warning(caplog, capsys):
    # Keras relaxes its step's shapes and so prints nothing; eagerflow traces each shape.
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    for size in range(1, 9):
        assert model.predict(np.ones((size, 3), "float32"), verbose=0).shape == (size, 2)
    assert "retracing" not in caplog.text + capsys.readouterr().err

    @tf.function
    def user_function(x):
        return x * 2.0

    for size in range(1, 9):  # a user's own tf.function still gets the warning, as in TF
        user_function(tf.ones((size,)))
    assert "triggered tf.function retracing" in caplog.text + capsys.readouterr().err
