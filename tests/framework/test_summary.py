"""tf.summary: event files read back with TensorBoard's own reader; values recorded from
TensorFlow 2.21 (tensorboard 2.21) where eagerflow must match them."""

import glob
import io
import os
import re
import sys

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework import summary_writer



def _needs_extra():
    """Skips without the writer (tensorboardX) or TensorBoard's reader (tensorboard)."""
    pytest.importorskip("tensorboardX")
    pytest.importorskip("tensorboard")


def read_values(logdir):
    """{tag: [(step, value ndarray, metadata)]} from every event file under `logdir`."""
    from tensorboard.backend.event_processing import event_file_loader
    from tensorboard.util import tensor_util
    found = {}
    for path in sorted(glob.glob(os.path.join(logdir, "**", "events.out.tfevents.*"),
                                 recursive=True)):
        for event in event_file_loader.EventFileLoader(path).Load():
            for value in event.summary.value:
                found.setdefault(value.tag, []).append(
                    (event.step, tensor_util.make_ndarray(value.tensor), value.metadata))
    return found


@pytest.fixture(autouse=True)
def fresh_summary_state():
    """Each test starts, and leaves the next one, without a default writer or step."""
    state = summary_writer._state
    yield
    state.writer, state.step, state.condition = None, None, True


@pytest.fixture
def writer(tmp_path):
    _needs_extra()
    writer = tf.summary.create_file_writer(str(tmp_path))
    yield writer
    writer.close()


def test_scalar_round_trip_and_metadata(writer, tmp_path):
    with writer.as_default(step=3):
        assert bool(tf.summary.scalar("loss", 0.5))
        tf.summary.scalar("count", tf.constant(7), step=4, description="how many")
    values = read_values(tmp_path)
    (step, loss, metadata), = values["loss"]
    assert step == 3 and loss.dtype == np.float32 and loss.shape == () and loss == 0.5
    assert metadata.plugin_data.plugin_name == "scalars"
    assert metadata.data_class == 1  # DATA_CLASS_SCALAR, as TF writes it
    (step, count, metadata), = values["count"]
    assert (step, float(count), metadata.summary_description) == (4, 7.0, "how many")


def test_filename_suffix_names_the_file(tmp_path):
    _needs_extra()
    tf.summary.create_file_writer(str(tmp_path), filename_suffix=".abc").close()
    (name,) = os.listdir(tmp_path)
    # TF's pattern: events.out.tfevents.<seconds>.<host>.<pid>.<writer number><suffix>
    assert re.fullmatch(rf"events\.out\.tfevents\.\d+\..+\.{os.getpid()}\.\d+\.abc", name)


def test_event_file_name_and_version_event(writer, tmp_path):
    writer.flush()
    from tensorboard.backend.event_processing import event_file_loader
    (path,) = glob.glob(os.path.join(tmp_path, "*"))
    name = os.path.basename(path)
    assert name.startswith("events.out.tfevents.") and name.endswith(".v2")
    first = next(iter(event_file_loader.EventFileLoader(path).Load()))
    assert first.file_version == "brain.Event:2"


# Recorded from tf.summary.histogram in TensorFlow 2.21.
H5_TF = [[1.0, 2.3, 3.0], [2.3, 3.6, 0.0], [3.6, 4.9, 0.0], [4.9, 6.2, 0.0], [6.2, 7.5, 1.0]]
HINT_TF_FIRST_AND_MIDDLE = [[1.0, 1.2666666666666666, 1.0],
                            [1.2666666666666666, 1.5333333333333332, 0.0]]
HINT_TF_ROW_15 = [5.0, 5.266666666666667, 1.0]
ARANGE10_TF_ROW_2_3 = [[0.6, 0.8999999999999999, 0.0], [0.8999999999999999, 1.2, 1.0]]


def test_histogram_buckets_match_tensorflow(writer, tmp_path):
    with writer.as_default(step=1):
        tf.summary.histogram("h5", [1.0, 2.0, 2.0, 7.5], buckets=5)
        tf.summary.histogram("hint", np.array([1, 5, 9]))
        tf.summary.histogram("arange", np.arange(10, dtype=np.float32), description="d")
        tf.summary.histogram("const", [3.0, 3.0])
        tf.summary.histogram("empty", np.zeros([0], np.float32))
    values = read_values(tmp_path)
    h5 = values["h5"][0][1]
    assert h5.dtype == np.float64 and h5.tolist() == H5_TF
    hint = values["hint"][0][1]
    assert hint.shape == (30, 3) and hint[:2].tolist() == HINT_TF_FIRST_AND_MIDDLE
    assert hint[15].tolist() == HINT_TF_ROW_15 and hint[-1].tolist() == [8.733333333333334,
                                                                         9.0, 1.0]
    step, arange, metadata = values["arange"][0]
    assert arange[2:4].tolist() == ARANGE10_TF_ROW_2_3 and arange[:, 2].sum() == 10
    assert metadata.plugin_data.plugin_name == "histograms" and metadata.data_class == 2
    assert metadata.summary_description == "d"
    const = values["const"][0][1]  # one value: every edge at it, the count in the last bucket
    assert (const[:, :2] == 3.0).all() and const[:, 2].tolist() == [0.0] * 29 + [2.0]
    assert values["empty"][0][1].tolist() == [[0.0, 0.0, 0.0]] * 30


def _decode_png(data):
    image_module = pytest.importorskip("PIL.Image")
    return np.asarray(image_module.open(io.BytesIO(data)))


def test_image_float_and_uint8(writer, tmp_path):
    floats = np.array([[[[-0.5], [0.0], [0.001], [0.5]], [[0.998], [0.999], [1.0], [2.0]]]],
                      np.float32)
    colors = np.linspace(0, 1, 2 * 4 * 3 * 3, dtype=np.float32).reshape(2, 4, 3, 3)
    with writer.as_default(step=2):
        tf.summary.image("gray", floats)
        tf.summary.image("rgb", colors, max_outputs=1)
        tf.summary.image("bytes", (np.arange(8) * 30).astype(np.uint8).reshape(2, 2, 2, 1))
    values = read_values(tmp_path)
    gray, metadata = values["gray"][0][1], values["gray"][0][2]
    assert gray[:2].tolist() == [b"4", b"2"] and len(gray) == 3
    assert metadata.plugin_data.plugin_name == "images" and metadata.data_class == 3
    # TF 2.21 wrote these pixels for the same floats (scaled by 255.5, clipped).
    assert _decode_png(gray[2]).tolist() == [[0, 0, 0, 127], [254, 255, 255, 255]]
    rgb = values["rgb"][0][1]
    assert rgb[:2].tolist() == [b"3", b"4"] and len(rgb) == 3
    expected = np.clip(colors[0] * 255.5, 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(_decode_png(rgb[2]), expected)
    stored = values["bytes"][0][1]
    assert len(stored) == 4
    np.testing.assert_array_equal(_decode_png(stored[3]), [[120, 150], [180, 210]])


def test_image_integer_channels_and_bool(writer, tmp_path):
    pixels = np.arange(2 * 3 * 2, dtype=np.uint8).reshape(1, 2, 3, 2) * 20
    with writer.as_default(step=0):
        tf.summary.image("gray_alpha", pixels)
        tf.summary.image("rgba", np.zeros((1, 1, 2, 4), np.uint8) + 200)
        tf.summary.image("int32", np.array([[[[0], [100], [300], [-5]]]], np.int32))
        with pytest.raises(AttributeError, match="must be either floating point or integer"):
            tf.summary.image("b", np.array([[[[True], [False]]]]))
    values = read_values(tmp_path)
    np.testing.assert_array_equal(_decode_png(values["gray_alpha"][0][1][2]), pixels[0])
    np.testing.assert_array_equal(_decode_png(values["rgba"][0][1][2]), [[[200] * 4] * 2])
    # int32 is rescaled from its range to uint8's (TF 2.21 wrote all zeros here).
    assert _decode_png(values["int32"][0][1][2]).tolist() == [[0, 0, 0, 0]]


def test_max_queue_flushes_when_exceeded(tmp_path):
    _needs_extra()
    writer = tf.summary.create_file_writer(str(tmp_path), max_queue=2, flush_millis=1e9)
    writer.set_as_default(step=0)
    for index in range(2):
        tf.summary.scalar(f"s{index}", 1.0)
    assert read_values(tmp_path) == {}  # the file exists, the two events are queued
    tf.summary.scalar("s2", 1.0)
    assert sorted(read_values(tmp_path)) == ["s0", "s1", "s2"]
    writer.close()


def test_image_errors(writer):
    with writer.as_default(step=0):
        with pytest.raises(ValueError, match=r"must have rank 4.  Received rank 3"):
            tf.summary.image("i", np.zeros((2, 2, 3)))
        with pytest.raises(tf.errors.InvalidArgumentError, match="got 5"):
            tf.summary.image("i", np.zeros((1, 2, 2, 5)))


def test_text_round_trip_and_dtype_error(writer, tmp_path):
    with writer.as_default(step=5):
        tf.summary.text("note", "hello")
        tf.summary.text("table", tf.constant([["a", "b"]]))
        with pytest.raises(TypeError, match="tensor must be of type tf.string; got tf.float32"):
            tf.summary.text("bad", 1.0)
    values = read_values(tmp_path)
    step, note, metadata = values["note"][0]
    assert step == 5 and note.shape == () and note.item() == b"hello"
    assert metadata.plugin_data.plugin_name == "text"
    assert values["table"][0][1].tolist() == [[b"a", b"b"]]


def test_step_rules_and_errors(writer, tmp_path):
    assert tf.summary.experimental.get_step() is None
    # No default writer: nothing recorded, and no step needed.
    assert not bool(tf.summary.scalar("a", 1.0))
    assert not tf.summary.should_record_summaries().numpy()
    with writer.as_default():
        assert tf.summary.should_record_summaries().numpy()
        with pytest.raises(ValueError, match="No step set. Please specify one"):
            tf.summary.scalar("a", 1.0)
        with pytest.raises(ValueError, match=r"Expected scalar shape, saw shape: \(2,\)."):
            tf.summary.scalar("a", [1.0, 2.0], step=1)
        with pytest.raises(tf.errors.UnimplementedError, match="Cast string to float"):
            tf.summary.scalar("a", "x", step=1)
        tf.summary.experimental.set_step(9)
        assert tf.summary.experimental.get_step() == 9
        assert bool(tf.summary.scalar("default_step", 2.0))
        tf.summary.experimental.set_step(None)
        tf.summary.scalar("variable_step", 1.0, step=tf.Variable(4, dtype=tf.int64))
    with writer.as_default(step=7):
        assert tf.summary.experimental.get_step() == 7
    assert tf.summary.experimental.get_step() is None
    values = read_values(tmp_path)
    assert values["default_step"][0][0] == 9 and values["variable_step"][0][0] == 4


def test_record_if(writer, tmp_path):
    with writer.as_default(step=1):
        with tf.summary.record_if(False):
            assert not tf.summary.should_record_summaries().numpy()
            assert not bool(tf.summary.scalar("skipped", 1.0))
        step = {"value": 2}
        with tf.summary.record_if(lambda: step["value"] % 2 == 0):
            tf.summary.scalar("even", 1.0, step=step["value"])
            step["value"] = 3
            tf.summary.scalar("even", 1.0, step=step["value"])
        assert bool(tf.summary.scalar("recorded", 1.0))
    values = read_values(tmp_path)
    assert "skipped" not in values and [s for s, _, _ in values["even"]] == [2]


def test_close_flushes_and_stops_writing(tmp_path):
    _needs_extra()
    writer = tf.summary.create_file_writer(str(tmp_path), max_queue=1000, flush_millis=1e9)
    with writer.as_default(step=0):
        pass
    writer.set_as_default(step=1)
    tf.summary.scalar("before_close", 1.0)
    writer.close()
    assert not bool(tf.summary.scalar("after_close", 1.0))
    with pytest.raises(RuntimeError, match="is already closed"):
        writer.set_as_default(step=3)
    assert set(read_values(tmp_path)) == {"before_close"}


def test_noop_writer_records_nothing(tmp_path):
    with tf.summary.create_noop_writer().as_default(step=1):
        assert not bool(tf.summary.scalar("x", 1.0))
        assert tf.summary.experimental.get_step() is None


def traced_graphs(logdir, tag):
    """(step, [GraphDef...], metadata) of the `trace_export` summary `tag`, read with
    TensorBoard's accumulator and its RunMetadata proto, as its graph dashboard reads it."""
    from tensorboard.backend.event_processing import plugin_event_accumulator
    from tensorboard.compat.proto import config_pb2
    accumulator = plugin_event_accumulator.EventAccumulator(str(logdir))
    accumulator.Reload()
    (event,) = accumulator.Tensors(tag)
    assert event.tensor_proto.dtype == 7 and len(event.tensor_proto.string_val) == 1
    run_metadata = config_pb2.RunMetadata.FromString(event.tensor_proto.string_val[0])
    metadata = accumulator.SummaryMetadata(tag)
    return (event.step, [g.pre_optimization_graph for g in run_metadata.function_graphs],
            metadata)


def nodes(graph):
    return [(node.name, node.op, list(node.input)) for node in graph.node]


@tf.function
def _two_outputs(x, y):
    z = x * y + 1.0
    return tf.nn.relu(z - x / 2.0), tf.matmul(z, y, transpose_b=True)


@pytest.fixture
def fresh_trace():
    """Each trace test starts, and ends, with no trace on."""
    tf.summary.trace_off()
    yield
    tf.summary.trace_off()


def test_trace_export_writes_the_traced_graph_as_tensorflow(writer, tmp_path, fresh_trace):
    tf.summary.trace_on(graph=True, profiler=False)
    x, y = tf.constant([[1.0, 2.0]]), tf.constant([[3.0, -4.0]])
    outputs = _two_outputs(x, y)
    with writer.as_default():
        assert tf.summary.trace_export("f", step=7) is None
    step, (graph,), metadata = traced_graphs(tmp_path, "f")
    assert step == 7
    assert metadata.plugin_data.plugin_name == "graph_run_metadata_graph"
    assert metadata.plugin_data.content == b"1"
    # Recorded from TensorFlow 2.21 (its function graph before optimization).
    assert nodes(graph) == [
        ("x", "_Arg", []), ("y", "_Arg", []), ("mul", "Mul", ["x", "y"]),
        ("add/y", "Const", []), ("add", "AddV2", ["mul", "add/y"]),
        ("truediv/y", "Const", []), ("truediv", "RealDiv", ["x", "truediv/y"]),
        ("sub", "Sub", ["add", "truediv"]), ("Relu", "Relu", ["sub"]),
        ("MatMul", "MatMul", ["add", "y"]), ("Identity", "Identity", ["Relu"]),
        ("Identity_1", "Identity", ["MatMul"]),
        ("identity_RetVal", "_Retval", ["Identity"]),
        ("identity_1_RetVal", "_Retval", ["Identity_1"])]
    by_name = {node.name: node for node in graph.node}
    x_arg = by_name["x"].attr
    assert (x_arg["T"].type, x_arg["index"].i, x_arg["_user_specified_name"].s) == (1, 0, b"x")
    assert [d.size for d in x_arg["_output_shapes"].list.shape[0].dim] == [1, 2]
    assert by_name["y"].attr["index"].i == 1
    assert by_name["MatMul"].attr["transpose_b"].b is True
    assert by_name["identity_1_RetVal"].attr["index"].i == 1
    from tensorboard.util import tensor_util
    assert float(tensor_util.make_ndarray(by_name["truediv/y"].attr["value"].tensor)) == 2.0
    z = x.numpy() * y.numpy() + 1.0  # the trace still computes what it records
    np.testing.assert_allclose(outputs[1].numpy(), z @ y.numpy().T)


def test_trace_export_variables_and_control_flow(writer, tmp_path, fresh_trace):
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def step(x, n):
        if tf.reduce_sum(x) > 0:
            z = x * 2.0
        else:
            z = x - 1.0
        v.assign_add(z)
        return z + v, tf.cast(n, tf.float32)

    tf.summary.trace_on(graph=True)
    step(tf.constant([1.0, 2.0]), tf.constant(3))
    with writer.as_default():
        tf.summary.trace_export("step", step=0)
    _, (graph,), _ = traced_graphs(tmp_path, "step")
    # TensorFlow 2.21 writes the same nodes, but for its ReadVariableOp named in the add's
    # scope, a cond/Identity after the cond and the Const of reduce_sum's axis.
    assert nodes(graph) == [
        ("x", "_Arg", []), ("n", "_Arg", []),
        ("assignaddvariableop_resource", "_Arg", []),
        ("Sum", "Sum", ["x"]), ("Greater/y", "Const", []),
        ("Greater", "Greater", ["Sum", "Greater/y"]), ("cond", "StatelessIf", ["Greater", "x"]),
        ("AssignAddVariableOp", "AssignAddVariableOp", ["assignaddvariableop_resource", "cond"]),
        ("ReadVariableOp", "ReadVariableOp",
         ["assignaddvariableop_resource", "^AssignAddVariableOp"]),
        ("add", "AddV2", ["cond", "ReadVariableOp"]), ("Cast", "Cast", ["n"]),
        ("NoOp", "NoOp", ["^AssignAddVariableOp"]),
        ("Identity", "Identity", ["add", "^NoOp"]), ("Identity_1", "Identity", ["Cast", "^NoOp"]),
        ("identity_RetVal", "_Retval", ["Identity"]),
        ("identity_1_RetVal", "_Retval", ["Identity_1"])]
    resource = graph.node[2].attr
    assert (resource["T"].type, resource["index"].i) == (20, 2)  # DT_RESOURCE, after x and n


def test_trace_export_loops_list_inputs_and_returned_constants(writer, tmp_path,
                                                               fresh_trace):
    @tf.function
    def loop(x):
        i = tf.constant(0)
        while i < 3:
            x = x + 1.0
            i += 1
        return tf.concat([x, x, [5.0]], axis=0), tf.constant(["a"])

    tf.summary.trace_on(graph=True)
    loop(tf.constant([1.0, 2.0]))
    with writer.as_default():
        tf.summary.trace_export("loop", step=0)
    _, (graph,), _ = traced_graphs(tmp_path, "loop")
    # eagerflow's own structure: the loop is one node, as TensorFlow's While op is.
    assert nodes(graph) == [
        ("x", "_Arg", []), ("Less/x", "Const", []), ("Less/y", "Const", []),
        ("Less", "Less", ["Less/x", "Less/y"]), ("while", "StatelessWhile", ["x", "Less/x"]),
        ("concat/values_2", "Const", []),
        ("concat", "ConcatV2", ["while", "while", "concat/values_2"]),
        ("Identity", "Identity", ["concat"]), ("Const", "Const", []),
        ("Identity_1", "Identity", ["Const"]), ("identity_RetVal", "_Retval", ["Identity"]),
        ("identity_1_RetVal", "_Retval", ["Identity_1"])]
    const = graph.node[8].attr
    assert const["dtype"].type == 7 and list(const["value"].tensor.string_val) == [b"a"]
    assert graph.node[5].attr["value"].tensor.tensor_content == np.float32([5.0]).tobytes()


def test_trace_on_and_off_semantics(writer, tmp_path, fresh_trace, caplog):
    @tf.function
    def double(x):
        return x * 2.0

    with pytest.raises(ValueError, match="Must enable trace before export"):
        tf.summary.trace_export("none", step=0)
    double(tf.constant(1.0))  # traced before the trace: only called again below
    tf.summary.trace_on(graph=True)
    with caplog.at_level("WARNING", logger="eagerflow"):
        tf.summary.trace_on(graph=True)
    assert "Trace already enabled" in caplog.text
    double(tf.constant(1.0))
    with writer.as_default():
        tf.summary.trace_export("called", step=1)
    # As TensorFlow 2.21: an export names no function traced before `trace_on`.
    assert traced_graphs(tmp_path, "called")[1] == []

    tf.summary.trace_on(graph=True)
    double(tf.constant([1.0]))
    tf.summary.trace_off()
    with pytest.raises(ValueError, match="Must enable trace before export"):
        tf.summary.trace_export("off", step=2)

    tf.summary.trace_on(graph=True)
    with writer.as_default(), pytest.raises(ValueError, match="No step set"):
        tf.summary.trace_export("no_step")
    with writer.as_default():  # the trace survives the missing step, as in TensorFlow
        tf.summary.trace_export("with_step", step=3)

    tf.summary.trace_on(graph=True)
    tf.summary.trace_export("no_writer", step=4)  # nothing to write to; the trace ends
    with pytest.raises(ValueError, match="Must enable trace before export"):
        tf.summary.trace_export("no_writer", step=4)

    tf.summary.trace_on(graph=False)
    double(tf.constant([1.0, 2.0]))
    with writer.as_default():
        tf.summary.trace_export("no_graph", step=5)
    assert set(read_values(tmp_path)) == {"called", "with_step"}


def test_trace_with_profiler_warns_and_exports_the_graph(writer, tmp_path, fresh_trace):
    @tf.function
    def negate(x):
        return -x

    with pytest.warns(UserWarning, match="no profiler"):
        tf.summary.trace_on(graph=True, profiler=True)
    negate(tf.constant([1, 2]))
    with writer.as_default():
        tf.summary.trace_export("negate", step=0)
    _, (graph,), _ = traced_graphs(tmp_path, "negate")
    assert nodes(graph)[:2] == [("x", "_Arg", []), ("Neg", "Neg", ["x"])]
    assert graph.node[1].attr["T"].type == 3  # DT_INT32


def test_missing_extra_names_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    monkeypatch.setattr(summary_writer, "_protos", [])
    with pytest.raises(ImportError, match=r"pip install eagerflow\[tensorboard\]"):
        tf.summary.create_file_writer(str(tmp_path))
