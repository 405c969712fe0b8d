"""``kikan report render|verify|compare|keygen``: work with conformance reports after a run."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from kikan.cli import UserError


def add_parser(subparsers: Any) -> None:
    """Register ``kikan report`` and its sub-commands."""
    parser = subparsers.add_parser(
        "report",
        help="報告書の再出力・検証・比較 / render, verify or compare reports",
        description="適合性試験報告書を扱う / Work with conformance reports.",
    )
    sub = parser.add_subparsers(dest="report_command", metavar="SUBCOMMAND", required=True)

    render = sub.add_parser(
        "render", help="HTML・JUnit・Markdown を出力 / write HTML, JUnit XML and Markdown"
    )
    render.add_argument("report", type=Path, metavar="REPORT.json")
    render.add_argument("--out", type=Path, default=None, help="output folder (default: beside REPORT.json)")
    render.add_argument(
        "--sign-key",
        type=Path,
        default=None,
        metavar="PEM",
        help="Ed25519 private key: re-seal and sign the report with it",
    )
    render.set_defaults(func=run_render)

    verify = sub.add_parser("verify", help="ダイジェストと署名を検証 / check digest, signature and schema")
    verify.add_argument("report", type=Path, metavar="REPORT.json")
    verify.add_argument(
        "--public-key",
        type=Path,
        default=None,
        metavar="PEM",
        help="the report must be signed with this Ed25519 public key",
    )
    verify.set_defaults(func=run_verify)

    compare = sub.add_parser("compare", help="複数の報告書を比較 / compare several reports")
    compare.add_argument("reports", type=Path, nargs="+", metavar="REPORT.json")
    compare.add_argument("--out", type=Path, default=None, help="write compare.html / compare.md here")
    compare.add_argument(
        "--format",
        choices=["html", "md"],
        default=None,
        help="only this format (default: both with --out, Markdown on stdout without)",
    )
    compare.set_defaults(func=run_compare)

    keygen = sub.add_parser("keygen", help="署名用の鍵を作成 / create an Ed25519 signing key pair")
    keygen.add_argument("--out", type=Path, required=True, help="folder for report-signing.key and .pub")
    keygen.set_defaults(func=run_keygen)


def load_report(path: Path) -> dict[str, Any]:
    """Read a report JSON file; a :class:`UserError` in one line when it cannot."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"報告書が見つかりません / report not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"報告書を読めません / cannot read report {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"報告書が JSON ではありません / report {path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise UserError(f"報告書の形式が違います / report {path} is not a JSON object")
    return data


def _read_key(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"{what}を読めません / cannot read key {path}: {exc.strerror or exc}") from None


def run_render(args: argparse.Namespace) -> int:
    """Write the four outputs of a report, re-sealed and signed when ``--sign-key`` is given."""
    from reports.digest import seal
    from reports.render import write_all
    from reports.schema import validate

    report = load_report(args.report)
    problems = validate(report)
    if problems:
        raise UserError(
            f"報告書の形式が正しくありません / {args.report} is not a valid report ({len(problems)} problem(s), "
            f"first: {problems[0]}); see `kikan report verify`"
        )
    if args.sign_key is not None:
        try:
            report = seal(report, _read_key(args.sign_key, "署名鍵"))
        except (ValueError, TypeError) as exc:
            raise UserError(f"署名できません / cannot sign with {args.sign_key}: {exc}") from None
    out = args.out if args.out is not None else args.report.parent
    if (
        args.sign_key is None
        and out.resolve() == args.report.parent.resolve()
        and args.report.name == "report.json"
    ):
        # re-rendering in place must not rewrite the JSON the digest was computed over
        written = _write_views(report, out)
    else:
        try:
            written = write_all(report, out)
        except OSError as exc:
            raise UserError(f"書き込めません / cannot write to {out}: {exc.strerror or exc}") from None
    for name, path in written.items():
        print(f"{name}: {path}")
    from reports.verify import verify

    problems = verify(report)
    if problems:
        print(
            f"警告 / warning: the report fails verification ({len(problems)} problem(s)); "
            f"see `kikan report verify {args.report}`",
            file=sys.stderr,
        )
    return 0


def _write_views(report: dict[str, Any], out: Path) -> dict[str, Path]:
    from reports.render import render_html, render_junit, render_markdown

    written = {}
    for key, name, renderer in (
        ("html", "report.html", render_html),
        ("junit", "junit.xml", render_junit),
        ("markdown", "summary.md", render_markdown),
    ):
        path = out / name
        try:
            path.write_text(renderer(report), encoding="utf-8")
        except OSError as exc:
            raise UserError(f"書き込めません / cannot write {path}: {exc.strerror or exc}") from None
        written[key] = path
    return written


def run_verify(args: argparse.Namespace) -> int:
    """Exit 0 when the report is intact and valid, 1 with one line per problem otherwise."""
    from reports.verify import verify

    report = load_report(args.report)
    key = _read_key(args.public_key, "公開鍵") if args.public_key is not None else None
    problems = verify(report, key)
    if problems:
        for problem in problems:
            print(" ".join(problem.split()))
        print(f"無効 / INVALID: {len(problems)} problem(s) in {args.report}")
        return 1
    signed = "署名有効 / signature valid" if report.get("signature") else "署名なし / unsigned"
    print(f"有効 / VALID: {args.report} (sha256 {report['digest']['value']}; {signed})")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """Compare reports; write HTML/Markdown to ``--out`` or print Markdown."""
    from reports.compare import compare, render_compare_html, render_compare_markdown

    if len(args.reports) < 2:
        raise UserError("比較には2件以上の報告書が必要です / compare needs at least two reports")
    cmp = compare([load_report(p) for p in args.reports])
    for column, path in zip(cmp["columns"], args.reports, strict=True):
        if not column["verified"]:
            print(f"警告 / warning: {path} failed verification ({len(column['problems'])} problem(s))")
    if args.out is None:
        print(render_compare_html(cmp) if args.format == "html" else render_compare_markdown(cmp), end="")
        return 0
    formats = [args.format] if args.format else ["html", "md"]
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            path = args.out / f"compare.{fmt}"
            path.write_text(
                render_compare_html(cmp) if fmt == "html" else render_compare_markdown(cmp), encoding="utf-8"
            )
            print(f"{fmt}: {path}")
    except OSError as exc:
        raise UserError(f"書き込めません / cannot write to {args.out}: {exc.strerror or exc}") from None
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    """Write a new Ed25519 key pair; the private key readable by its owner only."""
    from reports.digest import generate_keypair

    private_path, public_path = args.out / "report-signing.key", args.out / "report-signing.pub"
    for path in (private_path, public_path):
        if path.exists():
            raise UserError(f"既に存在します（上書きしません） / {path} exists; not overwriting it")
    private_pem, public_pem = generate_keypair()
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(private_pem)
        public_path.write_bytes(public_pem)
    except OSError as exc:
        raise UserError(
            f"鍵を書き込めません / cannot write keys to {args.out}: {exc.strerror or exc}"
        ) from None
    print(f"private key: {private_path}")
    print(f"public key: {public_path}")
    return 0
