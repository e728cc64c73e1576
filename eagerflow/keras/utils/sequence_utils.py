"""`keras.utils.pad_sequences`: ragged sequences into one padded NumPy array."""

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pads sequences to the same length.

    This function transforms a list (of length `num_samples`) of sequences (lists of
    integers) into a 2D NumPy array of shape `(num_samples, num_timesteps)`.
    `num_timesteps` is either the `maxlen` argument if provided, or the length of the
    longest sequence in the list.

    Sequences that are shorter than `num_timesteps` are padded with `value` until they
    are `num_timesteps` long. Sequences longer than `num_timesteps` are truncated so that
    they fit the desired length. The position where padding or truncation happens is
    determined by the arguments `padding` and `truncating`, respectively. Pre-padding or
    removing values from the beginning of the sequence is the default.

    Args:
        sequences: List of sequences (each sequence is a list of integers). Sequences of
            arrays are padded along their first axis; the other axes must agree.
        maxlen: Optional Int, maximum length of all sequences. If not provided,
            sequences will be padded to the length of the longest individual sequence.
        dtype: (Optional, defaults to `"int32"`). Type of the output sequences.
            To pad sequences with variable length strings, you can use `object`.
        padding: String, "pre" or "post" (optional, defaults to `"pre"`):
            pad either before or after each sequence.
        truncating: String, "pre" or "post" (optional, defaults to `"pre"`):
            remove values from sequences larger than `maxlen`, either at the beginning
            or at the end of the sequences.
        value: Float or String, padding value. (Optional, defaults to `0.`)

    Returns:
        NumPy array with shape `(len(sequences), maxlen)`.

    Raises:
        ValueError: for a non-iterable `sequences` or element, an unknown `padding` or
            `truncating`, a string `value` with a non-string `dtype`, or elements whose
            trailing shapes differ.

    >>> sequence = [[1], [2, 3], [4, 5, 6]]
    >>> pad_sequences(sequence).tolist()
    [[0, 0, 1], [0, 2, 3], [4, 5, 6]]
    >>> pad_sequences(sequence, padding="post", maxlen=2).tolist()
    [[1, 0], [2, 3], [5, 6]]
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood')
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood')

    lengths = []
    sample_shape = None
    for x in sequences:
        try:
            lengths.append(len(x))
        except TypeError as err:
            raise ValueError("`sequences` must be a list of iterables. "
                             f"Found non-iterable: {x}") from err
        if sample_shape is None and len(x):
            # The first non-empty sequence sets the shape of one time step.
            sample_shape = np.asarray(x).shape[1:]
    sample_shape = sample_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)

    is_dtype_str = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_dtype_str:
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: "
                         f"{type(value)}\nYou should set `dtype=object` for variable "
                         "length strings.")

    padded = np.full((len(lengths), maxlen) + tuple(sample_shape), value, dtype=dtype)
    if maxlen == 0:
        return padded
    for idx, (seq, length) in enumerate(zip(sequences, lengths)):
        if not length:
            continue
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position "
                             f"{idx} is different from expected shape {sample_shape}")
        if padding == "post":
            padded[idx, :len(kept)] = kept
        else:
            padded[idx, maxlen - len(kept):] = kept
    return padded
