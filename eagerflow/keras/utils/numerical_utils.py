"""`keras.utils.to_categorical` and `keras.utils.normalize`: label and array helpers on NumPy."""

import numpy as np


def to_categorical(x, num_classes=None):
    """Converts a class vector (integers) to binary class matrix.

    E.g. for use with `categorical_crossentropy`. A trailing axis of size 1 is dropped
    first, so labels shaped `(n, 1)` give the same matrix as labels shaped `(n,)`.

    Args:
        x: Array-like with class values to be converted into a matrix
            (integers from 0 to `num_classes - 1`). Floats are truncated to integers.
        num_classes: Total number of classes. If `None`, this would be inferred
            as `max(x) + 1`. Defaults to `None`.

    Returns:
        A binary matrix representation of the input as a float64 NumPy array. The class
        axis is placed last.

    Raises:
        ValueError: if a label is negative or not below `num_classes`, or if `num_classes`
            must be inferred from an empty `x`.

    >>> to_categorical([0, 1, 2, 3], num_classes=4).tolist()
    [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    """
    labels = np.array(x, dtype="int64")
    input_shape = labels.shape
    # Shrink the last dimension if the shape is (..., 1).
    if len(input_shape) > 1 and input_shape[-1] == 1:
        input_shape = input_shape[:-1]
    labels = labels.reshape(-1)
    if not num_classes:
        if labels.size == 0:
            raise ValueError("Cannot infer `num_classes` from an empty `x`. "
                             "Pass `num_classes` explicitly.")
        num_classes = int(labels.max()) + 1
    num_classes = int(num_classes)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"`x` must hold class indices in [0, {num_classes}) for "
                         f"num_classes={num_classes}. Received labels from {labels.min()} "
                         f"to {labels.max()}.")
    categorical = np.zeros((labels.size, num_classes), dtype="float64")
    categorical[np.arange(labels.size), labels] = 1.0
    return categorical.reshape(tuple(input_shape) + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Normalizes an array.

    Divides `x` by its `order`-norm along `axis`; slices whose norm is zero are left as
    they are. Floating inputs keep their dtype; integer inputs give float64.

    Args:
        x: Array to normalize.
        axis: axis along which to normalize.
        order: Normalization order (e.g. `order=2` for L2 norm).

    Returns:
        A normalized copy of the array, as a NumPy array of the same shape.

    >>> normalize(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.inexact):
        x = x.astype("float64")
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    norm[norm == 0] = 1
    return x / norm.astype(x.dtype, copy=False)
