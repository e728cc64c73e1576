"""The one timer the benchmarks share: best of several repeats, per call, in seconds."""

import importlib.util
import os
import timeit

# BLAS thread pools swing wildly on two shared cores; one thread gives stable ratios.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")


def per_call(fn, number=20000, repeat=7):
    """The fastest of `repeat` runs of `number` calls of `fn`, divided by `number`."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def single_threaded_tensorflow():
    """TensorFlow limited to one thread, as the BLAS is above; None when not installed."""
    if importlib.util.find_spec("tensorflow") is None:
        return None
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    return tf


def report(rows, floor_name="numpy"):
    """Prints `name: time per call (ratio to the floor)` for each (name, seconds) row."""
    floor = dict(rows)[floor_name]
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"  {name:<{width}}  {seconds * 1e6:8.3f} us   {seconds / floor:6.2f}x {floor_name}")
