"""Doctests in eagerflow/ see `tf` (the package itself) and `np`, as the examples assume."""

import numpy as np
import pytest

import eagerflow


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace["tf"] = eagerflow
    doctest_namespace["np"] = np


# Scripts that record fixtures run under a separate Python with TensorFlow installed; they
# are not tests and must not be imported (doctest collection) where TensorFlow is absent.
collect_ignore_glob = ["tests/**/fixtures/*.py"]
