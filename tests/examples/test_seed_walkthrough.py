"""The seed walkthrough prints what TensorFlow prints, line by line."""

import pathlib
import re
import subprocess
import sys

EXAMPLE = pathlib.Path(__file__).parents[2] / "examples" / "seed_walkthrough.py"

# Recorded from TF 2.21 running the same file with `import tensorflow as tf`. Lines of
# random values are patterns: the number format is checked, not the numbers.
NUMBER = r"-?\d+\.\d+(e[+-]\d+)?"
EXPECTED = [
    "tf.Tensor(",
    "[[0.]",
    " [0.]], shape=(2, 1), dtype=float32)",
    "<tf.Variable 'Variable:0' shape=(2, 1) dtype=float32, numpy=",
    re.compile(rf"array\(\[\[ ?{NUMBER} *\],"),
    re.compile(rf"       \[ ?{NUMBER} *\]\], dtype=float32\)>"),
    "<tf.Variable 'Variable:0' shape=(2, 1) dtype=float32, numpy=",
    "array([[8.],",
    "       [2.]], dtype=float32)>",
    "tf.Tensor(",
    "[[4. 4.]",
    " [4. 4.]], shape=(2, 2), dtype=float32)",
    "tf.Tensor(9.0, shape=(), dtype=float32) tf.Tensor(6.0, shape=(), dtype=float32)",
    "tf.Tensor(6.0, shape=(), dtype=float32)",
    "tf.Tensor(0.0, shape=(), dtype=float32) tf.Tensor(9.8, shape=(), dtype=float32)",
]


def test_walkthrough_prints_what_tensorflow_prints():
    run = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True,
                         check=True)
    lines = run.stdout.splitlines()
    assert len(lines) == len(EXPECTED), run.stdout
    for line, expected in zip(lines, EXPECTED):
        if isinstance(expected, str):
            assert line == expected
        else:
            assert expected.fullmatch(line), f"{line!r} does not match {expected.pattern!r}"
