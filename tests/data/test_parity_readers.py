"""`tf.data.TextLineDataset` and `Dataset.list_files` against TensorFlow 2.21: the lines,
reprs and errors below were recorded from TF on the same file contents."""

import gzip
import zlib

import pytest

import eagerflow as tf
from eagerflow.framework.errors import InvalidArgumentError, NotFoundError

D = tf.data.Dataset


@pytest.fixture
def files(tmp_path):
    contents = {"one.txt": b"a b\r\nsecond line\n\nlast", "two.txt": b"x\ny\n",
                "three.txt.gz": gzip.compress(b"g1\ng2\n"), "four.z": zlib.compress(b"z1\r\nz2")}
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    return {name: str(tmp_path / name) for name in contents}


def lines(dataset):
    return list(dataset.as_numpy_iterator())


def test_text_lines_drop_their_endings(files):
    dataset = tf.data.TextLineDataset(files["one.txt"])
    assert repr(dataset) == ("<TextLineDatasetV2 element_spec=TensorSpec(shape=(), "
                             "dtype=tf.string, name=None)>")
    assert int(dataset.cardinality()) == -2
    assert lines(dataset) == [b"a b", b"second line", b"", b"last"]
    both = tf.data.TextLineDataset([files["one.txt"], files["two.txt"]])
    assert lines(both) == [b"a b", b"second line", b"", b"last", b"x", b"y"]
    assert repr(next(iter(both))) == "<tf.Tensor: shape=(), dtype=string, numpy=b'a b'>"


def test_text_lines_parallel_reads_interleave_files(files):
    dataset = tf.data.TextLineDataset([files["one.txt"], files["two.txt"]],
                                      num_parallel_reads=2)
    assert lines(dataset) == [b"a b", b"x", b"second line", b"y", b"", b"last"]


def test_text_lines_from_compressed_files_and_a_dataset_of_names(files):
    assert lines(tf.data.TextLineDataset(files["three.txt.gz"], compression_type="GZIP")) \
        == [b"g1", b"g2"]
    assert lines(tf.data.TextLineDataset(files["four.z"], compression_type="ZLIB")) \
        == [b"z1", b"z2"]
    names = D.from_tensor_slices([files["two.txt"], files["one.txt"]])
    assert lines(tf.data.TextLineDataset(names)) == [b"x", b"y", b"a b", b"second line", b"",
                                                     b"last"]
    per_file = names.interleave(lambda f: tf.data.TextLineDataset(f).skip(1), cycle_length=2)
    assert lines(per_file) == [b"y", b"second line", b"", b"last"]


def test_text_line_errors(files, tmp_path):
    missing = str(tmp_path / "missing.txt")
    with pytest.raises(NotFoundError) as caught:
        list(tf.data.TextLineDataset(missing))
    assert str(caught.value) == (
        "{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/"
        f"replica:0/task:0/device:CPU:0}}}} {missing}; No such file or directory "
        "[Op:IteratorGetNext] name: ")
    with pytest.raises(TypeError, match="The `filenames` argument must contain `tf.string` "
                                        "elements. Got `tf.int32` elements."):
        tf.data.TextLineDataset(5)
    with pytest.raises(InvalidArgumentError, match="Unsupported compression_type."):
        list(tf.data.TextLineDataset(files["two.txt"], compression_type="BZ2"))


def test_list_files(files, tmp_path):
    pattern = str(tmp_path / "*.txt")
    ordered = D.list_files(pattern, shuffle=False)
    assert repr(ordered) == ("<_TensorSliceDataset element_spec=TensorSpec(shape=(), "
                             "dtype=tf.string, name=None)>")
    assert lines(ordered) == [files["one.txt"].encode(), files["two.txt"].encode()]
    shuffled = D.list_files(pattern, seed=1)
    assert sorted(lines(shuffled)) == lines(ordered)
    assert int(shuffled.cardinality()) == 2
    csv = str(tmp_path / "*.csv")
    with pytest.raises(InvalidArgumentError) as caught:
        D.list_files(csv)
    assert str(caught.value) == ("Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be "
                                 f"true. Summarized data: b'No files matched pattern: {csv}'")
