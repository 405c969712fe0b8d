"""The report's JSON Schema (2020-12) and validation against it.

``report.schema.json`` beside this module is the normative definition of a report. :func:`validate`
checks a report against it and adds the few rules a JSON Schema cannot express (unique ids,
references between requirements and tests), returning every problem at once.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_FILE = "report.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    """Return the report JSON Schema as a dict (read once)."""
    text = resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def json_pointer(path: Any) -> str:
    """RFC 6901 JSON Pointer of a path (a sequence of keys and indexes); ``(root)`` for the root."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else "(root)"


def validate(report: Any) -> list[str]:
    """Every problem of ``report`` as ``"<json pointer>: message"``; an empty list when valid."""
    problems = [
        f"{json_pointer(error.absolute_path)}: {error.message}"
        for error in sorted(_validator().iter_errors(report), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if isinstance(report, dict):
        problems.extend(_cross_references(report))
    return problems


def _cross_references(report: dict[str, Any]) -> list[str]:
    """Rules across the document: unique ids and tests naming known requirements."""
    problems: list[str] = []
    requirements = [r for r in report.get("requirements") or [] if isinstance(r, dict)]
    tests = [t for t in report.get("tests") or [] if isinstance(t, dict)]
    for name, items in (("requirements", requirements), ("tests", tests)):
        counts = Counter(item.get("id") for item in items)
        for index, item in enumerate(items):
            if counts[item.get("id")] > 1:
                problems.append(f"/{name}/{index}/id: duplicate id {item.get('id')!r}")
    known = {r.get("id") for r in requirements}
    for index, test in enumerate(tests):
        for position, rid in enumerate(test.get("requirements") or []):
            if rid not in known:
                problems.append(f"/tests/{index}/requirements/{position}: unknown requirement {rid!r}")
    claimed = [c.get("operation") for c in report.get("claims") or [] if isinstance(c, dict)]
    for operation, count in Counter(claimed).items():
        if count > 1:
            problems.append(f"/claims: operation {operation!r} is claimed {count} times")
    return problems
