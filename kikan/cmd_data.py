"""``kikan data layout|validate|generate``: migration files (移行データ) of an operation."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "data", help="移行データのレイアウト・検証・生成 / migration file layouts, validation, generation"
    )
    data = parser.add_subparsers(dest="data_command", metavar="SUBCOMMAND", required=True)

    layout = data.add_parser(
        "layout", help="ファイルレイアウトを出力 / write the file layouts (CSV, Markdown, JSON Schema)"
    )
    layout.add_argument("--operation", required=True, help="業務ID / operation id (juki, koseki …)")
    layout.add_argument("--out", type=Path, default=Path("layout"), help="出力先フォルダ / output folder")
    layout.set_defaults(func=_layout)

    validate = data.add_parser("validate", help="移行ファイルを検証 / validate migration files")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--operation", required=True)
    validate.add_argument(
        "--out",
        type=Path,
        default=None,
        help="報告書の出力先 / folder for report.json, report.html, junit.xml",
    )
    validate.add_argument(
        "--show-values",
        action="store_true",
        help="値（個人情報）を報告書に含める / put values (personal data) in the reports",
    )
    validate.add_argument(
        "--encoding",
        default=None,
        help="UTF-8 以外から変換して読む / convert from this encoding (e.g. cp932)",
    )
    validate.add_argument(
        "--quiet", action="store_true", help="問題の一覧を表示しない / print only the summary"
    )
    validate.set_defaults(func=_validate)

    generate = data.add_parser(
        "generate", help="合成データを生成 / generate valid synthetic files, with seeded defects"
    )
    generate.add_argument("--operation", required=True)
    generate.add_argument("--rows", type=int, required=True)
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument(
        "--defects", type=float, default=0.0, help="欠陥を入れる行の割合 / share of rows given a defect"
    )
    generate.add_argument("--out", type=Path, default=Path("data"))
    generate.set_defaults(func=_generate)


def _operation(op_id: str) -> str:
    from kikan.cli import UserError
    from migration.layout import operations_with_entities

    known = operations_with_entities()
    if op_id not in known:
        raise UserError(
            f"業務 {op_id} の移行ファイルはありません / no migration files for operation {op_id!r} (known: {', '.join(known)})"
        )
    return op_id


def _layout(args: argparse.Namespace) -> int:
    from migration.layout import layouts
    from migration.layout_docs import write_layout

    op_id = _operation(args.operation)
    for found in layouts(op_id):
        for path in write_layout(found, args.out):
            print(path)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kikan.cli import UserError
    from migration.errors import InputError
    from migration.report import write_reports
    from migration.validate import validate

    op_id = _operation(args.operation)
    started = time.perf_counter()
    try:
        result = validate(args.files, op_id, show_values=args.show_values, encoding=args.encoding)
    except InputError as exc:
        raise UserError(str(exc)) from None
    elapsed = time.perf_counter() - started
    if not args.quiet:
        for p in result.problems[:200]:
            print(f"{p.file}:{p.row}: {p.column}: {p.code}: {p.message_ja} / {p.message_en}")
        if len(result.problems) > 200:
            print(
                f"… 他 {len(result.problems) - 200:,} 件 / {len(result.problems) - 200:,} more (see the reports)"
            )
    rows = sum(f.rows for f in result.files)
    for note in result.not_checked:
        print(f"検査せず / not checked: {note}", file=sys.stderr)
    counts = ", ".join(f"{c} {n:,}" for c, n in result.counts().items()) or "-"
    verdict = "問題なし / valid" if result.ok else f"{len(result.problems):,} 件の問題 / problems"
    print(f"{verdict}: {rows:,} 行 / rows, {elapsed:.1f} s; {counts}")
    if args.out is not None:
        for path in write_reports(result, args.out, show_values=args.show_values):
            print(path)
    return 0 if result.ok else 1


def _generate(args: argparse.Namespace) -> int:
    from kikan.cli import UserError
    from migration.generate import generate

    op_id = _operation(args.operation)
    try:
        made = generate(op_id, args.rows, args.seed, args.out, defects=args.defects)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    for entity, path in made.files.items():
        print(f"{path} ({made.rows[entity]:,} 行 / rows)")
    print(f"{made.expected} ({made.defects:,} 件の期待される問題 / expected problems)")
    return 0
