"""`Wrapper`: the base of layers that take another layer and change what it does."""

from eagerflow.keras.layers.layer import Layer


class Wrapper(Layer):
    """Abstract base of layers wrapping `layer` (e.g. `SpectralNormalization`): builds the
    wrapped layer with the wrapper and serializes it inside the wrapper's config."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Layer {layer} supplied to Wrapper isn't a supported layer "
                             f"type. Please ensure wrapped layer is a valid Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        self.built = True

    def get_config(self):
        from eagerflow.keras.layers import serialize
        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from eagerflow.keras.layers import deserialize
        config = dict(config)
        layer = deserialize(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
