"""tf.saved_model.save / load: round trips (one in a fresh process that never sees the
classes defined here), signatures, continued use, gradients and the error cases.

Messages and output names were recorded from TensorFlow 2.21.
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import eagerflow as tf
from tests.gradient_check import check_gradients


class Dense(tf.Module):
    def __init__(self, units, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.reshape(tf.range(2.0 * units), [2, units]), name="w")
        self.b = tf.Variable(tf.zeros([units]), name="b")

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


class Model(tf.Module):
    def __init__(self):
        super().__init__()
        self.dense = Dense(3)
        self.scale = tf.Variable(2.0, name="scale")
        self.steps = tf.Variable(0, trainable=False, name="steps")
        self.extra = [tf.Variable([1.0, -1.0], name="e0"), {"k": tf.Variable(4.0, name="k")}]

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def predict(self, x):
        return tf.reduce_sum(self.dense(x), axis=1) * self.scale

    @tf.function
    def several(self, x, power=2):
        return {"pow": x ** power, "plus": x + self.extra[1]["k"]}

    @tf.function
    def collatz(self, n):
        steps = tf.constant(0)
        while n > 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps += 1
        return steps

    @tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
    def count(self, k):
        self.steps.assign_add(k)
        return self.steps.read_value()


def _model():
    model = Model()
    model.several(tf.constant(3.0))
    model.several(tf.constant([1.0, 2.0]), 3)
    model.collatz(tf.constant(6))
    return model


CALLS = textwrap.dedent("""
    x = tf.constant([[1.0, 2.0], [0.5, -1.0]])
    out = {}
    out["predict"] = m.predict(x).numpy().tolist()
    out["dense"] = m.dense(x).numpy().tolist()
    a = m.several(tf.constant(3.0))
    b = m.several(tf.constant([1.0, 2.0]), 3)
    out["several"] = [sorted(a), float(a["pow"]), float(a["plus"]), b["pow"].numpy().tolist()]
    out["collatz"] = [int(m.collatz(tf.constant(6))), int(m.collatz(tf.constant(27)))]
    out["count"] = [int(m.count(tf.constant(2))), int(m.count(3))]
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(m.predict(x))
    grads = tape.gradient(y, [m.scale, m.dense.w])
    out["grads"] = [float(grads[0]), grads[1].numpy().tolist()]
    m.scale.assign(-1.0)
    out["after_assign"] = m.predict(x).numpy().tolist()
""")


def _run_calls(m):
    namespace = {"tf": tf, "m": m}
    exec(CALLS, namespace)  # noqa: S102 - the same calls as the fresh process makes
    return namespace["out"]


def test_round_trip_in_a_fresh_process(tmp_path):
    model = _model()
    tf.saved_model.save(model, tmp_path / "model",
                        signatures={"serving_default": model.predict,
                                    "several": model.several.get_concrete_function(
                                        tf.constant(3.0))})
    assert sorted(os.listdir(tmp_path / "model")) == ["arrays.npz", "saved_model.json"]
    code = textwrap.dedent(f"""
        import json, sys
        import eagerflow as tf
        m = tf.saved_model.load({str(tmp_path / "model")!r})
        assert not any("test_saved_model" in name for name in sys.modules)
        """) + CALLS + textwrap.dedent("""
        out["type"] = type(m).__name__
        out["variables"] = [[v.name, v.trainable, type(v).__name__, v.dtype.name]
                            for v in (m.scale, m.steps, m.dense.w, m.extra[0],
                                      m.extra[1]["k"])]
        out["signatures"] = sorted(m.signatures)
        serving = m.signatures["serving_default"](x=tf.constant([[1.0, 1.0]]))
        out["serving"] = {k: v.numpy().tolist() for k, v in serving.items()}
        several = m.signatures["several"](x=tf.constant(2.0))
        out["several_signature"] = {k: float(v) for k, v in several.items()}
        print(json.dumps(out))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    expected = _run_calls(_model())
    for key, value in expected.items():
        assert loaded[key] == value, key
    assert loaded["type"] == "_UserObject"
    assert loaded["variables"] == [
        ["scale:0", True, "Variable", "float32"], ["steps:0", False, "Variable", "int32"],
        ["w:0", True, "Variable", "float32"], ["e0:0", True, "Variable", "float32"],
        ["k:0", True, "Variable", "float32"]]
    assert loaded["signatures"] == ["serving_default", "several"]
    # m.scale was assigned -1.0 before: x @ w summed, times the scale
    assert loaded["serving"] == {"output_0": [-15.0]}
    assert loaded["several_signature"] == {"plus": 6.0, "pow": 4.0}


def test_loaded_object_mirrors_the_saved_attributes(tmp_path):
    model = _model()
    tf.saved_model.save(model, tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    assert isinstance(loaded.scale, tf.Variable)
    assert loaded.dense.w.numpy().tolist() == model.dense.w.numpy().tolist()
    assert isinstance(loaded.extra, list) and isinstance(loaded.extra[1], dict)
    assert loaded.extra[1]["k"].numpy() == 4.0
    assert not hasattr(loaded, "variables")  # as TensorFlow's loaded objects


def test_default_signature_is_the_only_function_with_an_input_signature(tmp_path):
    class Pair(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
        def f(self, x):
            return x, x * 2

    tf.saved_model.save(Pair(), tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    assert list(loaded.signatures) == ["serving_default"]
    result = loaded.signatures["serving_default"](x=tf.constant([1.0, 2.0]))
    # TensorFlow 2.21 names a tuple's outputs output_0, output_1
    assert {k: v.numpy().tolist() for k, v in result.items()} == {
        "output_0": [1.0, 2.0], "output_1": [2.0, 4.0]}
    assert loaded.signatures["serving_default"].structured_input_signature == (
        (), {"x": tf.TensorSpec([2], tf.float32, name="x")})
    first, second = loaded.f(tf.constant([1.0, 2.0]))
    assert second.numpy().tolist() == [2.0, 4.0]


def test_signature_outputs_keep_more_than_ten_names_in_order(tmp_path):
    class Many(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
        def f(self, x):
            return [x * float(k) for k in range(12)]

    tf.saved_model.save(Many(), tmp_path)
    result = tf.saved_model.load(tmp_path).signatures["serving_default"](x=tf.constant(1.0))
    assert {k: float(v) for k, v in result.items()} == {
        f"output_{k}": float(k) for k in range(12)}


def test_signature_call_with_a_wrong_keyword_raises(tmp_path):
    model = _model()
    tf.saved_model.save(model, tmp_path, signatures=model.predict)
    serving = tf.saved_model.load(tmp_path).signatures["serving_default"]
    with pytest.raises(TypeError, match="missing a required argument: 'x'"):
        serving(y=tf.constant([[1.0, 1.0]]))


def test_call_matching_no_trace_gets_tensorflows_error(tmp_path):
    model = _model()
    tf.saved_model.save(model, tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    with pytest.raises(ValueError) as info:
        loaded.several(tf.constant(3.0, tf.float64))
    # The text TensorFlow 2.21 gives for the same call.
    assert str(info.value).startswith(
        "Could not find matching concrete function to call loaded from the SavedModel. "
        "Got:\n  Positional arguments (2 total):\n    * <tf.Tensor 'x:0' shape=() "
        "dtype=float64>\n    * 2\n  Keyword arguments: {}\n\n Expected these arguments to "
        "match one of the following 2 option(s):\n\nOption 1:\n  Positional arguments (2 "
        "total):\n    * TensorSpec(shape=(), dtype=tf.float32, name='x')\n    * 2\n")
    with pytest.raises(ValueError, match="Could not find matching"):
        loaded.several(tf.constant(3.0), 4)


def test_function_never_traced_is_saved_without_traces(tmp_path):
    class Lazy(tf.Module):
        @tf.function
        def f(self, x):
            return x

    tf.saved_model.save(Lazy(), tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    with pytest.raises(ValueError, match="Found zero restored functions for caller function"):
        loaded.f(tf.constant(1.0))


class Branchy(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(2.0, dtype=tf.float64)

    @tf.function(input_signature=[tf.TensorSpec([3], tf.float64)])
    def f(self, x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * self.w, lambda: x * x)

    @tf.function(input_signature=[tf.TensorSpec([3], tf.float64)])
    def grad(self, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(self.f(x))
        return tape.gradient(y, [x, self.w])


def test_gradients_through_a_loaded_function(tmp_path):
    tf.saved_model.save(Branchy(), tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    check_gradients(loaded.f, np.array([1.0, 2.0, 3.0]), order=2)
    check_gradients(loaded.f, np.array([-1.0, -2.0, 0.5]), order=2)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(loaded.f(tf.constant([1.0, 2.0, 3.0], tf.float64)))
    assert float(tape.gradient(y, loaded.w)) == 6.0
    # A tape inside the saved function (the gradient of a tf.cond) replays too.
    dx, dw = loaded.grad(tf.constant([1.0, 2.0, 3.0], tf.float64))
    assert dx.numpy().tolist() == [2.0, 2.0, 2.0] and float(dw) == 6.0


def test_loaded_function_inside_another_tf_function(tmp_path):
    tf.saved_model.save(Branchy(), tmp_path)
    loaded = tf.saved_model.load(tmp_path)

    @tf.function
    def outer(x):
        return loaded.f(x) + 1.0

    x = tf.constant([-1.0, 2.0, -3.0], tf.float64)
    assert outer(x).numpy().tolist() == [2.0, 5.0, 10.0]


class Switch(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
    def pick(self, i):
        word = tf.switch_case(i, [lambda: tf.constant("zero"), lambda: tf.constant("one")])
        total = tf.while_loop(lambda k, s: k < i, lambda k, s: (k + 1, s + k), (0, 0),
                              maximum_iterations=tf.constant(3))[1]
        return tf.strings.join([word, "!"]), total


def test_switch_case_strings_and_bounded_while_loop(tmp_path):
    module = Switch()
    tf.saved_model.save(module, tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    for i in (0, 1, 2, 5):
        word, total = loaded.pick(tf.constant(i))
        expected_word, expected_total = module.pick(tf.constant(i))
        assert word.numpy() == expected_word.numpy() and int(total) == int(expected_total)
    assert loaded.pick(tf.constant(5))[1].numpy() == 3  # 0 + 1 + 2: three iterations at most
    result = loaded.signatures["serving_default"](i=tf.constant(0))
    assert result["output_0"].numpy() == b"zero!"


def test_loaded_functions_run_their_trace_when_functions_run_eagerly(tmp_path):
    tf.saved_model.save(_model(), tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    tf.config.run_functions_eagerly(True)
    try:
        assert float(loaded.several(tf.constant(3.0))["pow"]) == 9.0
        with pytest.raises(ValueError, match="Could not find matching concrete function"):
            loaded.several(tf.constant(3.0), 5)
    finally:
        tf.config.run_functions_eagerly(False)


def test_saving_again_replaces_the_directory_and_a_loaded_object_saves(tmp_path):
    model = _model()
    tf.saved_model.save(model, tmp_path / "m")
    model.scale.assign(5.0)
    tf.saved_model.save(model, tmp_path / "m", signatures=model.predict)
    loaded = tf.saved_model.load(tmp_path / "m")
    assert float(loaded.scale) == 5.0
    tf.saved_model.save(loaded, tmp_path / "again")
    again = tf.saved_model.load(tmp_path / "again")
    x = tf.constant([[1.0, 2.0]])
    assert again.predict(x).numpy().tolist() == model.predict(x).numpy().tolist()
    assert again.several(tf.constant([1.0, 2.0]), 3)["pow"].numpy().tolist() == [1.0, 8.0]
    serving = again.signatures["serving_default"]
    assert serving(x=x)["output_0"].numpy().tolist() == model.predict(x).numpy().tolist()
    assert serving.structured_outputs["output_0"].shape.rank == 1
    assert sorted(os.listdir(tmp_path)) == ["again", "m"]  # no temporary directory left


# --- errors ---------------------------------------------------------------------------------

def test_save_rejects_what_is_not_a_module(tmp_path):
    with pytest.raises(ValueError, match="Expected an object of type `Trackable`"):
        tf.saved_model.save(3, tmp_path)


def test_signature_must_be_a_traced_function(tmp_path):
    model = _model()
    with pytest.raises(ValueError, match="Only `tf.functions` with an input signature or "
                                         "concrete functions can be used as a signature"):
        tf.saved_model.save(model, tmp_path, signatures=model.several)


def test_python_function_ops_cannot_be_saved(tmp_path):
    module = tf.Module()
    module.f = tf.function(lambda x: tf.py_function(lambda a: a * 2, [x], tf.float32),
                           input_signature=[tf.TensorSpec([], tf.float32)])
    with pytest.raises(ValueError, match="op 'EagerPyFunc' cannot be saved: its attribute "
                                         "'func' holds a Python"):
        tf.saved_model.save(module, tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_untracked_variable_is_an_error(tmp_path):
    outside = tf.Variable(2.0)
    module = tf.Module()
    module.f = tf.function(lambda x: x * outside, input_signature=[tf.TensorSpec([])])
    with pytest.raises(AssertionError, match="references an 'untracked' resource"):
        tf.saved_model.save(module, tmp_path)


def test_existing_directory_with_other_files_is_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="holds other files"):
        tf.saved_model.save(_model(), tmp_path)
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_load_missing_directory(tmp_path):
    with pytest.raises(OSError, match="SavedModel file does not exist at"):
        tf.saved_model.load(tmp_path / "nothing")


def test_load_tensorflow_savedmodel_is_refused(tmp_path):
    (tmp_path / "saved_model.pb").write_bytes(b"\x08\x01")
    with pytest.raises(tf.errors.DataLossError, match="TensorFlow SavedModel"):
        tf.saved_model.load(tmp_path)


@pytest.fixture
def saved(tmp_path):
    tf.saved_model.save(_model(), tmp_path)
    return tmp_path


def test_load_damaged_json(saved):
    (saved / "saved_model.json").write_text('{"format": "eagerflow-saved')
    with pytest.raises(tf.errors.DataLossError, match="saved_model.json is not valid JSON"):
        tf.saved_model.load(saved)


def test_load_foreign_json(saved):
    (saved / "saved_model.json").write_text('{"format": "something-else"}')
    with pytest.raises(tf.errors.DataLossError, match="not an eagerflow SavedModel"):
        tf.saved_model.load(saved)


def test_load_missing_arrays(saved):
    os.remove(saved / "arrays.npz")
    with pytest.raises(tf.errors.DataLossError, match=f"{saved}.*arrays.npz is missing"):
        tf.saved_model.load(saved)


def test_load_truncated_arrays(saved):
    data = (saved / "arrays.npz").read_bytes()
    (saved / "arrays.npz").write_bytes(data[:len(data) // 2])
    with pytest.raises(tf.errors.DataLossError, match="arrays.npz is damaged"):
        tf.saved_model.load(saved)


def test_load_refuses_pickled_arrays(saved):
    np.savez(saved / "arrays.npz", v0=np.array([object()], dtype=object))
    with pytest.raises(tf.errors.DataLossError, match="arrays.npz is damaged"):
        tf.saved_model.load(saved)


def test_load_inconsistent_graph(saved):
    data = json.loads((saved / "saved_model.json").read_text())
    for function in data["functions"]:
        for node in function["program"]["nodes"]:
            if node["kind"] == "op":
                node["primitive"] = "os:system"
    (saved / "saved_model.json").write_text(json.dumps(data))
    with pytest.raises(tf.errors.DataLossError, match="names the primitive 'os:system'"):
        tf.saved_model.load(saved)


def test_load_refuses_slots_that_are_not_integers(saved):
    data = json.loads((saved / "saved_model.json").read_text())
    data["functions"][0]["program"]["outputs"][0] = "0; import os"
    (saved / "saved_model.json").write_text(json.dumps(data))
    with pytest.raises(tf.errors.DataLossError, match="invalid value slot '0; import os'"):
        tf.saved_model.load(saved)
