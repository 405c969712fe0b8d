"""Helpers for project tests of the suite: an in-process transport around an ASGI app.

``AsgiTransport(app)`` lets a :class:`~conformance.client.Client` talk to an ASGI (Starlette) app
without a socket, so checks can be tested fast against tiny targets. It drives the app with one
HTTP request per call on a private event loop; lifespan events are not sent. An exception escaping
the app becomes a 500 answer, as a real server would send.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from conformance.exchange import Request, Response


class AsgiTransport:
    """A transport that calls an ASGI app in-process."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def send(self, request: Request, timeout: float) -> Response:
        """Send ``request`` to the app and return its response."""
        return asyncio.run(asyncio.wait_for(self._call(request), timeout))

    async def _call(self, request: Request) -> Response:
        url = urlsplit(request.url)
        body = request.body or b""
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in request.headers.items()]
        if body and not any(k == b"content-length" for k, _ in headers):
            headers.append((b"content-length", str(len(body)).encode()))
        host = url.hostname or "testserver"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme or "http",
            "path": url.path or "/",
            "raw_path": (url.path or "/").encode(),
            "query_string": url.query.encode(),
            "root_path": "",
            "headers": [(b"host", host.encode()), *headers],
            "client": ("127.0.0.1", 50000),
            "server": (host, url.port or 80),
        }
        sent = False
        status = 500
        out_headers: dict[str, str] = {}
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for key, value in message.get("headers", []):
                    name = key.decode("latin-1")
                    # join repeated headers as HTTP does
                    text = value.decode("latin-1")
                    out_headers[name] = f"{out_headers[name]}, {text}" if name in out_headers else text
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, send)
        except Exception as exc:  # a real server answers 500; so does this transport
            return Response(500, {"content-type": "text/plain"}, f"{type(exc).__name__}: {exc}".encode())
        return Response(status, out_headers, b"".join(chunks))
