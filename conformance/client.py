"""The one client the suite talks to a target through.

A :class:`Transport` has one method, ``send``; :class:`RequestsTransport` serves real runs over
HTTP, and project tests plug an in-process one (:mod:`conformance.testing`). The :class:`Client`
adds what every test needs: the OAuth 2.0 client-credentials token (fetched per scope set, fetched
again once when the target says it expired), timeouts, retries of idempotent reads on connection
errors only, and a record of every exchange, kept for evidence.
"""

from __future__ import annotations

import base64
import json as jsonlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from conformance.exchange import Exchange, Request, Response

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TransportError(Exception):
    """The request could not be sent or got no answer (refused, unknown host, timeout)."""


class AuthError(Exception):
    """The target refused the client's credentials."""


class Transport(Protocol):
    """Sends one request and returns the response; raises TransportError when no answer came."""

    def send(self, request: Request, timeout: float) -> Response: ...


class RequestsTransport:
    """A transport over real HTTP, with ``requests``."""

    def __init__(self) -> None:
        import requests

        self._session = requests.Session()
        self._errors = (requests.ConnectionError, requests.Timeout, requests.exceptions.InvalidURL)

    def send(self, request: Request, timeout: float) -> Response:
        """Send ``request`` as is (no redirects followed, no retries)."""
        try:
            resp = self._session.request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.body,
                timeout=timeout,
                allow_redirects=False,
            )
        except self._errors as exc:
            raise TransportError(_reason(exc)) from exc
        return Response(resp.status_code, dict(resp.headers), resp.content)


def _reason(exc: Exception) -> str:
    """A short reason for a connection failure (requests' messages nest several layers)."""
    import re

    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] [^'\")\]]+", text)
    if found:
        return found.group(0).strip()
    if "timed out" in text.lower():
        return "timed out"
    return f"{type(exc).__name__}: {text[:160]}"


@dataclass(frozen=True)
class Credentials:
    """How the client authenticates: client credentials, or a fixed bearer token."""

    client_id: str | None = None
    client_secret: str | None = None
    token: str | None = None


class Client:
    """The suite's HTTP client for one target.

    ``request`` returns an :class:`Exchange`; every exchange is also appended to ``exchanges``
    so a failing check can attach the ones it made (``since(mark)``).
    """

    def __init__(
        self,
        base_url: str,
        transport: Transport,
        credentials: Credentials | None = None,
        *,
        timeout: float = 15.0,
        retries: int = 2,
        retry_pause: float = 0.2,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.credentials = credentials or Credentials()
        self.timeout = timeout
        self.retries = retries
        self.retry_pause = retry_pause
        self.exchanges: list[Exchange] = []
        self._tokens: dict[str, str] = {}

    # -- evidence -----------------------------------------------------------------------------
    def mark(self) -> int:
        """A position in the exchange log, for :meth:`since`."""
        return len(self.exchanges)

    def since(self, mark: int) -> list[Exchange]:
        """The exchanges made after ``mark``."""
        return list(self.exchanges[mark:])

    # -- auth ---------------------------------------------------------------------------------
    def token(self, scope: str | None = None, *, fresh: bool = False) -> str:
        """A bearer token for ``scope`` (space-separated scopes; None = the client's default).

        Raises AuthError when the target refuses the credentials.
        """
        creds = self.credentials
        if creds.token is not None and scope is None:
            return creds.token
        key = scope or ""
        if key in self._tokens and not fresh:
            return self._tokens[key]
        if not creds.client_id or creds.client_secret is None:
            raise AuthError("クライアントIDとシークレットが必要です / a client id and secret are needed")
        form = {"grant_type": "client_credentials"}
        if scope:
            form["scope"] = scope
        basic = base64.b64encode(f"{quote(creds.client_id)}:{quote(creds.client_secret)}".encode()).decode()
        ex = self.send(
            "POST",
            "/oauth/token",
            headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
            body=urlencode(form).encode(),
        )
        resp = ex.response
        assert resp is not None
        if resp.status != 200:
            raise AuthError(f"POST /oauth/token answered {resp.status}: {resp.body[:200]!r}")
        try:
            token = resp.json()["access_token"]
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthError(f"POST /oauth/token gave no access_token ({exc})") from exc
        self._tokens[key] = token
        return str(token)

    # -- requests -----------------------------------------------------------------------------
    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """The absolute URL of ``path`` (relative to the target root) with query ``params``."""
        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        if params:
            clean = {k: v for k, v in params.items() if v is not None}
            url += ("&" if "?" in url else "?") + urlencode(clean, doseq=True)
        return url

    def send(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Exchange:
        """Send a raw request (no auth added); retries idempotent reads on connection errors."""
        request = Request(method.upper(), self.url(path, params), dict(headers or {}), body)
        attempts = 1 + (self.retries if request.method in IDEMPOTENT_METHODS else 0)
        for attempt in range(attempts):
            try:
                response = self.transport.send(request, self.timeout)
            except TransportError as exc:
                if attempt + 1 < attempts:
                    time.sleep(self.retry_pause * (attempt + 1))
                    continue
                self.exchanges.append(Exchange(request, None, str(exc)))
                raise
            exchange = Exchange(request, response)
            self.exchanges.append(exchange)
            return exchange
        raise AssertionError("unreachable")

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool | str = True,
        scope: str | None = None,
    ) -> Exchange:
        """Send a request with a bearer token (``auth=False``: none; a string: that token).

        ``scope`` asks for a token with only those scopes. A 401 to a fetched token fetches a fresh
        token once and resends (the token may have expired).
        """
        hdrs = dict(headers or {})
        body = None
        if json is not None:
            body = jsonlib.dumps(json, ensure_ascii=False).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        if isinstance(auth, str):
            hdrs["Authorization"] = f"Bearer {auth}"
        elif auth:
            hdrs["Authorization"] = f"Bearer {self.token(scope)}"
        ex = self.send(method, path, headers=hdrs, body=body, params=params)
        refetchable = auth is True and (self.credentials.token is None or scope is not None)
        if refetchable and ex.response is not None and ex.response.status == 401:
            hdrs["Authorization"] = f"Bearer {self.token(scope, fresh=True)}"
            ex = self.send(method, path, headers=hdrs, body=body, params=params)
        return ex

    def get(self, path: str, **kwargs: Any) -> Exchange:
        """``request("GET", path, ...)``."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Exchange:
        """``request("POST", path, ...)``."""
        return self.request("POST", path, **kwargs)
