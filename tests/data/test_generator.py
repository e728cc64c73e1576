"""Tests for Dataset.from_generator: signatures, checks of yielded elements, fresh calls."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import data
from eagerflow.framework.errors import InvalidArgumentError

Dataset = data.Dataset
Spec = data.TensorSpec


def _ragged():
    for i in range(3):
        yield np.arange(i, dtype=np.float32), i


def test_signature_spec_cardinality_and_values():
    ds = Dataset.from_generator(_ragged, output_signature=(Spec((None,), tf.float32),
                                                           Spec((), tf.int32)))
    # recorded from TF 2.21
    assert repr(ds.element_spec) == (
        "(TensorSpec(shape=(None,), dtype=tf.float32, name=None), "
        "TensorSpec(shape=(), dtype=tf.int32, name=None))")
    assert int(ds.cardinality()) == -2
    values = [(a.tolist(), b) for a, b in ds.as_numpy_iterator()]
    assert values == [([], 0), ([0.0], 1), ([0.0, 1.0], 2)]
    x, y = next(iter(ds))
    assert x.dtype == tf.float32 and y.dtype == tf.int32
    with pytest.raises(TypeError, match="length is unknown"):
        len(ds)


def test_generator_called_afresh_each_iteration():
    calls = []

    def gen():
        calls.append(1)
        yield from range(3)

    ds = Dataset.from_generator(gen, output_types=tf.int64)
    assert [int(x) for x in ds] == [0, 1, 2]
    assert [int(x) for x in ds] == [0, 1, 2]
    assert len(calls) == 2


def test_output_types_and_shapes():
    ds = Dataset.from_generator(lambda: iter([1, 2]), output_types=tf.int64)
    # recorded from TF 2.21
    assert repr(ds.element_spec) == "TensorSpec(shape=<unknown>, dtype=tf.int64, name=None)"
    assert [int(x) for x in ds] == [1, 2]
    ds = Dataset.from_generator(lambda: iter([(1, 2)]), output_types=(tf.int32, tf.int64),
                                output_shapes=((), None))
    assert repr(ds.element_spec) == (
        "(TensorSpec(shape=(), dtype=tf.int32, name=None), "
        "TensorSpec(shape=<unknown>, dtype=tf.int64, name=None))")
    ds = Dataset.from_generator(lambda: iter([[1, 2]]), output_types=tf.int64,
                                output_shapes=(2,))
    assert str(ds.element_spec.shape) == "(2,)"


def test_args_reach_generator_as_numpy_values():
    seen = []

    def gen(n, s):
        seen.append((type(n), n, s))
        yield from range(int(n))

    ds = Dataset.from_generator(gen, output_types=tf.int32, args=(3, "x"))
    assert [int(x) for x in ds] == [0, 1, 2]
    # recorded from TF 2.21: numpy.int32 and bytes
    assert seen == [(np.int32, 3, b"x")]


def test_dict_signature_and_casting():
    ds = Dataset.from_generator(
        lambda: iter([{"a": 1, "b": [1.0, 2.0]}]),
        output_signature={"a": Spec((), tf.int32), "b": Spec((2,), tf.float32)})
    element = next(iter(ds))
    assert element["a"].dtype == tf.int32 and element["b"].numpy().tolist() == [1.0, 2.0]
    # recorded from TF 2.21: values are cast to the signature's dtype
    cast = Dataset.from_generator(lambda: iter([np.zeros(3), 1.5]),
                                  output_signature=Spec(None, tf.int32))
    values = [x.numpy().tolist() for x in cast]
    assert values == [[0, 0, 0], 1]
    assert next(iter(cast)).dtype == tf.int32


# recorded from TF 2.21 (raised as InvalidArgumentError wrapping the generator's TypeError)
@pytest.mark.parametrize("values, spec, message", [
    ([np.zeros((2, 2), np.float32)], Spec((None,), tf.float32),
     "`generator` yielded an element of shape (2, 2) where an element of shape (None,) "
     "was expected."),
    ([1.0], Spec((None,), tf.float32),
     "`generator` yielded an element of shape () where an element of shape (None,) "
     "was expected."),
    (["a"], Spec((None,), tf.float32),
     "`generator` yielded an element that could not be converted to the expected type. "
     "The expected type was float32, but the yielded element was a."),
    ([(1, 2)], (Spec((), tf.int32),),
     "`generator` yielded an element that did not match the expected structure. The "
     "expected structure was (tf.int32,), but the yielded element was (1, 2)."),
    ([[1, 2]], (Spec((), tf.int32), Spec((), tf.int32)),
     "`generator` yielded an element that did not match the expected structure. The "
     "expected structure was (tf.int32, tf.int32), but the yielded element was [1, 2]."),
    ([{"a": 1}], {"b": Spec((), tf.int32)},
     "`generator` yielded an element that did not match the expected structure. The "
     "expected structure was {'b': tf.int32}, but the yielded element was {'a': 1}."),
])
def test_mismatches_raise_tf_errors(values, spec, message):
    ds = Dataset.from_generator(lambda: iter(values), output_signature=spec)
    with pytest.raises(InvalidArgumentError) as info:
        list(ds)
    assert message in str(info.value)
    assert "TypeError" in str(info.value)


def test_argument_errors():
    # recorded from TF 2.21
    with pytest.raises(TypeError, match="either the `output_signature` argument or the "
                                        "`output_types` argument"):
        Dataset.from_generator(_ragged)
    with pytest.raises(TypeError, match="can not be used together with the "
                                        "`output_signature`"):
        Dataset.from_generator(_ragged, output_types=tf.int32,
                               output_signature=Spec((), tf.int32))
    with pytest.raises(TypeError, match="`generator` must be a Python callable."):
        Dataset.from_generator(1, output_types=tf.int32)
    with pytest.raises(TypeError, match="must contain objects that are subclass of "
                                        "`tf.TypeSpec`"):
        Dataset.from_generator(_ragged, output_signature=tf.int32)


def test_from_generator_chains_with_map_batch_and_prefetch():
    ds = Dataset.from_generator(lambda: iter(range(5)), output_signature=Spec((), tf.int64))
    out = ds.map(lambda x: x * 2).batch(2).prefetch(1)
    assert [b.numpy().tolist() for b in out] == [[0, 2], [4, 6], [8]]
    assert int(out.cardinality()) == -2


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_two_gigabyte_stream_stays_within_memory():
    # 2,048 elements of 1 MB generated on the fly, batched by 8 and prefetched: the whole
    # process's peak RSS (the interpreter, NumPy and eagerflow included) stays under 300 MB.
    script = textwrap.dedent("""
        import resource
        import numpy as np
        import eagerflow as tf

        def gen():
            block = np.ones(262144, np.float32)  # 1 MB
            for _ in range(2048):
                yield block.copy()

        ds = tf.data.Dataset.from_generator(
            gen, output_signature=tf.data.TensorSpec((262144,), tf.float32))
        pipeline = ds.batch(8).prefetch(2)
        batches = total = 0
        for batch in pipeline:
            batches += 1
            total += batch.shape[0] * batch.shape[1] * 4
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
        print(batches, total, peak // 1024)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, check=True)
    batches, total, peak_mb = map(int, result.stdout.split())
    assert batches == 256 and total == 2 * 2 ** 30
    assert peak_mb < 300
