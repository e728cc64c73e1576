"""AutoGraph: rewrites a function's Python `if`, `while` and `for` so that, on tensors, they
become tf.cond and tf.while_loop (on Python values they stay Python).

The source is parsed with `ast` and rewritten in three passes: `return` inside a compound
statement becomes a flag and a value; `break` and `continue` become flags that guard the
statements after them; then each `if`, `while` and `for` becomes a call to a runtime helper
(`if_stmt`, `while_stmt`, `for_stmt`) given its branches or body as nested functions that
take and return the variables the statement assigns. Calls go through `converted_call`,
which converts the user's own functions the same way when a trace calls them (library
code — eagerflow, the standard library, installed packages — runs as it is). The
rewritten code keeps the user's file name and line numbers, so tracebacks point at the
user's own lines.
"""

import ast
import inspect
import linecache
import os
import sys
import sysconfig
import textwrap
import types
import weakref

from eagerflow.framework import nest
from eagerflow.framework.function.graph import is_symbolic
from eagerflow.framework.op import active_trace, stateful
from eagerflow.framework.tensor import Tensor, convert_to_tensor

_PREFIX = "ag__"


# --- the runtime the rewritten code calls ----------------------------------------------------

class Undefined:
    """The value of a variable not yet assigned when a converted statement starts.

    After a tensor `if` that assigned it in one branch only, it carries TensorFlow's error,
    raised where the variable is used (returned, or an operand).
    """

    def __init__(self, name, error=None):
        self.name = name
        self.error = error

    def __repr__(self):
        return f"<undefined variable {self.name!r}>"

    def _used(self, *args):
        if self.error is not None:
            raise self.error
        return NotImplemented


# Binary operators only: where there is no error, NotImplemented gives Python's TypeError.
for _operator in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and",
                  "or", "xor"):
    setattr(Undefined, f"__{_operator}__", Undefined._used)
    setattr(Undefined, f"__r{_operator}__", Undefined._used)
for _operator in ("lt", "le", "gt", "ge"):
    setattr(Undefined, f"__{_operator}__", Undefined._used)


def add_user_frames(err):
    """Rewrites the message of `err`, raised while tracing converted code, as TensorFlow's
    "in user code:" message: the user's frames it passed through, then the message."""
    if getattr(err, "_user_frames", None) == ():
        return  # rewritten already (by an inner tf.function)
    frames = list(getattr(err, "_user_frames", None) or ())
    if not frames:
        for filename, lineno, name in _traceback_frames(err.__traceback__):
            if name.startswith(_PREFIX) and frames:
                frames[-1][1] = lineno  # a branch or loop body: still the same function
            else:
                frames.append([filename, lineno, name])
    if not frames:
        return
    lines = ["in user code:", ""]
    for filename, lineno, name in frames:
        lines.append(f'    File "{filename}", line {lineno}, in {name}  *')
        lines.append("        " + linecache.getline(filename, lineno).strip())
    lines.append("")
    original = f"{type(err).__name__}: {err}"
    lines.extend("    " + line for line in original.split("\n"))
    message = "\n".join(lines) + "\n"
    if hasattr(err, "_message"):  # tf.errors classes keep theirs apart from `args`
        err._message = message
    else:
        err.args = (message,)
    err._user_frames = ()


def _traceback_frames(tb):
    """(file, line, function) of the user's frames in a traceback, outermost first."""
    while tb is not None:
        code = tb.tb_frame.f_code
        if not os.path.abspath(code.co_filename).startswith(_LIBRARY_PATHS):
            yield code.co_filename, tb.tb_lineno, code.co_name
        tb = tb.tb_next


def _user_frame():
    """[file, line, function] of the converted code that called an AutoGraph helper (a
    branch's or loop's nested function counts as the function that holds it)."""
    frame = sys._getframe(2)
    where = [frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name]
    while frame is not None and (frame.f_code.co_name.startswith(_PREFIX) or os.path.abspath(
            frame.f_code.co_filename).startswith(_LIBRARY_PATHS)):
        frame = frame.f_back
    if frame is not None:
        where[2] = frame.f_code.co_name
    return where


def _shown(name):
    """A variable's name in TensorFlow's messages (`return` values are 'retval_')."""
    return "retval_" if name == _PREFIX + "retval" else name


def ld(scope, name):
    """`name`'s value in the local scope, or an Undefined marker."""
    return scope.get(name, Undefined(name))


def _cond_ops():
    from eagerflow.ops import control_flow_ops  # the ops floor: imported when first needed
    return control_flow_ops


def not_any(*flags):
    """`not (flag or ...)`, as a tensor when a flag is one."""
    if any(is_symbolic(f) for f in flags):
        from eagerflow.ops import math_ops
        result = convert_to_tensor(False)
        for f in flags:
            result = math_ops.logical_or(result, convert_to_tensor(f))
        return math_ops.logical_not(result)
    return not any(bool(f) for f in flags)


def and_not(test, flag):
    """`test() and not flag`, as a tensor when either is one."""
    value = test()
    if is_symbolic(value) or is_symbolic(flag):
        from eagerflow.ops import math_ops
        return math_ops.logical_and(convert_to_tensor(value),
                                    math_ops.logical_not(convert_to_tensor(flag)))
    return bool(value) and not bool(flag)


def if_exp(test, true_fn, false_fn):
    """`a if test else b` — tf.cond when `test` is a symbolic tensor."""
    if is_symbolic(test):
        return _cond_ops().cond(test, true_fn, false_fn)
    return true_fn() if test else false_fn()


def and_(*operands):
    """`a and b and ...` (each operand a thunk): tf.logical_and once a value is a tensor."""
    value = operands[0]()
    for operand in operands[1:]:
        if is_symbolic(value):
            from eagerflow.ops import math_ops
            value = math_ops.logical_and(value, convert_to_tensor(operand()))
        elif not value:
            return value
        else:
            value = operand()
    return value


def or_(*operands):
    """`a or b or ...` (each operand a thunk): tf.logical_or once a value is a tensor."""
    value = operands[0]()
    for operand in operands[1:]:
        if is_symbolic(value):
            from eagerflow.ops import math_ops
            value = math_ops.logical_or(value, convert_to_tensor(operand()))
        elif value:
            return value
        else:
            value = operand()
    return value


def not_(value):
    """`not value`: tf.logical_not for a symbolic tensor."""
    if is_symbolic(value):
        from eagerflow.ops import math_ops
        return math_ops.logical_not(value)
    return not value


def if_stmt(test, true_fn, false_fn, state, names):
    """`if test:` — tf.cond when `test` is a symbolic tensor, else Python."""
    if not is_symbolic(test):
        return true_fn(*state) if test else false_fn(*state)
    kept, unchanged = [], {}
    where = _user_frame()

    def reconcile(results):
        """The variables both branches define go through the cond; the return value of a
        branch that did not return is zeros; one object in both stays Python."""
        from eagerflow.ops import creation_ops
        true_out, false_out = list(results[0]), list(results[1])
        flats = [[], []]
        for k, name in enumerate(names):
            a, b = true_out[k], false_out[k]
            if a is b and not isinstance(a, Tensor):
                unchanged[k] = a  # the same Python object either way: no tensor to select
                continue
            if isinstance(a, Undefined) or isinstance(b, Undefined):
                if name != _PREFIX + "retval" or isinstance(a, Undefined) == isinstance(
                        b, Undefined):
                    if isinstance(a, Undefined) != isinstance(b, Undefined):
                        # Defined in one branch only: an error where it is used after.
                        branch = "main" if isinstance(a, Undefined) else "else"
                        error = ValueError(
                            f"'{name}' must also be initialized in the {branch} branch")
                        error._user_frames = [where]  # the `if`, as TensorFlow shows it
                        unchanged[k] = Undefined(name, error)
                    continue
                zeros = creation_ops.zeros_like(convert_to_tensor(b if isinstance(
                    a, Undefined) else a))
                a, b = (zeros, b) if isinstance(a, Undefined) else (a, zeros)
            _check_same_structure(name, a, b)
            if isinstance(a, Tensor) == isinstance(b, Tensor):
                # Two tensors, or two Python values: each keeps its own dtype.
                a, b = convert_to_tensor(a), convert_to_tensor(b)
                if a.dtype != b.dtype:
                    raise TypeError(f"'{_shown(name)}' has dtype {a.dtype.name} in the main "
                                    f"branch, but dtype {b.dtype.name} in the else branch")
            elif isinstance(b, Tensor):
                a = convert_to_tensor(a, b.dtype)  # a Python number takes the tensor's dtype
            else:
                b = convert_to_tensor(b, a.dtype)
            kept.append(k)
            flats[0].append(a)
            flats[1].append(b)
        return flats, [None] * len(kept)

    outputs = _cond_ops().traced_cond(test, lambda: true_fn(*state),
                                      lambda: false_fn(*state), reconcile=reconcile)
    final = [unchanged.get(k, Undefined(names[k])) for k in range(len(names))]
    for k, value in zip(kept, outputs):
        final[k] = value
    return tuple(final)


def _check_same_structure(name, a, b):
    try:
        nest.assert_same_structure(a, b, check_types=False)
    except (ValueError, TypeError) as err:
        raise TypeError(f"'{_shown(name)}' must have the same nested structure in the main "
                        f"and else branches:\n\n{err}") from None


def while_stmt(test, body, state, names):
    """`while test:` — tf.while_loop when the test is a symbolic tensor, else Python."""
    first = test(*state)
    while not is_symbolic(first):  # a Python loop, until its test turns into a tensor
        if not first:
            return state
        state = body(*state)
        first = test(*state)
    defined = [k for k, v in enumerate(state) if not isinstance(v, Undefined)]
    return _traced_loop(test, body, state, names, defined)


def _traced_loop(test, body, state, names, defined):
    control_flow_ops = _cond_ops()
    if len(defined) < len(state):
        state, defined = _define_in_body(body, state, defined)

    def full(values):
        full_state = list(state)
        for k, v in zip(defined, values):
            full_state[k] = v
        return full_state

    def loop_test(*values):
        return test(*full(values))

    def loop_body(*values):
        new_state = body(*full(values))
        return tuple(_loop_value(new_state[k], names[k]) for k in defined)

    initial = tuple(_loop_value(state[k], names[k]) for k in defined)
    final = control_flow_ops.while_loop(loop_test, loop_body, initial)
    return tuple(full(final))


def _define_in_body(body, state, defined):
    """Variables first assigned inside a tensor loop (a `return` value among them) start
    as zeros of the type one throwaway trace of the body gives them, as TensorFlow does."""
    from eagerflow.framework.function.graph import start_subprogram
    from eagerflow.ops import creation_ops

    def full(values):
        full_state = list(state)
        for k, v in zip(defined, values):
            full_state[k] = v
        return full_state

    probes = [convert_to_tensor(state[k])._value for k in defined]
    trial = start_subprogram(lambda *values: body(*full(values)), probes, [""] * len(probes))
    trial.sub.close()
    state = list(state)
    for k, value in enumerate(trial.result):
        if isinstance(state[k], Undefined) and not isinstance(value, Undefined):
            state[k] = creation_ops.zeros_like(convert_to_tensor(value))
    return state, [k for k, v in enumerate(state) if not isinstance(v, Undefined)]


def _loop_value(value, name):
    if isinstance(value, Undefined):
        raise ValueError(f"'{name}' must be defined before the loop.")
    return value


class _Range:
    """`range`/`tf.range` arguments with a symbolic bound, iterated without materializing."""

    def __init__(self, start, limit, delta):
        self.start, self.limit, self.delta = start, limit, delta


def range_call(fn, *args):
    """`fn(*args)` for `range`/`tf.range`, kept lazy when a bound is a symbolic tensor."""
    if any(is_symbolic(a) for a in args):
        start, limit, delta = (0, args[0], 1) if len(args) == 1 else (
            args[0], args[1], args[2] if len(args) > 2 else 1)
        return _Range(start, limit, delta)
    return fn(*args)


def for_stmt(iterable, extra_test, body, state, names):
    """`for target in iterable:` — a tf.while_loop over a tensor's rows or a symbolic
    range; Python iteration over anything else (a Dataset's elements too)."""
    if isinstance(iterable, _Range):
        return _for_range(iterable, extra_test, body, state, names)
    if isinstance(iterable, Tensor) and active_trace() is not None:
        return _for_tensor(iterable, extra_test, body, state, names)
    if hasattr(iterable, "element_spec") and active_trace() is not None:
        traced = _for_dataset(iterable, extra_test, body, state, names)
        if traced is not None:
            return traced
    for item in iterable:
        if extra_test is not None and not extra_test(*state):
            break
        state = body(item, *state)
    return state


def _for_range(spec, extra_test, body, state, names):
    from eagerflow.ops import math_ops
    start = convert_to_tensor(spec.start)
    limit = convert_to_tensor(spec.limit, start.dtype)
    delta = convert_to_tensor(spec.delta, start.dtype)

    def in_range(i):  # toward `limit` from either side, as `range` counts
        return math_ops.where(math_ops.greater(delta, 0), math_ops.less(i, limit),
                              math_ops.greater(i, limit))

    return _index_loop(start, in_range, lambda i: i, delta, extra_test, body, state, names)


def _for_tensor(tensor, extra_test, body, state, names):
    from eagerflow.ops import math_ops
    from eagerflow.ops.tensor_array_ops import TensorArray
    rows = TensorArray(tensor.dtype).unstack(tensor)
    n = rows.size()
    return _index_loop(convert_to_tensor(0), lambda i: math_ops.less(i, n), rows.read,
                       convert_to_tensor(1), extra_test, body, state, names)


def _for_dataset(dataset, extra_test, body, state, names):
    """A loop over a tf.data.Dataset whose elements are read at every execution: recorded
    nodes start an iterator and take its next element, as TensorFlow's iterator ops do.
    None for a dataset empty while tracing (the loop then runs, emptily, in Python)."""
    from eagerflow.ops import math_ops
    holder = {}

    @stateful("MakeIterator")
    def start():
        holder["iterator"] = iter(dataset)
        return convert_to_tensor(0)

    @stateful("IteratorGetNextAsOptional")
    def advance():
        try:
            element = next(holder["iterator"])
        except StopIteration:
            return convert_to_tensor(False)
        holder["structure"] = element
        holder["flat"] = [convert_to_tensor(t) for t in nest.flatten(element)]
        return convert_to_tensor(True)

    @stateful("OptionalGetValue")
    def current():
        return list(holder["flat"])

    start()
    if "flat" not in holder and not _has_element(dataset):
        return None

    def test(*values):
        ok = advance()
        if extra_test is not None:
            ok = math_ops.logical_and(ok, convert_to_tensor(extra_test(*values)))
        return ok

    def step(*values):
        return tuple(body(nest.pack_sequence_as(holder["structure"], current()), *values))

    defined = [k for k, v in enumerate(state) if not isinstance(v, Undefined)]
    return _traced_loop(test, step, state, names, defined)


def _has_element(dataset):
    for _ in dataset:
        return True
    return False


def _index_loop(start, in_range, item_at, delta, extra_test, body, state, names):
    from eagerflow.ops import math_ops
    defined = [k for k, v in enumerate(state) if not isinstance(v, Undefined)]
    counter = _PREFIX + "index"

    def test(i, *values):
        ok = in_range(i)
        if extra_test is not None:
            ok = math_ops.logical_and(ok, convert_to_tensor(extra_test(*values)))
        return ok

    def step(i, *values):
        return (math_ops.add(i, delta),) + tuple(body(item_at(i), *values))

    result = _traced_loop(test, step, (start,) + tuple(state), (counter,) + tuple(names),
                          [0] + [k + 1 for k in defined])
    return tuple(result[1:])


# --- the source rewriting ---------------------------------------------------------------------

def convert(function):
    """The AutoGraph version of `function`, or `function` itself when its source cannot be
    read (a lambda, a builtin, code typed at a prompt) or holds nothing to convert."""
    if isinstance(function, types.MethodType):
        converted = convert(function.__func__)
        return types.MethodType(converted, function.__self__)
    if (not isinstance(function, types.FunctionType) or function.__name__ == "<lambda>"
            or _PREFIX in function.__code__.co_freevars  # a lambda, or converted already
            or getattr(function, "__autograph_do_not_convert__", False)):
        return function
    try:
        source = textwrap.dedent(inspect.getsource(function))
        filename = inspect.getsourcefile(function) or "<autograph>"
        _, first_line = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return function
    tree = ast.parse(source)
    definition = tree.body[0]
    if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return function
    nodes = list(ast.walk(definition))
    if (not any(isinstance(node, (ast.If, ast.While, ast.For, ast.Call, ast.BoolOp,
                                  ast.IfExp, ast.UnaryOp)) for node in nodes)
            or any(isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await, ast.Nonlocal))
                   for node in nodes)):
        return function  # nothing to convert, or code whose meaning a rewrite would change
    definition.decorator_list = []
    _Rewriter().rewrite(definition)
    _CallRewriter().visit(definition)
    free = list(function.__code__.co_freevars)
    factory = ast.FunctionDef(
        name=_PREFIX + "factory",
        args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=_PREFIX)] + [
            ast.arg(arg=name) for name in free], kwonlyargs=[], kw_defaults=[], defaults=[]),
        body=[definition, ast.Return(value=ast.Name(id=definition.name, ctx=ast.Load()))],
        decorator_list=[], returns=None, type_params=[])
    module = ast.Module(body=[factory], type_ignores=[])
    ast.fix_missing_locations(module)
    ast.increment_lineno(module, first_line - 1)
    code = compile(module, filename, "exec")
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    try:
        cells = [cell.cell_contents for cell in function.__closure__ or ()]
    except ValueError:  # a closure cell not yet filled
        return function
    runtime = sys.modules[__name__]
    built = types.FunctionType(factory_code, function.__globals__)(runtime, *cells)
    built.__defaults__ = function.__defaults__
    built.__kwdefaults__ = function.__kwdefaults__
    built.__wrapped_by_autograph__ = function
    built.__autograph_source__ = ast.unparse(definition)
    return built


def to_code(entity, recursive=True, experimental_optional_features=None):
    """The Python source AutoGraph makes of `entity` (eagerflow's rewriting, not
    TensorFlow's text).

    >>> def relu(x):
    ...     return x if x > 0 else 0.0
    >>> "ag__.if_exp" in tf.autograph.to_code(relu)
    True
    """
    converted = convert(entity.python_function if hasattr(entity, "python_function")
                        else entity)
    source = getattr(converted, "__autograph_source__", None)
    return source if source is not None else textwrap.dedent(inspect.getsource(entity))


def do_not_convert(func=None):
    """Marks `func` to run as written inside tf.function: AutoGraph leaves it alone."""
    def mark(f):
        f.__autograph_do_not_convert__ = True
        return f
    return mark if func is None else mark(func)


# The places library code lives: its functions are called as they are, never converted.
_EAGERFLOW_PATH = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_LIBRARY_PATHS = tuple({_EAGERFLOW_PATH + os.sep,
                        sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"],
                        sysconfig.get_paths()["platlib"]})
_converted = weakref.WeakKeyDictionary()


def converted_call(fn):
    """`fn`, converted by AutoGraph when it is the user's own Python function and a trace is
    running (the rewritten code calls `converted_call(f)(*args)` for each `f(*args)`)."""
    if active_trace() is None:
        return fn
    target = fn.__func__ if isinstance(fn, types.MethodType) else fn
    if not isinstance(target, types.FunctionType) or target.__name__ == "<lambda>":
        return fn
    if os.path.abspath(target.__code__.co_filename).startswith(_LIBRARY_PATHS):
        return fn
    converted = _converted.get(target)
    if converted is None:
        converted = _converted[target] = convert(target)
    return types.MethodType(converted, fn.__self__) if target is not fn else converted


# Builtins that read their caller's frame: calling them through a helper would change what
# they see.
_FRAME_BUILTINS = frozenset({"super", "locals", "globals", "vars", "eval", "exec", "dir"})


class _CallRewriter(ast.NodeTransformer):
    """`f(args)` -> `ag__.converted_call(f)(args)`, except AutoGraph's own calls; `and`,
    `or`, `not` and `a if c else b` -> runtime helpers that accept tensors."""

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        helper = "and_" if isinstance(node.op, ast.And) else "or_"
        thunks = [ast.Lambda(args=_no_args(), body=value) for value in node.values]
        return ast.copy_location(_call(helper, *thunks), node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return ast.copy_location(_call("not_", node.operand), node)
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return ast.copy_location(_call("if_exp", node.test,
                                       ast.Lambda(args=_no_args(), body=node.body),
                                       ast.Lambda(args=_no_args(), body=node.orelse)), node)

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Name) and func.id in _FRAME_BUILTINS:
            return node
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == _PREFIX):
            return node
        node.func = ast.copy_location(_call("converted_call", func), func)
        return node


def _call(name, *args):
    return ast.Call(func=ast.Attribute(value=ast.Name(id=_PREFIX, ctx=ast.Load()), attr=name,
                                       ctx=ast.Load()), args=list(args), keywords=[])


def _name(name, store=False):
    return ast.Name(id=name, ctx=ast.Store() if store else ast.Load())


def _assigned_names(statements):
    """Names the statements assign (not inside nested functions, lambdas or classes)."""
    names = []

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name not in names:
                names.append(node.name)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                             ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            if node.id not in names:
                names.append(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for statement in statements:
        visit(statement)
    return names


def _state_tuple(names, store=False):
    if store:
        return ast.Tuple(elts=[_name(n, store=True) for n in names], ctx=ast.Store())
    return ast.Tuple(elts=[_call("ld", ast.Call(func=_name("locals"), args=[], keywords=[]),
                                 ast.Constant(n)) for n in names], ctx=ast.Load())


def _def(name, params, body, returns):
    body = list(body) or [ast.Pass()]
    body.append(ast.Return(value=ast.Tuple(elts=[_name(n) for n in returns], ctx=ast.Load())))
    return ast.FunctionDef(
        name=name, args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=p) for p in params],
                                      kwonlyargs=[], kw_defaults=[], defaults=[]),
        body=body, decorator_list=[], returns=None, type_params=[])


def _contains(statements, kinds, stop_at_loops=False):
    for statement in statements:
        for node in _walk(statement, stop_at_loops):
            if isinstance(node, kinds):
                return True
    return False


def _walk(node, stop_at_loops):
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if stop_at_loops and isinstance(child, (ast.While, ast.For)):
            continue
        yield from _walk(child, stop_at_loops)


class _Rewriter:
    """The three passes over one function definition."""

    def __init__(self):
        self.count = 0

    def fresh(self, stem):
        self.count += 1
        return f"{_PREFIX}{stem}_{self.count}"

    def rewrite(self, definition):
        body = definition.body
        nested_return = any(_contains(s.body if hasattr(s, "body") else [], ast.Return)
                            or _contains(getattr(s, "orelse", []), ast.Return)
                            for s in body if isinstance(s, (ast.If, ast.While, ast.For)))
        if nested_return:
            body = self.lower_returns(body)
        body = self.lower_loop_exits(body)
        definition.body = self.convert(body)

    # --- pass 1: return -> flag and value ------------------------------------------------

    def lower_returns(self, body):
        flag, value = _PREFIX + "do_return", _PREFIX + "retval"
        prologue = [ast.Assign(targets=[_name(flag, True)], value=ast.Constant(False)),
                    ast.Assign(targets=[_name(value, True)],
                               value=_call("Undefined", ast.Constant(value)))]
        lowered = self._lower_return_block(body, flag, value)
        return prologue + lowered + [ast.Return(value=_name(value))]

    def _lower_return_block(self, statements, flag, value):
        out = []
        for k, statement in enumerate(statements):
            may_return = False
            if isinstance(statement, ast.Return):
                out.append(ast.Assign(targets=[_name(flag, True)], value=ast.Constant(True)))
                out.append(ast.Assign(targets=[_name(value, True)],
                                      value=statement.value or ast.Constant(None)))
                return out  # nothing after a return runs
            if isinstance(statement, ast.If):
                may_return = _contains([statement], ast.Return)
                statement.body = self._lower_return_block(statement.body, flag, value)
                statement.orelse = self._lower_return_block(statement.orelse, flag, value)
            elif isinstance(statement, (ast.While, ast.For)):
                may_return = _contains([statement], ast.Return)
                statement.body = self._lower_return_block(statement.body, flag, value)
                if may_return:  # a return leaves the loop: it breaks too
                    statement.body = self._break_after_flag(statement.body, flag)
            out.append(statement)
            if may_return and statements[k + 1:]:
                rest = self._lower_return_block(statements[k + 1:], flag, value)
                out.append(ast.If(test=_call("not_any", _name(flag)), body=rest, orelse=[]))
                return out
        return out

    def _break_after_flag(self, body, flag):
        return body + [ast.If(test=_name(flag), body=[ast.Break()], orelse=[])]

    # --- pass 2: break / continue -> flags -------------------------------------------------

    def lower_loop_exits(self, statements):
        for statement in statements:
            for node in _walk(statement, False):
                if isinstance(node, (ast.While, ast.For)) and not getattr(node, "_lowered",
                                                                          False):
                    node._lowered = True
                    self._lower_loop(node)
        return statements

    def _lower_loop(self, loop):
        has_break = _contains(loop.body, ast.Break, stop_at_loops=True)
        has_continue = _contains(loop.body, ast.Continue, stop_at_loops=True)
        loop._break_flag = None
        if not (has_break or has_continue):
            return
        break_flag = self.fresh("break") if has_break else None
        continue_flag = self.fresh("continue") if has_continue else None
        flags = [f for f in (break_flag, continue_flag) if f]
        body = self._lower_exit_block(loop.body, break_flag, continue_flag, flags)
        if continue_flag:
            body = [ast.Assign(targets=[_name(continue_flag, True)],
                               value=ast.Constant(False))] + body
        loop.body = body
        loop._break_flag = break_flag
        loop._prologue = ([ast.Assign(targets=[_name(break_flag, True)],
                                      value=ast.Constant(False))] if break_flag else [])
        if continue_flag:
            loop._prologue.append(ast.Assign(targets=[_name(continue_flag, True)],
                                             value=ast.Constant(False)))

    def _lower_exit_block(self, statements, break_flag, continue_flag, flags):
        out = []
        for k, statement in enumerate(statements):
            if isinstance(statement, ast.Break):
                out.append(ast.Assign(targets=[_name(break_flag, True)],
                                      value=ast.Constant(True)))
                return out
            if isinstance(statement, ast.Continue):
                out.append(ast.Assign(targets=[_name(continue_flag, True)],
                                      value=ast.Constant(True)))
                return out
            exits = False
            if isinstance(statement, ast.If):
                exits = _contains([statement], (ast.Break, ast.Continue), stop_at_loops=True)
                statement.body = self._lower_exit_block(statement.body, break_flag,
                                                        continue_flag, flags)
                statement.orelse = self._lower_exit_block(statement.orelse, break_flag,
                                                          continue_flag, flags)
            out.append(statement)
            if exits and statements[k + 1:]:
                rest = self._lower_exit_block(statements[k + 1:], break_flag, continue_flag,
                                              flags)
                out.append(ast.If(test=_call("not_any", *[_name(f) for f in flags]),
                                  body=rest, orelse=[]))
                return out
        return out

    # --- pass 3: if / while / for -> runtime calls ------------------------------------------

    def convert(self, statements):
        out = []
        for statement in statements:
            out.extend(self.convert_statement(statement))
        return out

    def convert_statement(self, statement):
        if isinstance(statement, ast.If):
            return self.convert_if(statement)
        if isinstance(statement, ast.While) and not statement.orelse:
            return self.convert_while(statement)
        if isinstance(statement, ast.For) and not statement.orelse:
            return self.convert_for(statement)
        for field in ("body", "orelse", "finalbody"):
            if isinstance(getattr(statement, field, None), list) and not isinstance(
                    statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                setattr(statement, field, self.convert(getattr(statement, field)))
        return [statement]

    def convert_if(self, node):
        body, orelse = self.convert(node.body), self.convert(node.orelse)
        names = _assigned_names(node.body + node.orelse)
        true_name, false_name = self.fresh("if_true"), self.fresh("if_false")
        call = _call("if_stmt", node.test, _name(true_name), _name(false_name),
                     _state_tuple(names), ast.Tuple(elts=[ast.Constant(n) for n in names],
                                                   ctx=ast.Load()))
        ast.copy_location(call, node.test)  # errors of the `if` itself point at its line
        result = [_def(true_name, names, body, names), _def(false_name, names, orelse, names)]
        if names:
            result.append(ast.Assign(targets=[_state_tuple(names, store=True)], value=call))
        else:
            result.append(ast.Expr(value=call))
        return [ast.copy_location(n, node) for n in result]

    def convert_while(self, node):
        prologue = getattr(node, "_prologue", [])
        body = self.convert(node.body)
        names = _assigned_names(prologue + node.body)
        test = node.test
        if node._break_flag if hasattr(node, "_break_flag") else False:
            test = _call("and_not", ast.Lambda(args=_no_args(), body=test),
                         _name(node._break_flag))
        test_name, body_name = self.fresh("while_test"), self.fresh("while_body")
        test_def = ast.FunctionDef(
            name=test_name, args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=n)
                                                                     for n in names],
                                               kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=[ast.Return(value=test)], decorator_list=[], returns=None, type_params=[])
        call = _call("while_stmt", _name(test_name), _name(body_name), _state_tuple(names),
                     ast.Tuple(elts=[ast.Constant(n) for n in names], ctx=ast.Load()))
        result = list(prologue) + [test_def, _def(body_name, names, body, names)]
        result.append(ast.Assign(targets=[_state_tuple(names, store=True)], value=call)
                      if names else ast.Expr(value=call))
        return [ast.copy_location(n, node) for n in result]

    def convert_for(self, node):
        prologue = getattr(node, "_prologue", [])
        body = self.convert(node.body)
        names = [n for n in _assigned_names(prologue + node.body)]
        target_names = _assigned_names([ast.Assign(targets=[node.target],
                                                   value=ast.Constant(None))])
        item = _PREFIX + "item"
        body = [ast.Assign(targets=[node.target], value=_name(item))] + body
        names = [n for n in names if n not in target_names]
        extra_test = ast.Constant(None)
        break_flag = getattr(node, "_break_flag", None)
        if break_flag:
            extra_test = ast.Lambda(args=ast.arguments(
                posonlyargs=[], args=[ast.arg(arg=n) for n in names], kwonlyargs=[],
                kw_defaults=[], defaults=[]), body=_call("not_any", _name(break_flag)))
        iterable = node.iter
        if (isinstance(iterable, ast.Call) and not iterable.keywords
                and (isinstance(iterable.func, ast.Name) and iterable.func.id == "range"
                     or isinstance(iterable.func, ast.Attribute)
                     and iterable.func.attr == "range")):
            iterable = _call("range_call", iterable.func, *iterable.args)
        body_name = self.fresh("for_body")
        call = _call("for_stmt", iterable, extra_test, _name(body_name), _state_tuple(names),
                     ast.Tuple(elts=[ast.Constant(n) for n in names], ctx=ast.Load()))
        result = list(prologue) + [_def(body_name, [item] + names, body, names)]
        result.append(ast.Assign(targets=[_state_tuple(names, store=True)], value=call)
                      if names else ast.Expr(value=call))
        return [ast.copy_location(n, node) for n in result]


def _no_args():
    return ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[])
