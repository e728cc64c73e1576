"""`keras.utils.split_dataset`, and the directory indexing that the text and image dataset
utilities share."""

import os
import random

import numpy as np

import eagerflow as tf
from eagerflow.data.dataset import Dataset


# --- split_dataset --------------------------------------------------------------------

def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset into a left half and a right half (e.g. train / test).

    Args:
        dataset: A `tf.data.Dataset`, a NumPy array, or a list or tuple of arrays of the
            same length.
        left_size: An int (a number of samples) or a float in (0, 1) (a fraction of the
            samples) for the left dataset; None: what `right_size` leaves.
        right_size: The same for the right dataset; None: what `left_size` leaves.
        shuffle: Whether to shuffle the samples before splitting them.
        seed: The seed of the shuffle (Python's `random`, as Keras uses).

    Returns:
        A tuple of two `tf.data.Dataset`s: the left and right splits, batched like
        `dataset` when it is a batched Dataset.

    >>> import numpy as np
    >>> left, right = split_dataset(np.arange(10), left_size=0.8)
    >>> int(left.cardinality()), int(right.cardinality())
    (8, 2)
    """
    if not isinstance(dataset, (Dataset, np.ndarray, list, tuple)):
        raise TypeError(f"Unsupported dataset type: {type(dataset)}")
    if left_size is None and right_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be "
                         "specified. Received: left_size=None and right_size=None")
    columns, structure = _columns(dataset)
    total = len(columns[0])
    left_size, right_size = _split_sizes(left_size, right_size, total)
    order = list(range(total))
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        random.Random(seed).shuffle(order)
    order = np.asarray(order, dtype=np.int64)
    splits = []
    for rows in (order[:left_size], order[total - right_size:]):
        split = Dataset.from_tensor_slices(
            tf.nest.pack_sequence_as(structure, [column[rows] for column in columns]))
        batch_size = getattr(dataset, "_batch_size", None)
        if batch_size is not None:
            split = split.batch(batch_size)
        splits.append(split.prefetch(tf.data.AUTOTUNE))
    return tuple(splits)


def _columns(dataset):
    """The samples of `dataset` as one array per component, and the structure of a sample
    (a tensor, or a tuple or dict of them)."""
    if isinstance(dataset, np.ndarray):
        return [dataset], 0
    if isinstance(dataset, (list, tuple)):
        kind = type(dataset).__name__
        if not dataset:
            raise ValueError(f"Received an empty {kind} dataset. Please provide a non-empty "
                             f"{kind} of arrays.")
        for index, array in enumerate(dataset):
            if not isinstance(array, np.ndarray):
                raise ValueError(f"Expected a {kind} of `numpy.ndarray` objects, Received: "
                                 f"{type(array)} at index {index}.")
            if array.shape[0] != dataset[0].shape[0]:
                raise ValueError(f"Received a {kind} of NumPy arrays with different lengths. "
                                 f"Mismatch found at index {index}, Expected shape="
                                 f"{dataset[0].shape} Received shape={array.shape}. Please "
                                 f"provide a {kind} of NumPy arrays of the same length.")
        return list(dataset), tuple(range(len(dataset)))
    if getattr(dataset, "_batch_size", None) is not None:
        dataset = dataset.unbatch()
    samples = [tf.nest.flatten(sample) for sample in dataset.as_numpy_iterator()]
    if not samples:
        raise ValueError("Received an empty dataset. Argument `dataset` must be a non-empty "
                         "list/tuple of `numpy.ndarray` objects or `tf.data.Dataset` objects.")
    structure = dataset.element_spec
    columns = []
    for parts in zip(*samples):
        shapes = {np.shape(part) for part in parts}
        if len(shapes) > 1:
            raise ValueError("All `dataset` samples must have same shape, Expected shape: "
                             f"{np.shape(parts[0])} Received shape: {sorted(shapes)[-1]}.")
        columns.append(np.stack(parts))
    return columns, structure


def _split_sizes(left_size, right_size, total):
    """Keras's rules: ints count samples, floats are fractions (rounded)."""
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(f"Invalid `{name}` Type. Expected: int or float or None, "
                            f"Received: type({name})={type(size)}.  ")
    if left_size == 0 and right_size == 0:
        raise ValueError("Both `left_size` and `right_size` are zero. At least one of the "
                         "split sizes must be non-zero.")
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if (type(size) is int and not 0 < size < total
                or type(size) is float and not 0 < size < 1):
            raise ValueError(f"`{name}` should be either a positive integer smaller than "
                             f"{total}, or a float within the range `[0, 1]`. Received: "
                             f"{name}={size}")
    if type(left_size) is type(right_size) is float and left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It must "
                         "be less than or equal to 1.")
    # Fractions become counts; counts become floats (which Keras's messages show).
    left = round(left_size * total) if type(left_size) is float else (
        None if left_size is None else float(left_size))
    right = round(right_size * total) if type(right_size) is float else (
        None if right_size is None else float(right_size))
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"The sum of `left_size` and `right_size` should be smaller than the "
                         f"{total}. Received: left_size + right_size = {left + right}and "
                         f"total_length = {total}")
    for size, side in ((left, "left"), (right, "right")):
        if size == 0:
            raise ValueError(f"With `dataset` of length={total}, `left_size`={left} and "
                             f"`right_size`={right}.Resulting {side} side dataset split will "
                             "be empty. Adjust any of the aforementioned parameters")
    return int(left), int(right)


# --- files in class directories -------------------------------------------------------

def check_directory_arguments(labels, label_mode, class_names, validation_split, subset,
                              shuffle, seed, kind, samples):
    """Validates the arguments shared by the `*_dataset_from_directory` utilities; `kind`
    ("text", "image") and `samples` ("text samples", "images") word the messages."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same "
                f"size as the number of {kind} files in the target directory. If you wish "
                "to infer the labels from the subdirectory names in the target directory, "
                'pass `labels="inferred"`. If you wish to get a dataset that only contains '
                f"{samples} (no labels), pass `labels=None`. Received: labels={labels}")
        if class_names:
            raise ValueError('You can only pass `class_names` if `labels="inferred"`. '
                             f"Received: labels={labels}, and class_names={class_names}")
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", '
                         f'"binary", or None. Received: label_mode={label_mode}')
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: "
                         f"{validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError('`subset` must be either "training", "validation" or "both", '
                         f"received: {subset}")
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must "
                         "provide a `seed` argument, to make sure that there is no overlap "
                         "between the training and validation subset.")


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):
    """`(file_paths, labels, class_names)` of the files ending in one of `formats`.

    With `labels="inferred"` each subdirectory (sorted by name, or in `class_names` order)
    is a class and its files (searched recursively, sorted) get its index; otherwise the
    files are read from `directory` down. Paths and labels are shuffled together with
    NumPy's `RandomState(seed)`, as Keras does.
    """
    directory = os.fspath(directory)
    if labels == "inferred":
        subdirs = [name for name in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError("The `class_names` passed did not match the names of the "
                                 "subdirectories of the target directory. Expected: "
                                 f"{subdirs} (or a subset of it), but received: "
                                 f"class_names={class_names}")
            subdirs = list(class_names)
    else:
        if class_names is not None:
            if labels is None:
                raise ValueError("When `labels=None` (no labels), argument `class_names` "
                                 "cannot be specified.")
            raise ValueError("When argument `labels` is specified, argument `class_names` "
                             "cannot be specified (the `class_names` will be the sorted list "
                             "of labels).")
        subdirs = [""]
    file_paths, indices = [], []
    for index, subdir in enumerate(subdirs):
        found = _files_under(os.path.join(directory, subdir), formats, follow_links)
        file_paths += found
        indices += [index] * len(found)
    if labels == "inferred":
        class_names = subdirs
        labels = np.asarray(indices, dtype=np.int32)
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(file_paths):
            raise ValueError("Expected the lengths of `labels` to match the number of files "
                             f"in the target directory. len(labels) is {len(labels)} while we "
                             f"found {len(file_paths)} files in directory {directory}.")
        class_names = [str(label) for label in sorted(set(labels))]
        labels = list(labels)  # converted as TensorFlow converts a list: ints to int32
    if verbose:
        if labels is None:
            print(f"Found {len(file_paths)} files.")
        else:
            print(f"Found {len(file_paths)} files belonging to {len(class_names)} classes.")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names


def _files_under(directory, formats, follow_links):
    found = []
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links),
                                 key=lambda entry: entry[0]):
        found += [os.path.join(root, name) for name in sorted(files)
                  if name.lower().endswith(formats)]
    return found


def training_or_validation_split(samples, labels, validation_split, subset):
    """The `subset` ("training" or "validation") part: the validation part is the last
    `int(validation_split * len(samples))` samples."""
    if not validation_split:
        return samples, labels
    count = int(validation_split * len(samples))
    if subset == "training":
        print(f"Using {len(samples) - count} files for training.")
        rows = slice(None, -count)
    elif subset == "validation":
        print(f"Using {count} files for validation.")
        rows = slice(-count, None)
    else:
        raise ValueError('`subset` must be either "training" or "validation", received: '
                         f"{subset}")
    return samples[rows], None if labels is None else labels[rows]


def labels_dataset(labels, label_mode, num_classes):
    """The labels as a Dataset: int32 indices, float32 `(1,)` for "binary", one-hot
    float32 for "categorical"."""
    dataset = Dataset.from_tensor_slices(labels)
    if label_mode == "binary":
        return dataset.map(lambda y: tf.expand_dims(tf.cast(y, tf.float32), -1))
    if label_mode == "categorical":
        return dataset.map(lambda y: tf.one_hot(y, num_classes))
    return dataset


def files_dataset(paths, labels, label_mode, num_classes, load, shuffle, buffer_size, seed):
    """`(load(path), label)` pairs (or `load(path)` alone without `label_mode`), shuffled
    before loading, loaded on threads."""
    dataset = Dataset.from_tensor_slices(np.asarray(paths, dtype=object))
    if label_mode:
        dataset = Dataset.zip((dataset, labels_dataset(labels, label_mode, num_classes)))
    if shuffle:
        dataset = dataset.shuffle(buffer_size or 1024, seed=seed)
    if label_mode:
        return dataset.map(lambda path, label: (load(path), label),
                           num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.map(load, num_parallel_calls=tf.data.AUTOTUNE)


def datasets_from_directory(directory, labels, label_mode, class_names, batch_size, shuffle,
                            seed, validation_split, subset, follow_links, verbose, formats,
                            load, found, allowed):
    """What `text_dataset_from_directory` and `image_dataset_from_directory` share after
    checking their arguments: index the files, split them, and build the batched,
    prefetched dataset(s) (a list of two for `subset="both"`) with a `class_names`
    attribute. `found` ("text files", "images") and `allowed` word the error for no files.

    Returns the dataset(s) and the file paths of each."""
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(directory, labels, formats, class_names,
                                                 shuffle, seed, follow_links, verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={class_names}")
    buffer_size = batch_size * 8 if batch_size is not None else 1024
    num_classes = len(class_names) if class_names else 0
    parts = ["training", "validation"] if subset == "both" else [subset]
    datasets, part_paths = [], []
    for part in parts:
        paths_part, labels_part = training_or_validation_split(paths, labels,
                                                               validation_split, part)
        if not paths_part:
            which = f"{part} " if subset == "both" else ""
            raise ValueError(f"No {which}{found} found in directory {directory}. {allowed}")
        # With subset="both" the validation part is not shuffled.
        part_shuffle = shuffle and not (subset == "both" and part == "validation")
        dataset = files_dataset(paths_part, labels_part, label_mode, num_classes, load,
                                part_shuffle, buffer_size, seed)
        if batch_size is not None:
            dataset = dataset.batch(batch_size)
        dataset = dataset.prefetch(tf.data.AUTOTUNE)
        dataset.class_names = class_names
        datasets.append(dataset)
        part_paths.append(paths_part)
    if subset == "both":
        return datasets, part_paths
    return datasets[0], part_paths[0]
