"""``kikan run`` answers an untestable target with one clear line and no traceback."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kikan.cli import main


class _Html(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"<html><body>a web page</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def html_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Html)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_refused_connection_is_one_line(capsys, tmp_path) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    code = main(["run", "--target", url, "--client-id", "x", "--client-secret", "y", "--out", str(tmp_path)])
    line = _one_error_line(capsys)
    assert code == 2
    assert "接続できません" in line and "cannot connect" in line and "Connection refused" in line


def test_non_api_url_is_one_line(capsys, html_server, tmp_path) -> None:
    code = main(
        ["run", "--target", html_server, "--client-id", "x", "--client-secret", "y", "--out", str(tmp_path)]
    )
    line = _one_error_line(capsys)
    assert code == 2
    assert "APIではありません" in line and "not a conformance API" in line


def test_missing_credentials_is_one_line(capsys, html_server) -> None:
    assert main(["run", "--target", html_server]) == 2
    assert "credentials" in _one_error_line(capsys)


def test_bad_url_is_one_line(capsys) -> None:
    assert main(["run", "--target", "ftp://example", "--token", "t"]) == 2
    assert "URL" in _one_error_line(capsys)
