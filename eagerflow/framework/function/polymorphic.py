"""`tf.function`: a Python function traced once per input signature, its traces replayed.

A call's arguments map to a cache key: tensors by shape and dtype, Python values by value,
other objects by identity. A new key traces the Python body into a `ConcreteFunction` (its
side effects happen then, once); every call runs the recorded program without the body.
"""

import functools
import inspect
import itertools
import logging
import types
import weakref

import numpy as np

from eagerflow.framework import nest
from eagerflow.framework.errors import InvalidArgumentError
from eagerflow.framework.function import graph, graph_def
from eagerflow.framework.function import autograph
from eagerflow.framework.op import active_trace, tf_type_name
from eagerflow.framework.tensor import Tensor, convert_to_tensor, is_tensor
from eagerflow.framework.tensor_shape import TensorShape
from eagerflow.framework.tensor_spec import TensorSpec

_logger = logging.getLogger("eagerflow")

_RUN_EAGERLY = [False]

# TensorFlow warns when this many of a function's recent calls traced, twice at most.
_FREQUENT_TRACING_THRESHOLD = 5
_FREQUENT_TRACING_WARNINGS = 2


def run_functions_eagerly(run_eagerly):
    """Makes every tf.function run its Python body eagerly (for debugging), or not."""
    _RUN_EAGERLY[0] = bool(run_eagerly)


def functions_run_eagerly():
    """Whether `run_functions_eagerly(True)` is in effect."""
    return _RUN_EAGERLY[0]


# --- cache keys ---------------------------------------------------------------------------

def _leaf_key(value):
    """How one argument leaf selects a trace: tensors by shape and dtype, Python scalars and
    strings by value, other objects by identity."""
    if isinstance(value, Tensor):
        return ("T", value._value.shape, value._value.dtype)
    if hasattr(type(value), "_read_for_op"):
        return ("V", id(value))
    if isinstance(value, TensorSpec):
        return ("S", tuple(value.shape.as_list()) if value.shape.rank is not None else None,
                value.dtype)
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return ("P", type(value), value)
    if isinstance(value, np.ndarray):
        return ("T", value.shape, value.dtype)
    return ("O", id(value))


def _structure_key(value):
    if isinstance(value, dict):
        return ("dict", tuple((k, _structure_key(value[k])) for k in sorted(value, key=str)))
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_structure_key(v) for v in value))
    return _leaf_key(value)


def _is_tensor_leaf(value):
    """Arguments that become the trace's inputs: tensors, NumPy arrays (as TensorFlow
    converts them) and, for `get_concrete_function`, TensorSpecs."""
    return isinstance(value, (Tensor, TensorSpec, np.ndarray))


def _spec_of(value, name=None):
    if isinstance(value, TensorSpec):
        return TensorSpec(value.shape, value.dtype, name or value.name)
    if isinstance(value, np.ndarray):
        value = convert_to_tensor(value)
    if graph.is_symbolic(value):
        return TensorSpec(value.shape, value.dtype, name)  # None for sizes left open
    return TensorSpec(TensorShape._from_tuple(value._value.shape), value.dtype, name)


def _relaxed(spec, other):
    """The most specific spec both shapes fit (differing sizes become None)."""
    a, b = spec.shape.as_list(), other.shape.as_list()
    if len(a) != len(b):
        return TensorSpec(None, spec.dtype, spec.name)
    return TensorSpec([x if x == y else None for x, y in zip(a, b)], spec.dtype, spec.name)


class _TracingDetector:
    """Counts recent calls and traces for TensorFlow's "frequent retracing" warning."""

    def __init__(self):
        self.calls = 0
        self.traces = 0
        self.warnings = 0

    def called(self, traced, function):
        self.calls += 1
        if traced:
            self.traces += 1
            if (self.traces >= _FREQUENT_TRACING_THRESHOLD
                    and self.warnings < _FREQUENT_TRACING_WARNINGS):
                self.warnings += 1
                _logger.warning(
                    f"{self.traces} out of the last {self.calls} calls to {function} triggered "
                    "tf.function retracing. Tracing is expensive and the excessive number of "
                    "tracings could be due to (1) creating @tf.function repeatedly in a loop, "
                    "(2) passing tensors with different shapes, (3) passing Python objects "
                    "instead of tensors. For (1), please define your @tf.function outside of "
                    "the loop. For (2), @tf.function has reduce_retracing=True option that can "
                    "avoid unnecessary retracing. For (3), please refer to https://www.tensorflow"
                    ".org/guide/function#controlling_retracing and https://www.tensorflow.org/"
                    "api_docs/python/tf/function for  more details.")


# One detector per Python code object, shared by every tf.function made from it (so that
# a tf.function created anew in a loop is caught), as TensorFlow keys its call statistics.
_DETECTORS = weakref.WeakKeyDictionary()


def _detector_for(python_function):
    target = python_function
    while hasattr(target, "__wrapped__"):
        target = target.__wrapped__
    target = getattr(target, "__func__", target)
    key = getattr(target, "__code__", None)
    if key is None:
        return _TracingDetector()
    detector = _DETECTORS.get(key)
    if detector is None:
        detector = _DETECTORS[key] = _TracingDetector()
    return detector


class QuietTracingDetector(_TracingDetector):
    """Counts calls without ever warning: for functions traced once per input shape by
    design (Keras's train, test and predict steps, which Keras relaxes instead)."""

    def called(self, traced, function):
        self.calls += 1


# --- the function -------------------------------------------------------------------------

class Function:
    """A callable that traces its Python function into replayable programs (`tf.function`)."""

    def __init__(self, python_function, name=None, input_signature=None, autograph=True,
                 jit_compile=None, reduce_retracing=False, experimental_attributes=None,
                 _detector=None):
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        self._autograph = autograph
        self._jit_compile = jit_compile
        self._reduce_retracing = reduce_retracing
        self._signature = inspect.signature(python_function)
        parameters = self._signature.parameters.values()
        self._positional_count = (len(parameters) if all(
            p.kind == p.POSITIONAL_OR_KEYWORD or p.kind == p.POSITIONAL_ONLY
            for p in parameters) else -1)
        self._input_signature = None
        if input_signature is not None:
            self._input_signature = tuple(input_signature)
            for spec in nest.flatten(list(self._input_signature)):
                if not isinstance(spec, TensorSpec):
                    raise TypeError(f"input_signature must be a possibly nested sequence of "
                                    f"TensorSpec objects, got invalid args {spec!r} with "
                                    f"type {type(spec)!r}.")
        self._cache = {}
        self._fast_cache = {}       # shapes and dtypes of an all-Tensor call -> its trace
        self._relaxed = []          # with reduce_retracing: concrete functions by spec
        self._tracing_count = 0
        self._created_variables = False
        self._detector = _detector or _detector_for(python_function)
        self._bound = weakref.WeakKeyDictionary()
        self._traced_body = None
        functools.update_wrapper(self, python_function)

    # --- descriptors: a method gets one Function per instance ------------------------------

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        try:
            bound = self._bound.get(instance)
        except TypeError:  # an unhashable or un-weakref-able instance
            bound = None
            key = None
        else:
            key = instance
        if bound is None:
            bound = Function(types.MethodType(self._python_function, instance), self._name,
                             self._input_signature, self._autograph, self._jit_compile,
                             self._reduce_retracing)
            if key is not None:
                self._bound[key] = bound
        return bound

    # --- public surface --------------------------------------------------------------------

    @property
    def python_function(self):
        """The Python function this tf.function wraps."""
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    @property
    def function_spec(self):
        return self._signature

    def experimental_get_tracing_count(self):
        """How many times the Python body has been traced."""
        return self._tracing_count

    def __call__(self, *args, **kwargs):
        if _RUN_EAGERLY[0]:
            return self._python_function(*args, **kwargs)
        fast_key = self._fast_key(args) if not kwargs else None
        if fast_key is not None:
            concrete = self._fast_cache.get(fast_key)
            if concrete is not None:
                self._detector.calls += 1
                if concrete._variants is not None:
                    return self._for_values(concrete, args, {})._run(args)
                return concrete._run(args)
        concrete, traced = self._lookup(args, kwargs)
        if active_trace() is None:
            self._detector.called(traced, self._python_function)
        if fast_key is not None:
            self._fast_cache[fast_key] = concrete
        if concrete._variants is not None and not traced:
            concrete = self._for_values(concrete, args, kwargs)
        return concrete._call_bound(args, kwargs)

    def _for_values(self, concrete, args, kwargs):
        """Among the traces pinned to values (see `Trace.guard`) for this signature, the one
        built on this call's values; traced anew when there is none."""
        tensors = concrete._input_tensors(args, kwargs)
        for variant in concrete._variants:
            if variant._program.guards_hold(tensors):
                return variant
        specs = concrete._specs if self._input_signature is not None or any(
            concrete is relaxed for relaxed in self._relaxed) else None
        variant = self._trace(self._bind(args, kwargs), specs)
        variant._variants = concrete._variants
        concrete._variants.append(variant)
        return variant

    def _fast_key(self, args):
        """For a call of only Tensors, every parameter given: their shapes and dtypes."""
        if len(args) != self._positional_count or self._input_signature is not None:
            return None
        key = []
        for arg in args:
            if type(arg) is not Tensor:
                return None
            value = arg._value
            key.append(value.shape)
            key.append(value.dtype)
        return tuple(key)

    def pretty_printed_concrete_signatures(self, verbose=True):
        """The signatures of this function's traces, as `str` of each ConcreteFunction
        (without its "ConcreteFunction " prefix), separated by blank lines."""
        return "\n\n".join(concrete._signature_summary() for concrete in self._traces())

    def _traces(self):
        """This function's ConcreteFunctions, each once (traced now for an input_signature)."""
        if self._input_signature is not None:
            self.get_concrete_function()
        traces = []
        for concrete in self._cache.values():
            if all(concrete is not known for known in traces):
                traces.append(concrete)
        return traces

    def get_concrete_function(self, *args, **kwargs):
        """The ConcreteFunction for these arguments (tensors or TensorSpecs), traced if new."""
        if not args and not kwargs and self._input_signature is not None:
            args = self._input_signature
        return self._lookup(args, kwargs)[0]

    def __repr__(self):
        return f"<eagerflow.Function {self._name} at 0x{id(self):X}>"

    # --- tracing ---------------------------------------------------------------------------

    def _bind(self, args, kwargs):
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as err:
            signature = (self._signature_text() if self._input_signature is not None
                         else self._signature)
            raise TypeError(f"Binding inputs to tf.function failed due to `{err}`. Received "
                            f"args: {args} and kwargs: {kwargs} for signature: "
                            f"{signature}.") from None
        bound.apply_defaults()
        return bound

    def _lookup(self, args, kwargs):
        """The ConcreteFunction for a call, and whether it was traced now."""
        if self._input_signature is not None:
            args = self._cast_to_signature(args, kwargs)
            kwargs = {}
            key = "input_signature"
        else:
            key = (_structure_key(args), _structure_key(kwargs))
        concrete = self._cache.get(key)
        if concrete is not None:
            return concrete, False
        bound = self._bind(args, kwargs)
        specs = None
        if self._input_signature is not None:
            specs = nest.flatten(list(self._input_signature))
        elif self._reduce_retracing and self._input_signature is None:
            concrete, specs = self._relax(bound)
            if concrete is not None:
                self._cache[key] = concrete
                return concrete, False
        concrete = self._trace(bound, specs)
        self._cache[key] = concrete
        if specs is not None:
            self._relaxed.append(concrete)
        return concrete, True

    def _cast_to_signature(self, args, kwargs):
        bound = self._bind(args, kwargs)
        values = list(bound.arguments.values())[:len(self._input_signature)]
        if len(values) < len(self._input_signature):
            raise TypeError(f"{self._name}() missing arguments for its input_signature "
                            f"{self._input_signature}")
        return tuple(self._cast_structure(value, spec, args, kwargs)
                     for value, spec in zip(values, self._input_signature))

    def _cast_structure(self, value, spec, args, kwargs):
        """`value` shaped by `spec`: each TensorSpec takes a whole value (a list too)."""
        if isinstance(spec, TensorSpec):
            return self._cast_leaf(value, spec, args, kwargs)
        if isinstance(spec, dict) and isinstance(value, dict) and set(spec) == set(value):
            return {k: self._cast_structure(value[k], spec[k], args, kwargs) for k in spec}
        if (isinstance(spec, (list, tuple)) and isinstance(value, (list, tuple))
                and len(spec) == len(value)):
            return type(spec)(self._cast_structure(v, s, args, kwargs)
                              for v, s in zip(value, spec))
        raise TypeError(f"Binding inputs to tf.function failed: {value!r} does not match the "
                        f"structure of the input_signature {spec!r}.")

    def _cast_leaf(self, value, spec, args, kwargs):
        if isinstance(value, TensorSpec):
            ok = value.dtype == spec.dtype and spec.shape.is_compatible_with(value.shape)
            tensor = value
        else:
            try:
                tensor = convert_to_tensor(value, spec.dtype) if not is_tensor(value) else (
                    convert_to_tensor(value))
            except (TypeError, ValueError):
                tensor = None
            ok = (tensor is not None and tensor.dtype == spec.dtype
                  and spec.shape.is_compatible_with(tensor.shape))
        if not ok:
            given = _spec_of(tensor) if tensor is not None else value
            raise TypeError(
                f"Binding inputs to tf.function failed due to `Can not cast {given!r} to "
                f"{TensorSpec(spec.shape, spec.dtype)!r}`. Received args: {args} and kwargs: "
                f"{kwargs} for signature: {self._signature_text()}.")
        return tensor

    def _signature_text(self):
        names = list(self._signature.parameters)
        parts = [f"{name}: {s!r}"
                 for name, s in zip(names, self._input_signature)]
        return "(" + ", ".join(parts) + ")"

    def _relax(self, bound):
        """With reduce_retracing: an existing trace whose specs fit, else the relaxed specs
        to trace with."""
        leaves = nest.flatten(list(bound.arguments.values()))
        tensors = [_spec_of(v) for v in leaves if _is_tensor_leaf(v)]
        others = [_leaf_key(v) for v in leaves if not _is_tensor_leaf(v)]
        for concrete in reversed(self._relaxed):
            if concrete._other_keys != others or len(concrete._specs) != len(tensors):
                continue
            if all(s.dtype == t.dtype and s.shape.is_compatible_with(t.shape)
                   for s, t in zip(concrete._specs, tensors)):
                return concrete, None
        for concrete in reversed(self._relaxed):
            if concrete._other_keys == others and len(concrete._specs) == len(tensors) and all(
                    s.dtype == t.dtype for s, t in zip(concrete._specs, tensors)):
                return None, [_relaxed(s, t) for s, t in zip(concrete._specs, tensors)]
        return None, tensors

    def _body(self):
        if self._traced_body is None:
            body = self._python_function
            if self._autograph:
                body = autograph.convert(body)
            self._traced_body = body
        return self._traced_body

    def _trace(self, bound, specs=None):
        first = self._tracing_count == 0 and not self._created_variables
        concrete = self._trace_once(bound, specs, allow_variables=first)
        if concrete._created_variables:
            # As TensorFlow: a first trace that made variables is traced again, which must
            # make none.
            self._created_variables = True
            concrete = self._trace_once(bound, specs, allow_variables=False)
        return concrete

    def _trace_once(self, bound, specs, allow_variables):
        trace = graph.Trace(allow_variables=allow_variables)
        spec_iter = iter(specs) if specs is not None else None
        input_slots, input_specs, input_probes = [], [], []

        given_names, path_names = [], []

        def placeholder(value, name, path_name):
            spec = next(spec_iter) if spec_iter is not None else _spec_of(value)
            given = spec.name if spec_iter is not None else (
                value.name if isinstance(value, TensorSpec) else None)
            given_names.append(given)
            path_names.append(given or path_name)
            name = given or name
            if isinstance(value, TensorSpec):
                probe = _probe_array(value)
            else:
                probe = convert_to_tensor(value)._value
            static = spec.shape if not spec.shape.is_fully_defined() else None
            tensor, slot = trace.placeholder(probe, name, static)
            input_slots.append(slot)
            input_probes.append(probe)
            input_specs.append(TensorSpec(spec.shape, spec.dtype, name))
            return tensor

        arguments = {}
        for name, value in bound.arguments.items():
            # Graph names count up (x, x_1, ...); the signature's names follow paths (x_0,
            # x_k_1, ...), as TensorFlow names them.
            pairs = nest.flatten_with_tuple_paths(value)
            counter = iter(range(len(pairs)))
            arguments[name] = nest.pack_sequence_as(value, [
                placeholder(leaf, name if i == 0 else f"{name}_{i}",
                            "_".join(str(part) for part in (name,) + path))
                if _is_tensor_leaf(leaf) else leaf
                for (path, leaf), i in zip(pairs, counter)])
        placeholders = inspect.BoundArguments(self._signature, arguments)
        body = self._body()
        self._tracing_count += 1
        try:
            outputs = graph.trace_function(
                lambda: body(*placeholders.args, **placeholders.kwargs), trace)
            for value in nest.flatten(outputs):
                if isinstance(value, autograph.Undefined) and value.error is not None:
                    raise value.error  # a variable an `if` on a tensor set in one branch
        except Exception as err:  # any error of the user's code: re-raised, message rewritten
            if self._autograph:
                autograph.add_user_frames(err)
            raise
        flat_outputs = nest.flatten(outputs)
        output_slots, kept = [], []
        for i, value in enumerate(flat_outputs):
            if isinstance(value, (bool, int, float, complex, str, bytes, np.ndarray,
                                  np.generic)):
                value = convert_to_tensor(value)  # returned as a tensor, as TensorFlow does
            if hasattr(type(value), "_read_for_op") or isinstance(value, Tensor):
                if hasattr(type(value), "_read_for_op"):
                    value = graph.trace_function(value._read_for_op, trace)
                output_slots.append(trace.slot(value))
                kept.append(value)
                flat_outputs[i] = value
        trace.close(keep=kept)
        program = graph.Program(trace, input_slots, output_slots)
        if graph_def.recording.on and not trace.created_variables:  # else traced again
            graph_def.remember(program, input_specs, trace)  # for tf.summary.trace_export
        _open_output_sizes(program, input_specs, input_probes, kept)
        structured_outputs = nest.pack_sequence_as(outputs, flat_outputs)
        other_keys = [_leaf_key(v) for v in nest.flatten(list(bound.arguments.values()))
                      if not _is_tensor_leaf(v)]
        input_structure = tuple(placeholders.arguments.values())
        concrete = ConcreteFunction(self, program, input_specs, input_structure,
                                    structured_outputs, other_keys)
        concrete._created_variables = bool(trace.created_variables)
        concrete._given_names = given_names
        concrete._path_names = path_names
        return concrete


def _open_output_sizes(program, input_specs, input_probes, outputs):
    """Marks as None the output sizes that follow an input's None size: the program runs
    once more with those input sizes changed (not when it has effects to repeat)."""
    if program.has_effects or all(s.shape.is_fully_defined() for s in input_specs):
        return
    probes = []
    for probe, spec in zip(input_probes, input_specs):
        if spec.shape.rank is None:
            return
        shape = [d + 1 if spec.shape[i] is None else d for i, d in enumerate(probe.shape)]
        probes.append(np.resize(probe, shape))
    try:
        others = program.run(*probes)
    except (ValueError, TypeError, IndexError, InvalidArgumentError):
        return  # the trace kept some size fixed: its outputs keep their traced shapes
    for tensor, other in zip(outputs, others):
        shape = tensor._value.shape
        if np.shape(other) != shape and np.ndim(other) == len(shape):
            graph.set_static_shape(tensor, [d if d == e else None
                                            for d, e in zip(shape, np.shape(other))])


def _probe_array(spec):
    """A stand-in value for tracing from a TensorSpec alone: ones, unknown sizes as 1."""
    shape = [1 if d is None else d for d in (spec.shape.as_list()
                                              if spec.shape.rank is not None else [])]
    if spec.dtype.name == "string":
        return np.full(shape, b"", dtype=object)
    return np.ones(shape, spec.dtype.as_numpy_dtype)


_CONCRETE_UIDS = itertools.count(1)


class ConcreteFunction:
    """One trace of a tf.function: callable with tensors matching its input signature."""

    def __init__(self, function, program, specs, input_structure, structured_outputs,
                 other_keys):
        self._function = function
        self._program = program
        self._specs = specs
        self._input_structure = input_structure
        self._outputs = structured_outputs
        self._other_keys = other_keys
        self._created_variables = False
        self._uid = next(_CONCRETE_UIDS)  # numbers the name in TensorFlow's call errors
        self._given_names = [None] * len(specs)  # the names of TensorSpecs the user gave
        self._path_names = [spec.name for spec in specs]
        self._flat_outputs = nest.flatten(structured_outputs)
        self._output_is_tensor = [isinstance(v, Tensor) for v in self._flat_outputs]
        self._single_output = isinstance(structured_outputs, Tensor)
        # Traces of this signature pinned to different values, or None when unpinned.
        self._variants = [self] if program.guards else None

    @property
    def structured_input_signature(self):
        """The input specs as ((positional...), {keyword: ...}), as TensorFlow gives them."""
        specs = iter([TensorSpec(spec.shape, spec.dtype, name)
                      for spec, name in zip(self._specs, self._path_names)])
        names = list(self._function._signature.parameters)
        positional, keyword = [], {}
        for name, value in zip(names, self._input_structure):
            leaves = nest.flatten(value)
            packed = nest.pack_sequence_as(value, [
                next(specs) if _is_tensor_leaf(leaf) else leaf for leaf in leaves])
            parameter = self._function._signature.parameters[name]
            if parameter.kind == parameter.KEYWORD_ONLY:
                keyword[name] = packed
            else:
                positional.append(packed)
        return tuple(positional), keyword

    @property
    def structured_outputs(self):
        return self._outputs

    @property
    def variables(self):
        return tuple(self._program.variables)

    @property
    def trainable_variables(self):
        return tuple(v for v in self._program.variables if v.trainable)

    @property
    def name(self):
        return self._function._name

    def _call_bound(self, args, kwargs):
        """Runs the program on a call's arguments (already known to match this trace)."""
        return self._run(self._input_tensors(args, kwargs))

    def _input_tensors(self, args, kwargs):
        """The program's input tensors for a call's arguments."""
        function = self._function
        if function._input_signature is not None:
            values = function._cast_to_signature(args, kwargs)
        elif not kwargs and len(args) == function._positional_count:
            values = args  # every parameter given positionally: binding changes nothing
        else:
            values = list(function._bind(args, kwargs).arguments.values())
        return [convert_to_tensor(leaf) for leaf in nest.flatten(list(values))
                if _is_tensor_leaf(leaf)]

    def _run(self, tensors):
        if self._single_output:
            return self._program.execute(tensors)[0]
        outputs = iter(self._program.execute(tensors))
        flat = [next(outputs) if is_tensor else value
                for value, is_tensor in zip(self._flat_outputs, self._output_is_tensor)]
        return nest.pack_sequence_as(self._outputs, flat)

    def __call__(self, *args, **kwargs):
        flat = [leaf for leaf in nest.flatten([list(args), kwargs])]
        tensors = [convert_to_tensor(leaf) for leaf in flat if is_tensor(leaf)
                   and not hasattr(type(leaf), "_read_for_op")]
        if len(tensors) != len(self._specs):
            raise TypeError(f"{self.name}({', '.join(s.name for s in self._specs)}) takes "
                            f"{len(self._specs)} tensor arguments, got {len(tensors)}.")
        for k, (tensor, spec) in enumerate(zip(tensors, self._specs)):
            if tensor.dtype != spec.dtype:
                name = f"__inference_{self.name}_{self._uid}"
                raise InvalidArgumentError(
                    None, None, f"cannot compute {name} as input #{k}(zero-based) was expected "
                                f"to be a {tf_type_name(spec.dtype)} tensor but is a "
                                f"{tf_type_name(tensor.dtype)} tensor [Op:{name}]")
            if not spec.shape.is_compatible_with(tensor.shape):
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast "
                    f"{_spec_of(tensor)!r} to {TensorSpec(spec.shape, spec.dtype)!r}`.")
        return self._run(tensors)

    def _signature_text(self):
        return ", ".join(f"{s.name}: {TensorSpec(s.shape, s.dtype)!r}" for s in self._specs)

    def _output_text(self):
        return repr(nest.map_structure(
            lambda v: _spec_of(v) if isinstance(v, Tensor) else v, self._outputs))

    def _signature_summary(self):
        """TensorFlow's description: each parameter's kind and type, the output type."""
        specs = iter([TensorSpec(spec.shape, spec.dtype, name)
                      for spec, name in zip(self._specs, self._given_names)])
        lines = []
        for parameter, value in zip(self._function._signature.parameters.values(),
                                    self._input_structure):
            described = nest.pack_sequence_as(value, [
                next(specs) if is_tensor(leaf) else leaf for leaf in nest.flatten(value)])
            lines.append(f"  {parameter.name} ({parameter.kind.name}): "
                         f"{_type_text(described)}")
        outputs = nest.map_structure(
            lambda v: TensorSpec(v.shape, v.dtype) if isinstance(v, Tensor) else v,
            self._outputs)
        captures = "\n".join(f"  {id(v)}: TensorSpec(shape=(), dtype=tf.resource, name=None)"
                             for v in self._program.variables) or "  None"
        return ("Input Parameters:\n" + "\n".join(lines) + "\nOutput Type:\n  "
                f"{_type_text(outputs)}\nCaptures:\n{captures}")

    def __str__(self):
        return "ConcreteFunction " + self._signature_summary()

    def __repr__(self):
        return (f"<ConcreteFunction ({self._signature_text()}) -> {self._output_text()} at "
                f"0x{id(self):X}>")


def _type_text(value):
    """A value's type as TensorFlow's function signatures print it."""
    if isinstance(value, TensorSpec):
        return repr(value)
    if isinstance(value, dict):
        items = ", ".join(f"[{key!r}, {_type_text(item)}]" for key, item in value.items())
        return f"Dict[{items}]"
    if isinstance(value, (list, tuple)):
        kind = "List" if isinstance(value, list) else "Tuple"
        return f"{kind}[{', '.join(_type_text(item) for item in value)}]"
    return f"Literal[{value!r}]"


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """Compiles a function into a callable TensorFlow graph: traced once per signature.

    >>> @tf.function
    ... def square_sum(x):
    ...     return tf.reduce_sum(x * x)
    >>> float(square_sum(tf.constant([1.0, 2.0])))
    5.0
    >>> square_sum.experimental_get_tracing_count()
    1

    Args:
      func: the function to trace (or None, to use `function(...)` as a decorator).
      input_signature: TensorSpecs of the arguments; one trace serves every call.
      autograph: rewrite Python `if`/`while`/`for` on tensors into tf.cond / tf.while_loop.
      jit_compile: accepted for compatibility; has no effect.
      reduce_retracing: trace again with relaxed shapes (None sizes) rather than per shape.
    """
    reduce_retracing = reduce_retracing or bool(experimental_relax_shapes)

    def decorate(f):
        if isinstance(f, Function):
            f = f.python_function
        return Function(f, input_signature=input_signature, autograph=autograph,
                        jit_compile=jit_compile, reduce_retracing=reduce_retracing)

    return decorate if func is None else decorate(func)
