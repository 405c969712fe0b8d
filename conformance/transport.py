"""HTTP/1.1 over sockets, with limits a misbehaving target cannot get around.

:class:`HttpTransport` is the transport of real runs. Each request has a connect timeout, a read
timeout (the longest silence allowed between two reads) and a total deadline, so a target that
drips one byte a second cannot stall a run: a watchdog shuts the socket when the deadline passes,
whatever the request is waiting for (status line, headers or body). The body is read in chunks and
reading stops at ``max_response_bytes``, so a body of hundreds of megabytes never sits in memory.
Connections are kept alive and reused; one the target closed while idle is noticed before reuse.
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from conformance.exchange import Request, Response

CHUNK = 64 * 1024


class TransportError(Exception):
    """The request could not be sent or got no full answer (refused, reset, timeout, too large).

    ``retryable`` is False for a timeout, an answer over the size cap or a connection broken after
    the request was sent: sending an idempotent read again would only wait again (the client
    retries the others, e.g. a refused connection).
    """

    def __init__(self, reason: str, *, retryable: bool = True) -> None:
        super().__init__(reason)
        self.retryable = retryable


@dataclass(frozen=True)
class Limits:
    """Per-request limits (``kikan run --request-timeout``, ``--max-response-bytes``)."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # the longest wait for the next bytes
    deadline: float = 60.0  # the whole request, from connecting to the last byte
    max_response_bytes: int = 32 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "deadline"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)!r}")
        if self.max_response_bytes < 1:
            raise ValueError(f"max_response_bytes must be positive, got {self.max_response_bytes!r}")


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """True when an idle kept-alive connection was closed by the other side (or has stray bytes)."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


class HttpTransport:
    """A transport over real HTTP(S) with the :class:`Limits` of every request."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._idle: dict[tuple[str, str, int], http.client.HTTPConnection] = {}
        self._ssl = ssl.create_default_context()

    def close(self) -> None:
        """Close every kept-alive connection."""
        for conn in self._idle.values():
            conn.close()
        self._idle.clear()

    def send(self, request: Request, timeout: float | None = None) -> Response:
        """Send ``request`` (no redirects followed, no retries); ``timeout`` caps the deadline further."""
        limits = self.limits
        deadline = min(limits.deadline, timeout) if timeout else limits.deadline
        url = urlsplit(request.url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise TransportError(f"not an http(s) URL: {request.url}")
        try:
            port = url.port or (443 if url.scheme == "https" else 80)
        except ValueError as exc:
            raise TransportError(f"invalid URL: {exc}") from exc
        key = (url.scheme, url.hostname, port)
        target = url.path or "/"
        if url.query:
            target += "?" + url.query
        conn = self._idle.pop(key, None)
        if conn is not None and _dropped(conn):
            conn.close()
            conn = None
        started = time.monotonic()
        if conn is None:
            conn = self._connect(key, min(limits.connect_timeout, deadline))
        expired = threading.Event()

        def shut() -> None:
            expired.set()
            sock = conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        remaining = deadline - (time.monotonic() - started)
        watchdog = threading.Timer(max(remaining, 0.001), shut)
        watchdog.daemon = True
        watchdog.start()
        try:
            response, keep = self._exchange(conn, request, target, expired, deadline)
        except BaseException:
            conn.close()
            raise
        finally:
            watchdog.cancel()
        if keep and not expired.is_set():
            self._idle[key] = conn
        else:
            conn.close()
        return response

    def _connect(self, key: tuple[str, str, int], timeout: float) -> http.client.HTTPConnection:
        scheme, host, port = key
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=self._ssl)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.connect()
        except TimeoutError as exc:
            conn.close()
            raise TransportError(f"connect timed out after {timeout:g} s", retryable=False) from exc
        except ssl.SSLError as exc:
            conn.close()
            raise TransportError(f"TLS error: {exc.reason or exc}") from exc
        except OSError as exc:
            conn.close()
            raise TransportError(_os_reason(exc)) from exc
        assert conn.sock is not None
        conn.sock.settimeout(self.limits.read_timeout)
        return conn

    def _exchange(
        self,
        conn: http.client.HTTPConnection,
        request: Request,
        target: str,
        expired: threading.Event,
        deadline: float,
    ) -> tuple[Response, bool]:
        chunks: list[bytes] = []
        try:
            return self._exchange_reading(conn, request, target, expired, deadline, chunks)
        except BaseException:
            # a failure's traceback keeps this frame alive (pytest, Hypothesis): never the body with it
            chunks.clear()
            raise

    def _exchange_reading(
        self,
        conn: http.client.HTTPConnection,
        request: Request,
        target: str,
        expired: threading.Event,
        deadline: float,
        chunks: list[bytes],
    ) -> tuple[Response, bool]:
        limits = self.limits
        sent = False
        try:
            headers = dict(request.headers)
            conn.putrequest(request.method, target, skip_accept_encoding=True)
            for name, value in headers.items():
                conn.putheader(name, value)
            if request.body is not None and not any(k.lower() == "content-length" for k in headers):
                conn.putheader("Content-Length", str(len(request.body)))
            conn.endheaders(request.body)
            sent = True
            resp = conn.getresponse()
            size = 0
            while True:
                chunk = resp.read1(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limits.max_response_bytes:
                    raise TransportError(
                        f"response body larger than {limits.max_response_bytes} bytes (--max-response-bytes);"
                        " reading stopped",
                        retryable=False,
                    )
                chunks.append(chunk)
            if expired.is_set():
                raise TransportError(f"no complete answer within {deadline:g} s (deadline)", retryable=False)
            if resp.length:  # the connection ended before the declared Content-Length
                raise TransportError(
                    f"connection closed mid-body: {size} bytes read, {resp.length} more declared",
                    retryable=False,
                )
            resp.close()  # fully read: the connection is free for the next request
        except TransportError:
            raise
        except TimeoutError as exc:
            raise TransportError(
                f"no data for {limits.read_timeout:g} s (read timeout)"
                if not expired.is_set()
                else f"no complete answer within {deadline:g} s (deadline)",
                retryable=False,
            ) from exc
        except (http.client.HTTPException, OSError) as exc:
            if expired.is_set():
                raise TransportError(
                    f"no complete answer within {deadline:g} s (deadline)", retryable=False
                ) from exc
            what = "the answer" if sent else "the request"
            raise TransportError(
                f"connection broken while exchanging {what}: {_os_reason(exc)}", retryable=not sent
            ) from exc
        merged: dict[str, str] = {}
        for name, value in resp.getheaders():
            merged[name] = f"{merged[name]}, {value}" if name in merged else value
        return Response(resp.status, merged, b"".join(chunks)), not resp.will_close


def _os_reason(exc: BaseException) -> str:
    """A short reason: ``[Errno 111] Connection refused``, ``IncompleteRead(…)``, …"""
    if isinstance(exc, http.client.IncompleteRead):
        return f"incomplete body ({len(exc.partial)} bytes read, {exc.expected} more expected)"
    if isinstance(exc, socket.gaierror):
        return f"[Errno {exc.errno}] unknown host ({exc.strerror})"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"[Errno {exc.errno}] {exc.strerror}"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text[:160]}"
