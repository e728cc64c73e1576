"""`Pipeline`: a sequence of (preprocessing) layers applied one after another."""

from eagerflow import nest
from eagerflow.keras.layers.layer import Layer, get_keras_mask


class Pipeline(Layer):
    """Applies `layers` in order, passing each one's output (and its mask) to the next.

    Unlike a `Sequential` model it is a plain layer, meant for preprocessing pipelines
    (e.g. in `tf.data`), and its `training` argument defaults to True so that random
    augmentation layers are active.

    >>> from eagerflow import keras
    >>> pipeline = keras.layers.Pipeline([keras.layers.Rescaling(2.0),
    ...                                   keras.layers.Rescaling(1.0, offset=1.0)])
    >>> pipeline(tf.constant([1.0, 2.0])).numpy().tolist()
    [3.0, 5.0]
    """

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        self._pipeline_layers = layers

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        for layer in self._pipeline_layers:
            kwargs = {}
            if "mask" in layer._call_mask_arguments:
                kwargs["mask"] = mask
            if layer._call_has_training_arg and training is not None:
                kwargs["training"] = training
            inputs = layer(inputs, **kwargs)
            mask = nest.map_structure(get_keras_mask, inputs)
        return inputs

    @classmethod
    def from_config(cls, config):
        from eagerflow.keras.layers import deserialize
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(f"`Pipeline` config must contain a `layers` key mapping to a "
                             f"list of serialized layers. Received config with "
                             f"layers={layers}.")
        return cls(**{**config, "layers": [deserialize(layer) for layer in layers]})

    def get_config(self):
        from eagerflow.keras.layers import serialize
        return {"layers": [serialize(layer) for layer in self._pipeline_layers],
                "name": self.name}
