"""tf.device, Tensor.device and placement logging on a CPU-only machine (TensorFlow 2.21's
behaviour, recorded)."""

import pytest

import eagerflow as tf

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


def test_tensor_and_variable_device():
    assert tf.constant([1.0]).device == CPU
    assert (tf.constant([1.0]) + 1).device == CPU
    assert tf.Variable(1.0).device == CPU


@pytest.mark.parametrize("spec", [
    "/CPU:0", "/cpu:0", "CPU:0", "cpu", "/device:CPU:0", CPU, "", None,
    "/GPU:0", "/gpu:1", "GPU", "/CPU:1", "/TPU:0", "/device:GPU:0", "/device:XYZ:0"])
def test_device_scopes_run_on_the_cpu(spec):
    with tf.device(spec) as entered:
        a = tf.constant(1.0)
        b = a * 2
        v = tf.Variable(1.0)
    assert entered is None
    assert (a.device, b.device, v.device) == (CPU, CPU, CPU)


@pytest.mark.parametrize("spec, message", [
    ("foo", "Unknown attribute 'foo' is encountered while parsing the device spec: 'foo'."),
    ("/GPU:0/CPU:0", "Multiple device types are not allowed while parsing the device spec: "
                     "/GPU:0/CPU:0."),
    ("GPU:x", "invalid literal for int() with base 10: 'x'"),
])
def test_malformed_device_strings(spec, message):
    with pytest.raises(ValueError) as info:
        tf.device(spec)
    assert str(info.value) == message


@pytest.mark.parametrize("spec, name", [
    ("/job:foo/device:CPU:0", "/job:foo/replica:0/task:0/device:CPU:0"),
    ("/replica:1/device:CPU:0", "/job:localhost/replica:1/task:0/device:CPU:0")])
def test_unknown_job_or_replica(spec, name):
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"^{name} unknown device.$"):
        with tf.device(spec):
            pass


def test_without_soft_placement_a_gpu_is_an_error():
    assert tf.config.get_soft_device_placement() is True
    tf.config.set_soft_device_placement(False)
    try:
        assert tf.config.get_soft_device_placement() is False
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            with tf.device("/GPU:0"):
                pass
        with tf.device("/CPU:0"):
            assert tf.constant(1.0).device == CPU
    finally:
        tf.config.set_soft_device_placement(True)
    assert str(info.value) == (
        "Could not satisfy device specification '/job:localhost/replica:0/task:0/device:"
        "GPU:0'. enable_soft_placement=0. Supported device types [CPU]. All available "
        f"devices [{CPU}].")


def test_log_device_placement(capsys):
    x = tf.constant([1.0, 2.0])
    assert tf.debugging.get_log_device_placement() is False
    tf.debugging.set_log_device_placement(True)
    try:
        assert tf.debugging.get_log_device_placement() is True
        y = x + 1
    finally:
        tf.debugging.set_log_device_placement(False)
    assert tf.debugging.get_log_device_placement() is False
    z = x * 2
    assert capsys.readouterr().err == f"AddV2: (AddV2): {CPU}\n"
    assert (y.numpy().tolist(), z.numpy().tolist()) == ([2.0, 3.0], [2.0, 4.0])


def test_log_device_placement_keeps_gradients():
    x = tf.constant(3.0)
    tf.debugging.set_log_device_placement(True)
    try:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
    finally:
        tf.debugging.set_log_device_placement(False)
    assert float(tape.gradient(y, x)) == 6.0
