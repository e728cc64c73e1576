"""`tf.errors`."""

from eagerflow.framework.errors import *  # noqa: F401,F403
