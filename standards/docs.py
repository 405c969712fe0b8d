"""Reference pages: one Markdown page per operation (entities, code lists, API, requirements).

Japanese first, English beside it, as everywhere in the project.
"""

from __future__ import annotations

from pathlib import Path

from standards.model import CodeList, Item, Operation, Source, Standards


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") if text is not None else ""


def _source(src: Source | None) -> str:
    if src is None:
        return ""
    parts = [p for p in (src.document, src.section) if p]
    text = " ".join(parts) or "—"
    if src.url:
        text = f"[{text}]({src.url})"
    return f"{text} ({src.confidence})"


def _item_rows(items: tuple[Item, ...], prefix: str = "") -> list[str]:
    rows = []
    for it in items:
        flags = ", ".join(
            f
            for f, on in (
                ("必須 required", it.required),
                ("読取専用 read-only", it.read_only),
                ("null可 nullable", it.nullable),
            )
            if on
        )
        type_text = f"code ({it.codelist})" if it.type == "code" else it.type
        if it.of is not None:
            type_text = f"array of {it.of.type}"
        rows.append(
            f"| `{prefix}{it.name}` | {_cell(it.label.ja)} | {_cell(it.label.en)} | {type_text} | "
            f"{it.max_length or ''} | {flags} |"
        )
        rows += _item_rows(it.items, f"{prefix}{it.name}.")
        if it.of is not None and it.of.items:
            rows += _item_rows(it.of.items, f"{prefix}{it.name}[].")
    return rows


ITEM_HEADER = [
    "| 項目 item | 名称 | Label | 型 type | 最大文字数 max chars | |",
    "| --- | --- | --- | --- | --- | --- |",
]


def _codelist(cl: CodeList) -> list[str]:
    lines = [f"### {cl.label.ja} / {cl.label.en} (`{cl.id}`)", ""]
    if cl.description:
        lines += [cl.description.strip(), ""]
    if cl.max_chain:
        terms = ", ".join(c.label.ja for c in cl.codes if c.chain)
        lines += [
            f"「の」でつなげられる語 / terms that chain: {terms} — 最大 {cl.max_chain} 語 / at most "
            f"{cl.max_chain} terms",
            "",
        ]
    lines += ["| コード code | 名称 | Label | 有効期間 validity |", "| --- | --- | --- | --- |"]
    for c in cl.codes:
        validity = f"{c.valid_from or ''} – {c.valid_to or ''}" if (c.valid_from or c.valid_to) else ""
        lines.append(f"| `{c.code}` | {_cell(c.label.ja)} | {_cell(c.label.en)} | {validity} |")
    return lines + [""]


def operation_page(standards: Standards, op: Operation) -> str:
    """The Markdown reference page of one operation."""
    spec = op.specification
    out = [
        f"# {op.name.ja} / {op.name.en}",
        "",
        f"- 業務ID / id: `{op.id}` — 版 / version {op.version} — base path `{op.base_path}`",
        f"- 業務番号 / official number: {op.gyomu_no or '—'}"
        + (f" (基本データリスト: `{op.gyomu_no}_{op.name.ja}_基本データリスト…`)" if op.gyomu_no else ""),
        f"- 標準仕様書 / specification: {spec.title} {spec.edition or ''} {spec.ministry or ''} ({spec.confidence})".rstrip(),
        f"- 依存 / depends on: {', '.join(op.depends_on) or '—'}",
    ]
    if spec.current is not None:
        out.append(
            f"- 現行版 / current edition: {spec.current.edition} {spec.current.published or ''} "
            f"({spec.current.confidence}) — 本標準が模するのは {spec.edition or '不明'} / this standard models "
            f"{spec.edition or 'an unknown edition'}"
        )
    out.append("")
    if op.description:
        out += [op.description.strip(), ""]
    if op.entities:
        out += ["## データ項目 / Entities", ""]
        for e in op.entities:
            out += [f"### {e.label.ja} / {e.label.en} (`{e.id}`)", "", f"キー / key: {', '.join(e.key)}", ""]
            out += ITEM_HEADER + _item_rows(e.items) + [""]
    if op.codelists:
        out += ["## コード表 / Code lists", ""]
        for cl in op.codelists:
            out += _codelist(cl)
    if op.api.resources:
        out += [
            "## 照会 / Resources",
            "",
            "| resource | 名称 / label | path | entity | filters | temporal | requirements |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in op.api.resources:
            label = f"{_cell(r.label.ja)} / {_cell(r.label.en)}" if r.label else ""
            out.append(
                f"| `{r.id}` | {label} | `GET {op.base_path}{r.path}` | {r.entity} | {', '.join(f.name for f in r.filters)} | "
                f"{', '.join(r.temporal)} | {', '.join(r.requirements)} |"
            )
        out.append("")
    if op.api.commands:
        out += ["## 処理 / Commands", ""]
        for c in op.api.commands:
            out += [f"### {c.label.ja} / {c.label.en} — `POST {op.base_path}/commands/{c.id}`", ""]
            if c.description:
                out += [c.description, ""]
            out += [
                f"誤り / errors: {', '.join(c.errors) or '—'}; 要件 / requirements: {', '.join(c.requirements) or '—'}",
                "",
            ]
            out += ITEM_HEADER + _item_rows(c.request) + [""]
    if op.api.errors:
        out += [
            "## 誤りコード / Error codes",
            "",
            "| code | status | 内容 | Title |",
            "| --- | --- | --- | --- |",
        ]
        out += [
            f"| `{e.code}` | {e.status} | {_cell(e.title.ja)} | {_cell(e.title.en)} |" for e in op.api.errors
        ] + [""]
    if op.rules:
        out += [
            "## 規則 / Rules",
            "",
            "| rule | 名称 / label | value | validity | source |",
            "| --- | --- | --- | --- | --- |",
        ]
        for rule in op.rules:
            value = (
                f"{rule.value} {rule.unit or ''}".strip()
                if rule.table is None
                else f"table ({len(rule.table)} rows)"
            )
            out.append(
                f"| `{rule.id}` | {_cell(rule.label.ja)} / {_cell(rule.label.en)} | {_cell(value)} | "
                f"{rule.valid_from or ''} – {rule.valid_to or ''} | {_cell(_source(rule.source))} |"
            )
        out.append("")
    out += [
        "## 要件 / Requirements",
        "",
        "| id | level | kind | 要件 | Requirement | source | 試験不能の理由 / not tested |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for req in op.requirements:
        out.append(
            f"| {req.id} | {req.level} | {req.kind} | {_cell(req.text.ja)} | {_cell(req.text.en)} | "
            f"{_cell(_source(req.source))} | {_cell(req.not_tested_reason or '')} |"
        )
    return "\n".join(out) + "\n"


def write_docs(standards: Standards, out_dir: Path) -> list[Path]:
    """Write ``<op>.md`` for the common API part and every operation, and an ``index.md``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# 標準 / Standards", "", "| 業務 / operation | version | requirements |", "| --- | --- | --- |"]
    common = _common_page(standards)
    path = out_dir / "common.md"
    path.write_text(common, encoding="utf-8")
    written.append(path)
    for op in (standards.api, *standards.operations):
        path = out_dir / f"{op.id}.md"
        path.write_text(operation_page(standards, op), encoding="utf-8")
        written.append(path)
        index.append(f"| [{op.name.ja} / {op.name.en}]({op.id}.md) | {op.version} | {len(op.requirements)} |")
    index += ["", "[共通の型とコード表 / Common types and code lists](common.md)", ""]
    path = out_dir / "index.md"
    path.write_text("\n".join(index), encoding="utf-8")
    written.append(path)
    return written


def _common_page(standards: Standards) -> str:
    out = [
        "# 共通の型とコード表 / Common types and code lists",
        "",
        "## 型 / Types",
        "",
        "| type | 名称 | Label | error codes | source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for t in standards.types:
        out.append(
            f"| `{t.id}` | {_cell(t.label.ja)} | {_cell(t.label.en)} | {', '.join(t.error_codes)} | {_cell(_source(t.source))} |"
        )
    out += ["", "## コード表 / Code lists", ""]
    for cl in standards.codelists:
        out += _codelist(cl)
    return "\n".join(out) + "\n"
