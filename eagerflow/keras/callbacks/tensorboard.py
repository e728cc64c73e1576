"""`TensorBoard`: logs metrics, the learning rate, weight histograms and images, and the
model's config to event files TensorBoard reads (through `tf.summary`)."""

import contextlib
import json
import os
import time
import warnings

import eagerflow as tf
from eagerflow.framework.summary_ops import keras_model
from eagerflow.keras import backend
from eagerflow.keras.callbacks.callback import Callback


class TensorBoard(Callback):
    """Enable visualizations for TensorBoard.

    Writes, as Keras 3 does, the runs `<log_dir>/train` and `<log_dir>/validation`:
    `epoch_<metric>` scalars per epoch (the learning rate as `epoch_learning_rate`),
    `evaluation_<metric>_vs_iterations` at the end of each evaluation (step: the
    optimizer's iterations), `batch_<metric>` scalars with `update_freq="batch"` or N, the
    weight histograms `<weight path>/histogram` (and `<weight path>/image`) every
    `histogram_freq` epochs, the model's config (tag "keras") for the graph dashboard, and,
    with `profile_batch`, the graphs of the functions traced in those batches (tag
    "batch_<stop>", through `tf.summary.trace_export`; the train step is traced in batch 1).
    With an integer `update_freq`, Keras records every summary (epoch ones too) only while
    the current batch number is a multiple of it; eagerflow keeps that rule.

    Needs `tensorboardX` (`pip install eagerflow[tensorboard]`). The writers are flushed and
    closed at the end of `fit`.

    Use: `model.fit(x, y, callbacks=[keras.callbacks.TensorBoard("logs")])`, then
    `tensorboard --logdir logs`.

    Args:
      log_dir: the directory of the runs.
      histogram_freq: epochs between weight histograms (0: none).
      write_graph: write the model's config for TensorBoard's graph dashboard.
      write_images: also write the weights as images (with histograms).
      write_steps_per_second: log the training steps per second (batch and epoch).
      update_freq: "epoch", "batch", or N to log batch metrics every N batches.
      profile_batch: the batch (or `(start, stop)` batches) to trace; 0 for none. eagerflow
        has no profiler: the traced graphs are written, no profile (nonzero values warn).
      embeddings_freq, embeddings_metadata: accepted; embeddings are not written
        (nonzero `embeddings_freq` warns).
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True,
                 write_images=False, write_steps_per_second=False, update_freq="epoch",
                 profile_batch=0, embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self.log_dir = str(os.fspath(log_dir))
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self.profile_batch = profile_batch
        self._start_batch, self._stop_batch = _profile_batch_range(profile_batch)
        self._should_trace = self._stop_batch > 0
        self._is_tracing = False
        if self._should_trace:
            warnings.warn(f"TensorBoard(profile_batch={profile_batch!r}): eagerflow has no "
                          f"profiler; the traced graph is written, no profile.", stacklevel=2)
        if embeddings_freq:
            warnings.warn("TensorBoard(embeddings_freq=...): eagerflow does not write "
                          "embedding projector data.", stacklevel=2)
        self._writers = {}
        self._pushed = []
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0

    def set_model(self, model):
        """Sets the model, starts new writers and writes the model's config."""
        super().set_model(model)
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        if self.write_graph and type(model).__name__ in ("Functional", "Sequential"):
            from eagerflow.keras.saving.keras_file import _json_default
            from eagerflow.keras.serialization_lib import serialize_keras_object
            config = json.dumps(serialize_keras_object(model), default=_json_default)
            with self._train_writer.as_default():
                keras_model("keras", config, step=0)

    # Writers are created on first use, so a run that logs nothing leaves no file.
    @property
    def _train_writer(self):
        if "train" not in self._writers:
            self._writers["train"] = tf.summary.create_file_writer(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self):
        if "val" not in self._writers:
            self._writers["val"] = tf.summary.create_file_writer(self._val_dir)
        return self._writers["val"]

    def _push_writer(self, writer, step):
        """With batch-level logging, makes `writer` the default (at `step`) for the
        batch, recording when `step` is a multiple of `update_freq`."""
        if self.update_freq == "epoch":
            return
        stack = contextlib.ExitStack()
        stack.enter_context(writer.as_default(step))
        stack.enter_context(tf.summary.record_if(lambda: step % self.update_freq == 0))
        self._pushed.append(stack)

    def _pop_writer(self):
        if self.update_freq != "epoch" and self._pushed:
            self._pushed.pop().close()

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._push_writer(self._train_writer, self._global_train_batch)

    def on_train_end(self, logs=None):
        self._pop_writer()
        if self._is_tracing:
            self._stop_trace()
        for writer in self._writers.values():
            writer.close()

    def on_test_begin(self, logs=None):
        self._push_writer(self._val_writer, self._global_test_batch)

    def on_test_end(self, logs=None):
        iterations = getattr(self.model.optimizer, "iterations", None)
        if iterations is not None:
            with self._val_writer.as_default():
                for name, value in (logs or {}).items():
                    tf.summary.scalar(f"evaluation_{name}_vs_iterations", value,
                                      step=iterations)
        self._pop_writer()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._pop_writer()
        self._push_writer(self._train_writer, self._global_train_batch)
        if self.write_steps_per_second:
            self._batch_start_time = time.perf_counter()
        if self._should_trace and self._global_train_batch == self._start_batch:
            tf.summary.trace_on(graph=True, profiler=False)
            self._is_tracing = True

    def on_train_batch_end(self, batch, logs=None):
        if self.write_steps_per_second:
            tf.summary.scalar("batch_steps_per_second",
                              1.0 / (time.perf_counter() - self._batch_start_time),
                              step=self._global_train_batch)
        if isinstance(logs, dict):
            for name, value in logs.items():
                tf.summary.scalar(f"batch_{name}", value, step=self._global_train_batch)
        if self._is_tracing and self._global_train_batch >= self._stop_batch:
            self._stop_trace()

    def _stop_trace(self):
        """Writes the graphs traced since the trace began (as Keras: named and stepped
        after the last batch of `profile_batch`)."""
        with self._train_writer.as_default():
            tf.summary.trace_export(name=f"batch_{self._stop_batch}", step=self._stop_batch)
        self._is_tracing = False

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1
        self._pop_writer()
        self._push_writer(self._val_writer, self._global_test_batch)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = int(self.model.optimizer.iterations)
            self._epoch_start_time = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        """Writes the epoch's metrics, and the weights every `histogram_freq` epochs."""
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _learning_rates(self):
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer
        if optimizer is None or not hasattr(optimizer, "learning_rate"):
            return {}
        return {"learning_rate": float(optimizer.learning_rate)}

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[len("val_"):]: v for k, v in logs.items() if k.startswith("val_")}
        train_logs.update(self._learning_rates())
        if self.write_steps_per_second:
            steps = int(self.model.optimizer.iterations) - self._previous_epoch_iterations
            train_logs["steps_per_second"] = steps / (time.perf_counter() - self._epoch_start_time)
        for writer, run_logs in ((self._train_writer, train_logs),
                                 (self._val_writer if val_logs else None, val_logs)):
            if writer is None:
                continue
            with writer.as_default():
                for name, value in run_logs.items():
                    tf.summary.scalar(f"epoch_{name}", value, step=epoch)

    def _log_weights(self, epoch):
        with self._train_writer.as_default():
            for layer in self.model.layers:
                for weight in layer.weights:
                    name = weight.path.replace(":", "_")
                    tf.summary.histogram(f"{name}/histogram", weight, step=epoch)
                    if self.write_images:
                        self._log_weight_as_image(weight, f"{name}/image", epoch)

    def _log_weight_as_image(self, weight, name, epoch):
        """Biases as a column, dense kernels as one image (wider than tall), conv kernels
        as one image per output channel; other shapes are skipped."""
        image = tf.squeeze(weight)
        shape = image.shape.as_list()
        if len(shape) == 1:
            image = tf.reshape(image, [1, shape[0], 1, 1])
        elif len(shape) == 2:
            if shape[0] > shape[1]:
                image = tf.transpose(image)
                shape = shape[::-1]
            image = tf.reshape(image, [1, shape[0], shape[1], 1])
        elif len(shape) == 3:
            if backend.image_data_format() == "channels_last":
                image = tf.transpose(image, [2, 0, 1])
                shape = image.shape.as_list()
            image = tf.reshape(image, [shape[0], shape[1], shape[2], 1])
        if image.shape.rank == 4 and image.shape[-1] in (1, 3, 4):
            tf.summary.image(name, image, step=epoch)


def _profile_batch_range(profile_batch):
    """`(start, stop)` of a `profile_batch` given as N, `(start, stop)` or "start,stop"."""
    message = ("profile_batch must be a non-negative integer or 2-tuple of positive integers. "
               "A pair of positive integers signifies a range of batches to profile. Found: "
               f"{profile_batch}")
    value = profile_batch
    if isinstance(value, str):  # "start,stop" (a lone "N" is a list of one: an error)
        value = [int(part) for part in value.split(",")]
    if isinstance(value, int) and not isinstance(value, bool):
        start = stop = value
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        start, stop = value
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop
