"""``kikan standards diff`` output: text (one line per change), Markdown and JSON, grouped by what a
vendor must do. Japanese first, English beside, as everywhere in the project."""

from __future__ import annotations

import json
from typing import Any

from standards.diff import IMPACT_LABEL, IMPACTS, DiffResult
from standards.diff_parts import show

FORMATS = ("text", "markdown", "json")


def summary(result: DiffResult) -> str:
    """The closing count line."""
    must, may, none = (result.count(i) for i in IMPACTS)
    total = len(result.changes)
    line = (
        f"{total} 件の変更（対応が必要 {must} 件、対応してもよい {may} 件、対応不要 {none} 件）"
        f" / {total} change{'s' if total != 1 else ''}: {must} must change, {may} may change, {none} nothing to do"
    )
    if result.errors:
        line += f"; 誤り {len(result.errors)} 件 / {len(result.errors)} error{'s' if len(result.errors) != 1 else ''}"
    return line


def render_text(result: DiffResult, old: str, new: str) -> str:
    """One line per change under its group; the errors of the new version; a count line."""
    lines = [f"標準の差分 / standards diff: {old} → {new}"]
    for impact in IMPACTS:
        group = [c for c in result.changes if c.impact == impact]
        if group:
            ja, en = IMPACT_LABEL[impact]
            lines += ["", f"■ {ja} / {en} ({len(group)})"]
            lines += [f"  {c.line()}" for c in group]
    if result.errors:
        lines += ["", f"✗ 誤り / errors ({len(result.errors)})"]
        lines += [f"  {e}" for e in result.errors]
    return "\n".join([*lines, "", summary(result)]) + "\n"


def _cell(value: Any) -> str:
    return show(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(result: DiffResult, old: str, new: str) -> str:
    """A Markdown page: one table per group, then the errors."""
    lines = ["# 標準の差分 / Standards diff", "", f"`{old}` → `{new}`", "", summary(result)]
    for impact in IMPACTS:
        group = [c for c in result.changes if c.impact == impact]
        ja, en = IMPACT_LABEL[impact]
        lines += ["", f"## {ja} / {en} ({len(group)})", ""]
        if not group:
            lines.append("なし / none")
            continue
        lines += [
            "| 業務 operation | 変更 / change | 旧 old | 新 new | 該当 applies to | 文言が変わる要件 texts |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for c in group:
            lines.append(
                f"| {c.operation} | {_cell(c.what_ja)} / {_cell(c.what_en)} | {_cell(c.old)} | {_cell(c.new)} | "
                f"{', '.join(f'`{p}`' for p in c.places)} | {', '.join(c.affects)} |"
            )
    if result.errors:
        lines += ["", f"## 誤り / Errors ({len(result.errors)})", ""]
        lines += [f"- {e}" for e in result.errors]
    return "\n".join(lines) + "\n"


def render_json(result: DiffResult, old: str, new: str) -> str:
    """The changes and errors as JSON (``changes`` must first; ``summary`` counts by impact)."""
    document = {
        "old": old,
        "new": new,
        "summary": {impact: result.count(impact) for impact in IMPACTS} | {"errors": len(result.errors)},
        "changes": [
            c.as_json()
            | {
                "texts": [
                    {
                        "id": rid,
                        "old": {"ja": result.texts[rid][0].ja, "en": result.texts[rid][0].en},
                        "new": {"ja": result.texts[rid][1].ja, "en": result.texts[rid][1].en},
                    }
                    for rid in c.affects
                ]
            }
            for c in result.changes
        ],
        "errors": [
            {"operation": e.operation, "message": {"ja": e.message_ja, "en": e.message_en}}
            for e in result.errors
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(result: DiffResult, old: str, new: str, fmt: str = "text") -> str:
    """``result`` in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "markdown":
        return render_markdown(result, old, new)
    if fmt == "json":
        return render_json(result, old, new)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    return render_text(result, old, new)
