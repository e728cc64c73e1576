"""keras.ops against real Keras 3, case by case from op_cases.py: values, dtypes under
Keras's promotion, gradients (finite differences) and shapes on KerasTensors."""

import json
import os

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import ops
from tests.gradient_check import check_gradients
from tests.keras.ops.op_cases import CASES, case_ids

with open(os.path.join(os.path.dirname(__file__), "fixtures", "keras_ops_values.json")) as f:
    RECORDED = json.load(f)
IDS = case_ids()
PAIRS = list(zip(IDS, CASES))


def function_of(path):
    module, name = path.split(".")
    return getattr(getattr(ops, module), name)


def flat(result):
    return list(result) if isinstance(result, (tuple, list)) else [result]


def as_recorded(array):
    array = np.asarray(array)
    return np.stack([array.real, array.imag], -1) if array.dtype.kind == "c" else array


@pytest.mark.parametrize("case_id,case", PAIRS, ids=IDS)
def test_value_and_dtype_match_keras(case_id, case):
    record = RECORDED[case_id]
    if case.reference is not None:
        result = flat(function_of(case.path)(*case.args, **case.kwargs))
        expected = flat(case.reference(*case.args, **case.kwargs))
        for got, want in zip(result, expected):
            assert got.dtype == tf.as_dtype(want.dtype)
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-4, atol=1e-5)
        return
    if "error" in record:  # Keras raises: so must eagerflow, with the same error class
        with pytest.raises(Exception) as raised:
            function_of(case.path)(*case.args, **case.kwargs)
        assert type(raised.value).__name__ == record["error"]
        return
    result = flat(function_of(case.path)(*case.args, **case.kwargs))
    expected = flat(record["result"])
    assert len(result) == len(expected)
    for got, want in zip(result, expected):
        assert keras.backend.standardize_dtype(got.dtype) == want["dtype"]
        got = as_recorded(got)
        assert list(got.shape) == want["shape"]
        want_value = np.array(want["value"], dtype=np.float64 if got.dtype.kind in "fc"
                              else got.dtype)
        if got.dtype.kind in "fc":
            np.testing.assert_allclose(got.astype(np.float64), want_value, rtol=case.rtol,
                                       atol=case.rtol)
        else:
            np.testing.assert_array_equal(got, want_value)


GRADIENT_PAIRS = [(i, c) for i, c in PAIRS if c.grad]


@pytest.mark.parametrize("case_id,case", GRADIENT_PAIRS, ids=[i for i, _ in GRADIENT_PAIRS])
def test_gradient(case_id, case):
    function = function_of(case.path)

    def f(*differentiated):
        args = list(case.args)
        for index, value in zip(case.grad, differentiated):
            args[index] = value
        return function(*args, **case.kwargs)
    check_gradients(f, *[case.args[i] for i in case.grad], order=1, atol=1e-5, rtol=1e-3)


SYMBOLIC_PAIRS = [(i, c) for i, c in PAIRS if "symbolic" in RECORDED[i]]


@pytest.mark.parametrize("case_id,case", SYMBOLIC_PAIRS, ids=[i for i, _ in SYMBOLIC_PAIRS])
def test_symbolic_shape_and_dtype(case_id, case):
    from eagerflow.keras.symbolic import KerasTensor
    args = [KerasTensor(a.shape, dtype=str(a.dtype)) if isinstance(a, np.ndarray) else a
            for a in case.args]
    result = flat(function_of(case.path)(*args, **case.kwargs))
    expected = RECORDED[case_id]["symbolic"]
    assert [list(r.shape) for r in result] == [e["shape"] for e in expected]
    assert [r.dtype for r in result] == [e["dtype"] for e in expected]
    assert all(isinstance(r, KerasTensor) and r._keras_history is not None for r in result)
