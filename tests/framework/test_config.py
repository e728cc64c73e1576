"""tf.config and tf.version on a CPU-only machine (TensorFlow 2.21's behaviour, recorded)."""

import pathlib
import re

import pytest

import eagerflow as tf

CPU = tf.config.PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")


def test_physical_devices():
    devices = tf.config.list_physical_devices()
    assert devices == [CPU]
    assert repr(devices[0]) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    assert (devices[0].name, devices[0].device_type) == ("/physical_device:CPU:0", "CPU")
    assert isinstance(devices[0], tuple)
    assert tf.config.list_physical_devices("CPU") == [CPU]
    for device_type in ("GPU", "cpu", "TPU", "XYZ"):
        assert tf.config.list_physical_devices(device_type) == []
    assert tf.config.experimental.list_physical_devices("CPU") == [CPU]


def test_logical_devices():
    devices = tf.config.list_logical_devices()
    assert repr(devices) == "[LogicalDevice(name='/device:CPU:0', device_type='CPU')]"
    assert tf.config.list_logical_devices("CPU") == devices
    assert tf.config.list_logical_devices("GPU") == []
    assert tf.config.experimental.list_logical_devices("CPU") == devices


def test_visible_devices():
    assert tf.config.get_visible_devices() == [CPU]
    assert tf.config.get_visible_devices("GPU") == []
    assert tf.config.set_visible_devices([], "GPU") is None
    assert tf.config.set_visible_devices(CPU, "CPU") is None
    tf.config.experimental.set_visible_devices([CPU])
    assert tf.config.experimental.get_visible_devices("CPU") == [CPU]
    tf.config.set_visible_devices([])
    try:
        assert tf.config.get_visible_devices() == []
        assert tf.config.list_logical_devices() == []
    finally:
        tf.config.set_visible_devices([CPU])
    assert tf.config.get_visible_devices() == [CPU]


def test_visible_devices_errors():
    with pytest.raises(ValueError, match=re.escape(
            "Unrecognized device: PhysicalDevice(name='/physical_device:CPU:0', "
            "device_type='CPU')")):
        tf.config.set_visible_devices(CPU, "GPU")
    with pytest.raises(ValueError, match="^Unrecognized device: 'x'$"):
        tf.config.set_visible_devices("x")


def test_memory_growth_is_for_gpus_only():
    with pytest.raises(ValueError, match="^Cannot set memory growth on non-GPU and "
                                         "non-Pluggable devices$"):
        tf.config.experimental.set_memory_growth(CPU, True)
    with pytest.raises(KeyError):
        tf.config.experimental.get_memory_growth(CPU)
    gpu = tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")
    with pytest.raises(ValueError, match="Unrecognized device: PhysicalDevice"):
        tf.config.experimental.set_memory_growth(gpu, True)
    with pytest.raises(ValueError, match="Unrecognized device: 'CPU'"):
        tf.config.experimental.set_memory_growth("CPU", True)
    # The usual guard in scripts is a loop over no GPUs.
    for device in tf.config.list_physical_devices("GPU"):
        tf.config.experimental.set_memory_growth(device, True)


def test_device_details():
    assert tf.config.experimental.get_device_details(CPU) == {}
    with pytest.raises(ValueError, match="^device must be a tf.config.PhysicalDevice, but "
                                         "got: CPU$"):
        tf.config.experimental.get_device_details("CPU")


def test_memory_info():
    assert tf.config.experimental.get_memory_info("CPU:0") == {"current": 0, "peak": 0}
    with pytest.raises(ValueError, match="No matching devices found for 'GPU:0'"):
        tf.config.experimental.get_memory_info("GPU:0")


def test_threading_settings():
    assert tf.config.threading.get_intra_op_parallelism_threads() == 0
    assert tf.config.threading.get_inter_op_parallelism_threads() == 0
    try:
        assert tf.config.threading.set_intra_op_parallelism_threads(2) is None
        tf.config.threading.set_inter_op_parallelism_threads(3)
        assert tf.config.threading.get_intra_op_parallelism_threads() == 2
        assert tf.config.threading.get_inter_op_parallelism_threads() == 3
    finally:
        tf.config.threading.set_intra_op_parallelism_threads(0)
        tf.config.threading.set_inter_op_parallelism_threads(0)


def test_intra_op_threads_size_the_blas_pool():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    blas = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    if not blas:
        pytest.skip("no BLAS thread pool found")
    original = blas[0]["num_threads"]
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        assert all(p["num_threads"] == 1 for p in threadpoolctl.threadpool_info()
                   if p["user_api"] == "blas")
    finally:
        tf.config.threading.set_intra_op_parallelism_threads(0)
    assert [p["num_threads"] for p in threadpoolctl.threadpool_info()
            if p["user_api"] == "blas"][0] == original


def test_version_is_the_projects_own():
    pyproject = pathlib.Path(__file__).parents[2] / "pyproject.toml"
    declared = re.search(r'^version = "([^"]+)"', pyproject.read_text(), re.M).group(1)
    assert tf.__version__ == tf.version.VERSION == declared
