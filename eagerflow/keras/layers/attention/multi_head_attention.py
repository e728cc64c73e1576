"""`MultiHeadAttention`: scaled dot-product attention over several heads, with its
query, key, value and output projections as `EinsumDense` sublayers."""

import math
import string

import eagerflow as tf
from eagerflow.keras import constraints, initializers, regularizers
from eagerflow.keras.layers.attention.masked_softmax import AttentionSoftmax
from eagerflow.keras.layers.einsum_dense import EinsumDense
from eagerflow.keras.layers.layer import Layer
from eagerflow.keras.layers.regularization import Dropout
from eagerflow.keras.symbolic import KerasTensor


def _projection_equation(free_dims, bound_dims, output_dims):
    """The einsum equation of a projection that keeps `free_dims` leading input axes,
    contracts the next `bound_dims`, and adds `output_dims` kernel axes; also the bias
    axes and the output rank."""
    letters = iter(string.ascii_lowercase)
    free = "".join(next(letters) for _ in range(free_dims))
    bound = "".join(next(letters) for _ in range(bound_dims))
    added = "".join(next(letters) for _ in range(output_dims))
    return f"{free}{bound},{bound}{added}->{free}{added}", added, free_dims + output_dims


def _attention_equations(rank, attention_axes):
    """The einsum equations of the query-key product and of the weighted sum of values,
    for projected tensors `(batch, <non-attention axes>, <attention axes>, heads, depth)`
    of `rank`, and the rank of the scores."""
    target = string.ascii_lowercase[:rank]  # the query's (and the output's) axes
    fresh = iter(string.ascii_lowercase[rank:])
    source = "".join(next(fresh) if axis in attention_axes else target[axis]
                     for axis in range(rank))  # the key's and value's axes
    batch_axes = [axis for axis in range(rank - 1) if axis not in attention_axes]
    scores = "".join([target[a] for a in batch_axes] + [target[a] for a in attention_axes]
                     + [source[a] for a in attention_axes])
    return (f"{source},{target}->{scores}", f"{scores},{source}->{target}", len(scores))


def _causal_mask(query_length, value_length):
    """`(1, T, S)` booleans: query position i sees value positions j <= i."""
    rows = tf.reshape(tf.range(query_length), (1, query_length, 1))
    columns = tf.reshape(tf.range(value_length), (1, 1, value_length))
    return tf.greater_equal(rows, columns)


class MultiHeadAttention(Layer):
    """MultiHeadAttention layer, as in "Attention Is All You Need" (Vaswani et al., 2017).

    `query`, `key` and `value` are projected to `num_heads` heads; each head computes
    `softmax(query . key / sqrt(key_dim))` over the attention axes and takes that mix of
    its values; the heads are concatenated and projected back to the query's last size
    (or `output_shape`). Keras masks on `query`, `value` and `key` (from
    `Embedding(mask_zero=True)`, say) are combined with `attention_mask` and the causal
    mask; the output carries the query's mask.

    >>> from eagerflow import keras
    >>> layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    >>> target, source = keras.Input(shape=(8, 16)), keras.Input(shape=(4, 16))
    >>> output, scores = layer(target, source, return_attention_scores=True)
    >>> output.shape, scores.shape
    ((None, 8, 16), (None, 2, 8, 4))

    Args:
      num_heads: the number of attention heads.
      key_dim: the size of each head of query and key.
      value_dim: the size of each head of value (default `key_dim`).
      dropout: the dropout rate of the attention weights.
      use_bias: whether the projections add biases.
      output_shape: the output's trailing shape (default: the query's last size).
      attention_axes: the axes attention runs over (default: all but batch, heads and
        features).
      sliding_window: if given, position i attends only to positions within
        `sliding_window - 1` of it.
      use_gate: whether a sigmoid gate projected from the query scales the heads.
      kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
      activity_regularizer, kernel_constraint, bias_constraint: for the projections.
      seed: the seed of the dropout.

    Call arguments:
      query, value, key: `(B, T, dim)`, `(B, S, dim)` and optionally `(B, S, dim)`
        (default: `value`).
      attention_mask: booleans `(B, T, S)`: which query positions see which keys.
      return_attention_scores: also return the `(B, num_heads, T, S)` weights.
      training: whether dropout is active.
      use_causal_mask: position i attends to positions j <= i only (a decoder).
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        for name, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Received an invalid value for argument `{name}`, expected "
                                 f"a positive integer. Received: {name}={value}")
        if value_dim is not None and (not isinstance(value_dim, int) or value_dim <= 0):
            raise ValueError(f"Received an invalid value for argument `value_dim`, expected a "
                             f"positive integer or `None`. Received: value_dim={value_dim}")
        if flash_attention:
            raise ValueError("Flash attention is not supported by eagerflow. Received: "
                             f"flash_attention={flash_attention}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            if not isinstance(output_shape, (list, tuple)):
                raise ValueError(f"Invalid `output_shape`: {output_shape}. When specified, the "
                                 f"`output_shape` should be of type tuple, list, or int.")
            output_shape = tuple(output_shape)
        self._output_shape = output_shape
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"`attention_axes` must be an int, list, or tuple.Received: "
                             f"attention_axes={attention_axes}")
        self._attention_axes = attention_axes
        if sliding_window is not None and (
                not isinstance(sliding_window, int) or sliding_window <= 0):
            raise ValueError(f"`sliding_window` must be `None` or a positive integer. "
                             f"Received: sliding_window={sliding_window}")
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    # --- building -----------------------------------------------------------------------

    def _sublayer_arguments(self):
        # Each projection gets its own initializer objects, as in Keras.
        return {"kernel_initializer": self._kernel_initializer.clone(),
                "bias_initializer": self._bias_initializer.clone(),
                "kernel_regularizer": self._kernel_regularizer,
                "bias_regularizer": self._bias_regularizer,
                "activity_regularizer": self._activity_regularizer,
                "kernel_constraint": self._kernel_constraint,
                "bias_constraint": self._bias_constraint, "dtype": self.dtype}

    def _projection(self, input_shape, heads_shape, name, activation=None):
        equation, bias_axes, output_rank = _projection_equation(len(input_shape) - 1, 1, 2)
        layer = EinsumDense(equation, output_shape=[None] * (output_rank - 3) + heads_shape,
                            bias_axes=bias_axes if self._use_bias else None,
                            activation=activation, name=name, **self._sublayer_arguments())
        layer.build(tuple(input_shape))
        return layer

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"All dimensions of `value` and `key`, except the last one, must "
                             f"be equal. Received: value_shape={value_shape} and "
                             f"key_shape={key_shape}")
        # Public names, as Keras's weights files name these groups.
        self.query_dense = self._projection(query_shape, [self._num_heads, self._key_dim],
                                            "query")
        self.key_dense = self._projection(key_shape, [self._num_heads, self._key_dim], "key")
        if self._use_gate:
            self.gate_dense = self._projection(
                query_shape, [self._num_heads, self._value_dim], "gate", "sigmoid")
        self.value_dense = self._projection(value_shape, [self._num_heads, self._value_dim],
                                            "value")
        self._build_attention(len(query_shape) + 1)
        output_shape = list(self._output_shape or [query_shape[-1]])
        equation, bias_axes, output_rank = _projection_equation(
            len(query_shape) - 1, 2, len(output_shape))
        self.output_dense = EinsumDense(
            equation, output_shape=[None] * (output_rank - 1 - len(output_shape)) + output_shape,
            bias_axes=bias_axes if self._use_bias else None, name="attention_output",
            **self._sublayer_arguments())
        self.output_dense.build(tuple(query_shape[:-1]) + (self._num_heads, self._value_dim))

    def _build_attention(self, rank):
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(axis if axis >= 0 else rank - 1 + axis
                                         for axis in self._attention_axes)
        self._dot_product_equation, self._combine_equation, scores_rank = \
            _attention_equations(rank, self._attention_axes)
        normalized = len(self._attention_axes)
        self._softmax = AttentionSoftmax(axis=tuple(range(scores_rank - normalized,
                                                          scores_rank)), dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype)

    def _maybe_build(self, args, kwargs):
        # Built from the shapes of query, value and key, wherever the call passed them.
        bound = dict(zip(self._call_arguments, args))
        bound.update(kwargs)
        shapes = {f"{name}_shape": tuple(bound[name].shape)
                  for name in ("query", "value", "key") if bound.get(name) is not None}
        object.__setattr__(self, "_build_shapes", shapes)
        self.build(**shapes)
        self.built = True

    def get_build_config(self):
        if self._build_shapes is not None:
            return {"shapes_dict": self._build_shapes}
        return None

    def build_from_config(self, config):
        if config and config.get("shapes_dict") is not None:
            self.build(**{name: tuple(shape) for name, shape in config["shapes_dict"].items()})

    # --- calling ------------------------------------------------------------------------

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if key is None:
            key = value
        attention_mask = self._compute_attention_mask(
            query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask)
        gate = self.gate_dense(query) if self._use_gate else None
        query = self.query_dense(query)  # (B, T, N, key_dim)
        key, value = self._key_value_heads(key, value)  # (B, S, N, key_dim | value_dim)
        output, scores = self._compute_attention(query, key, value, attention_mask, training,
                                                 return_attention_scores)
        if gate is not None:
            output = output * gate
        output = self.output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _key_value_heads(self, key, value):
        """The projected key and value, one head each per query head."""
        return self.key_dense(key), self.value_dense(value)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False):
        """The attention output `(B, T, N, value_dim)` and weights `(B, N, T, S)` of the
        projected query, key and value."""
        # Keras runs a fused kernel unless dropout, returned scores or extra attention axes
        # rule it out; query rows with every key masked differ between the two (equal
        # weights there, all-zero weights otherwise).
        fused = not (self._dropout > 0.0 or return_attention_scores or query.ndim != 4)
        query = query * tf.cast(self._inverse_sqrt_key_dim, query.dtype)
        scores = tf.einsum(self._dot_product_equation, key, query)
        if attention_mask is not None:
            # The mask gains the heads axis (and any other missing axes) in front of the
            # query's attention axes.
            expand_at = -len(self._attention_axes) * 2 - 1
            for _ in range(scores.ndim - attention_mask.ndim):
                attention_mask = tf.expand_dims(attention_mask, axis=expand_at)
        weights = self._softmax(scores, mask=attention_mask, zero_masked=not fused)
        dropped = (self._dropout_layer(weights, training=training) if self._dropout > 0.0
                   else weights)
        return tf.einsum(self._combine_equation, dropped, value), weights

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None,
                                key_mask=None, attention_mask=None, use_causal_mask=False):
        """The `(B, T, S)` mask that ANDs the query's `(B, T, 1)`, value's and key's
        `(B, 1, S)`, causal and sliding-window `(1, T, S)` masks and `attention_mask`."""
        masks = []
        if query_mask is not None:
            masks.append(tf.expand_dims(tf.cast(query_mask, tf.bool), -1))
        for mask in (value_mask, key_mask):
            if mask is not None:
                masks.append(tf.expand_dims(tf.cast(mask, tf.bool), -2))
        query_length, value_length = query.shape[1], value.shape[1]
        if use_causal_mask:
            masks.append(_causal_mask(query_length, value_length))
        if self._sliding_window is not None:
            offsets = (tf.reshape(tf.range(query_length), (1, query_length, 1))
                       - tf.reshape(tf.range(value_length), (1, 1, value_length)))
            masks.append(tf.less(tf.abs(offsets), self._sliding_window))
        if attention_mask is not None:
            masks.insert(0, tf.cast(attention_mask, tf.bool))
        if not masks:
            return None
        combined = masks[0]
        for mask in masks[1:]:
            combined = tf.logical_and(combined, mask)
        return combined

    # --- shapes and config --------------------------------------------------------------

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(f"All dimensions of `value` and `key`, except the last one, must "
                             f"be equal. Received: value_shape={value_shape} and "
                             f"key_shape={key_shape}")
        if self._output_shape:
            return query_shape[:-1] + self._output_shape
        return query_shape

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        output = KerasTensor(self.compute_output_shape(
            query.shape, value.shape, None if key is None else key.shape), self.dtype)
        if not return_attention_scores:
            return output
        # (batch and other non-attention axes, heads, query's attention axes, value's);
        # Keras 3.15 gives the query's length for the value's too, which is wrong when
        # they differ.
        axes = self._attention_axes
        scores_shape = ([query.shape[axis] for axis in range(query.ndim - 1)
                         if axis not in axes] + [self._num_heads]
                        + [query.shape[axis] for axis in axes]
                        + [value.shape[axis] for axis in axes])
        return output, KerasTensor(tuple(scores_shape), self.dtype)

    def get_config(self):
        return {**super().get_config(), "num_heads": self._num_heads,
                "key_dim": self._key_dim, "value_dim": self._value_dim,
                "dropout": self._dropout, "use_bias": self._use_bias,
                "use_gate": self._use_gate, "output_shape": self._output_shape,
                "attention_axes": self._attention_axes,
                "sliding_window": self._sliding_window, **self._projections_config(),
                "seed": self.seed}

    def _projections_config(self):
        """The serialized initializers, regularizers and constraints of the projections."""
        return {"kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self._bias_regularizer),
                "activity_regularizer": regularizers.serialize(self._activity_regularizer),
                "kernel_constraint": constraints.serialize(self._kernel_constraint),
                "bias_constraint": constraints.serialize(self._bias_constraint)}
