"""What every renderer shows, prepared once: ordering, grouping, counts and display text.

The renderers (HTML, JUnit, Markdown) only lay out what these functions return, so the order
(failures first) and the figures are the same in every format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reports import labels, status

#: the order in which requirement groups are shown: what needs attention first
STATUS_ORDER = ("failed", "error", "not_verified", "passed", "not_run", "not_claimed", "not_testable")
#: groups shown collapsed by default
COLLAPSED = frozenset({"passed", "not_run", "not_claimed", "not_testable"})
LEVELS = ("must", "option")


def operation_names(report: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Operation id -> ``{"ja", "en", "version"}`` from the report's standards (id as fallback)."""
    names: dict[str, dict[str, str]] = {}
    for standard in report.get("standards") or ():
        name = standard.get("name") or {}
        names[standard["id"]] = {
            "ja": name.get("ja", standard["id"]),
            "en": name.get("en", standard["id"]),
            "version": standard.get("version", ""),
        }
    for item in list(report.get("requirements") or ()) + list(report.get("tests") or ()):
        op = item.get("operation")
        if op and op not in names:
            names[op] = {"ja": op, "en": op, "version": ""}
    return names


def operations(report: Mapping[str, Any]) -> list[str]:
    """Operation ids in the order of the report's standards, then any others sorted."""
    names = operation_names(report)
    ordered = [s["id"] for s in report.get("standards") or ()]
    return ordered + sorted(op for op in names if op not in ordered)


def tests_by_id(report: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Test id -> test."""
    return {t["id"]: t for t in report.get("tests") or ()}


def requirement_view(
    report: Mapping[str, Any],
    requirement: Mapping[str, Any],
    *,
    bound: Mapping[str, list[str]] | None = None,
    tests: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """A requirement with its bound tests resolved (missing ones shown as not run).

    ``bound`` (:func:`reports.status.bound_tests`) and ``tests`` (:func:`tests_by_id`) may be
    passed in when resolving many requirements of one report, so they are computed once.
    """
    tests = tests if tests is not None else tests_by_id(report)
    bound = bound if bound is not None else status.bound_tests(report)
    resolved = [
        tests.get(tid) or {"id": tid, "name": tid.rsplit("::", 1)[-1], "outcome": status.NOT_RUN}
        for tid in bound.get(requirement["id"], [])
    ]
    order = {"failed": 0, "error": 1, "skipped": 2, status.NOT_RUN: 3, "passed": 4}
    resolved.sort(key=lambda t: order.get(t.get("outcome"), 5))
    return {**requirement, "resolved_tests": resolved}


def groups(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Requirements grouped by status in :data:`STATUS_ORDER`, each group split by operation.

    Returns ``[{"status", "label_ja", "label_en", "collapsed", "count", "operations":
    [{"id", "name", "requirements": [...]}]}]``, empty groups left out.
    """
    names = operation_names(report)
    bound, tests = status.bound_tests(report), tests_by_id(report)
    result = []
    for state in STATUS_ORDER:
        members = [r for r in report.get("requirements") or () if r.get("status") == state]
        if not members:
            continue
        per_op = []
        for op in operations(report):
            reqs = [
                requirement_view(report, r, bound=bound, tests=tests)
                for r in members
                if r.get("operation") == op
            ]
            if reqs:
                per_op.append({"id": op, "name": names[op], "requirements": reqs})
        ja, en = labels.STATUS[state]
        result.append(
            {
                "status": state,
                "label_ja": ja,
                "label_en": en,
                "collapsed": state in COLLAPSED,
                "count": len(members),
                "operations": per_op,
            }
        )
    return result


def level_table(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per operation and level with status counts and bar segments (percent widths)."""
    names = operation_names(report)
    rows = []
    for op in operations(report):
        for level in LEVELS:
            reqs = [
                r
                for r in report.get("requirements") or ()
                if r.get("operation") == op and r.get("level") == level
            ]
            if not reqs:
                continue
            counts = status.count((r.get("status") for r in reqs), status.REQUIREMENT_STATUSES)
            total = len(reqs)
            segments = [
                {"status": s, "count": counts[s], "percent": round(100 * counts[s] / total, 2)}
                for s in STATUS_ORDER
                if counts.get(s)
            ]
            rows.append(
                {
                    "operation": op,
                    "name": names[op],
                    "level": level,
                    "counts": counts,
                    "total": total,
                    "segments": segments,
                    "first_status": segments[0]["status"],
                }
            )
    return rows


def failing_tests(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Tests that failed, then tests that errored, in report order."""
    tests = list(report.get("tests") or ())
    return [t for t in tests if t.get("outcome") == "failed"] + [
        t for t in tests if t.get("outcome") == "error"
    ]


def body_text(body: Any) -> str:
    """A request or response body as display text (JSON pretty-printed, strings as they are)."""
    if body is None:
        return ""
    if isinstance(body, str):
        try:
            return json.dumps(json.loads(body), ensure_ascii=False, indent=2)
        except ValueError:
            return body
    return json.dumps(body, ensure_ascii=False, indent=2)


def example_text(example: Any) -> str:
    """The minimal example as display text."""
    if example is None:
        return ""
    return example if isinstance(example, str) else json.dumps(example, ensure_ascii=False, indent=2)


def header_lines(headers: Mapping[str, str] | None) -> str:
    """HTTP headers as ``Name: value`` lines."""
    return "\n".join(f"{k}: {v}" for k, v in (headers or {}).items())


def claim_views(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The claims with each option named: ``{"operation", "name", "standard_version", "options":
    [{"id", "ja", "en"}]}``, the option's text taken from the report's requirement of that id."""
    names = operation_names(report)
    texts = {
        r["id"]: r.get("text") or {}
        for r in report.get("requirements") or ()
        if isinstance(r, Mapping) and "id" in r
    }
    result = []
    for claim in report.get("claims") or ():
        op = claim.get("operation")
        options = [
            {"id": oid, "ja": texts.get(oid, {}).get("ja", ""), "en": texts.get(oid, {}).get("en", "")}
            for oid in claim.get("options") or ()
        ]
        result.append(
            {
                "operation": op,
                "name": names.get(op, {"ja": op, "en": op}),
                "standard_version": claim.get("standard_version", ""),
                "options": options,
            }
        )
    return result


def section_id(state: str, operation: str | None = None) -> str:
    """The anchor of a status group (and of one operation inside it), for links from the summary."""
    return f"g-{state}" + (f"-{operation}" if operation else "")


def verdict(report: Mapping[str, Any]) -> tuple[bool, str, str]:
    """``(passed, ja, en)``: the verdict in words (a partial run says so; see :mod:`.verdict`)."""
    from reports.render.verdict import verdict_line

    line = verdict_line(report)
    return bool(line["ok"]), line["ja"], line["en"]
