"""`Dense`: the densely connected layer `activation(inputs @ kernel + bias)`."""

import eagerflow as tf
from eagerflow.keras import activations, constraints, initializers, regularizers
from eagerflow.keras.layers.input_spec import InputSpec
from eagerflow.keras.layers.layer import Layer


class Dense(Layer):
    """Just your regular densely-connected NN layer: `activation(dot(x, kernel) + bias)`.

    Inputs of rank above 2 are multiplied along their last axis.

    >>> from eagerflow import keras
    >>> keras.layers.Dense(4)(tf.ones((2, 3))).shape.as_list()
    [2, 4]

    Args:
      units: the size of the output's last dimension.
      activation: an activation name or function (None: linear).
      use_bias: whether to add a bias vector.
      kernel_initializer, bias_initializer: initializers for the weights.
      kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
      kernel_constraint, bias_constraint: optional projections applied by optimizers.
    """

    _weights_made_by_build = ("kernel",)

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, quantization_config=None, **kwargs):
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            # checked before the layer takes a name, as Keras does
            raise ValueError(f"Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if lora_rank or quantization_config is not None:
            raise NotImplementedError("LoRA and quantization of Dense layers are not "
                                      "supported by eagerflow.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(name="kernel", shape=(input_dim, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = (self.add_weight(name="bias", shape=(self.units,),
                                     initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs, training=None):
        if inputs.dtype != self.kernel.dtype:  # integer inputs promote, as in Keras
            inputs = tf.cast(inputs, self.kernel.dtype)
        if inputs.ndim > 2:
            leading = tuple(inputs.shape)[:-1]
            outputs = tf.reshape(tf.matmul(tf.reshape(inputs, (-1, inputs.shape[-1])),
                                           self.kernel), leading + (self.units,))
        else:
            outputs = tf.matmul(inputs, self.kernel)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "quantization_config": None}
