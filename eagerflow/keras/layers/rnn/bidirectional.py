"""`Bidirectional`: runs a recurrent layer forwards and a copy backwards, and merges."""

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy(layer, name, **changes):
    """A new layer with `layer`'s config, renamed, with `changes` to the config."""
    from eagerflow.keras.layers import deserialize, serialize
    config = serialize(layer)
    config.pop("build_config", None)
    config["config"] = {**config["config"], **changes, "name": name}
    return deserialize(config)


def _without_prefix(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs: `layer` reads the sequence forwards, a copy of it
    (or `backward_layer`) backwards, and their outputs are merged by `merge_mode`.

    >>> from eagerflow import keras
    >>> layer = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True))
    >>> layer(tf.ones((2, 5, 3))).shape.as_list()
    [2, 5, 8]

    Args:
      layer: an RNN layer (`LSTM`, `GRU`, `SimpleRNN`, `RNN`).
      merge_mode: "concat" (default), "sum", "mul", "ave", or None for a list of both.
      backward_layer: the layer for the backward direction (default: a copy of `layer`
        with `go_backwards` flipped).
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `Bidirectional` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"`backward_layer` need to be a `keras.layers.Layer` "
                             f"instance. Received: {backward_layer}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode "
                             f"should be one of {{'sum', 'mul', 'ave', 'concat', None}}")
        super().__init__(**kwargs)
        self.forward_layer = _copy(layer, "forward_" + _without_prefix(layer.name, "forward_"))
        if backward_layer is None:
            backward_layer = _copy(layer, "backward_" + _without_prefix(layer.name, "backward_"),
                                   go_backwards=not layer.go_backwards)
        self.backward_layer = backward_layer
        if self.forward_layer.go_backwards == self.backward_layer.go_backwards:
            raise ValueError(f"Forward layer and backward layer should have different "
                             f"`go_backwards` value. Received: forward_layer.go_backwards "
                             f"{self.forward_layer.go_backwards}, "
                             f"backward_layer.go_backwards="
                             f"{self.backward_layer.go_backwards}")
        for attribute in ("stateful", "return_sequences", "return_state"):
            forward = getattr(self.forward_layer, attribute)
            backward = getattr(self.backward_layer, attribute)
            if forward != backward:
                raise ValueError(f"Forward layer and backward layer are expected to have "
                                 f"the same value for attribute \"{attribute}\", got "
                                 f"\"{forward}\" for forward layer and \"{backward}\" for "
                                 f"backward layer")
        for direction in (self.forward_layer, self.backward_layer):
            # Padded steps output zeros, so both directions agree where they are merged.
            if getattr(direction, "zero_output_for_mask", None) is not None:
                direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        if weights is not None:
            half = len(weights) // 2
            self.forward_layer._initial_weights = weights[:half]
            self.backward_layer._initial_weights = weights[half:]

    def build(self, sequences_shape, initial_state_shape=None):
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:
                layer.build(tuple(sequences_shape))
            initial = layer.__dict__.pop("_initial_weights", None)
            if initial is not None:
                layer.set_weights(initial)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {"mask": mask}
        if training is not None:
            kwargs["training"] = training
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = tf.reverse(y_rev, axis=[1])
        if self.merge_mode == "concat":
            output = [tf.concat([y, y_rev], axis=-1)]
        elif self.merge_mode == "sum":
            output = [y + y_rev]
        elif self.merge_mode == "ave":
            output = [(y + y_rev) / 2]
        elif self.merge_mode == "mul":
            output = [y * y_rev]
        else:
            output = [y, y_rev]
        if self.return_state:
            return output + states
        return output[0] if len(output) == 1 else output

    def compute_mask(self, inputs, mask):
        mask = tf.nest.flatten(mask)[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask] if self.merge_mode is not None else [output_mask, output_mask]
        if self.return_state:
            count = len(self.forward_layer.state_size) * 2
            return masks + [None] * count
        return masks[0] if len(masks) == 1 else masks

    def reset_state(self):
        for layer in (self.forward_layer, self.backward_layer):
            layer.reset_state()

    reset_states = reset_state

    def get_config(self):
        from eagerflow.keras.layers import serialize
        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialize(self.forward_layer),
                "backward_layer": serialize(self.backward_layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from eagerflow.keras.layers import deserialize
        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects=custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize(config["backward_layer"],
                                                   custom_objects=custom_objects)
        return cls(**config)
