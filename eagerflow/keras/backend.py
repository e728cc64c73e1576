"""Keras's global settings (float type, epsilon, image data format) and name bookkeeping."""

import collections
import functools
import re
import threading

_settings = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last",
             "interactive_logging": True}
_name_counts = collections.defaultdict(int)


def floatx():
    """The default float type of weights and inputs, as a string ("float32")."""
    return _settings["floatx"]


def set_floatx(value):
    if value not in ("float16", "float32", "float64", "bfloat16"):
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of "
                         "{'float16', 'float32', 'float64', 'bfloat16'}")
    _settings["floatx"] = str(value)


def default_dtype_policy_name():
    """The name of the dtype policy layers get when given no dtype (`floatx()` unless
    `keras.config.set_dtype_policy` set one)."""
    return _settings.get("dtype_policy") or floatx()


def set_default_dtype_policy(name):
    _settings["dtype_policy"] = name


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7)."""
    return _settings["epsilon"]


def set_epsilon(value):
    _settings["epsilon"] = float(value)


def image_data_format():
    return _settings["image_data_format"]


def set_image_data_format(data_format):
    _settings["image_data_format"] = standardize_data_format(data_format)


def standardize_data_format(data_format):
    """"channels_last" or "channels_first"; None means `image_data_format()`."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"The `data_format` argument must be one of {{'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format}")
    return data_format


def backend():
    """The name of the backend Keras runs on: eagerflow is TensorFlow's API."""
    return "tensorflow"


def standardize_dtype(dtype=None):
    """The dtype's name as Keras spells it: `tf.float32`, `np.float32` -> "float32"."""
    if dtype is None:
        return floatx()
    name = _STANDARD_NAMES.get(dtype) if isinstance(dtype, str) else None
    if name is not None:
        return name
    if dtype is int:
        return "int32"
    if dtype is float:
        return floatx()
    if dtype is bool:
        return "bool"
    if isinstance(dtype, str) and dtype in ("int", "float"):
        return {"int": "int32", "float": floatx()}[dtype]
    if dtype == "bfloat16":  # a name Keras knows; NumPy, and so eagerflow, has no such type
        return dtype
    import eagerflow as tf
    try:
        return tf.as_dtype(getattr(dtype, "name", dtype)).name
    except TypeError:
        raise ValueError(f"Invalid dtype: {dtype}") from None


_STANDARD_NAMES = {name: name for name in (
    "bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
    "float16", "float32", "float64", "complex64", "complex128", "string")}


# Keras's type lattice (JAX's): each dtype's direct successors. "int" and "float" are the
# weak types of Python scalars, which give way to any typed operand.
_LATTICE = {
    "bool": ("int",), "int": ("uint8", "int8"),
    "uint8": ("uint16", "int16"), "uint16": ("uint32", "int32"),
    "uint32": ("uint64", "int64"), "uint64": ("float",),
    "int8": ("int16",), "int16": ("int32",), "int32": ("int64",), "int64": ("float",),
    "float": ("float16", "bfloat16"), "float16": ("float32",), "bfloat16": ("float32",),
    "float32": ("float64",), "float64": (),
}


def _upper_bounds(dtype):
    bounds, stack = set(), [dtype]
    while stack:
        node = stack.pop()
        if node not in bounds:
            bounds.add(node)
            stack.extend(_LATTICE[node])
    return bounds


_UPPER_BOUNDS = {dtype: frozenset(_upper_bounds(dtype)) for dtype in _LATTICE}


def _lattice_name(dtype):
    if dtype is int or dtype == "int":
        return "int"
    if dtype is float or dtype == "float":
        return "float"
    if dtype is bool:
        return "bool"
    name = standardize_dtype(dtype)
    if name not in _LATTICE:
        raise ValueError(f"Invalid dtype: {dtype}. Keras's type promotion supports "
                         f"{sorted(d for d in _LATTICE if d not in ('int', 'float'))}.")
    return name


def result_type(*dtypes):
    """The dtype of an op on operands of `dtypes`, by Keras's promotion rules: unlike
    `tf.add`, int32 with float32 gives float32; Python `int` and `float` are weak.

    >>> result_type("int32", "float32"), result_type("int8", int), result_type("int32", float)
    ('float32', 'int8', 'float32')
    """
    if not dtypes:
        return floatx()
    least = _least_upper_bound(tuple(_lattice_name(dtype) for dtype in dtypes))
    # Keras on TensorFlow narrows uint64 results to uint32.
    return {"int": "int32", "float": floatx(), "uint64": "uint32"}.get(least, least)


@functools.lru_cache(maxsize=None)
def _least_upper_bound(names):
    common = frozenset.intersection(*(_UPPER_BOUNDS[name] for name in names))
    return next(d for d in common if _UPPER_BOUNDS[d] == common)


def is_float_dtype(dtype):
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    return standardize_dtype(dtype).startswith(("int", "uint"))


def get_uid(prefix=""):
    """1, 2, 3 ... for successive calls with the same `prefix` (reset by clear_session)."""
    _name_counts["uid:" + prefix] += 1
    return _name_counts["uid:" + prefix]


def is_interactive_logging_enabled():
    """Whether progress bars and messages go to stdout (True) or to Python's logging."""
    return _settings["interactive_logging"]


def set_interactive_logging(enabled):
    _settings["interactive_logging"] = bool(enabled)


def is_keras_tensor(x):
    """Whether `x` is a symbolic KerasTensor (`keras.Input`), not a concrete tensor."""
    from eagerflow.keras.symbolic import KerasTensor
    return isinstance(x, KerasTensor)


def clear_session():
    """Resets the names Keras gave so far (the next Dense is `dense` again) and the
    global generator of unseeded `keras.random` draws."""
    _name_counts.clear()
    from eagerflow.keras import random
    random.reset_global_seed_generator()


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
