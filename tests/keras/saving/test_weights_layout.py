"""The weights-file layout of nested subclassed layers and models matches Keras 3.15's walk
(attributes by name, public before private; lists of layers; a model's `layers` and
`optimizer`)."""

import h5py
import numpy as np

from eagerflow import keras


class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.blocks = [keras.layers.Dense(3), keras.layers.Dense(3)]
        self._head = keras.layers.Dense(2)
        self.norm = keras.layers.LayerNormalization()

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return self._head(self.norm(x))


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.zeta = keras.layers.Dense(3)
        self.alpha = Block()

    def call(self, x):
        return self.alpha(self.zeta(x))


def _datasets(path):
    found = {}
    with h5py.File(path, "r") as h5file:
        h5file.visititems(lambda name, obj: found.__setitem__(name, obj.shape)
                          if isinstance(obj, h5py.Dataset) else None)
    return found


def test_nested_subclassed_layout_is_keras(tmp_path):
    model = Net()
    model.compile("adam", "mse")
    model.fit(np.ones((4, 4)), np.ones((4, 2)), verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    datasets = _datasets(tmp_path / "w.weights.h5")
    # recorded from Keras 3.15 for the same classes
    assert {name: shape for name, shape in datasets.items()
            if not name.startswith("optimizer/")} == {
        "alpha/_head/vars/0": (3, 2), "alpha/_head/vars/1": (2,),
        "alpha/blocks/dense/vars/0": (3, 3), "alpha/blocks/dense/vars/1": (3,),
        "alpha/blocks/dense_1/vars/0": (3, 3), "alpha/blocks/dense_1/vars/1": (3,),
        "alpha/norm/vars/0": (3,), "alpha/norm/vars/1": (3,),
        "layers/dense/vars/0": (4, 3), "layers/dense/vars/1": (3,)}
    # iteration, learning rate, then two Adam slots per variable in the model's order
    slots = [datasets[f"optimizer/vars/{i}"] for i in range(22)]
    assert slots[:4] == [(), (), (4, 3), (4, 3)]
    assert len(datasets) == 10 + 22
    twin = Net()
    twin.compile("adam", "mse")
    twin.fit(np.zeros((4, 4)), np.zeros((4, 2)), verbose=0)
    twin.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(twin.predict(np.ones((2, 4)), verbose=0),
                                  model.predict(np.ones((2, 4)), verbose=0))
