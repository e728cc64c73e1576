"""Turning what `fit`, `evaluate` and `predict` receive into batches of tensors.

Arrays (NumPy, tensors, and lists or dicts of them) are sliced into batches, shuffled per
epoch; datasets and Python generators are iterated as they come. `EpochIterator` hands
each epoch its steps, as Keras 3's does: with `steps_per_epoch`, an epoch continues where
the previous one stopped.
"""

import math
import types
import warnings

import numpy as np

import eagerflow as tf
from eagerflow.data.dataset import Dataset
from eagerflow.framework.tensor import wrap


def unpack_x_y_sample_weight(data):
    """Splits a batch `(x,)`, `(x, y)` or `(x, y, sample_weight)` into its three parts."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data}")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The batch as a step receives it: `x` alone (a tuple `(x,)` when `x` is a list or a
    tuple), `(x, y)`, or `(x, y, sample_weight)`."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def _as_array(value):
    """Data as a NumPy array; floating data becomes float32 and text becomes a string
    tensor's array of bytes, as Keras feeds them."""
    if value is None:
        return None
    array = np.asarray(value)
    if array.dtype == np.float64:
        array = array.astype(np.float32)
    elif array.dtype.kind in "US":
        array = np.asarray(tf.convert_to_tensor(array))
    return array


def is_array_like(value):
    if tf.is_tensor(value) or isinstance(value, (np.ndarray, np.generic, float, int)):
        return True
    if isinstance(value, (list, tuple)):
        return all(v is None or is_array_like(v) for v in value)
    if isinstance(value, dict):
        return all(v is None or is_array_like(v) for v in value.values())
    return False


def _is_iterable_source(value):
    return isinstance(value, (types.GeneratorType, map, filter, zip)) or (
        hasattr(value, "__iter__") and not is_array_like(value)
        and not isinstance(value, (str, bytes)))


def class_weight_to_sample_weights(y, class_weight):
    """Per-sample weights from `{class: weight}`, for integer, binary or one-hot labels
    (classes missing from `class_weight` weigh 1)."""
    labels = np.asarray(y)
    weights = np.ones((labels.shape[0],), dtype=np.float32)
    if labels.ndim > 1:
        labels = np.argmax(labels, axis=-1) if labels.shape[-1] != 1 else np.squeeze(
            labels, axis=-1)
    labels = np.round(labels).astype(np.int32)
    for label, weight in class_weight.items():
        weights[labels == int(label)] = weight
    return weights


def _cardinality_error(parts):
    lines = "".join(f"'{name}' sizes: {', '.join(str(s) for s in sizes)}\n"
                    for name, sizes in parts if sizes)
    return ValueError(f"Data cardinality is ambiguous. Make sure all arrays contain the same "
                      f"number of samples.{lines}")


def _to_tensors(structure):
    return tf.nest.map_structure(lambda a: None if a is None else wrap(_as_array(a)),
                                 structure)


def _standardize(structure):
    """Lists and tuples of plain numbers are one array (labels `[0, 1, 1]`); other lists,
    tuples and dicts hold one array per input or output."""
    if isinstance(structure, (list, tuple)) and structure and all(
            isinstance(v, (int, float, np.number, bool)) for v in structure):
        return np.asarray(structure)
    if isinstance(structure, (list, tuple)):
        return type(structure)(_standardize(v) for v in structure)
    if isinstance(structure, dict):
        return {key: _standardize(value) for key, value in structure.items()}
    return structure


def train_validation_split(arrays, validation_split):
    """`(train, validation)`: the last `validation_split` of the samples of every array
    in `arrays` (x, y and sample weights) held out, as Keras does before shuffling."""
    arrays = tf.nest.map_structure(_as_array, _standardize(arrays))
    sizes = {len(a) for a in tf.nest.flatten(arrays) if a is not None and a.ndim}
    if len(sizes) > 1:
        raise _cardinality_error([("x, y and sample_weight", sorted(sizes))])
    count = sizes.pop() if sizes else 0
    split_at = int(math.floor(count * (1.0 - validation_split)))
    if split_at == 0 or split_at == count:
        raise ValueError(f"Training data contains {count} samples, which is not sufficient to "
                         f"split it into a validation and training set as specified by "
                         f"`validation_split={validation_split}`. Either provide more data, "
                         f"or a different value for the `validation_split` argument.")
    train = tf.nest.map_structure(lambda a: None if a is None else a[:split_at], arrays)
    validation = tf.nest.map_structure(lambda a: None if a is None else a[split_at:], arrays)
    return train, validation


class ArrayBatches:
    """Batches of in-memory arrays: `x`, `y` and `sample_weight` sliced together."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 class_weight=None):
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("You cannot `class_weight` and `sample_weight` at the same "
                                 "time.")
            if tf.nest.is_nested(y):
                raise ValueError("`class_weight` is only supported for Models with a single "
                                 "output.")
            sample_weight = class_weight_to_sample_weights(y, class_weight)
        self.data = tf.nest.map_structure(_as_array, _standardize((x, y, sample_weight)))
        parts = [(name, [len(a) for a in tf.nest.flatten(part) if a is not None and a.ndim])
                 for name, part in zip(("x", "y", "sample_weight"), self.data)]
        sizes = {s for _, part_sizes in parts for s in part_sizes}
        if len(sizes) > 1:
            raise _cardinality_error(parts)
        self.num_samples = sizes.pop() if sizes else 1
        self.batch_size = batch_size
        self.shuffle = shuffle

    @property
    def num_batches(self):
        return max(math.ceil(self.num_samples / self.batch_size), 1) if self.num_samples \
            else 0

    def __iter__(self):
        count, size = self.num_samples, self.batch_size
        order = None
        if self.shuffle:
            # Seeded from eagerflow's random ops, so that `tf.random.set_seed` makes
            # training reproducible.
            seed = int(tf.random.uniform((), maxval=2 ** 31 - 1, dtype=tf.int32))
            generator = np.random.default_rng(seed)
            if self.shuffle == "batch":
                order = np.concatenate([
                    generator.permutation(np.arange(start, min(start + size, count)))
                    for start in range(0, count, size)])
            else:
                order = generator.permutation(count)
        flat = tf.nest.flatten(self.data)
        for start in range(0, count, size):
            index = slice(start, start + size) if order is None else order[start:start + size]
            batch = [None if a is None else wrap(a[index]) for a in flat]
            yield pack_x_y_sample_weight(*tf.nest.pack_sequence_as(self.data, batch))


class IterableBatches:
    """Batches from a dataset or a Python generator, taken as they come; a dataset's
    batches can get sample weights from `class_weight`."""

    def __init__(self, source, class_weight=None):
        self.source = source
        self.class_weight = class_weight
        cardinality = getattr(source, "cardinality", None)
        self.num_batches = None
        if cardinality is not None:
            count = int(cardinality())
            self.num_batches = count if count >= 0 else None

    def __iter__(self):
        for batch in self.source:
            x, y, sample_weight = unpack_x_y_sample_weight(batch)
            if self.class_weight is not None:
                sample_weight = self._class_weights(y, sample_weight)
            x, y, sample_weight = _to_tensors((x, y, sample_weight))
            yield pack_x_y_sample_weight(x, y, sample_weight)

    def _class_weights(self, y, sample_weight):
        if sample_weight is not None:
            raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
        if isinstance(y, (list, tuple, dict)):
            raise ValueError("`class_weight` is only supported for Models with a single "
                             "output.")
        return class_weight_to_sample_weights(y, self.class_weight)


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                     class_weight=None):
    """The right batcher for `x`: arrays are sliced, datasets and generators iterated."""
    if x is None:
        raise ValueError("Unrecognized data type: x=None (of type <class 'NoneType'>)")
    if is_array_like(x):
        return ArrayBatches(x, y, sample_weight, batch_size or 32, shuffle, class_weight)
    if not _is_iterable_source(x):
        raise ValueError(f"Unrecognized data type: x={x} (of type {type(x)})")
    # Keras's words: "sample_weights" for a dataset, "sample_weight" for a generator.
    kind, weights = (("tf.data.Dataset", "sample_weights") if isinstance(x, Dataset)
                     else ("generator", "sample_weight"))
    if y is not None:
        raise ValueError(f"When providing `x` as a {kind}, `y` should not be passed. "
                         "Instead, the targets should be included as part of the "
                         f"{kind}.")
    if sample_weight is not None:
        raise ValueError(f"When providing `x` as a {kind}, `{weights}` should not be "
                         "passed. Instead, the sample weights should be included as part of "
                         f"the {kind}.")
    if class_weight is not None and not isinstance(x, Dataset):
        raise ValueError("Argument `class_weight` is not supported for Python generator "
                         "inputs.")
    return IterableBatches(x, class_weight)


class EpochIterator:
    """The steps of each epoch over a data adapter.

    Without `steps_per_epoch` each epoch runs through the data once. With it, each epoch
    takes that many batches, continuing from where the last epoch stopped and starting
    over when the data is used up; data that runs out early ends the epoch with a warning.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                 shuffle=False, class_weight=None):
        self.steps_per_epoch = steps_per_epoch
        self.data_adapter = get_data_adapter(x, y, sample_weight, batch_size, shuffle,
                                             class_weight)
        self._num_batches = self.data_adapter.num_batches
        self._iterator = None
        self._steps_seen = 0

    @property
    def num_batches(self):
        return self.steps_per_epoch or self._num_batches

    def _warn_out_of_data(self):
        warnings.warn("Your input ran out of data; interrupting training. Make sure that your "
                      "dataset or generator can generate at least `steps_per_epoch * epochs` "
                      "batches. You may need to use the `.repeat()` function when building "
                      "your dataset.", stacklevel=3)

    def steps(self):
        """Yields `(step, batch)` for one epoch."""
        steps = self.steps_per_epoch or self._num_batches
        if not steps:  # a generator of unknown length: until it runs out
            step = 0
            for batch in self.data_adapter:
                yield step, batch
                step += 1
            if self._num_batches is None:
                self._num_batches = step
            return
        if self._iterator is None or self.steps_per_epoch is None:
            self._iterator = iter(self.data_adapter)
            self._steps_seen = 0
        for step in range(steps):
            if self._num_batches and self._steps_seen >= self._num_batches:
                if self.steps_per_epoch:
                    self._warn_out_of_data()
                break
            try:
                batch = next(self._iterator)
            except StopIteration:
                self._warn_out_of_data()
                if self._num_batches is None:
                    self._num_batches = self._steps_seen
                self._iterator = None
                return
            self._steps_seen += 1
            yield step, batch
        if self._num_batches and self._steps_seen >= self._num_batches:
            self._iterator = None
            self._steps_seen = 0
