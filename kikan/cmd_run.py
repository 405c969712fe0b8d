"""``kikan run``: run the conformance suite against a target, or against the reference server.

With no ``--target`` the reference server is started as a separate process (``kikan serve`` on a
temporary SQLite database, or on ``--database-url``, and a free port), tested over real HTTP, and
stopped.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kikan import run_config
from kikan.cli import UserError
from kikan.cmd_serve import processing_date

DEFAULT_SEED = 0


def add_parser(sub: Any) -> None:
    """Register ``kikan run``."""
    p = sub.add_parser(
        "run",
        help="適合性試験を実行する / run the conformance suite",
        description="適合性試験を実行する。--target がなければ参照実装を起動して試験する / Run the suite; "
        "without --target, start the reference server and test it.",
    )
    # unset options are filled from the environment, then kikan.toml (kikan.run_config)
    p.add_argument("--target", metavar="URL", help="root URL of the system under test (KIKAN_TARGET)")
    p.add_argument("--client-id", help="OAuth client id (KIKAN_CLIENT_ID)")
    p.add_argument(
        "--client-secret",
        help="OAuth client secret; better the KIKAN_CLIENT_SECRET environment variable (a command line "
        "is visible to other users of the machine)",
    )
    p.add_argument("--token", help="a bearer token instead of credentials (KIKAN_TOKEN)")
    p.add_argument(
        "--operations",
        metavar="IDS",
        help="comma-separated operation ids, e.g. juki,inkan: a partial run (the others are reported not run;"
        " KIKAN_OPERATIONS)",
    )
    p.add_argument(
        "--requirements",
        metavar="IDS",
        help="comma-separated requirement ids, e.g. JUKI-012: run only the tests bound to them (a partial run)",
    )
    p.add_argument("--profile", help="quick (a smoke test, default), standard or certify (KIKAN_PROFILE)")
    p.add_argument(
        "--seed", type=int, help=f"seed of generated requests (default {DEFAULT_SEED}; KIKAN_SEED)"
    )
    p.add_argument(
        "--namespace",
        type=namespace,
        metavar="N",
        help="run namespace of generated identifiers (default: a fresh one; give a report's to reproduce it)",
    )
    p.add_argument(
        "--today",
        type=processing_date,
        metavar="YYYY-MM-DD",
        help="processing date to test on: the embedded server runs at it; a target's settable clock is set",
    )
    p.add_argument("--out", type=Path, help="report folder (default ./kikan-report; KIKAN_OUT)")
    run_config.add_arguments(p)
    p.add_argument(
        "--allow-production-writes", action="store_true", help="write even to a non-test environment"
    )
    p.add_argument("--sign-key", type=Path, metavar="PEM", help="Ed25519 private key to sign the report")
    p.add_argument(
        "--serve-timeout", type=float, default=60.0, help="seconds to wait for the reference server"
    )
    p.add_argument(
        "--database-url",
        metavar="URL",
        help="without --target: the embedded reference server's database (SQLAlchemy URL, e.g. "
        "postgresql+psycopg://user@127.0.0.1/db) instead of a temporary SQLite file",
    )
    p.add_argument(
        "--standards-dir",
        type=Path,
        metavar="DIR",
        help="test against the standards under DIR instead of the packaged ones (the embedded reference "
        "server serves them too); refused unless they pass kikan standards lint",
    )
    p.set_defaults(func=run)


def namespace(text: str) -> str:
    """A ``--namespace`` value: 1-16 characters of 0-9 and a-z (a report's ``run.namespace``)."""
    from conformance.namespace import NamespaceError, check_namespace

    try:
        return check_namespace(text)
    except NamespaceError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _command_line(args: argparse.Namespace) -> str:
    """The command as run, without any secret."""
    parts = ["kikan", "run"]
    if args.target:
        parts += ["--target", args.target]
    elif args.database_url:
        parts += ["--database-url", _without_password(args.database_url)]
    if args.operations:
        parts += ["--operations", args.operations]
    if getattr(args, "requirements", None):
        parts += ["--requirements", args.requirements]
    parts += ["--profile", args.profile, "--seed", str(args.seed)]
    if args.namespace:
        parts += ["--namespace", args.namespace]
    if args.today:
        parts += ["--today", args.today.isoformat()]
    return " ".join(parts)


def _without_password(url: str) -> str:
    """A database URL with its password masked (for the report's command line)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


@contextmanager
def reference_server(
    timeout: float,
    database_url: str | None = None,
    standards_dir: Path | None = None,
    today: Any = None,
) -> Iterator[dict[str, Any]]:
    """Start ``kikan serve`` as a separate process on a temporary SQLite database (or on
    ``database_url``), at the fixed processing date ``today`` when given; yield its ready document."""
    with tempfile.TemporaryDirectory(prefix="kikan-run-") as tmp:
        ready = Path(tmp) / "ready.json"
        log_path = Path(tmp) / "serve.log"
        storage = (
            ["--database-url", database_url]
            if database_url
            else ["--database", str(Path(tmp) / "reference.sqlite3")]
        )
        cmd = [
            sys.executable, "-m", "kikan", "serve", "--host", "127.0.0.1", "--port", "0",
            *storage, "--ready-file", str(ready),
            *(["--standards-dir", str(standards_dir.resolve())] if standards_dir is not None else []),
        ]  # fmt: skip
        if today is not None:
            cmd += ["--today", today.isoformat()]
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + timeout
            while not ready.exists():
                if proc.poll() is not None:
                    tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
                    raise UserError(
                        "参照実装が起動できませんでした / the reference server did not start: "
                        + (tail[0] if tail else f"exit {proc.returncode}")
                    )
                if time.monotonic() > deadline:
                    raise UserError(
                        f"参照実装が {timeout:.0f} 秒以内に起動しませんでした / the reference server was not ready "
                        f"within {timeout:.0f} s (see --serve-timeout)"
                    )
                time.sleep(0.1)
            yield json.loads(ready.read_text(encoding="utf-8"))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _ids(text: str | None) -> tuple[str, ...] | None:
    """Comma-separated ids as a tuple without repeats (None when not given)."""
    if not text:
        return None
    return tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip())) or None


def _check_scope(
    profile: str, operations: tuple[str, ...] | None, requirements: tuple[str, ...] | None
) -> None:
    """UserError (exit 2, nothing run, no report) for an unknown profile, operation or requirement id."""
    from conformance.context import unknown_scope
    from standards.loader import load_standards

    problem = unknown_scope(
        load_standards(), profile=profile, operations=operations, requirements=requirements
    )
    if problem:
        raise UserError(problem)


def run(args: argparse.Namespace) -> int:
    """Run the suite and write the reports; exit 0 only when the target is conformant."""
    from conformance.context import TargetError
    from conformance.run import RunOptions, execute

    run_config.resolve(args)
    operations = _ids(args.operations)
    requirements = _ids(args.requirements)
    _check_scope(args.profile, operations, requirements)
    key = None
    if args.sign_key is not None:
        try:
            key = args.sign_key.read_bytes()
        except OSError as exc:
            raise UserError(f"署名鍵を読めません / cannot read the signing key: {exc}") from exc
    standards = None
    if args.standards_dir is not None:
        from kikan.standards_dir import checked_standards

        standards = checked_standards(args.standards_dir)
    if not args.quiet:
        print(f"seed: {args.seed} / profile: {args.profile}", flush=True)

    def go(target: str, client_id: str | None, secret: str | None, embedded: bool) -> int:
        options = RunOptions(
            target=target,
            client_id=client_id,
            client_secret=secret,
            token=args.token,
            operations=operations,
            requirements=requirements,
            profile=args.profile,
            seed=args.seed,
            out_dir=args.out,
            allow_production_writes=args.allow_production_writes,
            command=_command_line(args),
            embedded_reference=embedded,
            private_key_pem=key,
            standards=standards,
            request_timeout=args.request_timeout,
            max_response_bytes=args.max_response_bytes,
            time_budget=args.time_budget,
            quiet=args.quiet,
            namespace=args.namespace,
            today=args.today,
        )
        try:
            return execute(options, out=lambda line: print(line, flush=True)).exit_code
        except TargetError as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:  # the report folder cannot be written
            raise UserError(
                f"報告書を書き込めません / cannot write the reports to {args.out}: {exc}"
            ) from None

    if args.target:
        if args.database_url:
            raise UserError(
                "--database-url は組み込みの参照実装にだけ使えます / --database-url is for the embedded "
                "reference server; drop it or --target"
            )
        if not args.token and not (args.client_id and args.client_secret):
            raise UserError(
                "認証情報が必要です / credentials needed: --client-id (KIKAN_CLIENT_ID) and the secret in "
                "KIKAN_CLIENT_SECRET, or a token in KIKAN_TOKEN"
            )
        return go(args.target, args.client_id, args.client_secret, False)
    if not args.quiet:
        print("参照実装を起動しています / starting the reference server …", flush=True)
    with reference_server(args.serve_timeout, args.database_url, args.standards_dir, args.today) as ready:
        client = (ready.get("clients") or [{}])[0]
        return go(ready["url"], client.get("client_id"), client.get("client_secret"), True)
