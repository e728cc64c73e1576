"""eagerflow: TensorFlow 2's eager API on NumPy. Use it as `import eagerflow as tf`."""

from eagerflow.framework.dtypes import (  # noqa: F401
    DType, as_dtype, bool, complex64, complex128, double, float16, float32, float64, half,
    int8, int16, int32, int64, string, uint8, uint16, uint32, uint64)
from eagerflow.framework.tensor import Tensor, constant, convert_to_tensor, is_tensor  # noqa: F401
from eagerflow.framework.tensor_shape import TensorShape  # noqa: F401
from eagerflow.framework.variables import (  # noqa: F401
    Variable, VariableAggregation, VariableSynchronization)
from eagerflow.framework.tape import GradientTape, UnconnectedGradients  # noqa: F401
from eagerflow.framework.gradient_reasons import GradientWarning  # noqa: F401
from eagerflow.framework.broadcasting import broadcast_to  # noqa: F401
from eagerflow import ops as _ops  # noqa: F401 - binds Tensor's operators
from eagerflow.ops.math_ops import (  # noqa: F401
    abs, add, cast, cos, divide, equal, exp, floor, greater, greater_equal, less, less_equal,
    logical_and, logical_not, logical_or, maximum, minimum, multiply, negative, not_equal,
    pow, round, sigmoid, sign, sin, sqrt, square, subtract, tan, tanh, truediv, where)
from eagerflow.ops.math_ops import (  # noqa: F401
    acos, acosh, add_n, asin, asinh, atan, atan2, atanh, complex, cosh, realdiv, scalar_mul,
    sinh, truncatediv, truncatemod)
from eagerflow.ops.clip_ops import clip_by_global_norm, clip_by_norm, clip_by_value  # noqa: F401
from eagerflow.ops.reduction_ops import (  # noqa: F401
    argmax, argmin, cumsum, reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean,
    reduce_min, reduce_prod, reduce_sum)
from eagerflow.ops.array_ops import (  # noqa: F401
    broadcast_dynamic_shape, broadcast_static_shape, concat, ensure_shape, expand_dims,
    identity, newaxis, rank, reshape, shape, shape_n, size, split, squeeze, stack,
    stop_gradient, strided_slice, transpose, unstack)
from eagerflow.ops.manip_ops import (  # noqa: F401
    meshgrid, one_hot, pad, repeat, reverse, roll, sequence_mask, slice, tile)
from eagerflow.ops.sort_ops import (  # noqa: F401
    argsort, histogram_fixed_width, histogram_fixed_width_bins, searchsorted, sort, unique,
    unique_with_counts)
from eagerflow.ops.check_ops import (  # noqa: F401
    Assert, assert_equal, assert_greater, assert_less, assert_rank)
from eagerflow.ops.einsum_ops import einsum  # noqa: F401
from eagerflow.ops.linalg_ops import matmul, tensordot  # noqa: F401
from eagerflow.ops.norm_ops import norm  # noqa: F401
from eagerflow.framework.indexed_slices import IndexedSlices  # noqa: F401
from eagerflow.ops.indexing_ops import (  # noqa: F401
    boolean_mask, gather, gather_nd, scatter_nd, tensor_scatter_nd_add, tensor_scatter_nd_max,
    tensor_scatter_nd_min, tensor_scatter_nd_sub, tensor_scatter_nd_update)
from eagerflow.ops.creation_ops import (  # noqa: F401
    eye, fill, linspace, ones, ones_like, range, zeros, zeros_like)
from eagerflow.framework.custom_gradient import custom_gradient  # noqa: F401
from eagerflow.framework.tensor_spec import TensorSpec  # noqa: F401
from eagerflow.framework.function import executing_eagerly, function, init_scope  # noqa: F401
from eagerflow import autograph  # noqa: F401,E402 - tf.autograph
from eagerflow.ops.control_flow_ops import (  # noqa: F401
    case, cond, foldl, foldr, map_fn, scan, switch_case, vectorized_map, while_loop)
from eagerflow.ops.tensor_array_ops import TensorArray  # noqa: F401
from eagerflow import (  # noqa: F401
    bitwise, data, debugging, dtypes, errors, linalg, lookup, math, nest, nn, random, strings)
from eagerflow import image  # noqa: F401
from eagerflow import summary  # noqa: F401

from eagerflow.framework.module import Module  # noqa: F401
from eagerflow.framework.name_scope import name_scope  # noqa: F401
from eagerflow.framework.device import device  # noqa: F401
from eagerflow.ops.logging_ops import print_v2 as print  # noqa: F401,A001 - TF's name
from eagerflow.ops.script_ops import numpy_function, py_function  # noqa: F401
from eagerflow import config, version  # noqa: F401
from eagerflow import train  # noqa: F401
from eagerflow import saved_model  # noqa: F401

__version__ = version.VERSION


def __getattr__(name):
    # `tf.keras` is imported on first use, keeping `import eagerflow` fast.
    if name == "keras":
        import importlib
        return importlib.import_module("eagerflow.keras")
    raise AttributeError(f"module 'eagerflow' has no attribute {name!r}")
