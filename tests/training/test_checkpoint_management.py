"""tf.train.CheckpointManager, the `checkpoint` state file, latest_checkpoint and friends."""

import os

import pytest

import eagerflow as tf


def _names(paths):
    return [os.path.basename(p) for p in paths]


def test_manager_keeps_the_newest_and_records_them(tmp_path):
    v = tf.Variable(0.0)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=2)
    assert manager.latest_checkpoint is None
    saved = []
    for i in range(4):
        v.assign(float(i))
        saved.append(manager.save())
    # As TF 2.21's manager does: ckpt-1 .. ckpt-4, the two newest kept.
    assert _names(saved) == ["ckpt-1", "ckpt-2", "ckpt-3", "ckpt-4"]
    assert _names(manager.checkpoints) == ["ckpt-3", "ckpt-4"]
    assert manager.latest_checkpoint == saved[-1]
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", "ckpt-3.data-00000-of-00001", "ckpt-3.index",
        "ckpt-4.data-00000-of-00001", "ckpt-4.index"]
    lines = (tmp_path / "checkpoint").read_text().splitlines()
    assert lines[:3] == ['model_checkpoint_path: "ckpt-4"', 'all_model_checkpoint_paths: "ckpt-3"',
                         'all_model_checkpoint_paths: "ckpt-4"']
    assert [line.split(":")[0] for line in lines[3:]] == [
        "all_model_checkpoint_timestamps", "all_model_checkpoint_timestamps",
        "last_preserved_timestamp"]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "ckpt-4")
    assert state.all_model_checkpoint_paths == [str(tmp_path / "ckpt-3"),
                                                str(tmp_path / "ckpt-4")]
    assert len(state.all_model_checkpoint_timestamps) == 2


def test_manager_numbers_and_reopens(tmp_path):
    v = tf.Variable(1.0)
    checkpoint = tf.train.Checkpoint(v=v)
    manager = tf.train.CheckpointManager(checkpoint, str(tmp_path), max_to_keep=3,
                                         checkpoint_name="model")
    assert _names([manager.save(checkpoint_number=10),
                   manager.save(checkpoint_number=tf.Variable(11, dtype=tf.int64))]) == [
        "model-10", "model-11"]
    reopened = tf.train.CheckpointManager(checkpoint, str(tmp_path), max_to_keep=3)
    assert _names(reopened.checkpoints) == ["model-10", "model-11"]
    assert reopened.latest_checkpoint == str(tmp_path / "model-11")
    v.assign(5.0)
    assert reopened.restore_or_initialize() == str(tmp_path / "model-11")
    assert float(v) == 1.0


def test_restore_or_initialize_without_checkpoint_calls_init_fn(tmp_path):
    calls = []
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(1.0)),
                                         str(tmp_path), max_to_keep=1,
                                         init_fn=lambda: calls.append(1))
    assert manager.restore_or_initialize() is None
    assert calls == [1]


def test_max_to_keep_none_keeps_all(tmp_path):
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(1.0)),
                                         str(tmp_path), max_to_keep=None)
    for _ in range(3):
        manager.save()
    assert _names(manager.checkpoints) == ["ckpt-1", "ckpt-2", "ckpt-3"]
    assert all(os.path.exists(p + ".index") for p in manager.checkpoints)


def test_checkpoint_interval_follows_step_counter(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(step=step), str(tmp_path),
                                         max_to_keep=None, step_counter=step,
                                         checkpoint_interval=3)
    saved = []
    for _ in range(7):
        saved.append(manager.save())
        step.assign_add(1)
    assert [p is not None for p in saved] == [True, False, False, True, False, False, True]


def test_manager_argument_errors(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    # Messages recorded from TF 2.21.
    with pytest.raises(ValueError, match="Expected a positive integer or `None` for "
                                         "`max_to_keep`, got 0."):
        tf.train.CheckpointManager(checkpoint, str(tmp_path), max_to_keep=0)
    with pytest.raises(ValueError, match="`step_counter` should be passed if "
                                         "`checkpoint_interval` is not None."):
        tf.train.CheckpointManager(checkpoint, str(tmp_path), max_to_keep=2,
                                   checkpoint_interval=3)


def test_latest_checkpoint_without_files(tmp_path):
    assert tf.train.latest_checkpoint(str(tmp_path / "missing")) is None
    assert tf.train.get_checkpoint_state(str(tmp_path / "missing")) is None
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: "ckpt-9"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) is None  # ckpt-9.index is missing
    (tmp_path / "checkpoint").write_text("this is not a state file")
    with pytest.warns(UserWarning, match="Checkpoint ignored"):
        assert tf.train.get_checkpoint_state(str(tmp_path)) is None


def test_checkpoints_iterator_yields_latest_then_times_out(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    assert list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0)) == []
    path = checkpoint.save(str(tmp_path / "ckpt"))
    assert list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0)) == [path]


def test_paths_outside_the_folder_stay_absolute(tmp_path):
    other = tmp_path / "elsewhere"
    path = tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(other / "w"))
    from eagerflow.training.checkpoint_management import update_checkpoint_state
    update_checkpoint_state(str(tmp_path), path)
    assert f'model_checkpoint_path: "{path}"' in (tmp_path / "checkpoint").read_text()
    assert tf.train.latest_checkpoint(str(tmp_path)) == path


def test_keep_checkpoint_every_n_hours_preserves_old_ones(tmp_path):
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(1.0)),
                                         str(tmp_path), max_to_keep=1,
                                         keep_checkpoint_every_n_hours=1e-12)
    paths = [manager.save() for _ in range(3)]
    # Each checkpoint pushed out is older than the last preserved one by more than the
    # interval, so it is preserved on disk (but no longer managed).
    assert _names(manager.checkpoints) == ["ckpt-3"]
    assert all(os.path.exists(p + ".index") for p in paths)
