"""Datasets read from files: `tf.data.TextLineDataset` and `Dataset.list_files`."""

import glob
import gzip
import io
import zlib

import numpy as np

from eagerflow.data.dataset import UNKNOWN_CARDINALITY, Dataset, TensorSpec
from eagerflow.data.op_errors import iteration_error
from eagerflow.framework import dtypes, errors
from eagerflow.framework.tensor import convert_to_tensor

_STRING_SPEC = TensorSpec((), dtypes.string)


def _filenames(filenames):
    """The file names as a list of str, from a str, a list or a tensor of strings."""
    tensor = convert_to_tensor(filenames)
    if tensor.dtype != dtypes.string:
        raise TypeError(f"The `filenames` argument must contain `tf.string` elements. Got "
                        f"`tf.{tensor.dtype.name}` elements.")
    names = np.asarray(tensor._value).reshape(-1)
    return [name.decode() if isinstance(name, bytes) else str(name) for name in names]


def _open(filename, compression_type):
    try:
        file = open(filename, "rb")
    except FileNotFoundError:
        raise iteration_error(errors.NotFoundError,
                              f"{filename}; No such file or directory") from None
    if compression_type == "GZIP":
        return gzip.GzipFile(fileobj=file)
    if compression_type == "ZLIB":
        with file:
            return io.BytesIO(zlib.decompress(file.read()))
    return file


class TextLineDataset(Dataset):
    """The lines of one or more text files as string scalars, without their line endings.

    `compression_type` is "" (or None), "GZIP" or "ZLIB". With `num_parallel_reads`
    files are read that many at a time, their lines interleaved one by one.

    >>> import os, tempfile
    >>> from eagerflow import data
    >>> path = os.path.join(tempfile.mkdtemp(), "lines.txt")
    >>> with open(path, "w") as file:
    ...     _ = file.write("first\\nsecond\\n")
    >>> list(data.TextLineDataset(path).as_numpy_iterator())
    [b'first', b'second']
    """

    _repr_name = "TextLineDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        super().__init__(_STRING_SPEC)
        self._compression_type = (compression_type or "").upper()
        self._files = filenames if isinstance(filenames, Dataset) else None
        self._names = None if self._files is not None else _filenames(filenames)
        self._parallel = None if num_parallel_reads is None else int(num_parallel_reads)

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _lines(self, filename):
        with _open(filename, self._compression_type) as file:
            for line in file:
                line = line[:-1] if line.endswith(b"\n") else line
                yield [np.array(line[:-1] if line.endswith(b"\r") else line, dtype=object)]

    def _file_names(self):
        if self._names is not None:
            return self._names
        return [name.decode() for name in self._files.as_numpy_iterator()]

    def _components(self):
        if self._compression_type not in ("", "GZIP", "ZLIB"):
            raise iteration_error(errors.InvalidArgumentError,
                                  "Unsupported compression_type.")
        names = self._file_names()
        if self._parallel is None or self._parallel <= 1 or not names:
            for filename in names:
                yield from self._lines(filename)
            return
        yield from Dataset.from_tensor_slices(names).interleave(
            lambda name: TextLineDataset(name, self._compression_type),
            cycle_length=self._parallel)._components()


def list_files(file_pattern, shuffle=None, seed=None):
    """The files matching `file_pattern` (a glob, or a list of them), sorted, then
    shuffled unless `shuffle` is False."""
    patterns = _filenames(file_pattern)
    names = sorted({name for pattern in patterns for name in glob.glob(pattern)})
    if not names:
        raise errors.InvalidArgumentError(
            None, None, "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                        f"Summarized data: b'No files matched pattern: {', '.join(patterns)}'")
    files = Dataset.from_tensor_slices(names)
    if shuffle is False:
        return files
    return files.shuffle(len(names), seed=seed)
