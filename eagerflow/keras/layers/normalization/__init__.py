"""Normalization layers: `BatchNormalization`, `LayerNormalization`, `GroupNormalization`,
`UnitNormalization`."""

from eagerflow.keras.layers.normalization.batch_normalization import (  # noqa: F401
    BatchNormalization)
from eagerflow.keras.layers.normalization.group_normalization import (  # noqa: F401
    GroupNormalization)
from eagerflow.keras.layers.normalization.layer_normalization import (  # noqa: F401
    LayerNormalization)
from eagerflow.keras.layers.normalization.unit_normalization import (  # noqa: F401
    UnitNormalization)
from eagerflow.keras.layers.normalization.rms_normalization import (  # noqa: F401
    RMSNormalization)
from eagerflow.keras.layers.normalization.spectral_normalization import (  # noqa: F401
    SpectralNormalization)
