"""`keras.optimizers`: the optimizers, `schedules`, and `get`/`serialize`/`deserialize`."""

from eagerflow.keras import serialization_lib
from eagerflow.keras.optimizers import schedules  # noqa: F401
from eagerflow.keras.optimizers.adadelta import Adadelta
from eagerflow.keras.optimizers.adafactor import Adafactor
from eagerflow.keras.optimizers.adagrad import Adagrad
from eagerflow.keras.optimizers.adam import Adam
from eagerflow.keras.optimizers.adamax import Adamax
from eagerflow.keras.optimizers.adamw import AdamW
from eagerflow.keras.optimizers.ftrl import Ftrl
from eagerflow.keras.optimizers.lamb import Lamb
from eagerflow.keras.optimizers.lion import Lion
from eagerflow.keras.optimizers.nadam import Nadam
from eagerflow.keras.optimizers.optimizer import Optimizer
from eagerflow.keras.optimizers.rmsprop import RMSprop
from eagerflow.keras.optimizers.sgd import SGD

_BUILTIN = (Optimizer, Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, Lamb, Lion, Nadam,
            RMSprop, SGD, Adafactor)
_BY_NAME = {cls.__name__.lower(): cls for cls in _BUILTIN}


def serialize(optimizer):
    """Returns the optimizer's configuration as a dict in Keras's format.

    >>> from eagerflow.keras import optimizers
    >>> config = optimizers.serialize(optimizers.SGD(learning_rate=0.5, name="sgd_demo"))
    >>> config["class_name"], config["config"]["name"], config["config"]["learning_rate"]
    ('SGD', 'sgd_demo', 0.5)
    """
    return serialization_lib.serialize_object(optimizer, "keras.optimizers", _BY_NAME,
                                              key=str.lower)


def deserialize(config, custom_objects=None):
    """Makes an optimizer from a dict produced by `serialize`; built-in class names are
    matched regardless of case, `custom_objects` maps names to your own classes.

    >>> from eagerflow.keras import optimizers
    >>> optimizers.deserialize({"class_name": "adam", "config": {"learning_rate": 0.5}})
    ... # doctest: +ELLIPSIS
    <eagerflow.keras.optimizers.adam.Adam object at ...>
    """
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(f"Could not interpret optimizer identifier: {config}")
    custom_objects = custom_objects or {}
    name = config["class_name"]
    cls = (serialization_lib.find_custom_object(config, custom_objects)
           or _BY_NAME.get(name.lower()))
    if cls is None:
        raise ValueError(f"Could not interpret optimizer identifier: {config}")
    return cls.from_config(config.get("config") or {}, custom_objects=custom_objects)


def get(identifier):
    """Returns an optimizer for `identifier`: a name ("adam", "Adam", "SGD"), a config
    dict from `serialize`, or an Optimizer (returned unchanged); None gives None.

    >>> from eagerflow.keras import optimizers
    >>> type(optimizers.get("rmsprop")).__name__
    'RMSprop'

    Raises:
      ValueError: for an unknown name or anything else.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        optimizer = deserialize(identifier)
    elif isinstance(identifier, str):
        try:
            optimizer = deserialize({"class_name": identifier, "config": {}})
        except ValueError as error:  # Keras names the string, not the config made of it
            raise ValueError(f"Could not interpret optimizer identifier: "
                             f"{identifier}") from error
    else:
        optimizer = identifier
    if isinstance(optimizer, Optimizer):
        return optimizer
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
