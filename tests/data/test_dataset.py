"""Tests for eagerflow.data: sources, transformations, element specs and cardinality."""

import gc
import threading
import time

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import data
from eagerflow.framework.errors import InvalidArgumentError

Dataset = data.Dataset


def _values(ds):
    return [x.tolist() if isinstance(x, np.ndarray) else x.item()
            for x in ds.as_numpy_iterator()]


def test_constants():
    assert (data.AUTOTUNE, data.INFINITE_CARDINALITY, data.UNKNOWN_CARDINALITY) == (-1, -1, -2)


def test_tensor_spec_repr_and_equality():
    spec = data.TensorSpec((None, 3), tf.float32, name="x")
    # recorded from TF 2.21
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"
    assert spec == data.TensorSpec((None, 3), "float32", name="x")
    assert spec != data.TensorSpec((None, 3), tf.float64, name="x")
    assert spec.is_compatible_with(data.TensorSpec((2, 3), tf.float32))


def test_from_tensor_slices_tuple_repr_and_elements():
    ds = Dataset.from_tensor_slices(([1.0, 2.0, 3.0], [1, 2, 3]))
    # recorded from TF 2.21
    assert repr(ds) == (
        "<_TensorSliceDataset element_spec=(TensorSpec(shape=(), dtype=tf.float32, "
        "name=None), TensorSpec(shape=(), dtype=tf.int32, name=None))>")
    first = next(iter(ds))
    assert isinstance(first, tuple) and all(isinstance(t, tf.Tensor) for t in first)
    assert repr(first) == ("(<tf.Tensor: shape=(), dtype=float32, numpy=1.0>, "
                           "<tf.Tensor: shape=(), dtype=int32, numpy=1>)")
    assert len(ds) == 3 and int(ds.cardinality()) == 3
    assert ds.cardinality().dtype == tf.int64


def test_from_tensor_slices_dict_keeps_order_and_dtypes():
    ds = Dataset.from_tensor_slices({"b": [1, 2], "a": np.zeros((2, 2))})
    # recorded from TF 2.21: insertion order kept, float64 arrays stay float64
    assert repr(ds.element_spec) == (
        "{'b': TensorSpec(shape=(), dtype=tf.int32, name=None), "
        "'a': TensorSpec(shape=(2,), dtype=tf.float64, name=None)}")
    element = next(iter(ds))
    assert list(element) == ["b", "a"] and element["a"].dtype == tf.float64


def test_from_tensor_slices_nested_and_lists():
    ds = Dataset.from_tensor_slices(((np.zeros((3, 2), np.float32),), {"y": [[1, 2]] * 3}))
    spec = ds.element_spec
    assert repr(spec) == ("((TensorSpec(shape=(2,), dtype=tf.float32, name=None),), "
                          "{'y': TensorSpec(shape=(2,), dtype=tf.int32, name=None)})")
    # A list is one tensor, recorded from TF 2.21
    assert repr(Dataset.from_tensor_slices([[1, 2], [3, 4]]).element_spec) == \
        "TensorSpec(shape=(2,), dtype=tf.int32, name=None)"


def test_from_tensor_slices_errors():
    # recorded from TF 2.21
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        Dataset.from_tensor_slices(([1, 2], [1, 2, 3]))
    with pytest.raises(ValueError, match="only supported for rank >= 1"):
        Dataset.from_tensor_slices(1)


def test_from_tensors():
    ds = Dataset.from_tensors((1, [1.0, 2.0]))
    # recorded from TF 2.21
    assert repr(ds) == ("<_TensorDataset element_spec=(TensorSpec(shape=(), dtype=tf.int32, "
                        "name=None), TensorSpec(shape=(2,), dtype=tf.float32, name=None))>")
    assert len(ds) == 1
    assert [(a, b.tolist()) for a, b in ds.as_numpy_iterator()] == [(1, [1.0, 2.0])]


def test_range():
    ds = Dataset.range(5)
    # recorded from TF 2.21
    assert repr(ds) == ("<_RangeDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, "
                        "name=None)>")
    values = list(ds.as_numpy_iterator())
    assert values == [0, 1, 2, 3, 4] and all(type(v) is np.int64 for v in values)
    assert _values(Dataset.range(2, 10, 3)) == [2, 5, 8]
    assert _values(Dataset.range(5, 0, -2)) == [5, 3, 1]
    assert Dataset.range(3, output_type=tf.int32).element_spec.dtype == tf.int32
    assert next(iter(Dataset.range(3))).dtype == tf.int64


def test_zip_tuple_args_and_dict():
    a, b = Dataset.range(3), Dataset.range(5)
    for ds in (Dataset.zip((a, b)), Dataset.zip(a, b)):
        # recorded from TF 2.21
        assert repr(ds) == ("<_ZipDataset element_spec=(TensorSpec(shape=(), dtype=tf.int64, "
                            "name=None), TensorSpec(shape=(), dtype=tf.int64, name=None))>")
        assert list(ds.as_numpy_iterator()) == [(0, 0), (1, 1), (2, 2)]
        assert int(ds.cardinality()) == 3
    ds = Dataset.zip({"x": Dataset.range(2), "y": Dataset.range(3)})
    assert list(ds.as_numpy_iterator()) == [{"x": 0, "y": 0}, {"x": 1, "y": 1}]


def test_batch_order_shapes_and_cardinality():
    ds = Dataset.range(7).batch(3)
    # recorded from TF 2.21
    assert repr(ds) == ("<_BatchDataset element_spec=TensorSpec(shape=(None,), "
                        "dtype=tf.int64, name=None)>")
    assert _values(ds) == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(ds) == 3
    dropped = Dataset.range(7).batch(3, drop_remainder=True)
    assert repr(dropped.element_spec) == "TensorSpec(shape=(3,), dtype=tf.int64, name=None)"
    assert _values(dropped) == [[0, 1, 2], [3, 4, 5]] and len(dropped) == 2
    assert repr(Dataset.range(4).batch(2).batch(2).element_spec) == \
        "TensorSpec(shape=(None, None), dtype=tf.int64, name=None)"
    with pytest.raises(InvalidArgumentError, match="Batch size must be greater than zero"):
        Dataset.range(3).batch(0)


def test_batch_of_slices_keeps_structure_and_float32():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10, dtype=np.int32)
    batches = list(Dataset.from_tensor_slices({"x": x, "y": y}).batch(4))
    assert [b["x"].shape.as_list() for b in batches] == [[4, 2], [4, 2], [2, 2]]
    assert batches[0]["x"].dtype == tf.float32 and batches[0]["y"].dtype == tf.int32
    np.testing.assert_array_equal(batches[2]["y"].numpy(), [8, 9])


def test_unbatch():
    ds = Dataset.range(7).batch(3).unbatch()
    # recorded from TF 2.21
    assert repr(ds) == ("<_UnbatchDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, "
                        "name=None)>")
    assert _values(ds) == list(range(7))
    assert int(ds.cardinality()) == -2
    assert _values(Dataset.from_tensor_slices([[1, 2], [3, 4]]).unbatch()) == [1, 2, 3, 4]


def test_map_spreads_tuples_and_converts_lists():
    ds = Dataset.from_tensor_slices(([1, 2], [3, 4])).map(lambda a, b: a + b)
    # recorded from TF 2.21
    assert _values(ds) == [4, 6] and ds.element_spec.dtype == tf.int32
    pair = Dataset.range(3).map(lambda x: [x, x])
    assert repr(pair.element_spec) == (
        "(TensorSpec(shape=(), dtype=tf.int64, name=None), "
        "TensorSpec(shape=(), dtype=tf.int64, name=None))")
    mixed = Dataset.range(3).map(lambda x: (x, 1, 2.0))
    assert [s.dtype for s in mixed.element_spec] == [tf.int64, tf.int32, tf.float32]
    assert _values(Dataset.from_tensor_slices({"a": [1, 2]}).map(lambda d: d["a"])) == [1, 2]
    assert _values(Dataset.range(5).batch(2).map(tf.reduce_sum)) == [1, 5, 4]
    assert repr(Dataset.range(3).map(lambda x: {"a": x}).element_spec) == \
        "{'a': TensorSpec(shape=(), dtype=tf.int64, name=None)}"


def test_filter():
    ds = Dataset.range(6).filter(lambda x: x % 2 == 0)
    assert _values(ds) == [0, 2, 4]
    assert int(ds.cardinality()) == -2  # recorded from TF 2.21
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(ds)
    pairs = Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).filter(lambda a, b: a > 1)
    assert [tuple(int(t) for t in p) for p in pairs] == [(2, 5), (3, 6)]


def test_repeat_take_skip_cardinality():
    # recorded from TF 2.21
    assert _values(Dataset.range(3).repeat(2)) == [0, 1, 2, 0, 1, 2]
    infinite = Dataset.range(3).repeat()
    assert int(infinite.cardinality()) == -1
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(infinite)
    assert _values(infinite.take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert int(Dataset.range(10).take(-1).cardinality()) == 10
    assert int(Dataset.range(10).skip(20).cardinality()) == 0
    assert int(Dataset.range(10).repeat(0).cardinality()) == 0
    assert int(Dataset.range(10).repeat(2).take(100).cardinality()) == 20
    assert int(infinite.take(5).cardinality()) == 5
    assert int(infinite.skip(5).cardinality()) == -1
    assert int(infinite.batch(3).cardinality()) == -1
    assert _values(Dataset.range(5).skip(3)) == [3, 4]
    assert _values(Dataset.range(5).skip(-1)) == []
    assert _values(Dataset.range(5).take(-1)) == [0, 1, 2, 3, 4]
    assert _values(Dataset.range(0).repeat()) == []
    unknown = Dataset.range(3).filter(lambda x: x > 0)
    assert [int(d.cardinality()) for d in (unknown.take(2), unknown.skip(2), unknown.repeat(2),
                                           unknown.batch(2), unknown.repeat())] == [-2] * 5


def test_concatenate_and_enumerate():
    ds = Dataset.range(2).concatenate(Dataset.range(3))
    assert repr(ds).startswith("<_ConcatenateDataset element_spec=TensorSpec(shape=()")
    assert _values(ds) == [0, 1, 0, 1, 2] and len(ds) == 5
    # recorded from TF 2.21
    assert int(Dataset.range(3).concatenate(Dataset.range(3).repeat()).cardinality()) == -1
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        Dataset.range(3).concatenate(Dataset.from_tensor_slices([1.0]))
    merged = Dataset.range(4).batch(2, drop_remainder=True).concatenate(
        Dataset.range(3).batch(3))
    assert merged.element_spec.shape.as_list() == [None]
    pairs = Dataset.range(3).enumerate(start=5)
    assert repr(pairs).startswith("<_ZipDataset")
    assert list(pairs.as_numpy_iterator()) == [(5, 0), (6, 1), (7, 2)]
    assert next(iter(pairs))[0].dtype == tf.int64 and len(pairs) == 3


def test_reduce():
    total = Dataset.range(4).reduce(np.int64(0), lambda state, x: state + x)
    assert int(total) == 6 and total.dtype == tf.int64
    count, total = Dataset.from_tensor_slices([1.0, 2.0]).reduce(
        (0, 0.0), lambda state, x: (state[0] + 1, state[1] + x))
    assert (int(count), float(total)) == (2, 3.0)


def test_as_numpy_iterator_structures():
    # recorded from TF 2.21
    ds = Dataset.from_tensor_slices({"a": [1, 2], "b": [3.0, 4.0]})
    values = list(ds.as_numpy_iterator())
    assert values == [{"a": 1, "b": 3.0}, {"a": 2, "b": 4.0}]
    assert type(values[0]["a"]) is np.int32 and type(values[0]["b"]) is np.float32


# --- shuffle ---------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda: Dataset.range(50),
                                  lambda: Dataset.from_tensor_slices(np.arange(50))])
def test_shuffle_is_a_permutation_and_seeded(make):
    first = _values(make().shuffle(10, seed=7))
    assert sorted(first) == list(range(50)) and first != list(range(50))
    assert _values(make().shuffle(10, seed=7)) == first
    assert _values(make().shuffle(1, seed=3)) == list(range(50))


def test_shuffle_buffer_bounds_how_far_elements_move():
    # An element can come out no earlier than buffer_size - 1 places before its position.
    order = _values(Dataset.range(200).shuffle(5, seed=0))
    assert all(position >= value - 4 for position, value in enumerate(order))


def test_shuffle_reshuffles_each_epoch_unless_asked_not_to():
    ds = Dataset.range(30).shuffle(30, seed=1)
    assert _values(ds) != _values(ds)
    fixed = Dataset.range(30).shuffle(30, seed=1, reshuffle_each_iteration=False)
    assert _values(fixed) == _values(fixed)
    batched = Dataset.from_tensor_slices(np.arange(30)).shuffle(30, seed=2).batch(8)
    epochs = [np.concatenate(_values(batched)).tolist() for _ in range(2)]
    assert epochs[0] != epochs[1] and sorted(epochs[0]) == list(range(30))


def test_shuffle_then_batch_of_slices_matches_element_path():
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    shuffled = Dataset.from_tensor_slices(x).shuffle(6, seed=5, reshuffle_each_iteration=False)
    fast = [b.tolist() for b in shuffled.batch(7).as_numpy_iterator()]
    slow = [b.tolist() for b in shuffled.map(lambda v: v).batch(7).as_numpy_iterator()]
    assert fast == slow
    assert [len(b) for b in fast] == [7, 7, 6]


def test_shuffle_with_global_seed_is_reproducible():
    tf.random.set_seed(11)
    first = _values(Dataset.range(20).shuffle(20))
    tf.random.set_seed(11)
    assert _values(Dataset.range(20).shuffle(20)) == first


# --- prefetch --------------------------------------------------------------------------

def _prefetch_threads():
    return [t for t in threading.enumerate() if t.name == "eagerflow-prefetch"]


def _wait_for_no_prefetch_threads():
    deadline = time.monotonic() + 2.0
    while _prefetch_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    return _prefetch_threads()


def test_prefetch_yields_everything_and_keeps_cardinality():
    ds = Dataset.range(10).map(lambda x: x * 2).prefetch(data.AUTOTUNE)
    assert repr(ds).startswith("<_PrefetchDataset element_spec=")
    assert _values(ds) == [2 * i for i in range(10)] and len(ds) == 10
    assert _values(Dataset.range(3).prefetch(1)) == [0, 1, 2]
    assert not _wait_for_no_prefetch_threads()


def test_prefetch_thread_stops_when_iterator_dropped():
    iterator = iter(Dataset.range(10 ** 6).repeat().prefetch(2))
    assert int(next(iterator)) == 0
    assert _prefetch_threads()
    del iterator
    gc.collect()
    assert not _wait_for_no_prefetch_threads()


def test_prefetch_passes_errors_on():
    def fail(x):
        if int(x) == 2:
            raise ValueError("boom")
        return x
    iterator = iter(Dataset.range(5).map(fail).prefetch(2))
    assert [int(next(iterator)) for _ in range(2)] == [0, 1]
    with pytest.raises(ValueError, match="boom"):
        next(iterator)
    del iterator
    assert not _wait_for_no_prefetch_threads()


# --- Keras -----------------------------------------------------------------------------

def test_fit_on_dataset_lowers_loss():
    from eagerflow import keras
    rng = np.random.default_rng(0)
    x = rng.standard_normal((512, 4)).astype(np.float32)
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0], dtype=np.float32))[:, None]
    ds = Dataset.from_tensor_slices((x, y)).shuffle(256).batch(32).prefetch(data.AUTOTUNE)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    history = model.fit(ds, epochs=5, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.2 * losses[0]
    assert not _wait_for_no_prefetch_threads()


def _digits_model():
    from eagerflow import keras
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_fit_on_shuffled_prefetched_digits_matches_arrays():
    from eagerflow import demo
    (x, y), (x_test, y_test) = demo.load_digits()
    ds = Dataset.from_tensor_slices((x, y)).shuffle(1024).batch(128).prefetch(data.AUTOTUNE)
    on_dataset = _digits_model()
    on_dataset.fit(ds, epochs=30, verbose=0)
    on_arrays = _digits_model()
    on_arrays.fit(x, y, batch_size=128, epochs=30, verbose=0)
    _, dataset_accuracy = on_dataset.evaluate(x_test, y_test, verbose=0)
    _, array_accuracy = on_arrays.evaluate(x_test, y_test, verbose=0)
    assert dataset_accuracy > 0.93 and array_accuracy > 0.93
    assert abs(dataset_accuracy - array_accuracy) < 0.03
    # evaluate and predict take a batched dataset too, with the arrays' results.
    test_ds = Dataset.from_tensor_slices((x_test, y_test)).batch(64)
    np.testing.assert_allclose(on_dataset.evaluate(test_ds, verbose=0),
                               on_dataset.evaluate(x_test, y_test, verbose=0), rtol=1e-5)
    predictions = on_dataset.predict(test_ds.map(lambda images, labels: images), verbose=0)
    assert predictions.shape == (360, 10) and predictions.dtype == np.float32
    assert float((predictions.argmax(1) == y_test).mean()) == pytest.approx(dataset_accuracy)


def test_fit_on_repeated_dataset_with_steps_per_epoch():
    from eagerflow import demo
    (x, y), _ = demo.load_digits()
    ds = Dataset.from_tensor_slices((x, y)).batch(128).repeat()
    history = _digits_model().fit(ds, epochs=3, steps_per_epoch=5, verbose=0)
    losses = history.history["loss"]
    assert len(losses) == 3 and losses[2] < losses[0]


def test_fit_on_dataset_errors_and_class_weight():
    from eagerflow import keras
    x = np.random.default_rng(0).random((100, 4), dtype=np.float32)
    y = (x.sum(1) > 2).astype(np.int64)
    ds = Dataset.from_tensor_slices((x, y)).batch(16)

    def model():
        keras.utils.set_random_seed(0)
        made = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
        made.compile("sgd", "sparse_categorical_crossentropy")
        return made

    # Keras 3.15's messages
    with pytest.raises(ValueError, match=r"When providing `x` as a tf\.data\.Dataset, `y` "
                                         r"should not be passed\."):
        model().fit(ds, y, verbose=0)
    with pytest.raises(ValueError, match="`sample_weights` should not be passed. Instead, the "
                                         r"sample weights should be included as part of the "
                                         r"tf\.data\.Dataset\."):
        model().fit(ds, sample_weight=np.ones(100), verbose=0)
    weighted = Dataset.from_tensor_slices((x, y, np.ones(100, np.float32))).batch(16)
    with pytest.raises(ValueError, match="You cannot `class_weight` and `sample_weight` at "
                                         "the same time."):
        model().fit(weighted, class_weight={0: 1.0, 1: 5.0}, verbose=0)
    # class_weight on a dataset weighs the same batches as on the arrays.
    class_weight = {0: 1.0, 1: 5.0}
    on_dataset = model().fit(ds, class_weight=class_weight, epochs=2, verbose=0)
    on_arrays = model().fit(x, y, batch_size=16, shuffle=False, class_weight=class_weight,
                            epochs=2, verbose=0)
    np.testing.assert_allclose(on_dataset.history["loss"], on_arrays.history["loss"],
                               rtol=1e-5)
    unweighted = model().fit(ds, epochs=2, verbose=0)
    assert unweighted.history["loss"] != pytest.approx(on_dataset.history["loss"])
