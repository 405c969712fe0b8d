"""``kikan report render|verify|compare|keygen``: work with conformance reports after a run."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from kikan.cli import UserError
from kikan.cmd_replay import add_replay_parser

#: exit statuses of ``kikan report verify`` besides 0 (valid, trusted signer) and 2 (usage error)
EXIT_INVALID, EXIT_UNKNOWN_SIGNER, EXIT_UNSIGNED = 1, 3, 4
#: the environment variable naming a trusted-keys file (reports.trust.TRUSTED_KEYS_ENV, not imported here
#: so building the parser stays light)
TRUSTED_KEYS_ENV = "KIKAN_TRUSTED_KEYS"


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

    verify = sub.add_parser(
        "verify",
        help="ダイジェスト・署名・署名者を検証 / check digest, signature and who signed",
        description=(
            "終了コード / exit status: 0 信頼する鍵の署名が有効 / valid, signed by a trusted key; "
            "1 無効 / invalid; 3 署名は有効だが署名者不明 / signed by an unknown key; "
            "4 署名なし / unsigned (the digest alone proves no origin)."
        ),
    )
    verify.add_argument("report", type=Path, metavar="REPORT.json")
    add_trust_options(verify)
    verify.set_defaults(func=run_verify)

    compare = sub.add_parser("compare", help="複数の報告書を比較 / compare several reports")
    compare.add_argument("reports", type=Path, nargs="+", metavar="REPORT.json")
    add_trust_options(compare)
    compare.add_argument("--out", type=Path, default=None, help="write compare.html / compare.md here")
    compare.add_argument(
        "--format",
        choices=["html", "md"],
        default=None,
        help="only this format (default: both with --out, Markdown on stdout without)",
    )
    compare.add_argument(
        "--all",
        action="store_true",
        help="Markdown にすべての要件を含める / list every requirement in Markdown, not only differences "
        "(the HTML page always has them, folded)",
    )
    compare.set_defaults(func=run_compare)

    site = sub.add_parser(
        "site",
        help="結果一覧サイトを作成 / build a static results site of many reports",
        description="事業者×業務×標準の版の一覧と実行の履歴（静的HTML、サーバー不要） / A static site: "
        "system × operation × standard version, and each system's history of runs with regressions.",
    )
    site.add_argument("reports", type=Path, nargs="+", metavar="REPORT.json")
    site.add_argument("--out", type=Path, required=True, help="folder of the site (index.html)")
    add_trust_options(site)
    site.set_defaults(func=run_site)

    keygen = sub.add_parser("keygen", help="署名用の鍵を作成 / create an Ed25519 signing key pair")
    keygen.add_argument("--out", type=Path, required=True, help="folder for report-signing.key and .pub")
    keygen.set_defaults(func=run_keygen)
    add_replay_parser(sub)


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    """The options naming the keys a reader trusts (verify, compare and site share them)."""
    parser.add_argument(
        "--public-key",
        type=Path,
        action="append",
        default=[],
        metavar="PEM",
        help="信頼する公開鍵 / trust this Ed25519 public key (repeatable)",
    )
    parser.add_argument(
        "--fingerprint",
        action="append",
        default=[],
        metavar="FP",
        help="信頼する鍵の指紋 / trust the key with this fingerprint, sha256:<64 hex> (repeatable)",
    )
    parser.add_argument(
        "--trusted-keys",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"信頼する鍵の一覧 / file of trusted keys, one a line: key or fingerprint, then a name "
        f"(default: ${TRUSTED_KEYS_ENV})",
    )


def trust_store(args: argparse.Namespace) -> Any:
    """The :class:`reports.trust.TrustStore` of the keys named on the command line or in the environment."""
    from reports.trust import TrustStore

    store = TrustStore()
    for path in args.public_key:
        key = _read_key(path, "公開鍵")
        try:
            store.add_key(key, path.stem)
        except (ValueError, TypeError) as exc:
            raise UserError(f"公開鍵として読めません / {path} is not an Ed25519 public key: {exc}") from None
    for text in args.fingerprint:
        try:
            store.add_fingerprint(text)
        except ValueError as exc:
            raise UserError(f"指紋の形式が違います / {exc}") from None
    path = args.trusted_keys
    if path is None and os.environ.get(TRUSTED_KEYS_ENV):
        path = Path(os.environ[TRUSTED_KEYS_ENV])
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                f"信頼する鍵の一覧を読めません / cannot read trusted keys {path}: {exc}"
            ) from None
        try:
            store.add_file_text(text, source=str(path))
        except ValueError as exc:
            raise UserError(f"信頼する鍵の一覧に誤りがあります / {exc}") from None
    return store


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
    """0 when intact and signed by a trusted key; 1 invalid; 3 signer unknown; 4 unsigned."""
    from reports.trust import assess

    report = load_report(args.report)
    store = trust_store(args)
    result = assess(report, store)
    digest_text = f"sha256 {result.digest}" if result.digest else "no digest"
    if result.state == "invalid":
        for problem in result.problems:
            print(" ".join(problem.split()))
        print(f"無効 / INVALID: {len(result.problems)} problem(s) in {args.report}")
        return EXIT_INVALID
    if result.state == "trusted":
        who = f"{result.signer_name} " if result.signer_name else ""
        print(
            f"有効 / VALID: {args.report} 信頼する鍵で署名されています / signed by a trusted key: "
            f"{who}{result.signer} ({digest_text})"
        )
        return 0
    if result.state == "unknown_signer":
        given = (
            "指定された鍵のどれでもありません / none of the keys given"
            if store
            else "鍵の指定なし / no key given"
        )
        print(
            f"署名者不明 / SIGNER UNKNOWN: {args.report} は鍵 {result.signer} で署名されています"
            f" / is signed by key {result.signer} ({given}); the signature matches the content, but "
            f"nothing says whose key it is: compare the fingerprint with the one the vendor published, "
            f"then pass --fingerprint or --public-key"
        )
        return EXIT_UNKNOWN_SIGNER
    if store:
        print(
            f"署名なし / UNSIGNED: 鍵が指定されましたが署名がありません / keys were given, but {args.report} is not signed"
        )
    print(
        f"署名なし / UNSIGNED: {args.report}: ダイジェストは一致しますが、誰でも再計算できるため作成者も"
        f"改ざんの有無も証明しません / the digest matches ({digest_text}), which rules out accidental "
        f"change only: anyone who edits the file can recompute it"
    )
    return EXIT_UNSIGNED


def run_compare(args: argparse.Namespace) -> int:
    """Compare reports; write HTML/Markdown to ``--out`` or print Markdown."""
    from reports.compare import compare, render_compare_html, render_compare_markdown

    if len(args.reports) < 2:
        raise UserError("比較には2件以上の報告書が必要です / compare needs at least two reports")
    cmp = compare([load_report(p) for p in args.reports], trust_store(args))
    for column, path in zip(cmp["columns"], args.reports, strict=True):
        if not column["verified"]:
            print(
                f"警告 / warning: {path} failed verification ({len(column['problems'])} problem(s))",
                file=sys.stderr,
            )

    def rendered(fmt: str) -> str:
        return render_compare_html(cmp) if fmt == "html" else render_compare_markdown(cmp, full=args.all)

    if args.out is None:
        print(rendered(args.format or "md"), end="")
        return 0
    formats = [args.format] if args.format else ["html", "md"]
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            path = args.out / f"compare.{fmt}"
            path.write_text(rendered(fmt), encoding="utf-8")
            print(f"{fmt}: {path}")
    except OSError as exc:
        raise UserError(f"書き込めません / cannot write to {args.out}: {exc.strerror or exc}") from None
    return 0


def run_site(args: argparse.Namespace) -> int:
    """Build the results site of the given reports into ``--out``."""
    from reports.site import build_site, load_entries

    for path in args.reports:
        if not path.is_file():
            raise UserError(f"報告書が見つかりません / report not found: {path}")
    try:
        entries = load_entries(args.reports)
    except (OSError, ValueError) as exc:
        raise UserError(f"報告書を読めません / cannot read report: {exc}") from None
    store = trust_store(args)
    try:
        built = build_site(entries, args.out, store)
    except OSError as exc:
        raise UserError(f"書き込めません / cannot write to {args.out}: {exc.strerror or exc}") from None
    invalid = [r for r in built["runs"] if r["assessment"].state == "invalid"]
    for run in invalid:
        print(f"警告 / warning: {run['source']} failed verification", file=sys.stderr)
    print(
        f"site: {args.out / 'index.html'} ({len(built['runs'])} runs, {len(built['systems'])} systems, "
        f"{len(built['columns'])} operation versions)"
    )
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
    from reports.trust import fingerprint

    print(f"private key: {private_path}")
    print(f"public key: {public_path}")
    print(
        f"fingerprint: {fingerprint(public_pem)} "
        "(報告書とは別の経路で公表してください / publish it through another channel than the reports)"
    )
    return 0
