"""keras.datasets on small fixture files in the real formats, fetched from file:// URLs or
a loopback HTTP server into a temporary KERAS_HOME; expected values recorded from Keras
3.15 loading the same fixtures."""

import functools
import hashlib
import http.server
import pathlib
import pickle
import threading

import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras.datasets import (
    boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb, mnist,
    remote, reuters)
from tests.keras.datasets import fixtures

GCS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """KERAS_HOME in a temporary directory."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def serve(tmp_path, monkeypatch, home):
    """`serve(write, base_url=None)`: writes fixture files into an origin directory and
    points the sources with those file names at them, with their hashes."""
    origin = tmp_path / "origin"
    origin.mkdir()

    def point(write, base_url=None):
        names = write(origin)
        for key, source in list(remote.SOURCES.items()):
            name = source.origin.rsplit("/", 1)[1]
            if name in names:
                url = (base_url + name) if base_url else (origin / name).as_uri()
                file_hash = source.file_hash and _sha256(origin / name)
                monkeypatch.setitem(remote.SOURCES, key, remote.Source(url, file_hash))
        return origin
    return point


# --- where files come from and go ------------------------------------------------------

_CALLS = [  # Keras 3.15's get_file arguments for each loader.
    (mnist.load_data, "mnist.npz", GCS + "mnist.npz",
     "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1", {}),
    (fashion_mnist.load_data, "train-labels-idx1-ubyte.gz",
     GCS + "train-labels-idx1-ubyte.gz", None, {"cache_subdir": "datasets/fashion-mnist"}),
    (cifar10.load_data, "cifar-10-batches-py-target",
     "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
     "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce", {"extract": True}),
    (cifar100.load_data, "cifar-100-python-target",
     "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
     "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7", {"extract": True}),
    (imdb.load_data, "imdb.npz", GCS + "imdb.npz",
     "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f", {}),
    (imdb.get_word_index, "imdb_word_index.json", GCS + "imdb_word_index.json",
     "bfafd718b763782e994055a2d397834f", {}),
    (reuters.load_data, "reuters.npz", GCS + "reuters.npz",
     "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916", {}),
    (reuters.get_word_index, "reuters_word_index.json", GCS + "reuters_word_index.json",
     "4d44cc38712099c9e383dc6e5f11a921", {}),
    (boston_housing.load_data, "boston_housing.npz", GCS + "boston_housing.npz",
     "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5", {}),
    (california_housing.load_data, "california_housing.npz", GCS + "california_housing.npz",
     "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f", {}),
]


class _Fetched(Exception):
    pass


@pytest.mark.parametrize("load, fname, origin, file_hash, extra", _CALLS)
def test_loaders_ask_get_file_for_keras_files(monkeypatch, load, fname, origin, file_hash,
                                              extra):
    def fake_get_file(name, origin=None, file_hash=None, **kwargs):
        raise _Fetched(name, origin, file_hash, kwargs)
    monkeypatch.setattr(remote, "get_file", fake_get_file)
    with pytest.raises(_Fetched) as caught:
        load()
    assert caught.value.args == (fname, origin, file_hash, extra)


def test_keras_namespace():
    assert keras.datasets.mnist.load_data is mnist.load_data
    assert keras.datasets.reuters.get_label_names is reuters.get_label_names


# --- image datasets --------------------------------------------------------------------

def test_mnist_arrays_and_cache_reuse(serve, home, monkeypatch, capsys):
    serve(fixtures.write_mnist)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    expected = fixtures.mnist_arrays()
    for name, array in zip(["x_train", "y_train", "x_test", "y_test"],
                           [x_train, y_train, x_test, y_test]):
        np.testing.assert_array_equal(array, expected[name])
        assert array.dtype == np.uint8
    assert x_train.shape == (3, 28, 28) and y_test.shape == (2,)
    assert (home / "datasets" / "mnist.npz").is_file()
    assert "Downloading data from file://" in capsys.readouterr().out
    # The cached copy is used: the origin is unreachable now.
    source = remote.SOURCES["mnist.npz"]
    monkeypatch.setitem(remote.SOURCES, "mnist.npz",
                        remote.Source("file:///nonexistent/mnist.npz", source.file_hash))
    (again, _), _ = mnist.load_data()
    np.testing.assert_array_equal(again, x_train)
    assert capsys.readouterr().out == ""


def test_mnist_over_loopback_http(serve, home):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(home.parent / "origin"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        serve(fixtures.write_mnist, f"http://127.0.0.1:{server.server_address[1]}/")
        (x_train, _), _ = mnist.load_data(path="digits.npz")
    finally:
        server.shutdown()
        server.server_close()
    np.testing.assert_array_equal(x_train, fixtures.mnist_arrays()["x_train"])
    assert (home / "datasets" / "digits.npz").is_file()


def test_fashion_mnist_reads_idx_files(serve, home):
    serve(fixtures.write_fashion_mnist)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    expected = fixtures.mnist_arrays()
    np.testing.assert_array_equal(x_train, expected["x_train"])
    np.testing.assert_array_equal(y_train, expected["y_train"])
    np.testing.assert_array_equal(x_test, expected["x_test"])
    np.testing.assert_array_equal(y_test, expected["y_test"])
    assert x_test.dtype == y_test.dtype == np.uint8 and x_test.shape == (2, 28, 28)
    assert sorted(p.name for p in (home / "datasets" / "fashion-mnist").iterdir()) == [
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]


def _channels_last(batch):
    return batch[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cifar10_batches_layout_and_labels(serve, home, monkeypatch, data_format):
    serve(fixtures.write_cifar10)
    monkeypatch.setattr(cifar10, "_BATCH_SIZE", 2)  # the fixture's batches hold 2 images
    monkeypatch.setattr(keras.backend, "_settings",
                        dict(keras.backend._settings, image_data_format=data_format))
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    batches = fixtures.cifar10_batches()
    expected = np.concatenate([_channels_last(b) for b in batches[:5]])
    if data_format == "channels_first":
        expected = expected.transpose(0, 3, 1, 2)
    np.testing.assert_array_equal(x_train, expected)
    assert x_train.dtype == x_test.dtype == y_train.dtype == y_test.dtype == np.uint8
    assert y_train.shape == (10, 1) and x_test.shape[0] == 2
    assert y_train[:, 0].tolist() == sum((b[b"labels"] for b in batches[:5]), [])
    assert y_test[:, 0].tolist() == batches[5][b"labels"]
    extracted = home / "datasets" / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    assert (extracted / "test_batch").is_file()
    assert (home / "datasets" / "cifar-10-batches-py-target_archive").is_file()


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100_label_modes(serve, label_mode):
    serve(fixtures.write_cifar100)
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode)
    train, test = fixtures.cifar100_batches()
    np.testing.assert_array_equal(x_train, _channels_last(train))
    np.testing.assert_array_equal(x_test, _channels_last(test))
    key = f"{label_mode}_labels".encode()
    assert y_train[:, 0].tolist() == train[key] and y_test[:, 0].tolist() == test[key]
    assert y_train.shape == (4, 1) and y_train.dtype == np.int64


def test_cifar100_rejects_unknown_label_mode():
    with pytest.raises(ValueError, match="`label_mode` must be one of"):
        cifar100.load_data("medium")


# --- word sequences --------------------------------------------------------------------

def _lists(result):
    (x_train, y_train), (x_test, y_test) = result
    assert x_train.dtype == object and y_train.dtype == np.int64
    return (x_train.tolist(), y_train.tolist()), (x_test.tolist(), y_test.tolist())


_IMDB_CASES = [  # recorded from Keras 3.15 on fixtures.write_imdb
    ({}, (([[1, 5, 10], [1, 8, 4, 2], [1, 6], [1, 7, 7, 11, 4], [1, 9, 5, 2, 2, 4],
            [1, 11, 8]], [0, 1, 1, 1, 0, 0]),
          ([[1, 8, 9, 10, 4], [1, 4, 5, 6], [1, 2, 11], [1, 5, 5], [1, 10]],
           [0, 0, 1, 1, 1]))),
    ({"num_words": 8, "skip_top": 4},
     (([[2, 5, 2], [2, 2, 4, 2], [2, 6], [2, 7, 7, 2, 4], [2, 2, 5, 2, 2, 4], [2, 2, 2]],
       [0, 1, 1, 1, 0, 0]),
      ([[2, 2, 2, 2, 4], [2, 4, 5, 6], [2, 2, 2], [2, 5, 5], [2, 2]], [0, 0, 1, 1, 1]))),
    ({"maxlen": 4, "oov_char": None, "num_words": 9},
     (([[1, 5], [1, 6], [1, 8]], [0, 1, 0]), ([[1], [1, 5, 5], [1]], [1, 1, 1]))),
    ({"start_char": None, "index_from": 0, "seed": 1},
     (([[4, 4, 8, 1], [2, 7], [6, 2, 2, 2, 1], [5, 1, 2], [3], [8, 5]], [1, 0, 0, 1, 1, 0]),
      ([[1, 2, 3], [7], [2, 2], [5, 6, 7, 1], [2, 8]], [0, 1, 1, 0, 1]))),
    ({"start_char": None, "index_from": 2, "seed": 1},
     (([[6, 6, 10, 3], [4, 9], [8, 4, 2, 2, 3], [7, 3, 2], [5], [10, 7]],
       [1, 0, 0, 1, 1, 0]),
      ([[3, 4, 5], [9], [4, 4], [7, 8, 9, 3], [2, 10]], [0, 1, 1, 0, 1]))),
]


@pytest.mark.parametrize("kwargs, expected", _IMDB_CASES)
def test_imdb_matches_keras(serve, kwargs, expected):
    serve(fixtures.write_imdb)
    assert _lists(imdb.load_data(**kwargs)) == expected


def test_imdb_maxlen_that_keeps_nothing(serve):
    serve(fixtures.write_imdb)
    with pytest.raises(ValueError, match="shorter than maxlen=2, no sequence was kept"):
        imdb.load_data(maxlen=2)


_REUTERS_CASES = [  # recorded from Keras 3.15 on fixtures.write_reuters
    ({}, (([[1, 5, 5, 5], [1, 5, 11], [1, 11], [1, 7], [1, 4, 9, 5], [1, 9, 4, 7],
            [1, 8, 8, 4, 9, 5], [1, 6, 2]], [16, 19, 4, 4, 3, 11, 1, 3]),
          ([[1, 2, 6, 6, 10], [1, 10, 6]], [3, 3]))),
    ({"test_split": 0.5, "seed": 7, "maxlen": 4, "num_words": 10, "skip_top": 2,
      "oov_char": None},
     (([[6], [6]], [3, 3]), ([[7], [5], []], [4, 19, 4]))),
]


@pytest.mark.parametrize("kwargs, expected", _REUTERS_CASES)
def test_reuters_matches_keras(serve, kwargs, expected):
    serve(fixtures.write_reuters)
    assert _lists(reuters.load_data(**kwargs)) == expected


def test_word_indices_and_label_names(serve):
    for name in ("imdb_word_index.json", "reuters_word_index.json"):
        serve(functools.partial(fixtures.write_word_index, name=name))
    assert imdb.get_word_index() == {"the": 1, "and": 2, "a": 3}
    assert reuters.get_word_index()["a"] == 3
    names = reuters.get_label_names()
    assert len(names) == 46 and names[:3] == ("cocoa", "grain", "veg-oil")
    assert names[-1] == "lead" and names[19] == "money-fx"


# --- tabular datasets ------------------------------------------------------------------

def test_boston_housing_matches_keras(serve):
    serve(fixtures.write_boston_housing)
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    assert x_train.shape == (9, 13) and x_test.shape == (3, 13)
    assert x_train.dtype == np.float64
    assert x_train[:, 0].tolist() == [42.02, 31.93, 55.48, 76.6, 75.27, 17.89, 35.3,
                                      18.83, 2.36]  # Keras 3.15
    assert y_train.tolist() == [29.9, 39.1, 6.9, 21.4, 24.0, 40.5, 6.4, 40.2, 15.8]
    assert y_test.tolist() == [48.4, 13.3, 24.7]
    (x_train, _), (_, y_test) = boston_housing.load_data(test_split=0.25, seed=3)
    assert x_train[:, 0].tolist() == [98.97, 42.02, 75.27, 19.54, 35.3, 2.36, 18.83,
                                      17.89, 31.93]
    assert y_test.tolist() == [6.9, 21.4, 48.4]


def test_california_housing_matches_keras(serve):
    serve(fixtures.write_california_housing)
    (x_train, y_train), (x_test, y_test) = california_housing.load_data()
    assert x_train.shape == (12, 8) and x_test.shape == (3, 8)
    assert x_train.dtype == np.float32
    np.testing.assert_array_equal(  # Keras 3.15
        x_train[:, 0], np.float32([90.47, 79.75, 56.4, 44.77, 77.42, 65.28, 17.89, 66.86,
                                   57.72, 73.12, 76.6, 28.16]))
    np.testing.assert_array_equal(y_test, np.float32([21.0, 38.5, 10.3]))
    (x_train, _), (x_test, y_test) = california_housing.load_data(
        version="small", test_split=0.4, seed=5)
    assert x_train.shape == (9, 8) and x_test.shape == (6, 8)
    np.testing.assert_array_equal(y_test, np.float32([30.1, 34.7, 38.5, 34.8, 45.0, 19.3]))


@pytest.mark.parametrize("load, kwargs, message", [
    (boston_housing.load_data, {"test_split": 1}, "Invalid `test_split` argument: 1."),
    (california_housing.load_data, {"test_split": -0.1}, "It must be between 0 and 1"),
    (california_housing.load_data, {"version": "medium"},
     "Argument `version` must be one of 'small', 'large'. Received: version=medium"),
])
def test_tabular_argument_errors(serve, load, kwargs, message):
    serve(fixtures.write_california_housing)
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        load(**kwargs)


# --- failures --------------------------------------------------------------------------

def test_offline_without_cache_names_url_and_cache_path(home, monkeypatch):
    monkeypatch.setitem(remote.SOURCES, "imdb.npz",
                        remote.Source("file:///nonexistent/imdb.npz", None))
    with pytest.raises(OSError) as caught:
        imdb.load_data()
    message = str(caught.value)
    assert "file:///nonexistent/imdb.npz" in message
    assert str(home / "datasets" / "imdb.npz") in message
    assert not (home / "datasets" / "imdb.npz").exists()


def test_wrong_hash_caches_nothing(serve, home, monkeypatch):
    serve(fixtures.write_mnist)
    url = remote.SOURCES["mnist.npz"].origin
    monkeypatch.setitem(remote.SOURCES, "mnist.npz", remote.Source(url, "0" * 64))
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected"):
        mnist.load_data()
    assert list((home / "datasets").iterdir()) == []


class _Gadget:
    def __reduce__(self):
        return (print, ("this must not run",))


def test_dataset_files_never_run_pickled_code(tmp_path, capsys):
    evil = np.empty(1, dtype=object)
    evil[0] = _Gadget()
    np.savez(tmp_path / "evil.npz", x=evil)
    with pytest.raises(pickle.UnpicklingError, match="Refusing to load `builtins.print`"):
        remote.load_npz(tmp_path / "evil.npz")
    (tmp_path / "batch").write_bytes(pickle.dumps({b"data": _Gadget()}))
    with pytest.raises(pickle.UnpicklingError, match="builtins.print"):
        remote.load_pickle(tmp_path / "batch")
    assert "must not run" not in capsys.readouterr().out


def test_load_npz_reads_plain_and_object_arrays(tmp_path):
    ragged = np.empty(2, dtype=object)
    ragged[:] = [[1, 2], [3]]
    np.savez(tmp_path / "mixed.npz", ragged=ragged, plain=np.arange(3, dtype=np.int16))
    arrays = remote.load_npz(pathlib.Path(tmp_path / "mixed.npz"))
    assert arrays["ragged"].tolist() == [[1, 2], [3]] and arrays["ragged"].dtype == object
    assert arrays["plain"].dtype == np.int16 and arrays["plain"].tolist() == [0, 1, 2]
