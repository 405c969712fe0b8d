"""Running the suite: pytest over ``conformance/suites`` with a ready context, then the report.

:func:`execute` is what ``kikan run`` calls: it reads the target's claims, runs every suite test in
process with :class:`~conformance.plugin.Preset`, shows progress, builds the report, seals it,
writes JSON/HTML/JUnit/Markdown and prints a summary by requirement. Its exit code is 0 only when
every ``must`` requirement of every claimed operation passed (or is not testable); a run of a
subset (``operations`` or ``requirements``) exits 0 when every ``must`` it selected passed, and
its report says it is partial, never conformant.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance import clock
from conformance.client import Credentials, Transport
from conformance.context import PROFILES, RunContext, TargetError, open_target, unknown_scope
from conformance.namespace import NamespaceError, RunNamespace, new_namespace
from conformance.plugin import BUDGET_SPENT, RESULTS_KEY, Preset, TestRecord
from conformance.progress import Progress

SUITES = Path(__file__).resolve().parent / "suites"
#: seconds a run may take, by profile, unless --time-budget says otherwise (the quick profile takes
#: about a minute against the reference server; a slow target gets room, a hung one an end)
DEFAULT_TIME_BUDGET = {"quick": 1800.0, "standard": 7200.0, "certify": 28800.0}
Printer = Callable[[str], None]


class ScopeError(TargetError):
    """An unknown profile, operation or requirement id: nothing is run and no report is written."""


@dataclass
class RunOptions:
    """The options of one run (``kikan run``'s flags)."""

    target: str
    client_id: str | None = None
    client_secret: str | None = None
    token: str | None = None
    operations: tuple[str, ...] | None = None
    requirements: tuple[str, ...] | None = None  # run only the tests bound to these ids
    profile: str = "quick"
    seed: int = 0
    out_dir: Path = Path("kikan-report")
    allow_production_writes: bool = False
    command: str | None = None
    embedded_reference: bool = False
    paths: list[str] = field(default_factory=lambda: [str(SUITES)])
    transport: Transport | None = None  # tests: an in-process transport
    standards: Any = None  # tests: a tiny standard instead of load_standards()
    openapi_source: Any = None  # tests: instead of standards.compile.openapi
    private_key_pem: bytes | None = None
    request_timeout: float = 60.0  # the most one request may take, connect to last byte (seconds)
    max_response_bytes: int = 32 * 1024 * 1024  # a larger body is not read (the request errs)
    time_budget: float | None = None  # seconds for the whole run; None: the profile's default
    quiet: bool = False  # print only notes, the counts and the verdict
    namespace: str | None = None  # the run namespace (None: a fresh one); reproduces an earlier run
    today: dt.date | None = None  # the processing date to test on (the target's clock is set when settable)


@dataclass
class RunResult:
    """What a run produced."""

    exit_code: int
    report: dict[str, Any]
    written: dict[str, Path]
    records: dict[str, TestRecord]


def run_suite(
    ctx: RunContext, paths: list[str], out: Printer, *, quiet: bool = False
) -> dict[str, TestRecord]:
    """Run the suite tests in ``paths`` against ``ctx``; the per-test records by test id."""
    progress = Progress(out, quiet=quiet)
    args = [
        *paths,
        "-c",
        os.devnull,
        "--rootdir",
        str(SUITES.parent.parent),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:terminal",
        "--strict-markers",
        f"--hypothesis-seed={ctx.seed}",
        f"--kikan-profile={ctx.profile.name}",
        "-W",
        "ignore::DeprecationWarning",
    ]
    from hypothesis import settings

    previous = settings.get_current_profile_name()
    try:
        assert ctx.clock is not None
        with clock.bound(ctx.clock):
            pytest.main(args, plugins=[Preset(ctx), progress])
    finally:
        settings.load_profile(previous)  # the plugin loaded the run's profile; leave the caller's as it was
    assert progress.config is not None
    return dict(progress.config.stash[RESULTS_KEY])


def _mark(status: str) -> str:
    marks = {"passed": "OK  ", "failed": "FAIL", "error": "ERR ", "not_verified": "----", "not_run": "n/r "}
    return marks.get(status, "    ")


def print_summary(report: dict[str, Any], out: Printer, *, quiet: bool = False) -> None:
    """A summary by requirement (one line per requirement run of a claimed operation), then the
    verdict box: a reason for every requirement not passed, the counts, the verdict with profile
    (``quiet``: only the counts and the verdict)."""
    from reports.render.verdict import reasons, verdict_line

    claimed = {c["operation"] for c in report["claims"]}
    if not quiet:
        out("")
        out("要件ごとの結果 / results by requirement:")
    for req in report["requirements"] if not quiet else ():
        if req["operation"] not in claimed or req["status"] in ("not_claimed", "not_run"):
            continue
        out(f"  {_mark(req['status'])} {req['id']:<10} {req['status']:<13} {req['text']['ja']}")
    if not quiet:
        out("")
    why = reasons(report) if not quiet else []
    if why:
        out("合格でない要件の理由 / why these requirements are not passed:")
        for line in why:
            out(f"  {_mark(line['status'])} {line['id']:<10} {line['text']}")
    grouped = [g for g in report.get("failure_groups") or () if g["count"] > 1] if not quiet else []
    for group in grouped:
        ids = ", ".join(group["requirements"]) or "—"
        out(
            f"  同じ原因 / one cause: {group['title']['ja']} / {group['title']['en']} ({ids}): {group['count']} 件 / tests"
        )
    counts = report["summary"]["requirements"]
    out("  " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    responses = report["run"].get("responses")
    if responses:
        out(
            f"  応答の検査 / responses checked against the OpenAPI document: {responses['checked']}"
            f" (不適合 / not conforming: {responses['not_conforming']})"
        )
    stopped = report["run"].get("stopped")
    if stopped:
        out(
            f"注意 / note: 実行時間の上限で打ち切られた部分的な実行です（未実施 {stopped['tests_not_run']} 件）"
            f" / a partial run: stopped at its time budget, {stopped['tests_not_run']} tests not run"
        )
    out(f"判定 / verdict: {verdict_line(report)['line']}")


def _check_token(client: Any, standards: Any, claims: Any) -> None:
    """Read one claimed collection with the given token; TargetError when the target refuses it."""
    for claim in claims.operations:
        try:
            op = standards.operation(claim.id)
        except KeyError:
            continue
        resource = next((r for r in op.api.resources if r.parent is None), None)
        if resource is None:
            continue
        ex = client.get(f"{claim.base_path}{resource.path}", params={"limit": 1})
        if ex.response is not None and ex.response.status == 401:
            raise TargetError(
                "トークンが拒否されました / the target refused the token (401) — --token を確認してください"
            )
        return


def _processing_date(ctx: RunContext, day: dt.date | None) -> bool:
    """Test on ``day``: set the target's clock when it is settable (True: restore it after the run).

    TargetError when the target runs on another date and its clock cannot be set.
    """
    assert ctx.clock is not None
    if day is None:
        return False
    declared = ctx.claims.clock
    if declared.fixed and declared.processing_date == day:
        return False
    if not ctx.clock.settable:
        raise TargetError(
            f"対象の処理日は {declared.processing_date or '未宣言 / undeclared'} で、設定できません /"
            f" the target's processing date cannot be set to {day} (GET /conformance declares no settable"
            " clock): run without --today, or start the target at that date"
        )
    try:
        ctx.clock.set(day)
    except clock.ClockError as exc:
        raise TargetError(str(exc)) from None
    return True


def _restore_clock(ctx: RunContext, out: Printer) -> None:
    """Put the target's clock back as it was declared before the run."""
    assert ctx.clock is not None
    declared = ctx.claims.clock
    try:
        ctx.clock.set(declared.processing_date if declared.fixed else None)
    except clock.ClockError as exc:
        out(f"注意 / note: 処理日を元に戻せませんでした / could not restore the processing date: {exc}")


def execute(options: RunOptions, out: Printer = print) -> RunResult:
    """Run the suite against ``options.target`` and write the reports; TargetError for an untestable target."""
    from conformance.report import build_report, now
    from reports import digest, render, schema

    if options.standards is None:
        from standards.loader import load_standards

        options.standards = load_standards()
    problem = unknown_scope(
        options.standards,
        profile=options.profile,
        operations=options.operations,
        requirements=options.requirements,
    )
    if problem:
        raise ScopeError(problem)
    creds = Credentials(options.client_id, options.client_secret, options.token)
    budget = options.time_budget or DEFAULT_TIME_BUDGET[options.profile]
    transport = options.transport
    if transport is None:
        from conformance.transport import HttpTransport, Limits

        try:
            limits = Limits(
                connect_timeout=min(10.0, options.request_timeout),
                read_timeout=options.request_timeout,
                deadline=options.request_timeout,
                max_response_bytes=options.max_response_bytes,
            )
        except ValueError as exc:
            raise TargetError(f"制限の指定が不正です / invalid limit: {exc}") from None
        transport = HttpTransport(limits)
    client, claims = open_target(
        options.target,
        creds,
        transport=transport,
        timeout=options.request_timeout,
        deadline=time.monotonic() + budget,
    )
    known = {op.id for op in options.standards.operations}
    claimed = [c.id for c in claims.operations]
    say = out if not options.quiet else (lambda line: None)
    say(f"対象 / target: {options.target} — {claims.system.get('name', '?')} ({claims.environment})")
    say(f"宣言された業務 / claimed operations: {', '.join(claimed) or '(none)'}; seed {options.seed}")
    for op_id in claimed:
        if op_id not in known:
            out(f"注意 / note: {op_id} はこのスイートの標準にありません / is not in this suite's standards")
    if options.operations:
        for op_id in options.operations:
            if op_id not in claimed:
                out(f"注意 / note: {op_id} は対象が宣言していません / is not claimed by the target")
        if not set(options.operations) & set(claimed):
            raise ScopeError(
                f"選択した業務はどれも対象が宣言していません / none of the selected operations "
                f"({', '.join(options.operations)}) is claimed by the target; claimed: {', '.join(claimed) or '(none)'}"
            )
    if options.token and not (options.client_id and options.client_secret):
        _check_token(client, options.standards, claims)
    if not claims.is_test and not options.allow_production_writes:
        out("注意 / note: 試験環境ではないため書き込む試験は行いません / not a test environment: no writes")
    try:
        namespace = RunNamespace(options.namespace or new_namespace(), seed=options.seed)
    except NamespaceError as exc:
        raise TargetError(str(exc)) from None
    ctx = RunContext(
        client=client,
        standards=options.standards,
        claims=claims,
        seed=options.seed,
        profile=PROFILES[options.profile],
        out_dir=options.out_dir,
        allow_production_writes=options.allow_production_writes,
        operations=options.operations,
        requirements=options.requirements,
        openapi_source=options.openapi_source,
        namespace=namespace,
    )
    restore = _processing_date(ctx, options.today)
    processing = ctx.today()
    if not options.quiet:  # quiet: the counts and the verdict only; the report records both
        out(f"処理日 / processing date: {processing}; 名前空間 / namespace: {namespace.value}")
    started, t0 = now(), time.monotonic()
    try:
        records = run_suite(ctx, options.paths, out, quiet=options.quiet)
    finally:
        if restore:
            _restore_clock(ctx, out)
        if options.transport is None:
            transport.close()  # type: ignore[attr-defined]
    facts: dict[str, Any] = {
        "responses": ctx.responses.counts(),
        "limits": {
            "request_timeout_s": options.request_timeout,
            "max_response_bytes": options.max_response_bytes,
            "time_budget_s": budget,
        },
    }
    if ctx.budget_spent():
        not_run = sum(1 for r in records.values() if r.skip_reason == BUDGET_SPENT)
        facts["stopped"] = {"reason": "time_budget", "tests_not_run": not_run}
    report = build_report(
        standards=options.standards,
        claims=claims,
        target_url=options.target,
        records=records,
        seed=options.seed,
        profile=options.profile,
        started_at=started,
        finished_at=now(),
        duration_s=time.monotonic() - t0,
        command=options.command,
        embedded_reference=options.embedded_reference,
        selected=options.operations,
        requirements_selected=options.requirements,
        run_facts=facts,
        namespace=namespace.value,
        processing_date=processing.isoformat(),
    )
    for problem in schema.validate(report)[:20]:
        out(f"報告書の形式エラー / report schema problem: {problem}")
    report = digest.seal(report, options.private_key_pem)
    written = render.write_all(report, options.out_dir)
    print_summary(report, out, quiet=options.quiet)
    out(f"報告書 / reports: {', '.join(str(p) for p in written.values())}")
    passed = report["summary"]["verdict"] in ("conformant", "partial_passed")
    return RunResult(0 if passed else 1, report, written, records)
