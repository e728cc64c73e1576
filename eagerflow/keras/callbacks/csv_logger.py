"""`CSVLogger`: streams the epoch logs to a CSV file."""

import collections.abc
import csv
import os

import numpy as np

from eagerflow.keras.callbacks.callback import Callback


def _cell(value):
    """A log value as Keras writes it: 1-D iterables as a quoted "[a, b]" list."""
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (
            isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Callback that streams epoch results to a CSV file.

    The columns are "epoch" and the sorted log keys; when the first epoch has no validation
    logs, a "val_" column is added for each key anyway (written as "NA"). Values that are
    1-D iterables such as `np.ndarray` are written as lists.

    >>> import os, tempfile
    >>> from eagerflow import keras
    >>> path = os.path.join(tempfile.mkdtemp(), "training.log")
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0,
    ...               callbacks=[keras.callbacks.CSVLogger(path)])
    >>> with open(path) as f:
    ...     lines = f.read().splitlines()
    >>> lines[0], lines[1].endswith(",NA"), len(lines)
    ('epoch,loss,val_loss', True, 3)

    Args:
      filename: the path of the CSV file, e.g. "run/log.csv".
      separator: the string that separates the cells of a row.
      append: True appends to an existing file (to continue training); False overwrites it.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as existing:
                    self.append_header = not existing.readline()
            mode = "a"
        else:
            mode = "w"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode)
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend(f"val_{key}" for key in list(self.keys))
        if self.writer is None:
            dialect = type("CustomDialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
