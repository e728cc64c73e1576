"""`keras.utils.get_file`: download a file once into the Keras cache, check and extract it.

A download goes to a temporary file beside its target and is renamed into place only
after its hash checks out, so an interrupted or corrupted download never replaces a good
cached copy. Archives are extracted member by member, skipping any whose path (or link
target) would land outside the extraction directory.
"""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile

from eagerflow.framework.atomic_file import match_permissions
from eagerflow.keras.utils.progbar import Progbar

_CHUNK_SIZE = 65535


def _keras_home():
    """`$KERAS_HOME` if set, else `~/.keras`; read at call time so a test can move it."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    return os.path.join(os.path.expanduser("~"), ".keras")


def _writable_dir(base, cache_subdir):
    """`base/cache_subdir`, created; falls back to `<tmp>/.keras` when `base` is read-only."""
    datadir = os.path.join(base, cache_subdir)
    try:
        os.makedirs(datadir, exist_ok=True)
        if os.access(datadir, os.W_OK):
            return datadir
    except PermissionError:
        pass
    datadir = os.path.join(tempfile.gettempdir(), ".keras", cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    return datadir


def resolve_hasher(algorithm, file_hash=None):
    """The hashlib object for `algorithm`; `"auto"` picks sha256 for a 64-character hash."""
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "auto" and file_hash is not None and len(file_hash) == 64:
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath, algorithm="sha256", chunk_size=_CHUNK_SIZE):
    """Calculates a file's sha256 or md5 hash, reading `chunk_size` bytes at a time.

    >>> import os, shutil, tempfile
    >>> scratch = tempfile.mkdtemp()
    >>> path = os.path.join(scratch, "empty")
    >>> open(path, "wb").close()
    >>> hash_file(path)
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    >>> shutil.rmtree(scratch)
    """
    hasher = resolve_hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as file:
        for chunk in iter(lambda: file.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK_SIZE):
    """Whether the file at `fpath` has the sha256 or md5 hash `file_hash`."""
    hasher = resolve_hasher(algorithm, file_hash)
    return str(hash_file(fpath, hasher, chunk_size)) == str(file_hash)


def _inside(base_dir, relative_path):
    """Whether `base_dir/relative_path` resolves to a place inside `base_dir`."""
    path = os.path.realpath(os.path.join(base_dir, relative_path))
    try:
        return os.path.commonpath([path, base_dir]) == base_dir
    except ValueError:  # different drives on Windows
        return False


def _skip(name):
    warnings.warn(f"Skipping invalid path during archive extraction: '{name}'.",
                  stacklevel=3)


def _safe_tar_members(archive, base_dir):
    for info in archive:
        if info.islnk():
            # Hard links resolve from the archive root.
            safe = _inside(base_dir, info.name) and _inside(base_dir, info.linkname)
        elif info.issym():
            # Symlinks resolve from the directory holding the link.
            safe = _inside(base_dir, info.name) and _inside(
                base_dir, os.path.join(os.path.dirname(info.name), info.linkname))
        else:
            safe = _inside(base_dir, info.name)
        if safe:
            yield info
        else:
            _skip(info.name)


def _safe_zip_members(archive, base_dir):
    for info in archive.infolist():
        if _inside(base_dir, info.filename):
            yield info
        else:
            _skip(info.filename)


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (plain, gz, bz2, xz) or zip archive into `path`.

    Members whose path would escape `path` are skipped with a warning.

    Args:
        file_path: Path to the archive file.
        path: Where to extract the archive file.
        archive_format: `"auto"` (tar, then zip), `"tar"`, `"zip"`, a list of these, or
            `None` (extract nothing).

    Returns:
        `True` if a match was found and an archive extraction was completed,
        `False` otherwise.
    """
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    file_path, path = os.fspath(file_path), os.fspath(path)
    for archive_type in archive_format:
        if archive_type == "tar":
            is_match, open_archive = tarfile.is_tarfile, tarfile.open
        elif archive_type == "zip":
            is_match, open_archive = zipfile.is_zipfile, zipfile.ZipFile
        else:
            raise NotImplementedError(archive_type)
        if not is_match(file_path):
            continue
        os.makedirs(path, exist_ok=True)
        base_dir = os.path.realpath(path)
        with open_archive(file_path) as archive:
            try:
                if archive_type == "zip":
                    archive.extractall(path, members=_safe_zip_members(archive, base_dir))
                elif hasattr(tarfile, "data_filter"):
                    # The "data" filter also refuses device files and absolute links.
                    archive.extractall(path, members=_safe_tar_members(archive, base_dir),
                                       filter="data")
                else:
                    archive.extractall(path, members=_safe_tar_members(archive, base_dir))
            except (tarfile.TarError, zipfile.BadZipFile, RuntimeError, KeyboardInterrupt):
                shutil.rmtree(path, ignore_errors=True)
                raise
        return True
    return False


def _download(origin, target):
    """Fetches `origin` into a temporary file next to `target` and returns its path."""
    descriptor, partial = tempfile.mkstemp(dir=os.path.dirname(target),
                                           prefix=f".{os.path.basename(target)}.",
                                           suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as out, urllib.request.urlopen(origin) as response:
            length = response.headers.get("Content-Length")
            progbar = Progbar(int(length) if length else None)
            received = 0
            for chunk in iter(lambda: response.read(_CHUNK_SIZE), b""):
                out.write(chunk)
                received += len(chunk)
                progbar.update(received)
            if length is None or received != int(length):
                progbar.update(received, finalize=True)
    except BaseException:
        os.remove(partial)
        raise
    return partial


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """Downloads a file from a URL if it not already in the cache.

    By default the file at the url `origin` is downloaded to the cache_dir `~/.keras`
    (or `$KERAS_HOME` when that environment variable is set), placed in the cache_subdir
    `datasets`, and given the filename `fname`. The final location of a file
    `example.txt` would therefore be `~/.keras/datasets/example.txt`. Files in `.tar`,
    `.tar.gz`, `.tar.bz`, and `.zip` formats can also be extracted.

    Passing a hash will verify the file after download. The command line programs
    `shasum` and `sha256sum` can compute the hash. A cached file whose hash does not match
    is downloaded again; a download whose hash does not match is discarded.

    Args:
        fname: If the target is a single file, this is your desired local name for the
            file. If `None`, the name of the file at `origin` will be used. If
            downloading and extracting a directory archive, the provided `fname` will be
            used as extraction directory name (only if it doesn't have an extension).
        origin: Original URL of the file (`https://`, `http://` or `file://`).
        untar: Deprecated in favor of `extract` argument. Boolean, whether the file is a
            tar archive that should be extracted.
        md5_hash: Deprecated in favor of `file_hash` argument. md5 hash of the file for
            file integrity verification.
        file_hash: The expected hash string of the file after download. The sha256 and
            md5 hash algorithms are both supported.
        cache_subdir: Subdirectory under the Keras cache dir where the file is saved. If
            an absolute path, e.g. `"/path/to/folder"` is specified, the file will be
            saved at that location.
        hash_algorithm: Select the hash algorithm to verify the file. Options are
            `"md5"`, `"sha256"`, and `"auto"`. The default `"auto"` detects the hash
            algorithm in use (sha256 for a 64-character hash, else md5).
        extract: If `True`, extracts the archive. Only applicable to compressed archive
            files like tar or zip.
        archive_format: Archive format to try for extracting the file. Options are
            `"auto"`, `"tar"`, `"zip"`, and `None`. `"tar"` includes tar, tar.gz, and
            tar.bz files. The default `"auto"` corresponds to `["tar", "zip"]`. None or
            an empty list will return no matches found.
        cache_dir: Location to store cached files, when None it defaults to
            `$KERAS_HOME` if the `KERAS_HOME` environment variable is set or `~/.keras/`.
        force_download: If `True`, the file will always be re-downloaded regardless of
            the cache state.

    Returns:
        Path to the downloaded file, or to the extraction directory when extracting.

    Raises:
        ValueError: without `origin`, with a path as `fname`, or when the downloaded
            file's hash does not match `file_hash`.
        OSError: when the download fails; the message names the URL and the cache path.

    >>> import os, pathlib, shutil, tempfile
    >>> scratch = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (scratch / "hello.txt").write_text("hello")
    >>> path = get_file(origin=(scratch / "hello.txt").as_uri(),
    ...                 cache_dir=scratch / "cache")  # doctest: +ELLIPSIS
    Downloading data from file://...hello.txt
    ...
    >>> os.path.relpath(path, scratch), open(path).read()
    ('cache/datasets/hello.txt', 'hello')
    >>> shutil.rmtree(scratch)
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file '
                         "to download).")
    if cache_dir is None:
        cache_dir = _keras_home()
    if md5_hash is not None and file_hash is None:
        file_hash = md5_hash
        hash_algorithm = "md5"
    datadir = _writable_dir(os.path.expanduser(os.fspath(cache_dir)), cache_subdir)

    provided_fname = fname
    fname = os.fspath(fname) if fname is not None else None
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError("Can't parse the file name from the origin provided: "
                             f"'{origin}'.Please specify the `fname` argument.")
    elif os.sep in fname:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To "
                         "specify the file's parent directory, use the `cache_dir` "
                         f"argument. Received: fname={fname}")

    if extract or untar:
        if provided_fname and "." in fname:
            download_target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[:fname.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            download_target = os.path.join(datadir, f"{fname}_archive")
    else:
        download_target = os.path.join(datadir, fname)

    download = True
    if not force_download and os.path.exists(download_target):
        download = False
        if file_hash is not None and not validate_file(download_target, file_hash,
                                                       algorithm=hash_algorithm):
            print("A local file was found, but it seems to be incomplete or outdated "
                  f"because the {hash_algorithm} file hash does not match the original "
                  f"value of {file_hash} so we will re-download the data.")
            download = True

    if download:
        print(f"Downloading data from {origin}")
        try:
            partial = _download(origin, download_target)
        except urllib.error.HTTPError as err:
            raise OSError(_fetch_failure(origin, err.code, err.msg, download_target)) from err
        except urllib.error.URLError as err:
            raise OSError(_fetch_failure(origin, err.errno, err.reason,
                                         download_target)) from err
        if file_hash is not None and not validate_file(partial, file_hash,
                                                       algorithm=hash_algorithm):
            os.remove(partial)
            raise ValueError(f"Incomplete or corrupted file detected. The {hash_algorithm} "
                             f"file hash does not match the provided value of {file_hash}.")
        match_permissions(partial, download_target)
        os.replace(partial, download_target)

    if extract or untar:
        if untar:
            archive_format = "tar"
        if not extract_archive(download_target, extraction_dir, archive_format):
            warnings.warn("Could not extract archive.", stacklevel=2)
        return extraction_dir
    return download_target


def _fetch_failure(origin, code, reason, download_target):
    where = ("keeping the cached copy at" if os.path.exists(download_target)
             else "and there is no cached copy at")
    return f"URL fetch failure on {origin}: {code} -- {reason}; {where} '{download_target}'."
