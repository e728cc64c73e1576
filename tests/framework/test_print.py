"""tf.print; every expected printout was recorded from TensorFlow 2.21."""

import logging
import sys

import numpy as np
import pytest

import eagerflow as tf
from tests.framework.recording_trace import recorded_ops

CASES = [
    ((tf.constant(3),), {}, "3\n"),
    ((tf.constant(3.5),), {}, "3.5\n"),
    ((tf.constant([1.0, 2.5, 3.0]),), {}, "[1 2.5 3]\n"),
    ((tf.range(10),), {}, "[0 1 2 ... 7 8 9]\n"),
    ((tf.range(10),), {"summarize": -1}, "[0 1 2 3 4 5 6 7 8 9]\n"),
    ((tf.range(10),), {"summarize": 2}, "[0 1 ... 8 9]\n"),
    ((tf.range(10),), {"summarize": 0}, "[ ...]\n"),
    ((tf.range(10),), {"summarize": None}, "[0 1 2 ... 7 8 9]\n"),
    ((tf.range(6),), {}, "[0 1 2 3 4 5]\n"),
    ((tf.range(7),), {}, "[0 1 2 ... 4 5 6]\n"),
    ((tf.reshape(tf.range(30), (5, 6)),), {},
     "[[0 1 2 3 4 5]\n [6 7 8 9 10 11]\n [12 13 14 15 16 17]\n [18 19 20 21 22 23]\n"
     " [24 25 26 27 28 29]]\n"),
    ((tf.reshape(tf.range(100), (10, 10)),), {},
     "[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n"
     " [70 71 72 ... 77 78 79]\n [80 81 82 ... 87 88 89]\n [90 91 92 ... 97 98 99]]\n"),
    ((tf.reshape(tf.range(24), (2, 3, 4)),), {"summarize": 1},
     "[[[0 ... 3]\n  ...\n  [8 ... 11]]\n\n [[12 ... 15]\n  ...\n  [20 ... 23]]]\n"),
    ((tf.reshape(tf.range(24), (2, 3, 4)),), {"summarize": 2},
     "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n"
     "  [20 21 22 23]]]\n"),
    ((tf.zeros((2, 2, 2, 2)),), {},
     "[[[[0 0]\n   [0 0]]\n\n  [[0 0]\n   [0 0]]]\n\n\n [[[0 0]\n   [0 0]]\n\n  [[0 0]\n"
     "   [0 0]]]]\n"),
    (("hello", tf.constant("str"), tf.constant(["a", "b"])), {}, 'hello "str" ["a" "b"]\n'),
    ((tf.constant("x\ny"),), {}, "x\ny\n"),
    ((tf.constant("a"), 1), {}, '"a" 1\n'),
    (([tf.constant("a")],), {}, '["a"]\n'),
    ((tf.constant(["it's", 'a"b', "x\ny"]),), {}, '["it\\\'s" "a\\"b" "x\\ny"]\n'),
    ((tf.constant(["caf\u00e9", "t\tb", "\x01"]),), {}, '["caf\u00e9" "t\\tb" "\\001"]\n'),
    ((tf.constant([["a", "b"], ["c", "d"]]),), {}, '[["a" "b"]\n ["c" "d"]]\n'),
    ((tf.constant(["a"] * 10),), {}, '["a" "a" "a" ... "a" "a" "a"]\n'),
    ((1, 2.5, True, None, [1, 2], {"a": 1}, (3, 4)), {}, "1 2.5 True None [1, 2] {'a': 1} (3, 4)\n"),
    (([tf.constant(1), {"a": tf.constant([1.0, 2.0])}],), {}, "[1, {'a': [1 2]}]\n"),
    (([[tf.constant(1), tf.constant(2)], tf.constant(3)],), {}, "[[1, 2], 3]\n"),
    (({"b": 1, "a": tf.constant(2)},), {}, "{'a': 2, 'b': 1}\n"),
    ((({"b": tf.constant(1), "a": 2}),), {}, "{'a': 2, 'b': 1}\n"),
    (((tf.constant([1, 2]), (tf.constant(3.5), "s")),), {}, "([1 2], (3.5, 's'))\n"),
    ((["a", tf.constant(1)],), {}, "['a', 1]\n"),
    ((["{x}", tf.constant(1)],), {}, "['{x}', 1]\n"),
    (("{}", tf.constant(1)), {}, "{} 1\n"),
    (("%s %d", tf.constant(1)), {}, "%s %d 1\n"),
    (("a{b}c",), {}, "a{b}c\n"),
    (("a", "", "b"), {}, "a  b\n"),
    ((1, 2, 3), {"sep": ", ", "end": "!\n"}, "1, 2, 3!\n"),
    ((tf.constant(1), tf.constant([2, 3])), {"sep": "\n"}, "1\n[2 3]\n"),
    (("x",), {"end": ""}, "x"),
    ((), {}, "\n"),
    ((tf.constant([True, False]),), {}, "[1 0]\n"),
    ((tf.constant(True),), {}, "1\n"),
    ((tf.constant([0.1, 1e-8, 1e8, -2.0, np.inf, np.nan]),), {},
     "[0.1 1e-08 1e+08 -2 inf nan]\n"),
    ((tf.constant([0.1, 1 / 3], dtype=tf.float64),), {}, "[0.1 0.33333333333333331]\n"),
    ((tf.constant([1 / 3, 2 / 3, 100.123456789]),), {}, "[0.333333343 0.666666687 100.123459]\n"),
    ((tf.constant([0.1, 1e20, 1e-20, 123456789.123], tf.float64),), {},
     "[0.1 1e+20 1e-20 123456789.123]\n"),
    ((tf.constant([1e20, 1e-20, 5e-40, 16777217.0, 0.5, -0.0]),), {},
     "[1e+20 1e-20 0 16777216 0.5 -0]\n"),
    ((tf.constant([123456789.0, 1.0]),), {}, "[123456792 1]\n"),
    ((tf.constant([[0.5, -1.25], [1e-3, 3e9]]),), {}, "[[0.5 -1.25]\n [0.001 3e+09]]\n"),
    ((tf.constant([1 / 3, 1000.1, 65504], tf.float16),), {}, "[0.333251953 1000 65504]\n"),
    ((tf.constant([1 + 2j]),), {}, "[?]\n"),
    ((tf.constant([1, 255], tf.uint8), tf.constant([-1, 2], tf.int8)), {}, "[1 255] [-1 2]\n"),
    ((tf.constant([2**64 - 1], tf.uint64),), {}, "[18446744073709551615]\n"),
    ((tf.constant([], tf.float32),), {}, "[]\n"),
    ((tf.zeros((0, 3)), tf.zeros((3, 0))), {}, "[] [\n ...]\n"),
    ((tf.zeros((2, 0)),), {}, "[\n ...]\n"),
    ((tf.constant([[5]]),), {}, "[[5]]\n"),
    ((tf.Variable([1.0, 2.0]),), {}, "[1 2]\n"),
    ((tf.Variable([1, 2, 3, 4, 5, 6, 7]),), {}, "[1 2 3 ... 5 6 7]\n"),
    ((np.array([1.0, 2.0]),), {}, "array([1., 2.])\n"),
    ((b"bytes",), {}, "b'bytes'\n"),
    ((object,), {}, "<class 'object'>\n"),
    (([tf.constant(i) for i in range(8)],), {}, "[0, 1, 2, 3, 4, 5, 6, 7]\n"),
    (([tf.constant(i) for i in range(14)],), {},
     "[" + ",\n ".join(str(i) for i in range(14)) + "]\n"),
    ((list(range(40)),), {}, "[" + ",\n ".join(str(i) for i in range(40)) + "]\n"),
    (({f"key{i}": tf.constant(i) for i in range(8)},), {},
     "{" + ",\n ".join(f"'key{i}': {i}" for i in range(8)) + "}\n"),
]


@pytest.mark.parametrize("inputs, kwargs, expected", CASES)
def test_printout_matches_tensorflow(inputs, kwargs, expected, capsys):
    tf.print(*inputs, output_stream=sys.stdout, **kwargs)
    assert capsys.readouterr().out == expected


def test_objects_print_by_repr(capsys):
    class Shown:
        def __str__(self):
            return "STR"

        def __repr__(self):
            return "REPR"

    tf.print(Shown(), [Shown(), tf.constant(1)], output_stream=sys.stdout)
    assert capsys.readouterr().out == "REPR [REPR, 1]\n"


def test_default_stream_is_stderr_and_returns_none(capsys):
    assert tf.print("to", tf.constant([1, 2])) is None
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "to [1 2]\n")


def test_file_stream_appends(tmp_path):
    path = tmp_path / "out.txt"
    tf.print("to file", 1, output_stream=f"file://{path}")
    tf.print("to file2", tf.constant([1.5]), output_stream=f"file://{path}")
    assert path.read_text() == "to file 1\nto file2 [1.5]\n"


def test_logging_streams(caplog):
    with caplog.at_level(logging.INFO):
        tf.print("logged", tf.constant(2), output_stream=logging.info)
        tf.print("warned", output_stream=logging.WARNING)
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "logged 2"), (logging.WARNING, "warned")]


def test_unsupported_stream_and_keyword():
    with pytest.raises(ValueError, match="Unsupported output stream, logging level, or "
                                         "file.bogus. Supported streams are sys.stdout"):
        tf.print(1, output_stream="bogus")
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments for tf.print: "
                                         r"\{'foo': 2\}"):
        tf.print(1, foo=2)


def test_a_trace_records_the_print_and_its_replay_prints(capsys):
    with recorded_ops() as ops:
        tf.print("Executing with", tf.constant([1, 2]), output_stream=sys.stdout)
    assert capsys.readouterr().out == ""  # tracing runs the op on probes: nothing printed
    (op,) = ops
    assert op.type == "PrintV2" and op.outputs == ()
    for value in ([3, 4], [5, 6]):  # a replay calls the forward with the recorded attrs
        op.primitive.forward([np.array(value, np.int32)], **op.attrs)
    assert capsys.readouterr().out == "Executing with [3 4]\nExecuting with [5 6]\n"


def test_a_tape_does_not_record_the_print(capsys):
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        tf.print(x, output_stream=sys.stdout)
        y = x * x
    assert float(tape.gradient(y, x)) == 4.0
    assert capsys.readouterr().out == "2\n"
