"""Denormal floats flushed to zero, as TensorFlow's CPU kernels compute them.

TensorFlow runs its CPU kernels with the processor's flush-to-zero and denormals-are-zero
modes on: a result or an operand below the smallest normal float (1.2e-38 in float32)
counts as 0. Besides giving TensorFlow's numbers, this matters for speed: an optimizer slot
that decays towards zero (RMSprop's or Adam's average of the squared gradients of a dead
unit) turns denormal after a few hundred steps, and x86 processors take about a hundred
times longer for arithmetic on denormals.

NumPy has no switch for these modes, so `flush_denormals()` sets them for the calling
thread through the C library's `fegetenv`/`fesetenv`, for the length of a `with` block,
and puts the thread's floating-point environment back at its end. Keras's training loops and the fused
optimizer updates run inside it; everywhere else the modes stay as the user has them. On a
platform not listed below it changes nothing (denormals are then computed exactly, as
IEEE 754 and NumPy do).
"""

import ctypes
import functools
import platform
import threading

# Which 32-bit word of the C library's fenv_t holds the control register, and its flush
# bits (little-endian machines: the low word of a 64-bit register comes first).
_LAYOUTS = {
    ("Linux", "x86_64"): (7, 0x8040),    # MXCSR: FTZ (bit 15) and DAZ (bit 6)
    ("Darwin", "x86_64"): (1, 0x8040),
    ("Linux", "aarch64"): (0, 1 << 24),  # FPCR: FZ (bit 24)
    ("Darwin", "arm64"): (2, 1 << 24),
}
_Environment = ctypes.c_uint32 * 16  # room for any fenv_t above
_LIBRARIES = {"Linux": ("libm.so.6", None), "Darwin": ("libSystem.B.dylib", None)}

_lock = threading.Lock()
_controls = []  # [(fegetenv, fesetenv, word, bits)] once looked up; [None] where unsupported


def _control():
    """The C library's fegetenv and fesetenv with this platform's layout, or None."""
    if not _controls:
        with _lock:
            if not _controls:
                _controls.append(_look_up())
    return _controls[0]


def _look_up():
    system = platform.system()
    layout = _LAYOUTS.get((system, platform.machine()))
    if layout is None:
        return None
    for name in _LIBRARIES[system]:
        try:
            library = ctypes.CDLL(name)
            get, set_ = library.fegetenv, library.fesetenv
        except (OSError, AttributeError):
            continue
        return (get, set_) + layout
    return None


class flush_denormals:
    """A `with` block in which this thread's float arithmetic treats denormals as zero.

    >>> import numpy as np
    >>> with flush_denormals():
    ...     inside = np.float32(1e-39) * np.float32(1)
    >>> float(inside) == 0.0 or not flush_denormals.supported()
    True
    >>> float(np.float32(1e-39) * np.float32(1)) > 0  # restored after the block
    True
    """

    __slots__ = ("_saved",)

    @staticmethod
    def supported():
        """Whether this platform's modes can be set (else the block changes nothing)."""
        return _control() is not None

    def __enter__(self):
        self._saved = None
        control = _control()
        if control is not None:
            get, set_, word, bits = control
            env = _Environment()
            if get(env) == 0:
                register = env[word]
                if register & bits != bits:  # else an outer block has them on already
                    saved = _Environment.from_buffer_copy(env)
                    env[word] = register | bits
                    if set_(env) == 0:
                        self._saved = saved
        return self

    def __exit__(self, *exc_info):
        if self._saved is not None:
            _control()[1](self._saved)  # the thread's environment as it was before


def flushing(fn):
    """`fn`, run inside `flush_denormals()` at each call."""
    @functools.wraps(fn)
    def flushed(*args, **kwargs):
        with flush_denormals():
            return fn(*args, **kwargs)
    return flushed
