"""tf.Module and tf.name_scope; expected names and orders recorded from TensorFlow 2.21."""

import collections
import copy

import pytest

import eagerflow as tf
from eagerflow import keras


class Tagged(tf.Module):
    """A module with a tag for its repr and submodules as attributes k0, k1, ..."""

    def __init__(self, tag, kids=(), name=None):
        super().__init__(name=name)
        self.tag = tag
        for i, kid in enumerate(kids):
            setattr(self, f"k{i}", kid)

    def __repr__(self):
        return self.tag


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([in_features, out_features]), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        return tf.nn.relu(x @ self.w + self.b)


class Sequential(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = Dense(3, 3)
        self.dense_2 = Dense(3, 2)

    def __call__(self, x):
        return self.dense_2(self.dense_1(x))


def test_guide_model_names_variables_and_submodules():
    model = Sequential(name="the_model")
    assert model.name == "the_model"
    assert model.name_scope.name == "the_model/"
    # Variables made in __init__ outside `with self.name_scope` keep their bare names.
    assert [v.name for v in model.variables] == ["b:0", "w:0", "b:0", "w:0"]
    assert [v.name for v in model.trainable_variables] == ["b:0", "w:0", "b:0", "w:0"]
    assert model.submodules == (model.dense_1, model.dense_2)
    assert isinstance(model.variables, tuple) and isinstance(model.submodules, tuple)
    assert model(tf.constant([[2.0, 2.0, 2.0]])).numpy().tolist() == [[18.0, 18.0]]


@pytest.mark.parametrize("class_name, name", [
    ("MLP", "mlp"), ("HTTPServer", "http_server"), ("Dense2D", "dense2_d"),
    ("My_Module", "my__module"), ("myModule", "my_module"), ("ABCDef", "abc_def"),
    ("A", "a")])
def test_default_name_is_snake_case_of_the_class(class_name, name):
    module_class = type(class_name, (tf.Module,), {})
    assert module_class().name == name
    assert module_class().name_scope.name == name + "/"
    assert tf.Module().name == "module"


def test_submodules_list_each_level_before_descending():
    c, e = Tagged("c"), Tagged("e")
    a = Tagged("a", [Tagged("b", [c]), Tagged("d", [e])])
    assert repr(a.submodules) == "(b, d, c, e)"


def test_walk_through_lists_dicts_tuples_and_duplicates():
    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            self.z = [Tagged("z0", [Tagged("z0c")]), {"y": Tagged("zy"), "a": Tagged("za")},
                      (Tagged("zt"),)]
            self.a = {"k2": tf.Variable(2.0, name="k2"),
                      "k1": [tf.Variable(1.0, name="k1"),
                             tf.Variable(3.0, trainable=False, name="nt")]}
            self.m = Tagged("m", [Tagged("mm")])
            self.self_ref = self
            self.dup = self.m
            self.t = tf.constant(1.0)  # a tensor is not a variable

    holder = Holder()
    assert repr(holder.submodules) == "(m, z0, za, zy, zt, mm, z0c)"
    assert [v.name for v in holder.variables] == ["k1:0", "nt:0", "k2:0"]
    assert [v.name for v in holder.trainable_variables] == ["k1:0", "k2:0"]
    assert [v.name for v in holder.non_trainable_variables] == ["nt:0"]


def test_namedtuple_fields_keep_their_order():
    module = tf.Module()
    pair = collections.namedtuple("Pair", "b a")
    module.pair = pair(tf.Variable(1.0, name="b"), tf.Variable(2.0, name="a"))
    assert [v.name for v in module.variables] == ["b:0", "a:0"]


def test_properties_are_not_walked():
    class WithProperty(tf.Module):
        @property
        def made(self):
            return tf.Variable(5.0)

    assert WithProperty().variables == ()


def test_flatten_with_paths():
    module = tf.Module()
    module.a = [tf.Variable(1.0, name="v0"), {"k": tf.Variable(2.0, name="v1")}]
    module.s = tf.Module()
    module.s.w = tf.Variable(3.0, name="w")
    found = list(module._flatten(predicate=lambda x: isinstance(x, tf.Variable),
                                 with_path=True))
    assert [(path, v.name) for path, v in found] == [
        (("a", 0), "v0:0"), (("a", 1, "k"), "v1:0"), (("s", "w"), "w:0")]


def test_unsortable_dict_keys_name_the_property():
    module = tf.Module()
    module.d = {1: tf.Variable(1.0), "x": 2}
    with pytest.raises(ValueError, match="Error processing property 'd' of"):
        module.variables


def test_ignored_properties_are_skipped():
    class Quiet(tf.Module):
        _TF_MODULE_IGNORED_PROPERTIES = frozenset({"hidden"})

        def __init__(self):
            super().__init__()
            self.hidden = tf.Variable(1.0)
            self.shown = tf.Variable(2.0)

    assert [float(v) for v in Quiet().variables] == [2.0]


def test_variables_set_before_super_init_are_found():
    class Early(tf.Module):
        def __init__(self):
            self.v = tf.Variable(1.0)
            super().__init__()

    assert len(Early().variables) == 1


@pytest.mark.parametrize("name", ["a b", "a/b", "1x"])
def test_invalid_names(name):
    with pytest.raises(ValueError, match=f"'{name}' is not a valid module name. Module names "
                                         "must be valid Python identifiers"):
        tf.Module(name=name)


def test_non_string_name_is_a_type_error():
    with pytest.raises(TypeError, match="expected string"):
        tf.Module(name=3)


def test_name_scope_prefixes_variable_names():
    with tf.name_scope("outer") as outer:
        assert outer == "outer/"
        assert tf.Variable(1.0, name="x").name == "outer/x:0"
        with tf.name_scope("inner") as inner:
            assert inner == "outer/inner/"
            assert tf.Variable(1.0).name == "outer/inner/Variable:0"
            assert tf.Variable(1.0, name="a/b").name == "outer/inner/a/b:0"
        with tf.name_scope("inner/") as absolute:
            assert absolute == "inner/"
            assert tf.Variable(1.0).name == "inner/Variable:0"
        with tf.name_scope("") as top:
            assert top == ""
            assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0, name="foo:0").name == "foo:0:0"


def test_deep_copy_in_a_scope_is_named_in_it():
    variable = tf.Variable(1.0, name="a")
    with tf.name_scope("s"):
        assert copy.deepcopy(variable).name == "s/a:0"


def test_name_scope_reentered_nests_and_restores_on_error():
    scope = tf.name_scope("re")
    with scope as first:
        with scope as second:
            assert (first, second) == ("re/", "re/re/")
    assert scope.name == "re"
    with pytest.raises(RuntimeError):
        with tf.name_scope("broken"):
            raise RuntimeError("inside")
    assert tf.Variable(1.0).name == "Variable:0"


@pytest.mark.parametrize("name", [None, 3])
def test_name_scope_needs_a_string(name):
    with pytest.raises(ValueError, match="name for name_scope must be a string."):
        tf.name_scope(name)


def test_module_scope_is_captured_at_creation():
    class Plain(tf.Module):
        pass

    with tf.name_scope("outer"):
        module = Plain()
        dense = Dense(1, 1)
    assert module.name == "plain"
    assert module.name_scope.name == "outer/plain/"
    assert [v.name for v in dense.variables] == ["outer/b:0", "outer/w:0"]
    with module.name_scope as scope:
        assert scope == "outer/plain/"
        assert tf.Variable(1.0).name == "outer/plain/Variable:0"


def test_with_name_scope():
    class Scoped(tf.Module):
        def __init__(self):
            super().__init__(name="w_mod")
            with self.name_scope:
                self.v = tf.Variable(1.0, name="v")

        @tf.Module.with_name_scope
        def __call__(self, x):
            if not hasattr(self, "u"):
                self.u = tf.Variable(2.0, name="u")
            return x * self.u

        @tf.Module.with_name_scope
        def other(self, x):
            return tf.Variable(x, name="o").name

    module = Scoped()
    assert module.v.name == "w_mod/v:0"
    assert float(module(3.0)) == 6.0
    assert module.u.name == "w_mod/u:0"
    assert module.other(3.0) == "w_mod/o:0"
    assert Scoped.other.__name__ == "other"


def test_keras_layers_are_not_modules():
    # As in Keras 3.15 on TensorFlow 2.21: a layer is no tf.Module, and a Module holding one
    # does not list the layer or its weights.
    layer = keras.layers.Dense(2)
    assert not isinstance(layer, tf.Module)
    holder = tf.Module()
    holder.layer = layer
    assert holder.submodules == ()


# The cells of TensorFlow's guide "Introduction to modules, layers, and models" (with a
# tf.function-decorated Module and name scopes added), and what TensorFlow 2.21 printed.
GUIDE = """
class SimpleModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)
    self.a_variable = tf.Variable(5.0, name="train_me")
    self.non_trainable_variable = tf.Variable(5.0, trainable=False, name="do_not_train_me")
  def __call__(self, x):
    return self.a_variable * x + self.non_trainable_variable

simple_module = SimpleModule(name="simple")
print(simple_module(tf.constant(5.0)))
print("trainable variables:", simple_module.trainable_variables)
print("all variables:", simple_module.variables)

class Dense(tf.Module):
  def __init__(self, in_features, out_features, name=None):
    super().__init__(name=name)
    self.w = tf.Variable(tf.ones([in_features, out_features]), name='w')
    self.b = tf.Variable(tf.zeros([out_features]), name='b')
  def __call__(self, x):
    y = tf.matmul(x, self.w) + self.b
    return tf.nn.relu(y)

class SequentialModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)
    self.dense_1 = Dense(in_features=3, out_features=3)
    self.dense_2 = Dense(in_features=3, out_features=2)
  def __call__(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

my_model = SequentialModule(name="the_model")
print("Model results:", my_model(tf.constant([[2.0, 2.0, 2.0]])))
print("Submodules:", [type(m).__name__ for m in my_model.submodules])
for var in my_model.variables:
  print(var, "\\n")

class FlexibleDenseModule(tf.Module):
  def __init__(self, out_features, name=None):
    super().__init__(name=name)
    self.is_built = False
    self.out_features = out_features
  def __call__(self, x):
    if not self.is_built:
      self.w = tf.Variable(tf.ones([x.shape[-1], self.out_features]), name='w')
      self.b = tf.Variable(tf.zeros([self.out_features]), name='b')
      self.is_built = True
    y = tf.matmul(x, self.w) + self.b
    return tf.nn.relu(y)

class MySequentialModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)
    self.dense_1 = FlexibleDenseModule(out_features=3)
    self.dense_2 = FlexibleDenseModule(out_features=2)
  @tf.function
  def __call__(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

my_model = MySequentialModule(name="the_model")
print("Model results:", my_model(tf.constant([[2.0, 2.0, 2.0]])))
print("Model results:", my_model(tf.constant([[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]])))
print([v.name for v in my_model.variables])
print(my_model.name_scope.name, my_model.dense_1.name, my_model.dense_2.name_scope.name)

class MyModel(tf.Module):
  @tf.Module.with_name_scope
  def __call__(self, x):
    if not hasattr(self, "v"):
      self.v = tf.Variable(x, name="v")
    with tf.name_scope("inner"):
      w = tf.Variable(1.0, name="w")
    return self.v * x, w.name
m = MyModel()
print(m(tf.constant(2.0)), m.v.name)
"""

GUIDE_OUTPUT = "\n".join([
    'tf.Tensor(30.0, shape=(), dtype=float32)',
    "trainable variables: (<tf.Variable 'train_me:0' shape=() dtype=float32, numpy=5.0>,)",
    "all variables: (<tf.Variable 'train_me:0' shape=() dtype=float32, numpy=5.0>, <tf.Variable 'do_not_train_me:0' shape=() dtype=float32, numpy=5.0>)",
    'Model results: tf.Tensor([[18. 18.]], shape=(1, 2), dtype=float32)',
    "Submodules: ['Dense', 'Dense']",
    "<tf.Variable 'b:0' shape=(3,) dtype=float32, numpy=array([0., 0., 0.], dtype=float32)> ",
    '',
    "<tf.Variable 'w:0' shape=(3, 3) dtype=float32, numpy=",
    'array([[1., 1., 1.],',
    '       [1., 1., 1.],',
    '       [1., 1., 1.]], dtype=float32)> ',
    '',
    "<tf.Variable 'b:0' shape=(2,) dtype=float32, numpy=array([0., 0.], dtype=float32)> ",
    '',
    "<tf.Variable 'w:0' shape=(3, 2) dtype=float32, numpy=",
    'array([[1., 1.],',
    '       [1., 1.],',
    '       [1., 1.]], dtype=float32)> ',
    '',
    'Model results: tf.Tensor([[18. 18.]], shape=(1, 2), dtype=float32)',
    'Model results: tf.Tensor(',
    '[[[18. 18.]',
    '  [18. 18.]]], shape=(1, 2, 2), dtype=float32)',
    "['b:0', 'w:0', 'b:0', 'w:0']",
    'the_model/ flexible_dense_module flexible_dense_module/',
    "(<tf.Tensor: shape=(), dtype=float32, numpy=4.0>, 'my_model/inner/w:0') my_model/v:0",
    '',
])


def test_modules_guide_prints_what_tensorflow_prints(capsys):
    exec(compile(GUIDE, "<modules guide>", "exec"), {"tf": tf})  # noqa: S102 - fixed text
    assert capsys.readouterr().out == GUIDE_OUTPUT
