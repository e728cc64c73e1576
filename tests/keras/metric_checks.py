"""Shared by the metrics tests: run a table row's updates and compare with Keras's result."""

import numpy as np

from eagerflow.keras import metrics


def random_scores():
    """300 binary labels and scores rounded to 0.01, so that many lie on thresholds; the
    data the `"RANDOM"` rows were recorded with."""
    rng = np.random.default_rng(7)
    y_true = (rng.random(300) < 0.4).astype("float32")
    y_pred = np.clip(0.35 * y_true + 0.65 * rng.random(300), 0, 1).astype("float32")
    return [y_true, np.round(y_pred, 2).astype("float32")]


def run_updates(class_name, kwargs, updates):
    """A new `metrics.<class_name>(**kwargs)` after `update_state(*args, **kw)` for each
    `(args, kw)` of `updates`, every input as float32 (as recorded from Keras)."""
    metric = getattr(metrics, class_name)(**kwargs)
    for args, update_kwargs in updates:
        args = random_scores() if args == ("RANDOM",) else args
        metric.update_state(*[np.asarray(a, "float32") for a in args],
                            **{k: np.asarray(v, "float32") for k, v in update_kwargs.items()})
    return metric


def check_row(class_name, kwargs, updates, expected):
    """The result after `updates` is float32 and equals Keras's `expected` (to float32
    rounding)."""
    result = run_updates(class_name, kwargs, updates).result()
    assert result.dtype.name == "float32"
    np.testing.assert_allclose(result.numpy(), np.asarray(expected, "float32"), rtol=1e-6,
                               atol=1e-6)
