"""A traced function's ops on constants alone run once, when its replay is built; ops that
read state beyond their inputs (Python functions, tables) and large results still run at
each call."""

import numpy as np
import pytest

import eagerflow as tf


def _replayed_ops(function, *args):
    program = function.get_concrete_function(*args)._program
    return program.run.source


def test_ops_on_constants_are_computed_once_and_give_the_same_values():
    table = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))

    def body(x):
        scale = tf.reduce_sum(table) / tf.cast(tf.size(table), tf.float32)  # constants only
        return x * scale + tf.ones_like(table)

    traced = tf.function(body)
    x = tf.constant(np.full((2, 3), 2.0, np.float32))
    np.testing.assert_array_equal(traced(x).numpy(), body(x).numpy())
    np.testing.assert_array_equal(traced(x).numpy(), np.full((2, 3), 6.0, np.float32))
    program = traced.get_concrete_function(x)._program
    ops = [node.op for node in program.nodes]
    assert {"Sum", "Size", "Cast", "RealDiv", "OnesLike"} <= set(ops)  # still in the graph
    _, folded = program._folded_constants()
    assert {ops[k] for k in folded} == {"Sum", "Size", "Cast", "RealDiv", "OnesLike"}
    assert program.run.source.count("= F") == len(ops) - len(folded)  # not replayed


def test_python_functions_on_constants_run_at_every_call():
    calls = []

    def record(value):
        calls.append(float(value))
        return value * 2

    @tf.function
    def body():
        constant = tf.constant(3.0)
        return (tf.numpy_function(record, [constant], tf.float32),
                tf.py_function(record, [constant], tf.float32))

    for _ in range(3):
        first, second = body()
        assert float(first) == 6.0 and float(second) == 6.0
    # Three traced calls, plus the calls made while tracing.
    assert len(calls) >= 6 and calls.count(3.0) == len(calls)
    before = len(calls)
    body()
    assert len(calls) == before + 2


def test_lookups_on_constant_keys_read_the_table_at_each_call():
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(["a", "b"], [5, 7]), default_value=-1)

    @tf.function
    def body():
        return table.lookup(tf.constant(["b", "z"]))

    assert body().numpy().tolist() == [7, -1]
    program = body.get_concrete_function()._program
    _, folded = program._folded_constants()
    assert all(program.nodes[k].op != "LookupTableFindV2" for k in folded)


def test_large_results_are_computed_at_each_call():
    @tf.function
    def body(x):
        return x + tf.broadcast_to(tf.constant(0.0), [600, 600])  # 1.4 MB: not kept

    x = tf.constant(1.0)
    assert body(x).shape == (600, 600) and float(body(x)[5, 5]) == 1.0
    program = body.get_concrete_function(x)._program
    ops = [node.op for node in program.nodes]
    _, folded = program._folded_constants()
    assert "BroadcastTo" in ops and ops.index("BroadcastTo") not in folded
    assert program.run.source.count("= F") == len(ops)


def test_an_op_on_constants_that_fails_still_raises_at_each_call():
    @tf.function
    def body(x):
        return x + tf.debugging.check_numerics(tf.constant(np.nan), "bad value")

    with pytest.raises(tf.errors.InvalidArgumentError, match="bad value"):
        body(tf.constant(1.0))
