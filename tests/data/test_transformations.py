"""Transformation pipelines checked against TensorFlow 2.21: element_spec, cardinality,
order and values; exhaustion; `map(num_parallel_calls=...)`; shuffle properties."""

import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.errors import InvalidArgumentError

D = tf.data.Dataset

# Each pipeline with its element_spec, cardinality and elements, recorded from TF 2.21.
PIPELINES = [
    ('D.range(10).batch(3, drop_remainder=True).unbatch()',
     'TensorSpec(shape=(), dtype=tf.int64, name=None)',
     9, [0, 1, 2, 3, 4, 5, 6, 7, 8]),
    ('D.range(2, 12, 3).map(lambda x: x * x).batch(2)',
     'TensorSpec(shape=(None,), dtype=tf.int64, name=None)',
     2, [[4, 25], [64, 121]]),
    ('D.range(10, 0, -3)',
     'TensorSpec(shape=(), dtype=tf.int64, name=None)',
     4, [10, 7, 4, 1]),
    ('D.range(5, output_type=tf.int32).map(lambda x: tf.cast(x, tf.float32) / 2)',
     'TensorSpec(shape=(), dtype=tf.float32, name=None)',
     5, [0.0, 0.5, 1.0, 1.5, 2.0]),
    ('D.from_tensor_slices(np.arange(12.0).reshape(4, 3)).batch(3)',
     'TensorSpec(shape=(None, 3), dtype=tf.float64, name=None)',
     2, [[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]], [[9.0, 10.0, 11.0]]]),
    ("D.from_tensor_slices({'a': np.arange(4), 'b': np.array([[1., 2.]] * 4, np.float32)}).batch(3)",
     "{'a': TensorSpec(shape=(None,), dtype=tf.int64, name=None), 'b': TensorSpec(shape=(None, 2), dtype=tf.float32, name=None)}",
     2, [{'a': [0, 1, 2], 'b': [[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]}, {'a': [3], 'b': [[1.0, 2.0]]}]),
    ('D.zip((D.range(5), D.range(10, 13))).batch(2)',
     '(TensorSpec(shape=(None,), dtype=tf.int64, name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))',
     2, [([0, 1], [10, 11]), ([2], [12])]),
    ('D.range(8).filter(lambda x: x % 3 != 0).batch(2).repeat(2)',
     'TensorSpec(shape=(None,), dtype=tf.int64, name=None)',
     -2, [[1, 2], [4, 5], [7], [1, 2], [4, 5], [7]]),
    ('D.range(6).skip(2).take(3).repeat(2).enumerate(1)',
     '(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorSpec(shape=(), dtype=tf.int64, name=None))',
     6, [(1, 2), (2, 3), (3, 4), (4, 2), (5, 3), (6, 4)]),
    ('D.range(4).repeat(3).skip(5).take(4)',
     'TensorSpec(shape=(), dtype=tf.int64, name=None)',
     4, [1, 2, 3, 0]),
    ('D.range(5).take(0)',
     'TensorSpec(shape=(), dtype=tf.int64, name=None)',
     0, []),
    ('D.range(3).skip(7)',
     'TensorSpec(shape=(), dtype=tf.int64, name=None)',
     0, []),
    ('D.range(7).window(3, shift=2, drop_remainder=True).flat_map(lambda w: w.batch(3))',
     'TensorSpec(shape=(None,), dtype=tf.int64, name=None)',
     -2, [[0, 1, 2], [2, 3, 4], [4, 5, 6]]),
    ('D.range(1, 4).interleave(lambda x: D.from_tensors(x).repeat(x), cycle_length=2, block_length=2)',
     'TensorSpec(shape=(), dtype=tf.int64, name=None)',
     -2, [1, 2, 2, 3, 3, 3]),
    ('D.range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(2)',
     'TensorSpec(shape=(None, None), dtype=tf.int64, name=None)',
     2, [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]),
    ('D.range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(3, padded_shapes=[5], padding_values=tf.constant(-1, tf.int64), drop_remainder=True)',
     'TensorSpec(shape=(3, 5), dtype=tf.int64, name=None)',
     1, [[[1, -1, -1, -1, -1], [2, 2, -1, -1, -1], [3, 3, 3, -1, -1]]]),
    ('D.range(3).batch(2).concatenate(D.range(5, 8).batch(3, drop_remainder=True))',
     'TensorSpec(shape=(None,), dtype=tf.int64, name=None)',
     3, [[0, 1], [2], [5, 6, 7]]),
    ("D.range(5).map(lambda x: {'x': x, 'double': 2 * x}).batch(2).unbatch()",
     "{'x': TensorSpec(shape=(), dtype=tf.int64, name=None), 'double': TensorSpec(shape=(), dtype=tf.int64, name=None)}",
     -2, [{'x': 0, 'double': 0}, {'x': 1, 'double': 2}, {'x': 2, 'double': 4}, {'x': 3, 'double': 6}, {'x': 4, 'double': 8}]),
    ('D.range(9).map(lambda x: x + 1, num_parallel_calls=3).batch(4).map(tf.reduce_sum)',
     'TensorSpec(shape=(), dtype=tf.int64, name=None)',
     3, [10, 26, 9]),
    ('D.range(6).cache().batch(4).prefetch(1)',
     'TensorSpec(shape=(None,), dtype=tf.int64, name=None)',
     2, [[0, 1, 2, 3], [4, 5]]),
    ('D.from_tensors(np.arange(6, dtype=np.int32).reshape(2, 3)).unbatch()',
     'TensorSpec(shape=(3,), dtype=tf.int32, name=None)',
     2, [[0, 1, 2], [3, 4, 5]]),
    ('D.from_tensor_slices(([1, 2, 3], [[1.5], [2.5], [3.5]])).map(lambda a, b: (b, a)).batch(2)',
     '(TensorSpec(shape=(None, 1), dtype=tf.float32, name=None), TensorSpec(shape=(None,), dtype=tf.int32, name=None))',
     2, [([[1.5], [2.5]], [1, 2]), ([[3.5]], [3])]),
    ('D.range(4).map(lambda x: (x, tf.cast(x, tf.bool))).filter(lambda x, y: y).map(lambda x, y: x)',
     'TensorSpec(shape=(), dtype=tf.int64, name=None)',
     -2, [1, 2, 3]),
]


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    return np.asarray(value).tolist()


@pytest.mark.parametrize("pipeline, spec, cardinality, values", PIPELINES)
def test_pipeline_matches_tensorflow(pipeline, spec, cardinality, values):
    ds = eval(pipeline, {"D": D, "tf": tf, "np": np})
    assert repr(ds.element_spec) == spec
    assert int(ds.cardinality()) == cardinality
    assert [_plain(v) for v in ds.as_numpy_iterator()] == values
    # Elements are Tensors of the spec's dtypes.
    for element in ds.take(1):
        for tensor, component in zip(tf.nest.flatten(element), tf.nest.flatten(ds.element_spec)):
            assert tensor.dtype == component.dtype
            assert component.shape.is_compatible_with(tensor.shape)


@pytest.mark.parametrize("pipeline", [
    "D.range(3)", "D.range(5).batch(2).prefetch(2)", "D.range(4).map(lambda x: x, 2)",
    "D.range(4).shuffle(4)", "D.range(2).cache()", "D.range(3).filter(lambda x: x > 0)"])
def test_exhausted_iterator_keeps_raising_and_dataset_restarts(pipeline):
    ds = eval(pipeline, {"D": D})
    iterator = iter(ds)
    first = [np.asarray(x).tolist() for x in iterator]
    for _ in range(2):
        with pytest.raises(StopIteration):
            next(iterator)
    assert sorted(np.asarray(x).tolist() for x in ds) == sorted(first)


def test_unbatch_cardinality_and_mismatched_rows():
    assert int(D.range(3).batch(2, drop_remainder=True).repeat().unbatch().cardinality()) == -1
    assert int(D.range(5).batch(2).unbatch().cardinality()) == -2
    pairs = D.from_tensors((np.zeros((2, 3)), np.zeros((3,))))
    with pytest.raises(ValueError, match="matching leading dimension. Encountered both 2 and 3"):
        pairs.unbatch()


# --- map(num_parallel_calls=...) ---------------------------------------------------------

def test_parallel_map_runs_calls_at_once_and_keeps_order():
    running, most = [0], [0]
    lock = threading.Lock()

    def slow(x):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.002 * (5 - int(x) % 5))  # later elements finish first
        with lock:
            running[0] -= 1
        return x * 10

    ds = D.range(20).map(slow, num_parallel_calls=4)
    assert repr(ds).startswith("<_ParallelMapDataset element_spec=TensorSpec(shape=()")
    assert [int(x) for x in ds] == [10 * i for i in range(20)]
    assert most[0] > 1
    assert len(ds) == 20


def test_parallel_map_autotune_structures_and_errors():
    ds = D.from_tensor_slices(([1, 2, 3], [4.0, 5.0, 6.0])).map(
        lambda a, b: {"sum": tf.cast(a, tf.float32) + b}, num_parallel_calls=tf.data.AUTOTUNE)
    assert [float(e["sum"]) for e in ds] == [5.0, 7.0, 9.0]
    for bad in (0, -2):
        with pytest.raises(InvalidArgumentError, match="num_parallel_calls must be greater"):
            D.range(3).map(lambda x: x, num_parallel_calls=bad)

    def fail(x):
        if int(x) == 3:
            raise ValueError("bad element 3")
        return x
    iterator = iter(D.range(10).map(fail, num_parallel_calls=2))
    assert [int(next(iterator)) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="bad element 3"):
        next(iterator)


def test_parallel_map_threads_end_with_the_iterator():
    iterator = iter(D.range(10 ** 6).map(lambda x: x + 1, num_parallel_calls=3))
    assert int(next(iterator)) == 1
    del iterator
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and any(
            t.name.startswith("eagerflow-map") for t in threading.enumerate()):
        time.sleep(0.01)
    assert not [t for t in threading.enumerate() if t.name.startswith("eagerflow-map")]


# --- shuffle properties --------------------------------------------------------------

_SHUFFLE_SCRIPT = """
import eagerflow as tf
seeded = tf.data.Dataset.range(100).shuffle(100, seed=42)
print(*[int(x) for x in seeded]); print(*[int(x) for x in seeded])
tf.random.set_seed(7)
print(*[int(x) for x in tf.data.Dataset.range(100).shuffle(100)])
"""


def _orders_in_fresh_process():
    result = subprocess.run([sys.executable, "-c", _SHUFFLE_SCRIPT], capture_output=True,
                            text=True, timeout=60, check=True)
    return [list(map(int, line.split())) for line in result.stdout.splitlines()]


def test_shuffle_same_seed_same_orders_in_a_fresh_process():
    first = _orders_in_fresh_process()
    assert first == _orders_in_fresh_process()  # the seed and the global seed fix the orders
    assert len(first) == 3 and all(sorted(order) == list(range(100)) for order in first)
    assert first[0] != first[1]  # reshuffled each iteration, reproducibly
    ds = D.range(100).shuffle(100, seed=42)
    assert [[int(x) for x in ds] for _ in range(2)] == first[:2]


@pytest.mark.parametrize("make", [lambda: D.range(64), lambda: D.from_tensor_slices(
    np.arange(64)), lambda: D.range(64).map(lambda x: x)])
@pytest.mark.parametrize("buffer_size", [1, 7, 64, 1000])
def test_shuffle_is_a_permutation_each_epoch(make, buffer_size):
    ds = make().shuffle(buffer_size, seed=3)
    epochs = [[int(x) for x in ds] for _ in range(3)]
    assert all(sorted(epoch) == list(range(64)) for epoch in epochs)
    if buffer_size == 1:
        assert epochs == [list(range(64))] * 3
    else:
        assert epochs[0] != list(range(64)) and epochs[0] != epochs[1] != epochs[2]
    fixed = make().shuffle(buffer_size, seed=3, reshuffle_each_iteration=False)
    assert [int(x) for x in fixed] == [int(x) for x in fixed]


def test_shuffle_of_batches_moves_whole_batches():
    batches = [b.numpy().tolist() for b in D.range(12).batch(3).shuffle(4, seed=1)]
    assert sorted(batches) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]


def test_string_elements_are_scalar_string_tensors_everywhere():
    words = D.from_tensor_slices(["ab", "c", "def"])
    for ds in (words, words.shuffle(3, seed=1), words.batch(2).unbatch(),
               words.filter(lambda w: tf.strings.length(w) > 0), words.map(lambda w: w)):
        elements = list(ds)
        assert all(e.dtype == tf.string and e.shape == () for e in elements)
        assert sorted(e.numpy() for e in elements) == [b"ab", b"c", b"def"]
    assert list(words.as_numpy_iterator()) == [b"ab", b"c", b"def"]
    assert [w.numpy() for w in words.filter(lambda w: tf.strings.length(w) > 1)] == [
        b"ab", b"def"]
