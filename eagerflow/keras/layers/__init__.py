"""`keras.layers`, and `serialize` / `deserialize` of layers in Keras 3's format."""

import inspect

from eagerflow.keras.layers.activation import Activation  # noqa: F401
from eagerflow.keras.layers.activations import (  # noqa: F401
    ELU, LeakyReLU, PReLU, ReLU, Softmax)
from eagerflow.keras.layers.attention import (  # noqa: F401
    AdditiveAttention, Attention, MultiHeadAttention)
from eagerflow.keras.layers.convolutional import (  # noqa: F401
    Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, DepthwiseConv1D, DepthwiseConv2D,
    SeparableConv1D, SeparableConv2D)
from eagerflow.keras.layers.dense import Dense  # noqa: F401
from eagerflow.keras.layers.einsum_dense import EinsumDense  # noqa: F401
from eagerflow.keras.layers.embedding import Embedding  # noqa: F401
from eagerflow.keras.layers.reversible_embedding import ReversibleEmbedding  # noqa: F401
from eagerflow.keras.layers.masking import Masking  # noqa: F401
from eagerflow.keras.layers.rnn import (  # noqa: F401
    GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell,
    StackedRNNCells, TimeDistributed)
from eagerflow.keras.layers.input_layer import Input, InputLayer  # noqa: F401
from eagerflow.keras.layers.input_spec import InputSpec  # noqa: F401
from eagerflow.keras.layers.lambda_layer import Identity, Lambda  # noqa: F401
from eagerflow.keras.layers.layer import Layer  # noqa: F401
from eagerflow.keras.layers.merging import (  # noqa: F401
    Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add, average,
    concatenate, dot, maximum, minimum, multiply, subtract)
from eagerflow.keras.layers.normalization import (  # noqa: F401
    BatchNormalization, GroupNormalization, LayerNormalization, RMSNormalization,
    SpectralNormalization, UnitNormalization)
from eagerflow.keras.layers.preprocessing import (  # noqa: F401
    CategoryEncoding, Discretization, Hashing, IntegerLookup, Normalization, StringLookup,
    TextVectorization)
from eagerflow.keras.layers.regularization import (  # noqa: F401
    ActivityRegularization, AlphaDropout, Dropout, GaussianDropout, GaussianNoise,
    SpatialDropout1D, SpatialDropout2D, SpatialDropout3D)
from eagerflow.keras.layers.preprocessing.image_augmentation import (  # noqa: F401
    RandomBrightness, RandomContrast, RandomCrop, RandomFlip, RandomRotation,
    RandomTranslation, RandomZoom)
from eagerflow.keras.layers.preprocessing.image_preprocessing import (  # noqa: F401
    CenterCrop, Rescaling, Resizing)
from eagerflow.keras.layers.pooling import (  # noqa: F401
    AveragePooling1D, AveragePooling2D, AveragePooling3D, GlobalAveragePooling1D,
    GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D,
    GlobalMaxPooling3D, MaxPooling1D, MaxPooling2D, MaxPooling3D)
from eagerflow.keras.layers.pooling import (  # noqa: F401
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D)
from eagerflow.keras.layers.wrapper import Wrapper  # noqa: F401
from eagerflow.keras.layers.convolutional import Conv3DTranspose  # noqa: F401
from eagerflow.keras.layers.attention import GroupedQueryAttention  # noqa: F401
from eagerflow.keras.layers.rnn import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D  # noqa: F401
from eagerflow.keras.layers.preprocessing import (  # noqa: F401
    AugMix, AutoContrast, CutMix, Equalization, HashedCrossing, MelSpectrogram, MixUp,
    Pipeline, RandAugment, RandomColorDegeneration, RandomColorJitter, RandomElasticTransform,
    RandomErasing, RandomGaussianBlur, RandomGrayscale, RandomHue, RandomInvert,
    RandomPerspective, RandomPosterization, RandomSaturation, RandomSharpness, RandomShear,
    Solarization)
from eagerflow.keras.layers.reshaping import (  # noqa: F401
    Cropping1D, Cropping2D, Cropping3D, Flatten, Permute, RepeatVector, Reshape, UpSampling1D,
    UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D)

# Keras's other names for the same classes (`AvgPool2D is AveragePooling2D`).
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = (
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose = Conv1DTranspose, Conv2DTranspose
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
Convolution3DTranspose = Conv3DTranspose
GroupQueryAttention = GroupedQueryAttention


def _builtin_classes():
    """Every Layer (and Model) class defined in eagerflow.keras, by class name."""
    found, stack = {}, [Layer]
    while stack:
        cls = stack.pop()
        if cls.__module__.startswith("eagerflow.keras.") and not cls._is_operation \
                and not cls.__name__.startswith("_"):
            found.setdefault(cls.__name__, cls)
        stack.extend(cls.__subclasses__())
    return found


def serialize(layer):
    """The dict Keras 3 writes for `layer`: module, class name, config, build config.

    >>> from eagerflow import keras
    >>> keras.layers.serialize(keras.layers.Dropout(0.5, name="drop"))["config"]["rate"]
    0.5
    """
    from eagerflow.keras.saving.object_registration import get_registered_name
    from eagerflow.keras.serialization_lib import module_of
    cls = type(layer)
    if layer._is_operation:  # `x + y` on KerasTensors: Keras's ops
        return {"module": cls.keras_module, "class_name": cls.__name__,
                "config": layer.get_config(), "registered_name": cls.__name__}
    builtin = _builtin_classes().get(cls.__name__) is cls
    module, registered_name = ("keras.layers", None) if builtin else (
        module_of(cls), get_registered_name(cls))
    if builtin and cls.__name__ == "Sequential":
        module = "keras"
    elif builtin and cls.__name__ == "Functional":
        module, registered_name = "keras.src.models.functional", "Functional"
    config = {"module": module, "class_name": cls.__name__, "config": layer.get_config(),
              "registered_name": registered_name}
    shapes = getattr(layer, "_build_shapes", None)
    if layer.built and shapes is not None and not layer._is_input_layer:
        config["build_config"] = layer.get_build_config()  # {"shapes_dict": ...} for some
    return config


def deserialize(config, custom_objects=None):
    """A new layer from `serialize`'s dict (built when the dict says how)."""
    from eagerflow.keras.serialization_lib import (
        class_not_found, find_custom_object, not_deserialized)
    from eagerflow.keras.symbolic import OPERATIONS, operation_class
    custom_objects = custom_objects or {}
    name = config.get("class_name")
    if str(config.get("module")).startswith("keras.src.ops."):
        import eagerflow.keras.ops  # noqa: F401  (registers the keras.ops operations)
        if name in OPERATIONS:
            return operation_class(name)(**config.get("config", {}))
    cls = find_custom_object(config, custom_objects) or _builtin_classes().get(name)
    if cls is None:
        raise class_not_found(config)
    try:
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            layer = cls.from_config(config.get("config", {}), custom_objects=custom_objects)
        else:
            layer = cls.from_config(config.get("config", {}))
    except TypeError as error:
        raise not_deserialized(cls, config, error) from error
    build_config = config.get("build_config")
    if build_config and not layer.built:
        if build_config.get("input_shape") is not None:
            build_config = {**build_config,
                            "input_shape": _as_shapes(build_config["input_shape"])}
        layer.build_from_config(build_config)  # or MultiHeadAttention's "shapes_dict"
    return layer


def _as_shapes(value):
    """Shapes read back from a config (lists, after JSON) as tuples."""
    if isinstance(value, (list, tuple)) and all(d is None or isinstance(d, int) for d in value):
        return tuple(value)
    if isinstance(value, dict):
        return {key: _as_shapes(item) for key, item in value.items()}
    return [_as_shapes(item) for item in value]
