"""Failures with one root cause, grouped: one missing ETag seen by fifteen tests is one group.

A group is the failures (and errors) of the tests that share the check that failed, the
requirements the failure counts against and the message once its variable parts (numbers,
identifiers, quoted values) are blanked out. :func:`failure_groups` computes them from a report's
tests; :func:`reports.status.finalise` writes them to ``failure_groups``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: quoted values ('…', "…", 「…」), hexadecimal runs, numbers: what differs between two places of one cause
_VARIABLE = (
    (re.compile(r"'(?:[^'\\]|\\.)*'"), "'…'"),
    (re.compile(r'"(?:[^"\\]|\\.)*"'), '"…"'),
    (re.compile(r"「[^」]*」"), "「…」"),
    (re.compile(r"\b[0-9a-f]{8,}\b", re.IGNORECASE), "#"),
    (re.compile(r"\d+"), "#"),
)


def normalise(message: str) -> str:
    """``message`` with its variable parts blanked out, so two places of one cause compare equal."""
    text = " ".join(str(message).split())
    for pattern, replacement in _VARIABLE:
        text = pattern.sub(replacement, text)
    return text[:300]


def _requirements(test: Mapping[str, Any]) -> list[str]:
    failure = test.get("failure") or {}
    named = failure.get("requirements")
    if named:
        return sorted(named)
    outcome = test.get("outcome")
    per = test.get("requirement_outcomes") or {}
    return sorted(r for r in test.get("requirements") or () if per.get(r, outcome) == outcome)


def failure_groups(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The report's failed and errored tests grouped by (check, requirements, normalised message).

    Each group: ``outcome``, ``check``, ``requirements``, ``title``, ``message`` (the first
    place's), ``count`` and ``tests`` (the ids of every place), largest groups first.
    """
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for test in report.get("tests") or ():
        failure = test.get("failure")
        if test.get("outcome") not in ("failed", "error") or not isinstance(failure, Mapping):
            continue
        reqs = _requirements(test)
        key = (test["outcome"], failure.get("check"), tuple(reqs), normalise(failure.get("message", "")))
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "outcome": test["outcome"],
                "check": failure.get("check"),
                "requirements": reqs,
                "title": dict(failure.get("title") or {"ja": "—", "en": "—"}),
                "message": str(failure.get("message", ""))[:1000],
                "count": 0,
                "tests": [],
            }
        group["tests"].append(test["id"])
        group["count"] += 1
    order = {"failed": 0, "error": 1}
    return sorted(groups.values(), key=lambda g: (order[g["outcome"]], -g["count"]))
