"""The calendar: the verdict never depends on the day a run happens on.

The reference server runs at a fixed processing date (``Settings.today``, ``kikan serve --today``); the
suite reads it from ``GET /conformance`` and tests on it. The whole suite (every operation, quick
profile) must be conformant on any date, with nothing "not verified" but the not-testable
requirements: ``bench/bench_reruns.py dates`` runs the README main command on eight or more dates.
"""

from __future__ import annotations

import datetime as dt

import pytest
from persistent import reference_target

from conformance.clock import ClockClaim, SuiteClock, bound, today, wall_today
from conformance.run import RunOptions, execute
from conformance.suites.senkyo.bodies import teiji_choices
from conformance.testing import AsgiTransport
from standards.loader import load_standards


def _teiji_days() -> set[tuple[int, int]]:
    rule = load_standards().operation("senkyo").rule("teiji_kijun")
    return {(int(r["month"]), int(r["day"])) for r in rule.table or ()}


def test_teiji_body_has_two_choices_on_every_day_of_two_years() -> None:
    """The generic 定時登録 body factory can make a second body on every day (the bug: not on the day of
    a 基準日 or the day after), and every body is valid: a 基準日, registered on or after it, not after today."""
    teiji = _teiji_days()
    day = dt.date(2027, 1, 1)
    while day <= dt.date(2028, 12, 31):
        pairs = teiji_choices(day, teiji)
        assert len(set(pairs)) >= 2, day
        for kijun, toroku in pairs:
            assert (kijun.month, kijun.day) in teiji and kijun <= toroku <= day, (day, kijun, toroku)
        day += dt.timedelta(days=1)


def test_suite_clock_follows_the_declared_date() -> None:
    fixed = SuiteClock(ClockClaim(dt.date(2027, 4, 1), fixed=True, settable=False))
    assert fixed.today() == dt.date(2027, 4, 1)
    assert SuiteClock(ClockClaim()).today() == wall_today()
    with bound(fixed):
        assert today() == dt.date(2027, 4, 1)
    assert today() == wall_today()


def test_kikan_run_today_sets_a_settable_clock_and_puts_it_back(tmp_path) -> None:
    """``kikan run --today D`` against a target with a settable clock tests on D and restores the clock."""
    from persistent import CLIENT

    from conformance.run import SUITES

    app = reference_target(tmp_path, operations=("juki",))
    result = execute(
        RunOptions(
            target="http://testserver",
            client_id=CLIENT[0],
            client_secret=CLIENT[1],
            out_dir=tmp_path / "out",
            transport=AsgiTransport(app),
            paths=[str(SUITES / "common" / "test_clock.py")],
            operations=("juki",),
            today=dt.date(2027, 1, 1),
            namespace="abc123",
            command="kikan run --target http://testserver --seed 0",
        ),
        out=lambda line: None,
    )
    run_doc = result.report["run"]
    assert run_doc["processing_date"] == "2027-01-01" and run_doc["namespace"] == "abc123"
    assert "--namespace abc123" in run_doc["reproduce"] and "--today 2027-01-01" in run_doc["reproduce"]
    statuses = {r["id"]: r["status"] for r in result.report["requirements"]}
    assert statuses["API-022"] == statuses["API-023"] == "passed"
    declared = app.state.server.processing.declaration()
    assert declared["fixed"] is False and declared["processing_date"] == wall_today().isoformat()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--today", "2027-02-30"], "not a YYYY-MM-DD calendar date"),
        (["run", "--today", "20270101"], "not a YYYY-MM-DD calendar date"),
        (["run", "--namespace", "Not Valid"], "invalid namespace"),
    ],
)
def test_bad_today_or_namespace_is_one_line_exit_2(argv: list[str], message: str, capsys) -> None:
    from kikan.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
