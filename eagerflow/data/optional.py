"""`tf.experimental.Optional`: a value that may be absent, as `get_next_as_optional` gives."""

import numpy as np

from eagerflow.data.op_errors import dataset_op_error
from eagerflow.data.structure import (
    flatten_element, map_element, normalize_element, spec_of)
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.tensor import wrap


class Optional:
    """Either a structure of tensors or nothing, with the `element_spec` of either.

    >>> from eagerflow import data
    >>> optional = data.experimental.Optional.from_value(3)
    >>> bool(optional.has_value()), int(optional.get_value())
    (True, 3)
    """

    __slots__ = ("_value", "_spec")

    def __init__(self, value, element_spec):
        self._value = value
        self._spec = element_spec

    @staticmethod
    def from_value(value):
        """An Optional holding `value` (a structure of tensors)."""
        arrays = normalize_element(value)
        return Optional(map_element(wrap, arrays), spec_of(arrays))

    @staticmethod
    def empty(element_spec):
        """An Optional holding nothing, for values of `element_spec`."""
        return Optional(None, element_spec)

    def has_value(self, name=None):
        """A bool scalar tensor: whether this Optional holds a value."""
        return wrap(np.array(self._value is not None))

    def get_value(self, name=None):
        """The value; `InvalidArgumentError` when there is none."""
        if self._value is None:
            count = len(flatten_element(self._spec))
            raise dataset_op_error(InvalidArgumentError, "OptionalGetValue",
                                   "The given optional does not have a value.",
                                   f"OptionalGetValue_output_types_{count}")
        return self._value

    @property
    def element_spec(self):
        return self._spec
