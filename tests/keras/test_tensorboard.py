"""keras.callbacks.TensorBoard: the runs, tags and steps Keras 3.15 writes (recorded by
running its callback under TensorFlow 2.21), read back with TensorBoard's own reader."""

import json
import os

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.framework.summary_ops import histogram_buckets
from tests.framework.test_summary import read_values, traced_graphs

pytest.importorskip("tensorboardX")
pytest.importorskip("tensorboard")


def make_model():
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)),
                              keras.layers.Dense(3, activation="relu", name="hidden"),
                              keras.layers.Dense(2, activation="softmax", name="out")],
                             name="sequential")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype("int32")


def fit(tmp_path, data, validation=True, **options):
    x, y = data
    model = make_model()
    callback = keras.callbacks.TensorBoard(log_dir=str(tmp_path), **options)
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[callback],
                        validation_data=(x, y) if validation else None)
    return model, callback, history


def steps_and_values(entries):
    return [step for step, _, _ in entries], [float(value) for _, value, _ in entries]


def test_epoch_logs_equal_history(tmp_path, data):
    model, callback, history = fit(tmp_path, data, histogram_freq=1)
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train = read_values(tmp_path / "train")
    validation = read_values(tmp_path / "validation")
    for name in ("loss", "accuracy"):
        steps, values = steps_and_values(train[f"epoch_{name}"])
        assert steps == [0, 1]
        np.testing.assert_array_equal(values, np.float32(history.history[name]))
        steps, values = steps_and_values(validation[f"epoch_{name}"])
        assert steps == [0, 1]
        np.testing.assert_array_equal(values, np.float32(history.history[f"val_{name}"]))
        # Written at the end of each validation run, at the optimizer's iterations.
        assert steps_and_values(validation[f"evaluation_{name}_vs_iterations"])[0] == [4, 8]
    steps, rates = steps_and_values(train["epoch_learning_rate"])
    assert steps == [0, 1] and rates == [np.float32(0.001)] * 2
    assert all(entry[2].plugin_data.plugin_name == "scalars" for entry in train["epoch_loss"])
    # Every writer is flushed and closed when fit ends.
    assert callback._writers and all(w._closed for w in callback._writers.values())


def test_weight_histograms_and_graph(tmp_path, data):
    model, _, _ = fit(tmp_path, data, validation=False, histogram_freq=1)
    train = read_values(tmp_path / "train")
    # Keras 3.15's tags: the weight's path, then "/histogram".
    expected = {"sequential/hidden/kernel/histogram", "sequential/hidden/bias/histogram",
                "sequential/out/kernel/histogram", "sequential/out/bias/histogram"}
    assert expected <= set(train)
    kernel = model.layers[0].kernel
    last_step, table, metadata = train["sequential/hidden/kernel/histogram"][-1]
    assert last_step == 1 and metadata.plugin_data.plugin_name == "histograms"
    np.testing.assert_array_equal(table, histogram_buckets(kernel.numpy()))
    (step, config, metadata), = train["keras"]
    assert step == 0 and metadata.plugin_data.plugin_name == "graph_keras_model"
    assert metadata.plugin_data.content == b"1"
    assert json.loads(config[0])["class_name"] == "Sequential"


def test_update_freq_batch_and_steps_per_second(tmp_path, data):
    _, _, history = fit(tmp_path, data, validation=False, update_freq="batch",
                        write_steps_per_second=True)
    train = read_values(tmp_path / "train")
    assert steps_and_values(train["batch_loss"])[0] == list(range(1, 9))
    assert steps_and_values(train["batch_steps_per_second"])[0] == list(range(1, 9))
    assert steps_and_values(train["epoch_steps_per_second"])[0] == [0, 1]
    # The last batch's running loss is the epoch's loss.
    assert float(train["batch_loss"][-1][1]) == np.float32(history.history["loss"][-1])


def test_update_freq_integer_follows_keras_recording_rule(tmp_path, data):
    fit(tmp_path, data, update_freq=3)
    train = read_values(tmp_path / "train")
    # As in Keras 3.15: everything is recorded only on batches 3, 6, ...; the epochs end on
    # batches 4 and 8, so no epoch (or evaluation) summaries are written.
    assert steps_and_values(train["batch_loss"])[0] == [3, 6]
    assert not any(tag.startswith("epoch_") for tag in train)
    assert read_values(tmp_path / "validation") == {}


def test_write_images(tmp_path, data):
    fit(tmp_path, data, validation=False, histogram_freq=1, write_images=True,
        write_graph=False)
    train = read_values(tmp_path / "train")
    assert "keras" not in train
    # Width and height as Keras 3.15 writes them: kernels wider than tall, biases a column.
    sizes = {tag: train[tag][0][1][:2].tolist() for tag in train if tag.endswith("/image")}
    assert sizes == {"sequential/hidden/kernel/image": [b"4", b"3"],
                     "sequential/hidden/bias/image": [b"1", b"3"],
                     "sequential/out/kernel/image": [b"3", b"2"],
                     "sequential/out/bias/image": [b"1", b"2"]}


def test_tensorboard_accumulator_reads_the_run(tmp_path, data):
    from tensorboard.backend.event_processing import plugin_event_accumulator
    fit(tmp_path, data, validation=False, histogram_freq=1)
    accumulator = plugin_event_accumulator.EventAccumulator(str(tmp_path / "train"))
    accumulator.Reload()
    tags = accumulator.Tags()["tensors"]
    assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"} <= set(tags)
    assert [event.step for event in accumulator.Tensors("epoch_loss")] == [0, 1]


def test_evaluate_alone_writes_evaluation_metrics(tmp_path, data):
    x, y = data
    model = make_model()
    callback = keras.callbacks.TensorBoard(log_dir=str(tmp_path), write_graph=False)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    loss, accuracy = model.evaluate(x, y, batch_size=16, verbose=0, callbacks=[callback])
    validation = read_values(tmp_path / "validation")
    (step, value, _), = validation["evaluation_loss_vs_iterations"]
    assert step == 4 and float(value) == np.float32(loss)


def test_profile_batch_writes_the_traced_train_step_graph(tmp_path, data):
    with pytest.warns(UserWarning, match="no profiler"):
        fit(tmp_path, data, validation=False, profile_batch=1)
    # As Keras 3.15: the trace runs over batch 1 and is exported as "batch_1" at step 1;
    # the train step is traced in that batch, so its graph is the one written.
    step, (graph,), metadata = traced_graphs(tmp_path / "train", "batch_1")
    assert step == 1 and metadata.plugin_data.plugin_name == "graph_run_metadata_graph"
    ops = [node.op for node in graph.node]
    assert ops[:2] == ["_Arg", "_Arg"] and [node.name for node in graph.node[:2]] == [
        "data", "data_1"]
    assert {"MatMul", "Relu", "Softmax", "ReadVariableOp", "ResourceApplyAdam"} <= set(ops)
    assert ops[-1] == "_Retval"


def test_profile_batch_range_and_none(tmp_path, data):
    with pytest.warns(UserWarning, match="no profiler"):
        fit(tmp_path / "later", data, validation=False, profile_batch="2,3")
    # Batches 2 and 3 run the step traced in batch 1: the export names no function.
    step, graphs, _ = traced_graphs(tmp_path / "later" / "train", "batch_3")
    assert (step, graphs) == (3, [])
    fit(tmp_path / "none", data, validation=False)
    assert not any(tag.startswith("batch") for tag in read_values(tmp_path / "none"))
    fit(tmp_path / "no_graph", data, validation=False, write_graph=False)
    assert "keras" not in read_values(tmp_path / "no_graph" / "train")


@pytest.mark.parametrize("profile_batch", [-1, (3, 2), 1.5, [1, 2, 3], "2"])
def test_profile_batch_errors_as_keras(profile_batch):
    with pytest.raises(ValueError, match="profile_batch must be a non-negative integer"):
        keras.callbacks.TensorBoard(profile_batch=profile_batch)
