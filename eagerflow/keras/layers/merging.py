"""Merge layers: element-wise `Add` … `Minimum`, `Concatenate` and `Dot`, each with its
functional form (`add` … `dot`).

Element-wise merges broadcast as Keras does: the batch dimensions must agree, and inputs of
lower rank gain size-1 axes right after the batch axis, so the other axes align at the right.
Shapes are checked when the layer is built (on the first call) and computed without data for
symbolic inputs (`keras.Input`).
"""

import math

import eagerflow as tf
from eagerflow.keras import backend
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.symbolic import KerasTensor


def _common_dtype(dtypes):
    """Keras's promotion for merged inputs: a float type over integers, the wider over the
    narrower (int32 and float32 give float32; int32 and int64 give int64)."""
    dtypes = [tf.as_dtype(d) for d in dtypes]
    if all(d == dtypes[0] for d in dtypes):
        return dtypes[0]
    candidates = [d for d in dtypes if d.is_floating] or dtypes
    return max(candidates, key=lambda d: d.size)


def _elementwise_shape(shape1, shape2):
    """The broadcast shape of two shapes aligned at the right (None: unknown)."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return tuple(shape1)
    output = list(shape1[:len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            output.append(None)
        elif i == 1 or j == 1:
            output.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes "
                             f"{tuple(shape1)} and {tuple(shape2)}")
        else:
            output.append(i)
    return tuple(output)


class Merge(Layer):
    """The base of the element-wise merge layers: checks a list of inputs, aligns their
    ranks, and hands them to `_merge_function`.

    >>> from eagerflow.keras.layers.merging import Merge
    >>> class First(Merge):
    ...     def _merge_function(self, inputs):
    ...         return inputs[0]
    >>> First()([tf.ones((2, 3)), tf.zeros((2, 3))]).numpy().tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """

    # Whether inputs of lower rank gain axes after the batch axis (not for Concatenate/Dot).
    _aligns_ranks = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        raise NotImplementedError

    def compute_mask(self, inputs, mask=None):
        """The OR of the inputs' masks (None unless every input has one), as Keras does."""
        masks = _check_masks(inputs, mask)
        if masks is None or any(m is None for m in masks):
            return None
        return _fold(tf.logical_or, masks)

    # --- shapes -------------------------------------------------------------------------

    def _check_shapes(self, input_shape):
        """The shapes as tuples, after checking that they can be merged."""
        if not isinstance(input_shape, (list, tuple)) or not input_shape or not isinstance(
                input_shape[0], (list, tuple)):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: "
                             f"input_shape={input_shape} (not a list of shapes)")
        shapes = [tuple(s) for s in input_shape]
        batch_sizes = {s[0] for s in shapes if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(f"Cannot merge tensors with different batch sizes. Received "
                             f"tensors with shapes {shapes}")
        return shapes

    def build(self, input_shape):
        self.compute_output_shape(input_shape)  # only to check the shapes
        self.built = True

    def compute_output_shape(self, input_shape):
        shapes = self._check_shapes(input_shape)
        output = shapes[0][1:]
        for shape in shapes[1:]:
            output = _elementwise_shape(output, shape[1:])
        batch_sizes = {s[0] for s in shapes if s} - {None}
        return (batch_sizes.pop() if batch_sizes else None,) + tuple(output)

    def compute_output_spec(self, inputs, **kwargs):
        if not isinstance(inputs, (list, tuple)):
            self.compute_output_shape(inputs.shape)  # raises: not a list
        shape = self.compute_output_shape([x.shape for x in inputs])
        return KerasTensor(shape, self._output_dtype([x.dtype for x in inputs]))

    def _output_dtype(self, dtypes):
        # Floating inputs are cast to the layer's dtype, as `__call__` does with data.
        if self.autocast:
            dtypes = [self._dtype if tf.as_dtype(d).is_floating else d for d in dtypes]
        return _common_dtype(dtypes).name

    # --- calling ------------------------------------------------------------------------

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: "
                             f"inputs={inputs} (not a list of tensors)")
        dtype = _common_dtype([x.dtype for x in inputs])
        inputs = [x if x.dtype == dtype else tf.cast(x, dtype) for x in inputs]
        if self._aligns_ranks:
            rank = max(x.shape.rank for x in inputs)
            inputs = [_expand_after_batch(x, rank) for x in inputs]
        if mask is not None and any(m is not None for m in mask):
            return self._merge_masked(inputs, list(mask))
        return self._merge_function(inputs)

    def _merge_masked(self, inputs, masks):
        """The merge of inputs of which some carry masks (the masks are ignored here)."""
        return self._merge_function(inputs)


def _expand_after_batch(x, rank):
    """`x` with size-1 axes after the batch axis up to `rank` (scalars are left alone)."""
    shape = tuple(x.shape)
    if not shape or len(shape) >= rank:
        return x
    return tf.reshape(x, shape[:1] + (1,) * (rank - len(shape)) + shape[1:])


def _check_masks(inputs, mask):
    """The masks of a merge layer's inputs as a list, after Keras's checks (None for no masks)."""
    if mask is None:
        return None
    if not isinstance(mask, (tuple, list)):
        raise ValueError(f"`mask` should be a list. Received: mask={mask}")
    if not isinstance(inputs, (tuple, list)):
        raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")
    if len(mask) != len(inputs):
        raise ValueError(f"The lists `inputs` and `mask` should have the same length. "
                         f"Received: inputs={inputs} of length {len(inputs)}, and "
                         f"mask={mask} of length {len(mask)}")
    return list(mask)


def _value_masks(inputs, masks):
    """Each input's mask broadcast to the input's shape (all True for an unmasked input)."""
    full = []
    for x, m in zip(inputs, masks):
        if m is None:
            full.append(tf.ones_like(x, dtype=tf.bool))
            continue
        m = tf.cast(m, tf.bool)
        if len(m.shape) < len(x.shape):  # a per-step mask covers all the step's features
            m = tf.expand_dims(m, -1)
        full.append(tf.broadcast_to(m, tf.shape(x)))
    return full


def _fold_unmasked(op, inputs, masks):
    """`op` folded over the inputs that are not masked at each position, as Keras's
    Maximum and Minimum do (where every input is masked, the first input's value)."""
    full = _value_masks(inputs, masks)
    output = inputs[0]
    seen = full[0]
    for x, m in zip(inputs[1:], full[1:]):
        combined = op(tf.where(seen, output, x), x)
        output = tf.where(m, combined, output)
        seen = tf.logical_or(seen, m)
    return output


def _fold(op, inputs):
    output = inputs[0]
    for x in inputs[1:]:
        output = op(output, x)
    return output


class Add(Merge):
    """Performs elementwise addition: the sum of a list of inputs of the same shape.

    >>> from eagerflow import keras
    >>> keras.layers.Add()([tf.constant([[1.0, 2.0]]), tf.constant([[10.0, 20.0]])]
    ...                    ).numpy().tolist()
    [[11.0, 22.0]]

    In a functional model:

    >>> input1 = keras.Input(shape=(16,))
    >>> x1 = keras.layers.Dense(8, activation="relu")(input1)
    >>> input2 = keras.Input(shape=(32,))
    >>> x2 = keras.layers.Dense(8, activation="relu")(input2)
    >>> keras.layers.Add()([x1, x2]).shape
    (None, 8)
    """

    def _merge_function(self, inputs):
        return _fold(tf.add, inputs)


class Subtract(Merge):
    """Performs elementwise subtraction: `inputs[0] - inputs[1]` for exactly two inputs.

    >>> from eagerflow import keras
    >>> keras.layers.Subtract()([tf.constant([[5.0, 7.0]]), tf.constant([[1.0, 2.0]])]
    ...                         ).numpy().tolist()
    [[4.0, 5.0]]
    """

    def _check_shapes(self, input_shape):
        shapes = super()._check_shapes(input_shape)
        if len(shapes) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={shapes}")
        return shapes

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: inputs={inputs}")
        return tf.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    """Performs elementwise multiplication: the product of a list of inputs.

    >>> from eagerflow import keras
    >>> keras.layers.Multiply()([tf.constant([[2.0, 3.0]]), tf.constant([[4.0, 5.0]])]
    ...                         ).numpy().tolist()
    [[8.0, 15.0]]
    """

    def _merge_function(self, inputs):
        return _fold(tf.multiply, inputs)

    def _merge_masked(self, inputs, masks):
        # As Keras: masked values count as 1; when every input has a mask, positions that
        # all masks hide become 0.
        full = _value_masks(inputs, masks)
        one = tf.ones((), inputs[0].dtype)
        output = _fold(tf.multiply, [tf.where(m, x, one) for x, m in zip(inputs, full)])
        if all(m is not None for m in masks):
            output = tf.where(_fold(tf.logical_or, full), output, tf.zeros_like(output))
        return output


class Average(Merge):
    """Averages a list of inputs element-wise.

    >>> from eagerflow import keras
    >>> keras.layers.Average()([tf.constant([[2.0, 3.0]]), tf.constant([[4.0, 6.0]])]
    ...                        ).numpy().tolist()
    [[3.0, 4.5]]
    """

    def _merge_function(self, inputs):
        return _fold(tf.add, inputs) / len(inputs)


class Maximum(Merge):
    """Computes the element-wise maximum of a list of inputs.

    >>> from eagerflow import keras
    >>> keras.layers.Maximum()([tf.constant([[1.0, 5.0]]), tf.constant([[3.0, 2.0]])]
    ...                        ).numpy().tolist()
    [[3.0, 5.0]]
    """

    def _merge_function(self, inputs):
        return _fold(tf.maximum, inputs)

    def _merge_masked(self, inputs, masks):
        return _fold_unmasked(tf.maximum, inputs, masks)


class Minimum(Merge):
    """Computes the element-wise minimum of a list of inputs.

    >>> from eagerflow import keras
    >>> keras.layers.Minimum()([tf.constant([[1.0, 5.0]]), tf.constant([[3.0, 2.0]])]
    ...                        ).numpy().tolist()
    [[1.0, 2.0]]
    """

    def _merge_function(self, inputs):
        return _fold(tf.minimum, inputs)

    def _merge_masked(self, inputs, masks):
        return _fold_unmasked(tf.minimum, inputs, masks)


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`; all other dimensions must match.

    >>> from eagerflow import keras
    >>> x = np.arange(20).reshape(2, 2, 5)
    >>> y = np.arange(20, 30).reshape(2, 1, 5)
    >>> keras.layers.Concatenate(axis=1)([x, y]).shape.as_list()
    [2, 3, 5]

    Args:
      axis: the axis along which to concatenate (default -1, the last).
    """

    _aligns_ranks = False

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check_shapes(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or not isinstance(
                input_shape[0], (list, tuple)):
            raise ValueError(f"A `Concatenate` layer should be called on a list of at least "
                             f"1 input. Received: input_shape={input_shape}")
        shapes = [tuple(s) for s in input_shape]
        message = (f"A `Concatenate` layer requires inputs with matching shapes except for "
                   f"the concatenation axis. Received: input_shape={shapes}")
        for shape in shapes:
            if not -len(shape) <= self.axis < len(shape):
                raise ValueError(f"{message} (axis={self.axis} is out of range)")
        reduced = [s[:self.axis % len(s)] + s[self.axis % len(s) + 1:] for s in shapes]
        if len({len(s) for s in reduced}) != 1:
            raise ValueError(message)
        for dims in zip(*reduced):
            if len(set(dims) - {None}) > 1:
                raise ValueError(message)
        return shapes

    def compute_output_shape(self, input_shape):
        shapes = self._check_shapes(input_shape)
        output = list(shapes[0])
        for shape in shapes[1:]:
            if output[self.axis] is None or shape[self.axis] is None:
                output[self.axis] = None
                break
            output[self.axis] += shape[self.axis]
        return tuple(output)

    def _merge_function(self, inputs):
        return tf.concat(inputs, axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        """The inputs' masks (all True for an input without one) concatenated along
        `axis`, then reduced with OR over the last axis, as Keras does."""
        masks = _check_masks(inputs, mask)
        if masks is None or all(m is None for m in masks):
            return None
        full = []
        for x, m in zip(inputs, masks):
            if m is None:
                m = tf.ones_like(x, dtype=tf.bool)
            elif len(m.shape) < len(x.shape):  # a per-step mask: broadcast over features
                m = tf.logical_or(tf.expand_dims(m, -1), tf.zeros_like(x, dtype=tf.bool))
            full.append(m)
        return tf.reduce_any(tf.concat(full, axis=self.axis), axis=-1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def _l2_normalize(x, axis):
    # Keras's `ops.normalize`: x * min(rsqrt(sum(x**2)), 1 / epsilon), so zeros stay zeros.
    inverse_norm = tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True))
    return x * tf.minimum(inverse_norm, tf.cast(1.0 / backend.epsilon(), x.dtype))


def _batch_dot(x, y, axes):
    """Per batch entry, sums the products of `x` and `y` along `axes` (neither the batch
    axis); the output keeps x's other axes, then y's. A rank-1 result becomes (batch, 1)."""
    a0, a1 = axes
    x_order = [0] + [i for i in range(1, x.shape.rank) if i != a0] + [a0]
    y_order = [0, a1] + [i for i in range(1, y.shape.rank) if i not in (0, a1)]
    if x_order != sorted(x_order):
        x = tf.transpose(x, x_order)
    if y_order != sorted(y_order):
        y = tf.transpose(y, y_order)
    x_dims, y_dims = tuple(x.shape)[1:-1], tuple(y.shape)[2:]
    batch, size = x.shape[0], x.shape[-1]
    # One batched matrix product: (batch, x's other axes, size) @ (batch, size, y's).
    output = tf.matmul(tf.reshape(x, (batch, math.prod(x_dims), size)),
                       tf.reshape(y, (batch, size, math.prod(y_dims))))
    return tf.reshape(output, (batch,) + (x_dims + y_dims or (1,)))


class Dot(Merge):
    """Computes the dot product of the samples of two inputs along `axes`.

    For inputs of shapes `(batch, 3, 5)` and `(batch, 10, 3)` and `axes=(1, 2)`, the output
    has shape `(batch, 5, 10)`. With `normalize=True` each sample is L2-normalized along its
    axis first, so the output is the cosine similarity.

    >>> from eagerflow import keras
    >>> x = np.arange(10, dtype="float32").reshape(1, 5, 2)
    >>> y = np.arange(10, 20, dtype="float32").reshape(1, 2, 5)
    >>> keras.layers.Dot(axes=(1, 2))([x, y]).numpy().tolist()
    [[[260.0, 360.0], [320.0, 445.0]]]

    Args:
      axes: an integer, or a pair of integers (one axis of each input), along which to take
        the dot product. The two axes must have the same size; the batch axis 0 cannot be
        included.
      normalize: whether to L2-normalize the samples along the dot product axes first.
    """

    _aligns_ranks = False

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(f"Invalid type for argument `axes`: it should be a list or an "
                                f"int. Received: axes={axes}")
            if len(axes) != 2:
                raise ValueError(f"Invalid format for argument `axes`: it should contain two "
                                 f"elements. Received: axes={axes}")
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(f"Invalid format for argument `axes`: list elements should "
                                 f"be integers. Received: axes={axes}")
        self.axes = axes
        self.normalize = normalize

    def _axes_for(self, shape1, shape2):
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        return [axes[0] % len(shape1), axes[1] % len(shape2)]

    def _check_shapes(self, input_shape):
        if (not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2
                or not isinstance(input_shape[0], (list, tuple))):
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. "
                             f"Received: input_shape={input_shape}")
        shape1, shape2 = (tuple(s) for s in input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(f"Cannot do batch_dot on inputs with rank < 2. Received inputs "
                             f"with shapes {shape1} and {shape2}.")
        axes = self._axes_for(shape1, shape2)
        if 0 in axes:
            raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not "
                             "batched, add a dummy batch dimension to your inputs using "
                             "keras.ops.expand_dims(x, 0)")
        if shape1[axes[0]] != shape2[axes[1]]:
            raise ValueError(f"Incompatible input shapes: axis values {shape1[axes[0]]} (at "
                             f"axis {axes[0]}) != {shape2[axes[1]]} (at axis {axes[1]}). "
                             f"Full input shapes: {shape1}, {shape2}")
        if None not in (shape1[0], shape2[0]) and shape1[0] != shape2[0]:
            raise ValueError(f"Cannot do batch_dot on inputs with different batch sizes. "
                             f"Received inputs with shapes {shape1} and {shape2}.")
        return shape1, shape2, axes

    def compute_output_shape(self, input_shape):
        shape1, shape2, axes = self._check_shapes(input_shape)
        output = [d for i, d in enumerate(shape1) if i != axes[0]] + [
            d for i, d in enumerate(shape2) if i not in (0, axes[1])]
        return tuple(output) if len(output) > 1 else tuple(output) + (1,)

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Dot` layer should be called on exactly 2 inputs. Received: "
                             f"inputs={inputs}")
        x1, x2 = inputs
        _, _, axes = self._check_shapes([tuple(x1.shape), tuple(x2.shape)])
        if self.normalize:
            x1, x2 = _l2_normalize(x1, axes[0]), _l2_normalize(x2, axes[1])
        return _batch_dot(x1, x2, axes)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


# --- functional forms ---------------------------------------------------------------------

def add(inputs, **kwargs):
    """Functional interface to the `Add` layer: the element-wise sum of `inputs`.

    >>> from eagerflow import keras
    >>> keras.layers.add([tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])]).numpy().tolist()
    [4.0, 6.0]
    """
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional interface to the `Subtract` layer: `inputs[0] - inputs[1]`.

    >>> from eagerflow import keras
    >>> keras.layers.subtract([tf.constant([[5.0]]), tf.constant([[2.0]])]).numpy().tolist()
    [[3.0]]
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional interface to the `Multiply` layer: the element-wise product of `inputs`.

    >>> from eagerflow import keras
    >>> keras.layers.multiply([tf.constant([[2.0]]), tf.constant([[3.0]])]).numpy().tolist()
    [[6.0]]
    """
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional interface to the `Average` layer: the element-wise mean of `inputs`.

    >>> from eagerflow import keras
    >>> keras.layers.average([tf.constant([[2.0]]), tf.constant([[3.0]])]).numpy().tolist()
    [[2.5]]
    """
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional interface to the `Maximum` layer: the element-wise maximum of `inputs`.

    >>> from eagerflow import keras
    >>> keras.layers.maximum([tf.constant([[2.0]]), tf.constant([[3.0]])]).numpy().tolist()
    [[3.0]]
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional interface to the `Minimum` layer: the element-wise minimum of `inputs`.

    >>> from eagerflow import keras
    >>> keras.layers.minimum([tf.constant([[2.0]]), tf.constant([[3.0]])]).numpy().tolist()
    [[2.0]]
    """
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to the `Concatenate` layer.

    >>> from eagerflow import keras
    >>> keras.layers.concatenate([keras.Input((3,)), keras.Input((5,))]).shape
    (None, 8)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """Functional interface to the `Dot` layer (`normalize` is passed through `kwargs`).

    >>> from eagerflow import keras
    >>> keras.layers.dot([tf.constant([[1.0, 2.0]]), tf.constant([[3.0, 4.0]])], axes=1
    ...                  ).numpy().tolist()
    [[11.0]]
    """
    return Dot(axes=axes, **kwargs)(inputs)
