"""IMDB movie reviews labelled by sentiment, as sequences of word indices."""

import json

import numpy as np

from eagerflow.keras.datasets import remote, word_sequences


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    """Loads the IMDB dataset: 25,000 training and 25,000 test reviews, each a list of
    word indices (a word's index is its frequency rank), labelled 1 positive, 0 negative.

    Args:
        path: The file name to cache the dataset under (in `~/.keras/datasets`).
{args}

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints and int64
        label arrays, each part shuffled with `seed`.

    Raises:
        ValueError: when `maxlen` leaves no training or no test sequence.
    """
    data = remote.load_npz(remote.fetch("imdb.npz", fname=path))
    rng = np.random.RandomState(seed)
    x_train, y_train = remote.shuffled(rng, data["x_train"], data["y_train"])
    x_test, y_test = remote.shuffled(rng, data["x_test"], data["y_test"])
    train, test = (word_sequences.offset(word_sequences.Sequences.of(x), start_char,
                                         index_from) for x in (x_train, x_test))
    if maxlen:
        train, y_train = word_sequences.shorter_than(maxlen, train, y_train)
        test, y_test = word_sequences.shorter_than(maxlen, test, y_test)
        if not len(y_train) or not len(y_test):
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, "
                             "no sequence was kept. Increase maxlen.")
    everything = word_sequences.limit_vocabulary(word_sequences.concatenate(train, test),
                                                 num_words, skip_top, oov_char)
    train, test = word_sequences.split(everything, len(y_train))
    labels = np.concatenate([y_train, y_test])
    return ((train.to_object_array(), labels[:len(y_train)]),
            (test.to_object_array(), labels[len(y_train):]))


if load_data.__doc__:  # None under python -OO
    load_data.__doc__ = load_data.__doc__.format(args=word_sequences.ARGS_DOC)


def get_word_index(path="imdb_word_index.json"):
    """The dict from each word to its index in the IMDB sequences (before `index_from`).

    Args:
        path: The file name to cache the index under (in `~/.keras/datasets`).
    """
    with open(remote.fetch("imdb_word_index.json", fname=path)) as file:
        return json.load(file)
