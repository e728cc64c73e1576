"""Where each built-in dataset comes from, and the readers for its file formats.

The origins, file names and hashes are Keras 3.15's, so files land where Keras puts them
(`~/.keras/datasets`, or `$KERAS_HOME/datasets`) and a cache Keras filled is reused.

Two of Keras's formats hold Python pickles: the CIFAR batches are pickled dicts, and the
IMDB and Reuters `.npz` files store their ragged sequences as object arrays, which NumPy
writes as pickles. Those known files are read with `RestrictedUnpickler`, which rebuilds
NumPy arrays, dicts, lists, numbers and strings and refuses every other global, so a
tampered file cannot run code. Everything else is read with `allow_pickle=False`.
"""

import collections
import io
import pickle
import zipfile

import numpy as np

from eagerflow.keras.utils.file_utils import get_file

Source = collections.namedtuple("Source", ["origin", "file_hash"])

_GCS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_CIFAR = "https://www.cs.toronto.edu/~kriz/"

# Keyed by the file name Keras gives each download.
SOURCES = {
    "mnist.npz": Source(
        _GCS + "mnist.npz",
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"),
    "train-labels-idx1-ubyte.gz": Source(_GCS + "train-labels-idx1-ubyte.gz", None),
    "train-images-idx3-ubyte.gz": Source(_GCS + "train-images-idx3-ubyte.gz", None),
    "t10k-labels-idx1-ubyte.gz": Source(_GCS + "t10k-labels-idx1-ubyte.gz", None),
    "t10k-images-idx3-ubyte.gz": Source(_GCS + "t10k-images-idx3-ubyte.gz", None),
    "cifar-10-batches-py-target": Source(
        _CIFAR + "cifar-10-python.tar.gz",
        "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"),
    "cifar-100-python-target": Source(
        _CIFAR + "cifar-100-python.tar.gz",
        "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"),
    "imdb.npz": Source(
        _GCS + "imdb.npz",
        "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"),
    "imdb_word_index.json": Source(
        _GCS + "imdb_word_index.json", "bfafd718b763782e994055a2d397834f"),
    "reuters.npz": Source(
        _GCS + "reuters.npz",
        "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"),
    "reuters_word_index.json": Source(
        _GCS + "reuters_word_index.json", "4d44cc38712099c9e383dc6e5f11a921"),
    "boston_housing.npz": Source(
        _GCS + "boston_housing.npz",
        "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"),
    "california_housing.npz": Source(
        _GCS + "california_housing.npz",
        "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"),
}


def fetch(source_name, fname=None, **kwargs):
    """The local path of the file `source_name` from `SOURCES`, downloaded by `get_file`
    (cached as `fname`, which defaults to `source_name`)."""
    origin, file_hash = SOURCES[source_name]
    return get_file(fname or source_name, origin=origin, file_hash=file_hash, **kwargs)


# The globals a pickled NumPy array refers to: under NumPy 1 and NumPy 2 names.
_ARRAY_GLOBALS = frozenset({
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
})


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickles plain data and NumPy arrays, refusing any other class or function."""

    def find_class(self, module, name):
        if (module, name) in _ARRAY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file: the file may be "
            "corrupted or malicious.")


def load_pickle(path, encoding="bytes"):
    """Reads a pickled data file (CIFAR's batches, written by Python 2: byte-string keys)."""
    with open(path, "rb") as file:
        return RestrictedUnpickler(file, encoding=encoding).load()


def load_npz(path):
    """The arrays of an `.npz` file as a dict; object arrays go through
    `RestrictedUnpickler`, all others are read with pickling disabled."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                with archive.open(member) as raw:
                    arrays[member[:-4]] = _read_npy(io.BytesIO(raw.read()))
    return arrays


def _read_npy(file):
    version = np.lib.format.read_magic(file)
    if version == (1, 0):
        _, _, dtype = np.lib.format.read_array_header_1_0(file)
    else:
        # Version 3.0 differs from 2.0 only in the header's text encoding.
        _, _, dtype = np.lib.format.read_array_header_2_0(file)
    if dtype.hasobject:
        return RestrictedUnpickler(file).load()
    file.seek(0)
    return np.lib.format.read_array(file, allow_pickle=False)


def check_test_split(test_split):
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be "
                         "between 0 and 1 (exclusive of 1).")


def shuffled_split(x, y, test_split, seed):
    """`(x_train, y_train), (x_test, y_test)` after Keras's seeded shuffle (NumPy's
    `RandomState`, so the order matches Keras's) and a split at `1 - test_split`."""
    x, y = shuffled(seed, x, y)
    split = int(len(x) * (1 - test_split))
    return (np.array(x[:split]), np.array(y[:split])), (np.array(x[split:]),
                                                        np.array(y[split:]))


def shuffled(seed, *arrays):
    """`arrays` reordered by one permutation from `RandomState(seed).shuffle`, as Keras
    does; a generator passed as `seed` continues its stream."""
    rng = seed if isinstance(seed, np.random.RandomState) else np.random.RandomState(seed)
    order = np.arange(len(arrays[0]))
    rng.shuffle(order)
    return tuple(array[order] for array in arrays)
