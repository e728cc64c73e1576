"""StringLookup and IntegerLookup against values recorded from Keras 3.15 (TF 2.21)."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers


def _values(tensor):
    return tensor.numpy().tolist()


# --- StringLookup -----------------------------------------------------------------------------

def test_adapt_orders_by_count_then_token_descending():
    layer = layers.StringLookup()
    layer.adapt(["b", "a", "c", "a", "b", "d"])
    assert layer.get_vocabulary() == ["[UNK]", "b", "a", "d", "c"]  # Keras 3.15
    assert layer.get_vocabulary(include_special_tokens=False) == ["b", "a", "d", "c"]
    assert layer.vocabulary_size() == 5
    out = layer(["a", "z", "b"])
    assert out.dtype == tf.int64
    assert _values(out) == [2, 0, 1]
    assert _values(layer([["a", "z"], ["b", "c"]])) == [[2, 0], [1, 4]]
    assert _values(layer(np.array(["a", "z"]))) == [2, 0]
    scalar = layer("a")
    assert scalar.shape.rank == 0 and int(scalar) == 2


def test_adapt_counts_empty_strings_without_a_mask():
    layer = layers.StringLookup()
    layer.adapt([["a", "b", "c"], ["b", "c", ""], ["c", "d", "d"], ["e", "", ""]])
    assert layer.get_vocabulary() == ["[UNK]", "c", "", "d", "b", "e", "a"]  # Keras 3.15


def test_max_tokens_keeps_the_most_frequent():
    layer = layers.StringLookup(max_tokens=3)
    layer.adapt(["a", "b", "b", "c", "c", "c", "d"])
    assert layer.get_vocabulary() == ["[UNK]", "c", "b"]


def test_adapt_on_datasets_and_steps():
    layer = layers.StringLookup()
    layer.adapt(tf.data.Dataset.from_tensor_slices(["a", "b", "b", "c"]).batch(3))
    assert layer.get_vocabulary() == ["[UNK]", "b", "c", "a"]
    layer.adapt(tf.data.Dataset.from_tensor_slices(["a", "b", "b", "c"]))
    assert layer.get_vocabulary() == ["[UNK]", "b", "c", "a"]
    ints = tf.data.Dataset.from_tensor_slices(np.array([[1, 2], [2, 3], [3, 3]])).batch(2)
    layer = layers.IntegerLookup()
    layer.adapt(ints)
    assert layer.get_vocabulary() == [-1, 3, 2, 1]
    layer.adapt(ints, steps=1)
    assert layer.get_vocabulary() == [-1, 2, 3, 1]


def test_mask_and_several_oov_indices_hash_with_farmhash():
    layer = layers.StringLookup(vocabulary=["x", "y", "z"], mask_token="", num_oov_indices=2)
    assert layer.get_vocabulary() == ["", "[UNK]", "[UNK]", "x", "y", "z"]
    assert _values(layer([["x", "", "q", "z", "hello"]])) == [[3, 0, 2, 5, 1]]
    three = layers.StringLookup(vocabulary=["x", "y", "z"], num_oov_indices=3)
    assert _values(three(["q", "hello", "world", "x", "abc"])) == [2, 1, 1, 3, 2]
    salted = layers.StringLookup(vocabulary=["a"], num_oov_indices=3, salt=[1, 2])
    assert _values(salted(["q", "hello", "world", "a"])) == [0, 1, 1, 3]


@pytest.mark.parametrize("output_mode, inputs, expected", [
    ("one_hot", [["x"], ["q"], ["z"]], [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]),
    ("one_hot", ["x", "q", "z"], [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]),
    ("one_hot", [["x", "q"], ["z", "z"]],
     [[[0, 1, 0, 0], [1, 0, 0, 0]], [[0, 0, 0, 1], [0, 0, 0, 1]]]),
    ("multi_hot", [["x", "q", "x"], ["z", "z", "y"]], [[1, 1, 0, 0], [0, 0, 1, 1]]),
    ("multi_hot", ["x", "q", "x"], [1, 1, 0, 0]),
    ("count", [["x", "q", "x"], ["z", "z", "y"]], [[1, 2, 0, 0], [0, 0, 1, 2]]),
])
def test_encoded_outputs_are_int64(output_mode, inputs, expected):
    layer = layers.StringLookup(vocabulary=["x", "y", "z"], output_mode=output_mode)
    out = layer(inputs)
    assert out.dtype == tf.int64  # as Keras 3.15 returns them eagerly
    assert _values(out) == expected


def test_pad_to_max_tokens():
    layer = layers.StringLookup(vocabulary=["x", "y", "z"], output_mode="count",
                                pad_to_max_tokens=True, max_tokens=6)
    assert _values(layer([["x", "q", "x"], ["z", "z", "y"]])) == [[1, 2, 0, 0, 0, 0],
                                                                  [0, 0, 1, 2, 0, 0]]


def test_mask_in_encoded_modes_is_dropped():
    layer = layers.StringLookup(output_mode="multi_hot", mask_token="[M]")
    layer.adapt(["a", "b", "[M]"])
    assert layer.get_vocabulary() == ["[UNK]", "b", "a"]
    assert _values(layer([["a", "[M]", "b"]])) == [[0, 1, 1]]
    one_hot = layers.StringLookup(output_mode="one_hot", mask_token="[M]",
                                  vocabulary=["a", "b"])
    assert _values(one_hot(["a", "[M]", "b"])) == [[0, 1, 0], [0, 0, 0], [0, 0, 1]]
    adapted = layers.StringLookup(mask_token="[M]", num_oov_indices=2)
    adapted.adapt([["a", "[M]", "[UNK]", "b", "b"]])
    assert adapted.get_vocabulary() == ["[M]", "[UNK]", "[UNK]", "b", "a"]


def test_tf_idf_with_given_weights():
    layer = layers.StringLookup(vocabulary=["x", "y", "z"], output_mode="tf_idf",
                                idf_weights=[0.5, 1.0, 2.0])
    out = layer([["x", "q", "x"], ["z", "z", "y"]])
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [[1.1666666, 1.0, 0.0, 0.0],
                                             [0.0, 0.0, 1.0, 4.0]], rtol=1e-6)
    special = layers.StringLookup(output_mode="tf_idf", vocabulary=["[UNK]", "x", "y"],
                                  idf_weights=[0.1, 0.5, 1.0])
    np.testing.assert_allclose(special.idf_weights.numpy(), [0.1, 0.5, 1.0])
    padded = layers.StringLookup(output_mode="tf_idf", vocabulary=["x", "y"],
                                 idf_weights=[0.5, 1.0], max_tokens=5, pad_to_max_tokens=True)
    np.testing.assert_allclose(padded.idf_weights.numpy(), [0.75, 0.5, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(padded([["x", "y", "x"]]).numpy(), [[0, 1, 1, 0, 0]])


def test_tf_idf_adapt():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b", "a"], ["b", "c", "c"], ["a", "d", "e"]])
    assert layer.get_vocabulary() == ["[UNK]", "a", "c", "b", "e", "d"]
    # Keras 3.15: log(1 + documents / (1 + documents with the token)), OOV gets the mean.
    np.testing.assert_allclose(layer.idf_weights.numpy(), [
        0.82703334, 0.6931472, 0.91629076, 0.6931472, 0.91629076, 0.91629076], rtol=1e-6)
    np.testing.assert_allclose(layer([["a", "b", "a"], ["z", "c", "c"]]).numpy(), [
        [0.0, 1.3862944, 0.0, 0.6931472, 0.0, 0.0],
        [0.82703334, 0.0, 1.8325815, 0.0, 0.0, 0.0]], rtol=1e-6)


def test_invert():
    layer = layers.StringLookup(vocabulary=["x", "y", "z"], invert=True)
    out = layer([[0, 1, 2, 3, 4, -1]])
    assert out.dtype == tf.string
    assert _values(out) == [[b"[UNK]", b"x", b"y", b"z", b"[UNK]", b"[UNK]"]]
    masked = layers.StringLookup(vocabulary=["x", "y", "z"], invert=True, mask_token="[M]")
    assert _values(masked([[0, 1, 2, 3, 4]])) == [[b"[M]", b"[UNK]", b"x", b"y", b"z"]]
    assert masked.get_vocabulary() == ["[M]", "[UNK]", "x", "y", "z"]


def test_vocabulary_file_and_set_vocabulary(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("earth\nwind\nfire\n", encoding="utf-8")
    layer = layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "earth", "wind", "fire"]
    assert layer.get_config()["vocabulary"] is None  # as Keras: files are not configs
    assert _values(layer(["fire", "water"])) == [3, 0]
    layer.set_vocabulary(["p", "q"])
    assert layer.get_vocabulary() == ["[UNK]", "p", "q"]
    with pytest.raises(ValueError, match="does not exist"):
        layer.set_vocabulary(str(tmp_path / "missing.txt"))


def test_num_oov_indices_zero_refuses_unknown_tokens():
    layer = layers.StringLookup(vocabulary=["x", "y", "z"], num_oov_indices=0)
    assert _values(layer(["x", "z"])) == [0, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r'found OOV values \["q"\]'):
        layer(["x", "q"])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"vocabulary": ["a", "a", "b"]}, ValueError, "repeated term"),
    ({"vocabulary": ["a", "b", "c"], "max_tokens": 3}, ValueError,
     "Received vocabulary size is 4; `max_tokens` is 3"),
    ({"vocabulary": ["a", "", "c"], "mask_token": ""}, ValueError,
     "reserved mask token at unexpected location"),
    ({"max_tokens": 1}, ValueError, "must be greater than 1"),
    ({"output_mode": "foo"}, ValueError, "Unknown value for `output_mode`"),
    ({"invert": True, "output_mode": "one_hot"}, ValueError, "must be `'int'` when `invert`"),
    ({"idf_weights": [1.0]}, ValueError, "`idf_weights` should only be set"),
    ({"vocabulary": ["a"], "output_mode": "tf_idf"}, ValueError,
     "the `idf_weights` argument must also be provided"),
    ({"pad_to_max_tokens": True}, ValueError, "must set `max_tokens`"),
    ({"num_oov_indices": -1}, ValueError, "greater than or equal to 0"),
    ({"vocabulary": []}, ValueError, "Cannot set an empty vocabulary"),
    ({"output_mode": "tf_idf", "vocabulary": ["x", "y"], "idf_weights": [0.5]}, ValueError,
     "len\\(idf_weights\\) is 1; len\\(vocabulary\\) is 2"),
])
def test_constructor_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        layers.StringLookup(**kwargs)


def test_call_and_adapt_errors():
    with pytest.raises(RuntimeError, match="must set the layer's vocabulary"):
        layers.StringLookup(output_mode="multi_hot")(["a"])
    with pytest.raises(tf.errors.FailedPreconditionError, match="Table not initialized"):
        layers.StringLookup()(["a"])
    with pytest.raises(ValueError, match="Cannot adapt layer"):
        layers.StringLookup(vocabulary=["a"]).adapt(["a"])
    with pytest.raises(tf.errors.UnimplementedError, match="Cast int32 to string"):
        layers.StringLookup(vocabulary=["a"])([1, 2])
    layer = layers.StringLookup(output_mode="multi_hot")
    layer.adapt(["a", "b"])
    layer(["a"])
    with pytest.raises(RuntimeError, match="Old vocab size is 3, new vocab size is 4"):
        layer.set_vocabulary(["a", "b", "c"])


def test_string_lookup_config_round_trip():
    layer = layers.StringLookup(vocabulary=["p", "q"], name="lookup")
    config = layer.get_config()
    assert config == {  # Keras 3.15
        "name": "lookup", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "float32"}, "registered_name": None},
        "invert": False, "max_tokens": None, "num_oov_indices": 1, "oov_token": "[UNK]",
        "mask_token": None, "output_mode": "int", "sparse": False, "pad_to_max_tokens": False,
        "idf_weights": None, "vocabulary": ["p", "q"], "vocabulary_size": 3,
        "oov_method": "floormod", "salt": None, "encoding": "utf-8"}
    twin = layers.StringLookup.from_config(config)
    assert twin.get_vocabulary() == layer.get_vocabulary()
    assert _values(twin(["q", "r"])) == [2, 0]
    adapted = layers.StringLookup()
    adapted.adapt(["a"])
    assert adapted.get_config()["vocabulary"] is None
    assert adapted.get_config()["vocabulary_size"] == 2
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    assert isinstance(restored, layers.StringLookup)
    assert restored.get_vocabulary() == ["[UNK]", "p", "q"]


def test_symbolic_outputs():
    encoded = layers.StringLookup(vocabulary=["x", "y"], output_mode="multi_hot")(
        keras.Input(shape=(3,), dtype="string"))
    assert encoded.shape == (None, 3) and encoded.dtype == "float32"
    indices = layers.StringLookup(vocabulary=["x", "y"])(keras.Input(shape=(3,), dtype="string"))
    assert indices.shape == (None, 3) and indices.dtype == "int64"


def test_runs_inside_dataset_map():
    layer = layers.StringLookup(vocabulary=["a", "b"])
    ds = tf.data.Dataset.from_tensor_slices([["a", "c"], ["b", "a"]]).batch(2).map(layer)
    assert [_values(batch) for batch in ds] == [[[1, 0], [2, 1]]]


# --- IntegerLookup ----------------------------------------------------------------------------

def test_integer_lookup_adapt_and_call():
    layer = layers.IntegerLookup()
    layer.adapt([12, 36, 1138, 42, 36, 12, 7, 7])
    assert layer.get_vocabulary() == [-1, 36, 12, 7, 1138, 42]  # Keras 3.15
    assert _values(layer([[12, 1138, 42], [42, 1000, 36]])) == [[2, 4, 5], [5, 0, 1]]
    assert _values(layer(np.array([12, 99], "int32"))) == [2, 0]
    assert _values(layer(np.array([12.0, 99.5]))) == [2, 0]
    assert layer.get_config()["vocabulary_size"] == 6


def test_integer_lookup_mask_oov_and_invert():
    layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], mask_token=0)
    assert _values(layer([[12, 1138, 0], [42, 0, 36]])) == [[2, 4, 0], [5, 0, 3]]
    assert layer.get_vocabulary() == [0, -1, 12, 36, 1138, 42]
    values = [100, 101, 102, 103, 12, -5]
    floormod = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], num_oov_indices=3)
    assert _values(floormod(values)) == [1, 2, 0, 1, 3, 1]
    farmhash = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], num_oov_indices=3,
                                    oov_method="farmhash")
    assert _values(farmhash(values)) == [0, 1, 2, 2, 3, 0]
    salted = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], num_oov_indices=3,
                                  oov_method="farmhash", salt=7)
    assert _values(salted(values)) == [0, 2, 1, 1, 3, 2]
    assert salted.get_config()["salt"] == [7, 7]
    inverse = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], invert=True)
    assert _values(inverse([[1, 3, 4, 0, 7]])) == [[12, 1138, 42, -1, -1]]


def test_integer_lookup_encodings_and_config():
    layer = layers.IntegerLookup(vocabulary=np.array([12, 36, 1138, 42]),
                                 output_mode="multi_hot")
    assert _values(layer([[12, 1138, 12, 42, 5]])) == [[1, 1, 0, 1, 1]]
    config = layer.get_config()
    assert config["vocabulary"] == [12, 36, 1138, 42]
    assert config["vocabulary_size"] == 5 and config["vocabulary_dtype"] == "int64"
    counted = layers.IntegerLookup(output_mode="count")
    counted.adapt(np.array([[1, 2, 2], [3, 3, 3]]))
    assert counted.get_vocabulary() == [-1, 3, 2, 1]
    assert _values(counted(np.array([[1, 2, 2], [3, 3, 9]]))) == [[0, 0, 2, 1], [1, 2, 0, 0]]
    twin = layers.IntegerLookup.from_config(layer.get_config())
    assert _values(twin([[36, 7]])) == [[1, 0, 1, 0, 0]]


def test_integer_lookup_errors():
    with pytest.raises(ValueError, match="Only `vocabulary_dtype='int64'`"):
        layers.IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(TypeError, match="Cannot convert \\['a'\\] to EagerTensor of dtype int64"):
        layers.IntegerLookup(vocabulary=[1, 2])(["a"])
    with pytest.raises(ValueError, match="`salt` can only be used when"):
        layers.IntegerLookup(salt=3)


def test_adapting_on_no_data_leaves_only_special_tokens_and_an_uninitialized_table():
    # recorded from Keras 3.15
    cases = [(keras.layers.StringLookup(), np.array([], dtype=str), ["[UNK]"]),
             (keras.layers.IntegerLookup(), np.array([], dtype="int64"), [-1]),
             (keras.layers.TextVectorization(), np.array([], dtype=str), ["", "[UNK]"])]
    for layer, data, vocabulary in cases:
        layer.adapt(data)
        assert layer.get_vocabulary() == vocabulary
    with pytest.raises(tf.errors.FailedPreconditionError, match="Table not initialized"):
        cases[1][0](tf.constant([1], tf.int64))
