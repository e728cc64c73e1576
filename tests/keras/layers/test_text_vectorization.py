"""TextVectorization against values recorded from Keras 3.15 (TF 2.21), and an end-to-end
text classifier."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras import layers

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!",
         "A cat, a dog; and THE bird?", "e-mail me: x@y.z"]
# Keras 3.15: frequency first, ties by the token in descending order.
VOCABULARY = ["", "[UNK]", "the", "dog", "cat", "a", "xyz", "sat", "on", "my", "me", "mat",
              "homework", "email", "bird", "ate", "and"]


def _values(tensor):
    return tensor.numpy().tolist()


def test_adapt_vocabulary_and_int_output():
    layer = layers.TextVectorization()
    layer.adapt(TEXTS)
    assert layer.get_vocabulary() == VOCABULARY
    assert layer.vocabulary_size() == 17
    out = layer(TEXTS)
    assert out.dtype == tf.int64
    assert _values(out) == [[2, 4, 7, 8, 2, 11, 0], [2, 3, 15, 9, 12, 0, 0],
                            [5, 4, 5, 3, 16, 2, 14], [13, 10, 6, 0, 0, 0, 0]]
    assert _values(layer(["cat dog unknownword", ""])) == [[4, 3, 1], [0, 0, 0]]
    assert _values(layer([["cat dog"], ["the"]])) == [[4, 3], [2, 0]]
    assert _values(layer("cat dog")) == [4, 3]


@pytest.mark.parametrize("data", [np.array(TEXTS), tf.constant(TEXTS),
                                  tf.data.Dataset.from_tensor_slices(TEXTS).batch(2),
                                  tf.data.Dataset.from_tensor_slices(TEXTS)])
def test_adapt_on_arrays_tensors_and_datasets(data):
    layer = layers.TextVectorization(max_tokens=8)
    layer.adapt(data)
    assert layer.get_vocabulary() == VOCABULARY[:8]


def test_output_sequence_length_cuts_and_pads():
    layer = layers.TextVectorization(output_sequence_length=4)
    layer.adapt(TEXTS)
    assert _values(layer(TEXTS)) == [[2, 4, 7, 8], [2, 3, 15, 9], [5, 4, 5, 3],
                                     [13, 10, 6, 0]]
    assert _values(layer(["cat"])) == [[4, 0, 0, 0]]


def test_ngrams():
    bigrams = layers.TextVectorization(ngrams=2)
    bigrams.adapt(TEXTS)
    assert bigrams.get_vocabulary()[:12] == [
        "", "[UNK]", "the", "dog", "cat", "a", "xyz", "the mat", "the dog", "the cat",
        "the bird", "sat on"]
    assert len(bigrams.get_vocabulary()) == 34
    assert _values(bigrams(["the cat sat", "dog"])) == [[2, 4, 12, 9, 25], [3, 0, 0, 0, 0]]
    widths = layers.TextVectorization(ngrams=(1, 3))
    widths.adapt(TEXTS)
    assert _values(widths(["the cat sat on", "dog"])) == [[2, 4, 10, 12, 8, 21],
                                                         [3, 0, 0, 0, 0, 0]]
    capped = layers.TextVectorization(max_tokens=6, ngrams=2)
    capped.adapt(TEXTS)
    assert capped.get_vocabulary() == ["", "[UNK]", "the", "dog", "cat", "a"]
    counted = layers.TextVectorization(ngrams=2, output_mode="count")
    counted.adapt(["a a a b", "a b"])
    assert counted.get_vocabulary() == ["[UNK]", "a", "b", "a b", "a a"]
    assert _values(counted(["a a a b"])) == [[0, 3, 1, 1, 2]]


def test_multi_hot_count_and_tf_idf():
    multi_hot = layers.TextVectorization(output_mode="multi_hot")
    multi_hot.adapt(TEXTS)
    out = multi_hot(["the cat the", "zzz"])
    assert out.shape == (2, 16)
    assert _values(out)[0][:5] == [0, 1, 0, 1, 0] and sum(_values(out)[1]) == 1
    count = layers.TextVectorization(output_mode="count", max_tokens=5, pad_to_max_tokens=True)
    count.adapt(TEXTS)
    assert count.get_vocabulary() == ["[UNK]", "the", "dog", "cat", "a"]
    assert _values(count(["the cat the", "zzz cat"])) == [[0, 2, 0, 1, 0], [1, 0, 0, 1, 0]]
    tf_idf = layers.TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(TEXTS)
    weights = tf_idf._lookup_layer.idf_weights.numpy()
    np.testing.assert_allclose(weights[:5], [1.0380727, 0.6931472, 0.84729785, 0.84729785,
                                             1.0986123], rtol=1e-6)
    out = tf_idf(["the cat the", "zzz cat"])
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy()[:, :4], [[0.0, 1.3862944, 0.0, 0.84729785],
                                                    [1.0380727, 0.0, 0.0, 0.84729785]],
                               rtol=1e-6)


def test_one_hot_encodes_each_token():
    layer = layers.TextVectorization(output_mode="one_hot", vocabulary=["a", "b"])
    assert _values(layer(["a", "b", "c"])) == [[[0, 1, 0]], [[0, 0, 1]], [[1, 0, 0]]]
    assert _values(layer(["a b", "b a"])) == [[[0, 1, 0], [0, 0, 1]], [[0, 0, 1], [0, 1, 0]]]


@pytest.mark.parametrize("kwargs, data, vocabulary", [
    ({"standardize": "lower", "split": "character"}, ["Ab, c", "bb"],
     ["", "[UNK]", "b", "c", "a", ",", " "]),
    ({"standardize": "strip_punctuation"}, ["Ab, c!", "ab AB"],
     ["", "[UNK]", "c", "ab", "Ab", "AB"]),
    ({"standardize": None, "split": None}, ["Ab, c!", "ab AB", "ab AB"],
     ["", "[UNK]", "ab AB", "Ab, c!"]),
    ({}, ["héllo wörld, Ünïcode!", "ÀB"],  # ASCII lowering only, as TensorFlow's
     ["", "[UNK]", "Ünïcode", "Àb", "wörld", "héllo"]),
])
def test_standardize_and_split_choices(kwargs, data, vocabulary):
    layer = layers.TextVectorization(**kwargs)
    layer.adapt(data)
    assert layer.get_vocabulary() == vocabulary


def test_character_split_and_unsplit_calls():
    layer = layers.TextVectorization(standardize="lower", split="character")
    layer.adapt(["Ab, c", "bb"])
    assert _values(layer(["abz", "b"])) == [[4, 2, 1], [2, 0, 0]]
    whole = layers.TextVectorization(standardize=None, split=None)
    whole.adapt(["Ab, c!", "ab AB", "ab AB"])
    assert _values(whole(["ab AB", "x"])) == [2, 1]
    assert _values(whole([["ab AB"], ["x"]])) == [[2], [1]]


def test_callable_standardize_and_split():
    layer = layers.TextVectorization(
        standardize=lambda x: tf.strings.regex_replace(x, "[0-9]", "#"),
        split=lambda x: tf.strings.split(x, sep=","))
    layer.adapt(["a1,b2,a3", "b22,a1"])
    assert layer.get_vocabulary() == ["", "[UNK]", "a#", "b##", "b#"]
    assert _values(layer(["a1,b5"])) == [[2, 4]]


def test_given_and_set_vocabulary_and_config():
    layer = layers.TextVectorization(vocabulary=["cat", "dog"], output_sequence_length=3,
                                     name="vectorize")
    assert _values(layer(["dog cat bird", "cat"])) == [[3, 2, 1], [2, 0, 0]]
    assert layer.get_vocabulary() == ["", "[UNK]", "cat", "dog"]
    config = layer.get_config()
    assert config == {  # Keras 3.15
        "name": "vectorize", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "float32"}, "registered_name": None},
        "max_tokens": None, "standardize": "lower_and_strip_punctuation",
        "split": "whitespace", "ngrams": None, "output_mode": "int",
        "output_sequence_length": 3, "pad_to_max_tokens": False, "sparse": False,
        "ragged": False, "vocabulary": ["cat", "dog"], "idf_weights": None,
        "encoding": "utf-8", "vocabulary_size": 4}
    twin = layers.TextVectorization.from_config({**config, "ngrams": [1, 2]})
    assert twin._ngrams == (1, 2)
    assert layers.TextVectorization().get_config()["vocabulary_size"] == 2
    empty = layers.TextVectorization()
    empty.set_vocabulary(["a", "b"])
    assert empty.get_vocabulary() == ["", "[UNK]", "a", "b"]


@pytest.mark.parametrize("kwargs, message", [
    ({"standardize": "upper"}, "Unknown value for `standardize`"),
    ({"split": "comma"}, "Unknown value for `split`"),
    ({"ngrams": "2"}, "`ngrams` must be None, an integer, or a tuple"),
    ({"ngrams": [1, 2]}, "`ngrams` must be None, an integer, or a tuple"),
    ({"output_mode": "count", "output_sequence_length": 3}, "must not be set"),
    ({"output_sequence_length": 3.0}, "must be either None or an integer"),
    ({"output_mode": "x"}, "Unknown value for `output_mode`"),
])
def test_constructor_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.TextVectorization(**kwargs)


def test_input_rank_error():
    with pytest.raises(ValueError, match=r"Received: inputs.shape=\(1, 2\) with rank=2"):
        layers.TextVectorization(vocabulary=["a"])([["a b", "c"]])


def test_symbolic_shapes():
    text = keras.Input(shape=(1,), dtype="string")
    assert layers.TextVectorization(vocabulary=["a"])(text).shape == (None, None)
    out = layers.TextVectorization(vocabulary=["a"], output_sequence_length=5)(text)
    assert out.shape == (None, 5) and out.dtype == "int64"
    out = layers.TextVectorization(vocabulary=["a"], output_mode="multi_hot")(text)
    assert out.shape == (None, 1, 2) and out.dtype == "float32"  # as Keras 3.15 reports


def test_runs_inside_dataset_map():
    layer = layers.TextVectorization(max_tokens=8)
    ds = tf.data.Dataset.from_tensor_slices(TEXTS).batch(2)
    layer.adapt(ds)
    assert [_values(batch) for batch in ds.map(layer)] == [  # Keras 3.15
        [[2, 4, 7, 1, 2, 1], [2, 3, 1, 1, 1, 0]],
        [[5, 4, 5, 3, 1, 2, 1], [1, 1, 6, 0, 0, 0, 0]]]
    texts = tf.data.Dataset.from_tensor_slices(["the cat", "dog"])
    assert [_values(text) for text in texts.map(layer)] == [[2, 4], [3]]


def _reviews(rng, count):
    positive = ["good", "great", "fine", "happy", "love", "nice"]
    negative = ["bad", "awful", "sad", "hate", "poor", "terrible"]
    filler = ["the", "movie", "was", "a", "plot", "it", "and", "very", "really", "film"]
    texts, labels = [], []
    for i in range(count):
        words = list(rng.choice(filler, rng.integers(3, 8)))
        words += list(rng.choice(positive if i % 2 else negative, 2))
        rng.shuffle(words)
        texts.append(" ".join(words).capitalize() + "!")
        labels.append(i % 2)
    return tf.constant(texts), np.array(labels, "float32")


def test_classifies_short_texts_end_to_end(rng):
    """TextVectorization + Embedding + GlobalAveragePooling1D + Dense, strings in."""
    x_train, y_train = _reviews(rng, 400)
    x_test, y_test = _reviews(rng, 100)
    vectorize = layers.TextVectorization(max_tokens=50, output_sequence_length=12)
    vectorize.adapt(x_train)
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(1,), dtype="string")
    x = layers.Embedding(50, 8)(vectorize(inputs))
    outputs = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling1D()(x))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(tf.expand_dims(x_train, -1), y_train, epochs=4, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(tf.expand_dims(x_test, -1), y_test, verbose=0)
    assert accuracy >= 0.95
