"""`model.export(path)`: a SavedModel served by tf.saved_model.load in a process without
Keras. Names and printouts as Keras 3.15 on TensorFlow 2.21 give them."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras


def _serve_in_fresh_process(path, calls):
    code = textwrap.dedent(f"""
        import json, sys
        import numpy as np
        import eagerflow as tf
        loaded = tf.saved_model.load({str(path)!r})
        x = np.arange(6, dtype="float32").reshape(2, 3)
        out = {{}}
        """) + textwrap.dedent(calls) + textwrap.dedent("""
        out["keras_imported"] = any(name.startswith("eagerflow.keras") for name in sys.modules)
        print(json.dumps(out))
        """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=path.parent)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_sequential_export_is_served_without_keras(tmp_path, capsys):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, name="hidden"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(2, name="out")])
    model.export(tmp_path / "artifact")
    printed = capsys.readouterr().out
    # The input's name is Keras's counter: "keras_tensor" in a fresh process.
    name = model.inputs[0].name
    assert name.startswith("keras_tensor")
    assert printed.startswith(
        f"Saved artifact at '{tmp_path / 'artifact'}'. The following endpoints are "
        "available:\n\n* Endpoint 'serve'\n  args_0 (POSITIONAL_ONLY): TensorSpec(shape=(None, "
        f"3), dtype=tf.float32, name='{name}')\nOutput Type:\n")
    assert printed.count("dtype=tf.resource") == 4
    x = np.arange(6, dtype="float32").reshape(2, 3)
    expected = model(x).numpy()
    out = _serve_in_fresh_process(tmp_path / "artifact", f"""
        out["serve"] = loaded.serve(x).numpy().tolist()
        result = loaded.signatures["serving_default"]({name}=tf.constant(x))
        out["signature"] = {{k: v.numpy().tolist() for k, v in result.items()}}
        out["variables"] = [len(loaded.variables), len(loaded.trainable_variables),
                            len(loaded.non_trainable_variables), loaded.variables[0].name]
        out["signatures"] = list(loaded.signatures)
    """)
    np.testing.assert_allclose(out["serve"], expected, rtol=1e-6)
    assert list(out["signature"]) == ["output_0"]
    np.testing.assert_allclose(out["signature"]["output_0"], expected, rtol=1e-6)
    # Named by the Keras variable's path ("sequential/hidden/kernel" in a fresh process).
    assert out["variables"] == [4, 4, 0, f"{model.name}/hidden/kernel:0"]
    assert out["signatures"] == ["serve", "serving_default"]  # as Keras 3.15 writes them
    assert out["keras_imported"] is False


def test_functional_dict_outputs_keep_their_names(tmp_path):
    inputs = keras.Input((3,), name="feat")
    outputs = {"a": keras.layers.Dense(1)(inputs), "b": keras.layers.Dense(2)(inputs)}
    model = keras.Model(inputs, outputs)
    model.export(tmp_path / "artifact", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "artifact")
    x = np.ones((2, 3), "float32")
    result = loaded.signatures["serving_default"](feat=tf.constant(x))
    expected = model(x)
    assert sorted(result) == ["a", "b"]
    for key in ("a", "b"):
        np.testing.assert_allclose(result[key].numpy(), expected[key].numpy(), rtol=1e-6)
    served = loaded.serve(x)
    np.testing.assert_allclose(served["b"].numpy(), expected["b"].numpy(), rtol=1e-6)


def test_subclassed_model_exports_after_a_call(tmp_path):
    class Scaled(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x) * 2.0

    model = Scaled()
    x = np.ones((5, 3), "float32")
    model(x)
    model.export(tmp_path / "artifact", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "artifact")
    np.testing.assert_allclose(loaded.serve(x).numpy(), model(x).numpy(), rtol=1e-6)
    assert loaded.serve(np.ones((1, 3), "float32")).shape == (1, 2)


def test_export_of_an_unbuilt_model_raises(tmp_path):
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="The model provided has not yet been built. It "
                                         "must be built before export."):
        model.export(tmp_path / "artifact")


def test_unknown_format_raises(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"Unrecognized format=tflite. Supported formats are: "
                                         r"\['tf_saved_model', 'onnx'"):
        model.export(tmp_path / "artifact", format="tflite")
    with pytest.raises(ValueError, match="not available in eagerflow"):
        model.export(tmp_path / "artifact", format="onnx")


def test_export_archive_endpoints_and_variable_collections(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2),
                              keras.layers.BatchNormalization()])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("call", model.call, input_signature=[tf.TensorSpec((None, 3))])

    @tf.function
    def double(x):
        return model(x) * 2.0

    x = np.ones((2, 3), "float32")
    double(x)
    archive.add_endpoint("double", double)
    archive.add_variable_collection("optimizer_variables", model.optimizer.variables)
    with pytest.raises(ValueError, match="Endpoint name 'call' is already taken."):
        archive.add_endpoint("call", model.call, input_signature=[tf.TensorSpec((None, 3))])
    archive.write_out(tmp_path / "artifact", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "artifact")
    assert list(loaded.signatures) == ["call", "double", "serving_default"]
    np.testing.assert_allclose(loaded.call(x).numpy(), model(x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(loaded.double(x).numpy(), 2 * model(x).numpy(), rtol=1e-6)
    assert [len(loaded.trainable_variables), len(loaded.non_trainable_variables)] == [4, 2]
    assert len(loaded.optimizer_variables) == len(model.optimizer.variables)


def test_export_archive_errors():
    archive = keras.export.ExportArchive()
    with pytest.raises(ValueError, match="No endpoints have been set yet"):
        archive.write_out("unused")
    with pytest.raises(ValueError, match="The layer provided has not yet been built"):
        archive.track(keras.layers.Dense(2))

    @tf.function
    def never(x):
        return x

    with pytest.raises(ValueError, match="has never been called"):
        archive.add_endpoint("never", never)
    with pytest.raises(ValueError, match="you must provide an `input_signature`"):
        archive.add_endpoint("plain", lambda x: x)
    with pytest.raises(ValueError, match="Expected `variables` to be a list/tuple/set"):
        archive.add_variable_collection("v", tf.Variable(1.0))
