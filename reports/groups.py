"""Failures with one root cause, grouped: one missing ETag seen by fifteen tests is one group.

A group is the failures (and errors) of the tests that share the check that failed, the
requirements the failure counts against and the message once its variable parts (numbers,
identifiers, quoted values, item paths, the subject a parametrised test was run on) are blanked
out. :func:`failure_groups` computes them from a report's
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


#: a collection path with its key blanked (``residents/#``): which resource is the subject, not the cause
_ITEM_PATH = re.compile(r"[A-Za-z_][\w.-]*/#")
#: the parameters of a parametrised test id (``test_x[juki.tenkyo]``): the subject, not the cause
_PARAMS = re.compile(r"\[([^\]]*)\]$")


def subject_words(test_id: str) -> tuple[str, ...]:
    """The words of a parametrised test id's parameters (``juki``, ``tenkyo``), blanked when grouping."""
    found = _PARAMS.search(test_id)
    return tuple(w for w in re.split(r"[^\w]+", found.group(1)) if len(w) > 1) if found else ()


def normalise(message: str, subject: tuple[str, ...] = ()) -> str:
    """``message`` with its variable parts blanked out (numbers, identifiers, quoted values, item
    paths and the ``subject`` words of the test), so two places of one cause compare equal."""
    text = " ".join(str(message).split())
    for pattern, replacement in _VARIABLE:
        text = pattern.sub(replacement, text)
    text = _ITEM_PATH.sub("…/#", text)
    for word in sorted(subject, key=len, reverse=True):
        text = re.sub(rf"(?<![\w]){re.escape(word)}(?![\w])", "…", text)
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
        cause = normalise(failure.get("message", ""), subject_words(test["id"]))
        key = (test["outcome"], failure.get("check"), tuple(reqs), cause)
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
