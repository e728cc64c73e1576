"""The `tf.errors` exception classes and error codes.

Every error an op raises at run time is an `OpError` subclass carrying one of
the canonical error codes, as in TensorFlow:

>>> err = InvalidArgumentError(None, None, "Input to reshape is a tensor with 3 values")
>>> str(err), err.error_code == INVALID_ARGUMENT
('Input to reshape is a tensor with 3 values', True)
"""

# `__all__` is the public `tf.errors` surface; the two code/class lookups at the
# bottom are TF's internal helpers, importable but not part of it.
__all__ = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
    "OpError",
    "CancelledError",
    "UnknownError",
    "InvalidArgumentError",
    "DeadlineExceededError",
    "NotFoundError",
    "AlreadyExistsError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "FailedPreconditionError",
    "AbortedError",
    "OutOfRangeError",
    "UnimplementedError",
    "InternalError",
    "UnavailableError",
    "DataLossError",
    "UnauthenticatedError",
    "OperatorNotAllowedInGraphError",
]

# The canonical error codes (the values of TensorFlow's `error_codes.proto`).
OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """The base class for TensorFlow exceptions.

    Usually, TensorFlow will raise a more specific subclass of `OpError` from
    the `tf.errors` module.
    """

    def __init__(self, node_def, op, message, error_code, *args):
        """Creates a new `OpError` indicating that a particular op failed.

        Args:
          node_def: The `node_def` of the failed op, or None.
          op: The failed op, or None (always None in eager execution).
          message: The message string describing the failure.
          error_code: The integer error code describing the error.
          *args: Optionally, a dict of experimental payloads.
        """
        super().__init__()
        self._node_def = node_def
        self._op = op
        self._message = message
        self._error_code = error_code
        self._experimental_payloads = args[0] if args else {}

    @property
    def message(self):
        """The error message that describes the error."""
        return self._message

    @property
    def op(self):
        """The operation that failed, if known (None in eager execution)."""
        return self._op

    @property
    def node_def(self):
        """The `NodeDef` proto representing the op that failed, or None."""
        return self._node_def

    @property
    def error_code(self):
        """The integer error code that describes the error."""
        return self._error_code

    @property
    def experimental_payloads(self):
        """A dictionary describing the details of the error."""
        return self._experimental_payloads

    def __str__(self):
        if self._op is None:
            return self._message
        # A failed graph op (one with `name` and `traceback`) also shows where
        # it was created.
        lines = [f"{self._message}\n\nOriginal stack trace for {self._op.name!r}:\n"]
        lines.extend(
            f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
            for frame in self._op.traceback
        )
        return "".join(lines)

    def __reduce__(self):
        # A subclass's constructor takes no error code: its code is fixed.
        if isinstance(self, _CODED_CLASSES):
            args = (self._node_def, self._op, self._message)
        else:
            args = (self._node_def, self._op, self._message, self._error_code)
        if self._experimental_payloads:
            args += (self._experimental_payloads,)
        return type(self), args


class CancelledError(OpError):
    """Raised when an operation is cancelled."""

    def __init__(self, node_def, op, message, *args):
        """Creates a `CancelledError`."""
        super().__init__(node_def, op, message, CANCELLED, *args)


class UnknownError(OpError):
    """Unknown error, e.g. an error from another address space."""

    def __init__(self, node_def, op, message, *args):
        """Creates an `UnknownError`."""
        super().__init__(node_def, op, message, UNKNOWN, *args)


class InvalidArgumentError(OpError):
    """Raised when an operation receives an invalid argument.

    This error is typically raised when an op receives mismatched arguments.
    """

    def __init__(self, node_def, op, message, *args):
        """Creates an `InvalidArgumentError`."""
        super().__init__(node_def, op, message, INVALID_ARGUMENT, *args)


class DeadlineExceededError(OpError):
    """Raised when a deadline expires before an operation could complete."""

    def __init__(self, node_def, op, message, *args):
        """Creates a `DeadlineExceededError`."""
        super().__init__(node_def, op, message, DEADLINE_EXCEEDED, *args)


class NotFoundError(OpError):
    """Raised when a requested entity (e.g., a file or directory) was not found."""

    def __init__(self, node_def, op, message, *args):
        """Creates a `NotFoundError`."""
        super().__init__(node_def, op, message, NOT_FOUND, *args)


class AlreadyExistsError(OpError):
    """Raised when an entity that we attempted to create already exists."""

    def __init__(self, node_def, op, message, *args):
        """Creates an `AlreadyExistsError`."""
        super().__init__(node_def, op, message, ALREADY_EXISTS, *args)


class PermissionDeniedError(OpError):
    """Raised when the caller does not have permission to run an operation."""

    def __init__(self, node_def, op, message, *args):
        """Creates a `PermissionDeniedError`."""
        super().__init__(node_def, op, message, PERMISSION_DENIED, *args)


class ResourceExhaustedError(OpError):
    """Raised when some resource has been exhausted, e.g. memory."""

    def __init__(self, node_def, op, message, *args):
        """Creates a `ResourceExhaustedError`."""
        super().__init__(node_def, op, message, RESOURCE_EXHAUSTED, *args)


class FailedPreconditionError(OpError):
    """Raised when the system is not in a state to run an operation.

    For example, reading a variable before it is initialized.
    """

    def __init__(self, node_def, op, message, *args):
        """Creates a `FailedPreconditionError`."""
        super().__init__(node_def, op, message, FAILED_PRECONDITION, *args)


class AbortedError(OpError):
    """Raised when an operation was aborted, typically by a concurrent action."""

    def __init__(self, node_def, op, message, *args):
        """Creates an `AbortedError`."""
        super().__init__(node_def, op, message, ABORTED, *args)


class OutOfRangeError(OpError):
    """Raised when an operation iterates past the valid range.

    For example, reading past the end of an iterator.
    """

    def __init__(self, node_def, op, message, *args):
        """Creates an `OutOfRangeError`."""
        super().__init__(node_def, op, message, OUT_OF_RANGE, *args)


class UnimplementedError(OpError):
    """Raised when an operation has not been implemented or is not supported."""

    def __init__(self, node_def, op, message, *args):
        """Creates an `UnimplementedError`."""
        super().__init__(node_def, op, message, UNIMPLEMENTED, *args)


class InternalError(OpError):
    """Raised when the system experiences an internal error: a broken invariant."""

    def __init__(self, node_def, op, message, *args):
        """Creates an `InternalError`."""
        super().__init__(node_def, op, message, INTERNAL, *args)


class UnavailableError(OpError):
    """Raised when the runtime is currently unavailable."""

    def __init__(self, node_def, op, message, *args):
        """Creates an `UnavailableError`."""
        super().__init__(node_def, op, message, UNAVAILABLE, *args)


class DataLossError(OpError):
    """Raised when unrecoverable data loss or corruption is encountered."""

    def __init__(self, node_def, op, message, *args):
        """Creates a `DataLossError`."""
        super().__init__(node_def, op, message, DATA_LOSS, *args)


class UnauthenticatedError(OpError):
    """Raised when the request does not have valid authentication credentials."""

    def __init__(self, node_def, op, message, *args):
        """Creates an `UnauthenticatedError`."""
        super().__init__(node_def, op, message, UNAUTHENTICATED, *args)


class OperatorNotAllowedInGraphError(TypeError):
    """Raised when an unsupported operator is present in Graph execution.

    For example, using a `tf.Tensor` as a Python `bool` inside a `tf.function`.
    """


_CODE_TO_EXCEPTION_CLASS = {
    CANCELLED: CancelledError,
    UNKNOWN: UnknownError,
    INVALID_ARGUMENT: InvalidArgumentError,
    DEADLINE_EXCEEDED: DeadlineExceededError,
    NOT_FOUND: NotFoundError,
    ALREADY_EXISTS: AlreadyExistsError,
    PERMISSION_DENIED: PermissionDeniedError,
    RESOURCE_EXHAUSTED: ResourceExhaustedError,
    FAILED_PRECONDITION: FailedPreconditionError,
    ABORTED: AbortedError,
    OUT_OF_RANGE: OutOfRangeError,
    UNIMPLEMENTED: UnimplementedError,
    INTERNAL: InternalError,
    UNAVAILABLE: UnavailableError,
    DATA_LOSS: DataLossError,
    UNAUTHENTICATED: UnauthenticatedError,
}

_CODED_CLASSES = tuple(_CODE_TO_EXCEPTION_CLASS.values())

_EXCEPTION_CLASS_TO_CODE = {
    cls: code for code, cls in _CODE_TO_EXCEPTION_CLASS.items()
}


def exception_type_from_error_code(error_code):
    """Returns the `OpError` subclass for an error code.

    Raises:
      KeyError: If `error_code` is OK or not a known code.

    >>> exception_type_from_error_code(INVALID_ARGUMENT).__name__
    'InvalidArgumentError'
    """
    return _CODE_TO_EXCEPTION_CLASS[error_code]


def error_code_from_exception_type(cls):
    """Returns the error code of an `OpError` subclass; UNKNOWN for any other class."""
    return _EXCEPTION_CLASS_TO_CODE.get(cls, UNKNOWN)
