"""Functional models: `keras.Model(inputs, outputs)` with one or several inputs and outputs
(lists and dicts), shared layers, nested models and graph errors."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def _two_in_two_out():
    i1, i2 = keras.Input((4,), name="i1"), keras.Input((2,), name="i2")
    joined = layers.Dense(3, name="h")(i1) + layers.Dense(3, name="s")(i2)
    out_a = layers.Dense(1, name="out_a")(joined)
    out_b = layers.Dense(2, activation="softmax", name="out_b")(joined)
    return i1, i2, out_a, out_b


def test_single_input_single_output():
    inputs = keras.Input((3,), name="x")
    outputs = layers.Dense(2, name="d")(layers.Dense(5, activation="relu")(inputs))
    model = keras.Model(inputs, outputs)
    assert isinstance(model, keras.Model) and type(model).__name__ == "Functional"
    assert model.name == "functional"
    assert [layer.name for layer in model.layers] == ["x", "dense", "d"]
    assert model.inputs == [inputs] and model.outputs == [outputs]
    assert (model.input_shape, model.output_shape) == ((None, 3), (None, 2))
    assert model.output_names == ["d"]
    assert tuple(model(np.ones((4, 3), "float32")).shape) == (4, 2)
    assert keras.Model(inputs=inputs, outputs=outputs).name == "functional_1"


def test_layers_are_ordered_as_keras_orders_them():
    i1, i2, out_a, out_b = _two_in_two_out()
    model = keras.Model([i1, i2], [out_a, out_b])
    # recorded from Keras 3.15: by depth from the inputs, then by traversal order; the `+`
    # operation is not a layer
    assert [layer.name for layer in model.layers] == ["i1", "i2", "h", "s", "out_a", "out_b"]


def test_list_inputs_and_outputs():
    i1, i2, out_a, out_b = _two_in_two_out()
    model = keras.Model([i1, i2], [out_a, out_b])
    x1, x2 = np.ones((2, 4), "float32"), np.ones((2, 2), "float32")
    result = model([x1, x2])
    assert isinstance(result, list) and [tuple(t.shape) for t in result] == [(2, 1), (2, 2)]
    by_name = model({"i1": x1, "i2": x2})
    np.testing.assert_array_equal(by_name[0].numpy(), result[0].numpy())
    assert model.output_names == ["out_a", "out_b"]
    assert model.input_shape == [(None, 4), (None, 2)]
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match=r"Layer \"functional\" expects 2 named input\(s\) "
                                         r"with keys \['i1', 'i2'\], but it received 1 input "
                                         r"tensors."):
        model(x1)


def test_dict_inputs_and_outputs():
    i1, i2 = keras.Input((3,), name="zz"), keras.Input((3,), name="aa")
    outputs = {"zb": layers.Dense(1, name="d_b")(i1), "za": layers.Dense(2, name="d_a")(i2)}
    model = keras.Model({"zz": i1, "aa": i2}, outputs)
    # recorded from Keras 3.15: dicts flatten in sorted key order
    assert [t.name for t in model.inputs] == ["aa", "zz"]
    assert model.output_names == ["d_a", "d_b"]
    assert [layer.name for layer in model.layers] == ["aa", "zz", "d_a", "d_b"]
    result = model({"zz": np.ones((2, 3), "float32"), "aa": np.zeros((2, 3), "float32")})
    assert list(result) == ["zb", "za"]  # the output dict keeps its own order
    assert tuple(result["za"].shape) == (2, 2)
    # recorded from Keras 3.15: a list for dict inputs whose keys are not sorted is refused
    with pytest.raises(ValueError, match="The structure of `inputs` doesn't match the "
                                         "expected structure."):
        model([np.ones((2, 3), "float32"), np.ones((2, 3), "float32")])


def test_tuple_outputs_come_back_as_a_tuple():
    inputs = keras.Input((2,))
    model = keras.Model(inputs, (layers.Dense(1)(inputs), layers.Dense(3)(inputs)))
    result = model(np.ones((1, 2), "float32"))
    # recorded from Keras 3.15
    assert isinstance(result, tuple) and len(result) == 2


def test_disconnected_graph_raises_as_keras():
    a, c = keras.Input((3,), name="a"), keras.Input((3,), name="c")
    y = layers.Dense(1)(c)
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match="Output with path `` is not connected to `inputs`"):
        keras.Model(a, y)
    with pytest.raises(ValueError, match="Output with path `1` is not connected to `inputs`"):
        keras.Model(a, [layers.Dense(1)(a), y])


def test_unused_inputs_are_kept():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    model = keras.Model([a, b], layers.Dense(1)(a))
    assert [layer.name for layer in model.layers][:2] == ["a", "b"]
    assert tuple(model([np.ones((2, 3)), np.ones((2, 2))]).shape) == (2, 1)


def test_inputs_must_be_keras_tensors():
    a = keras.Input((3,))
    with pytest.raises(ValueError, match="All `inputs` values must be KerasTensors"):
        keras.Model(np.ones(3), layers.Dense(1)(a))
    assert keras.Model(a, a).name == "functional"  # the refused model took no name


def test_duplicate_layer_names_are_refused():
    a = keras.Input((3,))
    x = layers.Dense(2, name="same")(a)
    with pytest.raises(ValueError, match='The name "same" is used 2 times in the model.'):
        keras.Model(a, layers.Dense(2, name="same")(x))


def test_shared_layer():
    shared = layers.Dense(2, name="shared")
    p, q = keras.Input((2,)), keras.Input((2,))
    model = keras.Model([p, q], shared(p) + shared(q))
    # recorded from Keras 3.15
    assert [layer.name for layer in model.layers] == ["input_layer", "input_layer_1", "shared"]
    assert len(model.weights) == 2 and len(shared._inbound_nodes) == 2
    x, y = np.ones((1, 2), "float32"), np.full((1, 2), 2.0, "float32")
    np.testing.assert_allclose(model([x, y]).numpy(), (shared(x) + shared(y)).numpy())


def test_nested_functional_model():
    p = keras.Input((2,))
    inner = keras.Model(p, layers.Dense(2, name="shared")(p), name="inner")
    t = keras.Input((2,))
    outer = keras.Model(t, layers.Dense(1, name="top")(inner(t)), name="outer")
    # recorded from Keras 3.15
    assert [layer.name for layer in outer.layers] == ["input_layer_1", "inner", "top"]
    assert [w.path for w in outer.weights] == ["shared/kernel", "shared/bias", "top/kernel",
                                               "top/bias"]
    assert tuple(outer(np.ones((3, 2), "float32")).shape) == (3, 1)
    assert outer.get_layer("inner") is inner
    assert outer.get_layer(index=2).name == "top"
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match=r"No such layer: nope. Existing layers are: "
                                         r"\['input_layer_1', 'inner', 'top'\]."):
        outer.get_layer("nope")
    with pytest.raises(ValueError, match="Was asked to retrieve layer at index 5 but model "
                                         "only has 3 layers."):
        outer.get_layer(index=5)


def test_model_from_an_intermediate_tensor():
    inputs = keras.Input((4,))
    hidden = layers.Dense(3, name="hidden")(inputs)
    head = keras.Model(hidden, layers.Dense(1, name="head")(hidden))
    # Keras 3.15 lists a clone of the input tensor as a layer too; here only `head`.
    assert [layer.name for layer in head.layers] == ["head"]
    assert tuple(head(np.ones((2, 3), "float32")).shape) == (2, 1)


def test_input_rank_is_adjusted_as_keras():
    inputs = keras.Input((1,))
    model = keras.Model(inputs, layers.Dense(2)(inputs))
    assert tuple(model(np.ones((5,), "float32")).shape) == (5, 2)
    wide = keras.Input((3,))
    model = keras.Model(wide, layers.Dense(2)(wide))
    assert tuple(model(np.ones((5, 3, 1), "float32")).shape) == (5, 2)
    with pytest.raises(ValueError, match="Invalid input shape for input"):
        model(np.ones((5, 3, 2), "float32"))


def test_training_flag_reaches_layers_in_the_graph():
    inputs = keras.Input((100,))
    model = keras.Model(inputs, layers.Dropout(0.5)(inputs))
    x = np.ones((2, 100), "float32")
    np.testing.assert_array_equal(model(x).numpy(), x)
    assert (model(x, training=True).numpy() == 0).any()


def test_subclass_called_with_inputs_and_outputs_is_functional():
    class CustomModel(keras.Model):
        def train_step(self, data):
            self.steps_seen = getattr(self, "steps_seen", 0) + 1
            return super().train_step(data)

    inputs = keras.Input((3,))
    model = CustomModel(inputs, layers.Dense(1)(inputs))
    # recorded from Keras 3.15
    assert type(model).__name__ == "CustomModel" and model.name == "custom_model"
    assert isinstance(model, CustomModel) and isinstance(model, keras.models.Functional)
    model.compile("sgd", "mse", run_eagerly=True)
    model.fit(np.ones((8, 3)), np.ones((8, 1)), batch_size=4, verbose=0)
    assert model.steps_seen == 2
    # By default the step is a tf.function: its Python runs once per trace (Keras 3.15).
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 3)), np.ones((8, 1)), batch_size=4, verbose=0)
    assert model.steps_seen == 3

    class Built(keras.Model):
        def __init__(self, **kwargs):
            x = keras.Input((2,))
            super().__init__(x, layers.Dense(3)(x), **kwargs)

    built = Built(name="built")
    assert built.name == "built" and isinstance(built, keras.models.Functional)
    assert tuple(built(np.ones((1, 2), "float32")).shape) == (1, 3)


def test_functional_trains_with_multiple_inputs_and_outputs(rng):
    i1, i2, out_a, out_b = _two_in_two_out()
    model = keras.Model([i1, i2], [out_a, out_b])
    x1 = rng.standard_normal((64, 4)).astype("float32")
    x2 = rng.standard_normal((64, 2)).astype("float32")
    y_a = x1.sum(1, keepdims=True)
    y_b = (x2[:, 0] > 0).astype("int64")
    model.compile("adam", ["mse", "sparse_categorical_crossentropy"])
    history = model.fit([x1, x2], [y_a, y_b], epochs=15, batch_size=16, verbose=0)
    # recorded from Keras 3.15: per-output losses are named after the output layers
    assert sorted(history.history) == ["loss", "out_a_loss", "out_b_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_keras_tensor_ops_and_a_tf_function_on_them():
    a = keras.Input((3,))
    model = keras.Model(a, a * 2.0 + 1.0)
    np.testing.assert_array_equal(model(tf.ones((1, 3))).numpy(), [[3.0, 3.0, 3.0]])


# recorded from Keras 3.15: json.dumps(model.get_config(), sort_keys=True) of the model in
# test_config_matches_keras_json
KERAS_CONFIG = {'input_layers': ['x', 0, 0],
 'layers': [{'class_name': 'InputLayer',
             'config': {'batch_shape': [None, 3],
                        'dtype': 'float32',
                        'name': 'x',
                        'optional': False,
                        'ragged': False,
                        'sparse': False},
             'inbound_nodes': [],
             'module': 'keras.layers',
             'name': 'x',
             'registered_name': None},
            {'build_config': {'input_shape': [None, 3]},
             'class_name': 'Dense',
             'config': {'activation': 'linear',
                        'bias_constraint': None,
                        'bias_initializer': {'class_name': 'Zeros',
                                             'config': {},
                                             'module': 'keras.initializers',
                                             'registered_name': None},
                        'bias_regularizer': None,
                        'dtype': {'class_name': 'DTypePolicy',
                                  'config': {'name': 'float32'},
                                  'module': 'keras',
                                  'registered_name': None},
                        'kernel_constraint': None,
                        'kernel_initializer': {'class_name': 'GlorotUniform',
                                               'config': {'input_axes': None,
                                                          'output_axes': None,
                                                          'seed': None},
                                               'module': 'keras.initializers',
                                               'registered_name': None},
                        'kernel_regularizer': None,
                        'name': 'd',
                        'quantization_config': None,
                        'trainable': True,
                        'units': 2,
                        'use_bias': True},
             'inbound_nodes': [{'args': [{'class_name': '__keras_tensor__',
                                          'config': {'dtype': 'float32',
                                                     'keras_history': ['x', 0, 0],
                                                     'shape': [None, 3]}}],
                                'kwargs': {}}],
             'module': 'keras.layers',
             'name': 'd',
             'registered_name': None},
            {'class_name': 'Multiply',
             'config': {'name': 'multiply'},
             'inbound_nodes': [{'args': [{'class_name': '__keras_tensor__',
                                          'config': {'dtype': 'float32',
                                                     'keras_history': ['d', 0, 0],
                                                     'shape': [None, 2]}},
                                         2.0],
                                'kwargs': {}}],
             'module': 'keras.src.ops.numpy',
             'name': 'multiply',
             'registered_name': 'Multiply'}],
 'name': 'm',
 'output_layers': [['multiply', 0, 0]],
 'trainable': True}


def test_config_matches_keras_json():
    x = keras.Input((3,), name="x")
    y = layers.Dense(2, name="d")(x) * 2.0
    model = keras.Model(x, [y], name="m")
    assert json.loads(json.dumps(model.get_config())) == KERAS_CONFIG


def test_config_round_trip_with_shared_layers_and_dicts():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    shared = layers.Dense(2, name="shared")
    h = shared(a)
    o = layers.Dense(1, name="o")(h + layers.Dense(2, name="d")(b) * 2.0)
    again = shared(layers.Dense(3, name="back")(o))  # the shared layer used again, later
    model = keras.Model({"a": a, "b": b}, [o, h, again], name="m")
    config = json.loads(json.dumps(model.get_config()))
    twin = keras.Model.from_config(config)
    assert type(twin).__name__ == "Functional" and twin.name == "m"
    assert [layer.name for layer in twin.layers] == [layer.name for layer in model.layers]
    assert json.loads(json.dumps(twin.get_config())) == config
    twin.set_weights(model.get_weights())
    x = {"a": np.ones((2, 3), "float32"), "b": np.ones((2, 2), "float32")}
    for mine, theirs in zip(model(x), twin(x)):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-6)


def test_nested_models_serialize_with_their_own_config():
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="n1")], name="inner")
    x = keras.Input((3,))
    model = keras.Model(x, layers.Dense(1, name="top")(inner(x)))
    entry = model.get_config()["layers"][1]
    # recorded from Keras 3.15
    assert (entry["module"], entry["class_name"], entry["name"]) == ("keras", "Sequential",
                                                                     "inner")
    twin = keras.Model.from_config(json.loads(json.dumps(model.get_config())))
    assert type(twin.layers[1]).__name__ == "Sequential"
    assert tuple(twin(np.ones((2, 3), "float32")).shape) == (2, 1)
