"""``kikan standards lint|build|diff|docs``: check, compile, compare and document the standards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``kikan standards`` and its sub-commands."""
    parser = subparsers.add_parser(
        "standards", help="標準の検査・変換・比較 / lint, build, diff and document the standards"
    )
    sub = parser.add_subparsers(dest="standards_command", metavar="ACTION")
    parser.set_defaults(func=lambda args: parser.print_help() or 2)

    p = sub.add_parser("lint", help="標準ファイルを検査 / check every standard file")
    p.add_argument("--root", type=Path, default=None, help="standards folder (default: the package's)")
    p.set_defaults(func=run_lint)

    p = sub.add_parser("build", help="OpenAPI 3.1 と JSON Schema を生成 / compile OpenAPI and JSON Schema")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--operation", default=None, help="only this operation id")
    p.add_argument("--root", type=Path, default=None, help="standards folder (default: the package's)")
    p.set_defaults(func=run_build)

    p = sub.add_parser(
        "diff",
        help="二つの版の差分 / what changed between two versions, by what a vendor must do",
        description="二つの版の差分を、事業者が対応すべきか（対応が必要／対応してもよい／対応不要）で分けて示す。"
        " 終了コード: 0 対応が必要な変更なし、1 対応が必要な変更または誤り（主版数が上がっていない）あり、2 実行できない"
        " / What changed, grouped by what a vendor must do. Exit status: 0 nothing a vendor must change; 1 a change "
        "vendors must make, or an error of the new version (a breaking change without a major version bump); "
        "2 the diff could not run (a folder missing or failing to load).",
    )
    p.add_argument("old_root", type=Path, metavar="OLD_ROOT")
    p.add_argument("new_root", type=Path, metavar="NEW_ROOT")
    p.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="output format (default text)"
    )
    p.set_defaults(func=run_diff)

    p = sub.add_parser("docs", help="業務ごとの参照ページ (Markdown) / one reference page per operation")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--root", type=Path, default=None, help="standards folder (default: the package's)")
    p.set_defaults(func=run_docs)


def _collect_bindings() -> tuple[dict[str, list[str]] | None, str | None]:
    """Bindings from the suite when ``conformance.bindings`` exists; else None and a note why."""
    try:
        from conformance.bindings import collect  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None, "conformance.bindings is not available"
    try:
        return collect(), None
    except Exception as exc:  # noqa: BLE001 - any failure of the suite's collector is reported, not fatal
        return None, f"conformance.bindings.collect() failed: {exc}"


def _check_root(root: Path | None) -> None:
    from kikan.cli import UserError

    if root is not None and not root.is_dir():
        raise UserError(f"{root} はフォルダではありません / is not a folder")


def run_lint(args: argparse.Namespace) -> int:
    """Print every problem, then a one-line count; exit 1 when there are problems."""
    from standards.lint import lint

    _check_root(args.root)
    if args.root is None:
        bindings, note = _collect_bindings()
    else:  # the suite's tests are bound to the package's standards, not to another folder's
        bindings, note = None, "--root given: bindings are checked for the package's standards only"
    problems = lint(args.root, bindings)
    for p in problems:
        print(p)
    if note:
        print(
            f"注意: 要件と試験の対応は未検査 / note: requirement-to-test bindings not checked ({note})",
            file=sys.stderr,
        )
    n = len(problems)
    if n:
        print(f"{n} 件の問題 / {n} problem{'s' if n != 1 else ''} found")
        return 1
    print("問題なし / no problems found")
    return 0


def _load(root: Path | None):  # type: ignore[no-untyped-def]
    from kikan.cli import UserError
    from standards.errors import StandardsError
    from standards.loader import load_standards

    _check_root(root)
    try:
        return load_standards(root)
    except StandardsError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        raise UserError(
            f"標準に {len(exc.problems)} 件の問題があります。kikan standards lint で確認してください"
            f" / the standards have {len(exc.problems)} problems; run kikan standards lint"
        ) from None


def run_build(args: argparse.Namespace) -> int:
    """Write the OpenAPI documents and JSON Schemas to ``--out``."""
    from kikan.cli import UserError
    from standards.compile import build

    standards = _load(args.root)
    if args.operation is not None and args.operation not in {op.id for op in standards.operations}:
        raise UserError(f"業務 {args.operation!r} はありません / no operation {args.operation!r}")
    paths = build(standards, args.out, op_id=args.operation)
    print(f"{len(paths)} 件のファイルを書き出しました / wrote {len(paths)} files to {args.out}")
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Print every change between two standards folders; exit 1 when a vendor must change or the new
    version is in error (breaking without a major version bump), 0 otherwise."""
    from standards.diff import compare
    from standards.diff_render import render

    old, new = _load(args.old_root), _load(args.new_root)
    result = compare(old, new)
    sys.stdout.write(render(result, str(args.old_root), str(args.new_root), args.format))
    return 1 if result.count("must") or result.errors else 0


def run_docs(args: argparse.Namespace) -> int:
    """Write one Markdown reference page per operation."""
    from standards.docs import write_docs

    paths = write_docs(_load(args.root), args.out)
    print(f"{len(paths)} 件のページを書き出しました / wrote {len(paths)} pages to {args.out}")
    return 0
