"""`tf.random`."""

from eagerflow.ops.random_generator import (  # noqa: F401
    Generator, get_global_generator, set_global_generator)
from eagerflow.ops.random_ops import (  # noqa: F401
    Algorithm, categorical, fold_in, gamma, normal, poisson, set_seed, shuffle, split,
    stateless_binomial, stateless_categorical, stateless_gamma, stateless_normal,
    stateless_poisson, stateless_truncated_normal, stateless_uniform,
    truncated_normal, uniform)
