"""RFC 9457 problem responses (``application/problem+json``) with the standards' error codes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from standards.model import ErrorCase, Label, Standards

PROBLEM_TYPE_BASE = "https://kikan-conformance.example/problems/"

#: The only code known without a standard: what an unknown code is reported as. Every other status
#: and title comes from the standards (``standards/common/api.yaml`` and each operation's errors).
FALLBACK = ErrorCase("INTERNAL_ERROR", 500, Label("システム内部で誤りが発生しました", "Internal error"))


def problem_type(code: str) -> str:
    """The ``type`` URI of a problem code (``VALIDATION_FAILED`` -> ``…/validation-failed``)."""
    return PROBLEM_TYPE_BASE + code.lower().replace("_", "-")


@dataclass
class ProblemError(Exception):
    """Raised anywhere while handling a request; turned into a problem response.

    ``errors`` holds every offending item: ``{"pointer", "code", "detail"}``.
    """

    code: str
    detail: str | None = None
    errors: Sequence[Mapping[str, Any]] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int | None = None  # overrides the catalogue's status (rarely needed)

    def __str__(self) -> str:
        return f"{self.code}: {self.detail or ''}"


class ErrorCatalogue:
    """Status and bilingual title of every error code: the standards' errors, then the core ones."""

    def __init__(self, standards: Standards | None, operations: Iterable[str] = ()) -> None:
        self._cases: dict[str, ErrorCase] = {FALLBACK.code: FALLBACK}
        if standards is not None:
            for case in standards.api.api.errors:
                self._cases[case.code] = case
            wanted = set(operations)
            for op in standards.operations:
                if op.id in wanted:
                    for case in op.api.errors:
                        self._cases[case.code] = case

    def case(self, code: str) -> ErrorCase:
        """The error case of ``code`` (an unknown code is reported as an internal error)."""
        return self._cases.get(code) or self._cases["INTERNAL_ERROR"]

    def __contains__(self, code: str) -> bool:
        return code in self._cases

    def body(self, error: ProblemError) -> tuple[int, dict[str, Any]]:
        """Status and JSON body of the problem."""
        case = self.case(error.code)
        status = error.status or case.status
        body: dict[str, Any] = {
            "type": problem_type(error.code),
            "title": f"{case.title.ja} / {case.title.en}",
            "status": status,
            "code": error.code,
        }
        if error.detail:
            body["detail"] = error.detail
        if error.errors:
            body["errors"] = [dict(e) for e in error.errors]
        return status, body

    def response(self, error: ProblemError) -> Response:
        """The ``application/problem+json`` response of the problem."""
        status, body = self.body(error)
        return problem_json(status, body, error.headers)


def problem_json(status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    """A ready ``application/problem+json`` response."""
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        status_code=status,
        headers=dict(headers or {}),
        media_type="application/problem+json",
    )


def item_error(pointer: str, code: str, detail: str) -> dict[str, str]:
    """One entry of a problem's ``errors`` list."""
    return {"pointer": pointer, "code": code, "detail": detail}
