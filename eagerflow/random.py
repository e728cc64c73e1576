"""`tf.random`."""

from eagerflow.ops.random_ops import (  # noqa: F401
    Algorithm, Generator, categorical, fold_in, gamma, get_global_generator, normal, poisson,
    set_global_generator, set_seed, shuffle, split, stateless_categorical, stateless_normal,
    stateless_truncated_normal, stateless_uniform, truncated_normal, uniform)
