"""Reports of ``kikan data validate``: JSON (with a schema), a self-contained HTML page, JUnit XML.

Personal data stays out: a problem names its file, row, column, item and the kind of fault. The
offending value and the validator's own message (which may quote it) appear only when the run was
asked for values (``--show-values``); the report says which.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from migration.layout import layouts
from migration.validate import Result

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "validation-report.schema.json"
SCHEMA_ID = "https://kikan-conformance.example/migration/validation-report.schema.json"
SHOWN_PROBLEMS = 2000


def to_json(result: Result, *, show_values: bool = False) -> dict[str, Any]:
    """The report as JSON data (valid against ``schema/validation-report.schema.json``)."""
    problems = []
    for p in result.problems:
        out: dict[str, Any] = {
            "file": p.file,
            "entity": p.entity,
            "row": p.row,
            "column": p.column,
            "item": p.item,
            "code": p.code,
            "message": {"ja": p.message_ja, "en": p.message_en},
        }
        if show_values:
            out["value"] = p.value
            out["detail"] = p.detail
        problems.append(out)
    return {
        "$schema": SCHEMA_ID,
        "kind": "kikan-data-validation",
        "operation": result.operation,
        "valid": result.ok,
        "values_shown": show_values,
        "files": [
            {"file": f.file, "entity": f.entity, "rows": f.rows, "converted_from": f.converted_from}
            for f in result.files
        ],
        "counts": result.counts(),
        "problem_count": len(result.problems),
        "not_checked": result.not_checked,
        "problems": problems,
    }


def _label(operation: str, entity: str, column: str) -> str:
    for lay in layouts(operation):
        if lay.entity == entity:
            for c in lay.columns:
                if c.name == column:
                    return f"{c.label_ja} / {c.label_en}"
    return column


def to_html(result: Result, *, show_values: bool = False) -> str:
    """A self-contained page a municipality officer can read: verdict, counts per fault, the problems."""
    e = html.escape
    verdict = (
        ("問題はありません", "No problems found", "ok")
        if result.ok
        else (
            f"{len(result.problems):,} 件の問題があります",
            f"{len(result.problems):,} problems found",
            "ng",
        )
    )
    rows = "".join(
        f"<tr><td>{e(f.file)}</td><td>{e(f.entity)}</td><td class=n>{f.rows:,}</td></tr>"
        for f in result.files
    )
    counts = "".join(
        f"<tr><td><code>{e(code)}</code></td><td>{e(_first(result, code).message_ja)}<br><small>"
        f"{e(_first(result, code).message_en)}</small></td><td class=n>{n:,}</td></tr>"
        for code, n in result.counts().items()
    )
    shown = result.problems[:SHOWN_PROBLEMS]
    problems = "".join(
        f"<tr><td>{e(p.file)}</td><td class=n>{p.row:,}</td><td>{e(_label(result.operation, p.entity, p.column))}"
        f"<br><small><code>{e(p.column)}</code></small></td><td><code>{e(p.code)}</code></td>"
        f"<td>{e(p.message_ja)}<br><small>{e(p.message_en)}</small></td>"
        + (f"<td>{e(repr(p.value))}<br><small>{e(p.detail or '')}</small></td>" if show_values else "")
        + "</tr>"
        for p in shown
    )
    more = (
        f"<p>先頭の {SHOWN_PROBLEMS:,} 件を表示しています（全件は JSON 報告書にあります）/ "
        f"The first {SHOWN_PROBLEMS:,} are shown; the JSON report has them all.</p>"
        if len(result.problems) > SHOWN_PROBLEMS
        else ""
    )
    not_checked = "".join(f"<li>{e(n)}</li>" for n in result.not_checked)
    privacy = (
        "値を表示しています（個人情報を含みます）/ Values are shown (personal data)"
        if show_values
        else "値は表示していません（個人情報保護のため）/ Values are not shown (personal data)"
    )
    return f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>移行データ検証結果 / Migration file validation</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}}.n{{text-align:right}}
.ok{{background:#e6f4ea;padding:1em}}.ng{{background:#fde8e8;padding:1em}}small{{color:#555}}</style></head>
<body><h1>移行データ検証結果 <small>Migration file validation</small></h1>
<p>業務 / Operation: <code>{e(result.operation)}</code></p>
<div class="{verdict[2]}"><strong>{e(verdict[0])}</strong> / {e(verdict[1])}</div>
<p>{e(privacy)}</p>
<h2>ファイル <small>Files</small></h2><table><tr><th>ファイル / File</th><th>エンティティ / Entity</th>
<th>行数 / Rows</th></tr>{rows}</table>
{"<h2>検査できなかった規則 <small>Rules not checked</small></h2><ul>" + not_checked + "</ul>" if not_checked else ""}
<h2>誤りの種類ごとの件数 <small>Problems per kind</small></h2><table><tr><th>コード / Code</th>
<th>内容 / Meaning</th><th>件数 / Count</th></tr>{counts}</table>
<h2>問題の一覧 <small>Problems</small></h2>{more}<table><tr><th>ファイル / File</th><th>行 / Row</th>
<th>項目 / Item</th><th>コード / Code</th><th>内容 / Meaning</th>{"<th>値 / Value</th>" if show_values else ""}</tr>
{problems}</table></body></html>
"""


def _first(result: Result, code: str) -> Any:
    return next(p for p in result.problems if p.code == code)


def to_junit(result: Result) -> str:
    """JUnit XML: one test case per file, failed with one line per problem (capped) when it has any."""
    suite = ET.Element(
        "testsuite",
        name=f"kikan data validate {result.operation}",
        tests=str(len(result.files)),
        failures=str(sum(1 for f in result.files if any(p.file == f.file for p in result.problems))),
    )
    for f in result.files:
        case = ET.SubElement(
            suite, "testcase", classname=f"migration.{result.operation}", name=f"{f.entity}: {f.file}"
        )
        mine = [p for p in result.problems if p.file == f.file]
        if mine:
            counts: dict[str, int] = {}
            for p in mine:
                counts[p.code] = counts.get(p.code, 0) + 1
            failure = ET.SubElement(
                case,
                "failure",
                message=", ".join(f"{c}: {n}" for c, n in counts.items()),
                type="MigrationFileProblems",
            )
            failure.text = "\n".join(f"row {p.row} {p.column}: {p.code}" for p in mine[:SHOWN_PROBLEMS])
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)


def write_reports(result: Result, out: Path, *, show_values: bool = False) -> list[Path]:
    """Write report.json, report.html and junit.xml to ``out``, each atomically."""
    out.mkdir(parents=True, exist_ok=True)
    docs = {
        "report.json": json.dumps(to_json(result, show_values=show_values), ensure_ascii=False, indent=1),
        "report.html": to_html(result, show_values=show_values),
        "junit.xml": to_junit(result),
    }
    written = []
    for name, text in docs.items():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, out / name)
        written.append(out / name)
    return written
