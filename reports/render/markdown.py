"""The Markdown summary of a report: verdict, a table by operation, failed requirements to reproduce."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports import labels, status, trust
from reports.render import view
from reports.render.verdict import reasons, verdict_line

COLUMNS = ("passed", "failed", "error", "not_verified", "not_run", "not_claimed", "not_testable")


def cell(text: Any) -> str:
    """Text made safe for one Markdown table cell (pipes escaped, no line breaks)."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def fence(text: str, lang: str = "") -> str:
    """A fenced code block long enough that ``text`` cannot close it."""
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{lang}\n{text}\n{ticks}"


def _when(timestamp: Any) -> str:
    ja, west = labels.wareki_datetime(timestamp)
    return f"{ja} ({west})"


def _signature_line(report: Mapping[str, Any]) -> str:
    fp = trust.embedded_fingerprint(report)
    if fp is None:
        return "署名なし / unsigned: nothing shows who made this report"
    return (
        f"鍵 `{fp}` で署名 / signed with key `{fp}`; 事業者の公表した指紋と照合してください / compare it "
        f"with the vendor's published fingerprint: `kikan report verify report.json --fingerprint {fp}`"
    )


def render_markdown(report: Mapping[str, Any]) -> str:
    """A short Markdown summary: verdict, counts by operation, and each failed requirement with its
    reproduction (errored and unverified requirements are listed by id)."""
    box = verdict_line(report)
    target = report.get("target") or {}
    system = target.get("system") or {}
    run = report.get("run") or {}
    suite = report.get("suite") or {}
    sealed = report.get("digest") or {}
    names = view.operation_names(report)
    lines = [
        "# 適合性試験報告書 / Conformance report",
        "",
        f"**{box['line']}** — {system.get('name', '?')} {system.get('version') or ''} ({system.get('vendor', '?')})",
        "",
        *[
            f"- {line['id']} ({labels.both(labels.STATUS, line['status'])}): {cell(line['text'])}"
            for line in reasons(report)
        ],
        "",
        f"- 接続先 / Target: `{target.get('url', '')}`",
        f"- 試験スイート / Suite: {suite.get('name', '')} {suite.get('version', '')}; "
        f"profile `{run.get('profile', '')}`, seed `{run.get('seed', '')}`",
        f"- 実行日時 / Run: {_when(run.get('started_at'))} – {_when(run.get('finished_at'))}",
        f"- ダイジェスト / Digest: `{sealed.get('value', 'なし / none')}` (偶発的な変更の検出のみ / detects "
        "accidental change only)",
        f"- 署名 / Signature: {_signature_line(report)}",
        "",
        "| 業務 / Operation | "
        + " | ".join(f"{labels.STATUS[c][0]} / {labels.STATUS[c][1]}" for c in COLUMNS)
        + " |",
        "| --- |" + " ---: |" * len(COLUMNS),
    ]
    by_operation = (report.get("summary") or {}).get("by_operation") or {}
    for op in view.operations(report):
        counts = by_operation.get(op, {})
        name = names[op]
        lines.append(
            f"| {cell(name['ja'])} / {cell(name['en'])} | "
            + " | ".join(str(counts.get(c, 0)) for c in COLUMNS)
            + " |"
        )
    totals = (report.get("summary") or {}).get("requirements") or {}
    lines.append("| **計 / Total** | " + " | ".join(f"**{totals.get(c, 0)}**" for c in COLUMNS) + " |")
    requirements = list(report.get("requirements") or ())
    failed = [view.requirement_view(report, r) for r in requirements if r.get("status") == "failed"]
    lines += ["", f"## 不合格の要件 / Failed requirements ({len(failed)})", ""]
    if not failed:
        lines.append("なし / None.")
    for req in failed:
        lines += [
            f"### {req['id']} ({labels.both(labels.LEVEL, req.get('level'))})",
            "",
            f"{req['text']['ja']}  ",
            f"*{req['text']['en']}*",
            "",
        ]
        for test in req["resolved_tests"]:
            failure = test.get("failure")
            if status.outcome_for(test, req["id"]) != "failed" or not failure:
                continue
            lines += [
                f"- `{test['id']}`: {failure['title']['ja']} / {failure['title']['en']}",
                *([f"  - {cell(failure['message_ja'])}"] if failure.get("message_ja") else []),
                f"  - {cell(failure.get('message', ''))}",
            ]
            curl = (failure.get("reproduction") or {}).get("curl")
            if curl:
                lines += ["", fence(curl, "sh"), ""]
    grouped = [g for g in report.get("failure_groups") or () if g.get("count", 0) > 1]
    if grouped:
        lines += ["", f"## 同じ原因の不合格 / Failures with one cause ({len(grouped)})", ""]
        for group in grouped:
            ids = ", ".join(group.get("requirements") or ()) or "—"
            lines.append(
                f"- {group['title']['ja']} / {group['title']['en']} ({ids}, `{group.get('check')}`): "
                f"{group['count']} 箇所 / places — " + ", ".join(f"`{t}`" for t in group["tests"])
            )
    for state in ("error", "not_verified"):
        ids = [r["id"] for r in requirements if r.get("status") == state]
        if ids:
            lines += ["", f"## {labels.both(labels.STATUS, state)} ({len(ids)})", "", ", ".join(ids)]
    return "\n".join(lines).rstrip() + "\n"
