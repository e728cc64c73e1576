"""`tf.random`."""

from eagerflow.ops.random_ops import (  # noqa: F401
    Generator, categorical, get_global_generator, normal, set_global_generator, set_seed,
    shuffle, stateless_normal, stateless_truncated_normal, stateless_uniform,
    truncated_normal, uniform)
