import inspect
import pickle
import traceback

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eagerflow.framework import errors

# (class name, code constant name, code value) for every OpError subclass.
ERROR_CLASSES = [
    # recorded from TF 2.21
    ("CancelledError", "CANCELLED", 1),
    ("UnknownError", "UNKNOWN", 2),
    ("InvalidArgumentError", "INVALID_ARGUMENT", 3),
    ("DeadlineExceededError", "DEADLINE_EXCEEDED", 4),
    ("NotFoundError", "NOT_FOUND", 5),
    ("AlreadyExistsError", "ALREADY_EXISTS", 6),
    ("PermissionDeniedError", "PERMISSION_DENIED", 7),
    ("ResourceExhaustedError", "RESOURCE_EXHAUSTED", 8),
    ("FailedPreconditionError", "FAILED_PRECONDITION", 9),
    ("AbortedError", "ABORTED", 10),
    ("OutOfRangeError", "OUT_OF_RANGE", 11),
    ("UnimplementedError", "UNIMPLEMENTED", 12),
    ("InternalError", "INTERNAL", 13),
    ("UnavailableError", "UNAVAILABLE", 14),
    ("DataLossError", "DATA_LOSS", 15),
    ("UnauthenticatedError", "UNAUTHENTICATED", 16),
]


def test_ok_code_is_zero():
    assert errors.OK == 0  # recorded from TF 2.21


@pytest.mark.parametrize("class_name, code_name, code", ERROR_CLASSES)
def test_error_class_code_and_hierarchy(class_name, code_name, code):
    cls = getattr(errors, class_name)
    assert getattr(errors, code_name) == code
    # recorded from TF 2.21: no tf.errors class is also a ValueError or TypeError.
    assert [c.__name__ for c in cls.__mro__] == [
        class_name,
        "OpError",
        "Exception",
        "BaseException",
        "object",
    ]
    err = cls(None, None, "something failed")
    assert err.error_code == code
    assert str(err) == "something failed"
    assert repr(err) == f"{class_name}()"  # recorded from TF 2.21


@pytest.mark.parametrize("class_name, code_name, code", ERROR_CLASSES)
def test_code_and_class_lookups(class_name, code_name, code):
    cls = getattr(errors, class_name)
    assert errors.exception_type_from_error_code(code) is cls  # recorded from TF 2.21
    assert errors.error_code_from_exception_type(cls) == code  # recorded from TF 2.21


@pytest.mark.parametrize("code", [0, 17, 99])
def test_exception_type_from_unknown_code_raises_key_error(code):
    with pytest.raises(KeyError):  # recorded from TF 2.21 (0 and 99)
        errors.exception_type_from_error_code(code)


@pytest.mark.parametrize("cls", [errors.OpError, ValueError])
def test_error_code_of_other_classes_is_unknown(cls):
    assert errors.error_code_from_exception_type(cls) == errors.UNKNOWN


def test_subclass_signature():
    signature = inspect.signature(errors.InvalidArgumentError.__init__)
    assert str(signature) == "(self, node_def, op, message, *args)"  # recorded from TF 2.21
    signature = inspect.signature(errors.OpError.__init__)
    # recorded from TF 2.21
    assert str(signature) == "(self, node_def, op, message, error_code, *args)"


def test_properties():
    err = errors.InvalidArgumentError("a node_def", None, "msg")
    assert err.message == "msg"
    assert err.node_def == "a node_def"
    assert err.op is None
    assert err.error_code == 3
    assert err.experimental_payloads == {}  # recorded from TF 2.21
    assert err.args == ()  # recorded from TF 2.21
    with pytest.raises(AttributeError, match="has no setter"):  # recorded from TF 2.21
        err.message = "other"


def test_keyword_construction():
    err = errors.InvalidArgumentError(message="hi", node_def=None, op=None)
    assert err.message == "hi"  # recorded from TF 2.21
    assert err.error_code == errors.INVALID_ARGUMENT


def test_experimental_payloads_come_from_the_first_extra_argument():
    err = errors.InvalidArgumentError(None, None, "msg", {"a": "b"}, 5)
    assert err.experimental_payloads == {"a": "b"}  # recorded from TF 2.21
    err = errors.OpError(None, None, "m", 3, {"x": "y"})
    assert err.experimental_payloads == {"x": "y"}  # recorded from TF 2.21


def test_missing_arguments_raise_type_error():
    with pytest.raises(TypeError, match="missing 2 required positional arguments: 'op' and 'message'"):
        errors.InvalidArgumentError("m")  # recorded from TF 2.21
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'error_code'"):
        errors.OpError(None, None, "m")  # recorded from TF 2.21


def test_op_error_base():
    err = errors.OpError(None, None, "m", errors.INVALID_ARGUMENT)
    assert str(err) == "m"  # recorded from TF 2.21
    assert repr(err) == "OpError()"  # recorded from TF 2.21
    assert err.error_code == 3
    assert not isinstance(err, errors.InvalidArgumentError)


def test_message_is_kept_verbatim():
    # recorded from TF 2.21
    assert str(errors.InvalidArgumentError(None, None, "m\nline2")) == "m\nline2"
    assert str(errors.OpError(None, None, "", 3)) == ""  # recorded from TF 2.21


def test_catching_by_base_class():
    with pytest.raises(errors.OpError, match="file missing") as info:
        raise errors.NotFoundError(None, None, "file missing")
    assert info.value.error_code == errors.NOT_FOUND


class _GraphOp:
    name = "myop"
    traceback = [
        traceback.FrameSummary("model.py", 3, "build"),
        traceback.FrameSummary("train.py", 7, "<module>"),
    ]


def test_str_with_an_op_shows_where_it_was_created():
    err = errors.InvalidArgumentError(None, _GraphOp(), "bad")
    assert str(err) == (
        "bad\n\nOriginal stack trace for 'myop':\n"
        '  File "model.py", line 3, in build\n'
        '  File "train.py", line 7, in <module>\n'
    )


@pytest.mark.parametrize("class_name, code_name, code", ERROR_CLASSES)
def test_pickle_round_trip(class_name, code_name, code):
    err = getattr(errors, class_name)(None, None, "msg")
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is type(err)
    assert str(clone) == "msg"
    assert clone.error_code == code
    assert clone.experimental_payloads == {}


def test_reduce_matches_tf():
    err = errors.InvalidArgumentError(None, None, "msg")
    # recorded from TF 2.21
    assert err.__reduce__() == (errors.InvalidArgumentError, (None, None, "msg"))
    err = errors.OpError(None, None, "msg", 3)
    assert err.__reduce__() == (errors.OpError, (None, None, "msg", 3))  # recorded from TF 2.21


def test_pickle_keeps_payloads_and_base_class_code():
    clone = pickle.loads(pickle.dumps(errors.OpError(None, None, "m", 5, {"k": 1})))
    assert type(clone) is errors.OpError
    assert clone.error_code == 5  # recorded from TF 2.21
    assert clone.experimental_payloads == {"k": 1}
    clone = pickle.loads(pickle.dumps(errors.DataLossError(None, None, "m", {"k": 2})))
    assert clone.experimental_payloads == {"k": 2}


@settings(max_examples=25, deadline=None)
@given(code=st.integers(1, 16), message=st.text(max_size=20))
def test_any_error_round_trips_through_its_code(code, message):
    cls = errors.exception_type_from_error_code(code)
    err = pickle.loads(pickle.dumps(cls(None, None, message)))
    assert type(err) is cls
    assert errors.error_code_from_exception_type(type(err)) == err.error_code == code
    assert str(err) == err.message == message


def test_operator_not_allowed_in_graph_error_is_a_type_error():
    err = errors.OperatorNotAllowedInGraphError("x")
    assert isinstance(err, TypeError)  # recorded from TF 2.21
    assert not isinstance(err, errors.OpError)  # recorded from TF 2.21
    assert repr(err) == "OperatorNotAllowedInGraphError('x')"  # recorded from TF 2.21
    assert str(err) == "x"


def test_public_names_are_tf_errors_names():
    # recorded from TF 2.21: dir(tf.errors) without underscores.
    assert sorted(errors.__all__) == [
        "ABORTED", "ALREADY_EXISTS", "AbortedError", "AlreadyExistsError",
        "CANCELLED", "CancelledError", "DATA_LOSS", "DEADLINE_EXCEEDED",
        "DataLossError", "DeadlineExceededError", "FAILED_PRECONDITION",
        "FailedPreconditionError", "INTERNAL", "INVALID_ARGUMENT", "InternalError",
        "InvalidArgumentError", "NOT_FOUND", "NotFoundError", "OK", "OUT_OF_RANGE",
        "OpError", "OperatorNotAllowedInGraphError", "OutOfRangeError",
        "PERMISSION_DENIED", "PermissionDeniedError", "RESOURCE_EXHAUSTED",
        "ResourceExhaustedError", "UNAUTHENTICATED", "UNAVAILABLE", "UNIMPLEMENTED",
        "UNKNOWN", "UnauthenticatedError", "UnavailableError", "UnimplementedError",
        "UnknownError",
    ]  # fmt: skip
    for name in errors.__all__:
        assert hasattr(errors, name)
