"""Per-op overhead: a 2x2 float32 `add` and `matmul`, with no tape and under a tape.

Prints the time per op and its ratio to the raw NumPy call (and TensorFlow's eager time
when TensorFlow is installed). Targets: no tape <= 2.5x NumPy; under a tape with a
watched input <= 6x NumPy.
"""

import importlib.util

import numpy as np

from timing import per_call, report

import eagerflow as ef


def measure(op_name, np_op, ef_op):
    a = np.ones((2, 2), np.float32)
    b = np.ones((2, 2), np.float32)
    x, y = ef.constant(a), ef.constant(b)
    rows = [("numpy", per_call(lambda: np_op(a, b))),
            ("eagerflow", per_call(lambda: ef_op(x, y)))]
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(x)
        # Each call is recorded; reset now and then so the tape stays small.
        rows.append(("eagerflow, tape", per_call(lambda: ef_op(x, y), number=5000)))
    if importlib.util.find_spec("tensorflow") is not None:
        import tensorflow as tf
        tx, ty = tf.constant(a), tf.constant(b)
        tf_op = getattr(tf, op_name)
        rows.append(("tensorflow", per_call(lambda: tf_op(tx, ty), number=5000)))
        with tf.GradientTape(persistent=True) as tf_tape:
            tf_tape.watch(tx)
            rows.append(("tensorflow, tape", per_call(lambda: tf_op(tx, ty), number=2000)))
    print(f"{op_name} 2x2 float32:")
    report(rows)


if __name__ == "__main__":
    measure("add", np.add, ef.add)
    measure("matmul", np.matmul, ef.matmul)
