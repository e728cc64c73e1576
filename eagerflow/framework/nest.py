"""`tf.nest`: flatten and rebuild nested lists, tuples, namedtuples and dicts.

Dicts flatten in sorted key order, as TensorFlow's do; anything else is a leaf.
"""

__all__ = ["flatten", "pack_sequence_as", "map_structure", "is_nested", "assert_same_structure"]


def is_nested(structure):
    """True for lists, tuples (namedtuples too) and dicts.

    >>> tf.nest.is_nested([1, (2, 3)]), tf.nest.is_nested(1)
    (True, False)
    """
    return isinstance(structure, (list, tuple, dict))


def _children(structure):
    if isinstance(structure, dict):
        return [structure[key] for key in _sorted_keys(structure)]
    return list(structure)


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError as err:
        raise TypeError("nest only supports dicts with sortable keys.") from err


def flatten(structure, expand_composites=False):
    """The leaves of `structure` in order, as a flat list.

    >>> tf.nest.flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    """
    if not is_nested(structure):
        return [structure]
    leaves = []
    stack = [structure]
    while stack:
        item = stack.pop()
        if is_nested(item):
            stack.extend(reversed(_children(item)))
        else:
            leaves.append(item)
    return leaves


def _rebuild(structure, children):
    if isinstance(structure, dict):
        rebuilt = dict(zip(_sorted_keys(structure), children))
        return type(structure)((key, rebuilt[key]) for key in structure)
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*children)
    return type(structure)(children)


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """Rebuilds `structure`'s nesting around the leaves of `flat_sequence`.

    >>> tf.nest.pack_sequence_as(((0, 0), 0), [1, 2, 3])
    ((1, 2), 3)
    """
    flat_sequence = list(flat_sequence)
    expected = len(flatten(structure))
    if len(flat_sequence) != expected:
        raise ValueError(f"Could not pack sequence. Structure had {expected} atoms, but "
                         f"flat_sequence had {len(flat_sequence)} items.")
    return _build(structure, iter(flat_sequence))


def _build(item, leaves):
    # A module-level function, not a closure: a self-referencing closure is a reference
    # cycle that would keep the packed values (large gradients) alive until the cyclic GC.
    if not is_nested(item):
        return next(leaves)
    return _rebuild(item, [_build(child, leaves) for child in _children(item)])


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Raises ValueError (or TypeError for differing types) when two structures differ."""
    if is_nested(nest1) != is_nested(nest2):
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {nest1!r}\n\nSecond structure: {nest2!r}")
    if not is_nested(nest1):
        return
    if check_types and type(nest1) is not type(nest2):
        raise TypeError(f"The two structures don't have the same sequence type. Input "
                        f"structure has type {type(nest1)}, while shallow structure has type "
                        f"{type(nest2)}.")
    if isinstance(nest1, dict) and set(nest1) != set(nest2):
        raise ValueError(f"The two dictionaries don't have the same set of keys. First "
                         f"structure has keys {sorted(nest1)}, while second structure has "
                         f"keys {sorted(nest2)}.")
    children1, children2 = _children(nest1), _children(nest2)
    if len(children1) != len(children2):
        raise ValueError(f"The two structures don't have the same number of elements.\n\n"
                         f"First structure: {nest1!r}\n\nSecond structure: {nest2!r}")
    for child1, child2 in zip(children1, children2):
        assert_same_structure(child1, child2, check_types)


def map_structure(func, *structure, **kwargs):
    """Applies `func` leaf by leaf across structures of the same shape.

    >>> tf.nest.map_structure(lambda a, b: a + b, [1, (2,)], [10, (20,)])
    [11, (22,)]
    """
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and "
                         f"`expand_composites`, not: {sorted(kwargs)}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats)])
