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
    return sorted(mapping)  # keys that do not sort raise TypeError, as in TensorFlow


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


def flatten_with_tuple_paths(structure):
    """`(path, leaf)` pairs in `flatten` order; a path is the tuple of keys and indices
    that leads to the leaf.

    >>> from eagerflow.framework.nest import flatten_with_tuple_paths
    >>> flatten_with_tuple_paths({"b": [1, 2], "a": 3})
    [(('a',), 3), (('b', 0), 1), (('b', 1), 2)]
    """
    if not is_nested(structure):
        return [((), structure)]
    pairs = []
    stack = [((), structure)]
    while stack:
        path, item = stack.pop()
        if is_nested(item):
            keys = _sorted_keys(item) if isinstance(item, dict) else range(len(item))
            children = _children(item)
            stack.extend(reversed([(path + (key,), child)
                                   for key, child in zip(keys, children)]))
        else:
            pairs.append((path, item))
    return pairs


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

    Raises:
      TypeError: if `flat_sequence` is not a list or tuple.
      ValueError: if it holds another number of items than `structure` has leaves.
    """
    if not is_nested(flat_sequence):
        raise TypeError(f"Attempted to pack value:\n  {flat_sequence}\ninto a structure, "
                        f"but found incompatible type `{type(flat_sequence)}` instead.")
    if not is_nested(structure):
        if len(flat_sequence) != 1:
            raise ValueError(f"The target structure is of type `{type(structure)}`\n  "
                             f"{structure}\nHowever the input is a sequence "
                             f"({type(flat_sequence)}) of length {len(flat_sequence)}.\n  "
                             f"{flat_sequence}\nnest cannot guarantee that it is safe to map "
                             f"one to the other.")
        return flat_sequence[0]
    flat_sequence = [flat_sequence[i] for i in range(len(flat_sequence))]
    expected = len(flatten(structure))
    if len(flat_sequence) != expected:
        raise ValueError(f"Could not pack sequence. Structure had {expected} atoms, but "
                         f"flat_sequence had {len(flat_sequence)} items.  Structure: "
                         f"{structure}, flat_sequence: {flat_sequence}.")
    return _build(structure, iter(flat_sequence))


def _build(item, leaves):
    # A module-level function, not a closure: a self-referencing closure is a reference
    # cycle that would keep the packed values (large gradients) alive until the cyclic GC.
    if not is_nested(item):
        return next(leaves)
    return _rebuild(item, [_build(child, leaves) for child in _children(item)])


class _Dot:
    """A leaf shown as "." in the outline of a structure in error messages."""

    def __repr__(self):
        return "."


def _described(value):
    return f"type={type(value).__name__} str={value}"


def _same_sequence_type(a, b):
    if type(a) is type(b) or (isinstance(a, dict) and isinstance(b, dict)):
        return True
    return (_is_namedtuple(a) and _is_namedtuple(b) and type(a).__name__ == type(b).__name__
            and a._fields == b._fields)


def _is_namedtuple(value):
    return isinstance(value, tuple) and hasattr(value, "_fields")


def _difference(nest1, nest2, check_types):
    """The first difference between two structures, as (error class, message), or None."""
    if is_nested(nest1) != is_nested(nest2):
        nested, other = (nest1, nest2) if is_nested(nest1) else (nest2, nest1)
        return ValueError, (f'Substructure "{_described(nested)}" is a sequence, while '
                            f'substructure "{_described(other)}" is not')
    if not is_nested(nest1):
        return None
    if check_types and not _same_sequence_type(nest1, nest2):
        return TypeError, (f"The two namedtuples don't have the same sequence type. First "
                           f"structure {_described(nest1)} has type {type(nest1).__name__}, "
                           f"while second structure {_described(nest2)} has type "
                           f"{type(nest2).__name__}")
    if isinstance(nest1, dict) and isinstance(nest2, dict) and set(nest1) != set(nest2):
        return ValueError, (f"The two dictionaries don't have the same set of keys. First "
                            f"structure has keys {_described(sorted(nest1))}, while second "
                            f"structure has keys {_described(sorted(nest2))}")
    if len(nest1) != len(nest2):
        return ValueError, (f"The two structures don't have the same number of elements. "
                            f"First structure: {_described(nest1)}. Second structure: "
                            f"{_described(nest2)}")
    for child1, child2 in zip(_children(nest1), _children(nest2)):
        difference = _difference(child1, child2, check_types)
        if difference is not None:
            return difference
    return None


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Checks that two structures nest alike.

    With `check_types`, sequences must also be of the same type (dicts of any kind match;
    namedtuples match by name and fields).

    Raises:
      ValueError: if the nesting, lengths or dict keys differ.
      TypeError: if sequence types differ.
    """
    difference = _difference(nest1, nest2, check_types)
    if difference is None:
        return
    error_class, detail = difference
    outline = [map_structure(lambda _: _Dot(), s, check_types=False) for s in (nest1, nest2)]
    raise error_class(f"The two structures don't have the same nested structure.\n\n"
                      f"First structure: {_described(nest1)}\n\nSecond structure: "
                      f"{_described(nest2)}\n\nMore specifically: {detail}\n"
                      f"Entire first structure:\n{outline[0]}\n"
                      f"Entire second structure:\n{outline[1]}")


def map_structure(func, *structure, **kwargs):
    """Applies `func` leaf by leaf across structures of the same shape.

    >>> tf.nest.map_structure(lambda a, b: a + b, [1, (2,)], [10, (20,)])
    [11, (22,)]
    """
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and "
                         f"`expand_composites`, not: `{'`, `'.join(kwargs)}`")
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats)])
