"""Keras's global settings (float type, epsilon, image data format) and name bookkeeping."""

import collections
import re
import threading

_settings = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last"}
_name_counts = collections.defaultdict(int)


def floatx():
    """The default float type of weights and inputs, as a string ("float32")."""
    return _settings["floatx"]


def set_floatx(value):
    if value not in ("float16", "float32", "float64", "bfloat16"):
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of "
                         "{'float16', 'float32', 'float64', 'bfloat16'}")
    _settings["floatx"] = str(value)


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7)."""
    return _settings["epsilon"]


def set_epsilon(value):
    _settings["epsilon"] = float(value)


def image_data_format():
    return _settings["image_data_format"]


def set_image_data_format(data_format):
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"The `data_format` argument must be one of {{'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format}")
    _settings["image_data_format"] = data_format


def clear_session():
    """Resets the names Keras gave so far (the next Dense is `dense` again)."""
    _name_counts.clear()


def to_snake_case(name):
    """`Conv2DTranspose` -> `conv2d_transpose`, as Keras names layers."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def unique_name(base):
    """`base`, then `base_1`, `base_2` ... for later requests of the same base."""
    count = _name_counts[base]
    _name_counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


class _CallContext(threading.local):
    """The layer calls in progress on this thread: how deep, and the `training` value
    that nested calls inherit (None outside any call)."""

    def __init__(self):
        self.depth = 0
        self.training = None
        self.scopes = ()


_call_context = _CallContext()
# Bumped whenever a layer gets a loss (or a layer joins another), so that the outermost
# call skips clearing losses when none can have been added since it last cleared them.
loss_epoch = [0]


def call_context():
    return _call_context


def in_training_context():
    """The `training` value of the enclosing layer call (None outside any call)."""
    return _call_context.training


def current_scopes():
    """The names of the layers being built, outermost first."""
    return _call_context.scopes


def current_path(name):
    """`name` under the enclosing layer scopes: `sequential/dense/kernel`."""
    return "/".join(current_scopes() + (name,))


class NameScope:
    """Names variables created inside after the layer being built (`dense/kernel`);
    `NameScope(None)` changes nothing."""

    def __init__(self, name):
        self._name = name

    def __enter__(self):
        self._previous = _call_context.scopes
        if self._name is not None:
            _call_context.scopes = self._previous + (self._name,)

    def __exit__(self, *exc):
        _call_context.scopes = self._previous
