"""`tf.config`: the machine's devices (one CPU), their visibility, and the thread pools.

`tf.config.threading`'s intra-op setting sizes the BLAS thread pool (through
threadpoolctl, when it is installed), which is where eagerflow's ops use threads.
"""

import types

from eagerflow.framework import device as _device
from eagerflow.framework.device import LOGICAL_DEVICES, PHYSICAL_DEVICES
from eagerflow.framework.gradient_reasons import (explain_none_gradients,
                                                  none_gradients_explained)
from eagerflow.framework.function import (  # noqa: F401
    functions_run_eagerly, run_functions_eagerly)

LogicalDevice = _device.LogicalDevice
PhysicalDevice = _device.PhysicalDevice

_visible = {"CPU": True}
_threads = {"intra_op": 0, "inter_op": 0}
_blas_limiter = []  # the threadpoolctl limiter in force, if any


def list_physical_devices(device_type=None):
    """The machine's devices of `device_type` ("CPU", "GPU", ...; None: all).

    >>> tf.config.list_physical_devices("GPU"), tf.config.list_physical_devices("CPU")
    ([], [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')])
    """
    return [d for d in PHYSICAL_DEVICES if device_type is None or d.device_type == device_type]


def list_logical_devices(device_type=None):
    """The devices ops can run on, of `device_type` (None: all)."""
    return [d for d in LOGICAL_DEVICES if _visible["CPU"] and (
        device_type is None or d.device_type == device_type)]


def get_visible_devices(device_type=None):
    """The physical devices of `device_type` that ops may use."""
    return [d for d in list_physical_devices(device_type) if _visible[d.device_type]]


def set_visible_devices(devices, device_type=None):
    """Chooses the physical devices ops may use (here: the CPU, or none).

    Raises:
      ValueError: for something that is not one of this machine's physical devices.
    """
    if isinstance(devices, PhysicalDevice) or not isinstance(devices, (list, tuple)):
        devices = [devices]
    for device in devices:
        if device not in PHYSICAL_DEVICES or (
                device_type is not None and device.device_type != device_type):
            raise ValueError(f"Unrecognized device: {device!r}")
    if device_type in (None, "CPU"):
        _visible["CPU"] = bool(devices)


def _check_physical_device(device):
    if device not in PHYSICAL_DEVICES:
        raise ValueError(f"Unrecognized device: {device!r}")


def get_memory_growth(device):
    """Memory growth is a GPU setting: a CPU device has none (TensorFlow's KeyError)."""
    _check_physical_device(device)
    raise KeyError(device)


def set_memory_growth(device, enable):
    """Memory growth is a GPU setting: TensorFlow refuses it for the CPU, and so do we.

    Raises:
      ValueError: always on this machine (no GPU).
    """
    _check_physical_device(device)
    raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")


def get_device_details(device):
    """Details of a physical device: TensorFlow has none for the CPU (`{}`)."""
    if not isinstance(device, PhysicalDevice):
        raise ValueError(f"device must be a tf.config.PhysicalDevice, but got: {device}")
    _check_physical_device(device)
    return {}


def get_memory_info(device):
    """`{'current': 0, 'peak': 0}` for the CPU, as TensorFlow reports it."""
    if str(device).split("device:")[-1].lstrip("/").upper() != "CPU:0":
        raise ValueError(f"No matching devices found for '{device}'")
    return {"current": 0, "peak": 0}


def get_soft_device_placement():
    """Whether ops asked for a missing device run on the CPU instead (default True)."""
    return _device.soft_placement[0]


def set_soft_device_placement(enabled):
    """Turns soft placement on or off; off, `tf.device("/GPU:0")` is an error."""
    _device.soft_placement[0] = bool(enabled)


def get_intra_op_parallelism_threads():
    """The threads one op may use (0: the system's choice)."""
    return _threads["intra_op"]


def set_intra_op_parallelism_threads(num_threads):
    """Sets the threads one op may use (0: the system's choice): the BLAS pool's size."""
    num_threads = int(num_threads)
    _threads["intra_op"] = num_threads
    _limit_blas_threads(num_threads)


def get_inter_op_parallelism_threads():
    """The threads for running independent ops at once (0: the system's choice)."""
    return _threads["inter_op"]


def set_inter_op_parallelism_threads(num_threads):
    """Sets the threads for independent ops. eagerflow runs ops one after another, so
    this is recorded only."""
    _threads["inter_op"] = int(num_threads)


def _limit_blas_threads(num_threads):
    try:
        import threadpoolctl
    except ImportError:  # optional: without it the BLAS pool keeps its own size
        return
    while _blas_limiter:
        _blas_limiter.pop().restore_original_limits()
    if num_threads > 0:
        _blas_limiter.append(threadpoolctl.threadpool_limits(limits=num_threads,
                                                             user_api="blas"))


def _namespace(name, doc, **members):
    module = types.ModuleType(f"eagerflow.config.{name}", doc)
    module.__dict__.update(members)
    return module


experimental = _namespace(
    "experimental", "`tf.config.experimental`.",
    list_physical_devices=list_physical_devices, list_logical_devices=list_logical_devices,
    get_visible_devices=get_visible_devices, set_visible_devices=set_visible_devices,
    get_memory_growth=get_memory_growth, set_memory_growth=set_memory_growth,
    get_memory_info=get_memory_info, get_device_details=get_device_details,
    # eagerflow's own: whether GradientTape.gradient warns why a gradient is None.
    explain_none_gradients=explain_none_gradients,
    none_gradients_explained=none_gradients_explained)

threading = _namespace(
    "threading", "`tf.config.threading`.",
    get_intra_op_parallelism_threads=get_intra_op_parallelism_threads,
    set_intra_op_parallelism_threads=set_intra_op_parallelism_threads,
    get_inter_op_parallelism_threads=get_inter_op_parallelism_threads,
    set_inter_op_parallelism_threads=set_inter_op_parallelism_threads)
