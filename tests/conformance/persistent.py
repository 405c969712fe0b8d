"""A persistent reference target for rerun and calendar tests: one server, several runs against it.

:func:`reference_target` builds the unmodified reference server (every operation by default) on a
SQLite file that outlives its runs, optionally at a fixed processing date; :func:`run` runs suite
tests against it in process through the engine with a chosen seed, namespace and profile, and returns
the report's statuses (as ``faulty.run`` does for the teeth).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.testing import AsgiTransport

CLIENT = ("reruns", "reruns-secret")
SUITES = Path(__file__).resolve().parents[2] / "conformance" / "suites"


def reference_target(
    folder: Path, *, operations: tuple[str, ...] | None = None, today: dt.date | None = None
) -> Any:
    """The reference server on ``folder``/reference.sqlite3 (kept between calls), at ``today`` if given."""
    from reference_impl.app import create_app
    from reference_impl.operations import load_rules
    from reference_impl.settings import ClientConfig, Settings

    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        database_url=f"sqlite:///{folder / 'reference.sqlite3'}",
        clients=(ClientConfig(*CLIENT, ()),),
        rules=load_rules(list(operations)) if operations else None,
        audit_flush_seconds=0.05,
        today=today,
    )
    return create_app(settings)


@dataclass
class Outcome:
    """Statuses by requirement id, the failing tests' messages, and the report of one run."""

    statuses: dict[str, str]
    report: dict[str, Any]

    def bad(self) -> dict[str, str]:
        """Requirements neither passed nor legitimately outside the run (not testable, not claimed)."""
        return {
            rid: status
            for rid, status in self.statuses.items()
            if status not in ("passed", "not_testable", "not_claimed", "not_run")
        }

    def messages(self) -> list[str]:
        """``test id: message`` of every failed or errored test."""
        return [
            f"{t['id']}: {(t.get('failure') or {}).get('message', '')}"[:400]
            for t in self.report["tests"]
            if t["outcome"] in ("failed", "error")
        ]


def run(
    app: Any,
    out_dir: Path,
    *,
    tests: list[str] | None = None,
    seed: int = 0,
    namespace: Any = None,
    profile: str = "quick",
    operations: tuple[str, ...] | None = None,
) -> Outcome:
    """Run suite tests (paths relative to ``conformance/suites``; default all) against ``app``.

    ``namespace`` is a :class:`~conformance.namespace.RunNamespace` (None: a fresh one, as ``kikan run``).
    """
    from conformance.client import Credentials
    from conformance.context import PROFILES, RunContext, open_target
    from conformance.report import build_report, now
    from conformance.run import run_suite
    from standards.loader import load_standards

    client, claims = open_target("http://testserver", Credentials(*CLIENT), transport=AsgiTransport(app))
    standards = load_standards()
    ctx = RunContext(
        client=client,
        standards=standards,
        claims=claims,
        seed=seed,
        profile=PROFILES[profile],
        out_dir=out_dir,
        operations=operations,
        namespace=namespace,
    )
    paths = [str(SUITES / t) for t in tests] if tests else [str(SUITES)]
    started = now()
    records = run_suite(ctx, paths, lambda line: None)
    report = build_report(
        standards=standards,
        claims=claims,
        target_url="http://testserver",
        records=records,
        seed=seed,
        profile=profile,
        started_at=started,
        finished_at=now(),
        duration_s=0.0,
        selected=operations,
        namespace=ctx.ns.value,
        processing_date=ctx.today().isoformat(),
    )
    return Outcome({r["id"]: r["status"] for r in report["requirements"]}, report)
