"""Tests for Dataset.cache (memory and files) and tf.data.Options."""

import os
import tracemalloc

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import data
from eagerflow.data import cache

Dataset = data.Dataset


def _counted(values, output_types=tf.int64):
    calls = []

    def gen():
        calls.append(1)
        yield from values

    return Dataset.from_generator(gen, output_types=output_types), calls


def test_memory_cache_fills_on_first_complete_pass():
    source, calls = _counted(range(4))
    ds = source.cache()
    # recorded from TF 2.21
    assert repr(ds) == ("<CacheDataset element_spec=TensorSpec(shape=<unknown>, "
                        "dtype=tf.int64, name=None)>")
    assert int(Dataset.range(3).cache().cardinality()) == 3
    partial = iter(ds)
    next(partial), next(partial)
    del partial
    # recorded from TF 2.21: a partial pass leaves no cache; the next pass reads again
    assert [int(x) for x in ds] == [0, 1, 2, 3] and len(calls) == 2
    assert [int(x) for x in ds] == [0, 1, 2, 3] and len(calls) == 2


def test_file_cache_is_reused_by_a_second_dataset(tmp_path):
    filename = str(tmp_path / "cache")
    source, calls = _counted(range(2500))
    first = source.cache(filename)
    assert [int(x) for x in first] == list(range(2500)) and len(calls) == 1
    again, calls_again = _counted(range(99))
    second = again.cache(filename)
    assert [int(x) for x in second] == list(range(2500)) and calls_again == []
    names = sorted(os.listdir(tmp_path))
    assert names == ["cache.cache-00000.npz", "cache.cache-00001.npz",
                     "cache.cache-00002.npz", "cache.cache-index.npz"]
    for name in names:  # plain arrays: loadable without pickle
        with np.load(tmp_path / name, allow_pickle=False) as arrays:
            assert all(arrays[key].dtype != object for key in arrays.files)


def test_file_cache_keeps_structure_dtypes_and_strings(tmp_path):
    filename = str(tmp_path / "c")
    ds = Dataset.from_tensor_slices(({"w": ["ab", "c"]}, np.ones((2, 3), np.float16)))
    assert [(d["w"], x.tolist()) for d, x in ds.cache(filename).as_numpy_iterator()] == [
        (b"ab", [1.0] * 3), (b"c", [1.0] * 3)]
    words, x = next(iter(ds.cache(filename)))
    assert words["w"].dtype == tf.string and x.dtype == tf.float16
    assert words["w"].numpy() == b"ab"


def test_partial_file_pass_leaves_no_files(tmp_path):
    filename = str(tmp_path / "c")
    ds = Dataset.range(3000).cache(filename)
    iterator = iter(ds)
    for _ in range(2000):
        next(iterator)
    del iterator
    assert os.listdir(tmp_path) == []
    assert int(ds.reduce(np.int64(0), lambda total, x: total + x)) == sum(range(3000))
    assert "c.cache-index.npz" in os.listdir(tmp_path)


def test_file_cache_holds_one_block_of_bytes_in_memory(tmp_path, monkeypatch):
    # 64 elements of 256 KB (16 MB) through a file cache with 1 MB blocks: writing and
    # reading it back keep about one block of arrays alive, never the whole pass.
    monkeypatch.setattr(cache, "_BLOCK_BYTES", 2 ** 20)

    def gen():
        for index in range(64):
            yield np.full(65536, index, np.float32)

    ds = Dataset.from_generator(gen, output_signature=data.TensorSpec((65536,), tf.float32))
    filename = str(tmp_path / "big")
    for _ in range(2):  # the first pass writes the files, the second reads them
        tracemalloc.start()
        total = 0.0
        for element in ds.cache(filename):
            total += float(element[0])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert total == sum(range(64))
        assert peak < 4 * 2 ** 20
    blocks = [name for name in os.listdir(tmp_path) if "cache-0" in name]
    assert len(blocks) == 16


def test_options_defaults_and_attributes():
    options = data.Options()
    # recorded from TF 2.21
    assert options.deterministic is None and options.autotune.enabled is None
    assert options.experimental_optimization.apply_default_optimizations is None
    assert options.threading.private_threadpool_size is None
    assert options.experimental_distribute.auto_shard_policy == 0
    assert options.experimental_slack is None and options.experimental_warm_start is None
    assert Dataset.range(3).options() == data.Options()
    with pytest.raises(AttributeError, match="Cannot set the property foo on Options."):
        options.foo = 1


def test_with_options_propagates_and_merges():
    options = data.Options()
    options.deterministic = False
    options.threading.private_threadpool_size = 4
    base = Dataset.range(3)
    ds = base.with_options(options)
    # recorded from TF 2.21
    assert repr(ds) == ("<_OptionsDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, "
                        "name=None)>")
    assert ds.options().deterministic is False
    assert ds.options().threading.private_threadpool_size == 4
    assert base.options().deterministic is None
    mapped = ds.map(lambda x: x + 1).batch(2)
    assert mapped.options().deterministic is False
    assert [b.numpy().tolist() for b in mapped] == [[1, 2], [3]]
    assert int(ds.cardinality()) == 3
    later = data.Options()
    later.autotune.ram_budget = 1024
    both = mapped.with_options(later).options()
    assert both.autotune.ram_budget == 1024 and both.deterministic is False
    zipped = Dataset.zip(ds, Dataset.range(2))
    assert zipped.options().threading.private_threadpool_size == 4
    options.experimental_deterministic = True
    assert options.deterministic is True
    with pytest.raises(TypeError, match="tf.data.Options"):
        base.with_options({"deterministic": False})
