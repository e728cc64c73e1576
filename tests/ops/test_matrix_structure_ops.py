"""tf.linalg's matrix structure ops: transposes, the adjoint, bands, diagonals and the trace,
against TF 2.21's values and errors, with gradients."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import linalg
from tests.gradient_check import check_gradients

InvalidArgumentError = tf.errors.InvalidArgumentError

SQ = np.arange(9.0).reshape(3, 3)


@pytest.mark.parametrize("call, expected", [
    (lambda: linalg.diag([1.0, 2.0], k=1), [[0, 1, 0], [0, 0, 2], [0, 0, 0]]),
    (lambda: linalg.diag([1.0, 2.0], k=-1, num_rows=4), [[0, 0], [1, 0], [0, 2], [0, 0]]),
    (lambda: linalg.diag([[1.0, 2.0], [3.0, 4.0]], k=(0, 1)), [[3, 2], [0, 4]]),
    (lambda: linalg.diag([1.0, 2.0], num_rows=3, padding_value=9), [[1, 9], [9, 2], [9, 9]]),
    (lambda: linalg.diag([1.0, 2.0], num_cols=4), [[1, 0, 0, 0], [0, 2, 0, 0]]),
    (lambda: linalg.diag([[1.0, 2.0, 3.0], [4.0, 5.0, 0.0]], k=(-1, 0), align="LEFT_LEFT"),
     [[1, 0, 0], [4, 2, 0], [0, 5, 3]]),
    (lambda: linalg.diag([[1.0, 2.0, 0.0], [4.0, 5.0, 0.0]], k=(0, 1), align="LEFT_RIGHT"),
     [[4, 1, 0], [0, 5, 2], [0, 0, 0]]),
    (lambda: linalg.diag_part(SQ, k=1), [1, 5]),
    (lambda: linalg.diag_part(SQ, k=(-1, 1)), [[0, 1, 5], [0, 4, 8], [3, 7, 0]]),
    (lambda: linalg.diag_part(SQ, k=(-1, 1), align="LEFT_LEFT"), [[1, 5, 0], [0, 4, 8],
                                                                  [3, 7, 0]]),
    (lambda: linalg.diag_part(np.arange(12.0).reshape(3, 4), k=(-2, 1)),
     [[1, 6, 11], [0, 5, 10], [4, 9, 0], [8, 0, 0]]),
    (lambda: linalg.diag_part(np.arange(12.0).reshape(4, 3), k=(-1, 2), padding_value=-1),
     [[-1, -1, 2], [-1, 1, 5], [0, 4, 8], [3, 7, 11]]),
    (lambda: linalg.set_diag(np.arange(6.0).reshape(2, 3), [9.0, 8.0], k=1),
     [[0, 9, 2], [3, 4, 8]]),
    (lambda: linalg.set_diag(SQ, [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], k=(-1, 0)),
     [[0, 1, 2], [3, 1, 5], [6, 4, 2]]),
    (lambda: linalg.set_diag(np.zeros((2, 2, 2)), [[1.0, 2.0], [3.0, 4.0]]),
     [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]),
    (lambda: linalg.band_part(SQ, 0, -1), [[0, 1, 2], [0, 4, 5], [0, 0, 8]]),
    (lambda: linalg.band_part(SQ, -2, 0), [[0, 0, 0], [3, 4, 0], [6, 7, 8]]),
    (lambda: linalg.band_part(np.arange(6.0).reshape(2, 3), tf.constant(0), tf.constant(1)),
     [[0, 1, 0], [0, 4, 5]]),
    (lambda: linalg.trace(np.stack([SQ, 2 * SQ])), [12, 24]),
    (lambda: linalg.trace(np.arange(6.0).reshape(2, 3)), 4),
    (lambda: linalg.trace(np.ones((2, 0, 0))), [0, 0]),
])  # recorded from TF 2.21
def test_diagonals_and_bands(call, expected):
    np.testing.assert_array_equal(call().numpy(), expected)


def test_structure_dtypes():
    assert linalg.diag([1, 2]).dtype is tf.int32
    assert linalg.band_part(np.ones((2, 2), bool), 0, 0).numpy().tolist() == [[True, False],
                                                                              [False, True]]
    assert linalg.trace(np.array([[1, 2], [3, 4]], np.int32)).dtype is tf.int32
    c = tf.constant([[1 + 2j, 0.5 - 1j], [0.3 + 0.2j, 2 - 1j]])
    assert complex(linalg.trace(c)) == 3 + 1j  # recorded from TF 2.21
    adjoint = linalg.adjoint(tf.constant([[1j, 2]]))
    assert adjoint.numpy().tolist() == [[-1j], [2 - 0j]]
    assert linalg.matrix_transpose(tf.constant([[1j, 2]])).numpy().tolist() == [[1j], [2]]
    assert linalg.matrix_transpose(np.ones((2, 3, 4))).shape.as_list() == [2, 4, 3]


STRUCTURE_ERRORS = [
    (lambda: linalg.diag(1.0), "diagonal must be at least 1-dim, received shape: [] "
                               "[Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], k=(1, 0)), "lower_diag_index must not be larger than "
                                                 "upper_diag_index: 1 > 0 [Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], k=(0, 1, 2)), "diag_index must have only one or two "
                                                    "elements, received 3 elements. "
                                                    "[Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], num_rows=1), "The number of rows is too small. "
                                                   "[Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], num_rows=5, num_cols=5),
     "The number of rows or columns is not consistent with the specified d_lower, d_upper, "
     "and diagonal. [Op:MatrixDiagV3]"),
    (lambda: linalg.diag([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], k=(0, 1)),
     "The number of diagonals provided in the input does not match the lower_diag_index and "
     "upper_diag_index range. [Op:MatrixDiagV3]"),
    (lambda: linalg.diag([1.0, 2.0], align="FOO"),
     "Value for attr 'align' of \"FOO\" is not in the list of allowed values: \"LEFT_RIGHT\", "
     "\"RIGHT_LEFT\", \"LEFT_LEFT\", \"RIGHT_RIGHT\" [Op:MatrixDiagV3]"),
    (lambda: linalg.diag_part(np.ones(3)), "input must be at least 2-dim, received shape: [3] "
                                           "[Op:MatrixDiagPartV3]"),
    (lambda: linalg.diag_part(SQ, k=5), "lower_diag_index is out of bound: 5. It must be "
                                        "between -3 and 3 [Op:MatrixDiagPartV3]"),
    (lambda: linalg.diag_part(SQ, k=(0, 5)), "upper_diag_index is out of bound: 5 It must be "
                                             "between -3 and 3 [Op:MatrixDiagPartV3]"),
    (lambda: linalg.diag_part(SQ, k=(1, -1)), "lower_diag_index must not be larger than "
                                              "upper_diag_index: 1 > -1 [Op:MatrixDiagPartV3]"),
    (lambda: linalg.set_diag(np.zeros((2, 2)), [1.0], k=3),
     "lower_diag_index is out of bound: 3 It must be between -2 and 2 [Op:MatrixSetDiagV3]"),
    (lambda: linalg.set_diag(SQ, [[1.0, 2.0], [3.0, 4.0]], k=(-1, 0)),
     "Either first dimensions of diagonal don't match input.shape[:-2], or diagonal.shape[:-1] "
     "is not equal to the longests diagonal in range [lower_diag_index:upper_diag_index].\n"
     "Input shape: [3,3]\nDiagonal shape: [2,2]\nExpected diagonal shape: [2,3] "
     "[Op:MatrixSetDiagV3]"),
    (lambda: linalg.band_part(np.ones(3), 1, 0), "input must be at least 2-dim, received "
                                                 "shape: [3] [Op:MatrixBandPart]"),
    (lambda: linalg.band_part(SQ, 5, 0), "num_lower must be negative or less or equal to "
                                         "number of rows (3) got: 5 [Op:MatrixBandPart]"),
    (lambda: linalg.band_part(np.ones((2, 3)), 0, 4),
     "num_upper must be negative or less or equal to number of columns (3) got: 4 "
     "[Op:MatrixBandPart]"),
    (lambda: linalg.trace(np.array([1.0, 2.0])), "input must be at least 2-dim, received "
                                                 "shape: [2] [Op:MatrixDiagPartV3]"),
]  # recorded from TF 2.21


@pytest.mark.parametrize("call, message", STRUCTURE_ERRORS)
def test_structure_errors(call, message):
    with pytest.raises(InvalidArgumentError) as info:
        call()
    assert info.value.message == message


def test_structure_python_errors():  # recorded from TF 2.21
    with pytest.raises(ValueError) as info:
        linalg.matrix_transpose(np.ones(3))
    assert str(info.value) == ("Argument `a` should be a (batch) matrix with rank >= 2.  "
                               "Received `a` = [1. 1. 1.] with shape: (3,)")
    with pytest.raises(TypeError, match="Cannot convert 0.0 to EagerTensor of dtype int64"):
        linalg.band_part(SQ, 0.0, 0)


# --- gradients ---------------------------------------------------------------------------

GRADIENT_CASES = {
    "trace": (lambda x: linalg.trace(x), [(2, 3, 4)]),
    "diag": (lambda x: linalg.diag(x, k=(-1, 1), num_rows=3), [(2, 3, 3)]),
    "diag_part": (lambda x: linalg.diag_part(x, k=(-1, 2), padding_value=3), [(2, 3, 4)]),
    "set_diag": (lambda x, d: linalg.set_diag(x, d, k=(0, 1)), [(3, 4), (2, 3)]),
    "band_part": (lambda x: linalg.band_part(x, 1, 0), [(3, 4)]),
    "matrix_transpose": (lambda x: linalg.matrix_transpose(x), [(2, 3, 4)]),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradients(name, rng):
    f, spec = GRADIENT_CASES[name]
    check_gradients(f, *[rng.standard_normal(s) for s in spec], order=2)
