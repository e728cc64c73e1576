"""`keras.utils.timeseries_dataset_from_array`: sliding windows over a series as a Dataset."""

import numpy as np

import eagerflow as tf
from eagerflow.data.transformations import map_with_spec


def _check_arguments(length, sequence_stride, sampling_rate, start_index, end_index):
    if start_index:
        if start_index < 0:
            raise ValueError("`start_index` must be 0 or greater. Received: "
                             f"start_index={start_index}")
        if start_index >= length:
            raise ValueError("`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length "
                             f"{length}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError("`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index} ")
        if end_index >= length:
            raise ValueError("`end_index` must be lower than the length of the data. "
                             f"Received: end_index={end_index}, for data of length {length}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= length:
            raise ValueError(f"`{name}` must be lower than the length of the data. Received: "
                             f"{name}={value}, for data of length {length}")


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """Creates a dataset of sliding windows over a timeseries provided as array.

    Window `i` holds the timesteps `start + i * sequence_stride + j * sampling_rate` for
    `j` in `range(sequence_length)`; its target is `targets[start + i * sequence_stride]`.

    Args:
        data: Array of timesteps, axis 0 the time axis.
        targets: The target of each window (its first timestep's), or None.
        sequence_length: Length of each output sequence (in number of timesteps).
        sequence_stride: Period between successive output sequences.
        sampling_rate: Period between successive timesteps within a sequence.
        batch_size: Number of windows per batch; None yields unbatched windows.
        shuffle: Whether to shuffle the windows.
        seed: Optional random seed for shuffling.
        start_index: First timestep of `data` to use (to keep a validation part apart).
        end_index: Timestep of `data` to stop before.

    Returns:
        A `tf.data.Dataset` of windows `(batch, sequence_length, ...)`, paired with their
        targets when `targets` is given.

    >>> import numpy as np
    >>> ds = timeseries_dataset_from_array(np.arange(10), None, sequence_length=3,
    ...                                    sequence_stride=3, batch_size=2)
    >>> [batch.numpy().tolist() for batch in ds]
    [[[0, 1, 2], [3, 4, 5]], [[6, 7, 8]]]
    """
    _check_arguments(len(data), sequence_stride, sampling_rate, start_index, end_index)
    start_index = start_index or 0
    end_index = end_index or len(data)
    count = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets))
    index_dtype = np.int32 if count < 2 ** 31 - 1 else np.int64
    starts = np.arange(0, max(count, 0), sequence_stride, dtype=index_dtype)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(starts)

    steps = tf.convert_to_tensor(np.asarray(data)[start_index:end_index])
    offsets = tf.convert_to_tensor(np.arange(sequence_length, dtype=index_dtype) * sampling_rate)
    windows_spec = tf.TensorSpec([None, None] + steps.shape.as_list()[1:], steps.dtype)
    if targets is not None:
        labels = tf.convert_to_tensor(np.asarray(targets)[start_index:end_index])
        labels_spec = tf.TensorSpec([None] + labels.shape.as_list()[1:], labels.dtype)

    def windows(positions):
        window = tf.gather(steps, tf.expand_dims(positions, -1) + offsets)
        if targets is None:
            return window
        return window, tf.gather(labels, positions)

    dataset = tf.data.Dataset.from_tensor_slices(starts)
    if batch_size is None:
        if shuffle:
            dataset = dataset.shuffle(1024, seed=seed)
        specs = [tf.TensorSpec(s.shape[1:], s.dtype) for s in
                 ([windows_spec] if targets is None else [windows_spec, labels_spec])]
    else:
        if shuffle:
            dataset = dataset.shuffle(batch_size * 8, seed=seed)
        dataset = dataset.batch(batch_size)
        specs = [windows_spec] if targets is None else [windows_spec, labels_spec]
    element_spec = specs[0] if targets is None else tuple(specs)
    return map_with_spec(dataset, windows, element_spec).prefetch(tf.data.AUTOTUNE)
