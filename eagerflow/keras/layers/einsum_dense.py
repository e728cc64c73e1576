"""`EinsumDense`: a dense layer whose product with the kernel is an einsum equation."""

import re

import eagerflow as tf
from eagerflow.keras import activations, constraints, initializers, regularizers
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer

_FORMS = (  # (pattern with "..." written as "0", where the ellipsis stands)
    (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", None),
    (r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", "left"),
    (r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", "right"),
)


def analyze_einsum_string(equation, bias_axes, input_shape, output_shape):
    """The kernel shape, bias shape (or None), full output shape, and the kernel's input
    and output axes, for `equation` applied to inputs of `input_shape`.

    `output_shape` is the output without its batch axis (None for sizes known only from
    the input); axes under an ellipsis are copied from the input.
    """
    spelled = equation.replace("...", "0")
    for pattern, elided_side in _FORMS:
        match = re.match(pattern, spelled)
        if match:
            break
    else:
        raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the "
                         "form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    input_spec, weight_spec, output_spec = match.groups()
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided_side is None and elided != 0:
        raise ValueError(f"Input shape {input_shape} has rank {len(input_shape)}, but the "
                         f"equation '{equation}' expects inputs of rank {len(input_spec)}.")
    output_shape = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    if elided_side == "left":
        full_output = [input_shape[0], *input_shape[1:max(elided, 1)], *output_shape]
        offset = max(elided, 0)
    else:
        full_output = [input_shape[0], *output_shape]
        if elided_side == "right" and elided > 0:
            full_output += input_shape[len(input_shape) - elided:]
        offset = 0
    input_sizes = {dim: input_shape[i + offset] for i, dim in enumerate(input_spec)}
    output_sizes = {dim: full_output[i + offset] for i, dim in enumerate(output_spec)}

    for dim, size in input_sizes.items():
        if dim in output_sizes and output_sizes[dim] is not None and output_sizes[dim] != size:
            raise ValueError(f"Input shape and output shape do not match at shared dimension "
                             f"'{dim}'. Input shape is {size}, and output shape is "
                             f"{output_sizes[dim]}.")
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ValueError(f"Dimension '{dim}' was specified in the output '{output_spec}' "
                             f"but has no corresponding dim in the input spec "
                             f"'{input_spec}' or weight spec '{weight_spec}'")

    kernel_shape, input_axes, output_axes = [], [], []
    for axis, dim in enumerate(weight_spec):
        if dim in output_sizes:
            kernel_shape.append(output_sizes[dim])
            output_axes.append(axis)
        elif dim in input_sizes:
            kernel_shape.append(input_sizes[dim])
            input_axes.append(axis)
        else:
            raise ValueError(f"Weight dimension '{dim}' did not have a match in either the "
                             f"input spec '{input_spec}' or the output spec '{output_spec}'. "
                             f"For this layer, the weight must be fully specified.")

    bias_shape = None
    if bias_axes is not None:
        for dim in bias_axes:
            if dim not in output_spec:
                raise ValueError(f"Bias dimension '{dim}' was requested, but is not part of "
                                 f"the output spec '{output_spec}'")
        first = min(output_spec.find(dim) for dim in bias_axes)
        # The bias broadcasts against the output from its first biased axis on.
        bias_shape = [output_sizes[dim] if dim in bias_axes else 1
                      for dim in output_spec[first:]]
        if elided_side == "right":
            bias_shape += [1] * max(elided, 0)
    return kernel_shape, bias_shape, full_output, input_axes, output_axes


class EinsumDense(Layer):
    """A layer that uses `einsum` as the backing computation: `activation(einsum(equation,
    inputs, kernel) + bias)`, with a kernel whose shape the equation determines.

    >>> from eagerflow import keras
    >>> layer = keras.layers.EinsumDense("ab,bc->ac", output_shape=64, bias_axes="c")
    >>> layer(keras.Input(shape=(32,))).shape
    (None, 64)
    >>> layer = keras.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 8))
    >>> layer(tf.ones((3, 5, 4))).shape.as_list()
    [3, 5, 2, 8]

    Args:
      equation: "ab,bc->ac" style equation: the inputs' axes, the kernel's, the output's
        (an ellipsis `...` may stand for leading or trailing input axes).
      output_shape: the output shape without the batch axis (None for a size taken from
        the input); an integer for a single axis.
      activation: an activation name or function (None: linear).
      bias_axes: the output axes (letters) a bias is added along, or None for no bias.
      kernel_initializer, bias_initializer: initializers for the weights.
      kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
      kernel_constraint, bias_constraint: optional projections applied by optimizers.
    """

    _weights_made_by_build = ("kernel",)

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        if lora_rank or quantization_config is not None:
            raise NotImplementedError("LoRA and quantization of EinsumDense layers are not "
                                      "supported by eagerflow.")
        super().__init__(**kwargs)
        self.equation = equation
        self.partial_output_shape = ((output_shape,) if isinstance(output_shape, int)
                                     else tuple(output_shape))
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.supports_masking = True

    def _kernel_initializer_for(self, input_axes, output_axes):
        """Fan-based initializers count the kernel's input and output axes, as Keras does."""
        init = self.kernel_initializer
        if isinstance(init, initializers.VarianceScaling) and (
                init.input_axes is None or init.output_axes is None):
            return type(init).from_config({**init.get_config(), "input_axes": input_axes,
                                           "output_axes": output_axes})
        return init

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_einsum_string(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.kernel = self.add_weight(
            name="kernel", shape=tuple(kernel_shape),
            initializer=self._kernel_initializer_for(input_axes, output_axes),
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = (self.add_weight(name="bias", shape=tuple(bias_shape),
                                     initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if bias_shape is not None else None)

    def compute_output_shape(self, input_shape):
        return tuple(analyze_einsum_string(self.equation, self.bias_axes, input_shape,
                                           self.partial_output_shape)[2])

    def call(self, inputs, training=None):
        if inputs.dtype != self.kernel.dtype:  # integer inputs promote, as in Dense
            inputs = tf.cast(inputs, self.kernel.dtype)
        outputs = tf.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def get_config(self):
        return {**super().get_config(), "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "quantization_config": None}
