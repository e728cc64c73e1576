"""AutoGraph: each statement form traced inside tf.function gives the eager Python result."""

import traceback

import numpy as np

import pytest

import eagerflow as tf


def if_else(x):
    if x > 0:
        y = x * 2
        z = y + 1
    else:
        z = -x
    return z


def early_return(x):
    if x > 0:
        return x
    return -x * 10


def while_sum(n):
    i = 0
    total = 0
    while i < n:
        total += i
        i += 1
    return total


def for_range_with_break_and_continue(n):
    total = 0
    for i in tf.range(n):
        if i % 2 == 0:
            continue
        if i > 6:
            break
        total += i
    return total


def while_with_break(n):
    i = 0
    while i < 100:
        if i * i >= n:
            break
        i += 1
    return i


def first_square_above(x):
    for i in tf.range(10):
        if i * i > x:
            return i
    return -1


def for_over_rows(x):
    total = tf.constant(0.0)
    for row in x:
        total += tf.reduce_sum(row)
    return total


def python_conditions_stay_python(x):
    for i in range(3):
        x = x + i
    if 2 > 1:
        x = x * 2
    return x


CASES = [
    (if_else, [3.0, -2.0]),
    (early_return, [3.0, -2.0]),
    (while_sum, [5, 3, 0]),
    (for_range_with_break_and_continue, [5, 20]),
    (while_with_break, [10, 50]),
    (first_square_above, [10, 1000]),
    (python_conditions_stay_python, [1.0]),
]


@pytest.mark.parametrize("fn, values", CASES, ids=[c[0].__name__ for c in CASES])
def test_traced_statement_equals_eager_python(fn, values):
    traced = tf.function(fn)
    for value in values:
        expected = tf.convert_to_tensor(fn(tf.constant(value)))
        got = traced(tf.constant(value))
        assert got.dtype == expected.dtype
        assert got.numpy().tolist() == expected.numpy().tolist()
    assert traced.experimental_get_tracing_count() == 1  # one trace served every value


def test_for_over_tensor_rows_and_dataset():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert float(tf.function(for_over_rows)(x)) == float(for_over_rows(x)) == 10.0

    @tf.function
    def dataset_sum(ds):
        total = tf.constant(0)
        for element in ds:
            total += element
        return total

    assert int(dataset_sum(tf.data.Dataset.range(5).map(lambda v: tf.cast(v, tf.int32)))) == 10


def test_autograph_off_keeps_python_bool_error():
    @tf.function(autograph=False)
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
        f(tf.constant(1.0))


def test_errors_point_at_the_users_line():
    @tf.function
    def bad(x):
        if x > 0:
            y = tf.reshape(x, [5])  # the failing line
        else:
            y = x
        return y

    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        bad(tf.constant(1.0))
    frames = traceback.extract_tb(info.value.__traceback__)
    assert any(frame.filename == __file__ and frame.line.endswith("# the failing line")
               for frame in frames)


def test_variable_defined_in_one_branch_is_dropped_not_an_error():
    @tf.function
    def f(x):
        if x > 0:
            scratch = x + 1
            out = scratch * 2
        else:
            out = x
        return out

    assert float(f(tf.constant(1.0))) == 4.0
    assert float(f(tf.constant(-1.0))) == -1.0


def _helper_with_branch(x):
    if x > 0:
        return x * 10
    return -x


def _helper_calling_helper(x):
    return _helper_with_branch(x) + 1


class _Scaler:
    def scale(self, x):
        while tf.abs(x) < 100:
            x = x * 2
        return x

    @tf.function
    def __call__(self, x):
        return _helper_calling_helper(x) + self.scale(x)


def test_functions_the_trace_calls_are_converted_too():
    scaler = _Scaler()
    assert float(scaler(tf.constant(3.0))) == 31.0 + 192.0
    assert float(scaler(tf.constant(-3.0))) == 4.0 - 192.0
    assert scaler.__call__.experimental_get_tracing_count() == 1


def boolean_operators(x):
    i = 0
    while i < 10 and not x < i:  # `and` / `not` on tensors
        i += 1
    small = x if x < 3 else x * 0  # a conditional expression
    return i + small


def test_boolean_operators_and_conditional_expressions():
    traced = tf.function(boolean_operators)
    for value in (1, 5, 20):
        assert int(traced(tf.constant(value))) == int(boolean_operators(tf.constant(value)))
    assert traced.experimental_get_tracing_count() == 1


def test_dataset_loop_reads_the_dataset_at_every_call():
    data = tf.data.Dataset.from_tensor_slices(np.arange(6, dtype=np.float32))
    shuffled = data.shuffle(6, seed=1).batch(4)

    @tf.function
    def totals(ds):
        total, batches = tf.constant(0.0), 0
        for batch in ds:
            total += tf.reduce_sum(batch)
            batches += 1
        return total, batches

    @tf.function
    def first(ds):
        out = tf.constant(-1.0)
        for batch in ds:
            out = batch[0]
            break
        return out

    assert [float(v) for v in totals(shuffled)] == [15.0, 2.0]
    firsts = {float(first(shuffled)) for _ in range(8)}
    assert len(firsts) > 1  # reshuffled at each call, not a trace-time constant
    assert first.experimental_get_tracing_count() == 1


def test_to_code_and_do_not_convert():
    source = tf.autograph.to_code(early_return)
    assert source.startswith("def early_return(x):") and "ag__.if_stmt(x > 0" in source

    @tf.autograph.experimental.do_not_convert
    def python_only(x):
        if x > 0:
            return x
        return -x

    @tf.function
    def f(x):
        return python_only(x)

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
        f(tf.constant(1.0))
