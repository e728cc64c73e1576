"""`keras.Input` and `InputLayer`: where a functional model's graph starts."""

from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.symbolic import KerasTensor, Node


def _standardize_shape(shape):
    if not isinstance(shape, (tuple, list)):
        raise ValueError(f"Cannot convert '{shape}' to a shape.")
    return tuple(None if d is None else int(d) for d in shape)


class InputLayer(Layer):
    """The layer behind `keras.Input`: it has no weights and outputs a KerasTensor."""

    _is_input_layer = True

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
                 batch_shape=None, input_tensor=None, optional=False, name=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_size is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `batch_size` and `batch_shape` at the "
                             "same time.")
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(f"Argument `input_tensor` must be a KerasTensor. Received "
                                 f"invalid type: input_tensor={input_tensor} (of type "
                                 f"{type(input_tensor)})")
            batch_shape = input_tensor.shape if shape is None and batch_shape is None \
                else batch_shape
        if batch_shape is None:
            if shape is None:
                raise ValueError("You must pass a `shape` argument.")
            batch_shape = (batch_size,) + _standardize_shape(shape)
        self.batch_shape = _standardize_shape(batch_shape)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.optional = optional
        self.built = True
        tensor = input_tensor if input_tensor is not None else KerasTensor(
            self.batch_shape, self._dtype, sparse=self.sparse, ragged=self.ragged,
            name=name)
        Node(self, (), {}, tensor)

    def call(self, inputs):
        return inputs

    @property
    def output(self):
        return self._inbound_nodes[0].outputs_struct

    def get_config(self):
        return {"batch_shape": self.batch_shape, "dtype": self._dtype, "sparse": self.sparse,
                "ragged": self.ragged, "name": self.name, "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,
          name=None, tensor=None, optional=False):
    """A symbolic input of a functional model: `shape` excludes the batch dimension.

    >>> from eagerflow import keras
    >>> keras.Input(shape=(28, 28), name="image").shape
    (None, 28, 28)

    Args:
      shape: the shape of one example (a tuple; None for a size that varies).
      batch_size: a fixed batch size (default None: any).
      dtype: the dtype of the data (default: `keras.config.floatx()`).
      batch_shape: the whole shape, batch dimension included (instead of `shape`).
      name: the name of the input layer (and of the tensor), unique in a model.
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       ragged=ragged, batch_shape=batch_shape, name=name,
                       input_tensor=tensor, optional=optional)
    return layer.output
