"""Several vendors' reports side by side, for choosing between vendors.

Each report becomes a column with a short key (A, B, …) and everything a reader needs to tell the
columns apart: vendor, system and version, run date, profile, seed, suite and standard versions,
and who signed it, assessed against the keys the reader trusts (:mod:`reports.trust`). A report
whose digest, signature or schema fails is still shown, flagged, so a tampered column is never read
as sound. Requirements whose results differ come first; the full table follows.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

from reports import labels, trust
from reports.render.html import environment
from reports.render.markdown import cell

ABSENT = "absent"
#: the counts of the per-operation summary, in display order
SUMMARY_STATUSES = ("passed", "failed", "error", "not_verified")
#: short labels of the statuses inside the narrow cells of the comparison -> (ja, en); any status
#: without a short form keeps its full label
SHORT_STATUS = {
    **labels.STATUS,
    "not_claimed": ("対象外", "Not claimed"),
    "not_testable": ("試験対象外", "Not testable"),
    ABSENT: ("記載なし", "Absent"),
}
#: counts shown in a summary cell only when not zero
EXTRA_SUMMARY_STATUSES = ("not_run", "not_claimed")


def column_key(index: int) -> str:
    """A, B, … Z, then A2, B2, …: the short name of a column, used in the narrow table headers."""
    letters = string.ascii_uppercase
    return letters[index % 26] + (str(index // 26 + 1) if index >= 26 else "")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _column(index: int, report: Mapping[str, Any], assessment: trust.Assessment) -> dict[str, Any]:
    target = _mapping(report.get("target"))
    system = _mapping(target.get("system"))
    summary = _mapping(report.get("summary"))
    run = _mapping(report.get("run"))
    started = run.get("started_at") or report.get("generated_at")
    return {
        "index": index,
        "key": column_key(index),
        "system": str(system.get("name") or f"report {index + 1}"),
        "vendor": str(system.get("vendor") or "?"),
        "version": system.get("version"),
        "run_at": started,
        "run_at_wareki": labels.wareki_datetime(started),
        "generated_at": report.get("generated_at"),
        "profile": run.get("profile"),
        "seed": run.get("seed"),
        "suite_version": _mapping(report.get("suite")).get("version"),
        "standards": [
            {"id": s.get("id"), "version": s.get("version")}
            for s in report.get("standards") or ()
            if isinstance(s, Mapping)
        ],
        "claims": [c.get("operation") for c in report.get("claims") or () if isinstance(c, Mapping)],
        "conformant": bool(summary.get("conformant")),
        "requirements": dict(_mapping(summary.get("requirements"))),
        "digest": assessment.digest,
        "signed": report.get("signature") is not None,
        "signer": assessment.signer,
        "signer_short": trust.short(assessment.signer),
        "signer_name": assessment.signer_name,
        "state": assessment.state,
        "state_label": assessment.label,
        "verified": assessment.state != "invalid",
        "problems": assessment.problems,
    }


def compare(
    reports: Sequence[Mapping[str, Any]], trust_store: trust.TrustStore | None = None
) -> dict[str, Any]:
    """Put ``reports`` side by side for a reader who trusts the keys in ``trust_store``.

    Returns ``{"columns", "rows", "differences", "operations", "summary"}``: one column per report;
    one row per requirement id found in any report (the reports' order of operations, then by id)
    with ``statuses`` (one per column, ``"absent"`` where a report lacks it) and ``differs``;
    ``differences`` the rows that differ; ``summary`` per operation the counts of passed, failed,
    error and not verified requirements of each column (``None`` where a report lacks the operation).
    """
    columns = [_column(i, r, trust.assess(r, trust_store)) for i, r in enumerate(reports)]
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
    summary = []
    for op in operations:
        cells: list[dict[str, int] | None] = []
        for index in range(len(reports)):
            statuses = [r["statuses"][index] for r in ordered if r["operation"] == op]
            present = [s for s in statuses if s != ABSENT]
            counts = {s: present.count(s) for s in (*SUMMARY_STATUSES, *EXTRA_SUMMARY_STATUSES)}
            cells.append(counts if present else None)
        summary.append({"operation": op, "name": operations[op], "cells": cells})
    return {
        "columns": columns,
        "rows": ordered,
        "differences": [r for r in ordered if r["differs"]],
        "operations": operations,
        "summary": summary,
    }


def _by_operation(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(str(row["operation"]), []).append(row)
    return grouped


def render_compare_html(cmp: Mapping[str, Any]) -> str:
    """One self-contained HTML page of a comparison: the reports, the per-operation summary, the
    requirements whose results differ, and every requirement on demand."""
    return (
        environment()
        .get_template("compare.html.j2")
        .render(
            columns=cmp["columns"],
            summary=cmp["summary"],
            differences=_by_operation(cmp["differences"]),
            all_rows=_by_operation(cmp["rows"]),
            n_differences=len(cmp["differences"]),
            n_rows=len(cmp["rows"]),
            operations=cmp["operations"],
            short_status=SHORT_STATUS,
            summary_statuses=SUMMARY_STATUSES,
            extra_summary_statuses=EXTRA_SUMMARY_STATUSES,
            trust_states=trust.STATES,
        )
    )


def _status_cells(row: Mapping[str, Any]) -> str:
    texts = [
        f"{SHORT_STATUS[s][0]} / {SHORT_STATUS[s][1]}" if s in SHORT_STATUS else str(s)
        for s in row["statuses"]
    ]
    return " | ".join(f"**{t}**" if row["differs"] else t for t in texts)


def render_compare_markdown(cmp: Mapping[str, Any], *, full: bool = False) -> str:
    """Markdown of a comparison: the reports, the per-operation summary, the requirements whose
    results differ and, with ``full``, every requirement."""
    columns = cmp["columns"]
    keys = " | ".join(c["key"] for c in columns)
    lines = [
        "# 適合性試験報告書の比較 / Comparison of conformance reports",
        "",
        "| 記号 / Key | 事業者 / Vendor | システム / System | 実行日 / Run | プロファイル / Profile | シード / Seed "
        "| スイート / Suite | 標準 / Standards | 署名者 / Signer | 検証 / Verification | 判定 / Verdict |",
        "| --- " * 11 + "|",
    ]
    for c in columns:
        standards = ", ".join(f"{s['id']} {s['version']}" for s in c["standards"])
        signer = c["signer"] or "—"
        if c["signer_name"]:
            signer = f"{c['signer_name']} {signer}"
        state = f"{c['state_label'][0]} / {c['state_label'][1]}"
        lines.append(
            f"| {c['key']} | {cell(c['vendor'])} | {cell(c['system'])} {cell(c['version'] or '')} "
            f"| {c['run_at_wareki'][0]} ({c['run_at_wareki'][1]}) "
            f"| {labels.both(labels.PROFILE, c['profile'])} | {c['seed']} | {cell(c['suite_version'] or '—')} "
            f"| {cell(standards)} | `{signer}` | {'**' + state + '**' if not c['verified'] else state} "
            f"| {labels.both(labels.VERDICT, c['conformant'])} |"
        )
    lines += [
        "",
        "## 業務ごとの結果 / Results per operation",
        "",
        "合格・不合格・エラー・未検証の要件数 / requirements passed, failed, error, not verified",
        "",
        f"| 業務 / Operation | {keys} |",
        "| --- |" + " --- |" * len(columns),
    ]
    for op in cmp["summary"]:
        counts = ["—" if c is None else " · ".join(str(c[s]) for s in SUMMARY_STATUSES) for c in op["cells"]]
        lines.append(f"| {cell(op['name']['ja'])} / {cell(op['name']['en'])} | " + " | ".join(counts) + " |")
    sections = [("結果が異なる要件 / Requirements whose results differ", cmp["differences"])]
    if full:
        sections.append(("すべての要件 / All requirements", cmp["rows"]))
    for title, rows in sections:
        lines += ["", f"## {title} ({len(rows)})", ""]
        if not rows:
            lines.append("なし / None.")
            continue
        lines += [
            f"| 要件 / Requirement | 区分 / Level | {keys} |",
            "| --- | --- |" + " --- |" * len(columns),
        ]
        for row in rows:
            lines.append(
                f"| {row['id']} | {labels.both(labels.LEVEL, row['level'])} | {_status_cells(row)} |"
            )
    if not full:
        lines += ["", f"すべての要件 ({len(cmp['rows'])}) は `--all` で表示 / all requirements with `--all`."]
    flagged = [c for c in columns if not c["verified"]]
    if flagged:
        lines += ["", "## 検証に失敗した報告書 / Reports that failed verification", ""]
        for c in flagged:
            lines.append(f"- {c['key']}: {cell(c['system'])} ({cell(c['vendor'])}):")
            lines += [f"  - `{p}`" for p in c["problems"]]
    return "\n".join(lines) + "\n"
