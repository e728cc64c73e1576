"""`tf.summary`: TensorBoard summaries written to event files.

Writing needs the optional `tensorboardX` package: `pip install eagerflow[tensorboard]`.
"""

import types

from eagerflow.framework.summary_ops import (  # noqa: F401
    histogram, image, scalar, text, trace_export, trace_off, trace_on)
from eagerflow.framework.summary_writer import (  # noqa: F401
    SummaryWriter, create_file_writer, create_noop_writer, get_step, record_if, set_step,
    should_record_summaries, write)

experimental = types.ModuleType("eagerflow.summary.experimental",
                                "`tf.summary.experimental`.")
experimental.__dict__.update(get_step=get_step, set_step=set_step)
