"""Doctests in eagerflow/ see `tf` (the package itself) and `np`, as the examples assume."""

import numpy as np
import pytest

import eagerflow


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace["tf"] = eagerflow
    doctest_namespace["np"] = np
