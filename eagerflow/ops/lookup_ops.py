"""Lookup tables (`tf.lookup`): `StaticHashTable` built from a `KeyValueTensorInitializer`.

A table maps keys (strings or integers) to values and answers a missing key with its
default value. String keys are looked up in a dict, numeric keys by binary search in their
sorted array, so a lookup never loops over elements in Python bytecode.
"""

import itertools

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.op import primitive
from eagerflow.framework.tensor import convert_to_tensor, wrap

__all__ = ["KeyValueTensorInitializer", "StaticHashTable"]


def _as_tensor(value, dtype):
    if dtype is None:
        return convert_to_tensor(value)
    return convert_to_tensor(value, dtypes.as_dtype(dtype))


class KeyValueTensorInitializer:
    """The keys and values a table is filled with: two 1-D tensors of equal length.

    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [5, 7])
    >>> init.key_dtype, init.value_dtype
    (tf.string, tf.int32)
    """

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = _as_tensor(keys, key_dtype)
        self._values = _as_tensor(values, value_dtype)
        if self._keys.shape.rank != 1 or self._values.shape.rank != 1:
            raise ValueError(f"Keys and values must be 1-D tensors. Received: keys shape "
                             f"{self._keys.shape}, values shape {self._values.shape}")
        if self._keys.shape[0] != self._values.shape[0]:
            raise ValueError(f"Keys and values must have the same size "
                             f"{self._keys.shape[0]} != {self._values.shape[0]}")

    @property
    def key_dtype(self):
        return self._keys.dtype

    @property
    def value_dtype(self):
        return self._values.dtype


class _Index:
    """The NumPy side of a table: keys to values, the default for the rest."""

    def __init__(self, keys, values, default):
        self.values, self.default = values, default
        if keys.dtype == object:
            self.positions = {key: i for i, key in enumerate(keys.tolist())}
            self.order = None
        else:
            self.order = np.argsort(keys, kind="stable")
            self.sorted_keys = keys[self.order]

    def find(self, keys):
        """The positions of `keys` in the table (-1 where missing), in `keys`' shape."""
        flat = keys.reshape(-1)
        if self.order is None:
            found = np.fromiter(map(self.positions.get, flat.tolist(), itertools.repeat(-1)),
                                dtype=np.int64, count=flat.size)
        else:
            at = np.minimum(np.searchsorted(self.sorted_keys, flat), len(self.order) - 1)
            found = np.where(self.sorted_keys[at] == flat, self.order[at], -1) \
                if len(self.order) else np.full(flat.size, -1, np.int64)
        return found.reshape(keys.shape)


@primitive("LookupTableFindV2", differentiable=False, stateful=True)
def _lookup_table_find(keys, index=None):
    found = index.find(keys)
    return np.where(found >= 0, index.values[np.maximum(found, 0)], index.default)


class StaticHashTable:
    """An immutable table from keys to values; missing keys give `default_value`.

    >>> table = tf.lookup.StaticHashTable(
    ...     tf.lookup.KeyValueTensorInitializer(["a", "b"], [5, 7]), default_value=-1)
    >>> table.lookup(tf.constant(["a", "z", "b"])).numpy().tolist()
    [5, -1, 7]
    """

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        self._key_dtype = initializer.key_dtype
        self._value_dtype = initializer.value_dtype
        self._keys, self._values = initializer._keys, initializer._values
        if not self._keys.shape.num_elements():
            raise InvalidArgumentError(None, None, "keys and values cannot be empty tensors. "
                                                   "[Op:LookupTableImportV2]")
        self._default_value = convert_to_tensor(default_value, self._value_dtype)
        self._index = _Index(self._keys._value, self._values._value,
                             self._default_value._value)

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    @property
    def default_value(self):
        return self._default_value

    def size(self, name=None):
        """The number of entries, as an int64 scalar."""
        return wrap(np.array(self._keys.shape[0], np.int64))

    def export(self, name=None):
        """The `(keys, values)` tensors the table holds."""
        return self._keys, self._values

    def lookup(self, keys, name=None):
        """The values of `keys` (any shape), the default value where a key is missing.

        Raises:
          TypeError: if `keys` are not of the table's key dtype.
        """
        keys = convert_to_tensor(keys, dtype_hint=self._key_dtype)
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, "
                            f"received: {keys.dtype}")
        return _lookup_table_find(keys, index=self._index)
