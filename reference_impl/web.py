"""Small HTTP helpers shared by the endpoints: JSON in and out, query parameters."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from reference_impl.problems import ProblemError, item_error

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response; text is written as is (UTF-8, no escaping, no normalisation)."""
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        status_code=status,
        headers=dict(headers or {}),
        media_type="application/json",
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def read_json_body(request: Request) -> Any:
    """The parsed JSON body: 415 when not JSON, 400 ``MALFORMED_JSON`` when it does not parse or
    holds text that is not Unicode (lone surrogates), which could not be stored as written."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (ctype == "application/json" or (ctype.startswith("application/") and ctype.endswith("+json"))):
        raise ProblemError(
            "UNSUPPORTED_MEDIA_TYPE", f"Content-Type must be application/json, got {ctype or 'none'}"
        )
    raw = await request.body()
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise ProblemError("MALFORMED_JSON", f"the body is not UTF-8 (byte {exc.start})") from exc
    except ValueError as exc:
        raise ProblemError("MALFORMED_JSON", f"the body is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise ProblemError("MALFORMED_JSON", "the body is nested too deeply") from exc
    bad = list(_non_unicode(body, ""))
    if bad:
        raise ProblemError(
            "MALFORMED_JSON",
            "the body holds text that is not Unicode (lone surrogates)",
            errors=[item_error(p, "NOT_UNICODE", "lone surrogate code point") for p in bad],
        )
    return body


def _non_unicode(value: Any, pointer: str) -> Iterable[str]:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield pointer
    elif isinstance(value, dict):
        for k, v in value.items():
            p = pointer + "/" + k.replace("~", "~0").replace("/", "~1")
            try:
                k.encode("utf-8")
            except UnicodeEncodeError:
                yield p.encode("utf-8", "backslashreplace").decode("utf-8")
                continue
            yield from _non_unicode(v, p)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _non_unicode(v, f"{pointer}/{i}")


def nul_errors(body: Any, reported: Iterable[str] = ()) -> list[dict[str, str]]:
    """A ``FORMAT`` entry for every string of the body holding U+0000, except at pointers already
    ``reported``. No database text column can hold it on PostgreSQL; the server refuses it on every
    database alike, so a body is accepted or refused the same way whatever the storage."""
    seen = set(reported)
    return [
        item_error(p, "FORMAT", "U+0000 (NUL) は使用できません / text must not contain U+0000 (NUL)")
        for p in _nul_pointers(body, "")
        if p not in seen
    ]


def _nul_pointers(value: Any, pointer: str) -> Iterable[str]:
    if isinstance(value, str):
        if "\x00" in value:
            yield pointer
    elif isinstance(value, dict):
        for k, v in value.items():
            p = pointer + "/" + k.replace("~", "~0").replace("/", "~1")
            if "\x00" in k:
                yield p
                continue
            yield from _nul_pointers(v, p)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nul_pointers(v, f"{pointer}/{i}")


def unknown_query_errors(params: QueryParams, allowed: Iterable[str]) -> list[dict[str, str]]:
    """An entry for every query parameter that is not allowed, or given twice."""
    allowed = set(allowed)
    errors = []
    seen: set[str] = set()
    for name, _ in params.multi_items():
        if name not in allowed:
            errors.append(item_error(f"/query/{name}", "UNKNOWN_ITEM", f"unknown query parameter {name}"))
        elif name in seen:
            errors.append(item_error(f"/query/{name}", "TYPE", f"query parameter {name} is repeated"))
        seen.add(name)
    return errors


def parse_limit(params: QueryParams, errors: list[dict[str, str]]) -> int:
    """``limit`` (1–500, default 100); an invalid one adds an entry to ``errors``."""
    raw = params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()):
        errors.append(item_error("/query/limit", "TYPE", f"limit must be an integer, got {raw!r}"))
        return DEFAULT_LIMIT
    if not 1 <= int(raw) <= MAX_LIMIT:
        errors.append(
            item_error("/query/limit", "OUT_OF_RANGE", f"limit must be from 1 to {MAX_LIMIT}, got {raw}")
        )
        return DEFAULT_LIMIT
    return int(raw)


def raise_if_errors(errors: list[dict[str, str]], what: str = "query parameters") -> None:
    """422 ``VALIDATION_FAILED`` listing every error, if there is any."""
    if errors:
        raise ProblemError("VALIDATION_FAILED", f"{len(errors)} {what} are invalid", errors=errors)
