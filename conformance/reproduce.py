"""``curl`` command lines that reproduce requests, with their secrets redacted.

:func:`curl` is one request; :func:`script` is a recorded sequence of steps (a state machine's
failure): one line fetching a token with the client credentials taken from environment variables,
then one ``curl`` per request using that token. Neither a token nor a secret is ever written out.
"""

from __future__ import annotations

import shlex
from typing import Any

from conformance.exchange import Request, redact_request

#: headers that curl sets by itself and that add nothing to a reproduction
_NOISE = frozenset({"content-length", "user-agent", "accept-encoding", "connection", "accept"})

#: the environment variables a reproduction script reads (never written into a report)
TOKEN_VAR, CLIENT_ID_VAR, CLIENT_SECRET_VAR = "KIKAN_TOKEN", "KIKAN_CLIENT_ID", "KIKAN_CLIENT_SECRET"


def curl(request: Request, *, token_var: str | None = None) -> str:
    """One ``curl`` line sending ``request`` again; bearer tokens and secrets are ``[REDACTED]``.

    With ``token_var`` the bearer token is ``$token_var`` (expanded by the shell) instead.
    """
    safe = redact_request(request)
    parts = ["curl", "-sS", "-i", "-X", safe.method]
    auth = None
    for name, value in safe.headers.items():
        if name.lower() in _NOISE:
            continue
        if token_var and name.lower() == "authorization" and value.lower().startswith("bearer"):
            auth = f'-H "Authorization: Bearer ${token_var}"'
            continue
        parts += ["-H", f"{name}: {value}"]
    if safe.body:
        parts += ["--data-binary", safe.body.decode("utf-8", errors="replace")]
    parts.append(safe.url)
    line = " ".join(shlex.quote(p) for p in parts)
    return line.replace(" -X ", f" {auth} -X ", 1) if auth else line


def token_line(base_url: str, scopes: list[str]) -> str:
    """A shell line setting ``$KIKAN_TOKEN`` from ``POST /oauth/token`` (client credentials from the environment)."""
    scope = f" -d scope={shlex.quote(' '.join(scopes))}" if scopes else ""
    url = shlex.quote(f"{base_url.rstrip('/')}/oauth/token")
    parse = shlex.quote('import json,sys; print(json.load(sys.stdin)["access_token"])')
    return (
        f'{TOKEN_VAR}=$(curl -sS -X POST -u "${CLIENT_ID_VAR}:${CLIENT_SECRET_VAR}"'
        f" -d grant_type=client_credentials{scope} {url} | python3 -c {parse})"
    )


def script(ctx: Any, steps: list[Any], failure: Any = None) -> str:
    """A shell script replaying ``steps`` (each with ``rule``, ``arguments``, ``exchanges``) with ``curl``.

    The last line is the request in which ``failure`` was seen (its offending exchange), when there is one.
    """
    offending = None
    if failure is not None and failure.exchanges:
        offending = failure.exchanges[failure.offending]
    requests = [ex.request for s in steps for ex in s.exchanges]
    if offending is not None:
        requests.append(offending.request)
    lines = [
        f"# {len(steps)} 手順の再現 / reproduction of {len(steps)} steps"
        f" (export {CLIENT_ID_VAR} and {CLIENT_SECRET_VAR} first)",
        token_line(ctx.client.base_url, _scopes(ctx, requests)),
    ]
    for number, s in enumerate(steps, 1):
        args = ", ".join(f"{k}={v!r}" for k, v in s.arguments.items())
        lines.append(f"# {number}. {s.rule}({args})")
        lines += [curl(ex.request, token_var=TOKEN_VAR) for ex in s.exchanges]
    if offending is not None:
        lines.append("# 不適合が見つかった要求 / the request that showed the failure")
        lines.append(curl(offending.request, token_var=TOKEN_VAR))
    return "\n".join(lines)


def _scopes(ctx: Any, requests: list[Request]) -> list[str]:
    """The read and write scopes of every operation whose base path the requests use."""
    out: list[str] = []
    root = ctx.client.base_url.rstrip("/")
    for op in ctx.standards.operations:
        base = root + ctx.base_path(op)
        if any(r.url.startswith(base + "/") for r in requests):
            out += [s for s in op.scopes if s not in out]
    return out
