"""A misbehaving HTTP target for project tests: a small threaded socket server on 127.0.0.1.

It answers ``GET /conformance`` and ``POST /oauth/token`` properly (as the fake ``demo`` target
does), so a run gets going, and misbehaves on every other path in one of :data:`MODES`. Every loop
is bounded (by a byte count, a step count and the server's stop event), so a test never leaves a
thread running.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MODES = ("hang", "reset", "html", "huge", "bad_utf8", "drip", "slow_headers")
CLAIMS = {
    "system": {"name": "misbehaving", "vendor": "tests", "version": "0"},
    "environment": "test",
    "operations": [{"id": "demo", "standard_version": "1.0.0", "base_path": "/demo/v1", "options": []}],
}
TOKEN = {"access_token": "t0", "token_type": "Bearer", "expires_in": 3600, "scope": "demo:read demo:write"}
HUGE = 500 * 1024 * 1024  # what the huge body claims to be
MAX_STEPS = 120  # a drip sends at most this many bytes


def _response(status: str, content_type: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


class MisbehavingServer:
    """Serves on ``url`` until :meth:`stop`; ``sent`` counts the body bytes of the huge answers."""

    def __init__(self, mode: str, *, pause: float = 1.0) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self.mode, self.pause = mode, pause
        self.stopping = threading.Event()
        self.sent = 0
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def stop(self) -> None:
        """Stop accepting, end every connection's loop, and wait for the threads."""
        self.stopping.set()
        self._acceptor.join(5)
        for thread in self._threads:
            thread.join(5)
        self._sock.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _read_request(self, conn: socket.socket) -> str | None:
        data = b""
        while b"\r\n\r\n" not in data:
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                if self.stopping.is_set():
                    return None
                continue
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            rest += chunk
        return head.split(b"\r\n", 1)[0].decode("latin-1")

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        try:
            while not self.stopping.is_set():
                line = self._read_request(conn)
                if line is None:
                    return
                method, path = line.split(" ")[:2]
                if path == "/conformance":
                    conn.sendall(_response("200 OK", "application/json", json.dumps(CLAIMS).encode()))
                elif path == "/oauth/token":
                    conn.sendall(_response("200 OK", "application/json", json.dumps(TOKEN).encode()))
                else:
                    self._misbehave(conn)
                    return
        except OSError:
            return
        finally:
            conn.close()

    def _misbehave(self, conn: socket.socket) -> None:
        mode = self.mode
        if mode == "hang":
            self.stopping.wait()
        elif mode == "reset":
            conn.sendall(
                b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"it'
            )
            # SO_LINGER 0: close() sends RST, the connection is reset mid-body
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif mode == "html":
            conn.sendall(_response("200 OK", "text/html", b"<html><body>Welcome</body></html>"))
        elif mode == "bad_utf8":
            conn.sendall(
                _response("200 OK", "application/json", b'{"items": ["\xff\xfe\xc3"], "next_cursor": null}')
            )
        elif mode == "huge":
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {HUGE}\r\n\r\n"
            conn.sendall(head.encode())
            block = b" " * 65536
            conn.settimeout(2.0)
            while self.sent < HUGE and not self.stopping.is_set():
                conn.sendall(block)  # raises once the client stopped reading and closed
                with self._lock:
                    self.sent += len(block)
        elif mode in ("drip", "slow_headers"):
            answer = _response(
                "200 OK", "application/json", b'{"items": [], "next_cursor": null}' + b" " * 200
            )
            if mode == "drip":
                head, _, body = answer.partition(b"\r\n\r\n")
                conn.sendall(head + b"\r\n\r\n")
                answer = body
            for step, byte in enumerate(answer):
                if step >= MAX_STEPS or self.stopping.wait(self.pause):
                    return
                conn.sendall(bytes([byte]))


@contextmanager
def misbehaving(mode: str, *, pause: float = 1.0) -> Iterator[MisbehavingServer]:
    """A :class:`MisbehavingServer` in ``mode``, stopped on exit."""
    server = MisbehavingServer(mode, pause=pause)
    try:
        yield server
    finally:
        server.stop()


def wait_until(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
