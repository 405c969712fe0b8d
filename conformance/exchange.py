"""HTTP requests and responses as plain data, and the redaction of secrets in them.

Every request the suite sends and every answer it gets is kept as an :class:`Exchange`; a failure
carries the exchanges that show it. Secrets (bearer tokens, client secrets, cookies) are redacted
before anything leaves the client, so evidence and ``curl`` lines are safe to publish.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "[REDACTED]"

#: header names whose value is a secret (compared case-insensitively)
SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "proxy-authorization"})
#: body or query members whose value is a secret
SECRET_FIELDS = frozenset({"client_secret", "access_token", "refresh_token", "password", "token"})

_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")


@dataclass(frozen=True)
class Request:
    """One HTTP request as sent (headers and body exactly as on the wire)."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        return _header(self.headers, name)


@dataclass(frozen=True)
class Response:
    """One HTTP response as received."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        return _header(self.headers, name)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case ('' when absent)."""
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body parsed as JSON (raises ValueError when it is not JSON)."""
        return json.loads(self.body.decode("utf-8"))


@dataclass(frozen=True)
class Exchange:
    """A request and the response it got (None when the connection failed)."""

    request: Request
    response: Response | None
    error: str | None = None

    def evidence(self) -> dict[str, Any]:
        """The exchange as report evidence (docs/report-format.md), secrets redacted."""
        req = redact_request(self.request)
        out: dict[str, Any] = {
            "request": {
                "method": req.method,
                "url": req.url,
                "headers": dict(req.headers),
                "body": _text(req.body),
            }
        }
        if self.response is not None:
            resp = self.response
            out["response"] = {
                "status": resp.status,
                "headers": redact_headers(resp.headers),
                "body": redact_text(_text(resp.body) or ""),
            }
        if self.error:
            out["error"] = self.error
        return out


def _header(headers: dict[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def _text(body: bytes | None) -> str | None:
    if body is None:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.hex()


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with every secret header value replaced by ``[REDACTED]``."""
    out = {}
    for key, value in headers.items():
        if key.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            out[key] = f"{scheme} {REDACTED}".strip() if scheme.lower() in {"bearer", "basic"} else REDACTED
        else:
            out[key] = value
    return out


def redact_url(url: str) -> str:
    """``url`` with secret query parameters redacted."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = [
        (k, REDACTED if k in SECRET_FIELDS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="[]:+")))


def redact_text(text: str) -> str:
    """``text`` (a JSON or form body) with the values of secret members redacted."""
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            parsed = None
        if parsed is not None:
            redacted = _redact_json(parsed)
            # re-serialise only when something was redacted: evidence keeps the exact text otherwise
            return text if redacted == parsed else json.dumps(redacted, ensure_ascii=False)
    if "=" in text and "\n" not in text and " " not in text.strip():
        pairs = parse_qsl(text, keep_blank_values=True)
        if pairs:
            return urlencode([(k, REDACTED if k in SECRET_FIELDS else v) for k, v in pairs], safe="[]:")
    return _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (REDACTED if k in SECRET_FIELDS else _redact_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_json(v) for v in value]
    return value


def redact_request(request: Request) -> Request:
    """A copy of ``request`` safe to show: secret headers, query parameters and body members redacted."""
    body = request.body
    if body is not None:
        text = _text(body) or ""
        body = redact_text(text).encode("utf-8")
    return Request(request.method, redact_url(request.url), redact_headers(request.headers), body)
