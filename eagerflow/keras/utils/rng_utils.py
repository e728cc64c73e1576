"""`keras.utils.set_random_seed`: one call that makes Keras's randomness reproducible."""

import random

import numpy as np

import eagerflow as tf


def set_random_seed(seed):
    """Seeds Python's `random`, NumPy's global generator and eagerflow's random ops.

    Unseeded initializers draw their seeds from Python's `random`, and shuffling and
    dropout from eagerflow's random ops, so after this call a program trains the same way
    every time.

    >>> from eagerflow import keras
    >>> keras.utils.set_random_seed(7)
    >>> first = keras.layers.Dense(2)(tf.ones((1, 3))).numpy()
    >>> keras.utils.set_random_seed(7)
    >>> bool((keras.layers.Dense(2)(tf.ones((1, 3))).numpy() == first).all())
    True
    """
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} "
                         f"(of type {type(seed)})")
    random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)
    from eagerflow.keras import random as keras_random
    keras_random.reset_global_seed_generator()  # unseeded keras.random draws restart too
