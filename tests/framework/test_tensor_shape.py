import copy
import operator
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eagerflow.framework.tensor_shape import (
    Dimension,
    TensorShape,
    as_dimension,
    as_shape,
    dimension_at_index,
    dimension_value,
    unknown_shape,
)

DIMENSION_TYPE_ERROR = "Dimension value must be integer or None or have an __index__ method"
CONVERSION_TYPE_ERROR = "could not be converted to a dimension"

# Shapes of rank 0 to 3 with small or unknown dimensions, or of unknown rank.
dims_lists = st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=3)
shapes = st.one_of(st.just(TensorShape(None)), dims_lists.map(TensorShape))


# Construction.


@pytest.mark.parametrize(
    "dims, expected",
    [
        (None, "TensorShape(None)"),  # recorded from TF 2.21
        ([], "TensorShape([])"),  # recorded from TF 2.21
        ((), "TensorShape([])"),  # recorded from TF 2.21
        ([2, None], "TensorShape([2, None])"),  # recorded from TF 2.21
        ((2, 3), "TensorShape([2, 3])"),  # recorded from TF 2.21
        (3, "TensorShape([3])"),  # recorded from TF 2.21
        (Dimension(3), "TensorShape([3])"),  # recorded from TF 2.21
        (Dimension(None), "TensorShape([None])"),  # recorded from TF 2.21
        ([Dimension(3), Dimension(None)], "TensorShape([3, None])"),  # recorded from TF 2.21
        (TensorShape([1, 2]), "TensorShape([1, 2])"),  # recorded from TF 2.21
        (iter([1, 2]), "TensorShape([1, 2])"),  # recorded from TF 2.21
        ((x for x in [1, None]), "TensorShape([1, None])"),  # recorded from TF 2.21
        (range(3), "TensorShape([0, 1, 2])"),  # recorded from TF 2.21
        ({1: 2}, "TensorShape([1])"),  # recorded from TF 2.21
        (b"ab", "TensorShape([97, 98])"),  # recorded from TF 2.21
        ([True], "TensorShape([True])"),  # recorded from TF 2.21
        (np.int32(4), "TensorShape([4])"),  # recorded from TF 2.21
        (np.array(3), "TensorShape([3])"),  # recorded from TF 2.21
        (np.array([2, 3]), "TensorShape([2, 3])"),  # recorded from TF 2.21
        ([np.int64(3)], "TensorShape([3])"),  # recorded from TF 2.21
    ],
)
def test_construction_repr(dims, expected):
    assert repr(TensorShape(dims)) == expected


def test_numpy_integer_dims_become_python_ints():
    (dim,) = TensorShape([np.int64(3)]).as_list()
    assert type(dim) is int  # recorded from TF 2.21


@pytest.mark.parametrize(
    "dims, fragment",
    [
        # recorded from TF 2.21
        ([1.5], "got value '1.5' with type '<class 'float'>'"),
        ([2.0], "got value '2.0' with type '<class 'float'>'"),
        (3.0, "got value '3.0' with type '<class 'float'>'"),
        (["a"], "got value ''a'' with type '<class 'str'>'"),
        ([[1]], "got value '[1]' with type '<class 'list'>'"),
        ([None, "a"], "got value ''a''"),
        ([np.float32(2)], "with type '<class 'numpy.float32'>'"),
    ],
)
def test_bad_dimension_in_list_raises_dimension_type_error(dims, fragment):
    with pytest.raises(TypeError, match=DIMENSION_TYPE_ERROR) as info:
        TensorShape(dims)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "dims, message",
    [
        # recorded from TF 2.21
        (
            "ab",
            "Failed to convert ''ab'' to a shape: ''a''could not be converted to a "
            "dimension. A shape should either be single dimension (e.g. 10), or an "
            "iterable of dimensions (e.g. [1, 10, None]).",
        ),
        (
            "3",
            "Failed to convert ''3'' to a shape: ''3''could not be converted to a "
            "dimension. A shape should either be single dimension (e.g. 10), or an "
            "iterable of dimensions (e.g. [1, 10, None]).",
        ),
    ],
)
def test_bad_dimension_in_other_iterable_names_the_shape(dims, message):
    with pytest.raises(TypeError) as info:
        TensorShape(dims)
    assert str(info.value) == message


def test_bad_dimension_in_array_names_the_array():
    with pytest.raises(TypeError, match=CONVERSION_TYPE_ERROR) as info:
        TensorShape(np.array([2.0]))
    assert str(info.value).startswith("Failed to convert 'array([2.])' to a shape")


@pytest.mark.parametrize("dims", [[-1], [2, -2], iter([-1]), np.array([-1]), -1])
def test_negative_dimension_raises_value_error(dims):
    with pytest.raises(ValueError, match="Dimension -[12] must be >= 0"):  # recorded from TF 2.21
        TensorShape(dims)


def test_from_tuple_builds_the_same_shape_without_validation():
    shape = TensorShape._from_tuple((2, 3))
    assert type(shape) is TensorShape
    assert shape == TensorShape([2, 3])
    assert repr(shape) == "TensorShape([2, 3])"
    assert shape.as_list() == [2, 3]


def test_tuple_fast_path_keeps_validation_of_other_tuples():
    assert TensorShape((2, None)).as_list() == [2, None]
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        TensorShape((2, -1))


def test_shape_is_immutable():
    shape = TensorShape([2, 3])
    with pytest.raises(AttributeError):
        shape.extra = 1
    with pytest.raises(TypeError):
        shape[0] = 4


# Printing.


@pytest.mark.parametrize(
    "dims, expected",
    [
        ([2, 1], "(2, 1)"),  # recorded from TF 2.21
        ([3], "(3,)"),  # recorded from TF 2.21
        ([], "()"),  # recorded from TF 2.21
        ([None, 3], "(None, 3)"),  # recorded from TF 2.21
        ([None], "(None,)"),
        (None, "<unknown>"),  # recorded from TF 2.21
        ([True], "(True,)"),  # recorded from TF 2.21
    ],
)
def test_str(dims, expected):
    assert str(TensorShape(dims)) == expected


@settings(max_examples=50, deadline=None)
@given(shapes)
def test_repr_round_trips_and_str_matches_tuple_form(shape):
    assert eval(repr(shape), {"TensorShape": TensorShape}) == shape
    if shape.rank is None:
        assert str(shape) == "<unknown>"
    else:
        assert str(shape) == str(tuple(shape.as_list()))


# Properties and the sequence protocol.


def test_rank_and_ndims():
    assert TensorShape([2, None]).rank == 2
    assert TensorShape([2]).ndims == 1  # recorded from TF 2.21
    assert TensorShape([]).rank == 0
    assert TensorShape(None).rank is None  # recorded from TF 2.21
    assert TensorShape(None).ndims is None


def test_dims_is_a_list_of_dimensions():
    dims = TensorShape([2, None]).dims
    assert repr(dims) == "[Dimension(2), Dimension(None)]"  # recorded from TF 2.21
    assert [d.value for d in dims] == [2, None]
    assert TensorShape(None).dims is None  # recorded from TF 2.21


def test_as_list():
    assert TensorShape([2, None]).as_list() == [2, None]
    assert TensorShape([]).as_list() == []
    with pytest.raises(ValueError, match=r"^as_list\(\) is not defined on an unknown TensorShape\.$"):
        TensorShape(None).as_list()  # recorded from TF 2.21


def test_len_and_iter():
    assert len(TensorShape([1, 2])) == 2
    assert list(TensorShape([1, None])) == [1, None]  # recorded from TF 2.21
    assert list(reversed(TensorShape([1, 2]))) == [2, 1]  # recorded from TF 2.21
    assert 1 in TensorShape([1, 2]) and None in TensorShape([None])
    with pytest.raises(ValueError, match="Cannot take the length of shape with unknown rank."):
        len(TensorShape(None))  # recorded from TF 2.21
    with pytest.raises(ValueError, match="Cannot iterate over a shape with unknown rank."):
        iter(TensorShape(None))  # recorded from TF 2.21


def test_bool_is_false_only_for_unknown_rank():
    assert not TensorShape(None)  # recorded from TF 2.21
    assert TensorShape([])  # recorded from TF 2.21
    assert TensorShape([0])


@pytest.mark.parametrize(
    "key, expected",
    [
        (1, 2),  # recorded from TF 2.21
        (-1, 3),  # recorded from TF 2.21
        (np.int64(1), 2),
        (Dimension(1), 2),
        (slice(1, None), TensorShape([2, 3])),  # recorded from TF 2.21
        (slice(None, None, 2), TensorShape([1, 3])),  # recorded from TF 2.21
        (slice(5, None), TensorShape([])),
    ],
)
def test_getitem_known_rank(key, expected):
    value = TensorShape([1, 2, 3])[key]
    assert type(value) is type(expected)
    assert value == expected


def test_getitem_known_rank_errors():
    shape = TensorShape([1, 2, 3])
    with pytest.raises(IndexError, match="tuple index out of range"):  # recorded from TF 2.21
        shape[5]
    with pytest.raises(TypeError, match="tuple indices must be integers or slices, not str"):
        shape["a"]  # recorded from TF 2.21
    assert type(shape[0]) is int
    assert TensorShape([1, None])[1] is None


@pytest.mark.parametrize(
    "key, expected",
    [
        # recorded from TF 2.21
        (1, None),
        (-1, None),
        ("a", None),
        (slice(1, 3), "TensorShape([None, None])"),
        (slice(None, 3), "TensorShape([None, None, None])"),
        (slice(0, 0), "TensorShape([])"),
        (slice(2, 1), "TensorShape([])"),
        (slice(1, None), "TensorShape(None)"),
        (slice(None, -1), "TensorShape(None)"),
        (slice(-3, -1), "TensorShape(None)"),
        (slice(-1, 3), "TensorShape(None)"),
    ],
)
def test_getitem_unknown_rank(key, expected):
    value = TensorShape(None)[key]
    if expected is None:
        assert value is None
    else:
        assert repr(value) == expected


@pytest.mark.parametrize("key", [slice(None, None, 2), slice(None, None, 1)])
def test_getitem_unknown_rank_with_step_raises(key):
    with pytest.raises(ValueError, match="Steps are not yet handled"):  # recorded from TF 2.21
        TensorShape(None)[key]


@pytest.mark.parametrize(
    "dims, expected",
    [
        ([2, 3], 6),  # recorded from TF 2.21
        ([2, None], None),  # recorded from TF 2.21
        ([0, None], None),  # recorded from TF 2.21
        (None, None),  # recorded from TF 2.21
        ([], 1),  # recorded from TF 2.21
        ([0, 4], 0),
    ],
)
def test_num_elements(dims, expected):
    assert TensorShape(dims).num_elements() == expected


def test_is_fully_defined_and_assert():
    assert TensorShape([1, 2]).is_fully_defined()
    assert TensorShape([]).is_fully_defined()  # recorded from TF 2.21
    assert not TensorShape([1, None]).is_fully_defined()
    assert not TensorShape(None).is_fully_defined()
    TensorShape([1, 2]).assert_is_fully_defined()
    with pytest.raises(ValueError, match=r"^Shape \(1, None\) is not fully defined$"):
        TensorShape([1, None]).assert_is_fully_defined()  # recorded from TF 2.21
    with pytest.raises(ValueError, match="^Shape <unknown> is not fully defined$"):
        TensorShape(None).assert_is_fully_defined()  # recorded from TF 2.21


# Equality and hashing.


@pytest.mark.parametrize(
    "left, right, expected",
    [
        # recorded from TF 2.21
        (TensorShape([1, 2]), TensorShape([1, 2]), True),
        (TensorShape([1, None]), TensorShape([1, None]), True),
        (TensorShape([None]), TensorShape([None]), True),
        (TensorShape(None), TensorShape(None), True),
        (TensorShape([1, 2]), TensorShape([1, 3]), False),
        (TensorShape([1, 2]), TensorShape(None), False),
        (TensorShape(None), TensorShape([1, 2]), False),
        (TensorShape([]), TensorShape(None), False),
        (TensorShape([1, 2]), (1, 2), True),
        (TensorShape([1, 2]), [1, 2], True),
        (TensorShape([1, None]), [1, None], True),
        (TensorShape([1, 2]), [Dimension(1), Dimension(2)], True),
        (TensorShape([]), [], True),
        (TensorShape(None), [], False),
        (TensorShape(None), None, True),
        (TensorShape([1]), 1, True),
        (TensorShape([1, 2]), 3, False),
        (TensorShape([1, 2]), [1, 2, 3], False),
        (TensorShape([1, 2]), [1.0, 2.0], False),
        (TensorShape([1, 2]), "ab", False),
        (TensorShape([1]), [[1]], False),
        (TensorShape([True]), TensorShape([1]), True),
        (TensorShape([1, 2]), np.array([1, 2]), True),
    ],
)
def test_eq_and_ne(left, right, expected):
    assert (left == right) is expected
    assert (left != right) is (not expected)


def test_eq_returns_not_implemented_for_non_shapes():
    assert TensorShape([1, 2]).__eq__("ab") is NotImplemented  # recorded from TF 2.21
    assert TensorShape([1, 2]).__ne__("ab") is NotImplemented  # recorded from TF 2.21
    assert TensorShape([1, 2]).__eq__(3) is False  # recorded from TF 2.21
    assert TensorShape([1, 2]).__eq__(None) is False  # recorded from TF 2.21


def test_eq_with_negative_dimension_raises():
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):  # recorded from TF 2.21
        TensorShape([1]) == [-1]  # noqa: B015


def test_hash_matches_tuple_and_works_in_sets():
    assert hash(TensorShape([1, 2])) == hash((1, 2))  # recorded from TF 2.21
    assert hash(TensorShape([])) == hash(())  # recorded from TF 2.21
    assert hash(TensorShape(None)) == hash(TensorShape(None))
    assert {TensorShape([1]): "a"}[TensorShape([1])] == "a"
    assert len({TensorShape([1, None]), TensorShape([1, None]), TensorShape(None)}) == 2


def test_shapes_are_not_orderable():
    with pytest.raises(TypeError, match="'<' not supported"):  # recorded from TF 2.21
        TensorShape([1, 2]) < TensorShape([1, 3])  # noqa: B015


# Compatibility and merging.


@pytest.mark.parametrize(
    "left, right, expected",
    [
        # recorded from TF 2.21
        ([2], [3], False),
        ([2], [None], True),
        (None, [1, 2], True),
        ([1], [1, 2], False),
        ([1], None, True),
        ([1], 1, True),
        ([None, 2], [1, None], True),
        ([], [], True),
        ([], [1], False),
    ],
)
def test_is_compatible_with(left, right, expected):
    assert TensorShape(left).is_compatible_with(right) is expected


def test_is_compatible_with_bad_other_raises():
    # recorded from TF 2.21
    with pytest.raises(TypeError, match="Failed to convert ''a'' to a shape"):
        TensorShape([1]).is_compatible_with("a")
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):  # recorded from TF 2.21
        TensorShape([1]).is_compatible_with([-1])


def test_assert_is_compatible_with_names_both_shapes():
    TensorShape([1]).assert_is_compatible_with([None])
    # TF formats the second argument as given: a list stays a list.
    with pytest.raises(ValueError, match=r"^Shapes \(2,\) and \[3\] are incompatible$"):
        TensorShape([2]).assert_is_compatible_with([3])  # recorded from TF 2.21
    with pytest.raises(ValueError, match=r"^Shapes \(1,\) and \[1, 2\] are incompatible$"):
        TensorShape([1]).assert_is_compatible_with([1, 2])  # recorded from TF 2.21
    with pytest.raises(ValueError, match=r"^Shapes \(2,\) and \(3,\) are incompatible$"):
        TensorShape([2]).assert_is_compatible_with(TensorShape([3]))


@pytest.mark.parametrize(
    "left, right, expected",
    [
        # recorded from TF 2.21
        ([2, None], [None, 3], "TensorShape([2, 3])"),
        (None, [1], "TensorShape([1])"),
        ([1], None, "TensorShape([1])"),
        ([None, 2], TensorShape([1, None]), "TensorShape([1, 2])"),
        ([1, 2], [1, 2], "TensorShape([1, 2])"),
        (None, None, "TensorShape(None)"),
    ],
)
def test_merge_with(left, right, expected):
    assert repr(TensorShape(left).merge_with(right)) == expected


@pytest.mark.parametrize(
    "left, right, message",
    [
        # recorded from TF 2.21
        ([2], TensorShape([3]), r"^Shapes \(2,\) and \(3,\) are not compatible$"),
        ([1], [1, 2], r"^Shapes \(1,\) and \(1, 2\) are not compatible$"),
        ([2, 3], [2, 4], r"^Shapes \(2, 3\) and \(2, 4\) are not compatible$"),
    ],
)
def test_merge_with_incompatible_raises(left, right, message):
    with pytest.raises(ValueError, match=message):
        TensorShape(left).merge_with(right)


@settings(max_examples=60, deadline=None)
@given(shapes, shapes)
def test_compatibility_is_symmetric_and_merge_agrees(a, b):
    compatible = a.is_compatible_with(b)
    assert b.is_compatible_with(a) is compatible
    if compatible:
        merged = a.merge_with(b)
        assert merged == b.merge_with(a)
        assert merged.is_compatible_with(a) and merged.is_compatible_with(b)
        assert merged.is_subtype_of(a) and merged.is_subtype_of(b)
    else:
        with pytest.raises(ValueError, match="are not compatible"):
            a.merge_with(b)


@pytest.mark.parametrize(
    "left, right, expected",
    [
        # recorded from TF 2.21
        ([1, 2], [1, 3], "TensorShape([1, None])"),
        ([1, 2], [1, 2, 3], "TensorShape(None)"),
        (None, [1], "TensorShape(None)"),
        ([1], None, "TensorShape(None)"),
        ([None, 2], [1, 2], "TensorShape([None, 2])"),
    ],
)
def test_most_specific_compatible_shape(left, right, expected):
    assert repr(TensorShape(left).most_specific_compatible_shape(right)) == expected


@settings(max_examples=60, deadline=None)
@given(shapes, shapes)
def test_most_specific_compatible_shape_is_a_common_supertype(a, b):
    result = a.most_specific_compatible_shape(b)
    assert result == b.most_specific_compatible_shape(a)
    assert a.is_subtype_of(result) and b.is_subtype_of(result)


@pytest.mark.parametrize(
    "left, right, expected",
    [
        # recorded from TF 2.21
        ([1, 2], TensorShape([1, 2]), True),
        ([1, 2], TensorShape(None), True),
        (None, TensorShape([1]), False),
        (None, TensorShape(None), True),
        ([1, 2], TensorShape([1, None]), True),
        ([1, None], TensorShape([1, 2]), False),
        ([1, 2], TensorShape([1]), False),
        ([1, 2], [1, None], False),
    ],
)
def test_is_subtype_of(left, right, expected):
    assert TensorShape(left).is_subtype_of(right) is expected


@pytest.mark.parametrize(
    "others, expected",
    [
        # recorded from TF 2.21
        ([TensorShape([1, 3])], "TensorShape([1, None])"),
        ([TensorShape([1, 2, 3])], "TensorShape(None)"),
        ([TensorShape(None)], "TensorShape(None)"),
        ([], "TensorShape([1, 2])"),
        ([TensorShape([1, 3]), TensorShape([2, 3])], "TensorShape([None, None])"),
        ([[1, 3]], "None"),
    ],
)
def test_most_specific_common_supertype(others, expected):
    assert repr(TensorShape([1, 2]).most_specific_common_supertype(others)) == expected


# Concatenation.


@pytest.mark.parametrize(
    "expression, expected",
    [
        # recorded from TF 2.21
        (lambda: TensorShape([1]).concatenate([2, None]), "TensorShape([1, 2, None])"),
        (lambda: TensorShape([1]).concatenate(None), "TensorShape(None)"),
        (lambda: TensorShape(None).concatenate([1]), "TensorShape(None)"),
        (lambda: TensorShape([1]).concatenate(TensorShape([3])), "TensorShape([1, 3])"),
        (lambda: TensorShape([1]).concatenate(3), "TensorShape([1, 3])"),
        (lambda: TensorShape([1]) + [2], "TensorShape([1, 2])"),
        (lambda: TensorShape([1]) + (2,), "TensorShape([1, 2])"),
        (lambda: [2] + TensorShape([1]), "TensorShape([2, 1])"),
        (lambda: (2,) + TensorShape([1]), "TensorShape([2, 1])"),
        (lambda: TensorShape([1]) + TensorShape([2]), "TensorShape([1, 2])"),
        (lambda: TensorShape([1]) + 3, "TensorShape([1, 3])"),
        (lambda: TensorShape([1]) + None, "TensorShape(None)"),
        (lambda: TensorShape([1, 2]) + [None], "TensorShape([1, 2, None])"),
        (lambda: TensorShape([1]).__concat__([5]), "TensorShape([1, 5])"),
        (lambda: operator.concat(TensorShape([1]), [5]), "TensorShape([1, 5])"),
    ],
)
def test_concatenate(expression, expected):
    assert repr(expression()) == expected


def test_concatenate_bad_other_raises():
    # recorded from TF 2.21
    with pytest.raises(TypeError, match="Failed to convert ''a'' to a shape"):
        TensorShape([1]) + "a"


# Rank checks.


def test_with_rank():
    shape = TensorShape([1, None])
    assert shape.with_rank(2) is shape
    # recorded from TF 2.21
    assert repr(TensorShape(None).with_rank(2)) == "TensorShape([None, None])"
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank 3$"):
        TensorShape([1, 2]).with_rank(3)  # recorded from TF 2.21
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank -1$"):
        TensorShape([1, 2]).with_rank(-1)  # recorded from TF 2.21
    with pytest.raises(TypeError, match="can't multiply sequence by non-int of type 'float'"):
        TensorShape([1, 2]).with_rank(2.0)  # recorded from TF 2.21


def test_with_rank_at_least_and_at_most():
    shape = TensorShape([1, 2])
    assert shape.with_rank_at_least(1) is shape
    assert shape.with_rank_at_most(2) is shape
    assert TensorShape(None).with_rank_at_least(1) == TensorShape(None)  # recorded from TF 2.21
    assert TensorShape(None).with_rank_at_most(2) == TensorShape(None)  # recorded from TF 2.21
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank at least 3$"):
        shape.with_rank_at_least(3)  # recorded from TF 2.21
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank at most 1$"):
        shape.with_rank_at_most(1)  # recorded from TF 2.21


def test_assert_has_rank():
    assert TensorShape([1, 2]).assert_has_rank(2) is None
    assert TensorShape(None).assert_has_rank(2) is None  # recorded from TF 2.21
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank 3$"):
        TensorShape([1, 2]).assert_has_rank(3)  # recorded from TF 2.21


def test_assert_same_rank():
    assert TensorShape([1, 2]).assert_same_rank([3, 4]) is None
    assert TensorShape([1, 2]).assert_same_rank(None) is None  # recorded from TF 2.21
    assert TensorShape(None).assert_same_rank([1]) is None  # recorded from TF 2.21
    with pytest.raises(ValueError, match=r"^Shapes \(1, 2\) and \(1,\) must have the same rank$"):
        TensorShape([1, 2]).assert_same_rank([1])  # recorded from TF 2.21


# Pickling and copying.


@pytest.mark.parametrize("dims", [[1, None], [], None, [2, 3]])
def test_pickle_and_copy_round_trip(dims):
    shape = TensorShape(dims)
    for clone in (pickle.loads(pickle.dumps(shape)), copy.copy(shape), copy.deepcopy(shape)):
        assert type(clone) is TensorShape
        assert clone == shape
        assert repr(clone) == repr(shape)


def test_reduce_matches_tf():
    cls, args = TensorShape([1, None]).__reduce__()
    assert cls is TensorShape
    assert repr(args) == "([Dimension(1), Dimension(None)],)"  # recorded from TF 2.21


# Module helpers.


def test_as_shape():
    shape = TensorShape([1])
    assert as_shape(shape) is shape
    assert repr(as_shape([1])) == "TensorShape([1])"  # recorded from TF 2.21
    assert repr(as_shape(None)) == "TensorShape(None)"  # recorded from TF 2.21
    assert repr(as_shape(3)) == "TensorShape([3])"  # recorded from TF 2.21
    # recorded from TF 2.21
    with pytest.raises(TypeError, match="Failed to convert ''a'' to a shape"):
        as_shape("a")


def test_unknown_shape():
    assert repr(unknown_shape()) == "TensorShape(None)"  # recorded from TF 2.21
    assert repr(unknown_shape(2)) == "TensorShape([None, None])"  # recorded from TF 2.21
    assert repr(unknown_shape(rank=0)) == "TensorShape([])"  # recorded from TF 2.21
    assert repr(unknown_shape(-1)) == "TensorShape([])"  # recorded from TF 2.21
    assert repr(unknown_shape(ndims=2)) == "TensorShape([None, None])"  # recorded from TF 2.21
    # recorded from TF 2.21
    with pytest.raises(TypeError, match=r"^Unknown argument: \{'foo': 2\}$"):
        unknown_shape(foo=2)
    # recorded from TF 2.21
    with pytest.raises(TypeError, match=r"^Unknown argument: \{'ndims': 3\}$"):
        unknown_shape(rank=2, ndims=3)


def test_dimension_value():
    assert dimension_value(Dimension(3)) == 3  # recorded from TF 2.21
    assert dimension_value(Dimension(None)) is None  # recorded from TF 2.21
    assert dimension_value(3) == 3
    assert dimension_value(None) is None
    assert dimension_value("x") == "x"  # recorded from TF 2.21


def test_dimension_at_index():
    # recorded from TF 2.21
    assert repr(dimension_at_index(TensorShape([1, 2]), 1)) == "Dimension(2)"
    # recorded from TF 2.21
    assert repr(dimension_at_index(TensorShape([1, 2]), -1)) == "Dimension(2)"
    # recorded from TF 2.21
    assert repr(dimension_at_index(TensorShape([1, None]), 1)) == "Dimension(None)"
    # recorded from TF 2.21
    assert repr(dimension_at_index(TensorShape(None), 1)) == "Dimension(None)"
    with pytest.raises(IndexError, match="list index out of range"):  # recorded from TF 2.21
        dimension_at_index(TensorShape([1, 2]), 5)


def test_as_dimension():
    dim = Dimension(3)
    assert as_dimension(dim) is dim
    assert repr(as_dimension(3)) == "Dimension(3)"  # recorded from TF 2.21
    assert repr(as_dimension(None)) == "Dimension(None)"  # recorded from TF 2.21
    with pytest.raises(TypeError, match=DIMENSION_TYPE_ERROR):  # recorded from TF 2.21
        as_dimension(1.5)


# Dimension.


@pytest.mark.parametrize(
    "value, expected_repr, expected_str",
    [
        # recorded from TF 2.21
        (3, "Dimension(3)", "3"),
        (None, "Dimension(None)", "?"),
        (Dimension(3), "Dimension(3)", "3"),
        (Dimension(None), "Dimension(None)", "?"),
        (True, "Dimension(True)", "True"),
        (np.int64(3), "Dimension(3)", "3"),
    ],
)
def test_dimension_repr_and_str(value, expected_repr, expected_str):
    dim = Dimension(value)
    assert repr(dim) == expected_repr
    assert str(dim) == expected_str


def test_dimension_value_conversions():
    assert Dimension(3).value == 3
    assert Dimension(None).value is None
    assert type(Dimension(np.int64(3)).value) is int  # recorded from TF 2.21
    assert int(Dimension(3)) == 3
    assert operator.index(Dimension(3)) == 3
    assert [1, 2, 3][Dimension(1)] == 2  # recorded from TF 2.21
    assert range(Dimension(3)) == range(0, 3)  # recorded from TF 2.21
    with pytest.raises(TypeError, match=r"__int__ returned non-int \(type NoneType\)"):
        int(Dimension(None))  # recorded from TF 2.21


def test_dimension_bool():
    assert not Dimension(0)  # recorded from TF 2.21
    assert not Dimension(None)  # recorded from TF 2.21
    assert Dimension(3)


@pytest.mark.parametrize(
    "value, error, fragment",
    [
        # recorded from TF 2.21
        (-1, ValueError, "Dimension -1 must be >= 0"),
        (1.5, TypeError, "got value '1.5' with type '<class 'float'>'"),
        (2.0, TypeError, "got value '2.0' with type '<class 'float'>'"),
        ("3", TypeError, "got value ''3'' with type '<class 'str'>'"),
    ],
)
def test_dimension_bad_value(value, error, fragment):
    with pytest.raises(error) as info:
        Dimension(value)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "left, right, expected",
    [
        # recorded from TF 2.21
        (Dimension(3), 3, True),
        (Dimension(3), np.int64(3), True),
        (Dimension(3), Dimension(4), False),
        (Dimension(3), 3.0, False),
        (Dimension(3), "a", False),
        (Dimension(3), True, False),
        (Dimension(None), None, None),
        (Dimension(None), Dimension(None), None),
        (Dimension(3), Dimension(None), None),
        (Dimension(3), None, None),
    ],
)
def test_dimension_eq(left, right, expected):
    assert (left == right) is expected


@pytest.mark.parametrize(
    "left, right, expected",
    [
        # recorded from TF 2.21
        (Dimension(3), 3, False),
        (Dimension(3), 4, True),
        (Dimension(3), Dimension(None), None),
        (Dimension(3), None, None),
    ],
)
def test_dimension_ne(left, right, expected):
    assert (left != right) is expected


def test_dimension_is_unhashable():
    with pytest.raises(TypeError, match="unhashable type: 'Dimension'"):  # recorded from TF 2.21
        hash(Dimension(3))


@pytest.mark.parametrize(
    "expression, expected",
    [
        # recorded from TF 2.21
        (lambda: Dimension(3) < Dimension(4), True),
        (lambda: Dimension(3) <= Dimension(3), True),
        (lambda: Dimension(3) < 4, True),
        (lambda: Dimension(3) >= 2, True),
        (lambda: Dimension(3) > 4, False),
        (lambda: Dimension(3) < np.int64(4), True),
        (lambda: Dimension(3) > Dimension(None), None),
        (lambda: Dimension(None) < Dimension(3), None),
        (lambda: Dimension(3) >= Dimension(None), None),
        (lambda: Dimension(3) < None, None),
    ],
)
def test_dimension_comparisons(expression, expected):
    assert expression() is expected


def test_dimension_comparison_with_float_raises():
    with pytest.raises(TypeError, match="got value '4.5'"):  # recorded from TF 2.21
        Dimension(3) < 4.5  # noqa: B015


@pytest.mark.parametrize(
    "expression, expected",
    [
        # recorded from TF 2.21
        (lambda: Dimension(3) + Dimension(4), "Dimension(7)"),
        (lambda: Dimension(3) + 4, "Dimension(7)"),
        (lambda: 4 + Dimension(3), "Dimension(7)"),
        (lambda: Dimension(3) + Dimension(None), "Dimension(None)"),
        (lambda: Dimension(None) + 1, "Dimension(None)"),
        (lambda: Dimension(True) + 1, "Dimension(2)"),
        (lambda: Dimension(3) - Dimension(1), "Dimension(2)"),
        (lambda: 5 - Dimension(3), "Dimension(2)"),
        (lambda: Dimension(5) - Dimension(None), "Dimension(None)"),
        (lambda: Dimension(3) * Dimension(4), "Dimension(12)"),
        (lambda: 3 * Dimension(4), "Dimension(12)"),
        (lambda: Dimension(3) * 0, "Dimension(0)"),
        (lambda: Dimension(7) // Dimension(2), "Dimension(3)"),
        (lambda: 7 // Dimension(2), "Dimension(3)"),
        (lambda: Dimension(None) // 0, "Dimension(None)"),
        (lambda: 0 // Dimension(None), "Dimension(None)"),
        (lambda: Dimension(7) % Dimension(2), "Dimension(1)"),
        (lambda: 7 % Dimension(2), "Dimension(1)"),
        (lambda: Dimension(3) % Dimension(None), "Dimension(None)"),
    ],
)
def test_dimension_arithmetic(expression, expected):
    assert repr(expression()) == expected


@pytest.mark.parametrize(
    "expression, error, message",
    [
        # recorded from TF 2.21
        (lambda: Dimension(3) - Dimension(4), ValueError, "Dimension -1 must be >= 0"),
        (lambda: Dimension(2) - 3, ValueError, "Dimension -1 must be >= 0"),
        (
            lambda: Dimension(3) + 1.5,
            TypeError,
            "unsupported operand type(s) for +: 'Dimension' and 'float'",
        ),
        (
            lambda: Dimension(3) + (-1),
            TypeError,
            "unsupported operand type(s) for +: 'Dimension' and 'int'",
        ),
        (
            lambda: "a" + Dimension(3),
            TypeError,
            "unsupported operand type(s) for +: 'Dimension' and 'str'",
        ),
        (
            lambda: Dimension(3) - "a",
            TypeError,
            "unsupported operand type(s) for -: 'Dimension' and 'str'",
        ),
        (
            lambda: (-1) * Dimension(3),
            TypeError,
            "unsupported operand type(s) for *: 'Dimension' and 'int'",
        ),
        (
            lambda: Dimension(3) // 1.5,
            TypeError,
            "unsupported operand type(s) for //: 'Dimension' and 'float'",
        ),
        (lambda: 2.5 - Dimension(3), TypeError, "got value '2.5'"),
        (lambda: 1.5 // Dimension(3), TypeError, "got value '1.5'"),
        (lambda: Dimension(3) % 1.5, TypeError, "got value '1.5'"),
        (
            lambda: Dimension(7) / Dimension(2),
            TypeError,
            "unsupported operand type(s) for /: 'Dimension' and 'Dimension', "
            "please use // instead",
        ),
        (
            lambda: Dimension(7) / 2,
            TypeError,
            "unsupported operand type(s) for /: 'Dimension' and 'int', please use // instead",
        ),
        (
            lambda: 7 / Dimension(2),
            TypeError,
            "unsupported operand type(s) for /: 'int' and 'Dimension', please use // instead",
        ),
        (lambda: Dimension(6) // Dimension(0), ZeroDivisionError, "integer division"),
        (lambda: -Dimension(3), TypeError, "bad operand type for unary -: 'Dimension'"),
    ],
)
def test_dimension_arithmetic_errors(expression, error, message):
    with pytest.raises(error) as info:
        expression()
    assert message in str(info.value)


def test_dimension_compatibility_and_merge():
    assert Dimension(3).is_compatible_with(None)  # recorded from TF 2.21
    assert Dimension(None).is_compatible_with(4)
    assert not Dimension(3).is_compatible_with(4)  # recorded from TF 2.21
    # recorded from TF 2.21
    assert repr(Dimension(3).merge_with(Dimension(None))) == "Dimension(3)"
    assert repr(Dimension(None).merge_with(5)) == "Dimension(5)"
    assert repr(Dimension(None).merge_with(None)) == "Dimension(None)"  # recorded from TF 2.21
    Dimension(3).assert_is_compatible_with(3)
    with pytest.raises(ValueError, match="^Dimensions 3 and 4 are not compatible$"):
        Dimension(3).merge_with(4)  # recorded from TF 2.21
    with pytest.raises(ValueError, match="^Dimensions 3 and 4 are not compatible$"):
        Dimension(3).assert_is_compatible_with(4)  # recorded from TF 2.21
    with pytest.raises(TypeError, match=DIMENSION_TYPE_ERROR):  # recorded from TF 2.21
        Dimension(3).merge_with("a")


@pytest.mark.parametrize("value", [3, None])
def test_dimension_pickles(value):
    dim = Dimension(value)
    assert dim.__reduce__() == (Dimension, (value,))  # recorded from TF 2.21
    clone = pickle.loads(pickle.dumps(dim))
    assert type(clone) is Dimension and clone.value == value
