"""`StackedRNNCells`: several cells run as one, each feeding the next."""

import eagerflow as tf
from eagerflow.keras.layers.layer import Layer


class StackedRNNCells(Layer):
    """Wraps a list of RNN cells into one cell: each step runs them in order, the output
    of one being the input of the next; the states are the list of the cells' states.

    >>> from eagerflow import keras
    >>> cells = [keras.layers.LSTMCell(4), keras.layers.GRUCell(2)]
    >>> keras.layers.RNN(cells)(tf.ones((3, 5, 6))).shape.as_list()
    [3, 2]
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError(f"All cells must have a `call` method. Received cell "
                                 f"without a `call` method: {cell}")
            if "state_size" not in dir(cell):
                raise ValueError(f"All cells must have a `state_size` attribute. Received "
                                 f"cell without a `state_size`: {cell}")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        if size is not None:
            return size
        return last.state_size[0] if isinstance(last.state_size, (list, tuple)) \
            else last.state_size

    def get_initial_state(self, batch_size=None):
        states = []
        for cell in self.cells:
            initial = getattr(cell, "get_initial_state", None)
            if initial is not None:
                states.append(initial(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(tf.zeros((batch_size, cell.state_size), self.compute_dtype))
            else:
                states.append([tf.zeros((batch_size, size), self.compute_dtype)
                               for size in cell.state_size])
        return states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            size = getattr(cell, "output_size", None)
            if size is None:
                size = cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) \
                    else cell.state_size
            input_shape = (input_shape[0], size)

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if nested else [cell_states]
            kwargs = {}
            if isinstance(cell, Layer) and cell._call_has_training_arg:
                kwargs["training"] = training
            inputs, cell_states = cell(inputs, cell_states, **kwargs)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            new_states.append(list(cell_states) if nested or len(cell_states) > 1
                              else cell_states[0])
        return inputs, new_states

    def get_config(self):
        from eagerflow.keras.layers import serialize
        return {**super().get_config(), "cells": [serialize(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from eagerflow.keras.layers import deserialize
        config = dict(config)
        cells = [deserialize(cell, custom_objects=custom_objects)
                 for cell in config.pop("cells")]
        return cls(cells, **config)
