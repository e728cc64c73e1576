"""Attention layers: `MultiHeadAttention`, `Attention`, `AdditiveAttention`."""

from eagerflow.keras.layers.attention.attention import (  # noqa: F401
    AdditiveAttention, Attention)
from eagerflow.keras.layers.attention.multi_head_attention import (  # noqa: F401
    MultiHeadAttention)
from eagerflow.keras.layers.attention.grouped_query_attention import (  # noqa: F401
    GroupedQueryAttention)
