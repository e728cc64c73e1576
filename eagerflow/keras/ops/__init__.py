"""`keras.ops`: Keras 3's backend-independent ops, here thin layers over eagerflow's ops.

They apply Keras's dtype promotion (`keras.backend.result_type`) and argument names; on
KerasTensors (`keras.Input`) each builds a node of the functional graph.

>>> from eagerflow import keras
>>> from eagerflow.keras import ops
>>> inputs = keras.Input((3,))
>>> model = keras.Model(inputs, ops.mean(inputs, axis=-1))
>>> model(tf.constant([[1.0, 2.0, 6.0]]))
<tf.Tensor: shape=(1,), dtype=float32, numpy=array([3.], dtype=float32)>
"""

from eagerflow.keras.ops import core, image, linalg, math, nn, numpy


def _functions_of(module):
    """The public functions `module` defines (not the names it imports)."""
    return {name: value for name, value in vars(module).items()
            if not name.startswith("_") and callable(value) and not isinstance(value, type)
            and getattr(value, "__module__", None) == module.__name__}


# keras.ops holds all of these at its top level too (image's only as `ops.image`).
for _module in (numpy, math, linalg, nn, core):
    globals().update(_functions_of(_module))
del _module
