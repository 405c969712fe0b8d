"""A ``curl`` command line that reproduces a request, with its secrets redacted."""

from __future__ import annotations

import shlex

from conformance.exchange import Request, redact_request

#: headers that curl sets by itself and that add nothing to a reproduction
_NOISE = frozenset({"content-length", "user-agent", "accept-encoding", "connection", "accept"})


def curl(request: Request) -> str:
    """One ``curl`` line sending ``request`` again; bearer tokens and secrets are ``[REDACTED]``."""
    safe = redact_request(request)
    parts = ["curl", "-sS", "-i", "-X", safe.method]
    for name, value in safe.headers.items():
        if name.lower() in _NOISE:
            continue
        parts += ["-H", f"{name}: {value}"]
    if safe.body:
        parts += ["--data-binary", safe.body.decode("utf-8", errors="replace")]
    parts.append(safe.url)
    return " ".join(shlex.quote(p) for p in parts)
