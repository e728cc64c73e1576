"""Training and inference loops: `compile`, `fit`, `evaluate`, `predict` and their steps.

The loops follow Keras 3's TensorFlow trainer: `train_step` runs the model under a
GradientTape, `compute_loss` adds the compiled loss and the model's own losses, the
optimizer applies the gradients, and `compute_metrics` returns every metric's value.
Override `train_step` (or `compute_loss`, `compute_metrics`) to change one part. The loops
run with denormal floats flushed to zero, as TensorFlow's kernels compute
(`framework.denormal`).
"""

import inspect
import warnings

import numpy as np

import eagerflow as tf
from eagerflow.framework import gradient_reasons
from eagerflow.framework.denormal import flushing
from eagerflow.framework.function.polymorphic import Function, QuietTracingDetector
from eagerflow.keras import data_adapter
from eagerflow.keras.callbacks.callback import CallbackList, pythonify_logs
from eagerflow.keras.compile_utils import CompileLoss, CompileMetrics
from eagerflow.keras.data_adapter import unpack_x_y_sample_weight


def _batch_size(x):
    first = next((v for v in tf.nest.flatten(x) if v is not None), None)
    return int(first.shape[0]) if first is not None and len(first.shape) else 1


class Trainer:
    """The training half of `keras.Model` (a Model is a Layer and a Trainer)."""

    def __init__(self):
        state = object.__setattr__  # none of this is tracked as layer state
        state(self, "compiled", False)
        state(self, "optimizer", None)
        state(self, "loss", None)
        state(self, "stop_training", False)
        state(self, "stop_evaluating", False)
        state(self, "stop_predicting", False)
        state(self, "history", None)
        state(self, "_loss_tracker", None)
        state(self, "_compile_loss", None)
        state(self, "_compile_metrics", None)
        state(self, "_compute_loss_has_training_arg", None)
        state(self, "run_eagerly", False)
        state(self, "_step_functions", {})

    # --- compile ------------------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configures the model for training.

        Args:
          optimizer: an optimizer name ("adam") or instance.
          loss: a loss name, function or instance; for several outputs, a list or a dict
            by output name (None for an output without a loss).
          loss_weights: a float, or a list or dict of floats, multiplying each output's
            loss in the total.
          metrics: metric names, functions or instances, for every output (one output) or
            per output (a list of lists, or a dict by output name). "accuracy" picks
            binary, categorical or sparse categorical accuracy from the shapes.
          weighted_metrics: metrics that take `sample_weight` and `class_weight` into
            account.
          run_eagerly: run `train_step`, `test_step` and `predict_step` as plain Python
            (for debugging) instead of as tf.functions, traced once per batch shape.
          steps_per_execution, jit_compile, auto_scale_loss: accepted for compatibility;
            eagerflow runs one step at a time.
        """
        from eagerflow.keras import metrics as metrics_module
        from eagerflow.keras import optimizers
        state = object.__setattr__
        state(self, "optimizer", optimizers.get(optimizer))
        state(self, "loss", loss)
        output_names = self._get_output_names()
        state(self, "_compile_loss", CompileLoss(loss, loss_weights, output_names)
              if loss is not None else None)
        state(self, "_compile_metrics", CompileMetrics(metrics, weighted_metrics, output_names)
              if metrics is not None or weighted_metrics is not None else None)
        state(self, "_loss_tracker", metrics_module.Mean(name="loss"))
        state(self, "compiled", True)
        state(self, "stop_training", False)
        state(self, "run_eagerly", bool(run_eagerly))
        state(self, "_step_functions", {})
        state(self, "_compile_config", {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
            "metrics": metrics, "weighted_metrics": weighted_metrics})

    def _get_output_names(self):
        names = getattr(self, "output_names", None)
        return list(names) if names else None

    @property
    def metrics(self):
        """The model's metrics: the loss tracker, the compiled metrics, the per-output
        loss trackers, then metrics tracked as attributes (here and in nested layers)."""
        result = []
        if self.compiled:
            if self._loss_tracker is not None:
                result.append(self._loss_tracker)
            if self._compile_metrics is not None:
                result.append(self._compile_metrics)
            if self._compile_loss is not None:
                result.extend(self._compile_loss.metrics)
        result.extend(self._metrics)
        for layer in self._flatten_layers(include_self=False):
            if not isinstance(layer, Trainer):
                result.extend(layer._metrics)
        return result

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def _assert_compiled(self):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")
        if self._compile_metrics is not None and not self._compile_metrics.built:
            self._compile_metrics.check_identifiers()

    # --- one step -----------------------------------------------------------------------

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss of `y_pred` against `y` plus the model's own losses
        (`add_loss` and weight regularization)."""
        losses = []
        if self._compile_loss is not None:
            loss = self._compile_loss(y, y_pred, sample_weight)
            if loss is not None:
                losses.append(loss)
        for loss in self.losses:
            if not loss.dtype.is_floating:
                loss = tf.cast(loss, "float32")
            losses.append(tf.reduce_sum(loss))
        if not losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        total = losses[0]
        for loss in losses[1:]:
            total = total + tf.cast(loss, total.dtype)
        return total

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """`compute_loss`, also when an override has no `training` argument."""
        has_training = self._compute_loss_has_training_arg
        if has_training is None:
            has_training = "training" in inspect.signature(self.compute_loss).parameters
            object.__setattr__(self, "_compute_loss_has_training_arg", has_training)
        if has_training:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics and returns every metric's current result."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """The values of `self.metrics` as a dict (the compiled metrics by their names)."""
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return logs

    def _model_call(self, x, training):
        if self._call_has_training_arg:
            return self(x, training=training)
        return self(x)

    def train_step(self, data):
        """One optimization step on a batch `(x, y, sample_weight)`; returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = self._model_call(x, training=True)
            loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                      training=True)
            scaled_loss = loss if self.optimizer is None else self.optimizer.scale_loss(loss)
        # Outside the tape: the tracker's update needs no gradient.
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        variables = self.trainable_weights
        if variables:
            # Names for the reason of a variable with no gradient ("the loss", ...).
            with gradient_reasons.labelled({"the loss": scaled_loss,
                                            "the model's output y_pred": y_pred}):
                gradients = tape.gradient(scaled_loss, variables)
            self.optimizer.apply_gradients(zip(gradients, variables))
        else:
            warnings.warn("The model does not have any trainable weights.")
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data):
        """Loss and metrics of a batch without training; returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self._model_call(x, training=False)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                  training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        """The model's outputs for a batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self._model_call(x, training=False)

    def _step_function(self, name):
        """`train_step`, `test_step` or `predict_step` as the loops run it: a tf.function
        (one trace per batch shape, as Keras's `make_train_function`), or the plain
        method with `run_eagerly`."""
        if self.run_eagerly:
            return getattr(self, name)
        function = self._step_functions.get(name)
        if function is None:
            # A trace per batch shape, where Keras relaxes shapes: no retracing warning.
            function = self._step_functions[name] = Function(
                getattr(self, name), _detector=QuietTracingDetector())
        return function

    def _metrics_or_logs(self, logs):
        """The metrics' values, unless a custom step returned other keys (then its logs)."""
        metric_logs = self.get_metrics_result()
        if isinstance(logs, dict) and set(logs) == set(metric_logs):
            return metric_logs
        return logs

    # --- loops --------------------------------------------------------------------------

    @flushing
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Trains the model for `epochs` epochs; returns its `History`.

        Args:
          x, y: NumPy arrays or tensors (lists or dicts of them for several inputs or
            outputs), or `x` alone as a dataset or a Python generator of `(x, y)` or
            `(x, y, sample_weight)` batches.
          batch_size: samples per step for array data (default 32).
          epochs: the epoch to stop at (training runs from `initial_epoch`).
          verbose: 0 silent, 1 progress bar, 2 one line per epoch; "auto" is 1.
          callbacks: `keras.callbacks.Callback` instances.
          validation_split: the fraction of the array data (taken from the end, before
            shuffling) held out to evaluate after each epoch.
          validation_data: `(x, y)` or `(x, y, sample_weight)`, or a dataset, evaluated
            after each epoch (logged with a `val_` prefix).
          shuffle: shuffle array data before each epoch ("batch" shuffles within batches).
          class_weight: `{class: weight}`, weighting each sample's loss by its class.
          sample_weight: one weight per sample (array data).
          steps_per_epoch: batches per epoch (default: the whole data).
          validation_freq: evaluate every this many epochs.
        """
        self._assert_compiled()
        if validation_split and validation_data is None:
            if not data_adapter.is_array_like(x):
                raise ValueError(f"Argument `validation_split` is only supported for tensors "
                                 f"or NumPy arrays.Found incompatible type in the input: "
                                 f"{[type(x)]}")
            (x, y, sample_weight), validation_data = data_adapter.train_validation_split(
                (x, y, sample_weight), validation_split)
        iterator = data_adapter.EpochIterator(x, y, sample_weight, batch_size, steps_per_epoch,
                                              shuffle, class_weight)
        if validation_data is not None:
            val_x, val_y, val_sample_weight = unpack_x_y_sample_weight(validation_data)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                     model=self, verbose=verbose, epochs=epochs,
                                     steps=iterator.num_batches)
        object.__setattr__(self, "stop_training", False)
        object.__setattr__(self, "_initial_epoch", None)  # a callback may resume (BackupAndRestore)
        callbacks.on_train_begin()
        initial_epoch = self._initial_epoch or initial_epoch
        training_logs = None
        logs = None
        train_function = self._step_function("train_step")
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for step, batch in iterator.steps():
                callbacks.on_train_batch_begin(step)
                logs = train_function(batch)
                callbacks.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            if logs is None:
                raise ValueError("Unexpected result of `train_function` (Empty logs). This "
                                 "could be due to issues in input pipeline that resulted in "
                                 "an empty dataset. Otherwise, please use "
                                 "`Model.compile(..., run_eagerly=True)`, or "
                                 "`tf.config.run_functions_eagerly(True)` for more "
                                 "information of where went wrong, or file a issue/bug to "
                                 "`keras`.")
            epoch_logs = dict(self._metrics_or_logs(logs))
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self.evaluate(val_x, val_y, sample_weight=val_sample_weight,
                                         batch_size=validation_batch_size or batch_size,
                                         steps=validation_steps, callbacks=callbacks,
                                         return_dict=True)
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        if epochs > initial_epoch and hasattr(self.optimizer, "finalize_variable_values"):
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(logs=training_logs)
        return self.history

    @flushing
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """The loss and metrics over the data: a list (the loss first, then the metrics
        in the order of `model.metrics`) or, with `return_dict`, a dict by name."""
        if kwargs:
            raise ValueError(f"Arguments not recognized: {kwargs}")
        self._assert_compiled()
        iterator = data_adapter.EpochIterator(x, y, sample_weight, batch_size, steps)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1, steps=iterator.num_batches)
        object.__setattr__(self, "stop_evaluating", False)
        callbacks.on_test_begin()
        logs = {}
        self.reset_metrics()
        test_function = self._step_function("test_step")
        for step, batch in iterator.steps():
            callbacks.on_test_batch_begin(step)
            logs = test_function(batch)
            callbacks.on_test_batch_end(step, logs)
            if self.stop_evaluating:
                break
        logs = pythonify_logs(self._metrics_or_logs(logs))
        callbacks.on_test_end(logs)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def _flatten_metrics_in_order(self, logs):
        """`logs` as a list: names of `model.metrics` first, in order, then the rest
        sorted; a single value alone."""
        names = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                names.extend(m.name for m in metric.metrics)
            else:
                names.append(metric.name)
        values = [logs[name] for name in names if name in logs]
        values += [logs[key] for key in sorted(logs) if key not in names]
        return values[0] if len(values) == 1 else values

    @flushing
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for `x`, batch by batch, as NumPy arrays."""
        iterator = data_adapter.EpochIterator(x, None, None, batch_size, steps)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1, steps=iterator.num_batches)
        object.__setattr__(self, "stop_predicting", False)
        callbacks.on_predict_begin()
        outputs = []
        predict_function = self._step_function("predict_step")
        for step, batch in iterator.steps():
            callbacks.on_predict_batch_begin(step)
            batch_outputs = tf.nest.map_structure(np.asarray, predict_function(batch))
            outputs.append(batch_outputs)
            callbacks.on_predict_batch_end(step, {"outputs": batch_outputs})
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        if not outputs:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). "
                             "Please use `Model.compile(..., run_eagerly=True)`, or "
                             "`tf.config.run_functions_eagerly(True)` for more information "
                             "of where went wrong, or file a issue/bug to `keras`.")
        return tf.nest.map_structure(lambda *parts: np.concatenate(parts), *outputs)

    @flushing
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One training step on exactly this batch; returns its loss and metrics."""
        self._assert_compiled()
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError(f"Arguments `sample_weight` and `class_weight` cannot be "
                                 f"specified at the same time. Received: sample_weight="
                                 f"{sample_weight}, class_weight={class_weight}")
            sample_weight = data_adapter.class_weight_to_sample_weights(y, class_weight)
        self.reset_metrics()
        logs = pythonify_logs(
            self._step_function("train_step")(_single_batch(x, y, sample_weight)))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    @flushing
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss and metrics of exactly this batch."""
        self._assert_compiled()
        self.reset_metrics()
        logs = pythonify_logs(
            self._step_function("test_step")(_single_batch(x, y, sample_weight)))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    # --- TF-Keras 2 names, kept as Keras 3 keeps them -----------------------------------

    @property
    def compiled_metrics(self):
        """Deprecated: `compiled_metrics.update_state(y, y_pred)` updates the compiled
        metrics; iterate over `self.metrics` instead."""
        model = self

        class CompiledMetrics:
            def update_state(self, y, y_pred, sample_weight=None):
                warnings.warn("`model.compiled_metrics()` is deprecated. Instead, use e.g.:\n"
                              "```\nfor metric in self.metrics:\n    "
                              "metric.update_state(y, y_pred)\n```\n", stacklevel=2)
                if model._compile_metrics is not None:
                    model._compile_metrics.update_state(y, y_pred, sample_weight)
        return CompiledMetrics()

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Deprecated: use `compute_loss(x, y, y_pred, sample_weight, training)`."""
        warnings.warn("`model.compiled_loss()` is deprecated. Instead, use "
                      "`model.compute_loss(x, y, y_pred, sample_weight, training)`.",
                      stacklevel=2)
        return self.compute_loss(x=None, y=y, y_pred=y_pred, sample_weight=sample_weight)

    @flushing
    def predict_on_batch(self, x):
        """The model's outputs for exactly this batch, as NumPy arrays."""
        return tf.nest.map_structure(
            np.asarray, self._step_function("predict_step")(_single_batch(x, None, None)))


def _single_batch(x, y, sample_weight):
    adapter = data_adapter.ArrayBatches(x, y, sample_weight, batch_size=1)
    x, y, sample_weight = tf.nest.map_structure(
        lambda a: None if a is None else tf.convert_to_tensor(a), adapter.data)
    return data_adapter.pack_x_y_sample_weight(x, y, sample_weight)
