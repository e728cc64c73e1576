"""`tf.linalg`."""

from eagerflow.ops.creation_ops import eye  # noqa: F401
from eagerflow.ops.einsum_ops import einsum  # noqa: F401
from eagerflow.ops.linalg_decomposition_ops import (  # noqa: F401
    cholesky, cholesky_solve, det, eig, eigh, eigvals, eigvalsh, inv, logdet, lstsq, pinv, qr,
    slogdet, solve, svd, triangular_solve)
from eagerflow.ops.linalg_ops import cross, matmul, matvec, tensordot  # noqa: F401
from eagerflow.ops.matrix_structure_ops import (  # noqa: F401
    adjoint, band_part, diag, diag_part, matrix_transpose, set_diag, trace)
from eagerflow.ops.norm_ops import norm  # noqa: F401
from eagerflow.ops.normalization_ops import l2_normalize  # noqa: F401
from eagerflow.ops.clip_ops import global_norm  # noqa: F401
