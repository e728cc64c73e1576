"""The Layer base class: building, `call` arguments, weights, freezing, losses, tracking,
names, config and weight transfer."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers
from tests.keras.layer_checks import check_layer


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


class Scale(layers.Layer):
    """One trainable scale per feature and one non-trainable counter."""

    def __init__(self, initial=1.0, **kwargs):
        super().__init__(**kwargs)
        self.initial = initial
        self.built_with = None

    def build(self, input_shape):
        self.built_with = input_shape
        self.scale = self.add_weight(shape=(input_shape[-1],), name="scale",
                                     initializer=keras.initializers.Constant(self.initial))
        self.calls = self.add_weight(shape=(), name="calls", initializer="zeros",
                                     trainable=False)

    def call(self, inputs):
        self.calls.assign_add(1.0)
        return inputs * self.scale

    def get_config(self):
        return {**super().get_config(), "initial": self.initial}


class MovingStats(layers.Layer):
    """Like BatchNormalization: gamma and beta trainable, moving statistics not."""

    def build(self, input_shape):
        size = (input_shape[-1],)
        self.gamma = self.add_weight(shape=size, name="gamma", initializer="ones")
        self.beta = self.add_weight(shape=size, name="beta", initializer="zeros")
        self.moving_mean = self.add_weight(shape=size, name="moving_mean",
                                           initializer="zeros", trainable=False)
        self.moving_variance = self.add_weight(shape=size, name="moving_variance",
                                               initializer="ones", trainable=False)

    def call(self, inputs, training=None):
        return inputs * self.gamma + self.beta


def test_custom_layer_passes_check_layer():
    layer = check_layer(Scale, {"initial": 2.0}, (3, 4), (3, 4),
                        expected_num_trainable_weights=1, expected_num_non_trainable_weights=1)
    assert layer.get_config()["initial"] == 2.0


def test_build_runs_once_on_the_first_call_with_the_input_shape():
    layer = Scale()
    assert not layer.built and layer.weights == []
    layer(np.ones((2, 5), "float32"))
    assert layer.built and layer.built_with == (2, 5)
    kernel = layer.scale
    layer(np.ones((7, 5), "float32"))
    assert layer.scale is kernel and layer.built_with == (2, 5)
    assert float(layer.calls) == 2.0


def test_build_called_directly_names_weights_under_the_layer():
    dense = layers.Dense(3)
    dense.build((None, 4))
    assert dense.built
    assert [w.path for w in dense.weights] == ["dense/kernel", "dense/bias"]


def test_call_gets_inputs_as_tensors_of_the_layer_dtype():
    seen = []

    class Record(layers.Layer):
        def call(self, inputs):
            seen.append(inputs)
            return inputs

    Record()(np.ones((2, 2)))       # float64 NumPy input
    Record()([[1, 2]])              # a Python list stays a structure of values
    Record()(np.ones((1,), "int32"))
    assert tf.is_tensor(seen[0]) and seen[0].dtype == tf.float32
    assert seen[1] == [[1, 2]]
    assert seen[2].dtype == tf.int32


def test_call_without_inputs_raises_as_keras():
    # recorded from Keras 3.15
    with pytest.raises(TypeError, match="missing a required argument: 'inputs'"):
        layers.Dense(2)()


def test_inputs_may_be_passed_by_keyword():
    assert tuple(layers.Dense(2)(inputs=np.ones((3, 4), "float32")).shape) == (3, 2)


class TrainingProbe(layers.Layer):
    def __init__(self, default=None, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return inputs


class TrainingProbeFalse(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=False):
        self.seen.append(training)
        return inputs


class Outer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.probe = TrainingProbe()
        self.probe_false = TrainingProbeFalse()

    def call(self, inputs, training=None):
        return self.probe_false(self.probe(inputs))


def test_training_is_inherited_from_the_enclosing_call():
    outer = Outer()
    x = np.ones((1, 2), "float32")
    outer(x)
    outer(x, training=True)
    outer(x, training=False)
    # recorded from Keras 3.15 (less the extra call Keras makes to trace an unbuilt layer)
    assert outer.probe.seen == [None, True, False]
    assert outer.probe_false.seen == [False, True, False]


def test_training_defaults_to_the_signature_default():
    probe, probe_false = TrainingProbe(), TrainingProbeFalse()
    x = np.ones((1, 2), "float32")
    probe(x)
    probe(x, training=True)
    probe_false(x)
    assert probe.seen == [None, True]
    assert probe_false.seen == [False]


def test_training_is_set_by_fit_predict_and_evaluate():
    probe = TrainingProbe(name="probe")
    model = keras.Sequential([keras.Input((2,)), probe, layers.Dense(1)])
    model.compile("sgd", "mse")
    x = np.ones((2, 2), "float32")
    probe.seen.clear()
    model.fit(x, x[:, :1], verbose=0)
    model.predict(x, verbose=0)
    model.evaluate(x, x[:, :1], verbose=0)
    model(x)
    assert probe.seen == [True, False, False, None]


def test_layer_without_training_argument_is_called_without_it():
    class NoTraining(layers.Layer):
        def call(self, inputs):
            return inputs + 1.0

    assert NoTraining()(tf.zeros((1,)), training=True).numpy().tolist() == [1.0]


# --- weights ------------------------------------------------------------------------------

def test_add_weight_arguments():
    class Weights(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="ones",
                                     name="w", trainable=False)
            self.v = self.add_weight(shape=(2,))
            self.c = self.add_weight(shape=(), initializer="zeros", dtype="int32")
            self.r = self.add_weight(shape=(2,), initializer="ones", name="r",
                                     regularizer=keras.regularizers.L2(0.5),
                                     constraint=keras.constraints.NonNeg())

        def call(self, inputs):
            return inputs

    layer = Weights()
    layer(np.ones((1, 3), "float32"))
    # recorded from Keras 3.15: (name, path, trainable, dtype, shape), trainable first
    assert [(v.name, v.path, v.trainable, v.dtype.name, tuple(v.shape))
            for v in layer.weights] == [
        ("variable", "weights/variable", True, "float32", (2,)),
        ("variable_1", "weights/variable_1", True, "int32", ()),
        ("r", "weights/r", True, "float32", (2,)),
        ("w", "weights/w", False, "float32", (3, 2))]
    assert [v.name for v in layer.non_trainable_weights] == ["w"]
    np.testing.assert_array_equal(layer.w.numpy(), np.ones((3, 2)))
    assert float(layer.c) == 0 and layer.c.dtype == tf.int32
    assert np.abs(layer.v.numpy()).max() <= np.sqrt(6 / 4)  # glorot_uniform, fans of 2
    assert isinstance(layer.r.constraint, keras.constraints.NonNeg)
    assert [float(loss) for loss in layer.losses] == [1.0]  # 0.5 * (1 + 1)


def test_weights_order_own_then_nested():
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = layers.Dense(2, name="inner")

        def build(self, input_shape):
            self.frozen = self.add_weight(shape=(1,), name="frozen", trainable=False)
            self.own = self.add_weight(shape=(1,), name="own")

        def call(self, inputs):
            return self.inner(inputs)

    block = Block(name="block")
    block(np.ones((1, 3), "float32"))
    assert [w.path for w in block.weights] == [
        "block/own", "block/frozen", "block/inner/kernel", "block/inner/bias"]
    assert [w.path for w in block.trainable_weights] == [
        "block/own", "block/inner/kernel", "block/inner/bias"]
    assert block.variables == block.weights
    assert block.trainable_variables == block.trainable_weights


def test_freezing_is_recursive_and_keeps_moving_stats_non_trainable():
    stats = MovingStats()
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2), stats])
    # recorded from Keras 3.15 (with BatchNormalization)
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (4, 2)
    model.trainable = False
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (0, 6)
    assert model.layers[0].trainable is False and model.layers[0].kernel.trainable is False
    model.trainable = True
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (4, 2)
    assert [w.name for w in model.non_trainable_weights] == ["moving_mean", "moving_variance"]
    model.layers[0].trainable = False
    assert [w.path for w in model.trainable_weights] == [
        "sequential/moving_stats/gamma", "sequential/moving_stats/beta"]
    assert [w.path for w in model.non_trainable_weights] == [
        "sequential/dense/kernel", "sequential/dense/bias",
        "sequential/moving_stats/moving_mean", "sequential/moving_stats/moving_variance"]


def test_a_frozen_layer_builds_non_trainable_weights():
    dense = layers.Dense(2, trainable=False)
    dense(np.ones((1, 3), "float32"))
    assert dense.trainable_weights == [] and len(dense.non_trainable_weights) == 2


def test_get_and_set_weights():
    dense = layers.Dense(3)
    dense(np.ones((2, 4), "float32"))
    weights = [np.full((4, 3), 2.0), np.arange(3.0)]  # float64 values are cast
    dense.set_weights(weights)
    got = dense.get_weights()
    assert [w.dtype for w in got] == [np.float32, np.float32]
    np.testing.assert_array_equal(got[0], weights[0])
    np.testing.assert_array_equal(got[1], weights[1])
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match=r"You called `set_weights\(weights\)` on layer "
                                         r"'dense' with a weight list of length 1, but the "
                                         r"layer was expecting 2 weights."):
        dense.set_weights([np.ones((4, 3))])
    with pytest.raises(ValueError, match=r"Layer dense weight shape \(4, 3\) is not compatible "
                                         r"with provided weight shape \(4, 2\)."):
        dense.set_weights([np.ones((4, 2)), np.ones(3)])
    np.testing.assert_array_equal(dense.get_weights()[0], weights[0])  # unchanged on error


def test_count_params_needs_a_built_layer():
    # recorded from Keras 3.15
    with pytest.raises(ValueError, match="You tried to call `count_params` on layer 'dense', "
                                         "but the layer isn't built."):
        layers.Dense(2).count_params()
    dense = layers.Dense(2)
    dense.build((None, 3))
    assert dense.count_params() == 8


# --- losses -----------------------------------------------------------------------------

class AddsLoss(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1),
                                  kernel_initializer="ones")

    def call(self, inputs):
        self.add_loss(tf.reduce_sum(inputs))
        return self.dense(inputs)


def test_losses_from_add_loss_then_regularizers_cleared_per_outer_call():
    layer = AddsLoss()
    x = np.ones((2, 2), "float32")
    layer(x)
    # recorded from Keras 3.15: the add_loss value first, then the regularization penalty
    assert [round(float(v), 5) for v in layer.losses] == [4.0, 0.4]
    layer(x)
    assert len(layer.losses) == 2
    assert len(layer.dense.losses) == 1
    layer.dense(x)  # the inner layer called on its own: its own call starts afresh
    assert len(layer.dense.losses) == 1


def test_frozen_weights_add_no_regularization_loss():
    dense = layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.5),
                         kernel_initializer="ones")
    dense(np.ones((1, 3), "float32"))
    # recorded from Keras 3.15
    assert [float(v) for v in dense.losses] == [3.0]
    dense.trainable = False
    assert dense.losses == []


def test_activity_regularizer_is_divided_by_the_batch_size():
    dense = layers.Dense(2, activity_regularizer=keras.regularizers.L1(0.1),
                         kernel_initializer="ones")
    dense(np.ones((4, 3), "float32"))
    # recorded from Keras 3.15: 0.1 * sum(|3|) over 4 x 2 outputs, divided by 4
    assert [round(float(v), 5) for v in dense.losses] == [0.6]


def test_model_fit_minimizes_add_loss():
    class Penalized(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(), initializer="ones", name="w")

        def call(self, inputs):
            self.add_loss(tf.square(self.w - 3.0))
            return inputs * self.w

    model = keras.Sequential([keras.Input((1,)), Penalized()])
    model.compile(keras.optimizers.SGD(0.1))  # no compiled loss: add_loss alone
    model.fit(np.ones((8, 1), "float32"), epochs=20, batch_size=8, verbose=0)
    assert abs(float(model.layers[0].w) - 3.0) < 0.1


# --- tracking -----------------------------------------------------------------------------

def test_nested_layers_in_attributes_lists_and_dicts_are_tracked():
    class Container(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first = layers.Dense(2)
            self.blocks = []
            for _ in range(2):
                self.blocks.append(layers.Dense(2))
            self.last = layers.Dense(1)
            self.by_name = {"extra": layers.Dense(2)}
            self.pair = (layers.Dense(2), layers.Dense(2))

        def call(self, inputs):
            x = self.first(inputs)
            for block in self.blocks:
                x = block(x)
            x = self.by_name["extra"](x)
            x = self.pair[1](self.pair[0](x))
            return self.last(x)

    layer = Container(name="c")
    layer(np.ones((1, 3), "float32"))
    # recorded from Keras 3.15: layers in the order they were assigned or appended
    assert [l.name for l in layer._layers] == [
        "dense", "dense_1", "dense_2", "dense_3", "dense_4", "dense_5", "dense_6"]
    assert [w.path for w in layer.weights][:4] == [
        "c/dense/kernel", "c/dense/bias", "c/dense_1/kernel", "c/dense_1/bias"]
    assert len(layer.trainable_weights) == 14
    assert type(layer.blocks).__name__ == "TrackedList"
    assert type(layer.by_name).__name__ == "TrackedDict"
    assert isinstance(layer.blocks, list) and isinstance(layer.by_name, dict)


def test_variables_and_metrics_as_attributes_are_tracked():
    class Holder(layers.Layer):
        def __init__(self):
            super().__init__()
            self.free = keras.Variable(np.zeros(3, "float32"), name="free")
            self.frozen = keras.Variable(np.zeros(2, "float32"), trainable=False, name="fz")
            self.tracker = keras.metrics.Mean(name="tr")

        def call(self, inputs):
            return inputs

    holder = Holder()
    # recorded from Keras 3.15
    assert [w.name for w in holder.weights] == ["free", "fz"]
    assert [w.name for w in holder.trainable_weights] == ["free"]
    assert [m.name for m in holder.metrics] == ["tr"]


def test_attributes_set_before_super_init_are_tracked():
    class Early(keras.Model):
        def __init__(self):
            self.dense = layers.Dense(3)
            super().__init__()

        def call(self, inputs):
            return self.dense(inputs)

    model = Early()
    model(np.ones((1, 2), "float32"))
    assert len(model.weights) == 2 and model.layers == [model.dense]


def test_deleting_an_attribute_untracks_the_layer():
    class Holder(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, inputs):
            return inputs

    holder = Holder()
    del holder.dense
    assert holder._layers == []


# --- names, paths, repr -----------------------------------------------------------------------

def test_unique_names_and_clear_session():
    class MyBlock(layers.Layer):
        pass

    # recorded from Keras 3.15
    assert [layers.Dense(1).name, layers.Dense(1).name] == ["dense", "dense_1"]
    assert [keras.Sequential().name, keras.Sequential().name] == ["sequential", "sequential_1"]
    assert [MyBlock().name, MyBlock().name] == ["my_block", "my_block_1"]
    assert layers.Dense(1, name="custom").name == "custom"
    keras.backend.clear_session()
    assert layers.Dense(1).name == "dense"


def test_variable_paths_and_reprs():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(4)])
    dense = model.layers[0]
    # recorded from Keras 3.15
    assert repr(dense) == "<Dense name=dense, built=True>"
    assert repr(layers.Dense(2)) == "<Dense name=dense_1, built=False>"
    assert dense.kernel.path == "sequential/dense/kernel"
    assert (dense.kernel.name, dense.bias.name) == ("kernel", "bias")
    assert repr(dense.bias) == ("<Variable path=sequential/dense/bias, shape=(4,), "
                                "dtype=float32, value=[0. 0. 0. 0.]>")


def test_input_shape_on_the_first_layer_builds_the_sequential():
    model = keras.Sequential([layers.Dense(3, input_shape=(5,)), layers.Dense(1)])
    assert model.built and model.input_shape == (None, 5)
    assert model.layers[0].kernel.path == "sequential/dense/kernel"
    assert keras.Sequential([layers.Dense(2, input_dim=7)]).input_shape == (None, 7)


# --- config ---------------------------------------------------------------------------------

def test_get_config_is_made_from_plain_constructor_arguments():
    class Plain(layers.Layer):
        def __init__(self, units=3, scale=1.5, tag="x", **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def call(self, inputs):
            return inputs

    layer = Plain(4, tag="y")
    # recorded from Keras 3.15: the defaults are included
    assert layer.get_config() == {
        "name": "plain", "units": 4, "scale": 1.5, "tag": "y", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "float32"}, "registered_name": None}}
    twin = Plain.from_config(layer.get_config())
    assert twin.units == 4 and twin.name == "plain"


def test_get_config_needs_an_override_for_other_arguments():
    class Holds(layers.Layer):
        def __init__(self, values=None, **kwargs):
            super().__init__(**kwargs)

        def call(self, inputs):
            return inputs

    # recorded from Keras 3.15
    with pytest.raises(NotImplementedError, match="Object Holds was created by passing "
                                                  "non-serializable argument values"):
        Holds(values=np.ones(2)).get_config()
    assert Holds().get_config()["values"] is None


def test_config_round_trip_with_activity_regularizer_and_dtype():
    layer = layers.Dense(2, activity_regularizer="l2", dtype="float64", trainable=False)
    config = layer.get_config()
    assert config["activity_regularizer"]["class_name"] == "L2"
    twin = layers.Dense.from_config(config)
    assert (twin.dtype, twin.trainable) == ("float64", False)
    assert twin.get_config() == config


def test_layers_serialize_and_deserialize():
    dense = layers.Dense(4, activation="relu", name="d")
    dense.build((None, 3))
    config = layers.serialize(dense)
    assert (config["module"], config["class_name"]) == ("keras.layers", "Dense")
    assert config["build_config"] == {"input_shape": (None, 3)}
    twin = layers.deserialize(config)
    assert twin.built and tuple(twin.kernel.shape) == (3, 4)
    assert twin.get_config() == dense.get_config()
    # recorded from Keras 3.15
    with pytest.raises(TypeError, match="^Could not locate class 'Nope'. Make sure custom "
                                        "classes and functions are decorated with"):
        layers.deserialize({"class_name": "Nope", "config": {}})


# --- input specs and symbolic calls ---------------------------------------------------------

def test_input_spec_is_checked_on_every_call():
    class NeedsRank3(layers.Layer):
        def __init__(self):
            super().__init__()
            self.input_spec = layers.InputSpec(ndim=3)

        def call(self, inputs):
            return inputs

    layer = NeedsRank3()
    assert tuple(layer(np.ones((1, 2, 3), "float32")).shape) == (1, 2, 3)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layer(np.ones((1, 2), "float32"))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layer(keras.Input((4,)))
    assert repr(layers.InputSpec(min_ndim=2, axes={-1: 4})) == "InputSpec(min_ndim=2, " \
                                                                "axes={-1: 4})"


def test_symbolic_call_records_a_node_and_infers_the_shape():
    inputs = keras.Input((None, 6))
    dense = layers.Dense(3)
    outputs = dense(inputs)
    assert outputs.shape == (None, None, 3) and outputs.dtype == "float32"
    assert dense.output is outputs and dense.input is inputs
    history = outputs._keras_history
    assert (history.operation, history.node_index, history.tensor_index) == (dense, 0, 0)
    assert dense.compute_output_shape((None, 6)) == (None, 3)


def test_layer_output_before_any_call_raises_as_keras():
    # recorded from Keras 3.15
    with pytest.raises(AttributeError, match="The layer dense has never been called and thus "
                                             "has no defined output."):
        layers.Dense(3).output


def test_probe_calls_leave_no_losses_behind():
    layer = AddsLoss()
    layer(keras.Input((2,)))
    assert len(layer.losses) == 1  # only the regularization penalty


def test_keras_tensor_operators_make_operation_nodes():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    total = (a + b) * 2.0 - a / 4.0
    model = keras.Model([a, b], [total, -a, a[:, :2], abs(b) @ tf.ones((3, 2))])
    x, y = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    got = model([x, y])
    np.testing.assert_allclose(got[0].numpy(), (x + y) * 2 - x / 4, rtol=1e-6)
    np.testing.assert_array_equal(got[1].numpy(), -x)
    np.testing.assert_array_equal(got[2].numpy(), x[:, :2])
    np.testing.assert_array_equal(got[3].numpy(), np.full((2, 2), 3.0))
    assert [layer.name for layer in model.layers] == ["a", "b"]  # operations are not layers
    assert (a + b)._keras_history.operation.name.startswith("add")
    with pytest.raises(TypeError, match="symbolic"):
        np.asarray(a)
