"""keras.utils.timeseries_dataset_from_array against Keras 3.15 (values recorded from it)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.utils.timeseries_dataset_utils import timeseries_dataset_from_array as f

# Each call with its (element_spec repr, cardinality, elements), recorded from Keras 3.15.
CASES = [
    ("f(np.arange(40, dtype=np.float32).reshape(20, 2), np.arange(20), sequence_length=4, sampling_rate=2, sequence_stride=3, batch_size=2)",
     ('(TensorSpec(shape=(None, None, 2), dtype=tf.float32, name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))', 3, [([[[0.0, 1.0], [4.0, 5.0], [8.0, 9.0], [12.0, 13.0]], [[6.0, 7.0], [10.0, 11.0], [14.0, 15.0], [18.0, 19.0]]], [0, 3]), ([[[12.0, 13.0], [16.0, 17.0], [20.0, 21.0], [24.0, 25.0]], [[18.0, 19.0], [22.0, 23.0], [26.0, 27.0], [30.0, 31.0]]], [6, 9]), ([[[24.0, 25.0], [28.0, 29.0], [32.0, 33.0], [36.0, 37.0]]], [12])])),
    ("f(np.arange(20), None, sequence_length=5, batch_size=None, start_index=2, end_index=12)",
     ('TensorSpec(shape=(None,), dtype=tf.int64, name=None)', 6, [[2, 3, 4, 5, 6], [3, 4, 5, 6, 7], [4, 5, 6, 7, 8], [5, 6, 7, 8, 9], [6, 7, 8, 9, 10], [7, 8, 9, 10, 11]])),
    ("f(np.arange(10, dtype=np.float64), np.arange(10, dtype=np.int32) * 2, sequence_length=3, batch_size=4, start_index=3)",
     ('(TensorSpec(shape=(None, None), dtype=tf.float64, name=None), TensorSpec(shape=(None,), dtype=tf.int32, name=None))', 2, [([[3.0, 4.0, 5.0], [4.0, 5.0, 6.0], [5.0, 6.0, 7.0], [6.0, 7.0, 8.0]], [6, 8, 10, 12]), ([[7.0, 8.0, 9.0]], [14])])),
    ("f(np.arange(12).reshape(12, 1), np.arange(4), sequence_length=2, batch_size=3)",
     ('(TensorSpec(shape=(None, None, 1), dtype=tf.int64, name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))', 2, [([[[0], [1]], [[1], [2]], [[2], [3]]], [0, 1, 2]), ([[[3], [4]]], [3])])),
    ("f(np.arange(6), None, sequence_length=10, batch_size=2)",
     ('TensorSpec(shape=(None, None), dtype=tf.int64, name=None)', 0, [])),
]

ERRORS = [  # recorded from Keras 3.15
    ('start_index=-1', '`start_index` must be 0 or greater. Received: start_index=-1'),
    ('start_index=20', '`start_index` must be lower than the length of the data. Received: start_index=20, for data of length 20'),
    ('start_index=5, end_index=3', '`end_index` must be higher than `start_index`. Received: start_index=5, and end_index=3 '),
    ('end_index=20', '`end_index` must be lower than the length of the data. Received: end_index=20, for data of length 20'),
    ('end_index=-1', '`end_index` must be higher than 0. Received: end_index=-1'),
    ('sampling_rate=0', '`sampling_rate` must be higher than 0. Received: sampling_rate=0'),
    ('sampling_rate=20', '`sampling_rate` must be lower than the length of the data. Received: sampling_rate=20, for data of length 20'),
    ('sequence_stride=0', '`sequence_stride` must be higher than 0. Received: sequence_stride=0'),
    ('sequence_stride=25', '`sequence_stride` must be lower than the length of the data. Received: sequence_stride=25, for data of length 20'),
]


def _described(ds):
    plain = [tf.nest.map_structure(lambda t: np.asarray(t).tolist(), e)
             for e in ds.as_numpy_iterator()]
    return repr(ds.element_spec), int(ds.cardinality()), plain


@pytest.mark.parametrize("call, expected", CASES)
def test_windows_match_keras(call, expected):
    assert _described(eval(call, {"f": f, "np": np})) == expected


@pytest.mark.parametrize("arguments, message", ERRORS)
def test_argument_errors_match_keras(arguments, message):
    with pytest.raises(ValueError) as caught:
        eval(f"f(np.arange(20), None, sequence_length=3, {arguments})", {"f": f, "np": np})
    assert str(caught.value) == message


def test_shuffled_windows_are_the_same_windows_with_their_targets():
    data = np.arange(100, dtype=np.float32)
    targets = np.arange(100) * 10
    kwargs = dict(sequence_length=5, sequence_stride=2, batch_size=8)
    ordered = [(w.tolist(), t) for x, y in f(data, targets, **kwargs).as_numpy_iterator()
               for w, t in zip(x, y.tolist())]
    shuffled_ds = f(data, targets, shuffle=True, seed=3, **kwargs)
    epochs = [[(w.tolist(), t) for x, y in shuffled_ds.as_numpy_iterator()
               for w, t in zip(x, y.tolist())] for _ in range(2)]
    assert sorted(epochs[0]) == sorted(ordered) and epochs[0] != ordered
    assert epochs[0] != epochs[1]  # reshuffled each epoch
    again = f(data, targets, shuffle=True, seed=3, **kwargs)
    assert [(w.tolist(), t) for x, y in again.as_numpy_iterator()
            for w, t in zip(x, y.tolist())] == epochs[0]
    assert all(window[0] * 10 == target for window, target in epochs[0])
    assert keras.utils.timeseries_dataset_from_array is f


def test_trains_a_model():
    series = np.sin(np.arange(300, dtype=np.float32) / 10)
    ds = f(series[:, None], series[10:], sequence_length=10, batch_size=32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((10, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    losses = model.fit(ds, epochs=5, verbose=0).history["loss"]
    assert losses[-1] < 0.5 * losses[0]
