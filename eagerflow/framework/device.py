"""Devices, as TensorFlow shows them on a machine with one CPU and no accelerator:
`PhysicalDevice`/`LogicalDevice`, `tf.device` and device placement logging."""

import collections
import sys

from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.op import recorders

CPU_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


class PhysicalDevice(collections.namedtuple("PhysicalDevice", ["name", "device_type"])):
    """A device of the machine: `PhysicalDevice(name='/physical_device:CPU:0', ...)`."""

    __slots__ = ()


class LogicalDevice(collections.namedtuple("LogicalDevice", ["name", "device_type"])):
    """A device ops run on: `LogicalDevice(name='/device:CPU:0', device_type='CPU')`."""

    __slots__ = ()


PHYSICAL_DEVICES = (PhysicalDevice("/physical_device:CPU:0", "CPU"),)
LOGICAL_DEVICES = (LogicalDevice("/device:CPU:0", "CPU"),)

# tf.config.set_soft_device_placement: ops asked for a missing device run on the CPU.
soft_placement = [True]

_FIELDS = ("job", "replica", "task")


def parse_device_spec(spec):
    """`spec` ("/GPU:0", "cpu", "/job:localhost/device:CPU:0", ...) as its full name.

    Raises:
      ValueError: for an unknown field or more than one device type, as TensorFlow's
        DeviceSpec parser does.
    """
    fields = {"job": "localhost", "replica": 0, "task": 0}
    device_type, index = None, 0
    for part in spec.split("/"):
        if not part:
            continue
        pieces = part.split(":")
        key = pieces[0].lower()
        if key in _FIELDS and len(pieces) == 2:
            fields[key] = pieces[1] if key == "job" else int(pieces[1])
            continue
        if key == "device" and len(pieces) == 3:
            pieces = pieces[1:]
        elif key == "device" or (len(pieces) > 2 or (
                len(pieces) == 1 and key not in ("cpu", "gpu", "tpu"))):
            raise ValueError(f"Unknown attribute '{part}' is encountered while parsing the "
                             f"device spec: '{spec}'.")
        if device_type is not None:
            raise ValueError(f"Multiple device types are not allowed while parsing the "
                             f"device spec: {spec}.")
        device_type = pieces[0].upper()
        index = int(pieces[1]) if len(pieces) > 1 and pieces[1] != "*" else 0
    device_type = device_type or "CPU"
    return (f"/job:{fields['job']}/replica:{fields['replica']}/task:{fields['task']}"
            f"/device:{device_type}:{index}")


class device:  # noqa: N801 - TensorFlow's name
    """Asks for the ops inside to run on a device. Everything runs on the CPU; another
    device is accepted while soft placement is on (TensorFlow's default).

    >>> with tf.device("/GPU:0"):
    ...     x = tf.constant([1.0]) * 2
    >>> x.device
    '/job:localhost/replica:0/task:0/device:CPU:0'

    Raises:
      ValueError: for a malformed device string.
      tf.errors.InvalidArgumentError: on entering, for a device of another job, replica
        or task, or for a missing device while soft placement is off (TensorFlow raises
        these at the first op inside).
    """

    def __init__(self, device_name):
        self._name = None if not device_name else parse_device_spec(str(device_name))

    def __enter__(self):
        name = self._name
        if name is None or name == CPU_DEVICE:
            return None
        if not name.startswith("/job:localhost/replica:0/task:0/"):
            raise InvalidArgumentError(None, None, f"{name} unknown device.")
        if not soft_placement[0]:
            raise InvalidArgumentError(None, None, (
                f"Could not satisfy device specification '{name}'. enable_soft_placement=0. "
                f"Supported device types [CPU]. All available devices [{CPU_DEVICE}]."))
        return None

    def __exit__(self, exc_type, exc_value, traceback):
        return False


class _PlacementLogger:
    """A recorder that reports each recorded op's device on stderr, as TensorFlow logs it."""

    def wants(self, inputs):
        return True

    def record(self, op):
        sys.stderr.write(f"{op.type}: ({op.type}): {CPU_DEVICE}\n")

    def variable_read(self, variable, snapshot):
        return None


_placement_logger = _PlacementLogger()


def set_log_device_placement(enabled):
    """Logs the device of every (differentiable) op run from now on to stderr, or stops.

    Logging takes ops off the fast path, as recording does.
    """
    if enabled and _placement_logger not in recorders:
        recorders.insert(0, _placement_logger)
    elif not enabled and _placement_logger in recorders:
        recorders.remove(_placement_logger)


def get_log_device_placement():
    """Whether op placements are being logged."""
    return _placement_logger in recorders
