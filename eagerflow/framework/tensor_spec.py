"""`tf.TensorSpec`: the shape (None for an unknown size) and dtype a tensor must have."""

from eagerflow.framework import dtypes
from eagerflow.framework.tensor_shape import TensorShape


class TensorSpec:
    """Describes the shape and dtype of a tensor: a tf.function argument, a dataset component.

    >>> tf.TensorSpec((None, 3), "float32", name="x")
    TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of `tensor`: its shape and dtype."""
        return cls(tensor.shape, tensor.dtype, name)

    def is_compatible_with(self, spec_or_tensor):
        """True when the dtypes match and the shapes are compatible."""
        return (self._dtype == spec_or_tensor.dtype
                and self._shape.is_compatible_with(spec_or_tensor.shape))

    def __eq__(self, other):
        return (type(other) is type(self) and self._dtype == other._dtype
                and str(self._shape) == str(other._shape) and self._name == other._name)

    def __hash__(self):
        return hash((self._dtype, self._name))

    def __repr__(self):
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"
