"""keras.utils.split_dataset against Keras 3.15 (values recorded from it)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.utils.dataset_utils import split_dataset

D = tf.data.Dataset

# (arguments, keyword arguments, left split, right split): each split as
# (element_spec repr, cardinality, elements), recorded from Keras 3.15.
SPLITS = [
    ('(x,)', 'dict(left_size=0.7)',
     ('TensorSpec(shape=(2,), dtype=tf.float32, name=None)', 7, [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0], [8.0, 9.0], [10.0, 11.0], [12.0, 13.0]]),
     ('TensorSpec(shape=(2,), dtype=tf.float32, name=None)', 3, [[14.0, 15.0], [16.0, 17.0], [18.0, 19.0]])),
    ('((x, y),)', 'dict(right_size=3, shuffle=True, seed=4)',
     ('(TensorSpec(shape=(2,), dtype=tf.float32, name=None), TensorSpec(shape=(), dtype=tf.int64, name=None))', 7, [([16.0, 17.0], 8), ([4.0, 5.0], 2), ([0.0, 1.0], 0), ([14.0, 15.0], 7), ([12.0, 13.0], 6), ([18.0, 19.0], 9), ([10.0, 11.0], 5)]),
     ('(TensorSpec(shape=(2,), dtype=tf.float32, name=None), TensorSpec(shape=(), dtype=tf.int64, name=None))', 3, [([2.0, 3.0], 1), ([8.0, 9.0], 4), ([6.0, 7.0], 3)])),
    ('([x, y],)', 'dict(left_size=4, right_size=2)',
     ('(TensorSpec(shape=(2,), dtype=tf.float32, name=None), TensorSpec(shape=(), dtype=tf.int64, name=None))', 4, [([0.0, 1.0], 0), ([2.0, 3.0], 1), ([4.0, 5.0], 2), ([6.0, 7.0], 3)]),
     ('(TensorSpec(shape=(2,), dtype=tf.float32, name=None), TensorSpec(shape=(), dtype=tf.int64, name=None))', 2, [([16.0, 17.0], 8), ([18.0, 19.0], 9)])),
    ('(D.from_tensor_slices((x, y)).batch(3),)', 'dict(left_size=0.5, shuffle=True, seed=1)',
     ('(TensorSpec(shape=(None, 2), dtype=tf.float32, name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))', 2, [([[12.0, 13.0], [16.0, 17.0], [18.0, 19.0]], [6, 8, 9]), ([[14.0, 15.0], [10.0, 11.0]], [7, 5])]),
     ('(TensorSpec(shape=(None, 2), dtype=tf.float32, name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))', 2, [([[6.0, 7.0], [0.0, 1.0], [8.0, 9.0]], [3, 0, 4]), ([[2.0, 3.0], [4.0, 5.0]], [1, 2])])),
    ("(D.from_tensor_slices({'a': y, 'b': x}),)", 'dict(left_size=6)',
     ("{'a': TensorSpec(shape=(), dtype=tf.int64, name=None), 'b': TensorSpec(shape=(2,), dtype=tf.float32, name=None)}", 6, [{'a': 0, 'b': [0.0, 1.0]}, {'a': 1, 'b': [2.0, 3.0]}, {'a': 2, 'b': [4.0, 5.0]}, {'a': 3, 'b': [6.0, 7.0]}, {'a': 4, 'b': [8.0, 9.0]}, {'a': 5, 'b': [10.0, 11.0]}]),
     ("{'a': TensorSpec(shape=(), dtype=tf.int64, name=None), 'b': TensorSpec(shape=(2,), dtype=tf.float32, name=None)}", 4, [{'a': 6, 'b': [12.0, 13.0]}, {'a': 7, 'b': [14.0, 15.0]}, {'a': 8, 'b': [16.0, 17.0]}, {'a': 9, 'b': [18.0, 19.0]}])),
]

ERRORS = [  # recorded from Keras 3.15
    ('dict()', ValueError, 'At least one of the `left_size` or `right_size` must be specified. Received: left_size=None and right_size=None'),
    ('dict(left_size=0, right_size=0)', ValueError, 'Both `left_size` and `right_size` are zero. At least one of the split sizes must be non-zero.'),
    ('dict(left_size=10)', ValueError, '`left_size` should be either a positive integer smaller than 10, or a float within the range `[0, 1]`. Received: left_size=10'),
    ('dict(left_size=1.5)', ValueError, '`left_size` should be either a positive integer smaller than 10, or a float within the range `[0, 1]`. Received: left_size=1.5'),
    ('dict(left_size=0.6, right_size=0.6)', ValueError, 'The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal to 1.'),
    ("dict(left_size='a')", TypeError, "Invalid `left_size` Type. Expected: int or float or None, Received: type(left_size)=<class 'str'>.  "),
    ('dict(left_size=7, right_size=5)', ValueError, 'The sum of `left_size` and `right_size` should be smaller than the 10. Received: left_size + right_size = 12.0and total_length = 10'),
    ('dict(left_size=0.01)', ValueError, 'With `dataset` of length=10, `left_size`=0 and `right_size`=10.Resulting left side dataset split will be empty. Adjust any of the aforementioned parameters'),
]


def _data():
    return np.arange(20, dtype=np.float32).reshape(10, 2), np.arange(10)


def _described(ds):
    plain = [tf.nest.map_structure(lambda t: np.asarray(t).tolist(), e)
             for e in ds.as_numpy_iterator()]
    return repr(ds.element_spec), int(ds.cardinality()), plain


@pytest.mark.parametrize("args, kwargs, left, right", SPLITS)
def test_split_matches_keras(args, kwargs, left, right):
    x, y = _data()
    names = {"x": x, "y": y, "D": D}
    splits = split_dataset(*eval(args, names), **eval(kwargs))
    assert [_described(split) for split in splits] == [left, right]
    assert keras.utils.split_dataset is split_dataset


@pytest.mark.parametrize("kwargs, error, message", ERRORS)
def test_split_errors_match_keras(kwargs, error, message):
    with pytest.raises(error) as caught:
        split_dataset(_data()[0], **eval(kwargs))
    assert str(caught.value) == message


def test_split_rejects_other_types_and_ragged_inputs():
    x, y = _data()
    with pytest.raises(TypeError, match="Unsupported dataset type: <class 'dict'>"):
        split_dataset({"a": x}, left_size=0.5)
    with pytest.raises(ValueError, match="NumPy arrays with different lengths"):
        split_dataset((x, y[:5]), left_size=0.5)
    with pytest.raises(ValueError, match="Received an empty dataset"):
        split_dataset(D.range(0), left_size=0.5)
