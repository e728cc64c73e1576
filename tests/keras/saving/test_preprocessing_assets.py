"""Preprocessing layers keep their adapted state through `.keras` files: vocabularies as
`assets/<layer path>/vocabulary.txt`, idf weights and statistics in `model.weights.h5`,
laid out as Keras 3.15 lays them out, both ways.

The Keras files and the recorded vocabularies come from
tests/keras/fixtures/golden/make_preprocessing_golden.py; the reverse check runs
tests/keras/fixtures/golden/keras_load_preprocessing_check.py with TensorFlow (see
test_golden_files.py for EAGERFLOW_TF_PYTHON).
"""

import io
import json
import os
import subprocess
import zipfile

import h5py
import numpy as np
import pytest

from eagerflow import keras
from tests.keras.fixtures.golden import make_preprocessing_golden as golden
from tests.keras.fixtures.keras_load_check import as_list
from tests.keras.saving.test_golden_files import GOLDEN, _tf_command

NAMES = ["text_int", "text_tf_idf", "string_lookup", "integer_lookup", "normalization"]
CHECK_SCRIPT = os.path.join(GOLDEN, "keras_load_preprocessing_check.py")


def _golden(name):
    path = os.path.join(GOLDEN, f"preprocessing_{name}.keras")
    return path, np.load(path.replace(".keras", ".npz"), allow_pickle=False)


def _assets(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith("assets/")}


def _named_datasets(path):
    """{dataset path: array} of the datasets in a `.keras` file's weights not named 0, 1..."""
    found = {}
    with zipfile.ZipFile(path) as archive, \
            h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as weights:
        weights.visititems(lambda name, item: found.update({name: item[()]})
                           if isinstance(item, h5py.Dataset)
                           and not name.split("/")[-1].isdigit() else None)
    return found


def _predict(model, x):
    return [np.asarray(y) for y in as_list(model.predict(x, verbose=0))]


# --- Keras's files in eagerflow ------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_keras_files_predict_as_keras_did(name):
    path, arrays = _golden(name)
    predictions = _predict(keras.models.load_model(path), arrays["x_0"])
    expected = [arrays[k] for k in sorted(arrays) if k.startswith("y_")]
    assert len(predictions) == len(expected)
    for prediction, value in zip(predictions, expected):
        assert prediction.dtype == value.dtype
        np.testing.assert_allclose(prediction, value, atol=1e-5)


def test_keras_vocabularies_load_in_index_order():
    model = keras.models.load_model(_golden("string_lookup")[0])
    indices, counts = model.layers[1:]
    assert indices.get_vocabulary() == ["[MASK]", "[UNK]", "[UNK]", "red", "tab\there",
                                        "blue", "", "東京", "ünï", " spaced "]
    assert counts.get_vocabulary() == indices.get_vocabulary()[2:]
    text = keras.models.load_model(_golden("text_int")[0]).get_layer("vectorize")
    assert text.get_vocabulary()[:5] == ["", "[UNK]", "the", "and", "a"]
    assert "東京 東京" in text.get_vocabulary()  # a bigram


@pytest.mark.parametrize("name", NAMES)
def test_eagerflow_rewrites_keras_state_byte_for_byte(name, tmp_path):
    path, _ = _golden(name)
    copy = tmp_path / "copy.keras"
    keras.models.load_model(path).save(copy)
    assert _assets(copy) == _assets(path)
    ours, theirs = _named_datasets(copy), _named_datasets(path)
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        assert ours[key].dtype == value.dtype
        np.testing.assert_array_equal(ours[key], value)


def _vocabulary_cases():
    with open(os.path.join(GOLDEN, "preprocessing_vocabulary_files.json"),
              encoding="utf-8") as file:
        return json.load(file)


@pytest.mark.parametrize("case", sorted(_vocabulary_cases()))
def test_vocabulary_files_read_as_keras_reads_them(case, tmp_path):
    recorded = _vocabulary_cases()[case]  # recorded from Keras 3.15.1's load_assets
    (tmp_path / "vocabulary.txt").write_bytes(recorded["content"].encode("utf-8"))
    layer = getattr(keras.layers, recorded["layer"])()
    layer.load_assets(str(tmp_path))
    assert layer.get_vocabulary() == recorded["vocabulary"]


# --- round trips in eagerflow ---------------------------------------------------------------

def _text(layer):
    return layer, np.array(golden.TEXTS), ((), "string")


def _tokens(layer):
    return layer, golden.TOKENS, ((3,), "string")


def _integers(layer):
    return layer, golden.INTEGERS, ((4,), "int64")


def _floats(layer):
    data = np.random.default_rng(5).standard_normal((40, 3)).astype("float32") * 3.0 + 1.0
    return layer, data, ((3,), "float32")


ADAPTED = {
    "text_vectorization_int": lambda: _text(keras.layers.TextVectorization(
        max_tokens=20, ngrams=(1, 2), output_sequence_length=5)),
    "text_vectorization_count": lambda: _text(keras.layers.TextVectorization(
        output_mode="count", split="character", standardize="lower")),
    "text_vectorization_tf_idf": lambda: _text(keras.layers.TextVectorization(
        output_mode="tf_idf", max_tokens=9)),
    "string_lookup_int": lambda: _tokens(keras.layers.StringLookup(num_oov_indices=3)),
    "string_lookup_one_hot": lambda: _tokens(keras.layers.StringLookup(
        output_mode="one_hot", mask_token="[M]")),
    "string_lookup_tf_idf": lambda: _tokens(keras.layers.StringLookup(
        output_mode="tf_idf", max_tokens=6, pad_to_max_tokens=True)),
    "integer_lookup_multi_hot": lambda: _integers(keras.layers.IntegerLookup(
        output_mode="multi_hot", mask_token=0)),
    "integer_lookup_tf_idf": lambda: _integers(keras.layers.IntegerLookup(
        output_mode="tf_idf")),
    "integer_lookup_invert": lambda: _integers(keras.layers.IntegerLookup(invert=True)),
    "normalization": lambda: _floats(keras.layers.Normalization()),
    "normalization_invert": lambda: _floats(keras.layers.Normalization(axis=None,
                                                                       invert=True)),
    "discretization": lambda: _floats(keras.layers.Discretization(
        num_bins=5, output_mode="count")),
}


def _model(style, layer, input_spec):
    shape, dtype = input_spec
    if style == "sequential":
        return keras.Sequential([keras.Input(shape, dtype=dtype), layer])
    inputs = keras.Input(shape, dtype=dtype)
    return keras.Model(inputs, layer(inputs))


@pytest.mark.parametrize("style", ["sequential", "functional"])
@pytest.mark.parametrize("kind", sorted(ADAPTED))
def test_adapted_layer_round_trip(kind, style, tmp_path):
    layer, data, input_spec = ADAPTED[kind]()
    layer.adapt(data)
    model = _model(style, layer, input_spec)
    expected = _predict(model, data)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    restored = loaded.layers[-1]
    assert type(restored) is type(layer)
    if hasattr(layer, "get_vocabulary"):
        assert restored.get_vocabulary() == layer.get_vocabulary()
    for prediction, value in zip(_predict(loaded, data), expected):
        assert prediction.dtype == value.dtype
        np.testing.assert_array_equal(prediction, value)


CONFIG_ONLY = {
    "hashing": lambda: _integers(keras.layers.Hashing(num_bins=7, salt=3)),
    "category_encoding": lambda: _integers(keras.layers.CategoryEncoding(
        num_tokens=2000, output_mode="count")),
    "string_lookup_with_vocabulary": lambda: _tokens(keras.layers.StringLookup(
        vocabulary=["red", "blue", ""])),
    "integer_lookup_with_vocabulary": lambda: _integers(keras.layers.IntegerLookup(
        vocabulary=[3, 7], output_mode="tf_idf", idf_weights=[0.5, 0.25])),
}


@pytest.mark.parametrize("kind", sorted(CONFIG_ONLY))
def test_layers_whose_config_holds_their_state_write_no_assets(kind, tmp_path):
    layer, data, input_spec = CONFIG_ONLY[kind]()
    model = _model("functional", layer, input_spec)
    model.save(tmp_path / "m.keras")
    assert _assets(tmp_path / "m.keras") == {}
    loaded = keras.models.load_model(tmp_path / "m.keras")
    for prediction, value in zip(_predict(loaded, data), _predict(model, data)):
        np.testing.assert_array_equal(prediction, value)


def test_hashed_crossing_round_trip(tmp_path):
    first, second = keras.Input((), dtype="string"), keras.Input((), dtype="int64")
    model = keras.Model([first, second], keras.layers.HashedCrossing(num_bins=11)(
        (first, second)))
    data = [np.array(["a", "b", "東京"]), np.array([1, 2, 3], "int64")]
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(_predict(loaded, data)[0], _predict(model, data)[0])


def test_unadapted_lookup_round_trip_keeps_only_special_tokens(tmp_path):
    model = _model("sequential", keras.layers.StringLookup(mask_token=""), ((2,), "string"))
    model.save(tmp_path / "m.keras")
    assert _assets(tmp_path / "m.keras") == {
        "assets/layers/string_lookup/vocabulary.txt": b"\n[UNK]"}
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[-1].get_vocabulary() == ["", "[UNK]"]


def test_lookup_inside_a_nested_model_round_trips_under_its_keras_path(tmp_path):
    lookup = keras.layers.StringLookup()
    lookup.adapt(golden.TOKENS)
    inner = keras.Sequential([keras.Input((3,), dtype="string"), lookup], name="inner")
    model = keras.Sequential([keras.Input((3,), dtype="string"), inner])
    model.save(tmp_path / "m.keras")
    # The path Keras 3.15.1 writes for the same model: class names, not layer names.
    assert list(_assets(tmp_path / "m.keras")) == [
        "assets/layers/sequential/layers/string_lookup/vocabulary.txt"]
    # Rebuilding the outer model probes the inner one before its vocabulary is loaded.
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(_predict(loaded, golden.TOKEN_PROBE),
                                  _predict(model, golden.TOKEN_PROBE))


def test_vocabulary_given_as_a_file_is_saved_as_an_asset(tmp_path):
    vocabulary = tmp_path / "words.txt"
    vocabulary.write_text("red\nblue\n東京\n", encoding="utf-8")
    layer = keras.layers.StringLookup(vocabulary=str(vocabulary))
    model = _model("functional", layer, ((3,), "string"))
    model.save(tmp_path / "m.keras")
    vocabulary.unlink()  # the loaded model needs only the `.keras` file
    assert _assets(tmp_path / "m.keras") == {
        "assets/layers/string_lookup/vocabulary.txt": "[UNK]\nred\nblue\n東京".encode()}
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(_predict(loaded, golden.TOKEN_PROBE),
                                  _predict(model, golden.TOKEN_PROBE))


def test_discretization_reads_the_summary_of_early_keras_3_files():
    layer = keras.layers.Discretization(num_bins=3)
    layer.load_own_variables({})  # Keras 3.15 writes no variables
    assert layer.summary.shape == (2, 0)
    layer.load_own_variables({"0": np.array([[1.0, 2.0], [1.0, 1.0]])})
    np.testing.assert_array_equal(layer.summary, [[1.0, 2.0], [1.0, 1.0]])
    assert layer.summary.dtype == np.float32


@keras.saving.register_keras_serializable(package="eagerflow_tests")
class NotesLayer(keras.layers.Layer):
    """A layer keeping text beside the model, through the public asset hooks."""

    notes = ""

    def call(self, inputs):
        return inputs

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "notes.txt"), "w", encoding="utf-8") as file:
            file.write(self.notes)

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "notes.txt"), encoding="utf-8") as file:
            self.notes = file.read()


def test_custom_layers_keep_their_assets(tmp_path):
    layer = NotesLayer()
    layer.notes = "tab\there\nünï"
    model = _model("sequential", layer, ((2,), "float32"))
    model.save(tmp_path / "m.keras")
    assert list(_assets(tmp_path / "m.keras")) == ["assets/layers/notes_layer/notes.txt"]
    assert keras.models.load_model(tmp_path / "m.keras").layers[-1].notes == layer.notes


def test_failing_save_assets_leaves_the_previous_file_whole(tmp_path):
    path = tmp_path / "m.keras"
    layer = NotesLayer()
    model = _model("sequential", layer, ((2,), "float32"))
    model.save(path)
    before = path.read_bytes()
    layer.notes = None  # cannot be written as text
    with pytest.raises(TypeError):
        model.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.keras"]


def test_weights_file_carries_idf_weights(tmp_path):
    def model():
        layer = keras.layers.StringLookup(output_mode="tf_idf")
        return _model("functional", layer, ((3,), "string")), layer
    trained, layer = model()
    layer.adapt(golden.TOKENS)
    trained.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "r") as weights:
        stored = weights["layers/string_lookup/vars/idf_weights"][()]
    np.testing.assert_array_equal(stored, layer.idf_weights.numpy())
    fresh, fresh_layer = model()
    fresh_layer.set_vocabulary(layer.get_vocabulary(), idf_weights=np.zeros(len(stored)))
    fresh.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(_predict(fresh, golden.TOKEN_PROBE),
                                  _predict(trained, golden.TOKEN_PROBE))


# --- bad files --------------------------------------------------------------------------

def _rewrite(source, target, change):
    """Copies the zip `source` to `target`, members passed through `change(name, data)`
    (None drops a member; a list of pairs adds members)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            result = change(name, old.read(name))
            for pair in ([] if result is None else
                         result if isinstance(result, list) else [(name, result)]):
                new.writestr(*pair)


def test_missing_vocabulary_names_file_and_layer(tmp_path):
    bad = tmp_path / "bad.keras"
    _rewrite(_golden("string_lookup")[0], bad,
             lambda name, data: None if name.endswith("string_lookup_1/vocabulary.txt")
             else data)
    with pytest.raises(ValueError, match=r"bad\.keras.*layer 'string_lookup_\d+' "
                                         r"\(assets/layers/string_lookup_1\).*"
                                         r"no vocabulary\.txt"):
        keras.models.load_model(bad)


def test_non_integer_vocabulary_line_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.keras"
    _rewrite(_golden("integer_lookup")[0], bad,
             lambda name, data: b"0\n-1\nseven" if name.endswith(
                 "integer_lookup/vocabulary.txt") else data)
    with pytest.raises(ValueError, match=r"Line 3 of .*vocabulary\.txt is not an integer "
                                         r"token: 'seven'"):
        keras.models.load_model(bad)


def test_vocabulary_that_is_not_utf8_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.keras"
    _rewrite(_golden("string_lookup")[0], bad,
             lambda name, data: b"[UNK]\n\xff\xfe" if name.endswith(
                 "string_lookup_1/vocabulary.txt") else data)
    with pytest.raises(ValueError, match=r"bad\.keras.*\(assets/layers/string_lookup_1\).*utf-8"):
        keras.models.load_model(bad)


@pytest.mark.parametrize("member", ["assets/../escape.txt", "assets/layers//x.txt"])
def test_asset_paths_outside_the_assets_folder_are_refused(member, tmp_path):
    bad = tmp_path / "bad.keras"
    _rewrite(_golden("string_lookup")[0], bad,
             lambda name, data: [(name, data), (member, b"x")] if name == "config.json"
             else data)
    with pytest.raises(ValueError, match=r"not a valid `\.keras` file \(its member "
                                         r".* points outside the assets folder"):
        keras.models.load_model(bad)


def test_decompression_bomb_in_the_assets_is_refused(tmp_path, monkeypatch):
    from eagerflow.keras.saving import keras_file
    monkeypatch.setattr(keras_file, "_BOMB_FLOOR_BYTES", 1 << 16)  # instead of 256 MiB
    bad = tmp_path / "bad.keras"
    _rewrite(_golden("string_lookup")[0], bad, lambda name, data: data)
    with zipfile.ZipFile(bad, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("assets/layers/string_lookup/notes.txt", b"\0" * (1 << 20))
    with pytest.raises(ValueError, match=r"its member assets/layers/string_lookup/notes\.txt "
                                         r"declares 1048576 bytes .* decompression bomb"):
        keras.models.load_model(bad)


def test_assets_are_read_as_text_only(tmp_path):
    """A vocabulary that looks like code stays tokens."""
    bad = tmp_path / "odd.keras"
    payload = "__import__('os').system('exit 3')\nlambda: 0\n{\"class_name\": 1}"
    _rewrite(_golden("string_lookup")[0], bad,
             lambda name, data: ("[MASK]\n[UNK]\n[UNK]\n" + payload).encode()
             if name.endswith("/string_lookup/vocabulary.txt") else data)
    model = keras.models.load_model(bad, compile=False)
    assert model.layers[1].get_vocabulary()[3:] == payload.split("\n")


# --- eagerflow's files in Keras ---------------------------------------------------------------

def _eagerflow_files(folder):
    keras.utils.set_random_seed(4)
    models = [("text_int", golden.text_int(keras), golden.TEXT_PROBE),
              ("text_tf_idf", golden.text_tf_idf(keras), golden.TEXT_PROBE),
              ("string_lookup", golden.string_lookup(keras), golden.TOKEN_PROBE),
              ("integer_lookup", golden.integer_lookup(keras), golden.INTEGER_PROBE),
              ("normalization", *golden.normalization(keras))]
    for name, model, x in models:
        arrays = {f"y_{i}": y for i, y in enumerate(_predict(model, x))}
        model.save(os.path.join(folder, f"{name}.keras"))
        np.savez(os.path.join(folder, f"{name}.npz"), x_0=x, **arrays)
    return len(models)


def test_eagerflow_preprocessing_files_load_in_keras(tmp_path):
    command = _tf_command()
    if command is None:
        pytest.skip("TensorFlow is not importable and EAGERFLOW_TF_PYTHON is not set")
    count = _eagerflow_files(str(tmp_path))
    result = subprocess.run(command + [CHECK_SCRIPT, str(tmp_path)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"OK {count}" in result.stdout
