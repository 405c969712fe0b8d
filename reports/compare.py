"""Several vendors' reports side by side, requirement by requirement.

Each report is verified first; a report whose digest, signature or schema fails is still shown but
flagged, so a municipality never reads a tampered column as if it were sound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reports import labels
from reports.render.html import environment
from reports.render.markdown import cell
from reports.verify import verify

ABSENT = "absent"


def _column(index: int, report: Mapping[str, Any]) -> dict[str, Any]:
    target = report.get("target") if isinstance(report.get("target"), Mapping) else {}
    system = target.get("system") if isinstance(target.get("system"), Mapping) else {}
    summary = report.get("summary") if isinstance(report.get("summary"), Mapping) else {}
    problems = verify(report)
    digest = report.get("digest") if isinstance(report.get("digest"), Mapping) else {}
    return {
        "index": index,
        "system": str(system.get("name") or f"report {index + 1}"),
        "vendor": str(system.get("vendor") or "?"),
        "version": system.get("version"),
        "generated_at": report.get("generated_at"),
        "suite_version": (report.get("suite") or {}).get("version"),
        "claims": [c.get("operation") for c in report.get("claims") or () if isinstance(c, Mapping)],
        "conformant": bool(summary.get("conformant")),
        "requirements": dict(summary.get("requirements") or {}),
        "digest": digest.get("value"),
        "signed": report.get("signature") is not None,
        "verified": not problems,
        "problems": problems,
    }


def compare(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Put ``reports`` side by side.

    Returns ``{"columns": [...], "rows": [...], "operations": {id: {"ja", "en"}}}``: one column per
    report (system, vendor, verdict, counts, ``verified`` and its ``problems``) and one row per
    requirement id found in any report, in the reports' order of operations then by id, with ``statuses`` (one per
    column, ``"absent"`` where the report lacks the requirement) and ``differs`` (statuses differ).
    """
    columns = [_column(i, r) for i, r in enumerate(reports)]
    rows: dict[str, dict[str, Any]] = {}
    operations: dict[str, dict[str, str]] = {}
    for report in reports:
        for standard in report.get("standards") or ():
            if isinstance(standard, Mapping) and isinstance(standard.get("name"), Mapping):
                operations.setdefault(str(standard.get("id")), dict(standard["name"]))
    for index, report in enumerate(reports):
        for requirement in report.get("requirements") or ():
            if not isinstance(requirement, Mapping) or "id" not in requirement:
                continue
            row = rows.setdefault(
                requirement["id"],
                {
                    "id": requirement["id"],
                    "operation": requirement.get("operation"),
                    "level": requirement.get("level"),
                    "text": requirement.get("text") or {"ja": "", "en": ""},
                    "statuses": [ABSENT] * len(reports),
                },
            )
            row["statuses"][index] = requirement.get("status", ABSENT)
    for row in rows.values():
        row["differs"] = len(set(row["statuses"])) > 1
        operations.setdefault(
            str(row["operation"]), {"ja": str(row["operation"]), "en": str(row["operation"])}
        )
    position = {op: index for index, op in enumerate(operations)}  # the reports' order of standards
    ordered = sorted(rows.values(), key=lambda r: (position[str(r["operation"])], r["id"]))
    return {"columns": columns, "rows": ordered, "operations": operations}


def render_compare_html(cmp: Mapping[str, Any]) -> str:
    """One self-contained HTML page of a comparison (tables per operation, flags on unverified reports)."""
    by_operation: dict[str, list[Mapping[str, Any]]] = {}
    for row in cmp["rows"]:
        by_operation.setdefault(str(row["operation"]), []).append(row)
    return (
        environment()
        .get_template("compare.html.j2")
        .render(columns=cmp["columns"], by_operation=by_operation, operations=cmp["operations"])
    )


def render_compare_markdown(cmp: Mapping[str, Any]) -> str:
    """A Markdown table of a comparison: one column per report, one row per requirement."""
    columns = cmp["columns"]
    head = " | ".join(
        cell(f"{c['system']} ({c['vendor']})") + ("" if c["verified"] else " ⚠") for c in columns
    )
    lines = [
        "# 適合性試験報告書の比較 / Comparison of conformance reports",
        "",
        "| | " + head + " |",
        "| --- |" + " --- |" * len(columns),
        "| 判定 / Verdict | "
        + " | ".join(labels.both(labels.VERDICT, c["conformant"]) for c in columns)
        + " |",
        "| 検証 / Verification | "
        + " | ".join("OK" if c["verified"] else "**検証失敗 / FAILED**" for c in columns)
        + " |",
        "",
        "| 要件 / Requirement | 区分 / Level | " + head + " |",
        "| --- | --- |" + " --- |" * len(columns),
    ]
    for row in cmp["rows"]:
        statuses = " | ".join(
            (f"**{labels.both(labels.STATUS, s)}**" if row["differs"] else labels.both(labels.STATUS, s))
            for s in row["statuses"]
        )
        lines.append(f"| {row['id']} | {labels.both(labels.LEVEL, row['level'])} | {statuses} |")
    flagged = [c for c in columns if not c["verified"]]
    if flagged:
        lines += ["", "## 検証に失敗した報告書 / Reports that failed verification", ""]
        for c in flagged:
            lines.append(f"- {cell(c['system'])} ({cell(c['vendor'])}):")
            lines += [f"  - `{p}`" for p in c["problems"]]
    return "\n".join(lines) + "\n"
