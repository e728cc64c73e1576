"""Errors of the dataset ops, worded as TensorFlow's eager runtime words them.

TensorFlow raises a dataset's errors from the kernel that builds it (`BatchDatasetV2`, ...)
or from `IteratorGetNext` while iterating; the message names that kernel's function node
before the text and the op after it.
"""

from eagerflow.data.structure import flatten_element
from eagerflow.ops.script_ops import _DEVICE


def dataset_op_error(error_class, op, message, node=None):
    """`error_class` raised by the kernel `op` (`node`: its function node, if longer)."""
    return error_class(None, None, f"{{{{function_node __wrapped__{node or op}_device_"
                                   f"{_DEVICE}}}}} {message} [Op:{op}] name: ")


def iterator_error(error_class, message, element_spec):
    """`error_class` raised by `IteratorGetNext` on a dataset of `element_spec`."""
    count = len(flatten_element(element_spec))
    return dataset_op_error(error_class, "IteratorGetNext", message,
                            f"IteratorGetNext_output_types_{count}")


def iteration_error(error_class, message):
    """An error met while producing an element; the public iterator rewords it as
    `IteratorGetNext`'s, which needs the number of components of the whole element."""
    error = error_class(None, None, message)
    error.iteration_message = message
    return error


def as_iterator_error(error, element_spec):
    """`error` from `iteration_error`, as `IteratorGetNext` raises it (others unchanged).

    The result stays marked: an iterator inside a transformation (a `map` reads its
    input through one) rewords it first, and the outermost iterator's wording wins."""
    message = getattr(error, "iteration_message", None)
    if message is None:
        return error
    reworded = iterator_error(type(error), message, element_spec)
    reworded.iteration_message = message
    return reworded
