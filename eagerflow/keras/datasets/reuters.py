"""Reuters newswires labelled by one of 46 topics, as sequences of word indices."""

import json

import numpy as np

from eagerflow.keras.datasets import remote, word_sequences

_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
    "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
    "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
    "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi",
    "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
    "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """Loads the Reuters newswire dataset: 11,228 newswires, each a list of word indices
    (a word's index is its frequency rank), labelled with a topic 0..45.

    Args:
        path: The file name to cache the dataset under (in `~/.keras/datasets`).
{args}
        test_split: The fraction of the (shuffled) newswires kept for testing.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints and int64
        label arrays.
    """
    data = remote.load_npz(remote.fetch("reuters.npz", fname=path))
    x, labels = remote.shuffled(seed, data["x"], data["y"])
    sequences = word_sequences.offset(word_sequences.Sequences.of(x), start_char,
                                      index_from)
    if maxlen:
        sequences, labels = word_sequences.shorter_than(maxlen, sequences, labels)
    sequences = word_sequences.limit_vocabulary(sequences, num_words, skip_top, oov_char)
    count = int(len(labels) * (1 - test_split))
    train, test = word_sequences.split(sequences, count)
    return ((train.to_object_array(), np.array(labels[:count])),
            (test.to_object_array(), np.array(labels[count:])))


if load_data.__doc__:  # None under python -OO
    load_data.__doc__ = load_data.__doc__.format(args=word_sequences.ARGS_DOC)


def get_word_index(path="reuters_word_index.json"):
    """The dict from each word to its index in the Reuters sequences (before
    `index_from`).

    Args:
        path: The file name to cache the index under (in `~/.keras/datasets`).
    """
    with open(remote.fetch("reuters_word_index.json", fname=path)) as file:
        return json.load(file)


def get_label_names():
    """The 46 topic names, indexed by label."""
    return _LABEL_NAMES
