"""`tf.function` (trace and replay) and AutoGraph's source rewriting beside it."""

from eagerflow.framework.function.graph import (  # noqa: F401
    Program, SymbolicTensor, Trace, executing_eagerly, is_symbolic)
from eagerflow.framework.function.polymorphic import (  # noqa: F401
    ConcreteFunction, Function, function, functions_run_eagerly, run_functions_eagerly)
from eagerflow.framework.function.scopes import init_scope  # noqa: F401
