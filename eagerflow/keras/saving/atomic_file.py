"""Atomic file writes: a temporary file in the target's folder, renamed over the target.

A failure (or a crash) midway leaves an existing file whole, and no temporary file behind
when Python is still running to remove it.
"""

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_write(filepath, suffix=""):
    """Yields the path of a temporary file to write; on a clean exit it replaces
    `filepath`, on an error it is removed and `filepath` is left as it was."""
    folder = os.path.dirname(os.path.abspath(filepath))
    handle, temporary = tempfile.mkstemp(suffix=suffix, prefix=".tmp-", dir=folder)
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, filepath)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
