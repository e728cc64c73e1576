"""One encoder of integer indices for every preprocessing layer: `int`, `one_hot`,
`multi_hot` and `count` outputs (and the counts `tf_idf` weighs), as Keras 3 computes them
on TensorFlow."""

import eagerflow as tf


def reject_sparse(sparse):
    """The encodings are dense: eagerflow has no SparseTensor for `sparse=True`."""
    if sparse:
        raise NotImplementedError("eagerflow has no SparseTensor: `sparse=True` is not "
                                  "supported.")


def encode_categorical(indices, output_mode, depth, dtype, count_weights=None):
    """`indices` encoded into `depth` bins.

    `one_hot` encodes each index (a trailing axis of size 1 is replaced); `multi_hot`
    and `count` encode each row of a rank-1 or rank-2 input, dropping indices past
    `depth` (negative indices are an error), and for rank 3 and more reduce axis 1, as
    Keras does. `count_weights` weighs each index of a `count`.
    """
    if output_mode == "int":
        return tf.cast(indices, dtype)
    if not indices.dtype.is_integer:
        indices = tf.cast(indices, "int64")
    if indices.shape.rank == 0:
        indices = tf.expand_dims(indices, -1)
    if output_mode == "one_hot":
        if indices.shape.rank > 1 and indices.shape[-1] == 1:
            indices = tf.squeeze(indices, -1)
        return tf.one_hot(indices, depth, dtype=dtype)
    if indices.shape.rank <= 2:
        if count_weights is not None:
            counts = tf.math.bincount(indices, weights=count_weights, minlength=depth,
                                      maxlength=depth, axis=-1)
        else:
            counts = tf.math.bincount(indices, minlength=depth, maxlength=depth, axis=-1,
                                      binary_output=output_mode == "multi_hot",
                                      dtype=dtype if tf.as_dtype(dtype).is_integer
                                      else "float32")
        return tf.cast(counts, dtype)
    one_hot = tf.one_hot(indices, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return tf.reduce_max(one_hot, axis=1)
    if count_weights is not None:
        one_hot = one_hot * tf.expand_dims(tf.cast(count_weights, dtype), -1)
    return tf.reduce_sum(one_hot, axis=1)


def encoded_shape(input_shape, output_mode, depth):
    """The shape `encode_categorical` gives for inputs of `input_shape`."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    if len(input_shape) > 2:
        return input_shape[:1] + input_shape[2:] + (depth,)
    return input_shape[:-1] + (depth,)
