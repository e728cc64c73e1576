"""tf.function printouts, warnings and errors compared with TensorFlow 2.21's (recorded)."""

import pytest

import eagerflow as tf
from eagerflow.framework.errors import InvalidArgumentError


# --- the frequent-retracing warning counts per Python code, across tf.functions ------------

def _retracing_warnings(caplog):
    return [r.getMessage().split(" triggered")[0] for r in caplog.records
            if "triggered tf.function retracing" in r.getMessage()]


def test_tf_function_created_in_a_loop_warns_on_the_fifth_trace(caplog):
    for i in range(6):
        @tf.function
        def h(x):
            return x * 2
        h(tf.constant(float(i)))
    warnings = _retracing_warnings(caplog)
    # TF 2.21: "5 out of the last 5 calls to <function h at 0x...>", then 6 of 6.
    assert [w.split(" calls to ")[0] for w in warnings] == [
        "5 out of the last 5", "6 out of the last 6"]
    assert all(w.split(" calls to ")[1].startswith("<function ") for w in warnings)


def test_methods_of_different_instances_share_the_count(caplog):
    class Model(tf.Module):
        @tf.function
        def __call__(self, x):
            return x + 1

    for i in range(5):
        Model()(tf.constant(float(i)))
    assert [w.split(" calls to ")[0] for w in _retracing_warnings(caplog)] == [
        "5 out of the last 5"]


# --- ConcreteFunction printouts -------------------------------------------------------------

SPEC = "TensorSpec(shape={}, dtype=tf.{}, name={})"


def test_str_of_a_concrete_function_lists_python_arguments_as_literals():
    @tf.function
    def f(x, a=None, b="s", c=1.5, d=(1, 2), e={"k": 3}, *, kw=True):
        return {"out": x, "t": (x, [x])}

    concrete = f.get_concrete_function(
        tf.TensorSpec([None], tf.float32, name="inp"), None, "s", 1.5, (1, tf.constant(2)),
        {"k": [tf.TensorSpec([2], tf.int32)]}, kw=False)
    x_out = SPEC.format("(None,)", "float32", None)
    assert str(concrete) == (  # recorded from TF 2.21
        "ConcreteFunction Input Parameters:\n"
        f"  x (POSITIONAL_OR_KEYWORD): {SPEC.format('(None,)', 'float32', repr('inp'))}\n"
        "  a (POSITIONAL_OR_KEYWORD): Literal[None]\n"
        "  b (POSITIONAL_OR_KEYWORD): Literal['s']\n"
        "  c (POSITIONAL_OR_KEYWORD): Literal[1.5]\n"
        f"  d (POSITIONAL_OR_KEYWORD): Tuple[Literal[1], {SPEC.format('()', 'int32', None)}]\n"
        "  e (POSITIONAL_OR_KEYWORD): "
        f"Dict[['k', List[{SPEC.format('(2,)', 'int32', None)}]]]\n"
        "  kw (KEYWORD_ONLY): Literal[False]\n"
        "Output Type:\n"
        f"  Dict[['out', {x_out}], ['t', Tuple[{x_out}, List[{x_out}]]]]\n"
        "Captures:\n"
        "  None")
    assert repr(concrete.structured_input_signature) == (  # recorded from TF 2.21
        f"(({SPEC.format('(None,)', 'float32', repr('inp'))}, None, 's', 1.5, "
        f"(1, {SPEC.format('()', 'int32', repr('d_1'))}), "
        f"{{'k': [{SPEC.format('(2,)', 'int32', repr('e_k_0'))}]}}), {{'kw': False}})")


def test_nested_arguments_are_named_by_their_paths():
    @tf.function
    def f(d, e):
        return d

    concrete = f.get_concrete_function((tf.constant(1), tf.constant(2)),
                                       {"b": tf.constant(1), "a": (tf.constant(3),)})
    spec = SPEC.format("()", "int32", "{}")
    assert repr(concrete.structured_input_signature) == (  # recorded from TF 2.21
        f"((({spec.format(repr('d_0'))}, {spec.format(repr('d_1'))}), "
        f"{{'b': {spec.format(repr('e_b'))}, 'a': ({spec.format(repr('e_a_0'))},)}}), {{}})")
    none = spec.format(None)
    assert str(concrete).splitlines()[1:3] == [
        f"  d (POSITIONAL_OR_KEYWORD): Tuple[{none}, {none}]",
        f"  e (POSITIONAL_OR_KEYWORD): Dict[['b', {none}], ['a', Tuple[{none}]]]"]


@pytest.mark.parametrize("body, output_type", [
    (lambda x: None, "Literal[None]"),
    (lambda x: (3, x), "Tuple[TensorSpec(shape=(), dtype=tf.int32, name=None), "
                       "TensorSpec(shape=(), dtype=tf.float32, name=None)]"),
    (lambda x: [x], "List[TensorSpec(shape=(), dtype=tf.float32, name=None)]"),
])  # recorded from TF 2.21
def test_output_types(body, output_type):
    concrete = tf.function(body).get_concrete_function(tf.constant(1.0))
    assert str(concrete).splitlines()[3] == "  " + output_type


def test_pretty_printed_concrete_signatures():
    @tf.function
    def my_relu(x):
        return tf.maximum(0., x)

    assert my_relu.pretty_printed_concrete_signatures() == ""
    my_relu(tf.constant(5.5))
    my_relu([1, -1])
    my_relu(tf.constant([3., -3.]))
    my_relu(tf.constant(-2.5))
    scalar = SPEC.format("()", "float32", None)
    pair = SPEC.format("(2,)", "float32", None)
    assert my_relu.pretty_printed_concrete_signatures() == (  # recorded from TF 2.21
        f"Input Parameters:\n  x (POSITIONAL_OR_KEYWORD): {scalar}\n"
        f"Output Type:\n  {scalar}\nCaptures:\n  None\n\n"
        "Input Parameters:\n  x (POSITIONAL_OR_KEYWORD): List[Literal[1], Literal[-1]]\n"
        f"Output Type:\n  {pair}\nCaptures:\n  None\n\n"
        f"Input Parameters:\n  x (POSITIONAL_OR_KEYWORD): {pair}\n"
        f"Output Type:\n  {pair}\nCaptures:\n  None")


def test_pretty_printed_signature_of_an_input_signature_needs_no_call():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="a"),
                                  tf.TensorSpec([], tf.int32)])
    def f(x, y):
        return x

    assert f.pretty_printed_concrete_signatures() == (  # recorded from TF 2.21
        "Input Parameters:\n"
        "  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(None,), dtype=tf.float32, name='a')\n"
        "  y (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(), dtype=tf.int32, name=None)\n"
        "Output Type:\n  TensorSpec(shape=(None,), dtype=tf.float32, name=None)\n"
        "Captures:\n  None")


def test_binding_error_shows_the_input_signature():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="a"),
                                  tf.TensorSpec([], tf.int32)])
    def f(x, y):
        return x

    with pytest.raises(TypeError) as info:
        f(tf.constant([1.]))
    assert str(info.value) == (  # recorded from TF 2.21
        "Binding inputs to tf.function failed due to `missing a required argument: 'y'`. "
        "Received args: (<tf.Tensor: shape=(1,), dtype=float32, numpy=array([1.], "
        "dtype=float32)>,) and kwargs: {} for signature: (x: TensorSpec(shape=(None,), "
        "dtype=tf.float32, name='a'), y: TensorSpec(shape=(), dtype=tf.int32, name=None)).")


# --- loops whose body read a loop tensor's value while tracing ------------------------------

def test_loop_indexing_with_the_loop_tensor_never_gives_a_wrong_sum():
    @tf.function
    def total(x):
        s = tf.constant(0.)
        for i in tf.range(3):
            s += x[i]
        return s

    # TF 2.21 gives 6.0: x[i] reads i at each iteration (it once gave 3.0: x[0] three times).
    assert float(total(tf.constant([1., 2., 3.]))) == 6.0
    assert float(total(tf.constant([1., 2., 4.]))) == 7.0
    assert total.experimental_get_tracing_count() == 1


def test_traced_indices_and_slice_bounds_are_read_at_each_call():
    @tf.function
    def parts(x, n):
        return x[1:n], x[n - 1], x[..., n - 2:]

    x = tf.constant([1., 2., 3.])
    first, item, last = parts(x, tf.constant(3))
    assert first.numpy().tolist() == [2., 3.] and float(item) == 3.
    assert last.numpy().tolist() == [2., 3.]
    first, item, last = parts(x, tf.constant(2))  # recorded from TF 2.21
    assert first.numpy().tolist() == [2.] and float(item) == 2.
    assert last.numpy().tolist() == [1., 2., 3.]
    assert parts.experimental_get_tracing_count() == 1


def test_gradients_through_traced_indices():
    v = tf.Variable([1., 2., 3.])

    @tf.function
    def grads(x, i):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x[i] ** 3 + v[i] * 2.
            first = inner.gradient(y, [x, v])
        return first, outer.gradient(first[0], x)

    (dx, dv), ddx = grads(tf.constant([1., 2., 3.]), tf.constant(2))
    assert dx.numpy().tolist() == [0., 0., 27.] and dv.numpy().tolist() == [0., 0., 2.]
    assert ddx.numpy().tolist() == [0., 0., 18.]


def test_loop_gathering_with_the_loop_tensor():
    @tf.function
    def total(x):
        s = tf.constant(0.)
        for i in tf.range(3):
            s += tf.gather(x, i)
        return s

    assert float(total(tf.constant([1., 2., 3.]))) == 6.0  # TF 2.21: 6.0


# --- errors while tracing: TensorFlow's "in user code:" message -----------------------------

def _user_code_message(function, offset, line, error):
    """TF 2.21's message for an error raised at `line` (`offset` lines below the decorator)."""
    lineno = function.python_function.__code__.co_firstlineno + offset
    return (f'in user code:\n\n    File "{__file__}", line {lineno}, in '
            f'{function.python_function.__name__}  *\n        {line}\n\n    {error}\n')


def test_variable_created_on_the_second_trace():
    @tf.function
    def f(x):
        v = tf.Variable(x)
        return v + 1

    with pytest.raises(ValueError) as info:
        f(tf.constant(1.0))
    assert str(info.value) == _user_code_message(f, 2, "v = tf.Variable(x)", (
        "ValueError: tf.function only supports singleton tf.Variables created on the first "
        "call. Make sure the tf.Variable is only created once or created outside tf.function. "
        "See https://www.tensorflow.org/guide/function#creating_tfvariables for more "
        "information."))


def test_bool_of_a_symbolic_tensor():
    @tf.function
    def f(x):
        return bool(x > 0)

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError) as info:
        f(tf.constant(1.0))
    assert str(info.value).startswith(_user_code_message(f, 2, "return bool(x > 0)", (
        "OperatorNotAllowedInGraphError: Using a symbolic `tf.Tensor` as a Python `bool` is "
        "not allowed."))[:-1])


def test_errors_without_autograph_keep_their_message():
    def f(x):
        v = tf.Variable(x)
        return v

    with pytest.raises(ValueError) as info:
        tf.function(f, autograph=False)(tf.constant(1.0))
    assert str(info.value).startswith("tf.function only supports singleton tf.Variables")


@pytest.mark.parametrize("else_value, error", [
    (lambda x: tf.constant(1), "TypeError: 'y' has dtype float32 in the main branch, but "
                               "dtype int32 in the else branch"),
    (lambda x: (x, x), "TypeError: 'y' must have the same nested structure in the main and "
                       "else branches:"),
])  # recorded from TF 2.21
def test_branches_that_disagree(else_value, error):
    @tf.function
    def f(x):
        if x > 0:
            y = x
        else:
            y = else_value(x)
        return y

    with pytest.raises(TypeError) as info:
        f(tf.constant(1.0))
    assert str(info.value).startswith(_user_code_message(f, 2, "if x > 0:", error)[:-1])


def test_returns_of_different_dtypes():
    @tf.function
    def f(x):
        if x > 0:
            return x
        else:
            return tf.constant(1)

    with pytest.raises(TypeError) as info:
        f(tf.constant(1.0))
    assert str(info.value) == _user_code_message(f, 2, "if x > 0:", (  # recorded from TF 2.21
        "TypeError: 'retval_' has dtype float32 in the main branch, but dtype int32 in the "
        "else branch"))


def test_python_values_of_different_types_in_the_branches():
    @tf.function
    def f(x):
        if x > 0:
            y = 1
        else:
            y = 2.5
        return y

    with pytest.raises(TypeError, match="'y' has dtype int32 in the main branch, but dtype "
                                        "float32 in the else branch"):  # as TF 2.21
        f(tf.constant(1.0))


@pytest.mark.parametrize("use", ["return", "operand"])
def test_variable_set_in_one_branch_then_used(use):
    @tf.function
    def f(x):
        if x > 0:
            y = x
        return y if use == "return" else y + 1

    with pytest.raises(ValueError) as info:
        f(tf.constant(1.0))
    assert str(info.value) == _user_code_message(f, 2, "if x > 0:", (  # recorded from TF 2.21
        "ValueError: 'y' must also be initialized in the else branch"))


def test_variable_set_in_the_else_branch_only():
    @tf.function
    def f(x):
        if x > 0:
            pass
        else:
            y = x
        return y

    with pytest.raises(ValueError, match="'y' must also be initialized in the main branch"):
        f(tf.constant(1.0))


def test_variable_set_in_one_branch_and_unused_after_is_fine():
    @tf.function
    def f(x):
        if x > 0:
            y = x
            z = y + 1
        else:
            z = x
        return z

    assert float(f(tf.constant(1.0))) == 2.0  # TF 2.21: 2.0


def test_concrete_function_called_with_another_dtype():
    @tf.function
    def my_relu(x):
        return tf.maximum(0., x)

    concrete = my_relu.get_concrete_function(tf.constant(5.5))
    # TF 2.21 (its number differs): "cannot compute __inference_my_relu_119 as input
    # #0(zero-based) was expected to be a float tensor but is a int32 tensor
    # [Op:__inference_my_relu_119]"
    with pytest.raises(InvalidArgumentError, match=(
            r"^cannot compute __inference_my_relu_(\d+) as input #0\(zero-based\) was "
            r"expected to be a float tensor but is a int32 tensor "
            r"\[Op:__inference_my_relu_\1\]$")):
        concrete(tf.constant(1))


def test_captured_variables_are_listed():
    v = tf.Variable(2.0)
    w = tf.Variable(3.0)

    @tf.function
    def f(x):
        return x * v + w

    text = str(f.get_concrete_function(tf.TensorSpec([], tf.float32)))
    # TF 2.21 lists each captured variable's handle by a number of its own.
    assert text.split("Captures:\n")[1].splitlines() == [
        f"  {id(v)}: TensorSpec(shape=(), dtype=tf.resource, name=None)",
        f"  {id(w)}: TensorSpec(shape=(), dtype=tf.resource, name=None)"]


def test_a_trace_from_a_signature_indexes_past_its_probe():
    # Traced from an input_signature alone, x holds a short probe: indices the loop reaches
    # past it shape the trace, and only a call's own out-of-range index is an error.
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def first_three(x):
        s = tf.constant(0.)
        for i in tf.range(3):
            s += x[i]
        return s

    concrete = first_three.get_concrete_function()
    assert float(concrete(tf.constant([1., 2., 5., 4.]))) == 8.0
    with pytest.raises(InvalidArgumentError, match="out of bounds"):
        first_three(tf.constant([1., 2.]))


def test_a_shape_read_from_a_traced_tensor_pins_the_trace():
    # The shape tensor's value shapes the trace: another value traces again (TF 2.21 gives
    # (2, 3) then (3, 2)); inside a loop body, which cannot be traced again, it is refused
    # instead of reshaping every iteration as the first.
    @tf.function
    def rows(x, n):
        return tf.reshape(x, tf.stack([n, -1]))

    assert rows(tf.range(6.), tf.constant(2)).shape == (2, 3)
    assert rows(tf.range(6.), tf.constant(3)).shape == (3, 2)

    @tf.function
    def first_rows(x, n):
        def body(i, s):
            return i + 1, s + tf.reduce_sum(tf.reshape(x, tf.stack([i, -1]))[0])
        return tf.while_loop(lambda i, s: i < n, body, (tf.constant(1), tf.constant(0.)))[1]

    with pytest.raises(InvalidArgumentError, match="cannot run for other values"):
        first_rows(tf.range(6.), tf.constant(4))
