"""The one client the suite talks to a target through.

A :class:`Transport` has one method, ``send``; :class:`~conformance.transport.HttpTransport` serves
real runs over HTTP (with per-request timeouts, a deadline and a size cap), and project tests plug
an in-process one (:mod:`conformance.testing`). The :class:`Client` adds what every test needs: the
OAuth 2.0 client-credentials token (fetched per scope set, fetched again once when the target says
it expired), retries of idempotent reads when the connection could not be opened, the run's time
budget, and a record of every exchange, kept for evidence and shown to the client's observers
(the response schema ledger checks every response).
"""

from __future__ import annotations

import base64
import json as jsonlib
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from conformance.exchange import Exchange, Request, Response
from conformance.transport import HttpTransport, TransportError

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: exchanges kept for evidence (older ones are dropped; marks stay valid)
LOG_SIZE = 2000
#: the bodies the exchange log keeps at most, in bytes: a run reading 500-item pages of a large
#: register must not hold a gigabyte of answers it no longer needs (the last exchanges stay)
LOG_BYTES = 32 * 1024 * 1024
LOG_KEEP = 20  # exchanges kept whatever their size: a failing check's own evidence
#: consecutive timeouts (or over-size answers) after which a test stops waiting on the target
BREAKER = 3

__all__ = ["AuthError", "Client", "Credentials", "HttpTransport", "Transport", "TransportError"]

#: the old name of the HTTP transport, kept for callers written before it replaced ``requests``
RequestsTransport = HttpTransport


class AuthError(Exception):
    """The target refused the client's credentials."""


class BudgetExceeded(TransportError):
    """The run's time budget is spent: no more requests are sent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, retryable=False)


class Transport(Protocol):
    """Sends one request and returns the response; raises TransportError when no answer came."""

    def send(self, request: Request, timeout: float) -> Response: ...


class ExchangeLog:
    """The run's exchanges, in order; only the last ``size`` are kept, and of those no more than
    ``max_bytes`` of bodies beyond the last :data:`LOG_KEEP` (memory stays bounded on any target).

    Positions count every exchange ever appended, so a mark taken early stays meaningful.
    """

    def __init__(self, size: int = LOG_SIZE, max_bytes: int = LOG_BYTES) -> None:
        self._items: deque[Exchange] = deque()
        self._size, self._max_bytes = size, max_bytes
        self._bytes = 0
        self._total = 0
        self._server_errors: list[Exchange] = []
        self.server_error_count = 0

    def append(self, exchange: Exchange) -> None:
        self._items.append(exchange)
        self._bytes += _weight(exchange)
        self._total += 1
        while len(self._items) > self._size or (
            self._bytes > self._max_bytes and len(self._items) > LOG_KEEP
        ):
            self._bytes -= _weight(self._items.popleft())
        if exchange.response is not None and exchange.response.status >= 500:
            self.server_error_count += 1
            if len(self._server_errors) < 100:
                self._server_errors.append(exchange)

    def server_errors(self) -> list[Exchange]:
        """The first 100 exchanges of the whole run answered 5xx (see ``server_error_count``)."""
        return list(self._server_errors)

    def __len__(self) -> int:
        return self._total

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self._items)

    def __getitem__(self, index: int | slice) -> Any:
        return list(self._items)[index]

    def since(self, mark: int) -> list[Exchange]:
        """The kept exchanges at positions ``mark`` and after."""
        first = self._total - len(self._items)
        return list(self._items)[max(mark - first, 0) :]


def _weight(exchange: Exchange) -> int:
    """The bytes of an exchange's bodies."""
    sent = len(exchange.request.body or b"")
    return sent + (len(exchange.response.body) if exchange.response is not None else 0)


def token_refusal(resp: Response) -> str:
    """One line saying why ``POST /oauth/token`` refused: the RFC 6749 error, else the status and text."""
    detail = ""
    try:
        doc = resp.json()
    except ValueError:
        doc = None
    if isinstance(doc, dict) and isinstance(doc.get("error"), str):
        detail = doc["error"]
        if isinstance(doc.get("error_description"), str):
            detail += f" ({doc['error_description']})"
    elif resp.body:
        text = resp.body[:200].decode("utf-8", errors="replace")
        detail = " ".join(text.split())
    return f"POST /oauth/token answered {resp.status}" + (f": {detail}" if detail else "")


@dataclass(frozen=True)
class Credentials:
    """How the client authenticates: client credentials, or a fixed bearer token."""

    client_id: str | None = None
    client_secret: str | None = None
    token: str | None = None


class Client:
    """The suite's HTTP client for one target.

    ``request`` returns an :class:`Exchange`; every exchange is also appended to ``exchanges`` (an
    :class:`ExchangeLog`) so a failing check can attach the ones it made (``since(mark)``), and
    passed to every function in ``observers``. ``deadline`` (a ``time.monotonic()`` value) is the
    end of the run's time budget: after it, :class:`BudgetExceeded` instead of a request.
    """

    def __init__(
        self,
        base_url: str,
        transport: Transport,
        credentials: Credentials | None = None,
        *,
        timeout: float = 60.0,
        retries: int = 2,
        retry_pause: float = 0.2,
        deadline: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.credentials = credentials or Credentials()
        self.timeout = timeout
        self.retries = retries
        self.retry_pause = retry_pause
        self.deadline = deadline
        self.exchanges = ExchangeLog()
        self.observers: list[Callable[[Exchange], None]] = []
        # called with each request before it is sent (a footprint reads what a command may change);
        # emptied when a test starts
        self.before_send: list[Callable[[Request], None]] = []
        self._tokens: dict[str, str] = {}
        self._stalls = 0  # timeouts in a row in this test
        self._dead = 0  # tests in a row that ended with the target not answering

    # -- evidence -----------------------------------------------------------------------------
    def mark(self) -> int:
        """A position in the exchange log, for :meth:`since`."""
        return len(self.exchanges)

    def since(self, mark: int) -> list[Exchange]:
        """The exchanges made after ``mark`` (those still kept)."""
        return self.exchanges.since(mark)

    def new_test(self) -> None:
        """A new test starts: it waits on the target again even if the last one timed out.

        When the target stopped answering in the last tests, the new test gets one request to find
        it back (not :data:`BREAKER`), so a dead target costs one timeout per test, not three.
        """
        self._dead = self._dead + 1 if self._stalls >= BREAKER else 0
        self._stalls = BREAKER - 1 if self._dead >= BREAKER else 0
        self.before_send.clear()

    def _record(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        for observe in self.observers:
            observe(exchange)

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
            raise AuthError(token_refusal(resp))
        try:
            token = resp.json()["access_token"]
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthError(
                f"POST /oauth/token answered 200 without an access_token ({type(exc).__name__})"
            ) from exc
        if not isinstance(token, str) or not token:
            raise AuthError("POST /oauth/token answered 200 without an access_token")
        self._tokens[key] = token
        return token

    # -- requests -----------------------------------------------------------------------------
    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """The absolute URL of ``path`` (relative to the target root) with query ``params``."""
        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        if params:
            clean = {k: v for k, v in params.items() if v is not None}
            url += ("&" if "?" in url else "?") + urlencode(clean, doseq=True)
        return url

    def _timeout(self, request: Request) -> float:
        """The time this request may take: the client's timeout, cut to what is left of the budget."""
        if self.deadline is None:
            return self.timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            exc = BudgetExceeded(
                "実行時間の上限に達しました / the run's time budget is spent (--time-budget)"
            )
            self.exchanges.append(Exchange(request, None, str(exc)))
            raise exc
        return min(self.timeout, left)

    def send(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Exchange:
        """Send a raw request (no auth added).

        Idempotent reads are retried when the connection could not be opened; a timeout or an
        over-size answer is not retried, and after :data:`BREAKER` of them in a row the rest of the
        test gets an immediate TransportError instead of waiting on the target again.
        """
        request = Request(method.upper(), self.url(path, params), dict(headers or {}), body)
        if self._stalls >= BREAKER:
            reason = (
                f"対象が応答しません / the target stopped answering ({BREAKER} requests in a row timed out)"
            )
            self.exchanges.append(Exchange(request, None, reason))
            raise TransportError(reason)
        for hook in list(self.before_send):
            hook(request)
        attempts = 1 + (self.retries if request.method in IDEMPOTENT_METHODS else 0)
        for attempt in range(attempts):
            try:
                response = self.transport.send(request, self._timeout(request))
            except BudgetExceeded:
                raise
            except TransportError as exc:
                retryable = getattr(exc, "retryable", True)
                if retryable and attempt + 1 < attempts:
                    time.sleep(self.retry_pause * (attempt + 1))
                    continue
                if not retryable:
                    self._stalls += 1
                self.exchanges.append(Exchange(request, None, str(exc)))
                raise
            self._stalls = self._dead = 0
            exchange = Exchange(request, response)
            self._record(exchange)
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
