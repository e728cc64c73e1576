"""`Dataset.cache`: in memory, or in NumPy `.npz` files next to `filename`.

A cache becomes visible only after one complete pass over the input: an interrupted pass
leaves no cache behind, as in TensorFlow. Files hold plain arrays (strings as fixed-width
bytes) and are read with `allow_pickle=False`; each block is written to a temporary name and
renamed, and the index, written last, marks the cache complete. A block holds at most
`_BLOCK` elements and about `_BLOCK_BYTES` bytes, so writing and reading a file cache keeps
one block in memory at most.
"""

import os
import uuid

import numpy as np

from eagerflow.data.dataset import Dataset

_BLOCK = 1024
_BLOCK_BYTES = 32 * 2 ** 20


class CacheDataset(Dataset):

    def __init__(self, dataset, filename):
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._filename = os.fspath(filename)
        self._memory = None

    def _cardinality(self):
        return self._input._cardinality()

    def _components(self):
        if not self._filename:
            return self._from_memory()
        if os.path.exists(_index_path(self._filename)):
            return _read_files(self._filename)
        return _write_files(self._input._components(), self._filename)

    def _from_memory(self):
        if self._memory is not None:
            yield from self._memory
            return
        filled = []
        for components in self._input._components():
            filled.append(components)
            yield components
        self._memory = filled


def _index_path(filename):
    return f"{filename}.cache-index.npz"


def _block_path(filename, number):
    return f"{filename}.cache-{number:05d}.npz"


def _save(path, arrays):
    temporary = f"{path}.tmp-{uuid.uuid4().hex}"
    with open(temporary, "wb") as file:
        np.savez(file, **arrays)
    return temporary


def _storable(array):
    array = np.asarray(array)
    return array.astype(np.bytes_) if array.dtype.kind == "O" else array


def _write_files(components_iter, filename):
    temporaries, sizes = [], []
    block, size, block_bytes = {}, 0, 0
    try:
        for components in components_iter:
            for index, component in enumerate(components):
                stored = _storable(component)
                block[f"e{size}_c{index}"] = stored
                block_bytes += stored.nbytes
            size += 1
            yield components
            if size == _BLOCK or block_bytes >= _BLOCK_BYTES:
                temporaries.append(_save(_block_path(filename, len(sizes)), block))
                sizes.append(size)
                block, size, block_bytes = {}, 0, 0
        if size:
            temporaries.append(_save(_block_path(filename, len(sizes)), block))
            sizes.append(size)
        for number, temporary in enumerate(temporaries):
            os.replace(temporary, _block_path(filename, number))
        temporaries = []
        index = _save(_index_path(filename), {"sizes": np.array(sizes, dtype=np.int64)})
        os.replace(index, _index_path(filename))
    finally:
        for temporary in temporaries:
            os.remove(temporary)


def _read_files(filename):
    with np.load(_index_path(filename), allow_pickle=False) as index:
        sizes = index["sizes"].tolist()
    for number, size in enumerate(sizes):
        with np.load(_block_path(filename, number), allow_pickle=False) as block:
            columns = len(block.files) // size
            for element in range(size):
                yield [_restored(block[f"e{element}_c{index}"]) for index in range(columns)]


def _restored(array):
    return array.astype(object) if array.dtype.kind == "S" else array
