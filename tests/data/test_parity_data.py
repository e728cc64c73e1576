"""TensorFlow parity of tf.data: the printouts and errors of snippets from TensorFlow's
"tf.data: Build TensorFlow input pipelines" guide and common tutorials, recorded from
TensorFlow 2.21 and pasted here: dataset reprs, cardinalities and elements of the
transformations (scan, unique, take_while, shard, counter, rebatch, group_by_window,
bucket_by_sequence_length, choose_from_datasets, ignore_errors, apply and
tf.data.experimental's functions), and the exact errors, iteration errors included."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.errors import (
    DataLossError, FailedPreconditionError, InvalidArgumentError, OutOfRangeError)

D = tf.data.Dataset
ELEMENTS = [[0], [1, 2, 3, 4], [5, 6, 7], [7, 8, 9, 10, 11], [13, 14, 15, 16, 19, 20], [21, 22]]


def plain(value):
    """An element as Python lists, tuples, dicts and str, for comparing with the record."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, bytes):
        return value.decode()
    array = np.asarray(value)
    return array.tolist() if array.dtype.kind != "O" else [v.decode() for v in array.ravel()]


# (pipeline, repr, cardinality, elements), recorded from TF 2.21.
PIPELINES = [
    ('D.range(10).scan(np.int64(0), lambda s, x: (s + x, s * 2))',
     '<_ScanDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     10, [0, 0, 2, 6, 12, 20, 30, 42, 56, 72]),
    ("D.range(5).scan((np.int64(0), 1.0), lambda s, x: ((s[0] + x, s[1] * 2.0), {'sum': s[0], 'p': s[1]}))",
     "<_ScanDataset element_spec={'sum': TensorSpec(shape=(), dtype=tf.int64, name=None), 'p': TensorSpec(shape=(), dtype=tf.float32, name=None)}>",
     5, [{'sum': 0, 'p': 1.0}, {'sum': 0, 'p': 2.0}, {'sum': 1, 'p': 4.0}, {'sum': 3, 'p': 8.0}, {'sum': 6, 'p': 16.0}]),
    ('D.range(3).scan(0, lambda s, x: (s + 1, x))',
     '<_ScanDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     3, [0, 1, 2]),
    ('D.from_tensor_slices([1, 37, 2, 37, 2, 1]).unique()',
     '<_UniqueDataset element_spec=TensorSpec(shape=(), dtype=tf.int32, name=None)>',
     -2, [1, 37, 2]),
    ("D.from_tensor_slices(['a', 'b', 'a']).unique()",
     '<_UniqueDataset element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>',
     -2, ['a', 'b']),
    ('D.range(10).take_while(lambda x: x < 5)',
     '<_TakeWhileDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1, 2, 3, 4]),
    ('D.range(10).shard(num_shards=3, index=1)',
     '<_ShardDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     3, [1, 4, 7]),
    ('D.range(11).shard(3, 0)',
     '<_ShardDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     4, [0, 3, 6, 9]),
    ('D.range(10).filter(lambda x: x > 2).shard(3, 2)',
     '<_ShardDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [5, 8]),
    ('D.counter().take(3)',
     '<_TakeDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     3, [0, 1, 2]),
    ('D.counter(start=2, step=5, dtype=tf.int32).take(3)',
     '<_TakeDataset element_spec=TensorSpec(shape=(), dtype=tf.int32, name=None)>',
     3, [2, 7, 12]),
    ('D.range(8).batch(4).rebatch(2)',
     '<_RebatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     -2, [[0, 1], [2, 3], [4, 5], [6, 7]]),
    ('D.range(10).batch(4).rebatch(3)',
     '<_RebatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     -2, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]),
    ('D.range(10).batch(4).rebatch(3, drop_remainder=True)',
     '<_RebatchDataset element_spec=TensorSpec(shape=(3,), dtype=tf.int64, name=None)>',
     -2, [[0, 1, 2], [3, 4, 5], [6, 7, 8]]),
    ('D.range(10).batch(4, drop_remainder=True).rebatch([1, 3])',
     '<_RebatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     -2, [[0], [1, 2, 3], [4], [5, 6, 7]]),
    ('D.from_tensor_slices((np.arange(6), np.arange(12.0).reshape(6, 2))).batch(4).rebatch(5)',
     '<_RebatchDataset element_spec=(TensorSpec(shape=(None,), dtype=tf.int64, name=None), TensorSpec(shape=(None, 2), dtype=tf.float64, name=None))>',
     -2, [([0, 1, 2, 3, 4], [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0], [8.0, 9.0]]), ([5], [[10.0, 11.0]])]),
    ('D.range(10).group_by_window(key_func=lambda x: x % 2, reduce_func=lambda key, w: w.batch(3), window_size=3)',
     '<_GroupByWindowDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     -2, [[0, 2, 4], [1, 3, 5], [6, 8], [7, 9]]),
    ('D.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(10), window_size=2)',
     '<_GroupByWindowDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     -2, [[0, 3], [1, 4], [2, 5], [6, 9], [7], [8]]),
    ('D.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(10), window_size_func=lambda k: k + 1)',
     '<_GroupByWindowDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     -2, [[0], [3], [1, 4], [6], [2, 5, 8], [9], [7]]),
    ('D.from_tensor_slices(([0, 1, 2, 3, 4], [5, 6, 7, 8, 9])).group_by_window(lambda a, b: tf.cast(a % 2, tf.int64), lambda k, w: w.batch(2), window_size=2)',
     '<_GroupByWindowDataset element_spec=(TensorSpec(shape=(None,), dtype=tf.int32, name=None), TensorSpec(shape=(None,), dtype=tf.int32, name=None))>',
     -2, [([0, 2], [5, 7]), ([1, 3], [6, 8]), ([4], [9])]),
    ('D.from_generator(lambda: ELEMENTS, tf.int64, output_shapes=[None]).bucket_by_sequence_length(element_length_func=lambda elem: tf.shape(elem)[0], bucket_boundaries=[3, 5], bucket_batch_sizes=[2, 2, 2])',
     '<_GroupByWindowDataset element_spec=TensorSpec(shape=(None, None), dtype=tf.int64, name=None)>',
     -2, [[[1, 2, 3, 4], [5, 6, 7, 0]], [[7, 8, 9, 10, 11, 0], [13, 14, 15, 16, 19, 20]], [[0, 0], [21, 22]]]),
    ('D.from_generator(lambda: ELEMENTS, tf.int32, output_shapes=[None]).bucket_by_sequence_length(element_length_func=lambda elem: tf.shape(elem)[0], bucket_boundaries=[4, 7], bucket_batch_sizes=[2, 2, 2], pad_to_bucket_boundary=True, padding_values=-1)',
     '<_GroupByWindowDataset element_spec=TensorSpec(shape=(None, None), dtype=tf.int32, name=None)>',
     -2, [[[0, -1, -1], [5, 6, 7]], [[1, 2, 3, 4, -1, -1], [7, 8, 9, 10, 11, -1]], [[21, 22, -1]], [[13, 14, 15, 16, 19, 20]]]),
    ('D.from_generator(lambda: ELEMENTS[:3], tf.int32, output_shapes=[None]).bucket_by_sequence_length(lambda e: tf.shape(e)[0], [3], [2, 2], drop_remainder=True)',
     '<_GroupByWindowDataset element_spec=TensorSpec(shape=(None, None), dtype=tf.int32, name=None)>',
     -2, [[[1, 2, 3, 4], [5, 6, 7, 0]]]),
    ('D.from_generator(lambda: [[1], [2, 2], [3], [4, 4]], tf.int32, output_shapes=[None]).bucket_by_sequence_length(lambda e: tf.shape(e)[0], [2], [2, 2], no_padding=True)',
     '<_GroupByWindowDataset element_spec=TensorSpec(shape=(None, None), dtype=tf.int32, name=None)>',
     -2, [[[1], [3]], [[2, 2], [4, 4]]]),
    ("D.choose_from_datasets([D.from_tensors('foo').repeat(), D.from_tensors('bar').repeat(), D.from_tensors('baz').repeat()], D.range(3).repeat(3))",
     '<_DirectedInterleaveDataset element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>',
     -1, ['foo', 'bar', 'baz', 'foo', 'bar', 'baz', 'foo', 'bar', 'baz']),
    ('D.choose_from_datasets([D.range(2), D.range(10, 12)], D.from_tensor_slices(np.array([0, 0, 0, 1], np.int64)))',
     '<_DirectedInterleaveDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1]),
    ('D.choose_from_datasets([D.range(2), D.range(10, 12)], D.from_tensor_slices(np.array([0, 0, 0, 1], np.int64)), stop_on_empty_dataset=False)',
     '<_DirectedInterleaveDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1, 10]),
    ('tf.data.experimental.choose_from_datasets([D.range(2), D.range(10, 12)], D.from_tensor_slices(np.array([0, 0, 0, 1], np.int64)))',
     '<_DirectedInterleaveDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1, 10]),
    ("D.from_tensor_slices([1., 2., 0., 4.]).map(lambda x: tf.debugging.check_numerics(1. / x, 'error')).ignore_errors()",
     '<_IgnoreErrorsDataset element_spec=TensorSpec(shape=(), dtype=tf.float32, name=None)>',
     -2, [1.0, 0.5, 0.25]),
    ('D.range(10).apply(lambda d: d.filter(lambda x: x > 5))',
     '<_FilterDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [6, 7, 8, 9]),
    ('D.range(10).apply(tf.data.experimental.assert_cardinality(10))',
     '<_AssertCardinalityDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    ('D.range(5).apply(tf.data.experimental.scan(np.int64(0), lambda s, x: (s + x, s)))',
     '<_ScanDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     5, [0, 0, 1, 3, 6]),
    ('D.range(5).apply(tf.data.experimental.unique())',
     '<_UniqueDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1, 2, 3, 4]),
    ('D.range(5).apply(tf.data.experimental.enumerate_dataset(2))',
     '<_ZipDataset element_spec=(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorSpec(shape=(), dtype=tf.int64, name=None))>',
     5, [(2, 0), (3, 1), (4, 2), (5, 3), (6, 4)]),
    ('D.range(5).apply(tf.data.experimental.take_while(lambda x: x < 2))',
     '<_TakeWhileDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1]),
    ('D.range(5).apply(tf.data.experimental.map_and_batch(lambda x: x * 2, 2))',
     '<_MapAndBatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     3, [[0, 2], [4, 6], [8]]),
    ('D.range(5).apply(tf.data.experimental.group_by_window(lambda x: x % 2, lambda k, w: w.batch(2), 2))',
     '<_GroupByWindowDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     -2, [[0, 2], [1, 3], [4]]),
    ('D.range(5).batch(2).apply(tf.data.experimental.unbatch())',
     '<_UnbatchDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1, 2, 3, 4]),
    ('tf.data.experimental.Counter(3).take(2)',
     '<_TakeDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     2, [3, 4]),
    ('D.range(6).window(2).take(2).flat_map(lambda w: w.batch(2))',
     '<_FlatMapDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>',
     -2, [[0, 1], [2, 3]]),
    ('D.range(6).window(3).filter(lambda w: True).flat_map(lambda w: w)',
     '<_FlatMapDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1, 2, 3, 4, 5]),
    ('D.range(3).interleave(lambda x: D.from_tensors(x).repeat(2), cycle_length=2, num_parallel_calls=2)',
     '<_ParallelInterleaveDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>',
     -2, [0, 1, 0, 1, 2, 2]),
]

@pytest.mark.parametrize("code,text,cardinality,elements", PIPELINES,
                         ids=[p[0][:60] for p in PIPELINES])
def test_pipeline_matches_tensorflow(code, text, cardinality, elements):
    dataset = eval(code)
    assert repr(dataset) == text
    assert int(dataset.cardinality()) == cardinality
    assert [plain(e) for e in dataset.as_numpy_iterator()] == elements


# (statements, error class, message), recorded from TF 2.21. Two messages are kept to
# their start: TensorFlow's fused map-and-batch reports the mismatching shapes in the
# order its parallel calls finish, and a generator's error carries a Python traceback.
ERRORS = [
    ('it = iter(D.from_tensor_slices([1, 2])); it.get_next(); it.get_next(); it.get_next()',
     OutOfRangeError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} End of sequence [Op:IteratorGetNext] name: '),
    ('it = iter(D.from_tensor_slices(([1], [2.0]))); it.get_next(); it.get_next()',
     OutOfRangeError, '{{function_node __wrapped__IteratorGetNext_output_types_2_device_/job:localhost/replica:0/task:0/device:CPU:0}} End of sequence [Op:IteratorGetNext] name: '),
    ('it = iter(D.range(1)); next(it); next(it)',
     StopIteration, ''),
    ('o = iter(D.range(0)).get_next_as_optional(); o.get_value()',
     InvalidArgumentError, '{{function_node __wrapped__OptionalGetValue_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} The given optional does not have a value. [Op:OptionalGetValue] name: '),
    ('o = tf.data.experimental.Optional.empty(tf.TensorSpec((2,), tf.float32)); o.get_value()',
     InvalidArgumentError, '{{function_node __wrapped__OptionalGetValue_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} The given optional does not have a value. [Op:OptionalGetValue] name: '),
    ('list(D.range(5).map(lambda x: tf.fill([x], x)).batch(2))',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Cannot add tensor to the batch: number of elements does not match. Shapes are: [tensor]: [1], [batch]: [0] [Op:IteratorGetNext] name: '),
    ('list(D.range(5).map(lambda x: (x, tf.fill([x + 1, 2], x))).batch(3))',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_2_device_/job:localhost/replica:0/task:0/device:CPU:0}} Cannot add tensor to the batch: number of elements does not match. Shapes are: '),
    ('list(D.range(5).map(lambda x: tf.fill([2, x + 1], x)).batch(3))',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Cannot add tensor to the batch: number of elements does not match. Shapes are: [tensor]: [2,2], [batch]: [2,1] [Op:IteratorGetNext] name: '),
    ('list(D.from_generator(lambda: iter([[1, 2], [[3, 4]]]), output_types=tf.int32).batch(2))',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Cannot batch tensors with different shapes in component 0. First element had shape [2] and element 1 had shape [1,2]. [Op:IteratorGetNext] name: '),
    ('list(D.from_generator(lambda: iter([(1, [1, 2]), (2, [3, 4]), (3, [5])]), output_types=(tf.int32, tf.int32)).batch(3))',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_2_device_/job:localhost/replica:0/task:0/device:CPU:0}} Cannot batch tensors with different shapes in component 1. First element had shape [2] and element 2 had shape [1]. [Op:IteratorGetNext] name: '),
    ('list(D.from_generator(lambda: iter([[1, 2], [3]]), output_types=tf.int32).batch(2).as_numpy_iterator())',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Cannot batch tensors with different shapes in component 0. First element had shape [2] and element 1 had shape [1]. [Op:IteratorGetNext] name: '),
    ('D.range(8).batch(0)',
     InvalidArgumentError, '{{function_node __wrapped__BatchDatasetV2_device_/job:localhost/replica:0/task:0/device:CPU:0}} Batch size must be greater than zero. [Op:BatchDatasetV2] name: '),
    ('D.range(5).shuffle(0)',
     InvalidArgumentError, '{{function_node __wrapped__ShuffleDatasetV3_device_/job:localhost/replica:0/task:0/device:CPU:0}} buffer_size must be greater than zero or UNKNOWN_CARDINALITY [Op:ShuffleDatasetV3] name: '),
    ('D.range(5).prefetch(-5)',
     InvalidArgumentError, '{{function_node __wrapped__PrefetchDataset_device_/job:localhost/replica:0/task:0/device:CPU:0}} buffer_size must be >= 0 or set buffer_size to be -1 for auto-tuning [Op:PrefetchDataset] name: '),
    ('D.range(3).unbatch()',
     ValueError, 'Cannot unbatch an input with scalar components.'),
    ('list(D.range(3).map(lambda x: (tf.fill([x], x), tf.fill([2], x))).unbatch())',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_2_device_/job:localhost/replica:0/task:0/device:CPU:0}} Input element must have the same batch size in each component. Component 0 had size 0 but component 1 had size, 2. [Op:IteratorGetNext] name: '),
    ('list(D.range(10).filter(lambda x: x))',
     ValueError, 'Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its return type is TensorSpec(shape=(), dtype=tf.int64, name=None).'),
    ('list(D.range(10).filter(lambda x: tf.constant([True, False])))',
     ValueError, 'Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its return type is TensorSpec(shape=(2,), dtype=tf.bool, name=None).'),
    ('D.zip(D.range(2), 1)',
     TypeError, "Invalid input to `zip`. Inputs are expected to be (nested) structures of `tf.data.Dataset` objects but encountered object of type <class 'int'>."),
    ('list(D.range(4).map(lambda x: tf.fill([x], x)).padded_batch(4, padded_shapes=[2]))',
     DataLossError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Attempted to pad to a smaller size than the input element. [Op:IteratorGetNext] name: '),
    ('list(D.from_generator(lambda: iter([[1, 2], [3]]), output_signature=tf.TensorSpec(shape=(2,), dtype=tf.int32)))',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} TypeError: `generator` yielded an element of shape (1,) where an element of shape (2,) was expected.'),
    ('D.range(5).apply(lambda d: 3)',
     TypeError, "`transformation_func` must return a `tf.data.Dataset` object. Got <class 'int'>."),
    ('D.from_tensor_slices([1.0, 2.0]).unique()',
     TypeError, "`tf.data.Dataset.unique` does not support type <dtype: 'float32'> -- only `tf.int32`, `tf.int64`, and `tf.string` are supported."),
    ('D.from_tensor_slices(([1], [2])).unique()',
     InvalidArgumentError, '{{function_node __wrapped__UniqueDataset_device_/job:localhost/replica:0/task:0/device:CPU:0}} UniqueDataset only supports inputs with a single component. [Op:UniqueDataset] name: '),
    ('list(D.range(10).take_while(lambda x: x))',
     ValueError, 'Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor but its return type isTensorSpec(shape=(), dtype=tf.int64, name=None).'),
    ('D.range(10).shard(3, 3)',
     InvalidArgumentError, '{{function_node __wrapped__ShardDataset_device_/job:localhost/replica:0/task:0/device:CPU:0}} Index must be between 0 and 2 (currently index = 3). [Op:ShardDataset] name: '),
    ('D.range(10).shard(0, 0)',
     InvalidArgumentError, '{{function_node __wrapped__ShardDataset_device_/job:localhost/replica:0/task:0/device:CPU:0}} Number of shards must be greater than zero (currently num_shards = 0). [Op:ShardDataset] name: '),
    ('D.range(10).shard(3, -1)',
     InvalidArgumentError, '{{function_node __wrapped__ShardDataset_device_/job:localhost/replica:0/task:0/device:CPU:0}} Index must be between 0 and 2 (currently index = -1). [Op:ShardDataset] name: '),
    ('D.range(3).get_single_element()',
     InvalidArgumentError, '{{function_node __wrapped__DatasetToSingleElement_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Dataset had more than one element. [Op:DatasetToSingleElement] name: '),
    ('D.range(0).get_single_element()',
     InvalidArgumentError, '{{function_node __wrapped__DatasetToSingleElement_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Dataset was empty. [Op:DatasetToSingleElement] name: '),
    ('D.range(3).rebatch(2)',
     ValueError, 'Invalid `batch_sizes`. Expected dataset with rank of >= 1 but found a dataset with scalar elements. Fix the issue by adding the `batch` transformation to the dataset.'),
    ('D.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(10))',
     ValueError, 'Either the `window_size` argument or the `window_size_func` argument must be specified.'),
    ('D.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(10), window_size=2, window_size_func=lambda k: 2)',
     ValueError, 'Either the `window_size` argument or the `window_size_func` argument must be specified.'),
    ('D.range(3).bucket_by_sequence_length(lambda e: 1, [3], [2])',
     ValueError, '`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but `len(bucket_batch_sizes)=1` and `len(bucket_boundaries)=1`.'),
    ('list(D.choose_from_datasets([D.range(2)], D.range(2)))',
     InvalidArgumentError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Selector index out of range: 1 >= 1 [Op:IteratorGetNext] name: '),
    ('D.choose_from_datasets([D.range(2)], D.range(2).map(lambda x: tf.cast(x, tf.int32)))',
     TypeError, 'Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar `tf.int64` tensors but are TensorSpec(shape=(), dtype=tf.int32, name=None).'),
    ('D.sample_from_datasets([D.range(2), D.range(3).map(lambda x: tf.cast(x, tf.int32))])',
     TypeError, 'Invalid `datasets`. `datasets` must have compatible element specs.\n Dataset 0 element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None).\nDataset 1 element_spec=TensorSpec(shape=(), dtype=tf.int32, name=None).'),
    ('list(D.range(10).filter(lambda x: True).apply(tf.data.experimental.assert_cardinality(5)))',
     FailedPreconditionError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Input dataset was expected to contain 5 elements but contained at least 6 elements. [Op:IteratorGetNext] name: '),
    ('list(D.range(3).filter(lambda x: True).apply(tf.data.experimental.assert_cardinality(5)))',
     FailedPreconditionError, '{{function_node __wrapped__IteratorGetNext_output_types_1_device_/job:localhost/replica:0/task:0/device:CPU:0}} Input dataset was expected to contain 5 elements but contained only 3 elements. [Op:IteratorGetNext] name: '),
    ('len(D.range(3).apply(tf.data.experimental.assert_cardinality(tf.data.INFINITE_CARDINALITY)))',
     TypeError, 'The dataset is infinite.'),
]


PREFIX_ONLY = {ERRORS[6][0], ERRORS[20][0]}


@pytest.mark.parametrize("code,error_class,message", ERRORS,
                         ids=[e[0][:60] for e in ERRORS])
def test_error_matches_tensorflow(code, error_class, message):
    with pytest.raises(error_class) as caught:
        exec(code, {"tf": tf, "D": D, "np": np})
    if code in PREFIX_ONLY:
        assert str(caught.value).startswith(message)
    else:
        assert str(caught.value) == message


def test_iterator_get_next_and_optional():
    iterator = iter(D.from_tensor_slices([1]))
    optional = iterator.get_next_as_optional()
    assert bool(optional.has_value()) and int(optional.get_value()) == 1
    assert repr(optional.element_spec) == "TensorSpec(shape=(), dtype=tf.int32, name=None)"
    empty = iterator.get_next_as_optional()
    assert not bool(empty.has_value())
    assert repr(empty.element_spec) == "TensorSpec(shape=(), dtype=tf.int32, name=None)"
    value = tf.data.experimental.Optional.from_value({"a": 1, "b": (2.0, "x")}).get_value()
    assert (int(value["a"]), float(value["b"][0]), value["b"][1].numpy()) == (1, 2.0, b"x")
    assert tf.data.experimental.get_next_as_optional(iter(D.range(1))).get_value().dtype \
        == tf.int64


def test_experimental_namespace_constants_and_cardinality():
    experimental = tf.data.experimental
    assert (experimental.AUTOTUNE, experimental.INFINITE_CARDINALITY,
            experimental.UNKNOWN_CARDINALITY) == (-1, -1, -2)
    assert int(experimental.cardinality(D.range(5))) == 5
    assert int(experimental.cardinality(D.range(5).filter(lambda x: True))) == -2
    assert int(experimental.get_single_element(D.range(4, 5))) == 4
    assert repr(experimental.sample_from_datasets([D.range(1)])) == \
        "<_RangeDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"


# Reprs of sources and transformations as TF 2.21 prints them.
SPEC = "TensorSpec(shape=(), dtype=tf.int64, name=None)"
REPRS = [
    ("D.from_generator(lambda: iter([1]), output_types=tf.int64, output_shapes=())",
     f"<_FlatMapDataset element_spec={SPEC}>"),
    ("D.range(5).interleave(D.from_tensors, num_parallel_calls=2)",
     f"<_ParallelInterleaveDataset element_spec={SPEC}>"),
    ("D.range(5).interleave(D.from_tensors)", f"<_InterleaveDataset element_spec={SPEC}>"),
    ("D.range(5).counter()", f"<_ScanDataset element_spec={SPEC}>"),
    ("D.range(5).unique()", f"<_UniqueDataset element_spec={SPEC}>"),
    ("D.range(5).shard(2, 0)", f"<_ShardDataset element_spec={SPEC}>"),
    ("D.range(5).ignore_errors()", f"<_IgnoreErrorsDataset element_spec={SPEC}>"),
    ("D.sample_from_datasets([D.range(1), D.range(2)])",
     f"<_DirectedInterleaveDataset element_spec={SPEC}>"),
    ("D.range(5).apply(tf.data.experimental.shuffle_and_repeat(5, 2, seed=1))",
     f"<_ShuffleAndRepeatDataset element_spec={SPEC}>"),
    ("D.random(seed=4).take(3)", f"<_TakeDataset element_spec={SPEC}>"),
]


@pytest.mark.parametrize("code,text", REPRS)
def test_repr_matches_tensorflow(code, text):
    assert repr(eval(code)) == text


def test_windows_pass_through_take_and_filter():
    windows = D.range(4).window(2).filter(lambda w: True).take(2)
    listed = list(windows)
    assert [repr(w) for w in listed] == [
        "<_VariantDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"] * 2
    assert [list(w.as_numpy_iterator()) for w in listed] == [[0, 1], [2, 3]]
    pairs = D.from_tensor_slices((np.arange(4), np.arange(4) * 10)).window(2).flat_map(
        lambda a, b: D.zip((a.batch(2), b.batch(2))))
    assert [plain(e) for e in pairs.as_numpy_iterator()] == [([0, 1], [0, 10]),
                                                             ([2, 3], [20, 30])]


def test_sample_from_datasets_draws_every_element_once():
    sampled = D.sample_from_datasets([D.range(3), D.range(100, 103)], weights=[0.5, 0.5],
                                     seed=1)
    assert sorted(plain(list(sampled.as_numpy_iterator()))) == [0, 1, 2, 100, 101, 102]
    assert plain(list(sampled.as_numpy_iterator())) == plain(list(sampled.as_numpy_iterator()))
    # A weight of 0 never draws its dataset (the draws would go on forever after the
    # first dataset ends, as in TensorFlow: take just its elements).
    only_first = D.sample_from_datasets([D.range(3), D.range(100, 103)], weights=[1.0, 0.0])
    assert plain(list(only_first.take(3).as_numpy_iterator())) == [0, 1, 2]
    stops = D.sample_from_datasets([D.range(0), D.range(5)], stop_on_empty_dataset=True,
                                   weights=[1.0, 0.0])
    assert list(stops.as_numpy_iterator()) == []


def test_random_is_repeatable_with_a_seed():
    values = D.random(seed=4).take(5)
    first = plain(list(values.as_numpy_iterator()))
    assert first == plain(list(values.as_numpy_iterator()))
    assert len(set(first)) == 5 and all(v >= 0 for v in first)
    rerandomized = D.random(seed=4, rerandomize_each_iteration=True).take(5)
    assert plain(list(rerandomized.as_numpy_iterator())) != \
        plain(list(rerandomized.as_numpy_iterator()))


def test_map_may_return_a_dataset():
    # Recorded from TF 2.21: a map over windows keeps the windows as datasets.
    mapped = D.range(4).window(2).map(lambda w: w)
    assert repr(mapped) == ("<_MapDataset element_spec=DatasetSpec(TensorSpec(shape=(), "
                            "dtype=tf.int64, name=None), TensorShape([]))>")
    flattened = D.range(4).window(2).map(lambda w: w.batch(2)).flat_map(lambda d: d)
    assert [b.numpy().tolist() for b in flattened] == [[0, 1], [2, 3]]


def test_iteration_error_names_the_outermost_element():
    # TF 2.21 names the components of the element the user iterates (2 after the map).
    ds = D.from_generator(lambda: iter([[1, 2], [1, 2], [3]]),
                          output_signature=tf.TensorSpec(shape=(2,), dtype=tf.int32))
    with pytest.raises(InvalidArgumentError) as caught:
        list(ds.map(lambda x: (x, x)))
    assert str(caught.value).startswith(
        "{{function_node __wrapped__IteratorGetNext_output_types_2_device_/job:localhost/"
        "replica:0/task:0/device:CPU:0}} TypeError: `generator` yielded an element of shape "
        "(1,) where an element of shape (2,) was expected.")
