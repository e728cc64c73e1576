"""`BackupAndRestore`: resumes an interrupted `fit` where its last backup left it."""

import json
import os
import shutil

from eagerflow.framework.atomic_file import atomic_write
from eagerflow.keras.callbacks.callback import Callback


class BackupAndRestore(Callback):
    """Backs up the training state during `fit`, and restores it when `fit` is called
    again after an interruption.

    The backup folder holds, as Keras 3.15 writes them, `latest.weights.h5` (the model's
    weights and the optimizer's state) and `training_metadata.json` (`{"epoch": ...,
    "batch": ...}`, the epoch to resume at); with `double_checkpoint`, the previous pair
    is kept as `*.bkp` and used when the latest cannot be read. A new `fit` with this
    callback loads them and starts at the saved epoch; a `fit` that completes deletes the
    folder (unless `delete_checkpoint=False`).

    >>> from eagerflow import keras
    >>> keras.callbacks.BackupAndRestore("/tmp/backup").save_freq
    'epoch'

    Args:
      backup_dir: the folder of the backup, used by no other callback or run.
      save_freq: "epoch" to back up at the end of each epoch, or a number of batches.
      double_checkpoint: whether to keep the previous backup as well.
      delete_checkpoint: whether to delete the backup when training completes.

    Raises:
      ValueError: for an empty `backup_dir` or an unknown `save_freq`.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and (not isinstance(save_freq, int)
                                     or isinstance(save_freq, bool)):
            raise ValueError(f"Invalid value for argument `save_freq`. Received: save_freq="
                             f"{save_freq}. Expected either 'epoch' or an integer value.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        self._current_epoch = 0
        self._last_batch_seen = 0
        self._batches_seen_since_last_saving = 0

    def on_train_begin(self, logs=None):
        if not self.model.built:
            raise ValueError(f"To use the BackupAndRestore callback, you model must be built "
                             f"before you call `fit()`. Model {self.model} is unbuilt. You "
                             f"can build it beforehand by calling it on a batch of data.")
        try:
            self._load_backup()
        except (OSError, ValueError):  # a damaged latest backup: fall back on the previous
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copyfile(self._prev_weights_path, self._weights_path)
            if os.path.exists(self._prev_training_metadata_path):
                shutil.copyfile(self._prev_training_metadata_path,
                                self._training_metadata_path)
            elif os.path.exists(self._training_metadata_path):
                os.remove(self._training_metadata_path)
            self._load_backup()

    def _load_backup(self):
        if os.path.exists(self._weights_path):
            optimizer = getattr(self.model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                optimizer.build(self.model.trainable_variables)
            self.model.load_weights(self._weights_path)
        if os.path.exists(self._training_metadata_path):
            with open(self._training_metadata_path, encoding="utf-8") as stream:
                try:
                    metadata = json.load(stream)
                    epoch = int(metadata["epoch"])
                except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
                    raise ValueError(f"Cannot resume from {self._training_metadata_path}: it "
                                     f"is not valid training metadata ({err!r}).") from err
            object.__setattr__(self.model, "_initial_epoch", epoch)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_backup()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_backup()

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # a new epoch: batches count from 0 again
            new_batches = batch + 1
        else:
            new_batches = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += new_batches
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_backup(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            for latest, previous in ((self._weights_path, self._prev_weights_path),
                                     (self._training_metadata_path,
                                      self._prev_training_metadata_path)):
                if os.path.exists(latest):
                    shutil.copyfile(latest, previous)
        self.model.save_weights(self._weights_path, overwrite=True)
        metadata = {"epoch": self._current_epoch, "batch": self._last_batch_seen}
        with atomic_write(self._training_metadata_path) as temporary:
            with open(temporary, "w", encoding="utf-8") as stream:
                json.dump(metadata, stream)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
