"""Small files in the real formats of Keras's datasets, made from seeded NumPy arrays.

Each `write_*` writes its file(s) into a directory and returns their names. The CIFAR
batches are pickled dicts with byte-string keys, as the originals; pickle protocol 3 stores
bytes without the `_codecs.encode` call that protocol 2 makes under Python 3 (the
originals, written by Python 2, need none either).
"""

import gzip
import io
import pickle
import tarfile

import numpy as np

IMDB_TRAIN = [[5, 1, 9], [2, 7], [4, 4, 8, 1], [3], [6, 2, 9, 9, 1], [8, 5]]
IMDB_TEST = [[1, 2, 3], [9, 8], [7], [5, 6, 7, 1], [2, 2]]
REUTERS = [[1, 6, 2], [4], [9, 3, 3, 7], [2, 8], [5, 5, 1, 6, 2], [7, 3], [8], [6, 1, 4],
           [3, 9], [2, 2, 2]]


def _rng():
    return np.random.default_rng(2026)


def _ragged(sequences):
    array = np.empty(len(sequences), dtype=object)
    array[:] = [list(s) for s in sequences]
    return array


def mnist_arrays():
    rng = _rng()
    return {"x_train": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
            "y_train": np.array([5, 0, 4], dtype=np.uint8),
            "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
            "y_test": np.array([7, 2], dtype=np.uint8)}


def write_mnist(directory):
    np.savez(directory / "mnist.npz", **mnist_arrays())
    return ["mnist.npz"]


def _idx(array, magic):
    header = np.array([magic, *array.shape], dtype=">i4").tobytes()
    return gzip.compress(header + array.tobytes())


def write_fashion_mnist(directory):
    arrays = mnist_arrays()
    files = {"train-labels-idx1-ubyte.gz": _idx(arrays["y_train"], 2049),
             "train-images-idx3-ubyte.gz": _idx(arrays["x_train"], 2051),
             "t10k-labels-idx1-ubyte.gz": _idx(arrays["y_test"], 2049),
             "t10k-images-idx3-ubyte.gz": _idx(arrays["x_test"], 2051)}
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return list(files)


def _tar_gz(path, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _batch(rng, count, labels):
    batch = {b"batch_label": b"fixture",
             b"data": rng.integers(0, 256, (count, 3072), dtype=np.uint8),
             b"filenames": [f"img{i}.png".encode() for i in range(count)]}
    batch.update({key.encode(): list(values) for key, values in labels.items()})
    return batch


def cifar10_batches(per_batch=2):
    """The five training batches and the test batch, each a dict with bytes keys."""
    rng = _rng()
    return [_batch(rng, per_batch, {"labels": rng.integers(0, 10, per_batch).tolist()})
            for _ in range(6)]


def write_cifar10(directory, per_batch=2):
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    _tar_gz(directory / "cifar-10-python.tar.gz",
            {f"cifar-10-batches-py/{name}": pickle.dumps(batch, protocol=3)
             for name, batch in zip(names, cifar10_batches(per_batch))})
    return ["cifar-10-python.tar.gz"]


def cifar100_batches():
    rng = _rng()
    return [_batch(rng, count, {"fine_labels": rng.integers(0, 100, count).tolist(),
                                "coarse_labels": rng.integers(0, 20, count).tolist()})
            for count in (4, 3)]


def write_cifar100(directory):
    train, test = cifar100_batches()
    _tar_gz(directory / "cifar-100-python.tar.gz",
            {"cifar-100-python/train": pickle.dumps(train, protocol=3),
             "cifar-100-python/test": pickle.dumps(test, protocol=3)})
    return ["cifar-100-python.tar.gz"]


def write_imdb(directory):
    np.savez(directory / "imdb.npz", x_train=_ragged(IMDB_TRAIN),
             y_train=np.array([1, 0, 1, 1, 0, 0]), x_test=_ragged(IMDB_TEST),
             y_test=np.array([0, 1, 1, 0, 1]))
    return ["imdb.npz"]


def write_reuters(directory):
    np.savez(directory / "reuters.npz", x=_ragged(REUTERS),
             y=np.array([3, 4, 3, 19, 1, 3, 4, 11, 3, 16]))
    return ["reuters.npz"]


def housing_arrays(count, features, dtype):
    rng = _rng()
    x = np.round(rng.uniform(0, 100, (count, features)), 2).astype(dtype)
    return x, np.round(rng.uniform(5, 50, count), 1).astype(dtype)


def write_boston_housing(directory):
    x, y = housing_arrays(12, 13, np.float64)
    np.savez(directory / "boston_housing.npz", x=x, y=y)
    return ["boston_housing.npz"]


def write_california_housing(directory):
    x, y = housing_arrays(15, 8, np.float32)
    np.savez(directory / "california_housing.npz", x=x, y=y)
    return ["california_housing.npz"]


def write_word_index(directory, name):
    (directory / name).write_text('{"the": 1, "and": 2, "a": 3}')
    return [name]
