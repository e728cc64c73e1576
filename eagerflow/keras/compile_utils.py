"""The loss and metrics that `compile` was given, applied across a model's outputs.

Both are resolved on the first batch, when the shapes are known: "accuracy" becomes
binary, categorical or sparse categorical accuracy from the shapes of the labels and the
predictions, as Keras 3 does. With several outputs, each output's loss is tracked as
`<output>_loss` and each metric is reported as `<output>_<metric>`.
"""

import eagerflow as tf


def _update_metric(metric, y_true, y_pred, sample_weight=None):
    """`metric.update_state`, with the mask the model attached to `y_pred` folded into the
    sample weights of averaged per-sample metrics, as Keras's `MeanMetricWrapper` does."""
    from eagerflow.keras.losses import apply_mask
    from eagerflow.keras.metrics.reduction_metrics import MeanMetricWrapper
    mask = getattr(y_pred, "_keras_mask", None)
    if mask is not None and isinstance(metric, MeanMetricWrapper):
        sample_weight = apply_mask(sample_weight, mask, metric.dtype, reduction="sum")
    metric.update_state(y_true, y_pred, sample_weight=sample_weight)


def _shape(value):
    return tuple(value.shape)


def is_binary_or_sparse_categorical(y_true, y_pred):
    """Keras's reading of the shapes: binary when the prediction has one unit; sparse when
    the labels have one axis fewer, or a last axis of 1 against several units."""
    true_shape, pred_shape = _shape(y_true), _shape(y_pred)
    true_last = true_shape[-1] if true_shape else None
    pred_last = pred_shape[-1] if pred_shape else None
    binary = pred_last == 1
    sparse = len(true_shape) < len(pred_shape) or (
        true_last == 1 and pred_last is not None and pred_last > 1)
    return binary, sparse


def _object_name(obj):
    return getattr(obj, "name", None) or getattr(obj, "__name__", None) or \
        type(obj).__name__


def get_metric(identifier, y_true, y_pred):
    """The metric object for one `compile(metrics=...)` entry."""
    from eagerflow.keras import metrics as metrics_module
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() in ("accuracy", "acc"):
        binary, sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if binary:
            metric = metrics_module.BinaryAccuracy(name=str(identifier))
        elif sparse:
            metric = metrics_module.SparseCategoricalAccuracy(name=str(identifier))
        else:
            metric = metrics_module.CategoricalAccuracy(name=str(identifier))
    else:
        metric = metrics_module.get(identifier)
    name = identifier if isinstance(identifier, str) else _object_name(metric)
    if not isinstance(metric, metrics_module.Metric):
        metric = metrics_module.MeanMetricWrapper(metric, name=name)
    metric.name = name
    return metric


def get_loss(identifier, y_true, y_pred):
    """The loss object for one `compile(loss=...)` entry; "crossentropy" and "ce" pick
    binary, sparse or categorical crossentropy from the shapes."""
    from eagerflow.keras import losses as losses_module
    if identifier is None:
        return None
    if str(identifier).lower() in ("crossentropy", "ce"):
        binary, sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if binary:
            loss = losses_module.binary_crossentropy
        elif sparse:
            loss = losses_module.sparse_categorical_crossentropy
        else:
            loss = losses_module.categorical_crossentropy
    else:
        loss = losses_module.get(identifier)
    if not isinstance(loss, losses_module.Loss):
        name = identifier if isinstance(identifier, str) else _object_name(loss)
        loss = losses_module.LossFunctionWrapper(loss, name=name)
    return loss


class _Outputs:
    """How a model's outputs are laid out: keys (for dicts) and names, in the order in
    which the outputs flatten (dict keys sorted)."""

    def __init__(self, y_pred, model_output_names, prefer_keys):
        if isinstance(y_pred, dict):
            self.keys = sorted(y_pred)
            if model_output_names and set(self.keys) == set(model_output_names):
                self.keys = list(model_output_names)
            self.count = len(self.keys)
            if model_output_names and len(model_output_names) == self.count \
                    and not prefer_keys:
                # Keras names the losses of dict outputs after the output layers.
                by_key = dict(zip(sorted(y_pred), model_output_names))
                self.names = [by_key[key] for key in self.keys]
            else:
                self.names = list(self.keys)
        else:
            self.keys = None
            self.count = len(y_pred) if isinstance(y_pred, (list, tuple)) else 1
            self.names = (list(model_output_names) if model_output_names
                          and len(model_output_names) == self.count else [None] * self.count)
        self.model_output_names = model_output_names

    def flatten(self, value, what):
        """`value` (predictions, labels or weights) as one entry per output."""
        if self.count == 1 and not isinstance(value, (list, tuple, dict)):
            return [value]
        if isinstance(value, dict):
            if self.keys is not None:
                missing = [key for key in self.keys if key not in value]
                if missing:
                    raise KeyError(f"The output key {missing[0]!r} can't be found in "
                                   f"`{what}`, whose keys are {sorted(value)}.")
                return [value[key] for key in self.keys]
            names = self.model_output_names or []
            if set(names) <= set(value) and names:
                return [value[name] for name in names]
            raise ValueError(f"`{what}` is a dict with keys {sorted(value)}, which do not "
                             f"match the model's output names {names}.")
        flat = list(value) if isinstance(value, (list, tuple)) else [value]
        if self.count == 1 and len(flat) == 1:
            return flat
        if len(flat) != self.count:
            raise ValueError(f"The model has {self.count} outputs, but `{what}` has "
                             f"{len(flat)} entries.")
        return flat

    def per_output(self, spec, what):
        """A `compile` argument (one value, a list or a dict) as one entry per output."""
        if isinstance(spec, dict):
            known = self.keys if self.keys is not None else (self.model_output_names or [])
            unknown = [key for key in spec if key not in known]
            if unknown:
                raise ValueError(f"In the dict argument `{what}`, key '{unknown[0]}' does not "
                                 f"correspond to any model output. Received: {what}={spec}")
            return [spec.get(key) for key in known]
        if isinstance(spec, (list, tuple)) and self.count > 1:
            if what == "loss" and len(spec) < self.count:
                # Keras applies a shorter list of losses to the first outputs.
                return list(spec) + [None] * (self.count - len(spec))
            if len(spec) != self.count:
                raise ValueError(f"For a model with {self.count} outputs, when providing the "
                                 f"`{what}` argument as a list, it should have as many entries "
                                 f"as the model has outputs. Received: {what}={spec}")
            return list(spec)
        return [spec] * self.count


class CompileLoss:
    """The compiled loss: one loss per output, multiplied by `loss_weights` and summed;
    with several losses, each one's unweighted value is tracked by a `Mean` metric named
    `<output>_loss`."""

    name = "compile_loss"

    def __init__(self, loss, loss_weights=None, output_names=None):
        if loss_weights is not None and not isinstance(loss_weights,
                                                       (list, tuple, dict, float, int)):
            raise ValueError(f"Expected `loss_weights` argument to be a float (single output "
                             f"case) or a list, tuple, or dict (multiple output case). "
                             f"Received instead: loss_weights={loss_weights} of type "
                             f"{type(loss_weights)}")
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self.metrics = []
        self._outputs = None
        self._losses = None  # per output: (loss, weight) or None
        self._trackers = {}  # output index -> the Mean tracking its loss

    def build(self, y_true, y_pred):
        from eagerflow.keras import metrics as metrics_module
        outputs = self._outputs = _Outputs(y_pred, self.output_names, prefer_keys=False)
        if isinstance(self._user_loss, dict) and outputs.keys is None \
                and self.output_names and set(self._user_loss) != set(self.output_names):
            raise ValueError(f"Expected keys {self.output_names} in loss dict, but found "
                             f"loss.keys()={list(self._user_loss)}")
        specs = outputs.per_output(self._user_loss, "loss")
        weights = self._user_loss_weights
        weights = [weights] * outputs.count if weights is None or isinstance(
            weights, (float, int)) else outputs.per_output(weights, "loss_weights")
        flat_true = self._flatten_true(y_true, specs)
        flat_pred = outputs.flatten(y_pred, "y_pred")
        self._losses = []
        for spec, weight, target, prediction in zip(specs, weights, flat_true, flat_pred):
            loss = get_loss(spec, target, prediction)
            self._losses.append(None if loss is None else (loss, weight))
        active = [i for i, entry in enumerate(self._losses) if entry is not None]
        self._trackers = {}
        if len(active) > 1:
            if isinstance(self._user_loss, dict) and outputs.keys is not None:
                # Keras tracks the losses in the order of the loss dict.
                order = [outputs.keys.index(key) for key in self._user_loss
                         if key in outputs.keys]
                active = [i for i in order if i in active]
            for index in active:
                name = outputs.names[index] or self._losses[index][0].name
                self._trackers[index] = metrics_module.Mean(name=f"{name}_loss")
                self.metrics.append(self._trackers[index])
        self.built = True

    def _flatten_true(self, y_true, specs):
        outputs = self._outputs
        if outputs.count > 1 and isinstance(y_true, (list, tuple)):
            needed = sum(spec is not None for spec in specs)
            if len(y_true) == needed < outputs.count:  # labels only for the outputs with a loss
                values = iter(y_true)
                return [next(values) if spec is not None else None for spec in specs]
        return outputs.flatten(y_true, "y_true")

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        outputs = self._outputs
        specs = [None if entry is None else entry[0] for entry in self._losses]
        flat_true = self._flatten_true(y_true, specs)
        flat_pred = outputs.flatten(y_pred, "y_pred")
        if sample_weight is not None and isinstance(sample_weight, (list, tuple, dict)) \
                and outputs.count > 1:
            flat_weights = outputs.flatten(sample_weight, "sample_weight")
        else:
            flat_weights = [sample_weight] * outputs.count
        total = None
        for index, (entry, target, prediction, weights) in enumerate(
                zip(self._losses, flat_true, flat_pred, flat_weights)):
            if entry is None:
                continue
            loss, loss_weight = entry
            value = loss(target, prediction, sample_weight=weights)
            if value.dtype != prediction.dtype and prediction.dtype.is_floating:
                value = tf.cast(value, prediction.dtype)
            tracker = self._trackers.get(index)
            if tracker is not None:
                tracker.update_state(value, sample_weight=int(prediction.shape[0]))
            if loss_weight is not None and loss_weight != 1:
                value = value * loss_weight
            total = value if total is None else total + value
        return total


class MetricsList:
    """The metrics of one output, reported with the output's name as a prefix."""

    def __init__(self, metrics, output_name=None):
        self.metrics = metrics
        self.output_name = output_name


class CompileMetrics:
    """The compiled metrics (and weighted metrics), resolved on the first batch; `result()`
    is a dict of name to value."""

    def __init__(self, metrics, weighted_metrics=None, output_names=None):
        for what, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value and not isinstance(value, (list, tuple, dict)):
                raise ValueError(f"Expected `{what}` argument to be a list, tuple, or dict. "
                                 f"Received instead: {what}={value} of type {type(value)}")
        self.name = "compile_metrics"
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self.output_names = output_names
        self.built = False
        self._outputs = None
        self._flat_metrics = []
        self._flat_weighted_metrics = []

    @property
    def metrics(self):
        if not self.built:
            return []
        return [metric for entry in self._flat_metrics + self._flat_weighted_metrics
                if entry is not None for metric in entry.metrics]

    @property
    def variables(self):
        return [v for metric in self.metrics for v in metric.variables]

    def check_identifiers(self):
        """Raises Keras's error for a metric name that names no metric; Keras's loops find
        it when they build the metrics, before the first loss."""
        from eagerflow.keras import metrics as metrics_module
        for spec in (self._user_metrics, self._user_weighted_metrics):
            for identifier in tf.nest.flatten(spec) if spec else []:
                if isinstance(identifier, str) and identifier.lower() not in (
                        "accuracy", "acc"):
                    metrics_module.get(identifier)

    def build(self, y_true, y_pred):
        outputs = self._outputs = _Outputs(y_pred, self.output_names, prefer_keys=True)
        flat_true = outputs.flatten(y_true, "y_true")
        flat_pred = outputs.flatten(y_pred, "y_pred")
        self._flat_metrics = self._build_set(self._user_metrics, flat_true, flat_pred,
                                             "metrics")
        self._flat_weighted_metrics = self._build_set(self._user_weighted_metrics, flat_true,
                                                      flat_pred, "weighted_metrics")
        self.built = True

    def _build_set(self, specs, flat_true, flat_pred, what):
        outputs = self._outputs
        if not specs:
            return [None] * outputs.count
        if outputs.count == 1:
            return [MetricsList([get_metric(m, flat_true[0], flat_pred[0])
                                 for m in tf.nest.flatten(specs)])]
        if isinstance(specs, dict) or (isinstance(specs, (list, tuple))
                                       and len(specs) == outputs.count):
            per_output = outputs.per_output(specs, what)
        else:
            raise ValueError(f"For a model with {outputs.count} outputs, `{what}` should be a "
                             f"list with one entry (a metric or a list of metrics) per output, "
                             f"or a dict keyed by output name {outputs.names}. Received: "
                             f"{what}={specs}")
        result = []
        for spec, target, prediction, name in zip(per_output, flat_true, flat_pred,
                                                  outputs.names):
            if spec is None:
                result.append(None)
                continue
            result.append(MetricsList([get_metric(m, target, prediction)
                                       for m in tf.nest.flatten(spec)], name))
        return result

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        outputs = self._outputs
        flat_true = outputs.flatten(y_true, "y_true")
        flat_pred = outputs.flatten(y_pred, "y_pred")
        for entry, target, prediction in zip(self._flat_metrics, flat_true, flat_pred):
            if entry is not None:
                for metric in entry.metrics:
                    _update_metric(metric, target, prediction)
        if not any(self._flat_weighted_metrics):
            return
        if sample_weight is not None and isinstance(sample_weight, (list, tuple, dict)) \
                and outputs.count > 1:
            flat_weights = outputs.flatten(sample_weight, "sample_weight")
        else:
            flat_weights = [sample_weight] * outputs.count
        for entry, target, prediction, weights in zip(self._flat_weighted_metrics, flat_true,
                                                      flat_pred, flat_weights):
            if entry is not None:
                for metric in entry.metrics:
                    _update_metric(metric, target, prediction, weights)

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()

    def result(self):
        if not self.built:
            return {}
        results, counts = {}, {}
        for entry in self._flat_metrics:
            if entry is None:
                continue
            for metric in entry.metrics:
                name = f"{entry.output_name}_{metric.name}" if entry.output_name \
                    else metric.name
                if name in counts:
                    counts[name] += 1
                    name = f"{name}_{counts[name] - 1}"
                else:
                    counts[name] = 1
                results[name] = metric.result()
        for entry in self._flat_weighted_metrics:
            if entry is None:
                continue
            for metric in entry.metrics:
                name = f"{entry.output_name}_{metric.name}" if entry.output_name \
                    else metric.name
                if name in counts:
                    name = f"weighted_{metric.name}"
                    if entry.output_name:
                        name = f"{entry.output_name}_{name}"
                    if name in counts:
                        counts[name] += 1
                        name = f"{name}_{counts[name] - 1}"
                    else:
                        counts[name] = 1
                else:
                    counts[name] = 1
                results[name] = metric.result()
        return results
