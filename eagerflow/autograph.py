"""`tf.autograph`."""

import types as _types

from eagerflow.framework.function.autograph import do_not_convert, to_code  # noqa: F401

experimental = _types.SimpleNamespace(do_not_convert=do_not_convert)
