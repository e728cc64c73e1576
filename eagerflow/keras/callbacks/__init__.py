"""`keras.callbacks`."""

from eagerflow.keras.callbacks.backup_and_restore import BackupAndRestore  # noqa: F401
from eagerflow.keras.callbacks.callback import Callback, CallbackList  # noqa: F401
from eagerflow.keras.callbacks.csv_logger import CSVLogger  # noqa: F401
from eagerflow.keras.callbacks.early_stopping import EarlyStopping  # noqa: F401
from eagerflow.keras.callbacks.history import History  # noqa: F401
from eagerflow.keras.callbacks.lambda_callback import LambdaCallback  # noqa: F401
from eagerflow.keras.callbacks.learning_rate_scheduler import (  # noqa: F401
    LearningRateScheduler)
from eagerflow.keras.callbacks.model_checkpoint import ModelCheckpoint  # noqa: F401
from eagerflow.keras.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
from eagerflow.keras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau  # noqa: F401
from eagerflow.keras.callbacks.terminate_on_nan import TerminateOnNaN  # noqa: F401
from eagerflow.keras.callbacks.tensorboard import TensorBoard  # noqa: F401
