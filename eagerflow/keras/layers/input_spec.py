"""`InputSpec`: the rank, dtype and shape a layer accepts, checked on every call."""

import eagerflow as tf


class InputSpec:
    """Specifies the rank, dtype and shape of every input to a layer.

    A layer that sets `self.input_spec` gets its inputs checked at each call, with an
    error naming the layer and the expected and received shapes. None in a shape matches
    any size; `shape` includes the batch dimension.

    >>> from eagerflow import keras
    >>> keras.layers.InputSpec(min_ndim=2, axes={-1: 4})
    InputSpec(min_ndim=2, axes={-1: 4})

    Args:
      dtype: the expected dtype.
      shape: the expected shape (None for any size).
      ndim, max_ndim, min_ndim: the expected, largest and smallest rank.
      axes: `{axis: size}` for axes whose size is fixed.
      allow_last_axis_squeeze: accept one more or one fewer trailing axis of size 1.
      name: the key of this input when inputs come as a dict.
      optional: whether None is accepted for this input.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = tf.as_dtype(dtype).name if dtype is not None else None
        if shape is not None:
            self.shape = tuple(None if d is None else int(d) for d in shape)
            self.ndim = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(key): value for key, value in (axes or {}).items()}
        except (ValueError, TypeError, AttributeError) as err:
            raise TypeError(f"Argument `axes` must be a dict with integer keys. Received: "
                            f"axes={axes}") from err
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise ValueError(f"Axis {max(self.axes)} is greater than the maximum allowed "
                                 f"value: {max_dim}")

    def __repr__(self):
        parts = [f"dtype={self.dtype}" if self.dtype else "",
                 f"shape={self.shape}" if self.shape else "",
                 f"ndim={self.ndim}" if self.ndim else "",
                 f"max_ndim={self.max_ndim}" if self.max_ndim else "",
                 f"min_ndim={self.min_ndim}" if self.min_ndim else "",
                 f"axes={self.axes}" if self.axes else ""]
        return f"InputSpec({', '.join(part for part in parts if part)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes,
                "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _shape_of(x):
    shape = x.shape
    return tuple(shape) if isinstance(shape, tuple) else tuple(shape.as_list())


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises a ValueError naming the layer when `inputs` do not fit `input_spec`."""
    specs = tf.nest.flatten(input_spec)
    if isinstance(inputs, dict):
        names = [spec.name for spec in specs]
        if all(names):
            missing = [name for name in names if name not in inputs]
            if missing:
                raise ValueError(f'Missing data for input "{missing[0]}". You passed a data '
                                 f"dictionary with keys {list(inputs)}. Expected the "
                                 f"following keys: {names}")
            inputs = [inputs[name] for name in names]
    inputs = tf.nest.flatten(inputs)
    if len(inputs) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it '
                         f"received {len(inputs)} input tensors. Inputs received: {inputs}")
    for index, (x, spec) in enumerate(zip(inputs, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        if not hasattr(x, "shape"):
            raise ValueError(f"Inputs to a layer should be tensors. Got '{x}' (of type "
                             f"{type(x)}) as input for layer '{layer_name}'.")
        shape = _shape_of(x)
        prefix = (f"Input {index} with name '{spec.name}' of layer '{layer_name}' is "
                  f"incompatible with the layer:")
        ndim = len(shape)
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise ValueError(f"{prefix} expected ndim={spec.ndim}, found ndim={ndim}. Full "
                             f"shape received: {shape}")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(f"{prefix} expected max_ndim={spec.max_ndim}, found ndim={ndim}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(f"{prefix} expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                             f"Full shape received: {shape}")
        if spec.dtype is not None and tf.as_dtype(x.dtype).name != spec.dtype:
            raise ValueError(f"{prefix} expected dtype={spec.dtype}, found dtype="
                             f"{tf.as_dtype(x.dtype).name}")
        for axis, value in spec.axes.items():
            if value is not None and -ndim <= axis < ndim and shape[axis] not in (value, None):
                raise ValueError(f"{prefix} expected axis {axis} of input shape to have value "
                                 f"{value}, but received input with shape {shape}")
        if spec.shape is not None:
            spec_shape, checked = spec.shape, shape
            if spec.allow_last_axis_squeeze:
                checked = checked[:-1] if checked and checked[-1] == 1 else checked
                spec_shape = spec_shape[:-1] if spec_shape and spec_shape[-1] == 1 \
                    else spec_shape
            for expected, received in zip(spec_shape, checked):
                if expected is not None and received is not None and expected != received:
                    raise ValueError(f"{prefix} expected shape={spec.shape}, found shape="
                                     f"{shape}")
