"""Atomic writes: the file appears whole or not at all, with ordinary permissions."""

import os
import stat

import pytest

import eagerflow as tf
from eagerflow.framework.atomic_file import atomic_write


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_umask_permissions_not_the_temporary_file_ones(tmp_path, umask_022):
    target = tmp_path / "weights.h5"
    with atomic_write(target) as temporary:
        with open(temporary, "w") as file:
            file.write("new")
    assert target.read_text() == "new" and _mode(target) == 0o644
    assert os.listdir(tmp_path) == ["weights.h5"]


def test_replacing_a_file_keeps_its_permissions(tmp_path, umask_022):
    target = tmp_path / "model.keras"
    target.write_text("old")
    os.chmod(target, 0o600)
    with atomic_write(target) as temporary:
        with open(temporary, "w") as file:
            file.write("new")
    assert target.read_text() == "new" and _mode(target) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "model.keras"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as temporary:
            with open(temporary, "w") as file:
                file.write("half")
            raise RuntimeError("crash mid-save")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["model.keras"]


def test_a_saved_model_directory_gets_ordinary_permissions(tmp_path, umask_022):
    module = tf.Module()
    module.v = tf.Variable(1.0)
    tf.saved_model.save(module, str(tmp_path / "exported"))
    assert _mode(tmp_path / "exported") == 0o755
