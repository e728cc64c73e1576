"""`keras.ops` core: conversion, dtypes and shapes, control flow, scatter and slices.

Control flow runs eagerly through the `tf` control-flow ops; each is differentiable where
its `tf` counterpart is.

>>> from eagerflow.keras import ops
>>> ops.fori_loop(0, 4, lambda i, total: total + i, 0)
<tf.Tensor: shape=(), dtype=int32, numpy=6>
"""

import numpy as np

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.ops.dispatch import check_dtype, convert, keras_op
from eagerflow.keras.symbolic import KerasTensor


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """`x` as a Tensor; Python floats become `floatx()`, NumPy arrays keep their dtype."""
    if sparse:
        raise ValueError("`sparse=True` is not supported: eagerflow has no sparse tensors.")
    if ragged:
        raise ValueError("`ragged=True` is not supported: eagerflow has no ragged tensors.")
    return convert(x, dtype)


def convert_to_numpy(x):
    """`x` as a NumPy array."""
    if isinstance(x, KerasTensor):
        raise ValueError("A symbolic KerasTensor cannot be converted to NumPy.")
    return np.asarray(x)


def is_tensor(x):
    """Whether `x` is a tensor of the backend (a tf.Tensor or tf.Variable)."""
    return tf.is_tensor(x)


def dtype(x):
    """`x`'s dtype name, as Keras spells it ("float32")."""
    return backend.standardize_dtype(x.dtype)


@keras_op("core")
def shape(x):
    """`x`'s shape as a tuple of ints (None for unknown sizes of a KerasTensor)."""
    return tuple(x.shape)


@keras_op("core")
def cast(x, dtype):
    dtype = backend.standardize_dtype(dtype)
    check_dtype(dtype)
    return tf.cast(convert(x), dtype)


@keras_op("core")
def saturate_cast(x, dtype):
    """A cast that clips `x` to the range of `dtype` first (no wrap-around)."""
    dtype = backend.standardize_dtype(dtype)
    x = convert(x)
    target = np.dtype(dtype)
    if target.kind in "iu":
        info = np.iinfo(target)
        if x.dtype.is_floating:
            x = tf.clip_by_value(x, float(info.min), float(info.max))
        else:
            low = max(info.min, np.iinfo(x.dtype.as_numpy_dtype).min)
            high = min(info.max, np.iinfo(x.dtype.as_numpy_dtype).max) \
                if x.dtype != tf.bool else 1
            x = tf.clip_by_value(x, tf.cast(low, x.dtype), tf.cast(high, x.dtype)) \
                if x.dtype != tf.bool else x
    elif target.kind == "f" and x.dtype.is_floating:
        info = np.finfo(target)
        x = tf.clip_by_value(x, tf.cast(float(info.min), x.dtype), tf.cast(float(info.max),
                                                                             x.dtype))
    return tf.cast(x, dtype)


@keras_op("core")
def stop_gradient(variable):
    return tf.stop_gradient(convert(variable))


def custom_gradient(f):
    """`f` returns `(output, grad_fn)`; the tape then uses `grad_fn(*upstream)`."""
    return tf.custom_gradient(f)


# --- control flow ----------------------------------------------------------------------------

def cond(pred, true_fn, false_fn):
    return tf.cond(pred, true_fn, false_fn)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Runs `body` while `cond` holds; `loop_vars` may be a tuple, a list or one value
    (`body` then takes and returns one value), as Keras allows."""
    is_tuple = isinstance(loop_vars, (tuple, list))
    loop_vars = tuple(loop_vars) if is_tuple else (loop_vars,)

    def step(*values):
        result = body(*values)
        return tuple(result) if is_tuple else (result,)
    result = tf.while_loop(cond, step, loop_vars, maximum_iterations=maximum_iterations)
    return tuple(result) if is_tuple else result[0]


def fori_loop(lower, upper, body_fun, init_val):
    """`body_fun(i, value)` for i in [lower, upper), threading `value` through."""
    def step(i, value):
        return i + 1, body_fun(i, value)
    _, result = tf.while_loop(lambda i, value: i < upper, step,
                              (convert(lower), init_val))
    return result


def switch(index, branches, *operands):
    """`branches[index](*operands)`, with `index` clamped into range as Keras does."""
    index = int(tf.clip_by_value(convert(index), 0, len(branches) - 1))
    return branches[index](*operands)


def map(f, xs):  # noqa: A001  (keras.ops's name)
    """`f` applied to each slice of `xs` along its first axis, results stacked."""
    return tf.map_fn(f, xs)


def vectorized_map(function, elements):
    return tf.vectorized_map(function, elements)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """JAX's `scan`: `carry, y = f(carry, x)` over the leading axis of `xs`; returns the
    final carry and the stacked `y`s."""
    if xs is None:
        if length is None:
            raise ValueError("Got no `xs` to scan over and `length` not provided.")
        steps = length
    else:
        steps = tf.nest.flatten(xs)[0].shape[0]
    carry, outputs = init, []
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    for i in order:
        x = None if xs is None else tf.nest.map_structure(lambda v, i=i: convert(v)[i], xs)
        carry, y = f(carry, x)
        outputs.append(y)
    if reverse:
        outputs.reverse()
    if not outputs or tf.nest.flatten(outputs[0]) == [] or outputs[0] is None:
        return carry, None
    stacked = tf.nest.map_structure(lambda *ys: tf.stack([convert(y) for y in ys]), *outputs)
    return carry, stacked


def associative_scan(f, elems, reverse=False, axis=0):
    """Prefix combinations of `elems` along `axis` with the associative `f`: element i is
    f(...f(e0, e1)..., ei), computed by doubling strides (log2(n) passes of `f`)."""
    flat = [convert(e) for e in tf.nest.flatten(elems)]
    structure = elems
    if reverse:
        flat = [tf.reverse(e, [axis]) for e in flat]
    n = flat[0].shape[axis]
    offset = 1
    while offset < n:
        head = [tf.gather(e, tf.range(offset), axis=axis) for e in flat]
        left = [tf.gather(e, tf.range(n - offset), axis=axis) for e in flat]
        right = [tf.gather(e, tf.range(offset, n), axis=axis) for e in flat]
        combined = tf.nest.flatten(f(tf.nest.pack_sequence_as(structure, left),
                                     tf.nest.pack_sequence_as(structure, right)))
        flat = [tf.concat([h, c], axis) for h, c in zip(head, combined)]
        offset *= 2
    if reverse:
        flat = [tf.reverse(e, [axis]) for e in flat]
    return tf.nest.pack_sequence_as(structure, flat)


# --- scatter and slices -------------------------------------------------------------------------

@keras_op("core", operands=2)
def scatter(indices, values, shape):
    """A zeros tensor of `shape` with `values` added at `indices` (duplicates add up)."""
    values = convert(values)
    indices = tf.cast(convert(indices), tf.int32)
    return tf.scatter_nd(indices, values, shape)


@keras_op("core", operands=3)
def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert(inputs)
    indices = tf.cast(convert(indices), tf.int32)
    updates = convert(updates, inputs.dtype.name)
    scatters = {None: tf.tensor_scatter_nd_update, "add": tf.tensor_scatter_nd_add,
                "max": tf.tensor_scatter_nd_max, "min": tf.tensor_scatter_nd_min}
    if reduction not in scatters:
        raise ValueError(f"Unsupported reduction: {reduction}. Expected one of None, 'add', "
                         f"'max' or 'min'.")
    return scatters[reduction](inputs, indices, updates)


@keras_op("core", operands=2)
def slice(inputs, start_indices, shape):  # noqa: A001
    return tf.slice(convert(inputs), list(np.asarray(start_indices)), list(shape))


@keras_op("core", operands=3)
def slice_update(inputs, start_indices, updates):
    """`inputs` with the block at `start_indices` replaced by `updates`."""
    inputs = convert(inputs)
    updates = convert(updates, inputs.dtype.name)
    starts = [int(s) for s in np.asarray(start_indices)]
    grids = tf.meshgrid(*[tf.range(s, s + n) for s, n in zip(starts, updates.shape)],
                        indexing="ij")
    indices = tf.stack(grids, -1)
    return tf.tensor_scatter_nd_update(inputs, indices, updates)


@keras_op("core")
def unstack(x, num=None, axis=0):
    return tf.unstack(convert(x), num=num, axis=axis)


def view_as_complex(x):
    """A complex tensor from real pairs in the last axis (size 2): real, imaginary."""
    x = convert(x)
    if x.shape[-1] != 2:
        raise ValueError(f"Last dimension of input must be size 2 (real and imaginary). "
                         f"Received shape: {tuple(x.shape)}")
    return tf.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    """Real pairs (real, imaginary) in a new last axis of size 2, from a complex `x`."""
    x = convert(x)
    return tf.stack([tf.math.real(x), tf.math.imag(x)], -1)


def _rearrange_side(side):
    """`"b (h w) c"` -> [["b"], ["h", "w"], ["c"]]: each output axis as its named parts."""
    groups, current = [], None
    for token in side.replace("(", " ( ").replace(")", " ) ").split():
        if token == "(":
            if current is not None:
                raise ValueError(f"Nested parentheses are not allowed: '{side}'")
            current = []
        elif token == ")":
            if current is None:
                raise ValueError(f"Unbalanced parentheses in '{side}'")
            groups.append(current)
            current = None
        elif current is not None:
            current.append(token)
        else:
            groups.append([token])
    if current is not None:
        raise ValueError(f"Unbalanced parentheses in '{side}'")
    return groups


def rearrange(tensor, pattern, **axes_lengths):
    """einops' `rearrange`: split, permute and merge axes by a pattern such as
    `"b (h w) c -> b h w c"` (sizes of split axes given as keywords, `h=4`)."""
    tensor = convert(tensor)
    if "->" not in pattern:
        raise ValueError(f"Pattern must contain '->'. Received: pattern={pattern}")
    left, right = (_rearrange_side(side) for side in pattern.split("->"))
    if len(left) != len(tensor.shape):
        raise ValueError(f"The pattern '{pattern}' names {len(left)} axes, but the tensor "
                         f"has shape {tuple(tensor.shape)}")
    sizes = dict(axes_lengths)
    for group, size in zip(left, tensor.shape):
        unknown = [name for name in group if name not in sizes]
        known = int(np.prod([sizes[name] for name in group if name in sizes]))
        if len(unknown) > 1:
            raise ValueError(f"Could not infer the sizes of {unknown} in '{pattern}': give "
                             f"them as keyword arguments.")
        if unknown:
            sizes[unknown[0]] = size // known
    names = [name for group in left for name in group]
    if sorted(names) != sorted(name for group in right for name in group):
        raise ValueError(f"Both sides of '{pattern}' must name the same axes.")
    split = tf.reshape(tensor, [sizes[name] for name in names])
    order = [names.index(name) for group in right for name in group]
    moved = tf.transpose(split, order)
    return tf.reshape(moved, [int(np.prod([sizes[name] for name in group]))
                              for group in right])
