"""`tf.nn`."""

from eagerflow.ops.conv_ops import (  # noqa: F401
    conv1d, conv1d_transpose, conv2d, conv2d_transpose, conv3d, convolution, depthwise_conv2d,
    separable_conv2d)
from eagerflow.ops.conv_ops import conv3d_transpose  # noqa: F401
from eagerflow.ops.pool_ops import (  # noqa: F401
    avg_pool, avg_pool1d, avg_pool2d, avg_pool3d, max_pool, max_pool1d, max_pool2d, max_pool3d)
from eagerflow.ops.indexing_ops import embedding_lookup  # noqa: F401
from eagerflow.ops.math_ops import sigmoid, softplus, softsign, tanh  # noqa: F401
from eagerflow.ops.nn_losses import (  # noqa: F401
    compute_average_loss, l2_loss, log_poisson_loss, scale_regularization_loss,
    sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits, weighted_cross_entropy_with_logits)
from eagerflow.ops.nn_ops import (  # noqa: F401
    bias_add, crelu, dropout, elu, gelu, leaky_relu, log_softmax, relu, relu6, selu, silu,
    softmax, swish, zero_fraction)
from eagerflow.ops.sort_ops import in_top_k, top_k  # noqa: F401
from eagerflow.ops.normalization_ops import (  # noqa: F401
    batch_normalization, l2_normalize, local_response_normalization, lrn, moments,
    normalize_moments, sufficient_statistics, weighted_moments)
