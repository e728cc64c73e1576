"""keras.utils.text_dataset_from_directory against Keras 3.15 (values recorded from it on the
same directory of text files)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.utils.text_dataset_utils import text_dataset_from_directory

TEXTS = {"neg/a.txt": "bad movie", "neg/b.txt": "awful", "pos/c.txt": "great fun",
         "pos/deep/d.txt": "loved it so much", "pos/e.txt": "fine", "pos/skip.md": "x"}


@pytest.fixture
def directory(tmp_path):
    for name, text in TEXTS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def _described(ds):
    plain = [tf.nest.map_structure(lambda t: np.asarray(t).tolist(), e)
             for e in ds.as_numpy_iterator()]
    return repr(ds.element_spec), int(ds.cardinality()), plain, ds.class_names


CASES = [  # (keyword arguments, (element_spec, cardinality, elements, class_names)) from Keras 3.15
    ("batch_size=None, shuffle=False, max_length=4, label_mode='categorical'",
     ('(TensorSpec(shape=(), dtype=tf.string, name=None), TensorSpec(shape=(2,), dtype=tf.float32, name=None))', 5, [(b'bad ', [1.0, 0.0]), (b'awfu', [1.0, 0.0]), (b'grea', [0.0, 1.0]), (b'fine', [0.0, 1.0]), (b'love', [0.0, 1.0])], ['neg', 'pos'])),
    ('batch_size=2, shuffle=False, labels=None',
     ('TensorSpec(shape=(None,), dtype=tf.string, name=None)', 3, [[b'bad movie', b'awful'], [b'great fun', b'fine'], [b'loved it so much']], None)),
    ('batch_size=3, shuffle=False, labels=[0, 1, 0, 1, 1]',
     ('(TensorSpec(shape=(None,), dtype=tf.string, name=None), TensorSpec(shape=(None,), dtype=tf.int32, name=None))', 2, [([b'bad movie', b'awful', b'great fun'], [0, 1, 0]), ([b'fine', b'loved it so much'], [1, 1])], ['0', '1'])),
    ("batch_size=3, shuffle=False, class_names=['pos']",
     ('(TensorSpec(shape=(None,), dtype=tf.string, name=None), TensorSpec(shape=(None,), dtype=tf.int32, name=None))', 1, [([b'great fun', b'fine', b'loved it so much'], [0, 0, 0])], ['pos'])),
    ("batch_size=2, seed=1, validation_split=0.4, subset='validation', label_mode='binary', shuffle=False",
     ('(TensorSpec(shape=(None,), dtype=tf.string, name=None), TensorSpec(shape=(None, 1), dtype=tf.float32, name=None))', 1, [([b'fine', b'loved it so much'], [[1.0], [1.0]])], ['neg', 'pos'])),
]

VALIDATION_OF_BOTH = ('(TensorSpec(shape=(None,), dtype=tf.string, name=None), TensorSpec(shape=(None, 1), dtype=tf.float32, name=None))', 1, [([b'bad movie', b'fine'], [[0.0], [1.0]])], ['neg', 'pos'])

ERRORS = [  # recorded from Keras 3.15; {directory} stands for the directory
    ("labels='x'",
     '`labels` argument should be a list/tuple of integer labels, of the same size as the number of text files in the target directory. If you wish to infer the labels from the subdirectory names in the target directory, pass `labels="inferred"`. If you wish to get a dataset that only contains text samples (no labels), pass `labels=None`. Received: labels=x'),
    ("labels=[0]*5, class_names=['a']",
     'You can only pass `class_names` if `labels="inferred"`. Received: labels=[0, 0, 0, 0, 0], and class_names=[\'a\']'),
    ("label_mode='sparse'",
     '`label_mode` argument must be one of "int", "categorical", "binary", or None. Received: label_mode=sparse'),
    ('validation_split=1.5',
     '`validation_split` must be between 0 and 1, received: 1.5'),
    ("subset='training'",
     'If `subset` is set, `validation_split` must be set, and inversely.'),
    ("validation_split=0.2, subset='x', seed=1",
     '`subset` must be either "training", "validation" or "both", received: x'),
    ("validation_split=0.2, subset='training'",
     'If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make sure that there is no overlap between the training and validation subset.'),
    ("label_mode='binary', class_names=['neg']",
     'When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: class_names=[\'neg\']'),
    ("class_names=['cat']",
     "The `class_names` passed did not match the names of the subdirectories of the target directory. Expected: ['neg', 'pos'] (or a subset of it), but received: class_names=['cat']"),
    ("labels=None, class_names=['pos']",
     'When `labels=None` (no labels), argument `class_names` cannot be specified.'),
    ('labels=[0, 1]',
     'Expected the lengths of `labels` to match the number of files in the target directory. len(labels) is 2 while we found 5 files in directory {directory}.'),
    ("format='x'",
     '`format` should be either "tf" or "grain". Received: format=x'),
]


@pytest.mark.parametrize("kwargs, expected", CASES)
def test_matches_keras(directory, kwargs, expected):
    ds = eval(f"text_dataset_from_directory(directory, {kwargs}, verbose=False)",
              {"text_dataset_from_directory": text_dataset_from_directory,
               "directory": directory})
    assert _described(ds) == expected


def test_subset_both_and_shuffle(directory, capsys):
    train, validation = text_dataset_from_directory(
        directory, batch_size=2, seed=1, validation_split=0.4, subset="both",
        label_mode="binary")
    assert capsys.readouterr().out == ("Found 5 files belonging to 2 classes.\n"
                                       "Using 3 files for training.\n"
                                       "Using 2 files for validation.\n")
    assert _described(validation) == VALIDATION_OF_BOTH
    texts = sorted(text for batch, _ in train.as_numpy_iterator() for text in batch.tolist())
    assert texts == [b"awful", b"great fun", b"loved it so much"]
    shuffled = text_dataset_from_directory(directory, batch_size=2, seed=3, verbose=False)
    pairs = [(t, int(y)) for x, labels in shuffled.as_numpy_iterator()
             for t, y in zip(x.tolist(), labels)]
    assert sorted(pairs) == [(b"awful", 0), (b"bad movie", 0), (b"fine", 1),
                             (b"great fun", 1), (b"loved it so much", 1)]
    assert keras.utils.text_dataset_from_directory is text_dataset_from_directory


@pytest.mark.parametrize("kwargs, message", ERRORS)
def test_errors_match_keras(directory, kwargs, message):
    with pytest.raises(ValueError) as caught:
        eval(f"text_dataset_from_directory(directory, {kwargs}, verbose=False)",
             {"text_dataset_from_directory": text_dataset_from_directory,
              "directory": directory})
    assert str(caught.value) == message.replace("{directory}", str(directory))


def test_grain_format_is_refused_clearly(directory):
    with pytest.raises(ValueError, match='use `format="tf"`'):
        text_dataset_from_directory(directory, format="grain")
    empty = directory / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="No text files found in directory .*empty. "
                                         "Allowed format: .txt"):
        text_dataset_from_directory(empty, verbose=False)
