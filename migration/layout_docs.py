"""Writing a layout out: CSV (one row per column), Markdown, JSON Schema, and an empty template."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from migration.layout import Layout
from standards.loader import load_standards

FIELDS = (
    "column",
    "item",
    "member",
    "label_ja",
    "label_en",
    "type",
    "kind",
    "required",
    "max_length",
    "codes",
    "official_id",
)
NOTE_JA = "このレイアウトは基本データリストにならった本プロジェクトの規約です（公式レイアウトは未入手）。"
NOTE_EN = "This layout is this project's convention modelled on the 基本データリスト (the official layouts were not available)."


def _row(layout: Layout, i: int) -> dict[str, str]:
    c = layout.columns[i]
    return {
        "column": c.name,
        "item": c.item,
        "member": c.member or "",
        "label_ja": c.label_ja,
        "label_en": c.label_en,
        "type": c.type,
        "kind": c.kind,
        "required": "yes" if c.required else "",
        "max_length": "" if c.max_length is None else str(c.max_length),
        "codes": " ".join(c.enum) if len(c.enum) <= 20 else f"{c.codelist or ''} ({len(c.enum)} codes)",
        "official_id": c.official_id or "",
    }


def _gyomu_no(operation: str) -> str:
    return load_standards().operation(operation).gyomu_no or "-"


def layout_csv(layout: Layout) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for i in range(len(layout.columns)):
        writer.writerow(_row(layout, i))
    return buffer.getvalue()


def layout_markdown(layout: Layout) -> str:
    lines = [
        f"# {layout.label_ja} / {layout.label_en} — `{layout.file_name}`",
        "",
        f"{NOTE_JA}  ",
        NOTE_EN,
        "",
        "UTF-8 (BOM可 / BOM allowed), カンマ区切り / comma-separated, RFC 4180; 1行目は列名 / the first row holds the "
        "column names; 空欄は項目なし / an empty cell is an absent item; 真偽値 / booleans `true`/`false`; "
        "配列は JSON / arrays as JSON text.",
        "",
        f"業務番号 / operation number: {_gyomu_no(layout.operation)}; "
        f"キー / key: {', '.join(f'`{k}`' for k in layout.key)}",
        "",
        "| 列 / column | 項目 / item | 型 / type | 必須 / required | 桁 / max | コード / codes |",
        "| --- | --- | --- | --- | ---: | --- |",
    ]
    for i in range(len(layout.columns)):
        r = _row(layout, i)
        lines.append(
            f"| `{r['column']}` | {r['label_ja']} / {r['label_en']} | {r['type']} | {r['required']} | "
            f"{r['max_length']} | {r['codes']} |"
        )
    return "\n".join(lines) + "\n"


def template_csv(layout: Layout) -> str:
    return ",".join(c.name for c in layout.columns) + "\n"


def write_layout(layout: Layout, out: Path) -> list[Path]:
    """Write ``<op>_<entity>.layout.csv``, ``.md``, ``.schema.json`` and the empty ``.csv`` template."""
    stem = layout.file_name.removesuffix(".csv")
    docs = {
        f"{stem}.layout.csv": layout_csv(layout),
        f"{stem}.layout.md": layout_markdown(layout),
        f"{stem}.schema.json": json.dumps(layout.schema, ensure_ascii=False, indent=1) + "\n",
        f"{stem}.template.csv": template_csv(layout),
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in docs.items():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, out / name)
        written.append(out / name)
    return written
