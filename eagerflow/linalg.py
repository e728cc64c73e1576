"""`tf.linalg`."""

from eagerflow.ops.creation_ops import eye  # noqa: F401
from eagerflow.ops.linalg_ops import (  # noqa: F401
    adjoint, band_part, cholesky, cholesky_solve, cross, det, diag, diag_part, eigh,
    eigvalsh, einsum, inv, logdet, lstsq, matmul, matrix_transpose, matvec, norm, pinv, qr,
    set_diag, slogdet, solve, svd, tensordot, trace, triangular_solve)
from eagerflow.ops.normalization_ops import l2_normalize  # noqa: F401
from eagerflow.ops.clip_ops import global_norm  # noqa: F401
