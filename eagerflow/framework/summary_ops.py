"""`tf.summary.scalar`, `histogram`, `image`, `text` and `trace_export`: TensorBoard's v2
summaries.

Each writes one `Summary.Value` the way TensorFlow 2.21 does: a tensor (float32 scalar,
float64 `[buckets, 3]` histogram, string `[width, height, png...]` images, string text, a
serialized RunMetadata of traced graphs) with its plugin's metadata. The values leave the
tensor world here, as serialized bytes, so the bucketing and PNG encoding work on NumPy
arrays.
"""

import functools
import logging
import struct
import warnings
import zlib

import numpy as np

from eagerflow.framework import dtypes
from eagerflow.framework.errors import InvalidArgumentError, UnimplementedError
from eagerflow.framework.function import graph_def
from eagerflow.framework.summary_writer import _recording, recorded, tensorboard_protos, write
from eagerflow.framework.tensor import convert_to_tensor

DEFAULT_BUCKET_COUNT = 30
# SummaryMetadata.data_class values (TensorBoard's DataClass enum).
_DATA_CLASS_SCALAR, _DATA_CLASS_TENSOR, _DATA_CLASS_BLOB_SEQUENCE = 1, 2, 3
_PNG_COLOR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> gray, gray+alpha, RGB, RGBA
_logger = logging.getLogger("eagerflow")


@functools.lru_cache(maxsize=64)  # the same few per run; a Summary.Value copies it
def _metadata(plugin_name, data_class, description=None, content=b""):
    _, summary_pb2, _, _ = tensorboard_protos()
    metadata = summary_pb2.SummaryMetadata(summary_description=description or "")
    metadata.plugin_data.plugin_name = plugin_name
    metadata.plugin_data.content = content
    # tensorboardX's proto predates the data_class field (number 4, a varint); merged in as
    # an unknown field, it is serialized as TensorFlow writes it.
    metadata.MergeFromString(bytes([4 << 3, data_class]))
    return metadata


def _tensor_proto(array):
    """A TensorProto of a float32, float64 or bytes-object ndarray."""
    _, _, tensor_pb2, _ = tensorboard_protos()
    proto = tensor_pb2.TensorProto()
    proto.tensor_shape.dim.extend(proto.tensor_shape.Dim(size=n) for n in array.shape)
    if array.dtype == object:
        proto.dtype = 7  # DT_STRING
        proto.string_val.extend(array.ravel().tolist())
    else:
        proto.dtype = {np.dtype(np.float32): 1, np.dtype(np.float64): 2}[array.dtype]
        proto.tensor_content = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"),
                                                                    copy=False).tobytes()
    return proto


def _numeric_array(data, target):
    """`data` as an ndarray of `target` ("float"/"double"), or TF's Cast error."""
    dtype = np.float32 if target == "float" else np.float64
    if isinstance(data, (float, int)):  # the common case in training loops, made cheap
        return np.asarray(data, dtype=dtype)
    tensor = convert_to_tensor(data)
    if tensor.dtype == dtypes.string:
        raise UnimplementedError(None, None, f"Cast string to {target} is not supported "
                                             f"[Op:Cast]")
    return np.asarray(tensor.numpy(), dtype=dtype)


def scalar(name, data, step=None, description=None):
    """Writes a scalar summary (cast to float32); returns True if it was recorded.

    >>> bool(tf.summary.scalar("loss", 0.5, step=1))  # no default writer: not recorded
    False

    Raises:
      ValueError: when `data` is not a scalar, or no step is set.
    """
    if not _recording():
        return recorded(False)
    value = _numeric_array(data, "float")
    if value.shape != ():
        raise ValueError(f"Expected scalar shape, saw shape: {value.shape}.")
    return write(name, _tensor_proto(value), step,
                 _metadata("scalars", _DATA_CLASS_SCALAR, description))


def histogram_buckets(values, bucket_count=DEFAULT_BUCKET_COUNT):
    """TensorBoard's histogram of `values` (float64): `[bucket_count, 3]` rows of left
    edge, right edge and count, over `bucket_count` equal buckets from min to max."""
    values = np.asarray(values, dtype=np.float64).ravel()
    bucket_count = max(int(bucket_count), 0)
    if values.size == 0 or bucket_count == 0:
        return np.zeros((bucket_count, 3), np.float64)
    low, high = values.min(), values.max()
    if low == high:  # every value in the last bucket, all edges at the value
        counts = np.zeros(bucket_count, np.float64)
        counts[-1] = values.size
        edges = np.full(bucket_count + 1, low)
    else:
        width = (high - low) / bucket_count
        index = np.minimum(np.floor((values - low) / width).astype(np.int64), bucket_count - 1)
        counts = np.bincount(index, minlength=bucket_count).astype(np.float64)
        edges = low + np.arange(bucket_count + 1, dtype=np.float64) * ((high - low)
                                                                       / bucket_count)
        edges[-1] = high
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def histogram(name, data, step=None, buckets=None, description=None):
    """Writes a histogram summary of `data` over `buckets` (default 30) equal-width
    buckets; returns True if it was recorded."""
    if not _recording():
        return recorded(False)
    table = histogram_buckets(_numeric_array(data, "double"),
                              DEFAULT_BUCKET_COUNT if buckets is None else buckets)
    return write(name, _tensor_proto(table), step,
                 _metadata("histograms", _DATA_CLASS_TENSOR, description))


def _to_uint8(images):
    """Images as uint8 the way `tf.image.convert_image_dtype(..., saturate=True)` does:
    floats scaled by 255.5 and clipped, integers rescaled by their type's range."""
    if images.dtype == np.uint8:
        return images
    if np.issubdtype(images.dtype, np.floating):
        return np.clip(images * 255.5, 0, 255).astype(np.uint8)
    if np.issubdtype(images.dtype, np.integer):
        in_levels = int(np.iinfo(images.dtype).max) + 1
        if in_levels > 256:
            images = images // (in_levels // 256)
        else:
            images = images.astype(np.int64) * (256 // in_levels)
        return np.clip(images, 0, 255).astype(np.uint8)
    raise AttributeError("image dtype must be either floating point or integer")


def encode_png(pixels):
    """PNG bytes of a uint8 `[height, width, channels]` array (1 to 4 channels)."""
    height, width, channels = pixels.shape
    if channels not in _PNG_COLOR_TYPES:
        raise InvalidArgumentError(None, None, f"image must have 1, 2, 3, or 4 channels, got "
                                               f"{channels} [Op:EncodePng]")
    # Each scanline starts with its filter type, 0 (none).
    rows = np.concatenate([np.zeros((height, 1), np.uint8),
                           pixels.reshape(height, width * channels)], axis=1)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, _PNG_COLOR_TYPES[channels], 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes())) + chunk(b"IEND", b""))


def image(name, data, step=None, max_outputs=3, description=None):
    """Writes an image summary of `data`, `[k, height, width, channels]` (channels 1 to 4;
    floats in [0, 1] or integers), as up to `max_outputs` PNG images; returns True if it
    was recorded."""
    if not _recording():
        return recorded(False)
    tensor = convert_to_tensor(data)
    images = np.asarray(tensor.numpy())
    if images.ndim != 4:
        raise ValueError(f"Tensor  must have rank 4.  Received rank {images.ndim}, shape "
                         f"{images.shape}")
    if images.dtype == np.bool_ or tensor.dtype == dtypes.string:
        raise AttributeError("image dtype must be either floating point or integer")
    images = _to_uint8(images[:max(int(max_outputs), 0)])
    height, width = images.shape[1:3]
    encoded = [str(width).encode(), str(height).encode()] + [encode_png(x) for x in images]
    return write(name, _tensor_proto(np.array(encoded, dtype=object)), step,
                 _metadata("images", _DATA_CLASS_BLOB_SEQUENCE, description))


def text(name, data, step=None, description=None):
    """Writes a text summary (a string tensor of any shape; Markdown in TensorBoard);
    returns True if it was recorded.

    Raises:
      TypeError: when `data` is not a string tensor.
    """
    if not _recording():
        return recorded(False)
    tensor = convert_to_tensor(data)
    if tensor.dtype != dtypes.string:
        raise TypeError(f"tensor must be of type tf.string; got {tensor.dtype!r}")
    strings = np.array(tensor.numpy(), dtype=object)
    return write(name, _tensor_proto(strings), step,
                 _metadata("text", _DATA_CLASS_TENSOR, description))


def keras_model(name, config_json, step=None):
    """Writes a Keras model's JSON config for TensorBoard's graph dashboard, as
    `keras.callbacks.TensorBoard(write_graph=True)` does."""
    if not _recording():
        return recorded(False)
    value = np.array([config_json.encode()], dtype=object)
    return write(name, _tensor_proto(value), step,
                 _metadata("graph_keras_model", _DATA_CLASS_BLOB_SEQUENCE, content=b"1"))


_trace = {"on": False, "graph": False}


def trace_on(graph=True, profiler=False, profiler_outdir=None):
    """Starts a trace: the graph of every tf.function traced from now on is kept for
    `trace_export` (a function traced before and only called again is not, as in
    TensorFlow).

    eagerflow has no profiler: `profiler=True` warns, and the graph is still exported.
    """
    if _trace["on"]:
        _logger.warning("Trace already enabled")
        return
    if profiler:
        warnings.warn("tf.summary.trace_on(profiler=True): eagerflow has no profiler; only "
                      "the graph will be exported.", stacklevel=2)
    _trace.update(on=True, graph=bool(graph))
    if graph:
        graph_def.recording.start()


def trace_off():
    """Stops and discards the current trace."""
    _trace.update(on=False, graph=False)
    graph_def.recording.stop()


def trace_export(name, step=None, profiler_outdir=None):
    """Writes the graphs of the functions traced since `trace_on` to the default writer,
    as TensorBoard's graph dashboard reads them (a `graph_run_metadata_graph` summary
    named `name`), and stops the trace.

    Raises:
      ValueError: when no trace was started, or no step is set.
    """
    if not _trace["on"]:
        raise ValueError("Must enable trace before export through tf.summary.trace_on.")
    if _trace["graph"] and _recording():
        metadata = _metadata_without_class("graph_run_metadata_graph", b"1")
        run_metadata = graph_def.run_metadata(graph_def.recording.traces)
        write(name, _tensor_proto(np.array(run_metadata, dtype=object)), step, metadata)
    trace_off()


def _metadata_without_class(plugin_name, content):
    """Plugin metadata with no data class, as TensorFlow writes run metadata."""
    _, summary_pb2, _, _ = tensorboard_protos()
    metadata = summary_pb2.SummaryMetadata()
    metadata.plugin_data.plugin_name = plugin_name
    metadata.plugin_data.content = content
    return metadata
