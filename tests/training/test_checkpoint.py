"""tf.train.Checkpoint: keys, save/write/restore, deferred restoration, statuses, bad files."""

import json
import os

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras


class Holder(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([1.0, 2.0])
        self.subs = [tf.Variable(1), {"a": tf.Variable(2.0)}]


def _mlp(seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.layers.Dense(4, activation="relu"),
                             keras.layers.BatchNormalization(), keras.layers.Dense(1)])


def _train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))


@pytest.fixture
def data(rng):
    return (rng.standard_normal((8, 3)).astype("float32"),
            rng.standard_normal((8, 1)).astype("float32"))


def test_keys_follow_tf_object_graph_paths(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(3.0), m=Holder(), lst=[tf.Variable(5.0)])
    path = checkpoint.save(str(tmp_path / "ckpt"))
    # Recorded with tf.train.list_variables on the same objects, TensorFlow 2.21.
    assert tf.train.list_variables(path) == [
        ("lst/0/.ATTRIBUTES/VARIABLE_VALUE", []),
        ("m/subs/0/.ATTRIBUTES/VARIABLE_VALUE", []),
        ("m/subs/1/a/.ATTRIBUTES/VARIABLE_VALUE", []),
        ("m/w/.ATTRIBUTES/VARIABLE_VALUE", [2]),
        ("save_counter/.ATTRIBUTES/VARIABLE_VALUE", []),
        ("v/.ATTRIBUTES/VARIABLE_VALUE", [])]


def test_keras_keys_name_layers_and_optimizer_slots(tmp_path, data):
    model, optimizer = _mlp(), keras.optimizers.Adam(0.01)
    _train_step(model, optimizer, *data)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).write(str(tmp_path / "w"))
    keys = dict(tf.train.list_variables(path))
    # As TF 2.21 keys them: the optimizer's counters under their attributes, each
    # variable once under its shortest path.
    assert keys["optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE"] == []
    assert keys["optimizer/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE"] == []
    assert keys["model/layers/1/moving_mean/.ATTRIBUTES/VARIABLE_VALUE"] == [4]
    assert len(keys) == 2 + 6 + 2 + 12  # counters, weights, BN statistics, Adam slots
    assert "save_counter/.ATTRIBUTES/VARIABLE_VALUE" not in keys  # write() adds no counter


def test_save_numbers_and_records_state(tmp_path):
    v = tf.Variable(1.0)
    checkpoint = tf.train.Checkpoint(v=v)
    first = checkpoint.save(str(tmp_path / "ckpt"))
    v.assign(2.0)
    second = checkpoint.save(tmp_path / "ckpt")
    assert (os.path.basename(first), os.path.basename(second)) == ("ckpt-1", "ckpt-2")
    assert int(checkpoint.save_counter) == 2
    # TF 2.21 writes exactly this after two Checkpoint.save calls.
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "ckpt-2"\nall_model_checkpoint_paths: "ckpt-2"\n')
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", "ckpt-1.data-00000-of-00001", "ckpt-1.index",
        "ckpt-2.data-00000-of-00001", "ckpt-2.index"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == second
    checkpoint.restore(first).assert_consumed()
    assert float(v) == 1.0
    assert int(checkpoint.save_counter) == 1  # restored with the rest


def test_write_and_read_leave_counter_and_state_alone(tmp_path):
    v = tf.Variable([1.0, 2.0])
    checkpoint = tf.train.Checkpoint(v=v)
    path = checkpoint.write(str(tmp_path / "weights"))
    assert path == str(tmp_path / "weights")
    assert not (tmp_path / "checkpoint").exists()
    v.assign([0.0, 0.0])
    status = tf.train.Checkpoint(v=v).read(path)
    status.assert_existing_objects_matched()
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert tf.train.load_variable(path, "v").tolist() == [1.0, 2.0]


def test_index_is_json_and_data_is_plain_npz(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable([1, 2], dtype=tf.int64)).write(str(tmp_path / "w"))
    index = json.loads((tmp_path / "w.index").read_text())
    assert index["format"] == "eagerflow-checkpoint" and index["version"] == 1
    with np.load(path + ".data-00000-of-00001", allow_pickle=False) as archive:
        value = archive["v/.ATTRIBUTES/VARIABLE_VALUE"]
    assert value.dtype == np.int64 and value.tolist() == [1, 2]


def test_module_round_trip_and_root_argument(tmp_path):
    saved = Holder()
    saved.w.assign([7.0, 8.0])
    path = tf.train.Checkpoint(root=saved).write(str(tmp_path / "m"))
    assert "w/.ATTRIBUTES/VARIABLE_VALUE" in dict(tf.train.list_variables(path))
    restored = Holder()
    tf.train.Checkpoint(root=restored).read(path).assert_consumed()
    assert restored.w.numpy().tolist() == [7.0, 8.0]


def test_deferred_restoration_of_optimizer_slots_and_unbuilt_layers(tmp_path, data):
    x, y = data
    model, optimizer = _mlp(), keras.optimizers.Adam(0.01)
    for _ in range(2):
        _train_step(model, optimizer, x, y)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).save(str(tmp_path / "ckpt"))
    _train_step(model, optimizer, x, y)
    expected = [w.numpy() for w in model.weights + optimizer.variables]

    # Nothing is built yet: the layers' weights and Adam's slots do not exist.
    fresh_model, fresh_optimizer = _mlp(seed=7), keras.optimizers.Adam(0.01)
    status = tf.train.Checkpoint(model=fresh_model, optimizer=fresh_optimizer).restore(path)
    with pytest.raises(AssertionError, match="Unresolved object in checkpoint"):
        status.assert_consumed()
    fresh_model(x[:1])  # builds the layers: their weights take the saved values
    np.testing.assert_array_equal(fresh_model.layers[0].kernel.numpy(),
                                  tf.train.load_variable(path, "optimizer/_trainable_variables/0"))
    assert int(fresh_optimizer.iterations) == 2
    _train_step(fresh_model, fresh_optimizer, x, y)  # creates the slots, then steps
    status.assert_consumed()
    got = [w.numpy() for w in fresh_model.weights + fresh_optimizer.variables]
    assert len(got) == len(expected)
    for actual, wanted in zip(got, expected):
        np.testing.assert_array_equal(actual, wanted)


def test_deferred_restoration_of_subclassed_model(tmp_path, data):
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(3)
            self.out = keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    x, _ = data
    net = Net()
    expected = net(x).numpy()
    path = tf.train.Checkpoint(net=net).write(str(tmp_path / "net"))
    assert "net/hidden/kernel/.ATTRIBUTES/VARIABLE_VALUE" in dict(
        tf.train.list_variables(path))
    fresh = Net()
    tf.train.Checkpoint(net=fresh).read(path)
    np.testing.assert_array_equal(fresh(x).numpy(), expected)


def test_interrupted_custom_loop_resumes_identically(tmp_path, data):
    x, y = data

    def run(steps, manager_dir=None, stop_at=None):
        model, optimizer = _mlp(), keras.optimizers.RMSprop(0.01)
        step = tf.Variable(0, dtype=tf.int64)
        manager = None
        if manager_dir is not None:
            checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, step=step)
            manager = tf.train.CheckpointManager(checkpoint, manager_dir, max_to_keep=2)
            manager.restore_or_initialize()
        while int(step) < steps:
            if stop_at is not None and int(step) == stop_at:
                return None  # "interrupted"
            _train_step(model, optimizer, x, y)
            step.assign_add(1)
            if manager is not None:
                manager.save()
        return model.get_weights() + [v.numpy() for v in optimizer.variables]

    uninterrupted = run(6)
    assert run(6, str(tmp_path), stop_at=4) is None
    resumed = run(6, str(tmp_path))
    for actual, wanted in zip(resumed, uninterrupted):
        np.testing.assert_array_equal(actual, wanted)


def test_status_assertions(tmp_path):
    v, w = tf.Variable(1.0), tf.Variable([1.0, 2.0])
    path = tf.train.Checkpoint(v=v, w=w).save(str(tmp_path / "ckpt"))
    # Messages as TF 2.21 words them.
    status = tf.train.Checkpoint(v=v).restore(path)
    with pytest.raises(AssertionError, match=r"Unresolved object in checkpoint \(root\)\.w: "
                                             r'checkpoint_key: "w/\.ATTRIBUTES'):
        status.assert_consumed()
    assert status.assert_existing_objects_matched() is status
    assert status.assert_nontrivial_match() is status
    extra = tf.Variable(3.0)
    status = tf.train.Checkpoint(v=v, w=w, x=extra).restore(path)
    with pytest.raises(AssertionError, match=r"Found 1 Python objects that were not bound to "
                                             r"checkpointed values.*Showing 1 of 1"):
        status.assert_existing_objects_matched()
    with pytest.raises(AssertionError, match="not bound"):
        status.assert_consumed()
    assert status.expect_partial() is status


def test_nontrivial_match_fails_when_nothing_matches(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(tmp_path / "w"))
    status = tf.train.Checkpoint(q=Holder()).restore(path)
    with pytest.raises(AssertionError, match="Nothing except the root object matched"):
        status.assert_nontrivial_match()


def test_restore_none_is_initialization_only():
    v = tf.Variable(4.0)
    status = tf.train.Checkpoint(v=v).restore(None)
    for check in (status.assert_consumed, status.assert_existing_objects_matched,
                  status.assert_nontrivial_match):
        with pytest.raises(AssertionError, match=r"No checkpoint specified \(save_path=None\)"):
            check()
    assert status.expect_partial() is status
    assert float(v) == 4.0


def test_non_trackable_arguments_are_refused():
    with pytest.raises(ValueError, match="`Checkpoint` was expecting v to be a trackable"):
        tf.train.Checkpoint(v=3)


def test_missing_and_damaged_files_raise_tf_errors(tmp_path):
    prefix = str(tmp_path / "ckpt")
    checkpoint = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0]))
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files for"):
        checkpoint.restore(str(tmp_path / "nope"))
    path = checkpoint.write(prefix)
    data = tmp_path / "ckpt.data-00000-of-00001"
    content = data.read_bytes()
    data.write_bytes(content[:len(content) // 2])
    with pytest.raises(tf.errors.DataLossError, match="ckpt.data-00000-of-00001"):
        checkpoint.restore(path)
    data.unlink()
    with pytest.raises(tf.errors.NotFoundError, match="ckpt.data-00000-of-00001"):
        checkpoint.restore(path)
    # The first bytes of a TensorFlow index file (an SSTable) are not JSON.
    (tmp_path / "tf.index").write_bytes(b"\x00\x00\x12\x01\xb8\x02garbage")
    with pytest.raises(tf.errors.DataLossError, match=r"tf\.index.*not an eagerflow"):
        checkpoint.restore(str(tmp_path / "tf"))
    (tmp_path / "other.index").write_text('{"format": "something else"}')
    with pytest.raises(tf.errors.DataLossError, match="other.index"):
        checkpoint.restore(str(tmp_path / "other"))


def test_mismatched_shape_and_dtype(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(tmp_path / "w"))
    with pytest.raises(ValueError, match=r"incompatible tensor with shape \(\) when attempting "
                                         r"to restore variable with shape \(3,\)"):
        tf.train.Checkpoint(v=tf.Variable([1.0, 2.0, 3.0])).restore(path)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="expected dtype int32 does not equal original dtype float32"):
        tf.train.Checkpoint(v=tf.Variable(1)).restore(path)


def test_failed_write_leaves_previous_checkpoint_whole(tmp_path, monkeypatch):
    v = tf.Variable(1.0)
    checkpoint = tf.train.Checkpoint(v=v)
    path = checkpoint.write(str(tmp_path / "w"))
    v.assign(2.0)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        checkpoint.write(path)
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["w.data-00000-of-00001", "w.index"]
    checkpoint.read(path).assert_consumed()
    assert float(v) == 1.0


def test_dependencies_are_attributes_and_can_be_added(tmp_path):
    v, w = tf.Variable(1.0), tf.Variable(2.0)
    checkpoint = tf.train.Checkpoint(v=v)
    checkpoint.w = w
    assert checkpoint.v is v and checkpoint.w is w
    path = checkpoint.write(str(tmp_path / "w"))
    assert [key for key, _ in tf.train.list_variables(path)] == [
        "v/.ATTRIBUTES/VARIABLE_VALUE", "w/.ATTRIBUTES/VARIABLE_VALUE"]
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        checkpoint.missing  # noqa: B018
    with pytest.raises(ValueError, match="expecting x to be a trackable object"):
        checkpoint.x = "text"
