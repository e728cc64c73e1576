import hashlib
import http.server
import io
import os
import socket
import tarfile
import threading
import zipfile

import pytest

from eagerflow.keras.utils.file_utils import get_file

PAYLOAD = b"eagerflow fixture\n" * 100


def _tar_gz(members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class _Server:
    """A loopback HTTP server for fixed files that counts the requests it serves."""

    def __init__(self, files):
        self.files = files
        self.hits = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits += 1
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01},
                                       daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self):
        if not self.thread.is_alive():
            return
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server():
    serving = _Server({"/data.bin": PAYLOAD})
    yield serving
    serving.close()


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(home))
    return home


def test_file_url_lands_in_keras_home(tmp_path, keras_home, capsys):
    source = tmp_path / "plain.txt"
    source.write_bytes(PAYLOAD)
    path = get_file(origin=source.as_uri())
    # Keras's layout: <KERAS_HOME>/datasets/<name from the URL>
    assert path == os.path.join(str(keras_home), "datasets", "plain.txt")
    with open(path, "rb") as file:
        assert file.read() == PAYLOAD
    assert f"Downloading data from {source.as_uri()}" in capsys.readouterr().out
    assert os.listdir(keras_home / "datasets") == ["plain.txt"]  # no temporary left


def test_http_download_is_cached(server, tmp_path):
    path = get_file("renamed.bin", server.url("/data.bin"), cache_dir=tmp_path,
                    cache_subdir="things")
    assert path == os.path.join(str(tmp_path), "things", "renamed.bin")
    again = get_file("renamed.bin", server.url("/data.bin"), cache_dir=tmp_path,
                     cache_subdir="things")
    assert again == path and server.hits == 1


@pytest.mark.parametrize("algorithm", ["sha256", "md5"])
def test_cached_file_with_matching_hash_is_reused(server, tmp_path, algorithm):
    digest = hashlib.new(algorithm, PAYLOAD).hexdigest()
    get_file(origin=server.url("/data.bin"), file_hash=digest, cache_dir=tmp_path)
    get_file(origin=server.url("/data.bin"), file_hash=digest, cache_dir=tmp_path)
    assert server.hits == 1


def test_md5_hash_argument(server, tmp_path):
    path = get_file(origin=server.url("/data.bin"), md5_hash=hashlib.md5(PAYLOAD).hexdigest(),
                    cache_dir=tmp_path)
    assert os.path.getsize(path) == len(PAYLOAD)


def test_stale_cached_file_is_downloaded_again(server, tmp_path, capsys):
    target = tmp_path / "datasets" / "data.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"truncated")
    digest = hashlib.sha256(PAYLOAD).hexdigest()
    get_file(origin=server.url("/data.bin"), file_hash=digest, cache_dir=tmp_path)
    assert server.hits == 1 and target.read_bytes() == PAYLOAD
    assert "so we will re-download the data" in capsys.readouterr().out


def test_hash_mismatch_raises_and_caches_nothing(server, tmp_path):
    wrong = "0" * 64
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected. The auto "
                                         f"file hash does not match the provided value of {wrong}"):
        get_file(origin=server.url("/data.bin"), file_hash=wrong, cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


def test_force_download(server, tmp_path):
    get_file(origin=server.url("/data.bin"), cache_dir=tmp_path)
    get_file(origin=server.url("/data.bin"), cache_dir=tmp_path, force_download=True)
    assert server.hits == 2


def test_http_error_names_url(server, tmp_path):
    url = server.url("/missing.bin")
    with pytest.raises(OSError, match=f"URL fetch failure on {url}: 404"):
        get_file(origin=url, cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


def _unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_offline_without_cache_names_url_and_cache_path(tmp_path):
    url = f"http://127.0.0.1:{_unused_port()}/data.bin"
    target = os.path.join(str(tmp_path), "datasets", "data.bin")
    with pytest.raises(OSError) as info:
        get_file(origin=url, cache_dir=tmp_path)
    message = str(info.value)
    assert f"URL fetch failure on {url}" in message
    assert f"no cached copy at '{target}'" in message


def test_offline_with_cache_uses_it_and_force_keeps_it(server, tmp_path):
    url = server.url("/data.bin")
    path = get_file(origin=url, cache_dir=tmp_path)
    server.close()
    assert get_file(origin=url, cache_dir=tmp_path) == path
    with pytest.raises(OSError, match="keeping the cached copy"):
        get_file(origin=url, cache_dir=tmp_path, force_download=True)
    with open(path, "rb") as file:
        assert file.read() == PAYLOAD


def test_extract_tar_gz_from_url_name(tmp_path):
    source = tmp_path / "bundle.tar.gz"
    source.write_bytes(_tar_gz({"bundle/a.txt": b"A", "bundle/b.txt": b"B"}))
    cache = tmp_path / "cache"
    path = get_file(origin=source.as_uri(), extract=True, cache_dir=cache)
    # Keras's layout: the archive is kept as <name>_archive, extracted into <name>/
    assert path == os.path.join(str(cache), "datasets", "bundle.tar.gz")
    assert os.path.isfile(path + "_archive")
    with open(os.path.join(path, "bundle", "b.txt"), "rb") as file:
        assert file.read() == b"B"


def test_extract_zip_with_fname(server, tmp_path):
    server.files["/pack.zip"] = _zip({"pack/x.txt": b"X"})
    with_dot = get_file("pack.zip", server.url("/pack.zip"), extract=True, cache_dir=tmp_path)
    assert with_dot == os.path.join(str(tmp_path), "datasets", "pack_extracted")
    assert os.path.isfile(os.path.join(str(tmp_path), "datasets", "pack.zip"))
    no_dot = get_file("pack", server.url("/pack.zip"), extract=True, cache_dir=tmp_path)
    assert no_dot == os.path.join(str(tmp_path), "datasets", "pack")
    with open(os.path.join(no_dot, "pack", "x.txt"), "rb") as file:
        assert file.read() == b"X"


def test_untar(tmp_path):
    source = tmp_path / "old.tar.gz"
    source.write_bytes(_tar_gz({"old.txt": b"O"}))
    path = get_file("old", source.as_uri(), untar=True, cache_dir=tmp_path / "cache")
    assert os.path.isfile(os.path.join(path, "old.txt"))


@pytest.mark.parametrize("builder", [_tar_gz, _zip])
def test_extract_refuses_escaping_members(tmp_path, builder):
    source = tmp_path / "evil.archive"
    source.write_bytes(builder({"good.txt": b"G", "../escaped.txt": b"E"}))
    cache = tmp_path / "cache"
    with pytest.warns(UserWarning, match="Skipping invalid path during archive extraction: "
                                         "'../escaped.txt'"):
        path = get_file("evil", source.as_uri(), extract=True, cache_dir=cache)
    assert os.listdir(path) == ["good.txt"]
    assert not (cache / "datasets" / "escaped.txt").exists()


def test_extract_refuses_escaping_symlink(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        link = tarfile.TarInfo("link")
        link.type = tarfile.SYMTYPE
        link.linkname = "../../outside"
        archive.addfile(link)
    source = tmp_path / "links.tar"
    source.write_bytes(buffer.getvalue())
    with pytest.warns(UserWarning, match="'link'"):
        path = get_file("links", source.as_uri(), extract=True, cache_dir=tmp_path / "cache")
    assert os.listdir(path) == []


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match='Please specify the "origin" argument'):
        get_file("x")
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        get_file(os.path.join("a", "b"), "file:///nowhere/b", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="Can't parse the file name"):
        get_file(origin="http://127.0.0.1/", cache_dir=tmp_path)
