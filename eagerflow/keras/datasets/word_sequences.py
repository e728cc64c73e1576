"""The word-index sequences of IMDB and Reuters: Keras's start, offset, length and
vocabulary rules, applied to all sequences at once on one flat array."""

import itertools

import numpy as np

# The arguments IMDB and Reuters share, as docstring text.
ARGS_DOC = """\
        num_words: Keep only the `num_words` most frequent words; rarer ones become
            `oov_char`. None keeps all.
        skip_top: Treat the `skip_top` most frequent words as out of vocabulary too.
        maxlen: Drop sequences of `maxlen` words or more. None keeps all.
        seed: The seed of the shuffle.
        start_char: The index that starts every sequence (0 is padding). None: no start.
        oov_char: The index that replaces words out of the vocabulary; None drops them.
        index_from: The offset added to every word index."""


class Sequences:
    """Ragged int sequences as one flat int64 array and the length of each sequence."""

    def __init__(self, flat, lengths):
        self.flat = flat
        self.lengths = lengths

    @classmethod
    def of(cls, sequences):
        lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
        flat = np.fromiter(itertools.chain.from_iterable(sequences), dtype=np.int64,
                           count=int(lengths.sum()))
        return cls(flat, lengths)

    def starts(self):
        return np.cumsum(self.lengths) - self.lengths

    def segment_ids(self):
        return np.repeat(np.arange(len(self.lengths)), self.lengths)

    def keep(self, rows):
        """The sequences where the boolean array `rows` is True."""
        return Sequences(self.flat[rows[self.segment_ids()]], self.lengths[rows])

    def to_object_array(self):
        """An object array of lists of Python ints, as Keras returns."""
        pieces = np.split(self.flat, np.cumsum(self.lengths)[:-1]) if len(self.lengths) \
            else []
        return np.array([piece.tolist() for piece in pieces], dtype="object")


def offset(sequences, start_char, index_from):
    """Adds `index_from` to every index and puts `start_char` in front of each sequence."""
    flat = sequences.flat + index_from if index_from else sequences.flat
    if start_char is None:
        return Sequences(flat, sequences.lengths)
    return Sequences(np.insert(flat, sequences.starts(), start_char), sequences.lengths + 1)


def shorter_than(maxlen, sequences, labels):
    """The sequences shorter than `maxlen` and their labels."""
    rows = sequences.lengths < maxlen
    return sequences.keep(rows), labels[rows]


def limit_vocabulary(sequences, num_words, skip_top, oov_char):
    """Replaces indices outside `[skip_top, num_words)` by `oov_char`, or drops them when
    `oov_char` is None. Without `num_words` the bound is the largest index (which Keras
    then also treats as out of vocabulary)."""
    if not num_words:
        num_words = int(sequences.flat.max()) if sequences.flat.size else 0
    known = (sequences.flat >= skip_top) & (sequences.flat < num_words)
    if oov_char is not None:
        return Sequences(np.where(known, sequences.flat, oov_char), sequences.lengths)
    lengths = np.bincount(sequences.segment_ids()[known], minlength=len(sequences.lengths))
    return Sequences(sequences.flat[known], lengths.astype(np.int64))


def concatenate(first, second):
    return Sequences(np.concatenate([first.flat, second.flat]),
                     np.concatenate([first.lengths, second.lengths]))


def split(sequences, count):
    """The first `count` sequences and the rest."""
    cut = int(sequences.lengths[:count].sum())
    return (Sequences(sequences.flat[:cut], sequences.lengths[:count]),
            Sequences(sequences.flat[cut:], sequences.lengths[count:]))
