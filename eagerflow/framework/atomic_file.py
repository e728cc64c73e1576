"""Atomic file writes: a temporary file in the target's folder, renamed over the target.

A failure (or a crash) midway leaves an existing file whole, and no temporary file behind
when Python is still running to remove it.
"""

import contextlib
import os
import stat
import tempfile


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def match_permissions(temporary, target, directory=False):
    """Gives `temporary` (which `tempfile` made private to its owner) the permissions of
    the `target` it will replace, or those of a new file (or folder) under the umask."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = (0o777 if directory else 0o666) & ~_umask()
    os.chmod(temporary, mode)


@contextlib.contextmanager
def atomic_write(filepath, suffix=""):
    """Yields the path of a temporary file to write; on a clean exit it replaces
    `filepath`, on an error it is removed and `filepath` is left as it was."""
    folder = os.path.dirname(os.path.abspath(filepath))
    handle, temporary = tempfile.mkstemp(suffix=suffix, prefix=".tmp-", dir=folder)
    os.close(handle)
    try:
        yield temporary
        match_permissions(temporary, filepath)
        os.replace(temporary, filepath)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
