"""``PUT /test/clock``: set the processing date of a test environment (docs/api-conventions.md).

Only a server whose environment is ``test`` and whose clock is settable serves it; elsewhere the path
does not exist (404). The client needs scope ``test:clock``. The body is
``{"processing_date": "YYYY-MM-DD"}`` to fix the date, or ``{"processing_date": null}`` to follow the
server's clock again; the answer is the clock as ``GET /conformance`` declares it.
"""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response

from reference_impl.auth import require_scope
from reference_impl.context import ServerContext
from reference_impl.problems import item_error
from reference_impl.settings import CLOCK_SCOPE
from reference_impl.temporal import parse_date
from reference_impl.web import json_response, raise_if_errors, read_json_body


def clock_endpoint(server: ServerContext):  # type: ignore[no-untyped-def]
    """The ``PUT /test/clock`` endpoint of ``server``."""

    async def set_clock(request: Request) -> Response:
        require_scope(request, CLOCK_SCOPE)
        body = await read_json_body(request)
        errors = []
        day: date | None = None
        if not isinstance(body, dict):
            errors.append(item_error("", "TYPE", "the body must be an object"))
        else:
            errors += [
                item_error(f"/{name}", "UNKNOWN_ITEM", f"unknown item {name}")
                for name in body
                if name != "processing_date"
            ]
            if "processing_date" not in body:
                errors.append(item_error("/processing_date", "REQUIRED", "processing_date is required"))
            elif body["processing_date"] is not None:
                raw = body["processing_date"]
                day = parse_date(raw) if isinstance(raw, str) else None
                if day is None:
                    errors.append(
                        item_error("/processing_date", "NOT_A_DATE", f"not a YYYY-MM-DD date: {raw!r}")
                    )
        raise_if_errors(errors, "items")
        server.processing.set(day)
        return json_response(server.processing.declaration())

    return set_clock
