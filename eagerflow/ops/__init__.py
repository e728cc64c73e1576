"""The op families; importing this package binds Python's operators to Tensor and Variable."""

from eagerflow.ops import operators

operators.install()
