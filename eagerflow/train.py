"""`tf.train`: checkpoints of variables, modules, Keras models and optimizers."""

from eagerflow.training.checkpoint import (  # noqa: F401
    Checkpoint, list_variables, load_variable)
from eagerflow.training.checkpoint_management import (  # noqa: F401
    CheckpointManager, checkpoints_iterator, get_checkpoint_state, latest_checkpoint)
