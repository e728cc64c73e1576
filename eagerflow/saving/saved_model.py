"""`tf.saved_model.save` / `tf.saved_model.load`: an object graph with its variables and its
traced tf.functions, saved as data and loaded back without the Python classes that made it.

A SavedModel directory holds two files:

- `saved_model.json`: `{"format": "eagerflow-saved-model", "version": 1, "objects": [...],
  "functions": [...], "signatures": {...}}`.
  `objects[0]` is the saved root. Each object is `{"kind": ...}`: "user_object" (a
  tf.Module or Keras model; `children` lists `[attribute, object id]` pairs), "list",
  "tuple" or "dict" (`children` by index or key), "variable" (`name`, `dtype`, `shape`,
  `trainable` and its `value` in the array store), or "function" (a tf.function: its
  `name`, `parameters` `[name, kind, default]`, `input_signature` and the indices of its
  traced `concrete` functions).
  Each of `functions` is one trace: `inputs` (TensorSpecs), `arguments` (the call's
  arguments, tensors as TensorSpecs, Python values as they were), `outputs` (the returned
  structure, tensors as TensorSpecs) and its `program` (see `program_codec`: op names, JSON
  attributes, value slots, variables by object id, sub-programs of control flow).
  `signatures` maps a name to `{"function", "inputs": [names], "outputs": [[name,
  output index], ...]}`: keyword arguments in, a dict of tensors out.
- `arrays.npz`: the variable values and program constants by key, read with
  `allow_pickle=False`.

Loading never unpickles and never runs code read from the files: op names are looked up
in the registry of eagerflow's primitives. The directory is written beside its target
and renamed into place. TensorFlow's own SavedModels (`saved_model.pb`) are not readable.
The format is described in docs/saved_model.md.
"""

import collections.abc
import inspect
import json
import os
import shutil
import tempfile
import zipfile

import numpy as np

from eagerflow.framework import nest
from eagerflow.framework.atomic_file import match_permissions
from eagerflow.framework.errors import DataLossError
from eagerflow.framework.function.polymorphic import (
    ConcreteFunction, Function, _is_tensor_leaf, _leaf_key, _spec_of)
from eagerflow.framework.module import Module
from eagerflow.framework.tensor import Tensor, wrap
from eagerflow.framework.tensor_spec import TensorSpec
from eagerflow.framework.variables import Variable
from eagerflow.saving.program_codec import (
    ArrayStore, ProgramDecoder, ProgramEncoder, UnsaveableError, decode_value, encode_value)
from eagerflow.training import object_graph

FORMAT = "eagerflow-saved-model"
VERSION = 1
GRAPH_FILE = "saved_model.json"
ARRAYS_FILE = "arrays.npz"
DEFAULT_SIGNATURE = "serving_default"


# --- saving -------------------------------------------------------------------------------

def save(obj, export_dir, signatures=None, options=None):
    """Saves `obj` (a tf.Module or Keras model), its variables and its traced tf.functions
    to the directory `export_dir`.

    Args:
      obj: the object to save; tf.functions found in its attributes (and their traces so
        far; one with an `input_signature` is traced now) are saved with it.
      export_dir: the directory to write.
      signatures: a tf.function with an input_signature, a ConcreteFunction, or a dict of
        them by name (a single one is "serving_default"). Default: the only tf.function of
        `obj` with an input_signature, if there is exactly one.
      options: accepted for compatibility; has no effect.

    Raises:
      ValueError: if `obj` cannot be exported, a signature is not a traced function, or a
        function holds an op that cannot be saved (`tf.py_function` and friends).
    """
    if not _is_user_object(obj):
        raise ValueError(f"Expected an object of type `Trackable`, such as `tf.Module` or a "
                         f"subclass of the `Trackable` class, for export. Got {obj!r} with "
                         f"type {type(obj)!r}.")
    if signatures is None and isinstance(obj, _UserObject):
        signatures = dict(getattr(obj, "signatures", {})) or None  # kept when saved again
    elif signatures is None:
        signatures = _default_signature(obj)
    write(obj, export_dir, _signature_functions(signatures))


def _default_signature(obj):
    candidates = [fn for _, fn in _function_attributes(obj) if fn.input_signature is not None]
    return candidates[0] if len(candidates) == 1 else None


def _signature_functions(signatures):
    """A dict of ConcreteFunctions by signature name."""
    if signatures is None:
        return {}
    if not isinstance(signatures, dict):
        signatures = {DEFAULT_SIGNATURE: signatures}
    result = {}
    for name, fn in signatures.items():
        if isinstance(fn, Function) and fn.input_signature is not None:
            fn = fn.get_concrete_function()
        if not isinstance(fn, ConcreteFunction):
            raise ValueError(f"Expected a TensorFlow function for which to generate a "
                             f"signature, but got {fn!r}. Only `tf.functions` with an input "
                             f"signature or concrete functions can be used as a signature.")
        result[name] = fn
    return result


def _is_user_object(value):
    return (isinstance(value, (Module, _UserObject)) or object_graph.is_trackable(value)) and (
        not isinstance(value, (Variable, ConcreteFunction, list, tuple, dict)))


def _is_saveable(value):
    if isinstance(value, (Variable, Function)):
        return True
    if isinstance(value, (list, tuple)):  # an empty one too, as TensorFlow tracks it
        return not value or any(_is_saveable(item) for item in value)
    if isinstance(value, dict):
        return not value or any(_is_saveable(item) for item in value.values())
    return _is_user_object(value)


def _function_attributes(obj):
    """The tf.functions of `obj`: instance attributes and methods, by name."""
    found = {name: value for name, value in vars(obj).items() if isinstance(value, Function)}
    for klass in type(obj).__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, Function) and name not in found:
                found[name] = getattr(obj, name)
    return sorted(found.items())


def _children(obj):
    """The named edges of the saved object graph leaving `obj`."""
    if isinstance(obj, (Variable, Function)):
        return []
    if isinstance(obj, (list, tuple)):
        return [(str(i), item) for i, item in enumerate(obj) if _is_saveable(item)]
    if isinstance(obj, dict):
        return [(str(key), item) for key, item in obj.items() if _is_saveable(item)]
    functions = _function_attributes(obj)
    names = {name for name, _ in functions}
    if "_layers" in vars(obj):  # a Keras layer: the checkpoint's edges (its state only)
        attributes = object_graph.children(obj)
    else:
        ignored = set(getattr(obj, "_TF_MODULE_IGNORED_PROPERTIES", ()))
        attributes = [(name, value) for name, value in sorted(vars(obj).items())
                      if name not in ignored and not name.startswith("__")
                      and _is_saveable(value)]
    return functions + [(name, value) for name, value in attributes if name not in names]


def _traces(function):
    """The ConcreteFunctions of a tf.function (traced now when it has an input_signature)."""
    if isinstance(function, RestoredFunction):
        return list(function._restored)
    return function._traces()


class _Writer:
    """Builds the JSON data and array store of one SavedModel."""

    def __init__(self):
        self.store = ArrayStore()
        self.objects, self.nodes, self.ids = [], [], {}
        self.functions, self.function_ids = [], {}
        self.encoder = ProgramEncoder(self.store, self._variable_id)

    def graph(self, root):
        self._add(root)
        k = 0
        while k < len(self.objects):  # breadth first, as TensorFlow numbers its nodes
            obj, node = self.objects[k], self.nodes[k]
            if "children" in node:
                node["children"] = [[name, self._add(child)] for name, child in _children(obj)]
            k += 1
        for obj, node in zip(self.objects, self.nodes):
            if node["kind"] == "function":
                node["concrete"] = [self.concrete(c) for c in _traces(obj)]

    def _add(self, obj):
        known = self.ids.get(id(obj))
        if known is not None:
            return known
        self.ids[id(obj)] = len(self.objects)
        self.objects.append(obj)
        self.nodes.append(self._describe(obj))
        return len(self.objects) - 1

    def _describe(self, obj):
        if isinstance(obj, Variable):
            name = getattr(obj, "path", None) or obj.name.rsplit(":", 1)[0]
            return {"kind": "variable", "name": name, "dtype": obj.dtype.name,
                    "shape": obj.shape.as_list(), "trainable": bool(obj.trainable),
                    "value": self.store.add(np.asarray(obj.numpy()), prefix="v")}
        if isinstance(obj, Function):
            return {"kind": "function", "name": obj._name,
                    "parameters": self._parameters(obj),
                    "input_signature": self._encode(obj.input_signature, obj._name)}
        kind = ("list" if isinstance(obj, list) else "tuple" if isinstance(obj, tuple)
                else "dict" if isinstance(obj, dict) else "user_object")
        return {"kind": kind, "children": []}

    def _parameters(self, function):
        parameters = []
        for p in function.function_spec.parameters.values():
            entry = [p.name, p.kind.name]
            if p.default is not p.empty:
                entry.append(self._encode(p.default, function._name))
            parameters.append(entry)
        return parameters

    def _encode(self, value, where):
        try:
            return encode_value(value, self.store)
        except UnsaveableError as err:
            raise ValueError(f"Cannot save tf.function '{where}': it takes a Python {err}, "
                             "which a SavedModel cannot hold.") from None

    def _variable_id(self, variable):
        known = self.ids.get(id(variable))
        if known is None:
            # TensorFlow raises AssertionError here, with this text.
            raise AssertionError(
                "Tried to export a function which references an 'untracked' resource. "
                "TensorFlow objects (e.g. tf.Variable) captured by functions must be "
                "'tracked' by assigning them to an attribute of a tracked object or assigned "
                "to an attribute of the main object directly. See the information below:\n"
                f"\tTrackable referencing this tensor = {variable!r}")
        return known

    def concrete(self, concrete):
        """The index of `concrete` in the saved functions (encoded on first use)."""
        known = self.function_ids.get(id(concrete))
        if known is not None:
            return known
        name = concrete.name
        try:
            program = self.encoder.program(concrete._program)
        except UnsaveableError as err:
            raise ValueError(f"Cannot save tf.function '{name}': {err}.") from None
        specs = iter(concrete._specs)
        arguments = [nest.pack_sequence_as(value, [
            next(specs) if _is_tensor_leaf(leaf) else leaf for leaf in nest.flatten(value)])
            for value in concrete._input_structure]
        outputs = getattr(concrete, "output_specs", None)  # a loaded function's
        if outputs is None:
            outputs = nest.map_structure(
                lambda v: TensorSpec(v.shape, v.dtype) if isinstance(v, Tensor) else v,
                concrete.structured_outputs)
        self.functions.append({
            "name": name, "inputs": self._encode(list(concrete._specs), name),
            "arguments": self._encode(arguments, name),
            "outputs": self._encode(outputs, name), "program": program})
        self.function_ids[id(concrete)] = len(self.functions) - 1
        return len(self.functions) - 1

    def signature(self, name, concrete):
        outputs = concrete._outputs  # Tensors where the function returns tensors
        flat = nest.flatten(outputs)
        if not all(isinstance(v, Tensor) for v in flat):
            raise ValueError(f"Signature '{name}' must return tensors, got {outputs!r}.")
        if isinstance(outputs, dict):
            output_names = [str(key) for key in sorted(outputs, key=str)]
        else:
            output_names = [f"output_{i}" for i in range(len(flat))]
        declared = concrete._function.input_signature
        spec_names = [s.name for s in nest.flatten(list(declared))] if declared else []
        inputs = [(spec_names[i] if i < len(spec_names) and spec_names[i] else s.name)
                  for i, s in enumerate(concrete._specs)]
        return {"function": self.concrete(concrete), "inputs": inputs,
                "outputs": [[n, i] for i, n in enumerate(output_names)]}

    def data(self, signatures):
        return {"format": FORMAT, "version": VERSION, "objects": self.nodes,
                "functions": self.functions,
                "signatures": {name: self.signature(name, fn)
                               for name, fn in signatures.items()}}


def write(root, export_dir, signatures):
    """Writes the SavedModel of `root` with `signatures` (ConcreteFunctions by name) to
    `export_dir`, through a temporary directory renamed into place."""
    writer = _Writer()
    writer.graph(root)
    data = writer.data(signatures)
    export_dir = os.fspath(export_dir)
    target = os.path.abspath(export_dir)
    if os.path.isdir(target) and os.listdir(target) and not os.path.exists(
            os.path.join(target, GRAPH_FILE)):
        raise ValueError(f"Cannot save a SavedModel to {export_dir!r}: the directory exists "
                         "and holds other files.")
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    temporary = tempfile.mkdtemp(prefix=".tmp-saved_model-", dir=parent)
    try:
        with open(os.path.join(temporary, ARRAYS_FILE), "wb") as stream:
            np.savez(stream, **writer.store.arrays)
        with open(os.path.join(temporary, GRAPH_FILE), "w", encoding="utf-8") as stream:
            json.dump(data, stream)
        match_permissions(temporary, target, directory=True)
        if os.path.isdir(target):
            old = tempfile.mkdtemp(prefix=".old-saved_model-", dir=parent)
            os.replace(target, os.path.join(old, "old"))
            os.replace(temporary, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


# --- loading ------------------------------------------------------------------------------

class _UserObject:
    """A loaded object: the saved attributes, without the class that made them."""


class _SignatureMap(collections.abc.Mapping):
    """The `signatures` of a loaded object: signature functions by name."""

    def __init__(self, functions):
        self._functions = dict(functions)

    def __getitem__(self, name):
        return self._functions[name]

    def __iter__(self):
        return iter(self._functions)

    def __len__(self):
        return len(self._functions)

    def __repr__(self):
        return f"_SignatureMap({self._functions!r})"


class RestoredFunction(Function):
    """A loaded tf.function: calls run the saved trace whose signature they match."""

    def __init__(self, name, parameters, input_signature=None):
        def restored(*args, **kwargs):
            # Runs the saved trace even under tf.config.run_functions_eagerly(True): the
            # Python body is not saved.
            concrete, _ = self._lookup(args, kwargs)
            return concrete._call_bound(args, kwargs)

        restored.__name__ = restored.__qualname__ = name
        restored.__signature__ = inspect.Signature(parameters)
        super().__init__(restored, name=name, input_signature=input_signature,
                         autograph=False)
        self._restored = []

    def __get__(self, instance, owner=None):
        return self  # an attribute of a loaded object, not a method

    def _trace(self, bound, specs=None):
        if not self._restored:
            raise ValueError("Found zero restored functions for caller function.")
        values = list(bound.arguments.values())
        for concrete in self._restored:
            if _matches(concrete._input_structure, values):
                return concrete
        raise ValueError(
            "Could not find matching concrete function to call loaded from the SavedModel. "
            f"Got:\n{_describe_call(values, bound)}\n\n Expected these arguments to match one "
            f"of the following {len(self._restored)} option(s):\n\n" + "\n\n".join(
                f"Option {k + 1}:\n{_describe_call(list(c._input_structure), bound)}"
                for k, c in enumerate(self._restored)))


def _matches(saved, values):
    try:
        nest.assert_same_structure(list(saved), values, check_types=False)
    except (ValueError, TypeError):
        return False
    for expected, given in zip(nest.flatten(list(saved)), nest.flatten(values)):
        if isinstance(expected, TensorSpec):
            if not _is_tensor_leaf(given):
                return False
            if not expected.is_compatible_with(_spec_of(given)):
                return False
        elif _is_tensor_leaf(given) or _leaf_key(expected) != _leaf_key(given):
            return False
    return True


def _describe_call(values, bound):
    names = list(bound.arguments)
    lines = [f"  Positional arguments ({len(values)} total):"]
    for name, value in zip(names, values):
        shown = nest.map_structure(lambda v: _ArgumentText(v, name), value)
        lines.append(f"    * {shown!r}")
    lines.append("  Keyword arguments: {}")
    return "\n".join(lines)


class _ArgumentText:
    """How TensorFlow's message shows one argument: a tensor as its graph placeholder."""

    def __init__(self, value, name):
        self.value, self.name = value, name

    def __repr__(self):
        value = self.value
        if isinstance(value, Tensor) or isinstance(value, np.ndarray):
            spec = _spec_of(value)
            return (f"<tf.Tensor '{self.name}:0' shape={spec.shape} "
                    f"dtype={spec.dtype.name}>")
        return repr(value)


class _Reader:
    """Rebuilds the objects of one SavedModel directory."""

    def __init__(self, path, data, arrays):
        self.path = path
        self.data = data
        self.store = ArrayStore(arrays)
        self.objects = [None] * len(data["objects"])
        self.decoder = ProgramDecoder(self.store, self._variable)

    def _variable(self, index):
        variable = self.objects[index]
        if not isinstance(variable, Variable):
            raise ValueError(f"object {index} is not a variable")
        return variable

    def load(self):
        nodes = self.data["objects"]
        for k, node in enumerate(nodes):  # variables first: functions read them
            if node["kind"] == "variable":
                self.objects[k] = Variable(self.store.get(node["value"]),
                                           trainable=node["trainable"], name=node["name"])
        for k, node in enumerate(nodes):
            kind = node["kind"]
            if kind in ("list", "tuple"):
                self.objects[k] = []
            elif kind == "dict":
                self.objects[k] = {}
            elif kind == "user_object":
                self.objects[k] = _UserObject()
                if any(name == "__call__" for name, _ in node["children"]):
                    # Python calls an object through its class: a class of its own.
                    self.objects[k].__class__ = type("_UserObject", (_UserObject,), {})
            elif kind != "variable" and kind != "function":
                raise ValueError(f"object {k} has the unknown kind {kind!r}")
        concretes = {}
        for k, node in enumerate(nodes):
            if node["kind"] == "function":
                self.objects[k] = self._function(node, concretes)
        for k, node in enumerate(nodes):
            obj = self.objects[k]
            for name, child in node.get("children", []):
                self._attach(obj, node["kind"], name, self.objects[child])
        for k, node in enumerate(nodes):
            if node["kind"] == "tuple":
                self.objects[k] = tuple(self.objects[k])
        root = self.objects[0]
        if isinstance(root, _UserObject):
            root.signatures = _SignatureMap(
                (name, self._signature(name, entry))
                for name, entry in self.data["signatures"].items())
        return root

    def _attach(self, obj, kind, name, child):
        if kind in ("list", "tuple"):
            obj.append(child)
        elif kind == "dict":
            obj[name] = child
        elif name == "__call__":
            type(obj).__call__ = child
        else:
            setattr(obj, name, child)

    def _parameters(self, entries):
        parameters = []
        for entry in entries:
            name, kind = entry[0], inspect.Parameter.__dict__[entry[1]]
            default = decode_value(entry[2], self.store) if len(entry) > 2 else (
                inspect.Parameter.empty)
            parameters.append(inspect.Parameter(name, kind, default=default))
        return parameters

    def _function(self, node, concretes):
        signature = node["input_signature"]
        signature = decode_value(signature, self.store) if signature is not None else None
        function = RestoredFunction(node["name"], self._parameters(node["parameters"]),
                                    signature)
        for index in node["concrete"]:
            concrete = concretes.get(index)
            if concrete is None:
                concrete = concretes[index] = self._concrete(function, index)
            function._restored.append(concrete)
        return function

    def _concrete(self, function, index, program=None, arguments=None, outputs=None,
                  kind=ConcreteFunction):
        entry = self.data["functions"][index]
        specs = decode_value(entry["inputs"], self.store)
        if arguments is not None:
            specs = list(arguments)
        else:
            arguments = tuple(decode_value(entry["arguments"], self.store))
        if outputs is None:
            outputs = decode_value(entry["outputs"], self.store)
        if program is None:
            program = self.decoder.program(entry["program"])
        markers = nest.map_structure(_output_marker, outputs)
        other_keys = [_leaf_key(v) for v in nest.flatten(list(arguments))
                      if not _is_tensor_leaf(v)]
        concrete = kind(function, program, specs, arguments, markers, other_keys)
        concrete.output_specs = outputs
        return concrete

    def _signature(self, name, entry):
        source = self.data["functions"][entry["function"]]
        specs = decode_value(source["inputs"], self.store)
        specs = [TensorSpec(s.shape, s.dtype, n) for s, n in zip(specs, entry["inputs"])]
        outputs = dict(entry["outputs"])
        flat_specs = nest.flatten(decode_value(source["outputs"], self.store))
        program_data = dict(source["program"])
        # The program returns the outputs in the order a dict of them flattens (its keys
        # sorted), which is the order the signature function packs them in.
        order = sorted(outputs)
        program_data["outputs"] = [source["program"]["outputs"][outputs[n]] for n in order]
        program = self.decoder.program(program_data)
        parameters = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY)
                      for n in entry["inputs"]]
        function = RestoredFunction(source["name"], parameters)
        structure = {n: TensorSpec(flat_specs[outputs[n]].shape, flat_specs[outputs[n]].dtype, n)
                     for n in order}
        concrete = self._concrete(function, entry["function"], program, tuple(specs),
                                  structure, _SignatureFunction)
        function._restored.append(concrete)
        return concrete


class _SignatureFunction(ConcreteFunction):
    """A loaded signature: keyword arguments named by its inputs, a dict of tensors out."""

    output_specs = None

    @property
    def structured_outputs(self):
        return self.output_specs

    def __call__(self, *args, **kwargs):
        return self._function(*args, **kwargs)


def _output_marker(value):
    """A stand-in Tensor for an output TensorSpec (a ConcreteFunction packs its outputs by
    the positions of the Tensors in its output structure)."""
    if isinstance(value, TensorSpec):
        shape = [d if d is not None else 0 for d in (value.shape.as_list()
                                                     if value.shape.rank is not None else [])]
        return wrap(np.zeros(shape, value.dtype.as_numpy_dtype))
    return value


def load(export_dir, tags=None, options=None):
    """Loads a SavedModel written by `tf.saved_model.save` (or Keras's `model.export`).

    Returns an object with the saved attributes: variables (restored as tf.Variables),
    submodules, lists and dicts of them, tf.functions callable with the signatures they
    were traced with, and `signatures`, whose functions take keyword arguments and return
    a dict of tensors.

    Raises:
      OSError: if `export_dir` holds no SavedModel.
      tf.errors.DataLossError: if its files are damaged, or it is TensorFlow's format.
    """
    path = os.fspath(export_dir)
    graph_file = os.path.join(path, GRAPH_FILE)
    if not os.path.isfile(graph_file):
        if os.path.isfile(os.path.join(path, "saved_model.pb")):
            raise _damaged(path, "it is a TensorFlow SavedModel (saved_model.pb), a format "
                                 "eagerflow cannot read; eagerflow reads the SavedModels it "
                                 f"writes ({GRAPH_FILE} and {ARRAYS_FILE})")
        raise OSError(f"SavedModel file does not exist at: {path}/{{{GRAPH_FILE}}}")
    try:
        with open(graph_file, encoding="utf-8") as stream:
            data = json.load(stream)
    except (ValueError, UnicodeDecodeError) as err:
        raise _damaged(path, f"{GRAPH_FILE} is not valid JSON ({err})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _damaged(path, f"{GRAPH_FILE} is not an eagerflow SavedModel")
    if data.get("version") != VERSION:
        raise _damaged(path, f"{GRAPH_FILE} has format version {data.get('version')!r}; "
                             f"this eagerflow reads version {VERSION}")
    arrays_file = os.path.join(path, ARRAYS_FILE)
    try:
        with np.load(arrays_file, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except FileNotFoundError:
        raise _damaged(path, f"{ARRAYS_FILE} is missing") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as err:
        raise _damaged(path, f"{ARRAYS_FILE} is damaged ({err})") from None
    try:
        return _Reader(path, data, arrays).load()
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as err:
        raise _damaged(path, f"{GRAPH_FILE} is damaged or inconsistent with {ARRAYS_FILE} "
                             f"({type(err).__name__}: {err})") from None


def _damaged(path, problem):
    return DataLossError(None, None, f"Unable to load the SavedModel at {path}: {problem}.")
