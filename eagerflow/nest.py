"""`tf.nest`."""

from eagerflow.framework.nest import *  # noqa: F401,F403
