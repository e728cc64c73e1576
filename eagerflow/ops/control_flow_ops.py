"""Control flow: tf.cond, tf.case, tf.switch_case, tf.while_loop, and the functional ops
built on them (map_fn, vectorized_map, scan, foldl, foldr).

Eagerly they run Python: one branch, a loop. Inside a tf.function trace on a symbolic
condition, each branch or body is traced into a sub-program and the whole construct is
recorded as one node, which replays by running the sub-programs; its gradient runs the
node again under a tape.
"""

from eagerflow.framework import dtypes, nest
from eagerflow.framework.function.graph import (
    ControlOp, apply, is_symbolic, start_subprogram, trace_subprogram)
from eagerflow.framework.op import active_trace
from eagerflow.framework.tensor import convert_to_tensor, is_tensor
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.ops import tensor_array_ops
from eagerflow.ops.tensor_array_ops import TensorArray, flatten_loop_vars, pack_loop_vars


def _tracing_on(*values):
    return active_trace() is not None and any(
        is_symbolic(v) for v in nest.flatten(list(values)))


def _union(subprograms):
    """The enclosing tensors the sub-programs read, each once, and per sub-program the
    positions of its own in that list."""
    tensors, positions = [], []
    for sub in subprograms:
        index = []
        for t in sub.external:
            for k, known in enumerate(tensors):
                if known is t:
                    index.append(k)
                    break
            else:
                tensors.append(t)
                index.append(len(tensors) - 1)
        positions.append(index)
    variables = []
    for sub in subprograms:
        for v in sub.variables:
            if v.trainable and all(v is not known for known in variables):
                variables.append(v)
    return tensors, positions, variables


def _variable_reads(variables):
    return [v._read_for_op() for v in variables]


# --- cond, case, switch_case ----------------------------------------------------------------

class _BranchOp(ControlOp):
    """Runs one of several traced branches, chosen by the first input: a bool predicate
    (branch 0 when true) or an int32 index (out of range picks the last, the default)."""

    def __init__(self, name, branches, positions, variables, by_index):
        self.name = name
        self.branches = branches
        self.positions = positions
        self.variables = variables
        self.by_index = by_index
        self.has_effects = any(b.program.has_effects for b in branches)

    def _select(self, key):
        if not self.by_index:
            return 0 if bool(key) else 1
        index = int(key)
        return index if 0 <= index < len(self.branches) else len(self.branches) - 1

    def probe(self, arrays):
        return self.branches[self._select(arrays[0])].output_probes

    def run(self, key, *rest):
        k = self._select(key)
        args = [rest[i] for i in self.positions[k]]
        self.branches[k].check_values(args, f"tf.{self.name}")
        return self.branches[k].program.run(*args)

    def run_ops(self, tensors):
        k = self._select(tensors[0]._value)
        rest = tensors[1:]
        args = [rest[i] for i in self.positions[k]]
        self.branches[k].check_values(args, f"tf.{self.name}")
        return self.branches[k].program.run_ops(args)


def _branch_error(outputs):
    texts = [f"{name} output: {outs!s}" for name, outs in outputs]
    return TypeError("true_fn and false_fn arguments to tf.cond must have the same number, "
                     "type, and overall structure of return values.\n\n" + "\n".join(texts))


def _traced_branches(name, key, fns, by_index, reconcile=None):
    """One node running the traced branch `fns[key]`. `reconcile(results)` may choose the
    branches' output tensors (one flat list per branch) and the structure to return."""
    pending = [start_subprogram(fn, (), ()) for fn in fns]
    results = [p.result for p in pending]
    if reconcile is None:
        flats = [[convert_to_tensor(x) for x in nest.flatten(r)] for r in results]
        structure = results[0]
        for other in results[1:]:
            _check_same_structure(results[0], other)
    else:
        flats, structure = reconcile(results)
    for flat in flats[1:]:
        if (len(flat) != len(flats[0])
                or any(a.dtype != b.dtype for a, b in zip(flats[0], flat))):
            raise _branch_error([("true_fn", results[0]), ("false_fn", results[1])])
    branches = [p.finish(flat) for p, flat in zip(pending, flats)]
    external, positions, variables = _union(branches)
    op = _BranchOp(name, branches, positions, variables, by_index)
    outputs = apply(op, [key] + external + _variable_reads(variables))
    return nest.pack_sequence_as(structure, outputs)


def _check_same_structure(first, other):
    try:
        nest.assert_same_structure(first, other, check_types=False)
    except (ValueError, TypeError):
        raise _branch_error([("true_fn", first), ("false_fn", other)]) from None


def cond(pred, true_fn=None, false_fn=None, name=None):
    """Returns `true_fn()` if `pred` is true, else `false_fn()`.

    Eagerly only the chosen branch runs. Inside a tf.function both branches are traced and
    must return the same structure and dtypes.

    >>> x = tf.constant(2.0)
    >>> float(tf.cond(x > 0, lambda: x * 10, lambda: -x))
    20.0
    """
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if not _tracing_on(pred):
        return true_fn() if bool(pred) else false_fn()
    return traced_cond(pred, true_fn, false_fn)


def traced_cond(pred, true_fn, false_fn, reconcile=None):
    """tf.cond on a symbolic predicate, inside a trace (AutoGraph's `if` passes
    `reconcile`, see `_traced_branches`)."""
    pred = convert_to_tensor(pred)
    if pred.dtype != dtypes.bool or pred.shape.rank not in (0, None):
        raise TypeError(f"`pred` must be a scalar bool Tensor, got {pred!r}")
    return _traced_branches("cond", pred, [true_fn, false_fn], by_index=False,
                            reconcile=reconcile)


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Runs `branch_fns[branch_index]()`, or `default()` when the index is out of range
    (the last branch when there is no default).

    >>> int(tf.switch_case(tf.constant(1), [lambda: 10, lambda: 20], default=lambda: 30))
    20
    """
    if isinstance(branch_fns, dict):
        keys = sorted(branch_fns)
        if keys != list(range(len(keys))):
            raise ValueError("branch_fns keys must be the integers 0..n-1, got "
                             f"{keys}")
        branch_fns = [branch_fns[k] for k in keys]
    else:
        branch_fns = [fn for _, fn in branch_fns] if branch_fns and isinstance(
            branch_fns[0], tuple) else list(branch_fns)
    if not branch_fns:
        raise ValueError("Must provide at least one item in branch_fns")
    for fn in branch_fns + ([default] if default is not None else []):
        if not callable(fn):
            raise TypeError(f"branch_fns must be callables, got {fn!r}")
    fns = branch_fns + ([default] if default is not None else [])
    if not _tracing_on(branch_index):
        index = int(branch_index)
        return fns[index]() if 0 <= index < len(branch_fns) else fns[-1]()
    index = convert_to_tensor(branch_index)
    if index.dtype != dtypes.int32:
        raise TypeError(f"branch_index must be an int32 Tensor, got {index.dtype.name}")
    return _traced_branches("switch_case", index, fns, by_index=True)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """Runs the function of the first pair whose predicate is true, else `default()` (or
    the last pair's function).

    >>> x = tf.constant(5)
    >>> int(tf.case([(x < 0, lambda: -1), (x > 3, lambda: 1)], default=lambda: 0))
    1
    """
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = list(pred_fn_pairs.items())
    pairs = list(pred_fn_pairs)
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and callable(pair[1])):
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple of a boolean "
                            f"and a callable, got {pair!r}")
    if default is None:
        if not pairs:
            raise ValueError("pred_fn_pairs must not be empty when there is no default")
        pairs, default = pairs[:-1], pairs[-1][1]
    result = default
    for pred, fn in reversed(pairs):
        result = _chained(pred, fn, result)
    return result()


def _chained(pred, fn, otherwise):
    return lambda: cond(pred, fn, otherwise)


# --- while_loop ------------------------------------------------------------------------------

class _WhileOp(ControlOp):
    """Runs a traced body while a traced condition holds (at most `maximum_iterations`)."""

    name = "While"

    def __init__(self, cond_sub, body_sub, n_vars, positions, variables, max_slot,
                 maximum_iterations):
        self.cond = cond_sub
        self.body = body_sub
        self.n_vars = n_vars
        self.positions = positions
        self.variables = variables
        self.max_slot = max_slot                      # input holding the limit, or None
        self.maximum_iterations = maximum_iterations  # a Python limit, or None
        self.has_effects = cond_sub.program.has_effects or body_sub.program.has_effects

    def probe(self, arrays):
        return list(arrays[:self.n_vars])

    def _limit(self, rest, value_of):
        if self.max_slot is not None:
            return int(value_of(rest[self.max_slot]))
        return self.maximum_iterations

    def run(self, *arrays):
        loop, rest = list(arrays[:self.n_vars]), arrays[self.n_vars:]
        cond_args = [rest[i] for i in self.positions[0]]
        body_args = [rest[i] for i in self.positions[1]]
        limit = self._limit(rest, lambda a: a)
        run_cond, run_body = self.cond.program.run, self.body.program.run
        check = self.cond.program.guards or self.body.program.guards
        count = 0
        while True:
            if check:
                self.cond.check_values(loop + cond_args, "tf.while_loop")
            if not ((limit is None or count < limit) and run_cond(*loop, *cond_args)[0]):
                return loop
            if check:
                self.body.check_values(loop + body_args, "tf.while_loop")
            loop = list(run_body(*loop, *body_args))
            count += 1

    def run_ops(self, tensors):
        loop, rest = list(tensors[:self.n_vars]), tensors[self.n_vars:]
        cond_args = [rest[i] for i in self.positions[0]]
        body_args = [rest[i] for i in self.positions[1]]
        limit = self._limit(rest, lambda t: t._value)
        count = 0
        while True:
            self.cond.check_values(loop + cond_args, "tf.while_loop")
            if not ((limit is None or count < limit) and bool(
                    self.cond.program.run_ops(loop + cond_args)[0]._value)):
                return loop
            self.body.check_values(loop + body_args, "tf.while_loop")
            loop = list(self.body.program.run_ops(loop + body_args))
            count += 1


def _name_of(tensor):
    return tensor.name if is_symbolic(tensor) else "Const:0"


def _check_loop_outputs(inputs, outputs, invariants, is_array):
    for x, y, invariant, array in zip(inputs, outputs, invariants, is_array):
        if x.dtype != y.dtype:
            name = _name_of(x)
            raise TypeError(f"Loop var {name} enters the loop with type <dtype: "
                            f"'{x.dtype.name}'> but has type <dtype: '{y.dtype.name}'> after 1 "
                            f"iteration. {name} type should remain constant.")
        if array:
            continue  # a TensorArray grows as the loop writes
        shape = TensorShape._from_tuple(y.shape)
        allowed = invariant if invariant is not None else x.shape
        if not allowed.is_compatible_with(shape):
            raise ValueError(f"Input tensor `{_name_of(x)}` enters the loop with shape "
                             f"{allowed}, but has shape {shape} after one iteration. To allow "
                             "the shape to vary across iterations, use the `shape_invariants` "
                             "argument of tf.while_loop to specify a less-specific shape.")


def _as_loop_var(value):
    return value if isinstance(value, TensorArray) else convert_to_tensor(value)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeats `body` while `cond` is true: `loop_vars = body(*loop_vars)`.

    `body` returns the same structure as `loop_vars`. Inside a tf.function each loop
    variable keeps its dtype and shape (unless `shape_invariants` relaxes it).

    >>> i, total = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), (0, 0))
    >>> int(i), int(total)
    (4, 6)
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if loop_vars is None or (nest.is_nested(loop_vars) and not nest.flatten(loop_vars)):
        raise ValueError("'loop_vars' must be provided.")
    loop_vars = nest.map_structure(_as_loop_var, loop_vars) if nest.is_nested(
        loop_vars) else _as_loop_var(loop_vars)
    flat = flatten_loop_vars(loop_vars)
    single = not nest.is_nested(loop_vars)

    def call(fn, values):
        packed = pack_loop_vars(loop_vars, values)
        return fn(packed) if single else fn(*packed)

    if active_trace() is None:  # inside a trace the loop is always traced, as in TensorFlow
        count = 0
        limit = None if maximum_iterations is None else int(maximum_iterations)
        values = flat
        while (limit is None or count < limit) and bool(call(cond, values)):
            result = call(body, values)
            nest.assert_same_structure(loop_vars, result, check_types=False)
            values = [_as_loop_var(v) if not isinstance(v, TensorArray) else v.flow
                      for v in flatten_loop_vars(result)]
            count += 1
        return pack_loop_vars(loop_vars, values)
    return _traced_while(cond, body, loop_vars, flat, call, shape_invariants,
                         maximum_iterations)


def _traced_while(cond, body, loop_vars, flat, call, shape_invariants, maximum_iterations):
    leaves = nest.flatten(loop_vars)
    is_array = [isinstance(leaf, TensorArray) for leaf in leaves]
    probes = [t._value for t in flat]
    names = [_name_of(t).split(":")[0] for t in flat]
    invariants = ([TensorShape(s) if s is not None else None
                   for s in nest.flatten(shape_invariants)] if shape_invariants is not None
                  else [None] * len(flat))
    cond_sub = trace_subprogram(lambda *xs: call(cond, list(xs)), probes, names)
    if len(cond_sub.output_probes) != 1 or cond_sub.output_probes[0].dtype.kind != "b":
        raise TypeError("tf.while_loop's `cond` must return a scalar boolean tensor, got "
                        f"{cond_sub.structure!r}")

    def body_outputs(result):
        nest.assert_same_structure(loop_vars, result, check_types=False)
        return [convert_to_tensor(v) for v in flatten_loop_vars(result)]

    body_sub = trace_subprogram(lambda *xs: call(body, list(xs)), probes, names,
                                convert_outputs=body_outputs)
    _check_loop_outputs(flat, [_ProbeView(p) for p in body_sub.output_probes], invariants,
                        is_array)
    external, positions, variables = _union([cond_sub, body_sub])
    inputs = list(flat) + external
    max_slot, limit = None, None
    if maximum_iterations is not None:
        if is_tensor(maximum_iterations):
            max_slot = len(external)
            inputs.append(convert_to_tensor(maximum_iterations))
        else:
            limit = int(maximum_iterations)
    op = _WhileOp(cond_sub, body_sub, len(flat), positions, variables, max_slot, limit)
    results = apply(op, inputs + _variable_reads(variables))
    return pack_loop_vars(loop_vars, results)


class _ProbeView:
    """The dtype and shape of a probe array, as the loop checks compare them."""

    def __init__(self, array):
        self.dtype = dtypes.from_numpy(array.dtype)
        self.shape = array.shape


# --- functional ops -------------------------------------------------------------------------

def _elements(elems):
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError("elems must be a Tensor or (possibly nested) sequence of Tensors. "
                         "Got []")
    for t in flat:
        if t.shape.rank == 0:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
    return flat


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None, fn_output_signature=None):
    """Applies `fn` to each element of `elems` (unstacked on axis 0) and stacks the results.

    `fn_output_signature` (a dtype, TensorSpec or structure of them) is needed when `fn`
    returns another dtype or structure than `elems`.

    >>> tf.map_fn(lambda x: x * x, tf.constant([1.0, 2.0, 3.0])).numpy().tolist()
    [1.0, 4.0, 9.0]
    """
    signature = fn_output_signature if fn_output_signature is not None else dtype
    flat = _elements(elems)
    output_template = signature if signature is not None else elems
    out_dtypes = [_dtype_of(s) for s in nest.flatten(output_template)]
    n = tensor_array_ops.TensorArray(flat[0].dtype).unstack(flat[0]).size()
    inputs = [TensorArray(t.dtype).unstack(t) for t in flat]
    outputs = [TensorArray(d, size=n) for d in out_dtypes]

    def body(i, outs):
        element = nest.pack_sequence_as(elems, [ta.read(i) for ta in inputs])
        result = fn(element)
        flat_result = nest.flatten(result)
        if len(flat_result) != len(outs):
            raise ValueError(f"The two structures don't have the same nested structure: "
                             f"fn returned {result!r} for the signature "
                             f"{output_template!r}")
        return i + 1, [ta.write(i, value) for ta, value in zip(outs, flat_result)]

    _, outs = while_loop(lambda i, outs: i < n, body, (convert_to_tensor(0), outputs))
    return nest.pack_sequence_as(output_template, [ta.stack() for ta in outs])


def _dtype_of(spec):
    if hasattr(spec, "dtype"):
        return dtypes.as_dtype(spec.dtype)
    return dtypes.as_dtype(spec)


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """Applies `fn` to each element of `elems` (as `map_fn` does) and stacks the results.

    >>> tf.vectorized_map(lambda x: x * 2, tf.constant([1.0, 2.0])).numpy().tolist()
    [2.0, 4.0]
    """
    return map_fn(fn, elems)


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """Repeatedly applies `fn(accumulator, element)` along axis 0 and stacks every
    accumulator (starting from `initializer`, else the first element).

    >>> tf.scan(lambda a, x: a + x, tf.constant([1.0, 2.0, 3.0])).numpy().tolist()
    [1.0, 3.0, 6.0]
    """
    flat = _elements(elems)
    arrays = [TensorArray(t.dtype).unstack(t) for t in flat]
    n = arrays[0].size()
    if initializer is None:
        first = _index(n, 1, reverse)
        accumulator = nest.pack_sequence_as(elems, [ta.read(first) for ta in arrays])
        start = 1
        template = elems
    else:
        accumulator = nest.map_structure(convert_to_tensor, initializer)
        start = 0
        template = initializer
    flat_acc = nest.flatten(accumulator)
    outputs = [TensorArray(a.dtype, size=n) for a in flat_acc]
    if initializer is None:
        outputs = [ta.write(_index(n, 1, reverse), a) for ta, a in zip(outputs, flat_acc)]

    def body(i, acc, outs):
        k = _index(n, i + 1, reverse)
        element = nest.pack_sequence_as(elems, [ta.read(k) for ta in arrays])
        new = fn(nest.pack_sequence_as(template, acc), element)
        flat_new = [convert_to_tensor(v) for v in nest.flatten(new)]
        return i + 1, flat_new, [ta.write(k, v) for ta, v in zip(outs, flat_new)]

    _, _, outs = while_loop(lambda i, acc, outs: i < n, body,
                            (convert_to_tensor(start), flat_acc, outputs))
    return nest.pack_sequence_as(template, [ta.stack() for ta in outs])


def _index(n, position, reverse):
    """The element index of the `position`-th step (1-based), counted from the end when
    `reverse`."""
    return n - position if reverse else position - 1


def _fold(fn, elems, initializer, reverse):
    flat = _elements(elems)
    arrays = [TensorArray(t.dtype).unstack(t) for t in flat]
    n = arrays[0].size()
    if initializer is None:
        accumulator = nest.pack_sequence_as(elems, [ta.read(_index(n, 1, reverse))
                                                    for ta in arrays])
        start, template = 1, elems
    else:
        accumulator = nest.map_structure(convert_to_tensor, initializer)
        start, template = 0, initializer

    def body(i, acc):
        k = _index(n, i + 1, reverse)
        element = nest.pack_sequence_as(elems, [ta.read(k) for ta in arrays])
        new = fn(nest.pack_sequence_as(template, acc), element)
        return i + 1, [convert_to_tensor(v) for v in nest.flatten(new)]

    _, acc = while_loop(lambda i, acc: i < n, body,
                        (convert_to_tensor(start), nest.flatten(accumulator)))
    return nest.pack_sequence_as(template, acc)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """Folds `fn(accumulator, element)` over `elems` from the first element to the last.

    >>> float(tf.foldl(lambda a, x: a - x, tf.constant([1.0, 2.0, 3.0])))
    -4.0
    """
    return _fold(fn, elems, initializer, reverse=False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """Folds `fn(accumulator, element)` over `elems` from the last element to the first.

    >>> float(tf.foldr(lambda a, x: a - x, tf.constant([1.0, 2.0, 3.0])))
    0.0
    """
    return _fold(fn, elems, initializer, reverse=True)
