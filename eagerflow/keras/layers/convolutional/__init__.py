"""Convolution layers."""

from eagerflow.keras.layers.convolutional.base_conv import Conv1D, Conv2D, Conv3D  # noqa: F401
from eagerflow.keras.layers.convolutional.conv_transpose import (  # noqa: F401
    Conv1DTranspose, Conv2DTranspose)
from eagerflow.keras.layers.convolutional.depthwise_conv import (  # noqa: F401
    DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D)
from eagerflow.keras.layers.convolutional.conv3d_transpose import Conv3DTranspose  # noqa: F401
