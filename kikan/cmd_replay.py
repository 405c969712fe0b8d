"""``kikan report replay``: run a report's recorded state-machine failures again: fixed or still failing."""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path
from typing import Any

from kikan.cli import UserError


def add_replay_parser(sub: Any) -> None:
    """Register ``kikan report replay`` under ``kikan report``."""
    p = sub.add_parser(
        "replay",
        help="記録された失敗を再実行 / replay recorded failures: fixed or still failing",
        description="報告書に記録された状態遷移の失敗を対象に再送し、修正済みか未修正かを示す / Replay the "
        "step sequences a report recorded against a target; prints fixed or still failing for each.",
    )
    p.add_argument("report", type=Path, metavar="REPORT.json")
    p.add_argument("--target", metavar="URL", required=True, help="root URL of the system to replay against")
    p.add_argument(
        "--client-id", default=os.environ.get("KIKAN_CLIENT_ID"), help="OAuth client id (or KIKAN_CLIENT_ID)"
    )
    p.add_argument(
        "--client-secret",
        default=os.environ.get("KIKAN_CLIENT_SECRET"),
        help="OAuth client secret (or the KIKAN_CLIENT_SECRET environment variable)",
    )
    p.add_argument("--token", default=os.environ.get("KIKAN_TOKEN"), help="a bearer token instead")
    p.add_argument("--failure", metavar="TEST_ID", help="replay only this failed test (its id in the report)")
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the fresh identifiers (default: a new one, printed, so replays never collide)",
    )
    p.set_defaults(func=run_replay)


def run_replay(args: argparse.Namespace) -> int:
    """Replay; exit 0 when every sequence is fixed, 1 when one still fails or could not be replayed."""
    from conformance.client import Credentials
    from conformance.context import TargetError, open_target
    from kikan.cmd_report import load_report

    report = load_report(args.report)
    if not args.token and not (args.client_id and args.client_secret):
        raise UserError(
            "認証情報が必要です / credentials needed: --client-id and --client-secret, or --token"
        )
    try:
        client, claims = open_target(args.target, Credentials(args.client_id, args.client_secret, args.token))
    except TargetError as exc:
        raise UserError(str(exc)) from None
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    print(f"seed: {seed}", flush=True)
    outcomes = replay_report(report, client, claims, seed=seed, failure=args.failure)
    for o in outcomes:
        label = {"fixed": "修正済み / fixed", "still failing": "未修正 / still failing"}.get(
            o.status, "再実行できません / not replayed"
        )
        tail = f": {o.message[:300]}" if o.message else ""
        print(f"{label}: {o.recorded.test_id} ({len(o.recorded.steps)} steps){tail}", flush=True)
    return 0 if all(o.status == "fixed" for o in outcomes) else 1


def replay_report(
    report: dict[str, Any], client: Any, claims: Any, *, seed: int, failure: str | None = None
) -> list[Any]:
    """Replay every recorded sequence of ``report`` (or only ``failure``'s) with ``client``; the outcomes."""
    from conformance.context import RunContext
    from conformance.replay import recorded_failures, replay
    from standards.loader import load_standards

    found = [r for r in recorded_failures(report) if failure is None or r.test_id == failure]
    if not found:
        ids = [r.test_id for r in recorded_failures(report)]
        if failure is not None:
            raise UserError(
                f"記録された失敗がありません / no recorded failure {failure!r} in the report"
                f" (recorded: {', '.join(ids) or 'none'})"
            )
        raise UserError("再実行できる失敗がありません / the report records no step sequence to replay")
    ctx = RunContext(client=client, standards=load_standards(), claims=claims, seed=seed)
    return [replay(ctx, r) for r in found]
